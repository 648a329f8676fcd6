"""The project data extraction reads: codebook, place resolver, place names, source manifest.

Each is read through the project's own loaders, once per process (worker processes of a Dask
cluster read them once each): the codebook from ``data/processed`` (:func:`kexie_research.data.load_codebook`),
or from ``data/raw/codebook.yaml`` before the first ``kexie build``; scopes are resolved by the
build's own resolver (:class:`kexie_research.steps.places.PlaceResolver` over the place reference and
its aliases), so that a proposed scope resolves in the draft as it will in ``kexie validate``.

Example::

    >>> "藤县" in place_names(load_resolver())
    True
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from kexie_research import config
from kexie_research.errors import KexieError
from kexie_research.ingest.store import ORIGINALS_DIR
from kexie_research.steps.codebook import Codebook, read_codebook
from kexie_research.steps.places import PlaceResolver, short_name
from kexie_research.steps.sources import read_sources

__all__ = ["codebook", "load_resolver", "place_names", "source_of_file"]


def _key(raw_dir: Path | str | None) -> str:
    return _resolved(str(raw_dir)) if raw_dir else str(config.raw_dir())


@lru_cache(maxsize=16)
def _resolved(folder: str) -> str:
    # Once per process, like the data read from the folder (resolving walks every component: a
    # few system calls for each document otherwise).
    return str(Path(folder).resolve())


@lru_cache(maxsize=4)
def _codebook(key: str) -> Codebook:
    raw = Path(key)
    try:
        from kexie_research.data import load_codebook as load_processed_codebook

        return load_processed_codebook(raw.parent / "processed")
    except (ImportError, KexieError):  # not built yet (or an older package): the raw codebook
        return read_codebook(raw)


def codebook(raw_dir: Path | str | None = None) -> Codebook:
    """The project's codebook (indicators with their units).

    Examples
    --------
    >>> codebook().indicator("kexie_annual_work_budget")["unit"]
    'CNY'
    """
    return _codebook(_key(raw_dir))


@lru_cache(maxsize=4)
def _resolver(key: str) -> PlaceResolver:
    return PlaceResolver.from_raw(Path(key))


def load_resolver(raw_dir: Path | str | None = None) -> PlaceResolver:
    """The project's place resolver (places and aliases).

    Examples
    --------
    >>> load_resolver().resolve("藤县科协").admin_code
    '450422'
    """
    return _resolver(_key(raw_dir))


def place_names(resolver: PlaceResolver) -> list[str]:
    """Every name the resolver can resolve: full names, short names (at least two characters), aliases.

    Examples
    --------
    >>> names = place_names(load_resolver())
    >>> "湄潭县" in names and "湄潭" in names
    True
    """
    names: set[str] = set()
    for name in resolver.places["name_zh"]:
        names.add(name)
        if short := short_name(name):
            names.add(short)
    names.update(resolver.aliases.get("alias", []))
    names.discard("中国")  # the country is named 全国 in scopes; 中国科协 is an organisation's name
    return sorted(names)


@lru_cache(maxsize=4)
def _sources(key: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    try:
        entries = read_sources(Path(key))
    except (KexieError, OSError):  # a data folder without a manifest: no document is a known source
        return ()
    return tuple((entry["file"], entry) for entry in entries)


def source_of_file(path: Path | str, raw_dir: Path | str | None = None) -> dict[str, Any] | None:
    """The manifest entry whose document is the file ``path`` (inside ``data/raw/documents``, or its
    original inside ``data/raw/originals``), if any.

    Only the manifest's own file counts (links followed): a file elsewhere that merely bears the
    same name is no source of the manifest and takes no place or date from it.

    Examples
    --------
    >>> documents = config.raw_dir() / config.DOCUMENTS_DIR
    >>> source_of_file(documents / "000_8f4cdd9b00102f1f.txt")["source_id"]
    'wuzhou_article'
    >>> import tempfile
    >>> source_of_file(Path(tempfile.mkdtemp()) / "000_8f4cdd9b00102f1f.txt") is None
    True
    """
    path = Path(path)
    key = _key(raw_dir)
    if path.name not in _source_names(key) and path.name not in ("", ".", "..") and not path.is_symlink():
        # Resolving a path changes its last name only when that is a link: a file of another name
        # is none of the manifest's (no resolving, which costs a system call per folder of the path).
        return None
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return None
    return _sources_by_path(key).get(resolved)


@lru_cache(maxsize=4)
def _source_names(key: str) -> frozenset[str]:
    return frozenset(path.name for path in _sources_by_path(key))


@lru_cache(maxsize=4)
def _sources_by_path(key: str) -> dict[Path, dict[str, Any]]:
    folder = Path(key) / config.DOCUMENTS_DIR
    by_path = {(folder / file).resolve(): entry for file, entry in _sources(key)}
    # a document kept as found (data/raw/originals) is its source's too: same place, date and pages
    originals = Path(key) / ORIGINALS_DIR
    by_path.update(
        {(originals / entry["original"]["file"]).resolve(): entry for _, entry in _sources(key) if "original" in entry}
    )
    return by_path
