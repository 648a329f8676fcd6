"""Command-line parameter values: ``name=value`` strings converted to the type a notebook declares,
then checked (finite numbers, within the notebook's declared range, no empty lists) before any
kernel starts."""

from __future__ import annotations

import ast
import math
from collections.abc import Sequence
from typing import Any

from kexie_research.runner.model import Parameter, ReportError

# The container parameters a notebook may declare, read as Python literals.
_LITERAL_TYPES: dict[str, type] = {"list": list, "tuple": tuple, "dict": dict, "set": set}

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["case=wuzhou", "min_cases=3"]`` → ``{"case": "wuzhou", "min_cases": "3"}``.

    Examples
    --------
    >>> parse_assignments(["min_cases=3", "per=1000"])
    {'min_cases': '3', 'per': '1000'}
    """
    parsed: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ReportError(f"-p/--parameter expects name=value with a Python identifier as name, got {item!r}")
        if name in parsed and parsed[name] != value:
            raise ReportError(f"-p/--parameter {name} is given twice ({parsed[name]!r} and {value!r}); keep one")
        parsed[name] = value
    return parsed


def _declared_type(parameter: Parameter) -> str:
    type_name = parameter.type_name.replace(" ", "")
    if type_name in ("None", "NoneType", ""):
        try:
            default = ast.literal_eval(parameter.default) if parameter.default else None
        except (ValueError, SyntaxError):
            default = None
        type_name = type(default).__name__ if default is not None else "any"
    return type_name.split("[", 1)[0].lower()


def _convert(raw: str, base: str, fail) -> Any:
    if base == "str":
        return raw
    if base == "int":
        try:
            return int(raw.strip())
        except ValueError:
            raise fail("an integer") from None
    if base == "float":
        try:
            return float(raw.strip())
        except ValueError:
            raise fail("a number") from None
    if base == "bool":
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise fail("true/false")
    if base in _LITERAL_TYPES:
        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            raise fail(f"a Python {base} literal") from None
        if type(value) is not _LITERAL_TYPES[base]:
            raise fail(f"a Python {base} literal")
        return value
    # Unannotated parameter without a literal default: a literal if it reads as one, else the string.
    if raw.strip().lower() in ("none", "null"):
        return None
    try:
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw


def _numbers(value: Any) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [value]
    if isinstance(value, (list, tuple, set)):
        return [n for item in value for n in _numbers(item)]
    if isinstance(value, dict):
        return [n for item in value.values() for n in _numbers(item)]
    return []


def check_value(value: Any, parameter: Parameter, where: str = "") -> Any:
    """Refuse non-finite numbers, values outside the declared range and empty collections.

    Examples
    --------
    >>> check_value(0.8, Parameter("incl_cut", "float", "0.8", minimum=0.5, maximum=1.0))
    0.8
    >>> check_value(float("nan"), Parameter("incl_cut", "float", "0.8"))
    Traceback (most recent call last):
    ...
    kexie_research.runner.model.ReportError: parameter 'incl_cut' must be a finite number, got nan
    """
    for number in _numbers(value):
        if isinstance(number, float) and not math.isfinite(number):
            raise ReportError(f"{where}parameter {parameter.name!r} must be a finite number, got {value!r}")
        if parameter.minimum is not None and number < parameter.minimum:
            raise ReportError(
                f"{where}parameter {parameter.name!r} must be at least {parameter.minimum:g}, got {value!r}"
            )
        if parameter.maximum is not None and number > parameter.maximum:
            raise ReportError(
                f"{where}parameter {parameter.name!r} must be at most {parameter.maximum:g}, got {value!r}"
            )
    if isinstance(value, (list, tuple, set, dict, str)) and not isinstance(value, str) and len(value) == 0:
        raise ReportError(f"{where}parameter {parameter.name!r} must not be empty, got {value!r}")
    if isinstance(value, str) and not value.strip() and _declared_type(parameter) != "str":
        raise ReportError(f"{where}parameter {parameter.name!r} must not be empty")
    return value


def coerce_parameter(raw: str, parameter: Parameter, notebook: str = "") -> Any:
    """Convert a command-line string to the type the notebook declares for the parameter, checked.

    The declared type is the annotation of the parameter (``min_places: int = 2``); without one, the
    type of the default value. ``None``/``null`` is accepted where the default is ``None``.

    Examples
    --------
    >>> coerce_parameter("3", Parameter("min_places", "int", "2"))
    3
    >>> coerce_parameter("yes", Parameter("flag", "bool", "False"))
    True
    >>> coerce_parameter("-inf", Parameter("incl_cut", "None", "0.8"), "50_x")
    Traceback (most recent call last):
    ...
    kexie_research.runner.model.ReportError: 50_x: parameter 'incl_cut' must be a finite number, got -inf
    """
    where = f"{notebook}: " if notebook else ""

    def fail(expected: str) -> ReportError:
        return ReportError(
            f"{where}parameter {parameter.name!r} expects {expected} (declared {parameter.type_name!r}), got {raw!r}"
        )

    base = _declared_type(parameter)
    if base in ("int", "float", "list", "tuple", "dict", "set", "bool") and not raw.strip():
        raise ReportError(f"{where}parameter {parameter.name!r} must not be empty")
    return check_value(_convert(raw, base, fail), parameter, where)


def check_timeout(timeout: float | None) -> float | None:
    """``--timeout`` must be a positive, finite number of seconds (or absent).

    Examples
    --------
    >>> check_timeout(-5)
    Traceback (most recent call last):
    ...
    kexie_research.runner.model.ReportError: --timeout must be a positive number of seconds, got -5
    """
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) or timeout <= 0:
        raise ReportError(f"--timeout must be a positive number of seconds, got {timeout!r}")
    return timeout
