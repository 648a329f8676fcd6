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
    """The repository root if this package runs from a source checkout, else ``None``.

    Examples
    --------
    >>> root = repo_root()
    >>> root is None or (root / "pyproject.toml").is_file()
    True
    """
    candidate = _PACKAGE_DIR.parent
    if (candidate / "data" / "raw" / "sources.yaml").is_file() and (candidate / "pyproject.toml").is_file():
        return candidate
    return None


def data_dir() -> Path:
    """The folder that holds ``raw/`` and ``processed/`` (``KEXIE_DATA_DIR`` if set).

    Examples
    --------
    >>> (data_dir() / "raw").is_dir()
    True
    """
    override = os.environ.get("KEXIE_DATA_DIR")
    if override:
        return Path(override).resolve()
    root = repo_root()
    if root is not None:
        return root / "data"
    return _PACKAGE_DIR / "_data"


def raw_dir() -> Path:
    """Immutable inputs: documents, manifest, coding sheets, codebook, reference data.

    Examples
    --------
    >>> raw_dir().name
    'raw'
    """
    return data_dir() / "raw"


def processed_dir() -> Path:
    """Generated, deterministic outputs of ``kexie build``.

    Examples
    --------
    >>> processed_dir().name
    'processed'
    """
    return data_dir() / "processed"


def notebooks_dir() -> Path:
    """The notebooks folder of a checkout (reports are only run from a checkout).

    Examples
    --------
    >>> notebooks_dir().name
    'notebooks'
    """
    root = repo_root()
    if root is None:
        raise FileNotFoundError("notebooks/ is only available in a source checkout of kexie-research")
    return root / "notebooks"


# ------------------------------------------------------------------------------------------------
# File and folder names: every other module takes its paths from here.
# ------------------------------------------------------------------------------------------------
# data/raw
MANIFEST = "sources.yaml"
CASES = "cases.yaml"
CODEBOOK = "codebook.yaml"
FEATURES = "features.csv"
CONDITIONS = "features_conditions.yaml"
DOCUMENTS_DIR = "documents"
SHEETS_DIR = "indicators"
#: Second coders' sheets (``<source_id>.csv``), for reliability only: never data rows.
SECOND_CODER_DIR = "indicators/second_coder"
REFERENCE_DIR = "reference"
TEXT_DIR = "text"
GEO_DIR = "geo"
DIVISIONS = "divisions.csv"
PLACE_FILES = ("places_2020.csv", "places_extra.csv")
PLACE_ALIASES = "place_aliases.csv"
DISTANCE_TARGETS = "distance_targets.csv"
TIMELINE = "reform_timeline.csv"
DOMAIN_TERMS = "domain_terms.txt"
LEXICON = "emphasis_lexicon.yaml"
LAYOUT = "layout.yaml"

# data/processed: one file per table (see kexie_research.data for the loaders)
PROCESSED_FILES = {
    "indicators": "indicators.csv",
    "indicators_parquet": "indicators.parquet",
    "quarantine": "quarantine.csv",
    "cases": "cases.csv",
    "distance_pairs": "distance_pairs.csv",
    "places": "places.csv",
    "divisions": "divisions.csv",
    "codebook": "codebook.csv",
    "dimensions": "dimensions.csv",
    "units": "units.csv",
    "frame": "frame.csv",
    "frame_sources": "frame_sources.csv",
    "timeline": "timeline.csv",
    "features": "features.csv",
    "conditions": "conditions.csv",
    "documents": "documents.parquet",
    "lexicon": "lexicon.csv",
    "domain_terms": "domain_terms.txt",
    "layout": "layout.json",
    "distance_targets": "distance_targets.csv",
    "national_benchmarks": "national_benchmarks.csv",
    "provincial_seats": "provincial_seats.csv",
    "reliability": "reliability.csv",
    "datapackage": "datapackage.json",
}


def raw_path(*parts: str) -> Path:
    """A path under ``data/raw`` (``raw_path("reference", "places_2020.csv")``).

    Examples
    --------
    >>> raw_path("sources.yaml").name
    'sources.yaml'
    """
    return raw_dir().joinpath(*parts)


def processed_path(key: str, processed: Path | None = None) -> Path:
    """The path of one processed table by its key in :data:`PROCESSED_FILES`.

    Examples
    --------
    >>> processed_path("cases").name
    'cases.csv'
    """
    return (Path(processed) if processed else processed_dir()) / PROCESSED_FILES[key]
