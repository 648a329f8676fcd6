"""The document's date, the period carried to a fact and its status, on invented texts of every genre.

Each test writes its own short text (none is taken from an evaluation set): the forms a coder meets in
news items, work reports, budgets and plans of any province, in simplified or traditional script.
"""

from __future__ import annotations

import pytest

from tests.support.extract_rows import ANY_PLACE, bounds, facts
from kexie_research.extract.context import status_of
from kexie_research.extract.docdate import dated, document_date, is_date_line

PLACE = ANY_PLACE


# -- the document's date ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected", "how"),
    [
        ("标题\n【发布日期：2020年05月16日】\n正文。", "2020-05-16", "line"),
        (
            "标题\n来源：某县融媒体中心 作者：王五 责任编辑：赵六 2020-05-16 10:30 浏览量：1234\n正文。",
            "2020-05-16",
            "line",
        ),
        ("標題\n發佈時間：2019年09月18日\n正文。", "2019-09-18", "line"),
        ("标题\n２０２０－０５－１６\n正文。", "2020-05-16", "line"),  # full-width digits
        ("总结\n全年举办讲座20场。\n某县科学技术协会\n二〇二〇年十二月十日", "2020-12-10", "line"),  # a signature
        ("总结\n全年举办讲座20场，成效明显。某县科学技术协会2019年1月8日", "2019-01-08", "line"),
        # a day without its year takes the one year of its sentence, or of the title
        ("活动启动\n新华社武汉9月19日电 2022年全国科普日活动今天启动。", "2022-09-19", "event"),
        ("某县2021年科技活动周开幕\n5月22日，县科协在广场举办开幕式。", "2021-05-22", "event"),
        # a text may open with its body: its first line is not a title to skip
        ("8月3日，县科协举办2024年青少年科技营，学员60人参加，收获颇丰。\n营期五天。", "2024-08-03", "event"),
    ],
)
def test_the_document_date_is_read_from_many_layouts(text, expected, how):
    assert dated(text) == (expected, how)


@pytest.mark.parametrize(
    "text",
    [
        "科普大集\n3月5日，区科协在镇上举办科普大集。",  # a day, and no year anywhere
        "标题\n正文。到2026年12月31日前建成科普馆。",  # a deadline is not the date of the document
        "标题\n5月16日，县科协召开2019年工作总结会。",  # the year of a report it names is not the event's
        "标题\n截至3月31日，全县会员达3000人。",
    ],
)
def test_a_text_without_its_date_stays_undated(text):
    assert document_date(text) is None


def test_a_sentence_naming_a_date_is_not_a_date_line():
    assert is_date_line("作者：李四 来源：县科协 2021-06-01 点击：88")
    assert not is_date_line("2021年6月1日，县科协举办活动，发放资料200份。")
    assert not is_date_line("到2025年12月31日前完成。")


# -- periods carried and the document's year ------------------------------------------------------
def test_a_period_cue_right_after_a_date_line_is_read(extractor):
    rows = facts(extractor, "工作总结\n发布时间：2020-12-10\n6年来，县科协累计培训农民3万人次。")
    assert rows["3万人次"]["period_text"] == "6年来"
    assert bounds(rows["3万人次"]) == ("2014-01-01", "2020-12-10")  # 6年来: back 6 years from the date


def test_a_list_of_years_is_one_period_and_a_series_over_it_takes_each_year(extractor):
    rows = facts(extractor, "县科协\n发布时间：2015-03-02\n县科协在2009年、2011年和2014年共获得省级表彰4次。")
    assert rows["4次"]["period_text"] == "2009年、2011年和2014年"
    assert bounds(rows["4次"]) == ("2009-01-01", "2014-12-31")
    rows = facts(extractor, "县科协\n发布时间：2020-03-01\n2017年和2019年，新建科普画廊分别为6块、9块。")
    assert (rows["6块"]["period_text"], rows["9块"]["period_text"]) == ("2017年", "2019年")


def test_an_undated_report_reads_days_and_this_year_in_its_titles_year(extractor):
    text = (
        "某镇科协2018年工作总结\n4月2日，镇科协举办果树修剪培训，参训果农90人。今年共举办培训11期。"
        "截至年底，全镇有会员700人。今年以来新建协会3个。目前有志愿者45人。"
    )
    rows = facts(extractor, text)
    assert bounds(rows["90人"]) == ("2018-04-02", "2018-04-02")
    assert bounds(rows["11期"]) == ("2018-01-01", "2018-12-31")
    assert bounds(rows["700人"]) == ("", "2018-12-31")
    assert bounds(rows["3个"]) == ("2018-01-01", "")  # since: the end is the unknown date
    assert bounds(rows["45人"]) == ("", "")  # as of the unknown date
    assert rows["90人"]["date_from"] == "none"


def test_an_undated_text_without_a_year_leaves_relative_periods_open(extractor):
    rows = facts(extractor, "科普大集\n3月5日，区科协发放资料1500份。今年举办大集6次。")
    assert bounds(rows["1500份"]) == ("", "")
    assert bounds(rows["6次"]) == ("", "")


def test_a_news_item_of_one_event_dates_its_later_paragraphs_by_it(extractor):
    text = (
        "某县开展科普日活动\n發佈日期：2019年09月18日\n9月16日，某縣科協在廣場舉辦活動，發放資料2000餘份。\n"
        "活動期間，共有參與群眾5000餘人。"
    )
    rows = facts(extractor, text)
    assert bounds(rows["2000餘份"]) == ("2019-09-16", "2019-09-16")
    assert (rows["5000餘人"]["period_from"], bounds(rows["5000餘人"])) == ("document", ("2019-09-16", "2019-09-16"))


def test_the_past_year_of_a_review_late_in_the_year_is_its_own_year(extractor):
    rows = facts(extractor, "工作报告\n发布时间：2020-12-10\n过去的一年，县科协举办讲座45场。")
    assert bounds(rows["45场"]) == ("2020-01-01", "2020-12-31")
    rows = facts(extractor, "工作报告\n发布时间：2021-02-03\n过去的一年，县科协举办讲座45场。")
    assert bounds(rows["45场"]) == ("2020-01-01", "2020-12-31")


# -- status ---------------------------------------------------------------------------------------
def test_headings_of_plans_and_of_results_say_what_their_numbers_are(extractor):
    text = (
        "某县科协工作报告\n发布时间：2022-01-12\n一、2021年工作回顾\n全年举办培训班30期。\n"
        "二、2022年工作打算\n举办培训班35期，新建科普示范基地3个。"
    )
    rows = facts(extractor, text)
    assert (rows["30期"]["status"], rows["30期"]["period_text"], rows["30期"]["period_from"]) == (
        "achieved",
        "2021年",
        "title",
    )
    assert (rows["35期"]["status"], rows["35期"]["period_text"]) == ("target", "2022年")
    assert rows["3个"]["status"] == "target"
    # a plan's section of results is not a goal
    text = (
        "某县科普工作方案\n发布时间：2021-04-01\n一、基本情况\n全县现有科普基地8个。\n二、主要目标\n新建科普基地5个。"
    )
    rows = facts(extractor, text)
    assert (rows["8个"]["status"], rows["5个"]["status"]) == ("achieved", "target")


@pytest.mark.parametrize(
    ("sentence", "number", "status"),
    [
        ("年初预算安排培训经费20万元，执行15万元。", "15万元", "achieved"),
        ("年初预算安排培训经费20万元，执行15万元。", "20万元", "target"),
        ("科普经费预算执行数为15万元。", "15万元", "achieved"),
        ("全县要建成科普示范村30个。", "30个", "target"),
        ("主要建成科普示范村30个。", "30个", "achieved"),  # 主要 is not the modal 要
        ("将实现乡镇科协覆盖率90%。", "90%", "target"),
        ("全县实现乡镇科协覆盖率95%。", "95%", "achieved"),
        ("实际到位资金12万元。", "12万元", "achieved"),
    ],
)
def test_budget_execution_and_the_modal_yao(sentence, number, status):
    assert status_of(sentence, sentence.index(number)) == status


def test_an_article_opening_with_a_day_and_telling_of_other_years_is_not_one_event(extractor):
    text = (
        "改革纪实\n作者 张三\n2019年3月1日，某市科协启动改革试点。2020年，全市建成基层科协40个。"
        "2021年，新增会员900人。2021年起实行新制度。\n全市科技志愿者队伍达3000名，服务群众广泛。"
    )
    rows = facts(extractor, text, reference_date="2021-10-01")
    assert rows["3000名"]["period_text"] != "2019年3月1日"
    text = "某县举行科普日活动\n发布时间：2019-09-18\n9月16日，县科协举办2019年科普日活动，发放资料800份。\n当天接待咨询200人次。"
    assert facts(extractor, text)["200人次"]["period_from"] == "document"


def test_a_date_line_is_furniture_and_never_runs_into_the_line_below(extractor):
    rows = extractor.extract_text(
        "标题\n发布时间：2022-03-15 浏览量：321\n至2019年为止，全县共建成农技协41个。",
        document="t.txt",
        place_code=PLACE,
    )
    by_raw = {row["raw_text"]: row for row in rows}
    assert "15至2019年" not in by_raw
    assert [row["raw_text"] for row in rows if row["kind"] == "fact"] == ["41个"]
    assert (by_raw["41个"]["period_text"], bounds(by_raw["41个"])) == ("至2019年为止", ("", "2019-12-31"))


def test_a_duration_inside_a_period_cue_is_not_a_fact(extractor):
    rows = facts(extractor, "工作回顾\n发布时间：2022-11-02\n连续五年举办科技周，一年来新增会员260人。")
    assert set(rows) == {"260人"}
    assert bounds(rows["260人"]) == ("2021-01-01", "2022-11-02")  # 一年来: back one year from the date


@pytest.mark.parametrize(
    ("sentence", "number", "cue", "expected"),
    [
        ("截至4月底，新增会员150人。", "150人", "截至4月底", ("", "2022-04-30")),
        ("5月10日至16日，全县开展科技周活动68场。", "68场", "5月10日至16日", ("2022-05-10", "2022-05-16")),
        ("7月至9月，举办暑期科普营4期。", "4期", "7月至9月", ("2022-07-01", "2022-09-30")),
    ],
)
def test_days_and_months_without_a_year_in_running_text(extractor, sentence, number, cue, expected):
    rows = facts(extractor, "工作动态\n发布时间：2022-11-02\n" + sentence)
    assert (rows[number]["period_text"], bounds(rows[number])) == (cue, expected)


@pytest.mark.parametrize(
    ("sentence", "number", "status"),
    [
        ("计划培训基层科普员400人。", "400人", "target"),  # 计划 + a verb: a plan
        ("向国家级人才计划（工程）推荐人选12人次。", "12人次", "achieved"),  # a programme's name
        ("省科技行动计划共支持项目9项。", "9项", "achieved"),
        ("项目内容：共计85万元。", "85万元", "achieved"),  # 共计 sums; it tells no tense
    ],
)
def test_plan_as_a_verb_and_as_a_name(sentence, number, status):
    assert status_of(sentence, sentence.index(number)) == status


def test_a_change_or_a_plan_figure_of_a_past_year_is_achieved(extractor):
    rows = facts(
        extractor, "某协会工作总结\n发布时间：2009-01-20\n2008年，协会新吸收会员单位30个，会员单位扩大到212家。"
    )
    assert rows["212家"]["status"] == "achieved"
    rows = facts(
        extractor, "某县科普发展规划\n发布时间：2023-04-01\n2022年全县公民具备科学素质的比例为11.3%。到2025年达到15%。"
    )
    assert (rows["11.3%"]["status"], rows["15%"]["status"]) == ("achieved", "target")
    rows = facts(extractor, "某县科普发展规划\n发布时间：2023-04-01\n会员单位扩大到212家。")
    assert rows["212家"]["status"] == "target"  # no period: the verb of change in a plan is a goal


def test_a_festival_named_by_a_day_is_not_a_period(extractor):
    rows = facts(
        extractor, "某县科协工作总结\n发布时间：2019-08-01\n2019年，借助“三月三”歌节开展科普宣传，受众8000人次。"
    )
    assert rows["8000人次"]["period_text"] == "2019年"


def test_a_budget_application_below_a_contact_line_is_a_plan_with_its_title(extractor):
    text = (
        "项目负责人：王五 13912345678\n某县2023年科普惠农项目资金申报书\n一、项目内容\n举办农技培训12期，购置科普展板40块。\n"
        "二、单位基本情况\n本单位设置内设机构3个。"
    )
    rows = extractor.extract_text(text, document="t.txt", place_code=PLACE)
    by_raw = {row["raw_text"]: row for row in rows}
    assert by_raw["13912345678"]["kind"] != "fact"
    assert (by_raw["12期"]["status"], by_raw["12期"]["period_text"], by_raw["12期"]["period_from"]) == (
        "target",
        "2023年",
        "title",
    )
    assert by_raw["40块"]["status"] == "target"
    assert by_raw["3个"]["status"] == "achieved"  # a heading of the unit's description: its state
    text = "某省科协要闻：2025年科普经费比例超20%\n发布时间：2024-02-01\n正文。"
    assert [r["kind"] for r in extractor.extract_text(text, place_code=PLACE) if r["raw_text"] == "超20%"] == ["fact"]


@pytest.mark.parametrize(
    ("sentence", "number", "status"),
    [
        ("科普经费按常住人口人均0.6元计算应96万元。", "96万元", "target"),
        ("相应增加工作经费5万元。", "5万元", "achieved"),
        ("应邀参加座谈会的专家30人。", "30人", "achieved"),
    ],
)
def test_the_modal_ying_before_an_amount_or_a_verb(sentence, number, status):
    assert status_of(sentence, sentence.index(number)) == status


def test_a_text_opening_with_its_body_has_no_plan_title(extractor):
    text = "为落实《全民科学素质行动计划纲要》，3月12日，县科协在广场举办科普活动，发放资料3000余份。"
    assert facts(extractor, text)["3000余份"]["status"] == "achieved"


def test_a_news_item_naming_one_year_is_of_that_year(extractor):
    text = "近日，省科协公布2016年科普示范单位名单，全市共有9个单位入选。\n其中农村专业技术协会5个。"
    rows = facts(extractor, text)
    assert bounds(rows["5个"]) == ("2016-01-01", "2016-12-31")


def test_a_founding_date_is_not_the_period_and_now_is(extractor):
    text = (
        "某市科协2021年度部门预算\n一、部门基本概况\n市科协成立于1962年5月，现拥有市级学会38家，县级科协9家。\n"
        "二、机构设置\n内设机构3个。"
    )
    rows = facts(extractor, text)
    assert (rows["38家"]["period_text"], bounds(rows["38家"]), rows["38家"]["status"]) == ("现", ("", ""), "achieved")
    assert (bounds(rows["3个"]), rows["3个"]["status"]) == (("2021-01-01", "2021-12-31"), "achieved")


def test_the_value_of_the_base_year_is_of_that_year(extractor):
    text = "调查结果\n发布时间：2022-02-10\n2021年全省公民科学素质比例为12.4%，较2016年的7.1%提高了5.3个百分点，是2016年的1.7倍。"
    rows = facts(extractor, text)
    assert bounds(rows["7.1%"]) == ("2016-01-01", "2016-12-31")
    assert bounds(rows["12.4%"]) == ("2021-01-01", "2021-12-31")
    assert bounds(next(row for raw, row in rows.items() if raw.startswith("1.7"))) == ("2021-01-01", "2021-12-31")


def test_the_event_day_of_a_news_item_beats_its_titles_year(extractor):
    text = "某县开展2022年科技活动周\n2022-06-30 10:20:11 供稿:县科协\n5月23日，县科协开展科技活动周，发放资料900份。\n活动共吸引群众1200人。"
    rows = facts(extractor, text)
    assert bounds(rows["1200人"]) == ("2022-05-23", "2022-05-23")


def test_a_deadline_with_a_cue_of_the_past_is_the_state_at_that_date(extractor):
    text = "某馆\n发布时间：2022-06-20\n至2022年6月，流动科技馆已巡展8年，累计服务公众超过900万人次。截至今年5月，已配发展品120套。"
    rows = facts(extractor, text)
    assert (rows["超过900万人次"]["status"], bounds(rows["超过900万人次"])) == ("achieved", ("", "2022-06-30"))
    assert (rows["120套"]["period_text"], bounds(rows["120套"])) == ("截至今年5月", ("", "2022-05-31"))


def test_spaced_web_text_cues_and_a_publication_stamp(extractor):
    text = (
        "某州科普大篷车巡展\n2024-08-02 10:11:12 供稿:州科协 分享\n2024 年上半年，科普大篷车行驶 5100 公里，开展活动 58 场。\n"
        '自 2019 年初州科协启动 " 科普进校园 " 行动以来，累计服务学生 3 万余名。'
    )
    rows = facts(extractor, text)
    assert bounds(rows["5100 公里"]) == ("2024-01-01", "2024-06-30")
    assert bounds(rows["3 万余名"]) == ("2019-01-01", "2024-08-02")


def test_the_present_and_a_duration_carry_to_the_next_sentences_of_their_paragraph(extractor):
    text = "工作动态\n发布时间：2021-09-01\n目前，全县建成科普e站60个。农技协覆盖率达95%。\n一年来，新增会员400人。培训农民2000人次。"
    rows = facts(extractor, text)
    assert (rows["95%"]["period_from"], bounds(rows["95%"])) == ("paragraph", ("", "2021-09-01"))
    assert (rows["2000人次"]["period_from"], bounds(rows["2000人次"])) == ("paragraph", ("2020-01-01", "2021-09-01"))


def test_a_trend_since_a_year_is_not_carried_to_later_counts(extractor):
    text = (
        "调查结果发布\n发布时间：2021-03-02\n自2016年开始，全省科普工作保持快速发展势头。本次调查覆盖了全省98个县。"
        "\n2016年以来，全省新建科普场馆12个。其中县级场馆共9个。"
    )
    rows = facts(extractor, text)
    assert rows["98个"]["period_text"] != "自2016年开始"
    assert rows["9个"]["period_text"] == "2016年以来"  # its own sentence holds a count: carried


def test_a_plan_named_in_a_noun_is_not_a_period_and_its_goal_not_the_status(extractor):
    text = "调查结果\n发布时间：2021-03-02\n各省都达到“十三五”发展目标预测区间，有12个省份超过10%。"
    rows = facts(extractor, text)
    assert rows["12个"]["period_text"] != "“十三五”"
    assert rows["12个"]["status"] == "achieved"
    assert status_of("发展目标是建成示范县5个", 9) == "target"


def test_a_budgets_statement_of_the_present_and_an_inline_heading(extractor):
    text = (
        "某市科协2021年度部门预算 |\n一、部门基本概况 市科协现有市级学会30家。 (二)机构设置 根据编委核定，我单位内设科室5个，"
        "全部纳入2021年部门预算编制范围。 三、支出预算 项目支出80万元。"
    )
    rows = facts(extractor, text)
    assert rows["30家"]["status"] == "achieved"
    assert rows["5个"]["status"] == "achieved"
    assert rows["80万元"]["status"] == "target"


def test_a_funding_norm_per_head_is_a_goal():
    sentence = "县财政按人均0.4元安排科普经费。"
    assert status_of(sentence, sentence.index("0.4")) == "target"


def test_a_budget_tables_column_of_last_years_execution_is_achieved_and_of_that_year(extractor):
    text = "某县科学技术协会2023年部门预算公开\n单位：万元\n项目\t年初预算数\t上年执行数\n基本支出\t120\t110\n项目支出\t35\t30\n"
    rows = extractor.extract_text(text, document="t.txt", place_code=PLACE)
    by_raw = {row["raw_text"]: row for row in rows}
    assert (by_raw["120"]["status"], bounds(by_raw["120"])) == ("target", ("2023-01-01", "2023-12-31"))
    assert (by_raw["110"]["status"], bounds(by_raw["110"])) == ("achieved", ("2022-01-01", "2022-12-31"))


def test_months_of_a_relative_year(extractor):
    rows = extractor.extract_text(
        "统计公报\n发布时间：2023-05-10\n今年1-4月，新增企业科协15个。去年10月举办讲座6场。",
        document="t.txt",
        place_code=PLACE,
    )
    by_raw = {row["raw_text"]: row for row in rows}
    assert by_raw["1-4"]["kind"] == "date"
    assert (by_raw["15个"]["period_text"], bounds(by_raw["15个"])) == ("今年1-4月", ("2023-01-01", "2023-04-30"))
    assert bounds(by_raw["6场"]) == ("2022-10-01", "2022-10-31")


def test_a_vague_word_gives_way_to_a_year_of_its_sentence():
    from kexie_research.extract.context import find_period

    flat = "2022年，全县科普经费近年来首次突破300万元。近日，县科协发放资料800份。"
    assert find_period(flat, flat.index("300")) == (0, "2022年")
    assert find_period(flat, flat.index("800"))[1] == "近日"  # no year in its sentence: the vague word stays
