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

from kexie_research.errors import KexieError, ParseError
from kexie_research.parse.periods import PERIOD_CUE_RE, RECURRING_WORDS, parse_period

__all__ = [
    "ACHIEVED_CUES",
    "TARGET_CUES",
    "clause_span",
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
    "做到", "提高至", "提高到", "增加到", "增加至", "增至", "扩大到", "调整为",
)
#: Words before a number that mark it as the present or past state (the baseline of a change).
ACHIEVED_CUES: tuple[str, ...] = (
    "由", "从", "原来", "原设", "原有", "目前", "现有", "已", "已经", "实现了", "截至", "已提高到",
    "已提高至", "已达到", "已增加到", "已增至",
)
_STATUS_RE = re.compile("|".join(re.escape(w) for w in sorted({*TARGET_CUES, *ACHIEVED_CUES}, key=len, reverse=True)))
# 将来 (the future, or 将 + 来自) is not the modal 将; 原来 is handled as a whole word.
_NOT_A_CUE = ("将来", "即将", "将其")

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


@lru_cache(maxsize=8)
def _marks(flat: str) -> tuple[list[int], list[int]]:
    """Sorted positions of the sentence ends and of the clause ends of a text (once per text)."""
    sentences = [m.start() for m in re.finditer(f"[{_SENTENCE_END}]", flat)]
    clauses = [m.start() for m in re.finditer(f"[{_CLAUSE_END}]", flat)]
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
        try:
            parse_period(text, reference_date)
        except ParseError:
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
        if found is None:
            found = (start, text)
            if text not in RECURRING_WORDS:
                break
        elif text not in RECURRING_WORDS:
            # 近3年，每年落实500多万元: the span the yearly figure holds for (coding sheets' convention).
            return start, text
    return found


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
        last = (match.start(), word)
    return last


def status_of(flat: str, position: int, period_text: str | None = None, reference_date: str | None = None) -> str:
    """``target`` or ``achieved`` for the number at ``position`` (see the module docstring).

    Examples
    --------
    >>> flat = "比例由目前的58％提高至70％以上"
    >>> status_of(flat, flat.index("58")), status_of(flat, flat.index("70"))
    ('achieved', 'target')
    """
    if period_text:
        try:
            if parse_period(period_text, reference_date).is_target:
                return "target"
        except ParseError:
            pass
    cue = status_cue(flat, position)
    return "target" if cue is not None and cue[1] in TARGET_CUES else "achieved"


# --------------------------------------------------------------------------------------------
# Scope
# --------------------------------------------------------------------------------------------
#: Place levels (of the place reference) -> the coding sheets' scope_level.
SCOPE_LEVEL_OF_PLACE: dict[str, str] = {
    "country": "national",
    "province": "provincial",
    "prefecture": "city",
    "district": "county",
    "county": "county",
    "county-level city": "county",
}
_NATIONAL_WORDS = ("全国",)
_PROVINCE_WORDS = ("全省", "我省", "全区各市", "全自治区")
_OWN_PLACE_WORDS = ("全市", "我市", "全县", "我县", "全区", "我区", "本市", "本县", "本区")
_ORGANISATION_SUFFIXES = ("科学技术协会", "科协")
# A short name (荣昌, 蒙山) followed by one of these is part of another name (乌蒙山区), unless the
# full name itself matched.
_PLACE_SUFFIXES = ("省", "市", "县", "区", "镇", "乡", "村", "州", "旗", "盟")
_LIST_JOINERS = ("、", "和", "及", "与")


def _trie_regex(words: list[str]) -> str:
    """One regular expression matching any of ``words``, longest first, shaped as a trie.

    A flat alternation of thousands of names is tried name by name at every position; a trie
    shares prefixes, so a scan costs about one step per character whatever the number of names.

    Examples
    --------
    >>> re.findall(_trie_regex(["梧州市", "梧州", "藤县"]), "梧州市和藤县")
    ['梧州市', '藤县']
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


class ScopeFinder:
    """Find the scope of mentions: the nearest place name before them, resolved to a place.

    Parameters
    ----------
    resolver
        The project's place resolver (:class:`kexie_research.steps.places.PlaceResolver`).
    names
        Every name the resolver knows (full names, short names, aliases).

    Examples
    --------
    >>> finder = ScopeFinder.from_data()
    >>> flat = "藤县科协26万元，全国有70%以上"
    >>> finder.scope(flat, flat.index("26"), default_code="450400")
    ('藤县科协', 'county', '450422')
    >>> finder.scope(flat, flat.index("70"), default_code="450400")
    ('全国', 'national', '100000')
    """

    def __init__(self, resolver, names: list[str]) -> None:  # type: ignore[no-untyped-def]
        self.resolver = resolver
        words = sorted({*names, *_NATIONAL_WORDS, *_PROVINCE_WORDS, *_OWN_PLACE_WORDS}, key=len, reverse=True)
        self._regex = re.compile(_trie_regex(words))
        self._full = {name for name in names if name.endswith(_PLACE_SUFFIXES)} | set(resolver.aliases.get("alias", []))
        self._cache: dict[tuple[str, str | None], tuple[str, str] | None] = {}
        self._own_cache: dict[str, tuple[str, str, str]] = {}
        places = resolver.places
        self._level = dict(zip(places["admin_code"], places["level"]))
        self._parent = {code: parent for code, parent in zip(places["admin_code"], places["parent_code"]) if isinstance(parent, str) and parent}

    @classmethod
    def from_data(cls, raw_dir=None) -> ScopeFinder:  # type: ignore[no-untyped-def]
        """The finder over the project's place reference and aliases."""
        from kexie_research.extract.resources import load_resolver, place_names

        resolver = load_resolver(raw_dir)
        return cls(resolver, place_names(resolver))

    def names(self, flat: str) -> list[tuple[int, int, str]]:
        """Every place name (or ``<place>科协``) in a flat text: (start, end, text)."""
        found = []
        for match in self._regex.finditer(flat):
            start, end = match.span()
            if match.group() not in self._full and flat[end : end + 1] in _PLACE_SUFFIXES and flat[end : end + 1]:
                continue
            for suffix in _ORGANISATION_SUFFIXES:
                if flat.startswith(suffix, end):
                    end += len(suffix)
                    break
            found.append((start, end, flat[start:end]))
        return found

    def resolve(self, name: str, case: str | None = None) -> tuple[str, str] | None:
        """(admin_code, scope_level) of a name, or ``None``.

        With ``case`` (the document's case), only that case's places and places of no case are
        candidates, as in the build (:meth:`PlaceResolver.resolve`).
        """
        key = (name, case)
        if key not in self._cache:
            try:
                place = self.resolver.resolve(name, case=case) if case else self.resolver.resolve(name)
                self._cache[key] = (place.admin_code, SCOPE_LEVEL_OF_PLACE.get(place.level, "organisation"))
            except LookupError:
                self._cache[key] = None
        return self._cache[key]

    def document_place(self, flat: str, case: str | None = None) -> str | None:
        """The place a document is most about: the code its place names resolve to most often."""
        counts: dict[str, int] = {}
        for _, _, name in self.names(flat):
            if name in (*_NATIONAL_WORDS, *_PROVINCE_WORDS, *_OWN_PLACE_WORDS):
                continue
            resolved = self.resolve(name, case)
            if resolved and resolved[1] != "national":
                counts[resolved[0]] = counts.get(resolved[0], 0) + 1
        return max(counts, key=lambda code: (counts[code], -int(code))) if counts else None

    def _own(self, code: str | None) -> tuple[str, str, str]:
        if code is None:
            return "", "", ""
        if code not in self._own_cache:
            places = self.resolver.places
            if code not in self._level:
                raise KexieError(f"place code {code} is not in the place reference")
            level = self._level[code]
            self._own_cache[code] = (places.at[code, "name_zh"], SCOPE_LEVEL_OF_PLACE.get(level, "organisation"), code)
        return self._own_cache[code]

    def _province(self, code: str | None) -> tuple[str, str, str]:
        node = code
        while node is not None and node in self._level:
            if self._level[node] == "province":
                return self._own(node)
            node = self._parent.get(node)
        return self._own(code)

    def scope(
        self,
        flat: str,
        position: int,
        default_code: str | None,
        names: list[tuple[int, int, str]] | None = None,
        case: str | None = None,
    ) -> tuple[str, str, str]:
        """(scope_zh, scope_level, admin_code) of the number at ``position``.

        ``default_code`` is the document's place, used when the sentence names none; ``case``
        restricts the names to that case's places and places of no case (see :meth:`resolve`).
        """
        if names is None:
            names = self.names(flat)
        own = None
        for index, _, _, name in spans_back(names, flat, position):
            if name in _NATIONAL_WORDS:
                resolved = self.resolve(name, case)
                return name, "national", resolved[0] if resolved else ""
            if name in _PROVINCE_WORDS:
                return self._province(default_code)
            if name in _OWN_PLACE_WORDS:
                # 全县: the county named earlier in the sentence (凤冈县…全县), else the document's place.
                own = own or self._own(default_code)
                continue
            resolved = self.resolve(name, case)
            if resolved is None:
                continue
            listed = self._listed(flat, names, index, case)
            if listed is not None:
                return listed
            return name, resolved[1], resolved[0]
        return own or self._own(default_code)

    def _listed(
        self, flat: str, names: list[tuple[int, int, str]], index: int, case: str | None = None
    ) -> tuple[str, str, str] | None:
        """A list of names ending at ``names[index]`` (梧州市科协、藤县科协 / 湄潭县、仁怀市等):
        the joint scope, resolved to the smallest place containing them all."""
        first = index
        while first > 0 and flat[names[first - 1][1] : names[first][0]] in _LIST_JOINERS:
            first -= 1
        end = names[index][1]
        by_example = flat.startswith("等", end)
        if first == index and not by_example:
            return None
        if first == index:
            # 湄潭县等9个县: the units of the place's parent.
            resolved = self.resolve(names[index][2], case)
            parent = self._parent.get(resolved[0]) if resolved else None
            return self._own(parent) if parent else None
        text = flat[names[first][0] : end]
        resolved = self.resolve(text, case)
        if resolved is None:
            return None
        if by_example:
            return self._own(resolved[0])
        return text, resolved[1], resolved[0]
