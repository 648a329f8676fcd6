"""Each check of the coding-sheet step alone: the rows it refuses, its message, its code and column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kexie_research import config
from kexie_research.schemas.indicators import SHEET_COLUMNS
from kexie_research.steps import row_checks as checks
from kexie_research.steps.codebook import read_codebook
from kexie_research.steps.places import PlaceResolver
from kexie_research.steps.sources import verify_sources

DOCUMENT = "梧州市科协51万元、藤县科协26万元；到2021年底，梧州市科协达到3个。"


@pytest.fixture(scope="module")
def world():
    raw = config.raw_dir()
    return {"codebook": read_codebook(raw), "sources": {entry["source_id"]: entry for entry in verify_sources(raw)}}


def _row(**cells: str) -> dict[str, str]:
    """The library's worked example row (a real coded row that passes every check) under a test id."""
    return {**checks.EXAMPLE_ROW, "record_id": "WZ-901", **cells}


def coded(world, *rows: dict[str, str], problems: list[str | None] | None = None) -> checks.CodedRows:
    """CodedRows of ``rows`` (lines 2, 3, …) of the sheet wuzhou_article.csv over ``DOCUMENT``."""
    frame = pd.DataFrame({name: pd.array([row[name] for row in rows], dtype="str") for name in SHEET_COLUMNS})
    frame.insert(0, "row", np.arange(2, 2 + len(rows), dtype="int64"))
    frame.insert(0, "sheet", pd.array(["wuzhou_article.csv"] * len(rows), dtype="str"))
    frame[checks.READ_PROBLEM] = pd.array(problems or [None] * len(rows), dtype="str")
    frame["source_id"] = pd.array(["wuzhou_article"] * len(rows), dtype="str")
    return checks.CodedRows(
        frame, world["codebook"], PlaceResolver.from_raw(), world["sources"], {"wuzhou_article": DOCUMENT}
    )


def refused(rows: checks.CodedRows, check, column=None, live=None) -> dict[int, str]:
    """``{row position: message}`` of the rows a check refuses among ``live`` (default: every row)."""
    live = np.arange(rows.n, dtype="int64") if live is None else np.asarray(live, dtype="int64")
    failures = check(rows, column, live)
    return {int(row): failures.messages[int(k)] for row, k in zip(failures.rows, failures.message)}


def the_check(code: str, column: str | None) -> checks.Check:
    (found,) = [check for check in checks.CHECKS if check.code == code and check.column == column]
    return found


def test_field_count_refuses_the_records_the_reader_noted(world):
    rows = coded(world, _row(), _row(record_id="WZ-902"), problems=[None, "2 field(s), but the header has 9"])
    assert refused(rows, checks.field_count) == {1: ": 2 field(s), but the header has 9"}
    assert the_check("field_count", None).find is checks.field_count


def test_duplicate_record_id_names_the_first_row_and_ignores_blanks_and_spaces(world):
    rows = coded(
        world,
        _row(record_id="WZ-901"),
        _row(record_id=" WZ-901 "),
        _row(record_id=""),
        _row(record_id=""),
        _row(record_id="WZ-902"),
    )
    assert refused(rows, checks.duplicate_record_id) == {
        1: ": duplicate record_id 'WZ-901' (first in wuzhou_article.csv row 2)"
    }
    assert refused(rows, checks.duplicate_record_id, live=[0, 2, 3, 4]) == {}  # only live rows are judged


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("note", "=1+1", "column 'note' starts with '='"),
        ("note", "+1", "column 'note' starts with '+'"),
        ("note", "-1", "column 'note' starts with '-'"),
        ("scope_zh", "@梧州", "column 'scope_zh' starts with '@'"),
        ("raw_text", "@51", "column 'raw_text' starts with '@'"),
        ("quote", "梧州\x1b", "column 'quote' holds the control character U+001B"),
        ("quote", "梧州\x9f", "column 'quote' holds the control character U+009F"),
        ("note", "a\tb", "column 'note' holds the control character U+0009"),
    ],
)
def test_unsafe_cell_refuses_formulas_and_control_characters(world, column, cell, message):
    rows = coded(world, _row(), _row(**{column: cell}))
    found = refused(rows, checks.unsafe_cell, column)
    assert list(found) == [1] and found[1].startswith(f": {message}")
    assert the_check("unsafe_cell", column).find is checks.unsafe_cell


@pytest.mark.parametrize(
    ("column", "cell"), [("raw_text", "-5%"), ("raw_text", "+5%"), ("quote", "一行\n二行"), ("note", "a=b")]
)
def test_unsafe_cell_passes_signed_numbers_line_feeds_and_inner_signs(world, column, cell):
    assert refused(coded(world, _row(**{column: cell})), checks.unsafe_cell, column) == {}


def test_empty_required_refuses_blank_cells_of_required_columns_only(world):
    rows = coded(world, _row(scope_zh="  "), _row(scope_zh="梧州市科协"))
    assert refused(rows, checks.empty_required, "scope_zh") == {0: ": empty required column 'scope_zh'"}
    assert {check.column for check in checks.CHECKS if check.code == "empty_required"} == {
        name for name, (required, _) in SHEET_COLUMNS.items() if required
    }


@pytest.mark.parametrize(
    ("check", "column", "cell", "message"),
    [
        (checks.unknown_status, "status", "maybe", ": status 'maybe' is not one of achieved, target"),
        (
            checks.unknown_scope_level,
            "scope_level",
            "town",
            (": scope_level 'town' is not one of national, provincial, city, county, township, organisation"),
        ),
        (
            checks.unknown_indicator,
            "indicator_id",
            "nope",
            ": unknown indicator_id 'nope' (not in data/raw/codebook.yaml)",
        ),
    ],
)
def test_closed_vocabularies_refuse_unknown_values_but_not_padded_known_ones(world, check, column, cell, message):
    good = {"status": " target ", "scope_level": " city", "indicator_id": "kexie_annual_work_budget "}[column]
    rows = coded(world, _row(**{column: good}), _row(**{column: cell}))
    assert refused(rows, check, column) == {1: message}


def test_quote_not_in_document_refuses_and_records_offsets_of_the_others(world):
    rows = coded(world, _row(quote="藤县科协26万元"), _row(quote="梧州市科协99万元"), _row(quote="梧州市科\n协51万元"))
    assert refused(rows, checks.quote_not_in_document) == {
        1: " (document 000_8f4cdd9b00102f1f.txt): quote not found in the document (after removing line breaks): '梧州市科协99万元'"
    }
    assert rows.quote_offset.tolist() == [DOCUMENT.index("藤县"), -1, 0]


def test_raw_text_not_in_quote_refuses_a_number_inside_a_longer_one(world):
    rows = coded(world, _row(raw_text="1万元"), _row(raw_text="51万元"))
    found = refused(rows, checks.raw_text_not_in_quote)
    assert list(found) == [0] and "raw_text '1万元' does not occur in its quote" in found[0]


def test_quantity_unparsed_refuses_words_and_fills_the_quantities(world):
    rows = coded(world, _row(raw_text="许多"), _row(raw_text="51万元"), _row(raw_text="51万元"))
    found = refused(rows, checks.quantity_unparsed)
    assert list(found) == [0] and found[0].startswith(": cannot parse quantity '许多': no number found")
    assert rows.quantity_row[1] == rows.quantity_row[2] >= 0
    assert rows.quantities["value"].iloc[rows.quantity_row[1]] == 510_000


def test_period_unparsed_refuses_and_fills_the_periods(world):
    rows = coded(world, _row(period_text="某年"), _row(period_text="2020年"))
    found = refused(rows, checks.period_unparsed)
    assert list(found) == [0] and found[0].startswith(": cannot parse period '某年': not a recognised period")
    assert rows.period_results[rows.period_row[1]].end == "2020-12-31"


def test_place_unresolved_refuses_unknown_places_and_fills_the_places(world):
    rows = coded(world, _row(scope_zh="火星科协"), _row(scope_zh="藤县科协"))
    found = refused(rows, checks.place_unresolved)
    assert list(found) == [0] and "火星科协" in found[0]
    assert rows.place_results[rows.place_row[1]].admin_code == "450422"


def _parsed(rows: checks.CodedRows) -> checks.CodedRows:
    everyone = np.arange(rows.n, dtype="int64")
    for check in (checks.quantity_unparsed, checks.period_unparsed, checks.place_unresolved):
        assert check(rows, None, everyone).rows.size == 0
    return rows


def test_unit_mismatch_refuses_a_unit_the_indicator_cannot_take(world):
    rows = _parsed(coded(world, _row(raw_text="3个"), _row()))
    assert refused(rows, checks.unit_mismatch) == {
        0: ": raw_text '3个' reads as unit 'count', but indicator 'kexie_annual_work_budget' is measured in 'CNY'"
    }


def test_target_period_status_refuses_a_deadline_coded_as_achieved(world):
    rows = _parsed(coded(world, _row(period_text="到2021年底"), _row(period_text="到2021年底", status="target")))
    assert refused(rows, checks.target_period_status) == {
        0: ": period '到2021年底' states a target but status is 'achieved'"
    }


def test_scope_level_mismatch_refuses_a_city_coded_as_national(world):
    rows = _parsed(coded(world, _row(scope_level="national"), _row()))
    assert refused(rows, checks.scope_level_mismatch) == {
        0: ": scope '梧州市科协' resolves to 梧州市 (prefecture), which does not fit scope_level 'national'"
    }


def test_the_first_failed_check_in_the_list_names_the_reason(world):
    # a formula note (unsafe_cell) and an unknown status (later in the list): the formula wins
    rows = coded(
        world, _row(note="=1", status="maybe"), _row(record_id="WZ-902", status="maybe"), _row(record_id="WZ-903")
    )
    verdicts = checks.run_checks(rows)
    assert [checks.CHECKS[k][:2] if k >= 0 else None for k in verdicts.check] == [
        ("unsafe_cell", "note"),
        ("unknown_status", "status"),
        None,
    ]
    assert verdicts.messages[verdicts.message[1]] == ": status 'maybe' is not one of achieved, target"


def test_a_check_only_ever_sees_the_rows_no_earlier_check_refused(world):
    rows = coded(world, _row(scope_zh="火星科协"), _row(scope_zh="藤县科协", scope_level="county"))
    assert refused(rows, checks.place_unresolved, live=[1]) == {}
    assert rows.place_row.tolist()[0] == -1  # the refused row was never resolved


def test_every_check_code_is_listed_once_per_column():
    pairs = [(check.code, check.column) for check in checks.CHECKS]
    assert len(pairs) == len(set(pairs))
    assert checks.SCHEMA_CHECK not in {code for code, _ in pairs}


def test_duplicate_record_id_names_the_first_row_with_that_id_wherever_it_is(world):
    rows = coded(
        world, _row(record_id="WZ-901"), _row(record_id="WZ-902"), _row(record_id="WZ-902"), _row(record_id="WZ-902")
    )
    assert refused(rows, checks.duplicate_record_id) == {
        2: ": duplicate record_id 'WZ-902' (first in wuzhou_article.csv row 3)",
        3: ": duplicate record_id 'WZ-902' (first in wuzhou_article.csv row 3)",
    }


def test_quote_not_in_document_quotes_at_most_sixty_characters(world):
    quote = "甲" * 61 + "乙"
    found = refused(coded(world, _row(quote=quote)), checks.quote_not_in_document)
    assert found[0].endswith(f": {'甲' * 60!r}")


def test_unsafe_cell_judges_each_distinct_cell_once_and_names_each_row(world):
    rows = coded(world, _row(note="=1"), _row(note="ok"), _row(note="=1"), _row(note="@2"))
    failures = checks.unsafe_cell(rows, "note", np.arange(4))
    assert failures.rows.tolist() == [0, 2, 3]
    assert len(failures.messages) == 2  # "=1" and "@2", each written once
    assert [failures.messages[k][:27] for k in failures.message] == [": column 'note' starts with"] * 3


def test_distinct_rows_of_no_rows_is_empty_with_one_column_per_code_array():
    distinct, inverse = checks.distinct_rows(np.empty(0, dtype="int64"), np.empty(0, dtype="int64"))
    assert distinct.shape == (0, 2) and inverse.shape == (0,)


def test_distinct_rows_tells_apart_combinations_that_share_a_column():
    distinct, inverse = checks.distinct_rows(np.array([0, 1, 1, 0, 2]), np.array([1, 0, 1, 1, 0]))
    assert [tuple(row) for row in distinct[inverse]] == [(0, 1), (1, 0), (1, 1), (0, 1), (2, 0)]
    assert len(distinct) == 4


def test_verdicts_keep_the_first_check_that_refused_a_row():
    verdicts = checks.Verdicts(2)
    verdicts.record(0, checks.Failures(np.array([0]), np.array([0]), [": first"]))
    verdicts.record(5, checks.Failures(np.array([0, 1]), np.array([0, 0]), [": later"]))
    assert verdicts.check.tolist() == [0, 5]
    assert [verdicts.messages[k] for k in verdicts.message] == [": first", ": later"]


def test_where_names_sheet_and_line(world):
    assert coded(world, _row(), _row(record_id="WZ-902")).where(1) == "wuzhou_article.csv row 3"


def test_text_cell_problem_names_the_formula_and_what_to_do():
    assert checks.text_cell_problem("note", "+1") == (
        "column 'note' starts with '+', which a spreadsheet runs as a formula; rewrite the cell (the build never alters data)"
    )


def test_text_cell_problem_of_a_column_outside_the_sheet_only_looks_for_control_characters():
    assert checks.text_cell_problem("sheet", "=1") is None
    assert checks.text_cell_problem("sheet", "X1") is None
    assert checks.text_cell_problem("sheet", "a\x00") is not None


def test_non_finite_names_the_value_first_when_it_is_not_finite():
    assert (
        checks.non_finite("x", float("nan"), float("inf"), float("nan"))
        == "raw_text 'x' reads as a non-finite value (nan)"
    )
