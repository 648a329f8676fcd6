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
import select
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

    def __init__(
        self, modules: Iterable[str], env: Mapping[str, str] | None = None, start_timeout: float = 120.0
    ) -> None:
        self._lock = threading.Lock()
        self._ready: dict[str, Any] | None = None
        self._broken = ""  # why the template can no longer fork, once it cannot
        self._start_timeout = start_timeout
        from kexie_research.runner.template import LAUNCH

        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", LAUNCH, str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env=dict(env) if env is not None else None,
                close_fds=True,
                # Its own session, as jupyter_client gives a spawned kernel: Ctrl-C in the terminal
                # stops `kexie report`, whose closing the channel then ends the template.
                start_new_session=True,
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
            if self._broken:
                raise TemplateUnavailable(self._broken)
            if self._ready is None:
                try:
                    self._ready = self._receive(self._start_timeout)
                except TemplateUnavailable as exc:
                    self._broken = str(exc)
                    raise
            return self._ready

    def fork(self, connection_file: str, env: Mapping[str, str], cwd: str | os.PathLike[str] | None) -> int:
        """Fork a kernel that reads ``connection_file``; return its pid (raises :class:`TemplateUnavailable`)."""
        self.wait_ready()
        with self._lock:
            if self._broken:
                raise TemplateUnavailable(self._broken)
            try:
                self._send(
                    {"connection_file": str(connection_file), "env": dict(env), "cwd": str(cwd) if cwd else None}
                )
                answer = self._receive(30.0)
            except (OSError, TemplateUnavailable) as exc:
                # Never ask again: a late answer would belong to this request, and the kernel it
                # announces must not meet the spawned kernel that replaces it.
                self._broken = f"the kernel template is gone: {exc}"
                self.process.kill()
                raise TemplateUnavailable(self._broken) from exc
        if "pid" not in answer:
            raise TemplateUnavailable(f"the kernel template could not fork: {answer.get('error')}")
        return int(answer["pid"])

    def close(self) -> None:
        """Stop the template (kernels already forked are shut down by their runs).

        A template that never forked a kernel (the command stopped early) is terminated at once
        rather than left to finish its imports.
        """
        if self._ready is None and self.process.poll() is None:
            self.process.terminate()
        for stream in (self._writer, self._reader, self._channel):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ForkedProcess:
    """What ``jupyter_client`` needs of a ``Popen`` for a kernel that is not our child but the template's.

    The kernel is held by a pid file descriptor (Linux ≥ 5.3): it answers "has it exited?" and takes
    signals for exactly that process, even if its pid were reused after it ended. Where there is none,
    the pid is used. The template reaps its kernels, so the exit status is not known here: a kernel
    that has ended reports ``poll() == -1``.

    Examples
    --------
    >>> process = ForkedProcess(os.getpid())
    >>> process.poll() is None  # this very process is alive
    True
    >>> process.close()
    """

    stdin = stdout = stderr = None
    returncode: int | None = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except (AttributeError, OSError):  # older kernel or Python, or the process has already gone
            self._pidfd = None

    def poll(self) -> int | None:
        if self.returncode is None:
            if self._pidfd is not None:
                readable, _, _ = select.select([self._pidfd], [], [], 0)
                if readable:  # a pid file descriptor becomes readable when its process exits
                    self.returncode = -1
            else:
                try:
                    os.kill(self.pid, 0)
                except (ProcessLookupError, PermissionError):  # gone (or the pid now belongs to another user)
                    self.returncode = -1
            if self.returncode is not None:
                self.close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.poll() is not None:
            return
        if self._pidfd is not None:
            signal.pidfd_send_signal(self._pidfd, signum)
        else:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def close(self) -> None:
        """Release the pid file descriptor (done by itself once the process has ended)."""
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None


class ForkProvisioner(LocalProvisioner):
    """A ``LocalProvisioner`` whose kernel is forked by a :class:`KernelTemplate` instead of spawned.

    Everything else (connection file, ports or IPC sockets, signals to the process group, shutdown)
    is the local provisioner's own code, so a forked kernel is managed exactly as a spawned one.

    Without a template it launches nothing, so the runner spawns the kernel instead.

    Examples
    --------
    >>> from jupyter_core.utils import run_sync
    >>> provisioner = ForkProvisioner()
    >>> try:
    ...     run_sync(provisioner.launch_kernel)(["python"])
    ... except TemplateUnavailable as exc:
    ...     print(exc, provisioner.has_process)
    no kernel template False
    """

    template: KernelTemplate | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        if self.template is None:
            raise TemplateUnavailable("no kernel template")
        km = self.parent
        connection_file = getattr(km, "connection_file", None)
        if not connection_file:
            raise TemplateUnavailable("the kernel manager has no connection file")
        pid = self.template.fork(connection_file, kwargs.get("env") or os.environ, kwargs.get("cwd"))
        self.process = ForkedProcess(pid)  # type: ignore[assignment]
        self.pid = pid
        self.pgid = pid  # the kernel called setsid(): it leads its own process group
        self.cwd = kwargs.get("cwd", os.getcwd())
        return self.connection_info
