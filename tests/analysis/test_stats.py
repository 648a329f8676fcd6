"""Small-n statistics (kexie_research.analysis.stats): growth fits and exact tests."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from scipy import stats

from kexie_research.analysis import compare, series, stats as stats_
from kexie_research.errors import AnalysisError


def test_comparable_counts_flags_bounds(facts, places, cases):
    tests = stats_.comparable_counts(compare.cross_case_table(facts, places, cases))
    assert {"enterprise_kexie_count", "kepu_e_station_count"} <= set(tests["indicator_id"])
    pairs = tests.set_index("indicator_id")
    assert pairs.loc["enterprise_kexie_count", "records"] in ("RC-011, WZ-021", "WZ-021, RC-011")
    estations = pairs.loc["kepu_e_station_count"]
    assert "lower bound" in estations["value_note"]  # 30多个
    assert 0 <= estations["p (exact, two-sided)"] <= 1


# ---------------------------------------------------------------------------------------------- statistics


def test_growth_fit_recovers_exact_doubling():
    fit = stats_.log_linear_growth([2017, 2018, 2019, 2020], [1, 2, 4, 8])
    assert fit.growth == pytest.approx(1.0)
    assert fit.ci_low == pytest.approx(1.0, abs=1e-6) and fit.ci_high == pytest.approx(1.0, abs=1e-6)
    assert fit.n == 4 and fit.df_resid == 2


def test_growth_fit_of_values_spanning_the_float_range_bounds_the_interval_instead_of_crashing():
    fit = stats_.log_linear_growth([2017, 2018, 2019], [1e-300, 1e300, 1e300])
    assert fit.growth > 1e100 and fit.ci_high == math.inf and fit.n == 3


def test_growth_fit_of_wuzhou_hearings(facts):
    s = series.series(facts, "party_committee_kexie_hearings", case="wuzhou", achieved_only=True)
    fit = stats_.log_linear_growth(s["year"], s["value"])
    slope = stats.linregress([2017, 2018, 2019, 2020], [math.log(v) for v in (1, 2, 4, 4)]).slope
    assert fit.growth == pytest.approx(math.expm1(slope))
    assert fit.ci_low < fit.growth < fit.ci_high
    assert fit.ci_low < 0 < fit.ci_high  # 4 points: the interval includes no growth
    assert "4 points" in fit.caveat and "not a forecast" in fit.caveat
    assert fit.summary()["n"].item() == 4
    assert (fit.fitted["lower"] <= fit.fitted["fit"]).all() and (fit.fitted["fit"] <= fit.fitted["upper"]).all()


@pytest.mark.parametrize(
    ("years", "values", "message"),
    [
        ([2018, 2019], [1, 2], "at least 3"),
        ([2018, 2019, 2020], [1, 0, 2], "positive"),
        ([2018, 2018, 2018], [1, 2, 3], "different years"),
    ],
)
def test_growth_fit_refuses_unusable_series(years, values, message):
    with pytest.raises(AnalysisError, match=message):
        stats_.log_linear_growth(years, values)


def test_poisson_rate_test_matches_binomial():
    test = stats_.poisson_rate_test(8, 2, 3, 2)
    assert test.p_value == pytest.approx(stats.binomtest(8, 11, 0.5).pvalue)
    assert test.estimate == pytest.approx(8 / 3)
    assert test.ci_low < test.estimate < test.ci_high
    flipped = stats_.poisson_rate_test(3, 2, 8, 2)
    assert flipped.p_value == pytest.approx(test.p_value)
    assert flipped.estimate == pytest.approx(3 / 8)


def test_poisson_rate_test_uses_exposures():
    test = stats_.poisson_rate_test(42, 66.8977, 118, 282.0977)
    assert test.p_value == pytest.approx(stats.binomtest(42, 160, 66.8977 / (66.8977 + 282.0977)).pvalue)
    assert test.estimate == pytest.approx((42 / 66.8977) / (118 / 282.0977))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 1, 2, 1), "non-negative"),
        ((1.5, 1, 2, 1), "whole"),
        ((1, 0, 2, 1), "positive"),
        ((0, 1, 0, 1), "both counts are zero"),
    ],
)
def test_poisson_rate_test_errors(args, message):
    with pytest.raises(AnalysisError, match=message):
        stats_.poisson_rate_test(*args)


def test_fisher_exact_matches_scipy_and_checks_shape():
    test = stats_.fisher_exact_2x2([[9, 5], [21, 0]], row_labels=("Zunyi", "Rongchang"))
    assert test.p_value == pytest.approx(stats.fisher_exact([[9, 5], [21, 0]]).pvalue)
    assert "Zunyi: 9 yes, 5 no" in test.detail
    with pytest.raises(AnalysisError, match="2×2"):
        stats_.fisher_exact_2x2([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(AnalysisError, match="non-negative"):
        stats_.fisher_exact_2x2([[1, -2], [4, 5]])


def test_series_halves_test_on_wuzhou_hearings(facts):
    s = series.series(facts, "party_committee_kexie_hearings", case="wuzhou", achieved_only=True)
    test = stats_.series_halves_test(s)
    assert test.detail == "2019–2020: 8 per 2; 2017–2018: 3 per 2"
    assert test.p_value == pytest.approx(stats.binomtest(8, 11, 0.5).pvalue)


def test_series_halves_test_odd_length_and_errors():
    s = pd.DataFrame({"year": pd.array([2017, 2018, 2019], dtype="Int64"), "value": [1.0, 5.0, 3.0]})
    assert (
        stats_.series_halves_test(s).detail == "2019–2019: 3 per 1; 2017–2017: 1 per 1"
    )  # the middle year is left out
    with pytest.raises(AnalysisError, match="whole numbers"):
        stats_.series_halves_test(s.assign(value=[1.5, 2.0, 3.0]))
    with pytest.raises(AnalysisError, match="distinct dated years"):
        stats_.series_halves_test(s.head(1))
