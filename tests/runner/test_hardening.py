"""`kexie report` is safe to rerun: the cache never lies, one run at a time per folder, runs that die
leave what they have, the output folder is the runner's own, parameters are checked before any
kernel starts. Tiny notebooks in a temp folder keep the kernel tests to seconds."""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from kexie_research.runner import command, execute, outdir
from kexie_research.runner.model import LOCK_NAME, MARKER_NAME, Parameter, ReportError
from kexie_research.runner.params import coerce_parameter

from .test_reports import write_notebook


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.configure_parser(parser)
    return parser.parse_args(list(argv))


@pytest.fixture()
def no_kernel(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(execute, "RunKernel", refuse)
    monkeypatch.setattr(execute, "execute_run", refuse)


@pytest.fixture()
def notebooks(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    figure = (
        "import os, pathlib, time\n"
        "pathlib.Path(os.environ['KEXIE_FIGURE_DIR'], 'line.png').write_bytes(b'png')\n"
        "print('figure written')"
    )
    write_notebook(folder, "00_pause.ipynb", "pause: float = 0.0", figure, "time.sleep(pause)\nprint('done')")
    write_notebook(folder, "01_dies.ipynb", None, "print('first cell ran')", "import os\nos._exit(1)", "print('never')")
    write_notebook(
        folder, "02_slow.ipynb", None, "print('first cell ran')", "import time\ntime.sleep(60)", "print('never')"
    )
    write_notebook(folder, "03_ranged.ipynb", "incl_cut = 0.8\nterms = ['a']\nn: int = 2", "print(incl_cut, terms, n)")
    nb = nbformat.read(folder / "03_ranged.ipynb", as_version=4)
    nb.metadata["kexie"] = {"parameters": {"incl_cut": {"min": 0.5, "max": 1}, "n": {"min": 1}}}
    nbformat.write(nb, folder / "03_ranged.ipynb")
    return folder


def _outputs(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


# ---------------------------------------------------------------------------------------------- parameters and options


@pytest.mark.parametrize("raw", ["nan", "-inf", "inf", "NaN"])
def test_non_finite_numbers_are_refused(raw):
    with pytest.raises(ReportError, match="finite"):
        coerce_parameter(raw, Parameter("incl_cut", "None", "0.8"), "50_x")


def test_range_from_notebook_metadata_and_empty_lists(notebooks, tmp_path, no_kernel):
    out = tmp_path / "new" / "reports"
    for parameter, message in [
        ("incl_cut=0.2", "at least 0.5"),
        ("incl_cut=1.5", "at most 1"),
        ("n=0", "at least 1"),
        ("terms=[]", "must not be empty"),
        ("incl_cut=", "must not be empty"),
        ("incl_cut=-inf", "finite"),
    ]:
        with pytest.raises(ReportError, match=message):
            command.run_reports(
                notebooks=["03"], notebooks_dir=notebooks, output_dir=out, parameters=[parameter], progress=False
            )
    assert not out.exists() and not out.parent.exists()  # a rejected run creates nothing


def test_command_rejects_empty_cases_and_bad_timeout_before_any_kernel(tmp_path, no_kernel, capsys):
    out = tmp_path / "reports"
    assert command.command(_args("--cases", "", "--output-dir", str(out))) == 2
    assert "--cases needs at least one case" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # --cities, the name of --cases before 0.7.0, is no option any more
        _args("--cities", "zunyi")
    assert "unrecognized arguments: --cities" in capsys.readouterr().err
    for value in ("-5", "0", "nan", "inf"):
        assert command.command(_args("--timeout", value, "--output-dir", str(out))) == 2
        assert "--timeout must be a positive number" in capsys.readouterr().err
    assert not out.exists()


# ---------------------------------------------------------------------------------------------- the output folder


def test_output_dir_must_be_new_empty_or_made_by_the_runner(tmp_path):
    from kexie_research.config import repo_root

    nb = tmp_path / "notebooks"
    for refused in (Path("/"), Path("/etc"), repo_root(), repo_root() / "kexie_research", Path(sys.prefix)):
        with pytest.raises(ReportError):
            outdir.check_output_dir(refused, nb)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "index.html").write_text("my own page")
    with pytest.raises(ReportError, match="not made by `kexie report`"):
        outdir.check_output_dir(mine, nb)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert outdir.check_output_dir(empty, nb) == empty.resolve()
    (mine / MARKER_NAME).write_text("{}")
    assert outdir.check_output_dir(mine, nb) == mine.resolve()


def test_checkout_data_is_protected_when_data_dir_is_elsewhere(tmp_path, monkeypatch):
    from kexie_research.config import repo_root

    monkeypatch.setenv("KEXIE_DATA_DIR", str(tmp_path / "elsewhere"))
    with pytest.raises(ReportError, match="data folder"):
        outdir.check_output_dir(repo_root() / "data" / "reports", tmp_path)


def test_folder_never_replaces_or_deletes_files_it_did_not_write(tmp_path):
    out = tmp_path / "reports"
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    with outdir.OutputFolder(out) as folder:
        folder.write_text("index.html", "v1")
        (out / "notes.html").write_text("the reader's own notes")
        with pytest.raises(ReportError, match="not written by `kexie report`"):
            folder.write_text("notes.html", "overwritten")
        (out / "00_x.html").symlink_to(outside)
        with pytest.raises(ReportError):
            folder.write_text("00_x.html", "through a symlink")
        staged = folder.staging("00_x")
        (staged / "figures").mkdir()
        (staged / "figures" / "a.png").write_bytes(b"1")
        folder.replace_tree(staged / "figures", "figures/00_x")
        (out / "figures" / "00_x" / "mine.txt").write_text("the reader's file")
        folder.replace_tree(folder.staging("00_x") / "figures", "figures/00_x")  # a rerun without figures
    assert outside.read_text() == "keep me"
    assert (out / "notes.html").read_text() == "the reader's own notes"
    assert (out / "figures" / "00_x" / "mine.txt").exists() and not (out / "figures" / "00_x" / "a.png").exists()
    assert json.loads((out / MARKER_NAME).read_text())["files"] == ["index.html"]
    assert not any(p.name.startswith(".tmp-") for p in out.iterdir()) and not (out / ".staging").exists()


def test_planted_symlinks_are_not_followed(tmp_path):
    out = tmp_path / "reports"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    with outdir.OutputFolder(out):
        pass
    for name in (".cache.tmp", ".tmp-planted", ".staging"):
        (out / name).symlink_to(victim)
    from kexie_research.runner.cache import save_cache

    with outdir.OutputFolder(out) as folder:
        save_cache(folder.path, {"version": 2, "runs": {}})
    assert victim.read_text() == "keep me"


# ---------------------------------------------------------------------------------------------- the lock


def test_second_run_into_a_folder_waits_or_stops(notebooks, tmp_path, no_kernel, monkeypatch):
    out = tmp_path / "reports"
    with outdir.OutputFolder(out):
        pass
    holder = os.open(out / LOCK_NAME, os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        monkeypatch.setattr(command, "discover_notebooks", lambda *a, **k: [])
        monkeypatch.setattr(command, "plan_runs", lambda *a, **k: [])
        monkeypatch.setattr(command, "_write_font", lambda *a, **k: "")
        with pytest.raises(ReportError, match="another `kexie report`"):
            command.run_reports(notebooks_dir=notebooks, output_dir=out, wait=False, progress=False)
        finished = threading.Event()
        waiter = threading.Thread(
            target=lambda: (
                command.run_reports(notebooks_dir=notebooks, output_dir=out, progress=False),
                finished.set(),
            )
        )
        waiter.start()
        time.sleep(1.0)
        assert not finished.is_set()  # waiting for the lock
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    waiter.join(30)
    assert finished.is_set()


# ---------------------------------------------------------------------------------------------- runs that die (slow)


@pytest.mark.slow
def test_concurrent_runs_keep_each_others_cache_entries(notebooks, tmp_path):
    out = tmp_path / "reports"
    outcomes = {}

    def run(name):
        outcomes[name] = command.run_reports(notebooks=[name], notebooks_dir=notebooks, output_dir=out, progress=False)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("00", "03")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert {r.status for s in outcomes.values() for r in s.results} == {"ok"}
    cache = json.loads((out / ".cache.json").read_text())
    assert {"00_pause", "03_ranged"} <= set(cache["runs"])


@pytest.mark.slow
def test_dead_kernel_and_timeout_keep_what_ran_and_name_the_cell(notebooks, tmp_path):
    out = tmp_path / "reports"
    summary = command.run_reports(
        notebooks=["01", "02"], notebooks_dir=notebooks, output_dir=out, progress=False, timeout=3
    )
    errors = {r.run_name: r.error for r in summary.results}
    assert [r.status for r in summary.results] == ["failed", "failed"]
    assert "the kernel died in cell 2 of 01_dies.ipynb" in errors["01_dies"]
    assert "timed out after --timeout 3 s in cell 2 of 02_slow.ipynb" in errors["02_slow"]
    for name in ("01_dies", "02_slow"):
        assert "first cell ran" in _outputs(out / f"{name}.ipynb")  # the cells run so far are kept
        assert "first cell ran" in (out / f"{name}.html").read_text()
    cache = json.loads((out / ".cache.json").read_text())
    assert {cache["runs"][name]["status"] for name in ("01_dies", "02_slow")} == {"failed"}
    again = command.run_reports(notebooks=["01"], notebooks_dir=notebooks, output_dir=out, progress=False)
    assert again.results[0].reason == "failed last time"  # never taken from the cache


@pytest.mark.slow
def test_killed_run_never_leaves_a_lying_cache(notebooks, tmp_path):
    out = tmp_path / "reports"
    first = command.run_reports(notebooks=["00"], notebooks_dir=notebooks, output_dir=out, progress=False)
    assert first.results[0].status == "ok" and (out / "figures" / "00_pause" / "line.png").is_file()
    started = time.time()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kexie_research.runner",
            "--notebooks",
            "00",
            "--force",
            "--no-progress",
            "-p",
            "pause=60",
            "--output-dir",
            str(out),
            "--notebooks-dir",
            str(notebooks),
        ],
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 90
        while time.time() < deadline and not any(p.stat().st_mtime > started for p in out.rglob("line.png")):
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    rerun = command.run_reports(notebooks=["00"], notebooks_dir=notebooks, output_dir=out, progress=False)
    result = rerun.results[0]
    for name in [result.ipynb, result.html, *result.figures]:
        assert (out / name).is_file(), f"{name} is recorded but missing"
    assert result.figures == ["figures/00_pause/line.png"]
    (out / "figures" / "00_pause" / "line.png").unlink()
    missing = command.run_reports(notebooks=["00"], notebooks_dir=notebooks, output_dir=out, progress=False)
    assert missing.results[0].reason == "outputs missing"
