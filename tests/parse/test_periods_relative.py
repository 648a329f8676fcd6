"""Relative forms of parse_period read against a reference date, and the list cue of running text."""

from __future__ import annotations

import pytest

from kexie_research.parse.periods import PERIOD_CUE_RE, parse_period


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("截至年底", "2019-11-20", (None, "2019-12-31", False, "as_of")),
        ("截止年末", "2019-11-20", (None, "2019-12-31", False, "as_of")),
        ("到年底", "2019-04-02", (None, "2019-12-31", True, "target")),
        ("到年底前", "2019-04-02", (None, "2019-12-31", True, "target")),
        # 过去的一年: the year before the date, or the date's own year in a review of its last quarter
        ("过去的一年", "2019-02-14", ("2018-01-01", "2018-12-31", False, "relative_year")),
        ("过去一年", "2019-11-28", ("2019-01-01", "2019-12-31", False, "relative_year")),
    ],
)
def test_relative_forms(text, reference, expected):
    period = parse_period(text, reference)
    assert (period.start, period.end, period.is_target, period.kind) == expected


def test_year_end_forms_need_the_reference_year():
    assert not parse_period("截至年底").resolved


@pytest.mark.parametrize(
    ("running", "cue"),
    [
        ("在2008年、2012年和2016年三次获评先进", "2008年、2012年和2016年"),
        ("2015、2017与2019年分别举办", "2015、2017与2019年"),
        ("截至年底，全镇会员700人", "截至年底"),
    ],
)
def test_running_text_cues(running, cue):
    assert PERIOD_CUE_RE.search(running).group() == cue
    assert parse_period(cue, "2020-03-01").resolved
