import pytest

from kexie_research.errors import ProvenanceError
from kexie_research.parse.provenance import check_raw_text, check_row, find_number, locate_quote, normalise_for_matching
from kexie_research.steps.sources import read_document

DOC = "梧州市科协51\n万元、藤县\n科协26万元"


def test_quote_matches_across_layout_line_breaks():
    assert locate_quote("梧州市科协51万元", DOC) == 0
    # the offset points into the original text, line breaks included
    offset = locate_quote("藤县科协26万元", DOC)
    assert DOC[offset : offset + 2] == "藤县"


def test_nothing_but_line_breaks_is_normalised():
    assert normalise_for_matching("a\nb\n") == "ab"
    assert locate_quote("梧州市科协51 万元", DOC) is None  # a space is not a line break


def test_bad_quote_names_sheet_and_row():
    with pytest.raises(ProvenanceError, match=r"sheet\.csv row 7: quote not found"):
        check_row(quote="梧州市科协52万元", raw_text="52万元", document=DOC, where="sheet.csv row 7")


def test_raw_text_must_be_in_its_quote():
    with pytest.raises(ProvenanceError, match="does not occur in its quote"):
        check_row(quote="梧州市科协51万元", raw_text="26万元", document=DOC, where="s row 2")


def test_empty_quote_rejected():
    with pytest.raises(ProvenanceError, match="empty quote"):
        check_row(quote=" ", raw_text="1", document=DOC, where="s row 2")


def test_real_document_quote_with_break_inside_number():
    wuzhou = read_document("wuzhou_article")
    assert "科协51\n\n万元" in wuzhou  # the print layout breaks the line inside the amount
    assert check_row(quote="梧州市科协51万元", raw_text="51万元", document=wuzhou, where="t") > 0


@pytest.mark.parametrize(
    ("raw_text", "quote"),
    [
        ("1万元", "梧州市科协51万元"),  # a digit before
        ("52万元", "龙圩区科协20.52万元"),  # a decimal point before
        ("000人", "近20,000人"),  # a thousands separator before
        ("5", "梧州市科协51万元"),  # a digit after
        ("51", "梧州市科协51万元"),  # a Chinese multiplier after
        ("十个", "二十个"),  # a Chinese numeral before
        ("26万", "藤县科协26万5千元"),  # the number goes on after 万
    ],
)
def test_raw_text_is_not_found_inside_a_longer_number(raw_text, quote):
    with pytest.raises(ProvenanceError, match="outside a longer number"):
        check_row(quote=quote, raw_text=raw_text, document=quote, where="s row 2")


@pytest.mark.parametrize(
    ("raw_text", "quote", "offset"),
    [
        ("51万元", "梧州市科协51万元、", 5),
        ("26万元", "51万元、藤县科协26万元，", 9),  # the clause comma ends a number
        ("3个", "13个乡镇、3个街道", 6),  # the second occurrence stands alone
        ("20,000人", "近20,000人", 1),
        ("51万元", "科协51\n万元", 2),  # line breaks removed first
    ],
)
def test_raw_text_found_at_number_boundaries(raw_text, quote, offset):
    assert find_number(normalise_for_matching(raw_text), normalise_for_matching(quote)) == offset
    assert check_raw_text(raw_text, quote) is None
