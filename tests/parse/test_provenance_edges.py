"""Number boundaries at the edges of a quote: position 0, the end, a number occurring twice (issue 21, item 6)."""

from __future__ import annotations

import pytest

from kexie_research.parse.provenance import check_raw_text, find_number


def test_raw_text_at_position_zero_is_found_even_when_the_quote_ends_in_a_digit():
    # at position 0 there is no character before; the quote's last character (a digit) must not be read as one
    assert find_number("5个", "5个站点、共15") == 0
    assert find_number("五个", "五个站点共十五") == 0


def test_raw_text_at_the_end_of_its_quote_is_found():
    assert find_number("20", "3家单位共有20") == 6
    assert find_number("二十", "三家单位共有二十") == 6


@pytest.mark.parametrize(
    ("needle", "text"),
    [
        ("2", "共25个"),  # ends in a digit, the number goes on with a digit
        ("2", "共2.5万"),  # … with a decimal point
        ("1,2", "共1,234人"),  # … with a thousands separator's digits
        ("三", "共三十人"),  # … with a Chinese numeral
        ("5", "共5万人"),  # … with a multiplier
    ],
)
def test_raw_text_ending_in_a_digit_inside_a_longer_number_is_not_found(needle, text):
    assert find_number(needle, text) is None


def test_a_number_occurring_twice_is_found_at_its_first_standalone_occurrence():
    assert find_number("3个", "3个和3个") == 0
    assert find_number("3个", "13个、3个、3个") == 4  # the first occurrence is inside 13个
    assert find_number("3个", "13个、23个") is None  # every occurrence is inside a longer number


def test_raw_text_that_does_not_start_or_end_with_a_numeral_ignores_its_neighbours():
    assert find_number("个3", "1个35") is None  # ends in a numeral: 35 goes on
    assert find_number("约3", "5约3人") == 1  # starts with 约: the 5 before does not matter


def test_the_message_quotes_at_most_sixty_characters_of_the_quote():
    quote = "长" * 70 + "8"
    message = check_raw_text("9", quote)
    assert message == f"raw_text '9' does not occur in its quote {'长' * 60!r} (outside a longer number)"


def test_an_empty_raw_text_is_never_found():
    assert find_number("", "共3个") is None
    assert check_raw_text("", "共3个") is not None


def test_a_quote_not_found_is_named_by_its_first_sixty_characters():
    from kexie_research.errors import ProvenanceError
    from kexie_research.parse.provenance import check_row

    quote = "甲" * 60 + "乙"
    with pytest.raises(ProvenanceError) as caught:
        check_row(quote=quote, raw_text="1", document="别的文字", where="s.csv row 2")
    assert (
        str(caught.value) == f"s.csv row 2: quote not found in the document (after removing line breaks): {'甲' * 60!r}"
    )
