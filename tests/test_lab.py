"""`kexie lab` started for real on a free port and stopped with SIGTERM (issue 20.8, issue 19.4).

The server must open at the project root with the notebooks in view, serve the custom CSS with the
project's CJK font, bind 127.0.0.1 with a token and refuse cross-origin requests; on SIGTERM its port
closes and no process it started (a kernel) remains.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "kexie-lab-test-token"
START_DEADLINE = 300.0  # the first start builds the Lab font (~3,800 characters) into .kexie-cache/lab
STOP_DEADLINE = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, headers: dict[str, str] | None = None, method: str = "GET", data: bytes | None = None):
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    if config_root() is None:
        pytest.skip("kexie lab runs from a source checkout")
    port = _free_port()
    home = tmp_path_factory.mktemp("home")  # the user's own Jupyter folders: a temporary home
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT), "JUPYTER_PLATFORM_DIRS": "1"}
    env.pop("JUPYTER_CONFIG_DIR", None)
    log = tmp_path_factory.mktemp("log") / "lab.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kexie_research.cli",
                "lab",
                "--no-browser",
                f"--port={port}",
                f"--IdentityProvider.token={TOKEN}",
                "--ServerApp.port_retries=0",
                *(["--allow-root"] if os.geteuid() == 0 else []),
            ],  # CI containers run as root
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=str(home),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_DEADLINE
        while True:
            if process.poll() is not None:
                pytest.fail(f"kexie lab exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
            if _listening(port) and _get(f"{base}/api/status?token={TOKEN}")[0] == 200:
                break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"kexie lab did not answer within {START_DEADLINE} s:\n{log.read_text(errors='replace')[-3000:]}"
                )
            time.sleep(0.5)
        yield process, port, base, log
    finally:
        if process.poll() is None:
            for child in psutil.Process(process.pid).children(recursive=True):
                child.kill()
            process.kill()
            process.wait(30)


def config_root():
    from kexie_research.config import repo_root

    return repo_root()


def test_the_kexie_process_is_the_server(lab):
    process, port, _, _ = lab
    listeners = {c.laddr.port for c in psutil.Process(process.pid).net_connections(kind="tcp") if c.status == "LISTEN"}
    assert port in listeners  # exec'd: the pid we started listens itself (no parent left to orphan it)


def test_opens_at_the_project_root_with_the_notebooks_in_view(lab):
    _, _, base, _ = lab
    status, body, _ = _get(f"{base}/api/contents?token={TOKEN}")
    names = {item["name"] for item in json.loads(body)["content"]}
    assert status == 200 and {"notebooks", "data", "README.md"} <= names
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(f"{base}/?token={TOKEN}", timeout=30)
        location = ""
    except urllib.error.HTTPError as exc:
        location = exc.headers.get("Location", "")
    assert location.split("?")[0].endswith("/lab/tree/notebooks"), location
    status, body, _ = _get(f"{base}/lab/tree/notebooks?token={TOKEN}")
    assert status == 200 and b"custom/custom.css" in body


def test_serves_the_custom_css_with_the_projects_cjk_font(lab):
    _, _, base, _ = lab
    status, css, _ = _get(f"{base}/custom/custom.css")
    css_text = css.decode("utf-8")
    assert status == 200 and "@font-face" in css_text and '"Kexie CJK"' in css_text
    assert "--jp-ui-font-family" in css_text and "--jp-content-font-family" in css_text
    status, font, _ = _get(f"{base}/custom/kexie-cjk-lab.woff2")
    assert status == 200 and font[:4] == b"wOF2"
    from io import BytesIO

    from fontTools.ttLib import TTFont

    cmap = TTFont(BytesIO(font)).getBestCmap()
    assert all(ord(c) in cmap for c in "科协梧州荣昌遵义柳州成都")


def test_keeps_localhost_binding_token_and_refuses_cross_origin(lab):
    process, port, base, _ = lab
    addresses = {
        c.laddr.ip
        for c in psutil.Process(process.pid).net_connections(kind="tcp")
        if c.status == "LISTEN" and c.laddr.port == port
    }
    assert addresses == {"127.0.0.1"}
    assert _get(f"{base}/api/contents")[0] == 403  # no token
    evil = {"Origin": "http://evil.example"}
    assert _get(f"{base}/api/contents", headers=evil)[0] == 404  # "Blocking Cross Origin API request"
    assert _get(f"{base}/api/contents", headers={"Origin": base})[0] == 403  # same origin: only the token missing
    # (a request carrying the token is Jupyter's own proof of authority, from any origin: unchanged)


def test_sigterm_stops_the_server_and_its_kernel(lab):
    process, port, base, _log = lab
    status, body, _ = _get(
        f"{base}/api/kernels?token={TOKEN}", method="POST", data=b"{}", headers={"Content-Type": "application/json"}
    )
    assert status == 201, body
    deadline = time.monotonic() + 60
    children: list[psutil.Process] = []
    while time.monotonic() < deadline and not children:
        children = psutil.Process(process.pid).children(recursive=True)
        time.sleep(0.2)
    assert children, "the kernel process did not start"
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_DEADLINE)
    except subprocess.TimeoutExpired:
        pytest.fail(f"kexie lab still ran {STOP_DEADLINE} s after SIGTERM")
    _gone, alive = psutil.wait_procs(children, timeout=STOP_DEADLINE)
    assert not alive, f"left running after SIGTERM: {[p.pid for p in alive]}"
    assert not _listening(port)
