"""Benchmark: `kexie extract` against the five coded sheets, its speed, and jionlp's money extractor.

For the five documents of ``data/raw/sources.yaml`` and their coding sheets it prints

- **recall**: the share of coded facts found. A coded fact is found when a ``kind=fact`` candidate
  of its document has its ``raw_text`` (line breaks removed) and a quote overlapping the coded
  quote in the document (target ≥ 98 %);
- **precision**: the share of ``kind=fact`` candidates that are coded facts (no target: a draft
  proposes, a coder decides);
- agreement of the found candidates with the coder on indicator, period, status and scope place
  (the codebook was written from these very documents, so the indicator figure is optimistic);
- **throughput** in characters per second on one core (target ≥ 500,000, judged on the first pass):
  the one-time start-up (codebook, place and scanner indexes), the first pass over the documents and
  the best of ``--repeat`` further passes (caches filled). Measured in CPU time of the process, which
  is what one core gives when the machine is not shared; the wall-clock rate is printed beside it;
- side by side, money mentions found by ``jionlp.ner.extract_money`` and by the extractor (rows
  with unit CNY or CNY_per_capita) on the same documents: how many each finds, how many of the
  coded money facts each finds (same text), and their speed.

Usage::

    python benchmarks/bench_extract.py [--repeat 5] [--no-jionlp] [--misses]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pandas as pd

from kexie_research.config import raw_dir
from kexie_research.extract import Extractor, draft_frame
from kexie_research.extract.resources import load_resolver
from kexie_research.parse.provenance import normalise_for_matching
from kexie_research.steps.sources import read_sources

MONEY_UNITS = ("CNY", "CNY_per_capita")


def _span(flat_document: str, quote: str, near: int | None = None) -> tuple[int, int] | None:
    flat_quote = normalise_for_matching(quote)
    if near is None:
        start = flat_document.find(flat_quote)
    else:  # the occurrence that contains the mention
        start = flat_document.rfind(flat_quote, 0, near + len(flat_quote))
    return None if start < 0 else (start, start + len(flat_quote))


def _flat_offset(text: str, offset: int) -> int:
    return offset - text.count("\n", 0, offset)


SHOW_MISSES = "--misses" in sys.argv  # print each disagreement on period and status


def evaluate(draft: pd.DataFrame, texts: dict[str, str], sheets: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Recall, precision and agreement of a draft against the coded sheets."""
    resolver = load_resolver()
    found = agreed_indicator = agreed_period = agreed_status = agreed_scope = total = 0
    matched_candidates: set[int] = set()
    missed = []
    for document, sheet in sheets.items():
        text = texts[document]
        flat = normalise_for_matching(text)
        candidates = draft[(draft["document"] == document) & (draft["kind"] == "fact")]
        spans = {
            index: _span(flat, row.quote, _flat_offset(text, int(row.offset))) for index, row in candidates.iterrows()
        }
        for coded in sheet.itertuples():
            total += 1
            coded_span = _span(flat, coded.quote)
            raw = normalise_for_matching(coded.raw_text)
            hits = [
                index
                for index, row in candidates.iterrows()
                if row.raw_text == raw
                and spans[index] is not None
                and coded_span is not None
                and spans[index][0] < coded_span[1]
                and coded_span[0] < spans[index][1]
            ]
            if not hits:
                missed.append(f"{coded.record_id} {coded.raw_text}")
                continue
            found += 1
            matched_candidates.update(hits)
            best = candidates.loc[hits[0]]
            agreed_indicator += best.indicator_id == coded.indicator_id
            agreed_period += best.period_text == (coded.period_text or "")
            agreed_status += best.status == coded.status
            if SHOW_MISSES:
                for field, mine, theirs in (
                    ("period", best.period_text, coded.period_text or ""),
                    ("status", best.status, coded.status),
                ):
                    if mine != theirs:
                        print(
                            f"  {field} miss {coded.record_id} {coded.raw_text}: draft {mine!r} "
                            f"({best.get('period_from', '')}), coder {theirs!r}"
                        )
            try:
                agreed_scope += best.admin_code == resolver.resolve(coded.scope_zh).admin_code
            except LookupError:
                pass
    facts = int((draft["kind"] == "fact").sum())
    return {
        "coded": total,
        "found": found,
        "recall": found / total,
        "fact_candidates": facts,
        "precision": len(matched_candidates) / facts if facts else 0.0,
        "indicator": agreed_indicator / max(found, 1),
        "period": agreed_period / max(found, 1),
        "status": agreed_status / max(found, 1),
        "scope": agreed_scope / max(found, 1),
        "missed": missed,  # type: ignore[dict-item]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm passes for the throughput (best is kept)")
    parser.add_argument("--no-jionlp", action="store_true", help="skip the jionlp comparison")
    parser.add_argument("--misses", action="store_true", help="print each disagreement on period and status")
    args = parser.parse_args()

    raw = raw_dir()
    sources = read_sources(raw)
    texts = {s["file"]: (raw / "documents" / s["file"]).read_text(encoding="utf-8") for s in sources}
    sheets = {}
    for source in sources:
        path = raw / "indicators" / f"{source['source_id']}.csv"
        if path.is_file():
            sheets[source["file"]] = pd.read_csv(path, dtype=str, keep_default_na=False)
    characters = sum(len(text) for text in texts.values())

    started = time.perf_counter()
    extractor = Extractor.from_data()
    extractor.extract_text("全市共3个。", place_code=None)  # builds the codebook, place and scanner indexes
    startup = time.perf_counter() - started
    started, started_cpu = time.perf_counter(), time.process_time()
    rows = []
    for source in sources:
        rows.extend(extractor.extract_file(raw / "documents" / source["file"]))
    cold_wall, cold = time.perf_counter() - started, time.process_time() - started_cpu
    warm = []
    for _ in range(args.repeat):
        started = time.process_time()
        for source in sources:
            extractor.extract_file(raw / "documents" / source["file"])
        warm.append(time.process_time() - started)
    draft = draft_frame(rows)

    scores = evaluate(draft, texts, sheets)
    print(
        f"documents: {len(texts)}, characters: {characters:,}, candidate rows: {len(draft)} "
        f"({draft['kind'].value_counts().to_dict()})"
    )
    print(
        f"recall    : {scores['recall']:.1%} ({scores['found']}/{scores['coded']} coded facts)  "
        f"target >= 98%: {'PASS' if scores['recall'] >= 0.98 else 'FAIL'}"
    )
    if scores["missed"]:
        print(f"  missed  : {', '.join(scores['missed'])}")
    print(f"precision : {scores['precision']:.1%} of {scores['fact_candidates']} kind=fact candidates are coded facts")
    print(
        f"agreement on found facts: indicator {scores['indicator']:.0%}, period {scores['period']:.0%}, "
        f"status {scores['status']:.0%}, scope place {scores['scope']:.0%}"
    )
    cold_rate, warm_rate = characters / cold, characters / min(warm) if warm else float("nan")
    print(
        f"throughput: {cold_rate:,.0f} characters per CPU second on the first pass ({characters / cold_wall:,.0f} "
        f"per wall-clock second), {warm_rate:,.0f} on later passes (one core, after a one-time start-up of "
        f"{startup:.1f} s; load average {os.getloadavg()[0]:.1f})  target >= 500,000: "
        f"{'PASS' if cold_rate >= 500_000 else 'FAIL'}"
    )

    if args.no_jionlp:
        return
    try:
        import jionlp

        extract_money = jionlp.ner.extract_money
    except (ImportError, AttributeError) as exc:  # jionlp is a benchmark-only comparison, not a dependency
        print(f"jionlp    : not available ({exc}); pip install jionlp to compare")
        return
    coded_money = {
        (document, normalise_for_matching(row.raw_text))
        for document, sheet in sheets.items()
        for row in sheet.itertuples()
        if any(unit in row.raw_text for unit in ("元",))
    }
    started = time.process_time()
    theirs = {
        document: [m["text"] for m in extract_money(normalise_for_matching(text), with_parsing=False)]
        for document, text in texts.items()
    }
    jio_seconds = time.process_time() - started
    ours = {
        document: draft.loc[(draft["document"] == document) & draft["unit"].isin(MONEY_UNITS), "raw_text"].tolist()
        for document in texts
    }
    jio_found = sum(
        1 for document, raw in coded_money if raw in theirs[document] or any(raw in t for t in theirs[document])
    )
    our_found = sum(1 for document, raw in coded_money if raw in ours[document])
    print(f"money     : coded money facts {len(coded_money)} (distinct texts per document)")
    print(
        f"  jionlp.ner.extract_money : {sum(map(len, theirs.values())):3d} mentions, finds {jio_found}/{len(coded_money)} "
        f"coded (its text contains the coded one), {characters / jio_seconds:,.0f} characters per CPU second "
        "(money only; jionlp was warmed up by its import)"
    )
    print(
        f"  kexie extract (CNY units): {sum(map(len, ours.values())):3d} mentions, finds {our_found}/{len(coded_money)} "
        f"coded (same text), {cold_rate:,.0f} characters per CPU second for the whole draft (first pass)"
    )
    jio_missed = sorted(raw for document, raw in coded_money if not any(raw in t for t in theirs[document]))
    differ = sorted(
        {
            (t, o)
            for document in texts
            for t in theirs[document]
            for o in ours[document]
            if t != o and (t in o or o in t)
        }
    )
    only_theirs = sorted(
        {t for document in texts for t in theirs[document] if not any(t in o or o in t for o in ours[document])}
    )
    only_ours = sorted(
        {o for document in texts for o in ours[document] if not any(t in o or o in t for t in theirs[document])}
    )
    print(f"  coded money texts jionlp misses: {jio_missed}")
    print(f"  same mention, different extent (jionlp, kexie): {differ}")
    print(f"  found by jionlp only: {only_theirs}; by kexie only: {only_ours}")


if __name__ == "__main__":
    main()
