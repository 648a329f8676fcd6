"""Sphinx extension: the documentation site carries the same CJK font subset as the reports.

On a machine without CJK system fonts every Chinese character of the site would be a box. After the
HTML build, the CJK characters of every page (and of the search index) are collected, and a WOFF2
subset of Noto Sans CJK SC holding them is written to ``_static/kexie-cjk.woff2`` with its licence,
by the same functions the reports use (:mod:`kexie_research.runner.fonts`). ``_static/kexie-cjk.css``
declares it with a CJK-only ``unicode-range`` and puts it first in the theme's font stacks, so Latin
text keeps the theme's fonts.
"""

from __future__ import annotations

from pathlib import Path

CSS_FILE = "kexie-cjk.css"
FONT_NAME = "kexie-cjk.woff2"
LICENCE_NAME = "kexie-cjk-OFL.txt"
# Furo's own stacks, with the page font first (it only draws the CJK range).
FONT_STACK = (
    "-apple-system, BlinkMacSystemFont, Segoe UI, Helvetica, Arial, sans-serif, Apple Color Emoji, Segoe UI Emoji"
)
MONO_STACK = '"SFMono-Regular", Menlo, Consolas, Monaco, Liberation Mono, Lucida Console, monospace'


def site_css() -> str:
    """The stylesheet that declares the font and puts it first in the theme's font stacks.

    Examples
    --------
    >>> "kexie-cjk.woff2" in site_css() and '--font-stack: "Kexie CJK"' in site_css()
    True
    """
    from kexie_research.runner.fonts import FONT_FAMILY, font_face_css

    return (
        font_face_css(FONT_NAME) + "\n"
        f'html body {{ --font-stack: "{FONT_FAMILY}", {FONT_STACK}; '
        f'--font-stack--monospace: "{FONT_FAMILY}", {MONO_STACK}; }}\n'
        f'html body svg text {{ font-family: "{FONT_FAMILY}", {FONT_STACK}; }}\n'
    )


def site_characters(outdir: Path) -> set[str]:
    """The CJK characters of the built site's pages and search index."""
    from kexie_research.runner.fonts import collect_characters

    texts = (
        path.read_text(encoding="utf-8", errors="replace")
        for pattern in ("*.html", "searchindex.js")
        for path in outdir.rglob(pattern)
    )
    return collect_characters(texts)


def write_font(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import logging

    from kexie_research.runner.fonts import licence_text, subset_font

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its INFO lines would flood the build log
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / FONT_NAME).write_bytes(subset_font(site_characters(Path(app.outdir))))
    (static / LICENCE_NAME).write_text(licence_text(), encoding="utf-8")
    (static / CSS_FILE).write_text(site_css(), encoding="utf-8")


def setup(app):
    app.add_css_file(CSS_FILE)
    app.connect("build-finished", write_font)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
