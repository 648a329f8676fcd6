"""TEMPORARY: the processed-data loaders of :mod:`kexie_research.data` that the build does not write yet.

Each function returns :mod:`kexie_research.data`'s loader when it exists and otherwise builds the
same table from the current data, in the shape the build will write (key ``case``). Delete this
module, and import from :mod:`kexie_research.data`, once every loader is there.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from kexie_research import data as _data

_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")


def _native(name: str):
    return getattr(_data, name, None)


def _with_case(frame: pd.DataFrame) -> pd.DataFrame:
    if "case" not in frame.columns and "city" in frame.columns:
        frame = frame.assign(case=frame["city"])
    if "case_zh" not in frame.columns and "city_zh" in frame.columns:
        frame = frame.assign(case_zh=frame["city_zh"])
    return frame


def load_indicators() -> pd.DataFrame:
    return _with_case(_data.load_indicators())


def load_quarantine() -> pd.DataFrame:
    return _data.load_quarantine()


def load_documents() -> pd.DataFrame:
    if _native("load_documents"):
        return _data.load_documents()
    from kexie_research.steps.sources import load_documents as raw

    return _with_case(raw())


def load_places() -> pd.DataFrame:
    if _native("load_places"):
        return _data.load_places()
    from kexie_research.steps.places import load_places as raw

    return _with_case(raw())


def load_codebook():
    if _native("load_codebook"):
        return _data.load_codebook()
    from kexie_research.steps.codebook import load_codebook as raw

    return raw()


@lru_cache(maxsize=1)
def _cases() -> pd.DataFrame:
    docs = load_documents()
    places = load_places().set_index("admin_code")
    rows = []
    for number, doc in enumerate(docs.drop_duplicates("case").itertuples()):
        code = str(doc.admin_code)
        place = places.loc[code] if code in places.index else None
        name_en = str(place["name_en"]) if place is not None else doc.case.title()
        for suffix in (" City", " District", " County"):
            name_en = name_en.removesuffix(suffix)
        pop = place["population_2020"] if place is not None else pd.NA
        rows.append({
            "case": doc.case, "case_zh": str(doc.city_zh).rstrip("市区县"), "case_en": name_en, "admin_code": code,
            "level": str(place["level"]) if place is not None else "", "province_code": "",
            "province_zh": doc.province_zh, "province_en": doc.province, "model_zh": "", "model_en": "",
            "colour": _PALETTE[number % len(_PALETTE)], "label_dx": float("nan"), "label_dy": float("nan"),
            "label_ha": "", "county_panel": False, "population": pop,
            "population_source": str(place["source_population"]) if place is not None else "",
            "source_ids": ";".join(docs.loc[docs["case"] == doc.case, "source_id"]),
        })
    frame = pd.DataFrame(rows)
    frame["population"] = frame["population"].astype("Int64")
    return frame


def load_cases() -> pd.DataFrame:
    if _native("load_cases"):
        return _data.load_cases()
    return _cases().copy()


def load_timeline() -> pd.DataFrame:
    if _native("load_timeline"):
        return _data.load_timeline()
    from kexie_research import config

    frame = pd.read_csv(config.raw_dir() / "reference" / "reform_timeline.csv", dtype=str, keep_default_na=False)
    return frame.rename(columns={"city": "case"})


def load_features() -> pd.DataFrame:
    if _native("load_features"):
        return _data.load_features()
    from kexie_research.steps.features import load_features as raw

    return raw().rename(columns={"place": "case"})


def load_conditions() -> pd.DataFrame:
    if _native("load_conditions"):
        return _data.load_conditions()
    from kexie_research.steps.features import load_conditions as raw

    return raw()


def load_lexicon() -> pd.DataFrame:
    if _native("load_lexicon"):
        return _data.load_lexicon()
    import yaml

    from kexie_research import config

    content = yaml.safe_load((config.raw_dir() / "text" / "emphasis_lexicon.yaml").read_text(encoding="utf-8"))
    dims = load_codebook().dimensions
    rows = [{"dimension": d, "dimension_zh": dims.loc[d, "zh"], "dimension_en": dims.loc[d, "en"], "term": t}
            for d, spec in content["dimensions"].items() for t in spec["terms"]]
    return pd.DataFrame(rows, columns=["dimension", "dimension_zh", "dimension_en", "term"])


def domain_terms_path():
    if _native("domain_terms_path"):
        return _data.domain_terms_path()
    from kexie_research import config

    return config.raw_dir() / "text" / "domain_terms.txt"


def load_text_layout() -> dict[str, dict[str, Any]]:
    if _native("load_text_layout"):
        return _data.load_text_layout()
    import yaml

    from kexie_research import config

    content = yaml.safe_load((config.raw_dir() / "text" / "layout.yaml").read_text(encoding="utf-8")) or {}
    sources = content.get("sources") or {}
    return {sid: {"set_aside": (sources.get(sid) or {}).get("set_aside") or [],
                  "truncated": bool((sources.get(sid) or {}).get("truncated", False))}
            for sid in load_documents()["source_id"]}


def load_domain_terms() -> list[str]:
    if _native("load_domain_terms"):
        return _data.load_domain_terms()
    import re

    lines = domain_terms_path().read_text(encoding="utf-8").splitlines()
    return [re.match(r"^(.+?)( [0-9]+)?( [a-z]+)?$", line.strip()).group(1) for line in lines if line.strip()]
