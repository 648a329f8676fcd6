"""Reports as a reader sees them at 1280 px: numbers for reading, no leaked reprs, nothing to scroll
sideways, no text over other text in any figure, and a click on a column's name sorts the table.

Screenshots of the case profiles and of the comparison page are kept in the session's pytest folder
(``screenshots/layout-*.png``) for a person to look at.
"""

from __future__ import annotations

import re

import pytest

from .test_reports_in_browser import open_page, pages_of

pytestmark = pytest.mark.slow

# Text a page must never show in a table cell or an output: reprs, missing markers, raw floats.
LEAKS = {
    "PosixPath": re.compile(r"PosixPath\("),
    "object repr": re.compile(r"object at 0x[0-9a-f]+"),
    "<NA>": re.compile(r"<NA>"),
    "NaN": re.compile(r"\bNaN\b"),
    "scientific notation": re.compile(r"\b\d(?:\.\d+)?e[+-]\d\d\b"),
}
VISIBLE_OUTPUT_TEXT = """() => [...document.querySelectorAll('.jp-OutputArea-output td, .jp-OutputArea-output th, \
.jp-RenderedMarkdown, .jp-RenderedText, .jp-OutputArea-output caption')].map(e => e.innerText).join(" ")"""
# Bounding boxes of the glyphs of each text of a matplotlib SVG (svg.fonttype "path": each text is a
# <g id="text_N">; a label's background box, <g id="patch_N"> inside it, is not text and is left out).
SVG_TEXT_BOXES = """() => {
  const groups = [...document.querySelectorAll('g[id^="text_"]')].filter(g => !g.parentElement.closest('g[id^="text_"]'));
  const boxes = [];
  for (const g of groups) {
    const parts = [...g.children].filter(c => !(c.id || "").startsWith("patch_")).map(c => c.getBoundingClientRect())
      .filter(r => r.width > 0.5 && r.height > 0.5);
    if (!parts.length) continue;
    boxes.push({id: g.id, x0: Math.min(...parts.map(r => r.left)), y0: Math.min(...parts.map(r => r.top)),
                x1: Math.max(...parts.map(r => r.right)), y1: Math.max(...parts.map(r => r.bottom))});
  }
  return boxes;
}"""


# Elements (other than code) whose content is wider than they are and scrolls or is cut off.
SCROLLS_SIDEWAYS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible'
          && !e.closest('pre, code, details:not([open])'))
  .map(e => `${e.tagName}.${[...e.classList].slice(0, 2).join('.')} ${e.scrollWidth} > ${e.clientWidth} px`).slice(0, 5)"""


def leaks_in(text: str) -> list[str]:
    return [
        f"{name}: …{text[max(0, m.start() - 30) : m.end() + 30]!r}…"
        for name, pattern in LEAKS.items()
        for m in pattern.finditer(text)
    ]


def overlaps(boxes: list[dict], tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of boxes that overlap by more than ``tolerance`` px in both directions."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > tolerance
                and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > tolerance
            ):
                found.append((a["id"], b["id"]))
    return found


def test_the_checks_can_fail():
    assert leaks_in("[PosixPath('/x/y.png')]") and leaks_in("5.100000e+05") and leaks_in("NaN") and leaks_in("<NA>")
    assert not leaks_in("2,820,977 – 0.418 NaNjing")
    assert overlaps(
        [{"id": "a", "x0": 0, "y0": 0, "x1": 10, "y1": 10}, {"id": "b", "x0": 5, "y0": 5, "x1": 15, "y1": 15}]
    )
    assert not overlaps(
        [{"id": "a", "x0": 0, "y0": 0, "x1": 10, "y1": 10}, {"id": "b", "x0": 10, "y0": 0, "x1": 20, "y1": 10}]
    )


def test_no_page_leaks_a_repr_or_a_raw_number(browser, report_dir):
    failures = {}
    for path in pages_of(report_dir):
        page, _, _ = open_page(browser, path)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = false)")
        found = leaks_in(page.evaluate(VISIBLE_OUTPUT_TEXT))
        page.close()
        if found:
            failures[path.name] = found[:5]
    assert failures == {}


def test_no_page_scrolls_sideways_at_1280px(browser, report_dir, screenshot_dir):
    failures = {}
    for path in pages_of(report_dir):
        page, _, _ = open_page(browser, path)
        page.wait_for_timeout(300)  # DataTables draws after load
        width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        # an element that scrolls sideways inside the page is as bad (a table wider than its output)
        wide = page.evaluate(SCROLLS_SIDEWAYS)
        if path.name.startswith(("10_", "20_")):
            shot = screenshot_dir / f"layout-{path.stem}.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot: {shot}")
        page.close()
        if width[0] > width[1] + 1 or wide:
            failures[path.name] = (width, wide)
    assert failures == {}


def test_no_text_overlaps_other_text_in_any_figure(browser, report_dir):
    figures = sorted((report_dir / "figures").rglob("*.svg"))
    assert figures, "no SVG figure written"
    failures = {}
    for svg in figures:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(svg.resolve().as_uri(), wait_until="load")
        found = overlaps(page.evaluate(SVG_TEXT_BOXES))
        page.close()
        if found:
            failures[str(svg.relative_to(report_dir))] = found[:6]
    assert failures == {}


def test_a_click_on_a_column_name_sorts_the_table(browser, report_dir):
    path = next(p for p in pages_of(report_dir) if p.name.startswith("10_"))
    page, _, errors = open_page(browser, path)
    page.wait_for_timeout(300)
    table = page.locator("table.dataTable").first
    header = table.locator("thead th span.dt-column-title").first
    before = table.locator("tbody tr td").first.inner_text()
    header.click()
    page.wait_for_timeout(200)
    order = table.locator("thead th").first.get_attribute("aria-sort")  # set by DataTables once a column sorts
    page.close()
    assert order in ("ascending", "descending"), f"clicking the column's name did not sort (first cell {before!r})"
    assert errors == []


def test_the_svg_check_finds_text_on_text(browser, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from kexie_research.viz import theme

    theme.use_project_theme()
    fig, ax = plt.subplots()
    ax.set_xticks([1, 1.5], ["Wuzhou Rongchang Chengdu", "Liuzhou Zunyi Wuzhou"])  # long neighbours collide
    ax.set_xlim(0, 10)
    svg = theme.save_figure(fig, "overlap", tmp_path)[1]
    plt.close(fig)
    page = browser.new_page()
    page.goto(svg.as_uri(), wait_until="load")
    found = overlaps(page.evaluate(SVG_TEXT_BOXES))
    page.close()
    assert found
