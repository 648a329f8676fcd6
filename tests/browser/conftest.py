"""Reports opened in a real browser: Debian's Chromium, driven by Playwright for Python.

The report notebooks run once per session (every notebook, one case, two at a time) into a
temporary folder; each page is then opened from disk. Chromium is never downloaded: the tests use
``/usr/bin/chromium`` (``apt-get install -y chromium``), or ``KEXIE_CHROMIUM``. Without it the tests
are skipped, except in CI (``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOT_KEY = pytest.StashKey[Path]()


def chromium_path() -> Path | None:
    """The system Chromium, if installed."""
    candidate = os.environ.get("KEXIE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return Path(candidate) if Path(candidate).is_file() else None


def system_cjk_fonts() -> list[str]:
    """The CJK fonts fontconfig knows (the tests expect none, but stay valid with some)."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.strip() for line in listed.splitlines() if line.strip()})


@pytest.fixture(scope="session")
def chromium() -> Path:
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


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory, chromium) -> Path:
    """All report notebooks run once (one case, two at a time) into a session folder.

    ``KEXIE_TEST_REPORTS_DIR`` points the tests at an existing report folder instead (quicker
    when working on the pages).
    """
    existing = os.environ.get("KEXIE_TEST_REPORTS_DIR")
    if existing:
        return Path(existing)
    from kexie_research import config
    from kexie_research.runner.command import run_reports
    from kexie_research.runner.plan import case_keys

    if not (config.processed_dir() / "indicators.parquet").is_file():
        pytest.fail(f"{config.processed_dir()} has no dataset: run `kexie build` first")
    out = tmp_path_factory.mktemp("browser") / "reports"
    summary = run_reports(output_dir=out, cases=case_keys()[:1], jobs=2, progress=False)
    # Whether the analyses succeed is for tests/notebooks; here every run must have produced a page
    # (a failed run's page shows the cells run so far and the error), and the pages are checked.
    assert all(r.html for r in summary.results), [f"{r.run_name}: {r.error}" for r in summary.results if not r.html]
    for result in summary.failed:
        print(f"note: {result.run_name} failed ({result.error}); its page is checked all the same")
    return out


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    screenshot = config.stash.get(SCREENSHOT_KEY, None)
    if screenshot is not None:
        terminalreporter.write_line(f"browser screenshot of a report: {screenshot}")
