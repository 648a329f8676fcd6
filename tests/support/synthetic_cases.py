"""A synthetic sixth case for the geography and map tests: any place can be added by data alone, so
the tests add one in a province outside the dataset's (no seat, no population, no timeline event, no
cases.yaml knowledge: every default). Imported by tests/analysis/test_geo.py and tests/viz/test_maps.py
(tests/support is on pytest's pythonpath)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def sixth_case(code: str = "420000", level: str = "province", case: str = "synthetic_sixth") -> pd.DataFrame:
    """The dataset's cases plus a synthetic sixth (Hubei by default, outside the five provinces)."""
    from kexie_research.analysis import geo  # needs geopandas: the callers skip without it

    cases = geo.load_table("cases")
    row = dict.fromkeys(cases.columns, "")
    row.update(
        case=case,
        case_zh="测试",
        case_en="Synthetic",
        admin_code=code,
        level=level,
        province_code=code[:2] + "0000",
        province_zh="湖北省",
        province_en="Hubei",
        colour="#56B4E9",
        label_dx=np.nan,
        label_dy=np.nan,
        county_panel=False,
        population=pd.NA,
        source_ids="synthetic_source",
    )
    frame = pd.concat([cases, pd.DataFrame([row])], ignore_index=True)
    frame["population"] = frame["population"].astype("Int64")
    return frame
