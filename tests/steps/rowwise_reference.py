"""The row-by-row cleaning of the coding sheets, kept as the reference of the column-wise step.

This is the build's former per-row path (one ``RowCleaner`` call per ``iterrows`` row), with the
same checks in the same order as :func:`kexie_research.steps.indicators.clean`. It is slow (about
700 rows per second) and exists only so that tests and ``benchmarks/bench_build.py`` can show that
the column-wise step gives the same tables. Not part of the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from kexie_research.errors import ProvenanceError
from kexie_research.ingest.pages import page_of_source
from kexie_research.parse.provenance import check_row, normalise_for_matching
from kexie_research.parse.quantities import parse_quantity
from kexie_research.schemas.indicators import (
    INDICATOR_COLUMNS,
    QUARANTINE_COLUMNS,
    SCOPE_LEVELS,
    SHEET_COLUMNS,
    STATUSES,
)
from kexie_research.steps.codebook import Codebook
from kexie_research.steps.indicators import StepResult, finish, read_documents, read_sheets, typed
from kexie_research.steps.places import PlaceResolver
from kexie_research.steps.row_checks import (
    READ_PROBLEM,
    SCOPE_LEVEL_PLACES,
    case_of,
    non_finite,
    parser_failure,
    safe_period,
    safe_place,
    text_cell_problem,
)


class RowRejected(Exception):
    """A coded row failed a check: the quarantine's reason, check code and column."""

    def __init__(self, reason: str, check: str, column: str | None) -> None:
        super().__init__(reason)
        self.check, self.column = check, column


@dataclass
class RowCleaner:
    """Turns one coded row into one processed row, or raises :class:`RowRejected`."""

    codebook: Codebook
    resolver: PlaceResolver
    sources: dict[str, dict]
    documents: dict[str, str]

    def __call__(self, row: pd.Series) -> dict:
        where = f"{row['sheet']} row {row['row']}"
        for name in SHEET_COLUMNS:
            problem = text_cell_problem(name, row[name])
            if problem:
                raise RowRejected(f"{where}: {problem}", "unsafe_cell", name)
        for name, (is_required, _) in SHEET_COLUMNS.items():
            if is_required and not row[name].strip():
                raise RowRejected(f"{where}: empty required column {name!r}", "empty_required", name)
        status = row["status"].strip()
        if status not in STATUSES:
            raise RowRejected(
                f"{where}: status {status!r} is not one of {', '.join(STATUSES)}", "unknown_status", "status"
            )
        scope_level = row["scope_level"].strip()
        if scope_level not in SCOPE_LEVELS:
            raise RowRejected(
                f"{where}: scope_level {scope_level!r} is not one of {', '.join(SCOPE_LEVELS)}",
                "unknown_scope_level",
                "scope_level",
            )
        indicator_id = row["indicator_id"].strip()
        if indicator_id not in self.codebook.indicators.index:
            raise RowRejected(
                f"{where}: unknown indicator_id {indicator_id!r} (not in data/raw/codebook.yaml)",
                "unknown_indicator",
                "indicator_id",
            )
        indicator = self.codebook.indicators.loc[indicator_id]
        source = self.sources[row["source_id"]]
        try:
            offset = check_row(
                quote=row["quote"],
                raw_text=row["raw_text"],
                document=self.documents[row["source_id"]],
                where=f"{where} (document {source['file']})",
            )
        except ProvenanceError as exc:
            kind = (
                ("quote_not_in_document", "quote")
                if "quote not found" in str(exc)
                else ("raw_text_not_in_quote", "raw_text")
            )
            raise RowRejected(str(exc), *kind) from exc
        text = normalise_for_matching(row["raw_text"])
        try:
            quantity = parse_quantity(text)
        except Exception as exc:  # any parser failure is the row's reason
            raise RowRejected(
                f"{where}: {parser_failure('quantity', text, exc)}", "quantity_unparsed", "raw_text"
            ) from exc
        problem = non_finite(text, quantity.value, quantity.low, quantity.high)
        if problem:
            raise RowRejected(f"{where}: {problem}", "quantity_unparsed", "raw_text")
        period = safe_period(row["period_text"], source.get("reference_date") or "")
        if isinstance(period, str):
            raise RowRejected(f"{where}: {period}", "period_unparsed", "period_text")
        case, case_zh = case_of(source)
        place = safe_place(self.resolver, row["scope_zh"], case)
        if isinstance(place, str):
            raise RowRejected(f"{where}: {place}", "place_unresolved", "scope_zh")
        if not self.codebook.unit_accepts(indicator["unit"], quantity.unit):
            raise RowRejected(
                f"{where}: raw_text {row['raw_text']!r} reads as unit {quantity.unit!r}, but indicator "
                f"{indicator_id!r} is measured in {indicator['unit']!r}",
                "unit_mismatch",
                "raw_text",
            )
        if period.is_target and status != "target":
            raise RowRejected(
                f"{where}: period {row['period_text']!r} states a target but status is {status!r}",
                "target_period_status",
                "status",
            )
        if place.level not in SCOPE_LEVEL_PLACES[scope_level]:
            raise RowRejected(
                f"{where}: scope {row['scope_zh']!r} resolves to {place.name_zh} ({place.level}), "
                f"which does not fit scope_level {scope_level!r}",
                "scope_level_mismatch",
                "scope_level",
            )
        factor = self.codebook.unit_factor(quantity.unit, indicator["unit"])
        return {
            "record_id": row["record_id"].strip(),
            "source_id": row["source_id"],
            "case": case,
            "case_zh": case_zh,
            "province": source["province"],
            "scope_zh": row["scope_zh"],
            "scope_level": scope_level,
            "admin_code": place.admin_code,
            "place_zh": place.name_zh,
            "parent_city_code": place.parent_city_code,
            "indicator_id": indicator_id,
            "indicator_zh": indicator["zh"],
            "indicator_en": indicator["en"],
            "dimension": indicator["dimension"],
            "period_text": row["period_text"] or None,
            "period_start": period.start,
            "period_end": period.end,
            "is_target": status == "target",
            "raw_text": row["raw_text"],
            "value": quantity.value * factor,
            "low": quantity.low * factor,
            "high": quantity.high * factor,
            "unit": indicator["unit"],
            "qualifier": quantity.qualifier,
            "quote": normalise_for_matching(row["quote"]),
            "quote_offset": offset,
            "page": page_of_source(source, offset),
            "note": row["note"] or None,
        }


def clean_rows(sheets: pd.DataFrame, cleaner: RowCleaner) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply ``cleaner`` to every row: (processed rows indexed by sheet position, quarantined rows)."""
    processed, positions, rejected = [], [], []
    seen_ids: dict[str, str] = {}
    for position, row in sheets.iterrows():
        record_id = row["record_id"].strip()
        where = f"{row['sheet']} row {row['row']}"
        first = seen_ids.get(record_id)
        if record_id and first is None:
            seen_ids[record_id] = where  # the first row with an id, whatever becomes of it
        try:
            if isinstance(row[READ_PROBLEM], str):
                raise RowRejected(f"{where}: {row[READ_PROBLEM]}", "field_count", None)
            if first is not None:
                raise RowRejected(
                    f"{where}: duplicate record_id {record_id!r} (first in {first})", "duplicate_record_id", "record_id"
                )
            processed.append(cleaner(row))
            positions.append(position)
        except RowRejected as exc:
            rejected.append({**row.to_dict(), "reason": str(exc), "check": exc.check, "column": exc.column})
    frame = pd.DataFrame(processed, columns=list(INDICATOR_COLUMNS), index=pd.Index(positions, dtype="int64"))
    quarantined = pd.DataFrame(rejected, columns=QUARANTINE_COLUMNS)
    quarantined.index = pd.Index(
        [position for position in sheets.index if position not in set(positions)], dtype="int64"
    )
    return typed(frame), quarantined.astype({name: "str" for name in QUARANTINE_COLUMNS if name != "row"}).astype(
        {"row": "int64"}
    )


def clean(
    sheets: pd.DataFrame,
    codebook: Codebook,
    resolver: PlaceResolver,
    sources: dict[str, dict[str, Any]],
    documents: dict[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Same signature and result as :func:`kexie_research.steps.indicators.clean`, row by row."""
    return clean_rows(sheets, RowCleaner(codebook, resolver, sources, documents))


def run(raw: Path, sources: list[dict[str, Any]], codebook: Codebook, resolver: PlaceResolver) -> StepResult:
    """Same as :func:`kexie_research.steps.indicators.run`, with the row-by-row cleaning."""
    by_id = {entry["source_id"]: entry for entry in sources}
    documents = read_documents(raw, sources)
    sheets = read_sheets(raw, list(by_id))
    processed, quarantined = clean(sheets, codebook, resolver, by_id, documents)
    return finish(sheets, processed, quarantined, sources, codebook)
