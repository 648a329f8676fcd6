"""Policy-text analysis in one namespace: the corpus (:mod:`~kexie_research.analysis.corpus`),
word tokens (:mod:`~kexie_research.analysis.tokens`), terms, emphasis and keyword in context
(:mod:`~kexie_research.analysis.terms`) and the statistics on term rates
(:mod:`~kexie_research.analysis.textstats`).

Each of those modules does one job; this one gathers their public names so that a notebook needs
one import.

Example::

    >>> from kexie_research.analysis import text
    >>> corpus = text.Corpus.from_texts({"a": "推动企业科\\n协建设。企业科协118个。"})
    >>> corpus["a"].text
    '推动企业科协建设。企业科协118个。'
    >>> text.kwic("企业科协", corpus=corpus)["line_break_inside"].tolist()
    [True, False]
"""

from __future__ import annotations

from kexie_research.analysis.corpus import (
    CAVEAT,
    Corpus,
    NormalisedText,
    SetAside,
    TextError,
    corpus_summary,
    normalise,
    project_corpus,
    sentence_bounds,
    sentences,
    set_aside_table,
)
from kexie_research.analysis.terms import (
    check_terms,
    dimension_terms,
    distinctive_terms,
    emphasis_counts,
    find_terms,
    kwic,
    place_name_stems,
    term_frequencies,
)
from kexie_research.analysis.textstats import (
    emphasis_profile_test,
    exact_homogeneity_test,
    term_rate_table,
    term_rate_tests,
    wilson_interval,
)
from kexie_research.analysis.tokens import get_tokenizer, segment, token_counts, tokenize

__all__ = [
    "CAVEAT",
    "Corpus",
    "NormalisedText",
    "SetAside",
    "TextError",
    "check_terms",
    "corpus_summary",
    "dimension_terms",
    "distinctive_terms",
    "emphasis_counts",
    "emphasis_profile_test",
    "exact_homogeneity_test",
    "find_terms",
    "get_tokenizer",
    "kwic",
    "normalise",
    "place_name_stems",
    "project_corpus",
    "segment",
    "sentence_bounds",
    "sentences",
    "set_aside_table",
    "term_frequencies",
    "term_rate_table",
    "term_rate_tests",
    "token_counts",
    "tokenize",
    "wilson_interval",
]
