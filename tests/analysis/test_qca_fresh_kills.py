"""QCA outputs a reader sees, in full: scenario rows, simplifying assumptions, the order of primes.

Small tables worked by hand (the textbook Quine–McCluskey and Ragin's parsimonious solution); each
test checks every column of the output, so that a renamed column, a changed label or a lost
default is caught, not only the expressions.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kexie_research.analysis import qca


def test_prime_implicants_are_ordered_by_literals_then_by_values_with_a_free_condition_first():
    # ~A*C (0,-,1), A*B (1,1,-) and B*C (-,1,1): two literals each; a free condition sorts before 0 and 1
    primes = qca.prime_implicants([(0, 0, 1), (0, 1, 1), (1, 1, 0), (1, 1, 1)])
    assert [p.values for p in primes] == [(None, 1, 1), (0, None, 1), (1, 1, None)]


def test_prime_implicants_of_the_same_size_are_ordered_by_their_values():
    primes = qca.prime_implicants([(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)])  # the parity function
    assert [p.values for p in primes] == [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
    primes = qca.prime_implicants([(1, 1, 1), (1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 0)])
    assert [p.values for p in primes] == [(None, 0, 0), (0, None, 0), (0, 0, None), (1, 1, 1)]


def test_a_table_without_a_positive_row_has_no_model_and_an_empty_assumption_table_with_its_columns():
    tt = qca.truth_table(pd.DataFrame({"A": [1, 0], "B": [0, 1], "Y": [0, 0]}), "Y")
    for include in (False, True):
        solution = qca.minimize(tt, include)
        assert solution.models == [] and solution.chart.empty
        assert isinstance(solution.simplifying_assumptions, pd.DataFrame)
        assert solution.simplifying_assumptions.columns.tolist() == ["A", "B", "model"]
        assert solution.simplifying_assumptions.empty


def test_each_parsimonious_model_lists_the_remainders_it_assumes():
    # 111 and 011 are positive, 000 negative: C and B each cover both, using different remainders
    data = pd.DataFrame({"A": [1, 0, 0], "B": [1, 0, 1], "C": [1, 0, 1], "Y": [1, 0, 1]})
    solution = qca.minimize(qca.truth_table(data, "Y"), include_remainders=True)
    assert solution.expressions == ["C", "B"]
    assert solution.simplifying_assumptions.to_dict("records") == [
        {"A": 0, "B": 0, "C": 1, "model": "M1"},
        {"A": 1, "B": 0, "C": 1, "model": "M1"},
        {"A": 0, "B": 1, "C": 0, "model": "M2"},
        {"A": 1, "B": 1, "C": 0, "model": "M2"},
    ]
    complex_solution = qca.minimize(qca.truth_table(data, "Y"), include_remainders=False)
    assert complex_solution.simplifying_assumptions.columns.tolist() == ["A", "B", "C", "model"]
    assert complex_solution.simplifying_assumptions.empty


def test_a_scenario_without_a_model_is_one_row_saying_so():
    # b.A=0: A alone is sufficient; b.A=1: A=1 holds for Y=1 and Y=0 (consistency 0.5), no positive row
    data = pd.DataFrame({"A": [1, None], "Y": [1, 0]}, index=["a", "b"])
    rows = qca.unknown_scenarios(data, "Y", ["A"]).to_dict("records")
    model_rows = [r for r in rows if r["scenario"] == 1]
    assert model_rows == [
        {
            "scenario": 1,
            "filled": "b.A=0",
            "cases": 2,
            "kind": kind,
            "model": "M1",
            "expression": "A",
            "incl": 1.0,
            "cov": 1.0,
        }
        for kind in ("complex", "parsimonious")
    ]
    empty_rows = [r for r in rows if r["scenario"] == 2]
    assert [(r["filled"], r["cases"], r["kind"], r["model"], r["expression"]) for r in empty_rows] == [
        ("b.A=1", 2, "complex", "", "(none)"),
        ("b.A=1", 2, "parsimonious", "", "(none)"),
    ]
    assert all(math.isnan(r["incl"]) and math.isnan(r["cov"]) for r in empty_rows)


def test_the_outcome_cannot_be_one_of_the_conditions_of_the_cases_left_out():
    data = pd.DataFrame({"A": [1, None], "Y": [1, 0]}, index=["a", "b"])
    with pytest.raises(qca.QCAError, match="the outcome 'Y' cannot also be a condition"):
        qca.cases_left_out(data, "Y", ["A", "Y"])


def test_cases_left_out_without_conditions_takes_every_other_column():
    data = pd.DataFrame({"A": [1, None, 1], "B": [0, 1, None], "Y": [1, 0, None]}, index=["a", "b", "c"])
    left_out = qca.cases_left_out(data, "Y", None)  # type: ignore[arg-type]
    assert left_out[["case", "unknown", "reason"]].values.tolist() == [
        ["b", "A", "condition(s) A unknown"],
        ["c", "Y, B", "outcome Y unknown; condition(s) B unknown"],
    ]


_TWO_CASES = pd.DataFrame({"A": [1, 0], "B": [0, 1], "Y": [1, 0]}, index=["a", "b"])


@pytest.mark.parametrize(
    ("outcome", "conditions", "message"),
    [
        ("Z", None, "unknown outcome 'Z'; columns: A, B, Y"),
        ("Y", ["A", "C"], "unknown condition(s) C; columns: A, B, Y"),
        ("Y", ["A", "D", "C"], "unknown condition(s) D, C; columns: A, B, Y"),
        ("Y", ["A", "Y"], "the outcome 'Y' cannot also be a condition"),
        ("Y", ["A", "A"], "duplicate conditions in ['A', 'A']"),
        ("Y", [], "no conditions given"),
    ],
)
def test_a_truth_table_refuses_a_bad_choice_of_columns_naming_them(outcome, conditions, message):
    with pytest.raises(qca.QCAError) as caught:
        qca.truth_table(_TWO_CASES, outcome, conditions)
    assert str(caught.value) == message


def test_a_truth_table_refuses_more_conditions_than_it_can_enumerate():
    n = qca.MAX_CONDITIONS + 1
    data = pd.DataFrame({**{f"C{i}": [1] for i in range(n)}, "Y": [1]})
    with pytest.raises(qca.QCAError) as caught:
        qca.truth_table(data, "Y")
    assert str(caught.value) == f"{n} conditions give 2^{n} configurations; at most {qca.MAX_CONDITIONS}"
    # exactly MAX_CONDITIONS passes the check (building that table takes a minute: the check alone)
    assert len(qca._check_conditions(data.drop(columns="C0"), None, "Y")) == qca.MAX_CONDITIONS


def test_a_membership_outside_zero_to_one_names_its_case_and_column():
    data = pd.DataFrame({"A": [0, "x"], "Y": [1, 0]}, index=["a", "b"])
    with pytest.raises(qca.QCAError) as caught:
        qca.truth_table(data, "Y")
    assert str(caught.value) == "case 'b', column 'A': membership must be a number in [0, 1], got 'x'"


def test_a_truth_table_keeps_the_cuts_it_was_built_with():
    tt = qca.truth_table(_TWO_CASES, "Y", incl_cut=0.75, n_cut=2)
    assert (tt.incl_cut, tt.n_cut, tt.outcome, tt.conditions) == (0.75, 2, "Y", ["A", "B"])


def test_a_negated_outcome_is_one_minus_the_membership():
    # ~Y = (1, 0.8, 0); A=1 row: incl = (1 + 0.8) / 2 = 0.9, PRI = (1.8 - 0.2) / (2 - 0.2) = 8/9
    data = pd.DataFrame({"A": [1, 1, 0], "Y": [0, 0.2, 1]}, index=["a", "b", "c"])
    tt = qca.truth_table(data, "~Y")
    assert tt.y.tolist() == [1.0, 0.8, 0.0] and tt.outcome == "~Y"
    row = tt.table.loc["1"]
    assert (row["OUT"], row["n"], row["cases"]) == ("1", 2, "a, b")
    assert row["incl"] == pytest.approx(0.9) and row["PRI"] == pytest.approx(8 / 9)
    assert tt.table.loc["0", "incl"] == 0.0
    necessary = qca.necessity(data, "~Y", negations=False).iloc[0]
    assert necessary["inclN"] == pytest.approx(1.0) and necessary["covN"] == pytest.approx(0.9)
    assert necessary["RoN"] == pytest.approx(1 / 1.2)


@pytest.mark.parametrize(
    "measure",
    [lambda: qca.consistency([0, 0], [1, 1]), lambda: qca.coverage([1, 1], [0, 0]), lambda: qca.pri([0, 0], [1, 1])],
)
def test_a_measure_over_no_membership_at_all_is_undefined_not_zero(measure):
    assert math.isnan(measure())
