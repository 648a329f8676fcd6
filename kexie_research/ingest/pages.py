"""Pages of a converted PDF: where each page starts in the text of record, and the page of an offset.

A PDF's converted text holds its pages in order, separated by one blank line (``PAGE_SEPARATOR``).
The conversion records the character offset where each page starts (``page_starts`` of the source's
``conversion`` in ``data/raw/sources.yaml``); the page of any offset -- a quote's, a candidate's --
is then a lookup, with no second copy of the text.

Example::

    >>> page_of([0, 120, 260], 130)
    2
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["PAGE_SEPARATOR", "page_of", "page_of_source"]

#: What joins the text of two pages in a converted PDF.
PAGE_SEPARATOR = "\n\n"


def page_of(page_starts: Sequence[int], offset: int | None) -> int | None:
    """The 1-based page holding character ``offset``; ``None`` without pages or without an offset.

    Examples
    --------
    >>> page_of([0, 120, 260], 0), page_of([0, 120, 260], 119), page_of([0, 120, 260], 999)
    (1, 1, 3)
    >>> page_of([], 5) is None, page_of([0, 10], -1) is None
    (True, True)
    """
    if not page_starts or offset is None or offset < 0:
        return None
    return max(bisect_right(list(page_starts), offset), 1)


def page_of_source(entry: Mapping[str, Any], offset: int | None) -> int | None:
    """The page of ``offset`` in the document of a manifest entry (``None`` for a document without pages).

    Examples
    --------
    >>> page_of_source({"conversion": {"page_starts": [0, 50]}}, 60)
    2
    >>> page_of_source({"source_id": "plain_text"}, 60) is None
    True
    """
    conversion = entry.get("conversion") or {}
    return page_of(conversion.get("page_starts") or [], offset)
