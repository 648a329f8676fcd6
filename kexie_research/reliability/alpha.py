"""Krippendorff's α of one field, and its bootstrap interval over units.

α itself comes from the maintained ``krippendorff`` package; this module only shapes the data
(coders × units, ``NaN`` for a value a coder did not give) and says when α is undefined: fewer
than one pairable unit, or a single value in the whole field (no expected disagreement, α = 0/0).

Examples
--------
Krippendorff (2011), *Computing Krippendorff's Alpha-Reliability*, p. 8: four coders, twelve
units, missing values:

>>> import numpy as np
>>> n = np.nan
>>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
...         [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
>>> round(field_alpha(data, "nominal"), 3), round(field_alpha(data, "interval"), 3)
(0.743, 0.849)
"""

from __future__ import annotations

import math
from typing import Literal, cast
from collections.abc import Sequence

import krippendorff
import numpy as np

__all__ = ["LEVELS", "bootstrap_interval", "field_alpha", "pairable_units"]

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")


def _matrix(values: Sequence[Sequence[object]] | np.ndarray, level: str) -> np.ndarray:
    if level not in LEVELS:
        raise ValueError(f"level of measurement {level!r} is not one of {', '.join(LEVELS)}")
    matrix = np.asarray(values, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"reliability data must be coders × units, got shape {matrix.shape}")
    return matrix


def pairable_units(values: Sequence[Sequence[object]] | np.ndarray) -> int:
    """Units with at least two values (the only ones α uses).

    Examples
    --------
    >>> pairable_units([[1.0, 2.0, float("nan")], [1.0, float("nan"), 3.0]])
    1
    """
    matrix = np.asarray(values, dtype=float)
    if matrix.size == 0:
        return 0
    return int((np.sum(~np.isnan(matrix), axis=0) >= 2).sum())


def field_alpha(values: Sequence[Sequence[object]] | np.ndarray, level: str) -> float:
    """Krippendorff's α of coders × units ``values`` (``NaN`` = not coded); ``NaN`` when undefined.

    Nominal values must be given as numbers (category codes); see :func:`kexie_research.reliability.agree.agree`.

    Examples
    --------
    >>> field_alpha([[1, 2, 3], [1, 2, 3]], "nominal")
    1.0
    >>> math.isnan(field_alpha([[1, 1], [1, 1]], "nominal"))  # one value only: α = 0/0
    True
    """
    matrix = _matrix(values, level)
    if pairable_units(matrix) < 1:
        return math.nan
    observed = matrix[:, np.sum(~np.isnan(matrix), axis=0) >= 2]
    if len(np.unique(observed[~np.isnan(observed)])) < 2:
        return math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        value = float(
            krippendorff.alpha(reliability_data=observed, level_of_measurement=cast(Level, level))
        )  # checked by _matrix
    return value if math.isfinite(value) else math.nan


def bootstrap_interval(
    values: Sequence[Sequence[object]] | np.ndarray,
    level: str,
    *,
    replicates: int = 1000,
    seed: int = 20240617,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of α, resampling units with replacement (deterministic per ``seed``).

    Replicates where α is undefined (a resample with a single value) are left out; ``(NaN, NaN)``
    when no replicate gives α.

    Examples
    --------
    >>> low, high = bootstrap_interval([[1, 2, 3, 1, 2, 3], [1, 2, 3, 1, 2, 1]], "nominal", replicates=200)
    >>> -1.0 <= low <= high <= 1.0
    True
    >>> bootstrap_interval([[1, 2], [1, 2]], "nominal", replicates=50) == bootstrap_interval([[1, 2], [1, 2]], "nominal", replicates=50)
    True
    """
    matrix = _matrix(values, level)
    matrix = matrix[:, np.sum(~np.isnan(matrix), axis=0) >= 2]
    units = matrix.shape[1]
    if units == 0:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    alphas = []
    for _ in range(replicates):
        sample = field_alpha(matrix[:, rng.integers(0, units, size=units)], level)
        if not math.isnan(sample):
            alphas.append(sample)
    if not alphas:
        return math.nan, math.nan
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(alphas, [tail, 100 - tail])
    return float(low), float(high)
