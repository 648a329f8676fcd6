#!/usr/bin/env python3
"""Size and hygiene figures of the library's code, for release notes and before/after comparisons.

Measures the Python files of ``kexie_research/`` (in the working tree, or at a git revision with
``--rev``) and prints:

- the longest functions (qualified name, lines from ``def`` to its last line);
- the modules over ``--max-lines`` lines (default 800);
- private cross-module imports: ``from kexie_research.x import _y`` (or a relative import) in a
  module other than ``x``, one per imported name;
- the number of ``noqa`` and ``type: ignore`` comments.

Run from the repository root::

    python scripts/code_metrics.py                 # the working tree
    python scripts/code_metrics.py --rev 7cf013b   # a commit, read with git (nothing checked out)
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "kexie_research"
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Metrics:
    """The figures of one tree of modules (``{module path: source}``)."""

    functions: list[tuple[int, str]] = field(default_factory=list)  # (lines, "module:qualified.name")
    module_lines: dict[str, int] = field(default_factory=dict)
    private_imports: list[str] = field(default_factory=list)  # "importer -> module._name"
    noqa: int = 0
    type_ignore: int = 0


def _module_name(path: str) -> str:
    parts = Path(path).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[int, str]]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = f"{prefix}{node.name}"
            yield (node.end_lineno or node.lineno) - node.lineno + 1, name
            yield from _functions(node, f"{name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def _imported_module(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, *([node.module] if node.module else [])])


def _comments(source: str) -> list[str]:
    try:
        return [
            tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError):
        return []


def measure(sources: Mapping[str, str]) -> Metrics:
    """Figures of ``{path relative to the repository: source}``.

    Examples
    --------
    >>> m = measure({"kexie_research/a.py": "from kexie_research.b import _c, d  # noqa: F401\\ndef f():\\n    return 1\\n"})
    >>> m.functions, m.private_imports, m.noqa
    ([(2, 'kexie_research.a:f')], ['kexie_research.a -> kexie_research.b._c'], 1)
    """
    metrics = Metrics()
    for path, source in sorted(sources.items()):
        module = _module_name(path)
        metrics.module_lines[path] = len(source.splitlines())
        comments = _comments(source)
        metrics.noqa += sum(len(re.findall(r"\bnoqa\b", comment, re.IGNORECASE)) for comment in comments)
        metrics.type_ignore += sum(len(re.findall(r"type:\s*ignore", comment)) for comment in comments)
        tree = ast.parse(source, filename=path)
        metrics.functions += [(lines, f"{module}:{name}") for lines, name in _functions(tree)]
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            imported = _imported_module(node, module, path.endswith("__init__.py"))
            if not imported.startswith(PACKAGE) or imported == module:
                continue
            metrics.private_imports += [
                f"{module} -> {imported}.{alias.name}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
    metrics.functions.sort(key=lambda item: (-item[0], item[1]))
    return metrics


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True, timeout=60).stdout


def read_tree(rev: str | None) -> dict[str, str]:
    """The package's ``.py`` files, from the working tree or from git revision ``rev``."""
    if rev is None:
        return {
            path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
            for path in (ROOT / PACKAGE).rglob("*.py")
        }
    paths = [line for line in _git("ls-tree", "-r", "--name-only", rev, PACKAGE).splitlines() if line.endswith(".py")]
    return {path: _git("show", f"{rev}:{path}") for path in paths}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default=None, help="measure this git revision instead of the working tree")
    parser.add_argument("--max-lines", type=int, default=800, help="list modules longer than this")
    parser.add_argument("--top", type=int, default=5, help="how many of the longest functions to list")
    args = parser.parse_args(argv)
    sources = read_tree(args.rev)
    metrics = measure(sources)
    print(
        f"{PACKAGE} at {args.rev or 'the working tree'}: {len(sources)} modules, {sum(metrics.module_lines.values())} lines"
    )
    print("longest functions (lines):")
    for lines, name in metrics.functions[: args.top]:
        print(f"  {lines:5d}  {name}")
    long = sorted(((n, p) for p, n in metrics.module_lines.items() if n > args.max_lines), reverse=True)
    print(f"modules over {args.max_lines} lines: {len(long)}")
    for lines, path in long:
        print(f"  {lines:5d}  {path}")
    print(f"private cross-module imports: {len(metrics.private_imports)}")
    for item in metrics.private_imports:
        print(f"  {item}")
    print(f"noqa comments: {metrics.noqa}")
    print(f"type: ignore comments: {metrics.type_ignore}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
