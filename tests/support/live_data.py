"""Where the LIVE data is for the checks of tests/test_live_data.py (and tests/test_add_a_place.py).

Every other test reads the frozen fixture dataset through ``KEXIE_DATA_DIR`` (root conftest.py); the
live checks read ``config.repo_root() / "data"`` explicitly, or ``$KEXIE_LIVE_DATA_DIR`` when set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kexie_research import config

LIVE_DATA_ENV = "KEXIE_LIVE_DATA_DIR"


def live_data_dir() -> Path:
    """The live data folder: ``$KEXIE_LIVE_DATA_DIR`` or the checkout's ``data/`` (skip without one)."""
    override = os.environ.get(LIVE_DATA_ENV)
    if override:
        return Path(override).resolve()
    root = config.repo_root()
    if root is None:
        pytest.skip("no live data/: not a source checkout (set KEXIE_LIVE_DATA_DIR)")
    return root / "data"
