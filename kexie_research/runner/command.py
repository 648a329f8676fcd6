"""``kexie report``: the whole run (:func:`run_reports`) and its command line.

1. **Validate** everything before any folder is created or kernel started: the output folder (new,
   empty, or made by ``kexie report``), the notebooks, cases and parameters, ``--jobs`` and
   ``--timeout``.
2. **Lock** the output folder (a second run into it waits, or stops with ``--no-wait``).
3. **Skip** runs whose inputs are unchanged and whose files all exist (see :mod:`.cache`).
4. **Execute** the others, longest first, ``--jobs`` at a time (see :mod:`.execute`); each run's files
   are moved into place, then the run is recorded in the cache.
5. **Index and font**: ``index.html`` and the CJK font subset of the folder (``assets/``).

Python API (runs the notebooks, so it is shown here rather than run as a doctest)::

    from kexie_research.runner import run_reports
    summary = run_reports(notebooks=["10_case_profile"], cases=["zunyi"])
    summary.exit_code   # 0 when every run succeeded
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from kexie_research.outputs import folder_argument
from kexie_research.runner.cache import (
    cache_inputs,
    cache_key,
    data_fingerprint,
    explain_run,
    library_fingerprint,
    load_cache,
    save_cache,
)
from kexie_research.runner.discover import discover_notebooks
from kexie_research.runner.model import (
    FIGURES_DIR,
    STAGING_DIR,
    ReportError,
    ReportSummary,
    RunPayload,
    RunResult,
    RunSpec,
)
from kexie_research.runner.outdir import OutputFolder, check_output_dir, default_output_dir
from kexie_research.runner.params import check_timeout, parse_assignments
from kexie_research.runner.plan import case_keys, longest_first, plan_runs, resolve_notebooks


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return contextlib.nullcontext(None)
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="notebook", desc="kexie report", file=sys.stderr, disable=None)


def _publish(folder: OutputFolder, result: RunResult) -> tuple[RunResult, str]:
    """Move a finished run's staged files into place; return the result with folder-relative paths and
    the characters of its page (for the font)."""
    from kexie_research.runner.fonts import collect_characters

    run_name = result.run_name
    staging = folder.path / STAGING_DIR / run_name
    published: dict[str, Any] = {}
    characters = ""
    try:
        texts = []
        for kind, suffix, staged_path in (("ipynb", ".ipynb", result.ipynb), ("html", ".html", result.html)):
            if staged_path:
                staged = Path(staged_path)
                if kind == "html":
                    texts.append(staged.read_text(encoding="utf-8"))
                folder.publish(staged, f"{run_name}{suffix}")
                published[kind] = f"{run_name}{suffix}"
        published["figures"] = folder.replace_tree(staging / "figures", f"{FIGURES_DIR}/{run_name}")
        characters = "".join(sorted(collect_characters(texts)))
    except (ReportError, OSError) as exc:
        earlier = result.error
        published.update(status="failed", error=f"{earlier + '; ' if earlier else ''}outputs not written: {exc}")
    return replace(result, **published), characters


def _write_font(folder: OutputFolder, cache: dict[str, Any], index_page: str) -> str:
    """Build (when its characters changed) the folder's CJK font subset; return a line describing it."""
    from kexie_research.runner import fonts

    characters = fonts.collect_characters([index_page]) | fonts.BASIC_SET
    for entry in cache.get("runs", {}).values():
        if entry.get("html"):
            characters.update(entry.get("characters") or "")
    digest = fonts.characters_digest(characters)
    recorded = cache.get("font") or {}
    exists = all((folder.path / name).is_file() for name in (fonts.FONT_FILE, fonts.LICENSE_FILE))
    if recorded.get("digest") != digest or not exists:
        clock = time.perf_counter()
        try:
            data = fonts.subset_font(characters)
            licence = fonts.licence_text()
        except (ImportError, OSError) as exc:
            raise ReportError(f"cannot build the reports' CJK font: {exc}") from exc
        folder.write_bytes(fonts.FONT_FILE, data)
        folder.write_text(fonts.LICENSE_FILE, licence)
        recorded = {
            "digest": digest,
            "bytes": len(data),
            "characters": len(characters),
            "seconds": round(time.perf_counter() - clock, 2),
        }
        cache["font"] = recorded
    return (
        f"font: {fonts.FONT_FILE} {recorded['bytes'] / 1024:.0f} KiB, {recorded['characters']} characters "
        f"(WOFF2 subset of {fonts.SOURCE_FAMILY}, SIL OFL 1.1, licence in {fonts.LICENSE_FILE})"
    )


def _start_template(stack: contextlib.ExitStack, notebook_paths: Sequence[Path]) -> Any:
    """Start the kernel template for these notebooks, closed when ``stack`` closes (``None`` where it cannot be)."""
    from kexie_research.runner.execute import start_template

    template = start_template(notebook_paths)
    if template is not None:
        stack.callback(template.close)
    return template


def run_reports(
    notebooks: Sequence[str] | None = None,
    cases: Sequence[str] | None = None,
    parameters: Mapping[str, str] | Sequence[str] | None = None,
    output_dir: str | Path | None = None,
    jobs: int = 1,
    force: bool = False,
    progress: bool = True,
    notebooks_dir: str | Path | None = None,
    timeout: float | None = None,
    prewarm: bool = True,
    wait: bool = True,
    fork: bool = True,
) -> ReportSummary:
    """Run the report notebooks; the Python API behind ``kexie report``.

    Parameters
    ----------
    notebooks : names (``10_case_profile``), file names or two-digit numbers; default all.
    cases : cases for notebooks with a ``case`` parameter; default all (an empty list is an error).
    parameters : ``{"name": "value"}`` or ``["name=value", …]`` (strings, typed per notebook).
    output_dir : default ``reports/`` of the checkout.
    jobs : runs executed at the same time (each on its own kernel).
    force : ignore the cache.
    progress : show a tqdm progress bar on stderr.
    notebooks_dir : default ``notebooks/`` of the checkout.
    timeout : seconds a single cell may run (default: no limit).
    prewarm : start each worker's next kernel, loading its imports, while the current run executes.
    wait : when another run holds the output folder, wait for it (else stop with an error).
    fork : fork each run's kernel from a template process that has imported the notebooks' modules
        once (Linux; elsewhere, or when the template cannot start, kernels are spawned as usual).

    Raises
    ------
    kexie_research.runner.model.ReportError
        Before any folder is created or kernel started, for unknown notebooks, cases or parameters,
        a bad parameter value, an unsafe output folder or a missing processed dataset.

    Examples
    --------
    >>> run_reports(jobs=0)
    Traceback (most recent call last):
    ...
    kexie_research.runner.model.ReportError: --jobs must be at least 1, got 0
    """
    from kexie_research import config

    clock = time.perf_counter()
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ReportError(f"--jobs must be at least 1, got {jobs}")
    timeout = check_timeout(timeout)
    try:
        nb_dir = Path(notebooks_dir) if notebooks_dir is not None else config.notebooks_dir()
    except FileNotFoundError as exc:  # an installed wheel has no notebooks/
        raise ReportError(f"{exc}; pass notebooks_dir= (Python) to run notebooks from elsewhere") from exc
    out = check_output_dir(Path(output_dir) if output_dir is not None else default_output_dir(), nb_dir)
    raw_parameters = dict(parameters) if isinstance(parameters, Mapping) else parse_assignments(list(parameters or []))
    valid_cases = case_keys()
    chosen_cases = list(dict.fromkeys(cases)) if cases is not None else list(valid_cases)
    memo = load_cache(out)  # read only: nothing is created before every check has passed
    with contextlib.ExitStack() as stack:
        # The kernel template (see runner.forking) imports the analysis stack on another core while
        # this process plans and checks: at once when nothing can come from the cache, else as soon
        # as the plan shows a run that will execute.
        template = (
            _start_template(stack, sorted(nb_dir.glob("*.ipynb"))) if fork and (force or not memo["runs"]) else None
        )
        available = discover_notebooks(nb_dir, memo)
        selected = resolve_notebooks(notebooks, available)
        runs = plan_runs(selected, chosen_cases, valid_cases, raw_parameters)
        if not (config.processed_dir() / "indicators.parquet").is_file():
            raise ReportError(f"{config.processed_dir() / 'indicators.parquet'} not found: run `kexie build` first")

        if fork and template is None and any(run.run_name not in memo["runs"] for run in runs):
            template = _start_template(stack, [run.notebook.path for run in runs])
        with OutputFolder(out, wait=wait) as folder:
            cache = load_cache(out)  # again, under the lock: another run may have finished meanwhile
            cache["notebooks"].update(memo["notebooks"])
            library, data = library_fingerprint(), data_fingerprint()
            results: dict[str, RunResult] = {}
            pending: list[tuple[RunSpec, dict[str, Any], str]] = []
            for run in runs:
                inputs = cache_inputs(run, library, data)
                entry = cache["runs"].get(run.run_name)
                reason = explain_run(entry, inputs, out, force)
                if reason is None:
                    results[run.run_name] = RunResult.from_cache(entry, status="cached", reason="unchanged")
                else:
                    pending.append((run, inputs, reason))

            if pending:
                from kexie_research.runner.execute import execute_all
                from kexie_research.runner.kernels import check_project_kernel, ensure_project_kernel

                kernel = ensure_project_kernel()
                check_project_kernel()
                ordered = longest_first([run for run, _, _ in pending], cache["durations"])
                details = {run.run_name: (inputs, reason) for run, inputs, reason in pending}
                payloads = [
                    RunPayload(
                        run_name=run.run_name,
                        notebook=run.notebook.name,
                        notebook_path=str(run.notebook.path),
                        parameters=run.parameters,
                        staging=str(folder.staging(run.run_name)),
                        kernel_name=kernel,
                        cwd=str(nb_dir),
                        key=cache_key(details[run.run_name][0]),
                        inputs=details[run.run_name][0],
                        reason=details[run.run_name][1],
                        timeout=timeout,
                    )
                    for run in ordered
                ]
                with _progress(len(payloads), progress) as bar:

                    def record(result: RunResult) -> None:
                        outcome, characters = _publish(folder, result)
                        results[outcome.run_name] = outcome
                        # Recorded only now that every file of the run is in place.
                        cache["runs"][outcome.run_name] = {**outcome.to_cache(), "characters": characters}
                        if outcome.status == "ok":
                            cache["durations"][outcome.run_name] = outcome.duration
                        save_cache(out, cache)
                        if bar is not None:
                            bar.set_postfix_str(f"{outcome.run_name}: {outcome.status}")
                            bar.update(1)

                    def starting(payload: RunPayload) -> None:
                        if bar is not None:
                            bar.set_description_str(payload.run_name)

                    execute_all(
                        payloads,
                        jobs=jobs,
                        prewarm=prewarm,
                        on_result=record,
                        on_start=starting,
                        fork=fork,
                        template=template,
                    )

            from kexie_research.runner.index import render_index

            ordered_results = [results[run.run_name] for run in runs]
            page = render_index(cache, ordered_results, available)
            font = _write_font(folder, cache, page)
            index = folder.write_text("index.html", page)
            save_cache(out, cache)
        return ReportSummary(
            results=ordered_results, output_dir=out, index=index, elapsed=time.perf_counter() - clock, font=font
        )


# ----------------------------------------------------------------------------------------------
# command line


def split_list(values: Sequence[str] | None) -> list[str] | None:
    """``["a,b", "c"]`` → ``["a", "b", "c"]``; ``None`` when the option was not given.

    An option given with nothing in it (``--cases ''``) gives ``[]``, which the planner rejects.

    Examples
    --------
    >>> split_list(["wuzhou,zunyi", "chengdu"]), split_list([""]), split_list(None)
    (['wuzhou', 'zunyi', 'chengdu'], [], None)
    """
    if values is None:
        return None
    return [item for value in values for item in value.replace(",", " ").split() if item]


def _seconds(text: str) -> float:
    # Only the conversion: run_reports checks that the number is positive and finite (check_timeout),
    # so that the command line and the Python API give the same error.
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expects a number of seconds, got {text!r}") from None


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``kexie report`` to ``parser``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(); configure_parser(parser)
    >>> parser.parse_args(["--cases", "wuzhou", "--jobs", "2"]).cases
    ['wuzhou']
    """
    parser.description = (
        "Run the notebooks into reports/ with papermill: executed .ipynb, standalone HTML, figures "
        "and reports/index.html. Unchanged notebooks are taken from the cache."
    )
    parser.add_argument(
        "--notebooks",
        nargs="+",
        metavar="NAME",
        help="notebooks to run (names like 10_case_profile, or numbers like 10); default all",
    )
    parser.add_argument(
        "--cases", nargs="+", metavar="CASE", help="cases for notebooks with a `case` parameter; default all"
    )
    parser.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a notebook parameter (typed as the notebook declares it); repeatable",
    )
    parser.add_argument(
        "--output-dir",
        type=folder_argument,
        default=None,
        metavar="DIR",
        help="where to write the reports (default: reports/); must be new, empty or made by kexie report",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="notebooks to execute at the same time, each on its own kernel (default: one per core)",
    )
    parser.add_argument(
        "--force", action="store_true", help="execute every notebook even when its inputs are unchanged"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--timeout", type=_seconds, default=None, metavar="SECONDS", help="maximum run time of a single cell"
    )
    parser.add_argument(
        "--no-prewarm", action="store_true", help="do not start the next notebook's kernel while one runs"
    )
    parser.add_argument(
        "--spawn-kernels",
        action="store_true",
        help="start every kernel as a new process that imports its modules itself, instead of forking it from a template that has imported them once (slower; the default falls back to this where fork is unavailable)",
    )
    parser.add_argument(
        "--notebooks-dir",
        type=folder_argument,
        default=None,
        metavar="DIR",
        help="run the notebooks of this folder (default: notebooks/ of the checkout)",
    )
    parser.add_argument(
        "--no-wait", action="store_true", help="stop at once when another kexie report is writing into the same folder"
    )


def command(args: argparse.Namespace) -> int:
    """Entry point of ``kexie report``: 0 when every run succeeded, 1 when one failed, 2 for bad options.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(); configure_parser(parser)
    >>> command(parser.parse_args(["--timeout", "-5"]))
    2
    """
    cases = split_list(getattr(args, "cases", None))
    try:
        summary = run_reports(
            notebooks=split_list(args.notebooks),
            cases=cases,
            parameters=list(args.parameter or []),
            output_dir=args.output_dir,
            jobs=args.jobs,
            force=args.force,
            progress=not getattr(args, "no_progress", False),
            timeout=getattr(args, "timeout", None),
            prewarm=not getattr(args, "no_prewarm", False),
            wait=not getattr(args, "no_wait", False),
            fork=not getattr(args, "spawn_kernels", False),
            notebooks_dir=getattr(args, "notebooks_dir", None),
        )
    except ReportError as exc:
        print(f"kexie report: error: {exc}", file=sys.stderr)
        return 2
    print(summary.table())
    for result in summary.failed:
        print(f"kexie report: {result.run_name} ({result.notebook}.ipynb) failed: {result.error}", file=sys.stderr)
    return summary.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kexie_research.runner [options]``: the same as ``kexie report``.

    Examples
    --------
    >>> main(["--jobs", "0"])
    2
    """
    parser = argparse.ArgumentParser(prog="kexie report")
    configure_parser(parser)
    return command(parser.parse_args(argv))


__all__ = ["command", "configure_parser", "main", "run_reports", "split_list"]
