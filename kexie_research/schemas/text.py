"""Schema of ``lexicon.csv`` (the policy-emphasis lexicon; a term belongs to one dimension)."""

from __future__ import annotations

from kexie_research.schemas.table import Table, text

LEXICON = Table(
    "lexicon",
    "lexicon.csv",
    "Policy-emphasis lexicon: which words signal a reform dimension of the codebook",
    {
        "dimension": text("Dimension id (codebook)"),
        "dimension_zh": text("Dimension in Chinese"),
        "dimension_en": text("Dimension in English"),
        "term": text("Term (counted leftmost-longest over the whole lexicon)", unique=True),
    },
    primary_key="term",
)
