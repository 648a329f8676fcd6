"""The project's figure theme: CJK font registration, seaborn theme, saving and publishing figures.

Chinese labels need a CJK font. The set-up installs the OFL-licensed Noto Sans CJK collection from
PyPI (``noto-cjk-sans-otc``); :func:`register_cjk_font` adds it to matplotlib's font manager (no
change to matplotlib's own installation) and picks the Simplified-Chinese face. A system font
(Debian's ``fonts-noto-cjk``, or any font whose name contains "CJK SC") is used if present. If no
CJK font can be found, :func:`kexie_research.viz.labels.label` returns English only and a single
warning says so: never tofu.

Example::

    >>> from kexie_research.viz import theme
    >>> theme.use_project_theme()
    >>> isinstance(theme.has_cjk_font(), bool)
    True
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

__all__ = [
    "PALETTE",
    "PREFERRED_FAMILIES",
    "figure_title",
    "has_cjk_font",
    "publish",
    "register_cjk_font",
    "save_figure",
    "use_project_theme",
]

PREFERRED_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei")
PALETTE = "colorblind"


@lru_cache(maxsize=1)
def register_cjk_font() -> str | None:
    """Register a CJK font with matplotlib and return its family name (``None`` if none found).

    Examples
    --------
    >>> register_cjk_font() in (None, *PREFERRED_FAMILIES) or "SC" in register_cjk_font()
    True
    """
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
    """Whether Chinese labels can be drawn.

    Examples
    --------
    >>> has_cjk_font() == (register_cjk_font() is not None)
    True
    """
    return register_cjk_font() is not None


def use_project_theme(context: str = "notebook") -> None:
    """Apply the seaborn theme used by every figure of the project, with the CJK font first.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> use_project_theme()
    >>> mpl.rcParams["axes.unicode_minus"]
    False
    """
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
    mpl.rcParams["svg.hashsalt"] = "kexie-research"  # stable element ids: the same figure gives the same SVG file


YIELDING_LABEL = "kexie-yielding-label"


def yield_colliding_labels(fig) -> int:
    """Hide the context labels (``gid`` :data:`YIELDING_LABEL`: graticule degrees, province names)
    that would cover another text of the figure; return how many were hidden.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.text(0.5, 0.5, "data label"); _ = ax.text(0.5, 0.5, "context", gid=YIELDING_LABEL)
    >>> yield_colliding_labels(fig)
    1
    >>> plt.close(fig)
    """
    from matplotlib.text import Text

    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    yielding = [t for t in texts if t.get_gid() == YIELDING_LABEL]
    if not yielding:
        return 0
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()

    def extent(text):
        patch = text.get_bbox_patch()
        return (patch if patch is not None else text).get_window_extent(renderer)

    kept = [extent(t) for t in texts if t.get_gid() != YIELDING_LABEL]
    hidden = 0
    for text in yielding:
        box = extent(text)
        if any(box.overlaps(other) for other in kept):
            text.set_visible(False)
            hidden += 1
        else:
            kept.append(box)
    return hidden


def save_figure(fig, name: str, out_dir: str | Path | None = None) -> list[Path]:
    """Save ``fig`` as PNG and SVG for the page, and as a numbered PDF for a paper.

    Files go into ``out_dir`` (default: ``$KEXIE_FIGURE_DIR`` or ``figures/``): ``<name>.png`` (at
    :data:`PNG_DPI`) and ``<name>.svg``, which the report page shows, and ``figure-NN-<name>.pdf``,
    vector with the CJK font embedded. ``NN`` numbers the figures of the folder in the order they were
    first saved (a figure saved again keeps its number); ``figures.csv`` in the folder lists every
    figure with its number, files and its size as saved (``width_cm``, ``height_cm``: the stated size
    at which its text has its design size — scale a vector figure, never stretch it).

    ``name`` must be a plain file stem: path separators are rejected so that a figure cannot be
    written outside the report's folder.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> folder = tempfile.mkdtemp()
    >>> fig, _ = plt.subplots(figsize=(4, 3))
    >>> [p.name for p in save_figure(fig, "demo", folder)]
    ['demo.png', 'demo.svg', 'figure-01-demo.pdf']
    >>> [p.name for p in save_figure(fig, "other", folder)][-1]
    'figure-02-other.pdf'
    >>> save_figure(fig, "../escape")
    Traceback (most recent call last):
    ...
    ValueError: figure name must be a plain file stem, got '../escape'
    """
    from kexie_research.viz.listing import output_folder

    target = output_folder("figure", name, out_dir)
    yield_colliding_labels(fig)
    bbox = _tight_bbox(fig, PNG_DPI)
    written = []
    for ext in ("png", "svg"):
        path = target / f"{name}.{ext}"
        fig.savefig(path, dpi=PNG_DPI if ext == "png" else None, bbox_inches=bbox)
        written.append(path)
    number = figure_number(target, name)
    pdf = target / f"figure-{number:02d}-{name}.pdf"
    fig.savefig(pdf, bbox_inches=bbox, metadata={"Title": figure_title(fig), "Creator": "kexie-research"})
    written.append(pdf)
    width, height = (bbox.width, bbox.height) if bbox not in (None, "tight") else fig.get_size_inches()
    record_figure(target, number, name, figure_title(fig), width * 2.54, height * 2.54, [p.name for p in written])
    return written


FIGURE_LIST = "figures.csv"
FIGURE_LIST_COLUMNS = ("number", "name", "title", "width_cm", "height_cm", "files")


def figure_number(folder: Path, name: str) -> int:
    """The number of figure ``name`` in ``folder``: its number in ``figures.csv``, else the next one.

    Examples
    --------
    >>> import tempfile
    >>> figure_number(Path(tempfile.mkdtemp()), "first")
    1
    """
    from kexie_research.viz.listing import entry_number

    return entry_number(folder, FIGURE_LIST, name)


def record_figure(
    folder: Path, number: int, name: str, title: str, width_cm: float, height_cm: float, files: list[str]
) -> Path:
    """Add or update figure ``name`` in ``folder/figures.csv`` (rows by number; written atomically).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = record_figure(folder, 1, "demo", "标题", 16.0, 9.5, ["demo.png"])
    >>> path.read_text(encoding="utf-8").splitlines()[1]
    '1,demo,标题,16.0,9.5,demo.png'
    """
    from kexie_research.viz.listing import record_entry

    return record_entry(
        folder,
        FIGURE_LIST,
        FIGURE_LIST_COLUMNS,
        {
            "number": number,
            "name": name,
            "title": title,
            "width_cm": f"{width_cm:.1f}",
            "height_cm": f"{height_cm:.1f}",
            "files": " ".join(files),
        },
    )


PNG_DPI = 150


def _tight_bbox(fig, dpi: float):
    """The figure's tight bounding box (inches, padded), as ``savefig(bbox_inches="tight")`` finds it at ``dpi``.

    ``"tight"`` lays the whole figure out once more for every file saved; finding the box once and
    giving it to both saves (PNG, SVG) spares one layout per file: about a fifth of the time of a map.
    With no tight bounding box asked for (``savefig.bbox`` not ``"tight"``) this returns ``None``.

    Examples
    --------
    >>> import matplotlib as mpl, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.set_title("标题")
    >>> with mpl.rc_context({"savefig.bbox": "tight"}):
    ...     box = _tight_bbox(fig, 150)
    >>> bool(0 < box.width < fig.get_figwidth() + 1)
    True
    """
    import matplotlib as mpl

    if mpl.rcParams["savefig.bbox"] != "tight":
        return None
    if not hasattr(fig.canvas, "get_renderer"):  # a canvas without its own renderer: let savefig find it
        return "tight"
    before = fig.dpi
    fig.dpi = dpi  # text extents depend on the resolution: measure at the PNG's
    try:
        fig.draw_without_rendering()
        box = fig.get_tightbbox(fig.canvas.get_renderer())
    finally:
        fig.dpi = before
    pad = mpl.rcParams["savefig.pad_inches"]
    return box.padded(pad) if pad != "layout" else box


def figure_title(fig) -> str:
    """The figure's titles (suptitle, then axes titles) joined, for alt text.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.set_title("A")
    >>> figure_title(fig)
    'A'
    """
    suptitle = getattr(fig, "_suptitle", None)
    titles = [suptitle.get_text()] if suptitle is not None and suptitle.get_text() else []
    titles += [ax.get_title() for ax in fig.axes if ax.get_title()]
    return "; ".join(titles) or "图 Figure"


def publish(fig, name: str, out_dir: str | Path | None = None, display_dpi: int = 110) -> list[Path]:
    """Save ``fig`` as PNG, SVG and PDF (:func:`save_figure`), show the saved PNG, close the figure.

    In a notebook the PNG file just written is displayed (at ``display_dpi``, with the figure's
    title as alt text) instead of letting the inline backend draw the figure once more: same
    picture, one rendering less per figure. Outside IPython it only saves and closes.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> fig, _ = plt.subplots()
    >>> [p.name for p in publish(fig, "demo", tempfile.mkdtemp())]
    ['demo.png', 'demo.svg', 'figure-01-demo.pdf']
    """
    import struct

    import matplotlib.pyplot as plt

    title = figure_title(fig)
    dpi = PNG_DPI  # save_figure's PNG resolution
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
