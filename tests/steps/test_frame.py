"""The frame of cross-place indicators in the codebook: structure checks and the link of every indicator."""

from pathlib import Path

import pytest
import yaml

from kexie_research.steps.codebook import CodebookError, read_codebook


def _edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_every_indicator_names_a_frame_indicator_or_says_why_not():
    cb = read_codebook()
    assert {"frame", "frame_note"} <= set(cb.indicators.columns)
    mapped = cb.indicators[cb.indicators.frame != "none"]
    assert set(mapped.frame) <= set(cb.frame.index)
    assert (cb.indicators.loc[cb.indicators.frame == "none", "frame_note"].str.strip() != "").all()
    # like with like: a mapped indicator has its frame indicator's unit
    assert (mapped.unit.values == cb.frame.loc[mapped.frame, "unit"].values).all()
    # every frame indicator cites sources that the codebook lists, each with a URL and a quote
    cited = {source for sources in cb.frame.sources for source in sources.split(";")}
    assert cited <= set(cb.frame_sources.index)
    assert cb.frame_sources.url.str.startswith(("http://", "https://")).all()
    assert (cb.frame_sources.quote.str.len() > 0).all()


def test_the_frame_follows_the_national_survey_categories():
    cb = read_codebook()
    standards = " ".join(cb.frame.standard)
    for category in ("科普人员", "科普场地", "科普经费", "科普传媒", "科普活动"):
        assert category in standards


def test_processed_codebook_carries_the_frame(tmp_path: Path):
    from kexie_research.build import codebook_table

    table = codebook_table(read_codebook())
    assert {"frame", "frame_zh", "frame_en", "frame_note"} <= set(table.columns)
    row = table.set_index("id").loc["science_popularisation_funding_per_capita"]
    assert row.frame == "kepu_funding_per_capita" and row.frame_zh == "人均科普专项经费"


# (change of the real codebook's text, what the one-line error must say)
BAD_FRAMES = [
    (
        lambda t: _edit(t, "    frame: township_kexie\n", "    frame: township_kexi\n"),
        "unknown frame indicator 'township_kexi'; valid: township_kexie",
    ),
    (
        lambda t: _edit(t, "    frame: township_kexie\n", ""),
        "lacks frame (a frame indicator id, or none with a frame_note",
    ),
    (
        lambda t: _edit(t, "    frame: township_kexie\n", "    frame: kepu_funding\n"),
        "unit 'organisation' differs from the unit 'CNY' of frame indicator 'kepu_funding'",
    ),
    (lambda t: _edit(t, "    frame: township_kexie\n", "    frame: none\n"), "frame: none needs a frame_note"),
    (
        lambda t: _edit(t, "    frame: township_kexie\n", "    frame: none\n    frame_note: [a]\n"),
        "frame_note must be text",
    ),
    (
        lambda t: _edit(t, "    category: kexie_organisation\n", "    category: kexie_org\n"),
        "unknown category 'kexie_org'",
    ),
    (
        lambda t: _edit(t, "    sources: [kexie_yearbook_gz, cast_coverage_fj]\n", "    sources: [yearbook]\n"),
        "unknown source(s) yearbook",
    ),
    (
        lambda t: _edit(t, "  - id: township_kexie_coverage\n", "  - id: township_kexie\n"),
        "(township_kexie): duplicate id",
    ),
    (lambda t: _edit(t, "  - id: township_kexie_coverage\n", "  - id: Township-Coverage\n"), "id must be snake_case"),
    (
        lambda t: _edit(
            t, "    unit: percent\n    definition: Townships", "    unit: percent_x\n    definition: Townships"
        ),
        "unknown unit 'percent_x'",
    ),
    (lambda t: _edit(t, "\nframe:\n", "\nold_frame:\n"), "`frame` must be a non-empty list of frame indicators"),
    (lambda t: _edit(t, "\nframe_sources:\n", "\nold_sources:\n"), "`frame_sources` must be a non-empty mapping"),
    (
        lambda t: _edit(t, "\nframe_categories:\n", "\nold_categories:\n"),
        "`frame_categories` must be a non-empty mapping",
    ),
    (
        lambda t: _edit(t, "    url: http://m.mydoc123.com/p-390883.html\n", "    url: mydoc123\n"),
        "url must start with http",
    ),
    (
        lambda t: _edit(
            t,
            "  kepu_media: {zh: 科普传媒, en: Science-popularisation media, standard: 全国科普统计 科普传媒}\n",
            "  kepu_media: {zh: 科普传媒}\n",
        ),
        "frame_categories.kepu_media must be a mapping with text zh, en and standard",
    ),
    (lambda t: _edit(t, "    counts: 乡镇科协", "    counts_old: 乡镇科协"), "(township_kexie) lacks counts"),
    (
        lambda t: _edit(t, "    terms: [乡镇科协,", "    terms: 乡镇科协\n    old_terms: ["),
        "(township_kexie): terms must be a list of words",
    ),
    (
        lambda t: _edit(t, "    not_terms: [园区科协,", "    not_terms: [园区;科协,"),
        "(township_kexie): not_terms must be a list of words (text without ';')",
    ),
]


def test_terms_and_not_terms_are_optional_and_written_joined(raw_copy: Path):
    path = raw_copy / "codebook.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    terms: [乡镇科协,")
    path.write_text(
        text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8"
    )  # township_kexie without terms
    frame = read_codebook(raw_copy).frame
    assert frame.loc["township_kexie", "terms"] == ""
    assert frame.loc["township_kexie", "not_terms"].split(";")[0] == "园区科协"


@pytest.mark.parametrize(("change", "message"), BAD_FRAMES, ids=[m[1][:40] for m in BAD_FRAMES])
def test_a_bad_frame_is_one_error_naming_the_file(raw_copy: Path, change, message: str):
    path = raw_copy / "codebook.yaml"
    text = change(path.read_text(encoding="utf-8"))
    yaml.safe_load(text)  # the change keeps the YAML well-formed: the check under test is the frame's
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        read_codebook(raw_copy)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)
