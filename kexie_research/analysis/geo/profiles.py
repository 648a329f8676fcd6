"""One profile per case (facts, per-capita figures, quotes) for the interactive map."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import pandas as pd

from kexie_research.analysis.geo.base import NO_POPULATION, WGS84
from kexie_research.analysis.geo.joins import case_geometries, load_table
from kexie_research.analysis.geo.timeline import reform_starts
from kexie_research.analysis.geo.values import (
    populations,
    comparable_indicators,
    indicator_meta,
    per_10k,
)


def case_profiles(
    indicators: pd.DataFrame,
    indicator_ids: Iterable[str] | None = None,
    *,
    n_quotes: int = 3,
    cases: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """One row per case with its facts, per-capita figures and quotes, for hover text and click panels.

    Columns: the case geometries (:func:`case_geometries`) plus ``population_text`` ("population not
    available" without one), ``n_facts``, ``n_sources``, ``reform`` (start as the texts say),
    ``per_capita`` (list of dicts: indicator_zh, indicator_en, raw_text, rate_per_10k, qualifier,
    record_id; only where value and population are known) and ``quotes`` (list of dicts: record_id,
    indicator_zh, indicator_en, raw_text, quote — those behind the per-capita figures first).
    ``indicator_ids`` defaults to :func:`comparable_indicators`.

    Examples
    --------
    >>> import kexie_research as kr
    >>> profiles = case_profiles(kr.load_indicators())
    >>> bool(profiles.quotes.map(len).gt(0).all())
    True
    """
    cases = load_table("cases") if cases is None else cases
    geometries = case_geometries(cases)
    ids = list(comparable_indicators(indicators) if indicator_ids is None else indicator_ids)
    rates: dict[str, list[dict[str, Any]]] = {case: [] for case in geometries.case}
    for indicator_id in ids:
        meta = indicator_meta(indicator_id)
        table = per_10k(indicators, indicator_id, "prefecture", cases=cases)
        for row in table[table.status == "value"].itertuples():
            rates[row.case].append(
                {
                    "indicator_id": indicator_id,
                    "indicator_zh": meta["zh"],
                    "indicator_en": meta["en"],
                    "raw_text": row.raw_text,
                    "rate_per_10k": float(row.rate_per_10k),
                    "qualifier": row.qualifier,
                    "record_id": row.record_id,
                }
            )
    starts = reform_starts(cases=cases).set_index("case")
    population = populations(geometries.admin_code)
    rows = []
    for number, row in enumerate(geometries.itertuples()):
        facts = indicators[indicators["case"] == row.case]
        facts = facts[~facts.is_target.astype(bool)].sort_values("record_id")
        behind = [item["record_id"] for item in rates[row.case]]
        ordered = pd.concat([facts[facts.record_id.isin(behind)], facts[~facts.record_id.isin(behind)]])
        quotes = [
            {
                "record_id": fact.record_id,
                "indicator_zh": getattr(fact, "indicator_zh", fact.indicator_id),
                "indicator_en": getattr(fact, "indicator_en", fact.indicator_id),
                "raw_text": fact.raw_text,
                "quote": fact.quote,
            }
            for fact in ordered.head(n_quotes).itertuples()
        ]
        start = starts.loc[row.case]
        reform = (f"{start.year}" if pd.notna(start.year) else start.year_rule) + (
            f" ({start.event_en})" if isinstance(start.event_en, str) else ""
        )
        people = population.iloc[number]
        rows.append(
            {
                "case": row.case,
                "population_text": NO_POPULATION if pd.isna(people) else f"{int(people):,} (2020 census)",
                "n_facts": len(facts),
                "n_sources": int(facts.source_id.nunique()) if "source_id" in facts.columns else 0,
                "reform": reform,
                "per_capita": rates[row.case],
                "quotes": quotes,
            }
        )
    profiles = geometries.merge(pd.DataFrame(rows), on="case", how="left")
    return gpd.GeoDataFrame(profiles, geometry="geometry", crs=WGS84)
