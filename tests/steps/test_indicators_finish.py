"""The end of the coding-sheet step (``finish``): the tables a reader opens, sorted and numbered, and the counts.

Three coded rows of ``wuzhou_article`` (the worked example row of the row checks), out of
``record_id`` order, one of them refused; cleaned against the project's codebook, places and document.
"""

from __future__ import annotations

import pytest

from kexie_research.steps.indicators import clean, finish
from kexie_research.steps.row_checks import _example_context, example_rows


@pytest.fixture(scope="module")
def step():
    codebook, resolver, sources, documents = _example_context()
    # sheet rows 2, 3, 4: WZ-009, WZ-002 and WZ-005, whose raw_text 许多 is not in its quote
    sheets = example_rows({"record_id": "WZ-009"}, {}, {"record_id": "WZ-005", "raw_text": "许多"}).sheets
    processed, quarantined = clean(sheets, codebook, resolver, sources, documents)
    return finish(sheets, processed, quarantined, list(sources.values()), codebook)


def test_the_processed_rows_are_sorted_by_record_id_and_numbered_afresh(step):
    assert step.indicators["record_id"].tolist() == ["WZ-002", "WZ-009"]
    assert step.indicators.index.tolist() == [0, 1]
    assert step.indicators["value"].tolist() == [510_000.0, 510_000.0]  # 51万元
    assert step.quarantine[["record_id", "row", "check"]].values.tolist() == [["WZ-005", 4, "raw_text_not_in_quote"]]


def test_the_counts_are_a_table_of_cases_and_a_total_with_no_index_name(step):
    assert step.counts.index.tolist() == ["wuzhou", "total"]
    assert step.counts.index.name is None
    assert step.counts.to_dict("index") == {
        "wuzhou": {"coded": 3, "processed": 2, "quarantined": 1},
        "total": {"coded": 3, "processed": 2, "quarantined": 1},
    }
    # printed, the table has one header line (an index name, even empty, would add a second)
    assert step.counts.to_string().splitlines()[0].split() == ["coded", "processed", "quarantined"]
    assert step.counts.to_string().splitlines()[1].split()[0] == "wuzhou"


def test_the_processed_codes_are_the_cells_stripped_of_spaces():
    codebook, resolver, sources, documents = _example_context()
    padded = {"record_id": " WZ-003 ", "indicator_id": " kexie_annual_work_budget ", "status": "achieved "}
    sheets = example_rows(padded).sheets
    processed, quarantined = clean(sheets, codebook, resolver, sources, documents)
    assert quarantined.empty
    row = processed.iloc[0]
    assert (row["record_id"], row["indicator_id"], row["is_target"]) == ("WZ-003", "kexie_annual_work_budget", False)
