"""Parse quantities written the Chinese way (``近20,000人``, ``1650余万次``, ``四分之三以上``).

A coding sheet copies every number exactly as the source writes it (``raw_text``). This module
turns that text into a value, its bounds, a unit and a qualifier, so that figures from different
documents can be compared. It reads one text at a time (:func:`parse_quantity`) or a whole column
at once (:func:`parse_quantities`, the fast path for large sheets).

Grammar
-------
After normalisation (Unicode NFKC, so full-width digits, ``％``, ``，``, ``．``, ``（）`` and
full-width spaces become their ASCII forms; every space and line break is dropped; the dash
variants ``―`` ``–`` ``‐`` ``−`` ``〜`` are unified), a text is read as::

    [prefix words] core [suffix words]

    core   = number [多|余] [multiplier] [多|余] [classifier [(classifier)]]
           | number [multiplier] [classifier] SEP number [multiplier] [classifier [(classifier)]]
           | number 分之 number                       (fraction: X分之Y = Y/X)
    SEP    = — ——  -  ~ (also ～ 〜)  至  到
    number = Arabic digits, optionally with a decimal point and thousands separators (20,000)
           | a Chinese numeral read by ``cn2an`` ("normal" mode: 一 两 十 百 千 万 亿 点 …;
             a leading bare 百/千/万/亿 is read as 一百/一千/…, so 百余人 = at least 100 persons)
    multiplier = 十万 百万 千万 万 亿 十亿 百亿 千亿 万亿 千 百  (after Arabic digits;
             a Chinese numeral carries its own: 十六万 = 160000)

Prefix and suffix words are taken off the text one at a time, longest first, until none is left.

Qualifiers
----------
========== ============================================================== ==================
qualifier  written as                                                     value / low / high
========== ============================================================== ==================
exact      (no qualifier word)                                            n / NaN / NaN
approx     近 约 大约 将近 接近 (before); 左右 上下 (after)                n / NaN / NaN
at_least   多 余 (after the number, before or after 万/亿);               n / n / NaN
           超过 超 不少于 不低于 至少 逾 (before); 以上 及以上 (after)
at_most    不足 不超过 没有超过 未超过 不到 少于 至多 不高于 (before);     n / NaN / n
           以下 及以下 以内 (after)
range      2—3个, 2–3, 2-3, 2至3, 2到3, 2~3, 2～3                         low / low / high
========== ============================================================== ==================

The qualifier does not distinguish "more than" (超过) from "at least" (不少于): both give a lower
bound ``low = n``. Two different qualifiers on one number (``约500多人``) and a qualifier on a range
(``约2—3个``) raise :class:`~kexie_research.errors.ParseError` rather than guess. In a range, a
multiplier written once after the upper end applies to both ends (``2—3万元`` = 20,000–30,000 CNY).

Filler words
------------
Words that carry no meaning for the value are ignored before or after the number, but only those
in :data:`FILLER_WORDS` (``只有 仅有 仅 已有 已达 已 共有 共计 共 累计 合计 总计 达到了 达到 达 有``);
any other text raises.

Units
-----
The unit is taken from the classifier (量词) after the number. The codebook's units are
``CNY, CNY_per_capita, person, organisation, place, event, item, household, hour, day, year,
square_metre, percent, share, number``; the parser adds one of its own, ``count`` (the generic
classifier 个, which the codebook refines into organisation, place, item … per indicator).

================================================ ==============
classifier                                       unit
================================================ ==============
元 (万元, 亿元 through the multiplier)            CNY
人均 … 元 (人均 before the number)                CNY_per_capita
人 名 位                                          person
家 所                                             organisation
个                                                count (parser-only)
大 (三大, 四大: "the N major …", an enumeration)  count
次 场 场次 起 人次                                 event
份 条 张 面 幅 篇 部 项 期 件                       item
户                                                household
小时                                              hour
天 日                                             day
年                                                year
平方米 平米 ㎡                                    square_metre
% ％ (and 百分之Y)                                 percent (0-100, kept as written)
X分之Y (X ≠ 百)                                   share (0-1)
(no classifier)                                   number
================================================ ==============

A bracketed alternative classifier, as in ``265面（幅）`` or ``500多条（张）``, is accepted when it
maps to the same unit. ``人均`` is only understood with 元.

Example
-------
>>> parse_quantity("1650余万次")
Quantity(value=16500000.0, low=16500000.0, high=nan, unit='event', qualifier='at_least', raw='1650余万次')
>>> parse_quantity("三分之一").value
0.3333333333333333
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

import cn2an
import numpy as np
import pandas as pd

from kexie_research.errors import ParseError

__all__ = [
    "CLASSIFIER_UNITS",
    "CODEBOOK_UNITS",
    "FILLER_WORDS",
    "PARSER_UNITS",
    "PREFIX_QUALIFIERS",
    "QUALIFIERS",
    "SUFFIX_QUALIFIERS",
    "Quantity",
    "parse_quantities",
    "parse_quantity",
]

#: The qualifiers a :class:`Quantity` can carry.
QUALIFIERS: tuple[str, ...] = ("exact", "approx", "at_least", "at_most", "range")

#: Units of ``data/raw/codebook.yaml``.
CODEBOOK_UNITS: tuple[str, ...] = (
    "CNY",
    "CNY_per_capita",
    "person",
    "organisation",
    "place",
    "event",
    "item",
    "household",
    "hour",
    "day",
    "year",
    "square_metre",
    "percent",
    "share",
    "number",
)
#: Every unit the parser can return: the codebook's plus the generic ``count`` (个).
PARSER_UNITS: tuple[str, ...] = CODEBOOK_UNITS + ("count",)

#: Classifier (after NFKC normalisation) -> unit. Multi-character classifiers win over their
#: one-character prefixes (场次 before 场, 人次 before 人).
CLASSIFIER_UNITS: dict[str, str] = {
    "元": "CNY",
    "人": "person",
    "名": "person",
    "位": "person",
    "家": "organisation",
    "所": "organisation",
    "个": "count",
    # 三大服务平台, 四大片区: "N major …" enumerates N kinds or parts of something, a generic count.
    "大": "count",
    "次": "event",
    "场": "event",
    "场次": "event",
    "起": "event",
    # 人次 counts attendances (person-times), i.e. occurrences, not distinct persons.
    "人次": "event",
    **{c: "item" for c in "份条张面幅篇部项期件"},
    "户": "household",
    "小时": "hour",
    "天": "day",
    "日": "day",
    "年": "year",
    "平方米": "square_metre",
    "平米": "square_metre",
    "m2": "square_metre",  # NFKC form of ㎡
    "%": "percent",  # NFKC form of ％
}

#: Qualifier words written before the number.
PREFIX_QUALIFIERS: dict[str, str] = {
    "近": "approx",
    "约": "approx",
    "大约": "approx",
    "将近": "approx",
    "接近": "approx",
    "超过": "at_least",
    "超": "at_least",
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
    "至多": "at_most",
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
_PER_CAPITA = "人均"

_EXPECTED = (
    "expected [qualifier] number [多|余] [万|亿] [classifier] [以上|以下|左右], a range (2—3个) "
    "or a fraction (三分之一), e.g. '近20,000人', '1650余万次', '四分之三以上', '人均5.5元'"
)

# --- regular expressions (compiled once; the fast path parses thousands of texts) -----------
_AR = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN = r"[零〇一二两三四五六七八九十百千万亿点]+"
_NUM = rf"(?:{_AR}|{_CN})"
_MULTIPLIERS: dict[str, Decimal] = {
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


def _alternation(words: object) -> str:
    # Longest first, so that 场次 is tried before 场 and 万亿 before 万.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


_MULT = _alternation(_MULTIPLIERS)
_CLS = _alternation(CLASSIFIER_UNITS)
_SEP = r"—{1,2}|-|~|至|到"

_SINGLE_RE = re.compile(
    rf"(?P<num>{_NUM})(?P<q1>[多余])?(?P<mult>{_MULT})?(?P<q2>[多余])?"
    rf"(?P<cls>{_CLS})?(?:\((?P<alt>{_CLS})\))?"
)
_RANGE_RE = re.compile(
    rf"(?P<a>{_NUM})(?P<amult>{_MULT})?(?P<acls>{_CLS})?(?P<sep>{_SEP})"
    rf"(?P<b>{_NUM})(?P<bmult>{_MULT})?(?P<bcls>{_CLS})?(?:\((?P<alt>{_CLS})\))?"
)
_FRACTION_RE = re.compile(rf"(?P<den>{_NUM})分之(?P<num>{_NUM})")
# Used only to explain a failure: the longest number-like head of the text.
_HEAD_RE = re.compile(rf"{_NUM}(?:[多余])?(?:{_MULT})?(?:[多余])?(?:{_CLS})?")

_PREFIX_WORDS: tuple[str, ...] = tuple(
    sorted([*PREFIX_QUALIFIERS, *FILLER_WORDS, _PER_CAPITA], key=len, reverse=True)
)
_SUFFIX_WORDS: tuple[str, ...] = tuple(sorted([*SUFFIX_QUALIFIERS, *FILLER_WORDS], key=len, reverse=True))
# Dash and tilde variants NFKC leaves alone; quotation marks are dropped.
_TRANSLATE = str.maketrans(
    {"―": "—", "–": "-", "‐": "-", "‑": "-", "−": "-", "〜": "~", "“": None, "”": None, "\"": None}
)
_SPACE_RE = re.compile(r"\s+")


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

    Attributes:
        value: the number the text states (for a range: its lower end); NaN never occurs here.
        low: lower bound — the number for ``at_least`` and ``range``, NaN otherwise.
        high: upper bound — the number for ``at_most``, the upper end for ``range``, NaN otherwise.
        unit: one of :data:`PARSER_UNITS`.
        qualifier: one of :data:`QUALIFIERS`.
        raw: the text as given.

    Two quantities are equal when all fields are equal, NaN counting as equal to NaN.
    """

    value: float
    low: float
    high: float
    unit: str
    qualifier: str
    raw: str

    def _key(self) -> tuple[object, ...]:
        return tuple(
            None if isinstance(x, float) and math.isnan(x) else x
            for x in (self.value, self.low, self.high, self.unit, self.qualifier, self.raw)
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class _Unparsable(Exception):
    """Internal: carries the reason; parse_quantity turns it into a ParseError quoting the text."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACE_RE.sub("", text)


def _number(token: str) -> Decimal:
    """Read one Arabic or Chinese number token as an exact Decimal."""
    if token[0] in "0123456789":
        try:
            return Decimal(token.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the regex admits only valid digits
            raise _Unparsable(f"{token!r} is not a number") from None
    # 百余人 / 万人: a bare leading unit character means one of it.
    numeral = "一" + token if token[0] in "百千万亿" else token
    try:
        number = cn2an.cn2an(numeral, "normal")
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise _Unparsable(f"{token!r} is not a Chinese numeral that cn2an can read ({exc})") from None
    return Decimal(str(number))


def _unit_of(cls: str | None, alt: str | None) -> str:
    if cls is None:
        if alt is not None:  # pragma: no cover - the regex requires cls before (alt)
            raise _Unparsable("a bracketed classifier without a classifier")
        return "number"
    unit = CLASSIFIER_UNITS[cls]
    if alt is not None and CLASSIFIER_UNITS[alt] != unit:
        raise _Unparsable(
            f"the bracketed alternative classifier {alt!r} ({CLASSIFIER_UNITS[alt]}) "
            f"does not match {cls!r} ({unit})"
        )
    return unit


def _strip_words(core: str) -> tuple[str, list[tuple[str, str]], bool]:
    """Take qualifier, filler and 人均 words off both ends; return core, qualifiers, per-capita."""
    found: list[tuple[str, str]] = []
    per_capita = False
    changed = True
    while changed and core:
        changed = False
        for word in _PREFIX_WORDS:
            if core.startswith(word) and len(core) > len(word):
                core = core[len(word) :]
                if word == _PER_CAPITA:
                    per_capita = True
                elif word in PREFIX_QUALIFIERS:
                    found.append((word, PREFIX_QUALIFIERS[word]))
                changed = True
                break
        for word in _SUFFIX_WORDS:
            if core.endswith(word) and len(core) > len(word):
                core = core[: -len(word)]
                if word in SUFFIX_QUALIFIERS:
                    found.append((word, SUFFIX_QUALIFIERS[word]))
                changed = True
                break
    return core, found, per_capita


def _explain(core: str) -> str:
    head = _HEAD_RE.match(core)
    if head is None:
        if _HEAD_RE.search(core) is None:
            return f"no number found in {core!r}"
        return f"unrecognised words before the number in {core!r} (not a qualifier or filler word)"
    rest = core[head.end() :]
    return (
        f"unrecognised text {rest!r} after {head.group(0)!r} "
        "(not a classifier of the unit table, a qualifier or a filler word)"
    )


def _parse(text: str) -> tuple[float, float, float, str, str]:
    if not isinstance(text, str):
        raise _Unparsable(f"expected a str, got {type(text).__name__}")
    core = _normalise(text)
    if not core:
        raise _Unparsable("the text is empty")
    core, found, per_capita = _strip_words(core)
    qualifiers = {q for _, q in found}

    m = _SINGLE_RE.fullmatch(core)
    if m is not None:
        number = _number(m["num"])
        if m["mult"]:
            number *= _MULTIPLIERS[m["mult"]]
        for marker in (m["q1"], m["q2"]):
            if marker:
                found.append((marker, "at_least"))
                qualifiers.add("at_least")
        unit = _unit_of(m["cls"], m["alt"])
        kind = "single"
    elif (m := _FRACTION_RE.fullmatch(core)) is not None:
        den, num = _number(m["den"]), _number(m["num"])
        if den == 0:
            raise _Unparsable("a fraction with denominator 0")
        # 百分之Y is how percentages are spelled out; keep them as percent like 58%.
        if den == 100:
            number, unit = num, "percent"
        else:
            number, unit = num / den, "share"
        kind = "single"
    elif (m := _RANGE_RE.fullmatch(core)) is not None:
        if m["amult"] and not m["bmult"]:
            raise _Unparsable("a multiplier (万/亿) on the lower end of a range only")
        # 2—3万元: a multiplier written once, after the upper end, applies to both ends.
        mult = _MULTIPLIERS[m["bmult"]] if m["bmult"] else Decimal(1)
        amult = _MULTIPLIERS[m["amult"]] if m["amult"] else mult
        low_d, high_d = _number(m["a"]) * amult, _number(m["b"]) * mult
        if m["acls"] is not None and m["bcls"] is None:
            raise _Unparsable("a classifier on the lower end of a range only")
        unit = _unit_of(m["bcls"], m["alt"])
        if m["acls"] is not None and CLASSIFIER_UNITS[m["acls"]] != unit:
            raise _Unparsable(f"the two ends of the range have different units ({m['acls']!r}, {m['bcls']!r})")
        if low_d > high_d:
            raise _Unparsable(f"the range's lower end {low_d} exceeds its upper end {high_d}")
        if found:
            raise _Unparsable(
                f"a range cannot carry the qualifier {''.join(w for w, _ in found)!r}"
            )
        number = low_d
        kind = "range"
    else:
        raise _Unparsable(_explain(core))

    if len(qualifiers) > 1:
        words = ", ".join(f"{w} ({q})" for w, q in found)
        raise _Unparsable(f"conflicting qualifiers: {words}")
    if per_capita:
        if unit != "CNY":
            raise _Unparsable(f"人均 is only understood with 元 (CNY_per_capita), not with unit {unit!r}")
        unit = "CNY_per_capita"

    nan = math.nan
    if kind == "range":
        return float(number), float(low_d), float(high_d), unit, "range"
    value = float(number)
    qualifier = qualifiers.pop() if qualifiers else "exact"
    if qualifier == "at_least":
        return value, value, nan, unit, qualifier
    if qualifier == "at_most":
        return value, nan, value, unit, qualifier
    return value, nan, nan, unit, qualifier


def parse_quantity(text: str) -> Quantity:
    """Parse one quantity as written in a Chinese document.

    Args:
        text: the number exactly as written, e.g. ``"20.52万元"``, ``"近20,000人"``, ``"2—3个"``.

    Returns:
        A :class:`Quantity`; see the module docstring for units, qualifiers and bounds.

    Raises:
        ParseError: the text is empty, not a str, or not of the grammar of the module docstring;
            the message quotes the text, says why and what was expected.

    >>> parse_quantity("20.52万元")
    Quantity(value=205200.0, low=nan, high=nan, unit='CNY', qualifier='exact', raw='20.52万元')
    >>> parse_quantity("70％以上").low
    70.0
    """
    try:
        value, low, high, unit, qualifier = _parse(text)
    except _Unparsable as exc:
        raise ParseError(f"cannot parse quantity {text!r}: {exc}; {_EXPECTED}") from None
    return Quantity(value, low, high, unit, qualifier, text)


def parse_quantities(
    series: pd.Series, errors: Literal["raise", "coerce"] = "raise"
) -> pd.DataFrame:
    """Parse a whole column of quantity texts, fast.

    Coded sheets repeat their forms (``1次``, ``2名`` …), so the column is factorised, each distinct
    text is parsed once, and the results are broadcast back to the rows with ``numpy.take``.

    Args:
        series: texts as written (missing values allowed).
        errors: ``"raise"`` (default) raises :class:`ParseError` at the first bad text, naming its
            row label; ``"coerce"`` sets value/low/high to NaN and unit/qualifier to missing on bad
            or missing rows and adds a column ``error`` with the message (missing where parsed).

    Returns:
        DataFrame with the index of ``series`` and columns ``value, low, high`` (float64),
        ``unit, qualifier, raw`` (str), plus ``error`` (str) in coerce mode. ``raw`` is the text
        as given. The result equals parsing row by row with :func:`parse_quantity`.

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
    error = np.full(n + 1, None, dtype=object)

    for i, text in enumerate(uniques):
        raw[i] = text if isinstance(text, str) else str(text)
        try:
            value[i], low[i], high[i], unit[i], qualifier[i] = _parse(text)
        except _Unparsable as exc:
            error[i] = f"cannot parse quantity {text!r}: {exc}; {_EXPECTED}"
    if (codes < 0).any():
        error[n] = f"missing quantity text; {_EXPECTED}"

    failed = np.flatnonzero(error != None)  # noqa: E711 - elementwise test on an object array
    if errors == "raise" and len(failed):
        # Report the first failing row in the order of the sheet, not of the distinct texts.
        bad_code = np.where(failed == n, -1, failed)
        position = int(np.flatnonzero(np.isin(codes, bad_code))[0])
        code = codes[position]
        label = series.index[position : position + 1].tolist()[0]  # a plain Python scalar for the message
        raise ParseError(f"row {label!r}{where}: {error[code]}")

    out = pd.DataFrame(
        {
            "value": value.take(codes),
            "low": low.take(codes),
            "high": high.take(codes),
            # Build the small per-text str arrays first, then take: far cheaper than
            # converting a million Python objects.
            "unit": pd.array(unit, dtype=_STR).take(codes),
            "qualifier": pd.array(qualifier, dtype=_STR).take(codes),
            "raw": pd.array(raw, dtype=_STR).take(codes),
        },
        index=series.index,
    )
    if errors == "coerce":
        out["error"] = pd.array(error, dtype=_STR).take(codes)
    return out
