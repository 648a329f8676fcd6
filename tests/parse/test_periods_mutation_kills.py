"""Period grammar details a planted bug would change (``make mutation``), each with its own example.

The sentences are invented; the expected bounds are worked by hand from the module docstring's
table (reference date given per test).
"""

from __future__ import annotations

import pytest

from kexie_research.parse.periods import PERIOD_CUE_RE, parse_period


def test_xian_alone_means_as_of_the_documents_date():
    period = parse_period("现", reference_date="2021-05-10")
    assert (period.kind, period.start, period.end, period.resolved) == ("as_of", None, "2021-05-10", True)


@pytest.mark.parametrize("word", ["过去的一年", "过去一年", "过去1年"])
@pytest.mark.parametrize(
    ("reference_date", "year"),
    [("2021-09-30", 2020), ("2021-10-01", 2021), ("2021-11-20", 2021)],
)
def test_the_past_year_of_a_review_written_from_october_is_its_own_year(word, reference_date, year):
    period = parse_period(word, reference_date=reference_date)
    assert (period.kind, period.start, period.end) == ("relative_year", f"{year}-01-01", f"{year}-12-31")


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("全县在2007年、2010年和2012年先后举办三届科普节。", "2007年、2010年和2012年"),
        ("全县在2007、2010和2012年举办科普节。", "2007、2010和2012年"),
        ("2016年及2019年两次获评先进学会。", "2016年及2019年"),
        ("该会于2015年与2018年分别换届。", "2015年与2018年"),
        ("2013年以及2017年共培训会员900人次。", "2013年以及2017年"),
    ],
)
def test_a_list_of_years_in_running_text_is_one_cue(sentence, cue):
    assert [match.group() for match in PERIOD_CUE_RE.finditer(sentence)] == [cue]
