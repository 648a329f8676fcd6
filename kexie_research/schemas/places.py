"""Schemas of ``places.csv`` (the places the project uses, with populations) and ``divisions.csv``.

Example::

    >>> SCOPE_LEVEL_OF["prefecture"], SCOPE_LEVEL_OF["county-level city"]
    ('city', 'county')
"""

from __future__ import annotations

import pandera.pandas as pa

from kexie_research.schemas.table import CODE, Column, Table, text

_LEVELS = "country, province, prefecture, district, county or county-level city"
#: The scope level of a coded fact that describes a whole unit of this administrative level
#: (the coding sheets' ``scope_level`` of a place level of the division reference).
SCOPE_LEVEL_OF: dict[str, str] = {
    "country": "national",
    "province": "provincial",
    "prefecture": "city",
    "district": "county",
    "county": "county",
    "county-level city": "county",
    "county-level": "county",
}

PLACES = Table(
    "places",
    "places.csv",
    "The administrative places the project uses (cited places, every case's place with its ancestors and the units inside it), "
    "with 2020-census populations where a cited source gives one (sources per row)",
    {
        "admin_code": text("6-digit administrative division code", unique=True, pattern=CODE),
        "name_zh": text("Official Chinese name"),
        "name_en": text("English / pinyin name"),
        "level": text(_LEVELS),
        "parent_code": text("Code of the administrative parent", nullable=True),
        "case": text("Case key the unit belongs to (empty outside every case)", nullable=True),
        "population_2020": Column(
            "integer",
            "7th-census resident population (2020-11-01); empty = population not available",
            nullable=True,
            checks=(pa.Check.gt(0),),
        ),
        "population_2010": Column("integer", "2010 base as implied by the 2020 bulletin; see note", nullable=True),
        "area_km2": Column("number", "Land area where a source states it", nullable=True),
        "gdp_2020_100m_cny": Column("number", "2020 GDP in 100 million CNY where a source states it", nullable=True),
        "seat_lon": Column(
            "number",
            "Longitude (WGS84) of the government seat; precision in note",
            nullable=True,
            checks=(pa.Check.in_range(-180, 180),),
        ),
        "seat_lat": Column(
            "number",
            "Latitude (WGS84) of the government seat; precision in note",
            nullable=True,
            checks=(pa.Check.in_range(-90, 90),),
        ),
        "source_population": text("URL the 2020 population was read from"),
        "source_quote": text("Verbatim quote showing the population"),
        "note": text("Source tier, derivations, conflicts"),
    },
    primary_key="admin_code",
)

DIVISIONS = Table(
    "divisions",
    "divisions.csv",
    "Administrative division reference: every unit with its code, names, level and parent",
    {
        "admin_code": text("6-digit administrative division code", unique=True, pattern=CODE),
        "name_zh": text("Official Chinese name"),
        "name_en": text("English / pinyin name (empty where the reference has none)"),
        "level": text(_LEVELS),
        "parent_code": text("Code of the administrative parent (empty for the country and provinces)", nullable=True),
    },
    primary_key="admin_code",
)
