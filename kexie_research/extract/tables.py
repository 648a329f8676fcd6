"""Tables in a plain-text document: rows, cells, and what a column's header says about its cells.

A table is two or more consecutive lines cut into at least two cells the same way: by tabs, by
pipes (``| a | b |``) or by runs of two or more spaces (aligned columns). Its first line is the
header when it holds no number standing alone in a cell. A header cell may carry

- a **unit** (``计划经费(万元)``, ``人数（人）``), which applies to the bare numbers below it, and
  a ``单位：万元`` line right above the table applies to every column; where the columns carry no
  unit, a row's label cell does (a statistical yearbook's ``企业科协  (个)  312 231 81``);
- a **row-number** column (``序号``, ``编号``; or cells counting 1, 2, 3 …): never a fact;
- a **plan** (``计划``, ``预算``, ``本年度``, ``拟``): its cells are targets;
- a **period** (``2020年``, ``2019年决算``): its cells' period.

A table copied from a web page one cell per line (each line ending with ``|``, an empty cell a lone
``|``) is read too: its header is the lines up to the first row number, and its rows as many lines
each, opening with their row numbers 1, 2, 3 ….

Line breaks end a row: the numbers of two rows are never read as one (the flat text removes
line breaks, so ``16`` over ``2`` would otherwise read as ``162``).

Example::

    >>> table = find_tables("序号\\t项目\\t计划经费(万元)\\n1\\t科普日\\t16\\n2\\t培训\\t8.5")[0]
    >>> [cell.text for cell in table.rows[0]], table.columns[2].unit, table.columns[0].row_number
    (['1', '科普日', '16'], '万元', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Cell", "Column", "Table", "find_tables"]

_UNIT_RE = re.compile(
    r"[（(]\s*(?:单位[：:]\s*)?(万元|亿元|千元|元|万人|人次|人|个|家|名|场|次|项|所|篇|期|件|册|份|%|％)\s*[）)]"
)
_UNIT_LINE_RE = re.compile(r"单位\s*[：:]\s*(万元|亿元|千元|元|万人|人次|人|个)")
_ROW_NUMBER_WORDS = ("序号", "编号", "序", "No", "NO", "no")
_PLAN_WORDS = ("计划", "预算", "本年度", "拟", "目标")
_PERIOD_RE = re.compile(r"((?:19|20)\d\d)\s*年")
_NUMBER_ONLY = re.compile(r"^[\s\d.,，%％-]+$")
_SEPARATOR_ROW = re.compile(r"^[\s|:：\-—=+]+$")


@dataclass(frozen=True)
class Cell:
    """One cell: its text and its span in the *flat* text (line breaks removed).

    Examples
    --------
    >>> cell = Cell("300", 40, 43)
    >>> cell.end - cell.start == len(cell.text)
    True
    """

    text: str
    start: int
    end: int


@dataclass
class Column:
    """What a column's header says: its text, unit, and whether it numbers rows or plans.

    Examples
    --------
    >>> find_tables("| 序号 | 经费（万元） |\\n| 1 | 16 |\\n| 2 | 20 |")[0].columns[0].row_number
    True
    """

    header: str = ""
    unit: str = ""
    row_number: bool = False
    planned: bool = False
    period: str = ""


@dataclass
class Table:
    """A table: its span in the flat text, the header's columns and the body rows.

    Examples
    --------
    >>> table = find_tables("| 项目 | 经费（万元） |\\n| 培训 | 16 |\\n| 讲座 | 20 |")[0]
    >>> column, cell, in_header = table.column_of(table.rows[0][1].start)
    >>> cell.text, column.unit, in_header
    ('16', '万元', False)
    """

    start: int
    end: int
    header: list[Cell] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    row_units: list[str] = field(default_factory=list)

    def row_span(self, position: int) -> tuple[int, int] | None:
        """The flat span of the body row holding a position (first cell to last), or ``None`` outside the body.

        A number in a table is quoted with its whole row: the label that says what it counts and the
        cells beside it, never a cut through a neighbouring number.

        Examples
        --------
        >>> flat = "企业科协  (个)  312 231 81乡镇科协  (个)  155"
        >>> table = find_tables("企业科协  (个)  312 231 81\\n乡镇科协  (个)  155")[0]
        >>> start, end = table.row_span(flat.index("231"))
        >>> flat[start:end]
        '企业科协  (个)  312 231 81'
        """
        for row in self.rows:
            if row and row[0].start <= position < row[-1].end:
                return row[0].start, row[-1].end
        return None

    def unit_at(self, position: int) -> tuple[str, str]:
        """The unit of the bare number at a flat position and where it is written: its column's header
        (or the ``单位`` line), else its row's label; ``("", "")`` when neither gives one.

        Examples
        --------
        >>> table = find_tables("机构数  (个)  15  4\\n机关人数  (人)  117  43")[0]
        >>> table.unit_at(table.rows[1][2].start)
        ('人', '机关人数 (人)')
        """
        column, cell, in_header = self.column_of(position)
        if column is not None and column.unit:
            return column.unit, column.header or "单位"
        if cell is None or in_header:
            return "", ""
        for row, unit in zip(self.rows, self.row_units):
            if unit and any(other is cell for other in row):
                return unit, " ".join(other.text for other in row if not _NUMBER_ONLY.match(other.text))[:40]
        return "", ""

    def column_of(self, position: int) -> tuple[Column | None, Cell | None, bool]:
        """The column, cell and whether the cell is in the header, for a flat position."""
        for is_header, row in ((True, self.header), *((False, row) for row in self.rows)):
            for number, cell in enumerate(row):
                if cell.start <= position < cell.end:
                    column = self.columns[number] if number < len(self.columns) else None
                    return column, cell, is_header
        return None, None, False


def _cells(line: str) -> list[tuple[str, int]] | None:
    """The cells of a line (text, offset in the line), or ``None`` when it is not a table row."""
    if "\t" in line:
        pattern = re.compile(r"[^\t]+")
    elif line.count("|") >= 2:
        pattern = re.compile(r"[^|]+")
    elif re.search(r"\S(?: {2,}|\u3000+)\S", line):
        pattern = re.compile(r"\S+(?: \S+)*")  # cells separated by two or more spaces
    else:
        return None
    cells = [
        (match.group().strip(), match.start() + len(match.group()) - len(match.group().lstrip()))
        for match in pattern.finditer(line)
        if match.group().strip()
    ]
    return cells if len(cells) >= 2 else None


def _column(header: str, unit_line: str) -> Column:
    unit = _UNIT_RE.search(header)
    period = _PERIOD_RE.search(header)
    return Column(
        header=header,
        unit=unit.group(1) if unit else unit_line,
        row_number=header.strip().rstrip(".．") in _ROW_NUMBER_WORDS,
        planned=any(word in header for word in _PLAN_WORDS),
        period=f"{period.group(1)}年" if period else "",
    )


def find_tables(text: str) -> list[Table]:
    """The tables of a document (see the module docstring); offsets are into the flat text.

    Examples
    --------
    >>> tables = find_tables("说明文字。\\n| 项目 | 人数（人） |\\n|---|---|\\n| 培训 | 300 |\\n| 讲座 | 120 |")
    >>> [(c.text, c.start) for c in tables[0].rows[1]], tables[0].columns[1].unit
    ([('讲座', 42), ('120', 47)], '人')
    >>> find_tables("一行文字\\n另一行")
    []
    """
    tables: list[Table] = []
    flat_at = 0
    block: list[tuple[int, str, list[tuple[str, int]]]] = []
    previous = ""
    before_block = ""

    def close() -> None:
        if len(block) >= 2:
            tables.append(_table(block, before_block))

    if "|" in text:
        tables.extend(_one_cell_per_line(text))
    covered = [(table.start, table.end) for table in tables]
    for line in text.split("\n"):
        if any(start <= flat_at < end for start, end in covered):
            close()
            block = []
            flat_at += len(line)
            continue
        cells = _cells(line)
        if cells is not None and not _SEPARATOR_ROW.match(line):
            if not block:
                before_block = previous
            block.append((flat_at, line, cells))
        elif cells is None or not block:
            close()
            block = []
        previous = line if line.strip() else previous
        flat_at += len(line)
    close()
    return sorted(tables, key=lambda table: table.start)


_CELL_LINE = re.compile(r"^([^|]*?)\s*\|\s*$")


def _one_cell_per_line(text: str) -> list[Table]:
    r"""Tables copied from a web page one cell per line, each line ending with ``|`` (an empty cell a
    lone ``|``): the header's cells up to the first row number, then rows of as many cells, each
    opening with its row number (1, 2, 3 …).

    Examples
    --------
    >>> text = "序号 |\n项目 |\n经费(万元) |\n1 |\n培训 |\n12 |\n2 |\n讲座 |\n8 |"
    >>> table = _one_cell_per_line(text)[0]
    >>> [c.text for c in table.rows[1]], table.columns[2].unit, table.columns[0].row_number
    (['2', '讲座', '8'], '万元', True)
    """
    tables: list[Table] = []
    run: list[tuple[int, str]] = []  # (flat offset, line) of consecutive one-cell lines
    flat_at = 0
    for line in [*text.split("\n"), "\x00"]:
        if _CELL_LINE.match(line) and line.count("|") == 1:
            run.append((flat_at, line))
        else:
            table = _table_of_cell_lines(run)
            if table is not None:
                tables.append(table)
            run = []
        flat_at += len(line)
    return tables


def _table_of_cell_lines(run: list[tuple[int, str]]) -> Table | None:
    cells = []
    for at, line in run:
        match = _CELL_LINE.match(line)
        assert match is not None
        body = match.group(1).strip()
        offset = line.find(body) if body else 0
        cells.append(Cell(body, at + offset, at + offset + len(body)))
    width = next((i for i, cell in enumerate(cells) if cell.text and _NUMBER_ONLY.match(cell.text)), 0)
    if width < 2 or len(cells) < 2 * width:
        return None
    header, body = cells[:width], cells[width:]
    rows = [body[i : i + width] for i in range(0, len(body), width)]
    numbers = [row[0].text.rstrip(".．、") for row in rows]
    if (
        len(rows) < 2
        or not all(n.isdigit() for n in numbers)
        or [int(n) for n in numbers] != list(range(1, len(numbers) + 1))
    ):
        return None
    columns = [_column(cell.text, "") for cell in header]
    columns[0].row_number = True
    end = run[-1][0] + len(run[-1][1])
    return Table(run[0][0], end, header, columns, rows, [_row_unit(row) for row in rows])


def _table(block: list[tuple[int, str, list[tuple[str, int]]]], before: str) -> Table:
    unit_line = _UNIT_LINE_RE.search(before)
    rows = [[Cell(text, at + offset, at + offset + len(text)) for text, offset in cells] for at, _, cells in block]
    first = rows[0]
    has_header = not any(_NUMBER_ONLY.match(cell.text) for cell in first)
    header, body = (first, rows[1:]) if has_header else ([], rows)
    columns = [_column(cell.text, unit_line.group(1) if unit_line else "") for cell in header]
    if not columns:
        columns = [Column(unit=unit_line.group(1) if unit_line else "") for _ in range(max(len(row) for row in body))]
    # Cells of the first column counting 1, 2, 3 … number the rows, whatever the header says.
    firsts = [row[0].text.rstrip(".．、") for row in body if row]
    if (
        len(firsts) >= 2
        and all(text.isdigit() for text in firsts)
        and [int(t) for t in firsts] == list(range(int(firsts[0]), int(firsts[0]) + len(firsts)))
    ):
        columns[0].row_number = True
    last = block[-1]
    return Table(block[0][0], last[0] + len(last[1]), header, columns, body, [_row_unit(row) for row in body])


def _row_unit(row: list[Cell]) -> str:
    """The unit a row's label cells give, when they give exactly one (``(个)`` beside ``企业科协``)."""
    units = {
        match.group(1) for cell in row if not _NUMBER_ONLY.match(cell.text) for match in _UNIT_RE.finditer(cell.text)
    }
    return units.pop() if len(units) == 1 else ""
