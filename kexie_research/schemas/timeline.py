"""Schema of ``timeline.csv``: the reform timeline, each event with its verbatim quote.

Example::

    >>> TIMELINE_COLUMNS[:3], TIMELINE_COLUMNS[-1]
    (('event_id', 'case', 'scope'), 'note')
"""

from __future__ import annotations

import pandera.pandas as pa

from kexie_research.schemas.table import Column, Table, text

TIMELINE = Table(
    "timeline",
    "timeline.csv",
    "Reform timeline: one event per row, each with the verbatim sentence that states it",
    {
        "event_id": text("Unique event id", unique=True),
        "case": text("Case of the event (empty = national)"),
        "scope": text("Scope of the event (national, city, county …)"),
        "kind": text("Kind of event (plan_issued, pilot_listing, reform_launch, meeting, model …)"),
        "date": text("Date to its precision: YYYY-MM-DD, YYYY-MM, YYYY or empty"),
        "date_precision": text("day, month, year or none", isin=("day", "month", "year", "none")),
        "date_text": text("The date as written"),
        "date_note": text("What the text gives when there is no full date"),
        "not_before": text("Lower bound of an undated event (ISO date or year)"),
        "event_zh": text("Event in Chinese"),
        "event_en": text("Event in English"),
        "model_zh": text("Reform model named in the quote"),
        "model_en": text("Reform model in English"),
        "source_id": text("Document of the quote"),
        "quote": text("Verbatim sentence of the document"),
        "note": text("Coder's remark"),
        "quote_offset": Column("integer", "Offset of the quote in the original document", checks=(pa.Check.ge(0),)),
    },
    primary_key="event_id",
)

# The columns the coder writes (data/raw/reference/reform_timeline.csv): every column of the processed
# table except the quote's offset, which the build computes.
TIMELINE_COLUMNS = tuple(name for name in TIMELINE.columns if name != "quote_offset")
