"""Tests of kexie_research.steps.cases: defaults, checks of cases.yaml, and the processed tables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kexie_research import data
from kexie_research.steps.cases import PALETTE, CaseError, cases_step, english_name, parse_end


def _edit_cases(raw: Path, change) -> None:
    path = raw / "cases.yaml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_committed_knowledge_is_in_the_processed_table():
    cases = data.load_cases().set_index("case")
    assert list(cases.index) == ["wuzhou", "rongchang", "chengdu", "liuzhou", "zunyi"]
    assert cases.loc["wuzhou", "colour"] == "#0072B2"
    assert (cases.loc["chengdu", "label_dx"], cases.loc["chengdu", "label_ha"]) == (-8.0, "right")
    assert cases.county_panel[cases.county_panel].index.tolist() == ["wuzhou", "rongchang", "zunyi"]
    assert cases.loc["rongchang", "province_code"] == "500000"
    assert cases.loc["wuzhou", "population"] == 2820977
    pairs = data.load_distance_pairs()
    assert "wuzhou_gba_shared_border" in set(pairs.pair_id) and not pairs.pair_id.str.endswith("_capital").any()


def test_a_case_without_an_entry_gets_every_default(raw_copy: Path):
    _edit_cases(raw_copy, lambda c: c.update(cases=[e for e in c["cases"] if e["case"] != "liuzhou"]))
    cases, _pairs = cases_step(raw_copy)
    liuzhou = cases.set_index("case").loc["liuzhou"]
    assert (liuzhou.case_zh, liuzhou.case_en) == ("柳州", "Liuzhou")
    used = set(cases.colour) - {liuzhou.colour}
    assert liuzhou.colour == next(c for c in PALETTE if c not in used)  # first free palette colour
    assert liuzhou.model_zh == "" and not liuzhou.county_panel
    assert liuzhou.label_ha == "" and liuzhou.label_dx != liuzhou.label_dx  # NaN = automatic placement


def test_no_cases_file_at_all(raw_copy: Path):
    (raw_copy / "cases.yaml").unlink()
    cases, pairs = cases_step(raw_copy)
    assert len(cases) == 5 and pairs.empty and cases.colour.is_unique


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda c: c["cases"].append({"case": "guiyang"}), "named by no source"),
        (lambda c: c["cases"].append({"case": "wuzhou"}), "listed twice"),
        (lambda c: c["cases"][0].update(colur="#000000"), "unknown field"),
        (lambda c: c["cases"][0].update(colour="blue"), "colour must be"),
        (lambda c: c["cases"][1].update(colour="#0072b2"), "already the colour"),
        (lambda c: c["cases"][0].update(label={"dx": 1}), "label must be"),
        (lambda c: c["cases"][0].update(county_panel="yes"), "county_panel must be"),
        (lambda c: c["cases"][0].update(model_zh="不存在的模式"), "does not occur in the case's document"),
        (lambda c: c["cases"][0]["distance_pairs"][0].update(context="nowhere"), "unknown context"),
        (
            lambda c: c["cases"][0]["distance_pairs"][0].update(context=["dongrong"]),
            "context must be text, got \\['dongrong'\\]",
        ),
        (lambda c: c["cases"][0]["distance_pairs"][0].update(measure=["distance"]), "measure must be text"),
        (lambda c: c["cases"][0]["distance_pairs"][0].update(to="layer:nolayer"), "no boundary layer 'nolayer'"),
        (
            lambda c: c.update(distance_contexts={"dongrong": {"zh": ["x"], "en": "e"}}),
            "distance context 'dongrong' needs 'zh' and 'en' labels",
        ),
        (lambda c: c["cases"][0]["distance_pairs"][0].update(to="target:atlantis"), "no target 'atlantis'"),
        (lambda c: c["cases"][0]["distance_pairs"][0].update(to="seat:999999"), "not in the division reference"),
        (lambda c: c["cases"][0]["distance_pairs"][0].update(to="somewhere"), "is not seat:CODE"),
        (lambda c: c["cases"][0]["distance_pairs"][1].update(id="wuzhou_guangzhou"), "used twice"),
        (lambda c: c.update(cases={"wuzhou": {}}), "must be a list"),
    ],
)
def test_bad_entries_are_named(raw_copy: Path, change, message):
    _edit_cases(raw_copy, change)
    with pytest.raises(CaseError, match=message) as info:
        cases_step(raw_copy)
    assert "cases.yaml" in str(info.value)


def test_malformed_yaml_is_one_named_error(raw_copy: Path):
    (raw_copy / "cases.yaml").write_text("cases: [\n", encoding="utf-8")
    with pytest.raises(CaseError, match=r"cases\.yaml: malformed YAML"):
        cases_step(raw_copy)


def test_helpers():
    assert english_name("Teng County (Tengxian)", "teng") == "Teng"
    assert parse_end("layer:gba") == {"kind": "layer", "layer": "gba"}
    with pytest.raises(CaseError):
        parse_end("seat:45040")
    with pytest.raises(
        CaseError, match=r"cases.yaml: end 'layer:nolayer': no boundary layer 'nolayer'; layers: provinces"
    ):
        parse_end("layer:nolayer", "cases.yaml")
    with pytest.raises(CaseError, match=r"^end 'polygon:nolayer:440000': no boundary layer 'nolayer'"):
        parse_end("polygon:nolayer:440000")


def test_analysis_reads_distance_ends_with_the_build_grammar():
    from kexie_research.analysis.geo import GeoError
    from kexie_research.analysis.geo import parse_end as split_end

    for end in ("seat:450400", "target:guangzhou", "polygon:provinces:440000", "layer:gba"):
        assert list(split_end(end)) == list(parse_end(end).values())
    with pytest.raises(GeoError, match=r"^distance end 'layer:nolayer': no boundary layer"):
        split_end("layer:nolayer")
