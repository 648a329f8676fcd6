"""Texts that drive the parsers down their longest paths, and a deterministic measure of work.

A parser that reads a text in time linear in its length stays usable on whatever a national
collection holds (a table pasted as one line, a run of numerals, a page of filler words); a
quadratic path turns a 1 MB document into minutes. The forms below are the shapes that have made
such paths show up: long runs of one numeral, of qualifier or filler words, of classifiers, of
repeated mentions, of line breaks.

They are shared by two checks that look at the same forms in different ways:

* ``tests/parse/test_linear_work.py`` counts the Python lines a call executes
  (:func:`python_lines`), which is deterministic: four times the text must cost at most about four
  times the lines, whatever else the machine is doing;
* ``benchmarks/bench_linear.py`` times each form at two sizes and prints the ratio, which also
  covers the work done inside C (regular expressions, string copies) that no line count sees.
  Timing is kept out of the test suite because CPU time on a shared machine is not reliable enough
  to assert on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

from kexie_research.errors import ParseError
from kexie_research.parse.periods import parse_period
from kexie_research.parse.quantities import find_quantities, parse_quantity

#: The reference date the period forms are read against.
REFERENCE_DATE = "2020-06-30"


def _parse_period(text: str) -> object:
    return parse_period(text, REFERENCE_DATE)


@dataclass(frozen=True)
class WorstCase:
    """One form of text for one parser.

    ``make(n)`` returns a text of about ``n`` characters; ``size`` is the smaller of the two sizes
    the benchmark times (it times ``size`` and ``4 * size``).
    """

    parser: str
    form: str
    make: Callable[[int], str]
    size: int

    @property
    def function(self) -> Callable[[str], object]:
        return PARSERS[self.parser]

    @property
    def id(self) -> str:
        return f"{self.parser}: {self.form}"


PARSERS: dict[str, Callable[[str], object]] = {
    "parse_quantity": parse_quantity,
    "find_quantities": find_quantities,
    "parse_period": _parse_period,
}

WORST_CASES: list[WorstCase] = [
    WorstCase("parse_quantity", "chinese digits", lambda n: "一" * n, 200_000),
    WorstCase("parse_quantity", "chinese digits and a range", lambda n: "一" * n + "—二", 200_000),
    WorstCase("parse_quantity", "filler words", lambda n: "有" * n + "1", 200_000),
    WorstCase("parse_quantity", "qualifier words", lambda n: "近约" * (n // 2) + "1", 200_000),
    WorstCase("parse_quantity", "suffix words", lambda n: "1人" + "以上" * (n // 2), 200_000),
    WorstCase("parse_quantity", "arabic digits", lambda n: "9" * n + "人", 200_000),
    WorstCase("parse_quantity", "noun", lambda n: "3个" + "学" * n, 200_000),
    WorstCase("parse_quantity", "classifiers", lambda n: "3" + "个" * n, 200_000),
    WorstCase("find_quantities", "chinese digits", lambda n: "一" * n, 200_000),
    WorstCase("find_quantities", "filler words", lambda n: "有" * n + "1", 200_000),
    WorstCase("find_quantities", "sentences", lambda n: "共有3个学会，近500余人。" * (n // 14), 20_000),
    WorstCase("find_quantities", "line breaks", lambda n: "1\n" * (n // 2), 400_000),
    WorstCase("parse_period", "digits", lambda n: "二九二五" * (n // 4), 200_000),
    WorstCase("parse_period", "recent years", lambda n: "近" + "一" * n + "年", 200_000),
    WorstCase("parse_period", "repeated years", lambda n: "2020年" * (n // 5), 200_000),
    WorstCase("parse_period", "plan", lambda n: "十" * n + "五期间", 200_000),
    WorstCase("parse_period", "list of years", lambda n: "2020年、" * (n // 6) + "2021年", 200_000),
    WorstCase("parse_period", "relative years", lambda n: "今年" * (n // 2), 200_000),
    WorstCase("parse_period", "event words", lambda n: "自2018年" + "试点" * (n // 2) + "以来", 200_000),
    WorstCase("parse_period", "comparison", lambda n: "2018年比" * (n // 6) + "2017年", 200_000),
]


def run(function: Callable[[str], object], text: str) -> None:
    """Call ``function(text)``; a :class:`ParseError` is an answer too (the forms are not all valid)."""
    try:
        function(text)
    except ParseError:
        pass


def python_lines(function: Callable[[str], object], text: str) -> int:
    """The number of Python lines executed by ``function(text)``, in every frame it calls.

    The count is the same on every run and every machine load, unlike a time.
    """
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Callable[..., Any]:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)  # traces the frames called from here on, not this one
    try:
        function(text)
    except ParseError:
        pass
    finally:
        sys.settrace(previous)
    return count
