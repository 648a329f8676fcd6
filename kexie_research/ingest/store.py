"""What ``kexie add-source`` keeps of a document as found: the text of record and the original.

:func:`prepare` converts a document (:func:`~kexie_research.ingest.convert.convert_bytes`). A UTF-8 ``.txt`` file with
LF line ends and nothing to repair *is* its text of record and is kept once, byte for byte, as
before. Any other document keeps two files, both pinned by sha256 in ``data/raw/sources.yaml``:

* the converted UTF-8 text in ``data/raw/documents/`` (``file`` and ``sha256``, the document of
  record: quotes are checked against it, offsets count in it);
* the original bytes in ``data/raw/originals/<source_id><suffix>`` (``original: {file, sha256}``),
  with the conversion (``conversion: {tool, version, options, page_starts, url, title}``).

``kexie add-source`` writes both, with the manifest entry, as one all-or-nothing edit of ``data/raw``
(:class:`kexie_research.journal.RawEdit`: atomic, never over an existing file).

Example::

    >>> prepared = prepare_bytes("资⾦\\n".encode(), "notice.txt")
    >>> prepared.text, prepared.conversion.options["ideographs_unified"], prepared.keeps_original
    (b'\\xe8\\xb5\\x84\\xe9\\x87\\x91\\n', 1, True)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from kexie_research.ingest.convert import Conversion, IngestError, convert_bytes

__all__ = ["ORIGINALS_DIR", "Prepared", "prepare", "prepare_bytes"]

#: Folder of data/raw holding the documents as found (beside ``documents/``, the texts of record).
ORIGINALS_DIR = "originals"


@dataclass(frozen=True)
class Prepared:
    """A converted document: its text of record (UTF-8 bytes), the original bytes and the conversion.

    Examples
    --------
    >>> p = prepare_bytes("科协\\n".encode(), "plain.txt")
    >>> p.keeps_original, p.sha256 == p.original_sha256
    (False, True)
    """

    text: bytes
    original: bytes
    suffix: str
    conversion: Conversion

    @property
    def sha256(self) -> str:
        """sha256 of the text of record."""
        return hashlib.sha256(self.text).hexdigest()

    @property
    def original_sha256(self) -> str:
        """sha256 of the document as found."""
        return hashlib.sha256(self.original).hexdigest()

    @property
    def keeps_original(self) -> bool:
        """Whether the original differs from the text of record (then both are kept)."""
        return self.original != self.text

    def manifest_fields(self, source_id: str) -> dict[str, object]:
        """The ``original`` and ``conversion`` fields of the source's manifest entry (none for plain text).

        Examples
        --------
        >>> prepare_bytes("科协\\r\\n".encode(), "a.txt").manifest_fields("x_document")["original"]["file"]
        'x_document.txt'
        """
        if not self.keeps_original:
            return {}
        return {
            "original": {"file": f"{source_id}{self.suffix}", "sha256": self.original_sha256},
            "conversion": self.conversion.to_manifest(),
        }


def prepare_bytes(data: bytes, name: str) -> Prepared:
    """Convert a document's bytes (see the module docstring); :class:`IngestError` naming ``name``.

    Examples
    --------
    >>> prepare_bytes("正文\\n".encode("gb18030"), "a.txt").conversion.options["encoding"]
    'gb18030'
    """
    text, conversion = convert_bytes(data, name)
    return Prepared(text.encode("utf-8"), data, Path(name).suffix.lower(), conversion)


def prepare(path: Path | str) -> Prepared:
    """Read and convert the document at ``path``; :class:`IngestError` naming it.

    Examples
    --------
    >>> prepare("/nonexistent.txt")
    Traceback (most recent call last):
    ...
    kexie_research.ingest.convert.IngestError: /nonexistent.txt: no such file
    """
    path = Path(path)
    if path.is_dir():
        raise IngestError(f"{path}: is a folder; give the document's file")
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return prepare_bytes(data, str(path))
