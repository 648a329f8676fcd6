"""The few statistics a small n allows: a log-linear growth fit within one case's series, and
exact tests on counts (Poisson rate ratios, Fisher's exact test).

Nothing here pools the cases into a regression. A growth fit describes one series (with the
caveat of 3–4 points); an exact test is a yardstick for how large a difference chance alone would
produce, not an inference about places outside the data.

Example::

    >>> fit = log_linear_growth([2017, 2018, 2019, 2020], [1, 2, 4, 4])
    >>> round(fit.growth, 2), fit.n
    (0.62, 4)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kexie_research.analysis.checks import AnalysisError
from kexie_research.analysis.qualifiers import QUALIFIER_WORDS
from kexie_research.analysis.rates import PER_10K

__all__ = [
    "ExactTest",
    "GrowthFit",
    "comparable_counts",
    "fisher_exact_2x2",
    "log_linear_growth",
    "poisson_rate_test",
    "series_halves_test",
]


@dataclass(frozen=True)
class GrowthFit:
    """A log-linear fit ``log(value) = a + b·year`` of one case's series.

    ``growth`` is the implied annual rate ``exp(b) − 1`` with its ``(1 − alpha)`` confidence interval
    from the t distribution on ``n − 2`` degrees of freedom. With 3–4 points that interval is wide and
    rests on the assumption of a constant growth rate with independent errors: read it as a
    description of the series, not as a forecast.

    Examples
    --------
    >>> fit = log_linear_growth([2017, 2018, 2019], [1, 2, 4])
    >>> round(fit.growth, 2), fit.df_resid
    (1.0, 1)
    """

    n: int
    years: tuple[int, ...]
    values: tuple[float, ...]
    slope: float
    slope_se: float
    growth: float
    ci_low: float
    ci_high: float
    alpha: float
    df_resid: int
    fitted: pd.DataFrame = field(repr=False, compare=False)

    @property
    def caveat(self) -> str:
        """What the fit does and does not say (number of points, degrees of freedom).

        Examples
        --------
        >>> "not a forecast" in log_linear_growth([2017, 2018, 2019], [1, 2, 4]).caveat
        True
        """
        return (
            f"{self.n} points, {self.df_resid} residual degree(s) of freedom: the {100 * (1 - self.alpha):.0f}% interval "
            "is wide and assumes constant growth with independent errors; a description of this series, not a forecast."
        )

    def summary(self) -> pd.DataFrame:
        """One-row table: n, years, annual growth and its interval (in percent).

        Examples
        --------
        >>> log_linear_growth([2017, 2018, 2019], [1, 2, 4]).summary()["annual growth %"].item()
        100.0
        """
        return pd.DataFrame(
            [
                {
                    "n": self.n,
                    "years": f"{min(self.years)}–{max(self.years)}",
                    "annual growth %": round(100 * self.growth, 1),
                    f"CI {100 * (1 - self.alpha):.0f}% low %": round(100 * self.ci_low, 1),
                    f"CI {100 * (1 - self.alpha):.0f}% high %": round(100 * self.ci_high, 1),
                    "caveat": self.caveat,
                }
            ]
        )


def _rate(log_slope: float) -> float:
    """Annual growth ``exp(slope) - 1``; ``inf`` where it is too large for a float (a bound, not an error).

    >>> _rate(0.0), _rate(1000.0)
    (0.0, inf)
    """
    try:
        return math.expm1(log_slope)
    except OverflowError:
        return math.inf


def log_linear_growth(years: Iterable[Any], values: Iterable[Any], alpha: float = 0.05) -> GrowthFit:
    """Fit ``log(value) ~ year`` by OLS (statsmodels) and return the annual growth with its CI.

    Needs at least 3 dated, positive values (2 points leave no degree of freedom for an interval).

        >>> fit = log_linear_growth([2017, 2018, 2019, 2020], [1, 2, 4, 4])
        >>> round(fit.growth, 2), fit.n
        (0.62, 4)
    """
    import numpy as np

    # The two pieces used, not statsmodels.api (which imports every model: ~0.25 s more per kernel).
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    pairs = [(int(y), float(v)) for y, v in zip(years, values) if not pd.isna(y) and not pd.isna(v)]
    if len(pairs) < 3:
        raise AnalysisError(f"a growth fit needs at least 3 dated values, got {len(pairs)}: {pairs}")
    if any(v <= 0 for _, v in pairs):
        raise AnalysisError(f"a log-linear fit needs positive values, got {[v for _, v in pairs]}")
    if len({y for y, _ in pairs}) < 2:
        raise AnalysisError(f"a growth fit needs at least 2 different years, got {sorted({y for y, _ in pairs})}")
    x = np.array([y for y, _ in pairs], dtype=float)
    y = np.log(np.array([v for _, v in pairs]))
    centre = x.mean()  # centring keeps the intercept interpretable and the fit well conditioned
    design = add_constant(x - centre)
    result = OLS(y, design).fit()
    low, high = result.conf_int(alpha=alpha)[1]
    grid = np.linspace(x.min(), x.max(), 25)
    prediction = result.get_prediction(add_constant(grid - centre, has_constant="add")).summary_frame(alpha=alpha)
    with np.errstate(over="ignore"):  # a band too wide for a float is inf: a bound, as for the rate
        fitted = pd.DataFrame(
            {
                "year": grid,
                "fit": np.exp(prediction["mean"].to_numpy()),
                "lower": np.exp(prediction["mean_ci_lower"].to_numpy()),
                "upper": np.exp(prediction["mean_ci_upper"].to_numpy()),
            }
        )
    slope = float(result.params[1])
    return GrowthFit(
        n=len(pairs),
        years=tuple(int(v) for v in x),
        values=tuple(float(v) for _, v in pairs),
        slope=slope,
        slope_se=float(result.bse[1]),
        growth=_rate(slope),
        ci_low=_rate(float(low)),
        ci_high=_rate(float(high)),
        alpha=alpha,
        df_resid=int(result.df_resid),
        fitted=fitted,
    )


@dataclass(frozen=True)
class ExactTest:
    """The result of an exact test on counts, with what it does and does not say.

    Examples
    --------
    >>> test = fisher_exact_2x2([[3, 1], [1, 3]])
    >>> test.test, round(test.p_value, 3)
    ("Fisher's exact test (2×2)", 0.486)
    """

    test: str
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    detail: str
    caveat: str

    def as_row(self) -> dict[str, Any]:
        """The result as one table row (rounded for display).

        Examples
        --------
        >>> poisson_rate_test(8, 2, 3, 2).as_row()["p (exact, two-sided)"]
        0.23
        """
        return {
            "test": self.test,
            "estimate": round(self.estimate, 3),
            "CI 95% low": round(self.ci_low, 3),
            "CI 95% high": round(self.ci_high, 3),
            "p (exact, two-sided)": float(f"{self.p_value:.2g}"),
            "detail": self.detail,
            "caveat": self.caveat,
        }


def poisson_rate_test(
    count_a: int, exposure_a: float, count_b: int, exposure_b: float, label_a: str = "A", label_b: str = "B"
) -> ExactTest:
    """Exact comparison of two Poisson counts (conditional binomial test) with the rate ratio a/b.

    Given the total ``count_a + count_b``, ``count_a`` is binomial with ``p = exposure_a / (exposure_a
    + exposure_b)`` if both rates are equal. The confidence interval of the rate ratio comes from the
    exact (Clopper–Pearson) interval of that binomial proportion.

        >>> round(poisson_rate_test(3, 2, 8, 2).p_value, 3)   # hearings 2017–18 vs 2019–20
        0.227
    """
    from scipy import stats

    for name, count in (("count_a", count_a), ("count_b", count_b)):
        if count < 0 or int(count) != count:
            raise AnalysisError(f"{name} must be a non-negative whole count, got {count!r}")
    if exposure_a <= 0 or exposure_b <= 0:
        raise AnalysisError(f"exposures must be positive, got {exposure_a!r} and {exposure_b!r}")
    total = int(count_a) + int(count_b)
    if total == 0:
        raise AnalysisError("both counts are zero: there is nothing to compare")
    p0 = exposure_a / (exposure_a + exposure_b)
    result = stats.binomtest(int(count_a), total, p0, alternative="two-sided")
    interval = result.proportion_ci(confidence_level=0.95, method="exact")
    factor = exposure_b / exposure_a

    def odds(p: float) -> float:
        return math.inf if p >= 1 else p / (1 - p)

    ratio = odds(count_a / total) * factor
    return ExactTest(
        test="exact Poisson rate ratio (conditional binomial)",
        estimate=ratio,
        ci_low=odds(interval.low) * factor,
        ci_high=odds(interval.high) * factor,
        p_value=float(result.pvalue),
        detail=f"{label_a}: {int(count_a)} per {exposure_a:g}; {label_b}: {int(count_b)} per {exposure_b:g}",
        caveat="Treats the counts as Poisson draws at a constant rate; a stock of organisations is not a random sample, so read this as a yardstick for how much a difference of this size could arise by chance, not as inference about a population.",
    )


def series_halves_test(frame: pd.DataFrame) -> ExactTest:
    """Exact comparison of the later half of a dated count series with the earlier half.

    ``frame`` is a :func:`series` of counts (events per year). With 1, 2, 4, 4 hearings in
    2017–2020 this compares 8 hearings in 2019–2020 with 3 in 2017–2018 (two years each).

    Examples
    --------
    >>> counts = pd.DataFrame({"year": [2017, 2018, 2019, 2020], "value": [1.0, 2.0, 4.0, 4.0]})
    >>> test = series_halves_test(counts)
    >>> test.detail, round(test.p_value, 3)
    ('2019–2020: 8 per 2; 2017–2018: 3 per 2', 0.227)
    """
    dated = frame[frame["year"].notna()]
    years = sorted(int(year) for year in dated["year"])
    if len(years) < 2 or len(set(years)) != len(years):
        raise AnalysisError(f"a halves comparison needs at least 2 distinct dated years, got {years}")
    half = len(years) // 2
    early, late = years[:half], years[-half:]  # with an odd count the middle year is left out

    def total(selected: list[int]) -> int:
        values = dated.loc[dated["year"].isin(selected), "value"]
        if not all(float(v).is_integer() for v in values):
            raise AnalysisError(f"counts must be whole numbers, got {values.tolist()}")
        return int(values.sum())

    return poisson_rate_test(
        total(late),
        len(late),
        total(early),
        len(early),
        label_a=f"{late[0]}–{late[-1]}",
        label_b=f"{early[0]}–{early[-1]}",
    )


def fisher_exact_2x2(
    table: Sequence[Sequence[int]], row_labels: Sequence[str] = ("A", "B"), col_labels: Sequence[str] = ("yes", "no")
) -> ExactTest:
    """Fisher's exact test on a 2×2 table of counts, with the conditional odds ratio's exact CI.

    >>> round(fisher_exact_2x2([[9, 5], [21, 0]]).p_value, 4)
    0.0062
    """
    from scipy import stats

    cells = [[int(v) for v in row] for row in table]
    if len(cells) != 2 or any(len(row) != 2 for row in cells):
        raise AnalysisError(f"Fisher's exact test needs a 2×2 table, got {table!r}")
    if any(v < 0 for row in cells for v in row):
        raise AnalysisError(f"counts must be non-negative, got {table!r}")
    result = stats.contingency.odds_ratio(cells, kind="conditional")
    interval = result.confidence_interval(confidence_level=0.95)
    p_value = stats.fisher_exact(cells).pvalue
    detail = "; ".join(f"{r}: {row[0]} {col_labels[0]}, {row[1]} {col_labels[1]}" for r, row in zip(row_labels, cells))
    return ExactTest(
        test="Fisher's exact test (2×2)",
        estimate=float(result.statistic),
        ci_low=float(interval.low),
        ci_high=float(interval.high),
        p_value=float(p_value),
        detail=detail,
        caveat="Conditional on the margins; with single-digit cells the interval is wide.",
    )


def comparable_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Pairs of cases for each harmonised count indicator of :func:`~kexie_research.analysis.compare.cross_case_table`, with an exact
    Poisson rate comparison per 10,000 residents (only where both values are whole counts with a
    population); ``value_note`` says where a value is a bound.

    Examples
    --------
    >>> table = pd.DataFrame({"indicator_id": ["x", "x"], "case": ["a", "b"], "unit": ["item", "item"],
    ...     "value": [10.0, 40.0], "population_2020": [100_000, 200_000], "per_10k": [1.0, 2.0],
    ...     "qualifier": ["exact", "at_least"], "raw_text": ["10个", "40多个"], "record_id": ["A-1", "B-1"]})
    >>> row = comparable_counts(table).iloc[0]
    >>> row["case_a"], row["case_b"], row["value_note"]
    ('a', 'b', 'b 40多个 is a lower bound (tested as 40)')
    """
    rows = []
    usable = table[
        table["unit"].isin({"organisation", "person", "event", "item", "household"}) & table["population_2020"].notna()
    ]
    for indicator_id, group in usable.groupby("indicator_id", sort=True):
        group = group.reset_index(drop=True)
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                a, b = group.iloc[i], group.iloc[j]
                test = poisson_rate_test(
                    int(a["value"]),
                    float(a["population_2020"]) / PER_10K,
                    int(b["value"]),
                    float(b["population_2020"]) / PER_10K,
                    label_a=str(a["case"]),
                    label_b=str(b["case"]),
                )
                bound_note = ", ".join(
                    f"{row['case']} {row['raw_text']} is {QUALIFIER_WORDS.get(row['qualifier'], row['qualifier'])} (tested as {row['value']:g})"
                    for row in (a, b)
                    if row["qualifier"] != "exact"
                )
                rows.append(
                    {
                        "indicator_id": indicator_id,
                        "case_a": a["case"],
                        "case_b": b["case"],
                        "rate_a_per_10k": round(float(a["per_10k"]), 3),
                        "rate_b_per_10k": round(float(b["per_10k"]), 3),
                        **test.as_row(),
                        "records": f"{a['record_id']}, {b['record_id']}",
                        "value_note": bound_note or "both exact",
                    }
                )
    return pd.DataFrame(rows)
