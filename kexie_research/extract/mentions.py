"""Find the number mentions of a text: where a quantity is written, and what it reads as.

A document keeps the hard line breaks of its print layout, often inside a number (``51\\n万元``),
so mentions are found in the *flat* text (every ``"\\n"`` removed: the project's matching rule,
:mod:`kexie_research.parse.provenance`) and each one keeps its offset into the original text.

The number grammar is the parser's: :func:`kexie_research.parse.quantities.find_quantities`
proposes the mentions (with their qualifier words and ``人均``, as coding sheets write ``raw_text``:
``近5000名``, ``不少于三分之一``, ``没有超过10万元``, ``人均2元``; without fillers or a bracketed
alternative classifier: ``仅有3个`` -> ``3个``, ``500多条（张）`` -> ``500多条``). This module adds
what a draft needs on top: a date written in full (``2020年7月28日``) is one mention, 一 that
is part of a word (``统一部署``) is none, and a multiple written as doublings (``翻了一番`` = 2,
``翻两番`` = 4, unit ``number``: the coders' multiples) is one.

Example::

    >>> [(m.raw, m.start) for m in find_mentions("全市共有30多个科普e站，近5000名志愿者")]
    [('30多个', 4), ('近5000名', 13)]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from kexie_research.errors import ParseError
from kexie_research.parse.numerals import MONTH_DAY, SEPARATOR, SPACE, YEAR
from kexie_research.parse.quantities import Quantity, find_quantities, parse_quantity

__all__ = ["DATE_RE", "Mention", "date_span", "find_mentions", "flatten"]

_Y = rf"(?:{YEAR})"
_MD = rf"(?:{MONTH_DAY})"
_S = rf"{SPACE}*"  # spaces a web layout leaves inside a date (10 月 18 日)
_SEP = rf"(?:{SEPARATOR})"
_DATE_FORMS = (
    rf"{_Y}{_S}年度?(?:{_S}{_MD}{_S}月(?:{_S}{_MD}{_S}[日号])?)?(?:{_SEP}{_Y}?年?(?:{_MD}月(?:{_MD}[日号])?)?)?",
    rf"{_Y}{_SEP}{_Y}年?(?!\d)",
    rf"{_MD}{_S}月(?:{_S}{_MD}{_S}[日号])?",
    rf"{_MD}{_S}[日号]",
)
#: A date written in full (the mention's extent is widened to it by :func:`date_span`).
DATE_RE = re.compile("|".join(f"(?:{form})" for form in _DATE_FORMS))

_DIGIT = re.compile(r"[0-9０-９]")
# 翻了一番 (doubled), 翻两番 (four times): a multiple written as a number of doublings, 2 ** n.
_DOUBLINGS_RE = re.compile(r"(将近|接近|近|约)?翻了?([一两二三四五1-5])番")
_DOUBLINGS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_LAYOUT_SPACES = " \t\u3000\xa0"
# Characters that form a word with a following 一 (统一, 唯一, 同一, 之一, 万一, 逐一 …).
_ONE_COMPOUNDS = frozenset("统唯同单专之划整万逐不如合归")


@dataclass(frozen=True)
class Mention:
    """One number mention in a flat text.

    Attributes:
        start, end: character span in the flat text (``text.replace("\\n", "")``).
        raw: the flat text of the mention (``flat[start:end]``).
        quantity: the parse, or ``None`` when the text is number-like but not a quantity.
        numeral: ``"arabic"`` or ``"chinese"``: how the number itself is written.
        is_date: the mention is a date written in full (``2020年7月28日``).

    Examples
    --------
    >>> mention = find_mentions("藤县科协26万元")[0]
    >>> mention.start, mention.end, mention.raw, mention.quantity.value
    (4, 8, '26万元', 260000.0)
    """

    start: int
    end: int
    raw: str
    quantity: Quantity | None
    numeral: str
    is_date: bool = False


def flatten(text: str) -> tuple[str, list[int]]:
    """The flat text and, for each of its characters, its offset in ``text``.

    Examples
    --------
    >>> flatten("51\\n万元")
    ('51万元', [0, 1, 3, 4])
    """
    positions = [i for i, char in enumerate(text) if char != "\n"]
    return text.replace("\n", ""), positions


def date_span(flat: str, start: int) -> int | None:
    """End of a date written from ``start`` (``2020年7月28日``), or ``None``.

    A four-digit number before 年 is a year; a month must be 1–12 and a day 1–31.

    Examples
    --------
    >>> flat = "2020年7月28日，试点"
    >>> flat[: date_span(flat, 0)]
    '2020年7月28日'
    >>> date_span("3个月", 0) is None
    True
    """
    match = DATE_RE.match(flat, start)
    if match is None:
        return None
    text = match.group()
    if "年" not in text and re.fullmatch(r"(?:19|20)\d\d\D{1,2}(?:19|20)\d\d", text):
        return match.end()  # 2006—2010: a span of years written without 年
    if "年" not in text:
        # 5月30日 / 30日: only with Arabic digits in range, and a day only right after 月.
        month = re.match(r"(\d{1,2})\s*月", text)
        if month and not 1 <= int(month.group(1)) <= 12:
            return None
        day = re.fullmatch(r"(\d{1,2})\s*[日号]", text)
        if day and (not flat[:start].rstrip(_LAYOUT_SPACES).endswith("月") or not 1 <= int(day.group(1)) <= 31):
            return None
        if not month and not day:
            return None
        if not text[0].isdigit():
            return None
    return match.end()


def find_mentions(flat: str) -> list[Mention]:
    """Every number mention of a flat text (no line breaks), in order of position.

    Parameters
    ----------
    flat
        Text without ``"\\n"`` (see :func:`flatten`).

    Returns
    -------
    list of Mention
        The mentions of :func:`~kexie_research.parse.quantities.find_quantities` (their spans do
        not overlap), dates merged into one mention each.

    Examples
    --------
    >>> [m.raw for m in find_mentions("梧州市科协51万元、藤县科协26万元")]
    ['51万元', '26万元']
    >>> find_mentions("由目前的58％提高至70％以上")[1].quantity.low
    70.0
    >>> [(m.raw, m.is_date) for m in find_mentions("2020年7月28日，统一部署")]
    [('2020年7月28日', True)]
    >>> [m.raw for m in find_mentions("为全市唯一一家")]
    ['一家']
    >>> [(m.raw, m.quantity.value) for m in find_mentions("会员人数较上年翻了一番")]
    [('翻了一番', 2.0)]
    """
    mentions: list[Mention] = []
    covered = 0
    for found in find_quantities(flat):
        if found.start < covered:
            continue  # inside a date merged from several mentions (2020年 7月 28日)
        numeral = "arabic" if _DIGIT.search(found.text) else "chinese"
        body = flat[found.number_start : found.end]
        if body.startswith("一") and found.number_start > 0 and flat[found.number_start - 1] in _ONE_COMPOUNDS:
            if body.startswith("一一") and found.end - found.number_start > 2:
                # 唯一一家, 之一一项: the first 一 ends the word, the second counts
                rest = flat[found.number_start + 1 : found.end]
                quantity = _read(rest)
                if quantity is not None:
                    mentions.append(Mention(found.number_start + 1, found.end, rest, quantity, numeral))
                    covered = found.end
            continue  # 统一部署, 唯一, 之一: 一 is part of a word
        date_end = date_span(flat, found.number_start)
        if date_end is not None and date_end >= found.end:
            raw = flat[found.number_start : date_end]
            mentions.append(Mention(found.number_start, date_end, raw, _read(raw), numeral, is_date=True))
            covered = date_end
            continue
        mentions.append(Mention(found.start, found.end, found.text, found.quantity, numeral))
        covered = found.end
    if "番" in flat:
        mentions = _with_doublings(flat, mentions)
    return mentions


def _with_doublings(flat: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions and each multiple written as doublings (翻了一番 = 2 times) that none overlaps."""
    extra = []
    for match in _DOUBLINGS_RE.finditer(flat):
        start, end = match.span()
        if any(m.start < end and start < m.end for m in mentions):
            continue
        value = float(2 ** _DOUBLINGS[match.group(2)])
        qualifier = "approx" if match.group(1) else "exact"
        quantity = Quantity(value, math.nan, math.nan, "number", qualifier, match.group(), "番", "")
        numeral = "arabic" if match.group(2).isdigit() else "chinese"
        extra.append(Mention(start, end, match.group(), quantity, numeral))
    return sorted([*mentions, *extra], key=lambda m: m.start) if extra else mentions


def _read(text: str) -> Quantity | None:
    try:
        return parse_quantity(text)
    except ParseError:
        return None
