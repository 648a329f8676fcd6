"""The folder of coding sheets and the CSV readers: errors that name what to fix, chunks, line numbers.

Small sheets and folders written in a temporary directory; nothing of the project's data is read.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kexie_research.errors import SheetError
from kexie_research.steps import indicators
from kexie_research.steps.indicators import CELL_LIMIT, _read_exact, sheet_files

HEADER = "record_id,indicator_id,scope_zh,scope_level,raw_text,period_text,status,quote,note"
FIRST = "WZ-001,members,梧州市,city,3人,2020年,achieved,会员3人,"
SECOND = "WZ-002,members,梧州市,city,4人,,achieved,x,"
FIRST_OVER_TWO_LINES = 'WZ-001,members,梧州市,city,3人,2020年,achieved,"会员\r\n3人",'


def test_a_missing_folder_of_sheets_is_one_error_naming_it(tmp_path):
    folder = tmp_path / "indicators"
    with pytest.raises(SheetError) as caught:
        sheet_files(folder, ["wuzhou_article"])
    assert str(caught.value) == f"{folder}: the folder of coding sheets is missing"


def test_a_sheet_named_in_upper_case_is_refused_with_the_name_to_give_it(tmp_path):
    (tmp_path / "a.CSV").write_text("record_id\n", encoding="utf-8")
    (tmp_path / "b.Xlsx").write_bytes(b"")
    with pytest.raises(SheetError) as caught:
        sheet_files(tmp_path, ["a", "b"])
    assert str(caught.value) == (
        f"{tmp_path}: a.CSV, b.Xlsx: a coding sheet's name ends in lower-case .csv or .xlsx, or its rows are "
        "not read; rename it (e.g. a.CSV -> a.csv)"
    )


def test_a_cell_past_the_limit_stops_the_exact_reader_naming_its_line_and_column():
    text = f'{HEADER}\nWZ-001,members,梧州市,city,3人,2020年,achieved,"{"长" * (CELL_LIMIT + 1)}",\n'
    with pytest.raises(SheetError) as caught:
        _read_exact(text, Path("sheet.csv"))
    assert str(caught.value).startswith(
        f"sheet.csv: line 2, column quote: a cell of {CELL_LIMIT + 1:,} characters (at most {CELL_LIMIT:,} are read)"
    )


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 5, 6])
def test_the_exact_reader_keeps_every_record_whatever_the_chunk_size(monkeypatch, chunk):
    # five records: chunks of 3 + 2 or 4 + 1 are two chunks, which must both be kept
    rows = [f"WZ-00{n},members,梧州市,city,{n}人,2020年,achieved,会员{n}人,\n" for n in range(1, 6)]
    monkeypatch.setattr(indicators, "_CHUNK", chunk)
    frame = _read_exact(HEADER + "\n" + "".join(rows), Path("sheet.csv"))
    assert frame["record_id"].tolist() == ["WZ-001", "WZ-002", "WZ-003", "WZ-004", "WZ-005"]
    assert frame["row"].tolist() == [2, 3, 4, 5, 6]
    assert frame.index.tolist() == [0, 1, 2, 3, 4]


def test_a_folder_named_like_a_sheet_is_refused_as_not_a_regular_file(tmp_path):
    (tmp_path / "a.csv").mkdir()
    with pytest.raises(SheetError) as caught:
        sheet_files(tmp_path, ["a"])
    assert str(caught.value) == (
        f"{tmp_path / 'a.csv'}: not a regular file (a folder, pipe or device named like a coding sheet)"
    )


def test_a_sheet_of_no_source_is_refused_listing_the_valid_sheet_names(tmp_path):
    for name in ("a.csv", "b.csv", "typo.csv"):
        (tmp_path / name).write_text("record_id\n", encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        sheet_files(tmp_path, ["a", "b"])
    assert str(caught.value) == f"{tmp_path}: sheet(s) typo.csv match no source_id; valid: a.csv, b.csv"


@pytest.mark.parametrize(
    ("sources", "named"),
    [
        (["a", "b"], "source 'b' has no coding sheet b.csv"),
        (["a", "b", "c"], "source 'b' and others has no coding sheet b.csv, c.csv"),
    ],
)
def test_a_source_without_its_sheet_is_refused_naming_the_sheets_to_restore(tmp_path, sources, named):
    (tmp_path / "a.csv").write_text("record_id\n", encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        sheet_files(tmp_path, sources)
    assert str(caught.value) == (
        f"{tmp_path}: {named} (its rows would count as none); restore it, or create it with the header line"
    )


def test_the_lock_file_of_an_open_workbook_is_not_a_sheet(tmp_path):
    # "~$a.xlsx" is what a spreadsheet program leaves beside a workbook it has open
    (tmp_path / "a.csv").write_text("record_id\n", encoding="utf-8")
    (tmp_path / "~$a.xlsx").write_bytes(b"")
    (tmp_path / "README.md").write_text("", encoding="utf-8")
    assert [path.name for path in sheet_files(tmp_path, ["a"])] == ["a.csv"]


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        (f"{HEADER}\r\n{FIRST}\r\n\r\n{SECOND}\r\n", [2, 4]),
        (f"{HEADER}\n{FIRST}\n\n{SECOND}\n", [2, 4]),
        # the first record's quote runs over lines 2 and 3; lines 4 and 5 are blank
        (f"{HEADER}\r\n{FIRST_OVER_TWO_LINES}\r\n\r\n\r\n{SECOND}", [2, 6]),
    ],
    ids=["crlf with a blank line", "lf with a blank line", "crlf, a break inside a cell, no final break"],
)
def test_the_fast_reader_numbers_the_lines_of_a_sheet_with_blank_lines_as_the_exact_reader(text, rows):
    fast = indicators._read_fast(text.encode("utf-8"), Path("sheet.csv"))
    assert fast is not None, "a well-formed sheet is left to the slow reader"
    pd.testing.assert_frame_equal(fast, _read_exact(text, Path("sheet.csv")))
    assert fast["record_id"].tolist() == ["WZ-001", "WZ-002"]
    assert fast["row"].tolist() == rows


def test_a_sheet_without_the_optional_columns_reads_them_as_empty_cells():
    # period_text and note may be left out of the header
    text = "record_id,indicator_id,scope_zh,scope_level,raw_text,status,quote\nWZ-001,members,梧州市,city,3人,achieved,会员3人\n"
    fast = indicators._read_fast(text.encode("utf-8"), Path("sheet.csv"))
    assert fast is not None
    pd.testing.assert_frame_equal(fast, _read_exact(text, Path("sheet.csv")))
    assert fast[["period_text", "note"]].values.tolist() == [["", ""]]
    assert fast["raw_text"].tolist() == ["3人"]


def test_a_sheet_not_in_utf8_is_refused_naming_the_byte_and_line_and_the_fix(tmp_path):
    # saved from a Chinese-locale editor: GB18030 throughout (the first two lines are ASCII)
    first = f"{HEADER}\nWZ-001,members,x,city,3,2020,achieved,3,\n".encode()
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(first + "WZ-002,members,梧州市,city,4人,,achieved,会员4人,\n".encode("gb18030"))
    with pytest.raises(SheetError) as caught:
        indicators.read_sheet(sheet)
    start = len(first) + len("WZ-002,members,")  # 梧 is the first byte that is not UTF-8
    assert str(caught.value) == (
        f"{sheet}: not valid UTF-8 at byte {start} (line 3); expected UTF-8 (a BOM is fine). "
        "It decodes as GBK/GB18030: convert it with `iconv -f GB18030 -t UTF-8`."
    )


def test_an_oversized_cell_counts_its_crlf_line_breaks_as_written():
    # 131,071 characters and a CRLF inside the quote: 131,073 as written, past the limit
    cell = "长" * (CELL_LIMIT - 1) + "\r\n"
    message = indicators._oversized_cell(f'record_id,quote\r\nWZ-001,"{cell}"\r\n', Path("sheet.csv"))
    assert message.startswith(f"sheet.csv: line 2, column quote: a cell of {CELL_LIMIT + 1:,} characters")
