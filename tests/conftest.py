"""Shared fixtures: a private copy of the test dataset's raw folder for tests that break inputs on purpose.

``config.raw_dir()`` is the session's copy of the frozen dataset tests/fixtures/dataset/raw (root
conftest.py), never the live data/raw.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kexie_research import config
from tests.support.built_once import built_once


@pytest.fixture()
def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of the test dataset's raw folder (documents, sheets, codebook, reference) in a temp folder."""
    target = tmp_path / "raw"
    shutil.copytree(config.raw_dir(), target, ignore=shutil.ignore_patterns("geo"))
    # the boundary layers (a few MB) are only read: linked, not copied
    (target / "geo").symlink_to(config.raw_dir() / "geo", target_is_directory=True)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """One real build of the test dataset into a temp folder (shared by the tests of a session)."""
    from kexie_research.build import build

    out = tmp_path_factory.mktemp("processed")
    return build(out_dir=out, echo=None), out


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation site, built once per test session (one build shared by the xdist workers)
    with warnings as errors (``KEXIE_TEST_DOCS_DIR`` points at an existing build instead); shared by
    tests/test_docs.py and the browser tests."""
    import subprocess
    import sys

    pytest.importorskip("sphinx")
    existing = os.environ.get("KEXIE_TEST_DOCS_DIR")
    if existing:
        return Path(existing)
    root = config.repo_root()

    def build(base: Path) -> Path:
        command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-E", "-b", "html"]
        result = subprocess.run(
            [*command, "-d", str(base / "doctrees"), str(root / "docs"), str(base / "html")],
            capture_output=True,
            text=True,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
            timeout=1200,
        )
        assert result.returncode == 0, f"sphinx-build failed (warnings are errors):\n{result.stderr[-6000:]}"
        return base / "html"

    return built_once(tmp_path_factory, "docs", build, deadline=1500)


# --- the real browser (Debian's Chromium driven by Playwright), one for the whole session ----------
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> Path | None:
    """The system Chromium, if installed (``KEXIE_CHROMIUM`` overrides)."""
    candidate = os.environ.get("KEXIE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return Path(candidate) if Path(candidate).is_file() else None


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; skipped without it, except in CI (``CI=true``), where that is a failure."""
    path = chromium_path()
    if path is None:
        message = "Chromium not found at /usr/bin/chromium (install it with `apt-get install -y chromium`)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}: required in CI")
        pytest.skip(message)
    try:
        import playwright  # noqa: F401
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("playwright is not installed: required in CI (pip install -e '.[dev]')")
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    return path


def _open_pipes() -> set[int]:
    """This process's open pipe descriptors (Linux; empty elsewhere)."""
    folder = Path("/proc/self/fd")
    pipes = set()
    for name in os.listdir(folder) if folder.is_dir() else ():
        try:
            if os.readlink(folder / name).startswith("pipe:"):
                pipes.add(int(name))
        except OSError:  # closed meanwhile
            pass
    return pipes


_PLAYWRIGHT_DESCRIPTORS: set[int] = set()


def _close_playwright_descriptors_in_child() -> None:
    for descriptor in _PLAYWRIGHT_DESCRIPTORS:
        try:
            os.close(descriptor)
        except OSError:
            pass


def _close_in_forked_children(descriptors: set[int]) -> None:
    """Close the Playwright driver's pipes in every process forked from this one (Dask's forked
    workers of the extraction tests, the kill tests' children). Playwright stops its driver by
    closing the driver's stdin and waiting for it to exit; a forked child still holding that pipe
    would keep the driver, and the end of the test session, waiting for ever."""
    if not _PLAYWRIGHT_DESCRIPTORS and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_close_playwright_descriptors_in_child)
    _PLAYWRIGHT_DESCRIPTORS.update(descriptors)


@pytest.fixture(scope="session")
def browser(chromium):
    """One launched Chromium for every browser test of the session (reports, docs, review page)."""
    from playwright.sync_api import sync_playwright

    before = _open_pipes()
    with sync_playwright() as playwright:
        _close_in_forked_children(_open_pipes() - before)
        launched = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            yield launched
        finally:
            launched.close()
