"""The tests' own dataset: the session reads the frozen fixture, and scripts/freeze_test_dataset.py refreshes it."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from kexie_research import config

ROOT = Path(__file__).resolve().parents[1]
FROZEN_RAW = ROOT / "tests" / "fixtures" / "dataset" / "raw"


@pytest.fixture(scope="module")
def freezer():
    path = ROOT / "scripts" / "freeze_test_dataset.py"
    spec = importlib.util.spec_from_file_location("freeze_test_dataset", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_session_reads_a_built_copy_of_the_frozen_dataset_not_the_live_data():
    data = config.data_dir()
    assert data != (ROOT / "data").resolve() and not data.is_relative_to(ROOT / "data")
    assert os.environ["KEXIE_DATA_DIR"] == str(data)
    for name in (config.MANIFEST, config.CODEBOOK, f"{config.SHEETS_DIR}/wuzhou_article.csv"):
        assert (config.raw_dir() / name).read_bytes() == (FROZEN_RAW / name).read_bytes(), name
    assert (config.processed_dir() / "datapackage.json").is_file()  # built once for the session


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_freeze_copies_reports_changes_and_is_rerunnable(freezer, tmp_path, capsys):
    source = _tree(
        tmp_path / "raw",
        {
            "sources.yaml": "sources: []\n",
            "geo/a.parquet": "x",
            "documents/000.txt": "文",
            ".kexie.lock": "",
            "indicators/x.csv.kexie-tmp": "half",
        },
    )  # a running command's files
    target = tmp_path / "tests" / "dataset" / "raw"
    assert freezer.main(["--source", str(source), "--target", str(target)]) == 0
    out = capsys.readouterr().out
    assert "3 files" in out and "added: geo/a.parquet" in out and "added: documents/000.txt" in out
    assert freezer.file_digests(target) == freezer.file_digests(source)
    assert not (target / ".kexie.lock").exists() and not list(target.rglob("*.kexie-tmp"))

    assert freezer.main(["--source", str(source), "--target", str(target)]) == 0
    assert "no file changed" in capsys.readouterr().out

    (source / "documents" / "000.txt").write_text("改", encoding="utf-8")
    (source / "geo" / "a.parquet").unlink()
    (source / "indicators" / "new.csv").write_text("record_id\n", encoding="utf-8")
    assert freezer.main(["--source", str(source), "--target", str(target), "--check"]) == 1
    checked = capsys.readouterr().out
    assert {"changed: documents/000.txt", "removed: geo/a.parquet", "added: indicators/new.csv"} <= set(
        checked.splitlines()
    )
    assert (target / "geo" / "a.parquet").is_file()  # --check writes nothing

    assert freezer.main(["--source", str(source), "--target", str(target)]) == 0
    assert freezer.file_digests(target) == freezer.file_digests(source)
    assert not (target / "geo" / "a.parquet").exists()  # a file gone from data/raw is gone from the fixture
    assert sorted(p.name for p in target.parent.iterdir()) == ["raw"]  # no staging folder left behind
    assert freezer.main(["--source", str(source), "--target", str(target), "--check"]) == 0


def test_freeze_refuses_a_folder_that_is_not_data_raw(freezer, tmp_path):
    target = _tree(tmp_path / "fixture", {"sources.yaml": "kept\n"})
    with pytest.raises(SystemExit, match="is not a data/raw folder"):
        freezer.freeze(tmp_path / "empty", target)
    assert (target / "sources.yaml").read_text(encoding="utf-8") == "kept\n"


def test_a_failed_copy_keeps_the_previous_fixture(freezer, tmp_path, monkeypatch):
    source = _tree(tmp_path / "raw", {"sources.yaml": "new\n"})
    target = _tree(tmp_path / "fixture" / "raw", {"sources.yaml": "old\n"})

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(freezer.shutil, "copytree", explode)
    with pytest.raises(OSError, match="disk full"):
        freezer.freeze(source, target)
    assert (target / "sources.yaml").read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["raw"]


@pytest.mark.parametrize("example", ["file_digests", "compare"])
def test_the_script_examples_run(freezer, example):
    import doctest

    finder = doctest.DocTestFinder()
    tests = finder.find(getattr(freezer, example), example, globs=vars(freezer))
    results = [doctest.DocTestRunner().run(test) for test in tests]
    assert results and all(r.failed == 0 and r.attempted > 0 for r in results)
