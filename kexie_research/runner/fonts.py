"""The CJK web font the report pages carry, so that Chinese renders on machines without CJK fonts.

The font is a subset of the Simplified Chinese face of Noto Sans CJK (SIL Open Font License 1.1,
shipped by the ``noto-cjk-sans-otc`` package as an OpenType collection), made with fontTools as
WOFF2: only the CJK characters the pages of the folder use, plus a basic set (CJK punctuation,
full-width forms). It is written once into ``reports/assets/`` with the licence beside it, and the
pages reference it relatively, so a report folder can be zipped and opened anywhere. Its
``unicode-range`` covers CJK only: Latin text keeps the page's own fonts.
"""

from __future__ import annotations

import contextlib
import functools
import html
import io
import threading
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

FONT_FAMILY = "Kexie CJK"
FONT_FILE = "assets/kexie-cjk.woff2"
LICENSE_FILE = "assets/kexie-cjk-OFL.txt"
SOURCE_FAMILY = "Noto Sans CJK SC"
# Blocks drawn by the page's font: CJK symbols and punctuation, CJK extension A, unified
# ideographs, compatibility ideographs, half-/full-width forms.
CJK_RANGES = ((0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
UNICODE_RANGE = ", ".join(f"U+{low:X}-{high:X}" for low, high in CJK_RANGES)
CJK_PATTERN = re.compile("[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in CJK_RANGES) + "]")
# Always in the font: CJK punctuation and full-width ASCII forms (a reader's own notes, numbers).
BASIC_SET = frozenset(chr(c) for c in [*range(0x3000, 0x3020), *range(0xFF01, 0xFF5F)])
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def is_cjk(character: str) -> bool:
    """True for a character the page's CJK font draws.

    Examples
    --------
    >>> is_cjk("科"), is_cjk("，"), is_cjk("a")
    (True, True, False)
    """
    return bool(CJK_PATTERN.fullmatch(character))


def collect_characters(texts: Iterable[str]) -> set[str]:
    """The CJK characters of ``texts``, also those written as HTML entities or ``\\uXXXX`` escapes.

    Table and map data are embedded as JSON in ``<script>`` elements, where Chinese is often
    escaped; those characters are drawn later by JavaScript and must be in the font too.

    Examples
    --------
    >>> sorted(collect_characters(["科协 &#x6539; \\\\u9769 abc"]))
    ['协', '改', '科', '革']
    """
    found: set[str] = set()
    for text in texts:
        unescaped = html.unescape(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))
        found.update(CJK_PATTERN.findall(unescaped))
    return found


def source_font() -> tuple[Path, int, Path]:
    """``(collection, face index, licence)`` of the shipped Noto Sans CJK SC face.

    Examples
    --------
    >>> path, index, licence = source_font()
    >>> path.suffix, index
    ('.ttc', 2)
    """
    from importlib.metadata import PackageNotFoundError, files

    from fontTools.ttLib import TTCollection, TTFont

    try:
        shipped = [Path(f.locate()) for f in files("noto-cjk-sans-otc") or []]
    except PackageNotFoundError as exc:
        raise FileNotFoundError(
            "the CJK font package noto-cjk-sans-otc is not installed (pip install 'kexie-research[analysis]')"
        ) from exc
    fonts = [p for p in shipped if p.suffix.lower() in (".ttc", ".otc", ".otf", ".ttf")]
    licences = [p for p in shipped if p.name.upper().startswith(("LICENSE", "OFL"))]
    if not fonts or not licences:
        raise FileNotFoundError("noto-cjk-sans-otc ships no font file or no licence file")
    for path in fonts:
        if path.suffix.lower() in (".ttc", ".otc"):
            collection = TTCollection(str(path), lazy=True)
            for index, face in enumerate(collection.fonts):
                if face["name"].getDebugName(1) == SOURCE_FAMILY:
                    return path, index, licences[0]
        elif TTFont(str(path), lazy=True)["name"].getDebugName(1) == SOURCE_FAMILY:
            return path, -1, licences[0]
    raise FileNotFoundError(f"no {SOURCE_FAMILY!r} face in {', '.join(map(str, fonts))}")


def subset_font(characters: Iterable[str], flavor: str | None = "woff2") -> bytes:
    """A WOFF2 subset of Noto Sans CJK SC holding ``characters`` (and the basic set).

    ``flavor=None`` gives a plain OpenType file instead (for PDF writers, which embed OpenType).

    Examples
    --------
    >>> subset_font("科协")[:4]
    b'wOF2'
    >>> subset_font("科协", flavor=None)[:4]
    b'OTTO'
    """
    return _subset(frozenset(set(characters) | BASIC_SET), flavor)


# Reading the CJK collection is most of a subset's time (about 1.3 s); a process that builds several
# report folders with the same characters (a notebook session, the test suite) subsets once.
@functools.lru_cache(maxsize=8)
def _subset(characters: frozenset[str], flavor: str | None) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path, index, _ = source_font()
    # Bounding boxes are not recomputed: that walks every kept outline and triples the time, and
    # the original font's boxes are valid (larger) bounds for the subset.
    font = TTFont(str(path), fontNumber=index, recalcBBoxes=False, recalcTimestamp=False)
    options = subset.Options()
    options.flavor = flavor
    options.hinting = False  # browsers rasterise CJK well without hints; saves about a fifth
    # Horizontal text only: no vertical forms ('vert', 'vrt2'), and no 'locl', whose closure adds ~600
    # Japanese, Korean and Traditional forms that a page in Simplified Chinese never selects (the
    # subset shrinks from ~225 to ~140 KiB and builds in two thirds of the time).
    options.layout_features = ["kern", "palt", "halt"]
    options.notdef_outline = True
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in characters))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = flavor
    with _brotli_quality(BROTLI_QUALITY):
        font.save(buffer)
    return buffer.getvalue()


# Brotli level of the WOFF2 file. fontTools always uses brotli's default, 11. Measured on these
# reports' ~950 characters (with the larger feature set of 0.2: 'locl', vertical forms), 11 took
# 1.1 s for 224 KiB and 10 took 0.4 s for 226 KiB (+1 %), at the end of every report run that
# changed the characters.
BROTLI_QUALITY = 10
_BROTLI_LOCK = threading.Lock()


@contextlib.contextmanager
def _brotli_quality(quality: int) -> Iterator[None]:
    """Make fontTools' WOFF2 writer compress at ``quality`` for the duration of the block.

    fontTools offers no setting for it: its writer calls ``brotli.compress`` of its own module, which
    is swapped for one with the quality fixed, under a lock, and restored afterwards.
    """
    import brotli
    from fontTools.ttLib import woff2

    class FixedQuality:
        """The brotli module, with ``compress`` at a fixed quality."""

        def __getattr__(self, name: str) -> Any:  # MODE_FONT, MODE_TEXT, decompress, ...
            return getattr(brotli, name)

        def compress(self, data: bytes, mode: int = brotli.MODE_GENERIC, **options: Any) -> bytes:
            return brotli.compress(data, mode=mode, **{**options, "quality": quality})

    with _BROTLI_LOCK:
        original = woff2.brotli
        woff2.brotli = FixedQuality()
        try:
            yield
        finally:
            woff2.brotli = original


def licence_text() -> str:
    """The licence that travels with the font (OFL 1.1), with a note on what the subset is.

    Examples
    --------
    >>> "Open Font License" in licence_text()
    True
    """
    _, _, licence = source_font()
    note = (
        f"{Path(FONT_FILE).name} is a subset (the characters these reports use) of {SOURCE_FAMILY}, "
        "converted to WOFF2 with fontTools. It is distributed under the SIL Open Font License 1.1 below.\n\n"
    )
    return note + licence.read_text(encoding="utf-8")


def font_face_css(href: str = FONT_FILE) -> str:
    """The ``@font-face`` rule of the page font, referencing the WOFF2 file relatively.

    Examples
    --------
    >>> "unicode-range: U+3000-303F" in font_face_css()
    True
    """
    return (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{href}") format("woff2"); '
        f"font-weight: 100 900; font-style: normal; font-display: block; unicode-range: {UNICODE_RANGE}; }}"
    )


def characters_digest(characters: Iterable[str]) -> str:
    """A stable hash of a character set (decides whether the font must be rebuilt).

    Examples
    --------
    >>> characters_digest("ba") == characters_digest("ab")
    True
    """
    import hashlib

    return hashlib.sha256("".join(sorted(set(characters))).encode()).hexdigest()
