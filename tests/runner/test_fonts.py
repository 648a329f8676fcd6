"""The reports' CJK font subset: the same characters give the same file, however they are given."""

from __future__ import annotations

from fontTools.ttLib import TTFont
import io

from kexie_research.runner import fonts


def _cmap(data: bytes) -> set[str]:
    return {chr(code) for code in TTFont(io.BytesIO(data)).getBestCmap()}


def test_the_same_characters_give_the_same_bytes_in_any_form():
    assert fonts.subset_font("科协科") == fonts.subset_font({"协", "科"}) == fonts.subset_font(["科", "协"])


def test_a_subset_holds_its_characters_and_the_basic_set_and_no_other():
    one, other = _cmap(fonts.subset_font("科协")), _cmap(fonts.subset_font("梧州"))
    assert {"科", "协"} <= one and {"梧", "州"} <= other
    assert "梧" not in one and "科" not in other
    assert {c for c in fonts.BASIC_SET if c.isprintable() and c.strip()} <= one


def test_the_opentype_flavour_is_not_served_from_the_woff2_one():
    assert fonts.subset_font("科协")[:4] == b"wOF2"
    assert fonts.subset_font("科协", flavor=None)[:4] == b"OTTO"
    assert fonts.subset_font("科协")[:4] == b"wOF2"
