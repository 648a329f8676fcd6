"""Input checks shared by the analysis modules: a frame must carry the columns a helper reads.

Example::

    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"case": []}), ("case",), "example")
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from kexie_research.errors import AnalysisError

__all__ = ["AnalysisError", "require_columns"]


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`~kexie_research.errors.AnalysisError` naming the missing columns of ``frame``.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ("a", "b"), "demo")
    Traceback (most recent call last):
    ...
    kexie_research.errors.AnalysisError: demo: missing column(s) b; got a
    """
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise AnalysisError(f"{what}: missing column(s) {', '.join(missing)}; got {', '.join(map(str, frame.columns))}")
