"""The scanner's first characters of an atomic group (``(?>…)``, Python 3.11+), a planted bug would lose.

An atomic group starts with what its body starts with; without that rule the pattern would fall back
to a full ``finditer`` (no first characters), slower but with the same matches.
"""

from __future__ import annotations

import re

from kexie_research.parse.scanning import first_characters, scan


def test_an_atomic_group_starts_with_the_first_characters_of_its_body():
    pattern = re.compile(r"(?>约|近)[0-9]+人")
    assert first_characters(pattern) == frozenset({"约", "近"})
    assert [m.group() for m in scan(pattern, "约5人与近6人，共11人")] == ["约5人", "近6人"]


def test_an_optional_atomic_group_adds_the_characters_after_it():
    pattern = re.compile(r"(?>约)?[0-9]人")
    characters = first_characters(pattern)
    assert characters is not None and {"约", "5"} <= characters
    assert [m.group() for m in scan(pattern, "约5人和6人")] == ["约5人", "6人"]
