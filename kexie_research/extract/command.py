"""``kexie extract``: the command line of assisted coding.

::

    kexie extract PATH... -o draft.csv [--workers N | --scheduler tcp://HOST:PORT]
                  [--place 宜昌市 | --code 420500] [--reference-date 2021-05-10] [--errors errors.csv]
    kexie extract --to-sheet draft.csv -o data/raw/indicators/<source_id>.csv [--prefix YC]

Exit status: 0 when every document was read, 1 when some failed (each named on stderr and in
the errors file; the draft holds all the others), 2 on a usage or data error.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import sys
from pathlib import Path

from kexie_research import config
from kexie_research.atomic import atomic_output, raw_lock
from kexie_research.errors import KexieError
from kexie_research.outputs import file_in_the_way

__all__ = ["command", "configure_parser"]


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--workers expects a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("--workers must be at least 1")
    return value


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``kexie extract`` to its sub-parser.

    Examples
    --------
    >>> p = argparse.ArgumentParser(); configure_parser(p)
    >>> p.parse_args(["doc.txt", "-o", "d.csv", "--workers", "2"]).workers
    2
    >>> p.parse_args(["doc.txt", "-o", "d.csv", "--spawn-workers"]).spawn_workers
    True
    """
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="documents (.txt, .pdf, .html, .docx) or folders (searched recursively)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        help="the draft to write: .csv (UTF-8 with a BOM) or .xlsx (a formatted workbook); with --to-sheet: the coding sheet",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=_workers,
        default=None,
        help="local worker processes (default: number of cores; 1 = one process, no Dask)",
    )
    where.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help="run on an existing Dask cluster")
    parser.add_argument(
        "--spawn-workers",
        action="store_true",
        help="start the local pool's workers as new processes instead of forking them from this one (Linux forks by default)",
    )
    place = parser.add_mutually_exclusive_group()
    place.add_argument(
        "--place", default=None, help="the documents' place by name (e.g. 宜昌市) when not in the manifest"
    )
    place.add_argument("--code", default=None, help="the documents' place by administrative code (e.g. 420500)")
    parser.add_argument(
        "--reference-date",
        default=None,
        metavar="YYYY-MM-DD",
        help="date against which 近3年 / 目前 are read, when not in the manifest",
    )
    parser.add_argument(
        "--errors", default=None, help="CSV of the documents that failed (default: <output>.errors.csv when any fail)"
    )
    parser.add_argument("--no-progress", action="store_true", help="do not show the progress bar")
    parser.add_argument(
        "--to-sheet",
        default=None,
        metavar="DRAFT",
        help="turn a reviewed draft (.csv or .xlsx) into a coding sheet (kind=fact rows with an indicator_id)",
    )
    parser.add_argument("--prefix", default=None, help="record_id prefix of the coding sheet (two capital letters)")
    parser.add_argument("--replace", action="store_true", help="with --to-sheet: replace a coding sheet that exists")


def _place_code(args: argparse.Namespace) -> str | None:
    """The code of ``--code`` or ``--place``: any division of the reference (宜昌市, 点军区, 湖北省 …).

    Examples
    --------
    >>> _place_code(argparse.Namespace(code=None, place="宜昌市"))
    '420500'
    """
    from kexie_research.extract.places import PlaceIndex

    index = PlaceIndex.from_data()
    if args.code:
        if args.code not in index:
            raise KexieError(f"--code {args.code}: unknown administrative code (not in the division reference)")
        return args.code
    if args.place:
        code = index.resolve(args.place)
        if code is None:
            candidates = [name for name in args.place.split() if index.codes(name)]
            detail = (
                f"it may stand for several places ({', '.join(index.codes(args.place))}); give --code"
                if index.codes(args.place) or candidates
                else "expected a division's name such as 宜昌市 or 宜昌"
            )
            raise KexieError(f"--place {args.place}: names no single known place; {detail}")
        return code
    return None


def _check_output_file(path: Path, label: str, example: str) -> None:
    """:class:`KexieError` if ``path`` cannot be an output file: a folder, or under a file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> try:
    ...     _check_output_file(pathlib.Path(tempfile.mkdtemp()), "-o", "draft.csv")
    ... except KexieError as exc:
    ...     print(str(exc).split(": ", 1)[1])
    is a folder; give a file name in it, such as draft.csv
    """
    if path.is_dir():
        raise KexieError(f"{label} {path}: is a folder; give a file name in it, such as {example}")
    blocking = file_in_the_way(path)
    if blocking is not None:
        raise KexieError(f"{label} {path}: {blocking} is a file, not a folder")


def _coded_rows(sheet: Path) -> int:
    """The rows below the header of an existing coding sheet (0 for none, or for the header-only
    sheet ``kexie add-source`` creates).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _coded_rows(sheet), (sheet.write_text("record_id,indicator_id\\n") and _coded_rows(sheet))
    (0, 0)
    """
    if not sheet.is_file():
        return 0
    text = sheet.read_text(encoding="utf-8", errors="replace")
    try:
        return max(
            sum(1 for row in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in row)) - 1, 0
        )
    except csv.Error:  # not readable as CSV (e.g. a cell past the csv module's limit): its lines, at least one
        return max(sum(1 for line in text.splitlines() if line.strip()) - 1, 1)


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is in ``folder``, as written or once links are followed (either way round)."""
    written, linked = Path(os.path.abspath(path)), path.resolve()  # abspath folds "..", resolve follows links
    return any(
        form.is_relative_to(base)
        for form in (written, linked)
        for base in (Path(os.path.abspath(folder)), folder.resolve())
    )


def _refuse_overwriting(outputs: dict[str, Path], inputs: dict[Path, str], sheet: bool = False) -> None:
    """:class:`KexieError` if an output file is an input, another output, or a file of ``data/raw``.

    ``outputs`` maps how each output was named (``-o``, ``--errors``) to its file; ``inputs`` maps
    each file read to what it is. A draft is never written inside ``data/raw``; a coding sheet
    (``sheet``) only as a ``.csv`` file of ``data/raw/indicators``.

    Examples
    --------
    >>> try:
    ...     _refuse_overwriting({"-o": Path("a.csv"), "--errors": Path("./a.csv")}, {})
    ... except KexieError as exc:
    ...     print(exc)
    -o and --errors name the same file a.csv
    """
    raw = config.raw_dir()
    sheets = raw / config.SHEETS_DIR
    seen: dict[Path, str] = {}
    read = {path.resolve(): what for path, what in inputs.items()}
    for label, path in outputs.items():
        resolved = path.resolve()
        if resolved in seen:
            raise KexieError(f"{seen[resolved]} and {label} name the same file {path}")
        seen[resolved] = label
        if resolved in read:
            raise KexieError(f"{label} {path} is {read[resolved]}, which this command reads; write elsewhere")
        if not _inside(path, raw):
            continue
        if not sheet:
            raise KexieError(
                f"{label} {path} is inside {raw}, the immutable inputs; write it elsewhere "
                "(a reviewed draft becomes a coding sheet with --to-sheet)"
            )
        if resolved.suffix != ".csv" or resolved.parent != sheets.resolve():  # the file written, links followed
            raise KexieError(f"{label} {path}: inside {raw} a coding sheet is written only as a .csv file of {sheets}")


def command(args: argparse.Namespace) -> int:
    """Run ``kexie extract`` with parsed arguments; return the exit status.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "doc.txt").write_text("全市建成科普e站30个。", encoding="utf-8")
    >>> parser = argparse.ArgumentParser(); configure_parser(parser)
    >>> args = parser.parse_args([str(folder), "-o", str(folder / "draft.csv"), "--workers", "1",
    ...                           "--code", "450400", "--no-progress"])
    >>> command(args)  # doctest: +ELLIPSIS
    1 candidate rows (1 facts) from 1 documents -> ...
    0
    """
    out = Path(args.output)
    if args.to_sheet:
        from kexie_research.extract.sheet import write_sheet

        if args.paths:
            raise KexieError(f"--to-sheet reads the reviewed draft only; leave out {' '.join(args.paths)}")
        _check_output_file(out, "-o", "tongzi_report.csv")
        _refuse_overwriting({"-o": out}, {Path(args.to_sheet): "the draft given to --to-sheet"}, sheet=True)
        raw = config.raw_dir()
        # Inside data/raw the sheet is written holding the folder's lock (one writer at a time).
        with raw_lock(raw, "kexie extract --to-sheet") if _inside(out, raw) else contextlib.nullcontext():
            coded = _coded_rows(out)
            if coded and not args.replace:
                raise KexieError(
                    f"-o {out} holds {coded} coded row(s), which may be coding done by hand; it is replaced "
                    "only with --replace"
                )
            written, left_out = write_sheet(args.to_sheet, out, args.prefix)
        print(
            f"{written} coded rows -> {args.output}"
            + (f" ({left_out} fact rows without indicator_id left out)" if left_out else "")
        )
        return 0
    if not args.paths:
        print("kexie extract: error: give documents or folders (PATH...), or --to-sheet DRAFT", file=sys.stderr)
        return 2
    from kexie_research.extract.parallel import document_paths, extract_paths

    # Everything is checked before a document is read and before a folder is made.
    files, missing = document_paths(args.paths)
    if not files and not missing:
        raise KexieError(f"no documents (.txt, .pdf, .html, .htm, .docx) in {', '.join(map(str, args.paths))}")
    errors_path = Path(args.errors) if args.errors else out.with_name(out.stem + ".errors.csv")
    errors_label = "--errors" if args.errors else "the errors file (<output>.errors.csv)"
    _check_output_file(out, "-o", "draft.csv")
    _check_output_file(errors_path, errors_label, "errors.csv")
    _refuse_overwriting({"-o": out, errors_label: errors_path}, dict.fromkeys(files, "a document"))
    if args.reference_date is not None:
        from kexie_research.parse.periods import parse_period

        parse_period("", args.reference_date)  # raises ParseError naming a malformed date
    place_code = _place_code(args)
    out.parent.mkdir(parents=True, exist_ok=True)  # last of the checks: a folder that cannot be made stops here
    errors_path.parent.mkdir(parents=True, exist_ok=True)
    # extract_paths lists the documents again (a folder walk, small beside reading them), so that it
    # reports the missing ones and the links to nothing by name, as a caller from Python gets them.
    result = extract_paths(
        args.paths,
        workers=args.workers,
        scheduler=args.scheduler,
        place_code=place_code,
        reference_date=args.reference_date,
        progress=not args.no_progress,
        fork=not args.spawn_workers,
    )
    # Draft and errors file are written atomically: a killed run leaves no part of one that looks whole.
    # The draft is a CSV with a BOM (Excel reads the Chinese), or a formatted workbook for -o *.xlsx.
    from kexie_research.ingest.sheets import write_table

    write_table(result.draft, out)
    facts = int((result.draft["kind"] == "fact").sum())
    rate = result.characters / result.seconds if result.seconds else 0.0
    print(
        f"{len(result.draft)} candidate rows ({facts} facts) from {result.documents - len(result.errors)} "
        f"documents -> {out} ({result.characters:,} characters in {result.seconds:.1f} s, {rate:,.0f}/s, "
        f"{result.workers} worker(s))"
    )
    if result.errors:
        for _, reason in result.errors:  # the reason names the path; said before the file is written
            print(f"kexie extract: failed: {reason}", file=sys.stderr)
        with atomic_output(errors_path) as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["document", "error"])
            writer.writerows(result.errors)
        print(f"kexie extract: {len(result.errors)} document(s) failed, listed in {errors_path}", file=sys.stderr)
        return 1
    return 0
