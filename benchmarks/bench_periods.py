"""Benchmark: ``parse_period`` beside ``jionlp.parse_time`` on the time expressions of the evaluation set.

Reads a CSV of hand-coded time expressions (default ``benchmarks/evaluation/time_expressions.csv``)
with the columns ``document, offset, text, reference_date, start, end``: the expression as written
in a document, the document's date, and the coder's calendar bounds (ISO dates; an empty cell is an
open side, both empty: no single calendar span, as for 每年 or 近年来). For every row it reads

(a) ``parse_period(text, reference_date)`` of this project, and
(b) ``jionlp.parse_time(text, time_base=reference_date)`` on the same string, run in a separate
    Python (``--jionlp-python``, a scratch environment: jionlp is not a dependency of the project),

and prints the accuracy of each (a row is right when both the start and the end equal the coder's,
compared as dates), the rows each gets wrong with its reading, and the ratio of the two accuracies,
plus the time each took per expression. Without ``--jionlp-python`` (or when that Python cannot
import jionlp) it prints "jionlp not available" and the project's figures only.

Readings compared: a ``ParseError`` is a miss; a period that is not resolved (relative forms
without a date, vague or recurring texts) reads as no bounds. jionlp's ``time_point`` and
``time_span`` give ``time[0]`` and ``time[1]`` (``-inf`` / ``inf``: an open side), cut to the date;
its ``time_period`` (每年) and ``time_delta`` (3年) read as no bounds; an exception is a miss.

Usage::

    python benchmarks/bench_periods.py [--evaluation PATH] [--jionlp-python /work/scratch/jionlp/bin/python]
        [--show N]

The scratch environment: ``python3 -m venv /work/scratch/jionlp && /work/scratch/jionlp/bin/pip install jionlp``.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kexie_research.errors import ParseError
from kexie_research.parse.periods import parse_period

DEFAULT_EVALUATION = Path(__file__).resolve().parent / "evaluation" / "time_expressions.csv"
COLUMNS = ("document", "offset", "text", "reference_date", "start", "end")
TARGET_ACCURACY = 0.90
JIONLP_TIMEOUT_SECONDS = 600

# Run by the scratch Python: reads [text, reference_date] pairs as JSON on stdin, writes one JSON
# reading per pair: [start, end] (None for an open side), or {"error": message}.
_JIONLP_SCRIPT = r"""
import contextlib, datetime, io, json, sys, time
with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
    import jionlp
pairs = json.load(sys.stdin)
out = []
started = time.perf_counter()
for text, reference in pairs:
    base = time.time()
    if reference:
        base = time.mktime(datetime.datetime.strptime(reference[:10], "%Y-%m-%d").timetuple())
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            found = jionlp.parse_time(text, time_base=base)
        kind, bounds = found.get("type"), found.get("time")
        if kind in ("time_point", "time_span") and isinstance(bounds, list) and len(bounds) == 2:
            start, end = (None if b in ("-inf", "inf") else str(b)[:10] for b in bounds)
            out.append([start, end])
        else:  # time_period (每年), time_delta (3年): no single calendar span
            out.append([None, None])
    except Exception as exc:  # jionlp raises ValueError and others on what it cannot read
        out.append({"error": f"{type(exc).__name__}: {exc}"[:200]})
json.dump({"readings": out, "seconds": time.perf_counter() - started}, sys.stdout)
"""


@dataclass(frozen=True)
class Expression:
    """One coded time expression."""

    document: str
    offset: str
    text: str
    reference_date: str | None
    start: str | None
    end: str | None


def read_expressions(path: Path) -> list[Expression]:
    """The rows of the evaluation CSV; a missing column is named."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit(f"{path}: missing column(s) {', '.join(missing)} (expected {', '.join(COLUMNS)})")
        return [
            Expression(
                row["document"],
                row["offset"],
                row["text"],
                (row["reference_date"] or "").strip()[:10] or None,
                (row["start"] or "").strip()[:10] or None,
                (row["end"] or "").strip()[:10] or None,
            )
            for row in reader
        ]


def project_readings(expressions: list[Expression]) -> tuple[list[tuple[str | None, str | None] | str], float]:
    """``parse_period`` of each expression: (start, end), or the error message."""
    out: list[tuple[str | None, str | None] | str] = []
    started = time.perf_counter()
    for e in expressions:
        try:
            period = parse_period(e.text, e.reference_date)
            out.append((period.start, period.end) if period.resolved or period.start or period.end else (None, None))
        except ParseError as exc:
            out.append(f"ParseError: {str(exc)[:120]}")
    return out, time.perf_counter() - started


def jionlp_readings(
    python: str | None, expressions: list[Expression]
) -> tuple[list[tuple[str | None, str | None] | str], float] | None:
    """``jionlp.parse_time`` of each expression in the scratch Python, or None when it is not there."""
    if not python:
        return None
    pairs = [[e.text, e.reference_date] for e in expressions]
    try:
        done = subprocess.run(
            [python, "-c", _JIONLP_SCRIPT],
            input=json.dumps(pairs, ensure_ascii=False),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=JIONLP_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"jionlp not available ({type(exc).__name__}: {exc})")
        return None
    if done.returncode != 0:
        print(f"jionlp not available ({python} exited {done.returncode}: {done.stderr.strip()[-300:]})")
        return None
    result = json.loads(done.stdout)
    readings = [r["error"] if isinstance(r, dict) else (r[0], r[1]) for r in result["readings"]]
    return readings, float(result["seconds"])


def _right(reading: tuple[str | None, str | None] | str, e: Expression) -> bool:
    return not isinstance(reading, str) and reading == (e.start, e.end)


def _show(reading: tuple[str | None, str | None] | str) -> str:
    if isinstance(reading, str):
        return reading
    return f"{reading[0] or '…'} .. {reading[1] or '…'}"


def report(name: str, readings: list, seconds: float, expressions: list[Expression], show: int) -> float:
    """Print the accuracy and the misses of one parser; return its accuracy."""
    right = [_right(r, e) for r, e in zip(readings, expressions)]
    accuracy = sum(right) / len(expressions) if expressions else float("nan")
    print(
        f"\n{name}: {sum(right)}/{len(expressions)} right = {accuracy:.1%}   "
        f"({seconds / max(len(expressions), 1) * 1e6:,.0f} µs per expression)"
    )
    misses = [(e, r) for e, r, ok in zip(expressions, readings, right) if not ok]
    if misses:
        print(f"  misses ({len(misses)}{'' if len(misses) <= show else f', first {show}'}):")
        for e, r in misses[:show]:
            gold = f"{e.start or '…'} .. {e.end or '…'}"
            print(f"    {e.text!r:34} ref {e.reference_date or '-':10}  gold {gold:24}  read {_show(r)}")
    return accuracy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluation", type=Path, default=DEFAULT_EVALUATION, help="CSV of coded time expressions")
    parser.add_argument("--jionlp-python", default=None, help="a Python with jionlp installed (scratch environment)")
    parser.add_argument("--show", type=int, default=200, help="misses shown per parser")
    args = parser.parse_args(argv)
    if not args.evaluation.is_file():
        print(f"no evaluation file at {args.evaluation}")
        return 1
    expressions = read_expressions(args.evaluation)
    documents = len({e.document for e in expressions})
    print(f"{len(expressions)} time expressions of {documents} documents ({args.evaluation})")

    ours, our_seconds = project_readings(expressions)
    our_accuracy = report("parse_period", ours, our_seconds, expressions, args.show)

    theirs = jionlp_readings(args.jionlp_python, expressions)
    if theirs is None:
        if not args.jionlp_python:
            print("\njionlp not available")
    else:
        their_accuracy = report("jionlp.parse_time", theirs[0], theirs[1], expressions, args.show)
        both = sum(_right(a, e) and _right(b, e) for a, b, e in zip(ours, theirs[0], expressions))
        only_ours = sum(_right(a, e) and not _right(b, e) for a, b, e in zip(ours, theirs[0], expressions))
        only_theirs = sum(_right(b, e) and not _right(a, e) for a, b, e in zip(ours, theirs[0], expressions))
        ratio = our_accuracy / their_accuracy if their_accuracy else float("inf")
        print(f"\nboth right {both}, only parse_period {only_ours}, only jionlp {only_theirs}")
        print(
            f"accuracy ratio parse_period / jionlp.parse_time = {ratio:.2f}"
            f"   ({'AHEAD' if our_accuracy > their_accuracy else 'NOT AHEAD'})"
        )
        if theirs[1] > 0:
            print(f"speed ratio (jionlp time / parse_period time) = {theirs[1] / max(our_seconds, 1e-9):.1f}")
    verdict = "PASS" if our_accuracy >= TARGET_ACCURACY else "FAIL"
    print(f"target parse_period >= {TARGET_ACCURACY:.0%}: {verdict} ({our_accuracy:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
