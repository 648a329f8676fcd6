"""Assisted coding: candidate facts from documents (``kexie extract``), on one core or on Dask.

>>> from kexie_research.extract import Extractor
>>> rows = Extractor.from_data().extract_text("全市建成科普e站30个。", place_code="450400")
>>> rows[0]["raw_text"], rows[0]["scope_zh"]
('30个', '梧州市')
"""

from kexie_research.extract.draft import DRAFT_COLUMNS, DRAFT_ONLY_COLUMNS, DocumentError, Extractor, draft_frame

__all__ = ["DRAFT_COLUMNS", "DRAFT_ONLY_COLUMNS", "DocumentError", "Extractor", "draft_frame"]
