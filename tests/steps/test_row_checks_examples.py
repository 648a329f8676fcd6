"""The worked examples of the row checks (``example_rows`` and ``first_failure``), as a reader of the
docstrings uses them: a real coded row of ``wuzhou_article``, changed one cell at a time."""

from __future__ import annotations

from kexie_research.steps.row_checks import EXAMPLE_ROW, case_of, example_rows, first_failure


def test_example_rows_are_numbered_as_lines_of_the_sources_sheet():
    rows = example_rows({}, {"raw_text": "许多"}, {"note": "x"})
    assert rows.n == 3
    assert [rows.where(i) for i in range(3)] == [
        "wuzhou_article.csv row 2",
        "wuzhou_article.csv row 3",
        "wuzhou_article.csv row 4",
    ]
    assert rows.sheets["source_id"].tolist() == ["wuzhou_article"] * 3
    assert rows.sheets["raw_text"].tolist() == [EXAMPLE_ROW["raw_text"], "许多", EXAMPLE_ROW["raw_text"]]


def test_a_repeated_example_row_is_a_duplicate_naming_the_first_rows_sheet_and_line():
    rows = example_rows({}, {})
    assert first_failure(rows, 0) is None
    assert first_failure(rows) == (
        "duplicate_record_id",
        "record_id",
        ": duplicate record_id 'WZ-002' (first in wuzhou_article.csv row 2)",
    )


def test_a_raw_text_that_is_no_number_is_quoted_in_its_reason_without_the_print_layouts_line_break():
    # the quote keeps the document's line break; the reason names the text as it reads, 梧州市科协
    rows = example_rows({"raw_text": "梧州市\n科协", "quote": "梧州市\n科协51万元"})
    code, column, message = first_failure(rows)
    assert (code, column) == ("quantity_unparsed", "raw_text")
    assert message.startswith(": cannot parse quantity '梧州市科协': no number found in '梧州市科协'")


def test_a_manifest_entry_without_a_place_name_has_an_empty_chinese_case_name():
    assert case_of({"case": "wuzhou", "place_zh": "梧州市"}) == ("wuzhou", "梧州市")
    assert case_of({"case": "wuzhou"}) == ("wuzhou", "")
    assert case_of({}) == ("", "")
