"""Spreadsheets people use: drafts with a BOM or as a formatted workbook, coding sheets as .xlsx with
the same checks and row numbers, and no cell ever acting as a formula."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kexie_research.cli import main
from kexie_research.errors import SheetError
from kexie_research.extract.sheet import read_draft
from kexie_research.ingest.sheets import CJK_FONT, read_xlsx, write_table
from kexie_research.schemas.indicators import SHEET_COLUMNS
from kexie_research.steps import indicators as step

DOCUMENT = Path(__file__).parents[1] / "fixtures" / "synthetic_yichang.txt"
HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("drafts")
    for name in ("draft.csv", "draft.xlsx"):
        assert main(["extract", str(DOCUMENT), "-o", str(folder / name), "--workers", "1", "--no-progress"]) == 0
    return folder / "draft.csv", folder / "draft.xlsx"


def test_a_csv_draft_starts_with_a_byte_order_mark_and_reads_back(drafts):
    csv_draft, _ = drafts
    assert csv_draft.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = read_draft(csv_draft)
    assert frame.columns[0] == "document" and len(frame) > 5


def test_the_workbook_draft_is_formatted_and_holds_what_the_csv_holds(drafts):
    from openpyxl import load_workbook

    csv_draft, xlsx_draft = drafts
    from_xlsx, from_csv = read_draft(xlsx_draft), read_draft(csv_draft)
    assert list(from_xlsx.columns) == list(from_csv.columns)
    text = ["document", "kind", "page", "offset", *SHEET_COLUMNS]
    pd.testing.assert_frame_equal(from_xlsx[text], from_csv[text])
    for number in ("value", "low", "high", "confidence"):  # numbers stay numbers in the workbook
        pd.testing.assert_series_equal(pd.to_numeric(from_xlsx[number]), pd.to_numeric(from_csv[number]))
    sheet = load_workbook(xlsx_draft).active
    header = [cell.value for cell in sheet[1]]
    quote = header.index("quote") + 1
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(row=1, column=1).font.bold and sheet.cell(row=2, column=1).font.name == CJK_FONT
    assert sheet.cell(row=2, column=quote).alignment.wrap_text
    assert sheet.column_dimensions[sheet.cell(row=1, column=quote).column_letter].width >= 40


def test_no_cell_of_a_workbook_draft_acts_as_a_formula(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "d.xlsx"
    write_table(pd.DataFrame({"quote": HOSTILE, "value": [1.5, None, 3, 4]}), path)
    sheet = load_workbook(path).active
    assert [sheet.cell(row=r, column=1).data_type for r in range(2, 6)] == ["s"] * 4
    assert read_xlsx(path)[1] == [[text, value] for text, value in zip(HOSTILE, ["1.5", "", "3", "4"])]


def test_to_sheet_reads_a_workbook_draft_like_its_csv(drafts, tmp_path):
    csv_draft, xlsx_draft = drafts
    for draft in (csv_draft, xlsx_draft):
        frame = read_draft(draft)
        frame.loc[frame["kind"] == "fact", "indicator_id"] = "kexie_annual_work_budget"
        write_table(frame, tmp_path / f"reviewed{draft.suffix}")
    outputs = []
    for suffix in (".csv", ".xlsx"):
        (tmp_path / suffix[1:]).mkdir()
        out = tmp_path / suffix[1:] / "yichang_report.csv"
        assert (
            main(["extract", "--to-sheet", str(tmp_path / f"reviewed{suffix}"), "-o", str(out), "--prefix", "YR"]) == 0
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and not outputs[0].startswith(b"\xef\xbb\xbf")


def _as_workbook(csv_path: Path, target: Path, edit=None) -> None:
    from openpyxl import Workbook

    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    book = Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    for values in frame.itertuples(index=False, name=None):
        sheet.append(list(values))
    if edit:
        edit(sheet)
    book.save(target)


def test_a_coding_sheet_as_a_workbook_builds_like_its_csv(raw_copy):
    sheet = raw_copy / "indicators" / "zunyi_meeting.csv"
    from_csv = step.read_sheet(sheet)
    _as_workbook(sheet, sheet.with_suffix(".xlsx"))
    from_xlsx = step.read_sheet(sheet.with_suffix(".xlsx"))
    pd.testing.assert_frame_equal(
        from_xlsx.drop(columns="sheet"), from_csv.drop(columns="sheet")
    )  # rows numbered alike
    with pytest.raises(SheetError, match=r"zunyi_meeting have both a .csv and an .xlsx coding sheet"):
        step.read_sheets(raw_copy, ["zunyi_meeting"])


def test_workbook_rows_are_checked_and_named_by_spreadsheet_row(raw_copy, tmp_path):
    from kexie_research import data
    from kexie_research.build import build

    sheet = raw_copy / "indicators" / "liuzhou_plan.csv"
    quote_column = list(SHEET_COLUMNS).index("quote") + 1

    def edit(worksheet):
        worksheet.cell(row=2, column=quote_column, value="=1+1")  # a real formula typed by a coder
        worksheet.cell(row=3, column=len(SHEET_COLUMNS) + 2, value="stray")  # a cell beyond the header

    _as_workbook(sheet, sheet.with_suffix(".xlsx"), edit)
    sheet.unlink()
    build(raw_dir=raw_copy, out_dir=tmp_path / "processed", echo=None)
    quarantine = data.load_quarantine(tmp_path / "processed")
    reasons = dict(zip(quarantine["row"].astype(int), quarantine["reason"]))
    assert "formula" in reasons[2] and "liuzhou_plan.xlsx" in reasons[2]
    assert "cells, but the header has" in reasons[3]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"PK\x03\x04 broken", "cannot read the workbook"),
    ],
)
def test_an_unreadable_workbook_is_one_error_naming_it(raw_copy, content, message):
    path = raw_copy / "indicators" / "zunyi_meeting.xlsx"
    (raw_copy / "indicators" / "zunyi_meeting.csv").unlink()
    path.write_bytes(content)
    with pytest.raises(SheetError, match=rf"zunyi_meeting\.xlsx: {message}"):
        step.read_sheet(path)


def test_an_empty_workbook_is_named(tmp_path):
    from openpyxl import Workbook

    Workbook().save(tmp_path / "s.xlsx")
    with pytest.raises(SheetError, match=r"s\.xlsx: the first sheet of the workbook is empty"):
        step.read_sheet(tmp_path / "s.xlsx")


@pytest.mark.parametrize("name", ["draft.csv", "draft.xlsx"])
def test_a_failed_draft_write_leaves_the_previous_draft_and_no_temporary_file(tmp_path, monkeypatch, name):
    path = tmp_path / name
    write_table(pd.DataFrame({"quote": ["旧"]}), path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail)
    import openpyxl.workbook.workbook as workbook

    monkeypatch.setattr(workbook.Workbook, "save", fail)
    with pytest.raises(OSError, match="disk full"):
        write_table(pd.DataFrame({"quote": ["新"]}), path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_the_reliability_step_reads_a_first_coders_workbook_like_its_csv(raw_copy):
    from kexie_research.steps.reliability import reliability_step

    sheet = raw_copy / "indicators" / "zunyi_meeting.csv"
    assert (raw_copy / "indicators" / "second_coder" / sheet.name).is_file()
    from_csv = reliability_step(raw_copy, replicates=50)
    _as_workbook(sheet, sheet.with_suffix(".xlsx"))
    sheet.unlink()
    pd.testing.assert_frame_equal(reliability_step(raw_copy, replicates=50), from_csv)
