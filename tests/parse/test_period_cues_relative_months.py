"""Months and days of a relative year in running text (今年1-4月, 去年10月): one cue each, read against the document's year.

Added after the fresh mutation draw of seed 4242 showed this alternative of :data:`PERIOD_CUE_RE`
untested; each relative-year word gets its own invented sentence.
"""

from __future__ import annotations

import pytest

from kexie_research.parse.periods import PERIOD_CUE_RE, parse_period

CASES = [
    ("今年1-4月全市新增会员300人。", "今年1-4月", "span", "2021-01-01", "2021-04-30"),
    ("本年1至6月培训2000人次。", "本年1至6月", "span", "2021-01-01", "2021-06-30"),
    ("去年10月召开代表大会。", "去年10月", "month", "2020-10-01", "2020-10-31"),
    ("明年3月完成换届。", "明年3月", "month", "2022-03-01", "2022-03-31"),
    ("前年6月建成科技馆。", "前年6月", "month", "2019-06-01", "2019-06-30"),
    ("今年5月16日举办科普日。", "今年5月16日", "day", "2021-05-16", "2021-05-16"),
]


@pytest.mark.parametrize(("sentence", "cue", "kind", "start", "end"), CASES)
def test_a_month_of_a_relative_year_is_one_cue_read_against_the_documents_year(sentence, cue, kind, start, end):
    assert [m.group() for m in PERIOD_CUE_RE.finditer(sentence)] == [cue]
    period = parse_period(cue, reference_date="2021-05-10")
    assert (period.kind, period.start, period.end) == (kind, start, end)
