"""Extraction over many documents: one process, a local Dask pool, or an existing Dask cluster.

The documents are sorted by path and cut into batches of about :data:`BATCH_CHARS` characters;
each batch is one Dask task. Whatever runs the tasks, the draft is assembled in the order of the
sorted paths and, within a document, of the offsets, so it is identical row for row to the
single-process run (draft ids included).

- ``workers=1`` (and no scheduler): a plain loop in this process, no Dask.
- ``workers=N``: a :class:`distributed.LocalCluster` of N single-threaded worker processes
  (processes, not threads: extraction is pure Python and holds the GIL); on Linux they are forked
  from this process after it has built the indexes once.
- ``scheduler="tcp://HOST:PORT"``: the tasks go to an existing ``dask.distributed`` cluster
  (started by hand, by dask-jobqueue on SLURM, or by dask-kubernetes); its workers need this
  package installed and the data folder (``KEXIE_DATA_DIR``) readable at the same path.

A document that cannot be read (not UTF-8, unreadable, vanished) is reported by name in
``errors`` and the others are kept.

Example::

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("全市建成科普e站30个。", encoding="utf-8")
    >>> _ = (folder / "b.txt").write_bytes(b"\\xff\\xfe")
    >>> result = extract_paths([folder], workers=1, place_code="450400", progress=False)
    >>> result.draft["raw_text"].tolist(), [name for name, _ in result.errors]
    (['30个'], ['b.txt'])
"""

from __future__ import annotations

import logging
import operator
import os
import socket
import struct
import sys
import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError
from kexie_research.extract.draft import DRAFT_COLUMNS, Extractor, concat_drafts, typed_rows
from kexie_research.ingest.convert import SUPPORTED_SUFFIXES

__all__ = ["BATCH_CHARS", "WORKER_CONFIG", "ExtractResult", "document_paths", "extract_paths"]

#: Largest batch (bytes of text) per Dask task: large enough that scheduling costs little, small
#: enough to balance the load and show progress (batches are also cut to about 8 per worker).
BATCH_CHARS = 2_000_000
_MAX_BATCH_FILES = 200
#: Dask configuration of the local pool's workers (also recommended for a cluster's workers).
WORKER_CONFIG: dict[str, Any] = {"distributed.worker.profile.enabled": False}


@dataclass
class ExtractResult:
    """The draft, the documents that failed ``(file name, reason)``, and run figures.

    ``documents`` counts what was asked for: the files found plus the paths that do not exist (each
    of those is also an error), so that ``documents - len(errors)`` documents were extracted.

    Examples
    --------
    >>> result = extract_paths([], workers=1, progress=False)
    >>> result.documents, result.errors, list(result.draft.columns[:3])
    (0, [], ['document', 'record_id', 'indicator_id'])
    """

    draft: pd.DataFrame
    errors: list[tuple[str, str]] = field(default_factory=list)
    documents: int = 0
    characters: int = 0
    seconds: float = 0.0
    workers: int = 1


def document_paths(paths: Iterable[Path | str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The document files named, or found (recursively) in folders, sorted; and missing paths.

    In a folder, the files of the supported types are documents (``.txt``, ``.pdf``, ``.html``,
    ``.htm``, ``.docx``: :data:`kexie_research.ingest.SUPPORTED_SUFFIXES`); a file named on its own
    is read whatever its type (another type is then one error naming it). A document link to
    nothing found in a folder counts as missing too (a document that was meant to be there); a
    folder whose name ends in ``.txt`` is searched like any folder.

    Examples
    --------
    >>> document_paths(["/nonexistent/x.txt"])
    ([], [('x.txt', '/nonexistent/x.txt: no such file or folder')])
    """
    found: set[Path] = set()
    missing = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            dangling = []
            special = []
            for candidate in path.rglob("*"):
                if candidate.suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                if candidate.is_file():
                    found.add(candidate)
                elif candidate.is_symlink() and not candidate.exists():
                    dangling.append(candidate)
                elif candidate.exists() and not candidate.is_dir():
                    special.append(candidate)  # a FIFO, socket or device: never opened (reading a FIFO blocks)
            missing += [
                (link.name, f"{link}: a link to nothing ({os.readlink(link)})") for link in sorted(dangling, key=str)
            ]
            missing += [(other.name, f"{other}: {NOT_REGULAR}") for other in sorted(special, key=str)]
        elif path.is_file():
            found.add(path)
        elif path.exists():
            missing.append((path.name, f"{path}: {NOT_REGULAR}"))
        else:
            missing.append((path.name, f"{path}: no such file or folder"))
    return sorted(found, key=lambda p: str(p)), missing


#: Why a FIFO, socket or device named like a document is not read.
NOT_REGULAR = "not a regular file (a pipe, socket or device); a document is a .txt file"


def _sizes(paths: list[Path]) -> list[int]:
    sizes = []
    for path in paths:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)  # reported when the batch reads it
    return sizes


def _batches(paths: list[Path], sizes: list[int], target: int = BATCH_CHARS) -> list[list[tuple[int, str]]]:
    """Consecutive documents in batches of about ``target`` bytes (at most 200 files)."""
    batches: list[list[tuple[int, str]]] = [[]]
    size = 0
    for index, (path, length) in enumerate(zip(paths, sizes)):
        if batches[-1] and (size + length > target or len(batches[-1]) >= _MAX_BATCH_FILES):
            batches.append([])
            size = 0
        batches[-1].append((index, str(path)))
        size += length
    return [batch for batch in batches if batch]


@lru_cache(maxsize=4)
def _extractor(raw_dir: str) -> Extractor:
    # Once per process: a Dask worker builds its codebook and place index on its first task.
    return Extractor.from_data(raw_dir)


# What a batch gives back: its first document's index (to put batches in order), then for each
# document (index, error or None, characters), and the draft rows of its documents as one frame
# typed by the draft's definition (built on the worker, and sent as column buffers, not as rows).
BatchResult = tuple[int, list[tuple[int, "str | None", int]], pd.DataFrame]


# A draft row (a dict) as a tuple in DRAFT_COLUMNS order, in C.
_DRAFT_ROW = operator.itemgetter(*DRAFT_COLUMNS)


def _run_batch(
    batch: list[tuple[int, str]], raw_dir: str, place_code: str | None, reference_date: str | None
) -> BatchResult:
    """Extract a batch of documents (see :data:`BatchResult`)."""
    extractor = _extractor(raw_dir)
    outcomes: list[tuple[int, str | None, int]] = []
    rows: list[tuple[Any, ...]] = []
    for index, path in batch:
        try:
            found, characters = extractor.extract_sized(path, place_code=place_code, reference_date=reference_date)
        except (KexieError, OSError) as exc:
            message = str(exc)  # most name the file already; the others get its path in front
            outcomes.append((index, message if path in message else f"{path}: {message}", 0))
        except Exception as exc:
            outcomes.append((index, f"{path}: {type(exc).__name__}: {exc}", 0))
        else:
            rows.extend(map(_DRAFT_ROW, found))
            outcomes.append((index, None, characters))
    return batch[0][0], outcomes, typed_rows(rows)


def _progress(total: int, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="doc", desc="kexie extract", disable=not enabled, file=sys.stderr)


def extract_paths(
    paths: Sequence[Path | str],
    workers: int | None = None,
    scheduler: str | None = None,
    place_code: str | None = None,
    reference_date: str | None = None,
    progress: bool = True,
    raw_dir: Path | str | None = None,
    fork: bool = True,
) -> ExtractResult:
    """Draft rows for every document under ``paths`` (see the module docstring).

    Parameters
    ----------
    paths
        Files and folders (folders are searched recursively for documents of the supported types).
    workers
        Local worker processes; ``None`` = the number of cores, ``1`` = no Dask.
    scheduler
        Address of an existing Dask scheduler (``tcp://HOST:PORT``); overrides ``workers``.
    place_code, reference_date
        The documents' place and date when not known from the project's manifest.
    progress
        Show a progress bar on stderr.
    raw_dir
        The data folder whose codebook and places are used (default: the project's).
    fork
        Fork the local pool's workers from this process after building the indexes once (Linux;
        ``False``, or any other system: spawn them, each building its own).

    Returns
    -------
    ExtractResult
        The draft (sorted by path, then offset; ids ``DR-000001`` … in that order) and the errors.

    Examples
    --------
    >>> extract_paths([], workers=1, progress=False).draft.shape[0]
    0
    """
    started = time.perf_counter()
    files, errors = document_paths(paths)
    missing = len(errors)
    raw = str(Path(raw_dir).resolve()) if raw_dir else str(config.raw_dir())
    sizes = _sizes(files)
    results: list[BatchResult] = []
    n_workers = 1
    if scheduler is None and (workers == 1 or len(files) <= 1):
        with _progress(len(files), progress) as bar:
            for batch in _batches(files, sizes):
                results.append(_run_batch(batch, raw, place_code, reference_date))
                bar.update(len(batch))
    else:
        results, n_workers = _run_dask(
            files, sizes, raw, place_code, reference_date, workers, scheduler, progress, fork
        )
    results.sort(key=lambda item: item[0])
    characters = 0
    for _, outcomes, _ in results:
        for index, error, size in outcomes:
            if error is not None:
                errors.append((files[index].name, error))
            else:
                characters += size
    return ExtractResult(
        draft=concat_drafts([frame for _, _, frame in results]),
        errors=errors,
        documents=len(files) + missing,
        characters=characters,
        seconds=time.perf_counter() - started,
        workers=n_workers,
    )


def _fork_workers() -> bool:
    """Whether the local pool's workers are forked from this process (Linux), not spawned.

    Examples
    --------
    >>> isinstance(_fork_workers(), bool)
    True
    """
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def _run_dask(
    files: list[Path],
    sizes: list[int],
    raw: str,
    place_code: str | None,
    reference_date: str | None,
    workers: int | None,
    scheduler: str | None,
    progress: bool,
    fork: bool = True,
) -> tuple[list[BatchResult], int]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise KexieError(
            "running on several workers needs Dask (pip install 'kexie-research[scale]'); "
            f"use --workers 1 to run in one process ({exc})"
        ) from None
    cluster = None
    if scheduler is None:
        n = workers or os.cpu_count() or 1
        # Single-threaded worker processes: extraction is pure Python (the GIL would serialise threads).
        # The workers' statistical profiler samples the running Python stack 100 times a second, which
        # costs about a tenth of the CPU of pure-Python tasks: off (WORKER_CONFIG).
        import dask

        local_config = dict(WORKER_CONFIG)
        if fork and _fork_workers():
            # Build the codebook and place indexes here, once, and fork the workers from this process:
            # they start with the library imported and the indexes built (a spawned worker imports
            # and builds them again: ~2 s of each core before its first document).
            _extractor(raw)
            local_config["distributed.worker.multiprocessing-method"] = "fork"
        with dask.config.set(local_config), warnings.catch_warnings():
            # The scheduler's small HTTP server (health checks; the dashboard is off) takes another
            # port when 8787 is in use, e.g. by the user's own cluster: nothing to warn about.
            warnings.filterwarnings("ignore", message=r"Port \d+ is already in use", category=UserWarning)
            # Messages of an orderly shutdown (a worker slow to exit on a busy machine, or one whose
            # last heartbeat meets the closed scheduler) are not the user's concern; failures of
            # documents and lost workers reach the results and are reported by document name.
            cluster = LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
            )
        client = Client(cluster)
    else:
        timeout = scheduler_timeout()
        probe_scheduler(scheduler, timeout)  # a silent, HTTP or garbage peer is named within the deadline
        try:
            client = Client(scheduler, timeout=f"{timeout}s")
        except (TimeoutError, OSError) as exc:
            raise KexieError(f"cannot connect to the Dask scheduler at {scheduler}: {exc}") from None
        except (ValueError, TypeError) as exc:  # distributed's reading of the address itself
            raise KexieError(
                f"--scheduler {scheduler!r} is not a scheduler address (expected tcp://HOST:PORT): {exc}"
            ) from None
    try:
        if cluster is None:
            n_workers = _cluster_workers(client, scheduler or "", scheduler_timeout())
        else:
            n_workers = len(client.scheduler_info().get("workers", {})) or 1
        # About eight batches per worker, so that the last ones finish together.
        target = max(100_000, min(BATCH_CHARS, sum(sizes) // (8 * n_workers) + 1))
        batches = _batches(files, sizes, target)
        futures = {
            client.submit(_run_batch, batch, raw, place_code, reference_date, pure=False): batch for batch in batches
        }
        results = []
        with _progress(len(files), progress) as bar:
            for future in as_completed(futures):
                batch = futures[future]
                try:
                    part = future.result()
                except Exception as exc:
                    failed = [
                        (index, f"{path}: task failed on the cluster: {type(exc).__name__}: {exc}", 0)
                        for index, path in batch
                    ]
                    part = (batch[0][0], failed, typed_rows([]))
                results.append(part)
                bar.update(len(batch))
        return results, n_workers
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


#: Seconds allowed for each step of reaching a Dask scheduler (``KEXIE_SCHEDULER_TIMEOUT`` overrides):
#: connecting, its greeting, the client's registration, and waiting for a first worker.
SCHEDULER_TIMEOUT = 20.0
#: A Dask scheduler greets a new connection with a message of about 60 bytes; more than this is not one.
_MAX_GREETING = 64 * 1024


def scheduler_timeout() -> float:
    """The deadline of each step of reaching a scheduler, in seconds (see :data:`SCHEDULER_TIMEOUT`).

    Examples
    --------
    >>> scheduler_timeout() > 0
    True
    """
    text = os.environ.get("KEXIE_SCHEDULER_TIMEOUT", "")
    try:
        value = float(text) if text else SCHEDULER_TIMEOUT
    except ValueError:
        raise KexieError(f"KEXIE_SCHEDULER_TIMEOUT={text!r}: give a number of seconds") from None
    return value if value > 0 else SCHEDULER_TIMEOUT


def _receive(connection: socket.socket, size: int, deadline: float, address: str) -> bytes:
    """Exactly ``size`` bytes from ``connection`` before ``deadline`` (monotonic); :class:`KexieError` otherwise."""
    chunks, received = [], 0
    while received < size:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        connection.settimeout(left)
        chunk = connection.recv(min(size - received, 65536))
        if not chunk:
            raise KexieError(
                f"--scheduler {address}: the service closed the connection without the greeting of a "
                "Dask scheduler; is this the scheduler's address (tcp://HOST:8786), not its dashboard?"
            )
        chunks.append(chunk)
        received += len(chunk)
    return b"".join(chunks)


def probe_scheduler(address: str, timeout: float = SCHEDULER_TIMEOUT) -> None:
    """Check that ``address`` is a Dask scheduler before the client talks to it, within ``timeout`` s.

    A Dask scheduler greets every new connection with a short handshake message (its Python
    version, pickle protocol, compression). This reads that greeting with a total deadline and a
    size limit, so that a service that accepts and stays silent, speaks HTTP, or sends garbage or a
    huge frame is one clear :class:`KexieError` instead of a hang or a traceback. Addresses of other
    transports (``tls://``, ``ucx://``) are left to the client's own timeout.

    Examples
    --------
    >>> try:
    ...     probe_scheduler("tcp://127.0.0.1:1", timeout=2)
    ... except KexieError as exc:
    ...     print(str(exc).split(":")[0])
    cannot connect to the Dask scheduler at tcp
    """
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address, strict=False)
        if scheme != "tcp":
            return
        host, port = parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise KexieError(
            f"--scheduler {address!r} is not a scheduler address (expected tcp://HOST:PORT): {exc}"
        ) from None
    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection((host, int(port)), timeout=timeout) as connection:
            header = _receive(connection, 8, deadline, address)
            (size,) = struct.unpack("<Q", header)
            if size > _MAX_GREETING:
                raise KexieError(
                    f"--scheduler {address}: the service announced a first message of {size:,} bytes; a Dask "
                    f"scheduler's greeting is under {_MAX_GREETING:,}: not a Dask scheduler"
                )
            greeting = _greeting(_receive(connection, size, deadline, address))
    except TimeoutError:
        raise KexieError(
            f"--scheduler {address}: no greeting of a Dask scheduler within {timeout:g} s (the service "
            "accepted the connection but stayed silent, e.g. a web server); check the address and port "
            "(a scheduler listens on tcp://HOST:8786 by default)"
        ) from None
    except OSError as exc:
        raise KexieError(f"cannot connect to the Dask scheduler at {address}: {exc.strerror or exc}") from None
    if not (isinstance(greeting, dict) and {"python", "pickle-protocol"} <= set(greeting)):
        raise KexieError(
            f"--scheduler {address}: the service's first message is not the greeting of a Dask "
            "scheduler; check the address and port"
        )


def _greeting(payload: bytes) -> object:
    """The decoded handshake message of a scheduler, or ``None`` for bytes that are not one."""
    from distributed.protocol.core import loads
    from distributed.protocol.utils import unpack_frames

    try:
        frames = unpack_frames(payload)
        if sum(len(frame) for frame in frames) > _MAX_GREETING:
            return None
        return loads(frames, deserialize=False)
    except Exception:
        return None


def _cluster_workers(client: Any, address: str, timeout: float) -> int:
    """The scheduler's worker count, asked within ``timeout`` s; waits as long for a first worker."""
    try:
        client.sync(client._update_scheduler_info, n_workers=-1, callback_timeout=timeout)
        workers = len(client._scheduler_identity.get("workers", {}))
        if not workers:
            client.wait_for_workers(1, timeout=timeout)
            client.sync(client._update_scheduler_info, n_workers=-1, callback_timeout=timeout)
            workers = len(client._scheduler_identity.get("workers", {}))
    except TimeoutError:
        raise KexieError(
            f"--scheduler {address}: the scheduler did not answer, or has no worker, within {timeout:g} s; "
            "start workers (dask worker " + address + ") and run this again"
        ) from None
    except OSError as exc:
        raise KexieError(f"--scheduler {address}: the connection failed: {exc}") from None
    return workers or 1
