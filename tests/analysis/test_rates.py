"""Rates per 10,000 residents (kexie_research.analysis.rates)."""

from __future__ import annotations

import pandas as pd
import pytest

from kexie_research.analysis import rates
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


# ---------------------------------------------------------------------------------------------- rates


def test_per_10k_scalar_and_missing_population():
    assert rates.per_10k(118, 2_820_977) == pytest.approx(0.41830, abs=1e-4)
    assert rates.per_10k(5, 0) is pd.NA
    assert rates.per_10k(5, pd.NA) is pd.NA
    assert rates.per_10k(5, float("nan")) is pd.NA


def test_per_10k_series():
    result = rates.per_10k(pd.Series([118.0, 42.0, 3.0]), pd.Series([2_820_977, 668_977, None]))
    assert result.iloc[1] == pytest.approx(0.62782, abs=1e-4)
    assert pd.isna(result.iloc[2])


def test_attach_population_only_rates_counts():
    data = frame(fact(), fact(record_id="WZ-008", unit="percent", value=58.0), fact(record_id="WZ-003", admin_code="450422"))
    joined = rates.attach_population(data, PLACES)
    assert joined["per_10k"].iloc[0] == pytest.approx(0.41830, abs=1e-4)
    assert pd.isna(joined["per_10k"].iloc[1])  # percent: not a count
    assert pd.isna(joined["per_10k"].iloc[2])  # county without a verified population
    assert joined["population_source"].iloc[0] == "https://example.org/wz"
