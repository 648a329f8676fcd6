"""Kernels forked from a template that has already imported the notebooks' modules (the runner's side).

:class:`KernelTemplate` starts :mod:`.template` once per ``kexie report`` and asks it for a kernel per
run; :class:`ForkProvisioner` is the ``jupyter_client`` provisioner that does so, so papermill and
nbclient drive a forked kernel exactly as a spawned one (connection file, IPC sockets, interrupt,
shutdown, kill). Where ``fork`` is not available or safe (Windows; macOS, where forking after some
system frameworks load is unsafe) or the template cannot start, runs fall back to spawned kernels.

The point is the time: a spawned kernel imports the analysis stack again for every run (~2 s of a
core each, most of a short notebook), a forked one starts with it imported (~0.1 s).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner


class TemplateUnavailable(RuntimeError):
    """The template cannot fork a kernel (not started, died, or refused): spawn one instead."""


def fork_supported(platform: str | None = None) -> bool:
    """Whether kernels may be forked here: Linux and the like, not Windows (no fork) or macOS.

    Examples
    --------
    >>> fork_supported("linux"), fork_supported("win32"), fork_supported("darwin")
    (True, False, False)
    """
    platform = platform or sys.platform
    return hasattr(os, "fork") and not platform.startswith(("win", "darwin", "cygwin"))


class KernelTemplate:
    """A running :mod:`.template` process, asked for one forked kernel per run (thread-safe).

    The template starts importing ``modules`` at once, in its own process, while the runner goes on;
    the first :meth:`fork` waits until it is ready (at most ``start_timeout`` seconds).

    Parameters
    ----------
    modules : module names to import before forking (the notebooks' imports).
    env : the template's environment: the kernels' environment without the per-run variables.
    start_timeout : seconds to wait for the imports before giving up (runs then spawn kernels).

    Examples
    --------
    >>> template = KernelTemplate(["json"])
    >>> sorted(template.wait_ready()["imported"])[:2]
    ['IPython', 'ipykernel.ipkernel']
    >>> template.close()
    """

    def __init__(self, modules: Iterable[str], env: Mapping[str, str] | None = None, start_timeout: float = 120.0) -> None:
        self._lock = threading.Lock()
        self._ready: dict[str, Any] | None = None
        self._start_timeout = start_timeout
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kexie_research.runner.template", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env=dict(env) if env is not None else None,
                close_fds=True,
            )
        finally:
            theirs.close()
        self._channel = ours
        self._reader = ours.makefile("r", encoding="utf-8")
        self._writer = ours.makefile("w", encoding="utf-8")
        self._send({"preload": list(dict.fromkeys(modules))})

    def _send(self, message: Mapping[str, Any]) -> None:
        self._writer.write(json.dumps(message) + "\n")
        self._writer.flush()

    def _receive(self, timeout: float | None) -> dict[str, Any]:
        self._channel.settimeout(timeout)
        try:
            line = self._reader.readline()
        except (OSError, ValueError) as exc:  # socket.timeout is an OSError
            raise TemplateUnavailable(f"the kernel template did not answer: {type(exc).__name__}: {exc}") from exc
        if not line:
            raise TemplateUnavailable(f"the kernel template exited (status {self.process.poll()})")
        return json.loads(line)

    def wait_ready(self) -> dict[str, Any]:
        """Block until the template has imported its modules; return ``{"imported": [...], "failed": [...]}``."""
        with self._lock:
            if self._ready is None:
                self._ready = self._receive(self._start_timeout)
            return self._ready

    def fork(self, connection_file: str, env: Mapping[str, str], cwd: str | os.PathLike[str] | None) -> int:
        """Fork a kernel that reads ``connection_file``; return its pid (raises :class:`TemplateUnavailable`)."""
        self.wait_ready()
        with self._lock:
            try:
                self._send({"connection_file": str(connection_file), "env": dict(env), "cwd": str(cwd) if cwd else None})
            except OSError as exc:
                raise TemplateUnavailable(f"the kernel template is gone: {exc}") from exc
            answer = self._receive(30.0)
        if "pid" not in answer:
            raise TemplateUnavailable(f"the kernel template could not fork: {answer.get('error')}")
        return int(answer["pid"])

    def close(self) -> None:
        """Stop the template (kernels already forked are shut down by their runs)."""
        for stream in (self._writer, self._reader, self._channel):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ForkedProcess:
    """What ``jupyter_client`` needs of a ``Popen`` for a kernel that is not our child but the template's.

    The template reaps its kernels, so the exit status is not known here: a kernel that is gone
    reports ``poll() == -1``.

    Examples
    --------
    >>> process = ForkedProcess(os.getpid())
    >>> process.poll() is None  # this very process is alive
    True
    """

    stdin = stdout = stderr = None
    returncode: int | None = None

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -1
            except PermissionError:  # a reused pid of someone else's: ours is gone
                self.returncode = -1
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkProvisioner(LocalProvisioner):
    """A ``LocalProvisioner`` whose kernel is forked by a :class:`KernelTemplate` instead of spawned.

    Everything else (connection file, ports or IPC sockets, signals to the process group, shutdown)
    is the local provisioner's own code, so a forked kernel is managed exactly as a spawned one.

    Examples
    --------
    >>> ForkProvisioner.__mro__[1].__name__
    'LocalProvisioner'
    """

    template: KernelTemplate | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        if self.template is None:
            raise TemplateUnavailable("no kernel template")
        km = self.parent
        connection_file = getattr(km, "connection_file", None)
        pid = self.template.fork(connection_file, kwargs.get("env") or os.environ, kwargs.get("cwd"))
        self.process = ForkedProcess(pid)  # type: ignore[assignment]
        self.pid = pid
        self.pgid = pid  # the kernel called setsid(): it leads its own process group
        self.cwd = kwargs.get("cwd", os.getcwd())
        return self.connection_info
