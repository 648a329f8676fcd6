"""The interactive map of the geographic report, alone in headless Chromium (offline, hover, click)."""

from __future__ import annotations

import pytest

from kexie_research.analysis import geo


def test_interactive_map_hover_and_click_in_a_real_browser(browser, tmp_path):
    """Open the map alone in headless Chromium: plotly.js runs from the page itself, hovering a case shows
    a quote, clicking pins the case's text, and the page requests nothing from the network."""
    pytest.importorskip("plotly")
    import kexie_research as kr
    from kexie_research.viz import interactive

    profiles = geo.case_profiles(kr.load_indicators())
    page_path = tmp_path / "map.html"
    html = interactive.show(interactive.case_map(profiles)).html()
    page_path.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{html}</body></html>", encoding="utf-8"
    )
    quote = profiles.quotes.iloc[0][0]["quote"]
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        external = []
        page.on(
            "request",
            lambda request: (
                external.append(request.url) if not request.url.startswith(("file:", "data:", "blob:")) else None
            ),
        )
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_path.as_uri())
        page.wait_for_function(
            "() => { const gd = document.querySelector('.js-plotly-plot'); return gd && gd._fullLayout; }"
        )
        last = page.evaluate("() => document.querySelector('.js-plotly-plot').data.length - 1")
        page.evaluate(
            f"() => Plotly.Fx.hover(document.querySelector('.js-plotly-plot'), [{{curveNumber: {last}, pointNumber: 0}}])"
        )
        hover = page.evaluate("() => document.querySelector('.js-plotly-plot .hoverlayer').textContent")
        assert quote in hover
        # a real click on the first case's marker pins its text under the map
        x, y = page.evaluate(f"""() => {{
            const gd = document.querySelector('.js-plotly-plot'), trace = gd._fullData[{last}], layout = gd._fullLayout;
            const box = gd.getBoundingClientRect();
            return [box.left + layout.xaxis._offset + layout.xaxis.l2p(trace.x[0]), box.top + layout.yaxis._offset + layout.yaxis.l2p(trace.y[0])];
        }}""")
        page.mouse.click(x, y)
        panel = page.evaluate("() => document.querySelector('[id$=\"-details\"]').textContent")
        assert quote in panel
        assert external == [] and errors == []
    finally:
        page.close()
