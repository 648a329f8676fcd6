"""Property-based: on any text, every candidate row is traceable to the text as given."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.extract import Extractor
from kexie_research.extract.classify import KINDS
from kexie_research.parse.provenance import locate_quote, normalise_for_matching

_PIECES = [
    "梧州市",
    "藤县科协",
    "全国",
    "全市",
    "2020年",
    "近3年",
    "截至目前",
    "力争",
    "将",
    "由目前的",
    "提高至",
    "51",
    "20.52",
    "三",
    "一",
    "两",
    "万",
    "元",
    "个",
    "名",
    "次",
    "％",
    "以上",
    "多",
    "近",
    "约",
    "、",
    "，",
    "。",
    "“",
    "”",
    "（",
    "）",
    "第",
    "号",
    "〔2017〕",
    "+",
    "科普",
    "经费",
    "建成",
    " ",
    "\n",
    "\n\n",
]
_EXTRACTOR = Extractor.from_data()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_every_row_is_traceable_to_the_text(text):
    flat = normalise_for_matching(text)
    previous = -1
    for row in _EXTRACTOR.extract_text(text, place_code="450400"):
        # The quote matches the document under the project's rule and holds the raw text.
        assert locate_quote(row["quote"], text) is not None
        assert row["raw_text"] in row["quote"]
        # The offset points at the raw text in the file as given (line breaks skipped).
        offset = row["offset"]
        assert 0 <= offset < len(text) and text[offset] != "\n"
        assert normalise_for_matching(text[offset:]).startswith(row["raw_text"])
        assert offset > previous  # in order of the text, one row per mention
        previous = offset
        assert row["kind"] in KINDS
        assert 0.0 <= row["confidence"] <= 1.0
        assert row["status"] in ("achieved", "target")
    assert flat == normalise_for_matching(text)
