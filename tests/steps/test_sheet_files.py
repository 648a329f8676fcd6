"""Coding sheets whose rows would vanish are named (issue 20.9), and an oversized cell says where it is (20.11)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from kexie_research.build import build
from kexie_research.cli import main
from kexie_research.errors import SheetError


def _validate(raw: Path, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw.parent))
    status = main(["validate"])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_a_missing_sheet_is_named_by_validate(raw_copy: Path, monkeypatch, capsys):
    (raw_copy / "indicators" / "zunyi_meeting.csv").unlink()
    status, output = _validate(raw_copy, monkeypatch, capsys)
    assert status == 2 and "all coded rows pass" not in output
    assert "source 'zunyi_meeting' has no coding sheet zunyi_meeting.csv" in output


def test_a_sheet_named_with_upper_case_csv_is_named_by_validate(raw_copy: Path, monkeypatch, capsys):
    sheet = raw_copy / "indicators" / "zunyi_meeting.csv"
    sheet.rename(sheet.with_name("zunyi_meeting.CSV"))
    status, output = _validate(raw_copy, monkeypatch, capsys)
    assert status == 2 and "all coded rows pass" not in output
    assert "zunyi_meeting.CSV: a coding sheet's name ends in lower-case .csv" in output
    assert "zunyi_meeting.CSV -> zunyi_meeting.csv" in output


def test_a_sheet_linked_outside_data_raw_is_refused(raw_copy: Path, tmp_path: Path):
    sheet = raw_copy / "indicators" / "zunyi_meeting.csv"
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes(sheet.read_bytes())
    sheet.unlink()
    sheet.symlink_to(outside)
    with pytest.raises(SheetError, match="a link that leads outside"):
        build(raw_dir=raw_copy, write=False, echo=None)


def test_a_link_inside_the_folder_is_still_read(raw_copy: Path):
    sheet = raw_copy / "indicators" / "zunyi_meeting.csv"
    kept = raw_copy / "indicators" / "zunyi_meeting.kept"
    sheet.rename(kept)
    sheet.symlink_to(kept.name)
    result = build(raw_dir=raw_copy, write=False, echo=None)
    assert (result.indicators["source_id"] == "zunyi_meeting").any()


def test_a_fifo_named_as_a_sheet_is_named_without_blocking(raw_copy: Path):
    sheet = raw_copy / "indicators" / "zunyi_meeting.csv"
    sheet.unlink()
    os.mkfifo(sheet)
    with pytest.raises(SheetError, match="not a regular file"):
        build(raw_dir=raw_copy, write=False, echo=None)


@pytest.mark.parametrize("cell", ["长" * 1_000_000, "x" * 1_000_000], ids=["cjk", "ascii"])
def test_a_million_character_cell_names_sheet_line_column_and_what_to_do(raw_copy: Path, monkeypatch, capsys, cell):
    sheet = raw_copy / "indicators" / "zunyi_meeting.csv"
    with sheet.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) > 2 and all(len(row) == len(rows[0]) for row in rows[:3])
    rows[2][rows[0].index("note")] = cell  # the record on line 3 (no line breaks in the cells above)
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    status, output = _validate(raw_copy, monkeypatch, capsys)
    assert status == 2 and "Traceback" not in output
    assert "field larger than field limit" not in output
    assert "zunyi_meeting.csv: line 3, column note: a cell of 1,000,000 characters" in output
    assert "shorten it, or look for a quotation mark left open" in output
