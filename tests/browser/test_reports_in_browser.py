"""Every report page and the index, opened from disk in headless Chromium on a machine without
system CJK fonts: Chinese is drawn by the page's own font (asked of the browser, per text node),
nothing is fetched from the network, no image or link is broken, no console error, the folded code
opens, tables search and maps hover where a page has them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from kexie_research.runner.fonts import SOURCE_FAMILY

from .conftest import SCREENSHOT_KEY, system_cjk_fonts

pytestmark = pytest.mark.slow

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

# Where on screen the points of the first plotly figure that carry hover text are (cartesian
# traces: axis offset + the axis's linear-to-pixel map), so that a real mouse move hovers them.
POINTS_WITH_HOVER_TEXT = r"""
() => {
  const gd = document.querySelector(".js-plotly-plot");
  const box = gd.getBoundingClientRect();
  const points = [];
  for (const trace of gd._fullData || []) {
    if (!trace.hovertext || trace.visible !== true || !trace.x || !trace.y) continue;
    const xa = gd._fullLayout[(trace.xaxis || "x").replace("x", "xaxis")];
    const ya = gd._fullLayout[(trace.yaxis || "y").replace("y", "yaxis")];
    if (!xa || !ya || !xa.l2p) continue;
    for (let i = 0; i < trace.x.length; i++) {
      if (trace.x[i] == null || !trace.hovertext[i]) continue;
      points.push({x: box.left + xa._offset + xa.l2p(xa.d2l(trace.x[i])), y: box.top + ya._offset + ya.l2p(ya.d2l(trace.y[i]))});
    }
  }
  return points;
}
"""

# Wraps every run of CJK characters of every rendered text node in its own <span>, so that the
# browser can be asked which font drew exactly those characters (CSS.getPlatformFontsForNode reports
# the fonts of an element's own text). SVG text (charts) is probed as a whole element.
PROBE_SCRIPT = r"""
() => {
  const cjk = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+/g;
  const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEXTAREA", "TITLE", "TEMPLATE"]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  let html = 0, svg = 0;
  for (const node of nodes) {
    const parent = node.parentElement;
    if (!parent || skip.has(parent.tagName) || !cjk.test(node.data)) { cjk.lastIndex = 0; continue; }
    cjk.lastIndex = 0;
    if (parent.closest("svg")) {
      const element = parent.closest("text") || parent;
      if (!element.hasAttribute("data-kexie-probe")) { element.setAttribute("data-kexie-probe", "svg"); svg++; }
      continue;
    }
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of node.data.matchAll(cjk)) {
      fragment.append(node.data.slice(last, match.index));
      const span = document.createElement("span");
      span.setAttribute("data-kexie-probe", "html");
      span.textContent = match[0];
      fragment.append(span);
      last = match.index + match[0].length;
      html++;
    }
    fragment.append(node.data.slice(last));
    node.replaceWith(fragment);
  }
  return {html, svg};
}
"""


SVG_CJK_COUNTS = r"""
() => [...document.querySelectorAll('[data-kexie-probe="svg"]')].map(
  e => (e.textContent.match(/[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/g) || []).length)
"""


def font_problems(page) -> tuple[int, list[str]]:
    """Probe every CJK text run; return (runs rendered, problems)."""
    counts = page.evaluate(PROBE_SCRIPT)
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    # The CJK characters of each SVG text, in document order (the order of DOM.querySelectorAll), read
    # in one call; a node's markup is fetched only to name a problem (one browser round trip less per run).
    svg_characters = page.evaluate(SVG_CJK_COUNTS)
    problems, rendered = [], 0
    for kind in ("html", "svg"):
        node_ids = session.send("DOM.querySelectorAll", {"nodeId": root, "selector": f'[data-kexie-probe="{kind}"]'})[
            "nodeIds"
        ]
        assert len(node_ids) == counts[kind]
        for number, node_id in enumerate(node_ids):
            fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
            if not fonts:
                continue  # not rendered (a hidden element): nothing drawn, nothing to check
            rendered += 1
            own = [f for f in fonts if f.get("isCustomFont") and SOURCE_FAMILY in f.get("familyName", "")]
            others = [f for f in fonts if f not in own]
            if kind == "html" and others:
                text = session.send("DOM.getOuterHTML", {"nodeId": node_id})["outerHTML"]
                problems.append(f"{text[:80]!r} drawn with {[(f['familyName'], f['glyphCount']) for f in others]}")
            if kind == "svg" and sum(f["glyphCount"] for f in own) < svg_characters[number]:
                text = session.send("DOM.getOuterHTML", {"nodeId": node_id})["outerHTML"]
                inner = re.sub(r"<[^>]+>", "", text)
                problems.append(
                    f"SVG text {inner[:60]!r} not all drawn by the page font: {[(f['familyName'], f['glyphCount']) for f in fonts]}"
                )
    session.detach()
    return rendered, problems


def open_page(browser, path: Path):
    """Open ``path`` with network access blocked and recorded; return (page, requests, errors)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside, errors = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def guard(route):
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, outside, errors


def pages_of(report_dir: Path) -> list[Path]:
    cache = json.loads((report_dir / ".cache.json").read_text(encoding="utf-8"))
    return [report_dir / "index.html", *sorted(report_dir / e["html"] for e in cache["runs"].values() if e.get("html"))]


def check_links_and_images(page, path: Path) -> list[str]:
    problems = []
    # Lazy images (the index's thumbnails) load when scrolled to: load them all now, then look.
    page.evaluate(
        "() => Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode().catch(() => null); }))"
    )
    for image in page.evaluate(
        "() => [...document.images].map(i => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0}))"
    ):
        if not image["ok"]:
            problems.append(f"image not loaded: {image['src'][:100]}")
    for href in page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)"):
        url = urlparse(href)
        if url.scheme == "file":
            target = Path(unquote(url.path))
            if not target.exists():
                problems.append(f"broken link: {href}")
            elif url.fragment and target == path.resolve():
                # As browsers do: the fragment as written, then percent-decoded.
                found = (
                    "(ids) => ids.some(id => !!document.getElementById(id) || !!document.getElementsByName(id).length)"
                )
                if not page.evaluate(found, [url.fragment, unquote(url.fragment)]):
                    problems.append(f"broken anchor: #{url.fragment}")
    return problems


def test_the_machine_has_no_cjk_font_or_the_check_stays_per_node():
    fonts = system_cjk_fonts()
    # The per-node check below is valid either way (it asks which font drew each run of text);
    # this records the environment the suite ran in.
    print(f"system CJK fonts: {fonts or 'none'}")


def test_a_page_without_its_font_is_caught(browser, tmp_path):
    """The check can fail: a page that carries no CJK font is reported (tofu or a system font)."""
    page_path = tmp_path / "plain.html"
    page_path.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>梧州市科协 report</p></body></html>',
        encoding="utf-8",
    )
    page, _, _ = open_page(browser, page_path)
    rendered, problems = font_problems(page)
    page.close()
    assert rendered == 1 and len(problems) == 1


def test_index_and_every_report_render_offline_with_their_own_font(browser, report_dir, request, screenshot_dir):
    pages = pages_of(report_dir)
    assert len(pages) >= 2
    failures = {}
    for path in pages:
        page, outside, errors = open_page(browser, path)
        problems = [f"network request: {url}" for url in outside] + [f"console error: {e}" for e in errors]
        problems += check_links_and_images(page, path)
        if path.name.startswith("10_") and SCREENSHOT_KEY not in request.config.stash:
            # as a reader first sees it: code folded; kept with the test output for a person to look at
            shot = screenshot_dir / f"{path.stem}.png"
            page.screenshot(path=str(shot), full_page=False)
            request.config.stash[SCREENSHOT_KEY] = shot
            print(f"screenshot: {shot}")
        summaries = page.locator("details > summary")
        if path.name != "index.html":
            assert summaries.count() > 0, f"{path.name}: no folded code"
            first = page.locator("details.kexie-code").first
            assert not first.evaluate("d => d.open")
            first.locator("summary").click()
            assert first.evaluate("d => d.open"), f"{path.name}: the folded code did not open"
            assert first.locator("pre").first.is_visible()
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        rendered, font_issues = font_problems(page)
        if rendered == 0:
            problems.append("no Chinese text rendered at all")
        problems += font_issues[:10]
        page.close()
        if problems:
            failures[path.name] = problems
    assert failures == {}, "\n".join(
        f"{name}: {problem}" for name, problems in failures.items() for problem in problems
    )


def test_index_helps_choose(browser, report_dir):
    page, outside, errors = open_page(browser, report_dir / "index.html")
    text = page.inner_text("body")
    assert "Dataset version" in text and "built" in text
    rows = page.locator("tbody tr")
    assert rows.count() >= 6
    thumbnails = page.locator("td.thumb img")
    assert thumbnails.count() >= 1 and all(
        thumbnails.nth(i).evaluate("i => i.naturalWidth > 0") for i in range(thumbnails.count())
    )
    for i in range(rows.count()):
        assert rows.nth(i).locator(".summary").count() == 1, f"row {i} has no description"
    page.close()
    assert outside == [] and errors == []


def test_interactive_tables_search_and_maps_hover(browser, report_dir):
    """Where a page has a searchable table or an interactive map, they work offline."""
    exercised = 0
    for path in pages_of(report_dir)[1:]:
        page, outside, errors = open_page(browser, path)
        search = page.locator("input[type=search]")
        if search.count():
            table = search.first.locator("xpath=ancestor::*[.//table][1]").locator("tbody tr")
            before = table.count()
            first_cell = table.first.locator("td").first.inner_text().strip()
            search.first.fill(first_cell[:20] or "x")
            page.wait_for_timeout(300)
            assert 0 < table.count() <= before, f"{path.name}: search for a cell's text lost its row"
            search.first.fill("zzzz-no-such-text")
            page.wait_for_timeout(300)
            data_rows = table.count() - table.locator("td.dt-empty, td.dataTables_empty").count()
            assert data_rows == 0 < before, f"{path.name}: search did not narrow the table ({before} rows)"
            exercised += 1
        plots = page.locator(".js-plotly-plot")
        if plots.count():
            plots.first.scroll_into_view_if_needed()
            hover_text = ""
            for point in page.evaluate(POINTS_WITH_HOVER_TEXT)[:20]:
                page.mouse.move(point["x"], point["y"])
                page.wait_for_timeout(100)
                layer = page.locator(".hoverlayer")
                hover_text = (layer.first.text_content() or "") if layer.count() else ""
                if CJK.search(hover_text):
                    break
            assert CJK.search(hover_text), f"{path.name}: no Chinese hover text found on the map"
            exercised += 1
        page.close()
        assert outside == [] and errors == [], (path.name, outside, errors)
    if exercised == 0:
        pytest.skip("no page has an interactive table or map yet")
