"""Tests of kexie_research.parse.quantities: every written form, every error, round trips, the fast path."""

from __future__ import annotations

import dataclasses
import functools
import math
from decimal import Decimal

import cn2an
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.parse import quantities
from kexie_research.errors import ParseError
from kexie_research.parse.quantities import (
    CLASSIFIER_UNITS,
    CODEBOOK_UNITS,
    FILLER_WORDS,
    PARSER_UNITS,
    PREFIX_QUALIFIERS,
    SUFFIX_QUALIFIERS,
    Quantity,
    find_quantities,
    parse_quantities,
    parse_quantity,
)

NAN = math.nan
COLUMNS = ["value", "low", "high", "unit", "qualifier", "raw", "classifier", "noun"]

# text, value, low, high, unit, qualifier — the forms of the real coding sheets first.
REAL_FORMS = [
    ("51万元", 510_000, NAN, NAN, "CNY", "exact"),
    ("20.52万元", 205_200, NAN, NAN, "CNY", "exact"),
    ("1080.34亿元", 108_034_000_000, NAN, NAN, "CNY", "exact"),
    ("近20,000人", 20_000, NAN, NAN, "person", "approx"),
    ("480多次", 480, 480, NAN, "event", "at_least"),
    ("1650余万次", 16_500_000, 16_500_000, NAN, "event", "at_least"),
    ("58％", 58, NAN, NAN, "percent", "exact"),
    ("70％以上", 70, 70, NAN, "percent", "at_least"),
    ("三分之一", 1 / 3, NAN, NAN, "share", "exact"),
    ("四分之三以上", 0.75, 0.75, NAN, "share", "at_least"),
    ("不少于三分之一", 1 / 3, 1 / 3, NAN, "share", "at_least"),
    ("2—3个", 2, 2, 3, "count", "range"),
    ("3—5年", 3, 3, 5, "year", "range"),
    ("一名", 1, NAN, NAN, "person", "exact"),
    ("两天", 2, NAN, NAN, "day", "exact"),
    ("人均5.5元", 5.5, NAN, NAN, "CNY_per_capita", "exact"),
    ("人均2元", 2, NAN, NAN, "CNY_per_capita", "exact"),
    ("近6万元", 60_000, NAN, NAN, "CNY", "approx"),
    ("500多万元", 5_000_000, 5_000_000, NAN, "CNY", "at_least"),
    ("11,000多户", 11_000, 11_000, NAN, "household", "at_least"),
    ("16万余人", 160_000, 160_000, NAN, "person", "at_least"),
    ("31万余次", 310_000, 310_000, NAN, "event", "at_least"),
    ("40余篇", 40, 40, NAN, "item", "at_least"),
    ("231期", 231, NAN, NAN, "item", "exact"),
    ("超过30000平方米", 30_000, 30_000, NAN, "square_metre", "at_least"),
    ("约3亿元", 300_000_000, NAN, NAN, "CNY", "approx"),
    ("没有超过10万元", 100_000, NAN, 100_000, "CNY", "at_most"),
    ("30人以上", 30, 30, NAN, "person", "at_least"),
    ("3名以上", 3, 3, NAN, "person", "at_least"),
    ("1个以上", 1, 1, NAN, "count", "at_least"),
    ("不少于2年", 2, 2, NAN, "year", "at_least"),
    ("5%", 5, NAN, NAN, "percent", "exact"),
    ("265面（幅）", 265, NAN, NAN, "item", "exact"),
    ("500多条（张）", 500, 500, NAN, "item", "at_least"),
    ("2500多小时", 2500, 2500, NAN, "hour", "at_least"),
    ("1次", 1, NAN, NAN, "event", "exact"),
    ("10.5%", 10.5, NAN, NAN, "percent", "exact"),
    ("1650名", 1650, NAN, NAN, "person", "exact"),
    ("29家", 29, NAN, NAN, "organisation", "exact"),
    ("20多所", 20, 20, NAN, "organisation", "at_least"),
    ("560多场次", 560, 560, NAN, "event", "at_least"),
    ("95场", 95, NAN, NAN, "event", "exact"),
    ("4起", 4, NAN, NAN, "event", "exact"),
    ("8000多份", 8000, 8000, NAN, "item", "at_least"),
    ("10多部", 10, 10, NAN, "item", "at_least"),
    ("37项", 37, NAN, NAN, "item", "exact"),
    ("5000元", 5000, NAN, NAN, "CNY", "exact"),
    ("2200万元", 22_000_000, NAN, NAN, "CNY", "exact"),
    ("不足3名", 3, NAN, 3, "person", "at_most"),
    ("12份", 12, NAN, NAN, "item", "exact"),
]

# Forms the grammar promises beyond the sheets: normalisation, qualifier words, fillers, variants.
OTHER_FORMS = [
    # full-width digits, ％, ，, ．, spaces (full- and half-width), line breaks of the print layout
    ("５８％", 58, NAN, NAN, "percent", "exact"),
    ("２０，０００人", 20_000, NAN, NAN, "person", "exact"),
    ("20，000人", 20_000, NAN, NAN, "person", "exact"),
    ("１０８０．３４亿元", 108_034_000_000, NAN, NAN, "CNY", "exact"),
    ("近 20,000 人", 20_000, NAN, NAN, "person", "approx"),
    ("近\u300020,000\u3000人", 20_000, NAN, NAN, "person", "approx"),
    ("近2\n0,000人", 20_000, NAN, NAN, "person", "approx"),
    ("1,234,567.5元", 1_234_567.5, NAN, NAN, "CNY", "exact"),
    # bare numbers
    ("42", 42, NAN, NAN, "number", "exact"),
    ("3.5万", 35_000, NAN, NAN, "number", "exact"),
    # Chinese numerals (cn2an)
    ("三十", 30, NAN, NAN, "number", "exact"),
    ("一百二十人", 120, NAN, NAN, "person", "exact"),
    ("两百万元", 2_000_000, NAN, NAN, "CNY", "exact"),
    ("十六万人", 160_000, NAN, NAN, "person", "exact"),
    ("三百余万人", 3_000_000, 3_000_000, NAN, "person", "at_least"),
    ("十余人", 10, 10, NAN, "person", "at_least"),
    ("百余人", 100, 100, NAN, "person", "at_least"),
    ("万人", 10_000, NAN, NAN, "person", "exact"),
    ("三点五小时", 3.5, NAN, NAN, "hour", "exact"),
    # approx
    ("约3亿元", 300_000_000, NAN, NAN, "CNY", "approx"),
    ("大约50人", 50, NAN, NAN, "person", "approx"),
    ("将近50人", 50, NAN, NAN, "person", "approx"),
    ("接近50人", 50, NAN, NAN, "person", "approx"),
    ("50人左右", 50, NAN, NAN, "person", "approx"),
    ("50人上下", 50, NAN, NAN, "person", "approx"),
    # at_least
    ("逾50人", 50, 50, NAN, "person", "at_least"),
    ("至少1次", 1, 1, NAN, "event", "at_least"),
    ("超50人", 50, 50, NAN, "person", "at_least"),
    ("不低于5%", 5, 5, NAN, "percent", "at_least"),
    ("50人及以上", 50, 50, NAN, "person", "at_least"),
    # at_most
    ("不超过10万元", 100_000, NAN, 100_000, "CNY", "at_most"),
    ("未超过10万元", 100_000, NAN, 100_000, "CNY", "at_most"),
    ("不到3名", 3, NAN, 3, "person", "at_most"),
    ("少于3名", 3, NAN, 3, "person", "at_most"),
    ("至多2次", 2, NAN, 2, "event", "at_most"),
    ("不高于5%", 5, NAN, 5, "percent", "at_most"),
    ("45人以下", 45, NAN, 45, "person", "at_most"),
    ("45人及以下", 45, NAN, 45, "person", "at_most"),
    ("3天以内", 3, NAN, 3, "day", "at_most"),
    # ranges: every separator, Chinese ends, multipliers, classifiers on both ends
    ("2–3个", 2, 2, 3, "count", "range"),
    ("2-3个", 2, 2, 3, "count", "range"),
    ("2－3个", 2, 2, 3, "count", "range"),
    ("2至3个", 2, 2, 3, "count", "range"),
    ("2到3个", 2, 2, 3, "count", "range"),
    ("2~3个", 2, 2, 3, "count", "range"),
    ("2～3个", 2, 2, 3, "count", "range"),
    ("2〜3个", 2, 2, 3, "count", "range"),
    ("2——3个", 2, 2, 3, "count", "range"),
    ("2个—3个", 2, 2, 3, "count", "range"),
    ("三至五年", 3, 3, 5, "year", "range"),
    ("2—3万元", 20_000, 20_000, 30_000, "CNY", "range"),
    ("2万—3万元", 20_000, 20_000, 30_000, "CNY", "range"),
    ("60%—70%", 60, 60, 70, "percent", "range"),
    ("3—3次", 3, 3, 3, "event", "range"),
    ("2—3条（张）", 2, 2, 3, "item", "range"),
    # fractions and spelled-out percentages
    ("3分之1", 1 / 3, NAN, NAN, "share", "exact"),
    ("三分之二左右", 2 / 3, NAN, NAN, "share", "approx"),
    ("千分之五", 0.005, NAN, NAN, "share", "exact"),
    ("百分之五十", 50, NAN, NAN, "percent", "exact"),
    ("百分之七十以上", 70, 70, NAN, "percent", "at_least"),
    # filler words before and after the number
    ("只有1名", 1, NAN, NAN, "person", "exact"),
    ("已有29家", 29, NAN, NAN, "organisation", "exact"),
    ("共231期", 231, NAN, NAN, "item", "exact"),
    ("累计480多次", 480, 480, NAN, "event", "at_least"),
    ("达到了31万余次", 310_000, 310_000, NAN, "event", "at_least"),
    ("人均只有0.6元", 0.6, NAN, NAN, "CNY_per_capita", "exact"),
    ("约有50人", 50, NAN, NAN, "person", "approx"),
    # classifier vocabulary
    ("3位", 3, NAN, NAN, "person", "exact"),
    ("3张", 3, NAN, NAN, "item", "exact"),
    ("3面", 3, NAN, NAN, "item", "exact"),
    ("3幅", 3, NAN, NAN, "item", "exact"),
    ("3件", 3, NAN, NAN, "item", "exact"),
    ("3条", 3, NAN, NAN, "item", "exact"),
    ("3日", 3, NAN, NAN, "day", "exact"),
    ("10万人次", 100_000, NAN, NAN, "person_time", "exact"),
    ("100平米", 100, NAN, NAN, "square_metre", "exact"),
    ("100㎡", 100, NAN, NAN, "square_metre", "exact"),
    ("万余人", 10_000, 10_000, NAN, "person", "at_least"),
    ("5万余次", 50_000, 50_000, NAN, "event", "at_least"),
    ("1.2万亿元", 1_200_000_000_000, NAN, NAN, "CNY", "exact"),
    ("5千人", 5000, NAN, NAN, "person", "exact"),
    ("“5”个", 5, NAN, NAN, "count", "exact"),
    ("三大", 3, NAN, NAN, "count", "exact"),  # 三大服务平台: an enumeration
    ("四大", 4, NAN, NAN, "count", "exact"),  # 四大片区
]


def _same(actual: float, expected: float) -> bool:
    if math.isnan(expected):
        return math.isnan(actual)
    return actual == pytest.approx(expected, rel=1e-12, abs=0)


@pytest.mark.parametrize(("text", "value", "low", "high", "unit", "qualifier"), REAL_FORMS + OTHER_FORMS)
def test_forms(text: str, value: float, low: float, high: float, unit: str, qualifier: str) -> None:
    q = parse_quantity(text)
    assert (q.unit, q.qualifier) == (unit, qualifier)
    assert _same(q.value, value), q
    assert _same(q.low, low), q
    assert _same(q.high, high), q
    assert q.raw == text
    assert q.unit in PARSER_UNITS and q.qualifier in quantities.QUALIFIERS


def test_decimal_multipliers_are_exact() -> None:
    # Decimal arithmetic: 20.52 * 1e4 in binary floats would give 205199.99999999997.
    assert parse_quantity("20.52万元").value == 205_200.0
    assert parse_quantity("1080.34亿元").value == 108_034_000_000.0
    assert parse_quantity("0.07万元").value == 700.0


def test_bounds_convention() -> None:
    at_least, at_most, exact, rng = (parse_quantity(t) for t in ("3名以上", "不足3名", "3名", "2—3名"))
    assert (at_least.value, at_least.low) == (3, 3) and math.isnan(at_least.high)
    assert (at_most.value, at_most.high) == (3, 3) and math.isnan(at_most.low)
    assert exact.value == 3 and math.isnan(exact.low) and math.isnan(exact.high)
    assert (rng.value, rng.low, rng.high) == (2, 2, 3)


def test_quantity_equality_treats_nan_as_equal_and_is_hashable() -> None:
    a, b = parse_quantity("58％"), parse_quantity("58％")
    assert a == b and hash(a) == hash(b)
    assert a != parse_quantity("58%")  # raw differs
    assert len({a, b}) == 1
    assert a != "58％"
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.value = 1.0  # type: ignore[misc]


def test_unit_vocabulary_is_the_codebook_plus_count_and_pair() -> None:
    assert set(PARSER_UNITS) == set(CODEBOOK_UNITS) | {"count", "pair"}
    assert set(CLASSIFIER_UNITS.values()) <= set(PARSER_UNITS)


def test_codebook_units_match_the_codebook_file() -> None:
    import yaml

    from kexie_research import config

    codebook = yaml.safe_load((config.raw_dir() / "codebook.yaml").read_text(encoding="utf-8"))
    assert set(codebook["units"]) == set(CODEBOOK_UNITS)


# --- errors -------------------------------------------------------------------------------------
ERRORS = [
    ("", "the text is empty"),
    ("  \u3000 ", "the text is empty"),
    ("abc", "no number found"),
    ("几个", "'几' alone states no number"),
    ("3个月以上的", "unrecognised text"),
    ("3名以上的企业", "unrecognised text '以上的企业' after '3名'"),
    ("约50人以上", "conflicting qualifiers: 约 (approx), 以上 (at_least)"),
    ("以上", "no number found"),
    ("2,3人", "unrecognised text ',3人'"),
    ("20,00人", "unrecognised text"),
    ("十十人", "'十十' is not a Chinese numeral"),
    ("不足50人以上", "conflicting qualifiers"),
    ("约2—3个", "a range cannot carry the qualifier '约'"),
    ("2—3个以上", "a range cannot carry the qualifier '以上'"),
    ("5—3个", "lower end 5 exceeds its upper end 3"),
    ("2万—3元", "multiplier (万/亿) on the lower end of a range only"),
    ("2个—3年", "different units"),
    ("2个—3", "classifier on the lower end of a range only"),
    ("265面（人）", "bracketed alternative classifier '人' (person) does not match '面' (item)"),
    ("人均3次", "人均 is only understood with 元"),
    ("0分之3", "denominator 0"),
    ("-5人", "unrecognised words before the number"),
]


@pytest.mark.parametrize(("text", "reason"), ERRORS)
def test_errors(text: str, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_quantity(text)
    message = str(info.value)
    assert reason in message
    assert f"cannot parse quantity {text!r}" in message  # quotes the text
    assert "expected" in message  # says what was expected


@pytest.mark.parametrize("value", [None, 5, 5.0, b"5"])
def test_non_str_raises(value: object) -> None:
    with pytest.raises(ParseError, match=f"expected a str, got {type(value).__name__}"):
        parse_quantity(value)  # type: ignore[arg-type]


def test_parse_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_quantity("abc")


def test_filler_words_are_only_the_documented_ones() -> None:
    for word in FILLER_WORDS:
        assert parse_quantity(f"{word}3名").value == 3
    with pytest.raises(ParseError):
        parse_quantity("据说有3名")  # 据说 is neither a qualifier nor a filler word


# --- property tests: spell numbers, parse them back ------------------------------------------------
_FULL_WIDTH = str.maketrans("0123456789,.%", "０１２３４５６７８９，．％")
_QUALIFIED = st.sampled_from(
    [(w, q, "prefix") for w, q in PREFIX_QUALIFIERS.items()]
    + [(w, q, "suffix") for w, q in SUFFIX_QUALIFIERS.items()]
    + [("", "exact", "prefix")]
)
_CLASSIFIERS = st.sampled_from(sorted(c for c in CLASSIFIER_UNITS if c != "%") + [""])


def _expect_bounds(q: Quantity, number: float, qualifier: str) -> None:
    assert q.qualifier == qualifier
    assert q.value == number
    if qualifier == "at_least":
        assert q.low == number and math.isnan(q.high)
    elif qualifier == "at_most":
        assert q.high == number and math.isnan(q.low)
    else:
        assert math.isnan(q.low) and math.isnan(q.high)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 10**12 - 1), cls=_CLASSIFIERS, qualified=_QUALIFIED, liang=st.booleans())
def test_chinese_numerals_round_trip(n: int, cls: str, qualified: tuple[str, str, str], liang: bool) -> None:
    word, qualifier, side = qualified
    numeral = cn2an.an2cn(n)
    if liang:  # 两百, 两千, 两万 are the spoken forms of 二百 …
        numeral = numeral.replace("二百", "两百").replace("二千", "两千").replace("二万", "两万")
    text = f"{word}{numeral}{cls}" if side == "prefix" else f"{numeral}{cls}{word}"
    q = parse_quantity(text)
    _expect_bounds(q, float(n), qualifier)
    assert q.unit == (CLASSIFIER_UNITS[cls] if cls else "number")


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(0, 10**9),
    mult=st.sampled_from(["", "万", "亿"]),
    separators=st.booleans(),
    full_width=st.booleans(),
    marker=st.sampled_from(["", "多", "余"]),
    qualified=_QUALIFIED,
)
def test_arabic_numbers_round_trip(
    cents: int, mult: str, separators: bool, full_width: bool, marker: str, qualified: tuple[str, str, str]
) -> None:
    word, qualifier, side = qualified
    if marker and qualifier == "at_most":
        qualifier = "conflict"
    elif marker and qualifier != "approx":  # 近500余人: the approx word absorbs the -odd marker
        qualifier = "at_least"
    number = Decimal(cents) / 100
    digits = f"{number:,}" if separators else f"{number}"
    if full_width:
        digits = digits.translate(_FULL_WIDTH)
    core = f"{digits}{marker}{mult}元"
    text = f"{word}{core}" if side == "prefix" else f"{core}{word}"
    if qualifier == "conflict":
        with pytest.raises(ParseError, match="conflicting qualifiers"):
            parse_quantity(text)
        return
    q = parse_quantity(text)
    factor = {"": 1, "万": 10**4, "亿": 10**8}[mult]
    _expect_bounds(q, float(number * factor), qualifier)
    assert q.unit == "CNY"


@settings(max_examples=200, deadline=None)
@given(
    a=st.integers(0, 10**6),
    width=st.integers(0, 10**6),
    sep=st.sampled_from(["—", "——", "–", "-", "－", "至", "到", "~", "～", "〜"]),
    chinese=st.booleans(),
    mult=st.sampled_from(["", "万", "亿"]),
    cls=_CLASSIFIERS,
)
def test_ranges_round_trip(a: int, width: int, sep: str, chinese: bool, mult: str, cls: str) -> None:
    b = a + width
    spell = cn2an.an2cn if chinese else str
    if chinese and mult:
        mult = ""  # a Chinese numeral carries its own 万/亿
    q = parse_quantity(f"{spell(a)}{sep}{spell(b)}{mult}{cls}")
    factor = {"": 1, "万": 10**4, "亿": 10**8}[mult]
    assert (q.qualifier, q.value, q.low, q.high) == ("range", a * factor, a * factor, b * factor)
    assert q.unit == (CLASSIFIER_UNITS[cls] if cls else "number")


@settings(max_examples=200, deadline=None)
@given(den=st.integers(2, 1000), data=st.data(), chinese=st.booleans(), qualified=_QUALIFIED)
def test_fractions_round_trip(den: int, data: st.DataObject, chinese: bool, qualified: tuple[str, str, str]) -> None:
    num = data.draw(st.integers(0, den))
    word, qualifier, side = qualified
    spell = cn2an.an2cn if chinese else str
    core = f"{spell(den)}分之{spell(num)}"
    q = parse_quantity(f"{word}{core}" if side == "prefix" else f"{core}{word}")
    if den == 100:
        assert q.unit == "percent"
        _expect_bounds(q, float(num), qualifier)
    else:
        assert q.unit == "share"
        _expect_bounds(q, float(Decimal(num) / Decimal(den)), qualifier)


@settings(max_examples=200, deadline=None)
@given(tenths=st.integers(0, 10**5), full_width=st.booleans(), qualified=_QUALIFIED)
def test_percentages_stay_percent(tenths: int, full_width: bool, qualified: tuple[str, str, str]) -> None:
    word, qualifier, side = qualified
    digits = f"{Decimal(tenths) / 10}%"
    if full_width:
        digits = digits.translate(_FULL_WIDTH)
    q = parse_quantity(f"{word}{digits}" if side == "prefix" else f"{digits}{word}")
    assert q.unit == "percent"
    _expect_bounds(q, tenths / 10, qualifier)


# --- the fast path --------------------------------------------------------------------------------
def _row_by_row(texts: pd.Series) -> pd.DataFrame:
    rows = [dataclasses.asdict(parse_quantity(t)) for t in texts]
    frame = pd.DataFrame(rows, index=texts.index, columns=COLUMNS)
    return frame.astype({"value": "float64", "low": "float64", "high": "float64"})


def test_parse_quantities_equals_row_by_row() -> None:
    forms = [row[0] for row in REAL_FORMS + OTHER_FORMS]
    rng = np.random.default_rng(7)
    texts = pd.Series(rng.choice(forms, size=3000), name="raw_text")
    texts.index = pd.Index([f"r{i}" for i in range(len(texts))])  # a non-default index is kept
    fast = parse_quantities(texts)
    pd.testing.assert_frame_equal(fast, _row_by_row(texts), check_dtype=False)
    assert list(fast.columns) == COLUMNS
    assert fast.index.equals(texts.index)
    assert all(fast[c].dtype == "float64" for c in ("value", "low", "high"))
    assert all(fast[c].dtype == "str" for c in ("unit", "qualifier", "raw", "classifier", "noun"))


def test_parse_quantities_object_series_and_empty() -> None:
    texts = pd.Series(["1次", "近6万元", "1次"], dtype=object)
    assert parse_quantities(texts)["value"].tolist() == [1.0, 60_000.0, 1.0]
    empty = parse_quantities(pd.Series([], dtype="str"))
    assert empty.empty and list(empty.columns) == COLUMNS


def test_parse_quantities_raise_names_first_bad_row() -> None:
    texts = pd.Series(["1次", "1次", "3个以上的", "abc", "3个以上的"], index=[10, 11, 12, 13, 14], name="raw_text")
    with pytest.raises(ParseError, match=r"row 12 of column 'raw_text': cannot parse quantity '3个以上的'"):
        parse_quantities(texts)


def test_parse_quantities_raise_on_missing() -> None:
    texts = pd.Series(["1次", None, "abc"], index=["a", "b", "c"])
    with pytest.raises(ParseError, match=r"row 'b': missing quantity text"):
        parse_quantities(texts)


def test_parse_quantities_coerce_reports_errors() -> None:
    texts = pd.Series(["1次", "abc", None, "三分之一", "abc"], name="raw_text")
    out = parse_quantities(texts, errors="coerce")
    assert list(out.columns) == [*COLUMNS, "error"]
    ok = out["error"].isna()
    assert ok.tolist() == [True, False, False, True, False]
    assert out.loc[1, "error"].startswith("cannot parse quantity 'abc': no number found")
    assert out.loc[2, "error"].startswith("missing quantity text")
    bad = out[~ok]
    assert bad[["value", "low", "high"]].isna().all().all()
    assert bad["unit"].isna().all() and bad["qualifier"].isna().all()
    assert out.loc[1, "raw"] == "abc" and pd.isna(out.loc[2, "raw"])
    assert out.loc[3, "value"] == pytest.approx(1 / 3) and out.loc[3, "unit"] == "share"
    assert out.loc[0, ["value", "unit", "qualifier"]].tolist() == [1.0, "event", "exact"]


def test_parse_quantities_coerce_non_str() -> None:
    out = parse_quantities(pd.Series(["1次", 5], dtype=object), errors="coerce")
    assert out.loc[1, "raw"] == "5"
    assert "expected a str, got int" in out.loc[1, "error"]


def test_parse_quantities_rejects_unknown_errors_mode() -> None:
    with pytest.raises(ValueError, match="errors must be 'raise' or 'coerce'"):
        parse_quantities(pd.Series(["1次"]), errors="ignore")  # type: ignore[arg-type]


def test_parse_quantities_parses_each_distinct_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = quantities._parse

    def counting(text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return original(text)

    monkeypatch.setattr(quantities, "_parse", counting)
    parse_quantities(pd.Series(["1次", "2名", "1次", "2名", "1次"] * 100))
    assert sorted(calls) == ["1次", "2名"]


# --- real-world forms beyond the five documents ----------------------------------------------------
# text, value, low, high, unit, qualifier, classifier, noun
WORLD_FORMS = [
    # traditional characters (OpenCC t2s); raw stays as written
    ("12個", 12, NAN, NAN, "count", "exact", "个", ""),
    ("3萬元", 30_000, NAN, NAN, "CNY", "exact", "元", ""),
    ("200餘人", 200, 200, NAN, "person", "at_least", "人", ""),
    ("超過50家", 50, 50, NAN, "organisation", "at_least", "家", ""),
    ("1,200戶", 1200, NAN, NAN, "household", "exact", "户", ""),
    ("兩三萬", 20_000, 20_000, 30_000, "number", "range", "", ""),
    ("貳拾萬元", 200_000, NAN, NAN, "CNY", "exact", "元", ""),
    ("壹万贰仟元整", 12_000, NAN, NAN, "CNY", "exact", "元", ""),
    # approximate numerals: two neighbouring digits give a range
    ("两三万", 20_000, 20_000, 30_000, "number", "range", "", ""),
    ("二十五六万", 250_000, 250_000, 260_000, "number", "range", "", ""),
    ("七八十", 70, 70, 80, "number", "range", "", ""),
    ("一两千", 1000, 1000, 2000, "number", "range", "", ""),
    ("三五个", 3, 3, 5, "count", "range", "个", ""),
    ("十七八人", 17, 17, 18, "person", "range", "人", ""),
    ("一万七八", 17_000, 17_000, 18_000, "number", "range", "", ""),
    ("三四十万元", 300_000, 300_000, 400_000, "CNY", "range", "元", ""),
    # 几 after a unit: a digit 1-9
    ("十几个", 11, 11, 19, "count", "range", "个", ""),
    ("二十几万", 210_000, 210_000, 290_000, "number", "range", "", ""),
    ("三百几十", 310, 310, 390, "number", "range", "", ""),
    # 几/数 before a unit, 上X, idioms: lower bounds
    ("几十", 10, 10, NAN, "number", "at_least", "", ""),
    ("几百人", 100, 100, NAN, "person", "at_least", "人", ""),
    ("数百家", 100, 100, NAN, "organisation", "at_least", "家", ""),
    ("数十万元", 100_000, 100_000, NAN, "CNY", "at_least", "元", ""),
    ("上千", 1000, 1000, NAN, "number", "at_least", "", ""),
    ("上百万人", 1_000_000, 1_000_000, NAN, "person", "at_least", "人", ""),
    ("成千上万", 1000, 1000, NAN, "number", "at_least", "", ""),
    ("成百上千人", 100, 100, NAN, "person", "at_least", "人", ""),
    ("约几百人", 100, NAN, NAN, "person", "approx", "人", ""),
    # the classifier table
    *[(f"3{c}", 3, NAN, NAN, "item", "exact", c, "") for c in "处本种座台辆株批门栋项篇部套"],
    ("30亩", 30, NAN, NAN, "mu", "exact", "亩", ""),
    ("3届", 3, NAN, NAN, "event", "exact", "届", ""),
    ("5场", 5, NAN, NAN, "event", "exact", "场", ""),
    ("10支", 10, NAN, NAN, "organisation", "exact", "支", ""),
    ("10万人次", 100_000, NAN, NAN, "person_time", "exact", "人次", ""),
    ("3个月", 3, NAN, NAN, "month", "exact", "个月", ""),
    ("2周", 2, NAN, NAN, "week", "exact", "周", ""),
    ("30分钟", 30, NAN, NAN, "minute", "exact", "分钟", ""),
    ("5公里", 5, NAN, NAN, "kilometre", "exact", "公里", ""),
    ("5千米", 5000, NAN, NAN, "metre", "exact", "米", ""),  # 千 is the multiplier
    ("3吨", 3, NAN, NAN, "tonne", "exact", "吨", ""),
    ("12公顷", 12, NAN, NAN, "hectare", "exact", "公顷", ""),
    ("2.5平方公里", 2.5, NAN, NAN, "square_kilometre", "exact", "平方公里", ""),
    # ages, halves, money with 角/分, negatives, decimals with a multiplier
    ("35岁以下", 35, NAN, 35, "year_of_age", "at_most", "岁", ""),
    ("45周岁", 45, NAN, NAN, "year_of_age", "exact", "周岁", ""),
    ("半年", 0.5, NAN, NAN, "year", "exact", "年", ""),
    ("半天", 0.5, NAN, NAN, "day", "exact", "天", ""),
    ("半个月", 0.5, NAN, NAN, "month", "exact", "个月", ""),
    ("一年半", 1.5, NAN, NAN, "year", "exact", "年", ""),
    ("两个半小时", 2.5, NAN, NAN, "hour", "exact", "小时", ""),
    ("一百二十元五角", 120.5, NAN, NAN, "CNY", "exact", "元", ""),
    ("3元5角2分", 3.52, NAN, NAN, "CNY", "exact", "元", ""),
    ("3元5分", 3.05, NAN, NAN, "CNY", "exact", "元", ""),
    ("五角", 0.5, NAN, NAN, "CNY", "exact", "元", ""),
    ("负百分之五", -5, NAN, NAN, "percent", "exact", "百分之", ""),
    ("负3.5%", -3.5, NAN, NAN, "percent", "exact", "%", ""),
    ("三十点五万", 305_000, NAN, NAN, "number", "exact", "", ""),
    ("一点二亿元", 120_000_000, NAN, NAN, "CNY", "exact", "元", ""),
    # 亿 followed by smaller units: 万 left out unless 零 marks a skipped level
    ("三亿四千二百", 342_000_000, NAN, NAN, "number", "exact", "", ""),
    ("三亿四千二百万", 342_000_000, NAN, NAN, "number", "exact", "", ""),
    ("三亿零四千二百", 300_004_200, NAN, NAN, "number", "exact", "", ""),
    ("两亿三", 230_000_000, NAN, NAN, "number", "exact", "", ""),
    ("一万五", 15_000, NAN, NAN, "number", "exact", "", ""),
    ("一百零五", 105, NAN, NAN, "number", "exact", "", ""),
    # per-mille and per-ten-thousand stay shares
    ("千分之三", 0.003, NAN, NAN, "share", "exact", "千分之", ""),
    ("万分之五", 0.0005, NAN, NAN, "share", "exact", "万分之", ""),
    # two hedges, words between a qualifier and the number, 人平
    ("近500余人", 500, NAN, NAN, "person", "approx", "人", ""),
    ("约500多人", 500, NAN, NAN, "person", "approx", "人", ""),
    ("超过500余人", 500, 500, NAN, "person", "at_least", "人", ""),
    ("至少要达到20%", 20, 20, NAN, "percent", "at_least", "%", ""),
    ("人均将达到8元", 8, NAN, NAN, "CNY_per_capita", "exact", "元", ""),
    ("人平5元", 5, NAN, NAN, "CNY_per_capita", "exact", "元", ""),
    ("约为50人", 50, NAN, NAN, "person", "approx", "人", ""),
    ("比例应不低于30%", None, None, None, None, None, None, None),  # 比例 is not a word of the grammar
    # a noun after the classifier
    ("5个县（市、区）", 5, NAN, NAN, "count", "exact", "个", "县(市、区)"),
    ("三个学会", 3, NAN, NAN, "count", "exact", "个", "学会"),
    ("五大板块", 5, NAN, NAN, "count", "exact", "大", "板块"),
    ("三大服务平台", 3, NAN, NAN, "count", "exact", "大", "服务平台"),
    ("500多万元资金", 5_000_000, 5_000_000, NAN, "CNY", "at_least", "元", "资金"),
    ("2—3个学会", 2, 2, 3, "count", "range", "个", "学会"),
]


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "unit", "qualifier", "classifier", "noun"),
    [row for row in WORLD_FORMS if row[1] is not None],
)
def test_world_forms(
    text: str, value: float, low: float, high: float, unit: str, qualifier: str, classifier: str, noun: str
) -> None:
    q = parse_quantity(text)
    assert (q.unit, q.qualifier, q.classifier, q.noun) == (unit, qualifier, classifier, noun), q
    assert _same(q.value, value) and _same(q.low, low) and _same(q.high, high), q
    assert q.raw == text


WORLD_ERRORS = [
    ("比例应不低于30%", "unrecognised words before the number"),
    ("约50人以上", "conflicting qualifiers"),
    ("约两三万", "a range cannot carry the qualifier '约'"),
    ("十几个以上", "a range cannot carry the qualifier"),
    ("几", "'几' alone states no number"),
    ("数", "'数' alone states no number"),
    ("二〇二一", "is not a Chinese numeral"),
    ("一二三", "is not a Chinese numeral"),
    ("一万万", "万 twice"),
    ("一亿亿", "亿 twice"),
    ("百千", "out of order"),
    ("半个", "半 (half) goes with"),
    ("三个半", "半 (half) goes with"),
    ("半人", "半 (half) goes with a time unit"),
    ("一年半半", "unrecognised text"),
    ("5分", "unrecognised text"),  # 分 alone: a score or minutes as often as money
    ("负2—3个", "负 (negative) before a range"),
    ("人均3次", "人均 is only understood with 元"),
    ("3人以上的企业", "unrecognised text '以上的企业'"),
    ("9" * 400 + "人", "too large to be a finite value"),
    ("9" * 305 + "亿元", "too large to be a finite number"),
    ("一" * 4400, "is not well formed"),
    ("一" * 50_000 + "—二", "is not well formed"),
]


@pytest.mark.parametrize(("text", "reason"), WORLD_ERRORS, ids=[t[:12] for t, _ in WORLD_ERRORS])
def test_world_errors(text: str, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_quantity(text)
    message = str(info.value)
    assert reason in message
    assert "cannot parse quantity" in message and text[:20] in message  # names the text
    assert len(message) < 2000  # a long text is shown by its head


def test_long_filler_run_is_read() -> None:
    assert parse_quantity("有" * 200_000 + "1").value == 1.0


# --- property tests for the new numeral forms -------------------------------------------------------
_CN_UNITS = [
    ("", 1),
    ("十", 10),
    ("百", 100),
    ("千", 1000),
    ("万", 10**4),
    ("十万", 10**5),
    ("百万", 10**6),
    ("千万", 10**7),
    ("亿", 10**8),
]
_CN_DIGIT = "零一二三四五六七八九"


@settings(max_examples=300, deadline=None)
@given(
    d=st.integers(1, 8),
    head=st.integers(0, 99),
    unit=st.sampled_from(_CN_UNITS[1:]),
    cls=_CLASSIFIERS,
    liang=st.booleans(),
)
def test_approximate_pairs_round_trip(d: int, head: int, unit: tuple[str, int], cls: str, liang: bool) -> None:
    # 两三万, 七八十, 一两千: a pair of neighbouring digits at the place of a unit; 二十五六万: with a
    # head (二十) counting tens of that unit (万 or 亿).
    word, scale = unit
    if word not in ("万", "亿"):
        head = 0
    head_text = cn2an.an2cn(head * 10) if head else ""
    a, b = _CN_DIGIT[d], _CN_DIGIT[d + 1]
    if liang and d == 1:
        b = "两"  # 一两千
    text = f"{head_text}{a}{b}{word}{cls}"
    base = head * 10
    q = parse_quantity(text)
    assert q.qualifier == "range"
    assert (q.low, q.high) == ((base + d) * scale, (base + d + 1) * scale), text
    assert q.value == q.low
    assert q.unit == (CLASSIFIER_UNITS[cls] if cls else "number")


@settings(max_examples=200, deadline=None)
@given(tens=st.integers(1, 9), unit=st.sampled_from([("", 1), ("万", 10**4), ("亿", 10**8)]), cls=_CLASSIFIERS)
def test_ji_after_a_unit_round_trip(tens: int, unit: tuple[str, int], cls: str) -> None:
    # 二十几万 = 210,000-290,000: 几 is the digit 1-9 after 十.
    word, scale = unit
    text = f"{_CN_DIGIT[tens] if tens > 1 else ''}十几{word}{cls}"
    q = parse_quantity(text)
    assert (q.qualifier, q.low, q.high) == ("range", (tens * 10 + 1) * scale, (tens * 10 + 9) * scale), text


@settings(max_examples=200, deadline=None)
@given(lead=st.sampled_from(["几", "数", "上"]), unit=st.sampled_from(_CN_UNITS[1:]), cls=_CLASSIFIERS)
def test_loose_lower_bounds_round_trip(lead: str, unit: tuple[str, int], cls: str) -> None:
    word, scale = unit
    q = parse_quantity(f"{lead}{word}{cls}")
    assert (q.qualifier, q.value, q.low) == ("at_least", scale, scale)
    assert math.isnan(q.high)


@settings(max_examples=300, deadline=None)
@given(
    whole=st.integers(1, 9999),
    fraction=st.text(alphabet="0123456789", min_size=1, max_size=4),
    mult=st.sampled_from([("", 1), ("万", 10**4), ("亿", 10**8), ("万亿", 10**12)]),
)
def test_chinese_decimals_with_a_multiplier_round_trip(whole: int, fraction: str, mult: tuple[str, int]) -> None:
    # 三十点五万 = 305,000
    word, scale = mult
    text = f"{cn2an.an2cn(whole)}点{''.join(_CN_DIGIT[int(c)] for c in fraction)}{word}"
    assert parse_quantity(text).value == float(Decimal(f"{whole}.{fraction}") * scale), text


@settings(max_examples=300, deadline=None)
@given(high=st.integers(1, 9999), digit=st.integers(1, 9), unit=st.sampled_from(["万", "亿"]))
def test_trailing_digit_is_one_level_lower(high: int, digit: int, unit: str) -> None:
    # 一万五 = 15,000; 两亿三 = 230,000,000. A last digit right after 万/亿 is one level lower.
    scale = 10**4 if unit == "万" else 10**8
    text = f"{cn2an.an2cn(high)}{unit}{_CN_DIGIT[digit]}"
    if unit == "万" and high >= 10**4:
        return
    assert parse_quantity(text).value == high * scale + digit * scale // 10, text


@settings(max_examples=200, deadline=None)
@given(yi=st.integers(1, 99), rest=st.integers(1, 9999))
def test_group_after_yi_without_wan_counts_in_wan(yi: int, rest: int) -> None:
    group = cn2an.an2cn(rest)
    if not any(u in group for u in "十百千"):
        return  # a bare digit after 亿 is the trailing-digit rule
    if group.startswith("一十"):
        group = group[1:]
    assert parse_quantity(f"{cn2an.an2cn(yi)}亿{group}").value == yi * 10**8 + rest * 10**4
    assert parse_quantity(f"{cn2an.an2cn(yi)}亿零{group}").value == yi * 10**8 + rest


@settings(max_examples=200, deadline=None)
@given(yuan=st.integers(0, 10**6), jiao=st.integers(1, 9), fen=st.integers(0, 9), chinese=st.booleans())
def test_money_with_jiao_and_fen_round_trip(yuan: int, jiao: int, fen: int, chinese: bool) -> None:
    spell = cn2an.an2cn if chinese else str
    text = f"{spell(yuan)}元{spell(jiao)}角" + (f"{spell(fen)}分" if fen else "")
    q = parse_quantity(text)
    assert (q.unit, q.classifier) == ("CNY", "元")
    assert q.value == float(Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100), text


# --- traditional <-> simplified ---------------------------------------------------------------------
@functools.cache
def _s2t() -> object:
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)  # type: ignore[attr-defined]


_SIMPLIFIED_TEXTS = st.builds(
    lambda word_side, numeral, cls, noun: (
        f"{word_side[0]}{numeral}{cls}{noun if cls and noun else ''}"
        if word_side[1] == "prefix"
        else f"{numeral}{cls}{word_side[0]}"
    ),
    _QUALIFIED.map(lambda t: (t[0], t[2])),
    st.one_of(
        st.integers(0, 10**9).map(cn2an.an2cn),
        st.integers(0, 10**6).map(str),
        st.sampled_from(["两三万", "十几", "几百", "数十", "上千", "二十五六万", "三十点五万", "一万五", "一两千"]),
    ),
    _CLASSIFIERS,
    st.sampled_from(["", "学会", "县（市、区）", "项目", "个体户"]),
)


@settings(max_examples=300, deadline=None)
@given(text=_SIMPLIFIED_TEXTS)
def test_traditional_reads_as_simplified(text: str) -> None:
    traditional = to_traditional(text)
    try:
        expected = parse_quantity(text)
    except ParseError:
        with pytest.raises(ParseError):
            parse_quantity(traditional)
        return
    got = parse_quantity(traditional)
    assert got.raw == traditional
    assert dataclasses.replace(got, raw=text) == expected, (text, traditional)


def test_the_vocabulary_is_unchanged_by_opencc() -> None:
    # Texts made only of the vocabulary skip OpenCC: that is sound only if t2s leaves them alone.
    import opencc

    t2s = opencc.OpenCC("t2s")
    vocabulary = "".join(sorted(quantities._VOCABULARY))
    assert t2s.convert(vocabulary) == vocabulary
    words = [*CLASSIFIER_UNITS, *PREFIX_QUALIFIERS, *SUFFIX_QUALIFIERS, *FILLER_WORDS, *quantities.BRIDGE_WORDS]
    assert [t2s.convert(w) for w in words] == words


# --- fuzz: only ParseError, finite values ----------------------------------------------------------
_GRAMMAR_ALPHABET = (
    "0123456789０１２３,.%％ 　\n零〇一二两三四五六七八九十百千万亿几数上点分之多余半负角元个人名次家项年岁以上下左右内近约超过不足"
    "—-~至到()（）人均达有将要个月小时萬個餘兩幾數點壹贰拾佰仟整学会县区成"
)


@settings(max_examples=1500, deadline=None)
@given(text=st.one_of(st.text(alphabet=_GRAMMAR_ALPHABET, max_size=40), st.text(max_size=30)))
def test_fuzz_parse_quantity_raises_only_parse_error(text: str) -> None:
    try:
        q = parse_quantity(text)
    except ParseError as exc:
        assert "cannot parse quantity" in str(exc)
        return
    assert math.isfinite(q.value)
    assert all(math.isnan(x) or math.isfinite(x) for x in (q.low, q.high))
    assert q.unit in PARSER_UNITS and q.qualifier in quantities.QUALIFIERS
    if q.qualifier == "range":
        assert q.low <= q.high and q.value == q.low
    # The vectorised path reads every text exactly as the per-text path does.


@settings(max_examples=30, deadline=None)
@given(texts=st.lists(st.text(alphabet=_GRAMMAR_ALPHABET, max_size=16), min_size=70, max_size=120))
def test_fuzz_parse_quantities_equals_row_by_row(texts: list[str]) -> None:
    series = pd.Series(texts, dtype="str")
    fast = parse_quantities(series, errors="coerce")
    for i, text in enumerate(texts):
        try:
            q = parse_quantity(text)
        except ParseError as exc:
            assert fast.loc[i, "error"] == str(exc)
            continue
        row = fast.loc[i]
        assert pd.isna(row["error"])
        got = Quantity(
            row["value"],
            row["low"],
            row["high"],
            row["unit"],
            row["qualifier"],
            row["raw"],
            row["classifier"],
            row["noun"],
        )
        assert got == q, text


_FAST_FORMS = st.builds(
    lambda pre, pc, digits, m1, mult, m2, cls, suf: f"{pre}{pc}{digits}{m1}{mult}{m2}{cls}{suf}",
    st.sampled_from(["", *PREFIX_QUALIFIERS]),
    st.sampled_from(["", "", "人均", "人平"]),
    st.one_of(
        st.integers(0, 10**15).map(str),
        st.decimals(0, 10**9, places=3).map(lambda d: f"{d:,}"),
        st.decimals(0, 10**6, places=6).map(str),
        st.integers(0, 10**20).map(str),
    ),
    st.sampled_from(["", "多", "余"]),
    st.sampled_from(["", *quantities._MULTIPLIERS]),
    st.sampled_from(["", "", "", "多", "余"]),
    _CLASSIFIERS,
    st.sampled_from(["", *SUFFIX_QUALIFIERS]),
)


def _assert_column_equals_row_by_row(texts: list[str]) -> None:
    """parse_quantities reads every text of a column as parse_quantity reads it alone."""
    series = pd.Series(texts, dtype="str")
    fast = parse_quantities(series, errors="coerce")
    for i, text in enumerate(texts):
        try:
            q = parse_quantity(text)
        except ParseError as exc:
            assert fast.loc[i, "error"] == str(exc), text
            continue
        row = fast.loc[i]
        got = Quantity(
            row["value"],
            row["low"],
            row["high"],
            row["unit"],
            row["qualifier"],
            row["raw"],
            row["classifier"],
            row["noun"],
        )
        assert got == q, text


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(_FAST_FORMS, min_size=70, max_size=200))
def test_fast_path_equals_row_by_row(texts: list[str]) -> None:
    # >= 64 distinct texts take the Arrow path; every one must read as parse_quantity reads it.
    _assert_column_equals_row_by_row(texts)


# --- find_quantities ---------------------------------------------------------------------------------
def test_find_quantities_spans_and_values() -> None:
    text = "全市共有3个学会，近500余人参加；人均将达到5.5元，至少要达到20%。統一"
    mentions = find_quantities(text)
    assert [m.text for m in mentions] == ["3个", "近500余人", "5.5元", "20%"]
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.error is None and m.quantity is not None
    three, near, money, share = mentions
    assert (three.quantity.value, three.quantity.unit, three.lead_start) == (3, "count", text.index("共有"))
    assert (near.quantity.qualifier, near.number_start) == ("approx", text.index("500"))
    assert money.quantity.unit == "CNY_per_capita" and money.lead_start == text.index("人均")
    assert share.quantity.qualifier == "at_least" and share.quantity.value == 20


def test_find_quantities_reads_traditional_text_and_line_breaks() -> None:
    text = "梧州市科协51\n\n萬元、兩三萬人，超過50家"
    mentions = find_quantities(text)
    assert [m.text for m in mentions] == ["51萬元", "兩三萬人", "超過50家"]
    assert text[mentions[0].start : mentions[0].end] == "51\n\n萬元"
    assert [m.quantity.value for m in mentions] == [510_000, 20_000, 50]
    assert mentions[2].quantity.qualifier == "at_least"


def test_find_quantities_skips_numerals_inside_words_and_keeps_errors() -> None:
    text = "统一思想，万一不行，千方百计，一些人，几个单位"
    mentions = find_quantities(text)
    assert [m.text for m in mentions] == ["几个"]  # kept, with its error, for a reviewer to see
    assert mentions[0].quantity is None and "几" in str(mentions[0].error)


def test_find_quantities_finds_every_coded_raw_text() -> None:
    # Every raw_text of the five coded sheets is a mention of its document, offsets exact.
    import yaml

    from kexie_research import config

    raw = config.raw_dir()
    manifest = yaml.safe_load((raw / "sources.yaml").read_text(encoding="utf-8"))
    missing = []
    for source in manifest["sources"]:
        document = (raw / "documents" / source["file"]).read_text(encoding="utf-8")
        mentions = find_quantities(document)
        for m in mentions:
            assert document[m.start : m.end].replace("\n", "") == m.text
        texts = {m.text for m in mentions}
        sheet = pd.read_csv(raw / "indicators" / f"{source['source_id']}.csv", dtype=str, keep_default_na=False)
        missing += [(source["source_id"], t) for t in sheet["raw_text"] if t not in texts]
    assert missing == []


def test_find_quantities_rejects_non_str() -> None:
    with pytest.raises(ParseError, match="expected a str"):
        find_quantities(b"3")  # type: ignore[arg-type]


_FAST_RANGES = st.builds(
    lambda a, am, ac, sep, b, bm, bc: f"{a}{am}{ac}{sep}{b}{bm}{bc}",
    st.one_of(st.integers(0, 10**6).map(str), st.decimals(0, 10**4, places=2).map(lambda d: f"{d:,}")),
    st.sampled_from(["", "", "万", "亿"]),
    st.sampled_from(["", "", "个", "人", "年"]),
    st.sampled_from(["—", "——", "-", "~", "～", "至", "到", "－"]),
    st.one_of(st.integers(0, 10**6).map(str), st.decimals(0, 10**4, places=2).map(lambda d: f"{d:,}")),
    st.sampled_from(["", "", "万", "亿", "千万"]),
    _CLASSIFIERS,
)


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(_FAST_RANGES, min_size=70, max_size=200))
def test_fast_path_ranges_equal_row_by_row(texts: list[str]) -> None:
    _assert_column_equals_row_by_row(texts)
