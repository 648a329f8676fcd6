"""What kind of number a mention is: a fact to code, or why not.

The coding sheets code quantitative facts only (``data/raw/indicators/README.md``, "What is not
coded"). A candidate row is never dropped for not being a fact; its ``kind`` says why it is not:

=================== =========================================================================
kind                recognised by
=================== =========================================================================
``date``            a calendar expression: ``2020年7月28日``, ``2017年~2020年``, ``5月30日``,
                    ``2021年1月``; a relative span ``近3年`` (a period, not a count of years)
``document_number`` the number of an official document: ``〔2017〕6号`` (both numbers),
                    also with ``[ ]``, ``［ ］`` or ``（ ）`` around the year
``ordinal``         ``第`` before it (``第二批``), ``N届``, a list marker at the start of a line
                    or clause (``1．指导思想``, ``（3）``), the number of a table or section at the
                    start of its title (``17-4 科协基本情况``, ``表3.2``)
``name``            part of a name: inside a short quoted phrase (``“3+1+N”``, ``“四个全面”``),
                    joined by ``+``, glued to Latin letters (``H5``, ``CDTV-2``), a numbered line
                    or number (``1号线``, ``1、2、3、4号线``), a five-year plan (``十四五``), a
                    congress (``十八大``, ``九大代表``, ``三中全会``)
``header``          in the header row of a table (``计划经费(万元)``): set by the draft
                    (:mod:`kexie_research.extract.tables`), which also flags a table's row numbers as ``ordinal``
``fact``            anything else
=================== =========================================================================

Example::

    >>> from kexie_research.extract.mentions import find_mentions
    >>> flat = "2021年，全市建成“3+1”模式科协30个"
    >>> [(m.raw, classify(flat, m)) for m in find_mentions(flat)]
    [('2021年', 'date'), ('3', 'name'), ('1', 'name'), ('30个', 'fact')]
"""

from __future__ import annotations

import re

from kexie_research.extract.mentions import Mention

__all__ = ["KINDS", "classify"]

#: The kinds of a candidate row, ``fact`` first.
KINDS: tuple[str, ...] = ("fact", "date", "ordinal", "name", "document_number", "header")

_DOCUMENT_NUMBER_RE = re.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*(?:第\s*)?\d+\s*号")
_PLAN_RE = re.compile(r"十[一二三四五六七八九]五")
_CONGRESS_AFTER = ("代表", "精神", "以来", "报告", "召开", "胜利")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_NUMERIC_DATE_RE = re.compile(
    r"(?:19|20)\d\d[-/.]\d{1,2}(?:[-/.]\d{1,2})?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?|(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)"
)
_SECTION_NUMBER_RE = re.compile(r"\d{1,3}(?:[-－.．]\d{1,3})+")
_CLAUSE_START = "。；;！？!?：:，,、（(\u3000 "


def _quoted(flat: str, mention: Mention) -> bool:
    """Inside a short quoted phrase (at most 10 characters between “ ” or ‘ ’), not all of it."""
    for left, right in (("“", "”"), ("‘", "’")):
        opening = flat.rfind(left, max(0, mention.start - 10), mention.start)
        if opening < 0 or right in flat[opening : mention.start]:
            continue
        closing = flat.find(right, mention.end, mention.end + 10)
        if closing >= 0 and closing - opening <= 11 and left not in flat[mention.end : closing]:
            return (opening + 1, closing) != (mention.start, mention.end)
    return False


def classify(flat: str, mention: Mention, line_starts: frozenset[int] = frozenset()) -> str:
    """The kind of a mention (see the module docstring).

    Parameters
    ----------
    flat
        The flat text the mention was found in.
    mention
        The mention.
    line_starts
        Flat offsets at which a line of the original text starts (list markers sit there).

    Returns
    -------
    str
        One of :data:`KINDS`.

    Examples
    --------
    >>> from kexie_research.extract.mentions import find_mentions
    >>> flat = "印发〔2017〕6号文件，第二批试点12个"
    >>> [(m.raw, classify(flat, m)) for m in find_mentions(flat)]
    [('2017', 'document_number'), ('6', 'document_number'), ('二批', 'ordinal'), ('12个', 'fact')]
    """
    start, end, raw = mention.start, mention.end, mention.raw
    before = flat[max(0, start - 12) : start]
    after = flat[end : end + 12]
    quantity = mention.quantity
    unit = quantity.unit if quantity is not None else None

    for match in _DOCUMENT_NUMBER_RE.finditer(flat, max(0, start - 12), min(len(flat), end + 12)):
        if match.start() <= start and end <= match.end():
            return "document_number"
    if mention.is_date:
        return "date"
    if ("-" in flat[start - 8 : end + 8] or ":" in flat[start - 3 : end + 6]) and any(
        match.start() <= start and end <= match.end()
        for match in _NUMERIC_DATE_RE.finditer(flat, max(0, start - 17), min(len(flat), end + 17))
    ):
        return "date"  # 2021-09-11 09:40: a date or a time of day written in figures (a web page's date line)
    if raw.isdigit() and re.match(r"\s+月\s*\d{1,2}\s*[日号]|\s*月\s+\d{1,2}\s*[日号]", after):
        return "date"  # 10 月 18 日: a date written with spaces (web text)
    if unit == "day" and re.search(r"月\s*$", before) and re.search(r"\s", raw + before[-1:]):
        return "date"  # 18 日 of 10 月 18 日
    if unit == "year" and raw.startswith(("近", "最近", "过去")):
        return "date"  # 近3年: a relative period
    if (
        before.endswith("第")
        or raw.endswith("届")
        or after.startswith(("届", "中全会"))
        or (raw.endswith("次") and before.endswith("届") and after.startswith(("会议", "全会", "全体会议", "代表大会")))
    ):  # 三届二次会议: the second meeting of a term
        return "ordinal"
    if unit == "year" and "几" in raw and (before.endswith(("前", "近")) or after.startswith("前")):
        return "date"  # 前几年, 几年前: a vague period
    if (start in line_starts or (start > 0 and flat[start - 1] in "（(" and after[:1] in "）)")) and (
        after[:1] in "．.、)）" and (unit in (None, "number"))
    ):
        return "ordinal"
    if (
        (start in line_starts or before.endswith("表"))
        and _SECTION_NUMBER_RE.fullmatch(raw.strip())
        and re.match(r"\s*[^\d\s万亿千百元个人名家次项%％倍]", after)
    ):
        return "ordinal"  # 17-4 科协基本情况, 表3.2: the number of a table or section, not a range or a decimal
    if _LATIN.search(flat[start - 1 : start] + flat[end : end + 1]) or (
        before.endswith("-") and _LATIN.search(before[-2:-1])
    ):
        return "name"
    if before.endswith("+") or after.startswith("+"):
        return "name"
    if re.match(r"(?:、\d+)*[~～-]?\d*号(?!召开)", after) and unit in (None, "number"):
        return "name"
    if _PLAN_RE.search(flat[max(0, start - 1) : end + 1]):
        return "name"
    if raw.endswith("大") and (
        after.startswith(_CONGRESS_AFTER)
        or before.endswith(("党的", "科协", "党"))
        or (quantity and quantity.value >= 7)
    ):
        return "name"
    if _quoted(flat, mention):
        return "name"  # “四个全面”, “两个一百年”, “双百人才工程”
    return "fact"
