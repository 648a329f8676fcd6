"""Every refusal of the parsers says why, in full: one example per reason, the whole reason checked.

A coder reads the reason to know what to type; a reason cut short, changed or given for the wrong
case is a defect. Each text below is invented and refused for exactly one reason, written out in
full as the message gives it (between the quoted text and the list of accepted forms).
"""

from __future__ import annotations

import pytest

from kexie_research.errors import ParseError
from kexie_research.parse.periods import parse_period
from kexie_research.parse.quantities import parse_quantity

QUANTITY_REASONS = [
    ("", "the text is empty"),
    ("  ", "the text is empty"),
    ("abc", "no number found in 'abc'"),
    ("-5人", "unrecognised words before the number in '-5人' (not a qualifier or filler word)"),
    (
        "5人abc",
        "unrecognised text 'abc' after '5人' (not a classifier of the unit table, a qualifier or a filler word)",
    ),
    (
        "3.5.5个",
        "unrecognised text '.5个' after '3.5' (not a classifier of the unit table, a qualifier or a filler word)",
    ),
    ("几", "'几' alone states no number"),
    ("数五个", "'数五' alone states no number"),
    ("二十数个", "'二十数' is not a Chinese numeral"),
    ("十几几个", "'十几几' is not a Chinese numeral"),
    ("五几个", "'五几' is not a Chinese numeral"),
    ("十十个", "'十十' is not a Chinese numeral (十 out of order)"),
    ("两三四个", "'两三四' is not a Chinese numeral (two approximate pairs)"),
    ("万亿万", "'万亿万' is not a Chinese numeral (万 without a number)"),
    ("十万亿亿", "'十万亿亿' is not a Chinese numeral (亿 twice)"),
    ("一" * 65 + "个", f"the Chinese numeral {'一' * 20}… (65 characters) is not well formed"),
    ("9" * 309 + "个", f"the number {'9' * 20}… is too large to be a finite value"),
    ("9" * 308 + "亿元", "the value is too large to be a finite number"),
    ("三分之两三", "approximate numerals in a fraction"),
    ("0分之3", "a fraction with denominator 0"),
    ("零分之三", "a fraction with denominator 0"),
    ("3万-5人", "a multiplier (万/亿) on the lower end of a range only"),
    ("两三-五个", "approximate numerals (两三, 几, 上千) at the ends of a range"),
    ("3个-5", "a classifier on the lower end of a range only"),
    ("3个-5元", "the two ends of the range have different units ('个', '元')"),
    ("5-3人", "the range's lower end 5 exceeds its upper end 3"),
    ("三个半人", "半 (half) goes with one exact number of a time unit (一年半, 两个半小时)"),
    ("两个半个小时", "半 (half) goes with one exact number of a time unit (一年半, 两个半小时)"),
    ("半人", "半 (half) goes with a time unit, not '人'"),
    ("3个(元)", "the bracketed alternative classifier '元' (CNY) does not match '个' (count)"),
    ("人均5人", "人均 is only understood with 元 (CNY_per_capita), not with unit 'person'"),
    ("负3-5人", "负 (negative) before a range"),
    ("约3-5人", "a range cannot carry the qualifier '约'"),
    ("超过5人以下", "conflicting qualifiers: 超过 (at_least), 以下 (at_most)"),
    ("超过5人左右", "conflicting qualifiers: 超过 (at_least), 左右 (approx)"),
]


@pytest.mark.parametrize(("text", "reason"), QUANTITY_REASONS)
def test_a_refused_quantity_says_why_in_full(text, reason):
    with pytest.raises(ParseError) as caught:
        parse_quantity(text)
    shown = repr(text) if len(text) <= 80 else f"{text[:60]!r}… ({len(text)} characters)"
    assert str(caught.value).startswith(f"cannot parse quantity {shown}: {reason}; expected [qualifier] number")


PERIOD_REASONS = [
    ("甲", "not a recognised period"),
    ("2019年9月至17日", "a span to a day needs the day's month"),
    ("2019年至6月", "a span from a year to a month needs the month's year"),
    ("2020年至2019年", "the span starts (2020-01-01) after it ends (2019-12-31)"),
    ("2019年9月18-16日", "the span starts (2019-09-18) after it ends (2019-09-16)"),
    ("2019年6-3月", "the span starts (2019-06-01) after it ends (2019-03-31)"),
    ("今后0年", "今后N年 needs N from 1 to 100, not 0"),
    ("今后101年", "今后N年 needs N from 1 to 100, not 101"),
    ("近0年", "近N年 needs N of at least 1"),
    ("近101年", "近N年 with N = 101 is not a number of recent years (at most 100); a year after 近 is not a period"),
    ("二五期间", "only the 3rd (三五) and later five-year plans are supported"),
    ("2021年13月", "not a calendar date (month 13 is not 1-12)"),
    ("二零二一年十三月", "not a calendar date (month 13 is not 1-12)"),
    ("2021年13月至2022年", "not a calendar date (month 13 is not 1-12)"),
]


@pytest.mark.parametrize(("text", "reason"), PERIOD_REASONS)
@pytest.mark.parametrize("reference_date", [None, "2021-05-10"])
def test_a_refused_period_says_why_in_full(text, reason, reference_date):
    with pytest.raises(ParseError) as caught:
        parse_period(text, reference_date=reference_date)
    assert str(caught.value).startswith(f"cannot parse period {text!r}: {reason}; accepted forms: empty, 2020年")


@pytest.mark.parametrize("text", ["2021年2月30日", "2021年4月31日", "二〇二一年二月二十九日"])
def test_a_day_not_of_the_calendar_is_refused_as_such(text):
    # the rest of the reason is Python's own wording of the calendar error
    with pytest.raises(ParseError, match=r"^cannot parse period '[^']+': not a calendar date \(.+\); accepted forms"):
        parse_period(text)


def test_a_start_after_the_reference_date_is_refused_only_against_that_date():
    with pytest.raises(ParseError) as caught:
        parse_period("自2030年以来", reference_date="2021-05-10")
    assert "the period starts (2030-01-01) after the reference date (2021-05-10);" in str(caught.value)
    unresolved = parse_period("自2030年以来")
    assert (unresolved.start, unresolved.end, unresolved.resolved, unresolved.kind) == (
        "2030-01-01",
        None,
        False,
        "since",
    )


def test_a_bad_reference_date_is_named():
    with pytest.raises(ParseError) as caught:
        parse_period("2020年", reference_date="2021/05/10")
    assert str(caught.value) == "reference_date '2021/05/10' is not an ISO date YYYY-MM-DD"
