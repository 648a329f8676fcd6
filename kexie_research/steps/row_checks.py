"""The checks of a coded row: an ordered list of small named checks, run a whole column at a time.

Each check is a function ``(rows, column, live) -> Failures``: it reads the deduplicated columns of
:class:`CodedRows` (every sheet column factorised once: codes per row and the distinct cells), judges
each distinct cell (or distinct combination of cells) once, and returns the failing rows among
``live`` (the rows no earlier check refused) with one message per distinct problem. :data:`CHECKS`
names them in order, each with its code and the column it judges; the first check a row fails names
its reason, so a row with several problems is reported by the earliest. The quarantine keeps the
code (``check``) and the column, so it can be filtered by kind.

A check that parses (quote offset, quantity, period, place) leaves its results on :class:`CodedRows`
for the later checks and for the processed table.

Examples
--------
>>> [check.code for check in CHECKS][:3]
['field_count', 'duplicate_record_id', 'unsafe_cell']
>>> sorted({check.column for check in CHECKS if check.code == "empty_required"})
['indicator_id', 'quote', 'raw_text', 'record_id', 'scope_level', 'scope_zh', 'status']
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from kexie_research.config import raw_dir
from kexie_research.errors import ParseError
from kexie_research.parse.periods import Period, parse_period
from kexie_research.parse.provenance import check_raw_text, locate_quote
from kexie_research.parse.quantities import parse_quantities, parse_quantity
from kexie_research.schemas.indicators import SCOPE_LEVELS, SHEET_COLUMNS, STATUSES
from kexie_research.steps.codebook import Codebook
from kexie_research.steps.places import Place, PlaceResolver, UnknownPlaceError

# Which place levels a coded scope_level may resolve to.
SCOPE_LEVEL_PLACES = {
    "national": {"country"},
    "provincial": {"province"},
    "city": {"prefecture"},
    # A county-level scope named only by its city ("梧州市其他县（市、区）科协") resolves to the city.
    "county": {"district", "county", "county-level city", "prefecture"},
    "township": {"prefecture", "district", "county", "county-level city"},
    "organisation": {"prefecture", "district", "county", "county-level city", "province"},
}
# Control characters (C0 and C1) other than the line feed: quotes keep the print layout's line
# breaks, anything else invisible in a cell is a copy-paste accident or an attack on a spreadsheet.
CONTROL_PATTERN = r"[\x00-\x09\x0b-\x1f\x7f-\x9f]"
_CONTROL_RE = re.compile(CONTROL_PATTERN)
# First characters that make a spreadsheet run a cell as a formula. A number may carry a sign,
# so raw_text is only refused for = and @ (a wrong sign still fails the raw_text-in-quote check).
FORMULA_CHARS = {name: "=@" if name == "raw_text" else "=+-@" for name in SHEET_COLUMNS}
# Internal column of a read sheet: a problem of the record itself (wrong number of fields).
READ_PROBLEM = "read_problem"


# ------------------------------------------------------------------------------------------------
# Single-cell judgements, shared with any row-by-row use
# ------------------------------------------------------------------------------------------------
def text_cell_problem(name: str, cell: str) -> str | None:
    """Why a text cell is refused (``None`` if it is fine): a control character or a formula start.

    Examples
    --------
    >>> text_cell_problem("quote", "=HYPERLINK(1)")
    "column 'quote' starts with '=', which a spreadsheet runs as a formula; rewrite the cell (the build never alters data)"
    >>> text_cell_problem("note", "a\\x00b")
    "column 'note' holds the control character U+0000; remove it (the build never alters data)"
    >>> text_cell_problem("raw_text", "-5%") is None
    True
    """
    found = _CONTROL_RE.search(cell)
    if found:
        return f"column {name!r} holds the control character U+{ord(found.group()):04X}; remove it (the build never alters data)"
    if cell and cell[0] in FORMULA_CHARS.get(name, ""):
        return (
            f"column {name!r} starts with {cell[0]!r}, which a spreadsheet runs as a formula; "
            "rewrite the cell (the build never alters data)"
        )
    return None


def parser_failure(what: str, text: str, exc: BaseException) -> str:
    """The reason for a cell that made a parser raise: its own message, or the exception named.

    The parsers raise :class:`ParseError` with a message quoting the text; anything else (an
    ``OverflowError`` deep in a numeral library …) is named with the text, so that one bad cell is
    quarantined instead of stopping the build.

    Examples
    --------
    >>> parser_failure("period", "二九二五", OverflowError("signed integer is greater than maximum"))
    "cannot parse period '二九二五': OverflowError: signed integer is greater than maximum"
    """
    if isinstance(exc, (ParseError, UnknownPlaceError)):
        return str(exc)
    return f"cannot parse {what} {text!r}: {type(exc).__name__}: {exc}"


def non_finite(raw_text: str, value: float, low: float, high: float) -> str | None:
    """Why a parsed quantity is refused for being infinite or NaN (``None`` if it is finite).

    Examples
    --------
    >>> non_finite("9人", 9.0, float("nan"), float("nan")) is None
    True
    >>> non_finite("99…9人", float("inf"), float("nan"), float("nan"))
    "raw_text '99…9人' reads as a non-finite value (inf)"
    """
    if not math.isfinite(value) or math.isinf(low) or math.isinf(high):
        return f"raw_text {raw_text!r} reads as a non-finite value ({value if not math.isfinite(value) else low if math.isinf(low) else high})"
    return None


def safe_period(text: str, reference_date: str | None) -> Period | str:
    """``parse_period`` of a sheet cell, or the reason it failed (never raises).

    Examples
    --------
    >>> safe_period("2020年", None).end
    '2020-12-31'
    >>> safe_period("某年", None)[:40]
    "cannot parse period '某年': not a recognis"
    """
    try:
        return parse_period(text.strip() or None, reference_date or None)
    except Exception as exc:  # any parser failure is the row's reason, never a crash
        return parser_failure("period", text, exc)


def safe_place(resolver: PlaceResolver, scope_zh: str, case: str | None = None) -> Place | str:
    """``resolver.resolve`` of a scope (among the places of ``case``), or the reason it failed (never raises).

    Examples
    --------
    >>> safe_place(PlaceResolver.from_raw(), "藤县科协", "wuzhou").admin_code
    '450422'
    """
    try:
        return resolver.resolve(scope_zh, case=case)
    except Exception as exc:  # as above
        return parser_failure("scope", scope_zh, exc)


def case_of(entry: dict[str, Any]) -> tuple[str, str]:
    """The case key of a manifest entry and the Chinese name of its division (the facts' ``case_zh``).

    Examples
    --------
    >>> case_of({"case": "wuzhou", "place_zh": "梧州市"})
    ('wuzhou', '梧州市')
    """
    return str(entry.get("case", "")), str(entry.get("place_zh", ""))


def parse_quantity_column(texts: pd.Series) -> pd.DataFrame:
    """Quantities of a column of texts (line breaks removed), each distinct text once, never raising.

    Returns value, low, high, unit, qualifier and ``error``: the row's reason, or missing. The bulk
    goes through :func:`parse_quantities`; a failing text is parsed again alone to quote the
    parser's own message (or the exception, if the parser raised anything but ParseError).

    Examples
    --------
    >>> parsed = parse_quantity_column(pd.Series(["3个", "3个", "许多"]))
    >>> parsed["value"].tolist(), parsed["error"].str[:35].tolist()
    ([3.0, 3.0, nan], [nan, nan, "cannot parse quantity '许多': no numb"])
    """
    codes, uniques = pd.factorize(texts)
    distinct = pd.Series(pd.array(list(uniques), dtype="str"))
    try:
        parsed = parse_quantities(distinct, errors="coerce")
    except Exception:  # one text broke the batch: parse each alone below
        parsed = pd.DataFrame(
            {"value": np.nan, "low": np.nan, "high": np.nan, "unit": None, "qualifier": None, "error": "?"},
            index=distinct.index,
        ).astype({"unit": "str", "qualifier": "str", "error": "str"})
    errors = parsed["error"].astype(object).where(parsed["error"].notna(), None).tolist()
    for position in np.flatnonzero(parsed["error"].notna().to_numpy()):
        text = uniques[position]
        try:
            quantity = parse_quantity(text)
        except Exception as exc:  # any parser failure is the row's reason
            errors[position] = parser_failure("quantity", text, exc)
        else:  # the batch failed as a whole; this text is fine
            errors[position] = None
            parsed.loc[position, ["value", "low", "high"]] = [quantity.value, quantity.low, quantity.high]
            parsed.loc[position, ["unit", "qualifier"]] = [quantity.unit, quantity.qualifier]
    value, low, high = (parsed[name].to_numpy(dtype="float64") for name in ("value", "low", "high"))
    for position in np.flatnonzero(~np.isfinite(value) | np.isinf(low) | np.isinf(high)):
        if errors[position] is None:
            errors[position] = non_finite(uniques[position], value[position], low[position], high[position])
    return pd.DataFrame(
        {
            "value": value.take(codes),
            "low": low.take(codes),
            "high": high.take(codes),
            "unit": parsed["unit"].array.take(codes),
            "qualifier": parsed["qualifier"].array.take(codes),
            "error": pd.array(errors, dtype="str").take(codes),
        },
        index=texts.index,
    )


# ------------------------------------------------------------------------------------------------
# The rows being checked, and what a check returns
# ------------------------------------------------------------------------------------------------
class Column:
    """A sheet column as codes per row and its distinct values (``uniques``, a str Series).

    Examples
    --------
    >>> column = Column(pd.Series(["a", "b", "a"]))
    >>> column.codes.tolist(), column.uniques.tolist()
    ([0, 1, 0], ['a', 'b'])
    """

    def __init__(self, series: pd.Series) -> None:
        codes, uniques = pd.factorize(series)
        self.codes = np.asarray(codes, dtype="int64")
        self.uniques = pd.Series(uniques, dtype="str")


def distinct_rows(*codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct combinations of aligned non-negative code arrays: ``(distinct rows of codes, inverse per row)``.

    The codes are packed into one int64 key per row and factorised (a hash, not a sort).

    Examples
    --------
    >>> distinct, inverse = distinct_rows(np.array([0, 1, 0]), np.array([2, 2, 2]))
    >>> distinct.tolist(), inverse.tolist()
    ([[0, 2], [1, 2]], [0, 1, 0])
    """
    if len(codes[0]) == 0:
        return np.empty((0, len(codes)), dtype="int64"), np.empty(0, dtype="int64")
    key = np.zeros(len(codes[0]), dtype="int64")
    sizes = []
    for column in codes:
        size = int(column.max()) + 1
        sizes.append(size)
        key = key * size + column
    inverse, distinct_keys = pd.factorize(key)
    distinct = np.empty((len(distinct_keys), len(codes)), dtype="int64")
    rest = np.asarray(distinct_keys, dtype="int64")
    for position in range(len(codes) - 1, -1, -1):
        distinct[:, position] = rest % sizes[position]
        rest = rest // sizes[position]
    return distinct, np.asarray(inverse, dtype="int64")


class CodedRows:
    """The sheet rows under check: every column factorised once, plus what the parsing checks found.

    ``quote_offset``, ``quantity_row``, ``period_row`` and ``place_row`` are per row (-1 until the
    check that fills them has passed the row); the last three index ``quantities``,
    ``period_results`` and ``place_results`` (one entry per distinct text or combination).

    Examples
    --------
    >>> rows = example_rows({}, {})
    >>> rows.n, rows.columns["record_id"].uniques.tolist(), rows.where(1)
    (2, ['WZ-002'], 'wuzhou_article.csv row 3')
    """

    def __init__(
        self,
        sheets: pd.DataFrame,
        codebook: Codebook,
        resolver: PlaceResolver,
        sources: dict[str, dict[str, Any]],
        documents: dict[str, str],
    ) -> None:
        self.sheets, self.codebook, self.resolver, self.sources, self.documents = (
            sheets,
            codebook,
            resolver,
            sources,
            documents,
        )
        self.n = len(sheets)
        self.columns = {name: Column(sheets[name]) for name in (*SHEET_COLUMNS, "source_id", READ_PROBLEM)}
        self.stripped = {
            name: self.columns[name].uniques.str.strip()
            for name in ("record_id", "status", "scope_level", "indicator_id")
        }
        self.source_ids: list[str] = self.columns["source_id"].uniques.tolist()
        self.file_of = [sources[name]["file"] for name in self.source_ids]
        self.quote_offset = np.full(self.n, -1, dtype="int64")
        self.quantities = parse_quantity_column(pd.Series([], dtype="str"))
        self.quantity_row = np.full(self.n, -1, dtype="int64")
        self.period_results: list[Period | str] = []
        self.period_row = np.full(self.n, -1, dtype="int64")
        self.place_results: list[Place | str] = []
        self.place_row = np.full(self.n, -1, dtype="int64")

    def where(self, position: int) -> str:
        """``sheet row N`` of a row position."""
        return f"{self.sheets['sheet'].iat[position]} row {self.sheets['row'].iat[position]}"


class Failures(NamedTuple):
    """The rows a check refused: their positions, each row's message (an index into ``messages``).

    Examples
    --------
    >>> failures = Failures(np.array([0, 2]), np.array([0, 0]), [": bad"])
    >>> [failures.messages[m] for m in failures.message]
    [': bad', ': bad']
    """

    rows: np.ndarray
    message: np.ndarray
    messages: list[str]


NO_FAILURES = Failures(np.empty(0, dtype="int64"), np.empty(0, dtype="int64"), [])


def per_cell(column: Column, flagged: np.ndarray, message: Callable[[int], str]) -> Failures:
    """The rows whose distinct cell is ``flagged``, with ``message(i)`` written once per flagged cell ``i``.

    Examples
    --------
    >>> column = Column(pd.Series(["a", "b", "a"]))
    >>> failures = per_cell(column, np.array([True, False]), lambda i: f": cell {column.uniques[i]!r}")
    >>> failures.rows.tolist(), failures.messages
    ([0, 2], [": cell 'a'"])
    """
    if not flagged.any():
        return NO_FAILURES
    cells = np.flatnonzero(flagged)
    local = np.full(len(flagged), -1, dtype="int64")
    local[cells] = np.arange(len(cells))
    rows = np.flatnonzero(flagged.take(column.codes))
    return Failures(rows, local.take(column.codes[rows]), [message(int(i)) for i in cells])


def per_key(live: np.ndarray, failed: np.ndarray, keys: np.ndarray, message: Callable[..., str]) -> Failures:
    """The rows ``live[failed]``, with ``message(*key)`` written once per distinct row of ``keys`` (aligned with ``live``).

    Examples
    --------
    >>> live = np.array([0, 1, 2])
    >>> failures = per_key(live, np.array([True, False, True]), np.array([[7], [8], [7]]), lambda key: f": key {key}")
    >>> failures.rows.tolist(), failures.message.tolist(), failures.messages
    ([0, 2], [0, 0], [': key 7'])
    """
    rows = live[failed]
    if not len(rows):
        return NO_FAILURES
    distinct, inverse = distinct_rows(*keys[failed].T)
    return Failures(rows, inverse, [message(*(int(v) for v in key)) for key in distinct])


# ------------------------------------------------------------------------------------------------
# The checks, in their order (see CHECKS)
# ------------------------------------------------------------------------------------------------
def field_count(rows: CodedRows, column: str | None, live: np.ndarray) -> Failures:
    """The record has as many fields as the header (the reader noted any that has not).

    Examples
    --------
    >>> first_failure(example_rows({"read_problem": "expected 9 fields, saw 10"}))[:2]
    ('field_count', None)
    """
    problem = rows.columns[READ_PROBLEM]
    failing = np.flatnonzero(problem.codes >= 0)
    return Failures(failing, problem.codes[failing], [f": {text}" for text in problem.uniques])


def duplicate_record_id(rows: CodedRows, column: str | None, live: np.ndarray) -> Failures:
    """A non-empty ``record_id`` (stripped) already used by an earlier row, whatever became of that row.

    Examples
    --------
    >>> first_failure(example_rows({}, {}))[:2]
    ('duplicate_record_id', 'record_id')
    """
    stripped = rows.stripped["record_id"]
    id_of_cell, ids = pd.factorize(stripped)
    id_code = np.asarray(id_of_cell, dtype="int64").take(rows.columns["record_id"].codes)
    repeated = pd.Series(id_code).duplicated(keep="first").to_numpy()
    first_row = np.zeros(len(ids), dtype="int64")
    first_row[id_code[~repeated]] = np.flatnonzero(~repeated)
    named = (stripped != "").to_numpy(dtype=bool).take(rows.columns["record_id"].codes)
    return per_key(
        live,
        (named & repeated)[live],
        id_code[live][:, None],
        lambda code: f": duplicate record_id {ids[code]!r} (first in {rows.where(int(first_row[code]))})",
    )


def unsafe_cell(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """The cell holds a control character (line feeds aside) or starts like a spreadsheet formula.

    Examples
    --------
    >>> first_failure(example_rows({"note": "=HYPERLINK(1)"}))[:2]
    ('unsafe_cell', 'note')
    """
    uniques = rows.columns[column].uniques
    flagged = (
        uniques.str.contains(CONTROL_PATTERN, regex=True) | uniques.str.startswith(tuple(FORMULA_CHARS[column]))
    ).to_numpy(dtype=bool)
    return per_cell(rows.columns[column], flagged, lambda i: f": {text_cell_problem(column, uniques.iloc[i])}")


def empty_required(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """A required cell is empty or blank.

    Examples
    --------
    >>> first_failure(example_rows({"indicator_id": " "}))[:2]
    ('empty_required', 'indicator_id')
    """
    flagged = (rows.columns[column].uniques.str.strip() == "").to_numpy(dtype=bool)
    return per_cell(rows.columns[column], flagged, lambda i: f": empty required column {column!r}")


def _outside(rows: CodedRows, column: str, valid: Sequence[str], message: Callable[[str], str]) -> Failures:
    stripped = rows.stripped[column]
    flagged = ~stripped.isin(list(valid)).to_numpy(dtype=bool)
    return per_cell(rows.columns[column], flagged, lambda i: message(stripped.iloc[i]))


def unknown_status(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """``status`` (stripped) is not one of :data:`STATUSES`.

    Examples
    --------
    >>> first_failure(example_rows({"status": "done"}))[:2]
    ('unknown_status', 'status')
    """
    return _outside(rows, column, STATUSES, lambda cell: f": status {cell!r} is not one of {', '.join(STATUSES)}")


def unknown_scope_level(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """``scope_level`` (stripped) is not one of :data:`SCOPE_LEVELS`.

    Examples
    --------
    >>> first_failure(example_rows({"scope_level": "village"}))[:2]
    ('unknown_scope_level', 'scope_level')
    """
    return _outside(
        rows, column, SCOPE_LEVELS, lambda cell: f": scope_level {cell!r} is not one of {', '.join(SCOPE_LEVELS)}"
    )


def unknown_indicator(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """``indicator_id`` (stripped) is not in the codebook.

    Examples
    --------
    >>> first_failure(example_rows({"indicator_id": "no_such_indicator"}))[:2]
    ('unknown_indicator', 'indicator_id')
    """
    return _outside(
        rows,
        column,
        rows.codebook.indicators.index,
        lambda cell: f": unknown indicator_id {cell!r} (not in data/raw/codebook.yaml)",
    )


def quote_not_in_document(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """The quote is not in its document (line breaks aside); fills ``quote_offset`` for the others.

    Examples
    --------
    >>> first_failure(example_rows({"quote": "梧州市科协99万元"}))[:2]
    ('quote_not_in_document', 'quote')
    """
    source, quote = rows.columns["source_id"], rows.columns["quote"]
    pairs, inverse = distinct_rows(source.codes[live], quote.codes[live])
    offsets = [locate_quote(quote.uniques.iloc[q], rows.documents[rows.source_ids[s]]) for s, q in pairs]
    rows.quote_offset[live] = np.array([-1 if offset is None else offset for offset in offsets], dtype="int64").take(
        inverse
    )
    return per_key(
        live,
        rows.quote_offset[live] < 0,
        inverse[:, None],
        lambda k: (
            f" (document {rows.file_of[pairs[k][0]]}): quote not found in the document (after removing "
            f"line breaks): {quote.uniques.iloc[pairs[k][1]][:60]!r}"
        ),
    )


def raw_text_not_in_quote(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """``raw_text`` does not occur in its quote at number boundaries (:func:`check_raw_text`).

    Examples
    --------
    >>> first_failure(example_rows({"raw_text": "1万元"}))[:2]
    ('raw_text_not_in_quote', 'raw_text')
    """
    source, quote, raw = rows.columns["source_id"], rows.columns["quote"], rows.columns["raw_text"]
    triples, inverse = distinct_rows(source.codes[live], quote.codes[live], raw.codes[live])
    problems = [check_raw_text(raw.uniques.iloc[r], quote.uniques.iloc[q]) for _, q, r in triples]
    failed = np.array([problem is not None for problem in problems], dtype=bool).take(inverse)
    return per_key(
        live, failed, inverse[:, None], lambda k: f" (document {rows.file_of[triples[k][0]]}): {problems[k]}"
    )


def quantity_unparsed(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """``raw_text`` does not parse to a finite quantity; fills ``quantities`` and ``quantity_row``.

    Examples
    --------
    >>> first_failure(example_rows({"raw_text": "梧州市科协", "quote": "梧州市科协51万元"}))[:2]
    ('quantity_unparsed', 'raw_text')
    """
    raw = rows.columns["raw_text"]
    used = np.unique(raw.codes[live])
    rows.quantities = parse_quantity_column(
        raw.uniques.iloc[used].str.replace("\n", "", regex=False).reset_index(drop=True)
    )
    quantity_of_cell = np.full(len(raw.uniques), -1, dtype="int64")
    quantity_of_cell[used] = np.arange(len(used))
    rows.quantity_row[live] = quantity_of_cell.take(raw.codes[live])
    errors = rows.quantities["error"]
    failed = errors.notna().to_numpy(dtype=bool).take(rows.quantity_row[live])
    return per_key(live, failed, rows.quantity_row[live][:, None], lambda k: f": {errors.iloc[k]}")


def period_unparsed(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """``period_text`` does not parse (with its source's reference date); fills ``period_results``/``period_row``.

    Examples
    --------
    >>> first_failure(example_rows({"period_text": "某年"}))[:2]
    ('period_unparsed', 'period_text')
    """
    period = rows.columns["period_text"]
    reference_of = [rows.sources[name].get("reference_date") or "" for name in rows.source_ids]
    pairs, inverse = distinct_rows(period.codes[live], rows.columns["source_id"].codes[live])
    parsed: dict[tuple[int, str], Period | str] = {}  # a period depends on the text and the date, not the source
    for p, s in pairs:
        key = (int(p), reference_of[s])
        if key not in parsed:
            parsed[key] = safe_period(period.uniques.iloc[p], reference_of[s])
    rows.period_results = [parsed[(int(p), reference_of[s])] for p, s in pairs]
    rows.period_row[live] = inverse
    failed = np.array([isinstance(result, str) for result in rows.period_results], dtype=bool).take(inverse)
    return per_key(live, failed, inverse[:, None], lambda k: f": {rows.period_results[k]}")


def place_unresolved(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """``scope_zh`` names no place of its case (or of no case); fills ``place_results``/``place_row``.

    Only the rows still standing are resolved: the resolver records which aliases were used.

    Examples
    --------
    >>> first_failure(example_rows({"scope_zh": "火星科协"}))[:2]
    ('place_unresolved', 'scope_zh')
    """
    scope = rows.columns["scope_zh"]
    case_codes, case_names = pd.factorize(
        pd.Series([case_of(rows.sources[name])[0] for name in rows.source_ids], dtype=object)
    )
    row_case = np.asarray(case_codes, dtype="int64").take(rows.columns["source_id"].codes[live])
    pairs, inverse = distinct_rows(scope.codes[live], row_case)
    rows.place_results = [safe_place(rows.resolver, scope.uniques.iloc[s], case_names[c]) for s, c in pairs]
    rows.place_row[live] = inverse
    failed = np.array([isinstance(result, str) for result in rows.place_results], dtype=bool).take(inverse)
    return per_key(live, failed, inverse[:, None], lambda k: f": {rows.place_results[k]}")


def unit_mismatch(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """The parsed unit does not convert to the indicator's unit (:meth:`Codebook.unit_accepts`).

    Examples
    --------
    >>> first_failure(example_rows({"indicator_id": "party_group_kexie_count"}))[:2]
    ('unit_mismatch', 'raw_text')
    """
    indicator, raw = rows.columns["indicator_id"], rows.columns["raw_text"]
    unit_of = rows.codebook.indicators["unit"].to_dict()
    indicator_unit = [unit_of.get(ind) for ind in rows.stripped["indicator_id"]]
    parsed_unit = rows.quantities["unit"].tolist()
    pairs, inverse = distinct_rows(indicator.codes[live], rows.quantity_row[live])
    accepted = np.array([rows.codebook.unit_accepts(indicator_unit[i], parsed_unit[k]) for i, k in pairs], dtype=bool)
    keys = np.stack([raw.codes[live], indicator.codes[live], rows.quantity_row[live]], axis=1)
    return per_key(
        live,
        ~accepted.take(inverse),
        keys,
        lambda r, i, k: (
            f": raw_text {raw.uniques.iloc[r]!r} reads as unit {parsed_unit[k]!r}, but indicator "
            f"{rows.stripped['indicator_id'].iloc[i]!r} is measured in {indicator_unit[i]!r}"
        ),
    )


def target_period_status(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """The period states a target (到…, …前) but ``status`` is not ``target``.

    Examples
    --------
    >>> first_failure(example_rows({"period_text": "到2025年"}))[:2]
    ('target_period_status', 'status')
    """
    period, status = rows.columns["period_text"], rows.columns["status"]
    is_target_status = (rows.stripped["status"] == "target").to_numpy(dtype=bool)
    target_period = np.array(
        [not isinstance(result, str) and result.is_target for result in rows.period_results], dtype=bool
    )
    conflict = target_period.take(rows.period_row[live]) & ~is_target_status.take(status.codes[live])
    return per_key(
        live,
        conflict,
        np.stack([period.codes[live], status.codes[live]], axis=1),
        lambda p, st: (
            f": period {period.uniques.iloc[p]!r} states a target but status is {rows.stripped['status'].iloc[st]!r}"
        ),
    )


def scope_level_mismatch(rows: CodedRows, column: str, live: np.ndarray) -> Failures:
    """The place's level does not fit ``scope_level`` (:data:`SCOPE_LEVEL_PLACES`).

    Examples
    --------
    >>> first_failure(example_rows({"scope_level": "provincial"}))[:2]
    ('scope_level_mismatch', 'scope_level')
    """
    scope, level = rows.columns["scope_zh"], rows.columns["scope_level"]
    levels = rows.stripped["scope_level"].tolist()
    # the rows still standing passed place_unresolved: each of their results is a Place
    place = {k: result for k, result in enumerate(rows.place_results) if isinstance(result, Place)}
    pairs, inverse = distinct_rows(rows.place_row[live], level.codes[live])
    fits = np.array([place[k].level in SCOPE_LEVEL_PLACES[levels[lv]] for k, lv in pairs], dtype=bool)
    keys = np.stack([scope.codes[live], rows.place_row[live], level.codes[live]], axis=1)
    return per_key(
        live,
        ~fits.take(inverse),
        keys,
        lambda s, k, lv: (
            f": scope {scope.uniques.iloc[s]!r} resolves to {place[k].name_zh} "
            f"({place[k].level}), which does not fit scope_level {levels[lv]!r}"
        ),
    )


class Check(NamedTuple):
    """A named check: its code (the quarantine's ``check``), the column it judges (``None``: the record) and its function.

    Examples
    --------
    >>> check = CHECKS[0]
    >>> check.code, check.column, check.find.__name__
    ('field_count', None, 'field_count')
    """

    code: str
    column: str | None
    find: Callable[[CodedRows, Any, np.ndarray], Failures]


#: The checks in the order that names a row's reason (the earliest failed check wins).
CHECKS: tuple[Check, ...] = (
    Check("field_count", None, field_count),
    Check("duplicate_record_id", "record_id", duplicate_record_id),
    *(Check("unsafe_cell", name, unsafe_cell) for name in SHEET_COLUMNS),
    *(Check("empty_required", name, empty_required) for name, (is_required, _) in SHEET_COLUMNS.items() if is_required),
    Check("unknown_status", "status", unknown_status),
    Check("unknown_scope_level", "scope_level", unknown_scope_level),
    Check("unknown_indicator", "indicator_id", unknown_indicator),
    Check("quote_not_in_document", "quote", quote_not_in_document),
    Check("raw_text_not_in_quote", "raw_text", raw_text_not_in_quote),
    Check("quantity_unparsed", "raw_text", quantity_unparsed),
    Check("period_unparsed", "period_text", period_unparsed),
    Check("place_unresolved", "scope_zh", place_unresolved),
    Check("unit_mismatch", "raw_text", unit_mismatch),
    Check("target_period_status", "status", target_period_status),
    Check("scope_level_mismatch", "scope_level", scope_level_mismatch),
)
#: The code of a processed row that fails the pandera schema (checked after cleaning).
SCHEMA_CHECK = "schema"


class Verdicts:
    """The first failed check of every row (its index in ``checks``) and that check's message.

    Examples
    --------
    >>> verdicts = Verdicts(3)
    >>> verdicts.record(4, Failures(np.array([1]), np.array([0]), [": bad"]))
    >>> verdicts.pending.tolist(), verdicts.check.tolist()
    ([True, False, True], [-1, 4, -1])
    """

    def __init__(self, n: int) -> None:
        self.message = np.full(n, -1, dtype="int64")
        self.check = np.full(n, -1, dtype="int64")
        self.messages: list[str] = []

    @property
    def pending(self) -> np.ndarray:
        return self.message < 0

    def record(self, check: int, failures: Failures) -> None:
        """The failing rows that no earlier check refused take this check and its message."""
        first = self.message[failures.rows] < 0
        rows = failures.rows[first]
        if len(rows):
            self.message[rows] = len(self.messages) + failures.message[first]
            self.check[rows] = check
            self.messages.extend(failures.messages)


def run_checks(rows: CodedRows, checks: Sequence[Check] = CHECKS) -> Verdicts:
    """Run ``checks`` in order, each on the rows no earlier check refused.

    Examples
    --------
    >>> from kexie_research.steps.codebook import read_codebook
    >>> sheets = pd.DataFrame({name: pd.array(["=1"], dtype="str") for name in SHEET_COLUMNS})
    >>> sheets = sheets.assign(sheet="s.csv", row=2, source_id="wuzhou_article", read_problem=pd.array([None], dtype="str"))
    >>> rows = CodedRows(sheets, read_codebook(), PlaceResolver.from_raw(), {"wuzhou_article": {"file": "x.txt"}}, {})
    >>> verdicts = run_checks(rows)
    >>> CHECKS[verdicts.check[0]][:2], verdicts.messages[verdicts.message[0]][:30]
    (('unsafe_cell', 'record_id'), ": column 'record_id' starts wi")
    """
    verdicts = Verdicts(rows.n)
    for number, check in enumerate(checks):
        verdicts.record(number, check.find(rows, check.column, np.flatnonzero(verdicts.pending)))
    return verdicts


# ------------------------------------------------------------------------------------------------
# Worked examples: a real coded row of the project's data, changed one cell at a time
# ------------------------------------------------------------------------------------------------
#: A coded row of ``wuzhou_article`` that passes every check (its quote is in the document).
EXAMPLE_ROW: dict[str, str] = {
    "record_id": "WZ-002",
    "indicator_id": "kexie_annual_work_budget",
    "scope_zh": "梧州市科协",
    "scope_level": "city",
    "raw_text": "51万元",
    "period_text": "2020年",
    "status": "achieved",
    "quote": "梧州市科协51万元",
    "note": "",
}


@lru_cache(maxsize=1)
def _example_context() -> tuple[Codebook, PlaceResolver, dict[str, dict[str, Any]], dict[str, str]]:
    from kexie_research.steps.codebook import read_codebook
    from kexie_research.steps.indicators import read_documents
    from kexie_research.steps.sources import read_sources

    entries = [entry for entry in read_sources() if entry["source_id"] == "wuzhou_article"]
    sources = {entry["source_id"]: entry for entry in entries}
    return read_codebook(), PlaceResolver.from_raw(), sources, read_documents(raw_dir(), entries)


def example_rows(*changes: dict[str, str]) -> CodedRows:
    """Rows to check: :data:`EXAMPLE_ROW` with each dict's cells changed, one row per dict (one unchanged row without any).

    Built on the project's data (``wuzhou_article`` and its document), for examples and quick trials.

    Examples
    --------
    >>> rows = example_rows({}, {"raw_text": "许多"})
    >>> rows.n, rows.sheets["raw_text"].tolist()
    (2, ['51万元', '许多'])
    """
    codebook, resolver, sources, documents = _example_context()
    records = [{**EXAMPLE_ROW, **change} for change in (changes or ({},))]
    problems = [record.pop(READ_PROBLEM, None) for record in records]
    sheets = pd.DataFrame({name: pd.array([record[name] for record in records], dtype="str") for name in SHEET_COLUMNS})
    sheets = sheets.assign(
        sheet="wuzhou_article.csv",
        row=range(2, 2 + len(records)),
        source_id="wuzhou_article",
        read_problem=pd.array(problems, dtype="str"),
    )
    return CodedRows(sheets, codebook, resolver, sources, documents)


def first_failure(rows: CodedRows, row: int = -1) -> tuple[str, str | None, str] | None:
    """The first check a row fails (its code, column and message), or ``None`` when it passes every check.

    Examples
    --------
    >>> first_failure(example_rows()) is None
    True
    >>> first_failure(example_rows({"status": "done"}))
    ('unknown_status', 'status', ": status 'done' is not one of achieved, target")
    """
    verdicts = run_checks(rows)
    position = range(rows.n)[row]
    if verdicts.pending[position]:
        return None
    check = CHECKS[verdicts.check[position]]
    return check.code, check.column, verdicts.messages[verdicts.message[position]]
