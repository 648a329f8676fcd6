"""County panels: stated values, stated bounds and counties named in a quote."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from kexie_research.analysis.geo.base import COUNTY_LEVELS, WGS84, GeoError
from kexie_research.analysis.geo.layers import county_units
from kexie_research.analysis.geo.joins import load_table
from kexie_research.analysis.geo.values import indicator_meta


def _year_of(start: object, end: object) -> int | None:
    start, end = (str(v)[:4] if isinstance(v, str) and v else "" for v in (start, end))
    return int(start) if start and start == end else None


def county_breakdowns(indicators: pd.DataFrame, cases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where the texts break an indicator down by county: one row per (case, indicator, year) of a case
    with ``county_panel`` where at least two county-level units have a stated value or fall under a
    stated bound (a county-scope ``at_most`` row on the case itself: "其他县…均没有超过…").

    Columns: case, admin_code, indicator_id, year (Int64, NA = no single year), n_stated, n_bound.

    Examples
    --------
    >>> import kexie_research as kr
    >>> list(county_breakdowns(kr.load_indicators()).columns)
    ['case', 'admin_code', 'indicator_id', 'year', 'n_stated', 'n_bound']
    """
    cases = load_table("cases") if cases is None else cases
    rows = indicators[~indicators.is_target.astype(bool) & (indicators.scope_level == "county")]
    found = []
    for case in cases[cases.county_panel.astype(bool)].itertuples():
        if case.level in COUNTY_LEVELS:
            continue  # a county-level case is one unit: nothing to break down
        children = set(county_units(case.admin_code, case.level).admin_code)
        mine = rows[
            rows.admin_code.isin(children) | ((rows.admin_code == case.admin_code) & (rows.qualifier == "at_most"))
        ]
        mine = mine.assign(_year=[_year_of(s, e) for s, e in zip(mine.period_start, mine.period_end)])
        for (indicator_id, year), group in mine.groupby(["indicator_id", mine._year.fillna(-1)], sort=True):
            stated = set(group.admin_code) & children
            bound = bool(((group.admin_code == case.admin_code) & (group.qualifier == "at_most")).any())
            n_bound = len(children - stated) if bound else 0
            if len(stated) >= 1 and len(stated) + n_bound >= 2:
                found.append(
                    {
                        "case": case.case,
                        "admin_code": case.admin_code,
                        "indicator_id": indicator_id,
                        "year": None if year == -1 else int(year),
                        "n_stated": len(stated),
                        "n_bound": n_bound,
                    }
                )
    frame = pd.DataFrame(found, columns=["case", "admin_code", "indicator_id", "year", "n_stated", "n_bound"])
    frame["year"] = frame["year"].astype("Int64")
    return frame


def county_values_with_bound(
    indicators: pd.DataFrame,
    indicator_id: str,
    prefecture_code: str,
    *,
    year: int | None = None,
) -> gpd.GeoDataFrame:
    """County-level units of one case with stated values, a stated bound, or "not stated".

    Built for texts such as 某市科协51万元、某县科协26万元，其他县（市、区）科协…均没有超过10万元:
    counties with their own row get ``status="stated"``; a county-scope row on the case itself
    with qualifier ``at_most`` is a bound for the other counties (``status="bound"``, ``bound`` =
    its ``high``); the rest are ``"not stated"``. ``year`` keeps only rows whose period lies in it.

    Examples
    --------
    >>> import kexie_research as kr
    >>> row = county_breakdowns(kr.load_indicators()).iloc[0]
    >>> table = county_values_with_bound(kr.load_indicators(), row.indicator_id, row.admin_code, year=row.year)
    >>> bool(int((table.status == "stated").sum()) == row.n_stated)
    True
    """
    indicator_meta(indicator_id)
    counties = county_units(prefecture_code)
    if counties.empty:
        raise GeoError(f"no county-level units of {prefecture_code} in the counties layer")
    rows = indicators[(indicators.indicator_id == indicator_id) & ~indicators.is_target.astype(bool)]
    if year is not None and not pd.isna(year):
        rows = rows[
            rows.period_start.fillna("").str.startswith(str(year))
            & rows.period_end.fillna("").str.startswith(str(year))
        ]
    stated = rows[(rows.scope_level == "county") & rows.admin_code.isin(counties.admin_code)]
    bound_rows = rows[
        (rows.scope_level == "county") & (rows.admin_code == prefecture_code) & (rows.qualifier == "at_most")
    ]
    stated = stated.sort_values("record_id").drop_duplicates("admin_code")
    counties = counties.merge(
        stated[["admin_code", "record_id", "value", "raw_text", "quote"]], on="admin_code", how="left"
    )
    counties["status"] = np.where(counties.value.notna(), "stated", "not stated")
    counties["bound"] = np.nan
    if not bound_rows.empty:
        bound = bound_rows.sort_values("record_id").iloc[0]
        others = counties.value.isna()
        counties.loc[others, "status"] = "bound"
        counties.loc[others, "bound"] = bound["high"] if pd.notna(bound["high"]) else bound["value"]
        counties.loc[others, "record_id"] = bound["record_id"]
        counties.loc[others, "raw_text"] = bound["raw_text"]
        counties.loc[others, "quote"] = bound["quote"]
        counties.attrs["bound_raw_text"] = bound["raw_text"]
    return gpd.GeoDataFrame(counties, geometry="geometry", crs=WGS84)


def _names_unit(name: str, quote: str) -> bool:
    from kexie_research.steps.places import short_name

    short = short_name(name)
    return name in quote or (short is not None and short in quote)


def county_mentions(indicators: pd.DataFrame, cases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Case-level counts of places whose quote names some of the case's county-level units
    ("湄潭县、仁怀市等9个县(市、区)…"): one row per (case, indicator, record) of a case with
    ``county_panel``, for indicators counted in places (unit ``place``).

    Columns: case, admin_code, indicator_id, record_id, total, n_named, n_units.

    Examples
    --------
    >>> import kexie_research as kr
    >>> list(county_mentions(kr.load_indicators()).columns)
    ['case', 'admin_code', 'indicator_id', 'record_id', 'total', 'n_named', 'n_units']
    """
    cases = load_table("cases") if cases is None else cases
    rows = indicators[~indicators.is_target.astype(bool) & (indicators.unit == "place")]
    found = []
    for case in cases[cases.county_panel.astype(bool)].itertuples():
        if case.level in COUNTY_LEVELS:
            continue
        children = county_units(case.admin_code, case.level)
        for row in rows[rows.admin_code == case.admin_code].sort_values("record_id").itertuples():
            named = [name for name in children.name_zh if _names_unit(name, str(row.quote))]
            if named and pd.notna(row.value) and len(named) <= row.value <= len(children):
                found.append(
                    {
                        "case": case.case,
                        "admin_code": case.admin_code,
                        "indicator_id": row.indicator_id,
                        "record_id": row.record_id,
                        "total": float(row.value),
                        "n_named": len(named),
                        "n_units": len(children),
                    }
                )
    return pd.DataFrame(
        found, columns=["case", "admin_code", "indicator_id", "record_id", "total", "n_named", "n_units"]
    )


def counties_named_in_quote(
    indicators: pd.DataFrame,
    indicator_id: str,
    prefecture_code: str,
    *,
    record_id: str | None = None,
) -> gpd.GeoDataFrame:
    """County-level units of a case marked "named" when the quote of the case's row names them.

    Built for 湄潭县、仁怀市等9个县(市、区)已实现乡镇(街道)科协全覆盖: the row's value is the total
    (9), the quote names only some; every other unit is "unknown" — not "no". ``.attrs`` carries
    total, record_id, quote and n_units.

    Examples
    --------
    >>> import kexie_research as kr
    >>> row = county_mentions(kr.load_indicators()).iloc[0]
    >>> table = counties_named_in_quote(kr.load_indicators(), row.indicator_id, row.admin_code, record_id=row.record_id)
    >>> bool(int((table.status == "named").sum()) == row.n_named)
    True
    """
    indicator_meta(indicator_id)
    counties = county_units(prefecture_code)
    if counties.empty:
        raise GeoError(f"no county-level units of {prefecture_code} in the counties layer")
    rows = indicators[
        (indicators.indicator_id == indicator_id)
        & (indicators.admin_code == prefecture_code)
        & ~indicators.is_target.astype(bool)
    ]
    if record_id is not None:
        rows = rows[rows.record_id == record_id]
    if rows.empty:
        raise GeoError(f"no {indicator_id} row for {prefecture_code} in the indicator table")
    row = rows.sort_values("record_id").iloc[0]
    quote = str(row["quote"])
    counties["status"] = ["named" if _names_unit(name, quote) else "unknown" for name in counties.name_zh]
    counties.attrs.update(total=row["value"], record_id=row["record_id"], quote=quote, n_units=len(counties))
    return counties
