"""Keep a store current: poll RSS/Atom feeds and sitemaps, ingest what is new.

One poll (:meth:`Watcher.poll`) fetches every watched feed that is not backing off, with a
conditional GET (``If-None-Match`` / ``If-Modified-Since`` from the feed's last answer; 304 means
nothing to do), records each fetch in the store's fetch log (``fetch_log``: when, status, ETag,
Last-Modified, entries new and already known, error) and each entry the feed lists
(``feed_entries``), then runs the entries not done yet through the normal ingest path
(:func:`storyline.ingest.run.ingest_items`: the same pipeline, store writes and linking). An entry
is marked done once what was read from it (its article, or a rejection) is committed, and a done
entry is never fetched again; an entry listed but not done (a run stopped midway) is fetched at
the next poll, whatever the feed answers then.

Politeness: requests to one host are spaced by ``delay`` seconds (more when robots.txt asks for a
``Crawl-delay``, at most :data:`MAX_CRAWL_DELAY`); robots.txt is obeyed (one copy per host,
refreshed daily); a feed that fails (network error, HTTP error, refused address, robots.txt,
unreadable feed) backs off exponentially — the base interval times 2^(failures-1), at most
:data:`BACKOFF_CAP`, or longer when the server sent ``Retry-After`` — and the back-off is kept in
the store, so ``--once`` from cron honours it too. An entry whose fetch failed for a reason that may
pass (E013 network or HTTP error, E021 deadline) is stored as a rejection and tried again at the
next polls, :data:`MAX_ATTEMPTS` times in all.

Stopping: :meth:`Watcher.stop` (the CLI calls it on SIGINT/SIGTERM) ends the poll after the entry
being fetched: the batch in hand is written, the new articles are linked, and the poll returns.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from storyline.errors import InputRejected, Msg
from storyline.ingest import readers
from storyline.ingest.fetch import (
    USER_AGENT,
    Fetcher,
    Robots,
    _replace_entities,
    _without_doctype,
    fetch,
    is_feed,
    read_feed,
)
from storyline.ingest.netguard import FetchPolicy
from storyline.model import RawDocument, Rejection
from storyline.store.sqlite import Store

__all__ = ["PollReport", "Watcher", "feed_status", "parse_every", "parse_sitemap", "read_targets"]

#: the longest back-off of a failing feed (seconds)
BACKOFF_CAP = 6 * 3600.0
#: the longest Crawl-delay of robots.txt that is honoured (seconds)
MAX_CRAWL_DELAY = 60.0
#: how long one host's robots.txt is used before it is fetched again (seconds)
ROBOTS_TTL = 24 * 3600.0
#: fetches of one entry whose failure may pass (E013, E021) before it is given up
MAX_ATTEMPTS = 3
#: sitemaps one sitemap index may add to a poll
MAX_CHILD_SITEMAPS = 100
RETRYABLE = ("E013", "E021")
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
          "text/xml;q=0.9, */*;q=0.5")

Item = RawDocument | Rejection


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def parse_every(text: str) -> float:
    """Seconds in an interval such as ``15m``, ``90s``, ``1h30m``, ``2d`` or ``600`` (seconds).
    Raises ValueError."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        seconds = float(value)
    else:
        parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", value)
        if not parts or re.sub(r"(\d+(?:\.\d+)?)\s*([smhd])", "", value).strip():
            raise ValueError(f"not an interval: {text!r} (examples: 15m, 90s, 1h30m)")
        unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        seconds = sum(float(n) * unit[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"the interval must be positive: {text!r}")
    return seconds


def read_targets(targets: Iterable[str]) -> list[str]:
    """Feed URLs from arguments: each an ``http(s)://`` URL or a file of URLs (one a line, blank
    lines and ``#`` comments ignored); duplicates dropped, order kept."""
    urls: list[str] = []
    for target in targets:
        if re.match(r"^[a-z][a-z0-9+.-]*://", target, re.IGNORECASE):
            urls.append(target.strip())
            continue
        lines = Path(target).read_text(encoding="utf-8").splitlines()
        urls += [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return list(dict.fromkeys(urls))


# -- fetching a feed ---------------------------------------------------------------------------


@dataclass
class FeedResponse:
    url: str  # after redirects
    status: int
    reason: str
    ctype: str
    body: bytes
    etag: str | None
    last_modified: str | None
    retry_after: float | None


def conditional_get(url: str, max_bytes: int, policy: FetchPolicy, robots: Robots | None, *,
                    etag: str | None = None, last_modified: str | None = None) -> FeedResponse:
    """GET a feed under the fetch policy (addresses checked on every hop, one deadline, robots.txt),
    sending the validators of its last answer; a 304 comes back with an empty body. HTTP errors are
    returned, not raised; raises :class:`InputRejected` as :func:`storyline.ingest.fetch.fetch`."""
    headers = {"Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    got = fetch(url, max_bytes, policy, robots, headers)
    body = got.body if 200 <= got.status < 300 else b""
    return FeedResponse(got.url, got.status, got.reason, got.ctype, body, got.headers.get("ETag"),
                        got.headers.get("Last-Modified"),
                        _retry_after(got.headers.get("Retry-After")))


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date), None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - _now()).total_seconds())


def _gunzip(body: bytes, max_bytes: int) -> bytes:
    """A gzipped sitemap (``sitemap.xml.gz`` served as a file), at most ``max_bytes`` expanded."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    inflater = zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise InputRejected(Msg.E019, detail=f"broken gzip: {exc}") from exc
    if len(data) > max_bytes:
        raise InputRejected(Msg.E004, size=f"more than {max_bytes}", limit=max_bytes)
    return data


def is_sitemap(data: bytes) -> bool:
    head = _without_doctype(data[:4096])[0].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(data: bytes) -> tuple[list[dict[str, str | None]], list[str]]:
    """Entries of a sitemap (``<urlset>``: each ``<loc>``, with a Google News sitemap's title and
    publication date as hints) and the sitemaps a sitemap index lists, parsed as safely as feeds
    (no DTD, no entity expansion, no network). Raises E019 when nothing could be read."""
    from lxml import etree

    cleaned, _ = _without_doctype(data)
    cleaned, _ = _replace_entities(cleaned)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(cleaned, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputRejected(Msg.E019, detail=str(exc)[:300]) from exc
    if root is None:
        raise InputRejected(Msg.E019, detail="no XML element in it")
    entries: list[dict[str, str | None]] = []
    children: list[str] = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        tag = etree.QName(node).localname
        if tag not in ("url", "sitemap"):
            continue
        fields: dict[str, str | None] = {"link": None, "title": None, "published": None}
        for child in node.iter():
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            text = str(child.xpath("string()")).strip()
            if name == "loc" and text and not fields["link"]:
                fields["link"] = text
            elif name == "title" and text:
                fields["title"] = text
            elif name == "publication_date" and text:
                fields["published"] = text
        if fields["link"]:
            if tag == "sitemap":
                children.append(fields["link"])
            else:
                entries.append(fields)
    return entries, children


# -- politeness --------------------------------------------------------------------------------


class Politeness:
    """Spaces requests to one host by ``delay`` seconds, or by robots.txt's Crawl-delay when
    longer (at most :data:`MAX_CRAWL_DELAY`); waiting ends early when ``stop`` is set."""

    def __init__(self, delay: float, stop: threading.Event) -> None:
        self.delay = max(0.0, delay)
        self.stop = stop
        self._last: dict[str, float] = {}

    def wait(self, url: str, robots: Robots | None) -> None:
        host = urlsplit(url).netloc.lower()
        gap = max(self.delay, _crawl_delay(robots, url))
        last = self._last.get(host)
        if last is not None:
            left = last + gap - time.monotonic()
            if left > 0:
                self.stop.wait(left)
        self._last[host] = time.monotonic()


def _crawl_delay(robots: Robots | None, url: str) -> float:
    if robots is None:
        return 0.0
    try:
        robots.allowed(url)  # loads the host's robots.txt once
        parts = urlsplit(url)
        rules = robots._sites.get((parts.scheme.lower(), parts.netloc.lower()))
        delay = rules.crawl_delay(USER_AGENT) if rules is not None else None
    except Exception:  # noqa: BLE001 - a broken robots.txt means no delay, not a stop
        return 0.0
    return min(float(delay or 0.0), MAX_CRAWL_DELAY)


# -- the fetch log -----------------------------------------------------------------------------


@dataclass
class FeedResult:
    url: str
    kind: str | None = None  # feed or sitemap, once read
    status: int | None = None
    new: int = 0
    seen: int = 0
    code: str | None = None
    error: str | None = None
    backoff_until: str | None = None
    skipped: bool = False  # backing off: not fetched

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


@dataclass
class PollReport:
    started: str = ""
    feeds: list[FeedResult] = field(default_factory=list)
    entries_fetched: int = 0
    entries_left: int = 0
    stored: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejected: int = 0
    stopped: bool = False

    @property
    def feed_errors(self) -> int:
        return sum(1 for f in self.feeds if f.code and not f.skipped)

    @property
    def exit_code(self) -> int:
        """0: all good; 3: some entries were rejected or some feeds failed."""
        return 3 if self.rejected or self.feed_errors else 0

    def as_dict(self) -> dict[str, Any]:
        return {"started": self.started, "feeds": [f.as_dict() for f in self.feeds],
                "entries_fetched": self.entries_fetched, "entries_left": self.entries_left,
                "stored": self.stored, "duplicates": self.duplicates,
                "unchanged": self.unchanged, "rejected": self.rejected, "stopped": self.stopped}


@dataclass
class _Entry:
    url: str
    feed: str
    title: str | None
    published: str | None
    attempts: int


class _Transaction:
    def __init__(self, store: Store) -> None:
        self.conn = store.conn

    def __enter__(self) -> Any:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind: object, *exc: object) -> None:
        self.conn.execute("ROLLBACK" if kind is not None else "COMMIT")


# -- the watcher -------------------------------------------------------------------------------


class Watcher:
    """Polls feeds into a store; see the module documentation."""

    def __init__(self, store: Store, pipeline: Any = None, *, policy: FetchPolicy | None = None,
                 max_bytes: int = readers.DEFAULT_MAX_BYTES, delay: float = 1.0,
                 backoff_base: float = 900.0, batch_size: int = 8,
                 log: Callable[[str], None] | None = None,
                 stopping: threading.Event | None = None) -> None:
        from storyline.pipeline import Pipeline

        self.store = store
        self.pipeline = pipeline or Pipeline.from_config()
        self.pipeline.set_option("main_text", "max_bytes", max_bytes)
        self.policy = policy or FetchPolicy.from_env()
        self.max_bytes = max_bytes
        self.backoff_base = max(1.0, backoff_base)
        self.batch_size = max(1, batch_size)
        self.log = log or (lambda _line: None)
        self.stopping = stopping or threading.Event()
        self.polite = Politeness(delay, self.stopping)
        self._fetcher: Fetcher | None = None
        self._fetcher_born = 0.0

    def stop(self) -> None:
        """End the poll after the entry being fetched (what is read is written and linked)."""
        self.stopping.set()

    @property
    def fetcher(self) -> Fetcher:
        """One fetcher (and robots.txt cache) for the watcher's life, renewed daily."""
        if self._fetcher is None or time.monotonic() - self._fetcher_born > ROBOTS_TTL:
            self._fetcher = Fetcher(max_bytes=self.max_bytes, policy=self.policy)
            self._fetcher_born = time.monotonic()
        return self._fetcher

    # -- one poll --

    def poll(self, feeds: Iterable[str], *, wait: float = 0.0) -> PollReport:
        """Fetch the feeds that are due, then ingest their entries not done yet (and those any
        earlier poll left). Holds the store's write lock for the poll."""
        report = PollReport(started=_iso(_now()) or "")
        feeds = list(dict.fromkeys(feeds))
        with self.store.writing(wait):
            self._register(feeds, kind=None, parent=None)
            queue = list(feeds)
            done: set[str] = set()
            while queue and not self.stopping.is_set():
                url = queue.pop(0)
                if url in done:
                    continue
                done.add(url)
                result, children = self._poll_feed(url)
                report.feeds.append(result)
                self.log(_describe(result))
                if children:
                    self._register(children, kind="sitemap", parent=url)
                    queue += [c for c in children if c not in done]
            self._ingest_pending(list(done), report)
        return report

    def _register(self, urls: list[str], kind: str | None, parent: str | None) -> None:
        now = _iso(_now())
        with _Transaction(self.store) as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO feeds (url, kind, parent, added_at) VALUES (?, ?, ?, ?)",
                [(u, kind or "feed", parent, now) for u in urls])

    def _poll_feed(self, url: str) -> tuple[FeedResult, list[str]]:
        conn = self.store.conn
        row = conn.execute("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone()
        result = FeedResult(url)
        now = _now()
        if row["next_due"] and row["next_due"] > (_iso(now) or ""):
            result.skipped = True
            result.code = "backoff"
            result.backoff_until = row["next_due"]
            result.error = row["last_error"]
            return result, []
        started = time.monotonic()
        self.polite.wait(url, self.fetcher.robots)
        if self.stopping.is_set():
            return FeedResult(url, code="stopped", skipped=True), []
        children: list[str] = []
        entries: list[dict[str, str | None]] = []
        response: FeedResponse | None = None
        try:
            response = conditional_get(url, self.max_bytes, self.policy, self.fetcher.robots,
                                       etag=row["etag"], last_modified=row["last_modified"])
            result.status = response.status
            if response.status >= 400:
                raise InputRejected(Msg.E013, detail=f"{response.status} {response.reason} for "
                                                     f"url: {response.url}"[:300])
            if response.status != 304:
                result.kind, entries, children, problem = self._read(response)
                if problem:
                    result.error = problem
        except InputRejected as exc:
            result.code = exc.code
            result.error = exc.reason
        except Exception as exc:  # noqa: BLE001 - one feed never ends the poll
            result.code = "E013"
            result.error = f"{type(exc).__name__}: {exc}"[:300]
        ms = int((time.monotonic() - started) * 1000)
        self._record(row, result, response, entries, now, ms)
        return result, children[:MAX_CHILD_SITEMAPS]

    def _read(self, response: FeedResponse) -> tuple[str, list[dict[str, str | None]],
                                                     list[str], str | None]:
        body = _gunzip(response.body, self.max_bytes)
        if is_sitemap(body):
            entries, children = parse_sitemap(body)
            return "sitemap", entries, children, None
        if is_feed(body, response.ctype):
            entries, problem = read_feed(body)
            return "feed", entries, [], problem
        raise InputRejected(Msg.E019, detail=f"neither an RSS/Atom feed nor a sitemap "
                                             f"({response.ctype or 'no content type'})")

    def _record(self, row: Any, result: FeedResult, response: FeedResponse | None,
                entries: list[dict[str, str | None]], now: dt.datetime, ms: int) -> None:
        """The fetch in the log, the feed's validators or back-off, and its entries, in one
        transaction."""
        url = result.url
        at = _iso(now)
        with _Transaction(self.store) as conn:
            if result.code:
                errors = int(row["errors"]) + 1
                wait = min(self.backoff_base * 2 ** (errors - 1), BACKOFF_CAP)
                if response is not None and response.retry_after:
                    wait = max(wait, min(response.retry_after, 7 * 86400.0))
                result.backoff_until = _iso(now + dt.timedelta(seconds=wait))
                conn.execute(
                    "UPDATE feeds SET last_fetch = ?, last_status = ?, errors = ?, next_due = ?, "
                    "last_error = ? WHERE url = ?",
                    (at, result.status, errors, result.backoff_until,
                     f"[{result.code}] {result.error}", url))
            else:
                base = response.url if response is not None else url
                entries = [{**e, "link": urljoin(base, e["link"].strip())} for e in entries
                           if e["link"] and e["link"].strip()]  # relative links resolved
                known = set()
                links = [e["link"] for e in entries]
                for start in range(0, len(links), 500):
                    chunk = links[start:start + 500]
                    marks = ",".join("?" * len(chunk))
                    known.update(r[0] for r in conn.execute(
                        f"SELECT url FROM feed_entries WHERE url IN ({marks})", chunk))
                fresh = [e for e in entries if e["link"] and e["link"] not in known]
                fresh = list({e["link"]: e for e in reversed(fresh)}.values())[::-1]
                result.new, result.seen = len(fresh), len(entries) - len(fresh)
                conn.executemany(
                    "INSERT OR IGNORE INTO feed_entries (url, feed, title, published, position, "
                    "first_seen) VALUES (?, ?, ?, ?, ?, ?)",
                    [(e["link"], url, e["title"], e["published"], i, at)
                     for i, e in enumerate(fresh)])
                etag, modified = row["etag"], row["last_modified"]
                if response is not None and response.status == 304:  # new validators, if any
                    etag, modified = response.etag or etag, response.last_modified or modified
                elif response is not None:
                    etag, modified = response.etag, response.last_modified
                conn.execute(
                    "UPDATE feeds SET kind = coalesce(?, kind), last_fetch = ?, last_status = ?, "
                    "last_ok = ?, errors = 0, next_due = NULL, last_error = ?, etag = ?, "
                    "last_modified = ? WHERE url = ?",
                    (result.kind, at, result.status, at, result.error, etag, modified, url))
            conn.execute(
                "INSERT INTO fetch_log (url, at, status, etag, last_modified, items_new, "
                "items_seen, code, error, backoff_until, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?)",
                (url, at, result.status, response.etag if response else None,
                 response.last_modified if response else None, result.new, result.seen,
                 result.code, result.error, result.backoff_until, ms))

    # -- the entries --

    def _pending(self, feeds: list[str]) -> list[_Entry]:
        """Entries not done of these feeds, oldest first, at most ``max_feed_entries`` a feed."""
        out: list[_Entry] = []
        cap = self.policy.max_feed_entries
        for feed in feeds:
            rows = self.store.conn.execute(
                "SELECT url, feed, title, published, attempts FROM feed_entries WHERE feed = ? "
                "AND done_at IS NULL ORDER BY first_seen, position LIMIT ?", (feed, cap))
            out += [_Entry(r[0], r[1], r[2], r[3], r[4]) for r in rows]
        return out

    def _ingest_pending(self, feeds: list[str], report: PollReport) -> None:
        from storyline.ingest.run import IngestReport, ingest_items

        pending = self._pending(feeds)
        if not pending or self.stopping.is_set():
            report.entries_left = self._count_left(feeds)
            report.stopped = self.stopping.is_set()
            return
        finished: list[tuple[_Entry, str | None, str | None]] = []

        def items() -> Iterator[Item]:
            for entry in pending:
                if self.stopping.is_set():
                    return
                self.polite.wait(entry.url, self.fetcher.robots)
                if self.stopping.is_set():
                    return
                got = list(self.fetcher.iter_url(entry.url, hints={
                    "link": entry.url, "title": entry.title, "published": entry.published}))
                report.entries_fetched += 1
                failure = next((i for i in got if isinstance(i, Rejection)
                                and i.stage == "fetch"), None)
                yield from got
                # every item of the entry has been taken: committed by the next batch written
                finished.append((entry, failure.code if failure else None,
                                 failure.reason if failure else None))

        def on_batch(_: IngestReport) -> None:
            # what was taken from items() so far is committed (one process, no read-ahead)
            self._mark_done(finished)
            finished.clear()

        run_id = self.store.start_run([e.url for e in pending])
        result = ingest_items(items(), self.store, self.pipeline, batch_size=self.batch_size,
                              workers=1, on_batch=on_batch)
        self._mark_done(finished)
        self.store.finish_run(run_id, stored=result.stored, duplicates=result.duplicates,
                              unchanged=result.unchanged, rejected=result.rejected)
        report.stored, report.duplicates = result.stored, result.duplicates
        report.unchanged, report.rejected = result.unchanged, result.rejected
        report.entries_left = self._count_left(feeds)
        report.stopped = self.stopping.is_set()

    def _mark_done(self, finished: list[tuple[_Entry, str | None, str | None]]) -> None:
        if not finished:
            return
        at = _iso(_now())
        rows_done, rows_retry = [], []
        for entry, code, reason in finished:
            attempts = entry.attempts + 1
            if code in RETRYABLE and attempts < MAX_ATTEMPTS:
                rows_retry.append((attempts, at, f"[{code}] {reason}", entry.url))
            else:
                outcome = "read" if code is None else "rejected"
                error = f"[{code}] {reason}" if code else None
                rows_done.append((attempts, at, at, outcome, error, entry.url))
        with _Transaction(self.store) as conn:
            conn.executemany("UPDATE feed_entries SET attempts = ?, fetched_at = ?, "
                             "last_error = ? WHERE url = ?", rows_retry)
            conn.executemany("UPDATE feed_entries SET attempts = ?, fetched_at = ?, done_at = ?, "
                             "outcome = ?, last_error = ? WHERE url = ?", rows_done)

    def _count_left(self, feeds: list[str]) -> int:
        if not feeds:
            return 0
        marks = ",".join("?" * len(feeds))
        return int(self.store.conn.execute(
            f"SELECT count(*) FROM feed_entries WHERE done_at IS NULL AND feed IN ({marks})",
            feeds).fetchone()[0])


def _describe(result: FeedResult) -> str:
    if result.code == "stopped":
        return f"{result.url}: not fetched (stopping)"
    if result.skipped:
        return f"{result.url}: backing off until {result.backoff_until} ({result.error})"
    if result.code:
        return (f"{result.url}: failed [{result.code}] {result.error}; next try after "
                f"{result.backoff_until}")
    if result.status == 304:
        return f"{result.url}: 304 not modified"
    note = f" ({result.error})" if result.error else ""
    return f"{result.url}: {result.status}, {result.new} new, {result.seen} already seen{note}"


# -- status ------------------------------------------------------------------------------------


def feed_status(store: Store, days: int = 14) -> dict[str, Any]:
    """The watched feeds (last fetch, status, back-off, last error, entries done and pending),
    the latest fetches, and the articles stored per day (the last ``days`` days with any)."""
    conn = store.conn
    feeds = []
    for row in conn.execute("SELECT * FROM feeds ORDER BY added_at, url"):
        counts = conn.execute(
            "SELECT count(*), sum(done_at IS NULL), sum(outcome = 'read'), "
            "sum(outcome = 'rejected') FROM feed_entries WHERE feed = ?", (row["url"],)).fetchone()
        feeds.append({**dict(row), "entries": counts[0] or 0, "pending": counts[1] or 0,
                      "read": counts[2] or 0, "rejected": counts[3] or 0})
    recent = [dict(r) for r in conn.execute(
        "SELECT url, at, status, items_new, items_seen, code, error, backoff_until, ms "
        "FROM fetch_log ORDER BY id DESC LIMIT 20")]
    per_day = [{"day": r[0], "articles": r[1]} for r in conn.execute(
        "SELECT substr(ingested_at, 1, 10) AS day, count(*) FROM articles GROUP BY day "
        "ORDER BY day DESC LIMIT ?", (days,))]
    return {"feeds": feeds, "recent_fetches": recent, "articles_per_day": per_day,
            "articles": store.count_articles()}


class BackgroundWatch:
    """Poll feeds every ``interval`` seconds in a thread of their own (``storyline serve
    --watch``): one watcher, its own store connection, the same polls as ``storyline watch``.
    A failed poll is logged and the next one comes at its time (a web server never dies of a
    feed); :meth:`stop` ends the poll after the entry in hand, as SIGTERM does for ``watch``."""

    def __init__(self, db: str, targets: list[str], interval: float, *,
                 pipeline_config: dict[str, Any] | None = None,
                 policy: FetchPolicy | None = None, delay: float = 1.0, wait: float = 60.0,
                 log: Callable[[str], None] | None = None,
                 summary: Callable[[int, PollReport], str] | None = None) -> None:
        self.db = db
        self.targets = list(targets)
        self.interval = interval
        self.pipeline_config = pipeline_config
        self.policy = policy
        self.delay = delay
        self.wait = wait
        self.log = log or (lambda _line: None)
        self.summary = summary or (lambda n, r: f"poll {n}: stored {r.stored} new article(s)")
        self.stopping = threading.Event()
        self.polls = 0
        self.watcher: Watcher | None = None
        self.thread = threading.Thread(target=self._run, name="storyline-watch", daemon=True)

    def start(self) -> BackgroundWatch:
        self.thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self.stopping.set()
        if self.watcher is not None:
            self.watcher.stop()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def _run(self) -> None:
        from storyline.errors import StorylineError
        from storyline.pipeline import Pipeline
        from storyline.store.sqlite import Store

        store = Store(self.db)
        try:
            watcher = Watcher(store, Pipeline.from_config(self.pipeline_config),
                              policy=self.policy, delay=self.delay, backoff_base=self.interval,
                              log=self.log, stopping=self.stopping)
            self.watcher = watcher
            while not self.stopping.is_set():
                started = time.monotonic()
                try:
                    report = watcher.poll(read_targets(self.targets), wait=self.wait)
                except StorylineError as exc:
                    self.log(f"watch: [{exc.code}] {exc.message}; trying again at the next poll")
                except Exception as exc:  # noqa: BLE001 - logged; the server and next poll go on
                    self.log(f"watch: poll failed ({type(exc).__name__}: {exc}); trying again "
                             "at the next poll")
                else:
                    self.polls += 1
                    self.log(self.summary(self.polls, report))
                self.stopping.wait(max(0.0, started + self.interval - time.monotonic()))
        finally:
            store.close()
