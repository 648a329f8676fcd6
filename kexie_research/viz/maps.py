"""Maps of the geographic report, drawn with matplotlib from the frames of :mod:`kexie_research.analysis.geo`.

Every map gets a graticule, a scale bar on regional maps, a legend, bilingual labels and a note with
its n (counted from the data) and sources (boundary data date included). Labels of the cases are
placed automatically (:func:`place_labels`: eight candidate positions per label, the one with the
least overlap wins, deterministic) unless the cases table fixes an offset.

Examples
--------
>>> from kexie_research.viz import maps
>>> maps.class_breaks([1.0, 2.0])
([1.0, 2.0], ['1', '2'])
"""

from __future__ import annotations

import contextlib
import itertools
import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from kexie_research.analysis import geo
from kexie_research.analysis.geo import PLOT_CRS, WGS84, GeoError
from kexie_research.analysis.geo.layers import _plot_layer
from kexie_research.analysis.geo.measure import _reproject, _transformer
from kexie_research.viz.charts import source_note
from kexie_research.viz.labels import label
from kexie_research.viz.theme import YIELDING_LABEL  # graticule and province labels give way

import geopandas as gpd
import shapely
from shapely.geometry import LineString

NOT_STATED_STYLE = {"facecolor": "white", "edgecolor": "0.55", "hatch": "///", "linewidth": 0.4}
UNKNOWN_STYLE = {"facecolor": "0.93", "edgecolor": "0.55", "hatch": "..", "linewidth": 0.4}
STUDY_FILL, CONTEXT_FILL, LAYER_FILL = "#fdf3dc", "#e8efe8", "#c7e9c0"
CHINA_EXTENT = (73, 135.5, 15.5, 54)
SOUTH_SEA_EXTENT = (106, 123, 2.5, 24.5)
LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}
STATUS_STYLES = {
    "stated": None,  # coloured by value
    "bound": {"facecolor": "#fee8c8", "edgecolor": "0.3", "hatch": "\\\\", "linewidth": 0.5},
    "named": {"facecolor": "#1b7837", "edgecolor": "0.2", "linewidth": 0.5},
    "unknown": UNKNOWN_STYLE,
    "not stated": NOT_STATED_STYLE,
}



def _label(zh: str, en: str, sep: str = " ") -> str:
    return label(zh, en, sep=sep)


def _short_en(name_en: str) -> str:
    for suffix in (" City", " District", " County", " Province", " Municipality", " Zhuang Autonomous Region",
                   " Autonomous Region", " Special Administrative Region"):
        name_en = str(name_en).replace(suffix, "")
    return name_en


def case_name(row: Any) -> str:
    """The bilingual display name of a row of the cases table (English only without a CJK font).

    Examples
    --------
    >>> "Yichang" in case_name(pd.Series({"case": "yichang", "case_zh": "宜昌", "case_en": "Yichang"}))
    True
    """
    return _label(getattr(row, "case_zh", "") or "", getattr(row, "case_en", "") or row.case)


# --------------------------------------------------------------------------------------------
# Label placement (pure: points in, offsets out)
# --------------------------------------------------------------------------------------------

# Candidate directions in order of preference: right, upper right, lower right, left, upper left,
# lower left, above, below. (unit dx, unit dy, ha, va)
DIRECTIONS: tuple[tuple[float, float, str, str], ...] = (
    (1, 0, "left", "center"), (0.72, 0.72, "left", "bottom"), (0.72, -0.72, "left", "top"),
    (-1, 0, "right", "center"), (-0.72, 0.72, "right", "bottom"), (-0.72, -0.72, "right", "top"),
    (0, 1, "center", "bottom"), (0, -1, "center", "top"),
)
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def label_box(anchor: tuple[float, float], size: tuple[float, float], dx: float, dy: float, ha: str, va: str) -> Box:
    """The box of a label of ``size`` (w, h) written at ``anchor`` + (dx, dy) with alignment ha/va.

    Examples
    --------
    >>> label_box((0, 0), (10, 4), 5, 0, "left", "center")
    (5, -2.0, 15, 2.0)
    """
    w, h = size
    x = anchor[0] + dx - {"left": 0, "center": w / 2, "right": w}[ha]
    y = anchor[1] + dy - {"bottom": 0, "center": h / 2, "top": h}[va]
    return (x, y, x + w, y + h)


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _outside(box: Box, bounds: Box | None) -> float:
    if bounds is None:
        return 0.0
    area = (box[2] - box[0]) * (box[3] - box[1])
    return area - _overlap(box, bounds)


def place_labels(
    anchors: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]], *,
    radii: Sequence[float] | None = None, fixed: Sequence[tuple[float, float, str, str] | None] | None = None,
    obstacles: Iterable[Box] = (), bounds: Box | None = None, gap: float = 4.0, centre_first: bool = False,
) -> list[tuple[float, float, str, str]]:
    """Offsets (dx, dy, ha, va) that keep labels clear of each other, of the anchor points and of the edge.

    Everything is in the same units (points on the page). Each label has eight candidate positions
    around its anchor (:data:`DIRECTIONS`, at ``radius + gap``), then the same eight three and five
    times as far, used only when nothing nearer is free (with ``centre_first`` the anchor itself comes
    first, then two rings); labels are placed in input order, each at the candidate with the
    least overlap with the labels already placed, every anchor's marker, the ``obstacles`` and the
    area outside ``bounds`` (ties: the earlier candidate). ``fixed`` offsets are kept as given and
    placed first. Deterministic: the same input gives the same output.

    Examples
    --------
    >>> place_labels([(0, 0), (0, 0)], [(30, 10), (30, 10)])
    [(6.0, 0.0, 'left', 'center'), (-6.0, 0.0, 'right', 'center')]
    """
    n = len(anchors)
    radii = list(radii) if radii is not None else [2.0] * n
    fixed = list(fixed) if fixed is not None else [None] * n
    markers = [(x - r, y - r, x + r, y + r) for (x, y), r in zip(anchors, radii)]
    placed: list[Box] = list(obstacles)
    result: list[tuple[float, float, str, str] | None] = [None] * n
    for index in range(n):
        if fixed[index] is not None:
            result[index] = fixed[index]
            placed.append(label_box(anchors[index], sizes[index], *fixed[index]))
    for index in range(n):
        if result[index] is not None:
            continue
        distance = radii[index] + gap
        # The eight positions next to the point first; farther rings only when none of those is free.
        candidates = [(round(ux * ring, 6), round(uy * ring, 6), ha, va) for ring in (distance, distance * 3, distance * 5)
                      for ux, uy, ha, va in DIRECTIONS]
        if centre_first:
            candidates = [(0.0, 0.0, "center", "center")] + [
                (round(ux * ring, 6), round(uy * ring, 6), "center", "center") for ring in (distance * 3, distance * 6)
                for ux, uy, _, _ in DIRECTIONS
            ]
        best, best_cost = candidates[0], math.inf
        for candidate in candidates:
            box = label_box(anchors[index], sizes[index], *candidate)
            cost = sum(_overlap(box, other) for other in placed)
            cost += sum(_overlap(box, marker) for number, marker in enumerate(markers) if number != index or centre_first)
            cost += 2 * _outside(box, bounds)
            if cost < best_cost - 1e-9:
                best, best_cost = candidate, cost
        result[index] = best
        placed.append(label_box(anchors[index], sizes[index], *best))
    return [item for item in result if item is not None]


def _points_per_pixel(fig) -> float:
    return 72.0 / fig.dpi


def _text_size(ax, text: str, fontsize: float) -> tuple[float, float]:
    """Width and height in points of ``text`` with the label box (measured by the figure's renderer)."""
    fig = ax.figure
    try:
        renderer = fig.canvas.get_renderer()
    except AttributeError:  # a canvas without a renderer: estimate (CJK ≈ 1 em, Latin ≈ 0.55 em)
        lines = str(text).split("\n")
        width = max(sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in line) for line in lines) * fontsize
        return width + 4, len(lines) * fontsize * 1.25 + 3
    probe = ax.annotate(text, (0, 0), fontsize=fontsize, bbox=LABEL_BOX, xycoords="axes pixels")
    box = probe.get_window_extent(renderer)
    patch = probe.get_bbox_patch().get_window_extent(renderer) if probe.get_bbox_patch() is not None else box
    probe.remove()
    scale = _points_per_pixel(fig)
    return (max(box.width, patch.width) * scale, max(box.height, patch.height) * scale)


def _to_points(ax, x: float, y: float) -> tuple[float, float]:
    px, py = ax.transData.transform((x, y))
    scale = _points_per_pixel(ax.figure)
    return (px * scale, py * scale)


def _axes_box(ax) -> Box:
    box = ax.get_window_extent()
    scale = _points_per_pixel(ax.figure)
    return (box.x0 * scale, box.y0 * scale, box.x1 * scale, box.y1 * scale)


def _fixed_offset(row: Any) -> tuple[float, float, str, str] | None:
    dx, dy = getattr(row, "label_dx", np.nan), getattr(row, "label_dy", np.nan)
    if pd.isna(dx) or pd.isna(dy):
        return None
    ha = getattr(row, "label_ha", "") or "left"
    return (float(dx), float(dy), ha, "center")


def annotate_placed(ax, xy: Sequence[tuple[float, float]], texts: Sequence[str], *, fontsize: float = 8,
                    radii: Sequence[float] | None = None, fixed=None, obstacles: Iterable[Box] = (),
                    centre_first: bool = False, zorder: float = 6, **style) -> list[Box]:
    """Write ``texts`` at data points ``xy`` where :func:`place_labels` finds room; returns the label boxes
    (points on the page) for later labels to avoid.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> set_extent(ax, 109.7, 115.0, 21.5, 24.9)
    >>> x, y = _project_xy(111.28, 23.48)
    >>> boxes = annotate_placed(ax, [(x, y)], ["梧州 Wuzhou"])
    >>> len(boxes), ax.texts[0].get_text()
    (1, '梧州 Wuzhou')
    >>> plt.close(fig)
    """
    ax.apply_aspect()  # an equal-aspect map takes its final place only when drawn: place labels there
    anchors = [_to_points(ax, x, y) for x, y in xy]
    sizes = [_text_size(ax, text, fontsize) for text in texts]
    offsets = place_labels(anchors, sizes, radii=radii, fixed=fixed, obstacles=obstacles, bounds=_axes_box(ax), centre_first=centre_first)
    boxes = []
    for (x, y), text, anchor, size, (dx, dy, ha, va) in zip(xy, texts, anchors, sizes, offsets):
        ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=fontsize,
                    zorder=zorder, bbox=LABEL_BOX, **style)
        boxes.append(label_box(anchor, size, dx, dy, ha, va))
    return boxes


# --------------------------------------------------------------------------------------------
# Map frame: extent, graticule, scale bar, notes
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _deferred_redraw(fig):
    """Build a map without rendering it after every layer; it is rendered once, when saved or shown.

    Each ``GeoDataFrame.plot`` ends with ``canvas.draw_idle()``, which on Agg (and on the notebook's
    inline backend) renders the whole figure at once: a map of n layers was rendered n times before
    being saved. Only this figure's canvas is affected, and only while the block runs.
    """
    canvas = fig.canvas
    canvas.draw_idle = lambda *args, **kwargs: None  # instance attribute shadows the method
    try:
        yield fig
    finally:
        del canvas.draw_idle


def _plot_crs(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs(PLOT_CRS)


def _project_xy(lon: float, lat: float) -> tuple[float, float]:
    return _transformer(WGS84, PLOT_CRS).transform(lon, lat)


def _clear_labels(ax) -> None:
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
    _clear_labels(ax)


def _fit(ax, frame: gpd.GeoDataFrame, pad: float = 0.06) -> None:
    minx, miny, maxx, maxy = frame.total_bounds
    margin = pad * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - margin, maxx + margin)
    ax.set_ylim(miny - margin, maxy + margin)
    ax.set_aspect("equal")
    _clear_labels(ax)


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
    to_lonlat = _transformer(PLOT_CRS, WGS84).transform
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
            clipped = _reproject(line, WGS84, PLOT_CRS).intersection(frame)
            if clipped.is_empty:
                continue
            for part in getattr(clipped, "geoms", [clipped]):
                ax.plot(*part.xy, color="0.6", lw=0.4, ls=":", zorder=0.5)
            x, y = min(shapely.get_coordinates(clipped), key=lambda c: c[edge_axis])
            if not label:
                continue
            if edge_axis == 1 and y - ymin < near_y:
                ax.annotate(text, (x, ymin), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=fontsize,
                            color="0.4", gid=YIELDING_LABEL)
            elif edge_axis == 0 and x - xmin < near_x:
                ax.annotate(text, (xmin, y), xytext=(2, 0), textcoords="offset points", ha="left", va="center", fontsize=fontsize,
                            color="0.4", gid=YIELDING_LABEL)

    meridians = np.arange(west, east + step / 2, step)
    parallels = np.arange(south, north + step / 2, step)
    draw([LineString([(lon, lat) for lat in np.linspace(south - step, north + step, 80)]) for lon in meridians],
         1, [f"{lon:g}°E" for lon in meridians])
    draw([LineString([(lon, lat) for lon in np.linspace(west - step, east + step, 160)]) for lat in parallels],
         0, [f"{lat:g}°N" for lat in parallels])
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    _clear_labels(ax)


def _nice_length(km: float) -> float:
    exponent = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * exponent <= km:
            return step * exponent
    return exponent


def add_scale_bar(ax, length_km: float | None = None, *, loc: tuple[float, float] = (0.05, 0.05), fontsize: float = 7) -> float:
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
    lon0, lat0 = _transformer(PLOT_CRS, WGS84).transform(x0, y0)
    if length_km is None:
        length_km = _nice_length((xmax - xmin) / 1000 / 5)
    if length_km <= 0:
        raise GeoError(f"add_scale_bar: length must be positive, got {length_km}")
    lon1, lat1, _ = geo.GEOD.fwd(lon0, lat0, 90, length_km * 1000)
    x1, y1 = _project_xy(lon1, lat1)
    width = math.hypot(x1 - x0, y1 - y0)
    height = (ymax - ymin) * 0.008
    half = width / 2
    ax.add_patch(Rectangle((x0, y0), half, height, facecolor="0.15", edgecolor="0.15", lw=0.6, zorder=6))
    ax.add_patch(Rectangle((x0 + half, y0), half, height, facecolor="white", edgecolor="0.15", lw=0.6, zorder=6))
    ticks = [(x0, "0"), (x0 + width, f"{length_km:g} km")]
    if width > 0.15 * (xmax - xmin):  # room for a middle label
        ticks.insert(1, (x0 + half, f"{length_km / 2:g}"))
    for x, text in ticks:
        ax.annotate(text, (x, y0 + height), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=fontsize, zorder=6)
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


def _division_names() -> pd.DataFrame:
    """admin_code -> name_zh, name_en from the places table, completed by the division reference."""
    frames = [geo.load_table("places"), geo.load_table("divisions")]
    names = pd.concat([frame[["admin_code", "name_zh", "name_en"]] for frame in frames], ignore_index=True)
    names = names[names.name_zh.fillna("").astype(str) != ""]
    return names.drop_duplicates("admin_code").set_index("admin_code")


def _sources(extra: str = "") -> str:
    return geo.boundary_source_note() + (f"; {extra}" if extra else "")


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
    provinces = _plot_layer("provinces")
    provinces.plot(ax=ax, facecolor="0.95", edgecolor="0.7", linewidth=0.3, zorder=1)
    highlight, context = list(highlight), [code for code in context if code not in set(highlight)]
    if highlight:
        provinces[provinces.admin_code.isin(highlight)].plot(ax=ax, facecolor=STUDY_FILL, edgecolor="0.45", linewidth=0.6, zorder=1.1)
    if context:
        provinces[provinces.admin_code.isin(context)].plot(ax=ax, facecolor=CONTEXT_FILL, edgecolor="0.45", linewidth=0.6, zorder=1.1)
    if sea_lines:
        _plot_layer("sea_lines").plot(ax=ax, color="0.3", linewidth=0.8, zorder=1.2)


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
    provinces = _plot_layer("provinces").set_index("admin_code")
    names = _division_names()
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
        texts.append(_label(name_zh, _short_en(name_en)))
    if not texts:
        return []
    before = len(ax.texts)
    boxes = annotate_placed(ax, xy, texts, fontsize=fontsize, radii=[0.0] * len(xy), obstacles=avoid, centre_first=True,
                            zorder=5, color="0.4", style="italic")
    for text in ax.texts[before:]:
        text.set_gid(YIELDING_LABEL)  # context, not data: it gives way to any label it would cover
    return boxes


def _anchor_xy(cases: pd.DataFrame) -> list[tuple[float, float] | None]:
    return [_project_xy(lon, lat) if math.isfinite(lon) and math.isfinite(lat) else None
            for lon, lat in zip(cases.anchor_lon, cases.anchor_lat)]


def label_cases(ax, cases: pd.DataFrame, *, extra: dict[str, str] | None = None, fontsize: float = 8,
                marker_size: float = 3.5, radii: Sequence[float] | None = None, dots: bool = True) -> list[Box]:
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
    rows = [row for row, xy in zip(cases.itertuples(), _anchor_xy(cases)) if xy is not None]
    xy = [point for point in _anchor_xy(cases) if point is not None]
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
    boxes = annotate_placed(ax, xy, texts, fontsize=fontsize, radii=radii, fixed=[_fixed_offset(row) for row in rows])
    anchors = [_to_points(ax, x, y) for x, y in xy]
    return boxes + [(x - r, y - r, x + r, y + r) for (x, y), r in zip(anchors, radii)]


# --------------------------------------------------------------------------------------------
# The maps
# --------------------------------------------------------------------------------------------


def _case_patches(cases: pd.DataFrame):
    from matplotlib.patches import Patch

    return [Patch(facecolor=row.colour, edgecolor="0.1", label=_label(row.name_zh, _short_en(row.name_en))) for row in cases.itertuples()]


def _approximate_seats(cases: pd.DataFrame) -> str:
    """"; seat of …: approximate: …" for the cases placed at a point of their boundary, else ""."""
    note = geo.approximate_seat_note(cases) if "anchor_kind" in cases.columns else ""
    return f"; {note}" if note else ""


def _without_boundary_note(cases: pd.DataFrame) -> str:
    """Names the cases the layers do not cover yet: drawn as a point at their seat, or not drawn at all."""
    missing = cases[~cases.has_boundary.astype(bool)]
    if missing.empty:
        return ""
    point = missing[missing.anchor_kind != ""]
    hidden = missing[missing.anchor_kind == ""]
    parts = []
    if not point.empty:
        parts.append("no boundary in the layers yet, drawn as a point at the seat: " + ", ".join(f"{r.case} {r.admin_code}" for r in point.itertuples()))
    if not hidden.empty:
        parts.append("no boundary in the layers yet and no seat, not drawn: " + ", ".join(f"{r.case} {r.admin_code}" for r in hidden.itertuples()))
    return "; " + "; ".join(parts)


def draw_locator(cases: gpd.GeoDataFrame, distances: pd.DataFrame | None = None):
    """China with the provinces of the cases (South China Sea islands in an inset, as on published maps
    of China), and a regional panel with every case labelled (``cases`` from
    :func:`kexie_research.analysis.geo.case_geometries`).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from kexie_research.analysis import geo
    >>> fig = draw_locator(geo.case_geometries())
    >>> len(fig.axes)  # China, the South China Sea inset, the regional panel
    3
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    provinces = list(dict.fromkeys(cases.province_code))
    context = [code for code in context_provinces(distances) if code not in provinces]
    n = geo.count_note(cases)
    n_cases = cases.case.nunique()
    drawn = cases[cases.has_boundary.astype(bool)]
    fig, (ax_china, ax_region) = plt.subplots(1, 2, figsize=(13, 6.6), gridspec_kw={"width_ratios": [1.35, 1]})
    with _deferred_redraw(fig):
        for ax in (ax_china, ax_region):
            map_axes(ax)
            draw_context(ax, highlight=provinces, context=context)
            if not drawn.empty:
                _plot_crs(drawn).plot(ax=ax, color=list(drawn.colour), edgecolor="0.1", linewidth=0.4, zorder=3)
        set_extent(ax_china, *CHINA_EXTENT)
        add_graticule(ax_china, 10)
        region = geo.case_region(cases)
        box = gpd.GeoSeries([shapely.box(region[0], region[2], region[1], region[3]).segmentize(0.2)], crs=WGS84).to_crs(PLOT_CRS)
        box.boundary.plot(ax=ax_china, color="#b2182b", linewidth=1.0, zorder=4)
        _clear_labels(ax_china)
        inset = ax_china.inset_axes([0.80, 0.0, 0.20, 0.36])
        map_axes(inset)
        draw_context(inset, highlight=provinces, context=context)
        set_extent(inset, *SOUTH_SEA_EXTENT)
        inset.annotate(_label("南海诸岛", "S. China Sea islands"), (0.97, 0.03), xycoords="axes fraction", ha="right", va="bottom", fontsize=6,
                       bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
        ax_china.set_title(_label(f"中国及{n_cases}个案例地所在省级单位", f"China and the provinces of the {n}"), fontsize=10)

        set_extent(ax_region, *region)
        add_graticule(ax_region, graticule_step(*region))
        add_scale_bar(ax_region)
        fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.2, wspace=0.04)
        boxes = label_cases(ax_region, cases)
        label_provinces(ax_region, [*provinces, *context], avoid=boxes)
        ax_region.set_title(_label(f"{n_cases}个案例地", f"The {n}"), fontsize=10)
        handles = _case_patches(cases)
        handles.append(Patch(facecolor=STUDY_FILL, edgecolor="0.45", label=_label("案例地所在省级单位", "Provinces of the cases")))
        if context:
            names = _division_names()
            zh = "、".join(names.name_zh.get(code, code) for code in context)
            en = ", ".join(_short_en(names.name_en.get(code, code)) for code in context)
            handles.append(Patch(facecolor=CONTEXT_FILL, edgecolor="0.45", label=_label(f"政策距离涉及：{zh}", f"in the policy distances: {en}")))
        handles += [
            plt.Line2D([], [], color="0.3", lw=0.8, label=_label("海上边界线与南海断续线", "Maritime boundary / dashed line")),
            Patch(facecolor="none", edgecolor="#b2182b", label=_label("右图范围", "Extent of the right panel")),
        ]
        fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7.5, frameon=False, bbox_to_anchor=(0.5, 0.03))
        n_provinces = len(_plot_layer("provinces"))
        add_note(fig, n=f"{n}; {n_provinces} provincial units",
                 sources=_sources("seats: places table") + _approximate_seats(cases) + _without_boundary_note(cases),
                 width=190)
    return fig


def class_breaks(values: Iterable[float], k: int = 3) -> tuple[list[float], list[str]]:
    """Class upper bounds and legend labels (mapclassify natural breaks).

    With ``k`` or fewer distinct values each value is its own class (no invented ranges for n = 2).

    Examples
    --------
    >>> class_breaks([1.0, 2.0])
    ([1.0, 2.0], ['1', '2'])
    """
    import mapclassify

    data = np.asarray([v for v in values if pd.notna(v)], dtype=float)
    if data.size == 0:
        return [], []
    unique = np.unique(data)
    if unique.size <= k:
        return [float(b) for b in unique], [_fmt(b) for b in unique]
    bins = [float(b) for b in mapclassify.NaturalBreaks(data, k=k).bins]
    labels = [f"{_fmt(data.min())}–{_fmt(bins[0])}"] + [f"{_fmt(low)}–{_fmt(high)}" for low, high in itertools.pairwise(bins)]
    return bins, labels


def _fmt(value: float) -> str:
    """Readable numbers for labels: 7,110 rather than 7.11e+03; 0.418 stays 0.418."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _classify(value: float, bins: list[float]) -> int:
    for index, upper in enumerate(bins):
        if value <= upper + 1e-12:
            return index
    return len(bins) - 1


def rate_text(row: Any) -> str:
    """``"≥0.106"``: a rate per 10,000 with the qualifier of the text's figure.

    Examples
    --------
    >>> import pandas as pd
    >>> rate_text(pd.Series({"rate_per_10k": 0.1064, "qualifier": "at_least"}))
    '≥0.106'
    >>> rate_text(pd.Series({"rate_per_10k": 0.4183, "qualifier": "exact"}))
    '0.418'
    """
    sign = {"at_least": "≥", "at_most": "≤", "approx": "≈"}.get(row.qualifier, "")
    return f"{sign}{_fmt(row.rate_per_10k)}"


def _status_text(status: str) -> str:
    if status == "not stated":
        return _label("未注明", "not stated")
    return _label("人口数据缺失", geo.NO_POPULATION)


def draw_per_10k(table: gpd.GeoDataFrame, cases: gpd.GeoDataFrame | None = None):
    """Map of an indicator per 10,000 residents (from :func:`kexie_research.analysis.geo.per_10k`).

    Prefecture scale: proportional circles (area ∝ rate) at the anchors of the cases, classed colours
    (mapclassify), each labelled with the rate, the text's figure and n. County scale: a classed
    choropleth, one panel per case with a county panel. Units without a value are "not stated";
    units without a population say "population not available".

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import kexie_research as kr
    >>> from kexie_research.analysis import geo
    >>> table = geo.per_10k(kr.load_indicators(), "enterprise_kexie_count")
    >>> fig = draw_per_10k(table, geo.case_geometries())
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    cases = geo.case_geometries() if cases is None else cases
    scale = table.attrs.get("scale", "prefecture")
    title = _label(f"{table.attrs.get('indicator_zh', '')}（每万常住人口）", f"{table.attrs.get('indicator_en', '')} per 10,000 residents")
    with_value = table[table.status == "value"]
    bins, labels = class_breaks(with_value.rate_per_10k, k=3)
    colours = plt.get_cmap("YlGnBu")(np.linspace(0.4, 0.9, max(len(bins), 1)))
    sources = _sources(f"population: {geo.CENSUS_NOTE}; values: indicator table")
    if scale == "prefecture":  # the circles stand at the cases' anchors
        sources += _approximate_seats(cases)
    legend_title = _label("每万人", "per 10,000")
    if scale == "prefecture":
        fig, ax = plt.subplots(figsize=(9.5, 6.8))
        with _deferred_redraw(fig):
            map_axes(ax)
            draw_context(ax, highlight=list(dict.fromkeys(cases.province_code)))
            drawn = table[[geometry is not None and not geometry.is_empty for geometry in table.geometry]]
            if not drawn.empty:
                _plot_crs(drawn).plot(ax=ax, facecolor="white", edgecolor="0.3", linewidth=0.6, zorder=2)
            region = geo.case_region(cases)
            set_extent(ax, *region)
            largest = float(with_value.rate_per_10k.max()) if len(with_value) else 1.0
            max_area = 700.0

            def area(rate: float) -> float:
                return max(max_area * rate / largest, 12.0) if largest > 0 else 40.0

            anchors = cases.set_index("case", drop=False)
            xy, texts, radii = [], [], []
            for row in table.itertuples():
                lon, lat = anchors.at[row.case, "anchor_lon"], anchors.at[row.case, "anchor_lat"]
                if not (math.isfinite(lon) and math.isfinite(lat)):
                    continue
                x, y = _project_xy(lon, lat)
                name = case_name(anchors.loc[row.case])
                if row.status == "value":
                    size = area(row.rate_per_10k)
                    ax.scatter(x, y, s=size, color=colours[_classify(row.rate_per_10k, bins)], edgecolor="0.1", alpha=0.9, zorder=4)
                    text = f"{name}\n{rate_text(row)} /万人 (原文 {row.raw_text}; n={row.n_records})"
                else:
                    size = 30.0
                    ax.scatter(x, y, s=size, marker="x", color="0.35", zorder=4)
                    text = f"{name}\n{_status_text(row.status)}"
                xy.append((x, y))
                texts.append(text)
                radii.append(math.sqrt(size / math.pi))
            annotate_placed(ax, xy, texts, fontsize=7, radii=radii, zorder=5)
            add_graticule(ax, graticule_step(*region))
            add_scale_bar(ax)
            handles = [plt.scatter([], [], s=area(b), color=c, edgecolor="0.1", label=lab) for b, c, lab in zip(bins, colours, labels)]
            handles.append(plt.scatter([], [], s=30, marker="x", color="0.35", label=_label("未注明或人口缺失", "not stated / no population")))
            ax.legend(handles=handles, title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, title_fontsize=7, labelspacing=1.8, borderpad=1.2, handletextpad=1.6, frameon=False)
            ax.set_title(title, fontsize=10)
            add_note(ax, n=f"{len(with_value)} of {geo.count_note(table)} with a value (n = coded records behind each value)", sources=sources, width=105)
        return fig
    groups = list(dict.fromkeys(table.case))
    if not groups:
        raise GeoError("draw_per_10k: no case has a county panel (county_panel in the cases table)")
    names = cases.set_index("case")
    fig, axes = plt.subplots(1, len(groups), figsize=(4.6 * len(groups), 5.4))
    with _deferred_redraw(fig):
        axes = np.atleast_1d(axes)
        for ax, group in zip(axes, groups):
            part = _plot_crs(table[table.case == group])
            map_axes(ax)
            for row in part.itertuples():
                if row.status == "value":
                    style = {"facecolor": colours[_classify(row.rate_per_10k, bins)], "edgecolor": "0.2", "linewidth": 0.5}
                else:
                    style = UNKNOWN_STYLE if row.status == "no population" else NOT_STATED_STYLE
                gpd.GeoSeries([row.geometry], crs=PLOT_CRS).plot(ax=ax, **style)
                point = row.geometry.representative_point()
                text = _label(row.name_zh, "") or row.admin_code
                if row.status == "value":
                    text += f"\n{rate_text(row)}"
                ax.annotate(text, (point.x, point.y), ha="center", va="center", fontsize=6.5)
            _fit(ax, part)
            west, south, east, north = table[table.case == group].total_bounds
            add_graticule(ax, graticule_step(west, east, south, north), fontsize=6)
            add_scale_bar(ax, loc=(0.05, 0.04), fontsize=6)
            head = names.loc[group]
            ax.set_title(_label(head.name_zh, _short_en(head.name_en)), fontsize=9)
        handles = [Patch(facecolor=c, edgecolor="0.2", label=lab) for c, lab in zip(colours, labels)]
        handles += [Patch(**NOT_STATED_STYLE, label=_label("文中未注明", "not stated")), Patch(**UNKNOWN_STYLE, label=_label("人口数据缺失", geo.NO_POPULATION))]
        fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=7, title=legend_title, title_fontsize=7, frameon=False, bbox_to_anchor=(0.5, 0.04))
        fig.suptitle(title, fontsize=10)
        fig.subplots_adjust(bottom=0.2, top=0.88, wspace=0.05)
        add_note(fig, n=f"{len(with_value)} of {len(table)} county-level units with a value ({len(groups)} county panels)", sources=sources, width=60 * len(groups))
    return fig


def draw_county_status(
    counties: gpd.GeoDataFrame, *, title_zh: str, title_en: str, legend: dict[str, str], sources: str,
    n_note: str, value_format=None,
):
    """Choropleth of one case's county-level units by ``status`` (and ``value`` where stated).

    ``legend`` gives the bilingual legend text of each status; statuses: stated (coloured by
    value), bound, named, unknown, not stated. Units are labelled with their name and stated value.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from kexie_research.analysis import geo
    >>> counties = geo.load_boundaries("counties").head(3).assign(status="not stated", value=np.nan)
    >>> fig = draw_county_status(counties, title_zh="县", title_en="counties", legend={"not stated": "未注明 not stated"},
    ...                          sources="none", n_note="3")
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    unknown = sorted(set(counties.status) - set(STATUS_STYLES))
    if unknown:
        raise GeoError(f"draw_county_status: unknown status value(s) {unknown}; valid: {', '.join(STATUS_STYLES)}")
    frame = _plot_crs(counties)
    fig, ax = plt.subplots(figsize=(7.5, 6.8))
    with _deferred_redraw(fig):
        map_axes(ax)
        stated = frame[frame.status == "stated"]
        stated_colours: dict[float, Any] = {}
        if not stated.empty:
            values = sorted(stated.value.unique())
            stated_colours = dict(zip(values, plt.get_cmap("Oranges")(np.linspace(0.45, 0.85, len(values)))))
        for row in frame.itertuples():
            if row.status == "stated":
                style = {"facecolor": stated_colours[row.value], "edgecolor": "0.2", "linewidth": 0.5}
            else:
                style = STATUS_STYLES[row.status]
            gpd.GeoSeries([row.geometry], crs=PLOT_CRS).plot(ax=ax, **style)
            point = row.geometry.representative_point()
            text = _label(row.name_zh, "") or row.admin_code
            if row.status == "stated" and value_format:
                text += "\n" + value_format(row.value)
            ax.annotate(text, (point.x, point.y), ha="center", va="center", fontsize=7, zorder=5,
                        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.6})
        _fit(ax, frame)
        west, south, east, north = counties.total_bounds
        add_graticule(ax, graticule_step(west, east, south, north), fontsize=6)
        add_scale_bar(ax, loc=(0.05, 0.04), fontsize=6)
        handles = [Patch(facecolor=colour, edgecolor="0.2", label=value_format(value) if value_format else f"{value:g}") for value, colour in stated_colours.items()]
        handles += [Patch(**STATUS_STYLES[status], label=text) for status, text in legend.items() if status != "stated" and (frame.status == status).any()]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
        ax.set_title(_label(title_zh, title_en, sep="\n"), fontsize=10)
        add_note(ax, n=n_note, sources=sources, width=110)
    return fig


def _start_text(row: Any, order: dict[str, int]) -> str:
    if pd.notna(row.year):
        return f"{order[row.case]}. {row.year}"
    if str(row.year_rule).startswith("not before"):
        year = str(row.year_rule).split()[-1]
        return _label(f"年份未注明（不早于{year}年）", f"no year; not before {year}")
    if row.year_rule == "no event in the timeline":
        return _label("时间线无事件", "no event in the timeline")
    return _label("年份未注明", "no year stated")


def draw_reform_timeline(starts: pd.DataFrame, cases: gpd.GeoDataFrame):
    """Every case labelled with the year its reform started (:func:`kexie_research.analysis.geo.reform_starts`).

    Arrows join cases with a stated year in calendar order: they show sequence, not that one case
    learnt from another. Cases without a year (or with only a lower bound) are grey. A time strip
    below repeats the years; a lower bound is drawn as an open interval.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from kexie_research.analysis import geo
    >>> fig = draw_reform_timeline(geo.reform_starts(), geo.case_geometries())
    >>> len(fig.axes)  # the map and the time strip
    2
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    by_case = cases.set_index("case", drop=False)
    starts = starts[starts.case.isin(by_case.index)].reset_index(drop=True)
    n = geo.count_note(starts)
    fig = plt.figure(figsize=(8.5, 9.2))
    with _deferred_redraw(fig):
        ax = fig.add_axes([0.05, 0.3, 0.9, 0.64])
        ax_time = fig.add_axes([0.16, 0.09, 0.74, 0.15])
        map_axes(ax)
        draw_context(ax, highlight=list(dict.fromkeys(cases.province_code)))
        drawn = cases[cases.has_boundary.astype(bool)]
        if not drawn.empty:
            _plot_crs(drawn).plot(ax=ax, color=list(drawn.colour), edgecolor="0.1", linewidth=0.4, alpha=0.8, zorder=2)
        region = geo.case_region(cases)
        set_extent(ax, *region)
        xy = {case: point for case, point in zip(by_case.case, _anchor_xy(by_case)) if point is not None}
        known = starts[starts.year.notna() & starts.case.isin(xy)].sort_values(["year", "case"])
        years = sorted(known.year.unique())
        for earlier, later in itertools.pairwise(years):
            for source in known[known.year == earlier].case:
                for target in known[known.year == later].case:
                    ax.add_patch(FancyArrowPatch(xy[source], xy[target], arrowstyle="-|>", mutation_scale=14, color="#b2182b", lw=1.3, connectionstyle="arc3,rad=0.18", zorder=4, shrinkA=6, shrinkB=6))
        order = {case: rank for rank, case in enumerate(known.case, start=1)}
        extra = {}
        for row in starts.itertuples():
            if row.case in xy:
                ax.plot(*xy[row.case], "o", ms=8, color="#b2182b" if pd.notna(row.year) else "0.55", zorder=5)
            extra[row.case] = _start_text(row, order)
        boxes = label_cases(ax, by_case.loc[starts.case].reset_index(drop=True), extra=extra, dots=False, radii=[4.5] * len(xy))
        label_provinces(ax, list(dict.fromkeys(cases.province_code)), avoid=boxes)
        add_graticule(ax, graticule_step(*region))
        add_scale_bar(ax)
        ax.set_title(_label("改革启动时间（按文本）", "When each reform started, as the texts say"), fontsize=10)
        ax_time.grid(False)
        stated_years = [int(y) for y in starts.year.dropna()]
        bounds = [int(str(rule).split()[-1]) for rule in starts.year_rule if str(rule).startswith("not before")]
        first = min(stated_years + bounds, default=2018) - 1
        last = max(stated_years + bounds, default=2020) + 1
        no_year = last + 1.0
        for lane, row in enumerate(starts.itertuples()):
            colour = by_case.at[row.case, "colour"]
            if pd.notna(row.year):
                ax_time.plot(row.year, lane, "o", color=colour, ms=7)
            elif str(row.year_rule).startswith("not before"):
                start = int(str(row.year_rule).split()[-1])
                ax_time.annotate("", xy=(last + 0.3, lane), xytext=(start, lane), arrowprops={"arrowstyle": "->", "color": colour, "ls": "--"})
                ax_time.plot(start, lane, "|", color=colour, ms=10, mew=2)
            else:
                ax_time.plot(no_year, lane, "s", color="0.6", ms=6)
        ax_time.set_yticks(range(len(starts)))
        ax_time.set_yticklabels([case_name(by_case.loc[case]) for case in starts.case], fontsize=7)
        ax_time.set_xlim(first - 0.4, no_year + 0.5)
        ax_time.set_ylim(-0.7, len(starts) - 0.3)
        ticks = list(range(first, last + 1))
        ax_time.set_xticks([*ticks, no_year])
        ax_time.set_xticklabels([*map(str, ticks), _label("无年份", "no year")], fontsize=7)
        ax_time.axvline(last + 0.5, color="0.8", lw=0.8)
        sources = sorted({str(s) for s in starts.source_id.dropna()})
        add_note(ax_time, n=f"{n}, {len(known)} with a stated year",
                 sources=f"the reform timeline ({', '.join(sources)}; quotes and offsets in geo.reform_starts()); " + geo.boundary_source_note()
                 + _approximate_seats(cases),
                 width=120, y=-0.3)
    return fig


def _pair_extent(rows: gpd.GeoDataFrame, cases: gpd.GeoDataFrame, pad: float = 0.25, min_span: float = 2.0) -> tuple[float, float, float, float]:
    parts = [g for g in rows.geometry if g is not None and not g.is_empty]
    parts += [shapely.geometry.Point(x, y) for x, y in zip(cases.anchor_lon, cases.anchor_lat) if math.isfinite(x) and math.isfinite(y)]
    west, south, east, north = shapely.union_all(parts).bounds
    margin = pad * max(east - west, north - south)
    west, east, south, north = west - margin, east + margin, south - margin, north + margin
    for low, high in ((0, 1), (2, 3)):
        box = [west, east, south, north]
        if box[high] - box[low] < min_span:
            middle = (box[high] + box[low]) / 2
            box[low], box[high] = middle - min_span / 2, middle + min_span / 2
        west, east, south, north = box
    return west, east, south, north


def draw_distances(distances: gpd.GeoDataFrame, cases: gpd.GeoDataFrame):
    """One panel per policy context of the distance pairs (the provincial-capital distances only when no
    other context is declared): the cases, the context layers and provinces, each measure drawn and
    labelled with its length.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from kexie_research.analysis import geo
    >>> distances = geo.policy_distances()
    >>> fig = draw_distances(distances, geo.case_geometries())
    >>> any(text.get_text().endswith(" km") for ax in fig.axes for text in ax.texts)
    True
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    contexts = [c for c in dict.fromkeys(distances.context) if c != geo.CAPITAL_CONTEXT[0]] or [geo.CAPITAL_CONTEXT[0]]
    fig, axes = plt.subplots(1, len(contexts), figsize=(6.5 * len(contexts), 6.2), squeeze=False)
    axes = axes[0]
    targets = geo.load_distance_targets().set_index("target_id")
    seats = geo.seat_points().set_index("admin_code")
    layers_used, borders = [], False
    # The layout is fixed before anything is drawn: labels are placed in points on the final page.
    fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.16, wspace=0.05)
    with _deferred_redraw(fig):
        for ax, context in zip(axes, contexts):
            rows = distances[(distances.context == context) & distances.km.notna()]
            involved = cases[cases.case.isin(rows.case)]
            map_axes(ax)
            draw_context(ax, highlight=list(dict.fromkeys(cases.province_code)), context=context_provinces(rows))
            for layer in context_layers(rows):
                _plot_layer(layer).plot(ax=ax, facecolor=LAYER_FILL, edgecolor="0.45", linewidth=0.4, zorder=1.5)
                layers_used.append(layer) if layer not in layers_used else None
            drawn = cases[cases.has_boundary.astype(bool)]
            if not drawn.empty:
                _plot_crs(drawn).plot(ax=ax, facecolor=list(drawn.colour), alpha=0.45, edgecolor=list(drawn.colour), linewidth=1.0, zorder=2)
            extent = _pair_extent(rows, involved)
            set_extent(ax, *extent)
            xy, texts = [], []
            for row in _plot_crs(rows).itertuples():
                if row.geometry is None or row.geometry.is_empty:
                    continue
                if row.measure == "shared_border":
                    borders = True
                    gpd.GeoSeries([row.geometry], crs=PLOT_CRS).plot(ax=ax, color="#b2182b", linewidth=2.4, zorder=3)
                    continue
                xs, ys = row.geometry.xy
                ax.plot(xs, ys, color="0.15", lw=1.0, ls="--", zorder=4)
                ax.plot(xs[-1], ys[-1], "o", ms=3, color="0.15", zorder=4)
                # Labels of short segments go beside their far end, long ones at 60 % of the way.
                share = 1.0 if row.km < 40 else 0.6
                xy.append((xs[0] + share * (xs[-1] - xs[0]), ys[0] + share * (ys[-1] - ys[0])))
                texts.append(f"{row.km:.0f} km")
            # Named points: seats and reference points at the ends of the drawn measures.
            point_xy, point_texts = [], []
            for end in dict.fromkeys([*rows.from_end, *rows.to_end]):
                parts = geo.parse_end(end)
                if parts[0] == "seat" and parts[1] in seats.index:
                    seat = seats.loc[parts[1]]
                    point_xy.append(_project_xy(seat.seat_lon, seat.seat_lat))
                    point_texts.append(_label(seat.name_zh, _short_en(seat.name_en)))
                elif parts[0] == "target" and parts[1] in targets.index:
                    target = targets.loc[parts[1]]
                    name_en = str(target.name_en).split(" (")[0] + (" (approx.)" if target.approximate else "")
                    point_xy.append(_project_xy(target.lon, target.lat))
                    point_texts.append(_label(str(target.name_zh).split("（")[0], name_en))
            for x, y in point_xy:
                ax.plot(x, y, "o", ms=4, color="0.05", zorder=6)
            boxes = annotate_placed(ax, point_xy, point_texts, fontsize=7.5, radii=[3.0] * len(point_xy))
            boxes += annotate_placed(ax, xy, texts, fontsize=7.5, radii=[1.0] * len(xy), obstacles=boxes, centre_first=True, zorder=5)
            label_provinces(ax, [*dict.fromkeys(cases.province_code), *context_provinces(rows)], avoid=boxes)
            add_graticule(ax, graticule_step(*extent))
            add_scale_bar(ax)
            first = rows.iloc[0] if len(rows) else None
            who = "、".join(cases.set_index("case").case_zh.reindex(list(dict.fromkeys(rows.case))).dropna())
            who_en = ", ".join(cases.set_index("case").case_en.reindex(list(dict.fromkeys(rows.case))).dropna())
            if first is not None:
                ax.set_title(_label(f"{who}：{first.context_zh}", f"{who_en}: {first.context_en}"), fontsize=10)
        handles = [Patch(facecolor=LAYER_FILL, edgecolor="0.45", label=_label(*geo.LAYER_NAMES.get(layer, (layer, layer)))) for layer in layers_used]
        if borders:
            handles.append(plt.Line2D([], [], color="#b2182b", lw=2.4, label=_label("共同边界", "common border")))
        handles += [
            plt.Line2D([], [], color="0.15", lw=1, ls="--", label=_label("最短距离/测地线", "shortest / geodesic distance")),
            Patch(facecolor=STUDY_FILL, edgecolor="0.45", label=_label("案例地所在省级单位", "Provinces of the cases")),
        ]
        fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=7.5, frameon=False, bbox_to_anchor=(0.5, 0.05))
        drawn_count = int(distances.context.isin(contexts).sum())
        add_note(fig, n=f"{drawn_count} measures drawn ({int(distances.km.notna().sum())} in the table)",
                 sources=_sources("seats: places table (precision per seat in the table; a prefecture or county without one: "
                                  f"{geo.APPROXIMATE_SEAT}); points: distance targets table"),
                 width=95 * len(contexts))
    return fig


def value_formatter(unit: str):
    """A formatter for stated values of ``unit`` (yuan are written in 万元, as the texts do).

    Examples
    --------
    >>> value_formatter("CNY")(205200.0), value_formatter("organisation")(12.0)
    ('20.52万元', '12')
    """
    if unit == "CNY":
        return lambda value: f"{value / 1e4:g}万元"
    return lambda value: f"{value:g}"


def draw_county_breakdown(table: gpd.GeoDataFrame, meta: pd.Series, case: Any, year: Any = None):
    """A county panel of stated values and a stated bound (from
    :func:`kexie_research.analysis.geo.county_values_with_bound`) for one case and indicator.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import kexie_research as kr
    >>> from kexie_research.analysis import geo
    >>> facts, cases = kr.load_indicators(), geo.case_geometries().set_index("case", drop=False)
    >>> row = geo.county_breakdowns(facts).iloc[0]
    >>> counties = geo.county_values_with_bound(facts, row.indicator_id, row.admin_code, year=int(row.year))
    >>> fig = draw_county_breakdown(counties, geo.indicator_meta(row.indicator_id), cases.loc[row.case], int(row.year))
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    fmt = value_formatter(str(meta["unit"]))
    bound = table.bound.dropna()
    legend = {"not stated": _label("文中未注明", "not stated")}
    if not bound.empty:
        raw = table.attrs.get("bound_raw_text", "")
        legend = {"bound": _label(f"≤{fmt(bound.iloc[0])}（原文：{raw}）", f"at most {bound.iloc[0]:,.0f}{' yuan' if meta['unit'] == 'CNY' else ''} (bound stated for the others)"), **legend}
    when = f"{year}年" if year is not None and not pd.isna(year) else ""
    when_en = f", {year}" if when else ""
    records = ", ".join(sorted(table.record_id.dropna().unique()))
    return draw_county_status(
        table, title_zh=f"{case.case_zh}各县（市、区）：{meta['zh']}{when}", title_en=f"{case.case_en}: {meta['en']} by county-level unit{when_en}",
        legend=legend, value_format=fmt,
        n_note=f"{len(table)} county-level units; {int((table.status == 'stated').sum())} stated, {int((table.status == 'bound').sum())} bounded",
        sources=f"{case.source_ids} ({records}); " + geo.boundary_source_note(),
    )


def draw_county_mentions(table: gpd.GeoDataFrame, meta: pd.Series, case: Any):
    """A county panel of the units a quote names among a stated total (from
    :func:`kexie_research.analysis.geo.counties_named_in_quote`): named vs unknown, never "no".

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import kexie_research as kr
    >>> from kexie_research.analysis import geo
    >>> facts, cases = kr.load_indicators(), geo.case_geometries().set_index("case", drop=False)
    >>> row = geo.county_mentions(facts).iloc[0]
    >>> counties = geo.counties_named_in_quote(facts, row.indicator_id, row.admin_code, record_id=row.record_id)
    >>> fig = draw_county_mentions(counties, geo.indicator_meta(row.indicator_id), cases.loc[row.case])
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    total, n_units = int(table.attrs["total"]), int(table.attrs["n_units"])
    named = int((table.status == "named").sum())
    return draw_county_status(
        table, title_zh=f"{case.case_zh}：{meta['zh']}（文中点名的县级单位）", title_en=f"{case.case_en}: {meta['en']} — units the text names",
        legend={
            "named": _label("文中点名", "named in the text"),
            "unknown": _label(f"未知（另有{total - named}个未点名）", f"unknown ({total - named} more are not named)"),
        },
        n_note=f"{n_units} county-level units; {total} in the stated total, {named} named",
        sources=f"{case.source_ids} ({table.attrs['record_id']}); " + geo.boundary_source_note(),
    )
