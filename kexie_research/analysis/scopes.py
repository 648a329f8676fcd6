"""Which facts are about a case: the case as a whole, its parts, or context above it.

A fact's ``scope_level`` (``country``, ``province``, ``city``, ``county``, ``township``,
``organisation``) says what it is about. A fact is *local* to its case when its scope sits at the
case's own level or below it (a prefecture-level case: city and below; a district or county:
county and below; a province-level case: province and below). National and higher-level context
figures are not facts about the case. The case's level comes from
:func:`kexie_research.data.load_cases` (``level``: the division level of its ``admin_code``).

Example::

    >>> case_scope_level("prefecture"), case_scope_level("district"), case_scope_level("province")
    ('city', 'county', 'province')
"""

from __future__ import annotations

import pandas as pd

from kexie_research.analysis.checks import require_columns

__all__ = ["LOCAL_SCOPE_LEVELS", "SCOPE_DEPTH", "case_scope_level", "local_facts", "own_case_facts"]

# Scope levels from the top down; a smaller depth is a larger unit.
SCOPE_DEPTH = {"country": 0, "province": 1, "city": 2, "county": 3, "township": 4, "organisation": 5}
# The levels that are local when nothing is known about the case's own level (a prefecture-level case).
LOCAL_SCOPE_LEVELS = ("city", "county", "township", "organisation")


def case_scope_level(division_level: str) -> str:
    """The ``scope_level`` a fact about the case as a whole carries, from the case's division level.

    Examples
    --------
    >>> case_scope_level("county-level city")
    'county'
    """
    level = str(division_level or "").strip().lower()
    if level in ("province", "municipality", "autonomous region"):
        return "province"
    if level in ("prefecture", "city", "prefecture-level city"):
        return "city"
    return "county"


def _case_levels(cases: pd.DataFrame | None) -> dict[str, str]:
    if cases is None:
        return {}
    require_columns(cases, ("case", "level"), "case levels")
    return {str(case): case_scope_level(level) for case, level in zip(cases["case"], cases["level"])}


def local_facts(indicators: pd.DataFrame, cases: pd.DataFrame | None = None) -> pd.DataFrame:
    """The facts at their case's own level or below it (no national or higher-level context).

    Without ``cases`` every case is taken as prefecture-level (:data:`LOCAL_SCOPE_LEVELS`).

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a", "a", "b"], "scope_level": ["country", "city", "province"]})
    >>> local_facts(facts).index.tolist()
    [1]
    >>> cases = pd.DataFrame({"case": ["a", "b"], "level": ["prefecture", "province"]})
    >>> local_facts(facts, cases).index.tolist()
    [1, 2]
    """
    require_columns(indicators, ("case", "scope_level"), "local_facts")
    levels = _case_levels(cases)
    own_depth = indicators["case"].map(lambda case: SCOPE_DEPTH[levels.get(case, "city")])
    depth = indicators["scope_level"].map(SCOPE_DEPTH)
    mask = depth.notna() & (depth >= own_depth)
    return indicators.loc[mask.astype(bool)]


def own_case_facts(indicators: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """Rows about the case's own place as a whole, not a part of it or a context.

    A fact counts when its ``admin_code`` is the case's and its ``scope_level`` is the case's own
    level: "the other counties of the city" resolve to the city's code but carry a county-level
    scope, so they are not a fact about the city as a whole.

    Examples
    --------
    >>> facts = pd.DataFrame({"case": ["a", "a"], "admin_code": ["1", "1"], "scope_level": ["city", "county"]})
    >>> cases = pd.DataFrame({"case": ["a"], "admin_code": ["1"], "level": ["prefecture"]})
    >>> own_case_facts(facts, cases).index.tolist()
    [0]
    """
    require_columns(indicators, ("case", "admin_code", "scope_level"), "own_case_facts")
    require_columns(cases, ("case", "admin_code", "level"), "own_case_facts(cases)")
    codes = dict(zip(cases["case"], cases["admin_code"].astype(str)))
    levels = _case_levels(cases)
    mask = (indicators["admin_code"] == indicators["case"].map(codes)) & (
        indicators["scope_level"] == indicators["case"].map(levels)
    )
    return indicators.loc[mask.fillna(False).astype(bool)]
