"""The source manifest (``data/raw/sources.yaml``) and the documents it pins by checksum.

Example::

    >>> from kexie_research.steps.sources import city_keys, load_documents
    >>> city_keys()
    ['wuzhou', 'rongchang', 'chengdu', 'liuzhou', 'zunyi']
    >>> docs = load_documents()
    >>> docs.loc[docs.city == "wuzhou", "genre"].item()
    'signed article'
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from kexie_research import config
from kexie_research.errors import SourceError

MANIFEST_NAME = "sources.yaml"
DOCUMENTS_DIR = "documents"
REQUIRED_FIELDS = (
    "source_id", "file", "sha256", "city", "city_zh", "province", "province_zh", "admin_code",
    "title_zh", "title_en", "genre", "date", "reference_date",
)


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_manifest(raw_dir: Path) -> list[dict[str, Any]]:
    path = raw_dir / MANIFEST_NAME
    if not path.is_file():
        raise SourceError(f"{path}: source manifest not found")
    # The C loader when PyYAML has it (same safe subset; a national manifest has thousands of entries).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries = (yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}).get("sources") or []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        missing = [field for field in REQUIRED_FIELDS if field not in entry]
        if missing:
            raise SourceError(f"{path}: source #{number} lacks field(s) {', '.join(missing)}")
        if entry["source_id"] in seen:
            raise SourceError(f"{path}: duplicate source_id {entry['source_id']!r}")
        seen.add(entry["source_id"])
        entry["admin_code"] = str(entry["admin_code"])
    return entries


def load_sources(raw_dir: Path | None = None) -> list[dict[str, Any]]:
    """The manifest entries, in manifest order (no checksum verification)."""
    return _read_manifest(Path(raw_dir) if raw_dir else config.raw_dir())


def city_keys(raw_dir: Path | None = None) -> list[str]:
    """The case keys (``wuzhou``, ``rongchang`` …) in manifest order: the valid ``city`` values."""
    return [entry["city"] for entry in load_sources(raw_dir)]


def verify_sources(raw_dir: Path | None = None) -> list[dict[str, Any]]:
    """Check every document exists and matches its manifest sha256; return the manifest.

    Raises :class:`SourceError` naming the file, the expected and the actual checksum.
    """
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    entries = _read_manifest(raw)
    for entry in entries:
        path = raw / DOCUMENTS_DIR / entry["file"]
        if not path.is_file():
            raise SourceError(f"{path}: source document of {entry['source_id']!r} not found")
        actual = sha256_of(path)
        if actual != entry["sha256"]:
            raise SourceError(
                f"{path}: checksum changed (expected sha256 {entry['sha256']}, found {actual}). "
                "Source documents are immutable: restore the original file, or if the source itself "
                "was deliberately replaced, update data/raw/sources.yaml and record it in CHANGELOG.md."
            )
    return entries


@lru_cache(maxsize=16)
def _document_text(path: str, mtime_ns: int, size: int) -> str:
    return Path(path).read_text(encoding="utf-8")


def _cached_text(path: Path) -> str:
    """A document's text, read once per process unless the file changes."""
    stat = path.stat()
    return _document_text(str(path), stat.st_mtime_ns, stat.st_size)


def read_document(source_id: str, raw_dir: Path | None = None) -> str:
    """The exact text of one source document."""
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    entries = _read_manifest(raw)
    for entry in entries:
        if entry["source_id"] == source_id:
            return _cached_text(raw / DOCUMENTS_DIR / entry["file"])
    valid = ", ".join(entry["source_id"] for entry in entries)
    raise SourceError(f"unknown source_id {source_id!r}; valid: {valid}")


def load_documents(raw_dir: Path | None = None, verify: bool = True) -> pd.DataFrame:
    """One row per source document: manifest fields plus ``text`` (the exact file content).

    With ``verify=True`` (default) a changed checksum raises :class:`SourceError`.
    """
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    entries = verify_sources(raw) if verify else _read_manifest(raw)
    rows = []
    for entry in entries:
        path = raw / DOCUMENTS_DIR / entry["file"]
        row = {key: value for key, value in entry.items() if key != "authors_zh"}
        row["authors_zh"] = "、".join(entry.get("authors_zh") or [])
        row["text"] = _cached_text(path)
        rows.append(row)
    return pd.DataFrame(rows)
