"""Schema of ``documents.parquet``: the manifest fields of every source and its exact text."""

from __future__ import annotations

from kexie_research.schemas.table import CODE, Table, text

DOCUMENTS = Table(
    "documents",
    "documents.parquet",
    "The source documents: manifest fields and the exact text of each file (checksums verified by the build)",
    {
        "source_id": text("Source id", unique=True),
        "file": text("File name in data/raw/documents"),
        "sha256": text("sha256 of the file", pattern=r"^[0-9a-f]{64}$"),
        "case": text("Case the document is about"),
        "place_zh": text("Chinese name of the case's division (the manifest's place_zh, as in the division reference)"),
        "province": text("Province-level unit (English)"),
        "province_zh": text("Province-level unit (Chinese)"),
        "admin_code": text("6-digit code of the case's place", pattern=CODE),
        "title_zh": text("Title in Chinese"),
        "title_en": text("Title in English"),
        "genre": text("Genre (news report, policy document …)"),
        "outlet": text("Where it was published, if known"),
        "date": text("Publication date as the text gives it (empty if none)"),
        "reference_date": text("Date that relative periods are resolved against (empty if none)"),
        "reference_date_rule": text("How the reference date was chosen"),
        "authors_zh": text("Authors, 、-separated"),
        "text": text("The exact text of the file"),
    },
    primary_key="source_id",
)
