"""``kexie review DRAFT``: review a draft of ``kexie extract`` in the browser; every decision is saved to it.

::

    kexie review draft.csv [--document PATH] [--no-browser] [--port N] [--idle-minutes 30] [--codebook PATH]

The page (served on 127.0.0.1 with a random token; the address is printed) shows the document
with every candidate highlighted and the selected candidate's fields; keys ``a`` accept, ``r``
reject, ``j``/``k`` next/previous, ``/`` search the indicators. Each decision is written to the
draft at once (``decision``, ``reviewed_at``), so nothing is lost on reload or crash; then
``kexie extract --to-sheet draft.csv -o …`` as before (rejected rows have ``kind=rejected``).
The server stops on Ctrl-C, SIGTERM, or after the idle deadline.
"""

from __future__ import annotations

import argparse
import signal
import sys
import webbrowser
from pathlib import Path

__all__ = ["command", "configure_parser"]


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``kexie review``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> configure_parser(parser)
    >>> args = parser.parse_args(["draft.csv", "--no-browser"])
    >>> args.draft, args.no_browser, args.idle_minutes
    ('draft.csv', True, 30.0)
    """
    parser.add_argument("draft", help="a draft of kexie extract (CSV); decisions are written into it")
    parser.add_argument(
        "--document", default=None, help="the document of the draft (default: its document/path columns)"
    )
    parser.add_argument(
        "--codebook", default=None, help="codebook table for the indicator list (default: data/processed/codebook.csv)"
    )
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser; only print the address")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument(
        "--idle-minutes", type=float, default=30.0, help="stop after this many minutes without a request (default 30)"
    )


def command(args: argparse.Namespace) -> int:
    """Run ``kexie review``: serve until Ctrl-C, SIGTERM or the idle deadline.

    Examples
    --------
    >>> command(argparse.Namespace(draft="/nonexistent/draft.csv", document=None, codebook=None, no_browser=True, port=0, idle_minutes=1))
    Traceback (most recent call last):
    ...
    kexie_research.errors.SheetError: /nonexistent/draft.csv: no such draft file
    """
    from kexie_research.errors import SheetError
    from kexie_research.review.server import ReviewServer

    draft = Path(args.draft)
    if not draft.is_file():
        raise SheetError(f"{draft}: no such draft file")
    if draft.suffix.lower() != ".csv":
        raise SheetError(f"{draft}: kexie review works on a CSV draft (kexie extract … -o draft.csv)")
    if args.idle_minutes <= 0:
        raise SheetError("--idle-minutes must be positive")
    if not 0 <= args.port <= 65535:
        raise SheetError(f"--port {args.port} is not a port number")
    server = ReviewServer(
        draft, document=args.document, codebook=args.codebook, port=args.port, idle_timeout=args.idle_minutes * 60
    )

    def on_signal(number: int, _frame: object) -> None:
        server.reason = "Ctrl-C" if number == signal.SIGINT else f"signal {signal.Signals(number).name}"
        raise KeyboardInterrupt

    # Both handlers are in place before the address is printed, and everything after that runs inside the
    # try: a signal sent as soon as the address appears is a clean stop, never an uncaught interrupt.
    previous = {number: signal.signal(number, on_signal) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        print(f"reviewing {draft} ({len(server.store.rows)} candidates); every decision is saved to it")
        print(f"open {server.url}")
        print("stop with Ctrl-C", flush=True)
        if not args.no_browser:
            webbrowser.open(server.url)
        reason = server.serve()
    except KeyboardInterrupt:
        reason = server.reason if server.reason != "stopped" else "Ctrl-C"
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        server.httpd.server_close()
    reviewed = sum(1 for row in server.store.rows if row.get("decision"))
    print(f"stopped ({reason}); {reviewed} of {len(server.store.rows)} candidates reviewed in {draft}", file=sys.stderr)
    return 0
