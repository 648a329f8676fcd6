"""Benchmark: `kexie extract` over a generated national corpus, on one process and on Dask.

Generates ``--documents`` documents (default 2,000) recombined from the sentences of the real
documents (``data/raw/documents``): each takes a random place of the place reference or an invented
county, a title line, 40–160 sentences with every place name replaced by another one (real or
invented) and every Arabic number by a new one of the same length (years stay years), and hard
line breaks every 15–25 characters like the printed originals. It then runs the extraction

(a) in one process (``--workers 1``, no Dask), the library's indexes already built,
(b) on a local pool of 2 worker processes (``--workers 2``: includes starting the pool; on Linux
    its workers are forked from this process after it has built the library's indexes once, and
    that build is timed too: the cache left by (a) is cleared first),
(c) on an already running ``distributed.LocalCluster`` of 2 workers through ``--scheduler``, its
    workers configured as docs/scale.md recommends (profiler off) and warmed up like a long-lived
    cluster after its first task,

then, in the same run, (d) in one process over a corpus of short news-like documents (``--short``,
default 2,000 of about 600 characters: a title, a date line, 3–6 sentences, one paragraph per
line, as web news items are written), where the cost per document dominates, and prints its
characters per second beside (a)'s and their ratio (target ≥ 1,000,000 characters per second on
one core for both);

and prints documents and characters per second, the speed-up of (b) and (c) over (a) (target
≥ 1.7× on 2 cores), the CPU time of (a) and of each worker of (c) (on a machine shared with other
jobs, the wall-clock speed-up depends on the CPU the others leave; the CPU times show the speed-up
the work itself allows), the peak memory (max RSS) of each worker, the load average of the machine
before and after, and whether the three drafts are identical row for row.

Usage::

    python benchmarks/bench_scale.py [--documents 2000] [--short 2000] [--seed 0] [--keep DIR] [--one-process]

``--one-process`` runs (a) and (d) only (no Dask).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pandas as pd

from kexie_research.config import raw_dir
from kexie_research.extract.parallel import WORKER_CONFIG, extract_paths
from kexie_research.extract.resources import load_resolver, place_names

_INVENTED = ["青石", "白沙", "云岭", "东川", "河阳", "北塘", "南屏", "西岭", "金溪", "玉泉", "松桥", "安澜"]
_SUFFIXES = ["县", "区", "市"]


def generate(folder: Path, documents: int, seed: int) -> int:
    """Write the corpus; return its number of characters."""
    rng = random.Random(seed)
    sentences = []
    for path in sorted((raw_dir() / "documents").glob("*.txt")):
        flat = path.read_text(encoding="utf-8").replace("\n", "")
        sentences.extend(s + "。" for s in flat.split("。") if 8 <= len(s) <= 400)
    resolver = load_resolver()
    known = sorted(place_names(resolver), key=len, reverse=True)
    full_names = [n for n in resolver.places["name_zh"] if n != "中国"]
    invented = [a + s for a in _INVENTED for s in _SUFFIXES]
    name_re = re.compile("|".join(map(re.escape, known)))
    number_re = re.compile(r"\d+(?:\.\d+)?")

    def new_number(match: re.Match[str]) -> str:
        text = match.group()
        if len(text) == 4 and text.startswith(("19", "20")):
            return str(rng.randint(2010, 2023))
        digits = "".join(str(rng.randint(0, 9)) for _ in text.replace(".", ""))
        digits = digits.lstrip("0") or "1"
        return digits[:-1] + "." + digits[-1] if "." in text and len(digits) > 1 else digits

    total = 0
    for number in range(documents):
        place = rng.choice(full_names + invented)
        body = [f"{place}科协年度工作报告"]
        for sentence in rng.sample(sentences, min(len(sentences), rng.randint(40, 160))):
            sentence = name_re.sub(lambda m: rng.choice(full_names + invented), sentence)
            body.append(number_re.sub(new_number, sentence))
        flat = "".join(body)
        lines, position = [], 0
        while position < len(flat):
            step = rng.randint(15, 25)
            lines.append(flat[position : position + step])
            position += step
        text = "\n".join(lines) + "\n"
        sub = folder / f"{number // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"doc_{number:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def generate_short(folder: Path, documents: int, seed: int) -> int:
    """Write a corpus of short news-like documents (about 600 characters); return its characters."""
    rng = random.Random(seed + 1)
    sentences = []
    for path in sorted((raw_dir() / "documents").glob("*.txt")):
        flat = path.read_text(encoding="utf-8").replace("\n", "")
        sentences.extend(s + "。" for s in flat.split("。") if 20 <= len(s) <= 160)
    resolver = load_resolver()
    full_names = [n for n in resolver.places["name_zh"] if n != "中国"] + [a + s for a in _INVENTED for s in _SUFFIXES]
    total = 0
    for number in range(documents):
        place = rng.choice(full_names)
        year = rng.randint(2012, 2023)
        lines = [f"{place}科协开展科普活动", f"发布时间：{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]
        size = 0
        while size < rng.randint(450, 650):
            paragraph = "".join(rng.sample(sentences, rng.randint(1, 3)))
            lines.append(paragraph)
            size += len(paragraph)
        text = "\n".join(lines) + "\n"
        (folder / f"news_{number:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def _worker_peak_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm() -> None:
    from kexie_research.extract.parallel import _extractor

    _extractor(str(raw_dir())).extract_text("全市共3个。", place_code=None)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", default=None, help="write the corpus here and keep it")
    parser.add_argument("--short", type=int, default=2000, help="short news-like documents of case (d)")
    parser.add_argument("--one-process", action="store_true", help="run (a) and (d) only, without Dask")
    args = parser.parse_args()

    import dask
    from distributed import Client, LocalCluster

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kexie-corpus-"))
    try:
        started = time.perf_counter()
        characters = generate(folder, args.documents, args.seed)
        print(
            f"corpus: {args.documents:,} documents, {characters:,} characters ({characters / args.documents:,.0f} per "
            f"document) generated in {time.perf_counter() - started:.1f} s; cores: {os.cpu_count()}"
        )
        load_before = os.getloadavg()

        # (a) and (c) run on warm processes (library imported, codebook, place and scanner indexes
        # built), as a long-lived cluster is after its first task; the start-up is timed apart.
        cpu = _cpu_seconds()
        _warm()
        startup_cpu = _cpu_seconds() - cpu
        cpu = _cpu_seconds()
        single = extract_paths([folder], workers=1, progress=False)
        single_cpu = _cpu_seconds() - cpu
        single_peak = _worker_peak_mb()
        short_folder = Path(tempfile.mkdtemp(prefix="kexie-short-"))
        short_characters = generate_short(short_folder, args.short, args.seed)
        cpu = _cpu_seconds()
        short = extract_paths([short_folder], workers=1, progress=False)
        short_cpu = _cpu_seconds() - cpu
        long_rate, short_rate = single.characters / single_cpu, short.characters / short_cpu
        print(
            f"(a) long documents, one process: {single.characters:,} characters of {single.documents:,} documents, "
            f"{single.characters / single.seconds:,.0f} characters/s wall, {long_rate:,.0f} per CPU second"
        )
        print(
            f"(d) short documents, one process: {short_characters:,} characters of {short.documents:,} documents "
            f"({short_characters / max(short.documents, 1):,.0f} per document), {short.characters / short.seconds:,.0f} "
            f"characters/s wall, {short_rate:,.0f} per CPU second; short/long ratio {short_rate / long_rate:.2f} "
            f"(target >= 1,000,000 per CPU second: {'PASS' if short_rate >= 1_000_000 else 'FAIL'})"
        )
        if args.one_process:
            return
        from kexie_research.extract.parallel import _extractor

        _extractor.cache_clear()  # (b) pays for building the indexes, as a fresh `kexie extract` does
        pool = extract_paths([folder], workers=2, progress=False)

        with (
            dask.config.set(WORKER_CONFIG),
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            before = client.run(_cpu_seconds)
            client.run(_warm)
            warm = client.run(_cpu_seconds)
            worker_startup = {w: warm[w] - before[w] for w in warm}
            on_cluster = extract_paths([folder], scheduler=cluster.scheduler_address, progress=False)
            worker_cpu = {w: t - warm[w] for w, t in client.run(_cpu_seconds).items()}
            peaks = client.run(_worker_peak_mb)
        load_after = os.getloadavg()

        def line(label: str, result, base: float | None = None) -> str:  # type: ignore[no-untyped-def]
            ratio = f", {base / result.seconds:.2f}x one process" if base else ""
            return (
                f"{label:<34} {result.seconds:7.1f} s  {result.documents / result.seconds:8,.0f} documents/s  "
                f"{result.characters / result.seconds:11,.0f} characters/s{ratio}"
            )

        print(line("(a) one process (--workers 1)", single))
        print(line("(b) local pool (--workers 2)", pool, single.seconds))
        print(line("(c) LocalCluster (--scheduler)", on_cluster, single.seconds))
        speedup = single.seconds / on_cluster.seconds
        print(
            f"speed-up on 2 workers: {speedup:.2f}x (target >= 1.7x: {'PASS' if speedup >= 1.7 else 'FAIL'}); "
            f"with pool start-up: {single.seconds / pool.seconds:.2f}x"
        )
        busiest = max(worker_cpu.values())
        print(
            f"start-up (import, indexes): {startup_cpu:.1f} s CPU in this process (library already imported), "
            + ", ".join(f"{t:.1f} s" for t in worker_startup.values())
            + " CPU in the fresh workers of (c)"
        )
        print(
            f"CPU time of the work: one process {single_cpu:.1f} s; workers of (c) "
            + ", ".join(f"{t:.1f} s" for t in worker_cpu.values())
            + f" (total {sum(worker_cpu.values()):.1f} s): with a free core per worker the run would take "
            f"~{busiest:.1f} s, a speed-up of {single_cpu / busiest:.2f}x"
        )
        print(
            f"peak memory: one process {single_peak:,.0f} MB; per worker "
            + ", ".join(f"{mb:,.0f} MB" for mb in peaks.values())
        )
        print(
            f"load average (1 min) before {load_before[0]:.1f}, after {load_after[0]:.1f} "
            f"(the machine is shared: other jobs slow the parallel runs)"
        )
        same = single.draft.equals(pool.draft) and single.draft.equals(on_cluster.draft)
        print(
            f"candidate rows: {len(single.draft):,}; drafts identical row for row: {same}; errors: {len(single.errors)}"
        )
        if not same:
            pd.testing.assert_frame_equal(single.draft, on_cluster.draft)
            sys.exit(1)
    finally:
        if "short_folder" in locals():
            shutil.rmtree(short_folder, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
