"""Static check of the report notebooks: data reaches a page only through the escaping helpers.

``Markdown``/``HTML`` may only wrap a string literal (the notebook's own text); anything built from
data goes through ``kexie_research.viz.safe.md``/``join`` (escaped) and tables through
``kexie_research.viz.tables`` (escaped cells, headers and index labels, numbers for reading). A cell
does not end in a bare expression (pandas would print its own HTML: NaN, raw numbers, unescaped
labels, or a repr such as a list of paths).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
RAW_DISPLAY = {"Markdown", "HTML", "Latex", "SVG", "Javascript"}
# What a cell may end with: calls whose result is None or is built to be shown.
SHOWN_BY_HELPERS = {"display", "print", "show"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def problems_in(source: str) -> list[str]:
    """The unsafe ways ``source`` (one code cell) puts text into a page."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and _name(node.func) in RAW_DISPLAY
            and (
                not all(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args)
                or node.keywords
            )
        ):
            found.append(f"line {node.lineno}: {_name(node.func)}(…) built from data (use safe.md)")
        if isinstance(node, ast.Call) and _name(node.func) == "display":
            for arg in node.args:
                inner = arg.func if isinstance(arg, ast.Call) else None
                owner = inner.value if isinstance(inner, ast.Attribute) else None
                helper = isinstance(owner, ast.Name) and owner.id in {"tables", "safe"}
                constant_markdown = isinstance(arg, ast.Call) and _name(arg.func) in RAW_DISPLAY
                if not (helper or constant_markdown):
                    found.append(
                        f"line {node.lineno}: display() of {ast.unparse(arg)[:60]!r} (use a tables/safe helper)"
                    )
    lines = source.rstrip().splitlines()
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr) and not (lines and lines[-1].split("#")[0].rstrip().endswith(";")):
        call = last.value if isinstance(last.value, ast.Call) else None
        if call is None or _name(call.func) not in SHOWN_BY_HELPERS:
            found.append(
                f"line {last.lineno}: the cell ends in {ast.unparse(last.value)[:60]!r}, shown raw (display a helper's table, or end with ';')"
            )
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_puts_data_into_its_page_only_through_the_helpers(notebook: Path) -> None:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found = [
        f"cell {index}, {problem}"
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "code"
        for problem in problems_in("".join(cell["source"]))
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "display(Markdown(f\"### {meta['zh']}\"))",
        'display(Markdown("a" + name))',
        'display(HTML("<b>{}</b>".format(name)))',
        "display(frame)",
        'display(pd.DataFrame(x)[["a"]])',
        "frame.pivot_table(index='a')",
        'theme.publish(fig, "name")',
    ],
)
def test_the_check_catches_unsafe_cells(source: str) -> None:
    assert problems_in(source) != []


@pytest.mark.parametrize(
    "source",
    [
        'display(Markdown("constant text"))',
        'display(safe.md("### {zh}", zh=meta["zh"]))',
        "display(tables.report_table(frame))",
        'theme.publish(fig, "name");',
        'print(f"{x}")',
    ],
)
def test_the_check_passes_safe_cells(source: str) -> None:
    assert problems_in(source) == []
