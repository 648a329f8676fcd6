"""QCA at its boundaries: a value exactly at a cut, a membership of exactly 0.5, the cases of a solution.

Expected values are worked by hand from the textbook definitions (Ragin 2008; Schneider & Wagemann
2012): consistency Σmin(X,Y)/ΣX, PRI (Σmin(X,Y) − Σmin(X,Y,1−Y)) / (ΣX − Σmin(X,Y,1−Y)), and a case
belongs to the truth-table row (and to a term's cases) where its membership is *more than* 0.5.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kexie_research.analysis import qca


def _row(data: pd.DataFrame, configuration: str, **cuts) -> dict:
    return qca.truth_table(data, "Y", **cuts).table.loc[configuration].to_dict()


def test_a_consistency_exactly_at_incl_cut_is_sufficient_and_just_below_is_not():
    data = pd.DataFrame({"A": [1, 1, 1, 1, 1], "Y": [1, 1, 1, 1, 0]}, index=list("abcde"))  # incl = 4/5
    assert _row(data, "1", incl_cut=0.8)["OUT"] == "1"
    assert _row(data, "1", incl_cut=0.81)["OUT"] == "0"


def test_a_consistency_at_the_cut_up_to_rounding_is_at_the_cut():
    # 4 × 0.7 in A, 3 × 0.7 in Y: 2.1 / 2.8 is 0.75, which floating point computes as 0.7499999999999999
    data = pd.DataFrame({"A": [0.7] * 4, "Y": [0.7] * 3 + [0.0]}, index=list("abcd"))
    assert qca.consistency(data["A"], data["Y"]) < 0.75
    assert _row(data, "1", incl_cut=0.75)["OUT"] == "1"
    assert _row(data, "1", incl_cut=0.7500001)["OUT"] == "0"


def test_a_pri_exactly_at_pri_cut_passes_and_just_below_does_not():
    data = pd.DataFrame({"A": [1, 1], "Y": [1, 0]}, index=["a", "b"])  # incl = PRI = 1/2
    assert qca.pri(data["A"], data["Y"]) == 0.5
    assert _row(data, "1", incl_cut=0.5, pri_cut=0.5)["OUT"] == "1"
    assert _row(data, "1", incl_cut=0.5, pri_cut=0.51)["OUT"] == "0"


def test_pri_textbook_value():
    # Σmin(X,Y) = 0.9 + 0.4 = 1.3; Σmin(X,Y,1−Y) = 0.1 + 0.4 = 0.5; ΣX = 1.6 → (1.3 − 0.5) / (1.6 − 0.5)
    assert qca.pri([0.9, 0.7], [0.9, 0.4]) == pytest.approx((1.3 - 0.5) / (1.6 - 0.5))


def test_a_membership_of_exactly_one_half_is_in_no_row():
    data = pd.DataFrame({"A": [0.5, 1.0, 0.2], "Y": [1.0, 1.0, 0.5]}, index=["half", "in", "out"])
    table = qca.truth_table(data, "Y").table
    assert table.loc["1", "cases"] == "in" and table.loc["1", "n"] == 1
    assert table.loc["0", "cases"] == "out" and table.loc["0", "n"] == 1


def test_an_outcome_of_exactly_one_half_is_no_contradiction():
    data = pd.DataFrame({"A": [1.0, 1.0], "Y": [1.0, 0.5]}, index=["a", "b"])
    assert _row(data, "1")["contradiction"] is False
    data = pd.DataFrame({"A": [1.0, 1.0], "Y": [1.0, 0.4]}, index=["a", "b"])
    assert _row(data, "1")["contradiction"] is True


def test_n_cut_counts_the_cases_in_a_row():
    data = pd.DataFrame({"A": [1, 1, 0], "Y": [1, 1, 0]}, index=["a", "b", "c"])
    assert _row(data, "1", n_cut=2)["OUT"] == "1"
    assert _row(data, "1", n_cut=3)["OUT"] == "?"


def test_the_cases_column_of_a_solution_lists_the_cases_in_each_term_and_the_outcome():
    data = pd.DataFrame(
        {"A": [1, 1, 0, 0, 0.5], "B": [0, 1, 1, 0, 1], "Y": [1, 1, 1, 0, 1]}, index=["p", "q", "r", "s", "t"]
    )
    solution = qca.solve(data, "Y", incl_cut=0.8)["complex"]
    parameters = solution.models[0].parameters.set_index("term")
    # A + B. A: p and q (t has A = 0.5: not in A); B: q, r and t (t is in no truth-table row, but fully in B)
    assert parameters.loc["A", "cases"] == "p, q"
    assert parameters.loc["B", "cases"] == "q, r, t"
    assert parameters.loc["solution", "cases"] == "p, q, r, t"
    assert "t" not in ", ".join(solution.truth_table.table["cases"])
    assert np.isnan(parameters.loc["solution", "cov_unique"])


def test_the_cases_of_a_term_leave_out_cases_without_the_outcome():
    data = pd.DataFrame({"A": [1, 1, 1, 1, 1, 0], "Y": [1, 1, 1, 1, 0, 0]}, index=list("abcdef"))
    parameters = qca.solve(data, "Y", incl_cut=0.8)["complex"].models[0].parameters.set_index("term")
    assert parameters.loc["A", "cases"] == "a, b, c, d"  # e is in A but not in Y
    assert parameters.loc["A", "incl"] == pytest.approx(0.8)
    assert parameters.loc["A", "cov_raw"] == 1.0


def test_summary_lists_every_model_with_its_terms_and_the_whole_solution():
    # p, q, r have the outcome in configurations 101, 011 and 110; with the remainders free, A + B, A + C and
    # B + C each cover them (model ambiguity)
    data = pd.DataFrame(
        {"A": [1, 0, 1, 0], "B": [0, 1, 1, 0], "C": [1, 1, 0, 0], "Y": [1, 1, 1, 0]}, index=list("pqrs")
    )
    solution = qca.solve(data, "Y")["parsimonious"]
    assert solution.expressions == ["B + C", "A + C", "A + B"]
    summary = solution.summary()
    assert list(summary.columns) == ["model", "term", "incl", "PRI", "cov_raw", "cov_unique", "cases"]
    assert list(zip(summary["model"], summary["term"], summary["cases"])) == [
        ("M1", "B", "q, r"),
        ("M1", "C", "p, q"),
        ("M1", "solution", "p, q, r"),
        ("M2", "A", "p, r"),
        ("M2", "C", "p, q"),
        ("M2", "solution", "p, q, r"),
        ("M3", "A", "p, r"),
        ("M3", "B", "q, r"),
        ("M3", "solution", "p, q, r"),
    ]
    assert summary.loc[0, "cov_raw"] == pytest.approx(2 / 3) and summary.loc[0, "cov_unique"] == pytest.approx(1 / 3)


def test_summary_of_a_solution_without_models_is_empty():
    data = pd.DataFrame({"A": [1, 1], "Y": [1, 0]}, index=["a", "b"])  # incl 0.5: no sufficient row
    assert qca.solve(data, "Y")["complex"].summary().empty


def test_added_condition_check_keeps_a_baseline_term_that_survives_the_new_condition():
    data = pd.DataFrame(
        {"A": [1, 0, 1, 0], "B": [1, 1, 0, 0], "C": [1, 0, 0, 1], "Y": [1, 0, 1, 0]}, index=["a", "b", "c", "d"]
    )
    checked = qca.added_condition_check(data, "Y", ["A"], ["B", "A", "C"])  # A is already a condition: skipped
    assert checked.to_dict("records") == [
        {"added": "B", "scenarios": 1, "models": 1, "baseline_terms_kept": 1.0, "expressions": "A (1)"},
        {"added": "C", "scenarios": 1, "models": 1, "baseline_terms_kept": 1.0, "expressions": "A (1)"},
    ]


def test_added_condition_check_reports_a_solution_the_new_condition_changes():
    data = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 0, 0, 0]}, index=list("abcd"))
    checked = qca.added_condition_check(data, "Y", ["A"], ["B"])
    assert checked.to_dict("records") == [
        {"added": "B", "scenarios": 1, "models": 1, "baseline_terms_kept": 0.0, "expressions": "A*B (1)"}
    ]


def test_added_condition_check_without_candidates_is_an_empty_table_with_its_columns():
    data = pd.DataFrame({"A": [1, 0], "Y": [1, 0]}, index=["a", "b"])
    checked = qca.added_condition_check(data, "Y", ["A"], [])
    assert checked.empty and list(checked.columns) == [
        "added",
        "scenarios",
        "models",
        "baseline_terms_kept",
        "expressions",
    ]


def test_necessity_textbook_values_on_the_cases_where_both_are_known():
    # a..d known; e has no A, f no outcome: n = 4. For A: inclN = Σmin/ΣY = 1.8/1.8, RoN = Σ(1−X)/Σ(1−min) =
    # 1.2/2.2, covN = Σmin/ΣX = 1.8/2.8; for ~A: 0.5/1.8, 2.8/3.5, 0.5/1.2
    data = pd.DataFrame(
        {"A": [1, 0.6, 0.2, 1, np.nan, 1], "B": [0, 0, 1, 1, 1, 1], "Y": [0.8, 0.6, 0.1, 0.3, 1, np.nan]},
        index=list("abcdef"),
    )
    table = qca.necessity(data, "Y", ["A"])
    assert list(table.columns) == ["condition", "n", "inclN", "RoN", "covN"]
    assert table["condition"].tolist() == ["A", "~A"] and table["n"].tolist() == [4, 4]
    assert table["inclN"].tolist() == pytest.approx([1.8 / 1.8, 0.5 / 1.8])
    assert table["RoN"].tolist() == pytest.approx([1.2 / 2.2, 2.8 / 3.5])
    assert table["covN"].tolist() == pytest.approx([1.8 / 2.8, 0.5 / 1.2])


def test_necessity_without_negations_and_of_every_condition_but_the_outcome():
    data = pd.DataFrame({"A": [1, 0], "B": [0, 1], "Y": [1, 0]}, index=["a", "b"])
    assert qca.necessity(data, "Y", ["A"], negations=False)["condition"].tolist() == ["A"]
    assert qca.necessity(data, "Y")["condition"].tolist() == ["A", "~A", "B", "~B"]


def test_added_condition_check_starts_from_the_parsimonious_solution():
    # one case with the outcome (A, B, C all 1), one without: parsimonious A or B (complex: A*B); with C added,
    # A, B or C: two of the three models keep a baseline term
    data = pd.DataFrame({"A": [1, 0], "B": [1, 0], "C": [1, 0], "Y": [1, 0]}, index=["p", "q"])
    checked = qca.added_condition_check(data, "Y", ["A", "B"], ["C"])
    assert checked.loc[0, "baseline_terms_kept"] == pytest.approx(2 / 3)
    assert checked.loc[0, "expressions"] == "A (1); B (1); C (1)"


def test_added_condition_check_compares_whole_terms_of_a_baseline_with_several():
    data = pd.DataFrame(
        {"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "C": [0, 1, 1, 0], "Y": [1, 1, 1, 0]}, index=list("pqrs")
    )
    checked = qca.added_condition_check(data, "Y", ["A", "B"], ["C"])  # baseline A + B
    assert checked.loc[0, "baseline_terms_kept"] == pytest.approx(1 / 3)
    assert checked.loc[0, "expressions"] == "A + B (1); A + C (1); B + C (1)"


def test_added_condition_check_passes_its_consistency_cut_on():
    data = pd.DataFrame(
        {"A": [1, 1, 1, 1, 0], "C": [1, 1, 1, 1, 0], "Y": [1, 1, 1, 0, 0]}, index=list("abcde")
    )  # incl 3/4
    at_075 = qca.added_condition_check(data, "Y", ["A"], ["C"], incl_cut=0.75)
    assert (at_075.loc[0, "baseline_terms_kept"], at_075.loc[0, "expressions"]) == (0.5, "A (1); C (1)")
    at_080 = qca.added_condition_check(data, "Y", ["A"], ["C"])
    assert (at_080.loc[0, "baseline_terms_kept"], at_080.loc[0, "expressions"]) == (0.0, "(none) (1)")


def test_added_condition_check_passes_its_frequency_cut_on():
    # C splits the four cases of A into rows of two: below n_cut = 4 every row is a remainder
    data = pd.DataFrame({"A": [1, 1, 1, 1, 0], "C": [1, 1, 0, 0, 0], "Y": [1, 1, 1, 1, 0]}, index=list("abcde"))
    assert qca.added_condition_check(data, "Y", ["A"], ["C"], n_cut=4).loc[0, "expressions"] == "(none) (1)"
    assert qca.added_condition_check(data, "Y", ["A"], ["C"]).loc[0, "expressions"] == "A (1)"


def test_added_condition_check_fills_the_unknown_values_of_the_added_condition_only():
    # b's C is unknown: two scenarios (C = 0, C = 1), A in both. D (which would give D as a second model) is no
    # condition and plays no part
    data = pd.DataFrame({"A": [1, 0, 1], "C": [1, np.nan, 0], "D": [1, 0, 1], "Y": [1, 0, 1]}, index=list("abc"))
    checked = qca.added_condition_check(data, "Y", ["A"], ["C"])
    assert checked.to_dict("records") == [
        {"added": "C", "scenarios": 2, "models": 2, "baseline_terms_kept": 1.0, "expressions": "A (2)"}
    ]
    with pytest.raises(qca.QCAError, match=r"2 scenarios \(more than max_scenarios=1\)"):
        qca.added_condition_check(data, "Y", ["A"], ["C"], max_scenarios=1)
