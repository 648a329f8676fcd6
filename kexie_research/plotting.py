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
