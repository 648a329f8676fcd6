#!/usr/bin/env python3
"""Freeze a copy of ``data/raw`` as the test suite's dataset (``tests/fixtures/dataset/raw``).

The software's tests never read the live ``data/``: the root ``conftest.py`` copies this frozen
fixture into a temporary folder at the start of every pytest session, builds it there and points
``KEXIE_DATA_DIR`` at it. The live data can then grow (a new place, more coded facts) without any
test that hard-codes today's figures going red; the checks of the live data read their expectations
from the data itself (``tests/test_live_data.py``).

Run this script when the software's expectations should move to newer data (for instance after a
change of the codebook or of a coding sheet that the tests are meant to cover)::

    python scripts/freeze_test_dataset.py            # data/raw -> tests/fixtures/dataset/raw
    python scripts/freeze_test_dataset.py --check    # exit 1 if the fixture differs from data/raw

then run the tests and update the hard-coded expectations that changed on purpose. The copy is
complete, ``geo/`` included: git stores identical files once, so the frozen boundary layers add
nothing to the repository while they equal the live ones. The script is re-runnable: the fixture
is replaced as a whole (written next to it, then renamed), and what was added, changed or removed
is printed.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "raw"
TARGET = ROOT / "tests" / "fixtures" / "dataset" / "raw"
# caches, and the lock, journal and temporary files of a running `kexie` command (kexie_research/atomic.py)
IGNORED = shutil.ignore_patterns(
    "__pycache__",
    ".ipynb_checkpoints",
    ".DS_Store",
    "*.tmp",
    ".*.tmp",
    ".kexie.lock",
    ".kexie-journal.json",
    "*.kexie-tmp",
)


def file_digests(folder: Path) -> dict[str, tuple[int, str]]:
    """Size and sha256 of every file under ``folder``, by POSIX path relative to it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "a.txt").write_text("x", encoding="utf-8")
    ...     file_digests(Path(tmp))["a.txt"][0]
    1
    """
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not IGNORED(str(path.parent), [path.name])
    }


def compare(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> dict[str, list[str]]:
    """Which files were added, changed or removed between two :func:`file_digests` listings.

    Examples
    --------
    >>> compare({"a": (1, "x"), "b": (1, "y")}, {"a": (1, "z"), "c": (2, "w")})
    {'added': ['c'], 'changed': ['a'], 'removed': ['b']}
    """
    return {
        "added": sorted(set(after) - set(before)),
        "changed": sorted(name for name in set(before) & set(after) if before[name] != after[name]),
        "removed": sorted(set(before) - set(after)),
    }


def freeze(source: Path = SOURCE, target: Path = TARGET) -> dict[str, list[str]]:
    """Replace ``target`` by a copy of ``source`` (the old fixture is kept until the copy is complete)."""
    if not (source / "sources.yaml").is_file():
        raise SystemExit(f"error: {source} is not a data/raw folder (no sources.yaml)")
    before = file_digests(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".raw-", dir=target.parent))
    try:
        shutil.copytree(source, staging / "raw", ignore=IGNORED, symlinks=False)
        old = target.parent / f".old-{staging.name}"
        if target.exists():
            target.rename(old)
        (staging / "raw").rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return compare(before, file_digests(target))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="the live data/raw (default: %(default)s)")
    parser.add_argument("--target", type=Path, default=TARGET, help="the frozen fixture (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="only report the differences; exit 1 if there are any")
    args = parser.parse_args(argv)

    if args.check:
        changes = compare(file_digests(args.target), file_digests(args.source))
    else:
        changes = freeze(args.source.resolve(), args.target.resolve())
    copied = file_digests(args.target)
    if not args.check:
        print(
            f"froze {args.source} -> {args.target}: {len(copied)} files, {sum(s for s, _ in copied.values()) / 1e6:.1f} MB"
        )
        for name, (size, _) in copied.items():
            print(f"  {size:>10,}  {name}")
    for kind, names in changes.items():
        for name in names:
            print(f"{kind}: {name}")
    if not any(changes.values()):
        print("the fixture equals data/raw" if args.check else "no file changed")
    return 1 if args.check and any(changes.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
