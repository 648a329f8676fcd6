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


def test_every_parser_unit_is_a_codebook_unit():
    from kexie_research.parse.quantities import CLASSIFIER_UNITS, PARSER_UNITS

    units = set(load_codebook().units.index)
    assert set(PARSER_UNITS) - units == {"count"}  # 个: refined per indicator
    assert set(CLASSIFIER_UNITS.values()) <= units | {"count"}


def test_person_time_is_its_own_unit():
    cb = load_codebook()
    assert cb.units.loc["person_time", "zh"] == "人次"
    # Attendances are neither persons nor events; a bare number may be coded as either.
    assert not cb.unit_accepts("person", "person_time")
    assert not cb.unit_accepts("event", "person_time")
    assert cb.unit_accepts("person_time", "person_time")
    assert cb.unit_accepts("person_time", "number")
    assert cb.unit_accepts("number", "person_time")


def test_area_length_mass_and_duration_factors():
    cb = load_codebook()
    assert cb.unit_accepts("square_metre", "mu") and cb.unit_factor("mu", "square_metre") == pytest.approx(666.6667, rel=1e-6)
    assert cb.unit_factor("hectare", "square_metre") == 10_000
    assert cb.unit_factor("square_kilometre", "square_metre") == 1_000_000
    assert cb.unit_factor("week", "day") == 7
    assert cb.unit_factor("CNY", "CNY") == 1.0
    assert not cb.unit_accepts("year", "year_of_age") and not cb.unit_accepts("year_of_age", "year")
