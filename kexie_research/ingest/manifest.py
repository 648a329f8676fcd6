"""The ``original:`` and ``conversion:`` fields of a source entry in ``data/raw/sources.yaml``.

Both are optional (a UTF-8 text added as it was has neither), so every older entry stays valid.
When present::

    original:                         # the document as found, in data/raw/originals/
      file: yichang_notice.pdf
      sha256: 3f5c…                   # 64 lower-case hex digits
    conversion:                       # how the text of record (file:, sha256:) was made from it
      tool: pdfplumber
      version: 0.11.11
      options: {use_text_flow: true, …}
      page_starts: [0, 1834, 3710]    # a PDF's pages: the offset where each starts in the text
      url: https://…                  # a web page's URL and title
      title: …

Example::

    >>> check_provenance({"source_id": "x"}, "sources.yaml: source #1")
    {}
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from kexie_research.errors import SourceError
from kexie_research.ingest.store import ORIGINALS_DIR
import itertools

__all__ = ["check_provenance", "original_path"]

_HEX64 = re.compile(r"[0-9a-f]{64}")


def original_path(raw: Path, file: str, where: str = "") -> Path:
    """The path of an ``original: file:`` inside ``raw/originals``; :class:`SourceError` if it could leave it.

    Examples
    --------
    >>> original_path(Path("/data/raw"), "x_document.pdf").as_posix()
    '/data/raw/originals/x_document.pdf'
    >>> original_path(Path("/data/raw"), "../sources.yaml")
    Traceback (most recent call last):
    ...
    kexie_research.errors.SourceError: original file '../sources.yaml' must be a plain file name inside /data/raw/originals
    """
    folder = raw / ORIGINALS_DIR
    prefix = f"{where}: " if where else ""
    posix = PurePosixPath(file)
    if (
        not file.strip()
        or len(posix.parts) != 1
        or posix.name in (".", "..")
        or "\\" in file
        or "\x00" in file
        or PureWindowsPath(file).drive
    ):
        raise SourceError(f"{prefix}original file {file!r} must be a plain file name inside {folder}")
    path = folder / file
    if path.is_symlink():
        try:
            path.resolve(strict=False).relative_to(folder.resolve())
        except ValueError:
            raise SourceError(f"{prefix}original file {file!r} resolves outside {folder} (symbolic link)") from None
    return path


def _text(value: Any, what: str, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise SourceError(f"{where}: {what} must be text, found {type(value).__name__}")
    return str(value)


# Offsets are 64-bit integers in the processed tables (page lookup included).
_LARGEST_OFFSET = 2**63


def check_provenance(entry: dict[str, Any], where: str) -> dict[str, Any]:
    """The checked ``original`` and ``conversion`` of a manifest entry (absent ones left out).

    Raises :class:`SourceError` naming the entry and the field.

    Examples
    --------
    >>> original = {"file": "x.pdf", "sha256": "0" * 64}
    >>> check_provenance({"original": original, "conversion": {"tool": "pdfplumber", "version": "0.11",
    ...                   "page_starts": [0, 9]}}, "e")["conversion"]["page_starts"]
    [0, 9]
    >>> check_provenance({"original": original, "conversion": {"tool": "pdfplumber", "version": "0.11",
    ...                   "page_starts": [5, 2]}}, "e")
    Traceback (most recent call last):
    ...
    kexie_research.errors.SourceError: e: conversion.page_starts must be increasing whole numbers starting at 0 (each below 2**63), got [5, 2]
    """
    checked: dict[str, Any] = {}
    original = entry.get("original")
    if original is not None:
        if not isinstance(original, dict) or set(original) - {"file", "sha256"}:
            raise SourceError(f"{where}: original must be a mapping with file and sha256")
        file = _text(original.get("file"), "original.file", where)
        digest = _text(original.get("sha256"), "original.sha256", where)
        if not file or not _HEX64.fullmatch(digest):
            raise SourceError(f"{where}: original needs a file name and a sha256 of 64 lower-case hexadecimal digits")
        checked["original"] = {"file": file, "sha256": digest}
    conversion = entry.get("conversion")
    if conversion is not None:
        if not isinstance(conversion, dict):
            raise SourceError(f"{where}: conversion must be a mapping (tool, version, options)")
        unknown = set(conversion) - {"tool", "version", "options", "page_starts", "url", "title"}
        if unknown:
            raise SourceError(f"{where}: conversion has unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        tool = _text(conversion.get("tool"), "conversion.tool", where)
        version = _text(conversion.get("version"), "conversion.version", where)
        if not tool or not version:
            raise SourceError(f"{where}: conversion needs its tool and version")
        options = conversion.get("options") or {}
        if not isinstance(options, dict):
            raise SourceError(f"{where}: conversion.options must be a mapping")
        starts = conversion.get("page_starts") or []
        if (
            not isinstance(starts, list)
            or not all(isinstance(s, int) and not isinstance(s, bool) and s < _LARGEST_OFFSET for s in starts)
            or (starts and starts[0] != 0)
            or any(b <= a for a, b in itertools.pairwise(starts))
        ):
            raise SourceError(
                f"{where}: conversion.page_starts must be increasing whole numbers starting at 0"
                f" (each below 2**63), got {starts!r}"
            )
        checked["conversion"] = {"tool": tool, "version": version, "options": options}
        if "page_starts" in conversion:  # what is absent stays absent: the entry reads back as written
            checked["conversion"]["page_starts"] = starts
        for name in ("url", "title"):
            if name in conversion:
                checked["conversion"][name] = _text(conversion[name], f"conversion.{name}", where)
    if ("original" in checked) != ("conversion" in checked):
        raise SourceError(
            f"{where}: original and conversion go together (the document as found and how it was converted)"
        )
    return checked
