"""Benchmark: the parsers take time linear in the length of their text.

Times ``parse_quantity``, ``find_quantities`` and ``parse_period`` on the worst-case forms of
``tests/support/worst_cases.py`` (long runs of one numeral, of qualifier or filler words, of
classifiers, of repeated mentions, of line breaks) at two sizes, ``n`` and ``4n`` characters
(200,000 and 800,000 for most forms), and prints for each form the seconds of both and their ratio.
A linear path gives a ratio near 4, a quadratic one near 16: the target is a ratio under 8.

Each time is the best of ``--repeat`` runs in CPU time of this thread, and each ratio the least of
up to ``--attempts`` measurements: a load spike on a shared machine inflates one measurement, a
quadratic path every one of them. The test suite checks the same forms deterministically, by the
Python lines they execute (``tests/parse/test_linear_work.py``); this benchmark also covers the work
done inside C (regular expressions, string copies), which is why it times them.

Usage::

    python benchmarks/bench_linear.py [--repeat 3] [--attempts 3] [--only parse_period]

Exit status 1 when a ratio is 8 or more.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))

from worst_cases import WORST_CASES, run

TARGET_RATIO = 8.0


def best_time(function: Callable[[str], object], text: str, repeat: int) -> float:
    """The least CPU time of this thread over ``repeat`` calls of ``function(text)``."""
    best = math.inf
    for _ in range(repeat):
        start = time.thread_time()
        run(function, text)
        best = min(best, time.thread_time() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each size; the best one counts")
    parser.add_argument("--attempts", type=int, default=3, help="measurements of a ratio at most; the least counts")
    parser.add_argument("--only", default=None, help="only the forms of this parser")
    args = parser.parse_args(argv)
    cases = [case for case in WORST_CASES if args.only in (None, case.parser)]
    print(f"{len(cases)} forms; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    print(f"{'parser: form':<42} {'n':>8} {'time n':>9} {'time 4n':>9} {'ratio':>6}")
    slow = []
    for case in cases:
        small, large = case.make(case.size), case.make(4 * case.size)
        run(case.function, case.make(50))  # fill the caches built on first use
        measured = []
        for _ in range(args.attempts):
            short, long = best_time(case.function, small, args.repeat), best_time(case.function, large, args.repeat)
            measured.append((long / max(short, 1e-6), short, long))
            if measured[-1][0] < TARGET_RATIO:
                break
        ratio, short, long = min(measured)
        verdict = "" if ratio < TARGET_RATIO else "  FAIL"
        print(f"{case.id:<42} {len(small):>8,} {short:>8.4f}s {long:>8.4f}s {ratio:>5.1f}x{verdict}")
        if verdict:
            slow.append(case.id)
    print(
        f"target: 4x the text in under {TARGET_RATIO:.0f}x the time (linear ~4x, quadratic ~16x): "
        + ("PASS" if not slow else f"FAIL ({', '.join(slow)})")
    )
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
