"""The frame of cross-place indicators in ``data/raw/codebook.yaml`` (sections ``frame_sources``,
``frame_categories`` and ``frame``), and the link of every case-specific indicator to it.

A frame indicator is defined once for all places, after the field's statistical standards (the
national science-popularisation statistics, CAST's statistics of local kexie organisations): what it
counts, what it does not count, its unit, and the sources it follows. A case-specific indicator names
the frame indicator it is an instance of (``frame: <id>``, same unit) or ``frame: none`` with a
``frame_note`` saying why.

Example::

    >>> from kexie_research.steps.codebook import read_codebook
    >>> cb = read_codebook()
    >>> cb.frame.loc["kepu_funding_per_capita", "unit"]
    'CNY_per_capita'
    >>> cb.indicators.loc["science_popularisation_funding_per_capita", "frame"]
    'kepu_funding_per_capita'
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from kexie_research.steps.sources import yaml_kind

FRAME_NONE = "none"
FRAME_COLUMNS = (
    "id",
    "zh",
    "en",
    "category",
    "category_zh",
    "category_en",
    "standard",
    "unit",
    "definition",
    "counts",
    "does_not_count",
    "sources",
    "terms",
    "not_terms",
)
# Optional lists of Chinese words read by `kexie extract`'s frame suggestions: ``terms`` name the frame
# indicator when they are the noun of a number (乡镇科协, 科普志愿者), ``not_terms`` rule it out there.
FRAME_TERM_FIELDS = ("terms", "not_terms")
FRAME_TEXT_FIELDS = ("id", "zh", "en", "category", "unit", "definition", "counts", "does_not_count")
SOURCE_COLUMNS = ("id", "title", "url", "quote")
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")


def empty_frame() -> pd.DataFrame:
    """A frame with no indicators (the columns of :data:`FRAME_COLUMNS`, indexed by id).

    Examples
    --------
    >>> list(empty_frame().columns)[:3]
    ['id', 'zh', 'en']
    """
    return pd.DataFrame(columns=list(FRAME_COLUMNS)).set_index("id", drop=False)


def empty_frame_sources() -> pd.DataFrame:
    """A table of frame sources with no rows (id, title, url, quote).

    Examples
    --------
    >>> list(empty_frame_sources().columns)
    ['id', 'title', 'url', 'quote']
    """
    return pd.DataFrame(columns=list(SOURCE_COLUMNS)).set_index("id", drop=False)


def _shown(value: object) -> str:
    """A value as an error message quotes it: its YAML kind and a short repr."""
    text = repr(value)
    return yaml_kind(value) if value is None else f"{yaml_kind(value)} {text if len(text) <= 60 else text[:57] + '...'}"


def read_frame(content: dict, path: Path, units: set[str], error: type[Exception]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and check the frame sections of a parsed codebook.

    Parameters
    ----------
    content : dict
        The parsed codebook.
    path : pathlib.Path
        The codebook's path, named in errors.
    units : set of str
        The codebook's unit ids.
    error : type
        The exception raised for a malformed frame (the codebook's error class).

    Returns
    -------
    (frame, sources) : tuple of pandas.DataFrame
        The frame indicators (columns :data:`FRAME_COLUMNS`, ``sources`` as ``;``-joined ids, the
        optional ``terms`` and ``not_terms`` as ``;``-joined words, empty when not given) and
        their sources (id, title, url, quote), both indexed by id.

    Raises
    ------
    error
        A section is missing or malformed, an id repeats or is not snake_case, a category, unit or
        source is unknown, ``terms`` or ``not_terms`` is not a list of words.

    Examples
    --------
    >>> content = {"frame_sources": {"s": {"title": "T", "url": "https://x", "quote": "q"}},
    ...            "frame_categories": {"c": {"zh": "类", "en": "C", "standard": "S"}},
    ...            "frame": [{"id": "a", "zh": "甲", "en": "A", "category": "c", "unit": "person", "definition": "d",
    ...                       "counts": "x", "does_not_count": "y", "sources": ["s"]}]}
    >>> frame, sources = read_frame(content, Path("codebook.yaml"), {"person"}, ValueError)
    >>> frame.loc["a", "category_en"], sources.loc["s", "url"]
    ('C', 'https://x')
    """
    sources = content.get("frame_sources")
    if not isinstance(sources, dict) or not sources:
        raise error(
            f"{path}: `frame_sources` must be a non-empty mapping of id -> {{title, url, quote}}, found {_shown(sources)}"
        )
    source_rows = []
    for key, entry in sources.items():
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(f), str) and entry[f].strip() for f in SOURCE_COLUMNS[1:]
        ):
            raise error(
                f"{path}: frame_sources.{key} must be a mapping with text title, url and quote, found {_shown(entry)}"
            )
        if not str(entry["url"]).startswith(("http://", "https://")):
            raise error(
                f"{path}: frame_sources.{key}: url must start with http:// or https://, found {_shown(entry['url'])}"
            )
        source_rows.append({"id": str(key), **{f: entry[f] for f in SOURCE_COLUMNS[1:]}})
    categories = content.get("frame_categories")
    if not isinstance(categories, dict) or not categories:
        raise error(
            f"{path}: `frame_categories` must be a non-empty mapping of id -> {{zh, en, standard}}, found {_shown(categories)}"
        )
    for key, entry in categories.items():
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(f), str) and entry[f] for f in ("zh", "en", "standard")
        ):
            raise error(
                f"{path}: frame_categories.{key} must be a mapping with text zh, en and standard, found {_shown(entry)}"
            )
    rows = content.get("frame")
    if not isinstance(rows, list) or not rows:
        raise error(
            f"{path}: `frame` must be a non-empty list of frame indicators ({', '.join(FRAME_TEXT_FIELDS)}, sources), "
            f"found {_shown(rows)}"
        )
    table, seen = [], set()
    for number, entry in enumerate(rows, start=1):
        if not isinstance(entry, dict):
            raise error(f"{path}: frame indicator #{number} must be a mapping, found {_shown(entry)}")
        where = f"{path}: frame indicator #{number} ({entry.get('id', '?')})"
        missing = [f for f in (*FRAME_TEXT_FIELDS, "sources") if not entry.get(f)]
        if missing:
            raise error(f"{where} lacks {', '.join(missing)}")
        not_text = [f for f in FRAME_TEXT_FIELDS if not isinstance(entry[f], str)]
        if not_text:
            raise error(
                f"{where}: {', '.join(not_text)} must be text, found " + ", ".join(_shown(entry[f]) for f in not_text)
            )
        if not _ID.match(entry["id"]) or entry["id"] == FRAME_NONE:
            raise error(f"{where}: id must be snake_case letters, digits and '_' (and not {FRAME_NONE!r})")
        if entry["id"] in seen:
            raise error(f"{where}: duplicate id")
        seen.add(entry["id"])
        if entry["category"] not in categories:
            raise error(f"{where}: unknown category {entry['category']!r}; valid: {', '.join(categories)}")
        if entry["unit"] not in units:
            raise error(f"{where}: unknown unit {entry['unit']!r}; valid: {', '.join(sorted(units))}")
        cited = entry["sources"]
        if not isinstance(cited, list) or not all(isinstance(s, str) for s in cited):
            raise error(f"{where}: sources must be a list of frame_sources ids, found {_shown(cited)}")
        unknown = [s for s in cited if s not in sources]
        if unknown:
            raise error(f"{where}: unknown source(s) {', '.join(unknown)}; valid: {', '.join(sources)}")
        for name in FRAME_TERM_FIELDS:
            words = entry.get(name, [])
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() and ";" not in w for w in words):
                raise error(f"{where}: {name} must be a list of words (text without ';'), found {_shown(words)}")
        category = categories[entry["category"]]
        table.append(
            {
                **{f: entry[f] for f in FRAME_TEXT_FIELDS},
                "category_zh": category["zh"],
                "category_en": category["en"],
                "standard": category["standard"],
                "sources": ";".join(cited),
                **{name: ";".join(w.strip() for w in entry.get(name, [])) for name in FRAME_TERM_FIELDS},
            }
        )
    frame = pd.DataFrame(table, columns=list(FRAME_COLUMNS)).set_index("id", drop=False)
    return frame, pd.DataFrame(source_rows, columns=list(SOURCE_COLUMNS)).set_index("id", drop=False)


def check_indicator_frame(entry: dict, frame: pd.DataFrame, where: str, error: type[Exception]) -> None:
    """Check one indicator's link to the frame: a known frame id with the same unit, or ``none`` with a note.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["a"], "unit": ["person"]}).set_index("id", drop=False)
    >>> check_indicator_frame({"frame": "a", "unit": "person"}, frame, "x", ValueError)
    >>> check_indicator_frame({"frame": "b", "unit": "person"}, frame, "x", ValueError)
    Traceback (most recent call last):
    ...
    ValueError: x: unknown frame indicator 'b'; valid: a, or none with a frame_note
    """
    target = entry.get("frame")
    if not isinstance(target, str) or not target:
        raise error(f"{where} lacks frame (a frame indicator id, or {FRAME_NONE} with a frame_note saying why)")
    note = entry.get("frame_note")
    if note is not None and not isinstance(note, str):
        raise error(f"{where}: frame_note must be text, found {_shown(note)}")
    if target == FRAME_NONE:
        if not (note or "").strip():
            raise error(f"{where}: frame: {FRAME_NONE} needs a frame_note saying why no frame indicator fits")
        return
    if target not in frame.index:
        raise error(
            f"{where}: unknown frame indicator {target!r}; valid: {', '.join(frame.index)}, or {FRAME_NONE} with a frame_note"
        )
    if frame.loc[target, "unit"] != entry.get("unit"):
        raise error(
            f"{where}: unit {entry.get('unit')!r} differs from the unit {frame.loc[target, 'unit']!r} of frame "
            f"indicator {target!r} (map only like units, else {FRAME_NONE} with a frame_note)"
        )
