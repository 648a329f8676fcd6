"""Inside a notebook run by papermill: refuse a parameter that the notebook does not declare.

papermill only logs "Passed unknown parameter" and runs the notebook with its defaults, so a
misspelt or renamed parameter (``-p cse rongchang``) would silently give the report of another case.
papermill writes the values it was given into a cell of its own, headed ``# Parameters``, right after
the notebook's ``parameters`` cell; both are in the kernel's input history, which is read here.
``kexie report`` already refuses such a parameter before any kernel starts
(:func:`kexie_research.runner.plan.plan_runs`); this is the same check for a plain papermill run.
Only the standard library is imported.

Example::

    >>> history = ["", "case: str = ''", '# Parameters\\ncase = "zunyi"\\n']
    >>> refuse_undeclared_parameters(history)
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from kexie_research.errors import KexieError

# The first line of the cell papermill writes with the values it was given (its Python translator).
PAPERMILL_HEADER = "# Parameters"


class UndeclaredParameterError(KexieError, ValueError):
    """A notebook was run with a parameter its ``parameters`` cell does not declare.

    Examples
    --------
    >>> isinstance(UndeclaredParameterError("x"), ValueError)
    True
    """


def assigned_names(source: str) -> list[str]:
    """The names a cell assigns at its top level, in order (``x = 1``, ``x: int = 1``).

    Examples
    --------
    >>> assigned_names("a: int = 2  # help\\nb = [1, 2]\\nprint(a)")
    ['a', 'b']
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        names.extend(target.id for target in targets if isinstance(target, ast.Name))
    return names


def undeclared_parameters(history: Sequence[str]) -> tuple[list[str], list[str]]:
    """The parameters papermill passed that the notebook does not declare, and those it declares.

    ``history`` is the kernel's input history (IPython's ``In``): papermill's cell is the last one
    headed ``# Parameters``, the notebook's ``parameters`` cell the one executed just before it.
    Nothing was passed when no such cell ran (the notebook opened in JupyterLab).

    Examples
    --------
    >>> undeclared_parameters(["", "case: str = ''", '# Parameters\\ncse = "zunyi"\\n'])
    (['cse'], ['case'])
    >>> undeclared_parameters(["", "case: str = ''", "print(case)"])
    ([], [])
    """
    for position in range(len(history) - 1, -1, -1):
        if history[position].splitlines()[:1] == [PAPERMILL_HEADER]:
            declared = assigned_names(history[position - 1]) if position > 0 else []
            return [name for name in assigned_names(history[position]) if name not in declared], declared
    return [], []


def refuse_undeclared_parameters(history: Sequence[str] | None = None) -> None:
    """Raise :class:`UndeclaredParameterError` when papermill passed a parameter the notebook does not declare.

    Call it first thing after the ``parameters`` cell. ``history`` defaults to the running kernel's
    input history; outside IPython nothing is checked.

    Examples
    --------
    >>> try:
    ...     refuse_undeclared_parameters(["", "case: str = ''", '# Parameters\\ncse = "zunyi"\\n'])
    ... except UndeclaredParameterError as exc:
    ...     print(exc)
    parameter(s) 'cse' passed to this notebook, which declares only: case (see its parameters cell)
    """
    if history is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
        if shell is None:
            return
        history = shell.user_ns.get("In", [])
    unknown, declared = undeclared_parameters(history)
    if unknown:
        raise UndeclaredParameterError(
            f"parameter(s) {', '.join(map(repr, unknown))} passed to this notebook, which declares only: "
            f"{', '.join(declared) or '(nothing)'} (see its parameters cell)"
        )
