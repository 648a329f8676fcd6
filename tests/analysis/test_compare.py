"""Comparison helpers of kexie_research.analysis.compare: small hand-made frames for the rules, the real
processed dataset for the facts the notebooks rely on."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

import kexie_research as kr
from kexie_research.analysis import compare as an
from kexie_research.errors import ProvenanceError

CITIES = ["wuzhou", "rongchang", "chengdu", "liuzhou", "zunyi"]


def fact(**overrides):
    """One processed row with harmless defaults."""
    row = {
        "record_id": "WZ-001", "source_id": "wuzhou_article", "city": "wuzhou", "city_zh": "梧州市", "province": "Guangxi",
        "scope_zh": "梧州市", "scope_level": "city", "admin_code": "450400", "place_zh": "梧州市",
        "indicator_id": "enterprise_kexie_count", "indicator_zh": "企业科协数", "indicator_en": "Enterprise kexie organisations",
        "dimension": "organisation_building", "period_text": None, "period_start": None, "period_end": None,
        "is_target": False, "raw_text": "118个", "value": 118.0, "low": None, "high": None, "unit": "organisation",
        "qualifier": "exact", "quote": "现有企业科协组织118个", "note": None,
    }
    row.update(overrides)
    return row


def frame(*rows):
    return pd.DataFrame(list(rows))


PLACES = pd.DataFrame({
    "admin_code": ["450400", "450422", "500153", "510100"],
    "level": ["prefecture", "county", "district", "prefecture"],
    "population_2020": pd.array([2_820_977, pd.NA, 668_977, 20_937_757], dtype="Int64"),
    "source_population": ["https://example.org/wz", "", "https://example.org/rc", "https://example.org/cd"],
})
CODES = {"wuzhou": "450400", "rongchang": "500153", "chengdu": "510100"}


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return kr.load_indicators()


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    return kr.load_places()


# ---------------------------------------------------------------------------------------------- coverage


def test_coverage_matrix_keeps_empty_dimensions_and_given_order():
    data = frame(fact(), fact(record_id="WZ-002", dimension="funding"), fact(record_id="RC-001", city="rongchang", dimension="funding"))
    table = an.coverage_matrix(data, dimensions=["funding", "organisation_building", "context"], cities=["rongchang", "wuzhou", "zunyi"])
    assert list(table.columns) == ["funding", "organisation_building", "context"]
    assert list(table.index) == ["rongchang", "wuzhou", "zunyi"]
    assert table.loc["wuzhou"].tolist() == [1, 1, 0]
    assert table.loc["zunyi"].sum() == 0  # a place without facts is a row of zeros, not missing
    assert table.to_numpy().sum() == 3


def test_coverage_matrix_counts_every_real_fact(facts):
    table = an.coverage_matrix(facts, kr.load_codebook().dimensions.index, CITIES)
    assert table.to_numpy().sum() == len(facts)
    assert (table.sum(axis=1) > 0).all()


def test_missing_column_is_named():
    with pytest.raises(an.AnalysisError, match="dimension"):
        an.coverage_matrix(pd.DataFrame({"city": ["wuzhou"]}))


# ---------------------------------------------------------------------------------------------- provenance


def test_provenance_summary_checks_quotes_against_documents():
    documents = pd.DataFrame({"source_id": ["wuzhou_article"], "text": ["现有企业科协\n组织118个，成为广西"]})
    data = frame(fact(), fact(record_id="WZ-002", quote="不在文中的句子118个"), fact(record_id="WZ-003", raw_text="119个"))
    summary = an.provenance_summary(data, documents).iloc[0]
    assert summary["rows"] == 3
    assert summary["with_quote"] == 3
    assert summary["quote_in_document"] == 2  # line breaks are removed before matching
    assert summary["value_in_quote"] == 2  # 119个 is not in its quote


def test_provenance_of_real_data_is_complete(facts):
    summary = an.provenance_summary(facts, kr.load_documents())
    assert (summary["with_quote"] == summary["rows"]).all()
    assert (summary["quote_in_document"] == summary["rows"]).all()
    assert (summary["value_in_quote"] == summary["rows"]).all()
    assert summary["rows"].sum() == len(facts)


def test_quarantine_summary_groups_by_check():
    quarantine = pd.DataFrame({
        "source_id": ["chengdu_notes", "chengdu_notes", "zunyi_meeting"],
        "record_id": ["CD-002", "CD-004", "ZY-009"],
        "reason": [
            "chengdu_notes.csv row 3: cannot parse quantity '三大': unrecognised text",
            "chengdu_notes.csv row 5: cannot parse quantity '三大': unrecognised text",
            "zunyi_meeting.csv row 10: quote not found in document: …",
        ],
    })
    summary = an.quarantine_summary(quarantine)
    assert summary.set_index("source_id").loc["chengdu_notes", "rows"] == 2
    assert summary.set_index("source_id").loc["chengdu_notes", "records"] == "CD-002, CD-004"
    assert summary.set_index("source_id").loc["zunyi_meeting", "check"] == "quote not found in document"


def test_quarantine_summary_of_empty_table():
    empty = pd.DataFrame(columns=["source_id", "record_id", "reason"])
    summary = an.quarantine_summary(empty)
    assert summary.empty
    assert list(summary.columns) == ["source_id", "check", "rows", "records"]


# ---------------------------------------------------------------------------------------------- comparability


def test_comparability_ignores_national_scope_and_applies_threshold():
    data = frame(
        fact(),
        fact(record_id="RC-011", city="rongchang", admin_code="500153"),
        fact(record_id="CD-001", city="chengdu", indicator_id="share", scope_level="national", dimension="organisation_building"),
        fact(record_id="WZ-009", indicator_id="share", dimension="organisation_building"),
    )
    matrix = an.comparability_matrix(data, min_places=2, cities=["wuzhou", "rongchang", "chengdu"])
    assert list(matrix.index) == ["enterprise_kexie_count"]  # "share" is local in one place only
    assert matrix.loc["enterprise_kexie_count", ["wuzhou", "rongchang", "chengdu"]].tolist() == [1, 1, 0]
    assert matrix.loc["enterprise_kexie_count", "places"] == 2
    assert an.comparability_matrix(data, min_places=3).empty


def test_real_harmonised_indicators(facts):
    ids = an.harmonised_indicators(facts)
    assert {"enterprise_kexie_count", "kepu_e_station_count"} <= set(ids)


# ---------------------------------------------------------------------------------------------- rates


def test_per_10k_scalar_and_missing_population():
    assert an.per_10k(118, 2_820_977) == pytest.approx(0.41830, abs=1e-4)
    assert an.per_10k(5, 0) is pd.NA
    assert an.per_10k(5, pd.NA) is pd.NA
    assert an.per_10k(5, float("nan")) is pd.NA


def test_per_10k_series():
    rates = an.per_10k(pd.Series([118.0, 42.0, 3.0]), pd.Series([2_820_977, 668_977, None]))
    assert rates.iloc[1] == pytest.approx(0.62782, abs=1e-4)
    assert pd.isna(rates.iloc[2])


def test_attach_population_only_rates_counts():
    data = frame(fact(), fact(record_id="WZ-008", unit="percent", value=58.0), fact(record_id="WZ-003", admin_code="450422"))
    joined = an.attach_population(data, PLACES)
    assert joined["per_10k"].iloc[0] == pytest.approx(0.41830, abs=1e-4)
    assert pd.isna(joined["per_10k"].iloc[1])  # percent: not a count
    assert pd.isna(joined["per_10k"].iloc[2])  # county without a verified population
    assert joined["population_source"].iloc[0] == "https://example.org/wz"


def test_own_place_facts_excludes_parts_of_a_prefecture():
    data = frame(
        fact(),
        fact(record_id="WZ-005", scope_zh="梧州市其他县（市、区）科协", scope_level="county"),
        fact(record_id="RC-011", city="rongchang", admin_code="500153", scope_level="county"),
    )
    own = an.own_place_facts(data, PLACES, CODES)
    assert own["record_id"].tolist() == ["WZ-001", "RC-011"]  # a district case's own level is "county"


def test_cross_city_table_on_real_data(facts, places):
    table = an.cross_city_table(facts, places)
    rows = table.set_index(["indicator_id", "city"])
    assert rows.loc[("enterprise_kexie_count", "wuzhou"), "per_10k"] == pytest.approx(118 / 2_820_977 * 1e4)
    assert rows.loc[("enterprise_kexie_count", "rongchang"), "per_10k"] == pytest.approx(42 / 668_977 * 1e4)
    assert rows.loc[("kepu_e_station_count", "chengdu"), "raw_text"] == "470个"
    assert (table["population_source"].str.startswith("http")).all()
    assert table["quote"].str.len().min() > 0
    assert not table["record_id"].isin(facts.loc[facts["is_target"], "record_id"]).any()


def test_cross_city_table_keeps_latest_of_a_series():
    data = frame(
        fact(record_id="WZ-009", indicator_id="hearings", value=1.0, period_start="2017-01-01", period_end="2017-12-31"),
        fact(record_id="WZ-012", indicator_id="hearings", value=4.0, period_start="2020-01-01", period_end="2020-12-31"),
        fact(record_id="RC-001", city="rongchang", admin_code="500153", scope_level="county", indicator_id="hearings", value=2.0),
    )
    table = an.cross_city_table(data, PLACES, codes=CODES)
    wuzhou = table.set_index("city").loc["wuzhou"]
    assert wuzhou["record_id"] == "WZ-012"
    assert wuzhou["rows"] == 2


def test_comparable_counts_flags_bounds(facts, places):
    tests = an.comparable_counts(an.cross_city_table(facts, places))
    assert {"enterprise_kexie_count", "kepu_e_station_count"} <= set(tests["indicator_id"])
    pairs = tests.set_index("indicator_id")
    assert pairs.loc["enterprise_kexie_count", "records"] in ("RC-011, WZ-021", "WZ-021, RC-011")
    estations = pairs.loc["kepu_e_station_count"]
    assert "lower bound" in estations["value_note"]  # 30多个
    assert 0 <= estations["p (exact, two-sided)"] <= 1


# ---------------------------------------------------------------------------------------------- one place


def test_city_facts_ordered_by_dimension_with_quotes(facts):
    codebook = kr.load_codebook()
    table = an.city_facts(facts, "wuzhou", codebook.dimensions)
    assert len(table) == (facts["city"] == "wuzhou").sum()
    order = list(codebook.dimensions.index)
    positions = [order.index(d) for d in table["dimension"].astype(str)]
    assert positions == sorted(positions)
    assert table["quote"].str.len().min() > 0
    assert table["dimension_label"].iloc[0].startswith(codebook.dimensions.loc[table["dimension"].iloc[0], "zh"])


def test_city_facts_unknown_city_lists_valid(facts):
    with pytest.raises(an.AnalysisError, match="wuzhou"):
        an.city_facts(facts, "guangzhou")


def test_targets_vs_achievements_pairs_baseline_and_target(facts):
    liuzhou = an.targets_vs_achievements(facts, "liuzhou").set_index("target_record")
    row = liuzhou.loc["LZ-002"]  # 70％以上 against the 58％ of the plan's date
    assert row["reported_records"] == "LZ-001"
    assert row["gap"] == pytest.approx(12.0)
    rongchang = an.targets_vs_achievements(facts, "rongchang").set_index("target_record").loc["RC-022"]
    assert rongchang["reported"] == "人均2元"  # the latest dated value, not 几年前's 0.6元
    assert rongchang["gap"] == pytest.approx(3.5)


def test_targets_without_reported_value():
    data = frame(fact(record_id="LZ-016", is_target=True, indicator_id="museum", unit="square_metre"))
    row = an.targets_vs_achievements(data).iloc[0]
    assert row["reported"] is None and row["gap"] is None


def test_wuzhou_hearings_series(facts):
    s = an.series(facts, "party_committee_kexie_hearings", city="wuzhou", achieved_only=True)
    assert s["year"].tolist() == [2017, 2018, 2019, 2020]
    assert s["value"].tolist() == [1.0, 2.0, 4.0, 4.0]
    assert s["quote"].str.contains("分别为1次、2次、4次、4次").all()


def test_rongchang_funding_series_keeps_undated_value_first(facts):
    s = an.series(facts, "science_popularisation_funding_per_capita", city="rongchang")
    assert s["value"].tolist() == [0.6, 2.0, 5.5]
    assert pd.isna(s["year"].iloc[0]) and s["label"].iloc[0].startswith("几年前")
    assert s["is_target"].tolist() == [False, False, True]
    assert s["year"].iloc[2] == 2021


def test_series_and_breakdown_candidates(facts):
    assert an.series_candidates(facts, "wuzhou") == ["party_committee_kexie_hearings"]
    assert an.series_candidates(facts, "rongchang") == ["science_popularisation_funding_per_capita"]
    assert an.breakdown_candidates(facts, "wuzhou") == ["kexie_annual_work_budget"]
    assert an.breakdown_candidates(facts, "rongchang") == []  # a district has no counties below it


def test_wuzhou_budget_breakdown(facts):
    b = an.county_breakdown(facts, "wuzhou", "kexie_annual_work_budget")
    assert b["raw_text"].tolist()[:3] == ["51万元", "26万元", "20.52万元"]
    assert b.set_index("record_id").loc["WZ-005", "bound"] == "≤"
    assert set(b["period_text"]) == {"2020年"}


# ---------------------------------------------------------------------------------------------- timeline

TIMELINE_HEADER = ",".join(an.TIMELINE_COLUMNS)


def write_timeline(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([TIMELINE_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


GOOD_ROW = "E1,wuzhou,city,pilot_listing,2020-07-28,day,2020年7月28日,,,事件,Event,党建带科建,model,wuzhou_article,2020年7月28日“党建带科建”试点,"
TEXTS = {"wuzhou_article": "2020年7月28日\n“党建带科建”试点，被列入"}


def test_real_timeline_is_verified_and_ordered():
    timeline = an.load_timeline()
    table = an.timeline_table(timeline)
    by_id = table.set_index("event_id")
    assert by_id.loc["LZ-2017-09-29", "when"] == "2017-09-29"
    assert by_id.loc["WZ-2020-07-28", "when"] == "2020-07-28"
    assert by_id.loc["CN-2018-3P1", "when"].startswith("2018")
    assert by_id.loc["RC-2020", "when"].startswith("2020")
    assert by_id.loc["ZY-0617", "when"] == "6月17日 — year not stated"
    assert by_id.loc["CD-MODEL", "when"] == "no date in the text"
    order = table["event_id"].tolist()
    assert order.index("CN-2018-3P1") < order.index("ZY-0617")  # Zunyi's meeting follows the 2018 notice
    assert order.index("LZ-2017-09-29") < order.index("CN-2018-3P1") < order.index("RC-2020") < order.index("WZ-2020-07-28")
    assert set(timeline["city"]) - {""} == set(CITIES)


def test_timeline_accepts_a_good_row(tmp_path):
    timeline = an.load_timeline(write_timeline(tmp_path / "t.csv", GOOD_ROW), texts=TEXTS)
    assert timeline["event_id"].tolist() == ["E1"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (GOOD_ROW.replace("2020-07-28,day", "2020-07,day"), "does not match precision"),
        (GOOD_ROW.replace("2020-07-28,day,2020年7月28日,", "2020,year,2020年,"), "date_note"),
        (GOOD_ROW.replace(",day,", ",week,"), "date_precision"),
        (GOOD_ROW.replace("党建带科建,model", "党建带群建,model"), "model_zh"),
        (GOOD_ROW.replace("2020年7月28日“党建带科建”试点,", ","), "empty quote"),
        (GOOD_ROW.replace("wuzhou_article,", "nowhere,"), "unknown source_id"),
    ],
)
def test_timeline_row_errors_name_the_row(tmp_path, row, message):
    path = write_timeline(tmp_path / "t.csv", row)
    with pytest.raises(an.AnalysisError, match=message) as excinfo:
        an.load_timeline(path, texts=TEXTS)
    assert "row 2 (E1)" in str(excinfo.value)


def test_timeline_quote_must_be_in_document(tmp_path):
    path = write_timeline(tmp_path / "t.csv", GOOD_ROW.replace("2020年7月28日“党建带科建”试点,", "2020年7月28日“党建带科建”改革,").replace("党建带科建,model", ",model"))
    with pytest.raises(ProvenanceError, match="quote not found"):
        an.load_timeline(path, texts=TEXTS)


def test_timeline_duplicate_and_missing_columns(tmp_path):
    with pytest.raises(an.AnalysisError, match="listed twice"):
        an.load_timeline(write_timeline(tmp_path / "d.csv", GOOD_ROW, GOOD_ROW), texts=TEXTS)
    (tmp_path / "m.csv").write_text("event_id,city\nE1,wuzhou\n", encoding="utf-8")
    with pytest.raises(an.AnalysisError, match="missing column"):
        an.load_timeline(tmp_path / "m.csv", texts=TEXTS)


# ---------------------------------------------------------------------------------------------- reform models


def test_reform_models_table_cites_existing_facts(facts):
    timeline = an.load_timeline()
    table = an.reform_models_table(facts, timeline, CITIES)
    assert list(table.columns) == CITIES
    assert len(table) == 1 + len(an.ASPECTS)
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
    data = frame(fact(record_id="LZ-011", city="liuzhou", city_zh="柳州市", dimension="staffing_leadership", is_target=True,
                      indicator_en="Staff posts cut", raw_text="１名", scope_zh="柳州市科协"))
    table = an.reform_models_table(data, cities=["liuzhou"])
    assert table.loc["编制与班子 Staffing", "liuzhou"] == "Staff posts cut: １名 (target 目标) [LZ-011]"
    assert table.loc["经费保障 Funding", "liuzhou"] == "—"


def test_reform_model_cell_truncates():
    rows = [fact(record_id=f"WZ-{i:03d}", indicator_id=f"i{i}", indicator_en=f"I{i}") for i in range(6)]
    cell = an.reform_models_table(frame(*rows), cities=["wuzhou"], max_items=4).loc["组织建设 Organisation", "wuzhou"]
    assert cell.endswith("+2 more") and "WZ-003" in cell and "WZ-004" not in cell


# ---------------------------------------------------------------------------------------------- statistics


def test_growth_fit_recovers_exact_doubling():
    fit = an.log_linear_growth([2017, 2018, 2019, 2020], [1, 2, 4, 8])
    assert fit.growth == pytest.approx(1.0)
    assert fit.ci_low == pytest.approx(1.0, abs=1e-6) and fit.ci_high == pytest.approx(1.0, abs=1e-6)
    assert fit.n == 4 and fit.df_resid == 2


def test_growth_fit_of_wuzhou_hearings(facts):
    s = an.series(facts, "party_committee_kexie_hearings", city="wuzhou", achieved_only=True)
    fit = an.log_linear_growth(s["year"], s["value"])
    slope = stats.linregress([2017, 2018, 2019, 2020], [math.log(v) for v in (1, 2, 4, 4)]).slope
    assert fit.growth == pytest.approx(math.expm1(slope))
    assert fit.ci_low < fit.growth < fit.ci_high
    assert fit.ci_low < 0 < fit.ci_high  # 4 points: the interval includes no growth
    assert "4 points" in fit.caveat and "not a forecast" in fit.caveat
    assert fit.summary()["n"].item() == 4
    assert (fit.fitted["lower"] <= fit.fitted["fit"]).all() and (fit.fitted["fit"] <= fit.fitted["upper"]).all()


@pytest.mark.parametrize(
    ("years", "values", "message"),
    [([2018, 2019], [1, 2], "at least 3"), ([2018, 2019, 2020], [1, 0, 2], "positive"), ([2018, 2018, 2018], [1, 2, 3], "different years")],
)
def test_growth_fit_refuses_unusable_series(years, values, message):
    with pytest.raises(an.AnalysisError, match=message):
        an.log_linear_growth(years, values)


def test_poisson_rate_test_matches_binomial():
    test = an.poisson_rate_test(8, 2, 3, 2)
    assert test.p_value == pytest.approx(stats.binomtest(8, 11, 0.5).pvalue)
    assert test.estimate == pytest.approx(8 / 3)
    assert test.ci_low < test.estimate < test.ci_high
    flipped = an.poisson_rate_test(3, 2, 8, 2)
    assert flipped.p_value == pytest.approx(test.p_value)
    assert flipped.estimate == pytest.approx(3 / 8)


def test_poisson_rate_test_uses_exposures():
    test = an.poisson_rate_test(42, 66.8977, 118, 282.0977)
    assert test.p_value == pytest.approx(stats.binomtest(42, 160, 66.8977 / (66.8977 + 282.0977)).pvalue)
    assert test.estimate == pytest.approx((42 / 66.8977) / (118 / 282.0977))


@pytest.mark.parametrize(("args", "message"), [((-1, 1, 2, 1), "non-negative"), ((1.5, 1, 2, 1), "whole"), ((1, 0, 2, 1), "positive"), ((0, 1, 0, 1), "both counts are zero")])
def test_poisson_rate_test_errors(args, message):
    with pytest.raises(an.AnalysisError, match=message):
        an.poisson_rate_test(*args)


def test_fisher_exact_matches_scipy_and_checks_shape():
    test = an.fisher_exact_2x2([[9, 5], [21, 0]], row_labels=("Zunyi", "Rongchang"))
    assert test.p_value == pytest.approx(stats.fisher_exact([[9, 5], [21, 0]]).pvalue)
    assert "Zunyi: 9 yes, 5 no" in test.detail
    with pytest.raises(an.AnalysisError, match="2×2"):
        an.fisher_exact_2x2([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(an.AnalysisError, match="non-negative"):
        an.fisher_exact_2x2([[1, -2], [4, 5]])


def test_bilingual_headers_and_number_format():
    renamed = an.bilingual_headers(pd.DataFrame(columns=["quote", "other"]), {"other": "其他 Other"})
    assert list(renamed.columns) == ["原文 Quote", "其他 Other"]
    assert an.format_number(30.0, "at_least") == "≥30"
    assert an.format_number(20000.0, "approx") == "≈20,000"
    assert an.format_number(float("nan")) == "—"


def test_series_halves_test_on_wuzhou_hearings(facts):
    s = an.series(facts, "party_committee_kexie_hearings", city="wuzhou", achieved_only=True)
    test = an.series_halves_test(s)
    assert test.detail == "2019–2020: 8 per 2; 2017–2018: 3 per 2"
    assert test.p_value == pytest.approx(stats.binomtest(8, 11, 0.5).pvalue)


def test_series_halves_test_odd_length_and_errors():
    s = pd.DataFrame({"year": pd.array([2017, 2018, 2019], dtype="Int64"), "value": [1.0, 5.0, 3.0]})
    assert an.series_halves_test(s).detail == "2019–2019: 3 per 1; 2017–2017: 1 per 1"  # the middle year is left out
    with pytest.raises(an.AnalysisError, match="whole numbers"):
        an.series_halves_test(s.assign(value=[1.5, 2.0, 3.0]))
    with pytest.raises(an.AnalysisError, match="distinct dated years"):
        an.series_halves_test(s.head(1))
