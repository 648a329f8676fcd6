"""``kexie lab``: JupyterLab on the project's kernel, at the project root, drawing Chinese with the project's font.

    kexie lab [jupyter lab options, e.g. --no-browser --port 8890]

- The ``kexie`` process *becomes* the Jupyter server (``os.execve``): a signal sent to it (Ctrl-C,
  SIGTERM from a process manager) reaches the server itself, which stops its kernels and closes its
  port; nothing is left running behind it.
- The server's root is the project root (``data/`` and ``reports/`` can be opened) and the page
  opens on ``notebooks/`` (``--LabApp.default_url=/lab/tree/notebooks``).
- It binds 127.0.0.1 and keeps Jupyter's token and its refusal of cross-origin requests.
- Chinese in the Lab interface (file names, Markdown, outputs) is drawn with a WOFF2 subset of the
  project's Noto Sans CJK SC (:mod:`kexie_research.runner.fonts`) where the system has no CJK font:
  a ``custom.css`` with an ``@font-face`` rule (JupyterLab loads ``<config dir>/custom/custom.css``
  when started with ``--LabApp.custom_css=True``). The config dir is a folder of the project's cache
  (``.kexie-cache/lab/config``); the user's own Jupyter config folder stays on the config search path
  (``JUPYTER_CONFIG_PATH``) and their Lab settings and workspaces stay where they were.

Example::

    >>> argv = lab_command_line(Path("/project"), "kexie-research", ["--no-browser"])
    >>> [a for a in argv if a.startswith(("--ServerApp.root_dir", "--LabApp.default_url"))]
    ['--ServerApp.root_dir=/project', '--LabApp.default_url=/lab/tree/notebooks']
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from kexie_research import config
from kexie_research.atomic import atomic_write

__all__ = ["DEFAULT_URL", "command", "lab_characters", "lab_command_line", "lab_environment", "write_lab_css"]

#: Where the Lab page opens: the file browser on the notebooks folder.
DEFAULT_URL = "/lab/tree/notebooks"
FONT_NAME = "kexie-cjk-lab.woff2"
# The Lab's own font stacks, with the project's CJK face before the generic family: the browser
# takes each character from the first family that has it, so Latin text keeps the Lab's fonts and
# Chinese falls to "Kexie CJK" (its unicode-range is CJK only) when no named system font has it.
_UI_FONTS = 'system-ui, -apple-system, blinkmacsystemfont, "Segoe UI", helvetica, arial, "{family}", sans-serif'
_CODE_FONTS = 'menlo, consolas, "DejaVu Sans Mono", "{family}", monospace'


def _common_characters() -> set[str]:
    """The 3,755 most common Chinese characters (level 1 of GB 2312), for names and text not yet in the project."""
    characters = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                characters.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return characters


def lab_characters(root: Path | None) -> set[str]:
    """The CJK characters the Lab font holds: the common set plus every one in the project's texts.

    Examples
    --------
    >>> chars = lab_characters(None)
    >>> len(chars) >= 3755, "科" in chars
    (True, True)
    """
    from kexie_research.runner.fonts import collect_characters

    texts: list[str] = []
    if root is not None:
        patterns = (
            "notebooks/*.ipynb",
            "data/raw/*.yaml",
            "data/raw/*.csv",
            "data/raw/documents/*.txt",
            "data/raw/indicators/*.csv",
            "data/processed/*.csv",
            "*.md",
        )
        for pattern in patterns:
            for path in sorted(root.glob(pattern)):
                try:
                    texts.append(path.read_text(encoding="utf-8", errors="replace"))
                except OSError:
                    continue
    return collect_characters(texts) | _common_characters()


def write_lab_css(folder: Path, characters: Iterable[str], echo: Callable[[str], object] | None = print) -> Path:
    """Write ``folder/custom/custom.css`` and its font (rebuilt only when the characters change).

    Examples
    --------
    >>> import tempfile
    >>> css = write_lab_css(Path(tempfile.mkdtemp()), "科协", echo=None)
    >>> "@font-face" in css.read_text() and (css.parent / FONT_NAME).read_bytes()[:4] == b"wOF2"
    True
    """
    from kexie_research.runner.fonts import FONT_FAMILY, characters_digest, font_face_css, licence_text, subset_font

    custom = folder / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    css_path, font_path = custom / "custom.css", custom / FONT_NAME
    characters = set(characters)
    digest = characters_digest(characters)
    marker = f"/* kexie-research Lab font: {digest} */"
    try:
        current = css_path.read_text(encoding="utf-8")
    except OSError:
        current = ""
    if current.startswith(marker) and font_path.is_file():
        return css_path
    if echo is not None:
        echo(f"kexie lab: preparing the Chinese font of the Lab interface ({len(characters):,} characters, once) …")
    font = subset_font(characters)
    atomic_write(font_path, font)
    atomic_write(custom / "kexie-cjk-OFL.txt", licence_text())
    family = FONT_FAMILY
    css = "\n".join(
        [
            marker,
            "/* Chinese drawn with a subset of Noto Sans CJK SC (SIL Open Font License 1.1, kexie-cjk-OFL.txt) where",
            "   the system has no CJK font; written by `kexie lab` (kexie_research/lab.py). */",
            font_face_css(FONT_NAME),
            "body {",
            f"  --jp-ui-font-family: {_UI_FONTS.format(family=family)};",
            f"  --jp-content-font-family: {_UI_FONTS.format(family=family)};",
            f"  --jp-code-font-family: {_CODE_FONTS.format(family=family)};",
            "}",
            "",
        ]
    )
    atomic_write(css_path, css)
    return css_path


def lab_command_line(root: Path, kernel: str, extra: Sequence[str]) -> list[str]:
    """The command that runs JupyterLab for the project (``extra``: the user's own options, last).

    Examples
    --------
    >>> "--LabApp.custom_css=True" in lab_command_line(Path("/p"), "k", [])
    True
    """
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url={DEFAULT_URL}",
        "--LabApp.custom_css=True",
        "--ServerApp.ip=127.0.0.1",
        f"--MappingKernelManager.default_kernel_name={kernel}",
        *extra,
    ]


def lab_environment(config_dir: Path, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: the Lab's config dir in the project's cache, the user's own kept.

    The user's Jupyter config folder stays on the search path (``JUPYTER_CONFIG_PATH``), and their
    Lab settings and workspaces stay where JupyterLab keeps them by default.

    Examples
    --------
    >>> env = lab_environment(Path("/p/.kexie-cache/lab/config"), {"HOME": "/home/u"})
    >>> env["JUPYTER_CONFIG_DIR"], env["JUPYTER_CONFIG_PATH"], env["JUPYTERLAB_SETTINGS_DIR"]
    ('/p/.kexie-cache/lab/config', '/home/u/.jupyter', '/home/u/.jupyter/lab/user-settings')
    """
    env = dict(os.environ if environ is None else environ)
    user = env.get("JUPYTER_CONFIG_DIR") or str(Path(env.get("HOME", str(Path.home()))) / ".jupyter")
    paths = [user, *[p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p and p != user]]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    env.setdefault("JUPYTERLAB_SETTINGS_DIR", str(Path(user) / "lab" / "user-settings"))
    env.setdefault("JUPYTERLAB_WORKSPACES_DIR", str(Path(user) / "lab" / "workspaces"))
    env["JUPYTER_CONFIG_DIR"] = str(config_dir)
    return env


def _cache_dir(root: Path | None) -> Path:
    if root is not None:
        return root / ".kexie-cache" / "lab"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    digest = hashlib.sha256(str(config.data_dir()).encode()).hexdigest()[:12]
    return Path(base) / "kexie-research" / f"lab-{digest}"


def command(args: argparse.Namespace) -> int:
    """Run ``kexie lab``: prepare the kernel and the font, then become the JupyterLab server.

    It does not return: the process becomes :func:`lab_command_line` (the user's options last).

    Examples
    --------
    >>> lab_command_line(Path("/p"), "kexie-research", ["--port", "8899"])[-2:]
    ['--port', '8899']
    """
    from kexie_research.runner.kernels import ensure_project_kernel

    kernel = ensure_project_kernel()
    root = config.repo_root()
    folder = root if root is not None else config.data_dir()
    config_dir = _cache_dir(root) / "config"
    write_lab_css(config_dir, lab_characters(root))
    argv = lab_command_line(folder, kernel, list(getattr(args, "lab_args", [])))
    print(f"JupyterLab with kernel {kernel!r} ({sys.executable}) at {folder}", flush=True)
    sys.stderr.flush()
    os.chdir(folder)
    # Become the server: a signal to this process is a signal to Jupyter, which stops its kernels.
    os.execve(argv[0], argv, lab_environment(config_dir))
    return 0  # not reached
