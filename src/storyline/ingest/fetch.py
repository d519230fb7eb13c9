"""Fetch articles over HTTP: single pages, lists of URLs, and RSS/Atom feeds.

A feed is recognised by its content (``<rss``, ``<feed``, ``<rdf:RDF``); each entry's link is
fetched in turn and the entry's title and date travel along as hints (method ``feed``).

Fetching follows a :class:`FetchPolicy` (see :mod:`storyline.ingest.netguard` for how addresses
and deadlines are enforced): only ``http`` and ``https``; no private, loopback or link-local
address unless allowed (E020), checked on every redirect hop, which are followed here one at a
time; one deadline per URL (E021); robots.txt obeyed, fetched once per site per run (E022); at most
``max_feed_entries`` entries of one feed (E023 for the rest). A feed is parsed without its DTD, so
no entity is ever expanded; when it had to be repaired or could not be read, that is a rejection
(E019) and the entries that could be read are still fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from storyline.errors import InputRejected, Msg
from storyline.ingest import readers
from storyline.ingest.netguard import FetchGuard, FetchPolicy, session
from storyline.model import RawDocument, Rejection

__all__ = ["USER_AGENT", "FetchPolicy", "Fetcher", "fetch_bytes", "iter_url", "iter_urls",
           "parse_feed", "read_feed", "read_url_list"]

USER_AGENT = "storyline/0.1 (+news event extraction)"
CHUNK = 65536
ROBOTS_DEADLINE = 10.0
ROBOTS_MAX_BYTES = 512_000

Item = RawDocument | Rejection


def read_url_list(path: str) -> list[str]:
    """URLs from a file, one per line; blank lines and ``#`` comments are ignored."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


@dataclass
class Response:
    """A fetched response after redirects: the final URL, status, content type, body and the
    headers a later request may need (``ETag``, ``Last-Modified``, ``Retry-After``)."""

    url: str
    status: int
    reason: str
    ctype: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def fetch_bytes(url: str, max_bytes: int, policy: FetchPolicy | None = None, *,
                robots: Robots | None = None) -> tuple[bytes, str]:
    """Body and lower-cased content type of a URL, under ``policy`` (None:
    :meth:`FetchPolicy.from_env`). Raises :class:`InputRejected`: E004 body over ``max_bytes``,
    E013 network or HTTP error, E020 address refused, E021 deadline passed, E022 robots.txt.
    ``robots`` shares a robots.txt cache between calls (None: a fresh one, if the policy obeys
    robots.txt)."""
    policy = policy or FetchPolicy.from_env()
    if robots is None and policy.respect_robots:
        robots = Robots(policy)
    response = fetch(url, max_bytes, policy, robots)
    if response.status >= 400:
        raise InputRejected(Msg.E013, detail=f"{response.status} {response.reason} for url: "
                                             f"{response.url}"[:300])
    return response.body, response.ctype


#: Response headers kept on :class:`Response`.
KEPT_HEADERS = ("ETag", "Last-Modified", "Retry-After")


def fetch(url: str, max_bytes: int, policy: FetchPolicy, robots: Robots | None,
          headers: dict[str, str] | None = None) -> Response:
    """GET a URL following redirects by hand, each hop's scheme, robots.txt and (on connecting)
    addresses checked, all within one deadline. HTTP error statuses are returned, not raised;
    so is a 304 to a conditional request (``headers``: extra request headers such as
    ``If-None-Match``), with an empty body."""
    import requests

    sent = {"User-Agent": USER_AGENT, **(headers or {})}
    with FetchGuard(policy) as guard, session() as http:
        for _ in range(policy.max_redirects + 1):
            _check_scheme(url)
            if robots is not None and not robots.allowed(url):
                raise InputRejected(Msg.E022)
            guard.check()
            try:
                with http.get(url, stream=True, allow_redirects=False,
                              timeout=max(guard.remaining(), 0.001), headers=sent) as resp:
                    if resp.is_redirect:
                        url = urljoin(url, resp.headers["Location"])
                        continue
                    ok = resp.status_code < 400 and resp.status_code != 304
                    body = _read_body(resp, max_bytes, guard) if ok else b""
                    return Response(url, resp.status_code, resp.reason or "",
                                    resp.headers.get("Content-Type", "").lower(), body,
                                    {k: resp.headers[k] for k in KEPT_HEADERS
                                     if resp.headers.get(k)})
            except (requests.RequestException, OSError) as exc:
                if guard.out_of_time:
                    raise guard.too_slow() from exc
                raise InputRejected(Msg.E013, detail=str(exc)[:300]) from exc
    raise InputRejected(Msg.E013, detail=f"more than {policy.max_redirects} redirects")


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise InputRejected(Msg.E013, detail=f"only http and https URLs are fetched, not "
                                             f"'{scheme or url[:50]}'")


def _read_body(resp: Any, max_bytes: int, guard: FetchGuard) -> bytes:
    """The body in chunks, refused as soon as it passes ``max_bytes`` (or says it will) or the
    deadline passes; a body cut short by the deadline's watchdog is not mistaken for a whole."""
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputRejected(Msg.E004, size=int(declared), limit=max_bytes)
    chunks, size = [], 0
    for chunk in resp.iter_content(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise InputRejected(Msg.E004, size=f"more than {max_bytes}", limit=max_bytes)
        chunks.append(chunk)
        guard.check()
    guard.check()
    return b"".join(chunks)


class Robots:
    """robots.txt rules per site, fetched once (per :class:`Fetcher`, i.e. per run) under the
    same address policy with a short deadline.

    Conventions: a missing robots.txt (404 and other 4xx), an unreachable one (network error,
    timeout, 5xx, refused address, too large) allows everything; 401 and 403 disallow everything.
    """

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = replace(policy, deadline=min(policy.deadline, ROBOTS_DEADLINE),
                              respect_robots=False)
        self._sites: dict[tuple[str, str], RobotFileParser] = {}

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        site = (parts.scheme.lower(), parts.netloc.lower())
        if site not in self._sites:
            self._sites[site] = self._load(f"{site[0]}://{site[1]}/robots.txt")
        return self._sites[site].can_fetch(USER_AGENT, url)

    def _load(self, robots_url: str) -> RobotFileParser:
        rules = RobotFileParser(robots_url)
        try:
            response = fetch(robots_url, ROBOTS_MAX_BYTES, self.policy, None)
        except InputRejected:
            rules.allow_all = True
            return rules
        if response.status in (401, 403):
            rules.disallow_all = True
        elif response.status >= 400:
            rules.allow_all = True
        else:
            rules.parse(response.body.decode("utf-8", errors="replace").splitlines())
        return rules


_FEED_ROOTS = (b"rss", b"feed", b"rdf:rdf")


def is_feed(data: bytes, ctype: str) -> bool:
    """An RSS or Atom document: by its root element (also behind a long DOCTYPE), else by its
    content type."""
    head = data[:1024].lower()
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return True
    if b"<!doctype" in head:
        root = _ROOT_NAME.search(_without_doctype(data[:1 << 18])[0])
        if root is not None and root.group(1).lower() in _FEED_ROOTS:
            return True
    return ("rss" in ctype or "atom" in ctype) and b"<html" not in head


class Fetcher:
    """Fetches URLs and feeds under one policy, sharing one robots.txt cache (one run)."""

    def __init__(self, *, max_bytes: int = readers.DEFAULT_MAX_BYTES,
                 policy: FetchPolicy | None = None) -> None:
        self.max_bytes = max_bytes
        self.policy = policy or FetchPolicy.from_env()
        self.robots = Robots(self.policy) if self.policy.respect_robots else None

    def iter_url(self, url: str, hints: dict[str, str | None] | None = None) -> Iterator[Item]:
        """The page at ``url`` as a document, a feed's entries as documents, or rejections."""
        try:
            data, ctype = fetch_bytes(url, self.max_bytes, self.policy, robots=self.robots)
        except InputRejected as exc:
            yield readers._rejection(url, _fetch_stage(exc))
            return
        except Exception as exc:  # never let one URL end the batch
            yield readers._rejection(url, InputRejected(
                Msg.E013, stage="fetch", detail=f"{type(exc).__name__}: {exc}"[:300]))
            return
        if hints is None and is_feed(data, ctype):
            yield from self._iter_feed(url, data)
            return
        name = ".html" if "html" in ctype else ""
        for item in readers._read_blob(url, data, self.max_bytes, name=name):
            if isinstance(item, RawDocument):
                item.url = url
                item.container = "url"
                if hints:
                    item.container = "feed"
                    item.title = item.title or hints.get("title")
                    item.published = item.published or hints.get("published")
            yield item

    def _iter_feed(self, url: str, data: bytes) -> Iterator[Item]:
        """A feed's entries, fetched; E019 when it was repaired or unreadable, E023 over the cap."""
        try:
            entries, problem = read_feed(data)
        except InputRejected as exc:
            yield readers._rejection(url, _fetch_stage(exc))
            return
        if problem:
            yield readers._rejection(url, InputRejected(
                Msg.E019, stage="fetch", detail=f"{problem} ({len(entries)} entries could be read "
                                                "and were fetched)"))
        cap = self.policy.max_feed_entries
        if len(entries) > cap:
            yield readers._rejection(url, InputRejected(Msg.E023, stage="fetch",
                                                        count=len(entries), limit=cap))
            entries = entries[:cap]
        for entry in entries:
            yield from self.iter_url(entry["link"] or "", hints=entry)

    def iter_urls(self, urls: Iterable[str]) -> Iterator[Item]:
        for url in urls:
            yield from self.iter_url(url)


def _fetch_stage(exc: InputRejected) -> InputRejected:
    exc.stage = exc.stage or "fetch"
    return exc


def iter_url(url: str, *, max_bytes: int = readers.DEFAULT_MAX_BYTES,
             hints: dict[str, str | None] | None = None, policy: FetchPolicy | None = None
             ) -> Iterator[Item]:
    """One URL (a page or a feed) under ``policy`` (None: :meth:`FetchPolicy.from_env`)."""
    yield from Fetcher(max_bytes=max_bytes, policy=policy).iter_url(url, hints)


def iter_urls(urls: Iterable[str], *, max_bytes: int = readers.DEFAULT_MAX_BYTES,
              policy: FetchPolicy | None = None) -> Iterator[Item]:
    """URLs in turn under one ``policy`` (None: :meth:`FetchPolicy.from_env`) and one robots.txt
    cache."""
    yield from Fetcher(max_bytes=max_bytes, policy=policy).iter_urls(urls)


_DOCTYPE = re.compile(
    rb"""<!DOCTYPE(?:[^\[>"']++|"[^"]*+"|'[^']*+'|\[(?:[^\]"']++|"[^"]*+"|'[^']*+')*+\])*+>""",
    re.IGNORECASE)


_DOCTYPE_START = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ELEMENT_START = re.compile(rb"<[A-Za-z_:]")
_ROOT_NAME = re.compile(rb"<([A-Za-z_:][A-Za-z0-9_.:-]*)")


def _without_doctype(data: bytes) -> tuple[bytes, bool]:
    """The document without its DOCTYPE (and the internal DTD subset in it): feeds need none, and
    entity declarations are how a "billion laughs" feed expands. A DOCTYPE counts only before the
    first element; one that cannot be delimited is left for the parser."""
    start = _DOCTYPE_START.search(data)
    if start is None or _ELEMENT_START.search(data, 0, start.start()):
        return data, False
    match = _DOCTYPE.match(data, start.start())
    if match is None:
        return data, False
    return data[:match.start()] + data[match.end():], True


_ENTITY_REF = re.compile(rb"(<!\[CDATA\[.*?\]\]>|<!--.*?-->)|&([A-Za-z_:][A-Za-z0-9_.:-]*);", re.DOTALL)
_PREDEFINED = {b"amp", b"lt", b"gt", b"quot", b"apos"}


def _replace_entities(data: bytes) -> tuple[bytes, int]:
    """Named entity references made safe before parsing: XML's five stay, HTML names (``&nbsp;``,
    common in old RSS) become character references, any other is removed and counted. Left to
    the parser, an undeclared reference would make it drop later ``&amp;`` too (in links)."""
    from html.entities import name2codepoint

    dropped = 0

    def replace(match: re.Match[bytes]) -> bytes:
        nonlocal dropped
        if match.group(1) is not None or match.group(2) in _PREDEFINED:
            return match.group(0)  # CDATA, a comment, or a predefined entity
        code = name2codepoint.get(match.group(2).decode("ascii"))
        if code is not None:
            return b"&#%d;" % code
        dropped += 1
        return b""

    return _ENTITY_REF.sub(replace, data), dropped


def read_feed(data: bytes) -> tuple[list[dict[str, str | None]], str | None]:
    """Entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, and what had to be dropped or repaired to
    read it, if anything (None for a clean feed).

    The parser never expands entities, loads no DTD and reaches no network; the DOCTYPE is removed
    first and entity references are replaced (see :func:`_replace_entities`), so a feed built to
    blow up (nested entity declarations, "billion laughs") loses only those references, and the
    parser's own limits (depth, text size) stay on. It recovers from errors and keeps the entries
    it can read. Raises E019 when nothing at all could be read.
    """
    from lxml import etree

    cleaned, had_doctype = _without_doctype(data)
    cleaned, dropped = _replace_entities(cleaned)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(cleaned, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputRejected(Msg.E019, detail=str(exc)[:300]) from exc
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    if root is None:
        raise InputRejected(Msg.E019, detail=_describe_errors(errors) or "no XML element in it")
    problems = []
    if dropped:
        if had_doctype:
            problems.append(f"its DOCTYPE was ignored and {dropped} reference(s) to entities not "
                            "in XML or HTML were removed")
        else:
            problems.append(f"{dropped} reference(s) to unknown entities were removed")
    if errors:
        problems.append(_describe_errors(errors))
    return _entries(root), "; ".join(problems) or None


def parse_feed(data: bytes) -> list[dict[str, str | None]]:
    """Entries of a feed (see :func:`read_feed`), ignoring what had to be repaired."""
    return read_feed(data)[0]


def _describe_errors(errors: list[Any]) -> str:
    if not errors:
        return ""
    first = errors[0]
    more = f" and {len(errors) - 1} more error(s)" if len(errors) > 1 else ""
    return f"line {first.line}: {first.message.strip()}{more}"[:300]


def _entries(root: Any) -> list[dict[str, str | None]]:
    from lxml import etree

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
            text = str(child.xpath("string()")).strip()  # references to unknown entities dropped
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
