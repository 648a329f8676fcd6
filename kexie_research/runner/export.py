"""The standalone HTML page of an executed notebook (nbconvert, the project's template).

The template (``templates/nbconvert/kexie_report``) extends nbconvert's lab template: code cells are
folded away for readers, a banner names the run, and nothing is loaded from the network — no
require.js, MathJax, mermaid or widget scripts (the reports use none of them; interactive tables
and maps embed their own JavaScript), and the CJK font is the folder's own
(``assets/kexie-cjk.woff2``, see :mod:`kexie_research.runner.fonts`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kexie_research.runner.fonts import FONT_FAMILY, FONT_FILE, font_face_css
from kexie_research.runner.model import HTML_TEMPLATE, TEMPLATES_DIR

_EXPORTER = None
_EXPORTER_LOCK = threading.Lock()
_EXPORT_LOCK = threading.Lock()


def html_exporter():
    """nbconvert's HTML exporter with the project template, built once per process.

    Two costs of the stock exporter are skipped because they buy nothing for these reports and take
    ~1.5 s per notebook: a BeautifulSoup re-parse of the finished page (it only adds ``tabindex`` and
    a placeholder ``alt``; the template writes an ``alt`` itself), and ``bleach`` sanitising of the
    pygments-highlighted code (pygments already escapes the source).

    Examples
    --------
    >>> html_exporter().template_name
    'kexie_report'
    """
    with _EXPORTER_LOCK:
        return _EXPORTER or _build_exporter()


def _build_exporter():
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        class ReportHTMLExporter(HTMLExporter):
            # HTMLExporter.from_notebook_node without its BeautifulSoup pass, through public APIs only:
            # the two per-notebook filters it registers, then the template exporter's conversion.
            def from_notebook_node(self, nb, resources=None, **kw):
                langinfo = nb.metadata.get("language_info", {})
                lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
                highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
                # The filter finds the notebook's widget state under "<path>/<name>" of the resources.
                metadata = (resources or {}).get("metadata", {})
                key = os.path.join(metadata.get("path", ""), metadata.get("name", ""))
                data_filter = WidgetsDataTypeFilter(
                    notebook_metadata={key: nb.metadata}, parent=self, resources=resources
                )
                self.register_filter("highlight_code", highlight)
                self.register_filter("filter_data_type", data_filter)
                return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

        exporter = ReportHTMLExporter(
            template_name=HTML_TEMPLATE, extra_template_basedirs=[str(TEMPLATES_DIR / "nbconvert")]
        )
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        _EXPORTER = exporter
    return _EXPORTER


def export_html(notebook_path: Path, html_path: Path, info: Mapping[str, Any], notebook: Any = None) -> None:
    """Standalone HTML of an executed notebook; code cells are folded (``<details>``) for readers.

    ``notebook`` is the executed notebook already in memory (read from ``notebook_path`` when omitted).

    Examples
    --------
    >>> import tempfile
    >>> import nbformat
    >>> folder = Path(tempfile.mkdtemp())
    >>> nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), folder / "run.ipynb")
    >>> info = {"run_name": "00_x", "status": "ok", "parameters": {}, "index": "index.html",
    ...         "started": "2026-01-01T00:00:00", "duration": 1.0}
    >>> export_html(folder / "run.ipynb", folder / "run.html", info)
    >>> page = (folder / "run.html").read_text(encoding="utf-8")
    >>> "<details" in page, "<script src=" in page  # code folded; no script loaded from a CDN
    (True, False)
    """
    import nbformat

    nb = notebook if notebook is not None else nbformat.read(str(notebook_path), as_version=4)
    kexie = {**dict(info), "font_face": font_face_css(FONT_FILE), "font_family": FONT_FAMILY}
    resources = {"metadata": {"name": info.get("run_name", notebook_path.stem)}, "kexie": kexie}
    exporter = html_exporter()
    with _EXPORT_LOCK:  # the exporter registers per-notebook filters on itself: one page at a time
        body, _ = exporter.from_notebook_node(nb, resources=resources)
    html_path.write_text(body, encoding="utf-8")
