"""Cross-case tables: coverage, provenance, quarantine, comparability, harmonised indicators side
by side, and the reform models by aspect.

Every function takes plain DataFrames (the indicators of :func:`kexie_research.data.load_indicators`,
the cases of :func:`kexie_research.data.load_cases` …) and returns a DataFrame, so that the
notebooks stay thin and every step is tested. Tables meant for readers keep ``record_id`` and
``quote``: each number can be checked against its source sentence. The cases and their order come
from the data (the ``case`` column, or the cases table), never from this module.

A handful of cases is a small n: nothing here pools the cases into a regression (see
:mod:`kexie_research.analysis.stats` for the few tests that a small n allows).

Example::

    >>> import pandas as pd
    >>> facts = pd.DataFrame({"case": ["a", "a", "b"], "dimension": ["funding", "staffing", "funding"]})
    >>> coverage_matrix(facts, ["funding", "staffing", "outreach"]).to_dict("index")
    {'a': {'funding': 1, 'staffing': 1, 'outreach': 0}, 'b': {'funding': 1, 'staffing': 0, 'outreach': 0}}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from kexie_research.analysis.checks import require_columns
from kexie_research.analysis.rates import PER_10K, attach_population
from kexie_research.analysis.scopes import local_facts, own_case_facts
from kexie_research.analysis.series import latest
from kexie_research.analysis.timeline import case_starts
from kexie_research.parse.provenance import normalise_for_matching

__all__ = [
    "ASPECTS",
    "case_order",
    "comparability_matrix",
    "coverage_matrix",
    "cross_case_table",
    "harmonised_indicators",
    "provenance_summary",
    "quarantine_summary",
    "reform_model_facts",
    "reform_models_table",
]

# How the reform is compared side by side: aspects, each a set of codebook dimensions.
ASPECTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "organisation": ("组织建设", "Organisation", ("organisation_building",)),
    "staffing": ("编制与班子", "Staffing", ("staffing_leadership",)),
    "funding": ("经费保障", "Funding", ("funding",)),
    "party_leadership": ("党的领导", "Party leadership", ("party_building", "governance_representation")),
    "outreach": (
        "科普与服务",
        "Outreach",
        (
            "science_popularisation",
            "youth_science_education",
            "digital_platforms",
            "rural_revitalisation",
            "serving_st_workers",
            "innovation_enterprise",
            "decision_consulting",
            "government_function_transfer",
        ),
    ),
}


def case_order(indicators: pd.DataFrame, cases: Sequence[str] | pd.DataFrame | None = None) -> list[str]:
    """The cases to show, in order: the given keys (or the ``case`` column of a cases table), else
    the cases of ``indicators`` in order of appearance.

    Examples
    --------
    >>> case_order(pd.DataFrame({"case": ["b", "a", "b"]}))
    ['b', 'a']
    >>> case_order(pd.DataFrame({"case": ["b"]}), pd.DataFrame({"case": ["a", "b", "c"]}))
    ['a', 'b', 'c']
    """
    if cases is None:
        return list(dict.fromkeys(indicators["case"]))
    if isinstance(cases, pd.DataFrame):
        return [str(case) for case in cases["case"]]
    return list(cases)


def coverage_matrix(
    indicators: pd.DataFrame,
    dimensions: Sequence[str] | None = None,
    cases: Sequence[str] | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Number of coded facts per case (rows) and reform dimension (columns), zeros included.

    ``dimensions`` fixes the column order; dimensions without a fact anywhere still appear as a
    column of zeros, and cases without a fact as a row of zeros: that is the point of a coverage
    table.

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a"], "dimension": ["funding"]})
    >>> coverage_matrix(facts, ["funding"], ["a", "new"]).loc["new", "funding"]
    np.int64(0)
    """
    require_columns(indicators, ("case", "dimension"), "coverage_matrix")
    table = pd.crosstab(indicators["case"], indicators["dimension"])
    columns = list(dimensions) if dimensions is not None else sorted(table.columns)
    extra = [column for column in table.columns if column not in columns]
    rows = case_order(indicators, cases)
    table = table.reindex(index=rows, columns=columns + extra, fill_value=0).fillna(0).astype(int)
    table.index.name = "case"
    table.columns.name = "dimension"
    return table


def provenance_summary(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per source: rows, rows with a quote, quotes located in the document, values found in quotes.

    ``quote_in_document`` counts the rows whose quote the build located in its document
    (``quote_offset`` ≥ 0): quotes are checked once, by ``kexie build``, not again here.

    Examples
    --------
    >>> facts = pd.DataFrame({"source_id": ["s", "s"], "case": ["a", "a"], "quote": ["有3个", "有4个"],
    ...     "raw_text": ["3个", "5个"], "is_target": [False, True], "quote_offset": [10, 20]})
    >>> provenance_summary(facts).iloc[0].to_dict()                          # doctest: +NORMALIZE_WHITESPACE
    {'source_id': 's', 'case': 'a', 'rows': 2, 'with_quote': 2, 'quote_in_document': 2, 'value_in_quote': 1,
     'targets': 1, 'achieved': 1}
    """
    require_columns(indicators, ("source_id", "case", "quote", "raw_text", "is_target"), "provenance_summary")
    records = []
    for source_id, group in indicators.groupby("source_id", sort=False):
        quotes = group["quote"].fillna("").astype(str)
        located = (
            pd.to_numeric(group["quote_offset"], errors="coerce").ge(0)
            if "quote_offset" in group
            else quotes.str.len() > 0
        )
        raw_in_quote = [
            normalise_for_matching(str(raw)) in normalise_for_matching(quote)
            for raw, quote in zip(group["raw_text"], quotes)
        ]
        records.append(
            {
                "source_id": source_id,
                "case": group["case"].iloc[0],
                "rows": len(group),
                "with_quote": int((quotes.str.len() > 0).sum()),
                "quote_in_document": int(located.sum()),
                "value_in_quote": int(sum(raw_in_quote)),
                "targets": int(group["is_target"].astype(bool).sum()),
                "achieved": int((~group["is_target"].astype(bool)).sum()),
            }
        )
    columns = ["source_id", "case", "rows", "with_quote", "quote_in_document", "value_in_quote", "targets", "achieved"]
    return pd.DataFrame(records, columns=columns)


def quarantine_summary(quarantine: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows per source with the check that failed (the part of ``reason`` after the row).

    Examples
    --------
    >>> q = pd.DataFrame({"source_id": ["s", "s"], "record_id": ["A-1", "A-2"],
    ...     "reason": ["sheet.csv row 2: quote not found: …", "sheet.csv row 3: quote not found: …"]})
    >>> quarantine_summary(q).values.tolist()
    [['s', 'quote not found', 2, 'A-1, A-2']]
    """
    require_columns(quarantine, ("source_id", "record_id", "reason"), "quarantine_summary")
    if quarantine.empty:
        return pd.DataFrame(
            {
                "source_id": pd.Series(dtype="str"),
                "check": pd.Series(dtype="str"),
                "rows": pd.Series(dtype="int64"),
                "records": pd.Series(dtype="str"),
            }
        )
    check = quarantine["reason"].astype(str).str.replace(r"^.*? row \d+: ", "", regex=True).str.split(":").str[0]
    frame = quarantine.assign(check=check)
    return (
        frame.groupby(["source_id", "check"], sort=True)
        .agg(rows=("record_id", "size"), records=("record_id", lambda ids: ", ".join(map(str, ids))))
        .reset_index()
    )


def harmonised_indicators(
    indicators: pd.DataFrame,
    min_cases: int = 2,
    exclude_dimensions: Iterable[str] = ("context",),
    cases: pd.DataFrame | None = None,
) -> list[str]:
    """Indicator ids coded for at least ``min_cases`` different cases (local facts only).

    Examples
    --------
    >>> facts = pd.DataFrame({"indicator_id": ["x", "x", "y"], "case": ["a", "b", "a"],
    ...     "scope_level": ["city", "county", "city"], "dimension": ["funding"] * 3})
    >>> harmonised_indicators(facts)
    ['x']
    """
    require_columns(indicators, ("indicator_id", "case", "scope_level", "dimension"), "harmonised_indicators")
    local = local_facts(indicators, cases)
    local = local[~local["dimension"].isin(list(exclude_dimensions))]
    per_indicator = local.groupby("indicator_id")["case"].nunique()
    return sorted(per_indicator[per_indicator >= min_cases].index)


def comparability_matrix(
    indicators: pd.DataFrame,
    min_cases: int = 2,
    cases: Sequence[str] | pd.DataFrame | None = None,
    exclude_dimensions: Iterable[str] = ("context",),
) -> pd.DataFrame:
    """Which harmonised indicators exist for which cases, with the number of coded rows (n).

    Only local facts count (national and provincial context figures are not about the case). An
    indicator is listed when at least ``min_cases`` cases have it; ``cases`` (column) says how many do.

    Examples
    --------
    >>> facts = pd.DataFrame({"indicator_id": ["x", "x", "x"], "case": ["a", "b", "b"],
    ...     "scope_level": ["city"] * 3, "dimension": ["funding"] * 3, "indicator_zh": ["甲"] * 3,
    ...     "indicator_en": ["X"] * 3, "unit": ["item"] * 3})
    >>> comparability_matrix(facts, cases=["a", "b", "c"])[["a", "b", "c", "cases"]].values.tolist()
    [[1, 2, 0, 2]]
    """
    frame = cases if isinstance(cases, pd.DataFrame) else None
    ids = harmonised_indicators(indicators, min_cases=min_cases, exclude_dimensions=exclude_dimensions, cases=frame)
    local = local_facts(indicators, frame)
    local = local[local["indicator_id"].isin(ids)]
    rows = case_order(indicators, cases)
    counts = pd.crosstab(local["indicator_id"], local["case"]).reindex(index=ids, columns=rows, fill_value=0)
    labels = indicators.drop_duplicates("indicator_id").set_index("indicator_id")[
        ["indicator_zh", "indicator_en", "unit", "dimension"]
    ]
    result = labels.reindex(ids).join(counts.astype(int))
    result["cases"] = (counts > 0).sum(axis=1).astype(int)
    result.index.name = "indicator_id"
    return result


def cross_case_table(
    indicators: pd.DataFrame,
    places: pd.DataFrame,
    cases: pd.DataFrame,
    indicator_ids: Sequence[str] | None = None,
    min_cases: int = 2,
    per: int = PER_10K,
) -> pd.DataFrame:
    """Harmonised indicators, one row per (indicator, case): value as written, value, per 10,000.

    Only reported facts (not targets) about the case as a whole; where a case has several (a
    series), the latest is shown and ``rows`` says how many there were. ``population_2020`` is
    empty where the place has no population ("population not available").

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a", "b"], "admin_code": ["1", "2"], "scope_level": ["city", "city"],
    ...     "is_target": [False, False], "indicator_id": ["x", "x"], "indicator_zh": ["甲", "甲"],
    ...     "indicator_en": ["X", "X"], "unit": ["item", "item"], "case_zh": ["甲市", "乙市"], "place_zh": ["甲市", "乙市"],
    ...     "raw_text": ["3个", "4个"], "value": [3.0, 4.0], "qualifier": ["exact", "exact"], "period_text": [None, None],
    ...     "period_start": [None, None], "period_end": [None, None], "record_id": ["A-1", "B-1"], "quote": ["q", "q"],
    ...     "dimension": ["funding"] * 2})
    >>> cases = pd.DataFrame({"case": ["a", "b"], "admin_code": ["1", "2"], "level": ["prefecture", "prefecture"]})
    >>> places = pd.DataFrame({"admin_code": ["1", "2"], "population_2020": pd.array([10000, None], dtype="Int64"),
    ...     "source_population": ["u", ""]})
    >>> cross_case_table(facts, places, cases)[["case", "per_10k"]].round(3).values.tolist()
    [['a', 3.0], ['b', <NA>]]
    """
    facts = own_case_facts(indicators, cases)
    facts = facts[~facts["is_target"].astype(bool)]
    ids = (
        list(indicator_ids)
        if indicator_ids is not None
        else harmonised_indicators(facts, min_cases=min_cases, cases=cases)
    )
    facts = facts[facts["indicator_id"].isin(ids)]
    columns = [
        "indicator_id",
        "indicator_zh",
        "indicator_en",
        "unit",
        "case",
        "case_zh",
        "place_zh",
        "raw_text",
        "value",
        "qualifier",
        "period_text",
        "population_2020",
        "population_source",
        "per_10k",
        "rows",
        "record_id",
        "quote",
    ]
    if facts.empty:
        return attach_population(facts.assign(rows=pd.Series(dtype="int64")), places, per=per).reindex(columns=columns)
    counts = facts.groupby(["indicator_id", "case"]).size().rename("rows")
    rank = {case: number for number, case in enumerate(cases["case"])}
    last = pd.concat([latest(group) for _, group in facts.groupby(["indicator_id", "case"], sort=True)])
    last = last.join(counts, on=["indicator_id", "case"])
    last = last.assign(_rank=last["case"].map(rank)).sort_values(["indicator_id", "_rank"]).drop(columns="_rank")
    table = attach_population(last, places, per=per)
    return table.reindex(columns=columns).reset_index(drop=True)


def reform_model_facts(
    indicators: pd.DataFrame,
    cases: Sequence[str] | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Local facts assigned to the comparison aspects (organisation … outreach), with quotes.

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a"], "dimension": ["funding"], "scope_level": ["city"], "record_id": ["A-1"],
    ...     "quote": ["q"], "is_target": [False]})
    >>> reform_model_facts(facts)["aspect"].astype(str).tolist()
    ['funding']
    """
    require_columns(indicators, ("case", "dimension", "scope_level", "record_id", "quote"), "reform_model_facts")
    aspect_of = {dimension: aspect for aspect, (_, _, dims) in ASPECTS.items() for dimension in dims}
    frame = local_facts(indicators, cases if isinstance(cases, pd.DataFrame) else None).copy()
    if cases is not None:
        frame = frame[frame["case"].isin(case_order(indicators, cases))]
    frame["aspect"] = frame["dimension"].map(aspect_of)
    frame = frame[frame["aspect"].notna()]
    frame["aspect"] = pd.Categorical(frame["aspect"], categories=list(ASPECTS), ordered=True)
    # Reported facts before targets, the case as a whole before its parts, then coding order.
    frame["_target"] = frame["is_target"].astype(bool)
    frame["_level"] = frame["scope_level"].map(
        {"province": 0, "city": 1, "county": 2, "township": 3, "organisation": 4}
    )
    frame = frame.sort_values(["aspect", "case", "_target", "_level", "record_id"]).drop(columns=["_target", "_level"])
    columns = [
        "aspect",
        "case",
        "case_zh",
        "record_id",
        "indicator_id",
        "indicator_zh",
        "indicator_en",
        "scope_zh",
        "raw_text",
        "period_text",
        "is_target",
        "quote",
    ]
    return frame[[c for c in columns if c in frame.columns]].reset_index(drop=True)


def _cell_items(cell: pd.DataFrame, max_items: int) -> str:
    """``indicator: v1, v2 [id1, id2]`` per indicator (a series stays one item), scope shown when it is
    not the case itself."""
    items = []
    for (_, is_target, scope), group in cell.groupby(["indicator_id", "is_target", "scope_zh"], sort=False):
        own = {str(group["case_zh"].iloc[0]), f"{group['case_zh'].iloc[0]}科协"} if "case_zh" in group else set()
        where = f" ({scope})" if scope not in own else ""
        values = ", ".join(map(str, group["raw_text"]))
        target = " (target 目标)" if is_target else ""
        items.append(f"{group['indicator_en'].iloc[0]}{where}: {values}{target} [{', '.join(group['record_id'])}]")
    shown = items[:max_items]
    if len(items) > max_items:
        shown.append(f"+{len(items) - max_items} more")
    return "; ".join(shown) if shown else "—"


def reform_models_table(
    indicators: pd.DataFrame,
    timeline: pd.DataFrame | None = None,
    cases: Sequence[str] | pd.DataFrame | None = None,
    max_items: int = 4,
) -> pd.DataFrame:
    """The reform models side by side: one column per case, one row per aspect.

    Each cell lists up to ``max_items`` indicators as ``indicator (scope): values as written
    [record ids]`` (targets marked; a series stays one item), then how many more there are. "—"
    means the document codes no fact for that aspect: absence in the text, not absence of the
    activity. With ``timeline``, a first row names each case's model and its first dated step (or
    what the text says instead of a date), citing the event id.

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a"], "case_zh": ["甲市"], "dimension": ["funding"], "scope_level": ["city"],
    ...     "record_id": ["A-1"], "quote": ["q"], "is_target": [False], "indicator_id": ["x"], "indicator_en": ["Budget"],
    ...     "scope_zh": ["甲市"], "raw_text": ["5万元"]})
    >>> reform_models_table(facts, cases=["a", "b"]).loc["经费保障 Funding"].tolist()
    ['Budget: 5万元 [A-1]', '—']
    """
    facts = reform_model_facts(indicators, cases)
    keys = case_order(indicators, cases)
    table: dict[str, dict[str, str]] = {}
    if timeline is not None:
        table["model"] = case_starts(timeline, keys)
    for aspect in ASPECTS:
        table[aspect] = {
            case: _cell_items(facts[(facts["aspect"] == aspect) & (facts["case"] == case)], max_items) for case in keys
        }
    result = pd.DataFrame.from_dict(table, orient="index").reindex(columns=keys)
    labels = {
        "model": "模式与起点 Model and start",
        **{aspect: f"{zh} {en}" for aspect, (zh, en, _) in ASPECTS.items()},
    }
    result.index = [labels[key] for key in result.index]
    return result
