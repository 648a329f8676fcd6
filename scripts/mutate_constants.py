"""Mutation testing of a module's module-level constants (patterns, word lists), which mutmut leaves alone.

mutmut mutates only the code inside functions; a grammar kept in module-level regular expressions and
word lists is never mutated by it. This script plants one change at a time in the module-level
assignments of one module, the way mutmut mutates a literal:

- every string (a plain or raw string, or the text of an f-string between its ``{…}`` fields) is
  wrapped in ``XX``: a word of a list no longer matches, an alternative at the edge of a pattern is
  broken; a one-character string is replaced by ``XX`` instead (wrapped, a character of a set that
  becomes a character class would still be in it);
- every integer becomes itself plus one.

For each mutant a child process (forked after the imports, under a deadline) re-runs the module's
assignments from the changed one on, so that patterns built from the changed piece are rebuilt and
``functools`` caches are cleared, then runs the given pytest arguments: a failing test kills it.
A line marked ``# pragma: no mutate`` is left alone (as in mutmut). Usage::

    python scripts/mutate_constants.py kexie_research/parse/periods.py [--json] -- tests/parse/test_periods.py -x -q
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import sys
import time
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

ROOT = Path(__file__).resolve().parent.parent
LITERALS = (cst.SimpleString, cst.FormattedStringText, cst.Integer)


def mutated_literal(node: cst.CSTNode) -> cst.CSTNode:
    """The mutant of one literal: a string wrapped in XX, an integer plus one."""
    if isinstance(node, cst.SimpleString):
        body_start = len(node.prefix) + len(node.quote)
        value = node.value
        body = value[body_start : -len(node.quote)]
        if len(node.evaluated_value) == 1:  # one character (of a set of characters): replaced, not wrapped
            return node.with_changes(value=value[:body_start] + "XX" + node.quote)
        return node.with_changes(value=value[:body_start] + "XX" + body + "XX" + node.quote)
    if isinstance(node, cst.FormattedStringText):
        return node.with_changes(value="XX" + node.value + "XX")
    assert isinstance(node, cst.Integer)
    return node.with_changes(value=str(int(node.value.replace("_", ""), 0) + 1))


class _Collect(cst.CSTVisitor):
    """The literals of the module-level assignments, each with its statement's index and its line."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, module: cst.Module, skip_lines: set[int]) -> None:
        self.index_of = {id(statement): index for index, statement in enumerate(module.body) if _is_constant(statement)}
        self.top_level = {id(statement) for statement in module.body}
        self.skip_lines = skip_lines
        self.current: int | None = None
        self.found: list[tuple[int, cst.CSTNode, int]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self.top_level:
            self.current = self.index_of.get(id(node))
        elif self.current is not None and isinstance(node, LITERALS):
            line = self.get_metadata(PositionProvider, node).start.line
            if line not in self.skip_lines:
                self.found.append((self.current, node, line))
        return True


class _Replace(cst.CSTTransformer):
    def __init__(self, target: cst.CSTNode) -> None:
        self.target = target

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
        return mutated_literal(updated) if original is self.target else updated


def _is_constant(statement: cst.CSTNode) -> bool:
    """A module-level assignment (``__all__`` aside): what a grammar's patterns and word lists are."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    small = statement.body[0]
    if isinstance(small, cst.Assign):
        targets = [t.target for t in small.targets]
    elif isinstance(small, cst.AnnAssign):
        targets = [small.target]
    else:
        return False
    return not any(isinstance(t, cst.Name) and t.value == "__all__" for t in targets)


def mutants(source: str) -> list[tuple[int, int, str]]:
    """``(statement index, line, mutated statement code)`` for every literal of the module-level assignments."""
    skip = {number for number, line in enumerate(source.splitlines(), 1) if "pragma: no mutate" in line}
    wrapper = MetadataWrapper(cst.parse_module(source))
    module = wrapper.module
    collector = _Collect(module, skip)
    wrapper.visit(collector)
    return [
        (index, line, module.code_for_node(module.body[index].visit(_Replace(node))))
        for index, node, line in collector.found
    ]


def _apply(module: object, source: str, index: int, code: str) -> None:
    """Re-run the module's assignments from statement ``index`` on, with statement ``index`` replaced by ``code``."""
    body = cst.parse_module(source).body
    namespace = module.__dict__
    before = dict(namespace)
    empty = cst.parse_module("")
    for position in range(index, len(body)):
        if position == index:
            exec(compile(code, module.__file__, "exec"), namespace)  # the point of the tool: run the mutated statement
        elif _is_constant(body[position]):
            exec(compile(empty.code_for_node(body[position]), module.__file__, "exec"), namespace)
    for value in list(namespace.values()):
        clear = getattr(value, "cache_clear", None)
        if callable(clear):
            clear()
    # A name imported from the module (``from … import PERIOD_CUE_RE`` in a test) still holds the old
    # object: rebind it, under the same name, in every module that imported it.
    changed = {name: namespace[name] for name, old in before.items() if namespace.get(name) is not old}
    for other in list(sys.modules.values()):
        attributes = getattr(other, "__dict__", None)
        if other is module or not isinstance(attributes, dict):
            continue
        for name, new in changed.items():
            if attributes.get(name) is before[name]:
                attributes[name] = new


def _run_items(items: list) -> int:
    """Run collected pytest items in this process: 1 at the first failure, else 0."""
    from _pytest.runner import runtestprotocol

    for position, item in enumerate(items):
        nextitem = items[position + 1] if position + 1 < len(items) else None
        if any(report.failed for report in runtestprotocol(item, nextitem=nextitem, log=False)):
            return 1
    return 0


def _run(module: object, source: str, mutant: tuple[int, int, str] | None, items: list, deadline: float) -> str:
    """``killed``, ``survived`` or ``timeout`` of one mutant (``None``: the unchanged module) in a forked child."""
    pid = os.fork()
    if pid == 0:  # the child: plant the mutant, run the tests, report through the exit code
        code = 1
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            if mutant is not None:
                _apply(module, source, mutant[0], mutant[2])
            code = _run_items(items)
        except BaseException:  # a mutant that breaks the module's own statements is killed
            code = 1
        finally:
            os._exit(code)
    limit = time.monotonic() + deadline
    while True:
        finished, status = os.waitpid(pid, os.WNOHANG)
        if finished:
            return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
        if time.monotonic() > limit:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.02)


class _Mutations:
    """A pytest plugin: collect the tests once, then run them on the unchanged module and on every mutant."""

    def __init__(self, module: object, source: str, path: Path, numbers: set[int] | None = None) -> None:
        self.module, self.source, self.path, self.numbers = module, source, path, numbers
        self.report: dict | None = None

    def pytest_runtestloop(self, session: object) -> bool:
        items = list(session.items)  # type: ignore[attr-defined]
        found = mutants(self.source)
        start = time.monotonic()
        if _run(self.module, self.source, None, items, 1800) != "survived":
            print("the tests fail on the unchanged module; nothing to measure", file=sys.stderr)
            return True
        deadline = max(10.0, 5 * (time.monotonic() - start))
        killed, timeouts, survivors = 0, 0, []
        for number, mutant in enumerate(found, 1):
            if self.numbers is not None and number not in self.numbers:
                continue
            outcome = _run(self.module, self.source, mutant, items, deadline)
            if outcome == "survived":
                survivors.append(f"#{number} line {mutant[1]}: {' '.join(mutant[2].split())[:200]}")
            else:
                killed += 1
                timeouts += outcome == "timeout"
            print(f"{number}/{len(found)} line {mutant[1]}: {outcome}", file=sys.stderr, flush=True)
        self.report = {
            "mutants": len(found) if self.numbers is None else len(self.numbers),
            "killed": killed,
            "timeouts": timeouts,
            "survivors": survivors,
            "tests": len(items),
        }
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the module's file, e.g. kexie_research/parse/periods.py")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the results")
    parser.add_argument(
        "--mutants",
        help="only these mutants (numbers as printed, comma-separated), e.g. to re-test "
        "the survivors of a run on a narrower test selection",
    )
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    pytest_args = argv[split + 1 :]  # everything after -- goes to pytest
    path = Path(args.path)
    sys.path.insert(0, str(ROOT))
    module = importlib.import_module(".".join(path.with_suffix("").parts))
    import pytest

    numbers = {int(n) for n in args.mutants.split(",")} if args.mutants else None
    plugin = _Mutations(module, path.read_text(encoding="utf-8"), path, numbers)
    pytest.main([*pytest_args, "-q"], plugins=[plugin])
    report = plugin.report
    if report is None:
        return 1
    killed = report["killed"]
    print(
        f"{path}: {report['mutants']} module-level mutants, {killed} killed ({report['timeouts']} by timeout), "
        f"{len(report['survivors'])} survived: {100 * killed / max(report['mutants'], 1):.1f} % "
        f"({report['tests']} tests)"
    )
    for survivor in report["survivors"]:
        print("  survived:", survivor)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
