"""The cross-place notebooks (00, 20, 30) run without error on hypothesis-generated datasets and say what they
could not compare: 1–30 places of any level, missing populations, same-period duplicates, only targets, a
single indicator, traditional-script quotes. Bounded: three datasets, one notebook run each, with a deadline.

The generated tables replace the cases, places, indicators and documents of a copy of the processed folder
(KEXIE_DATA_DIR); the other tables (timeline, features, text) stay those of the real data.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from kexie_research import config, data
from tests.support.generated_dataset import datasets

NOTEBOOKS = ["00", "20", "30"]
DEADLINE_S = 600


def _write_dataset(generated, target: Path) -> None:
    processed = target / "processed"
    shutil.copytree(config.processed_dir(), processed, ignore=shutil.ignore_patterns("geo"))
    (processed / "geo").symlink_to(config.processed_dir() / "geo", target_is_directory=True)
    (target / "raw").symlink_to(config.raw_dir(), target_is_directory=True)
    divisions = data.load_divisions().set_index("admin_code")
    cases, places = generated["cases"].copy(), generated["places"].copy()
    cases["province_zh"] = cases["province_code"].map(divisions["name_zh"]).fillna("")
    cases["province_en"] = cases["province_code"].map(divisions["name_en"]).fillna("")
    from kexie_research.steps.cases import PALETTE

    # as the build fills them: a palette colour per case (cycled), no model name, automatic labels
    cases = cases.assign(colour=[PALETTE[number % len(PALETTE)] for number in range(len(cases))],
                         model_zh="", model_en="", label_dx="", label_dy="", label_ha="", county_panel=False,
                         population=places["population_2020"].astype("Int64"), population_source=places["source_population"],
                         source_ids=cases["case"] + "_doc")
    cases.reindex(columns=data.load_cases().columns).to_csv(processed / "cases.csv", index=False)
    real_places = data.load_places()
    extra = places[~places["admin_code"].isin(real_places["admin_code"])].assign(
        name_en=lambda f: f["admin_code"].map(divisions["name_en"]), parent_code=lambda f: f["admin_code"].map(divisions["parent_code"]))
    pd.concat([real_places, extra.reindex(columns=real_places.columns)]).to_csv(processed / "places.csv", index=False)
    facts = generated["indicators"].assign(province="", place_zh=generated["indicators"]["case_zh"], parent_city_code="",
                                           scope_zh=generated["indicators"]["case_zh"])
    facts = facts.reindex(columns=data.load_indicators().columns)
    facts["quote_offset"] = facts["quote_offset"].fillna(0).astype("int64")
    facts.to_csv(processed / "indicators.csv", index=False)
    facts.to_parquet(processed / "indicators.parquet", index=False)
    documents = generated["documents"].assign(file=lambda f: f["source_id"] + ".txt", text="全县科协工作。", title_zh="文",
                                              title_en="Text", place_zh="", province="", province_zh="", admin_code="")
    documents.reindex(columns=data.load_documents().columns).astype(str).to_parquet(processed / "documents.parquet", index=False)


@pytest.mark.slow
@settings(max_examples=3, deadline=None, phases=[Phase.generate], database=None,
          suppress_health_check=list(HealthCheck))
@given(datasets(max_places=30, max_facts=40))
def test_cross_place_notebooks_run_on_generated_data(generated):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "data"
        _write_dataset(generated, target)
        env = {**os.environ, "KEXIE_DATA_DIR": str(target), "PYTHONPATH": str(config.repo_root() or "")}
        command = [sys.executable, "-m", "kexie_research", "report", "--notebooks", *NOTEBOOKS, "--output-dir",
                   str(Path(folder) / "reports"), "--jobs", "2", "--no-progress", "--force", "--timeout", "300"]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=DEADLINE_S, env=env, check=False)
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
        page = (Path(folder) / "reports" / "20_comparative.html").read_text(encoding="utf-8")
        assert "Not compared, and why" in page or "Every value of a frame indicator was compared" in page
