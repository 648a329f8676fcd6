"""Comparisons across places on the frame of cross-place indicators, pairing like with like.

A case-specific indicator names the frame indicator it is an instance of (``frame`` in the codebook).
:func:`frame_comparison` compares places on one frame indicator only where the values are alike:

- achievements apart from targets (``status``);
- facts about the case's own place as a whole (not a part of it, not a context above it);
- the same period: each frame indicator is compared in the year most places have a value for (the
  latest such year on a tie), a place without a value that year contributes its nearest year within
  ``window`` years, marked with the gap; a value whose year is not stated takes the year of its
  document's reference date when the manifest gives one, else it is listed, not compared;
- one value per place and period: several values of one frame indicator in one period of one place
  (different items, or a repeated figure) are listed, never added up or drawn;
- rates per 10,000 residents only for counts and money, and only with a population that cites its source.

Whatever cannot be compared is returned with the reason (``not_compared``), so that a page states it.
Captions are computed from the rows drawn (:func:`caption`): the places with values and the sources
that contributed, nothing else.

Example::

    >>> import pandas as pd
    >>> facts = pd.DataFrame({"case": ["a", "b"], "admin_code": ["1", "2"], "scope_level": ["city", "city"],
    ...     "indicator_id": ["x", "y"], "is_target": [False, False], "value": [3.0, 5.0], "raw_text": ["3个", "5个"],
    ...     "qualifier": ["exact"] * 2, "period_text": ["2019年"] * 2, "period_start": ["2019-01-01"] * 2,
    ...     "period_end": ["2019-12-31"] * 2, "record_id": ["A-1", "B-1"], "source_id": ["sa", "sb"], "quote": ["q", "q"]})
    >>> codebook = pd.DataFrame({"id": ["x", "y"], "frame": ["f", "f"]}).set_index("id", drop=False)
    >>> frame = pd.DataFrame({"id": ["f"], "zh": ["甲"], "en": ["F"], "unit": ["organisation"]}).set_index("id", drop=False)
    >>> cases = pd.DataFrame({"case": ["a", "b"], "admin_code": ["1", "2"], "level": ["prefecture"] * 2})
    >>> result = frame_comparison(facts, codebook, frame, cases)
    >>> result.table[["frame", "case", "year", "value"]].values.tolist()
    [['f', 'a', 2019, 3.0], ['f', 'b', 2019, 5.0]]
    >>> caption(result.table)
    '2 places with values (a, b); 2019; sources: sa, sb'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kexie_research.analysis.checks import require_columns
from kexie_research.analysis.rates import PER_10K, RATE_UNITS, per_10k
from kexie_research.analysis.scopes import own_case_facts
from kexie_research.analysis.series import year_of

__all__ = [
    "FrameComparison",
    "benchmark_lines",
    "caption",
    "caption_parts",
    "frame_comparison",
    "frame_coverage",
    "not_compared_text",
    "period_not_stated",
    "undated_caption",
    "undated_comparison",
    "with_frame",
]

FACT_COLUMNS = (
    "case",
    "admin_code",
    "scope_level",
    "indicator_id",
    "is_target",
    "value",
    "raw_text",
    "period_text",
    "period_start",
    "period_end",
    "record_id",
    "quote",
)
TABLE_COLUMNS = [
    "frame",
    "frame_zh",
    "frame_en",
    "unit",
    "case",
    "year",
    "year_from",
    "reference_year",
    "year_gap",
    "indicator_id",
    "raw_text",
    "value",
    "qualifier",
    "period_text",
    "is_target",
    "record_id",
    "source_id",
    "quote",
    "population_2020",
    "population_source",
    "per_10k",
]
UNDATED_COLUMNS = [
    "frame",
    "frame_zh",
    "frame_en",
    "unit",
    "case",
    "period",
    "reference_date",
    "indicator_id",
    "raw_text",
    "value",
    "qualifier",
    "is_target",
    "record_id",
    "source_id",
    "quote",
    "population_2020",
    "population_source",
    "per_10k",
    "year",
]
NOT_STATED = "not stated"
REASON_COLUMNS = ["frame", "frame_zh", "frame_en", "case", "reason", "record_ids"]


@dataclass(frozen=True)
class FrameComparison:
    """What a frame comparison drew, listed and could not compare.

    ``table``: one row per (frame indicator, place) compared (:data:`TABLE_COLUMNS`); ``listed``: the
    values shown as a list but not compared (several in one period); ``not_compared``: one row per
    (frame indicator, place or "all") with the reason (:data:`REASON_COLUMNS`); ``window``: the stated
    window in years.

    Examples
    --------
    >>> empty = FrameComparison(pd.DataFrame(columns=TABLE_COLUMNS), pd.DataFrame(columns=TABLE_COLUMNS),
    ...                         pd.DataFrame(columns=REASON_COLUMNS), window=2)
    >>> empty.window, empty.status, empty.table.empty
    (2, 'achieved', True)
    """

    table: pd.DataFrame
    listed: pd.DataFrame
    not_compared: pd.DataFrame
    window: int = 1
    status: str = "achieved"
    extra: dict = field(default_factory=dict)


def with_frame(facts: pd.DataFrame, codebook_indicators: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``frame``, ``frame_zh``, ``frame_en`` and ``frame_unit`` to facts, from their indicator's codebook row.

    An indicator that is not in the codebook, or maps to ``none``, gets ``frame`` "none" and empty labels.

    Examples
    --------
    >>> facts = pd.DataFrame({"indicator_id": ["x", "z"]})
    >>> codebook = pd.DataFrame({"id": ["x"], "frame": ["f"]}).set_index("id", drop=False)
    >>> frame = pd.DataFrame({"id": ["f"], "zh": ["甲"], "en": ["F"], "unit": ["item"]}).set_index("id", drop=False)
    >>> with_frame(facts, codebook, frame)[["frame", "frame_en"]].values.tolist()
    [['f', 'F'], ['none', '']]
    """
    require_columns(facts, ("indicator_id",), "with_frame")
    mapping = codebook_indicators["frame"] if "frame" in codebook_indicators.columns else pd.Series(dtype=str)
    out = facts.copy()
    out["frame"] = out["indicator_id"].map(mapping).fillna("none").astype(str)
    known = out["frame"].isin(frame.index)
    out.loc[~known, "frame"] = "none"
    for column, source in (("frame_zh", "zh"), ("frame_en", "en"), ("frame_unit", "unit")):
        out[column] = out["frame"].map(frame[source]).fillna("").astype(str)
    return out


def _fact_year(row: pd.Series, reference_years: dict[str, int]) -> tuple[object, str]:
    year = year_of(row)
    if year is not None:
        return year, "period"
    stated = any(isinstance(row.get(column), str) and row.get(column) for column in ("period_start", "period_end"))
    source = row.get("source_id")
    if not stated and source in reference_years:
        return reference_years[source], "document reference date"
    return pd.NA, "not stated" if not stated else "several years"


def _reasons(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=REASON_COLUMNS)


def _set_aside(
    reasons: list[dict], listed: list[dict], labels: dict, case: str, parts: list[pd.DataFrame], reason: str
) -> None:
    """List the facts of ``parts`` beside the comparison (``listed``) with the reason they are not
    compared (``reasons``: one row for them all, under ``case`` or ``"all"``)."""
    record_ids = ", ".join(record for part in parts for record in part["record_id"])
    reasons.append({**labels, "case": case, "record_ids": record_ids, "reason": reason})
    listed.extend(row for part in parts for row in part.to_dict("records"))


def frame_comparison(
    facts: pd.DataFrame,
    codebook_indicators: pd.DataFrame,
    frame: pd.DataFrame,
    cases: pd.DataFrame,
    places: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    window: int = 1,
    status: str = "achieved",
    min_places: int = 2,
    per: int = PER_10K,
) -> FrameComparison:
    """Compare places on every frame indicator that at least ``min_places`` places have a like value of.

    Parameters
    ----------
    facts : pandas.DataFrame
        The coded facts (:func:`kexie_research.data.load_indicators`).
    codebook_indicators, frame : pandas.DataFrame
        The codebook's indicators (with ``frame``) and frame indicators, indexed by id.
    cases : pandas.DataFrame
        The cases (case, admin_code, level).
    places : pandas.DataFrame, optional
        Populations (admin_code, population_2020, source_population); without it, no rates.
    documents : pandas.DataFrame, optional
        Documents (source_id, reference_date): the year of an undated value.
    window : int
        Years a place's value may lie from the comparison year (0 = the same year only).
    status : {"achieved", "target"}
        Achievements or targets; the two are never compared with each other.
    min_places : int
        Places with a like value needed for a comparison.
    per : int
        Rates per this many residents.

    Returns
    -------
    FrameComparison

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a", "a", "b"], "admin_code": ["1", "1", "2"], "scope_level": ["city"] * 3,
    ...     "indicator_id": ["x"] * 3, "is_target": [False] * 3, "value": [3.0, 4.0, 5.0], "raw_text": ["3", "4", "5"],
    ...     "qualifier": ["exact"] * 3, "period_text": ["2019年"] * 3, "period_start": ["2019-01-01"] * 3,
    ...     "period_end": ["2019-12-31"] * 3, "record_id": ["A-1", "A-2", "B-1"], "source_id": ["s"] * 3,
    ...     "quote": ["q"] * 3})
    >>> codebook = pd.DataFrame({"id": ["x"], "frame": ["f"]}).set_index("id", drop=False)
    >>> frame = pd.DataFrame({"id": ["f"], "zh": ["甲"], "en": ["F"], "unit": ["item"]}).set_index("id", drop=False)
    >>> cases = pd.DataFrame({"case": ["a", "b"], "admin_code": ["1", "2"], "level": ["prefecture"] * 2})
    >>> result = frame_comparison(facts, codebook, frame, cases)
    >>> result.table.empty, result.listed.record_id.tolist()
    (True, ['A-1', 'A-2', 'B-1'])
    >>> result.not_compared.reason.tolist()
    ['several values in 2019: listed, not compared', '1 place(s) with one value near 2019; a comparison needs 2']
    """
    require_columns(facts, FACT_COLUMNS, "frame_comparison")
    require_columns(cases, ("case", "admin_code", "level"), "frame_comparison(cases)")
    if status not in ("achieved", "target"):
        raise ValueError(f"status must be 'achieved' or 'target', got {status!r}")
    if window < 0:
        raise ValueError(f"window must be 0 or more years, got {window!r}")
    reference_years: dict[str, int] = {}
    if documents is not None and {"source_id", "reference_date"} <= set(documents.columns):
        for source, date in zip(documents["source_id"], documents["reference_date"]):
            if isinstance(date, str) and len(date) >= 4 and date[:4].isdigit():
                reference_years[source] = int(date[:4])
    own = own_case_facts(facts, cases)
    own = own[own["is_target"].astype(bool) == (status == "target")]
    own = with_frame(own, codebook_indicators, frame)
    own = own[own["frame"] != "none"]
    if "source_id" not in own.columns:
        own = own.assign(source_id="")
    if "qualifier" not in own.columns:
        own = own.assign(qualifier="")
    years = [_fact_year(row, reference_years) for _, row in own.iterrows()]
    own = own.assign(year=pd.array([y for y, _ in years], dtype="Int64"), year_from=[w for _, w in years])
    order = {case: number for number, case in enumerate(cases["case"])}
    drawn: list[pd.DataFrame] = []
    listed: list[dict] = []
    reasons: list[dict] = []
    for frame_id in [f for f in frame.index if f in set(own["frame"])]:
        rows = own[own["frame"] == frame_id]
        labels = {"frame": frame_id, "frame_zh": frame.loc[frame_id, "zh"], "frame_en": frame.loc[frame_id, "en"]}
        undated = rows[rows["year"].isna()]
        for (case, year_from), group in undated.groupby(["case", "year_from"], sort=False):
            reason = (
                "year not stated (nor a document date): listed, not compared"
                if year_from == "not stated"
                else f"period not within one year ({', '.join(dict.fromkeys(group['period_text'].fillna('').astype(str)))}: "
                "several years, or an open start): listed, not compared"
            )
            reasons.append({**labels, "case": case, "reason": reason, "record_ids": ", ".join(group["record_id"])})
        listed.extend(undated.to_dict("records"))
        dated = rows[rows["year"].notna()]
        if dated["case"].nunique() < min_places:
            if not dated.empty:
                reason = f"only {dated['case'].nunique()} place(s) with a dated value; a comparison needs {min_places}"
                _set_aside(reasons, listed, labels, "all", [dated], reason)
            continue
        year_values = sorted({int(y) for y in dated["year"]})
        reach = {y: dated.loc[(dated["year"] - y).abs() <= window, "case"].nunique() for y in year_values}
        reference_year = max(year_values, key=lambda y: (reach[y], y))
        chosen = []
        for case, group in dated.groupby("case", sort=False):
            gaps = (group["year"] - reference_year).abs()
            near = group[gaps <= window]
            if near.empty:
                reason = (
                    f"nearest value in {int(group.loc[gaps.idxmin(), 'year'])}, more than {window} "
                    f"year(s) from {reference_year}: not compared"
                )
                _set_aside(reasons, listed, labels, case, [group], reason)
                continue
            best_gap = int((near["year"] - reference_year).abs().min())
            best = near[(near["year"] - reference_year).abs() == best_gap]
            best = best[best["year"] == best["year"].max()]
            others = group[~group.index.isin(best.index)]
            if not others.empty:
                reason = (
                    f"values of other years ({', '.join(str(int(y)) for y in sorted(set(others['year'])))}) "
                    f"than the comparison year {reference_year}: listed, shown in the case profile"
                )
                _set_aside(reasons, listed, labels, case, [others], reason)
            if len(best) > 1:
                reason = f"several values in {int(best['year'].iloc[0])}: listed, not compared"
                _set_aside(reasons, listed, labels, case, [best], reason)
                continue
            chosen.append(best.assign(reference_year=reference_year, year_gap=best_gap))
        if len(chosen) < min_places:
            reason = f"{len(chosen)} place(s) with one value near {reference_year}; a comparison needs {min_places}"
            _set_aside(reasons, listed, labels, "all", chosen, reason)
            continue
        drawn.extend(chosen)
    table, listed_frame = _drawn_and_listed(drawn, listed, frame, places, per, order, TABLE_COLUMNS)
    return FrameComparison(
        table=table, listed=listed_frame, not_compared=_reasons(reasons), window=window, status=status
    )


def _drawn_and_listed(
    drawn: list[pd.DataFrame],
    listed: list[dict],
    frame: pd.DataFrame,
    places: pd.DataFrame | None,
    per: int,
    order: dict,
    columns: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The drawn values (unit, rates, in frame and case order) and the listed ones, both in ``columns``."""
    table = pd.concat(drawn, ignore_index=True) if drawn else pd.DataFrame(columns=columns)
    table = table.assign(unit=table["frame"].map(frame["unit"]) if not table.empty else pd.Series(dtype=str))
    table = _attach_rates(table, places, per)
    if not table.empty:
        table = (
            table.assign(_rank=table["case"].map(order))
            .sort_values(["frame", "_rank"], kind="stable")
            .drop(columns="_rank")
        )
    table = table.reindex(columns=columns).reset_index(drop=True)
    listed_frame = pd.DataFrame(listed).reindex(columns=columns) if listed else pd.DataFrame(columns=columns)
    return table, listed_frame.reset_index(drop=True)


def _attach_rates(table: pd.DataFrame, places: pd.DataFrame | None, per: int) -> pd.DataFrame:
    """Population (only one that cites its source) and the rate, for counts and money only."""
    if table.empty:
        return table.assign(
            population_2020=pd.Series(dtype="Float64"),
            population_source=pd.Series(dtype=str),
            per_10k=pd.Series(dtype="Float64"),
        )
    if places is None or not {"admin_code", "population_2020", "source_population"} <= set(places.columns):
        return table.assign(population_2020=pd.NA, population_source="", per_10k=pd.NA)
    lookup = places.drop_duplicates("admin_code").set_index("admin_code")
    population = pd.to_numeric(table["admin_code"].map(lookup["population_2020"]), errors="coerce").astype("Float64")
    source = table["admin_code"].map(lookup["source_population"]).fillna("").astype(str)
    population = population.where(source.str.strip() != "")
    rates = per_10k(table["value"].reset_index(drop=True), population.reset_index(drop=True), per=per)
    rates.index = table.index
    return table.assign(
        population_2020=population, population_source=source, per_10k=rates.where(table["unit"].isin(RATE_UNITS))
    )


def caption_parts(table: pd.DataFrame, benchmarks: pd.DataFrame | None = None) -> tuple[str, str]:
    """The n and the sources of a chart, computed from the rows drawn (rows with a value only).

    n names the places with values and the years; sources are the documents of those rows, plus the
    national figures' URLs where ``benchmarks`` rows are drawn.

    Examples
    --------
    >>> rows = pd.DataFrame({"case": ["a", "b", "c"], "value": [1.0, 2.0, None], "year": [2018, 2019, 2019],
    ...                      "source_id": ["s1", "s2", "s3"]})
    >>> caption_parts(rows)
    ('2 places with values (a, b); 2018–2019', 's1, s2')
    """
    shown = table[pd.to_numeric(table["value"], errors="coerce").notna()] if "value" in table.columns else table
    if shown.empty:
        return "no place with a value", "none"
    places = list(dict.fromkeys(shown["case"]))
    years = sorted({int(y) for y in shown["year"].dropna()}) if "year" in shown.columns else []
    span = "" if not years else (f"; {years[0]}" if len(years) == 1 else f"; {years[0]}–{years[-1]}")
    sources = sorted({s for s in shown.get("source_id", pd.Series(dtype=str)).dropna().astype(str) if s})
    if benchmarks is not None and not benchmarks.empty:
        sources += sorted(set(benchmarks["source_url"]))
    n = f"{len(places)} place{'s' if len(places) != 1 else ''} with values ({', '.join(places)}){span}"
    return n, ", ".join(sources) or "none named"


def caption(table: pd.DataFrame, benchmarks: pd.DataFrame | None = None) -> str:
    """A caption computed from the rows drawn: places with values, years, and the sources that contributed.

    Examples
    --------
    >>> rows = pd.DataFrame({"case": ["a", "b", "b"], "value": [1.0, None, 2.0], "year": [2018, 2019, 2019],
    ...                      "source_id": ["s1", "s2", "s2"]})
    >>> caption(rows)
    '2 places with values (a, b); 2018–2019; sources: s1, s2'
    >>> caption(rows.iloc[:0])
    'no place with a value'
    """
    n, sources = caption_parts(table, benchmarks)
    return n if n == "no place with a value" else f"{n}; sources: {sources}"


def benchmark_lines(benchmarks: pd.DataFrame, frame_id: str, years) -> pd.DataFrame:
    """The national figures of ``frame_id`` for exactly the ``years`` compared (none for other years).

    Examples
    --------
    >>> bench = pd.DataFrame({"frame_indicator": ["f", "f"], "year": [2018, 2019], "value": [4.45, 4.70],
    ...                       "source_url": ["u", "u"]})
    >>> benchmark_lines(bench, "f", [2019]).value.tolist()
    [4.7]
    """
    require_columns(benchmarks, ("frame_indicator", "year", "value"), "benchmark_lines")
    wanted = {int(y) for y in years if not pd.isna(y)}
    rows = benchmarks[(benchmarks["frame_indicator"] == frame_id) & benchmarks["year"].astype(int).isin(wanted)]
    return rows.sort_values("year").reset_index(drop=True)


def frame_coverage(
    facts: pd.DataFrame, codebook_indicators: pd.DataFrame, frame: pd.DataFrame, cases: pd.DataFrame
) -> pd.DataFrame:
    """Facts per frame indicator (rows, in the frame's order) and place (columns), zeros included.

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a"], "indicator_id": ["x"]})
    >>> codebook = pd.DataFrame({"id": ["x"], "frame": ["f"]}).set_index("id", drop=False)
    >>> frame = pd.DataFrame({"id": ["f", "g"], "zh": ["甲", "乙"], "en": ["F", "G"], "unit": ["item"] * 2}).set_index("id", drop=False)
    >>> frame_coverage(facts, codebook, frame, pd.DataFrame({"case": ["a", "b"]})).to_dict("index")
    {'f': {'a': 1, 'b': 0}, 'g': {'a': 0, 'b': 0}}
    """
    mapped = with_frame(facts, codebook_indicators, frame)
    mapped = mapped[mapped["frame"] != "none"]
    table = pd.crosstab(mapped["frame"], mapped["case"]) if not mapped.empty else pd.DataFrame()
    columns = [str(c) for c in cases["case"]]
    table = table.reindex(index=list(frame.index), columns=columns, fill_value=0).fillna(0).astype(int)
    table.index.name, table.columns.name = "frame", "case"
    return table


def not_compared_text(result: FrameComparison, case_labels: dict | None = None) -> str:
    """A Markdown list of what could not be compared and why (an explicit sentence when all could).

    Examples
    --------
    >>> reasons = pd.DataFrame([{"frame": "f", "frame_zh": "甲", "frame_en": "F", "case": "a", "reason": "r", "record_ids": "A-1"}])
    >>> result = FrameComparison(pd.DataFrame(), pd.DataFrame(), reasons)
    >>> not_compared_text(result)
    '- 甲 F — a: r (A-1)'
    """
    if result.not_compared.empty:
        return "Every value of a frame indicator was compared."
    labels = case_labels or {}
    lines = []
    for row in result.not_compared.itertuples():
        who = "all places" if row.case == "all" else labels.get(row.case, row.case)
        lines.append(f"- {row.frame_zh} {row.frame_en} — {who}: {row.reason} ({row.record_ids})")
    return "\n".join(lines)


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype(str).str.strip() == "")


def period_not_stated(facts: pd.DataFrame) -> pd.Series:
    """True where a fact states no dated period: no start and no end (a word such as 目前 "at present" may stand).

    Such a value can only be compared "as stated in the document" (:func:`undated_comparison`); its period
    text, if any, is shown as written.

    Examples
    --------
    >>> facts = pd.DataFrame({"period_start": [None, None, "2019-01-01", ""], "period_end": [None, "2021-05-10", None, " "]})
    >>> period_not_stated(facts).tolist()
    [True, False, False, True]
    """
    require_columns(facts, ("period_start", "period_end"), "period_not_stated")
    return _blank(facts["period_start"]) & _blank(facts["period_end"])


def undated_comparison(
    facts: pd.DataFrame,
    codebook_indicators: pd.DataFrame,
    frame: pd.DataFrame,
    cases: pd.DataFrame,
    places: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    dated: FrameComparison | None = None,
    status: str = "achieved",
    min_places: int = 2,
    per: int = PER_10K,
) -> FrameComparison:
    """Compare places on frame indicators with the values whose period the documents do not state.

    A separate group, never mixed with dated values: only facts with no period start or end
    (:func:`period_not_stated`; a period word without a date, such as 目前, is shown in ``period``) enter it, and a value drawn by the dated comparison ``dated`` (which may
    have given it its document's reference year) is left out. The values are compared as stated in their
    document: ``period`` is "not stated", ``reference_date`` shows the document's reference date where
    ``documents`` has one (context, not the value's period). Same rules as :func:`frame_comparison`
    otherwise: the place as a whole, achievements apart from targets, one value per place (several are
    listed with the reason), at least ``min_places`` places, rates only for counts and money with a
    cited population. Captions: :func:`undated_caption`.

    Parameters
    ----------
    facts, codebook_indicators, frame, cases, places, documents, status, min_places, per
        As for :func:`frame_comparison`.
    dated : FrameComparison, optional
        The dated comparison of the same facts; the records it drew are not compared again.

    Returns
    -------
    FrameComparison
        ``table`` with :data:`UNDATED_COLUMNS`; ``window`` is 0 (no year is compared).

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a", "b", "b"], "admin_code": ["1", "2", "2"], "scope_level": ["city"] * 3,
    ...     "indicator_id": ["x"] * 3, "is_target": [False, False, True], "value": [3.0, 5.0, 9.0],
    ...     "raw_text": ["3个", "5个", "9个"], "qualifier": ["exact"] * 3, "period_text": ["目前", None, None],
    ...     "period_start": [None] * 3, "period_end": [None] * 3, "record_id": ["A-1", "B-1", "B-2"],
    ...     "source_id": ["sa", "sb", "sb"], "quote": ["q"] * 3})
    >>> codebook = pd.DataFrame({"id": ["x"], "frame": ["f"]}).set_index("id", drop=False)
    >>> frame = pd.DataFrame({"id": ["f"], "zh": ["甲"], "en": ["F"], "unit": ["organisation"]}).set_index("id", drop=False)
    >>> cases = pd.DataFrame({"case": ["a", "b"], "admin_code": ["1", "2"], "level": ["prefecture"] * 2})
    >>> documents = pd.DataFrame({"source_id": ["sa", "sb"], "reference_date": ["2021-05-10", None]})
    >>> result = undated_comparison(facts, codebook, frame, cases, documents=documents)
    >>> result.table[["case", "period", "reference_date", "value"]].values.tolist()
    [['a', 'not stated (目前)', '2021-05-10', 3.0], ['b', 'not stated', '', 5.0]]
    >>> undated_caption(result.table)
    '2 places with values (a, b); periods not stated in the documents and may differ (document reference dates: a 2021-05-10, b none); sources: sa, sb'
    """
    require_columns(facts, FACT_COLUMNS, "undated_comparison")
    require_columns(cases, ("case", "admin_code", "level"), "undated_comparison(cases)")
    if status not in ("achieved", "target"):
        raise ValueError(f"status must be 'achieved' or 'target', got {status!r}")
    own = own_case_facts(facts, cases)
    own = own[own["is_target"].astype(bool) == (status == "target")]
    own = with_frame(own, codebook_indicators, frame)
    own = own[(own["frame"] != "none") & period_not_stated(own)]
    if dated is not None and not dated.table.empty:
        own = own[~own["record_id"].isin(set(dated.table["record_id"]))]
    for column in ("source_id", "qualifier"):
        if column not in own.columns:
            own = own.assign(**{column: ""})
    reference_dates: dict[str, str] = {}
    if documents is not None and {"source_id", "reference_date"} <= set(documents.columns):
        reference_dates = {
            s: d
            for s, d in zip(documents["source_id"], documents["reference_date"])
            if isinstance(d, str) and d.strip()
        }
    period_text = own["period_text"].where(~_blank(own["period_text"]), "").astype(str).str.strip()
    own = own.assign(
        period=[f"{NOT_STATED} ({text})" if text else NOT_STATED for text in period_text],
        year=pd.array([pd.NA] * len(own), dtype="Int64"),
        reference_date=[reference_dates.get(source, "") for source in own["source_id"]],
    )
    order = {case: number for number, case in enumerate(cases["case"])}
    drawn: list[pd.DataFrame] = []
    listed: list[dict] = []
    reasons: list[dict] = []
    for frame_id in [f for f in frame.index if f in set(own["frame"])]:
        rows = own[own["frame"] == frame_id]
        labels = {"frame": frame_id, "frame_zh": frame.loc[frame_id, "zh"], "frame_en": frame.loc[frame_id, "en"]}
        chosen = []
        for case, group in rows.groupby("case", sort=False):
            if len(group) > 1:
                _set_aside(
                    reasons, listed, labels, case, [group], "several values, period not stated: listed, not compared"
                )
            else:
                chosen.append(group)
        if len(chosen) < min_places:
            if chosen:
                reason = (
                    f"{len(chosen)} place(s) with one value whose period is not stated; a comparison needs {min_places}"
                )
                _set_aside(reasons, listed, labels, "all", chosen, reason)
            continue
        drawn.extend(chosen)
    table, listed_frame = _drawn_and_listed(drawn, listed, frame, places, per, order, UNDATED_COLUMNS)
    return FrameComparison(
        table=table,
        listed=listed_frame,
        not_compared=_reasons(reasons),
        window=0,
        status=status,
        extra={"group": "period not stated"},
    )


def undated_caption(table: pd.DataFrame) -> str:
    """The caption of an undated comparison, computed from the rows drawn, stating that the periods may differ.

    Examples
    --------
    >>> rows = pd.DataFrame({"case": ["a", "b"], "value": [1.0, 2.0], "reference_date": ["2021-05-10", ""],
    ...                      "source_id": ["s1", "s2"]})
    >>> undated_caption(rows)
    '2 places with values (a, b); periods not stated in the documents and may differ (document reference dates: a 2021-05-10, b none); sources: s1, s2'
    >>> undated_caption(rows.iloc[:0])
    'no place with a value'
    """
    n, sources = caption_parts(table.drop(columns=["year"], errors="ignore"))
    if n == "no place with a value":
        return n
    shown = table[pd.to_numeric(table["value"], errors="coerce").notna()]
    dates = (
        shown.drop_duplicates(["case", "reference_date"])
        if "reference_date" in shown.columns
        else shown.drop_duplicates("case")
    )
    stated = ", ".join(
        f"{case} {date if isinstance(date, str) and date else 'none'}"
        for case, date in zip(dates["case"], dates.get("reference_date", pd.Series([""] * len(dates))))
    )
    return f"{n}; periods not stated in the documents and may differ (document reference dates: {stated}); sources: {sources}"
