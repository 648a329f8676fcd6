"""Coding-sheet reading details a planted bug would change (``make mutation``): where an oversized cell is.

A cell past the csv module's limit stops the read with one error naming the sheet, the line the
cell's record starts on, and its column, whatever came before it (the reader's message for it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kexie_research.errors import SheetError
from kexie_research.steps import indicators
from kexie_research.steps.indicators import CELL_LIMIT, _oversized_cell, _read_exact

LONG = "长" * (CELL_LIMIT + 1)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        (f'record_id,quote\nWZ-001,"{LONG}"\n', 2, "quote"),
        # a quoted cell over two lines before it: the long cell's record starts on line 4
        (f'record_id,quote\nWZ-001,"第一行\n第二行"\nWZ-002,"{LONG}"\n', 4, "quote"),
        # a blank line keeps its number
        (f'record_id,quote\n\nWZ-002,"{LONG}"\n', 3, "quote"),
        (f"{LONG},quote\nWZ-001,x\n", 1, "#1"),  # in the header itself: no column name to give
        (f'record_id,quote\nWZ-001,x,"{LONG}"\n', 2, "#3"),  # past the header's columns
    ],
)
def test_an_oversized_cell_is_named_by_its_sheet_line_and_column(text, line, column):
    message = _oversized_cell(text, Path("sheet.csv"))
    assert message.startswith(f"sheet.csv: line {line}, column {column}: a cell of {CELL_LIMIT + 1:,} characters")
    assert f"(at most {CELL_LIMIT:,} are read)" in message


def test_without_a_cell_past_the_limit_the_message_names_the_sheet_and_the_limit():
    message = _oversized_cell('record_id,quote\nWZ-001,"short"\n', Path("sheet.csv"))
    assert message.startswith(f"sheet.csv: a cell longer than {CELL_LIMIT:,} characters; shorten it")


def test_a_sheet_longer_than_one_chunk_reads_as_in_one_chunk(monkeypatch):
    header = "record_id,indicator_id,scope_zh,scope_level,raw_text,period_text,status,quote,note"
    rows = [f"WZ-00{n},members,梧州市,city,{n}人,2020年,achieved,会员{n}人,\n" for n in range(1, 6)]
    text = header + "\n" + "".join(rows)
    whole = _read_exact(text, Path("sheet.csv"))
    monkeypatch.setattr(indicators, "_CHUNK", 2)  # five records: chunks of 2, 2 and 1
    chunked = _read_exact(text, Path("sheet.csv"))
    assert chunked["record_id"].tolist() == [f"WZ-00{n}" for n in range(1, 6)]
    assert chunked["row"].tolist() == [2, 3, 4, 5, 6]
    pd.testing.assert_frame_equal(chunked, whole)


@pytest.mark.parametrize(
    "quoted",
    ['"会员120人，其中女性40人"', '"他说""好"""', '"第一行\n第二行"'],
    ids=["comma inside", "doubled quotes", "line break inside"],
)
def test_the_fast_reader_reads_a_well_quoted_sheet_as_the_exact_reader_does(quoted):
    header = "record_id,indicator_id,scope_zh,scope_level,raw_text,period_text,status,quote,note"
    text = f"{header}\nWZ-001,members,梧州市,city,120人,2020年,achieved,{quoted},\nWZ-002,members,梧州市,city,3人,,achieved,x,\n"
    fast = indicators._read_fast(text.encode("utf-8"), Path("sheet.csv"))
    assert fast is not None, "a well-quoted sheet is left to the slow reader"
    pd.testing.assert_frame_equal(fast, _read_exact(text, Path("sheet.csv")))


def test_the_fast_reader_declines_a_stray_quote_after_a_closing_one():
    header = "record_id,indicator_id,scope_zh,scope_level,raw_text,period_text,status,quote,note"
    text = f'{header}\nWZ-001,members,梧州市,city,120人,2020年,achieved,"会员"120人,\n'
    assert indicators._read_fast(text.encode("utf-8"), Path("sheet.csv")) is None


EXPECTED = "record_id, indicator_id, scope_zh, scope_level, raw_text, period_text, status, quote, note"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "record_id,indicator_id,scope_zh,raw_text,status,quote",
            f"sheet.csv: missing required column(s) scope_level; expected columns: {EXPECTED}",
        ),
        (
            "record_id,indicator_id,scope_zh,scope_level,raw_text,status,quote,remarks",
            f"sheet.csv: unexpected column(s) remarks; expected columns: {EXPECTED}",
        ),
        (
            "record_id,indicator_id,scope_zh,scope_level,raw_text,status,quote,note,note",
            "sheet.csv: column(s) note appear more than once in the header",
        ),
    ],
)
def test_a_bad_header_is_one_error_naming_the_columns_to_write(header, message):
    with pytest.raises(SheetError) as error:
        _read_exact(header + "\n", Path("sheet.csv"))
    assert str(error.value) == message
