"""Every public function and class of the library has a docstring with an example (run as a doctest)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import kexie_research


def _modules() -> list[str]:
    names = [kexie_research.__name__]
    for info in pkgutil.walk_packages(kexie_research.__path__, prefix="kexie_research."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return sorted(names)


def _public_objects(module) -> list[tuple[str, object]]:
    exported = getattr(module, "__all__", None)
    found = []
    for name, obj in vars(module).items():
        if name.startswith("_") or (exported is not None and name not in exported):
            continue
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and getattr(obj, "__module__", None) == module.__name__:
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                continue  # exceptions are documented by the functions that raise them
            found.append((name, obj))
    return found


@pytest.mark.parametrize("module_name", _modules())
def test_public_functions_have_examples(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = [name for name, obj in _public_objects(module) if ">>>" not in (inspect.getdoc(obj) or "")]
    assert not missing, f"{module_name}: public names without a doctest example: {', '.join(missing)}"
