"""Text resources (``data/raw/text/``): domain dictionary, policy-emphasis lexicon, layout rules.

Checked once by the build and written to ``data/processed/`` as ``domain_terms.txt`` (jieba
user-dictionary lines), ``lexicon.csv`` (dimension, dimension_zh, dimension_en, term) and
``layout.json`` (set-aside spans per source_id, every marker found in its document). Analysis code
reads them with :func:`kexie_research.data.load_domain_terms`, :func:`~kexie_research.data.load_lexicon`
and :func:`~kexie_research.data.load_text_layout`.

Example::

    >>> from kexie_research.steps.text import lexicon_step
    >>> "party_building" in set(lexicon_step().dimension)
    True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError

LEXICON_COLUMNS = ["dimension", "dimension_zh", "dimension_en", "term"]
LAYOUT_KINDS = ("byline", "author_note", "page_residue", "colophon")
_USERDICT_LINE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")


class TextResourceError(KexieError, ValueError):
    """A text resource (dictionary, lexicon, layout rules) is invalid (names file and entry)."""


def _text_dir(raw_dir: Path | None) -> Path:
    return (Path(raw_dir) if raw_dir else config.raw_dir()) / config.TEXT_DIR


def domain_terms_step(raw_dir: Path | None = None) -> list[str]:
    """The lines of the domain dictionary (``word [freq] [tag]``), checked; blank lines dropped.

    Raises :class:`TextResourceError` naming the file and line of a malformed or duplicate entry.

    Examples
    --------
    >>> domain_terms_step()[0]
    '科协 nz'
    """
    path = _text_dir(raw_dir) / config.DOMAIN_TERMS
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise TextResourceError(f"{path}: cannot read domain dictionary: {exc}") from exc
    kept: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        match = _USERDICT_LINE.match(line)
        word = match.group(1).strip() if match else ""
        if not word or " " in word:
            raise TextResourceError(
                f"{path} line {number}: expected 'word [freq] [tag]' (jieba user dictionary), got {raw!r}"
            )
        if word in seen:
            raise TextResourceError(f"{path} line {number}: duplicate word {word!r} (first on line {seen[word]})")
        seen[word] = number
        kept.append(line)
    return kept


def lexicon_step(raw_dir: Path | None = None, dimensions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The policy-emphasis lexicon as a tidy table: dimension, dimension_zh, dimension_en, term.

    Checks that every dimension is a dimension of the codebook, that terms are non-empty strings
    without line breaks, and that no term belongs to two dimensions (errors name file and entry).

    Examples
    --------
    >>> list(lexicon_step().columns)
    ['dimension', 'dimension_zh', 'dimension_en', 'term']
    """
    from kexie_research.steps.codebook import read_codebook
    from kexie_research.steps.sources import read_yaml_mapping

    path = _text_dir(raw_dir) / config.LEXICON
    content = read_yaml_mapping(path, TextResourceError, "lexicon")
    dims = dimensions if dimensions is not None else read_codebook(raw_dir).dimensions
    entries = content.get("dimensions")
    if not isinstance(entries, dict) or not entries:
        raise TextResourceError(f"{path}: expected a mapping 'dimensions: {{dimension_id: {{terms: [...]}}}}'")
    owner: dict[str, str] = {}
    rows = []
    for dimension, spec in entries.items():
        if dimension not in dims.index:
            raise TextResourceError(
                f"{path}: unknown dimension {dimension!r}; valid (codebook): {', '.join(dims.index)}"
            )
        terms = (spec or {}).get("terms") if isinstance(spec, dict) or spec is None else None
        if not isinstance(terms, list) or not terms:
            raise TextResourceError(f"{path}: dimension {dimension!r} needs a non-empty list 'terms'")
        for term in terms:
            if not isinstance(term, str) or not term.strip() or "\n" in term:
                raise TextResourceError(
                    f"{path}: dimension {dimension!r}: invalid term {term!r} (non-empty text without line breaks expected)"
                )
            if term in owner:
                raise TextResourceError(
                    f"{path}: term {term!r} is listed under {owner[term]!r} and {dimension!r}; a term belongs to one dimension"
                )
            owner[term] = dimension
            rows.append(
                {
                    "dimension": dimension,
                    "dimension_zh": str(dims.loc[dimension, "zh"]),
                    "dimension_en": str(dims.loc[dimension, "en"]),
                    "term": term,
                }
            )
    return pd.DataFrame(rows, columns=LEXICON_COLUMNS)


def layout_step(raw_dir: Path | None = None, texts: Mapping[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """The layout rules per source_id, every marker checked against its document.

    A ``start`` marker must occur exactly once in the document after removing line breaks; an
    ``end`` marker must occur after it. Every document of the manifest gets an entry (no rule =
    nothing set aside). Returns ``{source_id: {"set_aside": [...], "truncated": bool, ...}}`` in
    manifest order.

    Examples
    --------
    >>> layout = layout_step()
    >>> layout["wuzhou_article"]["set_aside"][0]["kind"]
    'byline'
    """
    from kexie_research.steps.sources import read_yaml_mapping

    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    path = _text_dir(raw) / config.LAYOUT
    content = read_yaml_mapping(path, TextResourceError, "layout rules")
    sources = content.get("sources") or {}
    if not isinstance(sources, dict):
        raise TextResourceError(f"{path}: expected a mapping 'sources: {{source_id: rules}}'")
    if texts is None:
        from kexie_research.steps.sources import read_document_table

        documents = read_document_table(raw)
        texts = dict(zip(documents["source_id"], documents["text"]))
    unknown = sorted(set(sources) - set(texts))
    if unknown:
        raise TextResourceError(f"{path}: unknown source_id(s) {', '.join(unknown)}; valid: {', '.join(texts)}")
    layout: dict[str, dict[str, Any]] = {}
    for source_id, original in texts.items():
        rules = sources.get(source_id) or {}
        if not isinstance(rules, dict):
            raise TextResourceError(f"{path}: {source_id}: expected a mapping with set_aside / truncated")
        flat = original.replace("\n", "")
        items = rules.get("set_aside") or []
        if not isinstance(items, list):
            raise TextResourceError(f"{path}: {source_id}: set_aside must be a list")
        checked = []
        for number, item in enumerate(items, start=1):
            where = f"{path}: {source_id} set_aside #{number}"
            if not isinstance(item, dict) or not isinstance(item.get("start"), str) or not item["start"]:
                raise TextResourceError(f"{where}: expected a mapping with a 'start' marker")
            kind = item.get("kind", "page_residue")
            if kind not in LAYOUT_KINDS:
                raise TextResourceError(f"{where}: kind must be one of {', '.join(LAYOUT_KINDS)}, got {kind!r}")
            first = flat.find(item["start"])
            if first < 0:
                raise TextResourceError(
                    f"{where}: start marker not found after removing line breaks: {item['start'][:40]!r}"
                )
            if flat.find(item["start"], first + 1) >= 0:
                raise TextResourceError(
                    f"{where}: start marker occurs more than once; make it longer: {item['start'][:40]!r}"
                )
            if item.get("end") and flat.find(str(item["end"]), first) < 0:
                raise TextResourceError(
                    f"{where}: end marker not found after the start marker: {str(item['end'])[:40]!r}"
                )
            entry = {"kind": kind, "start": item["start"]}
            if item.get("end"):
                entry["end"] = str(item["end"])
            entry["note"] = " ".join(str(item.get("note", "")).split())
            checked.append(entry)
        truncated = rules.get("truncated", False)
        if not isinstance(truncated, bool):
            raise TextResourceError(f"{path}: {source_id}: truncated must be true or false")
        layout[source_id] = {"set_aside": checked, "truncated": truncated}
        if rules.get("truncation_note"):
            layout[source_id]["truncation_note"] = str(rules["truncation_note"])
    return layout
