"""QCA details a planted bug would change (``make mutation``): chart columns, notes, scenario numbers.

Each test pins one observable detail that the broader QCA tests leave open, with a small table
worked by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kexie_research.analysis import qca


def test_the_pi_chart_names_each_column_by_its_minterm_as_a_string_of_zeros_and_ones():
    primes = qca.prime_implicants([(1, 0), (1, 1), (0, 1)])
    chart = qca.pi_chart(primes, [(1, 0), (1, 1), (0, 1)], ["A", "B"])
    assert chart.columns.tolist() == ["10", "11", "01"]
    assert chart.loc["A", "10"] and chart.loc["A", "11"] and not chart.loc["A", "01"]


def test_cases_left_out_joins_the_notes_of_one_case_with_a_bar():
    data = pd.DataFrame({"A": [None, 1], "B": [None, 0], "Y": [None, 1]}, index=["x", "y"])
    notes = pd.DataFrame(
        {
            "case": ["x", "x", "x"],
            "label": ["Y", "A", "B"],
            "note": ["no figure for the year", "the plan names no budget", ""],
        }
    )
    left_out = qca.cases_left_out(data, "Y", ["A", "B"], notes=notes)
    assert left_out["notes"].tolist() == ["Y: no figure for the year | A: the plan names no budget"]


def test_unknown_scenarios_are_numbered_from_one():
    data = pd.DataFrame({"A": [1, None, 0], "Y": [1, 0, 0]}, index=["a", "b", "c"])
    scenarios = qca.unknown_scenarios(data, "Y", ["A"])
    assert sorted(scenarios["scenario"].unique().tolist()) == [1, 2]
    first = scenarios[scenarios["scenario"] == 1]
    assert set(first["filled"]) == {"b.A=0"}


def test_a_table_without_unknowns_is_the_one_scenario_number_one():
    data = pd.DataFrame({"A": [1, 0], "Y": [1, 0]}, index=["a", "b"])
    scenarios = qca.unknown_scenarios(data, "Y", ["A"])
    assert scenarios["scenario"].unique().tolist() == [1]
    assert set(scenarios["filled"]) == {"(no unknowns)"}


@pytest.mark.parametrize(("holes", "allowed"), [(2, 4), (3, 4), (2, 3)])
def test_unknown_scenarios_refuse_more_scenarios_than_allowed(holes, allowed):
    data = pd.DataFrame(
        {"A": [1] + [None] * holes, "Y": [1] + [0] * holes}, index=["a", *(f"b{i}" for i in range(holes))]
    )
    if 2**holes > allowed:
        with pytest.raises(qca.QCAError, match=rf"{holes} unknown values give {2**holes} scenarios"):
            qca.unknown_scenarios(data, "Y", ["A"], max_scenarios=allowed)
    else:
        assert qca.unknown_scenarios(data, "Y", ["A"], max_scenarios=allowed)["scenario"].nunique() == 2**holes


def test_a_dont_care_of_the_wrong_length_is_refused():
    with pytest.raises(qca.QCAError, match="every configuration needs 2 values"):
        qca.prime_implicants([(1, 0)], [(1,)])


@pytest.mark.parametrize(("include_remainders", "kind"), [(False, "complex"), (True, "parsimonious")])
def test_a_solution_names_its_kind(include_remainders, kind):
    data = pd.DataFrame({"A": [1, 0, 1], "B": [1, 1, 0], "Y": [1, 0, 0]})
    solution = qca.minimize(qca.truth_table(data, "Y"), include_remainders)
    assert solution.models and solution.kind == kind


def test_a_solution_without_simplifying_assumptions_still_has_their_columns():
    data = pd.DataFrame({"A": [1, 0, 1, 0], "B": [1, 1, 0, 0], "Y": [1, 0, 0, 0]})  # no remainders
    solution = qca.minimize(qca.truth_table(data, "Y"), include_remainders=True)
    assert solution.simplifying_assumptions.empty
    assert solution.simplifying_assumptions.columns.tolist() == ["A", "B", "model"]
