"""Constants and errors of the geography modules (CRS conventions, scales, notes)."""

from __future__ import annotations

import difflib
import importlib.util
from collections.abc import Iterable

# geopandas & co. are in the 'analysis' extra, not in the core dependencies: say so on import.
if any(importlib.util.find_spec(name) is None for name in ("geopandas", "pyproj", "shapely")):  # pragma: no cover
    raise ImportError(
        "kexie_research.analysis.geo needs geopandas, shapely and pyproj: pip install 'kexie-research[analysis]'"
    )

import pyproj

from kexie_research import config
from kexie_research.errors import GeoError
from kexie_research.schemas.distance_targets import DISTANCE_TARGETS

GEO_DIR = config.GEO_DIR
TARGETS_FILE = DISTANCE_TARGETS.path

WGS84 = "EPSG:4326"
ALBERS_CHINA = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
PLOT_CRS = ALBERS_CHINA
GEOD = pyproj.Geod(ellps="WGS84")

COUNTRY_CODE = "100000"
SCALES = ("prefecture", "county")  # "prefecture": the cases themselves (whatever their level); "county": county panels
COUNTY_LEVELS = ("district", "county", "county-level city", "county-level")
CENSUS_NOTE = "2020 census resident population (7th census, 2020-11-01; places table)"
NO_POPULATION = "population not available"
# The flag of a seat derived from a boundary (a case whose seat the places table does not cite): a
# representative point lies inside the polygon by construction, but it is not where the government sits.
APPROXIMATE_SEAT = "approximate: a point inside the boundary, not the government seat"
# Names of context layers (layers that are not administrative levels), for labels of distance ends.
LAYER_NAMES = {"gba": ("粤港澳大湾区", "Greater Bay Area")}
CAPITAL_CONTEXT = ("capital", "至省会（首府）", "To the provincial capital")


class GeoJoinWarning(UserWarning):
    """Some codes of a frame found no geometry in the layer they were joined to."""


def choose_option(value: str, valid: Iterable[str], what: str) -> str:
    """One validator for every string option: ``value`` if valid, else an error listing the valid ones.

    Examples
    --------
    >>> choose_option("county", SCALES, "scale")
    'county'
    >>> try:
    ...     choose_option("counties", SCALES, "scale")
    ... except GeoError as exc:
    ...     print(exc)
    unknown scale 'counties' (did you mean 'county'?); valid: prefecture, county
    """
    valid = tuple(valid)
    if value in valid:
        return value
    close = difflib.get_close_matches(str(value), valid, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise GeoError(f"unknown {what} {value!r}{hint}; valid: {', '.join(valid)}")
