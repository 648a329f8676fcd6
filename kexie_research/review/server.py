"""The review server: 127.0.0.1 only, a random token on every request, an idle deadline.

* bound to ``127.0.0.1`` (a free port unless one is given); nothing else on the network sees it;
* every request must carry the token (``?token=`` in the page's address, ``X-Kexie-Token`` on the
  page's own requests); a wrong or missing token gets 403;
* the ``Host`` header must be ``127.0.0.1:PORT`` or ``localhost:PORT`` and an ``Origin``, when sent,
  the same: a page of another site that points a name at 127.0.0.1 (DNS rebinding) or posts to it
  (cross-site request) is refused with 403; a decision must come as ``application/json``;
* the page is sent with a strict Content-Security-Policy (its own nonce-tagged script and style,
  requests to itself only, no images, frames, forms or plugins) and ``Referrer-Policy: no-referrer``;
* the server stops on Ctrl-C, SIGTERM, or after ``idle_timeout`` seconds without a request.

Examples
--------
>>> import tempfile, pathlib, urllib.request, urllib.error
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "doc.txt").write_text("有科协3个。", encoding="utf-8")
>>> _ = (folder / "draft.csv").write_text("document,kind,raw_text,quote,offset\\ndoc.txt,fact,3个,有科协3个,3\\n", encoding="utf-8")
>>> server = ReviewServer(folder / "draft.csv", codebook=folder / "none.csv")
>>> server.start_in_background()
>>> urllib.request.urlopen(server.url, timeout=10).status
200
>>> try:
...     urllib.request.urlopen(server.url.replace(server.token, "wrong"), timeout=10)
... except urllib.error.HTTPError as error:
...     print(error.code)
403
>>> server.stop()
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast
from urllib.parse import parse_qs, urlsplit

from kexie_research.review.candidates import page_state
from kexie_research.review.page import render_page
from kexie_research.review.store import DraftStore

# The Chinese the page itself writes (labels, placeholders), drawn with the same font as the data.
PAGE_TEXT_CJK = frozenset(c for c in render_page("kexie") if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")

__all__ = ["ReviewServer"]

_MAX_BODY = 200_000


def _csp(nonce: str) -> str:
    return (
        "default-src 'none'; "
        f"script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
        "img-src 'none'; font-src 'self'; object-src 'none'; frame-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


class ReviewServer:
    """Serve the review page of ``draft`` (see the module docstring for a session).

    Examples
    --------
    >>> ReviewServer("/nonexistent/draft.csv")
    Traceback (most recent call last):
    ...
    FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent/draft.csv'
    """

    def __init__(
        self,
        draft: Path | str,
        *,
        document: Path | str | None = None,
        codebook: Path | str | None = None,
        port: int = 0,
        idle_timeout: float = 1800.0,
    ) -> None:
        self.store = DraftStore(draft)
        self.document = Path(document) if document else None
        self.codebook = Path(codebook) if codebook else None
        page_state(self.store.path, self.store.rows, self.document, self.codebook)  # fail now, not in the page
        self.token = secrets.token_urlsafe(24)
        self.idle_timeout = idle_timeout
        self.last_request = time.monotonic()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/?token={self.token}"
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._font: bytes = b""
        self._font_ready = threading.Event()
        threading.Thread(target=self._make_font, name="review-font", daemon=True).start()

    def _make_font(self) -> None:
        """Subset the project's CJK font to the characters of the page (the analysis extra; else none)."""
        try:
            from kexie_research.runner.fonts import subset_font

            state = page_state(self.store.path, self.store.rows, self.document, self.codebook)
            characters = set("".join(cast(dict[str, str], state["documents"]).values()))
            for entry in cast(list[dict[str, object]], state["codebook"]):
                characters |= set(str(entry["zh"])) | set(str(entry.get("frame_zh", "")))
            characters |= set(PAGE_TEXT_CJK)  # the page's own Chinese (labels, placeholders)
            for row in self.store.rows:
                characters |= set("".join(row.values()))
            self._font = subset_font(characters)
        except Exception:  # no font package or no CJK font: the browser's fonts draw the text
            self._font = b""
        finally:
            self._font_ready.set()

    def font_face(self) -> str:
        """The ``@font-face`` rule of the served font (empty when there is none)."""
        try:
            from kexie_research.runner.fonts import font_face_css
        except ImportError:
            return ""
        return font_face_css(f"/font.woff2?token={self.token}")

    # -- running ---------------------------------------------------------------------------------
    def serve(self) -> str:
        """Serve until :meth:`stop`, SIGTERM/Ctrl-C (raised by the caller's signal handler) or idle; returns why."""
        watchdog = threading.Thread(target=self._watch_idle, name="review-idle", daemon=True)
        watchdog.start()
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        finally:
            self._stopped.set()
            self.httpd.server_close()
        return self.reason

    reason = "stopped"

    def start_in_background(self) -> None:
        """Serve from a thread (tests, notebooks); stop with :meth:`stop`."""
        self._thread = threading.Thread(target=self.serve, name="review-server", daemon=True)
        self._thread.start()

    def stop(self, reason: str = "stopped") -> None:
        """Stop serving (safe to call from any thread, and twice)."""
        self.reason = reason
        if not self._stopped.is_set():
            threading.Thread(target=self.httpd.shutdown, daemon=True).start()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _watch_idle(self) -> None:
        while not self._stopped.wait(timeout=min(1.0, self.idle_timeout)):
            if time.monotonic() - self.last_request > self.idle_timeout:
                self.reason = f"no request for {self.idle_timeout:g} s"
                self.httpd.shutdown()
                return

    # -- checks ----------------------------------------------------------------------------------
    def allowed_hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    def token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode())


def _handler(server: ReviewServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "kexie-review"
        sys_version = ""

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet: the token is in the URL
            return

        def _send(self, status: int, body: bytes, content_type: str, nonce: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("X-Frame-Options", "DENY")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
            self.send_header("Content-Security-Policy", _csp(nonce or secrets.token_urlsafe(16)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _refuse(self, status: int, why: str) -> None:
            self._send(status, why.encode("utf-8"), "text/plain; charset=utf-8")

        def _json(self, value: object) -> None:
            self._send(200, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

        def _checked(self) -> str | None:
            """The path when the request may be answered; else a 403 is sent and ``None`` returned."""
            server.last_request = time.monotonic()
            parts = urlsplit(self.path)
            if self.headers.get("Host", "") not in server.allowed_hosts():
                self._refuse(403, "forbidden: unexpected Host")
                return None
            origin = self.headers.get("Origin")
            if origin is not None and origin.removeprefix("http://") not in server.allowed_hosts():
                self._refuse(403, "forbidden: request from another origin")
                return None
            token = self.headers.get("X-Kexie-Token") or parse_qs(parts.query).get("token", [None])[0]
            if not server.token_ok(token):
                self._refuse(403, "forbidden: wrong or missing token")
                return None
            return parts.path

        def do_GET(self) -> None:
            path = self._checked()
            if path is None:
                return
            if path == "/":
                nonce = secrets.token_urlsafe(16)
                self._send(
                    200, render_page(nonce, server.font_face()).encode("utf-8"), "text/html; charset=utf-8", nonce
                )
            elif path == "/font.woff2":
                if not server._font_ready.wait(timeout=60) or not server._font:
                    self._refuse(404, "no font")
                else:
                    self._send(200, server._font, "font/woff2")
            elif path == "/api/state":
                with server.store._lock:
                    rows = [dict(row) for row in server.store.rows]
                self._json(page_state(server.store.path, rows, server.document, server.codebook))
            else:
                self._refuse(404, "not found")

        def do_POST(self) -> None:
            path = self._checked()
            if path is None:
                return
            if path != "/api/decide":
                self._refuse(404, "not found")
                return
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                self._refuse(415, "a decision is sent as application/json")
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = -1
            if not 0 < length <= _MAX_BODY:
                self._refuse(413 if length > _MAX_BODY else 400, "bad request body length")
                return
            try:
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                if not isinstance(body, dict):
                    raise ValueError("expected a JSON object")
                index = body.get("row")
                if not isinstance(index, int):
                    raise ValueError(f"no candidate {index!r}")
                row = server.store.decide(index, body.get("decision"), body.get("fields") or {})
            except (ValueError, UnicodeDecodeError, TypeError, AttributeError) as exc:
                self._refuse(400, f"bad decision: {exc}")
                return
            self._json({"row": body["row"], "fields": row})

    return Handler
