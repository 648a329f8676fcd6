"""The examples in the docstrings of kexie_research.extract run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["mentions", "classify", "context", "suggest", "draft", "sheet", "parallel", "resources", "command",
           "places", "scope", "docdate", "tables"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"kexie_research.extract.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
