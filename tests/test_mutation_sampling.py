"""``make mutation``'s bookkeeping (scripts/mutation.py): the sample it draws, the mutants it leaves out, its score."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from collections import Counter
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "mutation.py"
_spec = importlib.util.spec_from_file_location("kexie_mutation", SCRIPT)
mutation = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = mutation
_spec.loader.exec_module(mutation)

NAMES = [f"pkg.mod.x_f__mutmut_{n}" for n in range(1, 101)]


def test_a_sample_is_every_kth_sorted_name_from_a_seeded_offset_and_the_same_on_every_run():
    drawn = mutation.sample(list(reversed(NAMES)), 10, seed=21)
    assert len(drawn) == 10 and drawn == mutation.sample(NAMES, 10, seed=21)
    ordered = sorted(NAMES)
    positions = [ordered.index(name) for name in drawn]
    assert {b - a for a, b in itertools.pairwise(positions)} == {10}
    assert 0 <= positions[0] < 10


def test_another_seed_draws_another_offset_and_a_sample_of_one_is_everything():
    offsets = {sorted(NAMES).index(mutation.sample(NAMES, 10, seed=seed)[0]) for seed in range(20)}
    assert len(offsets) > 1
    assert mutation.sample(NAMES, 1, seed=5) == sorted(NAMES)


def test_equivalent_mutants_are_read_with_their_reasons(tmp_path):
    listing = tmp_path / "equivalent.md"
    listing.write_text(
        "# title\n\n- `pkg.mod.x_f__mutmut_3`: no power of two lies between 4096 and 4097.\n"
        "- `pkg.mod.x_g__mutmut_1`:\nnot a line of the list\n",
        encoding="utf-8",
    )
    assert mutation.equivalent_mutants(listing) == {
        "pkg.mod.x_f__mutmut_3": "no power of two lies between 4096 and 4097."
    }
    assert mutation.equivalent_mutants(tmp_path / "missing.md") == {}


def test_every_listed_equivalent_mutant_of_the_project_gives_a_reason():
    listed = mutation.equivalent_mutants()
    assert listed, "scripts/mutation_equivalent.md lists no mutant"
    for name, reason in listed.items():
        assert name.startswith("kexie_research") and len(reason.split()) >= 5, name


def test_the_score_leaves_out_equivalent_and_not_run_mutants_and_says_how_it_was_sampled():
    counts = Counter({"killed": 55, "timeout": 2, "survived": 3, "equivalent": 2, "not run": 1200})
    assert mutation.score_line("qca", counts, 20, 21) == (
        "qca: 57 / 60 (95.0 %) killed; 2 equivalent left out; sampled 1 in 20 (seed 21)"
    )
    assert mutation.score_line("qca", Counter(killed=3, survived=1), 1, 0) == "qca: 3 / 4 (75.0 %) killed; full run"
    assert mutation.score_line("qca", Counter(), 1, 0) == "qca: 0 / 0 (-) killed; full run"


def test_a_grammar_mutant_is_named_by_its_module_and_its_changed_line():
    original = 'X = (\n    "a",\n    "b",\n)'
    assert mutation.grammar_key("m.py", original, original.replace('"b"', '"XXbXX"')) == 'm.py: "b", -> "XXbXX",'
    assert mutation.grammar_key("m.py", "LIMIT = 99", "LIMIT = 100") == "m.py: LIMIT = 99 -> LIMIT = 100"


def test_the_original_statement_is_numbered_as_the_mutator_numbers_statements():
    source = '"""Doc."""\nimport re\n\nA = 1\nB = (\n    "x",\n)\n'
    assert mutation.original_statement(source, 3) == 'B = (\n    "x",\n)\n'
