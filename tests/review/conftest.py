"""Fixtures of the review tests: a draft made by ``kexie extract`` of a document holding hostile
text, a review server on it (stopped after each test), and the session's Debian Chromium (tests/conftest.py;
never downloaded; skipped without it, a failure in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMAGE = "<img src=x onerror=alert(1)>"
DOCUMENT = (
    f"2020年，全县建立乡镇科协12个，村级科普协会85个，发展会员3200名。{HOSTILE_SCRIPT}\n"
    f"县科协举办培训班15期，培训农民2300人次，发放科普资料1.2万份。{HOSTILE_IMAGE}\n"
    "全县有学会18个，企业科协9个，科普示范基地6个，科普志愿者460名。\n"
    "到2022年底，力争乡镇科协达到20个。\n"
)


@pytest.fixture()
def draft(tmp_path: Path) -> Path:
    """A real draft (``kexie extract``) of a synthetic document with ``<script>`` and ``onerror=`` in it."""
    from kexie_research.cli import main

    document = tmp_path / "report.txt"
    document.write_text(DOCUMENT, encoding="utf-8")
    out = tmp_path / "draft.csv"
    assert (
        main(
            [
                "extract",
                str(document),
                "-o",
                str(out),
                "--place",
                "桐梓县",
                "--reference-date",
                "2021-12-31",
                "--workers",
                "1",
            ]
        )
        == 0
    )
    return out


@pytest.fixture()
def review_server(draft: Path):
    from kexie_research.review.server import ReviewServer

    server = ReviewServer(draft, idle_timeout=120)
    server.start_in_background()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def review_browser(browser):
    """The session's one Chromium (tests/conftest.py)."""
    return browser
