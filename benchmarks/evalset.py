"""The hand-coded evaluation sets of ``benchmarks/``: loading them and scoring a draft against them.

Sets live beside this module (:data:`SET_NAMES`): ``evaluation``, ``development``, ``holdout`` and
``holdout2``, ``holdout3`` and ``holdout4`` (the sets developed on: each was first coded before tuning
and run once unseen; its figures of that first run are in the CHANGELOG), ``holdout5`` and
``holdout6`` (held apart, opened only to check the figures at the end: the unseen set and the
independent check). :data:`SET_GROUPS` names the groups a benchmark may
ask for (``seen``, ``held-out``, ``both``). Each set is a folder with ``documents/*.txt``,
``documents.yaml`` (the manifest), ``coding.csv`` (one row per hand-coded fact) and
``time_expressions.csv``. The coding rules are in ``evaluation/CODING_RULES.md``.

:func:`load_set` reads a set and checks it (every file listed and present, its SHA-256, every
coded ``raw_text`` at its ``offset``); :func:`score` compares a draft of ``kexie extract`` with the
coding. The scorer reads only the draft's columns, never the extraction code, so that tuning the
extractor cannot bend it. This is a plain module for the benchmark scripts (``import evalset``
with ``benchmarks/`` on ``sys.path``); it is not part of the package and has no tests under
``tests/`` (the sets are kept apart from the test fixtures): :func:`_selfcheck` is run by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

#: Folder holding the sets.
SETS_DIR = Path(__file__).resolve().parent
#: Names of the sets beside this module (a name may be known before its folder is built).
SET_NAMES: tuple[str, ...] = (
    "evaluation",
    "development",
    "holdout",
    "holdout2",
    "holdout3",
    "holdout4",
    "holdout5",
    "holdout6",
)
#: Groups of sets: ``seen`` (developed on), ``held-out`` (checked at the end), ``both`` (kept as it was:
#: evaluation + holdout).
SET_GROUPS: dict[str, tuple[str, ...]] = {
    "seen": ("evaluation", "development", "holdout", "holdout2", "holdout3", "holdout4"),
    "held-out": ("holdout5", "holdout6"),
    "both": ("evaluation", "holdout"),
}
#: Columns of ``coding.csv``, in order.
CODING_COLUMNS: tuple[str, ...] = (
    "document",
    "fact_id",
    "raw_text",
    "offset",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "scope_zh",
    "scope_code",
    "period_text",
    "period_from",
    "period_start",
    "period_end",
    "status",
    "what_en",
    "frame_indicator",
    "note",
)
#: Keys every document of ``documents.yaml`` must have.
MANIFEST_KEYS: tuple[str, ...] = (
    "id",
    "file",
    "url",
    "title",
    "genre",
    "province",
    "place_zh",
    "admin_code",
    "date",
    "date_source",
    "script",
    "sha256",
    "licence",
)
#: Draft columns :func:`score` needs; the others are scored when present.
DRAFT_REQUIRED: tuple[str, ...] = ("document", "offset", "raw_text", "kind")
#: Names a draft may give its frame-indicator column, tried in this order.
FRAME_COLUMNS: tuple[str, ...] = ("frame_indicator", "frame_id", "frame")
#: Fields compared on matched facts: name -> (draft column, coding column).
FIELDS: dict[str, tuple[str, str]] = {
    "scope": ("admin_code", "scope_code"),
    "period": ("period_start|period_end", "period_start|period_end"),
    "status": ("status", "status"),
    "unit": ("unit", "unit"),
    "value": ("value", "value"),
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^\d{6}$")
_STATUSES = ("achieved", "target")
_PERIOD_FROM = ("sentence", "paragraph", "title", "document", "")
_QUALIFIERS = ("exact", "approx", "at_least", "at_most", "range")


class EvalSetError(ValueError):
    """An evaluation set or a draft is not as this module expects; the message names file and row."""


@dataclass(frozen=True)
class EvalSet:
    """One loaded and checked set.

    Attributes
    ----------
    name : str
        The set's folder name (one of :data:`SET_NAMES`, or the folder of a set given by path).
    directory : pathlib.Path
        The set's folder.
    manifest : pandas.DataFrame
        One row per document (the keys of ``documents.yaml``), all text.
    coding : pandas.DataFrame
        ``coding.csv`` with ``offset`` as int and ``value``/``low``/``high`` as float.
    texts : dict of str to str
        File name -> the document's text.
    """

    name: str
    directory: Path
    manifest: pd.DataFrame
    coding: pd.DataFrame
    texts: dict[str, str]

    @property
    def documents_dir(self) -> Path:
        """The folder of the set's ``.txt`` documents."""
        return self.directory / "documents"


def _fail(where: str | Path, message: str) -> EvalSetError:
    return EvalSetError(f"{where}: {message}")


def _is_iso_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _read_manifest(directory: Path) -> pd.DataFrame:
    path = directory / "documents.yaml"
    if not path.is_file():
        raise _fail(path, "missing: a set needs documents.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _fail(path, f"not readable YAML in UTF-8 ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list) or not data["documents"]:
        raise _fail(path, "expected a mapping with a non-empty list 'documents'")
    rows = []
    for number, entry in enumerate(data["documents"], 1):
        if not isinstance(entry, dict):
            raise _fail(path, f"document {number} is not a mapping")
        missing = [key for key in MANIFEST_KEYS if key not in entry]
        if missing:
            raise _fail(path, f"document {number} ({entry.get('id', '?')}) lacks {', '.join(missing)}")
        row = {key: "" if entry[key] is None else str(entry[key]) for key in entry}
        if not _CODE.match(row["admin_code"]):
            raise _fail(path, f"document {row['id']}: admin_code {row['admin_code']!r} is not 6 digits")
        if row["date"] and not _is_iso_date(row["date"]):
            raise _fail(path, f"document {row['id']}: date {row['date']!r} is not YYYY-MM-DD")
        if row["script"] not in ("simplified", "traditional"):
            raise _fail(path, f"document {row['id']}: script {row['script']!r} is not simplified/traditional")
        rows.append(row)
    manifest = pd.DataFrame(rows)
    for key in ("id", "file"):
        duplicated = manifest[key][manifest[key].duplicated()].tolist()
        if duplicated:
            raise _fail(path, f"{key} listed twice: {', '.join(duplicated)}")
    return manifest


def _read_texts(directory: Path, manifest: pd.DataFrame) -> dict[str, str]:
    documents = directory / "documents"
    on_disk = {p.name for p in documents.glob("*.txt")} if documents.is_dir() else set()
    listed = set(manifest["file"])
    if on_disk - listed:
        raise _fail(documents, f"not in documents.yaml: {', '.join(sorted(on_disk - listed))}")
    texts = {}
    for row in manifest.itertuples():
        path = documents / row.file
        if not path.is_file():
            raise _fail(path, "listed in documents.yaml but missing")
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != row.sha256:
            raise _fail(path, f"sha256 {digest} differs from documents.yaml ({row.sha256}): the text was changed")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(path, f"not UTF-8 (byte {exc.start})") from None
        if "\r" in text:
            raise _fail(path, "has CR line ends; the sets use LF")
        texts[row.file] = text
    return texts


def _float_cell(text: str, where: str, column: str, *, empty_ok: bool) -> float:
    if text == "":
        if empty_ok:
            return math.nan
        raise EvalSetError(f"{where}: {column} is empty")
    try:
        number = float(text)
    except ValueError:
        raise EvalSetError(f"{where}: {column} {text!r} is not a number") from None
    if not math.isfinite(number):
        raise EvalSetError(f"{where}: {column} {text!r} is not finite")
    return number


def _read_coding(directory: Path, texts: dict[str, str]) -> pd.DataFrame:
    path = directory / "coding.csv"
    if not path.is_file():
        raise _fail(path, "missing: a set needs coding.csv")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            records = list(csv.reader(handle, strict=True))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _fail(path, f"not a readable UTF-8 CSV ({exc})") from None
    if not records or tuple(records[0]) != CODING_COLUMNS:
        raise _fail(path, f"header must be {','.join(CODING_COLUMNS)}")
    rows = []
    for line, record in enumerate(records[1:], 2):
        where = f"{path} line {line}"
        if len(record) != len(CODING_COLUMNS):
            raise EvalSetError(f"{where}: {len(record)} fields, expected {len(CODING_COLUMNS)}")
        row = dict(zip(CODING_COLUMNS, record))
        if row["document"] not in texts:
            raise EvalSetError(f"{where}: document {row['document']!r} is not in documents.yaml")
        if not row["offset"].isdigit():
            raise EvalSetError(f"{where}: offset {row['offset']!r} is not a non-negative integer")
        offset = int(row["offset"])
        text = texts[row["document"]]
        if not row["raw_text"] or text[offset : offset + len(row["raw_text"])] != row["raw_text"]:
            found = text[offset : offset + len(row["raw_text"])]
            raise EvalSetError(
                f"{where}: raw_text {row['raw_text']!r} is not at offset {offset} of "
                f"{row['document']} (found {found!r})"
            )
        value = _float_cell(row["value"], where, "value", empty_ok=False)
        low = _float_cell(row["low"], where, "low", empty_ok=True)
        high = _float_cell(row["high"], where, "high", empty_ok=True)
        if row["qualifier"] not in _QUALIFIERS:
            raise EvalSetError(f"{where}: qualifier {row['qualifier']!r} is not one of {', '.join(_QUALIFIERS)}")
        if row["status"] not in _STATUSES:
            raise EvalSetError(f"{where}: status {row['status']!r} is not achieved/target")
        if not _CODE.match(row["scope_code"]):
            raise EvalSetError(f"{where}: scope_code {row['scope_code']!r} is not 6 digits")
        for column in ("period_start", "period_end"):
            if row[column] and not _is_iso_date(row[column]):
                raise EvalSetError(f"{where}: {column} {row[column]!r} is not YYYY-MM-DD")
        if row["period_start"] and row["period_end"] and row["period_start"] > row["period_end"]:
            raise EvalSetError(f"{where}: period_start is after period_end")
        if row["period_from"] not in _PERIOD_FROM:
            raise EvalSetError(
                f"{where}: period_from {row['period_from']!r} is not one of "
                f"{', '.join(p for p in _PERIOD_FROM if p)} or empty"
            )
        rows.append({**row, "offset": offset, "value": value, "low": low, "high": high})
    coding = pd.DataFrame(rows, columns=list(CODING_COLUMNS))
    duplicated = coding["fact_id"][coding["fact_id"].duplicated()].tolist()
    if duplicated:
        raise _fail(path, f"fact_id used twice: {', '.join(duplicated)}")
    return coding


def expand_sets(choice: str) -> tuple[str, ...]:
    """The set names a choice stands for: one of :data:`SET_NAMES` or a group of :data:`SET_GROUPS`.

    Parameters
    ----------
    choice : str
        A set name (``"development"``) or a group name (``"seen"``, ``"held-out"``, ``"both"``).

    Returns
    -------
    tuple of str
        The set names, in the order of the group.

    Raises
    ------
    EvalSetError
        The choice is neither a set nor a group; the message lists both.

    Examples
    --------
    >>> expand_sets("seen")
    ('evaluation', 'development')
    >>> expand_sets("holdout2")
    ('holdout2',)
    >>> try:
    ...     expand_sets("all")
    ... except EvalSetError as exc:
    ...     print(exc)
    set 'all': not a set (evaluation, development, holdout, holdout2, holdout3, holdout4, holdout5, holdout6) nor a group (seen, held-out, both)
    """
    if choice in SET_GROUPS:
        return SET_GROUPS[choice]
    if choice in SET_NAMES:
        return (choice,)
    raise EvalSetError(f"set {choice!r}: not a set ({', '.join(SET_NAMES)}) nor a group ({', '.join(SET_GROUPS)})")


def load_set(name: str | Path, *, sets_dir: Path | None = None) -> EvalSet:
    """Load one evaluation set and check it.

    Parameters
    ----------
    name : str or pathlib.Path
        A name of :data:`SET_NAMES` (a folder beside this module), or the path of a set folder.
    sets_dir : pathlib.Path, optional
        The folder holding the named sets (default :data:`SETS_DIR`).

    Returns
    -------
    EvalSet
        The manifest, the coding and the texts.

    Raises
    ------
    EvalSetError
        The set's folder does not exist (a known name whose set is not built yet is said so), a file
        is missing, unreadable or changed (SHA-256), a document is on disk but not listed, a coded
        ``raw_text`` is not at its offset, or a cell is not of its form; the message names the file
        and the line.

    Examples
    --------
    >>> evaluation = load_set("evaluation")                      # doctest: +SKIP
    >>> len(evaluation.coding) > 0 and set(evaluation.coding.status) <= {"achieved", "target"}  # doctest: +SKIP
    True
    """
    directory = Path(name) if isinstance(name, Path) or "/" in str(name) else (sets_dir or SETS_DIR) / str(name)
    if not directory.is_dir():
        if str(name) in SET_NAMES:
            raise EvalSetError(f"{directory}: the set {str(name)!r} is not built yet (no such folder)")
        raise EvalSetError(f"{directory}: no such set (known: {', '.join(SET_NAMES)})")
    manifest = _read_manifest(directory)
    texts = _read_texts(directory, manifest)
    coding = _read_coding(directory, texts)
    return EvalSet(directory.name, directory, manifest, coding, texts)


def _text(value: object) -> str:
    """A draft cell as text: NaN/None -> "", 450400.0 -> "450400"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _code(value: object) -> str:
    text = _text(value)
    if text.endswith(".0"):
        text = text[:-2]
    return text.zfill(6) if text.isdigit() else text


def _same_value(draft: object, coded: float) -> bool:
    try:
        number = float(_text(draft))
    except ValueError:
        return False
    return math.isclose(number, coded, rel_tol=1e-9, abs_tol=1e-9)


def _frame_column(draft: pd.DataFrame) -> str | None:
    return next((name for name in FRAME_COLUMNS if name in draft.columns), None)


def _check_draft(draft: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(draft, pd.DataFrame):
        raise EvalSetError(f"draft: expected a pandas DataFrame, got {type(draft).__name__}")
    missing = [name for name in DRAFT_REQUIRED if name not in draft.columns]
    if missing:
        raise EvalSetError(f"draft: lacks the column(s) {', '.join(missing)}")
    draft = draft.reset_index(drop=True).copy()
    offsets = pd.to_numeric(draft["offset"], errors="coerce")
    bad = draft.index[offsets.isna() | (offsets < 0)].tolist()
    if bad:
        raise EvalSetError(f"draft: offset is not a non-negative number in row(s) {', '.join(map(str, bad[:10]))}")
    draft["offset"] = offsets.astype(int)
    draft["document"] = draft["document"].map(lambda v: Path(_text(v)).name)
    draft["raw_text"] = draft["raw_text"].map(_text)
    draft["kind"] = draft["kind"].map(_text)
    return draft


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


def score(draft: pd.DataFrame, coding: pd.DataFrame) -> dict:
    """Score a draft of ``kexie extract`` against hand-coded facts.

    A coded fact is **found** when a ``kind=fact`` row of the draft in the same document overlaps
    its characters (``[offset, offset + len(raw_text))`` in the original file); among several, the
    row with the largest overlap (then the nearest start) is its match. On matched facts the
    draft's fields are compared with the coder's: scope (``admin_code`` = ``scope_code``), period
    (``period_start`` and ``period_end`` both equal; empty equals empty), status, unit and value.
    When the draft has a frame-indicator column (``frame_indicator``, ``frame_id`` or ``frame``)
    every coded fact is judged right (same id; ``none`` = empty), wrong (another id) or empty (no
    proposal where the coder gave one, or the fact not found).

    Parameters
    ----------
    draft : pandas.DataFrame
        Rows of a draft: ``document`` (file name; a path is reduced to its name), ``offset``,
        ``raw_text``, ``kind``, and when present ``admin_code``, ``period_start``,
        ``period_end``, ``status``, ``unit``, ``value`` and a frame-indicator column.
    coding : pandas.DataFrame
        ``EvalSet.coding`` of :func:`load_set` (or rows of it).

    Returns
    -------
    dict
        ``coded`` (facts), ``candidates`` (``kind=fact`` rows in the coded documents), ``found``,
        ``recall`` (found / coded), ``precision`` (candidates overlapping a coded fact / candidates),
        ``found_any_kind`` (coded facts overlapped by a row of any kind), ``fields`` (per field:
        ``right``, ``matched``, ``accuracy`` on matched facts, ``of_coded`` = right / coded, or
        ``None`` when the draft lacks the column), ``frame`` (``right``/``wrong``/``empty`` rates
        over coded facts, or ``None``), ``missing_columns`` and ``table`` (one row per coded fact
        with its match and a flag per field, for inspection).

    Raises
    ------
    EvalSetError
        The draft lacks ``document``, ``offset``, ``raw_text`` or ``kind``, or an offset is not a
        non-negative number.

    Examples
    --------
    >>> coding = pd.DataFrame({"document": ["a.txt"], "fact_id": ["X-001"], "raw_text": ["30个"],
    ...     "offset": [4], "value": [30.0], "unit": ["count"], "scope_code": ["450400"],
    ...     "period_start": ["2020-01-01"], "period_end": ["2020-12-31"], "status": ["achieved"],
    ...     "frame_indicator": ["kepu_e_stations"]})
    >>> draft = pd.DataFrame({"document": ["a.txt", "a.txt"], "offset": [0, 4], "raw_text": ["2020年", "30个"],
    ...     "kind": ["date", "fact"], "value": [2020.0, 30.0], "unit": ["year", "count"],
    ...     "admin_code": [450400, 450400], "period_start": ["", "2020-01-01"],
    ...     "period_end": ["", "2020-12-31"], "status": ["achieved", "target"]})
    >>> result = score(draft, coding)
    >>> result["recall"], result["precision"], result["fields"]["status"]["accuracy"]
    (1.0, 1.0, 0.0)
    """
    draft = _check_draft(draft)
    coding = coding.reset_index(drop=True)
    documents = set(coding["document"])
    draft = draft[draft["document"].isin(documents)]
    draft_end = draft["offset"] + draft["raw_text"].str.len()
    facts = draft[draft["kind"] == "fact"]
    by_document = dict(iter(draft.groupby("document")))  # (dict() of a groupby would call its .keys, a str)
    frame_column = _frame_column(draft)
    missing = [
        column
        for column in ("admin_code", "period_start", "period_end", "status", "unit", "value")
        if column not in draft.columns
    ]

    records = []
    overlapping_candidates: set[int] = set()
    found_any_kind = 0
    for fact in coding.itertuples(index=False):
        start, end = int(fact.offset), int(fact.offset) + len(fact.raw_text)
        rows = by_document.get(fact.document)
        best, best_key = None, None
        any_kind = False
        if rows is not None:
            ends = draft_end.loc[rows.index]
            overlap = ends.clip(upper=end) - rows["offset"].clip(lower=start)
            hits = rows[overlap > 0]
            any_kind = not hits.empty
            for index, row in hits.iterrows():
                if row["kind"] != "fact":
                    continue
                overlapping_candidates.add(index)
                key = (-int(overlap.loc[index]), abs(int(row["offset"]) - start))
                if best_key is None or key < best_key:
                    best, best_key = row, key
        found_any_kind += any_kind
        record = {
            "document": fact.document,
            "fact_id": fact.fact_id,
            "raw_text": fact.raw_text,
            "offset": start,
            "found": best is not None,
            "kinds_here": "" if best is not None or not any_kind else "non-fact only",
        }
        coded = {
            "scope": _code(fact.scope_code),
            "period": (_text(fact.period_start), _text(fact.period_end)),
            "status": _text(fact.status),
            "unit": _text(fact.unit),
            "value": float(fact.value),
        }
        for field in FIELDS:
            record[f"coded_{field}"] = coded[field]
        if best is not None:
            record["draft_raw_text"] = best["raw_text"]
            proposed = {
                "scope": _code(best["admin_code"]) if "admin_code" in best else None,
                "period": (
                    (_text(best["period_start"]), _text(best["period_end"]))
                    if "period_start" in best and "period_end" in best
                    else None
                ),
                "status": _text(best["status"]) if "status" in best else None,
                "unit": _text(best["unit"]) if "unit" in best else None,
                "value": _text(best["value"]) if "value" in best else None,
            }
            for field in FIELDS:
                record[f"draft_{field}"] = proposed[field]
                if proposed[field] is None:
                    record[f"ok_{field}"] = None
                elif field == "value":
                    record[f"ok_{field}"] = _same_value(proposed[field], coded[field])
                else:
                    record[f"ok_{field}"] = proposed[field] == coded[field]
        if frame_column is not None:
            coded_frame = _text(getattr(fact, "frame_indicator", ""))
            coded_frame = "" if coded_frame == "none" else coded_frame
            proposed_frame = "" if best is None else _text(best[frame_column])
            proposed_frame = "" if proposed_frame == "none" else proposed_frame
            record["coded_frame"], record["draft_frame"] = coded_frame, proposed_frame
            record["frame_judgement"] = (
                "right" if proposed_frame == coded_frame else "empty" if proposed_frame == "" else "wrong"
            )
        records.append(record)

    table = pd.DataFrame.from_records(records)
    coded_n, candidates_n = len(coding), len(facts)
    found_n = int(table["found"].sum()) if coded_n else 0
    fields: dict[str, dict | None] = {}
    for field in FIELDS:
        column = f"ok_{field}"
        if column not in table or (table.loc[table["found"], column].isna().all() and found_n):
            fields[field] = None
            continue
        right = int(table.loc[table["found"], column].fillna(False).astype(bool).sum()) if found_n else 0
        fields[field] = {
            "right": right,
            "matched": found_n,
            "accuracy": _rate(right, found_n),
            "of_coded": _rate(right, coded_n),
        }
    frame = None
    if frame_column is not None and coded_n:
        counts = table["frame_judgement"].value_counts()
        frame = {
            "column": frame_column,
            **{judgement: _rate(int(counts.get(judgement, 0)), coded_n) for judgement in ("right", "wrong", "empty")},
        }
    return {
        "coded": coded_n,
        "candidates": candidates_n,
        "found": found_n,
        "recall": _rate(found_n, coded_n),
        "precision": _rate(len(overlapping_candidates), candidates_n),
        "found_any_kind": found_any_kind,
        "fields": fields,
        "frame": frame,
        "missing_columns": missing,
        "table": table,
    }


def _selfcheck(names: tuple[str, ...] = ("evaluation", "development")) -> None:
    """Check the scorer and the loader by hand: ``python benchmarks/evalset.py [SET ...]``.

    Runs the scorer on a draft built from the coding itself (every figure must be 1.0), on the
    same draft with one field spoiled per fact group, and the loader on the named sets (default
    the sets developed on, ``evaluation`` and ``development``; the held-out sets only when named)
    and on broken copies. Raises ``AssertionError`` on the first failure; prints ``selfcheck ok``.
    """
    import shutil
    import tempfile

    for name in names:
        loaded = load_set(name)
        coding = loaded.coding
        perfect = pd.DataFrame(
            {
                "document": "documents/" + coding["document"],
                "offset": coding["offset"],
                "raw_text": coding["raw_text"],
                "kind": "fact",
                "value": coding["value"],
                "unit": coding["unit"],
                "admin_code": coding["scope_code"].astype(int),
                "period_start": coding["period_start"],
                "period_end": coding["period_end"],
                "status": coding["status"],
                "frame_indicator": coding["frame_indicator"].replace("", "none"),
            }
        )
        result = score(perfect, coding)
        assert result["recall"] == 1.0 and result["precision"] == 1.0, result
        assert all(v["accuracy"] == 1.0 for v in result["fields"].values()), result["fields"]
        assert result["frame"]["right"] == 1.0, result["frame"]
        # spoil: every other status flipped, a non-fact row added, one fact shifted out of reach
        spoiled = perfect.copy()
        flip = spoiled.index % 2 == 0
        spoiled.loc[flip, "status"] = spoiled.loc[flip, "status"].map({"achieved": "target", "target": "achieved"})
        extra = spoiled.iloc[[0]].assign(offset=10**6, raw_text="99个")
        spoiled = pd.concat([spoiled.iloc[1:], extra], ignore_index=True)
        result = score(spoiled, coding)
        assert result["found"] == len(coding) - 1 or coding.iloc[0]["offset"] in set(coding.iloc[1:]["offset"]), result[
            "found"
        ]
        assert result["precision"] < 1.0
        assert result["fields"]["status"]["accuracy"] < 0.6
        assert score(perfect.drop(columns=["period_start"]), coding)["fields"]["period"] is None
        assert score(perfect.assign(kind="date"), coding)["recall"] == 0.0
        assert score(perfect.drop(columns=["frame_indicator"]), coding)["frame"] is None
        wrong_frame = score(perfect.assign(frame_indicator="kepu_activities"), coding)["frame"]
        assert wrong_frame["right"] < 1.0 and wrong_frame["wrong"] > 0.0
    try:
        score(pd.DataFrame({"document": ["a"]}), coding)
    except EvalSetError as exc:
        assert "lacks" in str(exc)
    else:
        raise AssertionError("a draft without offset was accepted")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "evaluation"
        shutil.copytree(SETS_DIR / "evaluation", copy)
        first = sorted((copy / "documents").glob("*.txt"))[0]
        first.write_text(first.read_text(encoding="utf-8") + " ", encoding="utf-8")
        try:
            load_set(copy)
        except EvalSetError as exc:
            assert "sha256" in str(exc) and first.name in str(exc), exc
        else:
            raise AssertionError("a changed document was accepted")
        shutil.rmtree(copy)
        shutil.copytree(SETS_DIR / "evaluation", copy)
        lines = (copy / "coding.csv").read_text(encoding="utf-8").split("\n")
        fields = next(csv.reader([lines[1]]))
        fields[3] = str(int(fields[3]) + 1)
        with (copy / "coding.csv").open("w", encoding="utf-8", newline="") as handle:
            handle.write(lines[0] + "\n")
            csv.writer(handle, lineterminator="\n").writerow(fields)
            handle.write("\n".join(lines[2:]))
        try:
            load_set(copy)
        except EvalSetError as exc:
            assert "line 2" in str(exc) and "not at offset" in str(exc), exc
        else:
            raise AssertionError("a wrong offset was accepted")
    try:
        load_set("no_such_set")
    except EvalSetError as exc:
        assert "no such set" in str(exc)
    else:
        raise AssertionError("a missing set was accepted")
    with tempfile.TemporaryDirectory() as empty:
        try:
            load_set("holdout6", sets_dir=Path(empty))
        except EvalSetError as exc:
            assert "'holdout6' is not built yet" in str(exc), exc
        else:
            raise AssertionError("a known set without a folder was accepted")
    assert expand_sets("held-out") == ("holdout5", "holdout6") and expand_sets("both") == ("evaluation", "holdout")
    print("selfcheck ok")


if __name__ == "__main__":
    import sys

    _selfcheck(tuple(sys.argv[1:]) or ("evaluation", "development"))
