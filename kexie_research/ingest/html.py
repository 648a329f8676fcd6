"""A saved web page -> its main text (trafilatura), with the page's URL and title.

trafilatura keeps the article and drops navigation, sidebars, footers and readers' comments
(``HTML_OPTIONS``). The URL is the page's ``<link rel="canonical">`` or ``og:url``, else the
``<!-- saved from url=(NNNN)… -->`` comment a browser writes when it saves a page; the title is the
page's ``og:title`` or ``<title>``. The bytes are decoded like a text file (:mod:`kexie_research.ingest.text`: UTF-8,
else GB18030, the encodings of Chinese government sites).

Example::

    >>> page = "<html><head><title>某县科协</title></head><body><article><p>" + "全县建成科普e站48个。" * 8 + "</p></article></body></html>"
    >>> text, meta = read_html(page.encode(), "p.html")
    >>> text[:12], meta["title"]
    ('全县建成科普e站48个。', '某县科协')
"""

from __future__ import annotations

import logging
import re
from typing import Any

from kexie_research.errors import KexieError
from kexie_research.ingest.text import decode_text

__all__ = ["HTML_OPTIONS", "HtmlError", "read_html"]

#: The options given to ``trafilatura.extract`` (recorded with every conversion).
HTML_OPTIONS: dict[str, Any] = {
    "output_format": "txt",
    "include_comments": False,
    "include_tables": True,
    "include_links": False,
    "deduplicate": False,
    "favor_precision": False,
}
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)


class HtmlError(KexieError):
    """A web page cannot be converted (names the file and why)."""


def read_html(data: bytes, name: str) -> tuple[str, dict[str, Any]]:
    """The main text of a saved web page and ``{"url", "title", "encoding", "options"}``.

    Examples
    --------
    >>> read_html(b"<html><head><title>x</title></head><body></body></html>", "empty.html")
    Traceback (most recent call last):
    ...
    kexie_research.ingest.html.HtmlError: empty.html: no main text found in the web page (navigation, menus and footers are not text of record)
    """
    import trafilatura

    source, decoding = decode_text(data, name)
    if not source.strip():
        raise HtmlError(f"{name}: the web page is empty")
    logger = logging.getLogger("trafilatura")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        text = trafilatura.extract(source, **HTML_OPTIONS)
        metadata = trafilatura.extract_metadata(source)
    except Exception as exc:  # lxml and trafilatura raise many kinds; one error naming the file
        raise HtmlError(f"{name}: cannot be read as a web page ({type(exc).__name__}: {exc})") from None
    finally:
        logger.setLevel(level)
    if not text or not text.strip():
        raise HtmlError(
            f"{name}: no main text found in the web page (navigation, menus and footers are not text of record)"
        )
    saved = _SAVED_FROM.search(source[:4096])
    url = (metadata.url if metadata is not None and metadata.url else "") or (saved.group(1) if saved else "")
    title = metadata.title if metadata is not None and metadata.title else ""
    return text.strip("\n") + "\n", {
        "url": url,
        "title": title,
        "encoding": decoding["encoding"],
        "options": dict(HTML_OPTIONS),
    }
