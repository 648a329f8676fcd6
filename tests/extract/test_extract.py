"""Extraction on small made-up texts with known answers (kinds, periods, status, scope, quotes)."""

from __future__ import annotations

import pytest

from kexie_research.extract import Extractor
from kexie_research.extract.classify import classify
from kexie_research.extract.context import clause_span, find_period, status_of
from kexie_research.extract.mentions import find_mentions, flatten
from kexie_research.parse.provenance import locate_quote, normalise_for_matching

WUZHOU = "450400"
CHENGDU = "510100"


def rows_by_raw(
    extractor: Extractor, text: str, place: str = WUZHOU, reference_date: str | None = None
) -> dict[str, dict]:
    return {
        row["raw_text"]: row
        for row in extractor.extract_text(text, document="t.txt", place_code=place, reference_date=reference_date)
    }


def test_mentions_keep_qualifiers_and_drop_fillers():
    flat = "具备条件的仅有3个，近5000名志愿者，均没有超过10万元，标语500多条（张），人均2元，不少于三分之一"
    assert [m.raw for m in find_mentions(flat)] == [
        "3个",
        "近5000名",
        "没有超过10万元",
        "500多条",
        "人均2元",
        "不少于三分之一",
    ]


def test_chinese_numeral_words_are_not_mentions():
    assert find_mentions("统一部署，进一步加强，十分重要，一些单位") == []


def test_number_broken_by_a_line_break_is_one_mention_with_its_original_offset(extractor):
    text = "梧州市科协51\n\n万元、藤县科协26万元。"
    rows = extractor.extract_text(text, place_code=WUZHOU)
    assert [r["raw_text"] for r in rows] == ["51万元", "26万元"]
    assert rows[0]["offset"] == text.index("51")
    assert rows[1]["offset"] == text.index("26")
    assert rows[0]["value"] == 510000.0 and rows[0]["unit"] == "CNY"


@pytest.mark.parametrize(
    ("text", "raw", "kind"),
    [
        ("2020年7月28日，试点启动，共3个", "2020年7月28日", "date"),
        ("2017年~2020年，听取汇报4次", "2017年~2020年", "date"),
        ("近3年，每年落实500多万元", "近3年", "date"),
        ("印发《方案》（柳发〔2017〕6号），共3个", "6", "document_number"),
        ("被列入第二批试点项目", "二批", "ordinal"),
        ("全市按“3+1”模式建立科协166个", "3", "name"),
        ("在地铁1、2、3、4号线播放", "2", "name"),
        ("紧紧围绕“四个全面”战略布局", "四个", "name"),
        ("全面贯彻党的十八大精神", "十八大", "name"),
        ("CDTV-2科普微视频已播出231期", "2", "name"),
        ("构建了三大服务平台", "三大", "fact"),
        ("全市建成科普e站30个", "30个", "fact"),
    ],
)
def test_each_kind(text, raw, kind):
    flat, _ = flatten(text)
    found = {m.raw: classify(flat, m) for m in find_mentions(flat)}
    assert found[raw] == kind


def test_non_facts_are_flagged_never_dropped(extractor):
    rows = extractor.extract_text("2021年，第二批“3+1”试点建成科协12个。", place_code=WUZHOU)
    assert [(r["raw_text"], r["kind"]) for r in rows] == [
        ("2021年", "date"),
        ("二批", "ordinal"),
        ("3", "name"),
        ("1", "name"),
        ("12个", "fact"),
    ]
    assert all(r["note"].startswith("not a fact") for r in rows if r["kind"] != "fact")


@pytest.mark.parametrize(
    ("text", "number", "period"),
    [
        ("2020年，梧州市生产总值实现1080.34亿元", "1080.34", "2020年"),
        ("2015年至2017年，获等级奖37项", "37", "2015年至2017年"),
        ("近3年，每年落实500多万元资金", "500", "近3年"),
        ("截至目前，全市建立了乡镇科协166个", "166", "截至目前"),
        ("2019年以来，湄潭县科协呈报请示12份", "12", "2019年以来"),
        ("到2021年底科普经费人均将达到5.5元", "5.5", "到2021年底"),
        ("做到每年听取汇报至少1次", "1", "每年"),
        ("2020年完成。全市建成30个", "30", None),
    ],
)
def test_period_is_the_nearest_cue_in_the_sentence(text, number, period):
    found = find_period(text, text.index(number), reference_date="2021-05-10")
    assert (found[1] if found else None) == period


def test_series_split_by_year(extractor):
    rows = extractor.extract_text("2017年~2020年，梧州市委听取工作汇报分别为1次、2次、4次、4次。", place_code=WUZHOU)
    facts = [r for r in rows if r["kind"] == "fact"]
    assert [r["period_text"] for r in facts] == ["2017年", "2018年", "2019年", "2020年"]
    assert "series position 2 of 4" in facts[1]["note"]


@pytest.mark.parametrize(
    ("text", "number", "status"),
    [
        ("比例由目前的58％提高至70％以上", "58", "achieved"),
        ("比例由目前的58％提高至70％以上", "70", "target"),
        ("力争把新馆建成建筑面积超过30000平方米的场馆", "30000", "target"),
        ("到2021年底科普经费人均将达到5.5元", "5.5", "target"),
        ("2018年已提高到了人均2元", "2元", "achieved"),
        ("确保每个乡镇建成科协1个", "1个", "target"),
        ("将来自企业的代表增加5名", "5名", "achieved"),
        ("累计推送应急科普信息480多次", "480", "achieved"),
    ],
)
def test_status_on_target_cues(text, number, status):
    assert status_of(text, text.index(number)) == status


def test_target_row_drops_the_baselines_period(extractor):
    rows = rows_by_raw(extractor, "将一线人员的比例由目前的58％提高至70％以上。", place=WUZHOU)
    assert (rows["58％"]["period_text"], rows["58％"]["status"]) == ("目前", "achieved")
    assert (rows["70％以上"]["period_text"], rows["70％以上"]["status"]) == ("", "target")


@pytest.mark.parametrize(
    ("text", "raw", "scope", "level", "code"),
    [
        ("从梧州市看，梧州市科协51万元、藤县科协26万元", "26万元", "藤县科协", "county", "450422"),
        ("全国有70%以上的科技工作者在企业", "70%以上", "全国", "national", "100000"),
        ("我省的贫困地区划分为四大片区", "四大", "四川省", "provincial", "510000"),
        ("目前，全市20个行政区（市）县均已建立园区科协", "20个", "成都市", "city", "510100"),
        ("湄潭县、仁怀市等9个县(市、区)已实现全覆盖", "9个", "遵义市", "city", "520300"),
        ("梧州市科协、藤县科协累计播出10多部", "10多部", "梧州市科协、藤县科协", "city", "450400"),
        ("凤冈县分领域联系全县5452名科技工作者", "5452名", "凤冈县", "county", "520327"),
        ("乌蒙山区的农民共有30多名", "30多名", "成都市", "city", "510100"),
        ("科普讲座共举办45场", "45场", "成都市", "city", "510100"),
    ],
)
def test_scope_resolution(extractor, text, raw, scope, level, code):
    row = rows_by_raw(extractor, text, place=CHENGDU)[raw]
    assert (row["scope_zh"], row["scope_level"], row["admin_code"]) == (scope, level, code)


def test_document_place_is_inferred_when_not_given(extractor):
    rows = extractor.extract_text("湄潭县科协工作情况。湄潭县科协全年举办讲座45场。", place_code=None)
    assert rows[0]["scope_zh"] == "湄潭县科协"
    rows = extractor.extract_text("湄潭县科协工作情况。全县共举办讲座45场。", place_code=None)
    assert (rows[0]["scope_zh"], rows[0]["admin_code"]) == ("湄潭县", "520328")


def test_quote_is_the_shortest_clause_with_a_subject_and_matches_the_document(extractor):
    text = "据统计，2017年以来，梧州市各级科协组织共召开庆祝会\n95场、走访优秀科技工作者280多名。"
    rows = rows_by_raw(extractor, text)
    assert rows["95场"]["quote"] == "梧州市各级科协组织共召开庆祝会95场"
    assert rows["280多名"]["quote"] == "走访优秀科技工作者280多名"
    for row in rows.values():
        assert locate_quote(row["quote"], text) is not None
        assert normalise_for_matching(row["raw_text"]) in row["quote"]
    clause = "2017年~2020年，梧州市委听取汇报分别为1次、2次。"
    start, end = clause_span(clause, clause.index("2次"), clause.index("2次") + 2)
    assert clause[start:end] == "梧州市委听取汇报分别为1次、2次"


def test_indicator_suggested_by_keywords_and_unit(extractor):
    rows = rows_by_raw(extractor, "从梧州市2020年各本级财政投入科协的工作经费看，藤县科协26万元。")
    assert rows["26万元"]["indicator_id"] == "kexie_annual_work_budget"
    # Same words, a unit no budget indicator takes: nothing suggested rather than a wrong guess.
    rows = rows_by_raw(extractor, "从梧州市2020年各本级财政投入科协的工作经费看，藤县科协26平方米。")
    assert rows["26平方米"]["indicator_id"] == ""


def test_confidence_orders_clear_facts_above_bare_numbers(extractor):
    rows = rows_by_raw(extractor, "藤县科协26万元，编号360，一个方向。")
    assert rows["26万元"]["confidence"] > rows["360"]["confidence"] > rows["一个"]["confidence"]
