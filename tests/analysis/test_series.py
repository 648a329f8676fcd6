"""Within-case series (kexie_research.analysis.series)."""

from __future__ import annotations

import pandas as pd

from kexie_research.analysis import series


def test_wuzhou_hearings_series(facts):
    s = series.series(facts, "party_committee_kexie_hearings", case="wuzhou", achieved_only=True)
    assert s["year"].tolist() == [2017, 2018, 2019, 2020]
    assert s["value"].tolist() == [1.0, 2.0, 4.0, 4.0]
    assert s["quote"].str.contains("分别为1次、2次、4次、4次").all()


def test_rongchang_funding_series_keeps_undated_value_first(facts):
    s = series.series(facts, "science_popularisation_funding_per_capita", case="rongchang")
    assert s["value"].tolist() == [0.6, 2.0, 5.5]
    assert pd.isna(s["year"].iloc[0]) and s["label"].iloc[0].startswith("几年前")
    assert s["is_target"].tolist() == [False, False, True]
    assert s["year"].iloc[2] == 2021
