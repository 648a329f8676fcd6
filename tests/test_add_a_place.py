"""Adding a place by the README procedure keeps the tests green — shown on a temporary copy of the LIVE data.

The software's tests run on the frozen fixture dataset, so a new place in data/raw cannot touch them;
the checks of the live data (tests/test_live_data.py) read their expectations from the data. This
test adds a synthetic place (tests/support/add_place.py: `kexie add-source`, the coding sheet,
`kexie validate`, `kexie build`; Yichang, or another prefecture when the live data already has
Yichang) to a copy of the live data/raw and runs those live checks on
the copy in a separate pytest: they must pass. Then it breaks the copy's committed data/processed
and the same checks must fail, naming the stale file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from add_place import AddedPlace, add_synthetic_place
from live_data import LIVE_DATA_ENV, live_data_dir

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def _live_checks(data: Path, *selection: str) -> subprocess.CompletedProcess:
    env = {**os.environ, LIVE_DATA_ENV: str(data), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(ROOT / "tests" / "test_live_data.py"),
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=--strict-markers --import-mode=importlib",
            *selection,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AddedPlace]:
    """A copy of the live data/raw with one more (synthetic) place added and built."""
    live = live_data_dir()
    data = tmp_path_factory.mktemp("grown") / "data"
    shutil.copytree(live / "raw", data / "raw", ignore=shutil.ignore_patterns("geo"))
    (data / "raw" / "geo").symlink_to((live / "raw" / "geo").resolve(), target_is_directory=True)  # read only
    return data, add_synthetic_place(data)


def test_live_checks_pass_after_adding_a_place(grown: tuple[Path, AddedPlace]):
    data, added = grown
    before = pd.read_csv(live_data_dir() / "processed" / "cases.csv", dtype=str)["case"].tolist()
    after = pd.read_csv(data / "processed" / "cases.csv", dtype=str)["case"].tolist()
    # the copy really has one place more than the live data
    assert before and added.case not in before and sorted(after) == sorted([*before, added.case])
    completed = _live_checks(data)
    summary = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else completed.stderr
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    assert re.search(r"\b\d+ passed\b", summary) and "skipped" not in summary and "failed" not in summary, summary


def test_live_checks_fail_on_a_stale_processed_table(grown: tuple[Path, AddedPlace], tmp_path: Path):
    data, added = grown
    stale = tmp_path / "data"
    shutil.copytree(data, stale, symlinks=True)
    cases = stale / "processed" / "cases.csv"
    lines = cases.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(f"{added.case},")]
    assert len(kept) == len(lines) - 1
    cases.write_text("".join(kept), encoding="utf-8")  # the new place's row lost
    completed = _live_checks(stale, "-k", "committed or cases_are")
    assert completed.returncode == 1, completed.stdout[-4000:]
    assert "2 failed" in completed.stdout and "cases.csv" in completed.stdout, completed.stdout[-4000:]
