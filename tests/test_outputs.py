"""data/processed is replaced as one set: never a mix, no stray file, ordinary modes, old set kept on failure."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import pytest
from kills import run_child, timed_run

from kexie_research import config
from kexie_research.outputs import OutputError, recover, replace_directory


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def test_failure_midway_leaves_the_old_set(tmp_path: Path):
    out = tmp_path / "processed"
    replace_directory(out, {"a.csv": lambda p: p.write_text("old a"), "b.csv": lambda p: p.write_text("old b")})
    before = _digest(out)

    def boom(path: Path) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_directory(
            out, {"a.csv": lambda p: p.write_text("new a"), "b.csv": boom, "c.csv": lambda p: p.write_text("c")}
        )
    assert _digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed"]  # no staging folder left


def test_a_folder_that_is_not_a_build_output_is_never_replaced(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="holds no output of `kexie build`"):
        replace_directory(tmp_path, {"a.csv": lambda p: p.write_text("x")}, marker="kexie-reform-indicators")
    assert (tmp_path / "notes.txt").read_text() == "mine" and not (tmp_path / "a.csv").exists()


def test_recover_puts_the_old_set_back_after_a_kill_between_renames(tmp_path: Path):
    out = tmp_path / "processed"
    old = tmp_path / ".processed.old-999999999-abcd"
    old.mkdir()
    (old / "a.csv").write_text("old")
    staging = tmp_path / ".processed.staging-999999999-abcd"
    staging.mkdir()
    recover(out)
    assert (out / "a.csv").read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["processed"]


def test_output_paths_stay_inside(tmp_path: Path):
    with pytest.raises(OutputError):
        replace_directory(tmp_path / "out", {"../escape.csv": lambda p: p.write_text("x")})
    assert not (tmp_path / "escape.csv").exists()


def _data_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(config.raw_dir(), data / "raw", ignore=shutil.ignore_patterns("geo"))
    (data / "raw" / "geo").symlink_to(config.raw_dir() / "geo")  # read-only input the build needs
    return data


def _set_version(raw: Path, version: int) -> None:
    """Two versions of the raw data that build to different sets (a coder's note differs)."""
    sheet = raw / "indicators" / "zunyi_meeting.csv"
    text = sheet.read_text(encoding="utf-8")
    plain, marked = "Requests for instructions (请示)", "Requests for instructions (请示) [version 1]"
    text = text.replace(marked, plain)
    if version == 1:
        text = text.replace(plain, marked, 1)
    sheet.write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_kill_during_build_leaves_the_old_or_the_new_set(tmp_path: Path):
    """SIGKILL `kexie build` at random moments: data/processed holds exactly one complete set."""
    from kexie_research.build import build

    data = _data_copy(tmp_path)
    sets = []
    for version in (0, 1):
        _set_version(data / "raw", version)
        reference = tmp_path / f"reference{version}"
        build(raw_dir=data / "raw", out_dir=reference, echo=None)
        sets.append(_digest(reference))
    assert sets[0] != sets[1], "the two versions must build to different sets"
    build(raw_dir=data / "raw", out_dir=data / "processed", echo=None)  # current: version 1
    # `kexie build` in a forked child (tests/support/kills.py): the library is already imported, so the
    # kills land in the build itself, not in the interpreter's start-up. Half of the kills land at a
    # random moment of the whole run, half at a random moment of the writing of the new set (from the
    # moment its staging folder appears).
    env = {"KEXIE_DATA_DIR": str(data)}

    def writing() -> bool:
        return next(data.glob(".processed.staging-*"), None) is not None

    duration, write_span = timed_run(["build"], env, writing=writing)
    rng = random.Random(20261130)
    outcomes = []
    for attempt in range(8):
        _set_version(data / "raw", attempt % 2)
        if attempt < 4:
            run_child(["build"], env, kill_after=rng.uniform(0.3, 1.05) * duration)
        else:
            run_child(["build"], env, kill_after=rng.uniform(0, write_span), writing=writing)
        current = _digest(data / "processed")
        assert current in sets, f"attempt {attempt}: data/processed is a mix of two builds"
        outcomes.append(sets.index(current))
        siblings = sorted(p.name for p in data.iterdir())
        assert all(name in ("raw", "processed") or name.startswith(".processed.") for name in siblings), siblings
    print("kill outcomes (0 = version 0, 1 = version 1):", outcomes)
    timed_run(["build"], env)  # the next build cleans up after the kills
    assert sorted(p.name for p in data.iterdir()) == ["processed", "raw"]
    assert _digest(data / "processed") == sets[1]  # 8 attempts end on version 1
