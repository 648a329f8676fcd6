"""Reform features for configurational comparison: the case × condition matrix (unknown stays NaN),
the check of a chosen outcome and conditions, and the sentence behind each coded cell.

The features come from :func:`kexie_research.data.load_features` (long format: one row per case ×
condition, ``value`` NaN = unknown, each known cell with its quote, checked by the build) and the
definitions from :func:`kexie_research.data.load_conditions`.

Example::

    >>> import pandas as pd
    >>> f = pd.DataFrame({"case": ["a", "a", "b", "b"], "condition": ["x", "y", "x", "y"],
    ...                   "label": ["X", "Y", "X", "Y"], "value": [1.0, None, 0.0, 1.0]})
    >>> feature_matrix(f, use_labels=True).to_dict()
    {'X': {'a': 1.0, 'b': 0.0}, 'Y': {'a': nan, 'b': 1.0}}
"""

from __future__ import annotations

import pandas as pd

from kexie_research.analysis.checks import AnalysisError, require_columns

__all__ = ["check_selection", "evidence_sentences", "evidence_table", "feature_matrix"]


def feature_matrix(
    features: pd.DataFrame, columns: list[str] | None = None, use_labels: bool = False, values: str = "value"
) -> pd.DataFrame:
    """Wide table: one row per case (order of appearance), one column per condition; NaN = unknown.

    ``columns`` selects conditions (ids) in order; ``use_labels`` names the columns by label;
    ``values`` picks the column to spread (e.g. ``evidence_kind``).

    Examples
    --------
    >>> f = pd.DataFrame({"case": ["a"], "condition": ["x"], "label": ["X"], "value": [None], "evidence_kind": ["none"]})
    >>> feature_matrix(f, values="evidence_kind").to_dict()
    {'x': {'a': 'none'}}
    """
    require_columns(features, ("case", "condition", values), "feature_matrix")
    order = list(dict.fromkeys(features["case"]))
    ids = list(dict.fromkeys(features["condition"]))
    if columns is not None:
        unknown = [c for c in columns if c not in ids]
        if unknown:
            raise AnalysisError(f"unknown condition(s) {', '.join(unknown)}; valid: {', '.join(ids)}")
        ids = list(columns)
    wide = features.pivot(index="case", columns="condition", values=values).reindex(index=order, columns=ids)
    wide.columns.name = None
    wide.index.name = None
    if use_labels:
        wide = wide.rename(columns=dict(zip(features["condition"], features["label"])))
    return wide


def evidence_table(features: pd.DataFrame, condition: str | None = None) -> pd.DataFrame:
    """The evidence behind each cell: case, condition, label, value, evidence_kind, quote, source_id,
    quote_offset, note — for one condition or all.

    Examples
    --------
    >>> from kexie_research.data import load_features
    >>> evidence_table(load_features(), "party_led_reform").columns[0]
    'case'
    """
    require_columns(features, ("case", "condition"), "evidence_table")
    table = features
    if condition is not None:
        if condition not in set(features["condition"]):
            raise AnalysisError(
                f"unknown condition {condition!r}; valid: {', '.join(dict.fromkeys(features['condition']))}"
            )
        table = features[features["condition"] == condition]
    return table[
        ["case", "condition", "label", "value", "evidence_kind", "evidence_quote", "source_id", "quote_offset", "note"]
    ].reset_index(drop=True)


def check_selection(outcome: str, conditions: list[str], definitions: pd.DataFrame) -> tuple[str, list[str]]:
    """Validate a choice of outcome and conditions (ids of ``definitions``); return their labels.

    Examples
    --------
    >>> d = pd.DataFrame({"label": ["C", "O"], "role": ["condition", "outcome"]}, index=["c1", "o1"])
    >>> check_selection("o1", ["c1"], d)
    ('O', ['C'])
    >>> check_selection("c1", ["c1"], d)
    Traceback (most recent call last):
    ...
    kexie_research.errors.AnalysisError: unknown outcome 'c1'; valid outcomes: o1
    """
    outcomes = list(definitions.index[definitions["role"] == "outcome"])
    valid = list(definitions.index[definitions["role"] == "condition"])
    if outcome not in outcomes:
        raise AnalysisError(f"unknown outcome {outcome!r}; valid outcomes: {', '.join(outcomes)}")
    if isinstance(conditions, str) or not conditions:
        raise AnalysisError(f"conditions must be a non-empty list of ids; valid: {', '.join(valid)}")
    unknown = [c for c in conditions if c not in valid]
    if unknown:
        raise AnalysisError(
            f"unknown condition(s) {', '.join(map(repr, unknown))}; valid conditions: {', '.join(valid)}"
        )
    if len(set(conditions)) != len(conditions):
        raise AnalysisError(f"duplicate condition in {conditions}")
    return str(definitions.loc[outcome, "label"]), [str(definitions.loc[c, "label"]) for c in conditions]


def evidence_sentences(features: pd.DataFrame, corpus, conditions: list[str] | None = None) -> pd.DataFrame:
    """Each quoted cell with the whole sentence(s) its quote stands in, from the normalised document.

    Columns: case, condition, label, value, evidence_kind, source_id, offset (of the sentence in
    the original file), sentence, note. A quote in set-aside page residue is looked up in the whole
    file. ``corpus`` is a :class:`kexie_research.analysis.corpus.Corpus`.

    Examples
    --------
    >>> from kexie_research.analysis.corpus import Corpus
    >>> corpus = Corpus.from_texts({"s": "前言。改革由党建引领，成效明显。"})
    >>> f = pd.DataFrame({"case": ["a"], "condition": ["x"], "label": ["X"], "value": [1.0],
    ...     "evidence_kind": ["reported"], "evidence_quote": ["党建引领"], "source_id": ["s"], "note": [""]})
    >>> evidence_sentences(f, corpus)[["offset", "sentence"]].values.tolist()
    [[3, '改革由党建引领，成效明显。']]
    """
    from kexie_research.analysis.corpus import sentence_bounds

    if conditions is not None:
        features = features[features["condition"].isin(conditions)]
    rows = []
    for row in features[features["evidence_quote"].fillna("").str.strip() != ""].itertuples():
        doc = corpus[row.source_id]
        quote = str(row.evidence_quote).replace("\n", "")
        at = doc.text.find(quote)
        if at < 0:  # the quote lies in set-aside residue: use the whole file
            doc = corpus.full(row.source_id)
            at = doc.text.find(quote)
        if at < 0:
            raise AnalysisError(f"{row.case}/{row.condition}: quote not found in {row.source_id}: {quote[:40]!r}")
        bounds = sentence_bounds(doc.text)
        first = next(i for i, (s, e) in enumerate(bounds) if s <= at < e)
        last = next(i for i, (s, e) in enumerate(bounds) if s < at + len(quote) <= e)
        start, end = bounds[first][0], bounds[last][1]
        rows.append(
            {
                "case": row.case,
                "condition": row.condition,
                "label": row.label,
                "value": row.value,
                "evidence_kind": row.evidence_kind,
                "source_id": row.source_id,
                "offset": int(doc.offsets[start]),
                "sentence": doc.text[start:end].strip(),
                "note": row.note,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["case", "condition", "label", "value", "evidence_kind", "source_id", "offset", "sentence", "note"],
    )
