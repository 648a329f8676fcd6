"""Reform features of the cases (``data/raw/features.csv``) for the configurational comparison.

The build step (:func:`features_step`, :func:`conditions_step`) reads and checks the raw sheet once
and writes ``features.csv`` and ``conditions.csv`` to ``data/processed``; the analysis of the processed
tables (:func:`kexie_research.data.load_features`) is in :mod:`kexie_research.analysis.features`.

The sheet is in long format, one row per case × condition, with the columns

``case``
    case key (see :func:`kexie_research.steps.sources.case_keys`; the legacy column name ``place``
    is still read, with a deprecation warning)
``condition``
    id from ``data/raw/features_conditions.yaml``
``value``
    ``0``/``1`` for crisp conditions, a membership score in [0, 1] for fuzzy ones; EMPTY = unknown
    (the document says nothing), never read as 0
``evidence_kind``
    ``reported`` (the text reports the place's arrangement), ``planned`` (a plan or target),
    ``none`` (unknown value)
``evidence_quote``
    verbatim from the place's document under the project's matching rule (found after removing
    every line break); required for a known value, optional (and then checked too) for an unknown one
``source_id``
    the place's document
``note``
    scope, context, calibration; required for an unknown value (why unknown)

Every case × condition pair must be present exactly once, so an unknown is always explicit.

Example::

    >>> from kexie_research.analysis.features import feature_matrix
    >>> from kexie_research.steps.features import features_step
    >>> m = feature_matrix(features_step())
    >>> float(m.loc["rongchang", "township_full_coverage"])
    1.0
    >>> bool(m["township_full_coverage"].isna()["chengdu"])   # unknown stays unknown, never 0
    True
"""

from __future__ import annotations

import csv
import math
import warnings
from pathlib import Path

import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError

FEATURES_NAME = config.FEATURES
CONDITIONS_NAME = config.CONDITIONS
COLUMNS = ("case", "condition", "value", "evidence_kind", "evidence_quote", "source_id", "note")
EVIDENCE_KINDS = ("reported", "planned", "none")
CONDITION_FIELDS = ("id", "label", "role", "type", "zh", "en", "definition", "rule")
ROLES = ("condition", "outcome")
TYPES = ("crisp", "fuzzy")


class FeatureError(KexieError, ValueError):
    """The feature sheet or the condition definitions are invalid (names file, row and expectation)."""


OUTPUT_COLUMNS = [
    "case",
    "condition",
    "label",
    "role",
    "type",
    "value",
    "known",
    "evidence_kind",
    "evidence_quote",
    "source_id",
    "note",
    "quote_offset",
]
CONDITION_COLUMNS = [*CONDITION_FIELDS, "calibration"]


def conditions_step(path: Path | None = None) -> pd.DataFrame:
    """Condition and outcome definitions, indexed by id (columns of :data:`CONDITION_FIELDS` + calibration).

    Build-internal: reads ``data/raw/features_conditions.yaml``.

    Examples
    --------
    >>> conditions_step().loc["party_led_reform", "label"]
    'PLED'
    """
    from kexie_research.steps.sources import read_yaml_mapping

    path = Path(path) if path else config.raw_dir() / CONDITIONS_NAME
    content = read_yaml_mapping(path, FeatureError, "condition definitions")
    entries = content.get("conditions") or []
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise FeatureError(f"{path}: expected a list 'conditions:' of mappings")
    seen_ids: set[str] = set()
    seen_labels: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: condition #{number} ({entry.get('id', '?')})"
        missing = [f for f in CONDITION_FIELDS if not entry.get(f)]
        if missing:
            raise FeatureError(f"{where} lacks {', '.join(missing)}")
        not_text = [
            f for f in (*CONDITION_FIELDS, "calibration") if entry.get(f) is not None and not isinstance(entry[f], str)
        ]
        if not_text:
            raise FeatureError(
                f"{where}: {', '.join(not_text)} must be text, got " + ", ".join(repr(entry[f]) for f in not_text)
            )
        if entry["id"] in seen_ids:
            raise FeatureError(f"{where}: duplicate id")
        if entry["label"] in seen_labels:
            raise FeatureError(f"{where}: duplicate label {entry['label']!r}")
        if not str(entry["label"]).replace("_", "").isalnum() or not str(entry["label"]).isupper():
            raise FeatureError(
                f"{where}: label must be upper-case letters, digits or '_' (used in Boolean expressions), got {entry['label']!r}"
            )
        if entry["role"] not in ROLES:
            raise FeatureError(f"{where}: role must be one of {', '.join(ROLES)}, got {entry['role']!r}")
        if entry["type"] not in TYPES:
            raise FeatureError(f"{where}: type must be one of {', '.join(TYPES)}, got {entry['type']!r}")
        if entry["type"] == "fuzzy" and not entry.get("calibration"):
            raise FeatureError(f"{where}: a fuzzy condition needs a 'calibration' rule")
        seen_ids.add(entry["id"])
        seen_labels.add(entry["label"])
    frame = pd.DataFrame(entries)
    if "calibration" not in frame.columns:
        frame["calibration"] = ""
    frame["calibration"] = frame["calibration"].fillna("")
    frame = frame[CONDITION_COLUMNS].astype(str)
    return frame.set_index("id", drop=False)


load_conditions = conditions_step  # build-internal name of earlier releases


def _parse_value(raw: str, ctype: str, where: str) -> float | None:
    text = raw.strip()
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise FeatureError(
            f"{where}: value {raw!r} is not a number (expected {'0 or 1' if ctype == 'crisp' else 'a score in [0, 1]'}, or empty for unknown)"
        ) from None
    if math.isnan(value):
        raise FeatureError(f"{where}: value {raw!r}: write unknown as an empty cell, not NaN")
    if ctype == "crisp" and value not in (0.0, 1.0):
        raise FeatureError(f"{where}: crisp condition needs 0 or 1 (or empty for unknown), got {raw!r}")
    if ctype == "fuzzy" and not 0.0 <= value <= 1.0:
        raise FeatureError(f"{where}: fuzzy membership must be in [0, 1] (or empty for unknown), got {raw!r}")
    return value


def features_step(
    path: Path | None = None,
    conditions_path: Path | None = None,
    raw_dir: Path | None = None,
    verify_quotes: bool = True,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Read and validate ``features.csv``; return it in long format with parsed values. Build-internal.

    Checks (each error names the file, the line and what was expected): the columns; known case,
    condition and source_id, and that the source is one of the case's documents; the value domain of the
    condition's type (empty = unknown); evidence_kind; a quote for every known value and a note for
    every unknown; every quote found in its document after removing line breaks; every place ×
    condition pair exactly once.

    Columns returned: case, condition, label, role, type, value (float, NaN = unknown), known,
    evidence_kind, evidence_quote, source_id, note, quote_offset (offset of the quote in the
    original file, -1 without a quote).

    Examples
    --------
    >>> f = features_step()
    >>> f.loc[(f.case == "rongchang") & (f.condition == "township_full_coverage"), "value"].item()
    1.0
    """
    from kexie_research.parse.provenance import locate_quote
    from kexie_research.steps.sources import read_document_table

    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    path = Path(path) if path else raw / FEATURES_NAME
    conditions = conditions_step(Path(conditions_path) if conditions_path else raw / CONDITIONS_NAME)
    documents = documents if documents is not None else read_document_table(raw)
    places = list(dict.fromkeys(documents["case"]))
    sources_of = documents.groupby("case", sort=False)["source_id"].apply(list).to_dict()
    text_of = dict(zip(documents["source_id"], documents["text"]))
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            if "case" not in header and "place" in header:
                warnings.warn(
                    f"{path}: the column 'place' is deprecated; rename it to 'case'", FutureWarning, stacklevel=2
                )
                reader.fieldnames = header = ["case" if name == "place" else name for name in header]
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise FeatureError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
            records = [(reader.line_num, row) for row in reader]
    except UnicodeDecodeError as exc:
        raise FeatureError(f"{path}: not UTF-8 ({exc})") from exc
    except (OSError, csv.Error) as exc:
        raise FeatureError(f"{path}: cannot read feature sheet: {exc}") from exc
    rows = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in records:
        row = {k: (v if v is not None else "") for k, v in row.items()}
        place, condition = row["case"].strip(), row["condition"].strip()
        where = f"{path} line {line} ({place or '?'}, {condition or '?'})"
        if place not in places:
            raise FeatureError(f"{where}: unknown case {place!r}; expected one of {', '.join(places)}")
        if condition not in conditions.index:
            raise FeatureError(
                f"{where}: unknown condition {condition!r}; expected one of {', '.join(conditions.index)} (defined in {CONDITIONS_NAME})"
            )
        if (place, condition) in seen:
            raise FeatureError(f"{where}: duplicate of line {seen[(place, condition)]}; one row per case and condition")
        seen[(place, condition)] = line
        source_id = row["source_id"].strip()
        if source_id not in sources_of[place]:
            raise FeatureError(
                f"{where}: source_id {source_id!r} is not a document of {place!r} (expected {' or '.join(sources_of[place])})"
            )
        spec = conditions.loc[condition]
        value = _parse_value(row["value"], spec["type"], where)
        kind = row["evidence_kind"].strip()
        if kind not in EVIDENCE_KINDS:
            raise FeatureError(f"{where}: evidence_kind must be one of {', '.join(EVIDENCE_KINDS)}, got {kind!r}")
        if value is None and kind != "none":
            raise FeatureError(f"{where}: an unknown (empty) value needs evidence_kind 'none', got {kind!r}")
        if value is not None and kind == "none":
            raise FeatureError(f"{where}: a known value needs evidence_kind 'reported' or 'planned', got 'none'")
        quote, note = row["evidence_quote"], row["note"].strip()
        if value is not None and not quote.strip():
            raise FeatureError(f"{where}: a known value needs a verbatim evidence_quote from {source_id}")
        if value is None and not note:
            raise FeatureError(f"{where}: an unknown value needs a note saying what the document does (not) say")
        offset = -1
        if quote.strip() and verify_quotes:
            found = locate_quote(quote, text_of[source_id])
            if found is None:
                raise FeatureError(
                    f"{where}: evidence_quote not found in {source_id} (after removing line breaks): {quote[:60]!r}"
                )
            offset = int(found)
        rows.append(
            {
                "case": place,
                "condition": condition,
                "label": spec["label"],
                "role": spec["role"],
                "type": spec["type"],
                "value": float("nan") if value is None else value,
                "known": value is not None,
                "evidence_kind": kind,
                "evidence_quote": quote,
                "source_id": source_id,
                "note": note,
                "quote_offset": offset,
            }
        )
    missing_pairs = [f"{p}/{c}" for p in places for c in conditions.index if (p, c) not in seen]
    if missing_pairs:
        raise FeatureError(
            f"{path}: missing case × condition row(s) (write unknown as an empty value): {', '.join(missing_pairs)}"
        )
    frame = pd.DataFrame(rows, columns=OUTPUT_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    frame["known"] = frame["known"].astype(bool)
    frame["quote_offset"] = frame["quote_offset"].astype("int64")
    return frame


__all__ = ["FeatureError", "conditions_step", "features_step", "load_conditions"]
