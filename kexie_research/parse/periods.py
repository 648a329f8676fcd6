"""Parse the period a coded fact refers to (``2020年``, ``2017年~2020年``, ``近3年``, ``到2021年底``).

A coding sheet copies the period as the document writes it (``period_text``). This module maps it
to calendar bounds: ``start`` and ``end`` are ISO dates (``YYYY-MM-DD``) or ``None`` where the text
leaves that side open. Relative periods (``近3年``, ``目前``, ``2018年以来``) are measured from the
document's ``reference_date`` (its date of publication), passed as ``YYYY-MM-DD``.

Accepted forms (after Unicode NFKC normalisation, spaces and quotation marks removed)
-------------------------------------------------------------------------------------
====================================== ============== ============================ ========== ========
text                                   kind           start .. end                 is_target  resolved
====================================== ============== ============================ ========== ========
empty or ``None``                      unknown        None .. None                 False      False
``2020年``                             year           2020-01-01 .. 2020-12-31     False      True
``2021年上半年`` / ``下半年``          half_year      2021-01-01 .. 2021-06-30     False      True
``2021年1月``                          month          2021-01-01 .. 2021-01-31     False      True
``2021年5月10日`` (also 号)            day            2021-05-10 .. 2021-05-10     False      True
``2017年~2020年``, ``2017年～2020年``, span           2017-01-01 .. 2020-12-31     False      True
``2015年至2017年``, ``2017—2020年``,
``2021年1月至6月``
(also 到, -, 间/期间 after)
``近3年``, ``近三年``, ``近3年来``     recent_years   Jan 1 of (ref year − N + 1)  False      with ref
(N at most 100)                                       .. reference_date
``截至目前``, ``目前``, ``现有``,      as_of          None .. reference_date       False      with ref
``当前``, ``至今``, ``到目前为止`` …
``截至2020年底``, ``截止2021年6月``    as_of          None .. end of that date     False      True
``2020年底``, ``2020年末``             as_of          None .. 2020-12-31           False      True
``2018年以来``, ``自2019年以来``,      since          2018-01-01 .. reference_date False      with ref
``从2019年至今``                                      (end None without ref)
``到2021年底``, ``到2021年``,          target         None .. 2021-12-31           True       True
``2021年底前``, ``至2022年``
``今年``, ``去年``, ``前年``, ``本年`` relative_year  bounds of that year of ref   False      with ref
``“十四五”期间``, ``十三五时期``       plan           2021-01-01 .. 2025-12-31     False      True
``“十四五”末``, ``到十四五末``         as_of / target None .. 2025-12-31           (到: True) True
``每年``, ``每年度``, ``每月``,        recurring      None .. None                 False      False
``每季度``
``几年前``, ``近年来``, ``近年``,      vague          None .. None                 False      False
``近几年``, ``多年来``, ``历年`` …
====================================== ============== ============================ ========== ========

"with ref" means: True (and the bound filled in) when ``reference_date`` is given, otherwise False
with the bound left ``None``. An empty text means the document gives no period: nothing to place
on the calendar, hence ``resolved=False``. ``raw`` keeps the text as given (``""`` for ``None``).

``is_target`` is what the wording says (到/至 … or … 前 mark a deadline); whether a fact is a goal
or an achievement is recorded by the coding sheet's own ``status`` column.

Years, months and days may be written in Arabic or Chinese numerals (``二〇二一年五月``); Chinese
numerals are read by the numeral reader of :mod:`kexie_research.parse.quantities`, in time linear in the
text; ``近N年`` takes N up to :data:`MAX_RECENT_YEARS` and plans up to the :data:`MAX_PLAN`-th, so that a
year after 近 (``近2022年``) or a run of digits (``二九二五二九二五…``) is named, not overflowed. Anything else raises :class:`~kexie_research.errors.ParseError`
naming the text and listing the accepted forms.

>>> parse_period("2017年~2020年")
Period(start='2017-01-01', end='2020-12-31', is_target=False, resolved=True, raw='2017年~2020年', kind='span')
>>> parse_period("近3年", reference_date="2021-05-10").start
'2019-01-01'
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from kexie_research.errors import ParseError
from kexie_research.parse.numerals import (
    DASH_TRANSLATE,
    DATE,
    MONTH_DAY,
    SEPARATOR,
    YEAR,
    NumeralError,
    alternation,
    read_date_number,
)

__all__ = [
    "MAX_PLAN",
    "MAX_RECENT_YEARS",
    "NOW_WORDS",
    "PERIOD_CUE_RE",
    "RECURRING_WORDS",
    "VAGUE_WORDS",
    "Period",
    "is_iso_date",
    "parse_period",
]

#: Texts meaning "as of the document's date".
NOW_WORDS: tuple[str, ...] = (
    "截至目前",
    "截止目前",
    "截至目前为止",
    "截止目前为止",
    "到目前为止",
    "目前为止",
    "目前",
    "现有",
    "当前",
    "至今",
    "现在",
    "如今",
)
#: Texts of a recurring period (a figure per year, per month …): no single calendar span.
RECURRING_WORDS: tuple[str, ...] = ("每年", "每年度", "每月", "每季度")
#: Texts too vague to place on the calendar.
VAGUE_WORDS: tuple[str, ...] = (
    "几年前",
    "近年来",
    "近年",
    "近几年",
    "近几年来",
    "近些年",
    "近些年来",
    "多年来",
    "多年",
    "历年",
    "以往",
    "过去",
)

_ACCEPTED = (
    "accepted forms: empty, 2020年, 2021年上半年, 2021年1月, 2021年5月10日, 2017年~2020年 / 2015年至2017年 / "
    "2017—2020年, 近3年 / 近三年, 截至目前 / 目前 / 现有, 截至2020年底, 2020年底, 2018年以来 / "
    "自2019年以来, 到2021年底 / 到2021年 / 2021年底前, 今年 / 去年, “十四五”期间 / 十四五末, "
    "每年 (recurring), 几年前 / 近年来 (vague)"
)

# --- regular expressions --------------------------------------------------------------------
_Y = YEAR
_MD = MONTH_DAY
_DATE = rf"(?P<y>{_Y})年(?:(?P<m>{_MD})月(?:(?P<d>{_MD})[日号])?)?"
_DATE_RE = re.compile(_DATE)
_HALF_RE = re.compile(rf"(?P<y>{_Y})年(?P<half>上|下)半年")
_SEP = r"~|—{1,2}|-|至|到"
_SPAN_RE = re.compile(
    rf"(?P<ay>{_Y})(?:年(?:(?P<am>{_MD})月(?:(?P<ad>{_MD})[日号])?)?)?"
    rf"(?:{_SEP})"
    rf"(?:(?P<by>{_Y})(?:年(?:(?P<bm>{_MD})月(?:(?P<bd>{_MD})[日号])?)?)?"
    rf"|(?P<bm2>{_MD})月(?:(?P<bd2>{_MD})[日号])?)"
    r"(?:期间|间)?"
)
_RECENT_RE = re.compile(rf"(?:近|最近|过去)(?P<n>\d+|[一二两三四五六七八九十百]+)年(?:来|以来)?")
_SINCE_RE = re.compile(rf"(?:自|从)?{_DATE}(?:以来|至今)")
# 前 only after 底/末: "2020年前" alone may mean "before 2020" and is not guessed at.
_TARGET_RE = re.compile(rf"(?P<pre>到|至)?{_DATE}(?:(?P<end>底|末)(?P<post>前|之前)?)?")
_ASOF_RE = re.compile(rf"(?:截至|截止)(?:到)?{_DATE}(?:底|末)?(?:止|为止)?")
_PLAN_RE = re.compile(r"(?P<pre>到|至)?(?P<k>[一二三四五六七八九十]{1,3}?)五(?:规划)?(?P<tail>期间|时期|末|末期)?")
_RELATIVE_YEARS: dict[str, int] = {"今年": 0, "本年": 0, "本年度": 0, "去年": -1, "上年": -1, "前年": -2}


# --- period cues in running text ----------------------------------------------------------------
_CUE_Y = rf"(?:{YEAR})"
_CUE_MD = rf"(?:{MONTH_DAY})"
_CUE_DATE = DATE
_CUE_SEP = rf"(?:{SEPARATOR})"
#: The period expressions of running text as written (longest and most specific forms first): the
#: extractor's period cues, each then read with :func:`parse_period`.
PERIOD_CUE_RE = re.compile(
    # A cheap look-ahead on the first character lets the scan skip most positions at once.
    "(?=["
    + re.escape("".join(sorted({"截", "自", "从", "到", "至", "近", "最", "过", "“", "十", "今", "去", "前", "本",
                                *"0123456789〇零一二三四五六七八九",
                                *(w[0] for w in (*NOW_WORDS, *RECURRING_WORDS, *VAGUE_WORDS))})))
    + "])(?:"
    + "|".join(
        [
            rf"(?:截至|截止)到?(?:目前(?:为止)?|{_CUE_DATE}(?:底|末)?(?:止|为止)?)",
            rf"(?:自|从){_CUE_DATE}(?:以来|至今)",
            rf"{_CUE_Y}(?:年(?:{_CUE_MD}月(?:{_CUE_MD}[日号])?)?)?{_CUE_SEP}(?:{_CUE_Y}(?:年(?:{_CUE_MD}月(?:{_CUE_MD}[日号])?)?)|{_CUE_MD}月(?:{_CUE_MD}[日号])?)(?:期间|间)?",
            rf"{_CUE_DATE}(?:以来|至今)",
            rf"(?:到|至){_CUE_DATE}(?:底|末)?(?:前|之前)?",
            rf"{_CUE_DATE}(?:底|末)(?:前|之前)?",
            rf"{_CUE_Y}年(?:上|下)半年",
            _CUE_DATE,
            r"(?:近|最近|过去)(?:\d+|[一二两三四五六七八九十]+)年(?:来|以来)?",
            r"(?:到|至)?“?十[一二三四五六七八九]五”?(?:规划)?(?:期间|时期|末期|末)?",
            alternation([*NOW_WORDS, *RECURRING_WORDS, *VAGUE_WORDS, "今年", "去年", "前年", "本年度", "本年"]),
        ]
    )
    + ")"
)

# Dash and tilde variants NFKC leaves alone; quotation marks around plan names are dropped.
_TRANSLATE = DASH_TRANSLATE
_SPACE_RE = re.compile(r"\s+")
_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Period:
    """A period as calendar bounds.

    Attributes
    ----------
    start : str or None
        First day (``YYYY-MM-DD``) or ``None`` when the text leaves it open or unresolved.
    end : str or None
        Last day (``YYYY-MM-DD``) or ``None``.
    is_target : bool
        The wording marks a deadline (到2021年底, 2021年底前).
    resolved : bool
        The text could be placed on the calendar as far as it states a period; False for empty,
        vague and recurring texts and for relative texts without a reference date.
    raw : str
        The text as given (``""`` for ``None``).
    kind : str
        The form recognised (see the module docstring), e.g. ``"year"``, ``"span"``.

    Examples
    --------
    >>> p = parse_period("2021年上半年")
    >>> (p.start, p.end, p.kind)
    ('2021-01-01', '2021-06-30', 'half_year')
    """

    start: str | None
    end: str | None
    is_target: bool
    resolved: bool
    raw: str
    kind: str = "unknown"


class _Unparsable(Exception):
    """Internal: carries the reason; parse_period turns it into a ParseError quoting the text."""


#: The largest N of 近N年 / 近N个 and the latest five-year plan number read: beyond them the text
#: is not a period (近2022年 is a year written after 近, not 2022 years).
MAX_RECENT_YEARS = 100
MAX_PLAN = 99


_PARTIAL_ISO_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def is_iso_date(text: str, day: bool = False) -> bool:
    """Whether ``text`` is an ISO date of the calendar: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    The form a manifest, a timeline or ``kexie add-source --date`` records: as precise as the source
    gives it (only ``YYYY-MM-DD`` with ``day=True``), a real year, month or day, in ASCII digits.

    Examples
    --------
    >>> [is_iso_date(t) for t in ("2021-05-10", "2021-05", "2021", "2016-99", "2021-02-30", "May 2021")]
    [True, True, True, False, False, False]
    >>> is_iso_date("2021-05", day=True), is_iso_date("2021-05-10", day=True)
    (False, True)
    """
    match = _PARTIAL_ISO_RE.fullmatch(text) if isinstance(text, str) else None
    if match is None or (day and match.group(3) is None):
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _int(token: str) -> int:
    """Read a year (four digits, also 二〇二一), a month, a day or a count, in linear time."""
    try:
        return read_date_number(token)
    except NumeralError as exc:
        raise _Unparsable(str(exc)) from None


def _date(year: int, month: int = 1, day: int = 1) -> dt.date:
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError) as exc:
        raise _Unparsable(f"not a calendar date ({exc})") from None


def _bounds(y: str, m: str | None = None, d: str | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of a year, a month of a year, or a day."""
    year = _int(y)
    if m is None:
        return _date(year, 1, 1), _date(year, 12, 31)
    month = _int(m)
    if d is None:
        if not 1 <= month <= 12:
            raise _Unparsable(f"not a calendar date (month {month} is not 1-12)")
        return _date(year, month, 1), _date(year, month, calendar.monthrange(year, month)[1])
    day = _date(year, month, _int(d))
    return day, day


def _reference(reference_date: object) -> dt.date | None:
    if reference_date is None:
        return None
    if isinstance(reference_date, dt.datetime):  # also pandas.Timestamp
        return reference_date.date()
    if isinstance(reference_date, dt.date):
        return reference_date
    if isinstance(reference_date, str):
        if reference_date == "":
            return None
        if _ISO_RE.fullmatch(reference_date):
            try:
                return dt.date.fromisoformat(reference_date)
            except ValueError:
                pass
    elif _is_missing(reference_date):  # NaN / pd.NA from a DataFrame cell: no reference date
        return None
    raise ParseError(f"reference_date {reference_date!r} is not an ISO date YYYY-MM-DD")


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-likes and other objects: not a missing scalar
        return False


def _shown(text: str) -> str:
    """The text for a message: quoted in full, or its head and length when very long."""
    return f"{text[:60]!r}… ({len(text)} characters)" if len(text) > 80 else repr(text)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _resolve(text: str, ref: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool, bool, str]:
    """Return start, end, is_target, resolved, kind for a normalised text."""
    if not text:
        return None, None, False, False, "unknown"
    if text in RECURRING_WORDS:
        return None, None, False, False, "recurring"
    if text in VAGUE_WORDS:
        return None, None, False, False, "vague"
    if text in NOW_WORDS:
        return None, ref, False, ref is not None, "as_of"
    if text in _RELATIVE_YEARS:
        if ref is None:
            return None, None, False, False, "relative_year"
        year = ref.year + _RELATIVE_YEARS[text]
        return _date(year, 1, 1), _date(year, 12, 31), False, True, "relative_year"

    if m := _DATE_RE.fullmatch(text):
        start, end = _bounds(m["y"], m["m"], m["d"])
        return start, end, False, True, "day" if m["d"] else "month" if m["m"] else "year"
    if m := _HALF_RE.fullmatch(text):
        year = _int(m["y"])
        if m["half"] == "上":
            return _date(year, 1, 1), _date(year, 6, 30), False, True, "half_year"
        return _date(year, 7, 1), _date(year, 12, 31), False, True, "half_year"
    if m := _SPAN_RE.fullmatch(text):
        start, _ = _bounds(m["ay"], m["am"], m["ad"])
        if m["by"] is not None:
            _, end = _bounds(m["by"], m["bm"], m["bd"])
        else:  # 2021年1月至6月: the right end inherits the year of the left
            if m["am"] is None:
                raise _Unparsable("a span from a year to a month needs the month's year")
            _, end = _bounds(m["ay"], m["bm2"], m["bd2"])
        if start > end:
            raise _Unparsable(f"the span starts ({start}) after it ends ({end})")
        return start, end, False, True, "span"
    if m := _RECENT_RE.fullmatch(text):
        n = _int(m["n"])
        if n < 1:
            raise _Unparsable("近N年 needs N of at least 1")
        if n > MAX_RECENT_YEARS:
            raise _Unparsable(
                f"近N年 with N = {n} is not a number of recent years (at most {MAX_RECENT_YEARS}); "
                f"a year after 近 is not a period"
            )
        if ref is None:
            return None, None, False, False, "recent_years"
        return _date(ref.year - n + 1, 1, 1), ref, False, True, "recent_years"
    if m := _SINCE_RE.fullmatch(text):
        start, _ = _bounds(m["y"], m["m"], m["d"])
        if ref is not None and ref < start:
            raise _Unparsable(f"the period starts ({start}) after the reference date ({ref})")
        return start, ref, False, ref is not None, "since"
    if m := _ASOF_RE.fullmatch(text):
        _, end = _bounds(m["y"], m["m"], m["d"])
        return None, end, False, True, "as_of"
    if m := _TARGET_RE.fullmatch(text):
        _, end = _bounds(m["y"], m["m"], m["d"])
        if m["pre"] or m["post"]:
            return None, end, True, True, "target"
        # 2020年底 alone: the state at the end of 2020 (2020年 alone matched _DATE_RE above).
        return None, end, False, True, "as_of"
    if m := _PLAN_RE.fullmatch(text):
        k = _int(m["k"])
        if k < 3:
            # The 1st and 2nd plans (1953-1962) were followed by a three-year adjustment.
            raise _Unparsable("only the 3rd (三五) and later five-year plans are supported")
        if k > MAX_PLAN:
            raise _Unparsable(f"a five-year plan numbered {k} (at most {MAX_PLAN})")
        first = 1966 + 5 * (k - 3)
        start, end = _date(first, 1, 1), _date(first + 4, 12, 31)
        if m["tail"] in ("末", "末期"):
            return None, end, bool(m["pre"]), True, "target" if m["pre"] else "as_of"
        if m["pre"]:
            return None, end, True, True, "target"
        return start, end, False, True, "plan"
    raise _Unparsable("not a recognised period")


def parse_period(text: str | None, reference_date: str | None = None) -> Period:
    """Parse a period as written in a Chinese document.

    Args:
        text: the period as written (``"2020年"``, ``"近3年"``, ``"到2021年底"``); ``None``, ``""``,
            NaN and ``pd.NA`` (an empty cell) mean that the document gives no period.
        reference_date: the document's date ``YYYY-MM-DD``, used for relative periods; ``None``
            leaves them unresolved.

    Returns:
        A :class:`Period`; see the module docstring for every form.

    Raises:
        ParseError: the text is not one of the accepted forms, is not a calendar date, or starts
            after it ends; or ``reference_date`` is not ``YYYY-MM-DD``.

    >>> parse_period("到2021年底")
    Period(start=None, end='2021-12-31', is_target=True, resolved=True, raw='到2021年底', kind='target')
    >>> parse_period("截至目前").resolved
    False
    """
    ref = _reference(reference_date)
    if text is None or (not isinstance(text, str) and _is_missing(text)):
        text = ""  # an empty cell of a sheet (None, NaN, pd.NA): the document gives no period
    if not isinstance(text, str):
        raise ParseError(f"cannot parse period {text!r}: expected a str or None; {_ACCEPTED}")
    normalised = _SPACE_RE.sub("", unicodedata.normalize("NFKC", text).translate(_TRANSLATE))
    try:
        start, end, is_target, resolved, kind = _resolve(normalised, ref)
    except _Unparsable as exc:
        raise ParseError(f"cannot parse period {_shown(text)}: {exc}; {_ACCEPTED}") from None
    except (ValueError, ArithmeticError) as exc:  # the contract: a parser raises only ParseError
        raise ParseError(f"cannot parse period {_shown(text)}: {type(exc).__name__}: {exc}; {_ACCEPTED}") from None
    return Period(_iso(start), _iso(end), is_target, resolved, text, kind)
