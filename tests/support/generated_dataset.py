"""Hypothesis strategies for whole datasets: 1–30 places of any level, missing populations, same-period
duplicates, only targets, a single indicator, no features, traditional-script quotes.

The generated tables have the columns of the processed tables the analysis functions and notebooks read
(cases, places, indicators, documents), built from the real codebook's indicator ids and the real
division reference, so a generated dataset is one a user could have built by adding places.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from hypothesis import strategies as st

from kexie_research.analysis.scopes import case_scope_level

QUOTE_WORDS = ["全县共建立", "科協組織", "乡镇科协", "個", "科普經費", "萬元", "人次", "目標", "截至", "年底"]


@lru_cache(maxsize=1)
def _reference():
    from kexie_research.steps.codebook import read_codebook
    from kexie_research.steps.places import read_divisions

    codebook = read_codebook()
    divisions = read_divisions()
    divisions = divisions[divisions.level.isin(["province", "prefecture", "district", "county", "county-level city"])]
    return codebook, divisions.reset_index(drop=True)


@st.composite
def datasets(draw, max_places: int = 30, max_facts: int = 60):
    """A dict of DataFrames: cases, places, indicators, documents (and the codebook used)."""
    codebook, divisions = _reference()
    n_places = draw(st.integers(1, max_places))
    rows = draw(st.lists(st.integers(0, len(divisions) - 1), min_size=n_places, max_size=n_places, unique=True))
    chosen = divisions.iloc[rows].reset_index(drop=True)
    single_indicator = draw(st.booleans())
    only_targets = draw(st.booleans())
    ids = list(codebook.indicators.index)
    indicator_pool = [draw(st.sampled_from(ids))] if single_indicator else ids
    cases = pd.DataFrame(
        {
            "case": [f"p{number}" for number in range(n_places)],
            "case_zh": chosen.name_zh.tolist(),
            "case_en": chosen.name_en.tolist(),
            "admin_code": chosen.admin_code.astype(str).tolist(),
            "level": chosen.level.tolist(),
            "province_code": [code[:2] + "0000" for code in chosen.admin_code.astype(str)],
            "colour": "",
        }
    )
    populations = [draw(st.one_of(st.none(), st.integers(1_000, 20_000_000))) for _ in range(n_places)]
    places = pd.DataFrame(
        {
            "admin_code": cases.admin_code,
            "name_zh": cases.case_zh,
            "level": cases.level,
            "population_2020": pd.array(populations, dtype="Int64"),
            "source_population": ["https://example.org/census" if p is not None else "" for p in populations],
        }
    )
    documents = pd.DataFrame(
        {
            "source_id": [f"{case}_doc" for case in cases.case],
            "case": cases.case,
            "reference_date": [draw(st.sampled_from(["", "2019-06-30", "2021-12-31"])) for _ in range(n_places)],
            "genre": "news",
        }
    )
    n_facts = draw(st.integers(0, max_facts))
    facts = []
    for number in range(n_facts):
        place = draw(st.integers(0, n_places - 1))
        indicator_id = draw(st.sampled_from(indicator_pool))
        year = draw(st.one_of(st.none(), st.integers(2015, 2023)))
        own = draw(st.integers(0, 9)) > 0  # one fact in ten is context above the place
        case = cases.iloc[place]
        value = draw(st.one_of(st.floats(0, 1e7, allow_nan=False), st.integers(0, 500).map(float)))
        words = draw(st.lists(st.sampled_from(QUOTE_WORDS), min_size=1, max_size=4))
        raw = f"{value:g}"
        facts.append(
            {
                "record_id": f"R-{number}",
                "source_id": f"{case.case}_doc",
                "case": case.case,
                "case_zh": case.case_zh,
                "admin_code": case.admin_code if own else "100000",
                "scope_level": case_scope_level(case.level) if own else "country",
                "indicator_id": indicator_id,
                "indicator_zh": codebook.indicators.loc[indicator_id, "zh"],
                "indicator_en": codebook.indicators.loc[indicator_id, "en"],
                "dimension": codebook.indicators.loc[indicator_id, "dimension"],
                "unit": codebook.indicators.loc[indicator_id, "unit"],
                "period_text": f"{year}年" if year else None,
                "period_start": f"{year}-01-01" if year else None,
                "period_end": f"{year}-12-31" if year else None,
                "is_target": True if only_targets else draw(st.booleans()),
                "raw_text": raw,
                "value": value,
                "low": value,
                "high": value,
                "qualifier": "exact",
                "quote": "".join(words) + raw,
                "quote_offset": 0,
                "note": "",
            }
        )
    # same-period duplicates: copy some facts with a new record id
    for copy in draw(st.lists(st.integers(0, max(0, len(facts) - 1)), max_size=5)) if facts else []:
        duplicate = dict(facts[copy])
        duplicate["record_id"] = f"{duplicate['record_id']}-dup{len(facts)}"
        facts.append(duplicate)
    columns = [
        "record_id",
        "source_id",
        "case",
        "case_zh",
        "admin_code",
        "scope_level",
        "indicator_id",
        "indicator_zh",
        "indicator_en",
        "dimension",
        "unit",
        "period_text",
        "period_start",
        "period_end",
        "is_target",
        "raw_text",
        "value",
        "low",
        "high",
        "qualifier",
        "quote",
        "quote_offset",
        "note",
    ]
    indicators = pd.DataFrame(facts, columns=columns)
    indicators["is_target"] = indicators["is_target"].astype(bool)
    indicators["value"] = indicators["value"].astype(float)
    return GeneratedDataset(cases=cases, places=places, documents=documents, indicators=indicators)


class GeneratedDataset(dict):
    """The tables of a generated dataset; its repr is short (hypothesis prints it when a test fails)."""

    def __init__(self, **tables: pd.DataFrame) -> None:
        super().__init__(tables)
        self["codebook"] = _reference()[0]

    def __repr__(self) -> str:
        facts = self["indicators"]
        return (
            f"GeneratedDataset({len(self['cases'])} places, {len(facts)} facts, "
            f"cases={self['cases'][['case', 'admin_code', 'level']].values.tolist()}, "
            f"facts={facts[['record_id', 'case', 'indicator_id', 'period_start', 'is_target', 'value']].values.tolist()})"
        )
