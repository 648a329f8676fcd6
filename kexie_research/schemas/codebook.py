"""Schemas of the processed codebook: ``codebook.csv`` (indicators), ``dimensions.csv``, ``units.csv``."""

from __future__ import annotations

from kexie_research.schemas.table import Table, text

CODEBOOK = Table(
    "codebook", "codebook.csv", "Bilingual codebook of the harmonised indicators",
    {
        "id": text("Indicator id", unique=True),
        "zh": text("Indicator label in Chinese"),
        "en": text("Indicator label in English"),
        "dimension": text("Reform dimension id"),
        "dimension_zh": text("Reform dimension in Chinese"),
        "dimension_en": text("Reform dimension in English"),
        "unit": text("Unit id"),
        "definition": text("What is counted"),
    },
    primary_key="id",
)

DIMENSIONS = Table(
    "dimensions", "dimensions.csv", "Reform dimensions of the codebook, in the codebook's order",
    {"id": text("Dimension id", unique=True), "zh": text("Dimension in Chinese"), "en": text("Dimension in English")},
    primary_key="id",
)

UNITS = Table(
    "units", "units.csv", "Units of the codebook",
    {"id": text("Unit id", unique=True), "zh": text("Unit in Chinese"), "en": text("Unit in English")},
    primary_key="id",
)
