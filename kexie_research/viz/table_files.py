"""Comparison tables as files a paper can include: CSV and LaTeX (booktabs), numbered per report.

A report page shows a table for reading; a paper needs the same table as a file. :func:`save_table`
writes ``table-NN-<name>.csv`` (UTF-8 with BOM, so that Excel reads the Chinese) and
``table-NN-<name>.tex`` (a ``table`` float with caption and label, every cell and header escaped
for LaTeX, ``--`` for missing) into the run's figure folder, numbered like the figures
(:func:`kexie_research.viz.theme.save_figure`) in the order the tables are first saved.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kexie_research.atomic import atomic_write
from kexie_research.viz.listing import entry_number, output_folder, record_entry

TABLE_LIST = "tables.csv"
TABLE_LIST_COLUMNS = ("number", "name", "caption", "rows", "files")


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


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
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in save_table(pd.DataFrame({"x": [1]}), "demo", "A demo", folder)]
    ['table-01-demo.csv', 'table-01-demo.tex']
    >>> save_table(pd.DataFrame(), "../up", "x", folder)
    Traceback (most recent call last):
    ...
    ValueError: table name must be a plain file stem, got '../up'
    """
    folder = output_folder("table", name, out_dir)
    number = entry_number(folder, TABLE_LIST, name)
    stem = f"table-{number:02d}-{name}"
    csv_path, tex_path = folder / f"{stem}.csv", folder / f"{stem}.tex"
    atomic_write(csv_path, "\ufeff" + frame.to_csv(index=False, lineterminator="\n"))  # BOM: Excel reads the Chinese
    atomic_write(tex_path, latex_table(frame, caption, f"tab:{name}"))
    record_entry(
        folder,
        TABLE_LIST,
        TABLE_LIST_COLUMNS,
        {
            "number": number,
            "name": name,
            "caption": caption,
            "rows": len(frame),
            "files": f"{csv_path.name} {tex_path.name}",
        },
    )
    return [csv_path, tex_path]
