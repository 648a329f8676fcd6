"""`kexie extract --scheduler` at a service that is not a Dask scheduler: one clear error within the
deadline, never a hang or a traceback (issue 20.6).

Each fake service runs in a thread of the test; the command runs as a subprocess with a short
deadline (KEXIE_SCHEDULER_TIMEOUT=3) and the test's own timeout, so a hang fails the test instead of
blocking the suite.
"""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

DEADLINE = 3.0
SLACK = 10.0  # beyond the start-up measured in the same test (the machines are shared and noisy)
HANG = 120.0  # the test's own timeout: a hang fails it instead of blocking the suite


def _serve(behaviour: Callable[[socket.socket], None]) -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def loop() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            held.append(connection)
            try:
                behaviour(connection)
            except OSError:
                pass

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for connection in held:
            connection.close()
        server.close()


def _silent(connection: socket.socket) -> None:
    """Accepts and says nothing (also what an HTTP server does until it gets a request)."""


def _http(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def _garbage(connection: socket.socket) -> None:
    connection.sendall(struct.pack("<Q", 40) + os.urandom(40))


def _huge_frame(connection: socket.socket) -> None:
    connection.sendall(struct.pack("<Q", 2**40) + b"\x00" * 64)


def _closes(connection: socket.socket) -> None:
    connection.close()


def _http_server() -> Iterator[int]:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now: a connection is refused at once
    return port


def _extract_at(port: int, document: Path, draft: Path) -> tuple[subprocess.CompletedProcess, float]:
    """`kexie extract --scheduler tcp://127.0.0.1:PORT` with the short deadline; the run and its wall time."""
    env = {**os.environ, "KEXIE_SCHEDULER_TIMEOUT": str(DEADLINE), "PYTHONPATH": str(Path(__file__).parents[2])}
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kexie_research.cli",
            "extract",
            str(document),
            "-o",
            str(draft),
            "--scheduler",
            f"tcp://127.0.0.1:{port}",
            "--code",
            "450400",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=HANG,
        env=env,
    )
    return done, time.monotonic() - started


@pytest.fixture(scope="module")
def startup(tmp_path_factory: pytest.TempPathFactory) -> float:
    """Seconds the same command takes when nothing listens at its port (refused at once: no wait at
    all), measured once for the module's services."""
    folder = tmp_path_factory.mktemp("refused")
    document = folder / "doc.txt"
    document.write_text("全市建成科普e站30个。", encoding="utf-8")
    refused, seconds = _extract_at(_closed_port(), document, folder / "draft.csv")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
    assert not (folder / "draft.csv").exists()
    return seconds


@pytest.mark.parametrize(
    ("service", "message"),
    [
        (_silent, "no greeting of a Dask scheduler within 3 s"),
        (_http, "not a Dask scheduler"),
        (_garbage, "is not the greeting of a Dask scheduler"),
        (_huge_frame, "announced a first message of 1,099,511,627,776 bytes"),
        (_closes, "closed the connection without the greeting of a Dask scheduler"),
        ("http.server", "no greeting of a Dask scheduler within 3 s"),
    ],
    ids=["silent", "speaks-http", "garbage", "huge-frame", "closes", "real-http-server"],
)
def test_a_service_that_is_not_a_scheduler_is_one_error_within_the_deadline(
    tmp_path: Path, startup: float, service, message
):
    document = tmp_path / "doc.txt"
    document.write_text("全市建成科普e站30个。", encoding="utf-8")
    serving = _http_server() if service == "http.server" else _serve(service)
    port = next(serving)
    try:
        done, elapsed = _extract_at(port, document, tmp_path / "draft.csv")
    finally:
        serving.close()
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("kexie extract: error: "), done.stderr
    assert message in done.stderr
    assert elapsed - startup < DEADLINE + SLACK, (elapsed, startup)  # the wait stopped at its deadline
    assert not (tmp_path / "draft.csv").exists()


def test_the_probe_accepts_a_real_scheduler():
    """The greeting check lets a real dask.distributed scheduler through (no false refusal)."""
    import asyncio

    from distributed import Scheduler

    from kexie_research.extract.parallel import probe_scheduler

    async def run() -> None:
        async with Scheduler(dashboard_address=None, port=0, host="127.0.0.1") as scheduler:
            await asyncio.get_running_loop().run_in_executor(None, probe_scheduler, scheduler.address, 10.0)

    # In a thread of its own: a browser test of the same session may leave an event loop running in
    # this one (playwright's sync API), and asyncio.run refuses to nest.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(asyncio.wait_for(run(), 60))).result(timeout=90)
