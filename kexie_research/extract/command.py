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
import csv
import sys
from pathlib import Path

from kexie_research import config
from kexie_research.errors import KexieError

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
    parser.add_argument("paths", nargs="*", metavar="PATH", help=".txt documents or folders (searched recursively)")
    parser.add_argument("-o", "--output", required=True, help="the draft CSV to write (with --to-sheet: the coding sheet)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_workers, default=None,
                       help="local worker processes (default: number of cores; 1 = one process, no Dask)")
    where.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help="run on an existing Dask cluster")
    parser.add_argument("--spawn-workers", action="store_true",
                        help="start the local pool's workers as new processes instead of forking them from this one (Linux forks by default)")
    place = parser.add_mutually_exclusive_group()
    place.add_argument("--place", default=None, help="the documents' place by name (e.g. 宜昌市) when not in the manifest")
    place.add_argument("--code", default=None, help="the documents' place by administrative code (e.g. 420500)")
    parser.add_argument("--reference-date", default=None, metavar="YYYY-MM-DD",
                        help="date against which 近3年 / 目前 are read, when not in the manifest")
    parser.add_argument("--errors", default=None, help="CSV of the documents that failed (default: <output>.errors.csv when any fail)")
    parser.add_argument("--no-progress", action="store_true", help="do not show the progress bar")
    parser.add_argument("--to-sheet", default=None, metavar="DRAFT",
                        help="turn a reviewed draft into a coding sheet (kind=fact rows with an indicator_id)")
    parser.add_argument("--prefix", default=None, help="record_id prefix of the coding sheet (two capital letters)")


def _place_code(args: argparse.Namespace) -> str | None:
    from kexie_research.extract.resources import load_resolver

    if args.code:
        resolver = load_resolver()
        if args.code not in resolver.places.index:
            raise KexieError(f"--code {args.code}: unknown administrative code (not in the place reference)")
        return args.code
    if args.place:
        return load_resolver().resolve(args.place).admin_code
    return None


def _output_file(given: str, option: str, example: str = "draft.csv") -> Path:
    """The file an option names, its folder created; :class:`KexieError` before any work if it cannot be.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _output_file(str(folder / "new" / "draft.csv"), "-o").parent.is_dir()
    True
    >>> try:
    ...     _output_file(str(folder), "-o")
    ... except KexieError as exc:
    ...     print(str(exc).split(": ", 1)[1])
    is a folder; give a file name in it, such as draft.csv
    """
    path = Path(given)
    if path.is_dir():
        raise KexieError(f"{option} {path}: is a folder; give a file name in it, such as {example}")
    blocking = next((parent for parent in path.parents if parent.exists() and not parent.is_dir()), None)
    if blocking is not None:
        raise KexieError(f"{option} {path}: {blocking} is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KexieError(f"{option} {path}: cannot create its folder {path.parent}: {exc.strerror or exc}") from None
    return path


def _refuse_overwriting(outputs: dict[str, Path], inputs: dict[Path, str], into_raw: bool = False) -> None:
    """:class:`KexieError` if an output file is an input, another output, or inside ``data/raw``.

    ``outputs`` maps an option to its file; ``inputs`` maps each file read to how it was given;
    ``into_raw`` allows ``data/raw`` (a coding sheet belongs in ``data/raw/indicators``).

    Examples
    --------
    >>> try:
    ...     _refuse_overwriting({"-o": Path("a.csv"), "--errors": Path("./a.csv")}, {})
    ... except KexieError as exc:
    ...     print(exc)
    -o and --errors name the same file a.csv
    """
    raw = config.raw_dir().resolve()
    seen: dict[Path, str] = {}
    read = {path.resolve(): given for path, given in inputs.items()}
    for option, path in outputs.items():
        resolved = path.resolve()
        if resolved in seen:
            raise KexieError(f"{seen[resolved]} and {option} name the same file {path}")
        seen[resolved] = option
        if resolved in read:
            raise KexieError(f"{option} {path} is {read[resolved]}, which this command reads; write elsewhere")
        if resolved.is_relative_to(raw) and not into_raw:
            raise KexieError(f"{option} {path} is inside {raw}, the immutable inputs; write the draft elsewhere "
                             "and turn it into a coding sheet with --to-sheet")


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
    if args.to_sheet:
        from kexie_research.extract.sheet import write_sheet

        if args.paths:
            raise KexieError(f"--to-sheet reads the reviewed draft only; leave out {' '.join(args.paths)}")
        _refuse_overwriting({"-o": Path(args.output)}, {Path(args.to_sheet): "the draft given to --to-sheet"}, into_raw=True)
        written, left_out = write_sheet(args.to_sheet, _output_file(args.output, "-o", "tongzi_report.csv"), args.prefix)
        print(f"{written} coded rows -> {args.output}" + (f" ({left_out} fact rows without indicator_id left out)" if left_out else ""))
        return 0
    if not args.paths:
        print("kexie extract: error: give documents or folders (PATH...), or --to-sheet DRAFT", file=sys.stderr)
        return 2
    from kexie_research.extract.parallel import document_paths, extract_paths

    files, missing = document_paths(args.paths)
    if not files and not missing:
        raise KexieError(f"no .txt documents in {', '.join(map(str, args.paths))}")
    out = Path(args.output)
    errors_path = Path(args.errors) if args.errors else out.with_name(out.stem + ".errors.csv")
    _refuse_overwriting({"-o": out, "--errors": errors_path}, {path: "a document" for path in files})
    out = _output_file(args.output, "-o")
    errors_path = _output_file(str(errors_path), "--errors", "errors.csv")
    if args.reference_date is not None:
        from kexie_research.parse.periods import parse_period

        parse_period("", args.reference_date)  # raises ParseError naming a malformed date
    result = extract_paths(
        args.paths, workers=args.workers, scheduler=args.scheduler, place_code=_place_code(args),
        reference_date=args.reference_date, progress=not args.no_progress, fork=not args.spawn_workers,
    )
    result.draft.to_csv(out, index=False, encoding="utf-8", lineterminator="\n")
    facts = int((result.draft["kind"] == "fact").sum())
    rate = result.characters / result.seconds if result.seconds else 0.0
    print(
        f"{len(result.draft)} candidate rows ({facts} facts) from {result.documents - len(result.errors)} "
        f"documents -> {out} ({result.characters:,} characters in {result.seconds:.1f} s, {rate:,.0f}/s, "
        f"{result.workers} worker(s))"
    )
    if result.errors:
        with errors_path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["document", "error"])
            writer.writerows(result.errors)
        for _, reason in result.errors:  # the reason names the path
            print(f"kexie extract: failed: {reason}", file=sys.stderr)
        print(f"kexie extract: {len(result.errors)} document(s) failed, listed in {errors_path}", file=sys.stderr)
        return 1
    return 0
