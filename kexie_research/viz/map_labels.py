"""Label placement for maps: candidate positions around each point, the least overlap wins.

Pure geometry (points and sizes in, offsets out) plus the one function that measures texts on an
axes and writes them (:func:`annotate_placed`). Deterministic: the same input gives the same output.

Examples
--------
>>> from kexie_research.viz.map_labels import label_box
>>> label_box((0, 0), (10, 4), 5, 0, "left", "center")
(5, -2.0, 15, 2.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd


# The white box behind a label, so that it stays legible over boundaries and fills.
LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}


# --------------------------------------------------------------------------------------------
# Label placement (pure: points in, offsets out)
# --------------------------------------------------------------------------------------------

# Candidate directions in order of preference: right, upper right, lower right, left, upper left,
# lower left, above, below. (unit dx, unit dy, ha, va)
DIRECTIONS: tuple[tuple[float, float, str, str], ...] = (
    (1, 0, "left", "center"),
    (0.72, 0.72, "left", "bottom"),
    (0.72, -0.72, "left", "top"),
    (-1, 0, "right", "center"),
    (-0.72, 0.72, "right", "bottom"),
    (-0.72, -0.72, "right", "top"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
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
    anchors: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    *,
    radii: Sequence[float] | None = None,
    fixed: Sequence[tuple[float, float, str, str] | None] | None = None,
    obstacles: Iterable[Box] = (),
    bounds: Box | None = None,
    gap: float = 4.0,
    centre_first: bool = False,
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
        offset = fixed[index]
        if offset is not None:
            result[index] = offset
            placed.append(label_box(anchors[index], sizes[index], *offset))
    for index in range(n):
        if result[index] is not None:
            continue
        distance = radii[index] + gap
        # The eight positions next to the point first; farther rings only when none of those is free.
        candidates = [
            (round(ux * ring, 6), round(uy * ring, 6), ha, va)
            for ring in (distance, distance * 3, distance * 5)
            for ux, uy, ha, va in DIRECTIONS
        ]
        if centre_first:
            candidates = [(0.0, 0.0, "center", "center")] + [
                (round(ux * ring, 6), round(uy * ring, 6), "center", "center")
                for ring in (distance * 3, distance * 6)
                for ux, uy, _, _ in DIRECTIONS
            ]
        best, best_cost = candidates[0], math.inf
        for candidate in candidates:
            box = label_box(anchors[index], sizes[index], *candidate)
            cost = sum(_overlap(box, other) for other in placed)
            cost += sum(
                _overlap(box, marker) for number, marker in enumerate(markers) if number != index or centre_first
            )
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


def to_points(ax, x: float, y: float) -> tuple[float, float]:
    """Data coordinates of ``ax`` in points on the page (the unit of :func:`place_labels`).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 2), dpi=100)
    >>> x, y = to_points(ax, 1.0, 1.0); bool(x > to_points(ax, 0.0, 0.0)[0])
    True
    >>> plt.close(fig)
    """
    px, py = ax.transData.transform((x, y))
    scale = _points_per_pixel(ax.figure)
    return (px * scale, py * scale)


def _axes_box(ax) -> Box:
    box = ax.get_window_extent()
    scale = _points_per_pixel(ax.figure)
    return (box.x0 * scale, box.y0 * scale, box.x1 * scale, box.y1 * scale)


def fixed_offset(row: Any) -> tuple[float, float, str, str] | None:
    """The label offset (dx, dy, ha, va) fixed in a row of the cases table, or ``None`` where it fixes none.

    Examples
    --------
    >>> fixed_offset(pd.Series({"label_dx": 4.0, "label_dy": -2.0, "label_ha": "right"}))
    (4.0, -2.0, 'right', 'center')
    >>> fixed_offset(pd.Series({"label_dx": float("nan")})) is None
    True
    """
    dx, dy = getattr(row, "label_dx", np.nan), getattr(row, "label_dy", np.nan)
    if pd.isna(dx) or pd.isna(dy):
        return None
    ha = getattr(row, "label_ha", "") or "left"
    return (float(dx), float(dy), ha, "center")


def annotate_placed(
    ax,
    xy: Sequence[tuple[float, float]],
    texts: Sequence[str],
    *,
    fontsize: float = 8,
    radii: Sequence[float] | None = None,
    fixed=None,
    obstacles: Iterable[Box] = (),
    centre_first: bool = False,
    zorder: float = 6,
    **style,
) -> list[Box]:
    """Write ``texts`` at data points ``xy`` where :func:`place_labels` finds room; returns the label boxes
    (points on the page) for later labels to avoid.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_xlim(0, 10), ax.set_ylim(0, 10)
    >>> boxes = annotate_placed(ax, [(5.0, 5.0)], ["梧州 Wuzhou"])
    >>> len(boxes), ax.texts[0].get_text()
    (1, '梧州 Wuzhou')
    >>> plt.close(fig)
    """
    ax.apply_aspect()  # an equal-aspect map takes its final place only when drawn: place labels there
    anchors = [to_points(ax, x, y) for x, y in xy]
    sizes = [_text_size(ax, text, fontsize) for text in texts]
    offsets = place_labels(
        anchors, sizes, radii=radii, fixed=fixed, obstacles=obstacles, bounds=_axes_box(ax), centre_first=centre_first
    )
    boxes = []
    for (x, y), text, anchor, size, (dx, dy, ha, va) in zip(xy, texts, anchors, sizes, offsets):
        ax.annotate(
            text,
            (x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=fontsize,
            zorder=zorder,
            bbox=LABEL_BOX,
            **style,
        )
        boxes.append(label_box(anchor, size, dx, dy, ha, va))
    return boxes
