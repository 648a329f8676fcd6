"""Checks of the LIVE data (``data/``), with every expectation read from the data itself.

Every other test runs on the frozen fixture dataset (``tests/fixtures/dataset``, see the root
``conftest.py``) and may hard-code what it knows about it. This module is the exception: it checks
the repository's own ``data/raw`` and the committed ``data/processed`` — whatever places they hold —
so it must never hard-code a count, a case key or a figure. It passes after a researcher adds a place
by the README procedure (``tests/test_add_a_place.py`` proves it on a temporary copy).

The live folder is ``config.repo_root() / "data"`` (never ``KEXIE_DATA_DIR``, which the test session
points at the fixture); ``KEXIE_LIVE_DATA_DIR`` points these checks at another data folder.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from kexie_research import config

from live_data import live_data_dir


@pytest.fixture(scope="module")
def live() -> Path:
    data = live_data_dir()
    assert (data / "raw" / config.MANIFEST).is_file(), f"{data / 'raw'} holds no {config.MANIFEST}"
    return data


@pytest.fixture(scope="module")
def fresh(live: Path, tmp_path_factory: pytest.TempPathFactory):
    """A fresh build of the live data/raw into a temp folder: (BuildResult, folder)."""
    from kexie_research.build import build

    out = tmp_path_factory.mktemp("live-processed")
    return build(raw_dir=live / "raw", out_dir=out, echo=None), out


@pytest.fixture(scope="module")
def manifest(live: Path) -> list[dict]:
    return yaml.safe_load((live / "raw" / config.MANIFEST).read_text(encoding="utf-8"))["sources"]


def _table(live: Path, key: str) -> pd.DataFrame:
    return pd.read_csv(config.processed_path(key, live / "processed"), dtype=str, keep_default_na=False)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------------------
# data/raw passes every check, and the committed data/processed is what the build makes of it
# ------------------------------------------------------------------------------------------------
def test_every_coded_row_passes_every_check(fresh):
    """What `kexie validate` checks: no coded row of the live data is quarantined."""
    result, _ = fresh
    assert result.quarantine.empty, "quarantined rows (run `kexie validate`):\n" + "\n".join(
        result.quarantine["reason"]
    )


def test_committed_processed_data_is_up_to_date(live, fresh):
    """data/processed/ is exactly what `kexie build` makes of data/raw now (every file, every byte)."""
    _, out = fresh
    committed, produced = _files(live / "processed"), _files(out)
    assert sorted(committed) == sorted(produced), "data/processed/ differs in its files: run `kexie build`"
    stale = [name for name, content in produced.items() if committed[name] != content]
    assert stale == [], f"stale files in data/processed (run `kexie build`): {stale}"


# ------------------------------------------------------------------------------------------------
# Counts and keys, each read from data/raw and compared with data/processed
# ------------------------------------------------------------------------------------------------
def test_every_coded_row_is_processed_or_quarantined(live, manifest):
    sheets = live / "raw" / config.SHEETS_DIR
    coded = sum(
        len(pd.read_csv(sheets / f"{entry['source_id']}.csv", dtype=str, keep_default_na=False))
        for entry in manifest
        if (sheets / f"{entry['source_id']}.csv").is_file()
    )
    processed, quarantined = len(_table(live, "indicators")), len(_table(live, "quarantine"))
    assert coded == processed + quarantined and coded > 0, (coded, processed, quarantined)
    assert _table(live, "indicators")["record_id"].is_unique


def test_cases_are_the_cases_of_the_manifest(live, manifest):
    named = list(dict.fromkeys(entry["case"] for entry in manifest))
    cases = _table(live, "cases")
    assert cases["case"].tolist() == named
    assert set(_table(live, "indicators")["case"]) <= set(named)
    knowledge = yaml.safe_load((live / "raw" / config.CASES).read_text(encoding="utf-8")) or {}
    assert {entry["case"] for entry in knowledge.get("cases") or []} <= set(named), (
        "cases.yaml names a case no source has"
    )
    for row in cases.itertuples():  # every case lists exactly its documents
        assert row.source_ids.split(";") == [e["source_id"] for e in manifest if e["case"] == row.case], row.case


def test_documents_are_the_documents_of_the_manifest(live, manifest):
    documents = pd.read_parquet(config.processed_path("documents", live / "processed"))
    assert documents["source_id"].tolist() == [entry["source_id"] for entry in manifest]
    for entry, text in zip(manifest, documents["text"]):
        assert text == (live / "raw" / config.DOCUMENTS_DIR / entry["file"]).read_text(encoding="utf-8"), entry["file"]


def test_the_datapackage_names_every_case(live, manifest):
    import json

    descriptor = json.loads(config.processed_path("datapackage", live / "processed").read_text(encoding="utf-8"))
    n_cases = len({entry["case"] for entry in manifest})
    assert f" {n_cases} case(s) " in descriptor["description"]


# ------------------------------------------------------------------------------------------------
# Provenance: every quote is where its offset says, in its own document
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "column"), [("indicators", "quote"), ("timeline", "quote"), ("features", "evidence_quote")]
)
def test_every_quote_is_at_its_offset(live, key, column):
    from kexie_research.parse.provenance import locate_quote

    texts = pd.read_parquet(config.processed_path("documents", live / "processed")).set_index("source_id")["text"]
    table = _table(live, key)
    misplaced = []
    for row in table.itertuples():
        offset, quote = int(row.quote_offset), getattr(row, column)
        if offset < 0 and not quote:  # a feature coded unknown carries no quote
            continue
        if locate_quote(quote, texts[row.source_id]) != offset:
            misplaced.append((row.source_id, offset, quote[:40]))
    assert misplaced == []
    assert len(table) > 0 or key != "indicators"


# ------------------------------------------------------------------------------------------------
# Hand-written summaries of the data agree with it
# ------------------------------------------------------------------------------------------------
def test_features_readme_overview_matches_the_sheet(live):
    """data/raw/features_README.md shows the coding at a glance, one row per coded case; no drift."""
    from kexie_research.analysis.features import feature_matrix

    features = _table(live, "features")
    features["value"] = pd.to_numeric(features["value"].replace("", None))
    lines = (live / "raw" / "features_README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|  | "))
    header = [c.strip() for c in lines[start].strip("|").split("|")][1:]
    rows = [line for line in lines[start + 2 :] if line.startswith("|")]
    rows = rows[: next((i for i, line in enumerate(lines[start + 2 :]) if not line.startswith("|")), len(rows))]
    matrix = feature_matrix(features, use_labels=True)
    kinds = features.pivot(index="case", columns="label", values="evidence_kind")
    names = dict(zip(_table(live, "cases")["case_en"].str.lower(), _table(live, "cases")["case"]))
    shown = []
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        place = names.get(cells[0].lower(), cells[0].lower())
        shown.append(place)
        for label, cell in zip(header, cells[1:]):
            value = matrix.loc[place, label]
            expected = (
                "?" if pd.isna(value) else (f"{value:.1f}" if label == "COVER_FS" and value == 1 else f"{value:g}")
            )
            expected += "†" if kinds.loc[place, label] == "planned" else ""
            assert cell == expected, (place, label, cell, expected)
    coded = set(features.loc[features["known"] == "True", "case"])  # a case without any coded feature may be left out
    assert coded <= set(shown) <= set(matrix.index), "features_README.md must show every case that features.csv codes"
