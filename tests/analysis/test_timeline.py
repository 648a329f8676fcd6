"""The reform timeline for readers (kexie_research.analysis.timeline)."""

from __future__ import annotations


from kexie_research.analysis import timeline as tl
from kexie_research import data

from analysis_rows import CASE_KEYS


# ---------------------------------------------------------------------------------------------- timeline


def test_real_timeline_is_ordered():
    timeline = data.load_timeline()
    table = tl.timeline_table(timeline)
    by_id = table.set_index("event_id")
    assert by_id.loc["LZ-2017-09-29", "when"] == "2017-09-29"
    assert by_id.loc["WZ-2020-07-28", "when"] == "2020-07-28"
    assert by_id.loc["CN-2018-3P1", "when"].startswith("2018")
    assert by_id.loc["RC-2020", "when"].startswith("2020")
    assert by_id.loc["ZY-0617", "when"] == "6月17日 — year not stated"
    assert by_id.loc["CD-MODEL", "when"] == "no date in the text"
    order = table["event_id"].tolist()
    assert order.index("CN-2018-3P1") < order.index("ZY-0617")  # the undated meeting follows the 2018 notice it cites
    assert (
        order.index("LZ-2017-09-29")
        < order.index("CN-2018-3P1")
        < order.index("RC-2020")
        < order.index("WZ-2020-07-28")
    )
    assert set(timeline["case"]) - {""} == set(CASE_KEYS)


def test_case_starts_of_a_case_without_events():
    starts = tl.case_starts(data.load_timeline(), ["wuzhou", "sixth_case"])
    assert starts["sixth_case"] == "—"
    assert starts["wuzhou"].endswith("[WZ-2020-07-28]")
