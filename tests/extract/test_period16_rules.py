"""Period and status rules added after the third and fourth evaluation sets (period16): each with
its own made-up sentence. Day-first date lines, verbs of change in the past, the bare year-end
stock, the recent-day words and a named stretch (疫情期间) as periods."""

from __future__ import annotations

import pytest

from tests.support.extract_rows import bounds, facts
from kexie_research.extract.context import status_of
from kexie_research.extract.docdate import dated, is_date_line


# -- a date line written day first with dots ---------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("19.09.2016  16:04", True),
        ("发布时间：05.03.2021", True),
        ("31.02.2016 10:00", False),  # no such day
        ("1.2.3 版本说明", False),  # a version number, no year
    ],
)
def test_a_day_first_date_line(line: str, expected: bool) -> None:
    assert is_date_line(line) is expected


def test_a_day_first_date_line_dates_the_document() -> None:
    text = "县科协举办科普活动\n\n07.10.2019  09:30\n\n10月5日，县科协在广场举办科普宣传活动。"
    assert dated(text) == ("2019-10-07", "line")


def test_dotted_numbers_in_a_sentence_are_no_date() -> None:
    assert dated("标题\n县科协开展活动，发放资料3.5万份，覆盖12.8.2万人。") == (None, "")


# -- verbs of change (增至, 提高到) state results when their time is past ---------------------------------
@pytest.mark.parametrize(
    ("sentence", "number", "period", "reference", "expected"),
    [
        ("过去一年，县科协会员数量增至3200人", "3200", "过去一年", None, "achieved"),
        ("过去一年，县科协会员数量增至3200人", "3200", "过去一年", "2020-02-01", "achieved"),
        ("截至目前，全县科普基地增至41个", "41", "截至目前", None, "achieved"),
        ("截至目前，全县科普基地增至41个", "41", "截至目前", "2022-05-01", "achieved"),
        ("全县科普场馆已迅速增至17座", "17", None, None, "achieved"),  # 已 governs the verb
        ("2019年以来，全市争取上级科普项目等12个", "12", "2019年以来", "2021-03-01", "achieved"),
        ("科普经费由目前的30万元提高到50万元", "50", None, None, "target"),  # 目前 dates the baseline
        ("全县科普基地增至41个", "41", None, None, "target"),  # nothing says it is done
        ("今年，全县科普基地要增至41个", "41", "今年", None, "target"),
        ("到2025年，全县科普基地增至41个", "41", "到2025年", "2022-05-01", "target"),
    ],
)
def test_a_verb_of_change_in_the_past_is_a_result(sentence, number, period, reference, expected) -> None:
    assert status_of(sentence, sentence.index(number), period, reference) == expected


def test_a_change_to_the_present_is_a_result(extractor) -> None:
    text = "工作综述\n全县科普站点由“十三五”期末的12个增加到现在的30个。"
    rows = facts(extractor, text)
    assert rows["30个"]["status"] == "achieved"
    assert rows["12个"]["status"] == "achieved"
    assert bounds(rows["12个"]) == ("2020-01-01", "2020-12-31")  # 期末 of a plan: its last year


# -- periods of the grammar as the draft reads them ---------------------------------------------------
def test_a_bare_year_end_stock_is_the_years_figure(extractor) -> None:
    rows = facts(extractor, "科技工作者队伍\n2019年年底，全县科技工作者已达8000多人。", reference_date="2020-04-01")
    assert rows["8000多人"]["period_text"] == "2019年年底"
    assert bounds(rows["8000多人"]) == ("2019-01-01", "2019-12-31")


def test_a_year_end_stock_is_no_topic_year_of_the_text(extractor) -> None:
    text = "县科协召开代表大会\n近年来，全县科技工作者队伍不断壮大，2019年年底已达8000多人。本次大会共有代表150名。"
    rows = facts(extractor, text)
    assert bounds(rows["150名"]) == ("", "")  # the congress is not dated by the stock's year


def test_recent_day_words_read_as_of_the_document_date(extractor) -> None:
    rows = facts(extractor, "科普基地名单公布\n日前，市科协认定科普基地15个。", reference_date="2023-03-02")
    assert (rows["15个"]["period_text"], bounds(rows["15个"])) == ("日前", ("", "2023-03-02"))


def test_a_calendar_cue_outranks_a_recent_day_word(extractor) -> None:
    rows = facts(extractor, "名单公布\n近日，市科协公布2022年度科普基地15个。", reference_date="2023-03-02")
    assert bounds(rows["15个"]) == ("2022-01-01", "2022-12-31")


def test_bare_n_years_count_back_from_the_document_date(extractor) -> None:
    rows = facts(extractor, "工作综述\n10年来，县科协累计培训农民5万人次。", reference_date="2020-06-30")
    assert bounds(rows["5万人次"]) == ("2010-01-01", "2020-06-30")


# -- where a sentence without its own cue takes its period ----------------------------------------------
def test_a_news_leads_stretch_dates_the_items_figures(extractor) -> None:
    text = (
        "全省流动科技馆服务公众超千万人次\n发布时间：2022-06-01 10:00\n"
        "据统计，自2015年启动巡展至今，全省流动科技馆服务公众超过1200万人次。\n"
        "具体来看，流动科技馆累计巡展300场，覆盖40个县。"
    )
    rows = facts(extractor, text)
    for raw in ("300场", "40个"):
        assert (rows[raw]["period_from"], bounds(rows[raw])) == ("document", ("2015-01-01", "2022-06-01"))
    assert bounds(rows["超过1200万人次"]) == ("2015-01-01", "2022-06-01")  # its own sentence


def test_a_lead_without_a_stretch_carries_nothing(extractor) -> None:
    text = "全省流动科技馆巡展\n发布时间：2022-06-01 10:00\n近日，全省流动科技馆巡展启动。\n巡展共设30个站点。"
    rows = facts(extractor, text)
    assert rows["30个"]["period_text"] == "2022年"  # the year of the date: 近日 is no stretch of the item


def test_a_plans_lead_is_no_stretch_of_its_goals(extractor) -> None:
    text = "全县科普工作实施方案\n自2015年开展试点以来，成效明显。\n全县建成科普示范站20个。"
    rows = facts(extractor, text)
    assert rows["20个"]["status"] == "target"
    assert rows["20个"]["period_text"] != "自2015年开展试点以来"


def test_a_year_naming_an_event_gives_way_to_the_days_before_it(extractor) -> None:
    text = "科普日活动综述\n9月15日至21日，在全市2022年全国科普日活动期间，各级科协共开展活动800余场。"
    rows = facts(extractor, text)
    assert (rows["800余场"]["period_text"], bounds(rows["800余场"])) == ("9月15日至21日", ("2022-09-15", "2022-09-21"))


def test_a_year_dating_its_clause_stays_the_period(extractor) -> None:
    text = "工作总结\n5月，县科协召开全委会。2021年，全县共开展科普活动120场。"
    rows = facts(extractor, text, reference_date="2022-01-10")
    assert bounds(rows["120场"]) == ("2021-01-01", "2021-12-31")


def test_an_undated_leads_event_year_dates_the_days_without_a_year(extractor) -> None:
    text = (
        "县科协开展科普日活动\n2021年全国科普日之际，县科协在文化广场举行系列活动启动仪式。\n"
        "9月15日，县科协发放科普读物2000余册。"
    )
    rows = facts(extractor, text)
    assert bounds(rows["2000余册"]) == ("2021-09-15", "2021-09-15")


def test_an_undated_leads_reviewed_year_does_not_date_a_day(extractor) -> None:
    text = "县科协工作综述\n2020年，县科协全年举办讲座12场。\n1月26日，县科协召开总结会，表彰先进个人30名。"
    rows = facts(extractor, text)
    assert bounds(rows["30名"])[0] != "2020-01-26"  # the year reviewed is not the year of the day


# -- a verb of change in a report of events ---------------------------------------------------------------
def test_a_news_items_verb_of_change_is_what_it_reports(extractor) -> None:
    rows = facts(extractor, "全省科普基地增至269个\n省科协近日认定一批新的科普基地。")
    assert rows["269个"]["status"] == "achieved"


@pytest.mark.parametrize(
    "text",
    [
        "全省科普基地将增至300个\n省科协近日召开会议。",  # a goal word governs the verb
        "预计明年全省科普基地增至300个\n省科协近日召开会议。",
        "全省科普工作实施方案\n全省科普基地增至300个。",  # a plan's verb of change is its goal
        "全省科普工作\n到2030年，全省科普基地增至300个。",  # a deadline
    ],
)
def test_a_verb_of_change_with_a_goal_stays_a_target(extractor, text) -> None:
    rows = facts(extractor, text, reference_date="2023-05-01")
    assert rows["300个"]["status"] == "target"


def test_the_baselines_present_is_no_past_of_the_change(extractor) -> None:
    rows = facts(extractor, "工作要点\n县科协将会员中青年人的比例由目前的40％提高至55％。", reference_date="2022-03-01")
    assert rows["55％"]["status"] == "target"
    assert rows["40％"]["status"] == "achieved"


def test_a_stretch_governs_a_change_across_an_earlier_clauses_number(extractor) -> None:
    text = "工作综述\n2021年以来，市科协与企业签署合作协议8项；争取省级学会服务站等3家。"
    rows = facts(extractor, text, reference_date="2022-03-01")
    assert rows["3家"]["status"] == "achieved"
