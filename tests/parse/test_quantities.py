"""Tests of kexie_research.parse.quantities: every written form, every error, round trips, the fast path."""

from __future__ import annotations

import dataclasses
import doctest
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


def test_unit_vocabulary_is_the_codebook_plus_count() -> None:
    assert set(PARSER_UNITS) == set(CODEBOOK_UNITS) | {"count"}
    assert set(CLASSIFIER_UNITS.values()) <= set(PARSER_UNITS)


def test_codebook_units_match_the_codebook_file() -> None:
    import yaml

    from kexie_research import config

    codebook = yaml.safe_load((config.raw_dir() / "codebook.yaml").read_text(encoding="utf-8"))
    assert set(codebook["units"]) == set(CODEBOOK_UNITS)


def test_docstring_examples() -> None:
    result = doctest.testmod(quantities, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 4 and result.failed == 0


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
