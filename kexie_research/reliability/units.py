"""Units of reliability: the coders' facts matched by overlapping spans in the same document.

Spans of all coders in one document are sorted by start; a unit is a maximal chain of spans that
overlap (each starts before the chain so far ends). So ``近5000名`` of one coder and ``5000名`` of
another are one unit, and a fact only one coder saw is a unit of one coder.

Examples
--------
>>> match_units([[("d", 0, 4), ("d", 10, 12)], [("d", 1, 4)]])
[Unit(document='d', start=0, end=4, members=((0, 0), (1, 0))), Unit(document='d', start=10, end=12, members=((0, 1),))]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Unit", "match_units"]


@dataclass(frozen=True)
class Unit:
    """A matched fact: its document, its extent, and (coder index, row index) of every member.

    Examples
    --------
    >>> Unit("d", 0, 3, ((0, 0), (1, 2))).members[1]
    (1, 2)
    """

    document: str
    start: int
    end: int
    members: tuple[tuple[int, int], ...]

    def coders(self) -> set[int]:
        """The coders who coded this unit.

        Examples
        --------
        >>> sorted(Unit("d", 0, 3, ((0, 0), (2, 5))).coders())
        [0, 2]
        """
        return {coder for coder, _ in self.members}


def match_units(spans: Sequence[Sequence[tuple[str, int, int]]]) -> list[Unit]:
    """Units from each coder's ``(document, start, end)`` spans (list index = coder), in document order.

    Examples
    --------
    >>> [u.members for u in match_units([[("d", 0, 2)], [("d", 2, 4)]])]  # touching is not overlapping
    [((0, 0),), ((1, 0),)]
    """
    flat = sorted(
        (document, start, end, coder, row)
        for coder, rows in enumerate(spans)
        for row, (document, start, end) in enumerate(rows)
    )
    units: list[Unit] = []
    current: list[tuple[str, int, int, int, int]] = []
    for item in flat:
        if current and item[0] == current[0][0] and item[1] < max(member[2] for member in current):
            current.append(item)
            continue
        if current:
            units.append(_unit(current))
        current = [item]
    if current:
        units.append(_unit(current))
    return units


def _unit(items: list[tuple[str, int, int, int, int]]) -> Unit:
    return Unit(
        items[0][0],
        min(i[1] for i in items),
        max(i[2] for i in items),
        tuple(sorted((coder, row) for _, _, _, coder, row in items)),
    )
