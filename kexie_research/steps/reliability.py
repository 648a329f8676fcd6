"""The reliability step: ``data/raw/indicators/second_coder/*.csv`` against the coding sheets.

A second coder codes a document again, blind to its coding sheet, in a sheet of the same format
named like it (``second_coder/<source_id>.csv``). This folder is not a folder of coding sheets: the
indicator step reads only ``indicators/*.csv``, so second codings never become data rows. This step
pools every document coded twice (first coder = ``indicators/<source_id>.csv``) and measures
agreement per field (:func:`kexie_research.reliability.agree.agree_sheets`, fixed bootstrap seed, figures
rounded to four decimals, so two builds write the same bytes). No second coding: a table with its
header only.

Examples
--------
>>> table = reliability_step(config.raw_dir(), replicates=20)
>>> list(table.columns)
['field', 'level', 'alpha', 'ci_low', 'ci_high', 'units', 'coders', 'documents']
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from kexie_research import config
from kexie_research.errors import SheetError
from kexie_research.reliability.agree import AGREEMENT_COLUMNS, agree_sheets
from kexie_research.reliability.sheets import CoderSheet, read_coder_sheet
from kexie_research.steps.sources import read_sources

__all__ = ["RELIABILITY_COLUMNS", "reliability_step"]

RELIABILITY_COLUMNS = (*AGREEMENT_COLUMNS, "documents")


def _pooled(label: str, sheets: list[CoderSheet]) -> CoderSheet:
    pooled = CoderSheet(label=label, rows=[])
    for sheet in sheets:
        pooled.rows += sheet.rows
        pooled.documents.update(sheet.documents)
        pooled.texts.update(sheet.texts)
    return pooled


def reliability_step(raw: Path, resolve: Callable[[str], str] | None = None, *, replicates: int = 1000) -> pd.DataFrame:
    """Agreement per field of the first and second coders (see the module docstring).

    Raises :class:`SheetError` naming a second-coder sheet whose name is not a source, or whose
    first coding sheet is missing, or a row that does not match its document.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> reliability_step(pathlib.Path(tempfile.mkdtemp())).empty  # no second coder folder
    True
    """
    folder = raw / config.SECOND_CODER_DIR
    second_paths = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if not second_paths:
        return pd.DataFrame(columns=list(RELIABILITY_COLUMNS)).astype(
            {
                "field": str,
                "level": str,
                "alpha": float,
                "ci_low": float,
                "ci_high": float,
                "units": int,
                "coders": int,
                "documents": int,
            }
        )
    sources = {str(s["source_id"]): s for s in read_sources(raw)}
    firsts, seconds = [], []
    for second in second_paths:
        source = sources.get(second.stem)
        if source is None:
            raise SheetError(
                f"{second}: {second.stem!r} is not a source_id of sources.yaml (a second coder's sheet is named <source_id>.csv)"
            )
        first = raw / config.SHEETS_DIR / second.name
        if not first.is_file() and first.with_suffix(".xlsx").is_file():  # the first coder's sheet kept as a workbook
            first = first.with_suffix(".xlsx")
        if not first.is_file():
            raise SheetError(f"{second}: no first coding sheet {first} to compare it with")
        document = raw / config.DOCUMENTS_DIR / str(source["file"])
        firsts.append(read_coder_sheet(first, document))
        seconds.append(read_coder_sheet(second, document))
    dates = {str(s["file"]): str(s.get("reference_date") or "") for s in sources.values()}
    result = agree_sheets(
        [_pooled("first coder", firsts), _pooled("second coder", seconds)],
        replicates=replicates,
        resolve=resolve,
        reference_dates=dates,
    )
    table = result.table.copy()
    for column in ("alpha", "ci_low", "ci_high"):
        table[column] = table[column].astype(float).round(4)
    table["units"] = table["units"].astype(int)
    table["coders"] = table["coders"].astype(int)
    table["documents"] = len(second_paths)
    return table[list(RELIABILITY_COLUMNS)]
