"""A formatted Excel workbook from data frames: Chinese font, bold frozen header, wrapped long text.

Cells are written as values, never formulas: a text beginning with ``=`` is stored as text
(openpyxl's ``data_type = "s"``), so opening the workbook runs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

# A font that Excel and LibreOffice have or substitute for Chinese; the Latin glyphs come with it.
WORKBOOK_FONT = "Noto Sans CJK SC"
WIDE_COLUMN = 60
NARROW_LIMIT = 40


def _cell_value(value: object) -> object:
    """A value openpyxl writes as itself: missing → empty, NumPy scalars → Python scalars."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def write_workbook(sheets: Mapping[str, pd.DataFrame], path: Path, wrap_columns: Iterable[str] = ()) -> Path:
    """Write each frame as a sheet of ``path``; columns named in ``wrap_columns`` wrap and are wide.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> target = Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> _ = write_workbook({"facts": pd.DataFrame({"quote": ["=1+1 梧州市"], "value": [3.0]})}, target, ["quote"])
    >>> sheet = openpyxl.load_workbook(target)["facts"]
    >>> sheet["A2"].value, sheet["A2"].data_type, sheet["A2"].alignment.wrap_text, sheet.freeze_panes
    ('=1+1 梧州市', 's', True, 'A2')
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wrap = set(wrap_columns)
    book = Workbook()
    book.remove(book.active)
    body_font = Font(name=WORKBOOK_FONT, size=10)
    header_font = Font(name=WORKBOOK_FONT, size=10, bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=str(name)[:31])
        for column_number, column in enumerate(frame.columns, start=1):
            cell = sheet.cell(row=1, column=column_number, value=str(column))
            cell.font, cell.fill = header_font, header_fill
            cell.data_type = "s"
            wrapped = column in wrap
            values = frame[column].tolist()
            for row_number, value in enumerate(values, start=2):
                cell = sheet.cell(row=row_number, column=column_number, value=_cell_value(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text: '=…' is never a formula
                cell.font = body_font
                cell.alignment = Alignment(wrap_text=wrapped, vertical="top")
            longest = max([len(str(column)), *(len(str(v)) for v in values if v is not None)], default=8)
            width = WIDE_COLUMN if wrapped else min(max(8, longest + 2), NARROW_LIMIT)
            sheet.column_dimensions[get_column_letter(column_number)].width = width
        sheet.freeze_panes = "A2"
        if len(frame.columns):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    book.save(path)
    return Path(path)
