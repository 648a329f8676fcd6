"""Provenance checks: every quote occurs in its document, every raw value occurs in its quote.

**Matching rule** (one rule, applied everywhere in the project): the documents keep the hard line
breaks of their print layout, often inside a word or a number, so a quote matches when it occurs in
the document after every line break (``"\\n"``) has been removed from both. Nothing else is
normalised: punctuation, full-width characters and spaces must match exactly.

Example::

    >>> doc = "梧州市科协51\\n万元、藤县科协26万元"
    >>> locate_quote("梧州市科协51万元", doc)
    0
    >>> check_row(quote="藤县科协26万元", raw_text="26万元", document=doc, where="sheet.csv row 2")
"""

from __future__ import annotations

from functools import lru_cache

from kexie_research.errors import ProvenanceError


def normalise_for_matching(text: str) -> str:
    """Apply the project's matching rule: drop every line break."""
    return text.replace("\n", "")


def locate_quote(quote: str, document: str) -> int | None:
    """Character offset of ``quote`` in the *original* ``document`` (``None`` if absent).

    The offset points at the quote's first character in the file as received, so that a reader can
    find it with any editor even though the match ignored line breaks.
    """
    flat_quote = normalise_for_matching(quote)
    if not flat_quote:
        return None
    flat_document, original_positions = _flat_index(document)
    found = flat_document.find(flat_quote)
    return None if found < 0 else original_positions[found]


@lru_cache(maxsize=16)
def _flat_index(document: str) -> tuple[str, tuple[int, ...]]:
    positions = tuple(index for index, char in enumerate(document) if char != "\n")
    return normalise_for_matching(document), positions


def check_row(*, quote: str, raw_text: str, document: str, where: str) -> int:
    """Verify one coded row; return the quote's offset. ``where`` names sheet and row for errors."""
    if not quote or not quote.strip():
        raise ProvenanceError(f"{where}: empty quote")
    offset = locate_quote(quote, document)
    if offset is None:
        raise ProvenanceError(f"{where}: quote not found in the document (after removing line breaks): {quote[:60]!r}")
    if normalise_for_matching(raw_text) not in normalise_for_matching(quote):
        raise ProvenanceError(f"{where}: raw_text {raw_text!r} does not occur in its quote {quote[:60]!r}")
    return offset
