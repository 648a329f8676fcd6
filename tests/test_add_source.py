"""`kexie add-source`: checks before writing, never overwrites, resolves the place from the reference."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kexie_research.add_source import AddSourceError, add_source, plan, resolve_division
from kexie_research.cli import main
from kexie_research.steps.sources import load_sources

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture()
def raw(raw_copy: Path) -> Path:
    divisions = raw_copy / "reference" / "divisions.csv"
    if not divisions.is_file():
        divisions.write_bytes((FIXTURES / "divisions_hubei.csv").read_bytes())
    with divisions.open("a", encoding="utf-8") as handle:  # two units of one name, for the ambiguity check
        handle.write("990101,新城区,Xincheng,district,990100\n990201,新城区,Xincheng,district,990200\n")
    return raw_copy


def _document(tmp_path: Path, content: bytes = "宜昌市科协（合成测试文本）。\n".encode()) -> Path:
    path = tmp_path / "doc.txt"
    path.write_bytes(content)
    return path


def _snapshot(raw: Path) -> dict[str, bytes]:
    return {p.relative_to(raw).as_posix(): p.read_bytes() for p in sorted(raw.rglob("*")) if p.is_file()}


def test_place_by_name_short_name_or_code(raw: Path):
    assert resolve_division(place="宜昌市", raw_dir=raw)["admin_code"] == "420500"
    assert resolve_division(place="宜昌", raw_dir=raw)["admin_code"] == "420500"
    division = resolve_division(code="420506", raw_dir=raw)
    assert (division["name_zh"], division["province_zh"]) == ("夷陵区", "湖北省")


@pytest.mark.parametrize("kwargs, message", [
    # the division reference of all of China has 新城区 in 呼和浩特市 and 西安市 too
    ({"place": "新城区"}, "names several divisions: .*990101 新城区 .*; 990201 新城区 .*Choose one with --code"),
    ({"place": "火星市"}, "no division named '火星市'"),
    ({"code": "999999"}, "not in the division reference"),
    ({"code": "100000"}, "a case is a province-, prefecture- or county-level unit"),
    ({}, "exactly one of --place"),
])
def test_bad_places_are_named(raw: Path, kwargs, message):
    with pytest.raises(AddSourceError, match=message):
        resolve_division(raw_dir=raw, **kwargs)


@pytest.mark.parametrize("content, message", [
    (b"  \n", "empty"),
    (b"\xff\xff\xff", "neither UTF-8 nor GB18030"),
    ("正文\x00".encode(), "NUL"),
])
def test_bad_documents_are_refused_and_nothing_is_written(raw: Path, tmp_path: Path, content, message):
    before = _snapshot(raw)
    with pytest.raises(AddSourceError, match=message):
        add_source(_document(tmp_path, content), raw_dir=raw, code="420500")
    assert _snapshot(raw) == before


def test_new_case_gets_document_entry_sheet_and_unknown_features(raw: Path, tmp_path: Path):
    decided = add_source(_document(tmp_path), raw_dir=raw, place="宜昌市", genre="news report")
    entry = load_sources(raw)[-1]
    assert {k: entry[k] for k in ("source_id", "case", "admin_code", "city_zh", "province", "file")} == {
        "source_id": "yichang_document", "case": "yichang", "admin_code": "420500", "city_zh": "宜昌市",
        "province": "Hubei", "file": decided.target.name}
    assert decided.target.read_bytes() == _document(tmp_path).read_bytes()
    assert (raw / "indicators" / "yichang_document.csv").read_text(encoding="utf-8").startswith("record_id,indicator_id,")
    with (raw / "features.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["case"] == "yichang"]
    assert rows and all(row["value"] == "" and row["evidence_kind"] == "none" and row["note"] for row in rows)
    manifest = (raw / "sources.yaml").read_text(encoding="utf-8")
    assert manifest.startswith("# Source manifest")  # the comments are kept


def test_a_second_document_of_an_existing_case(raw: Path, tmp_path: Path):
    features_before = (raw / "features.csv").read_bytes()
    decided = add_source(_document(tmp_path, "梧州市科协（合成测试文本）。\n".encode()), raw_dir=raw, place="梧州市")
    assert (decided.entry["case"], decided.entry["source_id"], decided.new_case) == ("wuzhou", "wuzhou_document", False)
    assert (raw / "features.csv").read_bytes() == features_before  # the case's features exist already


@pytest.mark.parametrize("kwargs, message", [
    ({"code": "420500", "case": "wuzhou"}, "already the case of 450400"),
    ({"code": "450400", "case": "wutong"}, "is already case 'wuzhou'"),
    ({"code": "420500", "source_id": "wuzhou_article"}, "already in"),
    ({"code": "420500", "case": "Yi Chang"}, "lower-case letters"),
    ({"code": "420500", "date": "10 May 2023"}, "ISO form"),
    ({"code": "420500", "date": "2021-13-45"}, "a real day, month or year"),
    ({"code": "420500", "date": "2021-02-29"}, "a real day, month or year"),
    ({"code": "420500", "date": "２０２１-０５-１０"}, "ISO form"),
])
def test_conflicts_are_refused(raw: Path, tmp_path: Path, kwargs, message):
    before = _snapshot(raw)
    with pytest.raises(AddSourceError, match=message):
        add_source(_document(tmp_path), raw_dir=raw, **kwargs)
    assert _snapshot(raw) == before


def test_existing_sheet_is_never_overwritten(raw: Path, tmp_path: Path):
    (raw / "indicators" / "yichang_document.csv").write_text("mine\n", encoding="utf-8")
    with pytest.raises(AddSourceError, match="already exists; nothing was changed"):
        plan(_document(tmp_path), raw_dir=raw, code="420500")
    assert (raw / "indicators" / "yichang_document.csv").read_text(encoding="utf-8") == "mine\n"


def test_command_line(raw: Path, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw.parent))
    assert main(["add-source", str(_document(tmp_path)), "--code", "420500"]) == 0
    out = capsys.readouterr().out
    assert "added yichang_document (宜昌市 420500, case 'yichang')" in out and "kexie validate" in out
    assert main(["add-source", str(tmp_path / "missing.txt"), "--code", "420500"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["add-source", str(tmp_path), "--code", "420500"]) == 2
    assert f"{tmp_path}: is a folder; give the document's file" in capsys.readouterr().err
    assert main(["build"]) == 0


def test_a_county_level_case_builds_and_its_scopes_resolve(raw: Path, tmp_path: Path):
    from kexie_research import data
    from kexie_research.build import build

    text = "【合成测试文本 SYNTHETIC, made up for the tests】夷陵区科协新建乡镇科协8个。\n"
    decided = add_source(_document(tmp_path, text.encode()), raw_dir=raw, code="420506")
    assert (decided.entry["case"], decided.entry["city_zh"]) == ("yiling", "夷陵区")
    decided.sheet.write_text(
        decided.sheet.read_text(encoding="utf-8")
        + "YL-001,township_kexie_count,夷陵区科协,county,8个,,achieved,夷陵区科协新建乡镇科协8个,SYNTHETIC\n",
        encoding="utf-8",
    )
    out = tmp_path / "processed"
    build(raw_dir=raw, out_dir=out, echo=None)
    row = data.load_indicators(out).set_index("record_id").loc["YL-001"]
    assert (row["case"], row["admin_code"], row["parent_city_code"]) == ("yiling", "420506", "420500")
    case = data.load_cases(out).set_index("case").loc["yiling"]
    assert (case.case_zh, case.level, case.province_code) == ("夷陵", "district", "420000")
