"""The bilingual codebook (``data/raw/codebook.yaml``): indicators, reform dimensions, units and the frame.

The frame is the second, cross-place level: each case-specific indicator names the frame indicator it
is an instance of (``frame``) or ``none`` with a ``frame_note`` saying why (:mod:`kexie_research.steps.frame`).

Example::

    >>> from kexie_research import load_codebook
    >>> cb = load_codebook()
    >>> cb.indicator("kexie_annual_work_budget")["unit"]
    'CNY'
    >>> cb.dimensions.loc["funding", "zh"]
    '经费保障'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError
from kexie_research.steps.frame import check_indicator_frame, empty_frame, empty_frame_sources, read_frame
from kexie_research.steps.sources import read_yaml_mapping, yaml_kind

CODEBOOK_NAME = "codebook.yaml"
INDICATOR_FIELDS = ("id", "zh", "en", "dimension", "unit", "definition")
# The frame fields of an indicator: the frame indicator's id (or "none") and why not.
FRAME_FIELDS = ("frame", "frame_note")

# How a unit read off the text (by the classifier, see kexie_research.parse.quantities) may be refined
# by an indicator's unit. 个 gives the generic "count"; the codebook says what is counted. 人次
# (person_time) counts attendances, so it is kept apart from persons and from events.
COMPATIBLE_UNITS: dict[str, set[str]] = {
    "count": {"organisation", "place", "item", "person", "event", "number"},
    "number": {"number", "organisation", "place", "item", "person", "person_time", "event", "household", "year"},
    "CNY": {"CNY", "CNY_per_capita"},
    "organisation": {"organisation", "place"},
}
# Units of counted things: any of them may be coded under a dimensionless "number" indicator.
COUNT_UNITS = {"count", "organisation", "place", "item", "person", "person_time", "event", "household"}
# Conversions applied when a parsed unit is coded under another indicator unit: a fraction in the
# text (三分之一, a share of 1) is harmonised to percent where the indicator compares percentages;
# areas, lengths, masses and durations to the indicator's unit (1 亩 = 10,000/15 square metres).
UNIT_FACTORS: dict[tuple[str, str], float] = {
    ("share", "percent"): 100.0,
    ("mu", "square_metre"): 10_000 / 15,
    ("hectare", "square_metre"): 10_000.0,
    ("square_kilometre", "square_metre"): 1_000_000.0,
    ("mu", "hectare"): 1 / 15,
    ("kilometre", "metre"): 1_000.0,
    ("tonne", "kilogram"): 1_000.0,
    ("minute", "hour"): 1 / 60,
    ("hour", "minute"): 60.0,
    ("week", "day"): 7.0,
}


class CodebookError(KexieError):
    """The codebook is malformed (names the entry and the problem)."""


@dataclass(frozen=True)
class Codebook:
    """Indicators, dimensions and units as DataFrames indexed by id.

    Examples
    --------
    >>> cb = read_codebook()
    >>> cb.units.loc["person_time", "zh"]
    '人次'
    >>> cb.unit_accepts("percent", "share"), cb.unit_factor("share", "percent")
    (True, 100.0)
    """

    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    units: pd.DataFrame
    version: int
    frame: pd.DataFrame = field(default_factory=lambda: empty_frame())
    frame_sources: pd.DataFrame = field(default_factory=lambda: empty_frame_sources())

    def indicator(self, indicator_id: str) -> pd.Series:
        """One indicator's row; :class:`CodebookError` listing near ids if unknown."""
        if indicator_id not in self.indicators.index:
            raise CodebookError(f"unknown indicator_id {indicator_id!r} (not in {CODEBOOK_NAME})")
        return self.indicators.loc[indicator_id]

    def unit_accepts(self, indicator_unit: str, parsed_unit: str) -> bool:
        """Whether a value parsed with ``parsed_unit`` may be coded under ``indicator_unit``."""
        return (
            parsed_unit == indicator_unit
            or (indicator_unit == "number" and parsed_unit in COUNT_UNITS)
            or indicator_unit in COMPATIBLE_UNITS.get(parsed_unit, set())
            or (parsed_unit, indicator_unit) in UNIT_FACTORS
        )

    @staticmethod
    def unit_factor(parsed_unit: str, indicator_unit: str) -> float:
        """Multiplier from a parsed value to the indicator's unit (1 unless a conversion applies)."""
        return UNIT_FACTORS.get((parsed_unit, indicator_unit), 1.0)


def read_codebook(raw_dir: Path | None = None) -> Codebook:
    """Read and check the codebook: unique ids, required fields, known dimensions and units.

    Parameters
    ----------
    raw_dir : pathlib.Path, optional
        Folder holding ``codebook.yaml``; default: the project's ``data/raw``.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        The file cannot be read, or an entry lacks a field, repeats an id or names an unknown
        dimension, unit or frame indicator; a ``frame: none`` lacks its ``frame_note``; the frame
        indicator's unit differs from the indicator's.

    Examples
    --------
    >>> read_codebook().indicator("kexie_annual_work_budget")["unit"]
    'CNY'
    """
    path = (Path(raw_dir) if raw_dir else config.raw_dir()) / CODEBOOK_NAME
    content = read_yaml_mapping(path, CodebookError, "codebook")
    dimensions = _labelled_table(content, "dimensions", path)
    units = _labelled_table(content, "units", path)
    frame, frame_sources = read_frame(content, path, set(units.index), CodebookError)
    rows = content.get("indicators")
    if not isinstance(rows, list) or not rows:
        raise CodebookError(
            f"{path}: `indicators` must be a non-empty list of entries ({', '.join(INDICATOR_FIELDS)}), "
            f"found {_shown(rows)}"
        )
    seen: set[str] = set()
    for number, entry in enumerate(rows, start=1):
        if not isinstance(entry, dict):
            raise CodebookError(
                f"{path}: indicator #{number} must be a mapping of {', '.join(INDICATOR_FIELDS)}, found {_shown(entry)}"
            )
        where = f"{path}: indicator #{number} ({entry.get('id', '?')})"
        missing = [field for field in INDICATOR_FIELDS if not entry.get(field)]
        if missing:
            raise CodebookError(f"{where} lacks {', '.join(missing)}")
        not_text = [field for field in INDICATOR_FIELDS if not isinstance(entry[field], str)]
        if not_text:
            raise CodebookError(
                f"{where}: {', '.join(not_text)} must be text, found "
                + ", ".join(_shown(entry[field]) for field in not_text)
            )
        if entry["id"] in seen:
            raise CodebookError(f"{where}: duplicate id")
        seen.add(entry["id"])
        if entry["dimension"] not in dimensions.index:
            raise CodebookError(
                f"{where}: unknown dimension {entry['dimension']!r}; valid: {', '.join(dimensions.index)}"
            )
        if entry["unit"] not in units.index:
            raise CodebookError(f"{where}: unknown unit {entry['unit']!r}; valid: {', '.join(units.index)}")
        check_indicator_frame(entry, frame, where, CodebookError)
    indicators = pd.DataFrame(rows, columns=[*INDICATOR_FIELDS, *FRAME_FIELDS]).set_index("id", drop=False)
    indicators["frame_note"] = indicators["frame_note"].fillna("").astype(str)
    version = content.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise CodebookError(f"{path}: `version` must be a whole number from 1, found {_shown(version)}")
    return Codebook(
        indicators=indicators,
        dimensions=dimensions,
        units=units,
        version=version,
        frame=frame,
        frame_sources=frame_sources,
    )


def _shown(value: object) -> str:
    """A value as an error message quotes it: its YAML kind and a short repr."""
    text = repr(value)
    return yaml_kind(value) if value is None else f"{yaml_kind(value)} {text if len(text) <= 60 else text[:57] + '...'}"


def _labelled_table(content: dict, section: str, path: Path) -> pd.DataFrame:
    """``dimensions`` or ``units``: a mapping of id -> {zh, en}, as a table indexed by id."""
    entries = content.get(section)
    if not isinstance(entries, dict) or not entries:
        raise CodebookError(
            f"{path}: `{section}` must be a non-empty mapping of id -> {{zh: ..., en: ...}}, found {_shown(entries)}"
        )
    for key, value in entries.items():
        if not isinstance(key, str):
            raise CodebookError(f"{path}: {section}: the id {key!r} must be text")
        if not isinstance(value, dict) or not all(
            isinstance(value.get(label), str) and value[label] for label in ("zh", "en")
        ):
            raise CodebookError(
                f"{path}: {section}.{key} must be a mapping with text zh and en labels, found {_shown(value)}"
            )
    return pd.DataFrame([{"id": key, **value} for key, value in entries.items()]).set_index("id", drop=False)
