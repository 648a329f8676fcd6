"""Hostile text in every free-text field of the data, opened in Chromium: it shows as text, never runs.

A copy of data/raw gets markup appended to every title, name, label, definition and rule of
``sources.yaml``, ``cases.yaml``, ``features_conditions.yaml`` and ``codebook.yaml`` (see
``make_hostile``); it is built, every report is run on it and the documentation is built from it.
Every page is then opened with listeners for dialogs, console errors and page errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HOSTILE, HOSTILE_DOCS_PAGES

pytestmark = pytest.mark.slow

# Elements or attributes the hostile strings would create if any page passed them through as HTML.
INJECTED = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.getAttributeNames()) {
      if (/^on/i.test(attribute)) found.push(`${element.tagName} ${attribute}`);
    }
    if (element.tagName === "IMG" && element.getAttribute("src") === "x") found.push("img src=x");
    const href = element.getAttribute("href") || element.getAttribute("xlink:href") || "";
    if (/^\\s*javascript:/i.test(href)) found.push(`${element.tagName} href=${href}`);
    if (element.tagName === "B" && element.textContent === "role") found.push("b from a MyST role");
  }
  for (const script of document.scripts) {
    if ((script.textContent || "").includes("alert(1)") && !script.type.includes("json")) {
      // data may travel in a script as a JSON string; a script whose code *is* the hostile text is an injection
      if (/^\\s*alert\\(1\\)\\s*$/.test(script.textContent)) found.push("script alert(1)");
    }
  }
  return found;
}"""


def open_watched(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    events: list[str] = []
    page.on("dialog", lambda dialog: (events.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on(
        "console", lambda message: events.append(f"console error: {message.text}") if message.type == "error" else None
    )
    page.on("pageerror", lambda error: events.append(f"page error: {error}"))
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(("file:", "data:", "blob:", "about:")) else route.abort()
        ),
    )
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    return page, events


def hostile_pages(site: dict[str, Path]) -> list[Path]:
    reports = sorted(site["reports"].glob("*.html"))
    docs = [
        site["docs"] / "index.html",
        *(site["docs"] / Path(name).with_suffix(".html") for name in HOSTILE_DOCS_PAGES),
    ]
    return reports + docs


def test_hostile_text_stays_text_in_every_report_and_docs_page(browser, hostile_site):
    pages = hostile_pages(hostile_site)
    assert len(pages) >= 8
    failures, shown = {}, dict.fromkeys(HOSTILE, 0)
    for path in pages:
        page, events = open_watched(browser, path)
        problems = list(events) + [f"injected: {item}" for item in page.evaluate(INJECTED)]
        text = page.inner_text("body")
        visible = [hostile for hostile in HOSTILE if hostile in text]
        for hostile in visible:
            shown[hostile] += 1
        if (path.name != "index.html" or path.parent == hostile_site["reports"]) and not visible:
            problems.append("no hostile string is visible as text (escaped twice, or dropped?)")
        page.close()
        if problems:
            failures[f"{path.parent.name}/{path.name}"] = problems
    assert failures == {}, "\n".join(f"{name}: {p}" for name, problems in failures.items() for p in problems[:8])
    assert all(count > 0 for count in shown.values()), shown


def test_the_listeners_catch_a_page_that_runs_hostile_text(browser, tmp_path):
    """The check can fail: a page that passes the strings through as HTML is caught."""
    path = tmp_path / "unsafe.html"
    path.write_text(
        "<!DOCTYPE html><html><body>" + "".join(f"<p>{h}</p>" for h in HOSTILE) + "</body></html>", encoding="utf-8"
    )
    page, events = open_watched(browser, path)
    injected = page.evaluate(INJECTED)
    page.close()
    assert any(e.startswith("dialog") for e in events) and injected
