"""Kernels forked from the template: set up like spawned ones, isolated, managed, and replaced when the template fails."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

from kexie_research.runner import forking, kernels, reports
from kexie_research.runner.execute import start_template
from kexie_research.runner.forking import ForkedProcess, KernelTemplate, TemplateUnavailable
from kexie_research.runner.model import RunPayload

from tests.runner.test_reports import write_notebook

pytestmark = pytest.mark.skipif(not forking.fork_supported(), reason="kernels are forked on Linux only")

PROBE = r"""
import json, os, signal, subprocess, sys
print(json.dumps({
    "executable": sys.executable, "argv": sys.argv[1:2], "cwd": os.getcwd(), "path": sys.path,
    "backend": os.environ.get("MPLBACKEND"), "epoch": os.environ.get("SOURCE_DATE_EPOCH"),
    "sigchld_default": signal.getsignal(signal.SIGCHLD) == signal.SIG_DFL,
    "child_status": subprocess.run([sys.executable, "-c", "raise SystemExit(3)"], timeout=60).returncode,
    "own_group": os.getpgid(0) == os.getpid(),
    "user_names": sorted(k for k in globals() if not k.startswith("_") and k not in ("In", "Out", "exit", "quit", "get_ipython", "open")),
    "shell": type(get_ipython()).__name__,
    "watches_parent": os.environ.get("JPY_PARENT_PID") == str(os.getppid()),
    "plotly_renderer": __import__("plotly.io").io.renderers.default,
}))
"""


def run_code(kernel: kernels.RunKernel, code: str) -> str:
    """Execute ``code`` on the kernel; return what it printed (fails on an error in the code)."""
    client = kernel.km.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        printed: list[str] = []

        def hook(message):
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])

        reply = client.execute_interactive(code, output_hook=hook, timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(printed)
    finally:
        client.stop_channels()


@pytest.fixture()
def forks(monkeypatch) -> list[int]:
    """The pids of the kernels forked while the test runs (to tell a forked run from a fallback)."""
    pids: list[int] = []
    original = KernelTemplate.fork

    def recording_fork(self, *args, **kwargs):
        pid = original(self, *args, **kwargs)
        pids.append(pid)
        return pid

    monkeypatch.setattr(KernelTemplate, "fork", recording_fork)
    return pids


@pytest.fixture()
def templates(monkeypatch) -> list[KernelTemplate]:
    """The kernel templates started while the test runs."""
    started: list[KernelTemplate] = []
    original = KernelTemplate.__init__

    def recording_init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(KernelTemplate, "__init__", recording_init)
    return started


@pytest.fixture(scope="module")
def template():
    kernels.ensure_project_kernel()
    started = start_template([])
    assert started is not None
    yield started
    started.close()


def _kernel(tmp_path: Path, template: KernelTemplate | None, name: str = "k") -> kernels.RunKernel:
    return kernels.RunKernel(
        "kexie-research", "/nonexistent.ipynb", tmp_path / name, cwd=str(tmp_path), template=template
    )


@pytest.mark.slow
def test_a_forked_kernel_is_set_up_like_a_spawned_one(template, tmp_path):
    forked, spawned = _kernel(tmp_path, template, "f"), _kernel(tmp_path, None, "s")
    try:
        assert forked.forked and not spawned.forked
        seen = {
            name: json.loads(run_code(kernel, PROBE)) for name, kernel in (("forked", forked), ("spawned", spawned))
        }
    finally:
        forked.shutdown()
        spawned.shutdown()
    assert seen["forked"] == seen["spawned"]
    probe = seen["forked"]
    assert probe["cwd"] == str(tmp_path) and probe["executable"] == sys.executable
    assert probe["sigchld_default"] and probe["child_status"] == 3  # a notebook's subprocesses report their status
    assert (
        probe["own_group"]
        and probe["watches_parent"]
        and probe["user_names"] == ["json", "os", "signal", "subprocess", "sys"]
    )  # the probe's own imports only
    assert probe["shell"] == "ZMQInteractiveShell"
    assert probe["plotly_renderer"] == "plotly_mimetype"  # chosen for a kernel, though the template imported plotly


@pytest.mark.slow
def test_forked_kernels_start_with_the_stack_and_fresh_random_state(template, tmp_path):
    code = (
        "import sys, numpy\nprint('pandas' in sys.modules, 'geopandas' in sys.modules, numpy.random.randint(1 << 30))"
    )
    first, second = _kernel(tmp_path, template, "a"), _kernel(tmp_path, template, "b")
    try:
        outputs = [run_code(kernel, code).split() for kernel in (first, second)]
    finally:
        first.shutdown()
        second.shutdown()
    assert [o[:2] for o in outputs] == [["True", "True"], ["True", "True"]]
    assert outputs[0][2] != outputs[1][2]  # numpy re-seeded in each child, as a new process would be


@pytest.mark.slow
def test_a_forked_kernel_is_stopped_by_shutdown(template, tmp_path):
    kernel = _kernel(tmp_path, template)
    pid = kernel.km.provisioner.pid
    os.kill(pid, 0)  # alive
    kernel.shutdown()
    assert ForkedProcess(pid).wait(timeout=10) == -1
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.slow
def test_a_dead_template_means_spawned_kernels(tmp_path):
    kernels.ensure_project_kernel()
    dead = start_template([])
    dead.wait_ready()
    dead.process.kill()
    dead.process.wait()
    with pytest.raises(TemplateUnavailable, match=r"exited|gone|did not answer"):
        dead.fork(str(tmp_path / "x.json"), dict(os.environ), str(tmp_path))
    kernel = _kernel(tmp_path, dead)
    try:
        assert not kernel.forked
        assert run_code(kernel, "print(6 * 7)").strip() == "42"
    finally:
        kernel.shutdown()
        dead.close()


def test_a_malformed_request_is_refused_and_the_template_goes_on(tmp_path):
    template = KernelTemplate(["json"])
    try:
        assert template.wait_ready()["failed"] == []
        with template._lock:
            template._writer.write("this is not json\n")
            template._writer.flush()
            answer = template._receive(30)
        assert "error" in answer and "JSONDecodeError" in answer["error"]
        assert template.process.poll() is None  # still serving
    finally:
        template.close()
    assert template.process.poll() == 0


def test_preload_skips_the_inline_backend_and_names_what_failed():
    from kexie_research.runner.template import preload

    imported, failed = preload(["json", "matplotlib_inline.backend_inline", "IPython.display.display", "json"])
    assert imported == ["json"] and failed == ["IPython.display.display"]


def test_a_vanished_process_reads_as_ended():
    process = ForkedProcess(2**22 + 12345)  # above the kernel's default pid_max: never a live process
    assert process.poll() == -1 and process.wait(timeout=1) == -1
    process.kill()  # nothing to signal, no error


def test_the_analysis_stack_is_read_from_the_library_source():
    stack = kernels.analysis_stack()
    assert {"pandas", "geopandas", "matplotlib.pyplot", "seaborn", "jieba"} <= set(stack)
    assert not any(
        name.startswith(("kexie_research", "dask", "distributed", "papermill", "nbconvert")) for name in stack
    )
    import importlib.util

    assert [name for name in stack if importlib.util.find_spec(name.split(".")[0]) is None] == []  # no stray words


@pytest.mark.slow
def test_runs_on_forked_kernels_share_no_state_and_draw_inline(tmp_path, forks):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_notebook(
        folder,
        "00_sets.ipynb",
        "x: int = 1",
        "import json, pandas as pd\njson.kexie_marker = x\npd.set_option('display.max_rows', 3)\nprint('set')",
    )
    write_notebook(
        folder,
        "01_reads.ipynb",
        "x: int = 1",
        "import json, pandas as pd\nprint('marker', hasattr(json, 'kexie_marker'), pd.get_option('display.max_rows'))",
        "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()",
    )
    out = tmp_path / "reports"
    summary = reports.run_reports(notebooks_dir=folder, output_dir=out, progress=False, jobs=1)
    assert summary.exit_code == 0, [r.error for r in summary.results]
    assert len(forks) == 2  # both runs were on forked kernels, not on a fallback
    reads = nbformat.read(out / "01_reads.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in reads.cells for o in c.get("outputs", []))
    assert "marker False 60" in text  # neither the module attribute nor the pandas option leaked across runs
    assert any(
        "image/png" in o.get("data", {}) for c in reads.cells for o in c.get("outputs", [])
    )  # inline backend attached


@pytest.mark.slow
def test_a_real_report_is_the_same_on_forked_and_spawned_kernels(tmp_path, forks):
    outputs = {}
    for name, fork in (("forked", True), ("spawned", False)):
        out = tmp_path / name
        summary = reports.run_reports(notebooks=["00"], output_dir=out, progress=False, fork=fork)
        assert summary.exit_code == 0, [r.error for r in summary.results]
        assert len(forks) == 1  # the forked run forked, the spawned one did not
        executed = nbformat.read(out / "00_dataset_overview.ipynb", as_version=4)
        # An object's text/plain repr carries its memory address, different in any two processes.
        cells = [
            re.sub(r" at 0x[0-9a-f]+", " at 0x…", json.dumps(list(c.get("outputs", [])), sort_keys=True))
            for c in executed.cells
        ]
        figures = {
            p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "figures").rglob("*")) if p.is_file()
        }
        outputs[name] = (cells, figures)
    assert outputs["forked"][1].keys() == outputs["spawned"][1].keys() and outputs["forked"][1]
    assert outputs["forked"][1] == outputs["spawned"][1]  # every figure file byte for byte
    assert outputs["forked"][0] == outputs["spawned"][0]  # every cell output


@pytest.mark.slow
def test_no_template_or_kernel_outlives_the_command(tmp_path, templates, forks):
    pids = forks
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for n in range(3):
        write_notebook(folder, f"0{n}_x.ipynb", "x: int = 1", "print(x)")
    summary = reports.run_reports(notebooks_dir=folder, output_dir=tmp_path / "reports", progress=False, jobs=2)
    assert summary.exit_code == 0
    assert len(templates) == 1 and len(pids) == 3
    assert templates[0].process.poll() is not None
    for pid in pids:
        assert ForkedProcess(pid).poll() == -1


@pytest.mark.slow
def test_a_kernel_that_dies_before_its_first_cell_fails_its_run_at_once(template, tmp_path):
    import signal

    from kexie_research.runner.execute import execute_run

    payload = RunPayload(
        "00_x",
        "00_x",
        str(tmp_path / "x.ipynb"),
        {},
        str(tmp_path / "staging"),
        "kexie-research",
        "",
        cwd=str(tmp_path),
    )
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), tmp_path / "x.ipynb")
    kernel = kernels.RunKernel(
        payload.kernel_name, payload.notebook_path, tmp_path / "staging" / "figures", cwd=payload.cwd, template=template
    )
    assert kernel.forked
    os.kill(kernel.km.provisioner.pid, signal.SIGKILL)
    result = execute_run(payload, kernel)
    assert result.status == "failed" and result.error and "died" in result.error, result.error
    assert result.duration < 30  # noticed at once, not after papermill's 120 s start-up timeout


@pytest.mark.slow
def test_kernels_exit_when_their_template_goes_away(tmp_path):
    kernels.ensure_project_kernel()
    doomed = start_template([])
    kernel = _kernel(tmp_path, doomed)
    try:
        assert kernel.forked
        process = kernel.km.provisioner.process
        assert process.poll() is None
        doomed.process.kill()
        doomed.process.wait()
        assert process.wait(timeout=20) == -1  # ipykernel watches its parent, the template
    finally:
        kernel.shutdown()
        doomed.close()


@pytest.mark.slow
def test_a_command_that_stops_early_ends_its_template_quietly(tmp_path, capfd, templates):
    started = templates
    with pytest.raises(reports.ReportError, match="valid"):
        reports.run_reports(notebooks=["99_nope"], output_dir=tmp_path / "out", progress=False, force=True)
    assert len(started) == 1 and started[0].process.poll() is not None  # started early, ended with the command
    assert "Traceback" not in capfd.readouterr().err  # nothing from the template on the terminal
