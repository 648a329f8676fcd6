"""Every public function and method of the build, the steps and the loaders has an example (pytest runs
the examples themselves as doctests)."""

from __future__ import annotations

import importlib
import inspect

import pytest

MODULES = [
    "kexie_research.build",
    "kexie_research.data",
    "kexie_research.config",
    "kexie_research.outputs",
    "kexie_research.add_source",
    "kexie_research.schemas.table",
    "kexie_research.steps.cases",
    "kexie_research.steps.timeline",
    "kexie_research.steps.text",
    "kexie_research.steps.distance_targets",
    "kexie_research.steps.sources",
    "kexie_research.steps.places",
    "kexie_research.steps.features",
]


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_has_an_example(name):
    module = importlib.import_module(name)
    missing = []
    for attribute, value in vars(module).items():
        if attribute.startswith("_") or getattr(value, "__module__", None) != name:
            continue
        if inspect.isfunction(value) and ">>>" not in (value.__doc__ or ""):
            missing.append(attribute)
        if inspect.isclass(value):
            for method, function in vars(value).items():
                if (
                    not method.startswith("_")
                    and inspect.isfunction(function)
                    and ">>>" not in (function.__doc__ or "")
                ):
                    missing.append(f"{attribute}.{method}")
    assert not missing, f"{name}: no example in {', '.join(missing)}"
