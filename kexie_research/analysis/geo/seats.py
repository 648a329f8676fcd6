"""Seats of places and cited reference points."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from kexie_research.analysis.geo.base import TARGET_COLUMNS, WGS84, GeoError
from kexie_research.analysis.geo.measure import _check_lonlat
from kexie_research.analysis.geo.joins import _check_codes, load_table


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
