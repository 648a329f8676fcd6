"""Mutation testing (``make mutation``; not part of ``make test``): how many planted bugs the tests catch.

Each target runs on its own, in its own working folder ``build/mutation/<target>/`` (links to the
package and the tests, and a ``pyproject.toml`` whose ``[tool.mutmut]`` names the target's modules
and its narrow test selection), under ``nice -n 19`` and a deadline:

- ``mutmut`` mutates the code inside every function and method of the target's modules;
- mutmut never mutates module-level code, so the period grammar's patterns and word lists
  (``parse/periods.py`` and ``parse/numerals.py``) are mutated by :mod:`scripts.mutate_constants`:
  each string of a module-level assignment wrapped in ``XX`` (a word dropped from its list, an
  alternative of a pattern broken) and each integer plus one.

It prints, per module, the mutants, killed (a test failed or timed out), survived and the score;
``--show`` lists the survivors. Usage::

    python scripts/mutation.py [parse|indicators|qca|grammar ...] [--timeout 5400] [--show] [--only GLOB ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "mutation"
PYTEST_ARGS = ["-p", "no:cacheprovider", "-m", "not slow", "-q", "-x", "--no-header", "-p", "no:warnings"]
#: target -> (modules mutated by mutmut, the tests that exercise them)
TARGETS: dict[str, tuple[list[str], list[str]]] = {
    "parse": (["kexie_research/parse/*.py"], ["tests/parse"]),
    "indicators": (
        ["kexie_research/steps/indicators.py", "kexie_research/steps/row_checks.py"],
        ["tests/steps/test_indicators.py", "tests/steps/test_row_checks.py", "tests/parse/test_quantities_infinite.py"],
    ),
    "qca": (["kexie_research/analysis/qca.py"], ["tests/analysis/test_qca.py", "tests/analysis/test_qca_cuts.py"]),
}
#: module-level constants (the grammar) -> the tests that exercise them
GRAMMAR: dict[str, list[str]] = {
    "kexie_research/parse/periods.py": [
        "tests/parse/test_periods_words.py",
        "tests/parse/test_periods.py",
        "tests/parse/test_periods_forms.py",
        "tests/parse/test_periods_days.py",
        "tests/parse/test_periods_bounds.py",
    ],
}
#: mutmut's exit codes of a mutant (mutmut.stats.status_by_exit_code): a test failed, the tests ran out of
#: time (a mutant that loops), the tests passed or no test ran it; anything else (not checked, suspicious) is "other",
#: printed beside the score, which is caught / (caught + survived)
KILLED, TIMEOUT, SURVIVED = {1, 3}, {24, 36, 152, 255, -24}, {0, 5, 33}


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(value) for value in values) + "]"


def prepare(target: str) -> Path:
    """The working folder of ``target``: links to the sources and tests, and its own mutmut configuration."""
    modules, tests = TARGETS[target]
    folder = WORK / target
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("kexie_research", "tests", "conftest.py"):
        link = folder / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = project.split("\n[tool.mutmut]")[0]
    config = (
        f'\n[tool.mutmut]\nsource_paths = ["kexie_research"]\nonly_mutate = {_toml_list(modules)}\n'
        f"pytest_add_cli_args = {_toml_list(PYTEST_ARGS)}\n"
        f'pytest_add_cli_args_test_selection = {_toml_list(tests)}\nalso_copy = ["conftest.py"]\n'
        "use_git_change_detection = false\ntimeout_multiplier = 5.0\ntimeout_constant = 10.0\n"
    )
    (folder / "pyproject.toml").write_text(project.rstrip("\n") + "\n" + config, encoding="utf-8")
    shutil.rmtree(folder / "mutants", ignore_errors=True)  # a fresh run: the sources may have changed
    # The tests run inside mutants/: links to the data and notebooks make it a source checkout
    # (kexie_research.config.repo_root); mutmut copies the package and the tests next to them.
    (folder / "mutants").mkdir()
    for name in ("data", "notebooks"):
        (folder / "mutants" / name).symlink_to(ROOT / name)
    return folder


def scores(folder: Path) -> dict[str, Counter]:
    """Per mutated module: killed, survived and other (not run, skipped …) mutants of a finished mutmut run."""
    result: dict[str, Counter] = {}
    for meta in sorted((folder / "mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        if not codes:
            continue
        module = str(meta.relative_to(folder / "mutants")).removesuffix(".meta")
        counts = result.setdefault(module, Counter())
        for key, code in codes.items():
            kind = (
                "killed"
                if code in KILLED
                else "timeout"
                if code in TIMEOUT
                else "survived"
                if code in SURVIVED
                else "other"
            )
            counts[kind] += 1
            if kind == "survived" or (kind == "other" and code is not None):
                result.setdefault("_survivors", Counter())[f"{key} ({kind}, exit code {code})"] += 1
    return result


def run_mutmut(target: str, timeout: int, only: list[str]) -> dict[str, Counter]:
    folder = prepare(target)
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the mutated copy must be imported, never this checkout
    command = [
        "nice",
        "-n",
        "19",
        "timeout",
        str(timeout),
        str(Path(sys.executable).with_name("mutmut")),
        "run",
        "--max-children",
        "1",
        *only,
    ]
    print(f"== mutmut on {target}: {' '.join(TARGETS[target][0])} (tests: {' '.join(TARGETS[target][1])})", flush=True)
    completed = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)
    if completed.returncode:
        print(f"   mutmut exited with {completed.returncode}: {completed.stdout[-1500:]}{completed.stderr[-1500:]}")
    return scores(folder)


def run_grammar(timeout: int) -> dict[str, Counter]:
    result: dict[str, Counter] = {}
    for module, tests in GRAMMAR.items():
        print(f"== module-level constants of {module} (tests: {' '.join(tests)})", flush=True)
        command = [
            "nice",
            "-n",
            "19",
            "timeout",
            str(timeout),
            sys.executable,
            str(ROOT / "scripts" / "mutate_constants.py"),
            module,
            "--json",
            "--",
            *tests,
            *PYTEST_ARGS,
        ]
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        lines = completed.stdout.strip().splitlines()
        if completed.returncode or not lines:
            print(f"   failed ({completed.returncode}): {completed.stdout[-1500:]}{completed.stderr[-1500:]}")
            continue
        report = json.loads(lines[-1])
        counts = Counter({"killed": report["killed"], "survived": len(report["survivors"])})
        result[module + " (module level)"] = counts
        for survivor in report["survivors"]:
            result.setdefault("_survivors", Counter())[f"{module}: {survivor}"] += 1
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", default=[*TARGETS, "grammar"], choices=[*TARGETS, "grammar"])
    parser.add_argument("--timeout", type=int, default=5400, help="seconds allowed to each target's run")
    parser.add_argument("--show", action="store_true", help="list the surviving mutants")
    parser.add_argument(
        "--only",
        nargs="+",
        default=[],
        metavar="GLOB",
        help="mutmut's mutant names to run, e.g. 'kexie_research.steps.row_checks.*'",
    )
    args = parser.parse_args(argv)
    table: dict[str, Counter] = {}
    for target in args.targets:
        found = run_grammar(args.timeout) if target == "grammar" else run_mutmut(target, args.timeout, args.only)
        for module, counts in found.items():
            table.setdefault(module, Counter()).update(counts)
    survivors = table.pop("_survivors", Counter())
    print(f"\n{'module':56}{'mutants':>9}{'killed':>8}{'timeout':>9}{'survived':>10}{'other':>7}{'score':>9}")
    for module, counts in table.items():
        caught = counts["killed"] + counts["timeout"]
        total = caught + counts["survived"] + counts["other"]
        judged = caught + counts["survived"]  # "other": not run (a deadline, --only) or suspicious; listed, not scored
        score = f"{100 * caught / judged:.1f} %" if judged else "-"
        print(
            f"{module:56}{total:9}{counts['killed']:8}{counts['timeout']:9}{counts['survived']:10}{counts['other']:7}{score:>9}"
        )
    if args.show:
        print("\nsurvivors:")
        for name in sorted(survivors):
            print("  ", name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
