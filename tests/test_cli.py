"""The `kexie` front door: build, validate, errors, and `python -m kexie_research`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kexie_research import __version__
from kexie_research.cli import main


def test_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert __version__ in capsys.readouterr().out


def test_build_prints_counts_per_city(tmp_path, capsys):
    assert main(["build", "--output-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "coded rows ->" in out and "wuzhou" in out and "zunyi" in out
    assert (tmp_path / "indicators.csv").is_file()


def test_validate_passes_on_the_real_data(capsys):
    assert main(["validate"]) == 0
    assert "all coded rows pass" in capsys.readouterr().out


def test_changed_checksum_is_a_clear_error_not_a_traceback(raw_copy: Path, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(raw_copy, data / "raw")
    document = data / "raw" / "documents" / "001_2334923d3231c095.txt"
    document.write_bytes(document.read_bytes().replace("荣昌".encode(), "荣晶".encode(), 1))
    monkeypatch.setenv("KEXIE_DATA_DIR", str(data))
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "001_2334923d3231c095.txt: checksum changed" in err
    assert "Traceback" not in err


def test_module_entry_point_runs_from_any_directory(tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    completed = subprocess.run(
        [sys.executable, "-m", "kexie_research", "build", "--output-dir", str(tmp_path / "out")],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "out" / "datapackage.json").is_file()


def test_loaders_work_from_any_directory(tmp_path):
    code = (
        "import kexie_research as kr; df = kr.load_indicators(); "
        "print(len(df), len(kr.load_places()), len(kr.load_documents()), len(kr.load_codebook().indicators))"
    )
    completed = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    rows, places, documents, indicators = map(int, completed.stdout.split())
    assert rows > 100 and places >= 30 and documents == 5 and indicators > 50


def test_unknown_option_is_rejected(capsys):
    import pytest

    with pytest.raises(SystemExit) as exc:
        main(["build", "--colour"])
    assert exc.value.code == 2
    assert "unrecognized arguments: --colour" in capsys.readouterr().err


def test_lab_passes_options_to_jupyterlab_on_the_project_kernel(monkeypatch):
    import subprocess

    import kexie_research.runner.reports as reports

    calls = []
    monkeypatch.setattr(reports, "ensure_project_kernel", lambda: "kexie-research")
    monkeypatch.setattr(subprocess, "call", lambda command, cwd=None: calls.append((command, cwd)) or 0)
    assert main(["lab", "--no-browser", "--port", "8899"]) == 0
    command, cwd = calls[0]
    assert command[1:3] == ["-m", "jupyterlab"]
    assert "--MappingKernelManager.default_kernel_name=kexie-research" in command
    assert command[-3:] == ["--no-browser", "--port", "8899"]
    assert cwd.endswith("notebooks")
