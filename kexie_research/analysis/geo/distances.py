"""The distances that matter to the policies (declared pairs plus every case's capital)."""

from __future__ import annotations


import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from kexie_research.analysis.geo.base import (
    APPROXIMATE_SEAT,
    CAPITAL_CONTEXT,
    LAYER_NAMES,
    WGS84,
    GeoError,
    choose_option,
)
from kexie_research.analysis.geo.layers import load_boundaries
from kexie_research.analysis.geo.measure import (
    distance_km,
    nearest_line,
    shared_border_km,
)
from kexie_research.analysis.geo.seats import distance_target_points, seat_points
from kexie_research.analysis.geo.joins import load_table, place_boundaries


def parse_end(end: str) -> tuple[str, ...]:
    """Split an end of a distance pair: ``seat:CODE``, ``target:ID``, ``polygon:LAYER:CODE``, ``layer:LAYER``.

    The grammar is the one the build checks ``cases.yaml`` with
    (:func:`kexie_research.steps.cases.parse_end`).

    Examples
    --------
    >>> parse_end("polygon:provinces:440000")
    ('polygon', 'provinces', '440000')
    >>> parse_end("seat:450400")
    ('seat', '450400')
    """
    from kexie_research.steps.cases import CaseError
    from kexie_research.steps.cases import parse_end as check_end

    try:
        parts = check_end(end)
    except CaseError as exc:
        raise GeoError(f"distance {exc}") from None
    return tuple(parts.values())


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
        {
            "pair_id": f"{row.case}_capital",
            "case": row.case,
            "context": context,
            "context_zh": context_zh,
            "context_en": context_en,
            "from_end": f"seat:{row.admin_code}",
            "to_end": f"seat:{row.province_code}",
            "measure": "distance",
        }
        for row in cases.itertuples()
        if row.level not in ("country", "province") and row.admin_code != row.province_code
    ]
    declared = pairs.reindex(
        columns=["pair_id", "case", "context", "context_zh", "context_en", "from_end", "to_end", "measure"]
    )
    declared = declared[~declared.pair_id.isin([p["pair_id"] for p in generated])]
    return pd.concat([declared, pd.DataFrame(generated, columns=declared.columns)], ignore_index=True)


class _Ends:
    """Resolve the ends of a distance pair to geometries and labels."""

    def __init__(self) -> None:
        self.seats = seat_points().set_index("admin_code", drop=False)
        self.targets = distance_target_points().set_index("target_id", drop=False)
        self.names = (
            pd.concat([load_table("places"), load_table("divisions")])
            .drop_duplicates("admin_code")
            .set_index("admin_code")
        )
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
                raise GeoError(
                    f"distance end {end!r}: unknown reference point (known: {', '.join(self.targets.index)})"
                )
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
            return (
                row.geometry,
                f"{row.name_zh}边界",
                f"boundary of {self._name_en(code, row.name_zh)}",
                f"boundary simplified ({tolerance})",
            )
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
        choose_option(pair.measure, ("distance", "shared_border"), "measure")
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
        rows.append(
            {
                "pair_id": pair.pair_id,
                "case": pair.case,
                "context": pair.context,
                "context_zh": pair.context_zh,
                "context_en": pair.context_en,
                "from_end": pair.from_end,
                "to_end": pair.to_end,
                "from_zh": from_zh,
                "from_en": from_en,
                "to_zh": to_zh,
                "to_en": to_en,
                "measure": pair.measure,
                "km": km,
                "method": method,
                "precision": f"{precision_a}; {precision_b}",
                "geometry": line,
            }
        )
    columns = [
        "pair_id",
        "case",
        "context",
        "context_zh",
        "context_en",
        "from_end",
        "to_end",
        "from_zh",
        "from_en",
        "to_zh",
        "to_en",
        "measure",
        "km",
        "method",
        "precision",
        "geometry",
    ]
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
        lines.append(
            f"- {row.context_zh} / {row.context_en}: {row.from_zh} → {row.to_zh} ({row.from_en} → {row.to_en}): {value} — {row.precision}"
        )
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
    targets = distance_target_points()
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
        rows.append(
            {
                "admin_code": seat.admin_code,
                "seat_zh": f"{seat.name_zh}驻地",
                "seat_en": f"{seat.name_en} seat",
                "target_id": target.target_id,
                "target_en": target.name_en,
                "km_apart": distances[nearest],
                "seat_precision": f"seat {seat.seat_precision}",
                "target_precision": f"reference point, {precision}",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "admin_code",
            "seat_zh",
            "seat_en",
            "target_id",
            "target_en",
            "km_apart",
            "seat_precision",
            "target_precision",
        ],
    )
