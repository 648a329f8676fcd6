"""Expensive session sites (the documentation site, the rendered reports, the hostile-text site) built
once per test session, also when pytest-xdist runs the session on several worker processes.

Under ``pytest -n N`` every worker is its own process with its own session fixtures; a session fixture
that builds a site would build it once per worker. :func:`built_once` builds it into a folder shared
by the workers (beside their temporary folders), under a file lock with a deadline: the first worker
to ask builds it, the others wait for it and reuse it. A build that failed is not retried by the next
worker: it fails at once with the first worker's message. In a serial run it simply builds.

Example (a fixture in a conftest)::

    @pytest.fixture(scope="session")
    def docs_site(tmp_path_factory):
        return built_once(tmp_path_factory, "docs", build_the_docs, deadline=1200)
"""

from __future__ import annotations

import shutil
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

DONE = ".built"
FAILED = ".failed"


def built_once(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    build: Callable[[Path], Path],
    *,
    deadline: float,
) -> Path:
    """The folder ``build`` filled, built once for the whole (possibly distributed) test session.

    Parameters
    ----------
    tmp_path_factory
        The session's factory: its base folder's parent is shared by the xdist workers of a run.
    name
        The site's name (a folder name).
    build
        Builds the site into the empty folder it is given and returns the path the tests use (the
        folder itself or a subfolder of it); it raises (or fails an assertion) when the build fails.
    deadline
        Seconds a worker waits for another worker's build (and the lock) before it fails.
    """
    base = tmp_path_factory.getbasetemp()
    # Workers of one run have base folders popen-gw0, popen-gw1 … under one parent; a serial run has
    # its own base folder only.
    shared = base.parent if base.name.startswith("popen-gw") else base
    folder = shared / f"site-{name}"
    try:
        with FileLock(str(shared / f"site-{name}.lock"), timeout=deadline):
            if (folder / FAILED).is_file():
                pytest.fail(f"building the {name} site failed in another worker:\n{(folder / FAILED).read_text()}")
            if (folder / DONE).is_file():
                return Path((folder / DONE).read_text(encoding="utf-8"))
            if folder.exists():
                shutil.rmtree(folder)  # a build interrupted half-way
            folder.mkdir(parents=True)
            try:
                result = build(folder)
            except BaseException as exc:
                (folder / FAILED).write_text("".join(traceback.format_exception_only(exc))[-6000:], encoding="utf-8")
                raise
            (folder / DONE).write_text(str(result), encoding="utf-8")
            return result
    except Timeout:
        pytest.fail(f"the {name} site was not built within {deadline:.0f} s (another worker holds its lock)")
