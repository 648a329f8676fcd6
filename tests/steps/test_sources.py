from pathlib import Path

import pytest

from kexie_research.steps.sources import read_document_table
from kexie_research.errors import SourceError
from kexie_research.steps.sources import city_keys, read_document, sha256_of, verify_sources


def test_manifest_pins_every_document_by_checksum():
    entries = verify_sources()
    assert [e["source_id"] for e in entries] == [
        "wuzhou_article",
        "rongchang_report",
        "chengdu_notes",
        "liuzhou_plan",
        "zunyi_meeting",
    ]
    assert city_keys() == ["wuzhou", "rongchang", "chengdu", "liuzhou", "zunyi"]


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
