"""Cited reference tables: national benchmarks of frame indicators and the seats of all provincial units."""

from pathlib import Path

import pandas as pd
import pytest

from kexie_research.steps.codebook import read_codebook
from kexie_research.steps.places import read_divisions
from kexie_research.steps.reference_tables import (
    BENCHMARKS,
    PROVINCIAL_SEATS,
    ReferenceTableError,
    benchmarks_step,
    provincial_seats_step,
)


def _table(raw: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(raw / "reference" / name, dtype=str, keep_default_na=False)


def _write(raw: Path, name: str, frame: pd.DataFrame) -> Path:
    path = raw / "reference" / name
    frame.to_csv(path, index=False)
    return path


def test_benchmarks_are_frame_indicators_in_their_unit_with_the_value_in_the_quote():
    codebook = read_codebook()
    table = benchmarks_step(None, codebook)
    assert table.year.dtype == "int64" and table.value.dtype == "float64"
    assert set(table.frame_indicator) <= set(codebook.frame.index)
    for row in table.itertuples():
        assert row.unit == codebook.frame.loc[row.frame_indicator, "unit"]


def test_every_provincial_unit_has_a_cited_seat_inside_it():
    import geopandas as gpd

    from kexie_research import data

    divisions = read_divisions()
    seats = provincial_seats_step(None, divisions)
    assert set(seats.admin_code) == set(divisions.loc[divisions.level == "province", "admin_code"])
    provinces = data.load_boundaries("provinces").set_index("admin_code")
    points = gpd.points_from_xy(seats.lon, seats.lat)
    for code, point in zip(seats.admin_code, points):
        assert provinces.loc[code].geometry.buffer(0.02).contains(point), code


BAD_BENCHMARKS = [
    (lambda f: f.assign(frame_indicator=["nope"] + list(f.frame_indicator[1:])), "unknown frame indicator 'nope'"),
    (lambda f: f.assign(unit=["CNY"] + list(f.unit[1:])), "unit 'CNY' differs from the frame indicator's unit"),
    (lambda f: f.assign(year=["18"] + list(f.year[1:])), "year must be a calendar year"),
    (lambda f: f.assign(value=["four"] + list(f.value[1:])), "value must be a number"),
    (lambda f: f.assign(value=["9.99"] + list(f.value[1:])), "is not written in its source_quote"),
    (lambda f: f.assign(source_url=[""] + list(f.source_url[1:])), "needs an http(s) source_url"),
    (lambda f: pd.concat([f, f.iloc[:1]]), "benchmark_id listed twice"),
    (lambda f: f.drop(columns="source_quote"), "missing column(s) source_quote"),
]


@pytest.mark.parametrize(("change", "message"), BAD_BENCHMARKS, ids=[m[1][:30] for m in BAD_BENCHMARKS])
def test_a_bad_benchmark_is_one_error_naming_the_file_and_row(raw_copy: Path, change, message: str):
    path = _write(raw_copy, BENCHMARKS, change(_table(raw_copy, BENCHMARKS)))
    with pytest.raises(ReferenceTableError) as caught:
        benchmarks_step(raw_copy, read_codebook(raw_copy))
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


BAD_SEATS = [
    (lambda f: f.iloc[1:], "no seat for provincial-level unit(s) 110000"),
    (lambda f: f.assign(admin_code=["341021"] + list(f.admin_code[1:])), "is not a provincial-level unit"),
    (lambda f: f.assign(lon=["east"] + list(f.lon[1:])), "lon/lat must be decimal degrees"),
    (lambda f: f.assign(lat=["95"] + list(f.lat[1:])), "is not a WGS84 longitude/latitude pair"),
    (lambda f: f.assign(lon=["116.5"] + list(f.lon[1:])), "lon/lat are not written in the source_quote"),
    (lambda f: f.assign(licence=[""] + list(f.licence[1:])), "seat_zh, seat_en and licence are required"),
    (lambda f: pd.concat([f, f.iloc[:1]]), "admin_code listed twice"),
]


@pytest.mark.parametrize(("change", "message"), BAD_SEATS, ids=[m[1][:30] for m in BAD_SEATS])
def test_a_bad_seat_is_one_error_naming_the_file_and_row(raw_copy: Path, change, message: str):
    path = _write(raw_copy, PROVINCIAL_SEATS, change(_table(raw_copy, PROVINCIAL_SEATS)))
    with pytest.raises(ReferenceTableError) as caught:
        provincial_seats_step(raw_copy, read_divisions(raw_copy))
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_a_missing_table_is_named(raw_copy: Path):
    (raw_copy / "reference" / BENCHMARKS).unlink()
    with pytest.raises(ReferenceTableError, match=r"national_benchmarks.csv: reference table not found"):
        benchmarks_step(raw_copy, read_codebook(raw_copy))


def test_the_distance_to_the_provincial_capital_is_computed_for_a_place_of_any_province():
    from kexie_research.analysis.geo.distances import distance_pairs, policy_distances

    divisions = read_divisions()
    counties = divisions[divisions.level == "county"].groupby(divisions.parent_code.str[:2]).head(1)
    cases = pd.DataFrame(
        {
            "case": [f"c{code}" for code in counties.admin_code],
            "admin_code": counties.admin_code,
            "level": "county",
            "province_code": counties.admin_code.str[:2] + "0000",
        }
    )
    distances = policy_distances(distance_pairs(cases, pairs=pd.DataFrame(columns=["pair_id"])))
    assert len(distances) == len(cases) > 20
    assert distances.km.notna().all() and (distances.km > 0).all()
    assert distances.precision.str.contains("cited provincial seat").any()
