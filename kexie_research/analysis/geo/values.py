"""Indicator values per 10,000 residents for the cases or their counties."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd

from kexie_research.analysis.geo.base import (
    SCALES,
    WGS84,
    GeoError,
    choose_option,
)
from kexie_research.analysis.geo.layers import county_units
from kexie_research.schemas.places import SCOPE_LEVEL_OF
from kexie_research.analysis.geo.joins import case_geometries, load_table
from kexie_research.data import load_codebook


def check_parameters(indicator: str, scale: str) -> pd.Series:
    """Validate the geographic notebook's parameters; returns the indicator's codebook row.

    Examples
    --------
    >>> check_parameters("enterprise_kexie_count", "prefecture")["unit"]
    'organisation'
    """
    choose_option(scale, SCALES, "scale")
    return indicator_meta(indicator)


def indicator_meta(indicator_id: str) -> pd.Series:
    """The codebook row (zh, en, dimension, unit, definition) of ``indicator_id``, or the frame row of a frame
    indicator (its category as the dimension); :class:`GeoError` if unknown.

    Examples
    --------
    >>> indicator_meta("kexie_annual_work_budget")["unit"]
    'CNY'
    >>> indicator_meta("enterprise_kexie")["en"]
    'Enterprise kexie organisations'
    """
    codebook = load_codebook()
    if indicator_id in codebook.indicators.index:
        return codebook.indicator(indicator_id)
    frame = getattr(codebook, "frame", pd.DataFrame())
    if indicator_id in frame.index:
        return frame.loc[indicator_id].rename({"category": "dimension"})
    known = codebook.indicators.index.tolist() + frame.index.tolist()
    close = difflib.get_close_matches(str(indicator_id), known, n=3)
    raise GeoError(
        f"unknown indicator {indicator_id!r} (neither a codebook nor a frame indicator)"
        + (f"; close: {', '.join(close)}" if close else "")
    )


def on_frame(indicators: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """The facts of a frame indicator under its id (those whose codebook indicator maps to it); other ids unchanged.

    Examples
    --------
    >>> import kexie_research as kr
    >>> facts = on_frame(kr.load_indicators(), "enterprise_kexie")
    >>> set(facts.indicator_id) <= {"enterprise_kexie"}
    True
    """
    codebook = load_codebook()
    frame = getattr(codebook, "frame", pd.DataFrame())
    if (
        indicator_id in codebook.indicators.index
        or indicator_id not in frame.index
        or "frame" not in codebook.indicators
    ):
        return indicators
    mapped = indicators[indicators["indicator_id"].map(codebook.indicators["frame"]) == indicator_id]
    return mapped.assign(indicator_id=indicator_id)


def populations(codes: Iterable[str]) -> pd.Series:
    """The 2020 census population of each code (places table), NA where the table has none.

    Examples
    --------
    >>> populations(["450400", "999999"]).tolist()
    [2820977.0, <NA>]
    """
    places = load_table("places").drop_duplicates("admin_code").set_index("admin_code")
    values = (
        places["population_2020"].reindex(list(codes))
        if "population_2020" in places.columns
        else pd.Series(pd.NA, index=list(codes))
    )
    return pd.to_numeric(values, errors="coerce").astype("Float64")


def case_units(scale: str, cases: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """The mapped units at ``scale``, each with its ``case``, names, 2020 population and geometry.

    ``"prefecture"``: the cases themselves (whatever their level); ``"county"``: the county-level units
    of every case with ``county_panel`` (a county-level case is its own single unit). Units without a
    population have NA (drawn as "population not available").

    Examples
    --------
    >>> units = case_units("prefecture")
    >>> list(units.case) == list(load_table("cases").case)
    True
    """
    scale = choose_option(scale, SCALES, "scale")
    cases = load_table("cases") if cases is None else cases
    geometries = case_geometries(cases)
    if scale == "prefecture":
        units = geometries[["case", "admin_code", "name_zh", "name_en", "level", "colour", "geometry"]].copy()
    else:
        frames = []
        names_en = load_table("places").drop_duplicates("admin_code").set_index("admin_code").name_en
        for row in geometries[geometries.county_panel.astype(bool)].itertuples():
            part = county_units(row.admin_code, row.level)
            part["case"], part["colour"] = row.case, row.colour
            part["name_en"] = [names_en.get(code, "") for code in part.admin_code]
            frames.append(part[["case", "admin_code", "name_zh", "name_en", "level", "colour", "geometry"]])
        columns = ["case", "admin_code", "name_zh", "name_en", "level", "colour", "geometry"]
        units = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    units["population_2020"] = populations(units.admin_code).to_numpy()
    units["scope_level"] = units.level.map(SCOPE_LEVEL_OF)
    return gpd.GeoDataFrame(units.reset_index(drop=True), geometry="geometry", crs=WGS84)


INDICATOR_REQUIRED = (
    "record_id",
    "indicator_id",
    "admin_code",
    "scope_level",
    "is_target",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "raw_text",
    "period_text",
    "period_end",
    "quote",
)


def indicator_values(
    indicators: pd.DataFrame,
    indicator_id: str,
    scale: str,
    *,
    include_targets: bool = False,
    units: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One value per mapped unit for ``indicator_id`` (only units with a stated value).

    A row counts for a unit when its admin_code is the unit's and its scope level describes the
    whole unit (``city`` for a prefecture, ``county`` for a county-level unit): a prefecture's own
    kexie (city) and a county-scope row resolved to the prefecture (其他县（市、区）科协) are not mixed
    up. Targets are left out unless ``include_targets``. Where several rows remain, the one with the
    latest period_end wins (undated rows count as oldest; ties: first record_id); ``n_records`` says
    how many there were.

    Examples
    --------
    >>> import kexie_research as kr
    >>> values = indicator_values(kr.load_indicators(), "enterprise_kexie_count", "prefecture")
    >>> bool((values.n_records >= 1).all())
    True
    """
    indicator_meta(indicator_id)
    missing = [column for column in INDICATOR_REQUIRED if column not in indicators.columns]
    if missing:
        raise GeoError(f"indicator table lacks column(s) {', '.join(missing)} (see kexie_research.schemas.indicators)")
    units = case_units(scale) if units is None else units
    rows = indicators[indicators.indicator_id == indicator_id]
    if not include_targets:
        rows = rows[~rows.is_target.astype(bool)]
    rows = rows.merge(units[["admin_code", "scope_level"]], on=["admin_code", "scope_level"], how="inner")
    if rows.empty:
        return pd.DataFrame(columns=[*INDICATOR_REQUIRED, "n_records"])
    rows = rows.assign(_end=rows.period_end.fillna("")).sort_values(
        ["admin_code", "_end", "record_id"], ascending=[True, False, True]
    )
    counts = rows.groupby("admin_code").size().rename("n_records")
    chosen = rows.drop_duplicates("admin_code", keep="first").drop(columns="_end")
    return chosen.merge(counts, on="admin_code").reset_index(drop=True)


def per_10k(
    indicators: pd.DataFrame,
    indicator_id: str,
    scale: str = "prefecture",
    *,
    include_targets: bool = False,
    cases: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Every unit at ``scale`` with the indicator's value per 10,000 residents (2020 census).

    ``indicator_id`` may be a frame indicator: the facts of every codebook indicator that maps to it count.

    ``status`` is "value", "no population" (no census figure: "population not available", no rate)
    or "not stated" (the texts give no value: NA, never 0). ``rate_per_10k`` (and ``rate_low`` /
    ``rate_high`` for bounded values) = value / population_2020 × 10,000; the qualifier of the value
    (``at_least`` for 30多个 …) carries over to the rate. ``.attrs`` carries the indicator's names,
    unit, scale and ``n_cases`` (counted from the cases table).

    Examples
    --------
    >>> import kexie_research as kr
    >>> table = per_10k(kr.load_indicators(), "enterprise_kexie_count")
    >>> set(table.status) <= {"value", "no population", "not stated"}
    True
    """
    meta = indicator_meta(indicator_id)
    indicators = on_frame(indicators, indicator_id)
    cases = load_table("cases") if cases is None else cases
    units = case_units(scale, cases)
    values = indicator_values(indicators, indicator_id, scale, include_targets=include_targets, units=units)
    keep = [
        "admin_code",
        "record_id",
        "value",
        "low",
        "high",
        "unit",
        "qualifier",
        "raw_text",
        "period_text",
        "quote",
        "n_records",
    ]
    merged = units.merge(values[keep], on="admin_code", how="left")
    population = merged.population_2020.astype("Float64")
    factor = 1e4 / population
    merged["rate_per_10k"] = (merged.value.astype("Float64") * factor).astype("float64")
    merged["rate_low"] = (merged.low.astype("Float64") * factor).astype("float64")
    merged["rate_high"] = (merged.high.astype("Float64") * factor).astype("float64")
    merged["n_records"] = merged.n_records.fillna(0).astype("int64")
    merged["status"] = np.where(
        merged.value.isna(),
        "not stated",
        np.where(population.isna().to_numpy(dtype=bool, na_value=True), "no population", "value"),
    )
    out = gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84)
    out.attrs.update(
        indicator_id=indicator_id,
        indicator_zh=meta["zh"],
        indicator_en=meta["en"],
        unit=meta["unit"],
        scale=scale,
        n_cases=int(cases.case.nunique()),
    )
    return out


def comparable_indicators(indicators: pd.DataFrame, min_cases: int = 2) -> list[str]:
    """Indicators with a whole-unit, non-target value for at least ``min_cases`` cases (sorted by how many
    cases have one, then by id): the ones a per-capita comparison can use.

    Examples
    --------
    >>> import kexie_research as kr
    >>> "enterprise_kexie_count" in comparable_indicators(kr.load_indicators())
    True
    """
    units = case_units("prefecture")
    rows = indicators[~indicators.is_target.astype(bool)].merge(
        units[["admin_code", "scope_level"]], on=["admin_code", "scope_level"]
    )
    counts = rows.groupby("indicator_id").admin_code.nunique()
    counts = counts[counts >= min_cases]
    return sorted(counts.index, key=lambda key: (-counts[key], key))
