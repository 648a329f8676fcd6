"""``kexie report``: run the notebooks into ``reports/`` with papermill, as HTML, with an index.

What a run does:

1. **Discover** the notebooks ``notebooks/NN_name.ipynb`` and read each one's declared parameters
   with :func:`papermill.inspect_notebook` (memoised in the cache by the notebook's hash).
2. **Plan** the runs: one per notebook, and one per place for a notebook that declares a ``city``
   parameter (``10_city_profile-wuzhou`` …). Unknown notebooks, cities and parameter names, and
   values that do not fit a parameter's declared type, are rejected here, before any kernel starts,
   with the valid values listed.
3. **Skip** the runs whose cache key is unchanged: a hash of the notebook, its parameters, the
   library's code (``kexie_research/**``) and the data it reads (``data/processed`` and
   ``data/raw``). ``--force`` runs everything.
4. **Execute** the others on the project's own kernel (``kexie-research``, a kernelspec pointing at
   this interpreter, installed into ``sys.prefix`` when missing), one fresh kernel per run,
   ``--jobs N`` at a time (with one at a time, the next run's kernel starts and loads its imports
   while the current one runs). Each run writes the executed ``.ipynb``, a standalone ``.html``
   (code folded away for readers) and its figures in ``figures/<run>/`` (``KEXIE_FIGURE_DIR``).
   A failing notebook does not stop the others.
5. **Index**: ``index.html`` links every report with its run time, parameters and status, and a
   summary table is printed; the exit status is non-zero when a run failed.

Python API::

    >>> from kexie_research.runner.reports import run_reports
    >>> summary = run_reports(notebooks=["10_city_profile"], cities=["zunyi"])   # doctest: +SKIP
    >>> summary.exit_code                                                          # doctest: +SKIP
    0

Only the standard library is imported at module level, so that ``kexie --help`` stays fast; the
execution stack (papermill, nbconvert) is imported when a notebook actually has to run.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kexie_research.errors import KexieError

KERNEL_NAME = "kexie-research"
KERNEL_DISPLAY_NAME = "Python (kexie-research)"
CACHE_NAME = ".cache.json"
INDEX_NAME = "index.html"
FIGURES_DIR = "figures"
# Bump when the meaning of a cache entry changes (layout of outputs, how keys are computed).
CACHE_VERSION = 1
CITY_PARAMETER = "city"
NOTEBOOK_PATTERN = re.compile(r"^(?P<number>\d{2})_(?P<slug>[a-z0-9]+(?:_[a-z0-9]+)*)\.ipynb$")
RUN_NAME_PATTERN = re.compile(r"^\d{2}_[a-z0-9_]+(?:-[a-z0-9_]+)?$")
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
HTML_TEMPLATE = "kexie_report"
# Source files that never change what a notebook computes.
_IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", ".DS_Store"}


class ReportError(KexieError, ValueError):
    """A report run was asked for something that does not exist or cannot be done.

    Raised before any kernel starts; the message lists the valid values.
    """


# ----------------------------------------------------------------------------------------------
# data types


@dataclass(frozen=True)
class Parameter:
    """A parameter declared in a notebook's ``parameters`` cell (from papermill's inspection)."""

    name: str
    type_name: str
    default: str
    help: str = ""


@dataclass(frozen=True)
class NotebookInfo:
    """A discovered notebook: its name (file stem), path, content hash and parameters."""

    name: str
    path: Path
    sha256: str
    parameters: dict[str, Parameter]

    @property
    def per_city(self) -> bool:
        return CITY_PARAMETER in self.parameters


@dataclass(frozen=True)
class RunSpec:
    """One execution: a notebook with its parameter overrides, written under ``run_name``."""

    run_name: str
    notebook: NotebookInfo
    parameters: dict[str, Any]


@dataclass
class RunResult:
    """What one run produced. ``status`` is ``ok``, ``cached`` or ``failed``."""

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
        entry = asdict(self)
        entry["status"] = "failed" if self.status == "failed" else "ok"
        return entry


@dataclass
class ReportSummary:
    """The outcome of :func:`run_reports`."""

    results: list[RunResult]
    output_dir: Path
    index: Path
    elapsed: float

    @property
    def failed(self) -> list[RunResult]:
        return [result for result in self.results if result.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def table(self) -> str:
        """The summary table printed at the end of ``kexie report``."""
        width = max([len("run"), *(len(r.run_name) for r in self.results)])
        why = min(48, max([len("why"), *(len(r.reason) for r in self.results)]))
        lines = [f"{'run':<{width}}  {'status':<7} {'time':>7}  {'why':<{why}}  output"]
        for r in self.results:
            seconds = f"{r.duration:.1f}s" if r.status != "cached" else "—"
            target = r.html or r.ipynb
            lines.append(f"{r.run_name:<{width}}  {r.status:<7} {seconds:>7}  {r.reason[:why]:<{why}}  {self.output_dir / target if target else ''}")
        counts = {status: sum(r.status == status for r in self.results) for status in ("ok", "cached", "failed")}
        lines.append(
            f"{len(self.results)} run(s): {counts['ok']} executed, {counts['cached']} cached, {counts['failed']} failed "
            f"in {self.elapsed:.1f}s; index: {self.index}"
        )
        return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# paths


def default_output_dir() -> Path:
    """``reports/`` of the checkout (the current directory's ``reports/`` outside a checkout)."""
    from kexie_research.config import repo_root

    root = repo_root()
    return (root if root is not None else Path.cwd()) / "reports"


def safe_child(root: Path, *parts: str) -> Path:
    """``root/parts…`` resolved, refusing anything that would land outside ``root``.

    Symlinks are resolved first, so a ``figures`` link pointing elsewhere is refused too.

        >>> safe_child(Path("/tmp/r"), "figures", "00_x").as_posix()
        '/tmp/r/figures/00_x'
        >>> safe_child(Path("/tmp/r"), "..", "etc")
        Traceback (most recent call last):
        ...
        kexie_research.runner.reports.ReportError: output path '../etc' escapes the output directory /tmp/r
    """
    base = Path(root).resolve()
    for part in parts:
        if not part or Path(part).is_absolute():
            raise ReportError(f"output path {'/'.join(parts)!r} must be a relative name inside {base}")
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        raise ReportError(f"output path {'/'.join(parts)!r} escapes the output directory {base}")
    return target


def _check_output_dir(output_dir: Path, notebooks_dir: Path) -> Path:
    from kexie_research import config

    out = Path(output_dir).expanduser().resolve()
    protected = {"notebooks": Path(notebooks_dir).resolve(), "data": config.data_dir().resolve()}
    for name, folder in protected.items():
        if out == folder or folder in out.parents:
            raise ReportError(f"--output-dir {out} is inside the {name} folder {folder}: reports would overwrite project files")
    if out.exists() and not out.is_dir():
        raise ReportError(f"--output-dir {out} exists and is not a directory")
    return out


# ----------------------------------------------------------------------------------------------
# hashing


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tree_digest(root: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """One hash over the relative paths and contents of the files under ``root`` (symlinks followed)."""
    digest = hashlib.sha256()
    if not root.exists():
        digest.update(b"<missing>")
        return digest.hexdigest()
    files = []
    for folder, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames[:] = sorted(d for d in dirnames if d not in _IGNORED_PARTS and not d.startswith("."))
        for filename in filenames:
            if filename in _IGNORED_PARTS or filename.endswith((".pyc", ".pyo")):
                continue
            if suffixes is not None and not filename.endswith(suffixes):
                continue
            files.append(Path(folder) / filename)
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def library_fingerprint() -> str:
    """Hash of the library's code (``kexie_research/**/*.py``) and its report templates."""
    package = Path(__file__).resolve().parents[1]
    return _sha256_bytes((_tree_digest(package, (".py",)) + _tree_digest(TEMPLATES_DIR)).encode())


def data_fingerprint(data_dir: Path | None = None) -> str:
    """Hash of the data the notebooks read: ``processed/`` and ``raw/`` (documents, sheets, reference)."""
    from kexie_research import config

    base = Path(data_dir) if data_dir is not None else config.data_dir()
    return _sha256_bytes((_tree_digest(base / "processed") + _tree_digest(base / "raw")).encode())


def cache_inputs(spec: RunSpec, library: str, data: str) -> dict[str, Any]:
    """Everything a run's outputs depend on; stored with the run so that a miss can say what changed."""
    return {
        "cache_version": CACHE_VERSION,
        "environment": f"python {sys.version_info[0]}.{sys.version_info[1]}, kernel {KERNEL_NAME}",
        "notebook": spec.notebook.sha256,
        "parameters": json.loads(json.dumps(spec.parameters, sort_keys=True, default=str)),
        "library": library,
        "data": data,
    }


def cache_key(inputs: Mapping[str, Any]) -> str:
    """The key under which a run's outputs are reused: any change to an input changes it."""
    return _sha256_bytes(json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str).encode())


_INPUT_WORDS = {
    "cache_version": "report runner changed",
    "environment": "Python or kernel changed",
    "notebook": "notebook changed",
    "parameters": "parameters changed",
    "library": "library code changed",
    "data": "data changed",
}


def explain_run(entry: Mapping[str, Any] | None, inputs: Mapping[str, Any], output_dir: Path, force: bool) -> str | None:
    """``None`` when the cached outputs can be reused, else why the run has to execute."""
    if force:
        return "--force"
    if not entry:
        return "not run before"
    previous = entry.get("inputs") or {}
    changed = [_INPUT_WORDS[name] for name in _INPUT_WORDS if previous.get(name) != inputs.get(name)]
    if entry.get("status") != "ok":
        return ", ".join(["failed last time", *changed])
    if changed:
        return ", ".join(changed)
    if not entry.get("html") or not all((output_dir / entry[kind]).is_file() for kind in ("ipynb", "html") if entry.get(kind)):
        return "outputs missing"
    if entry.get("key") != cache_key(inputs):
        return "cache key changed"
    return None


# ----------------------------------------------------------------------------------------------
# cache file


def load_cache(output_dir: Path) -> dict[str, Any]:
    """The cache of an output folder (an empty one when missing, unreadable or of another version)."""
    path = Path(output_dir) / CACHE_NAME
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": CACHE_VERSION, "notebooks": {}, "runs": {}}
    if not isinstance(cache, dict) or cache.get("version") != CACHE_VERSION:
        return {"version": CACHE_VERSION, "notebooks": {}, "runs": {}}
    cache.setdefault("notebooks", {})
    cache.setdefault("runs", {})
    return cache


def save_cache(output_dir: Path, cache: Mapping[str, Any]) -> None:
    """Write the cache atomically (a crash leaves the previous cache, never half a file)."""
    path = Path(output_dir) / CACHE_NAME
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(cache, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


# ----------------------------------------------------------------------------------------------
# the execution stack (imported lazily)


def _import_execution_stack() -> None:
    """Import papermill/nbconvert, skipping jsonschema's slow optional IRI checker.

    ``jsonschema`` (via ``nbformat``) imports ``rfc3987_syntax`` when it is installed, which builds a
    parser at import time and costs ~2 s per process (python-jsonschema/jsonschema#1428). nbformat's
    schemas use no ``format`` keyword, so the checker is never used here: the module is masked for
    the duration of the import only, and any later ``import rfc3987_syntax`` works as usual. The one
    effect beyond this module: if jsonschema is first imported here, its optional ``iri`` and
    ``iri-reference`` format checkers are not registered in this process.
    """
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # makes its import fail fast
        try:
            import jsonschema  # noqa: F401
        finally:
            del sys.modules["rfc3987_syntax"]
    import nbformat  # noqa: F401
    import papermill  # noqa: F401


def inspect_parameters(path: Path) -> dict[str, Parameter]:
    """The parameters a notebook declares, via :func:`papermill.inspect_notebook`."""
    _import_execution_stack()
    import papermill

    try:
        declared = papermill.inspect_notebook(str(path))
    except Exception as exc:  # a notebook that is not valid JSON / nbformat
        raise ReportError(f"{path}: cannot read the notebook's parameters: {exc}") from exc
    return {
        name: Parameter(name=name, type_name=str(info.get("inferred_type_name") or "None"), default=str(info.get("default") or ""), help=str(info.get("help") or ""))
        for name, info in declared.items()
    }


def discover_notebooks(notebooks_dir: Path | None = None, cache: dict[str, Any] | None = None) -> list[NotebookInfo]:
    """All ``NN_name.ipynb`` in the notebooks folder, sorted, with their declared parameters.

    ``cache`` (the report cache) memoises the inspection by the notebook's sha256, so an unchanged
    notebook is not re-inspected (that needs papermill, which is slow to import).
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
        digest = _sha256_bytes(path.read_bytes())
        entry = memo.get(path.stem)
        if entry and entry.get("sha256") == digest:
            parameters = {name: Parameter(**info) for name, info in entry["parameters"].items()}
        else:
            parameters = inspect_parameters(path)
            memo[path.stem] = {"sha256": digest, "parameters": {name: asdict(p) for name, p in parameters.items()}}
        found.append(NotebookInfo(name=path.stem, path=path, sha256=digest, parameters=parameters))
    return found


# ----------------------------------------------------------------------------------------------
# planning and validation


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["city=wuzhou", "min_places=3"]`` → ``{"city": "wuzhou", "min_places": "3"}``."""
    parsed: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ReportError(f"-p/--parameter expects name=value with a Python identifier as name, got {item!r}")
        parsed[name] = value
    return parsed


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def coerce_parameter(raw: str, parameter: Parameter, notebook: str = "") -> Any:
    """Convert a command-line string to the type the notebook declares for the parameter.

    The declared type is the annotation of the parameter (``min_places: int = 2``); without one, the
    type of the default value. ``None``/``null`` is accepted where the default is ``None``.

        >>> coerce_parameter("3", Parameter("min_places", "int", "2"))
        3
        >>> coerce_parameter("yes", Parameter("flag", "bool", "False"))
        True
    """
    type_name = parameter.type_name.replace(" ", "")
    if type_name in ("None", "NoneType", ""):
        try:
            default = ast.literal_eval(parameter.default) if parameter.default else None
        except (ValueError, SyntaxError):
            default = None
        type_name = type(default).__name__ if default is not None else "any"
    where = f"{notebook}: " if notebook else ""

    def fail(expected: str) -> ReportError:
        return ReportError(f"{where}parameter {parameter.name!r} expects {expected} (declared {parameter.type_name!r}), got {raw!r}")

    base = type_name.split("[", 1)[0].lower()
    if base == "str":
        return raw
    if base == "int":
        try:
            return int(raw.strip())
        except ValueError:
            raise fail("an integer") from None
    if base == "float":
        try:
            return float(raw.strip())
        except ValueError:
            raise fail("a number") from None
    if base == "bool":
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise fail("true/false")
    if base in ("list", "tuple", "dict", "set"):
        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            raise fail(f"a Python {base} literal") from None
        if type(value).__name__ != base:
            raise fail(f"a Python {base} literal")
        return value
    # Unannotated parameter without a literal default: a literal if it reads as one, else the string.
    if raw.strip().lower() in ("none", "null"):
        return None
    try:
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw


def _resolve_notebooks(requested: Sequence[str] | None, available: Sequence[NotebookInfo]) -> list[NotebookInfo]:
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
        raise ReportError(f"unknown notebook(s) {', '.join(map(repr, unknown))}; valid: {valid} (or their two-digit numbers)")
    return [info for info in available if info.name in chosen]


def plan_runs(
    notebooks: Sequence[NotebookInfo],
    cities: Sequence[str],
    valid_cities: Sequence[str],
    parameters: Mapping[str, str] | None = None,
) -> list[RunSpec]:
    """The runs to consider, validated: a notebook declaring ``city`` runs once per city.

    ``parameters`` (raw strings from ``-p``) go to every selected notebook that declares them and are
    converted to the declared type; a name no selected notebook declares is an error.
    """
    parameters = dict(parameters or {})
    unknown_cities = [city for city in cities if city not in valid_cities]
    if unknown_cities:
        raise ReportError(f"unknown cit{'y' if len(unknown_cities) == 1 else 'ies'} {', '.join(map(repr, unknown_cities))}; valid: {', '.join(valid_cities)}")
    if CITY_PARAMETER in parameters:
        raise ReportError(f"choose places with --cities (valid: {', '.join(valid_cities)}), not -p {CITY_PARAMETER}=…")
    declared = sorted({name for info in notebooks for name in info.parameters if name != CITY_PARAMETER})
    unknown = [name for name in parameters if name not in declared]
    if unknown:
        names = ", ".join(info.name for info in notebooks)
        raise ReportError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))} for notebook(s) {names}; "
            f"declared: {', '.join(declared) or '(none)'}"
        )
    runs = []
    for info in notebooks:
        overrides = {
            name: coerce_parameter(raw, info.parameters[name], info.name) for name, raw in parameters.items() if name in info.parameters
        }
        if info.per_city:
            for city in cities:
                runs.append(RunSpec(run_name=f"{info.name}-{city}", notebook=info, parameters={**overrides, CITY_PARAMETER: city}))
        else:
            runs.append(RunSpec(run_name=info.name, notebook=info, parameters=overrides))
    for run in runs:
        if not RUN_NAME_PATTERN.match(run.run_name):
            raise ReportError(f"run name {run.run_name!r} is not a safe file name")
    return runs


# ----------------------------------------------------------------------------------------------
# the project's kernel


def kernelspec_dir(prefix: str | Path | None = None) -> Path:
    """Where the project's kernelspec lives: ``<sys.prefix>/share/jupyter/kernels/kexie-research``."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def _kernelspec(executable: str) -> dict[str, Any]:
    return {
        "argv": [executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": KERNEL_DISPLAY_NAME,
        "language": "python",
        "metadata": {"debugger": True},
    }


def ensure_project_kernel(prefix: str | Path | None = None, executable: str | None = None) -> str:
    """Install (if missing or stale) the ``kexie-research`` kernelspec for this interpreter; return its name.

    The spec goes into ``<sys.prefix>/share/jupyter/kernels`` of the project's environment, so it
    never touches a user's own kernels. :func:`project_kernel_env` puts that folder first on
    ``JUPYTER_PATH`` so a same-named user kernel cannot shadow it.
    """
    executable = executable or sys.executable
    folder = kernelspec_dir(prefix)
    spec_file = folder / "kernel.json"
    wanted = _kernelspec(executable)
    try:
        current = json.loads(spec_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        current = None
    if current != wanted:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            spec_file.write_text(json.dumps(wanted, indent=1), encoding="utf-8")
        except OSError as exc:
            raise ReportError(f"cannot install the {KERNEL_NAME!r} kernelspec into {folder}: {exc}") from exc
    return KERNEL_NAME


def kernel_environment(figure_dir: Path | None = None, prefix: str | Path | None = None) -> dict[str, str]:
    """Variables set for a notebook run, on top of the current environment.

    Our kernelspec folder goes first on ``JUPYTER_PATH`` (so a same-named user kernel cannot shadow
    it) and ``KEXIE_FIGURE_DIR`` points at the run's figure folder.
    """
    share = str(Path(prefix or sys.prefix) / "share" / "jupyter")
    others = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != share]
    updates = {
        "JUPYTER_PATH": os.pathsep.join([share, *others]),
        # Reproducible figure files: matplotlib writes this date into SVG/PDF metadata.
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # silences a debugger warning in every kernel
    }
    if figure_dir is not None:
        updates["KEXIE_FIGURE_DIR"] = str(figure_dir)
    return updates


@contextlib.contextmanager
def project_kernel_env(figure_dir: Path | None = None, prefix: str | Path | None = None) -> Iterator[None]:
    """Set :func:`kernel_environment` in this process for the duration of the block, then restore it."""
    updates = kernel_environment(figure_dir, prefix)
    previous = {name: os.environ.get(name) for name in updates}
    os.environ.update(updates)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def check_project_kernel(prefix: str | Path | None = None, executable: str | None = None) -> None:
    """Verify that ``kexie-research`` resolves to this interpreter (raises :class:`ReportError`)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    with project_kernel_env(prefix=prefix):
        try:
            spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        except NoSuchKernel as exc:
            raise ReportError(f"kernel {KERNEL_NAME!r} not found after installing it into {kernelspec_dir(prefix)}") from exc
    if spec.argv[0] != (executable or sys.executable):
        raise ReportError(f"kernel {KERNEL_NAME!r} runs {spec.argv[0]}, not this environment's {executable or sys.executable}")


# ----------------------------------------------------------------------------------------------
# executing one run (in this process or in a worker process)


_EXPORTER = None
_EXPORTER_LOCK = threading.Lock()


def _html_exporter():
    """nbconvert's HTML exporter with the project template, built once per process.

    Two costs of the stock exporter are skipped because they buy nothing for these reports and take
    ~1.5 s per notebook: a BeautifulSoup re-parse of the finished page (it only adds ``tabindex`` and
    a placeholder ``alt``; the template writes an ``alt`` itself), and ``bleach`` sanitising of the
    pygments-highlighted code (pygments already escapes the source).
    """
    with _EXPORTER_LOCK:
        return _EXPORTER or _build_exporter()


def _build_exporter():
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        class ReportHTMLExporter(HTMLExporter):
            def from_notebook_node(self, nb, resources=None, **kw):  # type: ignore[override]
                langinfo = nb.metadata.get("language_info", {})
                lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
                highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
                resources = self._init_resources(resources)
                data_filter = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
                self.register_filter("highlight_code", highlight)
                self.register_filter("filter_data_type", data_filter)
                return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

        exporter = ReportHTMLExporter(template_name=HTML_TEMPLATE, extra_template_basedirs=[str(TEMPLATES_DIR / "nbconvert")])
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        _EXPORTER = exporter
    return _EXPORTER


def export_html(notebook_path: Path, html_path: Path, info: Mapping[str, Any]) -> None:
    """Standalone HTML of an executed notebook; code cells are folded (``<details>``) for readers."""
    import nbformat

    nb = nbformat.read(str(notebook_path), as_version=4)
    resources = {"metadata": {"name": info.get("run_name", notebook_path.stem)}, "kexie": dict(info)}
    body, _ = _html_exporter().from_notebook_node(nb, resources=resources)
    html_path.write_text(body, encoding="utf-8")


def _describe_failure(output_path: Path, source_path: Path, error: BaseException) -> str:
    """``cell 7 (id 'facts', first line 'df = …'): KeyError: 'x'`` for the failing cell."""
    ename = getattr(error, "ename", type(error).__name__)
    evalue = getattr(error, "evalue", str(error))
    try:
        import nbformat

        executed = nbformat.read(str(output_path), as_version=4)
        source_ids = [cell.get("id") for cell in nbformat.read(str(source_path), as_version=4).cells]
    except Exception:  # the output notebook may not exist when the kernel never started
        return f"{ename}: {evalue}"
    for cell in executed.cells:
        if any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
            cell_id = cell.get("id")
            number = source_ids.index(cell_id) + 1 if cell_id in source_ids else None
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            where = f"cell {number} of {source_path.name}" if number else "an injected cell"
            return f"{where} (id {cell_id!r}, first line {first[:60]!r}): {ename}: {evalue}"
    return f"{ename}: {evalue}"


# Modules a notebook needs that its own import lines do not show: pandas reads parquet through
# pyarrow lazily, and the project's plotting module imports seaborn when the theme is applied.
PREWARM_EXTRA = ("pyarrow.parquet",)
PREWARM_WITH = {"kexie_research.viz.plotting": ("matplotlib.pyplot", "seaborn")}


def notebook_imports(path: str | Path) -> list[str]:
    """Modules a notebook imports (``import a.b``, ``from a import b``), read from its code cells."""
    names: list[str] = []
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return names
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        # IPython magics and shell escapes are not Python: blank them out before parsing.
        source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
                names.extend(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    return list(dict.fromkeys(names))


def _prewarm_code(modules: Sequence[str]) -> str:
    # Runs silently in the kernel's namespace before the notebook: a function keeps it from leaving
    # names behind, and a module that is not importable is simply skipped (the notebook will say so).
    return (
        "def __kexie_prewarm(names):\n"
        "    import importlib\n"
        "    for name in names:\n"
        "        try:\n"
        "            importlib.import_module(name)\n"
        "        except Exception:\n"
        "            pass\n"
        f"__kexie_prewarm({list(modules)!r})\n"
        "del __kexie_prewarm\n"
    )


class RunKernel:
    """The kernel of one run, started before papermill connects to it.

    Starting it ourselves lets the runner (a) use IPC socket files instead of TCP ports (no network
    exposure, and no "running over TCP without encryption" warning from every kernel), (b) give
    the kernel the run's own environment (figure folder), and (c) start the *next* run's kernel and
    load its imports while the current notebook executes (``prewarm``): each notebook still gets a
    fresh kernel process of its own.
    """

    def __init__(self, payload: Mapping[str, Any], prewarm: bool = False) -> None:
        import tempfile
        import uuid

        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.figures = _prepare_figure_dir(payload)
        token = uuid.uuid4().hex[:12]
        runtime = Path(tempfile.gettempdir())
        env = {**os.environ, **kernel_environment(self.figures)}
        with project_kernel_env():  # the kernelspec is looked up on JUPYTER_PATH
            self.km = AsyncKernelManager(
                kernel_name=payload["kernel_name"],
                transport="ipc",
                # short socket paths: a Unix socket path must stay under ~100 characters
                connection_file=str(runtime / f"kexie-{token}.json"),
                ip=str(runtime / f"kexie-{token}-ipc"),
            )
            run_sync(self.km.start_kernel)(env=env, cwd=payload.get("cwd"))
        self.warm_client = None
        if prewarm:
            imported = notebook_imports(payload["notebook_path"])
            modules = [*imported, *PREWARM_EXTRA, *(m for name in imported for m in PREWARM_WITH.get(name, ()))]
            client = self.km.blocking_client()
            client.start_channels()
            # Queued on the shell socket; the kernel runs it before the notebook's first cell.
            client.execute(_prewarm_code(modules), silent=True, store_history=False, allow_stdin=False)
            self.warm_client = client

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        if self.warm_client is not None:
            with contextlib.suppress(Exception):
                self.warm_client.stop_channels()
            self.warm_client = None
        with contextlib.suppress(Exception):
            # shutdown_kernel also removes the connection file and the IPC socket files.
            if run_sync(self.km.is_alive)():
                run_sync(self.km.shutdown_kernel)(now=True)
            else:
                run_sync(self.km.cleanup_resources)()


def _prepare_figure_dir(payload: Mapping[str, Any]) -> Path:
    figures = safe_child(Path(payload["output_dir"]), FIGURES_DIR, payload["run_name"])
    if figures.exists():
        shutil.rmtree(figures)  # figures of an older version of the notebook must not linger
    figures.mkdir(parents=True)
    return figures


def execute_run(payload: Mapping[str, Any], kernel: RunKernel | None = None) -> dict[str, Any]:
    """Execute one planned run and export it; never raises for a notebook error (returns ``failed``).

    ``payload`` is plain data (so that it can cross into a worker process): run_name, notebook
    (name), notebook_path, parameters, output_dir, kernel_name, cwd, key, reason, timeout.
    ``kernel`` is a started :class:`RunKernel` for this run (one is started when omitted); it is
    shut down before returning.
    """
    _import_execution_stack()
    import papermill

    out = Path(payload["output_dir"])
    run_name = payload["run_name"]
    ipynb = safe_child(out, f"{run_name}.ipynb")
    html = safe_child(out, f"{run_name}.html")
    started = datetime.now().astimezone()
    clock = time.perf_counter()
    error = None
    try:
        kernel = kernel or RunKernel(payload)
    except Exception as exc:  # the kernel did not start: this run fails, the others go on
        kernel = None
        error = f"kernel {payload['kernel_name']!r} did not start: {type(exc).__name__}: {exc}"
    if kernel is not None:
        try:
            papermill.execute_notebook(
                payload["notebook_path"],
                str(ipynb),
                parameters=dict(payload["parameters"]),
                kernel_name=payload["kernel_name"],
                km=kernel.km,
                cwd=payload.get("cwd"),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                start_timeout=120,
                execution_timeout=payload.get("timeout"),
            )
        except Exception as exc:  # one failing notebook must not stop the others
            error = _describe_failure(ipynb, Path(payload["notebook_path"]), exc)
        finally:
            kernel.shutdown()
    status = "failed" if error else "ok"
    info = {
        "run_name": run_name,
        "notebook": payload["notebook"],
        "parameters": payload["parameters"],
        "started": started.isoformat(timespec="seconds"),
        "duration": round(time.perf_counter() - clock, 2),
        "status": status,
        "error": error,
        "index": INDEX_NAME,
    }
    if ipynb.exists():
        try:
            export_html(ipynb, html, info)
        except Exception as exc:  # the notebook ran; a broken export is reported, not hidden
            error = (error + "; " if error else "") + f"HTML export failed: {type(exc).__name__}: {exc}"
            status = "failed"
    figures = safe_child(out, FIGURES_DIR, run_name)
    produced = sorted(p.relative_to(out).as_posix() for p in figures.rglob("*") if p.is_file()) if figures.exists() else []
    return asdict(RunResult(
        run_name=run_name,
        notebook=payload["notebook"],
        parameters=dict(payload["parameters"]),
        status=status,
        key=payload["key"],
        reason=payload.get("reason", ""),
        inputs=dict(payload.get("inputs", {})),
        started=info["started"],
        duration=round(time.perf_counter() - clock, 2),
        ipynb=ipynb.relative_to(out).as_posix() if ipynb.exists() else "",
        html=html.relative_to(out).as_posix() if html.exists() else "",
        figures=produced,
        error=error,
    ))


def execute_sequentially(payloads: Sequence[Mapping[str, Any]], prewarm: bool, on_result: Any, on_start: Any = None) -> None:
    """Run ``payloads`` one at a time; with ``prewarm`` the next kernel starts while one runs."""
    # nbconvert takes ~1 s to import and compile its templates: do it while the first notebook runs
    # (the main thread is mostly waiting for the kernel then).
    threading.Thread(target=_html_exporter, name="kexie-html-exporter", daemon=True).start()
    spare: RunKernel | None = None
    try:
        for number, payload in enumerate(payloads):
            if on_start is not None:
                on_start(payload)
            kernel, spare = spare, None
            if kernel is None:
                try:
                    kernel = RunKernel(payload, prewarm=prewarm)
                except Exception:
                    kernel = None  # execute_run starts one itself and reports the failure
            if prewarm and number + 1 < len(payloads):
                try:
                    spare = RunKernel(payloads[number + 1], prewarm=True)
                except Exception:
                    spare = None
            on_result(execute_run(payload, kernel))
    finally:
        if spare is not None:
            spare.shutdown()


# ----------------------------------------------------------------------------------------------
# the index page


def write_index(output_dir: Path, cache: Mapping[str, Any], results: Sequence[RunResult], notebooks: Sequence[NotebookInfo]) -> Path:
    """``index.html``: every report of the folder with run time, parameters, status and links."""
    import jinja2

    from kexie_research import __version__

    this_run = {r.run_name: r.status for r in results}
    declared = {info.name: info.parameters for info in notebooks}
    entries = []
    for run_name, entry in sorted(cache.get("runs", {}).items()):
        if entry.get("notebook") not in declared:
            continue  # the notebook was removed; its old outputs are not advertised
        effective = {name: p.default for name, p in declared[entry["notebook"]].items()}
        effective.update({name: repr(value) for name, value in entry.get("parameters", {}).items()})
        entries.append({
            **entry,
            "status_now": this_run.get(run_name, "not run"),
            "effective_parameters": effective,
            "figure_links": [f for f in entry.get("figures", []) if f.endswith((".svg", ".png"))],
        })
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=jinja2.select_autoescape(["html", "j2"]), keep_trailing_newline=True
    )
    page = environment.get_template("index.html.j2").render(
        entries=entries,
        generated=datetime.now().astimezone().isoformat(timespec="seconds"),
        version=__version__,
        python=sys.executable,
        kernel=KERNEL_NAME,
    )
    path = safe_child(output_dir, INDEX_NAME)
    path.write_text(page, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------------------
# the whole run


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return contextlib.nullcontext(None)
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="notebook", desc="kexie report", file=sys.stderr, disable=None)


def run_reports(
    notebooks: Sequence[str] | None = None,
    cities: Sequence[str] | None = None,
    parameters: Mapping[str, str] | Sequence[str] | None = None,
    output_dir: str | Path | None = None,
    jobs: int = 1,
    force: bool = False,
    progress: bool = True,
    notebooks_dir: str | Path | None = None,
    timeout: int | None = None,
    prewarm: bool = True,
) -> ReportSummary:
    """Run the report notebooks; the Python API behind ``kexie report``.

    Args:
        notebooks: names (``10_city_profile``), file names or two-digit numbers; default all.
        cities: places for notebooks with a ``city`` parameter; default all five.
        parameters: ``{"name": "value"}`` or ``["name=value", …]`` (strings, typed per notebook).
        output_dir: default ``reports/`` of the checkout.
        jobs: notebooks executed at the same time (each in its own process and kernel).
        force: ignore the cache.
        progress: show a tqdm progress bar on stderr.
        notebooks_dir: default ``notebooks/`` of the checkout.
        timeout: seconds a single cell may run (default: no limit).
        prewarm: with ``jobs=1``, start the next notebook's kernel and load its imports while the
            current one runs (each notebook still gets its own fresh kernel).

    Raises :class:`ReportError` (before any kernel starts) for unknown notebooks, cities or
    parameters, a bad parameter value, an unsafe output folder or a missing processed dataset.
    """
    from kexie_research import config
    from kexie_research.steps.sources import city_keys

    clock = time.perf_counter()
    if jobs < 1:
        raise ReportError(f"--jobs must be at least 1, got {jobs}")
    try:
        nb_dir = Path(notebooks_dir) if notebooks_dir is not None else config.notebooks_dir()
    except FileNotFoundError as exc:  # an installed wheel has no notebooks/
        raise ReportError(f"{exc}; pass notebooks_dir= (Python) to run notebooks from elsewhere") from exc
    out = _check_output_dir(Path(output_dir) if output_dir is not None else default_output_dir(), nb_dir)
    raw_parameters = parse_assignments(parameters) if isinstance(parameters, (list, tuple)) else dict(parameters or {})
    valid_cities = city_keys()
    chosen_cities = list(dict.fromkeys(cities)) if cities else list(valid_cities)

    out.mkdir(parents=True, exist_ok=True)
    cache = load_cache(out)
    available = discover_notebooks(nb_dir, cache)
    selected = _resolve_notebooks(notebooks, available)
    runs = plan_runs(selected, chosen_cities, valid_cities, raw_parameters)
    if not (config.processed_dir() / "indicators.parquet").is_file():
        raise ReportError(f"{config.processed_dir() / 'indicators.parquet'} not found: run `kexie build` first")

    library, data = library_fingerprint(), data_fingerprint()
    results: dict[str, RunResult] = {}
    pending: list[tuple[RunSpec, dict[str, Any], str]] = []
    for run in runs:
        inputs = cache_inputs(run, library, data)
        entry = cache["runs"].get(run.run_name)
        reason = explain_run(entry, inputs, out, force)
        if reason is None:
            known = {name: value for name, value in entry.items() if name in RunResult.__dataclass_fields__}
            results[run.run_name] = RunResult(**{**known, "status": "cached", "reason": "unchanged"})
        else:
            pending.append((run, inputs, reason))

    if pending:
        kernel = ensure_project_kernel()
        check_project_kernel()
        payloads = [
            {
                "run_name": run.run_name,
                "notebook": run.notebook.name,
                "notebook_path": str(run.notebook.path),
                "parameters": run.parameters,
                "output_dir": str(out),
                "kernel_name": kernel,
                "cwd": str(nb_dir),
                "key": cache_key(inputs),
                "inputs": inputs,
                "reason": reason,
                "timeout": timeout,
            }
            for run, inputs, reason in pending
        ]

        with _progress(len(payloads), progress) as bar:

            def record(result: dict[str, Any]) -> None:
                outcome = RunResult(**result)
                results[outcome.run_name] = outcome
                cache["runs"][outcome.run_name] = outcome.to_cache()
                save_cache(out, cache)  # after each run, so an interrupted run keeps what finished
                if bar is not None:
                    bar.set_postfix_str(f"{outcome.run_name}: {outcome.status}")
                    bar.update(1)

            def starting(payload: Mapping[str, Any]) -> None:
                if bar is not None:
                    bar.set_description_str(str(payload["run_name"]))

            if jobs == 1 or len(payloads) == 1:
                execute_sequentially(payloads, prewarm=prewarm, on_result=record, on_start=starting)
            else:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor, as_completed

                # spawn: a fresh interpreter per worker, no inherited threads or sockets.
                context = multiprocessing.get_context("spawn")
                with ProcessPoolExecutor(max_workers=min(jobs, len(payloads)), mp_context=context) as pool:
                    futures = {pool.submit(execute_run, payload): payload for payload in payloads}
                    for future in as_completed(futures):
                        payload = futures[future]
                        try:
                            result = future.result()
                        except Exception as exc:  # the worker process itself died
                            result = asdict(RunResult(
                                run_name=payload["run_name"], notebook=payload["notebook"], parameters=payload["parameters"],
                                status="failed", key=payload["key"], reason=payload["reason"], inputs=payload["inputs"],
                                error=f"worker process failed: {type(exc).__name__}: {exc}",
                            ))
                        record(result)
    save_cache(out, cache)
    ordered = [results[run.run_name] for run in runs]
    index = write_index(out, cache, ordered, available)
    return ReportSummary(results=ordered, output_dir=out, index=index, elapsed=time.perf_counter() - clock)


# ----------------------------------------------------------------------------------------------
# command line


def _split_list(values: Sequence[str] | None) -> list[str] | None:
    if not values:
        return None
    return [item for value in values for item in value.replace(",", " ").split() if item]


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``kexie report`` to ``parser``."""
    parser.description = (
        "Run the notebooks into reports/ with papermill: executed .ipynb, standalone HTML, figures "
        "and reports/index.html. Unchanged notebooks are taken from the cache."
    )
    parser.add_argument("--notebooks", nargs="+", metavar="NAME", help="notebooks to run (names like 10_city_profile, or numbers like 10); default all")
    parser.add_argument("--cities", nargs="+", metavar="CITY", help="places for notebooks with a `city` parameter; default all")
    parser.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE", help="set a notebook parameter (typed as the notebook declares it); repeatable")
    parser.add_argument("--output-dir", default=None, metavar="DIR", help="where to write the reports (default: reports/)")
    parser.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="notebooks to execute in parallel (default 1)")
    parser.add_argument("--force", action="store_true", help="execute every notebook even when its inputs are unchanged")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--timeout", type=int, default=None, metavar="SECONDS", help="maximum run time of a single cell")
    parser.add_argument("--no-prewarm", action="store_true", help="do not start the next notebook's kernel while one runs")


def command(args: argparse.Namespace) -> int:
    """Entry point of ``kexie report``: 0 when every run succeeded, 1 when one failed, 2 for bad options."""
    try:
        summary = run_reports(
            notebooks=_split_list(args.notebooks),
            cities=_split_list(args.cities),
            parameters=list(args.parameter or []),
            output_dir=args.output_dir,
            jobs=args.jobs,
            force=args.force,
            progress=not getattr(args, "no_progress", False),
            timeout=getattr(args, "timeout", None),
            prewarm=not getattr(args, "no_prewarm", False),
        )
    except ReportError as exc:
        print(f"kexie report: error: {exc}", file=sys.stderr)
        return 2
    print(summary.table())
    for result in summary.failed:
        print(f"kexie report: {result.run_name} ({result.notebook}.ipynb) failed: {result.error}", file=sys.stderr)
    return summary.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kexie_research.runner.reports [options]``: the same as ``kexie report``."""
    parser = argparse.ArgumentParser(prog="kexie report")
    configure_parser(parser)
    return command(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
