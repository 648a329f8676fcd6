"""Chart builders of the report notebooks. Each returns the figure, draws bilingual labels and
writes the chart's n and sources under it (:func:`figure_note`), so that a notebook cell is one call.

Case names and colours come from the cases table (:func:`kexie_research.data.load_cases`:
``case_zh``, ``case_en``, ``colour``); a case without a colour is drawn grey.

Example::

    >>> import pandas as pd
    >>> fig = count_bars(["a", "b"], [3, 1], "Title", "rows", n=4, sources="test")
    >>> len(fig.axes[0].patches)
    2
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, overload

import numpy as np
import pandas as pd

from kexie_research.viz.labels import case_label, label, wrap
from kexie_research.viz.theme import has_cjk_font

__all__ = [
    "breakdown_chart",
    "case_colours",
    "count_bars",
    "count_heatmap",
    "figure_note",
    "frame_chart",
    "interval_bars",
    "rate_chart",
    "series_chart",
    "source_note",
    "timeline_chart",
    "value_heatmap",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.figure import Figure

_wrap = wrap
NEUTRAL = "0.5"


@overload
def case_colours(cases: pd.DataFrame, keys: None = None) -> dict[str, str]: ...
@overload
def case_colours(cases: pd.DataFrame, keys: Iterable[object]) -> list[str]: ...
def case_colours(cases: pd.DataFrame, keys: Iterable[object] | None = None) -> list[str] | dict[str, str]:
    """The colours of the cases table (``colour``): a dict, or a list in the order of ``keys``.

    Examples
    --------
    >>> cases = pd.DataFrame({"case": ["a"], "colour": ["#0072B2"]})
    >>> case_colours(cases, ["a", "zz"])
    ['#0072B2', '0.5']
    """
    colours = {
        str(c): (str(v) if isinstance(v, str) and v else NEUTRAL) for c, v in zip(cases["case"], cases["colour"])
    }
    if keys is None:
        return colours
    return [colours.get(str(key), NEUTRAL) for key in keys]


def source_note(ax, n: int | str, sources: str, y: float = -0.18) -> None:
    """Write the chart's n and sources under the axes (every chart of the project names both).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); source_note(ax, 3, "test")
    >>> ax.texts[0].get_text()
    'n = 3. Sources: test'
    """
    ax.annotate(
        f"n = {n}. Sources: {sources}",
        xy=(0, y),
        xycoords="axes fraction",
        fontsize=8,
        color="0.35",
        ha="left",
        va="top",
    )


def figure_note(fig, n: int | str, sources: str, width: int = 120) -> None:
    """Like :func:`source_note`, for a whole figure: n and sources below everything, wrapped.

    Lays the figure out first (``tight_layout``) so that rotated tick labels and the note never
    overlap; ``savefig(bbox_inches="tight")`` keeps the note in the saved file.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, _ = plt.subplots(); figure_note(fig, "6 places", "test")
    >>> fig.texts[0].get_text()
    'n = 6 places. Sources: test'
    """
    fig.tight_layout()
    fig.text(0.01, -0.01, _wrap(f"n = {n}. Sources: {sources}", width), fontsize=8, color="0.35", ha="left", va="top")


def axis_label(text: str, width: int = 28, lines: int = 3) -> str:
    """An axis label that fits beside a chart: parenthesised explanations dropped when the label is
    long, then wrapped to at most ``lines`` lines of ``width`` characters (the full text belongs in
    the figure note).

    Examples
    --------
    >>> axis_label("人次 person-times (attendances; one person at three events counts 3)")
    '人次 person-times'
    >>> axis_label("次/场 events")
    '次/场 events'
    """
    if len(text) > width:
        text = re.sub(r"\s*[(（][^()（）]*[)）]", "", text).strip() or text
    wrapped = _wrap(text, width).splitlines()
    return "\n".join(wrapped[:lines]) + ("…" if len(wrapped) > lines else "")


def _room_for_rows(fig, rows: int, row_labels) -> None:
    """Make the figure tall enough that wrapped row labels (up to their longest) do not touch."""
    lines = max((str(text).count("\n") + 1 for text in row_labels), default=1)
    needed = rows * (0.19 * lines + 0.14) + 1.8
    width, height = fig.get_size_inches()
    if height < needed:
        fig.set_size_inches(width, needed)


def _spread_x_ticks(fig, ax) -> None:
    """Widen the figure until every column is wider than its x tick label (long bilingual case
    names), measured in the final layout (the figure note lays the figure out the same way)."""
    for _ in range(3):
        fig.tight_layout()
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        labels_ = [t for t in ax.get_xticklabels() if t.get_text()]
        if not labels_:
            return
        widest = max(t.get_window_extent(renderer).width for t in labels_)
        available = ax.get_window_extent(renderer).width
        needed = len(labels_) * (widest + 10)
        if needed <= available:
            return
        width, height = fig.get_size_inches()
        fig.set_size_inches(width + (needed - available) / fig.dpi + 0.1, height)


def _label_bar(ax, x: int, height: float, text: str) -> None:
    """Write ``text`` just above bar ``x`` (on the axis where the bar has no height: a value without
    a population)."""
    ax.annotate(
        text,
        (x, 0.0 if pd.isna(height) else height),
        textcoords="offset points",
        xytext=(0, 3),
        ha="center",
        fontsize=8,
    )


def count_bars(labels, counts, title: str, xlabel: str, n: int | str, sources: str, colours=None, notes=None) -> Figure:
    """Horizontal bars of counts (facts per dimension, rows per source …), largest label first.

    ``notes`` (one string per bar) are written after the bars, e.g. "47 (47 quotes verified)".

    Examples
    --------
    >>> fig = count_bars(["甲", "乙"], [3, 1], "t", "rows", n=4, sources="s", notes=["3 (3 quotes verified)", "1"])
    >>> [float(p.get_width()) for p in fig.axes[0].patches]
    [3.0, 1.0]
    """
    import matplotlib.pyplot as plt

    labels, counts = list(labels), [float(c) for c in counts]
    fig, ax = plt.subplots(figsize=(6.4, 0.38 * len(labels) + 1.4))
    ax.barh(labels, counts, color=colours if colours is not None else "#0072B2")
    for y, note in enumerate(notes or []):
        ax.annotate(str(note), (counts[y], y), textcoords="offset points", xytext=(4, 0), va="center", fontsize=8)
    ax.invert_yaxis()
    if notes:
        ax.set_xlim(right=max(counts) * 1.6)
    ax.set_xlabel(xlabel)
    ax.set_title(_wrap(title, 60))
    figure_note(fig, n, sources, width=90)
    return fig


def count_heatmap(
    table, title: str, n: int | str, sources: str, xlabels=None, ylabels=None, cmap: str = "Blues"
) -> Figure:
    """Annotated heatmap of a count table (e.g. dimensions × places); zeros shown pale on white.

    Examples
    --------
    >>> fig = count_heatmap(pd.DataFrame({"a": [1, 0]}, index=["x", "y"]), "t", n=1, sources="s")
    >>> fig.axes[0].get_title()
    't'
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    height = max(2.6, 0.42 * len(table.index) + 1.6)
    width = max(5.0, 1.15 * len(table.columns) + 4.0)
    fig, ax = plt.subplots(figsize=(width, height))
    data = table.astype(float)
    sns.heatmap(
        data,
        annot=table.astype(int),
        fmt="d",
        cmap=cmap,
        cbar=False,
        linewidths=0.5,
        linecolor="0.85",
        mask=data == 0,
        ax=ax,
    )
    sns.heatmap(
        data,
        annot=True,
        fmt=".0f",
        cmap=["white"],
        cbar=False,
        linewidths=0.5,
        linecolor="0.85",
        mask=data != 0,
        ax=ax,
        annot_kws={"color": "0.6"},
    )
    ax.set_xticklabels(xlabels if xlabels is not None else table.columns, rotation=0)
    ylabels = [_wrap(str(v), 56) for v in (ylabels if ylabels is not None else table.index)]
    ax.set_yticklabels(ylabels, rotation=0)
    _room_for_rows(fig, len(table.index), ylabels)
    ax.xaxis.tick_top()
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(_wrap(title), pad=28)
    _spread_x_ticks(fig, ax)
    figure_note(fig, n, sources)
    return fig


def series_chart(frame, title: str, ylabel: str, sources: str, fit=None, colour: str | None = None) -> Figure:
    """A within-place series on categorical positions (undated values keep their place in order).

    ``frame`` comes from :func:`kexie_research.analysis.series.series`; targets are drawn hollow. With
    ``fit`` (a GrowthFit) the fitted curve and its confidence band are drawn on the dated points,
    which are then placed on a time axis.

    Examples
    --------
    >>> frame = pd.DataFrame({"year": [2018, 2019], "value": [1.0, 2.0], "is_target": [False, True],
    ...                       "raw_text": ["1次", "2次"], "label": ["2018", "2019 目标 target"]})
    >>> fig = series_chart(frame, "t", "events", "s")
    >>> len(fig.axes[0].collections)
    2
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.9))
    colour = colour or "#0072B2"
    dated = bool(frame["year"].notna().all()) and fit is not None
    xs = [float(y) for y in frame["year"]] if dated else list(range(len(frame)))
    ax.plot(xs, frame["value"], color=colour, linewidth=1.2, alpha=0.6)
    for x, (_, row) in zip(xs, frame.iterrows()):
        target = bool(row["is_target"])
        ax.scatter(
            [x], [row["value"]], s=60, color="white" if target else colour, edgecolor=colour, linewidth=1.8, zorder=3
        )
        ax.annotate(
            f"{row['raw_text']}", (x, row["value"]), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=9
        )
    top = float(max(frame["value"])) * 1.3
    if fit is not None:
        # A fit over values of very different size can overflow a float (exp of a huge log): the axis
        # reaches the largest finite bound, and what lies beyond it is drawn at the axis' edge.
        finite_upper = fit.fitted["upper"][np.isfinite(fit.fitted["upper"])]
        if len(finite_upper):
            top = max(top, float(finite_upper.max()) * 1.05)
        ax.plot(
            fit.fitted["year"],
            np.minimum(fit.fitted["fit"], top),
            color="0.3",
            linestyle="--",
            linewidth=1,
            label=label("对数线性拟合", "log-linear fit"),
        )
        ax.fill_between(
            fit.fitted["year"],
            np.minimum(fit.fitted["lower"], top),
            np.minimum(fit.fitted["upper"], top),
            color="0.5",
            alpha=0.15,
            label=label(f"{100 * (1 - fit.alpha):.0f}%置信区间", f"{100 * (1 - fit.alpha):.0f}% CI"),
        )
        ax.legend(loc="upper left", fontsize=8)
    ax.set_xticks(xs)
    ax.set_xticklabels([_wrap(str(v), 14) for v in frame["label"]], rotation=0)
    shown_label = axis_label(ylabel)
    ax.set_ylabel(shown_label)
    ax.set_ylim(bottom=0, top=top)
    ax.set_title(_wrap(title, 60))
    targets = int(frame["is_target"].sum())
    note = f"{len(frame)} values" + (f" ({targets} target, hollow)" if targets else "")
    if shown_label.replace("\n", " ") != ylabel:
        note += f"; unit: {ylabel}"
    figure_note(fig, note, sources, width=100)
    return fig


def breakdown_chart(frame, title: str, xlabel: str, sources: str, scale: float = 1.0) -> Figure:
    """Horizontal bars of one indicator by unit (county breakdown); bounds (≤, ≥, ≈) are hatched.

    Examples
    --------
    >>> frame = pd.DataFrame({"value": [2.0, 1.0], "qualifier": ["exact", "at_most"], "scope_zh": ["甲县", "乙县"],
    ...                       "record_id": ["A-1", "A-2"], "raw_text": ["2万", "不超过1万"]})
    >>> fig = breakdown_chart(frame, "t", "yuan", "s")
    >>> [p.get_hatch() for p in fig.axes[0].patches]
    [None, '//']
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 0.5 * len(frame) + 1.8))
    values = frame["value"] / scale
    bounded = frame["qualifier"].isin(["at_most", "at_least", "approx"])
    names = frame["scope_zh"] if has_cjk_font() else frame["record_id"]
    bars = ax.barh(names, values, color=["white" if b else "#0072B2" for b in bounded], edgecolor="#0072B2")
    for bar, b in zip(bars, bounded):
        if b:
            bar.set_hatch("//")
    for y, (value, raw) in enumerate(zip(values, frame["raw_text"])):
        ax.annotate(str(raw), (value, y), textcoords="offset points", xytext=(4, 0), va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_xlim(right=float(values.max()) * 1.35)
    ax.set_title(_wrap(title, 60))
    figure_note(fig, f"{len(frame)} values (hatched: bound or approximate)", sources, width=100)
    return fig


def rate_chart(table, cases: pd.DataFrame, title: str, sources: str, per: int = 10_000) -> Figure:
    """Per-``per``-residents values of harmonised indicators, one panel per indicator, one bar per case
    in the case's colour (a case without a population has no bar and says so).

    Examples
    --------
    >>> cases = pd.DataFrame({"case": ["a", "b"], "case_zh": ["甲", "乙"], "case_en": ["A", "B"], "colour": ["#0072B2", ""]})
    >>> table = pd.DataFrame({"indicator_id": ["x", "x"], "case": ["a", "b"], "per_10k": [1.5, None],
    ...     "raw_text": ["3个", "4个"], "record_id": ["A-1", "B-1"], "indicator_zh": ["甲"] * 2, "indicator_en": ["X"] * 2})
    >>> fig = rate_chart(table, cases, "t", "s")
    >>> [float(round(p.get_height(), 1)) for p in fig.axes[0].patches]
    [1.5, 0.0]
    """
    import matplotlib.pyplot as plt

    indicators = list(dict.fromkeys(table["indicator_id"]))
    panels = max(1, len(indicators))
    fig, axes = plt.subplots(1, panels, figsize=(4.0 * panels + 0.6, 4.0), squeeze=False)
    for number, (ax, indicator_id) in enumerate(zip(axes[0], indicators)):
        rows = table[table["indicator_id"] == indicator_id].reset_index(drop=True)
        rates = pd.to_numeric(rows["per_10k"], errors="coerce").astype(float)
        ax.bar(
            [case_label(c, cases, sep="\n") for c in rows["case"]],
            rates.fillna(0.0),
            color=case_colours(cases, rows["case"]),
        )
        for x, (rate, raw, record) in enumerate(zip(rates, rows["raw_text"], rows["record_id"])):
            text = f"{raw} [{record}]\npopulation\nnot available" if pd.isna(rate) else f"{rate:.2f}\n{raw} [{record}]"
            _label_bar(ax, x, rate, text)
        top = float(rates.max()) if rates.notna().any() else 1.0
        ax.set_ylim(top=top * 1.45)
        ax.set_title(
            _wrap(label(rows["indicator_zh"].iloc[0], rows["indicator_en"].iloc[0], sep="\n"), 34), fontsize=10
        )
        if number == 0:
            ax.set_ylabel(label(f"每{per:,}常住人口", f"per {per:,} residents"))
    fig.suptitle(_wrap(title, 80))
    figure_note(
        fig,
        f"{len(table)} values of {panels} indicator(s), {table['case'].nunique()} places",
        sources + "; population: 7th census 2020 (load_places)",
        width=110,
    )
    return fig


def timeline_chart(table, cases: pd.DataFrame, title: str, sources: str) -> Figure:
    """Dated reform events on a time axis, one lane per case (national events first, in their own
    lane); undated ones listed beside it with what the text says.

    ``table`` is :func:`kexie_research.analysis.timeline.timeline_table`; lanes follow the order of
    ``cases`` and every case has a lane, with or without events.

    Examples
    --------
    >>> cases = pd.DataFrame({"case": ["a", "b"], "case_zh": ["甲", "乙"], "case_en": ["A", "B"], "colour": ["#0072B2", ""]})
    >>> table = pd.DataFrame({"event_id": ["A-1"], "case": ["a"], "sort_year": [2018.5], "date_precision": ["year"],
    ...     "not_before": [""], "when": ["2018 (year only)"]})
    >>> fig = timeline_chart(table, cases, "t", "s")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][-1] in ("乙 B", "B")
    True
    """
    import matplotlib.pyplot as plt

    dated = table[table["sort_year"].notna()]
    undated = table[table["sort_year"].isna()]
    keys = [str(c) for c in cases["case"]]
    present = list(dict.fromkeys(table["case"].replace("", "national")))
    lanes = (
        (["national"] if "national" in present else [])
        + keys
        + [c for c in present if c not in keys and c != "national"]
    )
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(lanes) + 2.2))
    colour_of = case_colours(cases)
    lane_of = {lane: i for i, lane in enumerate(lanes)}
    first = int(dated["sort_year"].min()) if not dated.empty else 2016
    last = int(dated["sort_year"].max()) if not dated.empty else 2021
    right = last + 1.4  # the column of events without a full date
    placed: dict[int, list[float]] = {}
    for _, row in dated.iterrows():
        lane = lane_of[row["case"] or "national"]
        colour = colour_of.get(row["case"], "0.4")
        marker = {"day": "o", "month": "s"}.get(row["date_precision"], "D")
        ax.scatter(row["sort_year"], lane, color=colour, marker=marker, s=55, zorder=3)
        # alternate labels above and below when events of one lane are close together
        near = [x for x in placed.get(lane, []) if abs(x - row["sort_year"]) < 0.9]
        offset = 9 if len(near) % 2 == 0 else -15
        placed.setdefault(lane, []).append(row["sort_year"])
        ax.annotate(
            row["event_id"],
            (row["sort_year"], lane),
            textcoords="offset points",
            xytext=(0, offset),
            ha="center",
            fontsize=7,
        )
    for _, row in undated.iterrows():
        lane = lane_of[row["case"] or "national"]
        colour = colour_of.get(row["case"], "0.4")
        if row["not_before"]:
            start = float(str(row["not_before"])[:4])
            ax.annotate(
                "",
                xy=(right - 0.08, lane),
                xytext=(start, lane),
                arrowprops={"arrowstyle": "->", "color": colour, "linestyle": ":"},
            )
        ax.scatter(right, lane, color="white", edgecolor=colour, marker="o", s=55, zorder=3)
        ax.annotate(
            f"{row['event_id']}: {row['when']}", (right, lane), textcoords="offset points", xytext=(8, -3), fontsize=7
        )
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels([label("全国", "national") if lane == "national" else case_label(lane, cases) for lane in lanes])
    ax.set_xticks(range(first, last + 1))
    ax.set_xlim(first - 0.6, right + 2.4)
    ax.set_ylim(len(lanes) - 0.4, -0.6)
    ax.axvline(last + 0.9, color="0.75", linewidth=0.8)
    ax.set_xlabel(label("年份；右栏：文本未给出完整日期", "year; right column: no full date in the text"))
    ax.set_title(_wrap(title))
    figure_note(
        fig,
        f"{len(table)} events of {len(keys)} places ({len(undated)} without a full date)",
        sources
        + ". Markers: ● day, ■ month, ◆ year only, ○ no full date (dotted arrow: the earliest year the text allows)",
    )
    return fig


def value_heatmap(
    grid: pd.DataFrame,
    title: str,
    n: int | str,
    sources: str,
    colour_label: str,
    fmt: str = ".0f",
    cmap: str = "Blues",
    annot=None,
    vmin: float | None = None,
    vmax: float | None = None,
    figsize: tuple[float, float] | None = None,
    colourbar: bool = True,
) -> Figure:
    """An annotated heatmap of values (rows × columns, labels as given), NaN cells left blank.

    Examples
    --------
    >>> grid = pd.DataFrame({"A": [1.0, None], "B": [3.0, 4.0]}, index=["x", "y"])
    >>> fig = value_heatmap(grid, "t", 3, "s", "hits")
    >>> fig.axes[0].get_title()
    't'
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    width = max(6.0, 1.3 * len(grid.columns) + 3.0)
    height = max(3.0, 0.45 * len(grid.index) + 2.0)
    fig, ax = plt.subplots(figsize=figsize or (width, height))
    sns.heatmap(
        grid.astype(float),
        annot=annot if annot is not None else True,
        fmt=fmt if annot is None else "",
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        mask=grid.isna(),
        cbar=colourbar,
        cbar_kws={"label": colour_label} if colourbar else None,
        linewidths=0.5,
        linecolor="white",
        ax=ax,
    )
    ax.set_facecolor("0.88")  # unknown / missing cells stay grey
    ax.grid(False)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="y", rotation=0)
    ylabels = [_wrap(t.get_text(), 56) for t in ax.get_yticklabels()]
    ax.set_yticklabels(ylabels)
    _room_for_rows(fig, len(grid.index), ylabels)
    ax.set_title(wrap(title))
    _spread_x_ticks(fig, ax)
    figure_note(fig, n, sources)
    return fig


def interval_bars(
    labels_, values, low, high, colours, title: str, ylabel: str, n: int | str, sources: str, notes=None
) -> Figure:
    """Bars with an interval each (e.g. rates with Wilson 95% intervals), in the given order.

    ``notes`` (one string per bar) are written inside the bars' feet, e.g. "12/4,210".

    Examples
    --------
    >>> fig = interval_bars(["a", "b"], [2.0, 1.0], [1.0, 0.5], [3.0, 2.0], ["#0072B2", "0.5"], "t", "rate", 2, "s")
    >>> len(fig.axes[0].patches)
    2

    A bound a rounding error puts on the wrong side of its value (a zero rate whose Wilson bound is 1e-17)
    draws a zero-length whisker, not an error:

    >>> len(interval_bars(["a"], [0.0], [1e-17], [0.5], ["0.5"], "t", "rate", 1, "s").axes[0].patches)
    1
    """
    import matplotlib.pyplot as plt

    labels_ = list(labels_)
    values, low, high = (pd.Series(list(v), dtype="float64") for v in (values, low, high))
    fig, ax = plt.subplots(figsize=(max(6.0, 1.4 * len(labels_) + 1.5), 4.2))
    ax.bar(labels_, values, color=list(colours))
    ax.errorbar(
        labels_,
        values,
        yerr=[(values - low).clip(lower=0), (high - values).clip(lower=0)],
        fmt="none",
        ecolor="0.2",
        capsize=4,
        clip_on=False,
    )
    for x, note in enumerate(notes or []):
        # above the whisker's cap, where neither the bar nor the whisker crosses it
        ax.annotate(
            str(note),
            (x, float(high.iloc[x])),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            color="0.25",
        )
    ax.set_ylim(bottom=0, top=float(high.max()) * 1.15 if high.notna().any() and high.max() > 0 else None)
    ax.set_ylabel(axis_label(ylabel))
    ax.set_title(wrap(title, 60))
    figure_note(fig, n, sources, width=100)
    return fig


def frame_chart(
    table, cases: pd.DataFrame, benchmarks: pd.DataFrame, title: str, n: str, sources: str, per: int = 10_000
) -> Figure:
    """Places side by side on frame indicators: one panel per frame indicator, one bar per place with a
    value (:func:`kexie_research.analysis.frame.frame_comparison`), the national figure of the same year as
    a dashed line where ``benchmarks`` has one.

    Counts and money are drawn per ``per`` residents (a place without a cited population has no bar and
    says so); shares and per-capita figures as stated. Each bar is labelled with its value as written, its
    year and its record id; ``n`` and ``sources`` (computed from the rows drawn,
    :func:`kexie_research.analysis.frame.caption_parts`) go under the figure.

    Examples
    --------
    >>> cases = pd.DataFrame({"case": ["a", "b"], "case_zh": ["甲", "乙"], "case_en": ["A", "B"], "colour": ["#0072B2", ""]})
    >>> table = pd.DataFrame({"frame": ["f", "f"], "frame_zh": ["甲"] * 2, "frame_en": ["F"] * 2,
    ...     "unit": ["CNY_per_capita"] * 2, "case": ["a", "b"], "value": [4.0, 5.0], "per_10k": [None, None],
    ...     "raw_text": ["4元", "5元"], "year": [2019, 2019], "record_id": ["A-1", "B-1"]})
    >>> bench = pd.DataFrame({"frame_indicator": ["f"], "year": [2019], "value": [4.7]})
    >>> fig = frame_chart(table, cases, bench, "t", "2 places", "s")
    >>> [float(p.get_height()) for p in fig.axes[0].patches], len(fig.axes[0].lines)
    ([4.0, 5.0], 1)
    """
    import matplotlib.pyplot as plt

    from kexie_research.analysis.rates import RATE_UNITS

    frames = list(dict.fromkeys(table["frame"]))
    panels = max(1, len(frames))
    fig, axes = plt.subplots(1, panels, figsize=(4.2 * panels + 0.6, 4.2), squeeze=False)
    for ax, frame_id in zip(axes[0], frames):
        rows = table[table["frame"] == frame_id].reset_index(drop=True)
        rated = rows["unit"].iloc[0] in RATE_UNITS
        heights = pd.to_numeric(rows["per_10k"] if rated else rows["value"], errors="coerce").astype(float)
        ax.bar(
            [case_label(c, cases, sep="\n") for c in rows["case"]],
            heights.fillna(0.0),
            color=case_colours(cases, rows["case"]),
        )
        periods = rows["period"] if "period" in rows.columns else pd.Series(["period not stated"] * len(rows))
        for x, (height, raw, year, record, period) in enumerate(
            zip(heights, rows["raw_text"], rows["year"], rows["record_id"], periods)
        ):
            when = f" ({period})" if pd.isna(year) else f" ({int(year)})"
            text = f"{raw}{when} [{record}]" + ("\npopulation\nnot available" if pd.isna(height) else "")
            _label_bar(ax, x, height, text)
        lines = benchmarks[
            (benchmarks["frame_indicator"] == frame_id) & benchmarks["year"].isin(rows["year"].dropna().astype(int))
        ]
        if not rated:
            for line in lines.itertuples():
                ax.axhline(line.value, color="0.3", linestyle="--", linewidth=1)
                ax.annotate(
                    f"全国 national {line.year}: {line.value:g}",
                    (len(rows) - 0.5, line.value),
                    fontsize=8,
                    ha="right",
                    va="bottom",
                    color="0.3",
                )
        top = max([float(heights.max()) if heights.notna().any() else 1.0] + [float(v) for v in lines["value"]])
        ax.set_ylim(top=top * 1.45 if top > 0 else 1.0)
        ax.set_title(_wrap(label(rows["frame_zh"].iloc[0], rows["frame_en"].iloc[0], sep="\n"), 34), fontsize=10)
        ax.set_ylabel(label(f"每{per:,}常住人口", f"per {per:,} residents") if rated else "")
    fig.suptitle(_wrap(title, 80))
    figure_note(fig, n, sources, width=110)
    return fig
