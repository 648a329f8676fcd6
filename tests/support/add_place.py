"""Add a synthetic place to a data folder the way the README teaches a researcher: `kexie add-source`,
the coder's sheet, `kexie validate`, `kexie build` — each a real subprocess with ``KEXIE_DATA_DIR``
pointing at the folder.

The document (tests/fixtures/synthetic_yichang.txt) and its sheet are made up for Yichang (宜昌市) and
its district 夷陵区; :func:`add_synthetic_place` can rename both to any other prefecture of the
folder's division reference, so that the test of the LIVE data still adds a new place when a
researcher has already added Yichang itself.

Used by tests/test_sixth_case.py (on a copy of the fixture dataset) and tests/test_add_a_place.py
(on a copy of the live data). See tests/fixtures/README.md.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DOCUMENT = FIXTURES / "synthetic_yichang.txt"
SHEET = FIXTURES / "synthetic_yichang_sheet.csv"
#: The names the synthetic document and sheet are written with.
PREFECTURE, DISTRICT = "宜昌市", "夷陵区"


@dataclass
class AddedPlace:
    """What :func:`add_synthetic_place` added: the place, its case key and source, and the `kexie` runs."""

    prefecture: str
    district: str
    case: str
    source_id: str
    runs: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)


def _existing_case_codes(raw: Path) -> set[str]:
    sources = yaml.safe_load((raw / "sources.yaml").read_text(encoding="utf-8")) or {}
    entries = sources.get("sources", sources) if isinstance(sources, dict) else sources
    return {str(entry.get("admin_code", "")) for entry in entries or [] if isinstance(entry, dict)}


def choose_new_prefecture(raw: Path) -> tuple[str, str]:
    """A prefecture of ``raw``'s division reference that is no case yet, and one of its districts or counties.

    Yichang first (the names the synthetic text is written with), else the first such prefecture by code.
    """
    with (raw / "reference" / "divisions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    taken = _existing_case_codes(raw)
    children: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if row["level"] in ("district", "county"):
            children.setdefault(row["parent_code"], []).append(row)
    prefectures = [
        row
        for row in rows
        if row["level"] == "prefecture"
        and row["admin_code"] not in taken
        and children.get(row["admin_code"])
        and len(row["name_zh"]) >= 3
        and row["name_zh"].endswith("市")
    ]
    if not prefectures:
        raise AssertionError(f"no prefecture of {raw / 'reference' / 'divisions.csv'} is free to add")
    prefectures.sort(key=lambda row: (row["name_zh"] != PREFECTURE, row["admin_code"]))
    chosen = prefectures[0]
    district = min(children[chosen["admin_code"]], key=lambda row: row["admin_code"])
    return chosen["name_zh"], district["name_zh"]


def _renamed(text: str, prefecture: str, district: str) -> str:
    return text.replace(PREFECTURE, prefecture).replace(DISTRICT, district)


def add_synthetic_place(data: Path, prefecture: str | None = None, timeout: float = 600) -> AddedPlace:
    """Add, code, validate and build the synthetic document as a new place in ``data`` (holding ``raw/``).

    ``prefecture`` defaults to :func:`choose_new_prefecture`. Raises AssertionError naming the failed step.
    """
    raw = data / "raw"
    divisions = raw / "reference" / "divisions.csv"
    if not divisions.is_file():  # the full division reference of China, when it is not (yet) in data/raw
        shutil.copyfile(FIXTURES / "divisions_hubei.csv", divisions)
    if prefecture is None:
        prefecture, district = choose_new_prefecture(raw)
    else:
        district = DISTRICT if prefecture == PREFECTURE else choose_new_prefecture(raw)[1]
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "KEXIE_DATA_DIR": str(data)}
    run = [sys.executable, "-m", "kexie_research"]
    document = data.parent / f"synthetic_{prefecture}.txt"
    document.write_text(_renamed(DOCUMENT.read_text(encoding="utf-8"), prefecture, district), encoding="utf-8")
    runs = {
        "add-source": subprocess.run(
            [
                *run,
                "add-source",
                str(document),
                "--place",
                prefecture,
                "--title-zh",
                f"{prefecture}科协召开深化改革工作推进会（合成测试文本）",
                "--title-en",
                "Kexie reform meeting (synthetic test document)",
                "--genre",
                "synthetic test document",
                "--date",
                "2023-05-10",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    }
    assert runs["add-source"].returncode == 0, runs["add-source"].stdout + runs["add-source"].stderr
    entries = yaml.safe_load((raw / "sources.yaml").read_text(encoding="utf-8"))
    entry = (entries.get("sources", entries) if isinstance(entries, dict) else entries)[-1]
    sheet = raw / "indicators" / f"{entry['source_id']}.csv"
    assert sheet.read_text(encoding="utf-8").count("\n") == 1  # add-source writes the header only
    sheet.write_text(
        _renamed(SHEET.read_text(encoding="utf-8"), prefecture, district), encoding="utf-8"
    )  # the coder's work
    for command in ("validate", "build"):
        runs[command] = subprocess.run([*run, command], env=env, capture_output=True, text=True, timeout=timeout)
        assert runs[command].returncode == 0, f"kexie {command}: " + runs[command].stdout + runs[command].stderr
    return AddedPlace(prefecture, district, str(entry["case"]), str(entry["source_id"]), runs)


def add_yichang(data: Path, timeout: float = 600) -> dict[str, subprocess.CompletedProcess]:
    """Add the synthetic document as Yichang (宜昌市) itself; returns the completed `kexie` runs by command."""
    return add_synthetic_place(data, PREFECTURE, timeout).runs
