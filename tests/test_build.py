"""The build end to end on the real data, and every failure path on a private copy of data/raw."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from kexie_research.steps.sources import load_documents
from kexie_research import config
from kexie_research.build import build
from kexie_research.errors import SheetError
from kexie_research.parse.provenance import normalise_for_matching

CASES = ["wuzhou", "rongchang", "chengdu", "liuzhou", "zunyi"]


# ------------------------------------------------------------------------------------------------
# Real data
# ------------------------------------------------------------------------------------------------
def test_every_place_has_facts_and_rows_are_accounted_for(built):
    result, _ = built
    counts = result.counts
    assert list(counts.index) == [*CASES, "total"]
    assert (counts["coded"] == counts["processed"] + counts["quarantined"]).all()
    assert (counts.loc[CASES, "processed"] > 0).all()
    assert counts.loc["total", "coded"] > 100


def test_every_processed_quote_is_in_its_document(built):
    result, _ = built
    texts = load_documents().set_index("source_id")["text"].map(normalise_for_matching)
    for row in result.indicators.itertuples():
        assert row.quote in texts[row.source_id], row.record_id
        assert normalise_for_matching(row.raw_text) in row.quote, row.record_id


def test_quote_offsets_point_into_the_original_file(built):
    result, _ = built
    texts = load_documents().set_index("source_id")["text"]
    for row in result.indicators.itertuples():
        original = texts[row.source_id]
        window = original[row.quote_offset: row.quote_offset + len(row.quote) * 2]
        assert normalise_for_matching(window).startswith(row.quote), row.record_id


@pytest.mark.parametrize(
    ("record_id", "value", "unit", "qualifier"),
    [
        ("WZ-004", 205_200.0, "CNY", "exact"),           # 20.52万元
        ("WZ-022", 20_000.0, "person", "approx"),        # 近20,000人
        ("WZ-005", 100_000.0, "CNY", "at_most"),          # 没有超过10万元
        ("RC-021", 2.0, "CNY_per_capita", "exact"),       # 人均2元
        ("CD-013", 16_500_000.0, "event", "at_least"),    # 1650余万次
        ("LZ-008", 75.0, "percent", "at_least"),          # 四分之三以上 -> harmonised to percent
    ],
)
def test_known_values_are_cleaned(built, record_id, value, unit, qualifier):
    result, _ = built
    row = result.indicators.set_index("record_id").loc[record_id]
    assert row["value"] == pytest.approx(value)
    assert (row["unit"], row["qualifier"]) == (unit, qualifier)


def test_targets_and_periods(built):
    result, _ = built
    rows = result.indicators.set_index("record_id")
    assert bool(rows.loc["RC-022", "is_target"]) and rows.loc["RC-022", "period_end"] == "2021-12-31"
    assert rows.loc["WZ-010", ["period_start", "period_end"]].tolist() == ["2018-01-01", "2018-12-31"]
    assert not rows.loc["WZ-010", "is_target"]


def test_national_facts_keep_their_scope(built):
    result, _ = built
    national = result.indicators[result.indicators.scope_level == "national"]
    assert not national.empty and (national.admin_code == "100000").all()


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_two_builds_are_byte_identical(built, tmp_path):
    _, first = built
    build(out_dir=tmp_path, echo=None)
    first_files, second_files = _files(first), _files(tmp_path)
    assert list(first_files) == list(second_files) and len(first_files) >= 19
    for name, content in first_files.items():
        assert content == second_files[name], name


def test_committed_processed_data_is_up_to_date(built):
    """data/processed/ in the repository is exactly what `kexie build` produces now (every file)."""
    _, fresh = built
    committed, produced = _files(config.processed_dir()), _files(fresh)
    assert sorted(committed) == sorted(produced), "data/processed/ differs in its files: run `kexie build`"
    for name, content in produced.items():
        assert committed[name] == content, f"{name} is stale: run `kexie build`"


def test_processed_files_have_ordinary_modes(built):
    import os

    _, fresh = built
    mask = os.umask(0)
    os.umask(mask)
    for path in fresh.iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path.name


def test_datapackage_is_valid_frictionless(built):
    frictionless = pytest.importorskip("frictionless")
    _, out = built
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in descriptor["resources"]} | {"datapackage.json"} == {p.name for p in out.iterdir()}
    assert {"indicators", "cases", "distance_pairs", "timeline", "features", "documents"} <= {r["name"] for r in descriptor["resources"]}
    assert "5 case(s)" in descriptor["description"]
    report = frictionless.Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


# ------------------------------------------------------------------------------------------------
# Failure paths
# ------------------------------------------------------------------------------------------------
def _edit_sheet(raw: Path, source_id: str, target_id: str, **changes: str) -> None:
    path = raw / "indicators" / f"{source_id}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["record_id"] == target_id:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _quarantined(raw: Path, tmp_path: Path) -> pd.DataFrame:
    result = build(raw_dir=raw, out_dir=tmp_path / "out", echo=None)
    assert (result.counts["coded"] == result.counts["processed"] + result.counts["quarantined"]).all()
    on_disk = pd.read_csv(tmp_path / "out" / "quarantine.csv", dtype=str)
    assert len(on_disk) == len(result.quarantine)
    return result.quarantine.set_index("record_id")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"quote": "梧州市科协99万元"}, r"wuzhou_article\.csv row \d+ \(document 000_8f4cdd9b00102f1f\.txt\): quote not found"),
        ({"indicator_id": "no_such_indicator"}, "unknown indicator_id 'no_such_indicator'"),
        ({"raw_text": "51万元", "quote": "梧州市科协51万元", "scope_zh": "火星科协"}, "names no known place"),
        ({"status": "maybe"}, "status 'maybe' is not one of achieved, target"),
        ({"period_text": "到2021年底"}, "states a target but status is 'achieved'"),
        ({"scope_level": "national"}, "does not fit scope_level 'national'"),
    ],
)
def test_bad_rows_go_to_quarantine_with_their_reason(raw_copy, tmp_path, changes, reason):
    _edit_sheet(raw_copy, "wuzhou_article", "WZ-002", **changes)
    quarantine = _quarantined(raw_copy, tmp_path)
    assert "WZ-002" in quarantine.index
    assert re.search(reason, quarantine.loc["WZ-002", "reason"]), quarantine.loc["WZ-002", "reason"]


def test_unparseable_value_is_quarantined_naming_the_text(raw_copy, tmp_path):
    _edit_sheet(raw_copy, "wuzhou_article", "WZ-002", raw_text="科协51")
    quarantine = _quarantined(raw_copy, tmp_path)
    assert "科协51" in quarantine.loc["WZ-002", "reason"]


def test_duplicate_record_id_is_quarantined(raw_copy, tmp_path):
    _edit_sheet(raw_copy, "wuzhou_article", "WZ-003", record_id="WZ-002")
    result = build(raw_dir=raw_copy, out_dir=tmp_path / "out", echo=None)
    assert result.quarantine["reason"].str.contains("duplicate record_id 'WZ-002'").sum() == 1


def test_gbk_sheet_is_rejected_with_a_fix(raw_copy, tmp_path):
    path = raw_copy / "indicators" / "zunyi_meeting.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(SheetError, match=r"zunyi_meeting\.csv: not valid UTF-8 .*GB18030"):
        build(raw_dir=raw_copy, out_dir=tmp_path, echo=None)


def test_bom_prefixed_sheet_is_rejected(raw_copy, tmp_path):
    path = raw_copy / "indicators" / "zunyi_meeting.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with pytest.raises(SheetError, match=r"zunyi_meeting\.csv: starts with a UTF-8 byte-order mark"):
        build(raw_dir=raw_copy, out_dir=tmp_path, echo=None)


def test_missing_column_is_named(raw_copy, tmp_path):
    path = raw_copy / "indicators" / "zunyi_meeting.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["quote"])
    frame.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(SheetError, match=r"zunyi_meeting\.csv: missing required column\(s\) quote"):
        build(raw_dir=raw_copy, out_dir=tmp_path, echo=None)


def test_sheet_for_unknown_source_is_rejected(raw_copy, tmp_path):
    (raw_copy / "indicators" / "atlantis.csv").write_text("record_id\n", encoding="utf-8")
    with pytest.raises(SheetError, match="atlantis.csv match no source_id"):
        build(raw_dir=raw_copy, out_dir=tmp_path, echo=None)


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


def test_schema_failures_are_quarantined_not_dropped(raw_copy, tmp_path):
    """A row that passes the row checks but fails the pandera schema still lands in quarantine."""
    _edit_sheet(raw_copy, "wuzhou_article", "WZ-002", record_id="WZ-2")
    result = build(raw_dir=raw_copy, out_dir=tmp_path / "out", echo=None)
    quarantine = result.quarantine.set_index("record_id")
    assert "WZ-2" in quarantine.index
    assert re.search(r"wuzhou_article\.csv row \d+: schema: record_id fails", quarantine.loc["WZ-2", "reason"])
    assert "WZ-2" not in set(result.indicators["record_id"])
    assert result.counts.loc["wuzhou", "quarantined"] == 1
