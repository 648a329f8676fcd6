"""Edits of ``data/raw`` that several files make together, all or nothing (``kexie add-source``).

An edit is a list of files to create (never overwriting) and files to replace, the last of which is
the *commit*: the manifest, which names the new document only once everything else is in place.
Before the first write, :meth:`RawEdit.apply` records the plan in a journal
(``data/raw/.kexie-journal.json``: each file's checksum before and after, and the old content of
each replaced file); every file is then written atomically (:mod:`kexie_research.atomic`), and the
journal is removed last.

A command killed in between leaves the journal. :func:`repair` (run under the lock by the next
``kexie add-source``, and by ``kexie build`` / ``kexie validate`` before they read) finishes the
edit if its commit was written, and otherwise rolls it back: the created files are removed, the
replaced ones get their old content back, and temporary files are deleted. Either way ``data/raw``
is as before the command or as after it, byte for byte, and a retry succeeds.

Example::

    >>> import tempfile, pathlib
    >>> raw = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (raw / "sources.yaml").write_text("sources: []\\n")
    >>> edit = RawEdit(raw, "example")
    >>> edit.create(raw / "new.txt", b"text\\n")
    >>> edit.replace(raw / "sources.yaml", b"sources: [new]\\n")
    >>> edit.apply()
    >>> (raw / "sources.yaml").read_text(), (raw / JOURNAL_NAME).exists()
    ('sources: [new]\\n', False)
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kexie_research.atomic import (
    TEMP_SUFFIX,
    atomic_write,
    pause_for_kill_tests,
    raw_lock,
    remove_stray_temporaries,
    sync_folder,
)
from kexie_research.errors import KexieError

__all__ = ["JOURNAL_NAME", "RawEdit", "repair", "repair_before_reading"]

#: The journal of an edit in progress, in the ``data/raw`` folder.
JOURNAL_NAME = ".kexie-journal.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return _digest(path.read_bytes())
    except FileNotFoundError:
        return None


@dataclass
class RawEdit:
    """Files to create and to replace in ``raw``, written all or nothing (see the module docstring).

    Examples
    --------
    >>> RawEdit(Path("/data/raw"), "kexie add-source").created
    []
    """

    raw: Path
    command: str
    created: list[tuple[Path, bytes]] = field(default_factory=list)
    replaced: list[tuple[Path, bytes, bytes]] = field(default_factory=list)

    def create(self, path: Path, content: bytes) -> None:
        """Plan a new file (an existing one is an error when the edit is applied)."""
        self.created.append((Path(path), content))

    def replace(self, path: Path, content: bytes) -> None:
        """Plan new content for an existing file; the last file replaced is the commit."""
        path = Path(path)
        self.replaced.append((path, path.read_bytes(), content))

    def _journal(self) -> dict:
        def relative(path: Path) -> str:
            return path.relative_to(self.raw).as_posix()

        return {
            "command": self.command,
            "pid": os.getpid(),
            "created": [{"path": relative(path), "sha256": _digest(content)} for path, content in self.created],
            "replaced": [
                {
                    "path": relative(path),
                    "before_sha256": _digest(before),
                    "after_sha256": _digest(after),
                    "before": base64.b64encode(before).decode("ascii"),
                }
                for path, before, after in self.replaced
            ],
        }

    def apply(self) -> None:
        """Write the journal, create and replace the files (commit last), remove the journal.

        The caller holds :func:`~kexie_research.atomic.raw_lock` of ``raw``. A failure (a file in the
        way, a full disk) rolls the edit back before the error is raised.
        """
        journal = self.raw / JOURNAL_NAME
        if journal.exists():
            raise KexieError(f"{journal}: an earlier edit of {self.raw} was interrupted; it is repaired first")
        atomic_write(journal, json.dumps(self._journal(), ensure_ascii=False, indent=1).encode("utf-8"), exclusive=True)
        try:
            for path, content in self.created:
                atomic_write(path, content, exclusive=True)
            for path, _, content in self.replaced:
                atomic_write(path, content)
        except BaseException:
            repair(self.raw)
            raise
        journal.unlink()
        sync_folder(self.raw)
        pause_for_kill_tests("journal removed")


def repair(raw: Path) -> list[str]:
    """Finish or roll back an interrupted edit of ``raw``; return what was done (empty: nothing to do).

    The caller holds the lock. The edit was committed if its last replaced file has its new
    content: then only the journal is left to remove. Otherwise every created file that holds what
    the edit wrote is removed and every replaced file gets its old content back. Temporary files
    of killed writes are removed in both cases.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> raw = pathlib.Path(tempfile.mkdtemp())
    >>> repair(raw)
    []
    """
    journal = raw / JOURNAL_NAME
    done: list[str] = []
    if journal.exists():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
            created, replaced = plan["created"], plan["replaced"]
        except (ValueError, KeyError, TypeError) as exc:
            raise KexieError(
                f"{journal}: unreadable journal of an interrupted edit ({exc}); compare {raw} with "
                "version control, then delete the journal"
            ) from None
        command = plan.get("command", "an edit")
        committed = bool(replaced) and _file_digest(raw / replaced[-1]["path"]) == replaced[-1]["after_sha256"]
        if committed:
            done.append(f"finished an interrupted {command} (its manifest entry was written)")
        else:
            for entry in reversed(replaced):
                path = raw / entry["path"]
                if _file_digest(path) != entry["before_sha256"]:
                    atomic_write(path, base64.b64decode(entry["before"]))
                    done.append(f"restored {path}")
            for entry in created:
                path = raw / entry["path"]
                if _file_digest(path) == entry["sha256"]:
                    path.unlink()
                    done.append(f"removed {path}")
            done.insert(0, f"rolled back an interrupted {command}")
    folders = _folders(raw)
    strays = remove_stray_temporaries(*folders)
    done += [f"removed the temporary file {stray}" for stray in strays]
    if journal.exists():
        journal.unlink()
    for folder in folders:
        sync_folder(folder)
    return done


def _folders(raw: Path) -> list[Path]:
    """``raw`` and its folders (not followed links): where the toolkit writes."""
    if not raw.is_dir():
        return []
    return sorted({raw, *(p for p in raw.iterdir() if p.is_dir() and not p.is_symlink())})


def _temporaries(raw: Path) -> list[Path]:
    return [stray for folder in _folders(raw) for stray in folder.glob(f".*{TEMP_SUFFIX}")]


def repair_before_reading(raw: Path, echo: Callable[[str], None] | None = None) -> list[str]:
    """Repair ``raw`` if an edit was interrupted (a journal is there); cheap when none was.

    Called by the build before it reads ``data/raw``, so that ``kexie validate`` and ``kexie build``
    see the state before or after a killed ``kexie add-source``, never a half of it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> repair_before_reading(pathlib.Path(tempfile.mkdtemp()))
    []
    """
    if not (raw / JOURNAL_NAME).exists() and not any(_temporaries(raw)):
        return []
    with raw_lock(raw, "kexie build (repairing an interrupted edit)"):
        done = repair(raw)
    for line in done:
        (echo or (lambda _m: None))(f"repair: {line}")
    return done
