from pathlib import Path

import pytest

from kexie_research.steps.codebook import read_codebook
from kexie_research.steps.codebook import CodebookError


def test_codebook_is_bilingual_and_consistent():
    cb = read_codebook()
    assert cb.indicators.index.is_unique
    assert cb.indicators["zh"].str.len().gt(0).all() and cb.indicators["en"].str.len().gt(0).all()
    assert set(cb.indicators["dimension"]) <= set(cb.dimensions.index)
    assert set(cb.indicators["unit"]) <= set(cb.units.index)
    assert cb.indicator("kexie_annual_work_budget")["unit"] == "CNY"


def test_unit_compatibility_and_conversion():
    cb = read_codebook()
    assert cb.unit_accepts("organisation", "count")
    assert cb.unit_accepts("CNY_per_capita", "CNY")
    assert cb.unit_accepts("percent", "share") and cb.unit_factor("share", "percent") == 100.0
    assert not cb.unit_accepts("CNY", "person")


def test_unknown_indicator_is_named():
    with pytest.raises(CodebookError, match="unknown indicator_id 'nope'"):
        read_codebook().indicator("nope")


def test_bad_dimension_is_reported_with_valid_values(raw_copy: Path):
    path = raw_copy / "codebook.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("dimension: funding", "dimension: fundign", 1), encoding="utf-8"
    )
    with pytest.raises(CodebookError, match="unknown dimension 'fundign'; valid:"):
        read_codebook(raw_copy)


def test_every_parser_unit_is_a_codebook_unit():
    from kexie_research.parse.quantities import CLASSIFIER_UNITS, PARSER_UNITS

    units = set(read_codebook().units.index)
    assert set(PARSER_UNITS) - units == {"count"}  # 个: refined per indicator
    assert set(CLASSIFIER_UNITS.values()) <= units | {"count"}


def test_person_time_is_its_own_unit():
    cb = read_codebook()
    assert cb.units.loc["person_time", "zh"] == "人次"
    # Attendances are neither persons nor events; a bare number may be coded as either.
    assert not cb.unit_accepts("person", "person_time")
    assert not cb.unit_accepts("event", "person_time")
    assert cb.unit_accepts("person_time", "person_time")
    assert cb.unit_accepts("person_time", "number")
    assert cb.unit_accepts("number", "person_time")


def test_area_length_mass_and_duration_factors():
    cb = read_codebook()
    assert cb.unit_accepts("square_metre", "mu") and cb.unit_factor("mu", "square_metre") == pytest.approx(
        666.6667, rel=1e-6
    )
    assert cb.unit_factor("hectare", "square_metre") == 10_000
    assert cb.unit_factor("square_kilometre", "square_metre") == 1_000_000
    assert cb.unit_factor("week", "day") == 7
    assert cb.unit_factor("CNY", "CNY") == 1.0
    assert not cb.unit_accepts("year", "year_of_age") and not cb.unit_accepts("year_of_age", "year")


def _edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# (change of the real codebook's text, what the one-line error must say)
MALFORMED = [
    (lambda t: "", "`dimensions` must be a non-empty mapping"),
    (lambda t: "- a\n", "expected a mapping at the top level, found a list"),
    (lambda t: _edit(t, "\ndimensions:\n", "\nold_dimensions:\n"), "`dimensions` must be a non-empty mapping"),
    (
        lambda t: t.split("\nunits:\n")[0] + "\nunits: [1]\n" + "indicators:" + t.split("\nindicators:")[1],
        "`units` must be a non-empty mapping of id -> {zh: ..., en: ...}, found a list [1]",
    ),
    (
        lambda t: _edit(t, "  CNY: {zh: 元, en: yuan (CNY)}", "  CNY: yuan"),
        "units.CNY must be a mapping with text zh and en labels, found a string 'yuan'",
    ),
    (
        lambda t: _edit(t, "  funding: {zh: 经费保障, en: Funding}", "  funding: {zh: 经费保障}"),
        "dimensions.funding must be a mapping with text zh and en",
    ),
    (
        lambda t: t.split("\nindicators:")[0] + "\nindicators:\n  - just a name\n",
        "indicator #1 must be a mapping of id, zh, en",
    ),
    (
        lambda t: t.split("\nindicators:")[0] + "\nindicators: {a: 1}\n",
        "`indicators` must be a non-empty list of entries",
    ),
    (
        lambda t: t.split("\nindicators:")[0] + "\n",
        "`indicators` must be a non-empty list of entries (id, zh, en, dimension, unit, definition), found nothing",
    ),
    (lambda t: _edit(t, "  - id: ", "  - id: [a, b]\n    old_id: "), "id must be text, found a list ['a', 'b']"),
    (lambda t: _edit(t, "version: 1", "version: one"), "`version` must be a whole number from 1, found a string 'one'"),
    (lambda t: _edit(t, "version: 1", "version: 0"), "`version` must be a whole number from 1, found a number 0"),
    (lambda t: t + "\n  bad: [", "malformed YAML"),
]


@pytest.mark.parametrize(("change", "message"), MALFORMED, ids=[m[1][:40] for m in MALFORMED])
def test_a_malformed_codebook_is_one_error_naming_the_file(raw_copy: Path, change, message: str):
    path = raw_copy / "codebook.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        read_codebook(raw_copy)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)


def test_a_codebook_in_another_encoding_is_one_error_naming_the_file(raw_copy: Path):
    path = raw_copy / "codebook.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    with pytest.raises(CodebookError, match=r"codebook\.yaml: cannot read codebook \(expected UTF-8 text\)"):
        read_codebook(raw_copy)


def test_a_missing_codebook_is_named(tmp_path: Path):
    with pytest.raises(CodebookError, match=r"codebook\.yaml: codebook not found"):
        read_codebook(tmp_path)
