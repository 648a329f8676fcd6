"""Find the report notebooks and read what each declares: parameters, title, summary, ranges.

Every ``notebooks/NN_name.ipynb`` is a report. Its parameters come from
:func:`papermill.inspect_notebook`; its title and one-line summary from its first markdown cell
(heading and first paragraph) unless its metadata says otherwise; optional ranges of numeric
parameters and an estimate of its run time from the notebook metadata ``kexie``::

    "kexie": {"summary": "...", "estimate_seconds": 12,
              "parameters": {"incl_cut": {"min": 0.5, "max": 1}}}
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kexie_research.runner.cache import sha256_bytes
from kexie_research.runner.model import NOTEBOOK_PATTERN, NotebookInfo, Parameter, ReportError

DEFAULT_ESTIMATE_SECONDS = 10.0


def import_execution_stack() -> None:
    """Import papermill/nbconvert, skipping jsonschema's slow optional IRI checker.

    ``jsonschema`` (via ``nbformat``) imports ``rfc3987_syntax`` when it is installed, which builds a
    parser at import time and costs ~2 s per process (python-jsonschema/jsonschema#1428). nbformat's
    schemas use no ``format`` keyword, so the checker is never used here: the module is masked for
    the duration of the import only, and any later ``import rfc3987_syntax`` works as usual.

    Examples
    --------
    >>> import_execution_stack(); "papermill" in sys.modules
    True
    """
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # makes its import fail fast
        try:
            importlib.import_module("jsonschema")
        finally:
            del sys.modules["rfc3987_syntax"]
    importlib.import_module("nbformat")
    importlib.import_module("papermill")


def inspect_parameters(path: Path) -> dict[str, Parameter]:
    """The parameters a notebook declares, via :func:`papermill.inspect_notebook`.

    Examples
    --------
    >>> inspect_parameters(Path("/nonexistent.ipynb"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kexie_research.runner.model.ReportError: /nonexistent.ipynb: cannot read the notebook's parameters: ...
    """
    import_execution_stack()
    import papermill

    try:
        declared = papermill.inspect_notebook(str(path))
    except Exception as exc:  # a notebook that is not valid JSON / nbformat
        raise ReportError(f"{path}: cannot read the notebook's parameters: {exc}") from exc
    return {
        name: Parameter(
            name=name,
            type_name=str(info.get("inferred_type_name") or "None"),
            default=str(info.get("default") or ""),
            help=str(info.get("help") or ""),
        )
        for name, info in declared.items()
    }


def _plain(markdown: str) -> str:
    """Markdown inline marks removed (``**a**`` -> ``a``, ``[t](u)`` -> ``t``)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


def describe_notebook(nb: dict[str, Any]) -> tuple[str, str]:
    """``(title, summary)`` of a notebook: metadata ``kexie.title/summary``, else its first markdown cell.

    Examples
    --------
    >>> describe_notebook({"metadata": {}, "cells": [{"cell_type": "markdown", "source": "# 概览 Overview\\n\\nWhat **it** shows.\\n\\nMore."}]})
    ('概览 Overview', 'What it shows.')
    """
    meta = (nb.get("metadata") or {}).get("kexie") or {}
    title, summary = str(meta.get("title") or ""), str(meta.get("summary") or "")
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", ""))
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", source) if p.strip()]
        if paragraphs and paragraphs[0].startswith("#"):
            title = title or _plain(paragraphs.pop(0).lstrip("#"))
        summary = summary or (_plain(paragraphs[0]) if paragraphs else "")
        break
    return title, summary


def _with_ranges(parameters: dict[str, Parameter], declared: dict[str, Any]) -> dict[str, Parameter]:
    ranged = {}
    for name, parameter in parameters.items():
        bounds = declared.get(name)
        if not isinstance(bounds, dict):
            bounds = {}
        low, high = bounds.get("min"), bounds.get("max")
        ranged[name] = Parameter(
            **{
                **asdict(parameter),
                "minimum": float(low) if isinstance(low, (int, float)) else None,
                "maximum": float(high) if isinstance(high, (int, float)) else None,
            }
        )
    return ranged


def discover_notebooks(notebooks_dir: Path | None = None, cache: dict[str, Any] | None = None) -> list[NotebookInfo]:
    """All ``NN_name.ipynb`` in the notebooks folder, sorted, with their declared parameters.

    ``cache`` (the report cache) memoises the inspection by the notebook's sha256, so an unchanged
    notebook is not re-inspected (that needs papermill, which is slow to import).

    Examples
    --------
    >>> discover_notebooks(Path("/nonexistent"))
    Traceback (most recent call last):
    ...
    kexie_research.runner.model.ReportError: notebooks folder /nonexistent not found
    """
    from kexie_research import config

    folder = Path(notebooks_dir) if notebooks_dir is not None else config.notebooks_dir()
    if not folder.is_dir():
        raise ReportError(f"notebooks folder {folder} not found")
    memo = cache.setdefault("notebooks", {}) if cache is not None else {}
    found = []
    for path in sorted(folder.iterdir()):
        if not NOTEBOOK_PATTERN.match(path.name):
            continue
        raw = path.read_bytes()
        digest = sha256_bytes(raw)
        entry = memo.get(path.stem)
        if entry and entry.get("sha256") == digest:
            parameters = {
                name: Parameter(**{k: v for k, v in info.items() if k in Parameter.__dataclass_fields__})
                for name, info in entry["parameters"].items()
            }
        else:
            parameters = inspect_parameters(path)
            memo[path.stem] = {"sha256": digest, "parameters": {name: asdict(p) for name, p in parameters.items()}}
        try:
            nb = json.loads(raw.decode("utf-8"))
        except ValueError as exc:
            raise ReportError(f"{path}: not a readable notebook: {exc}") from exc
        meta = (nb.get("metadata") or {}).get("kexie") or {}
        title, summary = describe_notebook(nb)
        estimate = meta.get("estimate_seconds")
        found.append(
            NotebookInfo(
                name=path.stem,
                path=path,
                sha256=digest,
                parameters=_with_ranges(parameters, meta.get("parameters") or {}),
                title=title,
                summary=summary,
                estimate=float(estimate)
                if isinstance(estimate, (int, float)) and estimate > 0
                else DEFAULT_ESTIMATE_SECONDS,
            )
        )
    return found
