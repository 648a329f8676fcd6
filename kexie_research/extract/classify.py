"""What kind of number a mention is: a fact to code, or why not.

The coding sheets code quantitative facts only (``data/raw/indicators/README.md``, "What is not
coded"). A candidate row is never dropped for not being a fact; its ``kind`` says why it is not:

=================== =========================================================================
kind                recognised by
=================== =========================================================================
``date``            a calendar expression: ``2020年7月28日``, ``2017年~2020年``, ``5月30日``,
                    ``2021年1月``; a relative span ``近3年`` (a period, not a count of years)
``document_number`` the number of an official document: ``〔2017〕6号`` (both numbers),
                    also with ``[ ]``, ``［ ］`` or ``（ ）`` around the year
``ordinal``         ``第`` before it (``第二批``), ``N届``, a list marker at the start of a line
                    or clause (``1．指导思想``, ``（3）``), the number of a table or section at the
                    start of its title (``17-4 科协基本情况``, ``表3.2``)
``name``            part of a name: inside a short quoted phrase (``“3+1+N”``, ``“四个全面”``),
                    joined by ``+``, glued to Latin letters (``H5``, ``CDTV-2``), a numbered line
                    or number (``1号线``, ``1、2、3、4号线``), a five-year plan (``十四五``), a
                    congress (``十八大``, ``九大代表``, ``三中全会``)
``header``          in the header row of a table (``计划经费(万元)``): set by the draft
                    (:mod:`kexie_research.extract.tables`), which also flags a table's row numbers as ``ordinal``
``article``         an article-like 一 (``一批``, ``一支``, ``一系列``, ``一座座``, ``一次性``, ``一个新的高峰``,
                    ``每…拥有一个`` in a ratio): a word of the text, no count
``weight``          an assessment weight or score: ``分值1分``, ``(20分)``
``furniture``       page furniture of a web page: a view counter (``阅读量：1242``, ``点击：3412``),
                    a page count (``共3页``)
``bound``           a bound that defines a group: ``35岁以下青年``, ``18-60周岁公民``,
                    ``占其工作时间60%以上的人员``
``fact``            anything else
=================== =========================================================================

The recognisers are small named rules, :data:`RULES`, run in order on one mention: the first that
returns a kind decides, so a rule placed earlier wins over a later one (a document number is never
read as a date). A mention no rule claims is a ``fact``.

Example::

    >>> from kexie_research.extract.mentions import find_mentions
    >>> flat = "2021年，全市建成“3+1”模式科协30个"
    >>> [(m.raw, classify(flat, m)) for m in find_mentions(flat)]
    [('2021年', 'date'), ('3', 'name'), ('1', 'name'), ('30个', 'fact')]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kexie_research.extract.mentions import Mention
from kexie_research.parse.quantities import Quantity

__all__ = ["KINDS", "RULES", "classify"]

#: The kinds of a candidate row, ``fact`` first.
KINDS: tuple[str, ...] = (
    "fact", "date", "ordinal", "name", "document_number", "header", "article", "weight", "furniture", "bound",
)  # fmt: skip

_DOCUMENT_NUMBER_RE = re.compile(r"[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*(?:第\s*)?\d+\s*号")
_PLAN_RE = re.compile(r"十[一二三四五六七八九]五")
_CONGRESS_AFTER = ("代表", "精神", "以来", "报告", "召开", "胜利")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_NUMERIC_DATE_RE = re.compile(
    r"(?:19|20)\d\d[-/.]\d{1,2}(?:[-/.]\d{1,2})?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?|(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)"
    r"|(?<![\d.])\d{1,2}\.\d{1,2}\.(?:19|20)\d\d(?![\d.])"  # 19.09.2016: day.month.year
)
_SECTION_NUMBER_RE = re.compile(r"\d{1,3}(?:[-－.．]\d{1,3})+")
_CLAUSE_START = "。；;！？!?：:，,、（(\u3000 "
# Brackets around a bare number of their own: a footnote mark (企业科协[2]) or a classification code (【206】).
_OPENING, _CLOSING = "[［【", "]］】"
# Words of a bound a text sets on a time span (任期不少于2年): a norm, a fact — unlike 10余年, 近3年.
_BOUND_WORDS = ("不少于", "至少", "不超过", "不多于", "不低于", "最少", "最多", "最长", "最短")
# Words before a day of the month that make it a duration (共3日), not a date (记者22日获悉).
_DURATION_BEFORE = ("为期", "历时", "连续", "持续", "用时", "耗时", "共", "累计", "近", "约", "每", "达", "逾", "超过")
# Words that make a span of days the length of an event (为期10天的培训, 持续2天, 7天内): the period of
# what is done in it, not a fact (the coding rules: durations that are the period of another fact).
_LASTING_BEFORE = ("为期", "历时", "持续", "期间")
_WITHIN_AFTER = ("内", "里", "时间", "期间")
# Words before a number of 5 or more digits that make it a telephone number, a postal code or an
# account: an identifier, not a quantity.
_PHONE_BEFORE = re.compile(r"(?:电话|热线|传真|手机|联系方式|咨询|邮编|邮政编码|QQ|微信)[^\d，。；]{0,4}$")
# Labels of a web page's counters (阅读量：1242, 点击：3412, 浏览次数：520): page furniture.
_COUNTER_BEFORE = re.compile(r"(?:点击|阅读|浏览|访问|查看|人气)(?:量|数|次数|人次)?[ \t\u3000]*[：:][ \t\u3000]*$")
# Adjectives after an article-like 一个/一项 (一个重要背景, 一项重大举措): "a", not a count.
_ARTICLE_ADJECTIVES = (
    "重要", "重大", "显著", "突出", "主要", "新", "全新", "崭新", "良好", "有效", "典型", "独特", "关键",
    "鲜明", "生动", "有力", "坚实", "成功", "宝贵", "难得", "靓丽", "亮丽",
)  # fmt: skip
# Copulas before an article-like 一 (是一个显著成绩, 成为一项…活动, 相当于一座…科技馆).
_COPULAS = ("是", "成为", "作为", "相当于", "堪称", "成了")
# Verbs of making something before 一个…的 (建成一个集展示、体验于一体的科普馆): a count of what was made.
_BUILT = ("建成", "建设", "新建", "成立", "组建", "创建", "设立", "开设", "建立", "有", "仅有", "只有")
# Demonstratives before 一 (这一数字, 此一举措): "this", not a count.
_DEMONSTRATIVES = ("这", "那", "此", "该")
# A rate's denominator (万人发明专利拥有量, 千人拥有…): no count of persons.
_DENOMINATOR_AFTER = re.compile(r"[\u4e00-\u9fff]{0,8}(?:拥有量|占有量|拥有|比例|比率|率)")
# A unit written in Latin letters after a number (18.25TB, 5GB, 30km): a measure, not a name.
_LATIN_UNIT_AFTER = re.compile(r"\s*(?:[KMGTP]B|[KMGT]b|[kK][mgW]|cm|mm|kWh|MW|GW|Hz|[KMG]Hz)(?![A-Za-z])")
# One-character classifiers of an article-like 一 that is never a count (一批, 一支…队伍, 一轮, 一系列).
_ARTICLE_CLASSIFIERS = ("批", "支", "轮", "系列", "大批")
_ARTICLE_RE = re.compile(r"[一](?:大)?([\u4e00-\u9fff])")
# A modifier with 的 right after an article-like 一个 (一个新的高峰, 一份亮眼的答卷).
_MODIFIED_AFTER = re.compile(r"[^\d，。；;,：:！？、]{0,7}的")
# Verbs before N届 that make it a count of editions held (已连续举办16届), not an ordinal.
_HELD = ("举办", "举行", "召开", "开展", "办了")
# Festivals written with numerals (六一儿童节, 五一劳动节).
_FESTIVALS = ("五一", "六一", "七一", "八一", "十一", "五四", "三八")
# Words that mark a number (a count of) a figure or an attachment: 图1, 附件15-17.
_FIGURE_BEFORE = ("图", "附件", "附表", "表")


def _quoted(flat: str, mention: Mention) -> bool:
    """Inside a short quoted phrase (at most 10 characters between “ ” or ‘ ’), not all of it."""
    for left, right in (("“", "”"), ("‘", "’")):
        opening = flat.rfind(left, max(0, mention.start - 10), mention.start)
        if opening < 0 or right in flat[opening : mention.start]:
            continue
        closing = flat.find(right, mention.end, mention.end + 10)
        if closing >= 0 and closing - opening <= 11 and left not in flat[mention.end : closing]:
            return (opening + 1, closing) != (mention.start, mention.end)
    return False


def _alone_on_its_line(flat: str, start: int, end: int, line_starts: frozenset[int]) -> bool:
    """Whether ``flat[start:end]`` stands alone on its line (spaces and a table's ``|`` aside) and the
    next line starts with words (a heading or a row's label, not a number or an empty cell)."""
    head = start
    while head > 0 and head not in line_starts and flat[head - 1] in " \t\u3000":
        head -= 1
    if head not in line_starts:
        return False
    tail = end
    while tail < len(flat) and tail not in line_starts and flat[tail] in " \t\u3000|":
        tail += 1
    if tail not in line_starts:
        return False
    following = flat[tail : tail + 4].lstrip(" \t\u3000")
    return bool(following) and "\u4e00" <= following[0] <= "\u9fff"


def _last_cell_of_a_row(flat: str, start: int, end: int, line_starts: frozenset[int]) -> bool:
    """Whether ``flat[start:end]`` ends its line after a space, the line holds at least two other
    cells separated by spaces (a row of a table aligned with spaces) and the cell before it has words
    or a unit (``800篇 8``: a score after the values; ``165 104 61``: a column of values like the others)."""
    if not (end in line_starts or end == len(flat)) or not flat[start - 1 : start].isspace():
        return False
    head = start
    while head > 0 and head not in line_starts and start - head < 200:
        head -= 1
    cells = re.split(r"[ \t\u3000]+", flat[head:start].strip())
    return len(cells) >= 3 and re.search(r"[\u4e00-\u9fff]", cells[-1]) is not None


@dataclass(frozen=True, slots=True)
class _Context:
    """What the rules read about one mention, computed once per mention."""

    flat: str
    mention: Mention
    line_starts: frozenset[int]
    start: int
    end: int
    raw: str
    before: str  # the 12 characters before the mention
    after: str  # the 12 characters after it
    quantity: Quantity | None
    unit: str | None
    bare: bool  # a number with no unit (or the unit "number")


def classify(flat: str, mention: Mention, line_starts: frozenset[int] = frozenset()) -> str:
    """The kind of a mention (see the module docstring).

    Parameters
    ----------
    flat
        The flat text the mention was found in.
    mention
        The mention.
    line_starts
        Flat offsets at which a line of the original text starts (list markers sit there).

    Returns
    -------
    str
        One of :data:`KINDS`.

    Examples
    --------
    >>> from kexie_research.extract.mentions import find_mentions
    >>> flat = "印发〔2017〕6号文件，第二批试点12个"
    >>> [(m.raw, classify(flat, m)) for m in find_mentions(flat)]
    [('2017', 'document_number'), ('6', 'document_number'), ('二批', 'ordinal'), ('12个', 'fact')]
    """
    start, end = mention.start, mention.end
    quantity = mention.quantity
    unit = quantity.unit if quantity is not None else None
    context = _Context(
        flat=flat,
        mention=mention,
        line_starts=line_starts,
        start=start,
        end=end,
        raw=mention.raw,
        before=flat[max(0, start - 12) : start],
        after=flat[end : end + 12],
        quantity=quantity,
        unit=unit,
        bare=unit in (None, "number"),
    )
    for rule in RULES:
        kind = rule(context)
        if kind is not None:
            return kind
    return "fact"


# ------------------------------------------------------------------------------------------------
# The rules, in the order RULES runs them: each returns a kind, or None to let the next one judge.
# ------------------------------------------------------------------------------------------------
def _document_number(c: _Context) -> str | None:
    """Both numbers of an official document's number: ``〔2017〕6号``."""
    for match in _DOCUMENT_NUMBER_RE.finditer(c.flat, max(0, c.start - 12), min(len(c.flat), c.end + 12)):
        if match.start() <= c.start and c.end <= match.end():
            return "document_number"
    return None


def _full_date(c: _Context) -> str | None:
    """A date written in full, as the mention finder read it: ``2020年7月28日``."""
    return "date" if c.mention.is_date else None


def _telephone_or_postal_code(c: _Context) -> str | None:
    """A telephone number, a postal code or an account after its label: ``联系电话:80912345``."""
    if re.fullmatch(r"[\d\-—－]{5,}", c.raw.strip()) and _PHONE_BEFORE.search(c.before):
        return "name"
    return None


def _page_counter(c: _Context) -> str | None:
    """A web page's view counter or page count: ``阅读量：1242``, ``共3页``."""
    if (
        c.bare
        and c.raw.strip().isdigit()
        and (_COUNTER_BEFORE.search(c.before) or (c.before.endswith("共") and c.after[:1] == "页"))
    ):
        return "furniture"
    return None


def _inside_a_title(c: _Context) -> str | None:
    """A number inside a document's title: ``《…纲要(2006—2010—2020年)》``."""
    return "name" if _in_title(c.flat, c.start, c.end) else None


def _article_like_one(c: _Context) -> str | None:
    """An article-like 一, "a" rather than one: ``一大亮点``, ``这一数字``, ``一起看看``, ``一个重要背景``,
    ``是一个显著成绩``, ``一张覆盖34所学校的网``; an item of a list of counts (``16个乡镇、一个开发区``)
    stays a count."""
    raw, before, after = c.raw, c.before, c.after
    if not (raw.startswith("一") and len(raw) >= 2 and not before.endswith(("、", "和", "及"))):
        return None
    if raw == "一大" and not before.endswith(("党的", "中共")):
        return "article"  # 一大亮点, 一大波: "a big …"
    if before.endswith(_DEMONSTRATIVES):
        return "article"  # 这一数字
    if raw == "一起" and not after.startswith(("事故", "案件", "事件", "纠纷", "案例")):
        return "article"  # 一起看看: "together"
    if re.fullmatch(r"一[个项座张份件种]", raw) and (
        after.startswith(_ARTICLE_ADJECTIVES)
        or before.endswith(_COPULAS)
        or (re.match(r"[^，。；;,：:！？!?]{2,30}?的", c.flat[c.end : c.end + 32]) and not before.endswith(_BUILT))
    ):
        return "article"
    return None


def _a_few(c: _Context) -> str | None:
    """A vague 几个, "a few": ``挑选了几个``."""
    return "article" if re.fullmatch(r"几[个项家名次]", c.raw) else None


def _quoted_numeral(c: _Context) -> str | None:
    """A numeral alone in quotes (``“七大”代表``, ``“三轮”驱动``) or a round 百/千/万 opening a quoted
    campaign name (``“百名专家进万村”``): it names something."""
    flat, raw = c.flat, c.raw
    opening = flat.rfind("“", max(0, c.start - 30), c.start)
    closing = flat.find("”", c.end, c.end + 30)
    quoted = opening >= 0 and closing >= 0 and "”" not in flat[opening : c.start]
    if quoted and "“" not in flat[c.end : closing]:
        if (opening + 1, closing) == (c.start, c.end) and not re.search(r"\d", raw):
            return "name"
        if re.fullmatch(r"[百千万][名人个家支项场次所]", raw):
            return "name"
    return None


def _rate_denominator(c: _Context) -> str | None:
    """The denominator of a rate, no count of persons: ``万人发明专利拥有量``."""
    if re.fullmatch(r"每?[百千万]人", c.raw) and _DENOMINATOR_AFTER.match(c.after):
        return "name"
    return None


def _footnote_or_code(c: _Context) -> str | None:
    """A bare number in brackets of its own: a footnote mark or a code (``企业科协[2]``, ``【206】``)."""
    if (
        c.bare
        and c.before[-1:]
        and c.before[-1] in _OPENING
        and c.after[:1]
        and c.after[0] in _CLOSING
        and c.raw.strip().isdigit()
    ):
        return "name"
    return None


def _span_of_years_or_months(c: _Context) -> str | None:
    """A time span, the period of a fact: ``连续五年``, ``已实施12年``, ``展出2至3个月``; a bound
    (``任期不少于2年``) is a norm the text sets, a fact."""
    if c.unit in ("year", "month") and not c.raw.startswith(_BOUND_WORDS):
        return "date"
    return None


def _day_of_the_month(c: _Context) -> str | None:
    """A day of the month (``记者22日获悉``), not a duration (``共3日``)."""
    if (
        c.unit == "day"
        and c.raw.endswith("日")
        and c.quantity is not None
        and c.quantity.value <= 31
        and not c.before.endswith(_DURATION_BEFORE)
    ):
        return "date"
    return None


def _months_of_the_year(c: _Context) -> str | None:
    """Months of the year: ``1—5月``."""
    return "date" if c.bare and re.match(r"\s*月", c.after) else None


def _year_without_nian(c: _Context) -> str | None:
    """A year written without 年: ``回顾2023：``, ``2016中国创新创业成果交易会``; a cell ending its line
    is read with its table's unit."""
    if (
        c.bare
        and re.fullmatch(r"(?:19|20)\d\d", c.raw.strip())
        and c.end not in c.line_starts
        and re.match(r"\s*(?:[:：]|[\u4e00-\u9fff])", c.after)
        and not re.match(r"\s*[万亿千百元个人名家次项所]", c.after)
    ):
        return "date"
    return None


def _assessment_weight(c: _Context) -> str | None:
    """An assessment weight or score: ``分值1分``, ``(20分)``."""
    if c.bare and (c.before.rstrip().endswith("分值") or re.match(r"\s*分(?![\u4e00-\u9fff])", c.after)):
        return "weight"
    return None


def _score_column(c: _Context) -> str | None:
    """The score column at the end of a row of a table aligned with spaces: the 8 of ``…800篇 800篇 8``."""
    if c.bare and re.fullmatch(r"\d{1,2}", c.raw) and _last_cell_of_a_row(c.flat, c.start, c.end, c.line_starts):
        return "weight"
    return None


def _column_unit(c: _Context) -> str | None:
    """The unit of a table's column in brackets: ``计划经费(万元)``."""
    if re.match(r"\s*[万亿]?[元人个]", c.raw) and c.before.endswith(("(", "（")) and c.after.startswith((")", "）")):
        return "header"
    return None


def _date_in_figures(c: _Context) -> str | None:
    """A date or a time of day written in figures (a web page's date line): ``2021-09-11 09:40``."""
    flat, start, end = c.flat, c.start, c.end
    if ("-" in flat[start - 8 : end + 8] or ":" in flat[start - 3 : end + 6]) and any(
        match.start() <= start and end <= match.end()
        for match in _NUMERIC_DATE_RE.finditer(flat, max(0, start - 17), min(len(flat), end + 17))
    ):
        return "date"
    return None


def _date_with_spaces(c: _Context) -> str | None:
    """A date written with spaces (web text): both the 10 and the 18 日 of ``10 月 18 日``."""
    if c.raw.isdigit() and re.match(r"\s+月\s*\d{1,2}\s*[日号]|\s*月\s+\d{1,2}\s*[日号]", c.after):
        return "date"
    if c.unit == "day" and re.search(r"月\s*$", c.before) and re.search(r"\s", c.raw + c.before[-1:]):
        return "date"
    return None


def _length_of_an_event(c: _Context) -> str | None:
    """The length of an event, the period of its facts: ``为期10天的培训``, ``持续2天``, ``7天内``,
    ``7天推出900项``."""
    if c.unit in ("day", "week") and (
        c.before.endswith(_LASTING_BEFORE)
        or c.after.startswith(_WITHIN_AFTER)
        or (c.raw.endswith(("天", "周")) and re.match(r"[\u4e00-\u9fff]{1,4}\d", c.after))
    ):
        return "date"
    return None


def _anniversary(c: _Context) -> str | None:
    """An anniversary: ``60周年``."""
    return "ordinal" if c.unit == "week" and c.after.startswith("年") else None


def _minutes_circle(c: _Context) -> str | None:
    """The name of a planning idea: ``15分钟生活圈``."""
    return "name" if c.unit == "minute" and re.match(r"[\u4e00-\u9fff]{0,4}圈", c.after) else None


def _time_of_day(c: _Context) -> str | None:
    """A time of day: ``上午9时30分``, ``14时许``."""
    if (
        c.bare
        and re.fullmatch(r"\d{1,2}", c.raw.strip())
        and (
            re.match(r"\s*[时点](?:许|左右|\d|\s*$|[,，。:：至到—-])", c.after)
            or (c.before.endswith("时") and c.after[:1] == "分")
        )
    ):
        return "date"
    return None


def _top_rank(c: _Context) -> str | None:
    """A rank: ``进入全省前三名``."""
    return "ordinal" if c.before.endswith("前") and c.raw.endswith(("名", "位")) else None


def _group_bound(c: _Context) -> str | None:
    """The bound that defines a group: ``35岁以下青年``, ``占工作时间60%以上的人员``."""
    return "bound" if _defines_a_group(c.flat, c.mention, c.unit) else None


def _relative_period(c: _Context) -> str | None:
    """A relative period: ``近3年``."""
    return "date" if c.unit == "year" and c.raw.startswith(("近", "最近", "过去")) else None


def _ordinal_word(c: _Context) -> str | None:
    """An ordinal by its words: ``第二批``, ``第十届`` (not ``已连续举办16届``, a count of editions),
    ``三中全会``, and the second meeting of a term (``三届二次会议``, ``四届三次全委会议``)."""
    raw, before, after = c.raw, c.before, c.after
    if (
        before.endswith("第")
        or (raw.endswith("届") and (not before.endswith(_HELD) or re.match(r"[一二三四五六七八九十\d]+次", after)))
        or after.startswith(("届", "中全会"))
        or (
            raw.endswith("次")
            and before.endswith("届")
            and after.startswith(("会议", "全会", "全体会议", "代表大会", "全委", "常委"))
        )
    ):
        return "ordinal"
    return None


def _figure_or_attachment(c: _Context) -> str | None:
    """The number of a figure or an attachment: ``(图1)``, ``附件15-17``, ``如图3所示``."""
    if c.before.rstrip().endswith(_FIGURE_BEFORE) and (
        (c.bare and re.match(r"[\d\s\-－—~～]*\Z", c.raw))
        or (re.fullmatch(r"\d+所", c.raw) and c.after.startswith("示"))
    ):
        return "ordinal"
    return None


def _road_line_or_ranking(c: _Context) -> str | None:
    """A road or a bus or train line (``318国道``, ``3路公交``): a name; a ranking (``全国100强``): an ordinal."""
    if c.bare and c.raw.strip().isdigit() and re.match(r"(?:国道|省道|县道|车站|路公交|路车|次列车|强)", c.after):
        return "name" if not c.after.startswith("强") else "ordinal"
    return None


def _list_marker_in_a_line(c: _Context) -> str | None:
    """A list marker inside a line: the 2 of ``…5万元 2、科普示范县…``."""
    return "ordinal" if re.fullmatch(r"\d{1,2}", c.raw) and re.match(r"、\D", c.after) else None


def _number_alone_on_its_line(c: _Context) -> str | None:
    """A section or row number on a line of its own, with a label on the next line."""
    if c.bare and re.fullmatch(r"\d{1,2}", c.raw.strip()) and _alone_on_its_line(c.flat, c.start, c.end, c.line_starts):
        return "ordinal"
    return None


def _article(c: _Context) -> str | None:
    """An article-like 一 with no count: ``一批``, ``一座座``, ``一次性``, ``一个新的高峰``,
    ``每96万人拥有一个``."""
    raw, before, after = c.raw, c.before, c.after
    article = _ARTICLE_RE.fullmatch(raw)
    if article and (
        raw[1:].startswith(_ARTICLE_CLASSIFIERS)
        or after.startswith((article.group(1), "性", "否决"))
        or (_MODIFIED_AFTER.match(after) and not before.endswith(("、", "和", "及")))
        or ("每" in before and before.endswith("有"))
        or (raw == "一大" and after.startswith(_ARTICLE_CLASSIFIERS))
    ):
        return "article"
    return None


def _festival(c: _Context) -> str | None:
    """A festival or a name written with numerals: ``六一儿童节``, ``三八红旗手``, ``九三学社``."""
    if (c.raw in _FESTIVALS or c.raw == "九三") and c.after.startswith(
        ("节", "儿童节", "劳动节", "青年节", "妇女节", "建军节", "国庆", "红旗", "学社")
    ):
        return "name"
    return None


def _slogan(c: _Context) -> str | None:
    """A slogan: ``五位一体``."""
    return "name" if c.after.startswith("一体") and c.raw.endswith("位") else None


def _vague_period(c: _Context) -> str | None:
    """A vague period: ``前几年``, ``几年前``."""
    if c.unit == "year" and "几" in c.raw and (c.before.endswith(("前", "近")) or c.after.startswith("前")):
        return "date"
    return None


def _list_marker(c: _Context) -> str | None:
    """A list marker at the start of a line (``1．指导思想``, indented or not) or in brackets (``（3）``)."""
    flat, start, after = c.flat, c.start, c.after
    if (
        _at_line_start(flat, start, c.line_starts) or (start > 0 and flat[start - 1] in "（(" and after[:1] in "）)")
    ) and (after[:1] in "．.、)）" and (c.unit in (None, "number"))):
        return "ordinal"
    return None


def _table_or_section_number(c: _Context) -> str | None:
    """The number of a table or section at the start of its title, not a range or a decimal:
    ``17-4 科协基本情况``, ``表3.2``."""
    if (
        (c.start in c.line_starts or c.before.endswith("表"))
        and _SECTION_NUMBER_RE.fullmatch(c.raw.strip())
        and re.match(r"\s*[^\d\s|万亿千百元个人名家次项%％倍]", c.after)
    ):
        return "ordinal"
    return None


def _glued_to_latin(c: _Context) -> str | None:
    """A number glued to Latin letters: ``H5``, ``CDTV-2``; not a unit in Latin letters (``18.25TB``)."""
    flat, start, end, before = c.flat, c.start, c.end, c.before
    if (
        _LATIN.search(flat[start - 1 : start] + flat[end : end + 1])
        and not (_LATIN_UNIT_AFTER.match(c.after) and not _LATIN.search(flat[start - 1 : start]))
    ) or (before.endswith("-") and _LATIN.search(before[-2:-1])):
        return "name"
    return None


def _joined_by_plus(c: _Context) -> str | None:
    """A number joined by ``+``: ``3+1+N``."""
    return "name" if c.before.endswith("+") or c.after.startswith("+") else None


def _numbered_line(c: _Context) -> str | None:
    """A numbered line or number: ``1号线``, ``1、2、3、4号线`` (not ``6号召开``)."""
    if re.match(r"(?:、\d+)*[~～-]?\d*号(?!召开)", c.after) and c.unit in (None, "number"):
        return "name"
    return None


def _five_year_plan(c: _Context) -> str | None:
    """A five-year plan: ``十四五``."""
    return "name" if _PLAN_RE.search(c.flat[max(0, c.start - 1) : c.end + 1]) else None


def _numbered_body(c: _Context) -> str | None:
    """A numbered idea, body or congress: ``五大发展理念``, ``四大班子``, ``十八大``, ``九大代表``; but
    ``七大亮点``, ``十大项目`` are enumerations."""
    raw, before, after = c.raw, c.before, c.after
    if not raw.endswith("大"):
        return None
    if after.startswith(("发展理念", "理念")) or after.lstrip('”’」"').startswith("班子"):
        return "name"
    if (
        after.lstrip('”’」"').startswith(_CONGRESS_AFTER)
        or before.endswith(("党的", "科协", "党"))
        or (c.quantity and c.quantity.value >= 11)
    ):
        return "name"
    return None


def _quoted_phrase(c: _Context) -> str | None:
    """Part of a short quoted phrase: ``“四个全面”``, ``“两个一百年”``, ``“双百人才工程”``; but
    ``“十大民生工程”`` counts ten projects (大: the codebook's enumeration)."""
    if _quoted(c.flat, c.mention) and not (c.raw.endswith("大") and re.match(r"[\u4e00-\u9fff]", c.after)):
        return "name"
    return None


def _headline_year(c: _Context) -> str | None:
    """A year written without 年 at the end of a phrase (a headline's year): ``聚力创新2017``."""
    if (
        c.bare
        and re.fullmatch(r"(?:19|20)\d\d", c.raw)
        and "\u4e00" <= c.before[-1:] <= "\u9fff"
        and not c.before.endswith(("达", "为", "共", "计", "有", "是", "至", "到", "约", "近", "超", "逾", "入", "出"))
        and (c.end in c.line_starts or re.match(r"[ \t\u3000]*(?:[|｜，,。！!？?；;]|$)", c.flat[c.end : c.end + 3]))
    ):
        return "date"
    return None


#: The rules of :func:`classify` in the order they run: the first that returns a kind decides.
RULES: tuple[Callable[[_Context], str | None], ...] = (
    _document_number,
    _full_date,
    _telephone_or_postal_code,
    _page_counter,
    _inside_a_title,
    _article_like_one,
    _a_few,
    _quoted_numeral,
    _rate_denominator,
    _footnote_or_code,
    _span_of_years_or_months,
    _day_of_the_month,
    _months_of_the_year,
    _year_without_nian,
    _assessment_weight,
    _score_column,
    _column_unit,
    _date_in_figures,
    _date_with_spaces,
    _length_of_an_event,
    _anniversary,
    _minutes_circle,
    _time_of_day,
    _top_rank,
    _group_bound,
    _relative_period,
    _ordinal_word,
    _figure_or_attachment,
    _road_line_or_ranking,
    _list_marker_in_a_line,
    _number_alone_on_its_line,
    _article,
    _festival,
    _slogan,
    _vague_period,
    _list_marker,
    _table_or_section_number,
    _glued_to_latin,
    _joined_by_plus,
    _numbered_line,
    _five_year_plan,
    _numbered_body,
    _quoted_phrase,
    _headline_year,
)


# Nouns of a group of people that a bound right before them defines (35岁以下青年, 60%以上的人员).
_GROUP_NOUNS = (
    "青年", "公民", "人员", "人口", "人群", "儿童", "少年", "青少年", "老人", "老年人", "居民", "群众",
    "职工", "员工", "学生", "女性", "男性", "妇女", "农民", "工作者", "科技人员", "会员", "的",
)  # fmt: skip


def _defines_a_group(flat: str, mention: Mention, unit: str | None) -> bool:
    """An age bound or range (``35岁以下``, ``18-60周岁``) or a share bound (``60%以上的``) right
    before a noun of people: it says who is counted, not how many."""
    quantity = mention.quantity
    if quantity is None or quantity.qualifier not in ("at_least", "at_most", "range"):
        return False
    after = flat[mention.end : mention.end + 8]
    if unit == "year_of_age":
        return after.startswith(_GROUP_NOUNS) and not after.startswith("的")
    if unit == "percent":
        # 占其工作时间60%以上的人员: a property of each member (占); not 80%以上的企业建立了科协, a share
        before = flat[max(0, mention.start - 20) : mention.start]
        clause = re.split(r"[，,。；;：:（(]", before)[-1]
        return "占" in clause and re.match(r"的[\u4e00-\u9fff]{0,4}(?:人员|人口|人群|群众)", after) is not None
    return False


def _at_line_start(flat: str, start: int, line_starts: frozenset[int]) -> bool:
    """Whether only spaces stand between a line's start and ``start`` (an indented list marker)."""
    head = start
    while head > 0 and head not in line_starts and flat[head - 1] in " \t\u3000":
        head -= 1
    return head in line_starts or head == 0


def _in_title(flat: str, start: int, end: int) -> bool:
    """Inside a title in 《》 (at most 60 characters either side)."""
    opening = flat.rfind("《", max(0, start - 60), start)
    if opening < 0 or "》" in flat[opening:start]:
        return False
    closing = flat.find("》", end, end + 60)
    return closing >= 0 and "《" not in flat[end:closing]
