"""Boundaries found untested by the fresh mutation draw of seed 4242 (its figure was recorded first).

The coming years take N from 1 to MAX_RECENT_YEARS, both ends included; a negative number in running
text starts its mention at 负 and its number after it.
"""

from __future__ import annotations

import pytest

from kexie_research.parse.periods import MAX_RECENT_YEARS, parse_period
from kexie_research.parse.quantities import find_quantities


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("今后1年", "2021-12-31"),
        ("未来一年", "2021-12-31"),
        ("此后一年内", "2021-12-31"),
        (f"今后{MAX_RECENT_YEARS}年", "2120-12-31"),
    ],
)
def test_the_coming_years_take_n_from_one_to_the_maximum_both_included(text, end):
    period = parse_period(text, reference_date="2021-05-10")
    assert (period.kind, period.start, period.end, period.resolved) == ("coming_years", "2021-01-01", end, True)


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [("全年净增负3人，下降明显", "负3人", -3.0), ("增速为負5%", "負5%", -5.0)],
)
def test_a_negative_mention_starts_at_fu_and_its_number_after_it(text, mention, value):
    (found,) = find_quantities(text)
    assert found.text == mention and found.quantity is not None and found.quantity.value == value
    assert found.start == text.index(mention[0]) and found.number_start == found.start + 1
