"""The unit of a number read from its context, where the number's own words do not give it.

:func:`~kexie_research.parse.quantities.parse_quantity` reads the unit from the classifier written
after a number. A coder reads more: the words around the number (the coding rules, "where the
classifier is missing or the number's meaning says more, the coder's unit is the meaning"). This
module refines the mentions of a text in five general ways:

- **a classifier shared by a list** (``分别提高1.31和1.2个百分点``, ``1.34和9.77万人``): a bare number
  joined by 和, 与, 及, 或 or 、 to a number with a multiplier or classifier takes them, as Chinese
  writes a shared classifier once, after the last number;
- **per capita** (``人均科普专项经费为4.51元``, ``…，比上年增加0.03元``): an amount of money whose clause
  names 人均/人平 before it (with no other amount between), or which states the change of a
  per-capita amount of the clause before (比/较 … 增加/提高/减少), is per capita;
- **venues** (``科技馆377座``): 座 counting halls (馆) counts organisations, as the frame's
  museums do;
- **the noun before a bare number** (``参观人次达到878.65万``, ``参与人数超过500万``,
  ``专项经费1.09亿``, ``受益群众约5万``): a number without a classifier right after 人次, 人数 (人口,
  群众 …) or a word of money
  (only filler and qualifier words between) takes that unit;
- **the noun after it** (``数十万群众``, ``1200个代表``: persons; ``巡展746站``: exhibitions held;
  ``8部门``, ``30多个部门``: organisations; ``45万人(次)``, ``3000人/次``: attendances; ``300组家庭``: households;
  ``3分钱``: 0.03 CNY).

Example::

    >>> from kexie_research.extract.mentions import find_mentions
    >>> flat = "两地分别提高1.31和1.2个百分点，参观人次达到878.65万"
    >>> [(m.raw, m.quantity.unit) for m in read_units(flat, find_mentions(flat))]
    [('1.31', 'percent'), ('1.2个百分点', 'percent'), ('878.65万', 'person_time')]
"""

from __future__ import annotations

import re
from dataclasses import replace

from kexie_research.errors import ParseError
from kexie_research.extract.mentions import Mention
from kexie_research.parse.numerals import strip_pinyin
from kexie_research.parse.quantities import Quantity, parse_quantity

__all__ = ["read_units"]

# Words joining the numbers of a list whose classifier is written once, after the last number.
_LIST_JOINS = frozenset({"和", "与", "及", "或", "、"})
# An Arabic number: a bare number when it is the whole mention (no qualifier, multiplier or classifier).
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
# Marks that end a clause (ASCII commas too: web texts converted to traditional characters use them).
_CLAUSE_MARKS = "，,；;。！？!?：:\n"
_PER_CAPITA = ("人均", "人平")
_CHANGE = re.compile(r"^(?:比|较|与|同比|相比)[^，,；;。]*?(?:增加|提高|增长|减少|下降|降低|多|少)了?$")
_MONEY_UNITS = ("CNY", "CNY_per_capita")
# Nouns that name the unit of the bare number right after them, and the words that may stand between.
_SUBJECT_UNITS = (
    (re.compile(r"人次$"), "person_time"),
    (re.compile(r"(?:人数|人口|群众|居民|观众|公众|游客)$"), "person"),
    # 经费, 资金 …, and any fee (资料费, 培训费; not 免费, 消费, 浪费)
    (re.compile(r"(?:资金|投入|收入|支出|预算|拨款|金额|(?<![免浪消])费|费用)(?:总额|总计|合计)?$"), "CNY"),
)
_YEAR_ONLY = re.compile(r"[ \t\u3000]*(?:19|20)\d\d年(?:底|末)?[ \t\u3000]*")
_BETWEEN = re.compile(
    r"(?:达到了|达到|达|为|约为|约|共计|共|累计|合计|总计|超过了|超过|突破了|突破|首次|逾|近|将|已|有|是|增至|增加到|提高到"
    r"|[ \t\u3000])*$"
)


def _clause_start(flat: str, position: int) -> int:
    """Where the clause holding ``position`` starts (at most 120 characters back: a clause, not a table)."""
    floor = max(0, position - 120)
    return max(floor, *(flat.rfind(mark, floor, position) + 1 for mark in _CLAUSE_MARKS))


def _reparse(mention: Mention, text: str, unit: str | None = None) -> Mention:
    """The mention with its quantity read from ``text`` (or only its unit changed)."""
    quantity = mention.quantity
    if unit is not None and quantity is not None:
        return replace(mention, quantity=replace(quantity, unit=unit))
    try:
        return replace(mention, quantity=parse_quantity(text))
    except ParseError:
        return mention


def _is_bare(quantity: Quantity | None, raw: str) -> bool:
    return quantity is not None and quantity.unit == "number" and _ARABIC.fullmatch(raw.strip()) is not None


def _shared_classifiers(flat: str, mentions: list[Mention]) -> list[Mention]:
    out = list(mentions)
    tail = ""  # the multiplier and classifier of the number after the join, carried leftwards
    for index in range(len(out) - 2, -1, -1):
        mention, following = out[index], out[index + 1]
        if flat[mention.end : following.start] not in _LIST_JOINS or not _is_bare(mention.quantity, mention.raw):
            tail = ""
            continue
        if not tail:
            head = _ARABIC.match(following.raw.strip())
            tail = following.raw.strip()[head.end() :] if head else ""
        if tail and (following.quantity is not None and following.quantity.unit != "number"):
            out[index] = _reparse(mention, mention.raw.strip() + tail)
        else:
            tail = ""
    return out


def _per_capita(flat: str, mentions: list[Mention]) -> list[Mention]:
    out = list(mentions)
    previous_per_capita = -1  # the end of the last per-capita amount
    for index, mention in enumerate(out):
        quantity = mention.quantity
        if quantity is None or quantity.unit not in _MONEY_UNITS:
            continue
        if quantity.unit == "CNY_per_capita":
            previous_per_capita = mention.end
            continue
        start = _clause_start(flat, mention.start)
        before = flat[start : mention.start]
        named = max(before.rfind(word) for word in _PER_CAPITA)
        money_between = any(
            other.quantity is not None
            and other.quantity.unit in _MONEY_UNITS
            and start + named <= other.start < mention.start
            for other in out[:index]
        )
        change = (
            previous_per_capita >= 0
            and _clause_start(flat, previous_per_capita) < start
            and not any(mark in flat[previous_per_capita:start] for mark in "。；;！？!?")
            and _CHANGE.match(before.strip()) is not None
        )
        if (named >= 0 and not money_between) or change:
            out[index] = _reparse(mention, "", unit="CNY_per_capita")
            previous_per_capita = mention.end
    return out


def _venues(flat: str, mentions: list[Mention]) -> list[Mention]:
    out = list(mentions)
    for index, mention in enumerate(out):
        quantity = mention.quantity
        if quantity is None or quantity.classifier != "座" or quantity.unit != "item":
            continue
        end = mention.end
        while end < len(flat) and flat[end] not in _CLAUSE_MARKS:
            end += 1
        if "馆" in flat[_clause_start(flat, mention.start) : end]:
            out[index] = _reparse(mention, "", unit="organisation")
    return out


def _subject_units(flat: str, mentions: list[Mention]) -> list[Mention]:
    out = list(mentions)
    carried: tuple[int, str] | None = None
    for index, mention in enumerate(out):
        quantity = mention.quantity
        if quantity is None or quantity.unit != "number" or quantity.classifier:
            continue
        before = flat[max(_clause_start(flat, mention.start), mention.start - 30) : mention.start]
        if "(" in before or "（" in before:
            before = strip_pinyin(before)  # 參與人數(shù)超過500萬
        gap = _BETWEEN.search(before)
        head = before[: gap.start()] if gap else before
        for pattern, unit in _SUBJECT_UNITS:
            if pattern.search(head):
                out[index] = _reparse(mention, "", unit=unit)
                carried = (mention.end, unit)
                break
        else:
            # 参加人次约100万，2016年达到127万: a clause naming only a year goes on with the noun before
            if (
                carried
                and _YEAR_ONLY.fullmatch(head)
                and not re.search("[。；;！？!?]", flat[carried[0] : mention.start])
            ):
                out[index] = _reparse(mention, "", unit=carried[1])
    return out


# Nouns of people right after a number without its own classifier (数十万群众, 3.6万各族群众, 1200个代表):
# persons; not a group of them (代表团, 志愿者服务队) nor a place named after them (科技工作者之家). Nouns
# that often modify another (青少年科技项目, 学生作品, 农民专业合作社) are left out.
_PERSON_AFTER = re.compile(
    r"(?:[ \t\u3000]|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]{1,12}[)）])*(?:各族|各界|广大)?"
    r"(?:群众|居民|市民|村民|观众|公众|游客|代表|科技工作者|志愿者|专家|师生)"
    r"(?![团队组处站所之]|服务[队站中组]|项目|作品|协会|工作|科技)"
)


def _person_nouns(flat: str, mentions: list[Mention]) -> list[Mention]:
    out = list(mentions)
    for index, mention in enumerate(out):
        quantity = mention.quantity
        if quantity is None or quantity.unit not in ("number", "count"):
            continue
        if _PERSON_AFTER.match(flat, mention.end):
            out[index] = _reparse(mention, "", unit="person")
        elif (
            quantity.unit == "number"
            and flat.startswith("站", mention.end)
            and "巡" in flat[_clause_start(flat, mention.start) : mention.start]
        ):
            out[index] = _reparse(mention, "", unit="event")  # 巡展746站: the stops of a touring exhibition
    return out


def _written_after(flat: str, mentions: list[Mention]) -> list[Mention]:
    """人(次) is 人次 (attendances); 8部门 counts departments (organisations), not 8 部 of 门; 300组家庭
    counts households; 3分钱 (fen) and 5角钱 (jiao) are money."""
    out = list(mentions)
    for index, mention in enumerate(out):
        quantity = mention.quantity
        if quantity is None:
            continue
        if quantity.unit in ("number", "count") and re.match(r"(?:组|个)?家庭", flat[mention.end : mention.end + 3]):
            out[index] = _reparse(mention, "", unit="household")
            continue
        coins = re.match(r"([分角毛])钱", flat[mention.end : mention.end + 2])
        if quantity.unit == "number" and coins and _ARABIC.fullmatch(mention.raw.strip()):
            factor = 0.01 if coins.group(1) == "分" else 0.1
            value = round(quantity.value * factor, 10)
            out[index] = replace(mention, quantity=replace(quantity, value=value, unit="CNY"))
            continue
        if quantity.unit == "person" and re.match(r"[(（]次[)）]|[/·・]次", flat[mention.end : mention.end + 3]):
            out[index] = _reparse(mention, "", unit="person_time")
        elif (quantity.classifier == "部" and flat.startswith("门", mention.end)) or (
            quantity.classifier == "个" and flat.startswith("部门", mention.end)
        ):
            out[index] = _reparse(mention, "", unit="organisation")
    return out


def read_units(flat: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions with units read from their context (see the module docstring).

    Parameters
    ----------
    flat
        The flat text (no line breaks) the mentions were found in, in simplified characters.
    mentions
        Its mentions, in order (:func:`~kexie_research.extract.mentions.find_mentions`).

    Returns
    -------
    list of Mention
        The same mentions, a quantity replaced where its context gives a unit (its ``raw`` and
        span unchanged).

    Examples
    --------
    >>> from kexie_research.extract.mentions import find_mentions
    >>> flat = "人均科普专项经费为4.51元，比上年增加0.03元；科技馆377座"
    >>> [(m.raw, m.quantity.unit) for m in read_units(flat, find_mentions(flat))]
    [('4.51元', 'CNY_per_capita'), ('0.03元', 'CNY_per_capita'), ('377座', 'organisation')]
    >>> flat = "分别达到1.34和9.77万人"
    >>> [(m.raw, m.quantity.value, m.quantity.unit) for m in read_units(flat, find_mentions(flat))]
    [('1.34', 13400.0, 'person'), ('9.77万人', 97700.0, 'person')]
    """
    mentions = _shared_classifiers(flat, mentions)
    mentions = _written_after(flat, mentions)
    mentions = _per_capita(flat, mentions)
    mentions = _venues(flat, mentions)
    mentions = _person_nouns(flat, mentions)
    return _subject_units(flat, mentions)
