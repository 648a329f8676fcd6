"""The review server refuses what is not its own page: wrong token, other Host or Origin, non-JSON
posts, bad decisions; the draft store writes atomically and keeps its decisions; the command stops."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kexie_research.errors import SheetError
from kexie_research.review.store import DraftStore


def _request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(
        url, data=data, headers=headers or {}, method="POST" if data is not None else "GET"
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _decide(server, body: dict, **headers: str) -> tuple[int, bytes]:
    base = f"http://127.0.0.1:{server.port}/api/decide"
    sent = {"X-Kexie-Token": server.token, "Content-Type": "application/json", **headers}
    status, _, answer = _request(base, data=json.dumps(body).encode(), headers=sent)
    return status, answer


def test_the_page_needs_the_token(review_server):
    status, headers, body = _request(review_server.url)
    assert status == 200 and b"<script nonce=" in body
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'nonce-" in csp and "connect-src 'self'" in csp
    assert "unsafe-inline" not in csp and headers["Referrer-Policy"] == "no-referrer"
    assert b"http://" not in body and b"https://" not in body  # nothing fetched from the network
    for url in (
        review_server.url.replace(review_server.token, "x" + review_server.token[1:]),
        review_server.url.split("?")[0],
        f"http://127.0.0.1:{review_server.port}/api/state",
    ):
        assert _request(url)[0] == 403, url
    status, _, state = _request(
        f"http://127.0.0.1:{review_server.port}/api/state", headers={"X-Kexie-Token": review_server.token}
    )
    assert status == 200 and len(json.loads(state)["candidates"]) >= 10


def test_other_hosts_and_origins_are_refused(review_server):
    token = {"X-Kexie-Token": review_server.token}
    before = review_server.store.path.read_bytes()
    assert _request(review_server.url, headers={"Host": "evil.example"})[0] == 403  # DNS rebinding
    assert _request(review_server.url, headers={"Host": f"localhost:{review_server.port}"})[0] == 200
    assert _decide(review_server, {"row": 0, "decision": "accepted"}, Origin="http://evil.example")[0] == 403
    assert _decide(review_server, {"row": 0, "decision": "accepted"}, **{"Content-Type": "text/plain"})[0] == 415
    status, _, _ = _request(
        f"http://127.0.0.1:{review_server.port}/api/decide",
        data=b"row=0",
        headers={**token, "Content-Type": "application/json"},
    )
    assert status == 400
    assert _decide(review_server, {"row": 999, "decision": "accepted"})[0] == 400
    assert _decide(review_server, {"row": 0, "decision": "maybe"})[0] == 400
    assert _decide(review_server, {"row": 0, "decision": "accepted", "fields": {"quote": "changed"}})[0] == 400
    assert _decide(review_server, {"row": 0, "decision": "accepted", "fields": {"note": "a\x1bb"}})[0] == 400
    assert _decide(review_server, {"row": "0", "decision": "accepted"})[0] == 400
    assert _decide(review_server, {"row": True, "decision": "accepted"})[0] == 400
    assert review_server.store.path.read_bytes() == before  # nothing refused was written


def test_a_decision_is_on_disk_when_the_answer_comes(review_server):
    status, answer = _decide(review_server, {"row": 1, "decision": "rejected", "fields": {"note": "<b>不是</b>"}})
    assert status == 200 and json.loads(answer)["fields"]["decision"] == "rejected"
    with open(review_server.store.path, encoding="utf-8") as stream:
        row = list(csv.DictReader(stream))[1]
    assert (row["decision"], row["kind"], row["note"]) == ("rejected", "rejected", "<b>不是</b>")
    assert row["reviewed_at"].endswith("Z")
    assert not list(review_server.store.path.parent.glob(".*.tmp"))  # no temporary file left


def test_rejected_rows_stay_out_of_the_sheet_and_accepted_ones_go_in(draft, tmp_path):
    from kexie_research.cli import main

    store = DraftStore(draft)
    facts = [i for i, row in enumerate(store.rows) if row["kind"] == "fact"]
    store.decide(facts[0], "accepted", {"indicator_id": "township_kexie_count"})
    store.decide(facts[1], "rejected", {"indicator_id": "township_kexie_count"})
    store.decide(facts[1], "", None)  # undo: a fact again
    store.decide(facts[1], "rejected")
    kept = [row["raw_text"] for row in store.rows if row["kind"] == "fact" and row["indicator_id"]]
    sheet = tmp_path / "tongzi_report.csv"
    assert main(["extract", "--to-sheet", str(draft), "-o", str(sheet), "--prefix", "TZ"]) == 0
    with open(sheet, encoding="utf-8") as stream:
        written = [row["raw_text"] for row in csv.DictReader(stream)]
    assert (
        written == kept
        and store.rows[facts[1]]["raw_text"] not in written
        and store.rows[facts[0]]["raw_text"] in written
    )


def test_the_store_keeps_a_bom_and_refuses_bad_drafts(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("\ufeffkind,raw_text,quote\nfact,3个,有3个\n".encode("utf-8"))
    DraftStore(path).decide(0, "accepted")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfkind,raw_text,quote,decision,reviewed_at")
    path.write_text("raw_text,quote\n3个,有3个\n", encoding="utf-8")
    with pytest.raises(SheetError, match=r"d\.csv: not a draft of `kexie extract`: missing column\(s\) kind"):
        DraftStore(path)
    path.write_text("kind,raw_text,quote\nfact,3个\n", encoding="utf-8")
    with pytest.raises(SheetError, match=r"d\.csv line 2: 2 fields, the header has 3"):
        DraftStore(path)
    path.write_bytes(b"kind,raw_text,quote\nfact,\xff,x\n")
    with pytest.raises(SheetError, match=r"d\.csv: not UTF-8"):
        DraftStore(path)


def test_a_failed_write_leaves_the_draft_as_it_was(draft, monkeypatch):
    store = DraftStore(draft)
    before = draft.read_bytes()

    def refuse(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        store.decide(0, "accepted")
    assert draft.read_bytes() == before and not list(draft.parent.glob(".*.tmp"))


def test_the_command_refuses_bad_input(tmp_path, capsys):
    from kexie_research.cli import main

    assert main(["review", str(tmp_path / "none.csv"), "--no-browser"]) == 2
    assert "none.csv: no such draft file" in capsys.readouterr().err
    draft = tmp_path / "d.csv"
    draft.write_text("kind,raw_text,quote,document\nfact,3个,有3个,missing.txt\n", encoding="utf-8")
    assert main(["review", str(draft), "--no-browser"]) == 2
    assert "d.csv line 2: document missing.txt not found; give it with --document PATH" in capsys.readouterr().err
    assert main(["review", str(draft), "--no-browser", "--idle-minutes", "0"]) == 2
    workbook = tmp_path / "draft.xlsx"
    workbook.write_bytes(b"PK\x03\x04")
    assert main(["review", str(workbook), "--no-browser"]) == 2
    assert "works on a CSV draft" in capsys.readouterr().err


def _start(args: list[str], cwd: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    process = subprocess.Popen(
        [sys.executable, "-m", "kexie_research", "review", *args, "--no-browser"],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("open "):
            return process, line.split(" ", 1)[1].strip()
        if process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"no address printed: {process.stderr.read()}")


def test_the_command_prints_the_address_and_stops_on_sigterm_and_when_idle(draft, tmp_path):
    process, url = _start([str(draft)], tmp_path)
    try:
        assert url.startswith("http://127.0.0.1:") and "token=" in url
        assert _request(url)[0] == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert "stopped (signal SIGTERM)" in process.stderr.read()
    finally:
        process.kill()
    process, url = _start([str(draft)], tmp_path)
    try:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert "stopped (Ctrl-C)" in process.stderr.read()
    finally:
        process.kill()
    process, url = _start([str(draft), "--idle-minutes", "0.02"], tmp_path)  # 1.2 s
    try:
        assert process.wait(timeout=60) == 0
        assert "no request for 1.2 s" in process.stderr.read()
    finally:
        process.kill()
