"""``kexie add-source``: add a document (and with it, if new, a case) by data alone.

    kexie add-source FILE --place 宜昌市 | --code 420500 [--case KEY] [--source-id ID]
                          [--title-zh …] [--title-en …] [--genre …] [--date YYYY-MM-DD]

What it does, after checking everything first and writing nothing if any check fails:

1. converts FILE to its UTF-8 text of record (:mod:`kexie_research.ingest`: a PDF's text layer, a web
   page's main text, a Word file, text in GB18030 or with a BOM or CRLF) and writes it into
   ``data/raw/documents/`` as ``NNN_<first 16 hex of its sha256>.txt`` (the next free number); a
   UTF-8 ``.txt`` with LF line ends is that text already and is copied byte for byte. Any other file
   is also kept as found in ``data/raw/originals/<source_id>.<ext>``, and the manifest entry records
   its sha256 and the conversion (tool, version, options; a PDF's page starts);
2. appends the manifest entry to ``data/raw/sources.yaml`` (its comments are kept), with the place
   resolved from the division reference (``data/raw/reference/divisions.csv``);
3. creates the empty coding sheet ``data/raw/indicators/<source_id>.csv`` with its header;
4. for a new case, adds one row per condition to ``data/raw/features.csv``, each unknown (empty
   value, ``evidence_kind`` none, a note saying it is not yet coded);
5. prints the next steps (code the sheet, ``kexie validate``, ``kexie build``, ``kexie report``).

It never overwrites: an existing document, sheet, source_id or feature row is an error.

Example::

    >>> from kexie_research.add_source import resolve_division
    >>> resolve_division(code="450400")["name_zh"]
    '梧州市'
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any

import yaml

from kexie_research import config
from kexie_research.atomic import raw_lock
from kexie_research.errors import KexieError
from kexie_research.ingest.store import ORIGINALS_DIR, Prepared
from kexie_research.journal import RawEdit, repair
from kexie_research.parse.periods import is_iso_date

CASE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
ADDABLE_LEVELS = ("province", "prefecture", "district", "county", "county-level city")
NOT_CODED_NOTE = "not yet coded: the document has not been read for this condition (added by kexie add-source)"


class AddSourceError(KexieError):
    """The document or the place cannot be added (names the file or the place and why)."""


@dataclass
class Plan:
    """Everything ``add-source`` will write, decided before anything is written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> doc = pathlib.Path(tempfile.mkdtemp()) / "new.txt"; _ = doc.write_text("某文。\\n", encoding="utf-8")
    >>> plan(doc, code="450400").sheet.name
    'wuzhou_document.csv'
    """

    document: Path
    target: Path
    sha256: str
    entry: dict[str, Any]
    sheet: Path
    feature_rows: list[dict[str, str]]
    new_case: bool
    prepared: Prepared | None = None  # the text of record and the original (kexie_research.ingest)
    original_target: Path | None = None  # where the original is kept, when it differs from the text


def _divisions(raw: Path):
    from kexie_research.steps.places import read_divisions

    return read_divisions(raw)


def resolve_division(place: str | None = None, code: str | None = None, raw_dir: Path | None = None) -> dict[str, str]:
    """The division named by ``place`` (full or short name) or ``code``, from the division reference.

    A name that several divisions share (e.g. a district name used in two cities) is an error listing
    each with its code, so that ``--code`` can choose.

    Examples
    --------
    >>> resolve_division(place="梧州")["admin_code"]
    '450400'
    """
    from kexie_research.steps.places import short_name

    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    divisions = _divisions(raw)
    reference = raw / config.REFERENCE_DIR / config.DIVISIONS
    if (place is None) == (code is None):
        raise AddSourceError("give exactly one of --place NAME or --code ADMIN_CODE")
    if code is not None:
        code = str(code).strip()
        rows = divisions[divisions.admin_code == code]
        if rows.empty:
            raise AddSourceError(f"admin code {code!r} is not in the division reference ({reference})")
    else:
        assert place is not None  # exactly one of the two is given (checked above)
        name = place.strip()
        rows = divisions[divisions.name_zh == name]
        if rows.empty:
            rows = divisions[divisions.name_zh.map(lambda full: short_name(full) == name)]
        if rows.empty:
            raise AddSourceError(
                f"no division named {name!r} in the division reference ({reference}); "
                "give its full name (宜昌市) or use --code"
            )
        if len(rows) > 1:
            names = dict(zip(divisions.admin_code, divisions.name_zh))
            choices = "; ".join(
                f"{row.admin_code} {row.name_zh} (in {names.get(row.parent_code, '?')})" for row in rows.itertuples()
            )
            raise AddSourceError(f"{name!r} names several divisions: {choices}. Choose one with --code")
    row = rows.iloc[0]
    if row["level"] not in ADDABLE_LEVELS:
        raise AddSourceError(
            f"{row['name_zh']} ({row['admin_code']}) is a {row['level']}; a case is a province-, "
            "prefecture- or county-level unit"
        )
    chain = {
        "admin_code": row["admin_code"],
        "name_zh": row["name_zh"],
        "name_en": row["name_en"],
        "level": row["level"],
    }
    indexed = divisions.set_index("admin_code")
    node = row["admin_code"]
    while node in indexed.index and indexed.at[node, "level"] != "province":
        parent = indexed.at[node, "parent_code"]
        node = parent if isinstance(parent, str) else ""
    chain["province_code"] = node if node in indexed.index else ""
    chain["province_zh"] = indexed.at[node, "name_zh"] if node in indexed.index else ""
    chain["province_en"] = indexed.at[node, "name_en"] if node in indexed.index else ""
    return chain


def default_case_key(division: dict[str, str]) -> str:
    """A case key from the division's English name (``Yichang`` -> ``yichang``).

    Examples
    --------
    >>> default_case_key({"name_en": "Yichang City", "name_zh": "宜昌市", "admin_code": "420500"})
    'yichang'
    """
    from kexie_research.steps.cases import english_name

    key = re.sub(r"[^a-z0-9]+", "_", english_name(division["name_en"], "").lower()).strip("_")
    if not key or not key[0].isalpha():
        raise AddSourceError(
            f"cannot derive a case key from {division['name_zh']} ({division['admin_code']}); give --case KEY"
        )
    return key


def _check_document(path: Path) -> Prepared:
    """The document converted to its text of record (:mod:`kexie_research.ingest`); one error naming it."""
    from kexie_research.ingest.store import prepare

    if path.exists() and not path.is_dir() and not path.is_file():  # a FIFO, socket or device: never opened
        raise AddSourceError(f"{path}: not a regular file (a pipe, socket or device); give the document's file")
    try:
        return prepare(path)
    except KexieError as exc:
        raise AddSourceError(str(exc)) from None


def plan(
    document: Path,
    *,
    place: str | None = None,
    code: str | None = None,
    case: str | None = None,
    source_id: str | None = None,
    title_zh: str = "",
    title_en: str = "",
    genre: str = "",
    date: str = "",
    raw_dir: Path | None = None,
) -> Plan:
    """Check everything and decide what :func:`add_source` writes (nothing is written here).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> doc = pathlib.Path(tempfile.mkdtemp()) / "new.txt"; _ = doc.write_text("某文。\\n", encoding="utf-8")
    >>> p = plan(doc, code="450400")
    >>> p.entry["case"], p.new_case
    ('wuzhou', False)
    """
    from kexie_research.steps.features import conditions_step
    from kexie_research.steps.sources import read_sources

    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    document = Path(document)
    prepared = _check_document(document)
    digest = prepared.sha256
    sources = read_sources(raw)
    division = resolve_division(place, code, raw)
    same = [
        entry
        for entry in sources
        if entry["sha256"] == digest or (entry.get("original") or {}).get("sha256") == prepared.original_sha256
    ]
    if same:
        raise AddSourceError(f"{document}: this document is already in the manifest as {same[0]['source_id']!r}")
    cases_here = [entry for entry in sources if entry["admin_code"] == division["admin_code"]]
    if case is None:
        case = cases_here[0]["case"] if cases_here else default_case_key(division)
    if not CASE_KEY.fullmatch(case):
        raise AddSourceError(f"case key {case!r}: use lower-case letters, digits and '_', starting with a letter")
    for entry in sources:
        if entry["case"] == case and entry["admin_code"] != division["admin_code"]:
            raise AddSourceError(
                f"case {case!r} is already the case of {entry['admin_code']} ({entry['source_id']}); "
                "choose another --case"
            )
        if entry["admin_code"] == division["admin_code"] and entry["case"] != case:
            raise AddSourceError(
                f"{division['name_zh']} ({division['admin_code']}) is already case {entry['case']!r}; "
                f"use --case {entry['case']} or leave --case out"
            )
    new_case = not any(entry["case"] == case for entry in sources)
    existing_ids = {entry["source_id"] for entry in sources}
    if source_id is None:
        source_id, number = f"{case}_document", 2
        while source_id in existing_ids:
            source_id, number = f"{case}_document_{number}", number + 1
    if not CASE_KEY.fullmatch(source_id):
        raise AddSourceError(f"source_id {source_id!r}: use lower-case letters, digits and '_', starting with a letter")
    if source_id in existing_ids:
        raise AddSourceError(f"source_id {source_id!r} is already in {raw / config.MANIFEST}")
    if date and not is_iso_date(date):
        raise AddSourceError(
            f"--date {date!r}: give the date as the text gives it in ISO form (YYYY-MM-DD, YYYY-MM or YYYY), "
            "a real day, month or year"
        )
    folder = raw / config.DOCUMENTS_DIR
    numbers = [int(m.group(1)) for p in folder.glob("*.txt") if (m := re.match(r"^(\d{3})_", p.name))]
    target = folder / f"{max(numbers, default=-1) + 1:03d}_{digest[:16]}.txt"
    sheet = raw / config.SHEETS_DIR / f"{source_id}.csv"
    original_target = raw / ORIGINALS_DIR / f"{source_id}{prepared.suffix}" if prepared.keeps_original else None
    for path in (target, sheet, *([original_target] if original_target else [])):
        if path.exists():
            raise AddSourceError(f"{path} already exists; nothing was changed")
    feature_rows: list[dict[str, str]] = []
    if new_case:
        features = raw / config.FEATURES
        with features.open(encoding="utf-8", newline="") as handle:
            present = {(row.get("case") or row.get("place") or "") for row in csv.DictReader(handle)}
        if case in present:
            raise AddSourceError(f"{features} already has rows for case {case!r}; nothing was changed")
        feature_rows = [
            {
                "case": case,
                "condition": condition,
                "value": "",
                "evidence_kind": "none",
                "evidence_quote": "",
                "source_id": source_id,
                "note": NOT_CODED_NOTE,
            }
            for condition in conditions_step(raw / config.CONDITIONS).index
        ]
    title_zh = title_zh or prepared.conversion.title  # a web page's own title unless one is given
    full_day = is_iso_date(date, day=True)  # a day can serve as the reference date of 近3年, 目前
    entry = {
        "source_id": source_id,
        "file": target.name,
        "sha256": digest,
        "case": case,
        "place_zh": division["name_zh"],
        "province": division["province_en"],
        "province_zh": division["province_zh"],
        "admin_code": division["admin_code"],
        "title_zh": title_zh,
        "title_en": title_en,
        "genre": genre,
        "authors_zh": [],
        "outlet": "",
        "date": date,
        "reference_date": date if full_day else "",
        "reference_date_rule": "date given with kexie add-source"
        if full_day
        else "not set: relative periods stay unresolved until a reference date is recorded",
        **prepared.manifest_fields(source_id),
    }
    return Plan(document, target, digest, entry, sheet, feature_rows, new_case, prepared, original_target)


def _manifest_block(entry: dict[str, Any]) -> str:
    """The entry as YAML in the manifest's layout (``  - key: value`` under ``sources:``)."""
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=None)
    return "".join("  " + line for line in block.splitlines(keepends=True))


def check_text_option(option: str, value: str) -> None:
    """:class:`AddSourceError` if a text option cannot be stored as UTF-8 text the build reads back.

    A byte that is not UTF-8 on the command line reaches Python as a lone surrogate
    (``surrogateescape``); a control character would be refused by the build's checks.

    Examples
    --------
    >>> check_text_option("--title-zh", "梧州市科协")
    >>> try:
    ...     check_text_option("--title-zh", "科\\udcff")
    ... except AddSourceError as exc:
    ...     print(exc)
    --title-zh: not UTF-8 text (a byte 0xff at character 2); give it in UTF-8 (e.g. convert with iconv)
    """
    for position, character in enumerate(value, start=1):
        if "\udc80" <= character <= "\udcff":
            raise AddSourceError(
                f"{option}: not UTF-8 text (a byte 0x{ord(character) - 0xDC00:02x} at character "
                f"{position}); give it in UTF-8 (e.g. convert with iconv)"
            )
        if "\ud800" <= character <= "\udfff":
            raise AddSourceError(f"{option}: not UTF-8 text (a lone surrogate at character {position})")
        if unicodedata.category(character) in ("Cc", "Zl", "Zp", "Cs"):  # controls, NEL and line separators break lines
            raise AddSourceError(
                f"{option}: contains the control character {character!r} at character {position}; "
                "give it on one line of plain text"
            )


def edit_of(decided: Plan, raw: Path) -> RawEdit:
    """Every file :func:`add_source` writes, as one all-or-nothing edit of ``raw`` (nothing written yet).

    The manifest is replaced last (the commit: it names the document only once everything else is
    in place). The new manifest is read back with the build's own reader (the same YAML loader and
    field checks) before anything is written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> doc = pathlib.Path(tempfile.mkdtemp()) / "new.txt"; _ = doc.write_text("某文。\\n", encoding="utf-8")
    >>> edit = edit_of(plan(doc, code="450400"), config.raw_dir())
    >>> [path.parent.name for path, _ in edit.created], [path.name for path, _, _ in edit.replaced]
    (['documents', 'indicators'], ['sources.yaml'])
    """
    from kexie_research.schemas.indicators import SHEET_COLUMNS
    from kexie_research.steps.sources import read_manifest

    manifest = raw / config.MANIFEST
    current = manifest.read_text(encoding="utf-8")
    updated = current + ("" if current.endswith("\n") else "\n") + _manifest_block(decided.entry)
    try:
        read_back = read_manifest(raw, text=updated)[-1]
    except KexieError as exc:
        raise AddSourceError(
            f"{manifest}: the new entry would not read back as written ({exc}); nothing was changed"
        ) from None
    if {key: read_back[key] for key in decided.entry} != decided.entry:
        raise AddSourceError(f"{manifest}: the new entry would not read back as written; nothing was changed")
    edit = RawEdit(raw, "kexie add-source")
    prepared = decided.prepared if decided.prepared is not None else _check_document(decided.document)
    if sha256(decided.document.read_bytes()).hexdigest() != prepared.original_sha256:
        raise AddSourceError(f"{decided.document}: changed while it was being added; nothing was changed")
    edit.create(decided.target, prepared.text)  # the text of record (the file itself for plain UTF-8 text)
    if decided.original_target is not None:
        edit.create(decided.original_target, prepared.original)  # the document as found
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(list(SHEET_COLUMNS))
    edit.create(decided.sheet, header.getvalue().encode("utf-8"))
    if decided.feature_rows:
        features = raw / config.FEATURES
        existing = features.read_text(encoding="utf-8")
        rows = io.StringIO()
        writer = csv.DictWriter(rows, fieldnames=list(decided.feature_rows[0]), lineterminator="\n")
        writer.writerows(decided.feature_rows)
        edit.replace(features, (existing + ("" if existing.endswith("\n") else "\n") + rows.getvalue()).encode("utf-8"))
    edit.replace(manifest, updated.encode("utf-8"))  # last: the commit
    return edit


def add_source(document: Path, raw_dir: Path | None = None, **options: Any) -> Plan:
    """Add ``document``: copy it, append its manifest entry, create its coding sheet and, for a new
    case, its unknown feature rows. Checks everything before writing anything.

    The whole command holds the lock of ``data/raw`` (:func:`~kexie_research.atomic.raw_lock`), so
    that two runs at once both land, one after the other; it first repairs an add-source that was
    killed (:func:`~kexie_research.journal.repair`), and writes as one all-or-nothing edit
    (:func:`edit_of`, :class:`~kexie_research.journal.RawEdit`).

    Examples
    --------
    A document that is not there stops the command before anything is written:

    >>> add_source(Path("no-such-document.txt"))
    Traceback (most recent call last):
    ...
    kexie_research.add_source.AddSourceError: no-such-document.txt: no such file
    """
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    for option in ("title_zh", "title_en", "genre", "date", "case", "source_id", "place", "code"):
        value = options.get(option)
        if isinstance(value, str):
            check_text_option("--" + option.replace("_", "-"), value)
    with raw_lock(raw, "kexie add-source"):
        repaired = repair(raw)
        if repaired:
            print("kexie add-source: " + "; ".join(repaired), file=sys.stderr)
        decided = plan(document, raw_dir=raw, **options)
        edit = edit_of(decided, raw)
        if decided.original_target is not None:  # data/raw/originals/ holds the documents as found
            decided.original_target.parent.mkdir(exist_ok=True)
        edit.apply()
    return decided


def next_steps(decided: Plan, raw_dir: Path | None = None) -> str:
    """The message printed after a document was added.

    Examples
    --------
    >>> "kexie validate" in next_steps(Plan(Path("a.txt"), Path("d/005_x.txt"), "0" * 64,
    ...     {"source_id": "x_document", "case": "x", "place_zh": "某市", "admin_code": "000000"},
    ...     Path("s.csv"), [], True))
    True
    """
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    entry = decided.entry
    lines = [
        f"added {entry['source_id']} ({entry['place_zh']} {entry['admin_code']}, case {entry['case']!r}):",
        f"  document       {decided.target}",
        f"  sha256         {decided.sha256}",
        f"  manifest       {raw / config.MANIFEST} (check title_zh, title_en, genre, authors_zh, date, reference_date)",
        f"  coding sheet   {decided.sheet} (header only)",
    ]
    if decided.new_case:
        lines.append(f"  features       {raw / config.FEATURES}: {len(decided.feature_rows)} rows, all unknown")
    lines += [
        "next steps:",
        f"  1. code the document's facts in {decided.sheet.name} (format: data/raw/indicators/README.md)",
        "  2. kexie validate        # every row checked; quarantined rows name sheet, line and reason",
        "  3. kexie build           # writes data/processed/ (the case appears in cases.csv)",
        (
            f"  4. optional: names, model, colour, county panel, distance pairs in {raw / config.CASES};"
            f" feature values with quotes in {config.FEATURES}"
        ),
        "  5. kexie report",
    ]
    return "\n".join(lines)


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Options of ``kexie add-source``.

    Examples
    --------
    >>> p = argparse.ArgumentParser(); configure_parser(p)
    >>> p.parse_args(["doc.txt", "--code", "420500"]).code
    '420500'
    """
    parser.add_argument(
        "file",
        type=Path,
        help="the document: .txt (UTF-8, GB18030, with a BOM or CRLF), .pdf with a text "
        "layer, a saved web page .html, or .docx (see docs/documents.md)",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--place", help="the case's place by its Chinese name (宜昌市 or 宜昌)")
    where.add_argument("--code", help="the case's place by its 6-digit administrative code (420500)")
    parser.add_argument("--case", help="case key (default: from the place's English name, e.g. yichang)")
    parser.add_argument("--source-id", help="source id (default: <case>_document)")
    parser.add_argument("--title-zh", default="", help="title in Chinese")
    parser.add_argument("--title-en", default="", help="title in English")
    parser.add_argument("--genre", default="", help="genre: news report, policy document, meeting report …")
    parser.add_argument(
        "--date", default="", help="publication date as the text gives it (YYYY-MM-DD, YYYY-MM or YYYY)"
    )


def command(args: argparse.Namespace) -> int:
    """Run ``kexie add-source`` from parsed arguments; print the next steps.

    Examples
    --------
    >>> options = dict.fromkeys(["place", "code", "case", "source_id", "title_zh", "title_en", "genre", "date"])
    >>> command(argparse.Namespace(file=Path("no-such-document.txt"), **options))
    Traceback (most recent call last):
    ...
    kexie_research.add_source.AddSourceError: no-such-document.txt: no such file
    """
    decided = add_source(
        args.file,
        place=args.place,
        code=args.code,
        case=args.case,
        source_id=args.source_id,
        title_zh=args.title_zh,
        title_en=args.title_en,
        genre=args.genre,
        date=args.date,
    )
    print(next_steps(decided))
    return 0
