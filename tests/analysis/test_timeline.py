"""The reform timeline for readers (kexie_research.analysis.timeline)."""

from __future__ import annotations

import pandas as pd
import pytest

from kexie_research.analysis import timeline as tl
from kexie_research import data
from kexie_research.errors import AnalysisError

CASE_KEYS = ["wuzhou", "rongchang", "chengdu", "liuzhou", "zunyi"]


def fact(**overrides):
    """One processed row with harmless defaults."""
    row = {
        "record_id": "WZ-001", "source_id": "wuzhou_article", "case": "wuzhou", "case_zh": "梧州", "province": "Guangxi",
        "scope_zh": "梧州市", "scope_level": "city", "admin_code": "450400", "place_zh": "梧州市",
        "indicator_id": "enterprise_kexie_count", "indicator_zh": "企业科协数", "indicator_en": "Enterprise kexie organisations",
        "dimension": "organisation_building", "period_text": None, "period_start": None, "period_end": None,
        "is_target": False, "raw_text": "118个", "value": 118.0, "low": None, "high": None, "unit": "organisation",
        "qualifier": "exact", "quote": "现有企业科协组织118个", "note": None,
    }
    row.update(overrides)
    return row


def frame(*rows):
    return pd.DataFrame(list(rows))


PLACES = pd.DataFrame({
    "admin_code": ["450400", "450422", "500153", "510100"],
    "level": ["prefecture", "county", "district", "prefecture"],
    "population_2020": pd.array([2_820_977, pd.NA, 668_977, 20_937_757], dtype="Int64"),
    "source_population": ["https://example.org/wz", "", "https://example.org/rc", "https://example.org/cd"],
})
CASES_FRAME = pd.DataFrame({
    "case": ["wuzhou", "rongchang", "chengdu"], "admin_code": ["450400", "500153", "510100"],
    "level": ["prefecture", "district", "prefecture"],
})


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
    assert order.index("LZ-2017-09-29") < order.index("CN-2018-3P1") < order.index("RC-2020") < order.index("WZ-2020-07-28")
    assert set(timeline["case"]) - {""} == set(CASE_KEYS)


def test_case_starts_of_a_case_without_events():
    starts = tl.case_starts(data.load_timeline(), ["wuzhou", "sixth_case"])
    assert starts["sixth_case"] == "—"
    assert starts["wuzhou"].endswith("[WZ-2020-07-28]")
