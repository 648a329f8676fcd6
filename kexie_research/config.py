"""Where the data lives, from a source checkout or from an installed wheel.

In a checkout (including an editable install) the repository's own ``data/`` folder is used, so
``kexie build`` writes where ``git`` sees it. An installed wheel carries a copy of ``data/raw`` and
``data/processed`` inside the package (``kexie_research/_data``). ``KEXIE_DATA_DIR`` overrides both.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def repo_root() -> Path | None:
    """The repository root if this package runs from a source checkout, else ``None``."""
    candidate = _PACKAGE_DIR.parent
    if (candidate / "data" / "raw" / "sources.yaml").is_file() and (candidate / "pyproject.toml").is_file():
        return candidate
    return None


def data_dir() -> Path:
    """The folder that holds ``raw/`` and ``processed/``."""
    override = os.environ.get("KEXIE_DATA_DIR")
    if override:
        return Path(override).resolve()
    root = repo_root()
    if root is not None:
        return root / "data"
    return _PACKAGE_DIR / "_data"


def raw_dir() -> Path:
    """Immutable inputs: documents, manifest, coding sheets, codebook, reference data."""
    return data_dir() / "raw"


def processed_dir() -> Path:
    """Generated, deterministic outputs of ``kexie build``."""
    return data_dir() / "processed"


def notebooks_dir() -> Path:
    """The notebooks folder of a checkout (reports are only run from a checkout)."""
    root = repo_root()
    if root is None:
        raise FileNotFoundError("notebooks/ is only available in a source checkout of kexie-research")
    return root / "notebooks"
