import pandas as pd
import pytest

from kexie_research.steps.places import read_places
from kexie_research.steps.places import PlaceResolver, UnknownPlaceError, short_name


@pytest.fixture(scope="module")
def resolver() -> PlaceResolver:
    return PlaceResolver.from_raw()


def test_places_cover_the_five_cases_with_codes_and_census():
    places = read_places().set_index("admin_code")
    assert places.loc["450400", "name_zh"] == "梧州市"
    assert places.loc["500153", "population_2020"] == 668977
    assert places.loc["520328", "case"] == "zunyi"  # Meitan belongs to the Zunyi case
    assert places.loc["500153", "case"] == "rongchang"
    assert pd.isna(places.loc["450000", "case"])  # a province is no case
    assert pd.isna(places.loc["450422", "population_2020"])  # unverified stays empty
    assert places.index.str.fullmatch(r"\d{6}").all()


@pytest.mark.parametrize(
    ("scope", "code"),
    [
        ("藤县科协", "450422"),
        ("龙圩区科协", "450406"),
        ("梧州市其他县（市、区）科协", "450400"),
        ("重庆市荣昌区", "500153"),  # the most specific place wins
        ("湄潭县人民医院科协", "520328"),
        ("全国", "100000"),
        ("四川省", "510000"),
        ("柳州科技馆新馆", "450200"),  # short name 柳州
        ("清江镇河中村晏家房子小院", "500153"),  # alias with evidence
    ],
)
def test_scopes_resolve_to_the_most_specific_place(resolver, scope, code):
    assert resolver.resolve(scope).admin_code == code


def test_unknown_place_is_a_clear_error(resolver):
    with pytest.raises(UnknownPlaceError, match="names no known place"):
        resolver.resolve("火星科协")


def test_short_names_never_shorter_than_two_characters():
    assert short_name("藤县") is None
    assert short_name("湄潭县") == "湄潭"
    assert short_name("广西壮族自治区") == "广西"
    assert short_name("道真仡佬族苗族自治县") == "道真"


@pytest.mark.parametrize(
    ("code", "parent_city"),
    [
        ("450422", "450400"),
        ("450400", "450400"),
        ("500153", "500000"),
        ("520328", "520300"),
        ("510000", None),
        ("100000", None),
    ],
)
def test_parent_city_of_a_place(resolver, code, parent_city):
    assert resolver.parent_city_code(code) == parent_city
