"""A checkout with core.autocrlf=true (Git for Windows' default) keeps data/ byte for byte (issue 20.10)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from kexie_research.steps.sources import read_sources, verify_sources

ROOT = Path(__file__).resolve().parents[1]


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, timeout=300).stdout


@pytest.fixture(scope="module")
def crlf_checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    commit = _git("rev-parse", "HEAD").strip()
    clone = tmp_path_factory.mktemp("crlf") / "repo"
    _git("clone", "-q", "--no-checkout", "-c", "core.autocrlf=true", str(ROOT), str(clone))
    _git("checkout", "-q", commit, cwd=clone)
    return clone


# the live inputs and the tests' frozen copy of them (tests/fixtures/dataset, the data the tests build)
RAW_FOLDERS = ["data/raw", "tests/fixtures/dataset/raw"]


@pytest.mark.parametrize("folder", RAW_FOLDERS)
def test_documents_keep_their_manifest_checksums_under_autocrlf(crlf_checkout: Path, folder: str):
    raw = crlf_checkout / folder
    assert _git("config", "core.autocrlf", cwd=crlf_checkout).strip() == "true"
    entries = read_sources(raw)
    for entry in entries:
        data = (raw / "documents" / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
    assert len(verify_sources(raw)) == len(entries)  # the build's own check


@pytest.mark.parametrize("folder", ["data", "tests/fixtures/dataset"])
def test_every_file_of_data_is_checked_out_as_committed(crlf_checkout: Path, folder: str):
    files = _git("ls-files", "-z", folder, cwd=crlf_checkout).split("\0")
    changed = [
        name
        for name in files
        if name
        and (crlf_checkout / name).is_file()
        and (crlf_checkout / name).read_bytes()
        != subprocess.run(
            ["git", "cat-file", "blob", f"HEAD:{name}"], cwd=crlf_checkout, check=True, capture_output=True, timeout=60
        ).stdout
    ]
    assert not changed, f"converted on checkout: {changed[:5]}"
    assert any(name.endswith(".csv") for name in files) and any(name.endswith(".yaml") for name in files)
