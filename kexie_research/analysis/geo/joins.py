"""Processed tables joined to boundaries by admin code; the cases' geometries, region and counts."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from kexie_research.analysis.geo.base import (
    APPROXIMATE_SEAT,
    WGS84,
    GeoError,
    GeoJoinWarning,
    choose_option,
)
from kexie_research.analysis.geo.layers import is_admin_code, load_boundaries
from kexie_research.steps.geo import LAYERS

_LEVEL_LAYER = {
    "country": "country",
    "province": "provinces",
    "prefecture": "prefectures",
    "district": "counties",
    "county": "counties",
    "county-level city": "counties",
}


def load_table(name: str) -> pd.DataFrame:
    """A processed table by name (``cases``, ``distance_pairs``, ``timeline``, ``places``, ``divisions`` …)
    through its loader in :mod:`kexie_research.data` (``load_<name>``).

    Examples
    --------
    >>> "case" in load_table("cases").columns
    True
    """
    from kexie_research import data

    loader = getattr(data, f"load_{name}", None)
    if loader is None:
        raise GeoError(f"no processed table {name!r} (kexie_research.data has no load_{name})")
    return loader()


def place_boundaries(codes: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """Every polygon a place can have: country, provinces, prefectures, counties (one row per admin_code,
    with the ``layer`` it came from); only those of ``codes`` when given (all-China layers are large).

    Examples
    --------
    >>> shapes = place_boundaries()
    >>> shapes.admin_code.is_unique and {"country", "provinces"} <= set(shapes.layer)
    True
    >>> place_boundaries(["100000"]).layer.tolist()
    ['country']
    """
    wanted = None if codes is None else set(codes)
    frames = []
    for layer in ("country", "provinces", "prefectures", "counties"):
        frame = load_boundaries(layer)
        if wanted is not None:
            frame = frame[frame.admin_code.isin(wanted)]
        frame["layer"] = layer
        frames.append(frame)
    combined = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=WGS84)
    return combined.drop_duplicates("admin_code", keep="first", ignore_index=True)


def join_places(places: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """The places table with one geometry per place (GeoDataFrame, EPSG:4326).

    Every place must find exactly one geometry in the layer of its level; otherwise
    :class:`GeoError` lists the places without one.

    Examples
    --------
    >>> joined = join_places()
    >>> bool(joined.geometry.notna().all()), joined.crs.to_epsg()
    (True, 4326)
    """
    if places is None:
        places = load_table("places")
    check_admin_codes(places, "places")
    shapes = place_boundaries(places.admin_code)[["admin_code", "layer", "geometry"]]
    joined = places.merge(shapes, on="admin_code", how="left", validate="one_to_one")
    missing = joined[joined.geometry.isna()]
    if not missing.empty:
        listed = ", ".join(f"{row.admin_code} {row.name_zh}" for row in missing.itertuples())
        raise GeoError(f"no boundary in the boundary layers for place(s): {listed}")
    if "level" in joined.columns:
        wrong = joined[[_LEVEL_LAYER.get(level) != layer for level, layer in zip(joined.level, joined.layer)]]
        if not wrong.empty:
            listed = ", ".join(f"{row.admin_code} ({row.level} found in {row.layer})" for row in wrong.itertuples())
            raise GeoError(f"places joined to a layer of another level: {listed}")
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=WGS84)


def check_admin_codes(frame: pd.DataFrame, what: str) -> None:
    """Check that ``frame`` is a DataFrame whose ``admin_code`` are 6-digit strings (a :class:`GeoError` naming
    ``what`` and the row otherwise).

    Examples
    --------
    >>> check_admin_codes(pd.DataFrame({"admin_code": ["450400"]}), "cases")
    >>> try:
    ...     check_admin_codes(pd.DataFrame({"admin_code": [450400]}), "cases")
    ... except GeoError as exc:
    ...     print(str(exc)[:55])
    cases: row 0: admin_code 450400 is not a 6-digit string
    """
    if not isinstance(frame, pd.DataFrame):
        raise GeoError(f"{what}: expected a DataFrame, got {type(frame).__name__}")
    if "admin_code" not in frame.columns:
        raise GeoError(f"{what}: no admin_code column (columns: {', '.join(map(str, frame.columns))})")
    for index, code in frame["admin_code"].items():
        if not is_admin_code(code):
            raise GeoError(
                f"{what}: row {index}: admin_code {code!r} is not a 6-digit string "
                "(admin codes are strings such as '110000', never ints)"
            )


def join_indicators(df: pd.DataFrame, layer: str, *, how: str = "left") -> gpd.GeoDataFrame:
    """Attach a frame with one row per ``admin_code`` to the geometries of ``layer``.

    ``how="left"`` keeps every feature of the layer (units without data get NA, to be drawn as
    "not stated", never as zero); ``how="inner"`` keeps only matched features. Codes of ``df`` that
    are not in the layer are reported by a :class:`GeoJoinWarning` (OWID habit: say what did not
    match). Columns of ``df`` that clash with the layer's get the suffix ``_data``.

    Examples
    --------
    >>> frame = pd.DataFrame({"admin_code": ["450422"], "value": [1.0]})
    >>> joined = join_indicators(frame, "counties", how="inner")
    >>> joined[["admin_code", "value"]].values.tolist()
    [['450422', 1.0]]
    """
    layer = choose_option(layer, LAYERS, "layer")
    how = choose_option(how, ("left", "inner"), "join type")
    check_admin_codes(df, "join_indicators(df)")
    duplicated = df.admin_code[df.admin_code.duplicated()]
    if not duplicated.empty:
        raise GeoError(
            f"join_indicators: admin_code appears more than once in df ({', '.join(sorted(set(duplicated)))}); "
            "reduce it to one row per place first (e.g. with indicator_values())"
        )
    shapes = load_boundaries(layer)
    unmatched = sorted(set(df.admin_code) - set(shapes.admin_code))
    if unmatched:
        warnings.warn(
            f"join_indicators: {len(unmatched)} code(s) have no geometry in layer {layer!r}: {', '.join(unmatched)}",
            GeoJoinWarning,
            stacklevel=2,
        )
    data = df.drop(columns=[c for c in ("geometry",) if c in df.columns])
    joined = shapes.merge(data, on="admin_code", how=how, suffixes=("", "_data"))
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=WGS84)


def case_geometries(cases: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """The cases table with each case's boundary, seat and map anchor (GeoDataFrame, EPSG:4326).

    Added columns: ``name_zh``/``name_en`` (the division's names), ``layer``, ``has_boundary``,
    ``seat_lon``/``seat_lat`` (NaN without a seat in the places table), ``anchor_lon``/``anchor_lat``
    (the seat, else a representative point of the boundary) and ``anchor_kind`` ("seat",
    "boundary point" or "" when neither exists). :func:`approximate_seat_note` names the cases placed
    at a boundary point. A case whose admin_code is not a Chinese division
    raises :class:`GeoError` naming it; a division the layers do not cover yet keeps an empty geometry.

    Examples
    --------
    >>> cases = case_geometries()
    >>> bool(cases.has_boundary.all()), len(cases) == len(load_table("cases"))
    (True, True)
    """
    if cases is None:
        cases = load_table("cases")
    check_admin_codes(cases, "cases")
    shapes = place_boundaries(cases.admin_code)[["admin_code", "layer", "geometry"]]
    merged = cases.merge(shapes, on="admin_code", how="left", validate="many_to_one")
    missing = merged.geometry.isna()
    if missing.any():
        divisions = set(load_table("divisions").admin_code)
        unknown = merged[missing & ~merged.admin_code.isin(divisions)]
        if not unknown.empty:
            listed = ", ".join(f"{row.case} ({row.admin_code})" for row in unknown.itertuples())
            raise GeoError(f"case(s) whose admin_code is not a Chinese administrative division: {listed}")
    merged["has_boundary"] = ~missing.to_numpy()
    places = load_table("places").set_index("admin_code")
    divisions = load_table("divisions").drop_duplicates("admin_code").set_index("admin_code")

    def name(code: str, column: str, fallback: str) -> str:
        for table in (places, divisions):
            if code in table.index and isinstance(table.at[code, column], str) and table.at[code, column]:
                return table.at[code, column]
        return fallback

    merged["name_zh"] = [name(c, "name_zh", z) for c, z in zip(merged.admin_code, merged.case_zh)]
    merged["name_en"] = [name(c, "name_en", e) for c, e in zip(merged.admin_code, merged.case_en)]
    seats = places.reindex(merged.admin_code)
    merged["seat_lon"] = pd.to_numeric(seats["seat_lon"], errors="coerce").to_numpy(dtype=float)
    merged["seat_lat"] = pd.to_numeric(seats["seat_lat"], errors="coerce").to_numpy(dtype=float)
    anchors = []
    for row in merged.itertuples():
        if math.isfinite(row.seat_lon) and math.isfinite(row.seat_lat):
            anchors.append((row.seat_lon, row.seat_lat, "seat"))
        elif row.has_boundary:
            point = row.geometry.representative_point()
            anchors.append((point.x, point.y, "boundary point"))
        else:
            anchors.append((np.nan, np.nan, ""))
    merged["anchor_lon"], merged["anchor_lat"], merged["anchor_kind"] = zip(*anchors) if anchors else ([], [], [])
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84)


def approximate_seat_note(cases: pd.DataFrame) -> str:
    """The note naming the cases placed at a point of their boundary (no seat in the places table), for
    map captions; "" when every case has a cited seat.

    Examples
    --------
    >>> frame = pd.DataFrame({"case_zh": ["甲", "乙"], "case_en": ["A", "B"], "anchor_kind": ["seat", "boundary point"]})
    >>> approximate_seat_note(frame)
    'seat of 乙 B: approximate: a point inside the boundary, not the government seat'
    >>> approximate_seat_note(frame.iloc[:1])
    ''
    """
    derived = cases[cases.anchor_kind == "boundary point"]
    if derived.empty:
        return ""
    names = ", ".join(f"{row.case_zh} {row.case_en}" for row in derived.itertuples())
    return f"seat of {names}: {APPROXIMATE_SEAT}"


def case_region(cases: gpd.GeoDataFrame, pad: float = 0.15, min_span: float = 3.0) -> tuple[float, float, float, float]:
    """The lon/lat box (west, east, south, north) around the cases' boundaries and anchors, padded by
    ``pad`` of its larger side and at least ``min_span`` degrees wide and high.

    Examples
    --------
    >>> frame = gpd.GeoDataFrame({"anchor_lon": [110.0], "anchor_lat": [25.0]}, geometry=[shapely.box(109, 24, 111, 26)], crs=WGS84)
    >>> case_region(frame, pad=0.0, min_span=3.0)
    (108.5, 111.5, 23.5, 26.5)
    """
    parts = [geometry for geometry in cases.geometry if geometry is not None and not geometry.is_empty]
    parts += [Point(x, y) for x, y in zip(cases.anchor_lon, cases.anchor_lat) if math.isfinite(x) and math.isfinite(y)]
    if not parts:
        raise GeoError("case_region: no case has a boundary or a seat to map")
    west, south, east, north = shapely.union_all(parts).bounds
    margin = pad * max(east - west, north - south)
    west, east, south, north = west - margin, east + margin, south - margin, north + margin
    if east - west < min_span:
        middle = (east + west) / 2
        west, east = middle - min_span / 2, middle + min_span / 2
    if north - south < min_span:
        middle = (north + south) / 2
        south, north = middle - min_span / 2, middle + min_span / 2
    return (round(west, 6), round(east, 6), round(south, 6), round(north, 6))


def count_note(cases: pd.DataFrame, noun: str = "place") -> str:
    """``"6 places"``: the number of cases, counted from the data (for titles, notes and captions).

    Examples
    --------
    >>> count_note(pd.DataFrame({"case": ["a", "b"]}))
    '2 places'
    >>> count_note(pd.DataFrame({"case": ["a"]}))
    '1 place'
    """
    n = int(pd.Series(cases["case"]).nunique())
    return f"{n} {noun}{'' if n == 1 else 's'}"
