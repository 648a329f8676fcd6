"""Rates per 10,000 residents: which units can be rated, and the join with the places' populations.

A population comes from :func:`kexie_research.data.load_places` (the 2020 census, each with the
source it was read from). A place without one keeps ``per_10k`` empty ("population not
available"); nothing is estimated.

Example::

    >>> round(per_10k(118, 2_820_977), 3)
    0.418
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from kexie_research.analysis.checks import require_columns

__all__ = ["PER_10K", "RATE_UNITS", "attach_population", "per_10k"]

PER_10K = 10_000

# Units for which "per 10,000 residents" is a meaningful rate. Shares, percentages, per-capita money,
# durations and areas are already normalised or are not counts of anything residents "have".
RATE_UNITS = frozenset({"organisation", "person", "event", "item", "household", "CNY"})


def per_10k(value: Any, population: Any, per: int = PER_10K) -> Any:
    """``value`` per ``per`` residents; NA where the population is missing or zero.

    Works on scalars and on aligned Series.

    Examples
    --------
    >>> round(per_10k(118, 2_820_977), 3)
    0.418
    >>> per_10k(5, None) is pd.NA
    True
    >>> per_10k(pd.Series([10, 10]), pd.Series([1000, None])).tolist()
    [100.0, <NA>]
    """
    if isinstance(value, pd.Series) or isinstance(population, pd.Series):
        population = pd.to_numeric(pd.Series(population), errors="coerce").astype("Float64")
        population = population.where(population > 0)
        return pd.to_numeric(pd.Series(value), errors="coerce").astype("Float64") / population * per
    if (
        population is None
        or population is pd.NA
        or (isinstance(population, float) and math.isnan(population))
        or population <= 0
    ):
        return pd.NA
    return float(value) / float(population) * per


def attach_population(indicators: pd.DataFrame, places: pd.DataFrame, per: int = PER_10K) -> pd.DataFrame:
    """Add ``population_2020``, ``population_source`` and ``per_10k`` (for count-like units only).

    Populations are joined on the fact's ``admin_code``; ``per_10k`` stays NA where the unit is not
    a count (percent, yuan per resident …) or the place has no population.

    Examples
    --------
    >>> facts = pd.DataFrame({"admin_code": ["1", "2"], "value": [10.0, 5.0], "unit": ["person", "percent"]})
    >>> places = pd.DataFrame({"admin_code": ["1", "2"], "population_2020": [1000, 2000],
    ...                        "source_population": ["u1", "u2"]})
    >>> attach_population(facts, places)["per_10k"].tolist()
    [100.0, <NA>]
    """
    require_columns(indicators, ("admin_code", "value", "unit"), "attach_population")
    require_columns(places, ("admin_code", "population_2020", "source_population"), "attach_population(places)")
    lookup = places.drop_duplicates("admin_code").set_index("admin_code")[["population_2020", "source_population"]]
    merged = indicators.join(lookup, on="admin_code").rename(columns={"source_population": "population_source"})
    rates = per_10k(merged["value"].reset_index(drop=True), merged["population_2020"].reset_index(drop=True), per=per)
    rates.index = merged.index
    merged["per_10k"] = rates.where(merged["unit"].isin(RATE_UNITS))
    return merged
