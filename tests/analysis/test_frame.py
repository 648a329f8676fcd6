"""Frame comparisons and series on any data: hypothesis-generated datasets and the failure paths."""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from kexie_research.analysis import frame as fr
from kexie_research.analysis import series, stats
from kexie_research.analysis.scopes import case_scope_level
from tests.support.generated_dataset import datasets

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _compare(data, window=1, status="achieved"):
    codebook = data["codebook"]
    return fr.frame_comparison(
        data["indicators"],
        codebook.indicators,
        codebook.frame,
        data["cases"],
        data["places"],
        data["documents"],
        window=window,
        status=status,
    )


@SETTINGS
@given(datasets())
def test_frame_comparison_pairs_like_with_like_on_any_dataset(data):
    for status in ("achieved", "target"):
        result = _compare(data, status=status)
        table = result.table
        # one value per place and frame indicator, at least two places per frame indicator compared
        assert not table.duplicated(["frame", "case"]).any()
        assert (table.groupby("frame")["case"].nunique() >= 2).all()
        # same period or the nearest within the stated window; targets apart from achievements
        assert (table["year_gap"].astype(int) <= result.window).all()
        assert (table["is_target"].astype(bool) == (status == "target")).all()
        assert (table.groupby("frame")["reference_year"].nunique() == 1).all()
        # a mapped indicator has the frame's unit; rates only for counts and money, with a cited population
        assert (table["unit"] == table["frame"].map(data["codebook"].frame["unit"])).all()
        rated = table[table["per_10k"].notna()]
        assert rated["unit"].isin(fr.RATE_UNITS).all() and (rated["population_source"].str.len() > 0).all()
        # nothing silently dropped: every own-place fact of a frame indicator is compared, listed or unstated
        accounted = set(table.record_id) | set(result.listed.record_id)
        own = data["indicators"].merge(data["cases"][["case", "admin_code", "level"]], on=["case", "admin_code"])
        own = own[own["is_target"] == (status == "target")]
        own = own[own["scope_level"] == own["level"].map(case_scope_level)]
        mapped = own[own["indicator_id"].map(data["codebook"].indicators["frame"]) != "none"]
        assert set(mapped.record_id) <= accounted
        # every listed value has a reason naming its record
        named = ", ".join(result.not_compared.record_ids)
        assert all(record in named for record in result.listed.record_id)
        # the caption counts exactly the places drawn
        text = fr.caption(table)
        if table.empty:
            assert text == "no place with a value"
        else:
            assert text.startswith(f"{table['case'].nunique()} place")
            assert all(source in text for source in set(table.source_id))


@SETTINGS
@given(datasets(max_places=8, max_facts=40))
def test_a_series_is_fitted_only_with_distinct_years_and_never_crashes(data):
    facts, cases = data["indicators"], data["cases"]
    for case in cases["case"]:
        for indicator_id in series.series_candidates(facts, case, cases=cases):
            s = series.series(facts, indicator_id, case=case, achieved_only=True, cases=cases)
            dated = s[s["year"].notna()]
            ok, why = series.fit_plan(dated)
            if ok:
                fit = stats.log_linear_growth(dated["year"], dated["value"])  # never an AnalysisError
                assert fit is not None
            else:
                assert why
            assert not dated["year"].duplicated().any() or not ok


@SETTINGS
@given(datasets(max_places=30, max_facts=30))
def test_coverage_and_reasons_on_any_dataset(data):
    codebook = data["codebook"]
    coverage = fr.frame_coverage(data["indicators"], codebook.indicators, codebook.frame, data["cases"])
    assert list(coverage.columns) == list(data["cases"]["case"]) and list(coverage.index) == list(codebook.frame.index)
    result = _compare(data)
    text = fr.not_compared_text(result, dict(zip(data["cases"]["case"], data["cases"]["case_zh"])))
    assert text == "Every value of a frame indicator was compared." or text.count("\n") + 1 == len(result.not_compared)


def test_several_values_of_one_year_are_listed_not_fitted():
    facts = pd.DataFrame(
        {
            "case": ["a"] * 3,
            "indicator_id": ["x"] * 3,
            "scope_level": ["city"] * 3,
            "admin_code": ["1"] * 3,
            "period_text": ["2023年"] * 3,
            "period_start": ["2023-01-01"] * 3,
            "period_end": ["2023-12-31"] * 3,
            "is_target": [False] * 3,
            "value": [1.0, 2.0, 3.0],
            "record_id": ["A-1", "A-2", "A-3"],
        }
    )
    s = series.series(facts, "x", case="a")
    assert series.series_candidates(facts, "a") == []  # one distinct year is no series
    assert series.fit_plan(s) == (False, "several values in 2023: listed, not fitted")


def test_benchmarks_are_drawn_only_for_the_years_compared():
    from kexie_research import data

    bench = data.load_national_benchmarks()
    assert fr.benchmark_lines(bench, "kepu_funding_per_capita", [2019]).value.tolist() == [4.7]
    assert fr.benchmark_lines(bench, "kepu_funding_per_capita", [2016]).empty
    assert fr.benchmark_lines(bench, "kexie_staff_posts", [2019]).empty


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"status": "both"}, "status must be"), ({"window": -1}, "window must be")]
)
def test_bad_arguments_are_named(kwargs, message):
    facts = pd.DataFrame(columns=list(fr.FACT_COLUMNS))
    cases = pd.DataFrame({"case": ["a"], "admin_code": ["1"], "level": ["prefecture"]})
    with pytest.raises(ValueError, match=message):
        fr.frame_comparison(facts, pd.DataFrame({"frame": []}), pd.DataFrame({"unit": []}), cases, **kwargs)


def test_missing_columns_are_named():
    from kexie_research.analysis.checks import AnalysisError

    with pytest.raises(AnalysisError, match="frame_comparison"):
        fr.frame_comparison(pd.DataFrame({"case": []}), pd.DataFrame(), pd.DataFrame(), pd.DataFrame())


@SETTINGS
@given(datasets())
def test_undated_values_are_compared_apart_from_dated_ones_on_any_dataset(data):
    codebook = data["codebook"]
    for status in ("achieved", "target"):
        dated = _compare(data, status=status)
        undated = fr.undated_comparison(
            data["indicators"],
            codebook.indicators,
            codebook.frame,
            data["cases"],
            data["places"],
            data["documents"],
            dated=dated,
            status=status,
        )
        table = undated.table
        # never mixed: no record drawn in both groups, and every undated row states no dated period
        assert not set(table.record_id) & set(dated.table.record_id)
        by_record = data["indicators"].set_index("record_id")
        assert fr.period_not_stated(by_record.loc[list(table.record_id)]).all()
        assert table["period"].str.startswith(fr.NOT_STATED).all() and table["year"].isna().all()
        # one value per place and frame indicator, at least two places, targets apart
        assert not table.duplicated(["frame", "case"]).any()
        assert (table.groupby("frame")["case"].nunique() >= 2).all()
        assert (table["is_target"].astype(bool) == (status == "target")).all()
        # every listed value has a reason naming its record
        named = ", ".join(undated.not_compared.record_ids)
        assert all(record in named for record in undated.listed.record_id)
        # the caption counts exactly the places drawn, names their sources and says the periods may differ
        text = fr.undated_caption(table)
        if table.empty:
            assert text == "no place with a value"
        else:
            assert text.startswith(f"{table['case'].nunique()} place")
            assert "periods not stated in the documents and may differ" in text
            assert all(source in text for source in set(table.source_id))


def _undated_facts(**changes):
    facts = pd.DataFrame(
        {
            "case": ["a", "b", "b"],
            "admin_code": ["1", "2", "2"],
            "scope_level": ["city"] * 3,
            "indicator_id": ["x"] * 3,
            "is_target": [False] * 3,
            "value": [3.0, 5.0, 6.0],
            "raw_text": ["3个", "5个", "6个"],
            "qualifier": ["exact"] * 3,
            "period_text": [None, "目前", None],
            "period_start": [None, None, "2019-01-01"],
            "period_end": [None, None, "2019-12-31"],
            "record_id": ["A-1", "B-1", "B-2"],
            "source_id": ["sa", "sb", "sb"],
            "quote": ["q"] * 3,
        }
    )
    return facts.assign(**changes)


CODEBOOK = pd.DataFrame({"id": ["x"], "frame": ["f"]}).set_index("id", drop=False)
FRAME = pd.DataFrame({"id": ["f"], "zh": ["甲"], "en": ["F"], "unit": ["organisation"]}).set_index("id", drop=False)
CASES = pd.DataFrame({"case": ["a", "b"], "admin_code": ["1", "2"], "level": ["prefecture"] * 2})


def test_a_dated_value_never_enters_the_undated_group():
    result = fr.undated_comparison(_undated_facts(), CODEBOOK, FRAME, CASES)
    assert result.table.record_id.tolist() == ["A-1", "B-1"]
    assert result.table.period.tolist() == ["not stated", "not stated (目前)"]
    assert "B-2" not in set(result.listed.record_id)


def test_several_undated_values_of_a_place_are_listed_not_drawn():
    facts = _undated_facts(period_start=[None] * 3, period_end=[None] * 3)
    result = fr.undated_comparison(facts, CODEBOOK, FRAME, CASES)
    assert result.table.empty
    assert result.not_compared.reason.tolist() == [
        "several values, period not stated: listed, not compared",
        "1 place(s) with one value whose period is not stated; a comparison needs 2",
    ]
    assert set(result.listed.record_id) == {"A-1", "B-1", "B-2"}


def test_a_value_drawn_by_the_dated_comparison_is_not_drawn_again():
    facts = _undated_facts()
    documents = pd.DataFrame({"source_id": ["sa", "sb"], "reference_date": ["2019-06-30", ""]})
    dated = fr.frame_comparison(facts, CODEBOOK, FRAME, CASES, documents=documents)
    assert set(dated.table.record_id) == {"A-1", "B-2"}  # A-1 took its document's reference year
    undated = fr.undated_comparison(facts, CODEBOOK, FRAME, CASES, documents=documents, dated=dated)
    assert undated.table.empty and undated.listed.record_id.tolist() == ["B-1"]


def test_undated_comparison_names_bad_arguments():
    with pytest.raises(ValueError, match="status must be"):
        fr.undated_comparison(_undated_facts(), CODEBOOK, FRAME, CASES, status="both")
    from kexie_research.analysis.checks import AnalysisError

    with pytest.raises(AnalysisError, match="undated_comparison"):
        fr.undated_comparison(pd.DataFrame({"case": []}), CODEBOOK, FRAME, CASES)
