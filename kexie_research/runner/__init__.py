"""`kexie report`: run the notebooks through papermill into reports/ (see :mod:`.reports` for the modules)."""

from __future__ import annotations


def __getattr__(name: str):
    # Lazy, so that `import kexie_research.runner.model` stays light.
    if name in ("run_reports", "ReportError", "ReportSummary"):
        from kexie_research.runner import command, model

        return getattr(command, name, None) or getattr(model, name)
    raise AttributeError(name)
