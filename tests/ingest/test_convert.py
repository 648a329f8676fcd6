"""Documents as found -> text of record: each format on a fixture made for it, the character repair,
determinism, and every failure path as one error naming the file."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kexie_research.ingest import IngestError, convert_bytes, convert_document, page_of, unify_ideographs
from kexie_research.ingest.normalize import IDEOGRAPH_VARIANTS

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
VARIANTS = re.compile("[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in IDEOGRAPH_VARIANTS) + "]")


def flat(text: str) -> str:
    return text.replace("\n", "")


def test_two_column_pdf_reads_column_by_column_with_its_table_and_pages():
    text, conversion = convert_document(FIXTURES / "two_columns.pdf")
    left = "2023年，青川县科协围绕“科创中国”试点，新建学会服务站12个，吸纳企业科技工作者入会356人。全县建成科普e站48个，覆盖行政村比例达到百分之九十。"
    right = "县科协年度工作经费为85万元，较上年增长15%。到2025年，全县计划新建院士专家工作站3个，培育科普示范基地不少于10个。"
    assert left + right in flat(text)  # the left column whole, then the right one: not interleaved by lines
    assert "学会服务站 12个\n科普e站 48个" in text  # the table row by row
    assert (conversion.tool, conversion.options["use_text_flow"]) == ("pdfplumber", True)
    assert len(conversion.page_starts) == 2 and conversion.page_starts[0] == 0
    second = conversion.page_starts[1]
    assert text[second:].startswith("二、下一步") and text[second - 2 : second] == "\n\n"
    assert page_of(conversion.page_starts, text.index("12个")) == 1
    assert page_of(conversion.page_starts, text.index("100%")) == 2


def test_radicals_in_a_pdf_text_layer_read_as_the_page_shows():
    text, conversion = convert_document(FIXTURES / "kangxi.pdf")
    assert flat(text) == "青川县科协专项资金入账30万元，科普行动覆盖12个乡镇，安全事故零发生，长期服务企业。"
    assert not VARIANTS.search(text)
    assert conversion.options["ideographs_unified"] == 5


def test_saved_web_page_keeps_the_article_url_and_title_and_drops_the_boilerplate():
    text, conversion = convert_document(FIXTURES / "saved_page.html")
    assert "截至5月底，全县已建成学会服务站12个，组织专家服务企业86家次，帮助企业解决技术难题23项。" in text
    assert "下一步将新增学会服务站5个" in text
    for boilerplate in ("首页", "政务公开", "热点新闻", "春耕", "网友", "点赞", "ICP", "联系电话", "当前位置"):
        assert boilerplate not in text, boilerplate
    assert conversion.url == "https://www.qingchuan.example.gov.cn/kx/2023/0612.html"
    assert conversion.title == "青川县科协：学会服务站建设取得新进展"
    assert conversion.tool == "trafilatura" and conversion.options["include_comments"] is False


def test_the_saved_from_comment_gives_the_url_when_the_page_names_none():
    page = (FIXTURES / "saved_page.html").read_text(encoding="utf-8")
    page = re.sub(r'<link rel="canonical"[^>]*>', "", page).replace("https://www.qingchuan", "https://web.qingchuan", 1)
    _, conversion = convert_bytes(page.encode(), "saved.html")
    assert conversion.url == "https://web.qingchuan.example.gov.cn/kx/2023/0612.html"


def test_word_file_paragraphs_and_table_rows_in_order():
    text, conversion = convert_document(FIXTURES / "notice.docx")
    assert text.splitlines() == [
        "青川县科协关于2023年基层组织建设情况的报告",
        "一、全县乡镇科协实现全覆盖，村级科普小组达到156个。",
        "二、全年举办科技培训班42期，培训农民3800人次。",
        "指标 | 2022年 | 2023年",
        "科技工作者之家 | 8个 | 14个",
        "科普示范基地 | 6个 | 9个",
    ]
    assert conversion.tool == "python-docx"


@pytest.mark.parametrize(
    "name, encoding, newlines", [("gb18030.txt", "gb18030", "LF"), ("bom_crlf.txt", "utf-8-sig", "CRLF -> LF")]
)
def test_legacy_text_becomes_utf8_with_lf(name, encoding, newlines):
    text, conversion = convert_document(FIXTURES / name)
    assert "\r" not in text and "\ufeff" not in text and text.startswith("青川县科协")
    assert (conversion.options["encoding"], conversion.options["newlines"]) == (encoding, newlines)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.stem not in ("scanned", "encrypted")))
def test_conversion_is_deterministic(name):
    data = (FIXTURES / name).read_bytes()
    assert convert_bytes(data, name) == convert_bytes(bytes(data), name)
    text, _ = convert_bytes(data, name)
    assert text.endswith("\n") and not text.endswith("\n\n") and "\r" not in text


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\ufeff"), min_size=1),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
def test_utf8_text_with_any_line_ends_and_bom_reads_back(text, newline, bom):
    assume(text.strip())  # a blank file is refused (tested below)
    data = (codecs.BOM_UTF8 if bom else b"") + text.replace("\n", newline).encode("utf-8")
    converted, conversion = convert_bytes(data, "t.txt")
    expected = unify_ideographs(text)
    assert converted == expected + ("" if expected.endswith("\n") else "\n")
    assert conversion.options["encoding"] == ("utf-8-sig" if bom else "utf-8")


@given(st.text())
def test_ideographs_are_unified_one_for_one_and_nothing_else_changes(text):
    unified = unify_ideographs(text)
    assert len(unified) == len(text)
    for before, after in zip(text, unified):
        if VARIANTS.fullmatch(before) is None:
            assert before == after
        elif before != after:
            assert 0x3400 <= ord(after) <= 0x9FFF or 0x20000 <= ord(after) <= 0x3FFFF


def test_full_width_punctuation_and_digits_are_kept():
    text = "经费：１２万元（含１５％）；“科普”！？"
    assert unify_ideographs(text) == text
    assert unify_ideographs("⾦⼊⾏") == "金入行"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "cannot be read as a PDF"),
        ("notapdf.pdf", "正文".encode(), "cannot be read as a PDF"),
        ("encrypted.pdf", (FIXTURES / "encrypted.pdf").read_bytes(), "is encrypted"),
        ("scanned.pdf", (FIXTURES / "scanned.pdf").read_bytes(), "no text layer .* needs OCR"),
        ("empty.html", b"<html><head><title>t</title></head><body></body></html>", "no main text found"),
        ("blank.html", b"   \n", "the file is empty"),
        ("broken.docx", b"PK\x03\x04 not a zip", "cannot be read as a Word .docx file"),
        ("old.doc", b"\xd0\xcf\x11\xe0", r"file type \.doc is not supported \(save it as \.docx\)"),
        ("notes", b"text", r"file type \(no suffix\) is not supported"),
        ("garbled.txt", b"\xff\xff\xff", "neither UTF-8 nor GB18030"),
        ("binary.txt", b"ab\x00cd", "NUL"),
    ],
)
def test_unreadable_documents_are_one_error_naming_the_file(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=message) as caught:
        convert_document(path)
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)


def test_a_missing_reader_names_the_extra_to_install(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pdfplumber" else real(name, *a))
    with pytest.raises(
        IngestError, match=r"kangxi\.pdf: reading this file needs pdfplumber.*kexie-research\[documents\]"
    ):
        convert_document(FIXTURES / "kangxi.pdf")
