"""A message quotes a bad text whole up to 80 characters, beyond that its first 60 and its length.

The same rule in each reader that names a text: periods, quantities (one text and a column) and the
numeral lexer; each is checked at the cut (80 characters: whole) and one past it (81: shortened).
"""

from __future__ import annotations

import pandas as pd
import pytest

from kexie_research.errors import ParseError
from kexie_research.parse.numerals import NumeralError, read_date_number
from kexie_research.parse.periods import parse_period
from kexie_research.parse.quantities import parse_quantities, parse_quantity


def _expected(text: str) -> str:
    return repr(text) if len(text) <= 80 else f"{text[:60]!r}… ({len(text)} characters)"


@pytest.mark.parametrize("length", [80, 81])
def test_a_period_text_is_quoted_whole_up_to_eighty_characters(length):
    text = "甲" * length
    with pytest.raises(ParseError) as caught:
        parse_period(text)
    assert str(caught.value).startswith(f"cannot parse period {_expected(text)}: not a recognised period;")


@pytest.mark.parametrize("length", [80, 81])
def test_a_quantity_text_is_quoted_whole_up_to_eighty_characters(length):
    text = "乙" * length
    with pytest.raises(ParseError) as caught:
        parse_quantity(text)
    shown = _expected(text)
    assert str(caught.value).startswith(f"cannot parse quantity {shown}: no number found in {shown};")


@pytest.mark.parametrize("length", [80, 81])
def test_a_column_names_a_bad_text_as_one_text_alone_is_named(length):
    text = "丙" * length
    table = parse_quantities(pd.Series(["5人", text]), errors="coerce")
    assert table.loc[1, "error"].startswith(f"cannot parse quantity {_expected(text)}: no number found in")


@pytest.mark.parametrize("length", [80, 81])
def test_a_number_with_too_many_digits_is_quoted_whole_up_to_eighty_characters(length):
    token = "7" * length
    with pytest.raises(NumeralError) as caught:
        read_date_number(token)
    assert str(caught.value) == f"{_expected(token)} has more digits than a year, month, day or count"


@pytest.mark.parametrize("length", [80, 81])
def test_a_long_run_of_chinese_numerals_is_quoted_whole_up_to_eighty_characters(length):
    token = "十" * length
    with pytest.raises(NumeralError) as caught:
        read_date_number(token)
    assert str(caught.value) == f"{_expected(token)} is not a month, day or count written in Chinese numerals"
