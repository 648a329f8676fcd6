"""The furniture of a map: extent, graticule, scale bar, note (n and sources), and its context
(provinces, sea lines, province and case names).

Examples
--------
>>> from kexie_research.viz.map_frame import graticule_step
>>> graticule_step(100, 120, 20, 30)
5.0
"""

from __future__ import annotations

import contextlib
import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from kexie_research.analysis import geo
from kexie_research.analysis.geo import PLOT_CRS, WGS84, GeoError
from kexie_research.analysis.geo.layers import plot_layer
from kexie_research.analysis.geo.measure import reproject, transformer
from kexie_research.viz.charts import source_note
from kexie_research.viz.labels import label
from kexie_research.viz.theme import YIELDING_LABEL  # graticule and province labels give way

import geopandas as gpd  # after geo, which explains a missing extra
import shapely
from shapely.geometry import LineString

from kexie_research.viz.map_labels import Box, annotate_placed, fixed_offset, to_points

STUDY_FILL, CONTEXT_FILL = "#fdf3dc", "#e8efe8"  # provinces of the cases; provinces shown for context
# Units without a value: "not stated" (the texts give none) and "unknown" (no population, or not named).
NOT_STATED_STYLE: dict[str, Any] = {"facecolor": "white", "edgecolor": "0.55", "hatch": "///", "linewidth": 0.4}
UNKNOWN_STYLE: dict[str, Any] = {"facecolor": "0.93", "edgecolor": "0.55", "hatch": "..", "linewidth": 0.4}


def short_english(name_en: str) -> str:
    """An English place name without its administrative suffix, for titles.

    Examples
    --------
    >>> short_english("Wuzhou City"), short_english("Guangxi Zhuang Autonomous Region")
    ('Wuzhou', 'Guangxi')
    """
    for suffix in (
        " City",
        " District",
        " County",
        " Province",
        " Municipality",
        " Zhuang Autonomous Region",
        " Autonomous Region",
        " Special Administrative Region",
    ):
        name_en = str(name_en).replace(suffix, "")
    return name_en


def case_name(row: Any) -> str:
    """The bilingual display name of a row of the cases table (English only without a CJK font).

    Examples
    --------
    >>> "Yichang" in case_name(pd.Series({"case": "yichang", "case_zh": "宜昌", "case_en": "Yichang"}))
    True
    """
    return label(getattr(row, "case_zh", "") or "", getattr(row, "case_en", "") or row.case)


# --------------------------------------------------------------------------------------------
# Map frame: extent, graticule, scale bar, notes
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def deferred_redraw(fig):
    """Build a map without rendering it after every layer; it is rendered once, when saved or shown.

    Each ``GeoDataFrame.plot`` ends with ``canvas.draw_idle()``, which on Agg (and on the notebook's
    inline backend) renders the whole figure at once: a map of n layers was rendered n times before
    being saved. Only this figure's canvas is affected, and only while the block runs.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> with deferred_redraw(fig) as same:
    ...     "draw_idle" in vars(fig.canvas)
    True
    >>> "draw_idle" in vars(fig.canvas); plt.close(fig)
    False
    """
    canvas = fig.canvas
    canvas.draw_idle = lambda *args, **kwargs: None  # instance attribute shadows the method
    try:
        yield fig
    finally:
        del canvas.draw_idle


def to_plot_crs(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` in the map CRS (:data:`~kexie_research.analysis.geo.PLOT_CRS`).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> to_plot_crs(gpd.GeoDataFrame(geometry=[Point(110, 23)], crs=WGS84)).crs == PLOT_CRS
    True
    """
    return frame.to_crs(PLOT_CRS)


def project_xy(lon: float, lat: float) -> tuple[float, float]:
    """A lon/lat point in the map CRS.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> moved = to_plot_crs(gpd.GeoDataFrame(geometry=[Point(110, 23)], crs=WGS84)).geometry[0]
    >>> tuple(round(v) for v in project_xy(110.0, 23.0)) == (round(moved.x), round(moved.y))
    True
    """
    return transformer(WGS84, PLOT_CRS).transform(lon, lat)


def clear_labels(ax) -> None:
    """Remove the axis titles geopandas writes on projected axes ("Easting [metre]").

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.set_xlabel("Easting [metre]"); clear_labels(ax)
    >>> ax.get_xlabel(); plt.close(fig)
    ''
    """
    # geopandas labels projected axes "Easting [metre]"; the graticule carries the coordinates.
    ax.set_xlabel("")
    ax.set_ylabel("")


def set_extent(ax, west: float, east: float, south: float, north: float, pad: float = 0.0) -> None:
    """Set the axes to a lon/lat box (projected to the map CRS), with an optional relative pad.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> set_extent(ax, 109.7, 115.0, 21.5, 24.9, pad=0.05)
    >>> ax.get_aspect(), bool(ax.get_xlim()[0] < ax.get_xlim()[1])
    (1.0, True)
    >>> plt.close(fig)
    """
    box = gpd.GeoSeries([shapely.box(west, south, east, north).segmentize(0.5)], crs=WGS84).to_crs(PLOT_CRS)
    minx, miny, maxx, maxy = box.total_bounds
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    ax.set_xlim(minx - dx, maxx + dx)
    ax.set_ylim(miny - dy, maxy + dy)
    ax.set_aspect("equal")
    clear_labels(ax)


def fit_to(ax, frame: gpd.GeoDataFrame, pad: float = 0.06) -> None:
    """Fit the axes to the bounds of ``frame`` with a relative ``pad``, at equal aspect.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from shapely.geometry import box
    >>> fig, ax = plt.subplots(); fit_to(ax, gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10)]))
    >>> [round(float(v), 2) for v in ax.get_xlim()]; plt.close(fig)
    [-0.6, 10.6]
    """
    minx, miny, maxx, maxy = frame.total_bounds
    margin = pad * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - margin, maxx + margin)
    ax.set_ylim(miny - margin, maxy + margin)
    ax.set_aspect("equal")
    clear_labels(ax)


def map_axes(ax) -> None:
    """A clean map frame: no seaborn grid, no tick labels (the graticule carries lon/lat).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> map_axes(ax)
    >>> list(ax.get_xticks()), list(ax.get_yticks())
    ([], [])
    >>> plt.close(fig)
    """
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#f4f8fb")


def graticule_step(west: float, east: float, south: float, north: float) -> float:
    """A graticule step for a lon/lat box: at most about six lines across.

    Examples
    --------
    >>> graticule_step(101, 113, 21, 32), graticule_step(110.5, 111.9, 22.6, 24.2)
    (2.0, 0.5)
    """
    span = max(east - west, north - south)
    for step in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0):
        if span / step <= 6:
            return step
    return 20.0


# A graticule label just inside the frame: (offset in points, ha, va) for the edge it stands on.
_EDGE_PLACEMENT = {"bottom": ((0, 2), "center", "bottom"), "left": ((2, 0), "left", "center")}


def _edge_label(ax, text: str, anchor: tuple[float, float], edge: str, fontsize: float) -> None:
    """Label a meridian where it meets the bottom edge, or a parallel where it meets the left edge;
    the label yields to the map's own labels (:func:`clear_labels`)."""
    offset, ha, va = _EDGE_PLACEMENT[edge]
    ax.annotate(
        text,
        anchor,
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=fontsize,
        color="0.4",
        gid=YIELDING_LABEL,
    )


def add_graticule(ax, step: float = 10.0, *, label: bool = True, fontsize: float = 7) -> None:
    """Meridians and parallels every ``step`` degrees; labels where they meet the bottom/left edge.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> set_extent(ax, 109.7, 115.0, 21.5, 24.9)
    >>> add_graticule(ax, 1.0)
    >>> len(ax.lines) > 0, any(text.get_text().endswith("°E") for text in ax.texts)
    (True, True)
    >>> plt.close(fig)
    """
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    to_lonlat = transformer(PLOT_CRS, WGS84).transform
    samples = [to_lonlat(x, y) for x in np.linspace(xmin, xmax, 5) for y in np.linspace(ymin, ymax, 5)]
    lons, lats = [c[0] for c in samples], [c[1] for c in samples]
    west, east = math.floor(min(lons) / step) * step, math.ceil(max(lons) / step) * step
    south, north = math.floor(min(lats) / step) * step, math.ceil(max(lats) / step) * step
    frame = shapely.box(xmin, ymin, xmax, ymax)
    near_x, near_y = 0.02 * (xmax - xmin), 0.02 * (ymax - ymin)

    def draw(lines: list[LineString], edge_axis: int, labels: list[str]) -> None:
        """Clip each line to the frame; label it where it leaves the bottom (meridians, edge_axis=1)
        or left edge (parallels, edge_axis=0)."""
        for line, text in zip(lines, labels):
            clipped = reproject(line, WGS84, PLOT_CRS).intersection(frame)
            if clipped.is_empty:
                continue
            for part in getattr(clipped, "geoms", [clipped]):
                ax.plot(*part.xy, color="0.6", lw=0.4, ls=":", zorder=0.5)
            x, y = min(shapely.get_coordinates(clipped), key=lambda c: c[edge_axis])
            if not label:
                continue
            if edge_axis == 1 and y - ymin < near_y:
                _edge_label(ax, text, (x, ymin), "bottom", fontsize)
            elif edge_axis == 0 and x - xmin < near_x:
                _edge_label(ax, text, (xmin, y), "left", fontsize)

    meridians = np.arange(west, east + step / 2, step)
    parallels = np.arange(south, north + step / 2, step)
    draw(
        [LineString([(lon, lat) for lat in np.linspace(south - step, north + step, 80)]) for lon in meridians],
        1,
        [f"{lon:g}°E" for lon in meridians],
    )
    draw(
        [LineString([(lon, lat) for lon in np.linspace(west - step, east + step, 160)]) for lat in parallels],
        0,
        [f"{lat:g}°N" for lat in parallels],
    )
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    clear_labels(ax)


def _nice_length(km: float) -> float:
    exponent = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * exponent <= km:
            return step * exponent
    return exponent


def add_scale_bar(
    ax, length_km: float | None = None, *, loc: tuple[float, float] = (0.05, 0.05), fontsize: float = 7
) -> float:
    """A two-segment scale bar whose length is measured along the geodesic where it is drawn.

    Returns the length in km. The Albers scale varies a little with latitude, so the bar is exact
    at its own position and within ~1 % across a regional map.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> set_extent(ax, 109.7, 115.0, 21.5, 24.9)
    >>> add_scale_bar(ax, 50), len(ax.patches)  # two segments
    (50.0, 2)
    >>> plt.close(fig)
    """
    from matplotlib.patches import Rectangle

    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    x0, y0 = xmin + loc[0] * (xmax - xmin), ymin + loc[1] * (ymax - ymin)
    lon0, lat0 = transformer(PLOT_CRS, WGS84).transform(x0, y0)
    if length_km is None:
        length_km = _nice_length((xmax - xmin) / 1000 / 5)
    if length_km <= 0:
        raise GeoError(f"add_scale_bar: length must be positive, got {length_km}")
    lon1, lat1, _ = geo.GEOD.fwd(lon0, lat0, 90, length_km * 1000)
    x1, y1 = project_xy(lon1, lat1)
    width = math.hypot(x1 - x0, y1 - y0)
    height = (ymax - ymin) * 0.008
    half = width / 2
    ax.add_patch(Rectangle((x0, y0), half, height, facecolor="0.15", edgecolor="0.15", lw=0.6, zorder=6))
    ax.add_patch(Rectangle((x0 + half, y0), half, height, facecolor="white", edgecolor="0.15", lw=0.6, zorder=6))
    ticks = [(x0, "0"), (x0 + width, f"{length_km:g} km")]
    if width > 0.15 * (xmax - xmin):  # room for a middle label
        ticks.insert(1, (x0 + half, f"{length_km / 2:g}"))
    for x, text in ticks:
        ax.annotate(
            text,
            (x, y0 + height),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=fontsize,
            zorder=6,
        )
    return float(length_km)


def add_note(target, n: int | str, sources: str, *, width: int = 120, y: float = -0.03) -> None:
    """The project's n-and-sources note, wrapped to ``width`` characters.

    ``target`` is an axes, or a figure (the note then goes in a strip along the figure's bottom).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> add_note(ax, 5, "the coded documents")
    >>> ax.texts[-1].get_text()
    'n = 5. Sources: the coded documents'
    >>> plt.close(fig)
    """
    if hasattr(target, "add_axes"):
        strip = target.add_axes([0.04, 0.0, 0.92, 0.01])
        strip.set_axis_off()
        target, y = strip, 0.0
    source_note(target, n=n, sources=textwrap.fill(sources, width, subsequent_indent="  "), y=y)


def division_names() -> pd.DataFrame:
    """admin_code -> name_zh, name_en from the places table, completed by the division reference.

    Examples
    --------
    >>> list(division_names().columns)
    ['name_zh', 'name_en']
    """
    """admin_code -> name_zh, name_en from the places table, completed by the division reference."""
    frames = [geo.load_table("places"), geo.load_table("divisions")]
    names = pd.concat([frame[["admin_code", "name_zh", "name_en"]] for frame in frames], ignore_index=True)
    names = names[names.name_zh.fillna("").astype(str) != ""]
    return names.drop_duplicates("admin_code").set_index("admin_code")


def map_sources(extra: str = "") -> str:
    """The sources of a map: the boundary data's note, then ``extra``.

    Examples
    --------
    >>> map_sources("seats: places table").endswith("; seats: places table")
    True
    """
    return geo.boundary_source_note() + (f"; {extra}" if extra else "")


def approximate_seats_note(cases: pd.DataFrame) -> str:
    """ "; seat of …: approximate: …" for the cases placed at a point of their boundary, else "" (to
    append to a map's sources).

    Examples
    --------
    >>> approximate_seats_note(pd.DataFrame({"case": ["a"]}))
    ''
    """
    note = geo.approximate_seat_note(cases) if "anchor_kind" in cases.columns else ""
    return f"; {note}" if note else ""


# --------------------------------------------------------------------------------------------
# Context: provinces, sea lines, province names
# --------------------------------------------------------------------------------------------


def _parsed_ends(distances: pd.DataFrame | None) -> list[tuple[str, ...]]:
    """Every end of the distance pairs (from ends, then to ends), split by :func:`geo.parse_end`."""
    if distances is None or distances.empty:
        return []
    return [geo.parse_end(end) for end in [*distances.from_end, *distances.to_end]]


def context_provinces(distances: pd.DataFrame | None) -> list[str]:
    """Province codes named by ``polygon:provinces:CODE`` ends of the distance pairs, in order.

    Examples
    --------
    >>> context_provinces(pd.DataFrame({"from_end": ["seat:450400"], "to_end": ["polygon:provinces:440000"]}))
    ['440000']
    """
    return list(dict.fromkeys(parts[2] for parts in _parsed_ends(distances) if parts[:2] == ("polygon", "provinces")))


def context_layers(distances: pd.DataFrame | None) -> list[str]:
    """Layers named by ``layer:LAYER`` ends of the distance pairs, in order.

    Examples
    --------
    >>> import pandas as pd
    >>> context_layers(pd.DataFrame({"from_end": ["seat:450400"], "to_end": ["layer:gba"]}))
    ['gba']
    """
    return list(dict.fromkeys(parts[1] for parts in _parsed_ends(distances) if parts[0] == "layer"))


def draw_context(ax, *, highlight: Iterable[str] = (), context: Iterable[str] = (), sea_lines: bool = True) -> None:
    """Provinces in light grey, the provinces of the cases (``highlight``) and the provinces of the
    distance contexts (``context``) tinted, sea lines drawn.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> draw_context(ax, highlight=["450000"])
    >>> len(ax.collections) >= 2  # all provinces, the tinted ones
    True
    >>> plt.close(fig)
    """
    provinces = plot_layer("provinces")
    provinces.plot(ax=ax, facecolor="0.95", edgecolor="0.7", linewidth=0.3, zorder=1)
    highlight, context = list(highlight), [code for code in context if code not in set(highlight)]
    if highlight:
        provinces[provinces.admin_code.isin(highlight)].plot(
            ax=ax, facecolor=STUDY_FILL, edgecolor="0.45", linewidth=0.6, zorder=1.1
        )
    if context:
        provinces[provinces.admin_code.isin(context)].plot(
            ax=ax, facecolor=CONTEXT_FILL, edgecolor="0.45", linewidth=0.6, zorder=1.1
        )
    if sea_lines:
        plot_layer("sea_lines").plot(ax=ax, color="0.3", linewidth=0.8, zorder=1.2)


def label_provinces(ax, codes: Iterable[str], *, avoid: Iterable[Box] = (), fontsize: float = 7) -> list[Box]:
    """Bilingual names of the provinces ``codes`` that show in the view, each at a representative point
    of the province's visible part, moved off the ``avoid`` boxes (case labels and points) if needed.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> draw_context(ax)
    >>> set_extent(ax, 104, 117, 20, 27)
    >>> boxes = label_provinces(ax, ["450000", "440000"])
    >>> [text.get_text() for text in ax.texts]
    ['广西壮族自治区 Guangxi', '广东省 Guangdong']
    >>> plt.close(fig)
    """
    provinces = plot_layer("provinces").set_index("admin_code")
    names = division_names()
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    view = shapely.box(xmin, ymin, xmax, ymax)
    xy, texts = [], []
    for code in dict.fromkeys(codes):
        if code not in provinces.index:
            continue
        visible = provinces.at[code, "geometry"].intersection(view)
        if visible.is_empty or visible.area < 0.01 * view.area:
            continue
        point = visible.representative_point()
        name_zh = names.name_zh.get(code, provinces.at[code, "name_zh"])
        name_en = names.name_en.get(code, "") if "name_en" in names.columns else ""
        xy.append((point.x, point.y))
        texts.append(label(name_zh, short_english(name_en)))
    if not texts:
        return []
    before = len(ax.texts)
    boxes = annotate_placed(
        ax,
        xy,
        texts,
        fontsize=fontsize,
        radii=[0.0] * len(xy),
        obstacles=avoid,
        centre_first=True,
        zorder=5,
        color="0.4",
        style="italic",
    )
    for text in ax.texts[before:]:
        text.set_gid(YIELDING_LABEL)  # context, not data: it gives way to any label it would cover
    return boxes


def case_anchors(cases: pd.DataFrame) -> list[tuple[float, float] | None]:
    """Each case's anchor point in the map CRS, or ``None`` where the cases table gives none.

    Examples
    --------
    >>> case_anchors(pd.DataFrame({"anchor_lon": [111.3, float("nan")], "anchor_lat": [23.5, 23.5]}))[1] is None
    True
    """
    return [
        project_xy(lon, lat) if math.isfinite(lon) and math.isfinite(lat) else None
        for lon, lat in zip(cases.anchor_lon, cases.anchor_lat)
    ]


def label_cases(
    ax,
    cases: pd.DataFrame,
    *,
    extra: dict[str, str] | None = None,
    fontsize: float = 8,
    marker_size: float = 3.5,
    radii: Sequence[float] | None = None,
    dots: bool = True,
) -> list[Box]:
    """Anchor dots and bilingual names of the cases (with optional extra text per case), placed where
    they do not overlap; offsets fixed in the cases table are kept. Returns the label and dot boxes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from kexie_research.analysis import geo
    >>> cases = geo.case_geometries()
    >>> fig, ax = plt.subplots()
    >>> set_extent(ax, 104, 117, 20, 30)
    >>> boxes = label_cases(ax, cases[cases.case == "wuzhou"])
    >>> len(boxes), ax.texts[-1].get_text()  # the label and its dot
    (2, '梧州 Wuzhou')
    >>> plt.close(fig)
    """
    rows = [row for row, xy in zip(cases.itertuples(), case_anchors(cases)) if xy is not None]
    xy = [point for point in case_anchors(cases) if point is not None]
    texts = []
    for row in rows:
        text = case_name(row)
        if extra and row.case in extra:
            text += "\n" + extra[row.case]
        texts.append(text)
    if dots:
        for x, y in xy:
            ax.plot(x, y, "o", ms=marker_size, color="0.1", zorder=6)
    radii = list(radii) if radii is not None else [marker_size] * len(xy)
    boxes = annotate_placed(ax, xy, texts, fontsize=fontsize, radii=radii, fixed=[fixed_offset(row) for row in rows])
    anchors = [to_points(ax, x, y) for x, y in xy]
    return boxes + [(x - r, y - r, x + r, y + r) for (x, y), r in zip(anchors, radii)]
