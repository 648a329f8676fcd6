"""Day-level spans and deadlines (issue 21, item 6); reference date 2021-05-10."""

from __future__ import annotations

import pytest

from kexie_research.errors import ParseError
from kexie_research.parse.periods import parse_period

REF = "2021-05-10"


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "is_target"),
    [
        ("到2021年5月10日", "target", None, "2021-05-10", True),  # a deadline on a day
        ("至2021年5月10日", "target", None, "2021-05-10", True),
        ("到5月20日", "target", None, "2021-05-20", True),  # a day of the reference year
        ("到2021年5月底", "target", None, "2021-05-31", True),  # the month's last day
        ("2021年5月底前", "target", None, "2021-05-31", True),
        ("到2021年5月", "target", None, "2021-05-31", True),
        ("2021年5月底", "as_of", None, "2021-05-31", False),
        ("截至2021年5月10日", "as_of", None, "2021-05-10", False),
        ("截至5月20日", "as_of", None, "2021-05-20", False),
        ("2019年9月16日至2019年9月18日", "span", "2019-09-16", "2019-09-18", False),
        ("2019年9月16日-18日", "span", "2019-09-16", "2019-09-18", False),
        ("2019年9月16日到9月18日", "span", "2019-09-16", "2019-09-18", False),
        ("2019年9月16号至18号", "span", "2019-09-16", "2019-09-18", False),
        ("2019年9月30日至10月2日", "span", "2019-09-30", "2019-10-02", False),
        ("2020年2月28日至29日", "span", "2020-02-28", "2020-02-29", False),  # a leap day
        ("2019年9月16~18日", "span", "2019-09-16", "2019-09-18", False),  # days of one month, each separator
        ("二〇一九年九月十六至十八日", "span", "2019-09-16", "2019-09-18", False),  # … in Chinese numerals
        ("16~18日", "span", "2021-05-16", "2021-05-18", False),  # days without their month
        ("十六至十八日", "span", "2021-05-16", "2021-05-18", False),
        ("十六日", "day", "2021-05-16", "2021-05-16", False),
        ("2019年3月5日、6月7日", "list", "2019-03-05", "2019-06-07", False),  # a list of days
        ("二〇一九年三月、五月", "list", "2019-03-01", "2019-05-31", False),  # a list of months in Chinese numerals
    ],
)
def test_day_level_spans_and_deadlines(text, kind, start, end, is_target):
    period = parse_period(text, reference_date=REF)
    assert (period.kind, period.start, period.end, period.is_target) == (kind, start, end, is_target)


@pytest.mark.parametrize(
    "text",
    [
        "2021年5月10日前",  # 前 only after 底/末: "before the 10th" is not guessed at
        "2019年2月29日",  # no such day
        "2019年9月18日至16日",  # ends before it starts
    ],
)
def test_impossible_or_unguessed_days_are_refused(text):
    with pytest.raises(ParseError):
        parse_period(text, reference_date=REF)
