"""The report notebooks 00 (dataset overview), 10 (case profile, once per case) and 20
(comparative): committed clean, free of per-case knowledge, and executed under papermill on the real
processed data.

One run of `run_reports` into a temp folder is shared by the module's tests (it takes ~30 s)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kexie_research import config
from kexie_research.runner import reports
from kexie_research.runner.discover import discover_notebooks
from kexie_research.runner.model import NOTEBOOK_PATTERN
from kexie_research import data


def case_keys() -> list[str]:
    return data.load_cases()["case"].tolist()

CORE = ["00_dataset_overview", "10_case_profile", "20_comparative"]


def all_notebooks() -> list[Path]:
    return sorted(p for p in config.notebooks_dir().glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))


@pytest.mark.parametrize("path", all_notebooks(), ids=lambda p: p.stem)
def test_notebook_committed_clean_with_one_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged 'parameters', expected exactly one"
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {number} is committed with outputs"
            assert cell.execution_count is None, f"{path.name} cell {number} is committed with an execution count"


def test_core_notebooks_exist_and_declare_their_parameters():
    found = {info.name: info for info in discover_notebooks()}
    assert set(CORE) <= set(found)
    assert found["10_case_profile"].parameters["case"].type_name == "str"
    assert found["00_dataset_overview"].parameters["min_cases"].type_name == "int"
    assert {"min_cases", "per"} <= set(found["20_comparative"].parameters)


@pytest.fixture(scope="module")
def core_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    summary = reports.run_reports(notebooks=CORE, output_dir=out, progress=False, force=True)
    return summary, out


def outputs_text(path: Path) -> str:
    """All text and HTML outputs of an executed notebook."""
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            data = output.get("data", {})
            parts.append(data.get("text/html", "") if isinstance(data.get("text/html", ""), str) else "".join(data["text/html"]))
            parts.append(data.get("text/markdown", "") if isinstance(data.get("text/markdown", ""), str) else "".join(data["text/markdown"]))
    return "\n".join(parts)


@pytest.mark.slow
def test_every_core_run_succeeds(core_run):
    summary, out = core_run
    expected = ["00_dataset_overview", *[f"10_case_profile-{case}" for case in case_keys()], "20_comparative"]
    assert [r.run_name for r in summary.results] == expected
    assert [r.error for r in summary.failed] == []
    for result in summary.results:
        nb = nbformat.read(out / result.ipynb, as_version=4)
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert errors == [], f"{result.run_name}: {errors[:1]}"
        html = (out / result.html).read_text(encoding="utf-8")
        assert '<details class="kexie-code"><summary>代码 Code</summary>' in html  # code folded for readers
        assert f"<strong>{result.run_name}</strong>" in html  # run banner
        assert "data:image/png;base64," in html
        if not result.run_name.startswith("00"):  # 00's only fact table is the quarantine, empty when all rows pass
            assert "kexie-table-" in html  # interactive fact tables
        assert "cdn.jsdelivr" not in html and "cdn.datatables" not in html  # itables offline: no CDN
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in expected:
        assert f'href="{name}.html"' in index


@pytest.mark.slow
def test_figures_are_png_and_svg_pairs(core_run):
    summary, out = core_run
    for result in summary.results:
        figures = sorted(Path(f) for f in result.figures)
        assert figures, f"{result.run_name} saved no figure"
        pages = [f for f in figures if f.suffix in (".png", ".svg")]
        stems = {f.stem for f in pages}
        for stem in stems:
            assert {f.suffix for f in pages if f.stem == stem} == {".png", ".svg"}, f"{result.run_name}/{stem}"
        # every figure also as a numbered PDF for a paper, listed with its size in figures.csv
        numbered = {re.sub(r"^figure-\d\d-", "", f.stem) for f in figures if f.suffix == ".pdf"}
        assert numbered == stems, f"{result.run_name}: PDFs {numbered} for figures {stems}"
        listed = pd.read_csv(out / figures[0].parent / "figures.csv")
        assert set(listed["name"]) == stems and listed["number"].tolist() == list(range(1, len(stems) + 1))
        for figure in figures:
            if figure.suffix in (".png", ".svg", ".pdf"):  # figures.csv lists them: a few lines
                assert (out / figure).stat().st_size > 1000
            assert (out / figure).resolve().is_relative_to((out / "figures" / result.run_name).resolve())


@pytest.mark.slow
def test_overview_content(core_run):
    _, out = core_run
    text = outputs_text(out / "00_dataset_overview.ipynb")
    assert "quote_in_document" in text and "wuzhou_article" in text
    # comparability on the frame: frame indicators by label, unmapped case-specific indicators with their reason
    assert "Enterprise kexie organisations" in text and "Kepu China e-stations" in text
    assert "gdp" in text and "context of the scope, not a kexie or science-popularisation indicator" in text
    from kexie_research.data import load_reliability

    reliability = load_reliability()  # the reliability section shows the table when a second coding exists
    assert ("period_start" in text) == (not reliability.empty)
    assert ("No document has been coded by a second coder yet" in text) == reliability.empty
    figures = {p.stem for p in (out / "figures" / "00_dataset_overview").glob("*.png")}
    assert figures == {"coverage_case_dimension", "rows_per_source", "frame_coverage"}


@pytest.mark.slow
@pytest.mark.parametrize("case", case_keys())
def test_case_profile_shows_every_fact_with_its_quote(core_run, case):
    _, out = core_run
    facts = data.load_indicators()
    text = outputs_text(out / f"10_case_profile-{case}.ipynb")
    own = facts[facts["case"] == case]
    for record_id in own["record_id"]:
        assert record_id in text, f"{case}: {record_id} not shown"
    for quote in own["quote"].head(5):
        assert quote[:20].replace("&", "&amp;") in text or quote[:20] in text
    parameters = nbformat.read(out / f"10_case_profile-{case}.ipynb", as_version=4)
    injected = [c for c in parameters.cells if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
    assert injected and f'case = "{case}"' in injected[0].source


@pytest.mark.slow
def test_case_profiles_series_and_breakdowns(core_run):
    _, out = core_run
    wuzhou = {p.stem for p in (out / "figures" / "10_case_profile-wuzhou").glob("*.png")}
    assert {"series_party_committee_kexie_hearings_wuzhou", "breakdown_kexie_annual_work_budget_wuzhou"} <= wuzhou
    rongchang = {p.stem for p in (out / "figures" / "10_case_profile-rongchang").glob("*.png")}
    assert "series_science_popularisation_funding_per_capita_rongchang" in rongchang
    text = outputs_text(out / "10_case_profile-wuzhou.ipynb")
    assert "20.52万元" in text and "没有超过10万元" in text
    assert "The documents give no time series" in outputs_text(out / "10_case_profile-zunyi.ipynb")


@pytest.mark.slow
def test_comparative_content(core_run):
    _, out = core_run
    text = outputs_text(out / "20_comparative.ipynb")
    # the timeline says what the texts say about dates
    assert "2017-09-29" in text and "2020-07-28" in text
    assert "6月17日 — year not stated" in text
    assert "no date in the text" in text
    # the frame comparison says what it could not compare and why (values without a year are not paired)
    assert "Not compared, and why" in text and "year not stated (nor a document date)" in text
    # the growth fit on Wuzhou's hearings, with its caveat; and the exact test
    assert "4 points, 2 residual degree(s) of freedom" in text
    assert "exact Poisson rate ratio" in text
    # the side-by-side models cite event ids and record ids
    assert "党建带科建; start: 2020-07-28 [WZ-2020-07-28]" in text and "3+1+N [RC-3P1PN]" in text
    figures = {p.stem for p in (out / "figures" / "20_comparative").glob("*.png")}
    assert {"reform_timeline", "growth_party_committee_kexie_hearings_wuzhou"} <= figures
    # values whose period is not stated: a group of their own, the caption saying the periods may differ
    assert "periods not stated in the documents and may differ" in text and "frame_comparison_period_not_stated" in figures
    # each comparison table is also a numbered file for a paper
    saved = pd.read_csv(out / "figures" / "20_comparative" / "tables.csv")
    assert {"frame_comparison_dated", "frame_comparison_period_not_stated", "reform_models"} <= set(saved["name"])
    assert all((out / "figures" / "20_comparative" / f"table-{n:02d}-{name}.tex").is_file()
               for n, name in zip(saved["number"], saved["name"]))


# Per-case knowledge is data: no case key, name or code of the dataset in the notebooks' code and text.
CASE_WORDS = re.compile(r"five|wuzhou|rongchang|chengdu|liuzhou|zunyi|梧州|荣昌|成都|柳州|遵义|450400|500153|510100|450200|520300", re.I)
OWNED = ["00_dataset_overview", "10_case_profile", "20_comparative", "40_policy_text", "50_reform_configurations"]


@pytest.mark.parametrize("name", OWNED)
def test_notebook_names_no_case(name):
    nb = nbformat.read(config.notebooks_dir() / f"{name}.ipynb", as_version=4)
    found = [(number, match.group(0)) for number, cell in enumerate(nb.cells) for match in CASE_WORDS.finditer(cell.source)]
    assert found == [], f"{name}: per-case words in cells {found}"


@pytest.mark.parametrize("name", OWNED)
def test_notebook_reads_processed_data_through_loaders(name):
    source = "\n".join(cell.source for cell in nbformat.read(config.notebooks_dir() / f"{name}.ipynb", as_version=4).cells
                       if cell.cell_type == "code")
    assert "data/raw" not in source and "raw_dir" not in source and "steps" not in source


@pytest.mark.parametrize("name", OWNED)
def test_notebook_names_the_project_kernel(name):
    nb = nbformat.read(config.notebooks_dir() / f"{name}.ipynb", as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "kexie-research"
