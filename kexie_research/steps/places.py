"""Places: administrative units with 6-digit codes, 2020-census populations, and scope resolution.

Build-internal: analysis code reads :func:`kexie_research.data.load_places` (``data/processed``).

Inputs (all in ``data/raw/reference/``):

- ``divisions.csv`` (when present): every province-, prefecture- and county-level unit of China
  (admin_code, name_zh, name_en, level, parent_code), so that the scopes of any new case resolve.
- ``places_2020.csv``: verified codes and 7th-census populations of the provinces, prefectures and
  county-level units the project studies (sources per row; see the README there).
- ``places_extra.csv``: the country-level scope (``100000``) for national facts.
- ``place_aliases.csv``: names that locate a scope but are not place names (``全国``, a company or
  hospital named without its county), each with the sentence that justifies it.

A coded scope such as ``藤县科协`` or ``湄潭县人民医院科协`` is resolved by :meth:`PlaceResolver.resolve`
to the most specific place whose full name (``湄潭县``), short name (``湄潭``, at least two characters)
or alias occurs in it; among equally specific matches the longest wins. A scope that lists several
units (``梧州市科协、藤县科协``: a joint figure) resolves to the smallest place containing all of them.

Example::

    >>> from kexie_research.steps.places import PlaceResolver
    >>> resolver = PlaceResolver.from_raw()
    >>> resolver.resolve("龙圩区科协").admin_code
    '450406'
    >>> resolver.resolve("重庆市荣昌区").name_zh
    '荣昌区'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import re

import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError
from kexie_research.steps.sources import read_sources

REFERENCE_DIR = config.REFERENCE_DIR
PLACE_FILES = config.PLACE_FILES
ALIASES_FILE = config.PLACE_ALIASES
DIVISIONS_FILE = config.DIVISIONS
DIVISION_COLUMNS = ["admin_code", "name_zh", "name_en", "level", "parent_code"]
LEVEL_DEPTH = {"country": 0, "province": 1, "prefecture": 2, "district": 3, "county": 3, "county-level city": 3}
# Level names of other division lists, mapped to the project's vocabulary.
LEVEL_SYNONYMS = {
    "county-level": "county",
    "county_level": "county",
    "区县": "county",
    "市": "prefecture",
    "省": "province",
    "国": "country",
    "city": "prefecture",
}
# Longest suffixes first, so 广西壮族自治区 → 广西 and 道真仡佬族苗族自治县 → 道真.
_SUFFIXES = ("壮族自治区", "仡佬族苗族自治县", "自治区", "自治县", "省", "市", "县", "区")
PLACE_COLUMNS = [
    "admin_code",
    "name_zh",
    "name_en",
    "level",
    "parent_code",
    "case",
    "population_2020",
    "population_2010",
    "area_km2",
    "gdp_2020_100m_cny",
    "seat_lon",
    "seat_lat",
    "source_population",
    "source_quote",
    "note",
]


# Province-level municipalities are also the "city" of the districts under them (渝中区 → 重庆市).
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
_LIST_SEPARATORS = re.compile(r"[、和及与]")


class UnknownPlaceError(KexieError, LookupError):
    """A scope names no known place."""


@dataclass(frozen=True)
class Place:
    """A resolved place: code, names, level, case and the prefecture-level city containing it.

    Examples
    --------
    >>> Place("420500", "宜昌市", "Yichang", "prefecture", None, "420500").level
    'prefecture'
    """

    admin_code: str
    name_zh: str
    name_en: str
    level: str
    case: str | None
    parent_city_code: str | None = None


def short_name(name_zh: str) -> str | None:
    """``湄潭县`` → ``湄潭``; ``None`` when the short form would have fewer than two characters.

    Examples
    --------
    >>> short_name("湄潭县"), short_name("宜昌市"), short_name("藤县")
    ('湄潭', '宜昌', None)
    """
    for suffix in _SUFFIXES:
        if name_zh.endswith(suffix) and len(name_zh) - len(suffix) >= 2:
            return name_zh[: -len(suffix)]
    return None


def read_reference_csv(
    path: Path, required: list[str] | tuple[str, ...] = ("admin_code",), unique: bool = True
) -> pd.DataFrame:
    """Read one reference CSV strictly (UTF-8, text cells); any problem is one error naming the file.

    Examples
    --------
    >>> from kexie_research import config
    >>> read_reference_csv(config.raw_path("reference", "places_extra.csv")).admin_code.tolist()
    ['100000']
    """
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise KexieError(f"{path}: reference file not found") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        detail = " ".join(str(exc).split())
        raise KexieError(f"{path}: malformed CSV (expected UTF-8 with a header row): {detail}") from exc
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise KexieError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(required)}")
    bad = frame.admin_code[~frame.admin_code.str.fullmatch(r"\d{6}")]
    if not bad.empty:
        raise KexieError(f"{path}: admin codes must have 6 digits, found {', '.join(map(repr, bad[:5]))}")
    duplicated = frame.admin_code[frame.admin_code.duplicated()]
    if unique and not duplicated.empty:
        raise KexieError(f"{path}: admin_code(s) listed twice: {', '.join(duplicated[:10])}")
    return frame


_NUMERIC = ("population_2020", "population_2010", "area_km2", "gdp_2020_100m_cny", "seat_lon", "seat_lat")


def _read_reference(raw: Path) -> pd.DataFrame:
    """The project's cited places (``places_2020.csv`` + ``places_extra.csv``), numbers checked."""
    frames = [read_reference_csv(raw / REFERENCE_DIR / name, PLACE_COLUMNS_RAW) for name in PLACE_FILES]
    places = pd.concat(frames, ignore_index=True)
    duplicated = places.admin_code[places.admin_code.duplicated()]
    if not duplicated.empty:
        raise KexieError(f"{raw / REFERENCE_DIR}: admin_code(s) listed twice: {', '.join(duplicated)}")
    for column in _NUMERIC:
        text = places[column].str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        bad = places.admin_code[(text != "") & numbers.isna()]
        if not bad.empty:
            raise KexieError(f"{raw / REFERENCE_DIR}: {column} is not a number for admin_code(s) {', '.join(bad)}")
        places[column] = numbers
    places["parent_code"] = places["parent_code"].replace("", pd.NA)
    return places


PLACE_COLUMNS_RAW = [c for c in PLACE_COLUMNS if c != "case"]


def read_divisions(raw_dir: Path | None = None) -> pd.DataFrame:
    """Every administrative unit known to the project: code, names, level, parent. Build-internal.

    From ``reference/divisions.csv`` when present (all of China), else from the project's cited
    places. Level names are mapped to the project's vocabulary (``区县``/``county-level`` -> ``county``);
    the cited places keep their finer level (``district``, ``county-level city``).

    Examples
    --------
    >>> d = read_divisions()
    >>> d.set_index("admin_code").loc["450400", "name_zh"]
    '梧州市'
    """
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    cited = _read_reference(raw)[DIVISION_COLUMNS]
    path = raw / REFERENCE_DIR / DIVISIONS_FILE
    if not path.is_file():
        frame = cited.copy()
    else:
        frame = read_reference_csv(path, DIVISION_COLUMNS)[DIVISION_COLUMNS]
        frame["level"] = frame["level"].map(lambda level: LEVEL_SYNONYMS.get(level, level))
        frame["parent_code"] = frame["parent_code"].replace("", pd.NA)
        # the cited places are verified one by one: their names and finer levels win
        frame = pd.concat([cited, frame[~frame.admin_code.isin(cited.admin_code)]], ignore_index=True)
    frame["name_en"] = frame["name_en"].fillna("")
    return frame.sort_values("admin_code", ignore_index=True)


def _ancestors(code: str, parent: dict[str, str]) -> list[str]:
    chain, seen = [], set()
    while code and code not in seen:
        seen.add(code)
        chain.append(code)
        code = parent.get(code) or ""
    return chain


def _assign_cases(places: pd.DataFrame, case_of_code: dict[str, str]) -> pd.Series:
    """The case each unit belongs to: itself or an ancestor is a source's place."""
    parent = dict(zip(places.admin_code, places.parent_code.fillna("")))
    cases = []
    for code in places.admin_code:
        cases.append(next((case_of_code[node] for node in _ancestors(code, parent) if node in case_of_code), None))
    return pd.Series(cases, index=places.index, dtype="str")


def read_places(raw_dir: Path | None = None) -> pd.DataFrame:
    """The places the project uses, with their case, census population and seat. Build-internal.

    The cited places of ``places_2020.csv``/``places_extra.csv``, plus every division of the
    division reference that is a case's place, one of its ancestors, or inside it (so that the
    scopes of any case resolve). Not all of China: generic unit names (城区 is a district of several
    cities) would otherwise capture scopes that the texts mean locally. Populations come only from the cited places; elsewhere they are
    missing ("population not available"), never guessed.

    Columns: admin_code, name_zh, name_en, level, parent_code, case,
    population_2020 (Int64), population_2010, area_km2, gdp_2020_100m_cny, seat_lon, seat_lat,
    source_population, source_quote, note. Sorted by admin_code.

    Examples
    --------
    >>> p = read_places().set_index("admin_code")
    >>> p.loc["450406", ["name_zh", "case"]].tolist()
    ['龙圩区', 'wuzhou']
    """
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    cited = _read_reference(raw)
    divisions = read_divisions(raw)
    case_of_code = {entry["admin_code"]: entry["case"] for entry in read_sources(raw)}
    unknown = sorted(set(case_of_code) - set(divisions.admin_code))
    if unknown:
        raise KexieError(
            f"{raw / 'sources.yaml'}: admin_code(s) {', '.join(unknown)} not in the division reference "
            f"({raw / REFERENCE_DIR / DIVISIONS_FILE} or {', '.join(PLACE_FILES)})"
        )
    parent = dict(zip(divisions.admin_code, divisions.parent_code.fillna("")))
    children: dict[str, list[str]] = {}
    for code, up in parent.items():
        if up:
            children.setdefault(up, []).append(code)
    used = set(cited.admin_code)
    for code in case_of_code:
        used.update(_ancestors(code, parent))
        stack = [code]
        while stack:
            node = stack.pop()
            used.add(node)
            stack.extend(children.get(node, []))
    extra = divisions[divisions.admin_code.isin(used - set(cited.admin_code))]
    places = pd.concat([cited, extra.assign(source_population="", source_quote="", note="")], ignore_index=True)
    places["case"] = _assign_cases(places, case_of_code)
    for column in ("population_2020", "population_2010"):
        places[column] = places[column].astype("Int64")
    for column in ("area_km2", "gdp_2020_100m_cny", "seat_lon", "seat_lat"):
        places[column] = places[column].astype("float64")
    for column in ("name_en", "source_population", "source_quote", "note"):
        places[column] = places[column].fillna("")
    return places[PLACE_COLUMNS].sort_values("admin_code", ignore_index=True)


class PlaceResolver:
    """Resolve free-text scopes (``藤县科协``) to places by the most specific name they contain.

    Examples
    --------
    >>> PlaceResolver.from_raw().resolve("湄潭县人民医院科协").admin_code
    '520328'
    """

    def __init__(self, places: pd.DataFrame, aliases: pd.DataFrame | None = None) -> None:
        self.places = places.set_index("admin_code", drop=False)
        self._patterns: list[tuple[str, str]] = []  # (needle, admin_code)
        for row in places.itertuples(index=False):
            self._patterns.append((row.name_zh, row.admin_code))
            short = short_name(row.name_zh)
            if short:
                self._patterns.append((short, row.admin_code))
        self.used_aliases: set[str] = set()
        self.aliases = aliases if aliases is not None else pd.DataFrame(columns=["alias", "admin_code"])
        for row in self.aliases.itertuples(index=False):
            if row.admin_code not in self.places.index:
                raise UnknownPlaceError(f"{ALIASES_FILE}: alias {row.alias!r} points to unknown code {row.admin_code}")
            self._patterns.append((row.alias, row.admin_code))

    @classmethod
    def from_raw(cls, raw_dir: Path | None = None) -> PlaceResolver:
        raw = Path(raw_dir) if raw_dir else config.raw_dir()
        aliases = read_reference_csv(raw / REFERENCE_DIR / ALIASES_FILE, ("alias", "admin_code"), unique=False)
        return cls(read_places(raw), aliases)

    def place(self, admin_code: str) -> Place:
        """The :class:`Place` of a code.

        Examples
        --------
        >>> PlaceResolver.from_raw().place("520328").name_zh
        '湄潭县'
        """
        row = self.places.loc[admin_code]
        case = row["case"] if isinstance(row["case"], str) else None
        return Place(admin_code, row["name_zh"], row["name_en"], row["level"], case, self.parent_city_code(admin_code))

    def parent_city_code(self, admin_code: str) -> str | None:
        """The prefecture-level city (or municipality) containing a place: itself for a prefecture,
        ``None`` for the country and provinces.

        Examples
        --------
        >>> PlaceResolver.from_raw().parent_city_code("520328")
        '520300'
        """
        chain = self._ancestry(admin_code)
        if len(chain) > 1 and chain[-1] in MUNICIPALITIES:
            return chain[-1]
        return next((code for code in chain if self.places.at[code, "level"] == "prefecture"), None)

    def resolve(self, scope_zh: str, case: str | None = None) -> Place:
        """The place of ``scope_zh``; :class:`UnknownPlaceError` if it names none.

        Each listed part (split at 、 和 及 与) resolves to its most specific place; several parts
        resolve to their smallest common ancestor. With ``case``, only the places of that case and the
        places of no case (the country, provinces, cited context places) are candidates: a scope of
        one case never resolves into another case's units. This keeps every case's resolution
        independent of the others: a district name that recurs across China (城区, 新华区 …) found in
        a new case cannot capture the scopes of the existing ones.

        Examples
        --------
        >>> r = PlaceResolver.from_raw()
        >>> r.resolve("藤县科协", case="wuzhou").name_zh
        '藤县'
        """
        allowed = None
        if case is not None:
            cases = self.places["case"]
            allowed = set(self.places.index[cases.isna() | (cases == "") | (cases == case)])
        codes = [code for part in _LIST_SEPARATORS.split(scope_zh) if (code := self._most_specific(part, allowed))]
        if not codes:
            raise UnknownPlaceError(
                f"scope {scope_zh!r} names no known place; expected a place name from "
                f"the division reference (a full name such as 宜昌市 or its short form 宜昌) or an alias in {ALIASES_FILE}"
            )
        chains = [self._ancestry(code) for code in codes]
        common = [code for code in chains[0] if all(code in chain for chain in chains[1:])]
        if not common:
            raise UnknownPlaceError(f"scope {scope_zh!r} lists places with no common parent: {', '.join(codes)}")
        return self.place(common[0])

    def _ancestry(self, code: str) -> list[str]:
        """``code`` and its ancestors, most specific first."""
        chain = []
        while code and code in self.places.index:
            chain.append(code)
            parent = self.places.at[code, "parent_code"]
            code = parent if isinstance(parent, str) else ""
        return chain

    def _most_specific(self, scope_zh: str, allowed: set[str] | None = None) -> str | None:
        matches = [
            (needle, code)
            for needle, code in self._patterns
            if needle and needle in scope_zh and (allowed is None or code in allowed)
        ]
        if not matches:
            return None

        def specificity(match: tuple[str, str]) -> tuple[int, int]:
            needle, code = match
            return LEVEL_DEPTH.get(self.places.at[code, "level"], len(self._ancestry(code))), len(needle)

        needle, code = max(matches, key=specificity)
        if needle in set(self.aliases.get("alias", [])):
            self.used_aliases.add(needle)
        return code

    def unused_aliases(self) -> list[str]:
        """Aliases that resolved nothing in this run (warned about by the build, OWID-style).

        Examples
        --------
        >>> sorted(PlaceResolver.from_raw().unused_aliases())[:1]
        ['全国']
        """
        return sorted(set(self.aliases.get("alias", [])) - self.used_aliases)
