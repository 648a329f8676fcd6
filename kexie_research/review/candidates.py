"""What the review page shows: the documents, every candidate's place in them, the codebook.

A candidate's span starts at its ``offset`` (the draft's character offset of ``raw_text`` in the
file) and covers the characters of ``raw_text`` with any line break inside it; where the offset is
missing or does not point at ``raw_text``, the span is found by the provenance rule
(:func:`kexie_research.reliability.sheets.span_of`); where neither finds it, the candidate is shown
without a highlight.

Examples
--------
>>> span_at_offset("藤县科协26\\n万元", 4, "26万元")
(4, 9)
>>> span_at_offset("藤县科协26万元", 3, "26万元") is None
True
"""

from __future__ import annotations

import csv
from pathlib import Path

from kexie_research import config
from kexie_research.errors import SheetError
from kexie_research.extract.draft import read_text
from kexie_research.reliability.sheets import span_of

__all__ = ["codebook_entries", "page_state", "span_at_offset"]


def span_at_offset(text: str, offset: int, raw_text: str) -> tuple[int, int] | None:
    """The span of ``raw_text`` starting at ``offset`` in ``text``, line breaks skipped; ``None`` if it is not there.

    Examples
    --------
    >>> span_at_offset("ab\\ncd", 1, "bc")
    (1, 4)
    """
    wanted = raw_text.replace("\n", "")
    if not wanted or not 0 <= offset < len(text):
        return None
    position, matched = offset, 0
    while position < len(text) and matched < len(wanted):
        if text[position] != "\n":
            if text[position] != wanted[matched]:
                return None
            matched += 1
        position += 1
    return (offset, position) if matched == len(wanted) else None


def codebook_entries(path: Path | str | None = None) -> list[dict[str, object]]:
    """Indicators for the page's list: id, Chinese and English labels, unit, and its frame indicator.

    The processed codebook names, for every indicator, the frame indicator of the shared frame it is an
    instance of (column ``frame``; ``none`` or empty where it has none). Indicators on the frame come
    first, grouped by frame indicator (``frame_zh``/``frame_en`` shown with them), then the others, each
    group by id. No codebook: an empty list.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "codebook.csv"
    >>> _ = path.write_text("id,zh,en,unit,frame,frame_zh,frame_en\\nb,乙,B,number,none,,\\na,甲,A,number,,,\\n"
    ...                     "d,丁,D,person,kepu_staff,科普人员,S&T popularisation staff\\nc,丙,C,person,kepu_bases,科普基地,Bases\\n",
    ...                     encoding="utf-8")
    >>> [(e["id"], e["frame"]) for e in codebook_entries(path)]
    [('c', 'kepu_bases'), ('d', 'kepu_staff'), ('a', ''), ('b', '')]
    """
    path = Path(path) if path else config.processed_dir() / "codebook.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    entries = []
    for row in rows:
        if not row.get("id"):
            continue
        frame = (row.get("frame") or "").strip()
        frame = "" if frame.lower() in ("", "none") else frame
        entries.append(
            {
                "id": row["id"],
                "zh": row.get("zh", ""),
                "en": row.get("en", ""),
                "unit": row.get("unit", ""),
                "frame": frame,
                "frame_zh": row.get("frame_zh", "") if frame else "",
                "frame_en": row.get("frame_en", "") if frame else "",
            }
        )
    return sorted(entries, key=lambda e: (not e["frame"], e["frame"], e["id"]))


def _document_path(draft: Path, row: dict[str, str], document: Path | None) -> Path | None:
    if document is not None:
        return document
    candidates = []
    if row.get("path"):
        candidates += [Path(row["path"]), draft.parent / row["path"]]
    if row.get("document"):
        candidates += [draft.parent / row["document"], config.raw_dir() / config.DOCUMENTS_DIR / row["document"]]
    return next((c for c in candidates if c.is_file()), None)


def page_state(
    draft: Path, rows: list[dict[str, str]], document: Path | None = None, codebook: Path | None = None
) -> dict[str, object]:
    """The page's data: documents by name, candidates (row, span, fields), codebook, draft name.

    Raises :class:`SheetError` naming the draft and line of a candidate whose document is not found.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "doc.txt").write_text("有科协3个。", encoding="utf-8")
    >>> rows = [{"document": "doc.txt", "raw_text": "3个", "quote": "有科协3个", "offset": "3", "kind": "fact"}]
    >>> state = page_state(folder / "draft.csv", rows, codebook=folder / "none.csv")
    >>> state["candidates"][0]["start"], state["candidates"][0]["end"], list(state["documents"])
    (3, 5, ['doc.txt'])
    """
    documents: dict[str, str] = {}
    candidates = []
    for index, row in enumerate(rows):
        path = _document_path(draft, row, document)
        if path is None:
            raise SheetError(
                f"{draft} line {index + 2}: document {row.get('path') or row.get('document') or '(none)'} "
                f"not found; give it with --document PATH"
            )
        name = row.get("document") or path.name
        if name not in documents:
            # the text the draft's offsets count in: a PDF, web page or Word file converted as kexie extract read it
            documents[name] = read_text(path)
        text = documents[name]
        offset = row.get("offset", "").strip()
        span = span_at_offset(text, int(offset), row.get("raw_text", "")) if offset.isdigit() else None
        span = span or span_of(row.get("quote", ""), row.get("raw_text", ""), text)
        candidates.append(
            {
                "row": index,
                "document": name,
                "start": span[0] if span else None,
                "end": span[1] if span else None,
                "fields": row,
            }
        )
    return {
        "draft": draft.name,
        "documents": documents,
        "candidates": candidates,
        "codebook": codebook_entries(codebook),
    }
