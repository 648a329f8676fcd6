"""The boundary-layer build step: raw GeoParquet layers checked, then copied unchanged to data/processed/geo."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from kexie_research import config
from kexie_research.cli import main
from kexie_research.errors import BoundaryError
from kexie_research.steps.geo import LAYER_FILES, check_layers, geo_step

geopandas = pytest.importorskip("geopandas")


@pytest.fixture()
def geo_raw(tmp_path: Path) -> Path:
    """A writable copy of the parts of data/raw the step reads: geo/ and reference/divisions.csv."""
    raw = tmp_path / "raw"
    shutil.copytree(config.raw_dir() / "geo", raw / "geo")
    (raw / "reference").mkdir()
    shutil.copy(config.raw_dir() / "reference" / "divisions.csv", raw / "reference" / "divisions.csv")
    return raw


def _rewrite(raw: Path, layer: str, change) -> Path:
    """Rewrite one layer with ``change(frame)`` and record its new sha256, so later checks are reached."""
    path = raw / "geo" / LAYER_FILES[layer]
    frame = change(geopandas.read_parquet(path))
    frame.to_parquet(path, index=False)
    origin_path = raw / "geo" / "origin.yaml"
    origin = yaml.safe_load(origin_path.read_text(encoding="utf-8"))
    origin["files"][layer]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    origin_path.write_text(yaml.safe_dump(origin, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_step_publishes_the_checked_layers_unchanged(geo_raw):
    outputs = geo_step(geo_raw)
    assert sorted(outputs) == sorted(f"geo/{name}" for name in [*LAYER_FILES.values(), "origin.yaml"])
    for key, path in outputs.items():
        assert path == geo_raw / key


def test_committed_processed_layers_are_the_raw_ones():
    for name in [*LAYER_FILES.values(), "origin.yaml"]:
        processed = config.processed_dir() / "geo" / name
        assert processed.read_bytes() == (config.raw_dir() / "geo" / name).read_bytes(), (
            f"{processed}: run `kexie build`"
        )


def test_changed_checksum_names_the_file(geo_raw):
    path = geo_raw / "geo" / "counties.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(
        BoundaryError, match=r"counties\.parquet: sha256 [0-9a-f]{64} differs from [0-9a-f]{64} in .*origin\.yaml"
    ):
        check_layers(geo_raw)


def test_missing_layer_names_the_file_and_the_script(geo_raw):
    (geo_raw / "geo" / "gba.parquet").unlink()
    with pytest.raises(BoundaryError, match=r"gba\.parquet: boundary layer not found.*scripts/extract_boundaries\.py"):
        check_layers(geo_raw)


def test_missing_origin_record_is_named(geo_raw):
    (geo_raw / "geo" / "origin.yaml").unlink()
    with pytest.raises(BoundaryError, match=r"origin\.yaml: cannot read the boundary origin record"):
        check_layers(geo_raw)


def test_origin_record_must_list_every_layer(geo_raw):
    path = geo_raw / "geo" / "origin.yaml"
    origin = yaml.safe_load(path.read_text(encoding="utf-8"))
    del origin["files"]["sea_lines"]
    path.write_text(yaml.safe_dump(origin, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BoundaryError, match=r"origin\.yaml: 'files' must list the layers"):
        check_layers(geo_raw)


def test_missing_column_names_the_file(geo_raw):
    _rewrite(geo_raw, "prefectures", lambda frame: frame.drop(columns="parent_code"))
    with pytest.raises(BoundaryError, match=r"prefectures\.parquet: missing column\(s\) parent_code"):
        check_layers(geo_raw)


def test_bad_code_names_the_file_and_the_feature(geo_raw):
    def bad(frame):
        frame.loc[frame.admin_code == "450400", "admin_code"] = "4504"
        return frame

    _rewrite(geo_raw, "prefectures", bad)
    with pytest.raises(
        BoundaryError, match=r"prefectures\.parquet: feature \d+ \(梧州市\): admin_code '4504' is not a 6-digit string"
    ):
        check_layers(geo_raw)


def test_duplicate_code_is_rejected(geo_raw):
    def duplicate(frame):
        frame.loc[frame.admin_code == "450200", "admin_code"] = "450400"
        return frame

    _rewrite(geo_raw, "prefectures", duplicate)
    with pytest.raises(
        BoundaryError, match=r"prefectures\.parquet: feature \d+ .*admin_code 450400 listed more than once"
    ):
        check_layers(geo_raw)


def test_code_unknown_to_the_division_reference_is_rejected(geo_raw):
    def unknown(frame):
        frame.loc[frame.admin_code == "450406", "admin_code"] = "450499"
        return frame

    _rewrite(geo_raw, "counties", unknown)
    with pytest.raises(
        BoundaryError, match=r"counties\.parquet: feature \d+ \(龙圩区\): admin_code 450499 is not in .*divisions\.csv"
    ):
        check_layers(geo_raw)


def test_division_without_polygon_is_named(geo_raw):
    _rewrite(geo_raw, "counties", lambda frame: frame[frame.admin_code != "500153"])
    with pytest.raises(BoundaryError, match=r"counties\.parquet: no polygon for division\(s\) 500153"):
        check_layers(geo_raw)


def test_wrong_crs_is_rejected(geo_raw):
    _rewrite(geo_raw, "gba", lambda frame: frame.to_crs(3857))
    with pytest.raises(BoundaryError, match=r"gba\.parquet: expected CRS EPSG:4326"):
        check_layers(geo_raw)


def test_not_a_parquet_file_is_named(geo_raw):
    path = geo_raw / "geo" / "sea_lines.parquet"
    path.write_text("not parquet", encoding="utf-8")
    origin_path = geo_raw / "geo" / "origin.yaml"
    origin = yaml.safe_load(origin_path.read_text(encoding="utf-8"))
    origin["files"]["sea_lines"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    origin_path.write_text(yaml.safe_dump(origin, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BoundaryError, match=r"sea_lines\.parquet: not a readable Parquet file"):
        check_layers(geo_raw)


def test_build_with_an_altered_layer_exits_2_with_one_clear_line(raw_copy, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(raw_copy, data / "raw", symlinks=False, ignore=shutil.ignore_patterns("geo"))
    shutil.copytree(config.raw_dir() / "geo", data / "raw" / "geo")
    path = data / "raw" / "geo" / "provinces.parquet"
    path.write_bytes(path.read_bytes()[:-100] + bytes(100))
    monkeypatch.setenv("KEXIE_DATA_DIR", str(data))
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "provinces.parquet: sha256" in err
    assert "Traceback" not in err
    assert not (data / "processed").exists()
