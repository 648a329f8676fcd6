"""A synthetic sixth case (made up for the tests: a prefecture in a province none of the others is in)
goes through the cross-case functions like any other: it appears in every cross-case table, its name
and colour come from the cases table, and counts say "6 places"."""

from __future__ import annotations

import pandas as pd
import pytest

from kexie_research.analysis import compare, qca, series, timeline as tl
from kexie_research.viz import charts, labels

# SYNTHETIC: 宜昌 (湖北) is not a case of the dataset; the values below are invented for the test.
SIXTH = {
    "case": "sixth_synthetic",
    "case_zh": "宜昌",
    "case_en": "Yichang",
    "admin_code": "420500",
    "level": "prefecture",
    "province_code": "420000",
    "province_zh": "湖北省",
    "province_en": "Hubei",
    "model_zh": "",
    "model_en": "",
    "colour": "#56B4E9",
    "population": pd.NA,
    "population_source": "",
    "source_ids": "sixth_synthetic_news",
}


def sixth_facts() -> pd.DataFrame:
    base = {
        "source_id": "sixth_synthetic_news",
        "case": "sixth_synthetic",
        "case_zh": "宜昌",
        "province": "Hubei",
        "scope_zh": "宜昌市",
        "scope_level": "city",
        "admin_code": "420500",
        "place_zh": "宜昌市",
        "dimension": "organisation_building",
        "period_text": None,
        "period_start": None,
        "period_end": None,
        "is_target": False,
        "low": None,
        "high": None,
        "qualifier": "exact",
        "quote_offset": 0,
        "note": None,
    }
    rows = [
        {
            **base,
            "record_id": "SX-001",
            "indicator_id": "enterprise_kexie_count",
            "indicator_zh": "企业科协数",
            "indicator_en": "Enterprise kexie organisations",
            "raw_text": "50个",
            "value": 50.0,
            "unit": "organisation",
            "quote": "全市已建企业科协50个",
        },
        {
            **base,
            "record_id": "SX-002",
            "indicator_id": "township_kexie_count",
            "indicator_zh": "乡镇（街道）科协数",
            "indicator_en": "Township/sub-district kexie organisations",
            "raw_text": "80个",
            "value": 80.0,
            "unit": "organisation",
            "quote": "建立乡镇（街道）科协80个",
        },
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module", autouse=True)
def project_theme():
    from kexie_research.viz import theme

    theme.use_project_theme()


@pytest.fixture(scope="module")
def six(facts, cases, places):
    all_facts = pd.concat([facts, sixth_facts()], ignore_index=True)
    all_cases = pd.concat([cases, pd.DataFrame([SIXTH])], ignore_index=True)
    all_places = pd.concat(
        [
            places,
            pd.DataFrame(
                [
                    {
                        "admin_code": "420500",
                        "name_zh": "宜昌市",
                        "level": "prefecture",
                        "population_2020": pd.NA,
                        "source_population": "",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    return all_facts, all_cases, all_places


def test_sixth_case_in_coverage_and_comparability(six):
    facts, cases, _ = six
    coverage = compare.coverage_matrix(facts, cases=cases)
    assert list(coverage.index)[-1] == "sixth_synthetic" and len(coverage) == 6
    assert coverage.loc["sixth_synthetic", "organisation_building"] == 2
    matrix = compare.comparability_matrix(facts, cases=cases)
    assert matrix.loc["enterprise_kexie_count", "sixth_synthetic"] == 1
    assert matrix.loc["enterprise_kexie_count", "cases"] == 3


def test_sixth_case_in_the_cross_case_table_without_a_population(six):
    facts, cases, places = six
    table = compare.cross_case_table(facts, places, cases)
    row = table.set_index(["indicator_id", "case"]).loc[("enterprise_kexie_count", "sixth_synthetic")]
    assert row["raw_text"] == "50个" and row["record_id"] == "SX-001"
    assert pd.isna(row["population_2020"]) and pd.isna(row["per_10k"])  # "population not available", no crash


def test_sixth_case_in_the_reform_models_and_timeline(six, cases):
    facts, cases6, _ = six
    from kexie_research import data

    models = compare.reform_models_table(facts, data.load_timeline(), cases6)
    assert list(models.columns)[-1] == "sixth_synthetic"
    assert "SX-001" in models.loc["组织建设 Organisation", "sixth_synthetic"]


def test_sixth_case_colour_name_and_counts_come_from_the_cases_table(six):
    facts, cases, places = six
    assert charts.case_colours(cases, ["sixth_synthetic"]) == ["#56B4E9"]
    assert labels.case_label("sixth_synthetic", cases) in ("宜昌 Yichang", "Yichang")
    assert labels.count_phrase(len(cases), "place") == "6 places"
    table = compare.cross_case_table(facts, places, cases)
    fig = charts.rate_chart(table, cases, "t", "s")
    assert any("places" in text.get_text() for text in fig.texts)
    import matplotlib.colors as mcolors
    import matplotlib.pyplot as plt

    panel = next(
        ax for ax in fig.axes if any(t.get_text().startswith(("宜昌", "Yichang")) for t in ax.get_xticklabels())
    )
    names = [t.get_text() for t in panel.get_xticklabels()]
    bar = panel.patches[next(i for i, n in enumerate(names) if "Yichang" in n)]
    assert mcolors.to_hex(bar.get_facecolor()) == "#56b4e9"
    plt.close(fig)


def test_timeline_chart_gives_every_case_a_lane(six):
    _, cases, _ = six
    from kexie_research import data

    events = tl.timeline_table(data.load_timeline())
    fig = charts.timeline_chart(events, cases, "t", "s")
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(ticks) == 1 + 6 and ticks[-1] in ("宜昌 Yichang", "Yichang")
    assert any("6 places" in text.get_text() for text in fig.texts)
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_series_of_the_sixth_case_is_empty_not_an_error(six):
    facts, cases, _ = six
    assert series.series_candidates(facts, "sixth_synthetic", cases=cases) == []


def test_qca_leaves_the_unknown_sixth_case_out_and_names_it():
    data = pd.DataFrame(
        {"PLED": [1, 1, 0, None], "FUND": [0, 1, 1, None], "COVER": [1, 1, 0, None]},
        index=["a", "b", "c", "sixth_synthetic"],
    )
    notes = pd.DataFrame(
        {"case": ["sixth_synthetic"], "label": ["COVER"], "note": ["added by kexie add-source: not coded yet"]}
    )
    left_out = qca.cases_left_out(data, "COVER", ["PLED", "FUND"], notes=notes)
    assert left_out["case"].tolist() == ["sixth_synthetic"]
    assert left_out["reason"].iloc[0] == "outcome COVER unknown; condition(s) PLED, FUND unknown"
    assert "not coded yet" in left_out["notes"].iloc[0]
    tt = qca.truth_table(data, "COVER", ["PLED", "FUND"])
    assert "sixth_synthetic" not in tt.data.index  # an unknown stays unknown: never filled with 0
    assert tt.dropped["case"].tolist() == ["sixth_synthetic"]
    solution = qca.minimize(tt, include_remainders=True)
    assert solution.expressions  # the analysis runs on the complete cases
