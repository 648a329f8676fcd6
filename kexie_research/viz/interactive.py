"""An interactive map of the cases (plotly), offline in the HTML reports and in JupyterLab.

Hovering a case shows its facts, per-capita figures and quotes; clicking it (in the HTML report)
pins the same text in a panel under the map. The map is drawn on plain x/y axes in the project's
Albers projection — no tiles and no plotly geo traces, which would fetch base maps or topojson from
the network. plotly.js comes from the ``plotly`` Python package: :class:`OfflineFigure` carries it
inline in its ``text/html`` output (kept by nbconvert) and also offers plotly's own mimetype,
which JupyterLab renders with the ``jupyterlab-plotly`` extension shipped in the same package.

Examples
--------
>>> from kexie_research.viz.interactive import wrap_text
>>> wrap_text("一二三四五六", 4)
'一二三四<br>五六'
"""

from __future__ import annotations

import html
import json
import math
from typing import Any


from kexie_research.analysis import geo
from kexie_research.analysis.geo import PLOT_CRS, WGS84
from kexie_research.analysis.geo.measure import transformer

import geopandas as gpd
import shapely

CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
PANEL_ID_SUFFIX = "-details"


def wrap_text(text: str, width: int = 44) -> str:
    """Break ``text`` into ``<br>``-separated lines of at most ``width`` characters (CJK has no spaces).

    Examples
    --------
    >>> wrap_text("abcdef", 3)
    'abc<br>def'
    """
    text = str(text)
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width)) if text else ""


def _escape(text: object) -> str:
    # plotly's hover labels decode &amp; &lt; &gt; but show &quot; literally: leave quotation marks as they are.
    return html.escape(str(text), quote=False)


def _wrapped(text: object, width: int) -> str:
    """``text`` HTML-escaped piece by piece and broken into lines (never inside an entity)."""
    text = str(text)
    return "<br>".join(_escape(text[i : i + width]) for i in range(0, len(text), width))


def _fmt_rate(item: dict[str, Any]) -> str:
    sign = {"at_least": "≥", "at_most": "≤", "approx": "≈"}.get(str(item.get("qualifier")), "")
    value = item["rate_per_10k"]
    number = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{sign}{number}"


def hover_text(profile: Any, *, width: int = 44) -> str:
    """The hover text of one case (a row of :func:`kexie_research.analysis.geo.case_profiles`), as
    plotly's HTML subset: names, province, model, population, facts, reform start, per-capita
    figures with the text's figure and record, and the quotes.

    Examples
    --------
    >>> import pandas as pd
    >>> row = pd.Series({"case_zh": "甲", "case_en": "A", "admin_code": "420500", "province_zh": "湖北省", "province_en": "Hubei",
    ...                  "model_zh": "", "model_en": "", "population_text": "population not available", "n_facts": 1, "n_sources": 1,
    ...                  "reform": "not stated", "per_capita": [], "quotes": [{"record_id": "X-1", "indicator_zh": "指标",
    ...                  "indicator_en": "ind", "raw_text": "5个", "quote": "有5个"}]})
    >>> "有5个" in hover_text(row) and "population not available" in hover_text(row)
    True
    """
    esc = _escape
    get = profile.get if hasattr(profile, "get") else lambda key, default=None: getattr(profile, key, default)
    lines = [
        (
            f"<b>{esc(str(get('case_zh', '')))} {esc(str(get('case_en', '')))}</b> · {esc(str(get('admin_code', '')))} · "
            f"{esc(str(get('province_zh', '')))} {esc(str(get('province_en', '')))}"
        )
    ]
    if get("model_zh"):
        lines.append(
            f"模式 model: {esc(str(get('model_zh')))}" + (f" — {esc(str(get('model_en')))}" if get("model_en") else "")
        )
    lines.append(f"常住人口 population 2020: {esc(str(get('population_text')))}")
    lines.append(
        f"事实 facts coded: {get('n_facts')} from {get('n_sources')} source(s); 改革启动 reform start: {_wrapped(get('reform'), width * 2)}"
    )
    rates = list(get("per_capita") or [])
    if rates:
        lines.append("<b>每万常住人口 per 10,000 residents</b>")
        lines += [
            f"· {esc(item['indicator_zh'])} {esc(item['indicator_en'])}: <b>{_fmt_rate(item)}</b> "
            f"(原文 {esc(str(item['raw_text']))}, {esc(str(item['record_id']))})"
            for item in rates
        ]
    else:
        lines.append(
            "每万常住人口 per 10,000 residents: none (no comparable value"
            + ("" if str(get("population_text")).endswith(")") else ", or population not available")
            + ")"
        )
    quotes = list(get("quotes") or [])
    if quotes:
        lines.append("<b>引文 quotes</b>")
        for item in quotes:
            lines.append(f"[{esc(str(item['record_id']))}] {esc(item['indicator_zh'])} {esc(str(item['raw_text']))}:")
            lines.append("“" + _wrapped(item["quote"], width) + "”")
    return "<br>".join(lines)


def _lines(geometry, tolerance: float) -> tuple[list[float | None], list[float | None]]:
    """x/y of a (multi)polygon's rings in km, None-separated, simplified to ``tolerance`` metres."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
    for polygon in getattr(simple, "geoms", [simple]):
        for ring in [polygon.exterior, *polygon.interiors] if hasattr(polygon, "exterior") else [polygon]:
            coords = shapely.get_coordinates(ring)
            xs += [round(x / 1000, 2) for x in coords[:, 0]] + [None]
            ys += [round(y / 1000, 2) for y in coords[:, 1]] + [None]
    return xs, ys


def case_map(profiles: gpd.GeoDataFrame, *, title: str | None = None, width: int = 980, height: int = 720):
    """A plotly figure of the cases: provinces as context, each case's boundary in its colour, one
    marker per case whose hover text (:func:`hover_text`) holds its facts, per-capita figures and
    quotes. ``profiles`` comes from :func:`kexie_research.analysis.geo.case_profiles`.

    Examples
    --------
    >>> import kexie_research as kr
    >>> fig = case_map(geo.case_profiles(kr.load_indicators()))
    >>> fig.data[-1].mode
    'markers+text'
    """
    import plotly.graph_objects as go

    region = geo.case_region(profiles)
    view = (
        gpd.GeoSeries([shapely.box(region[0], region[2], region[1], region[3]).segmentize(0.5)], crs=WGS84)
        .to_crs(PLOT_CRS)
        .iloc[0]
    )
    fig = go.Figure()
    provinces = geo.load_boundaries("provinces").to_crs(PLOT_CRS)
    cases_provinces = set(profiles.province_code)
    for highlight in (False, True):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for row in provinces.itertuples():
            if (row.admin_code in cases_provinces) != highlight or not row.geometry.intersects(view):
                continue
            part_x, part_y = _lines(row.geometry.intersection(view.buffer(view.length * 0.05)), 2000)
            xs += part_x
            ys += part_y
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": "#999999" if not highlight else "#777777", "width": 0.6},
                fill="toself",
                fillcolor="#fdf3dc" if highlight else "#f2f2f2",
                hoverinfo="skip",
                showlegend=False,
            )
        )
    projected = profiles.to_crs(PLOT_CRS)
    for row in projected.itertuples():
        if row.geometry is None or row.geometry.is_empty:
            continue
        xs, ys = _lines(row.geometry, 300)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=row.colour,
                opacity=0.55,
                line={"color": row.colour, "width": 1},
                name=row.case,
                hoverinfo="skip",
                showlegend=False,
            )
        )
    points = [(lon, lat) for lon, lat in zip(profiles.anchor_lon, profiles.anchor_lat)]
    transform = transformer(WGS84, PLOT_CRS).transform
    xy = [transform(lon, lat) if math.isfinite(lon) and math.isfinite(lat) else (None, None) for lon, lat in points]
    texts = [hover_text(row) for _, row in profiles.iterrows()]
    fig.add_trace(
        go.Scatter(
            x=[x / 1000 if x is not None else None for x, _ in xy],
            y=[y / 1000 if y is not None else None for _, y in xy],
            mode="markers+text",
            text=[f"{row.case_zh} {row.case_en}" for row in profiles.itertuples()],
            textposition="top center",
            textfont={"size": 12},
            marker={"size": 14, "color": list(profiles.colour), "line": {"color": "#222222", "width": 1}},
            hovertext=texts,
            hovertemplate="%{hovertext}<extra></extra>",
            customdata=list(profiles.case),
            showlegend=False,
        )
    )
    minx, miny, maxx, maxy = view.bounds
    fig.update_layout(
        title=title or f"案例地一览 The cases at a glance (n = {geo.count_note(profiles)}) — hover or click a case",
        width=width,
        height=height,
        plot_bgcolor="#f4f8fb",
        paper_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 11}},
        dragmode="pan",
        xaxis={"visible": False, "range": [minx / 1000, maxx / 1000]},
        yaxis={"visible": False, "range": [miny / 1000, maxy / 1000], "scaleanchor": "x", "scaleratio": 1},
    )
    approximate = geo.approximate_seat_note(profiles) if "anchor_kind" in profiles.columns else ""
    fig.add_annotation(
        text="Albers equal-area; " + geo.boundary_source_note() + (f"; {approximate}" if approximate else ""),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 9, "color": "#666666"},
    )
    return fig


# In the HTML report a click pins the case's hover text in the panel under the map (plotly_click).
_CLICK_SCRIPT = """
var gd = document.getElementById('{plot_id}');
if (gd) {
  gd.on('plotly_click', function (event) {
    var panel = document.getElementById('{plot_id}-details');
    var point = event.points && event.points[0];
    if (panel && point && point.hovertext) { panel.innerHTML = point.hovertext; }
  });
}
"""


class OfflineFigure:
    """Display wrapper for a plotly figure that needs no network: ``text/html`` with plotly.js inline (for
    nbconvert's HTML reports) and plotly's mimetype (rendered offline by JupyterLab's plotly extension).

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> page = OfflineFigure(go.Figure(go.Scatter(x=[1], y=[2]))).html()
    >>> "<script src=" in page, "Plotly.newPlot" in page
    (False, True)
    """

    def __init__(self, figure, *, details_panel: bool = True) -> None:
        self.figure = figure
        self.details_panel = details_panel

    def html(self) -> str:
        """The figure as an HTML fragment carrying plotly.js inline (no CDN, no MathJax)."""
        import hashlib

        # A stable id (the same figure gives the same page), unique per figure on a page.
        div_id = "kexie-map-" + hashlib.sha1(self.figure.to_json().encode("utf-8")).hexdigest()[:12]
        page = self.figure.to_html(
            include_plotlyjs=True,
            include_mathjax=False,
            full_html=False,
            config=CONFIG,
            div_id=div_id,
            post_script=_CLICK_SCRIPT if self.details_panel else None,
        )
        if self.details_panel:
            page += (
                f'<div id="{div_id}{PANEL_ID_SUFFIX}" style="font-size: 12px; border: 1px solid #d0d7de; padding: 6px 10px; '
                'margin-top: 4px; max-width: 960px;">点击地图上的案例以固定其详情 Click a case on the map to pin its details here.</div>'
            )
        texts = self.figure.data[-1].hovertext if self.figure.data else None
        if texts is not None and len(texts):
            # The same facts and quotes as plain HTML: searchable, and readable without JavaScript.
            items = "".join(f"<li>{text}</li>" for text in texts)
            page += f'<details class="kexie-map-text"><summary>案例详情（文本） Case details as text</summary><ul>{items}</ul></details>'
        return page

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        import plotly.io as pio

        spec = json.loads(pio.to_json(self.figure, validate=False))
        spec["config"] = CONFIG
        return {
            "application/vnd.plotly.v1+json": spec,
            "text/html": self.html(),
            "text/plain": f"<interactive map: {len(self.figure.data)} traces>",
        }


def show(figure, *, details_panel: bool = True) -> OfflineFigure:
    """Wrap ``figure`` for offline display (return it as a cell's last value, or pass it to ``display``).

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> page = show(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), details_panel=False).html()
    >>> "<script src=" in page, "Plotly.newPlot" in page  # plotly.js carried inline, no script loaded from a CDN
    (False, True)
    """
    return OfflineFigure(figure, details_panel=details_panel)
