"""The coding-sheet step: ``data/raw/indicators/*.csv`` -> checked indicator table + quarantine.

Every coding sheet is read strictly (UTF-8 without BOM, the documented columns, every cell as text,
each record numbered by the line of the file where it starts). The rows are then checked and
cleaned **a whole column at a time**: each distinct scope, period, quantity text and (document,
quote) pair is resolved once and the results are joined back to the rows, so a million coded rows
cost about as much as their few thousand distinct forms.

A row that fails a check is never dropped: it goes to the quarantine table with a reason naming the
sheet, the line and the problem. The checks, in the order that decides the reason of a row with
several problems:

1. the record has as many fields as the header;
2. ``record_id`` is not a duplicate of an earlier row;
3. no text cell holds a control character (line breaks aside) or starts like a spreadsheet formula
   (``=`` ``+`` ``-`` ``@``; for ``raw_text`` only ``=`` and ``@``, since a sign belongs to a number
   such as ``-5%``); the cell is never altered, the row is quarantined;
4. required cells are filled; ``status``, ``scope_level`` and ``indicator_id`` are known;
5. the quote is in its document and ``raw_text`` in its quote at number boundaries
   (:mod:`kexie_research.parse.provenance`);
6. ``raw_text`` parses to a finite quantity, ``period_text`` to a period, ``scope_zh`` to a place;
   *any* exception a parser raises becomes the row's reason, so one bad cell never stops the build;
7. the parsed unit fits the indicator's, a target period has status ``target``, and the place's
   level fits ``scope_level``;
8. the processed row passes the pandera schema (:mod:`kexie_research.schemas.indicators`).

Examples
--------
>>> from kexie_research import config
>>> from kexie_research.steps.codebook import load_codebook
>>> from kexie_research.steps.places import PlaceResolver
>>> from kexie_research.steps.sources import verify_sources
>>> raw = config.raw_dir()
>>> step = run(raw, verify_sources(raw), load_codebook(raw), PlaceResolver.from_raw(raw))
>>> int(step.counts.loc["total", "coded"]) == len(step.indicators) + len(step.quarantine)
True
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from kexie_research.errors import KexieError, ParseError, SheetError
from kexie_research.parse.periods import Period, parse_period
from kexie_research.parse.provenance import check_raw_text, locate_quote, normalise_for_matching
from kexie_research.parse.quantities import parse_quantities, parse_quantity
from kexie_research.schemas.indicators import (
    INDICATOR_COLUMNS,
    QUARANTINE_COLUMNS,
    SCOPE_LEVELS,
    SHEET_COLUMNS,
    STATUSES,
    validate_indicators,
)
from kexie_research.steps.codebook import Codebook
from kexie_research.steps.places import Place, PlaceResolver, UnknownPlaceError
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
# Control characters (C0 and C1) other than the line feed: quotes keep the print layout's line
# breaks, anything else invisible in a cell is a copy-paste accident or an attack on a spreadsheet.
CONTROL_PATTERN = r"[\x00-\x09\x0b-\x1f\x7f-\x9f]"
_CONTROL_RE = re.compile(CONTROL_PATTERN)
# First characters that make a spreadsheet run a cell as a formula. A number may carry a sign,
# so raw_text is only refused for = and @ (a wrong sign still fails the raw_text-in-quote check).
FORMULA_CHARS = {name: "=@" if name == "raw_text" else "=+-@" for name in SHEET_COLUMNS}
# Internal column of a read sheet: a problem of the record itself (wrong number of fields).
READ_PROBLEM = "read_problem"
_CHUNK = 50_000  # records converted to columns at a time: bounds the Python objects alive at once


class RowRejected(KexieError):
    """A coded row failed a check; it goes to quarantine with this message as its reason."""


class StepResult(NamedTuple):
    """What the step returns: the processed table, the quarantine, per-case counts and warnings."""

    indicators: pd.DataFrame
    quarantine: pd.DataFrame
    counts: pd.DataFrame
    warnings: list[str]


# ------------------------------------------------------------------------------------------------
# Reading sheets
# ------------------------------------------------------------------------------------------------
def read_sheet(path: Path) -> pd.DataFrame:
    """Read one coding sheet strictly: UTF-8 without BOM, the documented columns, all as text.

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
    data = path.read_bytes()
    if not data.strip():
        raise SheetError(f"{path}: the sheet is empty ({len(data)} bytes); expected a header line with the columns "
                         f"{', '.join(SHEET_COLUMNS)}")
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
    del data
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
        raise SheetError(f"{path}: malformed CSV at line {reader.line_num}: {exc}") from exc
    assert header is not None  # a non-blank file has a first record
    chunks.append(_columns(header, records, lines, problems))
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    frame.insert(0, "sheet", pd.array([path.name] * len(frame), dtype="str"))
    return frame


def _check_header(path: Path, header: list[str]) -> None:
    required = [name for name, (is_required, _) in SHEET_COLUMNS.items() if is_required]
    missing = [name for name in required if name not in header]
    if missing:
        raise SheetError(
            f"{path}: missing required column(s) {', '.join(missing)}; expected columns: {', '.join(SHEET_COLUMNS)}"
        )
    unexpected = [name for name in header if name not in SHEET_COLUMNS]
    if unexpected:
        raise SheetError(f"{path}: unexpected column(s) {', '.join(unexpected)}; expected columns: {', '.join(SHEET_COLUMNS)}")
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
    >>> sheets.loc[0, ["sheet", "row", "source_id"]].tolist()
    ['chengdu_notes.csv', 2, 'chengdu_notes']
    """
    folder = raw / SHEETS_DIR
    sheets = sorted(folder.glob("*.csv"))
    unknown = [path.name for path in sheets if path.stem not in source_ids]
    if unknown:
        raise SheetError(f"{folder}: sheet(s) {', '.join(unknown)} match no source_id; valid: {', '.join(s + '.csv' for s in source_ids)}")
    frames = []
    for path in sheets:
        frame = read_sheet(path)
        frame["source_id"] = pd.array([path.stem] * len(frame), dtype="str")
        frames.append(frame)
    if not frames:
        raise SheetError(f"{folder}: no coding sheets found")
    return pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------------------------------------------
# Row checks shared by the column-wise step and any row-by-row use
# ------------------------------------------------------------------------------------------------
def text_cell_problem(name: str, cell: str) -> str | None:
    """Why a text cell is refused (``None`` if it is fine): a control character or a formula start.

    Examples
    --------
    >>> text_cell_problem("quote", "=HYPERLINK(1)")
    "column 'quote' starts with '=', which a spreadsheet runs as a formula; rewrite the cell (the build never alters data)"
    >>> text_cell_problem("note", "a\\x00b")
    "column 'note' holds the control character U+0000; remove it (the build never alters data)"
    >>> text_cell_problem("raw_text", "-5%") is None
    True
    """
    found = _CONTROL_RE.search(cell)
    if found:
        return f"column {name!r} holds the control character U+{ord(found.group()):04X}; remove it (the build never alters data)"
    if cell and cell[0] in FORMULA_CHARS.get(name, ""):
        return (f"column {name!r} starts with {cell[0]!r}, which a spreadsheet runs as a formula; "
                "rewrite the cell (the build never alters data)")
    return None


def parser_failure(what: str, text: str, exc: BaseException) -> str:
    """The reason for a cell that made a parser raise: its own message, or the exception named.

    The parsers raise :class:`ParseError` with a message quoting the text; anything else (an
    ``OverflowError`` deep in a numeral library …) is named with the text, so that one bad cell is
    quarantined instead of stopping the build.

    Examples
    --------
    >>> parser_failure("period", "二九二五", OverflowError("signed integer is greater than maximum"))
    "cannot parse period '二九二五': OverflowError: signed integer is greater than maximum"
    """
    if isinstance(exc, (ParseError, UnknownPlaceError)):
        return str(exc)
    return f"cannot parse {what} {text!r}: {type(exc).__name__}: {exc}"


def non_finite(raw_text: str, value: float, low: float, high: float) -> str | None:
    """Why a parsed quantity is refused for being infinite or NaN (``None`` if it is finite).

    Examples
    --------
    >>> non_finite("9人", 9.0, float("nan"), float("nan")) is None
    True
    >>> non_finite("99…9人", float("inf"), float("nan"), float("nan"))
    "raw_text '99…9人' reads as a non-finite value (inf)"
    """
    if not math.isfinite(value) or math.isinf(low) or math.isinf(high):
        return f"raw_text {raw_text!r} reads as a non-finite value ({value if not math.isfinite(value) else low if math.isinf(low) else high})"
    return None


def safe_period(text: str, reference_date: str | None) -> Period | str:
    """``parse_period`` of a sheet cell, or the reason it failed (never raises).

    Examples
    --------
    >>> safe_period("2020年", None).end
    '2020-12-31'
    """
    try:
        return parse_period(text.strip() or None, reference_date or None)
    except Exception as exc:  # noqa: BLE001 - any parser failure is the row's reason, never a crash
        return parser_failure("period", text, exc)


def safe_place(resolver: PlaceResolver, scope_zh: str) -> Place | str:
    """``resolver.resolve`` of a scope, or the reason it failed (never raises).

    Examples
    --------
    >>> safe_place(PlaceResolver.from_raw(), "藤县科协").admin_code
    '450422'
    """
    try:
        return resolver.resolve(scope_zh)
    except Exception as exc:  # noqa: BLE001 - as above
        return parser_failure("scope", scope_zh, exc)


def _case(entry: dict[str, Any]) -> tuple[str, str]:
    # The manifest key is `case` (`city` in manifests written before 0.2.0).
    return entry.get("case", entry.get("city")), entry.get("case_zh", entry.get("city_zh"))


# ------------------------------------------------------------------------------------------------
# Column-wise cleaning
# ------------------------------------------------------------------------------------------------
def _distinct(*columns: pd.Series) -> tuple[np.ndarray, list[tuple]]:
    """Codes per row and the distinct value tuples of several aligned columns (no missing values)."""
    codes = np.zeros(len(columns[0]), dtype="int64")
    uniques: list[tuple] = [()]
    for column in columns:
        column_codes, column_uniques = pd.factorize(column)
        combined = codes * max(len(column_uniques), 1) + column_codes
        codes, first = pd.factorize(combined)
        # Rebuild the tuples of the new codes from the old tuple and this column's value.
        size = max(len(column_uniques), 1)
        values = list(column_uniques)
        uniques = [(*uniques[key // size], values[key % size]) for key in first.tolist()]
    return codes, uniques


def _per_distinct(columns: Sequence[pd.Series], func: Callable[..., Any]) -> tuple[np.ndarray, list[Any]]:
    """Apply ``func`` once per distinct tuple of ``columns``; return codes per row and results."""
    codes, uniques = _distinct(*columns)
    return codes, [func(*values) for values in uniques]


def _take_str(results: list[Any], codes: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(pd.array(results, dtype="str").take(codes), index=index)


class _Reasons:
    """The first reason of every row, filled check by check in the documented order."""

    def __init__(self, sheets: pd.DataFrame) -> None:
        self.sheets = sheets
        self.reason = pd.Series(pd.array([None] * len(sheets), dtype="str"), index=sheets.index)

    @property
    def pending(self) -> pd.Series:
        """Rows without a reason yet."""
        return self.reason.isna()

    def where(self, mask: pd.Series) -> pd.Series:
        rows = self.sheets.loc[mask]
        return rows["sheet"] + " row " + rows["row"].astype("str")

    def add(self, mask: pd.Series, message: Callable[[pd.DataFrame], pd.Series], separator: str = ": ") -> None:
        """Give ``mask`` rows still pending the reason ``where: message(rows)``."""
        mask = mask & self.pending
        if mask.any():
            self.reason[mask] = self.where(mask) + separator + message(self.sheets.loc[mask])


def _messages(rows: pd.DataFrame, columns: list[str], func: Callable[..., str]) -> pd.Series:
    codes, results = _per_distinct([rows[name] for name in columns], func)
    return _take_str(results, codes, rows.index)


def clean(sheets: pd.DataFrame, codebook: Codebook, resolver: PlaceResolver, sources: dict[str, dict[str, Any]],
          documents: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check and clean every row column by column: ``(processed rows, quarantined rows)``.

    ``processed`` keeps the index of ``sheets`` (its rows' positions), so that a later schema
    failure finds its row again; ``quarantined`` has the quarantine columns and a ``reason``.

    Examples
    --------
    >>> from kexie_research import config
    >>> from kexie_research.steps.codebook import load_codebook
    >>> from kexie_research.steps.sources import verify_sources
    >>> raw = config.raw_dir()
    >>> manifest = {entry["source_id"]: entry for entry in verify_sources(raw)}
    >>> docs = {sid: read_document(sid, raw) for sid in manifest}
    >>> processed, quarantined = clean(read_sheets(raw, list(manifest)), load_codebook(raw),
    ...                                PlaceResolver.from_raw(raw), manifest, docs)
    >>> processed.set_index("record_id").loc["WZ-004", "value"], len(quarantined)
    (np.float64(205200.0), 0)
    """
    reasons = _Reasons(sheets)
    record_id = sheets["record_id"].str.strip()

    # 1. the record itself
    reasons.add(sheets[READ_PROBLEM].notna(), lambda rows: rows[READ_PROBLEM])
    # 2. duplicate ids: every later row with an id seen before (whatever became of the first one)
    named = record_id != ""
    duplicate = named & record_id.duplicated(keep="first")
    if duplicate.any():
        first = named & ~record_id.duplicated(keep="first") & record_id.isin(record_id[duplicate])
        first_where = dict(zip(record_id[first], reasons.where(first)))
        reasons.add(duplicate, lambda rows: _messages(
            rows.assign(rid=record_id[rows.index]), ["rid"],
            lambda rid: f"duplicate record_id {rid!r} (first in {first_where[rid]})"))
    # 3. text cells: control characters and formula starts
    for name in SHEET_COLUMNS:
        column = sheets[name]
        suspicious = column.str.contains(CONTROL_PATTERN, regex=True) | column.str.startswith(tuple(FORMULA_CHARS[name]))
        reasons.add(suspicious, lambda rows, name=name: _messages(rows, [name], lambda cell: text_cell_problem(name, cell)))
    # 4. required cells and closed vocabularies
    for name, (is_required, _) in SHEET_COLUMNS.items():
        if is_required:
            reasons.add(sheets[name].str.strip() == "", lambda rows, name=name: pd.Series(f"empty required column {name!r}", index=rows.index))
    status = sheets["status"].str.strip()
    reasons.add(~status.isin(STATUSES), lambda rows: _messages(
        rows.assign(st=status[rows.index]), ["st"], lambda st: f"status {st!r} is not one of {', '.join(STATUSES)}"))
    scope_level = sheets["scope_level"].str.strip()
    reasons.add(~scope_level.isin(SCOPE_LEVELS), lambda rows: _messages(
        rows.assign(sl=scope_level[rows.index]), ["sl"], lambda sl: f"scope_level {sl!r} is not one of {', '.join(SCOPE_LEVELS)}"))
    indicator_id = sheets["indicator_id"].str.strip()
    reasons.add(~indicator_id.isin(codebook.indicators.index), lambda rows: _messages(
        rows.assign(ind=indicator_id[rows.index]), ["ind"],
        lambda ind: f"unknown indicator_id {ind!r} (not in data/raw/codebook.yaml)"))

    # 5. provenance: each (document, quote) located once, each (quote, raw_text) matched once
    live = reasons.pending
    rows = sheets.loc[live]
    codes, offsets = _per_distinct([rows["source_id"], rows["quote"]], lambda sid, quote: locate_quote(quote, documents[sid]))
    quote_offset = pd.Series(np.array([-1 if o is None else o for o in offsets], dtype="int64").take(codes), index=rows.index)
    file_of = {sid: entry["file"] for sid, entry in sources.items()}
    reasons.add((quote_offset < 0).reindex(sheets.index, fill_value=False), lambda bad: _messages(
        bad, ["source_id", "quote"],
        lambda sid, quote: f" (document {file_of[sid]}): quote not found in the document (after removing line breaks): {quote[:60]!r}"),
        separator="")
    live = reasons.pending
    rows = sheets.loc[live]
    codes, problems = _per_distinct([rows["quote"], rows["raw_text"]], lambda quote, raw: check_raw_text(raw, quote))
    mismatch = pd.Series(np.array([p is not None for p in problems], dtype=bool).take(codes), index=rows.index)
    reasons.add(mismatch.reindex(sheets.index, fill_value=False), lambda bad: _messages(
        bad, ["source_id", "quote", "raw_text"], lambda sid, quote, raw: f" (document {file_of[sid]}): {check_raw_text(raw, quote)}"),
        separator="")

    # 6. parsers, each distinct text once
    rows = sheets.loc[reasons.pending]
    quantities = _parse_quantities(rows["raw_text"].str.replace("\n", "", regex=False))
    reasons.add(quantities["error"].notna().reindex(sheets.index, fill_value=False),
                lambda bad: quantities.loc[bad.index, "error"])
    rows = sheets.loc[reasons.pending]
    reference = _map(rows["source_id"], {sid: entry.get("reference_date") or "" for sid, entry in sources.items()})
    codes, periods = _per_distinct([rows["period_text"], reference], safe_period)
    period_code = pd.Series(codes, index=rows.index)
    failed = np.array([isinstance(p, str) for p in periods], dtype=bool)
    reasons.add(pd.Series(failed.take(codes), index=rows.index).reindex(sheets.index, fill_value=False),
                lambda bad: _take_str([p if isinstance(p, str) else None for p in periods], period_code[bad.index].to_numpy(), bad.index))
    # Only the scopes of rows still standing are resolved: the resolver records which aliases were used.
    rows = sheets.loc[reasons.pending]
    codes, places = _per_distinct([rows["scope_zh"]], lambda scope: safe_place(resolver, scope))
    place_code = pd.Series(codes, index=rows.index)
    failed = np.array([isinstance(p, str) for p in places], dtype=bool)
    reasons.add(pd.Series(failed.take(codes), index=rows.index).reindex(sheets.index, fill_value=False),
                lambda bad: _take_str([p if isinstance(p, str) else None for p in places], place_code[bad.index].to_numpy(), bad.index))

    # 7. consistency of the parsed values with the codebook, the status and the scope level
    rows = sheets.loc[reasons.pending]
    indicator_unit = _map(indicator_id[rows.index], codebook.indicators["unit"].to_dict())
    parsed_unit = quantities.loc[rows.index, "unit"]
    codes, accepted = _per_distinct([indicator_unit, parsed_unit], codebook.unit_accepts)
    refused = pd.Series(~np.array(accepted, dtype=bool).take(codes), index=rows.index)
    reasons.add(refused.reindex(sheets.index, fill_value=False), lambda bad: _messages(
        bad.assign(ind=indicator_id[bad.index], iunit=indicator_unit[bad.index], punit=parsed_unit[bad.index]),
        ["raw_text", "ind", "iunit", "punit"],
        lambda raw, ind, iunit, punit: f"raw_text {raw!r} reads as unit {punit!r}, but indicator {ind!r} is measured in {iunit!r}"))
    is_target_period = pd.Series(np.array([not isinstance(p, str) and p.is_target for p in periods], dtype=bool)
                                 .take(period_code[rows.index].to_numpy()), index=rows.index)
    conflict = is_target_period & (status[rows.index] != "target")
    reasons.add(conflict.reindex(sheets.index, fill_value=False), lambda bad: _messages(
        bad.assign(st=status[bad.index]), ["period_text", "st"],
        lambda period, st: f"period {period!r} states a target but status is {st!r}"))
    place_level = _take_str([None if isinstance(p, str) else p.level for p in places], place_code[rows.index].to_numpy(), rows.index)
    codes, fits = _per_distinct([place_level, scope_level[rows.index]], lambda level, sl: level in SCOPE_LEVEL_PLACES[sl])
    misfit = pd.Series(~np.array(fits, dtype=bool).take(codes), index=rows.index)
    reasons.add(misfit.reindex(sheets.index, fill_value=False), lambda bad: _messages(
        bad.assign(sl=scope_level[bad.index], pcode=place_code[bad.index].astype("str")), ["scope_zh", "pcode", "sl"],
        lambda scope, pcode, sl: (f"scope {scope!r} resolves to {places[int(pcode)].name_zh} ({places[int(pcode)].level}), "
                                  f"which does not fit scope_level {sl!r}")))

    # The processed rows: distinct results broadcast back to the rows that passed every check.
    rows = sheets.loc[reasons.pending]
    index = rows.index
    case_of = {sid: _case(entry) for sid, entry in sources.items()}
    pcodes = place_code[index].to_numpy()
    pcodes_period = period_code[index].to_numpy()
    indicator = indicator_id[index]
    cb = codebook.indicators
    factor = _factor(codebook, quantities.loc[index, "unit"], indicator_unit[index])
    quantity = quantities.loc[index]
    is_target = (status[index] == "target").to_numpy()
    processed = pd.DataFrame(
        {
            "record_id": record_id[index],
            "source_id": rows["source_id"],
            "case": _map(rows["source_id"], {sid: case for sid, (case, _) in case_of.items()}),
            "case_zh": _map(rows["source_id"], {sid: case_zh for sid, (_, case_zh) in case_of.items()}),
            "province": _map(rows["source_id"], {sid: entry["province"] for sid, entry in sources.items()}),
            "scope_zh": rows["scope_zh"],
            "scope_level": scope_level[index],
            "admin_code": _take_str([p.admin_code if isinstance(p, Place) else None for p in places], pcodes, index),
            "place_zh": _take_str([p.name_zh if isinstance(p, Place) else None for p in places], pcodes, index),
            "parent_city_code": _take_str([p.parent_city_code if isinstance(p, Place) else None for p in places], pcodes, index),
            "indicator_id": indicator,
            "indicator_zh": _map(indicator, cb["zh"].to_dict()),
            "indicator_en": _map(indicator, cb["en"].to_dict()),
            "dimension": _map(indicator, cb["dimension"].to_dict()),
            "period_text": rows["period_text"].where(rows["period_text"] != ""),
            "period_start": _take_str([p.start if isinstance(p, Period) else None for p in periods], pcodes_period, index),
            "period_end": _take_str([p.end if isinstance(p, Period) else None for p in periods], pcodes_period, index),
            "is_target": is_target,
            "raw_text": rows["raw_text"],
            "value": quantity["value"].to_numpy() * factor,
            "low": quantity["low"].to_numpy() * factor,
            "high": quantity["high"].to_numpy() * factor,
            "unit": _map(indicator, cb["unit"].to_dict()),
            "qualifier": quantity["qualifier"],
            "quote": rows["quote"].str.replace("\n", "", regex=False),
            "quote_offset": quote_offset[index].to_numpy(),
            "note": rows["note"].where(rows["note"] != ""),
        },
        index=index,
    )
    processed["city"] = processed["case"]
    processed["city_zh"] = processed["case_zh"]
    bad = reasons.reason.notna()
    quarantined = sheets.loc[bad].assign(reason=reasons.reason[bad])[QUARANTINE_COLUMNS]
    return typed(processed), quarantined


def _map(series: pd.Series, mapping: dict[Hashable, Any]) -> pd.Series:
    """``series.map(mapping)`` through its distinct values (str results)."""
    codes, uniques = pd.factorize(series)
    return _take_str([mapping.get(value) for value in uniques], codes, series.index)


def _factor(codebook: Codebook, parsed_unit: pd.Series, indicator_unit: pd.Series) -> np.ndarray:
    codes, factors = _per_distinct([parsed_unit, indicator_unit], codebook.unit_factor)
    return np.asarray(factors, dtype="float64").take(codes)


def _parse_quantities(texts: pd.Series) -> pd.DataFrame:
    """Quantities of a column of texts (line breaks removed), each distinct text once, never raising.

    Returns value, low, high, unit, qualifier and ``error``: the row's reason, or missing. The bulk
    goes through :func:`parse_quantities`; a failing text is parsed again alone to quote the
    parser's own message (or the exception, if the parser raised anything but ParseError).
    """
    codes, uniques = pd.factorize(texts)
    distinct = pd.Series(pd.array(list(uniques), dtype="str"))
    try:
        parsed = parse_quantities(distinct, errors="coerce")
    except Exception:  # noqa: BLE001 - one text broke the batch: parse each alone below
        parsed = pd.DataFrame({"value": np.nan, "low": np.nan, "high": np.nan, "unit": None, "qualifier": None,
                               "error": "?"}, index=distinct.index).astype({"unit": "str", "qualifier": "str", "error": "str"})
    errors = parsed["error"].astype(object).where(parsed["error"].notna(), None).tolist()
    for position in np.flatnonzero(parsed["error"].notna().to_numpy()):
        text = uniques[position]
        try:
            quantity = parse_quantity(text)
        except Exception as exc:  # noqa: BLE001 - any parser failure is the row's reason
            errors[position] = parser_failure("quantity", text, exc)
        else:  # the batch failed as a whole; this text is fine
            errors[position] = None
            parsed.loc[position, ["value", "low", "high"]] = [quantity.value, quantity.low, quantity.high]
            parsed.loc[position, ["unit", "qualifier"]] = [quantity.unit, quantity.qualifier]
    value, low, high = (parsed[name].to_numpy(dtype="float64") for name in ("value", "low", "high"))
    for position in np.flatnonzero(~np.isfinite(value) | np.isinf(low) | np.isinf(high)):
        if errors[position] is None:
            errors[position] = non_finite(uniques[position], value[position], low[position], high[position])
    return pd.DataFrame(
        {
            "value": value.take(codes),
            "low": low.take(codes),
            "high": high.take(codes),
            "unit": parsed["unit"].array.take(codes),
            "qualifier": parsed["qualifier"].array.take(codes),
            "error": pd.array(errors, dtype="str").take(codes),
        },
        index=texts.index,
    )


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
    for name in ("value", "low", "high"):
        frame[name] = frame[name].astype("float64")
    return frame


def finish(sheets: pd.DataFrame, processed: pd.DataFrame, quarantined: pd.DataFrame, sources: list[dict[str, Any]],
           codebook: Codebook) -> StepResult:
    """Validate the cleaned rows with the schema, sort both tables and account for every row.

    A row that fails the schema joins the quarantine with the failed check as its reason.

    Examples
    --------
    >>> empty = read_sheets.__doc__ is not None  # see :func:`run` for a full example
    >>> empty
    True
    """
    valid, failures = validate_indicators(processed)
    if not failures.empty:
        failed = sheets.loc[failures["index"].to_numpy()]
        where = failed["sheet"] + " row " + failed["row"].astype("str") + ": "
        quarantined = pd.concat(
            [quarantined, failed.assign(reason=where + failures["reason"].to_numpy())[QUARANTINE_COLUMNS]])
    indicators = valid.sort_values("record_id", ignore_index=True)
    quarantine = quarantined.sort_values(["sheet", "row"], ignore_index=True)
    quarantine["reason"] = quarantine["reason"].astype("str")

    case_of_source = {entry["source_id"]: _case(entry)[0] for entry in sources}
    cases = list(dict.fromkeys(case_of_source.values()))  # a case may have several sources
    counts = pd.DataFrame({
        "coded": _map(sheets["source_id"], case_of_source).value_counts(),
        "processed": indicators["case"].value_counts(),
        "quarantined": _map(quarantine["source_id"], case_of_source).value_counts(),
    }).reindex(cases).fillna(0).astype(int)
    counts.index.name = None
    counts.loc["total"] = counts.sum()
    if not (counts["coded"] == counts["processed"] + counts["quarantined"]).all():
        raise KexieError(f"row accounting broken (coded != processed + quarantined):\n{counts}")
    used = set(sheets["indicator_id"].str.strip().unique())
    warnings = [f"codebook indicator {indicator!r} is used by no coded row"
                for indicator in sorted(set(codebook.indicators.index) - used)]
    return StepResult(indicators, quarantine, counts, warnings)


def run(raw: Path, sources: list[dict[str, Any]], codebook: Codebook, resolver: PlaceResolver) -> StepResult:
    """Read, check and clean every coding sheet of ``raw``: the processed table and its quarantine.

    ``sources`` is the verified manifest (:func:`~kexie_research.steps.sources.verify_sources`).
    Raises :class:`SheetError` for a sheet that cannot be read; every row-level problem is a
    quarantine row. See the module docstring for the checks and an example.

    Examples
    --------
    >>> from kexie_research import config
    >>> from kexie_research.steps.codebook import load_codebook
    >>> from kexie_research.steps.sources import verify_sources
    >>> raw = config.raw_dir()
    >>> step = run(raw, verify_sources(raw), load_codebook(raw), PlaceResolver.from_raw(raw))
    >>> list(step.indicators.columns[:4]), list(step.indicators.columns[-2:])
    (['record_id', 'source_id', 'case', 'case_zh'], ['city', 'city_zh'])
    """
    by_id = {entry["source_id"]: entry for entry in sources}
    documents = {entry["source_id"]: read_document(entry["source_id"], raw) for entry in sources}
    sheets = read_sheets(raw, list(by_id))
    processed, quarantined = clean(sheets, codebook, resolver, by_id, documents)
    return finish(sheets, processed, quarantined, sources, codebook)
