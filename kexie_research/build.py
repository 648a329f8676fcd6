"""``kexie build``: ``data/raw`` -> every checked table of ``data/processed``, written as one set.

The build is an explicit DAG of steps (:data:`STEPS`, OWID-style): each step reads its raw inputs,
checks them once (quotes included) and returns tables; the registry lists each step's name, raw
inputs, the steps it needs and its outputs. Every table is then validated with its pandera schema
(``kexie_research.schemas``), ``datapackage.json`` is derived from the same schemas, and all files
replace ``data/processed`` at once (:mod:`kexie_research.outputs`): readers see the old set or the
new one, never a mix. The output is deterministic: two builds are byte-identical.

A coded row that fails any check is not dropped: it goes to ``quarantine.csv`` with its reason, and
the build prints, per case, coded = processed + quarantined. A problem with a whole file is one
error naming the file (``kexie build`` exits with status 2).
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    tables: dict[str, Any] = field(default_factory=dict)


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
            place = self.resolver.resolve(row["scope_zh"], case=source["case"])
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
# The steps: an explicit, ordered DAG
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One build step: its name, the raw inputs it reads, the steps it needs, the tables it returns.

    ``run(context)`` loads and checks its raw inputs (every step module has the same skeleton:
    load -> check -> return tables) and returns ``{output key: table}``; it may also leave objects
    for later steps in ``context`` (the manifest, the codebook, the place resolver).
    """

    name: str
    run: Callable[[dict[str, Any]], dict[str, Any]]
    inputs: tuple[str, ...]
    needs: tuple[str, ...]
    outputs: tuple[str, ...]


def _sources(ctx: dict[str, Any]) -> dict[str, Any]:
    ctx["sources"] = verify_sources(ctx["raw"])
    ctx["documents"] = documents_step(ctx["raw"])
    return {"documents": ctx["documents"]}


def _codebook(ctx: dict[str, Any]) -> dict[str, Any]:
    codebook = ctx["codebook"] = load_codebook(ctx["raw"])
    return {"codebook": codebook_table(codebook),
            "dimensions": codebook.dimensions.reset_index(drop=True)[["id", "zh", "en"]].astype(str),
            "units": codebook.units.reset_index(drop=True)[["id", "zh", "en"]].astype(str)}


def _places(ctx: dict[str, Any]) -> dict[str, Any]:
    ctx["resolver"] = PlaceResolver.from_raw(ctx["raw"])
    return {"places": load_places(ctx["raw"]), "divisions": load_divisions(ctx["raw"])}


def _distance_targets(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"distance_targets": distance_targets_step(ctx["raw"])}


def _cases(ctx: dict[str, Any]) -> dict[str, Any]:
    cases, pairs = cases_step(ctx["raw"])
    return {"cases": cases, "distance_pairs": pairs}


def _indicators(ctx: dict[str, Any]) -> dict[str, Any]:
    indicators, quarantine, counts, warnings = clean_indicators(ctx["raw"], ctx["sources"], ctx["codebook"], ctx["resolver"])
    ctx["counts"], ctx["warnings"] = counts, warnings
    return {"indicators": indicators, "indicators_parquet": indicators, "quarantine": quarantine}


def _timeline(ctx: dict[str, Any]) -> dict[str, Any]:
    texts = dict(zip(ctx["documents"]["source_id"], ctx["documents"]["text"]))
    return {"timeline": timeline_step(ctx["raw"], texts=texts, cases=list(dict.fromkeys(ctx["documents"]["case"])))}


def _features(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"features": features_step(raw_dir=ctx["raw"]),
            "conditions": conditions_step(ctx["raw"] / config.CONDITIONS).reset_index(drop=True)}


def _text(ctx: dict[str, Any]) -> dict[str, Any]:
    texts = dict(zip(ctx["documents"]["source_id"], ctx["documents"]["text"]))
    return {"lexicon": lexicon_step(ctx["raw"], ctx["codebook"].dimensions),
            "domain_terms": "\n".join(domain_terms_step(ctx["raw"])) + "\n",
            "layout": json.dumps(layout_step(ctx["raw"], texts), ensure_ascii=False, indent=2) + "\n"}


_REF = config.REFERENCE_DIR
STEPS: tuple[Step, ...] = (
    Step("sources", _sources, (config.MANIFEST, f"{config.DOCUMENTS_DIR}/"), (), ("documents",)),
    Step("codebook", _codebook, (config.CODEBOOK,), (), ("codebook", "dimensions", "units")),
    Step("places", _places, (*(f"{_REF}/{name}" for name in config.PLACE_FILES), f"{_REF}/{config.DIVISIONS}",
                             f"{_REF}/{config.PLACE_ALIASES}"), ("sources",), ("places", "divisions")),
    Step("distance_targets", _distance_targets, (f"{_REF}/{config.DISTANCE_TARGETS}",), (), ("distance_targets",)),
    Step("cases", _cases, (config.CASES,), ("sources", "places", "distance_targets"), ("cases", "distance_pairs")),
    Step("indicators", _indicators, (f"{config.SHEETS_DIR}/",), ("sources", "codebook", "places"),
         ("indicators", "indicators_parquet", "quarantine")),
    Step("timeline", _timeline, (f"{_REF}/{config.TIMELINE}",), ("sources",), ("timeline",)),
    Step("features", _features, (config.FEATURES, config.CONDITIONS), ("sources",), ("features", "conditions")),
    Step("text", _text, tuple(f"{config.TEXT_DIR}/{name}" for name in (config.DOMAIN_TERMS, config.LEXICON, config.LAYOUT)),
         ("sources", "codebook"), ("lexicon", "domain_terms", "layout")),
)


def step_order(steps: tuple[Step, ...] = STEPS) -> list[str]:
    """The steps in an order where each runs after the steps it needs (checks the DAG).

    Examples
    --------
    >>> order = step_order()
    >>> order.index("sources") < order.index("cases") < len(order)
    True
    """
    by_name = {step.name: step for step in steps}
    if len(by_name) != len(steps):
        raise KexieError("build steps: a step name is used twice")
    outputs = [key for step in steps for key in step.outputs]
    if len(set(outputs)) != len(outputs):
        raise KexieError("build steps: an output is produced by two steps")
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            raise KexieError(f"build steps: cycle through {name!r}")
        if name not in by_name:
            raise KexieError(f"build steps: unknown step {name!r}")
        visiting.add(name)
        for need in by_name[name].needs:
            visit(need)
        visiting.discard(name)
        order.append(name)

    for step in steps:
        visit(step.name)
    return order


# ------------------------------------------------------------------------------------------------
# Metadata: datapackage.json, derived from the schemas
# ------------------------------------------------------------------------------------------------
PACKAGE_NAME = "kexie-reform-indicators"
_OTHER_RESOURCES = {
    "domain_terms": ("Domain dictionary for word segmentation (jieba user-dictionary lines: word [freq] [tag])", "text/plain"),
    "layout": ("Layout rules per document: spans set aside before text analysis (markers checked against the documents)", "application/json"),
}


def _indicator_tables() -> dict[str, Any]:
    from kexie_research.schemas.table import Column, Table

    indicator_columns = {name: Column(kind, description, nullable=True) for name, (kind, description) in INDICATOR_COLUMNS.items()}
    quarantine = {name: Column("integer" if name == "row" else "string", "", nullable=True) for name in QUARANTINE_COLUMNS}
    return {
        "indicators": Table("indicators", "indicators.csv", "Processed indicators: one row per coded fact with its verbatim quote; the same table is in indicators.parquet",
                            indicator_columns, primary_key="record_id"),
        "indicators_parquet": Table("indicators_parquet", "indicators.parquet", "The processed indicators as Parquet (same rows as indicators.csv)", indicator_columns),
        "quarantine": Table("quarantine", "quarantine.csv", "Coded rows that failed a check, with the reason; raw rows = indicators + quarantine", quarantine),
    }


def tables() -> dict[str, Any]:
    """Every processed table's declaration (:class:`kexie_research.schemas.table.Table`) by output key.

    Examples
    --------
    >>> tables()["cases"].path
    'cases.csv'
    """
    from kexie_research.schemas.cases import CASES, DISTANCE_PAIRS
    from kexie_research.schemas.codebook import CODEBOOK, DIMENSIONS, UNITS
    from kexie_research.schemas.distance_targets import DISTANCE_TARGETS
    from kexie_research.schemas.documents import DOCUMENTS
    from kexie_research.schemas.features import CONDITIONS, FEATURES
    from kexie_research.schemas.places import DIVISIONS, PLACES
    from kexie_research.schemas.text import LEXICON
    from kexie_research.schemas.timeline import TIMELINE

    return {**_indicator_tables(), "cases": CASES, "distance_pairs": DISTANCE_PAIRS, "places": PLACES, "divisions": DIVISIONS,
            "codebook": CODEBOOK, "dimensions": DIMENSIONS, "units": UNITS, "timeline": TIMELINE, "features": FEATURES,
            "conditions": CONDITIONS, "documents": DOCUMENTS, "lexicon": LEXICON, "distance_targets": DISTANCE_TARGETS}


def _names(cases: pd.DataFrame) -> str:
    return ", ".join(f"{row.case_en} {row.case_zh}" for row in cases.itertuples())


def datapackage(sources: list[dict], codebook: Codebook, cases: pd.DataFrame | None = None,
                outputs: list[str] | None = None) -> dict:
    """The Frictionless Data Package descriptor of ``data/processed/``, derived from the schemas.

    Descriptions count the cases and documents from the data.

    Examples
    --------
    >>> from kexie_research.steps.sources import load_sources
    >>> from kexie_research.steps.codebook import load_codebook
    >>> package = datapackage(load_sources(), load_codebook())
    >>> package["name"], "cases" in {r["name"] for r in package["resources"]}
    ('kexie-reform-indicators', True)
    """
    n_documents = len(sources)
    n_cases = len(dict.fromkeys(entry["case"] for entry in sources))
    names = _names(cases) if cases is not None else ", ".join(dict.fromkeys(entry["case"] for entry in sources))
    declared = tables()
    keys = outputs if outputs is not None else [key for step in STEPS for key in step.outputs]
    resources = []
    for key in keys:
        if key in declared:
            resources.append(declared[key].resource())
        elif key in _OTHER_RESOURCES:
            description, mediatype = _OTHER_RESOURCES[key]
            path = config.PROCESSED_FILES[key]
            resources.append({"name": key, "path": path, "format": path.rsplit(".", 1)[-1], "mediatype": mediatype,
                              "encoding": "utf-8", "description": description})
    return {
        "profile": "data-package",  # tabular resources plus the text resources (dictionary, layout rules)
        "name": PACKAGE_NAME,
        "title": "Kexie reform indicators: local reforms of China's Science and Technology Associations",
        "version": __version__,
        "codebook_version": codebook.version,
        "description": (
            f"One row per quantitative fact stated in {n_documents} Chinese source document(s) on the reform of local "
            f"Science and Technology Associations in {n_cases} case(s) ({names}), each with its "
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
        "resources": resources,
    }


def codebook_table(codebook: Codebook) -> pd.DataFrame:
    """The codebook as one flat bilingual table.

    Examples
    --------
    >>> from kexie_research.steps.codebook import load_codebook
    >>> list(codebook_table(load_codebook()).columns)[:3]
    ['id', 'zh', 'en']
    """
    dims = codebook.dimensions[["zh", "en"]].rename(columns={"zh": "dimension_zh", "en": "dimension_en"})
    table = codebook.indicators.reset_index(drop=True).join(dims, on="dimension")
    table = table[["id", "zh", "en", "dimension", "dimension_zh", "dimension_en", "unit", "definition"]]
    return table.sort_values("id", ignore_index=True).astype(str)


# ------------------------------------------------------------------------------------------------
# Writing and the build
# ------------------------------------------------------------------------------------------------
def _writer(value: Any, file_name: str) -> Callable[[Path], None]:
    if isinstance(value, str):
        return lambda path: path.write_text(value, encoding="utf-8", newline="\n")
    if file_name.endswith(".parquet"):
        return lambda path: value.to_parquet(path, index=False, engine="pyarrow")
    return lambda path: value.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def build(raw_dir: Path | None = None, out_dir: Path | None = None, *, write: bool = True, echo: Callable[[str], None] | None = print) -> BuildResult:
    """Run every step in DAG order, validate every table with its schema, write them as one set.

    Sheet-level problems (checksum, encoding, columns) raise one error naming the file; row-level
    problems quarantine the row. ``data/processed`` (or ``out_dir``) is replaced all at once
    (:func:`kexie_research.outputs.replace_directory`): a failure leaves the previous set intact.

    Examples
    --------
    >>> result = build(write=False, echo=None)
    >>> int(result.counts.loc["total", "coded"]) == len(result.indicators) + len(result.quarantine)
    True
    """
    from kexie_research.outputs import replace_directory

    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    out = Path(out_dir) if out_dir else config.processed_dir()
    say = echo or (lambda _message: None)

    by_name = {step.name: step for step in STEPS}
    context: dict[str, Any] = {"raw": raw}
    outputs: dict[str, Any] = {}
    declared = tables()
    for name in step_order():
        for key, value in by_name[name].run(context).items():
            if key in declared and key not in ("indicators", "indicators_parquet", "quarantine"):
                declared[key].validate(value)  # the indicator table is validated row by row in its step
            outputs[key] = value
    package = datapackage(context["sources"], context["codebook"], outputs["cases"], list(outputs))
    outputs["datapackage"] = json.dumps(package, ensure_ascii=False, indent=2) + "\n"

    counts = context["counts"]
    # OWID-style mapping hygiene: report keys that nothing used, not only keys that were missing.
    warnings = [f"place alias {alias!r} in place_aliases.csv resolved no scope" for alias in context["resolver"].unused_aliases()]
    warnings += context["warnings"]
    result = BuildResult(indicators=outputs["indicators"], quarantine=outputs["quarantine"], places=outputs["places"],
                         counts=counts, warnings=warnings, tables=outputs)
    if write:
        files = {config.PROCESSED_FILES.get(key, key): value for key, value in outputs.items()}
        writers = {name: _writer(value, name) for name, value in sorted(files.items())}
        result.written = replace_directory(out, writers, marker=PACKAGE_NAME)
    say(f"kexie build: {int(counts.loc['total', 'coded'])} coded rows -> {len(result.indicators)} processed + {len(result.quarantine)} quarantined")
    say(counts.to_string())
    for message in warnings:
        say(f"warning: {message}")
    if write:
        say(f"wrote {len(result.written)} files to {out}")
    return result


def clean_indicators(raw: Path, sources: list[dict], codebook: Codebook, resolver: PlaceResolver):
    """The coding sheets -> (indicators, quarantine, counts per case, warnings)."""
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

    case_of_source = {sid: entry["case"] for sid, entry in by_id.items()}
    order = list(dict.fromkeys(entry["case"] for entry in sources))
    counts = pd.DataFrame({
        "coded": sheets["source_id"].map(case_of_source).value_counts(),
        "processed": indicators["source_id"].map(case_of_source).value_counts(),
        "quarantined": quarantine["source_id"].map(case_of_source).value_counts(),
    }).reindex(order).fillna(0).astype(int)
    counts.index.name = "case"
    counts.loc["total"] = counts.sum()
    if not (counts["coded"] == counts["processed"] + counts["quarantined"]).all():
        raise KexieError(f"row accounting broken (coded != processed + quarantined):\n{counts}")
    unused = sorted(set(codebook.indicators.index) - set(sheets["indicator_id"].str.strip()))
    warnings = [f"codebook indicator {indicator!r} is used by no coded row" for indicator in unused]
    return indicators, quarantine, counts, warnings
