"""Benchmark: ``kexie build`` on a national-scale collection of coding sheets.

Generates, in a temporary copy of ``data/raw``:

- ``--documents`` sources (default 200), each a byte-for-byte copy of one of the real documents under
  a new name, with its own coding sheet, so that every quote still occurs in its document;
- about 300 synthetic county-level places (made-up names and codes, under the real prefectures) in
  the place reference, over which the county-level scopes are spread;
- ``--rows`` coded rows (default 1,000,000) drawn from the real rows' forms (indicator, scope,
  raw_text, period, quote, note) with new record ids (``AB-000123``), about 2 % of them broken on
  purpose (unknown indicator, quote not in the document, bad status, duplicate id, formula cell) so
  that the quarantine path is exercised at scale.

It then runs, each in a fresh subprocess pinned to one core (peak memory = the child's peak RSS):

(a) the whole ``kexie build`` (read, check, clean, validate, write) on all rows, and its floor: reading
    the same sheets and writing as many rows as CSV and Parquet with nothing checked (target: the build
    within 4x its floor);
(b) on a ``--sample``-row sample (default 10,000), the column-wise step and the row-by-row reference
    (``tests/steps/rowwise_reference.py``, the former per-row path), checking that both give the same
    tables, and their ratio.

It prints the figures and PASS/FAIL against the targets (all rows in under 60 s on one core with a
peak under 4 GB). Time is CPU time of the pinned core (``time.process_time``), printed beside the
wall time: on a shared machine the wall time also counts the waits for that core. It asserts
nothing, so a slow machine never fails a test run.

Usage::

    python benchmarks/bench_build.py [--rows 1000000] [--documents 200] [--sample 10000] [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pandas as pd
import yaml

from kexie_research import config
from kexie_research.schemas.indicators import SHEET_COLUMNS

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent / "tests" / "steps" / "rowwise_reference.py"
# Made-up place-name stems: first and second characters from disjoint sets that occur in no real
# place name of the reference, so that no synthetic name contains another one.
FIRST = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰"
SECOND = "鹤鹭鸥鹃鸠鸾鹊鹏鹰鹳鹄鹂鹞鹦鹉鸳鸯鸿鹇鹎"
# parent code -> the first four digits of the synthetic codes under it. A scope resolves among the
# places of its own case and the places of no case (those under 500000 here).
PARENTS = {"450400": "4504", "450200": "4502", "510100": "5101", "520300": "5203", "500000": "5002"}
TARGET_SECONDS, TARGET_BYTES = 60.0, 4 * 1024**3
# The whole build may cost at most this many times its floor: reading the sheets and writing as many rows.
TARGET_FLOOR_RATIO = 4.0


def _prefixes() -> list[str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [a + b for a in letters for b in letters]


def generate(raw: Path, rows: int, documents: int, seed: int) -> dict[str, int]:
    """Write the synthetic collection into ``raw`` (a copy of data/raw); return a few counts."""
    rng = random.Random(seed)
    manifest = yaml.safe_load((raw / "sources.yaml").read_text(encoding="utf-8"))
    originals = manifest["sources"]
    real_sheets = {
        entry["source_id"]: pd.read_csv(
            raw / "indicators" / f"{entry['source_id']}.csv", dtype=str, keep_default_na=False
        )
        for entry in originals
    }

    # ~300 synthetic county-level places under the real prefectures
    places_path = raw / "reference" / "places_2020.csv"
    places = pd.read_csv(places_path, dtype=str, keep_default_na=False)
    taken = set(places["admin_code"])
    new_places, names = [], {}  # parent code -> names of the synthetic counties under it
    stems = [a + b for a in FIRST for b in SECOND]
    for number, stem in enumerate(stems):
        parent = list(PARENTS)[number % len(PARENTS)]
        for suffix in range(10, 100):
            code = f"{PARENTS[parent]}{suffix:02d}"
            if code not in taken:
                taken.add(code)
                break
        row = dict.fromkeys(places.columns, "")
        row.update(
            admin_code=code,
            name_zh=f"{stem}县",
            name_en=f"Synthetic county {number}",
            level="county",
            parent_code=parent,
            note="synthetic place for benchmarks/bench_build.py",
        )
        new_places.append(row)
        names.setdefault(parent, []).append(f"{stem}县")
    pd.concat([places, pd.DataFrame(new_places)], ignore_index=True).to_csv(
        places_path, index=False, lineterminator="\n"
    )

    # sources: copies of the real documents; one sheet each
    for path in (raw / "indicators").glob("*.csv"):
        path.unlink()
    entries = []
    for number in range(documents):
        original = originals[number % len(originals)]
        entry = dict(original)
        entry["source_id"] = f"{original['source_id']}_{number:04d}"
        entry["file"] = f"bench_{number:04d}_{original['file']}"
        shutil.copyfile(raw / "documents" / original["file"], raw / "documents" / entry["file"])
        entries.append(entry)
    manifest["sources"] = originals + entries  # keep the real sources (their sheets are replaced by none)
    for original in originals:
        (raw / "indicators" / f"{original['source_id']}.csv").write_text(
            ",".join(SHEET_COLUMNS) + "\n", encoding="utf-8"
        )
    (raw / "sources.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")

    case_code = {entry["admin_code"]: entry["case"] for entry in originals}
    prefixes = _prefixes()
    per_sheet = [rows // documents + (1 if number < rows % documents else 0) for number in range(documents)]
    broken = 0
    for number, (entry, count) in enumerate(zip(entries, per_sheet)):
        forms = real_sheets[entry["source_id"].rsplit("_", 1)[0]].to_dict("records")
        case = entry["case"]
        local = [name for parent, group in names.items() if case_code.get(parent) in (None, case) for name in group]
        prefix = prefixes[number % len(prefixes)]
        with (raw / "indicators" / f"{entry['source_id']}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(SHEET_COLUMNS)
            for index in range(count):
                row = dict(forms[rng.randrange(len(forms))])
                row["record_id"] = f"{prefix}-{number // len(prefixes) * 100_000 + index:06d}"
                if row["scope_level"] == "county" and rng.random() < 0.7:
                    row["scope_zh"] = f"{local[rng.randrange(len(local))]}科协"
                if rng.random() < 0.02:
                    broken += 1
                    fault = rng.randrange(5)
                    if fault == 0:
                        row["indicator_id"] = "no_such_indicator"
                    elif fault == 1:
                        row["quote"] = row["quote"] + "（未见于原文）"
                    elif fault == 2:
                        row["status"] = "maybe"
                    elif fault == 3 and index:
                        row["record_id"] = f"{prefix}-{number // len(prefixes) * 100_000:06d}"
                    else:
                        row["note"] = '=HYPERLINK("http://example.invalid")'
                writer.writerow([row[name] for name in SHEET_COLUMNS])
    return {"rows": rows, "documents": documents, "places": len(new_places), "broken": broken}


def _peak_rss() -> int:
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def child_build(raw: Path, out: Path) -> dict:
    _pin_one_core()
    from kexie_research.build import build

    start, cpu = time.perf_counter(), time.process_time()
    result = build(raw_dir=raw, out_dir=out, echo=None)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_rss": _peak_rss(),
        "coded": int(result.counts.loc["total", "coded"]),
        "processed": len(result.indicators),
        "quarantined": len(result.quarantine),
    }


def child_floor(raw: Path, out: Path) -> dict:
    """The build's floor: read every coding sheet and write the rows read as CSV and Parquet, nothing checked."""
    _pin_one_core()
    from kexie_research.steps.indicators import read_sheets
    from kexie_research.steps.sources import read_sources

    start, cpu = time.perf_counter(), time.process_time()
    sheets = read_sheets(raw, [entry["source_id"] for entry in read_sources(raw)])
    out.mkdir(parents=True, exist_ok=True)
    sheets.to_csv(out / "floor.csv", index=False, encoding="utf-8", lineterminator="\n")
    sheets.to_parquet(out / "floor.parquet", index=False, engine="pyarrow")
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "rows": len(sheets)}


def child_compare(raw: Path) -> dict:
    _pin_one_core()
    from kexie_research.steps import indicators as step
    from kexie_research.steps.codebook import read_codebook
    from kexie_research.steps.places import PlaceResolver
    from kexie_research.steps.sources import verify_sources

    spec = importlib.util.spec_from_file_location("kexie_rowwise_reference", REFERENCE)
    reference = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = reference
    spec.loader.exec_module(reference)
    sources, codebook = verify_sources(raw), read_codebook(raw)
    timings, results = {}, {}
    for name, module in (("column-wise", step), ("row-by-row", reference)):
        resolver = PlaceResolver.from_raw(raw)
        start = time.process_time()
        results[name] = module.run(raw, sources, codebook, resolver)
        timings[name] = time.process_time() - start
    fast, slow = results["column-wise"], results["row-by-row"]
    identical = (
        fast.indicators.equals(slow.indicators)
        and fast.quarantine.equals(slow.quarantine)
        and fast.counts.equals(slow.counts)
    )
    return {
        "seconds": timings,
        "coded": int(fast.counts.loc["total", "coded"]),
        "identical": bool(identical),
        "quarantined": len(fast.quarantine),
    }


def _run_child(*args: str) -> dict:
    completed = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True)
    if completed.returncode:
        sys.exit(f"benchmark child {args[0]} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _copy_raw(target: Path) -> Path:
    shutil.copytree(config.raw_dir(), target, ignore=shutil.ignore_patterns("geo"))
    (target / "geo").symlink_to(config.raw_dir() / "geo")  # the boundary layers are read, never changed
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *paths = args.child
        children = {"build": child_build, "floor": child_floor, "compare": child_compare}
        result = children[kind](*(Path(path) for path in paths))
        print(json.dumps(result))
        return 0

    with tempfile.TemporaryDirectory(prefix="kexie-bench-build-") as tmp:
        tmp_path = Path(tmp)
        start = time.perf_counter()
        full = generate(_copy_raw(tmp_path / "raw"), args.rows, args.documents, args.seed)
        generated = time.perf_counter() - start
        generate(_copy_raw(tmp_path / "sample"), args.sample, min(args.documents, 10), args.seed)
        print(
            f"generated {full['rows']:,} rows in {full['documents']} sheets over {full['places']} synthetic places "
            f"({full['broken']:,} broken on purpose) in {generated:.1f} s"
        )

        compare = _run_child("compare", str(tmp_path / "sample"))
        built = _run_child("build", str(tmp_path / "raw"), str(tmp_path / "out"))
        floor = _run_child("floor", str(tmp_path / "raw"), str(tmp_path / "floor"))

    fast, slow = compare["seconds"]["column-wise"], compare["seconds"]["row-by-row"]
    per_row = built["coded"] / (compare["coded"] / slow)
    print(
        f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(CPU seconds = the time on the one pinned core; wall seconds include waiting for it)"
    )
    print()
    print(f"{'':36}{'column-wise':>14}{'row-by-row':>14}")
    print(f"{'sample of ' + format(compare['coded'], ',') + ' rows, step only, CPU s':36}{fast:14.2f}{slow:14.2f}")
    print(f"{'  rows per CPU second':36}{compare['coded'] / fast:14,.0f}{compare['coded'] / slow:14,.0f}")
    print(f"{'  ratio (same run)':36}{slow / fast:13.1f}x")
    print(f"{'  same tables':36}{compare['identical']!s:>14}")
    print(
        f"{format(built['coded'], ',') + ' rows, whole build, CPU s':36}{built['cpu']:14.1f}{per_row:14,.0f}  (row-by-row: extrapolated)"
    )
    print(f"{'  wall s':36}{built['seconds']:14.1f}")
    print(f"{'  rows per CPU second':36}{built['coded'] / built['cpu']:14,.0f}")
    print(f"{'  ratio (row-by-row extrapolated)':36}{per_row / built['cpu']:13.1f}x")
    print(f"{'  floor (read sheets + write rows), CPU s':36}{floor['cpu']:14.1f}")
    print(f"{'  build / floor':36}{built['cpu'] / floor['cpu']:13.1f}x")
    print(f"{'  peak memory (RSS), GB':36}{built['peak_rss'] / 1024**3:14.2f}")
    print(f"{'  processed + quarantined':36}{built['processed']:>14,} + {built['quarantined']:,}")
    print()
    scaled = args.rows / 1_000_000
    ok_time = built["cpu"] <= TARGET_SECONDS * scaled
    ok_memory = built["peak_rss"] <= TARGET_BYTES
    ok_floor = built["cpu"] <= TARGET_FLOOR_RATIO * floor["cpu"]
    print(
        f"target: 1,000,000 rows in under {TARGET_SECONDS:.0f} s on one core -> "
        f"{'PASS' if ok_time else 'FAIL'} (CPU time){'' if args.rows == 1_000_000 else f', scaled to {args.rows:,} rows'}"
    )
    print(
        f"target: whole build within {TARGET_FLOOR_RATIO:.0f}x its floor (read + write) -> {'PASS' if ok_floor else 'FAIL'}"
    )
    print(f"target: peak memory under 4 GB -> {'PASS' if ok_memory else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
