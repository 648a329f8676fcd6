"""Tests of kexie_research.analysis.geo: boundary layers, joins, projections, distances, map inputs, notebook."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

geopandas = pytest.importorskip("geopandas")
shapely = pytest.importorskip("shapely")

from shapely.geometry import Point, box  # noqa: E402

from kexie_research.analysis import geo
from kexie_research import config  # noqa: E402
from kexie_research.steps.places import load_places  # noqa: E402



# ------------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture()
def geo_raw(tmp_path: Path) -> Path:
    """A writable copy of the parts of data/raw the geo module reads."""
    target = tmp_path / "raw"
    shutil.copytree(config.raw_dir(), target)
    return target


def _row(record_id, indicator_id, admin_code, scope_level, value, *, raw_text="1个", qualifier="exact",
         high=np.nan, is_target=False, period_start=None, period_end=None, quote="q"):
    return {
        "record_id": record_id, "source_id": "x", "city": "wuzhou", "indicator_id": indicator_id,
        "scope_zh": "x", "scope_level": scope_level, "admin_code": admin_code, "place_zh": "x",
        "period_text": None, "period_start": period_start, "period_end": period_end, "is_target": is_target,
        "raw_text": raw_text, "value": value, "low": np.nan, "high": high, "unit": "organisation",
        "qualifier": qualifier, "quote": quote, "note": "",
    }


@pytest.fixture()
def fake_indicators() -> pd.DataFrame:
    """A small frame with the documented columns of the processed indicator table."""
    quote = "其中,湄潭县、仁怀市等9个县(市、区)已实现乡镇(街道)科协全覆盖"
    rows = [
        _row("WZ-021", "enterprise_kexie_count", "450400", "city", 118.0, raw_text="118个"),
        _row("RC-011", "enterprise_kexie_count", "500153", "county", 42.0, raw_text="42家"),
        # a county-scope row resolved to the prefecture must not count as the prefecture's value
        _row("WZ-900", "enterprise_kexie_count", "450200", "county", 999.0),
        # a target is left out by default
        _row("ZY-900", "enterprise_kexie_count", "520300", "city", 50.0, is_target=True),
        _row("WZ-002", "kexie_annual_work_budget", "450400", "city", 510000.0, period_start="2020-01-01", period_end="2020-12-31"),
        _row("WZ-003", "kexie_annual_work_budget", "450422", "county", 260000.0, period_start="2020-01-01", period_end="2020-12-31"),
        _row("WZ-004", "kexie_annual_work_budget", "450406", "county", 205200.0, period_start="2020-01-01", period_end="2020-12-31"),
        _row("WZ-005", "kexie_annual_work_budget", "450400", "county", 100000.0, qualifier="at_most", high=100000.0,
             raw_text="没有超过10万元", period_start="2020-01-01", period_end="2020-12-31"),
        _row("ZY-005", "counties_full_township_coverage_count", "520300", "city", 9.0, raw_text="9个", quote=quote),
    ]
    frame = pd.DataFrame(rows)
    frame["is_target"] = frame["is_target"].astype(bool)
    return frame


# ------------------------------------------------------------------------------------------------
# boundary layers


def test_unknown_layer_lists_valid_layers():
    with pytest.raises(geo.GeoError, match=r"unknown layer 'province'.*did you mean 'provinces'.*valid: provinces, prefectures, counties"):
        geo.load_boundaries("province")


# ------------------------------------------------------------------------------------------------
# joins


def test_every_place_joins_to_exactly_one_geometry():
    places = load_places()
    joined = geo.join_places(places)
    assert len(joined) == len(places)
    assert joined.admin_code.is_unique
    assert joined.geometry.notna().all()
    assert joined.crs.to_epsg() == 4326
    layers = dict(zip(joined.admin_code, joined.layer))
    assert layers["100000"] == "country" and layers["450400"] == "prefectures" and layers["500153"] == "counties"
    assert layers["440000"] == "provinces"


def test_join_places_reports_places_without_boundary():
    places = load_places()
    extra = places.iloc[[0]].assign(admin_code="990100", name_zh="测试市", level="prefecture")  # no such division
    with pytest.raises(geo.GeoError, match="no boundary .* for place\\(s\\): 990100 测试市"):
        geo.join_places(pd.concat([places, extra], ignore_index=True))


def test_join_indicators_keeps_unmatched_units_as_na():
    frame = pd.DataFrame({"admin_code": ["450422", "450406"], "value": [260000.0, 205200.0]})
    joined = geo.join_indicators(frame, "counties")
    assert len(joined) == len(geo.load_boundaries("counties"))
    assert joined.set_index("admin_code").at["450422", "value"] == 260000.0
    assert joined.value.isna().sum() == len(joined) - 2  # "not stated", never zero
    inner = geo.join_indicators(frame, "counties", how="inner")
    assert sorted(inner.admin_code) == ["450406", "450422"]


def test_join_indicators_warns_about_codes_without_geometry():
    frame = pd.DataFrame({"admin_code": ["450422", "110000"], "value": [1.0, 2.0]})
    with pytest.warns(geo.GeoJoinWarning, match="110000"):
        geo.join_indicators(frame, "counties")


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"admin_code": [450422], "value": [1.0]}), "row 0: admin_code 450422 is not a 6-digit string"),
        (pd.DataFrame({"code": ["450422"]}), "no admin_code column"),
        (pd.DataFrame({"admin_code": ["450422", "450422"], "value": [1.0, 2.0]}), "appears more than once"),
    ],
)
def test_join_indicators_rejects_bad_frames(frame, message):
    with pytest.raises(geo.GeoError, match=message):
        geo.join_indicators(frame, "counties")


def test_join_indicators_rejects_unknown_join_type():
    with pytest.raises(geo.GeoError, match="unknown join type 'outer'"):
        geo.join_indicators(pd.DataFrame({"admin_code": ["450422"]}), "counties", how="outer")


# ------------------------------------------------------------------------------------------------
# projections, areas, distances


def test_projected_areas_match_official_areas():
    places = load_places()
    with_area = places[places.area_km2.notna()]
    assert {"450406", "450421", "520323", "450422"} <= set(with_area.admin_code)
    joined = geo.join_places(with_area)
    areas = geo.area_km2(joined)
    for code, official, computed in zip(joined.admin_code, joined.area_km2, areas):
        assert computed == pytest.approx(official, rel=0.03), f"{code}: {computed:.1f} km² vs official {official}"


def test_area_needs_a_crs():
    frame = geopandas.GeoDataFrame(geometry=[box(0, 0, 1, 1)])
    with pytest.raises(geo.GeoError, match="no CRS"):
        geo.area_km2(frame)


def _haversine_km(a, b, radius=6371.0088):
    (lon1, lat1), (lon2, lat2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(h))


def test_distance_between_points_is_the_geodesic():
    assert geo.distance_km((0, 0), (1, 0)) == pytest.approx(111.32, abs=0.01)  # one degree of the equator
    wuzhou, guangzhou = (111.279, 23.4767), (113.26611, 23.13194)
    d = geo.distance_km(wuzhou, guangzhou)
    assert d == pytest.approx(_haversine_km(wuzhou, guangzhou), rel=0.005)
    assert d == pytest.approx(geo.distance_km(guangzhou, wuzhou))
    assert geo.distance_km(Point(wuzhou), Point(wuzhou)) == 0.0


def test_distance_to_polygons():
    square = box(110.0, 23.0, 111.0, 24.0)
    assert geo.distance_km((110.5, 23.5), square) == 0.0
    # from a point 1° of longitude east of the square's east edge, along the parallel 23.5°N
    expected = geo.distance_km((112.0, 23.5), (111.0, 23.5))
    assert geo.distance_km((112.0, 23.5), square) == pytest.approx(expected, rel=0.002)
    assert geo.distance_km(square, (112.0, 23.5)) == pytest.approx(expected, rel=0.002)
    line = geo.nearest_line((112.0, 23.5), square)
    assert line.coords[-1][0] == pytest.approx(111.0, abs=1e-4)


@pytest.mark.parametrize("bad", [(12_400_000.0, 2_600_000.0), (23.5, 111.3), "Wuzhou", (1, 2, 3)])
def test_distance_rejects_non_lonlat_input(bad):
    with pytest.raises(geo.GeoError):
        geo.distance_km(bad, (113.0, 23.0))


def test_shared_border_of_neighbours_and_strangers():
    counties = geo.load_boundaries("counties").set_index("admin_code")
    assert geo.shared_border_km(counties.at["450422", "geometry"], counties.at["450406", "geometry"]) > 5
    assert geo.shared_border_km(counties.at["450422", "geometry"], counties.at["500153", "geometry"]) == 0.0


def test_aeqd_crs_is_centred_and_validated():
    crs = geo.aeqd_crs(111.0, 23.0)
    assert crs.coordinate_operation.method_name == "Azimuthal Equidistant"
    with pytest.raises(geo.GeoError):
        geo.aeqd_crs(200.0, 23.0)


# ------------------------------------------------------------------------------------------------
# seats, reference points and policy distances


def test_seat_points_carry_precision_and_list_missing_seats():
    seats = geo.seat_points()
    assert seats.crs.to_epsg() == 4326
    precision = dict(zip(seats.admin_code, seats.seat_precision))
    assert precision["450400"] == "sourced"  # Wikipedia infobox
    assert precision["500153"].startswith("approximate")
    assert precision["450481"].startswith("coarse")
    assert "苍梧县" in seats.attrs["without_seat"]


def test_distance_targets_are_cited_points():
    targets = geo.load_distance_targets()
    assert targets.target_id.is_unique
    assert {"guangzhou", "nanning", "chongqing", "hong_kong"} <= set(targets.target_id)
    assert targets.set_index("target_id").at["hong_kong", "approximate"]
    assert not targets.set_index("target_id").at["guangzhou", "approximate"]
    assert (targets.source_url.str.startswith("http") & targets.source_quote.str.len().gt(0)).all()


def test_distance_target_errors_name_the_row(geo_raw):
    path = geo_raw / "reference" / geo.TARGETS_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, "lat"] = "95"
    frame.to_csv(path, index=False)
    with pytest.raises(geo.GeoError, match=r"distance_targets\.csv row 3 \(nanning\).*not a WGS84"):
        geo.load_distance_targets(geo_raw)
    frame.loc[1, "lat"] = "22.8"
    frame.loc[2, "approximate"] = "maybe"
    frame.to_csv(path, index=False)
    with pytest.raises(geo.GeoError, match=r"row 4 \(chongqing\): approximate must be"):
        geo.load_distance_targets(geo_raw)


def test_places_seats_agree_with_cited_points():
    check = geo.seat_crosscheck()
    assert len(check) == len(geo.SEAT_CHECKS)
    assert check.km_apart.notna().all()
    assert (check.km_apart < 15).all()  # approximate seats are within the stated 0.05–0.1°


def test_policy_distances():
    table = geo.policy_distances().set_index("pair_id")
    assert table.km.notna().all()
    assert 200 < table.at["wuzhou_guangzhou", "km"] < 215
    assert 0 < table.at["wuzhou_gba_edge", "km"] < 30
    assert table.at["wuzhou_gba_shared_border", "km"] > 50  # Wuzhou borders Zhaoqing (GBA)
    assert table.at["rongchang_chongqing", "km"] < table.at["rongchang_chengdu", "km"]
    assert table.at["wuzhou_guangzhou", "method"].startswith("geodesic")
    assert "APPROXIMATE" in table.at["wuzhou_hong_kong", "precision"]
    assert table.crs.to_epsg() == 4326
    text = geo.describe_distances(table.reset_index())
    assert "**207 km**" in text


def test_policy_distance_without_seat_is_na_not_a_guess():
    pairs = (("cangwu_guangzhou", "dongrong", ("seat", "450421"), ("target", "guangzhou"), "distance"),)
    table = geo.policy_distances(pairs=pairs)
    assert math.isnan(table.km.iloc[0])
    assert "no seat" in table.precision.iloc[0]


def test_policy_distance_rejects_unknown_context():
    pairs = (("x", "elsewhere", ("seat", "450400"), ("target", "guangzhou"), "distance"),)
    with pytest.raises(geo.GeoError, match="unknown context 'elsewhere'"):
        geo.policy_distances(pairs=pairs)


# ------------------------------------------------------------------------------------------------
# indicators on maps


def test_per_10k_rates_and_not_stated(fake_indicators):
    table = geo.per_10k(fake_indicators, "enterprise_kexie_count", "prefecture").set_index("admin_code")
    assert len(table) == 5
    assert table.at["450400", "rate_per_10k"] == pytest.approx(118 / 2820977 * 1e4)
    assert table.at["500153", "rate_per_10k"] == pytest.approx(42 / 668977 * 1e4)
    assert table.at["450400", "n_records"] == 1
    # the county-scope row on Liuzhou and the Zunyi target do not count
    assert table.at["450200", "status"] == "not stated"
    assert table.at["520300", "status"] == "not stated"
    assert math.isnan(table.at["520300", "rate_per_10k"])  # NA, never 0
    with_targets = geo.per_10k(fake_indicators, "enterprise_kexie_count", "prefecture", include_targets=True).set_index("admin_code")
    assert with_targets.at["520300", "value"] == 50.0


def test_per_10k_county_scale_flags_missing_population(fake_indicators):
    frame = pd.concat([fake_indicators, pd.DataFrame([_row("WZ-901", "enterprise_kexie_count", "450422", "county", 7.0)])], ignore_index=True)
    table = geo.per_10k(frame, "enterprise_kexie_count", "county").set_index("admin_code")
    assert {"450422", "500153"} <= set(table.index)
    assert table.at["450422", "status"] == "no population"  # Teng's census figure is unverified
    assert math.isnan(table.at["450422", "rate_per_10k"])
    assert table.at["500153", "status"] == "value"


def test_indicator_values_picks_latest_period():
    rows = pd.DataFrame([
        _row("RC-001", "science_popularisation_funding_per_capita", "500153", "county", 0.6),
        _row("RC-002", "science_popularisation_funding_per_capita", "500153", "county", 2.0, period_start="2018-01-01", period_end="2018-12-31"),
    ])
    values = geo.indicator_values(rows, "science_popularisation_funding_per_capita", "county")
    assert values.record_id.tolist() == ["RC-002"]
    assert values.n_records.tolist() == [2]


@pytest.mark.parametrize(("indicator", "scale", "message"), [
    ("enterprise_kexie_counts", "prefecture", "unknown indicator 'enterprise_kexie_counts'.*enterprise_kexie_count"),
    ("enterprise_kexie_count", "province", "unknown scale 'province'"),
])
def test_parameters_are_validated(fake_indicators, indicator, scale, message):
    with pytest.raises(geo.GeoError, match=message):
        geo.check_parameters(indicator, scale)
    with pytest.raises(geo.GeoError, match=message):
        geo.per_10k(fake_indicators, indicator, scale)


def test_indicator_table_missing_columns(fake_indicators):
    with pytest.raises(geo.GeoError, match="lacks column\\(s\\) scope_level"):
        geo.per_10k(fake_indicators.drop(columns="scope_level"), "enterprise_kexie_count", "prefecture")


def test_county_values_with_bound(fake_indicators):
    table = geo.county_values_with_bound(fake_indicators, "kexie_annual_work_budget", "450400", year=2020).set_index("name_zh")
    assert len(table) == 7
    assert table.at["藤县", "status"] == "stated" and table.at["藤县", "value"] == 260000.0
    assert table.at["龙圩区", "status"] == "stated"
    others = table[table.status == "bound"]
    assert len(others) == 5 and (others.bound == 100000.0).all() and (others.record_id == "WZ-005").all()
    # the city kexie's own 51万元 is not a county value
    assert 510000.0 not in set(table.value.dropna())


def test_county_values_without_bound_are_not_stated(fake_indicators):
    frame = fake_indicators[fake_indicators.record_id != "WZ-005"]
    table = geo.county_values_with_bound(frame, "kexie_annual_work_budget", "450400", year=2020)
    assert sorted(table.status.value_counts().items()) == [("not stated", 5), ("stated", 2)]
    assert table[table.status == "not stated"].value.isna().all()
    other_year = geo.county_values_with_bound(fake_indicators, "kexie_annual_work_budget", "450400", year=2019)
    assert set(other_year.status) == {"not stated"}


def test_counties_named_in_quote(fake_indicators):
    table = geo.counties_named_in_quote(fake_indicators, "counties_full_township_coverage_count", "520300")
    assert len(table) == 14
    assert sorted(table[table.status == "named"].name_zh) == ["仁怀市", "湄潭县"]
    assert (table.status == "unknown").sum() == 12
    assert table.attrs["total"] == 9 and table.attrs["record_id"] == "ZY-005"
    with pytest.raises(geo.GeoError, match="no counties_full_township_coverage_count row for 450400"):
        geo.counties_named_in_quote(fake_indicators, "counties_full_township_coverage_count", "450400")


def test_county_helpers_reject_unknown_prefecture(fake_indicators):
    # 东莞市 is a prefecture-level city without county-level units
    with pytest.raises(geo.GeoError, match="no county-level units of 441900"):
        geo.county_values_with_bound(fake_indicators, "kexie_annual_work_budget", "441900")


def test_class_breaks():
    assert geo.class_breaks([0.42, 0.63]) == ([0.42, 0.63], ["0.42", "0.63"])
    bins, labels = geo.class_breaks([1, 2, 3, 10, 11, 12, 30, 31], k=3)
    assert len(bins) == len(labels) == 3 and bins[-1] == 31
    assert geo.class_breaks([np.nan]) == ([], [])


# ------------------------------------------------------------------------------------------------
# reform timeline


def test_reform_starts_follow_the_texts():
    starts = geo.reform_starts().set_index("city")
    assert starts.at["liuzhou", "year"] == 2017
    assert starts.at["wuzhou", "year"] == 2020
    assert starts.at["rongchang", "year"] == 2020
    assert pd.isna(starts.at["zunyi", "year"]) and starts.at["zunyi", "year_rule"] == "after 2018"
    assert pd.isna(starts.at["chengdu", "year"]) and starts.at["chengdu", "year_rule"] == "not stated"
    assert (starts.quote_offset >= 0).all()


def test_reform_start_with_unverifiable_quote_fails(monkeypatch):
    entries = list(geo.REFORM_STARTS)
    entries[0] = {**entries[0], "quote": "柳州市2016年启动改革"}
    monkeypatch.setattr(geo, "REFORM_STARTS", tuple(entries))
    with pytest.raises(geo.GeoError, match="reform start of liuzhou: quote not found in liuzhou_plan"):
        geo.reform_starts()


# ------------------------------------------------------------------------------------------------
# drawing


def test_draw_county_status_rejects_unknown_status():
    counties = geo.load_boundaries("counties").head(2).assign(status=["stated", "maybe"], value=[1.0, np.nan])
    with pytest.raises(geo.GeoError, match="unknown status value\\(s\\) \\['maybe'\\]"):
        geo.draw_county_status(counties, title_zh="t", title_en="t", legend={}, sources="s", n_note="2")


def test_scale_bar_length_is_geodesic():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pyproj

    fig, ax = plt.subplots()
    geo.set_extent(ax, 109.7, 115.0, 21.5, 24.9)
    assert geo.add_scale_bar(ax, 50) == 50
    left, right = (patch for patch in ax.patches)
    x0, y0 = left.get_xy()
    x1 = right.get_x() + right.get_width()
    back = pyproj.Transformer.from_crs(geo.PLOT_CRS, geo.WGS84, always_xy=True).transform
    assert geo.distance_km(back(x0, y0), back(x1, y0)) == pytest.approx(50, rel=0.01)
    with pytest.raises(geo.GeoError):
        geo.add_scale_bar(ax, -5)
    plt.close(fig)


def test_map_is_rendered_once_when_saved_not_after_every_layer(fake_indicators):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    renders = []
    original_subplots = plt.subplots

    def counting_subplots(*args, **kwargs):
        fig, axes = original_subplots(*args, **kwargs)
        fig.canvas.mpl_connect("draw_event", lambda event: renders.append(event))
        return fig, axes

    budgets = geo.county_values_with_bound(fake_indicators, "kexie_annual_work_budget", "450400", year=2020)
    plt.subplots = counting_subplots
    try:
        fig = geo.draw_county_status(budgets, title_zh="t", title_en="t", legend={"bound": "b", "not stated": "n"},
                                     sources="s", n_note=str(len(budgets)))
    finally:
        plt.subplots = original_subplots
    assert renders == []  # eight county polygons, no render while building
    assert "draw_idle" not in vars(fig.canvas)  # the canvas's own method is back
    with warnings.catch_warnings():  # no CJK font registered in this test: glyph warnings only
        warnings.simplefilter("ignore", UserWarning)
        fig.canvas.draw_idle()
    assert len(renders) == 1
    plt.close(fig)


def test_deferred_redraw_restores_the_canvas_after_an_error():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, _ = plt.subplots()
    with pytest.raises(RuntimeError), geo._deferred_redraw(fig):
        raise RuntimeError("boom")
    assert "draw_idle" not in vars(fig.canvas)
    plt.close(fig)


# ------------------------------------------------------------------------------------------------
# the notebook


def _processed_data_dir(tmp_path: Path) -> Path | None:
    """A data dir with the real raw data and a processed dataset (built here if not committed)."""
    if (config.processed_dir() / "indicators.parquet").is_file():
        return None
    from kexie_research.build import build

    data = tmp_path / "data"
    data.mkdir()
    (data / "raw").symlink_to(config.raw_dir(), target_is_directory=True)
    build(out_dir=data / "processed", echo=None)
    return data


@pytest.mark.slow
def test_notebook_runs_under_papermill(tmp_path, monkeypatch):
    papermill = pytest.importorskip("papermill")
    data = _processed_data_dir(tmp_path)
    if data is not None:
        monkeypatch.setenv("KEXIE_DATA_DIR", str(data))
    figures = tmp_path / "figures"
    monkeypatch.setenv("KEXIE_FIGURE_DIR", str(figures))
    notebook = config.notebooks_dir() / "30_geographic.ipynb"
    papermill.execute_notebook(str(notebook), str(tmp_path / "out.ipynb"), kernel_name="python3", cwd=str(tmp_path), progress_bar=False)
    produced = sorted(path.name for path in figures.glob("*.png"))
    assert produced == sorted([
        "30_locator.png", "30_per_10k_enterprise_kexie_count_prefecture.png", "30_wuzhou_county_budgets_2020.png",
        "30_zunyi_township_coverage.png", "30_reform_timeline.png", "30_policy_distances.png",
    ])


@pytest.mark.slow
def test_notebook_rejects_unknown_indicator(tmp_path, monkeypatch):
    papermill = pytest.importorskip("papermill")
    data = _processed_data_dir(tmp_path)
    if data is not None:
        monkeypatch.setenv("KEXIE_DATA_DIR", str(data))
    monkeypatch.setenv("KEXIE_FIGURE_DIR", str(tmp_path / "figures"))
    notebook = config.notebooks_dir() / "30_geographic.ipynb"
    with pytest.raises(papermill.PapermillExecutionError, match="unknown indicator 'no_such_indicator'"):
        papermill.execute_notebook(
            str(notebook), str(tmp_path / "out.ipynb"), kernel_name="python3", cwd=str(tmp_path),
            parameters={"indicator": "no_such_indicator"}, progress_bar=False,
        )


def test_notebook_is_committed_clean_with_one_parameters_cell():
    import json

    notebook = json.loads((config.notebooks_dir() / "30_geographic.ipynb").read_text(encoding="utf-8"))
    tagged = [cell for cell in notebook["cells"] if "parameters" in cell["metadata"].get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    assert "indicator = " in source and "scale = " in source
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
