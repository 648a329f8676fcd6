"""parse_quantity reads each distinct text once per process: a repeated text gives the same reading and
the same error, as a fresh Quantity / ParseError each time."""

from __future__ import annotations

import pytest

from kexie_research.errors import ParseError
from kexie_research.parse.quantities import _parse_once, parse_quantity


def test_a_repeated_text_gives_an_equal_but_fresh_quantity() -> None:
    first, second = parse_quantity("近3200余人"), parse_quantity("近3200余人")
    assert first == second and first is not second
    assert (second.value, second.qualifier, second.unit, second.raw) == (3200.0, "approx", "person", "近3200余人")


def test_a_repeated_unparsable_text_raises_the_same_error_each_time() -> None:
    messages = []
    for _ in range(2):
        with pytest.raises(ParseError) as caught:
            parse_quantity("两三到五个")
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and "两三到五个" in messages[0]


def test_the_reading_is_cached_for_str_only() -> None:
    _parse_once.cache_clear()
    parse_quantity("12个")
    parse_quantity("12个")
    assert _parse_once.cache_info().hits == 1
    with pytest.raises(ParseError, match="expected a str"):
        parse_quantity(12)  # type: ignore[arg-type]
    assert _parse_once.cache_info().currsize == 1  # a non-str is read (and refused) without the cache
