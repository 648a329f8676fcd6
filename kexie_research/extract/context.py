"""The context of a mention: its clause (the quote), period cue, status and scope.

All positions are offsets into the flat text (line breaks removed, the project's matching rule).

- **Quote**: the shortest clause (between ``，；：。！？`` …) that carries the number and its
  subject. A clause whose words before the number are too few to name what is counted
  (``分别为1次``) is widened to the preceding clause of the same sentence, until it has one.
- **Period**: the nearest period cue before the number in its sentence (``2020年``,
  ``2017年~2020年``, ``近3年``, ``截至目前``, ``2019年以来``, ``到2021年底``, ``每年`` …) that
  :func:`kexie_research.parse_period` accepts. For a series written ``2017年~2020年 … 分别为1次、
  2次、4次、4次``, each number gets its own year (the coding sheets' convention). A calendar cue
  outranks a vague or recent-day word (近年来, 近日) before it, and a year that names an event
  (``2022年全国科普日活动``) gives way to the days of that year before it (``9月15日至21日，…``).
- **Status**: ``target`` when the nearest status cue before the number in its sentence is a target
  cue (:data:`TARGET_CUES`: 力争, 目标, 计划到, 将, 确保, 提高至 …) or the period is a deadline
  (``到2021年底``); ``achieved`` when it is a cue of the present or the past (:data:`ACHIEVED_CUES`:
  由, 原来, 目前, 已 …) or there is none. A verb of change (:data:`CHANGE_CUES`: 增至, 提高到 …;
  also 争取) is a result when a period that ends by the document's date governs it (``过去一年，…
  增至215家``; undated, a relative one: ``截至目前``, ``2019年以来``) or an achievement word does
  (``已激增至``), unless a goal word before it does (``将…由目前的58％提高至70％``).
- **Scope**: the nearest place (or ``<place>科协``) named before the number in its sentence,
  resolved by the project's place resolver; ``全国`` is national, ``全省``/``我省`` the province
  of the document's place, ``全市``/``我市``/``全县``/``全区`` the document's place; else the
  document's place.

Example::

    >>> flat = "到2021年底，荣昌区科普经费人均将达到5.5元。"
    >>> find_period(flat, flat.index("5.5"))
    (0, '到2021年底')
    >>> status_of(flat, flat.index("5.5"), "到2021年底")
    'target'
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache
from operator import itemgetter
from typing import cast

from kexie_research.errors import ParseError
from kexie_research.parse.numerals import PINYIN_GLOSS
from kexie_research.parse.periods import (
    PERIOD_CUE_RE,
    RECENT_DAY_WORDS,
    RECURRING_WORDS,
    VAGUE_WORDS,
    Period,
    parse_period,
)

__all__ = [
    "ACHIEVED_CUES",
    "CHANGE_CUES",
    "TARGET_CUES",
    "clause_span",
    "set_heading_ends",
    "find_period",
    "goal_before",
    "names_an_event",
    "period_cues",
    "period_or_none",
    "sentence_span",
    "status_cue",
    "status_of",
    "topic_years",
]

_SENTENCE_END = "。！？!?"
_CLOSING = "）)”’」』】"
_CLAUSE_END = "。！？!?；;，,：:"
#: Words before a number that mark it as a goal.
TARGET_CUES: tuple[str, ...] = (
    "力争",
    "目标",
    "计划到",
    "计划在",
    "计划用",
    "计划新",
    "计划投入",
    "计划建",
    "计划完成",
    "将",
    "确保",
    "争取",
    "预计",
    "拟",
    "要达到",
    "要实现",
    "要在",
    "应达到",
    "应为",
    "应主要",
    "应当",
    "应",
    "做到",
    "提高至",
    "提高到",
    "增加到",
    "增加至",
    "增至",
    "扩大到",
    "调整为",
    "计划",
    "预算",
    "要",
    "按人均",
    "按照人均",  # a funding norm (按人均0.3元安排): the coding rules' budget line
)
#: Verbs of change: a goal in a plan (提高到70%), a result when their period has passed (2003年…扩大到159家)
#: or in a report of events (a news item's 基地增至269个).
CHANGE_CUES = frozenset({"提高至", "提高到", "增加到", "增加至", "增至", "扩大到", "调整为"})
_CHANGE_CUES = CHANGE_CUES
# Modals that are cues only before a verb of doing or a number: 要 (主要, 重要, 需要 are not it) and
# 计划 (人才计划, 行动计划 are programmes, not plans).
_MODAL_WORDS = frozenset({"要", "计划", "应"})
#: Words before a number that mark it as the present or past state (the baseline of a change).
ACHIEVED_CUES: tuple[str, ...] = (
    "由",
    "从",
    "原来",
    "原设",
    "原有",
    "目前",
    "现有",
    "已",
    "已经",
    "实现了",
    "截至",
    "已提高到",
    "已提高至",
    "已达到",
    "已增加到",
    "已增至",
    "累计",
    "获得",
    "完成",
    "争取到",
    "为止",
    "决算",
    "达到了",
    "增加了",
    "提高了",
    "执行",
    "实际",
    "实到",
    "实现",
)
_DOING = (
    r"在|于|用|到|达到|实现|建成|建立|建设|新建|完成|培育|培训|举办|开展|组织|新增|投入|安排|发放|"
    r"超过|保持|确保|争取|力争|覆盖|提高|提升|增加|扩大|打造|组建|发展|创建|招募|吸纳"
)
_AMOUNT = r"[\d一二两三四五六七八九十百千万]"  # 应90万元: the modal right before the amount
_MODAL = re.compile(
    rf"(?<![主重需只纲摘概必想还])要(?=(?:{_DOING}|{_AMOUNT}))|计划(?=(?:{_DOING}))"
    rf"|(?<![相反适供响效对回答呼感理])应(?=(?:{_DOING}|{_AMOUNT}))"
)
_STATUS_RE = re.compile(
    "|".join(re.escape(w) for w in sorted({*TARGET_CUES, *ACHIEVED_CUES} - _MODAL_WORDS, key=len, reverse=True))
)
# 将来 (the future, or 将 + 来自) is not the modal 将; 原来 is handled as a whole word.
_NOT_A_CUE = ("将来", "即将", "将其", "预算执行", "预算完成")
# 将完成, 力争完成: an achievement word right after a target cue is part of the target.
_ACHIEVED_WORDS_OF_TARGETS = ("累计", "获得", "完成", "实现", "执行", "实际")
_YEAR_AHEAD = re.compile(r"\d{4}|[〇零一二三四五六七八九]{4}|“?十[一二三四五六七八九]五")

# The period cues of running text: the period grammar's own pattern (one grammar, parse/periods.py).
_CUE_RE = PERIOD_CUE_RE


def sentence_span(flat: str, position: int) -> tuple[int, int]:
    """The sentence around ``position``: from after the previous 。！？ to its own end mark.

    Examples
    --------
    >>> flat = "甲。乙有3个，丙。"
    >>> sentence_span(flat, flat.index("3"))
    (2, 9)
    """
    sentences, _ = _marks(flat)
    index = bisect_left(sentences, position)
    start = sentences[index - 1] + 1 if index > 0 else 0
    while start < position and flat[start] in _CLOSING:
        start += 1  # 。）or 。” ends the previous sentence
    end = sentences[index] + 1 if index < len(sentences) else len(flat)
    return start, end


#: Flat texts whose headings end a sentence without a mark: text -> the last offset of each heading.
_HEADING_ENDS: dict[str, tuple[int, ...]] = {}


def set_heading_ends(flat: str, ends: tuple[int, ...] | None) -> None:
    """Let the headings of a text (a title, ``一、主要成效``) end sentences and clauses although no
    mark ends them (the flat text joins a heading to the sentence below it); ``None`` forgets them.

    Examples
    --------
    >>> flat = "县科协工作总结全县建成3个。"
    >>> set_heading_ends(flat, (6,)); sentence_span(flat, flat.index("3"))
    (7, 14)
    >>> set_heading_ends(flat, None); sentence_span(flat, flat.index("3"))
    (0, 14)
    """
    if ends:
        _HEADING_ENDS[flat] = tuple(sorted(ends))
    else:
        _HEADING_ENDS.pop(flat, None)


def _marks(flat: str) -> tuple[list[int], list[int]]:
    return _marks_with(flat, _HEADING_ENDS.get(flat, ()))


@lru_cache(maxsize=8)
def _marks_with(flat: str, heading_ends: tuple[int, ...]) -> tuple[list[int], list[int]]:
    """Sorted positions of the sentence ends and of the clause ends of a text (once per text)."""
    sentences = [m.start() for m in re.finditer(f"[{_SENTENCE_END}]", flat)]
    clauses = [m.start() for m in re.finditer(f"[{_CLAUSE_END}]", flat)]
    if heading_ends:
        sentences = sorted({*sentences, *heading_ends})
        clauses = sorted({*clauses, *heading_ends})
    return sentences, clauses


def _clause_bounds(flat: str, start: int, end: int) -> tuple[int, int]:
    _, clauses = _marks(flat)
    index = bisect_left(clauses, start)
    left = clauses[index - 1] + 1 if index > 0 else 0
    index = bisect_left(clauses, end - 1)  # a heading may end on the number's last character
    right = clauses[index] if index < len(clauses) else len(flat)
    if right < len(flat) and flat[right] not in _CLAUSE_END:
        right += 1  # a heading's last character ends its clause without a mark: it is part of the clause
    return left, right


def _has_subject(flat: str, left: int, start: int, end: int, right: int) -> bool:
    # Enough words around the number to say what is counted: four CJK characters before it,
    # or a noun right after its classifier (30多名农民, 42家科技型企业).
    before = re.sub(r"[^\u4e00-\u9fff]", "", flat[left:start])
    before = re.sub(r"^(?:分别为|分别是|分别|共计|共有|共|累计|合计|其中|达到|达|有)+", "", before)
    after = re.sub(r"[^\u4e00-\u9fff]", "", flat[end:right])
    return len(before) >= 4 or len(after) >= 2


def clause_span(flat: str, start: int, end: int) -> tuple[int, int]:
    """The shortest clause around ``flat[start:end]`` that also names its subject.

    Clauses end at ``，；：。！？``; an item of an enumeration (between ``、``) is taken when it
    names its subject on its own.

    Examples
    --------
    >>> flat = "2017年~2020年，梧州市委听取工作汇报分别为1次、2次。"
    >>> s, e = clause_span(flat, flat.index("2次"), flat.index("2次") + 2)
    >>> flat[s:e]
    '梧州市委听取工作汇报分别为1次、2次'
    """
    sentence_start, sentence_end = sentence_span(flat, start)
    left, right = _clause_bounds(flat, start, end)
    right = min(right, sentence_end)
    # First the item of an enumeration (梧州市科协51万元、藤县科协26万元), if it names its subject.
    item_left = max(left, flat.rfind("、", left, start) + 1)
    item_right = flat.find("、", end, right)
    item_right = right if item_right < 0 else item_right
    if (item_left, item_right) != (left, right) and _has_subject(flat, item_left, start, end, item_right):
        return item_left, item_right
    _, clauses = _marks(flat)
    while left > sentence_start and not _has_subject(flat, left, start, end, right):
        index = bisect_left(clauses, left - 1)
        left = clauses[index - 1] + 1 if index > 0 else 0
        left = max(left, sentence_start)
    return left, right


@lru_cache(maxsize=4096)
def period_or_none(text: str, reference_date: str | None):  # Period | None: draft.py reads cues known to parse
    """:func:`parse_period`, remembered (a draft reads the same few cues again and again), or ``None``
    for a text that is no period.

    Examples
    --------
    >>> period_or_none("2019年以来", "2021-05-10").start, period_or_none("不是时间", None)
    ('2019-01-01', None)
    """
    try:
        return parse_period(text, reference_date)
    except ParseError:
        return None


def period_cues(flat: str, reference_date: str | None = None) -> list[tuple[int, int, str]]:
    """Every period cue of a flat text that :func:`parse_period` accepts: (start, end, text).

    Examples
    --------
    >>> period_cues("近3年，每年落实500多万元；截至目前共有3个")
    [(0, 3, '近3年'), (4, 6, '每年'), (15, 19, '截至目前')]
    """
    cues = []
    # A heading or a date line ends where the flat text joins it to the next line (…2020-12-10 over
    # 6年来…): each stretch between heading ends is scanned on its own, so no cue crosses a line.
    cuts = [end + 1 for end in _HEADING_ENDS.get(flat, ()) if 0 < end + 1 < len(flat)]
    quoted = any(quote in flat for quote in _OPENING_QUOTES)
    for left, right in zip([0, *cuts], [*cuts, len(flat)]):
        stretch = flat[left:right] if cuts else flat
        for match in _CUE_RE.finditer(stretch):
            text = match.group()
            if period_or_none(text, reference_date) is None:
                continue
            if quoted and _in_quoted_name(flat, match.start() + left) and not _YEAR_AHEAD.search(text):
                continue  # a festival named by a day (“二月二”), not a period; a year (“2020年科技周”) dates it
            if _PLAN_NAME_RE.fullmatch(text) and flat.startswith(_NAMED_BY_PLAN, match.end() + left):
                continue  # “十三五”发展目标, 十四五规划纲要: the plan's name in a noun, not a period
            cues.append((match.start() + left, match.end() + left, text))
    return cues


# A five-year plan written alone (“十三五”), and the nouns it names when it is not a period.
_PLAN_NAME_RE = re.compile(r"“?十[一二三四五六七八九]五”?")
_NAMED_BY_PLAN = ("发展目标", "目标", "规划纲要", "纲要", "规划》", "規劃", "發展目標", "目標", "綱要")
_OPENING_QUOTES = "“「『"
_CLOSING_QUOTES = "”」』"
_NAME_LENGTH = 12


def _in_quoted_name(flat: str, position: int) -> bool:
    """Whether ``position`` is inside a short quoted name (“二月二界首”庙会, “三月三”歌节).

    Examples
    --------
    >>> flat = "借助“二月二界首”庙会，2019年举办3场"
    >>> _in_quoted_name(flat, flat.index("二月")), _in_quoted_name(flat, flat.index("2019"))
    (True, False)
    """
    window = flat[max(0, position - _NAME_LENGTH) : position]
    opening = max(window.rfind(q) for q in _OPENING_QUOTES)
    if opening < 0 or any(q in window[opening:] for q in _CLOSING_QUOTES):
        return False
    closing = min(
        (i for i in (flat.find(q, position, position + _NAME_LENGTH) for q in _CLOSING_QUOTES) if i >= 0), default=-1
    )
    return closing >= 0


def spans_back(spans: list[tuple[int, int, str]], flat: str, position: int) -> Iterator[tuple[int, int, int, str]]:
    """The spans ``(start, end, text)`` (sorted) that end by ``position`` in its sentence, nearest first,
    each with its index in ``spans``: how a number finds the period, place or cue written before it.

    Examples
    --------
    >>> flat = "近3年，每年落实5个。全市6个"
    >>> spans = [(0, 3, "近3年"), (4, 6, "每年"), (11, 13, "全市")]
    >>> [text for _, _, _, text in spans_back(spans, flat, flat.index("5"))]
    ['每年', '近3年']
    >>> [text for _, _, _, text in spans_back(spans, flat, flat.index("6"))]
    ['全市']
    """
    sentence_start, _ = sentence_span(flat, position)
    index = bisect_right(spans, position, key=itemgetter(1)) - 1  # (no list of the ends for each number)
    while index >= 0 and spans[index][0] >= sentence_start:
        start, end, text = spans[index]
        yield index, start, end, text
        index -= 1


# Words a calendar cue of the same sentence outranks (近年来, 近日): the period is the calendar's.
_WEAK_WORDS = frozenset({*VAGUE_WORDS, *RECENT_DAY_WORDS})


def find_period(
    flat: str, position: int, cues: list[tuple[int, int, str]] | None = None, reference_date: str | None = None
) -> tuple[int, str] | None:
    """The nearest period cue ending before ``position`` in its sentence: (start, text), or ``None``.

    Examples
    --------
    >>> flat = "2019年以来，湄潭县科协呈报请示12份"
    >>> find_period(flat, flat.index("12"))
    (0, '2019年以来')
    >>> find_period("共12份。2020年", 1) is None
    True
    """
    if cues is None:
        cues = period_cues(flat, reference_date)
    found = _nearest_period(flat, position, cues)
    if found is not None and names_an_event(flat, found[0], found[1]):
        # 9月15日至21日，在汉中市2022年全国科普日活动期间，…800余场: the year names the event; the
        # days before it in the sentence date the figures
        for _, start, end, text in spans_back(cues, flat, found[0]):
            if end <= found[0] and _is_day_of_year(text, found[1]) and not _is_baseline(flat, start, end):
                return start, text
    return found


# A year that is part of an event's name (2022年全国科普日活动, 2016年江西省科技周): the words after it up
# to the end of its clause name an event.
_EVENT_NAME_RE = re.compile(
    r"[^，,；;。！？!?：:、]{0,16}?(?:活动|科普日|科技周|活动周|宣传周|大会|会议|仪式|论坛|大赛|竞赛|展览)"
)
_DAY_KINDS = frozenset({"day", "span", "month", "month_part"})


def names_an_event(flat: str, start: int, text: str) -> bool:
    """Whether the year cue ``text`` at ``start`` names an event (2022年全国科普日活动) rather than
    dating the clause (2022年，全市…).

    Examples
    --------
    >>> flat = "9月15日，汉中市2022年全国科普日活动举行"
    >>> names_an_event(flat, flat.index("2022"), "2022年"), names_an_event("2022年，全市举办", 0, "2022年")
    (True, False)
    """
    period = period_or_none(text, None)
    if period is None or period.kind != "year":
        return False
    return _EVENT_NAME_RE.match(flat, start + len(text)) is not None


def _is_day_of_year(text: str, year_text: str) -> bool:
    """Whether the cue ``text`` is a day, a month or days (9月15日至21日) of the year ``year_text``
    (a day without its year is taken to be of it)."""
    year = period_or_none(year_text, None)
    period = period_or_none(text, f"{(year.start or '2000')[:4]}-12-31" if year is not None else None)
    return (
        year is not None
        and period is not None
        and period.kind in _DAY_KINDS
        and bool(period.start)
        and (period.start or "")[:4] == (year.start or "")[:4]
    )


def _nearest_period(flat: str, position: int, cues: list[tuple[int, int, str]]) -> tuple[int, str] | None:
    """The nearest period cue of :func:`find_period`, before the event-name rule."""
    found = None
    for _, start, end, text in spans_back(cues, flat, position):
        if end > position:
            continue
        if _is_baseline(flat, start, end) and not _is_base_value(flat, start, end, position):
            continue  # 较2020年增长7.87%, 2018年比2017年: the year compared against is not the period
            # (较2015年的6.20%: the number of the base year itself is of that year)
        if found is None:
            found = (start, text)
            if text not in RECURRING_WORDS and text not in _WEAK_WORDS:
                break
        elif found[1] in _WEAK_WORDS:
            if text not in _WEAK_WORDS and text not in RECURRING_WORDS:
                return start, text  # 2020年…近年来…: the calendar year, not the vague word after it
        elif text not in RECURRING_WORDS:
            # 近3年，每年落实500多万元: the span the yearly figure holds for (coding sheets' convention).
            return start, text
    return found


_NAMED_YEAR_RE = re.compile(r"((?:19|20)\d\d)(?=\s*年)")
# Cues whose year is not the time of what the text reports: the start of a stretch (自2012年…至今),
# a deadline (到2035年) and a year-end stock (2012年年底已达…: the state at a date, cited).
_NOT_TOPIC_KINDS = frozenset({"since", "target", "year_end"})


def topic_years(
    flat: str,
    cues: list[tuple[int, int, str]],
    reference_date: str | None = None,
    skip: tuple[tuple[int, int], ...] = (),
) -> list[str]:
    """The years a text names (``2020年``) as the time of what it reports, in order: not the base of
    a comparison (``较2015年的6.20%``), the start of a stretch (``自2012年启动至今``), a deadline
    (``到2035年``) nor a year inside the spans ``skip`` (date lines: when it was published).

    Examples
    --------
    >>> flat = "2020年比例达到10.56%，较2015年提高4个百分点；自2015年开始保持增长，到2035年达到25%"
    >>> topic_years(flat, period_cues(flat))
    ['2020']
    """
    hidden = [(start, end) for start, end in skip]
    for start, end, text in cues:
        period = period_or_none(text, reference_date)
        if period is not None and (period.kind in _NOT_TOPIC_KINDS or _is_baseline(flat, start, end)):
            hidden.append((start, end))
    hidden.sort()
    starts = [start for start, _ in hidden]
    ends = [end for _, end in hidden]
    reach = _running_max(ends)  # the furthest end of the spans opening at or before each
    years = []
    for match in _NAMED_YEAR_RE.finditer(flat):
        index = bisect_right(starts, match.start()) - 1  # the hidden spans opening before the year
        if index < 0 or reach[index] <= match.start():
            years.append(match.group(1))
    return years


def _running_max(values: list[int]) -> list[int]:
    out, best = [], -1
    for value in values:
        best = max(best, value)
        out.append(best)
    return out


_BASELINE_BEFORE = ("较", "比", "与", "同", "相对")
_BASELINE_AFTER = ("相比", "同期", "比较")


def _is_base_value(flat: str, start: int, end: int, position: int) -> bool:
    """Whether the number at ``position`` is the value of the base year itself (较2015年的6.20%),
    not a change or a multiple against it (是2020年的2.72倍, 较2020年增长7.87%).

    Examples
    --------
    >>> flat = "较2015年的6.20%提高了4.36个百分点"
    >>> _is_base_value(flat, 1, 6, flat.index("6.20"))
    True
    """
    return (
        flat[end:position] in ("", "的")
        and flat[max(0, start - 1) : start] in ("较", "比")
        and re.match(r"[\d.,]+(?:倍|个百分点|個百分點)", flat[position : position + 16]) is None
    )


def _is_baseline(flat: str, start: int, end: int) -> bool:
    """Whether the period cue ``flat[start:end]`` is the base of a comparison (较2020年, 比2017年,
    与2019年相比, 是2020年的2.72倍).

    Examples
    --------
    >>> flat = "2023年筹集1.55亿元，较2020年增长7.87%"
    >>> _is_baseline(flat, flat.index("2020"), flat.index("2020") + 5), _is_baseline(flat, 0, 5)
    (True, False)
    """
    before = flat[max(0, start - 2) : start]
    return (
        before.endswith(_BASELINE_BEFORE)
        or flat.startswith(_BASELINE_AFTER, end)
        or (before.endswith("是") and flat.startswith("的", end))
    )


def status_cue(flat: str, position: int) -> tuple[int, str] | None:
    """The nearest status cue before ``position`` in its sentence: (start, word), or ``None``.

    Examples
    --------
    >>> status_cue("力争建成30个", 4)
    (0, '力争')
    """
    sentence_start, _ = sentence_span(flat, position)
    if _GLOSS_OPENERS.intersection(flat[sentence_start:position]):
        # 年初預(yù)算96萬元: a pinyin gloss left by a script conversion splits the word; the cues are
        # read without the glosses and their positions mapped back
        read, positions = _unglossed(flat, sentence_start, position)
        if len(read) < position - sentence_start:
            found = _status_cue_in(read + flat[position : position + _AFTER_NUMBER], 0, len(read), whole=False)
            return None if found is None else (positions[found[0]], found[1])
    return _status_cue_in(flat, sentence_start, position)


_GLOSS_OPENERS = frozenset("(（")
_GLOSS_RE = re.compile(PINYIN_GLOSS)
_AFTER_NUMBER = 24  # the text after the number a cue's look-ahead may read (计算应90万元)


def _unglossed(flat: str, start: int, end: int) -> tuple[str, list[int]]:
    """``flat[start:end]`` without its pinyin glosses, and the position in ``flat`` of each character kept.

    Examples
    --------
    >>> _unglossed("年初預(yù)算96", 0, 8)
    ('年初預算', [0, 1, 2, 7])
    """
    pieces: list[str] = []
    positions: list[int] = []
    at = start
    for gloss in _GLOSS_RE.finditer(flat, start, end):
        pieces.append(flat[at : gloss.start()])
        positions.extend(range(at, gloss.start()))
        at = gloss.end()
    pieces.append(flat[at:end])
    positions.extend(range(at, end))
    return "".join(pieces), positions


def _status_cue_in(flat: str, sentence_start: int, position: int, whole: bool = True) -> tuple[int, str] | None:
    """The nearest status cue of ``flat[sentence_start:position]`` (see :func:`status_cue`); ``whole``
    is False for a piece of a text (its modals are not remembered in place of the document's)."""
    last = None
    for match in _cue_matches(flat, sentence_start, position, whole):
        word = match.group()
        context = flat[max(0, match.start() - 2) : match.end() + 2]
        if any(blocked in context for blocked in _NOT_A_CUE if blocked != word):
            continue
        if word == "将" and flat.startswith("来", match.end()):
            continue
        if word == "争取到" and _YEAR_AHEAD.match(flat, match.end()):
            word = "争取"  # 争取到2025年: a goal; 争取到8万元: obtained
        if word == "争取" and any(mark in flat[match.end() : position] for mark in "，,；;"):
            continue  # 积极争取科普经费逐年增长，…: striving, not the goal of a later clause's number
        if (
            word == "目标"
            and not flat.startswith(("是", "为", "：", ":", "任务", "值", "到", "要"), match.end())
            and any(mark in flat[match.end() : position] for mark in "，,；;")
        ):
            continue  # 超过了发展目标预测区间，有16个省份…: the goal named in another clause, not this number's
        if (
            word in _ACHIEVED_WORDS_OF_TARGETS
            and last is not None
            and last[1] in TARGET_CUES
            and flat[last[0] : match.end()] not in _NOT_A_CUE
            and re.fullmatch(r"[\u4e00-\u9fff]{0,2}", flat[last[0] + len(last[1]) : match.start()])
        ):
            continue  # 将完成 / 力争完成 / 计划累计
        last = (match.start(), word)
    return last


def _cue_matches(flat: str, start: int, end: int, whole: bool = True) -> list[re.Match[str]]:
    """The status words of ``flat[start:end]`` in order: the cue words and the modal 要 before a verb."""
    found = list(_STATUS_RE.finditer(flat, start, end))
    modals = _modals(flat) if whole else _modals.__wrapped__(flat)
    if modals:
        # (found once per text, so the look-ahead sees the number itself: 计算应90万元)
        index = bisect_left(modals[0], start)
        added = []
        while index < len(modals[0]) and modals[0][index] < end:
            m = modals[1][index]
            if not any(c.start() <= m.start() < c.end() for c in found):
                added.append(m)
            index += 1
        if added:
            found = sorted(found + added, key=lambda m: m.start())
    return found


@lru_cache(maxsize=8)
def _modals(flat: str) -> tuple[list[int], list[re.Match[str]]] | None:
    """The modals of a text (要建成, 应90万元, 计划培训): their starts and matches, or None."""
    matches = list(_MODAL.finditer(flat))
    return ([m.start() for m in matches], matches) if matches else None


_UNSET: object = object()
# Verbs that state a result when their time is past (增至, 提高到; 争取 + what was obtained): a goal
# only when a modal or a time ahead says so.
_RESULT_VERBS = frozenset({*_CHANGE_CUES, "争取"})
# The date a relative period is read against when the document has none: a period that ends by
# it (过去一年, 截至目前, 2019年以来, 5年来) ends by any date, it lies in the past.
_PROBE_DATE = "2099-06-30"
_NUMBER_BETWEEN = re.compile(r"[\d０-９]")


def _ends_by_date(period_text: str | None, reference_date: str | None) -> bool:
    """Whether the period ends by the document's date (undated: a relative period that ends by any
    date, as 过去一年, 目前 and 2019年以来 do): what a verb of change did in it is done.

    Examples
    --------
    >>> _ends_by_date("过去一年", None), _ends_by_date("今年", None), _ends_by_date("截至目前", "2021-05-10")
    (True, False, True)
    >>> _ends_by_date("2024年以来", None), _ends_by_date("2020年", None), _ends_by_date("2020年", "2021-05-10")
    (True, False, True)
    """
    if not period_text:
        return False
    if reference_date:
        period = period_or_none(period_text, reference_date)
        return period is not None and period.end is not None and not period.is_target and period.end <= reference_date
    alone = period_or_none(period_text, None)
    if alone is None or alone.resolved:
        return False  # a calendar date of an undated text (2020年): past or not is unknown
    period = period_or_none(period_text, _PROBE_DATE)
    return period is not None and period.end is not None and not period.is_target and period.end <= _PROBE_DATE


def goal_before(flat: str, cue: tuple[int, str]) -> bool:
    """Whether a goal word (将, 力争, 预计 …) before the verb of change ``cue`` in its sentence governs
    it (预计全市基地将增至300个; 将比例由目前的58％提高至70％, across the baseline).

    Examples
    --------
    >>> flat = "预计全市科普基地将增至300个"
    >>> goal_before(flat, (flat.index("增至"), "增至")), goal_before("基地增至300个", (2, "增至"))
    (True, False)
    >>> flat = "将比例由目前的58％提高至70％"
    >>> goal_before(flat, (flat.index("提高至"), "提高至"))
    True
    """
    prior = status_cue(flat, cue[0])
    while prior is not None:
        if prior[1] in TARGET_CUES and prior[1] not in _CHANGE_CUES:
            return True
        prior = status_cue(flat, prior[0])
    return False


def _governs(flat: str, period_text: str, cue: tuple[int, str]) -> bool:
    """Whether the period ``period_text`` governs the verb ``cue``: written before it in its sentence
    with no number between them, or carried from outside the sentence (由目前的58％提高至70％: 目前
    dates the baseline 58％, not the change).

    Examples
    --------
    >>> flat = "比例由目前的58％提高至70％"
    >>> _governs(flat, "目前", (flat.index("提高至"), "提高至")), _governs("目前基地增至9个", "目前", (4, "增至"))
    (False, True)
    >>> flat = "2024年以来，签署6项协议；争取学会等5家"
    >>> _governs(flat, "2024年以来", (flat.index("争取"), "争取"))
    True
    """
    sentence_start, _ = sentence_span(flat, cue[0])
    at = flat.rfind(period_text, sentence_start, cue[0])
    if at < 0:
        return True
    # (a number of an earlier clause, 2024年以来，…签署6项协议；争取…5家, is no baseline of this verb)
    clause_start = max(flat.rfind(mark, at, cue[0]) for mark in "，,；;：:")
    return _NUMBER_BETWEEN.search(flat, max(at + len(period_text), clause_start + 1), cue[0]) is None


def _done_before(flat: str, cue: tuple[int, str]) -> bool:
    """Whether an achievement word (已, 截至, 目前 …) governs the verb of change ``cue``: the nearest
    status word before it in its sentence, with no number between them (截至目前，基地增至269个;
    已激增至409座; not 由目前的58％提高至70％, where 目前 dates the baseline 58％).

    Examples
    --------
    >>> flat = "截至目前，全省基地增至269个"
    >>> _done_before(flat, (flat.index("增至"), "增至"))
    True
    >>> flat = "比例由目前的58％提高至70％"
    >>> _done_before(flat, (flat.index("提高至"), "提高至"))
    False
    """
    prior = status_cue(flat, cue[0])
    return (
        prior is not None
        and prior[1] in ACHIEVED_CUES
        and prior[1] not in _CHANGE_CUES
        and _NUMBER_BETWEEN.search(flat, prior[0], cue[0]) is None
    )


def _is_ahead(period: Period, reference_date: str | None) -> bool:
    """Whether a period ends in a later month than the document's date (a deadline still ahead)."""
    return bool(reference_date and period.end and period.end[:7] > reference_date[:7])


def status_of(
    flat: str, position: int, period_text: str | None = None, reference_date: str | None = None, cue: object = _UNSET
) -> str:
    """``target`` or ``achieved`` for the number at ``position`` (see the module docstring).

    Examples
    --------
    >>> flat = "比例由目前的58％提高至70％以上"
    >>> status_of(flat, flat.index("58")), status_of(flat, flat.index("70"))
    ('achieved', 'target')
    """
    if cue is _UNSET:  # the caller may pass the cue it has already found
        cue = status_cue(flat, position)
    cue = cast("tuple[int, str] | None", cue)
    if (
        cue is not None
        and cue[1] in _RESULT_VERBS
        and (
            (_ends_by_date(period_text, reference_date) and _governs(flat, period_text or "", cue))
            or _done_before(flat, cue)
        )
    ):
        return "achieved"  # 过去一年…增至215家, 截至目前…增至269个, 已激增至409座: a result, not a goal
    if period_text:
        period = period_or_none(period_text, reference_date)
        if period is not None:
            if (
                reference_date
                and period.end
                and period.end < reference_date
                and (period.is_target or cue is None or cue[1] in _CHANGE_CUES)
            ):
                return (
                    "achieved"  # a deadline (or a change) already passed when the document was written: what was done
                )
            if period.is_target and not (
                cue is not None and cue[1] in ACHIEVED_CUES and not _is_ahead(period, reference_date)
            ):
                return "target"  # (至2023年5月…已实施…累计: the state at that date, not a deadline)
            if (
                reference_date
                and period.start
                and period.start > reference_date
                and (cue is None or cue[1] not in ACHIEVED_CUES)
            ):
                return "target"  # 2025年建成…, written in 2021
    return "target" if cue is not None and cue[1] in TARGET_CUES else "achieved"
