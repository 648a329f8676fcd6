"""One case's tables (kexie_research.analysis.profile) on hand-made rows and the real data."""

from __future__ import annotations

import pytest

from kexie_research.analysis import profile, series
from kexie_research import data
from kexie_research.errors import AnalysisError

from analysis_rows import fact, frame


# ---------------------------------------------------------------------------------------------- one place


def test_case_facts_ordered_by_dimension_with_quotes(facts):
    codebook = data.load_codebook()
    table = profile.case_facts(facts, "wuzhou", codebook.dimensions)
    assert len(table) == (facts["case"] == "wuzhou").sum()
    order = list(codebook.dimensions.index)
    positions = [order.index(d) for d in table["dimension"].astype(str)]
    assert positions == sorted(positions)
    assert table["quote"].str.len().min() > 0
    assert table["dimension_label"].iloc[0].startswith(codebook.dimensions.loc[table["dimension"].iloc[0], "zh"])


def test_case_facts_unknown_case_lists_valid(facts):
    with pytest.raises(AnalysisError, match="wuzhou"):
        profile.case_facts(facts, "guangzhou")


def test_targets_vs_achievements_pairs_baseline_and_target(facts):
    liuzhou = profile.targets_vs_achievements(facts, "liuzhou").set_index("target_record")
    row = liuzhou.loc["LZ-002"]  # 70％以上 against the 58％ of the plan's date
    assert row["reported_records"] == "LZ-001"
    assert row["gap"] == pytest.approx(12.0)
    rongchang = profile.targets_vs_achievements(facts, "rongchang").set_index("target_record").loc["RC-022"]
    assert rongchang["reported"] == "人均2元"  # the latest dated value, not 几年前's 0.6元
    assert rongchang["gap"] == pytest.approx(3.5)


def test_targets_without_reported_value():
    data = frame(fact(record_id="LZ-016", is_target=True, indicator_id="museum", unit="square_metre"))
    row = profile.targets_vs_achievements(data).iloc[0]
    assert row["reported"] is None and row["gap"] is None


def test_series_and_breakdown_candidates(facts):
    assert series.series_candidates(facts, "wuzhou") == ["party_committee_kexie_hearings"]
    assert series.series_candidates(facts, "rongchang") == ["science_popularisation_funding_per_capita"]
    assert profile.breakdown_candidates(facts, "wuzhou") == ["kexie_annual_work_budget"]
    assert profile.breakdown_candidates(facts, "rongchang") == []  # a district has no counties below it


def test_wuzhou_budget_breakdown(facts):
    b = profile.county_breakdown(facts, "wuzhou", "kexie_annual_work_budget")
    assert b["raw_text"].tolist()[:3] == ["51万元", "26万元", "20.52万元"]
    assert b.set_index("record_id").loc["WZ-005", "bound"] == "≤"
    assert set(b["period_text"]) == {"2020年"}
