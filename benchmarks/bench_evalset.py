"""Benchmark: `kexie extract` on the hand-coded evaluation sets, run as a new user would.

Each set's documents are extracted as a national corpus — the documents are not in the manifest of
``data/raw/sources.yaml``, and neither ``--place`` nor ``--reference-date`` is given — by the
``kexie extract`` command in a subprocess (one worker, with a deadline). The draft is then scored
against the coding with :func:`evalset.score` and the script prints, per set:

- **recall**: coded facts overlapped by a ``kind=fact`` candidate (target ≥ 98 %), and coded facts
  overlapped by a row of any kind;
- **precision**: ``kind=fact`` candidates that overlap a coded fact (target ≥ 85 %);
- on the found facts, the accuracy of **scope** (``admin_code`` = the coder's code; target ≥ 90 %
  of the coded facts), **period** (start and end both equal; target ≥ 85 %), **status** (target
  ≥ 90 %), **unit** and **value**; each also as a share of all coded facts;
- the frame indicator right / wrong / empty rates over the coded facts when the draft has a
  frame-indicator column (targets: ≥ 80 % right, < 10 % wrong).

A draft without ``period_start``/``period_end`` columns has them read from its ``period_text`` with
the public ``kexie_research.parse_period`` (no reference date, as the run has none); the output says
so. Per-fact comparisons (one row per coded fact with the draft's proposal and a flag per field) are
written to ``<outdir>/<set>_facts.csv`` for inspection, with the draft beside them; ``outdir``
defaults to a folder under the system's temporary directory, never the repository.

``--set`` takes one set (``evaluation``, ``development``, ``holdout`` … ``holdout6``) or a group:
``seen`` (evaluation, development, holdout, holdout2, holdout3, holdout4: the sets developed on, each
run once unseen before), ``held-out`` (holdout5 + holdout6) and ``both`` (evaluation + holdout, as
before). The held-out sets are for checking the figures at the end only: run ``--set holdout5``,
``holdout6`` or ``held-out`` once, not while tuning.

``--dates-given`` is a second protocol: each document is extracted alone with the date its page
gives (the set's manifest) as ``--reference-date``, as a reviewer who records the page date with
``kexie add-source --date`` would run it. Without it no date is given and the document's date is
read from the text alone (many web texts state a day without its year, or no date). A set whose folder is not built yet stops the run with one line
naming it.

Usage::

    python benchmarks/bench_evalset.py [--set evaluation|development|holdout|holdout2|...|holdout6|seen|held-out|both]
                                       [--outdir DIR] [--timeout 900]
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import evalset

from kexie_research import parse_period
from kexie_research.errors import ParseError


def run_extract(
    documents: Path, output: Path, timeout: float, reference_date: str | None = None
) -> tuple[pd.DataFrame, float, str]:
    """Run ``kexie extract`` on a folder (or one file) as a new user would; return the draft, seconds
    and stderr. ``reference_date`` is passed as ``--reference-date`` (the document's date as its
    reader records it)."""
    command = [
        sys.executable,
        "-m",
        "kexie_research",
        "extract",
        str(documents),
        "-o",
        str(output),
        "--workers",
        "1",
        "--no-progress",
    ]
    if reference_date:
        command += ["--reference-date", reference_date]
    started = time.perf_counter()
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise SystemExit(f"kexie extract did not finish within {timeout:.0f} s on {documents}") from None
    seconds = time.perf_counter() - started
    if not output.is_file():
        raise SystemExit(f"kexie extract wrote no draft (exit {completed.returncode}):\n{completed.stderr}")
    draft = pd.read_csv(output, dtype=str, keep_default_na=False)
    return draft, seconds, completed.stderr.strip()


def run_extract_with_dates(loaded: evalset.EvalSet, output: Path, timeout: float) -> tuple[pd.DataFrame, float, str]:
    """The ``--dates-given`` protocol: each document alone, with its date from the set's manifest as
    ``--reference-date`` where the page gives one (what a reviewer records with ``kexie add-source
    --date``); documents without a known date run as in the national protocol."""
    drafts, seconds, said = [], 0.0, []
    for row in loaded.manifest.itertuples():
        date = str(getattr(row, "date", "") or "")
        date = date if len(date) == 10 and date[4] == "-" else None
        part = output.with_name(f"{output.stem}_{row.id}.csv")
        draft, took, stderr = run_extract(loaded.documents_dir / row.file, part, timeout, date)
        drafts.append(draft)
        seconds += took
        if stderr:
            said.append(stderr)
    draft = pd.concat(drafts, ignore_index=True) if drafts else pd.DataFrame()
    draft.to_csv(output, index=False)
    return draft, seconds, "\n".join(said)


def _read_period(text: str) -> tuple[str, str]:
    try:
        period = parse_period(text or None)
    except ParseError:
        return "", ""
    if not period.resolved:
        return "", ""
    return period.start or "", period.end or ""


def with_periods(draft: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Add ``period_start``/``period_end`` read from ``period_text`` when the draft lacks them."""
    if {"period_start", "period_end"} <= set(draft.columns):
        return draft, False
    read = draft.get("period_text", pd.Series("", index=draft.index)).map(_read_period)
    return draft.assign(period_start=read.str[0], period_end=read.str[1]), True


def _pct(x: float | None) -> str:
    return "   n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:5.1f}%"


def report(name: str, loaded: evalset.EvalSet, result: dict, seconds: float, derived_periods: bool) -> None:
    """Print the figures of one set."""
    manifest = loaded.manifest
    print(
        f"\n== {name}: {len(manifest)} documents ({(manifest.script == 'traditional').sum()} traditional), "
        f"{sum(map(len, loaded.texts.values())):,} characters, {result['coded']} coded facts; "
        f"kexie extract {seconds:.1f} s wall (start-up included)"
    )
    print(
        f"recall     {_pct(result['recall'])}  ({result['found']} of {result['coded']} coded facts have a "
        f"kind=fact candidate; {result['found_any_kind']} a row of any kind)   target >= 98%"
    )
    overlapping = round(result["precision"] * result["candidates"]) if result["candidates"] else 0
    print(
        f"precision  {_pct(result['precision'])}  ({overlapping} of {result['candidates']} kind=fact "
        f"candidates overlap a coded fact)   target >= 85%"
    )
    targets = {"scope": ">= 90% of coded", "period": ">= 85% of coded", "status": ">= 90% of coded"}
    for field, figures in result["fields"].items():
        if figures is None:
            print(f"{field:<10} n/a (the draft has no column for it)")
            continue
        note = (
            " (period_start/end read from period_text by parse_period)" if field == "period" and derived_periods else ""
        )
        print(
            f"{field:<10} {_pct(figures['accuracy'])} of found ({figures['right']}/{figures['matched']}), "
            f"{_pct(figures['of_coded'])} of coded   {targets.get(field, '')}{note}"
        )
    frame = result["frame"]
    if frame is None:
        print("frame      n/a (the draft has no frame-indicator column)")
    else:
        print(
            f"frame      right {_pct(frame['right'])}, wrong {_pct(frame['wrong'])}, empty {_pct(frame['empty'])} "
            f"of coded (column {frame['column']})   target right >= 80%, wrong < 10%"
        )
    if result["missing_columns"]:
        print(f"draft lacks: {', '.join(result['missing_columns'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set",
        choices=(*evalset.SET_NAMES, *evalset.SET_GROUPS),
        default="evaluation",
        help="one set, or a group: seen = evaluation … holdout4; held-out = holdout5 + holdout6, "
        "both = evaluation + holdout",
    )
    parser.add_argument("--outdir", type=Path, default=Path(tempfile.gettempdir()) / "kexie_bench_evalset")
    parser.add_argument("--timeout", type=float, default=900.0, help="deadline of each kexie extract run, seconds")
    parser.add_argument(
        "--dates-given",
        action="store_true",
        help="run each document alone with its page date as --reference-date (the reviewer's protocol); "
        "default: the whole set as a national corpus, no date given",
    )
    args = parser.parse_args(argv)
    repository = Path(__file__).resolve().parent.parent
    outdir = args.outdir.resolve()
    if outdir == repository or repository in outdir.parents:
        parser.error(f"--outdir {outdir} is inside the repository; inspection files stay outside it")
    outdir.mkdir(parents=True, exist_ok=True)
    names = evalset.expand_sets(args.set)
    try:
        loaded_sets = [evalset.load_set(name) for name in names]
    except evalset.EvalSetError as exc:
        parser.exit(2, f"bench_evalset: {exc}\n")
    for name, loaded in zip(names, loaded_sets):
        draft_path = outdir / f"{name}_draft.csv"
        if args.dates_given:
            draft, seconds, stderr = run_extract_with_dates(loaded, draft_path, args.timeout)
        else:
            draft, seconds, stderr = run_extract(loaded.documents_dir, draft_path, args.timeout)
        draft, derived = with_periods(draft)
        result = evalset.score(draft, loaded.coding)
        report(name, loaded, result, seconds, derived)
        facts_path = outdir / f"{name}_facts.csv"
        result["table"].to_csv(facts_path, index=False)
        print(f"per-fact comparison: {facts_path}; draft: {draft_path}")
        if stderr:
            print(f"kexie extract said: {stderr[-500:]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
