"""Cases: the units of comparison, from the manifest plus the optional knowledge of ``cases.yaml``.

A case exists because a source in ``data/raw/sources.yaml`` names it (``case:``, ``admin_code:``).
``data/raw/cases.yaml`` only adds what differs between cases and is not in the documents' manifest
(display names, reform model, colour, map label placement, county panel, policy distance pairs);
every field has a default, so a new case needs no entry at all. This step fills every default and
returns two tables: ``cases`` (one row per case, manifest order) and ``distance_pairs``.

Example::

    >>> from kexie_research.steps.cases import cases_step
    >>> cases, pairs = cases_step()
    >>> cases.loc[0, ["case", "case_zh", "colour"]].tolist()
    ['wuzhou', '梧州', '#0072B2']
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError
from kexie_research.steps.geo import LAYERS
from kexie_research.steps.places import read_divisions, read_places, short_name
from kexie_research.steps.sources import read_document_table, read_yaml_mapping

CASES_NAME = config.CASES
# Okabe & Ito (2008) colour-blind-safe palette without black (kept for text), then Paul Tol's
# "muted" scheme: defaults are taken in this order, skipping colours already chosen in cases.yaml.
PALETTE = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
CASE_FIELDS = (
    "case",
    "name_zh",
    "name_en",
    "model_zh",
    "model_en",
    "colour",
    "label",
    "county_panel",
    "distance_pairs",
)
PAIR_FIELDS = ("id", "context", "from", "to", "measure")
MEASURES = ("distance", "shared_border")
LABEL_ALIGNMENTS = ("left", "right", "center")
CASE_COLUMNS = [
    "case",
    "case_zh",
    "case_en",
    "admin_code",
    "level",
    "province_code",
    "province_zh",
    "province_en",
    "model_zh",
    "model_en",
    "colour",
    "label_dx",
    "label_dy",
    "label_ha",
    "county_panel",
    "population",
    "population_source",
    "source_ids",
]
PAIR_COLUMNS = ["pair_id", "case", "context", "context_zh", "context_en", "from_end", "to_end", "measure"]
_END = re.compile(
    r"seat:(?P<seat>\d{6})|target:(?P<target>[a-z0-9_]+)|polygon:(?P<layer>[a-z0-9_]+):(?P<code>\d{6})|layer:(?P<whole>[a-z0-9_]+)"
)
_EN_SUFFIX = re.compile(
    r"\s+(City|District|County|Municipality|Prefecture|Province|League|Banner|Autonomous Region)(\s*\(.*\))?$"
)
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


class CaseError(KexieError, ValueError):
    """``cases.yaml`` is invalid or names something unknown (the message names file and entry)."""


def english_name(name_en: str, case: str) -> str:
    """A case's English display name: the division's English name without its generic word.

    Examples
    --------
    >>> english_name("Wuzhou City", "wuzhou"), english_name("", "new_place")
    ('Wuzhou', 'New Place')
    """
    name = _EN_SUFFIX.sub("", str(name_en or "").strip())
    return name or case.replace("_", " ").title()


def parse_end(end: Any, where: str = "") -> dict[str, str]:
    """Check an end of a distance pair and split it: ``seat:CODE``, ``target:ID``,
    ``polygon:LAYER:CODE`` or ``layer:LAYER``.

    Examples
    --------
    >>> parse_end("polygon:provinces:440000")
    {'kind': 'polygon', 'layer': 'provinces', 'code': '440000'}
    >>> parse_end("target:guangzhou")
    {'kind': 'target', 'target': 'guangzhou'}

    ``LAYER`` is one of the boundary layers (:data:`kexie_research.steps.geo.LAYERS`).
    """
    prefix = f"{where}: " if where else ""
    match = _END.fullmatch(end) if isinstance(end, str) else None
    if match is None:
        raise CaseError(f"{prefix}end {end!r} is not seat:CODE, target:TARGET_ID, polygon:LAYER:CODE or layer:LAYER")
    if match["seat"]:
        return {"kind": "seat", "code": match["seat"]}
    if match["target"]:
        return {"kind": "target", "target": match["target"]}
    layer = match["layer"] or match["whole"]
    if layer not in LAYERS:
        raise CaseError(f"{prefix}end {end!r}: no boundary layer {layer!r}; layers: {', '.join(LAYERS)}")
    if match["layer"]:
        return {"kind": "polygon", "layer": layer, "code": match["code"]}
    return {"kind": "layer", "layer": layer}


def _text(value: Any, where: str, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise CaseError(f"{where}: {field} must be text, got {value!r}")
    return str(value).strip()


def read_cases(raw_dir: Path | None = None) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]]]:
    """The entries and distance contexts of ``cases.yaml``, structure checked (no file = no entries).

    Examples
    --------
    >>> entries, contexts = read_cases()
    >>> sorted(contexts)[:2]
    ['capital', 'chengyu']
    """
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    path = raw / CASES_NAME
    if not path.is_file():
        return [], {}
    content = read_yaml_mapping(path, CaseError, "case knowledge")
    unknown_keys = sorted(set(content) - {"version", "cases", "distance_contexts"})
    if unknown_keys:
        raise CaseError(
            f"{path}: unknown top-level key(s) {', '.join(unknown_keys)}; expected version, cases, distance_contexts"
        )
    entries = content.get("cases") or []
    if not isinstance(entries, list):
        raise CaseError(f"{path}: 'cases:' must be a list of entries")
    raw_contexts = content.get("distance_contexts") or {}
    if not isinstance(raw_contexts, dict):
        raise CaseError(f"{path}: 'distance_contexts:' must map a context id to {{zh, en}}")
    contexts = {}
    for key, value in raw_contexts.items():
        if not isinstance(value, dict) or not all(
            isinstance(value.get(label), str) and value[label] for label in ("zh", "en")
        ):
            raise CaseError(f"{path}: distance context {key!r} needs 'zh' and 'en' labels (text)")
        contexts[str(key)] = {"zh": str(value["zh"]), "en": str(value["en"])}
    checked = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: case #{number}"
        if not isinstance(entry, dict) or not entry.get("case"):
            raise CaseError(f"{where}: expected a mapping with a 'case:' key")
        where = f"{path}: case {entry['case']!r}"
        unknown = sorted(set(entry) - set(CASE_FIELDS))
        if unknown:
            raise CaseError(f"{where}: unknown field(s) {', '.join(unknown)}; valid: {', '.join(CASE_FIELDS)}")
        checked.append({**entry, "case": _text(entry["case"], where, "case")})
    return checked, contexts


def _label(value: Any, where: str) -> tuple[float | None, float | None, str]:
    if value is None:
        return None, None, ""
    if not isinstance(value, dict) or set(value) - {"dx", "dy", "ha"} or not {"dx", "dy"} <= set(value):
        raise CaseError(f"{where}: label must be {{dx: points, dy: points, ha: left|right|center}}, got {value!r}")
    numbers = []
    for key in ("dx", "dy"):
        if not isinstance(value[key], (int, float)) or isinstance(value[key], bool) or not abs(value[key]) <= 200:
            raise CaseError(f"{where}: label {key} must be a number of points within ±200, got {value[key]!r}")
        numbers.append(float(value[key]))
    ha = value.get("ha", "left")
    if ha not in LABEL_ALIGNMENTS:
        raise CaseError(f"{where}: label ha must be one of {', '.join(LABEL_ALIGNMENTS)}, got {ha!r}")
    return numbers[0], numbers[1], ha


def cases_step(
    raw_dir: Path | None = None,
    documents: pd.DataFrame | None = None,
    places: pd.DataFrame | None = None,
    divisions: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load and check the cases; return ``(cases, distance_pairs)`` with every default filled in.

    Checks, each error naming ``cases.yaml`` and the entry: every case is named by a source;
    no case twice; known fields only; colours ``#RRGGBB`` and distinct; label offsets; county_panel a
    boolean; ``model_zh`` occurs in one of the case's documents (line breaks removed); distance pairs
    with unique ids, known contexts, ends of a known division or reference point, a known measure.
    ``documents``, ``places`` and ``divisions`` are the tables of the earlier steps (default: read them).

    Examples
    --------
    >>> cases, pairs = cases_step()
    >>> int(cases.county_panel.sum()) >= 1, set(pairs.measure) <= {"distance", "shared_border"}
    (True, True)
    """
    from kexie_research.parse.provenance import locate_quote

    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    path = raw / CASES_NAME
    entries, contexts = read_cases(raw)
    documents = documents if documents is not None else read_document_table(raw)
    divisions = (divisions if divisions is not None else read_divisions(raw)).set_index("admin_code")
    places = (places if places is not None else read_places(raw)).set_index("admin_code")
    targets = set(read_target_ids(raw))
    order = list(dict.fromkeys(documents["case"]))
    codes = documents.groupby("case", sort=False)["admin_code"].unique()
    for case, case_codes in codes.items():
        if len(case_codes) > 1:
            raise CaseError(
                f"{raw / config.MANIFEST}: case {case!r} has documents with different admin_code(s) {', '.join(case_codes)}"
            )
    by_case: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry["case"] not in order:
            raise CaseError(
                f"{path}: case {entry['case']!r} is named by no source in {config.MANIFEST}; known: {', '.join(order)}"
            )
        if entry["case"] in by_case:
            raise CaseError(f"{path}: case {entry['case']!r} is listed twice")
        by_case[entry["case"]] = entry
    chosen: dict[str, str] = {}
    for case, entry in by_case.items():
        colour = entry.get("colour")
        if colour is not None:
            if not isinstance(colour, str) or not _HEX.fullmatch(colour):
                raise CaseError(f"{path}: case {case!r}: colour must be '#RRGGBB', got {colour!r}")
            if colour.upper() in chosen.values():
                raise CaseError(f"{path}: case {case!r}: colour {colour} is already the colour of another case")
            chosen[case] = colour.upper()
    free = [colour for colour in PALETTE if colour.upper() not in chosen.values()] or list(PALETTE)
    rows: list[dict[str, Any]] = []
    pairs: list[dict[str, Any]] = []
    pair_ids: set[str] = set()
    for case in order:
        entry = by_case.get(case, {})
        where = f"{path}: case {case!r}"
        code = str(codes[case][0])
        division = divisions.loc[code]
        chain = _chain(code, divisions)
        province_code = next((c for c in chain if divisions.at[c, "level"] == "province"), "")
        case_docs = documents[documents["case"] == case]
        model_zh = _text(entry.get("model_zh"), where, "model_zh")
        if model_zh and not any(locate_quote(model_zh, text) is not None for text in case_docs["text"]):
            raise CaseError(
                f"{where}: model_zh {model_zh!r} does not occur in the case's document(s) {', '.join(case_docs.source_id)}"
            )
        county_panel = entry.get("county_panel", False)
        if not isinstance(county_panel, bool):
            raise CaseError(f"{where}: county_panel must be true or false, got {county_panel!r}")
        dx, dy, ha = _label(entry.get("label"), where)
        colour = chosen.get(case)
        if colour is None:
            colour = free.pop(0) if free else PALETTE[len(rows) % len(PALETTE)]
        population = places.at[code, "population_2020"] if code in places.index else pd.NA
        rows.append(
            {
                "case": case,
                "case_zh": _text(entry.get("name_zh"), where, "name_zh")
                or short_name(division["name_zh"])
                or division["name_zh"],
                "case_en": _text(entry.get("name_en"), where, "name_en") or english_name(division["name_en"], case),
                "admin_code": code,
                "level": division["level"],
                "province_code": province_code,
                "province_zh": divisions.at[province_code, "name_zh"] if province_code else "",
                "province_en": divisions.at[province_code, "name_en"] if province_code else "",
                "model_zh": model_zh,
                "model_en": _text(entry.get("model_en"), where, "model_en"),
                "colour": colour,
                "label_dx": dx,
                "label_dy": dy,
                "label_ha": ha,
                "county_panel": county_panel,
                "population": population,
                "population_source": places.at[code, "source_population"]
                if code in places.index and not pd.isna(population)
                else "",
                "source_ids": ";".join(case_docs["source_id"]),
            }
        )
        declared = entry.get("distance_pairs") or []
        if not isinstance(declared, list):
            raise CaseError(f"{where}: distance_pairs must be a list")
        for number, pair in enumerate(declared, start=1):
            pwhere = f"{where} distance pair #{number}"
            if not isinstance(pair, dict) or set(pair) != set(PAIR_FIELDS):
                raise CaseError(f"{pwhere}: expected the fields {', '.join(PAIR_FIELDS)}, got {pair!r}")
            pair_id = _text(pair["id"], pwhere, "id")
            if pair_id in pair_ids:
                raise CaseError(f"{pwhere}: pair id {pair_id!r} used twice")
            pair_ids.add(pair_id)
            context_id = _text(pair["context"], pwhere, "context")
            if context_id not in contexts:
                raise CaseError(
                    f"{pwhere}: unknown context {pair['context']!r}; defined in distance_contexts: {', '.join(contexts)}"
                )
            measure = _text(pair["measure"], pwhere, "measure")
            if measure not in MEASURES:
                raise CaseError(f"{pwhere}: measure must be one of {', '.join(MEASURES)}, got {pair['measure']!r}")
            for side in ("from", "to"):
                end = parse_end(pair[side], pwhere)
                if "code" in end and end["code"] not in divisions.index:
                    raise CaseError(f"{pwhere}: {side} {pair[side]!r}: {end['code']} is not in the division reference")
                if end["kind"] == "target" and end["target"] not in targets:
                    raise CaseError(
                        f"{pwhere}: {side} {pair[side]!r}: no target {end['target']!r} in {config.DISTANCE_TARGETS}"
                    )
            context = contexts[context_id]
            pairs.append(
                {
                    "pair_id": pair_id,
                    "case": case,
                    "context": context_id,
                    "context_zh": context["zh"],
                    "context_en": context["en"],
                    "from_end": pair["from"],
                    "to_end": pair["to"],
                    "measure": measure,
                }
            )
    cases = pd.DataFrame(rows, columns=CASE_COLUMNS)
    cases["population"] = cases["population"].astype("Int64")
    for column in ("label_dx", "label_dy"):
        cases[column] = cases[column].astype("float64")
    cases["county_panel"] = cases["county_panel"].astype(bool)
    return cases, pd.DataFrame(pairs, columns=PAIR_COLUMNS)


def _chain(code: str, divisions: pd.DataFrame) -> list[str]:
    chain: list[str] = []
    while code and code in divisions.index and code not in chain:
        chain.append(code)
        parent = divisions.at[code, "parent_code"]
        code = parent if isinstance(parent, str) else ""
    return chain


def read_target_ids(raw_dir: Path | None = None) -> list[str]:
    """The ids of the cited reference points (``reference/distance_targets.csv``).

    Examples
    --------
    >>> "guangzhou" in read_target_ids()
    True
    """
    from kexie_research.steps.distance_targets import distance_targets_step

    return distance_targets_step(raw_dir)["target_id"].tolist()


__all__ = ["PALETTE", "CaseError", "cases_step", "english_name", "parse_end", "read_cases"]
