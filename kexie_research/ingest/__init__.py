"""Documents as found: PDF, web pages, Word files and legacy-encoded text turned into the UTF-8
text of record (:func:`convert_document`), with what was done recorded (:class:`Conversion`).

One module per format (:mod:`.pdf`, :mod:`.html`, :mod:`.docx`, :mod:`.text`), the character
repair every conversion applies (:mod:`.normalize`), the dispatch (:mod:`.convert`), the page of
an offset (:mod:`.pages`) and the spreadsheets coders use (:mod:`.sheets`).

Example::

    >>> from kexie_research.ingest import unify_ideographs
    >>> unify_ideographs("资⾦⼊账")
    '资金入账'
"""

from kexie_research.ingest.convert import SUPPORTED_SUFFIXES, Conversion, IngestError, convert_bytes, convert_document
from kexie_research.ingest.normalize import unify_ideographs
from kexie_research.ingest.pages import page_of

__all__ = ["SUPPORTED_SUFFIXES", "Conversion", "IngestError", "convert_bytes", "convert_document", "page_of",
           "unify_ideographs"]
