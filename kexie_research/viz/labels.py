"""Bilingual labels for figures and texts: "中文 English", case names from the cases table, counts
of cases in words ("6 places"), wrapped titles.

Names come from :func:`kexie_research.data.load_cases` (``case_zh``, ``case_en``); nothing here
knows a case.

Example::

    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case": ["a"], "case_zh": ["甲"], "case_en": ["Alpha"]})
    >>> case_label("a", cases) in ("甲 Alpha", "Alpha")
    True
    >>> count_phrase(6, "place")
    '6 places'
"""

from __future__ import annotations

import textwrap

import pandas as pd

from kexie_research.viz.theme import has_cjk_font

__all__ = ["case_label", "case_labels", "count_phrase", "label", "wrap"]


def label(zh: str | None, en: str | None, sep: str = " ") -> str:
    """A bilingual label ``"中文 English"``; English only when no CJK font is available.

    Examples
    --------
    >>> label(None, "national")
    'national'
    >>> label("全国", "national") in ("全国 national", "national")
    True
    """
    if not zh:
        return en or ""
    if not en:
        return zh if has_cjk_font() else ""
    return f"{zh}{sep}{en}" if has_cjk_font() else en


def case_label(case: str, cases: pd.DataFrame, sep: str = " ") -> str:
    """The bilingual name of a case (``case_zh``, ``case_en`` of the cases table); the key if unknown.

    Examples
    --------
    >>> case_label("zz", pd.DataFrame({"case": [], "case_zh": [], "case_en": []}))
    'zz'
    """
    row = cases.loc[cases["case"] == case]
    if row.empty:
        return str(case)
    return label(str(row["case_zh"].iloc[0] or ""), str(row["case_en"].iloc[0] or case), sep=sep)


def case_labels(cases: pd.DataFrame, sep: str = " ") -> dict[str, str]:
    """``{case: bilingual name}`` for every case of the table.

    Examples
    --------
    >>> list(case_labels(pd.DataFrame({"case": ["a", "b"], "case_zh": ["", ""], "case_en": ["A", "B"]})).values())
    ['A', 'B']
    """
    return {str(case): case_label(case, cases, sep=sep) for case in cases["case"]}


def count_phrase(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 place"``, ``"6 places"``: a count with its noun (titles and notes count from the data).

    Examples
    --------
    >>> count_phrase(1, "document"), count_phrase(0, "case")
    ('1 document', '0 cases')
    """
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def wrap(text: str, width: int = 70) -> str:
    """Wrap each line of a (bilingual) title; CJK runs have no spaces and stay whole.

    Examples
    --------
    >>> wrap("a b c", 3)
    'a b\\nc'
    """
    return "\n".join(textwrap.fill(line, width) if len(line) > width else line for line in str(text).split("\n"))
