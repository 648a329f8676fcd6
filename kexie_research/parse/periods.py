"""Parse the period a coded fact refers to (``2020年``, ``2017年~2020年``, ``近3年``, ``到2021年底``).

A coding sheet copies the period as the document writes it (``period_text``). This module maps it
to calendar bounds: ``start`` and ``end`` are ISO dates (``YYYY-MM-DD``) or ``None`` where the text
leaves that side open. Relative periods (``近3年``, ``目前``, ``2018年以来``, ``今年``, ``5月16日``)
are measured from the document's ``reference_date`` (its date of publication), passed as
``YYYY-MM-DD``.

Accepted forms
--------------
Texts are read after the shared normalisation of :func:`kexie_research.parse.numerals.normalise`
(Unicode NFKC, dash variants unified, spaces, quotation marks and pinyin glosses removed, so
``10 月 18 日`` is ``10月18日``) and OpenCC ``t2s`` (traditional script: ``從2008年起``,
``一年來``). ``年度`` reads as ``年`` (a statement year is the calendar year: ``2020年度``),
``月份`` as ``月``; a time of day or weekday after a day is dropped (``2018年9月16日上午``).

================================================================ ================================== =============================== ========== ========
text                                                             kind                               start .. end                    is_target  resolved
================================================================ ================================== =============================== ========== ========
empty or ``None``                                                unknown                            None .. None                    False      False
``2020年``, ``2020年度``, ``2023`` (a year alone)                year                               2020-01-01 .. 2020-12-31        False      True
``2021年上半年`` / ``下半年``                                    half_year                          2021-01-01 .. 2021-06-30        False      True
``2021年第一季度``, ``2021年前三季度``                           quarter                            2021-01-01 .. 2021-03-31        False      True
``2021年1月``                                                    month                              2021-01-01 .. 2021-01-31        False      True
``2021年5月10日`` (also 号; 上午 …)                              day                                2021-05-10 .. 2021-05-10        False      True
``2017年~2020年``, ``2017年～2020年``,                           span                               2017-01-01 .. 2020-12-31        False      True
``2015年至2017年``, ``2017—2020年``,
``2021年1月至6月``, ``2019年1-6月``,
``2018年9月16日至17日``
(also 到, -, 间/期间 after)
``近3年``, ``近三年``, ``过去十年``,                             recent_years                       Jan 1 of (ref year − N + 1)     False      with ref
``连续七年``, ``这三年来`` (N at most 100)                                                          .. reference_date
``6年来``, ``一年來``, ``26年以来`` (bare N)                     recent_years                       Jan 1 of (ref year − N)         False      with ref
                                                                                                    .. reference_date
``今后5年``, ``未来五年``                                        coming_years                       Jan 1 of ref year               False      with ref
                                                                                                    .. Dec 31 of (ref year + N − 1)
``近3个月``, ``3个月来``                                         recent_months                      1st of (ref month − N + 1)      False      with ref
                                                                                                    .. reference_date
``截至目前``, ``目前``, ``现有``,                                as_of                              None .. reference_date          False      with ref
``已经``, ``已`` (already: by that date),
``当前``, ``至今``, ``到目前为止``, ``至此``,
``迄今``, ``现阶段``, ``截至发稿时`` …,
``近日``, ``日前`` (recently)
``新冠肺炎疫情期间``, ``科普日期间``                             during                             None .. reference_date          False      with ref
(a named stretch, no year)
``截至2020年底``, ``截止2021年6月``                              as_of                              None .. end of that date        False      True
``至2012年为止``, ``到2020年底止``                               as_of                              None .. 2012-12-31              False      True
``2020年底``, ``2020年末``, ``2020年年底``                       year_end                           2020-01-01 .. 2020-12-31        False      True
(a year-end stock: the year's figure)
``2021年6月底`` (a month's end)                                  as_of                              None .. 2021-06-30              False      True
``2018年以来``, ``自2019年以来``,                                since                              2018-01-01 .. reference_date    False      with ref
``从2019年至今``, ``从2008年起``,                                                                   (end None without ref)
``2007年起``, ``自2006年7月启动至今``,
``自2018年初试点以来``, ``十三五以来``
``到2021年底``, ``到2021年``,                                    target                             2021-01-01 .. 2021-12-31        True       True
``2021年底前``, ``至2022年`` (the target year);
``到2021年6月`` (a deadline within a year)                       target                             None .. 2021-06-30              True       True
``今年``, ``本年度``, ``去年``,                                  relative_year                      bounds of that year of ref      False      with ref
``上年度``, ``前年``, ``明年``, ``年内``
``过去的一年``, ``过去一年``                                     relative_year                      the year before ref's year      False      with ref
                                                                                                    (ref's own year from October)
``5月16日``, ``6月``, ``上半年``,                                day, month …                       that date of ref's year         as read    with ref
``今年上半年``, ``截至去年底``, ``到6月底``,
``截至年底``, ``到年底``
``2019年11月下旬``, ``11月上旬``,                                month_part                         2019-11-21 .. 2019-11-30        False      True
``2019年11月初`` (初 = 上旬, 中 = 中旬)
``2019年9月16—18日``, ``16—18日``                                span                               2019-09-16 .. 2019-09-18        False      True
``2019-09-16``, ``2019.9.16``                                    day                                2019-09-16 .. 2019-09-16        False      True
``16日上午`` (a day without its month)                           day                                that day of ref's month         False      with ref
``2018年比2017年``, ``2018年较上年``                             comparison                         the first: 2018                 False      True
``2007年、2010年和2012年``,                                      list                               2007-01-01 .. 2012-12-31        False      True
``2007、2010和2012年``, ``2019年3月、5月``
``仅2020年``, ``在2020年``,                                      as the rest                        (filler words dropped)          as read    as read
``2020年全年``, ``2020年内``,
``自9月20日至26日`` (自/从 before a span)
``“十四五”期间``, ``十三五时期``                                 plan                               2021-01-01 .. 2025-12-31        False      True
``“十四五”末``, ``十二五期末``,                                  year / target                      2025-01-01 .. 2025-12-31        (到: True) True
``到十四五末`` (the plan's last year)
``每年``, ``每年度``, ``每月``,                                  recurring                          None .. None                    False      False
``每季度``
``几年前``, ``近年来``, ``近年``,                                vague                              None .. None                    False      False
``近几年``, ``多年来``, ``数年来``,
``近日``, ``近期``, ``长期以来`` …
================================================================ ================================== =============================== ========== ========

"with ref" means: True (and the bound filled in) when ``reference_date`` is given, otherwise False
with the bound left ``None`` (the form is still checked: ``2月30日`` raises). An empty text means the
document gives no period: nothing to place on the calendar, hence ``resolved=False``. ``raw`` keeps
the text as given (``""`` for ``None``).

Shapes behind the forms: a **since** is ``[自|从] start [event words] 以来|至今|起|开始``, where the
start is a date, a date's ``初`` (its first day), ``中`` or ``底`` (the middle or last part of the
year or month) or a five-year plan, and the event words (``启动``, ``试点``, at most 12 characters)
name what began then. An **as of** states the state at a date (``截至`` …, or ``到``/``至`` … ``为止``):
not a deadline. A **target** is a deadline (``到``/``至`` … without ``为止``, or … ``底前``); a deadline
that names a year reads as that year, the goal's year (the coding rules' ``到2020年``). A
**duration** counts N calendar years (or months) up to the reference date, the reference year
included (the rule of ``近N年``); a bare ``N年来`` counts back N years from the reference date, so it
starts in the year N years before it (``26年来`` written in 2026: since 2000). A **year-end** stock
(``2020年底``) is the year's figure, as statistics report a year; ``截至2020年底`` is an as of. A
**during** names a stretch without dates (``疫情期间``): what it reports holds by the reference date. A **comparison** ``A比B`` (also 较, 同比, 与…相比) is the period A;
``parts`` holds A and its baseline B (``上年``: the year before A). A **list** of dates joined by
``、``, ``,``, ``和``, ``及``, ``与``, ``以及`` spans its first to its last date, each one kept in
``parts``; a year written once after the last item belongs to every bare year, a month without a
year takes the year of the item before it. A month, half-year or quarter without a year, and a
relative year inside a longer text, take the reference year (the document's year).

``is_target`` is what the wording says (到/至 … or … 前 mark a deadline); whether a fact is a goal
or an achievement is recorded by the coding sheet's own ``status`` column.

Years, months and days may be written in Arabic or Chinese numerals (``二〇二一年五月``); numerals are
read by the shared lexer :mod:`kexie_research.parse.numerals`, in time linear in the text;
``近N年`` takes N up to :data:`MAX_RECENT_YEARS` and plans up to the :data:`MAX_PLAN`-th, so that a
year after 近 (``近2022年``) or a run of digits (``二九二五二九二五…``) is named, not overflowed.
Anything else raises :class:`~kexie_research.errors.ParseError` naming the text and listing the
accepted forms. :data:`PERIOD_CUE_RE` finds these expressions in running text.

>>> parse_period("2017年~2020年")
Period(start='2017-01-01', end='2020-12-31', is_target=False, resolved=True, raw='2017年~2020年', kind='span', parts=())
>>> parse_period("近3年", reference_date="2021-05-10").start
'2019-01-01'
>>> parse_period("至2012年为止").kind
'as_of'
>>> parse_period("2007年、2010年和2012年").parts[1]
('2010-01-01', '2010-12-31')
"""

from __future__ import annotations

import calendar
import functools
import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from kexie_research.errors import ParseError
from kexie_research.parse.numerals import (
    CN_DIGIT_CHARS,
    MONTH_DAY,
    SEPARATOR,
    SPACE,
    YEAR,
    NumeralError,
    alternation,
    converter,
    date_pattern,
    normalise,
    read_date_number,
)

__all__ = [
    "MAX_PLAN",
    "MAX_RECENT_YEARS",
    "NOW_WORDS",
    "PERIOD_CUE_RE",
    "RECENT_DAY_WORDS",
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
    "迄今",
    "迄今为止",
    "至今为止",
    "到现在",
    "到现在为止",
    "现阶段",
    "截至发稿时",
    "截至发稿",
    "至此",
)
#: News words for "recently" (近日, 日前): what they report is the state by the document's date
#: (as of it); the extractor still prefers a calendar cue of the same sentence to them.
RECENT_DAY_WORDS: tuple[str, ...] = ("近日", "日前")
# 已经 (already) attached to a fact: the state by the document's date. Read by parse_period only,
# never a period cue of running text (there 已 marks the status, the period comes from elsewhere).
_ALREADY_WORDS: tuple[str, ...] = ("已经", "已", "现")
# 已建, 已有, 已经完成 (already + a verb), 现有 …: the state by the document's date.
_ALREADY_VERB_RE = re.compile(r"(?:已经|已|现)[\u4e00-\u9fff]{1,2}")
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
    "数年来",
    "数年",
    "历年",
    "以往",
    "过去",
    "近期",
    "近来",
    "此前",
    "以前",
    "往年",
    "长期以来",
    "一直以来",
)

_ACCEPTED = (
    "accepted forms: empty, 2020年, 2020年度, 2021年上半年, 2021年第一季度, 2021年1月, 2021年5月10日, "
    "2017年~2020年 / 2015年至2017年 / 2017—2020年 / 2019年1-6月, 近3年 / 6年来 / 连续七年, 截至目前 / 目前, "
    "截至2020年底 / 至2012年为止, 2020年底, 2018年以来 / 从2008年起 / 自2018年初试点以来, "
    "到2021年底 / 2021年底前, 今年 / 去年 / 本年度 / 过去的一年, 5月16日 / 6月 (the reference year), "
    "2018年比2017年, 2007年、2010年和2012年, “十四五”期间 / 十四五末, 每年 (recurring), 几年前 / 近年来 (vague)"
)

# --- regular expressions (on the normalised, simplified text) -------------------------------
_Y = YEAR
_MD = MONTH_DAY
_DATE = date_pattern()
_DATE_RE = re.compile(_DATE)
_HALF_RE = re.compile(rf"(?P<y>{_Y})年(?P<half>上|下)半年")
_QUARTER_RE = re.compile(rf"(?P<y>{_Y})年(?:(?P<first>前)|第)?(?P<q>[一二三四1234])(?:个)?季度")
_SEP = r"~|—{1,2}|-|至|到"
_SPAN_RE = re.compile(
    rf"(?P<ay>{_Y})(?:年(?:(?P<am>{_MD})月(?:(?P<ad>{_MD})[日号])?)?)?"
    rf"(?:{_SEP})"
    rf"(?:(?P<by>{_Y})(?:年(?:(?P<bm>{_MD})月(?:(?P<bd>{_MD})[日号])?)?)?"
    rf"|(?P<bm2>{_MD})月(?:(?P<bd2>{_MD})[日号])?"
    rf"|(?P<bd3>{_MD})[日号])"
    r"(?:期间|间)?"
)
# 2019年11月下旬, 2019年11月初: ten days of a month (上旬 1-10, 中旬 11-20, 下旬 21-end).
_MONTH_PART_RE = re.compile(rf"(?P<y>{_Y})年(?P<m>{_MD})月(?P<part>上旬|中旬|下旬|初|中)")
# 2019年9月16—18日: days of one month written once.
_DAY_SPAN_RE = re.compile(rf"(?P<y>{_Y})年(?P<m>{_MD})月(?P<ad>{_MD})(?:{_SEP})(?P<bd>{_MD})[日号]")
# 2019-09-16, 2019.9.16, 2019/9/16: a day written the numeric way.
_NUMERIC_DAY_RE = re.compile(r"(?P<y>\d{4})(?P<s>[-./])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})")
# 2019年1-6月 / 2019年1至6月: months of one year written once.
_MONTH_SPAN_RE = re.compile(rf"(?P<y>{_Y})年(?P<am>{_MD})(?:{_SEP})(?P<bm>{_MD})月(?:期间|间)?")
_N = r"\d+|[一二两三四五六七八九十百]+"
# 今后5年, 未来五年: the N calendar years from the reference year on.
_COMING_RE = re.compile(rf"(?:今后|未来|此后|之后)(?P<n>{_N})(?:个)?年(?:内|间|里|中)?")
# 近3年, 过去十年, 6年来, 一年来, 连续七年, 这三年来: the N years up to the reference date.
_RECENT_RE = re.compile(
    rf"(?:(?P<pre>近|最近|过去|过去的|这|连续)(?P<n>{_N})(?P<unit>年|个月)(?:来|以来|中|里|间)?"
    rf"|(?P<n2>\d{{1,2}}|[一二两三四五六七八九十]{{1,3}})(?P<unit2>年|个月)(?:来|以来))"
)
# A start (a date, its 初/中/底, or a five-year plan), event words (启动, 试点 …), then 以来/至今/起.
_EVENT = r"(?:(?![年月日号至到以起])[\u4e00-\u9fff]){0,12}?"
_SINCE_RE = re.compile(
    rf"(?:自从|自|从|打从)?(?:{_DATE}(?P<part>初|中|底|末)?|(?P<k>[一二三四五六七八九十]{{1,3}}?)五(?:规划)?(?:期间|时期)?)"
    rf"(?P<event>{_EVENT})(?:以来|至今|迄今|起至今|起|开始|伊始)"
)
# 自2018年初 / 从2019年 (a start with 自/从 and nothing after it): since that date.
_SINCE_OPEN_RE = re.compile(
    rf"(?:自从|自|从)(?:{_DATE}(?P<part>初|中|底|末)?|(?P<k>[一二三四五六七八九十]{{1,3}}?)五(?:规划)?)(?P<event>)"
)
# 前 only after 底/末: "2020年前" alone may mean "before 2020" and is not guessed at.
_TARGET_RE = re.compile(rf"(?P<pre>到|至)?{_DATE}(?:(?P<end>底|末)(?P<post>前|之前|以前)?)?")
# 截至2020年底; 至2012年为止 / 到2020年底为止: the state at that date, not a deadline.
_ASOF_RE = re.compile(rf"(?:截至|截止|迄)(?:到)?{_DATE}(?:底|末)?(?:止|为止)?")
_UNTIL_RE = re.compile(rf"(?:到|至){_DATE}(?:底|末)?(?:止|为止)")
_PLAN_RE = re.compile(r"(?P<pre>到|至)?(?P<k>[一二三四五六七八九十]{1,3}?)五(?:规划)?(?P<tail>期间|时期|期末|末|末期)?")
# 2018年比2017年 / 2018年较上年: the first period, against a baseline.
_POINT = rf"(?:{_Y})年(?:(?:{_MD})月(?:(?:{_MD})[日号])?)?"
_BASELINE = rf"{_POINT}|上年|去年|上一年"
_COMPARISON_RE = re.compile(
    rf"(?P<a>{_POINT})(?:(?:比|较|同比|相较)(?:于)?(?P<b>{_BASELINE})(?:同期)?(?:相比)?"
    rf"|(?:与|和|同)(?P<b2>{_BASELINE})(?:同期)?(?:相比|比较|相较))"
)
# The joiners of a list of years (2007年、2010年和2012年).
_LIST_SPLIT_RE = re.compile(r"、|,|以及|和|及|与|跟")
_BARE_YEAR_RE = re.compile(rf"{_Y}")
# A year written alone in Arabic digits (a table header 2023): only a year of the calendar's range.
_BARE_YEAR_TEXT_RE = re.compile(r"(?:19|20)\d\d")
_MONTH_DAY_RE = re.compile(rf"(?P<m>{_MD})月(?:(?P<d>{_MD})[日号])?")
#: Relative years: the offset from the reference date's year.
_RELATIVE_YEARS: dict[str, int] = {
    "今年": 0, "本年": 0, "本年度": 0, "年内": 0, "今年内": 0, "本年内": 0,
    "去年": -1, "上年": -1, "上年度": -1, "上一年": -1, "上一年度": -1, "去年度": -1,
    # A work report's 过去的一年 is the year it reports on: the calendar year before its date (a
    # review written in the last quarter reports on its own year: _PAST_YEAR_OWN_FROM_MONTH).
    "过去的一年": -1, "过去一年": -1, "过去1年": -1,
    "前年": -2, "明年": 1, "来年": 1,
}  # fmt: skip
_PAST_YEAR_WORDS = frozenset({"过去的一年", "过去一年", "过去1年"})
_PAST_YEAR_OWN_FROM_MONTH = 10
# Relative year words inside a longer text (今年上半年, 截至去年底, 本年度): replaced by the year.
_RELATIVE_YEAR_IN_RE = re.compile(r"今年|本年度|本年|去年|上一年度|上一年|上年度|上年|前年|明年")
_RELATIVE_IN_OFFSET = {"今年": 0, "本年度": 0, "本年": 0, "去年": -1, "上一年度": -1, "上一年": -1, "上年度": -1,
                       "上年": -1, "前年": -2, "明年": 1}  # fmt: skip
_ANCHOR_PREFIX = r"(?:截至到|截止到|截至|截止|自从|自|从|到|至|迄|仅|只|在|于)?"
# A month, half-year or quarter written without its year (5月16日, 6月, 上半年, 第一季度): the
# reference year is put in front of it.
_YEARLESS_RE = re.compile(
    rf"^(?P<pre>{_ANCHOR_PREFIX})(?=(?:{_MD})(?:(?:{_SEP})(?:{_MD}))?月|上半年|下半年|(?:前|第)?[一二三四1234]季度|年底|年末)"
)
# A day without its month (16日上午, 16—18日): the reference month and year are put in front of it.
_MONTHLESS_RE = re.compile(rf"^(?P<pre>{_ANCHOR_PREFIX})(?=(?:{_MD})(?:(?:{_SEP})(?:{_MD}))?[日号])")
_HAS_YEAR_RE = re.compile(rf"(?:{_Y})年|\d{{4}}")
# 2012年年底 / 2012年年末: 年 written again before 底 or 末.
_YEAR_END_TWICE_RE = re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})年年(?=[底末])")
# Words around a period that do not change it: 仅2020年, 在2020年, 2020年全年, 2020年内, and the
# 自/从 before a span (自9月20日至26日: from … to …, the span itself).
_FILLER_PREFIX_RE = re.compile(r"^(?:仅仅|仅在|只在|仅|只|单|在|于|自从|自|从)")
# During a named stretch or event (新冠肺炎疫情期间, 科普日期间): not on the calendar; what it
# reports holds by the document's date (start open).
_DURING_RE = re.compile(r"[\u4e00-\u9fff“”\"]{2,16}?(?:期间|时期)")
_FILLER_SUFFIX_RE = re.compile(r"(?:全年|一年|当年|内|中|里)$")
# The time of day after a day (2018年9月16日上午) and a weekday (（星期日）).
_TIME_OF_DAY_RE = re.compile(
    r"(?<=[日号])(?:\((?:星期|周|礼拜)[一二三四五六日天]\))?(?:上午|下午|晚上|早上|中午|凌晨|傍晚|晚间|夜间|晚|早)?$"
)


# --- period cues in running text ----------------------------------------------------------------
# Running text is scanned as written: traditional spellings and layout spaces are part of the
# patterns (parse_period then reads each cue after normalisation).
_S = rf"{SPACE}*"
_CUE_Y = rf"(?:{YEAR})"
_CUE_MD = rf"(?:{MONTH_DAY})"
_CUE_DATE = rf"{_CUE_Y}{_S}年(?:{_S}{_CUE_MD}{_S}月(?:{_S}{_CUE_MD}{_S}[日号號])?)?"
# (also the dash variants that normalise() unifies: 2018―2020年 with a horizontal bar, 2018–2020年)
_CUE_SEP = rf"(?:{SEPARATOR}|―{{1,2}}|[–‐‑−〜])"
_LAI = "(?:以来|以來|来|來)"
# event words between a start and 以来 (启动“三长”制试点): Chinese, with the layout's spaces and quotes
_CUE_EVENT = r"(?:(?![年月日号至到以起])[\u4e00-\u9fff \u3000\"“”‘’]){0,20}?"
# 上年 / 上一年 are left out: in 比上年增长 they name the baseline, not the period.
_CUE_RELATIVE_YEAR = alternation(
    [*(w for w in _RELATIVE_YEARS if not w.startswith("上")), "過去的一年", "過去一年", "上年度"]
)
#: The period expressions of running text as written (longest and most specific forms first): the
#: extractor's period cues, each then read with :func:`parse_period`.
PERIOD_CUE_RE = re.compile(
    # A cheap look-ahead on the first character lets the scan skip most positions at once.
    "(?=["
    + re.escape(
        "".join(
            sorted(
                {
                    "截",
                    "自",
                    "从",
                    "從",
                    "到",
                    "至",
                    "迄",
                    "近",
                    "最",
                    "过",
                    "過",
                    "这",
                    "這",
                    "连",
                    "連",
                    "“",
                    "十",
                    "今",
                    "去",
                    "前",
                    "本",
                    "上",
                    "下",
                    "明",
                    "年",
                    "第",
                    *"0123456789０１２３４５６７８９〇零一二两兩三四五六七八九",
                    *(w[0] for w in (*NOW_WORDS, *RECENT_DAY_WORDS, *RECURRING_WORDS, *VAGUE_WORDS)),
                }
            )
        )
    )
    + "])(?:"
    + "|".join(
        [
            rf"(?:截至|截止)到?(?:目前(?:为止|為止)?|{_CUE_DATE}(?:年?(?:底|末))?(?:止|为止|為止)?)",
            # 截至3月底, 到6月底前, 截止5月20日, 截至今年4月: a day or month of the reference year
            rf"(?<![\d年月])(?:截至|截止|到|至)(?:今年|去年|本年|上年)?{_CUE_MD}月(?:{_CUE_MD}[日号])?(?:底|末)?(?:止|为止|為止|前)?",
            # 截至年底, 到年底前, 到今年年底前: the end of the reference year (or of the year named)
            r"(?:截至|截止|到|至)(?:今年|本年|明年|去年)?(?:年底|年末)(?:止|为止|為止|前|之前)?",
            # 至2012年为止: as of (before the deadline 至2012年 below)
            rf"(?:到|至){_CUE_DATE}(?:年?(?:底|末))?(?:止|为止|為止)",
            rf"(?:自从|自從|自|从|從){_S}{_CUE_DATE}(?:初|中|底|末)?{_CUE_EVENT}(?:{_LAI}|至今|迄今|起|开始|開始)",
            # 自2018年初，… (since, the clause ends at once)
            rf"(?:自从|自從|自|从|從){_S}{_CUE_DATE}(?:初|中|底|末)?(?=[，,])",
            # 现拥有, 现有, 现已 (now): as of the document's date
            r"现(?=拥有|擁有|已|设|設|辖|轄|共有)",
            # a list of years (2007年、2010年和2012年, 2007、2010和2012年): the span of its items
            rf"{_CUE_Y}(?:{_S}年)?(?:{_S}(?:、|和|及|与|與|以及){_S}{_CUE_Y}(?:{_S}年)?)*{_S}(?:、|和|及|与|與|以及){_S}{_CUE_Y}{_S}年(?![底末初中前起度])",
            rf"{_CUE_Y}(?:{_S}年(?:{_S}{_CUE_MD}{_S}月(?:{_S}{_CUE_MD}{_S}[日号])?)?)?{_S}{_CUE_SEP}{_S}(?:{_CUE_Y}(?:{_S}年度?(?:{_S}{_CUE_MD}{_S}月(?:{_S}{_CUE_MD}{_S}[日号])?)?)|{_CUE_MD}{_S}月(?:{_S}{_CUE_MD}{_S}[日号])?)(?:期间|间)?",
            rf"{_CUE_Y}{_S}年{_S}{_CUE_MD}{_S}{_CUE_SEP}{_S}{_CUE_MD}{_S}月",
            # 2019年9月16—18日, 2018年9月16日至17日: days of one month (the first day's 日 may be written)
            rf"{_CUE_Y}{_S}年{_S}{_CUE_MD}{_S}月{_S}{_CUE_MD}{_S}(?:[日号號]{_S})?{_CUE_SEP}{_S}{_CUE_MD}{_S}[日号]",
            rf"{_CUE_Y}{_S}年{_S}{_CUE_MD}{_S}月(?:上旬|中旬|下旬)",
            rf"{_CUE_DATE}(?:初|中|底|末)?{_CUE_EVENT}(?:{_LAI}|至今|迄今)",
            rf"{_CUE_DATE}起(?![草来來步航飞飛])",
            rf"(?:到|至){_CUE_DATE}(?:年?(?:底|末))?(?:前|之前|以前)?",
            rf"{_CUE_DATE}(?:年?(?:底|末))(?:前|之前|以前)?",
            rf"{_CUE_Y}{_S}年{_S}(?:上|下)半年",
            rf"{_CUE_Y}{_S}年{_S}(?:前|第)?[一二三四1-4]季度",
            rf"{_CUE_Y}{_S}年度",
            _CUE_DATE,
            # 今年1-4月, 去年10月, 今年5月16日: months and days of a relative year
            rf"(?:今年|去年|本年|明年|前年)(?:{_CUE_MD}{_S}(?:{_CUE_SEP}{_S}{_CUE_MD}{_S})?月(?:{_S}{_CUE_MD}{_S}[日号號])?)",
            rf"(?:{_CUE_RELATIVE_YEAR})(?:{_LAI}|上半年|下半年|年底|底|末)?",
            rf"(?:近|最近|过去的?|過去的?|这|這|连续|連續)(?:\d+|[一二两兩三四五六七八九十]+)(?:年|个月|個月)(?:{_LAI})?",
            rf"(?<![\d年])(?:\d{{1,2}}|[一二两兩三四五六七八九十]{{1,3}})(?:年|个月|個月){_LAI}",
            r"(?:到|至)?“?十[一二三四五六七八九]五”?(?:规划)?(?:期间|时期|期末|末期|末|以来)?",
            # days or months of the reference year (9月14日至20日, 5月至8月, 9月19日至10月2日)
            rf"(?<![\d年月０-９]){_CUE_MD}{_S}月(?:{_S}{_CUE_MD}{_S}[日号號])?{_CUE_SEP}(?:{_CUE_MD}{_S}月(?:{_S}{_CUE_MD}{_S}[日号號])?|{_CUE_MD}{_S}[日号號])",
            # a month or a day without its year (5月16日, 10 月 18 日, 6月): of the reference year
            rf"(?<![\d年月０-９]){_CUE_MD}{_S}月(?:{_S}{_CUE_MD}{_S}[日号號])?",
            # (至今年4月 is not 至今: the now words do not run into a year)
            rf"(?:{alternation([*NOW_WORDS, *RECENT_DAY_WORDS, *RECURRING_WORDS, *VAGUE_WORDS, '上半年', '下半年'])})(?!年)",
        ]
    )
    + ")"
)

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
    parts : tuple of (start, end)
        The periods the text names one by one: each date of a list (``2007年、2010年和2012年``,
        ``kind="list"``), or the period and its baseline of a comparison (``2018年比2017年``,
        ``kind="comparison"``); ``()`` for every other form.

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
    parts: tuple[tuple[str | None, str | None], ...] = ()


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
    year, month, day_number = (int(part) if part else 1 for part in match.groups())
    try:
        dt.date(year, month, day_number)
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


# (start, end, is_target, resolved, kind, parts)
_Resolved = tuple[dt.date | None, dt.date | None, bool, bool, str, tuple[tuple[dt.date, dt.date], ...]]
#: The year a relative text is read against when no reference date is given: it tells the form
#: (and checks that the text is one), the bounds are then dropped (resolved=False).
_PROBE = dt.date(2000, 12, 31)  # a leap year, so that 2月29日 is a form


def _resolve(text: str, ref: dt.date | None) -> _Resolved:
    """Return start, end, is_target, resolved, kind, parts for a normalised text."""
    if not text:
        return None, None, False, False, "unknown", ()
    if text in RECURRING_WORDS:
        return None, None, False, False, "recurring", ()
    if text in VAGUE_WORDS:
        return None, None, False, False, "vague", ()
    if text in NOW_WORDS or text in RECENT_DAY_WORDS or text in _ALREADY_WORDS or _ALREADY_VERB_RE.fullmatch(text):
        return None, ref, False, ref is not None, "as_of", ()
    if text in _RELATIVE_YEARS:
        if ref is None:
            return None, None, False, False, "relative_year", ()
        year = ref.year + _RELATIVE_YEARS[text]
        if text in _PAST_YEAR_WORDS and ref.month >= _PAST_YEAR_OWN_FROM_MONTH:
            year = ref.year  # 过去的一年 in a review of December: the year now ending
        return _date(year, 1, 1), _date(year, 12, 31), False, True, "relative_year", ()
    # 2018年比上年: the year before the period's own, not the reference date's.
    anchored = None if _COMPARISON_RE.fullmatch(text) else _anchor(text, (ref or _PROBE).year, (ref or _PROBE).month)
    if anchored is None:
        return _absolute(text, ref)
    # A relative text (今年上半年, 5月16日): read against the reference year, or only its form.
    found = _absolute(anchored, ref or _PROBE)
    if ref is None:
        return None, None, found[2], False, found[4], ()
    return found


def _anchor(text: str, year: int, month: int) -> str | None:
    """The text with its relative year (今年, 去年 …) or missing year put in, or None if absolute."""
    if _RELATIVE_YEAR_IN_RE.search(text):
        return _RELATIVE_YEAR_IN_RE.sub(lambda m: f"{year + _RELATIVE_IN_OFFSET[m.group()]}年", text).replace(
            "年年", "年"
        )
    if _HAS_YEAR_RE.search(text) is None:
        m = _YEARLESS_RE.match(text)
        if m is not None:
            rest = text[m.end() :]
            return f"{m['pre']}{year}{rest}" if rest.startswith(("年底", "年末")) else f"{m['pre']}{year}年{rest}"
        if "月" not in text and (m := _MONTHLESS_RE.match(text)) is not None:
            return f"{m['pre']}{year}年{month}月{text[m.end() :]}"
    return None


def _absolute(text: str, ref: dt.date | None) -> _Resolved:
    """Read a text that states its years (see :func:`_resolve`)."""
    text = _TIME_OF_DAY_RE.sub("", text, count=1)
    if "年度" in text:
        text = text.replace("年度", "年")  # 2020年度: the statement year is the calendar year
    if "月份" in text:
        text = text.replace("月份", "月")
    if "年年" in text:
        text = _YEAR_END_TWICE_RE.sub(r"\1年", text)  # 2012年年底: the year's end written with 年 twice
    found = _form(text, ref)
    if found is not None:
        return found
    # 仅2020年, 在2020年, 2020年全年, 2020年内: words that do not change the period.
    bare = _FILLER_SUFFIX_RE.sub("", _FILLER_PREFIX_RE.sub("", text, count=1), count=1)
    if bare and bare != text:
        found = _form(bare, ref)
        if found is not None:
            return found
    raise _Unparsable("not a recognised period")


def _form(text: str, ref: dt.date | None) -> _Resolved | None:
    """The forms of the module docstring, in order; None when none matches."""
    if _BARE_YEAR_TEXT_RE.fullmatch(text):  # 2023 alone (a table's column header): the year
        text += "年"
    if m := _DATE_RE.fullmatch(text):
        start, end = _bounds(m["y"], m["m"], m["d"])
        return start, end, False, True, "day" if m["d"] else "month" if m["m"] else "year", ()
    if m := _HALF_RE.fullmatch(text):
        year = _int(m["y"])
        if m["half"] == "上":
            return _date(year, 1, 1), _date(year, 6, 30), False, True, "half_year", ()
        return _date(year, 7, 1), _date(year, 12, 31), False, True, "half_year", ()
    if m := _QUARTER_RE.fullmatch(text):
        year, quarter = _int(m["y"]), _int(m["q"])
        first = 1 if m["first"] else 3 * quarter - 2
        last = 3 * quarter
        return _date(year, first, 1), _month_end(year, last), False, True, "quarter", ()
    if m := _SPAN_RE.fullmatch(text):
        start, _ = _bounds(m["ay"], m["am"], m["ad"])
        if m["by"] is not None:
            _, end = _bounds(m["by"], m["bm"], m["bd"])
        elif m["bd3"] is not None:  # 2018年9月16日至17日: the right end inherits the month
            if m["ad"] is None:
                raise _Unparsable("a span to a day needs the day's month")
            _, end = _bounds(m["ay"], m["am"], m["bd3"])
        else:  # 2021年1月至6月: the right end inherits the year of the left
            if m["am"] is None:
                raise _Unparsable("a span from a year to a month needs the month's year")
            _, end = _bounds(m["ay"], m["bm2"], m["bd2"])
        if start > end:
            raise _Unparsable(f"the span starts ({start}) after it ends ({end})")
        return start, end, False, True, "span", ()
    if m := _MONTH_PART_RE.fullmatch(text):
        start, end = _bounds(m["y"], m["m"])
        first, last = {"上旬": (1, 10), "初": (1, 10), "中旬": (11, 20), "中": (11, 20), "下旬": (21, end.day)}[
            m["part"]
        ]
        return start.replace(day=first), end.replace(day=last), False, True, "month_part", ()
    if m := _DAY_SPAN_RE.fullmatch(text):
        start, _ = _bounds(m["y"], m["m"], m["ad"])
        _, end = _bounds(m["y"], m["m"], m["bd"])
        if start > end:
            raise _Unparsable(f"the span starts ({start}) after it ends ({end})")
        return start, end, False, True, "span", ()
    if m := _NUMERIC_DAY_RE.fullmatch(text):
        start, end = _bounds(m["y"], m["m"], m["d"])
        return start, end, False, True, "day", ()
    if m := _MONTH_SPAN_RE.fullmatch(text):
        start, _ = _bounds(m["y"], m["am"])
        _, end = _bounds(m["y"], m["bm"])
        if start > end:
            raise _Unparsable(f"the span starts ({start}) after it ends ({end})")
        return start, end, False, True, "span", ()
    if m := _RECENT_RE.fullmatch(text):
        return _recent(m, ref)
    if m := _COMING_RE.fullmatch(text):
        n = _int(m["n"])
        if not 1 <= n <= MAX_RECENT_YEARS:
            raise _Unparsable(f"今后N年 needs N from 1 to {MAX_RECENT_YEARS}, not {n}")
        if ref is None:
            return None, None, False, False, "coming_years", ()
        return _date(ref.year, 1, 1), _date(ref.year + n - 1, 12, 31), False, True, "coming_years", ()
    if (m := _SINCE_RE.fullmatch(text)) or (m := _SINCE_OPEN_RE.fullmatch(text)):
        if m["k"] is not None:
            start, _ = _plan_bounds(m["k"])
        else:
            start = _part_start(m["y"], m["m"], m["d"], m["part"])
        if ref is not None and ref < start:
            raise _Unparsable(f"the period starts ({start}) after the reference date ({ref})")
        return start, ref, False, ref is not None, "since", ()
    if (m := _ASOF_RE.fullmatch(text)) or (m := _UNTIL_RE.fullmatch(text)):
        _, end = _bounds(m["y"], m["m"], m["d"])
        return None, end, False, True, "as_of", ()
    if m := _TARGET_RE.fullmatch(text):
        start, end = _bounds(m["y"], m["m"], m["d"])
        if m["pre"] or m["post"]:
            # 到2020年, 到2020年底, 2020年底前: the goal of that year (the coding rules' target year); a
            # deadline within a year (到2021年6月) leaves its start open
            return (start if m["m"] is None else None), end, True, True, "target", ()
        # 2020年底 alone: a stock at the end of 2020, the figure of the year 2020 (as statistics
        # report a year by its year-end stock); 截至2020年底 is the state at that date (as of)
        if m["m"] is None:
            return start, end, False, True, "year_end", ()
        return None, end, False, True, "as_of", ()  # 2021年5月底: the state at the end of May
    if m := _PLAN_RE.fullmatch(text):
        start, end = _plan_bounds(m["k"])
        if m["tail"] in ("末", "末期", "期末"):
            # “十三五”末: the plan's last year (2020), a goal with 到 (到十四五末)
            final_year = _date(end.year, 1, 1)
            return final_year, end, bool(m["pre"]), True, "target" if m["pre"] else "year", ()
        if m["pre"]:
            return None, end, True, True, "target", ()
        return start, end, False, True, "plan", ()
    if m := _COMPARISON_RE.fullmatch(text):
        period = _point(m["a"])
        base = m["b"] or m["b2"]
        if base[0].isdigit() or base[0] in CN_DIGIT_CHARS:
            baseline = _point(base)
        else:  # 比上年: the year before
            year = period[0].year - 1
            baseline = (_date(year, 1, 1), _date(year, 12, 31))
        return period[0], period[1], False, True, "comparison", (period, baseline)
    listed = _list(text)
    if listed is None and _DURING_RE.fullmatch(text) and not _HAS_YEAR_RE.search(text):
        return None, ref, False, ref is not None, "during", ()
    return listed


def _point(text: str) -> tuple[dt.date, dt.date]:
    m = _DATE_RE.fullmatch(text)
    if m is None:  # pragma: no cover - the callers' patterns admit only dates
        raise _Unparsable(f"{text!r} is not a date")
    return _bounds(m["y"], m["m"], m["d"])


def _list(text: str) -> _Resolved | None:
    """2007年、2010年和2012年 (also 2007、2010和2012年, 3月、5月): the span of the listed dates."""
    items = _LIST_SPLIT_RE.split(text)
    if len(items) < 2 or not all(items):
        return None
    # A year written once after the last item (2007、2010和2012年) belongs to every bare year.
    year_after = items[-1].endswith("年") and _BARE_YEAR_RE.fullmatch(items[-1][:-1]) is not None
    parts = []
    year: str | None = None
    for item in items:
        if year_after and _BARE_YEAR_RE.fullmatch(item):
            item += "年"
        if m := _DATE_RE.fullmatch(item):
            year = m["y"]
            parts.append(_bounds(m["y"], m["m"], m["d"]))
        elif (m := _MONTH_DAY_RE.fullmatch(item)) and year is not None:
            parts.append(_bounds(year, m["m"], m["d"]))  # 2019年3月、5月: the month inherits the year
        else:
            return None
    start, end = min(p[0] for p in parts), max(p[1] for p in parts)
    return start, end, False, True, "list", tuple(parts)


def _recent(m: re.Match[str], ref: dt.date | None) -> _Resolved:
    """近3年, 6年来, 连续七年, 近3个月: the N years (or months) up to the reference date."""
    n = _int(m["n"] or m["n2"])
    unit = m["unit"] or m["unit2"]
    if n < 1:
        raise _Unparsable("近N年 needs N of at least 1")
    if n > MAX_RECENT_YEARS:
        raise _Unparsable(
            f"近N年 with N = {n} is not a number of recent years (at most {MAX_RECENT_YEARS}); "
            f"a year after 近 is not a period"
        )
    kind = "recent_years" if unit == "年" else "recent_months"
    if ref is None:
        return None, None, False, False, kind, ()
    if unit == "年":
        # 近3年 counts calendar years, the reference year included; 6年来 (bare N, "these N years")
        # counts back from the reference date: it starts in the year N years before it
        first = ref.year - n if m["n2"] is not None else ref.year - n + 1
        return _date(first, 1, 1), ref, False, True, kind, ()
    months = ref.year * 12 + ref.month - 1 - (n - 1)
    return _date(months // 12, months % 12 + 1, 1), ref, False, True, kind, ()


def _plan_bounds(k_text: str) -> tuple[dt.date, dt.date]:
    k = _int(k_text)
    if k < 3:
        # The 1st and 2nd plans (1953-1962) were followed by a three-year adjustment.
        raise _Unparsable("only the 3rd (三五) and later five-year plans are supported")
    if k > MAX_PLAN:
        raise _Unparsable(f"a five-year plan numbered {k} (at most {MAX_PLAN})")
    first = 1966 + 5 * (k - 3)
    return _date(first, 1, 1), _date(first + 4, 12, 31)


def _part_start(y: str, m: str | None, d: str | None, part: str | None) -> dt.date:
    """First day of a date, or of its 初 (beginning), 中 (middle) or 底/末 (end: its last month or days)."""
    start, _ = _bounds(y, m, d)
    if part is None or part == "初" or d is not None:
        return start
    if m is None:  # 年中: July; 年底: December
        return _date(start.year, 7 if part == "中" else 12, 1)
    return _date(start.year, start.month, 11 if part == "中" else 21)


def _month_end(year: int, month: int) -> dt.date:
    if not 1 <= month <= 12:
        raise _Unparsable(f"not a calendar date (month {month} is not 1-12)")
    return _date(year, month, calendar.monthrange(year, month)[1])


@functools.lru_cache(maxsize=1 << 14)
def _read(text: str, ref: dt.date | None) -> _Resolved:
    """The reading of a text, once per distinct (text, reference date): documents repeat their periods."""
    return _resolve(_simplified(normalise(text)), ref)


@functools.lru_cache(maxsize=1 << 12)
def _simplified(text: str) -> str:
    """Traditional characters as simplified (從2008年起 -> 从2008年起), once per distinct text."""
    return text if text.isascii() else converter("t2s").convert(text)


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
    Period(start='2021-01-01', end='2021-12-31', is_target=True, resolved=True, raw='到2021年底', kind='target', parts=())
    >>> parse_period("截至目前").resolved
    False
    """
    ref = _reference(reference_date)
    if text is None or (not isinstance(text, str) and _is_missing(text)):
        text = ""  # an empty cell of a sheet (None, NaN, pd.NA): the document gives no period
    if not isinstance(text, str):
        raise ParseError(f"cannot parse period {text!r}: expected a str or None; {_ACCEPTED}")
    try:
        start, end, is_target, resolved, kind, parts = _read(text, ref)
    except _Unparsable as exc:
        raise ParseError(f"cannot parse period {_shown(text)}: {exc}; {_ACCEPTED}") from None
    except (ValueError, ArithmeticError) as exc:  # the contract: a parser raises only ParseError
        raise ParseError(f"cannot parse period {_shown(text)}: {type(exc).__name__}: {exc}; {_ACCEPTED}") from None
    return Period(_iso(start), _iso(end), is_target, resolved, text, kind, tuple((_iso(a), _iso(b)) for a, b in parts))
