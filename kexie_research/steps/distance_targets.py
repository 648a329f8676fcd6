"""Cited reference points for policy distances (``data/raw/reference/distance_targets.csv``).

Each point (a provincial government seat, a city centre, a Greater Bay Area city) has WGS84
coordinates, a precision, whether it is approximate, and the source and quote it comes from. This
step checks them once; analysis code reads :func:`kexie_research.data.load_distance_targets`.

Example::

    >>> from kexie_research.steps.distance_targets import distance_targets_step
    >>> t = distance_targets_step().set_index("target_id")
    >>> round(float(t.loc["guangzhou", "lat"]), 2)
    23.13
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError
from kexie_research.schemas.distance_targets import TARGET_COLUMNS


class TargetError(KexieError, ValueError):
    """The reference points are invalid (names the file, the row and what was expected)."""


def distance_targets_step(raw_dir: Path | None = None) -> pd.DataFrame:
    """Read and check the reference points: unique ids, WGS84 coordinates, a source per point.

    Returns the columns of :data:`kexie_research.schemas.distance_targets.TARGET_COLUMNS`, with ``lon``/``lat`` as floats and
    ``approximate`` as a boolean.

    Examples
    --------
    >>> distance_targets_step().approximate.dtype.name
    'bool'
    """
    path = (Path(raw_dir) if raw_dir else config.raw_dir()) / config.REFERENCE_DIR / config.DISTANCE_TARGETS
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise TargetError(f"{path}: cannot read reference points: {' '.join(str(exc).split())}") from exc
    missing = [column for column in TARGET_COLUMNS if column not in frame.columns]
    if missing:
        raise TargetError(f"{path}: missing column(s) {', '.join(missing)}")
    duplicated = frame.target_id[frame.target_id.duplicated()]
    if not duplicated.empty:
        raise TargetError(f"{path}: target_id listed twice: {', '.join(duplicated)}")
    lons, lats, flags = [], [], []
    for number, row in enumerate(frame.itertuples(index=False), start=2):  # row 1 is the header
        where = f"{path} row {number} ({row.target_id})"
        if not row.target_id or not row.target_id.replace("_", "").isalnum() or row.target_id != row.target_id.lower():
            raise TargetError(f"{where}: target_id must be lower-case letters, digits and '_'")
        try:
            lon, lat = float(row.lon), float(row.lat)
        except ValueError as exc:
            raise TargetError(f"{where}: lon/lat must be decimal degrees, got {row.lon!r}, {row.lat!r}") from exc
        if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise TargetError(f"{where}: ({lon}, {lat}) is not a WGS84 longitude/latitude pair")
        if row.approximate not in ("true", "false"):
            raise TargetError(f"{where}: approximate must be 'true' or 'false', got {row.approximate!r}")
        if not row.source_url or not row.source_quote:
            raise TargetError(f"{where}: every reference point needs source_url and source_quote")
        lons.append(lon)
        lats.append(lat)
        flags.append(row.approximate == "true")
    frame = frame[list(TARGET_COLUMNS)].copy()
    frame["lon"], frame["lat"] = pd.Series(lons, dtype="float64"), pd.Series(lats, dtype="float64")
    frame["approximate"] = pd.Series(flags, dtype=bool)
    return frame
