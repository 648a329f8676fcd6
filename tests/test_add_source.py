"""`kexie add-source`: checks before writing, never overwrites, resolves the place from the reference."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kexie_research.add_source import AddSourceError, add_source, plan, resolve_division
from kexie_research.cli import main
from kexie_research.steps.sources import read_sources

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture()
def raw(raw_copy: Path) -> Path:
    divisions = raw_copy / "reference" / "divisions.csv"
    if not divisions.is_file():
        divisions.write_bytes((FIXTURES / "divisions_hubei.csv").read_bytes())
    with divisions.open("a", encoding="utf-8") as handle:  # two units of one name, for the ambiguity check
        handle.write("990101,新城区,Xincheng,district,990100\n990201,新城区,Xincheng,district,990200\n")
    return raw_copy


def _document(tmp_path: Path, content: bytes = "宜昌市科协（合成测试文本）。\n".encode()) -> Path:
    path = tmp_path / "doc.txt"
    path.write_bytes(content)
    return path


def _snapshot(raw: Path) -> dict[str, bytes]:
    # the lock file of data/raw (empty of meaning once released) is not part of the data
    return {
        p.relative_to(raw).as_posix(): p.read_bytes()
        for p in sorted(raw.rglob("*"))
        if p.is_file() and p.name != ".kexie.lock"
    }


def test_place_by_name_short_name_or_code(raw: Path):
    assert resolve_division(place="宜昌市", raw_dir=raw)["admin_code"] == "420500"
    assert resolve_division(place="宜昌", raw_dir=raw)["admin_code"] == "420500"
    division = resolve_division(code="420506", raw_dir=raw)
    assert (division["name_zh"], division["province_zh"]) == ("夷陵区", "湖北省")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        # the division reference of all of China has 新城区 in 呼和浩特市 and 西安市 too
        ({"place": "新城区"}, "names several divisions: .*990101 新城区 .*; 990201 新城区 .*Choose one with --code"),
        ({"place": "火星市"}, "no division named '火星市'"),
        ({"code": "999999"}, "not in the division reference"),
        ({"code": "100000"}, "a case is a province-, prefecture- or county-level unit"),
        ({}, "exactly one of --place"),
    ],
)
def test_bad_places_are_named(raw: Path, kwargs, message):
    with pytest.raises(AddSourceError, match=message):
        resolve_division(raw_dir=raw, **kwargs)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"  \n", "empty"),
        (b"\xff\xff\xff", "neither UTF-8 nor GB18030"),
        ("正文\x00".encode(), "NUL"),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_written(raw: Path, tmp_path: Path, content, message):
    before = _snapshot(raw)
    with pytest.raises(AddSourceError, match=message):
        add_source(_document(tmp_path, content), raw_dir=raw, code="420500")
    assert _snapshot(raw) == before


def test_new_case_gets_document_entry_sheet_and_unknown_features(raw: Path, tmp_path: Path):
    decided = add_source(_document(tmp_path), raw_dir=raw, place="宜昌市", genre="news report")
    entry = read_sources(raw)[-1]
    assert {k: entry[k] for k in ("source_id", "case", "admin_code", "place_zh", "province", "file")} == {
        "source_id": "yichang_document",
        "case": "yichang",
        "admin_code": "420500",
        "place_zh": "宜昌市",
        "province": "Hubei",
        "file": decided.target.name,
    }
    assert decided.target.read_bytes() == _document(tmp_path).read_bytes()
    assert (
        (raw / "indicators" / "yichang_document.csv").read_text(encoding="utf-8").startswith("record_id,indicator_id,")
    )
    with (raw / "features.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["case"] == "yichang"]
    assert rows and all(row["value"] == "" and row["evidence_kind"] == "none" and row["note"] for row in rows)
    manifest = (raw / "sources.yaml").read_text(encoding="utf-8")
    assert manifest.startswith("# Source manifest")  # the comments are kept


def test_a_second_document_of_an_existing_case(raw: Path, tmp_path: Path):
    features_before = (raw / "features.csv").read_bytes()
    decided = add_source(_document(tmp_path, "梧州市科协（合成测试文本）。\n".encode()), raw_dir=raw, place="梧州市")
    assert (decided.entry["case"], decided.entry["source_id"], decided.new_case) == ("wuzhou", "wuzhou_document", False)
    assert (raw / "features.csv").read_bytes() == features_before  # the case's features exist already


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"code": "420500", "case": "wuzhou"}, "already the case of 450400"),
        ({"code": "450400", "case": "wutong"}, "is already case 'wuzhou'"),
        ({"code": "420500", "source_id": "wuzhou_article"}, "already in"),
        ({"code": "420500", "case": "Yi Chang"}, "lower-case letters"),
        ({"code": "420500", "date": "10 May 2023"}, "ISO form"),
        ({"code": "420500", "date": "2021-13-45"}, "a real day, month or year"),
        ({"code": "420500", "date": "2021-02-29"}, "a real day, month or year"),
        ({"code": "420500", "date": "２０２１-０５-１０"}, "ISO form"),
    ],
)
def test_conflicts_are_refused(raw: Path, tmp_path: Path, kwargs, message):
    before = _snapshot(raw)
    with pytest.raises(AddSourceError, match=message):
        add_source(_document(tmp_path), raw_dir=raw, **kwargs)
    assert _snapshot(raw) == before


def test_existing_sheet_is_never_overwritten(raw: Path, tmp_path: Path):
    (raw / "indicators" / "yichang_document.csv").write_text("mine\n", encoding="utf-8")
    with pytest.raises(AddSourceError, match="already exists; nothing was changed"):
        plan(_document(tmp_path), raw_dir=raw, code="420500")
    assert (raw / "indicators" / "yichang_document.csv").read_text(encoding="utf-8") == "mine\n"


def test_command_line(raw: Path, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw.parent))
    assert main(["add-source", str(_document(tmp_path)), "--code", "420500"]) == 0
    out = capsys.readouterr().out
    assert "added yichang_document (宜昌市 420500, case 'yichang')" in out and "kexie validate" in out
    assert main(["add-source", str(tmp_path / "missing.txt"), "--code", "420500"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["add-source", str(tmp_path), "--code", "420500"]) == 2
    assert f"{tmp_path}: is a folder; give the document's file" in capsys.readouterr().err
    assert main(["build"]) == 0


def test_a_county_level_case_builds_and_its_scopes_resolve(raw: Path, tmp_path: Path):
    from kexie_research import data
    from kexie_research.build import build

    text = "【合成测试文本 SYNTHETIC, made up for the tests】夷陵区科协新建乡镇科协8个。\n"
    decided = add_source(_document(tmp_path, text.encode()), raw_dir=raw, code="420506")
    assert (decided.entry["case"], decided.entry["place_zh"]) == ("yiling", "夷陵区")
    decided.sheet.write_text(
        decided.sheet.read_text(encoding="utf-8")
        + "YL-001,township_kexie_count,夷陵区科协,county,8个,,achieved,夷陵区科协新建乡镇科协8个,SYNTHETIC\n",
        encoding="utf-8",
    )
    out = tmp_path / "processed"
    build(raw_dir=raw, out_dir=out, echo=None)
    row = data.load_indicators(out).set_index("record_id").loc["YL-001"]
    assert (row["case"], row["admin_code"], row["parent_city_code"]) == ("yiling", "420506", "420500")
    case = data.load_cases(out).set_index("case").loc["yiling"]
    assert (case.case_zh, case.level, case.province_code) == ("夷陵", "district", "420000")


# ------------------------------------------------------------------------------------------------
# Round two of hardening (issue 20.4, 20.5): text options the build can read, the lock, the journal
# ------------------------------------------------------------------------------------------------
def test_a_non_utf8_byte_in_a_text_option_is_one_clear_error_and_nothing_is_written(raw: Path, tmp_path: Path):
    """On the command line a byte that is not UTF-8 arrives as a lone surrogate (surrogateescape)."""
    import os
    import subprocess
    import sys

    before = _snapshot(raw)
    document = _document(tmp_path)
    env = {**os.environ, "KEXIE_DATA_DIR": str(raw.parent), "PYTHONPATH": str(Path(__file__).parents[1])}
    for option in (b"--title-zh", b"--title-en", b"--genre"):
        done = subprocess.run(
            [
                sys.executable.encode(),
                b"-m",
                b"kexie_research.cli",
                b"add-source",
                str(document).encode(),
                b"--code",
                b"420500",
                option,
                "宜昌".encode() + b"\xff",
            ],
            capture_output=True,
            timeout=120,
            env=env,
        )
        err = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 2 and "Traceback" not in err, err
        assert f"{option.decode()}: not UTF-8 text (a byte 0xff at character 3)" in err
    assert _snapshot(raw) == before


@pytest.mark.parametrize(
    "value, message",
    [
        ("科\udcff", "not UTF-8 text"),
        ("科\ud800", "lone surrogate"),
        ("第一行\n第二行", "control character"),
        ("a\x00b", "control character"),
    ],
)
def test_text_options_the_build_cannot_read_are_refused(raw: Path, tmp_path: Path, value, message):
    before = _snapshot(raw)
    with pytest.raises(AddSourceError, match=message):
        add_source(_document(tmp_path), raw_dir=raw, code="420500", title_zh=value)
    assert _snapshot(raw) == before


def test_the_read_back_check_uses_the_builds_yaml_loader(raw: Path, tmp_path: Path, monkeypatch):
    """A value the pure-Python loader reads but the build's loader (CSafeLoader) refuses is caught."""
    import kexie_research.steps.sources as sources

    class Refusing(sources.YAML_LOADER):  # stands in for the C loader's refusal of what was written
        def __init__(self, stream):
            if "REFUSED" in stream:
                raise sources.yaml.YAMLError("unacceptable character")
            super().__init__(stream)

    monkeypatch.setattr(sources, "YAML_LOADER", Refusing)
    before = _snapshot(raw)
    with pytest.raises(AddSourceError, match="would not read back as written"):
        add_source(_document(tmp_path), raw_dir=raw, code="420500", title_en="REFUSED")
    assert _snapshot(raw) == before


def test_a_held_lock_is_waited_for_then_named(raw: Path, tmp_path: Path, monkeypatch):
    import os
    import time

    from kexie_research.atomic import LockTimeout, raw_lock

    monkeypatch.setenv("KEXIE_LOCK_TIMEOUT", "0.5")
    before = _snapshot(raw)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # another kexie command holding the lock
        try:
            with raw_lock(raw, "kexie add-source"):
                os.write(write, b"x")
                time.sleep(30)
        finally:
            os._exit(0)
    try:
        assert os.read(read, 1) == b"x"
        started = time.monotonic()
        with pytest.raises(
            LockTimeout, match=rf"is locked by another kexie command \(pid {pid} kexie add-source\); waited 0.5 s"
        ):
            add_source(_document(tmp_path), raw_dir=raw, code="420500")
        assert time.monotonic() - started < 10
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    assert _snapshot(raw) == before
    add_source(_document(tmp_path), raw_dir=raw, code="420500")  # the killed holder released it


def test_a_failed_write_rolls_the_edit_back(raw: Path, tmp_path: Path, monkeypatch):
    """A write that fails half-way (a full disk, say) leaves data/raw as it was, and no journal."""
    import kexie_research.journal as journal

    real = journal.atomic_write
    calls = []

    def failing(path, content, exclusive=False):
        calls.append(Path(path).name)
        if Path(path).name == "sources.yaml":
            raise OSError(28, "No space left on device", str(path))
        return real(path, content, exclusive=exclusive)

    monkeypatch.setattr(journal, "atomic_write", failing)
    before = _snapshot(raw)
    with pytest.raises(OSError, match="No space left"):
        add_source(_document(tmp_path), raw_dir=raw, code="420500")
    monkeypatch.setattr(journal, "atomic_write", real)
    assert "features.csv" in calls and _snapshot(raw) == before


def test_repair_finishes_a_committed_edit_and_rolls_back_an_uncommitted_one(raw: Path):
    from kexie_research.journal import JOURNAL_NAME, RawEdit, repair

    before = _snapshot(raw)
    edit = RawEdit(raw, "test edit")
    edit.create(raw / "documents" / "999_new.txt", b"new\n")
    edit.replace(raw / "features.csv", b"case,condition\n")
    edit.replace(raw / "sources.yaml", (raw / "sources.yaml").read_bytes() + b"# new\n")
    # as if killed after the journal, the new document and features.csv, before the manifest
    (raw / JOURNAL_NAME).write_text(__import__("json").dumps(edit._journal()), encoding="utf-8")
    (raw / "documents" / "999_new.txt").write_bytes(b"new\n")
    (raw / "features.csv").write_bytes(b"case,condition\n")
    (raw / "indicators" / ".x.csv.abc.kexie-tmp").write_bytes(b"half")
    done = repair(raw)
    assert done[0] == "rolled back an interrupted test edit" and _snapshot(raw) == before
    # as if killed after the manifest (the commit), before the journal was removed
    (raw / JOURNAL_NAME).write_text(__import__("json").dumps(edit._journal()), encoding="utf-8")
    for path, content in edit.created:
        path.write_bytes(content)
    for path, _, content in edit.replaced:
        path.write_bytes(content)
    after = _snapshot(raw)
    assert repair(raw)[0].startswith("finished an interrupted test edit")
    assert _snapshot(raw) == {k: v for k, v in after.items() if k != JOURNAL_NAME}


def test_any_text_option_accepted_is_read_back_by_the_build(raw: Path, tmp_path: Path):
    """Fuzz: whatever text passes the option check, the build's own manifest reader reads back as given."""
    import copy

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from kexie_research.add_source import check_text_option, edit_of

    decided = plan(_document(tmp_path), raw_dir=raw, code="420500")
    before = _snapshot(raw)

    @settings(
        max_examples=int(__import__("os").environ.get("KEXIE_FUZZ_EXAMPLES", "400")),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        st.text(st.characters(codec=None, exclude_categories=()), max_size=40),
        st.sampled_from(["title_zh", "title_en", "genre"]),
    )
    def check(value: str, field: str) -> None:
        try:
            check_text_option("--" + field.replace("_", "-"), value)
        except AddSourceError:
            return
        attempt = copy.deepcopy(decided)
        attempt.entry[field] = value
        edit = edit_of(attempt, raw)  # raises AddSourceError if the build's reader disagrees
        assert edit.replaced[-1][0].name == "sources.yaml"

    check()
    assert _snapshot(raw) == before  # edit_of writes nothing
