"""The documentation site builds without a warning, and the data dictionary covers every column."""

from __future__ import annotations

import doctest
import json
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def site(docs_site: Path) -> Path:
    """The session's documentation site (tests/conftest.py), built with warnings as errors."""
    return docs_site


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
        assert resource["path"] in page, resource["name"]
        # tabular resources: every column; the others (text lists, JSON, GeoParquet layers) have no table schema
        for field in resource.get("schema", {}).get("fields", []):
            assert field["name"] in page, (resource["name"], field["name"])


@pytest.mark.slow
def test_data_dictionary_renders_as_tables_not_as_markup_text(site: Path) -> None:
    page = (site / "data-dictionary.html").read_text(encoding="utf-8")
    descriptor = json.loads((ROOT / "data" / "processed" / "datapackage.json").read_text(encoding="utf-8"))
    with_fields = [r for r in descriptor["resources"] if r.get("schema", {}).get("fields")]
    assert page.count("<table") == len(with_fields) > 0
    assert "list-table" not in page and ":header-rows:" not in page and "``" not in page


@pytest.mark.slow
def test_site_carries_the_cjk_font_subset_of_its_pages(site: Path) -> None:
    from fontTools.ttLib import TTFont

    from kexie_research.runner.fonts import collect_characters

    font = site / "_static" / "kexie-cjk.woff2"
    assert font.read_bytes()[:4] == b"wOF2" and (site / "_static" / "kexie-cjk-OFL.txt").is_file()
    assert "kexie-cjk.woff2" in (site / "_static" / "kexie-cjk.css").read_text(encoding="utf-8")
    page = (site / "data-dictionary.html").read_text(encoding="utf-8")
    assert "_static/kexie-cjk.css" in page
    covered = set(map(chr, TTFont(str(font)).getBestCmap()))
    assert collect_characters([page]) and collect_characters([page]) <= covered


@pytest.mark.slow
def test_api_reference_documents_public_functions(site: Path) -> None:
    page = next(site.rglob("kexie_research.parse.quantities.html")).read_text(encoding="utf-8")
    assert "parse_quantity" in page and "parse_quantities" in page


# ------------------------------------------------------------------------------------------------
# The pages' own examples: every `>>>` block of a page runs (doctest), every `kexie` command parses.

DOCS = ROOT / "docs"
_FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.S | re.M)


def _blocks(page: Path, languages: tuple[str, ...]) -> list[tuple[int, str]]:
    text = page.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, match.start(2)) + 1, match.group(2))
        for match in _FENCE.finditer(text)
        if match.group(1) in languages
    ]


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda page: page.name)
def test_page_examples_run(page: Path) -> None:
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    namespace: dict = {}  # one namespace per page: later blocks use the names of earlier ones
    for lineno, block in _blocks(page, ("pycon", "python")):
        if ">>>" in block:
            runner.run(parser.get_doctest(block, namespace, page.name, str(page), lineno))
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{page.name}: {result.failed} of {result.attempted} examples fail (output above)"


def test_getting_started_examples_are_checked() -> None:
    page = DOCS / "getting-started.md"
    assert sum(block.count(">>>") for _, block in _blocks(page, ("pycon", "python"))) >= 5
    # every Python block of the page is an example that runs, none is only shown
    assert all(">>>" in block for _, block in _blocks(page, ("pycon", "python")))


def test_page_commands_parse() -> None:
    """Each ``kexie …`` command the pages show is accepted by the command's parser."""
    from kexie_research.cli import make_parser

    parser = make_parser()
    commands = []
    for page in sorted(DOCS.glob("*.md")):
        for _, block in _blocks(page, ("bash", "console", "shell", "sh")):
            for line in block.splitlines():
                for part in line.split("#", 1)[0].split("&&"):
                    words = shlex.split(part.strip())
                    if words[:1] == ["kexie"] and len(words) > 1 and words[1] != "lab":
                        commands.append((page.name, words[1:]))
    assert any(words[0] == "add-source" for _, words in commands)
    for name, words in commands:
        try:
            parser.parse_args(words)
        except SystemExit as exc:  # argparse exits on a bad command line
            pytest.fail(f"{name}: `kexie {' '.join(words)}` is not a valid command line ({exc})")


def _table_rows(page: Path, header: str) -> list[list[str]]:
    """The cells of the markdown table that starts with ``header`` on ``page``."""
    lines = page.read_text(encoding="utf-8").splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_readme_lists_every_notebook_with_its_parameters() -> None:
    from kexie_research.runner.discover import discover_notebooks

    table = {
        row[0].strip("`"): re.findall(r"`(\w+)`", row[1])
        for row in _table_rows(ROOT / "README.md", "| notebook | parameters | what it shows |")
    }
    declared = {notebook.name: list(notebook.parameters) for notebook in discover_notebooks()}
    assert table == declared


def test_build_page_lists_every_step_with_what_it_needs() -> None:
    from kexie_research.build import STEPS

    table = {
        row[0].strip("`"): [] if row[2] == "—" else [need.strip() for need in row[2].split(",")]
        for row in _table_rows(ROOT / "docs" / "build.md", "| step | raw inputs | needs | processed tables |")
    }
    assert table == {step.name: list(step.needs) for step in STEPS}
