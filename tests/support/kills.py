"""Kill a command at a random moment: run ``kexie …`` in a forked child and SIGKILL it after a delay.

A forked child starts with the library already imported, so a kill test of forty runs costs seconds,
not minutes, and its kills land in the command's own work (not in interpreter start-up). The child's
environment can set ``KEXIE_TEST_WRITE_PAUSE`` (see :mod:`kexie_research.atomic`) to stretch each step
of a write, so that kills also land inside the short moments between the steps.
"""

from __future__ import annotations

import functools
import hashlib
import os
import random
import signal
import time
from collections.abc import Callable, Sequence
from pathlib import Path

KILL_DEADLINE = 120.0  # a child still running after this is a hang: killed and reported


@functools.cache
def warm_up() -> None:
    """Load in this process what every command loads on first use (the commands' modules, imported
    by the parser, and the extractor's word segmenter), so that each forked child starts warm and a
    kill lands in the command's work, not in its imports (once per process)."""
    from kexie_research.cli import make_parser
    from kexie_research.extract.places import is_word_in_text

    make_parser()
    is_word_in_text("六安市科协", 0, 2)  # reads the segmenter's dictionary


def run_child(
    argv: Sequence[str],
    env: dict[str, str] | None = None,
    kill_after: float | None = None,
    writing: Callable[[], bool] | None = None,
    timings: dict[str, float] | None = None,
) -> int | None:
    """Run ``kexie argv`` in a forked child; SIGKILL it after ``kill_after`` s (``None``: let it finish).

    With ``writing`` (a check such as "a temporary file is there"), the delay counts from the moment
    the check first holds, so that the kill lands inside the write. Returns the exit status of a
    child that finished, ``None`` for one that was killed.
    """
    warm_up()
    pid = os.fork()
    if pid == 0:  # the child: never return into the test runner
        status = 70
        try:
            os.environ.update(env or {})
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            from kexie_research.cli import main

            status = main(list(argv))
        finally:
            os._exit(status)
    started = time.monotonic()
    limit = KILL_DEADLINE if kill_after is None else kill_after
    waiting = writing is not None and kill_after is not None
    watching = writing is not None and kill_after is None and timings is not None
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            if timings is not None:
                timings["total"] = time.monotonic() - started
                timings["write"] = time.monotonic() - timings.get("write_began", started)
            return os.waitstatus_to_exitcode(status)
        if watching and writing():
            watching, timings["write_began"] = False, time.monotonic()
        if waiting and writing():
            waiting, started = False, time.monotonic()
        if waiting and time.monotonic() - started >= KILL_DEADLINE:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError(f"kexie {' '.join(argv)}: the write it was to be killed in never began")
        if not waiting and time.monotonic() - started >= limit:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            if kill_after is None:
                raise AssertionError(f"kexie {' '.join(argv)} still ran after {KILL_DEADLINE} s")
            return None
        # Quick polls only while the start of a write is awaited; otherwise sleep up to the kill (a
        # busy loop took CPU from the other test process on a two-core machine).
        remaining = limit - (time.monotonic() - started)
        time.sleep(0.0005 if waiting or watching else max(0.0, min(0.005, remaining)))


def timed_run(
    argv: Sequence[str], env: dict[str, str] | None = None, writing: Callable[[], bool] | None = None, expect: int = 0
) -> tuple[float, float]:
    """Seconds an uninterrupted run takes, and those from the moment ``writing`` first holds to its end."""
    timings: dict[str, float] = {}
    status = run_child(argv, env, writing=writing, timings=timings)
    assert status == expect, f"kexie {' '.join(argv)} exited {status}"
    return timings["total"], timings["write"]


def random_delays(count: int, span: float, seed: int) -> list[float]:
    """``count`` delays spread over ``[0, span]`` (uniform, reproducible)."""
    rng = random.Random(seed)
    return [rng.uniform(0, span) for _ in range(count)]


def snapshot(folder: Path, ignore: Sequence[str] = (".kexie.lock",)) -> dict[str, bytes]:
    """Every regular file under ``folder`` (links not followed) by relative path, with its bytes."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.name in ignore:
            continue
        files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def digest(files: dict[str, bytes]) -> str:
    """One hash of a :func:`snapshot`."""
    hasher = hashlib.sha256()
    for name, data in sorted(files.items()):
        hasher.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return hasher.hexdigest()


def restore(folder: Path, files: dict[str, bytes]) -> None:
    """Put ``folder`` back to a :func:`snapshot`: files not in it removed, the others rewritten."""
    for name in set(snapshot(folder)) - set(files):
        (folder / name).unlink()
    for name, data in files.items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
