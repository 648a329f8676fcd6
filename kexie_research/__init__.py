"""kexie-research: a traceable cross-city indicator dataset on the reform of China's local
Science and Technology Associations (科协, *kexie*), and the library that builds and analyses it.

Quick start::

    >>> import kexie_research as kr
    >>> kr.parse_quantity("近20,000人").value
    20000.0
    >>> df = kr.load_indicators()          # one row per coded fact, each with its quote
"""

from __future__ import annotations

__version__ = "0.1.0"

from kexie_research.errors import KexieError, ParseError, ProvenanceError, SheetError, SourceError
from kexie_research.quantities import Quantity, parse_quantity, parse_quantities
from kexie_research.periods import Period, parse_period
from kexie_research.sources import load_documents, load_sources
from kexie_research.places import load_places
from kexie_research.codebook import load_codebook
from kexie_research.dataset import load_indicators, load_quarantine

__all__ = [
    "__version__",
    "KexieError",
    "ParseError",
    "ProvenanceError",
    "SheetError",
    "SourceError",
    "Quantity",
    "parse_quantity",
    "parse_quantities",
    "Period",
    "parse_period",
    "load_documents",
    "load_sources",
    "load_places",
    "load_codebook",
    "load_indicators",
    "load_quarantine",
]
