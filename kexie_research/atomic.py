"""Atomic writes and the lock of ``data/raw``: the one way the toolkit writes an input or a draft.

Every file the toolkit writes into ``data/raw`` (a document, the manifest, ``features.csv``, a coding
sheet) or as a draft of ``kexie extract`` goes through :func:`atomic_write` or :func:`atomic_output`:
the content is written to a temporary file in the same folder (``.<name>.<random>.kexie-tmp``),
flushed to disk (``fsync``) and renamed over the target (``os.replace``), and the folder is synced.
A process killed at any moment leaves the old file or the new one, byte for byte, never a part of
one; at worst a temporary file remains, which :func:`remove_stray_temporaries` (run by
``kexie add-source`` and by the build's repair of an interrupted add-source) deletes.

Writers of ``data/raw`` hold :func:`raw_lock` (``fcntl.flock`` on ``data/raw/.kexie.lock``): one
writer at a time, with a deadline and a message naming the holder when it is taken. The lock is
released by the system when its holder dies, so a killed command never leaves it held.

Example::

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "a.txt", "科协\\n")
    >>> (folder / "a.txt").read_text(encoding="utf-8"), sorted(p.name for p in folder.iterdir())
    ('科协\\n', ['a.txt'])
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kexie_research.errors import KexieError

__all__ = [
    "LOCK_NAME",
    "TEMP_SUFFIX",
    "LockTimeout",
    "atomic_output",
    "atomic_path",
    "atomic_write",
    "raw_lock",
    "remove_stray_temporaries",
    "sync_folder",
]

#: Suffix of the temporary files of :func:`atomic_write` (never matches ``*.csv``, ``*.txt``, ``*.yaml``).
TEMP_SUFFIX = ".kexie-tmp"
#: The lock file of a ``data/raw`` folder.
LOCK_NAME = ".kexie.lock"
#: Seconds a writer waits for the lock of ``data/raw`` (``KEXIE_LOCK_TIMEOUT`` overrides).
LOCK_TIMEOUT = 60.0


class LockTimeout(KexieError):
    """Another kexie command held the lock of ``data/raw`` past the deadline (names it)."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename, a new or removed file) to disk, where the system allows it.

    Examples
    --------
    >>> sync_folder(Path("."))
    """
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows cannot open a folder: its renames are durable enough
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems refuse fsync on folders; the rename itself is still atomic
    finally:
        os.close(handle)


def pause_for_kill_tests(step: str) -> None:
    """Test hook: ``KEXIE_TEST_WRITE_PAUSE=<seconds>`` sleeps at each step of a write, so that a kill
    test can land inside every step (a write of a small file is otherwise over in microseconds).

    Examples
    --------
    >>> pause_for_kill_tests("open")  # without the variable: returns at once
    """
    delay = os.environ.get("KEXIE_TEST_WRITE_PAUSE")
    if delay:
        time.sleep(float(delay))


@contextlib.contextmanager
def atomic_output(
    path: Path | str, mode: str = "w", *, exclusive: bool = False, encoding: str = "utf-8"
) -> Iterator[IO[Any]]:
    """A stream whose content replaces ``path`` at once when the ``with`` block ends without error.

    Parameters
    ----------
    path
        The file to write.
    mode
        ``"w"`` (text, ``encoding``, no newline translation) or ``"wb"``.
    exclusive
        Never overwrite: :class:`FileExistsError` if ``path`` exists when the content is put in place
        (the check and the placing are one step: ``os.link``).
    encoding
        Of a text stream.

    On an error inside the block, or a kill, ``path`` keeps its old content and the temporary file
    is removed (after a kill it remains, named ``.<name>.<random>.kexie-tmp``). A replaced file keeps
    its permissions; a new one gets the user's default.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "draft.csv"
    >>> with atomic_output(target) as stream:
    ...     _ = stream.write("a,b\\n")
    >>> target.read_text()
    'a,b\\n'
    >>> try:
    ...     with atomic_output(target) as stream:
    ...         _ = stream.write("half")
    ...         raise RuntimeError("stopped")
    ... except RuntimeError:
    ...     pass
    >>> target.read_text()
    'a,b\\n'
    """
    path = Path(path)
    folder = path.parent
    try:
        mode_bits = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode_bits = 0o666 & ~_umask()
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    temporary = Path(name)
    try:
        binary = "b" in mode
        with os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding=encoding, newline="") as stream:
            pause_for_kill_tests("open")
            yield stream
            stream.flush()
            pause_for_kill_tests("written")
            os.fsync(stream.fileno())
        os.chmod(temporary, mode_bits)
        pause_for_kill_tests("synced")
        if exclusive:
            os.link(temporary, path)  # FileExistsError if something is there: nothing overwritten
            temporary.unlink()
        else:
            os.replace(temporary, path)
        sync_folder(folder)
        pause_for_kill_tests("placed")
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def atomic_write(path: Path | str, content: str | bytes, *, exclusive: bool = False) -> None:
    """Write ``content`` (text as UTF-8, or bytes) to ``path`` atomically (see :func:`atomic_output`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> atomic_write(target, b"record_id\\n", exclusive=True)
    >>> try:
    ...     atomic_write(target, b"other\\n", exclusive=True)
    ... except FileExistsError:
    ...     print("kept:", target.read_bytes())
    kept: b'record_id\\n'
    """
    with atomic_output(path, "wb" if isinstance(content, bytes) else "w", exclusive=exclusive) as stream:
        stream.write(content)


def remove_stray_temporaries(*folders: Path) -> list[Path]:
    """Delete the temporary files a killed :func:`atomic_write` left in ``folders``; return them.

    Only call it holding :func:`raw_lock` (a live writer's temporary file would go too).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / ".sources.yaml.x1y2.kexie-tmp").write_text("half")
    >>> [p.name for p in remove_stray_temporaries(folder)], list(folder.iterdir())
    (['.sources.yaml.x1y2.kexie-tmp'], [])
    """
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for stray in sorted(folder.glob(f".*{TEMP_SUFFIX}")):
            with contextlib.suppress(FileNotFoundError):
                stray.unlink()
                removed.append(stray)
    return removed


def _lock_timeout() -> float:
    text = os.environ.get("KEXIE_LOCK_TIMEOUT")
    try:
        return float(text) if text else LOCK_TIMEOUT
    except ValueError:
        raise KexieError(f"KEXIE_LOCK_TIMEOUT={text!r}: give the seconds to wait for data/raw's lock") from None


@contextlib.contextmanager
def raw_lock(raw: Path, what: str, *, shared: bool = False, timeout: float | None = None) -> Iterator[bool]:
    """Hold the lock of the ``data/raw`` folder ``raw`` (exclusive for a writer, ``shared`` for a reader).

    Yields ``True`` when the lock is held, ``False`` when ``raw`` cannot hold a lock file (a
    read-only folder, e.g. an installed wheel: nobody can write there either). Waits at most
    ``timeout`` seconds (default :data:`LOCK_TIMEOUT`, or ``KEXIE_LOCK_TIMEOUT``), then raises
    :class:`LockTimeout` naming the holder (its process id and command, as it wrote them).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> raw = pathlib.Path(tempfile.mkdtemp())
    >>> with raw_lock(raw, "kexie add-source") as held:
    ...     held, (raw / LOCK_NAME).read_text().split()[2:]
    (True, ['kexie', 'add-source'])
    """
    import fcntl

    lock_path = Path(raw) / LOCK_NAME
    try:
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
    except OSError:
        if shared:  # a reader of a folder that cannot hold a lock file: nobody can write there either
            yield False
            return
        raise
    try:
        deadline = time.monotonic() + (_lock_timeout() if timeout is None else timeout)
        operation = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
        while True:
            try:
                fcntl.flock(handle, operation)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(handle, 200, 0).decode("utf-8", "replace").strip() or "another process"
                    raise LockTimeout(
                        f"{raw} is locked by another kexie command ({holder}); waited "
                        f"{_lock_timeout() if timeout is None else timeout:g} s. Let it finish and run this again "
                        f"(a killed command releases the lock by itself; the wait is set by KEXIE_LOCK_TIMEOUT)"
                    ) from None
                time.sleep(0.05)
        if not shared:
            os.ftruncate(handle, 0)
            os.pwrite(handle, f"pid {os.getpid()} {what}".encode(), 0)
        yield True
    finally:
        os.close(handle)  # releases the lock


@contextlib.contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer that wants a file name (pyreadstat, openpyxl, fpdf2);
    what it wrote there replaces ``path`` at once when the block ends without error.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "table.dta"
    >>> with atomic_path(target) as temporary:
    ...     _ = temporary.write_bytes(b"data")
    >>> target.read_bytes(), temporary.exists()
    (b'data', False)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb") as stream:
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; an output is as readable as any file
        os.replace(temporary, path)
        sync_folder(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
