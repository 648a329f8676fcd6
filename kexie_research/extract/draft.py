"""Draft coding rows from documents: one candidate row per number mention.

A draft has the coding sheet's columns (``data/raw/indicators/README.md``) so that a reviewed
draft becomes a sheet by dropping columns (:func:`to_sheet`), plus what a coder needs to review:

==================== ==============================================================================
column               meaning
==================== ==============================================================================
document             the file name
record_id            a draft id ``DR-000001`` …, numbered in the order of the draft (renumbered by
                     :func:`to_sheet`)
indicator_id         suggested from the codebook by keywords and unit; empty when unsure
scope_zh             the nearest place (or ``<place>科协``) named before the number in its sentence, as
                     written; ``全国``; else the document's place (see :mod:`.context`)
scope_level          national, provincial, city, county (from the resolved place's level)
raw_text             the number exactly as written (line breaks removed)
period_text          the nearest period cue before it in its sentence, as written
status               ``target`` on a target cue or a deadline, else ``achieved``
quote                the shortest clause that carries the number and its subject
note                 why a row is not a fact, how a series was split, the suggestion's score
value … qualifier    the parse (:func:`kexie_research.parse_quantity`)
offset               character offset of ``raw_text`` in the original file (line breaks counted)
kind                 fact, date, ordinal, name, document_number (:mod:`.classify`)
confidence           0–1, how likely the row is right as it stands (see :func:`confidence`)
admin_code           the code the scope resolved to
path                 the file as given on the command line
place_from           how the document's place was found: manifest, option, title, author, file, frequency, cited, none
date_from            how the document's date was found: manifest, option, text, none
period_from          where ``period_text`` was read: sentence, paragraph, title (or a heading), table,
                     document (the document's year, for a report of events), or empty
period_start, …end   ``period_text`` read by :func:`kexie_research.parse_period` against the document's
                     date (``YYYY-MM-DD``; empty when open or unresolved)
frame_indicator      the frame indicator suggested (:class:`.suggest.FrameSuggester`); empty when unsure
frame_confidence     0–1, the confidence of that suggestion
page                 for a PDF, the page (from 1) holding ``raw_text`` (:mod:`kexie_research.ingest.pages`)
==================== ==============================================================================

A document is read by :func:`kexie_research.ingest.convert_document`: a PDF's text layer, a web
page's main text, a Word file, or text in UTF-8 or GB18030 (a BOM dropped, line ends made LF);
offsets count in that converted text, the same text ``kexie add-source`` keeps as the document of
record.

Example::

    >>> extractor = Extractor.from_data()
    >>> rows = extractor.extract_text("2020年，藤县科协工作经费26万元。", document="x.txt", place_code="450400")
    >>> {k: rows[1][k] for k in ("raw_text", "scope_zh", "period_text", "status", "kind")}
    {'raw_text': '26万元', 'scope_zh': '藤县科协', 'period_text': '2020年', 'status': 'achieved', 'kind': 'fact'}
"""

from __future__ import annotations

import math
import os
import re
import stat
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kexie_research.errors import KexieError, ParseError
from kexie_research.extract.classify import classify
from kexie_research.extract.context import (
    CHANGE_CUES,
    clause_span,
    sentence_span,
    set_heading_ends,
    find_period,
    goal_before,
    names_an_event,
    period_cues,
    period_or_none,
    status_cue,
    status_of,
    topic_years,
)
from kexie_research.extract.docdate import dated, is_date_line, is_not_a_title, is_plan
from kexie_research.extract.mentions import Mention, find_mentions
from kexie_research.extract.scope import ScopeFinder
from kexie_research.extract.suggest import FrameSuggester, Suggester
from kexie_research.extract.tables import Column, Table, find_tables
from kexie_research.extract.units import read_units
from kexie_research.parse.periods import NOW_WORDS, Period, parse_period
from kexie_research.parse.quantities import Quantity, parse_quantity
from kexie_research.schemas.indicators import SHEET_COLUMNS

__all__ = ["DRAFT_COLUMNS", "DRAFT_ONLY_COLUMNS", "DocumentError", "Extractor", "confidence", "read_text"]

#: Columns of a draft, in order.
DRAFT_COLUMNS: tuple[str, ...] = (
    "document",
    "record_id",
    "indicator_id",
    "scope_zh",
    "scope_level",
    "raw_text",
    "period_text",
    "status",
    "quote",
    "note",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "offset",
    "kind",
    "confidence",
    "admin_code",
    "path",
    "frame_indicator",
    "frame_confidence",
    "page",
    "place_from",
    "date_from",
    "period_from",
    "period_start",
    "period_end",
)
#: Columns of a draft that a coding sheet does not have (derived, so the two lists cannot drift apart).
DRAFT_ONLY_COLUMNS: tuple[str, ...] = tuple(name for name in DRAFT_COLUMNS if name not in SHEET_COLUMNS)
# Characters before the clause, within its sentence, searched for indicator keywords.
_CONTEXT_BEFORE = 60
# 一个, 一批, 一支, 一项(否决): 一 with a classifier is more often an article or an idiom than a count.
_ARTICLE_LIKE = re.compile(r"^[一两][\u4e00-\u9fff]$")
_SERIES_SEPARATORS = ("、", "和", "及")


class DocumentError(KexieError):
    """A document cannot be read as UTF-8 text (names the file)."""


def read_text(path: Path) -> str:
    """The text of a document file (see the module docstring); :class:`DocumentError` naming it otherwise.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bad.txt"
    >>> _ = p.write_bytes(b"\\xff\\xff\\x00")
    >>> read_text(p)
    Traceback (most recent call last):
    ...
    kexie_research.extract.draft.DocumentError: ...bad.txt: neither UTF-8 nor GB18030 text (byte 0xff at position 0)
    """
    return read_document(path)[0]


def read_document(path: Path) -> tuple[str, tuple[int, ...]]:
    """The text of a document file and, for a PDF, the offsets where its pages start.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes("科协\\r\\n".encode("gb18030"))
    >>> read_document(p)
    ('科协\\n', ())
    """
    from kexie_research.ingest import convert_document

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block the read forever
            raise DocumentError(f"{path}: not a regular file (a pipe, socket or device); a document is a file")
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text, conversion = convert_document(path)
    except KexieError as exc:
        raise DocumentError(str(exc)) from None
    return text, conversion.page_starts


def confidence(kind: str, mention: Mention, indicator_id: str) -> float:
    """How likely a candidate row is right as it stands, from 0 to 1.

    A fact read with a classifier scores 0.8 (a generic 个 0.7), a bare number 0.4, and an
    article-like 一个 / 一条 0.3; a suggested indicator adds 0.15. Rows flagged as not a fact
    score 0.9 (the flag rules are narrow). A row whose text does not parse scores 0.1.

    Examples
    --------
    >>> from kexie_research.extract.mentions import find_mentions
    >>> confidence("fact", find_mentions("共3个")[0], "x")
    0.85
    """
    if kind != "fact":
        return 0.9
    quantity = mention.quantity
    if quantity is None:
        return 0.1
    if _ARTICLE_LIKE.match(mention.raw):
        score = 0.3
    elif quantity.unit == "number":
        score = 0.4
    elif quantity.unit == "count":
        score = 0.7
    else:
        score = 0.8
    if indicator_id:
        score += 0.15
    return round(min(score, 0.99), 2)


class _OffsetMap:
    """Flat offsets (line breaks removed) -> offsets in the original text, and line starts."""

    def __init__(self, text: str) -> None:
        self._flat_at: list[int] = []  # flat offset after each run of line breaks
        self._removed: list[int] = []  # line breaks removed up to and including that run
        removed = 0
        for run in re.finditer("\n+", text):
            removed += run.end() - run.start()
            self._flat_at.append(run.end() - removed)
            self._removed.append(removed)
        self.line_starts = frozenset([0, *self._flat_at])

    def original(self, flat_offset: int) -> int:
        index = bisect_right(self._flat_at, flat_offset) - 1
        return flat_offset + (self._removed[index] if index >= 0 else 0)


def _number(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


@dataclass
class Extractor:
    """Turns texts into draft rows; holds the codebook suggester and the place scope finder.

    Build it once per process (:meth:`from_data`); it is cheap to call for each document.

    Examples
    --------
    >>> extractor = Extractor.from_data()
    >>> [r["raw_text"] for r in extractor.extract_text("近3年共培训农民3200余人。", place_code="450400")]
    ['近3年', '3200余人']
    """

    suggester: Suggester
    scopes: ScopeFinder
    raw_dir: Path | None = None
    frames: FrameSuggester | None = None

    @cached_property
    def _numeral_places(self) -> re.Pattern[str] | None:
        """Place names of the division reference written with a numeral (三门峡市, 七台河, 十堰市), of
        three characters or more (a two-character short name such as 三明 is a common word too)."""
        names = [name for name in self.scopes.index.names() if len(name) >= 3 and _NUMERAL_CHAR.search(name)]
        return re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True)))) if names else None

    @classmethod
    def from_data(cls, raw_dir: Path | str | None = None) -> Extractor:
        """An extractor over the project's codebook and place reference."""
        raw = Path(raw_dir) if raw_dir else None
        return cls(Suggester.from_data(raw), ScopeFinder.from_data(raw), raw, FrameSuggester.from_data(raw))

    def extract_text(
        self,
        text: str,
        document: str = "",
        place_code: str | None = None,
        reference_date: str | None = None,
        path: str = "",
        case: str | None = None,
        place_from: str | None = None,
        date_from: str | None = None,
    ) -> list[dict[str, Any]]:
        """Draft rows of one text, in order of position (``record_id`` left empty).

        Parameters
        ----------
        text
            The document as read from its file.
        document
            Its file name (the ``document`` column).
        place_code
            The document's place (admin code); ``None`` infers it from the title, an author line
            or the place names the text mentions most (``place_from`` says which).
        reference_date
            The document's date ``YYYY-MM-DD`` for relative periods (``近3年``, ``目前``); ``None``
            reads it from the text when it gives one (``date_from`` says so).
        path
            The file as given (the ``path`` column).
        case
            The document's case (``wuzhou`` …) when it is a source of the manifest: scopes then
            resolve among that case's places and places of no case, as in the build.
        place_from, date_from
            How ``place_code`` and ``reference_date`` were given (default ``option`` when given).

        Examples
        --------
        >>> rows = Extractor.from_data().extract_text("第二批试点共12个。", place_code="450400")
        >>> [(r["raw_text"], r["kind"]) for r in rows]
        [('二批', 'ordinal'), ('12个', 'fact')]
        """
        original = text
        text = _simplified(text)  # read in simplified characters; quotes and raw_text stay as written
        flat = text.replace("\n", "")
        offsets = _OffsetMap(text)
        tables = find_tables(text) if ("\t" in text or "|" in text or "  " in text or "\u3000" in text) else []
        layout = lines(text)
        mentions = read_units(flat, _with_table_cells(_split_at_headings(flat, layout), tables))
        if not mentions:
            return []
        if place_code is not None:
            place_from = place_from or "option"
        else:
            place_code, place_from = self.scopes.document_place(text, case, file_name=document or path)
        event_date = None
        if reference_date is not None:
            date_from = date_from or "option"
        else:
            reference_date, how = dated(text)
            date_from = "text" if reference_date else "none"
            event_date = reference_date if how == "event" else None
        # A heading ends its sentence although no mark ends it (the title above the first sentence).
        crossing = {position for mention in mentions for position in range(mention.start, mention.end - 1)}
        ends = [end - 1 for start, end, heading in layout if heading and end > start and end - 1 not in crossing]
        # …的一行\n二、科技工作者之家(10个): a heading also ends the line above it
        ends += [start - 1 for start, end, heading in layout if heading and start > 0 and start - 1 not in crossing]
        ends += [
            row[-1].end - 1 for table in tables for row in (table.header, *table.rows) if row
        ]  # a row is a sentence
        set_heading_ends(flat, tuple(ends))
        try:
            rows = self._rows(
                text,
                flat,
                offsets,
                tables,
                mentions,
                layout,
                document,
                place_code,
                place_from,
                reference_date,
                date_from,
                path,
                case,
                event_date,
            )
        finally:
            set_heading_ends(flat, None)
        if original is not text:
            written = original.replace("\n", "")
            for row, mention in zip(rows, mentions):
                row["raw_text"] = written[mention.start : mention.end]
                start = flat.find(row["quote"], max(0, mention.start - len(row["quote"])))
                row["quote"] = written[start : start + len(row["quote"])] if start >= 0 else row["quote"]
        return rows

    def _rows(
        self,
        text,
        flat,
        offsets,
        tables,
        mentions,
        layout,
        document,
        place_code,
        place_from,
        reference_date,
        date_from,
        path,
        case,
        event_date=None,
    ) -> list[dict[str, Any]]:
        cues = period_cues(flat, reference_date)
        names = self.scopes.names(flat, (place_code,))
        kinds = self._kinds(flat, offsets, mentions, layout, cues)
        series = _series(flat, mentions, kinds, cues)
        context = _DocumentContext(text, flat, cues, reference_date, layout, event_date)
        rows = []
        for index, (mention, kind) in enumerate(zip(mentions, kinds)):
            candidate = _candidate(flat, tables, mention, kind)
            _period_and_status(candidate, flat, cues, reference_date, series.get(index))
            _read_table_column(candidate)
            _carry_period(candidate, flat, context, reference_date)
            _settle_status(candidate, flat, context)
            scope = self.scopes.scope(flat, mention.start, place_code, names, case)
            suggestions = self._suggestions(candidate, flat)
            rows.append(
                _row(
                    candidate,
                    flat,
                    offsets,
                    context,
                    scope,
                    suggestions,
                    document=document,
                    path=path,
                    place_from=place_from,
                    date_from=date_from,
                )
            )
        return rows

    def _kinds(
        self,
        flat: str,
        offsets: _OffsetMap,
        mentions: list[Mention],
        layout: list[tuple[int, int, bool]],
        cues: list[tuple[int, int, str]],
    ) -> list[str]:
        """The kind of each mention: :func:`classify` alone, then the passes that read mentions together."""
        kinds = [classify(flat, mention, offsets.line_starts) for mention in mentions]
        kinds = _durations_are_dates(mentions, kinds, cues, flat)
        kinds = _furniture_is_not_a_fact(flat, mentions, kinds, layout)
        return _inside_place_names(flat, mentions, kinds, self._numeral_places)

    def _suggestions(self, candidate: _Candidate, flat: str) -> tuple[str, str, float]:
        """(indicator_id, frame_indicator, frame_confidence) suggested for a fact, empty for any other kind."""
        if candidate.kind != "fact":
            candidate.notes.append(f"not a fact: {candidate.kind}")
            return "", "", 0.0
        mention, unit = candidate.mention, candidate.quantity.unit if candidate.quantity else None
        clause_start, clause_end = candidate.clause_start, candidate.clause_end
        clause = flat[clause_start:clause_end]
        # Keywords may sit anywhere before the number in its sentence (…的工作经费看，藤县科协26万元).
        sentence_start, sentence_end = sentence_span(flat, mention.start)
        before = flat[max(sentence_start, clause_start - _CONTEXT_BEFORE) : clause_start]
        indicator_id, score = self.suggester.suggest(clause, unit, before)
        if indicator_id:
            candidate.notes.append(f"indicator suggested by keywords (score {score})")
        frame_id, frame_confidence = ("", 0.0)
        if self.frames is not None:
            frame_id, frame_confidence = self.frames.suggest(
                clause,
                mention.raw,
                unit,
                before,
                indicator_id,
                score,
                at=mention.start - clause_start,
                following=flat[clause_end : min(sentence_end, clause_end + _CONTEXT_BEFORE)],
            )
        return indicator_id, frame_id, frame_confidence

    def extract_file(
        self, path: Path | str, place_code: str | None = None, reference_date: str | None = None
    ) -> list[dict[str, Any]]:
        """Draft rows of one document file; :class:`DocumentError` if it cannot be read.

        A file of the project's manifest (``data/raw/sources.yaml``) takes its place and
        reference date from there unless they are given.
        """
        return self.extract_sized(path, place_code, reference_date)[0]

    def extract_sized(
        self, path: Path | str, place_code: str | None = None, reference_date: str | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """Like :meth:`extract_file`, also returning the number of characters of the document."""
        path = Path(path)
        text, page_starts = read_document(path)
        from kexie_research.extract.resources import source_of_file

        source = source_of_file(path, self.raw_dir)  # only the manifest's own file, not a namesake
        case = None
        place_from = "option" if place_code else None
        date_from = "option" if reference_date else None
        if source is not None:
            if not place_code and source.get("admin_code"):
                place_code, place_from = source["admin_code"], "manifest"
            if not reference_date and source.get("reference_date"):
                reference_date, date_from = source["reference_date"], "manifest"
            case = source.get("case") or None
            # the text of record of a converted PDF: its pages are those recorded at conversion
            page_starts = page_starts or tuple((source.get("conversion") or {}).get("page_starts") or ())
        rows = self.extract_text(
            text,
            document=path.name,
            place_code=place_code,
            reference_date=reference_date,
            path=str(path),
            case=case,
            place_from=place_from,
            date_from=date_from,
        )
        from kexie_research.ingest.pages import page_of

        for row in rows:
            row["page"] = page_of(page_starts, row["offset"])
        return rows, len(text)


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    """``text`` in simplified characters, character for character (the same offsets), or ``text``
    itself when it has no traditional characters or the conversion would change its length.

    Examples
    --------
    >>> _simplified("縣科協累計培訓3000人"), _simplified("县科协") == "县科协"
    ('县科协累计培训3000人', True)
    """
    table, traditional = _traditional()
    if traditional.search(text) is None:  # most documents: one scan in C, no conversion
        return text
    converted = _converter().convert(text)
    if len(converted) != len(text):  # a phrase rule changed the length: convert character by character
        converted = text.translate(table)
    return converted


@lru_cache(maxsize=1)
def _traditional():
    """The characters OpenCC changes one for one (a translation table) and a pattern finding any of them."""
    chars = [chr(code) for code in range(0x4E00, 0xA000)]
    # One call for all characters, each on its own line so that no phrase rule joins two of them.
    converted = _converter().convert("\n".join(chars)).split("\n")
    table = {}
    if len(converted) == len(chars):
        table = {ord(char): new for char, new in zip(chars, converted) if new != char and len(new) == 1}
    return table, re.compile("[" + re.escape("".join(chr(code) for code in table)) + "]")


# A heading: a short line of its own, not ending a sentence (一、2020年工作回顾 / 2019年主要成效).
_HEADING_LENGTH = 40
_TOPIC_CUE_SLACK = 3


_HEADING_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|第[一二三四五六七八九十\d]+[章节部分])"
)
_DATE_LINE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")  # 发布时间：2021-09-11
_ENDS_CLAUSE = "。！？!?；;，,：:、"


def lines(text: str) -> list[tuple[int, int, bool]]:
    r"""The non-empty lines of a text: (flat start, flat end, is a heading or the title).

    A heading is a short line (at most 40 characters) not ending in punctuation. In a text of
    paragraphs written one per line, any such line is one; in a text wrapped at a fixed width
    (most lines short) only one that stands between blank lines or is numbered (``一、``, ``（二）``).

    Examples
    --------
    >>> lines("县科协2020年工作总结\n一、主要成效\n2020年，全县培训农民3000人，建成示范村12个，新增会员500人，举办讲座30场。")
    [(0, 12, True), (12, 18, True), (18, 62, False)]
    """
    raw = text.split("\n")
    lengths = sorted(len(line.strip()) for line in raw if line.strip())
    # Wrapped at a fixed width: even the longer lines are short (headings alone do not make a text wrapped).
    wrapped = bool(lengths) and lengths[(len(lengths) * 4) // 5] <= _HEADING_LENGTH
    # Blank lines between all lines (a layout that doubles every line break) say nothing of headings.
    isolated = sum(
        1
        for number, line in enumerate(raw)
        if line.strip()
        and (number == 0 or not raw[number - 1].strip())
        and (number + 1 == len(raw) or not raw[number + 1].strip())
    )
    blank_marks_headings = isolated * 2 <= len(lengths)
    out: list[tuple[int, int, bool]] = []
    titled = False  # the title is the first line that is not a date line
    position = 0
    for number, line in enumerate(raw):
        stripped = line.strip()
        if stripped:
            heading = False
            if is_date_line(stripped):
                out.append((position, position + len(line), True))  # a date line ends its own sentence
                position += len(line)
                continue
            short = len(stripped) <= (2 * _HEADING_LENGTH if not titled else _HEADING_LENGTH)  # a title may be longer
            if short and stripped[-1] not in _ENDS_CLAUSE and "，" not in stripped:
                # Wrapped at a fixed width, a short line is most often a piece of a sentence: only one
                # standing between blank lines (or a date line) is a heading.
                if not titled or not wrapped or _DATE_LINE.search(stripped) or _HEADING_NUMBER.match(stripped):
                    heading = True
                else:
                    blank_before = number == 0 or not raw[number - 1].strip()
                    blank_after = number + 1 >= len(raw) or not raw[number + 1].strip()
                    heading = blank_before and blank_after and blank_marks_headings
            out.append((position, position + len(line), heading))
            # a line of furniture above the title (监督索引号…, 联系人：… 139…) leaves the title to come
            titled = titled or not (heading and is_not_a_title(stripped))
        position += len(line)
    return out


def _section_of(heading: str) -> str:
    """``achieved``, ``target`` or ``""``: what a heading says its numbers are (see ``section``)."""
    if _RESULT_HEADING.search(heading):
        return "achieved"
    if _PLAN_HEADING.search(heading):
        return "target"
    return ""


# A numbered heading inside a line, followed by a space: （二）机构设置 根据…, 三、工作计划 …
# (The start is tested after the first character, ``(?<![^\s。|].)``, so that the pattern opens with a
# character class the engine skips to, rather than trying a look-behind at every position.)
_INLINE_HEADING = re.compile(
    r"(?:[一二三四五六七八九十](?<![^\s。|].)[一二三四五六七八九十]*、|[（(](?<![^\s。|].)[一二三四五六七八九十]+[）)])\s*"
    r"(?P<text>[\u4e00-\u9fff]{2,14})(?=\s)"
)
# A column of what was done (上年执行数, 决算数, 实际完成) and a column of a year named relative to the document's.
_DONE_HEADER = re.compile(r"执行|决算|实际|完成|实到")
_RELATIVE_HEADER = re.compile(r"上年度|上年|去年|本年度|本年|今年")
# Headings that say what the numbers below them are: plans and goals, or results.
_PLAN_HEADING = re.compile(r"计划|打算|思路|设想|目标|安排|展望|任务|重点工作|工作要点|预算")
_RESULT_HEADING = re.compile(
    r"回顾|成效|成绩|成果|完成情况|执行情况|进展|总结|基本情况|现状|决算|取得|"
    r"机构设置|基本职能|主要职责|职能职责|人员情况|概况"
)
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)年")
_NAMES_A_YEAR = re.compile(r"(?:19|20)\d\d(?=年)")
_TITLE_SPAN = re.compile(r"(?:19|20)\d\d\s*年?\s*[-—~至到]")
_HAS_NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万]+[个项名人家次场]")
# Within a paragraph a coder also carries a duration (一年来，…) and the present (目前，截至目前).
_PARAGRAPH_KINDS = frozenset({"recent_years", "recent_months"})
_NOW_CARRIED = frozenset({"目前", "截至目前", "截止目前", "到目前为止", "目前为止", "截至目前为止", "当前", "现阶段"})
# The stretches a news lead states for the whole item (since a start, up to now).
_LEAD_KINDS = frozenset({"since"})
_CARRIED_KINDS = frozenset(
    {"year", "year_end", "month", "day", "half_year", "span", "since", "as_of", "target", "plan", "relative_year"}
)


class _DocumentContext:
    """Where a coder looks for a sentence's period when it states none: the paragraph, a heading, the
    title, the document's year (see :meth:`carry`)."""

    def __init__(
        self,
        text: str,
        flat: str,
        cues: list[tuple[int, int, str]],
        reference_date: str | None,
        lines: list[tuple[int, int, bool]],
        event_date: str | None = None,
    ) -> None:
        self.event_date = event_date
        self.flat = flat
        self.cues = cues
        self.reference_date = reference_date
        self.lines = lines
        self._starts = [start for start, _, _ in self.lines]
        self._cue_starts = [start for start, _, _ in cues]
        self.plan = is_plan(text)
        titles = [
            number
            for number, (start, end, heading) in enumerate(lines)
            if heading and not is_date_line(flat[start:end])
        ]
        self._title_line = titles[0] if titles else -1
        if (
            len(titles) > 1
            and titles[1] == titles[0] + 1
            and is_not_a_title(flat[lines[titles[0]][0] : lines[titles[0]][1]])
        ):
            self._title_line = titles[1]  # 监督索引号…, 联系人：… above the title
        # The event date that opens the body (凤台县9月18日举办… / 2018年9月16日上午，…): a news item's
        # facts are that event's, dated by that day.
        self.event_cue = None
        self.lead_cue = None
        opening_year = ""  # 2017年，北京市科协…: the year the body opens with
        body = next(((start, end) for start, end, heading in lines if not heading), None)
        if body is not None and not self.plan:
            opening_end = sentence_span(flat, body[0])[1]
            # The stretch a news lead reports (自2012年启动建设至今，…突破10亿人次): the time of the
            # item's figures that state none of their own.
            for cue in self._cues_in(body[0], opening_end):
                period = period_or_none(cue[2], reference_date)
                if period is not None and period.kind in _LEAD_KINDS and _HAS_NUMBER.search(flat, cue[1], opening_end):
                    self.lead_cue = cue[2]  # (a trend since a year, 自2016年开始…保持增长。, holds no count)
                    break
            for cue in self._cues_in(body[0], min(opening_end, body[0] + 40)):
                period = period_or_none(cue[2], reference_date)
                if period is not None and period.kind == "day":
                    self.event_cue = cue[2]
                    break
                if period is not None and period.kind == "year" and cue[0] - body[0] <= _TOPIC_CUE_SLACK:
                    opening_year = (period.start or "")[:4]
        # A report of the events of one year: not a plan, and at least half of the years it names
        # are its own (a retrospective over 2017–2021 does not date every sentence by its date).
        # The year a report is about: the one year it names most, when at least half of the years it
        # names are that one (a statistics report of 2017 published in 2018); else the year of its date.
        # (not a date line's year, a comparison's base, the start of a stretch nor a deadline)
        published = tuple((start, end) for start, end, heading in lines if heading and is_date_line(flat[start:end]))
        years = topic_years(flat, cues, reference_date, published)
        dominant = max(set(years), key=lambda y: (years.count(y), y)) if years else ""
        # A news item of one event names (almost) only the event's year; an article that opens with a
        # day and then tells of other years (2020年7月28日，…试点启动。2021年1月…) is not one.
        if self.event_cue is not None and not self._one_event(period_or_none(self.event_cue, reference_date), years):
            self.event_cue = None
        if self.event_date is not None and years and 2 * years.count(self.event_date[:4]) < len(years):
            self.event_date = None
        title = flat[lines[self._title_line][0] : lines[self._title_line][1]] if self._title_line >= 0 else ""
        not_ahead = not reference_date or dominant <= reference_date[:4]  # not a plan's year to come
        just_before = bool(reference_date and dominant and 0 <= int(reference_date[:4]) - int(dominant) <= 1)
        if (
            dominant
            and 2 * years.count(dominant) >= len(years)
            and (
                dominant == opening_year
                or (years.count(dominant) >= 2 and (dominant in title or just_before))
                or (len(set(years)) == 1 and not_ahead)
            )
        ):
            # the year it opens with, the year it names at least twice in its title or in the year of
            # its date or the year before (a review of 2023 published in 2024), or the one year it
            # names (近日，…公布2014年…名单)
            self.own_year = dominant
        else:
            # (a text whose only years start a stretch, 自2012年启动至今, is not of its date's year)
            self.own_year = reference_date[:4] if reference_date and not _NAMES_A_YEAR.search(flat) else ""
        self.report = bool(self.own_year) and not self.plan
        # A plan or an application naming one year (not one already past) asks for that year's numbers.
        named = set(years)
        self.plan_year = (
            named.pop()
            if self.plan and len(named) == 1 and (not reference_date or min(named) >= reference_date[:4])
            else ""
        )
        # numbered headings run into their lines (（二）机构设置 根据…): (start, what they say), once per text
        self._inline = [(m.start(), _section_of(m.group("text"))) for m in _INLINE_HEADING.finditer(flat)]
        self._inline_starts = [start for start, _ in self._inline]
        # Undated, the document's year is still known when its title names one year (县科协2019年工作
        # 总结): a day, a month or 今年 without a year is of that year; an open bound stays open.
        title_years = set(_TITLE_YEAR.findall(title)) if not reference_date else set()
        self.document_year = title_years.pop() if len(title_years) == 1 and not _TITLE_SPAN.search(title) else ""
        if not reference_date and not self.document_year and body is not None and not self.plan:
            # no year in the title: a news lead naming one event year (2021年全国科普日之际，…) is the
            # document's year too (not a year it reviews: 2020年…成效, nor a stretch's start)
            lead_end = sentence_span(flat, body[0])[1]
            lead_years = {
                year
                for start, end, text in self._cues_in(body[0], lead_end)
                if names_an_event(flat, start, text) and (year := (period_or_none(text, None).start or "")[:4])
            }
            self.document_year = lead_years.pop() if len(lead_years) == 1 else ""
        event = self.bounds(self.event_cue) if self.event_cue is not None else None
        if self.event_cue is not None and self.report and (event is None or not event.start):
            self.event_cue = None  # an event day with no year to give it (1月26日): the report's year dates more

    def now(self, period_text: str) -> bool:
        """Whether ``period_text`` is the present (目前, 现, 截至目前): what a plan or a budget states
        as existing (现拥有学会44家) is its state, not a goal."""
        found = period_or_none(period_text, self.reference_date) if period_text else None
        return (
            found is not None
            and found.kind == "as_of"
            and not re.search(r"\d|[〇零一二三四五六七八九]年|底|末", period_text)
        )

    def ahead(self, period_text: str) -> bool:
        """Whether ``period_text`` is a deadline or ends after the document's date (a time to come)."""
        found = self.bounds(period_text) if period_text else None
        if found is None:
            return False
        return found.is_target or bool(self.reference_date and found.end and found.end > self.reference_date)

    def past(self, period_text: str) -> bool:
        """Whether ``period_text`` ends before the document's date (undated: before its title's year):
        in a plan, that is its baseline (2020年…为10.56%, written in 2021), not a goal."""
        found = self.bounds(period_text) if period_text else None
        if found is None or not found.end:
            return False
        if self.reference_date:
            return found.end < self.reference_date
        return bool(self.document_year) and found.end < f"{self.document_year}-01-01"

    def _holds_event(self, cue_text: str) -> bool:
        """Whether the period ``cue_text`` holds the event day (a year around its day)."""
        period, event = (
            period_or_none(cue_text, self.reference_date),
            period_or_none(self.event_cue or "", self.reference_date),
        )
        return (
            period is not None
            and event is not None
            and period.kind == "year"
            and bool(event.start)
            and period.start <= event.start
            and event.end <= period.end
        )

    @staticmethod
    def _one_event(event: Period | None, years: list[str]) -> bool:
        """Whether the years a text names are at least half its event's (the opening day's) year."""
        if not years:
            return True
        year = (event.start or "")[:4] if event is not None else ""
        return bool(year) and 2 * years.count(year) >= len(years) if year else len(set(years)) == 1

    def bounds(self, period_text: str) -> Period | None:
        """``period_text`` read against the document's date; undated, against the title's year for
        a day, a month or a relative year (:attr:`document_year`), never a bound it does not give."""
        found = period_or_none(period_text, self.reference_date)
        if found is None or found.resolved or self.reference_date or not self.document_year:
            return found
        # Read on two days of the year: a reading that does not change names its bounds by the year
        # alone (5月16日, 今年, 截至年底); one that does needs the date itself (目前, 16日 …): its end
        # stays open, and a start it reads the same (今年以来) is kept.
        late = period_or_none(period_text, f"{self.document_year}-12-31")
        early = period_or_none(period_text, f"{self.document_year}-07-01")
        if late is None or early is None:
            return found
        if late == early:
            return late
        if late.start and late.start == early.start and found.kind in ("since", "recent_years", "recent_months"):
            return replace(late, end=None)
        return found

    def section(self, position: int) -> str:
        """``target`` under a heading of plans (工作计划, 工作打算, 主要目标 …), ``achieved`` under a
        heading of results (工作回顾, 主要成效, 完成情况 …), else ``""``: what the nearest heading
        above ``position`` (the title excluded) says its numbers are."""
        line = bisect_right(self._starts, position) - 1
        if line >= 0 and not self.lines[line][2]:
            # a heading run into its line by the page's layout: （二）机构设置 根据编委核定，…
            at = bisect_right(self._inline_starts, position) - 1
            if at >= 0 and self._inline[at][0] >= self.lines[line][0]:
                return self._inline[at][1]
        for number in range(line, self._title_line, -1):
            start, end, heading = self.lines[number]
            if heading and end <= position:
                return _section_of(self.flat[start:end])
        return ""

    def _cues_in(
        self, start: int, end: int, heading: bool = False, paragraph: bool = False
    ) -> list[tuple[int, int, str]]:
        """The cues within ``[start, end)`` that a coder carries to other sentences: calendar periods
        (a year, a span, since, a deadline, 今年 …), not 目前, 每年, 近3年 or vague words; from a heading
        not a day (a heading's day is the date it was issued)."""
        first = bisect_right(self._cue_starts, start - 1)
        found = []
        for cue in self.cues[first:]:
            if cue[0] >= end:
                break
            if cue[1] <= end:
                period = period_or_none(cue[2], self.reference_date)
                if period is None:
                    continue
                if paragraph and (period.kind in _PARAGRAPH_KINDS or cue[2] in _NOW_CARRIED):
                    found.append(cue)  # 目前，…。…: the sentences after it are of the same date
                elif (
                    period.kind in _CARRIED_KINDS
                    and not (heading and period.kind == "day")
                    and not (period.kind == "as_of" and not re.search(r"\d|[〇零一二三四五六七八九]年", cue[2]))
                ):
                    found.append(cue)
        return found

    def carry(self, position: int, status: str) -> tuple[str, str] | None:
        """(period_text, period_from) for the number at ``position`` from its context, or ``None``.

        - ``paragraph``: a cue that opens an earlier sentence of its paragraph (``2019年，…``);
        - ``title``: a cue of the nearest heading before it, or of the title;
        - ``document``: the year of the document's date, for an achieved fact of a report of events.
        """
        line = bisect_right(self._starts, position) - 1
        if line < 0:
            return None
        line_start = self.lines[line][0]
        sentence_start, _ = sentence_span(self.flat, position)
        for start, end, text in reversed(self._cues_in(line_start, sentence_start, paragraph=True)):
            opening, _ = sentence_span(self.flat, start)
            # a topic: the cue opens its sentence, or opens its clause and a comma closes it (…。全年，…;
            # not 成立于1958年12月，…)
            clause_open = max(opening, *(self.flat.rfind(mark, opening, start) + 1 for mark in "，,；;：:"))
            if start - opening <= _TOPIC_CUE_SLACK or (
                self.flat.startswith(("，", ","), end) and start - clause_open <= _TOPIC_CUE_SLACK
            ):
                if period_or_none(text, self.reference_date).kind == "since" and not _HAS_NUMBER.search(
                    self.flat, end, sentence_span(self.flat, start)[1]
                ):
                    continue  # 自2015年开始，…保持增长趋势。: a trend since then, not the stretch of later counts
                return text, "paragraph"
        for number in range(line - 1, -1, -1):
            start, end, heading = self.lines[number]
            if heading:
                found = self._cues_in(start, end, heading=True)
                if self.plan and number > self._title_line:
                    # a plan's headings date its goals only by a deadline (到2025年); its title's year
                    # (2017年部门预算) is the year of the whole plan
                    found = [cue for cue in found if period_or_none(cue[2], self.reference_date).is_target]
                if found:
                    if self.event_cue and status == "achieved" and self._holds_event(found[0][2]):
                        return self.event_cue, "document"  # the title's 2023年 holds the event's 9月19日
                    return found[0][2], "title"
        if self.event_cue and status == "achieved":
            return self.event_cue, "document"
        if self.plan_year:
            return f"{self.plan_year}年", "document"
        if self.lead_cue and status == "achieved":
            return self.lead_cue, "document"
        if self.event_date and status == "achieved" and not self.plan:
            # A news item of one event (its date in the first sentence): the facts are the event's.
            year, month, day = self.event_date.split("-")
            return f"{int(year)}年{int(month)}月{int(day)}日", "document"
        if self.report and status == "achieved":
            return f"{self.own_year}年", "document"
        return None


def _period_start(period) -> str:
    """The first day of a period for the draft; a deadline at a year's end (到2020年, “十三五”末) is
    that year's goal, so it starts with the year (the coding rules' reading of a target year).

    Examples
    --------
    >>> _period_start(period_or_none("到2020年", None)), _period_start(period_or_none("2019年以来", None)), _period_start(None)
    ('2020-01-01', '2019-01-01', '')
    """
    if period is None:
        return ""
    if not period.start and period.is_target and period.end and period.end.endswith("-12-31"):
        return period.end[:4] + "-01-01"
    return period.start or ""


_TIME_UNIT_END = ("年", "年度", "个月", "個月", "月", "日", "天", "周", "季度")


def _durations_are_dates(
    mentions: list[Mention], kinds: list[str], cues: list[tuple[int, int, str]], flat: str = ""
) -> list[str]:
    """The kinds with a duration inside a period cue (``6年来``, ``连续七年``, ``过去的一年``) made a
    ``date``: the time a fact covers, not a fact (the coding rules).

    Examples
    --------
    >>> flat = "连续七年举办科技周"
    >>> mentions = find_mentions(flat)
    >>> _durations_are_dates(mentions, ["fact"] * len(mentions), [(0, 4, "连续七年")], flat)
    ['date']
    """
    if not cues:
        return kinds
    starts = [start for start, _, _ in cues]
    out = list(kinds)
    for index, (mention, kind) in enumerate(zip(mentions, kinds)):
        if kind != "fact":
            continue
        if not mention.raw.rstrip().endswith(_TIME_UNIT_END) and not flat.startswith(_TIME_UNIT_END, mention.end):
            continue  # (今年1-4月: the mention 1-4 stops before its 月)
        at = bisect_right(starts, mention.start) - 1
        if at >= 0 and cues[at][1] >= mention.end:
            out[index] = "date"
    return out


_NUMERAL_CHAR = re.compile("[一二三四五六七八九十百千万两]")


def _inside_place_names(
    flat: str, mentions: list[Mention], kinds: list[str], places: re.Pattern[str] | None
) -> list[str]:
    """The kinds with a Chinese numeral inside a place name (三门峡市: 三门 is no count of doors) made a
    ``name``.

    Examples
    --------
    >>> flat = "三门峡市举办活动3场"
    >>> mentions = find_mentions(flat)
    >>> _inside_place_names(flat, mentions, ["fact"] * len(mentions), re.compile("三门峡市"))
    ['name', 'fact']
    """
    if places is None or not any(k == "fact" and m.numeral == "chinese" for m, k in zip(mentions, kinds)):
        return kinds
    out = list(kinds)
    for index, mention in enumerate(mentions):
        if out[index] != "fact" or mention.numeral != "chinese":
            continue
        left = max(0, mention.start - 8)  # the longest such name has 8 characters
        for match in places.finditer(flat, left, mention.end + 8):
            if match.start() <= mention.start and mention.end <= match.end():
                out[index] = "name"
    return out


def _furniture_is_not_a_fact(
    flat: str, mentions: list[Mention], kinds: list[str], layout: list[tuple[int, int, bool]]
) -> list[str]:
    r"""The kinds with every number of a date line (``发布时间：2021-06-15 浏览量：1234``) made a
    ``date``, and of an identifier line above the title (``监督索引号532300…``) a ``document_number``:
    page furniture, not facts (the coding rules).

    Examples
    --------
    >>> text = "标题\n发布时间：2021-06-15 浏览量：1234\n建成3个。"
    >>> flat = text.replace("\n", "")
    >>> mentions = find_mentions(flat)
    >>> _furniture_is_not_a_fact(flat, mentions, ["fact"] * len(mentions), lines(text))[-1]
    'fact'
    >>> set(_furniture_is_not_a_fact(flat, mentions, ["fact"] * len(mentions), lines(text))[:-1])
    {'date'}
    """
    spans = [(start, end, "date") for start, end, heading in layout if heading and is_date_line(flat[start:end])]
    for start, end, heading in layout:  # 监督索引号…, 联系人：… 139…: identifiers above the title
        if not (heading and is_not_a_title(flat[start:end])) or is_date_line(flat[start:end]):
            break
        spans.append((start, end, "document_number"))
    if not spans:
        return kinds
    out = list(kinds)
    for index, mention in enumerate(mentions):
        if out[index] == "fact":
            for start, end, kind in spans:
                if start <= mention.start < end:
                    out[index] = kind
    return out


def _split_at_headings(flat: str, layout: list[tuple[int, int, bool]]) -> list[Mention]:
    r"""The mentions of a flat text, a heading's last digit never joined to the digit that opens the next
    line (a date line ``…09-11`` over ``2017年…`` would read as ``112017年``).

    Examples
    --------
    >>> text = "2018-10-11\n2017年全市建成3个"
    >>> [m.raw for m in _split_at_headings(text.replace("\n", ""), lines(text))]
    ['2018-10', '11', '2017年', '3个']
    """
    # A date line is always cut from the line below it (发布时间：2021-06-15 over 至2012年为止 would
    # read 15至2012年 as a range); another heading only between two digits (a wrapped 51 / 万元 is one).
    cuts = [
        end
        for start, end, heading in layout
        if heading
        and 0 < end < len(flat)
        and (flat[end - 1].isdigit() or flat[end].isdigit())
        and ((flat[end - 1].isdigit() and flat[end].isdigit()) or is_date_line(flat[start:end]))
    ]
    if not cuts:
        return find_mentions(flat)
    found: list[Mention] = []
    for start, end in zip([0, *cuts], [*cuts, len(flat)]):
        found += [replace(m, start=m.start + start, end=m.end + start) for m in find_mentions(flat[start:end])]
    return found


def _with_table_cells(mentions: list[Mention], tables: list[Table]) -> list[Mention]:
    """The mentions of the text outside tables, and those of each table cell read on its own (the
    flat text runs a row's last cell into the next row's first: 16 over 2 reads as 162)."""
    if not tables:
        return mentions
    kept = [m for m in mentions if not any(t.start <= m.start < t.end or t.start < m.end <= t.end for t in tables)]
    for table in tables:
        for row in (table.header, *table.rows):
            for cell in row:
                for mention in find_mentions(cell.text):
                    kept.append(replace(mention, start=mention.start + cell.start, end=mention.end + cell.start))
    return sorted(kept, key=lambda m: m.start)


def _table_cell(tables: list[Table], position: int):
    """(table, column, in_header) of a flat position, or ``(None, None, False)``."""
    for table in tables:
        if table.start <= position < table.end:
            column, cell, in_header = table.column_of(position)
            if cell is not None:
                return table, column, in_header
    return None, None, False


# ------------------------------------------------------------------------------------------------
# The steps of Extractor._rows: one mention becomes one draft row
# ------------------------------------------------------------------------------------------------
@dataclass
class _Candidate:
    """One mention on its way to a draft row: what the steps of :meth:`Extractor._rows` decided so far."""

    mention: Mention
    kind: str
    clause_start: int  # the quote: the mention's clause, or in a table its row
    clause_end: int
    table: Table | None
    column: Column | None
    in_header: bool
    notes: list[str] = field(default_factory=list)
    period_text: str = ""
    period_from: str = ""
    status: str = ""
    cue: tuple[int, str] | None = None
    header_planned: bool = False  # a table's column of plans says the status
    header_done: bool = False  # a table's column of spending says the status

    @property
    def quantity(self) -> Quantity | None:
        return self.mention.quantity


def _candidate(flat: str, tables: list[Table], mention: Mention, kind: str) -> _Candidate:
    """A mention with its quote (its clause; a table's number is quoted with its row) and its table cell."""
    clause_start, clause_end = clause_span(flat, mention.start, mention.end)
    table, column, in_header = _table_cell(tables, mention.start)
    row_span = table.row_span(mention.start) if table is not None and not in_header else None
    if row_span is not None:
        clause_start, clause_end = row_span
    return _Candidate(mention, kind, clause_start, clause_end, table, column, in_header)


def _period_and_status(
    candidate: _Candidate,
    flat: str,
    cues: list[tuple[int, int, str]],
    reference_date: str | None,
    series_entry: tuple[str, str] | None,
) -> None:
    """The period of the sentence (or of a series after 分别, or of the table's column) and the status."""
    position = candidate.mention.start
    found = find_period(flat, position, cues)
    candidate.period_text = found[1] if found else ""
    candidate.period_from = "sentence" if found else ""
    if series_entry is not None:
        candidate.period_text, note = series_entry
        candidate.notes.append(note)
    column = candidate.column
    if column is not None and column.period and not candidate.period_text:
        candidate.period_text, candidate.period_from = column.period, "table"
    cue = candidate.cue = status_cue(flat, position)
    candidate.status = status_of(flat, position, candidate.period_text, reference_date, cue)
    if candidate.status == "target" and found and candidate.period_text in NOW_WORDS and cue and cue[0] > found[0]:
        # 由目前的58％提高至70％: 目前 dates the baseline, not the target.
        candidate.period_text, candidate.period_from = "", ""


def _read_table_column(candidate: _Candidate) -> None:
    """What a table says of its number: a header or a row number is no fact; a column gives a unit,
    a status (planned, spent) and a relative year (上年执行数)."""
    table, column = candidate.table, candidate.column
    if table is None:
        return
    if candidate.in_header:
        candidate.kind = "header"  # 计划经费(万元): the unit of a column, not a number of the text
    elif column is not None and column.row_number:
        candidate.kind = "ordinal"
        candidate.notes.append("table row number")
    elif column is not None:
        mention = candidate.mention
        unit, written_in = table.unit_at(mention.start)
        if unit and mention.quantity is not None and mention.quantity.unit == "number":
            try:
                candidate.mention = replace(mention, quantity=parse_quantity(mention.raw.strip() + unit))
                candidate.notes.append(f"unit {unit} from the table: {written_in}")
            except ParseError:
                pass
        if column.planned and not _DONE_HEADER.search(column.header):
            candidate.status, candidate.header_planned = "target", True
        elif _DONE_HEADER.search(column.header):
            candidate.status, candidate.header_done = "achieved", True  # 上年执行数, 2021年决算: what was spent
        if not candidate.period_text and (relative := _RELATIVE_HEADER.search(column.header)):
            candidate.period_text, candidate.period_from = relative.group(), "table"  # 上年执行数: the year before


def _carry_period(candidate: _Candidate, flat: str, context: _DocumentContext, reference_date: str | None) -> None:
    """A fact with no period of its own takes one from its context (a heading, the document's year)."""
    if candidate.period_text or candidate.kind != "fact":
        return
    carried = context.carry(candidate.mention.start, candidate.status)
    if carried is not None:
        candidate.period_text, candidate.period_from = carried
        if not (candidate.header_planned or candidate.header_done):  # a column of plans or of spending says it
            candidate.status = status_of(
                flat, candidate.mention.start, candidate.period_text, reference_date, candidate.cue
            )


def _settle_status(candidate: _Candidate, flat: str, context: _DocumentContext) -> None:
    """The status read against the document: a news item's change is achieved, a plan's number a goal."""
    cue, period_text = candidate.cue, candidate.period_text
    section = context.section(candidate.mention.start) if candidate.kind == "fact" else ""
    if (
        candidate.status == "target"
        and cue is not None
        and cue[1] in CHANGE_CUES
        and not goal_before(flat, cue)
        and not context.plan
        and section != "target"
        and not context.ahead(period_text)
    ):
        candidate.status = "achieved"  # a news item's 科普基地增至269个: what the report tells, not a goal
    if (
        (context.plan or section == "target")
        and candidate.status == "achieved"
        and candidate.kind == "fact"
        and cue is None
        and candidate.period_from != "table"
        and not candidate.header_done
        and section != "achieved"
        and not context.past(period_text)
        and not context.now(period_text)
    ):
        # a plan's (or a budget's) number, or one under a heading of plans (二、2021年工作打算),
        # with no cue of the past is a goal; under a heading of results (一、工作回顾) it is not
        candidate.status = "target"


def _row(
    candidate: _Candidate,
    flat: str,
    offsets: _OffsetMap,
    context: _DocumentContext,
    scope: tuple[str, str, str],
    suggestions: tuple[str, str, float],
    *,
    document: str,
    path: str,
    place_from: str | None,
    date_from: str | None,
) -> dict[str, Any]:
    """The draft row of a candidate, in the columns of :data:`DRAFT_COLUMNS`."""
    mention, quantity, kind, period_text = candidate.mention, candidate.quantity, candidate.kind, candidate.period_text
    scope_zh, scope_level, admin_code = scope
    indicator_id, frame_id, frame_confidence = suggestions
    notes = (
        candidate.notes
        if quantity is not None
        else [*candidate.notes, "the parser does not read this text as a quantity"]
    )
    return {
        "document": document,
        "record_id": "",
        "indicator_id": indicator_id,
        "scope_zh": scope_zh,
        "scope_level": scope_level,
        "raw_text": mention.raw,
        "period_text": period_text,
        "status": candidate.status,
        "quote": flat[candidate.clause_start : candidate.clause_end],
        "note": "; ".join(notes),
        "value": _number(quantity.value) if quantity else None,
        "low": _number(quantity.low) if quantity else None,
        "high": _number(quantity.high) if quantity else None,
        "unit": quantity.unit if quantity else "",
        "qualifier": quantity.qualifier if quantity else "",
        "offset": offsets.original(mention.start),
        "kind": kind,
        "confidence": confidence(kind, mention, indicator_id),
        "admin_code": admin_code,
        "path": path,
        "frame_indicator": frame_id,
        "frame_confidence": frame_confidence if frame_id else None,
        "place_from": place_from,
        "date_from": date_from,
        "period_from": candidate.period_from,
        "period_start": _period_start(bounds := context.bounds(period_text)),
        "period_end": (bounds.end or "") if bounds else "",
    }


def _series(
    flat: str, mentions: list[Mention], kinds: list[str], cues: list[tuple[int, int, str]]
) -> dict[int, tuple[str, str]]:
    """Numbers listed after 分别 that match a span of years one to one: index -> (year, note)."""
    out: dict[int, tuple[str, str]] = {}
    index = 0
    while index < len(mentions):
        group = [index]
        while (
            group[-1] + 1 < len(mentions)
            and flat[mentions[group[-1]].end : mentions[group[-1] + 1].start] in _SERIES_SEPARATORS
        ):
            group.append(group[-1] + 1)
        index = group[-1] + 1
        if len(group) < 2 or any(kinds[i] != "fact" for i in group):
            continue
        first = mentions[group[0]]
        if "分别" not in flat[max(0, first.start - 6) : first.start]:
            continue
        found = find_period(flat, first.start, cues)
        if found is None:
            continue
        try:
            period = parse_period(found[1])
        except ParseError:
            continue
        parts = [(start, end) for start, end in period.parts if start and end]
        if (
            period.kind == "list"
            and len(parts) == len(period.parts) == len(group)
            and all(start[4:] == "-01-01" and end[4:] == "-12-31" and start[:4] == end[:4] for start, end in parts)
        ):
            years = [int(start[:4]) for start, _ in parts]  # 2018年和2019年分别为3个、5个
        elif period.kind == "span" and period.start and period.end:
            first_year, last_year = int(period.start[:4]), int(period.end[:4])
            if period.start[4:] != "-01-01" or period.end[4:] != "-12-31" or last_year - first_year + 1 != len(group):
                continue
            years = list(range(first_year, last_year + 1))
        else:
            continue
        for position, i in enumerate(group):
            out[i] = (
                f"{years[position]}年",
                f"series position {position + 1} of {len(group)} (分别), year read from {found[1]}",
            )
    return out


#: Numeric columns of a draft (float64; the offset is a nullable integer); every other column is text.
FLOAT_COLUMNS = ("value", "low", "high", "confidence", "frame_confidence")
# pandas' own type for a column of text: "str" from pandas 3, object before.
_TEXT_DTYPE = pd.Series(["x"]).dtype


def typed_rows(rows: list[dict[str, Any]] | list[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows (dicts, or tuples in :data:`DRAFT_COLUMNS` order) as a frame with the draft's column types, no ids.

    Every column gets its type from the draft's definition, not from the rows at hand, so frames
    of different batches (one with no note at all, say) concatenate into the same frame as one
    built from all the rows at once.

    Examples
    --------
    >>> frame = typed_rows([("a.txt", None, "x", None, None, "3个")])
    >>> str(frame["offset"].dtype), str(frame["value"].dtype), frame.loc[0, "raw_text"]
    ('Int64', 'float64', '3个')
    """
    if not rows:
        frame = pd.DataFrame(columns=list(DRAFT_COLUMNS))
    elif isinstance(rows[0], dict):
        frame = pd.DataFrame.from_records(rows, columns=list(DRAFT_COLUMNS))
    else:
        # Column by column as objects: a third faster than from_records on tuples, which matters at
        # the end of a national run. Short tuples leave the last columns empty.
        width = len(DRAFT_COLUMNS)
        columns = zip(*(row + (None,) * (width - len(row)) if len(row) < width else row for row in rows))
        frame = pd.DataFrame(
            {name: _column(name, list(values)) for name, values in zip(DRAFT_COLUMNS, columns)}, copy=False
        )
    for column in DRAFT_COLUMNS:
        if column in FLOAT_COLUMNS:
            if frame[column].dtype != "float64":
                frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column in ("offset", "page"):
            if frame[column].dtype != "Int64":
                frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
        elif frame[column].dtype != _TEXT_DTYPE:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None).astype(_TEXT_DTYPE)
    return frame


_NONE = type(None)


def _column(name: str, values: list[Any]) -> Any:
    """A column of :func:`typed_rows` built with its type at once when its values already have it
    (what the extractor gives: text or None, floats or None, whole numbers or None), which spares
    the conversions of an object column; any other values stay objects for the general conversion."""
    kinds = set(map(type, values))
    if name in FLOAT_COLUMNS:
        if kinds <= {float, _NONE}:
            return np.array(values, dtype="float64")
    elif name in ("offset", "page"):
        if kinds <= {int, _NONE}:
            return pd.array(values, dtype="Int64")
    elif kinds <= {str, _NONE}:
        return pd.array(values, dtype=_TEXT_DTYPE)
    return pd.Series(values, dtype=object).array  # arrays, not Series: the frame then needs no alignment


def number_drafts(frame: pd.DataFrame) -> pd.DataFrame:
    """Give the rows of ``frame`` the draft ids ``DR-000001``, ``DR-000002``, … in their order.

    Examples
    --------
    >>> number_drafts(typed_rows([{"raw_text": "3个"}, {"raw_text": "5人"}]))["record_id"].tolist()
    ['DR-000001', 'DR-000002']
    """
    frame = frame.reset_index(drop=True)
    frame["record_id"] = pd.Series([f"DR-{i:06d}" for i in range(1, len(frame) + 1)], dtype=_TEXT_DTYPE)
    return frame


def draft_frame(rows: list[dict[str, Any]] | list[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows (dicts, or tuples in :data:`DRAFT_COLUMNS` order) as a draft with ids numbered in order.

    Examples
    --------
    >>> draft_frame([{"raw_text": "3个"}])[["record_id", "raw_text"]].to_dict("records")
    [{'record_id': 'DR-000001', 'raw_text': '3个'}]
    >>> len(draft_frame([]).columns) == len(DRAFT_COLUMNS)
    True
    """
    return number_drafts(typed_rows(rows))


def concat_drafts(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames of :func:`typed_rows` (batches, in order) as one draft with ids numbered in order.

    Examples
    --------
    >>> parts = [typed_rows([{"raw_text": "3个"}]), typed_rows([]), typed_rows([{"raw_text": "5人", "note": "n"}])]
    >>> concat_drafts(parts).equals(draft_frame([{"raw_text": "3个"}, {"raw_text": "5人", "note": "n"}]))
    True
    """
    filled = [frame for frame in frames if len(frame)]  # pandas warns about (and may retype on) empty parts
    if not filled:
        return draft_frame([])
    return number_drafts(pd.concat(filled, ignore_index=True) if len(filled) > 1 else filled[0])
