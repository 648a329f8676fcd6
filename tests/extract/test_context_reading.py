"""What a number is about, read as a coder reads it (issue 16): scope anywhere in China, the
document's place and date, periods carried from context, status by cue and date, tables, and
the precision rules. The texts are the issue's own public examples, in made-up sentences."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.errors import KexieError
from kexie_research.extract import Extractor
from kexie_research.extract.command import _place_code
from kexie_research.extract.docdate import document_date, is_plan
from kexie_research.extract.draft import DRAFT_COLUMNS, DRAFT_ONLY_COLUMNS, draft_frame
from kexie_research.extract.places import PlaceIndex, short_forms
from kexie_research.extract.scope import ScopeFinder
from kexie_research.extract.sheet import to_sheet
from kexie_research.extract.tables import find_tables
from kexie_research.schemas.indicators import SHEET_COLUMNS

YILING = "420506"  # 夷陵区, 宜昌市, 湖北省: a place of none of the project's cases
YICHANG = "420500"


@pytest.fixture(scope="module")
def finder() -> ScopeFinder:
    return ScopeFinder.from_data()


def rows_by_raw(extractor: Extractor, text: str, **kwargs) -> dict[str, dict]:
    return {row["raw_text"]: row for row in extractor.extract_text(text, document="t.txt", **kwargs)}


# -- 1. scope ---------------------------------------------------------------------------------
def test_place_option_accepts_any_division_and_names_a_bad_one():
    assert _place_code(argparse.Namespace(code=None, place="宜昌市")) == YICHANG
    assert _place_code(argparse.Namespace(code=None, place="点军区")) == "420504"
    assert _place_code(argparse.Namespace(code="420500", place=None)) == YICHANG
    with pytest.raises(KexieError, match="--place 不存在的地方: names no single known place"):
        _place_code(argparse.Namespace(code=None, place="不存在的地方"))
    with pytest.raises(KexieError, match="several places"):
        _place_code(argparse.Namespace(code=None, place="城区"))
    with pytest.raises(KexieError, match="--code 999999: unknown"):
        _place_code(argparse.Namespace(code="999999", place=None))


def test_short_forms_drop_suffixes_and_ethnic_names():
    assert short_forms("黔南布依族苗族自治州") == ["黔南"]
    assert short_forms("广西壮族自治区") == ["广西"]
    assert short_forms("宜昌市") == ["宜昌"]
    assert short_forms("藤县") == []


def test_short_county_names_are_places_only_with_a_suffix_or_context(finder):
    index = finder.index
    assert not index.is_place("东方", "红")
    assert index.is_place("东方", "科协")
    assert index.is_place("和平", "区")
    assert finder.names("东方红的太阳照在和平的大地上") == []
    # 城区 is a district of three cities: only a context says which.
    assert finder.resolve("城区") is None
    assert finder.resolve("城区", areas=("140500",)) == ("140502", "county")


def test_scope_reads_places_anywhere_in_china(finder):
    flat = "江苏省 13 个设区市全部建成科技馆。"
    assert finder.scope(flat, flat.index("13"), default_code=YILING) == ("江苏省", "provincial", "320000")
    flat = "宜昌市点军区科协举办培训3期"
    assert finder.scope(flat, flat.index("3期"), default_code=None)[2] == "420504"


def test_a_title_or_an_event_name_is_not_the_scope(finder):
    flat = "根据《合肥市科学普及条例》，每年安排科普经费30万元。"
    assert finder.scope(flat, flat.index("30"), default_code=YILING)[2] == YILING
    flat = "全国科普日期间,县科协共印制宣传资料5000份。"
    assert finder.scope(flat, flat.index("5000"), default_code=YILING)[2] == YILING
    flat = "全省第四届青少年科技创新大赛上，我县学生获奖12项。"
    assert finder.scope(flat, flat.index("12"), default_code=YILING)[2] == YILING


def test_own_unit_words_national_money_and_lists(finder):
    for word in ("全县", "我县", "县科协", "全区", "区科协"):
        flat = f"{word}共建成科普e站30个。"
        assert finder.scope(flat, flat.index("30"), default_code=YILING)[2] == YILING, word
    for word in ("本市", "全市", "市科协"):  # a district's text speaking of 全市 means its city
        flat = f"{word}共建成科普e站30个。"
        assert finder.scope(flat, flat.index("30"), default_code=YILING)[2] == YICHANG, word
    flat = "6年来累计安排中央财政转移支付资金10.5亿元"
    assert finder.scope(flat, flat.index("10.5"), default_code=YILING) == ("中央财政", "national", "100000")
    flat = "全国有70%以上的县建立了科协"
    assert finder.scope(flat, flat.index("70"), default_code=YILING)[1:] == ("national", "100000")
    flat = "全省共有学会200个"
    assert finder.scope(flat, flat.index("200"), default_code=YILING)[2] == "420000"
    flat = "宜昌市、荆州市共建成示范基地8个"
    assert finder.scope(flat, flat.index("8个"), default_code=YILING)[2] == "420000"


def test_document_place_is_inferred_and_said_how(extractor, finder):
    assert finder.document_place("宜昌市科协召开年度工作会议\n会上，湖北省……湖北省……") == (YICHANG, "title")
    assert finder.document_place("科协召开会议\n会议全文。\n来源：点军区科协") == ("420504", "author")
    assert finder.document_place("会议召开。湖北省科协、湖北省学会和宜昌市代表参加") == ("420000", "frequency")
    assert finder.document_place("没有地名。") == (None, "none")
    rows = extractor.extract_text("夷陵区科协召开大会\n全县共建成科普e站30个。")
    assert (rows[0]["admin_code"], rows[0]["place_from"]) == (YILING, "title")
    rows = extractor.extract_text("全县共建成科普e站30个。", place_code=YILING)
    assert rows[0]["place_from"] == "option"


# -- 2. the document's date -------------------------------------------------------------------
def test_document_date_from_a_date_line_or_the_first_event_date():
    assert document_date("标题\n发布时间：2021-03-05 10:12\n正文") == "2021-03-05"
    assert document_date("标题\n2018年9月16日上午，县科协举办科普日活动。") == "2018-09-16"
    assert document_date("正文。\n宜昌市科协\n2020年5月6日") == "2020-05-06"
    assert document_date("2021年2月30日，不存在的日子。") is None
    assert document_date("没有日期。") is None


def test_date_from_column_and_relative_periods(extractor):
    rows = rows_by_raw(extractor, "标题\n2019年5月6日，县科协在今年举办活动3场。", place_code=YILING)
    assert rows["3场"]["date_from"] == "text"
    rows = rows_by_raw(extractor, "今年举办活动3场。", place_code=YILING, reference_date="2021-05-01")
    assert rows["3场"]["date_from"] == "option"
    rows = rows_by_raw(extractor, "今年举办活动3场。", place_code=YILING)
    assert rows["3场"]["date_from"] == "none"


# -- 3. periods carried from context -----------------------------------------------------------
def test_periods_are_carried_from_paragraph_heading_title_and_document(extractor):
    text = (
        "宜昌市科协2020年工作总结\n一、主要成效\n2020年，全市举办农村实用技术培训班12期，覆盖各个乡镇。培训农民3000人，"
        "发放科普资料若干。\n二、2021年工作打算\n围绕乡村振兴战略，力争建成科普示范村20个，进一步扩大科普覆盖面。"
    )
    rows = rows_by_raw(extractor, text, reference_date="2021-01-10")
    assert (rows["12期"]["period_text"], rows["12期"]["period_from"]) == ("2020年", "sentence")
    assert (rows["3000人"]["period_text"], rows["3000人"]["period_from"]) == ("2020年", "paragraph")
    assert (rows["3000人"]["period_start"], rows["3000人"]["period_end"]) == ("2020-01-01", "2020-12-31")
    assert (rows["20个"]["period_text"], rows["20个"]["period_from"], rows["20个"]["status"]) == (
        "2021年",
        "title",
        "target",
    )
    text = "县科协召开大会\n发布时间：2019-06-01\n会上表彰先进集体15个。"
    rows = rows_by_raw(extractor, text, place_code=YILING)
    assert (rows["15个"]["period_text"], rows["15个"]["period_from"]) == ("2019年", "document")
    # A plan is not a report of events: its sentences do not take the document's year.
    text = "夷陵区科普工作实施方案\n发布时间：2019-06-01\n建成示范村15个。"
    assert rows_by_raw(extractor, text)["15个"]["period_from"] == ""
    assert is_plan(text) and not is_plan("县科协2020年工作总结")


# -- 5. status --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "number", "status"),
    [
        ("向县财政争取到8万元。", "8万元", "achieved"),
        ("争取到2025年建成30个。", "30个", "target"),
        ("累计培训3000人。", "3000人", "achieved"),
        ("获得省级表彰5项。", "5项", "achieved"),
        ("完成培训任务120期。", "120期", "achieved"),
        ("将完成培训任务120期。", "120期", "target"),
        ("力争建成30个。", "30个", "target"),
        ("计划举办讲座10场。", "10场", "target"),
        ("到2020年底建成50个。", "50个", "achieved"),  # a deadline before the document's date
        ("到2025年底建成50个。", "50个", "target"),
        ("2025年建成50个。", "50个", "target"),  # a year after the document's date
        ("2020年建成50个。", "50个", "achieved"),
    ],
)
def test_status_by_cue_and_the_document_date(extractor, sentence, number, status):
    rows = rows_by_raw(extractor, sentence, place_code=YILING, reference_date="2021-05-01")
    assert rows[number]["status"] == status


# -- 6. tables and precision -------------------------------------------------------------------
BUDGET = "单位：元\n序号\t项目名称\t计划经费(万元)\t2020年决算\n1\t科普日活动\t16\t120000\n2\t培训\t8.5\t80000\n"


def test_table_cells_take_the_header_unit_and_row_numbers_are_not_facts(extractor):
    rows = extractor.extract_text(BUDGET, place_code=YILING, reference_date="2021-03-01")
    by_raw = {row["raw_text"]: row for row in rows}
    assert "162" not in by_raw  # the flat text would run 16 into the next row's 2
    assert (by_raw["16"]["value"], by_raw["16"]["unit"], by_raw["16"]["status"]) == (160000.0, "CNY", "target")
    assert "计划经费(万元)" in by_raw["16"]["note"]
    assert (by_raw["1"]["kind"], by_raw["2"]["kind"]) == ("ordinal", "ordinal")
    assert by_raw["万元"]["kind"] == "header"
    assert (by_raw["120000"]["unit"], by_raw["120000"]["period_text"], by_raw["120000"]["period_from"]) == (
        "CNY",
        "2020年",
        "table",
    )
    assert by_raw["120000"]["status"] == "achieved"


def test_pipe_and_aligned_tables_are_tables():
    assert find_tables("| 项目 | 人数（人） |\n|---|---|\n| 培训 | 300 |")[0].columns[1].unit == "人"
    assert len(find_tables("项目    人数\n培训    300\n讲座    120")[0].rows) == 2
    assert find_tables("一段文字，没有表格。\n第二段。") == []


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=99999), min_size=2, max_size=6))
def test_every_cell_is_read_on_its_own(numbers):
    extractor = _EXTRACTOR
    text = "项目\t金额(万元)\n" + "".join(f"事项\t{n}\n" for n in numbers)
    rows = [row for row in extractor.extract_text(text, place_code=YILING) if row["kind"] == "fact"]
    assert [row["value"] for row in rows] == [n * 10000.0 for n in numbers]


_EXTRACTOR = Extractor.from_data()


def test_idioms_with_one_get_low_confidence_and_spaced_dates_are_dates(extractor):
    rows = rows_by_raw(extractor, "建立一支队伍，实行一项否决，引进一批专家，建成12个站。", place_code=YILING)
    # idioms with 一 are flagged as articles, not proposed as facts (issue 16)
    assert [rows[raw]["kind"] for raw in ("一支", "一项", "一批")] == ["article"] * 3
    assert rows["12个"]["kind"] == "fact" and rows["12个"]["confidence"] >= 0.7
    rows = rows_by_raw(extractor, "全县只有一个科技馆。", place_code=YILING)
    assert rows["一个"]["kind"] == "fact" and rows["一个"]["confidence"] == 0.3  # a count in words, doubtful
    rows = rows_by_raw(extractor, "2018年10 月 18 日上午，县科协举办活动3场。", place_code=YILING)
    assert [raw for raw, row in rows.items() if row["kind"] == "fact"] == ["3场"]  # no day number of the date


def test_new_columns_are_documented_and_dropped_by_to_sheet(extractor):
    for column in ("place_from", "date_from", "period_from", "period_start", "period_end"):
        assert column in DRAFT_COLUMNS and column in DRAFT_ONLY_COLUMNS
    rows = extractor.extract_text("全县共建成科普e站30个。", place_code=YILING)
    rows[0]["indicator_id"] = rows[0]["indicator_id"] or "kexie_annual_work_budget"
    sheet = to_sheet(draft_frame(rows), "YL")
    assert list(sheet.columns) == list(SHEET_COLUMNS)
    assert not set(DRAFT_ONLY_COLUMNS) & set(sheet.columns)
    assert isinstance(sheet, pd.DataFrame)


def test_place_index_common_unit_and_ancestry():
    index = PlaceIndex.from_data()
    assert index.ancestry("420503")[-1] == "100000"
    assert index.common(["420500", "450400"]) == "100000"
    assert index.common([]) is None
    with pytest.raises(KexieError, match="not in the division reference"):
        index.name_of("999999")


def test_traditional_text_is_read_in_simplified_and_quoted_as_written(extractor):
    text = "如皋市科學技術協會項目自評價報告\n發布時間: 2021-09-11 09:40\n如皋市科學技術協會2020年科普活動項目年初預算96萬元。\n全縣累計培訓農民3000人。"
    rows = extractor.extract_text(text)
    by_raw = {row["raw_text"]: row for row in rows}
    assert by_raw["96萬元"]["value"] == 960000.0
    assert by_raw["96萬元"]["quote"] in text.replace("\n", "")  # as written, traditional characters kept
    assert (by_raw["96萬元"]["admin_code"], by_raw["96萬元"]["place_from"], by_raw["96萬元"]["date_from"]) == (
        "320682",
        "title",
        "text",
    )
    assert (by_raw["96萬元"]["period_text"], by_raw["96萬元"]["status"]) == ("2020年", "target")  # a budget is a plan
    assert by_raw["3000人"]["status"] == "achieved"
    assert {row["kind"] for row in rows if row["raw_text"] in ("2021-09", "11", "09", "40")} == {"date"}


def test_a_news_item_dates_its_facts_by_the_event_day_and_the_title_skips_a_date_line(extractor):
    text = (
        "2023-09-20 10:00\n夷陵区科协开展全国科普日活动\n"
        "9月18日，夷陵区科协在城区广场举办全国科普日主题活动，现场展出科普展板40余块。\n"
        "活动共吸引群众500余人次参与，发放科普资料3000余份，得到群众的广泛好评和积极响应。"
    )
    rows = rows_by_raw(extractor, text)
    assert (rows["500余人次"]["period_text"], rows["500余人次"]["period_from"]) == ("9月18日", "document")
    assert (rows["500余人次"]["period_start"], rows["500余人次"]["place_from"]) == ("2023-09-18", "title")
    assert rows["500余人次"]["admin_code"] == YILING
    assert "202309" not in "".join(rows)  # the date line's digits are not joined to the next line's


def test_a_document_naming_only_the_country_is_national(finder):
    assert finder.document_place("科普工作取得新进展\n全国共有科普场馆1000个，全国科普经费增长。") == (
        "100000",
        "frequency",
    )


def test_the_base_year_of_a_comparison_is_not_the_period(extractor):
    rows = rows_by_raw(extractor, "2023年全区科普经费筹集额达1.55亿元，较2020年增长7.87%。", place_code=YILING)
    assert rows["7.87%"]["period_text"] == "2023年"
    rows = rows_by_raw(extractor, "2018年比2017年新增会员300人。", place_code=YILING)
    assert rows["300人"]["period_text"] == "2018年"


def test_a_report_of_one_year_dates_its_facts_by_the_year_of_its_title(extractor):
    text = (
        "2018-10-11\n夷陵区科协2017年度统计公报\n2017年，全区各级科协组织继续发展，基层组织建设取得进展。"
        "各级科协共17个，直属单位23个，2017年新增会员56人。"
    )
    rows = rows_by_raw(extractor, text)
    assert (rows["23个"]["period_text"], rows["23个"]["period_from"]) in {
        ("2017年", "paragraph"),
        ("2017年", "document"),
    }
    text = "夷陵区科协工作回顾\n2015年成立学会3个，2016年新建站点5个，2019年建成基地2个，2021年会员增至900人。\n另有书屋12个。"
    assert rows_by_raw(extractor, text)["12个"]["period_from"] != "document"  # no year dominates


def test_a_plan_or_budget_number_without_a_cue_is_a_goal_and_a_national_title_is_national(extractor, finder):
    rows = rows_by_raw(
        extractor, "夷陵区科协2017年部门预算\n一般公共预算拨款收入100万元，其中项目支出8万元。现有在职人员12人。"
    )
    assert rows["100万元"]["status"] == "target" and rows["8万元"]["status"] == "target"
    assert rows["12人"]["status"] == "achieved"  # 现有: the present
    assert rows["8万元"]["period_text"] == "2017年"
    assert finder.document_place("2020年全国科普日活动综述\n主场活动在北京举行，北京市……") == ("100000", "title")


def test_striving_and_meeting_numbers_and_a_report_quoting_a_plan(extractor):
    text = (
        "县科协2020年科普工作总结\n县科协以贯彻落实《全民科学素质行动计划纲要》为指针，取得了良好的成效。\n"
        "为了保障科普工作有效开展，积极争取科普经费逐年增长，2020年度科普经费达到了60万元。"
        "争取到3万元经费用于开展科协三届二次会议。"
    )
    rows = rows_by_raw(extractor, text, place_code=YILING)
    assert rows["60万元"]["status"] == "achieved"  # 争取 in an earlier clause, 达到了: done; not a plan
    assert rows["3万元"]["status"] == "achieved"
    assert rows["二次"]["kind"] == "ordinal"
    assert not is_plan(text) and is_plan("中共柳州市委办公室关于印发《柳州市\n科协系统深化改革实施方案》的通知")


def test_the_country_compared_with_is_not_the_scope_and_programme_words_are_not_places(finder):
    flat = "全市公民科学素质比例高于全国平均水平，达到14%。"
    assert finder.scope(flat, flat.index("14%"), default_code=YICHANG)[2] == YICHANG
    flat = "创建全国科普示范城市，建成市级科普基地80家。"
    assert finder.scope(flat, flat.index("80"), default_code=YICHANG)[2] == YICHANG
    flat = "在全国率先建成科普e站30个。"
    assert finder.scope(flat, flat.index("30"), default_code=YICHANG)[2] == YICHANG
    flat = "全国共表彰科普惠农兴村先进单位1000个。"  # 惠农 is also 惠农区's short name
    assert finder.scope(flat, flat.index("1000"), default_code="100000")[2] == "100000"


def test_a_report_opening_with_its_year_dates_its_later_paragraphs(extractor):
    text = (
        "发布时间: 2018-10-11\n2017年，夷陵区科协认真贯彻落实上级部署，各项工作取得新进展，全区科协组织不断壮大。\n"
        "各级科协共17个，直属单位23个，科协代表大会总人数3740人，2017年新增会员56人。"
    )
    rows = rows_by_raw(extractor, text)
    assert (rows["17个"]["period_text"], rows["17个"]["period_from"]) == ("2017年", "document")


def test_a_report_naming_its_year_once_at_its_opening_is_that_years_report(extractor):
    text = (
        "发布时间: 2018-10-11\n2017年，夷陵区科协认真贯彻落实上级部署，各项工作取得新进展。\n"
        "各级科协共17个，直属单位23个。"
    )
    rows = rows_by_raw(extractor, text)
    assert (rows["23个"]["period_text"], rows["23个"]["period_from"]) == ("2017年", "document")


def test_the_help_example_place_works_end_to_end(tmp_path, capsys):
    from kexie_research.cli import main

    document = tmp_path / "news.txt"
    document.write_text("县科协召开大会\n全县共建成科普e站30个。", encoding="utf-8")
    out = tmp_path / "draft.csv"
    assert main(["extract", str(document), "-o", str(out), "--place", "宜昌市", "--workers", "1", "--no-progress"]) == 0
    draft = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert draft.loc[0, ["admin_code", "place_from", "date_from"]].tolist() == [YICHANG, "option", "none"]
    assert (
        main(["extract", str(document), "-o", str(out), "--place", "不存在的地方", "--workers", "1", "--no-progress"])
        == 2
    )
    assert "names no single known place" in capsys.readouterr().err


def test_a_heading_without_a_mark_keeps_its_last_character_in_the_quote(extractor):
    # A headline has no closing mark: its last character still belongs to the number's clause.
    text = "某省力争2030年20%市民具备科学素质\n3月2日,省科协召开会议。"
    rows = rows_by_raw(extractor, text, place_code=YILING)
    assert rows["20%"]["quote"] == "某省力争2030年20%市民具备科学素质"
    assert rows["20%"]["frame_indicator"] == "citizen_scientific_literacy"
