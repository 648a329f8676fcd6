"""Text hygiene of issue 16 in the quantity parser and scanner: spaces, commas, pinyin, pairs."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.parse.quantities import find_quantities, parse_quantity


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "unit"),
    [
        ("约 200 人", 200, "approx", "person"),
        ("超 70%", 70, "at_least", "percent"),
        ("近\u30005000 名", 5000, "approx", "person"),
        ("不足\xa050 家", 50, "at_most", "organisation"),
        ("數(shù)十萬", 100_000, "at_least", "number"),
        ("数（shù）十万人", 100_000, "at_least", "person"),
        ("数十万(wàn)人", 100_000, "at_least", "person"),
        ("3000餘對", 3000, "at_least", "pair"),
        ("3000余对", 3000, "at_least", "pair"),
        ("两双", 2, "exact", "pair"),
        ("5副", 5, "exact", "pair"),
        ("10套", 10, "exact", "item"),
    ],
)
def test_parse_quantity_reads_web_text(text: str, value: float, qualifier: str, unit: str) -> None:
    quantity = parse_quantity(text)
    assert (quantity.value, quantity.qualifier, quantity.unit, quantity.raw) == (value, qualifier, unit, text)


def test_pair_classifier_is_kept_as_written() -> None:
    assert parse_quantity("3000餘對").classifier == "对"
    assert parse_quantity("3对夫妻").noun == "夫妻"


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("参加活动约 200 人。", [("约 200 人", 200, "approx")]),
        ("满意度超 70%。", [("超 70%", 70, "at_least")]),
        ("投入961600,2018年又投入", [("961600", 961600, "exact"), ("2018年", 2018, "exact")]),
        ("共20,000,2019年", [("20,000", 20000, "exact"), ("2019年", 2019, "exact")]),
        ("共1,234人", [("1,234人", 1234, "exact")]),
        ("惠及數(shù)十萬群眾", [("數(shù)十萬", 100_000, "at_least")]),
        ("共3000餘對新人參加", [("3000餘對", 3000, "at_least")]),
        ("开展一对一帮扶", []),
        ("统一对接", []),
        ("实施双创工程", []),
        ("數(shù)據顯示", []),
    ],
)
def test_find_quantities_on_web_text(text: str, mentions: list[tuple[str, float, str]]) -> None:
    found = find_quantities(text)
    assert [(m.text, m.quantity.value, m.quantity.qualifier) for m in found] == mentions
    for m in found:
        assert text[m.start : m.end] == m.text


def test_a_thousands_group_has_exactly_three_digits() -> None:
    assert [m.text for m in find_quantities("12,3456")] == ["12", "3456"]
    assert [m.text for m in find_quantities("1,23人")] == ["1", "23人"]


@settings(max_examples=150, deadline=None)
@given(number=st.integers(1, 10**7), year=st.integers(1990, 2030), comma=st.sampled_from([",", "，"]))
def test_a_comma_before_a_year_ends_the_number(number: int, year: int, comma: str) -> None:
    text = f"投入{number}{comma}{year}年"
    found = find_quantities(text)
    assert [m.quantity.value for m in found] == [number, year]


@settings(max_examples=150, deadline=None)
@given(
    word=st.sampled_from(["约", "近", "超", "超过", "不足", "至少"]),
    spaces=st.text(alphabet=" \u3000\xa0\t", min_size=1, max_size=3),
    number=st.integers(1, 10**6),
)
def test_spaces_between_qualifier_and_number_keep_the_qualifier(word: str, spaces: str, number: int) -> None:
    found = find_quantities(f"共{word}{spaces}{number}{spaces}人。")
    assert len(found) == 1 and found[0].text == f"{word}{spaces}{number}{spaces}人"
    expected = parse_quantity(f"{word}{number}人")
    assert found[0].quantity.qualifier == expected.qualifier and found[0].quantity.value == number
    assert not math.isnan(found[0].quantity.value)
