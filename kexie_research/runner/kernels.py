"""The project's Jupyter kernel: its kernelspec, the environment of a run, and one kernel per run.

Notebooks always run on the project's own environment (kernel ``kexie-research``, a kernelspec
pointing at this interpreter, installed into ``sys.prefix`` when missing). Each run gets a fresh
kernel, started by the runner with IPC sockets: forked from the kernel template (:mod:`.forking`)
where it can be, else spawned; it can be started early, and a spawned one then loads its notebook's
imports while other runs execute (pre-warming).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
import threading
import ast
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kexie_research.runner.model import KERNEL_DISPLAY_NAME, KERNEL_NAME, ReportError

if TYPE_CHECKING:
    from kexie_research.runner.forking import KernelTemplate

# os.environ is process-wide: runs started from several threads take turns changing it.
_ENV_LOCK = threading.RLock()


def kernelspec_dir(prefix: str | Path | None = None) -> Path:
    """Where the project's kernelspec lives: ``<sys.prefix>/share/jupyter/kernels/kexie-research``.

    Examples
    --------
    >>> kernelspec_dir("/env").as_posix()
    '/env/share/jupyter/kernels/kexie-research'
    """
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

    Examples
    --------
    >>> import tempfile
    >>> ensure_project_kernel(prefix=tempfile.mkdtemp())
    'kexie-research'
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

    Examples
    --------
    >>> kernel_environment(Path("/r/figures/00_x"))["KEXIE_FIGURE_DIR"]
    '/r/figures/00_x'
    """
    share = str(Path(prefix or sys.prefix) / "share" / "jupyter")
    others = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != share]
    updates = {
        "JUPYTER_PATH": os.pathsep.join([share, *others]),
        # Reproducible figure files: matplotlib writes this date into SVG/PDF metadata.
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # silences a debugger warning in every kernel
        # plotly picks its default renderer when imported, from the shell it finds then: a kernel's
        # choice (as a spawned kernel makes it) also for a kernel forked from the template, which
        # imported plotly before any shell existed. A user's own setting wins.
        "PLOTLY_RENDERER": os.environ.get("PLOTLY_RENDERER", "plotly_mimetype"),
    }
    if figure_dir is not None:
        updates["KEXIE_FIGURE_DIR"] = str(figure_dir)
    return updates


@contextlib.contextmanager
def project_kernel_env(figure_dir: Path | None = None, prefix: str | Path | None = None) -> Iterator[None]:
    """Set :func:`kernel_environment` in this process for the duration of the block, then restore it.

    Examples
    --------
    >>> with project_kernel_env(Path("/r/f")):
    ...     os.environ["KEXIE_FIGURE_DIR"]
    '/r/f'
    """
    with _ENV_LOCK:
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
    """Verify that ``kexie-research`` resolves to this interpreter (raises :class:`ReportError`).

    Examples
    --------
    >>> import tempfile
    >>> prefix = tempfile.mkdtemp(); _ = ensure_project_kernel(prefix=prefix)
    >>> check_project_kernel(prefix=prefix)
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    with project_kernel_env(prefix=prefix):
        try:
            spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        except NoSuchKernel as exc:
            raise ReportError(
                f"kernel {KERNEL_NAME!r} not found after installing it into {kernelspec_dir(prefix)}"
            ) from exc
    if spec.argv[0] != (executable or sys.executable):
        raise ReportError(
            f"kernel {KERNEL_NAME!r} runs {spec.argv[0]}, not this environment's {executable or sys.executable}"
        )


# Modules a notebook needs that its own import lines do not show: pandas reads parquet through
# pyarrow lazily, and the project's plotting module imports seaborn when the theme is applied.
PREWARM_EXTRA = ("pyarrow.parquet",)
PREWARM_WITH = {"kexie_research.viz.plotting": ("matplotlib.pyplot", "seaborn")}


def notebook_imports(path: str | Path) -> list[str]:
    """Modules a notebook imports (``import a.b``, ``from a import b``), read from its code cells.

    Examples
    --------
    >>> notebook_imports("/nonexistent.ipynb")
    []
    """
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


def run_imports(path: str | Path) -> list[str]:
    """What a run of this notebook will import: its import lines plus the modules they load lazily.

    Examples
    --------
    >>> run_imports("/nonexistent.ipynb")
    ['pyarrow.parquet']
    """
    imported = notebook_imports(path)
    return list(
        dict.fromkeys([*imported, *PREWARM_EXTRA, *(m for name in imported for m in PREWARM_WITH.get(name, ()))])
    )


# The parts of the library a notebook uses; the build (steps), extract and runner stay out.
ANALYSIS_PARTS = ("config.py", "data.py", "errors.py", "parse", "schemas", "analysis", "viz")


# An import statement at the start of a line (a regular expression, not a parse: ten times faster,
# and a stray match in a docstring only adds a name the template fails to import and skips).
_IMPORT_LINE = re.compile(
    r"^[ \t]*(?:import[ \t]+([A-Za-z_][\w.]*)|from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b)", re.MULTILINE
)


@functools.lru_cache(maxsize=1)
def analysis_stack() -> tuple[str, ...]:
    """Third-party modules the analysis library imports, at the top or inside functions (read from its source).

    The library imports its heavy dependencies on first use, so a notebook's import lines do not show
    them; the kernel template (:mod:`.template`) preloads this list so that a forked kernel starts
    with them imported. Read from the source, so it follows the code without a list to maintain.

    Examples
    --------
    >>> {"pandas", "geopandas", "matplotlib.pyplot"} <= set(analysis_stack())
    True
    >>> any(name.startswith(("kexie_research", "os")) for name in analysis_stack())
    False
    """
    package = Path(__file__).resolve().parent.parent
    files = [
        f
        for part in ANALYSIS_PARTS
        for f in ((package / part).rglob("*.py") if (package / part).is_dir() else [package / part])
    ]
    names: list[str] = []
    for file in sorted(files):
        try:
            names.extend(plain or source for plain, source in _IMPORT_LINE.findall(file.read_text(encoding="utf-8")))
        except OSError:
            continue
    third_party = (
        n for n in names if n.split(".")[0] not in sys.stdlib_module_names and n.split(".")[0] != "kexie_research"
    )
    return tuple(sorted(set(third_party)))


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


@functools.cache
def kernel_manager_class() -> type:
    """jupyter_client's ``AsyncKernelManager`` that keeps the clients it makes, so they can be stopped.

    nbclient stops the channels of its kernel client only when it made the kernel manager itself;
    the runner passes its own (``km=``), so without this each run would leave the client's ZMQ
    context (two threads) and its heartbeat thread behind in the calling process.

    Examples
    --------
    >>> manager = kernel_manager_class()(kernel_name="python3")
    >>> manager.clients
    []
    """
    from jupyter_client.manager import AsyncKernelManager

    class ClientKeepingKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.clients: list[Any] = []

        def client(self, **kwargs: Any) -> Any:
            made = super().client(**kwargs)
            self.clients.append(made)
            return made

    return ClientKeepingKernelManager


class RunKernel:
    """The kernel of one run, started before papermill connects to it.

    Starting it ourselves lets the runner (a) use IPC socket files instead of TCP ports (no network
    exposure, and no "running over TCP without encryption" warning from every kernel), (b) give
    the kernel the run's own environment (figure folder), and (c) start the *next* run's kernel and
    load its imports while the current notebook executes (``prewarm``): each notebook still gets a
    fresh kernel process of its own.

    Examples
    --------
    >>> import tempfile
    >>> kernel = RunKernel("kexie-research", "00_x.ipynb", Path(tempfile.mkdtemp()))
    >>> kernel.km.transport  # IPC socket files, no TCP port
    'ipc'
    >>> kernel.shutdown()
    """

    def __init__(
        self,
        kernel_name: str,
        notebook_path: str,
        figures: Path,
        *,
        cwd: str | None = None,
        prewarm: bool = False,
        template: KernelTemplate | None = None,
    ) -> None:
        from jupyter_core.utils import run_sync

        self.figures = Path(figures)
        self.forked = False
        with project_kernel_env():  # the kernelspec is looked up on JUPYTER_PATH
            env = {**os.environ, **kernel_environment(self.figures)}
            self.km = kernel_manager_class()(kernel_name=kernel_name, transport="ipc")
            self._new_sockets()
            if template is not None:
                self.forked = self._start_forked(template, env, cwd)
            if not self.forked:
                run_sync(self.km.start_kernel)(env=env, cwd=cwd)
        self.warm_client = None
        if prewarm and not self.forked:  # a forked kernel has its modules from the template already
            modules = run_imports(notebook_path)
            client = self.km.blocking_client()
            client.start_channels()
            # Queued on the shell socket; the kernel runs it before the notebook's first cell.
            client.execute(_prewarm_code(modules), silent=True, store_history=False, allow_stdin=False)
            self.warm_client = client

    def _new_sockets(self) -> None:
        """Give the kernel a fresh connection file and IPC socket prefix in the temporary folder."""
        import tempfile
        import uuid

        token = uuid.uuid4().hex[:12]
        runtime = Path(tempfile.gettempdir())
        # short socket paths: a Unix socket path must stay under ~100 characters
        self.km.connection_file = str(runtime / f"kexie-{token}.json")
        self.km.ip = str(runtime / f"kexie-{token}-ipc")

    def _start_forked(self, template: KernelTemplate, env: Mapping[str, str], cwd: str | None) -> bool:
        """Start this run's kernel as a fork of ``template``; False (nothing left behind) if it cannot."""
        import uuid

        from jupyter_core.utils import run_sync

        from kexie_research.runner.forking import ForkProvisioner, TemplateUnavailable

        km = self.km
        km.kernel_id = str(uuid.uuid4())
        provisioner = ForkProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
        provisioner.template = template
        km.provisioner = provisioner
        try:
            run_sync(km.start_kernel)(env=dict(env), cwd=cwd)
        except TemplateUnavailable:
            km.provisioner = None  # the next start_kernel makes the ordinary (spawning) provisioner
            with contextlib.suppress(Exception):
                run_sync(km.cleanup_resources)()
            self._new_sockets()  # the spawned kernel gets sockets of its own, whatever the template may still do
            return False
        return True

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        if self.warm_client is not None:
            with contextlib.suppress(Exception):
                self.warm_client.stop_channels()
            self.warm_client = None
        for client in getattr(self.km, "clients", ()):  # papermill's client: its channels, its ZMQ context
            with contextlib.suppress(Exception):
                client.stop_channels()
        with contextlib.suppress(Exception):
            # shutdown_kernel also removes the connection file and the IPC socket files.
            if run_sync(self.km.is_alive)():
                run_sync(self.km.shutdown_kernel)(now=True)
            else:
                run_sync(self.km.cleanup_resources)()
