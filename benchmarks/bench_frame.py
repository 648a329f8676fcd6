"""Frame suggestions on the seed documents' coded facts: right / wrong / empty, and the time per fact.

Each coded fact of the processed dataset is offered to :class:`kexie_research.extract.suggest.FrameSuggester`
as a draft row would be (its quote as the clause, its number as written, the unit the parser reads, the
case-specific suggestion of :class:`~kexie_research.extract.suggest.Suggester`); the expected frame
indicator is the one its codebook indicator maps to (``none`` = no suggestion expected). These are the
texts the suggester was tuned on: the figures of texts it has not seen come from ``bench_evalset.py``.

Usage: ``python benchmarks/bench_frame.py [-v]`` (``-v`` lists the facts suggested otherwise)
"""

from __future__ import annotations

import sys
import time
from collections import Counter


def main() -> int:
    from kexie_research import data, parse_quantity
    from kexie_research.errors import ParseError
    from kexie_research.extract.suggest import FrameSuggester, Suggester

    codebook, facts = data.load_codebook(), data.load_indicators()
    frames, indicators = FrameSuggester.from_data(), Suggester.from_data()
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    for fact in facts.itertuples():
        try:
            unit = parse_quantity(fact.raw_text).unit
        except ParseError:
            unit = fact.unit
        expected = codebook.indicators.loc[fact.indicator_id, "frame"]
        expected = "" if expected == "none" else expected
        indicator_id, score = indicators.suggest(fact.quote, unit)
        got, _ = frames.suggest(fact.quote, fact.raw_text, unit, "", indicator_id, score)
        got = "" if got == "none" else got  # scored as the coder's none, like an empty cell
        if "-v" in sys.argv and got != expected:
            print(f"  {fact.raw_text:>12}  expected {expected or 'none':26} got {got or '-':26} {fact.quote[:60]}")
        kind = "mapped" if expected else "none"
        counts[f"{kind}_{'right' if got == expected else 'empty' if not got else 'wrong'}"] += 1
    elapsed = time.perf_counter() - started
    mapped = sum(v for k, v in counts.items() if k.startswith("mapped"))
    unmapped = sum(v for k, v in counts.items() if k.startswith("none"))
    print(f"seed facts: {len(facts)} ({mapped} of a frame indicator, {unmapped} of none)")
    if mapped:
        print(
            f"of a frame indicator: right {counts['mapped_right'] / mapped:.0%}, wrong {counts['mapped_wrong'] / mapped:.0%}, "
            f"empty {counts['mapped_empty'] / mapped:.0%}"
        )
    if unmapped:
        print(
            f"of none: left empty {counts['none_right'] / unmapped:.0%}, given a frame indicator {counts['none_wrong'] / unmapped:.0%}"
        )
    print(f"time: {elapsed / max(1, len(facts)) * 1e6:.0f} µs per fact")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
