"""Scan a text for a large pattern quickly: jump to the characters its matches can start with.

Python's regular-expression engine tries a pattern at every position of a text unless the pattern
begins with a literal or a plain character set. A pattern that begins with an optional sign and an
alternation of number forms (the quantity scanner) is tried at each of thousands of positions where
no number can start. :func:`first_characters` reads the pattern's syntax tree once and gives the set
of characters a match can begin with; :func:`scan` finds those positions with a one-character class
(in C) and tries the pattern there only. The matches are exactly those of ``pattern.finditer``.

Example::

    >>> import re
    >>> pattern = re.compile(r"(?:负)?(?:\\d+|[一二三]+)个")
    >>> sorted(first_characters(pattern))[:3], [m.group() for m in scan(pattern, "共3个，负二个")]
    (['0', '1', '2'], ['3个', '负二个'])
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

try:  # the parser of the re module (private; absent or changed in some Python: no jump then)
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11 is not supported by the package
    _sre = _sre_parse = None

__all__ = ["first_characters", "scan"]

# Character ranges wider than this (a class such as [\u4e00-\u9fff]) make a jump useless: no set.
_MAX_RANGE = 4096


class _Unknown(Exception):
    """A construct whose first characters are not worked out (the pattern is then tried everywhere)."""


def _first(items) -> tuple[set[str], bool]:
    """(characters a match of the sequence ``items`` can begin with, whether it can match empty)."""
    found: set[str] = set()
    for op, argument in items:
        chars, empty = _first_of(op, argument)
        found |= chars
        if not empty:
            return found, False
    return found, True


@lru_cache(maxsize=1)
def _decimal_digits() -> frozenset[str]:
    return frozenset(char for char in map(chr, range(0x110000)) if char.isdecimal())


def _first_of(op, argument) -> tuple[set[str], bool]:
    if op is _sre.LITERAL:
        return {chr(argument)}, False
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, value in argument:
            if kind is _sre.LITERAL:
                chars.add(chr(value))
            elif kind is _sre.RANGE and value[1] - value[0] <= _MAX_RANGE:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            elif kind is _sre.CATEGORY and value is _sre.CATEGORY_DIGIT:
                chars.update(_decimal_digits())  # \d of a str pattern: every Unicode decimal digit
            else:  # NEGATE, CATEGORY (\d, \w), a wide range
                raise _Unknown(kind)
        return chars, False
    if op is _sre.BRANCH:
        chars, empty = set(), False
        for alternative in argument[1]:
            first, can_be_empty = _first(alternative)
            chars |= first
            empty = empty or can_be_empty
        return chars, empty
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, body = argument
        if add_flags & (_sre.SRE_FLAG_IGNORECASE | _sre.SRE_FLAG_VERBOSE):
            raise _Unknown(op)
        return _first(body)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)):
        minimum, _maximum, body = argument
        chars, empty = _first(body)
        return chars, empty or minimum == 0
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _first(argument)
    if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
        return set(), True  # zero width: the next item consumes the first character
    raise _Unknown(op)  # ANY, NOT_LITERAL, a back reference, a case-insensitive literal …


@lru_cache(maxsize=64)
def first_characters(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters every match of ``pattern`` begins with, or ``None`` when they are not known.

    ``None`` when the pattern can match the empty string, ignores case, or begins with a construct
    not worked out here (``.``, ``\\w``, a negated or very wide class, a back reference).

    Examples
    --------
    >>> sorted(first_characters(re.compile(r"(?:负|負)?[0-9]")))[-2:]
    ['負', '负']
    >>> first_characters(re.compile(r"\\w+")) is None, first_characters(re.compile(r"a?")) is None
    (True, True)
    """
    if (
        _sre_parse is None
        or pattern.flags & (re.IGNORECASE | re.VERBOSE | re.ASCII)
        or not isinstance(pattern.pattern, str)
    ):
        return None
    try:
        chars, empty = _first(_sre_parse.parse(pattern.pattern, pattern.flags).data)
    except (_Unknown, AttributeError, TypeError, ValueError, re.error):
        return None
    return None if empty or not chars else frozenset(chars)


@lru_cache(maxsize=64)
def _starts(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    chars = first_characters(pattern)
    if chars is None:
        return None
    return re.compile("[" + "".join(re.escape(char) for char in sorted(chars)) + "]")


def scan(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` in ``text``, exactly as ``pattern.finditer(text)`` gives them.

    The pattern is tried only where a match can begin (:func:`first_characters`); when those
    characters are not known it is ``pattern.finditer`` itself.

    Examples
    --------
    >>> [m.span() for m in scan(re.compile(r"[0-9]+个"), "3个和12个")]
    [(0, 2), (3, 6)]
    """
    starts = _starts(pattern)
    if starts is None:
        yield from pattern.finditer(text)
        return
    search, match = starts.search, pattern.match
    position = 0
    while (start := search(text, position)) is not None:
        found = match(text, start.start())
        if found is None:
            position = start.start() + 1
            continue
        yield found
        # finditer goes on at the end of a match (a pattern with a known first character never matches empty)
        position = found.end()
