"""Suggest an indicator of the codebook for a mention, by keywords and unit.

An indicator is a candidate when its unit accepts the mention's parsed unit (the same rule as
the build: :meth:`kexie_research.steps.codebook.Codebook.unit_accepts`). Its keywords are the
two-character words of its Chinese label (``科协年度工作经费（本级财政投入）`` -> 科协, 年度, 工作,
经费, 本级, 财政, 投入 …); the score is the share of them that occur in the mention's clause (those
found only earlier in its sentence count half). The
best indicator is suggested when it scores at least :data:`MIN_SCORE` and beats the second best
by :data:`MIN_MARGIN`; otherwise nothing is suggested (a coder decides).

Example::

    >>> suggester = Suggester.from_data()
    >>> suggester.suggest("梧州市2020年本级财政投入科协的工作经费，藤县科协26万元", "CNY")
    ('kexie_annual_work_budget', 0.75)
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import chain

import pandas as pd

__all__ = [
    "CONTEXT_WEIGHT",
    "FRAME_NONE",
    "MIN_FRAME_CONFIDENCE",
    "MIN_MARGIN",
    "MIN_SCORE",
    "GAP_MARK",
    "FrameSuggester",
    "Suggester",
    "frame_terms",
]

#: Lowest keyword score at which an indicator is suggested.
MIN_SCORE = 0.34
#: How far ahead of the second best the best indicator must be.
MIN_MARGIN = 0.05
#: Weight of a keyword found before the number's clause rather than in it.
CONTEXT_WEIGHT = 0.5
# Characters that carry no meaning of their own in labels (数 = "number of", 的, brackets …).
_NOISE = re.compile(r"[^\u4e00-\u9fff]|数|的|和|或|与|及|个")


def _keywords(label: str) -> frozenset[str]:
    words: set[str] = set()
    for part in _NOISE.split(label):
        words.update(part[i : i + 2] for i in range(len(part) - 1))
    return frozenset(words)


class Suggester:
    """Indicator suggestions from a codebook's ``id``, ``zh`` and ``unit`` columns.

    Parameters
    ----------
    indicators
        One row per indicator with columns ``id``, ``zh``, ``unit``.
    unit_accepts
        ``unit_accepts(indicator_unit, parsed_unit) -> bool``, the build's unit rule.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["budget", "staff"], "zh": ["科协工作经费", "科协编制数"], "unit": ["CNY", "person"]})
    >>> Suggester(table, lambda indicator_unit, unit: indicator_unit == unit).suggest("科协工作经费26万元", "CNY")
    ('budget', 1.0)
    """

    def __init__(self, indicators: pd.DataFrame, unit_accepts) -> None:
        self._rows = [
            (row.id, row.unit, _keywords(row.zh)) for row in indicators[["id", "zh", "unit"]].itertuples(index=False)
        ]
        # Keyword -> indicators that have it: a clause is scored by looking up its own two-character
        # words, not by testing every keyword of every indicator.
        self._index: dict[str, list[int]] = {}
        for number, (_, _, words) in enumerate(self._rows):
            for word in words:
                self._index.setdefault(word, []).append(number)
        self._accepts = lru_cache(maxsize=None)(unit_accepts)
        self._ids = [indicator_id for indicator_id, _, _ in self._rows]
        self._sizes = [len(words) for _, _, words in self._rows]
        self._by_unit: dict[str, dict[str, tuple[int, ...]]] = {}

    def _unit_index(self, unit: str) -> dict[str, tuple[int, ...]]:
        """The keyword index restricted to the indicators that accept ``unit`` (built once per unit)."""
        index = self._by_unit.get(unit)
        if index is None:
            taking = {
                number
                for number, (_, indicator_unit, _) in enumerate(self._rows)
                if self._accepts(indicator_unit, unit)
            }
            index = {
                word: kept
                for word, numbers in self._index.items()
                if (kept := tuple(n for n in numbers if n in taking))
            }
            self._by_unit[unit] = index
        return index

    @classmethod
    def from_data(cls, raw_dir=None) -> Suggester:
        """The suggester over the project's codebook."""
        from kexie_research.extract.resources import codebook

        book = codebook(raw_dir)
        return cls(book.indicators, book.unit_accepts)

    def suggest(self, clause: str, unit: str | None, context: str = "") -> tuple[str, float]:
        """(indicator_id, score) for a clause and a parsed unit; ``("", score)`` when unsure.

        A keyword found in ``clause`` (the number's own clause) counts 1; one found only in
        ``context`` (the words before the clause in its sentence) counts :data:`CONTEXT_WEIGHT`.

        Examples
        --------
        >>> Suggester.from_data().suggest("天气晴朗", "CNY")[0]
        ''
        """
        if unit is None:
            return "", 0.0
        # Only the words that are keywords of an indicator taking the unit are looked up (set
        # intersections and counting in C); a keyword of the clause counts 1, one of the context only
        # CONTEXT_WEIGHT (sums of 1 and 0.5: exact whatever the order).
        index = self._unit_index(unit)
        own = {clause[i : i + 2] for i in range(len(clause) - 1)}
        around = {context[i : i + 2] for i in range(len(context) - 1)} - own
        in_clause = Counter(chain.from_iterable(map(index.__getitem__, own & index.keys())))
        in_context = Counter(chain.from_iterable(map(index.__getitem__, around & index.keys())))
        scored = [
            ((in_clause[number] + CONTEXT_WEIGHT * in_context[number]) / self._sizes[number], self._ids[number])
            for number in in_clause.keys() | in_context.keys()
        ]
        if not scored:
            return "", 0.0
        scored.sort(key=lambda item: (-item[0], item[1]))
        best, best_id = scored[0]
        second = scored[1][0] if len(scored) > 1 else 0.0
        if best >= MIN_SCORE and best - second >= MIN_MARGIN:
            return best_id, round(best, 2)
        return "", round(best, 2)


# ------------------------------------------------------------------------------------------------
# Suggestions against the frame of cross-place indicators
# ------------------------------------------------------------------------------------------------
#: Lowest confidence at which a frame indicator is suggested (below it the cell stays empty). The
#: confidences are steps (0.9, 0.75, 0.6, 0.3); the threshold was chosen on the development data
#: (benchmarks/evaluation and benchmarks/development, 428 coded facts, all suggestions written out):
#: suggestions at 0.9 were right 96 of 104 times, at 0.75 5 of 7, at 0.6 7 of 9, at 0.3 2 of 44 —
#: 0.6 is the lowest step right far more often than wrong (docs/extract.md).
MIN_FRAME_CONFIDENCE = 0.6
#: What the suggester says when the number is clearly about nothing of the frame (a change, a reach,
#: a subset of a count, a unit no frame indicator has); scored like an empty cell by the coder's ``none``.
FRAME_NONE = "none"
#: Confidence of each kind of evidence (see :class:`FrameSuggester`).
HEAD_CONFIDENCE, NEAR_CONFIDENCE, UNIT_CONFIDENCE, WEAK_CONFIDENCE = 0.9, 0.75, 0.6, 0.3
# Characters dropped before matching: brackets and list marks join 乡镇（园区）科协 into one term.
_JOINERS = re.compile(r"[（）()【】\[\]“”\"'《》\s]")
# A footnote mark after a noun (企业科协[2]274个) is not part of the text's numbers.
_FOOTNOTE = re.compile(r"[\[［【]\d{1,3}[\]］】]")
# A bracket's content: dropped as an aside when it holds a number, a punctuation mark, a clause of its
# own (专职科普工作者（科普工作时间占60%以上的人员）709人) or a pinyin gloss (數(shù)量); otherwise read both
# joined (乡镇（园区）科协) and dropped (街道科协（社区科协）131个), the better reading counting.
_BRACKET = re.compile(r"[（(]([^（）()]*)[）)]")
_ASIDE_LENGTH = 8
_ASIDE = re.compile(r"[0-9０-９%％，,。；;：:]|\A[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü\s]+\Z")
# Where the noun of a number ends, and where the words before it begin: a separator or another number.
_SEGMENT_END = re.compile(r"[，。；;,、：:！？!?]|[0-9０-９]")
# A number's own clause for lists read with 分别 (A、B分别达到1.34和9.77万人): only strong separators.
_CLAUSE_END = re.compile(r"[，。；;,：:！？!?]")
_NUMBER = re.compile(r"[0-9０-９][0-9０-９.．,]*")
_LEADING_WORDS = re.compile(r"[^0-9０-９一二三四五六七八九十两百千万亿零〇]*")
# Words before a number that make it a change, a campaign's count or a reach, not a stock of the
# frame (新增5797人, 比上年增加46个, 走访企业50家, 阅读量6.94亿次); 增加到/增至 state a level and pass.
_CHANGE = re.compile(
    r"(?:新建|新增|新吸收|新发展|发展|新招募|新注册|升级|精简|核增|核减|净增|增加|增长|减少|下降|提高|提升|增幅|翻)了?(?![到至])"
)
_CAMPAIGN = re.compile(r"走访|慰问|表彰|举荐|推荐|开发|奖励|奖补|评选|命名|授予|优秀|先进|入围|百强")
# Words before a number that make it an average or a norm per unit (每个县区平均有2名), or a capacity
# (能够接待3万人次), not a count of the scope.
_PER_UNIT = re.compile(r"每(?:个|一个|家|所|位|名|座|处)|平均|能够|可以|可容纳|容纳")
_REACH = re.compile(r"阅读|浏览|点击|播放|粉丝|关注|转发|分享|点赞|访问量")
# Words that make people or attendances an online audience (超5亿人次公众共享线上科普): a reach, not
# attendances — unless the number counts online and offline together (线上线下参与人次).
_ONLINE = re.compile(r"线上|在线|网上|网络|云上|直播")


def _online_only(words: str) -> bool:
    return "线下" not in words and _ONLINE.search(words) is not None


# Words right after a counted noun that make it a campaign's participants (64个学会…参加会议, 2000多名科技工作者参与).
_TAKING_PART = re.compile(r"参加|参与|出席|参会|获评|发言|获(?:得)?.{0,4}奖")
# A count of kinds (8种科普资料, 5类人群) or of class hours (3218个课时) counts no stock of the frame.
_KINDS_OR_HOURS = re.compile(r"[种类]\Z|课时|学时")
# A bound that defines the group counted (中级职称及以上…的科普人员, 60%以上的工作人员): a part of the frame's count.
_BOUND_GROUP = re.compile(r"(?:以上|以下)(?:学历|职称)?的")
# A circled numeral marks an item of a list (①…②…): a sum there is a line of funds, not the scope's total.
_CIRCLED = re.compile(r"[①-⑳]")
# Words right after a number of any kind that make it what one campaign selected or awarded
# (3项活动被评为优秀活动, 4个入围的农技协): the frame counts stocks, not a campaign's selection.
_SELECTED = re.compile(r"被评为|被命名为|入选|入围")
# Words after counted organisations, also past the rest of their list, that make them a campaign's
# participants (100多家学会组织前沿科普活动; 46家企业科协、225家园区科协开展各类科普活动).
_ACTING = re.compile(r"(?:组织|开展|举办|承办|推出)了?[^，。；,;！？]{0,10}?活动|面向公众开放")
# Words right after a number that make it a count of places (county-level units), not of organisations.
_PLACE_NOUN = re.compile(r"(?:县|区|市|行政区|省)(?!级)")
_CJK_RUN = re.compile(r"[\u4e00-\u9fffa-z]{2,}")
# Characters a number's noun may start with that belong to the count, not to the noun.
_CLASSIFIERS = "个家名人位所座处项次场期篇份条部支批户元万亿余多近约共块册张幅届集"
# Classifiers that name no kind of thing: the noun decides (6个培训, 1.1万多项活动, 3座科技馆); 项 counts
# items, events or projects, never organisations (省级学会设立25项: awards, not societies).
_GENERIC_CLASSIFIERS = "个项期座处"
# Words between a term and its number that keep the term the number's noun (科普经费筹集额达1.55亿元,
# 开展科普活动的数量达到8461个); anything else there is the noun (科普经费政府拨款122.96亿元).
_LINKING = re.compile(
    r"(?:的|之|总|共|共计|合计|总计|累计|已|已经|达|达到|到|为|是|有|约|近|超过|超|突破|逾|计|总数|数量|数目|个数|人数|"
    r"册数|总量|总额|筹集额|使用额|额|费用|经费|资金|规模|分别|各|将|要|力争|争取|至少|不少于|不低于|增加到|增至|目前|现有|拥有|"
    r"全年|出版|只有|只|仅有|仅|不足|不到|还|也|均|都|高达|多达|接近|约为|大约|组织|比例|占比|比重|由|从|"
    r"建成|建立|建有|设立|成立|组建|共有|筹集|使用|投入|首次|再次|应|应当|须|必须|"
    # a size word: the number is the size of the term's group (科普志愿者队伍规模达到686万人)
    r"队伍建设|队伍|总规模|"
    # a table row's unit and English gloss between its label and its first cell (企业科协 (个) Enterprises 312)
    r"[a-z&/.\-]+|[个人次项家所元]|"
    # a noun coordinated with the term (科普资料和书籍共计1000余份)
    r"(?:和|及|与|以及)[\u4e00-\u9fff]{1,4}?(?=共|共计|合计|总计|累计|达|为|约|近|超过|\Z))*\Z"
)
# The base of a comparison right after the compared number (达到10.56%，较2015年的6.20%).
_COMPARED_BASE = re.compile(r"[，,](?:较|比)(?:[0-9０-９]{2,4}年)?的?\Z")
# A segment that only gives a size (…科普志愿者队伍建设，规模达到686万人): its noun is the clause's before it.
_SIZE_ONLY = re.compile(r"(?:总|队伍|整体)?(?:规模|总数|总量)(?:达到|达|为|超过|突破|约|近|已达|已经达到)?\Z")
# A segment that only moves a level (由58%提高到70%): its noun is the previous number's.
_MOVES_TO = re.compile(r"(?:提高|增加|增长|提升|上升|扩大|下降|减少|降低)?[到至]\Z")
# 在42家科技型企业建立了科协组织: the organisations counted are the kexie of the units named.
_BUILT_KEXIE = re.compile(r"\A(.{1,12}?)(?:均已|均|已经|已|全部|都)?(?:建立|成立|组建|建成)了?(?:科协|科普协会)")
# Nouns after a counted term that make the term a modifier (54个学会代表, 1个科技辅导员科技创新项目).
_OTHER_HEADS = ("的", "代表", "会员", "项目", "作品", "单位", "负责人", "理事", "联合体", "平台", "账号", "公众号")
# Nouns of groups after a term of persons: counted in 个/支, the number counts the groups (5支科技志愿者服务队).
_GROUP_HEADS = ("服务队", "分队", "队伍", "队", "团", "工作室", "小组")
# Which parsed units a frame unit takes for a suggestion — stricter than the build's rule: persons are
# never a count of 个 nor attendances (人次), a count of 个/项 is an organisation, an event or an item
# when its noun says so, a per-capita sum is read in 元.
_READINGS = {
    "person": {"person"},
    "person_time": {"person_time"},
    "organisation": {"organisation", "count"},
    "event": {"event", "count", "project"},
    "item": {"item", "count", "project"},
    "CNY": {"CNY"},
    "CNY_per_capita": {"CNY_per_capita", "CNY"},
    "percent": {"percent", "share"},
}
# Units of frame indicators that are rates or shares, never a part of a total (其中，人均科普专项经费为4.51元).
_RATES = {"percent", "CNY_per_capita"}
# Units of counted things: a bare number (its unit written elsewhere) may be any of them, at most NEAR.
_COUNTED = {"person", "person_time", "organisation", "event", "item"}
# A unit word just before a bare number (参观人次达到878.65万): the number's unit.
_UNIT_BEFORE = re.compile(r"(人次|人数)(?:达到|达|为|超过|突破|约|近|共|共计|总计|合计|分别为|分别达到|分别)?\Z")


#: Written in a term of the codebook, a gap of a few Chinese characters (科普…经费).
GAP_MARK = "…"
_GAP = r"[\u4e00-\u9fff]{0,6}?"
# How far after a number (past its classifier) a not_term still speaks of the number's noun.
_NOT_TERM_REACH = 6
_BRACKET_CHARS = frozenset("（()[［【")
# The words before a clause cut at the 、 of an elliptical coordination (…全国科普专、|兼职人员…).
_SPLIT_ELLIPSIS = re.compile(r"[^，,；;。：:]*[专兼挂]、\Z")
# Elliptical coordination of the one-character modifiers of 职 (专、兼职人员 = 专职和兼职人员): read as one word.
_ELLIPSIS = re.compile(r"(?<=[专兼挂])[、和与及](?=[专兼挂]职)")


def _normalise(text: str, drop_brackets: bool = False) -> str:
    if not _BRACKET_CHARS.isdisjoint(text):  # most clauses have no bracket: two scans saved
        text = _FOOTNOTE.sub("", text)
        text = _BRACKET.sub(
            lambda m: (
                "" if drop_brackets or len(m.group(1)) >= _ASIDE_LENGTH or _ASIDE.search(m.group(1)) else m.group(1)
            ),
            text,
        )
    if "职" in text:
        text = _ELLIPSIS.sub("", text)
    return _JOINERS.sub("", text).lower()


def _split(values: str) -> tuple[str, ...]:
    return tuple(_JOINERS.sub("", v).lower() for v in str(values or "").split(";") if v.strip())


def frame_terms(frame: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The Chinese terms of each frame indicator, longest first.

    A frame indicator's ``terms`` column (``;``-separated words of the codebook) when it has one;
    otherwise the Chinese words its ``counts`` names and its label without 数, less two-character
    words shared by several frame indicators (科普, 科协: they say nothing about which one). Brackets
    are removed (乡镇（园区）科协 -> 乡镇园区科协) the same way the text is normalised before matching.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["t"], "zh": ["乡镇（街道）科协数"], "counts": ["乡镇科协, 街道科协 built as kexie"]})
    >>> frame_terms(table.set_index("id", drop=False))["t"]
    ('乡镇街道科协', '乡镇科协', '街道科协')
    >>> frame_terms(table.assign(terms="镇科协;乡镇科协").set_index("id", drop=False))["t"]
    ('乡镇科协', '镇科协')
    """
    terms: dict[str, tuple[str, ...]] = {}
    listed = "terms" in frame.columns
    for row in frame.itertuples(index=False):
        given = _split(row.terms) if listed else ()
        if given:
            terms[row.id] = tuple(sorted(set(given), key=lambda t: (-len(t), t)))
            continue
        brackets = re.compile(r"[（）()【】\[\]“”\"'《》]")
        found = {
            match
            for term in re.split(r"[,;，；]", str(row.counts))
            for match in _CJK_RUN.findall(brackets.sub("", term).lower())
        }
        label = _normalise(re.sub(r"(人)?数$", "", str(row.zh)))
        found.update(_CJK_RUN.findall(label))
        found = {t for t in found if not t.isascii()}
        terms[row.id] = tuple(sorted(found, key=lambda t: (-len(t), t)))
    derived = [key for key, row in zip(terms, frame.itertuples(index=False)) if not (listed and _split(row.terms))]
    shared = Counter(term for found in terms.values() for term in set(found) if len(term) == 2)
    for key in derived:
        terms[key] = tuple(t for t in terms[key] if len(t) > 2 or shared[t] == 1)
    return terms


def _find(text: str, number: str, occurrence: int) -> int:
    """Where the ``occurrence``-th (0-based) ``number`` starts in ``text`` (the last one when there
    are fewer), or -1."""
    cut = text.find(number) if number else -1
    for _ in range(occurrence):
        following = text.find(number, cut + 1)
        if following < 0:
            break
        cut = following
    return cut


def _respectively(clause: str, cut: int) -> str | None:
    """The noun a number takes in a list read with 分别 (科普兼职人员、科普志愿者分别达到1.34和9.77万人 ->
    科普兼职人员 for 1.34), or ``None`` when the number is not in such a list."""
    start = max((m.end() for m in _CLAUSE_END.finditer(clause, 0, cut)), default=0)
    own = clause[start:cut]
    where = own.rfind("分别")
    if where < 0:
        return None
    nouns = [n for n in re.split(r"[、和及与]", own[:where]) if n]
    if len(nouns) == 1:
        return nouns[0]  # 听取工作汇报分别为1次、2次、4次: one noun for every number
    index = len(_NUMBER.findall(own[where:]))
    return nouns[index] if index < len(nouns) else None


class FrameSuggester:
    """Frame indicator suggestions for a number, from the frame's own data in the codebook (its
    ``terms``, ``not_terms`` and unit), the words nearest the number, the grammar of change, reach and
    subsets, and the case-specific indicator suggested for it; ``none`` when the number is clearly
    about nothing of the frame, empty when unsure.

    Evidence and its confidence (the frame indicator's unit must take the number's unit; persons are
    never a count of 个 nor attendances):

    - **0.9** a term is the noun the number counts — right after the number and its classifier
      (``14个乡镇科协``, ``658名科普志愿者``, ``262场讲座``) or right before it with only linking words
      between (``科普经费筹集额达1.55亿元``, ``科普活动的数量达到8461个``); a list read with 分别 gives each
      number its own noun. A longer term wins over a shorter one at the same confidence (乡镇园区科协
      over 园区科协, 人均科普经费 over 科普经费);
    - **0.75** a term a few words after the classifier (``20场电动汽车科普大讲堂``), or attendances
      (人次) with no term (the frame counts them as ``kepu_participants``);
    - **0.3** a term that is not the number's noun (``科普经费政府拨款122.96亿元``: the noun is 政府拨款)
      or the case-specific suggestion alone: below
      :data:`MIN_FRAME_CONFIDENCE`, so nothing is suggested;
    - a case-specific suggestion whose frame indicator also has a term at 0.6 or more raises it to 0.9.

    A ``not_terms`` word of a frame indicator in the number's words rules that indicator out (the
    literacy of 农民, the 会员 of a society). :data:`FRAME_NONE` (``none``, 0.9) is said for a change
    or an addition (新增, 比上年增加), a reach (阅读量, 浏览量), a campaign's count (走访企业50家, 2000多名科技
    工作者参与), a subset (其中 + a term named before it in the sentence), a percentage or a unit that
    no frame indicator has. Two frame indicators alike give nothing.

    Examples
    --------
    >>> suggester = FrameSuggester.from_data()
    >>> suggester.suggest("全县共建立乡镇科协14个", "14个", "count")
    ('township_kexie', 0.9)
    >>> suggester.suggest("建成14个乡镇（园区）科协", "14个", "count")
    ('grassroots_kexie', 0.9)
    >>> suggester.suggest("比上年新增科普基地5个", "5个", "count")
    ('none', 0.9)
    >>> suggester.suggest("天气晴朗", "3个", "count")
    ('', 0.0)
    """

    def __init__(self, frame: pd.DataFrame, indicator_frames: dict[str, str], unit_accepts) -> None:
        self._terms = frame_terms(frame)
        self._not_terms = {row.id: _split(getattr(row, "not_terms", "")) for row in frame.itertuples(index=False)}
        self._units = dict(zip(frame["id"], frame["unit"]))
        self._indicator_frames = {k: v for k, v in indicator_frames.items() if v in self._units}
        self._accepts = lru_cache(maxsize=None)(unit_accepts)
        # Term -> frame indicators, and first two characters -> terms: the words near a number are
        # scanned once for the terms they hold, not tested against every term of every indicator.
        self._term_frames: dict[str, list[str]] = {}
        for frame_id, found in self._terms.items():
            for term in found:
                self._term_frames.setdefault(term, []).append(frame_id)
        self._starts: dict[str, tuple[str, ...]] = {}
        for term in sorted(self._term_frames, key=lambda t: (-len(t), t)):
            self._starts[term[:2]] = (*self._starts.get(term[:2], ()), term)
        self._leads = frozenset(self._starts)
        self._longest = max((len(t) for t in self._term_frames), default=0)
        # Terms with a gap (科普…经费: 科普活动专项经费, 科普大篷车经费): a pattern each, matched besides the words.
        self._gapped = [
            (re.compile(_GAP.join(map(re.escape, term.split(GAP_MARK)))), frame_id)
            for frame_id, found in self._terms.items()
            for term in found
            if GAP_MARK in term
        ]
        # A unit only one frame indicator has (人次: kepu_participants; 人均…元: kepu_funding_per_capita)
        # names it without a term next to the number, when a term of its category is in the sentence.
        units = Counter(self._units.values())
        self._unit_alone = {unit: f for f, unit in self._units.items() if units[unit] == 1}
        categories = dict(zip(frame["id"], frame["category"])) if "category" in frame.columns else {}
        self._category_terms = {
            f: tuple(t for g in self._terms if categories.get(g) == categories.get(f, f) for t in self._terms[g])
            or self._terms.get(f, ())
            for f in self._units
        }

    @classmethod
    def from_data(cls, raw_dir=None) -> FrameSuggester:
        """The frame suggester over the project's codebook."""
        from kexie_research.extract.resources import codebook

        book = codebook(raw_dir)
        return cls(book.frame, dict(zip(book.indicators["id"], book.indicators["frame"])), book.unit_accepts)

    def _takes(self, frame_unit: str, reading: str) -> bool:
        """Whether a frame indicator in ``frame_unit`` may count a number read in ``reading``."""
        if reading == "number" or (reading == "count" and frame_unit == "person"):
            return frame_unit in _COUNTED
        if frame_unit in _READINGS:
            return reading in _READINGS[frame_unit]
        return bool(self._accepts(frame_unit, reading))

    @staticmethod
    def _term_score(term: str, before: str, after: str, near_only: bool) -> float:
        """Confidence that ``term`` is the noun of the number, from the words before and after it."""
        best = 0.0
        rest = after.lstrip(_CLASSIFIERS)
        position = rest.find(term)
        heads = _OTHER_HEADS + _GROUP_HEADS if near_only else _OTHER_HEADS
        if 0 <= position <= 6 and not rest[position + len(term) :].startswith(heads):
            best = HEAD_CONFIDENCE if position <= 2 else NEAR_CONFIDENCE
        position = before.rfind(term)
        if position >= 0:
            gap = before[position + len(term) :]
            best = max(best, HEAD_CONFIDENCE if _LINKING.match(gap) else WEAK_CONFIDENCE)
        if near_only:
            best = min(best, NEAR_CONFIDENCE)
        return best

    def suggest(
        self,
        clause: str,
        raw_text: str,
        unit: str | None,
        context: str = "",
        indicator_id: str = "",
        indicator_score: float = 1.0,
        at: int | None = None,
        following: str = "",
    ) -> tuple[str, float]:
        """(frame_id, confidence) for a number ``raw_text`` in ``clause``: a frame indicator, ``none``
        (the number is about nothing of the frame) or ``""`` (unsure), with its confidence.

        ``context`` is the words before the clause in its sentence; ``indicator_id`` and
        ``indicator_score`` the case-specific suggestion (:class:`Suggester`); ``at`` the number's
        position in ``clause`` when the same number is written there twice (default: the first);
        ``following`` the words after the clause in its sentence (the rest of a list the number is an
        item of: its verb may make the items a campaign's participants).

        Examples
        --------
        >>> FrameSuggester.from_data().suggest("人均科普经费达到3.5元", "3.5元", "CNY")
        ('kepu_funding_per_capita', 0.9)
        >>> FrameSuggester.from_data().suggest("文章阅读量达6.9亿次", "6.9亿次", "event")
        ('none', 0.9)
        """
        if unit is None:
            return "", 0.0
        number = _normalise(raw_text)
        context = _normalise(context)
        split = _SPLIT_ELLIPSIS.search(context) if re.match(r"[专兼挂]职", clause) else None
        if split:  # 科普专、|兼职人员199万人: the clause was cut inside 专、兼职; read the words before with it
            clause, context = split.group() + clause, context[: split.start()]
            if at is not None:
                at += len(split.group())
        following = _normalise(following)
        occurrence = _normalise(clause[:at]).count(number) if at and number else 0
        readings = [_normalise(clause)]
        if _BRACKET.search(clause):
            readings.append(_normalise(clause, drop_brackets=True))
            if number not in readings[0]:  # the number sits inside an aside: read the brackets joined
                readings[0] = _JOINERS.sub("", _FOOTNOTE.sub("", clause)).lower()
        outcome: tuple[str, float] | None = None
        scores: dict[str, tuple[float, int]] = {}
        for text in dict.fromkeys(readings):
            said, found = self._read(text, number, unit, context, occurrence, following)
            if said is not None:  # none said by the grammar of the number
                outcome = outcome or said
                continue
            for frame_id, score in found.items():
                scores[frame_id] = max(scores.get(frame_id, score), score)
        if outcome is not None and not scores:
            return outcome
        reading = self._reading(number, unit, readings[0])
        mapped = self._indicator_frames.get(indicator_id, "")
        if mapped and mapped in scores and scores[mapped][0] >= UNIT_CONFIDENCE and indicator_score >= 0.5:
            near, length = scores[mapped]  # one step up: a better-placed or longer term elsewhere still wins
            scores[mapped] = (HEAD_CONFIDENCE if near >= NEAR_CONFIDENCE else NEAR_CONFIDENCE, length)
        elif mapped and mapped not in scores and self._takes(self._units[mapped], reading):
            scores[mapped] = (WEAK_CONFIDENCE, 0)  # the case-specific suggestion alone: not enough
        if not scores:
            if not any(self._takes(u, reading) for u in self._units.values()) and reading not in (
                "number",
                "count",
                "project",
            ):
                return FRAME_NONE, HEAD_CONFIDENCE  # a unit no frame indicator has (places, areas, years)
            if reading in ("percent", "share"):
                return self._share_named(readings[0], number, occurrence, context, reading)
            return "", 0.0
        ranked = sorted(scores.items(), key=lambda item: (-item[1][0], -item[1][1]))
        best_id, (best, length) = ranked[0]
        if len(ranked) > 1 and ranked[1][1] == (best, length):
            return "", best
        if best < MIN_FRAME_CONFIDENCE:
            return "", best
        text = readings[0]
        if self._is_subset(text, _find(text, number, occurrence), best_id, context):
            return FRAME_NONE, NEAR_CONFIDENCE
        return best_id, best

    def _share_named(self, text: str, number: str, occurrence: int, context: str, reading: str) -> tuple[str, float]:
        """A percentage with no term of its own: the one share of the frame named earlier in its sentence
        (…科学素质水平超过10%，上海和北京分别达到24.3%和24.1%; 比例超过14%，力争达到15%: its value again, for
        another place or date), nothing when several are named, else ``none`` (a share the frame does
        not count: 占…的76.82%, 增长7.87%)."""
        shares = [f for f, u in self._units.items() if self._takes(u, reading)]
        nearby = text[: max(_find(text, number, occurrence), 0)] + "|" + context
        named = {f for f in shares for term in self._terms.get(f, ()) if term in nearby}
        before = nearby.split("|", 1)[0]
        own = before[max((m.end() for m in _SEGMENT_END.finditer(before)), default=0) :]  # a not_term there rules out
        if len(named) == 1 and not any(word in own for word in self._not_terms.get(next(iter(named)), ())):
            return named.pop(), UNIT_CONFIDENCE
        if named:
            return "", 0.0
        return FRAME_NONE, NEAR_CONFIDENCE

    @staticmethod
    def _reading(number: str, unit: str, text: str) -> str:
        """The unit a number is read in for the frame: a generic classifier (个, 项) says nothing of
        the kind, a bare number takes a unit word written just before it (参观人次达到878.65万)."""
        if unit in ("item", "count") and number.rstrip("余多").endswith("项"):
            return "project"
        if unit in ("item", "count") and number.rstrip("余多").endswith(tuple(_GENERIC_CLASSIFIERS)):
            return "count"
        if unit == "number":
            cut = text.find(number)
            before = text[:cut] if cut >= 0 else ""
            after = text[cut + len(number) :] if cut >= 0 else ""
            if after.startswith("人次"):  # 181.30万(wàn)人次: a unit the gloss kept from the number
                return "person_time"
            if after[:1] in ("人", "名", "位") and after[:1]:
                return "person"
            found = _UNIT_BEFORE.search(before)
            return {"人次": "person_time", "人数": "person"}[found.group(1)] if found else "number"
        return unit

    def _read(
        self, text: str, number: str, unit: str, context: str, occurrence: int = 0, following: str = ""
    ) -> tuple[tuple[str, float] | None, dict[str, tuple[float, int]]]:
        """One reading of the clause: (``none`` said by the number's grammar, or None; scores by frame id)."""
        cut = _find(text, number, occurrence)
        before, after = (text[:cut], text[cut + len(number) :]) if cut >= 0 else (text, "")
        end = _SEGMENT_END.search(after)
        after = after[: end.start()] if end else after
        starts = [m.end() for m in _SEGMENT_END.finditer(before)]
        segment = before[starts[-1] :] if starts else before
        leading = _LEADING_WORDS.match(number)
        segment += leading.group() if leading else ""  # words the number is written with (人均0.3元)
        reading = self._reading(number, unit, text)
        tail = segment[-12:]
        if not segment and before.endswith(("、", "和", "及")):  # an item of a list: its verb heads the list
            start = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
            tail = re.split(r"[0-9０-９]", before[start:], maxsplit=1)[0][-12:]
        campaign = reading not in ("CNY", "CNY_per_capita") and _CAMPAIGN.search(tail)  # award funds are funds
        if _CHANGE.search(tail) or campaign or _PER_UNIT.search(tail) or _REACH.search(tail) or _REACH.search(after):
            return (FRAME_NONE, HEAD_CONFIDENCE), {}
        if reading in ("person", "person_time") and _online_only(tail + "|" + after):
            return (FRAME_NONE, HEAD_CONFIDENCE), {}
        if reading in ("person", "organisation", "count", "number") and _TAKING_PART.search(after):
            return (FRAME_NONE, HEAD_CONFIDENCE), {}
        if _KINDS_OR_HOURS.search(number) or _KINDS_OR_HOURS.match(after.lstrip(_CLASSIFIERS)):
            return (FRAME_NONE, HEAD_CONFIDENCE), {}
        if _BOUND_GROUP.search(segment):
            return (FRAME_NONE, NEAR_CONFIDENCE), {}
        if _SELECTED.search(after) or (
            reading in ("organisation", "count") and _ACTING.search(self._rest(text, cut, number, following))
        ):
            return (FRAME_NONE, HEAD_CONFIDENCE), {}
        if _PLACE_NOUN.match(after.lstrip(_CLASSIFIERS)) and reading in ("count", "place", "organisation"):
            return (FRAME_NONE, HEAD_CONFIDENCE), {}  # 20个区县…: a count of places
        base = _COMPARED_BASE.search(context + before)
        if base:  # …达到10.56%，较2015年的6.20%: the base of a comparison has the compared number's noun
            earlier = (
                (context + before)[: base.start()]
                .rstrip(_CLASSIFIERS + "%％")
                .rstrip("0123456789０１２３４５６７８９.．")
            )
            cuts = [m.end() for m in _SEGMENT_END.finditer(earlier)]
            segment = earlier[cuts[-1] if cuts else 0 :]
        elif _SIZE_ONLY.match(segment) and (context or starts):
            earlier = (context + before[: starts[-1]] if starts else context).rstrip("，,；;、")
            cuts = [m.end() for m in _SEGMENT_END.finditer(earlier)]
            segment = earlier[cuts[-1] if cuts else 0 :]  # 科普志愿者队伍建设，规模达到686万人
        elif starts and _MOVES_TO.fullmatch(segment.lstrip(_CLASSIFIERS + "%％")):
            earlier = before[: starts[-1]].rstrip("0123456789０１２３４５６７８９.．")
            cuts = [m.end() for m in _SEGMENT_END.finditer(earlier)]
            segment = earlier[cuts[-1] if cuts else 0 :]  # 由200人增加到500人: the noun of the level moved from
        listed = _respectively(context + text, len(context) + cut) if cut >= 0 else None
        built = _BUILT_KEXIE.match(after.lstrip(_CLASSIFIERS))
        if built:  # 在5家事业单位建立了科协组织 -> 事业单位科协 is the number's noun
            after = after[:1] + built.group(1) + "科协"
        if reading == "number" and after.lstrip(_CLASSIFIERS).strip("和及与"):
            segment = ""  # 为3.6万各族群众: a bare number followed by a noun counts that noun
        scores: dict[str, tuple[float, int]] = {}
        if listed is not None:  # the list's own noun first; the words before the number when it names nothing
            scores = self._score(listed, before, after, context, reading)
        if reading == "CNY" and _CIRCLED.search(before):
            # an item of a list (⑧报纸开设科普宣传栏经费25万元) is a line of funds: none, unless it names a
            # frame indicator word for word (⑤基层科普行动计划费用38万元, a programme's funds)
            literal = scores or self._score(segment, before, after, context, reading, gapped=False)
            return (None, literal) if literal else ((FRAME_NONE, NEAR_CONFIDENCE), {})
        return None, scores or self._score(segment, before, after, context, reading)

    @staticmethod
    def _rest(text: str, cut: int, number: str, following: str) -> str:
        """The words after a number to the end of its clause, past the clause's own end when that
        is an item of a list (…46家企业科协、225家园区科协开展各类科普活动)."""
        rest = (text[cut + len(number) :] if cut >= 0 else "") + following
        end = _CLAUSE_END.search(rest)
        return rest[: end.start()] if end else rest

    def _terms_in(self, text: str) -> set[str]:
        """The terms of the frame that occur in ``text``."""
        # The terms led by a two-character word of the text (a set intersection in C), each then
        # searched for in C: the same terms as testing every position, without a loop over them.
        leads = {text[i : i + 2] for i in range(len(text) - 1)} & self._leads
        return {term for lead in leads for term in self._starts[lead] if term in text}

    def _score(
        self, segment: str, before: str, after: str, context: str, reading: str, gapped: bool = True
    ) -> dict[str, tuple[float, int]]:
        """(confidence, term length) of each frame indicator whose term is near the number (also the
        terms with a gap when ``gapped``)."""
        sentence = context + "|" + before + "|" + after
        near = self._terms_in(segment + "|" + after.lstrip(_CLASSIFIERS)[: 6 + self._longest])
        # The number's own words for not_terms: its segment and its noun right after it (a not_term further
        # on, 16.8%连续五年位居中部第一 after a province's literacy, says nothing of the number).
        words = segment + "|" + after.lstrip(_CLASSIFIERS)[:_NOT_TERM_REACH]
        candidates: dict[str, list[str]] = {}
        for term in near:
            for frame_id in self._term_frames.get(term, ()):
                candidates.setdefault(frame_id, []).append(term)
        window = segment + "|" + after.lstrip(_CLASSIFIERS)[: 6 + self._longest]
        for pattern, frame_id in self._gapped if gapped else ():
            for match in pattern.finditer(window):
                candidates.setdefault(frame_id, []).append(match.group())  # the words it matched, as a term
        alone = self._unit_alone.get(reading)
        if (
            alone
            and (reading == "person_time" or any(word in sentence for word in self._category_terms[alone]))
            and not any(word in sentence for word in self._not_terms.get(alone, ()))
        ):
            candidates.setdefault(alone, [])  # evidence from the sentence, for and against (干部培训班…5512人次)
        scores: dict[str, tuple[float, int]] = {}
        for frame_id, terms in candidates.items():
            frame_unit = self._units[frame_id]
            if not self._takes(frame_unit, reading):
                continue
            if any(word in words for word in self._not_terms.get(frame_id, ())):
                continue
            best = (0.0, 0)
            near_only = reading == "number" or (reading == "count" and frame_unit == "person")
            for term in terms:
                confidence = self._term_score(term, segment, after, near_only)
                if near_only and confidence < NEAR_CONFIDENCE:
                    confidence = 0.0
                best = max(best, (confidence, len(term)))
            if frame_id == alone and frame_unit == reading:
                best = max(best, (UNIT_CONFIDENCE, 0))  # the only frame indicator of its unit, its field named
            if best[0]:
                scores[frame_id] = best
        return scores

    def _is_subset(self, text: str, cut: int, frame_id: str, context: str) -> bool:
        """Whether the number counts a part of a total of the same frame indicator named before 其中
        (…学会356个，其中省级学会182个; 科普活动…其中，科普讲座84万次)."""
        sentence = context + text[: max(cut, 0)]
        where = sentence.rfind("其中")
        if where < 0:
            return False
        earlier = sentence[:where]
        if not earlier.strip("，,：:;；"):  # 其中 opens the sentence: its total is in the one before
            return self._units[frame_id] not in _RATES  # a rate or a share is no part of a total
        terms = self._terms.get(frame_id, ())
        return any(term in earlier for term in terms)  # 科普活动…其中，科普讲座84万次: one kind of the total
