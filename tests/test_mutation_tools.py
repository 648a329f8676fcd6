"""The module-level mutator of ``make mutation`` (scripts/mutate_constants.py): which literals it changes, and how."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("libcst")

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "mutate_constants.py"
_spec = importlib.util.spec_from_file_location("kexie_mutate_constants", SCRIPT)
mutate = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = mutate
_spec.loader.exec_module(mutate)

SOURCE = '''"""Docstring: never mutated."""
import re

__all__ = ["WORDS"]
WORDS = ("今年", "去年")
LIMIT: int = 12
_Y = r"\\d{4}"
PATTERN = re.compile(rf"(?:{_Y})年")
KEEP = "x"  # pragma: no mutate


def parse(text):
    return text == "inside a function"
'''


def test_only_module_level_assignments_are_mutated_each_literal_once():
    found = mutate.mutants(SOURCE)
    assert [(line, code.strip()) for _, line, code in found] == [
        (5, 'WORDS = ("XX今年XX", "去年")'),
        (5, 'WORDS = ("今年", "XX去年XX")'),
        (6, "LIMIT: int = 13"),
        (7, '_Y = r"XX\\d{4}XX"'),
        (8, 'PATTERN = re.compile(rf"XX(?:XX{_Y})年")'),  # each text part of an f-string on its own
        (8, 'PATTERN = re.compile(rf"(?:{_Y}XX)年XX")'),
    ]


def test_a_mutant_is_planted_and_the_statements_after_it_rebuilt(tmp_path, monkeypatch):
    (tmp_path / "planted.py").write_text(SOURCE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("planted")
    index, _, code = mutate.mutants(SOURCE)[3]  # _Y wrapped in XX
    mutate._apply(module, SOURCE, index, code)
    assert module.PATTERN.search("2020年") is None  # rebuilt from the changed _Y
    assert module.WORDS == ("今年", "去年")  # statements before it are untouched


def test_a_name_imported_from_the_mutated_module_is_rebound(tmp_path, monkeypatch):
    (tmp_path / "planted2.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "importer2.py").write_text("from planted2 import PATTERN\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("planted2")
    importer = importlib.import_module("importer2")
    index, _, code = mutate.mutants(SOURCE)[3]
    mutate._apply(module, SOURCE, index, code)
    assert importer.PATTERN is module.PATTERN and importer.PATTERN.search("2020年") is None
