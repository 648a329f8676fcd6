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
``--show`` lists the survivors. A mutant listed in ``scripts/mutation_equivalent.md`` (one no behaviour
can tell apart from the original, each with the reason) is left out of the score and counted apart.

A full run of ``parse`` (about 3,100 mutants) takes hours on two shared cores, so by default
(``--sample auto``) each target runs a deterministic sample: the mutants' names sorted, every K-th one
(``SAMPLE_EVERY``) from an offset drawn with ``--seed`` (so the sample is spread over every function and
the same on every run of the same sources); the score is then the sample's, and every line says
``sampled 1 in K``. ``--sample 1`` runs every mutant. Usage::

    python scripts/mutation.py [parse|indicators|qca|grammar ...] [--timeout 5400] [--show]
                               [--only GLOB ...] [--sample auto|K] [--seed 21]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import re
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
        [
            "tests/steps/test_indicators.py",
            "tests/steps/test_row_checks.py",
            "tests/parse/test_quantities_infinite.py",
            "tests/steps/test_indicators_mutation_kills.py",
            "tests/steps/test_row_checks_fresh_kills.py",
            "tests/steps/test_indicators_pages_and_breaks.py",
            "tests/ingest/test_sheets.py",  # coding sheets kept as .xlsx workbooks (read_sheet)
            "tests/steps/test_indicators_sheet_folder.py",
            "tests/steps/test_row_checks_examples.py",
            "tests/steps/test_indicators_finish.py",
        ],
    ),
    "qca": (
        ["kexie_research/analysis/qca.py"],
        [
            "tests/analysis/test_qca.py",
            "tests/analysis/test_qca_cuts.py",
            "tests/analysis/test_qca_mutation_kills.py",
            "tests/analysis/test_qca_fresh_kills.py",
            "tests/analysis/test_qca_outputs_in_full.py",
            "tests/analysis/test_qca_scenarios_and_measures.py",
        ],
    ),
}
#: module-level constants (the grammar) -> the tests that exercise them
GRAMMAR: dict[str, list[str]] = {
    "kexie_research/parse/periods.py": [
        "tests/parse/test_periods_words.py",
        "tests/parse/test_periods.py",
        "tests/parse/test_periods_forms.py",
        "tests/parse/test_periods_days.py",
        "tests/parse/test_periods_bounds.py",
        "tests/parse/test_periods_mutation_kills.py",
        "tests/parse/test_periods_goal_year.py",
        "tests/parse/test_periods_relative.py",
        "tests/parse/test_period_cues_fresh.py",
        "tests/parse/test_refusal_reasons.py",
        "tests/parse/test_period_cues_relative_months.py",
    ],
}
#: mutmut's exit codes of a mutant (mutmut.stats.status_by_exit_code): a test failed, the tests ran out of
#: time (a mutant that loops), the tests passed or no test ran it; anything else (not checked, suspicious) is "other",
#: printed beside the score, which is caught / (caught + survived)
KILLED, TIMEOUT, SURVIVED = {1, 3}, {24, 36, 152, 255, -24}, {0, 5, 33}
#: ``--sample auto``: every K-th mutant of each target, so that each runs in about 5 to 25 minutes on two
#: shared cores (mutmut's per-mutant overhead is about 8 s; parse has about 3,100 mutants, indicators 2,300,
#: qca 1,300, the grammar 340); ``--sample 1`` runs them all (hours for parse and indicators)
SAMPLE_EVERY: dict[str, int] = {"parse": 60, "indicators": 80, "qca": 20, "grammar": 10}
#: the mutants no test can kill, each with the reason (``- `name`: why``)
EQUIVALENT_FILE = ROOT / "scripts" / "mutation_equivalent.md"
#: a mutant name no mutant has: a first ``mutmut run`` with it generates the mutants and the test
#: statistics, then stops (nothing to run), so that the sample can be drawn from the mutants' names
_NO_MUTANT = "no.such.mutant__mutmut_0"


def equivalent_mutants(path: Path = EQUIVALENT_FILE) -> dict[str, str]:
    """The equivalent mutants of ``path``: name -> the reason no test can tell it from the original.

    A mutant of mutmut is named as mutmut names it; a module-level mutant of the grammar as
    ``<module>: <line before> -> <line after>`` (see ``grammar_key``).
    """
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^- `(?P<name>[^`]+)`: (?P<reason>.+)$", line.strip())
        if match:
            found[match["name"]] = match["reason"]
    return found


def sample(names: list[str], every: int, seed: int) -> list[str]:
    """Every ``every``-th of the sorted ``names``, from an offset drawn with ``seed`` (all of them for 1).

    >>> sample(["b", "a", "d", "c", "e"], 2, seed=0)
    ['b', 'd']
    """
    if every <= 1:
        return sorted(names)
    offset = random.Random(seed).randrange(every)
    return sorted(names)[offset::every]


#: mutmut runs pytest several times in one process (statistics, the clean run) and forks each mutant's
#: run from it. This plugin (``-p``) starts every session afresh: (1) a test module imported by an
#: earlier run keeps its ``parametrize`` marks, whose explicit non-ASCII ids pytest escapes again on
#: the next collection (``test_each_form[\\u5e74]`` "not found"), so the test modules are forgotten;
#: (2) the package's ``functools`` caches (``parse_period``, the quantity reader …) hold the unmutated
#: results of the earlier runs, which a forked mutant would return without running its code (a
#: planted bug "survives"), so they are cleared.
FRESH_TESTS_PLUGIN = "kexie_fresh_tests"
_FRESH_TESTS_CODE = """import sys


def pytest_sessionstart(session):
    for name, module in list(sys.modules.items()):
        path = str(getattr(module, "__file__", None) or "")
        if "/tests/" in path and "site-packages" not in path:
            del sys.modules[name]
        elif name.startswith("kexie_research"):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()
"""


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
        f"pytest_add_cli_args = {_toml_list([*PYTEST_ARGS, '-p', FRESH_TESTS_PLUGIN])}\n"
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
    (folder / "mutants" / f"{FRESH_TESTS_PLUGIN}.py").write_text(_FRESH_TESTS_CODE, encoding="utf-8")
    return folder


def scores(folder: Path) -> dict[str, Counter]:
    """Per mutated module: killed, survived, equivalent, not run and other (skipped …) mutants of a mutmut run."""
    result: dict[str, Counter] = {}
    equivalent = equivalent_mutants()
    for meta in sorted((folder / "mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        if not codes:
            continue
        module = str(meta.relative_to(folder / "mutants")).removesuffix(".meta")
        counts = result.setdefault(module, Counter())
        for key, code in codes.items():
            kind = (
                "not run"
                if code is None
                else "equivalent"
                if key in equivalent and code in SURVIVED
                else "killed"
                if code in KILLED
                else "timeout"
                if code in TIMEOUT
                else "survived"
                if code in SURVIVED
                else "other"
            )
            counts[kind] += 1
            if kind in ("survived", "other"):
                result.setdefault("_survivors", Counter())[f"{key} ({kind}, exit code {code})"] += 1
    return result


def mutant_names(folder: Path) -> list[str]:
    """Every mutant's name of a generated run (``mutants/**.py.meta``)."""
    names = []
    for meta in (folder / "mutants").rglob("*.py.meta"):
        names += json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
    return names


def run_mutmut(target: str, timeout: int, only: list[str], every: int = 1, seed: int = 0) -> dict[str, Counter]:
    folder = prepare(target)
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the mutated copy must be imported, never this checkout
    mutmut = ["nice", "-n", "19", "timeout", str(timeout), str(Path(sys.executable).with_name("mutmut")), "run"]
    mutmut += ["--max-children", "1"]
    print(f"== mutmut on {target}: {' '.join(TARGETS[target][0])} (tests: {' '.join(TARGETS[target][1])})", flush=True)
    if every > 1 and not only:
        # generate the mutants and the statistics (which tests run which function) only, then draw
        subprocess.run([*mutmut, _NO_MUTANT], cwd=folder, env=env, capture_output=True, text=True, check=False)
        names = mutant_names(folder)
        if not names:
            print("   mutmut generated no mutants")
            return {}
        only = sample(names, every, seed)
        print(f"   sampled 1 in {every} (seed {seed}): {len(only)} of {len(names)} mutants", flush=True)
    completed = subprocess.run([*mutmut, *only], cwd=folder, env=env, capture_output=True, text=True, check=False)
    log = folder / "mutmut.log"  # mutmut's whole output: a failing clean run shows its pytest error there
    log.write_text(completed.stdout + completed.stderr, encoding="utf-8")
    if completed.returncode:
        print(f"   mutmut exited with {completed.returncode} (its output: {log}): {completed.stderr[-800:]}")
    return scores(folder)


def _constant_mutator() -> object:
    spec = importlib.util.spec_from_file_location("kexie_mutate_constants", ROOT / "scripts" / "mutate_constants.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def grammar_key(module: str, original: str, mutated: str) -> str:
    """The name of a module-level mutant in ``mutation_equivalent.md``: its module and its changed line.

    ``original`` and ``mutated`` are the statement's code before and after the change; the key is
    the first line that differs, before and after (stripped), so that it stays the same when lines
    are added above it.

    >>> grammar_key("kexie_research/parse/periods.py", 'X = (\\n    "a",\\n    "b",\\n)', 'X = (\\n    "XXaXX",\\n    "b",\\n)')
    'kexie_research/parse/periods.py: "a", -> "XXaXX",'
    """
    pairs = zip(original.splitlines(), mutated.splitlines())
    before, after = next(((a, b) for a, b in pairs if a != b), (original, mutated))
    return f"{module}: {before.strip()} -> {after.strip()}"


def original_statement(source: str, index: int) -> str:
    """The code of the ``index``-th top-level statement of ``source`` (as ``mutate_constants`` numbers them)."""
    import libcst as cst

    module = cst.parse_module(source)
    return module.code_for_node(module.body[index])


def run_grammar(timeout: int, every: int = 1, seed: int = 0) -> dict[str, Counter]:
    result: dict[str, Counter] = {}
    mutator = _constant_mutator()
    for module, tests in GRAMMAR.items():
        print(f"== module-level constants of {module} (tests: {' '.join(tests)})", flush=True)
        source = (ROOT / module).read_text(encoding="utf-8")
        found = mutator.mutants(source)  # type: ignore[attr-defined]
        numbers = sample([f"{number:05d}" for number in range(1, len(found) + 1)], every, seed)
        chosen = ["--mutants", ",".join(str(int(n)) for n in numbers)] if every > 1 else []
        if every > 1:
            print(f"   sampled 1 in {every} (seed {seed}): {len(numbers)} of {len(found)} mutants", flush=True)
        command = [
            "nice",
            "-n",
            "19",
            "timeout",
            str(timeout),
            sys.executable,
            str(ROOT / "scripts" / "mutate_constants.py"),
            module,
            *chosen,
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
        equivalent = equivalent_mutants()
        counts = Counter({"killed": report["killed"] - report["timeouts"], "timeout": report["timeouts"]})
        for survivor in report["survivors"]:
            number = int(survivor.split()[0].lstrip("#"))
            index, _, code = found[number - 1]
            key = grammar_key(module, original_statement(source, index), code)
            if key in equivalent:
                counts["equivalent"] += 1
            else:
                counts["survived"] += 1
                result.setdefault("_survivors", Counter())[f"{module}: {survivor}"] += 1
        counts["not run"] = len(found) - report["mutants"]
        result[module + " (module level)"] = counts
    return result


def score_line(name: str, counts: Counter, every: int, seed: int) -> str:
    """One target's or module's score: ``killed / judged (percent)``, the equivalents left out, how sampled.

    >>> score_line("qca", Counter(killed=88, timeout=2, survived=10, equivalent=3), 1, 0)
    'qca: 90 / 100 (90.0 %) killed; 3 equivalent left out; full run'
    """
    caught = counts["killed"] + counts["timeout"]
    judged = caught + counts["survived"]  # not run (sample, deadline), equivalent, other: listed, not scored
    percent = f"{100 * caught / judged:.1f} %" if judged else "-"
    how = f"sampled 1 in {every} (seed {seed})" if every > 1 else "full run"
    extra = f"; {counts['equivalent']} equivalent left out" if counts["equivalent"] else ""
    extra += f"; {counts['other']} other (suspicious, skipped …)" if counts["other"] else ""
    if counts["not run"] and every <= 1:
        how += f", {counts['not run']} not run (deadline or --only)"
    return f"{name}: {caught} / {judged} ({percent}) killed{extra}; {how}"


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
    parser.add_argument(
        "--sample",
        default="auto",
        metavar="K",
        help="run every K-th mutant only (1: all of them); auto: each target's own K (SAMPLE_EVERY)",
    )
    parser.add_argument("--seed", type=int, default=21, help="draws the sample's offset (with --sample)")
    args = parser.parse_args(argv)
    table: dict[str, Counter] = {}
    totals: dict[str, Counter] = {}
    survivors: Counter = Counter()
    every_of: dict[str, int] = {}
    for target in args.targets:
        every = SAMPLE_EVERY[target] if args.sample == "auto" else int(args.sample)
        every_of[target] = every = 1 if args.only else every
        if target == "grammar":
            found = run_grammar(args.timeout, every, args.seed)
        else:
            found = run_mutmut(target, args.timeout, args.only, every, args.seed)
        survivors.update(found.pop("_survivors", Counter()))
        for module, counts in found.items():
            table.setdefault(module, Counter()).update(counts)
            totals.setdefault(target, Counter()).update(counts)
    columns = ("killed", "timeout", "survived", "equivalent", "not run", "other")
    print(f"\n{'module':56}{'mutants':>9}" + "".join(f"{c:>11}" for c in columns) + f"{'score':>9}")
    for module, counts in table.items():
        caught = counts["killed"] + counts["timeout"]
        judged = caught + counts["survived"]
        score = f"{100 * caught / judged:.1f} %" if judged else "-"
        total = sum(counts[c] for c in columns)
        print(f"{module:56}{total:9}" + "".join(f"{counts[c]:11}" for c in columns) + f"{score:>9}")
    print()
    for target, counts in totals.items():
        print(score_line(target, counts, every_of[target], args.seed))
    if args.show:
        print("\nsurvivors:")
        for name in sorted(survivors):
            print("  ", name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
