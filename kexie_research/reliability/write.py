"""Writing reliability tables: rounded figures (the same bytes on every run), atomic replace.

Examples
--------
>>> import tempfile, pathlib, pandas as pd
>>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> write_table(pd.DataFrame({"field": ["a", "b"], "alpha": [0.123456789, float("nan")]}), out)
>>> out.read_text(encoding="utf-8")
'field,alpha\\na,0.1235\\nb,\\n'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kexie_research.atomic import atomic_output

__all__ = ["write_table"]


def write_table(table: pd.DataFrame, path: Path | str, digits: int = 4) -> None:
    """Write ``table`` as UTF-8 CSV, floats rounded to ``digits``, through a temporary file and a rename.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "sub" / "t.csv"
    >>> write_table(pd.DataFrame({"units": [3]}), out)
    >>> out.read_text(encoding="utf-8")
    'units\\n3\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rounded = table.copy()
    for column in rounded.columns:
        if pd.api.types.is_float_dtype(rounded[column]):
            rounded[column] = rounded[column].round(digits)
    with atomic_output(path) as stream:
        rounded.to_csv(stream, index=False, lineterminator="\n", float_format=f"%.{digits}f")
