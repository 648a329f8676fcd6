"""Set the metadata of the report notebooks: the project's kernel and what the report runner reads.

Every notebook names the project's kernel (``kexie-research``). The ``kexie`` entry holds what
``kexie report`` reads besides the cells: a run-time estimate (orders the first cold run, longest
first; later runs use recorded times) and the allowed range of numeric parameters (checked before
any kernel starts).

Only the notebook metadata changes (``kernelspec``, ``language_info``, ``kexie``); cells are left
byte-for-byte as they are, and the file keeps nbformat's layout (one-space indent, key order), so
that the change merges cleanly with edits to the cells. Run from the repository root::

    python scripts/notebook_metadata.py            # rewrite where needed
    python scripts/notebook_metadata.py --check    # exit 1 if a notebook's metadata differs
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KERNELSPEC = {"display_name": "Python (kexie-research)", "language": "python", "name": "kexie-research"}
# Seconds measured on a 2-core machine with two runs at a time on forked kernels (kexie report
# --jobs 2, 0.3.0); ranges as the analyses need them.
REPORTS = {
    "00_dataset_overview": {"estimate_seconds": 2, "parameters": {"min_cases": {"min": 1}}},
    "10_case_profile": {"estimate_seconds": 1.2},
    "20_comparative": {"estimate_seconds": 3, "parameters": {"min_cases": {"min": 1}, "per": {"min": 1}}},
    "30_geographic": {"estimate_seconds": 6},
    "40_policy_text": {"estimate_seconds": 2.5},
    "50_reform_configurations": {"estimate_seconds": 2.2, "parameters": {"incl_cut": {"min": 0.5, "max": 1}}},
}


def fix(path: Path, check: bool) -> bool:
    """True when ``path`` already has the wanted metadata (else it is rewritten, unless ``check``)."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    metadata = nb.setdefault("metadata", {})
    wanted = REPORTS.get(path.stem)
    if metadata.get("kernelspec") == KERNELSPEC and (wanted is None or metadata.get("kexie") == wanted):
        return True
    if not check:
        metadata["kernelspec"] = dict(KERNELSPEC)
        metadata.setdefault("language_info", {"name": "python"})
        if wanted is not None:
            metadata["kexie"] = wanted
        # nbformat's own on-disk layout: indent 1, sorted keys, non-ASCII kept, final newline.
        path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report notebooks that name another kernel")
    parser.add_argument("folder", nargs="?", default="notebooks", type=Path)
    args = parser.parse_args(argv)
    wrong = [path.name for path in sorted(args.folder.glob("[0-9][0-9]_*.ipynb")) if not fix(path, args.check)]
    for name in wrong:
        print(f"{name}: {'metadata differs' if args.check else 'metadata set'}")
    return 1 if (wrong and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
