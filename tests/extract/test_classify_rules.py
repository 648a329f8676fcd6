"""The precision rules of :func:`kexie_research.extract.classify.classify`: the non-facts of the coders'
rulebook (dates and time spans, list and section markers, footnote marks and codes, article-like 一,
assessment weights, table furniture), one invented sentence each, and the facts they must leave alone."""

from __future__ import annotations

import pytest

from kexie_research.extract.classify import KINDS, classify
from kexie_research.extract.mentions import find_mentions, flatten


def kinds_of(text: str) -> dict[str, str]:
    flat, _ = flatten(text)
    starts = frozenset(len(line) for line in _line_prefixes(text))
    return {m.raw: classify(flat, m, starts) for m in find_mentions(flat)}


def _line_prefixes(text: str) -> list[str]:
    """The flat text before each line of ``text`` (where the lines start in the flat text)."""
    prefixes, done = [], ""
    for line in text.split("\n"):
        prefixes.append(done)
        done += line
    return prefixes


@pytest.mark.parametrize(
    ("text", "raw", "kind"),
    [
        # time spans and days of the month are periods, not facts
        ("该项目已实施15年，累计服务群众3万人次", "15年", "date"),
        ("该市连续六年位居全省前列", "六年", "date"),
        ("每期展览展出2至3个月", "2至3个月", "date"),
        ("挂职期限一般不少于2年", "不少于2年", "fact"),
        ("经过20余年发展", "20余年", "date"),
        ("省科协19日发布通知", "19日", "date"),
        ("培训为期3日", "3日", "date"),  # the length of an event: its period (changed in 0.7)
        ("3—6月开展集中宣传", "3—6", "date"),
        ("回顾2022：科普工作亮点纷呈", "2022", "date"),
        # list markers inside a line, section numbers alone on their line, figures and attachments
        ("办公经费2万元 2、宣传经费3万元", "2", "ordinal"),
        ("标题\n3\n工作安排\n全年", "3", "ordinal"),
        ("学术会议逐年增加(图2)。", "2", "ordinal"),
        ("详见附件3", "3", "ordinal"),
        # footnote marks, classification codes and document numbers in 【】
        ("高校科协[3]18个", "3", "name"),
        ("支出功能分类【2070】文化支出", "2070", "name"),
        ("根据市委发【2019】12号文件", "12", "document_number"),
        # article-like 一 and idioms
        ("培育一批科普示范社区", "一批", "article"),
        ("组建一支专业队伍", "一支", "article"),
        ("把科技送到一座座村庄", "一座", "article"),
        ("申请一次性补助", "一次", "article"),
        ("实行一项否决", "一项", "article"),
        ("迎来一个新的发展阶段", "一个", "article"),
        ("平均每10万人拥有一个科普场馆", "一个", "article"),
        ("全县仅有一个科技馆。", "一个", "fact"),
        ("每个乡镇至少建成一个科普站", "一个", "fact"),
        ("为200名儿童的六一儿童节增添乐趣", "六一", "name"),
        ("贯彻五大发展理念", "五大", "name"),
        ("推出七大亮点工程", "七大", "fact"),
        # meetings of a term, editions held
        ("在市科协五届二次全委会议上", "二次", "ordinal"),
        ("科技周已连续举办18届", "18届", "fact"),
        # assessment weights and the score column of an aligned table
        ("(科普宣传、分值2分)", "2", "weight"),
        ("预算执行率(20分)", "20", "weight"),
        ("举办讲座 12场 10场 8\n下一行", "8", "weight"),
        ("企业科协 (个) 120 80 40\n下一行", "40", "fact"),
        # the unit of a column in brackets
        ("项目经费(万元)", "万元", "header"),
    ],
)
def test_non_facts_of_the_rulebook_and_the_facts_beside_them(text, raw, kind):
    assert kinds_of(text)[raw] == kind


def test_every_kind_is_listed():
    assert {"article", "weight"} <= set(KINDS)
