"""Provenance checks: every quote occurs in its document, every raw value occurs in its quote.

**Matching rule** (one rule, applied everywhere in the project): the documents keep the hard line
breaks of their print layout, often inside a word or a number, so a quote matches when it occurs in
the document after every line break (``"\\n"``) has been removed from both, and after radicals and
compatibility ideographs have been read as the unified ideographs they show (⾦ as 金, one character
for one: :func:`kexie_research.ingest.normalize.unify_ideographs`), so that a quote copied from a
PDF's text layer matches the converted text. Nothing else is normalised: punctuation, full-width
characters and spaces must match exactly.

**Number boundaries**: a raw value matches its quote only where it is not part of a longer number.
Where the value begins (or ends) with a numeral, the character before (or after) the match must not
continue that number: not a digit, a Chinese numeral (一 … 十 百 千 万 亿 两 〇 零 and the financial
forms 壹 … 仟), nor a decimal point or thousands separator (``.`` ``,`` ``．``). So ``1万元`` is not
found in ``51万元`` and ``52万元`` not in ``20.52万元``. The Chinese clause comma ``，`` is not a
number character: it ends a number (``51万元，``).

Example::

    >>> doc = "梧州市科协51\\n万元、藤县科协26万元"
    >>> locate_quote("梧州市科协51万元", doc)
    0
    >>> check_row(quote="藤县科协26万元", raw_text="26万元", document=doc, where="sheet.csv row 2")
    11
"""

from __future__ import annotations

from functools import lru_cache

from kexie_research.errors import ProvenanceError
from kexie_research.ingest.normalize import unify_ideographs

# Characters that continue a number (see the module docstring).
NUMBER_CHARS = frozenset(
    "0123456789０１２３４５６７８９〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟萬億.,．"
)


def normalise_for_matching(text: str) -> str:
    """Apply the project's matching rule: drop every line break, read radicals as ideographs.

    Examples
    --------
    >>> normalise_for_matching("科协51\\n万元"), normalise_for_matching("资⾦")
    ('科协51万元', '资金')
    """
    return unify_ideographs(text).replace("\n", "")


def locate_quote(quote: str, document: str) -> int | None:
    """Character offset of ``quote`` in the *original* ``document`` (``None`` if absent).

    The offset points at the quote's first character in the file as received, so that a reader can
    find it with any editor even though the match ignored line breaks.

    Examples
    --------
    >>> locate_quote("科协26万元", "藤县\\n科协26\\n万元")
    3
    """
    flat_quote = normalise_for_matching(quote)
    if not flat_quote:
        return None
    flat_document, original_positions = _flat_index(document)
    found = flat_document.find(flat_quote)
    return None if found < 0 else original_positions[found]


@lru_cache(maxsize=256)
def _flat_index(document: str) -> tuple[str, tuple[int, ...]]:
    positions = tuple(index for index, char in enumerate(document) if char != "\n")
    return normalise_for_matching(document), positions


def find_number(needle: str, text: str) -> int | None:
    """Offset of the first occurrence of ``needle`` in ``text`` that respects number boundaries.

    ``None`` when ``needle`` is empty or occurs only inside a longer number (see the module
    docstring). Both strings are compared as given: normalise them first where the matching rule
    applies.

    Examples
    --------
    >>> find_number("51万元", "梧州市科协51万元、藤县科协26万元")
    5
    >>> find_number("1万元", "梧州市科协51万元") is None
    True
    >>> find_number("52万元", "龙圩区科协20.52万元") is None
    True
    >>> find_number("3个", "13个乡镇、3个街道")
    6
    """
    if not needle:
        return None
    check_before = needle[0] in NUMBER_CHARS
    check_after = needle[-1] in NUMBER_CHARS
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        before_ok = not check_before or start == 0 or text[start - 1] not in NUMBER_CHARS
        after_ok = not check_after or end == len(text) or text[end] not in NUMBER_CHARS
        if before_ok and after_ok:
            return start
        start = text.find(needle, start + 1)
    return None


def check_raw_text(raw_text: str, quote: str) -> str | None:
    """Why ``raw_text`` does not match ``quote`` (``None`` if it does), by the matching rule.

    Examples
    --------
    >>> check_raw_text("26万元", "藤县科协26\\n万元") is None
    True
    >>> check_raw_text("1万元", "梧州市科协51万元")
    "raw_text '1万元' does not occur in its quote '梧州市科协51万元' (outside a longer number)"
    """
    if find_number(normalise_for_matching(raw_text), normalise_for_matching(quote)) is None:
        return f"raw_text {raw_text!r} does not occur in its quote {quote[:60]!r} (outside a longer number)"
    return None


def check_row(*, quote: str, raw_text: str, document: str, where: str) -> int:
    """Verify one coded row; return the quote's offset. ``where`` names sheet and row for errors.

    Examples
    --------
    >>> check_row(quote="科协51万元", raw_text="51万元", document="梧州市科协51万元", where="s.csv row 2")
    3
    """
    if not quote or not quote.strip():
        raise ProvenanceError(f"{where}: empty quote")
    offset = locate_quote(quote, document)
    if offset is None:
        raise ProvenanceError(f"{where}: quote not found in the document (after removing line breaks): {quote[:60]!r}")
    problem = check_raw_text(raw_text, quote)
    if problem:
        raise ProvenanceError(f"{where}: {problem}")
    return offset
