"""Suggestions against the frame of cross-place indicators: terms next to the number, unit, context, the
case-specific suggestion, and empty rather than wrong when unsure."""

import pandas as pd
import pytest

from kexie_research.extract.suggest import FrameSuggester, frame_terms


@pytest.fixture(scope="module")
def suggester() -> FrameSuggester:
    return FrameSuggester.from_data()


@pytest.mark.parametrize(
    ("clause", "raw", "unit", "expected"),
    [
        ("全县共建立乡镇科协14个", "14个", "count", "township_kexie"),
        ("建成14个乡镇（园区）科协", "14个", "count", "grassroots_kexie"),  # parks included: not township kexie
        ("在42家企业建立企业科协，企业科协6家", "6家", "count", "enterprise_kexie"),
        ("人均科普经费达到3.5元", "3.5元", "CNY", "kepu_funding_per_capita"),
        ("科普经费人均只有0.6元", "0.6元", "CNY", "kepu_funding_per_capita"),
        ("全市30多个科普E站累计开机", "30多个", "count", "kepu_e_stations"),
        ("累计发放各类资料8000多份", "8000多份", "item", "kepu_media_outputs"),
        ("有73名镇街科协“三长”", "73名", "person", "three_heads_in_leadership"),
    ],
)
def test_the_term_next_to_the_number_names_the_frame_indicator(suggester, clause, raw, unit, expected):
    assert suggester.suggest(clause, raw, unit)[0] == expected


@pytest.mark.parametrize(
    ("clause", "raw", "unit", "why"),
    [
        ("天气晴朗，气温25度", "25度", "count", "no term"),
        ("人均科普经费达到3.5元", "3.5元", "person", "a unit the frame indicator does not accept"),
        ("乡镇科协14个", "14个", None, "no parsed unit"),
    ],
)
def test_empty_rather_than_wrong_when_unsure(suggester, clause, raw, unit, why):
    assert suggester.suggest(clause, raw, unit)[0] == "", why


@pytest.mark.parametrize(
    ("clause", "raw", "unit", "why"),
    [
        ("新建升级65个农技协、60个科普示范基地", "60个", "count", "a change, not a stock"),
        ("市科协机关编制精简工勤人员１名", "１名", "person", "a change, not a stock"),
        ("全市20个行政区（市）县均已建立园区科协", "20个", "count", "a count of places"),
    ],
)
def test_none_where_the_number_is_about_nothing_of_the_frame(suggester, clause, raw, unit, why):
    assert suggester.suggest(clause, raw, unit) == ("none", 0.9), why


def test_the_case_specific_suggestion_alone_is_not_enough(suggester):
    # alone, a keyword suggestion whose indicator maps to a frame indicator stays below the bar
    assert suggester.suggest(
        "荣昌区21个镇街全部实现", "21个", "count", indicator_id="township_kexie_count", indicator_score=0.8
    ) == ("", 0.3)
    # beside a term of its frame indicator a few words away, a strong one raises it a step
    assert suggester.suggest("共有12个市级和县级科普教育基地", "12个", "count") == ("kepu_bases", 0.75)
    assert suggester.suggest(
        "共有12个市级和县级科普教育基地",
        "12个",
        "count",
        indicator_id="science_popularisation_base_count",
        indicator_score=0.8,
    ) == ("kepu_bases", 0.9)
    # an indicator that maps to none gives nothing
    assert suggester.suggest("某地5家", "5家", "count", indicator_id="gdp", indicator_score=1.0)[0] == ""


def test_two_frame_indicators_alike_give_nothing():
    frame = pd.DataFrame(
        {"id": ["a", "b"], "zh": ["甲乙丙", "甲乙丁"], "unit": ["organisation"] * 2, "counts": ["科协组织", "科协组织"]}
    ).set_index("id", drop=False)
    tie = FrameSuggester(frame, {}, lambda frame_unit, unit: True)
    assert tie.suggest("共有科协组织5个", "5个", "count") == ("", 0.9)


def test_terms_come_from_the_codebook_and_shared_short_terms_are_dropped():
    from kexie_research.steps.codebook import read_codebook

    terms = frame_terms(read_codebook().frame)
    assert "乡镇园区科协" in terms["grassroots_kexie"] and "科普e站" in terms["kepu_e_stations"]
    assert all("科普" not in found for found in terms.values())
    # without a terms column: the counts' and label's words, less short words shared by several
    derived = frame_terms(read_codebook().frame.drop(columns=["terms"]))
    assert "乡镇科协" in derived["township_kexie"]
    assert all("科普" not in found for found in derived.values())  # shared two-character term: says nothing


def test_the_draft_carries_the_frame_suggestion_and_the_sheet_drops_it():
    from kexie_research.extract.draft import DRAFT_ONLY_COLUMNS, Extractor

    rows = Extractor.from_data().extract_text("截至2023年底，全市共建立乡镇科协14个。", place_code="450400")
    fact = next(row for row in rows if row["raw_text"] == "14个")
    assert (fact["frame_indicator"], fact["frame_confidence"]) == ("township_kexie", 0.9)
    assert {"frame_indicator", "frame_confidence"} <= set(DRAFT_ONLY_COLUMNS)
    year = next(row for row in rows if row["raw_text"].startswith("2023"))
    assert year["frame_indicator"] == "" and year["frame_confidence"] is None
