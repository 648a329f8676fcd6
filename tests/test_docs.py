"""The documentation site builds without a warning, and the data dictionary covers every column."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("sphinx")
    out = tmp_path_factory.mktemp("docs_html")
    doctrees = tmp_path_factory.mktemp("doctrees")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-E", "-b", "html", "-d", str(doctrees),
         str(ROOT / "docs"), str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, f"sphinx-build failed (warnings are errors):\n{result.stderr[-6000:]}"
    return out


@pytest.mark.slow
def test_site_has_the_promised_pages(site: Path) -> None:
    for page in ("index.html", "getting-started.html", "cli.html", "data-dictionary.html", "api.html"):
        assert (site / page).is_file(), page
    cli = (site / "cli.html").read_text(encoding="utf-8")
    for command in ("build", "validate", "report", "lab"):
        assert f">{command}<" in cli or f"kexie {command}" in cli, command


@pytest.mark.slow
def test_data_dictionary_lists_every_column(site: Path) -> None:
    descriptor = json.loads((ROOT / "data" / "processed" / "datapackage.json").read_text(encoding="utf-8"))
    page = (site / "data-dictionary.html").read_text(encoding="utf-8")
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["name"] in page, (resource["name"], field["name"])


@pytest.mark.slow
def test_api_reference_documents_public_functions(site: Path) -> None:
    page = next(site.rglob("kexie_research.parse.quantities.html")).read_text(encoding="utf-8")
    assert "parse_quantity" in page and "parse_quantities" in page
