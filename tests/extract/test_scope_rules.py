"""Scope rules that hold for a text from anywhere in China (issue 16, item 1): each rule with a
sentence made up for it (no sentence of an evaluation set)."""

from __future__ import annotations

import pytest

from kexie_research.extract.places import is_word_in_text
from kexie_research.extract.scope import ScopeFinder

LUAN = "341500"  # 六安市 (a prefecture; 金安区 is one of its districts)
CHUXIONG_CITY = "532301"  # 楚雄市, a county-level city of 楚雄彝族自治州
CHUXIONG = "532300"
HELAN = "640122"  # 贺兰县, 银川市, 宁夏回族自治区
YILING, YICHANG = "420506", "420500"  # 夷陵区 of 宜昌市


@pytest.fixture(scope="module")
def finder() -> ScopeFinder:
    return ScopeFinder.from_data()


def scope_code(finder: ScopeFinder, flat: str, number: str, place: str | None) -> str:
    return finder.scope(flat, flat.index(number), default_code=place)[2]


def test_a_short_name_inside_another_word_is_no_place(finder):
    flat = "管理费和项目基金安排12万元。"  # 金安 (金安区) written across 基金 | 安排
    assert scope_code(finder, flat, "12", LUAN) == LUAN
    assert not is_word_in_text(flat, flat.index("金安"), flat.index("金安") + 2)
    flat = "金安科协举办讲座12场。"
    assert scope_code(finder, flat, "12", LUAN) == "341502"


def test_a_short_name_that_starts_a_longer_word_is_no_place_unless_a_suffix_follows():
    text = "大同小异的做法"
    assert not is_word_in_text(text, 0, 2)
    text = "宿州市科协"
    assert is_word_in_text(text, 0, 2)


@pytest.mark.parametrize(
    ("word", "place", "unit"),
    [
        ("全市", YILING, YICHANG),  # a district's text: 全市 is its city
        ("市科协", YILING, YICHANG),
        ("全区", YILING, YILING),
        ("全市", CHUXIONG_CITY, CHUXIONG_CITY),  # a county-level city is itself 市
        ("全州", CHUXIONG_CITY, CHUXIONG),
        ("全区", HELAN, "640000"),  # a county of an autonomous region: 全区 is the region
        ("全县", YICHANG, YICHANG),  # no county above a city: the document's own place
    ],
)
def test_words_for_the_own_unit_take_the_level_they_name(finder, word, place, unit):
    flat = f"{word}建成科普e站25个。"
    assert scope_code(finder, flat, "25", place) == unit


def test_a_sentence_opening_with_qizhong_is_about_the_place_of_the_sentence_before(finder):
    flat = "兰州市科协组织科技工作者参观展览。其中青年科技工作者40人。"
    assert scope_code(finder, flat, "40", LUAN) == "620100"
    flat = "全市建成示范基地12个。其中，省级示范基地5个。"
    assert scope_code(finder, flat, "5个", YILING) == YICHANG
    flat = "兰州市科协组织科技工作者参观展览。青年科技工作者40人。"  # no 其中: the document's place
    assert scope_code(finder, flat, "40", LUAN) == LUAN


def test_a_place_opening_an_event_name_is_not_the_scope(finder):
    flat = "推选优秀作品参加第九届甘肃省青少年科技创新大赛，获奖作品16件。"
    assert scope_code(finder, flat, "16", LUAN) == LUAN
    flat = "甘肃省科协举办青少年科技创新大赛，获奖作品16件。"  # the organiser with its verb: the scope
    assert scope_code(finder, flat, "16", LUAN) == "620000"


def test_a_place_one_goes_to_or_comes_from_is_not_the_scope(finder):
    flat = "组织农技人员赴武汉市学习，共30人。"
    assert scope_code(finder, flat, "30", LUAN) == LUAN
    flat = "邀请来自兰州市的专家8名授课。"
    assert scope_code(finder, flat, "8名", LUAN) == LUAN
    flat = "武汉市共组织农技人员30人。"
    assert scope_code(finder, flat, "30", LUAN) == "420100"


def test_document_place_prefers_the_level_the_text_speaks_of_itself_in(finder):
    # A district's news names its province and city more often than itself.
    body = (
        "湖北省、宜昌市科协领导来到夷陵区。全区科协干部参加，区科协介绍经验，"
        "湖北省科协、宜昌市科协表示肯定，全区共有科普e站30个。"
    )
    assert finder.document_place("科普大篷车进基层\n" + body) == (YILING, "frequency")
    # … even under a title that names only the province.
    assert finder.document_place("湖北省科普大篷车进基层\n" + body) == (YILING, "frequency")
    # A city's text (全市, 市科协) naming one of its districts more often stays the city's.
    body = "宜昌市科协召开会议。全市科协干部参加，市科协介绍夷陵区、夷陵区科协和夷陵区的经验。"
    assert finder.document_place("会议召开\n" + body) == (YICHANG, "frequency")


def test_a_local_text_naming_only_a_national_event_is_not_national(finder):
    assert finder.document_place("科普活动启动\n我县举办全国科普日活动，宣传全国科普日主题。") == (None, "none")
    assert finder.document_place("科普活动启动\n全国科普日活动在各地举办。") == ("100000", "frequency")


def test_an_event_name_still_tells_where_the_document_comes_from(finder):
    text = "活动启动\n今天，我县举行了夷陵区全国科普日活动，共300人参加。"
    assert finder.document_place(text)[0] == YILING


def test_a_short_name_that_is_an_ordinary_word_needs_a_suffix_even_at_home(finder):
    guilin, gannan = "450300", "623000"  # 资源县 lies in 桂林市, 合作市 in 甘南藏族自治州
    flat = "整合科普资源建成科普e站15个。"
    assert scope_code(finder, flat, "15", guilin) == guilin
    flat = "资源科协建成科普e站15个。"
    assert scope_code(finder, flat, "15", guilin) == "450329"
    flat = "加强部门合作，举办讲座7场。"
    assert scope_code(finder, flat, "7场", gannan) == gannan
    flat = "出席活动的领导和来宾共120人。"  # 来宾 (guests) is also 来宾市's short name
    assert scope_code(finder, flat, "120", LUAN) == LUAN
    assert "来宾" in finder.index.ordinary_words and "资源" in finder.index.ordinary_words


def test_place_words_file_is_read_and_a_bad_one_is_named(tmp_path, monkeypatch):
    from kexie_research.errors import KexieError
    from kexie_research.extract import places

    bad = tmp_path / "place_words.csv"
    bad.write_text("word\n资源\n", encoding="utf-8")
    monkeypatch.setattr(places, "PLACE_WORDS_FILE", bad)
    with pytest.raises(KexieError, match=r"place_words\.csv: expected a column 'name'"):
        places._ordinary_words()
    bad.write_text("name,source\n资源,jieba\n", encoding="utf-8")
    assert places._ordinary_words() == frozenset({"资源"})


def test_a_nearer_word_for_the_own_unit_is_not_overridden_by_a_larger_place_before_it(finder):
    flat = "省科协领导到我县调研，我县已建成科普基地12个。"
    assert scope_code(finder, flat, "12", YILING) == YILING
    flat = "宜昌市科协指导全区建成科普基地12个。"
    assert scope_code(finder, flat, "12", YILING) == YILING
    flat = "湖北省夷陵区发动全区科技工作者300人。"  # a place of the word's level named before it
    assert scope_code(finder, flat, "300", YICHANG) == YILING


def test_a_news_title_opening_with_a_place_and_a_colon_names_the_documents_place(finder):
    assert finder.document_place("点军：科普大篷车进社区\n活动现场发放资料300份。") == ("420504", "title")
    # 城区 names three districts: no guess; 通知 names no place.
    assert finder.document_place("城区：科普大篷车进社区\n活动现场发放资料300份。") == (None, "none")
    assert finder.document_place("通知：科普大篷车进社区\n活动现场发放资料300份。") == (None, "none")


def test_a_source_field_inside_a_pages_date_line_names_the_documents_place(finder):
    text = "科普日活动启动\n发布时间：2023-09-18 来源：夷陵区科协 浏览次数：12\n活动现场，湖北省科协领导讲话，湖北省……"
    assert finder.document_place(text) == (YILING, "author")


def test_a_text_of_the_whole_country_naming_places_of_many_provinces_is_national(finder):
    text = "科普工作取得进展\n我国科普工作成效显著，北京、上海、广东等地建成科技馆，北京120个，上海80个。"
    assert finder.document_place(text) == ("100000", "frequency")
    text = "科普工作取得进展\n全国科普工作会议召开，北京建成科技馆，北京120个，北京……"  # one province only
    assert finder.document_place(text) == ("110000", "frequency")
    text = "科普工作取得进展\n我县学习北京、上海、广东的经验，全国……"  # a local author
    assert finder.document_place(text)[0] != "100000"


def test_own_unit_words_in_a_national_text_take_the_place_named_last_before_them(finder):
    flat = "四川省科协：科普工作稳步推进。全省建成科普基地300个。"
    assert scope_code(finder, flat, "300", "100000") == "510000"
    flat = "在绵阳市，科普工作稳步推进。全市建成科普基地40个。"
    assert scope_code(finder, flat, "40", "100000") == "510700"
    flat = "全省建成科普基地300个。"  # none named: the document's own place
    assert scope_code(finder, flat, "300", "100000") == "100000"


def test_a_short_name_in_the_name_of_a_community_or_street_is_no_place(finder):
    flat = "和平社区举办讲座6场。"  # 和平 is the short name of 和平区 of 天津市
    assert scope_code(finder, flat, "6场", "120101") == "120101"
    flat = "和平区科协举办讲座6场。"
    assert scope_code(finder, flat, "6场", "120000") == "120101"


def test_a_title_place_is_kept_against_organisation_names_of_another_level(finder):
    # 省委, 省政府 of a cited document do not make a city's budget a provincial text.
    text = "宜昌市科学技术协会2017年部门预算\n根据中共湖北省委、湖北省人民政府的决定，市科协安排经费30万元。"
    assert finder.document_place(text) == (YICHANG, "title")
    body = "\n县科协主席介绍，全县建成科普e站30个。"
    assert finder.document_place("宜昌市科协到远安县调研" + body) == ("420525", "title")


def test_a_word_for_the_own_unit_inside_another_word_is_none(finder):
    guangxi_city = "450300"  # 桂林市, in 广西壮族自治区 (a region: 全区 there is the region)
    flat = "推动社区科协建设，建成科普e站18个。"  # 社区 | 科协: no 区科协
    assert scope_code(finder, flat, "18", guangxi_city) == guangxi_city
    flat = "健全区域协作机制，建成科普e站18个。"  # 健全 | 区域: no 全区
    assert scope_code(finder, flat, "18", guangxi_city) == guangxi_city
    flat = "全区建成科普e站18个。"
    assert scope_code(finder, flat, "18", guangxi_city) == "450000"


def test_the_county_just_named_and_our_country(finder):
    flat = "记者来到远安县采访。该县建成科普e站45个。"
    assert scope_code(finder, flat, "45", YICHANG) == "420525"
    flat = "该县建成科普e站45个。"  # none named before: the document's county
    assert scope_code(finder, flat, "45", "420525") == "420525"
    flat = "我县科普经费20万元，我国公民具备科学素质的比例达到12%。"
    assert scope_code(finder, flat, "12%", "420525") == "100000"
    flat = "全县比例高于我国平均水平，达到15%。"  # the country compared with
    assert scope_code(finder, flat, "15%", "420525") == "420525"


def test_a_provinces_text_on_a_national_meeting_stays_the_provinces(finder):
    text = (
        "基层科协论坛召开\n全国各省、市、县科协代表参加论坛，全国已有2万余名代表。\n"
        "目前，湖北省建成科协组织1200个。全省96个县级科协全覆盖，试点县科协参加。"
    )
    assert finder.document_place(text) == ("420000", "frequency")
    text = "调查结果发布\n我国公民科学素质比例达到10%，上海和北京分别达到24%和23%，我国……中国……"
    assert finder.document_place(text) == ("100000", "frequency")


def test_a_ranking_in_the_province_is_not_the_provinces_number(finder):
    flat = "两项工作取得全省第一，举办讲座9场。"
    assert scope_code(finder, flat, "9场", YICHANG) == YICHANG
    assert finder._own_level("两项工作取得全省第一，居全省前列") is None


def test_money_received_from_the_centre_is_the_receivers(finder):
    flat = "宜昌市共获中央财政奖补资金80万元。"
    assert scope_code(finder, flat, "80", "420000") == YICHANG
    flat = "累计安排中央财政转移支付资金8亿元。"
    assert scope_code(finder, flat, "8亿", YICHANG) == "100000"


def test_places_from_and_to_are_not_the_scope(finder):
    flat = "从点军区的社区到远安县的学校，大篷车行驶3000公里。"
    assert scope_code(finder, flat, "3000", YICHANG) == YICHANG


def test_examples_before_a_count_and_levels_listed_are_not_the_scope(finder):
    flat = "其中，远安县柑橘协会等12个协会获得奖补。"
    assert scope_code(finder, flat, "12个", YICHANG) == YICHANG
    flat = "全国各省、市、县科协代表共300人参加。"
    assert scope_code(finder, flat, "300", YICHANG) == "100000"


def test_respectively_gives_each_number_its_place(finder):
    flat = "有5个省份超过10%，湖南省和湖北省分别达到14.5%和13.2%。"
    assert scope_code(finder, flat, "14.5", "100000") == "430000"
    assert scope_code(finder, flat, "13.2", "100000") == "420000"


def test_names_written_together_nest_and_an_author_inside_the_title_place_wins(finder):
    # 点军 is also read as the short name of 点军区 (湖北); written right after 新疆 it cannot be that.
    assert finder._place_of_line("新疆点军科协举办活动", None) == "650000"
    text = "湖北省科普大篷车开进乡村\n2025-08-11 供稿：夷陵区科协\n大篷车行驶3000公里。"
    assert finder.document_place(text) == (YILING, "author")


def test_a_rank_closing_the_clause_makes_a_ranking(finder):
    flat = "影响力连续7个月在全省科协系统排名第一，全省建成基地5个"
    assert finder._own_level(flat) == "省"  # the second 全省 only
    assert ScopeFinder._own_level("连续7个月在全省科协系统排名第一") is None


def test_a_number_right_after_a_ranking_word_is_that_units(finder):
    flat = "市农技协在全省8个入围的协会中排名第一。"
    assert scope_code(finder, flat, "8个", YICHANG) == "420000"


def test_a_town_named_as_its_county_tells_the_documents_place_but_is_no_scope(finder):
    text = "科普活动启动\n县科协联合点军镇老科协在广场开展活动，全县群众300人参加。"
    assert finder.document_place(text) == ("420504", "frequency")
    flat = "点军镇老科协开展活动6场。"
    assert scope_code(finder, flat, "6场", YICHANG) == YICHANG


def test_a_list_of_recipients_with_deng_is_not_an_example_of_the_subject(finder):
    flat = "远安县科协向县委、县政府等呈报请示9份。"
    assert scope_code(finder, flat, "9份", YICHANG) == "420525"


def test_an_organisation_of_the_centre_does_not_make_a_local_text_national(finder):
    text = "科协会议召开\n宜昌市科协传达中国科协会议精神，中国科协领导讲话。"
    assert finder.document_place(text) == (YICHANG, "frequency")
    text = "调查结果发布\n中国公民科学素质比例达到10%，中国公民……宜昌市达到9%。"
    assert finder.document_place(text) == ("100000", "frequency")


def test_a_text_speaking_as_a_city_and_naming_only_its_counties_is_the_citys(finder):
    text = "工作总结\n一年来，我市科协系统举办活动86场，全市新建科普e站42个，其中远安县新建12个。"
    assert finder.document_place(text) == (YICHANG, "frequency")
    text = "科普统计数据发布\n全省科普经费12亿元，宜昌、襄阳、荆州分别有科技馆8个、5个和4个。"
    assert finder.document_place(text) == ("420000", "frequency")


def test_an_autonomous_units_short_name_with_its_plain_suffix(finder):
    flat = "恩施州科协组织活动210场。"
    assert finder.scope(flat, flat.index("210"), default_code=None)[2] == "422800"
    flat = "融水县建成科普e站9个。"  # 融水苗族自治县
    assert finder.scope(flat, flat.index("9个"), default_code=None)[2] == "450225"
    assert finder.document_place("恩施州科协召开全委会\n会议召开。")[0] == "422800"


@pytest.mark.parametrize("text", ["三元", "恩施", "来宾", "全县", "金安"])
def test_a_name_that_ends_the_text_is_read_without_error(finder, text):
    assert isinstance(finder.names(text, ("420500",)), list)
    assert isinstance(finder.names(text, events=True), list)
    assert isinstance(is_word_in_text(text, 0, len(text)), bool)


def test_a_local_text_naming_a_national_university_once_stays_local(finder):
    text = "专家进村\n宜昌市科协邀请中国农业大学专家授课，全国……"
    assert finder.document_place(text) == (YICHANG, "frequency")


def test_a_province_name_opening_a_long_organisation_name_is_no_place():
    text = "和新疆建设兵团都达到目标"
    assert not is_word_in_text(text, text.index("新疆"), text.index("新疆") + 2)


@pytest.mark.parametrize(
    ("flat", "kept"),
    [
        ("县里创建省级科普示范县3个。", False),  # 范县 across 示范 | 县
        ("今年完成县级科技馆改造2个。", False),  # 成县 across 完成 | 县级
        ("建设科技创新县共投入5万元。", False),  # 新县 across 创新 | 县
        ("沛县科协举办讲座3场。", True),
        ("专家来到歙县，开展讲座3场。", True),
    ],
)
def test_a_one_character_name_with_its_suffix_must_stand_as_a_word(finder, flat, kept):
    assert bool([name for _, _, name in finder.names(flat) if name not in ("全县",)]) is kept


def test_a_county_slogan_after_a_national_one_is_no_place(finder):
    flat = "我县坚持科教兴县，投入经费6万元。"
    assert [name for _, _, name in finder.names(flat, events=True) if name != "我县"] == []
    flat = "兴县科协投入经费6万元。"
    assert scope_code(finder, flat, "6", None) == "141123"


def test_the_country_a_programme_is_held_in_is_its_scope_but_not_the_country_ranked_in(finder):
    flat = "本届活动周将在全国开展3000多项科普活动。"
    assert scope_code(finder, flat, "3000", "110000") == "100000"
    flat = "该县科普工作在全国排名第三，建成站点12个。"
    assert scope_code(finder, flat, "12", HELAN) == HELAN


def test_a_place_inside_a_short_quoted_campaign_name_is_no_scope(finder):
    flat = "活动周开展“科普大篷车云南行”等20余项示范活动。"
    assert scope_code(finder, flat, "20", "100000") == "100000"
    flat = "在“宜昌市”举办讲座8场。"  # the place itself, quoted
    assert scope_code(finder, flat, "8", "100000") == YICHANG


@pytest.mark.parametrize(
    ("flat", "number", "scope"),
    [
        ("本省比例为9.1%，高于全国平均水平（8.5%）。", "8.5", "100000"),
        ("全省平均值为3.2个，该市为4个。", "3.2", "420000"),
        ("本省高出全国平均水平2个百分点。", "2", "420000"),  # a difference: the province's own
    ],
)
def test_the_figure_of_an_average_compared_with_is_that_units(finder, flat, number, scope):
    assert scope_code(finder, flat, number, "420000") == scope


def test_a_text_naming_places_only_in_cited_documents_takes_the_cited_place_of_its_level(finder):
    text = "项目申报书\n市科协按照《宜昌市科普工作规划》要求，全市开展科普活动20场，经费5万元。"
    assert finder.document_place(text) == (YICHANG, "cited")
    text = "项目申报书\n县科协按照《湖北省科普条例》要求，全县开展科普活动20场。"
    assert finder.document_place(text) == (None, "none")  # the cited place is not of the text's level
    text = "项目申报书\n按照《宜昌市科普工作规划》要求，开展科普活动20场。"
    assert finder.document_place(text) == (None, "none")  # the text does not speak of its own level


@pytest.mark.parametrize(
    ("flat", "code"),
    [
        ("关岭自治县开展科普活动3场。", "520424"),  # 关岭布依族苗族自治县 without the peoples' names
        ("湘西自治州科协建成基地3个。", "433100"),
        ("恩施自治州建成基地3个。", "422800"),  # the prefecture, not 恩施市
    ],
)
def test_an_autonomous_units_short_name_with_zizhi_and_its_suffix_is_that_unit(finder, flat, code):
    assert scope_code(finder, flat, "3", None) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("秀山网讯 9月15日上午，我县在广场开展科普活动，发放资料1万余份。", "500241"),
        ("【宜昌日报讯】记者从市科协获悉，全市建成科普e站30个。", YICHANG),
        ("科普日活动启动\n夷陵区讯 9月15日，全区开展科普活动8场。", YILING),
    ],
)
def test_a_local_news_outlets_credit_names_the_documents_place(finder, text, code):
    assert finder.document_place(text) == (code, "author")


def test_a_news_credit_without_a_place_names_none(finder):
    assert finder.document_place("本报讯 9月15日上午，开展科普活动，发放资料1万余份。") == (None, "none")


def test_a_partner_the_subject_works_with_is_not_the_scope(finder):
    flat = "区科协联合宜昌市科协举办科普讲座12场。"
    assert scope_code(finder, flat, "12", YILING) == YILING
    flat = "夷陵区科协会同宜昌市科技局开展培训5期。"
    assert scope_code(finder, flat, "5", YICHANG) == YILING


def test_a_pinyin_gloss_inside_a_place_name_is_read_through(finder):
    # (the finder reads the simplified text; the gloss stays as the conversion left it)
    flat = "长(zhǎng)阳(yáng)自治县建成站点(diǎn)7个。"
    assert scope_code(finder, flat, "7", None) == "420528"
    flat = "全國(guó)第一，宜(yí)昌市共有站点9个。"
    names = finder.names(flat)
    assert [name for _, _, name in names] == ["宜昌市"]  # 全国第一 (a ranking) stays no scope
    assert flat[names[0][0] : names[0][1]] == "宜(yí)昌市"


def test_a_city_text_naming_a_county_level_city_among_its_sibling_counties_is_the_citys(finder):
    text = "市科协召开工作会议\n我市各县科协负责人参加。会上，江陵县、公安县、监利市科协作交流发言。全市建成基地20个。"
    assert finder.document_place(text) == ("421000", "frequency")  # 荆州市, not 监利市
    text = "科协召开工作会议\n我市科协与江陵县科协交流经验，全市建成基地20个，监利市科协获评先进。"
    assert finder.document_place(text) == ("421088", "frequency")  # one neighbour named: the city's own


def test_the_unit_whose_support_or_guidance_a_sentence_names_is_not_the_scope(finder):
    flat = "在市科协的精心指导下，共举办讲座30场。"
    assert scope_code(finder, flat, "30", YILING) == YILING  # not 宜昌市
    flat = "在宜昌市科协大力支持下，区科协建成站点6个。"
    assert scope_code(finder, flat, "6", YILING) == YILING
    flat = "宜昌市在省科协指导下建成基地5个。"  # the subject before the circumstance stays
    assert scope_code(finder, flat, "5", YILING) == YICHANG


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("新华社北京9月6日电 记者从中国科协获悉，各地报送活动9000项。北京主场设展位150个。", ("100000", "author")),
        ("人民网北京5月20日电 今年科技活动周期间，各地举办活动2万场。", ("100000", "author")),
        # the outlet is national, the news a region's (全区) or a county's named twice
        ("新华社南宁9月1日电 广西壮族自治区科协发布数据，全区建成科普e站3000个。", ("450000", "frequency")),
        ("新华社贵阳9月1日电 湄潭县科协组织专家下乡。湄潭县今年建成基地5个。", ("520328", "frequency")),
    ],
)
def test_a_national_outlets_dateline_is_not_the_documents_place(finder, text, place):
    assert finder.document_place(text) == place


def test_the_place_a_reporter_files_from_is_no_scope(finder):
    flat = "新华社北京9月6日电 记者从中国科协获悉，各地报送活动9000项。"
    assert scope_code(finder, flat, "9000", "100000") == "100000"


def test_the_venue_of_an_event_in_a_place_is_that_places(finder):
    flat = "成都科技周主场展区面积约5000平方米。"
    assert scope_code(finder, flat, "5000", "100000") == "510100"
    flat = "参加四川省青少年科技创新大赛，获奖9项。"  # the event's name alone: no scope
    assert scope_code(finder, flat, "9", "510104") == "510104"


def test_the_files_name_names_the_documents_place_when_the_text_does_not(finder):
    text = "2021年工作总结\n全区建成站点9个。"
    assert finder.document_place(text, file_name="夷陵区科协2021年工作总结.docx") == (YILING, "file")
    assert finder.document_place(text, file_name="report_2021.docx") == (None, "none")
    text = "宜昌市科协2021年工作总结\n全市建成站点9个。"  # the title first
    assert finder.document_place(text, file_name="夷陵区科协.txt") == (YICHANG, "title")


def test_extract_text_reads_the_documents_file_name():
    from kexie_research.extract.draft import Extractor

    rows = Extractor.from_data().extract_text("工作总结\n全区建成站点9个。", document="夷陵区科协工作总结.txt")
    assert (rows[0]["admin_code"], rows[0]["place_from"]) == (YILING, "file")


def test_a_district_name_made_of_generic_words_is_a_place_only_in_context(finder):
    flat = "推进老城区改造，建成站点3个。"  # a common noun, not 洛阳's 老城区
    assert scope_code(finder, flat, "3", YILING) == YILING
    flat = "洛阳市老城区建成站点3个。"  # inside the place named right before it
    assert scope_code(finder, flat, "3", YILING) == "410302"
    flat = "东城区科协建成站点3个。"
    assert scope_code(finder, flat, "3", None) == "110101"
    flat = "东城区建成站点3个。"  # in a text of 北京
    assert scope_code(finder, flat, "3", "110000") == "110101"


def test_a_text_speaking_of_all_provinces_is_national(finder):
    text = "科技活动周综述\n今年，各省（区、市）共举办活动3万场，北京主场活动吸引观众2万人次。"
    assert finder.document_place(text) == ("100000", "frequency")
    text = "科技活动周综述\n今年，我省与各省区市交流，江苏省科协举办活动3万场。"  # a province's own text
    assert finder.document_place(text) == ("320000", "frequency")


@pytest.mark.parametrize("flat", ["沛县委宣传部印发资料3000份。", "藤县政府拨款3万元。", "在藤县城区开展活动3场。"])
def test_a_one_character_name_before_a_word_of_its_suffix_is_still_the_place(finder, flat):
    assert [name for _, _, name in finder.names(flat)] == [flat[flat.index("县") - 1 : flat.index("县") + 1]]


@pytest.mark.parametrize(
    ("flat", "code"),
    [
        ("科右前旗科协举办讲座3场。", "152221"),  # 科尔沁右翼前旗
        ("土左旗建成站点3个。", "150121"),  # 土默特左旗
        ("东乌旗建成站点3个。", "152525"),  # 东乌珠穆沁旗
        ("锡盟科协组织活动3场。", "152500"),  # 锡林郭勒盟
    ],
)
def test_a_banner_or_league_by_its_usual_abbreviation(finder, flat, code):
    assert scope_code(finder, flat, "3", None) == code


@pytest.mark.parametrize("label", ["编制单位", "单位名称", "申报单位", "填报单位"])
def test_the_unit_named_in_a_budget_forms_header_is_the_documents_place(finder, label):
    text = f"2022年部门预算公开表\n{label}：夷陵区科学技术协会    单位：万元\n项目 金额\n科普经费 20"
    assert finder.document_place(text) == (YILING, "author")


def test_a_county_short_name_right_after_a_place_that_holds_it_is_a_place(finder):
    flat = "浙江安吉建成科普站点3个。"
    assert scope_code(finder, flat, "3", "100000") == "330523"
    flat = "安吉建成科普站点3个。"  # alone, in a national text: no context makes it a place
    assert scope_code(finder, flat, "3", "100000") == "100000"
    flat = "湖北东方红科技公司捐赠3台。"  # 东方 is an ordinary word: a suffix is needed
    assert scope_code(finder, flat, "3", "100000") == "420000"


@pytest.mark.parametrize(
    "sentence",
    [
        "2023年，宜昌市推荐8个团体参评湖北省科技创新奖、湖北省“优秀学会”等奖项，3支队伍获表彰。",
        "宜昌市获评湖北省“科普先进集体”称号，3支队伍受表彰。",
        "在点军区土城乡举办湖北省科协农村实用技术培训班，3支队伍参加。",
    ],
)
def test_a_place_that_opens_an_award_or_a_training_course_is_not_the_scope(finder, sentence):
    scope = scope_code(finder, sentence, "3支", YICHANG)
    assert scope in (YICHANG, "420504")  # the unit that competes, or the course's venue (点军区)
    assert scope != "420000"


def test_an_award_word_that_is_money_keeps_the_place(finder):
    flat = "湖北省奖补资金300万元下达。"  # 奖补: money the province gives, its own figure
    assert scope_code(finder, flat, "300", YICHANG) == "420000"


def test_examples_of_a_count_inside_the_document_s_place_are_its_units(finder):
    flat = "省科协决定对夷陵区某某种植协会等21个协会、远安县某某示范基地等16个基地予以表彰。"
    assert scope_code(finder, flat, "21", "420000") == "420000"  # a province's text: across the province
    assert scope_code(finder, flat, "21", "450000") == YICHANG  # the example outside it: its parent
    assert scope_code(finder, flat, "16", "420000") == "420000"


def test_a_place_given_as_the_example_of_an_earlier_count_is_not_the_scope_of_the_next(finder):
    flat = "省科协表彰远安县某某示范基地等16个基地、张某等40名带头人。"
    assert scope_code(finder, flat, "40", "420000") == "420000"
    assert scope_code(finder, flat, "40", None) == "", "only 省科协 of an unknown province is left"


def test_a_list_of_examples_inside_the_document_s_place_is_its_units(finder):
    flat = "湖北宜昌市夷陵区、宜昌市远安县等9个县(市、区)获批。"
    assert scope_code(finder, flat, "9个", "420000") == "420000"
    assert scope_code(finder, flat, "9个", None) == YICHANG


def test_a_place_in_an_earlier_part_of_a_semicolon_list_does_not_carry_to_the_next(finder):
    flat = "近年来，宜昌市建成站点9个；远安县科协举办讲座3场；开展培训5期，受益群众800人。"
    assert scope_code(finder, flat, "3场", "420000") == "420525"  # its own part names 远安县科协
    assert scope_code(finder, flat, "5期", "420000") == YICHANG  # the sentence's topic carries
    assert scope_code(finder, flat, "800", "420000") == YICHANG
    flat = "全省开展活动200场；远安县科协举办讲座3场；开展培训5期。"
    assert scope_code(finder, flat, "5期", "420000") == "420000"  # no place opens it: the document's


def test_the_country_spoken_of_as_its_people_is_national(finder):
    flat = "中国科协在武汉举行发布会称，2022年中国公民具备科学素质的比例为12.9%。"
    assert scope_code(finder, flat, "12.9", YICHANG) == "100000"
    flat = "湖北省科协在武汉发布：2022年湖北公民具备科学素质的比例为12.9%。"  # a province's people
    assert scope_code(finder, flat, "12.9", YICHANG) == "420000"
    flat = "武汉市科协宣讲中国梦，举办讲座12场。"  # 中国 in a slogan is no scope
    assert scope_code(finder, flat, "12场", YICHANG) == "420100"


def test_every_place_of_a_list_come_from_is_no_scope(finder):
    flat = "来自武汉、襄阳等地的60名专家参加了论坛。"
    assert scope_code(finder, flat, "60", YICHANG) == YICHANG
    flat = "襄阳、荆门等地共建成站点60个。"  # a list not come from: its common unit
    assert scope_code(finder, flat, "60", YICHANG) == "420000"


def test_the_unit_above_the_subject_is_not_the_scope(finder):
    flat = "本单位上级主管部门是宜昌市科协，承担考核任务，建议安排经费30万元。"
    assert scope_code(finder, flat, "30", "420506") == "420506"
    flat = "宜昌市科协安排经费30万元。"  # the same unit acting: its own
    assert scope_code(finder, flat, "30", "420506") == YICHANG


def test_the_venue_of_another_item_of_a_list_is_not_the_scope(finder):
    flat = "活动包括杭州主会场活动、各地分会场活动、八大联合行动等三个方面。"
    assert scope_code(finder, flat, "三个", "100000") == "100000"
    flat = "杭州主会场吸引观众2万人次。"  # the venue's own figure
    assert scope_code(finder, flat, "2万", "100000") == "330100"
