"""Radicals and compatibility ideographs read as the unified ideographs a page shows.

The text layers of many Chinese PDFs map characters to **Kangxi radicals** (U+2F00–U+2FDF: ⾦ for
金, ⼊ for 入, ⾏ for 行), to the **CJK Radicals Supplement** (U+2E80–U+2EFF: ⻓ for 长, ⻔ for 门)
or to **CJK compatibility ideographs** (U+F900–U+FAFF: U+F9B2 for 零). The twelve unified
ideographs that Unicode placed in the compatibility block (such as 﨑 U+FA11) are characters of
their own and are kept. They look the same on the page
but do not match a quote typed or copied from the wording, nor the codebook's keywords.

Only those three blocks are changed, one character for one character (offsets are kept):

* Kangxi radicals and compatibility ideographs by Unicode's NFKC, which maps each to one unified
  ideograph. NFKC is **never** applied to the whole text: it would turn full-width punctuation and
  digits (，１２％) into ASCII and change the document;
* the supplement by Unicode's ``EquivalentUnifiedIdeograph.txt`` (``radicals_supplement.txt``
  beside this module), since NFKC leaves most of that block alone.

Example::

    >>> unify_ideographs("科普⾏动，经费３０万元，事故\uf9b2发生（﨑）")
    '科普行动，经费３０万元，事故零发生（﨑）'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib.resources import files

__all__ = ["IDEOGRAPH_VARIANTS", "unify_ideographs", "variant_count"]

#: The blocks whose characters are read as unified ideographs.
IDEOGRAPH_VARIANTS = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF))
_VARIANT_RE = re.compile("[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in IDEOGRAPH_VARIANTS) + "]")


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for low, high in IDEOGRAPH_VARIANTS[1:]:  # Kangxi radicals, compatibility ideographs: NFKC
        for code in range(low, high + 1):
            mapped = unicodedata.normalize("NFKC", chr(code))
            if len(mapped) == 1 and mapped != chr(code):
                table[code] = mapped
    text = files("kexie_research.ingest").joinpath("radicals_supplement.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            radical, ideograph = line.split(";")
            table[int(radical, 16)] = chr(int(ideograph, 16))
    return table


def unify_ideographs(text: str) -> str:
    """``text`` with radicals and compatibility ideographs replaced by unified ideographs.

    Every other character is kept as it is, so the result has the same length and offsets.

    Examples
    --------
    >>> unify_ideographs("⾦⼊⾏⻓")
    '金入行长'
    >>> unify_ideographs("全角，ＡＢＣ１２３％")  # full-width forms are not touched
    '全角，ＡＢＣ１２３％'
    """
    if not _VARIANT_RE.search(text):
        return text
    return text.translate(_table())


def variant_count(text: str) -> int:
    """How many characters of ``text`` :func:`unify_ideographs` replaces.

    Examples
    --------
    >>> variant_count("资⾦⼊账"), variant_count("资金入账")
    (2, 0)
    """
    table = _table()
    return sum(1 for match in _VARIANT_RE.finditer(text) if ord(match.group()) in table)
