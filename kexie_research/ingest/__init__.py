"""Documents as found: PDF, web pages, Word files and legacy-encoded text turned into the UTF-8
text of record (:func:`convert_document`), with what was done recorded (:class:`Conversion`).

One module per format (:mod:`kexie_research.ingest.pdf`, :mod:`kexie_research.ingest.html`, :mod:`kexie_research.ingest.docx`, :mod:`kexie_research.ingest.text`), the character
repair every conversion applies (:mod:`kexie_research.ingest.normalize`), the dispatch (:mod:`kexie_research.ingest.convert`), the page of
an offset (:mod:`kexie_research.ingest.pages`) and the spreadsheets coders use (:mod:`kexie_research.ingest.sheets`).

Example::

    >>> from kexie_research.ingest import unify_ideographs
    >>> unify_ideographs("资⾦⼊账")
    '资金入账'
"""

from kexie_research.ingest.convert import SUPPORTED_SUFFIXES, Conversion, IngestError, convert_bytes, convert_document
from kexie_research.ingest.normalize import unify_ideographs
from kexie_research.ingest.pages import page_of

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Conversion",
    "IngestError",
    "convert_bytes",
    "convert_document",
    "page_of",
    "unify_ideographs",
]
