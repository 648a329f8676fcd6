"""Citation, changelog and dataset version agree with the package; licences are stated."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from kexie_research import __version__
from kexie_research import config

ROOT = config.repo_root()


def test_citation_cff_is_valid_and_current():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for field in ("cff-version", "message", "title", "authors", "version", "date-released", "license"):
        assert citation.get(field), f"CITATION.cff lacks {field}"
    assert re.fullmatch(r"1\.2\.\d+", citation["cff-version"])
    assert str(citation["version"]) == __version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(citation["date-released"]))
    assert all("name" in author or "family-names" in author for author in citation["authors"])


def test_versions_agree_across_package_dataset_and_changelog():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__
    package = json.loads((config.processed_dir() / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == __version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in changelog


def test_licences_for_code_data_and_sources_are_stated():
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    data_licence = (ROOT / "LICENSE-DATA.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in data_licence and "data/raw/documents/" in data_licence
    assert (config.raw_dir() / "geo" / "README.md").is_file()


def test_environment_yml_mirrors_every_dependency_of_pyproject():
    # The conda route must install what `pip install -e .[all]` installs, at the same minimum versions.
    from packaging.requirements import Requirement

    conda_names = {"brotli": "brotli-python"}  # conda-forge's name for the same package
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed: dict[str, str] = {}
    for entry in environment["dependencies"]:
        for text in entry["pip"] if isinstance(entry, dict) else [entry]:
            if text.startswith("-e ") or text in ("pip",):
                continue
            requirement = Requirement(text)
            if requirement.name == "python":  # the interpreter, not a package (python-docx is one)
                continue
            listed[requirement.name] = str(requirement.specifier)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for _extra, requirements in project["optional-dependencies"].items():
        wanted += [text for text in requirements if not text.startswith("kexie-research")]
    missing = {}
    for text in wanted:
        requirement = Requirement(text)
        name = conda_names.get(requirement.name, requirement.name)
        if listed.get(name) != str(requirement.specifier):
            missing[name] = (str(requirement.specifier), listed.get(name))
    assert missing == {}, f"environment.yml differs from pyproject.toml (wanted, listed): {missing}"


def test_no_tracked_file_holds_merge_conflict_markers():
    import subprocess

    import pytest

    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    if listed.returncode != 0:  # an unpacked sdist, or a checkout git will not read
        pytest.skip(f"no git file list here: {listed.stderr.strip()}")
    tracked = listed.stdout
    marked = []
    for name in filter(None, tracked.split("\0")):
        path = ROOT / name
        if path.suffix in {".parquet", ".png", ".woff2", ".ico"} or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        if re.search(r"^(<{7} |>{7} )", text, flags=re.MULTILINE):
            marked.append(name)
    assert marked == []
