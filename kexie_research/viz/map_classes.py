"""Class breaks and value texts of choropleth and symbol maps (natural breaks, qualifier signs, 万元).

Examples
--------
>>> from kexie_research.viz.map_classes import class_breaks
>>> class_breaks([1.0, 2.0])
([1.0, 2.0], ['1', '2'])
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd


def class_breaks(values: Iterable[float], k: int = 3) -> tuple[list[float], list[str]]:
    """Class upper bounds and legend labels (mapclassify natural breaks).

    With ``k`` or fewer distinct values each value is its own class (no invented ranges for n = 2).

    Examples
    --------
    >>> class_breaks([1.0, 2.0])
    ([1.0, 2.0], ['1', '2'])
    """
    import mapclassify

    data = np.asarray([v for v in values if pd.notna(v)], dtype=float)
    if data.size == 0:
        return [], []
    unique = np.unique(data)
    if unique.size <= k:
        return [float(b) for b in unique], [_fmt(b) for b in unique]
    bins = [float(b) for b in mapclassify.NaturalBreaks(data, k=k).bins]
    labels = [f"{_fmt(data.min())}–{_fmt(bins[0])}"] + [
        f"{_fmt(low)}–{_fmt(high)}" for low, high in itertools.pairwise(bins)
    ]
    return bins, labels


def _fmt(value: float) -> str:
    """Readable numbers for labels: 7,110 rather than 7.11e+03; 0.418 stays 0.418."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def classify(value: float, bins: list[float]) -> int:
    """The class of ``value`` among classes with upper bounds ``bins`` (the last class takes the rest).

    Examples
    --------
    >>> classify(5.0, [1.0, 10.0, 20.0]), classify(99.0, [1.0, 10.0])
    (1, 1)
    """
    for index, upper in enumerate(bins):
        if value <= upper + 1e-12:
            return index
    return len(bins) - 1


def rate_text(row: Any) -> str:
    """``"≥0.106"``: a rate per 10,000 with the qualifier of the text's figure.

    Examples
    --------
    >>> import pandas as pd
    >>> rate_text(pd.Series({"rate_per_10k": 0.1064, "qualifier": "at_least"}))
    '≥0.106'
    >>> rate_text(pd.Series({"rate_per_10k": 0.4183, "qualifier": "exact"}))
    '0.418'
    """
    sign = {"at_least": "≥", "at_most": "≤", "approx": "≈"}.get(row.qualifier, "")
    return f"{sign}{_fmt(row.rate_per_10k)}"


def value_formatter(unit: str):
    """A formatter for stated values of ``unit`` (yuan are written in 万元, as the texts do).

    Examples
    --------
    >>> value_formatter("CNY")(205200.0), value_formatter("organisation")(12.0)
    ('20.52万元', '12')
    """
    if unit == "CNY":
        return lambda value: f"{value / 1e4:g}万元"
    return lambda value: f"{value:g}"
