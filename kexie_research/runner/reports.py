"""``kexie report``: run the notebooks into ``reports/`` with papermill, as HTML, with an index.

The runner is split into modules with one job each; this module keeps the names it always offered:

- :mod:`~kexie_research.runner.discover` — find the notebooks, read their parameters and descriptions
- :mod:`~kexie_research.runner.params` — type and check ``-p name=value`` values
- :mod:`~kexie_research.runner.plan` — the runs (once per case where a notebook has ``case``), longest first
- :mod:`~kexie_research.runner.cache` — what a run depends on; reuse only with all its files present
- :mod:`~kexie_research.runner.outdir` — the output folder: marker, lock, safe writes
- :mod:`~kexie_research.runner.kernels` — the project's kernel, one fresh kernel per run
- :mod:`~kexie_research.runner.execute` — one run, and many at a time
- :mod:`~kexie_research.runner.export` — the HTML page (nothing loaded from the network)
- :mod:`~kexie_research.runner.fonts` — the CJK font subset the pages carry
- :mod:`~kexie_research.runner.index` — ``index.html``
- :mod:`~kexie_research.runner.command` — :func:`run_reports` and the command line

Examples
--------
>>> from kexie_research.runner.reports import run_reports, ReportError
>>> run_reports(timeout=-5)
Traceback (most recent call last):
...
kexie_research.runner.model.ReportError: --timeout must be a positive number of seconds, got -5
"""

from __future__ import annotations

from kexie_research.runner.cache import (
    cache_inputs,
    cache_key,
    data_fingerprint,
    explain_run,
    library_fingerprint,
    load_cache,
    save_cache,
    sha256_bytes as _sha256_bytes,
    tree_digest as _tree_digest,
)
from kexie_research.runner.command import command, configure_parser, main, run_reports, split_list as _split_list
from kexie_research.runner.discover import discover_notebooks, import_execution_stack as _import_execution_stack, inspect_parameters
from kexie_research.runner.kernels import (
    check_project_kernel,
    ensure_project_kernel,
    kernel_environment,
    kernelspec_dir,
    notebook_imports,
    project_kernel_env,
)
from kexie_research.runner.model import (
    CACHE_NAME,
    CACHE_VERSION,
    CASE_PARAMETER,
    FIGURES_DIR,
    INDEX_NAME,
    KERNEL_DISPLAY_NAME,
    KERNEL_NAME,
    MARKER_NAME,
    NOTEBOOK_PATTERN,
    RUN_NAME_PATTERN,
    TEMPLATES_DIR,
    NotebookInfo,
    Parameter,
    ReportError,
    ReportSummary,
    RunResult,
    RunSpec,
)
from kexie_research.runner.outdir import check_output_dir as _check_output_dir, default_output_dir, safe_child
from kexie_research.runner.params import coerce_parameter, parse_assignments
from kexie_research.runner.plan import case_keys, plan_runs, resolve_notebooks as _resolve_notebooks
from kexie_research.runner.index import write_index

CITY_PARAMETER = "city"  # deprecated: notebooks now declare ``case``

__all__ = [
    "CACHE_NAME", "CACHE_VERSION", "CASE_PARAMETER", "FIGURES_DIR", "INDEX_NAME", "KERNEL_DISPLAY_NAME", "KERNEL_NAME",
    "MARKER_NAME", "NOTEBOOK_PATTERN", "RUN_NAME_PATTERN", "TEMPLATES_DIR", "NotebookInfo", "Parameter", "ReportError",
    "ReportSummary", "RunResult", "RunSpec", "cache_inputs", "cache_key", "case_keys", "check_project_kernel", "coerce_parameter",
    "command", "configure_parser", "data_fingerprint", "default_output_dir", "discover_notebooks", "ensure_project_kernel",
    "explain_run", "inspect_parameters", "kernel_environment", "kernelspec_dir", "library_fingerprint", "load_cache", "main",
    "notebook_imports", "parse_assignments", "plan_runs", "project_kernel_env", "run_reports", "safe_child", "save_cache",
    "write_index",
]

if __name__ == "__main__":
    raise SystemExit(main())
