"""The reform timeline for readers: events in date order, what the text says where it gives no
date, and each case's model and first dated step.

The events come from :func:`kexie_research.data.load_timeline` (checked once by the build: every
quote found in its document). ``case`` is empty for a national event.

Example::

    >>> decimal_year("2018"), round(decimal_year("2017-09-29"), 2)
    (2018.5, 2017.74)
"""

from __future__ import annotations

import pandas as pd

from kexie_research.analysis.checks import require_columns
from kexie_research.schemas.timeline import TIMELINE_COLUMNS

__all__ = ["START_KINDS", "TIMELINE_COLUMNS", "case_starts", "decimal_year", "timeline_table"]

# Event kinds that mark when a case's reform started (for the side-by-side table).
START_KINDS = ("plan_issued", "pilot_listing", "reform_launch", "meeting", "model")


def decimal_year(date: str | None) -> float | None:
    """``2017-09-29`` → 2017.74; a month or a year alone sits in its middle (2018 → 2018.5).

    Examples
    --------
    >>> decimal_year("2021-01"), decimal_year("")
    (2021.0416666666667, None)
    """
    if not date or pd.isna(date):
        return None
    parts = [int(part) for part in str(date).split("-")]
    if len(parts) == 1:
        return parts[0] + 0.5
    if len(parts) == 2:
        return parts[0] + (parts[1] - 0.5) / 12
    return parts[0] + (parts[1] - 1) / 12 + (parts[2] - 1) / 365


def timeline_table(timeline: pd.DataFrame) -> pd.DataFrame:
    """The timeline in date order: ``when`` is the date, or what the text says instead.

    Undated events come last, ordered by ``not_before`` where the text bounds them; ``when`` reads
    ``2017-09-29``, ``2018 (year only)``, ``6月17日 — year not stated``, ``no date in the text``.
    ``sort_year`` is the decimal year (NA without a date).

    Examples
    --------
    >>> events = pd.DataFrame([
    ...     {"event_id": "B", "case": "b", "date": "", "date_precision": "none", "date_text": "",
    ...      "date_note": "no date in the text", "not_before": ""},
    ...     {"event_id": "A", "case": "a", "date": "2018", "date_precision": "year", "date_text": "2018年",
    ...      "date_note": "year only", "not_before": ""}]).assign(scope="city", kind="meeting", event_zh="",
    ...      event_en="", model_zh="", model_en="", source_id="s", quote="q", note="")
    >>> timeline_table(events)[["event_id", "when"]].values.tolist()
    [['A', '2018 (year only)'], ['B', 'no date in the text']]
    """
    require_columns(timeline, TIMELINE_COLUMNS, "timeline_table")

    def when(row: pd.Series) -> str:
        if row["date_precision"] == "day":
            return row["date"]
        if row["date_precision"] in ("month", "year"):
            return f"{row['date']} ({row['date_note']})"
        return f"{row['date_text']} — {row['date_note']}" if row["date_text"] else row["date_note"]

    frame = timeline.copy()
    frame["when"] = frame.apply(when, axis=1) if not frame.empty else pd.Series(dtype="str")
    frame["sort_year"] = frame["date"].map(decimal_year).astype("float64")
    bound = frame["not_before"].map(decimal_year)
    frame["sort_key"] = frame["sort_year"].fillna(
        bound.map(lambda b: 10_000 + b if b is not None and not pd.isna(b) else 20_000)
    )
    frame = frame.sort_values(["sort_key", "event_id"]).drop(columns="sort_key").reset_index(drop=True)
    return frame[
        [
            "event_id",
            "case",
            "scope",
            "kind",
            "when",
            "date",
            "date_precision",
            "not_before",
            "event_zh",
            "event_en",
            "model_zh",
            "source_id",
            "quote",
            "sort_year",
        ]
    ]


def case_starts(timeline: pd.DataFrame, cases: list[str]) -> dict[str, str]:
    """Per case: its model (``model_zh``) and its first dated step, citing event ids; "—" if none.

    Examples
    --------
    >>> events = pd.DataFrame([
    ...     {"event_id": "A-1", "case": "a", "date": "2018-05-01", "date_precision": "day", "date_text": "",
    ...      "date_note": "", "not_before": "", "kind": "reform_launch", "model_zh": "某模式"}]).assign(
    ...      scope="city", event_zh="", event_en="", model_en="", source_id="s", quote="q", note="")
    >>> case_starts(events, ["a", "b"])
    {'a': '某模式; start: 2018-05-01 [A-1]', 'b': '—'}
    """
    ordered = timeline_table(timeline)
    out: dict[str, str] = {}
    for case in cases:
        events = ordered[ordered["case"] == case]
        models = events[events["model_zh"] != ""]
        starts = events[events["kind"].isin(START_KINDS)]
        model = models.iloc[0] if not models.empty else None
        start = starts.iloc[0] if not starts.empty else None
        if model is not None and start is not None and model["event_id"] == start["event_id"]:
            out[case] = f"{model['model_zh']}; start: {start['when']} [{start['event_id']}]"
        else:
            parts = [f"{model['model_zh']} [{model['event_id']}]"] if model is not None else []
            if start is not None:
                parts.append(f"start: {start['when']} [{start['event_id']}]")
            out[case] = "; ".join(parts) or "—"
    return out
