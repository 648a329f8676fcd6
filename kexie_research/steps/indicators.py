"""The coding-sheet step: ``data/raw/indicators/*.csv`` -> checked indicator table + quarantine.

Every coding sheet is read strictly (UTF-8, a byte-order mark allowed, the documented columns, every
cell as text, each record numbered by the line of the file where it starts). A sheet may also be an
``.xlsx`` workbook (its first sheet; each record numbered by its spreadsheet row) with the same checks. The rows are then checked and
cleaned **a whole column at a time**: each distinct scope, period, quantity text and (document,
quote) pair is resolved once and the results are joined back to the rows, so a million coded rows
cost about as much as their few thousand distinct forms.

A row that fails a check is never dropped: it goes to the quarantine table with a reason naming the
sheet, the line and the problem, and the ``check`` and ``column`` that refused it. The checks are
the ordered list :data:`kexie_research.steps.row_checks.CHECKS` (the earliest failed check names the
reason of a row with several problems), in this order, each shown with its ``check`` code:

1. the record has as many fields as the header (``field_count``);
2. ``record_id`` is not a duplicate of an earlier row (``duplicate_record_id``);
3. no text cell holds a control character (line breaks aside) or starts like a spreadsheet formula
   (``=`` ``+`` ``-`` ``@``; for ``raw_text`` only ``=`` and ``@``, since a sign belongs to a number
   such as ``-5%``); the cell is never altered, the row is quarantined (``unsafe_cell``, column by column);
4. required cells are filled (``empty_required``); ``status``, ``scope_level`` and ``indicator_id``
   are known (``unknown_status``, ``unknown_scope_level``, ``unknown_indicator``);
5. the quote is in its document and ``raw_text`` in its quote at number boundaries
   (``quote_not_in_document``, ``raw_text_not_in_quote``; :mod:`kexie_research.parse.provenance`);
6. ``raw_text`` parses to a finite quantity, ``period_text`` to a period, ``scope_zh`` to a place
   (``quantity_unparsed``, ``period_unparsed``, ``place_unresolved``); *any* exception a parser
   raises becomes the row's reason, so one bad cell never stops the build;
7. the parsed unit fits the indicator's, a target period has status ``target``, and the place's
   level fits ``scope_level`` (``unit_mismatch``, ``target_period_status``, ``scope_level_mismatch``);
8. the processed row passes the pandera schema (``schema``; :mod:`kexie_research.schemas.indicators`).

Examples
--------
>>> from kexie_research import config
>>> from kexie_research.steps.codebook import read_codebook
>>> from kexie_research.steps.places import PlaceResolver
>>> from kexie_research.steps.sources import verify_sources
>>> raw = config.raw_dir()
>>> step = run(raw, verify_sources(raw), read_codebook(raw), PlaceResolver.from_raw(raw))
>>> int(step.counts.loc["total", "coded"]) == len(step.indicators) + len(step.quarantine)
True
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kexie_research.errors import KexieError, SheetError
from kexie_research.parse.periods import Period
from kexie_research.schemas.indicators import INDICATOR_COLUMNS, QUARANTINE_COLUMNS, SHEET_COLUMNS, validate_indicators
from kexie_research.steps.codebook import Codebook
from kexie_research.steps.places import Place, PlaceResolver
from kexie_research.steps.row_checks import (  # noqa: F401 - the single-cell judgements are part of this step's API
    CHECKS,
    CONTROL_PATTERN,
    FORMULA_CHARS,
    READ_PROBLEM,
    SCHEMA_CHECK,
    SCOPE_LEVEL_PLACES,
    CodedRows,
    Column,
    Verdicts,
    case_of,
    distinct_rows,
    non_finite,
    parser_failure,
    run_checks,
    safe_period,
    safe_place,
    text_cell_problem,
)
from kexie_research.steps.sources import document_path

SHEETS_DIR = "indicators"
#: File types of a coding sheet: CSV, or a workbook (its first sheet).
SHEET_SUFFIXES = (".csv", ".xlsx")
_CHUNK = 50_000  # records converted to columns at a time: bounds the Python objects alive at once


class StepResult(NamedTuple):
    """What the step returns: the processed table, the quarantine, per-case counts and warnings.

    Examples
    --------
    >>> empty = StepResult(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), [])
    >>> empty.warnings
    []
    """

    indicators: pd.DataFrame
    quarantine: pd.DataFrame
    counts: pd.DataFrame
    warnings: list[str]


# ------------------------------------------------------------------------------------------------
# Reading sheets
# ------------------------------------------------------------------------------------------------
def read_sheet(path: Path) -> pd.DataFrame:
    """Read one coding sheet strictly: UTF-8 (a BOM is dropped) or ``.xlsx``, the documented columns, all as text.

    Adds ``sheet`` (file name), ``row`` (the line of the file where the record starts; the header
    is line 1; blank lines and line breaks inside quoted cells count, so the number is what an
    editor shows) and ``read_problem`` (missing, or why the record's fields do not fit the header).
    A file-level problem raises :class:`SheetError` naming the file.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "s.csv").write_text(
    ...     "record_id,indicator_id,scope_zh,scope_level,raw_text,status,quote\\n\\n"
    ...     'WZ-001,x,梧州市,city,3个,achieved,"仅有\\n3个"\\n', encoding="utf-8")
    >>> read_sheet(folder / "s.csv")[["sheet", "row", "record_id", "quote"]].to_dict("records")
    [{'sheet': 's.csv', 'row': 3, 'record_id': 'WZ-001', 'quote': '仅有\\n3个'}]
    """
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path)
    data = path.read_bytes().removeprefix(codecs.BOM_UTF8)  # the mark Excel writes: no field, no line
    if not data.strip():
        raise SheetError(
            f"{path}: the sheet is empty ({len(data)} bytes); expected a header line with the columns "
            f"{', '.join(SHEET_COLUMNS)}"
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
        raise SheetError(
            f"{path}: not valid UTF-8 at byte {exc.start} (line {line}); expected UTF-8 (a BOM is fine).{hint}"
        ) from exc
    frame = _read_fast(data, path)
    if frame is None:  # anything unusual: the exact reader decides (row-level problems, strict errors)
        frame = _read_exact(text, path)
    frame.insert(0, "sheet", pd.array([path.name] * len(frame), dtype="str"))
    return frame


def _read_workbook(path: Path) -> pd.DataFrame:
    """A coding sheet kept as an ``.xlsx`` workbook: its first sheet, row 1 the header, each record
    numbered by its spreadsheet row (the "line" of every message), every cell as text."""
    from kexie_research.ingest.sheets import read_xlsx

    header, records, lines = read_xlsx(path)
    _check_header(path, header)
    width = len(header)
    problems = [
        None if len(record) == width else f"{len(record)} cells, but the header has {width} columns"
        for record in records
    ]
    frame = _columns(header, [record[:width] for record in records], lines, problems)
    frame.insert(0, "sheet", pd.array([path.name] * len(frame), dtype="str"))
    return frame


#: The longest cell a coding sheet may hold (Python's csv default). Set for every read, because the csv
#: module's limit is global and other libraries change it on import (frictionless raises it).
CELL_LIMIT = 131_072


def _read_exact(text: str, path: Path) -> pd.DataFrame:
    """The reference reader: Python's csv module, one record at a time, every record numbered."""
    previous = csv.field_size_limit(CELL_LIMIT)
    try:
        return _read_records(text, path)
    finally:
        csv.field_size_limit(previous)


def _read_records(text: str, path: Path) -> pd.DataFrame:
    # newline="" keeps line breaks inside quoted cells as written; the reader's line_num then counts
    # the file's physical lines, so every record is numbered by the line it starts on.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    width = 0
    chunks: list[pd.DataFrame] = []
    records: list[list[str]] = []
    lines: list[int] = []
    problems: list[str | None] = []
    last_line = 0
    try:
        for record in reader:
            start, last_line = last_line + 1, reader.line_num
            if not record:  # a blank line: nothing to check, but it keeps its line number
                continue
            if header is None:
                header = record
                width = len(header)
                _check_header(path, header)
                continue
            problem = None
            if len(record) != width:
                problem = f"{len(record)} field(s), but the header has {width}"
                record = (record + [""] * width)[:width]
            records.append(record)
            lines.append(start)
            problems.append(problem)
            if len(records) >= _CHUNK:
                chunks.append(_columns(header, records, lines, problems))
                records, lines, problems = [], [], []
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SheetError(_oversized_cell(text, path)) from None
        raise SheetError(f"{path}: malformed CSV at line {reader.line_num}: {exc}") from exc
    assert header is not None  # a non-blank file has a first record
    chunks.append(_columns(header, records, lines, problems))
    return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]


def _oversized_cell(text: str, path: Path) -> str:
    """The message for a cell past the csv module's limit: its sheet, line, column and what to do.

    Examples
    --------
    >>> print(_oversized_cell('record_id,quote\\nWZ-001,"' + "长" * 200_000 + '"\\n', Path("s.csv")))
    s.csv: line 2, column quote: a cell of 200,000 characters (at most 131,072 are read); a quote is a passage of the document, not all of it: shorten it, or look for a quotation mark left open before it, which runs the following cells and lines together
    """
    limit = CELL_LIMIT
    previous = csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header: list[str] | None = None
        start = 1
        for record in reader:
            if header is None and record:
                header = record
            for index, cell in enumerate(record):
                if len(cell) > limit:
                    column = (
                        header[index] if header and index < len(header) and record is not header else f"#{index + 1}"
                    )
                    return (
                        f"{path}: line {start}, column {column}: a cell of {len(cell):,} characters (at most {limit:,} "
                        "are read); a quote is a passage of the document, not all of it: shorten it, or look for a "
                        "quotation mark left open before it, which runs the following cells and lines together"
                    )
            start = reader.line_num + 1
    except csv.Error:
        pass
    finally:
        csv.field_size_limit(previous)
    return (
        f"{path}: a cell longer than {limit:,} characters; shorten it, or look for a quotation mark left open, which "
        "runs the following cells and lines together"
    )


_QUOTE, _COMMA, _LF, _CR = 34, 44, 10, 13


def _read_fast(data: bytes, path: Path) -> pd.DataFrame | None:
    """Arrow's CSV reader plus a byte scan for line numbers, for well-formed sheets; else ``None``.

    The scan finds the line breaks outside quoted cells (a record ends there) and numbers each
    record by the physical line it starts on, like :func:`_read_exact`. It only vouches for files
    whose quoting is regular (a quote opens a cell or closes it; no stray quotes), in which every
    record has as many fields as the header and Arrow finds as many records as the scan; anything
    else returns ``None`` and the exact reader takes over.
    """
    octets = np.frombuffer(data, dtype=np.uint8)
    size = len(octets)
    quotes = np.flatnonzero(octets == _QUOTE)
    if len(quotes) % 2:
        return None
    if len(quotes):
        opening = quotes[0::2]
        closing = quotes[1::2]
        before = np.where(opening > 0, octets[np.maximum(opening - 1, 0)], _LF)
        # An opening quote starts a cell, or re-opens right after a closing one ("" inside a cell).
        reopen = np.zeros(len(opening), dtype=bool)
        reopen[1:] = opening[1:] - 1 == closing[:-1]
        if not np.all(np.isin(before, (_COMMA, _LF, _CR)) | reopen):
            return None
        after = octets[np.minimum(closing + 1, size - 1)]
        if not np.all((closing + 1 == size) | np.isin(after, (_COMMA, _LF, _CR, _QUOTE))):
            return None
    lf = np.flatnonzero(octets == _LF)
    cr = np.flatnonzero(octets == _CR)
    lone_cr = cr[(cr + 1 == size) | (octets[np.minimum(cr + 1, size - 1)] != _LF)]
    breaks = np.union1d(lf, lone_cr)  # the last byte of every physical line
    outside = np.searchsorted(quotes, breaks) % 2 == 0
    ends = breaks[outside]
    starts = np.concatenate([[0], ends + 1])
    stops = np.concatenate([ends, [size]])
    crlf = (
        (stops > starts)
        & (stops < size)
        & (octets[np.maximum(stops - 1, 0)] == _CR)
        & (octets[np.minimum(stops, size - 1)] == _LF)
    )
    filled = (stops - starts - crlf) > 0
    lines = 1 + np.searchsorted(breaks, starts[filled])
    if len(lines) == 0:
        return None
    try:
        header = next(csv.reader(io.StringIO(data[starts[filled][0] : stops[filled][0]].decode("utf-8"), newline="")))
    except (csv.Error, StopIteration):
        return None
    _check_header(path, header)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.column_names != header or table.num_rows != len(lines) - 1:
        return None
    if len(data) > CELL_LIMIT and any(
        (pc.max(pc.utf8_length(column)).as_py() or 0) > CELL_LIMIT for column in table.columns
    ):
        return None  # a cell past the limit: the exact reader names it (the same rule, whichever reader)
    n = table.num_rows
    columns: dict[str, Any] = {"row": lines[1:].astype("int64")}
    for name in SHEET_COLUMNS:
        columns[name] = pd.array(table.column(name), dtype="str") if name in header else pd.array([""] * n, dtype="str")
    columns[READ_PROBLEM] = pd.array([None] * n, dtype="str")
    return pd.DataFrame(columns)


def _check_header(path: Path, header: list[str]) -> None:
    required = [name for name, (is_required, _) in SHEET_COLUMNS.items() if is_required]
    missing = [name for name in required if name not in header]
    if missing:
        raise SheetError(
            f"{path}: missing required column(s) {', '.join(missing)}; expected columns: {', '.join(SHEET_COLUMNS)}"
        )
    unexpected = [name for name in header if name not in SHEET_COLUMNS]
    if unexpected:
        raise SheetError(
            f"{path}: unexpected column(s) {', '.join(unexpected)}; expected columns: {', '.join(SHEET_COLUMNS)}"
        )
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise SheetError(f"{path}: column(s) {', '.join(twice)} appear more than once in the header")


def _columns(header: list[str], records: list[list[str]], lines: list[int], problems: list[str | None]) -> pd.DataFrame:
    """Records -> a frame of the documented columns in their order (absent optional ones empty)."""
    cells = list(zip(*records)) if records else [()] * len(header)
    position = {name: index for index, name in enumerate(header)}
    data: dict[str, Any] = {"row": np.asarray(lines, dtype="int64")}
    for name in SHEET_COLUMNS:
        values = cells[position[name]] if name in position else [""] * len(records)
        data[name] = pd.array(list(values), dtype="str")
    data[READ_PROBLEM] = pd.array(problems, dtype="str")
    return pd.DataFrame(data)


def read_sheets(raw: Path, source_ids: list[str]) -> pd.DataFrame:
    """All coding sheets, one per source, in file-name order; a sheet for an unknown source is an error.

    Examples
    --------
    >>> from kexie_research import config
    >>> sheets = read_sheets(config.raw_dir(), ["wuzhou_article", "rongchang_report", "chengdu_notes",
    ...                                         "liuzhou_plan", "zunyi_meeting"])
    >>> sheets.loc[0, "sheet"], int(sheets.loc[0, "row"]), sheets.loc[0, "source_id"]
    ('chengdu_notes.csv', 2, 'chengdu_notes')
    """
    folder = raw / SHEETS_DIR
    sheets = sheet_files(folder, source_ids)
    frames = []
    for path in sheets:
        frame = read_sheet(path)
        frame["source_id"] = pd.array([path.stem] * len(frame), dtype="str")
        frames.append(frame)
    if not frames:
        raise SheetError(f"{folder}: no coding sheets found")
    return pd.concat(frames, ignore_index=True)


def sheet_files(folder: Path, source_ids: list[str]) -> list[Path]:
    """The coding sheets of ``folder``, one per source: :class:`SheetError` naming any sheet whose rows
    would otherwise go unread.

    Refused: a sheet named ``.CSV`` (or any case but ``.csv``), a sheet for no source, a source
    without its sheet (``kexie add-source`` creates one with its header; a missing one would make
    its rows vanish from every count), a sheet that is not a regular file, and a link that leads out
    of the folder (as documents are refused outside ``data/raw/documents``).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("record_id\\n"); _ = (folder / "README.md").write_text("")
    >>> [p.name for p in sheet_files(folder, ["a"])]
    ['a.csv']
    >>> try:
    ...     sheet_files(folder, ["a", "b"])
    ... except SheetError as exc:
    ...     print(str(exc).split(": ", 1)[1])
    source 'b' has no coding sheet b.csv (its rows would count as none); restore it, or create it with the header line
    """
    if not folder.is_dir():
        raise SheetError(f"{folder}: the folder of coding sheets is missing")
    entries = sorted(folder.iterdir())
    wrong_case = [
        path for path in entries if path.suffix.lower() in SHEET_SUFFIXES and path.suffix not in SHEET_SUFFIXES
    ]
    if wrong_case:
        first = wrong_case[0]
        raise SheetError(
            f"{folder}: {', '.join(p.name for p in wrong_case)}: a coding sheet's name ends in lower-case "
            f".csv or .xlsx, or its rows are not read; rename it (e.g. {first.name} -> "
            f"{first.stem}{first.suffix.lower()})"
        )
    # a CSV or a workbook; "~$name.xlsx" is the lock file a spreadsheet program leaves while it has one open
    sheets = [path for path in entries if path.suffix in SHEET_SUFFIXES and not path.name.startswith("~$")]
    stems = [path.stem for path in sheets]
    twice = sorted({stem for stem in stems if stems.count(stem) > 1})
    if twice:
        raise SheetError(f"{folder}: source(s) {', '.join(twice)} have both a .csv and an .xlsx coding sheet; keep one")
    inside = folder.resolve()
    for path in sheets:
        if not path.resolve().is_relative_to(inside):
            raise SheetError(
                f"{path}: a link that leads outside {folder} ({path.resolve()}); a coding sheet is a file "
                "of this folder (links out of data/raw are refused, as for documents)"
            )
        if not path.is_file():
            raise SheetError(f"{path}: not a regular file (a folder, pipe or device named like a coding sheet)")
    unknown = [path.name for path in sheets if path.stem not in source_ids]
    if unknown:
        raise SheetError(
            f"{folder}: sheet(s) {', '.join(unknown)} match no source_id; valid: {', '.join(s + '.csv' for s in source_ids)}"
        )
    present = {path.stem for path in sheets}
    missing = [source_id for source_id in source_ids if source_id not in present]
    if missing:
        names = ", ".join(f"{source_id}.csv" for source_id in missing)
        raise SheetError(
            f"{folder}: source {missing[0]!r}{' and others' if len(missing) > 1 else ''} has no coding sheet "
            f"{names} (its rows would count as none); restore it, or create it with the header line"
        )
    return sheets


# ------------------------------------------------------------------------------------------------
# Column-wise cleaning: the checks of row_checks in order, then the processed rows
# ------------------------------------------------------------------------------------------------
def clean(
    sheets: pd.DataFrame,
    codebook: Codebook,
    resolver: PlaceResolver,
    sources: dict[str, dict[str, Any]],
    documents: dict[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check and clean every row column by column: ``(processed rows, quarantined rows)``.

    The checks of :data:`~kexie_research.steps.row_checks.CHECKS` run in order, each on the
    distinct values of the rows no earlier check refused; the rows that pass them all become
    processed rows. ``processed`` keeps the index of ``sheets`` (its rows' positions), so that a
    later schema failure finds its row again; ``quarantined`` has the quarantine columns, with the
    ``reason``, the ``check`` and the ``column`` of the first failed check.

    Examples
    --------
    >>> from kexie_research import config
    >>> from kexie_research.steps.codebook import read_codebook
    >>> from kexie_research.steps.sources import verify_sources
    >>> raw = config.raw_dir()
    >>> manifest = {entry["source_id"]: entry for entry in verify_sources(raw)}
    >>> processed, quarantined = clean(read_sheets(raw, list(manifest)), read_codebook(raw),
    ...                                PlaceResolver.from_raw(raw), manifest, read_documents(raw, list(manifest.values())))
    >>> float(processed.set_index("record_id").loc["WZ-004", "value"]), len(quarantined)
    (205200.0, 0)
    """
    rows = CodedRows(sheets, codebook, resolver, sources, documents)
    verdicts = run_checks(rows)
    return _processed(rows, np.flatnonzero(verdicts.pending)), _quarantined(sheets, verdicts)


def _quarantined(sheets: pd.DataFrame, verdicts: Verdicts) -> pd.DataFrame:
    """The refused rows as they were coded, with ``sheet row N`` plus the message, the check and its column."""
    bad = np.flatnonzero(~verdicts.pending)
    quarantined = sheets.iloc[bad][[name for name in QUARANTINE_COLUMNS if name in sheets.columns]].copy()
    messages = (
        pd.array(verdicts.messages, dtype="str").take(verdicts.message[bad]) if len(bad) else pd.array([], dtype="str")
    )
    quarantined["reason"] = (
        quarantined["sheet"] + " row " + quarantined["row"].astype("str") + pd.Series(messages, index=quarantined.index)
    )
    checks = verdicts.check[bad]
    quarantined["check"] = pd.array([check.code for check in CHECKS], dtype="str").take(checks)
    quarantined["column"] = pd.array([check.column for check in CHECKS], dtype="str").take(checks)
    return quarantined[QUARANTINE_COLUMNS]


def _processed(rows: CodedRows, ok: np.ndarray) -> pd.DataFrame:
    """The processed rows: the checks' distinct results broadcast back to the rows ``ok`` that passed them all."""
    col, sources, codebook = rows.columns, rows.sources, rows.codebook
    rid, sid, quote, raw_text = col["record_id"], col["source_id"], col["quote"], col["raw_text"]
    indicator, period, scope, level, status = (
        col[name] for name in ("indicator_id", "period_text", "scope_zh", "scope_level", "status")
    )
    indicator_ids = rows.stripped["indicator_id"].tolist()
    cb = codebook.indicators
    unit_of_indicator = cb["unit"].to_dict()
    iunit = [unit_of_indicator.get(ind) for ind in indicator_ids]
    quantities = rows.quantities
    punit = quantities["unit"].tolist()
    sid_names = rows.source_ids
    case_names = [case_of(sources[name]) for name in sid_names]
    factor_pairs, factor_inverse = distinct_rows(rows.quantity_row[ok], indicator.codes[ok])
    factors = np.array([codebook.unit_factor(punit[k], iunit[i]) for k, i in factor_pairs], dtype="float64")
    factor = factors.take(factor_inverse) if len(ok) else np.zeros(0)
    qrow = rows.quantity_row[ok]
    places_ok = [p if isinstance(p, Place) else None for p in rows.place_results]
    periods_ok = [p if isinstance(p, Period) else None for p in rows.period_results]
    is_target_status = (rows.stripped["status"] == "target").to_numpy(dtype=bool)

    def text(column: Column, values: Sequence[Any] | pd.Series | None = None) -> pd.api.extensions.ExtensionArray:
        source = column.uniques if values is None else values
        return pd.array(source, dtype="str").take(column.codes[ok])

    def per(results: Sequence[Any], positions: np.ndarray) -> pd.api.extensions.ExtensionArray:
        return pd.array(list(results), dtype="str").take(positions)

    place_row, period_row = rows.place_row[ok], rows.period_row[ok]
    processed = pd.DataFrame(
        {
            "record_id": text(rid, rows.stripped["record_id"]),
            "source_id": text(sid),
            "case": text(sid, [case for case, _ in case_names]),
            "case_zh": text(sid, [case_zh for _, case_zh in case_names]),
            "province": text(sid, [sources[name]["province"] for name in sid_names]),
            "scope_zh": text(scope),
            "scope_level": text(level, rows.stripped["scope_level"]),
            "admin_code": per([p.admin_code if p else None for p in places_ok], place_row),
            "place_zh": per([p.name_zh if p else None for p in places_ok], place_row),
            "parent_city_code": per([p.parent_city_code if p else None for p in places_ok], place_row),
            "indicator_id": text(indicator, rows.stripped["indicator_id"]),
            "indicator_zh": text(indicator, [cb["zh"].get(ind) for ind in indicator_ids]),
            "indicator_en": text(indicator, [cb["en"].get(ind) for ind in indicator_ids]),
            "dimension": text(indicator, [cb["dimension"].get(ind) for ind in indicator_ids]),
            "period_text": text(period, period.uniques.where(period.uniques != "")),
            "period_start": per([p.start if p else None for p in periods_ok], period_row),
            "period_end": per([p.end if p else None for p in periods_ok], period_row),
            "is_target": is_target_status.take(status.codes[ok]),
            "raw_text": text(raw_text),
            "value": quantities["value"].to_numpy().take(qrow) * factor,
            "low": quantities["low"].to_numpy().take(qrow) * factor,
            "high": quantities["high"].to_numpy().take(qrow) * factor,
            "unit": text(indicator, iunit),
            "qualifier": per(quantities["qualifier"].tolist(), qrow),
            "quote": text(quote, quote.uniques.str.replace("\n", "", regex=False)),
            "quote_offset": rows.quote_offset[ok],
            "page": _pages(sources, sid_names, sid.codes[ok], rows.quote_offset[ok]),
            "note": text(col["note"], col["note"].uniques.where(col["note"].uniques != "")),
        },
        index=rows.sheets.index[ok],
    )
    return typed(processed)


def _pages(
    sources: dict[str, dict[str, Any]], source_ids: list[str], codes: np.ndarray, offsets: np.ndarray
) -> pd.api.extensions.ExtensionArray:
    """The page of each quote offset in its source's converted PDF (missing for a document without pages).

    The same lookup as :func:`kexie_research.ingest.pages.page_of`, a source at a time.
    """
    pages = np.zeros(len(codes), dtype="int64")  # 0: no page
    for code, source_id in enumerate(source_ids):
        starts = (sources[source_id].get("conversion") or {}).get("page_starts") or []
        if starts:
            rows = codes == code
            pages[rows] = np.searchsorted(np.asarray(starts, dtype="int64"), offsets[rows], side="right")
    result = pd.array(pages, dtype="Int64")
    result[pages <= 0] = pd.NA
    return result


def _map(series: pd.Series, mapping: dict[Hashable, Any]) -> pd.Series:
    """``series.map(mapping)`` through its distinct values (str results)."""
    codes, uniques = pd.factorize(series)
    return pd.Series(pd.array([mapping.get(value) for value in uniques], dtype="str").take(codes), index=series.index)


# ------------------------------------------------------------------------------------------------
# The table: types, schema, accounting
# ------------------------------------------------------------------------------------------------
def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The processed columns in their documented order and types (text stays missing where empty).

    Examples
    --------
    >>> typed(pd.DataFrame(columns=list(INDICATOR_COLUMNS))).dtypes["quote_offset"]
    dtype('int64')
    """
    frame = frame[list(INDICATOR_COLUMNS)].copy()
    for name, (kind, _) in INDICATOR_COLUMNS.items():
        if kind in ("string", "date"):
            frame[name] = frame[name].astype("str")  # missing stays missing (pandas' str dtype)
    frame["is_target"] = frame["is_target"].astype(bool)
    frame["quote_offset"] = frame["quote_offset"].astype("int64")
    frame["page"] = frame["page"].astype("Int64")
    for name in ("value", "low", "high"):
        frame[name] = frame[name].astype("float64")
    return frame


def finish(
    sheets: pd.DataFrame,
    processed: pd.DataFrame,
    quarantined: pd.DataFrame,
    sources: list[dict[str, Any]],
    codebook: Codebook,
) -> StepResult:
    """Validate the cleaned rows with the schema, sort both tables and account for every row.

    A row that fails the schema joins the quarantine with the failed check as its reason.

    Examples
    --------
    >>> from kexie_research import config
    >>> from kexie_research.steps.codebook import read_codebook
    >>> from kexie_research.steps.sources import verify_sources
    >>> raw, codebook = config.raw_dir(), read_codebook(config.raw_dir())
    >>> manifest = {entry["source_id"]: entry for entry in verify_sources(raw)}
    >>> sheets = read_sheets(raw, list(manifest))
    >>> processed, quarantined = clean(sheets, codebook, PlaceResolver.from_raw(raw), manifest,
    ...                                read_documents(raw, list(manifest.values())))
    >>> step = finish(sheets, processed, quarantined, list(manifest.values()), codebook)
    >>> len(step.indicators) + len(step.quarantine) == len(sheets)
    True
    """
    valid, failures = validate_indicators(processed)
    if not failures.empty:
        failed = sheets.loc[failures["index"].to_numpy()]
        where = failed["sheet"] + " row " + failed["row"].astype("str") + ": "
        refused = failed.assign(
            reason=where + failures["reason"].to_numpy(),
            check=SCHEMA_CHECK,
            column=pd.array(failures["column"].to_numpy(), dtype="str"),
        )
        quarantined = pd.concat([quarantined, refused[QUARANTINE_COLUMNS]])
    indicators = valid.sort_values("record_id", ignore_index=True)
    quarantine = quarantined.sort_values(["sheet", "row"], ignore_index=True)
    quarantine = quarantine.astype({"reason": "str", "check": "str", "column": "str"})

    case_of_source = {entry["source_id"]: case_of(entry)[0] for entry in sources}
    cases = list(dict.fromkeys(case_of_source.values()))  # a case may have several sources
    counts = (
        pd.DataFrame(
            {
                "coded": _map(sheets["source_id"], case_of_source).value_counts(),
                "processed": indicators["case"].value_counts(),
                "quarantined": _map(quarantine["source_id"], case_of_source).value_counts(),
            }
        )
        .reindex(cases)
        .fillna(0)
        .astype(int)
    )
    counts.index.name = None
    counts.loc["total"] = counts.sum()
    if not (counts["coded"] == counts["processed"] + counts["quarantined"]).all():
        raise KexieError(f"row accounting broken (coded != processed + quarantined):\n{counts}")
    used = set(sheets["indicator_id"].str.strip().unique())
    warnings = [
        f"codebook indicator {indicator!r} is used by no coded row"
        for indicator in sorted(set(codebook.indicators.index) - used)
    ]
    return StepResult(indicators, quarantine, counts, warnings)


def read_documents(raw: Path, sources: list[dict[str, Any]]) -> dict[str, str]:
    """The text of every source document of the manifest, by source_id (one read per file).

    Examples
    --------
    >>> from kexie_research import config
    >>> from kexie_research.steps.sources import read_document, read_sources
    >>> texts = read_documents(config.raw_dir(), read_sources())
    >>> texts["wuzhou_article"] == read_document("wuzhou_article")
    True
    """
    return {entry["source_id"]: document_path(raw, entry["file"]).read_text(encoding="utf-8") for entry in sources}


def run(raw: Path, sources: list[dict[str, Any]], codebook: Codebook, resolver: PlaceResolver) -> StepResult:
    """Read, check and clean every coding sheet of ``raw``: the processed table and its quarantine.

    ``sources`` is the verified manifest (:func:`~kexie_research.steps.sources.verify_sources`).
    Raises :class:`SheetError` for a sheet that cannot be read; every row-level problem is a
    quarantine row. See the module docstring for the checks and an example.

    Examples
    --------
    >>> from kexie_research import config
    >>> from kexie_research.steps.codebook import read_codebook
    >>> from kexie_research.steps.sources import verify_sources
    >>> raw = config.raw_dir()
    >>> step = run(raw, verify_sources(raw), read_codebook(raw), PlaceResolver.from_raw(raw))
    >>> list(step.indicators.columns[:4]), list(step.indicators.columns[-2:])
    (['record_id', 'source_id', 'case', 'case_zh'], ['page', 'note'])
    """
    by_id = {entry["source_id"]: entry for entry in sources}
    documents = read_documents(raw, sources)
    sheets = read_sheets(raw, list(by_id))
    processed, quarantined = clean(sheets, codebook, resolver, by_id, documents)
    return finish(sheets, processed, quarantined, sources, codebook)
