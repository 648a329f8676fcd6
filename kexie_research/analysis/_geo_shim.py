"""TEMPORARY stand-ins for processed tables that ``kexie build`` does not write yet.

:mod:`kexie_research.analysis.geo` reads ``cases``, ``distance_pairs``, ``timeline``, ``places`` and
``divisions`` through :func:`load`, which prefers the loaders of :mod:`kexie_research.data` and falls
back to the functions here, built from the raw files and the per-case values the code held before.
This module is deleted as soon as the loaders exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

CASE_COLUMNS = [
    "case", "case_zh", "case_en", "admin_code", "level", "province_code", "province_zh", "province_en",
    "model_zh", "model_en", "colour", "label_dx", "label_dy", "label_ha", "county_panel", "population",
    "population_source", "source_ids",
]
PAIR_COLUMNS = ["pair_id", "case", "context", "context_zh", "context_en", "from_end", "to_end", "measure"]

# Copied from the former hard-coded constants (plotting.CITY_COLOURS/CITY_NAMES, geo.PLACE_LABEL_OFFSETS,
# geo.POLICY_PAIRS, the county panels); the processed cases table replaces them.
_KNOWLEDGE: dict[str, dict[str, Any]] = {
    "wuzhou": {"colour": "#0072B2", "label": (9, -2, "left"), "county_panel": True},
    "rongchang": {"colour": "#D55E00", "label": (8, -10, "left"), "county_panel": True},
    "chengdu": {"colour": "#009E73", "label": (-8, 6, "right"), "county_panel": False},
    "liuzhou": {"colour": "#CC79A7", "label": (-9, 4, "right"), "county_panel": False},
    "zunyi": {"colour": "#E69F00", "label": (9, 4, "left"), "county_panel": True},
}
_CONTEXTS = {
    "dongrong": ("东融（对接粤港澳大湾区）", "Eastward integration with the Greater Bay Area (东融)"),
    "chengyu": ("成渝地区双城经济圈", "Chengdu–Chongqing economic circle"),
}
_PAIRS = (
    ("wuzhou_guangzhou", "wuzhou", "dongrong", "seat:450400", "target:guangzhou", "distance"),
    ("wuzhou_hong_kong", "wuzhou", "dongrong", "seat:450400", "target:hong_kong", "distance"),
    ("wuzhou_gba_edge", "wuzhou", "dongrong", "seat:450400", "layer:gba", "distance"),
    ("wuzhou_guangdong_edge", "wuzhou", "dongrong", "seat:450400", "polygon:provinces:440000", "distance"),
    ("wuzhou_gba_shared_border", "wuzhou", "dongrong", "polygon:prefectures:450400", "layer:gba", "shared_border"),
    ("rongchang_chengdu", "rongchang", "chengyu", "seat:500153", "seat:510100", "distance"),
    ("rongchang_chongqing", "rongchang", "chengyu", "seat:500153", "seat:500000", "distance"),
    ("rongchang_sichuan_edge", "rongchang", "chengyu", "seat:500153", "polygon:provinces:510000", "distance"),
)


def load_places(processed_dir: Path | None = None) -> pd.DataFrame:
    from kexie_research.steps.places import load_places as raw_places

    return raw_places()


def load_divisions(processed_dir: Path | None = None) -> pd.DataFrame:
    return load_places()[["admin_code", "name_zh", "name_en", "level", "parent_code"]]


def load_cases(processed_dir: Path | None = None) -> pd.DataFrame:
    from kexie_research.steps.places import short_name
    from kexie_research.steps.sources import load_sources

    places = load_places().set_index("admin_code")
    rows, seen = [], {}
    for entry in load_sources():
        case = entry.get("case") or entry["city"]
        if case in seen:
            rows[seen[case]]["source_ids"] += ";" + entry["source_id"]
            continue
        code = entry["admin_code"]
        place = places.loc[code]
        province = code[:2] + "0000"
        known = _KNOWLEDGE.get(case, {})
        dx, dy, ha = known.get("label", (float("nan"), float("nan"), ""))
        en = str(place.name_en)
        for suffix in (" City", " District", " County"):
            en = en.removesuffix(suffix)
        seen[case] = len(rows)
        rows.append({
            "case": case, "case_zh": short_name(place.name_zh) or place.name_zh, "case_en": en,
            "admin_code": code, "level": place.level, "province_code": province,
            "province_zh": places.at[province, "name_zh"], "province_en": places.at[province, "name_en"],
            "model_zh": "", "model_en": "", "colour": known.get("colour", "#999999"),
            "label_dx": float(dx), "label_dy": float(dy), "label_ha": ha,
            "county_panel": bool(known.get("county_panel", False)), "population": place.population_2020,
            "population_source": place.source_population, "source_ids": entry["source_id"],
        })
    frame = pd.DataFrame(rows, columns=CASE_COLUMNS)
    frame["population"] = frame["population"].astype("Int64")
    return frame


def load_distance_pairs(processed_dir: Path | None = None) -> pd.DataFrame:
    rows = [
        {"pair_id": pid, "case": case, "context": ctx, "context_zh": _CONTEXTS[ctx][0], "context_en": _CONTEXTS[ctx][1],
         "from_end": a, "to_end": b, "measure": m}
        for pid, case, ctx, a, b, m in _PAIRS
    ]
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def load_timeline(processed_dir: Path | None = None) -> pd.DataFrame:
    from kexie_research import config
    from kexie_research.parse.provenance import locate_quote
    from kexie_research.steps.sources import read_document

    frame = pd.read_csv(config.raw_dir() / "reference" / "reform_timeline.csv", dtype=str, keep_default_na=False)
    frame = frame.rename(columns={"city": "case"})
    frame["quote_offset"] = [locate_quote(q, read_document(s)) for q, s in zip(frame.quote, frame.source_id)]
    return frame
