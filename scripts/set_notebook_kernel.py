"""Set every report notebook's kernelspec to the project's kernel (``kexie-research``).

Only the notebook metadata changes (``kernelspec``, and ``language_info.name``); cells are left
byte-for-byte as they are, and the file keeps nbformat's layout (one-space indent, key order), so
that the change merges cleanly with edits to the cells. Run from the repository root::

    python scripts/set_notebook_kernel.py            # rewrite where needed
    python scripts/set_notebook_kernel.py --check    # exit 1 if a notebook names another kernel
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KERNELSPEC = {"display_name": "Python (kexie-research)", "language": "python", "name": "kexie-research"}


def fix(path: Path, check: bool) -> bool:
    """True when ``path`` already named the project's kernel (else it is rewritten, unless ``check``)."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    if nb.get("metadata", {}).get("kernelspec") == KERNELSPEC:
        return True
    if not check:
        nb.setdefault("metadata", {})["kernelspec"] = dict(KERNELSPEC)
        nb["metadata"].setdefault("language_info", {"name": "python"})
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
        print(f"{name}: {'names another kernel' if args.check else 'kernelspec set to kexie-research'}")
    return 1 if (wrong and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
