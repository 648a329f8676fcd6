#!/usr/bin/env python3
"""Write ``kexie_research/extract/place_words.csv``: short place names that are ordinary words.

A county-level unit's short name (资源 for 资源县, 惠民 for 惠民县, 合作 for 合作市) is very often
an ordinary word of the language (科普资源, 科普惠民, 合作); such a name is read as a place only
with a suffix or ``科协`` after it, never from the document's place alone
(:meth:`kexie_research.extract.places.PlaceIndex.is_place`).

Which short names are ordinary words is read from jieba's own dictionary (``jieba/dict.txt``, MIT
licence): a short name of a county-level unit that the dictionary holds with a frequency of at
least 100 and a tag other than a place name (``ns``) is written with ``source = jieba``, its tag and
frequency. Rows with ``source = reviewed`` (short names of larger units whose usual reading is a
common word, e.g. 来宾 "guests", checked by hand and given their meaning) are kept as they are.

Run from the repository root after a change of the division reference or of jieba::

    python scripts/place_words.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "kexie_research" / "extract" / "place_words.csv"
MIN_FREQ = 100
FIELDS = ("name", "source", "jieba_tag", "jieba_freq", "meaning")


def main() -> None:
    import jieba
    import jieba.posseg

    from kexie_research.atomic import atomic_output
    from kexie_research.extract.places import PlaceIndex

    index = PlaceIndex.from_data(ROOT / "data" / "raw")
    jieba.dt.initialize()
    tags, freq = jieba.posseg.dt.word_tag_tab, jieba.dt.FREQ
    kept = []
    if OUT.is_file():
        with OUT.open(encoding="utf-8", newline="") as handle:
            kept = [row for row in csv.DictReader(handle) if row["source"] == "reviewed"]
    rows = {row["name"]: row for row in kept}
    for name in sorted(index.weak_names):
        tag, count = tags.get(name), freq.get(name, 0)
        if name not in rows and tag and not tag.startswith("ns") and count >= MIN_FREQ:
            rows[name] = {"name": name, "source": "jieba", "jieba_tag": tag, "jieba_freq": str(count), "meaning": ""}
    with atomic_output(OUT) as handle:  # the project's temporary file + rename
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows.values(), key=lambda row: (row["source"] != "reviewed", row["name"])))
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} names ({len(kept)} reviewed)")


if __name__ == "__main__":
    main()
