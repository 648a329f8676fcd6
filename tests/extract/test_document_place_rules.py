"""How the document's place is inferred from its text when no manifest or option gives it (issue 16,
item 1): each rule with a text made up for it (no sentence of an evaluation set)."""

from __future__ import annotations

import pytest

from kexie_research.extract.scope import ScopeFinder

GUIZHOU, ZUNYI, TONGREN = "520000", "520300", "520600"
QIANJIANG = "429005"  # 潜江市, a county-level city directly under 湖北省


@pytest.fixture(scope="module")
def finder() -> ScopeFinder:
    return ScopeFinder.from_data()


def test_a_text_going_through_several_units_of_its_level_is_the_province_it_names(finder):
    body = (
        "贵州红花岗区、汇川区等入选。\n加上贵州此前入选的碧江区、安顺市西秀区，贵州共有9个。\n"
        "遵义市\n遵义市推进科普工作，全市科普经费增长。\n铜仁市\n铜仁市建设科普阵地。"
    )
    assert finder.document_place(body) == (GUIZHOU, "frequency")
    # a title naming the province: not refined to one of the units the text goes through
    assert finder.document_place("贵州多地获评科普示范单位\n" + body) == (GUIZHOU, "title")


def test_a_text_speaking_as_one_unit_keeps_that_unit_however_many_others_it_names(finder):
    text = (
        "科普工作再上台阶\n"
        "贵州红花岗区、汇川区等入选。\n加上贵州此前入选的碧江区、安顺市西秀区，贵州共有9个。\n"
        "遵义市\n我市推进科普工作，遵义市科普经费增长。\n铜仁市\n铜仁市建设科普阵地。"
    )
    assert finder.document_place(text)[0] == ZUNYI


def test_a_short_name_counts_for_the_document_inside_a_province_the_text_names(finder):
    # 潜江 alone is an ordinary word for the scope finder; in a text naming 湖北省 twice it is the
    # city that says 我市, over a prefecture named once (常州) whose province is not named.
    text = (
        "记者从市科协获悉，湖北省科协公布了名单，我市4家基地入选。\n"
        "潜江曹禺公园被命名为湖北省科普教育基地，常州一家企业也参加。全市现有省级科普基地8个。"
    )
    assert finder.document_place(text) == (QIANJIANG, "frequency")
    # without the province named, the short name is no evidence
    alone = "记者从市科协获悉，我市4家基地入选。\n潜江曹禺公园被命名为科普教育基地。全市现有基地8个。"
    assert finder.document_place(alone)[0] != QIANJIANG


def test_a_title_of_the_text_s_own_unit_is_not_national_for_naming_a_national_campaign(finder):
    text = "我省“全国科普日”系列活动启动\n9月16日，贵州省科协在遵义举办启动仪式。我省各地开展活动300项。"
    assert finder.document_place(text) == (GUIZHOU, "frequency")
    national = "“全国科普日”系列活动启动\n9月16日，各地开展活动3000项。中国科协发布数据。"
    assert finder.document_place(national) == ("100000", "title")


def test_a_text_naming_no_place_whose_subject_is_a_national_body_is_national(finder):
    text = "中国科协召开学会工作会议。会议指出，全国性学会发展会员100万人，国务院有关部门负责人出席。"
    assert finder.document_place(text) == ("100000", "frequency")
    # a local unit's text naming no place stays unknown, even when it cites a national body
    local = "市科协召开学会工作会议。会议传达了中国科协的文件，市级学会发展会员1万人。"
    assert finder.document_place(local) == (None, "none")


def test_equal_counts_prefer_the_place_inside_a_province_the_text_names(finder):
    # 铜仁市 and 咸宁市 named once each; 贵州省 named too: 铜仁市
    text = "科普活动启动。我市活动在铜仁市举行，咸宁市代表参加，贵州省科协领导出席。"
    assert finder.document_place(text)[0] == TONGREN
    assert ScopeFinder.from_data()._rank(TONGREN, {TONGREN: 1}, {TONGREN: 1, GUIZHOU: 1}) == (1, 0, 1, -int(TONGREN))


def test_a_numbered_heading_ends_the_list_line_above_it():
    from kexie_research.extract.draft import Extractor

    text = (
        "宜昌市科协关于资助站点建设的通知\n"
        "经评审，决定对下列单位进行资助。\n"
        "一、科普站点(2个)\n市物理学会科普站点\n市中心医院科普站点\n"
        "二、科普微站(3个)\n市化学学会科普微站\n点军区某中学科普微站\n市图书馆科普微站\n"
        "三、科普小屋(4个)\n远安县某村科普小屋\n"
    )
    rows = Extractor.from_data().extract_text(text, place_code="420500")
    scopes = {row["raw_text"]: row["admin_code"] for row in rows}
    assert scopes["3个"] == "420500"  # not 点军区 of the line above the heading: the heading's own sentence
    assert scopes["4个"] == "420500"


def test_a_name_several_units_bear_counts_as_the_one_inside_the_places_the_text_names(finder):
    # 鼓楼区: districts of 南京, 徐州, 福州, 开封; the text names 福州市
    text = "科普日活动启动\n9月16日，鼓楼区科协在一所中学举行启动仪式。福州市科协领导出席。全区开展活动20项。"
    assert finder.document_place(text) == ("350102", "frequency")
    alone = "科普日活动启动\n9月16日，鼓楼区科协举行启动仪式。全区开展活动20项。"
    assert finder.document_place(alone)[0] is None  # no context: no guess


def test_a_news_credit_in_a_county_s_short_name_needs_the_text_s_consent(finder):
    # 凤凰网 is a portal, 凤凰 the short name of 凤凰县: over a text naming another place, no credit
    text = "凤凰网讯 近日，甘南州科协组织开展科普活动，全州共举办讲座40场。"
    assert finder.document_place(text) == ("623000", "frequency")
    local = "凤凰网讯 近日，我县组织开展科普活动，全县共举办讲座40场。"
    assert finder.document_place(local) == ("433123", "author")


def test_a_title_naming_only_the_venue_of_a_national_event_is_national(finder):
    text = "2025年全国科技活动周在杭州启动\n5月18日，全国科技活动周启动。全国各地将举办活动5万余项。"
    assert finder.document_place(text) == ("100000", "title")
    # the host city's own news (我市) stays the city's
    local = "2025年全国科技活动周在杭州启动\n5月18日，活动在我市启动。全市将举办活动300项。"
    assert finder.document_place(local)[0] == "330100"
    # a title naming the place as the actor is the place's
    assert finder.document_place("杭州市科技活动周在西湖区启动\n全市将举办活动300项。")[0] == "330100"


def test_a_province_named_as_often_as_its_cities_is_the_text_s_place(finder):
    text = "奖补名单公布\n根据中国科协通知，贵州省共有40个单位获奖补。其中，遵义市5个，铜仁市4个。"
    assert finder.document_place(text) == (GUIZHOU, "frequency")


def test_a_local_news_of_a_national_event_held_in_the_place_stays_the_place_s(finder):
    text = (
        "全国科普日活动在杭州举行\n9月16日，杭州市科协组织开展活动。杭州市各区共举办活动300场，"
        "杭州市科技馆接待观众2万人次。"
    )
    assert finder.document_place(text)[0] == "330100"
