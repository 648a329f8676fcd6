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

import json
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kexie_research import __version__
from kexie_research import config
from kexie_research.errors import KexieError
from kexie_research.schemas.indicators import INDICATOR_COLUMNS, QUARANTINE_FIELDS
from kexie_research.steps import indicators as indicators_step
from kexie_research.steps.cases import cases_step
from kexie_research.steps.codebook import Codebook, read_codebook
from kexie_research.steps.distance_targets import distance_targets_step
from kexie_research.steps.reference_tables import BENCHMARKS, PROVINCIAL_SEATS, benchmarks_step, provincial_seats_step
from kexie_research.steps.features import conditions_step, features_step
from kexie_research.steps.geo import LAYER_FILES, ORIGIN_FILE, geo_step
from kexie_research.steps.places import PlaceResolver, read_divisions, read_places
from kexie_research.steps.sources import DOCUMENTS_DIR, documents_step, verify_sources
from kexie_research.steps.text import domain_terms_step, layout_step, lexicon_step
from kexie_research.steps.timeline import timeline_step


@dataclass
class BuildResult:
    """What a build produced: the indicator table, its quarantine, per-case counts, every table by key.

    Examples
    --------
    >>> result = build(write=False, echo=None)
    >>> "cases" in result.tables and result.written == []
    True
    """

    indicators: pd.DataFrame
    quarantine: pd.DataFrame
    places: pd.DataFrame
    counts: pd.DataFrame
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tables: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------
# The steps: an explicit, ordered DAG
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One build step: its name, the raw inputs it reads, the steps it needs, what it returns.

    ``run(inputs)`` loads and checks its raw inputs (every step module has the same skeleton:
    load -> check -> return tables) and returns ``{key: value}`` with exactly its ``outputs`` (the
    processed tables) and its ``provides`` (objects later steps read but nothing writes: the verified
    manifest, the parsed codebook, the place resolver). ``inputs`` is a read-only
    :class:`StepInputs`: ``raw`` (the data/raw folder) and what the steps it ``needs`` returned,
    nothing else. An output is a key of ``config.PROCESSED_FILES`` or a relative path
    (``geo/provinces.parquet``); its value is a DataFrame (CSV or Parquet by the file name), a text,
    or the :class:`~pathlib.Path` of a checked raw file published unchanged.

    Examples
    --------
    >>> [step.name for step in STEPS if "cases" in step.outputs]
    ['cases']
    >>> [step.name for step in STEPS if "resolver" in step.provides]
    ['places']
    """

    name: str
    run: Callable[[StepInputs], dict[str, Any]]
    inputs: tuple[str, ...]
    needs: tuple[str, ...]
    outputs: tuple[str, ...]
    provides: tuple[str, ...] = ()


class StepInputs(Mapping[str, Any]):
    """What one step may read: ``raw`` and the values returned by the steps it needs (read-only).

    Reading any other key, or writing any key, is a :class:`~kexie_research.errors.KexieError` that
    names the step and what to declare.

    Examples
    --------
    >>> inputs = StepInputs("timeline", {"raw": Path("data/raw"), "documents": "…"}, needs=("sources",))
    >>> inputs["raw"].name
    'raw'
    >>> try:
    ...     inputs["codebook"]
    ... except KexieError as exc:
    ...     print(exc)
    build step 'timeline' reads 'codebook', which the steps it needs (sources) do not return; add the step that returns it to its needs
    """

    def __init__(self, step: str, values: Mapping[str, Any], needs: tuple[str, ...] = ()) -> None:
        self._step, self._values, self._needs = step, dict(values), needs

    def __getitem__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            needs = ", ".join(self._needs) or "none"
            raise KexieError(
                f"build step {self._step!r} reads {key!r}, which the steps it needs ({needs}) do not return; "
                "add the step that returns it to its needs"
            ) from None

    def __setitem__(self, key: str, value: Any) -> None:
        raise KexieError(
            f"build step {self._step!r} writes {key!r} into its inputs; a step returns its tables "
            "(outputs) and the objects later steps read (provides)"
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def run_step(step: Step, produced: Mapping[str, Any], by_name: Mapping[str, Step]) -> dict[str, Any]:
    """Run ``step`` on a read-only view of ``produced`` limited to ``raw`` and what its needs return;
    check that it returned exactly its declared outputs and provides.

    Examples
    --------
    >>> step = Step("sum", lambda inputs: {"total": inputs["a"] + 1}, (), ("a",), ("total",))
    >>> source = Step("a", lambda inputs: {"a": 1}, (), (), ("a",))
    >>> run_step(step, {"raw": None, "a": 1}, {"a": source, "sum": step})
    {'total': 2}
    """
    visible = ("raw", *(key for need in step.needs for key in (*by_name[need].outputs, *by_name[need].provides)))
    returned = step.run(StepInputs(step.name, {key: produced[key] for key in visible}, step.needs))
    declared = (*step.outputs, *step.provides)
    extra = [key for key in returned if key not in declared]
    missing = [key for key in declared if key not in returned]
    if extra or missing:
        problems = [
            f"undeclared {', '.join(map(repr, extra))}" if extra else "",
            f"missing {', '.join(map(repr, missing))}" if missing else "",
        ]
        raise KexieError(
            f"build step {step.name!r} returned {'; '.join(p for p in problems if p)}; "
            f"it declares outputs ({', '.join(step.outputs) or 'none'}) and provides ({', '.join(step.provides) or 'none'})"
        )
    return returned


def _sources(inputs: StepInputs) -> dict[str, Any]:
    manifest = verify_sources(inputs["raw"])
    return {"manifest": manifest, "documents": documents_step(inputs["raw"])}


def _codebook(inputs: StepInputs) -> dict[str, Any]:
    codebook = read_codebook(inputs["raw"])
    return {
        "parsed_codebook": codebook,
        "codebook": codebook_table(codebook),
        "dimensions": codebook.dimensions.reset_index(drop=True)[["id", "zh", "en"]].astype(str),
        "units": codebook.units.reset_index(drop=True)[["id", "zh", "en"]].astype(str),
        "frame": codebook.frame.reset_index(drop=True).astype(str),
        "frame_sources": codebook.frame_sources.reset_index(drop=True).astype(str),
    }


def _places(inputs: StepInputs) -> dict[str, Any]:
    resolver = PlaceResolver.from_raw(inputs["raw"])
    places, divisions = read_places(inputs["raw"]), read_divisions(inputs["raw"])
    return {"resolver": resolver, "places": places, "divisions": divisions}


def _distance_targets(inputs: StepInputs) -> dict[str, Any]:
    return {"distance_targets": distance_targets_step(inputs["raw"])}


def _benchmarks(inputs: StepInputs) -> dict[str, Any]:
    return {"national_benchmarks": benchmarks_step(inputs["raw"], inputs["parsed_codebook"])}


def _provincial_seats(inputs: StepInputs) -> dict[str, Any]:
    return {"provincial_seats": provincial_seats_step(inputs["raw"], inputs["divisions"])}


def _cases(inputs: StepInputs) -> dict[str, Any]:
    cases, pairs = cases_step(inputs["raw"], inputs["documents"], inputs["places"], inputs["divisions"])
    return {"cases": cases, "distance_pairs": pairs}


def _indicators(inputs: StepInputs) -> dict[str, Any]:
    step = indicators_step.run(inputs["raw"], inputs["manifest"], inputs["parsed_codebook"], inputs["resolver"])
    return {
        "indicators": step.indicators,
        "indicators_parquet": step.indicators,
        "quarantine": step.quarantine,
        "counts": step.counts,
        "warnings": list(step.warnings),
    }


def _reliability(inputs: StepInputs) -> dict[str, Any]:
    from kexie_research.steps.reliability import reliability_step

    resolver = inputs["resolver"]

    def resolve(scope_zh: str) -> str:
        try:
            return resolver.resolve(scope_zh).admin_code
        except KexieError:
            return f"unresolved:{scope_zh}"

    return {"reliability": reliability_step(inputs["raw"], resolve)}


def _timeline(inputs: StepInputs) -> dict[str, Any]:
    documents = inputs["documents"]
    texts = dict(zip(documents["source_id"], documents["text"]))
    return {"timeline": timeline_step(inputs["raw"], texts=texts, cases=list(dict.fromkeys(documents["case"])))}


def _features(inputs: StepInputs) -> dict[str, Any]:
    return {
        "features": features_step(raw_dir=inputs["raw"], documents=inputs["documents"]),
        "conditions": conditions_step(inputs["raw"] / config.CONDITIONS).reset_index(drop=True),
    }


def _geo(inputs: StepInputs) -> dict[str, Any]:
    return geo_step(inputs["raw"])


def _text(inputs: StepInputs) -> dict[str, Any]:
    documents = inputs["documents"]
    texts = dict(zip(documents["source_id"], documents["text"]))
    return {
        "lexicon": lexicon_step(inputs["raw"], inputs["parsed_codebook"].dimensions),
        "domain_terms": "\n".join(domain_terms_step(inputs["raw"])) + "\n",
        "layout": json.dumps(layout_step(inputs["raw"], texts), ensure_ascii=False, indent=2) + "\n",
    }


_REF = config.REFERENCE_DIR
STEPS: tuple[Step, ...] = (
    Step("sources", _sources, (config.MANIFEST, f"{config.DOCUMENTS_DIR}/"), (), ("documents",), ("manifest",)),
    Step(
        "codebook",
        _codebook,
        (config.CODEBOOK,),
        (),
        ("codebook", "dimensions", "units", "frame", "frame_sources"),
        ("parsed_codebook",),
    ),
    Step(
        "places",
        _places,
        (
            *(f"{_REF}/{name}" for name in config.PLACE_FILES),
            f"{_REF}/{config.DIVISIONS}",
            f"{_REF}/{config.PLACE_ALIASES}",
        ),
        ("sources",),
        ("places", "divisions"),
        ("resolver",),
    ),
    Step("distance_targets", _distance_targets, (f"{_REF}/{config.DISTANCE_TARGETS}",), (), ("distance_targets",)),
    Step("benchmarks", _benchmarks, (f"{_REF}/{BENCHMARKS}",), ("codebook",), ("national_benchmarks",)),
    Step("provincial_seats", _provincial_seats, (f"{_REF}/{PROVINCIAL_SEATS}",), ("places",), ("provincial_seats",)),
    Step("cases", _cases, (config.CASES,), ("sources", "places", "distance_targets"), ("cases", "distance_pairs")),
    Step(
        "indicators",
        _indicators,
        (f"{config.SHEETS_DIR}/",),
        ("sources", "codebook", "places"),
        ("indicators", "indicators_parquet", "quarantine"),
        ("counts", "warnings"),
    ),
    Step(
        "reliability",
        _reliability,
        (f"{config.SECOND_CODER_DIR}/",),
        ("sources", "places", "indicators"),
        ("reliability",),
    ),
    Step("timeline", _timeline, (f"{_REF}/{config.TIMELINE}",), ("sources",), ("timeline",)),
    Step("features", _features, (config.FEATURES, config.CONDITIONS), ("sources",), ("features", "conditions")),
    Step(
        "text",
        _text,
        tuple(f"{config.TEXT_DIR}/{name}" for name in (config.DOMAIN_TERMS, config.LEXICON, config.LAYOUT)),
        ("sources", "codebook"),
        ("lexicon", "domain_terms", "layout"),
    ),
    Step(
        "geo",
        _geo,
        (f"{config.GEO_DIR}/",),
        ("places",),
        tuple(f"{config.GEO_DIR}/{name}" for name in (*LAYER_FILES.values(), ORIGIN_FILE)),
    ),
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
    outputs = [key for step in steps for key in (*step.outputs, *step.provides)]
    if len(set(outputs)) != len(outputs) or "raw" in outputs:
        raise KexieError("build steps: an output is produced by two steps (or is named 'raw')")
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
    "domain_terms": (
        "Domain dictionary for word segmentation (jieba user-dictionary lines: word [freq] [tag])",
        "text/plain",
    ),
    "layout": (
        "Layout rules per document: spans set aside before text analysis (markers checked against the documents)",
        "application/json",
    ),
}


def _indicator_tables() -> dict[str, Any]:
    from kexie_research.schemas.table import Column, Table

    indicator_columns = {
        name: Column(kind, description, nullable=True) for name, (kind, description) in INDICATOR_COLUMNS.items()
    }
    quarantine = {
        name: Column("integer" if name == "row" else "string", description, nullable=True)
        for name, description in QUARANTINE_FIELDS.items()
    }
    return {
        "indicators": Table(
            "indicators",
            "indicators.csv",
            "Processed indicators: one row per coded fact with its verbatim quote; the same table is in indicators.parquet",
            indicator_columns,
            primary_key="record_id",
        ),
        "indicators_parquet": Table(
            "indicators_parquet",
            "indicators.parquet",
            "The processed indicators as Parquet (same rows as indicators.csv)",
            indicator_columns,
        ),
        "quarantine": Table(
            "quarantine",
            "quarantine.csv",
            "Coded rows that failed a check, with the reason; raw rows = indicators + quarantine",
            quarantine,
        ),
    }


def tables() -> dict[str, Any]:
    """Every processed table's declaration (:class:`kexie_research.schemas.table.Table`) by output key.

    Examples
    --------
    >>> tables()["cases"].path
    'cases.csv'
    """
    from kexie_research.schemas.cases import CASES, DISTANCE_PAIRS
    from kexie_research.schemas.codebook import CODEBOOK, DIMENSIONS, FRAME, FRAME_SOURCES, UNITS
    from kexie_research.schemas.distance_targets import DISTANCE_TARGETS
    from kexie_research.schemas.reference_tables import NATIONAL_BENCHMARKS, PROVINCIAL_SEATS as SEATS
    from kexie_research.schemas.documents import DOCUMENTS
    from kexie_research.schemas.features import CONDITIONS, FEATURES
    from kexie_research.schemas.places import DIVISIONS, PLACES
    from kexie_research.schemas.reliability import RELIABILITY
    from kexie_research.schemas.text import LEXICON
    from kexie_research.schemas.timeline import TIMELINE

    return {
        **_indicator_tables(),
        "cases": CASES,
        "distance_pairs": DISTANCE_PAIRS,
        "places": PLACES,
        "divisions": DIVISIONS,
        "codebook": CODEBOOK,
        "dimensions": DIMENSIONS,
        "units": UNITS,
        "frame": FRAME,
        "frame_sources": FRAME_SOURCES,
        "timeline": TIMELINE,
        "features": FEATURES,
        "conditions": CONDITIONS,
        "documents": DOCUMENTS,
        "lexicon": LEXICON,
        "distance_targets": DISTANCE_TARGETS,
        "national_benchmarks": NATIONAL_BENCHMARKS,
        "provincial_seats": SEATS,
        "reliability": RELIABILITY,
    }


def _names(cases: pd.DataFrame) -> str:
    return ", ".join(f"{row.case_en} {row.case_zh}" for row in cases.itertuples())


def datapackage(
    sources: list[dict], codebook: Codebook, cases: pd.DataFrame | None = None, outputs: list[str] | None = None
) -> dict:
    """The Frictionless Data Package descriptor of ``data/processed/``, derived from the schemas.

    Descriptions count the cases and documents from the data.

    Examples
    --------
    >>> from kexie_research.steps.sources import read_sources
    >>> from kexie_research.steps.codebook import read_codebook
    >>> package = datapackage(read_sources(), read_codebook())
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
            resources.append(
                {
                    "name": key,
                    "path": path,
                    "format": path.rsplit(".", 1)[-1],
                    "mediatype": mediatype,
                    "encoding": "utf-8",
                    "description": description,
                }
            )
    for key in keys:
        if key.startswith(f"{config.GEO_DIR}/"):  # boundary layers, published unchanged from data/raw/geo
            name = key.rsplit("/", 1)[-1]
            stem, _, suffix = name.rpartition(".")
            description = (
                f"Boundary layer {stem!r} (GeoParquet, EPSG:4326; admin_code, name_zh, level, parent_code, geometry)"
                if suffix == "parquet"
                else "Origin of the boundary layers: source, licence, citation, sha256 per file"
            )
            resources.append(
                {
                    "name": f"geo_{stem}",
                    "path": key,
                    "format": suffix,
                    "mediatype": "application/vnd.apache.parquet" if suffix == "parquet" else "application/yaml",
                    "description": description,
                }
            )
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
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (the coding and derived data; quotes remain the sources' text)",
            }
        ],
        "sources": [
            {
                "title": f"{entry['title_zh']} ({entry['title_en']})",
                "path": f"data/raw/{DOCUMENTS_DIR}/{entry['file']}",
                "description": f"{entry['genre']}; {entry['place_zh']}; sha256 {entry['sha256']}",
            }
            for entry in sources
        ],
        "resources": resources,
    }


def codebook_table(codebook: Codebook) -> pd.DataFrame:
    """The codebook as one flat bilingual table.

    Examples
    --------
    >>> from kexie_research.steps.codebook import read_codebook
    >>> list(codebook_table(read_codebook()).columns)[:3]
    ['id', 'zh', 'en']
    """
    dims = codebook.dimensions[["zh", "en"]].rename(columns={"zh": "dimension_zh", "en": "dimension_en"})
    frame = codebook.frame[["zh", "en"]].rename(columns={"zh": "frame_zh", "en": "frame_en"})
    table = codebook.indicators.reset_index(drop=True).join(dims, on="dimension").join(frame, on="frame")
    table[["frame_zh", "frame_en"]] = table[["frame_zh", "frame_en"]].fillna("")
    table = table[
        [
            "id",
            "zh",
            "en",
            "dimension",
            "dimension_zh",
            "dimension_en",
            "unit",
            "definition",
            "frame",
            "frame_zh",
            "frame_en",
            "frame_note",
        ]
    ]
    return table.sort_values("id", ignore_index=True).astype(str)


# ------------------------------------------------------------------------------------------------
# Writing and the build
# ------------------------------------------------------------------------------------------------
def _writer(value: Any, file_name: str) -> Callable[[Path], object]:
    """How one output is written: text as UTF-8 with LF, a frame as CSV or Parquet, a path copied byte for byte."""
    if isinstance(value, str):
        return lambda path: path.write_text(value, encoding="utf-8", newline="\n")
    if isinstance(value, Path):  # a checked raw file published unchanged (e.g. a boundary layer)
        return lambda path: shutil.copyfile(value, path)
    if file_name.endswith(".parquet"):
        return lambda path: value.to_parquet(path, index=False, engine="pyarrow")
    return lambda path: value.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def build(
    raw_dir: Path | None = None,
    out_dir: Path | None = None,
    *,
    write: bool = True,
    echo: Callable[[str], None] | None = print,
) -> BuildResult:
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
    from kexie_research.atomic import raw_lock
    from kexie_research.journal import repair_before_reading
    from kexie_research.outputs import replace_directory

    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    out = Path(out_dir) if out_dir else config.processed_dir()
    say = echo or (lambda _message: None)

    by_name = {step.name: step for step in STEPS}
    produced: dict[str, Any] = {"raw": raw}  # what each step returned, for the steps that need it
    outputs: dict[str, Any] = {}
    declared = tables()
    # A killed `kexie add-source` is finished or rolled back first; the shared lock keeps a running
    # one from changing data/raw while it is read (kexie_research.journal, kexie_research.atomic).
    repaired = repair_before_reading(raw, say)
    with raw_lock(raw, "kexie build", shared=True):
        for name in step_order():
            step = by_name[name]
            returned = run_step(step, produced, by_name)
            produced.update(returned)
            for key, value in returned.items():
                if key not in step.outputs:
                    continue  # a value for later steps, not a table
                if key in declared and key not in ("indicators", "indicators_parquet", "quarantine"):
                    declared[key].validate(value)  # the indicator table is validated row by row in its step
                outputs[key] = value
    package = datapackage(produced["manifest"], produced["parsed_codebook"], outputs["cases"], list(outputs))
    outputs["datapackage"] = json.dumps(package, ensure_ascii=False, indent=2) + "\n"

    counts = produced["counts"]
    # OWID-style mapping hygiene: report keys that nothing used, not only keys that were missing.
    warnings = [
        f"place alias {alias!r} in place_aliases.csv resolved no scope"
        for alias in produced["resolver"].unused_aliases()
    ]
    warnings += produced["warnings"]
    warnings += [f"data/raw: {line}" for line in repaired]
    result = BuildResult(
        indicators=outputs["indicators"],
        quarantine=outputs["quarantine"],
        places=outputs["places"],
        counts=counts,
        warnings=warnings,
        tables=outputs,
    )
    if write:
        files = {config.PROCESSED_FILES.get(key, key): value for key, value in outputs.items()}
        writers = {name: _writer(value, name) for name, value in sorted(files.items())}
        result.written = replace_directory(out, writers, marker=PACKAGE_NAME)
    say(
        f"kexie build: {int(counts.loc['total', 'coded'])} coded rows -> {len(result.indicators)} processed + {len(result.quarantine)} quarantined"
    )
    say(counts.to_string())
    for message in warnings:
        say(f"warning: {message}")
    if write:
        say(f"wrote {len(result.written)} files to {out}")
    return result
