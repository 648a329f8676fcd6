"""A notebook run by plain papermill refuses a parameter its parameters cell does not declare."""

from __future__ import annotations

import pytest

from kexie_research import config
from kexie_research.runner.injected import (
    UndeclaredParameterError,
    assigned_names,
    refuse_undeclared_parameters,
    undeclared_parameters,
)

PARAMETERS = 'case: str = ""  # a case key\nmin_cases: int = 2\n'


def injected(source: str) -> str:
    """A cell as papermill's Python translator writes it."""
    return f"# Parameters\n{source}"


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("a = 1", ["a"]),
        ("a: int = 1  # help\nb = 'x'", ["a", "b"]),
        ("a = b = 1", ["a", "b"]),
        ("a, b = 1, 2\nx.y = 3\nc[0] = 1", []),  # only plain names are parameters
        ("print(1)", []),
        ("def f(:", []),  # a cell that does not parse assigns nothing
    ],
)
def test_assigned_names(source, names):
    assert assigned_names(source) == names


def test_a_parameter_the_notebook_declares_passes():
    history = ["", PARAMETERS, injected('case = "zunyi"\nmin_cases = 3\n'), "import pandas"]
    assert undeclared_parameters(history) == ([], ["case", "min_cases"])
    refuse_undeclared_parameters(history)


def test_the_former_name_city_is_refused_naming_what_the_notebook_declares():
    history = ["", PARAMETERS, injected('city = "zunyi"\n')]
    with pytest.raises(UndeclaredParameterError) as caught:
        refuse_undeclared_parameters(history)
    assert str(caught.value) == (
        "parameter(s) 'city' passed to this notebook, which declares only: case, min_cases (see its parameters cell)"
    )


def test_every_undeclared_name_is_listed_once_in_the_order_given():
    history = ["", PARAMETERS, injected('cse = "zunyi"\ncase = "zunyi"\nmin_case = 3\n')]
    assert undeclared_parameters(history) == (["cse", "min_case"], ["case", "min_cases"])


def test_without_papermills_cell_nothing_was_passed():
    # the notebook opened in JupyterLab, its cells run again in any order: nothing to check
    assert undeclared_parameters(["", PARAMETERS, "case = 'zunyi'", "x = 1"]) == ([], [])
    assert undeclared_parameters([]) == ([], [])
    # the notebook's own parameters cell may start with the same words: only papermill's exact header counts
    assert undeclared_parameters(["", "# Parameters (set with kexie report)\ncase = ''", "x = 1"]) == ([], [])


def test_a_notebook_without_a_parameters_cell_declares_nothing():
    with pytest.raises(UndeclaredParameterError, match="declares only: \\(nothing\\)"):
        refuse_undeclared_parameters([injected("n = 1\n")])


def test_the_last_run_of_papermills_cell_counts():
    history = ["", PARAMETERS, injected('city = "a"\n'), PARAMETERS, injected('case = "a"\n')]
    assert undeclared_parameters(history) == ([], ["case", "min_cases"])


def test_outside_a_kernel_nothing_is_checked():
    refuse_undeclared_parameters()  # plain Python (the test session): no input history


@pytest.mark.slow
def test_papermill_with_the_former_parameter_city_stops_the_case_profile_at_once(tmp_path):
    """`papermill 10_case_profile.ipynb out.ipynb -p city zunyi` is an error, not the first case's report."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from kexie_research.runner.kernels import ensure_project_kernel

    with pytest.raises(PapermillExecutionError) as caught:
        papermill.execute_notebook(
            str(config.notebooks_dir() / "10_case_profile.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"city": "zunyi"},
            kernel_name=ensure_project_kernel(),
            progress_bar=False,
            execution_timeout=300,
            cwd=str(tmp_path),
        )
    assert caught.value.ename == "UndeclaredParameterError"
    assert "parameter(s) 'city' passed to this notebook, which declares only: case" in caught.value.evalue
