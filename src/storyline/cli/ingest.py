"""``storyline ingest``, ``reprocess`` and ``relink``: reading inputs into the store, with progress
lines, worker choice and a clean stop on signals."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from storyline.cli.common import (
    DbOption,
    JsonOption,
    WaitOption,
    _fail,
    _print_json,
    _row,
    _store,
    _table,
    app,
    err,
    out,
)
from storyline.errors import Msg, StorylineError


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


