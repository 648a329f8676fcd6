"""Row factories shared by the analysis tests: one processed fact with harmless defaults, small
place and case tables. Imported by tests/analysis/test_*.py (tests/support is on pytest's pythonpath)."""

from __future__ import annotations

import pandas as pd

CASE_KEYS = ["wuzhou", "rongchang", "chengdu", "liuzhou", "zunyi"]


def fact(**overrides):
    """One processed row with harmless defaults."""
    row = {
        "record_id": "WZ-001",
        "source_id": "wuzhou_article",
        "case": "wuzhou",
        "case_zh": "梧州",
        "province": "Guangxi",
        "scope_zh": "梧州市",
        "scope_level": "city",
        "admin_code": "450400",
        "place_zh": "梧州市",
        "indicator_id": "enterprise_kexie_count",
        "indicator_zh": "企业科协数",
        "indicator_en": "Enterprise kexie organisations",
        "dimension": "organisation_building",
        "period_text": None,
        "period_start": None,
        "period_end": None,
        "is_target": False,
        "raw_text": "118个",
        "value": 118.0,
        "low": None,
        "high": None,
        "unit": "organisation",
        "qualifier": "exact",
        "quote": "现有企业科协组织118个",
        "note": None,
    }
    row.update(overrides)
    return row


def frame(*rows):
    return pd.DataFrame(list(rows))


PLACES = pd.DataFrame(
    {
        "admin_code": ["450400", "450422", "500153", "510100"],
        "level": ["prefecture", "county", "district", "prefecture"],
        "population_2020": pd.array([2_820_977, pd.NA, 668_977, 20_937_757], dtype="Int64"),
        "source_population": ["https://example.org/wz", "", "https://example.org/rc", "https://example.org/cd"],
    }
)
CASES_FRAME = pd.DataFrame(
    {
        "case": ["wuzhou", "rongchang", "chengdu"],
        "admin_code": ["450400", "500153", "510100"],
        "level": ["prefecture", "district", "prefecture"],
    }
)
