"""The scope of a mention, and the place of a document, read as a coder reads them.

- **Scope**: the nearest place (or ``<place>科协``) named before the number in its sentence,
  resolved over every division of China (:class:`~kexie_research.extract.places.PlaceIndex`) in the
  context of the document's place and the places named near it. Not a scope: a name inside a title
  (``《合肥市科学普及条例》``), an event's name (``全国科普日``, ``全省第四届…大赛``,
  ``安徽省青少年科技创新大赛``), a place gone to or come from (``赴…``, ``来自…``, ``从…到…``), a
  ranking (``取得全省第一``), a short name inside another word (``基金安排``). ``全国``/``我国`` and
  central-government money (``中央财政``…, unless a place receives it) are national;
  ``全省``/``我省``/``省科协`` the province of the document's place; ``全市``/``我县``/``县科协``/``本市``
  … the unit of the word's level from the document's place up (全市 in a county's text is its city),
  or a place of that level named before it; ``该县`` the county named last; a list of places their
  smallest common unit (with ``分别``, each number its own place); ``其中`` the scope of the sentence
  before.
- **The document's place** (:meth:`ScopeFinder.document_place`), when neither the manifest nor an
  option gives it: the place of the title, else of the author line (``来源：…``, a closing line
  naming an organisation), else the place named most often — of the level the text speaks of itself
  in (``我县``, ``全县``) when it names one, the country when it speaks of 全国/我国 as often; the
  draft's ``place_from`` says which.

Example::

    >>> finder = ScopeFinder.from_data()
    >>> flat = "藤县科协26万元，全国有70%以上"
    >>> finder.scope(flat, flat.index("26"), default_code="450400")
    ('藤县科协', 'county', '450422')
    >>> finder.scope(flat, flat.index("70"), default_code="450400")
    ('全国', 'national', '100000')
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from operator import itemgetter
from pathlib import Path

from kexie_research.extract.context import sentence_span, spans_back
from kexie_research.parse.numerals import PINYIN_GLOSS
from kexie_research.extract.places import PlaceIndex, is_dictionary_word, is_word_across, is_word_in_text
from kexie_research.schemas.places import SCOPE_LEVEL_OF

__all__ = ["PLACE_SOURCES", "SCOPE_LEVEL_OF_PLACE", "ScopeFinder"]

#: Place levels (of the division reference) -> the coding sheets' scope_level (one table, in schemas).
SCOPE_LEVEL_OF_PLACE: dict[str, str] = SCOPE_LEVEL_OF
#: How a document's place was found (the draft's ``place_from``).
PLACE_SOURCES: tuple[str, ...] = ("manifest", "option", "title", "author", "file", "frequency", "cited", "none")
_COUNTRY = "100000"
_CACHE_LIMIT = 200_000
_NATIONAL_WORDS = (
    "全国",
    "我国",
    "中央财政",
    "中央专项",
    "中央转移支付",
    "中央补助",
    "中央预算",
    "中央资金",
    "中央和地方",
    # the country spoken of as its people (2023年中国公民具备科学素质的比例): 中国 alone is no scope word
    # (中国梦, 中国科协, 科普中国 are a slogan, an organisation, a brand)
    "中国公民",
    "中国居民",
    "中国网民",
    "中国人口",
)
_PROVINCE_WORDS = ("全省", "我省", "本省", "省科协", "全区各市", "全自治区")
_OWN_PLACE_WORDS = (
    "全市",
    "我市",
    "全县",
    "我县",
    "全区",
    "我区",
    "本市",
    "本县",
    "本区",
    "全旗",
    "我旗",
    "县科协",
    "市科协",
    "区科协",
    "旗科协",
    "县级科协",
    "全州",
    "我州",
    "本州",
    "州科协",
    "全盟",
    "我盟",
    "盟科协",
)
# 该县, 该市 (the county, the city just named): the place of that level named last before the word.
_THAT_PLACE_WORDS = ("该县", "该市", "该区", "该州", "该旗", "该盟", "该省")
# 全市 in a county's text is the county's city: the word's level is the suffix it names (县, 市, 区,
# 州, 旗, 盟), and the unit meant is the nearest of the document's place and its parents whose
# name ends so (全区 in a county of 宁夏回族自治区 is the region).
_LEVEL_SUFFIX_OF_WORD = {
    word: next(char for char in word if char in "省县市区州旗盟") for word in (*_OWN_PLACE_WORDS, *_THAT_PLACE_WORDS)
}
# Words by which a text speaks of its own unit, counted to tell a document's level (a county's
# news says 全县, 我县, 县科协; a city's 全市, 我市 …).
# A text that says 我县, 全市 … is written by a local unit, however often it names 全国科普日.
_LOCAL_AUTHOR_RE = re.compile(r"(?:全|我|本)[市县区州旗盟]")
# 我市, 本县: the text speaks as the unit (全市 may be said of one unit in a text about several).
_SPEAKS_AS_RE = re.compile(r"[我本][省市县区州旗盟]")
_SELF_WORD_RE = re.compile(r"(?:全|我|本)([省市县区州旗盟])|([省市县区州旗盟])(?:科协|委|政府|人民政府)")
_WORDS = (*_NATIONAL_WORDS, *_PROVINCE_WORDS, *_OWN_PLACE_WORDS, *_THAT_PLACE_WORDS)
_ORGANISATION_SUFFIXES = ("科学技术协会", "科协")
# A short name (荣昌, 蒙山) followed by one of these is part of another name (乌蒙山区), unless the
# full name itself matched.
_PLACE_SUFFIXES = ("省", "市", "县", "区", "镇", "乡", "村", "州", "旗", "盟")
# A short name followed by one of these names a community, street, school or park, not the place.
_SUBUNIT_NOUNS = (
    "社区",
    "街道",
    "路",
    "大街",
    "大道",
    "街",
    "小区",
    "园区",
    "广场",
    "公园",
    "中学",
    "小学",
    "学校",
    "医院",
    "花园",
)
_LOOKBACK = 300  # characters before a number searched for the unit 全市 of a larger text means
_COMPARED_BEFORE = ("于", "居", "列", "比", "较", "及")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE_REST_RE = re.compile(r"[^，,；;。：:！？]{0,24}")
_RANK_RE = re.compile(r"排名|排第|位居|居首|第[一二三]名?$|第[一二三](?![批届次期个])|前列|首位|领先")
_RANKED_BEFORE = ("于", "居", "列", "比", "较")
_COMPARED_AFTER = (
    "平均",
    "前列",
    "领先",
    "水平",
    "率先",
    "同类",
    "排名",
    "第一",
    "先进",
    "首创",
    "首家",
    # a national title held by a local unit (全国科普示范县, 全国科普教育基地): not the scope
    "示范",
    "科普示范",
    "文明",
    "优秀",
    "模范",
    "重点",
    "百强",
    "一流",
    "科普教育基地",
    "科技教育基地",
    "首个",
    "首批",
    "唯一",
    "前三",
    "前十",
    "第二",
    "第三",
)
# 全国平均水平(16.74%), 全省平均值为3.5: the number that follows is the compared unit's own figure
# (高出全国平均水平2个百分点 is not: no 为, 是 or bracket before it).
_AVERAGE_OF_RE = re.compile(
    r"(全国|我国|全省|全市|全县|全区|全州)的?平均(?:水平|值|数)?(?:为|是|达到?|[（(])\s*(?:约|近|超过?)?$"
)
_LIST_JOINERS = ("、", "和", "及", "与", "，", ",")
_TITLE_RE = re.compile(r"《[^《》]{0,60}》")
# 在县委、县政府的正确领导下, 在市科协的大力支持下: the circumstance of a supporter, whose places are
# not the scope of what the subject then does.
_SUPPORTED_BY_RE = re.compile(
    r"在[^，,；;。：:！？在]{1,30}?的?(?:大力|精心|正确|坚强|具体|悉心|统一|关心|有力)?"
    r"(?:支持|指导|帮助|领导|关怀|关心|部署|带领|号召|支援|推动)下"
)
# 上级主管部门是宣城市科协, 业务主管单位为市科协: the unit above the subject, not the one that acts.
_SUPERIOR_RE = re.compile(
    r"(?:上级|业务主管|主管)(?:管理|主管)?(?:单位|部门|机关)\s*(?:是|为|：|:)\s*[^，,；;。：:！？]{1,20}"
)
# “科技列车西藏行”, 「科普宿州」: a short quoted name (no clause inside) names a campaign, not a scope.
_QUOTED_NAME_RE = re.compile(r"“[^“”，,；;。：:！？]{2,20}”|「[^「」，,；;。：:！？]{2,20}」")
# 全国科普日, 全省第四届青少年科技创新大赛, 全市科技活动周: an event's name, not a scope.
_EVENT_RE = re.compile(
    r"(?:全国|全省|全市|全县|全区)(?:第[\d一二三四五六七八九十]+届|(?![^，。；、]{0,8}?[共有各累计完成已达])"
    r"[\u4e00-\u9fff]{0,8}?(?:科普日|活动周|科技周|宣传周|宣传月|科普月|工作者日|大赛|竞赛|博览会|运动会|论坛|大会)"
    r"(?:期间|活动|上|中|之际|前夕|当天)?)"
)
# 宿州市青少年科技创新大赛, 第37届安徽省青少年科技创新大赛: a place that opens an event's name is
# not the scope of what is said of the event (no verb between the place and the event's noun); nor
# one that opens the name of an award or title (参评湖南省科技创新奖, 获评四川省“优秀学会”称号): the
# awarding place, not the unit that competes or wins.
_EVENT_AFTER_PLACE_RE = re.compile(
    r"(?:(?!举办|召开|开展|组织|参加|参与|承办|主办|协办|获得|荣获|获|共|有|在|了|和|与|及|为|是|的)[\u4e00-\u9fff“”\"]){0,14}?"
    r"(?:科普日|活动周|科技周|宣传周|宣传月|科普月|工作者日|大赛|竞赛|博览会|运动会|论坛|展览会|研讨会|"
    r"培训班|训练营|夏令营|冬令营|称号|奖(?![补励金]))"
)
_VENUE_WORDS = ("主场", "主会场", "分会场", "会场", "分场", "展区", "现场")
# 赴杭州考察, 前往合肥参加, 来自北京的专家: a place one goes to or comes from is not the scope of
# the people who go or come.
_MOVEMENT_BEFORE = ("赴", "前往", "来自", "去往", "赶赴", "远赴", "奔赴", "从")
# 区科协联合北京市科协举办活动12场, 会同宜昌市科协: a partner the subject works with is not the
# scope of what the subject does (the subject, or the document's place, is).
_PARTNER_BEFORE = ("联合", "会同", "协同", "携手", "配合", "邀请", "联合了", "邀请了")
# 获中央财政奖补资金: money a place receives from the centre is the receiving place's.
_RECEIVED_BEFORE = ("获", "获得", "争取", "争取到", "得到", "取得", "申请到")
# 省、市、县科协, 各县科协, …等县科协: levels listed or many units, not the text's own unit.
_NOT_OWN_BEFORE = ("、", "各", "等")
# 府谷县糜子产业协会等 10个: a named example and the count of its kind (no verb, no list between)
_EXAMPLES_RE = re.compile(r"[^、，,；;。向对在与和为给把被将从]{0,20}等\s{0,2}")
# …示范基地等38个、陈子欣等76名: a place that is an example of a set counted before the number
# (等 and a count between them) was that count's, not the scope of what follows.
_EXAMPLE_COUNTED_RE = re.compile(r"等\s{0,2}(?:约|近|超过?|共)?\s{0,2}[\d一二两三四五六七八九十百]")
# 中国公民, 中国流动科技馆项目: the country; 中国科协, 中国科技馆 …: organisations any local text names.
_CHINA_RE = re.compile(
    r"中国(?!科协|科学技术协会|科技馆|科学院|工程院|数字科技馆|共产党|[\u4e00-\u9fff]{0,6}(?:大学|学院|银行|公司|集团))"
)
# Words of a title naming the country or its central bodies (全国科普日…, 中国科协…).
_NATIONAL_TITLE_WORDS = ("全国", "我国", "中国", "中央", "国务院", "国家")
# 中国科协, 国务院, 党中央, 全国人大: national bodies (the subject of a text that names no place).
_NATIONAL_BODY_RE = re.compile(
    r"中国科协|中国科学技术协会|国务院|党中央|全国人大|全国政协|全国性学会|科技部|财政部|教育部"
)
# 長(zhǎng)沙: a pinyin gloss a conversion to traditional characters left after a character
_GLOSS_RE = re.compile(PINYIN_GLOSS)
# 各省（区、市）, 31个省（区、市）, 各省区市, 全国各地: the country spoken of as its provinces.
_ALL_PROVINCES_RE = re.compile(
    r"(?:各|[\d一二三四五六七八九十]{1,3}个)省\s*[（(]?\s*(?:自治)?区\s*[、，,]?\s*市|各省份"
)
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_SOURCE_FIELD_RE = re.compile(r"(?:信息来源|来源|稿源|供稿单位|供稿|发布单位|发布机构)\s*[：:]\s*([^\s|｜：:]{2,30})")
# 新华社北京9月6日电, 人民网北京9月20日电, 本报北京…讯 of a national paper: a national outlet's dateline.
_NATIONAL_OUTLET_RE = re.compile(
    r"(?:新华社|新华网|人民网|人民日报|中新社|中新网|中国新闻网|央视网|央广网|光明网|光明日报|经济日报|科技日报|"
    r"中国青年报|中国科学报|科普时报|中国科技网)\s*(?:记者)?\s*[\u4e00-\u9fff]{2,6}?\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[电讯]"
)
# 新华社北京9月6日电, 宜昌日报夷陵9月1日讯: where a reporter files from is no scope.
_FILED_FROM_RE = re.compile(
    r"(?:社|网|报|台)\s*(?:记者)?\s*[\u4e00-\u9fff]{2,6}?\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[电讯]"
)
_NEWS_SOURCE_RE = re.compile(
    r"\s*[【\[（(]?\s*([\u4e00-\u9fff]{2,12}?)(?:新闻网|网|日报|晚报|新闻|融媒体中心|融媒|广播电视台|电视台)?讯"
)
_DATELINE_RE = re.compile(r"^\s*([\u4e00-\u9fff]{2,8}?)\s*[：:｜|]")
_CONTINUING = ("其中", "其中，", "其中,")  # a sentence opening with 其中 speaks of a part of the one before
_AUTHOR_RE = re.compile(
    r"^\s*[（(]?\s*(?:来源|作者|供稿|稿源|信息来源|发布单位|发布机构|撰稿|通讯员|文/|"
    r"单位名称|部门名称|编制单位|填报单位|预算单位|申报单位|报送单位)\s*[：:／/]?"
)
_ORGANISATION_END = ("科协", "科学技术协会", "人民政府", "办公室", "委员会", "局", "供稿", "供稿）", "供稿)")


def _is_ranking(flat: str, start: int, end: int) -> bool:
    """Whether ``flat[start:end]`` (全省, 全市 …) is the field a unit is ranked in or compared with
    (取得全省第一, 居全市前列, 高于全省平均水平), not the unit a number is about.

    Examples
    --------
    >>> flat = "三项工作取得全省第一，全省建成基地5个"
    >>> _is_ranking(flat, 6, 8), _is_ranking(flat, 11, 13)
    (True, False)
    """
    if (flat[start - 1 : start] in _RANKED_BEFORE and start > 0) or flat.startswith(_COMPARED_AFTER, end):
        return True
    match = _CLAUSE_REST_RE.match(flat, end)  # 在全省科协系统排名第一: the rank closes the clause
    return match is not None and _RANK_RE.search(match.group()) is not None


def _is_whole_quote(flat: str, left: int, right: int, start: int, end: int) -> bool:
    """Whether the masked span ``flat[left:right]`` is a quote of the name at ``start:end`` alone
    (“宜昌市”, “宜昌市科协”: the place itself, quoted).

    Examples
    --------
    >>> _is_whole_quote("在“宜昌市”有3个", 1, 6, 2, 5), _is_whole_quote("“宜昌行”", 0, 5, 1, 3)
    (True, False)
    """
    inner = flat[left + 1 : right - 1]
    return flat[left] in "“「" and inner.startswith(flat[start:end]) and inner[end - start :] in ("", "科协")


def _is_slogan(flat: str, start: int, name: str) -> bool:
    """Whether a one-character name with its level's suffix (``兴县``) ends a slogan written after a
    national one (``科教兴县`` after ``科教兴国``): the words before it and the name's first character,
    with 国 for the suffix, make a word of the segmenter's dictionary.

    Examples
    --------
    >>> flat = "实施科教兴县战略，兴县科协举办3场"
    >>> _is_slogan(flat, flat.index("兴县"), "兴县"), _is_slogan(flat, flat.rindex("兴县"), "兴县")
    (True, False)
    """
    if name[-1] not in "省市县区":
        return False
    return any(
        is_dictionary_word(flat[start - width : start] + name[0] + "国")
        for width in (1, 2, 3)
        if start >= width and all(_HAN_RE.match(char) for char in flat[start - width : start])
    )


def _in_range(flat: str, start: int) -> bool:
    """Whether the place at ``start`` (after 到) ends a range of places opened by 从 in its clause
    (从点军区的社区到远安县的学校: neither end is the scope); 来到远安县 opens none.

    Examples
    --------
    >>> flat = "从点军区的社区到远安县的学校"
    >>> _in_range(flat, flat.index("远安县")), _in_range("记者来到远安县", 4)
    (True, False)
    """
    clause_start = max(flat.rfind(mark, 0, start) for mark in "，,；;。")
    return "从" in flat[clause_start + 1 : start]


def _trie_regex(words: list[str]) -> str:
    """One regular expression matching any of ``words``, longest first, shaped as a trie.

    A flat alternation of thousands of names is tried name by name at every position; a trie
    shares prefixes, so a scan costs about one step per character whatever the number of names.

    Examples
    --------
    >>> re.findall(_trie_regex(["梧州市", "梧州", "藤县"]), "梧州市和藤县")
    ['梧州市', '藤县']
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def _masked(flat: str, quoted: bool = False) -> list[tuple[int, int]]:
    """Spans of titles (《…》) and event names, where a place name is no scope; with ``quoted``, the
    short quoted names too (“科技列车西藏行”, 「科普宿州」: the name of a campaign or brand) and the
    circumstance of a supporter (在市科协的大力支持下: the unit that supports is not the one that acts)
    and the unit above the subject (上级主管部门是市科协).

    Examples
    --------
    >>> flat = "《宜昌市条例》和“科技列车西藏行”活动，在市科协的指导下开展"
    >>> [flat[left:right] for left, right in _masked(flat, quoted=True)]
    ['《宜昌市条例》', '“科技列车西藏行”', '在市科协的指导下']
    """
    spans = [match.span() for match in _TITLE_RE.finditer(flat)] if "《" in flat else []
    if "全" in flat:
        spans += [match.span() for match in _EVENT_RE.finditer(flat)]
    if "电" in flat or "讯" in flat:
        spans += [match.span() for match in _FILED_FROM_RE.finditer(flat)]
    if quoted and ("“" in flat or "「" in flat):
        spans += [match.span() for match in _QUOTED_NAME_RE.finditer(flat)]
    if quoted and "下" in flat:
        spans += [match.span() for match in _SUPPORTED_BY_RE.finditer(flat)]
    if quoted and ("主管" in flat or "上级" in flat):
        spans += [match.span() for match in _SUPERIOR_RE.finditer(flat)]
    return spans


class ScopeFinder:
    """Find the scope of mentions and the place of a document.

    Parameters
    ----------
    index
        Every division by name (:class:`~kexie_research.extract.places.PlaceIndex`).

    Examples
    --------
    >>> finder = ScopeFinder.from_data()
    >>> flat = "宜昌市点军区科协举办培训3期"
    >>> finder.scope(flat, flat.index("3期"), default_code=None)
    ('点军区科协', 'county', '420504')
    """

    def __init__(self, index: PlaceIndex) -> None:
        self.index = index
        # A dictionary scan: the first two characters of a name lead to the lengths of the names that
        # start with them, so a position costs one lookup unless a name may start there (a regular
        # expression over thousands of names tries them one by one at every position).
        self._words = frozenset({*index.names(), *_WORDS})
        self._lengths: dict[str, tuple[int, ...]] = {}
        for word in self._words:
            lengths = set(self._lengths.get(word[:2], ())) | {len(word)}
            self._lengths[word[:2]] = tuple(sorted(lengths, reverse=True))
        self._cache: dict[tuple, str | None] = {}
        self._last_counts: tuple[tuple[str, str | None], dict[str, int]] | None = None
        self._scanned: dict[str, list[tuple[int, int, str]]] = {}
        # Positions where a name may start, found in C: a first character of a name followed by a second
        # character of one (names have two or more characters: this skips most positions of a text).
        firsts = re.escape("".join(sorted({word[0] for word in self._words})))
        seconds = re.escape("".join(sorted({word[1] for word in self._words if len(word) > 1})))
        shortest = min(map(len, self._words))
        self._starts = re.compile(f"[{firsts}](?=[{seconds}])" if shortest > 1 else f"[{firsts}]")
        # The word segmenter (金安 vs 基金安排) reads its dictionary when a short name first needs it.

    def _scan(self, flat: str) -> list[tuple[int, int, str]]:
        """Every known name or word of ``flat``, longest at each position, left to right (the last
        few texts are remembered: a document is scanned once for its place and its scopes)."""
        if flat in self._scanned:
            return self._scanned[flat]
        found = []
        lengths, words = self._lengths, self._words
        taken = 0  # names do not overlap: the scan resumes after the last name found
        for match in self._starts.finditer(flat):
            position = match.start()
            if position < taken:
                continue
            candidates = lengths.get(flat[position : position + 2])
            if candidates:
                for length in candidates:
                    word = flat[position : position + length]
                    if word in words and len(word) == length:  # (a shorter name at the text's end)
                        found.append((position, position + length, word))
                        taken = position + length
                        break
        if len(self._scanned) >= 4:
            self._scanned.pop(next(iter(self._scanned)))
        self._scanned[flat] = found
        return found

    @classmethod
    def from_data(cls, raw_dir: Path | str | None = None) -> ScopeFinder:
        """The finder over the project's division reference and aliases (one per process)."""
        return _finder(str(raw_dir) if raw_dir else "")

    # -- names ---------------------------------------------------------------------------
    def names(self, flat: str, areas: tuple[str | None, ...] = (), events: bool = False) -> list[tuple[int, int, str]]:
        """Every place name (or ``<place>科协``, or a word such as ``全县``) of a flat text used as a
        place: (start, end, text). ``areas`` are the places the document is about (for short names).
        ``events`` keeps a place that opens an event's name (``远安县全国科普日活动``) and one gone
        to (``来到夷陵区``): no scope of what is said there, but a sign of where the document
        comes from.

        Examples
        --------
        >>> ScopeFinder.from_data().names("《合肥市科学普及条例》规定，宜昌市有3个")
        [(14, 17, '宜昌市')]

        A pinyin gloss left by a conversion to traditional characters (``長(zhǎng)沙市``) is read
        through; the span keeps it, the name does not:

        >>> ScopeFinder.from_data().names("长(zhǎng)沙市有3个")
        [(0, 10, '长沙市')]
        """
        if ("(" in flat or "（" in flat) and _GLOSS_RE.search(flat):
            return self._names_through_glosses(flat, areas, events)
        return self._names_plain(flat, areas, events)

    def _names_through_glosses(
        self, flat: str, areas: tuple[str | None, ...], events: bool
    ) -> list[tuple[int, int, str]]:
        """:meth:`names` of ``flat`` read without its pinyin glosses, at the positions of ``flat``
        (a gloss right after a name belongs to its span)."""
        kept: list[int] = []
        last = 0
        for match in _GLOSS_RE.finditer(flat):
            kept.extend(range(last, match.start()))
            last = match.end()
        kept.extend(range(last, len(flat)))
        clean = "".join(flat[position] for position in kept)
        found = []
        for start, end, text in self._names_plain(clean, areas, events):
            original_end = kept[end - 1] + 1
            gloss = _GLOSS_RE.match(flat, original_end)
            found.append((kept[start], gloss.end() if gloss else original_end, text))
        return found

    def _names_plain(
        self, flat: str, areas: tuple[str | None, ...] = (), events: bool = False
    ) -> list[tuple[int, int, str]]:
        """:meth:`names` of a text without pinyin glosses."""
        masked = _masked(flat, quoted=not events)
        index = self.index
        found: list[tuple[int, int, str]] = []
        skipped_end = 0  # the end of the last place gone to, come from or worked with
        for start, end, text in self._scan(flat):
            if masked and any(
                left <= start < right and not _is_whole_quote(flat, left, right, start, end) for left, right in masked
            ):
                continue
            if text in _WORDS and not is_word_in_text(flat, start, end):
                continue  # 社区科协 is no 区科协, 健全区域 no 全区, 全市场 no 全市
            if text in ("全国", "我国") and (
                (flat[start - 1 : start] in _COMPARED_BEFORE and start > 0)
                or flat.startswith(_COMPARED_AFTER, end)
                or (flat[start - 1 : start] == "在" and _is_ranking(flat, start, end))
            ):
                # 高于全国平均水平, 在全国率先, 在全国排名第三: the country compared with, not the scope
                # (在全国开展4000项 is the country's)
                continue
            if text in _OWN_PLACE_WORDS and text[0] in "县市区州旗盟" and flat[start - 1 : start] in _NOT_OWN_BEFORE:
                continue
            if text not in _WORDS:
                following = flat[end : end + 6]
                level_suffix = following[2:3] if following.startswith("自治") else following[:1]
                if (
                    text not in index.full_names
                    and level_suffix
                    and level_suffix in "州县旗"
                    and any(index.name_of(code).endswith("自治" + level_suffix) for code in index.codes(text))
                ):
                    # 恩施州, 融水县, 关岭自治县: an autonomous unit's short name with its level's plain
                    # suffix or 自治 and the suffix (the people's names left out)
                    end += 3 if following.startswith("自治") else 1
                    text = flat[start:end]
                    following = flat[end : end + 6]
                    seat_town = False
                elif text not in index.full_names and (
                    (following[:1] in _PLACE_SUFFIXES and following[:1]) or following.startswith(_SUBUNIT_NOUNS)
                ):
                    # 和平社区, 中山路: a short name in the name of a smaller unit or a street. A town
                    # named as a county (上栗镇, the county seat of 上栗县) still tells where a document
                    # comes from.
                    if not (
                        events and following[:1] in "镇乡" and text in index.weak_names and len(index.codes(text)) == 1
                    ):
                        continue
                    seat_town = True
                else:
                    seat_town = False
                if (
                    not seat_town
                    and not index.is_place(text, following, areas)
                    and not (
                        text in index.weak_names
                        and text not in index.ordinary_words
                        and self._inside_context(text, (), found, start)
                    )
                ):
                    continue  # (浙江安吉, 湖北远安: a short name right after a place that holds it is a place)
                if (
                    text in index.generic_names
                    and not following.startswith(_ORGANISATION_SUFFIXES)
                    and not self._inside_context(text, areas, found, start)
                ):
                    continue  # 推进老城区改造: a common noun, not 洛阳's 老城区
                if text not in index.full_names:
                    if not flat.startswith(_ORGANISATION_SUFFIXES, end) and not is_word_in_text(flat, start, end):
                        continue  # 金安 in 基金安排: a short name inside another word
                elif len(text) <= 2 and is_word_across(flat, start):
                    # a full name of one character and its suffix after a word that takes the character
                    # (范县 in 科普示范县, 成县 in 完成县级, 新县 in 创新县; not 沛县委, 藤县政府)
                    continue
                if len(text) == 2 and _is_slogan(flat, start, text):
                    continue  # 科教兴县 (after 科教兴国) is a slogan, not 兴县
                if not events and (
                    flat[max(0, start - 2) : start].endswith(_MOVEMENT_BEFORE)
                    or flat[max(0, start - 3) : start].endswith(_PARTNER_BEFORE)
                    or (flat[start - 1 : start] == "到" and _in_range(flat, start))
                    or (flat[skipped_end:start] in _LIST_JOINERS and skipped_end > 0)
                ):
                    # (a place visited or a partner still tells where a document comes from); 来自北京、
                    # 上海等地: the places listed after the first go or come as it does
                    skipped_end = end
                    continue
                for suffix in _ORGANISATION_SUFFIXES:
                    if flat.startswith(suffix, end):
                        end += len(suffix)
                        break
                if (
                    not events
                    and (event := _EVENT_AFTER_PLACE_RE.match(flat, end)) is not None
                    and not flat.startswith(_VENUE_WORDS, event.end())
                ):
                    continue  # (北京科技周主场, 宜昌科普日分会场: the venue in the place is the place's)
            found.append((start, end, flat[start:end]))
        return found

    def _inside_context(
        self, name: str, areas: tuple[str | None, ...], found: list[tuple[int, int, str]], start: int
    ) -> bool:
        """Whether a unit called ``name`` lies inside one of ``areas`` (not the country) or inside
        the place named right before it (``北京市东城区``)."""
        codes = self.index.codes(name)
        context = [area for area in areas if area and area != _COUNTRY]
        if found and found[-1][1] == start and found[-1][2] not in _WORDS:
            before = self.resolve(found[-1][2])
            if before:
                context.append(before[0])
        return any(self.index.within(code, area) for code in codes for area in context)

    def resolve(
        self, name: str, case: str | None = None, areas: tuple[str | None, ...] = (), nearby: tuple[str, ...] = ()
    ) -> tuple[str, str] | None:
        """(admin_code, scope_level) of a written scope, or ``None``.

        ``areas`` are the places the document is about, ``nearby`` codes named in the same sentence
        (both choose among units of the same name); with ``case`` (the document's case of the
        manifest) a unit of another case is never chosen, as in the build.

        Examples
        --------
        >>> finder = ScopeFinder.from_data()
        >>> finder.resolve("城区", areas=("140500",))
        ('140502', 'county')
        >>> finder.resolve("城区") is None
        True
        """
        key = (name, case, areas, nearby)
        if key not in self._cache:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()  # a national corpus meets ever new contexts: memory stays bounded
            if name in _NATIONAL_WORDS:
                self._cache[key] = _COUNTRY
            else:
                self._cache[key] = self.index.resolve(name, (*nearby, *areas), case)
        code = self._cache[key]
        if code is None:
            return None
        return code, SCOPE_LEVEL_OF_PLACE.get(self.index.level_of(code), "organisation")

    def _own(self, code: str | None) -> tuple[str, str, str]:
        if code is None:
            return "", "", ""
        name = self.index.name_of(code)  # KexieError for a code not in the reference
        return name, SCOPE_LEVEL_OF_PLACE.get(self.index.level_of(code), "organisation"), code

    def _province(self, code: str | None) -> tuple[str, str, str]:
        for node in self.index.ancestry(code) if code else []:
            if self.index.level_of(node) == "province":
                return self._own(node)
        return self._own(code)

    # -- the document's place -----------------------------------------------------------------
    def document_place(
        self, text: str, case: str | None = None, file_name: str | None = None
    ) -> tuple[str | None, str]:
        """The place a document is about and how it was found: (code or ``None``, ``place_from``).

        The title (the first line) when it names a place; else an author line (``来源：…``,
        ``作者：…``, a closing line naming an organisation); else the file's name when it names a
        place (``宜昌市科协2021年工作总结.pdf``: ``file``); else the place named most often.

        Examples
        --------
        >>> finder = ScopeFinder.from_data()
        >>> finder.document_place("宜昌市科协召开年度工作会议\\n会上，湖北省科协……湖北省……")
        ('420500', 'title')
        >>> finder.document_place("会议召开。\\n来源：点军区科协")
        ('420504', 'author')
        >>> finder.document_place("无地名的文字")
        (None, 'none')
        >>> finder.document_place("2021年工作总结\\n全县建成站点9个。", file_name="夷陵区科协2021年工作总结.docx")
        ('420506', 'file')
        """
        from kexie_research.extract.docdate import is_date_line

        outlet = _NATIONAL_OUTLET_RE.search(text, 0, 300)
        if outlet is not None:
            # 新华社北京9月6日电: where a national outlet's reporter files from is not what the text is about
            text = text[: outlet.start()] + " " * len(outlet.group()) + text[outlet.end() :]
        lines = [line.strip() for line in text.split("\n", 8)[:8] if line.strip() and not is_date_line(line)]
        if not lines:
            return None, "none"
        title = lines[0] if len(lines[0]) <= 80 and not any(mark in lines[0] for mark in "。！？!?") else ""
        lines += [line.strip() for line in text.rsplit("\n", 4)[-4:] if line.strip()]
        authors = [line for line in (*lines[1:4], *lines[-3:]) if _AUTHOR_RE.match(line)]
        authors += [
            line
            for line in lines[-2:]
            if len(line) <= 40 and line.rstrip("0123456789年月日 -./").endswith(_ORGANISATION_END)
        ]
        # 发布时间：2023-09-18 来源：某某县科协 浏览次数：…: a source field inside a page's date line
        edges = [*text.split("\n", 8)[:8], *text.rsplit("\n", 4)[-4:]]
        authors += [match.group(1) for line in edges for match in _SOURCE_FIELD_RE.finditer(line)]
        author = next((code for line in authors if (code := self._place_of_line(line, case))), None)
        # 秀山网讯 9月15日…, 宜昌日报讯: a local outlet's credit opening the news names its place
        flat = text.replace("\n", "")
        author = author or next(
            (found for line in lines[:3] if (found := self._news_source_place(line, case, flat))), None
        )
        national_title = bool(title) and any(word in title for word in _NATIONAL_TITLE_WORDS)
        code = self._place_of_line(title, case) if title else None
        if (
            code
            and national_title
            and self._venues_only(title)
            and not _LOCAL_AUTHOR_RE.search(flat)
            and flat.count("全国") + flat.count("我国") + len(_CHINA_RE.findall(flat))
            > self._counts(flat, case).get(code, 0)
        ):
            # 2024年全国科技活动周在北京启动 over a text speaking of the country (its events
            # included) more often than of 北京: where a national event is held, not whose text it is
            return _COUNTRY, "title"
        if not code and title:
            code = self._dateline_place(title, case)
        if code:
            if author and author != code and self.index.within(author, code):
                return author, "author"  # 新疆…科协 over 供稿:巴音郭楞蒙古自治州科协: the author's, inside the title's
            refined = self._own_level_inside(text, code, case)
            return (refined, "frequency") if refined else (code, "title")
        if national_title and not _SELF_WORD_RE.search(title):
            # (我省“全国科普日”主场活动启动: a province's own event of a national campaign)
            return _COUNTRY, "title"  # 全国科普日…, 中国科协…: a national document whose title names no place
        if author:
            refined = self._own_level_inside(text, author, case)
            return (refined, "frequency") if refined else (author, "author")
        named = self._place_of_line(Path(file_name).stem, case) if file_name and _HAN_RE.search(file_name) else None
        if named:
            refined = self._own_level_inside(text, named, case)
            return (refined, "frequency") if refined else (named, "file")
        code = self._most_frequent(flat, case)
        if (
            outlet is not None
            and not _LOCAL_AUTHOR_RE.search(flat)
            and not self._own_level(flat, strong=True)
            and (code is None or self._counts(flat, case).get(code, 0) < 2)
        ):
            return _COUNTRY, "author"  # a national outlet's news naming no local unit twice: the country's
        if self._is_national(flat, code, case):
            return _COUNTRY, "frequency"
        if code:
            return code, "frequency"
        code = self._cited_place(flat, case)
        return (code, "cited") if code else (None, "none")

    def _venues_only(self, line: str) -> bool:
        """Whether every place a line names is where something is held (``在北京启动``, ``于杭州举行``).

        Examples
        --------
        >>> finder = ScopeFinder.from_data()
        >>> finder._venues_only("全国科技活动周在北京启动"), finder._venues_only("宜昌市科技活动周在夷陵区启动")
        (True, False)
        """
        places = [(start, name) for start, _, name in self.names(line, events=True) if name not in _WORDS]
        return bool(places) and all(line[start - 1 : start] in ("在", "于") and start > 0 for start, _ in places)

    def _cited_place(self, flat: str, case: str | None) -> str | None:
        """The place of the documents a text cites (《十堰市全民科学素质行动计划》), when the text
        names no place outside them and speaks of itself in that place's level (市科协, 全市): a
        unit applies its own place's plans. ``None`` otherwise.

        Examples
        --------
        >>> finder = ScopeFinder.from_data()
        >>> finder._cited_place("市科协根据《宜昌市科普规划》，全市举办3场", None)
        '420500'
        >>> finder._cited_place("县科协根据《湖北省科普条例》，全县举办3场", None) is None  # another level
        True
        """
        level = self._own_level(flat)
        if not level or "《" not in flat:
            return None
        counts: dict[str, int] = {}
        for match in _TITLE_RE.finditer(flat):
            inner = match.group()[1:-1]
            for _, _, name in self.names(inner, events=True):
                resolved = self.resolve(name, case) if name not in _WORDS else None
                if resolved is None or resolved[0] == _COUNTRY:
                    continue
                unit = next(
                    (
                        node
                        for node in self.index.ancestry(resolved[0])
                        if node != _COUNTRY and self._has_level(node, level)
                    ),
                    None,
                )
                if unit is not None:
                    counts[unit] = counts.get(unit, 0) + 1
        return max(counts, key=lambda code: (counts[code], -int(code))) if counts else None

    def _is_national(self, flat: str, code: str | None, case: str | None) -> bool:
        """Whether a text whose most frequent place is ``code`` speaks of the whole country: not
        written by a local unit (我县, 全市), its own level (全省 …) naming no place of that level, and
        the country (全国, 我国, 中国; not 中国科协, 中国农业大学 …) spoken of more often than ``code``, or
        beside places of three provinces and more."""
        if _LOCAL_AUTHOR_RE.search(flat):
            return False
        country = (
            self._counts(flat, case).get(_COUNTRY, 0)
            + len(_CHINA_RE.findall(flat))
            + 2 * len(_ALL_PROVINCES_RE.findall(flat))  # only the country's text speaks of all its provinces
        )
        if code is None and not country and self._own_level(flat) is None:
            # 中国科协第七次全国代表大会…: a text naming no place and no unit of its own, whose
            # subject is a national body, is the country's
            country = len(_NATIONAL_BODY_RE.findall(flat))
        if not country:
            return False
        if code is None:
            return True
        level = self._own_level(flat)
        if level and self._has_level(code, level):
            return False  # 全省…江苏省: a province's text, however often it names 全国
        counts = self._counts(flat, case)
        return country > counts.get(code, 0) or self._spans_provinces(flat, case)

    def _own_level_inside(self, text: str, code: str, case: str | None) -> str | None:
        """The place of the level a text speaks of itself in (``全区``, ``区科协``), named in it inside
        ``code``, when ``code`` (a title's or author line's place) is of another level; else ``None``
        (湖北省科普大篷车进基层 over a text that says 全区 and names 夷陵区)."""
        flat = text.replace("\n", "")
        level = self._own_level(flat, strong=True)  # only 我县, 全县 …: a title is strong evidence too
        if not level or self._has_level(code, level):
            return None
        return self._most_frequent(flat, case, within=code, level=level)

    def _counts(self, flat: str, case: str | None) -> dict[str, int]:
        """How often each place is named in a flat text (the last text's counts are remembered: the
        inference of a document's place asks several times)."""
        if self._last_counts is not None and self._last_counts[0] == (flat, case):
            return dict(self._last_counts[1])
        counts: dict[str, int] = {}
        ambiguous: list[str] = []
        for _, _, name in self.names(flat, events=True):
            if name in ("全国", "我国"):
                counts[_COUNTRY] = counts.get(_COUNTRY, 0) + 1  # the country spoken of, for _is_national
            if name in _WORDS:
                continue
            resolved = self.resolve(name, case)
            if resolved is None and len(self.index.codes(name)) == 1:
                # a county's short name the text uses as a place (上栗 of 上栗镇, the seat town)
                resolved = (self.index.codes(name)[0], "")
            if resolved is None:
                ambiguous.append(name)
            if resolved and resolved[0] != _COUNTRY:
                counts[resolved[0]] = counts.get(resolved[0], 0) + 1
        # 和平区…天津市科协: a name several units bear is the one inside the places the text names
        context = tuple(sorted(code for code in counts if code != _COUNTRY))
        for name, times in Counter(ambiguous).items() if context else ():
            resolved = self.resolve(name, case, context)
            if resolved and resolved[0] != _COUNTRY:
                counts[resolved[0]] = counts.get(resolved[0], 0) + times
        for code, count in self._weak_counts(flat, counts).items():
            counts[code] = counts.get(code, 0) + count
        self._last_counts = ((flat, case), dict(counts))
        return counts

    def _weak_counts(self, flat: str, counts: dict[str, int]) -> dict[str, int]:
        """How often the text names, as a word of its own, a county-level unit by its short name
        alone (``天门张家湖湿地公园``) that lies inside a place the text names (``湖北省``): a
        short name is an ordinary word elsewhere, but the document's own place is often named so.

        Examples
        --------
        >>> finder = ScopeFinder.from_data()
        >>> flat = "湖北省公布名单，天门张家湖湿地公园入选，我市共有8个"
        >>> finder._weak_counts(flat, {"420000": 1})
        {'429006': 1}
        >>> finder._weak_counts(flat, {"450000": 1})
        {}
        """
        named = {code for code in counts if code != _COUNTRY}
        if not named:
            return {}
        weak: dict[str, int] = {}
        index = self.index
        inside_of: dict[str, list[str]] = {}  # a name's units inside a named place (each name once)
        for start, end, name in self._scan(flat):
            if name not in index.weak_names or name in index.ordinary_words or name in index.generic_names:
                continue
            following = flat[end : end + 2]
            if following[:1] in _PLACE_SUFFIXES or following.startswith(_SUBUNIT_NOUNS):
                continue  # (a suffixed name was counted already, or names a smaller unit)
            if name not in inside_of:
                inside_of[name] = [code for code in index.codes(name) if named.intersection(index.ancestry(code))]
            inside = inside_of[name]
            if len(inside) == 1 and inside[0] not in counts and is_word_in_text(flat, start, end):
                weak[inside[0]] = weak.get(inside[0], 0) + 1
        return weak

    def _spans_provinces(self, flat: str, case: str | None) -> bool:
        """Whether the places a text names lie in three provinces or more."""
        provinces = set()
        for code in self._counts(flat, case):
            if code == _COUNTRY:
                continue
            chain = self.index.ancestry(code)
            provinces.add(chain[-2] if len(chain) >= 2 else chain[0])
        return len(provinces) >= 3

    def _dateline_place(self, title: str, case: str | None) -> str | None:
        """The place a title opens with before a colon or bar, as news titles name their place
        (``凤台：提升全民科学素质``): a short name counts there, when it names one unit only.

        Examples
        --------
        >>> finder = ScopeFinder.from_data()
        >>> finder._dateline_place("点军：科普进社区", None), finder._dateline_place("城区：科普进社区", None)
        ('420504', None)
        """
        match = _DATELINE_RE.match(title)
        codes = self.index.codes(match.group(1)) if match else []
        if not codes:
            return None
        code = self.index.pick(codes, case=case)
        return code if code != _COUNTRY else None

    def _news_source_place(self, line: str, case: str | None, flat: str | None = None) -> str | None:
        """The place of a news outlet credited at the start of a line (``秀山网讯``, ``宜昌日报讯``,
        ``【中宁县融媒体中心讯】``): a short name counts there when it names one unit only.

        Examples
        --------
        >>> finder = ScopeFinder.from_data()
        >>> finder._news_source_place("秀山网讯 9月15日上午，我县开展活动。", None)
        '500241'
        >>> finder._news_source_place("本报讯 9月15日上午，我县开展活动。", None) is None
        True
        """
        match = _NEWS_SOURCE_RE.match(line)
        if match is None:
            return None
        name = match.group(1)
        if name in self.index.weak_names and flat is not None:
            # 凤凰网讯 (a national portal) over a text naming 临夏州: a county's short name credits
            # the news only where the text names no other place or names that county again
            counts = self._counts(flat, case)
            named = [code for code in counts if code != _COUNTRY]
            if named and not any(code in named for code in self.index.codes(name)):
                return None
        codes = self.index.codes(name)
        if not codes and name[-1] in _PLACE_SUFFIXES:
            # 秀山县 for 秀山土家族苗族自治县: the short name, among units of that level's suffix
            codes = [code for code in self.index.codes(name[:-1]) if self.index.name_of(code).endswith(name[-1])]
        code = self.index.pick(codes, case=case) if codes else None
        return code if code != _COUNTRY else None

    def _place_of_line(self, line: str, case: str | None) -> str | None:
        codes: list[str] = []
        placed: list[tuple[int, int, str]] = []
        previous_end = -1
        for start, end, name in self.names(line, events=True):
            if name in _WORDS:
                continue
            resolved = self.resolve(name, case, nearby=tuple(codes))
            if resolved and resolved[0] != _COUNTRY:
                if start == previous_end and codes and not self.index.within(resolved[0], codes[-1]):
                    continue  # 新疆巴州…: names written together nest; a namesake elsewhere (巴州区) is not meant
                codes.append(resolved[0])
                placed.append((start, end, name))
                previous_end = end
        if not codes:
            return None
        held = [start > 0 and line[start - 1] in "在于" for start, _, _ in placed]
        if any(held) and not all(held):
            # 杭州市科技活动周在西湖区启动: the place an event is held in is not the line's place
            codes = [code for code, venue in zip(codes, held) if not venue]
        # 宜昌市点军区: the most specific of places that nest; places side by side: their common unit.
        deepest = max(codes, key=lambda code: len(self.index.ancestry(code)))
        if all(self.index.within(deepest, code) for code in codes):
            return deepest
        return self.index.common(codes)

    def _most_frequent(
        self, flat: str, case: str | None, within: str | None = None, level: str | None = None
    ) -> str | None:
        """The place named most often; among places of the level the text speaks of itself in
        (``全县``/``县科协`` … most often: a county's text) when it names one of that level. With
        ``within`` and ``level``: only places of that level inside ``within`` (``None`` if none)."""
        counts = {
            code: count
            for code, count in self._counts(flat, case).items()
            if code != _COUNTRY and (within is None or self.index.within(code, within))
        }
        if not counts:
            return None
        if within is not None:
            counts = {code: count for code, count in counts.items() if self._has_level(code, level or "")}
            if not counts:
                return None
        level = self._own_level(flat)
        if level:
            fitting = {code: count for code, count in counts.items() if self._has_level(code, level)}
            if not fitting and within is None:
                # 我市… over a text naming only counties of the city: the unit of that level above them
                for code, count in counts.items():
                    above = next(
                        (
                            node
                            for node in self.index.ancestry(code)
                            if node != _COUNTRY and self._has_level(node, level)
                        ),
                        None,
                    )
                    if above:
                        fitting[above] = fitting.get(above, 0) + count
            named = counts
            counts = fitting or counts
            best = max(counts, key=lambda code: self._rank(code, counts, named))
            if fitting and not _SPEAKS_AS_RE.search(flat):
                # 浙江…杭州市萧山区、宁波市鄞州区、温州市鹿城区 (a 全市 in one unit's paragraph): a text
                # going through three units and more of its level inside a place it names at least as
                # often as any of them is that place's text (a title's place is not refined).
                above = self.index.common(list(fitting))
                if (
                    len(fitting) >= 3
                    and above is not None
                    and above != _COUNTRY
                    and self._counts(flat, case).get(above, 0) >= counts[best]
                ):
                    return None if above == within else above
            parent = self.index.parent_of(best)
            if within is None and parent and parent != _COUNTRY and self._has_level(parent, level):
                # 我市…江陵县、公安县、监利市: a county-level city named among its sibling counties is
                # one of the units the city's text speaks of, not the city itself.
                siblings = {code for code in named if code != best and self.index.parent_of(code) == parent}
                if len(siblings) >= 2:
                    return parent
            return best
        return max(counts, key=lambda code: self._rank(code, counts, counts))

    def _rank(self, code: str, counts: dict[str, int], named: dict[str, int]) -> tuple[int, int, int, int]:
        """How a candidate place of a document ranks: how often it is named; then how many other
        candidates it contains (湖北省…其中宜昌市5个，襄阳市4个, each named once: the province's
        text); then how often the places containing it are named (天门 in a text naming 湖北省
        twice, over 镇江 named once with no province of its own); then the smaller code (stable).

        Examples
        --------
        >>> finder = ScopeFinder.from_data()
        >>> counts = {"420000": 1, "420500": 1, "420600": 1}
        >>> max(counts, key=lambda code: finder._rank(code, counts, counts))
        '420000'
        """
        contained = sum(1 for other in counts if other != code and self.index.within(other, code))
        support = sum(named.get(node, 0) for node in self.index.ancestry(code)[1:] if node != _COUNTRY)
        return counts[code], contained, support, -int(code)

    @staticmethod
    def _own_level(flat: str, strong: bool = False) -> str | None:
        """The suffix of the level a text speaks of itself in (``县`` for 全县, 我县, 县科协 …), or
        ``None`` when it uses no such word or as many of two levels. ``strong`` counts only the
        words by which a text speaks as the unit or of all of it (我县, 本县, 全县), not the names
        of organisations (县科协, 县委), which may be a visitor's or a cited document's.

        Examples
        --------
        >>> ScopeFinder._own_level("全县共有30个，县科协举办2场，市科协1场"), ScopeFinder._own_level("无")
        ('县', None)
        >>> ScopeFinder._own_level("省科协来了，区科协也来了") is None  # one word of each level: no telling
        True
        """
        votes: dict[str, int] = {}
        for match in _SELF_WORD_RE.finditer(flat):
            if match.group(1) and _is_ranking(flat, match.start(), match.end()):
                continue  # 取得全省第一: ranked in the province, not the province's text
            suffix = match.group(1) or match.group(2)
            # 我县/本县 speak as the unit, 全县 of it; 县科协, 县委 may be a visitor's organisation
            weight = 3 if match.group(0)[0] in "我本" else 2 if match.group(1) else 0 if strong else 1
            before = flat[match.start() - 1 : match.start()]
            if weight == 1 and (before == "、" or "\u4e00" <= before <= "\u9fff"):
                continue  # 省、市、县科协 (a list of levels), 试点县科协, 连云港市委: not the text's own unit
            if not weight:
                continue
            votes[suffix] = votes.get(suffix, 0) + weight
        if not votes:
            return None
        ranked = sorted(votes.values(), reverse=True)
        if len(ranked) > 1 and ranked[0] == ranked[1]:
            return None  # as many words of two levels: the text does not say which is its own
        return max(votes, key=lambda suffix: votes[suffix])

    def _has_level(self, code: str, suffix: str) -> bool:
        if suffix == "省":
            return self.index.level_of(code) == "province"
        return self.index.name_of(code).endswith(suffix)

    # -- the scope of a mention -------------------------------------------------------------------
    def scope(
        self,
        flat: str,
        position: int,
        default_code: str | None,
        names: list[tuple[int, int, str]] | None = None,
        case: str | None = None,
    ) -> tuple[str, str, str]:
        """(scope_zh, scope_level, admin_code) of the number at ``position``.

        ``default_code`` is the document's place, used when the sentence names none; ``case``
        restricts the names to that case's places and places of no case (see :meth:`resolve`).

        Examples
        --------
        >>> finder = ScopeFinder.from_data()
        >>> flat = "全国科普日期间，县科协共印制宣传资料5000份"
        >>> finder.scope(flat, flat.index("5000"), default_code="420506")
        ('夷陵区', 'county', '420506')
        >>> flat = "6年来累计安排中央财政转移支付资金10.5亿元"
        >>> finder.scope(flat, flat.index("10.5"), default_code="420506")
        ('中央财政', 'national', '100000')
        """
        areas = (default_code,)
        average = _AVERAGE_OF_RE.search(flat, max(0, position - 16), position)
        if average is not None:
            # 超过全国平均水平(16.74%): the figure of the unit compared with is that unit's
            return self._word_scope(average.group(1), default_code)
        if names is None:
            names = self.names(flat, areas)
        own = None
        own_suffix = ""
        for index, start, end, name in spans_back(names, flat, position):
            if (
                name[0] in "全我"
                and name in _WORDS
                and _is_ranking(flat, start, end)
                and _HAN_RE.search(flat, end, position)
            ):
                continue  # 取得全省第一，举办…: the unit ranked within is not the scope (全省4个入围… is)
            if own is not None and name in (*_NATIONAL_WORDS, *_PROVINCE_WORDS):
                return own  # 省科协领导到我县调研，我县…: the nearer word for the text's own unit
            if name in _NATIONAL_WORDS:
                if name.startswith("中央") and flat[max(0, start - 3) : start].endswith(_RECEIVED_BEFORE):
                    continue  # 榆林共获中央财政奖补资金250万元: the receiving place's money
                return name, "national", _COUNTRY
            if name in _PROVINCE_WORDS:
                province = self._province(default_code)
                if province[2] and self.index.level_of(province[2]) == "province":
                    return province
                # 全省 in a national text: the province named last before it
                return self._named_before(flat, names, start, "省", case, areas) or province
            if name in _THAT_PLACE_WORDS and own is None:
                suffix = _LEVEL_SUFFIX_OF_WORD[name]
                named = self._named_before(flat, names, start, suffix, case, areas)
                if named:
                    return named
                unit = self._province(default_code)[2] if suffix == "省" else self.own_unit("全" + suffix, default_code)
                return self._own(unit)
            if name in _OWN_PLACE_WORDS:
                # 全县: the county named earlier in the sentence (凤冈县…全县), else the document's unit
                # of the word's level (全市 in a county's text: its city; in a national or provincial
                # text: the city named last before it).
                if own is None:
                    own_suffix = _LEVEL_SUFFIX_OF_WORD[name]
                    unit = self.own_unit(name, default_code)
                    own = self._own(unit)
                    if unit is None or not self._has_level(unit, own_suffix):
                        own = self._named_before(flat, names, start, own_suffix, case, areas) or own
                continue
            nearby = tuple(
                resolved[0]
                for _, _, _, other in spans_back(names, flat, start)
                if other not in _WORDS and (resolved := self.resolve(other, case, areas))
            )
            resolved = self.resolve(name, case, areas, nearby)
            if resolved is None:
                continue
            if "等" in flat[end:position] and _EXAMPLE_COUNTED_RE.search(flat, end, position):
                continue
            if flat.startswith(_VENUE_WORDS, end) and "、" in flat[end:position]:
                continue  # 北京主场活动、省级主场活动、十大联合行动: the venue of another item of the list
            if (";" in flat[end:position] or "；" in flat[end:position]) and not self._opens_sentence(
                flat, names, index, start
            ):
                continue  # …；岳西茶叶科技小院被评为…；组建工作站2家: each part its own, the sentence's topic carries
            if own is not None and not self._has_level(resolved[0], own_suffix):
                return own  # 宜昌市科协组织全县…: only a place of the word's own level names its unit
            listed = self._listed(flat, names, index, case, areas, position)
            if listed is not None:
                return listed
            return name, resolved[1], resolved[0]
        if own is None:
            sentence_start, _ = sentence_span(flat, position)
            if sentence_start > 0 and flat.startswith(_CONTINUING, sentence_start):
                # 其中…: a part of what the sentence before spoke of, in the place it named.
                return self.scope(flat, sentence_start - 1, default_code, names, case)
        return own or self._own(default_code)

    def _opens_sentence(self, flat: str, names: list[tuple[int, int, str]], index: int, start: int) -> bool:
        """Whether ``names[index]`` (at ``start``) is the topic of its sentence: its first name,
        opening a clause (``2024年以来，宜昌市聚焦…``, ``宜昌市科协…``), of which the parts after a
        semicolon go on speaking when they name no place of their own.

        Examples
        --------
        >>> finder = ScopeFinder.from_data()
        >>> flat = "近年来，宜昌市建成站点9个；远安县科协举办讲座3场；开展培训5期"
        >>> names = finder.names(flat)
        >>> [finder._opens_sentence(flat, names, i, start) for i, (start, _, _) in enumerate(names)]
        [True, False]
        """
        sentence_start, _ = sentence_span(flat, start)
        if index > 0 and names[index - 1][0] >= sentence_start:
            return False
        clause_start = max(sentence_start, *(flat.rfind(mark, sentence_start, start) + 1 for mark in "，,：:"))
        return start - clause_start <= 1

    def _word_scope(self, word: str, default_code: str | None) -> tuple[str, str, str]:
        """The scope a word for a whole unit names alone (``全国``, ``全省``, ``全市`` …), in a
        document of place ``default_code``."""
        if word in _NATIONAL_WORDS:
            return word, "national", _COUNTRY
        if word in _PROVINCE_WORDS:
            return self._province(default_code)
        return self._own(self.own_unit(word, default_code))

    def _named_before(
        self,
        flat: str,
        names: list[tuple[int, int, str]],
        position: int,
        suffix: str,
        case: str | None,
        areas: tuple[str | None, ...],
    ) -> tuple[str, str, str] | None:
        """The place of level ``suffix`` (``省``, ``市`` …) named last in the ``_LOOKBACK`` characters
        before ``position``, or ``None``."""
        for index in range(bisect_left(names, position, key=itemgetter(0)) - 1, -1, -1):
            start, _, name = names[index]
            if start < position - _LOOKBACK:
                break
            if name in _WORDS:
                continue
            resolved = self.resolve(name, case, areas)
            if resolved and resolved[0] != _COUNTRY:
                for node in self.index.ancestry(resolved[0]):
                    if node != _COUNTRY and self._has_level(node, suffix):
                        return self._own(node)
        return None

    def own_unit(self, word: str, code: str | None) -> str | None:
        """The unit a word for the text's own place means (``全市``, ``县科协`` …) in a document of
        place ``code``: the nearest of ``code`` and its parents whose name ends with the word's
        level (全市 in a county's text is its city); ``code`` itself when none does.

        Examples
        --------
        >>> finder = ScopeFinder.from_data()
        >>> finder.own_unit("全市", "420506"), finder.own_unit("全区", "420506"), finder.own_unit("全县", "420500")
        ('420500', '420506', '420500')
        """
        suffix = _LEVEL_SUFFIX_OF_WORD.get(word)
        if code is None or suffix is None:
            return code
        for node in self.index.ancestry(code):
            if node != _COUNTRY and self.index.name_of(node).endswith(suffix):
                return node
        return code

    def _listed(
        self,
        flat: str,
        names: list[tuple[int, int, str]],
        index: int,
        case: str | None,
        areas: tuple[str | None, ...],
        position: int | None = None,
    ) -> tuple[str, str, str] | None:
        """A list of names ending at ``names[index]`` (梧州市科协、藤县科协 / 湄潭县、仁怀市等):
        the joint scope, resolved to the smallest place containing them all; with 分别 before the
        number at ``position`` (宜昌市和荆州市分别有5个和8个), the place of the number's rank."""
        first = index
        while (
            first > 0
            and flat[names[first - 1][1] : names[first][0]] in _LIST_JOINERS
            and names[first - 1][2] not in _WORDS
        ):
            first -= 1
        end = names[index][1]
        between = flat[end:position] if position is not None else ""
        # 湄潭县等9个县, 府谷县糜子产业协会等10个协会: examples of a larger set (no clause break between)
        by_example = flat.startswith("等", end) or _EXAMPLES_RE.fullmatch(between) is not None
        if first < index and "分别" in between and not any(mark in between for mark in "；;。"):
            rank = len(_NUMBER_RE.findall(between[between.index("分别") :]))
            if rank <= index - first:
                _, _, name = names[first + rank]
                resolved = self.resolve(name, case, areas)
                if resolved:
                    return name, resolved[1], resolved[0]
        if first == index and not by_example:
            return None
        document = areas[0] if areas and areas[0] != _COUNTRY else None
        if first == index:
            # 湄潭县等9个县: the units of the document's place when the example lies in it (a province's
            # text: …协会等33个 across the province), else of the place's parent.
            resolved = self.resolve(names[index][2], case, areas)
            if resolved and document and self.index.within(resolved[0], document):
                return self._own(document)
            parent = self.index.parent_of(resolved[0]) if resolved else None
            return self._own(parent) if parent else None
        codes = [
            resolved[0] for _, _, name in names[first : index + 1] if (resolved := self.resolve(name, case, areas))
        ]
        code = self.index.common(codes)
        if code is None:
            return None
        if by_example:
            inside = document and all(self.index.within(one, document) for one in codes)
            return self._own(document if inside else code)
        text = flat[names[first][0] : end]
        return text, SCOPE_LEVEL_OF_PLACE.get(self.index.level_of(code), "organisation"), code


_FINDERS: dict[str, ScopeFinder] = {}


def _finder(raw_key: str) -> ScopeFinder:
    if raw_key not in _FINDERS:
        _FINDERS[raw_key] = ScopeFinder(PlaceIndex.from_data(raw_key or None))
    return _FINDERS[raw_key]
