"""QCA results a reader relies on, each worked by hand: who a fuzzy solution covers, the cuts of
``solve``, the numbers each scenario reports, the share of scenarios, and the similarity matrix.

Small invented tables; the expected values are computed in the comments with Ragin's formulas.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kexie_research.analysis import qca

# c sits at the 0.5 crossover of A (in neither row of the truth table); d is in A but only half in Y
FUZZY = pd.DataFrame({"A": [1, 0, 0.5, 1], "Y": [1, 0, 1, 0.5]}, index=["a", "b", "c", "d"])


def test_a_fuzzy_solution_lists_only_the_cases_clearly_in_both_the_term_and_the_outcome():
    # row A=1: incl = (1 + 0 + 0.5 + 0.5) / (1 + 0 + 0.5 + 1) = 0.8; PRI = (2 - 0.5) / (2.5 - 0.5) = 0.75;
    # cov = 2 / 2.5 = 0.8. c (A = 0.5) and d (Y = 0.5) sit on the crossover: in neither set
    solution = qca.solve(FUZZY, "Y", incl_cut=0.75)["complex"]
    assert solution.expressions == ["A"]
    summary = solution.summary()
    assert summary["term"].tolist() == ["A", "solution"]
    assert summary["cases"].tolist() == ["a", "a"]
    assert summary["incl"].tolist() == pytest.approx([0.8, 0.8])
    assert summary["PRI"].tolist() == pytest.approx([0.75, 0.75])
    assert summary["cov_raw"].tolist() == pytest.approx([0.8, 0.8])


def test_solve_builds_its_truth_table_with_the_consistency_cut_it_is_given():
    # row A=1 holds a, b (Y=1) and c (Y=0): consistency 2/3, enough at 0.6, not at the default 0.8
    data = pd.DataFrame({"A": [1, 1, 1, 0], "Y": [1, 1, 0, 0]}, index=["a", "b", "c", "d"])
    lenient = qca.solve(data, "Y", incl_cut=0.6)
    assert lenient["complex"].truth_table.incl_cut == 0.6
    assert lenient["complex"].expressions == ["A"] and lenient["parsimonious"].expressions == ["A"]
    strict = qca.solve(data, "Y")
    assert strict["complex"].expressions == [] and strict["parsimonious"].expressions == []


def test_solve_gives_the_complex_solution_without_remainders_and_the_parsimonious_one_with_them():
    # only 11 (positive) and 00 (negative) are observed: the complex solution is A*B, the
    # parsimonious one may use the remainders 01 and 10 (A or B, two models)
    data = pd.DataFrame({"A": [1, 0], "B": [1, 0], "Y": [1, 0]}, index=["a", "b"])
    solutions = qca.solve(data, "Y")
    assert (solutions["complex"].kind, solutions["complex"].expressions) == ("complex", ["A*B"])
    assert solutions["complex"].simplifying_assumptions.empty
    assert (solutions["parsimonious"].kind, solutions["parsimonious"].expressions) == ("parsimonious", ["B", "A"])


def test_a_scenario_reports_the_whole_solutions_consistency_and_coverage_not_its_last_terms():
    # Ragin's strikes: S = A*C + B*~C; each term covers two of the four successes (cov 0.5),
    # the solution all four (cov 1.0)
    strikes = pd.DataFrame(
        {
            "A": [1, 0, 1, 1, 1, 0, 0, 0],
            "B": [0, 1, 1, 1, 0, 0, 1, 0],
            "C": [1, 0, 0, 1, 0, 1, 1, 0],
            "S": [1, 1, 1, 1, 0, 0, 0, 0],
        }
    )
    rows = qca.unknown_scenarios(strikes, "S", ["A", "B", "C"])
    assert rows[["kind", "expression", "incl", "cov"]].to_dict("records") == [
        {"kind": "complex", "expression": "A*C + B*~C", "incl": 1.0, "cov": 1.0},
        {"kind": "parsimonious", "expression": "A*C + B*~C", "incl": 1.0, "cov": 1.0},
    ]


def test_unknown_scenarios_refuse_the_outcome_as_one_of_the_conditions():
    data = pd.DataFrame({"A": [1, None], "Y": [1, 0]}, index=["a", "b"])
    with pytest.raises(qca.QCAError, match="the outcome 'Y' cannot also be a condition"):
        qca.unknown_scenarios(data, "Y", ["A", "Y"])


def test_the_scenario_summary_gives_each_expressions_share_of_all_scenarios():
    # b.A unknown. b.A=0: the complex solution is A*B, the parsimonious one B or A (two models);
    # b.A=1: b (A=1, B=0, Y=0) rules out A alone, so A*B and B. Two scenarios in all.
    data = pd.DataFrame({"A": [1, None, 0], "B": [1, 0, 0], "Y": [1, 0, 0]}, index=["a", "b", "c"])
    summary = qca.scenario_summary(qca.unknown_scenarios(data, "Y", ["A", "B"]))
    assert summary.to_dict("records") == [
        {"kind": "complex", "expression": "A*B", "scenarios": 2, "share": 1.0},
        {"kind": "parsimonious", "expression": "B", "scenarios": 2, "share": 1.0},
        {"kind": "parsimonious", "expression": "A", "scenarios": 1, "share": 0.5},
    ]


def test_the_similarity_matrix_is_numeric_with_nan_where_two_cases_share_no_known_condition():
    data = pd.DataFrame({"A": [1, None, 0], "B": [1, 0, None]}, index=["a", "b", "c"])
    sim = qca.similarity(data)
    assert (sim.dtypes == np.float64).all()
    # a-b compared on B only (1 vs 0), a-c on A only (1 vs 0), b-c on nothing
    assert sim.loc["a", "b"] == 0.0 and sim.loc["a", "c"] == 0.0 and sim.loc["a", "a"] == 1.0
    assert math.isnan(sim.loc["b", "c"]) and math.isnan(sim.loc["c", "b"])
    assert sim.round(1).loc["b", "b"] == 1.0


@pytest.mark.parametrize("method", ["simple_matching", "jaccard"])
def test_the_similarity_matrix_names_the_method_it_was_computed_with(method):
    sim = qca.similarity(pd.DataFrame({"A": [1, 1], "B": [0, 1]}, index=["a", "b"]), method=method)
    assert sim.attrs["method"] == method
    # simple matching: A agrees, B does not -> 0.5; Jaccard: 1 shared presence of 2 -> 0.5
    assert sim.loc["a", "b"] == 0.5


def test_the_measures_read_memberships_written_as_text_as_numbers():
    x, y = ["1", "0.5", "0"], ["1", "0", "0"]
    # min(X, Y) = (1, 0, 0); ΣX = 1.5, ΣY = 1; Σ(1 - X) = 1.5, Σ(1 - min) = 2
    assert qca.consistency(x, y) == pytest.approx(1 / 1.5)
    assert qca.coverage(x, y) == 1.0
    # min(X, Y, 1 - Y) = (0, 0, 0): PRI = (1 - 0) / (1.5 - 0)
    assert qca.pri(x, y) == pytest.approx(1 / 1.5)
    assert qca.pri(x, [1, 0, 0]) == qca.pri([1, 0.5, 0], y) == pytest.approx(1 / 1.5)
    assert qca.relevance_of_necessity(x, y) == pytest.approx(0.75)
    assert qca.relevance_of_necessity(x, [1, 0, 0]) == qca.relevance_of_necessity([1, 0.5, 0], [1, 0, 0])


def test_an_unknown_membership_makes_relevance_of_necessity_undefined():
    assert math.isnan(qca.relevance_of_necessity([1, None, 0], [1, 0, 0]))
    assert math.isnan(qca.consistency([1, None], [1, 1]))


@pytest.mark.parametrize(("outcome", "expression", "never"), [("Y", "A", [0, 0]), ("~Y", "~A", [1, 1])])
def test_each_solution_names_the_outcome_it_explains(outcome, expression, never):
    # Y: the positive row is A=1; ~Y: it is A=0
    data = pd.DataFrame({"A": [1, 0], "Y": [1, 0]}, index=["a", "b"])
    for solution in qca.solve(data, outcome).values():
        assert (solution.outcome, solution.expressions) == (outcome, [expression])
    # an outcome no case has: no positive row, no model, and still the outcome's name
    for solution in qca.solve(data.assign(Y=never), outcome).values():
        assert (solution.outcome, solution.models) == (outcome, [])


def test_a_case_left_out_of_the_truth_table_lists_every_unknown_column_comma_separated():
    data = pd.DataFrame({"A": [1, None, 0], "B": [1, None, None], "Y": [1, None, 0]}, index=["a", "b", "c"])
    tt = qca.truth_table(data, "Y")
    assert tt.dropped.to_dict("records") == [{"case": "b", "unknown": "A, B, Y"}, {"case": "c", "unknown": "B"}]
    assert tt.data.index.tolist() == ["a"]


def test_solve_builds_its_truth_table_with_the_frequency_cut_it_is_given():
    # A=1 holds a and b (Y=1); A=0 holds c alone (Y=0): at n_cut=2 the row A=0 is a remainder,
    # so the parsimonious solution may use it: the empty conjunction, true everywhere ("1")
    data = pd.DataFrame({"A": [1, 1, 0], "Y": [1, 1, 0]}, index=["a", "b", "c"])
    assert qca.solve(data, "Y")["parsimonious"].expressions == ["A"]
    two = qca.solve(data, "Y", n_cut=2)
    assert two["complex"].truth_table.n_cut == 2
    assert two["complex"].truth_table.table.loc["0", "OUT"] == "?"
    assert two["complex"].expressions == ["A"] and two["parsimonious"].expressions == ["1"]


def test_a_table_without_a_positive_row_still_names_the_kind_of_solution():
    data = pd.DataFrame({"A": [1, 0], "Y": [0, 0]}, index=["a", "b"])
    solutions = qca.solve(data, "Y")
    assert [(kind, s.kind, s.models) for kind, s in solutions.items()] == [
        ("complex", "complex", []),
        ("parsimonious", "parsimonious", []),
    ]


def test_the_similarity_and_the_number_compared_use_only_the_conditions_given():
    data = pd.DataFrame({"A": [1, 1], "B": [0, 1], "C": [None, 1]}, index=["a", "b"])
    assert qca.similarity(data, ["A"]).loc["a", "b"] == 1.0  # A agrees
    assert qca.similarity(data).loc["a", "b"] == 0.5  # A agrees, B does not, C unknown for a
    assert qca.n_compared(data, ["A", "C"]).loc["a", "b"] == 1
    assert qca.n_compared(data).loc["a", "b"] == 2
