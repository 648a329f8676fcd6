"""``index.html``: the page that helps a reader choose a report.

For each report: what it shows (the notebook's title and first paragraph), its parameters, a
thumbnail of its first figure, its status, run time and files; at the top, the dataset version and
the date it was built.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, UTC
from pathlib import Path
from typing import Any

from kexie_research.runner.fonts import FONT_FAMILY, FONT_FILE, font_face_css
from kexie_research.runner.model import INDEX_NAME, KERNEL_NAME, TEMPLATES_DIR, NotebookInfo, RunResult


def dataset_info(processed_dir: Path | None = None) -> dict[str, str]:
    """Version and build date of the processed dataset (from ``datapackage.json``).

    The build date is the package's ``created`` field when it has one, else the file's time.

    Examples
    --------
    >>> dataset_info(Path("/nonexistent"))
    {'version': 'unknown', 'built': 'unknown'}
    """
    from kexie_research import config

    path = Path(processed_dir if processed_dir is not None else config.processed_dir()) / "datapackage.json"
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
        built = package.get("created") or datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(
            timespec="seconds"
        )
    except (OSError, ValueError):
        return {"version": "unknown", "built": "unknown"}
    return {"version": str(package.get("version") or "unknown"), "built": str(built)}


def case_descriptions(processed_dir: Path | None = None) -> dict[str, dict[str, Any]]:
    """For every case of the dataset: its title, a one-line description and its place in the cases
    table (the order every chart uses), read from the processed data; empty where there is none.

    Examples
    --------
    >>> case_descriptions(Path("/nonexistent"))
    {}
    >>> found = case_descriptions()
    >>> all({"title", "summary", "order"} <= set(d) for d in found.values())
    True
    """
    import pandas as pd

    from kexie_research import config

    folder = Path(processed_dir if processed_dir is not None else config.processed_dir())
    try:
        cases = pd.read_csv(folder / "cases.csv", dtype=str, keep_default_na=False)
        facts = pd.read_parquet(folder / "indicators.parquet", columns=["case", "source_id", "is_target"])
    except (OSError, ValueError, KeyError, ImportError):
        return {}
    found = {}
    for order, case in enumerate(cases.to_dict("records")):
        own = facts[facts["case"] == case["case"]]
        name = " ".join(part for part in (case.get("case_zh", ""), case.get("case_en", "")) if part) or case["case"]
        province = " ".join(part for part in (case.get("province_zh", ""), case.get("province_en", "")) if part)
        model = " ".join(part for part in (case.get("model_zh", ""), case.get("model_en", "")) if part)
        summary = (
            f"{name}{f' ({province})' if province else ''}: {len(own):,} coded facts "
            f"({int(own['is_target'].sum()):,} targets) from {own['source_id'].nunique():,} document(s)"
            + (f"; reform model {model}." if model else ".")
        )
        found[case["case"]] = {"title": name, "summary": summary, "order": order}
    return found


def render_index(
    cache: Mapping[str, Any],
    results: Sequence[RunResult],
    notebooks: Sequence[NotebookInfo],
    dataset: Mapping[str, str] | None = None,
) -> str:
    """The HTML of the index page for the runs recorded in ``cache``.

    Examples
    --------
    >>> "No reports yet" in render_index({"runs": {}}, [], [], {"version": "0.1.0", "built": "2026-01-01"})
    True
    """
    import jinja2

    from kexie_research import __version__

    this_run = {r.run_name: r.status for r in results}
    declared = {info.name: info for info in notebooks}
    notebook_order = {info.name: number for number, info in enumerate(notebooks)}
    cases = case_descriptions()
    entries = []

    def reading_order(item: tuple[str, Mapping[str, Any]]) -> tuple:
        # notebooks in their numbered order; a notebook's case runs in the order of the cases table
        run_name, entry = item
        case = cases.get(str(entry.get("parameters", {}).get("case", "")), {})
        return (
            notebook_order.get(str(entry.get("notebook")), len(notebook_order)),
            case.get("order", len(cases)),
            run_name,
        )

    for run_name, entry in sorted(cache.get("runs", {}).items(), key=reading_order):
        info = declared.get(entry.get("notebook"))
        if info is None:
            continue  # the notebook was removed; its old outputs are not advertised
        case = cases.get(str(entry.get("parameters", {}).get("case", "")))
        effective = {name: p.default for name, p in info.parameters.items()}
        effective.update({name: repr(value) for name, value in entry.get("parameters", {}).items()})
        figures = [f for f in entry.get("figures", []) if f.endswith((".svg", ".png"))]
        entries.append(
            {
                **entry,
                "title": f"{info.title or info.name} · {case['title']}" if case else (info.title or info.name),
                # a case's run says what is in it; the notebook's own paragraph is the same for every case
                "summary": case["summary"] if case else info.summary,
                "status_now": this_run.get(run_name, "not run"),
                "effective_parameters": effective,
                "figure_links": figures,
                "thumbnail": next((f for f in figures if f.endswith(".png")), None),
            }
        )
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )
    return environment.get_template("index.html.j2").render(
        entries=entries,
        generated=datetime.now().astimezone().isoformat(timespec="seconds"),
        version=__version__,
        dataset=dict(dataset or dataset_info()),
        python=sys.executable,
        kernel=KERNEL_NAME,
        font_face=font_face_css(FONT_FILE),
        font_family=FONT_FAMILY,
    )


def write_index(
    output_dir: Any, cache: Mapping[str, Any], results: Sequence[RunResult], notebooks: Sequence[NotebookInfo]
) -> Path:
    """Write ``index.html`` into ``output_dir`` (a folder path or an :class:`~.outdir.OutputFolder`).

    Examples
    --------
    >>> import tempfile
    >>> write_index(Path(tempfile.mkdtemp()), {"runs": {}}, [], []).name
    'index.html'
    """
    page = render_index(cache, results, notebooks)
    from kexie_research.runner.outdir import OutputFolder

    if isinstance(output_dir, OutputFolder):
        return output_dir.write_text(INDEX_NAME, page)
    from kexie_research.runner.outdir import safe_child

    path = safe_child(Path(output_dir), INDEX_NAME)
    path.write_text(page, encoding="utf-8")
    return path
