"""Tests of kexie_research.analysis.geo: boundary layers, joins, projections, distances, map inputs, notebook."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

geopandas = pytest.importorskip("geopandas")
shapely = pytest.importorskip("shapely")

from shapely.geometry import Point, box

from kexie_research.analysis import geo
from kexie_research import config
from kexie_research.steps.places import read_places

from synthetic_cases import sixth_case


# ------------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture()
def geo_raw(tmp_path: Path) -> Path:
    """A writable copy of the parts of data/raw the geo module reads."""
    target = tmp_path / "raw"
    shutil.copytree(config.raw_dir(), target)
    return target


def _row(
    record_id,
    indicator_id,
    admin_code,
    scope_level,
    value,
    *,
    raw_text="1个",
    qualifier="exact",
    high=np.nan,
    is_target=False,
    period_start=None,
    period_end=None,
    quote="q",
):
    return {
        "record_id": record_id,
        "source_id": "x",
        "case": "wuzhou",
        "indicator_id": indicator_id,
        "scope_zh": "x",
        "scope_level": scope_level,
        "admin_code": admin_code,
        "place_zh": "x",
        "period_text": None,
        "period_start": period_start,
        "period_end": period_end,
        "is_target": is_target,
        "raw_text": raw_text,
        "value": value,
        "low": np.nan,
        "high": high,
        "unit": "organisation",
        "qualifier": qualifier,
        "quote": quote,
        "note": "",
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
        _row(
            "WZ-002",
            "kexie_annual_work_budget",
            "450400",
            "city",
            510000.0,
            period_start="2020-01-01",
            period_end="2020-12-31",
        ),
        _row(
            "WZ-003",
            "kexie_annual_work_budget",
            "450422",
            "county",
            260000.0,
            period_start="2020-01-01",
            period_end="2020-12-31",
        ),
        _row(
            "WZ-004",
            "kexie_annual_work_budget",
            "450406",
            "county",
            205200.0,
            period_start="2020-01-01",
            period_end="2020-12-31",
        ),
        _row(
            "WZ-005",
            "kexie_annual_work_budget",
            "450400",
            "county",
            100000.0,
            qualifier="at_most",
            high=100000.0,
            raw_text="没有超过10万元",
            period_start="2020-01-01",
            period_end="2020-12-31",
        ),
        {
            **_row(
                "ZY-005", "counties_full_township_coverage_count", "520300", "city", 9.0, raw_text="9个", quote=quote
            ),
            "unit": "place",
        },
    ]
    frame = pd.DataFrame(rows)
    frame["is_target"] = frame["is_target"].astype(bool)
    return frame


# ------------------------------------------------------------------------------------------------
# boundary layers


def test_unknown_layer_lists_valid_layers():
    with pytest.raises(
        geo.GeoError,
        match=r"unknown boundary layer 'province'.*did you mean 'provinces'.*valid: provinces, prefectures, counties",
    ):
        geo.load_boundaries("province")


# ------------------------------------------------------------------------------------------------
# joins


def test_every_place_joins_to_exactly_one_geometry():
    places = read_places()
    joined = geo.join_places(places)
    assert len(joined) == len(places)
    assert joined.admin_code.is_unique
    assert joined.geometry.notna().all()
    assert joined.crs.to_epsg() == 4326
    layers = dict(zip(joined.admin_code, joined.layer))
    assert layers["100000"] == "country" and layers["450400"] == "prefectures" and layers["500153"] == "counties"
    assert layers["440000"] == "provinces"


def test_join_places_reports_places_without_boundary():
    places = read_places()
    extra = places.iloc[[0]].assign(admin_code="990100", name_zh="测试市", level="prefecture")  # no such division
    with pytest.raises(geo.GeoError, match=r"no boundary .* for place\(s\): 990100 测试市"):
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
    places = read_places()
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
    targets = geo.distance_target_points()
    assert targets.target_id.is_unique
    assert {"guangzhou", "nanning", "chongqing", "hong_kong"} <= set(targets.target_id)
    assert targets.set_index("target_id").at["hong_kong", "approximate"]
    assert not targets.set_index("target_id").at["guangzhou", "approximate"]
    assert (targets.source_url.str.startswith("http") & targets.source_quote.str.len().gt(0)).all()


def test_places_seats_agree_with_cited_points():
    check = geo.seat_crosscheck()
    assert len(check) >= 5  # every cited capital/centre point has a places-table seat nearby
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
    # the distance to the provincial capital is computed for every case, from data alone
    capital = table[table.context == "capital"]
    assert sorted(capital.case) == sorted(geo.load_table("cases").case)
    assert 290 < table.at["wuzhou_capital", "km"] < 320


def _pairs(*rows):
    columns = ["pair_id", "case", "context", "context_zh", "context_en", "from_end", "to_end", "measure"]
    return pd.DataFrame([dict(zip(columns, row)) for row in rows], columns=columns)


def test_policy_distance_without_seat_is_flagged_or_na_never_a_silent_guess():
    pairs = _pairs(
        ("cangwu_guangzhou", "x", "c", "c", "c", "seat:450421", "target:guangzhou", "distance"),
        ("hubei_guangzhou", "x", "c", "c", "c", "seat:420000", "target:guangzhou", "distance"),
    )
    table = geo.policy_distances(pairs).set_index("pair_id")
    # a county without a cited seat: from a point inside its boundary, flagged as approximate
    assert 150 < table.at["cangwu_guangzhou", "km"] < 250
    assert table.at["cangwu_guangzhou", "precision"].startswith(f"seat {geo.APPROXIMATE_SEAT};")
    # a province outside the places table: the cited provincial seat (Wuhan), flagged as such
    assert 800 < table.at["hubei_guangzhou", "km"] < 870
    assert "cited provincial seat" in table.at["hubei_guangzhou", "precision"]


def test_a_province_without_any_cited_seat_is_na_never_a_point_inside_it(monkeypatch):
    from kexie_research.analysis.geo import seats

    real = seats.load_table
    monkeypatch.setattr(
        seats, "load_table", lambda name: real(name).iloc[0:0] if name == "provincial_seats" else real(name)
    )
    pairs = _pairs(("hubei_guangzhou", "x", "c", "c", "c", "seat:420000", "target:guangzhou", "distance"))
    table = geo.policy_distances(pairs).set_index("pair_id")
    # a point inside a province is not its capital: NA and said so
    assert math.isnan(table.at["hubei_guangzhou", "km"])
    assert "no seat" in table.at["hubei_guangzhou", "precision"]


@pytest.mark.parametrize(
    ("end", "message"),
    [
        ("seat:4504", "is not seat:CODE"),
        ("target:nowhere", "unknown reference point"),
        ("polygon:provinces:990000", "no feature 990000"),
    ],
)
def test_policy_distance_rejects_bad_ends(end, message):
    with pytest.raises(geo.GeoError, match=message):
        geo.policy_distances(_pairs(("x", "x", "c", "c", "c", "seat:450400", end, "distance")))


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
    with_targets = geo.per_10k(fake_indicators, "enterprise_kexie_count", "prefecture", include_targets=True).set_index(
        "admin_code"
    )
    assert with_targets.at["520300", "value"] == 50.0


def test_per_10k_county_scale_flags_missing_population(fake_indicators):
    frame = pd.concat(
        [fake_indicators, pd.DataFrame([_row("WZ-901", "enterprise_kexie_count", "450422", "county", 7.0)])],
        ignore_index=True,
    )
    table = geo.per_10k(frame, "enterprise_kexie_count", "county").set_index("admin_code")
    assert {"450422", "500153"} <= set(table.index)
    assert table.at["450422", "status"] == "no population"  # Teng's census figure is unverified
    assert math.isnan(table.at["450422", "rate_per_10k"])
    assert table.at["500153", "status"] == "value"


def test_indicator_values_picks_latest_period():
    rows = pd.DataFrame(
        [
            _row("RC-001", "science_popularisation_funding_per_capita", "500153", "county", 0.6),
            _row(
                "RC-002",
                "science_popularisation_funding_per_capita",
                "500153",
                "county",
                2.0,
                period_start="2018-01-01",
                period_end="2018-12-31",
            ),
        ]
    )
    values = geo.indicator_values(rows, "science_popularisation_funding_per_capita", "county")
    assert values.record_id.tolist() == ["RC-002"]
    assert values.n_records.tolist() == [2]


@pytest.mark.parametrize(
    ("indicator", "scale", "message"),
    [
        (
            "enterprise_kexie_counts",
            "prefecture",
            "unknown indicator 'enterprise_kexie_counts'.*enterprise_kexie_count",
        ),
        ("enterprise_kexie_count", "province", "unknown scale 'province'"),
    ],
)
def test_parameters_are_validated(fake_indicators, indicator, scale, message):
    with pytest.raises(geo.GeoError, match=message):
        geo.check_parameters(indicator, scale)
    with pytest.raises(geo.GeoError, match=message):
        geo.per_10k(fake_indicators, indicator, scale)


def test_indicator_table_missing_columns(fake_indicators):
    with pytest.raises(geo.GeoError, match="lacks column\\(s\\) scope_level"):
        geo.per_10k(fake_indicators.drop(columns="scope_level"), "enterprise_kexie_count", "prefecture")


def test_county_values_with_bound(fake_indicators):
    table = geo.county_values_with_bound(fake_indicators, "kexie_annual_work_budget", "450400", year=2020).set_index(
        "name_zh"
    )
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


# ------------------------------------------------------------------------------------------------
# reform timeline


def test_reform_starts_follow_the_timeline():
    starts = geo.reform_starts().set_index("case")
    assert starts.at["liuzhou", "year"] == 2017
    assert starts.at["wuzhou", "year"] == 2020
    assert starts.at["rongchang", "year"] == 2020
    assert pd.isna(starts.at["zunyi", "year"]) and starts.at["zunyi", "year_rule"] == "not before 2019"
    assert pd.isna(starts.at["chengdu", "year"]) and starts.at["chengdu", "year_rule"] == "not stated"
    assert (starts.quote_offset >= 0).all()
    timeline = geo.load_table("timeline")
    for row in starts.reset_index().itertuples():  # each start is an event of the processed timeline, quote included
        event = timeline.set_index("event_id").loc[row.event_id]
        assert event["case"] == row.case and event["quote"] == row.quote


def test_reform_start_is_the_earliest_dated_event():
    cases = pd.DataFrame({"case": ["a", "b"], "admin_code": ["420500", "420600"]})
    timeline = pd.DataFrame(
        [
            {
                "event_id": "A-2",
                "case": "a",
                "date": "2021-03",
                "not_before": "",
                "date_text": "2021年3月",
                "event_zh": "z",
                "event_en": "e2",
                "source_id": "s",
                "quote": "q2",
                "quote_offset": 5,
            },
            {
                "event_id": "A-1",
                "case": "a",
                "date": "2019",
                "not_before": "",
                "date_text": "2019年",
                "event_zh": "z",
                "event_en": "e1",
                "source_id": "s",
                "quote": "q1",
                "quote_offset": 1,
            },
            {
                "event_id": "A-0",
                "case": "a",
                "date": "",
                "not_before": "2016",
                "date_text": "",
                "event_zh": "z",
                "event_en": "e0",
                "source_id": "s",
                "quote": "q0",
                "quote_offset": 0,
            },
        ]
    )
    starts = geo.reform_starts(timeline, cases).set_index("case")
    assert starts.at["a", "year"] == 2019 and starts.at["a", "event_id"] == "A-1"
    assert starts.at["b", "year_rule"] == "no event in the timeline" and pd.isna(starts.at["b", "year"])


# ------------------------------------------------------------------------------------------------
# any case by data alone: the five from the dataset, and a synthetic sixth


def test_no_case_key_name_or_code_in_geo_code():
    import kexie_research.analysis.geo as module
    import kexie_research.viz.interactive as interactive
    import kexie_research.viz.maps as maps
    import kexie_research.viz.per_capita_map as per_capita_map

    cases = geo.load_table("cases")
    forbidden = [*cases.case, *cases.case_zh, *cases.case_en, *cases.admin_code]
    for source in (module, maps, per_capita_map, interactive):
        text = Path(source.__file__).read_text(encoding="utf-8")
        kept, in_example = [], False
        for line in text.splitlines():  # drop doctest examples: the prompt lines and the output after them
            stripped = line.strip()
            in_example = stripped.startswith(">>>") or (in_example and stripped != "" and stripped != '"""')
            if not in_example:
                kept.append(line)
        code = "\n".join(kept)
        for word in forbidden:
            # docstring examples aside; "五" and "five" neither
            assert word not in code or word in ("3+1",), f"{word!r} in {source.__file__}"
        assert " five " not in code and "五个" not in code
    import json

    notebook = json.loads((config.notebooks_dir() / "30_geographic.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(cell["source"]) for cell in notebook["cells"])
    for word in [*forbidden, " five ", "五个"]:
        assert word not in text, f"{word!r} in notebook 30"


def test_count_note_counts_cases_from_data():
    assert geo.count_note(geo.load_table("cases")) == f"{len(geo.load_table('cases'))} places"
    assert geo.count_note(sixth_case()) == f"{len(geo.load_table('cases')) + 1} places"


def test_sixth_case_joins_with_defaults():
    cases = geo.case_geometries(sixth_case())
    row = cases.set_index("case").loc["synthetic_sixth"]
    assert row.has_boundary and row.anchor_kind == "boundary point"  # no seat: a point of its boundary
    assert row.geometry.contains(shapely.geometry.Point(row.anchor_lon, row.anchor_lat))
    west, east, south, north = geo.case_region(cases)
    assert west < row.anchor_lon < east and south < row.anchor_lat < north


def test_sixth_case_without_population_or_events_never_crashes(fake_indicators):
    cases = sixth_case()
    extra = pd.DataFrame([_row("SX-001", "enterprise_kexie_count", "420000", "provincial", 12.0)]).assign(
        case="synthetic_sixth"
    )
    table = geo.per_10k(
        pd.concat([fake_indicators, extra], ignore_index=True), "enterprise_kexie_count", cases=cases
    ).set_index("case")
    assert len(table) == 6 and table.attrs["n_cases"] == 6
    assert table.at["synthetic_sixth", "status"] == "no population" and math.isnan(
        table.at["synthetic_sixth", "rate_per_10k"]
    )
    starts = geo.reform_starts(cases=cases).set_index("case")
    assert starts.at["synthetic_sixth", "year_rule"] == "no event in the timeline"
    profiles = geo.case_profiles(fake_indicators, ["enterprise_kexie_count"], cases=cases).set_index("case")
    assert profiles.at["synthetic_sixth", "population_text"] == geo.NO_POPULATION
    pairs = geo.distance_pairs(cases)
    assert "synthetic_sixth_capital" not in set(pairs.pair_id)  # a province has no provincial capital to reach


def test_prefecture_level_sixth_case_gets_a_capital_distance_and_no_guess():
    cases = sixth_case(code="420500", level="prefecture")
    pairs = geo.distance_pairs(cases).set_index("pair_id")
    assert (pairs.at["synthetic_sixth_capital", "from_end"], pairs.at["synthetic_sixth_capital", "to_end"]) == (
        "seat:420500",
        "seat:420000",
    )
    table = geo.policy_distances(pairs.reset_index()[pairs.reset_index().case == "synthetic_sixth"])
    places = set(geo.load_table("places").admin_code)
    assert "420500" not in places and "420000" not in places  # neither seat is cited in the places table
    # the prefecture is measured from a point inside its boundary, flagged; the province's seat is the cited
    # provincial seat (Wuhan), so the distance is computed and says where both ends come from
    precision_from, precision_to = table.precision.iloc[0].split("; ")
    assert precision_from == f"seat {geo.APPROXIMATE_SEAT}"
    assert precision_to.startswith("seat cited provincial seat") and 150 < table.km.iloc[0] < 350


def test_a_case_without_a_cited_seat_is_measured_from_its_boundary_point():
    cases = geo.case_geometries(sixth_case(code="420500", level="prefecture"))
    anchor = cases.set_index("case").loc["synthetic_sixth"]
    assert anchor.anchor_kind == "boundary point"
    # a pair from the case to a cited reference point: a distance, from the same point the maps draw
    pair = pd.DataFrame(
        [
            {
                "pair_id": "synthetic_sixth_guangzhou",
                "case": "synthetic_sixth",
                "context": "test",
                "context_zh": "测试",
                "context_en": "test",
                "from_end": "seat:420500",
                "to_end": "target:guangzhou",
                "measure": "distance",
            }
        ]
    )
    row = geo.policy_distances(pair).iloc[0]
    assert row.precision.startswith(f"seat {geo.APPROXIMATE_SEAT}")
    start = row.geometry.coords[0]
    assert start == pytest.approx((anchor.anchor_lon, anchor.anchor_lat))
    assert row.km == pytest.approx(geo.distance_km(start, row.geometry.coords[1])) and 700 < row.km < 900
    assert geo.approximate_seat_note(cases) == f"seat of 测试 Synthetic: {geo.APPROXIMATE_SEAT}"


def test_prefecture_level_sixth_case_maps_with_the_all_china_layers():
    assert "420500" in set(geo.load_boundaries("prefectures").admin_code)  # the all-China layers cover every prefecture
    cases = geo.case_geometries(sixth_case(code="420500", level="prefecture")).set_index("case")
    row = cases.loc["synthetic_sixth"]
    assert row.has_boundary and row.layer == "prefectures"
    assert row.geometry.contains(shapely.geometry.Point(row.anchor_lon, row.anchor_lat))


def test_case_code_that_is_no_division_is_named_in_the_error():
    cases = sixth_case(code="990100", level="prefecture", case="nowhere")
    with pytest.raises(geo.GeoError, match=r"not a Chinese administrative division: nowhere \(990100\)"):
        geo.case_geometries(cases)


def test_county_panels_come_from_the_cases_table(fake_indicators):
    cases = geo.load_table("cases")
    units = geo.case_units("county", cases)
    assert set(units.case) == set(cases.case[cases.county_panel.astype(bool)])
    none = cases.assign(county_panel=False)
    assert geo.case_units("county", none).empty
    assert geo.county_breakdowns(fake_indicators, none).empty and geo.county_mentions(fake_indicators, none).empty
    found = geo.county_breakdowns(fake_indicators, cases)
    assert found[["indicator_id", "year", "n_stated", "n_bound"]].values.tolist() == [
        ["kexie_annual_work_budget", 2020, 2, 5]
    ]
    assert geo.county_mentions(fake_indicators, cases)[["record_id", "n_named", "n_units"]].values.tolist() == [
        ["ZY-005", 2, 14]
    ]


def test_case_profiles_carry_rates_and_quotes():
    import kexie_research as kr

    indicators = kr.load_indicators()
    profiles = geo.case_profiles(indicators).set_index("case")
    assert list(profiles.index) == list(geo.load_table("cases").case)
    for case, row in profiles.iterrows():
        assert row.quotes, case
        for quote in row.quotes:  # verbatim quotes of the indicator table
            assert quote["quote"] in set(indicators.quote)
    rates = [item for items in profiles.per_capita for item in items]
    assert rates and all(item["rate_per_10k"] > 0 for item in rates)


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
    papermill.execute_notebook(
        str(notebook), str(tmp_path / "out.ipynb"), kernel_name="python3", cwd=str(tmp_path), progress_bar=False
    )
    produced = sorted(path.name for path in figures.glob("*.png"))
    assert {
        "30_locator.png",
        "30_per_10k_enterprise_kexie_prefecture.png",
        "30_reform_timeline.png",
        "30_policy_distances.png",
    } <= set(produced)
    # one county panel per breakdown and per quote naming counties, found in the data
    indicators = __import__("kexie_research").load_indicators()
    expected = len(geo.county_breakdowns(indicators)) + len(geo.county_mentions(indicators))
    assert expected >= 2 and len([name for name in produced if name.startswith("30_county_")]) == expected


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
            str(notebook),
            str(tmp_path / "out.ipynb"),
            kernel_name="python3",
            cwd=str(tmp_path),
            parameters={"indicator": "no_such_indicator"},
            progress_bar=False,
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
