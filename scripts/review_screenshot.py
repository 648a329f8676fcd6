"""Make docs/_static/review.png: the review page of a draft of a real document, in Debian's Chromium.

    python scripts/review_screenshot.py [DOCUMENT] [--out docs/_static/review.png]

The draft is made by ``kexie extract`` in a temporary folder (nothing in data/raw is touched), a
few candidates are reviewed by keyboard, and the page is photographed. Every wait has a deadline.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("document", nargs="?", default=str(ROOT / "data/raw/documents/004_7b742f84642fcfe5.txt"))
    parser.add_argument("--out", default=str(ROOT / "docs/_static/review.png"))
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from kexie_research.cli import main as kexie
    from kexie_research.review.server import ReviewServer

    folder = Path(tempfile.mkdtemp(prefix="review-shot-"))
    try:
        draft = folder / "draft.csv"
        if kexie(["extract", args.document, "-o", str(draft), "--workers", "1"]) != 0:
            return 1
        server = ReviewServer(draft, idle_timeout=120)
        server.start_in_background()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                    headless=True,
                    args=CHROMIUM_ARGS,
                    timeout=60_000,
                )
                page = browser.new_page(viewport={"width": 1400, "height": 820}, device_scale_factor=1)
                page.goto(server.url, timeout=30_000)
                page.wait_for_selector("body[data-ready=true]", timeout=30_000)
                # Review up to the third fact: facts with a proposed indicator accepted, the others rejected.
                facts = 0
                for row in server.store.rows:
                    if row["kind"] == "fact":
                        facts += 1
                        if facts == 3:
                            break
                    page.keyboard.press("a" if row["kind"] == "fact" and row["indicator_id"] else "r")
                page.wait_for_timeout(1500)  # the saves and the font
                Path(args.out).parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=args.out)
                browser.close()
            from PIL import Image  # 128 colours: a third of the bytes, the same page

            Image.open(args.out).convert("RGB").quantize(colors=128).save(args.out, optimize=True)
        finally:
            server.stop()
        print(f"screenshot -> {args.out}")
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
