"""The shared lexer of numerals and dates (kexie_research.parse.numerals) and that its users share it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.parse import numerals, periods, quantities
from kexie_research.parse.numerals import (
    ARABIC,
    ARABIC_IN_TEXT,
    DATE,
    NumeralError,
    alternation,
    normalise,
    read_chinese_integer,
    read_date_number,
    strip_pinyin,
    variants,
)


@pytest.mark.parametrize(
    ("token", "value"),
    [("一万五", 15000), ("一百零五", 105), ("十二", 12), ("三亿四千二百", 342_000_000), ("万", 10_000)],
)
def test_read_chinese_integer(token: str, value: int) -> None:
    assert read_chinese_integer(token) == Decimal(value)


@pytest.mark.parametrize(
    ("token", "reason"), [("十十", "out of order"), ("一一", "two digits"), ("〇一", "bare digits"), ("五x", "'x'")]
)
def test_read_chinese_integer_refuses(token: str, reason: str) -> None:
    with pytest.raises(NumeralError, match=reason):
        read_chinese_integer(token)


@pytest.mark.parametrize(
    ("token", "value"), [("2021", 2021), ("二〇二一", 2021), ("二零二一", 2021), ("十二", 12), ("07", 7)]
)
def test_read_date_number(token: str, value: int) -> None:
    assert read_date_number(token) == value


@pytest.mark.parametrize(
    ("token", "reason"), [("20211", "more digits than a year"), ("一二三四五", "not a month, day or count")]
)
def test_read_date_number_refuses(token: str, reason: str) -> None:
    with pytest.raises(NumeralError, match=reason):
        read_date_number(token)


def test_normalise_and_pinyin() -> None:
    assert normalise("１０ 月 １８ 日") == "10月18日"
    assert normalise("數（shù）十萬") == "數十萬"
    assert strip_pinyin("5个县(市、区)") == "5个县(市、区)"  # a bracketed alternative is no gloss
    assert strip_pinyin("3(A)类") == "3(A)类"  # nor an upper-case letter


def test_variants_and_alternation() -> None:
    assert {"对", "對"} <= variants(["对"])
    assert alternation(["万", "万亿", "亿"]).split("|")[0] == "万亿"


@settings(max_examples=200, deadline=None)
@given(number=st.integers(0, 10**12), tail=st.sampled_from(["", ",2018年", ",5", ",12345", "人"]))
def test_arabic_in_text_takes_only_three_digit_groups(number: int, tail: str) -> None:
    text = f"{number:,}{tail}"
    match = re.match(ARABIC_IN_TEXT, text)
    assert match is not None and match.group() == f"{number:,}"
    assert re.fullmatch(ARABIC, f"{number:,}")


def test_the_parsers_use_the_shared_lexer() -> None:
    # One grammar: the readers and fragments of the parsers are the lexer's own objects.
    assert quantities._read_chinese_integer is read_chinese_integer
    assert quantities._AR is ARABIC and quantities._MULTIPLIERS is numerals.MULTIPLIERS
    assert periods._Y is numerals.YEAR and periods._MD is numerals.MONTH_DAY
    assert re.fullmatch(DATE, "二〇二一年五月十日")
