"""Comparison helpers for the notebooks: coverage, comparability, rates, series, timeline, small-n tests.

Every function takes plain DataFrames (the processed indicator table of
:func:`kexie_research.load_indicators`, the places of :func:`kexie_research.load_places` …) and
returns a DataFrame or a small dataclass, so that the notebooks stay thin and every step is tested.
Tables meant for readers keep ``record_id`` and ``quote``: each number can be checked against its
source sentence.

Five cases are a small n. Nothing here pools the five places into a regression; the statistics are
a log-linear growth fit *within* one place's series (with its confidence interval and the caveat of
3–4 points) and exact tests on counts.

Example::

    >>> import kexie_research as kr
    >>> from kexie_research import analysis
    >>> facts = kr.load_indicators()
    >>> analysis.coverage_matrix(facts).loc["wuzhou", "funding"]          # doctest: +SKIP
    5
    >>> s = analysis.series(facts, "party_committee_kexie_hearings", city="wuzhou", achieved_only=True)
    >>> analysis.log_linear_growth(s["year"], s["value"]).n             # doctest: +SKIP
    4
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kexie_research.errors import KexieError, ProvenanceError
from kexie_research.parse.provenance import locate_quote, normalise_for_matching

PER_10K = 10_000

# Units for which "per 10,000 residents" is a meaningful rate. Shares, percentages, per-capita money,
# durations and areas are already normalised or are not counts of anything residents "have".
RATE_UNITS = frozenset({"organisation", "person", "event", "item", "household", "CNY"})

# Scope levels that are facts about the case itself or its parts (not national/provincial context).
LOCAL_SCOPE_LEVELS = ("city", "county", "township", "organisation")

# How the reform is compared side by side: five aspects, each a set of codebook dimensions.
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

# Column headers of reader-facing tables: "中文 English".
HEADERS = {
    "city": "地方 Place",
    "city_zh": "地方 Place",
    "dimension": "维度 Dimension",
    "dimension_label": "维度 Dimension",
    "indicator_id": "指标代码 Indicator id",
    "indicator": "指标 Indicator",
    "indicator_zh": "指标 Indicator (zh)",
    "indicator_en": "指标 Indicator (en)",
    "scope_zh": "范围 Scope",
    "scope_level": "层级 Level",
    "period_text": "时期 Period",
    "period": "时期 Period",
    "raw_text": "原文数值 Value as written",
    "value": "数值 Value",
    "unit": "单位 Unit",
    "qualifier": "限定 Qualifier",
    "status": "类型 Status",
    "record_id": "记录 Record",
    "quote": "原文 Quote",
    "note": "备注 Note",
    "population_2020": "常住人口2020 Population 2020",
    "population_source": "人口来源 Population source",
    "per_10k": "每万人 Per 10,000 residents",
    "rows": "行数 Rows",
    "n": "n",
    "target": "目标 Target",
    "target_period": "目标时期 Target period",
    "target_record": "目标记录 Target record",
    "reported": "实绩 Reported",
    "reported_period": "实绩时期 Reported period",
    "reported_records": "实绩记录 Reported records",
    "gap": "差距 Gap",
    "target_quote": "目标原文 Target quote",
    "reported_quote": "实绩原文 Reported quote",
    "aspect": "方面 Aspect",
    "is_target": "目标 Target",
    "label": "位置 Position",
    "bound": "界 Bound",
    "when": "日期 Date",
    "event_id": "编号 Event id",
    "event_zh": "事件 Event",
    "event_en": "Event (en)",
    "model_zh": "模式 Model",
    "not_before": "不早于 Not before",
    "source_id": "来源 Source",
    "place": "地方 Place",
}

QUALIFIER_WORDS = {"approx": "approximate", "at_least": "a lower bound", "at_most": "an upper bound", "range": "a range (lower end)"}
QUALIFIER_SIGNS = {"exact": "", "approx": "≈", "at_least": "≥", "at_most": "≤", "range": ""}

TIMELINE_COLUMNS = (
    "event_id", "city", "scope", "kind", "date", "date_precision", "date_text", "date_note", "not_before",
    "event_zh", "event_en", "model_zh", "model_en", "source_id", "quote", "note",
)
DATE_PRECISIONS = ("day", "month", "year", "none")
_DATE_FORMS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}", "none": r""}
TIMELINE_FILE = ("reference", "reform_timeline.csv")
# Event kinds that mark when a place's reform started (for the side-by-side table).
START_KINDS = ("plan_issued", "pilot_listing", "reform_launch", "meeting", "model")

# Period words that place an undated value *before* the dated ones of its series (几年前 "a few
# years ago", 原 "originally", 过去 "in the past", 以前 "before").
_EARLIER_WORDS = ("前", "原", "过去", "以前")


class AnalysisError(KexieError, ValueError):
    """An analysis helper got data it cannot use (names the column, row or value)."""


# ----------------------------------------------------------------------------------------------
# small utilities


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise AnalysisError(f"{what}: missing column(s) {', '.join(missing)}; got {', '.join(map(str, frame.columns))}")


def bilingual_headers(frame: pd.DataFrame, extra: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Rename known columns to their "中文 English" headers for display (unknown columns stay)."""
    mapping = {**HEADERS, **(extra or {})}
    return frame.rename(columns={column: mapping[column] for column in frame.columns if column in mapping})


def _cell_html(value: Any) -> str:
    import html

    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1e5 or value == int(value) else f"{value:,.4g}"
    if isinstance(value, int) or type(value).__name__.startswith(("int", "uint")):
        # thousands separators for counts and populations, not for years (2017)
        return f"{int(value):,}" if abs(int(value)) >= 10_000 else str(int(value))
    text = str(value)
    if text.startswith(("http://", "https://")):
        host = text.split("/")[2]
        return f'<a href="{html.escape(text, quote=True)}">{html.escape(host)}</a>'
    return html.escape(text)


def report_table(frame: pd.DataFrame, extra_headers: Mapping[str, str] | None = None, columns: Sequence[str] | None = None):
    """A reader-facing table: bilingual headers, no index, empty cells for NA, wrapped long text,
    URLs as links (``https://host/…`` shown as its host). Returns a pandas Styler for ``display``.
    """
    import hashlib

    shown = bilingual_headers((frame[list(columns)] if columns is not None else frame).reset_index(drop=True), extra_headers)
    # A stable table id (pandas draws a random one): the same data gives the same HTML.
    uid = hashlib.sha256(repr((list(shown.columns), len(shown))).encode()).hexdigest()[:8]
    styler = shown.style.format(_cell_html).hide(axis="index").set_uuid(uid)
    return styler.set_table_styles([
        {"selector": "td", "props": "text-align: left; vertical-align: top; max-width: 30em; white-space: normal;"},
        {"selector": "th", "props": "text-align: left; vertical-align: bottom;"},
    ])


def set_display_options(max_rows: int = 200) -> None:
    """Pandas display options for report tables: full quotes, no wrapping of the frame."""
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", max_rows)
    pd.set_option("display.width", 200)


def value_label(raw_text: str, qualifier: str | None = None) -> str:
    """The value as written, e.g. ``30多个``; kept verbatim so that a reader sees the source's wording."""
    return str(raw_text)


def format_number(value: float | None, qualifier: str | None = None, digits: int = 3) -> str:
    """``≥30``, ``≈20000``, ``0.418``: a harmonised value with the sign of its qualifier."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "—"
    sign = QUALIFIER_SIGNS.get(qualifier or "exact", "")
    text = f"{value:,.{digits}g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{sign}{text}"


def case_codes(sources: Sequence[Mapping[str, Any]] | None = None) -> dict[str, str]:
    """``{city: admin_code}`` of the five cases (from ``data/raw/sources.yaml`` by default)."""
    if sources is None:
        from kexie_research.steps.sources import load_sources

        sources = load_sources()
    return {str(entry["city"]): str(entry["admin_code"]) for entry in sources}


def _case_levels(places: pd.DataFrame, codes: Mapping[str, str]) -> dict[str, str]:
    """The ``scope_level`` a fact about the case itself carries: prefecture → city, district → county."""
    level_of = dict(zip(places["admin_code"], places["level"]))
    return {city: ("city" if level_of.get(code) == "prefecture" else "county") for city, code in codes.items()}


def own_place_facts(
    indicators: pd.DataFrame,
    places: pd.DataFrame,
    codes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Rows about the case's own place as a whole (梧州市, 荣昌区 …), not a part of it or a context.

    ``梧州市其他县（市、区）科协`` resolves to Wuzhou's code but is a county-level scope, so it is not a
    fact about Wuzhou as a whole and is left out.
    """
    _require(indicators, ("city", "admin_code", "scope_level"), "own_place_facts")
    codes = dict(codes) if codes is not None else case_codes()
    levels = _case_levels(places, codes)
    own_code = indicators["city"].map(codes)
    own_level = indicators["city"].map(levels)
    mask = (indicators["admin_code"] == own_code) & (indicators["scope_level"] == own_level)
    return indicators.loc[mask.fillna(False).astype(bool)]


# ----------------------------------------------------------------------------------------------
# overview: coverage, provenance, quarantine, comparability


def coverage_matrix(
    indicators: pd.DataFrame,
    dimensions: Sequence[str] | None = None,
    cities: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Number of coded facts per place (rows) and reform dimension (columns), zeros included.

    ``dimensions`` fixes the column order (e.g. ``codebook.dimensions.index``); dimensions that have
    no fact anywhere still appear as a column of zeros, which is the point of a coverage table.
    """
    _require(indicators, ("city", "dimension"), "coverage_matrix")
    table = pd.crosstab(indicators["city"], indicators["dimension"])
    columns = list(dimensions) if dimensions is not None else sorted(table.columns)
    extra = [column for column in table.columns if column not in columns]
    rows = list(cities) if cities is not None else list(dict.fromkeys(indicators["city"]))
    table = table.reindex(index=rows, columns=columns + extra, fill_value=0).fillna(0).astype(int)
    table.index.name = "city"
    table.columns.name = "dimension"
    return table


def provenance_summary(indicators: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per source: rows, rows with a quote, quotes found verbatim in the document, values found in quotes.

    The matching rule is the project's: line breaks are removed from the document (and the quote)
    before searching; nothing else is normalised.
    """
    _require(indicators, ("source_id", "city", "quote", "raw_text", "is_target"), "provenance_summary")
    texts: dict[str, str] = {}
    if documents is not None:
        _require(documents, ("source_id", "text"), "provenance_summary(documents)")
        texts = {row.source_id: normalise_for_matching(str(row.text)) for row in documents.itertuples()}
    records = []
    for source_id, group in indicators.groupby("source_id", sort=False):
        quotes = group["quote"].fillna("").astype(str)
        has_quote = quotes.str.len() > 0
        raw_in_quote = [normalise_for_matching(str(raw)) in normalise_for_matching(quote) for raw, quote in zip(group["raw_text"], quotes)]
        record = {
            "source_id": source_id,
            "city": group["city"].iloc[0],
            "rows": len(group),
            "with_quote": int(has_quote.sum()),
            "value_in_quote": int(sum(raw_in_quote)),
            "targets": int(group["is_target"].sum()),
            "achieved": int((~group["is_target"].astype(bool)).sum()),
        }
        if texts:
            text = texts.get(source_id, "")
            record["quote_in_document"] = int(sum(len(q) > 0 and normalise_for_matching(q) in text for q in quotes))
        records.append(record)
    return pd.DataFrame(records)


def quarantine_summary(quarantine: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows per source with the check that failed (the part of ``reason`` after the row)."""
    _require(quarantine, ("source_id", "record_id", "reason"), "quarantine_summary")
    if quarantine.empty:
        return pd.DataFrame({"source_id": pd.Series(dtype="str"), "check": pd.Series(dtype="str"), "rows": pd.Series(dtype="int64"), "records": pd.Series(dtype="str")})
    check = quarantine["reason"].astype(str).str.replace(r"^.*? row \d+: ", "", regex=True).str.split(":").str[0]
    frame = quarantine.assign(check=check)
    return (
        frame.groupby(["source_id", "check"], sort=True)
        .agg(rows=("record_id", "size"), records=("record_id", lambda ids: ", ".join(map(str, ids))))
        .reset_index()
    )


def harmonised_indicators(indicators: pd.DataFrame, min_places: int = 2, exclude_dimensions: Iterable[str] = ("context",)) -> list[str]:
    """Indicator ids coded for at least ``min_places`` different places (local scopes only)."""
    _require(indicators, ("indicator_id", "city", "scope_level", "dimension"), "harmonised_indicators")
    local = indicators[indicators["scope_level"].isin(LOCAL_SCOPE_LEVELS) & ~indicators["dimension"].isin(list(exclude_dimensions))]
    places_per = local.groupby("indicator_id")["city"].nunique()
    return sorted(places_per[places_per >= min_places].index)


def comparability_matrix(
    indicators: pd.DataFrame,
    min_places: int = 2,
    cities: Sequence[str] | None = None,
    exclude_dimensions: Iterable[str] = ("context",),
) -> pd.DataFrame:
    """Which harmonised indicators exist for which places, with the number of coded rows (n).

    Only local facts count (national and provincial context figures are not about the place). An
    indicator is listed when at least ``min_places`` places have it; ``places`` says how many do.
    """
    ids = harmonised_indicators(indicators, min_places=min_places, exclude_dimensions=exclude_dimensions)
    local = indicators[indicators["scope_level"].isin(LOCAL_SCOPE_LEVELS) & indicators["indicator_id"].isin(ids)]
    rows = list(cities) if cities is not None else list(dict.fromkeys(indicators["city"]))
    counts = pd.crosstab(local["indicator_id"], local["city"]).reindex(index=ids, columns=rows, fill_value=0)
    labels = indicators.drop_duplicates("indicator_id").set_index("indicator_id")[["indicator_zh", "indicator_en", "unit", "dimension"]]
    result = labels.reindex(ids).join(counts.astype(int))
    result["places"] = (counts > 0).sum(axis=1).astype(int)
    result.index.name = "indicator_id"
    return result


# ----------------------------------------------------------------------------------------------
# rates per 10,000 residents


def per_10k(value: Any, population: Any, per: int = PER_10K) -> Any:
    """``value`` per ``per`` residents; NA where the population is missing or zero.

    Works on scalars and on aligned Series::

        >>> round(per_10k(118, 2_820_977), 3)
        0.418
    """
    if isinstance(value, pd.Series) or isinstance(population, pd.Series):
        population = pd.to_numeric(pd.Series(population), errors="coerce").astype("Float64")
        population = population.where(population > 0)
        return pd.to_numeric(pd.Series(value), errors="coerce").astype("Float64") / population * per
    if population is None or population is pd.NA or (isinstance(population, float) and math.isnan(population)) or population <= 0:
        return pd.NA
    return float(value) / float(population) * per


def attach_population(indicators: pd.DataFrame, places: pd.DataFrame, per: int = PER_10K) -> pd.DataFrame:
    """Add ``population_2020``, ``population_source`` and ``per_10k`` (for count-like units only).

    Populations are the 7th-census resident counts of :func:`kexie_research.load_places`, joined on
    the fact's ``admin_code``; ``per_10k`` stays NA where the unit is not a count (percent, yuan per
    resident …) or the population is not verified.
    """
    _require(indicators, ("admin_code", "value", "unit"), "attach_population")
    _require(places, ("admin_code", "population_2020", "source_population"), "attach_population(places)")
    lookup = places.set_index("admin_code")[["population_2020", "source_population"]]
    merged = indicators.join(lookup, on="admin_code").rename(columns={"source_population": "population_source"})
    rates = per_10k(merged["value"].reset_index(drop=True), merged["population_2020"].reset_index(drop=True), per=per)
    rates.index = merged.index
    merged["per_10k"] = rates.where(merged["unit"].isin(RATE_UNITS))
    return merged


def _is_earlier(period_text: Any) -> bool:
    return not pd.isna(period_text) and any(word in str(period_text) for word in _EARLIER_WORDS)


def _latest(group: pd.DataFrame) -> pd.DataFrame:
    """The most recent row: by period end (or start); undated rows count as current ("目前"),
    except those whose period says "earlier" (几年前), which count as oldest."""
    dated = group["period_end"].fillna(group["period_start"])
    undated = group["period_text"].map(lambda text: "0000" if _is_earlier(text) else "9999")
    key = dated.fillna(undated)
    return group.assign(_key=key).sort_values(["_key", "record_id"]).tail(1).drop(columns="_key")


def cross_city_table(
    indicators: pd.DataFrame,
    places: pd.DataFrame,
    indicator_ids: Sequence[str] | None = None,
    min_places: int = 2,
    per: int = PER_10K,
    codes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Harmonised indicators, one row per (indicator, place): value as written, value, per 10,000.

    Only reported facts (not targets) about the place as a whole; where a place has several
    (a series), the latest is shown and ``rows`` says how many there were.
    """
    facts = own_place_facts(indicators, places, codes)
    facts = facts[~facts["is_target"].astype(bool)]
    ids = list(indicator_ids) if indicator_ids is not None else harmonised_indicators(facts, min_places=min_places)
    facts = facts[facts["indicator_id"].isin(ids)]
    if facts.empty:
        return attach_population(facts.assign(rows=pd.Series(dtype="int64")), places, per=per)
    counts = facts.groupby(["indicator_id", "city"]).size().rename("rows")
    latest = pd.concat([_latest(group) for _, group in facts.groupby(["indicator_id", "city"], sort=True)])
    latest = latest.join(counts, on=["indicator_id", "city"])
    table = attach_population(latest, places, per=per)
    columns = [
        "indicator_id", "indicator_zh", "indicator_en", "unit", "city", "place_zh", "raw_text", "value", "qualifier",
        "period_text", "population_2020", "population_source", "per_10k", "rows", "record_id", "quote",
    ]
    return table[columns].reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# one place: facts, targets, series, county breakdowns


def _dimension_order(indicators: pd.DataFrame, dimensions: pd.DataFrame | None) -> list[str]:
    if dimensions is not None:
        order = list(dimensions.index)
    else:
        order = []
    return order + sorted(set(indicators["dimension"]) - set(order))


def city_facts(indicators: pd.DataFrame, city: str, dimensions: pd.DataFrame | None = None) -> pd.DataFrame:
    """All facts of one place, ordered by reform dimension, each with its record id and quote.

    ``dimensions`` is ``load_codebook().dimensions`` (for order and bilingual labels).
    """
    _require(indicators, ("city", "dimension", "indicator_zh", "indicator_en", "record_id", "quote"), "city_facts")
    if city not in set(indicators["city"]):
        raise AnalysisError(f"no facts for city {city!r}; cities with facts: {', '.join(sorted(set(indicators['city'])))}")
    facts = indicators[indicators["city"] == city].copy()
    order = _dimension_order(facts, dimensions)
    facts["dimension"] = pd.Categorical(facts["dimension"], categories=order, ordered=True)
    if dimensions is not None:
        labels = {key: f"{row.zh} {row.en}" for key, row in dimensions.iterrows()}
    else:
        labels = {}
    facts["dimension_label"] = facts["dimension"].astype(str).map(lambda d: labels.get(d, d))
    facts["indicator"] = facts["indicator_zh"] + " " + facts["indicator_en"]
    facts["status"] = facts["is_target"].map({True: "目标 target", False: "实绩 achieved"})
    # within an indicator, coding order (= the order of the text: 几年前 … 2018 … 到2021年底)
    facts = facts.sort_values(["dimension", "indicator_id", "record_id"])
    columns = ["dimension", "dimension_label", "indicator_id", "indicator", "scope_zh", "period_text", "raw_text", "value", "unit", "status", "record_id", "quote"]
    return facts[columns].reset_index(drop=True)


def targets_vs_achievements(indicators: pd.DataFrame, city: str | None = None) -> pd.DataFrame:
    """Each target beside the reported values of the same indicator and place.

    Pairs on (city, indicator, admin_code). ``gap`` is the target minus the latest reported value
    where both exist (same unit); it says how far the plan reaches, not whether it was met: the
    documents report no value after the target date.
    """
    _require(indicators, ("city", "indicator_id", "admin_code", "is_target", "value", "raw_text", "record_id"), "targets_vs_achievements")
    frame = indicators if city is None else indicators[indicators["city"] == city]
    records = []
    for (place, indicator_id, code), group in frame.groupby(["city", "indicator_id", "admin_code"], sort=True):
        targets = group[group["is_target"].astype(bool)]
        if targets.empty:
            continue
        achieved = group[~group["is_target"].astype(bool)]
        latest = _latest(achieved).iloc[0] if not achieved.empty else None
        for target in targets.itertuples():
            records.append({
                "city": place,
                "indicator_id": indicator_id,
                "indicator": f"{target.indicator_zh} {target.indicator_en}",
                "scope_zh": target.scope_zh,
                "target": target.raw_text,
                "target_period": target.period_text,
                "target_record": target.record_id,
                "reported": None if latest is None else latest["raw_text"],
                "reported_period": None if latest is None else latest["period_text"],
                "reported_records": ", ".join(achieved["record_id"]) or None,
                "gap": (float(target.value) - float(latest["value"])) if latest is not None and latest["unit"] == target.unit else None,
                "unit": target.unit,
                "target_quote": target.quote,
                "reported_quote": None if latest is None else latest["quote"],
            })
    columns = ["city", "indicator_id", "indicator", "scope_zh", "target", "target_period", "target_record", "reported",
               "reported_period", "reported_records", "gap", "unit", "target_quote", "reported_quote"]
    return pd.DataFrame(records, columns=columns)


def _year_of(row: pd.Series) -> int | None:
    start, end = row.get("period_start"), row.get("period_end")
    start = None if pd.isna(start) else str(start)
    end = None if pd.isna(end) else str(end)
    if start and end and start[:4] == end[:4]:
        return int(start[:4])
    if end and not start and bool(row.get("is_target")):
        # A target "到2021年底" (by the end of 2021) belongs to its end year.
        return int(end[:4])
    return None


def series(
    indicators: pd.DataFrame,
    indicator_id: str,
    city: str | None = None,
    admin_code: str | None = None,
    achieved_only: bool = False,
) -> pd.DataFrame:
    """A within-place series of one indicator, ordered in time, each value with its quote.

    ``year`` is the single calendar year of the period (NA when the text gives none). Undated values
    are kept: ``position`` orders them before the dated ones when their period says "earlier"
    (几年前, 原, 过去) and after them otherwise. ``label`` is the year, or the period as written.
    """
    _require(indicators, ("indicator_id", "period_text", "period_start", "period_end", "is_target", "value"), "series")
    frame = indicators[indicators["indicator_id"] == indicator_id]
    if city is not None:
        frame = frame[frame["city"] == city]
    if admin_code is not None:
        frame = frame[frame["admin_code"] == admin_code]
    if achieved_only:
        frame = frame[~frame["is_target"].astype(bool)]
    frame = frame[frame["scope_level"].isin(LOCAL_SCOPE_LEVELS)] if "scope_level" in frame.columns else frame
    if frame.empty:
        return frame.assign(year=pd.Series(dtype="Int64"), label=pd.Series(dtype="str"), position=pd.Series(dtype="float"))
    years = frame.apply(_year_of, axis=1)
    frame = frame.assign(year=pd.array(years.tolist(), dtype="Int64"))

    def position(row: pd.Series) -> float:
        if not pd.isna(row["year"]):
            return float(row["year"])
        return -math.inf if _is_earlier(row["period_text"]) else math.inf

    frame = frame.assign(position=frame.apply(position, axis=1))
    frame = frame.assign(label=[
        (f"{int(y)}" + (" 目标 target" if t else "")) if not pd.isna(y) else (f"{p} (year not stated)" if not pd.isna(p) else "未注明 not stated")
        for y, p, t in zip(frame["year"], frame["period_text"], frame["is_target"].astype(bool))
    ])
    # A stable order: by position, then record id (several "earlier" values keep their coding order).
    return frame.sort_values(["position", "record_id"]).reset_index(drop=True)


def series_candidates(indicators: pd.DataFrame, city: str, min_points: int = 2) -> list[str]:
    """Indicators of a place with at least ``min_points`` values of which at least two are dated."""
    out = []
    for indicator_id in sorted(set(indicators.loc[indicators["city"] == city, "indicator_id"])):
        s = series(indicators, indicator_id, city=city)
        if len(s) >= min_points and s["year"].notna().sum() >= 2 and s["admin_code"].nunique() == 1:
            out.append(indicator_id)
    return out


def county_breakdown(indicators: pd.DataFrame, city: str, indicator_id: str, period_text: str | None = None) -> pd.DataFrame:
    """The values of one indicator for the place and its county-level units in one period.

    Rows are the city's own value and each county scope (including "other counties" groups, whose
    ``qualifier`` says ``at_most``/``at_least``); sorted by value, largest first.
    """
    _require(indicators, ("city", "indicator_id", "scope_level", "period_text", "value"), "county_breakdown")
    frame = indicators[
        (indicators["city"] == city)
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


def breakdown_candidates(indicators: pd.DataFrame, city: str) -> list[str]:
    """Indicators of a place with values for at least two different county-level units in one period.

    (A district case such as Rongchang has no county-level units below it: two rows about 荣昌区
    itself are not a breakdown.)
    """
    frame = indicators[(indicators["city"] == city) & (indicators["scope_level"] == "county") & ~indicators["is_target"].astype(bool)]
    units = frame.groupby(["indicator_id", frame["period_text"].fillna("")])["admin_code"].nunique()
    return sorted({indicator_id for (indicator_id, _), n in units.items() if n >= 2})


# ----------------------------------------------------------------------------------------------
# the reform timeline (data/raw/reference/reform_timeline.csv)


def timeline_path() -> Path:
    """Where the reform timeline lives (``data/raw/reference/reform_timeline.csv``)."""
    from kexie_research import config

    return config.raw_dir().joinpath(*TIMELINE_FILE)


def load_timeline(path: str | Path | None = None, verify: bool = True, texts: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read and check the reform timeline: one event per row, each with a verbatim quote.

    Checks (each error names the file, the row and what was expected): required columns; unique
    ``event_id``; ``date`` written to its ``date_precision`` (``2017-09-29``/``2021-01``/``2018``, empty
    for ``none``); a ``date_note`` ("year not stated", "no date in the text") whenever there is no full
    date; ``model_zh`` inside the quote; and, with ``verify``, the quote inside its source document
    (line breaks removed). ``texts`` maps source_id → document text (default: read the documents).
    """
    path = Path(path) if path is not None else timeline_path()
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise AnalysisError(f"{path}: cannot read the reform timeline: {exc}") from exc
    missing = [column for column in TIMELINE_COLUMNS if column not in frame.columns]
    if missing:
        raise AnalysisError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(TIMELINE_COLUMNS)}")
    duplicated = frame["event_id"][frame["event_id"].duplicated()]
    if not duplicated.empty:
        raise AnalysisError(f"{path}: event_id listed twice: {', '.join(duplicated)}")
    if verify and texts is None:
        from kexie_research.steps.sources import read_document

        texts = {sid: read_document(sid) for sid in sorted(set(frame["source_id"]))}
    for number, row in enumerate(frame.to_dict("records"), start=2):  # row 1 is the header
        where = f"{path} row {number} ({row['event_id']})"
        precision = row["date_precision"]
        if precision not in DATE_PRECISIONS:
            raise AnalysisError(f"{where}: date_precision {precision!r}; expected one of {', '.join(DATE_PRECISIONS)}")
        if not re.fullmatch(_DATE_FORMS[precision], row["date"]):
            raise AnalysisError(f"{where}: date {row['date']!r} does not match precision {precision!r}")
        if precision != "day" and not row["date_note"]:
            raise AnalysisError(f"{where}: no full date, so date_note must say what the text gives (e.g. 'year not stated')")
        if row["not_before"] and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", row["not_before"]):
            raise AnalysisError(f"{where}: not_before {row['not_before']!r} is not an ISO date or year")
        if not row["quote"]:
            raise AnalysisError(f"{where}: empty quote; every event needs its verbatim sentence")
        if row["model_zh"] and row["model_zh"] not in row["quote"]:
            raise AnalysisError(f"{where}: model_zh {row['model_zh']!r} does not occur in the quote")
        if row["date_text"] and row["date_text"] not in row["quote"]:
            raise AnalysisError(f"{where}: date_text {row['date_text']!r} does not occur in the quote")
        if verify:
            if row["source_id"] not in (texts or {}):
                raise AnalysisError(f"{where}: unknown source_id {row['source_id']!r}")
            if locate_quote(row["quote"], texts[row["source_id"]]) is None:
                raise ProvenanceError(f"{where}: quote not found in {row['source_id']} (line breaks removed): {row['quote'][:60]!r}")
    return frame


def _decimal_year(date: str) -> float | None:
    """``2017-09-29`` → 2017.74; a month or a year alone sits in its middle (2018 → 2018.5)."""
    if not date:
        return None
    parts = [int(part) for part in date.split("-")]
    if len(parts) == 1:
        return parts[0] + 0.5
    if len(parts) == 2:
        return parts[0] + (parts[1] - 0.5) / 12
    return parts[0] + (parts[1] - 1) / 12 + (parts[2] - 1) / 365


def timeline_table(timeline: pd.DataFrame) -> pd.DataFrame:
    """The timeline for readers, in date order: the date, or what the text says instead.

    Undated events come last, ordered by ``not_before`` where the text bounds them; ``when`` reads
    ``2017-09-29``, ``2018 (year only)``, ``6月17日 — year not stated``, ``no date in the text``.
    """
    _require(timeline, TIMELINE_COLUMNS, "timeline_table")

    def when(row: pd.Series) -> str:
        if row["date_precision"] == "day":
            return row["date"]
        if row["date_precision"] in ("month", "year"):
            return f"{row['date']} ({row['date_note']})"
        return f"{row['date_text']} — {row['date_note']}" if row["date_text"] else row["date_note"]

    frame = timeline.copy()
    frame["when"] = frame.apply(when, axis=1)
    frame["sort_year"] = frame["date"].map(_decimal_year)
    bound = frame["not_before"].map(_decimal_year)
    frame["sort_key"] = frame["sort_year"].fillna(bound.map(lambda b: 10_000 + b if b is not None and not pd.isna(b) else 20_000))
    frame = frame.sort_values(["sort_key", "event_id"]).drop(columns="sort_key").reset_index(drop=True)
    return frame[["event_id", "city", "scope", "kind", "when", "date", "date_precision", "not_before", "event_zh", "event_en", "model_zh", "source_id", "quote", "sort_year"]]


# ----------------------------------------------------------------------------------------------
# the five reform models side by side


def reform_model_facts(
    indicators: pd.DataFrame,
    cities: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Local facts assigned to the five comparison aspects (organisation … outreach), with quotes."""
    _require(indicators, ("city", "dimension", "scope_level", "record_id", "quote"), "reform_model_facts")
    aspect_of = {dimension: aspect for aspect, (_, _, dims) in ASPECTS.items() for dimension in dims}
    frame = indicators[indicators["scope_level"].isin(LOCAL_SCOPE_LEVELS)].copy()
    if cities is not None:
        frame = frame[frame["city"].isin(list(cities))]
    frame["aspect"] = frame["dimension"].map(aspect_of)
    frame = frame[frame["aspect"].notna()]
    frame["aspect"] = pd.Categorical(frame["aspect"], categories=list(ASPECTS), ordered=True)
    # Reported facts before targets, the place as a whole before its parts, then coding order.
    level_rank = {level: rank for rank, level in enumerate(LOCAL_SCOPE_LEVELS)}
    frame["_target"] = frame["is_target"].astype(bool)
    frame["_level"] = frame["scope_level"].map(level_rank)
    frame = frame.sort_values(["aspect", "city", "_target", "_level", "record_id"]).drop(columns=["_target", "_level"])
    columns = ["aspect", "city", "city_zh", "record_id", "indicator_id", "indicator_zh", "indicator_en", "scope_zh", "raw_text", "period_text", "is_target", "quote"]
    return frame[[c for c in columns if c in frame.columns]].reset_index(drop=True)


def _cell_items(cell: pd.DataFrame, max_items: int) -> str:
    """``indicator: v1, v2 [id1, id2]`` per indicator (a series stays one item), scope shown when it is
    not the place itself (梧州市委, 梧州市一些城区科协 …)."""
    items = []
    for (_, is_target, scope), group in cell.groupby(["indicator_id", "is_target", "scope_zh"], sort=False):
        own = {str(group["city_zh"].iloc[0]), f"{group['city_zh'].iloc[0]}科协"} if "city_zh" in group else set()
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
    cities: Sequence[str] | None = None,
    max_items: int = 4,
) -> pd.DataFrame:
    """The five reform models side by side: one column per place, one row per aspect.

    Each cell lists up to ``max_items`` indicators as ``indicator (scope): values as written
    [record ids]`` (targets marked; a series stays one item), then how many more there are. "—"
    means the document codes no fact for that aspect: absence in the text, not absence of the
    activity. With ``timeline``, a first row names each place's model and its first dated step (or
    what the text says instead of a date), citing the event id.
    """
    facts = reform_model_facts(indicators, cities)
    places = list(cities) if cities is not None else list(dict.fromkeys(indicators["city"]))
    table: dict[str, dict[str, str]] = {}
    if timeline is not None:
        ordered = timeline_table(timeline)
        row: dict[str, str] = {}
        for city in places:
            events = ordered[ordered["city"] == city]
            models = events[events["model_zh"] != ""]
            starts = events[events["kind"].isin(START_KINDS)]
            model = models.iloc[0] if not models.empty else None
            start = starts.iloc[0] if not starts.empty else None
            if model is not None and start is not None and model["event_id"] == start["event_id"]:
                row[city] = f"{model['model_zh']}; start: {start['when']} [{start['event_id']}]"
            else:
                parts = [f"{model['model_zh']} [{model['event_id']}]"] if model is not None else []
                if start is not None:
                    parts.append(f"start: {start['when']} [{start['event_id']}]")
                row[city] = "; ".join(parts) or "—"
        table["model"] = row
    for aspect in ASPECTS:
        table[aspect] = {
            city: _cell_items(facts[(facts["aspect"] == aspect) & (facts["city"] == city)], max_items) for city in places
        }
    result = pd.DataFrame.from_dict(table, orient="index")[places]
    labels = {"model": "模式与起点 Model and start", **{aspect: f"{zh} {en}" for aspect, (zh, en, _) in ASPECTS.items()}}
    result.index = [labels[key] for key in result.index]
    return result


# ----------------------------------------------------------------------------------------------
# small-n statistics


@dataclass(frozen=True)
class GrowthFit:
    """A log-linear fit ``log(value) = a + b·year`` of one place's series.

    ``growth`` is the implied annual rate ``exp(b) − 1`` with its ``(1 − alpha)`` confidence interval
    from the t distribution on ``n − 2`` degrees of freedom. With 3–4 points that interval is wide and
    rests on the assumption of a constant growth rate with independent errors: read it as a
    description of the series, not as a forecast.
    """

    n: int
    years: tuple[int, ...]
    values: tuple[float, ...]
    slope: float
    slope_se: float
    growth: float
    ci_low: float
    ci_high: float
    alpha: float
    df_resid: int
    fitted: pd.DataFrame = field(repr=False, compare=False)

    @property
    def caveat(self) -> str:
        return (
            f"{self.n} points, {self.df_resid} residual degree(s) of freedom: the {100 * (1 - self.alpha):.0f}% interval "
            "is wide and assumes constant growth with independent errors; a description of this series, not a forecast."
        )

    def summary(self) -> pd.DataFrame:
        """One-row table: n, years, annual growth and its interval (in percent)."""
        return pd.DataFrame([{
            "n": self.n,
            "years": f"{min(self.years)}–{max(self.years)}",
            "annual growth %": round(100 * self.growth, 1),
            f"CI {100 * (1 - self.alpha):.0f}% low %": round(100 * self.ci_low, 1),
            f"CI {100 * (1 - self.alpha):.0f}% high %": round(100 * self.ci_high, 1),
            "caveat": self.caveat,
        }])


def log_linear_growth(years: Iterable[Any], values: Iterable[Any], alpha: float = 0.05) -> GrowthFit:
    """Fit ``log(value) ~ year`` by OLS (statsmodels) and return the annual growth with its CI.

    Needs at least 3 dated, positive values (2 points leave no degree of freedom for an interval).

        >>> fit = log_linear_growth([2017, 2018, 2019, 2020], [1, 2, 4, 4])
        >>> round(fit.growth, 2), fit.n
        (0.62, 4)
    """
    import numpy as np
    import statsmodels.api as sm

    pairs = [(int(y), float(v)) for y, v in zip(years, values) if not pd.isna(y) and not pd.isna(v)]
    if len(pairs) < 3:
        raise AnalysisError(f"a growth fit needs at least 3 dated values, got {len(pairs)}: {pairs}")
    if any(v <= 0 for _, v in pairs):
        raise AnalysisError(f"a log-linear fit needs positive values, got {[v for _, v in pairs]}")
    if len({y for y, _ in pairs}) < 2:
        raise AnalysisError(f"a growth fit needs at least 2 different years, got {sorted({y for y, _ in pairs})}")
    x = np.array([y for y, _ in pairs], dtype=float)
    y = np.log(np.array([v for _, v in pairs]))
    centre = x.mean()  # centring keeps the intercept interpretable and the fit well conditioned
    design = sm.add_constant(x - centre)
    result = sm.OLS(y, design).fit()
    low, high = result.conf_int(alpha=alpha)[1]
    grid = np.linspace(x.min(), x.max(), 25)
    prediction = result.get_prediction(sm.add_constant(grid - centre, has_constant="add")).summary_frame(alpha=alpha)
    fitted = pd.DataFrame({
        "year": grid,
        "fit": np.exp(prediction["mean"].to_numpy()),
        "lower": np.exp(prediction["mean_ci_lower"].to_numpy()),
        "upper": np.exp(prediction["mean_ci_upper"].to_numpy()),
    })
    slope = float(result.params[1])
    return GrowthFit(
        n=len(pairs),
        years=tuple(int(v) for v in x),
        values=tuple(float(v) for _, v in pairs),
        slope=slope,
        slope_se=float(result.bse[1]),
        growth=math.expm1(slope),
        ci_low=math.expm1(float(low)),
        ci_high=math.expm1(float(high)),
        alpha=alpha,
        df_resid=int(result.df_resid),
        fitted=fitted,
    )


@dataclass(frozen=True)
class ExactTest:
    """The result of an exact test on counts, with what it does and does not say."""

    test: str
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    detail: str
    caveat: str

    def as_row(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "estimate": round(self.estimate, 3),
            "CI 95% low": round(self.ci_low, 3),
            "CI 95% high": round(self.ci_high, 3),
            "p (exact, two-sided)": float(f"{self.p_value:.2g}"),
            "detail": self.detail,
            "caveat": self.caveat,
        }


def poisson_rate_test(count_a: int, exposure_a: float, count_b: int, exposure_b: float, label_a: str = "A", label_b: str = "B") -> ExactTest:
    """Exact comparison of two Poisson counts (conditional binomial test) with the rate ratio a/b.

    Given the total ``count_a + count_b``, ``count_a`` is binomial with ``p = exposure_a / (exposure_a
    + exposure_b)`` if both rates are equal. The confidence interval of the rate ratio comes from the
    exact (Clopper–Pearson) interval of that binomial proportion.

        >>> round(poisson_rate_test(3, 2, 8, 2).p_value, 3)   # hearings 2017–18 vs 2019–20
        0.227
    """
    from scipy import stats

    for name, count in (("count_a", count_a), ("count_b", count_b)):
        if count < 0 or int(count) != count:
            raise AnalysisError(f"{name} must be a non-negative whole count, got {count!r}")
    if exposure_a <= 0 or exposure_b <= 0:
        raise AnalysisError(f"exposures must be positive, got {exposure_a!r} and {exposure_b!r}")
    total = int(count_a) + int(count_b)
    if total == 0:
        raise AnalysisError("both counts are zero: there is nothing to compare")
    p0 = exposure_a / (exposure_a + exposure_b)
    result = stats.binomtest(int(count_a), total, p0, alternative="two-sided")
    interval = result.proportion_ci(confidence_level=0.95, method="exact")
    factor = exposure_b / exposure_a

    def odds(p: float) -> float:
        return math.inf if p >= 1 else p / (1 - p)

    ratio = odds(count_a / total) * factor
    return ExactTest(
        test="exact Poisson rate ratio (conditional binomial)",
        estimate=ratio,
        ci_low=odds(interval.low) * factor,
        ci_high=odds(interval.high) * factor,
        p_value=float(result.pvalue),
        detail=f"{label_a}: {int(count_a)} per {exposure_a:g}; {label_b}: {int(count_b)} per {exposure_b:g}",
        caveat="Treats the counts as Poisson draws at a constant rate; a stock of organisations is not a random sample, so read this as a yardstick for how much a difference of this size could arise by chance, not as inference about a population.",
    )


def series_halves_test(frame: pd.DataFrame) -> ExactTest:
    """Exact comparison of the later half of a dated count series with the earlier half.

    ``frame`` is a :func:`series` of counts (events per year). With 1, 2, 4, 4 hearings in
    2017–2020 this compares 8 hearings in 2019–2020 with 3 in 2017–2018 (two years each).
    """
    dated = frame[frame["year"].notna()]
    years = sorted(int(year) for year in dated["year"])
    if len(years) < 2 or len(set(years)) != len(years):
        raise AnalysisError(f"a halves comparison needs at least 2 distinct dated years, got {years}")
    half = len(years) // 2
    early, late = years[:half], years[-half:]  # with an odd count the middle year is left out

    def total(selected: list[int]) -> int:
        values = dated.loc[dated["year"].isin(selected), "value"]
        if not all(float(v).is_integer() for v in values):
            raise AnalysisError(f"counts must be whole numbers, got {values.tolist()}")
        return int(values.sum())

    return poisson_rate_test(total(late), len(late), total(early), len(early),
                             label_a=f"{late[0]}–{late[-1]}", label_b=f"{early[0]}–{early[-1]}")


def fisher_exact_2x2(table: Sequence[Sequence[int]], row_labels: Sequence[str] = ("A", "B"), col_labels: Sequence[str] = ("yes", "no")) -> ExactTest:
    """Fisher's exact test on a 2×2 table of counts, with the conditional odds ratio's exact CI.

        >>> round(fisher_exact_2x2([[9, 5], [21, 0]]).p_value, 4)
        0.0062
    """
    from scipy import stats

    cells = [[int(v) for v in row] for row in table]
    if len(cells) != 2 or any(len(row) != 2 for row in cells):
        raise AnalysisError(f"Fisher's exact test needs a 2×2 table, got {table!r}")
    if any(v < 0 for row in cells for v in row):
        raise AnalysisError(f"counts must be non-negative, got {table!r}")
    result = stats.contingency.odds_ratio(cells, kind="conditional")
    interval = result.confidence_interval(confidence_level=0.95)
    p_value = stats.fisher_exact(cells).pvalue
    detail = "; ".join(f"{r}: {row[0]} {col_labels[0]}, {row[1]} {col_labels[1]}" for r, row in zip(row_labels, cells))
    return ExactTest(
        test="Fisher's exact test (2×2)",
        estimate=float(result.statistic),
        ci_low=float(interval.low),
        ci_high=float(interval.high),
        p_value=float(p_value),
        detail=detail,
        caveat="Conditional on the margins; with single-digit cells the interval is wide.",
    )


def comparable_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Pairs of places for each harmonised count indicator of :func:`cross_city_table`, with an exact
    Poisson rate comparison per 10,000 residents (only where both values are whole counts with a
    verified population)."""
    rows = []
    usable = table[table["unit"].isin({"organisation", "person", "event", "item", "household"}) & table["population_2020"].notna()]
    for indicator_id, group in usable.groupby("indicator_id", sort=True):
        group = group.reset_index(drop=True)
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                a, b = group.iloc[i], group.iloc[j]
                test = poisson_rate_test(
                    int(a["value"]), float(a["population_2020"]) / PER_10K, int(b["value"]), float(b["population_2020"]) / PER_10K,
                    label_a=str(a["city"]), label_b=str(b["city"]),
                )
                bound_note = ", ".join(
                    f"{row['city']} {row['raw_text']} is {QUALIFIER_WORDS.get(row['qualifier'], row['qualifier'])} (tested as {row['value']:g})"
                    for row in (a, b) if row["qualifier"] != "exact"
                )
                rows.append({
                    "indicator_id": indicator_id,
                    "place_a": a["city"], "place_b": b["city"],
                    "rate_a_per_10k": round(float(a["per_10k"]), 3), "rate_b_per_10k": round(float(b["per_10k"]), 3),
                    **test.as_row(),
                    "records": f"{a['record_id']}, {b['record_id']}",
                    "value_note": bound_note or "both exact",
                })
    return pd.DataFrame(rows)
