"""Schemas of ``features.csv`` (case × condition, unknown stays unknown) and ``conditions.csv``."""

from __future__ import annotations

import pandera.pandas as pa

from kexie_research.schemas.table import Column, Table, text

FEATURES = Table(
    "features",
    "features.csv",
    "Reform features for the configurational comparison: one row per case × condition; empty value = unknown, never 0",
    {
        "case": text("Case key"),
        "condition": text("Condition or outcome id (conditions.csv)"),
        "label": text("Short label used in Boolean expressions"),
        "role": text("condition or outcome", isin=("condition", "outcome")),
        "type": text("crisp or fuzzy", isin=("crisp", "fuzzy")),
        "value": Column(
            "number",
            "0/1 (crisp) or membership in [0, 1] (fuzzy); empty = unknown",
            nullable=True,
            checks=(pa.Check.in_range(0, 1),),
        ),
        "known": Column("boolean", "Whether the value is known"),
        "evidence_kind": text("reported, planned or none", isin=("reported", "planned", "none")),
        "evidence_quote": text("Verbatim quote from the case's document"),
        "source_id": text("The case's document"),
        "note": text("Scope, context, calibration; why unknown"),
        "quote_offset": Column(
            "integer", "Offset of the quote in the original document, -1 without a quote", checks=(pa.Check.ge(-1),)
        ),
    },
    extra_checks=(
        pa.Check(lambda df: ~df.duplicated(["case", "condition"]), name="one_row_per_case_and_condition"),
        pa.Check(lambda df: df["known"] == df["value"].notna(), name="known_iff_value"),
    ),
)

CONDITIONS = Table(
    "conditions",
    "conditions.csv",
    "Definitions of the conditions and outcomes of features.csv",
    {
        "id": text("Condition id", unique=True),
        "label": text("Short upper-case label", unique=True),
        "role": text("condition or outcome", isin=("condition", "outcome")),
        "type": text("crisp or fuzzy", isin=("crisp", "fuzzy")),
        "zh": text("Label in Chinese"),
        "en": text("Label in English"),
        "definition": text("What membership means"),
        "rule": text("How a case is coded from its document"),
        "calibration": text("How a fuzzy score is obtained (fuzzy only)"),
    },
    primary_key="id",
)
