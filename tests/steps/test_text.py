"""Tests of kexie_research.steps.text and steps.distance_targets: checked once, loaded from data/processed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kexie_research import data
from kexie_research.steps.distance_targets import TargetError, distance_targets_step
from kexie_research.steps.text import TextResourceError, domain_terms_step, layout_step, lexicon_step


def test_processed_text_resources_match_the_steps():
    assert data.load_lexicon().equals(lexicon_step())
    assert data.load_text_layout() == layout_step()
    assert data.load_domain_terms()[:2] == ["科协", "中国科协"]
    assert len(data.load_domain_terms()) == len(domain_terms_step())


def test_layout_marker_must_be_in_the_document(raw_copy: Path):
    path = raw_copy / "text" / "layout.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("□ 龚成钰 吴舒沁 陈 剑", "□ 无此署名", 1), encoding="utf-8"
    )
    with pytest.raises(TextResourceError, match=r"layout.yaml: wuzhou_article set_aside #1: start marker not found"):
        layout_step(raw_copy)


def test_duplicate_dictionary_word_is_named(raw_copy: Path):
    path = raw_copy / "text" / "domain_terms.txt"
    path.write_text(path.read_text(encoding="utf-8") + "科协 nz\n", encoding="utf-8")
    with pytest.raises(TextResourceError, match=r"domain_terms.txt line \d+: duplicate word '科协'"):
        domain_terms_step(raw_copy)


def test_bad_reference_point_is_named(raw_copy: Path):
    path = raw_copy / "reference" / "distance_targets.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("113.26611", "1132.6611", 1), encoding="utf-8")
    with pytest.raises(TargetError, match=r"distance_targets.csv row 2 \(guangzhou\): .* not a WGS84"):
        distance_targets_step(raw_copy)
    assert data.load_distance_targets().approximate.dtype == bool
