"""Tests of kexie_research.steps.timeline: the reform timeline is checked once, in the build."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kexie_research import data
from kexie_research.errors import ProvenanceError
from kexie_research.steps.timeline import TimelineError, timeline_step


def _rewrite(raw: Path, change) -> None:
    path = raw / "reference" / "reform_timeline.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = change(frame)
    frame.to_csv(path, index=False, lineterminator="\n")


def test_processed_timeline_has_case_and_offsets():
    timeline = data.load_timeline()
    assert "case" in timeline.columns
    documents = data.load_documents().set_index("source_id")["text"]
    for row in timeline.itertuples():
        flat_from_offset = documents[row.source_id][row.quote_offset :].replace("\n", "")
        assert flat_from_offset.startswith(row.quote.replace("\n", "")), row.event_id


def test_a_timeline_without_its_case_column_names_the_missing_column(raw_copy: Path):
    _rewrite(raw_copy, lambda f: f.rename(columns={"case": "place"}))  # as a file written before 0.2.0 was
    with pytest.raises(TimelineError, match=r"reform_timeline.csv: missing column\(s\) case; expected event_id, case"):
        timeline_step(raw_copy)


@pytest.mark.parametrize(
    "column, value, error, message",
    [
        ("case", "guiyang", TimelineError, "unknown case 'guiyang'"),
        ("date", "2017-9-29", TimelineError, "does not match precision"),
        ("date", "2017-09-31", TimelineError, "'2017-09-31' is not a day, month or year of the calendar"),
        ("not_before", "2016-99", TimelineError, "not_before '2016-99' is not an ISO date or year"),
        ("date_precision", "week", TimelineError, "date_precision 'week'"),
        ("quote", "虚构：柳州市科协系统深化改革实施方案于2017年9月29日", ProvenanceError, "quote not found"),
        ("source_id", "nowhere", TimelineError, "unknown source_id"),
    ],
)
def test_bad_rows_are_named(raw_copy: Path, column, value, error, message):
    def change(frame):
        frame.loc[1, column] = value
        return frame

    _rewrite(raw_copy, change)
    with pytest.raises(error, match=message) as info:
        timeline_step(raw_copy)
    assert "reform_timeline.csv row 3" in str(info.value)
