"""Reader-facing tables (kexie_research.viz.tables): headers, numbers, static and interactive tables."""

from __future__ import annotations

import pandas as pd

from kexie_research.viz import tables


def test_bilingual_headers_and_number_format():
    renamed = tables.bilingual_headers(pd.DataFrame(columns=["quote", "case", "other"]), {"other": "其他 Other"})
    assert list(renamed.columns) == ["原文 Quote", "案例 Case", "其他 Other"]
    assert tables.format_number(30.0, "at_least") == "≥30"
    assert tables.format_number(20000.0, "approx") == "≈20,000"
    assert tables.format_number(float("nan")) == "—"


def test_report_table_escapes_text_and_links_urls():
    frame = pd.DataFrame({"quote": ["<b>不是标签</b>"], "population_source": ["https://example.org/a/b"], "n": [12345]})
    html = tables.report_table(frame).to_html()
    assert "&lt;b&gt;不是标签&lt;/b&gt;" in html
    assert '<a href="https://example.org/a/b">example.org</a>' in html
    assert "12,345" in html
    assert html == tables.report_table(frame).to_html()  # stable ids: same data, same HTML


def test_interactive_table_is_offline_searchable_and_carries_a_text_copy():
    frame = pd.DataFrame({"case": ["a", "b"], "value": [1.5, 20.0], "quote": ["<x> 原文", "https://example.org/p"],
                          "is_target": [True, False]})
    table = tables.interactive_table(frame, caption="示例 demo")
    bundle = table._repr_mimebundle_()
    html, text = bundle["text/html"], bundle["text/plain"]
    assert "cdn" not in html.lower() and "https://cdn" not in html  # offline: no script from the network
    assert '"topEnd": "search"' in html  # a search box, even for a short table
    assert '"column_filters": "footer"' in html  # a filter under each column
    assert "&lt;x&gt; 原文" in html and "<x> 原文" not in html.replace("&lt;x&gt;", "")  # text is escaped
    assert "example.org</a>" in html
    assert "✓" in html
    assert "案例 Case" in text and "原文" in text  # the text/plain copy holds the whole table
    assert "示例 demo" in html
    assert table.html == tables.interactive_table(frame, caption="示例 demo").html  # deterministic id


def test_interactive_table_of_an_empty_frame():
    table = tables.interactive_table(pd.DataFrame({"case": pd.Series(dtype="str")}))
    assert table.text == "(no rows)"


def test_init_interactive_tables_outside_a_notebook_is_harmless():
    assert tables.init_interactive_tables() is True
