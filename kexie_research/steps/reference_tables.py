"""Cited reference tables of the frame comparisons and the geography: national benchmarks of frame
indicators (``data/raw/reference/national_benchmarks.csv``) and the seats of all provincial-level units
(``data/raw/reference/provincial_seats.csv``).

Every row carries the URL it was read from and a verbatim quote that holds its number; the build
checks both tables once (one error naming the file and row), analysis code reads
:func:`kexie_research.data.load_national_benchmarks` and :func:`kexie_research.data.load_provincial_seats`.

Example::

    >>> from kexie_research.steps.codebook import read_codebook
    >>> table = benchmarks_step(None, read_codebook()).set_index("benchmark_id")
    >>> float(table.loc["kepu_funding_per_capita_2019", "value"])
    4.7
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError

BENCHMARKS = "national_benchmarks.csv"
PROVINCIAL_SEATS = "provincial_seats.csv"
BENCHMARK_COLUMNS = [
    "benchmark_id",
    "frame_indicator",
    "scope_zh",
    "year",
    "value",
    "unit",
    "source_title",
    "source_url",
    "source_quote",
    "note",
]
SEAT_COLUMNS = [
    "admin_code",
    "province_zh",
    "seat_zh",
    "seat_en",
    "lon",
    "lat",
    "precision",
    "source_url",
    "source_quote",
    "licence",
]


class ReferenceTableError(KexieError, ValueError):
    """A cited reference table is invalid (names the file, the row and what was expected)."""


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise ReferenceTableError(f"{path}: reference table not found") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReferenceTableError(f"{path}: cannot read reference table: {' '.join(str(exc).split())}") from None
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ReferenceTableError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame[columns].copy()


def _sourced(row, where: str) -> None:
    if not row.source_url.startswith(("http://", "https://")) or not row.source_quote.strip():
        raise ReferenceTableError(f"{where}: every row needs an http(s) source_url and a verbatim source_quote")


def _number_in(value: str, quote: str) -> bool:
    """Whether ``value`` is written in ``quote`` as a whole number (4.70 is not found in 14.705)."""
    return re.search(rf"(?<![\d.]){re.escape(value)}(?![\d])", quote) is not None


def benchmarks_step(raw_dir: Path | None, codebook) -> pd.DataFrame:
    """Read and check the national benchmarks of frame indicators.

    Each row names a frame indicator of the codebook, in its unit, a calendar year and a value written
    exactly as in ``source_quote`` (the quote must contain it).

    Returns the columns of :data:`BENCHMARK_COLUMNS`, ``year`` as int and ``value`` as float.

    Examples
    --------
    >>> from kexie_research.steps.codebook import read_codebook
    >>> sorted(set(benchmarks_step(None, read_codebook()).frame_indicator))
    ['citizen_scientific_literacy', 'kepu_funding_per_capita']
    """
    path = (Path(raw_dir) if raw_dir else config.raw_dir()) / config.REFERENCE_DIR / BENCHMARKS
    frame = _read(path, BENCHMARK_COLUMNS)
    duplicated = frame.benchmark_id[frame.benchmark_id.duplicated()]
    if not duplicated.empty:
        raise ReferenceTableError(f"{path}: benchmark_id listed twice: {', '.join(duplicated)}")
    years, values = [], []
    for number, row in enumerate(frame.itertuples(index=False), start=2):  # row 1 is the header
        where = f"{path} row {number} ({row.benchmark_id})"
        if row.frame_indicator not in codebook.frame.index:
            raise ReferenceTableError(
                f"{where}: unknown frame indicator {row.frame_indicator!r}; valid: {', '.join(codebook.frame.index)}"
            )
        expected = codebook.frame.loc[row.frame_indicator, "unit"]
        if row.unit != expected:
            raise ReferenceTableError(
                f"{where}: unit {row.unit!r} differs from the frame indicator's unit {expected!r}"
            )
        if not re.fullmatch(r"(19|20)\d\d", row.year):
            raise ReferenceTableError(f"{where}: year must be a calendar year like 2019, got {row.year!r}")
        try:
            value = float(row.value)
        except ValueError:
            raise ReferenceTableError(f"{where}: value must be a number, got {row.value!r}") from None
        if not math.isfinite(value):
            raise ReferenceTableError(f"{where}: value must be a finite number, got {row.value!r}")
        _sourced(row, where)
        if not _number_in(row.value, row.source_quote):
            raise ReferenceTableError(f"{where}: the value {row.value} is not written in its source_quote")
        years.append(int(row.year))
        values.append(value)
    frame["year"] = pd.Series(years, dtype="int64")
    frame["value"] = pd.Series(values, dtype="float64")
    return frame.sort_values("benchmark_id", ignore_index=True)


def provincial_seats_step(raw_dir: Path | None, divisions: pd.DataFrame) -> pd.DataFrame:
    """Read and check the seats of the provincial-level units: one per province of the division reference.

    Returns the columns of :data:`SEAT_COLUMNS`, ``lon``/``lat`` as floats.

    Examples
    --------
    >>> from kexie_research.steps.places import read_divisions
    >>> seats = provincial_seats_step(None, read_divisions())
    >>> len(seats), seats.set_index("admin_code").loc["340000", "seat_zh"]
    (34, '合肥市')
    """
    path = (Path(raw_dir) if raw_dir else config.raw_dir()) / config.REFERENCE_DIR / PROVINCIAL_SEATS
    frame = _read(path, SEAT_COLUMNS)
    provinces = divisions.loc[divisions.level == "province", "admin_code"].astype(str)
    duplicated = frame.admin_code[frame.admin_code.duplicated()]
    if not duplicated.empty:
        raise ReferenceTableError(f"{path}: admin_code listed twice: {', '.join(duplicated)}")
    lons, lats = [], []
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        where = f"{path} row {number} ({row.admin_code} {row.seat_zh})"
        if row.admin_code not in set(provinces):
            raise ReferenceTableError(
                f"{where}: {row.admin_code!r} is not a provincial-level unit of the division reference"
            )
        try:
            lon, lat = float(row.lon), float(row.lat)
        except ValueError:
            raise ReferenceTableError(
                f"{where}: lon/lat must be decimal degrees, got {row.lon!r}, {row.lat!r}"
            ) from None
        if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ReferenceTableError(f"{where}: ({row.lon}, {row.lat}) is not a WGS84 longitude/latitude pair")
        _sourced(row, where)
        if not (_number_in(row.lon, row.source_quote) and _number_in(row.lat, row.source_quote)):
            raise ReferenceTableError(f"{where}: lon/lat are not written in the source_quote")
        if not row.seat_zh or not row.seat_en or not row.licence:
            raise ReferenceTableError(f"{where}: seat_zh, seat_en and licence are required")
        lons.append(lon)
        lats.append(lat)
    absent = sorted(set(provinces) - set(frame.admin_code))
    if absent:
        raise ReferenceTableError(f"{path}: no seat for provincial-level unit(s) {', '.join(absent)}")
    frame["lon"], frame["lat"] = pd.Series(lons, dtype="float64"), pd.Series(lats, dtype="float64")
    return frame.sort_values("admin_code", ignore_index=True)
