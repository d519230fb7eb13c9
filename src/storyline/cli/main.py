"""The ``storyline`` command: thin shells over the library (each command calls one function).

Exit codes: 0 all good, 1 error (a message and a hint on stderr), 2 wrong usage (an unknown option,
a missing argument), 3 finished with some rejected inputs, 130 stopped by Ctrl-C.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from storyline.cli.formats import ListFormat, ListStyle, tsv_lines
from storyline.errors import Msg, StorylineError

app = typer.Typer(
    name="storyline",
    help="Turn raw news articles into cited event data: clean text, dates, outlets, stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
export_app = typer.Typer(help="Export stored records (jsonl, csv, parquet).", no_args_is_help=True)
eval_app = typer.Typer(help="Score storyline against evaluation data.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(eval_app, name="eval")

#: Piped or redirected output is not cut to 80 columns: each row stays on one line, full width.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 1_000)
err = Console(stderr=True)

DbOption = Annotated[
    str, typer.Option("--db", envvar="STORYLINE_DB", help="SQLite database file.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
WaitOption = Annotated[float, typer.Option(
    help="Seconds to wait for another process writing to the store (default: do not wait).")]

F = TypeVar("F", bound=Callable[..., Any])


def _fail(exc: StorylineError) -> typer.Exit:
    err.print(f"[red]error[/red] [{exc.code}] {exc.message}", highlight=False)
    if exc.hint:
        err.print(f"[dim]hint:[/dim] {exc.hint}", highlight=False)
    return typer.Exit(1)


def _store(db: str, create: bool = False):  # type: ignore[no-untyped-def]
    """The store at ``db``; a command that only reads never creates one (E115)."""
    from storyline.store.sqlite import Store

    if not create and db != ":memory:" and not Path(db).exists():
        raise StorylineError(Msg.E115, path=db)
    return Store(db)


def _period(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """--since/--until checked: a year, a month or a real day, until not before since (E116)."""
    from storyline.periods import checked_period

    try:
        return checked_period(since, until)
    except StorylineError as exc:
        raise _fail(exc) from exc


def _table(*columns: str, title: str | None = None) -> Table:
    """A table whose id column is never cut; cells are plain text (no rich markup)."""
    table = Table(title=title)
    for name in columns:
        if name == "id":
            table.add_column(name, no_wrap=True, min_width=16)
        else:
            table.add_column(name)
    return table


def _row(table: Table, *cells: Any) -> None:
    table.add_row(*(Text("" if c is None else str(c)) for c in cells))


def _show(table: Table, fmt: str = "table") -> None:
    """Print a listing: an aligned table, or with ``tsv`` a header line and one line a row, the
    cells' own tabs and line breaks turned into spaces (so every row stays one record)."""
    if fmt != "tsv":
        out.print(table)
        return
    cells = [[v.plain if isinstance(v, Text) else str(v) for v in c.cells] for c in table.columns]
    sys.stdout.write(tsv_lines([[str(c.header) for c in table.columns],
                                *map(list, zip(*cells, strict=True))]))


ACTOR_STYLE = "bold cyan"
TIME_STYLE = "bold magenta"
PLACE_STYLE = "bold green"


def _highlighted(text: str, notes: dict[str, Any]) -> Text:
    """The article text with actor mentions and time expressions coloured (spans from the
    store; the text itself is never interpreted as markup)."""
    rich_text = Text(text)
    for m in notes["mentions"]:
        rich_text.stylize(ACTOR_STYLE, m["start"], m["end"])
    for t in notes["timexes"]:
        rich_text.stylize(TIME_STYLE, t["start"], t["end"])
    for p in notes.get("places", []):
        rich_text.stylize(PLACE_STYLE, p["start"], p["end"])
    return rich_text


def _listing(db: str, method: str, as_json: bool, *args: Any, **kwargs: Any
             ) -> list[dict[str, Any]] | None:
    """Call a store listing; print JSON and return None with --json, else return the rows."""
    try:
        rows: list[dict[str, Any]] = getattr(_store(db), method)(*args, **kwargs)
    except StorylineError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json(rows)
        return None
    return rows


def _evaluate(fn: Callable[..., dict[str, Any]], *args: Any, as_json: bool,
              **kwargs: Any) -> dict[str, Any] | None:
    """Run an evaluation; print JSON and return None with --json, else return the report."""
    try:
        report = fn(*args, **kwargs)
    except StorylineError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json(report)
        return None
    return report


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def ingest(
    paths: Annotated[list[str] | None, typer.Argument(
        help="Files, folders, URLs or '-' for stdin. None: the bundled sample corpus.")] = None,
    db: DbOption = "storyline.db",
    urls: Annotated[Path | None, typer.Option(help="A file with one URL per line.")] = None,
    config: Annotated[Path | None, typer.Option(help="Pipeline config (TOML).")] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per stored transaction.")] = 64,
    max_bytes: Annotated[int, typer.Option(help="Largest single article accepted.")] = 5_000_000,
    workers: Annotated[str, typer.Option(
        help="Processes for the per-article stages, or 'auto': one for a small input (the "
             "pool's start-up would cost more than it saves), else one per core.")] = "1",
    min_words: Annotated[int | None, typer.Option(
        min=1, help="Fewest words a cleaned article needs to be stored (default 20).")] = None,
    wait: WaitOption = 0.0,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Fetch from private, loopback and link-local addresses too.")
    ] = False,
    fetch_deadline: Annotated[float, typer.Option(
        help="Seconds one URL may take: connecting, redirects and body.")] = 60.0,
    max_feed_entries: Annotated[int, typer.Option(
        help="Entries fetched from one RSS/Atom feed.")] = 200,
    as_json: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read articles, run every stage, and store the results (re-running is safe)."""
    from dataclasses import replace

    from storyline.ingest.fetch import read_url_list
    from storyline.ingest.netguard import FetchPolicy
    from storyline.ingest.run import ingest_paths, sample_corpus_path
    from storyline.pipeline import Pipeline

    shown = _progress(enabled=not quiet and not as_json and err.is_terminal,
                      plain=not quiet and not as_json and not err.is_terminal)
    try:
        url_list = read_url_list(str(urls)) if urls else []
        targets = list(paths or [])
        if not targets and not url_list:
            targets = [str(sample_corpus_path())]
            if not as_json:
                err.print(f"No input given: ingesting the bundled sample corpus ({targets[0]})")
        settings = _load_config(config) or {}
        if min_words is not None:
            options = settings.setdefault("options", {})
            if isinstance(options, dict):
                options.setdefault("clean", {})["min_words"] = min_words
        pipeline = Pipeline.from_config(settings)
        policy = FetchPolicy.from_env()
        policy = replace(policy, allow_private=allow_private or policy.allow_private,
                         deadline=fetch_deadline, max_feed_entries=max_feed_entries)
        store = _store(db, create=True)
        processes = _workers(workers, targets, url_list)
        with _stop_on_signals(), shown as on_batch:
            report = ingest_paths(targets, store, pipeline, urls=url_list, max_bytes=max_bytes,
                                  batch_size=batch_size, workers=processes, on_batch=on_batch,
                                  wait=wait, fetch_policy=policy)
    except StorylineError as exc:
        raise _fail(exc) from exc
    except KeyboardInterrupt:
        done = shown.last
        stored = f"{done.stored} new article(s) and {done.rejected} rejection(s)" if done \
            else "nothing"
        err.print(f"stopped: {stored} committed before the stop stay in {db}; the batch in "
                  "progress was rolled back. Run the same command again to go on (stored "
                  "articles are skipped).", highlight=False)
        raise typer.Exit(130) from None
    if as_json:
        _print_json({**report.as_dict(), "db": db})
    else:
        out.print(
            f"stored {report.stored} new article(s) ({report.duplicates} near-duplicate), "
            f"{report.unchanged} already stored, {report.rejected} rejected -> {db}",
            highlight=False,
        )
        if report.analysed_later:
            out.print(f"analysed {report.analysed_later} article(s) at the end that were first "
                      "taken for near duplicates", highlight=False)
        if report.rejected:
            rows = store.rejections(limit=10)
            table = _table("origin", "stage", "reason", title="latest rejections")
            for r in rows:
                _row(table, r["origin"], r["stage"], r["reason"])
            err.print(table)
            err.print("[dim]all rejections: storyline rejections[/dim]")
        failed = store.failures(limit=1000)
        if failed:
            err.print(f"[yellow]{len(failed)} stage failure(s) on stored articles[/yellow] "
                      "[dim](storyline rejections lists them; storyline reprocess --failed runs "
                      "the stages again)[/dim]")
    raise typer.Exit(report.exit_code)


@app.command()
def reprocess(
    db: DbOption = "storyline.db",
    failed: Annotated[bool, typer.Option(
        "--failed", help="Only articles with a recorded stage failure.")] = False,
    stage: Annotated[str | None, typer.Option(
        help="With --failed: only failures of this stage. The analysis stages run together "
             "(extract needs annotate's parse), so every analysis stage runs again.")] = None,
    all_articles: Annotated[bool, typer.Option(
        "--all", help="Every original, not only those an older version analysed.")] = False,
    config: Annotated[Path | None, typer.Option(help="Pipeline config (TOML).")] = None,
    workers: Annotated[int, typer.Option(help="Processes for the analysis stages.")] = 1,
    wait: WaitOption = 0.0,
    as_json: JsonOption = False,
) -> None:
    """Run the analysis stages again on stored articles (after an upgrade, or a fix for a
    stage failure) and relink them. By default: articles an older version analysed, and
    originals still waiting for their analysis."""
    from storyline.ingest.reprocess import reprocess_articles
    from storyline.pipeline import Pipeline

    try:
        pipeline = Pipeline.from_config(_load_config(config))
        store = _store(db)
        report = reprocess_articles(store, pipeline, failed=failed, stage=stage,
                                    every=all_articles, workers=workers, wait=wait)
    except StorylineError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json(report)
        return
    out.print(f"reprocessed {report['reprocessed']} article(s); {report['failures']} stage "
              f"failure(s) remain; {report['stories']} stories", highlight=False)


@app.command()
def relink(
    db: DbOption = "storyline.db",
    wait: WaitOption = 0.0,
    as_json: JsonOption = False,
) -> None:
    """Rebuild the stories layer (stories, linked events, dates completed from stories) from
    the stored articles and events."""
    from storyline.link.run import relink as rebuild

    try:
        store = _store(db)
        with store.writing(wait):
            report = rebuild(store)
    except StorylineError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json({"articles": report.articles, "stories": report.stories,
                     "linked_events": report.linked_events})
        return
    out.print(f"relinked {report.articles} article(s): {report.stories} stories, "
              f"{report.linked_events} linked events", highlight=False)


#: Below this many articles (estimated from the input's size, about 3 kB of text or HTML an
#: article) one process is as fast as a pool: measured on this project's machine, 15 ECB+ articles
#: took 3.5 s with one worker and 3.6 s with two, 60 took 6.0 s and 4.7 s.
AUTO_MIN_ARTICLES = 30
ARTICLE_BYTES = 3_000


def _workers(value: str, targets: list[str], urls: list[str]) -> int:
    """``--workers``: a number, or ``auto`` (one process for a small input, else one per core)."""
    import os

    if value.strip().lower() != "auto":
        try:
            count = int(value)
        except ValueError:
            raise StorylineError(Msg.E109, detail=f"--workers is a number or 'auto', not "
                                                  f"{value!r}") from None
        if count < 1:
            raise StorylineError(Msg.E109, detail="--workers is at least 1")
        return count
    size, seen = 0, 0
    for target in targets:
        path = Path(target)
        files = [path] if path.is_file() else path.rglob("*") if path.is_dir() else []
        for f in files:
            if f.is_file():
                size += f.stat().st_size
                seen += 1
            if seen > 10_000 or size > AUTO_MIN_ARTICLES * ARTICLE_BYTES * 10:
                break
    estimate = size // ARTICLE_BYTES + len(urls) + sum(t.startswith(("http://", "https://"))
                                                       for t in targets)
    return 1 if estimate < AUTO_MIN_ARTICLES else max(1, os.cpu_count() or 1)


def _load_config(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    import tomllib


    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StorylineError(Msg.E109, detail=str(exc)) from exc
    pipeline = data.get("pipeline", data)
    if not isinstance(pipeline, dict):
        raise StorylineError(Msg.E109, detail="[pipeline] must be a table")
    return pipeline


class _progress:
    """Progress while ingesting: a rich line on a terminal, else a plain line on stderr every
    ``every`` seconds (a log or a pipe hears something during a long run). It remembers the
    last counts, for the message when the run is stopped."""

    def __init__(self, enabled: bool, plain: bool = False, every: float = 10.0) -> None:
        self.enabled = enabled
        self.plain = plain
        self.every = every
        self.progress: Any = None
        self.last: Any = None

    def __enter__(self) -> Callable[[Any], None] | None:
        if not self.enabled and not self.plain:
            return self._remember
        if not self.enabled:
            import time

            started = next_at = time.monotonic()

            def line(report: Any) -> None:
                nonlocal next_at
                self.last = report
                now = time.monotonic()
                if now >= next_at + self.every:
                    next_at = now
                    sys.stderr.write(f"ingesting: read {report.read}, stored {report.stored}, "
                                     f"rejected {report.rejected} ({now - started:.0f} s)\n")
                    sys.stderr.flush()

            return line
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                 TimeElapsedColumn(), console=err, transient=True)
        self.progress.start()
        task = self.progress.add_task("ingesting", total=None)

        def update(report: Any) -> None:
            self.last = report
            self.progress.update(task, description=(
                f"read {report.read}  stored {report.stored}  "
                f"duplicates {report.duplicates}  rejected {report.rejected}"))

        return update

    def _remember(self, report: Any) -> None:
        self.last = report

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


class _stop_on_signals:
    """SIGTERM stops a write command the way Ctrl-C does (the current batch's transaction rolls
    back, what was committed stays); the command then says so and exits 130."""

    def __enter__(self) -> None:
        import signal

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        try:
            self.previous = signal.signal(signal.SIGTERM, stop)
        except ValueError:  # not the main thread
            self.previous = None

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)


@app.command()
def articles(
    db: DbOption = "storyline.db",
    limit: Annotated[int, typer.Option(help="How many to list.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    as_json: JsonOption = False,
    fmt: ListFormat = ListStyle.table,
) -> None:
    """List stored articles, oldest publication date first."""
    rows = _listing(db, "list_articles", as_json or fmt == "json", limit=limit, offset=offset)
    if rows is None:
        return
    table = _table("id", "published", "source", "title", "duplicate of")
    for r in rows:
        _row(table, r["id"], r["published"] or "?", r["source"], r["title"], r["duplicate_of"])
    _show(table, fmt)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id or id prefix.")],
    db: DbOption = "storyline.db",
    as_json: JsonOption = False,
    removed: Annotated[bool, typer.Option(help="Also list what cleaning removed.")] = False,
) -> None:
    """Show one article: metadata, cleaned text, captions."""
    try:
        store = _store(db)
        article = store.get_article(article_id)
    except StorylineError as exc:
        raise _fail(exc) from exc
    notes = store.annotations(article.id)
    failures = store.failures(article.id)
    if as_json:
        _print_json({**article.stored_dict(), "annotations": notes, "failures": failures})
        return
    out.print(f"[bold]{article.title or '(no title)'}[/bold]", highlight=False)
    published = article.published or "unknown"
    if article.published:
        published += f" ({article.published_granularity}, from {article.published_method})"
    source = article.source or "unknown"
    if article.source_method:
        source += f" (from {article.source_method})"
    out.print(f"id {article.id} | published {published} | source {source}", highlight=False)
    doc_time = notes.get("doc_time")
    if doc_time and doc_time.get("method") in ("inferred", "not-before"):
        said = (f"written in {doc_time['year']}, inferred (year-less dates completed with it)"
                if doc_time["method"] == "inferred" else
                f"written in {doc_time['year']} or later (the latest year it looks back on)")
        out.print(f"{said}; confidence {doc_time['confidence']}, from: "
                  f"{'; '.join(doc_time['evidence'])}", highlight=False)
    if article.url:
        out.print(article.url, highlight=False)
    if article.duplicate_of:
        out.print(f"[yellow]near-duplicate of {article.duplicate_of}[/yellow]")
    for f in failures:
        where = f" (sentence {f['sentence']}, {f['part']})" if f["sentence"] is not None else ""
        out.print(f"[red]stage {f['stage']} failed{where}:[/red] {f['error']} "
                  f"[dim](bug {f['digest']})[/dim]", highlight=False)
    out.print()
    out.print(_highlighted(article.text, notes), highlight=False)
    if notes["mentions"] or notes["timexes"]:
        out.print("[dim]\nkey: [cyan]actors[/cyan], [magenta]times[/magenta], "
                  "[green]places[/green][/dim]")
    if article.captions:
        out.print("\n[dim]captions:[/dim]")
        for caption in article.captions:
            out.print(f"  {caption}", highlight=False, markup=False)
    if removed:
        out.print("\n[dim]removed:[/dim]")
        for item in article.removed:
            out.print(f"  [{item.rule}] {item.text!r}", highlight=False, markup=False)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words, \"phrases\", OR, NOT (FTS5 syntax).")],
    db: DbOption = "storyline.db",
    limit: Annotated[int, typer.Option(help="How many results.")] = 20,
    as_json: JsonOption = False,
    fmt: ListFormat = ListStyle.table,
) -> None:
    """Full-text search over titles and texts."""
    rows = _listing(db, "search", as_json or fmt == "json", query, limit=limit)
    if rows is None:
        return
    table = _table("id", "published", "title", "snippet")
    for r in rows:
        _row(table, r["id"], r["published"] or "?", r["title"], r["snippet"])
    _show(table, fmt)


@app.command()
def rejections(
    db: DbOption = "storyline.db",
    limit: Annotated[int, typer.Option(help="How many to list.")] = 1000,
    as_json: JsonOption = False,
    fmt: ListFormat = ListStyle.table,
) -> None:
    """List inputs that could not become articles, with the stage and the reason, and the
    stages that failed on articles stored anyway."""
    rows = _listing(db, "problems", as_json or fmt == "json", limit=limit)
    if rows is None:
        return
    table = _table("origin", "stage", "code", "reason", "hint", "times")
    for r in rows:
        if r["kind"] == "rejected":
            _row(table, r["origin"], r["stage"], r["code"], r["reason"], r["hint"], r["count"])
        else:
            _row(table, f"{r['origin']} (stored as {r['article_id']})", r["stage"], r["code"],
                 r["reason"], r["hint"], r["count"])
    _show(table, fmt)


FormatOption = Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet.")]
OutputOption = Annotated[str, typer.Option("--output", "-o", help="File; '-' or none: stdout.")]


def _export(db: str, fmt: str, output: str, what: str) -> None:
    from storyline.store import export

    writer = getattr(export, f"export_{what}")
    try:
        store = _store(db)
        if output == "-":
            writer(store, fmt, sys.stdout.buffer)
            sys.stdout.flush()
        else:
            with open(output, "wb") as fh:
                count = writer(store, fmt, fh)
            err.print(f"wrote {count} {what} to {output}")
    except StorylineError as exc:
        raise _fail(exc) from exc


@export_app.command("articles")
def export_articles_cmd(db: DbOption = "storyline.db", fmt: FormatOption = "jsonl",
                        output: OutputOption = "-") -> None:
    """Export every stored article."""
    _export(db, fmt, output, "articles")


@export_app.command("actors")
def export_actors_cmd(db: DbOption = "storyline.db", fmt: FormatOption = "jsonl",
                      output: OutputOption = "-") -> None:
    """Export actors with their kind, country, sector, roles, aliases and counts."""
    _export(db, fmt, output, "actors")


@export_app.command("mentions")
def export_mentions_cmd(
    db: DbOption = "storyline.db",
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="jsonl, csv or parquet (actor mentions), or gdelt (the GDELT 2.0 "
        "mentions table: one row per event mention).")] = "jsonl",
    output: OutputOption = "-",
    header: Annotated[bool, typer.Option(
        "--header", help="gdelt: write the column names first (GDELT files have none).")] = False,
    modality: Annotated[str | None, typer.Option(
        "--modality", help="gdelt: modalities to write, comma-separated, or 'all' (default "
        "asserted,reported,future).")] = None,
) -> None:
    """Export every actor mention (article, actor, span, label, sentence), or with --format gdelt
    every event mention as GDELT 2.0 mentions rows."""
    if fmt != "gdelt":
        _export(db, fmt, output, "mentions")
        return
    from storyline.store import export

    try:
        store = _store(db)
        count = export.write_output(output, lambda out: export.export_mentions(
            store, fmt, out, header=header, modality=modality))
    except StorylineError as exc:
        raise _fail(exc) from exc
    if output != "-":
        err.print(f"wrote {count} event mentions to {output}")


@export_app.command("quotes")
def export_quotes_cmd(db: DbOption = "storyline.db", fmt: FormatOption = "jsonl",
                      output: OutputOption = "-") -> None:
    """Export every quote with its speaker, cue, content, kind and span."""
    _export(db, fmt, output, "quotes")


@export_app.command("events")
def export_events_cmd(
    db: DbOption = "storyline.db",
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="jsonl, csv, parquet, gdelt (GDELT 2.0 event table, one row per "
        "linked event), polecat (POLECAT records, JSON Lines) or plover.")] = "jsonl",
    output: OutputOption = "-",
    header: Annotated[bool, typer.Option(
        "--header", help="gdelt: write the column names first (GDELT files have none).")] = False,
    modality: Annotated[str | None, typer.Option(
        "--modality", help="gdelt, polecat: modalities to write, comma-separated, or 'all' "
        "(defaults: gdelt asserted,reported,future; polecat all).")] = None,
) -> None:
    """Export every event: jsonl/csv/parquet, the GDELT 2.0 event table, POLECAT records or a
    PLOVER JSON array."""
    from storyline.store import export

    try:
        store = _store(db)
        count = export.write_output(output, lambda out: export.export_events(
            store, fmt, out, header=header, modality=modality))
    except StorylineError as exc:
        raise _fail(exc) from exc
    if output != "-":
        err.print(f"wrote {count} events to {output}")


def _check_port(host: str, port: int) -> None:
    """E118 when the address cannot be listened on (a port in use), before saying we serve."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise StorylineError(Msg.E118, host=host, port=port, detail=str(exc)) from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise StorylineError(Msg.E118, host=host, port=port,
                                 detail=exc.strerror or str(exc)) from exc


@app.command()
def events(
    db: DbOption = "storyline.db",
    actor: Annotated[str | None, typer.Option(help="Actor code (RUS, IGO) or actor id.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Recipient code or actor id.")] = None,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. CONSULT.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (2014, 2014-05, ...).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date.")] = None,
    limit: Annotated[int, typer.Option(help="How many to list.")] = 50,
    as_json: JsonOption = False,
    fmt: ListFormat = ListStyle.table,
) -> None:
    """List PLOVER events: date, type, actors, recipients, modality, the sentence behind them."""
    since, until = _period(since, until)
    rows = _listing(db, "list_events", as_json or fmt == "json", actor=actor,
                    recipient=recipient, type=type, since=since, until=until, limit=limit)
    if rows is None:
        return
    table = _table("date", "type", "actors", "recipients", "modality", "sentence")
    names = lambda refs: ", ".join(r.get("country") or r.get("sector") or "" for r in refs)  # noqa: E731
    for r in rows:
        _row(table, (r["date"] or {}).get("value"), r["type"], names(r["actors"]),
             names(r["recipients"]), r["modality"], r["sentence"][:160])
    _show(table, fmt)


@app.command()
def serve(
    db: DbOption = "storyline.db",
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    watch: Annotated[list[str] | None, typer.Option(
        "--watch", help="A feed or sitemap URL, or a file listing them, to poll in the "
                        "background while serving (repeatable); see storyline watch.")] = None,
    every: Annotated[str, typer.Option(help="With --watch: time between polls.")] = "15m",
    delay: Annotated[float, typer.Option(
        help="With --watch: seconds between two requests to one host.")] = 1.0,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="With --watch: fetch from private and loopback addresses too.")
    ] = False,
) -> None:
    """Serve the REST API (/api/, docs at /docs) and the web UI over the store; with --watch,
    keep it current from feeds in the same process (status at /status)."""
    import uvicorn

    from storyline.serve.app import create_app

    try:
        _store(db, create=True)  # fail early with a clear message on a bad database
        _check_port(host, port)
    except StorylineError as exc:
        raise _fail(exc) from exc
    background = _background_watch(db, watch, every, delay, allow_private) if watch else None
    err.print(f"storyline on http://{host}:{port}/ (API docs: /docs) over {db}"
              + (f"; watching {len(watch or [])} feed source(s) every {every}" if watch else ""),
              highlight=False, markup=False)
    # uvicorn shuts down on SIGTERM, then raises the signal again for the handler it found:
    # this one, so the watcher stops cleanly and the command exits 0 (not killed by the signal)
    terminated: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: terminated.append(signum))
    try:
        uvicorn.run(create_app(db), host=host, port=port, log_level="warning", access_log=False)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if background is not None:
            background.stop()
            err.print(f"watch stopped after {background.polls} poll(s); what was fetched is "
                      "stored", highlight=False, markup=False)


def _background_watch(db: str, targets: list[str], every: str, delay: float,
                      allow_private: bool) -> Any:
    """``serve --watch``: the feeds polled in a thread beside the web server."""
    from dataclasses import replace

    from storyline.cli.watch import _summary
    from storyline.ingest.netguard import FetchPolicy
    from storyline.ingest.watch import BackgroundWatch, parse_every, read_targets

    try:
        interval = parse_every(every)
        if not read_targets(targets):
            raise ValueError("no feed URL given to --watch")
    except (ValueError, OSError) as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    policy = FetchPolicy.from_env()
    policy = replace(policy, allow_private=allow_private or policy.allow_private)
    return BackgroundWatch(db, targets, interval, policy=policy, delay=delay,
                           log=lambda line: err.print(line, highlight=False, markup=False),
                           summary=_summary).start()


@export_app.command("stories")
def export_stories_cmd(db: DbOption = "storyline.db", fmt: FormatOption = "jsonl",
                       output: OutputOption = "-") -> None:
    """Export every story: id, title, start, end, article_ids, event_ids."""
    _export(db, fmt, output, "stories")


@app.command()
def stories(
    db: DbOption = "storyline.db",
    limit: Annotated[int, typer.Option(help="How many to list.")] = 50,
    as_json: JsonOption = False,
    fmt: ListFormat = ListStyle.table,
) -> None:
    """List stories (articles grouped across outlets), largest first."""
    rows = _listing(db, "list_stories", as_json or fmt == "json", limit=limit)
    if rows is None:
        return
    table = _table("id", "period", "articles", "events", "title", "main event")
    for r in rows:
        period = f"{r['start'] or '?'} .. {r['end'] or '?'}"
        main = r["headline"] if r["headline"] != r["title"] else ""
        _row(table, r["id"], period, len(r["article_ids"]), len(r["event_ids"]), r["title"], main)
    _show(table, fmt)


def _story_id(store: Any, story: str | None) -> str | None:
    """A story id (or unique prefix) as stored; exit 1 with a hint when there is none."""
    if not story:
        return None
    found = store.story(story)
    if found is None:
        err.print(f"[red]error[/red] no story {story!r}; list them with storyline stories")
        raise typer.Exit(1)
    return str(found["id"])


ViewFormat = Annotated[str, typer.Option("--format", "-f", help="text, json or markdown.")]


@app.command()
def timeline(
    db: DbOption = "storyline.db",
    story: Annotated[str | None, typer.Option(help="A story id.")] = None,
    actor: Annotated[str | None, typer.Option(help="An actor code (RUS, IGO) or actor id.")] = None,
    dyad: Annotated[tuple[str, str] | None, typer.Option(
        help="Two actor codes or ids: events between them.")] = None,
    fmt: ViewFormat = "text",
    as_json: JsonOption = False,
) -> None:
    """Linked events in time order, each with its sources and their sentences."""
    from storyline.report.timeline import as_markdown, as_text
    from storyline.report.timeline import timeline as build

    if sum(x is not None for x in (story, actor, dyad)) != 1:
        err.print("[red]error[/red] give exactly one of --story, --actor, --dyad")
        raise typer.Exit(2)
    try:
        store = _store(db)
        story = _story_id(store, story)
        data = build(store.conn, story=story, actor=actor, dyad=dyad)
    except StorylineError as exc:
        raise _fail(exc) from exc
    if as_json or fmt == "json":
        _print_json({"entries": [{k: e[k] for k in ("date", "summary", "event_ids", "sources")}
                                 for e in data["entries"]]})
    elif fmt == "markdown":
        title = f"Timeline: {story or actor or ' – '.join(dyad or ())}"
        sys.stdout.write(as_markdown(data, title))
    else:
        out.print(Text(as_text(data)))


@app.command()
def brief(
    db: DbOption = "storyline.db",
    story: Annotated[str | None, typer.Option(help="A story id.")] = None,
    dyad: Annotated[tuple[str, str] | None, typer.Option(
        help="Two actor codes or ids.")] = None,
    since: Annotated[str | None, typer.Option(help="With --dyad: from this date.")] = None,
    until: Annotated[str | None, typer.Option(help="With --dyad: up to this date.")] = None,
    fmt: ViewFormat = "text",
    as_json: JsonOption = False,
) -> None:
    """A short cited briefing: the story's main events in time order, then quotes and figures."""
    from storyline.report.brief import as_text
    from storyline.report.brief import brief as build

    if (story is None) == (dyad is None):
        err.print("[red]error[/red] give --story or --dyad")
        raise typer.Exit(2)
    since, until = _period(since, until)
    try:
        store = _store(db)
        story = _story_id(store, story)
        data = build(store.conn, story=story, dyad=dyad, since=since, until=until)
    except StorylineError as exc:
        raise _fail(exc) from exc
    if as_json or fmt == "json":
        _print_json(data)
    else:
        sys.stdout.write(as_text(data, markdown=fmt == "markdown"))


@export_app.command("quantities")
def export_quantities_cmd(db: DbOption = "storyline.db", fmt: FormatOption = "jsonl",
                          output: OutputOption = "-") -> None:
    """Export every quantity: value, range, unit, normalised value and unit, qualifier, year."""
    _export(db, fmt, output, "quantities")


@app.command()
def quantities(
    db: DbOption = "storyline.db",
    limit: Annotated[int, typer.Option(help="How many to list.")] = 50,
    as_json: JsonOption = False,
    fmt: ListFormat = ListStyle.table,
) -> None:
    """List the figures in play: what they measure, value, unit, qualifier, year."""
    rows = _listing(db, "list_quantities", as_json or fmt == "json", limit=limit)
    if rows is None:
        return
    table = _table("text", "measures", "normalised", "unit", "qualifier", "year")
    for r in rows:
        value = r["normalized_value"]
        _row(table, r["text"], r["measures"], f"{value:,.6g}" if value is not None else "",
             r["normalized_unit"], r["qualifier"], r["year"])
    _show(table, fmt)


@app.command()
def quotes(
    db: DbOption = "storyline.db",
    speaker: Annotated[str | None, typer.Option(help="Part of the speaker's name.")] = None,
    limit: Annotated[int, typer.Option(help="How many to list.")] = 50,
    as_json: JsonOption = False,
    fmt: ListFormat = ListStyle.table,
) -> None:
    """List who said what, with the speaker's role and the quote's kind."""
    rows = _listing(db, "list_quotes", as_json or fmt == "json", speaker=speaker, limit=limit)
    if rows is None:
        return
    table = _table("speaker", "role", "kind", "cue", "content")
    for r in rows:
        _row(table, r["speaker"]["name"], r["speaker"]["role"], r["kind"], r["cue"],
             r["content"][:200])
    _show(table, fmt)


@app.command()
def actors(
    db: DbOption = "storyline.db",
    limit: Annotated[int, typer.Option(help="How many to list.")] = 50,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3 code, e.g. RUS.")] = None,
    kind: Annotated[str | None, typer.Option(help="person, organisation or country.")] = None,
    as_json: JsonOption = False,
    fmt: ListFormat = ListStyle.table,
) -> None:
    """List actors across articles, most widely reported first."""
    rows = _listing(db, "list_actors", as_json or fmt == "json", limit=limit,
                    country=country, kind=kind)
    if rows is None:
        return
    table = _table("id", "name", "kind", "country", "sector", "roles", "mentions", "articles")
    for r in rows:
        _row(table, r["id"], r["name"], r["kind"], r["country"], r["sector"],
             "; ".join(r["roles"][:2]), r["mentions"], r["articles"])
    _show(table, fmt)


@eval_app.command("extraction")
def eval_extraction(
    folder: Annotated[Path, typer.Argument(help="Folder with ground-truth.json and html/.")],
    as_json: JsonOption = False,
) -> None:
    """Main-text extraction: per-document 4-shingle precision/recall/F1, averaged."""
    from storyline.evaluate.extraction import evaluate_extraction

    report = _evaluate(evaluate_extraction, folder, as_json=as_json)
    if report is None:
        return
    table = _table("documents", "precision", "recall", "F1", "pages/s",
                   title="main-text extraction (trafilatura + storyline cleaning)")
    m = report["mean"]
    table.add_row(str(report["documents"]), f"{m['precision']:.4f}", f"{m['recall']:.4f}",
                  f"{m['f1']:.4f}", str(report["pages_per_second"]))
    out.print(table)
    worst = _table("document", "F1", "url", title="lowest F1")
    for d in report["worst"][:5]:
        _row(worst, d["id"][:12], f"{d['f1']:.3f}", d["url"])
    out.print(worst)


@eval_app.command("time")
def eval_time(
    gold: Annotated[Path, typer.Argument(help="JSONL: {text, dct, timexes: [{text, value}]}.")],
    parser: Annotated[bool, typer.Option(
        "--parser/--no-parser", help="Use the spaCy parse for tense (default) or cue words.")] = True,
    split: Annotated[str, typer.Option(help="all, dev or test (a hash of the document id).")] = "all",
    as_json: JsonOption = False,
) -> None:
    """Time expressions: span P/R/F1, value accuracy and TempEval-3 value F1 against a gold file
    (per TimeML type when the gold gives types)."""
    from storyline.evaluate.time import evaluate_time

    if split not in ("all", "dev", "test"):
        raise _fail(StorylineError(Msg.E109, detail="--split is all, dev or test"))
    report = _evaluate(evaluate_time, gold, use_parser=parser, split=split, as_json=as_json)
    if report is None:
        return
    m, v = report["micro"], report["value"]
    table = _table("documents", "gold", "precision", "recall", "F1", "value accuracy",
                   "value F1", title="time expressions")
    _row(table, report["documents"], report["gold"], f"{m['precision']:.4f}",
         f"{m['recall']:.4f}", f"{m['f1']:.4f}", f"{report['value_accuracy']:.4f}",
         f"{v['f1']:.4f}")
    out.print(table)
    if len(report["by_type"]) > 1:
        kinds = _table("type", "gold", "recall", "right value", title="by TimeML type")
        for kind, t in report["by_type"].items():
            _row(kinds, kind, t["gold"], f"{t['recall']:.3f}", f"{t['value_accuracy_all']:.3f}")
        out.print(kinds)
    wrong = [e for e in report["errors"] if e["gold"] and e["predicted"]]
    if wrong:
        errors = _table("text", "dct", "gold", "predicted", title="wrong values")
        for e in wrong[:10]:
            _row(errors, e["text"], e["dct"], e["gold"], e["predicted"])
        out.print(errors)


@eval_app.command("ner")
def eval_ner(
    gold: Annotated[Path, typer.Argument(help="IOB2 file with PER/ORG/LOC tags.")],
    as_json: JsonOption = False,
) -> None:
    """Named entities: P/R/F1 of the bare spaCy model and of the actor layer, in one run."""
    from storyline.evaluate.ner import evaluate_ner

    report = _evaluate(evaluate_ner, gold, as_json=as_json)
    if report is None:
        return
    table = _table("system", "type", "precision", "recall", "F1",
                   title=f"named entities ({report['sentences']} sentences)")
    for name, scores in (("spaCy", report["bare"]), ("storyline actors", report)):
        for kind, row in [("all", scores["micro"]), *scores["per_type"].items()]:
            _row(table, name, kind, f"{row['precision']:.4f}", f"{row['recall']:.4f}",
                 f"{row['f1']:.4f}")
    out.print(table)


@eval_app.command("quotes")
def eval_quotes(
    gold: Annotated[Path, typer.Argument(help="JSONL: {text, dct, quotes: [...]}.")],
    as_json: JsonOption = False,
) -> None:
    """Quotes: P/R/F1 (content spans overlapping by half) and speaker accuracy."""
    from storyline.evaluate.quotes import evaluate_quotes

    report = _evaluate(evaluate_quotes, gold, as_json=as_json)
    if report is None:
        return
    q = report["quotes"]
    table = _table("documents", "gold", "precision", "recall", "F1", "speaker accuracy",
                   title="quotes")
    _row(table, report["documents"], report["gold"], f"{q['precision']:.4f}",
         f"{q['recall']:.4f}", f"{q['f1']:.4f}", f"{report['speaker_accuracy']:.4f}")
    out.print(table)
    kinds = _table("kind", "gold", "found", "recall", title="by kind")
    for kind, row in report["by_kind"].items():
        _row(kinds, kind, row["gold"], row["found"], f"{row['recall']:.4f}")
    out.print(kinds)


@eval_app.command("pubdates")
def eval_pubdates(
    gold: Annotated[Path, typer.Argument(
        help="JSONL: {doc, split, published} per document (gold/real/pubdates.jsonl).")],
    split: Annotated[str, typer.Option(help="all, dev or test.")] = "all",
    as_json: JsonOption = False,
) -> None:
    """Publication dates found by the ingest stages on real documents: accuracy (right date, or
    rightly none) and precision (right among dates given)."""
    from storyline.evaluate.pubdates import evaluate_pubdates

    if split not in ("all", "dev", "test"):
        raise _fail(StorylineError(Msg.E109, detail="--split is all, dev or test"))
    report = _evaluate(evaluate_pubdates, gold, split, as_json=as_json)
    if report is None:
        return
    table = _table("documents", "dated", "accuracy", "dates given", "precision", "recall",
                   title=f"publication dates ({split})")
    _row(table, report["documents"], report["dated"], f"{report['accuracy']:.3f}",
         report["given"], f"{report['precision']:.3f}", f"{report['recall']:.3f}")
    out.print(table)
    methods = _table("found by", "given", "right", title="by method")
    for method, row in sorted(report["by_method"].items()):
        _row(methods, method, row["given"], row["right"])
    out.print(methods)
    for error in report["errors"]:
        out.print(f"  {error['doc']}: gold {error['gold'] or '-'}, found {error['found'] or '-'}"
                  f"{' (' + error['method'] + ')' if error['method'] else ''}", highlight=False)


@eval_app.command("events")
def eval_events(
    gold: Annotated[Path, typer.Argument(help="JSONL: {text, date, events: [...]}.")],
    as_json: JsonOption = False,
) -> None:
    """PLOVER events: correct/missed/extra, per-type P/R/F1, actor and recipient accuracy."""
    from storyline.evaluate.events import evaluate_events

    report = _evaluate(evaluate_events, gold, as_json=as_json)
    if report is None:
        return
    m = report["micro"]
    table = _table("gold", "correct", "missed", "extra", "P", "R", "F1", "type acc.",
                   "actor acc.", "recipient acc.", title="PLOVER events")
    _row(table, report["gold"], report["correct"], report["missed"], report["extra"],
         f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
         f"{report['type_accuracy']:.3f}", f"{report['actor_accuracy']:.3f}",
         f"{report['recipient_accuracy']:.3f}")
    out.print(table)
    per_type = _table("type", "P", "R", "F1", title="per type")
    for kind, row in report["per_type"].items():
        _row(per_type, kind, f"{row['precision']:.3f}", f"{row['recall']:.3f}",
             f"{row['f1']:.3f}")
    out.print(per_type)


train_app = typer.Typer(help="Train the learned components from the project's annotations.",
                        no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("events")
def train_events(
    gold: Annotated[Path, typer.Option(help="The gold folder of a checkout.")] = Path("gold"),
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Where to write the weights (default: the package's own).")
    ] = Path("src/storyline/data/event_typer.json.gz"),
    as_json: JsonOption = False,
) -> None:
    """Train the event typer on gold/real/events-train-*.jsonl and gold/synthetic/ (needs
    scikit-learn and ../shared for the real passages' text)."""
    from storyline.extract.events.training import train

    try:
        data, meta = train(gold)
    except StorylineError as exc:
        raise _fail(exc) from exc
    output.write_bytes(data)
    if as_json:
        _print_json({**meta, "output": str(output), "bytes": len(data)})
        return
    out.print(f"trained on {meta['sentences']} sentences of {meta['passages']} passages "
              f"({', '.join(meta['files'])}) -> {output} ({len(data):,} bytes)", highlight=False)


@eval_app.command("quad")
def eval_quad(
    gold: Annotated[Path, typer.Argument(help="TSV: sentence<TAB>quad class 0-4.")],
    spans: Annotated[Path | None, typer.Option(
        help="IOB2 tokens with B-S/I-S source and B-T/I-T target tags.")] = None,
    split: Annotated[str, typer.Option(help="all, dev or test (a hash of the sentence).")] = "all",
    as_json: JsonOption = False,
) -> None:
    """Event coding by CAMEO quad class (ConfliBERT format): accuracy, confusion, events found."""
    from storyline.evaluate.quad import CLASSES, evaluate_quad

    if split not in ("all", "dev", "test"):
        raise _fail(StorylineError(Msg.E109, detail="--split is all, dev or test"))
    report = _evaluate(evaluate_quad, gold, spans, split, as_json=as_json)
    if report is None:
        return
    out.print(f"{report['sentences']} sentences ({report['split']}): quad accuracy "
              f"{report['accuracy']:.3f}; an event in {report['event_found_1_4']:.1%} of class "
              f"1-4 sentences and {report['event_found_0']:.1%} of class 0", highlight=False)
    table = _table("gold \\ predicted", *map(str, CLASSES), "accuracy", "with event",
                   title="confusion")
    for g in CLASSES:
        row = report["confusion"][str(g)]
        cls = report["per_class"][str(g)]
        _row(table, g, *(row[str(p)] for p in CLASSES), f"{cls['accuracy']:.3f}",
             f"{cls['with_event']:.3f}")
    out.print(table)
    if "spans" in report:
        sp = report["spans"]
        out.print(f"actor in the source span {sp['actor_in_source']:.3f} "
                  f"({sp['actors_scored']} sentences); recipient in the target span "
                  f"{sp['recipient_in_target']:.3f} ({sp['recipients_scored']})",
                  highlight=False)


@eval_app.command("places")
def eval_places(
    gold: Annotated[Path, typer.Argument(
        help="Geoparsing XML: LGL / TR-News (toponym, gaztag), GeoVirus (location) or "
             "GeoWebNews (toponym with type).")],
    split: Annotated[str, typer.Option(help="all, dev or test (a hash of the article id).")] = "all",
    limit: Annotated[int | None, typer.Option(help="Score the first N articles only.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Toponym recognition (P/R/F1 by overlap and exact span) and resolution (accuracy within
    161 km, median error, AUC of the log error; a recognised toponym with no point counts as
    20,039 km)."""
    from storyline.evaluate.places import evaluate_places

    if split not in ("all", "dev", "test"):
        raise _fail(StorylineError(Msg.E109, detail="--split is all, dev or test"))
    report = _evaluate(evaluate_places, gold, limit, split, as_json=as_json)
    if report is None:
        return
    rec, exact = report["recognition"], report["recognition_exact"]
    out.print(f"{report['articles']} articles ({report['split']}), {report['gold']} gold "
              f"toponyms", highlight=False)
    table = _table("measure", "precision", "recall", "F1", title="recognition")
    _row(table, "overlap", f"{rec['precision']:.3f}", f"{rec['recall']:.3f}", f"{rec['f1']:.3f}")
    _row(table, "exact span", f"{exact['precision']:.3f}", f"{exact['recall']:.3f}",
         f"{exact['f1']:.3f}")
    out.print(table)
    median = "-" if report["median_km"] is None else f"{report['median_km']:,.0f} km"
    auc = "-" if report["auc"] is None else f"{report['auc']:.3f}"
    out.print(f"resolution over {report['resolved']} recognised toponyms with a gold point: "
              f"acc@161 km {report['acc_161']:.3f}, median error {median}, AUC {auc}, "
              f"{report['no_point']} without a point", highlight=False)


@eval_app.command("stories")
def eval_stories(
    folder: Annotated[Path, typer.Argument(help="The ECB+ folder (ECB+/<topic>/*.xml).")],
    events: Annotated[bool, typer.Option(
        "--events/--no-events", help="Also extract and link events (slower).")] = True,
    as_json: JsonOption = False,
) -> None:
    """ECB+: story clustering BCubed and cross-document event linking CoNLL F1, dev and test."""
    from storyline.evaluate.ecbplus import evaluate_stories
    from storyline.evaluate.linking import extract_and_link

    report = _evaluate(evaluate_stories, folder, extract_and_link if events else None,
                       as_json=as_json)
    if report is None:
        return
    table = _table("split", "documents", "stories", "gold stories", "BCubed P", "R", "F1",
                   "event CoNLL F1", "mention recall", title="ECB+ stories and events")
    for split, r in report.items():
        b = r["bcubed"]
        _row(table, split, r["documents"], r["stories"], r["gold_stories"],
             f"{b['precision']:.3f}", f"{b['recall']:.3f}", f"{b['f1']:.3f}",
             f"{r['event_conll_f1']:.3f}" if "event_conll_f1" in r else "-",
             f"{r['mention_recall']:.3f}" if "mention_recall" in r else "-")
    out.print(table)


@eval_app.command("links")
def eval_links(
    gold: Annotated[Path, typer.Argument(
        help="JSONL of gold event clusters (gold/real/links-dev.jsonl).")],
    split: Annotated[str, typer.Option(help="all, dev or test.")] = "all",
    as_json: JsonOption = False,
) -> None:
    """Cross-document event linking on real news: ingest the gold's documents, then mention
    recall and pairwise / BCubed linking precision and recall against the gold clusters."""
    from storyline.evaluate.links import evaluate_links

    if split not in ("all", "dev", "test"):
        raise _fail(StorylineError(Msg.E109, detail="--split is all, dev or test"))
    report = _evaluate(evaluate_links, gold, split, as_json=as_json)
    if report is None:
        return
    pw, b3 = report["pairwise"], report["bcubed"]
    out.print(f"{report['documents']} documents ({split}), {report['gold_clusters']} gold clusters "
              f"({report['gold_linked_clusters']} across documents), {report['gold_mentions']} "
              f"gold mentions; found {report['found_mentions']} (mention recall "
              f"{report['mention_recall']:.3f})", highlight=False)
    table = _table("measure", "precision", "recall", "F1", title="event linking (found mentions)")
    _row(table, f"pairs ({pw['correct']}/{pw['predicted_pairs']} predicted, "
         f"{pw['gold_pairs']} gold)", f"{pw['precision']:.3f}", f"{pw['recall']:.3f}",
         f"{pw['f1']:.3f}")
    _row(table, "BCubed", f"{b3['precision']:.3f}", f"{b3['recall']:.3f}", f"{b3['f1']:.3f}")
    out.print(table)
    out.print(f"CoNLL F1 {report['conll_f1']:.3f}", highlight=False)


@eval_app.command("petrarch")
def eval_petrarch(
    records: Annotated[Path, typer.Argument(help="PETRARCH2 unit-test records (XML).")],
    convert_to: Annotated[Path | None, typer.Option(
        help="Also write the converted gold file (events JSONL) here.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Convert PETRARCH2 unit tests (CAMEO -> PLOVER) and score event coding on them."""
    from storyline.evaluate.petrarch import evaluate_petrarch

    try:
        report = evaluate_petrarch(records, convert_to)
    except StorylineError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json({k: v for k, v in report.items() if k != "errors"})
        return
    m = report["micro"]
    table = _table("records", "gold events", "correct", "missed", "extra", "F1", "type acc.",
                   title="PETRARCH2 unit tests as PLOVER")
    _row(table, report["records"], report["gold"], report["correct"], report["missed"],
         report["extra"], f"{m['f1']:.3f}", f"{report['type_accuracy']:.3f}")
    out.print(table)


from storyline.cli.spark import register as _register_spark  # noqa: E402

_register_spark(app)  # storyline spark ingest, storyline import

from storyline.cli.watch import register as _register_watch  # noqa: E402

_register_watch(app)  # storyline watch, storyline status


def run() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    run()
