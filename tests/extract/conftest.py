"""Fixtures of the extraction tests."""

from __future__ import annotations

import pytest

from kexie_research.extract import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """The extractor on the session's test dataset (its places, codebook and frame)."""
    return Extractor.from_data()
