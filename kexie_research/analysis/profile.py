"""One case: its facts by reform dimension, its targets beside its reported values, and the
breakdowns of an indicator over the case's county-level units.

Every table keeps ``record_id`` and ``quote`` so that each number can be checked against its
source sentence.

Example::

    >>> import pandas as pd
    >>> facts = pd.DataFrame({"case": ["a", "a"], "indicator_id": ["x", "x"], "admin_code": ["1", "1"],
    ...     "is_target": [False, True], "value": [3.0, 5.0], "raw_text": ["3个", "5个"], "record_id": ["A-1", "A-2"],
    ...     "indicator_zh": ["甲", "甲"], "indicator_en": ["X", "X"], "scope_zh": ["某市", "某市"], "unit": ["item", "item"],
    ...     "period_text": ["2019年", "到2021年"], "period_start": ["2019-01-01", None], "period_end": ["2019-12-31", "2021-12-31"],
    ...     "quote": ["有3个", "达到5个"]})
    >>> targets_vs_achievements(facts)[["target", "reported", "gap"]].values.tolist()
    [['5个', '3个', 2.0]]
"""

from __future__ import annotations

import pandas as pd

from kexie_research.analysis.checks import AnalysisError, require_columns
from kexie_research.analysis.qualifiers import QUALIFIER_SIGNS
from kexie_research.analysis.series import latest

__all__ = ["breakdown_candidates", "case_facts", "county_breakdown", "targets_vs_achievements"]


def _dimension_order(indicators: pd.DataFrame, dimensions: pd.DataFrame | None) -> list[str]:
    order = list(dimensions.index) if dimensions is not None else []
    return order + sorted(set(indicators["dimension"]) - set(order))


def case_facts(indicators: pd.DataFrame, case: str, dimensions: pd.DataFrame | None = None) -> pd.DataFrame:
    """All facts of one case, ordered by reform dimension, each with its record id and quote.

    ``dimensions`` is ``load_codebook().dimensions`` (for order and bilingual labels).

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a"], "dimension": ["funding"], "indicator_zh": ["经费"], "indicator_en": ["Funding"],
    ...     "indicator_id": ["f"], "record_id": ["A-1"], "quote": ["q"], "is_target": [False], "scope_zh": ["某市"],
    ...     "period_text": [None], "raw_text": ["1万元"], "value": [1e4], "unit": ["CNY"]})
    >>> case_facts(facts, "a")["status"].tolist()
    ['实绩 achieved']
    >>> case_facts(facts, "b")
    Traceback (most recent call last):
    ...
    kexie_research.errors.AnalysisError: no facts for case 'b'; cases with facts: a
    """
    require_columns(
        indicators, ("case", "dimension", "indicator_zh", "indicator_en", "record_id", "quote"), "case_facts"
    )
    if case not in set(indicators["case"]):
        raise AnalysisError(
            f"no facts for case {case!r}; cases with facts: {', '.join(sorted(set(indicators['case'])))}"
        )
    facts = indicators[indicators["case"] == case].copy()
    order = _dimension_order(facts, dimensions)
    facts["dimension"] = pd.Categorical(facts["dimension"], categories=order, ordered=True)
    labels = {key: f"{row.zh} {row.en}" for key, row in dimensions.iterrows()} if dimensions is not None else {}
    facts["dimension_label"] = facts["dimension"].astype(str).map(lambda d: labels.get(d, d))
    facts["indicator"] = facts["indicator_zh"] + " " + facts["indicator_en"]
    facts["status"] = facts["is_target"].map({True: "目标 target", False: "实绩 achieved"})
    # within an indicator, coding order (= the order of the text: 几年前 … 2018 … 到2021年底)
    facts = facts.sort_values(["dimension", "indicator_id", "record_id"])
    columns = [
        "dimension",
        "dimension_label",
        "indicator_id",
        "indicator",
        "scope_zh",
        "period_text",
        "raw_text",
        "value",
        "unit",
        "status",
        "record_id",
        "quote",
    ]
    return facts[columns].reset_index(drop=True)


def targets_vs_achievements(indicators: pd.DataFrame, case: str | None = None) -> pd.DataFrame:
    """Each target beside the reported values of the same indicator and place.

    Pairs on (case, indicator, admin_code). ``gap`` is the target minus the latest reported value
    where both exist (same unit); it says how far the plan reaches, not whether it was met.

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a"], "indicator_id": ["x"], "admin_code": ["1"], "is_target": [True],
    ...     "value": [5.0], "raw_text": ["5个"], "record_id": ["A-1"], "indicator_zh": ["甲"], "indicator_en": ["X"],
    ...     "scope_zh": ["某市"], "unit": ["item"], "period_text": ["到2021年"], "quote": ["达到5个"]})
    >>> targets_vs_achievements(facts)[["target", "reported", "gap"]].values.tolist()
    [['5个', None, None]]
    """
    require_columns(
        indicators,
        ("case", "indicator_id", "admin_code", "is_target", "value", "raw_text", "record_id"),
        "targets_vs_achievements",
    )
    frame = indicators if case is None else indicators[indicators["case"] == case]
    records = []
    for (key, indicator_id, _code), group in frame.groupby(["case", "indicator_id", "admin_code"], sort=True):
        targets = group[group["is_target"].astype(bool)]
        if targets.empty:
            continue
        achieved = group[~group["is_target"].astype(bool)]
        last = latest(achieved).iloc[0] if not achieved.empty else None
        for target in targets.itertuples():
            records.append(
                {
                    "case": key,
                    "indicator_id": indicator_id,
                    "indicator": f"{target.indicator_zh} {target.indicator_en}",
                    "scope_zh": target.scope_zh,
                    "target": target.raw_text,
                    "target_period": target.period_text,
                    "target_record": target.record_id,
                    "reported": None if last is None else last["raw_text"],
                    "reported_period": None if last is None else last["period_text"],
                    "reported_records": ", ".join(achieved["record_id"]) or None,
                    "gap": (float(target.value) - float(last["value"]))
                    if last is not None and last["unit"] == target.unit
                    else None,
                    "unit": target.unit,
                    "target_quote": target.quote,
                    "reported_quote": None if last is None else last["quote"],
                }
            )
    columns = [
        "case",
        "indicator_id",
        "indicator",
        "scope_zh",
        "target",
        "target_period",
        "target_record",
        "reported",
        "reported_period",
        "reported_records",
        "gap",
        "unit",
        "target_quote",
        "reported_quote",
    ]
    return pd.DataFrame(records, columns=columns)


def county_breakdown(
    indicators: pd.DataFrame, case: str, indicator_id: str, period_text: str | None = None
) -> pd.DataFrame:
    """The values of one indicator for the case and its county-level units in one period.

    Rows are the case's own value and each county scope (including "other counties" groups, whose
    ``qualifier`` says ``at_most``/``at_least``); sorted by value, largest first. ``bound`` is the
    qualifier's sign (≤, ≥, ≈). Without ``period_text`` the most frequent period is used.

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a"] * 2, "indicator_id": ["x"] * 2, "scope_level": ["county"] * 2,
    ...     "period_text": ["2020年"] * 2, "value": [1.0, 3.0], "is_target": [False] * 2, "qualifier": ["exact", "at_most"]})
    >>> county_breakdown(facts, "a", "x")[["value", "bound"]].values.tolist()
    [[3.0, '≤'], [1.0, '']]
    """
    require_columns(indicators, ("case", "indicator_id", "scope_level", "period_text", "value"), "county_breakdown")
    frame = indicators[
        (indicators["case"] == case)
        & (indicators["indicator_id"] == indicator_id)
        & indicators["scope_level"].isin(("city", "county"))
        & ~indicators["is_target"].astype(bool)
    ]
    if period_text is None and not frame.empty:
        period_text = frame["period_text"].mode(dropna=True).iloc[0] if frame["period_text"].notna().any() else None
    if period_text is not None:
        frame = frame[frame["period_text"] == period_text]
    frame = frame.assign(bound=frame["qualifier"].map(QUALIFIER_SIGNS).fillna(""))
    return frame.sort_values("value", ascending=False).reset_index(drop=True)


def breakdown_candidates(indicators: pd.DataFrame, case: str) -> list[str]:
    """Indicators of a case with values for at least two different county-level units in one period.

    (A district case has no county-level units below it: two rows about the district itself are not
    a breakdown.)

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a"] * 2, "indicator_id": ["x"] * 2, "scope_level": ["county"] * 2,
    ...     "period_text": ["2020年"] * 2, "admin_code": ["1", "2"], "is_target": [False] * 2})
    >>> breakdown_candidates(facts, "a")
    ['x']
    """
    frame = indicators[
        (indicators["case"] == case) & (indicators["scope_level"] == "county") & ~indicators["is_target"].astype(bool)
    ]
    units = frame.groupby(["indicator_id", frame["period_text"].fillna("")])["admin_code"].nunique()
    return sorted({indicator_id for (indicator_id, _), n in units.items() if n >= 2})
