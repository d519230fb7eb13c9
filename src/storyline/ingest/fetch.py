"""Fetch articles over HTTP: single pages, lists of URLs, and RSS/Atom feeds.

A feed is recognised by its content (``<rss``, ``<feed``, ``<rdf:RDF``); each entry's link is
fetched in turn and the entry's title and date travel along as hints (method ``feed``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from storyline.errors import InputRejected, Msg
from storyline.ingest import readers
from storyline.model import RawDocument, Rejection

USER_AGENT = "storyline/0.1 (+news event extraction)"
TIMEOUT = 20


def read_url_list(path: str) -> list[str]:
    """URLs from a file, one per line; blank lines and ``#`` comments are ignored."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def fetch_bytes(url: str, max_bytes: int) -> tuple[bytes, str]:
    import requests

    try:
        with requests.get(url, timeout=TIMEOUT, stream=True,
                          headers={"User-Agent": USER_AGENT}) as resp:
            resp.raise_for_status()
            chunks, size = [], 0
            for chunk in resp.iter_content(65536):
                size += len(chunk)
                if size > max_bytes:
                    raise InputRejected(Msg.E004, size=f"more than {max_bytes}", limit=max_bytes)
                chunks.append(chunk)
            return b"".join(chunks), resp.headers.get("Content-Type", "").lower()
    except requests.RequestException as exc:
        raise InputRejected(Msg.E013, detail=str(exc)[:300]) from exc


def is_feed(data: bytes, ctype: str) -> bool:
    head = data[:1024].lower()
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return True
    return ("rss" in ctype or "atom" in ctype) and b"<html" not in head


def iter_url(url: str, *, max_bytes: int = readers.DEFAULT_MAX_BYTES,
             hints: dict[str, str | None] | None = None) -> Iterator[RawDocument | Rejection]:
    try:
        data, ctype = fetch_bytes(url, max_bytes)
    except InputRejected as exc:
        yield readers._rejection(url, exc)
        return
    if hints is None and is_feed(data, ctype):
        try:
            entries = parse_feed(data)
        except InputRejected as exc:
            yield readers._rejection(url, exc)
            return
        for entry in entries:
            yield from iter_url(entry["link"] or "", max_bytes=max_bytes, hints=entry)
        return
    name = ".html" if "html" in ctype else ""
    for item in readers._read_blob(url, data, max_bytes, name=name):
        if isinstance(item, RawDocument):
            item.url = url
            item.container = "url"
            if hints:
                item.container = "feed"
                item.title = item.title or hints.get("title")
                item.published = item.published or hints.get("published")
        yield item


def iter_urls(urls: Iterable[str], *, max_bytes: int = readers.DEFAULT_MAX_BYTES
              ) -> Iterator[RawDocument | Rejection]:
    for url in urls:
        yield from iter_url(url, max_bytes=max_bytes)


def parse_feed(data: bytes) -> list[dict[str, str | None]]:
    """Entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed: link, title and published date."""
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(recover=True, resolve_entities=False,
                                                            no_network=True))
    except etree.XMLSyntaxError as exc:
        raise InputRejected(Msg.E013, detail=f"unreadable feed: {exc}") from exc
    if root is None:
        raise InputRejected(Msg.E013, detail="empty feed")
    entries: list[dict[str, str | None]] = []
    for node in root.iter():
        tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if tag not in ("item", "entry"):
            continue
        fields: dict[str, str | None] = {"link": None, "title": None, "published": None}
        for child in node:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            text = (child.text or "").strip()
            if name == "link":
                href = child.get("href")
                rel = child.get("rel", "alternate")
                if href and rel == "alternate":
                    fields["link"] = href
                elif text and not fields["link"]:
                    fields["link"] = text
            elif name == "title" and text:
                fields["title"] = text
            elif name in ("pubDate", "published", "date", "updated") and text:
                fields["published"] = fields["published"] or text
        if fields["link"]:
            entries.append(fields)
    return entries
