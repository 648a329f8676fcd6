"""The year a report is about, the goal's year of a deadline, cues read through pinyin glosses and a
notice as a plan, on invented texts (none is taken from an evaluation set)."""

from __future__ import annotations

import pytest

from tests.support.extract_rows import facts
from kexie_research.extract.context import period_cues, status_cue, status_of, topic_years
from kexie_research.extract.docdate import is_plan


# -- the years a text reports on -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("flat", "expected"),
    [
        ("2019年全区建成站点12个，比2018年增加3个", ["2019"]),  # the base of a comparison
        ("2019年全区建成站点12个，较2017年的8个明显增加", ["2019"]),
        ("自2016年启动以来，全区建成站点12个；2019年新建3个", ["2019"]),  # the start of a stretch
        ("从2016年起，每年投入5万元，2019年投入8万元", ["2019"]),
        ("2019年建成12个，到2030年建成50个", ["2019"]),  # a deadline is the goal's year
        ("2019年建成12个，2018年建成9个", ["2019", "2018"]),  # two years a text reports on
    ],
)
def test_topic_years_leave_out_bases_starts_and_deadlines(flat, expected):
    assert topic_years(flat, period_cues(flat)) == expected


def test_topic_years_leave_out_the_spans_given():
    flat = "发布时间：2024-01-05 2024年1月5日2019年全区建成站点12个"
    skip = ((0, flat.index("2019")),)
    assert topic_years(flat, period_cues(flat), skip=skip) == ["2019"]


def test_a_statistics_release_without_a_date_is_of_the_year_it_reports(extractor):
    # 较2016年 and 自2016年 name no year of the report: its facts are of 2021; the release day
    # (3月2日) has no year to give it and dates nothing
    text = (
        "调查结果发布\n第九次调查结果于3月2日发布，2021年全区公民具备科学素质的比例达到11.2%，"
        "较2016年的7.1%提高了4.1个百分点。自2016年开始，比例保持增长。"
        "全区共有调查样本3000个，其中农村样本1800个。"
    )
    rows = facts(extractor, text)
    assert (rows["3000个"]["period_start"], rows["3000个"]["period_end"]) == ("2021-01-01", "2021-12-31")
    assert rows["3000个"]["period_from"] == "document"


def test_a_year_of_the_date_line_does_not_make_the_report_year(extractor):
    # published in 2024, reporting on 2022 (named twice): the date line's year is not a third vote
    text = (
        "统计报告\n发布时间：2024年01月05日\n"
        "本次统计为2022年度统计，2022年全区科普经费筹集额共计300万元。"
        "各级政府拨款达到200万元，占总额的66%。"
    )
    rows = facts(extractor, text)
    assert (rows["200万元"]["period_start"], rows["200万元"]["period_end"]) == ("2022-01-01", "2022-12-31")


def test_a_text_whose_only_years_start_stretches_is_not_dated_by_its_date_year(extractor):
    text = (
        "科技馆体系成效\n发布时间：2024-03-01\n自2014年启动建设至今，体系服务公众突破2亿人次。各地建成流动站点300个。"
    )
    rows = facts(extractor, text)
    assert rows["300个"]["period_start"] != "2024-01-01"


# -- the goal's year of a deadline -----------------------------------------------------------------
def test_a_deadline_naming_a_year_is_the_goal_year(extractor):
    rows = facts(extractor, "规划\n发布时间：2018-03-01\n到今年年底前，全区科技工作者之家将达到40个。")
    assert (rows["40个"]["period_start"], rows["40个"]["period_end"]) == ("2018-01-01", "2018-12-31")
    assert rows["40个"]["status"] == "target"


# -- status cues through pinyin glosses ------------------------------------------------------------
def test_a_status_cue_split_by_a_pinyin_gloss_is_read():
    flat = "某县科协2020年项目年初预(yù)算80万(wàn)元，其中:培训费5万元。"
    cue = status_cue(flat, flat.index("80"))
    assert cue == (flat.index("预"), "预算")
    assert status_of(flat, flat.index("5万"), "2020年", "2021-06-01") == "target"


def test_a_gloss_without_a_cue_changes_nothing():
    flat = "全县建(jiàn)成站点12个。"
    assert status_cue(flat, flat.index("12")) is None
    assert status_of(flat, flat.index("12")) == "achieved"


def test_a_cue_after_a_gloss_keeps_its_position():
    flat = "科(kē)普经费将(jiāng)达到30万元"
    start, word = status_cue(flat, flat.index("30"))
    assert word == "将" and flat[start] == "将"


# -- a notice allocating funds is a plan -----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各乡镇人民政府、县直有关单位：\n现将2021年科普经费安排下达给你们。", True),
        ("各相关单位:\n经研究，现将本年度经费下达。", True),
        ("各地积极开展科普活动：\n全县举办讲座20场。", False),  # a sentence, not an addressee line
        ("县科协2020年工作总结\n全年举办讲座20场。", False),
    ],
)
def test_a_notice_opening_with_its_addressees_is_a_plan(text, expected):
    assert is_plan(text) is expected


def test_a_notice_allocating_funds_proposes_targets(extractor):
    text = "各相关单位：\n经研究，现将2021年度科普项目经费下达给你们，请认真组织实施。\n科普阵地建设经费5万元，科技培训经费3万元。"
    rows = facts(extractor, text, reference_date="2021-03-01")
    assert rows["5万元"]["status"] == "target"
    assert rows["3万元"]["status"] == "target"


# -- a budget application's form run into the text -------------------------------------------------
def test_a_budget_application_form_proposes_its_year_and_targets(extractor):
    text = (
        "项目类别专项业务类项目申请理由及主要内容用于开展科普宣传和科技培训。测算依据：一、培训经费4万元，"
        "培训2期，每期50人。二、2027年建设科普示范社区6个。"
    )
    rows = facts(extractor, text)
    assert rows["4万元"]["status"] == "target"
    assert (rows["4万元"]["period_start"], rows["4万元"]["period_end"]) == ("2027-01-01", "2027-12-31")
    assert rows["6个"]["status"] == "target"


def test_a_plan_naming_several_years_dates_nothing_by_one_of_them(extractor):
    text = "某区科普工作方案\n2025年建成站点10个，2026年建成站点20个。\n培训骨干50人。"
    rows = facts(extractor, text, reference_date="2025-01-10")
    assert rows["50人"]["period_start"] == ""
