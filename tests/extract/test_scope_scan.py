"""The scope finder's name scan finds what a scan of every position finds (the longest known name at
each position, left to right, names not overlapping): its quick search skips only positions where no
name starts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.extract.scope import ScopeFinder

_FINDER = ScopeFinder.from_data()
_NAMES = sorted(_FINDER._words)[::97] + ["梧州市", "梧州", "藤县", "全县", "县科协", "宜昌市", "点军区"]


def _every_position(finder: ScopeFinder, flat: str) -> list[tuple[int, int, str]]:
    # The scan tried at every position (no quick search): what the quick search must leave unchanged.
    found, taken = [], 0
    for position in range(len(flat)):
        if position < taken:
            continue
        for length in finder._lengths.get(flat[position : position + 2], ()):
            if position + length <= len(flat) and flat[position : position + length] in finder._words:
                found.append((position, position + length, flat[position : position + length]))
                taken = position + length
                break
    return found


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.one_of(st.sampled_from(_NAMES), st.text(alphabet="的科协市县全州梧藤，。3个", max_size=3)), max_size=12
    )
)
def test_the_scan_finds_the_longest_name_at_each_position(parts: list[str]) -> None:
    flat = "".join(parts)
    _FINDER._scanned.clear()
    assert _FINDER._scan(flat) == _every_position(_FINDER, flat)


class _Index:
    """A division index of two names, one of a single character."""

    def names(self) -> list[str]:
        return ["Ω", "梧州"]


def test_the_quick_search_needs_no_second_character_when_a_name_has_one_character() -> None:
    assert "(?=" not in ScopeFinder(_Index())._starts.pattern  # type: ignore[arg-type]
    assert "(?=" in _FINDER._starts.pattern


_GLOSSES = ["(xié)", "(jīng)", "（guó）", "(zhǎng)"]


@settings(max_examples=100, deadline=None)
@given(
    parts=st.lists(st.one_of(st.sampled_from(_NAMES), st.text(alphabet="的科协市县，。3个", max_size=3)), max_size=8),
    glosses=st.lists(st.tuples(st.integers(min_value=1, max_value=60), st.sampled_from(_GLOSSES)), max_size=5),
)
def test_pinyin_glosses_after_characters_change_no_name_found(parts: list[str], glosses) -> None:
    flat = "".join(parts)
    glossed = flat
    for position, gloss in sorted(glosses, reverse=True):  # after a character, as a conversion leaves them
        if position <= len(glossed) and "\u4e00" <= glossed[position - 1] <= "\u9fff":
            glossed = glossed[:position] + gloss + glossed[position:]
    plain = _FINDER.names(flat)
    read = _FINDER.names(glossed)
    assert [name for _, _, name in read] == [name for _, _, name in plain]
    for start, end, name in read:  # each span covers its name in the glossed text, glosses left out
        span = glossed[start:end]
        for gloss in _GLOSSES:
            span = span.replace(gloss, "")
        assert span == name
