"""Comparison tables as files a paper can include: CSV and LaTeX (booktabs), numbered per report.

A report page shows a table for reading; a paper needs the same table as a file. :func:`save_table`
writes ``table-NN-<name>.csv`` (UTF-8 with BOM, so that Excel reads the Chinese) and
``table-NN-<name>.tex`` (a ``table`` float with caption and label, every cell and header escaped
for LaTeX, ``--`` for missing) into the run's figure folder, numbered like the figures
(:func:`kexie_research.viz.theme.save_figure`) in the order the tables are first saved.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import pandas as pd

TABLE_LIST = "tables.csv"
TABLE_LIST_COLUMNS = ("number", "name", "caption", "rows", "files")


def _rows(folder: Path) -> list[dict[str, str]]:
    path = folder / TABLE_LIST
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _write_atomically(path: Path, text: str, encoding: str = "utf-8") -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "w", encoding=encoding, newline="") as stream:
        stream.write(text)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


_LATEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                   "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def escape_latex(text: str) -> str:
    r"""``text`` with LaTeX's special characters escaped (as pandas' ``escape="latex"`` does cells).

    Examples
    --------
    >>> print(escape_latex(r"50% of {x} \ $1"))
    50\% of \{x\} \textbackslash{} \$1
    """
    return "".join(_LATEX_SPECIALS.get(character, character) for character in text)


def latex_table(frame: pd.DataFrame, caption: str, label: str) -> str:
    """``frame`` as a booktabs LaTeX table; cells, headers and caption escaped, ``--`` for missing.

    Examples
    --------
    >>> print(latex_table(pd.DataFrame({"a_b": ["50%"], "n": [None]}), "Caption & more", "tab:x"))  # doctest: +NORMALIZE_WHITESPACE
    \\begin{table}
    \\caption{Caption \\& more}
    \\label{tab:x}
    \\begin{tabular}{ll}
    \\toprule
    a\\_b & n \\\\
    \\midrule
    50\\% & -- \\\\
    \\bottomrule
    \\end{tabular}
    \\end{table}
    <BLANKLINE>
    """
    text = frame.astype(object).where(frame.notna(), None)
    styler = text.style.format(escape="latex", na_rep="--").format_index(escape="latex", axis=1).hide(axis="index")
    return styler.to_latex(caption=escape_latex(caption), label=label, hrules=True)


def save_table(frame: pd.DataFrame, name: str, caption: str, out_dir: str | Path | None = None) -> list[Path]:
    """Write ``frame`` as ``table-NN-<name>.csv`` and ``.tex`` into ``out_dir`` and list it in ``tables.csv``.

    ``out_dir`` defaults to ``$KEXIE_FIGURE_DIR`` (the report run's folder) or ``figures/``.

    Examples
    --------
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in save_table(pd.DataFrame({"x": [1]}), "demo", "A demo", folder)]
    ['table-01-demo.csv', 'table-01-demo.tex']
    >>> save_table(pd.DataFrame(), "../up", "x", folder)
    Traceback (most recent call last):
    ...
    ValueError: table name must be a plain file stem, got '../up'
    """
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"table name must be a plain file stem, got {name!r}")
    folder = Path(out_dir or os.environ.get("KEXIE_FIGURE_DIR", "figures"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = _rows(folder)
    number = next((int(r["number"]) for r in rows if r["name"] == name), max((int(r["number"]) for r in rows), default=0) + 1)
    stem = f"table-{number:02d}-{name}"
    csv_path, tex_path = folder / f"{stem}.csv", folder / f"{stem}.tex"
    _write_atomically(csv_path, frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8-sig")
    _write_atomically(tex_path, latex_table(frame, caption, f"tab:{name}"))
    rows = [r for r in rows if r["name"] != name]
    rows.append({"number": str(number), "name": name, "caption": caption, "rows": str(len(frame)),
                 "files": f"{csv_path.name} {tex_path.name}"})
    rows.sort(key=lambda r: int(r["number"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TABLE_LIST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _write_atomically(folder / TABLE_LIST, buffer.getvalue())
    return [csv_path, tex_path]
