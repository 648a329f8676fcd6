"""Reader-facing tables (kexie_research.viz.tables): headers, numbers, static and interactive tables."""

from __future__ import annotations

import pandas as pd

from kexie_research.viz import tables


def test_bilingual_headers_and_number_format():
    renamed = tables.bilingual_headers(pd.DataFrame(columns=["quote", "case", "other"]), {"other": "其他 Other"})
    assert list(renamed.columns) == ["原文 Quote", "案例 Case", "其他 Other"]
    assert tables.format_number(30.0, "at_least") == "≥30"
    assert tables.format_number(20000.0, "approx") == "≈20,000"
    assert tables.format_number(float("nan")) == "–"


def test_report_table_escapes_text_and_links_urls():
    frame = pd.DataFrame({"quote": ["<b>不是标签</b>"], "population_source": ["https://example.org/a/b"], "n": [12345]})
    html = tables.report_table(frame).to_html()
    assert "&lt;b&gt;不是标签&lt;/b&gt;" in html
    assert '<a href="https://example.org/a/b">example.org</a>' in html
    assert "12,345" in html
    assert html == tables.report_table(frame).to_html()  # stable ids: same data, same HTML


def test_interactive_table_is_offline_searchable_and_carries_a_text_copy():
    frame = pd.DataFrame(
        {
            "case": ["a", "b"],
            "value": [1.5, 20.0],
            "quote": ["<x> 原文", "https://example.org/p"],
            "is_target": [True, False],
        }
    )
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


HOSTILE = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", '"><svg onload=alert(1)>']


def test_report_table_escapes_headers_and_index_labels_as_well_as_cells():
    frame = pd.DataFrame(
        {HOSTILE[0]: [HOSTILE[1]], "quote": [HOSTILE[2]]}, index=pd.Index([HOSTILE[2]], name=HOSTILE[1])
    )
    html = tables.report_table(frame, index=True).to_html()
    assert "<img" not in html and "<script" not in html and "<svg" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;svg" in html
    extra = tables.report_table(pd.DataFrame({"x": [1]}), {"x": HOSTILE[0]}).to_html()
    assert "<img" not in extra


def test_interactive_table_escapes_headers_and_caption():
    frame = pd.DataFrame({HOSTILE[0]: ["a"], "value": [1.0]})
    html = tables.interactive_table(frame, caption=HOSTILE[1]).html
    assert "<img" not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_numbers_are_for_reading():
    frame = pd.DataFrame(
        {
            "value": [510000.0, 2820977.0, float("nan"), 0.41834],
            "quote_offset": [150.0, 12345.0, 1.0, 2.0],
            "year": [2017, 2018, 2019, 2020],
        }
    )
    html = tables.report_table(frame).to_html()
    for shown in ("510,000", "2,820,977", "–", "0.418", ">150<", ">12345<", ">2017<"):
        assert shown in html, shown
    for wrong in ("e+0", "NaN", "150.0", "2,017", "<NA>"):
        assert wrong not in html, wrong
    assert tables.format_cell(pd.NA) == "–" and tables.format_cell(1e-9) == "< 0.001"
    assert tables.format_cell(123456789.0) == "123,456,789" and tables.format_cell(1234.5678) == "1,235"


def test_interactive_table_sorts_numbers_as_numbers_and_sorts_on_a_header_click():
    html = tables.interactive_table(
        pd.DataFrame({"value": [510000.0, 2.0], "offset": [1.0, None], "quote": ["a", "b"]})
    ).html
    dt_args = html[html.index("let dt_args") :]
    assert '"text_in_header_can_be_selected": true' not in dt_args  # itables' default makes only the arrow sort
    assert "510,000" in dt_args and "NaN" not in html.replace("isNaN(", "") and "510000.0" not in html
    assert dt_args.count('"render": "function (data, type)') == 1 and '"targets": [0, 1]' in dt_args
