"""The draft under review: every decision written to the draft file as it is made.

A decision is ``accepted``, ``rejected`` or empty (not yet reviewed), in a ``decision`` column, with
the time in ``reviewed_at`` (UTC, ISO 8601). The coder may also change the fields a coding sheet
takes from the draft (:data:`EDITABLE`). Each change rewrites the whole draft through a temporary
file in the same folder, flushed to disk, then renamed over the draft, so that a crash leaves the
old or the new draft, never half of one.

Rejecting a fact sets its ``kind`` to ``rejected``, so ``kexie extract --to-sheet`` (which keeps
``kind=fact`` rows with an ``indicator_id``) leaves it out; accepting makes the row a ``fact``
(also a row the extractor flagged as a date or a name: the coder decides); clearing the decision
of a rejected row makes it a ``fact`` again. Rows never reviewed go to the sheet as before.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "draft.csv"
>>> _ = path.write_text("record_id,kind,indicator_id,raw_text,quote\\nDR-000001,fact,,3个,有3个\\n", encoding="utf-8")
>>> store = DraftStore(path)
>>> row = store.decide(0, "rejected", {"indicator_id": "gdp"}, now="2026-01-01T00:00:00Z")
>>> row["kind"], row["decision"], row["indicator_id"]
('rejected', 'rejected', 'gdp')
>>> path.read_text(encoding="utf-8").splitlines()[1].split(",")[:7]
['DR-000001', 'rejected', 'gdp', '3个', '有3个', 'rejected', '2026-01-01T00:00:00Z']
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from pathlib import Path

from kexie_research.atomic import atomic_write
from kexie_research.errors import SheetError

__all__ = ["DECISIONS", "EDITABLE", "DraftStore"]

DECISIONS = ("accepted", "rejected", "")
#: Fields the review page may change.
EDITABLE = ("indicator_id", "scope_zh", "scope_level", "admin_code", "period_text", "status", "note")
_REQUIRED = ("kind", "raw_text", "quote")
_LIMIT = 10_000  # characters in one edited cell: a coder's note, never a document


class DraftStore:
    """A draft CSV in memory, written back after every change (see the module docstring).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = path.write_text("kind,raw_text,quote\\nfact,3个,有3个\\n", encoding="utf-8")
    >>> store = DraftStore(path)
    >>> len(store.rows), store.columns[-2:]
    (1, ['status', 'note'])
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        raw = self.path.read_bytes()
        self.bom = raw.startswith(b"\xef\xbb\xbf")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SheetError(f"{self.path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as exc:
            raise SheetError(f"{self.path}: broken CSV quoting ({exc})") from None
        if not rows:
            raise SheetError(f"{self.path}: empty draft (no header line)")
        self.columns = list(rows[0])
        missing = [name for name in _REQUIRED if name not in self.columns]
        if missing:
            raise SheetError(f"{self.path}: not a draft of `kexie extract`: missing column(s) {', '.join(missing)}")
        for line, record in enumerate(rows[1:], start=2):
            if record and len(record) != len(self.columns):
                raise SheetError(f"{self.path} line {line}: {len(record)} fields, the header has {len(self.columns)}")
        self.rows = [dict(zip(self.columns, record)) for record in rows[1:] if record]
        for name in ("decision", "reviewed_at", *(e for e in EDITABLE if e != "admin_code")):
            if name not in self.columns:
                self.columns.append(name)
        for row in self.rows:
            for name in self.columns:
                row.setdefault(name, "")
        self._lock = threading.Lock()

    def decide(
        self, index: int, decision: str | None, fields: dict[str, str] | None = None, *, now: str | None = None
    ) -> dict[str, str]:
        """Record a decision (``None``: leave it) and edited fields of row ``index``; write the draft.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
        >>> _ = path.write_text("kind,raw_text,quote\\nfact,3个,有3个\\n", encoding="utf-8")
        >>> DraftStore(path).decide(0, "maybe")
        Traceback (most recent call last):
        ...
        ValueError: decision must be accepted, rejected or empty, not 'maybe'
        """
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(self.rows):
            raise ValueError(f"no candidate {index!r} (the draft has {len(self.rows)})")
        if decision is not None and decision not in DECISIONS:
            raise ValueError(f"decision must be accepted, rejected or empty, not {decision!r}")
        fields = fields or {}
        for name, value in fields.items():
            if name not in EDITABLE or name not in self.columns:
                raise ValueError(f"field {name!r} cannot be edited here")
            if not isinstance(value, str) or len(value) > _LIMIT or any(ord(c) < 32 and c not in "\t" for c in value):
                raise ValueError(f"field {name!r}: expected one line of text (at most {_LIMIT} characters)")
        with self._lock:
            row = self.rows[index]
            row.update(fields)
            if decision is not None:
                row["decision"] = decision
                row["reviewed_at"] = now or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                if decision == "rejected":
                    row["kind"] = "rejected"
                elif row["kind"] == "rejected" or decision == "accepted":
                    row["kind"] = "fact"
            self._write()
            return dict(row)

    def _write(self) -> None:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([row[name] for name in self.columns] for row in self.rows)
        data = ("\ufeff" if self.bom else "") + buffer.getvalue()
        atomic_write(self.path, data)  # temp file + fsync + rename; the draft keeps its permissions
