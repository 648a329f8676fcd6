"""Tests of the policy-text modules (corpus, tokens, terms, textstats, gathered in kexie_research.analysis.text):
normalisation and offsets, segmentation, counting, KWIC, statistics. The resources themselves (dictionary, lexicon,
layout rules) are checked by the build and tested with its steps."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research import data
from kexie_research.analysis import text, tokens
from kexie_research.analysis.text import Corpus, TextError


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return text.project_corpus()


# --- normalisation ---------------------------------------------------------------------------


@given(st.text(alphabet="科协企业\n。，“”ab 1", max_size=60))
@settings(max_examples=200, deadline=None)
def test_offset_map_points_every_normalised_char_at_its_original(original):
    nt = text.normalise(original)
    assert nt.text == original.replace("\n", "")
    assert all(original[o] == ch for o, ch in zip(nt.offsets, nt.text))
    assert list(nt.offsets) == sorted(set(nt.offsets))


def test_set_aside_span_runs_across_line_breaks_and_is_excluded():
    original = "正文第一\n句。\n标题重\n复\n图片 摄\n"
    nt = text.normalise(original, set_aside=[{"start": "标题重复", "kind": "page_residue", "note": "x"}])
    assert nt.text == "正文第一句。"
    (span,) = nt.set_aside
    assert original[span.start : span.end] == "标题重\n复\n图片 摄\n"
    assert span.kind == "page_residue"


def test_set_aside_with_end_marker_keeps_text_after_it():
    nt = text.normalise("□ 作者\n正文。", set_aside=[{"start": "□ 作者", "end": "□ 作者", "kind": "byline"}])
    assert nt.text == "正文。"
    assert nt.offsets.tolist() == [5, 6, 7]


@pytest.mark.parametrize(
    "rules, message",
    [
        ([{"start": "没有"}], "marker not found"),
        ([{"start": "正文"}], "more than once"),
        ([{"start": "一", "end": "没有"}], "end marker not found"),
        ([{"start": "一"}, {"start": "二"}], "overlaps"),
        ([{"kind": "byline"}], "needs a non-empty 'start'"),
    ],
)
def test_bad_layout_rules_name_the_rule(rules, message):
    with pytest.raises(TextError, match=message) as info:
        text.normalise("正文一二\n正文", source_id="doc", set_aside=rules)
    assert "doc" in str(info.value)


def test_project_layout_sets_aside_captions_banner_and_colophon(corpus):
    wuzhou, rongchang = corpus["wuzhou_article"], corpus["rongchang_report"]
    assert "摄" not in wuzhou.text  # photo captions (徐玉娟 摄, 宾梅莉 摄) are residue
    assert wuzhou.text.rstrip().endswith("可复制可操作的先进经验。")
    assert "龚成钰" not in wuzhou.text
    assert "上在路" not in rongchang.text and "本报记者" not in rongchang.text
    assert rongchang.text.endswith("必将取得更大的成绩。")
    assert corpus["liuzhou_plan"].text.endswith("良好的舆论氛围。")
    assert corpus["chengdu_notes"].truncated and not corpus["zunyi_meeting"].truncated
    for doc in corpus:
        for span in doc.set_aside:
            assert doc.original[span.start : span.end] == span.text
            assert not np.any((doc.offsets >= span.start) & (doc.offsets < span.end))


def test_sentence_bounds_keep_closing_quotes():
    assert text.sentence_bounds("他说：“好。”然后走了！最后") == [(0, 7), (7, 12), (12, 14)]


# --- dictionary, lexicon, tokenizer -------------------------------------------------------------


def test_segmentation_keeps_domain_terms_whole_on_a_known_text():
    tokens = text.segment("推动企业科\n协和园区科协建设，建成科普中国e站和科普e站，落实“3+1+N”和“三长”，坚持党建带科建")
    for term in ["企业科协", "园区科协", "科普中国e站", "科普e站", "3+1+N", "三长", "党建带科建"]:
        assert term in tokens, (term, tokens)


def test_every_domain_term_in_the_documents_is_one_token(corpus):
    terms = data.load_domain_terms()
    tokenizer = text.get_tokenizer()
    split = []
    for doc in corpus:
        toks = text.tokenize(doc, tokenizer)
        for start, end, term in text.find_terms(doc.text, terms):
            pieces = toks[(toks["end"] > start) & (toks["start"] < end)]
            if len(pieces) != 1:
                split.append((doc.source_id, term, pieces["token"].tolist()))
    assert split == []


def test_private_tokenizer_leaves_jieba_global_dictionary_alone():
    import jieba

    text.get_tokenizer()
    jieba.dt.check_initialized()
    assert "党建带科建" not in jieba.dt.FREQ
    assert "科普中国e站" not in jieba.dt.FREQ


def test_tokenizer_is_restored_from_its_cache_file_and_rebuilt_when_the_file_is_bad(tmp_path, monkeypatch):
    dictionary = tmp_path / "terms.txt"
    dictionary.write_text("党建带科建 nz\n科普中国e站\n", encoding="utf-8")
    monkeypatch.setattr(tokens, "_tokenizer_cache_path", lambda key: tmp_path / f"{key}.cache")
    sample = "坚持党建带科建，建成科普中国e站和园区科协"

    def fresh():
        tokens._tokenizer.cache_clear()
        return text.get_tokenizer(dictionary, extra_words=["园区科协"])

    built = fresh()
    stored = list(tmp_path.glob("*.cache"))
    assert len(stored) == 1
    restored = fresh()
    assert restored is not built
    assert restored.FREQ == built.FREQ and restored.total == built.total
    assert restored.lcut(sample) == built.lcut(sample)
    assert {"党建带科建", "科普中国e站", "园区科协"} <= set(restored.lcut(sample))
    stored[0].write_bytes(b"not marshal data")
    rebuilt = fresh()
    assert rebuilt.lcut(sample) == built.lcut(sample)
    # another dictionary, another cache file
    dictionary.write_text("党建带科建 nz\n", encoding="utf-8")
    fresh()
    assert len(list(tmp_path.glob("*.cache"))) == 2
    tokens._tokenizer.cache_clear()


def test_tokenize_with_the_default_tokenizer_equals_an_explicit_one(corpus):
    doc = corpus[corpus.source_ids[0]]
    cached = text.tokenize(doc)
    explicit = text.tokenize(doc, text.get_tokenizer())
    assert cached.equals(explicit)
    assert (cached["offset"].to_numpy() == doc.offsets[cached["start"].to_numpy()]).all()


def test_lexicon_is_valid_and_disjoint():
    lexicon = data.load_lexicon()
    assert not lexicon["term"].duplicated().any()
    assert {"innovation_enterprise", "party_building", "funding"} <= set(lexicon["dimension"])
    assert "企业科协" in text.dimension_terms("innovation_enterprise", lexicon)


def test_unknown_dimension_query_lists_valid_dimensions():
    with pytest.raises(
        TextError, match=r"unknown dimension 'enterprises'; valid: organisation_building, .*innovation_enterprise"
    ):
        text.dimension_terms("enterprises")


# --- counting ------------------------------------------------------------------------------------


def test_find_terms_longest_and_independent():
    assert text.find_terms("企业科协和企业", ["企业", "企业科协"]) == [(0, 4, "企业科协"), (5, 7, "企业")]
    assert [t for *_, t in text.find_terms("企业科协和企业", ["企业", "企业科协"], overlap="independent")] == [
        "企业",
        "企业科协",
        "企业",
    ]
    with pytest.raises(TextError, match="invalid term"):
        text.find_terms("abc", ["a\nb"])
    with pytest.raises(TextError, match="overlap must be"):
        text.find_terms("abc", ["a"], overlap="greedy")


def test_term_frequencies_on_a_small_known_text():
    small = Corpus.from_texts({"a": "企业科\n协和企业。" * 2, "b": "没有。"})
    freq = text.term_frequencies(["企业科协", "企业"], corpus=small).set_index(["source_id", "term"])
    assert freq.loc[("a", "企业科协"), "count"] == 2
    assert freq.loc[("a", "企业"), "count"] == 2
    assert freq.loc[("a", "企业"), "body_chars"] == 16
    assert freq.loc[("a", "企业"), "per_10k_chars"] == pytest.approx(1e4 * 2 / 16)
    assert freq.loc[("b", "企业"), "count"] == 0
    assert "genre" in freq.attrs["caveat"]


def test_emphasis_counts_add_up_to_lexicon_hits():
    small = Corpus.from_texts({"a": "推动企业科协建设，加强党建带科建，落实经费。"})
    counts = text.emphasis_counts(corpus=small).set_index("dimension")["count"]
    assert counts["innovation_enterprise"] == 1  # 企业科协, not also 企业
    assert counts["party_building"] == 1  # 党建带科建, not also 党建
    assert counts["funding"] == 1
    assert counts.sum() == 3


# --- KWIC and offsets ------------------------------------------------------------------------------


def test_kwic_offsets_point_into_the_original_file():
    small = Corpus.from_texts({"a": "推动企业科\n协建设。企业科协118个。"})
    hits = text.kwic("企业科协", corpus=small)
    assert hits[["offset", "orig_end", "line_break_inside"]].values.tolist() == [[2, 7, True], [10, 14, False]]
    assert hits["original_span"].tolist() == ["企业科\n协", "企业科协"]
    assert hits["sentence"].tolist() == ["推动企业科协建设。", "企业科协118个。"]


@pytest.mark.parametrize("term", ["党建带科建", "企业科协", "三长", "科技工作者之家", "全覆盖"])
def test_kwic_on_the_documents_recovers_each_term_from_the_original(corpus, term):
    hits = text.kwic(term, corpus=corpus)
    assert len(hits) > 0
    for row in hits.itertuples():
        original = corpus[row.source_id].original
        span = original[row.offset : row.orig_end]
        assert span.replace("\n", "") == term
        assert (original[row.offset : row.offset + len(term)] == term) == (not row.line_break_inside)
        assert term in row.sentence
        assert original[row.sentence_offset] == row.sentence[0]


def test_kwic_finds_a_term_broken_by_a_layout_line_break(corpus):
    hits = text.kwic("党建带科建", corpus=corpus, source_ids=["wuzhou_article"])
    assert hits["line_break_inside"].any()


def test_kwic_can_search_the_set_aside_residue(corpus):
    body = text.kwic("摄", corpus=corpus, source_ids="wuzhou_article")
    full = text.kwic("摄", corpus=corpus, source_ids="wuzhou_article", include_set_aside=True)
    assert len(body) == 0 and len(full) == 3


def test_unknown_source_id_is_named(corpus):
    with pytest.raises(TextError, match="unknown source_id 'nowhere'; valid: wuzhou_article"):
        text.kwic("科协", corpus=corpus, source_ids=["nowhere"])


# --- statistics --------------------------------------------------------------------------------------


def test_wilson_interval_matches_the_formula():
    low, high = text.wilson_interval(5, 10)
    z = 1.959963984540054
    centre = (5 + z * z / 2) / (10 + z * z)
    half = z * math.sqrt(0.25 * 10 + z * z / 4) / (10 + z * z)
    assert (low, high) == pytest.approx((centre - half, centre + half))


def test_exact_homogeneity_test_equals_fisher_for_two_documents():
    from scipy.stats import fisher_exact

    hits, sizes = [7, 1], [40, 50]
    expected = fisher_exact([[7, 33], [1, 49]])[1]
    assert text.exact_homogeneity_test(hits, sizes)["p_value"] == pytest.approx(expected, rel=1e-9)
    simulated = text.exact_homogeneity_test(hits, sizes, max_tables=0, n_sim=20_000)
    assert "Monte Carlo" in simulated["method"]
    assert simulated["p_value"] == pytest.approx(expected, abs=0.01)


def test_exact_homogeneity_test_rejects_impossible_counts():
    with pytest.raises(TextError, match="between 0 and the sizes"):
        text.exact_homogeneity_test([5, 1], [3, 10])


def test_rate_tests_on_small_texts_flag_the_concentrated_term():
    small = Corpus.from_texts(
        {"a": "企业科协" * 30 + "其他内容。" * 10, "b": "其他内容。" * 40, "c": "企业科协。" + "其他内容。" * 30}
    )
    table = text.term_rate_table(["企业科协"], corpus=small)
    assert table.set_index("source_id").loc["a", "hits"] == 30
    assert table["expected_if_length_only"].sum() == pytest.approx(table["hits"].sum())
    tests = text.term_rate_tests(["企业科协"], corpus=small)
    assert tests["test"].tolist() == [
        "chi-square homogeneity",
        "exact homogeneity",
        "Fisher exact 2x2",
        "Fisher exact 2x2",
    ]
    assert tests.loc[1, "p_value"] < 1e-6
    assert tests["comparison"].iloc[2] == "a vs b"
    assert (tests["p_holm"].iloc[2:] >= tests["p_value"].iloc[2:]).all()
    assert "independent" in tests.attrs["caveat"]


def test_distinctive_terms_rank_a_document_own_words_first():
    small = Corpus.from_texts(
        {
            "a": "园区科协服务民营企业。" * 8 + "科技工作者参加活动。" * 4,
            "b": "乡村振兴培训农民。" * 8 + "科技工作者参加活动。" * 4,
        }
    )
    top = text.distinctive_terms(corpus=small, min_count=2, top=3)
    first = top[top["rank"] == 1].set_index("source_id")["term"]
    assert first["a"] in {"园区科协", "民营企业", "服务"}
    assert first["b"] in {"乡村振兴", "农民", "培训"}
    assert "科技工作者" not in set(top.loc[top["z"] > 1, "term"])


# --- notebook 40 -------------------------------------------------------------------------------------


def _notebook(name: str):
    import json

    from kexie_research.config import notebooks_dir

    path = notebooks_dir() / name
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_notebook_40_is_committed_clean_with_one_parameters_cell():
    _, nb = _notebook("40_policy_text.ipynb")
    cells = nb["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    source = "".join(tagged[0]["source"]) if tagged else ""
    assert len(tagged) == 1 and "dimension =" in source and "terms =" in source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in cells if c["cell_type"] == "code")


@pytest.mark.slow
def test_notebook_40_runs_under_papermill(tmp_path, monkeypatch):
    import papermill

    path, _ = _notebook("40_policy_text.ipynb")
    monkeypatch.setenv("KEXIE_FIGURE_DIR", str(tmp_path / "figures"))
    out = tmp_path / "40_policy_text.ipynb"
    papermill.execute_notebook(
        str(path),
        str(out),
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
        parameters={"dimension": "funding", "terms": ["经费", "预算"]},
    )
    assert (tmp_path / "figures" / "40_emphasis_heatmap.png").is_file()
    assert (tmp_path / "figures" / "40_query_terms_rate.svg").is_file()
    assert "Evidence sentences" in out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_notebook_40_rejects_an_unknown_dimension(tmp_path):
    import papermill

    path, _ = _notebook("40_policy_text.ipynb")
    with pytest.raises(
        papermill.PapermillExecutionError, match="unknown dimension 'enterprise'; valid: organisation_building"
    ):
        papermill.execute_notebook(
            str(path),
            str(tmp_path / "out.ipynb"),
            kernel_name="python3",
            cwd=str(tmp_path),
            progress_bar=False,
            parameters={"dimension": "enterprise"},
        )
