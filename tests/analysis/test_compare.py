"""Cross-case tables of kexie_research.analysis.compare and the scope rule of analysis.scopes: small
hand-made frames for the rules, the real processed dataset for the facts the notebooks rely on."""

from __future__ import annotations

import pandas as pd
import pytest

from kexie_research.analysis import compare, scopes
from kexie_research import data
from kexie_research.errors import AnalysisError

from analysis_rows import CASE_KEYS, fact, frame, PLACES, CASES_FRAME


# ---------------------------------------------------------------------------------------------- coverage


def test_coverage_matrix_keeps_empty_dimensions_and_given_order():
    data = frame(
        fact(),
        fact(record_id="WZ-002", dimension="funding"),
        fact(record_id="RC-001", case="rongchang", dimension="funding"),
    )
    table = compare.coverage_matrix(
        data, dimensions=["funding", "organisation_building", "context"], cases=["rongchang", "wuzhou", "zunyi"]
    )
    assert list(table.columns) == ["funding", "organisation_building", "context"]
    assert list(table.index) == ["rongchang", "wuzhou", "zunyi"]
    assert table.loc["wuzhou"].tolist() == [1, 1, 0]
    assert table.loc["zunyi"].sum() == 0  # a place without facts is a row of zeros, not missing
    assert table.to_numpy().sum() == 3


def test_coverage_matrix_counts_every_real_fact(facts):
    table = compare.coverage_matrix(facts, data.load_codebook().dimensions.index, CASE_KEYS)
    assert table.to_numpy().sum() == len(facts)
    assert (table.sum(axis=1) > 0).all()


def test_missing_column_is_named():
    with pytest.raises(AnalysisError, match="dimension"):
        compare.coverage_matrix(pd.DataFrame({"case": ["wuzhou"]}))


# ---------------------------------------------------------------------------------------------- provenance


def test_provenance_summary_counts_quotes_located_by_the_build():
    data = frame(
        fact(quote_offset=12),
        fact(record_id="WZ-002", quote_offset=-1),
        fact(record_id="WZ-003", raw_text="119个", quote_offset=40),
    )
    summary = compare.provenance_summary(data).iloc[0]
    assert summary["rows"] == 3
    assert summary["with_quote"] == 3
    assert summary["quote_in_document"] == 2  # the build's quote_offset, not a second search
    assert summary["value_in_quote"] == 2  # 119个 is not in its quote


def test_provenance_of_real_data_is_complete(facts):
    summary = compare.provenance_summary(facts)
    assert (summary["with_quote"] == summary["rows"]).all()
    assert (summary["quote_in_document"] == summary["rows"]).all()
    assert (summary["value_in_quote"] == summary["rows"]).all()
    assert summary["rows"].sum() == len(facts)


def test_quarantine_summary_groups_by_check():
    quarantine = pd.DataFrame(
        {
            "source_id": ["chengdu_notes", "chengdu_notes", "zunyi_meeting"],
            "record_id": ["CD-002", "CD-004", "ZY-009"],
            "reason": [
                "chengdu_notes.csv row 3: cannot parse quantity '三大': unrecognised text",
                "chengdu_notes.csv row 5: cannot parse quantity '三大': unrecognised text",
                "zunyi_meeting.csv row 10: quote not found in document: …",
            ],
        }
    )
    summary = compare.quarantine_summary(quarantine)
    assert summary.set_index("source_id").loc["chengdu_notes", "rows"] == 2
    assert summary.set_index("source_id").loc["chengdu_notes", "records"] == "CD-002, CD-004"
    assert summary.set_index("source_id").loc["zunyi_meeting", "check"] == "quote not found in document"


def test_quarantine_summary_of_empty_table():
    empty = pd.DataFrame(columns=["source_id", "record_id", "reason"])
    summary = compare.quarantine_summary(empty)
    assert summary.empty
    assert list(summary.columns) == ["source_id", "check", "rows", "records"]


# ---------------------------------------------------------------------------------------------- comparability


def test_comparability_ignores_national_scope_and_applies_threshold():
    data = frame(
        fact(),
        fact(record_id="RC-011", case="rongchang", admin_code="500153"),
        fact(
            record_id="CD-001",
            case="chengdu",
            indicator_id="share",
            scope_level="national",
            dimension="organisation_building",
        ),
        fact(record_id="WZ-009", indicator_id="share", dimension="organisation_building"),
    )
    matrix = compare.comparability_matrix(data, min_cases=2, cases=["wuzhou", "rongchang", "chengdu"])
    assert list(matrix.index) == ["enterprise_kexie_count"]  # "share" is local in one place only
    assert matrix.loc["enterprise_kexie_count", ["wuzhou", "rongchang", "chengdu"]].tolist() == [1, 1, 0]
    assert matrix.loc["enterprise_kexie_count", "cases"] == 2
    assert compare.comparability_matrix(data, min_cases=3).empty


def test_real_harmonised_indicators(facts):
    ids = compare.harmonised_indicators(facts)
    assert {"enterprise_kexie_count", "kepu_e_station_count"} <= set(ids)


def test_own_case_facts_excludes_parts_of_a_prefecture():
    data = frame(
        fact(),
        fact(record_id="WZ-005", scope_zh="梧州市其他县（市、区）科协", scope_level="county"),
        fact(record_id="RC-011", case="rongchang", admin_code="500153", scope_level="county"),
    )
    own = scopes.own_case_facts(data, CASES_FRAME)
    assert own["record_id"].tolist() == ["WZ-001", "RC-011"]  # a district case's own level is "county"


def test_cross_case_table_on_real_data(facts, places, cases):
    table = compare.cross_case_table(facts, places, cases)
    rows = table.set_index(["indicator_id", "case"])
    assert rows.loc[("enterprise_kexie_count", "wuzhou"), "per_10k"] == pytest.approx(118 / 2_820_977 * 1e4)
    assert rows.loc[("enterprise_kexie_count", "rongchang"), "per_10k"] == pytest.approx(42 / 668_977 * 1e4)
    assert rows.loc[("kepu_e_station_count", "chengdu"), "raw_text"] == "470个"
    assert (table["population_source"].dropna().str.startswith("http")).all()
    assert table["quote"].str.len().min() > 0
    assert not table["record_id"].isin(facts.loc[facts["is_target"], "record_id"]).any()


def test_cross_case_table_keeps_latest_of_a_series():
    data = frame(
        fact(
            record_id="WZ-009", indicator_id="hearings", value=1.0, period_start="2017-01-01", period_end="2017-12-31"
        ),
        fact(
            record_id="WZ-012", indicator_id="hearings", value=4.0, period_start="2020-01-01", period_end="2020-12-31"
        ),
        fact(
            record_id="RC-001",
            case="rongchang",
            admin_code="500153",
            scope_level="county",
            indicator_id="hearings",
            value=2.0,
        ),
    )
    table = compare.cross_case_table(data, PLACES, CASES_FRAME)
    wuzhou = table.set_index("case").loc["wuzhou"]
    assert wuzhou["record_id"] == "WZ-012"
    assert wuzhou["rows"] == 2


# ---------------------------------------------------------------------------------------------- reform models


def test_reform_models_table_cites_existing_facts(facts):
    timeline = data.load_timeline()
    table = compare.reform_models_table(facts, timeline, CASE_KEYS)
    assert list(table.columns) == CASE_KEYS
    assert len(table) == 1 + len(compare.ASPECTS)
    model_row = table.iloc[0]
    assert model_row["wuzhou"] == "党建带科建; start: 2020-07-28 [WZ-2020-07-28]"
    assert model_row["liuzhou"] == "柳州市科协系统深化改革实施方案; start: 2017-09-29 [LZ-2017-09-29]"
    assert "3+1+N" in model_row["rongchang"] and "2020" in model_row["rongchang"]
    assert "成都模式" in model_row["chengdu"] and "no date in the text" in model_row["chengdu"]
    assert "year not stated" in model_row["zunyi"]
    cited = set(pd.Series(table.iloc[1:].to_numpy().ravel()).str.findall(r"[A-Z]{2}-\d{3}").sum())
    assert cited and cited <= set(facts["record_id"])
    assert "WZ-009, WZ-010, WZ-011, WZ-012" in table.iloc[1:]["wuzhou"].str.cat()  # a series stays one item


def test_reform_model_cell_marks_absence_and_targets():
    data = frame(
        fact(
            record_id="LZ-011",
            case="liuzhou",
            case_zh="柳州市",
            dimension="staffing_leadership",
            is_target=True,
            indicator_en="Staff posts cut",
            raw_text="１名",
            scope_zh="柳州市科协",
        )
    )
    table = compare.reform_models_table(data, cases=["liuzhou"])
    assert table.loc["编制与班子 Staffing", "liuzhou"] == "Staff posts cut: １名 (target 目标) [LZ-011]"
    assert table.loc["经费保障 Funding", "liuzhou"] == "—"


def test_reform_model_cell_truncates():
    rows = [fact(record_id=f"WZ-{i:03d}", indicator_id=f"i{i}", indicator_en=f"I{i}") for i in range(6)]
    cell = compare.reform_models_table(frame(*rows), cases=["wuzhou"], max_items=4).loc[
        "组织建设 Organisation", "wuzhou"
    ]
    assert cell.endswith("+2 more") and "WZ-003" in cell and "WZ-004" not in cell
