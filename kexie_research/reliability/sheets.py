"""A coder's sheet read for reliability: every row placed in its document as a character span.

A sheet is a coding sheet (``data/raw/indicators/README.md``) or a ``kexie extract`` draft (with
``document``/``path`` columns, and ``kind`` and ``decision`` deciding which rows are facts). A row's
span is found by the project's provenance rule: its ``quote`` is located in the document with line
breaks removed (:func:`kexie_research.parse.provenance.locate_quote`), then ``raw_text`` within the
quote outside a longer number (:func:`~kexie_research.parse.provenance.find_number`); the span is
given in characters of the document as received. Where a quote occurs more than once, a draft's
``offset`` picks the occurrence holding it; a coding sheet takes the first.

Every failure names the sheet and the line of the file where the row starts (header = line 1).

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "doc.txt").write_text("藤县科协26\\n万元，梧州市科协51万元。", encoding="utf-8")
>>> _ = (folder / "a.csv").write_text("record_id,indicator_id,scope_zh,scope_level,raw_text,period_text,status,quote,note\\n"
...                                    "A-001,budget,藤县科协,county,26万元,,achieved,藤县科协26万元,\\n", encoding="utf-8")
>>> sheet = read_coder_sheet(folder / "a.csv", document=folder / "doc.txt")
>>> [(row.start, row.end, row.line) for row in sheet.rows]
[(4, 9, 2)]
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from kexie_research import config
from kexie_research.errors import SheetError
from kexie_research.extract.draft import DRAFT_COLUMNS as EXTRACT_DRAFT_COLUMNS
from kexie_research.parse.provenance import find_number, normalise_for_matching
from kexie_research.schemas.indicators import SHEET_COLUMNS

__all__ = ["KNOWN_COLUMNS", "CodedRow", "CoderSheet", "read_coder_sheet", "span_of"]

REVIEW_COLUMNS = ("decision", "reviewed_at")
#: Every column a coding sheet, a draft (as ``kexie extract`` writes it) or a reviewed draft may have; any other is refused.
KNOWN_COLUMNS = frozenset((*SHEET_COLUMNS, *EXTRACT_DRAFT_COLUMNS, "page", *REVIEW_COLUMNS))
REQUIRED_COLUMNS = ("indicator_id", "scope_zh", "raw_text", "period_text", "status", "quote")


@dataclass(frozen=True)
class CodedRow:
    """One fact of a coder: where it sits in its document and what the coder said of it.

    Examples
    --------
    >>> CodedRow("doc.txt", "k", 4, 9, 2, {"raw_text": "26万元"}).end
    9
    """

    document: str  # the document's file name (for people)
    document_key: str  # sha256 of its text (two paths to one text are one document)
    start: int
    end: int
    line: int
    values: dict[str, str]


@dataclass
class CoderSheet:
    """A coder's sheet: its label (the path as given), its fact rows, its documents by key.

    Examples
    --------
    >>> CoderSheet("a.csv", []).documents
    {}
    """

    label: str
    rows: list[CodedRow]
    documents: dict[str, str] = field(default_factory=dict)  # key -> file name
    texts: dict[str, str] = field(default_factory=dict)  # key -> text


def span_of(quote: str, raw_text: str, document: str, offset: int | None = None) -> tuple[int, int] | None:
    """The span (start, end) of ``raw_text`` inside ``quote`` inside ``document``, by the matching rule.

    ``None`` when the quote is not in the document or the number not in the quote. Offsets are of
    the document as received (line breaks counted); ``end`` is one past the last character.

    Examples
    --------
    >>> span_of("科协26万元", "26万元", "藤县\\n科协26\\n万元")
    (5, 10)
    >>> span_of("3个", "3个", "3个街道，3个镇", offset=5)
    (5, 7)
    >>> span_of("4个", "4个", "3个街道") is None
    True
    """
    flat_quote, flat_raw = normalise_for_matching(quote), normalise_for_matching(raw_text)
    if not flat_quote or not flat_raw:
        return None
    positions = [index for index, char in enumerate(document) if char != "\n"]
    flat_document = normalise_for_matching(document)
    inner = find_number(flat_raw, flat_quote)
    if inner is None:
        return None
    found = flat_document.find(flat_quote)
    first = None
    while found >= 0:
        start = positions[found + inner]
        end = positions[found + inner + len(flat_raw) - 1] + 1
        if first is None:
            first = (start, end)
        if offset is None or positions[found] <= offset <= positions[found + len(flat_quote) - 1]:
            return start, end
        found = flat_document.find(flat_quote, found + 1)
    return first


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if path.suffix.lower() == ".xlsx":  # a sheet kept as a workbook: rows numbered as the spreadsheet shows them
        from kexie_research.ingest.sheets import read_xlsx

        header, records, lines = read_xlsx(path)
        for line, record in zip(lines, records):
            if len(record) != len(header):
                raise SheetError(f"{path} line {line}: {len(record)} cells, the header has {len(header)}")
        return header, [(line, dict(zip(header, record))) for line, record in zip(lines, records)]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
        if not header:
            raise SheetError(f"{path}: empty sheet (no header line)")
        rows: list[tuple[int, dict[str, str]]] = []
        line = reader.line_num + 1
        for record in reader:
            if record:
                if len(record) != len(header):
                    raise SheetError(f"{path} line {line}: {len(record)} fields, the header has {len(header)}")
                rows.append((line, dict(zip(header, record))))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SheetError(f"{path} line {reader.line_num}: broken CSV quoting ({exc})") from None
    return header, rows


def _sources_by(key: str) -> dict[str, dict]:
    from kexie_research.steps.sources import read_sources

    try:
        return {str(source.get(key)): source for source in read_sources()}
    except Exception:  # no project data here: sheets must name their documents
        return {}


def _document_of(path: Path, values: dict[str, str], line: int, document: Path | None) -> Path:
    if document is not None:
        return document
    given = values.get("path", "").strip()
    name = values.get("document", "").strip()
    candidates = []
    if given:
        candidates += [Path(given), path.parent / given]
    if name:
        candidates += [path.parent / name, config.raw_dir() / config.DOCUMENTS_DIR / name]
    if not given and not name:
        source = _sources_by("source_id").get(path.stem)
        if source is None:
            raise SheetError(
                f"{path}: no document: the sheet's name {path.stem!r} is not a source_id of "
                f"data/raw/sources.yaml and it has no document/path column; give --document PATH"
            )
        candidates.append(config.raw_dir() / config.DOCUMENTS_DIR / str(source["file"]))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise SheetError(f"{path} line {line}: document {given or name or candidates[0]} not found")


def _fact_row(values: dict[str, str]) -> bool:
    kind = values.get("kind", "fact").strip() or "fact"
    decision = values.get("decision", "").strip()
    return kind == "fact" and decision != "rejected"


def read_coder_sheet(path: Path | str, document: Path | str | None = None) -> CoderSheet:
    """Read one coder's sheet and place every fact row in its document (see the module docstring).

    Draft rows with ``kind`` other than ``fact``, or ``decision=rejected``, are not facts and left out.

    Examples
    --------
    >>> read_coder_sheet("/nonexistent.csv")
    Traceback (most recent call last):
    ...
    FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent.csv'
    """
    path = Path(path)
    header, rows = _read_rows(path)
    unknown = [name for name in header if name not in KNOWN_COLUMNS]
    if unknown:
        raise SheetError(
            f"{path}: unknown column(s) {', '.join(unknown)}; a coding sheet has {', '.join(SHEET_COLUMNS)}"
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise SheetError(f"{path}: missing column(s) {', '.join(missing)}")
    sheet = CoderSheet(label=str(path), rows=[])
    texts_by_path: dict[Path, tuple[str, str]] = {}
    for line, values in rows:
        if not _fact_row(values):
            continue
        document_path = _document_of(path, values, line, Path(document) if document else None)
        if document_path not in texts_by_path:
            text = document_path.read_text(encoding="utf-8")
            texts_by_path[document_path] = (text, hashlib.sha256(text.encode("utf-8")).hexdigest())
        text, key = texts_by_path[document_path]
        offset_text = values.get("offset", "").strip()
        offset = int(offset_text) if offset_text.isdigit() else None
        span = span_of(values["quote"], values["raw_text"], text, offset)
        if span is None:
            where = (
                "quote" if normalise_for_matching(values["quote"]) not in normalise_for_matching(text) else "raw_text"
            )
            what = (
                f"quote {values['quote'][:40]!r} not found in {document_path.name}"
                if where == "quote"
                else f"raw_text {values['raw_text']!r} not found in its quote (outside a longer number)"
            )
            raise SheetError(f"{path} line {line}: {what}")
        sheet.documents[key] = document_path.name
        sheet.texts[key] = text
        sheet.rows.append(CodedRow(document_path.name, key, span[0], span[1], line, values))
    return sheet
