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
from functools import lru_cache

import pandas as pd

__all__ = ["CONTEXT_WEIGHT", "MIN_MARGIN", "MIN_SCORE", "Suggester"]

#: Lowest keyword score at which an indicator is suggested.
MIN_SCORE = 0.34
#: How far ahead of the second best the best indicator must be.
MIN_MARGIN = 0.05
#: Weight of a keyword found before the number's clause rather than in it.
CONTEXT_WEIGHT = 0.5
# Characters that carry no meaning of their own in labels (数 = "number of", 的, brackets …).
_NOISE = re.compile(r"[^\u4e00-\u9fff]|数|的|和|或|与|及|个")


def _keywords(label: str) -> frozenset[str]:
    words = set()
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

    def __init__(self, indicators: pd.DataFrame, unit_accepts) -> None:  # type: ignore[no-untyped-def]
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
    def from_data(cls, raw_dir=None) -> Suggester:  # type: ignore[no-untyped-def]
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
        for words, weight in ((own, 1.0), (around, CONTEXT_WEIGHT)):
            for word in words:
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
