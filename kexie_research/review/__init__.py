"""``kexie review``: a draft of ``kexie extract`` reviewed in the browser, offline.

* :mod:`.store` holds the draft and writes every decision to it atomically as it is made;
* :mod:`.candidates` places every candidate in its document and reads the codebook for the page;
* :mod:`.page` is the page (one HTML document, inline script and style, no network);
* :mod:`.server` serves it on 127.0.0.1 behind a random token;
* :mod:`.command` is the command line.
"""
