"""Write the indicator table as Stata, SPSS, R (Parquet + reader script) or Excel files.

Each writer takes the processed folder (default: the project's) and an output folder, writes its
files atomically (a temporary file in the same folder, then a rename: a reader never sees half a
file) and returns their paths. Categorical columns carry value labels and every column its
variable label (:mod:`~kexie_research.publish.labels`); dates are dates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from kexie_research import __version__
from kexie_research.data import load_cases, load_codebook, load_indicators
from kexie_research.atomic import atomic_path
from kexie_research.errors import KexieError
from kexie_research.publish.labels import LabelledTable, encode_categoricals, short_label, variable_labels

DATE_COLUMNS = ("period_start", "period_end")
# Stata keeps a string of at most 2,045 bytes in a str# variable (longer ones need strL, which
# pyreadstat does not write): a longer cell is an error naming it, never cut.
STATA_STRING_BYTES = 2045
FORMATS = ("stata", "spss", "r", "excel")


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary_path)`` and put the result in place of ``path`` at once
    (:func:`kexie_research.atomic.atomic_path`).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "a.txt", lambda p: p.write_text("x")).read_text()
    'x'
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt']
    """
    with atomic_path(path) as temporary:
        write(temporary)
    return Path(path)


def labelled_indicators(processed_dir: Path | None = None) -> LabelledTable:
    """The indicator table ready for a labelled format: categorical columns coded, dates as dates.

    Examples
    --------
    >>> table = labelled_indicators()
    >>> table.value_labels["scope_level"][table.categories["scope_level"].index("county") + 1]
    'county 县级'
    >>> type(table.frame["period_start"].dropna().iloc[0]).__name__
    'date'
    """
    frame = load_indicators(processed_dir)
    for column in DATE_COLUMNS:
        # Python dates: readstat writes them as Stata %td / SPSS DATE11 (it misreads datetime64[s]),
        # Parquet as date32.
        parsed = pd.to_datetime(frame[column].replace("", None), format="%Y-%m-%d")
        frame[column] = parsed.dt.date.astype(object).where(parsed.notna(), None)
    labels = variable_labels("indicators", processed_dir)
    codebook = load_codebook(processed_dir)
    cases = load_cases(processed_dir).set_index("case", drop=False)
    return encode_categoricals(frame, labels, indicators=codebook.indicators, cases=cases)


def _check_stata_strings(frame: pd.DataFrame) -> None:
    """Raise naming the first cell too long for a Stata string variable."""
    for column in frame.columns:
        if frame[column].dtype.kind not in "OUT" and str(frame[column].dtype) not in ("str", "string"):
            continue
        sizes = frame[column].fillna("").astype(str).str.encode("utf-8").str.len()
        if len(sizes) and sizes.max() > STATA_STRING_BYTES:
            row = frame.iloc[int(sizes.to_numpy().argmax())]
            raise KexieError(
                f"column {column!r} of record {row.get('record_id', '?')} has {int(sizes.max())} bytes, more than "
                f"Stata's {STATA_STRING_BYTES} for a string; export --format spss, r or excel keeps it whole"
            )


def _strings_for_readstat(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain Python strings with "" for missing (readstat writes no string missing)."""
    out = frame.copy()
    for column in out.columns:
        if column not in DATE_COLUMNS and str(out[column].dtype) in ("str", "string", "object"):
            out[column] = out[column].astype(object).where(out[column].notna(), "").astype(object)
    return out


def write_stata(out_dir: Path, processed_dir: Path | None = None) -> list[Path]:
    """``indicators.dta`` (Stata 15 format) with variable and value labels.

    Examples
    --------
    >>> import pyreadstat
    >>> import tempfile
    >>> path = write_stata(Path(tempfile.mkdtemp()))[0]
    >>> frame, meta = pyreadstat.read_dta(path)
    >>> meta.column_names_to_labels["value"]
    'Harmonised value (for a range: its lower end)'
    >>> meta.variable_value_labels["is_target"]
    {0: 'achieved 已实现', 1: 'target 目标'}
    """
    import pyreadstat

    table = labelled_indicators(processed_dir)
    frame = _strings_for_readstat(table.frame)
    _check_stata_strings(frame)
    labels: dict[str, str | None] = {
        column: short_label(label) for column, label in table.variable_labels.items() if column in frame
    }
    path = Path(out_dir) / "indicators.dta"
    atomic_write(
        path,
        lambda p: pyreadstat.write_dta(
            frame,
            str(p),
            file_label=f"kexie-research {__version__}: indicators",
            column_labels=labels,
            variable_value_labels=_readstat_value_labels(table),
            version=15,
        ),
    )
    return [path]


def write_spss(out_dir: Path, processed_dir: Path | None = None) -> list[Path]:
    """``indicators.sav`` with variable and value labels (measure levels: nominal for coded columns).

    Examples
    --------
    >>> import pyreadstat
    >>> import tempfile
    >>> path = write_spss(Path(tempfile.mkdtemp()))[0]
    >>> frame, meta = pyreadstat.read_sav(path)
    >>> meta.variable_value_labels["qualifier"][1]
    'approximate 约数'
    """
    import pyreadstat

    table = labelled_indicators(processed_dir)
    frame = _strings_for_readstat(table.frame)
    measures = dict.fromkeys(table.value_labels, "nominal")
    measures.update({column: "scale" for column in ("value", "low", "high") if column in frame})
    labels: dict[str, str | None] = dict(table.variable_labels)
    path = Path(out_dir) / "indicators.sav"
    atomic_write(
        path,
        lambda p: pyreadstat.write_sav(
            frame,
            str(p),
            file_label=f"kexie-research {__version__}: indicators",
            column_labels=labels,
            variable_value_labels=_readstat_value_labels(table),
            variable_measure=measures,
        ),
    )
    return [path]


def _readstat_value_labels(table: LabelledTable) -> dict[str, dict[int | float, str]]:
    # pyreadstat's value labels are keyed by int or float codes; ours are ints.
    return {column: dict(codes.items()) for column, codes in table.value_labels.items()}


def _r_string(text: str) -> str:
    """An R string literal for ``text`` (JSON's escapes are R's: ``\\"``, ``\\\\``, ``\\n``, ``\\uXXXX``).

    Examples
    --------
    >>> _r_string('a "b"\\n')
    '"a \\\\"b\\\\"\\\\n"'
    """
    return json.dumps(text, ensure_ascii=True)


def r_reader_script(table: LabelledTable, parquet_name: str = "indicators.parquet") -> str:
    """An R script that reads the Parquet file, makes the coded columns factors and sets labels.

    Examples
    --------
    >>> script = r_reader_script(labelled_indicators())
    >>> "arrow::read_parquet" in script and 'attr(indicators[["value"]], "label")' in script
    True
    """
    lines = [
        f"# kexie-research {__version__}: read the indicator table in R (needs the arrow package).",
        '# Usage: source("read_indicators.R"); head(indicators)',
        'here <- if (!is.null(sys.frame(1)$ofile)) dirname(sys.frame(1)$ofile) else "."',
        f"indicators <- as.data.frame(arrow::read_parquet(file.path(here, {_r_string(parquet_name)})))",
    ]
    for column, codes in table.value_labels.items():
        levels = ", ".join(str(code) for code in codes)
        names = ", ".join(_r_string(label) for label in codes.values())
        lines.append(
            f"indicators[[{_r_string(column)}]] <- factor(indicators[[{_r_string(column)}]], "
            f"levels = c({levels}), labels = c({names}))"
        )
    for column, label in table.variable_labels.items():
        if column in table.frame.columns:
            lines.append(f'attr(indicators[[{_r_string(column)}]], "label") <- {_r_string(label)}')
    return "\n".join(lines) + "\n"


def write_r(out_dir: Path, processed_dir: Path | None = None) -> list[Path]:
    """``indicators.parquet`` (coded columns as integers) and ``read_indicators.R`` that labels them.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_r(Path(tempfile.mkdtemp()))
    >>> [p.name for p in paths]
    ['indicators.parquet', 'read_indicators.R']
    >>> int(pd.read_parquet(paths[0])["is_target"].max())
    1
    """
    table = labelled_indicators(processed_dir)
    parquet = Path(out_dir) / "indicators.parquet"
    script = Path(out_dir) / "read_indicators.R"
    atomic_write(parquet, lambda p: table.frame.to_parquet(p, index=False))
    atomic_write(script, lambda p: p.write_text(r_reader_script(table), encoding="utf-8"))
    return [parquet, script]


def write_excel(out_dir: Path, processed_dir: Path | None = None) -> list[Path]:
    """``kexie_dataset.xlsx``: the indicators, the codebook and the cases, formatted for reading.

    Examples
    --------
    >>> import openpyxl
    >>> import tempfile
    >>> path = write_excel(Path(tempfile.mkdtemp()))[0]
    >>> book = openpyxl.load_workbook(path)
    >>> book.sheetnames, book["indicators"].freeze_panes
    (['indicators', 'codebook', 'cases', 'variables'], 'A2')
    """
    from kexie_research.publish.workbook import write_workbook

    frame = load_indicators(processed_dir)
    codebook = load_codebook(processed_dir).indicators.reset_index(drop=True)
    cases = load_cases(processed_dir)
    labels = variable_labels("indicators", processed_dir)
    variables = pd.DataFrame({"column": list(frame.columns), "label": [labels.get(c, "") for c in frame.columns]})
    sheets = {"indicators": frame, "codebook": codebook, "cases": cases, "variables": variables}
    path = Path(out_dir) / "kexie_dataset.xlsx"
    atomic_write(path, lambda p: write_workbook(sheets, p, wrap_columns=("quote", "note", "definition", "label")))
    return [path]


WRITERS: dict[str, Callable[[Path, Path | None], list[Path]]] = {
    "stata": write_stata,
    "spss": write_spss,
    "r": write_r,
    "excel": write_excel,
}
