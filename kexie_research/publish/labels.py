"""Variable and value labels of the dataset, for formats that carry them (Stata, SPSS, R factors).

Variable labels come from the data package (``data/processed/datapackage.json``), which the build
derives from the pandera schemas, so a label says exactly what the data dictionary says. Categorical
columns are coded as integers ``1 … k`` in the sorted order of their values, each code labelled with
the value and, where the project has one, its bilingual name (``county`` → "county 县级"). Computation
only: nothing here writes a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kexie_research import config
from kexie_research.errors import KexieError

# Stata: variable labels of at most 80 characters (Stata's limit), value labels of at most 32,000.
STATA_LABEL_LIMIT = 80

# The categorical columns of the indicator table and the bilingual names of their fixed categories.
SCOPE_LEVEL_NAMES = {
    "national": "national 全国",
    "provincial": "provincial 省级",
    "city": "city 市级",
    "county": "county 县级",
    "township": "township 乡镇",
    "organisation": "organisation 组织",
}
QUALIFIER_NAMES = {
    "exact": "exact 确数",
    "approx": "approximate 约数",
    "at_least": "at least 以上",
    "at_most": "at most 以下",
    "range": "range 区间",
}
CATEGORICAL_COLUMNS = ("source_id", "case", "province", "scope_level", "indicator_id", "dimension", "unit", "qualifier")


@dataclass(frozen=True)
class LabelledTable:
    """A table whose categorical columns are integer codes, with the labels that decode them.

    ``variable_labels`` maps a column to its label; ``value_labels`` maps a coded column to
    ``{code: label}``; ``categories`` maps it to the values in code order (code ``i + 1`` is
    ``categories[column][i]``).

    Examples
    --------
    >>> table = LabelledTable(pd.DataFrame({"unit": [1]}), {"unit": "Unit"}, {"unit": {1: "CNY"}}, {"unit": ["CNY"]})
    >>> table.categories["unit"][table.frame["unit"][0] - 1]
    'CNY'
    """

    frame: pd.DataFrame
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[int, str]] = field(default_factory=dict)
    categories: dict[str, list[str]] = field(default_factory=dict)


def variable_labels(resource: str = "indicators", processed_dir: Path | None = None) -> dict[str, str]:
    """The description of every field of a data-package resource, by column name.

    Parameters
    ----------
    resource : str
        The resource name in ``datapackage.json`` (``indicators``, ``cases``, ``codebook`` …).
    processed_dir : Path, optional
        The processed folder (default: the project's ``data/processed``).

    Examples
    --------
    >>> variable_labels()["value"]
    'Harmonised value (for a range: its lower end)'
    """
    folder = Path(processed_dir) if processed_dir else config.processed_dir()
    path = folder / config.PROCESSED_FILES["datapackage"]
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KexieError(f"{path} not found: run `kexie build` first to generate data/processed/") from None
    except ValueError as exc:
        raise KexieError(f"{path} is not valid JSON ({exc}): run `kexie build` again") from None
    for entry in package.get("resources", []):
        if entry.get("name") == resource:
            return {f["name"]: str(f.get("description") or f["name"]) for f in entry["schema"]["fields"]}
    raise KexieError(f"{path} has no resource named {resource!r}")


def short_label(label: str, limit: int = STATA_LABEL_LIMIT) -> str:
    """``label`` cut to ``limit`` characters at a word boundary, with an ellipsis when cut.

    Examples
    --------
    >>> short_label("Harmonised value (for a range: its lower end)", 20)
    'Harmonised value …'
    >>> short_label("Unit of value", 20)
    'Unit of value'
    """
    if len(label) <= limit:
        return label
    room = label[: limit - 2]  # the cut text, a space and the ellipsis fit in ``limit``
    cut = room.rsplit(" ", 1)[0] if " " in room else room
    return cut.rstrip(" ,;:(") + " …"


def category_names(
    column: str, values: list[str], indicators: pd.DataFrame | None = None, cases: pd.DataFrame | None = None
) -> dict[str, str]:
    """The label of each value of a categorical column (the value itself where no name is known).

    Examples
    --------
    >>> category_names("scope_level", ["county", "city"])
    {'county': 'county 县级', 'city': 'city 市级'}
    >>> category_names("unit", ["CNY"])
    {'CNY': 'CNY'}
    """
    names: dict[str, str] = {}
    for value in values:
        label = value
        if column == "scope_level":
            label = SCOPE_LEVEL_NAMES.get(value, value)
        elif column == "qualifier":
            label = QUALIFIER_NAMES.get(value, value)
        elif column == "indicator_id" and indicators is not None and value in indicators.index:
            row = indicators.loc[value]
            label = f"{value}: {row['en']} {row['zh']}"
        elif column == "case" and cases is not None and value in cases.index:
            row = cases.loc[value]
            label = f"{row.get('case_en', value)} {row.get('case_zh', '')}".strip()
        names[value] = label
    return names


def encode_categoricals(
    frame: pd.DataFrame,
    labels: dict[str, str],
    columns: tuple[str, ...] = CATEGORICAL_COLUMNS,
    indicators: pd.DataFrame | None = None,
    cases: pd.DataFrame | None = None,
) -> LabelledTable:
    """Replace each categorical column present in ``frame`` by integer codes with value labels.

    Empty text becomes a missing code (``NA``), never a category. ``is_target`` (boolean) becomes
    0/1 labelled "achieved 已实现" / "target 目标".

    Examples
    --------
    >>> table = encode_categoricals(pd.DataFrame({"qualifier": ["range", "exact", ""], "is_target": [True, False, False]}),
    ...                             {"qualifier": "exact, approx …"})
    >>> table.frame["qualifier"].tolist(), table.value_labels["qualifier"]
    ([2, 1, <NA>], {1: 'exact 确数', 2: 'range 区间'})
    >>> table.frame["is_target"].tolist()
    [1, 0, 0]
    """
    coded = frame.copy()
    value_labels: dict[str, dict[int, str]] = {}
    categories: dict[str, list[str]] = {}
    for column in columns:
        if column not in coded.columns:
            continue
        text = coded[column].astype("string").fillna("")
        values = sorted(v for v in text.unique() if v != "")
        codes = {value: number for number, value in enumerate(values, start=1)}
        coded[column] = text.map(codes).astype("Int64")
        names = category_names(column, values, indicators, cases)
        value_labels[column] = {codes[v]: names[v] for v in values}
        categories[column] = values
    if "is_target" in coded.columns:
        coded["is_target"] = coded["is_target"].astype("Int64")
        value_labels["is_target"] = {0: "achieved 已实现", 1: "target 目标"}
        categories["is_target"] = ["achieved", "target"]
    return LabelledTable(frame=coded, variable_labels=dict(labels), value_labels=value_labels, categories=categories)
