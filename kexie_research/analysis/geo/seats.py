"""Seats of places and cited reference points."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from kexie_research.analysis.geo.base import WGS84, GeoError
from kexie_research.analysis.geo.measure import check_lonlat
from kexie_research.analysis.geo.joins import check_admin_codes, load_table
from kexie_research.schemas.distance_targets import TARGET_COLUMNS


def _seat_precision(note: object) -> str:
    text = str(note).lower() if isinstance(note, str) else ""
    if "approximate" in text:
        return "approximate (±0.05–0.1°)"
    if "coarse" in text:
        return "coarse (arc-minute)"
    return "sourced"


PROVINCIAL_SEAT_PRECISION = "cited provincial seat (city point, ≤ 5 km)"


def _provincial_seat_rows(provincial_seats: pd.DataFrame, known: set[str]) -> pd.DataFrame:
    """Rows in the places table's shape for the provincial seats the places table does not give."""
    rows = provincial_seats[~provincial_seats.admin_code.astype(str).isin(known)]
    return pd.DataFrame(
        {
            "admin_code": rows.admin_code.astype(str),
            "name_zh": rows.province_zh,
            "name_en": rows.seat_en,
            "level": "province",
            "seat_lon": rows.lon.astype(float),
            "seat_lat": rows.lat.astype(float),
            "seat_precision": PROVINCIAL_SEAT_PRECISION,
        }
    )


def seat_points(places: pd.DataFrame | None = None, provincial_seats: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Seat (government / urban centre) points of the places that have one, with their precision.

    ``seat_precision`` is read from the places table's note: "approximate (±0.05–0.1°)" for seats
    the table marks as approximate general knowledge, "coarse (arc-minute)", or "sourced". Every
    provincial-level unit the places table gives no seat has the seat of the cited provincial seats
    table (:func:`kexie_research.data.load_provincial_seats`), so that the distance to the provincial
    capital is computed for any place. Places without a seat are listed in ``.attrs["without_seat"]``.

    Examples
    --------
    >>> seats = seat_points()
    >>> known = ["sourced", "coarse (arc-minute)", "approximate (±0.05–0.1°)", PROVINCIAL_SEAT_PRECISION]
    >>> seats.crs.to_epsg(), bool(seats.seat_precision.isin(known).all())
    (4326, True)
    """
    if places is None:
        places = load_table("places")
    if provincial_seats is None:
        try:
            provincial_seats = load_table("provincial_seats")
        except FileNotFoundError:  # a processed folder built before the table existed
            provincial_seats = pd.DataFrame(columns=["admin_code", "province_zh", "seat_en", "lon", "lat"])
    check_admin_codes(places, "places")
    lon = pd.to_numeric(places.seat_lon, errors="coerce")
    lat = pd.to_numeric(places.seat_lat, errors="coerce")
    has_seat = lon.notna() & lat.notna()
    with_seat = places[has_seat].copy()
    with_seat["seat_lon"], with_seat["seat_lat"] = lon[has_seat].astype(float), lat[has_seat].astype(float)
    for row in with_seat.itertuples():
        check_lonlat(row.seat_lon, row.seat_lat, f"places row {row.admin_code} {row.name_zh}")
    with_seat["seat_precision"] = [
        _seat_precision(note) for note in with_seat.get("note", pd.Series(index=with_seat.index))
    ]
    added = _provincial_seat_rows(provincial_seats, set(with_seat.admin_code.astype(str)))
    if not added.empty:
        with_seat = pd.concat(
            [with_seat, added.reindex(columns=with_seat.columns.union(added.columns, sort=False))], ignore_index=True
        )
    points = gpd.GeoDataFrame(with_seat, geometry=gpd.points_from_xy(with_seat.seat_lon, with_seat.seat_lat), crs=WGS84)
    points.attrs["without_seat"] = [
        name
        for code, name in zip(places.admin_code[~has_seat], places.name_zh[~has_seat])
        if str(code) not in set(added.admin_code)
    ]
    return points.reset_index(drop=True)


def distance_target_points() -> gpd.GeoDataFrame:
    """Cited reference points as WGS84 points: the processed table of
    :func:`kexie_research.data.load_distance_targets` (checked by the build) with a point geometry.

    Examples
    --------
    >>> targets = distance_target_points()
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
        check_lonlat(row.lon, row.lat, f"distance target {row.target_id}")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs=WGS84)
