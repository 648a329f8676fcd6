"""End to end: a synthetic sixth case (宜昌市, Hubei) added with `kexie add-source`, coded, built.

The document (tests/fixtures/synthetic_yichang.txt) is made up for this test. The case is added to a
copy of the frozen test dataset (KEXIE_DATA_DIR) with data only: one command, then a coding sheet. The five cases'
indicators must not change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from kexie_research import config
from kexie_research.cli import main

from add_place import add_yichang

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def sixth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the test dataset (data/raw) with the synthetic case added, coded and built."""
    data = tmp_path_factory.mktemp("sixth") / "data"
    shutil.copytree(config.raw_dir(), data / "raw")
    added = add_yichang(data)["add-source"]
    assert "next steps:" in added.stdout and "yichang_document.csv" in added.stdout
    return data


def test_the_document_and_its_entry_are_in_data_raw(sixth: Path):
    from kexie_research.steps.sources import verify_sources

    entry = verify_sources(sixth / "raw")[-1]
    assert (entry["source_id"], entry["case"], entry["admin_code"], entry["province_zh"]) == (
        "yichang_document",
        "yichang",
        "420500",
        "湖北省",
    )
    assert (
        entry["file"].startswith("005_")
        and (sixth / "raw" / "documents" / entry["file"]).read_bytes()
        == (FIXTURES / "synthetic_yichang.txt").read_bytes()
    )


def test_the_new_case_is_in_the_processed_tables(sixth: Path):
    from kexie_research import data

    processed = sixth / "processed"
    indicators = data.load_indicators(processed)
    facts = indicators[indicators["case"] == "yichang"].set_index("record_id")
    assert list(facts.index) == ["YC-001", "YC-002", "YC-003"]
    assert facts["value"].tolist() == [15.0, 8.0, 300_000.0]
    assert facts.loc["YC-002", ["admin_code", "place_zh"]].tolist() == [
        "420506",
        "夷陵区",
    ]  # a county-level scope resolves
    assert data.load_quarantine(processed).empty
    cases = data.load_cases(processed).set_index("case")
    assert list(cases.index)[-1] == "yichang"
    yichang = cases.loc["yichang"]
    assert (yichang.case_zh, yichang.case_en, yichang.province_zh, yichang.level) == (
        "宜昌",
        "Yichang",
        "湖北省",
        "prefecture",
    )
    assert yichang.colour not in set(cases.drop(index="yichang").colour)  # a palette colour of its own
    assert pd.isna(yichang.population)  # population not available: no cited census figure, no crash
    assert not yichang.county_panel and yichang.model_zh == ""
    features = data.load_features(processed)
    mine = features[features.case == "yichang"]
    assert len(mine) == len(data.load_conditions(processed)) and not mine.known.any()
    assert (mine.evidence_kind == "none").all()
    assert "yichang" not in set(data.load_timeline(processed).case)  # no timeline row is fine
    assert "420500" in set(data.load_places(processed).admin_code)
    assert data.load_documents(processed).case.tolist()[-1] == "yichang"
    assert "6 case(s)" in (processed / "datapackage.json").read_text(encoding="utf-8")


def test_the_five_cases_indicators_are_unchanged(sixth: Path):
    committed = pd.read_csv(config.processed_dir() / "indicators.csv", dtype=str, keep_default_na=False)
    rebuilt = pd.read_csv(sixth / "processed" / "indicators.csv", dtype=str, keep_default_na=False)
    rebuilt = rebuilt[rebuilt["source_id"].isin(set(committed["source_id"]))]
    columns = [c for c in committed.columns if c not in ("case", "case_zh")]
    pd.testing.assert_frame_equal(committed[columns].reset_index(drop=True), rebuilt[columns].reset_index(drop=True))


def test_adding_the_same_document_again_changes_nothing(sixth: Path, monkeypatch, capsys):
    monkeypatch.setenv("KEXIE_DATA_DIR", str(sixth))
    before = (sixth / "raw" / "sources.yaml").read_bytes()
    assert main(["add-source", str(FIXTURES / "synthetic_yichang.txt"), "--code", "420500"]) == 2
    assert "already in the manifest as 'yichang_document'" in capsys.readouterr().err
    assert (sixth / "raw" / "sources.yaml").read_bytes() == before
