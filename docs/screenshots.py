"""Take the README's screenshots of the web UI.

Ingests the bundled sample corpus into a temporary database, serves it on a free local port and
saves 1280x800 PNGs of the five pages (stories, a story, events, network, an article) to
``docs/screenshots/``. Needs the Debian ``chromium`` package and the ``playwright`` Python package
(no downloaded browsers)::

    python docs/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def serve(db: str) -> tuple[str, object]:
    """Start the app in a background thread; return its base URL and the uvicorn server."""
    import uvicorn

    from storyline.serve.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def get(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path) as response:
        return json.load(response)


def pick_pages(base: str) -> dict[str, str]:
    """The five pages, on the largest story and its article with the most events."""
    story = get(base, "/api/stories?limit=1")["items"][0]
    articles = [get(base, f"/api/articles/{a}") for a in story["article_ids"]]
    article = max(articles, key=lambda a: len(a["events"]))
    return {
        "stories": "/",
        "story": f"/stories/{story['id']}",
        "events": "/events",
        "network": "/network",
        "article": f"/articles/{article['id']}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from storyline.ingest.run import ingest_paths, sample_corpus_path
    from storyline.store.sqlite import Store

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "sample.db")
        store = Store(db)
        ingest_paths([str(sample_corpus_path())], store)
        store.close()
        base, server = serve(db)
        try:
            pages = pick_pages(base)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                for name, path in pages.items():
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    ready = {"story": ".vis-item:has(.tl-item)", "article": "#article-text mark",
                             "events": "table.events tbody tr", "network": "#graph canvas",
                             "stories": "table.stories tbody tr"}[name]
                    page.locator(ready).first.wait_for()
                    if name == "article":
                        page.locator("#article-text mark.hl-event").first.click()
                    page.wait_for_timeout(1500 if name == "network" else 400)
                    target = args.out / f"{name}.png"
                    page.screenshot(path=str(target))
                    print(f"{target}  <- {path}")
                browser.close()
        finally:
            server.should_exit = True


if __name__ == "__main__":
    main()
