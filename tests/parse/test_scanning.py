"""scan() gives exactly finditer's matches; first_characters() is a superset of every match's first character."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.parse.quantities import _scanner
from kexie_research.parse.scanning import first_characters, scan

# Characters that start, continue and break numbers, with ordinary words between them.
_ALPHABET = (
    "0123456789０５,.，．一二两三十百千万亿几数半上成负負多余个人元年月日%％对双副—-至约近超过以上统唯 科协全市县，。\n"
)

PATTERNS = [
    re.compile(r"(?:负|負)?(?:[0-9]{1,3}|[一二三十]+)(?:个|人)?"),
    re.compile(r"(?:[0-9]+|[一二]+)(?=个)"),
    re.compile(r"(?<=共)[0-9]+个"),  # a look-behind sees the text before the position tried
    re.compile(r"(?:约|近)?[0-9]+(?:万|亿)?元"),
    re.compile(r"\d+年"),  # \d: every Unicode decimal digit (０５ too)
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.pattern for p in PATTERNS])
@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=80))
def test_scan_gives_the_matches_of_finditer(pattern: re.Pattern[str], text: str) -> None:
    assert first_characters(pattern) is not None
    assert [m.span() for m in scan(pattern, text)] == [m.span() for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=120))
def test_scan_of_the_quantity_scanner_gives_its_finditer_matches(text: str) -> None:
    candidate = _scanner()[0]
    assert [m.span() for m in scan(candidate, text)] == [m.span() for m in candidate.finditer(text)]


def test_the_quantity_scanner_has_known_first_characters() -> None:
    # Without them scan() falls back to finditer: still right, but the jump is lost.
    chars = first_characters(_scanner()[0])
    assert chars is not None and {"3", "三", "负", "半"} <= chars and "科" not in chars


@pytest.mark.parametrize(
    "pattern",
    [r"\w+", r".个", r"[^，]+", r"a?", r"(?i)k个", r"(a)?\1x", r"[\u0000-\uffff]x", r"(?:x|)"],
)
def test_unknown_first_characters_fall_back_to_finditer(pattern: str) -> None:
    compiled = re.compile(pattern)
    assert first_characters(compiled) is None
    text = "aa12个x，kK个"
    assert [m.span() for m in scan(compiled, text)] == [m.span() for m in compiled.finditer(text)]


def test_first_characters_of_a_pattern_with_an_optional_prefix_and_a_look_ahead() -> None:
    pattern = re.compile(r"(?:负)?(?![零])[0-9一]+")
    assert first_characters(pattern) == frozenset("负0123456789一")
