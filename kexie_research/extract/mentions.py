"""Find the number mentions of a text: where a quantity is written, and what it reads as.

A document keeps the hard line breaks of its print layout, often inside a number (``51\\n万元``),
so mentions are found in the *flat* text (every ``"\\n"`` removed: the project's matching rule,
:mod:`kexie_research.parse.provenance`) and each one keeps its offset into the original text.

Which text is a quantity is decided by the parser alone (:func:`kexie_research.parse_quantity`),
so the scanner and the coding sheets share one number grammar: each run of digits or Chinese
numerals is extended to the longest text around it that ``parse_quantity`` reads.

The extent of a mention follows the coding sheets' convention for ``raw_text``: qualifier words
written right before the number are kept (``近5000名``, ``不少于三分之一``, ``没有超过10万元``), as
is ``人均`` directly before it (``人均2元``); filler words are not (``仅有3个`` -> ``3个``), nor a
bracketed alternative classifier (``500多条（张）`` -> ``500多条``).

Example::

    >>> [(m.raw, m.start) for m in find_mentions("全市共有30多个科普e站，近5000名志愿者")]
    [('30多个', 4), ('近5000名', 13)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kexie_research.errors import ParseError
from kexie_research.parse.quantities import (
    CLASSIFIER_UNITS,
    PREFIX_QUALIFIERS,
    SUFFIX_QUALIFIERS,
    Quantity,
    parse_quantity,
)

__all__ = ["DATE_RE", "Mention", "date_span", "find_mentions", "flatten"]

_Y = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_MD = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_DATE_FORMS = (
    rf"{_Y}年度?(?:{_MD}月(?:{_MD}[日号])?)?(?:(?:~|～|—{{1,2}}|-|至|到){_Y}?年?(?:{_MD}月(?:{_MD}[日号])?)?)?",
    rf"{_Y}(?:~|～|—{{1,2}}|-|至|到){_Y}年",
    rf"{_MD}月(?:{_MD}[日号])?",
    rf"{_MD}[日号]",
)
#: A date written in full (the mention's extent is widened to it by :func:`date_span`).
DATE_RE = re.compile("|".join(f"(?:{form})" for form in _DATE_FORMS))

# A run of digits (ASCII or full-width, with decimal points and thousands separators) or of
# Chinese numeral characters. Which of them is a quantity is left to parse_quantity.
_ARABIC_RUN = r"[0-9０-９](?:[0-9０-９]|[,，.．](?=[0-9０-９]))*"
_CHINESE_RUN = r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"
_RUN_RE = re.compile(rf"(?P<ar>{_ARABIC_RUN})|(?P<cn>{_CHINESE_RUN})")

# Characters that may follow a number inside one quantity: multipliers, 多/余, classifiers,
# suffix qualifiers, range separators, digits, percent signs, fractions (分之) and spaces (100 万元).
_TAIL_CHARS = set("十百千万亿多余分之点%％~～〜—–-至到 0123456789０１２３４５６７８９.,，．〇零一二两三四五六七八九")
for _word in (*CLASSIFIER_UNITS, *SUFFIX_QUALIFIERS):
    _TAIL_CHARS.update(_word)
_TAIL_CHARS.discard("(")
_MAX_TAIL = 12
# Words written right before a number that belong to its raw_text (qualifiers and 人均).
_PREFIX_WORDS = tuple(sorted([*PREFIX_QUALIFIERS, "人均"], key=len, reverse=True))
_PREFIX_LAST = frozenset(word[-1] for word in _PREFIX_WORDS)
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
    if "年" not in text:
        # 5月30日 / 30日: only with Arabic digits in range, and a day only right after 月.
        month = re.match(r"(\d{1,2})月", text)
        if month and not 1 <= int(month.group(1)) <= 12:
            return None
        day = re.fullmatch(r"(\d{1,2})[日号]", text)
        if day and (start == 0 or flat[start - 1] != "月" or not 1 <= int(day.group(1)) <= 31):
            return None
        if not month and not day:
            return None
        if not text[0].isdigit():
            return None
    return match.end()


@lru_cache(maxsize=65536)
def _parse(text: str) -> Quantity | None:
    try:
        return parse_quantity(text)
    except ParseError:
        return None


def _longest_parse(flat: str, start: int, number_end: int) -> tuple[int, Quantity | None]:
    """The longest extent from ``start`` that parses, trying ends from far to near."""
    limit = number_end
    stop = min(len(flat), number_end + _MAX_TAIL)
    while limit < stop and flat[limit] in _TAIL_CHARS:
        limit += 1
    # A trailing space belongs to the text around the quantity, not to it.
    while limit > number_end and flat[limit - 1] == " ":
        limit -= 1
    for end in range(limit, number_end - 1, -1):
        if end > number_end and flat[end - 1] == " ":
            continue
        quantity = _parse(flat[start:end])
        if quantity is not None:
            return end, quantity
    return number_end, None


def _prefix_start(flat: str, start: int) -> int:
    if start == 0 or flat[start - 1] not in _PREFIX_LAST:
        return start
    for word in _PREFIX_WORDS:
        if flat.startswith(word, start - len(word)):
            return start - len(word)
    return start


def _scan(flat: str) -> list[Mention]:
    mentions: list[Mention] = []
    position = 0
    for match in _RUN_RE.finditer(flat):
        if match.start() < position:
            continue  # inside the previous mention (the upper end of a range, 万 of 3万元 …)
        numeral = "arabic" if match["ar"] else "chinese"
        number_start, number_end = match.span()
        date_end = date_span(flat, number_start)
        if date_end is not None:
            raw = flat[number_start:date_end]
            mentions.append(Mention(number_start, date_end, raw, _parse(raw), numeral, is_date=True))
            position = date_end
            continue
        if numeral == "chinese" and number_start > 0 and flat[number_start - 1] in "第":
            # 第二批: an ordinal; kept as a mention so that it can be flagged, never dropped.
            mentions.append(Mention(number_start, number_end, match.group(), _parse(match.group()), numeral))
            position = number_end
            continue
        if match.group() == "一" and number_start > 0 and flat[number_start - 1] in _ONE_COMPOUNDS:
            continue  # 统一部署, 唯一, 之一: 一 is part of a word
        start = _prefix_start(flat, number_start)
        end, quantity = _longest_parse(flat, start, number_end)
        if quantity is None and start != number_start:
            start = number_start
            end, quantity = _longest_parse(flat, start, number_end)
        if numeral == "chinese" and (quantity is None or quantity.unit == "number"):
            # 统一, 一些, 进一步, 十分: Chinese numeral characters without a classifier, a percent
            # or a fraction are words, not numbers.
            continue
        if quantity is not None and quantity.unit == "number" and end > number_end:
            # A bare number followed by text the parser does not take as a classifier: keep the
            # number alone, so that raw_text is exactly the digits as written.
            end = number_end
            quantity = _parse(flat[start:end])
        mentions.append(Mention(start, end, flat[start:end], quantity, numeral))
        position = end
    return mentions


def find_mentions(flat: str) -> list[Mention]:
    """Every number mention of a flat text (no line breaks), in order of position.

    Parameters
    ----------
    flat
        Text without ``"\\n"`` (see :func:`flatten`).

    Returns
    -------
    list of Mention
        Arabic numbers always; Chinese numerals when they read as a quantity with a classifier,
        a percent or a fraction (``三大``, ``一天``, ``三分之一``), or follow ``第`` (ordinals).

    Examples
    --------
    >>> [m.raw for m in find_mentions("梧州市科协51万元、藤县科协26万元")]
    ['51万元', '26万元']
    >>> find_mentions("由目前的58％提高至70％以上")[1].quantity.low
    70.0
    """
    return _scan(flat)
