"""The output folder: which folders may be used, the lock, and writes that stay inside and never clobber.

A folder is used only when it is new, empty, or was made by ``kexie report`` before (it holds the
marker file ``.kexie-report``, which also lists every file the runner wrote there). The runner
overwrites or deletes only files on that list, so a reader's own files in the folder are never
touched; every path is resolved and must stay inside the folder (a symlink pointing out is refused),
and files are written to a fresh temporary name and renamed into place (a planted symlink at the
final name is replaced, never followed). Runs into one folder are serialised by an exclusive
``fcntl.flock`` on ``.kexie-report.lock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from kexie_research.outputs import file_in_the_way
from kexie_research.runner.model import (
    CACHE_NAME,
    INDEX_NAME,
    LOCK_NAME,
    MARKER_NAME,
    STAGING_DIR,
    ReportError,
)

_TEMP_PREFIX = ".tmp-"


def default_output_dir() -> Path:
    """``reports/`` of the checkout (the current directory's ``reports/`` outside a checkout).

    Examples
    --------
    >>> default_output_dir().name
    'reports'
    """
    from kexie_research.config import repo_root

    root = repo_root()
    return (root if root is not None else Path.cwd()) / "reports"


def safe_child(root: Path, *parts: str) -> Path:
    """``root/parts…`` resolved, refusing anything that would land outside ``root``.

    Symlinks are resolved first, so a ``figures`` link pointing elsewhere is refused too.

    Examples
    --------
    >>> safe_child(Path("/tmp/r"), "figures", "00_x").as_posix()
    '/tmp/r/figures/00_x'
    >>> safe_child(Path("/tmp/r"), "..", "etc")
    Traceback (most recent call last):
    ...
    kexie_research.runner.model.ReportError: output path '../etc' escapes the output directory /tmp/r
    """
    base = Path(root).resolve()
    for part in parts:
        if not part or Path(part).is_absolute():
            raise ReportError(f"output path {'/'.join(parts)!r} must be a relative name inside {base}")
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        raise ReportError(f"output path {'/'.join(parts)!r} escapes the output directory {base}")
    return target


def _protected_folders(notebooks_dir: Path) -> dict[str, Path]:
    from kexie_research import config

    folders = {
        "notebooks": Path(notebooks_dir).resolve(),
        "data": config.data_dir().resolve(),
        "package": Path(__file__).resolve().parents[1],
        "Python environment": Path(sys.prefix).resolve(),
    }
    root = config.repo_root()
    if root is not None:  # the checkout's own data/ stays protected when KEXIE_DATA_DIR points elsewhere
        folders["checkout data"] = (Path(root) / "data").resolve()
    return folders


def check_output_dir(output_dir: Path, notebooks_dir: Path) -> Path:
    """Resolve ``output_dir`` and refuse it unless it is new, empty or made by ``kexie report``.

    Nothing is created here: a refused run leaves no folder behind.

    Examples
    --------
    >>> import tempfile
    >>> new = Path(tempfile.mkdtemp()) / "reports"
    >>> check_output_dir(new, Path("notebooks")) == new.resolve() and not new.exists()
    True
    >>> check_output_dir(Path("/"), Path("notebooks"))
    Traceback (most recent call last):
    ...
    kexie_research.runner.model.ReportError: --output-dir / is not empty and was not made by `kexie report` (no .kexie-report marker): choose a new or empty folder
    """
    out = Path(output_dir).expanduser().resolve()
    for name, folder in _protected_folders(notebooks_dir).items():
        if out == folder or folder in out.parents:
            raise ReportError(
                f"--output-dir {out} is inside the {name} folder {folder}: reports would overwrite project files"
            )
    if out.exists() and not out.is_dir():
        raise ReportError(f"--output-dir {out} exists and is not a directory")
    blocking = file_in_the_way(out)
    if blocking is not None:
        raise ReportError(f"--output-dir {out}: {blocking} is a file, not a folder")
    if out.is_dir():
        marker = out / MARKER_NAME
        made_by_us = (marker.is_file() and not marker.is_symlink()) or bool(_legacy_files(out))
        # Empty, or being made by another `kexie report` right now: it has made its lock and may be
        # writing the marker through a temporary file (this run then waits for the lock).
        names = {path.name for path in out.iterdir()}
        empty_or_being_made = not names or (
            LOCK_NAME in names and all(name == LOCK_NAME or name.startswith(_TEMP_PREFIX) for name in names)
        )
        if not made_by_us and not empty_or_being_made:
            raise ReportError(
                f"--output-dir {out} is not empty and was not made by `kexie report` (no {MARKER_NAME} marker): choose a new or empty folder"
            )
    return out


def _legacy_files(folder: Path) -> set[str]:
    """Files listed by the cache of a folder written before the marker existed (adopted as the runner's)."""
    cache_path = folder / CACHE_NAME
    if cache_path.is_symlink() or not cache_path.is_file():
        return set()
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(cache, dict) or not isinstance(cache.get("runs"), dict):
        return set()
    files = {INDEX_NAME}
    for entry in cache["runs"].values():
        if isinstance(entry, dict):
            files.update(entry.get(kind) or "" for kind in ("ipynb", "html"))
            files.update(f for f in entry.get("figures") or [] if isinstance(f, str))
    return {f for f in files if f}


class OutputFolder:
    """A locked output folder and the list of files the runner wrote into it (kept in the marker).

    Use as a context manager: creates the folder and its marker, takes the lock (waiting for another
    run into the same folder, or failing at once with ``wait=False``), and clears what a killed run
    left (temporary files, the staging folder).

    Examples
    --------
    >>> import tempfile
    >>> with OutputFolder(Path(tempfile.mkdtemp()) / "r") as folder:
    ...     _ = folder.write_text("index.html", "<html></html>")
    ...     sorted(folder.managed)
    ['index.html']
    """

    def __init__(self, path: Path, wait: bool = True, announce=None) -> None:
        self.path = Path(path)
        self.wait = wait
        self.announce = announce or (lambda message: print(message, file=sys.stderr))
        self.managed: set[str] = set()
        self._lock_fd: int | None = None

    # -- lifecycle

    def __enter__(self) -> OutputFolder:
        self.path.mkdir(parents=True, exist_ok=True)
        self.path = self.path.resolve()
        self._lock()
        try:
            self.managed = self._read_marker()
            self._write_marker()
            self._clear_leftovers()
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        with contextlib.suppress(OSError):
            shutil.rmtree(self.path / STAGING_DIR)
        self._unlock()

    def _lock(self) -> None:
        lock_path = self.path / LOCK_NAME
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise ReportError(f"cannot open the lock file {lock_path}: {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            if not self.wait:
                os.close(fd)
                raise ReportError(
                    f"another `kexie report` (pid {holder}) is writing into {self.path}; try again when it has finished"
                ) from None
            self.announce(
                f"kexie report: another run (pid {holder}) is writing into {self.path}; waiting for it to finish…"
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._lock_fd, 0)
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def _read_marker(self) -> set[str]:
        marker = self.path / MARKER_NAME
        if marker.is_symlink():
            raise ReportError(f"{marker} is a symlink: refusing to use {self.path}")
        if not marker.exists():
            return _legacy_files(self.path)
        try:
            content = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        files = content.get("files", []) if isinstance(content, dict) else []
        return {f for f in files if isinstance(f, str)}

    def _write_marker(self) -> None:
        content = {
            "made_by": "kexie report",
            "note": "files below were written by kexie report and may be replaced by it",
            "files": sorted(self.managed),
        }
        self._atomic_write(self.path / MARKER_NAME, json.dumps(content, indent=1).encode())

    def _clear_leftovers(self) -> None:
        for leftover in self.path.glob(f"{_TEMP_PREFIX}*"):
            if leftover.is_file() or leftover.is_symlink():
                leftover.unlink()
        staging = self.path / STAGING_DIR
        if staging.is_symlink():
            staging.unlink()
        elif staging.exists():
            shutil.rmtree(staging)

    # -- writing

    def _atomic_write(self, target: Path, data: bytes) -> None:
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=_TEMP_PREFIX)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                os.fchmod(handle.fileno(), 0o644)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def target(self, relative: str) -> Path:
        """The path of ``relative`` inside the folder, refusing escapes and files the runner did not write."""
        parts = relative.split("/")
        path = safe_child(self.path, *parts)
        unresolved = self.path.joinpath(*parts)
        if (unresolved.exists() or unresolved.is_symlink()) and relative not in self.managed | {CACHE_NAME}:
            raise ReportError(
                f"{unresolved} exists and was not written by `kexie report`: refusing to replace it (move it away or choose another --output-dir)"
            )
        return path

    def write_bytes(self, relative: str, data: bytes) -> Path:
        """Write ``data`` to ``relative`` atomically and remember it as the runner's file."""
        path = self.target(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._atomic_write(path, data)
        self._remember([relative])
        return path

    def write_text(self, relative: str, text: str) -> Path:
        """Write UTF-8 ``text`` to ``relative`` (see :meth:`write_bytes`)."""
        return self.write_bytes(relative, text.encode("utf-8"))

    def publish(self, staged: Path, relative: str) -> Path:
        """Move a finished file from the staging folder to ``relative`` (replacing the runner's old one)."""
        path = self.target(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(staged, 0o644)
        os.replace(staged, path)
        self._remember([relative])
        return path

    def replace_tree(self, staged_dir: Path, relative_dir: str) -> list[str]:
        """Replace the runner's files under ``relative_dir`` by those of ``staged_dir``; return them.

        Files under ``relative_dir`` that the runner did not write stay where they are.
        """
        prefix = relative_dir.rstrip("/") + "/"
        for old in sorted(f for f in self.managed if f.startswith(prefix)):
            path = self.path / old
            if path.is_symlink() or path.is_file():
                path.unlink()
        self.managed = {f for f in self.managed if not f.startswith(prefix)}
        published = []
        if staged_dir.is_dir():
            for source in sorted(p for p in staged_dir.rglob("*") if p.is_file() and not p.is_symlink()):
                relative = prefix + source.relative_to(staged_dir).as_posix()
                self.publish(source, relative)
                published.append(relative)
        self._write_marker()
        return published

    def _remember(self, files: Iterable[str]) -> None:
        new = set(files) - self.managed
        if new:
            self.managed |= new
            self._write_marker()

    def staging(self, name: str) -> Path:
        """A fresh staging folder for run ``name`` inside the output folder."""
        folder = safe_child(self.path, STAGING_DIR, name)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        return folder


@contextlib.contextmanager
def timed(label: str, sink: dict[str, float]) -> Iterator[None]:
    """Add the wall time of the block to ``sink[label]``.

    Examples
    --------
    >>> sink = {}
    >>> with timed("x", sink):
    ...     pass
    >>> sink["x"] >= 0
    True
    """
    start = time.perf_counter()
    try:
        yield
    finally:
        sink[label] = sink.get(label, 0.0) + time.perf_counter() - start
