"""Schema of ``distance_targets.csv``: cited reference points of the policy distances.

Example::

    >>> TARGET_COLUMNS[:2], len(TARGET_COLUMNS)
    (('target_id', 'name_zh'), 11)
"""

from __future__ import annotations

import pandera.pandas as pa

from kexie_research.schemas.table import Column, Table, text

DISTANCE_TARGETS = Table(
    "distance_targets",
    "distance_targets.csv",
    "Cited reference points (WGS84) of the policy distances",
    {
        "target_id": text("Point id (target:ID in distance pairs)", unique=True),
        "name_zh": text("Name in Chinese"),
        "name_en": text("Name in English"),
        "kind": text("provincial_capital, city_centre, gba_city …"),
        "lon": Column("number", "Longitude (WGS84)", checks=(pa.Check.in_range(-180, 180),)),
        "lat": Column("number", "Latitude (WGS84)", checks=(pa.Check.in_range(-90, 90),)),
        "approximate": Column("boolean", "Whether the point is approximate"),
        "precision": text("Precision of the coordinates"),
        "source_url": text("Where the coordinates were read"),
        "source_quote": text("Verbatim quote of the coordinates"),
        "note": text("Context"),
    },
    primary_key="target_id",
)

# The columns of the raw reference points (data/raw/reference/distance_targets.csv) and of the table.
TARGET_COLUMNS = tuple(DISTANCE_TARGETS.columns)
