"""Shared fixtures: a private copy of the test dataset's raw folder for tests that break inputs on purpose.

``config.raw_dir()`` is the session's copy of the frozen dataset tests/fixtures/dataset/raw (root
conftest.py), never the live data/raw.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kexie_research import config


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
