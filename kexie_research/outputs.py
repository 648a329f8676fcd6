"""Write a folder of outputs as one set: readers see the old set or the new set, never a mix.

:func:`replace_directory` writes every file into a fresh hidden sibling folder (same file system),
flushes each file and the folder to disk, then swaps the two folders in one step (Linux
``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, with the old set put back by the next run if
the process died between them) and removes the old set. A failure or a kill before the swap leaves
the old set untouched; the hidden staging folder of a killed run is removed by the next run. Files
are created with the ordinary modes (``0666 & ~umask``, i.e. 0644 with the usual umask), never via
``mkstemp`` (0600).

Example::

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "processed"
    >>> written = replace_directory(out, {"a.txt": lambda p: p.write_text("1")})
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt']
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import secrets
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from kexie_research.errors import KexieError

_STAGING = ".{name}.staging-{pid}-{token}"
_OLD = ".{name}.old-{pid}-{token}"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(KexieError):
    """The output folder cannot be replaced (names the folder and why)."""


def folder_argument(text: str) -> str:
    """An argparse type for a folder option: any path but an empty one (which would mean "here").

    Examples
    --------
    >>> folder_argument("reports")
    'reports'
    >>> try:
    ...     folder_argument(" ")
    ... except Exception as exc:
    ...     print(exc)
    expects a folder, got an empty text
    """
    import argparse

    if not text.strip():
        raise argparse.ArgumentTypeError("expects a folder, got an empty text")
    return text


def file_in_the_way(path: Path) -> Path | None:
    """The first existing parent of ``path`` that is not a folder (a file where a folder is needed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()); _ = (folder / "afile").write_text("x")
    >>> file_in_the_way(folder / "afile" / "sub" / "out") == folder / "afile"
    True
    >>> file_in_the_way(folder / "new" / "out") is None
    True
    """
    for parent in reversed(Path(path).parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def _fsync_path(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems cannot fsync a directory; the data files are synced
        if exc.errno not in (errno.EINVAL, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); ``False`` if the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, f"cannot swap {a} and {b}: {os.strerror(code)}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(target: Path) -> None:
    """Clean up after a run that died: remove its staging folder; put an old set back if the
    process died between the two renames of the fallback swap.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "processed"
    >>> (folder.parent / ".processed.staging-999999999-ab").mkdir()
    >>> recover(folder); sorted(p.name for p in folder.parent.iterdir())
    []
    """
    parent, name = target.parent, target.name
    if not parent.is_dir():
        return
    for kind in ("old", "staging"):
        for leftover in sorted(parent.glob(f".{name}.{kind}-*")):
            try:
                pid = int(leftover.name.split("-")[1])
            except (IndexError, ValueError):
                continue
            if _pid_alive(pid) and pid != os.getpid():
                continue  # another build is writing right now
            if kind == "old" and not target.exists():
                os.rename(leftover, target)  # the new set never arrived: the old one is the current set
                continue
            shutil.rmtree(leftover, ignore_errors=True)


def _check_target(target: Path, marker: str | None) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputError(f"{target}: not a folder; the output must be a folder that `kexie build` owns")
    if not target.exists() or not any(target.iterdir()):
        return
    if marker is None:
        return
    package = target / "datapackage.json"
    try:
        name = json.loads(package.read_text(encoding="utf-8")).get("name")
    except (OSError, ValueError, AttributeError):
        name = None
    if name != marker:
        raise OutputError(
            f"{target}: the folder is not empty and holds no output of `kexie build` ({package.name} named "
            f"{marker!r}); refusing to replace it. Choose a new or empty folder (or remove this one if it holds nothing of yours)."
        )


def replace_directory(
    target: Path, files: Mapping[str, Callable[[Path], object]], *, marker: str | None = None
) -> list[Path]:
    """Write ``files`` (relative path -> writer) as the new content of ``target``, all or nothing.

    ``marker``: if given, an existing non-empty ``target`` is replaced only if its
    ``datapackage.json`` has this ``name`` (so a mistyped folder is never wiped).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> _ = replace_directory(out, {"x.csv": lambda p: p.write_text("a\\n")})
    >>> _ = replace_directory(out, {"y.csv": lambda p: p.write_text("b\\n")})
    >>> sorted(p.name for p in out.iterdir()), oct(( out / "y.csv").stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    (['y.csv'], True)
    """
    target = Path(target).absolute()
    parent = target.parent
    blocking = file_in_the_way(target)
    if blocking is not None:
        raise OutputError(f"{target}: {blocking} is a file, not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{target}: cannot create the folder it goes in ({exc.strerror or exc})") from None
    recover(target)
    _check_target(target, marker)
    token = secrets.token_hex(4)
    staging = parent / _STAGING.format(name=target.name, pid=os.getpid(), token=token)
    try:
        staging.mkdir()
    except OSError as exc:  # the new set is written beside the old one, in the same folder
        raise OutputError(f"{target}: cannot write in its folder {parent} ({exc.strerror or exc})") from None
    try:
        written = []
        for relative, write in files.items():
            path = staging / relative
            if path.resolve().parent != (staging / Path(relative).parent).resolve() or ".." in Path(relative).parts:
                raise OutputError(f"{relative}: output paths must stay inside the output folder")
            path.parent.mkdir(parents=True, exist_ok=True)
            write(path)
            _fsync_path(path)
            written.append(target / relative)
        for folder in sorted({p.parent for p in staging.rglob("*")} | {staging}, key=lambda p: -len(p.parts)):
            _fsync_path(folder)
        if not target.exists():
            os.rename(staging, target)
        elif _exchange(staging, target):
            shutil.rmtree(staging)  # now the old set
        else:
            old = parent / _OLD.format(name=target.name, pid=os.getpid(), token=token)
            os.rename(target, old)
            os.rename(staging, target)
            shutil.rmtree(old)
        _fsync_path(parent)
        return written
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
