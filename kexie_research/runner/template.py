"""The kernel template: a process that imports the notebooks' modules once, then forks one fresh kernel per run.

Each report run needs a fresh kernel, and a fresh Python process spends most of a short notebook's
time importing pandas, matplotlib, geopandas and the project before the first cell can run (about
2 s here, per run). The template pays that once: started by :class:`.forking.KernelTemplate`, it
imports the kernel's own machinery, the analysis library's third-party modules
(:func:`.kernels.analysis_stack`) and the modules the notebooks import, then waits
for requests on a socket. For each request it forks a child that becomes an ordinary IPython kernel
(``ipykernel``) for one run: the child has the imported modules but no executed cell, no shell and
no event loop of anyone before it — the same state as a kernel that has just run its imports.

Run as ``python -c LAUNCH FD`` (see :data:`LAUNCH`; FD: the inherited end of a socket pair).
Protocol, one JSON object per line:

- runner → template, once: ``{"preload": [module, ...]}``;
- template → runner, once, when those are imported: ``{"ready": true, "imported": [...], "failed": [...]}``;
- runner → template: ``{"connection_file": ..., "env": {...}, "cwd": ...}``;
- template → runner: ``{"pid": N}`` (the kernel's pid) or ``{"error": "..."}``.

The template exits when the runner closes its end of the socket. The kernels it forked watch the
template as their parent (``--IPKernelApp.parent_handle``) and exit when it is gone.

What deliberately differs from a spawned kernel, and why it does not matter for a run:

- ``sys.modules`` already holds the preloaded modules. None of them runs code with side effects
  at import (the project's modules define names only; matplotlib's backend is chosen lazily, so
  the inline backend still attaches to the child's shell when the notebook first draws);
- numpy's global random state is re-seeded in each child from fresh entropy (Python's ``random``
  re-seeds itself after a fork), so forked kernels do not share a random sequence;
- the string-hash seed is the template's, shared by the runs of one ``kexie report``.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import signal
import socket
import sys
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

# The kernel's own machinery: importing it here is what makes a forked kernel start in ~0.1 s.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "jupyter_client.session", "zmq")
# Importing this module attaches the inline backend to the *current* IPython shell: the template
# has none, so it must be imported by the kernel, after its shell exists (matplotlib does so lazily).
NEVER_PRELOAD = ("matplotlib_inline.backend_inline",)


def preload(modules: Iterable[str]) -> tuple[list[str], list[str]]:
    """Import ``modules`` (skipping those that cannot be imported); return (imported, failed).

    Examples
    --------
    >>> preload(["json", "no_such_module_xyz", "matplotlib_inline.backend_inline"])
    (['json'], ['no_such_module_xyz'])
    """
    imported: list[str] = []
    failed: list[str] = []
    for name in dict.fromkeys(modules):
        if name in NEVER_PRELOAD:
            continue
        try:
            importlib.import_module(name)
        except Exception:  # e.g. "from pkg import function" lists pkg.function: not a module
            failed.append(name)
        else:
            imported.append(name)
    return imported, failed


def _become_kernel(request: Mapping[str, Any], channel: socket.socket) -> None:
    """In the forked child: turn into an IPython kernel for one run; never returns."""
    code = 1
    try:
        channel.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the template ignores it; a notebook's subprocesses must not
        os.setsid()  # its own process group: interrupts and kills reach the kernel and its children only
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        env = dict(request["env"])
        env["JPY_PARENT_PID"] = str(os.getppid())  # the kernel exits if the template goes away
        os.environ.clear()
        os.environ.update(env)
        if request.get("cwd"):
            os.chdir(request["cwd"])
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # fresh entropy, as a new process would have
        connection_file = request["connection_file"]
        launcher = importlib.util.find_spec("ipykernel_launcher")
        sys.argv = [launcher.origin if launcher and launcher.origin else "ipykernel_launcher", "-f", connection_file]
        from ipykernel import kernelapp

        # Traits that default to an environment variable read it when ipykernel was imported (in the
        # template): the parent to watch is given on the command line instead.
        kernelapp.launch_new_instance(argv=["-f", connection_file, f"--IPKernelApp.parent_handle={os.getppid()}"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # the child must never return into the template's loop
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        os._exit(code)  # never the template's own exit handlers


def _serve(channel: socket.socket) -> None:
    """Read the module list, preload it, say so, then fork a kernel per request until the channel closes."""
    # numpy's thread pool makes this process multi-threaded; Python 3.12+ then warns at every fork.
    # The children only run Python code of their own, and OpenBLAS is fork-safe.
    warnings.filterwarnings("ignore", message=r".*fork\(\) may lead to deadlocks.*", category=DeprecationWarning)
    reader = channel.makefile("r", encoding="utf-8")  # one buffered reader for every line
    first = reader.readline()
    imported, failed = preload([*KERNEL_MODULES, *(json.loads(first).get("preload", []) if first else [])])
    # Kernels are reaped by the system as they exit: the runner watches them by pid.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    writer = channel.makefile("w", encoding="utf-8")

    def reply(message: Mapping[str, Any]) -> None:
        writer.write(json.dumps(message) + "\n")
        writer.flush()

    reply({"ready": True, "imported": imported, "failed": failed})
    for line in reader:
        try:
            request = json.loads(line)
            pid = os.fork()
        except Exception as exc:  # a malformed request or no fork: that run falls back, the others go on
            reply({"error": f"{type(exc).__name__}: {exc}"})
            continue
        if pid == 0:
            reader.close()
            writer.close()
            _become_kernel(request, channel)
        reply({"pid": pid})


#: How :class:`.forking.KernelTemplate` starts the template: ``python -c LAUNCH FD``. As
#: ipykernel_launcher does, the working folder is taken off ``sys.path`` before anything is imported,
#: so that the template imports the installed library, not files that happen to lie in that folder.
LAUNCH = "import sys; del sys.path[0]; from kexie_research.runner.template import _main; _main(sys.argv[1:])"


def _main(argv: list[str]) -> None:
    """Serve on the socket whose descriptor is ``argv[0]``; leave when the runner closes it (never returns)."""
    try:
        _serve(socket.socket(fileno=int(argv[0])))
    except (OSError, ValueError):
        pass  # the runner went away (it stopped early, or was interrupted): nothing to report to anyone
    # Nothing is left to flush or close, and tearing down two thousand modules takes ~0.5 s that the
    # runner would wait for: leave at once.
    os._exit(0)
