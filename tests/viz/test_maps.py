"""Tests of kexie_research.viz.maps and kexie_research.viz.interactive: label placement, maps of any set of
cases (the dataset's and a synthetic sixth), counts from the data, and the offline interactive map."""

from __future__ import annotations

import itertools
import re
import warnings

import numpy as np
import pytest

pytest.importorskip("geopandas")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt

from kexie_research.analysis import geo
from kexie_research.viz import map_classes, map_frame, map_labels, maps

from synthetic_cases import sixth_case


@pytest.fixture(autouse=True)
def _quiet_glyphs():
    # Without a registered CJK font matplotlib warns about every missing glyph; the tests measure layout.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield
    plt.close("all")


def _overlap(a, b) -> float:
    return map_labels._overlap(a, b)


# ------------------------------------------------------------------------------------------------
# label placement


def test_labels_of_clustered_points_do_not_overlap():
    anchors = [(100.0, 100.0), (112.0, 104.0), (95.0, 92.0), (108.0, 90.0), (120.0, 100.0), (100.0, 112.0)]
    sizes = [(48.0, 10.0)] * len(anchors)
    offsets = map_labels.place_labels(anchors, sizes, radii=[2.0] * len(anchors))
    boxes = [map_labels.label_box(a, s, *o) for a, s, o in zip(anchors, sizes, offsets)]
    assert all(_overlap(a, b) == 0 for a, b in itertools.combinations(boxes, 2))
    # deterministic: same input, same output
    assert map_labels.place_labels(anchors, sizes, radii=[2.0] * len(anchors)) == offsets


def test_label_avoids_points_obstacles_and_the_edge():
    anchors = [(10.0, 50.0), (40.0, 50.0)]
    sizes = [(25.0, 8.0), (25.0, 8.0)]
    offsets = map_labels.place_labels(anchors, sizes, bounds=(0.0, 0.0, 100.0, 100.0))
    first = map_labels.label_box(anchors[0], sizes[0], *offsets[0])
    assert _overlap(first, (38.0, 48.0, 42.0, 52.0)) == 0  # not over the other point
    edge = map_labels.place_labels([(98.0, 50.0)], [(25.0, 8.0)], bounds=(0.0, 0.0, 100.0, 100.0))
    assert edge[0][2] == "right"  # moved inside the frame
    blocked = map_labels.place_labels([(50.0, 50.0)], [(20.0, 6.0)], obstacles=[(52.0, 40.0, 90.0, 60.0)])
    assert blocked[0][2] == "right"


def test_fixed_offsets_are_kept():
    fixed = (-8.0, 6.0, "right", "center")
    offsets = map_labels.place_labels([(0.0, 0.0), (1.0, 1.0)], [(20.0, 6.0)] * 2, fixed=[fixed, None])
    assert offsets[0] == fixed
    assert (
        _overlap(map_labels.label_box((0, 0), (20, 6), *fixed), map_labels.label_box((1, 1), (20, 6), *offsets[1])) == 0
    )


# ------------------------------------------------------------------------------------------------
# maps of the cases from data


def _texts(fig) -> list[str]:
    return [text.get_text() for ax in fig.axes for text in ax.texts] + [ax.get_title() for ax in fig.axes]


def test_locator_counts_and_labels_a_sixth_case_without_overlap():
    cases = geo.case_geometries(sixth_case())
    fig = maps.draw_locator(cases, geo.policy_distances())
    texts = "\n".join(_texts(fig))
    assert "6 places" in texts and "5 places" not in texts
    region_ax = fig.axes[1]
    labels = [t for t in region_ax.texts if any(name in t.get_text() for name in cases.case_en)]
    assert any("Synthetic" in t.get_text() for t in labels)
    assert len(labels) == len(cases)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), "case labels overlap"


def test_per_capita_map_and_timeline_show_the_sixth_case():
    import kexie_research as kr

    cases_table = sixth_case()
    cases = geo.case_geometries(cases_table)
    table = geo.per_10k(kr.load_indicators(), "enterprise_kexie_count", cases=cases_table)
    fig = maps.draw_per_10k(table, geo.indicator_meta("enterprise_kexie_count"), "prefecture", cases)
    texts = "\n".join(_texts(fig))
    assert "Synthetic" in texts and "of 6 places" in texts
    starts = geo.reform_starts(cases=cases_table)
    fig = maps.draw_reform_timeline(starts, cases)
    texts = "\n".join(_texts(fig)) + "\n".join(label.get_text() for ax in fig.axes for label in ax.get_yticklabels())
    assert "Synthetic" in texts and "no event in the timeline" in texts and "6 places" in texts


def test_county_panels_only_where_requested():
    import kexie_research as kr

    cases_table = sixth_case()
    table = geo.per_10k(kr.load_indicators(), "enterprise_kexie_count", "county", cases=cases_table)
    assert "synthetic_sixth" not in set(table.case)
    fig = maps.draw_per_10k(
        table, geo.indicator_meta("enterprise_kexie_count"), "county", geo.case_geometries(cases_table)
    )
    assert len([ax for ax in fig.axes if ax.get_title()]) == int(cases_table.county_panel.sum())


def test_per_capita_map_is_named_by_its_arguments_not_by_the_tables_attrs():
    import kexie_research as kr

    table = geo.per_10k(kr.load_indicators(), "enterprise_kexie_count", "prefecture")
    table.attrs.clear()  # what pandas does to attrs after many operations
    meta = geo.indicator_meta("enterprise_kexie_count")
    fig = maps.draw_per_10k(table, meta, "prefecture", geo.case_geometries())
    assert any(meta["en"] in text and meta["zh"] in text for text in _texts(fig))
    with pytest.raises(geo.GeoError, match="unknown scale 'province'; valid: prefecture, county"):
        maps.draw_per_10k(table, meta, "province", geo.case_geometries())


def test_county_maps_read_the_bound_and_the_total_from_the_table_and_the_row():
    import kexie_research as kr

    facts, cases = kr.load_indicators(), geo.case_geometries().set_index("case", drop=False)
    mentions = geo.county_mentions(facts)
    if mentions.empty:
        pytest.skip("the dataset has no county mention")
    row = mentions.iloc[0]
    counties = geo.counties_named_in_quote(facts, row.indicator_id, row.admin_code, record_id=row.record_id)
    counties.attrs.clear()
    fig = maps.draw_county_mentions(counties, geo.indicator_meta(row.indicator_id), cases.loc[row.case], row)
    texts = "\n".join(_texts(fig))
    assert row.record_id in texts and f"{int(row.total)} in the stated total" in texts


def test_distances_map_draws_one_panel_per_context():
    distances = geo.policy_distances()
    fig = maps.draw_distances(distances, geo.case_geometries())
    contexts = [c for c in dict.fromkeys(distances.context) if c != geo.CAPITAL_CONTEXT[0]]
    assert len([ax for ax in fig.axes if ax.get_title()]) == len(contexts)
    kms = {t.get_text() for ax in fig.axes for t in ax.texts if t.get_text().endswith(" km")}
    assert f"{distances.set_index('pair_id').km.iloc[0]:.0f} km" in kms


def test_draw_county_status_rejects_unknown_status():
    counties = geo.load_boundaries("counties").head(2).assign(status=["stated", "maybe"], value=[1.0, np.nan])
    with pytest.raises(geo.GeoError, match="unknown status value\\(s\\) \\['maybe'\\]"):
        maps.draw_county_status(counties, title_zh="t", title_en="t", legend={}, sources="s", n_note="2")


def test_scale_bar_length_is_geodesic():
    import pyproj

    _fig, ax = plt.subplots()
    map_frame.set_extent(ax, 109.7, 115.0, 21.5, 24.9)
    assert map_frame.add_scale_bar(ax, 50) == 50
    left, right = (patch for patch in ax.patches)
    x0, y0 = left.get_xy()
    x1 = right.get_x() + right.get_width()
    back = pyproj.Transformer.from_crs(geo.PLOT_CRS, geo.WGS84, always_xy=True).transform
    assert geo.distance_km(back(x0, y0), back(x1, y0)) == pytest.approx(50, rel=0.01)
    with pytest.raises(geo.GeoError):
        map_frame.add_scale_bar(ax, -5)


def test_map_is_rendered_once_when_saved_not_after_every_layer():
    renders = []
    original_subplots = plt.subplots

    def counting_subplots(*args, **kwargs):
        fig, axes = original_subplots(*args, **kwargs)
        fig.canvas.mpl_connect("draw_event", lambda event: renders.append(event))
        return fig, axes

    counties = geo.load_boundaries("counties").head(8).assign(status="not stated", value=np.nan)
    plt.subplots = counting_subplots
    try:
        fig = maps.draw_county_status(
            counties, title_zh="t", title_en="t", legend={"not stated": "n"}, sources="s", n_note="8"
        )
    finally:
        plt.subplots = original_subplots
    assert renders == []  # eight county polygons, no render while building
    assert "draw_idle" not in vars(fig.canvas)  # the canvas's own method is back
    fig.canvas.draw_idle()
    assert len(renders) == 1


def test_deferred_redraw_restores_the_canvas_after_an_error():
    fig, _ = plt.subplots()
    with pytest.raises(RuntimeError), map_frame.deferred_redraw(fig):
        raise RuntimeError("boom")
    assert "draw_idle" not in vars(fig.canvas)


def test_class_breaks():
    assert map_classes.class_breaks([0.42, 0.63]) == ([0.42, 0.63], ["0.42", "0.63"])
    bins, labels = map_classes.class_breaks([1, 2, 3, 10, 11, 12, 30, 31], k=3)
    assert len(bins) == len(labels) == 3 and bins[-1] == 31
    assert map_classes.class_breaks([np.nan]) == ([], [])


# ------------------------------------------------------------------------------------------------
# the interactive map


def test_interactive_map_is_offline_and_holds_quotes():
    pytest.importorskip("plotly")
    import kexie_research as kr
    from kexie_research.viz import interactive

    indicators = kr.load_indicators()
    cases_table = sixth_case()
    profiles = geo.case_profiles(indicators, cases=cases_table)
    figure = interactive.case_map(profiles)
    bundle = interactive.show(figure)._repr_mimebundle_()
    page = bundle["text/html"]
    assert not re.search(r"<script[^>]*\bsrc\s*=\s*[\"']?(https?:)?//", page, flags=re.IGNORECASE)
    assert not re.search(r"<link[^>]*href\s*=\s*[\"']?(https?:)?//", page, flags=re.IGNORECASE)
    assert "Plotly.newPlot" in page and "window.Plotly" in page  # plotly.js itself is inline
    quote = profiles.set_index("case").quotes.iloc[0][0]["quote"]
    assert quote in page.replace("<br>", "")  # the text listing under the map (lines broken for reading)
    hovers = bundle["application/vnd.plotly.v1+json"]["data"][-1]["hovertext"]
    assert quote in "".join(hovers).replace("<br>", "")  # the hover text itself
    hover = figure.data[-1].hovertext
    assert len(hover) == 6 and "population not available" in hover[-1]
    assert all("引文 quotes" in text for text in hover[:-1])  # every case of the dataset has a quote
    assert "n = 6 places" in figure.layout.title.text
    assert bundle["application/vnd.plotly.v1+json"]["data"]  # JupyterLab renders this mimetype offline
