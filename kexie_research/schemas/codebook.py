"""Schemas of the processed codebook: ``codebook.csv`` (indicators), ``dimensions.csv``, ``units.csv``,
``frame.csv`` (the cross-place frame) and ``frame_sources.csv`` (what the frame follows)."""

from __future__ import annotations

from kexie_research.schemas.table import Table, text

CODEBOOK = Table(
    "codebook",
    "codebook.csv",
    "Bilingual codebook of the harmonised indicators",
    {
        "id": text("Indicator id", unique=True),
        "zh": text("Indicator label in Chinese"),
        "en": text("Indicator label in English"),
        "dimension": text("Reform dimension id"),
        "dimension_zh": text("Reform dimension in Chinese"),
        "dimension_en": text("Reform dimension in English"),
        "unit": text("Unit id"),
        "definition": text("What is counted"),
        "frame": text("Frame indicator id this indicator is an instance of (same unit), or 'none'"),
        "frame_zh": text("Frame indicator in Chinese (empty for none)", nullable=True),
        "frame_en": text("Frame indicator in English (empty for none)", nullable=True),
        "frame_note": text("Why no frame indicator fits (required with 'none')", nullable=True),
    },
    primary_key="id",
)

FRAME = Table(
    "frame",
    "frame.csv",
    "Frame of cross-place indicators: definitions after the national science-popularisation statistics and CAST's "
    "statistics of local kexie organisations, with what counts and what does not",
    {
        "id": text("Frame indicator id", unique=True),
        "zh": text("Frame indicator in Chinese"),
        "en": text("Frame indicator in English"),
        "category": text("Frame category id"),
        "category_zh": text("Frame category in Chinese"),
        "category_en": text("Frame category in English"),
        "standard": text("The statistical standard the category follows"),
        "unit": text("Unit id (a mapped indicator has the same unit)"),
        "definition": text("What the frame indicator measures"),
        "counts": text("What counts"),
        "does_not_count": text("What does not count"),
        "sources": text("Ids of frame_sources.csv, ';'-separated"),
        "terms": text(
            "Chinese words naming the frame indicator as the noun of a number, ';'-separated "
            "(read by kexie extract's suggestions)",
            nullable=True,
        ),
        "not_terms": text(
            "Chinese words that, next to a number, rule the frame indicator out, ';'-separated", nullable=True
        ),
    },
    primary_key="id",
)

FRAME_SOURCES = Table(
    "frame_sources",
    "frame_sources.csv",
    "Sources of the frame's definitions, each with a verbatim quote",
    {
        "id": text("Source id", unique=True),
        "title": text("Title of the source"),
        "url": text("Where it was read"),
        "quote": text("Verbatim quote"),
    },
    primary_key="id",
)

DIMENSIONS = Table(
    "dimensions",
    "dimensions.csv",
    "Reform dimensions of the codebook, in the codebook's order",
    {"id": text("Dimension id", unique=True), "zh": text("Dimension in Chinese"), "en": text("Dimension in English")},
    primary_key="id",
)

UNITS = Table(
    "units",
    "units.csv",
    "Units of the codebook",
    {"id": text("Unit id", unique=True), "zh": text("Unit in Chinese"), "en": text("Unit in English")},
    primary_key="id",
)
