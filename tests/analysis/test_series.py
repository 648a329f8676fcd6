"""Within-case series (kexie_research.analysis.series)."""

from __future__ import annotations

import pandas as pd
import pytest

from kexie_research.analysis import series
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


def test_wuzhou_hearings_series(facts):
    s = series.series(facts, "party_committee_kexie_hearings", case="wuzhou", achieved_only=True)
    assert s["year"].tolist() == [2017, 2018, 2019, 2020]
    assert s["value"].tolist() == [1.0, 2.0, 4.0, 4.0]
    assert s["quote"].str.contains("分别为1次、2次、4次、4次").all()


def test_rongchang_funding_series_keeps_undated_value_first(facts):
    s = series.series(facts, "science_popularisation_funding_per_capita", case="rongchang")
    assert s["value"].tolist() == [0.6, 2.0, 5.5]
    assert pd.isna(s["year"].iloc[0]) and s["label"].iloc[0].startswith("几年前")
    assert s["is_target"].tolist() == [False, False, True]
    assert s["year"].iloc[2] == 2021
