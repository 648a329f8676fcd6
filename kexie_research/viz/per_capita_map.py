"""The map of an indicator per 10,000 residents (2020 census), from
:func:`kexie_research.analysis.geo.per_10k`: proportional circles at the cases' anchors at prefecture
scale, a classed choropleth of county panels at county scale.

Examples
--------
>>> from kexie_research.viz.per_capita_map import draw_per_10k
>>> draw_per_10k.__module__
'kexie_research.viz.per_capita_map'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kexie_research.analysis import geo
from kexie_research.analysis.geo import PLOT_CRS, GeoError
from kexie_research.viz.labels import label

import geopandas as gpd  # after geo, which explains a missing extra

from kexie_research.viz.map_classes import class_breaks, classify, rate_text
from kexie_research.viz.map_frame import (
    NOT_STATED_STYLE,
    UNKNOWN_STYLE,
    add_graticule,
    add_note,
    add_scale_bar,
    approximate_seats_note,
    case_name,
    deferred_redraw,
    draw_context,
    fit_to,
    graticule_step,
    map_axes,
    map_sources,
    project_xy,
    set_extent,
    short_english,
    to_plot_crs,
)
from kexie_research.viz.map_labels import annotate_placed

if TYPE_CHECKING:
    from matplotlib.artist import Artist


def _status_text(status: str) -> str:
    if status == "not stated":
        return label("未注明", "not stated")
    return label("人口数据缺失", geo.NO_POPULATION)


def draw_per_10k(table: gpd.GeoDataFrame, meta: pd.Series, scale: str, cases: gpd.GeoDataFrame | None = None):
    """Map of an indicator per 10,000 residents (``table`` from :func:`kexie_research.analysis.geo.per_10k`
    at ``scale``; ``meta`` the indicator's :func:`~kexie_research.analysis.geo.indicator_meta`, which names it).

    Prefecture scale: proportional circles (area ∝ rate) at the anchors of the cases, classed colours
    (mapclassify), each labelled with the rate, the text's figure and n. County scale: a classed
    choropleth, one panel per case with a county panel. Units without a value are "not stated";
    units without a population say "population not available".

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import kexie_research as kr
    >>> from kexie_research.analysis import geo
    >>> table = geo.per_10k(kr.load_indicators(), "enterprise_kexie_count", "prefecture")
    >>> meta = geo.indicator_meta("enterprise_kexie_count")
    >>> fig = draw_per_10k(table, meta, "prefecture", geo.case_geometries())
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    cases = geo.case_geometries() if cases is None else cases
    if scale not in geo.SCALES:
        raise GeoError(f"draw_per_10k: unknown scale {scale!r}; valid: {', '.join(geo.SCALES)}")
    with_value = table[table.status == "value"]
    bins, labels = class_breaks(with_value.rate_per_10k, k=3)
    rates = _RateClasses(
        title=label(f"{meta['zh']}（每万常住人口）", f"{meta['en']} per 10,000 residents"),
        bins=bins,
        labels=labels,
        colours=plt.get_cmap("YlGnBu")(np.linspace(0.4, 0.9, max(len(bins), 1))),
        sources=map_sources(f"population: {geo.CENSUS_NOTE}; values: indicator table"),
    )
    if scale == "prefecture":  # the circles stand at the cases' anchors
        return _per_10k_circles(table, cases, replace(rates, sources=rates.sources + approximate_seats_note(cases)))
    return _per_10k_panels(table, cases, rates)


@dataclass(frozen=True)
class _RateClasses:
    """What both kinds of per-capita map share: the title, the class breaks and colours, the sources."""

    title: str
    bins: Any
    labels: list[str]
    colours: Any
    sources: str
    legend_title: str = field(default_factory=lambda: label("每万人", "per 10,000"))


def _per_10k_circles(table: gpd.GeoDataFrame, cases: gpd.GeoDataFrame, rates: _RateClasses):
    """Prefecture scale: proportional circles at the cases' anchors, classed colours, labelled."""
    import matplotlib.pyplot as plt

    title, bins, labels, colours = rates.title, rates.bins, rates.labels, rates.colours
    sources, legend_title = rates.sources, rates.legend_title
    with_value = table[table.status == "value"]
    fig, ax = plt.subplots(figsize=(9.5, 6.8))
    with deferred_redraw(fig):
        map_axes(ax)
        draw_context(ax, highlight=list(dict.fromkeys(cases.province_code)))
        drawn = table[[geometry is not None and not geometry.is_empty for geometry in table.geometry]]
        if not drawn.empty:
            to_plot_crs(drawn).plot(ax=ax, facecolor="white", edgecolor="0.3", linewidth=0.6, zorder=2)
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
            x, y = project_xy(lon, lat)
            name = case_name(anchors.loc[row.case])
            if row.status == "value":
                size = area(row.rate_per_10k)
                ax.scatter(
                    x,
                    y,
                    s=size,
                    color=colours[classify(row.rate_per_10k, bins)],
                    edgecolor="0.1",
                    alpha=0.9,
                    zorder=4,
                )
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
        handles: list[Artist] = [
            plt.scatter([], [], s=area(b), color=c, edgecolor="0.1", label=lab)
            for b, c, lab in zip(bins, colours, labels)
        ]
        handles.append(
            plt.scatter(
                [],
                [],
                s=30,
                marker="x",
                color="0.35",
                label=label("未注明或人口缺失", "not stated / no population"),
            )
        )
        ax.legend(
            handles=handles,
            title=legend_title,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=7,
            title_fontsize=7,
            labelspacing=1.8,
            borderpad=1.2,
            handletextpad=1.6,
            frameon=False,
        )
        ax.set_title(title, fontsize=10)
        add_note(
            ax,
            n=f"{len(with_value)} of {geo.count_note(table)} with a value (n = coded records behind each value)",
            sources=sources,
            width=105,
        )
    return fig


def _per_10k_panels(table: gpd.GeoDataFrame, cases: gpd.GeoDataFrame, rates: _RateClasses):
    """County scale: a classed choropleth, one panel per case with a county panel."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    title, bins, labels, colours = rates.title, rates.bins, rates.labels, rates.colours
    sources, legend_title = rates.sources, rates.legend_title
    with_value = table[table.status == "value"]
    groups = list(dict.fromkeys(table.case))
    if not groups:
        raise GeoError("draw_per_10k: no case has a county panel (county_panel in the cases table)")
    names = cases.set_index("case")
    fig, axes = plt.subplots(1, len(groups), figsize=(4.6 * len(groups), 5.4))
    with deferred_redraw(fig):
        axes = np.atleast_1d(axes)
        for ax, group in zip(axes, groups):
            part = to_plot_crs(table[table.case == group])
            map_axes(ax)
            for row in part.itertuples():
                if row.status == "value":
                    style = {
                        "facecolor": colours[classify(row.rate_per_10k, bins)],
                        "edgecolor": "0.2",
                        "linewidth": 0.5,
                    }
                else:
                    style = UNKNOWN_STYLE if row.status == "no population" else NOT_STATED_STYLE
                gpd.GeoSeries([row.geometry], crs=PLOT_CRS).plot(ax=ax, **style)
                point = row.geometry.representative_point()
                text = label(row.name_zh, "") or row.admin_code
                if row.status == "value":
                    text += f"\n{rate_text(row)}"
                ax.annotate(text, (point.x, point.y), ha="center", va="center", fontsize=6.5)
            fit_to(ax, part)
            west, south, east, north = table[table.case == group].total_bounds
            add_graticule(ax, graticule_step(west, east, south, north), fontsize=6)
            add_scale_bar(ax, loc=(0.05, 0.04), fontsize=6)
            head = names.loc[group]
            ax.set_title(label(head.name_zh, short_english(head.name_en)), fontsize=9)
        handles = [Patch(facecolor=c, edgecolor="0.2", label=lab) for c, lab in zip(colours, labels)]
        handles += [
            Patch(**NOT_STATED_STYLE, label=label("文中未注明", "not stated")),
            Patch(**UNKNOWN_STYLE, label=label("人口数据缺失", geo.NO_POPULATION)),
        ]
        fig.legend(
            handles=handles,
            loc="lower center",
            ncol=len(handles),
            fontsize=7,
            title=legend_title,
            title_fontsize=7,
            frameon=False,
            bbox_to_anchor=(0.5, 0.04),
        )
        fig.suptitle(title, fontsize=10)
        fig.subplots_adjust(bottom=0.2, top=0.88, wspace=0.05)
        add_note(
            fig,
            n=f"{len(with_value)} of {len(table)} county-level units with a value ({len(groups)} county panels)",
            sources=sources,
            width=60 * len(groups),
        )
    return fig
