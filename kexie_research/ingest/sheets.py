"""Spreadsheets coders use: drafts as CSV with a byte-order mark or as a formatted ``.xlsx``
workbook, and coding sheets or drafts read back from ``.xlsx``.

* A CSV draft is written in UTF-8 **with** a byte-order mark, so that Excel shows the Chinese
  (without one it guesses the legacy code page and shows mojibake). Every reader of drafts and
  coding sheets accepts the mark.
* ``-o draft.xlsx`` writes a workbook (openpyxl): the CJK font ``Noto Sans CJK SC``, the header bold
  and frozen, the quote column wrapped, widths fitted to the content (CJK characters count two).
  Every cell is written as **text**: a cell such as ``=HYPERLINK(…)`` or ``+5`` is never stored as a
  formula, so opening the draft runs nothing.
* A workbook is read back (:func:`read_xlsx`) from its first sheet: row 1 is the header, every cell
  text (a number typed into a cell is written as typed: ``12``, ``5.6``), and each record keeps its
  spreadsheet row number, the "line" that errors and quarantine reasons name. A formula typed into
  a cell reads as its text (``=SUM(A1:A3)``), which the coding-sheet checks refuse like in a CSV.

Writes are atomic (:func:`kexie_research.atomic.atomic_output`: a temporary file, then a rename).

Example::

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "draft.xlsx"
    >>> write_table(pd.DataFrame({"quote": ["=1+1", "科协"], "raw_text": ["3个", ""]}), path)
    >>> read_xlsx(path)
    (['quote', 'raw_text'], [['=1+1', '3个'], ['科协', '']], [2, 3])
"""

from __future__ import annotations

import datetime
import math
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kexie_research.errors import SheetError

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is written
    from openpyxl import Workbook

__all__ = ["CJK_FONT", "cell_text", "read_table", "read_xlsx", "write_table"]

#: Font of every cell of a written workbook (Excel and LibreOffice fall back to another CJK font).
CJK_FONT = "Noto Sans CJK SC"
_WRAPPED = {"quote": 60, "note": 40}  # columns wrapped, and their widths in characters
_MAX_WIDTH = 30
_XLSX = (".xlsx", ".xlsm")


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def write_table(frame: pd.DataFrame, path: Path | str) -> None:
    """Write a draft (or any table of text) atomically: ``.xlsx`` as a workbook, else CSV with a BOM.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "draft.csv"
    >>> write_table(pd.DataFrame({"quote": ["科协"]}), path)
    >>> path.read_bytes()[:3]
    b'\\xef\\xbb\\xbf'
    """
    from kexie_research.atomic import atomic_output

    path = Path(path)
    if path.suffix.lower() in _XLSX:
        book = _workbook(frame)
        with atomic_output(path, "wb") as stream:
            book.save(stream)
    else:
        with atomic_output(path, encoding="utf-8-sig") as stream:  # the codec writes the byte-order mark
            frame.to_csv(stream, index=False, lineterminator="\n")


def _workbook(frame: pd.DataFrame) -> Workbook:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "draft"
    font, bold = Font(name=CJK_FONT), Font(name=CJK_FONT, bold=True)
    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    columns = [str(c) for c in frame.columns]
    for c, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=c, value=name)
        cell.font = bold
    for r, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and not pd.isna(value):
                cell.value = value  # numbers (value, offset, confidence …) stay numbers
            else:
                cell.value = (
                    ""
                    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA
                    else str(value)
                )
                cell.data_type = "s"  # text, even when it starts with = + - @: never a formula
            cell.font = font
            cell.alignment = wrap if columns[c - 1] in _WRAPPED else top
    for c, name in enumerate(columns, start=1):
        if name in _WRAPPED:
            width = _WRAPPED[name]
        else:
            sample = [name, *(str(v) for v in frame.iloc[:500, c - 1].tolist() if v is not None)]
            width = min(max(_display_width(text) for text in sample) + 2, _MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = sheet.dimensions
    return book


def cell_text(value: Any) -> str:
    """A workbook cell as the text a coder typed: numbers without a trailing ``.0``, days in ISO form.

    Examples
    --------
    >>> cell_text(12.0), cell_text(5.6), cell_text(None), cell_text(datetime.datetime(2023, 6, 12))
    ('12', '5.6', '', '2023-06-12')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path | str) -> tuple[list[str], list[list[str]], list[int]]:
    """The header, the records (cells as text) and each record's spreadsheet row of a workbook's first sheet.

    Empty rows are skipped (their numbers are kept by the others); a record has at least the header's
    width (empty trailing cells are empty fields) and more only when a cell beyond the header's last
    column holds something, which the caller judges. :class:`SheetError` names the file.

    Examples
    --------
    >>> read_xlsx("/nonexistent.xlsx")
    Traceback (most recent call last):
    ...
    kexie_research.errors.SheetError: /nonexistent.xlsx: cannot read the workbook (FileNotFoundError: ...)
    """
    from openpyxl import load_workbook

    path = Path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # zipfile, lxml and openpyxl raise many kinds; one error naming the file
        raise SheetError(f"{path}: cannot read the workbook ({type(exc).__name__}: {exc})") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise SheetError(f"{path}: the workbook has no sheet")
        header: list[str] | None = None
        records: list[list[str]] = []
        lines: list[int] = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(value) for value in row]
            while cells and cells[-1] == "":
                cells.pop()
            if not cells:
                continue
            if header is None:
                if number != 1:
                    raise SheetError(
                        f"{path}: the header must be in row 1 of the first sheet (found it in row {number})"
                    )
                header = [cell.strip() for cell in cells]
                continue
            records.append(cells + [""] * (len(header) - len(cells)))  # empty trailing cells are empty fields
            lines.append(number)
    finally:
        book.close()
    if header is None:
        raise SheetError(f"{path}: the first sheet of the workbook is empty; expected a header in row 1")
    return header, records, lines


def read_table(path: Path | str) -> pd.DataFrame:
    """A draft as strings, from CSV (with or without a BOM) or a workbook; :class:`SheetError` naming the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = path.write_bytes(b"\\xef\\xbb\\xbfkind,raw_text\\nfact,3\\n")
    >>> read_table(path).columns.tolist()
    ['kind', 'raw_text']
    """
    path = Path(path)
    if path.suffix.lower() in _XLSX:
        header, records, _ = read_xlsx(path)
        width = len(header)
        rows = [(record + [""] * width)[:width] for record in records]
        return pd.DataFrame(rows, columns=header, dtype=object).astype(str) if rows else pd.DataFrame(columns=header)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SheetError(f"{path}: cannot read draft: {exc}") from None
