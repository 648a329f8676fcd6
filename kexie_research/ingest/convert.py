"""Any supported document -> the UTF-8 text of record and a :class:`Conversion` saying how.

========== ====================== ==========================================================
suffix     tool                   what is kept
========== ====================== ==========================================================
.txt       kexie_research (text)  UTF-8 / BOM / GB18030 decoded, line ends made LF (:mod:`kexie_research.ingest.text`)
.pdf       pdfplumber             the text layer page by page, where each page starts (:mod:`kexie_research.ingest.pdf`)
.html .htm trafilatura            the main text, the page's URL and title (:mod:`kexie_research.ingest.html`)
.docx      python-docx            paragraphs and table rows in order (:mod:`kexie_research.ingest.docx`)
========== ====================== ==========================================================

Every conversion then reads radicals and compatibility ideographs as unified ideographs
(:func:`~kexie_research.ingest.normalize.unify_ideographs`) and ends the text with one line break. The same bytes
always give the same text. Any other suffix, and every unreadable file, is one
:class:`IngestError` naming the file.

Example::

    >>> text, conversion = convert_bytes("资⾦\\r\\n".encode("utf-8"), "a.txt")
    >>> text, conversion.tool, conversion.options["ideographs_unified"]
    ('资金\\n', 'kexie_research', 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from kexie_research.errors import KexieError
from kexie_research.ingest.normalize import unify_ideographs, variant_count

__all__ = ["DOCUMENTS_EXTRA", "SUPPORTED_SUFFIXES", "Conversion", "IngestError", "convert_bytes", "convert_document"]

#: File suffixes read as documents, and the tool each needs.
SUPPORTED_SUFFIXES: dict[str, str] = {
    ".txt": "kexie_research",
    ".pdf": "pdfplumber",
    ".html": "trafilatura",
    ".htm": "trafilatura",
    ".docx": "python-docx",
}
#: The pip extra that installs the document readers.
DOCUMENTS_EXTRA = "kexie-research[documents]"
_MODULES = {"pdfplumber": "pdfplumber", "trafilatura": "trafilatura", "python-docx": "docx"}
_HINTS = {
    ".doc": "save it as .docx",
    ".xls": "a spreadsheet is not a document",
    ".xlsx": "a spreadsheet is not a document",
    ".rtf": "save it as .docx",
    ".wps": "save it as .docx",
    ".mht": "save the page as .html",
    ".mhtml": "save the page as .html",
    ".odt": "save it as .docx",
    ".png": "an image needs OCR first",
    ".jpg": "an image needs OCR first",
    ".jpeg": "an image needs OCR first",
    ".tif": "an image needs OCR first",
}


class IngestError(KexieError):
    """A document cannot be converted to text (names the file and why)."""


@dataclass(frozen=True)
class Conversion:
    """How a document became its text of record: the tool, its version, the options, and for a PDF
    where each page starts; for a web page its URL and title.

    Examples
    --------
    >>> Conversion("pdfplumber", "0.11.0", {"use_text_flow": True}, page_starts=(0, 200)).to_manifest()["page_starts"]
    [0, 200]
    """

    tool: str
    version: str
    options: dict[str, Any] = field(default_factory=dict)
    page_starts: tuple[int, ...] = ()
    url: str = ""
    title: str = ""

    def to_manifest(self) -> dict[str, Any]:
        """The ``conversion:`` mapping of a source entry in ``data/raw/sources.yaml``.

        Examples
        --------
        >>> sorted(Conversion("python-docx", "1.2.0").to_manifest())
        ['options', 'tool', 'version']
        """
        entry: dict[str, Any] = {"tool": self.tool, "version": self.version, "options": dict(self.options)}
        if self.page_starts:
            entry["page_starts"] = list(self.page_starts)
        if self.url:
            entry["url"] = self.url
        if self.title:
            entry["title"] = self.title
        return entry


@cache
def _version(distribution: str) -> str:
    # Cached: reading a distribution's metadata parses its METADATA file (~2 ms), once per document otherwise.
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


def _require(tool: str, name: str) -> None:
    import importlib.util

    module = _MODULES.get(tool)
    if module and importlib.util.find_spec(module) is None:
        raise IngestError(
            f"{name}: reading this file needs {tool}, which is not installed; pip install '{DOCUMENTS_EXTRA}'"
        )


def convert_bytes(data: bytes, name: str) -> tuple[str, Conversion]:
    """The text of record of a document's bytes (its type from the suffix of ``name``) and its conversion.

    Examples
    --------
    >>> convert_bytes(b"x", "notes.doc")
    Traceback (most recent call last):
    ...
    kexie_research.ingest.convert.IngestError: notes.doc: file type .doc is not supported (save it as .docx); supported: .txt, .pdf, .html, .htm, .docx
    """
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        hint = f" ({_HINTS[suffix]})" if suffix in _HINTS else ""
        raise IngestError(
            f"{name}: file type {suffix or '(no suffix)'} is not supported{hint}; "
            f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    tool = SUPPORTED_SUFFIXES[suffix]
    _require(tool, name)
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    page_starts: tuple[int, ...] = ()
    url = title = ""
    if suffix == ".pdf":
        from kexie_research.ingest.pdf import read_pdf

        text, starts, options = read_pdf(data, name)
        page_starts = tuple(starts)
    elif suffix in (".html", ".htm"):
        from kexie_research.ingest.html import read_html

        text, meta = read_html(data, name)
        options = {**meta["options"], "encoding": meta["encoding"]}
        url, title = meta["url"], meta["title"]
    elif suffix == ".docx":
        from kexie_research.ingest.docx import read_docx

        text, options = read_docx(data, name)
    else:
        from kexie_research.ingest.text import decode_text

        text, options = decode_text(data, name)
    if not text.strip():
        raise IngestError(f"{name}: no text in the file")
    unified = variant_count(text)
    text = unify_ideographs(text)
    if not text.endswith("\n"):
        text += "\n"
    options = {**options, "ideographs_unified": unified}
    return text, Conversion(tool, _version(tool), options, page_starts, url, title)


def convert_document(path: Path | str) -> tuple[str, Conversion]:
    """The text of record of the document file at ``path`` and its conversion (see the module docstring).

    Examples
    --------
    >>> convert_document("/nonexistent/a.pdf")
    Traceback (most recent call last):
    ...
    kexie_research.ingest.convert.IngestError: /nonexistent/a.pdf: cannot read (No such file or directory)
    """
    path = Path(path)
    if path.is_dir():
        raise IngestError(f"{path}: is a folder; give a document file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return convert_bytes(data, str(path))
    except IngestError:
        raise
    except KexieError as exc:  # the format readers' errors already name the file
        raise IngestError(str(exc)) from None
