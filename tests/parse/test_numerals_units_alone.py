"""Chinese numerals whose units stand alone: at the start of a token a bare unit means one of it.

Each unit of the lexer (十 百 千 万 亿) is checked at position 0 (one of it), after a zero (万 and 亿
without a number are refused) and after a large unit without a digit (百 and 千 need one, 十 does
not: 一万十 is 10,010).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kexie_research.parse.numerals import NumeralError, read_chinese_integer, variants


@pytest.mark.parametrize(
    ("token", "value"),
    [("十", 10), ("百", 100), ("千", 1000), ("万", 10**4), ("亿", 10**8), ("万亿", 10**12), ("亿五", 150_000_000)],
)
def test_a_unit_at_the_start_of_a_token_means_one_of_it(token, value):
    assert read_chinese_integer(token) == Decimal(value)


@pytest.mark.parametrize("unit", ["万", "亿"])
def test_a_large_unit_after_a_zero_has_no_number_and_is_refused(unit):
    with pytest.raises(NumeralError, match=f"{unit} without a number"):
        read_chinese_integer(f"零{unit}")


@pytest.mark.parametrize(("token", "unit"), [("一万千", "千"), ("一万百", "百"), ("一亿千", "千")])
def test_a_small_unit_after_a_large_one_needs_its_digit(token, unit):
    with pytest.raises(NumeralError, match=f"{unit} without a digit"):
        read_chinese_integer(token)


@pytest.mark.parametrize(("token", "value"), [("一万十", 10_010), ("一亿十", 100_100_000)])
def test_ten_after_a_large_unit_needs_no_digit(token, value):
    assert read_chinese_integer(token) == Decimal(value)


@pytest.mark.parametrize(
    ("word", "spelling"),
    [
        ("为", "爲"),  # OpenCC s2t only
        ("里", "裡"),  # s2tw only
        ("说", "説"),  # s2hk only
    ],
)
def test_variants_hold_the_spelling_of_each_traditional_standard(word, spelling):
    assert spelling in variants([word])
