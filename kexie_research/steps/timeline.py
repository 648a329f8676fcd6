"""The reform timeline (``data/raw/reference/reform_timeline.csv``): one dated event per row, each
with the verbatim sentence that states it, checked once here and written to ``timeline.csv``.

Columns of the raw file: ``event_id, case, scope, kind, date, date_precision, date_text, date_note,
not_before, event_zh, event_en, model_zh, model_en, source_id, quote, note``. ``case`` is empty for a
national event.

Example::

    >>> from kexie_research.steps.timeline import timeline_step
    >>> t = timeline_step().set_index("event_id")
    >>> t.loc["LZ-2017-09-29", ["case", "date", "date_precision"]].tolist()
    ['liuzhou', '2017-09-29', 'day']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError, ProvenanceError
from kexie_research.parse.periods import is_iso_date
from kexie_research.schemas.timeline import TIMELINE_COLUMNS

OUTPUT_COLUMNS = [*TIMELINE_COLUMNS, "quote_offset"]
DATE_PRECISIONS = ("day", "month", "year", "none")
_DATE_FORMS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}", "none": r""}


class TimelineError(KexieError, ValueError):
    """The reform timeline is invalid (names the file, the row and what was expected)."""


def timeline_step(
    raw_dir: Path | None = None, texts: Mapping[str, str] | None = None, cases: list[str] | None = None
) -> pd.DataFrame:
    """Read and check the reform timeline; return it with ``quote_offset`` (offset in the original file).

    Checks (each error names the file, the row and what was expected): required columns; unique
    ``event_id``; ``case`` empty or a case of the manifest; ``date`` written to its
    ``date_precision`` (``2017-09-29``/``2021-01``/``2018``, empty for ``none``); a ``date_note``
    whenever there is no full date; ``not_before`` an ISO date or year; ``model_zh`` and
    ``date_text`` inside the quote; the quote inside its source document (line breaks removed).
    ``texts`` maps source_id -> document text and ``cases`` lists the case keys (default: the manifest).

    Examples
    --------
    >>> t = timeline_step()
    >>> bool((t.quote_offset >= 0).all())
    True
    """
    from kexie_research.parse.provenance import locate_quote

    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    path = raw / config.REFERENCE_DIR / config.TIMELINE
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise TimelineError(f"{path}: cannot read the reform timeline: {' '.join(str(exc).split())}") from exc
    missing = [column for column in TIMELINE_COLUMNS if column not in frame.columns]
    if missing:
        raise TimelineError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(TIMELINE_COLUMNS)}")
    duplicated = frame["event_id"][frame["event_id"].duplicated()]
    if not duplicated.empty:
        raise TimelineError(f"{path}: event_id listed twice: {', '.join(duplicated)}")
    if texts is None or cases is None:
        from kexie_research.steps.sources import read_document_table

        documents = read_document_table(raw)
        texts = texts if texts is not None else dict(zip(documents["source_id"], documents["text"]))
        cases = cases if cases is not None else list(dict.fromkeys(documents["case"]))
    offsets = []
    for number, row in enumerate(frame.to_dict("records"), start=2):  # row 1 is the header
        where = f"{path} row {number} ({row['event_id']})"
        if row["case"] and row["case"] not in cases:
            raise TimelineError(
                f"{where}: unknown case {row['case']!r}; expected empty (national) or one of {', '.join(cases)}"
            )
        precision = row["date_precision"]
        if precision not in DATE_PRECISIONS:
            raise TimelineError(f"{where}: date_precision {precision!r}; expected one of {', '.join(DATE_PRECISIONS)}")
        if not re.fullmatch(_DATE_FORMS[precision], row["date"]):
            raise TimelineError(f"{where}: date {row['date']!r} does not match precision {precision!r}")
        if row["date"] and not is_iso_date(row["date"]):
            raise TimelineError(f"{where}: date {row['date']!r} is not a day, month or year of the calendar")
        if precision != "day" and not row["date_note"]:
            raise TimelineError(
                f"{where}: no full date, so date_note must say what the text gives (e.g. 'year not stated')"
            )
        if row["not_before"] and not is_iso_date(row["not_before"]):
            raise TimelineError(f"{where}: not_before {row['not_before']!r} is not an ISO date or year")
        if not row["quote"]:
            raise TimelineError(f"{where}: empty quote; every event needs its verbatim sentence")
        if row["model_zh"] and row["model_zh"] not in row["quote"]:
            raise TimelineError(f"{where}: model_zh {row['model_zh']!r} does not occur in the quote")
        if row["date_text"] and row["date_text"] not in row["quote"]:
            raise TimelineError(f"{where}: date_text {row['date_text']!r} does not occur in the quote")
        if row["source_id"] not in texts:
            raise TimelineError(f"{where}: unknown source_id {row['source_id']!r}; valid: {', '.join(texts)}")
        offset = locate_quote(row["quote"], texts[row["source_id"]])
        if offset is None:
            raise ProvenanceError(
                f"{where}: quote not found in {row['source_id']} (line breaks removed): {row['quote'][:60]!r}"
            )
        offsets.append(int(offset))
    frame = frame[list(TIMELINE_COLUMNS)].copy()
    frame["quote_offset"] = pd.Series(offsets, dtype="int64")
    return frame
