"""The review page in Debian's Chromium: ten candidates reviewed by keyboard survive a reload (and
are in the draft on disk); hostile text in the document is shown as text and runs nothing."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from .conftest import HOSTILE_IMAGE, HOSTILE_SCRIPT

pytestmark = pytest.mark.slow


def _decisions(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as stream:
        return [row["decision"] for row in csv.DictReader(stream)]


def _open(browser, server, dialogs: list[str]):
    page = browser.new_page(viewport={"width": 1280, "height": 760})
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server.url, timeout=30_000)
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    return page, requests


def test_ten_candidates_reviewed_by_keyboard_survive_a_reload(review_browser, review_server):
    dialogs: list[str] = []
    page, requests = _open(review_browser, review_server, dialogs)
    candidates = len(review_server.store.rows)
    assert candidates >= 10
    assert page.locator("#document mark").count() >= 10  # every candidate highlighted
    keys = ["a", "r", "a", "a", "r", "a", "r", "r", "a", "a"]
    for key in keys:
        page.keyboard.press(key)
    deadline = time.monotonic() + 30  # polled from here: the page's CSP forbids evaluating strings in it
    while "10 reviewed" not in page.locator("#progress").text_content() and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    deadline = time.monotonic() + 30
    while sum(bool(d) for d in _decisions(review_server.store.path)) < 10 and time.monotonic() < deadline:
        time.sleep(0.1)
    expected = ["accepted" if key == "a" else "rejected" for key in keys]
    assert _decisions(review_server.store.path)[:10] == expected  # on disk, as made

    page.reload()
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    assert "10 reviewed" in page.locator("#progress").text_content()
    assert page.locator("#decision").text_content() == "not reviewed"  # opens at the first candidate not reviewed
    page.keyboard.press("k")
    assert page.locator("#decision").text_content() == expected[9]
    for _ in range(9):
        page.keyboard.press("ArrowUp")
    assert page.locator("#decision").text_content() == expected[0]
    assert page.locator("#document mark.accepted").count() + page.locator("#document mark.rejected").count() >= 9

    page.keyboard.press("/")  # search the codebook, pick an indicator: saved at once
    page.keyboard.type("township_kexie")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with open(review_server.store.path, encoding="utf-8") as stream:
            first = next(csv.DictReader(stream))
        if first["indicator_id"].startswith("township_kexie"):
            break
        time.sleep(0.1)
    assert first["indicator_id"].startswith("township_kexie")
    assert all(url.startswith(f"http://127.0.0.1:{review_server.port}/") for url in requests)  # nothing else fetched
    assert dialogs == []
    page.close()


def test_hostile_text_is_shown_as_text_and_runs_nothing(review_browser, review_server):
    dialogs: list[str] = []
    page, _ = _open(review_browser, review_server, dialogs)
    document_text = page.locator("#document").text_content()
    assert HOSTILE_SCRIPT in document_text and HOSTILE_IMAGE in document_text
    assert page.locator("#document script, #document img, #panel img").count() == 0
    assert page.locator("script").count() == 1  # the page's own
    quotes = []
    for _ in range(len(review_server.store.rows)):
        quotes.append(page.locator("#quote").text_content())
        page.keyboard.press("j")
    assert any(HOSTILE_IMAGE in quote for quote in quotes) and any(HOSTILE_SCRIPT in quote for quote in quotes)
    page.wait_for_timeout(500)
    assert dialogs == []
    wrong = review_browser.new_page()  # the browser without the token: refused
    assert (
        wrong.goto(
            review_server.url.replace(review_server.token, "0" * len(review_server.token)), timeout=30_000
        ).status
        == 403
    )
    wrong.close()
    # The same markup pushed into a field shows as text too.
    page.fill("#note", HOSTILE_IMAGE)
    page.keyboard.press("Tab")
    deadline = time.monotonic() + 30
    while HOSTILE_IMAGE not in review_server.store.path.read_text(encoding="utf-8") and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert HOSTILE_IMAGE in review_server.store.path.read_text(encoding="utf-8")  # saved as written
    page.reload()
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    assert page.locator("img").count() == 0 and dialogs == []
    for _ in range(len(review_server.store.rows)):  # the note shows as text where it was written
        if page.locator("#note").input_value() == HOSTILE_IMAGE:
            break
        page.keyboard.press("j")
    assert page.locator("#note").input_value() == HOSTILE_IMAGE
    page.close()
