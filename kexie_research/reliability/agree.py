"""Agreement of coders on the same document(s): unitizing, α per field, disagreements.

Fields and their levels of measurement (:data:`FIELDS`): ``indicator_id``, the scope's
``admin_code`` (a draft's own, else ``scope_zh`` resolved by the project's place resolver; a scope
naming no known place is compared as ``unresolved:<scope_zh>``) and ``status`` are nominal; the
period's first and last day (``period_start``, ``period_end``, as day numbers of the proleptic
Gregorian calendar; a bound the text leaves open or relative, as the end of ``2019年以来``, is missing) are interval; the number
(``value`` of :func:`~kexie_research.parse.quantities.parse_quantity`; the middle of ``low`` and ``high`` when it has none) is ratio.

α is computed on the units coded by at least two coders; a coder who put two rows on one unit
counts with the first and the unit is listed among the disagreements.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "doc.txt").write_text("全县有科协3个，学会12个，会员500名。", encoding="utf-8")
>>> header = "record_id,indicator_id,scope_zh,scope_level,raw_text,period_text,status,quote,note\\n"
>>> rows_a = ["A-1,kexie,全国,national,3个,,achieved,全县有科协3个,", "A-2,society,全国,national,12个,,achieved,学会12个,",
...           "A-3,member,全国,national,500名,,achieved,会员500名,"]
>>> rows_b = ["B-1,kexie,全国,national,3个,,achieved,全县有科协3个,", "B-2,member,全国,national,12个,,target,学会12个,"]
>>> _ = (folder / "a.csv").write_text(header + "\\n".join(rows_a) + "\\n", encoding="utf-8")
>>> _ = (folder / "b.csv").write_text(header + "\\n".join(rows_b) + "\\n", encoding="utf-8")
>>> result = agree([folder / "a.csv", folder / "b.csv"], document=folder / "doc.txt", replicates=100)
>>> result.unitizing
{'units': 3, 'coded_by_all': 2, 'coded_by_some': 0, 'coded_by_one': 1, 'coders': 2}
>>> row = result.table.set_index("field").loc["value"]
>>> float(row.alpha), int(row.units), int(row.coders)
(1.0, 2, 2)
>>> sorted(set(result.disagreements["field"]))
['indicator_id', 'status', 'unit']
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from kexie_research.errors import KexieError, SheetError
from kexie_research.reliability.alpha import bootstrap_interval, field_alpha, pairable_units
from kexie_research.reliability.sheets import CodedRow, CoderSheet, read_coder_sheet
from kexie_research.reliability.units import Unit, match_units

__all__ = ["AGREEMENT_COLUMNS", "FIELDS", "Agreement", "agree", "agree_sheets"]

#: (field, level of measurement), in the order of ``agreement.csv``.
FIELDS: tuple[tuple[str, str], ...] = (
    ("indicator_id", "nominal"),
    ("admin_code", "nominal"),
    ("status", "nominal"),
    ("period_start", "interval"),
    ("period_end", "interval"),
    ("value", "ratio"),
)
AGREEMENT_COLUMNS = ("field", "level", "alpha", "ci_low", "ci_high", "units", "coders")


@dataclass
class Agreement:
    """What :func:`agree` found: α per field, unitizing counts, disagreements to resolve.

    Examples
    --------
    >>> import pandas as pd
    >>> Agreement(pd.DataFrame(columns=list(AGREEMENT_COLUMNS)), {"units": 0}, pd.DataFrame(), ["a.csv", "b.csv"]).coders
    ['a.csv', 'b.csv']
    """

    table: pd.DataFrame
    unitizing: dict[str, int]
    disagreements: pd.DataFrame
    coders: list[str]


@lru_cache(maxsize=1)
def _resolver():
    from kexie_research.steps.places import PlaceResolver

    return PlaceResolver.from_raw()


@lru_cache(maxsize=4096)
def _admin_code(scope_zh: str) -> str:
    try:
        return _resolver().resolve(scope_zh).admin_code
    except Exception:  # an unknown place, or no place reference here: compare the text
        return f"unresolved:{scope_zh}"


@lru_cache(maxsize=1)
def _reference_dates() -> dict[str, str]:
    from kexie_research.steps.sources import read_sources

    try:
        return {str(s.get("file")): str(s.get("reference_date") or "") for s in read_sources()}
    except Exception:  # no manifest: relative periods stay unresolved
        return {}


def _day(iso: str | None) -> float:
    return float(dt.date.fromisoformat(iso).toordinal()) if iso else math.nan


def field_values(
    row: CodedRow, resolve: Callable[[str], str] | None = None, reference_dates: dict[str, str] | None = None
) -> dict[str, object]:
    """The compared value of every field of one coded row (``None``/``NaN`` = not given).

    Examples
    --------
    >>> row = CodedRow("d.txt", "k", 0, 2, 2, {"indicator_id": "x", "scope_zh": "全国", "status": "target",
    ...                "period_text": "2020年", "raw_text": "近5000名"})
    >>> values = field_values(row)
    >>> values["indicator_id"], values["status"], values["value"], values["period_end"] - values["period_start"]
    ('x', 'target', 5000.0, 365.0)
    """
    from kexie_research.parse.periods import parse_period
    from kexie_research.parse.quantities import parse_quantity

    v = row.values
    resolve = resolve or _admin_code
    dates = _reference_dates() if reference_dates is None else reference_dates
    code = v.get("admin_code", "").strip() or (
        resolve(v["scope_zh"].strip()) if v.get("scope_zh", "").strip() else None
    )
    try:
        period = parse_period(v.get("period_text", ""), dates.get(row.document) or None)
        start, end = _day(period.start), _day(period.end)  # a bound the text leaves open is missing
    except KexieError:
        start = end = math.nan
    try:
        quantity = parse_quantity(v["raw_text"])
        value = quantity.value if not math.isnan(quantity.value) else np.nanmean([quantity.low, quantity.high])
    except (KexieError, ValueError, RuntimeWarning):
        value = math.nan
    return {
        "indicator_id": v.get("indicator_id", "").strip() or None,
        "admin_code": code,
        "status": v.get("status", "").strip() or None,
        "period_start": start,
        "period_end": end,
        "value": float(value) if value is not None and not math.isnan(value) else math.nan,
    }


def _shown(field: str, row: CodedRow, value: object) -> str:
    if field.startswith("period"):
        return row.values.get("period_text", "")
    if field == "value":
        return row.values.get("raw_text", "")
    if field == "admin_code":
        return f"{row.values.get('scope_zh', '')} ({value})" if value else row.values.get("scope_zh", "")
    return "" if value is None else str(value)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def agree_sheets(
    sheets: Sequence[CoderSheet],
    *,
    replicates: int = 1000,
    seed: int = 20240617,
    resolve: Callable[[str], str] | None = None,
    reference_dates: dict[str, str] | None = None,
) -> Agreement:
    """Agreement of already read sheets (see :func:`agree`).

    ``resolve`` maps a ``scope_zh`` to an admin code (default: the project's place resolver on
    ``data/raw``), ``reference_dates`` a document's file name to its reference date (default: from
    ``sources.yaml``); the build passes its own.

    Examples
    --------
    >>> agree_sheets([CoderSheet("a.csv", [])])
    Traceback (most recent call last):
    ...
    kexie_research.errors.SheetError: agreement needs at least two sheets (one per coder)
    >>> agree_sheets([CoderSheet("a.csv", []), CoderSheet("b.csv", [])], replicates=5).unitizing["units"]
    0
    """
    if len(sheets) < 2:
        raise SheetError("agreement needs at least two sheets (one per coder)")
    labels = [sheet.label for sheet in sheets]
    if len(set(labels)) != len(labels):
        raise SheetError(
            f"a sheet is given twice: {', '.join(sorted({name for name in labels if labels.count(name) > 1}))}"
        )
    documents = [set(sheet.documents) for sheet in sheets]
    for sheet, docs in zip(sheets[1:], documents[1:]):
        if docs != documents[0] and docs and documents[0]:
            raise SheetError(
                f"sheets of different documents: {sheets[0].label} codes {_listed(sheets[0], documents[0])}; "
                f"{sheet.label} codes {_listed(sheet, docs)}"
            )
    names = {key: name for sheet in sheets for key, name in sheet.documents.items()}
    units = match_units([[(row.document_key, row.start, row.end) for row in sheet.rows] for sheet in sheets])
    values = [[field_values(row, resolve, reference_dates) for row in sheet.rows] for sheet in sheets]
    coder_count = len(sheets)

    def member_rows(unit: Unit) -> dict[int, list[int]]:
        rows: dict[int, list[int]] = {}
        for coder, row in unit.members:
            rows.setdefault(coder, []).append(row)
        return rows

    by_unit = [member_rows(unit) for unit in units]
    covered = [len(rows) for rows in by_unit]
    unitizing = {
        "units": len(units),
        "coded_by_all": sum(c == coder_count for c in covered),
        "coded_by_some": sum(1 < c < coder_count for c in covered),
        "coded_by_one": sum(c == 1 for c in covered),
        "coders": coder_count,
    }
    matched = [index for index, count in enumerate(covered) if count >= 2]

    table_rows, disagreements = [], []
    for field, level in FIELDS:
        matrix = np.full((coder_count, len(matched)), np.nan)
        raw: list[list[object]] = [[None] * len(matched) for _ in range(coder_count)]
        for column, unit_index in enumerate(matched):
            for coder, rows in by_unit[unit_index].items():
                raw[coder][column] = values[coder][rows[0]][field]
        if level == "nominal":
            categories = sorted({str(v) for coder in raw for v in coder if not _missing(v)})
            code = {category: float(index) for index, category in enumerate(categories)}
            for coder in range(coder_count):
                for column, value in enumerate(raw[coder]):
                    if not _missing(value):
                        matrix[coder, column] = code[str(value)]
        else:
            for coder in range(coder_count):
                for column, value in enumerate(raw[coder]):
                    if not _missing(value):
                        matrix[coder, column] = float(value)  # type: ignore[arg-type]
        alpha = field_alpha(matrix, level) if matched else math.nan
        low, high = (
            bootstrap_interval(matrix, level, replicates=replicates, seed=seed) if matched else (math.nan, math.nan)
        )
        table_rows.append(
            {
                "field": field,
                "level": level,
                "alpha": alpha,
                "ci_low": low,
                "ci_high": high,
                "units": pairable_units(matrix) if matched else 0,
                "coders": coder_count,
            }
        )
        for column, unit_index in enumerate(matched):
            given = [raw[coder][column] for coder in range(coder_count)]
            present = {str(v) for v in given if not _missing(v)}
            texts = {_shown(field, sheets[c].rows[r[0]], raw[c][column]) for c, r in by_unit[unit_index].items()}
            if len(present) > 1 or (len(texts) > 1 and field in ("period_start", "value")):
                disagreements.append(
                    _disagreement(
                        units[unit_index],
                        by_unit[unit_index],
                        sheets,
                        names,
                        field,
                        lambda c, r, field=field: _shown(field, sheets[c].rows[r], values[c][r][field]),
                    )
                )
    for unit, members in zip(units, by_unit):
        if len(members) < coder_count or any(len(r) > 1 for r in members.values()):
            disagreements.append(
                _disagreement(
                    unit, members, sheets, names, "unit", lambda c, r: sheets[c].rows[r].values.get("raw_text", "")
                )
            )
    table = pd.DataFrame(table_rows, columns=list(AGREEMENT_COLUMNS))
    frame = pd.DataFrame(disagreements, columns=["document", "start", "end", "field", *labels, "lines"])
    frame = frame.sort_values(["document", "start", "end", "field"], kind="stable", ignore_index=True)
    return Agreement(table, unitizing, frame, labels)


def _listed(sheet: CoderSheet, keys: set[str]) -> str:
    """The names of the documents ``keys`` of ``sheet``, for an error message."""
    return ", ".join(sorted(sheet.documents[key] for key in keys)) or "none"


def _disagreement(
    unit: Unit, rows: dict[int, list[int]], sheets: Sequence[CoderSheet], names: dict[str, str], field: str, shown
) -> dict[str, object]:
    record: dict[str, object] = {"document": names[unit.document], "start": unit.start, "end": unit.end, "field": field}
    lines = []
    for coder, sheet in enumerate(sheets):
        members = rows.get(coder, [])
        record[sheet.label] = " | ".join(shown(coder, r) for r in members)
        lines += [f"{sheet.label}:{sheet.rows[r].line}" for r in members]
    record["lines"] = "; ".join(lines)
    return record


def agree(
    paths: Sequence[Path | str], *, document: Path | str | None = None, replicates: int = 1000, seed: int = 20240617
) -> Agreement:
    """Read coders' sheets of the same document(s) and measure their agreement.

    Parameters
    ----------
    paths
        One sheet per coder: coding sheets (the document from ``sources.yaml`` by the sheet's
        name, or ``document``) or ``kexie extract`` drafts (the document of each row).
    document
        The document of coding sheets that ``sources.yaml`` does not list.
    replicates, seed
        The bootstrap (units resampled with replacement; the same seed gives the same interval).

    Examples
    --------
    More in the module docstring.

    >>> agree(["/nonexistent/a.csv", "/nonexistent/b.csv"])
    Traceback (most recent call last):
    ...
    FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent/a.csv'
    """
    return agree_sheets([read_coder_sheet(path, document) for path in paths], replicates=replicates, seed=seed)
