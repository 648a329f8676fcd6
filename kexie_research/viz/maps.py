"""Maps of the geographic report (the figure functions), drawn with matplotlib from the frames of
:mod:`kexie_research.analysis.geo`.

Every map gets a graticule, a scale bar on regional maps, a legend, bilingual labels and a note with
its n (counted from the data) and sources (boundary data date included). The parts live in modules
of their own: :mod:`~kexie_research.viz.map_labels` (label placement: eight candidate positions per
label, the one with the least overlap wins, deterministic, unless the cases table fixes an offset),
:mod:`~kexie_research.viz.map_frame` (extent, graticule, scale bar, note, context layers and names),
:mod:`~kexie_research.viz.map_classes` (class breaks and value texts) and
:mod:`~kexie_research.viz.per_capita_map` (the map of an indicator per 10,000 residents, also
``maps.draw_per_10k``).

Examples
--------
>>> from kexie_research.viz import maps
>>> maps.value_formatter("CNY")(205200.0)
'20.52万元'
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kexie_research.analysis import geo
from kexie_research.analysis.geo import PLOT_CRS, WGS84, GeoError
from kexie_research.analysis.geo.layers import plot_layer
from kexie_research.viz.labels import label

import geopandas as gpd
import shapely

from kexie_research.viz.map_classes import value_formatter
from kexie_research.viz.map_frame import (
    CONTEXT_FILL,
    NOT_STATED_STYLE,
    UNKNOWN_STYLE,
    STUDY_FILL,
    add_graticule,
    add_note,
    add_scale_bar,
    approximate_seats_note,
    case_anchors,
    case_name,
    clear_labels,
    context_layers,
    context_provinces,
    deferred_redraw,
    division_names,
    draw_context,
    fit_to,
    graticule_step,
    label_cases,
    label_provinces,
    map_axes,
    map_sources,
    project_xy,
    set_extent,
    short_english,
    to_plot_crs,
)
from kexie_research.viz.map_labels import annotate_placed
from kexie_research.viz.per_capita_map import draw_per_10k as draw_per_10k  # the report's maps in one place

if TYPE_CHECKING:
    from matplotlib.artist import Artist

LAYER_FILL = "#c7e9c0"
CHINA_EXTENT = (73, 135.5, 15.5, 54)
SOUTH_SEA_EXTENT = (106, 123, 2.5, 24.5)
STATUS_STYLES: dict[str, dict[str, Any] | None] = {
    "stated": None,  # coloured by value
    "bound": {"facecolor": "#fee8c8", "edgecolor": "0.3", "hatch": "\\\\", "linewidth": 0.5},
    "named": {"facecolor": "#1b7837", "edgecolor": "0.2", "linewidth": 0.5},
    "unknown": UNKNOWN_STYLE,
    "not stated": NOT_STATED_STYLE,
}


# --------------------------------------------------------------------------------------------
# The maps
# --------------------------------------------------------------------------------------------


def _case_patches(cases: pd.DataFrame):
    from matplotlib.patches import Patch

    return [
        Patch(facecolor=row.colour, edgecolor="0.1", label=label(row.name_zh, short_english(row.name_en)))
        for row in cases.itertuples()
    ]


def _without_boundary_note(cases: pd.DataFrame) -> str:
    """Names the cases the layers do not cover yet: drawn as a point at their seat, or not drawn at all."""
    missing = cases[~cases.has_boundary.astype(bool)]
    if missing.empty:
        return ""
    point = missing[missing.anchor_kind != ""]
    hidden = missing[missing.anchor_kind == ""]
    parts = []
    if not point.empty:
        parts.append(
            "no boundary in the layers yet, drawn as a point at the seat: "
            + ", ".join(f"{r.case} {r.admin_code}" for r in point.itertuples())
        )
    if not hidden.empty:
        parts.append(
            "no boundary in the layers yet and no seat, not drawn: "
            + ", ".join(f"{r.case} {r.admin_code}" for r in hidden.itertuples())
        )
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
    with deferred_redraw(fig):
        for ax in (ax_china, ax_region):
            map_axes(ax)
            draw_context(ax, highlight=provinces, context=context)
            if not drawn.empty:
                to_plot_crs(drawn).plot(ax=ax, color=list(drawn.colour), edgecolor="0.1", linewidth=0.4, zorder=3)
        set_extent(ax_china, *CHINA_EXTENT)
        add_graticule(ax_china, 10)
        region = geo.case_region(cases)
        box = gpd.GeoSeries(
            [shapely.box(region[0], region[2], region[1], region[3]).segmentize(0.2)], crs=WGS84
        ).to_crs(PLOT_CRS)
        box.boundary.plot(ax=ax_china, color="#b2182b", linewidth=1.0, zorder=4)
        clear_labels(ax_china)
        inset = ax_china.inset_axes([0.80, 0.0, 0.20, 0.36])
        map_axes(inset)
        draw_context(inset, highlight=provinces, context=context)
        set_extent(inset, *SOUTH_SEA_EXTENT)
        inset.annotate(
            label("南海诸岛", "S. China Sea islands"),
            (0.97, 0.03),
            xycoords="axes fraction",
            ha="right",
            va="bottom",
            fontsize=6,
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )
        ax_china.set_title(
            label(f"中国及{n_cases}个案例地所在省级单位", f"China and the provinces of the {n}"), fontsize=10
        )

        set_extent(ax_region, *region)
        add_graticule(ax_region, graticule_step(*region))
        add_scale_bar(ax_region)
        fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.2, wspace=0.04)
        boxes = label_cases(ax_region, cases)
        label_provinces(ax_region, [*provinces, *context], avoid=boxes)
        ax_region.set_title(label(f"{n_cases}个案例地", f"The {n}"), fontsize=10)
        handles = _case_patches(cases)
        handles.append(
            Patch(facecolor=STUDY_FILL, edgecolor="0.45", label=label("案例地所在省级单位", "Provinces of the cases"))
        )
        if context:
            names = division_names()
            zh = "、".join(names.name_zh.get(code, code) for code in context)
            en = ", ".join(short_english(names.name_en.get(code, code)) for code in context)
            handles.append(
                Patch(
                    facecolor=CONTEXT_FILL,
                    edgecolor="0.45",
                    label=label(f"政策距离涉及：{zh}", f"in the policy distances: {en}"),
                )
            )
        handles += [
            plt.Line2D(
                [], [], color="0.3", lw=0.8, label=label("海上边界线与南海断续线", "Maritime boundary / dashed line")
            ),
            Patch(facecolor="none", edgecolor="#b2182b", label=label("右图范围", "Extent of the right panel")),
        ]
        fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7.5, frameon=False, bbox_to_anchor=(0.5, 0.03))
        n_provinces = len(plot_layer("provinces"))
        add_note(
            fig,
            n=f"{n}; {n_provinces} provincial units",
            sources=map_sources("seats: places table") + approximate_seats_note(cases) + _without_boundary_note(cases),
            width=190,
        )
    return fig


def draw_county_status(
    counties: gpd.GeoDataFrame,
    *,
    title_zh: str,
    title_en: str,
    legend: dict[str, str],
    sources: str,
    n_note: str,
    value_format=None,
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
    frame = to_plot_crs(counties)
    fig, ax = plt.subplots(figsize=(7.5, 6.8))
    with deferred_redraw(fig):
        map_axes(ax)
        stated = frame[frame.status == "stated"]
        stated_colours: dict[float, Any] = {}
        if not stated.empty:
            values = sorted(stated.value.unique())
            stated_colours = dict(zip(values, plt.get_cmap("Oranges")(np.linspace(0.45, 0.85, len(values)))))
        for row in frame.itertuples():
            style: dict[str, Any]
            if row.status == "stated":
                style = {"facecolor": stated_colours[row.value], "edgecolor": "0.2", "linewidth": 0.5}
            else:
                style = STATUS_STYLES[row.status] or {}
            gpd.GeoSeries([row.geometry], crs=PLOT_CRS).plot(ax=ax, **style)
            point = row.geometry.representative_point()
            text = label(row.name_zh, "") or row.admin_code
            if row.status == "stated" and value_format:
                text += "\n" + value_format(row.value)
            ax.annotate(
                text,
                (point.x, point.y),
                ha="center",
                va="center",
                fontsize=7,
                zorder=5,
                bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.6},
            )
        fit_to(ax, frame)
        west, south, east, north = counties.total_bounds
        add_graticule(ax, graticule_step(west, east, south, north), fontsize=6)
        add_scale_bar(ax, loc=(0.05, 0.04), fontsize=6)
        handles: list[Artist] = [
            Patch(facecolor=colour, edgecolor="0.2", label=value_format(value) if value_format else f"{value:g}")
            for value, colour in stated_colours.items()
        ]
        handles += [
            Patch(**(STATUS_STYLES[status] or {}), label=text)
            for status, text in legend.items()
            if status != "stated" and (frame.status == status).any()
        ]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
        ax.set_title(label(title_zh, title_en, sep="\n"), fontsize=10)
        add_note(ax, n=n_note, sources=sources, width=110)
    return fig


def _start_text(row: Any, order: dict[str, int]) -> str:
    if pd.notna(row.year):
        return f"{order[row.case]}. {row.year}"
    if str(row.year_rule).startswith("not before"):
        year = str(row.year_rule).split()[-1]
        return label(f"年份未注明（不早于{year}年）", f"no year; not before {year}")
    if row.year_rule == "no event in the timeline":
        return label("时间线无事件", "no event in the timeline")
    return label("年份未注明", "no year stated")


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
    with deferred_redraw(fig):
        ax = fig.add_axes((0.05, 0.3, 0.9, 0.64))
        ax_time = fig.add_axes((0.16, 0.09, 0.74, 0.15))
        map_axes(ax)
        draw_context(ax, highlight=list(dict.fromkeys(cases.province_code)))
        drawn = cases[cases.has_boundary.astype(bool)]
        if not drawn.empty:
            to_plot_crs(drawn).plot(
                ax=ax, color=list(drawn.colour), edgecolor="0.1", linewidth=0.4, alpha=0.8, zorder=2
            )
        region = geo.case_region(cases)
        set_extent(ax, *region)
        xy = {case: point for case, point in zip(by_case.case, case_anchors(by_case)) if point is not None}
        known = starts[starts.year.notna() & starts.case.isin(xy)].sort_values(["year", "case"])
        years = sorted(known.year.unique())
        for earlier, later in itertools.pairwise(years):
            for source in known[known.year == earlier].case:
                for target in known[known.year == later].case:
                    ax.add_patch(
                        FancyArrowPatch(
                            xy[source],
                            xy[target],
                            arrowstyle="-|>",
                            mutation_scale=14,
                            color="#b2182b",
                            lw=1.3,
                            connectionstyle="arc3,rad=0.18",
                            zorder=4,
                            shrinkA=6,
                            shrinkB=6,
                        )
                    )
        order = {case: rank for rank, case in enumerate(known.case, start=1)}
        extra = {}
        for row in starts.itertuples():
            if row.case in xy:
                ax.plot(*xy[row.case], "o", ms=8, color="#b2182b" if pd.notna(row.year) else "0.55", zorder=5)
            extra[row.case] = _start_text(row, order)
        boxes = label_cases(
            ax, by_case.loc[starts.case].reset_index(drop=True), extra=extra, dots=False, radii=[4.5] * len(xy)
        )
        label_provinces(ax, list(dict.fromkeys(cases.province_code)), avoid=boxes)
        add_graticule(ax, graticule_step(*region))
        add_scale_bar(ax)
        ax.set_title(label("改革启动时间（按文本）", "When each reform started, as the texts say"), fontsize=10)
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
                ax_time.annotate(
                    "",
                    xy=(last + 0.3, lane),
                    xytext=(start, lane),
                    arrowprops={"arrowstyle": "->", "color": colour, "ls": "--"},
                )
                ax_time.plot(start, lane, "|", color=colour, ms=10, mew=2)
            else:
                ax_time.plot(no_year, lane, "s", color="0.6", ms=6)
        ax_time.set_yticks(range(len(starts)))
        ax_time.set_yticklabels([case_name(by_case.loc[case]) for case in starts.case], fontsize=7)
        ax_time.set_xlim(first - 0.4, no_year + 0.5)
        ax_time.set_ylim(-0.7, len(starts) - 0.3)
        ticks = list(range(first, last + 1))
        ax_time.set_xticks([*ticks, no_year])
        ax_time.set_xticklabels([*map(str, ticks), label("无年份", "no year")], fontsize=7)
        ax_time.axvline(last + 0.5, color="0.8", lw=0.8)
        sources = sorted({str(s) for s in starts.source_id.dropna()})
        add_note(
            ax_time,
            n=f"{n}, {len(known)} with a stated year",
            sources=f"the reform timeline ({', '.join(sources)}; quotes and offsets in geo.reform_starts()); "
            + geo.boundary_source_note()
            + approximate_seats_note(cases),
            width=120,
            y=-0.3,
        )
    return fig


def _pair_extent(
    rows: gpd.GeoDataFrame, cases: gpd.GeoDataFrame, pad: float = 0.25, min_span: float = 2.0
) -> tuple[float, float, float, float]:
    parts = [g for g in rows.geometry if g is not None and not g.is_empty]
    parts += [
        shapely.geometry.Point(x, y)
        for x, y in zip(cases.anchor_lon, cases.anchor_lat)
        if math.isfinite(x) and math.isfinite(y)
    ]
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
    targets = geo.distance_target_points().set_index("target_id")
    seats = geo.seat_points().set_index("admin_code")
    layers_used, borders = [], False
    # The layout is fixed before anything is drawn: labels are placed in points on the final page.
    fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.16, wspace=0.05)
    with deferred_redraw(fig):
        for ax, context in zip(axes, contexts):
            rows = distances[(distances.context == context) & distances.km.notna()]
            involved = cases[cases.case.isin(rows.case)]
            map_axes(ax)
            draw_context(ax, highlight=list(dict.fromkeys(cases.province_code)), context=context_provinces(rows))
            for layer in context_layers(rows):
                plot_layer(layer).plot(ax=ax, facecolor=LAYER_FILL, edgecolor="0.45", linewidth=0.4, zorder=1.5)
                layers_used.append(layer) if layer not in layers_used else None
            drawn = cases[cases.has_boundary.astype(bool)]
            if not drawn.empty:
                to_plot_crs(drawn).plot(
                    ax=ax,
                    facecolor=list(drawn.colour),
                    alpha=0.45,
                    edgecolor=list(drawn.colour),
                    linewidth=1.0,
                    zorder=2,
                )
            extent = _pair_extent(rows, involved)
            set_extent(ax, *extent)
            xy, texts = [], []
            for row in to_plot_crs(rows).itertuples():
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
                    point_xy.append(project_xy(seat.seat_lon, seat.seat_lat))
                    point_texts.append(label(seat.name_zh, short_english(seat.name_en)))
                elif parts[0] == "target" and parts[1] in targets.index:
                    target = targets.loc[parts[1]]
                    name_en = str(target.name_en).split(" (")[0] + (" (approx.)" if target.approximate else "")
                    point_xy.append(project_xy(target.lon, target.lat))
                    point_texts.append(label(str(target.name_zh).split("（")[0], name_en))
            for x, y in point_xy:
                ax.plot(x, y, "o", ms=4, color="0.05", zorder=6)
            boxes = annotate_placed(ax, point_xy, point_texts, fontsize=7.5, radii=[3.0] * len(point_xy))
            boxes += annotate_placed(
                ax, xy, texts, fontsize=7.5, radii=[1.0] * len(xy), obstacles=boxes, centre_first=True, zorder=5
            )
            label_provinces(ax, [*dict.fromkeys(cases.province_code), *context_provinces(rows)], avoid=boxes)
            add_graticule(ax, graticule_step(*extent))
            add_scale_bar(ax)
            first = rows.iloc[0] if len(rows) else None
            who = "、".join(cases.set_index("case").case_zh.reindex(list(dict.fromkeys(rows.case))).dropna())
            who_en = ", ".join(cases.set_index("case").case_en.reindex(list(dict.fromkeys(rows.case))).dropna())
            if first is not None:
                ax.set_title(label(f"{who}：{first.context_zh}", f"{who_en}: {first.context_en}"), fontsize=10)
        handles: list[Artist] = [
            Patch(facecolor=LAYER_FILL, edgecolor="0.45", label=label(*geo.LAYER_NAMES.get(layer, (layer, layer))))
            for layer in layers_used
        ]
        if borders:
            handles.append(plt.Line2D([], [], color="#b2182b", lw=2.4, label=label("共同边界", "common border")))
        handles += [
            plt.Line2D(
                [], [], color="0.15", lw=1, ls="--", label=label("最短距离/测地线", "shortest / geodesic distance")
            ),
            Patch(facecolor=STUDY_FILL, edgecolor="0.45", label=label("案例地所在省级单位", "Provinces of the cases")),
        ]
        fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=7.5, frameon=False, bbox_to_anchor=(0.5, 0.05))
        drawn_count = int(distances.context.isin(contexts).sum())
        add_note(
            fig,
            n=f"{drawn_count} measures drawn ({int(distances.km.notna().sum())} in the table)",
            sources=map_sources(
                "seats: places table (precision per seat in the table; a prefecture or county without one: "
                f"{geo.APPROXIMATE_SEAT}); points: distance targets table"
            ),
            width=95 * len(contexts),
        )
    return fig


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
    legend = {"not stated": label("文中未注明", "not stated")}
    if not bound.empty:
        raw = table.raw_text[table.status == "bound"].iloc[0]  # the bound's own figure, as the text writes it
        legend = {
            "bound": label(
                f"≤{fmt(bound.iloc[0])}（原文：{raw}）",
                f"at most {bound.iloc[0]:,.0f}{' yuan' if meta['unit'] == 'CNY' else ''} (bound stated for the others)",
            ),
            **legend,
        }
    when = f"{year}年" if year is not None and not pd.isna(year) else ""
    when_en = f", {year}" if when else ""
    records = ", ".join(sorted(table.record_id.dropna().unique()))
    return draw_county_status(
        table,
        title_zh=f"{case.case_zh}各县（市、区）：{meta['zh']}{when}",
        title_en=f"{case.case_en}: {meta['en']} by county-level unit{when_en}",
        legend=legend,
        value_format=fmt,
        n_note=f"{len(table)} county-level units; {int((table.status == 'stated').sum())} stated, {int((table.status == 'bound').sum())} bounded",
        sources=f"{case.source_ids} ({records}); " + geo.boundary_source_note(),
    )


def draw_county_mentions(table: gpd.GeoDataFrame, meta: pd.Series, case: Any, mention: Any):
    """A county panel of the units a quote names among a stated total (from
    :func:`kexie_research.analysis.geo.counties_named_in_quote`): named vs unknown, never "no".
    ``mention`` is the row of :func:`kexie_research.analysis.geo.county_mentions` the table was made for
    (its ``record_id`` and stated ``total``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import kexie_research as kr
    >>> from kexie_research.analysis import geo
    >>> facts, cases = kr.load_indicators(), geo.case_geometries().set_index("case", drop=False)
    >>> row = geo.county_mentions(facts).iloc[0]
    >>> counties = geo.counties_named_in_quote(facts, row.indicator_id, row.admin_code, record_id=row.record_id)
    >>> fig = draw_county_mentions(counties, geo.indicator_meta(row.indicator_id), cases.loc[row.case], row)
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    total, n_units = int(mention.total), len(table)
    named = int((table.status == "named").sum())
    return draw_county_status(
        table,
        title_zh=f"{case.case_zh}：{meta['zh']}（文中点名的县级单位）",
        title_en=f"{case.case_en}: {meta['en']} — units the text names",
        legend={
            "named": label("文中点名", "named in the text"),
            "unknown": label(f"未知（另有{total - named}个未点名）", f"unknown ({total - named} more are not named)"),
        },
        n_note=f"{n_units} county-level units; {total} in the stated total, {named} named",
        sources=f"{case.source_ids} ({mention.record_id}); " + geo.boundary_source_note(),
    )
