"""Period cues of running text: each first character of a cue, and day-level spans (issue 21, item 6).

:data:`PERIOD_CUE_RE` skips, with a look-ahead, every position whose character starts no cue. Each
character of that set gets its own invented sentence here whose cue begins with it, at the start of
the sentence (position 0) and inside it: a cue found without its first character (``2018年以来``
for ``自2018年以来``) would change what the period means. Day-level spans are found whole, in each
form of the module docstring, and read as the span they write.
"""

from __future__ import annotations

import pytest

from kexie_research.parse.periods import PERIOD_CUE_RE, parse_period

FIRST_CHARACTERS = [
    ("截", "截至2020年底", "全市共有学会30个。"),
    ("自", "自2018年以来", "共建站点12个。"),
    ("从", "从2019年起", "举办科普日活动。"),
    ("從", "從2019年起", "舉辦科普日活動。"),
    ("到", "到2025年", "建成示范站5个。"),
    ("至", "至2012年为止", "共有会员300人。"),
    ("迄", "迄今", "已建成基地8个。"),
    ("近", "近3年", "共培训900人次。"),
    ("最", "最近5年", "新增会员200人。"),
    ("过", "过去十年", "共建成站点50个。"),
    ("過", "過去十年", "共建成站點50個。"),
    ("这", "这三年来", "共举办活动40场。"),
    ("這", "這三年來", "共舉辦活動40場。"),
    ("连", "连续七年", "获评先进单位。"),
    ("連", "連續七年", "獲評先進單位。"),
    ("“", "“十四五”期间", "将新建站点10个。"),
    ("十", "十三五以来", "全县新增学会6个。"),
    ("今", "今年上半年", "举办讲座12场。"),
    ("去", "去年", "全县培训农民800人次。"),
    ("前", "前年", "全县培训农民800人次。"),
    ("本", "本年度", "计划举办活动20场。"),
    ("上", "上半年", "举办讲座12场。"),
    ("下", "下半年", "举办讲座12场。"),
    ("明", "明年", "计划新建站点3个。"),
    ("年", "年内", "完成换届的学会有4个。"),
    ("每", "每年", "举办一次学术年会。"),
    ("现", "现阶段", "共有会员500人。"),
    ("目", "目前", "共有会员500人。"),
    ("当", "当前", "共有会员500人。"),
    ("如", "如今", "共有会员500人。"),
    ("多", "多年来", "坚持开展科普活动。"),
    ("数", "数年来", "坚持开展科普活动。"),
    ("几", "几年前", "建成了科技馆。"),
    ("历", "历年", "累计培训1万人次。"),
    ("以", "以往", "每场参加约50人。"),
    ("此", "此前", "已建成站点3个。"),
    ("日", "日前", "召开了换届大会。"),
    ("往", "往年", "每场参加约50人。"),
    ("长", "长期以来", "坚持开展科普活动。"),
    ("一", "一直以来", "坚持开展科普活动。"),
]


@pytest.mark.parametrize(("first", "cue", "rest"), FIRST_CHARACTERS, ids=[f[0] for f in FIRST_CHARACTERS])
def test_a_cue_is_found_from_its_first_character_at_position_zero(first, cue, rest):
    assert cue.startswith(first)
    found = [(m.start(), m.group()) for m in PERIOD_CUE_RE.finditer(cue + rest)]
    assert found[:1] == [(0, cue)]


@pytest.mark.parametrize(("first", "cue", "rest"), FIRST_CHARACTERS, ids=[f[0] for f in FIRST_CHARACTERS])
def test_a_cue_is_found_from_its_first_character_inside_a_sentence(first, cue, rest):
    sentence = "据悉，" + cue + rest
    found = [(m.start(), m.group()) for m in PERIOD_CUE_RE.finditer(sentence)]
    assert found[:1] == [(3, cue)]


DAY_SPANS = [
    ("会议于2018年9月16日至17日举行。", "2018年9月16日至17日", "2018-09-16", "2018-09-17"),
    ("活动在2019年9月16—18日举办。", "2019年9月16—18日", "2019-09-16", "2019-09-18"),
    ("展览于2019年9月16号到18号开放。", "2019年9月16号到18号", "2019-09-16", "2019-09-18"),
    ("2020年2月28日至29日集中培训。", "2020年2月28日至29日", "2020-02-28", "2020-02-29"),  # a leap day
    ("2018年9月30日至2018年10月2日开展活动。", "2018年9月30日至2018年10月2日", "2018-09-30", "2018-10-02"),
    ("2018年12月30日至2019年1月2日开展活动。", "2018年12月30日至2019年1月2日", "2018-12-30", "2019-01-02"),
    ("9月14日至20日开展科普周。", "9月14日至20日", "2021-09-14", "2021-09-20"),
    ("9月14日到20号开展科普周。", "9月14日到20号", "2021-09-14", "2021-09-20"),
    ("9月19日至10月2日开展活动。", "9月19日至10月2日", "2021-09-19", "2021-10-02"),
    ("5月至8月开展培训。", "5月至8月", "2021-05-01", "2021-08-31"),
]


@pytest.mark.parametrize(("sentence", "cue", "start", "end"), DAY_SPANS)
def test_a_day_level_span_of_running_text_is_one_cue_read_as_its_days(sentence, cue, start, end):
    assert [m.group() for m in PERIOD_CUE_RE.finditer(sentence)] == [cue]
    period = parse_period(cue, reference_date="2021-05-10")
    assert (period.kind, period.start, period.end) == ("span", start, end)
