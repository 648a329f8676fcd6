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
    ('≥30', '≈20,000', '—')
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from kexie_research.analysis.qualifiers import QUALIFIER_SIGNS

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from pandas.io.formats.style import Styler

__all__ = [
    "HEADERS", "InteractiveTable", "bilingual_headers", "format_number", "init_interactive_tables", "interactive_table",
    "report_table", "set_display_options", "value_label",
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


def _cell_html(value: Any) -> str:
    """One cell as HTML: empty for NA, ✓ for True, thousands separators for large numbers, a URL as a
    link showing its host, everything else escaped."""
    if _is_missing(value):
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1e5 or value == int(value) else f"{value:,.4g}"
    if isinstance(value, int) or type(value).__name__.startswith(("int", "uint")):
        # thousands separators for counts and populations, not for years (2017)
        return f"{int(value):,}" if abs(int(value)) >= 10_000 else str(int(value))
    text = str(value)
    if text.startswith(("http://", "https://")):
        host = text.split("/")[2]
        return f'<a href="{html.escape(text, quote=True)}">{html.escape(host)}</a>'
    return html.escape(text)


def _shown(frame: pd.DataFrame, extra_headers: Mapping[str, str] | None, columns: Sequence[str] | None) -> pd.DataFrame:
    selected = frame[list(columns)] if columns is not None else frame
    return bilingual_headers(selected.reset_index(drop=True), extra_headers)


def _uid(shown: pd.DataFrame, salt: str = "") -> str:
    # A stable table id (pandas and itables draw random ones): the same data gives the same HTML.
    digest = hashlib.sha256(repr((salt, list(shown.columns), len(shown), shown.head(3).to_dict("list"))).encode())
    return digest.hexdigest()[:10]


def report_table(frame: pd.DataFrame, extra_headers: Mapping[str, str] | None = None,
                 columns: Sequence[str] | None = None) -> Styler:
    """A static reader-facing table: bilingual headers, no index, empty cells for NA, wrapped long
    text, URLs as links (``https://host/…`` shown as its host). Returns a pandas Styler.

    Examples
    --------
    >>> html_text = report_table(pd.DataFrame({"case": ["a"], "population_source": ["https://x.org/p"]})).to_html()
    >>> "案例 Case" in html_text and '<a href="https://x.org/p">x.org</a>' in html_text
    True
    """
    shown = _shown(frame, extra_headers, columns)
    styler = shown.style.format(_cell_html).hide(axis="index").set_uuid(_uid(shown))
    return styler.set_table_styles([
        {"selector": "td", "props": "text-align: left; vertical-align: top; max-width: 30em; white-space: normal;"},
        {"selector": "th", "props": "text-align: left; vertical-align: bottom;"},
    ])


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
        get_ipython = None  # noqa: N806 - plain Python: nothing to initialise
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

    Cells are formatted as in :func:`report_table` (escaped text, links for URLs, empty NA);
    numbers stay numbers so that they sort as numbers. Needs :func:`init_interactive_tables` once
    per notebook; without itables the static table is returned.

    Examples
    --------
    >>> table = interactive_table(pd.DataFrame({"case": ["a", "b"], "value": [1.0, 2.5]}), caption="demo")
    >>> "案例 Case" in table.html, table.text.splitlines()[0].split()
    (True, ['案例', 'Case', '数值', 'Value'])
    """
    shown = _shown(frame, extra_headers, columns)
    text = shown.to_string(index=False) if not shown.empty else "(no rows)"
    try:
        import itables
    except ImportError:
        return InteractiveTable(report_table(frame, extra_headers, columns).to_html(), text, shown)
    cells = shown.copy()
    for column in cells.columns:
        series = cells[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            cells[column] = [_cell_html(value) for value in series]
        else:
            cells[column] = pd.to_numeric(series, errors="coerce").astype("float64")
    html_text = itables.to_html_datatable(
        cells,
        caption=caption,
        connected=False,
        allow_html=True,  # cells are escaped above; only our links are HTML
        maxBytes=0,  # never downsample a fact table
        showIndex=False,
        column_filters="footer",
        classes="display compact cell-border",
        layout={"topStart": "pageLength", "topEnd": "search", "bottomStart": "info", "bottomEnd": "paging", "top2Start": None},
        pageLength=page_length,
        lengthMenu=[page_length, 25, 50, 100, -1] if page_length not in (25, 50, 100) else [10, 25, 50, 100, -1],
        autoWidth=False,
        columnDefs=[{"className": "dt-left", "targets": "_all"}],
        style="table-layout:auto;width:100%;margin:0;caption-side:bottom",
        display_logo_when_loading=False,
        table_id=f"kexie-table-{_uid(shown, caption or '')}",
    )
    return InteractiveTable(html_text, text, shown)


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
    if _is_missing(value):
        return "—"
    sign = QUALIFIER_SIGNS.get(qualifier or "exact", "")
    text = f"{value:,.{digits}g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{sign}{text}"
