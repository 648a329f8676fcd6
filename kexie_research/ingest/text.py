"""Text files as found: UTF-8 with or without a byte-order mark, GB18030/GBK/GB2312, CRLF or CR.

The rule (:func:`decode_text`), in order:

1. a UTF-8 byte-order mark -> UTF-8 without it (``utf-8-sig``); a UTF-16 mark -> UTF-16;
2. bytes that are valid UTF-8 -> UTF-8;
3. anything else -> GB18030 (a superset of GBK and GB2312, the encodings of Chinese government
   files); bytes that are not GB18030 either are an error naming the file and the byte.

Line ends are then made LF (CRLF and a lone CR each become one LF). A NUL character means the file
is not text. The same bytes always give the same text.

Example::

    >>> decode_text("科协\\r\\n".encode("gb18030"), "a.txt")
    ('科协\\n', {'encoding': 'gb18030', 'newlines': 'CRLF -> LF'})
"""

from __future__ import annotations

import codecs
from typing import Any

from kexie_research.errors import KexieError

__all__ = ["TextError", "decode_text"]


class TextError(KexieError):
    """A file cannot be read as text (names the file)."""


def decode_text(data: bytes, name: str) -> tuple[str, dict[str, Any]]:
    """The text of ``data`` (see the module docstring) and what was done: encoding, line ends.

    Examples
    --------
    >>> decode_text(codecs.BOM_UTF8 + "科协".encode(), "b.txt")
    ('科协', {'encoding': 'utf-8-sig', 'newlines': 'LF'})
    >>> decode_text(b"\\xff\\xff", "c.txt")
    Traceback (most recent call last):
    ...
    kexie_research.ingest.text.TextError: c.txt: neither UTF-8 nor GB18030 text (byte 0xff at position 0)
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "gb18030"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        what = "neither UTF-8 nor GB18030 text" if encoding == "gb18030" else f"not valid {encoding} text"
        raise TextError(f"{name}: {what} (byte 0x{data[exc.start]:02x} at position {exc.start})") from None
    if "\x00" in text:
        raise TextError(f"{name}: not a text file (contains NUL characters)")
    newlines = "CRLF -> LF" if "\r\n" in text else "CR -> LF" if "\r" in text else "LF"
    if "\r\n" in text and "\r" in text.replace("\r\n", ""):
        newlines = "CRLF and CR -> LF"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, {"encoding": encoding, "newlines": newlines}
