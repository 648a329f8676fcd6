"""The numbered list of a report run's files for a paper (``figures.csv``, ``tables.csv``).

Figures and tables are numbered in the order they are first saved into a folder; saving one again keeps
its number. The list is a small CSV beside the files, rewritten atomically
(:func:`kexie_research.atomic.atomic_write`). Standard library only: :mod:`kexie_research.viz.theme`
imports it on every figure.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from kexie_research.atomic import atomic_write


def _rows(folder: Path, listing: str) -> list[dict[str, str]]:
    path = Path(folder) / listing
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def output_folder(kind: str, name: str, out_dir: str | Path | None = None) -> Path:
    """The folder a ``kind`` (figure, table) called ``name`` is saved into, made if missing.

    ``out_dir``, else ``$KEXIE_FIGURE_DIR`` (the report run's folder), else ``figures/``. ``name``
    must be a plain file stem: a path separator or a leading dot is refused, so that nothing is
    written outside that folder.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> output_folder("table", "demo", folder) == Path(folder)
    True
    >>> output_folder("figure", "../escape", folder)
    Traceback (most recent call last):
    ...
    ValueError: figure name must be a plain file stem, got '../escape'
    """
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"{kind} name must be a plain file stem, got {name!r}")
    folder = Path(out_dir or os.environ.get("KEXIE_FIGURE_DIR", "figures"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def entry_number(folder: Path, listing: str, name: str) -> int:
    """The number of ``name`` in ``folder/listing``, else the next free one.

    Examples
    --------
    >>> import tempfile
    >>> entry_number(Path(tempfile.mkdtemp()), "figures.csv", "first")
    1
    """
    rows = _rows(folder, listing)
    for row in rows:
        if row["name"] == name:
            return int(row["number"])
    return max((int(row["number"]) for row in rows), default=0) + 1


def record_entry(folder: Path, listing: str, columns: Sequence[str], entry: Mapping[str, object]) -> Path:
    """Add or replace ``entry`` (by its ``name``) in ``folder/listing``; rows stay in number order.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = record_entry(folder, "t.csv", ("number", "name"), {"number": 2, "name": "b"})
    >>> path = record_entry(folder, "t.csv", ("number", "name"), {"number": 1, "name": "a"})
    >>> path.read_text(encoding="utf-8")
    'number,name\\n1,a\\n2,b\\n'
    """
    rows = [row for row in _rows(folder, listing) if row["name"] != entry["name"]]
    rows.append({column: str(entry[column]) for column in columns})
    rows.sort(key=lambda row: int(row["number"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = Path(folder) / listing
    atomic_write(path, buffer.getvalue())
    return path
