"""Terms in the policy texts: term queries, hits (leftmost-longest), frequencies and rates per
document, lexicon emphasis by reform dimension, keyword in context with original offsets, and
distinctive words (log-odds with an informative Dirichlet prior).

**Offsets of hits.** A hit's ``offset`` is the original offset of its first character and
``orig_end`` one past the original offset of its last character. ``original[offset:orig_end]`` is
the term with any layout line breaks that fall inside it; removing those gives the term back.
Hits that straddle a layout line break are flagged (``line_break_inside``), not hidden.

**Counting.** Terms are counted on the normalised body, leftmost-longest and non-overlapping over
the set of terms counted together: where 企业科协 and 企业 are both counted, 企业科协 is one hit of
企业科协 and none of 企业. Rates are per 10,000 characters of normalised body.

Example::

    >>> from kexie_research.analysis.corpus import Corpus
    >>> corpus = Corpus.from_texts({"a": "推动企业科\\n协建设。企业科协118个。"})
    >>> hits = kwic("企业科协", corpus=corpus)
    >>> hits[["offset", "orig_end", "line_break_inside"]].values.tolist()
    [[2, 7, True], [10, 14, False]]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from kexie_research.analysis.corpus import CAVEAT, Corpus, TextError, corpus_or_project, sentence_bounds
from kexie_research.analysis.tokens import token_counts, word_tokens

__all__ = [
    "check_terms",
    "dimension_terms",
    "distinctive_terms",
    "emphasis_counts",
    "find_terms",
    "kwic",
    "place_name_stems",
    "term_frequencies",
]


def _lexicon() -> pd.DataFrame:
    from kexie_research import data

    return data.load_lexicon()


# --------------------------------------------------------------------------------------------
# Term hits and frequencies
# --------------------------------------------------------------------------------------------


def check_terms(terms: str | Iterable[str]) -> list[str]:
    """Validate a term query: non-empty text(s) without line breaks; duplicates dropped, order kept.

    >>> check_terms(["企业科协", "园区科协", "企业科协"])
    ['企业科协', '园区科协']
    """
    if terms is None:
        raise TextError("no terms given: expected a list of non-empty strings")
    if isinstance(terms, str):
        terms = [terms]
    out = []
    for term in terms:
        if not isinstance(term, str) or not term or "\n" in term:
            raise TextError(f"invalid term {term!r}: expected non-empty text without line breaks")
        out.append(term)
    if not out:
        raise TextError("no terms given")
    return list(dict.fromkeys(out))


def find_terms(text: str, terms: Iterable[str], overlap: str = "longest") -> list[tuple[int, int, str]]:
    """Occurrences ``(start, end, term)`` of ``terms`` in ``text``.

    ``overlap="longest"``: one leftmost-longest, non-overlapping scan over all terms together (a
    longer term that starts at a position wins over the shorter terms that start there and hides
    the shorter terms inside it). ``overlap="independent"``: each term counted on its own
    (non-overlapping within the term, as ``str.count``).

    >>> find_terms("企业科协和企业", ["企业", "企业科协"])
    [(0, 4, '企业科协'), (5, 7, '企业')]
    >>> find_terms("企业科协和企业", ["企业", "企业科协"], overlap="independent")
    [(0, 2, '企业'), (0, 4, '企业科协'), (5, 7, '企业')]
    """
    terms = check_terms(terms)
    if overlap == "independent":
        hits = []
        for term in terms:
            at = text.find(term)
            while at >= 0:
                hits.append((at, at + len(term), term))
                at = text.find(term, at + len(term))
        return sorted(hits)
    if overlap != "longest":
        raise TextError(f"overlap must be 'longest' or 'independent', got {overlap!r}")
    by_first: dict[str, list[str]] = {}
    for term in sorted(terms, key=len, reverse=True):
        by_first.setdefault(term[0], []).append(term)
    hits = []
    i, n = 0, len(text)
    while i < n:
        for term in by_first.get(text[i], ()):
            if text.startswith(term, i):
                hits.append((i, i + len(term), term))
                i += len(term)
                break
        else:
            i += 1
    return hits


def term_frequencies(
    terms: Iterable[str],
    corpus: Corpus | None = None,
    source_ids: Iterable[str] | None = None,
    overlap: str = "longest",
) -> pd.DataFrame:
    """Counts and rates of each term in each document (tidy: one row per source × term).

    Columns: source_id, case, term, count, body_chars, per_10k_chars, word_tokens, per_10k_tokens.
    Counting rule: see :func:`find_terms`. ``attrs["caveat"]`` states the genre/length caveat.

    Examples
    --------
    >>> corpus = Corpus.from_texts({"s": "企业科协和企业。"})
    >>> term_frequencies(["企业科协", "企业"], corpus)[["term", "count"]].values.tolist()
    [['企业科协', 1], ['企业', 1]]
    """
    terms = check_terms(terms)
    rows = []
    for d in corpus_or_project(corpus).select(source_ids):
        hits = find_terms(d.text, terms, overlap=overlap)
        n_tok = word_tokens(d)
        for term in terms:
            count = sum(1 for _, _, t in hits if t == term)
            rows.append(
                {
                    "source_id": d.source_id,
                    "case": d.case,
                    "term": term,
                    "count": count,
                    "body_chars": d.n_chars,
                    "per_10k_chars": 1e4 * count / d.n_chars if d.n_chars else np.nan,
                    "word_tokens": n_tok,
                    "per_10k_tokens": 1e4 * count / n_tok if n_tok else np.nan,
                }
            )
    frame = pd.DataFrame(rows)
    frame.attrs["caveat"] = CAVEAT
    return frame


def emphasis_counts(
    corpus: Corpus | None = None,
    lexicon: pd.DataFrame | None = None,
    source_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Lexicon hits per document and reform dimension (tidy: one row per source × dimension).

    The whole lexicon is scanned at once (leftmost-longest), so a hit counts for one dimension.
    Columns: source_id, case, dimension, dimension_zh, dimension_en, count, body_chars,
    per_10k_chars, word_tokens, per_10k_tokens, share_of_hits (of the document's lexicon hits).

    Examples
    --------
    >>> lexicon = pd.DataFrame({"dimension": ["d"], "dimension_zh": ["维"], "dimension_en": ["D"], "term": ["科普"]})
    >>> emphasis_counts(Corpus.from_texts({"s": "科普，科普。"}), lexicon)["count"].tolist()
    [2]
    """
    lexicon = lexicon if lexicon is not None else _lexicon()
    owner = dict(zip(lexicon["term"], lexicon["dimension"]))
    dims = lexicon.drop_duplicates("dimension")[["dimension", "dimension_zh", "dimension_en"]]
    rows = []
    for d in corpus_or_project(corpus).select(source_ids):
        hits = find_terms(d.text, owner)
        per_dim = pd.Series([owner[t] for _, _, t in hits], dtype="object").value_counts()
        total = len(hits)
        n_tok = word_tokens(d)
        for dim in dims.itertuples(index=False):
            count = int(per_dim.get(dim.dimension, 0))
            rows.append(
                {
                    "source_id": d.source_id,
                    "case": d.case,
                    "dimension": dim.dimension,
                    "dimension_zh": dim.dimension_zh,
                    "dimension_en": dim.dimension_en,
                    "count": count,
                    "body_chars": d.n_chars,
                    "per_10k_chars": 1e4 * count / d.n_chars,
                    "word_tokens": n_tok,
                    "per_10k_tokens": 1e4 * count / n_tok,
                    "share_of_hits": count / total if total else np.nan,
                }
            )
    frame = pd.DataFrame(rows)
    frame.attrs["caveat"] = CAVEAT
    return frame


# --------------------------------------------------------------------------------------------
# Keyword in context
# --------------------------------------------------------------------------------------------


def kwic(
    terms: str | Iterable[str],
    corpus: Corpus | None = None,
    source_ids: Iterable[str] | None = None,
    window: int = 20,
    include_set_aside: bool = False,
    overlap: str = "longest",
) -> pd.DataFrame:
    """Every hit of ``terms`` with its context, its sentence and its offsets in the ORIGINAL file.

    Columns: source_id, case, term, start/end (normalised body), offset/orig_end (original file),
    line_break_inside, original_span (``original[offset:orig_end]``, line breaks kept), left, match,
    right (``window`` normalised characters each side), sentence (the whole sentence, normalised),
    sentence_offset (original offset of the sentence's first character).

    ``original[offset:orig_end].replace("\\n", "") == term`` for every row; see the module
    docstring for hits with a line break inside. ``include_set_aside=True`` searches the whole
    file (residue included, line breaks removed).

    Examples
    --------
    >>> hits = kwic("科协", Corpus.from_texts({"s": "成立科\\n协。"}))
    >>> hits[["offset", "orig_end", "original_span", "sentence"]].values.tolist()
    [[2, 5, '科\\n协', '成立科协。']]
    """
    terms = check_terms([terms] if isinstance(terms, str) else terms)
    corpus = corpus_or_project(corpus)
    rows = []
    for d in corpus.select(source_ids):
        doc = corpus.full(d.source_id) if include_set_aside else d
        bounds = sentence_bounds(doc.text)
        starts = np.array([b[0] for b in bounds]) if bounds else np.array([0])
        for start, end, term in find_terms(doc.text, terms, overlap=overlap):
            o_start, o_end = doc.original_span(start, end)
            k = int(np.searchsorted(starts, start, side="right")) - 1
            s_start, s_end = bounds[k]
            s_end = max(s_end, end)  # a term that runs over a sentence end keeps its whole sentence
            rows.append(
                {
                    "source_id": d.source_id,
                    "case": d.case,
                    "term": term,
                    "start": start,
                    "end": end,
                    "offset": o_start,
                    "orig_end": o_end,
                    "line_break_inside": "\n" in doc.original[o_start:o_end],
                    "original_span": doc.original[o_start:o_end],
                    "left": doc.text[max(0, start - window) : start],
                    "match": doc.text[start:end],
                    "right": doc.text[end : end + window],
                    "sentence": doc.text[s_start:s_end],
                    "sentence_offset": int(doc.offsets[s_start]),
                }
            )
    columns = [
        "source_id",
        "case",
        "term",
        "start",
        "end",
        "offset",
        "orig_end",
        "line_break_inside",
        "original_span",
        "left",
        "match",
        "right",
        "sentence",
        "sentence_offset",
    ]
    return pd.DataFrame(rows, columns=columns)


def dimension_terms(dimension: str, lexicon: pd.DataFrame | None = None) -> list[str]:
    """The lexicon terms of one dimension; :class:`TextError` listing the valid dimensions if unknown.

    Examples
    --------
    >>> lexicon = pd.DataFrame({"dimension": ["a", "b"], "term": ["甲", "乙"]})
    >>> dimension_terms("a", lexicon)
    ['甲']
    """
    lexicon = lexicon if lexicon is not None else _lexicon()
    valid = list(dict.fromkeys(lexicon["dimension"]))
    if dimension not in valid:
        raise TextError(f"unknown dimension {dimension!r}; valid: {', '.join(valid)}")
    return lexicon.loc[lexicon["dimension"] == dimension, "term"].tolist()


def distinctive_terms(
    corpus: Corpus | None = None,
    prior_strength: float = 0.1,
    min_count: int = 3,
    top: int = 15,
    exclude: Iterable[str] = (),
    exclude_containing: Iterable[str] = (),
) -> pd.DataFrame:
    """Words that set each document apart from the other four (one place against the rest).

    Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin'
    words", *Political Analysis* 16(4), eq. 16, 19–22): with word counts ``y_i`` in document ``i``
    (size ``n_i``) and ``y_j`` in the other documents (size ``n_j``), and a prior ``α_w = α0·π_w``
    where ``π_w`` is the word's share in the whole corpus and ``α0 = prior_strength × corpus size``,

        δ_w = log[(y_iw+α_w)/(n_i+α0−y_iw−α_w)] − log[(y_jw+α_w)/(n_j+α0−y_jw−α_w)],
        σ²_w ≈ 1/(y_iw+α_w) + 1/(y_jw+α_w),   z_w = δ_w / σ_w.

    Words with fewer than ``min_count`` occurrences in the document are skipped; ``exclude`` drops
    words, ``exclude_containing`` drops words that contain any of the given strings (e.g. place
    names). Returns the ``top`` words per document by z: source_id, case, term, count, count_rest,
    delta, se, z, rank.

    Examples
    --------
    >>> corpus = Corpus.from_texts({"a": "园区科协服务企业。" * 5, "b": "乡村振兴培训农民。" * 5})
    >>> distinctive_terms(corpus, min_count=2, top=1)["source_id"].tolist()
    ['a', 'b']
    """
    corpus = corpus_or_project(corpus)
    counts = token_counts(corpus)
    drop = set(exclude)
    stems = [s for s in exclude_containing if s]
    keep = [w for w in counts.index if w not in drop and not any(s in w for s in stems)]
    counts = counts.loc[keep]
    total = counts.sum(axis=1)
    n_total = float(total.sum())
    alpha0 = prior_strength * n_total
    alpha = alpha0 * total / n_total
    rows = []
    for d in corpus:
        y_i = counts[d.source_id]
        y_j = total - y_i
        n_i, n_j = float(y_i.sum()), float(y_j.sum())
        delta = np.log((y_i + alpha) / (n_i + alpha0 - y_i - alpha)) - np.log(
            (y_j + alpha) / (n_j + alpha0 - y_j - alpha)
        )
        se = np.sqrt(1.0 / (y_i + alpha) + 1.0 / (y_j + alpha))
        frame = pd.DataFrame(
            {
                "term": counts.index,
                "count": y_i.values,
                "count_rest": y_j.values,
                "delta": delta.values,
                "se": se.values,
                "z": (delta / se).values,
            }
        )
        frame = frame[frame["count"] >= min_count].sort_values(["z", "term"], ascending=[False, True]).head(top)
        frame.insert(0, "case", d.case)
        frame.insert(0, "source_id", d.source_id)
        frame["rank"] = range(1, len(frame) + 1)
        rows.append(frame)
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    out.attrs["caveat"] = CAVEAT
    out.attrs["method"] = f"log-odds ratio, informative Dirichlet prior (Monroe et al. 2008), alpha0 = {alpha0:.0f}"
    return out


def place_name_stems(cases: pd.DataFrame | None = None, places: pd.DataFrame | None = None) -> list[str]:
    """Names of the cases, their provinces and the places of each case without 省/市/区/县 (for
    ``exclude_containing``).

    Examples
    --------
    >>> cases = pd.DataFrame({"case": ["yichang"], "case_zh": ["宜昌"], "province_zh": ["湖北省"]})
    >>> places = pd.DataFrame({"case": ["yichang", None], "name_zh": ["夷陵区", "武汉市"]})
    >>> place_name_stems(cases, places)
    ['夷陵', '宜昌', '湖北']
    """
    from kexie_research import data
    from kexie_research.steps.places import short_name

    cases = cases if cases is not None else data.load_cases()
    places = places if places is not None else data.load_places()
    names: set[str] = set()
    for column in ("case_zh", "province_zh"):
        if column in cases.columns:
            names.update(str(name) for name in cases[column].dropna() if str(name))
    in_a_case = places["case"].notna() & (places["case"].astype(str) != "")
    names.update(str(name) for name in places.loc[in_a_case, "name_zh"].dropna())
    stems = {short_name(name) or name for name in names}
    return sorted(stem for stem in stems if stem)
