"""Policy texts as a corpus: each document's normalised body, the map back to the original file,
the spans set aside, and its sentences.

**Normalisation.** The documents keep the hard line breaks of their print layout, often inside a
word. Text analysis works on a *normalised body*: every ``"\\n"`` removed (the project's matching
rule, :func:`kexie_research.parse.provenance.normalise_for_matching`) and the page residue named by
the layout rules (bylines, repeated headlines, photo captions, a colophon) set aside. Nothing else
changes: punctuation, spaces and full-width characters stay, so every normalised character has
exactly one original character, and :attr:`NormalisedText.offsets` maps it back to its offset in
the file as received.

Example::

    >>> corpus = Corpus.from_texts({"a": "推动企业科\\n协建设。企业科协118个。"})
    >>> corpus["a"].text
    '推动企业科协建设。企业科协118个。'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError

__all__ = [
    "CAVEAT",
    "Corpus",
    "NormalisedText",
    "SetAside",
    "TextError",
    "corpus_summary",
    "normalise",
    "project_corpus",
    "sentence_bounds",
    "sentences",
    "set_aside_table",
]

#: Stated beside every rate and every test of the text analysis (in the returned DataFrame's
#: ``attrs["caveat"]``) and in the notebooks.
CAVEAT = (
    "One document per case, of different genres and lengths. A rate describes how much a document "
    "talks about something, which depends on its genre, purpose and author as much as on the case's "
    "policy; the tests treat word tokens as independent trials, which they are not (words cluster in "
    "passages), so p-values are optimistic and serve only to say whether a difference is larger than "
    "document length alone would produce."
)

# Sentence ends: Chinese and ASCII terminal punctuation; closing quotes/brackets that follow
# belong to the sentence they close.
_ENDERS = set("。！？；!?")
_CLOSERS = set("”’」』）)】")


class TextError(KexieError):
    """A text resource (dictionary, lexicon, layout rules) or a query is invalid."""


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetAside:
    """A span of the original file left out of the normalised body (``[start, end)``, original offsets).

    Examples
    --------
    >>> normalise("正文。署名", set_aside=[{"start": "署名", "kind": "byline"}]).set_aside[0]
    SetAside(kind='byline', start=3, end=5, text='署名', note='')
    """

    kind: str
    start: int
    end: int
    text: str
    note: str = ""


@dataclass(frozen=True)
class NormalisedText:
    """A document's normalised body and the map back to the original file.

    ``text[i]`` is ``original[offsets[i]]`` for every ``i``.

    Examples
    --------
    >>> nt = normalise("企业科\\n协。")
    >>> nt.text, nt.original[nt.offsets[3]]
    ('企业科协。', '协')
    """

    source_id: str
    original: str
    text: str
    offsets: np.ndarray
    set_aside: tuple[SetAside, ...] = ()
    truncated: bool = False
    case: str = ""

    def __post_init__(self) -> None:
        if len(self.offsets) != len(self.text):
            raise TextError(
                f"{self.source_id}: offset map has {len(self.offsets)} entries for {len(self.text)} characters"
            )

    @property
    def n_chars(self) -> int:
        """Characters of the normalised body (the denominator of rates per 10,000 characters).

        Examples
        --------
        >>> normalise("一\\n二。").n_chars
        3
        """
        return len(self.text)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[offset, orig_end)`` of the normalised span ``[start, end)`` (``end > start``).

        Examples
        --------
        >>> normalise("企业科\\n协").original_span(0, 4)
        (0, 5)
        """
        if not 0 <= start < end <= len(self.text):
            raise IndexError(f"{self.source_id}: span [{start}, {end}) outside 0..{len(self.text)}")
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1


def _flat_with_positions(original: str) -> tuple[str, np.ndarray]:
    positions = np.fromiter((i for i, ch in enumerate(original) if ch != "\n"), dtype=np.int64)
    return original.replace("\n", ""), positions


def _find_unique(flat: str, marker: str, where: str) -> int:
    first = flat.find(marker)
    if first < 0:
        raise TextError(f"{where}: marker not found after removing line breaks: {marker[:40]!r}")
    if flat.find(marker, first + 1) >= 0:
        raise TextError(f"{where}: marker occurs more than once; make it longer: {marker[:40]!r}")
    return first


def normalise(
    original: str,
    source_id: str = "",
    set_aside: Sequence[Mapping[str, str]] = (),
    truncated: bool = False,
    case: str = "",
    where: str = "",
) -> NormalisedText:
    """Normalise one text: drop every ``"\\n"`` and the ``set_aside`` spans; keep the offset map.

    ``set_aside`` items have ``start`` (verbatim marker, unique after removing line breaks),
    optional ``end`` (the span ends after its first occurrence at or after ``start``; omitted =
    to the end of the file), ``kind`` and ``note``.

    >>> nt = normalise("正文一\\n句。\\n图片说明 摄\\n", set_aside=[{"start": "图片说明", "kind": "page_residue"}])
    >>> nt.text, nt.offsets.tolist(), nt.set_aside[0].text
    ('正文一句。', [0, 1, 2, 4, 5], '图片说明 摄\\n')
    """
    where = where or (source_id or "text")
    flat, positions = _flat_with_positions(original)
    keep = np.ones(len(flat), dtype=bool)
    spans: list[SetAside] = []
    for number, item in enumerate(set_aside, start=1):
        item_where = f"{where}: set_aside #{number}"
        if "start" not in item or not item["start"]:
            raise TextError(f"{item_where}: needs a non-empty 'start' marker")
        begin = _find_unique(flat, item["start"], item_where)
        if item.get("end"):
            stop_at = flat.find(item["end"], begin)
            if stop_at < 0:
                raise TextError(f"{item_where}: end marker not found after the start marker: {item['end'][:40]!r}")
            stop = stop_at + len(item["end"])
            orig_stop = int(positions[stop - 1]) + 1
        else:
            stop = len(flat)
            orig_stop = len(original)
        if not keep[begin:stop].all():
            raise TextError(f"{item_where}: overlaps another set-aside span")
        keep[begin:stop] = False
        orig_begin = int(positions[begin])
        spans.append(
            SetAside(
                kind=str(item.get("kind", "page_residue")),
                start=orig_begin,
                end=orig_stop,
                text=original[orig_begin:orig_stop],
                note=str(item.get("note", "")),
            )
        )
    body = "".join(ch for ch, k in zip(flat, keep) if k)
    return NormalisedText(
        source_id=source_id,
        original=original,
        text=body,
        offsets=positions[keep],
        set_aside=tuple(sorted(spans, key=lambda s: s.start)),
        truncated=truncated,
        case=case,
    )


# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------


@dataclass
class Corpus:
    """Normalised documents by ``source_id``, in manifest order, with their metadata.

    Build it from the project's documents with :meth:`load` (cached by :func:`project_corpus`) or
    from small texts with :meth:`from_texts` (tests, examples).

    Examples
    --------
    >>> corpus = Corpus.from_texts({"s": "一句。"})
    >>> corpus["s"].text, corpus.source_ids
    ('一句。', ['s'])
    """

    docs: dict[str, NormalisedText]
    meta: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __getitem__(self, source_id: str) -> NormalisedText:
        try:
            return self.docs[source_id]
        except KeyError:
            raise TextError(f"unknown source_id {source_id!r}; valid: {', '.join(self.docs)}") from None

    def __iter__(self):
        return iter(self.docs.values())

    @property
    def source_ids(self) -> list[str]:
        """The source ids, in manifest order.

        Examples
        --------
        >>> Corpus.from_texts({"s": "一。", "t": "二。"}).source_ids
        ['s', 't']
        """
        return list(self.docs)

    def select(self, source_ids: Iterable[str] | None) -> list[NormalisedText]:
        """The documents named (all if ``None``), validating the names.

        Examples
        --------
        >>> [d.source_id for d in Corpus.from_texts({"s": "一。", "t": "二。"}).select("t")]
        ['t']
        """
        if source_ids is None:
            return list(self.docs.values())
        if isinstance(source_ids, str):
            source_ids = [source_ids]
        return [self[s] for s in source_ids]

    def full(self, source_id: str) -> NormalisedText:
        """The whole document with line breaks removed but nothing set aside.

        Examples
        --------
        >>> corpus = Corpus.from_texts({"s": "正文。署名"}, layout={"s": {"set_aside": [{"start": "署名"}]}})
        >>> corpus["s"].text, corpus.full("s").text
        ('正文。', '正文。署名')
        """
        doc = self[source_id]
        return normalise(doc.original, source_id=doc.source_id, case=doc.case, truncated=doc.truncated)

    @classmethod
    def from_texts(
        cls,
        texts: Mapping[str, str],
        cases: Mapping[str, str] | None = None,
        layout: Mapping[str, Mapping] | None = None,
    ) -> Corpus:
        """A corpus of small texts: ``{source_id: text}``; ``cases`` defaults to the source_id.

        Examples
        --------
        >>> Corpus.from_texts({"s": "一句。"}, cases={"s": "a"})["s"].case
        'a'
        """
        cases = dict(cases or {})
        layout = dict(layout or {})
        docs = {}
        for source_id, original in texts.items():
            rules = layout.get(source_id) or {}
            docs[source_id] = normalise(
                original,
                source_id=source_id,
                set_aside=rules.get("set_aside") or (),
                truncated=bool(rules.get("truncated", False)),
                case=cases.get(source_id, source_id),
            )
        meta = pd.DataFrame({"source_id": list(docs), "case": [d.case for d in docs.values()]})
        return cls(docs=docs, meta=meta)

    @classmethod
    def load(cls, documents: pd.DataFrame | None = None, layout: Mapping[str, Mapping] | None = None) -> Corpus:
        """The project's documents (:func:`kexie_research.data.load_documents`), normalised by the
        layout rules of :func:`kexie_research.data.load_text_layout` (both checked by the build).

        Examples
        --------
        >>> docs = pd.DataFrame({"source_id": ["s"], "case": ["a"], "text": ["正文。\\n署名"]})
        >>> Corpus.load(docs, {"s": {"set_aside": [{"start": "署名", "kind": "byline"}]}})["s"].text
        '正文。'
        """
        from kexie_research import data

        documents = documents if documents is not None else data.load_documents()
        layout = layout if layout is not None else data.load_text_layout()
        docs = {}
        for row in documents.itertuples(index=False):
            rules = layout.get(row.source_id) or {}
            docs[row.source_id] = normalise(
                row.text,
                source_id=row.source_id,
                set_aside=rules.get("set_aside") or (),
                truncated=bool(rules.get("truncated", False)),
                case=row.case,
                where=f"layout rules ({row.source_id})",
            )
        meta = documents.drop(columns=["text"]).reset_index(drop=True)
        return cls(docs=docs, meta=meta)


@lru_cache(maxsize=4)
def _project_corpus(processed_dir: str) -> Corpus:
    return Corpus.load()


def project_corpus() -> Corpus:
    """The project's documents, normalised (cached per data folder).

    Examples
    --------
    >>> corpus = project_corpus()
    >>> corpus.source_ids == corpus.meta["source_id"].tolist()
    True
    """
    return _project_corpus(str(config.processed_dir()))


def corpus_or_project(corpus: Corpus | None) -> Corpus:
    """``corpus``, or the project's corpus (:func:`project_corpus`) when it is None: the default of every
    text function.

    Examples
    --------
    >>> mine = Corpus.from_texts({"s": "正文。"})
    >>> corpus_or_project(mine) is mine
    True
    """
    return corpus if corpus is not None else project_corpus()


def set_aside_table(corpus: Corpus | None = None) -> pd.DataFrame:
    """Every set-aside span: source_id, kind, original offsets, its text (line breaks shown as ⏎), note.

    Examples
    --------
    >>> corpus = Corpus.from_texts({"s": "正文。署\\n名"}, layout={"s": {"set_aside": [{"start": "署名", "kind": "byline"}]}})
    >>> set_aside_table(corpus)[["kind", "start", "end", "text"]].values.tolist()
    [['byline', 3, 6, '署⏎名']]
    """
    rows = [
        {
            "source_id": d.source_id,
            "kind": s.kind,
            "start": s.start,
            "end": s.end,
            "text": s.text.strip("\n").replace("\n", "⏎"),
            "note": s.note,
        }
        for d in corpus_or_project(corpus)
        for s in d.set_aside
    ]
    return pd.DataFrame(rows, columns=["source_id", "kind", "start", "end", "text", "note"])


def corpus_summary(corpus: Corpus | None = None) -> pd.DataFrame:
    """Per document: characters in the file, body characters, set-aside characters, word tokens, truncated.

    Examples
    --------
    >>> corpus_summary(Corpus.from_texts({"s": "一句话。"}))[["body_chars", "word_tokens"]].values.tolist()
    [[4, 2]]
    """
    from kexie_research.analysis.tokens import tokenize

    corpus = corpus_or_project(corpus)
    rows = []
    for d in corpus:
        tokens = tokenize(d)
        rows.append(
            {
                "source_id": d.source_id,
                "case": d.case,
                "genre": _meta_value(corpus, d.source_id, "genre"),
                "file_chars": len(d.original),
                "body_chars": d.n_chars,
                "set_aside_chars": sum(len(s.text.replace("\n", "")) for s in d.set_aside),
                "word_tokens": int(tokens["is_word"].sum()),
                "truncated": d.truncated,
            }
        )
    return pd.DataFrame(rows)


def _meta_value(corpus: Corpus, source_id: str, column: str) -> str:
    meta = corpus.meta
    if column not in meta.columns or meta.empty:
        return ""
    hit = meta.loc[meta["source_id"] == source_id, column]
    return str(hit.iloc[0]) if len(hit) else ""


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence: a sentence ends after a run of 。！？；!? and any closing quotes.

    Headings that the layout printed without punctuation join the sentence that follows them (the
    line breaks that separated them are gone under the matching rule).

    >>> sentence_bounds("一句。“二句！”三")
    [(0, 3), (3, 8), (8, 9)]
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        if text[i] in _ENDERS:
            j = i + 1
            while j < n and (text[j] in _ENDERS or text[j] in _CLOSERS):
                j += 1
            bounds.append((start, j))
            start = i = j
            continue
        i += 1
    if start < n:
        bounds.append((start, n))
    return bounds


def sentences(corpus: Corpus | None = None, source_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per sentence of the normalised bodies, with original offsets.

    Examples
    --------
    >>> sentences(Corpus.from_texts({"s": "一句。二\\n句！"}))[["sentence_no", "offset", "sentence"]].values.tolist()
    [[1, 0, '一句。'], [2, 3, '二句！']]
    """
    rows = []
    for d in corpus_or_project(corpus).select(source_ids):
        for number, (s, e) in enumerate(sentence_bounds(d.text), start=1):
            o_start, o_end = d.original_span(s, e)
            rows.append(
                {
                    "source_id": d.source_id,
                    "case": d.case,
                    "sentence_no": number,
                    "start": s,
                    "end": e,
                    "offset": o_start,
                    "orig_end": o_end,
                    "sentence": d.text[s:e],
                }
            )
    return pd.DataFrame(
        rows, columns=["source_id", "case", "sentence_no", "start", "end", "offset", "orig_end", "sentence"]
    )
