"""The goal's year of a deadline, a five-year plan's last year and a year written alone."""

from __future__ import annotations

import pytest

from kexie_research.errors import ParseError
from kexie_research.parse.periods import PERIOD_CUE_RE, parse_period


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # a deadline naming a year is that year's goal (the coding rules: 到2020年 -> the target year)
        ("到2030年", None, ("2030-01-01", "2030-12-31", True, "target")),
        ("至2030年底", None, ("2030-01-01", "2030-12-31", True, "target")),
        ("2030年末以前", None, ("2030-01-01", "2030-12-31", True, "target")),
        ("到明年年底前", "2019-06-01", ("2020-01-01", "2020-12-31", True, "target")),
        # a deadline inside a year keeps an open start: the goal is for that month, not the year
        ("到2030年9月", None, (None, "2030-09-30", True, "target")),
        ("到2030年9月底", None, (None, "2030-09-30", True, "target")),
        # as of a year's end is the state at that date, not a year's figure
        ("截至2030年底", None, (None, "2030-12-31", False, "as_of")),
        # the last year of a five-year plan (“十三五”末 -> 2020)
        ("十二五末", None, ("2015-01-01", "2015-12-31", False, "year")),
        ("到“十二五”末", None, ("2015-01-01", "2015-12-31", True, "target")),
        # a year in Arabic digits written alone (a table's column header)
        ("1999", None, ("1999-01-01", "1999-12-31", False, "year")),
        ("２０１９", None, ("2019-01-01", "2019-12-31", False, "year")),
    ],
)
def test_goal_years(text: str, reference: str | None, expected: tuple) -> None:
    period = parse_period(text, reference)
    assert (period.start, period.end, period.is_target, period.kind) == expected


@pytest.mark.parametrize("text", ["999", "21000", "3000", "1899"])
def test_a_number_outside_the_calendar_range_is_no_year(text: str) -> None:
    with pytest.raises(ParseError, match="not a recognised period"):
        parse_period(text)


def test_a_deadline_at_the_end_of_a_relative_year_is_one_cue() -> None:
    flat = "到今年年底前，全县将建成站点30个；到明年年末，再建20个"
    cues = [m.group() for m in PERIOD_CUE_RE.finditer(flat)]
    assert cues[0] == "到今年年底前"
    assert "到明年年末" in cues
    assert parse_period(cues[0], "2024-05-01").start == "2024-01-01"
