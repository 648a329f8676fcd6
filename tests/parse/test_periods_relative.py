"""Relative forms of parse_period read against a reference date, and the list cue of running text."""

from __future__ import annotations

import pytest

from kexie_research.parse.periods import PERIOD_CUE_RE, parse_period


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("截至年底", "2019-11-20", (None, "2019-12-31", False, "as_of")),
        ("截止年末", "2019-11-20", (None, "2019-12-31", False, "as_of")),
        ("到年底", "2019-04-02", ("2019-01-01", "2019-12-31", True, "target")),
        ("到年底前", "2019-04-02", ("2019-01-01", "2019-12-31", True, "target")),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("已建", (None, "2020-03-01", "as_of")),  # already + a verb: as of the document's date
        ("现", (None, "2020-03-01", "as_of")),
        ("自2018年初", ("2018-01-01", "2020-03-01", "since")),  # since, nothing after the start
        ("自 2018 年初", ("2018-01-01", "2020-03-01", "since")),
        ("截至今年2月", (None, "2020-02-29", "as_of")),
    ],
)
def test_as_of_and_since_without_their_suffix(text, expected):
    period = parse_period(text, "2020-03-01")
    assert (period.start, period.end, period.kind) == expected


@pytest.mark.parametrize(
    ("running", "cue"),
    [
        ("截至今年4月，已服务", "截至今年4月"),  # not 至今
        ("2025 年上半年，大篷车", "2025 年上半年"),
        ("2019 年 1 至 6 月，全县", "2019 年 1 至 6 月"),
        ("市科协成立于1958年12月，现拥有学会44家", "1958年12月"),
        ("自2018年初，全县", "自2018年初"),
    ],
)
def test_more_running_text_cues(running, cue):
    assert PERIOD_CUE_RE.search(running).group() == cue


def test_now_before_its_verb_is_a_cue_but_not_inside_other_words():
    assert [m.group() for m in PERIOD_CUE_RE.finditer("现拥有学会44家，实现全覆盖，发现问题")] == ["现"]
