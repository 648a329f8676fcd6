"""Place names anywhere in China: every division of the reference, read in context.

:class:`PlaceIndex` knows every province, prefecture and county-level unit of the division
reference (``data/processed/divisions.csv``, written by ``kexie build`` from
``data/raw/reference/divisions.csv``), by full name (``宜昌市``), short name (``宜昌``,
``黔南`` for ``黔南布依族苗族自治州``) and the project's aliases. A name may stand for several
units (``城区``, ``鼓楼区``, ``吉林``); :meth:`PlaceIndex.pick` chooses among them by context — a
unit inside the place the context names (the document's place, a province or prefecture named
nearby, places named elsewhere in the document) — and gives up rather than guess.

Short names of county-level units (``东方`` for 东方市, ``和平`` for 和平区) are ordinary words
too; they count as places only with a suffix that makes them one (``东方科协``) or inside the
document's prefecture or province (:meth:`PlaceIndex.is_place`).

Example::

    >>> index = PlaceIndex.from_data()
    >>> index.pick(index.codes("宜昌市"))
    '420500'
    >>> index.pick(index.codes("城区")) is None  # three districts of that name: no context, no guess
    True
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from kexie_research import config
from kexie_research.ethnic_groups import ETHNIC_GROUPS
from kexie_research.errors import KexieError

__all__ = [
    "LEVEL_DEPTH",
    "PlaceIndex",
    "is_dictionary_word",
    "is_word_across",
    "is_word_in_text",
    "short_forms",
    "warm_segmenter",
]

#: Depth of each level of the reference (more is more specific).
LEVEL_DEPTH = {"country": 0, "province": 1, "prefecture": 2, "district": 3, "county": 3, "county-level city": 3}
# 各族 ("all nationalities") also stands before 自治 (e.g. in the names of some autonomous counties).
_ETHNIC_TAIL = re.compile("(?:" + "|".join(sorted((*ETHNIC_GROUPS, "各族"), key=len, reverse=True)) + ")族?$")
_COUNTRY = "100000"
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
_LIST_JOINER = re.compile("[、和及与,，]")
_SUFFIXES = ("特别行政区", "林区", "地区", "新区", "矿区", "特区", "省", "市", "县", "区", "盟", "旗", "州")
# The first characters of what may follow a short name inside one word and keep it a place
# (宿州市, 六安市科协): a division's suffix.
_NAME_SUFFIX_STARTS = "省市县区州旗盟"
# 城区, 郊区, 老城区, 市中区, 江北区: a district's name built of words for a part of any town.
_GENERIC_NAME_RE = re.compile("[东南西北中上下前后新老旧城郊矿市河江关厢内外]+区")
_SEGMENT_WINDOW = 8  # characters each side of a name the word segmenter reads
# Segmentations already made (window, name start, name end) -> whether the name stands: texts of a
# corpus repeat their phrases (全市科协系统, 县科协联合…).
_SEGMENTED: dict[tuple[str, int, int], bool] = {}
_SEGMENTED_LIMIT = 100_000


def short_forms(name: str) -> list[str]:
    """The short forms of a division's name (at least two characters), most complete first.

    Examples
    --------
    >>> short_forms("黔南布依族苗族自治州"), short_forms("宜昌市"), short_forms("藤县")
    (['黔南'], ['宜昌'], [])
    >>> short_forms("新疆维吾尔自治区"), short_forms("香港特别行政区")
    (['新疆'], ['香港'])
    """
    stem = name
    for suffix in _AUTONOMOUS:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            while True:  # 布依族苗族 -> peel the ethnic names off the end
                peeled = _ETHNIC_TAIL.sub("", stem)
                if peeled == stem or len(peeled) < 2:
                    break
                stem = peeled
            return [stem] if len(stem) >= 2 and stem != name else []
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
            return [stem[: -len(suffix)]]
    return []


# 科尔沁右翼前旗 -> 科右前旗, 土默特左旗 -> 土左旗: a banner named by its side and position.
_BANNER_RE = re.compile(r"([\u4e00-\u9fff]{2,}?)(左翼|右翼|左|右)?([前中后])?旗")
# 东乌珠穆沁旗 -> 东乌旗
_EAST_WEST_BANNER_RE = re.compile(r"([东西])([\u4e00-\u9fff]{3,})旗")


def abbreviated_forms(name: str) -> list[str]:
    """The abbreviations by which the names of Inner Mongolia's banners and leagues and of the
    autonomous prefectures named after a long ethnic name are written: the first character of the
    name and the characters of its side, position and level.

    Examples
    --------
    >>> abbreviated_forms("科尔沁右翼前旗"), abbreviated_forms("土默特左旗"), abbreviated_forms("东乌珠穆沁旗")
    (['科右前旗'], ['土左旗'], ['东乌旗'])
    >>> abbreviated_forms("锡林郭勒盟"), abbreviated_forms("巴音郭楞蒙古自治州"), abbreviated_forms("杭锦旗")
    (['锡盟'], ['巴州'], [])
    >>> abbreviated_forms("西双版纳傣族自治州"), abbreviated_forms("正镶白旗")
    ([], [])
    """
    banner = _BANNER_RE.fullmatch(name)
    if banner and (banner.group(2) or banner.group(3)):
        side = (banner.group(2) or "")[:1]
        return [banner.group(1)[0] + side + (banner.group(3) or "") + "旗"]
    east_west = _EAST_WEST_BANNER_RE.fullmatch(name)
    if east_west:
        return [east_west.group(1) + east_west.group(2)[0] + "旗"]
    if name.endswith("盟") and len(name) >= 4:
        return [name[0] + "盟"]
    if name.endswith("自治州"):
        stems = short_forms(name)
        # 巴音郭楞 -> 巴州 (黔南州 keeps its two characters, 西双版纳 opens with a direction: 版纳)
        if stems and len(stems[0]) >= 4 and stems[0][0] not in "东西南北":
            return [stems[0][0] + "州"]
    return []


class PlaceIndex:
    """Every division by name, with its level, parent and case; chooses among homonyms by context.

    Parameters
    ----------
    divisions
        Columns ``admin_code``, ``name_zh``, ``level``, ``parent_code`` (the division reference).
    aliases
        Columns ``alias``, ``admin_code`` (the project's place aliases); may be empty.
    case_of
        The project's case of each code that belongs to one (``450422`` -> ``wuzhou``).

    Examples
    --------
    >>> index = PlaceIndex.from_data()
    >>> index.name_of("420500"), index.level_of("420500"), index.parent_of("420500")
    ('宜昌市', 'prefecture', '420000')
    """

    def __init__(
        self,
        divisions: pd.DataFrame,
        aliases: pd.DataFrame | None = None,
        case_of: dict[str, str] | None = None,
        ordinary_words: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        self._name: dict[str, str] = {}
        self._level: dict[str, str] = {}
        self._parent: dict[str, str] = {}
        self._by_name: dict[str, list[str]] = {}
        #: Names that are a unit's full name (or an alias), not only a short form.
        self.full_names: set[str] = set()
        #: Short names of county-level units only: ordinary words unless the context makes them places.
        self.weak_names: set[str] = set()
        strong_short: set[str] = set()
        abbreviations: dict[str, list[str]] = {}
        for code, name, level, parent in zip(
            divisions["admin_code"], divisions["name_zh"], divisions["level"], divisions["parent_code"]
        ):
            code, name, level = str(code), str(name), str(level)
            self._name[code], self._level[code] = name, level
            if isinstance(parent, str) and parent:
                self._parent[code] = parent
            elif level == "province":
                self._parent[code] = _COUNTRY  # a cited province may leave its parent empty
            self._add(name, code)
            self.full_names.add(name)
            for short in short_forms(name):
                self._add(short, code)
                (self.weak_names if LEVEL_DEPTH.get(level, 3) >= 3 else strong_short).add(short)
            abbreviations[code] = abbreviated_forms(name)
        self.weak_names -= strong_short | self.full_names
        for code, forms in abbreviations.items():
            for form in forms:
                if form not in self.full_names:  # never over a unit's own name
                    self._add(form, code)
                    strong_short.add(form)
        self.weak_names -= strong_short
        if aliases is not None:
            for alias, code in zip(aliases.get("alias", []), aliases.get("admin_code", [])):
                if code in self._name:
                    self._add(alias, code)
                    self.full_names.add(alias)
                    self.weak_names.discard(alias)
        #: District names made of generic words only (城区, 老城区, 市中区, 东区): also common nouns
        #: (老城区改造), places only with 科协 after them or inside the context's places.
        self.generic_names = frozenset(name for name in self.full_names if _GENERIC_NAME_RE.fullmatch(name))
        self.case_of = dict(case_of or {})
        #: Short names that are ordinary words (科普资源, 科普惠民, 与会来宾): places only with a suffix.
        self.ordinary_words = frozenset(ordinary_words) - self.full_names
        self._by_name.pop("中国", None)  # the country is 全国 in scopes; 中国科协 is an organisation's name
        self.full_names.discard("中国")

    def _add(self, name: str, code: str) -> None:
        codes = self._by_name.setdefault(name, [])
        if code not in codes:
            codes.append(code)

    @classmethod
    def from_data(cls, raw_dir: Path | str | None = None) -> PlaceIndex:
        """The index over the project's division reference and aliases (read once per process)."""
        return _index(str(Path(raw_dir).resolve()) if raw_dir else str(config.raw_dir()))

    # -- lookups ---------------------------------------------------------------------------
    def names(self) -> list[str]:
        """Every name the index knows."""
        return list(self._by_name)

    def codes(self, name: str) -> list[str]:
        """The codes a name may stand for (empty when none)."""
        return self._by_name.get(name, [])

    def name_of(self, code: str) -> str:
        """The full name of a code; :class:`KexieError` for a code not in the reference."""
        try:
            return self._name[code]
        except KeyError:
            raise KexieError(f"place code {code} is not in the division reference") from None

    def level_of(self, code: str) -> str:
        """The level of a code (``province``, ``prefecture``, ``county`` …)."""
        return self._level.get(code, "")

    def parent_of(self, code: str) -> str | None:
        """The parent code, or ``None`` at the top."""
        return self._parent.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._name

    def ancestry(self, code: str) -> list[str]:
        """``code`` and its ancestors, most specific first.

        Examples
        --------
        >>> PlaceIndex.from_data().ancestry("420503")
        ['420503', '420500', '420000', '100000']
        """
        chain = []
        while code and code not in chain:
            chain.append(code)
            code = self._parent.get(code, "")
        return chain

    def within(self, code: str, area: str | None) -> bool:
        """Whether ``code`` is ``area`` or inside it."""
        return area is not None and area in self.ancestry(code)

    def common(self, codes: list[str]) -> str | None:
        """The smallest unit containing all ``codes`` (``None`` for none).

        Examples
        --------
        >>> index = PlaceIndex.from_data()
        >>> index.common(["420503", "420502"]), index.common(["420500", "450400"])
        ('420500', '100000')
        """
        if not codes:
            return None
        chains = [self.ancestry(code) for code in codes]
        return next((code for code in chains[0] if all(code in chain for chain in chains[1:])), None)

    def is_place(self, name: str, following: str, areas: tuple[str | None, ...] = ()) -> bool:
        """Whether ``name`` (followed by the text ``following``) is used as a place here.

        A full name always is; a county-level short name (``东方``, ``和平``) only before
        ``科协`` / ``科学技术协会`` or when one of its units lies inside one of ``areas``; a short
        name that is an ordinary word (``资源``, ``惠民``, ``来宾``: :attr:`ordinary_words`) only
        before ``科协`` or a suffix, whatever the document's place.

        Examples
        --------
        >>> index = PlaceIndex.from_data()
        >>> index.is_place("东方", "红的太阳"), index.is_place("东方", "市科协"), index.is_place("东方", "科协")
        (False, True, True)
        """
        suffixed = following.startswith(("科协", "科学技术协会", "市", "县", "区", "旗", "自治"))
        if name in self.ordinary_words:
            return suffixed
        if name not in self.weak_names:
            return True
        if suffixed:
            return True
        # The country contains everything: it makes no short name a place (科普惠农 is no 惠农区).
        return any(self.within(code, area) for code in self.codes(name) for area in areas if area and area != _COUNTRY)

    def pick(
        self,
        codes: list[str],
        areas: tuple[str | None, ...] = (),
        nearby: tuple[str, ...] = (),
        case: str | None = None,
    ) -> str | None:
        """The one of ``codes`` the context means, or ``None`` when it cannot tell.

        Parameters
        ----------
        codes
            The units a name may stand for.
        areas
            Places the document is about, most telling first (its own place, then places it
            names): a unit inside (or containing) the first that has one wins.
        nearby
            Codes named close by (the same sentence): a unit inside one of them wins first.
        case
            The document's case (a source of the manifest): units of another case are never chosen.

        Examples
        --------
        >>> index = PlaceIndex.from_data()
        >>> codes = index.codes("城区")
        >>> index.level_of(index.pick(codes, areas=("140500",)))  # 城区 of 晋城市
        'district'
        """
        if case is not None:
            codes = [code for code in codes if self.case_of.get(code, case) == case]
        if len(codes) <= 1:
            return codes[0] if codes else None
        for context in (nearby, areas):
            for area in context:
                if not area:
                    continue
                inside = [code for code in codes if self.within(code, area)]
                if len(inside) == 1:
                    return inside[0]
                if inside:
                    codes = inside
                    break
                around = [code for code in codes if self.within(area, code)]
                if len(around) == 1:
                    return around[0]
        # 吉林 (the province and its city): the larger unit, when it is the only one at its level.
        depths = sorted(LEVEL_DEPTH.get(self._level.get(code, ""), 3) for code in codes)
        if depths[0] < depths[1]:
            return min(codes, key=lambda code: LEVEL_DEPTH.get(self._level.get(code, ""), 3))
        return None

    def resolve(self, text: str, areas: tuple[str | None, ...] = (), case: str | None = None) -> str | None:
        """The code of a written scope: a name, ``<name>科协``, names run together (``宜昌市点军区``)
        or a list (``宜昌市、荆州市``, the smallest unit containing them); ``None`` when it names none.

        Examples
        --------
        >>> index = PlaceIndex.from_data()
        >>> index.resolve("宜昌市点军区科协"), index.resolve("宜昌市、荆州市"), index.resolve("科协") is None
        ('420504', '420000', True)
        >>> index.resolve("和田地区和阿克苏地区")  # 和 inside a name joins nothing
        '650000'
        """
        found: list[str] = []
        codes: list[str] = []
        last_end = 0
        for start, name in self._names_in(text):
            # A joiner between two names starts the next item of a list (one inside a name, as in
            # 和平区 or 和田, does not).
            if codes and _LIST_JOINER.search(text, last_end, start):
                found.append(max(codes, key=lambda code: len(self.ancestry(code))))
                codes = []
            last_end = start + len(name)
            if not self.is_place(name, text[last_end:], areas):
                continue
            candidates = self.codes(name)
            suffix = (
                text[last_end + 2 : last_end + 3]
                if text.startswith("自治", last_end)
                else text[last_end : last_end + 1]
            )
            if suffix and suffix in "州县旗":  # 恩施州, 恩施自治州: the autonomous prefecture, not 恩施市
                candidates = [code for code in candidates if self._name[code].endswith("自治" + suffix)] or candidates
            code = self.pick(candidates, areas, tuple(codes), case)
            if code is not None:
                codes.append(code)
        if codes:
            found.append(max(codes, key=lambda code: len(self.ancestry(code))))
        return self.common(found)

    def _names_in(self, text: str) -> list[tuple[int, str]]:
        """Names in ``text``, longest at each position, left to right, with their starts."""
        out = []
        position = 0
        while position < len(text):
            for length in range(min(12, len(text) - position), 1, -1):
                candidate = text[position : position + length]
                if candidate in self._by_name:
                    out.append((position, candidate))
                    position += length
                    break
            else:
                position += 1
        return out


#: Short place names that are ordinary words (written by ``scripts/place_words.py`` from jieba's
#: dictionary, plus names reviewed by hand; see that script).
PLACE_WORDS_FILE = Path(__file__).with_name("place_words.csv")


def _ordinary_words() -> frozenset[str]:
    if not PLACE_WORDS_FILE.is_file():
        return frozenset()
    words = pd.read_csv(PLACE_WORDS_FILE, dtype=str, keep_default_na=False, encoding="utf-8")
    if "name" not in words.columns:
        raise KexieError(f"{PLACE_WORDS_FILE}: expected a column 'name' (short place names that are ordinary words)")
    return frozenset(name for name in words["name"] if name)


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    """A private jieba tokenizer over jieba's own dictionary (read once per process, quietly)."""
    import logging

    import jieba

    tokenizer = jieba.Tokenizer()
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)  # jieba logs "Building prefix dict…" on first use
    try:
        tokenizer.initialize()
    finally:
        logger.setLevel(level)
    return tokenizer


def warm_segmenter() -> None:
    """Read the word segmenter's dictionary now (about a second, once per process), not on the
    first document that needs it.

    Examples
    --------
    >>> warm_segmenter()
    >>> is_word_in_text("宜昌举办活动", 0, 2)
    True
    """
    _segmenter()


def is_dictionary_word(word: str) -> bool:
    """Whether ``word`` is a word of the segmenter's dictionary (not only the prefix of one).

    Examples
    --------
    >>> is_dictionary_word("科教兴国"), is_dictionary_word("科教兴")
    (True, False)
    """
    return bool(_segmenter().FREQ.get(word, 0))


def is_word_in_text(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands as a word of its text, as a word segmenter reads it.

    A short place name written inside another word is no place (金安 in 基金安排: the words are
    基金 and 安排). The name stands when a word starts where it starts and no word that starts
    inside it runs past its end; a word that starts with it and goes on with a division's suffix
    (宿州市) keeps it too. jieba (with its own dictionary) segments a few characters around it.

    Examples
    --------
    >>> text = "政府性基金安排0万元，六安市科协安排10万元"
    >>> is_word_in_text(text, text.index("金安"), text.index("金安") + 2)
    False
    >>> is_word_in_text(text, text.index("六安"), text.index("六安") + 2)
    True
    """
    segmenter = _segmenter()
    frequency = segmenter.FREQ  # every dictionary word (its frequency) and every prefix of one (0)
    # No word of the dictionary across the name's start (基金), out of its end (安排) or going on from
    # it (中山大学): nothing to segment, the name stands.
    if not (
        any(_word_past(frequency, text, left, start) for left in range(max(0, start - 3), start))
        or any(_word_past(frequency, text, inner, end) for inner in range(start, end))
    ):
        return True
    left = max(0, start - _SEGMENT_WINDOW)
    window = text[left : end + _SEGMENT_WINDOW]
    key = (window, start - left, end - left)
    if key in _SEGMENTED:
        return _SEGMENTED[key]
    if len(_SEGMENTED) >= _SEGMENTED_LIMIT:
        _SEGMENTED.clear()  # memory stays bounded on a large corpus
    _SEGMENTED[key] = stands = _stands(segmenter, text, window, left, start, end)
    return stands


def is_word_across(text: str, position: int) -> bool:
    """Whether a word of ``text``, as the word segmenter reads it, starts before ``position`` and
    runs past it (示范县: the word 示范 runs across the start of 范县).

    Examples
    --------
    >>> text = "创建科普示范县，沛县科协参加"
    >>> is_word_across(text, text.index("范县")), is_word_across(text, text.index("沛县"))
    (True, False)
    """
    segmenter = _segmenter()
    frequency = segmenter.FREQ
    if not any(_word_past(frequency, text, left, position) for left in range(max(0, position - 3), position)):
        return False
    left = max(0, position - _SEGMENT_WINDOW)
    offset = left
    for token in segmenter.cut(text[left : position + _SEGMENT_WINDOW], HMM=False):
        if offset < position < offset + len(token):
            return True
        if offset >= position:
            break
        offset += len(token)
    return False


def _word_past(frequency: dict[str, int], text: str, left: int, boundary: int) -> bool:
    """Whether a dictionary word starting at ``left`` ends after ``boundary`` (jieba's dictionary
    holds every prefix of its words, with frequency 0: a walk along the text stops at the first
    string that is no prefix)."""
    for right in range(left + 2, min(len(text), left + 16) + 1):
        piece = text[left:right]
        if piece not in frequency:
            return False
        if right > boundary and frequency[piece]:
            return True
    return False


def _stands(segmenter: Any, text: str, window: str, left: int, start: int, end: int) -> bool:
    """:func:`is_word_in_text` by segmenting ``window`` (``text`` from ``left``)."""
    position = left
    starts_here = None
    for token in segmenter.cut(window, HMM=False):
        token_end = position + len(token)
        if position < start < token_end:
            return False  # a word runs across the name's start (基金 | 安排)
        if position == start:
            starts_here = token_end
        if start < position < end < token_end:
            return False  # a word starts inside the name and runs past its end
        if position >= end:
            break
        position = token_end
    if starts_here is None:
        return False
    return starts_here <= end or (bool(text[end : end + 1]) and text[end : end + 1] in _NAME_SUFFIX_STARTS)


@lru_cache(maxsize=4)
def _index(raw_key: str) -> PlaceIndex:
    raw = Path(raw_key)
    from kexie_research.steps.places import read_reference_csv
    from kexie_research.steps.sources import read_sources

    processed = raw.parent / "processed" / "divisions.csv"
    if processed.is_file():
        divisions = pd.read_csv(processed, dtype=str, keep_default_na=False, encoding="utf-8")
    else:  # before the first build: the build's own reader of the reference
        from kexie_research.steps.places import read_divisions

        divisions = read_divisions(raw)
    aliases_path = raw / "reference" / "place_aliases.csv"
    aliases = (
        read_reference_csv(aliases_path, ("alias", "admin_code"), unique=False) if aliases_path.is_file() else None
    )
    case_of: dict[str, str] = {}
    try:
        sources = read_sources(raw)
    except (KexieError, OSError):
        sources = []
    index = PlaceIndex(divisions, aliases, ordinary_words=_ordinary_words())
    for entry in sources:
        code, case = entry.get("admin_code"), entry.get("case")
        if code and case:
            case_of[str(code)] = str(case)
    # Every unit inside (or above, for prefectures of a county case) a case's place belongs to the case.
    owned: dict[str, str] = {}
    for code in index._name:
        for node in index.ancestry(code):
            if node in case_of:
                owned[code] = case_of[node]
                break
    index.case_of = owned
    return index
