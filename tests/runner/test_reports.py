"""`kexie report` (kexie_research.runner.reports): planning and validation, path safety, the cache, the
kernel, failure isolation. The notebooks here are tiny ones written into a temp folder, so that
the papermill tests (marked slow) take seconds; the real notebooks are run in
tests/test_notebooks_core.py."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import nbformat
import pytest

from kexie_research.runner import cache, command, discover, execute, index, kernels, model, outdir, params, plan
from kexie_research.runner.model import LOCK_NAME, Parameter, ReportError

CASES = ["wuzhou", "rongchang", "chengdu", "liuzhou", "zunyi"]


def write_notebook(folder: Path, name: str, parameters: str | None, *cells: str) -> Path:
    """A notebook with an optional `parameters` cell and the given code cells (stable ids)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if parameters is not None:
        cell = nbformat.v4.new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        cell.id = "parameters"
        nb.cells.append(cell)
    for number, source in enumerate(cells, start=1):
        cell = nbformat.v4.new_code_cell(source)
        cell.id = f"cell-{number}"
        nb.cells.append(cell)
    path = folder / name
    nbformat.write(nb, path)
    return path


def info(name: str, **parameters: Parameter) -> model.NotebookInfo:
    return model.NotebookInfo(name=name, path=Path(f"/nb/{name}.ipynb"), sha256="0" * 64, parameters=dict(parameters))


# ---------------------------------------------------------------------------------------------- parameters


def test_parse_assignments():
    assert params.parse_assignments(["a=1", "b= x=y "]) == {"a": "1", "b": " x=y "}
    with pytest.raises(ReportError, match="name=value"):
        params.parse_assignments(["novalue"])
    with pytest.raises(ReportError, match="identifier"):
        params.parse_assignments(["1x=2"])
    assert params.parse_assignments(["a=1", "a=1"]) == {"a": "1"}  # the same value twice is no conflict
    with pytest.raises(ReportError, match="-p/--parameter min_cases is given twice \\('1' and '2'\\); keep one"):
        params.parse_assignments(["min_cases=1", "min_cases=2"])


@pytest.mark.parametrize(
    ("raw", "type_name", "default", "expected"),
    [
        ("3", "int", "2", 3),
        ("2.5", "float", "1.0", 2.5),
        ("yes", "bool", "False", True),
        ("off", "bool", "True", False),
        ("zunyi", "str", '"wuzhou"', "zunyi"),
        ("['a', 'b']", "list[str]", "[]", ["a", "b"]),
        ("7", "None", "1", 7),  # unannotated: the default's type
        ("0.5", "None", "1.0", 0.5),
        ("hello", "None", "some_function()", "hello"),  # no literal default: literal or string
        ("none", "None", "None", None),
    ],
)
def test_coerce_parameter(raw, type_name, default, expected):
    assert params.coerce_parameter(raw, Parameter("p", type_name, default)) == expected


@pytest.mark.parametrize(
    ("raw", "type_name", "expected"),
    [
        ("two", "int", "an integer"),
        ("x", "float", "a number"),
        ("maybe", "bool", "true/false"),
        ("{1: 2}", "list", "list literal"),
    ],
)
def test_coerce_parameter_errors_name_notebook_and_type(raw, type_name, expected):
    with pytest.raises(ReportError, match=expected) as excinfo:
        params.coerce_parameter(raw, Parameter("min_places", type_name, "2"), "20_comparative")
    assert "20_comparative" in str(excinfo.value) and "'min_places'" in str(excinfo.value)


# ---------------------------------------------------------------------------------------------- planning


def test_plan_expands_case_notebooks_and_types_parameters():
    notebooks = [
        info("00_overview", min_places=Parameter("min_places", "int", "2")),
        info("10_profile", case=Parameter("case", "str", '"wuzhou"')),
        info("20_comparative", min_places=Parameter("min_places", "int", "2"), per=Parameter("per", "int", "10000")),
    ]
    runs = plan.plan_runs(notebooks, ["zunyi", "wuzhou"], CASES, {"min_places": "3"})
    assert [r.run_name for r in runs] == ["00_overview", "10_profile-zunyi", "10_profile-wuzhou", "20_comparative"]
    assert runs[0].parameters == {"min_places": 3}
    assert runs[1].parameters == {"case": "zunyi"}  # a parameter goes only where it is declared
    assert runs[3].parameters == {"min_places": 3}


def test_plan_rejects_unknown_case_listing_valid():
    with pytest.raises(
        ReportError, match="unknown case 'guangzhou'; valid: wuzhou, rongchang, chengdu, liuzhou, zunyi"
    ):
        plan.plan_runs([info("10_profile", case=Parameter("case", "str", '"wuzhou"'))], ["guangzhou"], CASES)


def test_plan_rejects_unknown_parameter_listing_declared():
    notebooks = [info("00_overview", min_places=Parameter("min_places", "int", "2"))]
    with pytest.raises(ReportError, match=r"unknown parameter\(s\) 'max_places'.*declared: min_places"):
        plan.plan_runs(notebooks, CASES, CASES, {"max_places": "3"})


def test_plan_rejects_case_as_parameter():
    with pytest.raises(ReportError, match="--cases"):
        plan.plan_runs(
            [info("10_profile", case=Parameter("case", "str", '"wuzhou"'))], CASES, CASES, {"case": "wuzhou"}
        )


def test_plan_rejects_badly_typed_parameter():
    with pytest.raises(ReportError, match="expects an integer"):
        plan.plan_runs(
            [info("00_overview", min_places=Parameter("min_places", "int", "2"))],
            CASES,
            CASES,
            {"min_places": "many"},
        )


def test_resolve_notebooks_by_name_file_or_number():
    available = [info("00_overview"), info("10_profile"), info("20_comparative")]
    chosen = plan.resolve_notebooks(["20", "notebooks/00_overview.ipynb", "10_profile"], available)
    assert [n.name for n in chosen] == ["00_overview", "10_profile", "20_comparative"]
    with pytest.raises(
        ReportError, match=r"unknown notebook\(s\) '99'.*valid: 00_overview, 10_profile, 20_comparative"
    ):
        plan.resolve_notebooks(["99"], available)


def test_discover_notebooks_filters_names_and_memoises(tmp_path, monkeypatch):
    write_notebook(tmp_path, "00_first.ipynb", "n: int = 1  # how many")
    write_notebook(tmp_path, "10_second.ipynb", 'case: str = "wuzhou"')
    write_notebook(tmp_path, "scratch.ipynb", None, "1")
    write_notebook(tmp_path, "1_bad.ipynb", None, "1")
    write_notebook(tmp_path, "20_Upper.ipynb", None, "1")
    stored = {"notebooks": {}, "runs": {}}
    found = discover.discover_notebooks(tmp_path, stored)
    assert [n.name for n in found] == ["00_first", "10_second"]
    assert found[0].parameters["n"] == Parameter("n", "int", "1", "how many")
    assert found[1].per_case
    # unchanged notebooks are not inspected again (papermill is slow to import)
    monkeypatch.setattr(discover, "inspect_parameters", lambda path: pytest.fail(f"re-inspected {path}"))
    assert [n.parameters for n in discover.discover_notebooks(tmp_path, stored)] == [n.parameters for n in found]


def test_discover_notebooks_missing_folder(tmp_path):
    with pytest.raises(ReportError, match="not found"):
        discover.discover_notebooks(tmp_path / "nope")


# ---------------------------------------------------------------------------------------------- paths


def test_safe_child_refuses_escapes(tmp_path):
    assert outdir.safe_child(tmp_path, "figures", "00_x") == tmp_path.resolve() / "figures" / "00_x"
    for parts in (("..", "x"), ("figures", "..", "..", "x"), ("/etc/passwd",), ("",)):
        with pytest.raises(ReportError):
            outdir.safe_child(tmp_path, *parts)


def test_safe_child_refuses_symlink_out(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "reports"
    out.mkdir()
    (out / "figures").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ReportError, match="escapes"):
        outdir.safe_child(out, "figures", "00_x")


def test_output_dir_cannot_be_notebooks_or_data(tmp_path):
    from kexie_research import config

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    with pytest.raises(ReportError, match="notebooks folder"):
        outdir.check_output_dir(notebooks, notebooks)
    with pytest.raises(ReportError, match="data folder"):
        outdir.check_output_dir(config.processed_dir(), notebooks)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ReportError, match="not a directory"):
        outdir.check_output_dir(tmp_path / "file", notebooks)
    assert outdir.check_output_dir(tmp_path / "out", notebooks) == (tmp_path / "out").resolve()


def test_a_folder_another_run_is_making_is_accepted_and_any_other_content_refused(tmp_path):
    """Two runs into one new folder: the second may look while the first has made only its lock (and
    a temporary file of its marker); that folder is the runner's. Anything else in it is refused."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    out = tmp_path / "reports"
    out.mkdir()
    (out / LOCK_NAME).write_text("123")
    assert outdir.check_output_dir(out, notebooks) == out.resolve()
    (out / ".tmp-marker").write_text("{")
    assert outdir.check_output_dir(out, notebooks) == out.resolve()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ReportError, match="not made by `kexie report`"):
        outdir.check_output_dir(out, notebooks)
    alone = tmp_path / "temporary-only"
    alone.mkdir()
    (alone / ".tmp-x").write_text("not a lock")  # a temporary-looking file without the lock: not ours
    with pytest.raises(ReportError, match="not made by `kexie report`"):
        outdir.check_output_dir(alone, notebooks)


def test_run_names_must_be_safe():
    with pytest.raises(ReportError, match="safe file name"):
        plan.plan_runs([info("10_profile", case=Parameter("case", "str", "''"))], ["a/../b"], ["a/../b"])


# ---------------------------------------------------------------------------------------------- cache


def test_tree_digest_tracks_content_names_and_ignores_bytecode(tmp_path):
    (tmp_path / "a.py").write_text("x = 1")
    first = cache.tree_digest(tmp_path, (".py",))
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "notes.txt").write_text("not code")
    assert cache.tree_digest(tmp_path, (".py",)) == first
    (tmp_path / "a.py").write_text("x = 2")
    second = cache.tree_digest(tmp_path, (".py",))
    assert second != first
    (tmp_path / "a.py").rename(tmp_path / "b.py")
    assert cache.tree_digest(tmp_path, (".py",)) != second
    assert cache.tree_digest(tmp_path / "missing") != cache.tree_digest(tmp_path)


def test_data_fingerprint_changes_with_processed_data(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "processed").mkdir()
    (tmp_path / "processed" / "indicators.csv").write_text("a\n1\n")
    before = cache.data_fingerprint(tmp_path)
    (tmp_path / "processed" / "indicators.csv").write_text("a\n2\n")
    assert cache.data_fingerprint(tmp_path) != before


def _inputs(**changes):
    spec = model.RunSpec("00_overview", info("00_overview"), {"min_places": 2})
    inputs = cache.cache_inputs(spec, "lib", "data")
    inputs.update(changes)
    return inputs


def test_cache_key_depends_on_every_input():
    base = _inputs()
    keys = {cache.cache_key(base)}
    for name, value in [
        ("notebook", "1" * 64),
        ("parameters", {"min_places": 3}),
        ("library", "lib2"),
        ("data", "data2"),
        ("environment", "other"),
    ]:
        keys.add(cache.cache_key({**base, name: value}))
    assert len(keys) == 6


def test_explain_run_says_what_changed(tmp_path):
    (tmp_path / "r.ipynb").write_text("{}")
    (tmp_path / "r.html").write_text("<html>")
    inputs = _inputs()
    entry = {"status": "ok", "key": cache.cache_key(inputs), "inputs": inputs, "ipynb": "r.ipynb", "html": "r.html"}
    assert cache.explain_run(entry, inputs, tmp_path, force=False) is None
    assert cache.explain_run(entry, inputs, tmp_path, force=True) == "--force"
    assert cache.explain_run(None, inputs, tmp_path, force=False) == "not run before"
    assert cache.explain_run(entry, _inputs(library="x"), tmp_path, force=False) == "library code changed"
    assert (
        cache.explain_run(entry, _inputs(data="x", parameters={}), tmp_path, force=False)
        == "parameters changed, data changed"
    )
    assert cache.explain_run({**entry, "status": "failed"}, inputs, tmp_path, force=False) == "failed last time"
    (tmp_path / "r.html").unlink()
    assert cache.explain_run(entry, inputs, tmp_path, force=False) == "outputs missing"


def test_cache_file_roundtrip_and_corruption(tmp_path):
    stored = {"version": model.CACHE_VERSION, "notebooks": {}, "runs": {"x": {"status": "ok"}}, "durations": {}}
    cache.save_cache(tmp_path, stored)
    assert cache.load_cache(tmp_path) == stored
    (tmp_path / model.CACHE_NAME).write_text("{not json")
    assert cache.load_cache(tmp_path)["runs"] == {}
    (tmp_path / model.CACHE_NAME).write_text(json.dumps({"version": -1, "runs": {"x": {}}}))
    assert cache.load_cache(tmp_path)["runs"] == {}


# ---------------------------------------------------------------------------------------------- kernel


def test_ensure_project_kernel_installs_for_this_interpreter(tmp_path):
    name = kernels.ensure_project_kernel(prefix=tmp_path)
    spec = json.loads((tmp_path / "share/jupyter/kernels" / name / "kernel.json").read_text())
    assert name == "kexie-research"
    assert spec["argv"][0] == sys.executable
    assert spec["argv"][1:3] == ["-m", "ipykernel_launcher"]
    # a stale spec (another interpreter) is replaced
    (tmp_path / "share/jupyter/kernels" / name / "kernel.json").write_text(
        json.dumps({**spec, "argv": ["/usr/bin/python3", *spec["argv"][1:]]})
    )
    kernels.ensure_project_kernel(prefix=tmp_path)
    assert (
        json.loads((tmp_path / "share/jupyter/kernels" / name / "kernel.json").read_text())["argv"][0] == sys.executable
    )


def test_project_kernel_shadows_a_user_kernel_of_the_same_name(tmp_path, monkeypatch):
    """A `kexie-research` kernel in the user's own Jupyter folder must not be the one that runs."""
    user_kernel = tmp_path / "user" / "kernels" / "kexie-research"
    user_kernel.mkdir(parents=True)
    (user_kernel / "kernel.json").write_text(
        json.dumps(
            {
                "argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "x",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "0")  # user folders first, as outside a virtualenv
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    kernels.ensure_project_kernel(prefix=tmp_path / "prefix")
    kernels.check_project_kernel(prefix=tmp_path / "prefix")  # raises if the user's kernel were found first
    assert "JUPYTER_PATH" not in os.environ or str(tmp_path / "prefix") not in os.environ["JUPYTER_PATH"]  # restored


def test_kernel_environment():
    env = kernels.kernel_environment(Path("/tmp/figs"), prefix="/venv")
    assert env["JUPYTER_PATH"].split(os.pathsep)[0] == "/venv/share/jupyter"
    assert env["KEXIE_FIGURE_DIR"] == "/tmp/figs"


def test_notebook_imports(tmp_path):
    path = write_notebook(
        tmp_path,
        "00_x.ipynb",
        None,
        "import pandas as pd\nfrom kexie_research.analysis import compare\nfrom kexie_research.viz import plotting",
        "%matplotlib inline\nimport seaborn",
        "def f(:",
    )
    assert kernels.notebook_imports(path) == [
        "pandas",
        "kexie_research.analysis",
        "kexie_research.analysis.compare",
        "kexie_research.viz",
        "kexie_research.viz.plotting",
        "seaborn",
    ]


# ---------------------------------------------------------------------------------------------- index and command line


def test_index_lists_runs_with_parameters_and_escapes(tmp_path):
    notebooks = [info("10_profile", case=Parameter("case", "str", '"wuzhou"'))]
    stored = {
        "runs": {
            "10_profile-zunyi": {
                "run_name": "10_profile-zunyi",
                "notebook": "10_profile",
                "parameters": {"case": "zunyi"},
                "status": "ok",
                "started": "2026-01-01T00:00:00+00:00",
                "duration": 1.5,
                "html": "10_profile-zunyi.html",
                "ipynb": "10_profile-zunyi.ipynb",
                "figures": ["figures/10_profile-zunyi/a.png"],
                "error": None,
            },
            "10_profile-wuzhou": {
                "run_name": "10_profile-wuzhou",
                "notebook": "10_profile",
                "parameters": {"case": "wuzhou"},
                "status": "failed",
                "started": "",
                "duration": 0.5,
                "html": "",
                "ipynb": "",
                "figures": [],
                "error": "cell 3: <script>",
            },
            "99_removed": {
                "run_name": "99_removed",
                "notebook": "99_removed",
                "parameters": {},
                "status": "ok",
                "duration": 1.0,
            },
        }
    }
    page = index.write_index(tmp_path, stored, [], notebooks).read_text()
    assert 'href="10_profile-zunyi.html"' in page and "case=&#39;zunyi&#39;" in page
    assert "figures/10_profile-zunyi/a.png" in page
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "99_removed" not in page


def _args(**overrides) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.configure_parser(parser)
    argv = []
    for name, value in overrides.items():
        argv += [f"--{name.replace('_', '-')}", *([value] if isinstance(value, str) else value)]
    return parser.parse_args(argv)


def test_configure_parser_options():
    parser = argparse.ArgumentParser()
    command.configure_parser(parser)
    args = parser.parse_args(
        [
            "--notebooks",
            "00",
            "10_case_profile",
            "--cases",
            "wuzhou,zunyi",
            "-p",
            "min_places=3",
            "-p",
            "per=1000",
            "--jobs",
            "2",
            "--force",
            "--output-dir",
            "out",
        ]
    )
    assert args.notebooks == ["00", "10_case_profile"]
    assert command.split_list(args.cases) == ["wuzhou", "zunyi"]
    assert args.parameter == ["min_places=3", "per=1000"]
    assert args.jobs == 2 and args.force and args.output_dir == "out"


def test_command_rejects_bad_options_before_any_kernel(tmp_path, monkeypatch, capsys):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(execute, "RunKernel", no_kernel)
    monkeypatch.setattr(execute, "execute_run", no_kernel)
    out = str(tmp_path / "out")
    assert command.command(_args(cases=["guangzhou"], output_dir=out)) == 2
    assert "valid: wuzhou, rongchang, chengdu, liuzhou, zunyi" in capsys.readouterr().err
    assert command.command(_args(notebooks=["99_nope"], output_dir=out)) == 2
    assert "valid: 00_dataset_overview" in capsys.readouterr().err
    assert command.command(_args(parameter=["bogus=1"], output_dir=out)) == 2
    assert "unknown parameter(s) 'bogus'" in capsys.readouterr().err
    assert command.command(_args(jobs="0", output_dir=out)) == 2
    assert not (tmp_path / "out" / "index.html").exists()


# ---------------------------------------------------------------------------------------------- running notebooks (slow)


@pytest.fixture()
def tiny(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_notebook(
        folder,
        "00_ok.ipynb",
        "greeting: str = 'hi'\nrepeat: int = 1",
        "import sys, os\nprint(greeting * repeat)\nprint('python', sys.executable)\nprint('figures', os.environ['KEXIE_FIGURE_DIR'])\n"
        "print('warm', 'kexie_research.viz.plotting' in sys.modules)\nprint('leftover', [k for k in dir() if 'prewarm' in k])",
        "from kexie_research.viz import plotting\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\nplotting.publish(fig, 'line')",
    )
    write_notebook(
        folder,
        "01_fails.ipynb",
        "factor: int = 2",
        "x = 1",
        "raise ValueError(f'deliberate failure {factor}')",
        "print('never')",
    )
    write_notebook(folder, "10_per_case.ipynb", "case: str = 'wuzhou'", "print('case is', case)")
    return folder


@pytest.mark.slow
def test_failure_is_isolated_and_named(tiny, tmp_path, capsys, monkeypatch):
    out = tmp_path / "reports"
    summary = command.run_reports(notebooks_dir=tiny, output_dir=out, cases=["zunyi", "chengdu"], progress=False)
    status = {r.run_name: r.status for r in summary.results}
    assert status == {"00_ok": "ok", "01_fails": "failed", "10_per_case-zunyi": "ok", "10_per_case-chengdu": "ok"}
    assert summary.exit_code == 1
    failed = summary.failed[0]
    assert "cell 3 of 01_fails.ipynb" in failed.error and "id 'cell-2'" in failed.error
    assert "ValueError: deliberate failure 2" in failed.error
    assert (out / "01_fails.html").is_file()  # the failed notebook is still readable, with its traceback
    # outputs of the good runs
    executed = nbformat.read(out / "00_ok.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert f"python {sys.executable}" in text  # the project's own interpreter ran it
    assert "warm True" in text  # the notebook's imports were loaded before its first cell ...
    assert "leftover []" in text  # ... without leaving names behind
    # the kernel writes into the run's staging folder; the files are moved into figures/<run>/ after it
    assert f"figures {(out / '.staging' / '00_ok' / 'figures').resolve()}" in text
    assert not (out / ".staging").exists()
    assert {p.name for p in (out / "figures" / "00_ok").iterdir()} == {
        "line.png",
        "line.svg",
        "figure-01-line.pdf",
        "figures.csv",
    }
    html = (out / "00_ok.html").read_text()
    assert '<details class="kexie-code">' in html and "00_ok" in html
    per_case = nbformat.read(out / "10_per_case-zunyi.ipynb", as_version=4)
    assert "case is zunyi" in "".join(o.get("text", "") for c in per_case.cells for o in c.get("outputs", []))
    index_page = (out / "index.html").read_text()
    for name in status:
        assert name in index_page
    # the command's view: summary table and the named failure on stderr, exit status 1
    from kexie_research import config

    monkeypatch.setattr(config, "notebooks_dir", lambda: tiny)
    assert command.command(_args(output_dir=str(out), cases=["zunyi"], no_progress=[])) == 1
    captured = capsys.readouterr()
    assert "00_ok" in captured.out and "cached" in captured.out
    assert "01_fails (01_fails.ipynb) failed: cell 3 of 01_fails.ipynb" in captured.err


@pytest.mark.slow
def test_cache_hits_misses_and_force(tiny, tmp_path, monkeypatch):
    out = tmp_path / "reports"
    keep = ["00_ok"]
    first = command.run_reports(notebooks=keep, notebooks_dir=tiny, output_dir=out, progress=False)
    assert [r.status for r in first.results] == ["ok"]
    html_time = (out / "00_ok.html").stat().st_mtime_ns

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started for an unchanged notebook")

    with monkeypatch.context() as patch:
        patch.setattr(execute, "RunKernel", no_kernel)
        patch.setattr(execute, "execute_run", no_kernel)
        again = command.run_reports(notebooks=keep, notebooks_dir=tiny, output_dir=out, progress=False)
    assert [(r.status, r.reason) for r in again.results] == [("cached", "unchanged")]
    assert (out / "00_ok.html").stat().st_mtime_ns == html_time

    changed_parameter = command.run_reports(
        notebooks=keep, notebooks_dir=tiny, output_dir=out, progress=False, parameters=["repeat=3"]
    )
    assert [(r.status, r.reason) for r in changed_parameter.results] == [("ok", "parameters changed")]
    assert "hihihi" in (out / "00_ok.html").read_text()

    write_notebook(tiny, "00_ok.ipynb", "greeting: str = 'hey'\nrepeat: int = 1", "print(greeting)")
    changed_notebook = command.run_reports(
        notebooks=keep, notebooks_dir=tiny, output_dir=out, progress=False, parameters=["repeat=3"]
    )
    assert [(r.status, r.reason) for r in changed_notebook.results] == [("ok", "notebook changed")]
    assert not (out / "figures" / "00_ok" / "line.png").exists()  # figures of the old version are gone

    forced = command.run_reports(
        notebooks=keep,
        notebooks_dir=tiny,
        output_dir=out,
        progress=False,
        parameters=["repeat=3"],
        force=True,
        prewarm=False,
    )
    assert [(r.status, r.reason) for r in forced.results] == [("ok", "--force")]

    (out / "00_ok.html").unlink()
    missing = command.run_reports(
        notebooks=keep, notebooks_dir=tiny, output_dir=out, progress=False, parameters=["repeat=3"]
    )
    assert [r.reason for r in missing.results] == ["outputs missing"]


@pytest.mark.slow
def test_without_prewarm_or_fork_the_kernel_starts_cold(tiny, tmp_path):
    out = tmp_path / "reports"
    summary = command.run_reports(
        notebooks=["00"], notebooks_dir=tiny, output_dir=out, progress=False, prewarm=False, fork=False
    )
    assert summary.exit_code == 0
    executed = nbformat.read(out / "00_ok.ipynb", as_version=4)
    assert "warm False" in "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    # a forked kernel has the notebook's modules from the template, even without pre-warming
    forked = command.run_reports(
        notebooks=["00"], notebooks_dir=tiny, output_dir=out, progress=False, prewarm=False, force=True
    )
    assert forked.exit_code == 0
    executed = nbformat.read(out / "00_ok.ipynb", as_version=4)
    assert "warm True" in "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))


@pytest.mark.slow
def test_failed_run_is_retried_and_parallel_jobs(tiny, tmp_path):
    out = tmp_path / "reports"
    first = command.run_reports(notebooks=["00", "01"], notebooks_dir=tiny, output_dir=out, progress=False, jobs=2)
    assert {r.run_name: r.status for r in first.results} == {"00_ok": "ok", "01_fails": "failed"}
    assert "deliberate failure 2" in first.failed[0].error
    second = command.run_reports(
        notebooks=["00", "01"], notebooks_dir=tiny, output_dir=out, progress=False, jobs=2, parameters=["factor=5"]
    )
    reasons = {r.run_name: (r.status, r.reason) for r in second.results}
    assert reasons["00_ok"] == ("cached", "unchanged")  # factor is not a parameter of 00_ok
    assert reasons["01_fails"] == ("failed", "failed last time, parameters changed")
    assert "deliberate failure 5" in second.failed[0].error


def test_plan_runs_a_case_notebook_once_per_case_and_refuses_the_former_name_city():
    notebooks = [info("10_profile", case=Parameter("case", "str", '"wuzhou"'))]
    runs = plan.plan_runs(notebooks, ["zunyi"], CASES)
    assert [(r.run_name, r.parameters) for r in runs] == [("10_profile-zunyi", {"case": "zunyi"})]
    with pytest.raises(ReportError, match="--cases"):
        plan.plan_runs(notebooks, CASES, CASES, {"case": "wuzhou"})
    # `city` (the name before 0.7.0) is no case parameter: refused like any name no notebook declares
    with pytest.raises(
        ReportError,
        match=r"unknown parameter\(s\) 'city' for notebook\(s\) 10_profile; declared: \(none\); cases are chosen with --cases$",
    ):
        plan.plan_runs(notebooks, CASES, CASES, {"city": "wuzhou"})
    # and a notebook that declares a parameter of that name runs once, with it as an ordinary parameter
    legacy = [info("11_legacy", city=Parameter("city", "str", '"wuzhou"'))]
    assert [(r.run_name, r.parameters) for r in plan.plan_runs(legacy, ["zunyi"], CASES)] == [("11_legacy", {})]


def test_cases_come_from_the_processed_data():
    from kexie_research import data

    assert plan.case_keys() == [str(c) for c in data.load_cases()["case"]]


def _zmq_threads() -> int:
    """Threads of this process that belong to a ZMQ context (``ZMQbg/...``), as the kernel names them."""
    count = 0
    for task in Path("/proc/self/task").iterdir():
        try:
            count += (task / "comm").read_text().startswith("ZMQbg")
        except OSError:  # the thread ended meanwhile
            pass
    return count


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the threads from /proc (Linux)")
def test_runs_leave_no_zmq_context_behind(tiny, tmp_path):
    """papermill's kernel client is stopped with its kernel: a long session of runs (the test suite,
    a JupyterLab kernel calling run_reports) does not pile up ZMQ threads, two per run."""
    import time

    before = _zmq_threads()
    for attempt in range(2):
        summary = command.run_reports(
            notebooks=["00"], notebooks_dir=tiny, output_dir=tmp_path / f"r{attempt}", progress=False, fork=False
        )
        assert summary.exit_code == 0
    deadline = time.monotonic() + 10  # kernels are retired by a background thread: wait for it, bounded
    while _zmq_threads() > before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _zmq_threads() <= before
