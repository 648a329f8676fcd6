"""The report cache: what a run's outputs depend on, and whether they can be reused.

A run is recorded only after all its files (notebook, HTML, figures) are in place, and a rerun
reuses it only when every one of those files still exists.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kexie_research.runner.model import CACHE_NAME, CACHE_VERSION, KERNEL_NAME, TEMPLATES_DIR, RunSpec

# Files that never change what a notebook computes.
# The lock file of data/raw (its holder's pid) and temporary files of a killed write are not data.
_IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", ".DS_Store", ".kexie.lock"}


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``.

    Examples
    --------
    >>> sha256_bytes(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def tree_digest(root: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """One hash over the relative paths and contents of the files under ``root`` (symlinks followed).

    Examples
    --------
    >>> tree_digest(Path("/nonexistent")) == tree_digest(Path("/nonexistent/too"))
    True
    """
    digest = hashlib.sha256()
    if not root.exists():
        digest.update(b"<missing>")
        return digest.hexdigest()
    files = []
    for folder, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames[:] = sorted(d for d in dirnames if d not in _IGNORED_PARTS and not d.startswith("."))
        for filename in filenames:
            if filename in _IGNORED_PARTS or filename.endswith((".pyc", ".pyo", ".kexie-tmp")):
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
    """Hash of the library's code (``kexie_research/**/*.py``) and its report templates.

    Examples
    --------
    >>> len(library_fingerprint())
    64
    """
    package = Path(__file__).resolve().parents[1]
    return sha256_bytes((tree_digest(package, (".py",)) + tree_digest(TEMPLATES_DIR)).encode())


def data_fingerprint(data_dir: Path | None = None) -> str:
    """Hash of the data the notebooks read: ``processed/`` and ``raw/`` (documents, sheets, reference).

    Examples
    --------
    >>> len(data_fingerprint(Path("/nonexistent")))
    64
    """
    from kexie_research import config

    base = Path(data_dir) if data_dir is not None else config.data_dir()
    return sha256_bytes((tree_digest(base / "processed") + tree_digest(base / "raw")).encode())


def cache_inputs(spec: RunSpec, library: str, data: str) -> dict[str, Any]:
    """Everything a run's outputs depend on; stored with the run so that a miss can say what changed.

    Examples
    --------
    >>> from kexie_research.runner.model import NotebookInfo
    >>> spec = RunSpec("00_x", NotebookInfo("00_x", Path("00_x.ipynb"), "0" * 64, {}), {"n": 1})
    >>> sorted(cache_inputs(spec, "lib", "data"))
    ['cache_version', 'data', 'environment', 'library', 'notebook', 'parameters']
    """
    return {
        "cache_version": CACHE_VERSION,
        "environment": f"python {sys.version_info[0]}.{sys.version_info[1]}, kernel {KERNEL_NAME}",
        "notebook": spec.notebook.sha256,
        "parameters": json.loads(json.dumps(spec.parameters, sort_keys=True, default=str)),
        "library": library,
        "data": data,
    }


def cache_key(inputs: Mapping[str, Any]) -> str:
    """The key under which a run's outputs are reused: any change to an input changes it.

    Examples
    --------
    >>> cache_key({"a": 1}) == cache_key({"a": 1}) != cache_key({"a": 2})
    True
    """
    return sha256_bytes(json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str).encode())


_INPUT_WORDS = {
    "cache_version": "report runner changed",
    "environment": "Python or kernel changed",
    "notebook": "notebook changed",
    "parameters": "parameters changed",
    "library": "library code changed",
    "data": "data changed",
}


def output_files(entry: Mapping[str, Any]) -> list[str]:
    """Every file a cached run wrote: its notebook, its HTML and its figures.

    Examples
    --------
    >>> output_files({"ipynb": "a.ipynb", "html": "a.html", "figures": ["figures/a/x.png"]})
    ['a.ipynb', 'a.html', 'figures/a/x.png']
    """
    return [entry[kind] for kind in ("ipynb", "html") if entry.get(kind)] + list(entry.get("figures") or [])


def explain_run(
    entry: Mapping[str, Any] | None, inputs: Mapping[str, Any], output_dir: Path, force: bool
) -> str | None:
    """``None`` when the cached outputs can be reused, else why the run has to execute.

    Examples
    --------
    >>> explain_run(None, {}, Path("."), force=False)
    'not run before'
    """
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
    files = output_files(entry)
    if (
        not entry.get("html")
        or not entry.get("ipynb")
        or not all((Path(output_dir) / name).is_file() for name in files)
    ):
        return "outputs missing"
    if entry.get("key") != cache_key(inputs):
        return "cache key changed"
    return None


def empty_cache() -> dict[str, Any]:
    """A cache with no entries.

    Examples
    --------
    >>> empty_cache()["runs"]
    {}
    """
    return {"version": CACHE_VERSION, "notebooks": {}, "runs": {}, "durations": {}}


def load_cache(output_dir: Path) -> dict[str, Any]:
    """The cache of an output folder (an empty one when missing, unreadable or of another version).

    Run durations survive a change of cache version: they only order the runs.

    Examples
    --------
    >>> load_cache(Path("/nonexistent"))["version"] == CACHE_VERSION
    True
    """
    path = Path(output_dir) / CACHE_NAME
    try:
        if path.is_symlink():
            return empty_cache()
        cache = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty_cache()
    if not isinstance(cache, dict):
        return empty_cache()
    if cache.get("version") != CACHE_VERSION:
        fresh = empty_cache()
        runs = cache.get("runs")
        if not isinstance(runs, dict):
            runs = {}
        fresh["durations"] = {
            name: e["duration"]
            for name, e in runs.items()
            if isinstance(e, dict) and isinstance(e.get("duration"), (int, float))
        }
        return fresh
    for name in ("notebooks", "runs", "durations"):
        if not isinstance(cache.get(name), dict):
            cache[name] = {}
    return cache


def cache_bytes(cache: Mapping[str, Any]) -> bytes:
    """The cache serialised as it is stored (sorted keys, UTF-8).

    Examples
    --------
    >>> cache_bytes({"b": 1, "a": "科协"}).decode()
    '{\\n "a": "科协",\\n "b": 1\\n}'
    """
    return json.dumps(cache, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")


def save_cache(output_dir: Path, cache: Mapping[str, Any]) -> None:
    """Write the cache atomically through a fresh temporary file (never a fixed, plantable name).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> save_cache(folder, empty_cache()); load_cache(folder) == empty_cache()
    True
    """
    import tempfile

    path = Path(output_dir) / CACHE_NAME
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(cache_bytes(cache))
            os.fchmod(handle.fileno(), 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
