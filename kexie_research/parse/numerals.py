"""The shared lexer of numbers and dates: numeral characters, regex fragments and readers.

One grammar of numerals and dates serves every reader of the project: the quantity parser and
its mention scanner (:mod:`kexie_research.parse.quantities`), the period parser
(:mod:`kexie_research.parse.periods`) and the extractor's period cues and date mentions
(:mod:`kexie_research.extract`). Each builds its own patterns from the fragments here, so that a
form learnt once (a traditional variant, a separator, a thousands rule) is learnt everywhere.

Fragments (regular-expression source, no groups unless named)
-------------------------------------------------------------
==================== =============================================== ============================
name                 matches                                         e.g.
==================== =============================================== ============================
:data:`ARABIC`       Arabic number; thousands groups of exactly      ``20,000``, ``3.5``, ``12``
                     three digits after a lead of one to three
:data:`CHINESE`      Chinese numeral (also 上千, 成千上万, 三点五万) ``二十五``, ``数十万``
:data:`YEAR`         a year: four digits or four Chinese digits      ``2021``, ``二〇二一``
:data:`MONTH_DAY`    a month or day: one or two digits, or up to     ``5``, ``十二``
                     three Chinese numerals
:data:`DATE`         year 年 [month 月 [day 日|号]]                  ``2021年5月10日``
:data:`SEPARATOR`    the separators of a span or range               ``~`` ``至`` ``—`` ``-``
:data:`SPACE`        the spaces a web or print layout leaves         space, tab, U+3000
:data:`PINYIN_GLOSS` a parenthesised pinyin gloss                    ``(shù)``, ``（wàn）``
==================== =============================================== ============================

Texts are read after :func:`normalise` (NFKC, dash and tilde variants unified, spaces and
quotation marks dropped); running text is scanned as written, with the traditional spellings of
each word (:func:`variants`).

Examples
--------
>>> import re
>>> re.fullmatch(DATE, "2021年5月10日") is not None
True
>>> re.match(ARABIC_IN_TEXT, "961600,2018年").group()
'961600'
>>> read_chinese_integer("一万五")
Decimal('15000')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from kexie_research.parse.normal_form import nfkc

if TYPE_CHECKING:  # imported on first use at run time (see converter)
    import opencc

__all__ = [
    "ARABIC",
    "ARABIC_BOUNDED",
    "ARABIC_IN_TEXT",
    "BIG_UNITS",
    "CHINESE",
    "CN_CHARS",
    "CN_DIGIT_CHARS",
    "DATE",
    "DIGITS",
    "FINANCIAL",
    "IDIOMS",
    "MONTH_DAY",
    "MULTIPLIERS",
    "NUMBER",
    "PAIRS",
    "PINYIN_GLOSS",
    "SEPARATOR",
    "SMALL_UNITS",
    "SPACE",
    "YEAR",
    "NumeralError",
    "alternation",
    "converter",
    "date_pattern",
    "normalise",
    "read_chinese_integer",
    "read_date_number",
    "strip_pinyin",
    "variants",
]


class NumeralError(Exception):
    """A token that is not a numeral of the grammar; the parsers turn it into a ParseError."""


# --- numeral characters -----------------------------------------------------------------------
DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS: dict[str, int] = {"万": 10**4, "亿": 10**8}
#: Financial numerals (壹 贰 …) as their everyday forms.
FINANCIAL = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")
#: Pairs of neighbouring digits that write an approximate number (两三万 = 20,000-30,000); 三五
#: ("three or five") is the idiom for "a few", read as 3-5.
PAIRS: dict[str, tuple[str, str]] = {
    "一二": ("一", "二"), "一两": ("一", "两"), "二三": ("二", "三"), "两三": ("两", "三"),
    "三四": ("三", "四"), "四五": ("四", "五"), "五六": ("五", "六"), "六七": ("六", "七"),
    "七八": ("七", "八"), "八九": ("八", "九"), "三五": ("三", "五"),
}  # fmt: skip
IDIOMS: dict[str, int] = {"成百上千": 100, "成千上万": 1000}
#: The characters of a Chinese numeral (simplified).
CN_CHARS = "零〇一二两三四五六七八九十百千万亿几数"
#: Chinese digits written one by one (a year 二〇二一).
CN_DIGIT_CHARS = "〇零一二三四五六七八九"
MULTIPLIERS: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12,
    "千亿": Decimal(10) ** 11,
    "百亿": Decimal(10) ** 10,
    "十亿": Decimal(10) ** 9,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "十万": Decimal(10) ** 5,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
    "百": Decimal(10) ** 2,
}

# --- regular-expression fragments -----------------------------------------------------------
#: An Arabic number in a normalised text read whole: 20,000 / 3.5 (a group after a comma has
#: exactly three digits, after a lead of one to three).
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: An Arabic number in running text as written (full-width digits and commas too): a comma ends
#: the number unless exactly three digits follow it and no fourth (961600,2018年 -> 961600).
ARABIC_IN_TEXT = (
    r"[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+(?![0-9０-９])(?:[.．][0-9０-９]+)?"
    r"|[0-9０-９]+(?:[.．][0-9０-９]+)?"
)
#: An Arabic number for the vectorised path (Arrow's RE2: no look-around), capped at 21
#: significant digits so that Decimal arithmetic and a float parse of "<digits>e<exponent>" agree.
ARABIC_BOUNDED = r"\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,6})?|\d{1,15}(?:\.\d{1,6})?"
#: A Chinese numeral in a normalised text.
CHINESE = rf"成百上千|成千上万|上[十百千万亿]+|[{CN_CHARS}]+(?:点[零〇一二三四五六七八九]+[万亿]*)?"
#: An Arabic or Chinese number in a normalised text.
NUMBER = rf"(?:{ARABIC}|{CHINESE})"
#: A year: four digits, or four Chinese digits (二〇二一).
YEAR = rf"\d{{4}}|[{CN_DIGIT_CHARS}]{{4}}"
#: A month or a day.
MONTH_DAY = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
#: The separators of a span or a range, after normalisation (～ is ~ after NFKC; both listed for
#: running text).
SEPARATOR = r"~|～|—{1,2}|-|至|到"
#: Spaces that a print or web layout leaves inside a number or a date (7 个, 10 月 18 日).
SPACE = r"[ \t\u3000\xa0]"
#: A parenthesised pinyin gloss after a character (數(shù)十萬): ignored in a reading.
# Lower-case letters only: an upper-case abbreviation in brackets (3(A)类, 人工智能(AI)) is no gloss.
_PINYIN_LETTER = "[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]"
PINYIN_GLOSS = rf"[(（]{_PINYIN_LETTER}{{1,6}}(?:[ ]{_PINYIN_LETTER}{{1,6}}){{0,3}}[)）]"
_PINYIN_RE = re.compile(PINYIN_GLOSS)


def date_pattern(prefix: str = "") -> str:
    """The pattern of a date ``year 年 [month 月 [day 日|号]]`` with groups ``{prefix}y``, ``m``, ``d``.

    Examples
    --------
    >>> re.fullmatch(date_pattern("a"), "2021年5月").group("am")
    '5'
    """
    return rf"(?P<{prefix}y>{YEAR})年(?:(?P<{prefix}m>{MONTH_DAY})月(?:(?P<{prefix}d>{MONTH_DAY})[日号])?)?"


#: A date without groups: 2021年, 2021年5月, 2021年5月10日 (also 号).
DATE = rf"(?:{YEAR})年(?:(?:{MONTH_DAY})月(?:(?:{MONTH_DAY})[日号])?)?"


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (场次 before 场, 万亿 before 万).

    Examples
    --------
    >>> alternation(["场", "场次"])
    '场次|场'
    """
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# --- normalisation ------------------------------------------------------------------------------
#: Dash and tilde variants NFKC leaves alone are unified; quotation marks are dropped.
DASH_TRANSLATE = str.maketrans(
    {"―": "—", "–": "-", "‐": "-", "‑": "-", "−": "-", "〜": "~", "“": None, "”": None, '"': None}
)
_SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC, dash and tilde variants unified, quotation marks, spaces and pinyin glosses dropped.

    Examples
    --------
    >>> normalise("１０ 月 １８ 日")
    '10月18日'
    >>> normalise("“十四五”期间")
    '十四五期间'
    """
    text = nfkc(text).translate(DASH_TRANSLATE)
    if "(" in text:  # NFKC made （ an ASCII bracket
        text = strip_pinyin(text)
    return _SPACE_RE.sub("", text)


def strip_pinyin(text: str) -> str:
    """The text without parenthesised pinyin glosses (``數(shù)十萬`` -> ``數十萬``).

    Examples
    --------
    >>> strip_pinyin("數(shù)十萬人（wàn）")
    '數十萬人'
    >>> strip_pinyin("5个县(市、区)")
    '5个县(市、区)'
    """
    return _PINYIN_RE.sub("", text)


@functools.cache
def converter(config: str) -> opencc.OpenCC:
    """The OpenCC converter of ``config`` (``t2s``, ``s2t`` …), made once on first use.

    Examples
    --------
    >>> converter("t2s").convert("從2008年起")
    '从2008年起'
    """
    import opencc  # imported on first use: most texts never need it

    return opencc.OpenCC(config)


def variants(words: Iterable[str]) -> set[str]:
    """Each word with its traditional spellings (OpenCC s2t, s2tw, s2hk), for raw running text.

    Examples
    --------
    >>> sorted(variants(["万"]))
    ['万', '萬']
    """
    out = set()
    for word in words:
        out.add(word)
        for config in ("s2t", "s2tw", "s2hk"):
            out.add(converter(config).convert(word))
    return out


# --- readers ------------------------------------------------------------------------------------
def read_chinese_integer(token: str) -> Decimal:
    """Read a well-formed Chinese integer numeral (digits, 十百千, 万亿, 零) in one pass.

    Raises :class:`NumeralError` for a token that is not one; see
    :mod:`kexie_research.parse.quantities` for the readings (一万五 = 15,000, 三亿四千二百 =
    342,000,000).

    Examples
    --------
    >>> read_chinese_integer("一百零五"), read_chinese_integer("十二")
    (Decimal('105'), Decimal('12'))
    """
    high_part = 0  # the part already multiplied by 亿
    wan_part = 0  # the part multiplied by 万 (below 亿)
    section = 0  # below 万
    digit: int | None = None
    last_small = 10**4  # small units (十百千) must descend within a section
    seen_wan = seen_yi = False
    after_yi = False  # inside the group that follows 亿
    group_has_small = group_has_zero = False
    prev_unit = 0  # value of the unit just before a trailing digit (一万五 -> 万)
    prev_was_zero = False
    for position, ch in enumerate(token):
        if ch in DIGITS:
            d = DIGITS[ch]
            if d == 0:
                if digit is not None:
                    raise NumeralError(f"{token!r} is not a Chinese numeral (a digit before 零)")
                prev_was_zero = True
                if after_yi and section == 0 and wan_part == 0:
                    group_has_zero = True
                continue
            if digit is not None:
                raise NumeralError(f"{token!r} is not a Chinese numeral (two digits in a row)")
            digit = d
            continue
        if ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if unit >= last_small:
                raise NumeralError(f"{token!r} is not a Chinese numeral ({ch} out of order)")
            if digit is None and position > 0 and unit != 10:
                raise NumeralError(f"{token!r} is not a Chinese numeral ({ch} without a digit)")
            section += (1 if digit is None else digit) * unit
            last_small, digit, prev_unit, prev_was_zero = unit, None, unit, False
            group_has_small = group_has_small or after_yi
            continue
        if ch == "万":
            if seen_wan:
                raise NumeralError(f"{token!r} is not a Chinese numeral (万 twice)")
            part = section + (digit or 0)
            if part == 0:
                if position != 0:
                    raise NumeralError(f"{token!r} is not a Chinese numeral (万 without a number)")
                part = 1  # 万人: a bare leading unit means one of it
            wan_part, section, digit = part * 10**4, 0, None
            seen_wan, last_small, prev_unit, prev_was_zero = True, 10**4, 10**4, False
            continue
        if ch == "亿":
            if seen_yi:
                raise NumeralError(f"{token!r} is not a Chinese numeral (亿 twice)")
            part = wan_part + section + (digit or 0)
            if part == 0:
                if position != 0:
                    raise NumeralError(f"{token!r} is not a Chinese numeral (亿 without a number)")
                part = 1
            high_part, wan_part, section, digit = part * 10**8, 0, 0, None
            seen_yi, seen_wan, after_yi = True, False, True
            last_small, prev_unit, prev_was_zero = 10**4, 10**8, False
            continue
        raise NumeralError(f"{token!r} is not a Chinese numeral ({ch!r})")
    if digit is not None:
        if prev_unit >= 100 and not prev_was_zero:
            # 一万五 = 15,000, 三千二 = 3,200: a last digit right after a unit is one level lower.
            section += digit * prev_unit // 10
        else:
            section += digit
    if after_yi and group_has_small and not seen_wan and not group_has_zero:
        # 三亿四千二百 = 三亿四千二百万 (the quantities module docstring explains the choice).
        section *= 10**4
    if not (seen_wan or seen_yi or prev_unit) and len(token) > 1:
        raise NumeralError(f"{token!r} is not a Chinese numeral (bare digits; write 二〇二一 as 2021)")
    return Decimal(high_part + wan_part + section)


_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _shown(text: str) -> str:
    return f"{text[:60]!r}… ({len(text)} characters)" if len(text) > 80 else repr(text)


def read_date_number(token: str) -> int:
    """Read a year (four digits, also 二〇二一), a month, a day or a count, in linear time.

    Examples
    --------
    >>> read_date_number("二〇二一"), read_date_number("十二"), read_date_number("07")
    (2021, 12, 7)
    """
    if token.isascii():
        if len(token) > 4:
            raise NumeralError(f"{_shown(token)} has more digits than a year, month, day or count")
        return int(token)
    if len(token) == 4 and token.translate(_YEAR_DIGITS).isdigit():
        return int(token.translate(_YEAR_DIGITS))  # 二〇二一: a year written digit by digit
    if len(token) > 3:
        raise NumeralError(f"{_shown(token)} is not a month, day or count written in Chinese numerals")
    return int(read_chinese_integer(token))
