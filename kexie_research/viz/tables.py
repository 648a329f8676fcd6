"""Tables for readers: bilingual headers, formatted numbers, static tables and interactive ones.

:func:`report_table` gives a static table (a pandas Styler). :func:`interactive_table` gives a
searchable, sortable, filterable table (itables/DataTables) for the fact tables: it works offline,
in JupyterLab and in the exported HTML of ``kexie report``, because :func:`init_interactive_tables`
embeds the DataTables JavaScript that ships with the itables package (``connected=False``: no CDN).
Each interactive table also carries a plain-text copy for readers of the notebook file, and
itables' own static HTML preview where scripts do not run.

Example::

    >>> import pandas as pd
    >>> bilingual_headers(pd.DataFrame(columns=["case", "quote", "other"])).columns.tolist()
    ['案例 Case', '原文 Quote', 'other']
    >>> format_number(30.0, "at_least"), format_number(20000.0, "approx"), format_number(None)
    ('≥30', '≈20,000', '–')
    >>> format_cell(510000.0), format_cell(2820977.0), format_cell(150.0, "offset"), format_cell(float("nan"))
    ('510,000', '2,820,977', '150', '–')
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from kexie_research.analysis.qualifiers import QUALIFIER_SIGNS
from kexie_research.viz.safe import escape_html

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from pandas.io.formats.style import Styler

__all__ = [
    "HEADERS",
    "MISSING",
    "InteractiveTable",
    "bilingual_headers",
    "format_cell",
    "format_number",
    "init_interactive_tables",
    "interactive_table",
    "report_table",
    "set_display_options",
    "value_label",
]

# Column headers of reader-facing tables: "中文 English".
HEADERS = {
    "case": "案例 Case",
    "case_zh": "案例 Case",
    "case_a": "案例甲 Case A",
    "case_b": "案例乙 Case B",
    "dimension": "维度 Dimension",
    "dimension_label": "维度 Dimension",
    "indicator_id": "指标代码 Indicator id",
    "indicator": "指标 Indicator",
    "indicator_zh": "指标 Indicator (zh)",
    "indicator_en": "指标 Indicator (en)",
    "scope_zh": "范围 Scope",
    "scope_level": "层级 Level",
    "period_text": "时期 Period",
    "period": "时期 Period",
    "raw_text": "原文数值 Value as written",
    "value": "数值 Value",
    "unit": "单位 Unit",
    "qualifier": "限定 Qualifier",
    "status": "类型 Status",
    "record_id": "记录 Record",
    "quote": "原文 Quote",
    "note": "备注 Note",
    "population_2020": "常住人口2020 Population 2020",
    "population_source": "人口来源 Population source",
    "per_10k": "每万人 Per 10,000 residents",
    "rows": "行数 Rows",
    "n": "n",
    "target": "目标 Target",
    "target_period": "目标时期 Target period",
    "target_record": "目标记录 Target record",
    "reported": "实绩 Reported",
    "reported_period": "实绩时期 Reported period",
    "reported_records": "实绩记录 Reported records",
    "gap": "差距 Gap",
    "target_quote": "目标原文 Target quote",
    "reported_quote": "实绩原文 Reported quote",
    "aspect": "方面 Aspect",
    "is_target": "目标 Target",
    "label": "位置 Position",
    "bound": "界 Bound",
    "when": "日期 Date",
    "event_id": "编号 Event id",
    "event_zh": "事件 Event",
    "event_en": "Event (en)",
    "model_zh": "模式 Model",
    "not_before": "不早于 Not before",
    "source_id": "来源 Source",
    "place": "地方 Place",
    "cases": "案例数 Cases",
    "check": "检查 Check",
    "records": "记录 Records",
    "reason": "原因 Reason",
    "row": "行 Row",
}


def bilingual_headers(frame: pd.DataFrame, extra: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Rename known columns to their "中文 English" headers for display (unknown columns stay).

    Examples
    --------
    >>> bilingual_headers(pd.DataFrame(columns=["n", "x"]), {"x": "某 X"}).columns.tolist()
    ['n', '某 X']
    """
    mapping = {**HEADERS, **(extra or {})}
    return frame.rename(columns={column: mapping[column] for column in frame.columns if column in mapping})


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


MISSING = "–"
# Columns whose numbers are positions or identifiers (an offset into a file, a year, a row of a
# sheet): whole numbers without thousands separators, so that they can be used as written.
_PLAIN_INTEGER = re.compile(r"(^|_)(offset|orig_end|year|row|rank|line)(_|$)", re.I)


def _is_plain_integer_column(column: Any) -> bool:
    return column is not None and bool(_PLAIN_INTEGER.search(str(column)))


def format_cell(value: Any, column: Any = None) -> str:
    """A number or text as a reader should see it (plain text, not yet escaped).

    ``–`` for missing; whole numbers as integers, with thousands separators from 10,000 (not
    for years, offsets, rows: see ``column``); fractions with up to three decimals, never in
    scientific notation (``< 0.001`` below that); ``✓`` for True and empty for False.

    Examples
    --------
    >>> [format_cell(v) for v in (1234.0, 12345, 0.41834, 1.5e-7, 2017, True, None)]
    ['1234', '12,345', '0.418', '< 0.001', '2017', '✓', '–']
    >>> format_cell(12345.0, "quote_offset"), format_cell(-2.5e6)
    ('12345', '-2,500,000')
    """
    if _is_missing(value):
        return MISSING
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "✓" if value else ""
    if isinstance(value, int) or type(value).__name__.startswith(("int", "uint")):
        value = int(value)
        # thousands separators for counts and populations, not for years (2017) or offsets
        return f"{value:,}" if abs(value) >= 10_000 and not _is_plain_integer_column(column) else str(value)
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        value = float(value)
        if math.isinf(value):
            return "∞" if value > 0 else "-∞"
        if value == int(value):
            return format_cell(int(value), column)
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) < 0.001:
            return "< 0.001" if value > 0 else "> -0.001"
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value)


def _cell_html(value: Any, column: Any = None) -> str:
    """One cell as HTML: :func:`format_cell`, escaped; a URL as a link showing its host."""
    text = format_cell(value, column)
    if isinstance(value, str) and text.startswith(("http://", "https://")):
        host = text.split("/")[2]
        return f'<a href="{escape_html(text)}">{escape_html(host)}</a>'
    return escape_html(text)


def _selected(frame: pd.DataFrame, columns: Sequence[str] | None, index: bool) -> pd.DataFrame:
    selected = frame.reset_index() if index else frame.reset_index(drop=True)
    return selected[list(columns)] if columns is not None else selected


def _headers(selected: pd.DataFrame, extra_headers: Mapping[str, str] | None) -> list[str]:
    """The shown column names: bilingual where known, every one escaped (a header can be data)."""
    mapping = {**HEADERS, **(extra_headers or {})}

    def header(column: Any) -> str:
        if isinstance(column, tuple):  # a MultiIndex column: its levels, not a tuple's repr
            return " · ".join(str(level) for level in column if str(level))
        return str(mapping.get(column, column)) if isinstance(column, str) else format_cell(column)

    return [escape_html(header(column)) for column in selected.columns]


def _shown(
    frame: pd.DataFrame, extra_headers: Mapping[str, str] | None, columns: Sequence[str] | None, index: bool = False
) -> pd.DataFrame:
    selected = _selected(frame, columns, index)
    mapping = {**HEADERS, **(extra_headers or {})}
    return selected.set_axis([mapping.get(c, c) if isinstance(c, str) else c for c in selected.columns], axis=1)


def _uid(shown: pd.DataFrame, salt: str = "") -> str:
    # A stable table id (pandas and itables draw random ones): the same data gives the same HTML.
    digest = hashlib.sha256(repr((salt, list(shown.columns), len(shown), shown.head(3).to_dict("list"))).encode())
    return digest.hexdigest()[:10]


def report_table(
    frame: pd.DataFrame,
    extra_headers: Mapping[str, str] | None = None,
    columns: Sequence[str] | None = None,
    index: bool = False,
) -> Styler:
    """A static reader-facing table: bilingual headers, numbers for reading, wrapped long text.

    Every cell, column header and (with ``index=True``) index label is escaped: data shows as
    text. Numbers follow :func:`format_cell` (``–`` for missing); URLs become links showing their
    host. The index is left out unless ``index=True``, which shows it as the first column(s).
    Returns a pandas Styler.

    Examples
    --------
    >>> html_text = report_table(pd.DataFrame({"case": ["a"], "population_source": ["https://x.org/p"]})).to_html()
    >>> "案例 Case" in html_text and '<a href="https://x.org/p">x.org</a>' in html_text
    True
    >>> "&lt;i&gt;" in report_table(pd.DataFrame({"<i>": [1]})).to_html()
    True
    """
    selected = _selected(frame, columns, index)
    cells = pd.DataFrame(
        {
            position: [_cell_html(value, column) for value in selected.iloc[:, position]]
            for position, column in enumerate(selected.columns)
        },
        index=range(len(selected)),
    )
    cells.columns = _headers(selected, extra_headers)
    styler = cells.style.hide(axis="index").set_uuid(_uid(cells))
    return styler.set_table_styles(
        [
            {
                "selector": "td",
                "props": "text-align: left; vertical-align: top; max-width: 30em; white-space: normal; overflow-wrap: anywhere;",
            },
            {"selector": "th", "props": "text-align: left; vertical-align: bottom;"},
        ]
    )


_INTERACTIVE_READY = False


def init_interactive_tables() -> bool:
    """Load the DataTables JavaScript shipped with itables into the notebook, offline (no CDN).

    Call once per notebook, before the first :func:`interactive_table`. Returns ``False`` (and
    tables stay static) when itables is not installed.

    Examples
    --------
    >>> init_interactive_tables() in (True, False)
    True
    """
    global _INTERACTIVE_READY
    try:
        import itables
    except ImportError:
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        itables.init_notebook_mode(all_interactive=False, connected=False)
    _INTERACTIVE_READY = True
    return True


class InteractiveTable:
    """A table shown as a searchable, sortable, filterable DataTable, with a plain-text copy.

    ``html`` is the itables HTML (or the static table when itables is missing); ``text`` is the
    whole table as text (``text/plain``), which is what a reader of the notebook file or a text
    search sees.

    Examples
    --------
    >>> table = interactive_table(pd.DataFrame({"case": ["a"]}))
    >>> sorted(table._repr_mimebundle_())
    ['text/html', 'text/plain']
    """

    def __init__(self, html_text: str, text: str, frame: pd.DataFrame):
        self.html = html_text
        self.text = text
        self.frame = frame

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": self.html, "text/plain": self.text}

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def interactive_table(
    frame: pd.DataFrame,
    extra_headers: Mapping[str, str] | None = None,
    columns: Sequence[str] | None = None,
    caption: str | None = None,
    page_length: int = 10,
) -> InteractiveTable:
    """A fact table to explore: search box, sortable columns, a filter under each column, paging.

    Cells, column headers and the caption are escaped and formatted as in :func:`report_table`;
    numeric columns sort by their numbers, and a click on a column's name sorts by it. Needs :func:`init_interactive_tables` once
    per notebook; without itables the static table is returned.

    Examples
    --------
    >>> table = interactive_table(pd.DataFrame({"case": ["a", "b"], "value": [1.0, 2.5]}), caption="demo")
    >>> "案例 Case" in table.html, table.text.splitlines()[0].split()
    (True, ['案例', 'Case', '数值', 'Value'])
    """
    shown = _shown(frame, extra_headers, columns)
    text = _plain_text(_selected(frame, columns, False), list(shown.columns))
    try:
        import itables
        from itables import JavascriptFunction
    except ImportError:
        return InteractiveTable(report_table(frame, extra_headers, columns).to_html(), text, shown)
    selected = _selected(frame, columns, False)
    cells = pd.DataFrame(index=range(len(selected)))
    number_columns = []
    for position, column in enumerate(selected.columns):
        series = selected.iloc[:, position]
        # Every cell is the text format_cell gives (the same in the page, its static preview and
        # the text copy); numeric columns sort by the number that text shows.
        cells[position] = [_cell_html(value, column) for value in series]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            number_columns.append(position)
    cells.columns = _headers(selected, extra_headers)
    column_defs: list[dict[str, Any]] = [{"className": "dt-left", "targets": "_all"}]
    if number_columns:
        column_defs.insert(0, {"targets": number_columns, "render": JavascriptFunction(_SORT_AS_NUMBER)})
    html_text = itables.to_html_datatable(
        cells,
        caption=escape_html(caption) if caption else None,
        connected=False,
        allow_html=True,  # cells are escaped above; only our links are HTML
        maxBytes=0,  # never downsample a fact table
        showIndex=False,
        column_filters="footer",
        classes="display compact cell-border",
        layout={
            "topStart": "pageLength",
            "topEnd": "search",
            "bottomStart": "info",
            "bottomEnd": "paging",
            "top2Start": None,
        },
        pageLength=page_length,
        lengthMenu=[page_length, 25, 50, 100, -1] if page_length not in (25, 50, 100) else [10, 25, 50, 100, -1],
        autoWidth=False,
        columnDefs=column_defs,
        text_in_header_can_be_selected=False,  # a click on a column's name sorts by it
        style="table-layout:auto;width:100%;margin:0;caption-side:bottom",
        display_logo_when_loading=False,
        table_id=f"kexie-table-{_uid(shown, caption or '')}",
    )
    return InteractiveTable(html_text, text, shown)


# Sorting (and type detection) of a numeric column reads the number back from the text shown:
# "2,820,977" -> 2820977, "< 0.001" -> 0.001, "–" (missing) -> first in ascending order.
_SORT_AS_NUMBER = """function (data, type) {
  if (type !== "sort" && type !== "type") { return data; }
  const number = parseFloat(String(data).replace(/[,\\s<>&a-z;]/g, ""));
  return isNaN(number) ? -Infinity : number;
}"""


def _plain_text(selected: pd.DataFrame, headers: list[str]) -> str:
    """The table as plain text (``text/plain``), numbers as in the page."""
    if selected.empty:
        return "(no rows)"
    shown = pd.DataFrame(
        {
            position: [format_cell(value, column) for value in selected.iloc[:, position]]
            for position, column in enumerate(selected.columns)
        },
        index=range(len(selected)),
    )
    shown.columns = headers
    return shown.to_string(index=False)


def set_display_options(max_rows: int = 200) -> None:
    """Pandas display options for report tables: full quotes, no wrapping of the frame.

    Examples
    --------
    >>> set_display_options(50); pd.get_option("display.max_rows")
    50
    """
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", max_rows)
    pd.set_option("display.width", 200)


def value_label(raw_text: str, qualifier: str | None = None) -> str:
    """The value as written, e.g. ``30多个``; kept verbatim so that a reader sees the source's wording.

    Examples
    --------
    >>> value_label("30多个", "at_least")
    '30多个'
    """
    return str(raw_text)


def format_number(value: float | None, qualifier: str | None = None, digits: int = 3) -> str:
    """``≥30``, ``≈20,000``, ``0.418``: a harmonised value with the sign of its qualifier.

    Examples
    --------
    >>> format_number(0.41834, "exact")
    '0.418'
    """
    if value is None or _is_missing(value):
        return MISSING
    sign = QUALIFIER_SIGNS.get(qualifier or "exact", "")
    text = f"{value:,.{digits}g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{sign}{text}"
