"""Quantity reading details a planted bug would change (``make mutation``), each with its own example.

The column reader has a vectorised path for columns of 64 texts or more; it must give what the
per-text reader gives, down to the missing bounds (NaN, float) and a column holding one text only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kexie_research.errors import ParseError
from kexie_research.parse import quantities
from kexie_research.parse.quantities import parse_quantities, parse_quantity


@pytest.mark.parametrize(("text", "words"), [("超过约3-5人", "超过约"), ("至少约3-5人", "至少约")])
def test_a_range_with_two_qualifier_words_names_both_as_written(text, words):
    with pytest.raises(ParseError, match=f"a range cannot carry the qualifier '{words}'"):
        parse_quantity(text)


def test_a_long_column_has_float_bounds_missing_as_nan_like_one_text_at_a_time():
    texts = ["5人", "至少3人", "10人以下", "约200人"] * 16  # 64 texts: the vectorised path
    table = parse_quantities(pd.Series(texts))
    for column in ("low", "high", "value"):
        assert table[column].dtype == np.float64, column
    assert table.loc[0, ["value", "low", "high"]].tolist()[0] == 5.0
    assert np.isnan(table.loc[0, "low"]) and np.isnan(table.loc[0, "high"])
    assert table.loc[1, "low"] == 3.0 and np.isnan(table.loc[1, "high"])
    assert np.isnan(table.loc[2, "low"]) and table.loc[2, "high"] == 10.0
    for row, text in enumerate(texts[:4]):
        one = parse_quantity(text)
        assert (table.loc[row, "value"], table.loc[row, "qualifier"]) == (one.value, one.qualifier)


def test_a_long_column_with_one_text_among_empty_cells_is_read_by_the_vectorised_path():
    texts = np.array([None] * 63 + ["5人"], dtype=object)
    fast = quantities._parse_fast(texts)
    assert fast is not None
    positions, (value, low, high, unit, qualifier, classifier) = fast
    assert positions.tolist() == [63] and value.tolist() == [5.0]
    assert (unit.tolist(), qualifier.tolist(), classifier.tolist()) == (["person"], ["exact"], ["人"])
    assert low.dtype == high.dtype == np.float64 and np.isnan(low[0]) and np.isnan(high[0])


@pytest.mark.parametrize("text", ["十几元五角", "三四元五角", "数十元5角"])
def test_an_approximate_number_of_yuan_with_jiao_is_refused_saying_why(text):
    with pytest.raises(ParseError, match="an approximate numeral with 角/分"):
        parse_quantity(text)
