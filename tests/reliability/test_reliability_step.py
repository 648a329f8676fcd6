"""The build's reliability step: second coders' sheets measured against the coding sheets, never data rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kexie_research import config
from kexie_research.errors import SheetError
from kexie_research.steps.reliability import RELIABILITY_COLUMNS, reliability_step

HEADER = "record_id,indicator_id,scope_zh,scope_level,raw_text,period_text,status,quote,note\n"


def _first_sheet(raw: Path) -> tuple[str, Path]:
    """A coding sheet of the copy with at least two rows, and its source id (read from the data)."""
    import pandas as pd

    for sheet in sorted((raw / config.SHEETS_DIR).glob("*.csv")):
        if len(pd.read_csv(sheet, dtype=str)) >= 2:
            return sheet.stem, sheet
    pytest.skip("no coding sheet with two rows")


def test_no_second_coder_gives_a_header_only_table(raw_copy):
    shutil.rmtree(raw_copy / config.SECOND_CODER_DIR, ignore_errors=True)
    table = reliability_step(raw_copy, replicates=10)
    assert table.empty and list(table.columns) == list(RELIABILITY_COLUMNS)


def test_a_copy_of_the_sheet_as_second_coder_agrees_perfectly_and_deterministically(raw_copy):
    shutil.rmtree(raw_copy / config.SECOND_CODER_DIR, ignore_errors=True)
    _source_id, first = _first_sheet(raw_copy)
    (raw_copy / config.SECOND_CODER_DIR).mkdir(parents=True)
    shutil.copy(first, raw_copy / config.SECOND_CODER_DIR / first.name)
    table = reliability_step(raw_copy, replicates=50)
    assert set(table["coders"]) == {2} and set(table["documents"]) == {1}
    defined = table.dropna(subset=["alpha"])
    assert len(defined) >= 1 and set(defined["alpha"]) == {1.0}
    assert table.equals(reliability_step(raw_copy, replicates=50))


def test_second_coder_rows_never_become_data_rows(raw_copy):
    from kexie_research.build import build

    _source_id, first = _first_sheet(raw_copy)
    folder = raw_copy / config.SECOND_CODER_DIR
    folder.mkdir(parents=True, exist_ok=True)
    lines = first.read_text(encoding="utf-8").splitlines()
    # The same facts under ids no coding sheet uses: were they read as data, they would show up.
    (folder / first.name).write_text(
        "\n".join(
            [lines[0], *("QQ-9" + line.split(",", 1)[0][-2:] + "," + line.split(",", 1)[1] for line in lines[1:])]
        )
        + "\n",
        encoding="utf-8",
    )
    result = build(raw_dir=raw_copy, write=False, echo=None)
    assert not result.indicators["record_id"].str.startswith("QQ-").any()
    assert not result.quarantine.astype(str).apply(lambda c: c.str.contains("second_coder")).any().any()
    assert int(result.tables["reliability"]["documents"].iloc[0]) >= 1


def test_a_second_sheet_named_after_no_source_is_named(raw_copy):
    folder = raw_copy / config.SECOND_CODER_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "no_such_source.csv").write_text(HEADER, encoding="utf-8")
    with pytest.raises(SheetError, match=r"no_such_source\.csv: 'no_such_source' is not a source_id"):
        reliability_step(raw_copy, replicates=5)


def test_a_second_sheet_without_a_first_sheet_is_named(raw_copy):
    _source_id, first = _first_sheet(raw_copy)
    folder = raw_copy / config.SECOND_CODER_DIR
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(first, folder / first.name)
    first.unlink()
    with pytest.raises(SheetError, match=rf"{first.name}: no first coding sheet"):
        reliability_step(raw_copy, replicates=5)


def test_a_second_sheet_row_off_its_document_is_named_with_its_line(raw_copy):
    _source_id, first = _first_sheet(raw_copy)
    folder = raw_copy / config.SECOND_CODER_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / first.name).write_text(
        HEADER + "ZZ-001,x,全国,national,7个,,achieved,这句话不在文件里7个,\n", encoding="utf-8"
    )
    with pytest.raises(SheetError, match=rf"second_coder/{first.name} line 2: quote '这句话不在文件里7个' not found"):
        reliability_step(raw_copy, replicates=5)
