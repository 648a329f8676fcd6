"""Schemas of ``cases.csv`` and ``distance_pairs.csv`` (the cases and their policy distance pairs)."""

from __future__ import annotations

import pandera.pandas as pa

from kexie_research.schemas.table import CODE, Column, Table, text

CASES = Table(
    "cases",
    "cases.csv",
    "The cases, one row each in manifest order: names, place, model, colour and map settings, every default filled in",
    {
        "case": text(
            "Case key (sources.yaml `case:`), the unit of comparison", unique=True, pattern=r"^[a-z][a-z0-9_]*$"
        ),
        "case_zh": text("Display name in Chinese (default: division name without its suffix)"),
        "case_en": text("Display name in English (default: the division reference's English name)"),
        "admin_code": text("6-digit code of the case's place", pattern=CODE),
        "level": text("Level of the case's place (prefecture, district, county …)"),
        "province_code": text("Code of the province-level unit containing the place"),
        "province_zh": text("Province-level unit in Chinese"),
        "province_en": text("Province-level unit in English"),
        "model_zh": text("Reform model as the case's document names it (empty if none)"),
        "model_en": text("Reform model in English"),
        "colour": text("Colour of the case in charts and maps (#RRGGBB)", unique=True, pattern=r"^#[0-9A-F]{6}$"),
        "label_dx": Column("number", "Map label offset in points, x (empty = automatic placement)", nullable=True),
        "label_dy": Column("number", "Map label offset in points, y (empty = automatic placement)", nullable=True),
        "label_ha": text(
            "Map label alignment: left, right, center (empty = automatic)", isin=("", "left", "right", "center")
        ),
        "county_panel": Column("boolean", "Whether a county-level map of the case is drawn"),
        "population": Column(
            "integer",
            "2020 census population of the place (empty = population not available)",
            nullable=True,
            checks=(pa.Check.gt(0),),
        ),
        "population_source": text("Where the population was read (URL), empty when not available"),
        "source_ids": text("The case's documents (source_id, ';'-separated, manifest order)"),
    },
    primary_key="case",
)

DISTANCE_PAIRS = Table(
    "distance_pairs",
    "distance_pairs.csv",
    "Policy distance pairs declared per case in cases.yaml (the distance to the provincial capital is computed for every case)",
    {
        "pair_id": text("Unique id of the pair", unique=True),
        "case": text("Case the pair belongs to"),
        "context": text("Policy context id"),
        "context_zh": text("Policy context in Chinese"),
        "context_en": text("Policy context in English"),
        "from_end": text("Start: seat:CODE, target:ID, polygon:LAYER:CODE or layer:LAYER"),
        "to_end": text("End: seat:CODE, target:ID, polygon:LAYER:CODE or layer:LAYER"),
        "measure": text("distance or shared_border", isin=("distance", "shared_border")),
    },
    primary_key="pair_id",
)
