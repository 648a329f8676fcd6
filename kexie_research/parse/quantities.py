"""Parse quantities written the Chinese way (``近20,000人``, ``1650余万次``, ``两三万元``, ``12個``).

A coding sheet copies every number exactly as the source writes it (``raw_text``). This module
turns that text into a value, its bounds, a unit and a qualifier, so that figures from different
documents can be compared. It reads one text at a time (:func:`parse_quantity`), a whole column
at once (:func:`parse_quantities`, the fast path for large sheets), or finds the number mentions
of running text (:func:`find_quantities`).

Normalisation
-------------
Unicode NFKC (full-width digits, ``％``, ``，``, ``．``, ``（）`` and full-width spaces become their
ASCII forms), the dash variants ``―`` ``–`` ``‐`` ``−`` ``〜`` unified, every space, line break and
quotation mark dropped (``约 200 人`` reads as ``约200人``: approx), a parenthesised pinyin gloss
dropped (``數(shù)十萬`` reads as ``數十萬``: at least 100,000; ``raw`` keeps the gloss); then traditional characters are converted to simplified ones with OpenCC
(``t2s``). The conversion runs only on texts holding a character outside the parser's own
(simplified) vocabulary, once per distinct text (cached); ``raw`` always keeps the text as given.
Financial numerals (壹 贰 叁 … 拾 佰 仟) read as their everyday forms.

Grammar
-------
A text is read as ``[prefix words] core [suffix words]``. Prefix and suffix words (qualifiers,
filler words, ``人均``/``人平``, ``负``) are taken off one at a time, longest first, in time linear in
the text. The core is one of::

    number [多|余] [multiplier] [多|余] [个半|半] [classifier [半] [(classifier)]] [noun]
    number [multiplier] [classifier] SEP number [multiplier] [classifier [(classifier)]] [noun]
    number 分之 number                                  (X分之Y = Y/X; 百分之Y = Y percent)
    number 元 digit 角 [digit 分] | number 元 digit 分 | digit 角 [digit 分]   (money)
    半 [个] time-classifier                             (半年, 半天, 半个月)
    SEP = — —— - ~ 至 到

``number`` is Arabic digits (``20,000``, ``3.5``; a group after a comma has exactly three digits) or a Chinese numeral, read by this module's own
linear-time reader (not ``cn2an``; see the readings below). A ``noun`` (``三个学会``,
``5个县（市、区）``, ``五大板块``) may follow a classifier: the number and classifier are read and
the noun is kept on :attr:`Quantity.noun`; a noun may not begin with a qualifier or marker
(``3人以上的企业`` raises rather than lose its ``以上``).

Readings of the written forms
-----------------------------
===================================== ================================================= ==========
written                               reading                                           qualifier
===================================== ================================================= ==========
``12個``, ``3萬元``, ``超過50家``     as their simplified forms (OpenCC t2s)            as read
``三十点五万``                        30.5 × 10⁴ = 305,000                              exact
``一万五``, ``三千二``,               a last digit after a unit is one level lower:     exact
``两亿三``                            15,000, 3,200, 230,000,000
``一百零五``,                         零 marks a skipped level: 105, 300,004,200        exact
``三亿零四千二百``
``三亿四千二百``                      342,000,000 (see below)                           exact
``两三万``, ``一两千``, ``七八十``,   two neighbouring digits (or 三五) give both ends: range
``二十五六万``, ``三五个``            20,000–30,000, 1,000–2,000, 70–80,
                                      250,000–260,000, 3–5; value = low
``十几个``, ``二十几万``,             几 after a unit is a digit 1–9: 11–19,            range
``三百几十``                          210,000–290,000, 310–390
``几十``, ``几百人``, ``数百家``,     几/数 before a unit: at least one of that unit    at_least
``数十万``                            (10, 100, 100, 100,000), a safe lower bound
                                      (几 and 数 are loose at the top)
``上千``, ``上万``, ``上百万``        reaching that unit: at least 1,000 …              at_least
``成百上千``, ``成千上万``            at least 100, at least 1,000                      at_least
``480多次``, ``1650余万次``,          the number is a lower bound                       at_least
``百余人``
``近500余人``, ``约500多人``          two hedges: about 500 (the -odd 多/余 and the     approx
                                      loose bounds 几/数/上 are absorbed by 近/约/左右)
``约50人以上``, ``不足50人以上``      an explicit bound with another qualifier          ParseError
``至少要达到20%``,                    words between a qualifier (or 人均) and the       at_least,
``人均将达到8元``                     number (要 将 会 能 可 需 应 须 为 保持在 …)      exact
                                      are ignored
``人平5元``                           as 人均5元: CNY_per_capita                        exact
``半年``, ``半天``, ``半个月``        0.5 of the time unit                              exact
``一年半``, ``两个半小时``            1.5 year, 2.5 hour                                exact
``35岁``, ``35周岁``, ``35岁以下``    unit year_of_age; 35岁以下 = at most 35           exact,
                                                                                        at_most
``一百二十元五角``,                   120.5 CNY, 3.52 CNY, 0.5 CNY                      exact
``3元5角2分``, ``五角``
``负百分之五``, ``负3.5%``, ``负2人`` -5 percent, -3.5 percent, -2 person               exact
``千分之三``, ``万分之五``            share 0.003, share 0.0005 (shares are 0-1)        exact
``百分之五``                          5 percent (percent is 0-100, as written)          exact
``10万人次``                          unit person_time (attendances, not persons)       exact
===================================== ================================================= ==========

``三亿四千二百`` has two readings. The numeral grammar alone gives 300,004,200; but a number with a
skipped level is written with 零 (三亿零四千二百), and in money texts the 万 after a group that
follows 亿 is routinely left out, exactly as the last unit in 一万五 (15,000) is. The module reads a
group after 亿 that holds 十/百/千 but neither 万 nor a leading 零 in 万: 三亿四千二百 = 342,000,000,
the reading of 三亿四千二百万. Write 三亿零四千二百 for 300,004,200.

A text of bare Chinese digits (``二〇二一``, ``一二三``) is not a quantity and raises, except a pair
of neighbouring digits (``一二``, ``两三``: a range). A numeral that is not well formed (``十十``,
``一一``) raises. The value must be finite: ``"9" * 400 + "人"`` raises.

Qualifiers
----------
========= ===================================================================== ==================
qualifier written as                                                            value / low / high
========= ===================================================================== ==================
exact     (no qualifier word)                                                   n / NaN / NaN
approx    近 约 约为 大约 大概 将近 接近 (before); 左右 上下 (after)            n / NaN / NaN
at_least  多 余 (after the number, before or after 万/亿); 几百 数百 上千;      n / n / NaN
          超过 超 高于 多于 不少于 不低于 至少 逾 (before); 以上 及以上 (after)
at_most   不足 不超过 没有超过 未超过 不到 少于 低于 至多 最多 不高于 (before); n / NaN / n
          以下 及以下 以内 (after)
range     2—3个, 2–3, 2-3, 2至3, 2到3, 2~3, 2～3, 两三万, 十几个                low / low / high
========= ===================================================================== ==================

The qualifier does not distinguish "more than" (超过) from "at least" (不少于): both give a lower
bound ``low = n``. A qualifier on a range (``约2—3个``) raises :class:`~kexie_research.errors.ParseError`
rather than guess. In a range, a multiplier written once after the upper end applies to both ends
(``2—3万元`` = 20,000–30,000 CNY).

Filler words
------------
Words that carry no meaning for the value are ignored: :data:`FILLER_WORDS` before or after the
number, :data:`BRIDGE_WORDS` (modal verbs and copulas such as 要 将 为) before it only; any other
text raises.

Units
-----
The unit is taken from the classifier (量词) after the number; :data:`CLASSIFIER_UNITS` is the
whole table. The codebook's units are :data:`CODEBOOK_UNITS`, ``pair`` among them (对, 双, 副: 3000对新人
counts couples, not persons); the parser adds one of its own, ``count`` (the generic classifier 个,
which the codebook refines into organisation, place, item … per indicator). The classifier as written (simplified) is kept on :attr:`Quantity.classifier`,
so that nothing is lost when several classifiers share a unit.

======================================================= ==============================================
classifier                                              unit
======================================================= ==============================================
元 (万元, 亿元 through the multiplier; 角 分)           CNY
人均/人平 … 元 (before the number)                      CNY_per_capita
人 名 位                                                person
人次                                                    person_time
家 所 支                                                organisation
个                                                      count (parser-only)
大 (三大, 四大: "the N major …"; not 突破1亿大关)       count
次 场 场次 起 届 轮 回 遍 趟 堂 例 批次                 event
份 条 张 面 幅 篇 部 项 期 件 处 本 种 座 台 辆 株      item (the general count of things)
棵 批 门 栋 幢 套 册 卷 集 款 类 笔 只 头 匹 艘 架
枚 颗 块 间 层 节
户                                                      household
对 双 副 (對 雙: ``3000餘對`` = at least 3000 pairs)      pair (parser-only: couples, not persons)
分钟 / 小时 个小时 / 天 日 / 周 星期 个星期 / 个月 / 年 minute / hour / day / week / month / year
岁 周岁                                                 year_of_age
平方米 平米 ㎡ / 平方公里 ㎢ / 公顷 / 亩                square_metre / square_kilometre / hectare / mu
米 / 公里                                               metre / kilometre
公斤 / 吨                                               kilogram / tonne
% ％ (and 百分之Y)                                      percent (0-100, kept as written)
个百分点 百分点 (percentage points: 提高4.52个百分点)    percent (the vocabulary has no unit for points)
X分之Y (X ≠ 百)                                         share (0-1)
(no classifier)                                         number
======================================================= ==============================================

A bracketed alternative classifier, as in ``265面（幅）`` or ``500多条（张）``, is accepted when it
maps to the same unit. ``人均`` is only understood with 元.

Examples
--------
>>> parse_quantity("1650余万次")
Quantity(value=16500000.0, low=16500000.0, high=nan, unit='event', qualifier='at_least', raw='1650余万次', classifier='次', noun='')
>>> parse_quantity("两三万元").high
30000.0
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import ModuleType
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from kexie_research.errors import ParseError
from kexie_research.parse.normal_form import nfkc
from kexie_research.parse.numerals import (
    ARABIC,
    ARABIC_BOUNDED,
    BIG_UNITS,
    CHINESE,
    CN_CHARS,
    DASH_TRANSLATE,
    DIGITS,
    FINANCIAL,
    IDIOMS,
    MULTIPLIERS,
    NUMBER,
    PAIRS,
    SEPARATOR,
    SMALL_UNITS,
    ARABIC_IN_TEXT,
    PINYIN_GLOSS,
    SPACE,
    NumeralError,
    alternation,
    converter,
    read_chinese_integer,
    strip_pinyin,
    variants,
)
from kexie_research.parse.scanning import scan

__all__ = [
    "BRIDGE_WORDS",
    "CLASSIFIER_UNITS",
    "CODEBOOK_UNITS",
    "FILLER_WORDS",
    "PARSER_UNITS",
    "PREFIX_QUALIFIERS",
    "QUALIFIERS",
    "SUFFIX_QUALIFIERS",
    "Quantity",
    "QuantityMention",
    "find_quantities",
    "iter_quantities",
    "parse_quantities",
    "parse_quantity",
    "to_simplified",
]

#: The qualifiers a :class:`Quantity` can carry.
QUALIFIERS: tuple[str, ...] = ("exact", "approx", "at_least", "at_most", "range")

#: Units of ``data/raw/codebook.yaml``.
CODEBOOK_UNITS: tuple[str, ...] = (
    "CNY",
    "CNY_per_capita",
    "person",
    "person_time",
    "organisation",
    "place",
    "event",
    "item",
    "household",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "year",
    "year_of_age",
    "square_metre",
    "square_kilometre",
    "hectare",
    "mu",
    "metre",
    "kilometre",
    "kilogram",
    "tonne",
    "percent",
    "share",
    "number",
    "pair",
)
#: Every unit the parser can return: the codebook's plus the generic ``count`` (个).
PARSER_UNITS: tuple[str, ...] = CODEBOOK_UNITS + ("count",)

#: Time units that 半 (half) may go with.
_TIME_UNITS = frozenset({"minute", "hour", "day", "week", "month", "year"})

#: Classifier (simplified, after NFKC normalisation) -> unit. Multi-character classifiers win over
#: their one-character prefixes (场次 before 场, 人次 before 人, 个月 before 个).
CLASSIFIER_UNITS: dict[str, str] = {
    "元": "CNY",
    "人": "person",
    "名": "person",
    "位": "person",
    # 人次 counts attendances (person-times): one person at three events is 3 人次.
    "人次": "person_time",
    "家": "organisation",
    "所": "organisation",
    "支": "organisation",  # 10支志愿服务队: teams
    "个": "count",
    # 三大服务平台, 四大片区: "N major …" enumerates N kinds or parts of something, a generic count.
    "大": "count",
    **dict.fromkeys(("次", "场", "场次", "起", "届", "轮", "回", "遍", "趟", "堂", "例", "批次"), "event"),
    **dict.fromkeys("份条张面幅篇部项期件处本种座台辆株棵批门栋幢套册卷集款类笔只头匹艘架枚颗块间层节", "item"),
    "户": "household",
    # 对 (pairs: couples, partners), 双 (a pair of shoes, gloves), 副 (a pair of glasses, couplets).
    **dict.fromkeys(("对", "双", "副"), "pair"),
    "分钟": "minute",
    "小时": "hour",
    "个小时": "hour",
    "天": "day",
    "日": "day",
    "周": "week",
    "个星期": "week",
    "星期": "week",
    "个月": "month",
    "年": "year",
    "岁": "year_of_age",
    "周岁": "year_of_age",
    "平方米": "square_metre",
    "平米": "square_metre",
    "m2": "square_metre",  # NFKC form of ㎡
    # 千米 / 千克 / 平方千米 are left out: 一千米 is read 1000 米 (1000 metre), the same length.
    "平方公里": "square_kilometre",
    "km2": "square_kilometre",  # NFKC form of ㎢
    "公顷": "hectare",
    "亩": "mu",
    "米": "metre",
    "公里": "kilometre",
    "公斤": "kilogram",
    "吨": "tonne",
    "%": "percent",  # NFKC form of ％
    # 提高4.52个百分点: percentage points; the vocabulary has no unit for points, and a difference of
    # two percentages is read on the percent scale (0-100).
    "个百分点": "percent",
    "百分点": "percent",
}

#: Qualifier words written before the number.
PREFIX_QUALIFIERS: dict[str, str] = {
    "近": "approx",
    "约": "approx",
    "约为": "approx",
    "大约": "approx",
    "大概": "approx",
    "将近": "approx",
    "接近": "approx",
    "超过": "at_least",
    "超": "at_least",
    "高于": "at_least",
    "多于": "at_least",
    "不少于": "at_least",
    "不低于": "at_least",
    "至少": "at_least",
    "逾": "at_least",
    "不足": "at_most",
    "不超过": "at_most",
    "没有超过": "at_most",
    "未超过": "at_most",
    "不到": "at_most",
    "少于": "at_most",
    "低于": "at_most",
    "至多": "at_most",
    "最多": "at_most",
    "不高于": "at_most",
}
#: Qualifier words written after the number (and its classifier).
SUFFIX_QUALIFIERS: dict[str, str] = {
    "左右": "approx",
    "上下": "approx",
    "以上": "at_least",
    "及以上": "at_least",
    "以下": "at_most",
    "及以下": "at_most",
    "以内": "at_most",
}
#: Words around a number that do not change its value; ignored before or after it.
FILLER_WORDS: tuple[str, ...] = (
    "只有",
    "仅有",
    "仅",
    "已有",
    "已达",
    "已",
    "共有",
    "共计",
    "共",
    "累计",
    "合计",
    "总计",
    "达到了",
    "达到",
    "达",
    "有",
)
#: Modal verbs and copulas between a qualifier (or 人均) and the number: 至少要达到20%,
#: 人均将达到8元. Ignored before the number only.
BRIDGE_WORDS: tuple[str, ...] = (
    "要",
    "将",
    "将会",
    "会",
    "能",
    "可",
    "可以",
    "需",
    "需要",
    "应",
    "应当",
    "应该",
    "须",
    "必须",
    "为",
    "是",
    "保持在",
    "控制在",
    "提高到",
    "提高至",
    "增加到",
    "增至",
)
_PER_CAPITA_WORDS = ("人均", "人平")
_NEGATIVE = "负"
# Words after 元 in money texts (壹万元整): no meaning for the value.
_SUFFIX_FILLERS = (*FILLER_WORDS, "整")

_EXPECTED = (
    "expected [qualifier] number [多|余] [万|亿] [classifier] [以上|以下|左右], a range (2—3个, 两三万) "
    "or a fraction (三分之一), e.g. '近20,000人', '1650余万次', '四分之三以上', '人均5.5元'"
)

# --- Chinese numerals (the shared lexer: kexie_research.parse.numerals) -----------------------
_DIGITS = DIGITS
_SMALL_UNITS = SMALL_UNITS
_BIG_UNITS = BIG_UNITS
_FINANCIAL = FINANCIAL
_PAIRS = PAIRS
_IDIOMS = IDIOMS

# --- regular expressions (compiled once; the fast path parses hundreds of thousands of texts) ---
_AR = ARABIC
_CN_CHARS = CN_CHARS
_CN = CHINESE
_NUM = NUMBER
_MULTIPLIERS = MULTIPLIERS
_alternation = alternation


_MULT = _alternation(_MULTIPLIERS)
_CLS = _alternation(CLASSIFIER_UNITS)
_SEP = SEPARATOR
# A noun after a classifier: Chinese characters (not a digit, marker or qualifier at its start),
# optionally with bracketed alternatives such as 县（市、区）.
_NOUN = (
    rf"(?![{_CN_CHARS}多余半点分])(?:(?!以上|以下|以内|左右|上下)[\u4e00-\u9fff])+"
    r"(?:\([\u4e00-\u9fff、,]+\))*"
)

_SINGLE_RE = re.compile(
    rf"(?P<num>{_NUM})(?P<q1>[多余])?(?P<mult>{_MULT})?(?P<q2>[多余])?(?P<half1>个?半)?"
    rf"(?:(?P<cls>{_CLS})(?P<half2>半)?(?:\((?P<alt>{_CLS})\))?(?P<noun>{_NOUN})?)?"
)
_RANGE_RE = re.compile(
    rf"(?P<a>{_NUM})(?P<amult>{_MULT})?(?P<acls>{_CLS})?(?P<sep>{_SEP})"
    rf"(?P<b>{_NUM})(?P<bmult>{_MULT})?(?:(?P<bcls>{_CLS})(?:\((?P<alt>{_CLS})\))?(?P<noun>{_NOUN})?)?"
)
_FRACTION_RE = re.compile(rf"(?P<den>{_NUM})分之(?P<num>{_NUM})")
_DIGIT = "[零〇一二两三四五六七八九]|\\d"
_MONEY_RE = re.compile(rf"(?:(?P<yuan>{_NUM})元)?(?:(?P<jiao>{_DIGIT})角)?(?:(?P<fen>{_DIGIT})分)?(?P<noun>{_NOUN})?")
_HALF_RE = re.compile(rf"半(?P<cls>{_CLS})")
# Used only to explain a failure: the longest number-like head of the text.
_HEAD_RE = re.compile(rf"{_NUM}(?:[多余])?(?:{_MULT})?(?:[多余])?(?:{_CLS})?")

_TRANSLATE = DASH_TRANSLATE
_SPACE_RE = re.compile(r"\s+")
_Reading = TypeVar("_Reading")


def _word_re(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(_alternation(words))


_PREFIX_WORD_LIST = (*PREFIX_QUALIFIERS, *FILLER_WORDS, *BRIDGE_WORDS, *_PER_CAPITA_WORDS)
_PREFIX_RE = _word_re(_PREFIX_WORD_LIST)
_SUFFIX_WORD_LIST = (*SUFFIX_QUALIFIERS, *_SUFFIX_FILLERS)
# Suffix words are matched on the reversed text, so that each step is an anchored match.
_SUFFIX_REVERSED_RE = _word_re(w[::-1] for w in _SUFFIX_WORD_LIST)


def _str_dtype() -> object:
    # pandas >= 2.3 (and the default of pandas 3): the NaN-missing "str" dtype; older: object.
    try:
        return pd.StringDtype(na_value=np.nan)
    except TypeError:  # pragma: no cover - pandas < 2.3
        return object


_STR = _str_dtype()


@dataclass(frozen=True, eq=False)
class Quantity:
    """A parsed quantity.

    Attributes
    ----------
    value : float
        The number the text states (for a range: its lower end); never NaN or infinite.
    low : float
        Lower bound: the number for ``at_least`` and ``range``, NaN otherwise.
    high : float
        Upper bound: the number for ``at_most``, the upper end for ``range``, NaN otherwise.
    unit : str
        One of :data:`PARSER_UNITS`.
    qualifier : str
        One of :data:`QUALIFIERS`.
    raw : str
        The text as given.
    classifier : str
        The classifier as written, in simplified characters (``"个"``, ``"人次"``, ``"元"``), or
        ``""`` for a bare number. A multiplier (万, 亿) is not part of it.
    noun : str
        The noun written after the classifier (``"学会"`` in ``三个学会``), or ``""``.

    Two quantities are equal when all fields are equal, NaN counting as equal to NaN.

    Examples
    --------
    >>> q = parse_quantity("三个学会")
    >>> (q.value, q.unit, q.classifier, q.noun)
    (3.0, 'count', '个', '学会')
    """

    value: float
    low: float
    high: float
    unit: str
    qualifier: str
    raw: str
    classifier: str = ""
    noun: str = ""

    def _key(self) -> tuple[object, ...]:
        return tuple(
            None if isinstance(x, float) and math.isnan(x) else x
            for x in (self.value, self.low, self.high, self.unit, self.qualifier, self.raw, self.classifier, self.noun)
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


# Internal: carries the reason; parse_quantity turns it into a ParseError quoting the text. The
# lexer's numeral reader raises the same class.
_Unparsable = NumeralError


# --- traditional -> simplified ----------------------------------------------------------------
_converter = converter


# Characters the grammar itself uses (all simplified); a text made only of these and of ASCII
# needs no conversion, which spares OpenCC on nearly every text of a coding sheet.
_VOCABULARY = frozenset(
    "".join(
        [
            _CN_CHARS, "点分之多余半负角成整个", "壹贰叁肆伍陆柒捌玖拾佰仟",
            *CLASSIFIER_UNITS, *_MULTIPLIERS, *PREFIX_QUALIFIERS, *SUFFIX_QUALIFIERS,
            *FILLER_WORDS, *BRIDGE_WORDS, *_PER_CAPITA_WORDS, "—~至到()、",
        ]
    )
)  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)
def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified ones with OpenCC (``t2s``), cached per text.

    Texts made only of ASCII and of the parser's own simplified vocabulary are returned as they
    are without calling OpenCC.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text in simplified characters.

    Examples
    --------
    >>> to_simplified("超過50家")
    '超过50家'
    """
    if text.isascii() or _VOCABULARY_OR_ASCII.issuperset(text):
        return text
    return _converter("t2s").convert(text)


_VOCABULARY_OR_ASCII = _VOCABULARY | frozenset(map(chr, range(128)))
# Each translation runs only on texts that hold one of its characters (most hold none).
_TRANSLATED_RE = re.compile("[" + re.escape("".join(chr(c) for c in _TRANSLATE)) + "]")
_FINANCIAL_RE = re.compile("[壹贰叁肆伍陆柒捌玖拾佰仟]")


def _normalise(text: str) -> str:
    text = nfkc(text)
    if _TRANSLATED_RE.search(text):
        text = text.translate(_TRANSLATE)
    if "(" in text:  # a pinyin gloss (數(shù)十萬) is kept in raw, ignored in the reading
        text = strip_pinyin(text)
    text = to_simplified(_SPACE_RE.sub("", text))
    return text.translate(_FINANCIAL) if _FINANCIAL_RE.search(text) else text


# --- numbers ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Num:
    """A number token read: low (the value), high (ranges only) and how it is bounded."""

    low: Decimal
    high: Decimal | None = None
    kind: str = "exact"  # exact | range | at_least


_read_chinese_integer = read_chinese_integer


def _read_chinese(token: str) -> _Num:
    if token in _IDIOMS:
        return _Num(Decimal(_IDIOMS[token]), kind="at_least")
    if token[0] == "上":  # 上千, 上百万: reaching that unit
        return _Num(_read_chinese_integer("一" + token[1:]), kind="at_least")
    if "点" in token:
        integer, _, rest = token.partition("点")
        fraction = rest.rstrip("万亿")
        multiplier = rest[len(fraction) :]
        if not integer or "几" in integer or "数" in integer:
            raise _Unparsable(f"{token!r} is not a Chinese numeral")
        value = _read_chinese_integer(integer) + Decimal("0." + "".join(str(_DIGITS[c]) for c in fraction))
        if multiplier:
            value *= _read_chinese_integer("一" + multiplier)
        return _Num(value)
    if token[0] in "几数":  # 几十, 数百, 几十万: at least one of that unit
        if len(token) == 1 or any(c in "几数" for c in token[1:]) or token[1] in _DIGITS:
            raise _Unparsable(f"{token!r} alone states no number")
        return _Num(_read_chinese_integer("一" + token[1:]), kind="at_least")
    if "数" in token:
        raise _Unparsable(f"{token!r} is not a Chinese numeral")
    if "几" in token:  # 十几, 二十几万, 三百几十: 几 after a unit is a digit 1-9
        if token.count("几") > 1 or token[token.index("几") - 1] not in "十百千万亿":
            raise _Unparsable(f"{token!r} is not a Chinese numeral")
        low, high = _read_chinese_integer(token.replace("几", "一")), _read_chinese_integer(token.replace("几", "九"))
        return _Num(low, high, "range")
    first_digit_pair = _pair_at(token)
    if first_digit_pair is not None:
        start, (a, b) = first_digit_pair
        low_text = token[:start] + a + token[start + 2 :]
        high_text = token[:start] + b + token[start + 2 :]
        if _pair_at(low_text) is not None:
            raise _Unparsable(f"{token!r} is not a Chinese numeral (two approximate pairs)")
        low, high = _read_chinese_integer(low_text), _read_chinese_integer(high_text)
        return _Num(low, high, "range")
    return _Num(_read_chinese_integer(token))


_PAIR_RE = re.compile(f"(?:{'|'.join(_PAIRS)})(?=[十百千万亿]*$)")


def _pair_at(token: str) -> tuple[int, tuple[str, str]] | None:
    """Position and ends of an approximate digit pair (两三, 五六) followed by units only."""
    m = _PAIR_RE.search(token)
    return None if m is None else (m.start(), _PAIRS[m.group()])


def _number(token: str) -> _Num:
    """Read one Arabic or Chinese number token exactly."""
    if token[0] in "0123456789":
        digits = token.replace(",", "")
        if len(digits.partition(".")[0]) > 308:
            raise _Unparsable(f"the number {token[:20]}… is too large to be a finite value")
        try:
            return _Num(Decimal(digits))
        except InvalidOperation:  # pragma: no cover - the regex admits only valid digits
            raise _Unparsable(f"{token!r} is not a number") from None
    if len(token) > 64:
        # No well-formed Chinese numeral is this long (the longest finite ones have ~40 characters).
        raise _Unparsable(f"the Chinese numeral {token[:20]}… ({len(token)} characters) is not well formed")
    return _read_chinese(token)


def _unit_of(cls: str | None, alt: str | None) -> str:
    if cls is None:
        return "number"
    unit = CLASSIFIER_UNITS[cls]
    if alt is not None and CLASSIFIER_UNITS[alt] != unit:
        raise _Unparsable(
            f"the bracketed alternative classifier {alt!r} ({CLASSIFIER_UNITS[alt]}) does not match {cls!r} ({unit})"
        )
    return unit


def _strip_words(core: str) -> tuple[str, list[tuple[str, str]], bool, bool]:
    """Take words off both ends in linear time; return core, qualifiers, per-capita, negative."""
    found: list[tuple[str, str]] = []
    per_capita = negative = False
    start, end = 0, len(core)
    while True:
        m = _PREFIX_RE.match(core, start, end)
        if m is None or m.end() >= end:
            break
        word = m.group()
        if word in PREFIX_QUALIFIERS:
            found.append((word, PREFIX_QUALIFIERS[word]))
        elif word in _PER_CAPITA_WORDS:
            per_capita = True
        start = m.end()
    if core.startswith(_NEGATIVE, start) and end - start > 1:
        negative, start = True, start + 1
    reversed_core = core[::-1]
    length = len(core)
    while True:
        m = _SUFFIX_REVERSED_RE.match(reversed_core, length - end, length - start)
        if m is None or m.end() >= length - start:
            break
        word = m.group()[::-1]
        if word in SUFFIX_QUALIFIERS:
            found.append((word, SUFFIX_QUALIFIERS[word]))
        end = length - m.end()
    return core[start:end], found, per_capita, negative


def _explain(core: str) -> str:
    head = _HEAD_RE.match(core)
    if head is None:
        if _HEAD_RE.search(core) is None:
            return f"no number found in {_shown(core)}"
        return f"unrecognised words before the number in {_shown(core)} (not a qualifier or filler word)"
    rest = core[head.end() :]
    return (
        f"unrecognised text {_shown(rest)} after {_shown(head.group(0))} "
        "(not a classifier of the unit table, a qualifier or a filler word)"
    )


# (value, low, high, unit, qualifier, classifier, noun)
_Parsed = tuple[float, float, float, str, str, str, str]


def _finite(x: Decimal) -> float:
    value = float(x)
    if not math.isfinite(value):
        raise _Unparsable("the value is too large to be a finite number")
    return value


def _parse(text: str) -> _Parsed:
    if not isinstance(text, str):
        raise _Unparsable(f"expected a str, got {type(text).__name__}")
    core = _normalise(text)
    if not core:
        raise _Unparsable("the text is empty")
    core, found, per_capita, negative = _strip_words(core)
    # Loose lower bounds (多, 余, 几百, 上千) that an approx word absorbs: 近500余人 = about 500.
    loose: list[tuple[str, str]] = []
    classifier = noun = ""
    number: Decimal
    high: Decimal | None = None

    if (m := _SINGLE_RE.fullmatch(core)) is not None:
        num = _number(m["num"])
        number, high = num.low, num.high
        if m["mult"]:
            factor = _MULTIPLIERS[m["mult"]]
            number *= factor
            high = None if high is None else high * factor
        if num.kind == "at_least":
            loose.append((m["num"], "at_least"))
        for marker in (m["q1"], m["q2"]):
            if marker:
                loose.append((marker, "at_least"))
        unit = _unit_of(m["cls"], m["alt"])
        classifier, noun = m["cls"] or "", m["noun"] or ""
        halves = (m["half1"] is not None) + (m["half2"] is not None)
        if halves:
            # 一年半 (半 after the classifier) and 两个半小时 (个半 before it): n + 0.5 of a time unit.
            if (
                halves > 1
                or unit not in _TIME_UNITS
                or num.kind != "exact"
                or (m["half1"] is not None and (m["half1"] != "个半" or classifier.startswith("个")))
            ):
                raise _Unparsable("半 (half) goes with one exact number of a time unit (一年半, 两个半小时)")
            number += Decimal("0.5")
        kind = "range" if num.kind == "range" else "single"
    elif (m := _FRACTION_RE.fullmatch(core)) is not None:
        den, num_ = _number(m["den"]), _number(m["num"])
        if den.kind != "exact" or num_.kind != "exact":
            raise _Unparsable("approximate numerals in a fraction")
        if den.low == 0:
            raise _Unparsable("a fraction with denominator 0")
        # 百分之Y is how percentages are spelled out; keep them as percent like 58%.
        if den.low == 100:
            number, unit, classifier = num_.low, "percent", "百分之"
        else:
            number, unit, classifier = num_.low / den.low, "share", f"{m['den']}分之"
        kind = "single"
    elif (m := _RANGE_RE.fullmatch(core)) is not None:
        if m["amult"] and not m["bmult"]:
            raise _Unparsable("a multiplier (万/亿) on the lower end of a range only")
        a, b = _number(m["a"]), _number(m["b"])
        if a.kind != "exact" or b.kind != "exact":
            raise _Unparsable("approximate numerals (两三, 几, 上千) at the ends of a range")
        # 2—3万元: a multiplier written once, after the upper end, applies to both ends.
        mult = _MULTIPLIERS[m["bmult"]] if m["bmult"] else Decimal(1)
        amult = _MULTIPLIERS[m["amult"]] if m["amult"] else mult
        number, high = a.low * amult, b.low * mult
        if m["acls"] is not None and m["bcls"] is None:
            raise _Unparsable("a classifier on the lower end of a range only")
        unit = _unit_of(m["bcls"], m["alt"])
        if m["acls"] is not None and CLASSIFIER_UNITS[m["acls"]] != unit:
            raise _Unparsable(f"the two ends of the range have different units ({m['acls']!r}, {m['bcls']!r})")
        if number > high:
            raise _Unparsable(f"the range's lower end {number} exceeds its upper end {high}")
        classifier, noun = m["bcls"] or "", m["noun"] or ""
        kind = "range"
    elif (m := _MONEY_RE.fullmatch(core)) is not None and (m["jiao"] or (m["fen"] and m["yuan"])):
        # 分 alone (5分) is a score or minutes as often as money: only after 元 or 角.
        yuan = _number(m["yuan"]) if m["yuan"] else _Num(Decimal(0))
        if yuan.kind != "exact":
            raise _Unparsable("an approximate numeral with 角/分")
        number = yuan.low
        for digit, scale in ((m["jiao"], Decimal("0.1")), (m["fen"], Decimal("0.01"))):
            if digit:
                number += (int(digit) if digit.isdigit() else _DIGITS[digit]) * scale
        unit, classifier, noun, kind = "CNY", "元", m["noun"] or "", "single"
    elif (m := _HALF_RE.fullmatch(core)) is not None:
        unit = CLASSIFIER_UNITS[m["cls"]]
        if unit not in _TIME_UNITS:
            raise _Unparsable(f"半 (half) goes with a time unit, not {m['cls']!r}")
        number, classifier, kind = Decimal("0.5"), m["cls"], "single"
    else:
        raise _Unparsable(_explain(core))

    qualifier = _qualifier(found, loose, kind)
    if per_capita:
        if unit != "CNY":
            raise _Unparsable(f"人均 is only understood with 元 (CNY_per_capita), not with unit {unit!r}")
        unit = "CNY_per_capita"
    if negative:
        if kind == "range":
            raise _Unparsable("负 (negative) before a range")
        number = -number

    nan = math.nan
    value = _finite(number)
    if qualifier == "range":
        assert high is not None  # a range always has its upper end
        return value, value, _finite(high), unit, qualifier, classifier, noun
    if qualifier == "at_least":
        return value, value, nan, unit, qualifier, classifier, noun
    if qualifier == "at_most":
        return value, nan, value, unit, qualifier, classifier, noun
    return value, nan, nan, unit, qualifier, classifier, noun


def _qualifier(found: list[tuple[str, str]], loose: list[tuple[str, str]], kind: str) -> str:
    """Combine the qualifier words and loose bounds of one text into one qualifier."""
    if kind == "range":
        if found or loose:
            words = "".join(w for w, _ in found + loose)
            raise _Unparsable(f"a range cannot carry the qualifier {words!r}")
        return "range"
    explicit = {q for _, q in found}
    if "approx" in explicit and explicit == {"approx"}:
        return "approx"  # 近500余人, 约几百人: the approx word absorbs the loose bound
    qualifiers = explicit | {q for _, q in loose}
    if len(qualifiers) > 1:
        words = ", ".join(f"{w} ({q})" for w, q in found + loose)
        raise _Unparsable(f"conflicting qualifiers: {words}")
    return qualifiers.pop() if qualifiers else "exact"


def parse_quantity(text: str) -> Quantity:
    """Parse one quantity as written in a Chinese document.

    Parameters
    ----------
    text : str
        The number exactly as written, e.g. ``"20.52万元"``, ``"近20,000人"``, ``"2—3个"``,
        ``"两三万"``, ``"12個"``.

    Returns
    -------
    Quantity
        See the module docstring for units, qualifiers, bounds and the readings of every form.

    Raises
    ------
    kexie_research.errors.ParseError
        The text is empty, not a str, not of the grammar of the module docstring, or its value is
        not finite; the message quotes the text, says why and what was expected. Time is linear
        in the length of the text.

    Examples
    --------
    >>> parse_quantity("20.52万元")
    Quantity(value=205200.0, low=nan, high=nan, unit='CNY', qualifier='exact', raw='20.52万元', classifier='元', noun='')
    >>> parse_quantity("70％以上").low
    70.0
    >>> parse_quantity("二十五六万人").high
    260000.0
    """
    parsed, why = _parse_once(text) if type(text) is str else _parse_outcome(text)
    if parsed is None:
        raise ParseError(f"cannot parse quantity {_shown(text)}: {why}; {_EXPECTED}") from None
    value, low, high, unit, qualifier, classifier, noun = parsed
    return Quantity(value, low, high, unit, qualifier, text, classifier, noun)


def _parse_outcome(text: object) -> tuple[_Parsed | None, str]:
    """The reading of ``text``, or ``None`` and why it has none."""
    try:
        return _parse(text), ""  # type: ignore[arg-type]
    except _Unparsable as exc:
        return None, str(exc)
    except (ValueError, ArithmeticError) as exc:  # the contract: a parser raises only ParseError
        return None, f"{type(exc).__name__}: {exc}"


# The same short texts (3个, 2020年, 10万元) recur across the documents of a corpus: each distinct
# text is read once per process (a pure function of the string; a fresh Quantity each call).
_parse_once = functools.lru_cache(maxsize=1 << 16)(_parse_outcome)


def _shown(text: object) -> str:
    """The text for a message: quoted in full, or its head and length when very long."""
    if isinstance(text, str) and len(text) > 80:
        return f"{text[:60]!r}… ({len(text)} characters)"
    return repr(text)


_COLUMNS = ["value", "low", "high", "unit", "qualifier", "raw", "classifier", "noun"]


def parse_quantities(series: pd.Series, errors: Literal["raise", "coerce"] = "raise") -> pd.DataFrame:
    """Parse a whole column of quantity texts, fast.

    Coded sheets repeat their forms (``1次``, ``2名`` …), so the column is factorised, each distinct
    text is parsed once, and the results are broadcast back to the rows with ``numpy.take``. National
    data repeat far less, so the distinct texts of the dominant forms (Arabic digits with a qualifier
    word, 多/余, 万/亿, a classifier; ranges such as ``2—3个``) are read all at once with Arrow (NFKC
    and one regular expression over the whole array; each distinct head and tail read once); every
    other text goes through the full grammar of :func:`parse_quantity`.

    Parameters
    ----------
    series : pandas.Series
        Texts as written (missing values allowed).
    errors : {"raise", "coerce"}
        ``"raise"`` (default) raises :class:`ParseError` at the first bad text, naming its row
        label; ``"coerce"`` sets value/low/high to NaN and unit/qualifier to missing on bad or
        missing rows and adds a column ``error`` with the message (missing where parsed).

    Returns
    -------
    pandas.DataFrame
        With the index of ``series`` and columns ``value, low, high`` (float64), ``unit,
        qualifier, raw, classifier, noun`` (str), plus ``error`` (str) in coerce mode. ``raw`` is
        the text as given. The result equals parsing row by row with :func:`parse_quantity`.

    Examples
    --------
    >>> parse_quantities(pd.Series(["1次", "近6万元", "1次"]))["value"].tolist()
    [1.0, 60000.0, 1.0]
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    where = f" of column {series.name!r}" if series.name is not None else ""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    n = len(uniques)
    # One slot per distinct text plus a last slot for missing values: factorize codes them -1,
    # and numpy's take reads index -1 as the last element.
    value = np.full(n + 1, np.nan)
    low = np.full(n + 1, np.nan)
    high = np.full(n + 1, np.nan)
    unit = np.full(n + 1, None, dtype=object)
    qualifier = np.full(n + 1, None, dtype=object)
    raw = np.full(n + 1, None, dtype=object)
    classifier = np.full(n + 1, None, dtype=object)
    noun = np.full(n + 1, None, dtype=object)
    error = np.full(n + 1, None, dtype=object)

    # The dominant forms (Arabic digits, a qualifier word, 多/余, 万/亿, a classifier) are read for
    # all distinct texts at once with Arrow; every other text goes through the full grammar.
    texts = np.asarray(uniques, dtype=object)
    fast = _parse_fast(texts)
    if fast is not None:
        done, (f_value, f_low, f_high, f_unit, f_qualifier, f_classifier) = fast
        value[done], low[done], high[done] = f_value, f_low, f_high
        unit[done], qualifier[done], classifier[done] = f_unit, f_qualifier, f_classifier
        noun[done] = ""
        raw[done] = texts[done]
        rest = np.ones(n, dtype=bool)
        rest[done] = False
        todo = np.flatnonzero(rest)
    else:
        todo = np.arange(n)

    parse = _parse
    for i in todo:
        text = texts[i]
        raw[i] = text if isinstance(text, str) else str(text)
        try:
            value[i], low[i], high[i], unit[i], qualifier[i], classifier[i], noun[i] = parse(text)
        except _Unparsable as exc:
            error[i] = f"cannot parse quantity {_shown(text)}: {exc}; {_EXPECTED}"
        except (ValueError, ArithmeticError) as exc:
            error[i] = f"cannot parse quantity {_shown(text)}: {type(exc).__name__}: {exc}; {_EXPECTED}"
    if (codes < 0).any():
        error[n] = f"missing quantity text; {_EXPECTED}"

    failed = np.flatnonzero(pd.notna(error))  # elementwise on an object array of messages or None
    if errors == "raise" and len(failed):
        # Report the first failing row in the order of the sheet, not of the distinct texts.
        bad_code = np.where(failed == n, -1, failed)
        position = int(np.flatnonzero(np.isin(codes, bad_code))[0])
        code = codes[position]
        label = series.index[position : position + 1].tolist()[0]  # a plain Python scalar for the message
        raise ParseError(f"row {label!r}{where}: {error[code]}")

    columns = {"value": value, "low": low, "high": high}
    out = pd.DataFrame({name: array.take(codes) for name, array in columns.items()}, index=series.index)
    # Build the small per-text str arrays first, then take: far cheaper than converting a million
    # Python objects.
    for name, array in (
        ("unit", unit),
        ("qualifier", qualifier),
        ("raw", raw),
        ("classifier", classifier),
        ("noun", noun),
    ):
        out[name] = pd.array(array, dtype=_STR).take(codes)
    if errors == "coerce":
        out["error"] = pd.array(error, dtype=_STR).take(codes)
    return out


# --- the vectorised fast path -------------------------------------------------------------------
# Arrow splits every text into the words before the number, the number and the words after it
# with one simple pattern; the few distinct heads and tails are then read once each in Python.
# The numbers are capped at 21 significant digits so that the exact Decimal arithmetic of the
# full grammar and the correctly rounded parse of "<digits>e<exponent>" give the same float.
_FAST_AR = ARABIC_BOUNDED
_FAST_PATTERN = rf"^(?P<head>\D*?)(?P<num>{_FAST_AR})(?P<tail>\D*)$"
_FAST_HEAD_RE = re.compile(rf"(?P<pre>{_alternation(PREFIX_QUALIFIERS)})?(?P<pc>人均|人平)?")
_FAST_TAIL_RE = re.compile(
    rf"(?P<q1>[多余])?(?P<mult>{_MULT})?(?P<q2>[多余])?(?P<cls>{_CLS})?(?P<suf>{_alternation(SUFFIX_QUALIFIERS)})?"
)
_QUALIFIER_CODES = {"": 0, "approx": 1, "at_least": 2, "at_most": 3}
# Ranges of Arabic numbers (2—3个, 10-20万元): the ends and what follows each.
_FAST_RANGE_PATTERN = rf"^(?P<a>{_FAST_AR})(?P<atail>[^\d—\-~至到]*)(?:{_SEP})(?P<b>{_FAST_AR})(?P<btail>\D*)$"
_FAST_END_RE = re.compile(rf"(?P<mult>{_MULT})?(?P<cls>{_CLS})?")


def _read_end(tail: str) -> tuple[str, str] | None:
    """Multiplier and classifier after one end of a range, or None outside the fast grammar."""
    m = _FAST_END_RE.fullmatch(tail)
    return None if m is None else (m["mult"] or "", m["cls"] or "")


def _read_head(head: str) -> tuple[int, bool] | None:
    m = _FAST_HEAD_RE.fullmatch(head)
    if m is None:
        return None
    return _QUALIFIER_CODES[PREFIX_QUALIFIERS.get(m["pre"] or "", "")], m["pc"] is not None


def _read_tail(tail: str) -> tuple[int, bool, str, str, str] | None:
    m = _FAST_TAIL_RE.fullmatch(tail)
    if m is None:
        return None
    exponent = str(_MULTIPLIERS[m["mult"]].adjusted()) if m["mult"] else "0"
    cls = m["cls"] or ""
    marker = bool(m["q1"] or m["q2"])
    return (
        _QUALIFIER_CODES[SUFFIX_QUALIFIERS.get(m["suf"] or "", "")],
        marker,
        exponent,
        cls,
        CLASSIFIER_UNITS.get(cls, "number"),
    )


def _lookup(column: Any, read: Callable[[str], _Reading]) -> tuple[list[_Reading], np.ndarray]:
    """Read each distinct string of ``column`` (a pyarrow string array) once; return the readings and each row's index."""
    encoded = column.dictionary_encode()
    readings = [read(k) for k in encoded.dictionary.to_pylist()]
    return readings, encoded.indices.to_numpy(zero_copy_only=False)


def _parse_fast(texts: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, ...]] | None:
    """Read the distinct texts of the fast grammar at once; return their positions and columns.

    The fast grammar is ``[qualifier] [人均|人平] arabic-number [多|余] [multiplier] [多|余]
    [classifier] [suffix qualifier]``. Texts outside it, and texts the full grammar rejects
    (conflicting qualifiers, 人均 with another unit than 元, a value beyond float), are left to
    :func:`_parse`, so that the results equal :func:`parse_quantity` text by text.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return None
    if len(texts) < 64:
        return None  # small columns: the per-text path is as fast
    if pd.api.types.infer_dtype(texts, skipna=False) == "string":  # one C-level pass
        candidates = np.arange(len(texts))
    else:
        candidates = np.flatnonzero([type(t) is str for t in texts])
    if len(candidates) == 0:
        return None
    array = pa.array(texts[candidates], type=pa.large_string())
    normal = pc.utf8_normalize(array, form="NFKC")
    normal = pc.replace_substring_regex(normal, pattern=r'\s+|["“”]', replacement="")
    found = pc.extract_regex(normal, pattern=_FAST_PATTERN)
    matched = found.is_valid().to_numpy(zero_copy_only=False)
    parts = found.filter(pa.array(matched))
    if len(parts) == 0:
        return None
    positions = candidates[matched]

    heads, head_index = _lookup(parts.field("head"), _read_head)
    tails, tail_index = _lookup(parts.field("tail"), _read_tail)
    head_ok = np.array([h is not None for h in heads] + [False])
    tail_ok = np.array([t is not None for t in tails] + [False])
    head_values = [h or (0, False) for h in heads]
    tail_values = [t or (0, False, "0", "", "number") for t in tails]
    pre_q = np.array([h[0] for h in head_values], dtype=np.int64)[head_index]
    per_capita = np.array([h[1] for h in head_values], dtype=np.bool_)[head_index]
    suf_q = np.array([t[0] for t in tail_values], dtype=np.int64)[tail_index]
    marker = np.array([t[1] for t in tail_values], dtype=np.bool_)[tail_index]
    exponent = np.array([t[2] for t in tail_values], dtype=np.object_)[tail_index]
    classifier = np.array([t[3] for t in tail_values], dtype=np.object_)[tail_index]
    unit = np.array([t[4] for t in tail_values], dtype=np.object_)[tail_index]
    ok = head_ok[head_index] & tail_ok[tail_index]

    # The qualifier: decided once per distinct (prefix word, suffix word, 多/余) combination.
    combos, inverse = np.unique(pre_q * 8 + suf_q * 2 + marker, return_inverse=True)
    labels = list(_QUALIFIER_CODES)
    decided: list[str | None] = []
    for combo in combos.tolist():
        words = [(labels[c], labels[c]) for c in (combo // 8, (combo % 8) // 2) if c]
        try:
            decided.append(_qualifier(words, [("多", "at_least")] if combo % 2 else [], "single"))
        except _Unparsable:
            decided.append(None)  # conflicting qualifiers: the full grammar words the error
    qualifier = np.array(decided, dtype=object)[inverse.reshape(-1)]
    ok &= pd.notna(qualifier)  # elementwise on an object array of qualifiers or None
    ok &= ~per_capita | (unit == "CNY")
    unit[per_capita] = "CNY_per_capita"

    digits = pc.replace_substring(parts.field("num"), pattern=",", replacement="")
    joined = pc.binary_join_element_wise(
        digits, pa.array(exponent.tolist(), type=pa.large_string()), pa.scalar("e", type=pa.large_string())
    )
    value = pc.cast(joined, pa.float64()).to_numpy()
    ok &= np.isfinite(value)

    nan = np.full(len(value), np.nan)
    low = np.where(qualifier == "at_least", value, nan)
    high = np.where(qualifier == "at_most", value, nan)
    keep = np.flatnonzero(ok)
    columns = (value[keep], low[keep], high[keep], unit[keep], qualifier[keep], classifier[keep])
    ranges = _parse_fast_ranges(normal, ~matched, candidates, pa, pc)
    if ranges is None:
        return positions[keep], columns
    range_positions, range_columns = ranges
    return (
        np.concatenate([positions[keep], range_positions]),
        tuple(np.concatenate([a, b]) for a, b in zip(columns, range_columns)),
    )


def _parse_fast_ranges(
    normal: Any, unmatched: np.ndarray, candidates: np.ndarray, pa: ModuleType, pc: ModuleType
) -> tuple[np.ndarray, tuple[np.ndarray, ...]] | None:
    """The ranges of Arabic numbers among the texts the single-number pattern left."""
    found = pc.extract_regex(normal.filter(pa.array(unmatched)), pattern=_FAST_RANGE_PATTERN)
    matched = found.is_valid().to_numpy(zero_copy_only=False)
    if not matched.any():
        return None
    positions = candidates[np.flatnonzero(unmatched)[matched]]
    parts = found.filter(pa.array(matched))
    ends_a, a_index = _lookup(parts.field("atail"), _read_end)
    ends_b, b_index = _lookup(parts.field("btail"), _read_end)
    a_ok = np.array([e is not None for e in ends_a], dtype=np.bool_)[a_index]
    b_ok = np.array([e is not None for e in ends_b], dtype=np.bool_)[b_index]
    a_values = [e or ("", "") for e in ends_a]
    b_values = [e or ("", "") for e in ends_b]
    a_mult = np.array([e[0] for e in a_values], dtype=np.object_)[a_index]
    a_cls = np.array([e[1] for e in a_values], dtype=np.object_)[a_index]
    b_mult = np.array([e[0] for e in b_values], dtype=np.object_)[b_index]
    b_cls = np.array([e[1] for e in b_values], dtype=np.object_)[b_index]
    # The full grammar's rules: a multiplier or a classifier on the lower end only is an error,
    # the two classifiers must share a unit, and a multiplier after the upper end serves both.
    units = {**CLASSIFIER_UNITS, "": "number"}
    unit = np.array([units[c] for c in b_cls], dtype=object)
    ok = a_ok & b_ok & ((a_mult == "") | (b_mult != "")) & ((a_cls == "") | (b_cls != ""))
    ok &= (a_cls == "") | (np.array([units[c] for c in a_cls], dtype=object) == unit)
    exponents = {m: str(v.adjusted()) for m, v in _MULTIPLIERS.items()}
    a_exp = [exponents[m] if m else exponents.get(n, "0") for m, n in zip(a_mult, b_mult)]
    b_exp = [exponents.get(n, "0") for n in b_mult]
    e = pa.scalar("e", type=pa.large_string())

    def read(digits: Any, exps: list[str]) -> np.ndarray:
        digits = pc.replace_substring(digits, pattern=",", replacement="")
        joined = pc.binary_join_element_wise(digits, pa.array(exps, type=pa.large_string()), e)
        return pc.cast(joined, pa.float64()).to_numpy()

    low, high = read(parts.field("a"), a_exp), read(parts.field("b"), b_exp)
    ok &= np.isfinite(low) & np.isfinite(high) & (low <= high)
    keep = np.flatnonzero(ok)
    qualifier = np.full(len(keep), "range", dtype=object)
    return positions[keep], (low[keep], low[keep], high[keep], unit[keep], qualifier, b_cls[keep])


# --- finding quantities in running text ----------------------------------------------------------
@dataclass(frozen=True)
class QuantityMention:
    """A number mention found in running text by :func:`find_quantities`.

    Attributes
    ----------
    start, end : int
        Offsets of the mention in the text as given, with the qualifier words and 人均 written
        right before the number (``近20,000人``, ``超过30000平方米``) and after it (``以上``).
    text : str
        The mention as written, line breaks removed (the project's matching rule: a print
        layout's line break inside ``51\\n万元`` is not text); this is what a coding sheet's
        ``raw_text`` holds. Equals ``text[start:end]`` when the mention holds no line break.
    number_start : int
        Offset (in the text as given) where the number itself begins, after the qualifier words.
    lead_start : int
        Offset (in the text as given) where the words leading to the number begin: qualifier, filler and bridge words
        and 人均, as in ``人均将达到5.5元`` or ``共有3个``; equals ``start`` when there are none.
    quantity : Quantity or None
        The mention read with its lead (from ``lead_start``, so that 人均将达到5.5元 reads as
        CNY_per_capita), else without it; ``None`` when neither parses.
    error : kexie_research.errors.ParseError or None
        Why the mention does not parse (``quantity`` is then ``None``).

    Examples
    --------
    >>> m = find_quantities("经费近51\\n万元")[0]
    >>> (m.start, m.end, m.text, m.quantity.value)
    (2, 8, '近51万元', 510000.0)
    """

    start: int
    end: int
    text: str
    number_start: int
    lead_start: int
    quantity: Quantity | None
    error: ParseError | None


_variants = variants


# Spaces a print layout leaves inside a number (7 个, 100 万元), and pinyin glosses a conversion to
# traditional characters leaves between its parts (96萬(wàn)元, 3.6萬(wàn)場(chǎng)).
_W = rf"(?:{SPACE}|{PINYIN_GLOSS})*"
# What may not follow a one-character classifier for it to be one: the pair classifiers (对 before
# these is a preposition or a word) and 大 of 大关 (突破1亿大关: a mark passed, not "the N major").
_PAIR_CLASSIFIER_NOT_BEFORE: dict[str, str] = {
    "对": "一二三1-9多接口象外内比应于照话此策标面付抗立称待手方",
    "双": "百创向方边赢重语轨休周月日号一",
    "副": "主书部县市省局科处厅院长总经理秘会区镇乡教研所职高",
    "大": "关關",
}


@functools.cache
def _scanner() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Candidate regex over raw (not normalised) text, plus the prefix/lead word regexes."""
    digits = "0-9０-９"
    cn_chars = "".join(sorted(_variants(_CN_CHARS + "壹贰叁肆伍陆柒捌玖拾佰仟")))
    # The pair classifiers are also words (一对一, 统一对接, 双创, 副主任): only before what is not.
    paired = _variants(_PAIR_CLASSIFIER_NOT_BEFORE)
    # 個(gè)百分點: a gloss inside the classifier of percentage points.
    points = rf"[个個](?:{PINYIN_GLOSS})?百分[点點]"
    cls = "|".join(
        [points]
        + [_alternation(_variants([*CLASSIFIER_UNITS, "％", "㎡", "㎢"]) - {"m2", "km2"} - paired)]
        + [f"{re.escape(c)}(?![{_PAIR_CLASSIFIER_NOT_BEFORE[to_simplified(c)]}])" for c in sorted(paired)]
    )
    cls_start = "[" + "".join(sorted({c[0] for c in _variants(CLASSIFIER_UNITS)} - set("mk"))) + "]"
    point = "".join(sorted(_variants("点")))
    cn_digits = "".join(sorted(_variants("零〇一二两三四五六七八九")))
    # A comma ends the number unless exactly three digits follow (961600,2018年 -> 961600).
    ar = ARABIC_IN_TEXT
    big = "".join(sorted(_variants("十百千万亿")))
    # A pinyin gloss inside a numeral (數(shù)十萬) stays in the span and is ignored in the reading.
    cn = (
        rf"{_alternation(_variants(_IDIOMS))}|上[{big}]+"
        rf"|[{cn_chars}]+(?:{PINYIN_GLOSS}[{cn_chars}]+)*(?:{PINYIN_GLOSS}(?=[{cn_chars}]|{cls_start}))?"
        rf"(?:[{point}][{cn_digits}]+[{big}]*)?"
    )
    num = rf"(?:{ar}|{cn})"
    marker = "".join(sorted(_variants("多余")))
    mult = _alternation(_variants(_MULTIPLIERS))

    half = "".join(sorted(_variants("半")))
    sep = r"—{1,2}|―|–|-|－|~|～|〜|至|到"
    suffix = _alternation(_variants(SUFFIX_QUALIFIERS))
    fraction = rf"{num}{_W}分之{_W}{num}"
    money = rf"{num}{_W}元{_W}[{cn_chars}{digits}]{_W}角(?:{_W}[{cn_chars}{digits}]{_W}分)?"
    single = (
        rf"{num}(?:{_W}[{marker}])?(?:{_W}(?:{mult}))?(?:{_W}[{marker}])?(?:{_W}[个個]?[{half}])?"
        # A bracketed alternative classifier (500多条（张）) stays out of the span, as coding
        # sheets leave it out.
        rf"(?:{_W}(?:{cls})(?:[{half}])?)?"
        rf"(?:{_W}(?:{sep}){_W}{num}(?:{_W}(?:{mult}))?(?:{_W}(?:{cls}))?)?"
    )
    candidate = re.compile(rf"(?:负|負)?(?:{fraction}|{money}|{single}|[{half}](?:{cls}))(?:{_W}(?:{suffix}))?")
    prefix_words = _variants([*PREFIX_QUALIFIERS, *_PER_CAPITA_WORDS])
    lead_words = prefix_words | _variants([*FILLER_WORDS, *BRIDGE_WORDS])
    # Matched on the reversed text before a candidate: one anchored step per word.
    # Spaces of a web layout between a word and the number (约 200 人, 超 70%) are stepped over.
    tight = re.compile(rf"{SPACE}*(?:{_alternation(w[::-1] for w in prefix_words)})")
    lead = re.compile(rf"{SPACE}*(?:{_alternation(w[::-1] for w in lead_words)})")
    return candidate, tight, lead


_HAS_DIGIT = re.compile(r"[0-9０-９]")
_NEWLINE_RE = re.compile("\n")
_CN_UNIT_START = frozenset("百千万亿萬億佰仟")
_BARE_CN = frozenset("零〇一二两兩三四五六七八九十百千万亿萬億几幾数數点點壹贰貳叁參肆伍陆陸柒捌玖拾佰仟 \t\u3000")


def _worth_reporting(span: str, body: str) -> bool:
    """Drop Chinese-numeral candidates that are ordinary words (统一, 万一, 千方百计, 一些)."""
    if _HAS_DIGIT.search(span):
        return True
    if "(" in body or "（" in body:
        body = strip_pinyin(body)  # 數(shù)據 is the word 数据, not a numeral
    if not _BARE_CN.issuperset(body):
        return True  # a classifier, 分之, a unit or a marker follows the numeral
    return len(body) > 1 and body[0] not in _CN_UNIT_START


def _walk_back(pattern: re.Pattern[str], reversed_text: str, length: int, start: int, floor: int) -> int:
    """Move ``start`` back over words of ``pattern`` (reversed), never before ``floor``."""
    while start > floor:
        m = pattern.match(reversed_text, length - start, length - floor)
        if m is None:
            break
        start = length - m.end()
    return start


def iter_quantities(text: str) -> Iterator[QuantityMention]:
    """Find the number mentions of running text, in order, in time linear in its length.

    See :func:`find_quantities`.

    Examples
    --------
    >>> [m.text for m in iter_quantities("共有3个学会，近500余人参加。")]
    ['3个', '近500余人']
    """
    if not isinstance(text, str):
        raise ParseError(f"cannot find quantities in {type(text).__name__}: expected a str")
    candidate, tight, lead = _scanner()
    # The project's matching rule: line breaks of the print layout (51\n\n万元) are not text.
    # The scan runs on the text without them; offsets are mapped back to the text as given.
    if "\n" in text:
        flat = text.replace("\n", "")
        # Flat offset at which each removed line break stood: an original offset is the flat one
        # plus the line breaks standing at or before it.
        breaks = [m.start() - i for i, m in enumerate(_NEWLINE_RE.finditer(text))]
    else:
        flat, breaks = text, None
    reversed_flat = flat[::-1]
    length = len(flat)
    floor = 0
    for m in scan(candidate, flat):  # finditer's matches, tried only where a number can start
        span = m.group()
        body = span.lstrip("负負")
        if not _worth_reporting(span, body):
            floor = m.end()
            continue
        number_start = m.start() + (len(span) - len(body))
        start = _walk_back(tight, reversed_flat, length, m.start(), floor)
        lead_start = _walk_back(lead, reversed_flat, length, start, floor)
        # The tight span holds only qualifier words contiguous with the number; a filler between
        # them (至少要达到) leaves the qualifier to the lead.
        quantity: Quantity | None = None
        error: ParseError | None = None
        for begin in dict.fromkeys((lead_start, start)):
            try:
                quantity = parse_quantity(flat[begin : m.end()])
                error = None
                break
            except ParseError as exc:
                error = exc if error is None else error
        floor = m.end()
        if breaks is None:
            yield QuantityMention(
                start,
                m.end(),
                span if start == m.start() else flat[start : m.end()],
                number_start,
                lead_start,
                quantity,
                error,
            )
        else:

            def original(k: int) -> int:
                return k + bisect.bisect_right(breaks, k)

            yield QuantityMention(
                original(start),
                original(m.end() - 1) + 1,
                flat[start : m.end()],
                original(number_start),
                original(lead_start),
                quantity,
                error,
            )


def find_quantities(text: str) -> list[QuantityMention]:
    """Find the number mentions of running text: offsets and the parsed quantity of each.

    A compiled pattern proposes candidate spans (Arabic or Chinese numerals, traditional
    characters included, with hedges 多/余, multipliers 万/亿, classifiers and units, percentages,
    fractions 三分之一, ranges 2—3个, money 元角分); each is extended back over the qualifier words
    written before it (近, 约, 超过, 人均 …; spaces between them and the number, as in 约 200 人, are
    stepped over) and read with :func:`parse_quantity`. A comma ends an Arabic number unless
    exactly three digits follow it (``961600,2018年`` gives 961600 and 2018年); a pinyin gloss
    inside a Chinese numeral (``數(shù)十萬``) stays in the span; the pair classifiers 对, 双, 副 count
    only where they are not part of a word (一对一, 统一对接, 双创, 副主任). A mention that
    does not parse is still returned, with its ``error``: nothing is silently dropped except
    Chinese numerals that are parts of ordinary words (统一, 万一, 一些, 千方百计). Ordinals
    (第二批), dates (2020年) and names (十四五) are returned as mentions too: telling them from facts
    is left to the caller. Time is linear in the length of the text.

    Parameters
    ----------
    text : str
        Running text as read from a document (not normalised: offsets index this very string;
        line breaks inside a mention are skipped, as the project's matching rule says).

    Returns
    -------
    list of QuantityMention
        In the order of the text; spans do not overlap.

    Examples
    --------
    >>> [(m.start, m.end, m.quantity.value) for m in find_quantities("投入51万元，培训近20,000人")]
    [(2, 6, 510000.0), (9, 17, 20000.0)]
    >>> find_quantities("人均将达到5.5元")[0].quantity.unit
    'CNY_per_capita'
    """
    return list(iter_quantities(text))
