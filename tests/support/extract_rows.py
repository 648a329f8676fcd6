"""Reading a draft's rows in the extraction tests: the facts of an invented text, keyed by their raw text."""

from __future__ import annotations

from kexie_research.extract import Extractor

#: 夷陵区: a place of none of the project's cases (any place will do where a test is about time and status).
ANY_PLACE = "420506"


def facts(extractor: Extractor, text: str, place_code: str = ANY_PLACE, **kwargs) -> dict[str, dict]:
    """The ``kind=fact`` rows of ``text``, keyed by their ``raw_text``."""
    rows = extractor.extract_text(text, document="t.txt", place_code=place_code, **kwargs)
    return {row["raw_text"]: row for row in rows if row["kind"] == "fact"}


def bounds(row: dict) -> tuple[str, str]:
    """A row's period as (start, end)."""
    return row["period_start"], row["period_end"]
