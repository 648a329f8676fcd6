"""Loaders of the processed dataset, for notebooks and for users of the installed package.

Example::

    >>> from kexie_research import load_indicators
    >>> df = load_indicators()
    >>> df.loc[df.record_id == "WZ-003", ["raw_text", "value", "unit"]].to_dict("records")  # doctest: +SKIP
    [{'raw_text': '20.52万元', 'value': 205200.0, 'unit': 'CNY'}]
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError
from kexie_research.schemas.indicators import QUARANTINE_COLUMNS


def _processed(name: str, processed_dir: Path | None) -> Path:
    path = (Path(processed_dir) if processed_dir else config.processed_dir()) / name
    if not path.is_file():
        raise KexieError(f"{path} not found: run `kexie build` first to generate data/processed/")
    return path


def load_indicators(processed_dir: Path | None = None) -> pd.DataFrame:
    """The processed indicator table: one row per coded fact, each with its verbatim quote."""
    return pd.read_parquet(_processed("indicators.parquet", processed_dir))


def load_quarantine(processed_dir: Path | None = None) -> pd.DataFrame:
    """Coded rows that failed a check, with ``reason`` (empty table when all rows passed)."""
    frame = pd.read_csv(_processed("quarantine.csv", processed_dir), dtype=str, keep_default_na=False)
    frame["row"] = pd.to_numeric(frame["row"], errors="coerce").astype("Int64")
    return frame.reindex(columns=QUARANTINE_COLUMNS)
