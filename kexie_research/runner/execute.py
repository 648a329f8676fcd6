"""Executing runs: one notebook on its own kernel, and many at a time keeping every core busy.

A run writes into its own staging folder inside the output folder (executed notebook, HTML page,
figures); the caller moves the files into place and only then records the run in the cache. A run
that fails — an error in a cell, a kernel that dies, ``--timeout`` — still yields the notebook as
far as it ran and its HTML page, and its error names the cell.

Several runs execute at once in threads of this process (``jobs``): each worker starts the kernel of
its next run while the current run executes, so no core waits for a kernel to start; the runs are
taken longest first (see :func:`plan.longest_first`). On Linux the kernels are forked from one kernel
template that has imported the notebooks' modules once (:func:`start_template`, :mod:`.forking`);
elsewhere each spawned kernel loads its notebook's imports while it waits.
"""

from __future__ import annotations

import collections
import functools
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kexie_research.runner.discover import import_execution_stack
from kexie_research.runner.export import export_html, html_exporter
from kexie_research.runner.kernels import RunKernel
from kexie_research.runner.model import INDEX_NAME, RunPayload, RunResult

if TYPE_CHECKING:
    from kexie_research.runner.forking import KernelTemplate


def _cell_label(cell: Mapping[str, Any], source_ids: list[Any], source_name: str) -> str:
    cell_id = cell.get("id")
    number = source_ids.index(cell_id) + 1 if cell_id in source_ids else None
    first = next((line for line in str(cell.get("source", "")).splitlines() if line.strip()), "")
    where = f"cell {number} of {source_name}" if number else "an injected cell"
    return f"{where} (id {cell_id!r}, first line {first[:60]!r})"


def describe_failure(output_path: Path, source_path: Path, error: BaseException, timeout: float | None = None) -> str:
    """``cell 7 of 20_x.ipynb (id 'facts', first line 'df = …'): KeyError: 'x'`` for the failing cell.

    A timeout or a dead kernel names the cell that was running (papermill marks it ``running``).

    Examples
    --------
    >>> describe_failure(Path("/nonexistent.ipynb"), Path("/nonexistent.ipynb"), ValueError("bad"))
    'ValueError: bad'
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    ename = getattr(error, "ename", type(error).__name__)
    evalue = getattr(error, "evalue", str(error))
    if isinstance(error, (CellTimeoutError, TimeoutError)):
        what = f"timed out after --timeout {timeout:g} s" if timeout else "timed out"
    elif isinstance(error, DeadKernelError):
        what = "the kernel died"
    else:
        what = None
    try:
        import nbformat

        executed = nbformat.read(str(output_path), as_version=4)
        source_ids = [cell.get("id") for cell in nbformat.read(str(source_path), as_version=4).cells]
    except Exception:  # the output notebook may not exist when the kernel never started
        return f"{what} ({ename}: {evalue})" if what else f"{ename}: {evalue}"
    if what is None:
        for cell in executed.cells:
            if any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
                return f"{_cell_label(cell, source_ids, source_path.name)}: {ename}: {evalue}"
        return f"{ename}: {evalue}"
    stopped = _last_started(executed)
    return (
        f"{what} in {_cell_label(stopped, source_ids, source_path.name)}"
        if stopped is not None
        else f"{what}: {ename}: {evalue}"
    )


def _last_started(nb: Any) -> Any:
    """The last cell papermill started (the one running when a run stopped), or ``None``."""
    started = [cell for cell in nb.cells if cell.get("metadata", {}).get("papermill", {}).get("start_time")]
    return started[-1] if started else None


def _mark_unfinished(ipynb: Path, error: str) -> None:
    """Add a visible note to a notebook whose run stopped, under the cell that was running."""
    import nbformat

    nb = nbformat.read(str(ipynb), as_version=4)
    cell = _last_started(nb)
    if cell is not None and cell.cell_type == "code":
        cell.outputs.append(
            nbformat.v4.new_output("error", ename="RunStopped", evalue=error, traceback=[f"kexie report: {error}"])
        )
        cell.metadata.setdefault("papermill", {})["status"] = "failed"
        nbformat.write(nb, str(ipynb))


_ENGINE = "kexie"


@functools.cache
def _register_engine() -> str:
    """A papermill engine that writes the executed notebook once, at the end, whatever happened.

    papermill writes the output notebook at the end only when the engine returned, unless asked to
    save it on every cell start and end (a validated JSON write each time, which costs more than
    many cells). This engine saves once when execution stops with an exception, so a run stopped by
    a dead kernel or a timeout still leaves the notebook as far as it ran.
    """
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
    from papermill.iorw import write_ipynb

    class SaveAtEnd(NotebookExecutionManager):
        def save(self, **kwargs):  # per-cell saves skipped; see final_save
            self.last_save_time = self.now()

        def final_save(self) -> None:
            if self.output_path:
                write_ipynb(self.nb, self.output_path)

    class KexieEngine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb,
            kernel_name,
            output_path=None,
            progress_bar=True,
            log_output=False,
            autosave_cell_every=30,
            **kwargs,
        ):
            manager = SaveAtEnd(
                nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output, autosave_cell_every=0
            )
            manager.notebook_start()
            stopped = True
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
                stopped = False
            finally:
                manager.cleanup_pbar()
                manager.notebook_complete()
                if stopped:  # papermill writes the notebook itself only when the engine returns
                    manager.final_save()
            return manager.nb

    papermill_engines.register(_ENGINE, KexieEngine)
    return _ENGINE


def execute_run(
    payload: RunPayload,
    kernel: RunKernel | None = None,
    retire: Callable[[RunKernel], None] | None = None,
) -> RunResult:
    """Execute one planned run into its staging folder and export it; never raises for a notebook error.

    ``kernel`` is a started :class:`RunKernel` for
    this run (one is started when omitted); once the notebook has run it is shut down, or handed to
    ``retire`` to be shut down while the run's page is exported. The result's
    ``ipynb``, ``html`` and ``figures`` are paths inside the staging folder.

    Examples
    --------
    >>> import tempfile
    >>> staging = tempfile.mkdtemp()
    >>> execute_run(RunPayload("00_x", "00_x", "/nonexistent.ipynb", {}, staging, "no-such-kernel", "")).status
    'failed'
    """
    import_execution_stack()
    import papermill
    from papermill.exceptions import PapermillExecutionError

    staging = Path(payload.staging)
    run_name = payload.run_name
    ipynb, html, figures = staging / f"{run_name}.ipynb", staging / f"{run_name}.html", staging / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    started = datetime.now().astimezone()
    clock = time.perf_counter()
    error = None
    executed = None  # the executed notebook, when papermill returns it (a run that stopped is read from its file)
    try:
        kernel = kernel or RunKernel(payload.kernel_name, payload.notebook_path, figures, cwd=payload.cwd)
    except Exception as exc:  # the kernel did not start: this run fails, the others go on
        kernel = None
        error = f"kernel {payload.kernel_name!r} did not start: {type(exc).__name__}: {exc}"
    if kernel is not None:
        try:
            executed = papermill.execute_notebook(
                payload.notebook_path,
                str(ipynb),
                parameters=dict(payload.parameters),
                kernel_name=payload.kernel_name,
                km=kernel.km,
                cwd=payload.cwd,
                progress_bar=False,
                log_output=False,
                engine_name=_register_engine(),
                request_save_on_cell_execute=True,  # passes the output path to the engine (it saves once)
                start_timeout=120,
                execution_timeout=payload.timeout,
            )
        except Exception as exc:  # one failing notebook must not stop the others
            error = describe_failure(ipynb, Path(payload.notebook_path), exc, payload.timeout)
            if ipynb.exists() and not isinstance(exc, PapermillExecutionError):
                try:
                    _mark_unfinished(ipynb, error)
                except Exception:  # the note is a courtesy; the run is reported as failed anyway
                    pass
        finally:
            (retire or RunKernel.shutdown)(kernel)
    status = "failed" if error else "ok"
    started_text = started.isoformat(timespec="seconds")
    info = {
        "run_name": run_name,
        "notebook": payload.notebook,
        "parameters": payload.parameters,
        "started": started_text,
        "duration": round(time.perf_counter() - clock, 2),
        "status": status,
        "error": error,
        "index": INDEX_NAME,
    }
    if ipynb.exists():
        try:
            export_html(ipynb, html, info, executed)
        except Exception as exc:  # the notebook ran; a broken export is reported, not hidden
            error = (error + "; " if error else "") + f"HTML export failed: {type(exc).__name__}: {exc}"
            status = "failed"
    produced = (
        sorted(p.relative_to(figures).as_posix() for p in figures.rglob("*") if p.is_file()) if figures.exists() else []
    )
    return RunResult(
        run_name=run_name,
        notebook=payload.notebook,
        parameters=dict(payload.parameters),
        status=status,
        key=payload.key,
        reason=payload.reason,
        inputs=dict(payload.inputs),
        started=started_text,
        duration=round(time.perf_counter() - clock, 2),
        ipynb=str(ipynb) if ipynb.exists() else "",
        html=str(html) if html.exists() else "",
        figures=produced,
        error=error,
    )


def start_template(notebook_paths: Sequence[str | Path]) -> KernelTemplate | None:
    """Start the kernel template for runs of these notebooks (importing their modules), or None where it cannot be.

    The template imports the analysis library's dependencies (:func:`.kernels.analysis_stack`) and
    every module the notebooks import, in its own process, while this one goes on.

    Examples
    --------
    >>> template = start_template([])
    >>> "pandas" in template.wait_ready()["imported"]
    True
    >>> template.close()
    """
    from kexie_research.runner.forking import KernelTemplate, fork_supported
    from kexie_research.runner.kernels import analysis_stack, kernel_environment, project_kernel_env, run_imports

    if not fork_supported():
        return None
    modules = [
        *analysis_stack(),
        *(name for path in dict.fromkeys(map(str, notebook_paths)) for name in run_imports(path)),
    ]
    with project_kernel_env():
        env = {**os.environ, **kernel_environment()}
    try:
        return KernelTemplate(modules, env=env)
    except OSError:  # no process could be started: every run spawns its kernel
        return None


def execute_all(
    payloads: Sequence[RunPayload],
    jobs: int,
    prewarm: bool,
    on_result: Callable[[RunResult], None],
    on_start: Callable[[RunPayload], None] | None = None,
    fork: bool = True,
    template: KernelTemplate | None = None,
) -> None:
    """Run ``payloads`` (already in the order wanted: longest first), ``jobs`` at a time.

    Each of the ``jobs`` worker threads takes the next run from the shared queue, and (with
    ``prewarm``) at once also the one after it, whose kernel it starts so that the kernel loads its
    notebook's imports while the current run executes. ``on_result`` is called (one call at a time)
    with each result as it finishes.

    With ``fork`` (where the platform allows it, see :func:`.forking.fork_supported`), kernels are
    forked from one :class:`.forking.KernelTemplate` that imports every planned notebook's modules
    once, instead of each kernel importing them again; a run whose kernel cannot be forked gets a
    spawned one. A ``template`` already started by the caller (see :func:`start_template`) is used
    and left for the caller to close.

    Examples
    --------
    >>> execute_all([], jobs=2, prewarm=True, on_result=print)
    """
    if not payloads:
        return
    own_template = template is None and fork
    if own_template:
        template = start_template([payload.notebook_path for payload in payloads])
    # nbconvert takes ~1 s to import and compile its templates: do it while the first runs start.
    threading.Thread(target=html_exporter, name="kexie-html-exporter", daemon=True).start()
    queue = collections.deque(payloads)
    queue_lock, result_lock = threading.Lock(), threading.Lock()
    failures: list[BaseException] = []
    retiring: list[threading.Thread] = []

    def retire(kernel: RunKernel) -> None:
        # A kernel takes ~0.1 s to stop: the worker goes on to export and to the next run meanwhile.
        thread = threading.Thread(target=kernel.shutdown, name="kexie-kernel-shutdown", daemon=True)
        thread.start()
        retiring.append(thread)

    def take() -> RunPayload | None:
        with queue_lock:
            return queue.popleft() if queue else None

    def start(payload: RunPayload, warm: bool) -> RunKernel | None:
        if on_start is not None:
            with result_lock:
                on_start(payload)
        try:
            return RunKernel(
                payload.kernel_name,
                payload.notebook_path,
                Path(payload.staging) / "figures",
                cwd=payload.cwd,
                prewarm=warm,
                template=template,
            )
        except Exception:
            return None  # execute_run starts one itself and reports the failure

    def worker() -> None:
        try:
            payload = take()
            kernel = start(payload, prewarm) if payload is not None else None
            while payload is not None:
                following = take() if prewarm else None
                spare = start(following, True) if following is not None else None
                try:
                    result = execute_run(payload, kernel, retire)
                except Exception as exc:  # a bug in the runner itself: report the run, keep going
                    result = RunResult(
                        run_name=payload.run_name,
                        notebook=payload.notebook,
                        parameters=dict(payload.parameters),
                        status="failed",
                        key=payload.key,
                        reason=payload.reason,
                        inputs=dict(payload.inputs),
                        error=f"runner error: {type(exc).__name__}: {exc}",
                    )
                with result_lock:
                    on_result(result)
                payload, kernel = following, spare
                if payload is None and not prewarm:
                    payload = take()
                    kernel = start(payload, False) if payload is not None else None
        except BaseException as exc:  # surfaced in the main thread below
            failures.append(exc)

    threads = [
        threading.Thread(target=worker, name=f"kexie-run-{n}", daemon=True)
        for n in range(max(1, min(jobs, len(payloads))))
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for thread in list(retiring):  # every kernel is stopped before the command returns
            thread.join()
        if own_template and template is not None:
            template.close()
    if failures:
        raise failures[0]
