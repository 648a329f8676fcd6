"""Every word and form of the vectorised grammar is read by the vectorised path itself, as one text alone reads.

A column of 64 distinct texts or more is read with Arrow for the dominant forms
(``[qualifier] [人均|人平] number [多|余] [multiplier] [多|余] [classifier] [suffix qualifier]`` and
ranges of Arabic numbers); a text that path leaves goes through the full grammar. A planted bug that
makes the vectorised path leave a text it should read, or read it wrong, is invisible to a comparison
of the column with the per-text reader when the per-text reader then reads it; so each form here is
checked twice: the vectorised path takes it, and its reading equals :func:`parse_quantity`'s.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kexie_research.errors import ParseError
from kexie_research.parse import quantities
from kexie_research.parse.quantities import (
    CLASSIFIER_UNITS,
    PREFIX_QUALIFIERS,
    SUFFIX_QUALIFIERS,
    parse_quantities,
    parse_quantity,
)

#: 64 plain counts that carry a column of a few forms onto the vectorised path
_FILLER = [f"{n}个" for n in range(1000, 1064)]

FORMS = [
    *(f"{word}5人" for word in PREFIX_QUALIFIERS),
    *(f"5人{word}" for word in SUFFIX_QUALIFIERS),
    *(f"3{multiplier}元" for multiplier in quantities._MULTIPLIERS),
    # a classifier holding a digit (m2, km2) ends the number's digits: not of the vectorised grammar
    *(f"7{cls}" for cls in CLASSIFIER_UNITS if cls != "%" and not any(ch.isdigit() for ch in cls)),
    "12%",
    "人均5.5元",
    "人平1,200元",
    "300多人",
    "300余人",
    "3万多元",
    "3多万元",
    "1,234,567.5元",
    "0.000001亿元",
]

RANGES = [
    "0-5万人",  # the multiplier written once after the upper end serves both ends
    "0至3亿元",
    "3-5万人",
    "3万-5万人",
    "1.5-2万元",
    "2,000-3,000人",
    "10-20个",
    "10个-20个",
    "0-50%",
    "5~8千万元",
    "5～8年",
    "5—8人",
    "5——8人",
    "5到8家",
    "5-5人",  # both ends equal: a range of one value
    "3千-5万人",  # each end its own multiplier
    "5千万-1亿元",
    "10-20",  # no classifier: a plain number
    "3-5万",
    "3名-5人",  # two classifiers of one unit (person)
]

#: ranges the full grammar refuses (or reads otherwise): the vectorised path must leave each of them
REFUSED_RANGES = [
    "3万-5人",  # a multiplier on the lower end only
    "3万-5千人",  # the lower end exceeds the upper
    "3个-5",  # a classifier on the lower end only
    "3个-5元",  # two units
    "3个-5家",  # … count and organisations
    "5-3人",  # the lower end exceeds the upper
    "1万-50000人",  # a multiplier on the lower end only, though the ends are in order
    "3abc-5人",  # words after the lower end outside the grammar
    "3-5人abc",  # … after the upper end
]


def _fast_readings(texts: list[str]) -> dict[str, tuple]:
    column = np.array([*texts, *_FILLER], dtype=object)
    found = quantities._parse_fast(column)
    assert found is not None
    positions, columns = found
    return {column[p]: tuple(c[i] for c in columns) for i, p in enumerate(positions.tolist())}


def _reading(text: str) -> tuple:
    q = parse_quantity(text)
    return (q.value, q.low, q.high, q.unit, q.qualifier, q.classifier)


def _same(a: tuple, b: tuple) -> bool:
    return all((x == y) or (isinstance(x, float) and np.isnan(x) and np.isnan(y)) for x, y in zip(a, b))


@pytest.mark.parametrize("text", FORMS + RANGES)
def test_the_vectorised_path_reads_each_form_itself_as_one_text_alone_reads(text):
    readings = _fast_readings([text])
    assert text in readings, f"{text} left to the per-text reader"
    assert _same(readings[text], _reading(text)), (readings[text], _reading(text))


@pytest.mark.parametrize("text", REFUSED_RANGES)
def test_the_vectorised_path_leaves_a_range_it_cannot_read_to_the_full_grammar(text):
    assert text not in _fast_readings(REFUSED_RANGES)
    table = parse_quantities(pd.Series([*REFUSED_RANGES, *_FILLER], dtype="str"), errors="coerce")
    row = REFUSED_RANGES.index(text)
    try:
        expected = _reading(text)
    except ParseError as exc:
        assert table.loc[row, "error"] == str(exc)
    else:
        got = tuple(table.loc[row, c] for c in ("value", "low", "high", "unit", "qualifier", "classifier"))
        assert _same(got, expected)


def test_a_column_of_every_form_reads_each_as_one_text_alone_reads():
    texts = FORMS + RANGES
    table = parse_quantities(pd.Series(texts + _FILLER, dtype="str"))
    for row, text in enumerate(texts):
        got = tuple(table.loc[row, c] for c in ("value", "low", "high", "unit", "qualifier", "classifier"))
        assert _same(got, _reading(text)), text
        assert table.loc[row, "raw"] == text and table.loc[row, "noun"] == ""


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [("0-5万人", 0.0, 50_000.0, "person"), ("0至3亿元", 0.0, 3e8, "CNY"), ("0-2千万元", 0.0, 2e7, "CNY")],
)
def test_a_range_from_zero_scales_its_upper_end_by_the_multiplier_after_it(text, low, high, unit):
    table = parse_quantities(pd.Series([text, *_FILLER], dtype="str"))
    assert (table.loc[0, "low"], table.loc[0, "high"], table.loc[0, "unit"]) == (low, high, unit)


def test_the_text_columns_hold_plain_python_strings_on_both_paths():
    # NumPy's str_ prints differently (np.str_('人')) in a message or a repr of a row
    texts = FORMS + RANGES
    table = parse_quantities(pd.Series(texts + _FILLER, dtype="str"))
    for column in ("unit", "qualifier", "raw", "classifier", "noun"):
        kinds = {type(value) for value in table[column]}
        assert kinds == {str}, (column, kinds)
