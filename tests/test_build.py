"""The build end to end on the real data (the coding-sheet step has its own tests in tests/steps)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kexie_research.steps.sources import load_documents
from kexie_research import config
from kexie_research.build import build

# ------------------------------------------------------------------------------------------------
# Real data
# ------------------------------------------------------------------------------------------------
def test_two_builds_are_byte_identical(built, tmp_path):
    _, first = built
    build(out_dir=tmp_path, echo=None)
    for name in ("indicators.csv", "indicators.parquet", "quarantine.csv", "places.csv", "codebook.csv", "datapackage.json"):
        assert (first / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_committed_processed_data_is_up_to_date(built):
    """data/processed/ in the repository is exactly what `kexie build` produces now."""
    _, fresh = built
    for name in ("indicators.csv", "quarantine.csv", "places.csv", "codebook.csv", "datapackage.json"):
        committed = config.processed_dir() / name
        assert committed.is_file(), f"{committed} missing: run `kexie build`"
        assert committed.read_bytes() == (fresh / name).read_bytes(), f"{name} is stale: run `kexie build`"


def test_datapackage_is_valid_frictionless(built):
    frictionless = pytest.importorskip("frictionless")
    _, out = built
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in descriptor["resources"]} == {"indicators", "quarantine", "places", "codebook"}
    report = frictionless.Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_interrupted_write_leaves_previous_file_intact(built, tmp_path, monkeypatch):
    _, out = built
    target = tmp_path / "out"
    build(out_dir=target, echo=None)
    before = (target / "indicators.parquet").read_bytes()

    def explode(self, *args, **kwargs):
        raise KeyboardInterrupt("killed mid-write")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", explode)
    with pytest.raises(KeyboardInterrupt):
        build(out_dir=target, echo=None)
    assert (target / "indicators.parquet").read_bytes() == before
    assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no temp files left behind
