"""A reviewed draft of a new (synthetic) document becomes a coding sheet that `kexie validate` passes."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from kexie_research import config
from kexie_research.cli import main
from kexie_research.extract.sheet import default_prefix, to_sheet
from kexie_research.errors import SheetError
from kexie_research.schemas.indicators import SHEET_COLUMNS

FIXTURE = Path(__file__).parents[1] / "fixtures" / "synthetic_tongzi_report.txt"
SOURCE_ID = "tongzi_synthetic"


@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ with the synthetic document added to the manifest (KEXIE_DATA_DIR)."""
    data = tmp_path / "data"
    shutil.copytree(config.raw_dir(), data / "raw", ignore=shutil.ignore_patterns("geo"))
    (data / "raw" / "geo").symlink_to(config.raw_dir() / "geo", target_is_directory=True)  # read only
    document = data / "raw" / "documents" / "synthetic_tongzi_report.txt"
    shutil.copy(FIXTURE, document)
    manifest_path = data / "raw" / "sources.yaml"
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    entry = dict(manifest["sources"][0])  # same fields as the project's entries, whatever they are
    entry.update(
        source_id=SOURCE_ID,
        file=document.name,
        sha256=hashlib.sha256(document.read_bytes()).hexdigest(),
        admin_code="520322",
        province="Guizhou",
        province_zh="贵州省",
        title_zh="桐梓县科协年度工作情况（合成测试文档）",
        title_en="Synthetic test document",
        genre="synthetic",
        authors_zh=[],
        date="",
        reference_date="2021-12-31",
        reference_date_rule="synthetic",
    )
    entry.update(case="tongzi", place_zh="桐梓县")
    manifest["sources"].append(entry)
    manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # The build asks every case for a value of every reform condition; unknown is an empty value.
    features_path = data / "raw" / "features.csv"
    features = pd.read_csv(features_path, dtype=str, keep_default_na=False)
    unknown = pd.DataFrame(
        {
            "case": "tongzi",
            "condition": features["condition"].unique(),
            "source_id": SOURCE_ID,
            "evidence_kind": "none",
            "note": "synthetic test document: not coded",
        }
    ).reindex(columns=features.columns, fill_value="")
    pd.concat([features, unknown]).to_csv(features_path, index=False, lineterminator="\n")
    monkeypatch.setenv("KEXIE_DATA_DIR", str(data))
    return data


def test_draft_to_sheet_to_validate(data_copy: Path, tmp_path: Path, capsys):
    document = data_copy / "raw" / "documents" / "synthetic_tongzi_report.txt"
    draft_path = tmp_path / "draft.csv"
    assert main(["extract", str(document), "-o", str(draft_path), "--workers", "1", "--no-progress"]) == 0
    draft = pd.read_csv(draft_path, dtype=str, keep_default_na=False)
    facts = draft[draft["kind"] == "fact"].set_index("raw_text")
    assert facts.loc["25个", ["scope_zh", "period_text", "status"]].tolist() == ["桐梓县", "截至目前", "achieved"]
    assert facts.loc["50个", ["period_text", "status"]].tolist() == ["到2023年底", "target"]
    assert facts.loc["38万元", "indicator_id"] == "kexie_annual_work_budget"

    # The coder's review: confirm or fill in indicators; 45场 (lectures) has none in the codebook.
    review = {"3200余人": "farmers_trained", "25个": "township_kexie_count", "50个": "kepu_e_station_count"}
    for raw_text, indicator_id in review.items():
        draft.loc[draft["raw_text"] == raw_text, "indicator_id"] = indicator_id
    draft.loc[draft["raw_text"] == "45场", "indicator_id"] = ""
    draft.to_csv(draft_path, index=False)

    sheet_path = data_copy / "raw" / "indicators" / f"{SOURCE_ID}.csv"
    sheet_path.write_text(",".join(SHEET_COLUMNS) + "\n", encoding="utf-8")  # the header-only sheet of add-source
    assert main(["extract", "--to-sheet", str(draft_path), "-o", str(sheet_path), "--prefix", "TZ"]) == 0
    assert "4 coded rows" in capsys.readouterr().out
    assert sheet_path.read_text(encoding="utf-8").splitlines()[0] == ",".join(SHEET_COLUMNS)
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    assert sheet["record_id"].tolist() == ["TZ-001", "TZ-002", "TZ-003", "TZ-004"]

    # A second --to-sheet leaves the sheet (and any coding done in it by hand) alone unless told to replace it.
    with sheet_path.open("a", encoding="utf-8") as handle:
        handle.write("TZ-005,farmers_trained,桐梓县,county,3200余人,,achieved,3200余人,coded by hand\n")
    by_hand = sheet_path.read_bytes()
    assert main(["extract", "--to-sheet", str(draft_path), "-o", str(sheet_path), "--prefix", "TZ"]) == 2
    assert (
        "holds 5 coded row(s), which may be coding done by hand; it is replaced only with --replace"
        in capsys.readouterr().err
    )
    assert sheet_path.read_bytes() == by_hand
    assert main(["extract", "--to-sheet", str(draft_path), "-o", str(sheet_path), "--prefix", "TZ", "--replace"]) == 0
    assert "4 coded rows" in capsys.readouterr().out and b"coded by hand" not in sheet_path.read_bytes()

    status = main(["validate"])
    captured = capsys.readouterr()
    assert status == 0, captured.err + captured.out
    assert "all coded rows pass" in captured.out


def test_prefix_of_another_sheet_is_refused(data_copy: Path, tmp_path: Path, capsys):
    draft = tmp_path / "draft.csv"
    pd.DataFrame({c: ["x"] for c in SHEET_COLUMNS} | {"kind": ["fact"]}).to_csv(draft, index=False)
    out = data_copy / "raw" / "indicators" / f"{SOURCE_ID}.csv"
    assert main(["extract", "--to-sheet", str(draft), "-o", str(out), "--prefix", "WZ"]) == 2
    assert "already used by" in capsys.readouterr().err


def test_to_sheet_keeps_reviewed_facts_only():
    draft = pd.DataFrame({c: ["", "", ""] for c in SHEET_COLUMNS} | {"kind": ["fact", "fact", "name"]})
    draft["indicator_id"] = ["gdp", "", "gdp"]
    assert len(to_sheet(draft, "AB")) == 1
    with pytest.raises(SheetError):
        to_sheet(draft, "abc")
    assert default_prefix("tongzi_synthetic") == "TS"


def test_a_row_rejected_in_the_decision_column_stays_out_of_the_sheet(tmp_path):
    """A reviewer who marks a suggested fact rejected by hand (decision column) without changing its
    kind does not find it coded: the extractor fills indicator_id suggestions for many rows."""
    from kexie_research.extract.sheet import to_sheet

    draft = pd.DataFrame(
        {
            "kind": ["fact", "fact", "fact"],
            "indicator_id": ["enterprise_kexie_count"] * 3,
            "raw_text": ["312个", "231个", "81个"],
            "decision": ["accepted", "rejected", ""],
        }
    )
    assert to_sheet(draft, "GZ")["raw_text"].tolist() == ["312个", "81个"]
