"""Sphinx configuration of the kexie-research documentation (``make docs``).

Sphinx with MyST (not MkDocs): the API reference comes from the numpydoc docstrings through autodoc +
napoleon, the CLI reference from the argparse parsers (sphinx-argparse), and the pages stay Markdown.
The data dictionary is generated from ``data/processed/datapackage.json`` at build time (as docutils
tables: data never parsed as markup), and the site carries the reports' CJK font subset (``kexie_docfont``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

import kexie_research  # noqa: E402

project = "kexie-research"
author = "kexie-research developers"
copyright = "kexie-research developers; code MIT, data CC BY 4.0"
release = kexie_research.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinxarg.ext",
    "kexie_datadict",
    "kexie_docfont",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "_autosummary/.doctrees", "**.ipynb_checkpoints"]
templates_path = ["_templates"]

autosummary_generate = True


def _remove_stale_stubs(folder: Path) -> None:
    """Delete autosummary's stubs of modules that no longer exist (renamed or removed): autosummary
    writes a stub per module into ``_autosummary/`` and never deletes one, and a stale stub fails the
    build (its module cannot be imported)."""
    for stub in folder.glob("kexie_research*.rst"):
        try:
            found = importlib.util.find_spec(stub.stem) is not None
        except ImportError:  # a parent package is gone too
            found = False
        if not found:
            stub.unlink(missing_ok=True)


_remove_stale_stubs(DOCS / "_autosummary")
autosummary_imported_members = False
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
# Functions and classes stay out of the table of contents (a module page still lists them all): with
# them in it, the sidebar's tree of about 150 module pages was copied for every page, half the build.
toc_object_entries = False
autodoc_preserve_defaults = True
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
# Docstring examples are doctests (run by `make test`); here they are shown, not executed.
suppress_warnings = ["myst.header"]

html_theme = "furo"
html_title = f"kexie-research {release}"
html_static_path: list[str] = []
