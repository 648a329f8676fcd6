"""How a value's ``qualifier`` (exact, approx, at_least, at_most, range) is written for readers.

Example::

    >>> QUALIFIER_SIGNS["at_least"], QUALIFIER_WORDS["at_most"]
    ('≥', 'an upper bound')
"""

from __future__ import annotations

__all__ = ["QUALIFIER_SIGNS", "QUALIFIER_WORDS"]

QUALIFIER_WORDS = {
    "approx": "approximate",
    "at_least": "a lower bound",
    "at_most": "an upper bound",
    "range": "a range (lower end)",
}
QUALIFIER_SIGNS = {"exact": "", "approx": "≈", "at_least": "≥", "at_most": "≤", "range": ""}
