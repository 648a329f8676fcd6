"""Numerals that are words or names, not counts (issue 16, precision on unseen texts): telephone
numbers, numbers inside titles, article-like 一 in its common shapes, numerals alone in quotes,
campaign names, rate denominators, the length of an event, anniversaries, a headline's year, indented
list markers; and the facts beside them that must stay facts. Every sentence is invented."""

from __future__ import annotations

import pytest

from tests.extract.test_classify_rules import kinds_of


@pytest.mark.parametrize(
    ("text", "raw", "kind"),
    [
        ("报名咨询电话：66012345，名额30个", "66012345", "name"),
        ("报名咨询电话：66012345，名额30个", "30个", "fact"),
        ("依据《关于推进3项改革的意见》，完成改革2项", "3项", "name"),
        ("依据《关于推进3项改革的意见》，完成改革2项", "2项", "fact"),
        ("召开九届二次全委会议，表彰先进12人", "九届", "ordinal"),
        ("科普周举办了一大亮点活动", "一大", "article"),
        ("这一数字创下新高", "一数", "article"),
        ("这是一个显著变化", "一个", "article"),
        ("科普大篷车成为一项深受群众欢迎的活动", "一项", "article"),
        ("还有一个重要原因", "一个", "article"),
        ("织就一张覆盖 12 所学校、8 个村的服务网", "一张", "article"),
        ("织就一张覆盖 12 所学校、8 个村的服务网", "12 所", "fact"),
        ("我们一起来看看", "一起", "article"),
        ("抽取了几个乡镇作为样本", "几个", "article"),
        ("县里仅有一个科普馆。", "一个", "fact"),
        ("学会“八大”代表共300人", "八大", "name"),
        ("学会“八大”代表共300人", "300人", "fact"),
        ("推进“两轮”驱动", "两轮", "name"),
        ("开展“千名教师进社区”活动", "千名", "name"),
        ("组织千名教师进社区", "千名", "fact"),
        ("每万人发明专利拥有量达15件", "万人", "name"),
        ("每万人发明专利拥有量达15件", "15件", "fact"),
        ("举办为期5天的培训班，培训200人", "5天", "date"),
        ("活动持续3天时间", "3天", "date"),
        ("一周内发放资料800份", "一周", "date"),
        ("节目连播20天", "20天", "fact"),
        ("纪念建馆50周年", "50周", "ordinal"),
        ("打造10分钟服务圈", "10分钟", "name"),
        ("同心筑梦2019\n全年举办活动8场", "2019", "date"),
        ("全年收入2019，支出1800", "2019", "fact"),
        ("发布：05.10.2019 09:30", "2019", "date"),
        ("数据平台存储达12.5TB，访问量3万", "12.5", "fact"),
        ("第二课堂H5页面", "5", "name"),
        ("四大班子负责同志出席", "四大", "name"),
        ("  2.实施步骤\n全年举办8场", "2", "ordinal"),
    ],
)
def test_words_and_names_are_not_counts(text: str, raw: str, kind: str) -> None:
    assert kinds_of(text).get(raw, "no mention") == kind


def test_a_phone_number_needs_its_word() -> None:
    assert kinds_of("全年培训人数达66012345")["66012345"] == "fact"


def test_a_numeral_in_a_long_quotation_is_not_a_name() -> None:
    assert kinds_of("他说：“今年共举办讲座十二场，效果很好。”")["十二场"] == "fact"


def test_an_item_of_a_list_of_counts_stays_a_count() -> None:
    assert kinds_of("由12个乡镇、一个工业园区组成的服务网络")["一个"] == "fact"


def test_a_numeral_inside_a_place_name_is_a_name(extractor) -> None:
    rows = extractor.extract_text("七台河市科协举办讲座3场，十堰市建成站点5个。", place_code=None)
    assert [(r["raw_text"], r["kind"]) for r in rows] == [("七台", "name"), ("3场", "fact"), ("5个", "fact")]


def test_doublings_are_a_multiple(extractor) -> None:
    rows = extractor.extract_text("全县会员人数较上年将近翻了一番。", place_code=None)
    assert [(r["raw_text"], r["kind"], r["value"], r["unit"], r["qualifier"]) for r in rows] == [
        ("将近翻了一番", "fact", 2.0, "number", "approx")
    ]


def test_a_table_copied_one_cell_per_line(extractor) -> None:
    text = "某县科协2021年科普经费安排表\n序号 |\n项目 |\n计划经费(万元) |\n备注 |\n1 |\n科普讲座 |\n12 |\n|\n2 |\n青少年竞赛 |\n7.5 |\n|\n"
    rows = extractor.extract_text(text, place_code=None)
    cells = [
        (r["raw_text"], r["kind"], r["value"], r["unit"], r["status"]) for r in rows if r["raw_text"] in ("12", "7.5")
    ]
    assert cells == [("12", "fact", 120000.0, "CNY", "target"), ("7.5", "fact", 75000.0, "CNY", "target")]
    assert {r["kind"] for r in rows if r["raw_text"] in ("1", "2")} == {"ordinal"}


def test_lines_ending_with_a_pipe_without_row_numbers_are_no_table() -> None:
    from kexie_research.extract.tables import find_tables

    assert find_tables("项目 |\n经费 |\n培训 |\n12 |\n讲座 |\n8 |") == []


@pytest.mark.parametrize(
    ("text", "raw", "kind"),
    [
        ("阅读量：2051\n全年举办讲座6场", "2051", "furniture"),
        ("点击: 733", "733", "furniture"),
        ("第2页 共5页", "5", "furniture"),
        ("共印发资料5页", "5", "fact"),
        ("邮编：610041", "610041", "name"),
        ("咨询电话：028—86001234", "028—86001234", "name"),
        ("全年阅读推广活动吸引读者2051人", "2051人", "fact"),
    ],
)
def test_page_furniture_and_identifiers(text: str, raw: str, kind: str) -> None:
    assert kinds_of(text)[raw] == kind


@pytest.mark.parametrize(
    ("text", "raw", "kind"),
    [
        ("面向40岁以下青年科技人员", "40岁以下", "bound"),
        ("调查对象为16-65周岁公民", "16-65周岁", "bound"),
        ("服务时间占其工作时间50%以上的人员共80人", "50%以上", "bound"),
        ("服务时间占其工作时间50%以上的人员共80人", "80人", "fact"),
        ("会员平均年龄42岁", "42岁", "fact"),
        ("参赛选手进入全国前五名", "五名", "ordinal"),
        ("活动于上午10时30分开幕", "10", "date"),
        ("活动于上午10时30分开幕", "30", "date"),
        ("九三学社市委会参加", "九三", "name"),
        ("推进三位一体建设", "三位", "name"),
        ("会员增长超过60%以上", "超过60%以上", "fact"),
    ],
)
def test_bounds_ranks_times_and_names(text: str, raw: str, kind: str) -> None:
    assert kinds_of(text).get(raw, "no mention") == kind


def test_the_kinds_of_this_round_are_listed() -> None:
    from kexie_research.extract.classify import KINDS

    assert {"furniture", "bound"} <= set(KINDS)


def test_a_share_of_units_is_no_bound_and_a_built_thing_is_counted() -> None:
    assert kinds_of("全市85%以上的企业建立了科协组织")["85%以上"] == "fact"
    assert kinds_of("全县新建一个集展示、体验于一体的科普馆")["一个"] == "fact"


@pytest.mark.parametrize(
    ("text", "raw", "kind"),
    [
        ("在210国道沿线设点", "210", "name"),
        ("乘坐5路公交前往", "5", "name"),
        ("如图2所示，参观者达300人", "2所", "ordinal"),
        ("入选全国50强", "50", "ordinal"),
        ("新建学校2所", "2所", "fact"),
    ],
)
def test_roads_lines_figures_and_rankings(text: str, raw: str, kind: str) -> None:
    assert kinds_of(text)[raw] == kind


def test_days_that_are_the_period_of_the_next_number() -> None:
    assert kinds_of("科技周5天推出活动300项")["5天"] == "date"
    assert kinds_of("会期2天40人，每人每天100元")["2天"] == "fact"
