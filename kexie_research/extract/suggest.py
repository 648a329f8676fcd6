"""Suggest an indicator of the codebook for a mention, by keywords and unit.

An indicator is a candidate when its unit accepts the mention's parsed unit (the same rule as
the build: :meth:`kexie_research.steps.codebook.Codebook.unit_accepts`). Its keywords are the
two-character words of its Chinese label (``科协年度工作经费（本级财政投入）`` -> 科协, 年度, 工作,
经费, 本级, 财政, 投入 …); the score is the share of them that occur in the mention's clause (those
found only earlier in its sentence count half). The
best indicator is suggested when it scores at least :data:`MIN_SCORE` and beats the second best
by :data:`MIN_MARGIN`; otherwise nothing is suggested (a coder decides).

Example::

    >>> suggester = Suggester.from_data()
    >>> suggester.suggest("梧州市2020年本级财政投入科协的工作经费，藤县科协26万元", "CNY")
    ('kexie_annual_work_budget', 0.75)
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import pandas as pd

__all__ = ["CONTEXT_WEIGHT", "FrameSuggester", "MIN_FRAME_CONFIDENCE", "MIN_MARGIN", "MIN_SCORE", "Suggester", "frame_terms"]

#: Lowest keyword score at which an indicator is suggested.
MIN_SCORE = 0.34
#: How far ahead of the second best the best indicator must be.
MIN_MARGIN = 0.05
#: Weight of a keyword found before the number's clause rather than in it.
CONTEXT_WEIGHT = 0.5
# Characters that carry no meaning of their own in labels (数 = "number of", 的, brackets …).
_NOISE = re.compile(r"[^\u4e00-\u9fff]|数|的|和|或|与|及|个")


def _keywords(label: str) -> frozenset[str]:
    words: set[str] = set()
    for part in _NOISE.split(label):
        words.update(part[i : i + 2] for i in range(len(part) - 1))
    return frozenset(words)


class Suggester:
    """Indicator suggestions from a codebook's ``id``, ``zh`` and ``unit`` columns.

    Parameters
    ----------
    indicators
        One row per indicator with columns ``id``, ``zh``, ``unit``.
    unit_accepts
        ``unit_accepts(indicator_unit, parsed_unit) -> bool``, the build's unit rule.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["budget", "staff"], "zh": ["科协工作经费", "科协编制数"], "unit": ["CNY", "person"]})
    >>> Suggester(table, lambda indicator_unit, unit: indicator_unit == unit).suggest("科协工作经费26万元", "CNY")
    ('budget', 1.0)
    """

    def __init__(self, indicators: pd.DataFrame, unit_accepts) -> None:
        self._rows = [
            (row.id, row.unit, _keywords(row.zh)) for row in indicators[["id", "zh", "unit"]].itertuples(index=False)
        ]
        # Keyword -> indicators that have it: a clause is scored by looking up its own two-character
        # words, not by testing every keyword of every indicator.
        self._index: dict[str, list[int]] = {}
        for number, (_, _, words) in enumerate(self._rows):
            for word in words:
                self._index.setdefault(word, []).append(number)
        self._accepts = lru_cache(maxsize=None)(unit_accepts)

    @classmethod
    def from_data(cls, raw_dir=None) -> Suggester:
        """The suggester over the project's codebook."""
        from kexie_research.extract.resources import codebook

        book = codebook(raw_dir)
        return cls(book.indicators, book.unit_accepts)

    def suggest(self, clause: str, unit: str | None, context: str = "") -> tuple[str, float]:
        """(indicator_id, score) for a clause and a parsed unit; ``("", score)`` when unsure.

        A keyword found in ``clause`` (the number's own clause) counts 1; one found only in
        ``context`` (the words before the clause in its sentence) counts :data:`CONTEXT_WEIGHT`.

        Examples
        --------
        >>> Suggester.from_data().suggest("天气晴朗", "CNY")[0]
        ''
        """
        if unit is None:
            return "", 0.0
        hits: dict[int, float] = {}
        own = {clause[i : i + 2] for i in range(len(clause) - 1)}
        around = {context[i : i + 2] for i in range(len(context) - 1)} - own
        for bigrams, weight in ((own, 1.0), (around, CONTEXT_WEIGHT)):
            for word in bigrams:
                for number in self._index.get(word, ()):
                    hits[number] = hits.get(number, 0.0) + weight
        scored = []
        for number, count in hits.items():
            indicator_id, indicator_unit, words = self._rows[number]
            if self._accepts(indicator_unit, unit):
                scored.append((count / len(words), indicator_id))
        if not scored:
            return "", 0.0
        scored.sort(key=lambda item: (-item[0], item[1]))
        best, best_id = scored[0]
        second = scored[1][0] if len(scored) > 1 else 0.0
        if best >= MIN_SCORE and best - second >= MIN_MARGIN:
            return best_id, round(best, 2)
        return "", round(best, 2)


# ------------------------------------------------------------------------------------------------
# Suggestions against the frame of cross-place indicators
# ------------------------------------------------------------------------------------------------
#: Lowest confidence at which a frame indicator is suggested (below it the cell stays empty).
MIN_FRAME_CONFIDENCE = 0.6
# Characters dropped before matching: brackets and list marks join 乡镇（园区）科协 into one term.
_JOINERS = re.compile(r"[（）()【】\[\]“”\"'《》\s]")
# Where the noun of a number ends, and where the words before it begin: a separator or another number.
_SEGMENT_END = re.compile(r"[，。；;,、：:！？!?]|[0-9０-９]")
# Verbs that make a count a change or a campaign's participants, not the stock the frame counts.
_CHANGE_CUES = ("新建", "升级", "精简", "走访", "参与", "开发")
# Words right after a number that make it a count of places (county-level units), not of organisations.
_PLACE_NOUNS = ("县", "区", "市", "行政区", "省")
_CJK_RUN = re.compile(r"[\u4e00-\u9fffa-z]{2,}")
# Characters a number's noun may start with that belong to the count, not to the noun.
_CLASSIFIERS = "个家名人位所座处项次场期篇份条部支批户元万亿余多近约共"


def _normalise(text: str) -> str:
    return _JOINERS.sub("", text).lower()


def frame_terms(frame: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The Chinese terms of each frame indicator: those its ``counts`` names and its label without 数.

    Terms come from the codebook (data), longest first; brackets are removed (乡镇（园区）科协 ->
    乡镇园区科协) the same way the text is normalised before matching.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["t"], "zh": ["乡镇（街道）科协数"], "counts": ["乡镇科协, 街道科协 built as kexie"]})
    >>> frame_terms(table.set_index("id", drop=False))["t"]
    ('乡镇街道科协', '乡镇科协', '街道科协')
    """
    terms: dict[str, tuple[str, ...]] = {}
    for row in frame.itertuples(index=False):
        brackets = re.compile(r"[（）()【】\[\]“”\"'《》]")
        found = {match for term in re.split(r"[,;，；]", str(row.counts))
                 for match in _CJK_RUN.findall(brackets.sub("", term).lower())}
        label = _normalise(re.sub(r"(人)?数$", "", str(row.zh)))
        found.update(_CJK_RUN.findall(label))
        terms[row.id] = tuple(sorted((t for t in found if not t.isascii()), key=lambda t: (-len(t), t)))
    # A two-character term shared by several frame indicators (科普, 科协) says nothing about which one.
    shared = Counter(term for found in terms.values() for term in set(found) if len(term) == 2)
    return {key: tuple(t for t in found if len(t) > 2 or shared[t] == 1) for key, found in terms.items()}


class FrameSuggester:
    """Frame indicator suggestions for a number: from the frame's own terms near the number, the unit,
    the clause's context and the case-specific indicator suggested for it (whose codebook row names its
    frame indicator), with a confidence; empty when unsure.

    A term of a frame indicator (:func:`frame_terms`) found next to the number — the noun right after
    it (``14个乡镇科协``) or right before it (``乡镇科协14个``) — gives 0.9, within ten characters 0.75,
    elsewhere in the clause 0.6, only earlier in the sentence 0.4; a longer term wins over a shorter one
    at the same confidence (乡镇园区科协 over 乡镇科协, 人均科普经费 over 科普经费). The frame indicator's unit
    must accept the parsed unit. A case-specific suggestion that maps to a frame indicator gives 0.6 on
    its own and raises a matching term to 0.9, ahead of other terms. Two frame indicators at the same
    confidence with terms of the same length give nothing.

    Examples
    --------
    >>> suggester = FrameSuggester.from_data()
    >>> suggester.suggest("全县共建立乡镇科协14个", "14个", "count")
    ('township_kexie', 0.9)
    >>> suggester.suggest("建成14个乡镇（园区）科协", "14个", "count")
    ('grassroots_kexie', 0.9)
    >>> suggester.suggest("天气晴朗", "3个", "count")
    ('', 0.0)
    """

    def __init__(self, frame: pd.DataFrame, indicator_frames: dict[str, str], unit_accepts) -> None:
        self._terms = frame_terms(frame)
        self._units = dict(zip(frame["id"], frame["unit"]))
        self._indicator_frames = {k: v for k, v in indicator_frames.items() if v in self._units}
        self._accepts = lru_cache(maxsize=None)(unit_accepts)

    @classmethod
    def from_data(cls, raw_dir=None) -> FrameSuggester:
        """The frame suggester over the project's codebook."""
        from kexie_research.extract.resources import codebook

        book = codebook(raw_dir)
        return cls(book.frame, dict(zip(book.indicators["id"], book.indicators["frame"])), book.unit_accepts)

    def _best_term(self, frame_id: str, before: str, after: str, context: str) -> tuple[float, int]:
        """(confidence, length of the term) of the frame indicator's best term around the number.

        ``after`` is the noun after the number up to the next separator or number, ``before`` the words
        before it back to the previous separator or number.
        """
        best = (0.0, 0)
        lead_place = after.lstrip(_CLASSIFIERS).startswith(_PLACE_NOUNS)
        for term in self._terms.get(frame_id, ()):
            position = after.find(term)
            if position >= 0 and not lead_place:
                lead = after[:position].lstrip(_CLASSIFIERS)
                best = max(best, (0.9 if len(lead) <= 1 else 0.75 if position <= 10 else 0.6, len(term)))
            position = before.rfind(term)
            if position >= 0:
                gap = len(before) - (position + len(term))
                best = max(best, (0.9 if gap <= 3 else 0.75 if gap <= 10 else 0.6, len(term)))
            if best[0] < 0.4 and term in context:
                best = (0.4, len(term))
        return best

    def suggest(self, clause: str, raw_text: str, unit: str | None, context: str = "",
                indicator_id: str = "", indicator_score: float = 1.0) -> tuple[str, float]:
        """(frame_id, confidence) for a number ``raw_text`` in ``clause``; ``("", confidence)`` when unsure.

        Examples
        --------
        >>> FrameSuggester.from_data().suggest("人均科普经费达到3.5元", "3.5元", "CNY")
        ('kepu_funding_per_capita', 0.9)
        """
        if unit is None:
            return "", 0.0
        text = _normalise(clause)
        number = _normalise(raw_text)
        cut = text.find(number) if number else -1
        before, after = (text[:cut], text[cut + len(number):]) if cut >= 0 else (text, "")
        if any(cue in before[-16:] for cue in _CHANGE_CUES):
            return "", 0.0  # a change (新建, 精简 …) or a campaign's participants: not a stock of the frame
        end = _SEGMENT_END.search(after)
        after = after[: end.start()] if end else after
        starts = [m.end() for m in _SEGMENT_END.finditer(before)]
        before = before[starts[-1]:] if starts else before
        context = _normalise(context)
        scores: dict[str, tuple[float, int]] = {}
        for frame_id, frame_unit in self._units.items():
            if not self._accepts(frame_unit, unit):
                continue
            score = self._best_term(frame_id, before, after, context)
            if score[0]:
                scores[frame_id] = score
        mapped = self._indicator_frames.get(indicator_id, "")
        if mapped and self._accepts(self._units[mapped], unit):
            found, length = scores.get(mapped, (0.0, 0))
            alone = 0.6 if indicator_score >= 0.5 else 0.5  # a weak keyword suggestion alone stays below the bar
            scores[mapped] = (0.9 if found >= 0.6 else max(alone, found), max(length, 99))
        if not scores:
            return "", 0.0
        ranked = sorted(scores.items(), key=lambda item: (-item[1][0], -item[1][1]))
        best_id, (best, length) = ranked[0]
        if len(ranked) > 1 and ranked[1][1] == (best, length):
            return "", best
        return (best_id, best) if best >= MIN_FRAME_CONFIDENCE else ("", best)
