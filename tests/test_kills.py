"""Kills at random moments of every command that writes into data/raw or a draft (issue 20.3, 20.4, 20.7).

Each command runs in a forked child (``tests/support/kills.py``) killed with SIGKILL after a random
delay; half of the runs also stretch each step of a write (``KEXIE_TEST_WRITE_PAUSE``) so that kills
land between the steps too, the other half use plain timing. After every kill the files are the old
ones or the new ones, byte for byte; never a part of a sheet, a draft or an add-source.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from kills import digest, random_delays, restore, run_child, snapshot, timed_run

from kexie_research.build import build
from kexie_research.journal import JOURNAL_NAME, repair_before_reading
from kexie_research.schemas.indicators import SHEET_COLUMNS

pytestmark = pytest.mark.slow

KILLS = 40  # per command, as issue 20 asks: half at plain random moments, half inside the write
PAUSE = "0.02"


def _runs(seed: int, plain_span: float, write_span: float) -> list[tuple[float, dict[str, str], bool]]:
    """``(delay, environment, in_write)``: half the kills at a random moment of a whole run
    (``[0, plain_span]``), half at a random moment after the first temporary file appears, each
    step of the write stretched by ``KEXIE_TEST_WRITE_PAUSE`` (``[0, write_span]``)."""
    half = KILLS // 2
    plain = [(delay, {}, False) for delay in random_delays(half, plain_span, seed)]
    inside = [
        (delay, {"KEXIE_TEST_WRITE_PAUSE": PAUSE}, True) for delay in random_delays(KILLS - half, write_span, seed + 1)
    ]
    return plain + inside


def _temporary_in(*folders: Path):
    return lambda: any(next(folder.glob(".*.kexie-tmp"), None) for folder in folders)


def _draft(rows: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", *SHEET_COLUMNS])
    for i in range(rows):
        writer.writerow(
            [
                "fact",
                f"DR-{i:06d}",
                "kexie_staff_count",
                "梧州市科协",
                "city",
                f"{i}人",
                "2020年",
                "achieved",
                f"梧州市科协有工作人员{i}人，合成测试文本",
                "SYNTHETIC",
            ]
        )
    return out.getvalue()


def test_to_sheet_replace_killed_at_random_leaves_the_old_or_the_new_sheet(raw_copy: Path, tmp_path: Path):
    data = raw_copy.parent
    sheet = raw_copy / "indicators" / "wuzhou_article.csv"
    old = sheet.read_bytes()
    draft = tmp_path / "draft.csv"
    draft.write_text(_draft(20_000), encoding="utf-8")  # a sheet of ~2 MB: its write takes a while
    env = {"KEXIE_DATA_DIR": str(data)}
    argv = ["extract", "--to-sheet", str(draft), "-o", str(sheet), "--replace", "--prefix", "WZ"]
    writing = _temporary_in(sheet.parent)
    plain, _ = timed_run(argv, env)
    new = sheet.read_bytes()
    assert new != old and new.count(b"\n") == 20_001
    _, write = timed_run(argv, {**env, "KEXIE_TEST_WRITE_PAUSE": PAUSE}, writing)
    outcomes = {"old": 0, "new": 0, "finished": 0, "mid-write": 0}
    for delay, extra, inside in _runs(3, plain * 1.3, write * 1.3):
        sheet.write_bytes(old)
        status = run_child(argv, {**env, **extra}, kill_after=delay, writing=writing if inside else None)
        now = sheet.read_bytes()
        assert now in (old, new), f"after a kill at {delay:.3f} s the sheet has {len(now)} bytes, neither old nor new"
        if status is None:
            outcomes["new" if now == new else "old"] += 1
        else:
            assert status == 0 and now == new
            outcomes["finished"] += 1
        assert not [p for p in sheet.parent.glob("*.csv") if p.name.startswith(".")]
        strays = list(sheet.parent.glob(".*.kexie-tmp"))
        outcomes["mid-write"] += bool(strays)  # killed while the new sheet was being written
        for stray in strays:
            stray.unlink()
    print("to-sheet kills:", outcomes)
    assert outcomes["old"] >= 5 and outcomes["mid-write"] >= 5 and outcomes["new"] + outcomes["finished"] >= 1, outcomes
    sheet.write_bytes(old)
    assert build(raw_dir=raw_copy, write=False, echo=None).quarantine.empty  # leftover temporary files are harmless


def test_extract_killed_at_random_leaves_no_partial_draft_or_errors_file(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "2020年，全市建成科普e站30个，培训农民3200余人，科协工作经费26万元。\n" * 10
    for i in range(20):
        (corpus / f"doc_{i:03d}.txt").write_text(text, encoding="utf-8")
    (corpus / "zz_bad.txt").write_bytes(b"\xff\xff not text")  # undecodable: an errors file is written
    draft, errors = tmp_path / "draft.csv", tmp_path / "draft.errors.csv"
    argv = ["extract", str(corpus), "-o", str(draft), "--workers", "1", "--code", "450400", "--no-progress"]
    assert run_child(argv) == 1  # one document failed: exit status 1, both files written
    new_draft, new_errors = draft.read_bytes(), errors.read_bytes()
    old_draft, old_errors = b"an earlier draft\n", b"document,error\n"
    writing = _temporary_in(tmp_path)
    plain, _ = timed_run(argv, expect=1)
    _, write = timed_run(argv, {"KEXIE_TEST_WRITE_PAUSE": PAUSE}, writing, expect=1)
    outcomes = {"old": 0, "new": 0, "mid-write": 0}
    for number, (delay, extra, inside) in enumerate(_runs(7, plain * 1.3, write * 1.3)):
        if number % 2:  # half of the runs start without a draft, half over an earlier one
            draft.write_bytes(old_draft)
            errors.write_bytes(old_errors)
        else:
            draft.unlink(missing_ok=True)
            errors.unlink(missing_ok=True)
        before = (draft.read_bytes() if draft.exists() else None, errors.read_bytes() if errors.exists() else None)
        run_child(argv, extra, kill_after=delay, writing=writing if inside else None)
        after = (draft.read_bytes() if draft.exists() else None, errors.read_bytes() if errors.exists() else None)
        assert after[0] in (before[0], new_draft), f"kill at {delay:.3f} s: a draft of {len(after[0] or b'')} bytes"
        assert after[1] in (before[1], new_errors), (
            f"kill at {delay:.3f} s: an errors file of {len(after[1] or b'')} bytes"
        )
        outcomes["new" if after[0] == new_draft else "old"] += 1
        strays = list(tmp_path.glob(".*.kexie-tmp"))
        outcomes["mid-write"] += bool(strays)  # killed while the draft or errors file was being written
        for stray in strays:
            stray.unlink()
    print("extract kills:", outcomes)
    assert outcomes["old"] >= 3 and outcomes["mid-write"] >= 5 and outcomes["new"] >= 1, outcomes


@pytest.fixture()
def raw(raw_copy: Path) -> Path:
    divisions = raw_copy / "reference" / "divisions.csv"
    if not divisions.is_file():
        divisions.write_bytes((Path(__file__).parent / "fixtures" / "divisions_hubei.csv").read_bytes())
    return raw_copy


def _validates(raw: Path, seen: dict[str, bool]) -> bool:
    """``kexie validate`` of ``raw`` (once per distinct state: the same bytes validate the same way)."""
    key = digest(snapshot(raw))
    if key not in seen:
        seen[key] = build(raw_dir=raw, write=False, echo=None).quarantine.empty
    return seen[key]


def test_add_source_killed_at_random_leaves_the_old_or_the_new_data_raw(raw: Path, tmp_path: Path):
    document = tmp_path / "doc.txt"
    document.write_text("宜昌市科协（合成测试文本）。\n", encoding="utf-8")
    env = {"KEXIE_DATA_DIR": str(raw.parent)}
    argv = ["add-source", str(document), "--code", "420500", "--title-zh", "宜昌市科协"]
    old = snapshot(raw)
    writing = _temporary_in(raw, raw / "documents", raw / "indicators")
    plain, _ = timed_run(argv, env)
    new = snapshot(raw)
    assert set(new) - set(old) and (raw / "sources.yaml").read_bytes() != old["sources.yaml"]
    restore(raw, old)
    _, write = timed_run(argv, {**env, "KEXIE_TEST_WRITE_PAUSE": PAUSE}, writing)
    assert snapshot(raw) == new
    restore(raw, old)
    validated: dict[str, bool] = {}
    assert _validates(raw, validated)
    outcomes = {"old": 0, "new": 0, "repaired": 0, "finished": 0}
    for delay, extra, inside in _runs(11, plain * 1.1, write * 1.2):
        status = run_child(argv, {**env, **extra}, kill_after=delay, writing=writing if inside else None)
        if status is not None:
            assert status == 0, "a retry after a killed add-source must succeed"
            outcomes["finished"] += 1
        outcomes["repaired"] += bool(repair_before_reading(raw))  # what build and validate do first
        state = snapshot(raw)
        assert state in (old, new), (
            f"kill at {delay:.3f} s: data/raw is neither the old nor the new state: "
            + ", ".join(sorted(set(state) ^ set(old)) + sorted(k for k in old if k in state and state[k] != old[k]))
        )
        assert not (raw / JOURNAL_NAME).exists()
        assert _validates(raw, validated), f"kill at {delay:.3f} s: validate fails"
        if state == new:
            outcomes["new"] += 1
            restore(raw, old)  # the next run adds it again
        else:
            outcomes["old"] += 1  # the next run is the retry
    print("add-source kills:", outcomes, "distinct states validated:", len(validated))
    assert outcomes["old"] >= 5 and outcomes["new"] >= 5 and outcomes["repaired"] >= 1, outcomes
    # validate itself repairs: a killed run followed by `kexie validate` (no add-source in between)
    run_child(argv, {**env, "KEXIE_TEST_WRITE_PAUSE": PAUSE}, kill_after=5 * float(PAUSE), writing=writing)
    assert build(raw_dir=raw, write=False, echo=None).quarantine.empty
    assert snapshot(raw) in (old, new)


def test_two_add_sources_at_once_both_land(raw: Path, tmp_path: Path):
    import os
    import signal
    import time

    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("宜昌市科协（合成测试文本）。\n", encoding="utf-8")
    second.write_text("夷陵区科协（合成测试文本）。\n", encoding="utf-8")
    env = {"KEXIE_DATA_DIR": str(raw.parent), "KEXIE_TEST_WRITE_PAUSE": "0.01"}
    old = snapshot(raw)
    for attempt in range(10):
        restore(raw, old)
        children = []
        for document, code in ((first, "420500"), (second, "420506")):
            pid = os.fork()
            if pid == 0:
                os._exit(run_child(["add-source", str(document), "--code", code], env) or 0)
            children.append(pid)
        deadline = time.monotonic() + 120
        statuses = []
        for pid in children:
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    statuses.append(os.waitstatus_to_exitcode(status))
                    break
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    raise AssertionError("two add-sources at once did not finish within 120 s")
                time.sleep(0.01)
        assert statuses == [0, 0], f"attempt {attempt}: exit statuses {statuses}"
        from kexie_research.steps.sources import read_sources

        cases = [entry["case"] for entry in read_sources(raw)]
        assert {"yichang", "yiling"} <= set(cases), f"attempt {attempt}: a manifest entry was lost: {cases}"
        sheets = {p.name for p in (raw / "indicators").glob("*.csv")}
        assert {"yichang_document.csv", "yiling_document.csv"} <= sheets
        documents = sorted(p.name for p in (raw / "documents").glob("*.txt"))
        assert len(documents) == len({name[:3] for name in documents})  # no number taken twice
    assert build(raw_dir=raw, write=False, echo=None).quarantine.empty
