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

Example::

    >>> from kexie_research.extract.mentions import find_mentions
    >>> flat = "2021年，全市建成“3+1”模式科协30个"
    >>> [(m.raw, classify(flat, m)) for m in find_mentions(flat)]
    [('2021年', 'date'), ('3', 'name'), ('1', 'name'), ('30个', 'fact')]
"""

from __future__ import annotations

import re

from kexie_research.extract.mentions import Mention

__all__ = ["KINDS", "classify"]

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
    start, end, raw = mention.start, mention.end, mention.raw
    before = flat[max(0, start - 12) : start]
    after = flat[end : end + 12]
    quantity = mention.quantity
    unit = quantity.unit if quantity is not None else None

    for match in _DOCUMENT_NUMBER_RE.finditer(flat, max(0, start - 12), min(len(flat), end + 12)):
        if match.start() <= start and end <= match.end():
            return "document_number"
    if mention.is_date:
        return "date"
    bare = unit in (None, "number")
    if re.fullmatch(r"[\d\-—－]{5,}", raw.strip()) and _PHONE_BEFORE.search(before):
        return "name"  # 联系电话:80912345, 邮编:550001: a telephone number, a postal code
    if (
        bare
        and raw.strip().isdigit()
        and (_COUNTER_BEFORE.search(before) or (before.endswith("共") and after[:1] == "页"))
    ):
        return "furniture"  # 阅读量：1242, 共3页: page furniture
    if _in_title(flat, start, end):
        return "name"  # 《…纲要(2006—2010—2020年)》: a number inside a document's title
    word = _word_not_a_count(flat, mention, before, after)
    if word is not None:
        return word
    if bare and before[-1:] and before[-1] in _OPENING and after[:1] and after[0] in _CLOSING and raw.strip().isdigit():
        return "name"  # 企业科协[2]274个, 支出功能分类【206】: a footnote mark or a code
    if unit in ("year", "month") and not raw.startswith(_BOUND_WORDS):
        # 连续五年, 已实施12年, 展出2至3个月: a time span, the period of a fact, not a fact; a bound
        # (任期不少于2年) is a norm the text sets, a fact
        return "date"
    if (
        unit == "day"
        and raw.endswith("日")
        and quantity is not None
        and quantity.value <= 31
        and not before.endswith(_DURATION_BEFORE)
    ):
        return "date"  # 记者22日获悉: a day of the month
    if bare and re.match(r"\s*月", after):
        return "date"  # 1—5月: months of the year
    if (
        bare
        and re.fullmatch(r"(?:19|20)\d\d", raw.strip())
        and end not in line_starts  # a cell ending its line is read with its table's unit
        and re.match(r"\s*(?:[:：]|[\u4e00-\u9fff])", after)
        and not re.match(r"\s*[万亿千百元个人名家次项所]", after)
    ):
        return "date"  # 回顾2023：, 2016中国创新创业成果交易会: a year written without 年
    if bare and (before.rstrip().endswith("分值") or re.match(r"\s*分(?![\u4e00-\u9fff])", after)):
        return "weight"  # 分值1分, (20分): an assessment weight
    if bare and re.fullmatch(r"\d{1,2}", raw) and _last_cell_of_a_row(flat, start, end, line_starts):
        return "weight"  # …800篇 800篇 8: the score column at the end of a row of an aligned table
    if re.match(r"\s*[万亿]?[元人个]", raw) and before.endswith(("(", "（")) and after.startswith((")", "）")):
        return "header"  # 计划经费(万元): the unit of a column
    if ("-" in flat[start - 8 : end + 8] or ":" in flat[start - 3 : end + 6]) and any(
        match.start() <= start and end <= match.end()
        for match in _NUMERIC_DATE_RE.finditer(flat, max(0, start - 17), min(len(flat), end + 17))
    ):
        return "date"  # 2021-09-11 09:40: a date or a time of day written in figures (a web page's date line)
    if raw.isdigit() and re.match(r"\s+月\s*\d{1,2}\s*[日号]|\s*月\s+\d{1,2}\s*[日号]", after):
        return "date"  # 10 月 18 日: a date written with spaces (web text)
    if unit == "day" and re.search(r"月\s*$", before) and re.search(r"\s", raw + before[-1:]):
        return "date"  # 18 日 of 10 月 18 日
    if unit in ("day", "week") and (
        before.endswith(_LASTING_BEFORE)
        or after.startswith(_WITHIN_AFTER)
        or (raw.endswith(("天", "周")) and re.match(r"[\u4e00-\u9fff]{1,4}\d", after))
    ):
        # 为期10天的培训, 持续2天, 7天内, 7天推出900项: the length of an event, the period of its facts
        return "date"
    if unit == "week" and after.startswith("年"):
        return "ordinal"  # 60周年: an anniversary
    if unit == "minute" and re.match(r"[\u4e00-\u9fff]{0,4}圈", after):
        return "name"  # 15分钟生活圈: a name of a planning idea
    if (
        bare
        and re.fullmatch(r"\d{1,2}", raw.strip())
        and (
            re.match(r"\s*[时点](?:许|左右|\d|\s*$|[,，。:：至到—-])", after)
            or (before.endswith("时") and after[:1] == "分")
        )
    ):
        return "date"  # 上午9时30分, 14时许: a time of day
    if before.endswith("前") and raw.endswith(("名", "位")):
        return "ordinal"  # 进入全省前三名: a rank
    if _defines_a_group(flat, mention, unit):
        return "bound"  # 35岁以下青年, 占工作时间60%以上的人员: the bound that defines a group
    if unit == "year" and raw.startswith(("近", "最近", "过去")):
        return "date"  # 近3年: a relative period
    if (
        before.endswith("第")
        or (raw.endswith("届") and (not before.endswith(_HELD) or re.match(r"[一二三四五六七八九十\d]+次", after)))
        or after.startswith(("届", "中全会"))
        or (
            raw.endswith("次")
            and before.endswith("届")
            and after.startswith(("会议", "全会", "全体会议", "代表大会", "全委", "常委"))
        )
    ):  # 三届二次会议, 四届三次全委会议: the second meeting of a term
        return "ordinal"
    if before.rstrip().endswith(_FIGURE_BEFORE) and (
        (bare and re.match(r"[\d\s\-－—~～]*\Z", raw)) or (re.fullmatch(r"\d+所", raw) and after.startswith("示"))
    ):
        return "ordinal"  # (图1), 附件15-17, 如图3所示: the number of a figure or an attachment
    if bare and raw.strip().isdigit() and re.match(r"(?:国道|省道|县道|车站|路公交|路车|次列车|强)", after):
        return "name" if not after.startswith("强") else "ordinal"  # 318国道, 3路公交; 全国100强: a rank
    if re.fullmatch(r"\d{1,2}", raw) and re.match(r"、\D", after):
        return "ordinal"  # …5万元 2、科普示范县…: a list marker inside a line
    if bare and re.fullmatch(r"\d{1,2}", raw.strip()) and _alone_on_its_line(flat, start, end, line_starts):
        return "ordinal"  # a section or row number on a line of its own, a label on the next line
    article = _ARTICLE_RE.fullmatch(raw)
    if article and (
        raw[1:].startswith(_ARTICLE_CLASSIFIERS)
        or after.startswith((article.group(1), "性", "否决"))
        or (_MODIFIED_AFTER.match(after) and not before.endswith(("、", "和", "及")))
        or ("每" in before and before.endswith("有"))
        or (raw == "一大" and after.startswith(_ARTICLE_CLASSIFIERS))
    ):
        return "article"  # 一批, 一座座, 一次性, 一个新的高峰, 每96万人拥有一个: no count
    if (raw in _FESTIVALS or raw == "九三") and after.startswith(
        ("节", "儿童节", "劳动节", "青年节", "妇女节", "建军节", "国庆", "红旗", "学社")
    ):
        return "name"  # 六一儿童节, 三八红旗手, 九三学社
    if after.startswith("一体") and raw.endswith("位"):
        return "name"  # 五位一体: a slogan
    if unit == "year" and "几" in raw and (before.endswith(("前", "近")) or after.startswith("前")):
        return "date"  # 前几年, 几年前: a vague period
    if (
        _at_line_start(flat, start, line_starts) or (start > 0 and flat[start - 1] in "（(" and after[:1] in "）)")
    ) and (after[:1] in "．.、)）" and (unit in (None, "number"))):
        return "ordinal"
    if (
        (start in line_starts or before.endswith("表"))
        and _SECTION_NUMBER_RE.fullmatch(raw.strip())
        and re.match(r"\s*[^\d\s|万亿千百元个人名家次项%％倍]", after)
    ):
        return "ordinal"  # 17-4 科协基本情况, 表3.2: the number of a table or section, not a range or a decimal
    if (
        _LATIN.search(flat[start - 1 : start] + flat[end : end + 1])
        and not (_LATIN_UNIT_AFTER.match(after) and not _LATIN.search(flat[start - 1 : start]))
    ) or (before.endswith("-") and _LATIN.search(before[-2:-1])):
        return "name"
    if before.endswith("+") or after.startswith("+"):
        return "name"
    if re.match(r"(?:、\d+)*[~～-]?\d*号(?!召开)", after) and unit in (None, "number"):
        return "name"
    if _PLAN_RE.search(flat[max(0, start - 1) : end + 1]):
        return "name"
    if raw.endswith("大") and after.startswith(("发展理念", "理念")):
        return "name"  # 五大发展理念
    if raw.endswith("大") and after.lstrip('”’」"').startswith("班子"):
        return "name"  # 四大班子: the four leading bodies of a place
    if raw.endswith("大") and (
        after.lstrip('”’」"').startswith(_CONGRESS_AFTER)
        or before.endswith(("党的", "科协", "党"))
        or (quantity and quantity.value >= 11)
    ):  # 十八大, 二十大; 七大亮点, 十大项目 are enumerations
        return "name"
    if _quoted(flat, mention) and not (raw.endswith("大") and re.match(r"[\u4e00-\u9fff]", after)):
        # “四个全面”, “两个一百年”, “双百人才工程”; but “十大民生工程” counts ten projects (大: the
        # codebook's enumeration)
        return "name"
    if (
        bare
        and re.fullmatch(r"(?:19|20)\d\d", raw)
        and "\u4e00" <= before[-1:] <= "\u9fff"
        and not before.endswith(("达", "为", "共", "计", "有", "是", "至", "到", "约", "近", "超", "逾", "入", "出"))
        and (end in line_starts or re.match(r"[ \t\u3000]*(?:[|｜，,。！!？?；;]|$)", flat[end : end + 3]))
    ):
        return "date"  # 聚力创新2017 (a headline's year): a year written without 年 at the end of a phrase
    return "fact"


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


def _word_not_a_count(flat: str, mention: Mention, before: str, after: str) -> str | None:
    """The kind of a numeral that is part of a word or a name, not a count, or ``None``.

    An article-like 一 (一大亮点, 这一数字, 一个重要背景, 是一个显著成绩, 一张覆盖…的网, 一起看看), a
    vague 几个, a numeral standing alone in quotes (“七大”, “三轮”驱动), a round 百/千/万 opening a quoted
    campaign name (“百名专家进万村”) and the denominator of a rate (万人发明专利拥有量).
    """
    raw = mention.raw
    if raw.startswith("一") and len(raw) >= 2 and not before.endswith(("、", "和", "及")):
        # (16个乡镇、一个开发区组成的网络: an item of a list of counts is a count)
        if raw == "一大" and not before.endswith(("党的", "中共")):
            return "article"  # 一大亮点, 一大波: "a big …"
        if before.endswith(_DEMONSTRATIVES):
            return "article"  # 这一数字
        if raw == "一起" and not after.startswith(("事故", "案件", "事件", "纠纷", "案例")):
            return "article"  # 一起看看: "together"
        if re.fullmatch(r"一[个项座张份件种]", raw) and (
            after.startswith(_ARTICLE_ADJECTIVES)
            or before.endswith(_COPULAS)
            or (
                re.match(r"[^，。；;,：:！？!?]{2,30}?的", flat[mention.end : mention.end + 32])
                and not before.endswith(_BUILT)
            )
        ):
            return "article"  # 一个重要背景, 是一个显著成绩, 一张覆盖34所学校的网
    if re.fullmatch(r"几[个项家名次]", raw):
        return "article"  # 挑选了几个: "a few"
    opening = flat.rfind("“", max(0, mention.start - 30), mention.start)
    closing = flat.find("”", mention.end, mention.end + 30)
    quoted = opening >= 0 and closing >= 0 and "”" not in flat[opening : mention.start]
    if quoted and "“" not in flat[mention.end : closing]:
        if (opening + 1, closing) == (mention.start, mention.end) and not re.search(r"\d", raw):
            return "name"  # “七大”代表, “三轮”驱动: a numeral alone in quotes names something
        if re.fullmatch(r"[百千万][名人个家支项场次所]", raw):
            return "name"  # “百名专家走进…”: a campaign's name
    if re.fullmatch(r"每?[百千万]人", raw) and _DENOMINATOR_AFTER.match(after):
        return "name"  # 万人发明专利拥有量: the denominator of a rate
    return None
