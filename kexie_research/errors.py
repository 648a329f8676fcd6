"""Exceptions of kexie-research. Every message names the file, the row and what was expected."""

from __future__ import annotations


class KexieError(Exception):
    """Base class of all errors raised by kexie_research."""


class ParseError(KexieError, ValueError):
    """A quantity or a period could not be parsed; the message quotes the text."""


class SourceError(KexieError):
    """A source document is missing or its checksum differs from the manifest."""


class SheetError(KexieError):
    """A coding sheet cannot be read: wrong encoding, missing column, malformed CSV."""


class ProvenanceError(KexieError):
    """A quote is not in its document, or a raw value is not in its quote."""


class BoundaryError(KexieError, ValueError):
    """A boundary layer or its origin record is missing, altered or malformed (the message names the file)."""


class GeoError(KexieError, ValueError):
    """Bad input to a geographic helper (unknown layer, malformed code, projected coordinates …)."""


class AnalysisError(KexieError, ValueError):
    """An analysis helper got data it cannot use (names the column, row or value)."""
