"""kexie export: labelled Stata/SPSS files, Parquet + R reader, workbook, codebook document."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kexie_research.cli import main
from kexie_research.data import load_indicators
from kexie_research.errors import KexieError
from kexie_research.publish import codebook_doc, datasets
from kexie_research.publish.command import export
from kexie_research.publish.labels import CATEGORICAL_COLUMNS, encode_categoricals, short_label


@pytest.fixture(scope="module")
def processed(built) -> Path:
    return built[1]


def _decoded(frame: pd.DataFrame, meta, column: str) -> list[str]:
    labels = meta.variable_value_labels[column]
    return [labels[int(v)] if pd.notna(v) else "" for v in frame[column]]


@pytest.mark.parametrize(
    "writer, reader", [(datasets.write_stata, pyreadstat.read_dta), (datasets.write_spss, pyreadstat.read_sav)]
)
def test_labelled_files_decode_back_to_the_dataset(tmp_path, processed, writer, reader):
    facts = load_indicators(processed)
    frame, meta = reader(str(writer(tmp_path, processed)[0]))
    assert len(frame) == len(facts)
    table = datasets.labelled_indicators(processed)
    for column in CATEGORICAL_COLUMNS:
        codes = frame[column]
        values = [table.categories[column][int(c) - 1] if pd.notna(c) else "" for c in codes]
        assert values == facts[column].fillna("").tolist(), column
    assert _decoded(frame, meta, "is_target") == ["target 目标" if t else "achieved 已实现" for t in facts["is_target"]]
    assert frame["quote"].tolist() == facts["quote"].tolist()
    assert frame["value"].fillna(-1).tolist() == facts["value"].fillna(-1).tolist()
    assert list(frame.columns) == list(facts.columns)  # every column of the processed table, no other
    assert meta.column_names_to_labels["quote_offset"].startswith("Character offset")


def test_stata_dates_are_dates(tmp_path, processed):
    frame, _meta = pyreadstat.read_dta(str(datasets.write_stata(tmp_path, processed)[0]))
    facts = load_indicators(processed)
    dated = facts["period_start"].fillna("") != ""
    assert dated.any()
    written = pd.to_datetime(frame.loc[dated.to_numpy(), "period_start"]).dt.strftime("%Y-%m-%d").tolist()
    assert written == facts.loc[dated, "period_start"].tolist()
    assert frame.loc[(~dated).to_numpy(), "period_start"].isna().all()


def test_stata_refuses_a_string_it_would_cut(tmp_path, processed, monkeypatch):
    monkeypatch.setattr(datasets, "STATA_STRING_BYTES", 20)
    with pytest.raises(KexieError, match=r"column '\w+' of record [A-Z]{2}-\d+ has \d+ bytes, more than Stata's 20"):
        datasets.write_stata(tmp_path, processed)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_variable_labels_fit_stata():
    assert short_label("x" * 200).endswith("…") and len(short_label("x" * 200)) <= 80
    assert short_label("word " * 30) == ("word " * 15).strip() + " …"


def test_r_reader_script_labels_every_coded_column(tmp_path, processed):
    parquet, script = datasets.write_r(tmp_path, processed)
    text = script.read_text(encoding="utf-8")
    table = datasets.labelled_indicators(processed)
    for column in table.value_labels:
        assert f'indicators[["{column}"]] <- factor(' in text
    assert pd.read_parquet(parquet)["case"].dtype.name == "Int64"


@given(st.text())
def test_r_string_literals_round_trip(text):
    # R reads the escapes JSON writes with ensure_ascii (\" \\ \n \t \b \f \r \uXXXX) the same way.
    literal = datasets._r_string(text)
    assert json.loads(literal) == text
    assert literal.isascii() and "\n" not in literal


def test_encoding_keeps_missing_apart_from_categories():
    table = encode_categoricals(pd.DataFrame({"unit": ["CNY", "", None, "person"]}), {})
    assert table.frame["unit"].tolist() == [1, pd.NA, pd.NA, 2]
    assert table.value_labels["unit"] == {1: "CNY", 2: "person"}


def test_workbook_keeps_formulas_as_text_and_is_readable(tmp_path, processed):
    path = datasets.write_excel(tmp_path, processed)[0]
    book = openpyxl.load_workbook(path)
    sheet = book["indicators"]
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["record_id", "source_id"] and sheet.freeze_panes == "A2"
    quote_column = header.index("quote") + 1
    assert sheet.cell(row=2, column=quote_column).alignment.wrap_text
    assert sheet.max_row == len(load_indicators(processed)) + 1
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_codebook_document_has_every_indicator_with_an_escaped_example(tmp_path, processed):
    entries = codebook_doc.codebook_entries(processed)
    codebook = pd.read_csv(processed / "codebook.csv", dtype=str, keep_default_na=False)
    assert sorted(e.indicator_id for e in entries) == sorted(codebook["id"])
    facts = load_indicators(processed)
    for entry in entries:
        if entry.facts:
            assert entry.example_raw in entry.example_quote
            assert entry.example_quote in set(facts.loc[facts.indicator_id == entry.indicator_id, "quote"])
    page = codebook_doc.write_codebook_html(tmp_path, processed).read_text(encoding="utf-8")
    assert page.count("<section ") == len(entries)


def test_codebook_document_escapes_hostile_text():
    hostile = "<img src=x onerror=alert(1)>"
    entry = codebook_doc.CodebookEntry(
        "x", hostile, hostile, hostile, "n", hostile, hostile, 1, f"{hostile}共3个", "3个", hostile
    )
    page = codebook_doc.codebook_html([entry])
    assert "<img" not in page and page.count("&lt;img src=x onerror=alert(1)&gt;") >= 6


def test_codebook_pdf_is_the_same_for_the_same_data(tmp_path, processed):
    first = codebook_doc.write_codebook_pdf(tmp_path / "a", processed).read_bytes()
    second = codebook_doc.write_codebook_pdf(tmp_path / "b", processed).read_bytes()
    assert first[:5] == b"%PDF-" and first == second


def test_export_command_writes_every_format(tmp_path, processed, capsys, monkeypatch):
    monkeypatch.setenv("KEXIE_DATA_DIR", str(processed.parent))
    shutil.copytree(processed, processed.parent / "processed", dirs_exist_ok=True)
    assert main(["export", "--format", "stata", "spss", "r", "excel", "codebook", "-o", str(tmp_path / "out")]) == 0
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [
        "codebook.html",
        "codebook.pdf",
        "indicators.dta",
        "indicators.parquet",
        "indicators.sav",
        "kexie_dataset.xlsx",
        "read_indicators.R",
    ]
    assert capsys.readouterr().out.count("\n") == 7


def test_export_names_bad_output_and_missing_data(tmp_path, capsys, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["export", "--format", "r", "-o", str(blocker)]) == 2
    assert "is a file" in capsys.readouterr().err
    monkeypatch.setenv("KEXIE_DATA_DIR", str(tmp_path / "nothing"))
    assert main(["export", "--format", "stata", "-o", str(tmp_path / "out")]) == 2
    assert "run `kexie build` first" in capsys.readouterr().err
    with pytest.raises(KexieError, match="unknown export format"):
        export(["dta"], tmp_path)
