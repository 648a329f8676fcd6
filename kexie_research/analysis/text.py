"""Policy-text analysis of the five source documents: normalisation, segmentation, term rates,
policy emphasis, distinctive terms, keyword in context, and tests of rate differences.

**Normalisation.** The documents keep the hard line breaks of their print layout, often inside a
word. Text analysis works on a *normalised body*: every ``"\\n"`` removed (the project's matching
rule, :func:`kexie_research.parse.provenance.normalise_for_matching`) and the page residue listed in
``data/raw/text/layout.yaml`` (bylines, repeated headlines, photo captions, a split banner, a
colophon) set aside. Nothing else changes: punctuation, spaces and full-width characters stay, so
every normalised character has exactly one original character, and :attr:`NormalisedText.offsets`
maps it back to its offset in the file as received.

**Offsets of hits.** A hit's ``offset`` is the original offset of its first character and
``orig_end`` one past the original offset of its last character. ``original[offset:orig_end]`` is
the term with any layout line breaks that fall inside it; removing those gives the term back
(``original[offset:orig_end].replace("\\n", "") == term``, always). ``original[offset:offset +
len(term)] == term`` holds exactly when the hit has no line break inside (column
``line_break_inside`` is ``False``); the hits that straddle a layout line break are flagged rather
than hidden.

**Counting.** Terms are counted on the normalised body, leftmost-longest and non-overlapping over
the set of terms counted together: where 企业科协 and 企业 are both counted, 企业科协 is one hit of
企业科协 and none of 企业. Rates are per 10,000 characters of normalised body (every character,
punctuation included, line breaks and set-aside residue excluded). Tests use word tokens (jieba
segmentation with the project dictionary; punctuation and spaces are not word tokens) as the trials.

**Segmentation.** :func:`get_tokenizer` builds a private :class:`jieba.Tokenizer` with the domain
dictionary ``data/raw/text/domain_terms.txt`` and the lexicon terms; jieba's global dictionary is
never touched. The finished prefix dictionary is kept in the temporary folder
(``kexie-jieba-<key>.cache``, rebuilt whenever jieba, the domain dictionary or the lexicon changes),
and each body is segmented once per process.

Example::

    >>> from kexie_research import text
    >>> corpus = text.Corpus.from_texts({"a": "推动企业科\\n协建设。企业科协118个。"})
    >>> corpus["a"].text
    '推动企业科协建设。企业科协118个。'
    >>> hits = text.kwic("企业科协", corpus=corpus)
    >>> hits[["offset", "orig_end", "line_break_inside"]].values.tolist()
    [[2, 7, True], [10, 14, False]]
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import yaml

from kexie_research import config
from kexie_research.errors import KexieError

TEXT_DIR = "text"
DOMAIN_TERMS_NAME = "domain_terms.txt"
LEXICON_NAME = "emphasis_lexicon.yaml"
LAYOUT_NAME = "layout.yaml"

#: Stated beside every rate and every test of this module (in the returned DataFrame's
#: ``attrs["caveat"]``) and in the notebooks.
CAVEAT = (
    "One document per place, of different genres (signed article, news report, research notes, "
    "policy document, meeting report) and lengths (about 2,100 to 9,300 characters of body text). "
    "A rate describes how much a document talks about something, which depends on its genre, "
    "purpose and author as much as on the place's policy; the tests treat word tokens as "
    "independent trials, which they are not (words cluster in passages), so p-values are "
    "optimistic and serve only to say whether a difference is larger than document length "
    "alone would produce."
)

# Sentence ends: Chinese and ASCII terminal punctuation; closing quotes/brackets that follow
# belong to the sentence they close.
_ENDERS = set("。！？；!?")
_CLOSERS = set("”’」』）)】")
# Word tokens: at least one Han character, Latin letter or digit (punctuation and spaces are not words).
_WORDLIKE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbfA-Za-z0-9]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
# What jieba can hold as one token (its own block pattern, jieba.re_han_default); terms with other
# characters, e.g. 乡镇（街道）科协, are counted by substring only.
_JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
# jieba user-dictionary line: word [freq] [tag] (jieba.re_userdict)
_USERDICT_LINE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")


class TextError(KexieError):
    """A text resource (dictionary, lexicon, layout rules) or a query is invalid."""


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetAside:
    """A span of the original file left out of the normalised body (``[start, end)``, original offsets)."""

    kind: str
    start: int
    end: int
    text: str
    note: str = ""


@dataclass(frozen=True)
class NormalisedText:
    """A document's normalised body and the map back to the original file.

    ``text[i]`` is ``original[offsets[i]]`` for every ``i``.
    """

    source_id: str
    original: str
    text: str
    offsets: np.ndarray
    set_aside: tuple[SetAside, ...] = ()
    truncated: bool = False
    city: str = ""

    def __post_init__(self) -> None:
        if len(self.offsets) != len(self.text):
            raise TextError(f"{self.source_id}: offset map has {len(self.offsets)} entries for {len(self.text)} characters")

    @property
    def n_chars(self) -> int:
        """Characters of the normalised body (the denominator of rates per 10,000 characters)."""
        return len(self.text)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[offset, orig_end)`` of the normalised span ``[start, end)`` (``end > start``)."""
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
    city: str = "",
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
        city=city,
    )


def text_dir(raw_dir: Path | None = None) -> Path:
    """``data/raw/text``: domain dictionary, emphasis lexicon, layout rules."""
    return (Path(raw_dir) if raw_dir else config.raw_dir()) / TEXT_DIR


def load_layout(path: Path | None = None) -> dict[str, dict]:
    """The layout rules per source_id (``data/raw/text/layout.yaml``)."""
    path = Path(path) if path else text_dir() / LAYOUT_NAME
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TextError(f"{path}: cannot read layout rules: {exc}") from exc
    sources = content.get("sources")
    if not isinstance(sources, dict):
        raise TextError(f"{path}: expected a mapping 'sources: {{source_id: rules}}'")
    for source_id, rules in sources.items():
        for number, item in enumerate((rules or {}).get("set_aside") or [], start=1):
            if not isinstance(item, dict) or not item.get("start"):
                raise TextError(f"{path}: {source_id} set_aside #{number}: expected a mapping with a 'start' marker")
    return sources


# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------


@dataclass
class Corpus:
    """Normalised documents by ``source_id``, in manifest order, with their metadata.

    Build it from the project's documents with :meth:`load` (cached by :func:`project_corpus`) or
    from small texts with :meth:`from_texts` (tests, examples).
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
        return list(self.docs)

    def select(self, source_ids: Iterable[str] | None) -> list[NormalisedText]:
        """The documents named (all if ``None``), validating the names."""
        if source_ids is None:
            return list(self.docs.values())
        if isinstance(source_ids, str):
            source_ids = [source_ids]
        return [self[s] for s in source_ids]

    def full(self, source_id: str) -> NormalisedText:
        """The whole document with line breaks removed but nothing set aside."""
        doc = self[source_id]
        return normalise(doc.original, source_id=doc.source_id, city=doc.city, truncated=doc.truncated)

    @classmethod
    def from_texts(cls, texts: Mapping[str, str], cities: Mapping[str, str] | None = None,
                   layout: Mapping[str, Mapping] | None = None) -> Corpus:
        """A corpus of small texts: ``{source_id: text}``; ``cities`` defaults to the source_id."""
        cities = dict(cities or {})
        layout = dict(layout or {})
        docs = {}
        for source_id, original in texts.items():
            rules = layout.get(source_id) or {}
            docs[source_id] = normalise(
                original,
                source_id=source_id,
                set_aside=rules.get("set_aside") or (),
                truncated=bool(rules.get("truncated", False)),
                city=cities.get(source_id, source_id),
            )
        meta = pd.DataFrame({"source_id": list(docs), "city": [d.city for d in docs.values()]})
        return cls(docs=docs, meta=meta)

    @classmethod
    def load(cls, raw_dir: Path | None = None) -> Corpus:
        """The five project documents (checksums verified), normalised by ``layout.yaml``."""
        from kexie_research.steps.sources import load_documents

        documents = load_documents(raw_dir)
        layout_path = text_dir(raw_dir) / LAYOUT_NAME
        layout = load_layout(layout_path)
        unknown = sorted(set(layout) - set(documents["source_id"]))
        if unknown:
            raise TextError(f"{layout_path}: unknown source_id(s) {', '.join(unknown)}")
        docs = {}
        for row in documents.itertuples(index=False):
            rules = layout.get(row.source_id) or {}
            docs[row.source_id] = normalise(
                row.text,
                source_id=row.source_id,
                set_aside=rules.get("set_aside") or (),
                truncated=bool(rules.get("truncated", False)),
                city=row.city,
                where=f"{layout_path} ({row.source_id})",
            )
        meta = documents.drop(columns=["text"]).reset_index(drop=True)
        return cls(docs=docs, meta=meta)


@lru_cache(maxsize=4)
def _project_corpus(raw_dir: str) -> Corpus:
    return Corpus.load(Path(raw_dir))


def project_corpus() -> Corpus:
    """The project's five documents, normalised (cached per data folder)."""
    return _project_corpus(str(config.raw_dir()))


def _corpus(corpus: Corpus | None) -> Corpus:
    return corpus if corpus is not None else project_corpus()


def set_aside_table(corpus: Corpus | None = None) -> pd.DataFrame:
    """Every set-aside span: source_id, kind, original offsets, its text (line breaks shown as ⏎), note."""
    rows = [
        {"source_id": d.source_id, "kind": s.kind, "start": s.start, "end": s.end,
         "text": s.text.strip("\n").replace("\n", "⏎"), "note": s.note}
        for d in _corpus(corpus) for s in d.set_aside
    ]
    return pd.DataFrame(rows, columns=["source_id", "kind", "start", "end", "text", "note"])


def corpus_summary(corpus: Corpus | None = None) -> pd.DataFrame:
    """Per document: characters in the file, body characters, set-aside characters, word tokens, truncated."""
    corpus = _corpus(corpus)
    rows = []
    for d in corpus:
        tokens = tokenize(d)
        rows.append({
            "source_id": d.source_id,
            "city": d.city,
            "genre": _meta_value(corpus, d.source_id, "genre"),
            "file_chars": len(d.original),
            "body_chars": d.n_chars,
            "set_aside_chars": sum(len(s.text.replace("\n", "")) for s in d.set_aside),
            "word_tokens": int(tokens["is_word"].sum()),
            "truncated": d.truncated,
        })
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
    """One row per sentence of the normalised bodies, with original offsets."""
    rows = []
    for d in _corpus(corpus).select(source_ids):
        for number, (s, e) in enumerate(sentence_bounds(d.text), start=1):
            o_start, o_end = d.original_span(s, e)
            rows.append({"source_id": d.source_id, "city": d.city, "sentence_no": number, "start": s, "end": e,
                         "offset": o_start, "orig_end": o_end, "sentence": d.text[s:e]})
    return pd.DataFrame(rows, columns=["source_id", "city", "sentence_no", "start", "end", "offset", "orig_end", "sentence"])


# --------------------------------------------------------------------------------------------
# Dictionary, lexicon, tokenizer
# --------------------------------------------------------------------------------------------


def load_domain_terms(path: Path | None = None) -> list[str]:
    """The words of the domain dictionary (jieba user-dict format: ``word [freq] [tag]`` per line).

    Raises :class:`TextError` naming the file and line of a malformed or duplicate entry.
    """
    path = Path(path) if path else text_dir() / DOMAIN_TERMS_NAME
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise TextError(f"{path}: cannot read domain dictionary: {exc}") from exc
    words: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        match = _USERDICT_LINE.match(line)
        word = match.group(1).strip() if match else ""
        if not word or " " in word:
            raise TextError(f"{path} line {number}: expected 'word [freq] [tag]' (jieba user dictionary), got {raw!r}")
        if word in seen:
            raise TextError(f"{path} line {number}: duplicate word {word!r} (first on line {seen[word]})")
        seen[word] = number
        words.append(word)
    return words


def load_lexicon(path: Path | None = None, raw_dir: Path | None = None) -> pd.DataFrame:
    """The policy-emphasis lexicon as a tidy table: dimension, dimension_zh, dimension_en, term.

    Checks that every dimension is a dimension of the codebook, that terms are non-empty strings
    without line breaks, and that no term belongs to two dimensions (errors name file and entry).
    """
    from kexie_research.steps.codebook import load_codebook

    path = Path(path) if path else text_dir(raw_dir) / LEXICON_NAME
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TextError(f"{path}: cannot read lexicon: {exc}") from exc
    dims = load_codebook(raw_dir).dimensions
    entries = content.get("dimensions")
    if not isinstance(entries, dict) or not entries:
        raise TextError(f"{path}: expected a mapping 'dimensions: {{dimension_id: {{terms: [...]}}}}'")
    owner: dict[str, str] = {}
    rows = []
    for dimension, spec in entries.items():
        if dimension not in dims.index:
            raise TextError(f"{path}: unknown dimension {dimension!r}; valid (codebook): {', '.join(dims.index)}")
        terms = (spec or {}).get("terms") or []
        if not terms:
            raise TextError(f"{path}: dimension {dimension!r} has no terms")
        for term in terms:
            if not isinstance(term, str) or not term.strip() or "\n" in term:
                raise TextError(f"{path}: dimension {dimension!r}: invalid term {term!r} (non-empty text without line breaks expected)")
            if term in owner:
                raise TextError(f"{path}: term {term!r} is listed under {owner[term]!r} and {dimension!r}; a term belongs to one dimension")
            owner[term] = dimension
            rows.append({"dimension": dimension, "dimension_zh": dims.loc[dimension, "zh"],
                         "dimension_en": dims.loc[dimension, "en"], "term": term})
    return pd.DataFrame(rows, columns=["dimension", "dimension_zh", "dimension_en", "term"])


def dimension_terms(dimension: str, lexicon: pd.DataFrame | None = None) -> list[str]:
    """The lexicon terms of one dimension; :class:`TextError` listing the valid dimensions if unknown."""
    lexicon = lexicon if lexicon is not None else load_lexicon()
    valid = list(dict.fromkeys(lexicon["dimension"]))
    if dimension not in valid:
        raise TextError(f"unknown dimension {dimension!r}; valid: {', '.join(valid)}")
    return lexicon.loc[lexicon["dimension"] == dimension, "term"].tolist()


@lru_cache(maxsize=4)
def _tokenizer(dictionary: str, extra: tuple[str, ...]):
    import jieba

    # A private Tokenizer: its dictionary is its own, jieba.dt (the global one) is never changed.
    tokenizer = jieba.Tokenizer()
    key = _tokenizer_cache_key(dictionary, extra)
    if _restore_tokenizer(tokenizer, key):
        return tokenizer
    from jieba import finalseg

    forced_before = set(finalseg.Force_Split_Words)
    # jieba logs "Building prefix dict…" at DEBUG on first use; keep notebooks and tests quiet
    # without changing jieba's logger for anyone else.
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        tokenizer.initialize()
    finally:
        logger.setLevel(level)
    tokenizer.load_userdict(dictionary)
    for word in extra:
        if _JIEBA_BLOCK.fullmatch(word) and word not in tokenizer.FREQ:
            tokenizer.add_word(word)
    forced = sorted(set(finalseg.Force_Split_Words) - forced_before)
    _store_tokenizer(tokenizer, key, forced)
    return tokenizer


# The finished prefix dictionary (jieba's ~500,000 entries plus the domain dictionary and the lexicon)
# is kept in a marshal file next to jieba's own cache. jieba's initialize() reads its cache with
# marshal.load on a file object, ~1.5 s; marshal.loads of the bytes takes a quarter of that, and the
# user words need not be added again. The key covers jieba's version and dictionary, the domain
# dictionary's content and the extra words, so any change rebuilds it. marshal cannot run code.
_TOKENIZER_CACHE_FORMAT = 1


def _tokenizer_cache_key(dictionary: str, extra: tuple[str, ...]) -> str | None:
    import hashlib

    import jieba

    try:
        default = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME).stat()
        user = Path(dictionary).read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256()
    for part in (str(_TOKENIZER_CACHE_FORMAT), jieba.__version__, f"{default.st_size}:{default.st_mtime_ns}", "\0".join(extra)):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(user)
    return digest.hexdigest()[:24]


def _tokenizer_cache_path(key: str) -> Path:
    import tempfile

    return Path(tempfile.gettempdir()) / f"kexie-jieba-{key}.cache"


def _restore_tokenizer(tokenizer, key: str | None) -> bool:
    """Load a stored prefix dictionary into ``tokenizer``; False (build it) if there is none usable."""
    import marshal

    if key is None:
        return False
    try:
        state = marshal.loads(_tokenizer_cache_path(key).read_bytes())
        freq, total, tags, forced = state
        if not (isinstance(freq, dict) and isinstance(total, int) and isinstance(tags, dict) and isinstance(forced, list)):
            return False
    except (OSError, ValueError, EOFError, TypeError):
        return False
    from jieba import finalseg

    tokenizer.FREQ, tokenizer.total = freq, total
    tokenizer.user_word_tag_tab.update(tags)
    for word in forced:
        finalseg.add_force_split(word)
    tokenizer.initialized = True
    return True


def _store_tokenizer(tokenizer, key: str | None, forced: list[str]) -> None:
    import marshal
    import os
    import tempfile

    if key is None:
        return
    path = _tokenizer_cache_path(key)
    try:  # write-then-rename: a concurrent reader sees the old file or the whole new one
        fd, scratch = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            marshal.dump((tokenizer.FREQ, tokenizer.total, dict(tokenizer.user_word_tag_tab), forced), handle)
        os.replace(scratch, path)
    except OSError:  # a read-only temp folder only costs the next process the build
        logging.getLogger(__name__).debug("cannot store the tokenizer cache %s", path, exc_info=True)


def get_tokenizer(dictionary: Path | None = None, extra_words: Iterable[str] | None = None):
    """A private :class:`jieba.Tokenizer` with the domain dictionary and extra words (cached).

    By default the extra words are the emphasis-lexicon terms, so that every lexicon term jieba can
    hold as one token stays whole.
    """
    if dictionary is None and extra_words is None:
        return _default_tokenizer(str(config.raw_dir()))
    path = Path(dictionary) if dictionary else text_dir() / DOMAIN_TERMS_NAME
    load_domain_terms(path)  # validate with file/line errors before jieba reads it
    if extra_words is None:
        extra_words = load_lexicon()["term"].tolist() if (text_dir() / LEXICON_NAME).is_file() else []
    return _tokenizer(str(path), tuple(sorted(set(extra_words))))


@lru_cache(maxsize=4)
def _default_tokenizer(raw_dir: str):
    folder = text_dir(Path(raw_dir))
    path = folder / DOMAIN_TERMS_NAME
    load_domain_terms(path)
    extra = load_lexicon(raw_dir=Path(raw_dir))["term"].tolist() if (folder / LEXICON_NAME).is_file() else []
    return _tokenizer(str(path), tuple(sorted(set(extra))))


def tokenize(doc: NormalisedText, tokenizer=None, hmm: bool = True) -> pd.DataFrame:
    """jieba tokens of a normalised body: token, start, end, offset, orig_end, is_word.

    Spaces are dropped; punctuation is kept as tokens with ``is_word=False``.
    """
    if tokenizer is None:
        spans = _default_spans(str(config.raw_dir()), doc.text, hmm)
    else:
        spans = _spans(tokenizer, doc.text, hmm)
    rows = []
    for word, start, end in spans:
        o_start, o_end = doc.original_span(start, end)
        rows.append((word, start, end, o_start, o_end, bool(_WORDLIKE.search(word))))
    frame = pd.DataFrame(rows, columns=["token", "start", "end", "offset", "orig_end", "is_word"])
    frame.insert(0, "source_id", doc.source_id)
    return frame


def _spans(tokenizer, text: str, hmm: bool) -> tuple[tuple[str, int, int], ...]:
    """jieba's (token, start, end) of ``text``, spaces dropped."""
    return tuple((word, start, end) for word, start, end in tokenizer.tokenize(text, HMM=hmm) if word.strip())


@lru_cache(maxsize=64)
def _default_spans(raw_dir: str, text: str, hmm: bool) -> tuple[tuple[str, int, int], ...]:
    # Each document is segmented once per process: the summary, the word-token counts behind every
    # rate and the distinctive terms all tokenize the same bodies. Keyed by the text itself.
    return _spans(_default_tokenizer(raw_dir), text, hmm)


def segment(text: str, tokenizer=None, hmm: bool = True) -> list[str]:
    """The tokens of a plain string (after the matching rule), spaces dropped.

    >>> segment("推动企业科协和园区科协建设")                                    # doctest: +SKIP
    ['推动', '企业科协', '和', '园区科协', '建设']
    """
    tokenizer = tokenizer if tokenizer is not None else get_tokenizer()
    return [w for w in tokenizer.lcut(text.replace("\n", ""), HMM=hmm) if w.strip()]


# --------------------------------------------------------------------------------------------
# Term hits and frequencies
# --------------------------------------------------------------------------------------------


def check_terms(terms: str | Iterable[str]) -> list[str]:
    """Validate a term query: non-empty text(s) without line breaks; duplicates dropped, order kept.

    >>> check_terms(["企业科协", "园区科协", "企业科协"])
    ['企业科协', '园区科协']
    """
    return _check_terms(terms)


def _check_terms(terms: Iterable[str]) -> list[str]:
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
    terms = _check_terms(terms)
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


def _word_tokens(doc: NormalisedText) -> int:
    return int(tokenize(doc)["is_word"].sum())


@lru_cache(maxsize=64)
def _word_tokens_cached(source_id: str, text: str) -> int:
    # keyed by the text itself so that two corpora with the same source_id never collide
    return _word_tokens(NormalisedText(source_id, text, text, np.arange(len(text))))


def word_tokens(doc: NormalisedText) -> int:
    """Number of word tokens of a normalised body (the trials of the tests)."""
    return _word_tokens_cached(doc.source_id, doc.text)


def term_frequencies(
    terms: Iterable[str],
    corpus: Corpus | None = None,
    source_ids: Iterable[str] | None = None,
    overlap: str = "longest",
) -> pd.DataFrame:
    """Counts and rates of each term in each document (tidy: one row per source × term).

    Columns: source_id, city, term, count, body_chars, per_10k_chars, word_tokens, per_10k_tokens.
    Counting rule: see :func:`find_terms`. ``attrs["caveat"]`` states the genre/length caveat.
    """
    terms = _check_terms(terms)
    rows = []
    for d in _corpus(corpus).select(source_ids):
        hits = find_terms(d.text, terms, overlap=overlap)
        n_tok = word_tokens(d)
        for term in terms:
            count = sum(1 for _, _, t in hits if t == term)
            rows.append({"source_id": d.source_id, "city": d.city, "term": term, "count": count,
                         "body_chars": d.n_chars, "per_10k_chars": 1e4 * count / d.n_chars if d.n_chars else np.nan,
                         "word_tokens": n_tok, "per_10k_tokens": 1e4 * count / n_tok if n_tok else np.nan})
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
    Columns: source_id, city, dimension, dimension_zh, dimension_en, count, body_chars,
    per_10k_chars, word_tokens, per_10k_tokens, share_of_hits (of the document's lexicon hits).
    """
    lexicon = lexicon if lexicon is not None else load_lexicon()
    owner = dict(zip(lexicon["term"], lexicon["dimension"]))
    dims = lexicon.drop_duplicates("dimension")[["dimension", "dimension_zh", "dimension_en"]]
    rows = []
    for d in _corpus(corpus).select(source_ids):
        hits = find_terms(d.text, owner)
        per_dim = pd.Series([owner[t] for _, _, t in hits], dtype="object").value_counts()
        total = len(hits)
        n_tok = word_tokens(d)
        for dim in dims.itertuples(index=False):
            count = int(per_dim.get(dim.dimension, 0))
            rows.append({"source_id": d.source_id, "city": d.city, "dimension": dim.dimension,
                         "dimension_zh": dim.dimension_zh, "dimension_en": dim.dimension_en, "count": count,
                         "body_chars": d.n_chars, "per_10k_chars": 1e4 * count / d.n_chars,
                         "word_tokens": n_tok, "per_10k_tokens": 1e4 * count / n_tok,
                         "share_of_hits": count / total if total else np.nan})
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

    Columns: source_id, city, term, start/end (normalised body), offset/orig_end (original file),
    line_break_inside, original_span (``original[offset:orig_end]``, line breaks kept), left, match,
    right (``window`` normalised characters each side), sentence (the whole sentence, normalised),
    sentence_offset (original offset of the sentence's first character).

    ``original[offset:orig_end].replace("\\n", "") == term`` for every row; see the module
    docstring for hits with a line break inside. ``include_set_aside=True`` searches the whole
    file (residue included, line breaks removed).
    """
    terms = _check_terms([terms] if isinstance(terms, str) else terms)
    corpus = _corpus(corpus)
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
            rows.append({
                "source_id": d.source_id, "city": d.city, "term": term, "start": start, "end": end,
                "offset": o_start, "orig_end": o_end,
                "line_break_inside": "\n" in doc.original[o_start:o_end],
                "original_span": doc.original[o_start:o_end],
                "left": doc.text[max(0, start - window):start], "match": doc.text[start:end],
                "right": doc.text[end:end + window], "sentence": doc.text[s_start:s_end],
                "sentence_offset": int(doc.offsets[s_start]),
            })
    columns = ["source_id", "city", "term", "start", "end", "offset", "orig_end", "line_break_inside",
               "original_span", "left", "match", "right", "sentence", "sentence_offset"]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------------------------
# Distinctive terms: log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008)
# --------------------------------------------------------------------------------------------


def token_counts(corpus: Corpus | None = None, min_chars: int = 2) -> pd.DataFrame:
    """Word-token counts per document (rows: token, columns: source_id); tokens need a Han character
    and at least ``min_chars`` characters (drops particles and numbers)."""
    corpus = _corpus(corpus)
    series = {}
    for d in corpus:
        toks = tokenize(d)
        toks = toks[toks["is_word"] & toks["token"].str.len().ge(min_chars) & toks["token"].str.contains(_HAN.pattern)]
        series[d.source_id] = toks["token"].value_counts()
    return pd.DataFrame(series).fillna(0).astype(int)


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
    names). Returns the ``top`` words per document by z: source_id, city, term, count, count_rest,
    delta, se, z, rank.
    """
    corpus = _corpus(corpus)
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
        delta = (np.log((y_i + alpha) / (n_i + alpha0 - y_i - alpha))
                 - np.log((y_j + alpha) / (n_j + alpha0 - y_j - alpha)))
        se = np.sqrt(1.0 / (y_i + alpha) + 1.0 / (y_j + alpha))
        frame = pd.DataFrame({"term": counts.index, "count": y_i.values, "count_rest": y_j.values,
                              "delta": delta.values, "se": se.values, "z": (delta / se).values})
        frame = frame[frame["count"] >= min_count].sort_values(["z", "term"], ascending=[False, True]).head(top)
        frame.insert(0, "city", d.city)
        frame.insert(0, "source_id", d.source_id)
        frame["rank"] = range(1, len(frame) + 1)
        rows.append(frame)
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    out.attrs["caveat"] = CAVEAT
    out.attrs["method"] = f"log-odds ratio, informative Dirichlet prior (Monroe et al. 2008), alpha0 = {alpha0:.0f}"
    return out


def place_name_stems(corpus: Corpus | None = None) -> list[str]:
    """Names of the case places, their provinces and their county-level units without 省/市/区/县 (for
    ``exclude_containing``)."""
    from kexie_research.steps.places import load_places, short_name

    corpus = _corpus(corpus)
    names: set[str] = set()
    meta = corpus.meta
    for column in ("city_zh", "province_zh"):
        if column in meta.columns:
            names.update(meta[column].dropna())
    places = load_places()
    names.update(places.loc[places["city"].notna(), "name_zh"].dropna())
    stems = {stem for name in names if (stem := short_name(str(name)))}
    return sorted(stems)


# --------------------------------------------------------------------------------------------
# Statistics: rates with Wilson intervals, homogeneity tests, pairwise exact tests
# --------------------------------------------------------------------------------------------


def wilson_interval(count: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval of a proportion (statsmodels ``proportion_confint(method="wilson")``)."""
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

    Columns: source_id, city, hits, word_tokens, body_chars, per_10k_chars, per_10k_tokens,
    ci_low, ci_high (Wilson, per 10,000 word tokens), expected_if_length_only (hits shared out in
    proportion to word tokens), observed_over_expected. ``attrs``: caveat, terms, alpha.

    Caveat: one document per place, of different genres and lengths; see :data:`CAVEAT`.
    """
    terms = _check_terms(terms)
    freq = term_frequencies(terms, corpus=corpus, source_ids=source_ids)
    grouped = freq.groupby(["source_id", "city"], sort=False).agg(
        hits=("count", "sum"), word_tokens=("word_tokens", "first"), body_chars=("body_chars", "first")
    ).reset_index()
    total_hits, total_tokens = grouped["hits"].sum(), grouped["word_tokens"].sum()
    grouped["per_10k_chars"] = 1e4 * grouped["hits"] / grouped["body_chars"]
    grouped["per_10k_tokens"] = 1e4 * grouped["hits"] / grouped["word_tokens"]
    cis = [wilson_interval(h, n, alpha) for h, n in zip(grouped["hits"], grouped["word_tokens"])]
    grouped["ci_low"] = [1e4 * c[0] for c in cis]
    grouped["ci_high"] = [1e4 * c[1] for c in cis]
    grouped["expected_if_length_only"] = total_hits * grouped["word_tokens"] / total_tokens
    grouped["observed_over_expected"] = np.where(
        grouped["expected_if_length_only"] > 0, grouped["hits"] / grouped["expected_if_length_only"], np.nan)
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
                for v in range(0, min(cap, total - t) + 1):
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
        pieces = [np.column_stack([partial[used + v <= total], np.full((int((used + v <= total).sum()),), v)])
                  for v in range(0, min(cap, total) + 1)]
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
        rows.append({"test": "chi-square homogeneity", "comparison": " vs ".join(table["city"]),
                     "statistic": float(chi2), "df": int(dof), "p_value": float(p_chi), "p_holm": np.nan,
                     "odds_ratio": np.nan, "min_expected": float(expected.min()),
                     "method": "Pearson chi-square, hits vs other word tokens"})
        exact = exact_homogeneity_test(hits, tokens)
        rows.append({"test": "exact homogeneity", "comparison": " vs ".join(table["city"]),
                     "statistic": np.nan, "df": int(dof), "p_value": exact["p_value"], "p_holm": np.nan,
                     "odds_ratio": np.nan, "min_expected": float(expected.min()),
                     "method": f"Freeman-Halton exact conditional test ({exact['method']})"})
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
            pair_rows.append({"test": "Fisher exact 2x2", "comparison": f"{table['city'].iloc[i]} vs {table['city'].iloc[j]}",
                              "statistic": np.nan, "df": 1, "p_value": float(p), "odds_ratio": float(odds),
                              "min_expected": np.nan, "method": "two-sided, hits vs other word tokens"})
        if pair_rows:
            adjusted = multipletests([r["p_value"] for r in pair_rows], method="holm")[1]
            for r, adj in zip(pair_rows, adjusted):
                r["p_holm"] = float(adj)
        rows.extend(pair_rows)
    frame = pd.DataFrame(rows, columns=["test", "comparison", "statistic", "df", "p_value", "p_holm",
                                        "odds_ratio", "min_expected", "method"])
    frame.attrs.update({"caveat": CAVEAT, "terms": _check_terms(terms)})
    return frame


def emphasis_profile_test(corpus: Corpus | None = None, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Do the documents spread their lexicon hits differently over the dimensions?

    Chi-square test of the place × dimension table of lexicon hits (independent of document length,
    since it compares the mix of dimensions within each document), with Cramér's V and the smallest
    expected count. ``attrs["caveat"]`` as everywhere.
    """
    from scipy.stats import chi2_contingency
    from scipy.stats.contingency import association

    counts = emphasis_counts(corpus=corpus, lexicon=lexicon)
    table = counts.pivot_table(index="city", columns="dimension", values="count", aggfunc="sum", sort=False)
    table = table.loc[:, table.sum(axis=0) > 0]
    chi2, p, dof, expected = chi2_contingency(table.to_numpy())
    frame = pd.DataFrame([{
        "test": "chi-square independence (place x dimension)", "statistic": float(chi2), "df": int(dof),
        "p_value": float(p), "cramers_v": float(association(table.to_numpy(), method="cramer")),
        "min_expected": float(expected.min()), "share_expected_below_5": float((expected < 5).mean()),
    }])
    frame.attrs["caveat"] = CAVEAT
    return frame


__all__ = [
    "CAVEAT", "Corpus", "NormalisedText", "SetAside", "TextError", "check_terms", "corpus_summary", "dimension_terms",
    "distinctive_terms", "emphasis_counts", "emphasis_profile_test", "exact_homogeneity_test", "find_terms",
    "get_tokenizer", "kwic", "load_domain_terms", "load_layout", "load_lexicon", "normalise",
    "place_name_stems", "project_corpus", "segment", "sentence_bounds", "sentences", "set_aside_table",
    "term_frequencies", "term_rate_table", "term_rate_tests", "token_counts", "tokenize", "wilson_interval",
]
