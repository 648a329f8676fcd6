"""The coding-sheet step: ``data/raw/indicators/*.csv`` -> checked indicator table + quarantine.

Reads every coding sheet strictly, checks and cleans its rows, validates the result with the
pandera schema and accounts for every row: coded = processed + quarantined, per case.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from kexie_research.errors import KexieError, ProvenanceError, SheetError
from kexie_research.parse.periods import parse_period
from kexie_research.parse.provenance import check_row, normalise_for_matching
from kexie_research.parse.quantities import parse_quantity
from kexie_research.schemas.indicators import (
    INDICATOR_COLUMNS,
    QUARANTINE_COLUMNS,
    SCOPE_LEVELS,
    SHEET_COLUMNS,
    STATUSES,
    validate_indicators,
)
from kexie_research.steps.codebook import Codebook
from kexie_research.steps.places import PlaceResolver, UnknownPlaceError
from kexie_research.steps.sources import read_document

SHEETS_DIR = "indicators"
# Which place levels a coded scope_level may resolve to.
SCOPE_LEVEL_PLACES = {
    "national": {"country"},
    "provincial": {"province"},
    "city": {"prefecture"},
    # A county-level scope named only by its city ("梧州市其他县（市、区）科协") resolves to the city.
    "county": {"district", "county", "county-level city", "prefecture"},
    "township": {"prefecture", "district", "county", "county-level city"},
    "organisation": {"prefecture", "district", "county", "county-level city", "province"},
}


class RowRejected(KexieError):
    """A coded row failed a check; it goes to quarantine with this message as its reason."""


class StepResult(NamedTuple):
    indicators: pd.DataFrame
    quarantine: pd.DataFrame
    counts: pd.DataFrame
    warnings: list[str]


# ------------------------------------------------------------------------------------------------
# Reading sheets
# ------------------------------------------------------------------------------------------------
def read_sheet(path: Path) -> pd.DataFrame:
    """Read one coding sheet strictly: UTF-8 without BOM, the documented columns, all as text.

    Adds ``sheet`` (file name) and ``row`` (spreadsheet row number, header = row 1).
    """
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        raise SheetError(
            f"{path}: starts with a UTF-8 byte-order mark (BOM). Coding sheets must be UTF-8 without BOM "
            "(in a spreadsheet choose 'CSV UTF-8' and remove the BOM, e.g. `sed -i '1s/^\\xEF\\xBB\\xBF//' FILE`)."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = " It decodes as GBK/GB18030: convert it with `iconv -f GB18030 -t UTF-8`."
        except UnicodeDecodeError:
            pass
        raise SheetError(f"{path}: not valid UTF-8 at byte {exc.start} (line {line}); expected UTF-8 without BOM.{hint}") from exc
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise SheetError(f"{path}: malformed CSV: {exc}") from exc
    required = [name for name, (is_required, _) in SHEET_COLUMNS.items() if is_required]
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise SheetError(
            f"{path}: missing required column(s) {', '.join(missing)}; expected columns: {', '.join(SHEET_COLUMNS)}"
        )
    unexpected = [name for name in frame.columns if name not in SHEET_COLUMNS]
    if unexpected:
        raise SheetError(f"{path}: unexpected column(s) {', '.join(unexpected)}; expected columns: {', '.join(SHEET_COLUMNS)}")
    for name in SHEET_COLUMNS:
        if name not in frame.columns:
            frame[name] = ""
    frame = frame[list(SHEET_COLUMNS)]
    frame.insert(0, "row", range(2, len(frame) + 2))
    frame.insert(0, "sheet", path.name)
    return frame


def read_sheets(raw: Path, source_ids: list[str]) -> pd.DataFrame:
    """All coding sheets, one per source; a sheet for an unknown source is an error."""
    folder = raw / SHEETS_DIR
    sheets = sorted(folder.glob("*.csv"))
    unknown = [path.name for path in sheets if path.stem not in source_ids]
    if unknown:
        raise SheetError(f"{folder}: sheet(s) {', '.join(unknown)} match no source_id; valid: {', '.join(s + '.csv' for s in source_ids)}")
    frames = [read_sheet(path).assign(source_id=path.stem) for path in sheets]
    if not frames:
        raise SheetError(f"{folder}: no coding sheets found")
    return pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------------------------------------------
# Cleaning one row
# ------------------------------------------------------------------------------------------------
@dataclass
class RowCleaner:
    """Turns one coded row into one processed row, or raises :class:`RowRejected`."""

    codebook: Codebook
    resolver: PlaceResolver
    sources: dict[str, dict]
    documents: dict[str, str]

    def __call__(self, row: pd.Series) -> dict:
        where = f"{row['sheet']} row {row['row']}"
        for name, (is_required, _) in SHEET_COLUMNS.items():
            if is_required and not row[name].strip():
                raise RowRejected(f"{where}: empty required column {name!r}")
        status = row["status"].strip()
        if status not in STATUSES:
            raise RowRejected(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}")
        scope_level = row["scope_level"].strip()
        if scope_level not in SCOPE_LEVELS:
            raise RowRejected(f"{where}: scope_level {scope_level!r} is not one of {', '.join(SCOPE_LEVELS)}")
        indicator_id = row["indicator_id"].strip()
        if indicator_id not in self.codebook.indicators.index:
            raise RowRejected(f"{where}: unknown indicator_id {indicator_id!r} (not in data/raw/codebook.yaml)")
        indicator = self.codebook.indicators.loc[indicator_id]
        source = self.sources[row["source_id"]]
        try:
            offset = check_row(quote=row["quote"], raw_text=row["raw_text"], document=self.documents[row["source_id"]],
                               where=f"{where} (document {source['file']})")
            quantity = parse_quantity(normalise_for_matching(row["raw_text"]))
            period = parse_period(row["period_text"].strip() or None, source.get("reference_date") or None)
            place = self.resolver.resolve(row["scope_zh"])
        except (ProvenanceError, UnknownPlaceError) as exc:
            raise RowRejected(str(exc) if str(exc).startswith(where) else f"{where}: {exc}") from exc
        except ValueError as exc:  # ParseError of quantities or periods
            raise RowRejected(f"{where}: {exc}") from exc
        if not self.codebook.unit_accepts(indicator["unit"], quantity.unit):
            raise RowRejected(
                f"{where}: raw_text {row['raw_text']!r} reads as unit {quantity.unit!r}, but indicator "
                f"{indicator_id!r} is measured in {indicator['unit']!r}"
            )
        if period.is_target and status != "target":
            raise RowRejected(f"{where}: period {row['period_text']!r} states a target but status is {status!r}")
        if place.level not in SCOPE_LEVEL_PLACES[scope_level]:
            raise RowRejected(
                f"{where}: scope {row['scope_zh']!r} resolves to {place.name_zh} ({place.level}), "
                f"which does not fit scope_level {scope_level!r}"
            )
        factor = self.codebook.unit_factor(quantity.unit, indicator["unit"])
        return {
            "record_id": row["record_id"].strip(),
            "source_id": row["source_id"],
            "city": source["city"],
            "city_zh": source["city_zh"],
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
            "note": row["note"] or None,
        }


def clean_rows(sheets: pd.DataFrame, cleaner: Callable[[pd.Series], dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply ``cleaner`` to every row: (processed rows, quarantined rows with reasons)."""
    processed, rejected = [], []
    seen_ids: dict[str, str] = {}
    for _, row in sheets.iterrows():
        record_id = row["record_id"].strip()
        try:
            if record_id in seen_ids:
                raise RowRejected(f"{row['sheet']} row {row['row']}: duplicate record_id {record_id!r} (first in {seen_ids[record_id]})")
            if record_id:
                seen_ids[record_id] = f"{row['sheet']} row {row['row']}"
            processed.append(cleaner(row))
        except RowRejected as exc:
            rejected.append({**row.to_dict(), "reason": str(exc)})
    columns = list(INDICATOR_COLUMNS)
    return pd.DataFrame(processed, columns=columns), pd.DataFrame(rejected, columns=QUARANTINE_COLUMNS)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for name, (kind, _) in INDICATOR_COLUMNS.items():
        if kind in ("string", "date"):
            frame[name] = frame[name].astype("str")  # missing stays missing (pandas' str dtype)
    frame["is_target"] = frame["is_target"].astype(bool)
    frame["quote_offset"] = frame["quote_offset"].astype("int64")
    for name in ("value", "low", "high"):
        frame[name] = frame[name].astype("float64")
    return frame



def run(raw: Path, sources: list[dict[str, Any]], codebook: Codebook, resolver: PlaceResolver) -> StepResult:
    """Read, check and clean every coding sheet of ``raw``."""
    by_id = {entry["source_id"]: entry for entry in sources}
    documents = {entry["source_id"]: read_document(entry["source_id"], raw) for entry in sources}
    sheets = read_sheets(raw, list(by_id))
    processed, quarantine = clean_rows(sheets, RowCleaner(codebook, resolver, by_id, documents))
    processed = _typed(processed)
    valid, failures = validate_indicators(processed)
    if not failures.empty:
        failed_ids = set(processed.loc[failures["index"], "record_id"])
        reasons = dict(zip(processed.loc[failures["index"], "record_id"], failures["reason"]))
        failed_rows = sheets[sheets["record_id"].str.strip().isin(failed_ids)]
        quarantine = pd.concat(
            [quarantine, failed_rows.assign(reason=[f"{r['sheet']} row {r['row']}: {reasons[r['record_id'].strip()]}" for _, r in failed_rows.iterrows()])[QUARANTINE_COLUMNS]],
            ignore_index=True,
        )
    indicators = valid.sort_values("record_id", ignore_index=True)
    quarantine = quarantine.sort_values(["sheet", "row"], ignore_index=True)

    city_of_source = {sid: entry["city"] for sid, entry in by_id.items()}
    counts = pd.DataFrame({
        "coded": sheets["source_id"].map(city_of_source).value_counts(),
        "processed": indicators["city"].value_counts(),
        "quarantined": quarantine["source_id"].map(city_of_source).value_counts(),
    }).reindex([entry["city"] for entry in sources]).fillna(0).astype(int)
    counts.loc["total"] = counts.sum()
    if not (counts["coded"] == counts["processed"] + counts["quarantined"]).all():
        raise KexieError(f"row accounting broken (coded != processed + quarantined):\n{counts}")
    unused = sorted(set(codebook.indicators.index) - set(sheets["indicator_id"].str.strip()))
    warnings = [f"codebook indicator {indicator!r} is used by no coded row" for indicator in unused]
    return StepResult(indicators, quarantine, counts, warnings)
