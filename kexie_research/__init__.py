"""kexie-research: a traceable comparative indicator dataset on the reform of China's local Science
and Technology Associations (科协, *kexie*), and the library that builds and analyses it.

Names are imported on first use (PEP 562), so ``import kexie_research`` and the ``kexie`` command
start quickly and a notebook kernel loads only what it needs.

Examples
--------
>>> import kexie_research as kr
>>> kr.parse_quantity("近20,000人").value
20000.0
>>> facts = kr.load_indicators()  # one row per coded fact, each with its verbatim quote
>>> bool(facts["quote"].notna().all())
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.7.1"

_EXPORTS = {
    "KexieError": "errors",
    "ParseError": "errors",
    "ProvenanceError": "errors",
    "SheetError": "errors",
    "SourceError": "errors",
    "Quantity": "parse.quantities",
    "parse_quantity": "parse.quantities",
    "parse_quantities": "parse.quantities",
    "Period": "parse.periods",
    "parse_period": "parse.periods",
    "read_sources": "steps.sources",
    "case_keys": "steps.sources",
    "load_indicators": "data",
    "load_quarantine": "data",
    "load_cases": "data",
    "load_distance_pairs": "data",
    "load_places": "data",
    "load_divisions": "data",
    "load_codebook": "data",
    "load_timeline": "data",
    "load_features": "data",
    "load_conditions": "data",
    "load_documents": "data",
    "load_lexicon": "data",
    "load_domain_terms": "data",
    "load_text_layout": "data",
    "load_distance_targets": "data",
}
_SUBMODULES = {
    "analysis",
    "build",
    "cli",
    "config",
    "data",
    "errors",
    "extract",
    "parse",
    "runner",
    "schemas",
    "steps",
    "viz",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from kexie_research.data import (
        load_cases,
        load_codebook,
        load_conditions,
        load_distance_pairs,
        load_distance_targets,
        load_divisions,
        load_documents,
        load_domain_terms,
        load_features,
        load_indicators,
        load_lexicon,
        load_places,
        load_quarantine,
        load_text_layout,
        load_timeline,
    )
    from kexie_research.errors import KexieError, ParseError, ProvenanceError, SheetError, SourceError
    from kexie_research.parse.periods import Period, parse_period
    from kexie_research.parse.quantities import Quantity, parse_quantities, parse_quantity
    from kexie_research.steps.sources import case_keys, read_sources


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"kexie_research.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"kexie_research.{name}")
    raise AttributeError(f"module 'kexie_research' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | _SUBMODULES)
