"""Sphinx extension: the data dictionary, generated from ``data/processed/datapackage.json``.

``datapackage.json`` is itself derived from the pandera schemas by ``kexie build``, so the page, the
schemas and the files cannot drift apart. Use it in a Markdown page as::

    ```{datapackage}
    ```

The page is built as docutils nodes (sections, paragraphs, tables), not as text handed to a parser:
whatever a name or description in the data package holds (``<script>``, a MyST role, a backtick)
becomes text of a node, which every Sphinx writer escapes. Nothing from the data is parsed as markup.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive


def _text(value: object) -> str:
    return " ".join(str(value if value is not None else "").split())


def _paragraph(*parts: nodes.Node | str) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    for part in parts:
        paragraph += nodes.Text(part) if isinstance(part, str) else part
    return paragraph


def _table(header: list[str], rows: list[list[nodes.Node | str]], widths: list[int]) -> nodes.table:
    table = nodes.table(classes=["kexie-datadict"])
    group = nodes.tgroup(cols=len(header))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)

    def row_of(cells: list[nodes.Node | str]) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += _paragraph(cell)
            row += entry
        return row

    head = nodes.thead()
    head += row_of(list(header))
    body = nodes.tbody()
    for cells in rows:
        body += row_of(cells)
    group += head
    group += body
    return table


def datapackage_nodes(descriptor: dict, document: nodes.document | None = None) -> list[nodes.Node]:
    """Docutils nodes describing every resource and field of a Data Package.

    Examples
    --------
    >>> found = datapackage_nodes({"name": "p", "resources": [{"name": "<b>r</b>", "path": "r.csv",
    ...     "schema": {"fields": [{"name": "x", "type": "string", "description": "<img src=x onerror=alert(1)>"}]}}]})
    >>> [type(n).__name__ for n in found]
    ['paragraph', 'paragraph', 'section']
    >>> found[2].astext().count("<img src=x onerror=alert(1)>"), len(list(found[2].findall(nodes.table)))
    (1, 1)
    """
    found: list[nodes.Node] = [
        _paragraph(
            "Data package ",
            nodes.literal(text=_text(descriptor.get("name", ""))),
            f", version {_text(descriptor.get('version', ''))}.",
        ),
        _paragraph(_text(descriptor.get("description", ""))),
    ]
    for resource in descriptor.get("resources", []):
        title = f"{_text(resource.get('name', ''))} ({_text(resource.get('path', ''))})"
        section_id = nodes.make_id(f"resource-{resource.get('name', '')}") or "resource"
        section = nodes.section(ids=[section_id], names=[nodes.fully_normalize_name(title)])
        section += nodes.title(text=title)
        if resource.get("description"):
            section += _paragraph(_text(resource["description"]))
        fields = resource.get("schema", {}).get("fields", [])
        if fields:
            rows = [
                [
                    nodes.literal(text=_text(field.get("name", ""))),
                    _text(field.get("type", "")),
                    _text(field.get("description", "")),
                ]
                for field in fields
            ]
            section += _table(["column", "type", "description"], rows, [20, 10, 70])
        key = resource.get("schema", {}).get("primaryKey")
        if key:
            keys = [key] if isinstance(key, str) else key
            section += _paragraph("Primary key: ", nodes.literal(text=", ".join(map(_text, keys))), ".")
        if document is not None:
            document.note_implicit_target(section, section)
        found.append(section)
    return found


class DataPackageDirective(Directive):
    """Render ``data/processed/datapackage.json`` (or the path given as argument) as tables."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        from kexie_research import config

        env = self.state.document.settings.env
        default = config.processed_dir() / "datapackage.json"  # KEXIE_DATA_DIR is honoured, as everywhere
        path = Path(self.arguments[0]) if self.arguments else default
        env.note_dependency(str(path))
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        return datapackage_nodes(descriptor)


def setup(app):
    app.add_directive("datapackage", DataPackageDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
