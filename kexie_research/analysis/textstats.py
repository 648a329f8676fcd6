"""Statistics on term rates in the policy texts: Wilson intervals, homogeneity tests (chi-square and
an exact conditional test), pairwise Fisher tests with Holm adjustment, and the test of the mix of
reform dimensions between documents.

Tests use word tokens as trials; they are not independent (words cluster in passages), so
p-values are optimistic: see :data:`kexie_research.analysis.corpus.CAVEAT`.

Example::

    >>> round(exact_homogeneity_test([5, 0], [100, 100])["p_value"], 4)
    0.0594
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from kexie_research.analysis.corpus import CAVEAT, Corpus, TextError
from kexie_research.analysis.terms import check_terms, emphasis_counts, term_frequencies

__all__ = ["emphasis_profile_test", "exact_homogeneity_test", "term_rate_table", "term_rate_tests", "wilson_interval"]


# --------------------------------------------------------------------------------------------
# Statistics: rates with Wilson intervals, homogeneity tests, pairwise exact tests
# --------------------------------------------------------------------------------------------


def wilson_interval(count: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval of a proportion (statsmodels ``proportion_confint(method="wilson")``).

    Examples
    --------
    >>> [round(x, 3) for x in wilson_interval(5, 100)]
    [0.022, 0.112]
    """
    from statsmodels.stats.proportion import proportion_confint

    if n <= 0:
        return (np.nan, np.nan)
    low, high = proportion_confint(count, n, alpha=alpha, method="wilson")
    return float(low), float(high)


def term_rate_table(
    terms: Iterable[str],
    corpus: Corpus | None = None,
    source_ids: Iterable[str] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Per document: hits of ``terms`` (together), rates, Wilson interval, and the count that
    document length alone would give.

    Columns: source_id, case, hits, word_tokens, body_chars, per_10k_chars, per_10k_tokens,
    ci_low, ci_high (Wilson, per 10,000 word tokens), expected_if_length_only (hits shared out in
    proportion to word tokens), observed_over_expected. ``attrs``: caveat, terms, alpha.

    Caveat: one document per place, of different genres and lengths; see :data:`CAVEAT`.

    Examples
    --------
    >>> corpus = Corpus.from_texts({"a": "企业科协。" * 3, "b": "其他内容。" * 3})
    >>> term_rate_table(["企业科协"], corpus)["hits"].tolist()
    [3, 0]
    """
    terms = check_terms(terms)
    freq = term_frequencies(terms, corpus=corpus, source_ids=source_ids)
    grouped = (
        freq.groupby(["source_id", "case"], sort=False)
        .agg(hits=("count", "sum"), word_tokens=("word_tokens", "first"), body_chars=("body_chars", "first"))
        .reset_index()
    )
    total_hits, total_tokens = grouped["hits"].sum(), grouped["word_tokens"].sum()
    grouped["per_10k_chars"] = 1e4 * grouped["hits"] / grouped["body_chars"]
    grouped["per_10k_tokens"] = 1e4 * grouped["hits"] / grouped["word_tokens"]
    cis = [wilson_interval(h, n, alpha) for h, n in zip(grouped["hits"], grouped["word_tokens"])]
    grouped["ci_low"] = [1e4 * c[0] for c in cis]
    grouped["ci_high"] = [1e4 * c[1] for c in cis]
    grouped["expected_if_length_only"] = total_hits * grouped["word_tokens"] / total_tokens
    grouped["observed_over_expected"] = np.where(
        grouped["expected_if_length_only"] > 0, grouped["hits"] / grouped["expected_if_length_only"], np.nan
    )
    grouped.attrs.update({"caveat": CAVEAT, "terms": terms, "alpha": alpha})
    return grouped


def _log_hypergeom(h: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """log P(h) of the multivariate hypergeometric (rows of ``h``) up to a constant."""
    from scipy.special import gammaln

    return (gammaln(sizes + 1) - gammaln(h + 1) - gammaln(sizes - h + 1)).sum(axis=-1)


def _count_tables(total: int, caps: Sequence[int]) -> int:
    ways = np.zeros(total + 1, dtype=object)
    ways[0] = 1
    for cap in caps:
        new = np.zeros(total + 1, dtype=object)
        for t in range(total + 1):
            if ways[t]:
                for v in range(min(cap, total - t) + 1):
                    new[t + v] += ways[t]
        ways = new
    return int(ways[total])


def _enumerate_tables(total: int, caps: Sequence[int]) -> np.ndarray:
    partial = np.zeros((1, 0), dtype=np.int64)
    for index, cap in enumerate(caps):
        used = partial.sum(axis=1)
        if index == len(caps) - 1:
            last = total - used
            ok = (last >= 0) & (last <= cap)
            return np.column_stack([partial[ok], last[ok]])
        pieces = [
            np.column_stack([partial[used + v <= total], np.full((int((used + v <= total).sum()),), v)])
            for v in range(min(cap, total) + 1)
        ]
        partial = np.concatenate(pieces)
    return partial


def exact_homogeneity_test(
    hits: Sequence[int],
    sizes: Sequence[int],
    max_tables: int = 300_000,
    n_sim: int = 100_000,
    seed: int = 20240601,
) -> dict:
    """Exact conditional test that hits are spread over documents in proportion to their sizes.

    Given the total hits, under H0 they are a random draw of word tokens without replacement
    (multivariate hypergeometric). The p-value is the probability of a table no more likely than the
    observed one (Freeman–Halton extension of Fisher's exact test to 2×k). It is computed by full
    enumeration when there are at most ``max_tables`` tables, else by ``n_sim`` Monte Carlo draws
    with a fixed ``seed`` (reported in ``method``).

    Examples
    --------
    >>> exact_homogeneity_test([1, 1], [10, 10])["method"]
    'exact enumeration of 3 tables'
    """
    h = np.asarray(hits, dtype=np.int64)
    n = np.asarray(sizes, dtype=np.int64)
    if h.shape != n.shape or (h < 0).any() or (h > n).any():
        raise TextError(f"hits {h.tolist()} must be between 0 and the sizes {n.tolist()}")
    total = int(h.sum())
    observed = _log_hypergeom(h[None, :], n)[0]
    tolerance = 1e-7 * max(1.0, abs(observed))
    n_tables = _count_tables(total, n.tolist()) if total <= 2000 else max_tables + 1
    if n_tables <= max_tables:
        tables = _enumerate_tables(total, n.tolist())
        logp = _log_hypergeom(tables, n)
        norm = np.logaddexp.reduce(logp)
        p = float(np.exp(np.logaddexp.reduce(logp[logp <= observed + tolerance]) - norm))
        method = f"exact enumeration of {len(tables)} tables"
    else:
        rng = np.random.default_rng(seed)
        draws = rng.multivariate_hypergeometric(n, total, size=n_sim)
        logp = _log_hypergeom(draws, n)
        p = float((1 + np.sum(logp <= observed + tolerance)) / (1 + n_sim))
        method = f"Monte Carlo, {n_sim} draws, seed {seed}"
    return {"p_value": min(1.0, p), "method": method, "total_hits": total}


def term_rate_tests(
    terms: Iterable[str],
    corpus: Corpus | None = None,
    source_ids: Iterable[str] | None = None,
    pairs: str = "top",
) -> pd.DataFrame:
    """Is the difference in the rate of ``terms`` between documents more than document length?

    Rows (tidy): one omnibus test of homogeneity across the documents (2×k table: hits vs other
    word tokens) as Pearson chi-square with its smallest expected count, and the exact conditional
    p-value (:func:`exact_homogeneity_test`) that does not rely on large expected counts; then
    pairwise 2×2 Fisher exact tests (``pairs="top"``: the highest-rate document against each other,
    ``"all"``: every pair) with Holm-adjusted p-values and the odds ratio.

    Columns: test, comparison, statistic, df, p_value, p_holm, odds_ratio, min_expected, method.
    ``attrs["caveat"]``: one document per place, different genres and lengths; tokens are not
    independent, so p-values are optimistic (see :data:`CAVEAT`).

    Examples
    --------
    >>> corpus = Corpus.from_texts({"a": "企业科协。" * 5, "b": "其他内容。" * 5})
    >>> term_rate_tests(["企业科协"], corpus)["test"].tolist()
    ['chi-square homogeneity', 'exact homogeneity', 'Fisher exact 2x2']
    """
    from scipy.stats import chi2_contingency, fisher_exact
    from statsmodels.stats.multitest import multipletests

    table = term_rate_table(terms, corpus=corpus, source_ids=source_ids)
    hits = table["hits"].to_numpy()
    tokens = table["word_tokens"].to_numpy()
    other = tokens - hits
    rows = []
    if hits.sum() > 0 and len(table) >= 2:
        contingency = np.vstack([hits, other])
        chi2, p_chi, dof, expected = chi2_contingency(contingency, correction=False)
        rows.append(
            {
                "test": "chi-square homogeneity",
                "comparison": " vs ".join(table["case"]),
                "statistic": float(chi2),
                "df": int(dof),
                "p_value": float(p_chi),
                "p_holm": np.nan,
                "odds_ratio": np.nan,
                "min_expected": float(expected.min()),
                "method": "Pearson chi-square, hits vs other word tokens",
            }
        )
        exact = exact_homogeneity_test(hits, tokens)
        rows.append(
            {
                "test": "exact homogeneity",
                "comparison": " vs ".join(table["case"]),
                "statistic": np.nan,
                "df": int(dof),
                "p_value": exact["p_value"],
                "p_holm": np.nan,
                "odds_ratio": np.nan,
                "min_expected": float(expected.min()),
                "method": f"Freeman-Halton exact conditional test ({exact['method']})",
            }
        )
        if pairs == "top":
            top = int(np.argmax(table["per_10k_tokens"].to_numpy()))
            index_pairs = [(top, j) for j in range(len(table)) if j != top]
        elif pairs == "all":
            index_pairs = list(combinations(range(len(table)), 2))
        else:
            raise TextError(f"pairs must be 'top' or 'all', got {pairs!r}")
        pair_rows = []
        for i, j in index_pairs:
            odds, p = fisher_exact([[hits[i], other[i]], [hits[j], other[j]]])
            pair_rows.append(
                {
                    "test": "Fisher exact 2x2",
                    "comparison": f"{table['case'].iloc[i]} vs {table['case'].iloc[j]}",
                    "statistic": np.nan,
                    "df": 1,
                    "p_value": float(p),
                    "odds_ratio": float(odds),
                    "min_expected": np.nan,
                    "method": "two-sided, hits vs other word tokens",
                }
            )
        if pair_rows:
            adjusted = multipletests([r["p_value"] for r in pair_rows], method="holm")[1]
            for r, adj in zip(pair_rows, adjusted):
                r["p_holm"] = float(adj)
        rows.extend(pair_rows)
    frame = pd.DataFrame(
        rows,
        columns=["test", "comparison", "statistic", "df", "p_value", "p_holm", "odds_ratio", "min_expected", "method"],
    )
    frame.attrs.update({"caveat": CAVEAT, "terms": check_terms(terms)})
    return frame


def emphasis_profile_test(corpus: Corpus | None = None, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Do the documents spread their lexicon hits differently over the dimensions?

    Chi-square test of the place × dimension table of lexicon hits (independent of document length,
    since it compares the mix of dimensions within each document), with Cramér's V and the smallest
    expected count. ``attrs["caveat"]`` as everywhere.

    Examples
    --------
    >>> lexicon = pd.DataFrame({"dimension": ["d", "e"], "dimension_zh": ["甲", "乙"], "dimension_en": ["D", "E"],
    ...                         "term": ["科普", "党建"]})
    >>> corpus = Corpus.from_texts({"a": "科普。" * 9 + "党建。", "b": "党建。" * 9 + "科普。"})
    >>> emphasis_profile_test(corpus, lexicon)["df"].item()
    1
    """
    from scipy.stats import chi2_contingency
    from scipy.stats.contingency import association

    counts = emphasis_counts(corpus=corpus, lexicon=lexicon)
    table = counts.pivot_table(index="case", columns="dimension", values="count", aggfunc="sum", sort=False)
    table = table.loc[:, table.sum(axis=0) > 0]
    chi2, p, dof, expected = chi2_contingency(table.to_numpy())
    frame = pd.DataFrame(
        [
            {
                "test": "chi-square independence (place x dimension)",
                "statistic": float(chi2),
                "df": int(dof),
                "p_value": float(p),
                "cramers_v": float(association(table.to_numpy(), method="cramer")),
                "min_expected": float(expected.min()),
                "share_expected_below_5": float((expected < 5).mean()),
            }
        ]
    )
    frame.attrs["caveat"] = CAVEAT
    return frame
