"""Sphinx extension: the data dictionary, generated from ``data/processed/datapackage.json``.

``datapackage.json`` is itself derived from the pandera schemas by ``kexie build``, so the page, the
schemas and the files cannot drift apart. Use it in a Markdown page as::

    ```{datapackage}
    ```
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList


def _cell(text: object) -> str:
    return " ".join(str(text if text is not None else "").split()).replace("|", "\\|")


def datapackage_rst(descriptor: dict) -> list[str]:
    """reStructuredText lines describing every resource and field of a Data Package."""
    lines = [f"Data package ``{descriptor.get('name', '')}``, version {descriptor.get('version', '')}.", ""]
    lines += [_cell(descriptor.get("description", "")), ""]
    for resource in descriptor.get("resources", []):
        title = f"{resource['name']} (``{resource.get('path', '')}``)"
        lines += [title, "-" * len(title), "", _cell(resource.get("description", "")), ""]
        fields = resource.get("schema", {}).get("fields", [])
        if not fields:
            continue
        lines += [".. list-table::", "   :header-rows: 1", "   :widths: 20 10 70", "",
                  "   * - column", "     - type", "     - description"]
        for field in fields:
            lines += [f"   * - ``{field['name']}``", f"     - {field.get('type', '')}",
                      f"     - {_cell(field.get('description', '')) or ' '}"]
        key = resource.get("schema", {}).get("primaryKey")
        lines += ["", f"Primary key: ``{', '.join(key)}``." if key else "", ""]
    return lines


class DataPackageDirective(Directive):
    """Render ``data/processed/datapackage.json`` (or the path given as argument) as tables."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        default = Path(env.srcdir).parent / "data" / "processed" / "datapackage.json"
        path = Path(self.arguments[0]) if self.arguments else default
        env.note_dependency(str(path))
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        container = nodes.section()
        container.document = self.state.document
        self.state.nested_parse(StringList(datapackage_rst(descriptor), str(path)), self.content_offset, container)
        return container.children


def setup(app):
    app.add_directive("datapackage", DataPackageDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
