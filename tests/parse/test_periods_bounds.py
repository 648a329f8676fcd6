"""The limits of the period grammar (MAX_RECENT_YEARS) and the ISO dates a manifest records (issue 21, item 6)."""

from __future__ import annotations

import pytest

from kexie_research.errors import ParseError
from kexie_research.parse.periods import is_iso_date, parse_period

REF = "2021-05-10"


def test_a_hundred_recent_or_coming_years_is_the_largest_n_read():
    assert parse_period("近100年", reference_date=REF).start == "1922-01-01"
    assert parse_period("今后100年", reference_date=REF).end == "2120-12-31"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("近101年", "近N年 with N = 101 is not a number of recent years (at most 100)"),
        ("今后101年", "今后N年 needs N from 1 to 100, not 101"),
    ],
)
def test_one_more_than_a_hundred_years_is_refused_naming_the_limit(text, message):
    with pytest.raises(ParseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_period(text, reference_date=REF)


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        ("2021-05-10", False, True),
        ("2021-05", False, True),
        ("2021", False, True),
        ("2021-05-10", True, True),
        ("2021-05", True, False),  # a day is required
        ("2021-5-10", False, False),  # two digits for the month
        ("2021-05-1", False, False),  # … and for the day
        ("x2021-05-10", False, False),  # the whole text, nothing around it
        ("2021-05-10x", False, False),
        ("2021-13", False, False),  # a real month
        ("2021-02-29", False, False),  # a real day
        ("2020-02-29", False, True),
        (20210510, False, False),  # not a text
    ],
)
def test_is_iso_date(text, day, expected):
    assert is_iso_date(text, day=day) is expected
