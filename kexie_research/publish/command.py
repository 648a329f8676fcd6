"""``kexie export``: the dataset for Stata, SPSS, R or Excel, and the codebook as HTML and PDF.

kexie export --format stata              # exports/indicators.dta
kexie export --format stata spss r excel codebook -o replication/
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kexie_research import config
from kexie_research.errors import KexieError
from kexie_research.publish.codebook_doc import write_codebook_html, write_codebook_pdf
from kexie_research.publish.datasets import WRITERS

CHOICES = (*WRITERS, "codebook")


def default_output_dir() -> Path:
    """``exports/`` beside ``data/`` (the project root in a checkout).

    Examples
    --------
    >>> default_output_dir().name
    'exports'
    """
    return config.data_dir().parent / "exports"


def export(formats: list[str], out_dir: Path, processed_dir: Path | None = None) -> list[Path]:
    """Write each of ``formats`` into ``out_dir``; return the files written, in order.

    Examples
    --------
    >>> import tempfile
    >>> [p.name for p in export(["r", "codebook"], Path(tempfile.mkdtemp()))]
    ['indicators.parquet', 'read_indicators.R', 'codebook.html', 'codebook.pdf']
    >>> export(["sas"], Path("."))
    Traceback (most recent call last):
    ...
    kexie_research.errors.KexieError: unknown export format 'sas' (choose from stata, spss, r, excel, codebook)
    """
    unknown = [name for name in formats if name not in CHOICES]
    if unknown:
        raise KexieError(f"unknown export format {unknown[0]!r} (choose from {', '.join(CHOICES)})")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise KexieError(f"{out_dir} is a file: --output-dir must be a folder")
    written: list[Path] = []
    for name in dict.fromkeys(formats):  # each once, in the order given
        if name == "codebook":
            written += [write_codebook_html(out_dir, processed_dir), write_codebook_pdf(out_dir, processed_dir)]
        else:
            written += WRITERS[name](out_dir, processed_dir)
    return written


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Options of ``kexie export``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> configure_parser(parser)
    >>> parser.parse_args(["--format", "stata", "r", "-o", "out"]).formats
    ['stata', 'r']
    """
    parser.add_argument(
        "--format",
        "-f",
        dest="formats",
        nargs="+",
        choices=CHOICES,
        required=True,
        metavar="FORMAT",
        help=f"one or more of: {', '.join(CHOICES)} (stata: .dta; spss: .sav; r: Parquet + read_indicators.R; "
        "excel: formatted .xlsx; codebook: codebook.html and codebook.pdf)",
    )
    parser.add_argument(
        "--output-dir", "-o", default=None, help="folder to write into (default: exports/ at the project root)"
    )


def command(args: argparse.Namespace) -> int:
    """Run ``kexie export``; prints each file written.

    Examples
    --------
    >>> import tempfile
    >>> command(argparse.Namespace(formats=["r"], output_dir=tempfile.mkdtemp()))  # doctest: +ELLIPSIS
    /.../indicators.parquet
    /.../read_indicators.R
    0
    """
    out_dir = Path(args.output_dir) if args.output_dir else default_output_dir()
    for path in export(args.formats, out_dir):
        print(path)
    return 0
