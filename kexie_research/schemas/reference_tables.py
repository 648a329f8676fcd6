"""Schemas of the cited reference tables: ``national_benchmarks.csv`` and ``provincial_seats.csv``."""

from __future__ import annotations

import pandera.pandas as pa

from kexie_research.schemas.table import Column, Table, text

NATIONAL_BENCHMARKS = Table(
    "national_benchmarks",
    "national_benchmarks.csv",
    "National figures of frame indicators (national science-popularisation statistics, citizens' scientific literacy "
    "survey), each with its source and a verbatim quote holding the number",
    {
        "benchmark_id": text("Benchmark id", unique=True),
        "frame_indicator": text("Frame indicator id (frame.csv)"),
        "scope_zh": text("Scope of the figure (全国 = the whole country)"),
        "year": Column("integer", "Calendar year the figure is for", checks=(pa.Check.in_range(1900, 2100),)),
        "value": Column("number", "The figure, in the frame indicator's unit"),
        "unit": text("Unit id (the frame indicator's)"),
        "source_title": text("Title of the source"),
        "source_url": text("Where the figure was read"),
        "source_quote": text("Verbatim quote holding the figure"),
        "note": text("Survey and release"),
    },
    primary_key="benchmark_id",
)

PROVINCIAL_SEATS = Table(
    "provincial_seats",
    "provincial_seats.csv",
    "Seats (capital cities) of all provincial-level units, WGS84 points with source, quote and licence",
    {
        "admin_code": text("Code of the provincial-level unit", unique=True),
        "province_zh": text("Provincial-level unit in Chinese"),
        "seat_zh": text("Seat in Chinese"),
        "seat_en": text("Seat in English"),
        "lon": Column("number", "Longitude", checks=(pa.Check.in_range(-180, 180),)),
        "lat": Column("number", "Latitude", checks=(pa.Check.in_range(-90, 90),)),
        "precision": text("Precision of the point"),
        "source_url": text("Where the coordinates were read"),
        "source_quote": text("Verbatim entry of the source"),
        "licence": text("Licence of the source"),
    },
    primary_key="admin_code",
)
