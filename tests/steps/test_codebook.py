from pathlib import Path

import pytest

from kexie_research.steps.codebook import load_codebook
from kexie_research.steps.codebook import CodebookError


def test_codebook_is_bilingual_and_consistent():
    cb = load_codebook()
    assert cb.indicators.index.is_unique
    assert cb.indicators["zh"].str.len().gt(0).all() and cb.indicators["en"].str.len().gt(0).all()
    assert set(cb.indicators["dimension"]) <= set(cb.dimensions.index)
    assert set(cb.indicators["unit"]) <= set(cb.units.index)
    assert cb.indicator("kexie_annual_work_budget")["unit"] == "CNY"


def test_unit_compatibility_and_conversion():
    cb = load_codebook()
    assert cb.unit_accepts("organisation", "count")
    assert cb.unit_accepts("CNY_per_capita", "CNY")
    assert cb.unit_accepts("percent", "share") and cb.unit_factor("share", "percent") == 100.0
    assert not cb.unit_accepts("CNY", "person")


def test_unknown_indicator_is_named():
    with pytest.raises(CodebookError, match="unknown indicator_id 'nope'"):
        load_codebook().indicator("nope")


def test_bad_dimension_is_reported_with_valid_values(raw_copy: Path):
    path = raw_copy / "codebook.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("dimension: funding", "dimension: fundign", 1), encoding="utf-8")
    with pytest.raises(CodebookError, match="unknown dimension 'fundign'; valid:"):
        load_codebook(raw_copy)
