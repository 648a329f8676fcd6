"""Loaders of the processed dataset (``data/processed``), for notebooks, analysis code and users of the
installed package. They read only what ``kexie build`` wrote; nothing here reads ``data/raw``.

Every table was checked once by the build (quotes included), so loading is fast and checks only
that the file is there. A missing file raises :class:`~kexie_research.errors.KexieError` telling
to run ``kexie build``.

Example::

    >>> from kexie_research import load_indicators, load_cases
    >>> df = load_indicators()
    >>> df.loc[df.record_id == "WZ-003", ["raw_text", "value", "unit"]].to_dict("records")
    [{'raw_text': '26万元', 'value': 260000.0, 'unit': 'CNY'}]
    >>> load_cases().columns[0]
    'case'
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pandas as pd

from kexie_research import config
from kexie_research.errors import GeoError, KexieError
from kexie_research.schemas.indicators import QUARANTINE_COLUMNS


def _processed(name: str, processed_dir: Path | None) -> Path:
    """The path of processed file ``name`` (a key of ``config.PROCESSED_FILES`` or a file name)."""
    file = config.PROCESSED_FILES.get(name, name)
    path = (Path(processed_dir) if processed_dir else config.processed_dir()) / file
    if not path.is_file():
        raise KexieError(f"{path} not found: run `kexie build` first to generate data/processed/")
    return path


def _read_csv(
    name: str,
    processed_dir: Path | None,
    *,
    floats: tuple[str, ...] = (),
    ints: tuple[str, ...] = (),
    nullable_ints: tuple[str, ...] = (),
    bools: tuple[str, ...] = (),
) -> pd.DataFrame:
    """A processed CSV with every column as text ("" = empty) except the named numeric/boolean ones."""
    frame = pd.read_csv(_processed(name, processed_dir), dtype=str, keep_default_na=False, encoding="utf-8")
    for column in floats:
        frame[column] = pd.to_numeric(frame[column].replace("", None), errors="raise").astype("float64")
    for column in ints:
        frame[column] = frame[column].astype("int64")
    for column in nullable_ints:
        frame[column] = pd.to_numeric(frame[column].replace("", None), errors="raise").astype("Int64")
    for column in bools:
        frame[column] = frame[column].map({"True": True, "False": False, "true": True, "false": False}).astype(bool)
    return frame


def load_indicators(processed_dir: Path | None = None) -> pd.DataFrame:
    """The processed indicator table: one row per coded fact, each with its verbatim quote.

    Examples
    --------
    >>> bool(load_indicators()["quote"].str.len().gt(0).all())
    True
    """
    return pd.read_parquet(_processed("indicators.parquet", processed_dir))


def load_quarantine(processed_dir: Path | None = None) -> pd.DataFrame:
    """Coded rows that failed a check, with ``reason`` (empty table when all rows passed).

    Examples
    --------
    >>> "reason" in load_quarantine().columns
    True
    """
    frame = pd.read_csv(_processed("quarantine.csv", processed_dir), dtype=str, keep_default_na=False)
    frame["row"] = pd.to_numeric(frame["row"], errors="coerce").astype("Int64")
    return frame.reindex(columns=QUARANTINE_COLUMNS)


def load_cases(processed_dir: Path | None = None) -> pd.DataFrame:
    """The cases, one row each in manifest order, every default filled in.

    Columns: case, case_zh, case_en, admin_code, level, province_code, province_zh, province_en,
    model_zh, model_en, colour, label_dx, label_dy (float, NaN = automatic placement), label_ha,
    county_panel (bool), population (Int64, NA = population not available), population_source,
    source_ids (``;``-separated).

    Examples
    --------
    >>> cases = load_cases()
    >>> cases.loc[cases.case == "wuzhou", ["case_zh", "case_en"]].values.tolist()
    [['梧州', 'Wuzhou']]
    """
    return _read_csv(
        "cases", processed_dir, floats=("label_dx", "label_dy"), nullable_ints=("population",), bools=("county_panel",)
    )


def load_distance_pairs(processed_dir: Path | None = None) -> pd.DataFrame:
    """Policy distance pairs declared per case: pair_id, case, context, context_zh, context_en,
    from_end, to_end, measure. Ends are ``seat:CODE``, ``target:ID``, ``polygon:LAYER:CODE`` or
    ``layer:LAYER``.

    Examples
    --------
    >>> set(load_distance_pairs().measure) <= {"distance", "shared_border"}
    True
    """
    return _read_csv("distance_pairs", processed_dir)


def load_places(processed_dir: Path | None = None) -> pd.DataFrame:
    """The places the project uses, with their case, 2020 census population (NA = not available) and seat.

    Examples
    --------
    >>> load_places().set_index("admin_code").loc["450400", "name_zh"]
    '梧州市'
    """
    return _read_csv(
        "places",
        processed_dir,
        nullable_ints=("population_2020", "population_2010"),
        floats=("area_km2", "gdp_2020_100m_cny", "seat_lon", "seat_lat"),
    )


def load_divisions(processed_dir: Path | None = None) -> pd.DataFrame:
    """Every administrative unit of the division reference: admin_code, name_zh, name_en, level, parent_code.

    Examples
    --------
    >>> load_divisions().set_index("admin_code").loc["520300", "level"]
    'prefecture'
    """
    return _read_csv("divisions", processed_dir)


def load_codebook(processed_dir: Path | None = None):
    """The codebook (indicators, dimensions in their order, units) from the processed tables.

    Returns a :class:`kexie_research.steps.codebook.Codebook`.

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb.indicator("kexie_annual_work_budget")["unit"]
    'CNY'
    >>> cb.dimensions.loc["funding", "zh"]
    '经费保障'
    """
    from kexie_research.steps.codebook import FRAME_FIELDS, INDICATOR_FIELDS, Codebook

    table = _read_csv("codebook", processed_dir)
    dimensions = _read_csv("dimensions", processed_dir).set_index("id", drop=False)
    units = _read_csv("units", processed_dir).set_index("id", drop=False)
    columns = [*INDICATOR_FIELDS, *(c for c in FRAME_FIELDS if c in table.columns)]
    indicators = table[columns].set_index("id", drop=False)
    extra = {}
    if config.processed_path("frame", processed_dir).is_file():
        extra["frame"] = _read_csv("frame", processed_dir).set_index("id", drop=False)
    if config.processed_path("frame_sources", processed_dir).is_file():
        extra["frame_sources"] = _read_csv("frame_sources", processed_dir).set_index("id", drop=False)
    version = 1
    package = (Path(processed_dir) if processed_dir else config.processed_dir()) / config.PROCESSED_FILES["datapackage"]
    if package.is_file():
        version = int(json.loads(package.read_text(encoding="utf-8")).get("codebook_version", 1))
    return Codebook(indicators=indicators, dimensions=dimensions, units=units, version=version, **extra)


def load_national_benchmarks(processed_dir: Path | None = None) -> pd.DataFrame:
    """National figures of frame indicators (one row per indicator and year), each with its source and quote.

    Columns: benchmark_id, frame_indicator, scope_zh, year, value, unit, source_title, source_url,
    source_quote, note.

    Examples
    --------
    >>> table = load_national_benchmarks().set_index("benchmark_id")
    >>> float(table.loc["kepu_funding_per_capita_2018", "value"])
    4.45
    """
    return _read_csv("national_benchmarks", processed_dir, floats=("value",), ints=("year",))


def load_provincial_seats(processed_dir: Path | None = None) -> pd.DataFrame:
    """The seats of all provincial-level units (WGS84), each with its source, quote and licence.

    Examples
    --------
    >>> seats = load_provincial_seats()
    >>> len(seats), seats.set_index("admin_code").loc["340000", "seat_en"]
    (34, 'Hefei')
    """
    return _read_csv("provincial_seats", processed_dir, floats=("lon", "lat"))


def load_timeline(processed_dir: Path | None = None) -> pd.DataFrame:
    """The reform timeline, one event per row with its verbatim quote (checked by the build).

    Columns: event_id, case (empty = national), scope, kind, date, date_precision, date_text,
    date_note, not_before, event_zh, event_en, model_zh, model_en, source_id, quote, note, quote_offset.

    Examples
    --------
    >>> load_timeline().set_index("event_id").loc["LZ-2017-09-29", "case"]
    'liuzhou'
    """
    return _read_csv("timeline", processed_dir, ints=("quote_offset",))


def load_features(processed_dir: Path | None = None) -> pd.DataFrame:
    """Reform features in long format: one row per case × condition, ``value`` NaN = unknown.

    Columns: case, condition, label, role, type, value, known, evidence_kind, evidence_quote,
    source_id, note, quote_offset (-1 without a quote).

    Examples
    --------
    >>> f = load_features()
    >>> bool(f.loc[~f.known, "value"].isna().all())
    True
    """
    return _read_csv("features", processed_dir, floats=("value",), bools=("known",), ints=("quote_offset",))


def load_conditions(processed_dir: Path | None = None) -> pd.DataFrame:
    """Condition and outcome definitions, indexed by id: id, label, role, type, zh, en, definition,
    rule, calibration.

    Examples
    --------
    >>> load_conditions().loc["party_led_reform", "label"]
    'PLED'
    """
    return _read_csv("conditions", processed_dir).set_index("id", drop=False)


def load_documents(processed_dir: Path | None = None) -> pd.DataFrame:
    """One row per source document: manifest fields (``case`` …) and ``text``, the exact file content.

    Examples
    --------
    >>> docs = load_documents()
    >>> docs.columns[-1], docs.loc[0, "case"]
    ('text', 'wuzhou')
    """
    return pd.read_parquet(_processed("documents", processed_dir))


def load_lexicon(processed_dir: Path | None = None) -> pd.DataFrame:
    """The policy-emphasis lexicon: dimension, dimension_zh, dimension_en, term (one term, one dimension).

    Examples
    --------
    >>> list(load_lexicon().columns)
    ['dimension', 'dimension_zh', 'dimension_en', 'term']
    """
    return _read_csv("lexicon", processed_dir)


def domain_terms_path(processed_dir: Path | None = None) -> Path:
    """The processed domain dictionary in jieba's user-dictionary format (for ``jieba.load_userdict``).

    Examples
    --------
    >>> domain_terms_path().name
    'domain_terms.txt'
    """
    return _processed("domain_terms", processed_dir)


def load_domain_terms(processed_dir: Path | None = None) -> list[str]:
    """The words of the domain dictionary, in file order.

    Examples
    --------
    >>> load_domain_terms()[0]
    '科协'
    """
    lines = domain_terms_path(processed_dir).read_text(encoding="utf-8").splitlines()
    return [_word(line) for line in lines if line.strip()]


def _word(line: str) -> str:
    import re

    match = re.match(r"^(.+?)( [0-9]+)?( [a-z]+)?$", line.strip())
    return match.group(1) if match else line.strip()


def load_text_layout(processed_dir: Path | None = None) -> dict[str, dict[str, Any]]:
    """Layout rules per source_id: ``{"set_aside": [{kind, start, end?, note}], "truncated": bool}``.

    Examples
    --------
    >>> load_text_layout()["wuzhou_article"]["truncated"]
    False
    """
    return json.loads(_processed("layout", processed_dir).read_text(encoding="utf-8"))


def load_distance_targets(processed_dir: Path | None = None) -> pd.DataFrame:
    """Cited reference points: target_id, names, kind, lon, lat (WGS84), approximate, precision, sources.

    Examples
    --------
    >>> load_distance_targets().set_index("target_id").loc["guangzhou", "kind"]
    'provincial_capital'
    """
    return _read_csv("distance_targets", processed_dir, floats=("lon", "lat"), bools=("approximate",))


def load_reliability(processed_dir: Path | None = None) -> pd.DataFrame:
    """Coding reliability per field (Krippendorff's α and its bootstrap 95 % interval) of the documents
    coded by a second coder; an empty table when none is (see ``kexie agree`` and docs/review.md).

    Examples
    --------
    >>> list(load_reliability().columns[:3])
    ['field', 'level', 'alpha']
    """
    return _read_csv(
        "reliability.csv", processed_dir, floats=("alpha", "ci_low", "ci_high"), ints=("units", "coders", "documents")
    )


def load_boundaries(layer: str, processed_dir: Path | None = None):
    """One boundary layer of ``data/processed/geo`` as a GeoDataFrame in EPSG:4326 (WGS84 lon/lat).

    Layers: ``provinces`` (34 provincial units), ``prefectures`` (every prefecture-level unit),
    ``counties`` (every county-level unit, plus the few prefecture- and province-level units without
    county-level subdivision, so that the layer covers all of China), ``gba`` (the 11 cities of the
    Greater Bay Area), ``sea_lines`` (maritime boundary and South China Sea dashed lines) and the derived
    ``country`` (the outline of China: the union of ``provinces``). Columns: ``admin_code``, ``name_zh``,
    ``level``, ``parent_code`` (missing for the country), ``geometry``. Each file is read once per process
    and file version; every call returns an independent copy. Needs geopandas (the ``analysis`` extra).

    Examples
    --------
    >>> counties = load_boundaries("counties")
    >>> counties.crs.to_epsg(), counties.set_index("admin_code").loc["450406", "name_zh"]
    (4326, '龙圩区')
    >>> load_boundaries("country").admin_code.tolist()
    ['100000']
    """
    from kexie_research.steps.geo import DERIVED_LAYERS, LAYER_FILES, LAYERS

    if layer not in LAYERS:
        import difflib

        close = difflib.get_close_matches(str(layer), LAYERS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise GeoError(f"unknown boundary layer {layer!r}{hint}; valid: {', '.join(LAYERS)}")
    folder = (Path(processed_dir) if processed_dir else config.processed_dir()) / config.GEO_DIR
    path = folder / LAYER_FILES[DERIVED_LAYERS.get(layer, layer)]
    if not path.is_file():
        raise KexieError(f"{path} not found: run `kexie build` first to generate data/processed/")
    key = (str(path), path.stat().st_mtime_ns)
    frame = _country_layer(*key) if layer in DERIVED_LAYERS else _boundary_layer(*key)
    return frame.copy()


@functools.lru_cache(maxsize=16)
def _boundary_layer(path_text: str, mtime_ns: int):
    """A stored layer, read once per (path, modification time): an edited file is read again."""
    import geopandas as gpd
    import pyproj

    from kexie_research.steps.geo import LAYER_COLUMNS

    frame = gpd.read_parquet(path_text)
    if frame.crs is None or not pyproj.CRS(frame.crs).equals(pyproj.CRS("EPSG:4326")):
        raise KexieError(f"{path_text}: expected CRS EPSG:4326 (WGS84 lon/lat), found {frame.crs}; run `kexie build`")
    frame = frame[[*LAYER_COLUMNS, "geometry"]]
    for column in LAYER_COLUMNS:
        frame[column] = frame[column].astype("str")
    frame["parent_code"] = frame["parent_code"].replace("", pd.NA)
    return frame


@functools.lru_cache(maxsize=4)
def _country_layer(path_text: str, mtime_ns: int):
    """The outline of China: the union of the provinces (a gap-free coverage, so the union is exact)."""
    import geopandas as gpd
    import shapely

    provinces = _boundary_layer(path_text, mtime_ns)
    outline = shapely.coverage_union_all(provinces.geometry.values)
    return gpd.GeoDataFrame(
        {"admin_code": ["100000"], "name_zh": ["中国"], "level": ["country"], "parent_code": [pd.NA]},
        geometry=[outline],
        crs="EPSG:4326",
    )
