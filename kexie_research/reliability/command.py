"""``kexie agree``: how far coders (or a coder and ``kexie extract``) agree on the same document(s).

::

    kexie agree SHEET_A SHEET_B [SHEET_C ...] -o agreement.csv [-d disagreements.csv]
                [--document PATH] [--replicates 1000] [--seed N]

Exit status 0; 2 on a usage or data error (one line naming the sheet and line).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from kexie_research.reliability.agree import agree
from kexie_research.reliability.write import write_table

__all__ = ["command", "configure_parser"]


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``kexie agree``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> configure_parser(parser)
    >>> parser.parse_args(["a.csv", "b.csv", "-o", "out.csv"]).replicates
    1000
    """
    parser.add_argument(
        "sheets", nargs="+", metavar="SHEET", help="one sheet per coder (coding sheets or kexie extract drafts)"
    )
    parser.add_argument(
        "-o", "--output", required=True, help="agreement table: field, level, alpha, ci_low, ci_high, units, coders"
    )
    parser.add_argument("-d", "--disagreements", default=None, help="write the units to resolve here (CSV)")
    parser.add_argument(
        "--document", default=None, help="the document of coding sheets not listed in data/raw/sources.yaml"
    )
    parser.add_argument("--replicates", type=int, default=1000, help="bootstrap replicates (default 1000)")
    parser.add_argument("--seed", type=int, default=20240617, help="bootstrap seed (the same seed, the same interval)")


def _number(value: float) -> str:
    return "undefined" if math.isnan(value) else f"{value:.3f}"


def command(args: argparse.Namespace) -> int:
    """Run ``kexie agree``; prints unitizing and the α table.

    Examples
    --------
    >>> command(argparse.Namespace(sheets=["a.csv"], output="out.csv", disagreements=None, document=None, replicates=10, seed=1))
    Traceback (most recent call last):
    ...
    kexie_research.errors.SheetError: kexie agree needs at least two sheets (one per coder)
    """
    from kexie_research.errors import SheetError

    if len(args.sheets) < 2:
        raise SheetError("kexie agree needs at least two sheets (one per coder)")
    if args.replicates < 1:
        raise SheetError(f"--replicates must be at least 1, not {args.replicates}")
    outputs = [Path(args.output)] + ([Path(args.disagreements)] if args.disagreements else [])
    for output in outputs:
        if any(output.resolve() == Path(sheet).resolve() for sheet in args.sheets):
            raise SheetError(f"{output}: the output would overwrite a sheet")
        if output.is_dir():
            raise SheetError(f"{output}: is a folder, not a file")
    result = agree(args.sheets, document=args.document, replicates=args.replicates, seed=args.seed)
    u = result.unitizing
    print(
        f"{u['coders']} coders, {u['units']} facts: {u['coded_by_all']} coded by all, "
        f"{u['coded_by_some']} by some, {u['coded_by_one']} by one"
    )
    for row in result.table.itertuples():
        print(
            f"  {row.field:<13} {row.level:<9} α = {_number(row.alpha):>9}  "
            f"95% CI [{_number(row.ci_low)}, {_number(row.ci_high)}]  units = {row.units}"
        )
    write_table(result.table, args.output)
    print(f"agreement -> {args.output}")
    if args.disagreements:
        write_table(result.disagreements, args.disagreements)
        print(f"{len(result.disagreements)} disagreements -> {args.disagreements}")
    return 0
