"""``storyline watch`` and ``storyline status``: keep a store current from feeds, and show how
the feeds are doing (see :mod:`storyline.ingest.watch`)."""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from storyline.cli.formats import ListFormat, ListStyle, tsv_lines
from storyline.errors import Msg, StorylineError

#: exit code when a second SIGINT/SIGTERM stopped ``watch`` at once (the write in progress was
#: rolled back)
EXIT_INTERRUPTED = 130


def _say(line: str, *, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(line + "\n")
    stream.flush()


def _fail(exc: StorylineError) -> typer.Exit:
    _say(f"error [{exc.code}] {exc.message}", err=True)
    if exc.hint:
        _say(f"hint: {exc.hint}", err=True)
    return typer.Exit(1)


def _usage(message: str) -> typer.Exit:
    _say(f"error: {message}", err=True)
    return typer.Exit(2)


class _Stopper:
    """SIGINT/SIGTERM: the first asks the watcher to stop after the entry in hand; a second
    stops at once (KeyboardInterrupt: the write in progress is rolled back)."""

    def __init__(self, on_stop: Any) -> None:
        self.on_stop = on_stop
        self.signal: str | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Stopper:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum: int, _frame: Any) -> None:
        name = signal.Signals(signum).name
        if self.signal is not None:
            self.signal = f"{self.signal}, then {name}"
            raise KeyboardInterrupt
        self.signal = name
        _say(f"{name}: stopping after the entry in hand (send it again to stop at once)",
             err=True)
        self.on_stop()


def _totals(store: Any) -> tuple[int, int]:
    articles = store.count_articles()
    rejections = store.conn.execute("SELECT coalesce(sum(count), 0) FROM rejections").fetchone()[0]
    return int(articles), int(rejections)


def _summary(number: int, report: Any) -> str:
    fetched = [f for f in report.feeds if not f.skipped]
    unchanged = sum(1 for f in fetched if f.status == 304)
    failed = sum(1 for f in fetched if f.code)
    waiting = sum(1 for f in report.feeds if f.skipped)
    return (f"poll {number} ({report.started}): {len(fetched)} feed(s) fetched ({unchanged} not "
            f"modified, {failed} failed), {waiting} backing off; {report.entries_fetched} "
            f"entries fetched: stored {report.stored} new article(s) ({report.duplicates} "
            f"near-duplicate), {report.unchanged} already stored, {report.rejected} rejected; "
            f"{report.entries_left} entries left")


def watch(
    targets: Annotated[list[str], typer.Argument(
        help="Feed or sitemap URLs, or files listing them (one URL a line, '#' comments); a file "
             "is read again before each poll.")],
    db: Annotated[str, typer.Option("--db", envvar="STORYLINE_DB",
                                    help="SQLite database file.")] = "storyline.db",
    every: Annotated[str, typer.Option(
        help="Time between polls (15m, 90s, 1h30m); also the base of a failing feed's "
             "back-off.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit (for cron).")] = False,
    polls: Annotated[int, typer.Option(help="Stop after this many polls (0: never).")] = 0,
    delay: Annotated[float, typer.Option(
        help="Seconds between two requests to one host (robots.txt's Crawl-delay when "
             "longer).")] = 1.0,
    wait: Annotated[float, typer.Option(
        help="Seconds a poll waits for another process writing to the store.")] = 60.0,
    batch_size: Annotated[int, typer.Option(help="Articles per stored transaction.")] = 8,
    max_bytes: Annotated[int, typer.Option(help="Largest single article accepted.")] = 5_000_000,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Fetch from private, loopback and link-local addresses too.")
    ] = False,
    fetch_deadline: Annotated[float, typer.Option(
        help="Seconds one URL may take: connecting, redirects and body.")] = 60.0,
    max_feed_entries: Annotated[int, typer.Option(
        help="Entries of one feed fetched in one poll (the rest at the next polls).")] = 200,
    config: Annotated[Path | None, typer.Option(help="Pipeline config (TOML).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object a poll on standard output.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No line per feed.")] = False,
) -> None:
    """Poll RSS/Atom feeds and sitemaps, ingesting new entries (conditional GET, per-host
    delays, robots.txt, back-off, a fetch log in the store). SIGINT/SIGTERM: stop after the
    entry in hand, keep what is stored, exit 0; the next run goes on from there."""
    from dataclasses import replace

    from storyline.cli.ingest import _load_config
    from storyline.ingest.netguard import FetchPolicy
    from storyline.ingest.watch import Watcher, parse_every, read_targets
    from storyline.pipeline import Pipeline
    from storyline.store.sqlite import Store

    try:
        interval = parse_every(every)
    except ValueError as exc:
        raise _usage(str(exc)) from exc
    try:
        feeds = read_targets(targets)
    except OSError as exc:
        raise _usage(f"cannot read the feed list: {exc}") from exc
    if not feeds:
        raise _usage("no feed URL given")
    try:
        policy = FetchPolicy.from_env()
        policy = replace(policy, allow_private=allow_private or policy.allow_private,
                         deadline=fetch_deadline, max_feed_entries=max_feed_entries)
        pipeline = Pipeline.from_config(_load_config(config))
        store = Store(db)
    except StorylineError as exc:
        raise _fail(exc) from exc

    def log(line: str) -> None:
        if not quiet:
            _say(line, err=as_json)

    watcher = Watcher(store, pipeline, policy=policy, max_bytes=max_bytes, delay=delay,
                      backoff_base=interval, batch_size=batch_size, log=log)
    articles_before, rejections_before = _totals(store)
    number, code = 0, 0
    with _Stopper(watcher.stop) as stopper:
        try:
            while not watcher.stopping.is_set():
                started = time.monotonic()
                try:
                    feeds = read_targets(targets)
                    report = watcher.poll(feeds, wait=wait)
                except StorylineError as exc:
                    if once or exc.code != Msg.E112.value:
                        raise _fail(exc) from exc
                    _say(f"[{exc.code}] {exc.message}; trying again at the next poll", err=True)
                else:
                    number += 1
                    code = max(code, report.exit_code)
                    if as_json:
                        _say(json.dumps({"poll": number, **report.as_dict()}, ensure_ascii=False))
                    else:
                        _say(_summary(number, report))
                if once or (polls and number >= polls):
                    break
                watcher.stopping.wait(max(0.0, started + interval - time.monotonic()))
        except KeyboardInterrupt:
            articles, rejections = _totals(store)
            _say(f"stopped at once ({stopper.signal or 'interrupted'}): any write in progress "
                 f"was rolled back; {articles - articles_before} article(s) and "
                 f"{rejections - rejections_before} rejection(s) stored by this run stay; "
                 "entries not stored are fetched again by the next run", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
    if stopper.signal:
        articles, rejections = _totals(store)
        _say(f"stopped ({stopper.signal}): committed {articles - articles_before} new "
             f"article(s) and {rejections - rejections_before} rejection(s) in {number} poll(s); "
             "entries not stored yet are fetched by the next run", err=True)
        raise typer.Exit(0)
    raise typer.Exit(code if once else 0)


def status(
    db: Annotated[str, typer.Option("--db", envvar="STORYLINE_DB",
                                    help="SQLite database file.")] = "storyline.db",
    days: Annotated[int, typer.Option(help="Days of articles-per-day shown.")] = 14,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    fmt: ListFormat = ListStyle.table,
) -> None:
    """Watched feeds (last fetch, status, errors, back-off, entries), the latest fetches and the
    articles stored per day."""
    from storyline.ingest.watch import feed_status
    from storyline.store.sqlite import Store

    try:
        if db != ":memory:" and not Path(db).is_file():
            raise StorylineError(Msg.E115, path=db)
        data = feed_status(Store(db), days=days)
    except StorylineError as exc:
        raise _fail(exc) from exc
    if as_json or fmt == "json":
        _say(json.dumps({"db": db, **data}, ensure_ascii=False, indent=2))
        return
    if fmt == "tsv":  # the feeds only: one table a stream (--format json has everything)
        sys.stdout.write(tsv_lines([list(FEED_COLUMNS), *(_feed_row(f) for f in data["feeds"])]))
        return
    _say(f"{len(data['feeds'])} feed(s) in {db}; {data['articles']} article(s) stored")
    _table([FEED_COLUMNS, *(tuple(_feed_row(f)) for f in data["feeds"])])
    if data["articles_per_day"]:
        _say("")
        _say("articles stored per day")
        _table([("day", "articles"), *((d["day"], str(d["articles"]))
                                       for d in data["articles_per_day"])])


FEED_COLUMNS = ("url", "kind", "last fetch", "status", "errors", "next try", "entries", "pending",
                "rejected", "last error")


def _feed_row(f: dict[str, Any]) -> list[str]:
    return [f["url"], f["kind"], f["last_fetch"] or "never",
            "" if f["last_status"] is None else str(f["last_status"]), str(f["errors"]),
            f["next_due"] or "next poll", str(f["entries"]), str(f["pending"]),
            str(f["rejected"]), (f["last_error"] or "")[:80]]


def _table(rows: list[tuple[str, ...]]) -> None:
    """Plain columns, full width (no wrapping: fit for a pipe as for a terminal)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        _say("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def register(app: typer.Typer) -> None:
    """Add ``watch`` and ``status`` to the ``storyline`` command."""
    app.command("watch")(watch)
    app.command("status")(status)
