"""Rates per 10,000 residents (kexie_research.analysis.rates)."""

from __future__ import annotations

import pandas as pd
import pytest

from kexie_research.analysis import rates

from analysis_rows import fact, frame, PLACES


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
    data = frame(
        fact(), fact(record_id="WZ-008", unit="percent", value=58.0), fact(record_id="WZ-003", admin_code="450422")
    )
    joined = rates.attach_population(data, PLACES)
    assert joined["per_10k"].iloc[0] == pytest.approx(0.41830, abs=1e-4)
    assert pd.isna(joined["per_10k"].iloc[1])  # percent: not a count
    assert pd.isna(joined["per_10k"].iloc[2])  # county without a verified population
    assert joined["population_source"].iloc[0] == "https://example.org/wz"
