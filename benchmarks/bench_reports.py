"""Benchmark of report regeneration (``kexie report``) against the bare cost of the analysis stack.

Measures, on the real processed data, in fresh temporary output folders:

- **bare**: N sequential Python processes that only import the analysis stack
  (``pandas, matplotlib.pyplot, seaborn, statsmodels.api, geopandas``), N = number of report runs;
- **cold**: ``kexie report --force`` into an empty folder (every notebook executed, ``--jobs 1``);
- **cached**: the same command again with nothing changed (every run taken from the cache);
- **jobs 2**: a cold run with ``--jobs 2`` (compared with the bare cost on 2 processes at a time).

Targets: cold within 1.5× the bare cost; cached under 2 s. Run from the repository root::

    python benchmarks/bench_reports.py            # all notebooks
    python benchmarks/bench_reports.py --notebooks 10_city_profile --keep /tmp/bench
"""

from __future__ import annotations

import argparse
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
    return [sys.executable, "-m", "kexie_research.runner.reports", "--output-dir", str(output_dir), "--no-progress", *extra]


def planned_runs(notebooks: list[str] | None) -> int:
    from kexie_research.runner import reports
    from kexie_research.steps.sources import city_keys

    available = reports.discover_notebooks()
    selected = reports._resolve_notebooks(notebooks, available)
    return len(reports.plan_runs(selected, city_keys(), city_keys()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", nargs="+", default=None, help="restrict to these notebooks")
    parser.add_argument("--keep", type=Path, default=None, help="keep the outputs in this folder")
    args = parser.parse_args(argv)
    selection = ["--notebooks", *args.notebooks] if args.notebooks else []
    n = planned_runs(args.notebooks)
    base = args.keep or Path(tempfile.mkdtemp(prefix="kexie-bench-"))
    cold_dir, jobs_dir = base / "cold", base / "jobs2"
    for folder in (cold_dir, jobs_dir):
        shutil.rmtree(folder, ignore_errors=True)

    print(f"{n} report runs; stack: {STACK}")
    bare = bare_cost(n)
    bare2 = bare_cost(n, parallel=2)
    cold = _timed(report_command(cold_dir, ["--force", *selection]))
    cached = _timed(report_command(cold_dir, selection))
    jobs2 = _timed(report_command(jobs_dir, ["--force", "--jobs", "2", *selection]))

    rows = [
        ("bare imports (1 at a time)", bare, None, ""),
        ("bare imports (2 at a time)", bare2, None, ""),
        ("cold, --jobs 1", cold, cold / bare, f"target ≤ {COLD_TARGET}× bare: {'met' if cold <= COLD_TARGET * bare else 'NOT met'}"),
        ("cached (nothing changed)", cached, cached / bare, f"target < {CACHED_TARGET_S:.0f} s: {'met' if cached < CACHED_TARGET_S else 'NOT met'}"),
        ("cold, --jobs 2", jobs2, jobs2 / bare2, "ratio against bare 2 at a time"),
    ]
    print(f"{'measurement':<28} {'seconds':>8} {'ratio':>7}  note")
    for name, seconds, ratio, note in rows:
        print(f"{name:<28} {seconds:8.2f} {('%.2f×' % ratio) if ratio is not None else '':>7}  {note}")
    print(f"per run: cold {cold / n:.2f} s, bare {bare / n:.2f} s")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
