"""Schemas: the coding-sheet columns and the processed indicator table (pandera), documented once.

The column dictionaries here are the single source for the pandera validation, the Frictionless
``datapackage.json`` and the README's data dictionary. Validation is lazy (all failures collected):
rows that fail go to ``quarantine.csv`` with the failed check as their reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa


SCOPE_LEVELS = ("national", "provincial", "city", "county", "township", "organisation")
QUALIFIERS = ("exact", "approx", "at_least", "at_most", "range")
STATUSES = ("achieved", "target")

# Coding sheets (data/raw/indicators/<source_id>.csv): name -> (required, description)
SHEET_COLUMNS: dict[str, tuple[bool, str]] = {
    "record_id": (
        True,
        "Stable row id <PREFIX>-<NNN…> (two capital letters, a hyphen, three or more digits), unique across all sheets",
    ),
    "indicator_id": (True, "Indicator id from data/raw/codebook.yaml"),
    "scope_zh": (True, "The unit the fact is about, as the text names it"),
    "scope_level": (True, "national, provincial, city, county, township or organisation"),
    "raw_text": (True, "The number exactly as written; a substring of quote"),
    "period_text": (False, "The period as written (or the series position), empty if none"),
    "status": (True, "achieved or target"),
    "quote": (True, "Verbatim sentence of the document containing raw_text"),
    "note": (False, "Coder's remark"),
}

# Processed table: name -> (frictionless type, description)
INDICATOR_COLUMNS: dict[str, tuple[str, str]] = {
    "record_id": ("string", "Stable id of the coded fact (same as in the coding sheet)"),
    "source_id": ("string", "Source document id (data/raw/sources.yaml)"),
    "case": ("string", "Case the document is about (the source's `case` key in data/raw/sources.yaml)"),
    "case_zh": ("string", "Case name in Chinese"),
    "province": ("string", "Province of the case (English)"),
    "scope_zh": ("string", "The unit the fact is about, as the text names it"),
    "scope_level": ("string", "national, provincial, city, county, township or organisation"),
    "admin_code": ("string", "6-digit administrative division code of the scope's place (100000 = China)"),
    "place_zh": ("string", "Name of the place the scope resolves to"),
    "parent_city_code": (
        "string",
        "Code of the prefecture-level city (or municipality) containing the place; empty for national and provincial scopes",
    ),
    "indicator_id": ("string", "Harmonised indicator id (codebook)"),
    "indicator_zh": ("string", "Indicator label in Chinese"),
    "indicator_en": ("string", "Indicator label in English"),
    "dimension": ("string", "Reform dimension of the indicator (codebook)"),
    "period_text": ("string", "The period as written"),
    "period_start": ("date", "First day of the period (ISO 8601), empty if not stated"),
    "period_end": ("date", "Last day of the period (ISO 8601), empty if not stated"),
    "is_target": ("boolean", "True for goals, plans and budget promises; False for reported facts"),
    "raw_text": ("string", "The number exactly as written in the source"),
    "value": ("number", "Harmonised value (for a range: its lower end)"),
    "low": ("number", "Lower bound, where the text gives one"),
    "high": ("number", "Upper bound, where the text gives one"),
    "unit": ("string", "Unit of value (codebook units)"),
    "qualifier": ("string", "exact, approx, at_least, at_most or range"),
    "quote": ("string", "Verbatim sentence of the source containing raw_text (line breaks removed)"),
    "quote_offset": ("integer", "Character offset of the quote's first character in the original document"),
    "page": (
        "integer",
        "Page (from 1) of the original PDF on which the quote starts; empty for a document without pages",
    ),
    "note": ("string", "Coder's remark"),
}

# Quarantine table (quarantine.csv): name -> description; the coded cells follow as in the sheet.
QUARANTINE_FIELDS: dict[str, str] = {
    "sheet": "Coding sheet (file name in data/raw/indicators)",
    "row": "Line of the sheet where the record starts (the header is line 1)",
    "record_id": "record_id as coded",
    "source_id": "Source document id (the sheet's name)",
    "reason": "Why the row was refused: sheet, line and the first failed check's message",
    "check": "Code of the first failed check (kexie_research.steps.row_checks.CHECKS, or schema)",
    "column": "Column that check judges; empty for the record as a whole",
    **{name: f"{name} as coded" for name in SHEET_COLUMNS if name != "record_id"},
}
QUARANTINE_COLUMNS = list(QUARANTINE_FIELDS)

PLACES_COLUMNS: dict[str, tuple[str, str]] = {
    "admin_code": ("string", "6-digit administrative division code"),
    "name_zh": ("string", "Official Chinese name"),
    "name_en": ("string", "English / pinyin name"),
    "level": ("string", "country, province, prefecture, district, county or county-level city"),
    "parent_code": ("string", "Code of the administrative parent"),
    "case": ("string", "Case key the unit belongs to (empty outside every case)"),
    "population_2020": ("integer", "7th-census resident population (2020-11-01); empty where unverified"),
    "population_2010": ("integer", "2010 base as implied by the 2020 bulletin; see note"),
    "area_km2": ("number", "Land area where a source states it"),
    "gdp_2020_100m_cny": ("number", "2020 GDP in 100 million CNY where a source states it"),
    "seat_lon": ("number", "Longitude (WGS84) of the government seat; precision in note"),
    "seat_lat": ("number", "Latitude (WGS84) of the government seat; precision in note"),
    "source_population": ("string", "URL the 2020 population was read from"),
    "source_quote": ("string", "Verbatim quote showing the population"),
    "note": ("string", "Source tier, derivations, conflicts"),
}


def _text(nullable: bool = False, **kwargs) -> pa.Column:
    return pa.Column(str, nullable=nullable, coerce=False, **kwargs)


INDICATORS_SCHEMA = pa.DataFrameSchema(
    {
        "record_id": _text(checks=pa.Check.str_matches(r"^[A-Z]{2}-\d{3,}$"), unique=True),
        "source_id": _text(),
        "case": _text(),
        "case_zh": _text(),
        "province": _text(),
        "scope_zh": _text(checks=pa.Check.str_length(min_value=1)),
        "scope_level": _text(checks=pa.Check.isin(SCOPE_LEVELS)),
        "admin_code": _text(checks=pa.Check.str_matches(r"^\d{6}$")),
        "place_zh": _text(),
        "parent_city_code": _text(nullable=True, checks=pa.Check.str_matches(r"^\d{6}$")),
        "indicator_id": _text(),
        "indicator_zh": _text(),
        "indicator_en": _text(),
        "dimension": _text(),
        "period_text": _text(nullable=True),
        "period_start": _text(nullable=True, checks=pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        "period_end": _text(nullable=True, checks=pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        "is_target": pa.Column(bool),
        "raw_text": _text(checks=pa.Check.str_length(min_value=1)),
        "value": pa.Column(float, checks=pa.Check.ge(0)),
        "low": pa.Column(float, nullable=True),
        "high": pa.Column(float, nullable=True),
        "unit": _text(),
        "qualifier": _text(checks=pa.Check.isin(QUALIFIERS)),
        "quote": _text(checks=pa.Check.str_length(min_value=2)),
        "quote_offset": pa.Column(int, checks=pa.Check.ge(0)),
        "page": pa.Column("Int64", nullable=True, checks=pa.Check.ge(1)),
        "note": _text(nullable=True),
    },
    checks=[
        pa.Check(
            lambda df: (df["period_start"].isna() | df["period_end"].isna()) | (df["period_start"] <= df["period_end"]),
            name="period_start_not_after_end",
        ),
        pa.Check(
            lambda df: df["low"].isna() | df["high"].isna() | (df["low"] <= df["high"]), name="low_not_above_high"
        ),
        pa.Check(lambda df: (df["unit"] != "share") | (df["value"] <= 1), name="share_at_most_one"),
        # inf passes value >= 0; a parser bug must never put one into the table
        pa.Check(
            lambda df: np.isfinite(df["value"]) & ~np.isinf(df["low"]) & ~np.isinf(df["high"]), name="values_finite"
        ),
        pa.Check(lambda df: (df["unit"] != "percent") | (df["value"] <= 100), name="percent_at_most_100"),
    ],
    strict=True,
    ordered=True,
    name="indicators",
)


def validate_indicators(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate lazily; return ``(valid_rows, failures)`` where failures has index -> reason.

    ``failures`` has columns ``index`` (row label of ``frame``), ``reason`` and ``column`` (the column
    of the first failed check, missing for a check of the whole row); table-wide failures
    (wrong columns) raise, since no row could be trusted.

    Examples
    --------
    >>> from kexie_research import config
    >>> frame = pd.read_parquet(config.processed_dir() / "indicators.parquet")
    >>> frame.loc[0, "record_id"] = "WZ-1"
    >>> valid, failures = validate_indicators(frame)
    >>> len(frame) - len(valid), failures.loc[0, "reason"].startswith("schema: record_id fails str_matches")
    (1, True)
    """
    try:
        INDICATORS_SCHEMA.validate(frame, lazy=True)
        return frame, pd.DataFrame(columns=["index", "reason", "column"])
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        row_cases = cases[cases["index"].notna()]
        if len(row_cases) < len(cases):
            table_level = cases[cases["index"].isna()]
            raise ValueError("indicator table fails schema as a whole:\n" + table_level.to_string()) from exc
        reasons = (
            row_cases.assign(
                reason=lambda d: (
                    "schema: "
                    + d["column"].fillna("row").astype(str)
                    + " fails "
                    + d["check"].astype(str)
                    + " (value "
                    + d["failure_case"].astype(str)
                    + ")"
                )
            )
            .groupby("index")
            .agg(reason=("reason", "; ".join), column=("column", "first"))  # column: the first failed check's
            .reset_index()
        )
        return frame.drop(index=reasons["index"].tolist()), reasons
