"""Word tokens of the policy texts: a private jieba tokenizer with the project's domain dictionary
and lexicon, token spans with original offsets, and word-token counts (the trials of the tests).

:func:`get_tokenizer` builds a private :class:`jieba.Tokenizer` with the domain dictionary
(:func:`kexie_research.data.domain_terms_path`) and the lexicon terms; jieba's global dictionary is
never touched. The finished prefix dictionary is kept in the temporary folder
(``kexie-jieba-<key>.cache``, rebuilt whenever jieba, the domain dictionary or the lexicon changes),
and each body is segmented once per process.

Example::

    >>> from kexie_research.analysis.corpus import Corpus
    >>> tokens = tokenize(Corpus.from_texts({"s": "企业科协。"})["s"])
    >>> tokens["token"].tolist()
    ['企业科协', '。']
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kexie_research import config
from kexie_research.analysis.corpus import Corpus, NormalisedText, corpus_or_project

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import jieba

__all__ = ["get_tokenizer", "segment", "token_counts", "tokenize", "word_tokens"]

# Word tokens: at least one Han character, Latin letter or digit (punctuation and spaces are not words).
_WORDLIKE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbfA-Za-z0-9]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
# What jieba can hold as one token (its own block pattern, jieba.re_han_default); terms with other
# characters, e.g. 乡镇（街道）科协, are counted by substring only.
_JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")


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
    for part in (
        str(_TOKENIZER_CACHE_FORMAT),
        jieba.__version__,
        f"{default.st_size}:{default.st_mtime_ns}",
        "\0".join(extra),
    ):
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
        if not (
            isinstance(freq, dict) and isinstance(total, int) and isinstance(tags, dict) and isinstance(forced, list)
        ):
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


def get_tokenizer(dictionary: Path | None = None, extra_words: Iterable[str] | None = None) -> jieba.Tokenizer:
    """A private :class:`jieba.Tokenizer` with the domain dictionary and extra words (cached).

    By default the dictionary is the processed domain dictionary and the extra words are the
    emphasis-lexicon terms, so that every lexicon term jieba can hold as one token stays whole.

    Examples
    --------
    >>> get_tokenizer().lcut("企业科协")
    ['企业科协']
    """
    if dictionary is None and extra_words is None:
        return _default_tokenizer(str(config.processed_dir()))
    from kexie_research import data

    path = Path(dictionary) if dictionary else data.domain_terms_path()
    if extra_words is None:
        extra_words = data.load_lexicon()["term"].tolist()
    return _tokenizer(str(path), tuple(sorted(set(extra_words))))


@lru_cache(maxsize=4)
def _default_tokenizer(processed_dir: str):
    from kexie_research import data

    extra = data.load_lexicon()["term"].tolist()
    return _tokenizer(str(data.domain_terms_path()), tuple(sorted(set(extra))))


def tokenize(doc: NormalisedText, tokenizer=None, hmm: bool = True) -> pd.DataFrame:
    """jieba tokens of a normalised body: token, start, end, offset, orig_end, is_word.

    Spaces are dropped; punctuation is kept as tokens with ``is_word=False``.

    Examples
    --------
    >>> from kexie_research.analysis.corpus import normalise
    >>> tokenize(normalise("科协。"))[["token", "is_word"]].values.tolist()
    [['科协', True], ['。', False]]
    """
    if tokenizer is None:
        spans = _default_spans(str(config.processed_dir()), doc.text, hmm)
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
def _default_spans(processed_dir: str, text: str, hmm: bool) -> tuple[tuple[str, int, int], ...]:
    # Each document is segmented once per process: the summary, the word-token counts behind every
    # rate and the distinctive terms all tokenize the same bodies. Keyed by the text itself.
    return _spans(_default_tokenizer(processed_dir), text, hmm)


def segment(text: str, tokenizer=None, hmm: bool = True) -> list[str]:
    """The tokens of a plain string (after the matching rule), spaces dropped.

    >>> segment("推动企业科协和园区科协建设")
    ['推动', '企业科协', '和', '园区科协', '建设']
    """
    tokenizer = tokenizer if tokenizer is not None else get_tokenizer()
    return [w for w in tokenizer.lcut(text.replace("\n", ""), HMM=hmm) if w.strip()]


def _word_tokens(doc: NormalisedText) -> int:
    return int(tokenize(doc)["is_word"].sum())


@lru_cache(maxsize=64)
def _word_tokens_cached(source_id: str, text: str) -> int:
    # keyed by the text itself so that two corpora with the same source_id never collide
    return _word_tokens(NormalisedText(source_id, text, text, np.arange(len(text))))


def word_tokens(doc: NormalisedText) -> int:
    """Number of word tokens of a normalised body (the trials of the tests).

    Examples
    --------
    >>> from kexie_research.analysis.corpus import normalise
    >>> word_tokens(normalise("科协。"))
    1
    """
    return _word_tokens_cached(doc.source_id, doc.text)


# --------------------------------------------------------------------------------------------
# Distinctive terms: log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008)
# --------------------------------------------------------------------------------------------


def token_counts(corpus: Corpus | None = None, min_chars: int = 2) -> pd.DataFrame:
    """Word-token counts per document (rows: token, columns: source_id); tokens need a Han character
    and at least ``min_chars`` characters (drops particles and numbers).

    Examples
    --------
    >>> token_counts(Corpus.from_texts({"s": "科协科协。"})).loc["科协", "s"]
    np.int64(2)
    """
    corpus = corpus_or_project(corpus)
    series = {}
    for d in corpus:
        toks = tokenize(d)
        toks = toks[toks["is_word"] & toks["token"].str.len().ge(min_chars) & toks["token"].str.contains(_HAN.pattern)]
        series[d.source_id] = toks["token"].value_counts()
    return pd.DataFrame(series).fillna(0).astype(int)
