"""The parsers do work linear in the length of their text, counted in Python lines executed.

A count of lines is the same on every run, so the assertion can be tight: four times the text may
cost at most 10 % more than four times the lines (a quadratic path costs sixteen times). The work
done inside C (regular expressions, string copies) is not counted here: ten of the sixteen forms run
the same few Python lines at every length, and for them the test only guards against a Python loop
creeping in. ``benchmarks/bench_linear.py`` times the same forms (``tests/support/worst_cases.py``),
C included, and prints their ratios.
"""

from __future__ import annotations

import pytest
from worst_cases import WORST_CASES, WorstCase, python_lines, run

SMALL = 2_000
SLACK = 1.1


def _lines_per_growth(function: object, make: object, small: int) -> tuple[float, float]:
    """(growth of the lines executed, growth of the text) from ``small`` to ``4 * small`` characters."""
    short, long = make(small), make(4 * small)  # type: ignore[operator]
    return python_lines(function, long) / max(python_lines(function, short), 1), len(long) / len(short)  # type: ignore[arg-type]


@pytest.mark.parametrize("case", WORST_CASES, ids=[case.id for case in WORST_CASES])
def test_python_work_grows_linearly(case: WorstCase) -> None:
    run(case.function, case.make(50))  # fill the caches built on first use (scanners, converters)
    lines, text = _lines_per_growth(case.function, case.make, SMALL)
    assert lines <= SLACK * text, f"{case.id}: {text:.2f}x the text ran {lines:.2f}x the Python lines"


def test_python_lines_tell_a_quadratic_path() -> None:
    # The measure itself: a loop over every earlier character for each character is caught.
    def quadratic(text: str) -> int:
        pairs = 0
        for i in range(len(text)):
            for _ in text[:i]:
                pairs += 1
        return pairs

    lines, text = _lines_per_growth(quadratic, lambda n: "一" * n, 100)
    assert text == 4 and lines == pytest.approx(16, rel=0.05)  # four times the text, sixteen times the lines
    assert lines > SLACK * text  # which the check above refuses
    assert python_lines(len, "一" * 100) == 0  # C alone executes no Python line


def test_python_lines_count_nested_calls_and_restore_the_tracer() -> None:
    import sys

    def inner(text: str) -> int:
        return len(text)

    def outer(text: str) -> int:
        first = inner(text)
        return first + inner(text)

    before = sys.gettrace()
    assert python_lines(outer, "x") == 4  # two lines of outer, one of each inner call
    assert sys.gettrace() is before


def test_every_parser_has_worst_cases() -> None:
    assert {case.parser for case in WORST_CASES} == {"parse_quantity", "find_quantities", "parse_period"}
    assert len({case.id for case in WORST_CASES}) == len(WORST_CASES)
