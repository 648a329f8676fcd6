"""Comparison tables as CSV and LaTeX files: numbered, escaped, readable back."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kexie_research.viz.table_files import escape_latex, latex_table, save_table


@given(st.text())
def test_escaped_latex_has_no_bare_special_character(text):
    escaped = escape_latex(text)
    # Every special character is either escaped with a backslash or part of a \text… command.
    stripped = re.sub(r"\\text(backslash|asciitilde|asciicircum)\{\}|\\[&%$#_{}]", "", escaped)
    assert not set(stripped) & set("\\&%$#_{}~^")


def test_tables_are_numbered_and_read_back(tmp_path):
    frame = pd.DataFrame({"地区 place": ["梧州市", "荣昌区"], "人均 per capita (元)": [4.5, None]})
    first = save_table(frame, "per_capita", "Per-capita funding, 2019 (n = 2)", tmp_path)
    second = save_table(frame.head(1), "other", "Other", tmp_path)
    again = save_table(frame, "per_capita", "Per-capita funding, 2019 (n = 2)", tmp_path)
    assert [p.name for p in first] == [p.name for p in again] == ["table-01-per_capita.csv", "table-01-per_capita.tex"]
    assert second[0].name == "table-02-other.csv"
    assert first[0].read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese
    back = pd.read_csv(first[0], encoding="utf-8-sig")
    assert back.columns.tolist() == frame.columns.tolist() and back.iloc[0, 0] == "梧州市"
    listed = pd.read_csv(tmp_path / "tables.csv")
    assert listed["name"].tolist() == ["per_capita", "other"] and listed["rows"].tolist() == [2, 1]


def test_latex_escapes_headers_cells_and_caption_and_marks_missing():
    tex = latex_table(pd.DataFrame({"share_%": ["a&b"], "n": [None]}), "50% of #1", "tab:t")
    assert r"share\_\%" in tex and r"a\&b" in tex and r"50\% of \#1" in tex
    assert tex.count("--") == 1 and "nan" not in tex.lower().replace("\\end", "")
