"""The fast NFKC path gives exactly ``unicodedata.normalize("NFKC", …)``, on every kind of text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.parse.normal_form import nfkc

# Characters whose NFKC interacts with their neighbours or with the fast path: full-width forms,
# the ideographic space, combining marks, Hangul jamo and syllables (which compose), compatibility
# ideographs and enclosed forms (which expand), ASCII and CJK.
_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S", "Z"),
) | st.sampled_from(
    [
        "（",
        "）",
        "：",
        "２",
        "Ａ",
        "\u3000",
        "\u0301",
        "\u0308",
        "e",
        "\u1100",
        "\u1161",
        "\u11a8",
        "가",
        "ﬁ",
        "①",
        "㈠",
        "⾦",
        "\uf900",
        "科",
        "协",
        "ｶ",
        "\uff9e",
    ]
)


@given(st.text(alphabet=_ALPHABET, max_size=40))
@settings(max_examples=800, deadline=None)
def test_nfkc_is_unicode_nfkc(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(
    "text",
    [
        "发布时间：２０２１－０６－１５",  # full-width forms only: the replacement path
        "县科协（筹）成立于2020年",  # already NFKC but for the brackets
        "ｶﾞ",  # a half-width kana and its voicing mark compose into one character
        "e\uff0e\u0301",  # a combining mark after a replaced full stop: normalised as a whole
        "⾦⼊",  # radicals expand to unified ideographs
        "",
    ],
)
def test_nfkc_on_forms_that_change(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_keeps_normalised_text_itself() -> None:
    text = "梧州市科协2020年培训3000人"
    assert nfkc(text) is text
