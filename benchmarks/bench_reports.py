"""Benchmark of report regeneration (``kexie report``) against the bare cost of the analysis stack.

Measures, on the real processed data, in fresh temporary output folders:

- **bare**: N sequential Python processes that only import the analysis stack
  (``pandas, matplotlib.pyplot, seaborn, statsmodels.api, geopandas``), N = number of report runs;
- **cold**: ``kexie report --force`` into an empty folder (every notebook executed, ``--jobs 1``);
- **cached**: the same command again with nothing changed (every run taken from the cache);
- **jobs 2**: a cold run with ``--jobs 2``, compared with its floor: the same number of Python
  processes importing the stack, two at a time;
- **jobs 2, spawned kernels**: the same with ``--spawn-kernels`` (every kernel a new process that
  imports its modules itself, as before 0.3): what forking kernels from the template saves.

Targets: cold within 1.5× the bare cost; cached under 2 s; ``--jobs 2`` within 1.3× its floor.
Every figure is measured in the same run, so the ratios compare like with like on a busy machine.
Run from the repository root::

    python benchmarks/bench_reports.py            # all notebooks
    python benchmarks/bench_reports.py --jobs2-only   # only the --jobs 2 run and its floor
    python benchmarks/bench_reports.py --notebooks 10_case_profile --keep /tmp/bench
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

STACK = "import pandas, matplotlib.pyplot, seaborn, statsmodels.api, geopandas"
COLD_TARGET = 1.5
CACHED_TARGET_S = 2.0
JOBS2_TARGET = 1.3


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"benchmark command failed ({completed.returncode}): {' '.join(command)}")
    return elapsed


def bare_cost(n: int, parallel: int = 1) -> float:
    """Wall time of ``n`` interpreters importing the stack, ``parallel`` at a time."""
    command = [sys.executable, "-c", STACK]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        list(pool.map(lambda _: _timed(command), range(n)))
    return time.perf_counter() - start


def report_command(output_dir: Path, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "kexie_research.runner", "--output-dir", str(output_dir), "--no-progress", *extra]


def planned_runs(notebooks: list[str] | None) -> int:
    from kexie_research.runner.discover import discover_notebooks
    from kexie_research.runner.plan import case_keys, plan_runs, resolve_notebooks

    selected = resolve_notebooks(notebooks, discover_notebooks())
    return len(plan_runs(selected, case_keys(), case_keys()))


def _timed_report(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if completed.returncode not in (0, 1):
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"benchmark command failed ({completed.returncode}): {' '.join(command)}")
    for line in completed.stderr.splitlines():
        if " failed: " in line:  # a failing notebook is timed all the same; say so beside the figures
            print(f"note: {line}")
    font = next((line for line in completed.stdout.splitlines() if line.startswith("font:")), "")
    return elapsed, font


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", nargs="+", default=None, help="restrict to these notebooks")
    parser.add_argument("--keep", type=Path, default=None, help="keep the outputs in this folder")
    parser.add_argument("--jobs2-only", action="store_true", help="measure only the --jobs 2 run and its floor")
    args = parser.parse_args(argv)
    selection = ["--notebooks", *args.notebooks] if args.notebooks else []
    n = planned_runs(args.notebooks)
    base = args.keep or Path(tempfile.mkdtemp(prefix="kexie-bench-"))
    cold_dir, jobs_dir = base / "cold", base / "jobs2"
    for folder in (cold_dir, jobs_dir):
        shutil.rmtree(folder, ignore_errors=True)

    print(f"{n} report runs; stack: {STACK}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    rows = []
    if not args.jobs2_only:
        bare = bare_cost(n)
        cold, font = _timed_report(report_command(cold_dir, ["--force", "--jobs", "1", *selection]))
        cached, _ = _timed_report(report_command(cold_dir, ["--jobs", "1", *selection]))
        rows += [
            ("bare imports (1 at a time)", bare, None, ""),
            (
                "cold, --jobs 1",
                cold,
                cold / bare,
                f"target ≤ {COLD_TARGET}× bare: {'met' if cold <= COLD_TARGET * bare else 'NOT met'}",
            ),
            (
                "cached (nothing changed)",
                cached,
                cached / bare,
                f"target < {CACHED_TARGET_S:.0f} s: {'met' if cached < CACHED_TARGET_S else 'NOT met'}",
            ),
        ]
    bare2 = bare_cost(n, parallel=2)
    jobs2, font = _timed_report(report_command(jobs_dir, ["--force", "--jobs", "2", *selection]))
    rows += [
        ("floor: bare imports, 2 at a time", bare2, None, ""),
        (
            "cold, --jobs 2",
            jobs2,
            jobs2 / bare2,
            f"target ≤ {JOBS2_TARGET}× floor: {'met' if jobs2 <= JOBS2_TARGET * bare2 else 'NOT met'}",
        ),
    ]
    if not args.jobs2_only:
        spawned, _ = _timed_report(report_command(jobs_dir, ["--force", "--jobs", "2", "--spawn-kernels", *selection]))
        rows.append(
            (
                "cold, --jobs 2 --spawn-kernels",
                spawned,
                spawned / bare2,
                f"forked kernels take {jobs2 / spawned:.2f}× this time",
            )
        )
    print(f"{'measurement':<34} {'seconds':>8} {'ratio':>7}  note")
    for name, seconds, ratio, note in rows:
        print(f"{name:<34} {seconds:8.2f} {(f'{ratio:.2f}×') if ratio is not None else '':>7}  {note}")
    print(f"per run: --jobs 2 {jobs2 / n:.2f} s, floor {bare2 / n:.2f} s")
    if font:
        print(font)
    print(f"load average {os.getloadavg()[0]:.1f} at the end (other work on the machine inflates both sides)")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
