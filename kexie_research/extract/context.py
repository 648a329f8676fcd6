"""The context of a mention: its clause (the quote), period cue, status and scope.

All positions are offsets into the flat text (line breaks removed, the project's matching rule).

- **Quote**: the shortest clause (between ``，；：。！？`` …) that carries the number and its
  subject. A clause whose words before the number are too few to name what is counted
  (``分别为1次``) is widened to the preceding clause of the same sentence, until it has one.
- **Period**: the nearest period cue before the number in its sentence (``2020年``,
  ``2017年~2020年``, ``近3年``, ``截至目前``, ``2019年以来``, ``到2021年底``, ``每年`` …) that
  :func:`kexie_research.parse_period` accepts. For a series written ``2017年~2020年 … 分别为1次、
  2次、4次、4次``, each number gets its own year (the coding sheets' convention).
- **Status**: ``target`` when the nearest status cue before the number in its sentence is a target
  cue (:data:`TARGET_CUES`: 力争, 目标, 计划到, 将, 确保, 提高至 …) or the period is a deadline
  (``到2021年底``); ``achieved`` when it is a cue of the present or the past (:data:`ACHIEVED_CUES`:
  由, 原来, 目前, 已 …) or there is none.
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
from typing import cast

from kexie_research.errors import ParseError
from kexie_research.parse.periods import PERIOD_CUE_RE, RECURRING_WORDS, parse_period

__all__ = [
    "ACHIEVED_CUES",
    "TARGET_CUES",
    "clause_span",
    "set_heading_ends",
    "find_period",
    "period_cues",
    "sentence_span",
    "status_cue",
    "status_of",
]

_SENTENCE_END = "。！？!?"
_CLOSING = "）)”’」』】"
_CLAUSE_END = "。！？!?；;，,：:"
#: Words before a number that mark it as a goal.
TARGET_CUES: tuple[str, ...] = (
    "力争", "目标", "计划到", "计划在", "计划用", "计划新", "计划投入", "计划建", "计划完成", "将",
    "确保", "争取", "预计", "拟", "要达到", "要实现", "要在", "应达到", "应为", "应主要", "应当",
    "做到", "提高至", "提高到", "增加到", "增加至", "增至", "扩大到", "调整为", "计划", "预算",
)
#: Words before a number that mark it as the present or past state (the baseline of a change).
ACHIEVED_CUES: tuple[str, ...] = (
    "由", "从", "原来", "原设", "原有", "目前", "现有", "已", "已经", "实现了", "截至", "已提高到",
    "已提高至", "已达到", "已增加到", "已增至", "累计", "获得", "完成", "争取到", "为止", "决算", "共计", "达到了", "增加了", "提高了",
)
_STATUS_RE = re.compile("|".join(re.escape(w) for w in sorted({*TARGET_CUES, *ACHIEVED_CUES}, key=len, reverse=True)))
# 将来 (the future, or 将 + 来自) is not the modal 将; 原来 is handled as a whole word.
_NOT_A_CUE = ("将来", "即将", "将其", "预算执行", "预算完成")
# 将完成, 力争完成: an achievement word right after a target cue is part of the target.
_ACHIEVED_WORDS_OF_TARGETS = ("累计", "获得", "完成", "共计")
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
    index = bisect_left(clauses, end)
    right = clauses[index] if index < len(clauses) else len(flat)
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
def _period(text: str, reference_date: str | None):
    """:func:`parse_period`, remembered (a draft reads the same few cues again and again), or ``None``."""
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
    for match in _CUE_RE.finditer(flat):
        text = match.group()
        if _period(text, reference_date) is None:
            continue
        cues.append((match.start(), match.end(), text))
    return cues


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
    index = bisect_right([end for _, end, _ in spans], position) - 1
    while index >= 0 and spans[index][0] >= sentence_start:
        start, end, text = spans[index]
        yield index, start, end, text
        index -= 1


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
    found = None
    for _, start, end, text in spans_back(cues, flat, position):
        if end > position:
            continue
        if _is_baseline(flat, start, end):
            continue  # 较2020年增长7.87%, 2018年比2017年: the year compared against is not the period
        if found is None:
            found = (start, text)
            if text not in RECURRING_WORDS:
                break
        elif text not in RECURRING_WORDS:
            # 近3年，每年落实500多万元: the span the yearly figure holds for (coding sheets' convention).
            return start, text
    return found


_BASELINE_BEFORE = ("较", "比", "与", "同", "相对")
_BASELINE_AFTER = ("相比", "同期", "比较")


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
    return (before.endswith(_BASELINE_BEFORE) or flat.startswith(_BASELINE_AFTER, end)
            or (before.endswith("是") and flat.startswith("的", end)))


def status_cue(flat: str, position: int) -> tuple[int, str] | None:
    """The nearest status cue before ``position`` in its sentence: (start, word), or ``None``.

    Examples
    --------
    >>> status_cue("力争建成30个", 4)
    (0, '力争')
    """
    sentence_start, _ = sentence_span(flat, position)
    last = None
    for match in _STATUS_RE.finditer(flat, sentence_start, position):
        word = match.group()
        context = flat[max(0, match.start() - 1) : match.end() + 1]
        if any(blocked in context for blocked in _NOT_A_CUE if blocked != word):
            continue
        if word == "将" and flat.startswith("来", match.end()):
            continue
        if word == "争取到" and _YEAR_AHEAD.match(flat, match.end()):
            word = "争取"  # 争取到2025年: a goal; 争取到8万元: obtained
        if word == "争取" and any(mark in flat[match.end() : position] for mark in "，,；;"):
            continue  # 积极争取科普经费逐年增长，…: striving, not the goal of a later clause's number
        if (word in _ACHIEVED_WORDS_OF_TARGETS and last is not None and last[1] in TARGET_CUES
                and re.fullmatch(r"[\u4e00-\u9fff]{0,2}", flat[last[0] + len(last[1]) : match.start()])):
            continue  # 将完成 / 力争完成 / 计划累计
        last = (match.start(), word)
    return last


_UNSET: object = object()


def status_of(flat: str, position: int, period_text: str | None = None, reference_date: str | None = None,
              cue: object = _UNSET) -> str:
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
    if period_text:
        period = _period(period_text, reference_date)
        if period is not None:
            if reference_date and period.end and period.end < reference_date and (period.is_target or cue is None):
                return "achieved"  # a deadline already passed when the document was written: what was done
            if period.is_target:
                return "target"
            if reference_date and period.start and period.start > reference_date and (cue is None or cue[1] not in ACHIEVED_CUES):
                return "target"  # 2025年建成…, written in 2021
    return "target" if cue is not None and cue[1] in TARGET_CUES else "achieved"


