"""The build end to end on the test dataset (the coding-sheet step has its own tests in tests/steps).

That the committed data/processed is up to date with data/raw is a check of the live data:
tests/test_live_data.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kexie_research.build import build


# ------------------------------------------------------------------------------------------------
# The frozen test dataset (tests/fixtures/dataset)
# ------------------------------------------------------------------------------------------------
def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def test_two_builds_are_byte_identical(built, tmp_path):
    _, first = built
    build(out_dir=tmp_path, echo=None)
    first_files, second_files = _files(first), _files(tmp_path)
    assert list(first_files) == list(second_files) and len(first_files) >= 19
    for name, content in first_files.items():
        assert content == second_files[name], name


def test_processed_files_have_ordinary_modes(built):
    import os

    _, fresh = built
    mask = os.umask(0)
    os.umask(mask)
    for path in fresh.rglob("*"):
        expected = 0o777 if path.is_dir() else 0o666
        assert path.stat().st_mode & 0o777 == expected & ~mask, path.name


def test_datapackage_is_valid_frictionless(built):
    frictionless = pytest.importorskip("frictionless")
    _, out = built
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {r["path"] for r in descriptor["resources"]} | {"datapackage.json"} == files
    assert {"indicators", "cases", "distance_pairs", "timeline", "features", "documents"} <= {
        r["name"] for r in descriptor["resources"]
    }
    assert "5 case(s)" in descriptor["description"]
    # Frictionless reads CSV and text; the boundary layers (GeoParquet + origin.yaml) are checked by the geo step.
    descriptor["resources"] = [r for r in descriptor["resources"] if not r["path"].startswith("geo/")]
    report = frictionless.Package(descriptor, basepath=str(out)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_interrupted_write_leaves_previous_file_intact(built, tmp_path, monkeypatch):
    _, _out = built
    target = tmp_path / "out"
    build(out_dir=target, echo=None)
    before = (target / "indicators.parquet").read_bytes()

    def explode(self, *args, **kwargs):
        raise KeyboardInterrupt("killed mid-write")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", explode)
    with pytest.raises(KeyboardInterrupt):
        build(out_dir=target, echo=None)
    assert (target / "indicators.parquet").read_bytes() == before
    assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no temp files left behind


# ------------------------------------------------------------------------------------------------
# The DAG and the schemas
# ------------------------------------------------------------------------------------------------
def test_steps_run_after_what_they_need():
    from kexie_research.build import STEPS, step_order

    order = step_order()
    for step in STEPS:
        assert all(order.index(need) < order.index(step.name) for need in step.needs), step.name
    assert set(order) == {step.name for step in STEPS}


def test_a_cycle_or_a_duplicate_output_is_refused():
    from kexie_research.build import Step, step_order
    from kexie_research.errors import KexieError

    noop = lambda ctx: {}  # noqa: E731
    with pytest.raises(KexieError, match="cycle"):
        step_order((Step("a", noop, (), ("b",), ("x",)), Step("b", noop, (), ("a",), ("y",))))
    with pytest.raises(KexieError, match="produced by two steps"):
        step_order((Step("a", noop, (), (), ("x",)), Step("b", noop, (), (), ("x",))))


def test_a_step_reading_an_undeclared_input_fails_naming_it():
    from kexie_research.build import Step, run_step
    from kexie_research.errors import KexieError

    places = Step("places", lambda inputs: {"places": "p", "resolver": "r"}, (), (), ("places",), ("resolver",))
    codebook = Step("codebook", lambda inputs: {"parsed_codebook": "c"}, (), (), (), ("parsed_codebook",))
    reads_codebook = Step("cases", lambda inputs: {"cases": inputs["parsed_codebook"]}, (), ("places",), ("cases",))
    steps = {step.name: step for step in (places, codebook, reads_codebook)}
    produced = {"raw": Path("raw"), "places": "p", "resolver": "r", "parsed_codebook": "c"}
    with pytest.raises(
        KexieError, match=r"build step 'cases' reads 'parsed_codebook', which the steps it needs \(places\)"
    ):
        run_step(reads_codebook, produced, steps)
    reads_needed = Step(
        "cases", lambda inputs: {"cases": inputs["resolver"] + inputs["places"]}, (), ("places",), ("cases",)
    )
    assert run_step(reads_needed, produced, steps) == {"cases": "rp"}


def test_a_step_must_return_exactly_what_it_declares_and_cannot_write_its_inputs():
    from kexie_research.build import Step, run_step
    from kexie_research.errors import KexieError

    def writes(inputs):
        inputs["shared"] = 1
        return {"x": 1}

    cases = [
        (Step("a", lambda inputs: {"x": 1, "y": 2}, (), (), ("x",)), r"build step 'a' returned undeclared 'y'"),
        (Step("a", lambda inputs: {}, (), (), ("x",), ("z",)), r"returned missing 'x', 'z'; it declares outputs \(x\)"),
        (Step("a", writes, (), (), ("x",)), r"build step 'a' writes 'shared' into its inputs"),
    ]
    for step, message in cases:
        with pytest.raises(KexieError, match=message):
            run_step(step, {"raw": Path("raw")}, {"a": step})


def test_the_real_steps_read_only_what_they_declare(built):
    """Every step of the build runs through run_step: the build passing is the check of their declarations."""
    from kexie_research.build import STEPS

    result, _ = built
    assert set(result.tables) == {key for step in STEPS for key in step.outputs} | {"datapackage"}
    assert not {key for step in STEPS for key in step.provides} & set(result.tables)  # shared objects are not files


def test_every_processed_table_passes_its_schema_and_a_broken_one_is_named(built):
    from kexie_research.build import tables
    from kexie_research.schemas.table import SchemaError

    result, _ = built
    declared = tables()
    for key in ("cases", "distance_pairs", "places", "timeline", "features", "documents", "lexicon"):
        declared[key].validate(result.tables[key])
    broken = result.tables["cases"].copy()
    broken.loc[0, "colour"] = "blue"
    with pytest.raises(SchemaError, match="processed table 'cases' fails its schema"):
        declared["cases"].validate(broken)
