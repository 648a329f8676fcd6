"""``kexie report``: run the notebooks into ``reports/`` with papermill, as HTML, with an index.

The front door of the runner (:func:`run_reports`, the command line); the work is split into modules with one job each:

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

from kexie_research.runner.command import command, configure_parser, main, run_reports
from kexie_research.runner.model import ReportError

__all__ = ["ReportError", "command", "configure_parser", "main", "run_reports"]

if __name__ == "__main__":
    raise SystemExit(main())
