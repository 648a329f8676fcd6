"""The documentation site in Chromium on a machine without CJK system fonts: Chinese is drawn by the
site's own font subset, the data dictionary is tables (not text), and no page scrolls sideways.

A screenshot of the data dictionary is kept in the session's pytest folder (``screenshots/docs-data-dictionary.png``).
"""

from __future__ import annotations

import pytest

from .test_reports_in_browser import font_problems, open_page

pytestmark = pytest.mark.slow


def test_docs_draw_chinese_with_their_own_font(browser, docs_site):
    failures = {}
    for name in ("index.html", "data-dictionary.html", "getting-started.html", "adding-a-case.html"):
        page, outside, errors = open_page(browser, docs_site / name)
        rendered, problems = font_problems(page)
        page.close()
        if name == "data-dictionary.html" and rendered == 0:
            problems.append("no Chinese text rendered at all")
        problems += [f"network request: {url}" for url in outside] + [f"console error: {e}" for e in errors]
        if problems:
            failures[name] = problems[:10]
    assert failures == {}


def test_data_dictionary_is_tables_and_fits_the_window(browser, docs_site, screenshot_dir):
    page, _, errors = open_page(browser, docs_site / "data-dictionary.html")
    tables = page.locator("article table").count()
    text = page.inner_text("article")
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    shot = screenshot_dir / "docs-data-dictionary.png"
    page.screenshot(path=str(shot), full_page=False)
    print(f"screenshot: {shot}; page height {height} px, {tables} tables")
    page.close()
    assert tables >= 5 and "list-table" not in text and ":header-rows:" not in text
    assert width[0] <= width[1] + 1, width
    assert errors == []
