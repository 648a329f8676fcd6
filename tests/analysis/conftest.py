"""Fixtures of the analysis tests: the real processed tables, loaded once per session."""

from __future__ import annotations

import pandas as pd
import pytest

from kexie_research import data


@pytest.fixture(scope="session")
def facts() -> pd.DataFrame:
    return data.load_indicators()


@pytest.fixture(scope="session")
def places() -> pd.DataFrame:
    return data.load_places()


@pytest.fixture(scope="session")
def cases() -> pd.DataFrame:
    return data.load_cases()
