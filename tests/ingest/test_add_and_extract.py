"""From a document as found to a coded row: add-source keeps the original and records the conversion,
extract drafts from the same text (with pages), and a quote copied from the PDF validates."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import yaml

from kexie_research.add_source import AddSourceError, add_source
from kexie_research.cli import main
from kexie_research.errors import SourceError
from kexie_research.ingest.pages import page_of_source
from kexie_research.steps.sources import read_sources, read_document, verify_sources

FIXTURES = Path(__file__).parents[1] / "fixtures"
INGEST = FIXTURES / "ingest"


@pytest.fixture()
def raw(raw_copy: Path) -> Path:
    divisions = raw_copy / "reference" / "divisions.csv"
    if not divisions.is_file():
        divisions.write_bytes((FIXTURES / "divisions_hubei.csv").read_bytes())
    return raw_copy


def _snapshot(raw: Path) -> dict[str, bytes]:
    # the lock file of data/raw (empty of meaning once released) is not part of the data
    return {
        p.relative_to(raw).as_posix(): p.read_bytes()
        for p in sorted(raw.rglob("*"))
        if p.is_file() and p.name != ".kexie.lock"
    }


def test_a_pdf_is_kept_as_found_beside_its_text_of_record(raw: Path):
    decided = add_source(INGEST / "two_columns.pdf", raw_dir=raw, code="420500", source_id="yichang_notice")
    entry = read_sources(raw)[-1]
    original = raw / "originals" / "yichang_notice.pdf"
    assert original.read_bytes() == (INGEST / "two_columns.pdf").read_bytes()
    assert entry["original"] == {
        "file": "yichang_notice.pdf",
        "sha256": hashlib.sha256(original.read_bytes()).hexdigest(),
    }
    text = read_document("yichang_notice", raw)
    assert entry["sha256"] == hashlib.sha256(text.encode()).hexdigest() == decided.sha256
    conversion = entry["conversion"]
    assert (conversion["tool"], conversion["options"]["use_text_flow"]) == ("pdfplumber", True)
    assert conversion["page_starts"][0] == 0 and len(conversion["page_starts"]) == 2
    assert page_of_source(entry, text.index("100%")) == 2
    verify_sources(raw)  # both checksums hold


def test_a_web_page_gives_its_title_and_url(raw: Path):
    add_source(INGEST / "saved_page.html", raw_dir=raw, code="420500")
    entry = read_sources(raw)[-1]
    assert entry["title_zh"] == "青川县科协：学会服务站建设取得新进展"
    assert entry["conversion"]["url"] == "https://www.qingchuan.example.gov.cn/kx/2023/0612.html"
    assert "网友" not in read_document(entry["source_id"], raw)


def test_a_plain_utf8_text_is_still_copied_byte_for_byte_without_original(raw: Path, tmp_path: Path):
    document = tmp_path / "plain.txt"
    document.write_text("宜昌市科协（合成测试文本）。\n", encoding="utf-8")
    decided = add_source(document, raw_dir=raw, code="420500")
    assert decided.target.read_bytes() == document.read_bytes()
    assert "original" not in read_sources(raw)[-1] and not (raw / "originals").exists()


def test_the_same_original_twice_is_refused(raw: Path):
    add_source(INGEST / "gb18030.txt", raw_dir=raw, code="420500")
    before = _snapshot(raw)
    with pytest.raises(AddSourceError, match="already in the manifest"):
        add_source(INGEST / "gb18030.txt", raw_dir=raw, code="420500", source_id="yichang_again")
    assert _snapshot(raw) == before


@pytest.mark.parametrize("name, message", [("scanned.pdf", "needs OCR"), ("encrypted.pdf", "is encrypted")])
def test_unreadable_pdfs_change_nothing(raw: Path, name: str, message: str):
    before = _snapshot(raw)
    with pytest.raises(AddSourceError, match=message):
        add_source(INGEST / name, raw_dir=raw, code="420500")
    assert _snapshot(raw) == before


def test_a_changed_original_is_named_by_the_build_check(raw: Path):
    add_source(INGEST / "notice.docx", raw_dir=raw, code="420500", source_id="yichang_report")
    original = raw / "originals" / "yichang_report.docx"
    original.write_bytes(original.read_bytes() + b"x")
    with pytest.raises(SourceError, match=r"yichang_report\.docx: checksum changed"):
        verify_sources(raw)
    original.unlink()
    with pytest.raises(SourceError, match=r"original document of 'yichang_report' not found"):
        verify_sources(raw)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda e: e["conversion"].update(page_starts=[3, 1]), "page_starts must be increasing"),
        (lambda e: e["conversion"].update(page_starts=[0, 2**63]), r"each below 2\*\*63"),
        (lambda e: e.pop("conversion"), "original and conversion go together"),
        (lambda e: e["original"].update(file="../sources.yaml"), "must be a plain file name"),
        (lambda e: e["original"].update(sha256="abc"), "sha256 of 64"),
        (lambda e: e["conversion"].update(tool=""), "needs its tool and version"),
        (lambda e: e["conversion"].update(extra=1), "unknown field"),
        (lambda e: e.update(conversion=[1]), "conversion must be a mapping"),
    ],
)
def test_malformed_provenance_in_the_manifest_is_named(raw: Path, change, message):
    add_source(INGEST / "kangxi.pdf", raw_dir=raw, code="420500")
    manifest = raw / "sources.yaml"
    content = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    change(content["sources"][-1])
    manifest.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        read_sources(raw)


def test_old_entries_without_provenance_stay_valid(raw: Path):
    assert all("original" not in entry and "conversion" not in entry for entry in read_sources(raw))


def test_extract_reads_a_pdf_and_each_row_carries_its_page(tmp_path: Path, capsys):
    out = tmp_path / "draft.csv"
    assert (
        main(
            [
                "extract",
                str(INGEST / "two_columns.pdf"),
                "-o",
                str(out),
                "--workers",
                "1",
                "--code",
                "450400",
                "--no-progress",
            ]
        )
        == 0
    )
    draft = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    pages = dict(zip(draft["raw_text"], draft["page"]))
    assert pages["356人"] == "1" and pages["100%"] == "2"


def test_extract_finds_every_supported_type_in_a_folder(tmp_path: Path):
    from kexie_research.extract.parallel import document_paths

    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("two_columns.pdf", "saved_page.html", "notice.docx", "gb18030.txt"):
        (folder / name).write_bytes((INGEST / name).read_bytes())
    (folder / "table.xlsx").write_bytes(b"not a document")
    found, missing = document_paths([folder])
    assert sorted(p.name for p in found) == ["gb18030.txt", "notice.docx", "saved_page.html", "two_columns.pdf"]
    assert missing == []


def test_a_quote_copied_from_the_pdf_with_radicals_validates(raw: Path, tmp_path: Path):
    from kexie_research import data
    from kexie_research.build import build

    decided = add_source(INGEST / "kangxi.pdf", raw_dir=raw, code="420500", source_id="yichang_funds")
    # the coder copies the sentence from the PDF viewer: the text layer's radicals come along
    quote = "青川县科协专项资\u2fa6\u2f0a账30万元"
    decided.sheet.write_text(
        decided.sheet.read_text(encoding="utf-8")
        + f"YF-001,kexie_annual_work_budget,宜昌市科协,city,30万元,,achieved,{quote},SYNTHETIC\n",
        encoding="utf-8",
    )
    out = tmp_path / "processed"
    build(raw_dir=raw, out_dir=out, echo=None)
    quarantine = data.load_quarantine(out)
    assert "YF-001" not in set(quarantine["record_id"]), quarantine[quarantine.record_id == "YF-001"].reason.tolist()
    row = data.load_indicators(out).set_index("record_id").loc["YF-001"]
    assert row["quote_offset"] == 0 and row["value"] == 300_000


def test_the_text_of_record_and_the_original_take_pages_and_place_from_the_manifest(raw: Path):
    from kexie_research.extract.draft import Extractor

    decided = add_source(INGEST / "two_columns.pdf", raw_dir=raw, code="420500", source_id="yichang_notice")
    extractor = Extractor.from_data(raw)
    for path in (decided.target, raw / "originals" / "yichang_notice.pdf"):
        rows = {row["raw_text"]: row for row in extractor.extract_file(path)}
        assert (rows["356人"]["page"], rows["100%"]["page"]) == (1, 2), path.name
        assert rows["356人"]["offset"] == read_document("yichang_notice", raw).index("356人")


def test_the_review_page_shows_a_pdf_draft_on_the_text_its_offsets_count_in(tmp_path: Path):
    from kexie_research.review.candidates import page_state

    draft = tmp_path / "draft.csv"
    assert (
        main(
            [
                "extract",
                str(INGEST / "two_columns.pdf"),
                "-o",
                str(draft),
                "--workers",
                "1",
                "--code",
                "450400",
                "--no-progress",
            ]
        )
        == 0
    )
    rows = pd.read_csv(draft, dtype=str, keep_default_na=False, encoding="utf-8-sig").to_dict("records")
    state = page_state(draft, rows, codebook=tmp_path / "none.csv")
    text = state["documents"]["two_columns.pdf"]
    for candidate in state["candidates"]:
        assert (
            text[candidate["start"] : candidate["end"]].replace("\n", "") == candidate["fields"]["raw_text"]
        )  # line breaks removed
