"""The date of a document read from its text, when neither the manifest nor an option gives it.

Where a reader looks, in order:

1. a **date line** near the top or the bottom: a short line that is a date with its labels
   (``发布时间：2020-05-16``, ``【发布日期：2020年5月16日】``, ``日期:2004-01-16 00:00:00 查看:5081``,
   a day written first with dots ``16.05.2020 10:30``),
   or a line of page furniture naming its source, author or reads beside the date
   (``来源：县科协 作者：张三 2020-05-16 浏览量：123``), in Arabic, full-width or Chinese digits
   (``二〇二〇年五月十六日``), in simplified or traditional script (``發佈時間``);
2. a **signature**: the text's last sentence ending in a date (``……全文完。县科协2016年8月11日``);
3. the **event date** of the opening sentences: a full date (``2018年9月16日上午，县科协…``), or a
   day without its year (``9月17日，我县举行2023年科普日…``, ``新华社北京9月19日电``) that takes the
   one year named by the title, else the one year of its own sentence (not a year of a report or
   plan it names: ``召开2019年工作总结会``).

A day without a year and no year to give it leaves the document undated: relative periods then
stay open (the coding rules). The draft's ``date_from`` says where the date came from
(``manifest``, ``option``, ``text`` or ``none``).

Example::

    >>> document_date("宜昌市科协召开会议\\n发布时间：2021-03-05 10:12\\n会议……")
    '2021-03-05'
    >>> document_date("标题\\n2018年9月16日上午，县科协举办科普日活动。")
    '2018-09-16'
    >>> document_date("没有日期的文字。") is None
    True
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from kexie_research.parse.normal_form import nfkc
from kexie_research.parse.numerals import MONTH_DAY, NumeralError, read_date_number

__all__ = ["DATE_SOURCES", "dated", "document_date", "is_date_line", "is_not_a_title", "is_plan"]

#: Where a document's date was found (the draft's ``date_from``).
DATE_SOURCES: tuple[str, ...] = ("manifest", "option", "text", "none")
_CN_YEAR = "[〇零一二三四五六七八九]{4}"
_FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})(?!\d)\s*[日号號]?"
    rf"|({_CN_YEAR})\s*年\s*([一二三四五六七八九十]{{1,3}})\s*月\s*([一二三四五六七八九十]{{1,3}})\s*[日号號]"
)
# A day written day first with dots (19.09.2016 16:04: a date line of some web pages); the year last
# and four digits long, so that a version or a decimal (1.2.3, 3.5.2016万) is not read as one.
_DAY_FIRST_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?![\d.%万亿])")
# A line opening with a full date and a clock time (2025-08-11 09:45:15 …): a publication stamp.
_STAMP = re.compile(r"[\[【(（]?(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s+\d{1,2}:\d{2}")
_YEAR_DIGITS = re.compile(rf"(?:19|20)\d\d|{_CN_YEAR}")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
_DATE_LINE_LENGTH = 60
# Marks of a sentence: a line holding one is no date line.
_SENTENCE_MARKS = re.compile("[。，,；;！？]")
_META_LINE_LENGTH = 160
# Labels of page furniture beside a date (simplified; a traditional line is read after t2s).
_META_LABELS = re.compile(
    r"发布时间|发布日期|发稿时间|更新时间|时间|日期|发布|来源|信息来源|作者|编辑|责任编辑|浏览|浏览次数|浏览量|"
    r"阅读|阅读量|点击|点击量|点击数|查看|次数|字号|字体|打印|分享|收藏|关闭|纠错|通讯员|记者|供稿|审核|校对"
)
_DATE_LINE_LEFTOVER = re.compile(
    r"[\d\s:：\-/.年月日号時时分秒〇零一二三四五六七八九十]|星期.|周.|发布|时间|日期|来源|作者|浏览|次数|字体|[（）()\[\]【】|｜·•]"
)
# A day without its year (9月17日): an event date when a year can be given to it.
_MONTH_DAY = re.compile(rf"(?<![\d年月〇零一二三四五六七八九十])(?P<m>{MONTH_DAY})月(?P<d>{MONTH_DAY})[日号]")
# A year that names a report or a plan (召开2019年工作总结会, 2020年度表彰), not the event's year.
_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d\d)年(?!度|工作|总结|计划|规划|预算|决算|述职|目标|以来|起|底|末)")
_OPENING_SENTENCES = 3
_OPENING_CHARACTERS = 400
_SIGNATURE_LENGTH = 40
_TITLE_LENGTH = 60
_HEAD_LINES = 12  # lines read at each end of a text: date lines, the title, the opening, a signature
_BOUND_BEFORE = ("到", "至", "截至", "截止", "迄")
_BOUND_AFTER = ("前", "之前", "以前", "起", "以来", "止", "为止")
# The title names a plan, not a report of events: its sentences are not dated by the document.
_PLAN_WORDS = (
    "规划",
    "计划",
    "方案",
    "纲要",
    "意见",
    "办法",
    "要点",
    "通知",
    "条例",
    "实施细则",
    "预算",
    "申报书",
    "申报表",
    "申请书",
    "申请表",
    "绩效目标",
    "目标任务",
    "工作目标",
    "目标责任",
)
# The labels of a budget application form (项目支出预算申报表) near the top of a text without a title.
_APPLICATION_FORM = re.compile(r"项目申请理由|申请理由及主要内容|项目申报理由|申请金额|申报金额|申请资金")
_FORM_HEAD = 600
# The line a notice opens with, naming the units it is sent to (主送机关): 各相关单位：, 各县（市、区）科协：
_ADDRESSEE = re.compile(
    r"各[^。，,；;！？!?：:]{0,38}(?:单位|部门|科协|政府|学会|协会|机关|机构|委员会|局|办公室|中心|组织|站|所)[：:]"
)
# A first line that is not the title (a name and telephone number, 项目负责人：…): the title may follow.
_NOT_A_TITLE = re.compile(
    r"索引号|联系人|负责人|联系电话|电话|手机|邮箱|文号|(?<![\d.])\d{7,}(?![\d.]|\s*[万亿元个人])"
)


def is_not_a_title(line: str) -> bool:
    """True for a line of furniture that can stand above a title but is none: a contact, a telephone
    number, an index or document number (联系人：张三 13900000000, 监督索引号…).

    Examples
    --------
    >>> is_not_a_title("项目负责人：张三 13900000000"), is_not_a_title("某县科普项目资金申报书")
    (True, False)
    >>> is_not_a_title("共投入1200000元")  # a long number with its unit is an amount, not a telephone number
    False
    """
    return _NOT_A_TITLE.search(line) is not None


def _valid(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(read_date_number(year), read_date_number(month), read_date_number(day)).isoformat()
    except (ValueError, NumeralError):
        return None


def _dates(text: str) -> list[tuple[int, int, str]]:
    """Every valid full date of ``text``: (start, end, ISO date)."""
    found = []
    for match in _FULL_DATE.finditer(text):
        groups = match.groups()
        day = _valid(*groups[:3]) if groups[0] else _valid(*groups[3:])
        if day:
            found.append((match.start(), match.end(), day))
    if "." in text:
        for match in _DAY_FIRST_DATE.finditer(text):
            if day := _valid(match[3], match[2], match[1]):
                found.append((match.start(), match.end(), day))
        found.sort()
    return found


def _first_date(text: str) -> str | None:
    found = _dates(text)
    return found[0][2] if found else None


def _simplified(line: str) -> str:
    """A line in simplified characters (發佈時間 -> 发布时间): the labels of a date line are simplified."""
    if line.isascii():
        return line
    from kexie_research.parse.numerals import converter

    return str(converter("t2s").convert(line))  # type: ignore[attr-defined,unused-ignore]


def document_date(text: str) -> str | None:
    """The document's date ``YYYY-MM-DD`` read from its text, or ``None`` (see the module docstring).

    Examples
    --------
    >>> document_date("……全文完。\\n梧州市科协\\n2020年5月6日")
    '2020-05-06'
    >>> document_date("总结\\n全年培训3000人。\\n县科协\\n二〇二〇年十二月十日")
    '2020-12-10'
    """
    return dated(text)[0]


def dated(text: str) -> tuple[str | None, str]:
    """The document's date and where it was read: ``line`` (a date line or a signature) or ``event``
    (the opening event date); ``(None, "")`` when the text gives none.

    Examples
    --------
    >>> dated("标题\\n2018年9月16日上午，县科协举办科普日活动。")
    ('2018-09-16', 'event')
    >>> dated("县科协举行科普日活动\\n9月17日，我县举行2023年科普日启动仪式，160余人参加。")
    ('2023-09-17', 'event')
    >>> dated("科普大集\\n1月17日，区科协举行科普大集。")
    (None, '')
    """
    # full-width digits as ASCII; only the lines a date line may be are converted to simplified
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    # full-width digits as ASCII, in the lines read: the first and last lines, the opening and the end
    lines = [nfkc(line) for line in lines[:_HEAD_LINES]] + ([nfkc(line) for line in lines[_HEAD_LINES:][-_HEAD_LINES:]])
    for line in (*lines[:6], *lines[-4:]):
        if not _YEAR_DIGITS.search(line):
            continue
        if not is_date_line(line):
            if _SENTENCE_MARKS.search(line):
                continue  # no date line before or after t2s (no OpenCC rule holds these marks): not converted
            line = _simplified(line)  # 發佈時間：… (the labels are read in simplified characters)
        if is_date_line(line) and (found := _first_date(line)):
            return found, "line"
    titled = len(lines) > 1 and _is_title(lines[0])
    body = "".join(lines[1:] if titled else lines)
    ending = [s for s in _SENTENCE.findall(body[-4 * _SIGNATURE_LENGTH :]) if s.strip()]
    if ending and len(ending[-1]) <= _SIGNATURE_LENGTH:  # 县科协2016年8月11日 (a signature)
        last = _dates(ending[-1])
        if last and last[-1][1] >= len(ending[-1].rstrip("。 ")) - 1:
            return last[-1][2], "line"
    sentences = [s for s in _SENTENCE.findall(body[: 3 * _OPENING_CHARACTERS]) if s.strip()]
    title = lines[0] if titled else ""
    title_years = set(_YEAR_IN_TEXT.findall(title))
    read = 0
    for sentence in sentences[:_OPENING_SENTENCES]:
        if read > _OPENING_CHARACTERS:
            break
        read += len(sentence)
        days = [day for start, end, day in _dates(sentence) if not _is_bound(sentence, start, end)]
        if days:
            return days[0], "event"
        day = _MONTH_DAY.search(sentence)
        if day is None or _is_bound(sentence, day.start(), day.end()):
            continue
        years = title_years or set(_YEAR_IN_TEXT.findall(sentence))
        if len(years) == 1 and (found := _valid(years.pop(), day["m"], day["d"])):
            return found, "event"
    return None, ""


def _is_title(line: str) -> bool:
    """Whether the first line is a title: short and not a sentence (a text may open with its body)."""
    return (
        len(line) <= _TITLE_LENGTH
        and not re.search("[。；;！？]", line[:-1] if line.endswith("。") else line)
        and not line.endswith("。")
    )


def _is_bound(sentence: str, start: int, end: int) -> bool:
    """Whether the date at ``sentence[start:end]`` bounds a period (到2025年12月31日前, 截至5月16日,
    5月16日起) rather than dating an event."""
    return sentence[max(0, start - 2) : start].endswith(_BOUND_BEFORE) or sentence.startswith(_BOUND_AFTER, end)


@functools.lru_cache(maxsize=4096)
def is_date_line(line: str) -> bool:
    """Whether a line is a date line (``2021-09-11 09:40``, ``发布时间：2020年5月6日``, a line of page
    furniture ``来源：县科协 作者：张三 2020-05-16 浏览：12``) rather than a title or a sentence.

    Examples
    --------
    >>> is_date_line("发布时间：2021-09-11 09:40"), is_date_line("宜昌市科协召开会议")
    (True, False)
    >>> is_date_line("19.09.2016  16:04")  # day first, with dots
    True
    >>> is_date_line("来源：某县融媒体中心 作者：王五 责任编辑：赵六 2020-05-16 10:30 浏览量：1234")
    True
    >>> is_date_line("2020年5月16日，县科协举办科普活动，发放资料800份。")
    False
    """
    stripped = line.strip()
    if len(stripped) > _META_LINE_LENGTH or not _YEAR_DIGITS.search(stripped):
        return False
    if _SENTENCE_MARKS.search(stripped) or _first_date(stripped) is None:
        return False  # a sentence that names a date (到2025年12月31日前完成。) is not a date line
    if len(stripped) <= _DATE_LINE_LENGTH and len(_DATE_LINE_LEFTOVER.sub("", stripped)) <= 12:
        return True
    if _STAMP.match(stripped):
        return True  # a publication stamp opens the line: 2025-08-11 09:45:15 供稿:…
    # Page furniture: two labels or more (来源, 作者, 浏览 …) beside the date.
    return len(_META_LABELS.findall(stripped)) >= 2


def is_plan(text: str) -> bool:
    """Whether the document's title names a plan (规划, 方案, 预算 …) rather than a report of events.

    Examples
    --------
    >>> is_plan("柳州市科协系统深化改革实施方案\\n……"), is_plan("县科协2020年工作总结\\n……")
    (True, False)
    >>> is_plan("联系人：王五 13900000000\\n某县科普惠农项目资金申报书\\n……")
    True
    >>> is_plan("各乡镇科协、县直各有关单位：\\n现将2021年科普经费下达给你们……")
    True
    >>> is_plan("项目类别专项项目项目申请理由及主要内容用于开展科普活动。测算依据：培训经费3万元……")
    True
    """
    lines = [line.strip() for line in text.split("\n", 8)[:8] if line.strip() and not is_date_line(line)]
    first = lines[0] if lines else ""
    if _ADDRESSEE.fullmatch(first):
        return True  # 各相关单位： a notice (通知) opens with the units it is sent to: it directs, plans, allocates
    if _APPLICATION_FORM.search(text[:_FORM_HEAD]):
        return True  # a budget application's form run into the text (项目申请理由…测算依据): its lines are asked for
    if first and not _is_title(first) and first.count("《") <= first.count("》"):
        return False  # a text opening with its body (为贯彻落实《…计划纲要》，…): no title names a plan
    if len(lines) > 1 and first.count("《") > first.count("》"):
        first += lines[1]  # a title wrapped over two lines (…关于印发《柳州市 / 科协系统…方案》的通知)
    elif (
        len(lines) > 1
        and _NOT_A_TITLE.search(first)
        and len(lines[1]) <= _TITLE_LENGTH
        and not re.search("[。；;！？]", lines[1])
    ):
        first = lines[1]  # 项目负责人：张三 13900000000 / 某县科普项目资金申报书
    return any(word in first[:80] for word in _PLAN_WORDS)
