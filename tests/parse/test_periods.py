"""Tests of kexie_research.parse.periods: every form, reference-date handling, every error."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import math

import cn2an
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.errors import ParseError
from kexie_research.parse.periods import NOW_WORDS, RECURRING_WORDS, VAGUE_WORDS, Period, parse_period

REF = "2021-05-10"

# text, start, end, is_target, resolved, kind — all independent of the reference date.
ABSOLUTE = [
    ("2020年", "2020-01-01", "2020-12-31", False, True, "year"),
    ("2017年", "2017-01-01", "2017-12-31", False, True, "year"),
    ("二〇二一年", "2021-01-01", "2021-12-31", False, True, "year"),
    ("２０２０年", "2020-01-01", "2020-12-31", False, True, "year"),
    ("2021年1月", "2021-01-01", "2021-01-31", False, True, "month"),
    ("2020年2月", "2020-02-01", "2020-02-29", False, True, "month"),
    ("2021年2月", "2021-02-01", "2021-02-28", False, True, "month"),
    ("2021年五月", "2021-05-01", "2021-05-31", False, True, "month"),
    ("2021年5月10日", "2021-05-10", "2021-05-10", False, True, "day"),
    ("2017年9月29日", "2017-09-29", "2017-09-29", False, True, "day"),
    ("二〇二一年五月十日", "2021-05-10", "2021-05-10", False, True, "day"),
    ("2021年5月10号", "2021-05-10", "2021-05-10", False, True, "day"),
    ("2021年上半年", "2021-01-01", "2021-06-30", False, True, "half_year"),
    ("2021年下半年", "2021-07-01", "2021-12-31", False, True, "half_year"),
    ("2017年~2020年", "2017-01-01", "2020-12-31", False, True, "span"),
    ("2017年～2020年", "2017-01-01", "2020-12-31", False, True, "span"),
    ("2015年至2017年", "2015-01-01", "2017-12-31", False, True, "span"),
    ("2017—2020年", "2017-01-01", "2020-12-31", False, True, "span"),
    ("2017-2020年", "2017-01-01", "2020-12-31", False, True, "span"),
    ("2017–2020年", "2017-01-01", "2020-12-31", False, True, "span"),
    ("2017年到2020年", "2017-01-01", "2020-12-31", False, True, "span"),
    ("2015年至2017年间", "2015-01-01", "2017-12-31", False, True, "span"),
    ("2021年1月至6月", "2021-01-01", "2021-06-30", False, True, "span"),
    ("2020年11月至2021年2月", "2020-11-01", "2021-02-28", False, True, "span"),
    ("2020年 ~ 2021年", "2020-01-01", "2021-12-31", False, True, "span"),
    ("到2021年底", "2021-01-01", "2021-12-31", True, True, "target"),
    ("到2021年", "2021-01-01", "2021-12-31", True, True, "target"),
    ("2021年底前", "2021-01-01", "2021-12-31", True, True, "target"),
    ("2021年底之前", "2021-01-01", "2021-12-31", True, True, "target"),
    ("至2022年", "2022-01-01", "2022-12-31", True, True, "target"),
    ("到2021年6月底", None, "2021-06-30", True, True, "target"),
    ("截至2020年底", None, "2020-12-31", False, True, "as_of"),
    ("截止2021年6月", None, "2021-06-30", False, True, "as_of"),
    ("截至2021年5月10日", None, "2021-05-10", False, True, "as_of"),
    ("2020年底", "2020-01-01", "2020-12-31", False, True, "year_end"),  # a year-end stock: the year's figure
    ("2020年末", "2020-01-01", "2020-12-31", False, True, "year_end"),
    ("2020年年底", "2020-01-01", "2020-12-31", False, True, "year_end"),  # 年 written twice
    ("“十四五”期间", "2021-01-01", "2025-12-31", False, True, "plan"),
    ("十三五时期", "2016-01-01", "2020-12-31", False, True, "plan"),
    ("十五五", "2026-01-01", "2030-12-31", False, True, "plan"),
    ("三五", "1966-01-01", "1970-12-31", False, True, "plan"),
    ("“十三五”末", "2020-01-01", "2020-12-31", False, True, "year"),
    ("到“十四五”末", "2025-01-01", "2025-12-31", True, True, "target"),
]

# text, (start, end, resolved) with REF, (start, end, resolved) without, kind
RELATIVE = [
    ("近3年", ("2019-01-01", REF, True), (None, None, False), "recent_years"),
    ("近三年", ("2019-01-01", REF, True), (None, None, False), "recent_years"),
    ("近两年", ("2020-01-01", REF, True), (None, None, False), "recent_years"),
    ("近1年", ("2021-01-01", REF, True), (None, None, False), "recent_years"),
    ("近5年来", ("2017-01-01", REF, True), (None, None, False), "recent_years"),
    ("过去十年", ("2012-01-01", REF, True), (None, None, False), "recent_years"),
    ("截至目前", (None, REF, True), (None, None, False), "as_of"),
    ("目前", (None, REF, True), (None, None, False), "as_of"),
    ("现有", (None, REF, True), (None, None, False), "as_of"),
    ("至今", (None, REF, True), (None, None, False), "as_of"),
    ("2018年以来", ("2018-01-01", REF, True), ("2018-01-01", None, False), "since"),
    ("2017年以来", ("2017-01-01", REF, True), ("2017-01-01", None, False), "since"),
    ("自2019年以来", ("2019-01-01", REF, True), ("2019-01-01", None, False), "since"),
    ("从2019年至今", ("2019-01-01", REF, True), ("2019-01-01", None, False), "since"),
    ("2021年5月以来", ("2021-05-01", REF, True), ("2021-05-01", None, False), "since"),
    ("今年", ("2021-01-01", "2021-12-31", True), (None, None, False), "relative_year"),
    ("去年", ("2020-01-01", "2020-12-31", True), (None, None, False), "relative_year"),
    ("前年", ("2019-01-01", "2019-12-31", True), (None, None, False), "relative_year"),
    # A month span without its year is of the reference year (it raised before issue 16).
    ("1月至6月", ("2021-01-01", "2021-06-30", True), (None, None, False), "span"),
]

UNRESOLVED = [
    ("每年", "recurring"),
    ("每月", "recurring"),
    ("几年前", "vague"),
    ("近年来", "vague"),
    ("近年", "vague"),
    ("近几年", "vague"),
    ("多年来", "vague"),
    ("", "unknown"),
    ("  ", "unknown"),
]


@pytest.mark.parametrize(("text", "start", "end", "is_target", "resolved", "kind"), ABSOLUTE)
@pytest.mark.parametrize("reference_date", [None, REF])
def test_absolute_forms(
    text: str,
    start: str | None,
    end: str | None,
    is_target: bool,
    resolved: bool,
    kind: str,
    reference_date: str | None,
) -> None:
    period = parse_period(text, reference_date)
    assert period == Period(start, end, is_target, resolved, text, kind)


@pytest.mark.parametrize(("text", "with_ref", "without_ref", "kind"), RELATIVE)
def test_relative_forms(text: str, with_ref: tuple, without_ref: tuple, kind: str) -> None:
    period = parse_period(text, reference_date=REF)
    assert (period.start, period.end, period.resolved, period.kind) == (*with_ref, kind)
    assert period.is_target is False and period.raw == text
    period = parse_period(text)
    assert (period.start, period.end, period.resolved, period.kind) == (*without_ref, kind)


@pytest.mark.parametrize(("text", "kind"), UNRESOLVED)
@pytest.mark.parametrize("reference_date", [None, REF])
def test_unresolved_forms_keep_raw(text: str, kind: str, reference_date: str | None) -> None:
    assert parse_period(text, reference_date) == Period(None, None, False, False, text, kind)


@pytest.mark.parametrize("empty", [None, math.nan, pd.NA])
def test_missing_text_is_unknown(empty: object) -> None:
    assert parse_period(empty, REF) == Period(None, None, False, False, "", "unknown")  # type: ignore[arg-type]


def test_word_lists_are_accepted() -> None:
    for word in NOW_WORDS:
        assert parse_period(word, REF).end == REF
    for word in RECURRING_WORDS:
        assert parse_period(word, REF).kind == "recurring"
    for word in VAGUE_WORDS:
        assert parse_period(word, REF).kind == "vague"


@pytest.mark.parametrize(
    "reference_date",
    [REF, dt.date(2021, 5, 10), dt.datetime(2021, 5, 10, 12, 30), pd.Timestamp("2021-05-10")],
)
def test_reference_date_types(reference_date: object) -> None:
    expected = Period("2019-01-01", REF, False, True, "近3年", "recent_years")
    assert parse_period("近3年", reference_date) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("missing", [None, "", math.nan, pd.NA])
def test_missing_reference_date(missing: object) -> None:
    assert parse_period("近3年", missing).resolved is False  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["2021/05/10", "2021-02-30", "10.5.2021", "20210510", "2021-5-10", 2021])
def test_bad_reference_date(bad: object) -> None:
    with pytest.raises(ParseError, match=r"reference_date .* is not an ISO date YYYY-MM-DD"):
        parse_period("2020年", bad)  # type: ignore[arg-type]


ERRORS = [
    ("2021年13月", None, "not a calendar date"),
    ("2021年0月", None, "not a calendar date"),
    ("2021年2月30日", None, "not a calendar date"),
    ("2020年~2017年", None, "the span starts (2020-01-01) after it ends (2017-12-31)"),
    ("2021年6月至3月", None, "the span starts"),
    ("2020年至6月", None, "a span from a year to a month needs the month's year"),
    ("2022年以来", REF, "starts (2022-01-01) after the reference date (2021-05-10)"),
    ("近0年", REF, "近N年 needs N of at least 1"),
    ("二五期间", None, "only the 3rd (三五) and later five-year plans"),
    ("abc", None, "not a recognised period"),
    ("2020年前", None, "not a recognised period"),  # "before 2020" or "by 2020": not guessed
    ("20年", None, "not a recognised period"),
    ("1850", None, "not a recognised period"),  # a bare number is a year only from 1900 to 2099
    ("每周", None, "not a recognised period"),
    ("2020年,", None, "not a recognised period"),
]


@pytest.mark.parametrize(("text", "reference_date", "reason"), ERRORS)
def test_errors(text: str, reference_date: str | None, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_period(text, reference_date)
    message = str(info.value)
    assert reason in message
    assert f"cannot parse period {text!r}" in message
    assert "accepted forms:" in message and "2017年~2020年" in message


@pytest.mark.parametrize("value", [2020, 2020.0, ["2020年"]])
def test_non_str_text_raises(value: object) -> None:
    with pytest.raises(ParseError, match="expected a str or None"):
        parse_period(value)  # type: ignore[arg-type]


def test_period_is_frozen() -> None:
    period = parse_period("2020年")
    with pytest.raises(dataclasses.FrozenInstanceError):
        period.start = "2019-01-01"  # type: ignore[misc]


# --- property tests --------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)), chinese=st.booleans())
def test_any_calendar_day(day: dt.date, chinese: bool) -> None:
    if chinese:
        year = "".join(cn2an.an2cn(int(d)).replace("零", "〇") for d in str(day.year))
        text = f"{year}年{cn2an.an2cn(day.month)}月{cn2an.an2cn(day.day)}日"
    else:
        text = f"{day.year}年{day.month}月{day.day}日"
    period = parse_period(text)
    assert (period.start, period.end, period.kind) == (day.isoformat(), day.isoformat(), "day")
    month = parse_period(f"{day.year}年{day.month}月")
    last = calendar.monthrange(day.year, day.month)[1]
    assert (month.start, month.end) == (f"{day:%Y-%m}-01", f"{day:%Y-%m}-{last:02d}")


@settings(max_examples=200, deadline=None)
@given(
    a=st.integers(1950, 2100),
    width=st.integers(0, 30),
    sep=st.sampled_from(["~", "～", "至", "到", "—", "-", "–"]),
    left_suffix=st.booleans(),
)
def test_any_year_span(a: int, width: int, sep: str, left_suffix: bool) -> None:
    b = a + width
    text = f"{a}{'年' if left_suffix else ''}{sep}{b}年"
    assert (parse_period(text).start, parse_period(text).end) == (f"{a}-01-01", f"{b}-12-31")


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 60),
    ref=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
    chinese=st.booleans(),
)
def test_recent_years(n: int, ref: dt.date, chinese: bool) -> None:
    text = f"近{cn2an.an2cn(n) if chinese else n}年"
    period = parse_period(text, ref.isoformat())
    assert (period.start, period.end, period.resolved) == (f"{ref.year - n + 1}-01-01", ref.isoformat(), True)


# --- hardening: only ParseError (linear work: test_linear_work.py) ------------------------------
HARD_ERRORS = [
    ("二九二五二九二五二九二五二九二五", None, "not a recognised period"),
    ("一九一二五", None, "not a recognised period"),
    ("近2022年", REF, "近N年 with N = 2022 is not a number of recent years"),
    ("近2022年", None, "近N年 with N = 2022 is not a number of recent years"),
    ("近" + "9" * 5000 + "年", REF, "has more digits than a year"),
    ("近" + "一" * 50_000 + "年", REF, "is not a month, day or count"),
    ("一九一五期间", None, "is not a Chinese numeral"),
    ("九十九九五", None, "not a recognised period"),
    ("99999年", None, "not a recognised period"),
    ("2021年2月29日", None, "not a calendar date"),
    ("今年", "0001-01-01", None),  # resolves: year 1 exists
]


@pytest.mark.parametrize(("text", "reference_date", "reason"), HARD_ERRORS, ids=[t[:10] for t, _, _ in HARD_ERRORS])
def test_hard_inputs_raise_parse_error(text: str, reference_date: str | None, reason: str | None) -> None:
    if reason is None:
        assert parse_period(text, reference_date).resolved
        return
    with pytest.raises(ParseError) as info:
        parse_period(text, reference_date)
    message = str(info.value)
    assert reason in message and "cannot parse period" in message
    assert len(message) < 2000  # a long text is shown by its head


def test_relative_years_at_the_calendar_edges() -> None:
    with pytest.raises(ParseError, match="not a calendar date"):
        parse_period("去年", "0001-06-01")
    assert parse_period("近100年", "2021-05-10").start == "1922-01-01"
    with pytest.raises(ParseError, match="at most 100"):
        parse_period("近101年", "2021-05-10")


_PERIOD_ALPHABET = (
    "0123456789０１２年月日号上下半至到~～—-近最过去来以今前后底末截止至目前每期间时五十四三二一〇零九八七六百自从“”"
)


@settings(max_examples=1500, deadline=None)
@given(
    text=st.one_of(st.text(alphabet=_PERIOD_ALPHABET, max_size=30), st.text(max_size=20)),
    reference_date=st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str)),
)
def test_fuzz_parse_period_raises_only_parse_error(text: str, reference_date: str | None) -> None:
    try:
        period = parse_period(text, reference_date)
    except ParseError as exc:
        assert "cannot parse period" in str(exc)
        return
    for bound in (period.start, period.end):
        assert bound is None or dt.date.fromisoformat(bound)
    if period.start and period.end:
        assert period.start <= period.end


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_is_iso_date_takes_every_day_month_and_year_of_the_calendar(day: dt.date) -> None:
    from kexie_research.parse.periods import is_iso_date

    text = day.isoformat()
    assert is_iso_date(text) and is_iso_date(text[:7]) and is_iso_date(text[:4])
    assert not is_iso_date(text + "T00:00") and not is_iso_date(text.replace("-", "/"))


@pytest.mark.parametrize(
    "text", ["2021-13", "2021-00", "2021-02-30", "2021-04-31", "2021-1-5", "21-05-10", "", " 2021", None, 2021]
)
def test_is_iso_date_refuses_what_is_not_a_calendar_date(text: object) -> None:
    from kexie_research.parse.periods import is_iso_date

    assert not is_iso_date(text)  # type: ignore[arg-type]
