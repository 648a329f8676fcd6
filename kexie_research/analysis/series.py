"""Within-case series: one indicator of one case over time, and the latest value of a series.

Undated values are kept: a period that says "earlier" (几年前 "a few years ago", 原 "originally",
过去 "in the past", 以前 "before") places the value before the dated ones, any other undated value
("目前" now, no period) after them.

Example::

    >>> import pandas as pd
    >>> facts = pd.DataFrame({
    ...     "case": ["a"] * 3, "indicator_id": ["x"] * 3, "scope_level": ["city"] * 3, "admin_code": ["1"] * 3,
    ...     "period_text": ["2018年", "几年前", "2019年"], "period_start": ["2018-01-01", None, "2019-01-01"],
    ...     "period_end": ["2018-12-31", None, "2019-12-31"], "is_target": [False] * 3, "value": [2.0, 1.0, 4.0],
    ...     "raw_text": ["2", "1", "4"], "record_id": ["A-1", "A-2", "A-3"]})
    >>> series(facts, "x", case="a")["label"].tolist()
    ['几年前 (year not stated)', '2018', '2019']
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from kexie_research.analysis.checks import require_columns
from kexie_research.analysis.scopes import local_facts

__all__ = ["EARLIER_WORDS", "fit_plan", "is_earlier", "latest", "series", "series_candidates", "year_of"]

# Period words that place an undated value *before* the dated ones of its series.
EARLIER_WORDS = ("前", "原", "过去", "以前")
NOW_WORDS = ("目前", "当前")


def is_earlier(period_text: Any) -> bool:
    """Whether an undated period says "earlier" (几年前, 原, 过去, 以前).

    Examples
    --------
    >>> is_earlier("几年前"), is_earlier("目前"), is_earlier(None)
    (True, False, False)
    """
    if pd.isna(period_text):
        return False
    text = str(period_text)
    for now in NOW_WORDS:  # 目前 "now" ends in 前 but is the present
        text = text.replace(now, "")
    return any(word in text for word in EARLIER_WORDS)


def latest(group: pd.DataFrame) -> pd.DataFrame:
    """The most recent row (a one-row frame): by period end (or start); undated rows count as
    current, except those whose period says "earlier", which count as oldest.

    Examples
    --------
    >>> rows = pd.DataFrame({"period_end": ["2019-12-31", None], "period_start": [None, None],
    ...                      "period_text": ["2019年", "几年前"], "record_id": ["A-1", "A-2"]})
    >>> latest(rows)["record_id"].tolist()
    ['A-1']
    """
    dated = group["period_end"].fillna(group["period_start"])
    undated = group["period_text"].map(lambda text: "0000" if is_earlier(text) else "9999")
    key = dated.fillna(undated)
    return group.assign(_key=key).sort_values(["_key", "record_id"]).tail(1).drop(columns="_key")


def year_of(row: pd.Series) -> int | None:
    """The single calendar year of a fact's period, or ``None``.

    A target "by the end of 2021" (period with an end only) belongs to its end year.

    Examples
    --------
    >>> year_of(pd.Series({"period_start": "2018-01-01", "period_end": "2018-12-31", "is_target": False}))
    2018
    >>> year_of(pd.Series({"period_start": None, "period_end": "2021-12-31", "is_target": True}))
    2021
    """
    start, end = row.get("period_start"), row.get("period_end")
    start = None if pd.isna(start) else str(start)
    end = None if pd.isna(end) else str(end)
    if start and end and start[:4] == end[:4]:
        return int(start[:4])
    if end and not start and bool(row.get("is_target")):
        return int(end[:4])
    return None


def series(
    indicators: pd.DataFrame,
    indicator_id: str,
    case: str | None = None,
    admin_code: str | None = None,
    achieved_only: bool = False,
    cases: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A within-case series of one indicator, ordered in time, each value with its quote.

    ``year`` is the single calendar year of the period (NA when the text gives none); ``position``
    orders undated values before the dated ones when their period says "earlier" and after them
    otherwise; ``label`` is the year, or the period as written. Only facts local to their case
    count (``cases`` gives each case's level; see :func:`~kexie_research.analysis.scopes.local_facts`).

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a"] * 2, "indicator_id": ["x"] * 2, "scope_level": ["city"] * 2,
    ...     "admin_code": ["1"] * 2, "period_text": ["目前", "2018年"], "period_start": [None, "2018-01-01"],
    ...     "period_end": [None, "2018-12-31"], "is_target": [False] * 2, "value": [3.0, 2.0], "record_id": ["A-1", "A-2"]})
    >>> series(facts, "x", case="a")["label"].tolist()
    ['2018', '目前 (year not stated)']
    """
    require_columns(
        indicators,
        ("indicator_id", "period_text", "period_start", "period_end", "is_target", "value", "case"),
        "series",
    )
    frame = indicators[indicators["indicator_id"] == indicator_id]
    if case is not None:
        frame = frame[frame["case"] == case]
    if admin_code is not None:
        frame = frame[frame["admin_code"] == admin_code]
    if achieved_only:
        frame = frame[~frame["is_target"].astype(bool)]
    if "scope_level" in frame.columns:
        frame = local_facts(frame, cases)
    if frame.empty:
        return frame.assign(
            year=pd.Series(dtype="Int64"), label=pd.Series(dtype="str"), position=pd.Series(dtype="float")
        )
    years = frame.apply(year_of, axis=1)
    frame = frame.assign(year=pd.array(years.tolist(), dtype="Int64"))

    def position(row: pd.Series) -> float:
        if not pd.isna(row["year"]):
            return float(row["year"])
        return -math.inf if is_earlier(row["period_text"]) else math.inf

    frame = frame.assign(position=frame.apply(position, axis=1))
    frame = frame.assign(
        label=[
            (f"{int(y)}" + (" 目标 target" if t else ""))
            if not pd.isna(y)
            else (f"{p} (year not stated)" if not pd.isna(p) else "未注明 not stated")
            for y, p, t in zip(frame["year"], frame["period_text"], frame["is_target"].astype(bool))
        ]
    )
    # A stable order: by position, then record id (several "earlier" values keep their coding order).
    return frame.sort_values(["position", "record_id"]).reset_index(drop=True)


def fit_plan(dated: pd.DataFrame, min_years: int = 3) -> tuple[bool, str]:
    """Whether a series can be fitted over time, and if not, why (to be said on the page).

    A fit needs ``min_years`` distinct years and one value per year: several values of one indicator
    in one year (different items, or a repeated figure) are listed, never fitted or drawn as a series.

    Examples
    --------
    >>> fit_plan(pd.DataFrame({"year": [2018, 2019, 2020]}))
    (True, '')
    >>> fit_plan(pd.DataFrame({"year": [2023, 2023, 2023]}))
    (False, 'several values in 2023: listed, not fitted')
    >>> fit_plan(pd.DataFrame({"year": [2019, 2020]}))
    (False, '2 distinct year(s); a fit needs 3')
    >>> fit_plan(pd.DataFrame({"year": [2018, 2019, 2020], "value": [1.0, 0.0, 2.0]}))[0]
    False
    """
    require_columns(dated, ("year",), "fit_plan")
    years = pd.Series(dated["year"]).dropna().astype(int)
    repeated = sorted(int(year) for year, count in years.value_counts().items() if count > 1)
    if repeated:
        return False, f"several values in {', '.join(map(str, repeated))}: listed, not fitted"
    if years.nunique() < min_years:
        return False, f"{years.nunique()} distinct year(s); a fit needs {min_years}"
    if "value" in dated.columns:
        values = pd.to_numeric(dated.loc[dated["year"].notna(), "value"], errors="coerce")
        if values.isna().any() or (values <= 0).any():
            return (
                False,
                "a value is zero, negative or missing: a log-linear fit needs positive values; listed, not fitted",
            )
    return True, ""


def series_candidates(
    indicators: pd.DataFrame, case: str, min_points: int = 2, cases: pd.DataFrame | None = None
) -> list[str]:
    """Indicators of a case with at least ``min_points`` values of one place, in at least two distinct years.

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a", "a"], "indicator_id": ["x", "x"], "scope_level": ["city"] * 2,
    ...     "admin_code": ["1", "1"], "period_text": ["2018年", "2019年"], "period_start": ["2018-01-01", "2019-01-01"],
    ...     "period_end": ["2018-12-31", "2019-12-31"], "is_target": [False, False], "value": [1.0, 2.0],
    ...     "record_id": ["A-1", "A-2"]})
    >>> series_candidates(facts, "a")
    ['x']
    """
    out = []
    for indicator_id in sorted(set(indicators.loc[indicators["case"] == case, "indicator_id"])):
        s = series(indicators, indicator_id, case=case, cases=cases)
        if len(s) >= min_points and s["year"].dropna().nunique() >= 2 and s["admin_code"].nunique() == 1:
            out.append(indicator_id)
    return out
