"""When each case's reform started, from the processed timeline."""

from __future__ import annotations

from typing import Any

import pandas as pd

from kexie_research.analysis.geo.joins import load_table

START_COLUMNS = [
    "case",
    "admin_code",
    "year",
    "year_rule",
    "event_id",
    "date_text",
    "event_zh",
    "event_en",
    "source_id",
    "quote",
    "quote_offset",
]


def reform_starts(timeline: pd.DataFrame | None = None, cases: pd.DataFrame | None = None) -> pd.DataFrame:
    """When each case's reform started, as far as the texts say: one row per case, in case order.

    The start is the case's earliest dated event of the timeline (``year_rule="stated"``). A case
    whose events have no date keeps NA with ``year_rule`` "not before YYYY" (the earliest year its
    text allows) or "not stated"; a case with no event at all has "no event in the timeline". Each
    row carries the event and its verbatim quote with the offset checked by the build.

    Examples
    --------
    >>> starts = reform_starts()
    >>> list(starts.case) == list(load_table("cases").case)
    True
    """
    timeline = load_table("timeline") if timeline is None else timeline
    cases = load_table("cases") if cases is None else cases
    rows = []
    for case in cases.itertuples():
        events = timeline[timeline["case"] == case.case].copy()
        events["_date"] = events["date"].fillna("").astype(str)
        dated = events[events._date != ""].sort_values(["_date", "event_id"])
        base = {"case": case.case, "admin_code": case.admin_code}
        if not dated.empty:
            event = dated.iloc[0]
            rows.append({**base, "year": int(event._date[:4]), "year_rule": "stated", **_event_fields(event)})
            continue
        bounded = events[events["not_before"].fillna("").astype(str) != ""].sort_values(["not_before", "event_id"])
        if not bounded.empty:
            event = bounded.iloc[0]
            rows.append(
                {**base, "year": None, "year_rule": f"not before {str(event.not_before)[:4]}", **_event_fields(event)}
            )
        elif not events.empty:
            event = events.sort_values("event_id").iloc[0]
            rows.append({**base, "year": None, "year_rule": "not stated", **_event_fields(event)})
        else:
            rows.append({**base, "year": None, "year_rule": "no event in the timeline"})
    frame = pd.DataFrame(rows).reindex(columns=START_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    frame["quote_offset"] = pd.to_numeric(frame["quote_offset"], errors="coerce").astype("Int64")
    return frame


def _event_fields(event: pd.Series) -> dict[str, Any]:
    return {
        key: event.get(key)
        for key in ("event_id", "date_text", "event_zh", "event_en", "source_id", "quote", "quote_offset")
    }
