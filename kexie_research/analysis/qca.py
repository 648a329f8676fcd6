"""Qualitative Comparative Analysis (crisp- and fuzzy-set QCA) for a handful of cases.

What it does, in the terms of Ragin (1987, 2008) and Schneider & Wagemann (2012):

* :func:`truth_table` — one row per configuration of the conditions (2^k rows), with the number
  of cases in it, its consistency (``incl``) and PRI, and its output value: ``1`` (consistent
  enough), ``0``, or ``?`` (a *logical remainder*: fewer than ``n_cut`` cases). Fuzzy data use the
  usual rule: a case belongs to the row where its membership (minimum over the conditions, with 1−x
  for absent conditions) exceeds 0.5.
* Ragin's formulas, for a set X and outcome Y (crisp sets are the 0/1 special case)::

      consistency (sufficiency)  incl = Σ min(X, Y) / Σ X
      coverage (sufficiency)     cov  = Σ min(X, Y) / Σ Y
      PRI = (Σ min(X,Y) − Σ min(X,Y,1−Y)) / (Σ X − Σ min(X,Y,1−Y))
      consistency (necessity)    Σ min(X, Y) / Σ Y;  coverage (necessity) Σ min(X, Y) / Σ X
      relevance of necessity     RoN = Σ (1−X) / Σ (1−min(X, Y))

* :func:`minimize` — Boolean minimisation by Quine–McCluskey: the *complex* (conservative)
  solution treats remainders as false, the *parsimonious* solution lets remainders be don't-cares.
  The cover is chosen from the prime implicant chart: essential prime implicants first, then
  Petrick's method, returning every cover with the fewest prime implicants (several models = model
  ambiguity, shown as M1, M2 …).
* :func:`similarity` — simple matching and Jaccard similarity between cases (fuzzy versions:
  ``1 − mean |x − y|`` and Σ min / Σ max), on the conditions both cases have known.
* :func:`unknown_scenarios` — every way of filling the unknown condition values of the cases whose
  outcome is known, with the solution under each: which conclusions survive the gaps in the evidence.

No maintained QCA package exists for Python 3 with pandas 3 (``setqca`` pins pandas < 3; ``pyqca``
is an alpha release needing Python ≥ 3.11), so QM and Petrick's method are implemented here and tested
against published solutions (tests/test_qca.py names the source of each).

Example::

    >>> import pandas as pd
    >>> from kexie_research.analysis import qca
    >>> data = pd.DataFrame({"A": [1, 0, 1, 1, 1, 0, 0, 0], "B": [0, 1, 1, 1, 0, 0, 1, 0],
    ...                      "C": [1, 0, 0, 1, 0, 1, 1, 0], "S": [1, 1, 1, 1, 0, 0, 0, 0]})
    >>> qca.minimize(qca.truth_table(data, "S")).expression
    'A*C + B*~C'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike
import pandas as pd

from kexie_research.errors import KexieError

MAX_CONDITIONS = 14


class QCAError(KexieError, ValueError):
    """Invalid QCA input: unknown column, values outside [0, 1], too many conditions…"""


# --------------------------------------------------------------------------------------------
# Implicants and Quine–McCluskey
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Implicant:
    """A conjunction of literals: per condition ``1`` (present), ``0`` (absent) or ``None`` (eliminated).

    Examples
    --------
    >>> Implicant((1, None)).expression(["A", "B"])
    'A'
    """

    values: tuple[int | None, ...]

    @property
    def n_literals(self) -> int:
        """The number of conditions that the implicant keeps (not eliminated).

        Examples
        --------
        >>> Implicant((1, None, 0)).n_literals
        2
        """
        return sum(v is not None for v in self.values)

    def covers(self, config: Sequence[int]) -> bool:
        """Whether the configuration (a tuple of 0/1) is in this implicant.

        Examples
        --------
        >>> Implicant((1, None)).covers((1, 0)), Implicant((1, None)).covers((0, 0))
        (True, False)
        """
        return all(v is None or v == c for v, c in zip(self.values, config))

    def expression(self, labels: Sequence[str]) -> str:
        """``A*~B`` style; ``1`` for the empty conjunction (always true).

        Examples
        --------
        >>> Implicant((1, None, 0)).expression(["A", "B", "C"])
        'A*~C'
        """
        parts = [(label if v == 1 else f"~{label}") for v, label in zip(self.values, labels) if v is not None]
        return "*".join(parts) if parts else "1"

    def membership(self, data: pd.DataFrame, labels: Sequence[str]) -> pd.Series:
        """Fuzzy membership of each case: minimum over the literals (1 − x for a negated one).

        Examples
        --------
        >>> Implicant((1, 0)).membership(pd.DataFrame({"A": [0.8], "B": [0.3]}), ["A", "B"]).tolist()
        [0.7]
        """
        result = pd.Series(1.0, index=data.index)
        for v, label in zip(self.values, labels):
            if v is None:
                continue
            x = data[label].astype(float)
            result = np.minimum(result, x if v == 1 else 1.0 - x)
        return result


def _to_bits(config: Sequence[int]) -> int:
    value = 0
    for c in config:
        value = (value << 1) | int(c)
    return value


def _to_implicant(value: int, mask: int, n: int) -> Implicant:
    out = []
    for i in range(n):
        bit = 1 << (n - 1 - i)
        out.append(None if mask & bit else int(bool(value & bit)))
    return Implicant(tuple(out))


def prime_implicants(
    minterms: Iterable[Sequence[int]], dont_cares: Iterable[Sequence[int]] = (), n_vars: int | None = None
) -> list[Implicant]:
    """All prime implicants of the function that is true on ``minterms`` (don't-cares may be used).

    Quine–McCluskey: merge implicants that differ in exactly one literal until nothing merges; the
    unmerged ones are prime. Primes that cover no minterm (don't-cares only) are dropped.

    Examples
    --------
    >>> [p.expression(["A", "B"]) for p in prime_implicants([(1, 0), (1, 1)])]
    ['A']
    """
    on = {tuple(int(c) for c in m) for m in minterms}
    dc = {tuple(int(c) for c in m) for m in dont_cares} - on
    if not on:
        return []
    n = n_vars if n_vars is not None else len(next(iter(on)))
    if any(len(m) != n for m in on | dc):
        raise QCAError(f"every configuration needs {n} values")
    current = {(_to_bits(m), 0) for m in on | dc}
    primes: set[tuple[int, int]] = set()
    while current:
        merged_from: set[tuple[int, int]] = set()
        nxt: set[tuple[int, int]] = set()
        by_mask: dict[int, list[int]] = {}
        for value, mask in current:
            by_mask.setdefault(mask, []).append(value)
        for mask, values in by_mask.items():
            value_set = set(values)
            for value in values:
                for i in range(n):
                    bit = 1 << i
                    if mask & bit or value & bit:
                        continue
                    partner = value | bit
                    if partner in value_set:
                        nxt.add((value, mask | bit))
                        merged_from.add((value, mask))
                        merged_from.add((partner, mask))
        primes |= current - merged_from
        current = nxt
    result = [_to_implicant(v, m, n) for v, m in primes]
    result = [p for p in result if any(p.covers(m) for m in on)]
    return sorted(result, key=lambda p: (p.n_literals, tuple(-1 if v is None else v for v in p.values)))


def minimal_covers(primes: Sequence[Implicant], minterms: Iterable[Sequence[int]]) -> list[tuple[Implicant, ...]]:
    """Every cover of ``minterms`` by the fewest ``primes`` (prime implicant chart + Petrick's method).

    Essential prime implicants (the only ones covering some minterm) are taken first; the rest of
    the chart is solved exactly by Petrick's method (product of sums expanded with absorption).

    Examples
    --------
    >>> primes = prime_implicants([(0, 1), (1, 1), (1, 0)])
    >>> [[p.expression(["A", "B"]) for p in cover] for cover in minimal_covers(primes, [(0, 1), (1, 1), (1, 0)])]
    [['B', 'A']]
    """
    on = [tuple(int(c) for c in m) for m in minterms]
    if not on:
        return [()]
    chart = {m: frozenset(i for i, p in enumerate(primes) if p.covers(m)) for m in on}
    uncovered = [m for m, rows in chart.items() if not rows]
    if uncovered:
        raise QCAError(f"minterm(s) {uncovered} covered by no prime implicant")
    essential = {next(iter(rows)) for rows in chart.values() if len(rows) == 1}
    remaining = [rows for m, rows in chart.items() if not (rows & essential)]
    # Petrick: each remaining minterm is a clause (one of its primes must be chosen).
    products: set[frozenset[int]] = {frozenset()}
    for clause in sorted(set(remaining), key=lambda r: (len(r), sorted(r))):
        expanded: set[frozenset[int]] = set()
        for p in products:
            if p & clause:
                expanded.add(p)
            else:
                expanded.update(p | {i} for i in clause)
        # absorption: drop any product that contains another one
        minimal = sorted(expanded, key=len)
        products = set()
        for p in minimal:
            if not any(q <= p for q in products):
                products.add(p)
    best = min(len(p) for p in products)
    covers = [
        tuple(sorted((primes[i] for i in essential | p), key=lambda x: primes.index(x)))
        for p in products
        if len(p) == best
    ]
    return sorted(set(covers), key=lambda c: [primes.index(x) for x in c])


def pi_chart(primes: Sequence[Implicant], minterms: Iterable[Sequence[int]], labels: Sequence[str]) -> pd.DataFrame:
    """The prime implicant chart: rows = prime implicants, columns = minterms (as 0/1 strings), cells = covers.

    Examples
    --------
    >>> primes = prime_implicants([(1, 0), (1, 1)])
    >>> pi_chart(primes, [(1, 0), (1, 1)], ["A", "B"]).shape
    (1, 2)
    """
    on = [tuple(int(c) for c in m) for m in minterms]
    return pd.DataFrame(
        [[p.covers(m) for m in on] for p in primes],
        index=[p.expression(labels) for p in primes],
        columns=["".join(map(str, m)) for m in on],
    )


# --------------------------------------------------------------------------------------------
# Set-theoretic parameters
# --------------------------------------------------------------------------------------------


def _fraction(num: float, den: float) -> float:
    return float(num / den) if den > 0 else float("nan")


def consistency(x: ArrayLike, y: ArrayLike) -> float:
    """Consistency of X as sufficient for Y: Σ min(X, Y) / Σ X (Ragin 2006).

    Examples
    --------
    >>> consistency([1, 1, 0], [1, 0, 0])
    0.5
    """
    xs, ys = np.asarray(x, float), np.asarray(y, float)
    return _fraction(np.minimum(xs, ys).sum(), xs.sum())


def coverage(x: ArrayLike, y: ArrayLike) -> float:
    """Coverage of Y by X: Σ min(X, Y) / Σ Y (Ragin 2006).

    Examples
    --------
    >>> coverage([1, 1, 0], [1, 0, 1])
    0.5
    """
    xs, ys = np.asarray(x, float), np.asarray(y, float)
    return _fraction(np.minimum(xs, ys).sum(), ys.sum())


def pri(x: ArrayLike, y: ArrayLike) -> float:
    """Proportional reduction in inconsistency (Ragin 2008, fsQCA 2.0 manual).

    Examples
    --------
    >>> pri([1, 1], [1, 1])
    1.0
    """
    xs, ys = np.asarray(x, float), np.asarray(y, float)
    both = np.minimum(np.minimum(xs, ys), 1.0 - ys).sum()
    return _fraction(np.minimum(xs, ys).sum() - both, xs.sum() - both)


def relevance_of_necessity(x: ArrayLike, y: ArrayLike) -> float:
    """RoN = Σ (1 − X) / Σ (1 − min(X, Y)) (Schneider & Wagemann 2012, 236).

    Examples
    --------
    >>> relevance_of_necessity([1, 1, 0], [1, 0, 0])
    0.5
    """
    xs, ys = np.asarray(x, float), np.asarray(y, float)
    return _fraction((1.0 - xs).sum(), (1.0 - np.minimum(xs, ys)).sum())


# --------------------------------------------------------------------------------------------
# Truth table
# --------------------------------------------------------------------------------------------


def _outcome_values(data: pd.DataFrame, outcome: str) -> tuple[str, pd.Series]:
    negated = outcome.startswith("~")
    name = outcome[1:] if negated else outcome
    if name not in data.columns:
        raise QCAError(f"unknown outcome {name!r}; columns: {', '.join(map(str, data.columns))}")
    y = data[name].astype(float)
    return name, (1.0 - y) if negated else y


def _check_conditions(data: pd.DataFrame, conditions: Sequence[str] | None, outcome_name: str) -> list[str]:
    if conditions is None:
        conditions = [c for c in data.columns if c != outcome_name]
    conditions = list(conditions)
    unknown = [c for c in conditions if c not in data.columns]
    if unknown:
        raise QCAError(f"unknown condition(s) {', '.join(unknown)}; columns: {', '.join(map(str, data.columns))}")
    if outcome_name in conditions:
        raise QCAError(f"the outcome {outcome_name!r} cannot also be a condition")
    if len(set(conditions)) != len(conditions):
        raise QCAError(f"duplicate conditions in {conditions}")
    if not conditions:
        raise QCAError("no conditions given")
    if len(conditions) > MAX_CONDITIONS:
        raise QCAError(
            f"{len(conditions)} conditions give 2^{len(conditions)} configurations; at most {MAX_CONDITIONS}"
        )
    return conditions


@dataclass
class TruthTable:
    """A truth table and the data it was built from (complete cases only).

    Examples
    --------
    >>> tt = truth_table(pd.DataFrame({"A": [1, 0], "Y": [1, 0]}), "Y")
    >>> tt.table[["OUT", "n"]].values.tolist()
    [['0', 1], ['1', 1]]
    """

    table: pd.DataFrame
    outcome: str
    conditions: list[str]
    data: pd.DataFrame
    y: pd.Series
    dropped: pd.DataFrame
    incl_cut: float
    n_cut: int

    def configurations(self, out: str) -> list[tuple[int, ...]]:
        """Configurations with output ``out`` (``"1"``, ``"0"`` or ``"?"``).

        Examples
        --------
        >>> tt = truth_table(pd.DataFrame({"A": [1, 0], "Y": [1, 0]}), "Y")
        >>> tt.configurations("1")
        [(1,)]
        """
        rows = self.table[self.table["OUT"] == out]
        return [tuple(int(v) for v in r) for r in rows[self.conditions].itertuples(index=False)]

    def observed(self) -> pd.DataFrame:
        """Only the rows that hold at least one case.

        Examples
        --------
        >>> truth_table(pd.DataFrame({"A": [1, 1], "Y": [1, 1]}), "Y").observed().index.tolist()
        ['1']
        """
        return self.table[self.table["n"] > 0]


def truth_table(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    incl_cut: float = 0.8,
    n_cut: int = 1,
    pri_cut: float = 0.0,
) -> TruthTable:
    """Build the truth table of ``outcome`` (prefix ``~`` for its negation) on ``conditions``.

    ``data``: one row per case (the index names the cases), membership scores in [0, 1]; cases with
    an unknown (NaN) value in a condition or the outcome are set aside and listed in ``dropped``.
    A row with at least ``n_cut`` cases gets ``OUT = "1"`` if its consistency is at least
    ``incl_cut`` and its PRI at least ``pri_cut``, else ``"0"``; rows with fewer cases are
    remainders (``"?"``). ``contradiction`` flags rows that hold cases in and out of the outcome.

    Examples
    --------
    >>> tt = truth_table(pd.DataFrame({"A": [1, 0, None], "Y": [1, 0, 1]}, index=["a", "b", "c"]), "Y")
    >>> tt.table["OUT"].tolist(), tt.dropped["case"].tolist()
    (['0', '1'], ['c'])
    """
    outcome_name, _ = _outcome_values(data, outcome)
    conditions = _check_conditions(data, conditions, outcome_name)
    used = data[conditions + [outcome_name]]
    numeric = used.apply(pd.to_numeric, errors="coerce").astype(float)
    bad = (numeric.notna() & ((numeric < 0) | (numeric > 1))) | (used.notna() & numeric.isna())
    if bad.to_numpy().any():
        case, column = next((i, c) for i in bad.index for c in bad.columns if bad.loc[i, c])
        raise QCAError(
            f"case {case!r}, column {column!r}: membership must be a number in [0, 1], got {used.loc[case, column]!r}"
        )
    missing = numeric.isna()
    dropped = pd.DataFrame(
        {
            "case": numeric.index[missing.any(axis=1)],
            "unknown": [
                ", ".join(c for c in numeric.columns if missing.loc[i, c]) for i in numeric.index[missing.any(axis=1)]
            ],
        }
    )
    complete = numeric[~missing.any(axis=1)]
    _, y = _outcome_values(complete, outcome)
    rows = []
    for config in product((0, 1), repeat=len(conditions)):
        implicant = Implicant(tuple(config))
        m = implicant.membership(complete, conditions)
        in_row = m > 0.5
        n = int(in_row.sum())
        incl = consistency(m, y)
        row_pri = pri(m, y)
        if n >= n_cut:
            out = "1" if (incl >= incl_cut - 1e-12 and (np.isnan(row_pri) or row_pri >= pri_cut - 1e-12)) else "0"
        else:
            out = "?"
        cases_in = list(complete.index[in_row])
        rows.append(
            {
                **dict(zip(conditions, config)),
                "OUT": out,
                "n": n,
                "incl": incl,
                "PRI": row_pri,
                "contradiction": bool(n and (y[in_row] > 0.5).any() and (y[in_row] < 0.5).any()),
                "cases": ", ".join(map(str, cases_in)),
            }
        )
    table = pd.DataFrame(rows)
    table.index = ["".join(map(str, c)) for c in product((0, 1), repeat=len(conditions))]
    table.index.name = "configuration"
    return TruthTable(
        table=table,
        outcome=outcome,
        conditions=conditions,
        data=complete,
        y=y,
        dropped=dropped,
        incl_cut=incl_cut,
        n_cut=n_cut,
    )


# --------------------------------------------------------------------------------------------
# Minimisation
# --------------------------------------------------------------------------------------------


@dataclass
class Model:
    """One minimal cover: its terms and their parameters.

    Examples
    --------
    >>> model = solve(pd.DataFrame({"A": [1, 0], "Y": [1, 0]}), "Y")["complex"].models[0]
    >>> model.expression
    'A'
    """

    terms: tuple[Implicant, ...]
    labels: tuple[str, ...]
    parameters: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def expression(self) -> str:
        """The model as ``A*B + ~C`` (terms joined by +).

        Examples
        --------
        >>> solve(pd.DataFrame({"A": [1, 0], "Y": [1, 0]}), "Y")["complex"].models[0].expression
        'A'
        """
        return " + ".join(sorted(t.expression(self.labels) for t in self.terms)) if self.terms else "(none)"


@dataclass
class Solution:
    """The models of one minimisation, the prime implicant chart and the remainders assumed true.

    Examples
    --------
    >>> solve(pd.DataFrame({"A": [1, 0], "Y": [1, 0]}), "Y")["parsimonious"].expressions
    ['A']
    """

    kind: str
    outcome: str
    models: list[Model]
    chart: pd.DataFrame
    simplifying_assumptions: pd.DataFrame
    truth_table: TruthTable

    @property
    def expression(self) -> str:
        """The first model's expression (see :attr:`expressions` for model ambiguity).

        Examples
        --------
        >>> solve(pd.DataFrame({"A": [1, 0], "Y": [1, 0]}), "Y")["parsimonious"].expression
        'A'
        """
        return self.models[0].expression if self.models else "(none)"

    @property
    def expressions(self) -> list[str]:
        """Every model's expression (several = model ambiguity).

        Examples
        --------
        >>> solve(pd.DataFrame({"A": [1, 0], "Y": [1, 0]}), "Y")["complex"].expressions
        ['A']
        """
        return [m.expression for m in self.models]

    def summary(self) -> pd.DataFrame:
        """Tidy: one row per model × term (and one per model for the whole solution).

        Examples
        --------
        >>> solve(pd.DataFrame({"A": [1, 0], "Y": [1, 0]}), "Y")["complex"].summary()["term"].tolist()
        ['A', 'solution']
        """
        frames = []
        for number, model in enumerate(self.models, start=1):
            frame = model.parameters.copy()
            frame.insert(0, "model", f"M{number}")
            frames.append(frame)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _parameters(terms: Sequence[Implicant], labels: Sequence[str], data: pd.DataFrame, y: pd.Series) -> pd.DataFrame:
    memberships = [t.membership(data, labels) for t in terms]
    rows: list[dict[str, object]] = []
    union = np.maximum.reduce(memberships) if memberships else pd.Series(0.0, index=data.index)
    for i, (term, m) in enumerate(zip(terms, memberships)):
        others = [mm for j, mm in enumerate(memberships) if j != i]
        without = np.maximum.reduce(others) if others else np.zeros(len(data))
        rows.append(
            {
                "term": term.expression(labels),
                "incl": consistency(m, y),
                "PRI": pri(m, y),
                "cov_raw": coverage(m, y),
                "cov_unique": coverage(union, y) - coverage(without, y),
                "cases": ", ".join(map(str, data.index[(np.asarray(m) > 0.5) & (np.asarray(y) > 0.5)])),
            }
        )
    rows.sort(key=lambda r: str(r["term"]))
    rows.append(
        {
            "term": "solution",
            "incl": consistency(union, y),
            "PRI": pri(union, y),
            "cov_raw": coverage(union, y),
            "cov_unique": np.nan,
            "cases": ", ".join(map(str, data.index[(np.asarray(union) > 0.5) & (np.asarray(y) > 0.5)])),
        }
    )
    return pd.DataFrame(rows)


def minimize(tt: TruthTable, include_remainders: bool = False) -> Solution:
    """Minimise the ``OUT = 1`` rows of a truth table.

    ``include_remainders=False``: complex (conservative) solution, remainders false.
    ``include_remainders=True``: parsimonious solution, remainders are don't-cares; the remainders
    that the chosen terms cover are listed in ``simplifying_assumptions``.

    Examples
    --------
    >>> minimize(truth_table(pd.DataFrame({"A": [1, 0, 1], "B": [1, 1, 0], "Y": [1, 0, 0]}), "Y")).expression
    'A*B'
    """
    on = tt.configurations("1")
    dc = tt.configurations("?") if include_remainders else []
    kind = "parsimonious" if include_remainders else "complex"
    labels = tuple(tt.conditions)
    if not on:
        return Solution(
            kind=kind,
            outcome=tt.outcome,
            models=[],
            chart=pd.DataFrame(),
            simplifying_assumptions=pd.DataFrame(columns=list(labels) + ["model"]),
            truth_table=tt,
        )
    primes = prime_implicants(on, dc, n_vars=len(labels))
    covers = minimal_covers(primes, on)
    models = [Model(terms=c, labels=labels, parameters=_parameters(c, labels, tt.data, tt.y)) for c in covers]
    assumptions = []
    for number, model in enumerate(models, start=1):
        for config in dc:
            if any(t.covers(config) for t in model.terms):
                assumptions.append({**dict(zip(labels, config)), "model": f"M{number}"})
    return Solution(
        kind=kind,
        outcome=tt.outcome,
        models=models,
        chart=pi_chart(primes, on, labels),
        simplifying_assumptions=pd.DataFrame(assumptions, columns=list(labels) + ["model"]),
        truth_table=tt,
    )


def solve(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    incl_cut: float = 0.8,
    n_cut: int = 1,
) -> dict[str, Solution]:
    """Truth table plus both solutions: ``{"complex": …, "parsimonious": …}``.

    Examples
    --------
    >>> sorted(solve(pd.DataFrame({"A": [1, 0], "Y": [1, 0]}), "Y"))
    ['complex', 'parsimonious']
    """
    tt = truth_table(data, outcome, conditions, incl_cut=incl_cut, n_cut=n_cut)
    return {"complex": minimize(tt, False), "parsimonious": minimize(tt, True)}


# --------------------------------------------------------------------------------------------
# Necessity, similarity, unknown-value scenarios
# --------------------------------------------------------------------------------------------


def cases_left_out(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    notes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The cases a truth table on ``conditions`` leaves out, and why: an unknown stays unknown.

    A case is left out when its outcome or any chosen condition is unknown (NaN): nothing is
    filled in or guessed. Columns: case, unknown (the labels, outcome first), reason (what is
    unknown), notes (with ``notes``: a long table with ``case``, ``label`` and ``note``, the coder's
    note on each unknown cell, e.g. what the document says instead).

    Examples
    --------
    >>> data = pd.DataFrame({"A": [1, 0, None], "Y": [1, None, None]}, index=["a", "b", "new"])
    >>> cases_left_out(data, "Y", ["A"])[["case", "reason"]].values.tolist()
    [['b', 'outcome Y unknown'], ['new', 'outcome Y unknown; condition(s) A unknown']]
    """
    outcome_name, _ = _outcome_values(data, outcome)
    conditions = _check_conditions(data, conditions, outcome_name)
    rows = []
    note_of: dict[tuple[str, str], str] = {}
    if notes is not None:
        note_of = {
            (str(c), str(label)): str(n)
            for c, label, n in zip(notes["case"], notes["label"], notes["note"])
            if str(n or "")
        }
    for case in data.index:
        unknown_outcome = pd.isna(data.loc[case, outcome_name])
        unknown_conditions = [c for c in conditions if pd.isna(data.loc[case, c])]
        if not unknown_outcome and not unknown_conditions:
            continue
        parts = [f"outcome {outcome_name} unknown"] if unknown_outcome else []
        if unknown_conditions:
            parts.append(f"condition(s) {', '.join(unknown_conditions)} unknown")
        labels = ([outcome_name] if unknown_outcome else []) + unknown_conditions
        rows.append(
            {
                "case": case,
                "unknown": ", ".join(labels),
                "reason": "; ".join(parts),
                "notes": " | ".join(
                    f"{label}: {note_of[(str(case), label)]}" for label in labels if (str(case), label) in note_of
                ),
            }
        )
    return pd.DataFrame(rows, columns=["case", "unknown", "reason", "notes"])


def necessity(
    data: pd.DataFrame, outcome: str, conditions: Sequence[str] | None = None, negations: bool = True
) -> pd.DataFrame:
    """Necessity of each condition (and its negation) for the outcome, on the cases where both are known.

    Columns: condition, n (cases used), inclN = Σmin(X,Y)/ΣY, RoN, covN = Σmin(X,Y)/ΣX.

    Examples
    --------
    >>> necessity(pd.DataFrame({"A": [1, 1, 0], "Y": [1, 1, 0]}), "Y", negations=False)["inclN"].tolist()
    [1.0]
    """
    outcome_name, y_all = _outcome_values(data, outcome)
    conditions = _check_conditions(data, conditions, outcome_name)
    rows = []
    for c in conditions:
        known = data[c].notna() & y_all.notna()
        x, y = data.loc[known, c].astype(float), y_all[known]
        for negated in [False, True] if negations else [False]:
            xv = 1.0 - x if negated else x
            rows.append(
                {
                    "condition": f"~{c}" if negated else c,
                    "n": int(known.sum()),
                    "inclN": consistency(y, xv),
                    "RoN": relevance_of_necessity(xv, y),
                    "covN": consistency(xv, y),
                }
            )
    return pd.DataFrame(rows)


def similarity(
    data: pd.DataFrame, conditions: Sequence[str] | None = None, method: str = "simple_matching"
) -> pd.DataFrame:
    """Case × case similarity over the conditions known for both cases (NaN if none).

    ``simple_matching``: share of agreeing conditions (fuzzy: ``1 − mean |x − y|``).
    ``jaccard``: shared presences over presences in either (fuzzy: Σ min / Σ max; NaN if both empty).
    :func:`n_compared` gives the number of conditions each pair was compared on.

    Examples
    --------
    >>> similarity(pd.DataFrame({"A": [1, 1], "B": [0, 1]}, index=["a", "b"])).loc["a", "b"]
    np.float64(0.5)
    """
    conditions = list(conditions) if conditions is not None else list(data.columns)
    values = data[conditions].astype(float)
    names = list(values.index)
    sim = pd.DataFrame(np.nan, index=names, columns=names)
    for a in names:
        for b in names:
            both = values.loc[a].notna() & values.loc[b].notna()
            x, z = values.loc[a, both].to_numpy(), values.loc[b, both].to_numpy()
            if not both.any():
                continue
            if method == "simple_matching":
                sim.loc[a, b] = 1.0 - float(np.abs(x - z).mean())
            elif method == "jaccard":
                den = float(np.maximum(x, z).sum())
                sim.loc[a, b] = float(np.minimum(x, z).sum()) / den if den > 0 else np.nan
            else:
                raise QCAError(f"method must be 'simple_matching' or 'jaccard', got {method!r}")
    sim.attrs["method"] = method
    return sim


def n_compared(data: pd.DataFrame, conditions: Sequence[str] | None = None) -> pd.DataFrame:
    """Case × case number of conditions known for both cases (the basis of :func:`similarity`).

    Examples
    --------
    >>> n_compared(pd.DataFrame({"A": [1, None], "B": [0, 1]}, index=["a", "b"])).loc["a", "b"]
    np.int64(1)
    """
    conditions = list(conditions) if conditions is not None else list(data.columns)
    known = data[conditions].notna().astype(int)
    return known @ known.T


def unknown_scenarios(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    incl_cut: float = 0.8,
    n_cut: int = 1,
    max_scenarios: int = 4096,
) -> pd.DataFrame:
    """Solutions under every 0/1 filling of the unknown condition values of cases with a known outcome.

    Cases whose outcome is unknown are left out (they carry no evidence on sufficiency). Returns one
    row per scenario × solution kind × model: scenario, filled (``case.condition=value; …``),
    cases, kind, model, expression, incl, cov. A conclusion that holds in every scenario does not
    depend on how the gaps in the documents would be filled.

    Examples
    --------
    >>> data = pd.DataFrame({"A": [1, None], "Y": [1, 0]}, index=["a", "b"])
    >>> unknown_scenarios(data, "Y", ["A"])["filled"].unique().tolist()
    ['b.A=0', 'b.A=1']
    """
    outcome_name, y = _outcome_values(data, outcome)
    conditions = _check_conditions(data, conditions, outcome_name)
    base = data.loc[y.notna(), conditions + [outcome_name]].astype(float)
    holes = [(case, c) for case in base.index for c in conditions if pd.isna(base.loc[case, c])]
    if 2 ** len(holes) > max_scenarios:
        raise QCAError(
            f"{len(holes)} unknown values give {2 ** len(holes)} scenarios (more than max_scenarios={max_scenarios}); choose fewer conditions"
        )
    rows = []
    for number, filling in enumerate(product((0, 1), repeat=len(holes)), start=1):
        filled = base.copy()
        for (case, c), v in zip(holes, filling):
            filled.loc[case, c] = float(v)
        label = "; ".join(f"{case}.{c}={v}" for (case, c), v in zip(holes, filling)) or "(no unknowns)"
        tt = truth_table(filled, outcome, conditions, incl_cut=incl_cut, n_cut=n_cut)
        for kind, include in (("complex", False), ("parsimonious", True)):
            solution = minimize(tt, include)
            if not solution.models:
                rows.append(
                    {
                        "scenario": number,
                        "filled": label,
                        "cases": len(filled),
                        "kind": kind,
                        "model": "",
                        "expression": "(none)",
                        "incl": np.nan,
                        "cov": np.nan,
                    }
                )
            for m_number, model in enumerate(solution.models, start=1):
                total = model.parameters.iloc[-1]
                rows.append(
                    {
                        "scenario": number,
                        "filled": label,
                        "cases": len(filled),
                        "kind": kind,
                        "model": f"M{m_number}",
                        "expression": model.expression,
                        "incl": float(total["incl"]),
                        "cov": float(total["cov_raw"]),
                    }
                )
    return pd.DataFrame(rows)


def scenario_summary(scenarios: pd.DataFrame) -> pd.DataFrame:
    """How many scenarios yield each expression, per solution kind (and the share of all scenarios).

    Examples
    --------
    >>> data = pd.DataFrame({"A": [1, None], "Y": [1, 0]}, index=["a", "b"])
    >>> scenario_summary(unknown_scenarios(data, "Y", ["A"]))["scenarios"].tolist()
    [1, 1, 1, 1]
    """
    n = scenarios["scenario"].nunique()
    counts = (
        scenarios.groupby(["kind", "expression"])["scenario"]
        .nunique()
        .rename("scenarios")
        .reset_index()
        .sort_values(["kind", "scenarios", "expression"], ascending=[True, False, True])
    )
    counts["share"] = counts["scenarios"] / n
    return counts.reset_index(drop=True)


def added_condition_check(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    candidates: Sequence[str],
    incl_cut: float = 0.8,
    n_cut: int = 1,
    max_scenarios: int = 4096,
) -> pd.DataFrame:
    """Does the parsimonious solution on ``conditions`` survive adding one more condition?

    For each candidate, :func:`unknown_scenarios` is run on ``conditions + [candidate]`` and every
    parsimonious model of every scenario is checked: does it still contain each term of the
    baseline solution? Columns: added, scenarios, models, baseline_terms_kept (share of models that
    keep every baseline term), expressions (each distinct parsimonious expression with the number of
    scenarios that give it).

    Examples
    --------
    >>> data = pd.DataFrame({"A": [1, 0], "B": [1, 1], "Y": [1, 0]}, index=["a", "b"])
    >>> added_condition_check(data, "Y", ["A"], ["B"])["baseline_terms_kept"].tolist()
    [1.0]
    """
    baseline = minimize(truth_table(data, outcome, conditions, incl_cut=incl_cut, n_cut=n_cut), True)
    base_terms = [set(m.expression.split(" + ")) for m in baseline.models]
    rows = []
    for extra in candidates:
        if extra in conditions:
            continue
        scen = unknown_scenarios(
            data, outcome, list(conditions) + [extra], incl_cut=incl_cut, n_cut=n_cut, max_scenarios=max_scenarios
        )
        pars = scen[scen["kind"] == "parsimonious"]
        kept = [any(terms <= set(e.split(" + ")) for terms in base_terms) for e in pars["expression"]]
        counts = pars.groupby("expression")["scenario"].nunique().sort_values(ascending=False)
        rows.append(
            {
                "added": extra,
                "scenarios": int(scen["scenario"].nunique()),
                "models": len(pars),
                "baseline_terms_kept": float(np.mean(kept)) if kept else float("nan"),
                "expressions": "; ".join(f"{e} ({n})" for e, n in counts.items()),
            }
        )
    return pd.DataFrame(rows, columns=["added", "scenarios", "models", "baseline_terms_kept", "expressions"])


__all__ = [
    "Implicant",
    "Model",
    "QCAError",
    "Solution",
    "TruthTable",
    "added_condition_check",
    "cases_left_out",
    "consistency",
    "coverage",
    "minimal_covers",
    "minimize",
    "n_compared",
    "necessity",
    "pi_chart",
    "pri",
    "prime_implicants",
    "relevance_of_necessity",
    "scenario_summary",
    "similarity",
    "solve",
    "truth_table",
    "unknown_scenarios",
]
