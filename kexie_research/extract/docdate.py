"""The date of a document read from its text, when neither the manifest nor an option gives it.

Two places a reader looks: a **date line** near the top or the bottom (``发布时间：2020-05-16``,
``2020年5月16日``, a closing ``XX县科协 2020年5月16日``), else the **event date** of the first
sentence that gives a full date (``2018年9月16日上午，县科协…``). The draft's ``date_from`` says
where the date came from (``manifest``, ``option``, ``text`` or ``none``).

Example::

    >>> document_date("宜昌市科协召开会议\\n发布时间：2021-03-05 10:12\\n会议……")
    '2021-03-05'
    >>> document_date("标题\\n2018年9月16日上午，县科协举办科普日活动。")
    '2018-09-16'
    >>> document_date("没有日期的文字。") is None
    True
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["DATE_SOURCES", "dated", "document_date", "is_date_line", "is_plan"]

#: Where a document's date was found (the draft's ``date_from``).
DATE_SOURCES: tuple[str, ...] = ("manifest", "option", "text", "none")
_DIGITS = str.maketrans("０１２３４５６７８９〇零一二三四五六七八九", "01234567890" + "0123456789")
_FULL_DATE = re.compile(r"((?:19|20)\d\d)\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})(?!\d)\s*[日号]?")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d|[〇零][一二三四五六七八九〇零]")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
_DATE_LINE_LENGTH = 60
# The title names a plan, not a report of events: its sentences are not dated by the document.
_PLAN_WORDS = ("规划", "计划", "方案", "纲要", "意见", "办法", "要点", "通知", "条例", "实施细则", "预算")


def _valid(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _first_date(text: str) -> str | None:
    for match in _FULL_DATE.finditer(text.translate(_DIGITS)):
        found = _valid(*match.groups())
        if found:
            return found
    return None


def document_date(text: str) -> str | None:
    """The document's date ``YYYY-MM-DD`` read from its text, or ``None`` (see the module docstring).

    Examples
    --------
    >>> document_date("……全文完。\\n梧州市科协\\n2020年5月6日")
    '2020-05-06'
    """
    return dated(text)[0]


def dated(text: str) -> tuple[str | None, str]:
    """The document's date and where it was read: ``line`` (a date line) or ``event`` (the first
    dated sentence); ``(None, "")`` when the text gives none.

    Examples
    --------
    >>> dated("标题\\n2018年9月16日上午，县科协举办科普日活动。")
    ('2018-09-16', 'event')
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in (*lines[:6], *lines[-4:]):
        if is_date_line(line) and (found := _first_date(line)):
            return found, "line"
    body = "".join(lines[1:] if len(lines) > 1 else lines)
    for sentence in _SENTENCE.findall(body[:3000]):
        if found := _first_date(sentence):
            return found, "event"
    return None, ""


def is_date_line(line: str) -> bool:
    """Whether a line is a date line (``2021-09-11 09:40``, ``发布时间：2020年5月6日``) rather than a title.

    Examples
    --------
    >>> is_date_line("发布时间：2021-09-11 09:40"), is_date_line("宜昌市科协召开会议")
    (True, False)
    """
    stripped = line.strip()
    if len(stripped) > _DATE_LINE_LENGTH or not _YEAR_DIGITS.search(stripped):
        return False
    return _first_date(stripped) is not None and len(
        re.sub(r"[\d\s:：\-/.年月日号时分秒]|发布|时间|日期|来源|作者|浏览|次数|字体|[（）()\[\]【】]", "", stripped)) <= 12


def is_plan(text: str) -> bool:
    """Whether the document's title names a plan (规划, 方案, 预算 …) rather than a report of events.

    Examples
    --------
    >>> is_plan("柳州市科协系统深化改革实施方案\\n……"), is_plan("县科协2020年工作总结\\n……")
    (True, False)
    """
    lines = [line.strip() for line in text.split("\n", 8)[:8] if line.strip() and not is_date_line(line)]
    first = lines[0] if lines else ""
    if len(lines) > 1 and first.count("《") > first.count("》"):
        first += lines[1]  # a title wrapped over two lines (…关于印发《柳州市 / 科协系统…方案》的通知)
    return any(word in first[:80] for word in _PLAN_WORDS)
