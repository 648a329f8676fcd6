from pathlib import Path

import pytest

from kexie_research.steps.sources import read_document_table
from kexie_research.errors import SourceError
from kexie_research.steps.sources import case_keys, read_document, sha256_of, verify_sources


def test_manifest_pins_every_document_by_checksum():
    entries = verify_sources()
    assert [e["source_id"] for e in entries] == [
        "wuzhou_article",
        "rongchang_report",
        "chengdu_notes",
        "liuzhou_plan",
        "zunyi_meeting",
    ]
    assert case_keys() == ["wuzhou", "rongchang", "chengdu", "liuzhou", "zunyi"]


def test_documents_are_the_exact_texts():
    docs = read_document_table()
    liuzhou = docs.set_index("source_id").loc["liuzhou_plan"]
    assert liuzhou.date == "2017-09-29"
    assert "柳州市科协系统深化改革实施方案" in liuzhou.text
    assert read_document("wuzhou_article").startswith(" □ 龚成钰")


def test_changed_checksum_stops_with_the_file_named(raw_copy: Path):
    document = raw_copy / "documents" / "000_8f4cdd9b00102f1f.txt"
    document.write_text(document.read_text(encoding="utf-8") + "x", encoding="utf-8")
    with pytest.raises(SourceError, match=r"000_8f4cdd9b00102f1f\.txt: checksum changed"):
        verify_sources(raw_copy)


def test_missing_document_is_named(raw_copy: Path):
    (raw_copy / "documents" / "004_7b742f84642fcfe5.txt").unlink()
    with pytest.raises(SourceError, match="zunyi_meeting"):
        read_document_table(raw_copy)


def test_unknown_source_id_lists_valid_ones():
    with pytest.raises(SourceError, match="valid: wuzhou_article"):
        read_document("nowhere")


def test_sha256_of_matches_manifest():
    entry = verify_sources()[0]
    from kexie_research import config

    assert sha256_of(config.raw_dir() / "documents" / entry["file"]) == entry["sha256"]


def _rewrite_manifest(raw: Path, old: str, new: str) -> Path:
    manifest = raw / "sources.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new), encoding="utf-8")
    return manifest


def test_a_manifest_written_before_0_7_is_one_error_naming_every_entry_and_what_to_write(raw_copy: Path):
    manifest = _rewrite_manifest(raw_copy, "    place_zh: ", "    city_zh: ")
    with pytest.raises(SourceError) as caught:
        read_document_table(raw_copy)
    message = str(caught.value)
    assert message.startswith(f"{manifest}: key(s) renamed in 0.7.0; source #1 (wuzhou_article): ")
    assert "write 'place_zh: 梧州市' instead of 'city_zh: 梧州市'" in message
    assert "source #2 (rongchang_report): write 'place_zh: 荣昌区' instead of 'city_zh: 荣昌区'" in message
    assert message.count("instead of 'city_zh:") == 5 and "\n" not in message


def test_the_former_case_key_city_is_refused_with_the_line_to_write(raw_copy: Path):
    _rewrite_manifest(raw_copy, "    case: wuzhou\n", "    city: wuzhou\n")
    with pytest.raises(
        SourceError, match=r"source #1 \(wuzhou_article\): write 'case: wuzhou' instead of 'city: wuzhou'$"
    ):
        verify_sources(raw_copy)
    _rewrite_manifest(raw_copy, "    city: wuzhou\n", "    case: wuzhou\n    city: wuzhou\n")  # both keys
    with pytest.raises(SourceError, match=r"source #1 \(wuzhou_article\): remove 'city: wuzhou' \(it has 'case:'\)$"):
        case_keys(raw_copy)


def test_an_old_manifest_stops_the_build_with_one_line_and_no_traceback(raw_copy: Path, tmp_path, monkeypatch, capsys):
    from kexie_research.cli import main

    data = tmp_path / "data"
    data.mkdir()
    (raw_copy.parent / "raw").rename(data / "raw")
    _rewrite_manifest(data / "raw", "    place_zh: 遵义市", "    city_zh: 遵义市")
    monkeypatch.setenv("KEXIE_DATA_DIR", str(data))
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "source #5 (zunyi_meeting): write 'place_zh: 遵义市' instead of 'city_zh: 遵义市'" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
