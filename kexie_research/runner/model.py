"""Names, the error type and the plain data records shared by the report runner's modules.

Only the standard library is imported here, so that ``kexie --help`` stays fast.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from kexie_research.errors import KexieError

KERNEL_NAME = "kexie-research"
KERNEL_DISPLAY_NAME = "Python (kexie-research)"
CACHE_NAME = ".cache.json"
# Written into every folder ``kexie report`` creates: only such a folder (or a new/empty one) is used.
MARKER_NAME = ".kexie-report"
LOCK_NAME = ".kexie-report.lock"
# Where a run's files are assembled before they replace the published ones (inside the folder).
STAGING_DIR = ".staging"
INDEX_NAME = "index.html"
FIGURES_DIR = "figures"
ASSETS_DIR = "assets"
# Bump when the meaning of a cache entry changes (layout of outputs, how keys are computed).
CACHE_VERSION = 2
# The notebook parameter that makes a notebook run once per case.
CASE_PARAMETER = "case"
NOTEBOOK_PATTERN = re.compile(r"^(?P<number>\d{2})_(?P<slug>[a-z0-9]+(?:_[a-z0-9]+)*)\.ipynb$")
RUN_NAME_PATTERN = re.compile(r"^\d{2}_[a-z0-9_]+(?:-[a-z0-9_]+)?$")
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
HTML_TEMPLATE = "kexie_report"


class ReportError(KexieError, ValueError):
    """A report run was asked for something that does not exist or cannot be done.

    Raised before any kernel starts; the message lists the valid values.

    Examples
    --------
    >>> isinstance(ReportError("x"), ValueError)
    True
    """


@dataclass(frozen=True)
class Parameter:
    """A parameter declared in a notebook's ``parameters`` cell (from papermill's inspection).

    ``minimum``/``maximum`` come from the notebook's metadata (``kexie.parameters.NAME``).

    Examples
    --------
    >>> Parameter("incl_cut", "float", "0.8", minimum=0.5, maximum=1.0).maximum
    1.0
    """

    name: str
    type_name: str
    default: str
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class NotebookInfo:
    """A discovered notebook: its name (file stem), path, content hash, parameters and description.

    Examples
    --------
    >>> NotebookInfo("10_profile", Path("10_profile.ipynb"), "", {"case": Parameter("case", "str", "'wuzhou'")}).per_case
    True
    """

    name: str
    path: Path
    sha256: str
    parameters: dict[str, Parameter]
    title: str = ""
    summary: str = ""
    estimate: float = 10.0

    @property
    def per_case(self) -> bool:
        """True when the notebook declares the parameter ``case``: it runs once per case."""
        return CASE_PARAMETER in self.parameters


@dataclass(frozen=True)
class RunSpec:
    """One execution: a notebook with its parameter overrides, written under ``run_name``.

    Examples
    --------
    >>> RunSpec("00_x", NotebookInfo("00_x", Path("00_x.ipynb"), "", {}), {"n": 1}).run_name
    '00_x'
    """

    run_name: str
    notebook: NotebookInfo
    parameters: dict[str, Any]


@dataclass(frozen=True)
class RunPayload:
    """What one planned run needs to execute: its notebook and parameters, where its files are staged,
    the kernel to run it on and the cache key it will be stored under.

    Examples
    --------
    >>> RunPayload("00_x", "00_x", "nb/00_x.ipynb", {}, "out/.staging/00_x", "kexie-research", "k").timeout is None
    True
    """

    run_name: str
    notebook: str
    notebook_path: str
    parameters: dict[str, Any]
    staging: str
    kernel_name: str
    key: str
    cwd: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    timeout: float | None = None


@dataclass
class RunResult:
    """What one run produced. ``status`` is ``ok``, ``cached`` or ``failed``.

    Examples
    --------
    >>> RunResult("00_x", "00_x", {}, "cached", key="k").to_cache()["status"]
    'ok'
    """

    run_name: str
    notebook: str
    parameters: dict[str, Any]
    status: str
    key: str
    started: str = ""
    duration: float = 0.0
    ipynb: str = ""
    html: str = ""
    figures: list[str] = field(default_factory=list)
    error: str | None = None
    reason: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)

    def to_cache(self) -> dict[str, Any]:
        """The cache entry of this result (``cached`` is stored as ``ok``)."""
        entry = asdict(self)
        entry["status"] = "failed" if self.status == "failed" else "ok"
        return entry

    @classmethod
    def from_cache(cls, entry: dict[str, Any], **changes: Any) -> RunResult:
        """The result stored as cache ``entry`` (other keys of the entry are ignored), with ``changes``.

        Examples
        --------
        >>> entry = RunResult("00_x", "00_x", {}, "ok", key="k").to_cache() | {"characters": "科"}
        >>> RunResult.from_cache(entry, status="cached").status
        'cached'
        """
        names = {item.name for item in fields(cls)}
        return cls(**{**{name: value for name, value in entry.items() if name in names}, **changes})


@dataclass
class ReportSummary:
    """The outcome of :func:`kexie_research.runner.command.run_reports`.

    Examples
    --------
    >>> ReportSummary([RunResult("00_x", "00_x", {}, "failed", key="k")], Path("r"), Path("r/index.html"), 1.0).exit_code
    1
    """

    results: list[RunResult]
    output_dir: Path
    index: Path
    elapsed: float
    font: str = ""

    @property
    def failed(self) -> list[RunResult]:
        """The runs that failed."""
        return [result for result in self.results if result.status == "failed"]

    @property
    def exit_code(self) -> int:
        """0 when every run succeeded, else 1."""
        return 1 if self.failed else 0

    def table(self) -> str:
        """The summary table printed at the end of ``kexie report``."""
        width = max([len("run"), *(len(r.run_name) for r in self.results)])
        why = min(48, max([len("why"), *(len(r.reason) for r in self.results)]))
        lines = [f"{'run':<{width}}  {'status':<7} {'time':>7}  {'why':<{why}}  output"]
        for r in self.results:
            seconds = f"{r.duration:.1f}s" if r.status != "cached" else "—"
            target = r.html or r.ipynb
            lines.append(
                f"{r.run_name:<{width}}  {r.status:<7} {seconds:>7}  {r.reason[:why]:<{why}}  {self.output_dir / target if target else ''}"
            )
        counts = {status: sum(r.status == status for r in self.results) for status in ("ok", "cached", "failed")}
        lines.append(
            f"{len(self.results)} run(s): {counts['ok']} executed, {counts['cached']} cached, {counts['failed']} failed "
            f"in {self.elapsed:.1f}s; index: {self.index}"
        )
        if self.font:
            lines.append(self.font)
        return "\n".join(lines)
