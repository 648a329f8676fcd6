"""Tests of kexie_research.steps.features: the coded reform features and every failure path of the loader."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from kexie_research import config
from kexie_research.analysis.features import evidence_table, feature_matrix
from kexie_research.errors import AnalysisError
from kexie_research.steps.features import FeatureError, load_conditions
from kexie_research.steps.features import features_step as load_features
from kexie_research.steps.sources import case_keys, read_document_table


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    return load_features()


@pytest.fixture(scope="module")
def sheet_rows() -> list[dict[str, str]]:
    with (config.raw_dir() / "features.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "features.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _edit(rows, where_place, where_condition, **changes):
    out = [dict(r) for r in rows]
    for r in out:
        if r["case"] == where_place and r["condition"] == where_condition:
            r.update(changes)
    return out


# --- the coded sheet ----------------------------------------------------------------------------


def test_full_grid_of_places_and_conditions(features):
    conditions = load_conditions()
    assert len(features) == len(case_keys()) * len(conditions)
    assert set(features["case"]) == set(case_keys())


def test_every_feature_quote_is_verbatim_in_its_document(features):
    texts = read_document_table().set_index("source_id")["text"]
    quoted = features[features["evidence_quote"].str.strip() != ""]
    assert quoted["known"].sum() == features["known"].sum()  # every known value is quoted
    for row in quoted.itertuples():
        original = texts[row.source_id]
        assert row.quote_offset >= 0
        # from the offset on, the document (line breaks removed) starts with the quote
        assert original[row.quote_offset :].replace("\n", "").startswith(row.evidence_quote), (row.case, row.condition)


def test_unknown_is_kept_unknown_not_zero(features):
    matrix = feature_matrix(features)
    assert pd.isna(matrix.loc["chengdu", "township_full_coverage"])
    assert pd.isna(matrix.loc["liuzhou", "township_full_coverage"])
    unknown = features[~features["known"]]
    assert (unknown["evidence_kind"] == "none").all() and (unknown["note"].str.len() > 0).all()


def test_outcome_coding_matches_the_documents(features):
    matrix = feature_matrix(features)
    assert matrix.loc["wuzhou", "township_full_coverage"] == 1
    assert matrix.loc["rongchang", "township_full_coverage"] == 1
    assert matrix.loc["zunyi", "township_full_coverage"] == 0
    # 9 of Zunyi's 14 county-level units (places_2020.csv) have full township coverage
    assert matrix.loc["zunyi", "township_coverage_share"] == pytest.approx(round(9 / 14, 2))


def test_crisp_values_are_zero_or_one_and_fuzzy_in_unit_interval(features):
    known = features[features["known"]]
    assert known.loc[known["type"] == "crisp", "value"].isin([0.0, 1.0]).all()
    assert known.loc[known["type"] == "fuzzy", "value"].between(0, 1).all()


def test_matrix_with_labels_and_column_selection(features):
    matrix = feature_matrix(features, columns=["party_led_reform", "township_full_coverage"], use_labels=True)
    assert list(matrix.columns) == ["PLED", "COVER"]
    assert list(matrix.index) == case_keys()
    with pytest.raises(AnalysisError, match="unknown condition\\(s\\) nope"):
        feature_matrix(features, columns=["nope"])


def test_evidence_table_for_one_condition(features):
    table = evidence_table(features, "formula_funding")
    assert len(table) == 5 and set(table["condition"]) == {"formula_funding"}
    with pytest.raises(AnalysisError, match="unknown condition 'funding'"):
        evidence_table(features, "funding")


# --- failure paths: each names the file, the line and the expectation -----------------------------


def test_bad_quote_is_reported_with_file_and_line(tmp_path, sheet_rows):
    rows = _edit(sheet_rows, "wuzhou", "party_led_reform", evidence_quote="梧州市从未提到这句话")
    path = _write(tmp_path, rows)
    with pytest.raises(
        FeatureError,
        match=r"features.csv line 2 \(wuzhou, party_led_reform\): evidence_quote not found in wuzhou_article",
    ):
        load_features(path)


def test_unknown_condition_lists_the_valid_ones(tmp_path, sheet_rows):
    rows = _edit(sheet_rows, "zunyi", "online_platform", condition="online_portal")
    with pytest.raises(FeatureError, match=r"unknown condition 'online_portal'; expected one of party_led_reform, "):
        load_features(_write(tmp_path, rows))


def test_unknown_place(tmp_path, sheet_rows):
    rows = _edit(sheet_rows, "zunyi", "online_platform", case="guiyang")
    with pytest.raises(FeatureError, match=r"unknown case 'guiyang'; expected one of wuzhou, rongchang"):
        load_features(_write(tmp_path, rows))


@pytest.mark.parametrize(
    "place, condition, changes, message",
    [
        ("wuzhou", "party_led_reform", {"value": "2"}, "crisp condition needs 0 or 1"),
        ("wuzhou", "party_led_reform", {"value": "yes"}, "is not a number"),
        ("zunyi", "township_coverage_share", {"value": "1.3"}, "fuzzy membership must be in \\[0, 1\\]"),
        ("wuzhou", "party_led_reform", {"evidence_quote": ""}, "a known value needs a verbatim evidence_quote"),
        ("wuzhou", "party_led_reform", {"evidence_kind": "none"}, "a known value needs evidence_kind"),
        ("chengdu", "party_hears_reports", {"note": ""}, "an unknown value needs a note"),
        (
            "chengdu",
            "party_hears_reports",
            {"evidence_kind": "reported"},
            "unknown \\(empty\\) value needs evidence_kind 'none'",
        ),
        ("liuzhou", "online_platform", {"source_id": "wuzhou_article"}, "is not a document of 'liuzhou'"),
        (
            "liuzhou",
            "online_platform",
            {"evidence_kind": "promised"},
            "evidence_kind must be one of reported, planned, none",
        ),
    ],
)
def test_invalid_cells(tmp_path, sheet_rows, place, condition, changes, message):
    rows = _edit(sheet_rows, place, condition, **changes)
    with pytest.raises(FeatureError, match=message) as info:
        load_features(_write(tmp_path, rows))
    assert f"({place}, {condition})" in str(info.value) and "line " in str(info.value)


def test_missing_row_and_duplicate_row(tmp_path, sheet_rows):
    missing = [r for r in sheet_rows if not (r["case"] == "liuzhou" and r["condition"] == "online_platform")]
    with pytest.raises(FeatureError, match=r"missing case × condition row\(s\).*liuzhou/online_platform"):
        load_features(_write(tmp_path, missing))
    duplicate = sheet_rows + [dict(sheet_rows[0])]
    with pytest.raises(
        FeatureError, match=f"line {len(sheet_rows) + 2} \\(wuzhou, party_led_reform\\): duplicate of line 2"
    ):
        load_features(_write(tmp_path, duplicate))


def test_missing_column(tmp_path, sheet_rows):
    rows = [{k: v for k, v in r.items() if k != "evidence_kind"} for r in sheet_rows]
    with pytest.raises(FeatureError, match="missing column\\(s\\) evidence_kind"):
        load_features(_write(tmp_path, rows))


def test_condition_definitions_are_checked(tmp_path):
    path = tmp_path / "conditions.yaml"
    path.write_text(
        "conditions:\n  - {id: a, label: A, role: condition, type: fuzzy, zh: 甲, en: a, definition: d, rule: r}\n",
        encoding="utf-8",
    )
    with pytest.raises(FeatureError, match="condition #1 \\(a\\): a fuzzy condition needs a 'calibration' rule"):
        load_conditions(path)
    path.write_text(
        "conditions:\n  - {id: a, label: a-b, role: condition, type: crisp, zh: 甲, en: a, definition: d, rule: r}\n",
        encoding="utf-8",
    )
    with pytest.raises(FeatureError, match="label must be upper-case"):
        load_conditions(path)


@pytest.mark.parametrize(
    "field, value", [("label", "[PLED]"), ("id", "[a]"), ("rule", "{a: 1}"), ("calibration", "[1, 2]")]
)
def test_condition_fields_that_are_not_text_are_named(tmp_path, field, value):
    fields = {
        "id": "a",
        "label": "A",
        "role": "condition",
        "type": "crisp",
        "zh": "甲",
        "en": "a",
        "definition": "d",
        "rule": "r",
    }
    fields[field] = value
    path = tmp_path / "conditions.yaml"
    path.write_text("conditions:\n  - {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}\n", encoding="utf-8")
    with pytest.raises(FeatureError, match=f"condition #1 \\(.*\\): {field} must be text, got"):
        load_conditions(path)
