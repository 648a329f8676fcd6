"""PDF with a text layer -> text (pdfplumber), page by page, with where each page starts.

Each page's text is read in the order of the PDF's own text flow (``use_text_flow=True``): a
browser or a word processor writes a two-column page column by column, whereas reading the page by
lines across its width would interleave the columns. A table comes out row by row, its cells
separated by spaces. Pages are joined by one blank line (:data:`~kexie_research.ingest.pages.PAGE_SEPARATOR`).

Refused, each with one error naming the file: a file that is not a readable PDF, an encrypted
(password-protected) PDF, and a PDF without any text (a scan: it needs OCR first).

Example::

    >>> from pathlib import Path
    >>> fixture = Path(__file__).parents[2] / "tests/fixtures/ingest/kangxi.pdf"
    >>> text, starts, options = read_pdf(fixture.read_bytes(), fixture.name)
    >>> starts, text[:9]
    ([0], '青川县科协专项资⾦')
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from typing import Any

from kexie_research.errors import KexieError
from kexie_research.ingest.pages import PAGE_SEPARATOR

__all__ = ["PDF_OPTIONS", "PdfError", "read_pdf"]

#: The options given to pdfplumber's ``Page.extract_text`` (recorded with every conversion).
PDF_OPTIONS: dict[str, Any] = {"use_text_flow": True, "x_tolerance": 3, "y_tolerance": 3}


class PdfError(KexieError):
    """A PDF cannot be converted (names the file and why)."""


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pdfminer logs a warning per odd font; the conversion reports problems by itself."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _why(exc: BaseException) -> str:
    names = {type(exc).__name__, *(type(e).__name__ for e in exc.args if isinstance(e, BaseException))}
    text = f"{type(exc).__name__} {exc}"
    if any("Password" in name or "Encrypt" in name for name in names) or "password" in text.lower():
        return "is encrypted (password-protected); save an unprotected copy and add that"
    return f"cannot be read as a PDF ({' '.join(text.split())[:200]})"


def read_pdf(data: bytes, name: str) -> tuple[str, list[int], dict[str, Any]]:
    """The text of a PDF, the offsets where its pages start, and the extraction options.

    Examples
    --------
    >>> read_pdf(b"not a pdf", "x.pdf")
    Traceback (most recent call last):
    ...
    kexie_research.ingest.pdf.PdfError: x.pdf: cannot be read as a PDF (...)
    """
    import pdfplumber

    pages: list[str] = []
    with _quiet():
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    pages.append((page.extract_text(**PDF_OPTIONS) or "").strip("\n"))
        except KexieError:
            raise
        except Exception as exc:  # pdfminer raises many kinds; each is one error naming the file
            raise PdfError(f"{name}: {_why(exc)}") from None
    if not pages:
        raise PdfError(f"{name}: the PDF has no pages")
    if not any(page.strip() for page in pages):
        raise PdfError(
            f"{name}: the PDF has no text layer ({len(pages)} page(s) of images, a scan?); it needs OCR "
            "first (e.g. `ocrmypdf -l chi_sim IN.pdf OUT.pdf`), then add the OCRed PDF"
        )
    starts, offset = [], 0
    for text in pages:
        starts.append(offset)
        offset += len(text) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(pages), starts, dict(PDF_OPTIONS)
