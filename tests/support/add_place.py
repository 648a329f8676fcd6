"""Add the synthetic sixth place (宜昌市, tests/fixtures/synthetic_yichang.txt) to a data folder the
way the README teaches a researcher: `kexie add-source`, the coder's sheet, `kexie validate`,
`kexie build` — each a real subprocess with ``KEXIE_DATA_DIR`` pointing at the folder.

Used by tests/test_sixth_case.py (on a copy of the fixture dataset) and tests/test_add_a_place.py
(on a copy of the live data). The document and its sheet are made up; see tests/fixtures/README.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DOCUMENT = FIXTURES / "synthetic_yichang.txt"
SHEET = FIXTURES / "synthetic_yichang_sheet.csv"


def add_yichang(data: Path, timeout: float = 600) -> dict[str, subprocess.CompletedProcess]:
    """Add, code, validate and build the synthetic Yichang case in ``data`` (holding ``raw/``).

    Returns the completed `kexie` runs by command; raises AssertionError naming the failed step.
    """
    divisions = data / "raw" / "reference" / "divisions.csv"
    if not divisions.is_file():  # the full division reference of China, when it is not (yet) in data/raw
        shutil.copyfile(FIXTURES / "divisions_hubei.csv", divisions)
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "KEXIE_DATA_DIR": str(data)}
    run = [sys.executable, "-m", "kexie_research"]
    done = {"add-source": subprocess.run(
        [*run, "add-source", str(DOCUMENT), "--place", "宜昌市",
         "--title-zh", "宜昌市科协召开深化改革工作推进会（合成测试文本）",
         "--title-en", "Yichang kexie reform meeting (synthetic test document)",
         "--genre", "synthetic test document", "--date", "2023-05-10"],
        env=env, capture_output=True, text=True, timeout=timeout)}
    assert done["add-source"].returncode == 0, done["add-source"].stderr
    sheet = data / "raw" / "indicators" / "yichang_document.csv"
    assert sheet.read_text(encoding="utf-8").count("\n") == 1  # add-source writes the header only
    shutil.copyfile(SHEET, sheet)  # the coder's work
    for command in ("validate", "build"):
        done[command] = subprocess.run([*run, command], env=env, capture_output=True, text=True, timeout=timeout)
        assert done[command].returncode == 0, f"kexie {command}: " + done[command].stdout + done[command].stderr
    return done
