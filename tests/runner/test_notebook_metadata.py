"""Every report notebook names the project's kernel, and its ``kexie`` metadata is what the runner reads."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kexie_research import config
from kexie_research.runner.discover import discover_notebooks
from kexie_research.runner.model import KERNEL_DISPLAY_NAME, KERNEL_NAME, NOTEBOOK_PATTERN

NOTEBOOKS = sorted(p for p in config.notebooks_dir().glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_names_the_project_kernel(path):
    metadata = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert metadata["kernelspec"] == {"display_name": KERNEL_DISPLAY_NAME, "language": "python", "name": KERNEL_NAME}


def test_metadata_script_agrees():
    root = config.repo_root()
    completed = subprocess.run(
        [sys.executable, str(root / "scripts" / "notebook_metadata.py"), "--check", str(root / "notebooks")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_ranges_and_descriptions_are_read():
    found = {info.name: info for info in discover_notebooks()}
    assert found["50_reform_configurations"].parameters["incl_cut"].minimum == 0.5
    assert found["50_reform_configurations"].parameters["incl_cut"].maximum == 1.0
    for info in found.values():
        assert info.title and info.summary, f"{info.name}: no title or summary for the index"
        assert info.estimate > 0
