"""The quantity column of the row checks: each distinct text once, and a failing batch read text by text.

``parse_quantity_column`` reads a sheet's raw_text column through the batch reader; when the batch
itself breaks it reads every text alone, so that one bad cell is quarantined with the parser's own
message instead of stopping the build. Both paths must give the same column; the texts are invented.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kexie_research.errors import ParseError
from kexie_research.parse.quantities import parse_quantity
from kexie_research.steps import row_checks

TEXTS = pd.Series(
    ["3个", "许多", "3个", "约5-8人", "至少20人", "二十万元", "10人以下"], index=[10, 11, 12, 13, 14, 15, 16]
)


def _expected_rows() -> list[tuple]:
    rows = []
    for text in TEXTS:
        try:
            q = parse_quantity(text)
        except ParseError as exc:
            rows.append((math.nan, math.nan, math.nan, None, None, str(exc)))
        else:
            rows.append((q.value, q.low, q.high, q.unit, q.qualifier, None))
    return rows


def _rows(table: pd.DataFrame) -> list[tuple]:
    numbers = [tuple(float(table.loc[i, c]) for c in ("value", "low", "high")) for i in table.index]
    texts = [
        tuple(None if pd.isna(table.loc[i, c]) else table.loc[i, c] for c in ("unit", "qualifier", "error"))
        for i in table.index
    ]
    return [n + t for n, t in zip(numbers, texts)]


def _same(a: list[tuple], b: list[tuple]) -> bool:
    return all(
        all(
            (x == y) or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
            for x, y in zip(r, s)
        )
        for r, s in zip(a, b)
    ) and len(a) == len(b)


def test_the_column_reads_each_row_as_one_text_alone_keeping_the_index():
    table = row_checks.parse_quantity_column(TEXTS)
    assert table.index.tolist() == TEXTS.index.tolist()
    assert table.columns.tolist() == ["value", "low", "high", "unit", "qualifier", "error"]
    assert [str(t) for t in table.dtypes] == ["float64", "float64", "float64", "str", "str", "str"]
    assert _same(_rows(table), _expected_rows())
    assert table.loc[14, "low"] == 20.0 and table.loc[16, "high"] == 10.0


def test_a_batch_that_breaks_is_read_text_by_text_with_the_same_result(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the batch reader broke")

    monkeypatch.setattr(row_checks, "parse_quantities", broken)
    table = row_checks.parse_quantity_column(TEXTS)
    assert [str(t) for t in table.dtypes] == ["float64", "float64", "float64", "str", "str", "str"]
    assert _same(_rows(table), _expected_rows())


def test_a_text_that_makes_the_parser_raise_another_error_is_named_with_it(monkeypatch):
    def overflowing(text):
        if text == "二十万元":
            raise OverflowError("signed integer is greater than maximum")
        return parse_quantity(text)

    monkeypatch.setattr(row_checks, "parse_quantities", lambda *a, **k: (_ for _ in ()).throw(RuntimeError()))
    monkeypatch.setattr(row_checks, "parse_quantity", overflowing)
    table = row_checks.parse_quantity_column(TEXTS)
    assert (
        table.loc[15, "error"]
        == "cannot parse quantity '二十万元': OverflowError: signed integer is greater than maximum"
    )
    assert math.isnan(table.loc[15, "value"])
    assert table.loc[10, "value"] == 3.0 and pd.isna(table.loc[10, "error"])


@pytest.mark.parametrize(
    ("value", "low", "high", "shown"),
    [(math.inf, math.nan, math.nan, "inf"), (1.0, 1.0, math.inf, "inf"), (1.0, -math.inf, 1.0, "-inf")],
)
def test_a_batch_reading_that_is_not_finite_is_refused_naming_the_bound(monkeypatch, value, low, high, shown):
    def reading(texts, errors="raise"):
        n = len(texts)
        return pd.DataFrame(
            {
                "value": [value] + [1.0] * (n - 1),
                "low": [low] + [np.nan] * (n - 1),
                "high": [high] + [np.nan] * (n - 1),
                "unit": ["count"] * n,
                "qualifier": ["exact"] * n,
                "error": pd.array([None] * n, dtype="str"),
            }
        )

    monkeypatch.setattr(row_checks, "parse_quantities", reading)
    table = row_checks.parse_quantity_column(pd.Series(["7个", "8个", "7个"]))
    assert table["error"].tolist()[0] == f"raw_text '7个' reads as a non-finite value ({shown})"
    assert table["error"].tolist()[2] == table["error"].tolist()[0]  # the same text, the same reason
    assert pd.isna(table.loc[1, "error"])


def test_distinct_rows_tell_apart_combinations_whose_packed_key_passes_two_to_the_53():
    # packed as 2**31 * (2**30 + 2) + 2**30 (+1): past a float's 53 bits, still exact in int64
    first = np.array([2**31, 2**31, 0, 2**31])
    second = np.array([2**30 + 1, 2**30, 2**30 + 1, 2**30 + 1])
    distinct, inverse = row_checks.distinct_rows(first, second)
    assert distinct.tolist() == [[2**31, 2**30 + 1], [2**31, 2**30], [0, 2**30 + 1]]
    assert inverse.tolist() == [0, 1, 2, 0]


def test_a_batch_that_breaks_on_texts_that_all_fail_gives_each_its_own_reason(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the batch reader broke")

    monkeypatch.setattr(row_checks, "parse_quantities", broken)
    table = row_checks.parse_quantity_column(pd.Series(["许多", "若干", "许多"], index=[3, 4, 5]))
    assert table.columns.tolist() == ["value", "low", "high", "unit", "qualifier", "error"]
    assert table[["value", "low", "high"]].isna().all().all()
    assert table["error"].str.startswith("cannot parse quantity '").all()
    assert table.loc[3, "error"] == table.loc[5, "error"] != table.loc[4, "error"]
    assert "'许多'" in table.loc[3, "error"] and "'若干'" in table.loc[4, "error"]
