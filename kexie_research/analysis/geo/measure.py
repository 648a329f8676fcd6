"""Projections, areas and distances (geodesic between points, local azimuthal for boundaries)."""

from __future__ import annotations

import functools
import math
from typing import Any

import geopandas as gpd
import pandas as pd
import pyproj
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from kexie_research.analysis.geo.base import ALBERS_CHINA, GEOD, WGS84, GeoError


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
    check_lonlat(lon, lat, "aeqd_crs")
    return pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs")


def check_lonlat(lon: float, lat: float, where: str) -> None:
    """A :class:`GeoError` naming ``where`` unless (lon, lat) is a finite WGS84 longitude/latitude pair.

    Examples
    --------
    >>> check_lonlat(111.28, 23.48, "seat of 梧州市")
    >>> try:
    ...     check_lonlat(500000.0, 2600000.0, "seat of 梧州市")
    ... except GeoError as exc:
    ...     print(str(exc).split(";")[0])
    seat of 梧州市: (500000.0, 2600000.0) is not a WGS84 longitude/latitude pair
    """
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
    check_lonlat(minx, miny, where)
    check_lonlat(maxx, maxy, where)
    return geometry


@functools.lru_cache(maxsize=64)
def transformer(source: Any, target: Any) -> pyproj.Transformer:
    """A lon/lat-ordered transformer, built once per CRS pair (building one takes ~25 ms; a map
    needs dozens). Transformers are not thread-safe; the drawing code runs in one thread.

    Examples
    --------
    >>> x, y = transformer("EPSG:4326", "EPSG:3857").transform(0.0, 0.0)
    >>> round(x, 6), round(y, 6)
    (0.0, 0.0)
    """
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def reproject(geometry: BaseGeometry, source: Any, target: Any) -> BaseGeometry:
    """``geometry`` from CRS ``source`` to CRS ``target`` (coordinates in lon/lat order).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> reproject(Point(0, 0), "EPSG:4326", "EPSG:3857").wkt
    'POINT (0 0)'
    """
    return shapely.transform(geometry, transformer(source, target).transform, interleaved=False)


def _to_local(geometry: BaseGeometry, crs: pyproj.CRS) -> BaseGeometry:
    # Densify first: a long straight edge in lon/lat (a meridian, a parallel) is a curve once projected.
    return reproject(shapely.segmentize(geometry, 0.05), WGS84, crs)


def _from_local(geometry: BaseGeometry, crs: pyproj.CRS) -> BaseGeometry:
    return reproject(geometry, crs, WGS84)


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
    centre = (
        geometry_a
        if isinstance(geometry_a, Point)
        else geometry_b
        if isinstance(geometry_b, Point)
        else geometry_a.representative_point()
    )
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
