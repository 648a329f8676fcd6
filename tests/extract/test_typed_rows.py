"""typed_rows builds the same frame whatever the rows hold: its fast path for the extractor's own values
(text, floats, whole numbers, None) gives what the general conversion gives."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.extract.draft import DRAFT_COLUMNS, FLOAT_COLUMNS, _column, typed_rows


def _general(rows: list[tuple]) -> pd.DataFrame:
    # The general conversion (object columns through to_numeric / astype), as typed_rows built every column before.
    frame = pd.DataFrame(
        {name: pd.Series(list(values), dtype=object) for name, values in zip(DRAFT_COLUMNS, zip(*rows))}
    )
    text = pd.Series(["x"]).dtype
    for column in DRAFT_COLUMNS:
        if column in FLOAT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column in ("offset", "page"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
        else:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None).astype(text)
    return frame


def _kind(column: str):  # type: ignore[no-untyped-def]
    if column in FLOAT_COLUMNS:
        return st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=False, width=32))
    if column in ("offset", "page"):
        return st.one_of(st.none(), st.integers(0, 10**9))
    return st.one_of(st.none(), st.text(max_size=4))


_EXTRACTOR_ROW = st.tuples(*(_kind(column) for column in DRAFT_COLUMNS))
# Other values in some cells (a number in a text column, an int among floats): those columns take the general path.
_MIXED_ROW = st.tuples(
    *(
        st.one_of(_kind(column), st.integers(0, 9), st.just("7")) if column != "offset" else _kind(column)
        for column in DRAFT_COLUMNS
    )
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(_EXTRACTOR_ROW, min_size=1, max_size=6))
def test_the_extractors_values_give_the_frame_of_the_general_conversion(rows: list[tuple]) -> None:
    fast = typed_rows(rows)
    pd.testing.assert_frame_equal(fast, _general(rows))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(_MIXED_ROW, min_size=1, max_size=6))
def test_mixed_values_give_the_frame_of_the_general_conversion(rows: list[tuple]) -> None:
    pd.testing.assert_frame_equal(typed_rows(rows), _general(rows))


def test_columns_take_their_type_at_once_only_from_values_of_that_type() -> None:
    assert str(_column("value", [1.5, None]).dtype) == "float64" and math.isnan(_column("value", [1.5, None])[1])
    assert str(_column("offset", [3, None]).dtype) == "Int64"
    assert str(_column("value", [1, 2.0]).dtype) == "object"  # an int among floats: the general conversion
    assert str(_column("offset", [True]).dtype) == "object"  # a bool is no offset
    assert str(_column("note", ["a", 3]).dtype) == "object"
