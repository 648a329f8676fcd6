"""Which runs to make: the chosen notebooks, once per case for a notebook with a ``case`` parameter,
with checked parameters; and the order to run them in (longest first)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kexie_research.runner.model import (
    CASE_PARAMETER,
    RUN_NAME_PATTERN,
    NotebookInfo,
    ReportError,
    RunSpec,
)
from kexie_research.runner.params import coerce_parameter


def case_keys() -> list[str]:
    """The valid cases, from the processed data (``load_cases``) or, before that exists, the manifest.

    Examples
    --------
    >>> "wuzhou" in case_keys()
    True
    """
    import csv

    from kexie_research import config

    # Read with the csv module: the runner itself never needs pandas (~0.7 s to import), only the kernels do.
    try:
        with open(config.processed_dir() / "cases.csv", encoding="utf-8", newline="") as handle:
            keys = [row["case"] for row in csv.DictReader(handle)]
        if keys:
            return keys
    except (FileNotFoundError, KeyError):
        pass  # processed data not built yet: fall back to the manifest
    from kexie_research.steps import sources

    return list(sources.case_keys())


def resolve_notebooks(requested: Sequence[str] | None, available: Sequence[NotebookInfo]) -> list[NotebookInfo]:
    """The notebooks named by ``requested`` (names, file names or two-digit numbers), in folder order.

    Examples
    --------
    >>> nbs = [NotebookInfo("00_a", Path("00_a.ipynb"), "", {}), NotebookInfo("10_b", Path("10_b.ipynb"), "", {})]
    >>> [n.name for n in resolve_notebooks(["10"], nbs)]
    ['10_b']
    """
    if not requested:
        return list(available)
    by_name = {info.name: info for info in available}
    by_number: dict[str, list[NotebookInfo]] = {}
    for info in available:
        by_number.setdefault(info.name[:2], []).append(info)
    chosen: dict[str, NotebookInfo] = {}
    unknown = []
    for item in requested:
        key = Path(item).name.removesuffix(".ipynb")
        if key in by_name:
            chosen[key] = by_name[key]
        elif key.isdigit() and len(by_number.get(key, [])) == 1:
            chosen[by_number[key][0].name] = by_number[key][0]
        else:
            unknown.append(item)
    if unknown:
        valid = ", ".join(info.name for info in available) or "(none found)"
        raise ReportError(
            f"unknown notebook(s) {', '.join(map(repr, unknown))}; valid: {valid} (or their two-digit numbers)"
        )
    return [info for info in available if info.name in chosen]


def plan_runs(
    notebooks: Sequence[NotebookInfo],
    cases: Sequence[str],
    valid_cases: Sequence[str],
    parameters: Mapping[str, str] | None = None,
) -> list[RunSpec]:
    """The runs to consider, validated: a notebook declaring ``case`` runs once per case.

    ``parameters`` (raw strings from ``-p``) go to every selected notebook that declares them and are
    converted to the declared type and checked; a name no selected notebook declares is an error.

    Examples
    --------
    >>> from kexie_research.runner.model import Parameter
    >>> nb = NotebookInfo("10_profile", Path("10_profile.ipynb"), "", {"case": Parameter("case", "str", "'a'")})
    >>> [r.run_name for r in plan_runs([nb], ["b"], ["a", "b"])]
    ['10_profile-b']
    """
    parameters = dict(parameters or {})
    if not cases:
        raise ReportError(f"--cases needs at least one case; valid: {', '.join(valid_cases)}")
    unknown_cases = [case for case in cases if case not in valid_cases]
    if unknown_cases:
        raise ReportError(
            f"unknown case{'' if len(unknown_cases) == 1 else 's'} {', '.join(map(repr, unknown_cases))}; valid: {', '.join(valid_cases)}"
        )
    if CASE_PARAMETER in parameters:
        raise ReportError(f"choose cases with --cases (valid: {', '.join(valid_cases)}), not -p {CASE_PARAMETER}=…")
    declared = sorted({name for info in notebooks for name in info.parameters if name != CASE_PARAMETER})
    unknown = [name for name in parameters if name not in declared]
    if unknown:
        names = ", ".join(info.name for info in notebooks)
        cases_hint = "; cases are chosen with --cases" if any(info.per_case for info in notebooks) else ""
        raise ReportError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))} for notebook(s) {names}; "
            f"declared: {', '.join(declared) or '(none)'}{cases_hint}"
        )
    runs = []
    for info in notebooks:
        overrides = {
            name: coerce_parameter(raw, info.parameters[name], info.name)
            for name, raw in parameters.items()
            if name in info.parameters
        }
        if info.per_case:
            for case in cases:
                runs.append(
                    RunSpec(
                        run_name=f"{info.name}-{case}",
                        notebook=info,
                        parameters={**overrides, CASE_PARAMETER: case},
                    )
                )
        else:
            runs.append(RunSpec(run_name=info.name, notebook=info, parameters=overrides))
    for run in runs:
        if not RUN_NAME_PATTERN.match(run.run_name):
            raise ReportError(f"run name {run.run_name!r} is not a safe file name")
    return runs


def expected_seconds(run: RunSpec, durations: Mapping[str, Any]) -> float:
    """How long ``run`` should take: its last recorded duration, else the notebook's estimate.

    Examples
    --------
    >>> nb = NotebookInfo("00_a", Path("00_a.ipynb"), "", {}, estimate=7.0)
    >>> expected_seconds(RunSpec("00_a", nb, {}), {}), expected_seconds(RunSpec("00_a", nb, {}), {"00_a": 3.5})
    (7.0, 3.5)
    """
    recorded = durations.get(run.run_name)
    return float(recorded) if isinstance(recorded, (int, float)) and recorded > 0 else run.notebook.estimate


def longest_first(runs: Sequence[RunSpec], durations: Mapping[str, Any]) -> list[RunSpec]:
    """``runs`` ordered by expected duration, longest first (ties keep the planned order).

    Starting the long runs first keeps every worker busy to the end instead of leaving one long
    run alone at the tail.

    Examples
    --------
    >>> a, b = (NotebookInfo(n, Path(n), "", {}, estimate=e) for n, e in (("00_a", 2.0), ("10_b", 9.0)))
    >>> [r.run_name for r in longest_first([RunSpec("00_a", a, {}), RunSpec("10_b", b, {})], {})]
    ['10_b', '00_a']
    """
    return sorted(runs, key=lambda run: -expected_seconds(run, durations))


__all__ = ["CASE_PARAMETER", "case_keys", "expected_seconds", "longest_first", "plan_runs", "resolve_notebooks"]
