"""Units read from a number's context (issue 16, unit on unseen texts): a classifier shared by a list,
per-capita money, venues counted with 座, the noun before a bare number; and the parser's own
percentage points and pinyin glosses between a number's parts. Every sentence is invented."""

from __future__ import annotations

import pytest

from kexie_research.extract.mentions import find_mentions
from kexie_research.extract.units import read_units
from kexie_research.parse.quantities import find_quantities, parse_quantity


def units_of(flat: str) -> dict[str, tuple[float, str]]:
    return {m.raw: (m.quantity.value, m.quantity.unit) for m in read_units(flat, find_mentions(flat)) if m.quantity}


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("城乡分别提高0.8和1.6个百分点", "0.8", 0.8, "percent"),
        ("三地分别提高2.1、0.7和1.9个百分点", "2.1", 2.1, "percent"),
        ("三地分别提高2.1、0.7和1.9个百分点", "0.7", 0.7, "percent"),
        ("会员和志愿者分别为2.5与6.1万人", "2.5", 25000.0, "person"),
        ("2019和2020年", "2019", 2019.0, "year"),
        ("全市人均科普经费为6.2元，比上年增加0.4元", "6.2元", 6.2, "CNY_per_capita"),
        ("全市人均科普经费为6.2元，比上年增加0.4元", "0.4元", 0.4, "CNY_per_capita"),
        ("全市人均科普经费为6.2元，科普经费总额900万元", "900万元", 9000000.0, "CNY"),
        ("投入科普经费300万元，比上年增加20万元", "20万元", 200000.0, "CNY"),
        ("全省建成科技馆58座", "58座", 58.0, "organisation"),
        ("架设便民桥3座", "3座", 3.0, "item"),
        ("展馆接待人次达到36.5万", "36.5万", 365000.0, "person_time"),
        ("参赛人数超过2万", "超过2万", 20000.0, "person"),
        ("科普专项资金首次突破2.3亿", "2.3亿", 230000000.0, "CNY"),
        ("全年举办讲座120，培训农民3000", "120", 120.0, "number"),
    ],
)
def test_units_from_context(text: str, raw: str, value: float, unit: str) -> None:
    assert units_of(text)[raw] == (value, unit)


def test_a_join_without_a_classifier_after_it_changes_nothing() -> None:
    assert units_of("编号12和13")["12"] == (12.0, "number")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("提高3.5个百分点", ("3.5个百分点", 3.5, "percent")),
        ("提高3.5個(gè)百分點(diǎn)。", ("3.5個(gè)百分點", 3.5, "percent")),
        ("預算48萬(wàn)元,其中", ("48萬(wàn)元", 480000.0, "CNY")),
        ("舉辦講座2.1萬(wàn)場(chǎng)", ("2.1萬(wàn)場", 21000.0, "event")),
        ("参观人数突破5亿大关", ("5亿", 500000000.0, "number")),
        ("形成三大板块", ("三大", 3.0, "count")),
    ],
)
def test_the_parser_reads_points_glosses_and_marks(text: str, expected: tuple[str, float, str]) -> None:
    (mention,) = find_quantities(text)
    assert (mention.text, mention.quantity.value, mention.quantity.unit) == expected


def test_percentage_points_parse_alone() -> None:
    assert parse_quantity("2.5个百分点").unit == "percent"


@pytest.mark.parametrize(
    ("text", "raw", "unit"),
    [
        ("惠及数十万群众", "数十万", "person"),
        ("为 2.4 万各族群众服务", "2.4 万", "person"),
        ("全省300个代表参加", "300个", "person"),
        ("组建30个代表团", "30个", "count"),
        ("建成12个科技工作者之家", "12个", "count"),
        ("流动科技馆巡展320站", "320", "event"),
        ("服务群众3.5万人(次)", "3.5万人", "person_time"),
        ("联合12部门开展活动", "12部", "organisation"),
        ("20多个部门参加", "20多个", "organisation"),
        ("开展活动6批次", "6批次", "event"),
    ],
)
def test_units_from_the_words_after(text: str, raw: str, unit: str) -> None:
    assert units_of(text)[raw][1] == unit


def test_a_person_noun_modifying_another_noun_gives_no_persons() -> None:
    assert units_of("其中3个青少年科技创新项目获奖")["3个"][1] == "count"
    assert units_of("组建5个志愿者服务队")["5个"][1] == "count"


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("近200组家庭参加", "近200", 200.0, "household"),
        ("人均经费增加5分钱", "5", 0.05, "CNY_per_capita"),
        ("每本售价8角钱", "8", 0.8, "CNY"),
        ("观展人次约80万，2019年达到95万，增长18%", "95万", 950000.0, "person_time"),
        ("观展人次约80万。2019年达到95万", "95万", 950000.0, "number"),
    ],
)
def test_units_of_households_coins_and_parallel_clauses(text: str, raw: str, value: float, unit: str) -> None:
    assert units_of(text)[raw] == (value, unit)


def test_the_second_one_after_a_word_ending_in_one_counts() -> None:
    assert [m.raw for m in find_mentions("成为全省唯一一所")] == ["一所"]


@pytest.mark.parametrize(
    ("text", "raw", "unit"),
    [
        ("服务群众2000人/次，", "2000人", "person_time"),
        ("受益4万人·次", "4万人", "person_time"),
        ("覆盖人口约80万", "约80万", "person"),
        ("受益群众达3万", "3万", "person"),
        ("网络点击量超过3000万", "超过3000万", "number"),
    ],
)
def test_attendances_and_people_written_around_the_number(text: str, raw: str, unit: str) -> None:
    assert units_of(text)[raw][1] == unit


@pytest.mark.parametrize(
    ("text", "raw", "unit"),
    [
        ("其中培训费4万，", "4万", "CNY"),
        ("全部免费3000", "3000", "number"),
        ("参与人数(shù)超过80万", "超过80万", "person"),  # the draft reads simplified text
    ],
)
def test_fees_and_nouns_through_pinyin_glosses(text: str, raw: str, unit: str) -> None:
    assert units_of(text)[raw][1] == unit
