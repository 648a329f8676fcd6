"""Schema of ``reliability.csv``: agreement of the first and a second coder, per field."""

from __future__ import annotations

import pandera.pandas as pa

from kexie_research.schemas.table import Column, Table, text

_ALPHA = (pa.Check.in_range(-1.0, 1.0),)
RELIABILITY = Table(
    "reliability",
    "reliability.csv",
    "Coding reliability: Krippendorff's alpha per field between the coding sheets and the second coders' sheets "
    "(data/raw/indicators/second_coder), on facts matched by their position in the document; empty when no second coding exists",
    {
        "field": text(
            "Compared field (indicator_id, admin_code, status, period_start, period_end, value)", unique=True
        ),
        "level": text("Level of measurement", isin=("nominal", "ordinal", "interval", "ratio")),
        "alpha": Column(
            "number",
            "Krippendorff's alpha (empty: undefined, e.g. a single value coded by all)",
            nullable=True,
            checks=_ALPHA,
        ),
        "ci_low": Column(
            "number",
            "Lower bound of the bootstrap 95% interval (units resampled, fixed seed)",
            nullable=True,
            checks=_ALPHA,
        ),
        "ci_high": Column("number", "Upper bound of the bootstrap 95% interval", nullable=True, checks=_ALPHA),
        "units": Column("integer", "Matched facts with a value from at least two coders", checks=(pa.Check.ge(0),)),
        "coders": Column("integer", "Number of coders", checks=(pa.Check.ge(0),)),
        "documents": Column("integer", "Documents coded twice", checks=(pa.Check.ge(0),)),
    },
    primary_key="field",
)
