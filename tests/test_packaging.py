"""`pip install .` gives the library, its data files and the `kexie` command."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

from kexie_research import config

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    root = config.repo_root()
    out = tmp_path_factory.mktemp("wheel")
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(root)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    return next(out.glob("kexie_research-*.whl"))


def test_wheel_carries_library_data_and_console_script(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "kexie = kexie_research.cli:main" in archive.read(entry_points).decode()
    assert "kexie_research/build.py" in names
    assert "kexie_research/ingest/radicals_supplement.txt" in names  # read at run time by the ideograph repair
    assert "kexie_research/_data/processed/indicators.parquet" in names
    assert "kexie_research/_data/raw/sources.yaml" in names
    assert any(n.startswith("kexie_research/_data/raw/documents/") and n.endswith(".txt") for n in names)


def test_installed_package_loads_its_own_data(wheel, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    code = (
        "import kexie_research as kr, kexie_research.config as p; "
        "assert p.repo_root() is None, p.repo_root(); "
        "print(len(kr.load_indicators()), len(kr.load_documents()))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0, completed.stderr
    rows, documents = map(int, completed.stdout.split())
    # the wheel carries the checkout's live data (not the test dataset): expectations read from it
    live = config.repo_root() / "data"
    manifest = yaml.safe_load((live / "raw" / config.MANIFEST).read_text(encoding="utf-8"))["sources"]
    live_rows = len(pd.read_csv(config.processed_path("indicators", live / "processed"), dtype=str))
    assert (rows, documents) == (live_rows, len(manifest)) and rows > 0
