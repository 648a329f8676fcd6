"""Reports opened in a real browser: Debian's Chromium, driven by Playwright for Python.

The report notebooks run once per session (every notebook, one case, two at a time) into a
temporary folder; each page is then opened from disk. Chromium is never downloaded: the tests use
``/usr/bin/chromium`` (``apt-get install -y chromium``), or ``KEXIE_CHROMIUM``. Without it the tests
are skipped, except in CI (``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

# The `chromium` and `browser` fixtures are in tests/conftest.py: one Playwright for the whole session
# (a second sync_playwright() in the same session refuses to start).

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.built_once import built_once

SCREENSHOT_KEY = pytest.StashKey[Path]()


def system_cjk_fonts() -> list[str]:
    """The CJK fonts fontconfig knows (the tests expect none, but stay valid with some)."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.strip() for line in listed.splitlines() if line.strip()})


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

    def build(folder: Path) -> Path:
        out = folder / "reports"
        summary = run_reports(output_dir=out, cases=case_keys()[:1], jobs=2, progress=False)
        # Whether the analyses succeed is for tests/notebooks; here every run must have produced a page
        # (a failed run's page shows the cells run so far and the error), and the pages are checked.
        assert all(r.html for r in summary.results), [f"{r.run_name}: {r.error}" for r in summary.results if not r.html]
        for result in summary.failed:
            print(f"note: {result.run_name} failed ({result.error}); its page is checked all the same")
        return out

    return built_once(tmp_path_factory, "reports", build, deadline=1800)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    screenshot = config.stash.get(SCREENSHOT_KEY, None)
    if screenshot is not None:
        terminalreporter.write_line(f"browser screenshot of a report: {screenshot}")


# ------------------------------------------------------------------------------------------------
# Hostile text: a copy of data/raw whose free-text fields all carry markup, built, reported and
# documented once per session (tests/browser/test_hostile_text.py).

HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "[click](javascript:alert(1))",
    "{{7*7}} }}",
    "`tick` ``two``",
    "{raw}`<b>role</b>`",
)
# The free-text fields of each YAML file of data/raw (ids, codes, dates, colours and quotes that must
# occur in a document are left alone: the build checks them, and they are not text a page shows).
HOSTILE_FIELDS = {
    "sources.yaml": ("sources", ("title_zh", "title_en", "genre", "outlet", "reference_date_rule")),
    "cases.yaml": ("cases", ("name_zh", "name_en", "model_en")),
    "features_conditions.yaml": ("conditions", ("zh", "en", "definition", "rule", "calibration")),
    "codebook.yaml": ("indicators", ("zh", "en", "definition")),
}


#: The documentation pages that show data (the index is always built too).
HOSTILE_DOCS_PAGES = ("data-dictionary.md",)


def make_hostile(raw: Path) -> int:
    """Append a hostile string to every free-text field of the YAML files of ``raw``; return how many."""
    import itertools

    import yaml

    strings = itertools.cycle(HOSTILE)
    changed = 0

    def spoil(record: dict, fields) -> None:
        nonlocal changed
        for field in fields:
            if isinstance(record.get(field), str):
                record[field] = f"{record[field]} {next(strings)}".strip()
                changed += 1

    for name, (key, fields) in HOSTILE_FIELDS.items():
        path = raw / name
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for record in document[key]:
            spoil(record, fields)
        if name == "codebook.yaml":  # dimension and unit labels too
            for group in ("dimensions", "units"):
                for record in document[group].values():
                    spoil(record, ("zh", "en"))
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return changed


def _run(command: list[str], env: dict, cwd: Path, timeout: float) -> None:
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory, chromium) -> dict[str, Path]:
    """data/raw with hostile text everywhere → build → every report (one case) → docs: the folders."""
    import sys

    import yaml

    from kexie_research import config

    root = config.repo_root()

    def build(base: Path) -> Path:
        shutil.copytree(root / "data" / "raw", base / "data" / "raw")
        assert make_hostile(base / "data" / "raw") > 50
        env = {**os.environ, "KEXIE_DATA_DIR": str(base / "data"), "PYTHONPATH": str(root)}
        kexie = [sys.executable, "-m", "kexie_research"]
        _run([*kexie, "build"], env, root, 900)
        case = yaml.safe_load((base / "data" / "raw" / "cases.yaml").read_text(encoding="utf-8"))["cases"][0]["case"]
        _run(
            [*kexie, "report", "--output-dir", str(base / "reports"), "--cases", case, "--jobs", "2", "--no-progress"],
            env,
            root,
            1500,
        )
        # Only the pages the test opens (those that show data), with the project's configuration and
        # theme: the other pages (the API reference above all) show no data, and building them again
        # would double the cost of the session's documentation build.
        kept = {"index.md", *HOSTILE_DOCS_PAGES}
        excluded = ["_build", "_autosummary", "**.ipynb_checkpoints"]
        excluded += sorted(path.name for path in (root / "docs").glob("*.md") if path.name not in kept)
        _run(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-q",
                "-E",
                "-b",
                "html",
                "-D",
                "exclude_patterns=" + ",".join(excluded),
                "-D",
                "autosummary_generate=0",
                "-d",
                str(base / "doctrees"),
                str(root / "docs"),
                str(base / "docs"),
            ],
            env,
            root,
            1200,
        )
        return base

    base = built_once(tmp_path_factory, "hostile", build, deadline=3600)
    return {"reports": base / "reports", "docs": base / "docs", "data": base / "data"}


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where the browser tests keep their screenshots for a person to look at: ``screenshots/`` of
    the session's pytest folder (``--basetemp``), never the checkout."""
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder
