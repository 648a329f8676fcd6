"""A Word file (.docx) -> text (python-docx): paragraphs and tables in the order of the document.

Each paragraph is a line; each table row is a line whose cells are joined by ``CELL_SEPARATOR``
(`` | ``), so that numbers of neighbouring cells never run together. A legacy ``.doc`` is not
read: save it as ``.docx``.

Example::

    >>> from pathlib import Path
    >>> fixture = Path(__file__).parents[2] / "tests/fixtures/ingest/notice.docx"
    >>> read_docx(fixture.read_bytes(), fixture.name)[0].splitlines()[-1]
    '科普示范基地 | 6个 | 9个'
"""

from __future__ import annotations

import io
from typing import Any

from kexie_research.errors import KexieError

__all__ = ["CELL_SEPARATOR", "DocxError", "read_docx"]

CELL_SEPARATOR = " | "


class DocxError(KexieError):
    """A Word file cannot be converted (names the file and why)."""


def read_docx(data: bytes, name: str) -> tuple[str, dict[str, Any]]:
    """The text of a .docx file and the conversion options.

    Examples
    --------
    >>> read_docx(b"PK not really", "x.docx")
    Traceback (most recent call last):
    ...
    kexie_research.ingest.docx.DocxError: x.docx: cannot be read as a Word .docx file (...)
    """
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    cells: list[str] = []
                    for cell in row.cells:  # a merged cell is listed once per grid column: keep it once
                        if not cells or cell.text != cells[-1]:
                            cells.append(cell.text)
                    lines.append(CELL_SEPARATOR.join(" ".join(c.split("\n")) for c in cells))
    except Exception as exc:  # zipfile, lxml and python-docx raise many kinds; one error naming the file
        raise DocxError(f"{name}: cannot be read as a Word .docx file ({type(exc).__name__}: {exc})") from None
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise DocxError(f"{name}: the Word file has no text")
    return text + "\n", {
        "paragraphs": "one line each",
        "tables": f"one line per row, cells joined by {CELL_SEPARATOR!r}",
    }
