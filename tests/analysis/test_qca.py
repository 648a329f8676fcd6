"""Tests of kexie_research.analysis.qca against published solutions and hand-computed parameters.

Sources of the expected solutions:

* STRIKES — Ragin, C. C. (1987). *The Comparative Method*, ch. 6: hypothetical truth table of
  successful strikes (A booming product market, B threat of sympathy strikes, C large strike fund).
  Primitive expression S = AbC + aBc + ABc + ABC; prime implicants AC, AB, Bc; the prime implicant
  chart shows AB is redundant, so S = AC + Bc.
* LIPSET (crisp) — Rihoux, B. & De Meur, G. (2009). Crisp-set QCA, ch. 3 in Rihoux & Ragin (eds.),
  *Configurational Comparative Methods*: survival of democracy in inter-war Europe (18 cases;
  DEV, URB, LIT, IND, STB). Complex solution DEV*~URB*LIT*STB + DEV*LIT*IND*STB (raw coverage 0.5
  and 0.75, unique 0.25 and 0.5); parsimonious DEV*STB with 5 simplifying assumptions; for ~SURV,
  ~DEV*~URB*~IND + DEV*LIT*IND*~STB and ~DEV + ~STB. The same numbers are reproduced by the R package
  QCA (Duşa), whose test snapshots (tests/testthat/_snaps/minimize.md, objects ttLC, cLC, pLC) list
  the truth table used below.
* PETRICK — McCluskey's cyclic function f(A,B,C) = Σm(0,1,2,5,6,7), the standard example of
  Petrick's method (e.g. Wikipedia, "Petrick's method"): two minimal covers, A'B' + BC' + AC and
  A'C' + B'C + AB.
* QM WITH DON'T-CARES — the worked example of Wikipedia's "Quine–McCluskey algorithm" article:
  f(A,B,C,D) = Σm(4,8,10,11,12,15) + d(9,14); prime implicants BC'D', AB', AD', AC; minimal
  solutions BC'D' + AB' + AC and BC'D' + AD' + AC.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kexie_research.analysis import qca
from kexie_research.analysis.qca import QCAError

STRIKES = pd.DataFrame(
    {
        "A": [1, 0, 1, 1, 1, 0, 0, 0],
        "B": [0, 1, 1, 1, 0, 0, 1, 0],
        "C": [1, 0, 0, 1, 0, 1, 1, 0],
        "S": [1, 1, 1, 1, 0, 0, 0, 0],
    },
    index=[f"case{i}" for i in range(1, 9)],
)

# ttLC rows: DEV URB LIT IND STB -> SURV, with the cases in each row.
LIPSET_ROWS = {
    (1, 1, 1, 1, 1, 1): "BE CZ NL UK",
    (1, 0, 1, 0, 1, 1): "FI IE",
    (1, 0, 1, 1, 1, 1): "FR SE",
    (0, 0, 0, 0, 0, 0): "GR PT ES",
    (0, 0, 0, 0, 1, 0): "IT RO",
    (0, 0, 1, 0, 0, 0): "HU PL",
    (0, 0, 1, 0, 1, 0): "EE",
    (1, 0, 1, 1, 0, 0): "AU",
    (1, 1, 1, 1, 0, 0): "DE",
}


@pytest.fixture(scope="module")
def lipset() -> pd.DataFrame:
    records = []
    for values, cases in LIPSET_ROWS.items():
        for case in cases.split():
            records.append({"case": case, **dict(zip(["DEV", "URB", "LIT", "IND", "STB", "SURV"], values))})
    return pd.DataFrame(records).set_index("case")


def _bits(m: int, n: int) -> tuple[int, ...]:
    return tuple(int(b) for b in format(m, f"0{n}b"))


# --- textbook solutions ------------------------------------------------------------------------


def test_strikes_ragin_1987_complex_solution_and_redundant_prime_implicant():
    solution = qca.minimize(qca.truth_table(STRIKES, "S"))
    assert solution.expressions == ["A*C + B*~C"]
    assert set(solution.chart.index) == {"A*C", "A*B", "B*~C"}  # AB is prime but not needed
    params = solution.models[0].parameters.set_index("term")
    assert params.loc["solution", ["incl", "cov_raw"]].tolist() == [1.0, 1.0]


def test_lipset_complex_solution_and_coverages(lipset):
    tt = qca.truth_table(lipset, "SURV")
    assert len(tt.observed()) == 9 and (tt.table["OUT"] == "?").sum() == 23
    solution = qca.minimize(tt)
    assert solution.expressions == ["DEV*LIT*IND*STB + DEV*~URB*LIT*STB"]
    params = solution.models[0].parameters.set_index("term")
    assert params.loc["DEV*~URB*LIT*STB", "cov_raw"] == pytest.approx(0.5)
    assert params.loc["DEV*~URB*LIT*STB", "cov_unique"] == pytest.approx(0.25)
    assert params.loc["DEV*LIT*IND*STB", "cov_raw"] == pytest.approx(0.75)
    assert params.loc["DEV*LIT*IND*STB", "cov_unique"] == pytest.approx(0.5)
    assert set(params.loc["DEV*~URB*LIT*STB", "cases"].split(", ")) == {"FI", "IE", "FR", "SE"}


def test_lipset_parsimonious_solution_and_simplifying_assumptions(lipset):
    solution = qca.minimize(qca.truth_table(lipset, "SURV"), include_remainders=True)
    assert solution.expressions == ["DEV*STB"]
    assumptions = {
        tuple(r) for r in solution.simplifying_assumptions[["DEV", "URB", "LIT", "IND", "STB"]].itertuples(index=False)
    }
    # pLC$SA: rows 18, 20, 26, 28, 30
    assert assumptions == {(1, 0, 0, 0, 1), (1, 0, 0, 1, 1), (1, 1, 0, 0, 1), (1, 1, 0, 1, 1), (1, 1, 1, 0, 1)}


def test_lipset_negated_outcome(lipset):
    tt = qca.truth_table(lipset, "~SURV")
    assert qca.minimize(tt).expressions == ["DEV*LIT*IND*~STB + ~DEV*~URB*~IND"]
    assert qca.minimize(tt, include_remainders=True).expressions == ["~DEV + ~STB"]


def test_petrick_cyclic_function_has_two_minimal_covers():
    on = [_bits(m, 3) for m in (0, 1, 2, 5, 6, 7)]
    primes = qca.prime_implicants(on)
    assert len(primes) == 6
    covers = {" + ".join(sorted(t.expression("ABC") for t in cover)) for cover in qca.minimal_covers(primes, on)}
    assert covers == {"A*C + B*~C + ~A*~B", "A*B + ~A*~C + ~B*C"}


def test_quine_mccluskey_with_dont_cares():
    on = [_bits(m, 4) for m in (4, 8, 10, 11, 12, 15)]
    dc = [_bits(m, 4) for m in (9, 14)]
    primes = qca.prime_implicants(on, dc)
    assert {p.expression("ABCD") for p in primes} == {"B*~C*~D", "A*~B", "A*~D", "A*C"}
    covers = {" + ".join(sorted(t.expression("ABCD") for t in cover)) for cover in qca.minimal_covers(primes, on)}
    assert covers == {"A*C + A*~B + B*~C*~D", "A*C + A*~D + B*~C*~D"}


# --- formulas ------------------------------------------------------------------------------------


def test_fuzzy_consistency_coverage_pri_by_hand():
    x, y = [0.2, 0.6, 0.9], [0.4, 0.5, 1.0]
    # Σmin(X,Y) = 0.2 + 0.5 + 0.9 = 1.6; ΣX = 1.7; ΣY = 1.9; Σmin(X,Y,1−Y) = 0.2 + 0.5 + 0 = 0.7
    assert qca.consistency(x, y) == pytest.approx(1.6 / 1.7)
    assert qca.coverage(x, y) == pytest.approx(1.6 / 1.9)
    assert qca.pri(x, y) == pytest.approx((1.6 - 0.7) / (1.7 - 0.7))
    # RoN = Σ(1−X) / Σ(1−min(X,Y)) = (0.8+0.4+0.1) / (0.8+0.5+0.1)
    assert qca.relevance_of_necessity(x, y) == pytest.approx(1.3 / 1.4)


def test_fuzzy_cases_go_to_the_row_where_membership_exceeds_half():
    data = pd.DataFrame({"A": [0.7, 0.2], "B": [0.2, 0.9], "Y": [0.8, 0.3]}, index=["p", "q"])
    tt = qca.truth_table(data, "Y")
    assert tt.table.loc["10", "cases"] == "p" and tt.table.loc["01", "cases"] == "q"
    # row 10 (A*~B): memberships p = min(0.7, 0.8) = 0.7, q = min(0.2, 0.1) = 0.1;
    # Σ min(m, Y) = min(0.7, 0.8) + min(0.1, 0.3) = 0.8, Σ m = 0.8
    assert tt.table.loc["10", "incl"] == pytest.approx(0.8 / 0.8)
    # row 01 (~A*B): p = min(0.3, 0.2) = 0.2, q = min(0.8, 0.9) = 0.8;
    # Σ min(m, Y) = min(0.2, 0.8) + min(0.8, 0.3) = 0.5, Σ m = 1.0
    assert tt.table.loc["01", "incl"] == pytest.approx(0.5 / 1.0)
    assert tt.table.loc["10", "OUT"] == "1" and tt.table.loc["01", "OUT"] == "0"


def test_contradictory_row_is_flagged_and_cut_by_consistency():
    data = pd.DataFrame({"A": [1, 1, 1, 0], "Y": [1, 1, 0, 0]})
    tt = qca.truth_table(data, "Y", incl_cut=0.6)
    assert bool(tt.table.loc["1", "contradiction"]) and tt.table.loc["1", "incl"] == pytest.approx(2 / 3)
    assert tt.table.loc["1", "OUT"] == "1"
    assert qca.truth_table(data, "Y", incl_cut=0.8).table.loc["1", "OUT"] == "0"


def test_necessity_table():
    data = pd.DataFrame({"A": [1, 1, 0, 1], "Y": [1, 1, 0, 0]})
    table = qca.necessity(data, "Y").set_index("condition")
    assert table.loc["A", "inclN"] == 1.0 and table.loc["A", "covN"] == pytest.approx(2 / 3)
    assert table.loc["~A", "inclN"] == 0.0


def test_similarity_matrices():
    data = pd.DataFrame({"A": [1, 1, 0], "B": [1, 0, 0], "C": [0, 0, float("nan")]}, index=["p", "q", "r"])
    sm = qca.similarity(data)
    assert sm.loc["p", "q"] == pytest.approx(2 / 3) and sm.loc["q", "r"] == pytest.approx(0.5)
    assert qca.n_compared(data).loc["p", "r"] == 2 and qca.n_compared(data).loc["p", "p"] == 3
    jac = qca.similarity(data, method="jaccard")
    assert jac.loc["p", "q"] == pytest.approx(1 / 2) and pd.isna(jac.loc["r", "r"])
    with pytest.raises(QCAError, match="method must be"):
        qca.similarity(data, method="cosine")


# --- unknown values and input errors -----------------------------------------------------------------


def test_unknown_values_are_dropped_and_listed():
    data = pd.DataFrame({"A": [1, float("nan"), 0], "Y": [1, 1, float("nan")]}, index=["p", "q", "r"])
    tt = qca.truth_table(data, "Y")
    assert tt.dropped.set_index("case")["unknown"].to_dict() == {"q": "A", "r": "Y"}
    assert list(tt.data.index) == ["p"]


def test_unknown_scenarios_fill_every_gap_of_cases_with_known_outcome():
    data = pd.DataFrame(
        {"A": [1, 0, float("nan")], "B": [1, float("nan"), 0], "Y": [1, 0, float("nan")]}, index=["p", "q", "r"]
    )
    scenarios = qca.unknown_scenarios(data, "Y", ["A", "B"])
    assert scenarios["scenario"].nunique() == 2  # only q.B is filled; r has no outcome
    assert set(scenarios["filled"]) == {"q.B=0", "q.B=1"}
    summary = qca.scenario_summary(scenarios).set_index(["kind", "expression"])
    assert summary.loc[("parsimonious", "A"), "scenarios"] == 2


def test_too_many_scenarios_is_an_error():
    data = pd.DataFrame({c: [float("nan")] * 6 for c in "ABC"} | {"Y": [1.0] * 6})
    with pytest.raises(QCAError, match="18 unknown values give 262144 scenarios"):
        qca.unknown_scenarios(data, "Y", list("ABC"))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"outcome": "Z"}, "unknown outcome 'Z'"),
        ({"outcome": "S", "conditions": ["A", "X"]}, "unknown condition"),
        ({"outcome": "S", "conditions": ["A", "S"]}, "cannot also be a condition"),
        ({"outcome": "S", "conditions": []}, "no conditions"),
    ],
)
def test_bad_truth_table_requests(kwargs, message):
    with pytest.raises(QCAError, match=message):
        qca.truth_table(STRIKES, **kwargs)


def test_membership_outside_unit_interval_names_case_and_column():
    data = STRIKES.copy()
    data.loc["case3", "B"] = 2
    with pytest.raises(QCAError, match="case 'case3', column 'B': membership must be a number in \\[0, 1\\]"):
        qca.truth_table(data, "S")


def test_no_positive_configuration_gives_no_model():
    data = pd.DataFrame({"A": [1, 0], "Y": [0, 0]})
    solution = qca.minimize(qca.truth_table(data, "Y"))
    assert solution.models == [] and solution.expression == "(none)"


# --- the project's coded features ---------------------------------------------------------------------


def test_project_features_party_led_reform_goes_with_full_township_coverage():
    """The configuration answer of notebook 50 on the coded evidence (fails if the coding changes it)."""
    from kexie_research import data
    from kexie_research.analysis.features import feature_matrix

    sheet = data.load_features()
    matrix = feature_matrix(sheet, use_labels=True)
    solution = qca.solve(matrix, "COVER", ["PLED", "FUND", "ENTPARK"])
    assert solution["parsimonious"].expressions == ["PLED"]
    assert solution["complex"].expressions == ["PLED*ENTPARK"]
    assert set(solution["complex"].truth_table.dropped["case"]) == {"chengdu", "liuzhou"}
    left_out = qca.cases_left_out(
        matrix[["PLED", "FUND", "ENTPARK", "COVER"]], "COVER", ["PLED", "FUND", "ENTPARK"], notes=sheet
    )
    assert left_out["case"].tolist() == ["chengdu", "liuzhou"]
    assert (left_out["reason"] == "outcome COVER unknown").all()
    assert left_out["notes"].str.len().min() > 0  # the coder's note says why the outcome is unknown


def test_cases_left_out_lists_nothing_for_complete_data():
    data = pd.DataFrame({"A": [1, 0], "Y": [1, 0]}, index=["a", "b"])
    assert qca.cases_left_out(data, "Y", ["A"]).empty


# --- notebook 50 -------------------------------------------------------------------------------------


def test_notebook_50_is_committed_clean_with_one_parameters_cell():
    import json

    from kexie_research.config import notebooks_dir

    cells = json.loads((notebooks_dir() / "50_reform_configurations.ipynb").read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    source = "".join(tagged[0]["source"]) if tagged else ""
    assert len(tagged) == 1 and "outcome =" in source and "conditions =" in source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in cells if c["cell_type"] == "code")


@pytest.mark.slow
def test_notebook_50_runs_under_papermill_with_the_fuzzy_outcome(tmp_path, monkeypatch):
    import papermill

    from kexie_research.config import notebooks_dir

    monkeypatch.setenv("KEXIE_FIGURE_DIR", str(tmp_path / "figures"))
    out = tmp_path / "50.ipynb"
    papermill.execute_notebook(
        str(notebooks_dir() / "50_reform_configurations.ipynb"),
        str(out),
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
        parameters={"outcome": "township_coverage_share", "conditions": ["party_led_reform", "formula_funding"]},
    )
    assert (tmp_path / "figures" / "50_feature_matrix.png").is_file()
    assert (tmp_path / "figures" / "50_similarity.png").is_file()
    assert "Parsimonious solution: PLED" in out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_notebook_50_rejects_an_unknown_condition(tmp_path):
    import papermill

    from kexie_research.config import notebooks_dir

    with pytest.raises(
        papermill.PapermillExecutionError, match="unknown condition\\(s\\) 'budget'; valid conditions: party_led_reform"
    ):
        papermill.execute_notebook(
            str(notebooks_dir() / "50_reform_configurations.ipynb"),
            str(tmp_path / "out.ipynb"),
            kernel_name="python3",
            cwd=str(tmp_path),
            progress_bar=False,
            parameters={"conditions": ["party_led_reform", "budget"]},
        )
