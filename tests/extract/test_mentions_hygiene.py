"""Mentions of web text (issue 16): dates written with spaces are one date, not day numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.extract.mentions import date_span, find_mentions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 月 18 日举办，共100人", [("10 月 18 日", True), ("100人", False)]),
        ("2018 年 9 月 16 日上午，200人", [("2018 年 9 月 16 日", True), ("200人", False)]),
        ("9月 16 日，3个", [("9月 16 日", True), ("3个", False)]),
        ("5月16日，共3个", [("5月16日", True), ("3个", False)]),
        ("于5 日召开", [("5 日", False)]),  # a day after no month is not read as a date
        ("参加活动约 200 人", [("约 200 人", False)]),
        ("惠及數(shù)十萬群眾", [("數(shù)十萬", False)]),
    ],
)
def test_mentions_of_web_text(text: str, expected: list[tuple[str, bool]]) -> None:
    assert [(m.raw, m.is_date) for m in find_mentions(text)] == expected


def test_month_out_of_range_with_spaces_is_no_date() -> None:
    assert date_span("13 月 5 日", 0) is None


@settings(max_examples=100, deadline=None)
@given(month=st.integers(1, 12), day=st.integers(1, 28), spaces=st.text(alphabet=" \u3000", max_size=2))
def test_no_day_number_of_a_spaced_date_is_a_fact(month: int, day: int, spaces: str) -> None:
    text = f"{month}{spaces}月{spaces}{day}{spaces}日，全市举办活动"
    mentions = find_mentions(text)
    assert len(mentions) == 1 and mentions[0].is_date and mentions[0].raw == text.split("，")[0]
