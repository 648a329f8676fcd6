"""The ``kexie`` command: the front door of the project.

kexie build                 regenerate data/processed/ from data/raw/
kexie validate              run every check without writing; non-zero exit if a row is quarantined
kexie report [options]      run the notebooks into reports/ (see ``kexie report --help``)
kexie lab                   open JupyterLab on the project's own kernel
kexie extract PATH... -o draft.csv   candidate facts from documents (see ``kexie extract --help``)
kexie add-source FILE --place NAME | --code CODE   add a document (and its case) to data/raw
kexie export --format stata|spss|r|excel|codebook   the dataset for other tools, the codebook as a document
kexie review DRAFT          review a draft in the browser (local page; every decision saved to the draft)
kexie agree A.csv B.csv -o agreement.csv   coders' agreement (Krippendorff's alpha per field)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kexie_research import __version__
from kexie_research.errors import KexieError
from kexie_research.outputs import folder_argument


def _cmd_build(args: argparse.Namespace) -> int:
    from kexie_research.build import build

    build(out_dir=args.output_dir)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from kexie_research.build import build

    result = build(write=False)
    if not result.quarantine.empty:
        print("\nquarantined rows:")
        for reason in result.quarantine["reason"]:
            print(f"  - {reason}")
        return 1
    print("all coded rows pass every check")
    return 0


def _cmd_lab(args: argparse.Namespace) -> int:
    from kexie_research.lab import command

    return command(args)


def make_parser() -> argparse.ArgumentParser:
    """The ``kexie`` argument parser, one subcommand per job (also rendered in the CLI reference).

    Examples
    --------
    >>> args = make_parser().parse_args(["build", "--output-dir", "/tmp/processed"])
    >>> args.command, args.output_dir
    ('build', '/tmp/processed')
    """
    parser = argparse.ArgumentParser(
        prog="kexie", description="kexie-research: build the kexie reform dataset and its reports."
    )
    parser.add_argument("--version", action="version", version=f"kexie-research {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_parser = commands.add_parser("build", help="regenerate data/processed/ from data/raw/")
    build_parser.add_argument(
        "--output-dir", type=folder_argument, default=None, help="write here instead of data/processed/"
    )
    build_parser.set_defaults(handler=_cmd_build)

    validate_parser = commands.add_parser("validate", help="check every coded row without writing")
    validate_parser.set_defaults(handler=_cmd_validate)

    report_parser = commands.add_parser("report", help="run the notebooks into reports/ (HTML + figures)")
    try:
        from kexie_research.runner import reports

        reports.configure_parser(report_parser)
        report_parser.set_defaults(handler=reports.command)
    except ImportError as exc:  # the analysis extra is not installed
        message = f"`kexie report` needs the analysis extra (pip install 'kexie-research[analysis]'): {exc}"
        report_parser.set_defaults(handler=lambda _args: (print(message, file=sys.stderr), 2)[1])

    from kexie_research.extract import command as extract_command

    extract_parser = commands.add_parser("extract", help="candidate facts from .txt documents, for review (draft CSV)")
    extract_command.configure_parser(extract_parser)
    extract_parser.set_defaults(handler=extract_command.command)

    lab_parser = commands.add_parser(
        "lab",
        help="open JupyterLab on the project's own kernel",
        description="Open JupyterLab on the project's kernel at the project root (notebooks in view), drawing Chinese "
        "with the project's font; further options (e.g. --no-browser --port 8890) go to jupyter lab.",
    )
    lab_parser.set_defaults(handler=_cmd_lab)

    from kexie_research.publish import command as export_command

    export_parser = commands.add_parser(
        "export",
        help="the dataset for Stata/SPSS/R/Excel and the codebook as HTML/PDF",
        description=export_command.__doc__.split("\n\n")[0],
    )
    export_command.configure_parser(export_parser)
    export_parser.set_defaults(handler=export_command.command)

    from kexie_research import add_source

    add_parser = commands.add_parser(
        "add-source",
        help="add a document (and its case) to data/raw by data alone",
        description=add_source.__doc__.split("\n\n")[0],
    )
    add_source.configure_parser(add_parser)
    add_parser.set_defaults(handler=add_source.command)

    from kexie_research.review import command as review_command

    review_parser = commands.add_parser(
        "review",
        help="review a draft in a local browser page; every decision is saved to the draft",
        description=review_command.__doc__.split("\n\n")[0],
    )
    review_command.configure_parser(review_parser)
    review_parser.set_defaults(handler=review_command.command)

    from kexie_research.reliability import command as agree_command

    agree_parser = commands.add_parser(
        "agree",
        help="agreement of coders on the same document(s): Krippendorff's alpha per field",
        description=agree_command.__doc__.split("\n\n")[0],
    )
    agree_command.configure_parser(agree_parser)
    agree_parser.set_defaults(handler=agree_command.command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kexie`` with ``argv`` (default: the command line); returns the exit code.

    A :class:`~kexie_research.errors.KexieError`, or a path that cannot be read or written
    (:class:`OSError`), becomes one line on stderr naming the problem and exit code 2, never a
    traceback.

    Examples
    --------
    >>> main(["report", "--notebooks", "no_such_notebook"])  # the error (on stderr) lists the valid names
    2
    """
    parser = make_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.lab_args = extra
    try:
        return int(args.handler(args) or 0)
    except KexieError as exc:
        print(f"kexie {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # A path of the command line (or inside data/raw) that cannot be read or written: a folder
        # where a file is expected, a file in the way of a folder, no permission, a full disk.
        print(f"kexie {args.command}: error: {describe_os_error(exc)}", file=sys.stderr)
        return 2


def describe_os_error(exc: OSError) -> str:
    """One line naming the path(s) of ``exc`` and what went wrong with them.

    Examples
    --------
    >>> describe_os_error(IsADirectoryError(21, "Is a directory", "out"))
    "'out': Is a directory"
    >>> describe_os_error(OSError("disk on fire"))
    'disk on fire'
    """
    if exc.filename is None:
        return str(exc)
    paths = " -> ".join(repr(str(name)) for name in (exc.filename, exc.filename2) if name is not None)
    hint = " (a file stands where a folder is needed)" if isinstance(exc, (FileExistsError, NotADirectoryError)) else ""
    return f"{paths}: {exc.strerror or exc}{hint}"


if __name__ == "__main__":
    raise SystemExit(main())
