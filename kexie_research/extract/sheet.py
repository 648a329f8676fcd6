"""From a reviewed draft to a coding sheet that ``kexie validate`` checks as is.

A coder reviews a draft (``kexie extract … -o draft.csv``): fills in or corrects ``indicator_id``,
``scope_zh``, ``period_text``, ``status``, shortens ``quote`` where needed, and sets ``kind`` to
anything but ``fact`` (or clears ``indicator_id``) for rows that are not to be coded. Then::

    kexie extract --to-sheet draft.csv -o data/raw/indicators/<source_id>.csv --prefix YC

keeps the rows with ``kind=fact`` and an ``indicator_id`` (and not ``decision=rejected``, the column
``kexie review`` writes), drops the draft-only columns, numbers
the rows ``YC-001``, ``YC-002`` … and writes the coding sheet's header exactly.

Example::

    >>> draft = pd.DataFrame({"record_id": ["DR-000001", "DR-000002"], "kind": ["fact", "date"],
    ...                       "indicator_id": ["gdp", ""], "raw_text": ["5亿元", "2020年"]})
    >>> to_sheet(draft, prefix="YC")[["record_id", "indicator_id", "raw_text"]].to_dict("records")
    [{'record_id': 'YC-001', 'indicator_id': 'gdp', 'raw_text': '5亿元'}]
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from kexie_research.atomic import atomic_output
from kexie_research.errors import SheetError
from kexie_research.schemas.indicators import SHEET_COLUMNS

__all__ = ["default_prefix", "read_draft", "to_sheet", "write_sheet"]

_PREFIX_RE = re.compile(r"[A-Z]{2}")


def read_draft(path: Path | str) -> pd.DataFrame:
    """A draft (CSV, with or without a BOM, or ``.xlsx``) as strings (empty cells stay empty); :class:`SheetError` naming the file.

    Examples
    --------
    >>> read_draft("/nonexistent.csv")
    Traceback (most recent call last):
    ...
    kexie_research.errors.SheetError: /nonexistent.csv: cannot read draft: ...
    """
    from kexie_research.ingest.sheets import read_table

    path = Path(path)
    frame = read_table(path)  # CSV with or without a BOM, or an .xlsx workbook
    missing = [name for name in ("kind", *SHEET_COLUMNS) if name not in frame.columns]
    if missing:
        raise SheetError(f"{path}: not a draft of `kexie extract`: missing column(s) {', '.join(missing)}")
    return frame


def default_prefix(source_id: str) -> str:
    """Two capital letters from a source id: ``yichang_report`` -> ``YR``, ``yichang`` -> ``YI``.

    Examples
    --------
    >>> default_prefix("yichang_report"), default_prefix("yichang")
    ('YR', 'YI')
    """
    words = [w for w in re.split(r"[^A-Za-z]+", source_id) if w]
    letters = "".join(w[0] for w in words[:2]) if len(words) >= 2 else (words[0][:2] if words else "XX")
    return (letters.upper() + "X")[:2]


def to_sheet(draft: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """The coding sheet of a reviewed draft (see the module docstring).

    Examples
    --------
    >>> draft = pd.DataFrame({"kind": ["fact", "fact"], "indicator_id": ["gdp", ""], "raw_text": ["5亿元", "3个"]})
    >>> to_sheet(draft, "YC")[["record_id", "raw_text"]].values.tolist()
    [['YC-001', '5亿元']]

    A row whose review ``decision`` is ``rejected`` never reaches the sheet, whatever its ``kind``:

    >>> draft["decision"] = ["rejected", ""]
    >>> len(to_sheet(draft, "YC"))
    0
    """
    if not _PREFIX_RE.fullmatch(prefix):
        raise SheetError(f"record_id prefix {prefix!r} must be two capital letters (e.g. YC)")
    draft = draft.astype(object).fillna("")
    keep = (draft["kind"].astype(str).str.strip() == "fact") & (draft["indicator_id"].astype(str).str.strip() != "")
    if "decision" in draft.columns:  # `kexie review`'s column; a row edited by hand may say rejected only there
        keep &= draft["decision"].astype(str).str.strip() != "rejected"
    sheet = draft.loc[keep].reindex(columns=list(SHEET_COLUMNS), fill_value="").reset_index(drop=True)
    # Three digits at least (TZ-001), more when the sheet needs them (TZ-1000).
    sheet["record_id"] = [f"{prefix}-{i:03d}" for i in range(1, len(sheet) + 1)]
    return sheet


def write_sheet(draft_path: Path | str, out_path: Path | str, prefix: str | None = None) -> tuple[int, int]:
    """Write the coding sheet of a reviewed draft; return (rows written, fact rows left out).

    The prefix defaults to :func:`default_prefix` of the sheet's name; a prefix used by another
    sheet in the same folder is refused (record ids are unique across all sheets).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> columns = ["kind", *SHEET_COLUMNS]
    >>> pd.DataFrame([["fact", "", "gdp", "梧州市", "city", "5亿元", "", "achieved", "生产总值5亿元", ""]],
    ...              columns=columns).to_csv(folder / "draft.csv", index=False)
    >>> write_sheet(folder / "draft.csv", folder / "yichang_report.csv")
    (1, 0)
    >>> (folder / "yichang_report.csv").read_text(encoding="utf-8").splitlines()[1]
    'YR-001,gdp,梧州市,city,5亿元,,achieved,生产总值5亿元,'
    """
    draft = read_draft(draft_path)
    out = Path(out_path)
    prefix = prefix or default_prefix(out.stem)
    if out.parent.is_dir():
        from kexie_research.ingest.sheets import read_table

        for other in sorted([*out.parent.glob("*.csv"), *out.parent.glob("*.xlsx")]):
            if other.resolve() == out.resolve():
                continue
            try:
                ids = read_table(other)["record_id"].astype(str)
            except (KeyError, ValueError, OSError, SheetError):
                continue  # not a coding sheet: the build reports it by itself
            if ids.str.startswith(f"{prefix}-").any():
                raise SheetError(f"record_id prefix {prefix} is already used by {other}; choose another with --prefix")
    sheet = to_sheet(draft, prefix)
    facts = int((draft["kind"].str.strip() == "fact").sum())
    out.parent.mkdir(parents=True, exist_ok=True)
    # Atomic: a kill leaves the old sheet (hand-coded rows, maybe) or the new one, never a part.
    with atomic_output(out) as stream:
        sheet.to_csv(stream, index=False, lineterminator="\n")
    return len(sheet), facts - len(sheet)
