"""``kexie build``: coding sheets -> checked, harmonised indicator table in ``data/processed/``.

Steps (each small, in one direction, OWID-style): verify source checksums -> read the codebook
and places -> read every coding sheet (strict UTF-8, required columns) -> check and clean each row
(provenance, indicator, quantity, period, place) -> validate the table with pandera -> write
``indicators.{csv,parquet}``, ``quarantine.csv``, ``places.csv``, ``codebook.csv`` and
``datapackage.json`` atomically and deterministically.

A row that fails any check is not dropped: it goes to ``quarantine.csv`` with its reason, and the
build prints, per city, coded = processed + quarantined.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kexie_research import __version__
from kexie_research import config
from kexie_research.steps.codebook import Codebook, load_codebook
from kexie_research.errors import KexieError, ProvenanceError, SheetError
from kexie_research.parse.periods import parse_period
from kexie_research.steps.places import PlaceResolver, UnknownPlaceError, load_places
from kexie_research.parse.provenance import check_row, normalise_for_matching
from kexie_research.parse.quantities import parse_quantity
from kexie_research.schemas.indicators import (
    INDICATOR_COLUMNS,
    PLACES_COLUMNS,
    QUARANTINE_COLUMNS,
    SCOPE_LEVELS,
    SHEET_COLUMNS,
    STATUSES,
    validate_indicators,
)
from kexie_research.steps.cases import cases_step
from kexie_research.steps.distance_targets import distance_targets_step
from kexie_research.steps.features import conditions_step, features_step
from kexie_research.steps.places import load_divisions
from kexie_research.steps.sources import DOCUMENTS_DIR, documents_step, read_document, verify_sources
from kexie_research.steps.text import domain_terms_step, layout_step, lexicon_step
from kexie_research.steps.timeline import timeline_step

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


@dataclass
class BuildResult:
    indicators: pd.DataFrame
    quarantine: pd.DataFrame
    places: pd.DataFrame
    counts: pd.DataFrame
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tables: dict = field(default_factory=dict)


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


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------
def _atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Write via a temporary file in the same folder and rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    return _atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n"))


def _write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    return _atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False, engine="pyarrow"))


def _write_text(text: str, path: Path) -> Path:
    return _atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def _fields(columns: dict[str, tuple[str, str]]) -> list[dict]:
    return [{"name": name, "type": kind, "description": description} for name, (kind, description) in columns.items()]


def _csv_resource(name: str, description: str, fields: list[dict], primary_key: str | None = None) -> dict:
    schema: dict = {"fields": fields}
    if primary_key:
        schema["primaryKey"] = [primary_key]
    return {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "description": description, "schema": schema}


def datapackage(sources: list[dict], codebook: Codebook) -> dict:
    """The Frictionless Data Package descriptor of ``data/processed/``."""
    quarantine_fields = [{"name": name, "type": "integer" if name == "row" else "string"} for name in QUARANTINE_COLUMNS]
    codebook_fields = [{"name": name, "type": "string"} for name in ("id", "zh", "en", "dimension", "dimension_zh", "dimension_en", "unit", "definition")]
    return {
        "profile": "tabular-data-package",
        "name": "kexie-reform-indicators",
        "title": "Kexie reform indicators: five local reforms of China's Science and Technology Associations",
        "version": __version__,
        "codebook_version": codebook.version,
        "description": (
            "One row per quantitative fact stated in five Chinese source documents on the reform of local "
            "Science and Technology Associations (Wuzhou, Rongchang, Chengdu, Liuzhou, Zunyi), each with its "
            "verbatim quote, harmonised indicator, scope place code, period and parsed value. Generated by "
            "`kexie build` from data/raw; do not edit by hand."
        ),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0 (the coding and derived data; quotes remain the sources' text)"}],
        "sources": [
            {"title": f"{entry['title_zh']} ({entry['title_en']})", "path": f"data/raw/{DOCUMENTS_DIR}/{entry['file']}",
             "description": f"{entry['genre']}; {entry['city_zh']}; sha256 {entry['sha256']}"}
            for entry in sources
        ],
        "resources": [
            _csv_resource("indicators", "Processed indicators; the same table is in indicators.parquet",
                          _fields(INDICATOR_COLUMNS), "record_id"),
            _csv_resource("quarantine", "Coded rows that failed a check, with the reason; raw rows = indicators + quarantine",
                          quarantine_fields),
            _csv_resource("places", "Administrative places with 6-digit codes and 2020-census populations (sources per row)",
                          _fields(PLACES_COLUMNS), "admin_code"),
            _csv_resource("codebook", "Bilingual codebook of the harmonised indicators", codebook_fields, "id"),
        ],
    }


def codebook_table(codebook: Codebook) -> pd.DataFrame:
    """The codebook as one flat bilingual table."""
    dims = codebook.dimensions[["zh", "en"]].rename(columns={"zh": "dimension_zh", "en": "dimension_en"})
    table = codebook.indicators.reset_index(drop=True).join(dims, on="dimension")
    return table[["id", "zh", "en", "dimension", "dimension_zh", "dimension_en", "unit", "definition"]].sort_values("id", ignore_index=True)


# ------------------------------------------------------------------------------------------------
# The build
# ------------------------------------------------------------------------------------------------
def build(raw_dir: Path | None = None, out_dir: Path | None = None, *, write: bool = True, echo: Callable[[str], None] | None = print) -> BuildResult:
    """Build the processed dataset from ``raw_dir`` into ``out_dir`` and return what was built.

    Sheet-level problems (checksum, encoding, columns) raise; row-level problems quarantine the row.
    """
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    out = Path(out_dir) if out_dir else config.processed_dir()
    say = echo or (lambda _message: None)

    sources = verify_sources(raw)
    by_id = {entry["source_id"]: entry for entry in sources}
    documents = {entry["source_id"]: read_document(entry["source_id"], raw) for entry in sources}
    codebook = load_codebook(raw)
    resolver = PlaceResolver.from_raw(raw)
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

    # OWID-style mapping hygiene: report keys that nothing used, not only keys that were missing.
    warnings = [f"place alias {alias!r} in place_aliases.csv resolved no scope" for alias in resolver.unused_aliases()]
    unused = sorted(set(codebook.indicators.index) - set(sheets["indicator_id"].str.strip()))
    warnings += [f"codebook indicator {indicator!r} is used by no coded row" for indicator in unused]
    places = load_places(raw)
    cases, distance_pairs = cases_step(raw)
    tables = {
        "cases": cases, "distance_pairs": distance_pairs, "divisions": load_divisions(raw),
        "dimensions": codebook.dimensions.reset_index(drop=True)[["id", "zh", "en"]],
        "units": codebook.units.reset_index(drop=True)[["id", "zh", "en"]],
        "timeline": timeline_step(raw), "features": features_step(raw_dir=raw),
        "conditions": conditions_step(raw / config.CONDITIONS).reset_index(drop=True),
        "documents": documents_step(raw), "lexicon": lexicon_step(raw, codebook.dimensions),
        "domain_terms": "\n".join(domain_terms_step(raw)) + "\n",
        "layout": json.dumps(layout_step(raw), ensure_ascii=False, indent=2) + "\n",
        "distance_targets": distance_targets_step(raw),
    }
    result = BuildResult(indicators=indicators, quarantine=quarantine, places=places, counts=counts, warnings=warnings,
                         tables=tables)
    if write:
        result.written = [
            _write_csv(indicators, out / "indicators.csv"),
            _write_parquet(indicators, out / "indicators.parquet"),
            _write_csv(quarantine, out / "quarantine.csv"),
            _write_csv(places, out / "places.csv"),
            _write_csv(codebook_table(codebook), out / "codebook.csv"),
        ]
        for key, table in tables.items():
            target = config.processed_path(key, out)
            if isinstance(table, str):
                result.written.append(_write_text(table, target))
            elif target.suffix == ".parquet":
                result.written.append(_write_parquet(table, target))
            else:
                result.written.append(_write_csv(table, target))
        package = datapackage(sources, codebook)
        result.written.append(_write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", out / "datapackage.json"))
    say(f"kexie build: {len(sheets)} coded rows -> {len(indicators)} processed + {len(quarantine)} quarantined")
    say(counts.to_string())
    for message in warnings:
        say(f"warning: {message}")
    if write:
        say(f"wrote {len(result.written)} files to {out}")
    return result
