"""The project's figure theme, CJK font registration and bilingual labels.

Chinese labels need a CJK font. The set-up installs the OFL-licensed Noto Sans CJK collection from
PyPI (``noto-cjk-sans-otc``); :func:`register_cjk_font` adds it to matplotlib's font manager (no
change to matplotlib's own installation) and picks the Simplified-Chinese face. A system font
(Debian's ``fonts-noto-cjk``, or any font whose name contains "CJK SC") is used if present. If no
CJK font can be found, :func:`label` returns English only and a single warning says so: never tofu.

Example::

    >>> from kexie_research import plotting
    >>> plotting.use_project_theme()
    >>> plotting.label("梧州市", "Wuzhou")          # doctest: +SKIP
    '梧州市 Wuzhou'
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

PREFERRED_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei")
PALETTE = "colorblind"

# Fixed colours per place so every chart of the project speaks the same visual language.
CITY_COLOURS = {
    "wuzhou": "#0072B2",
    "rongchang": "#D55E00",
    "chengdu": "#009E73",
    "liuzhou": "#CC79A7",
    "zunyi": "#E69F00",
}


@lru_cache(maxsize=1)
def register_cjk_font() -> str | None:
    """Register a CJK font with matplotlib and return its family name (``None`` if none found)."""
    from matplotlib import font_manager

    try:
        import noto_cjk_sans_otc

        path = Path(str(noto_cjk_sans_otc.FONT_PATH))
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
    except ImportError:
        pass
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in PREFERRED_FAMILIES:
        if family in names:
            return family
    for name in sorted(names):
        if "CJK SC" in name or name.endswith(" SC"):
            return name
    warnings.warn(
        "No CJK font found (install the 'analysis' extra or Debian's fonts-noto-cjk): "
        "figures fall back to English-only labels.",
        stacklevel=2,
    )
    return None


def has_cjk_font() -> bool:
    """Whether Chinese labels can be drawn."""
    return register_cjk_font() is not None


def label(zh: str | None, en: str | None, sep: str = " ") -> str:
    """A bilingual label ``"梧州市 Wuzhou"``; English only when no CJK font is available."""
    if not zh:
        return en or ""
    if not en:
        return zh if has_cjk_font() else ""
    return f"{zh}{sep}{en}" if has_cjk_font() else en


def use_project_theme(context: str = "notebook") -> None:
    """Apply the seaborn theme used by every figure of the project, with the CJK font first."""
    import matplotlib as mpl
    import seaborn as sns

    family = register_cjk_font()
    sns.set_theme(context=context, style="whitegrid", palette=PALETTE)
    sans = ([family] if family else []) + ["DejaVu Sans"]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = sans + [f for f in mpl.rcParams["font.sans-serif"] if f not in sans]
    mpl.rcParams["axes.unicode_minus"] = False
    mpl.rcParams["figure.dpi"] = 110
    mpl.rcParams["savefig.bbox"] = "tight"
    mpl.rcParams["svg.fonttype"] = "path"  # SVGs render the same without the font installed


def source_note(ax, n: int | str, sources: str, y: float = -0.18) -> None:
    """Write the chart's n and sources under the axes (every chart of the project names both)."""
    ax.annotate(
        f"n = {n}. Sources: {sources}",
        xy=(0, y),
        xycoords="axes fraction",
        fontsize=8,
        color="0.35",
        ha="left",
        va="top",
    )


def save_figure(fig, name: str, out_dir: str | Path | None = None) -> list[Path]:
    """Save ``fig`` as PNG and SVG into ``out_dir`` (default: ``$KEXIE_FIGURE_DIR`` or ``figures/``).

    ``name`` must be a plain file stem: path separators are rejected so that a figure cannot be
    written outside the report's folder.
    """
    import os

    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"figure name must be a plain file stem, got {name!r}")
    target = Path(out_dir or os.environ.get("KEXIE_FIGURE_DIR", "figures"))
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for ext in ("png", "svg"):
        path = target / f"{name}.{ext}"
        fig.savefig(path, dpi=150 if ext == "png" else None)
        written.append(path)
    return written


# ------------------------------------------------------------------------------------------------
# Chart builders used by the report notebooks. Each returns the figure, draws bilingual labels and
# writes the chart's n and sources under it (source_note), so that a notebook cell is one call.

CITY_NAMES = {
    "wuzhou": ("梧州", "Wuzhou"),
    "rongchang": ("荣昌", "Rongchang"),
    "chengdu": ("成都", "Chengdu"),
    "liuzhou": ("柳州", "Liuzhou"),
    "zunyi": ("遵义", "Zunyi"),
}


def city_label(city: str, sep: str = " ") -> str:
    """``"梧州 Wuzhou"`` for a case key (English only without a CJK font)."""
    zh, en = CITY_NAMES.get(city, (None, city))
    return label(zh, en, sep=sep)


def _wrap(text: str, width: int = 70) -> str:
    """Wrap each line of a (bilingual) title; CJK runs have no spaces and stay whole."""
    import textwrap

    return "\n".join(textwrap.fill(line, width) if len(line) > width else line for line in str(text).split("\n"))


def figure_note(fig, n: int | str, sources: str, width: int = 120) -> None:
    """Like :func:`source_note`, for a whole figure: n and sources below everything, wrapped.

    Lays the figure out first (``tight_layout``) so that rotated tick labels and the note never
    overlap; ``savefig(bbox_inches="tight")`` keeps the note in the saved file.
    """
    fig.tight_layout()
    fig.text(0.01, -0.01, _wrap(f"n = {n}. Sources: {sources}", width), fontsize=8, color="0.35", ha="left", va="top")


def count_bars(labels, counts, title: str, xlabel: str, n: int | str, sources: str, colours=None, notes=None):
    """Horizontal bars of counts (facts per dimension, rows per source …), largest label first.

    ``notes`` (one string per bar) are written after the bars, e.g. "47 (47 quotes verified)".
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


def count_heatmap(table, title: str, n: int | str, sources: str, xlabels=None, ylabels=None, cmap: str = "Blues"):
    """Annotated heatmap of a count table (e.g. dimensions × places); zeros shown pale on white."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    height = max(2.6, 0.42 * len(table.index) + 1.6)
    width = max(5.0, 1.15 * len(table.columns) + 4.0)
    fig, ax = plt.subplots(figsize=(width, height))
    data = table.astype(float)
    sns.heatmap(data, annot=table.astype(int), fmt="d", cmap=cmap, cbar=False, linewidths=0.5, linecolor="0.85",
                mask=data == 0, ax=ax)
    sns.heatmap(data, annot=True, fmt=".0f", cmap=["white"], cbar=False, linewidths=0.5, linecolor="0.85",
                mask=data != 0, ax=ax, annot_kws={"color": "0.6"})
    ax.set_xticklabels(xlabels if xlabels is not None else table.columns, rotation=0)
    ax.set_yticklabels(ylabels if ylabels is not None else table.index, rotation=0)
    ax.xaxis.tick_top()
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(_wrap(title), pad=28)
    figure_note(fig, n, sources)
    return fig


def series_chart(frame, title: str, ylabel: str, sources: str, fit=None, colour: str | None = None):
    """A within-place series on categorical positions (undated values keep their place in order).

    ``frame`` comes from :func:`kexie_research.analysis.compare.series`; targets are drawn hollow. With
    ``fit`` (a GrowthFit) the fitted curve and its confidence band are drawn on the dated points,
    which are then placed on a time axis.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.9))
    colour = colour or "#0072B2"
    dated = bool(frame["year"].notna().all()) and fit is not None
    xs = [float(y) for y in frame["year"]] if dated else list(range(len(frame)))
    ax.plot(xs, frame["value"], color=colour, linewidth=1.2, alpha=0.6)
    for x, (_, row) in zip(xs, frame.iterrows()):
        target = bool(row["is_target"])
        ax.scatter([x], [row["value"]], s=60, color="white" if target else colour, edgecolor=colour, linewidth=1.8, zorder=3)
        ax.annotate(f"{row['raw_text']}", (x, row["value"]), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=9)
    top = float(max(frame["value"])) * 1.3
    if fit is not None:
        ax.plot(fit.fitted["year"], fit.fitted["fit"], color="0.3", linestyle="--", linewidth=1, label=label("对数线性拟合", "log-linear fit"))
        ax.fill_between(fit.fitted["year"], fit.fitted["lower"], fit.fitted["upper"], color="0.5", alpha=0.15,
                        label=label(f"{100 * (1 - fit.alpha):.0f}%置信区间", f"{100 * (1 - fit.alpha):.0f}% CI"))
        ax.legend(loc="upper left", fontsize=8)
        top = max(top, float(fit.fitted["upper"].max()) * 1.05)
    ax.set_xticks(xs)
    ax.set_xticklabels([_wrap(str(v), 14) for v in frame["label"]], rotation=0)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0, top=top)
    ax.set_title(_wrap(title, 60))
    targets = int(frame["is_target"].sum())
    note = f"{len(frame)} values" + (f" ({targets} target, hollow)" if targets else "")
    figure_note(fig, note, sources, width=100)
    return fig


def breakdown_chart(frame, title: str, xlabel: str, sources: str, scale: float = 1.0):
    """Horizontal bars of one indicator by unit (county breakdown); bounds (≤, ≥, ≈) are hatched."""
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


def rate_chart(table, title: str, sources: str, per: int = 10_000):
    """Per-``per``-residents values of harmonised indicators, one panel per indicator."""
    import matplotlib.pyplot as plt

    indicators = list(dict.fromkeys(table["indicator_id"]))
    panels = max(1, len(indicators))
    fig, axes = plt.subplots(1, panels, figsize=(4.0 * panels + 0.6, 4.0), squeeze=False)
    for number, (ax, indicator_id) in enumerate(zip(axes[0], indicators)):
        rows = table[table["indicator_id"] == indicator_id].reset_index(drop=True)
        rates = rows["per_10k"].astype(float)
        ax.bar([city_label(c, sep="\n") for c in rows["city"]], rates, color=[CITY_COLOURS.get(c, "0.5") for c in rows["city"]])
        for x, (rate, raw, record) in enumerate(zip(rates, rows["raw_text"], rows["record_id"])):
            ax.annotate(f"{rate:.2f}\n{raw} [{record}]", (x, rate), textcoords="offset points", xytext=(0, 3), ha="center", fontsize=8)
        ax.set_ylim(top=float(rates.max()) * 1.45)
        ax.set_title(_wrap(label(rows["indicator_zh"].iloc[0], rows["indicator_en"].iloc[0], sep="\n"), 34), fontsize=10)
        if number == 0:
            ax.set_ylabel(label(f"每{per:,}常住人口", f"per {per:,} residents"))
    fig.suptitle(_wrap(title, 80))
    figure_note(fig, f"{len(table)} values of {panels} indicator(s)", sources + "; population: 7th census 2020 (load_places)", width=110)
    return fig


def timeline_chart(table, title: str, sources: str):
    """Dated reform events on a time axis; undated ones listed beside it with what the text says."""
    import matplotlib.pyplot as plt

    dated = table[table["sort_year"].notna()]
    undated = table[table["sort_year"].isna()]
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(set(table["city"])) + 2.2))
    lanes = list(dict.fromkeys(table["city"].replace("", "national")))
    lane_of = {lane: i for i, lane in enumerate(lanes)}
    first = int(dated["sort_year"].min()) if not dated.empty else 2016
    last = int(dated["sort_year"].max()) if not dated.empty else 2021
    right = last + 1.4  # the column of events without a full date
    placed: dict[int, list[float]] = {}
    for _, row in dated.iterrows():
        lane = lane_of[row["city"] or "national"]
        colour = CITY_COLOURS.get(row["city"], "0.4")
        marker = {"day": "o", "month": "s"}.get(row["date_precision"], "D")
        ax.scatter(row["sort_year"], lane, color=colour, marker=marker, s=55, zorder=3)
        # alternate labels above and below when events of one lane are close together
        near = [x for x in placed.get(lane, []) if abs(x - row["sort_year"]) < 0.9]
        offset = 9 if len(near) % 2 == 0 else -15
        placed.setdefault(lane, []).append(row["sort_year"])
        ax.annotate(row["event_id"], (row["sort_year"], lane), textcoords="offset points", xytext=(0, offset), ha="center", fontsize=7)
    for _, row in undated.iterrows():
        lane = lane_of[row["city"] or "national"]
        colour = CITY_COLOURS.get(row["city"], "0.4")
        if row["not_before"]:
            start = float(str(row["not_before"])[:4])
            ax.annotate("", xy=(right - 0.08, lane), xytext=(start, lane), arrowprops={"arrowstyle": "->", "color": colour, "linestyle": ":"})
        ax.scatter(right, lane, color="white", edgecolor=colour, marker="o", s=55, zorder=3)
        ax.annotate(f"{row['event_id']}: {row['when']}", (right, lane), textcoords="offset points", xytext=(8, -3), fontsize=7)
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels([city_label(l) if l in CITY_NAMES else label("全国", "national") for l in lanes])
    ax.set_xticks(range(first, last + 1))
    ax.set_xlim(first - 0.6, right + 2.4)
    ax.set_ylim(len(lanes) - 0.4, -0.6)
    ax.axvline(last + 0.9, color="0.75", linewidth=0.8)
    ax.set_xlabel(label("年份；右栏：文本未给出完整日期", "year; right column: no full date in the text"))
    ax.set_title(_wrap(title))
    figure_note(fig, f"{len(table)} events ({len(undated)} without a full date)",
                sources + ". Markers: ● day, ■ month, ◆ year only, ○ no full date (dotted arrow: the earliest year the text allows)")
    return fig


def _figure_title(fig) -> str:
    suptitle = getattr(fig, "_suptitle", None)
    titles = [suptitle.get_text()] if suptitle is not None and suptitle.get_text() else []
    titles += [ax.get_title() for ax in fig.axes if ax.get_title()]
    return "; ".join(titles) or "图 Figure"


def publish(fig, name: str, out_dir: str | Path | None = None, display_dpi: int = 110) -> list[Path]:
    """Save ``fig`` as PNG and SVG (:func:`save_figure`), show the saved PNG, close the figure.

    In a notebook the PNG file just written is displayed (at ``display_dpi``, with the figure's
    title as alt text) instead of letting the inline backend draw the figure once more: same
    picture, one rendering less per figure. Outside IPython it only saves and closes.
    """
    import struct

    import matplotlib.pyplot as plt

    title = _figure_title(fig)
    dpi = 150  # save_figure's PNG resolution
    try:
        written = save_figure(fig, name, out_dir)
    finally:
        plt.close(fig)
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:  # plain Python: nothing to show
        return written
    if get_ipython() is not None:
        data = written[0].read_bytes()
        width = struct.unpack(">I", data[16:20])[0]  # PNG IHDR: width in pixels
        display(Image(data=data, format="png", width=int(width * display_dpi / dpi)), metadata={"alt": title})
    return written
