"""QCA output tables in full, worked by hand: the solution row's parameters, empty tables' columns, counts as integers.

Added after the fresh mutation draw of seed 4242 (its figure was recorded first) showed these
outputs unchecked.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kexie_research.analysis import qca


def test_the_solution_row_carries_the_consistency_pri_and_coverage_of_the_whole_solution():
    # one case in A*B (a, Y = 0.9); b has A*~B with Y = 0.7 < 0.8: the solution is A*B
    data = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [0.9, 0.7, 0.2, 0.1]}, index=list("abcd"))
    solution = qca.minimize(qca.truth_table(data, "Y"))
    assert solution.expressions == ["A*B"]
    total = solution.models[0].parameters.iloc[-1]
    assert total["term"] == "solution" and total["cases"] == "a"
    assert total["incl"] == pytest.approx(0.9)
    assert total["PRI"] == pytest.approx((0.9 - 0.1) / (1 - 0.1))  # (ΣXY − ΣX·Y·~Y) / (ΣX − ΣX·Y·~Y)
    assert total["cov_raw"] == pytest.approx(0.9 / 1.9)
    assert math.isnan(total["cov_unique"])


def test_no_case_left_out_is_an_empty_table_with_its_four_columns():
    left_out = qca.cases_left_out(pd.DataFrame({"A": [1, 0], "Y": [1, 0]}), "Y", ["A"])
    assert left_out.empty and left_out.columns.tolist() == ["case", "unknown", "reason", "notes"]


def test_the_number_of_conditions_compared_is_an_integer_count():
    data = pd.DataFrame({"A": [1, None, 0], "B": [0, 1, None]}, index=["a", "b", "c"])
    counts = qca.n_compared(data)
    assert counts.to_numpy().tolist() == [[2, 1, 1], [1, 1, 0], [1, 0, 1]]
    assert all(str(dtype) == "int64" for dtype in counts.dtypes)


@pytest.mark.parametrize(("pri_cut", "out"), [(0.5, "1"), (0.5 + 1e-12, "1"), (0.5 + 2e-12, "0")])
def test_a_row_whose_pri_is_at_the_cut_within_rounding_is_in(pri_cut, out):
    # A=1 holds a (Y=1) and b (Y=0): crisp, so PRI = incl = 1/2; a cut is met within 1e-12 (float sums)
    data = pd.DataFrame({"A": [1, 1, 0], "Y": [1, 0, 0]}, index=["a", "b", "c"])
    tt = qca.truth_table(data, "Y", incl_cut=0.5, pri_cut=pri_cut)
    assert (tt.table.loc["1", "PRI"], tt.table.loc["1", "OUT"]) == (0.5, out)


def test_the_truth_table_rows_are_named_by_their_configuration():
    tt = qca.truth_table(pd.DataFrame({"A": [1, 0], "B": [0, 1], "Y": [1, 0]}), "Y")
    assert tt.table.index.name == "configuration"
    assert tt.table.index.tolist() == ["00", "01", "10", "11"]
