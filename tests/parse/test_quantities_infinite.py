"""A range with one infinite bound is refused, alone and in a batch (issue 21, item 6)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kexie_research.errors import ParseError
from kexie_research.parse.quantities import parse_quantities, parse_quantity
from kexie_research.steps.row_checks import non_finite

HUGE = "9" * 400  # a float overflows past about 1.8e308


@pytest.mark.parametrize("text", [f"1-{HUGE}人", f"{HUGE}-1人", f"1—{HUGE}万元", f"{HUGE}人以上"])
def test_a_range_or_bound_past_the_largest_float_is_refused_by_name(text):
    with pytest.raises(ParseError, match="is too large to be a finite value"):
        parse_quantity(text)


def test_a_batch_refuses_only_the_row_with_an_infinite_bound():
    parsed = parse_quantities(pd.Series([f"1-{HUGE}人", "3-5人"]), errors="coerce")
    assert parsed["error"].iloc[0].startswith("cannot parse quantity '1-999")
    assert pd.isna(parsed["error"].iloc[1])
    assert (parsed["low"].iloc[1], parsed["high"].iloc[1]) == (3.0, 5.0)


@pytest.mark.parametrize(
    ("value", "low", "high", "shown"),
    [
        (1.0, 1.0, math.inf, "inf"),  # only the upper bound is infinite
        (1.0, -math.inf, 5.0, "-inf"),  # only the lower bound is infinite
        (math.nan, math.nan, math.nan, "nan"),
        (math.inf, 1.0, math.inf, "inf"),
    ],
)
def test_a_quantity_with_one_infinite_bound_is_refused_naming_that_bound(value, low, high, shown):
    assert non_finite("x", value, low, high) == f"raw_text 'x' reads as a non-finite value ({shown})"


def test_a_finite_range_with_missing_bounds_is_accepted():
    assert non_finite("3个", 3.0, math.nan, math.nan) is None
    assert non_finite("3-5个", 3.0, 3.0, 5.0) is None
