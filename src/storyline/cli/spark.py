"""``storyline spark ingest`` and ``storyline import``: the Spark lake from the command line
(see :mod:`storyline.spark`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from storyline.errors import StorylineError

spark_app = typer.Typer(help="Run the pipeline on Apache Spark into a Parquet lake.",
                        no_args_is_help=True)
_out = Console(soft_wrap=True)
_err = Console(stderr=True)


def _stop(message: str, hint: str = "") -> typer.Exit:
    _err.print(f"[red]error[/red] {message}", highlight=False)
    if hint:
        _err.print(f"[dim]hint:[/dim] {hint}", highlight=False)
    return typer.Exit(1)


@contextmanager
def _lake_errors() -> Iterator[None]:
    """What reading a lake can meet, as one clear error each (exit 1)."""
    try:
        yield
    except FileNotFoundError as exc:
        raise _stop(str(exc), "storyline spark ingest INPUT --out LAKE writes one") from exc
    except LookupError as exc:
        raise _stop(str(exc).strip("'\""), "storyline spark link LAKE writes the stories "
                    "(LAKE/stories, Parquet: id, title, article_ids, ...)") from exc
    except StorylineError as exc:
        raise _stop(f"[{exc.code}] {exc.message}", exc.hint or "") from exc


@spark_app.command("ingest")
def spark_ingest_cmd(
    inputs: Annotated[list[str] | None, typer.Argument(
        help="Files, folders, globs or URIs Spark reads (hdfs://, s3a://, …). None: the "
             "bundled sample corpus.")] = None,
    out: Annotated[str, typer.Option("--out", help="The lake to write (replaced).")] = "lake",
    master: Annotated[str | None, typer.Option(
        help="Spark master URL; none under spark-submit.")] = "local[2]",
    partitions: Annotated[int | None, typer.Option(
        help="Partitions for the per-article stages (default: Spark's parallelism).")] = None,
    config: Annotated[Path | None, typer.Option(help="Pipeline config (TOML).")] = None,
    max_bytes: Annotated[int, typer.Option(help="Largest single article accepted.")] = 5_000_000,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Read inputs on Spark, run every per-article stage over partitions, de-duplicate, and
    write a Parquet lake partitioned by publication month."""
    from storyline.cli.ingest import _load_config
    from storyline.ingest.run import sample_corpus_path
    from storyline.spark.ingest import spark_ingest
    from storyline.spark.session import SparkUnavailable, session
    from storyline.spark.session import check_available as session_check

    targets = list(inputs or []) or [str(sample_corpus_path())]
    try:
        pipeline_config = _load_config(config)
        session_check()
        from pyspark.sql import SparkSession

        owned = SparkSession.getActiveSession() is None  # stop only a session started here
        spark = session(master if master else None)
    except SparkUnavailable as exc:
        raise _stop(str(exc)) from exc
    except StorylineError as exc:
        raise _stop(f"[{exc.code}] {exc.message}", exc.hint or "") from exc
    try:
        report = spark_ingest(spark, targets, out, config=pipeline_config,
                              partitions=partitions, max_bytes=max_bytes)
    except (StorylineError, ValueError) as exc:
        raise _stop(str(exc)) from exc
    finally:
        if owned:
            spark.stop()
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2) + "\n")
    else:
        _out.print(f"{report.articles} article(s) ({report.near_duplicates} near-duplicate, "
                   f"{report.exact_duplicates} exact copies dropped), {report.rejected} "
                   f"rejected -> {out} in {report.seconds:.1f} s; rows: "
                   + ", ".join(f"{k} {v}" for k, v in sorted(report.rows.items())),
                   highlight=False)
    raise typer.Exit(report.exit_code)


@spark_app.command("link")
def spark_link_cmd(
    lake: Annotated[str, typer.Argument(help="A lake written by storyline spark ingest.")],
    workdir: Annotated[str | None, typer.Option(
        help="Folder for the temporary store (default: the system's temporary folder).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Stories and linked events of a lake, written into it as the tables stories and
    linked_events (the local linker, on the driver: the same partition as a local store)."""
    from storyline.spark.link import link_lake

    with _lake_errors():
        report = link_lake(lake, workdir)
    if as_json:
        sys.stdout.write(json.dumps({**report.as_dict(), "lake": lake}, indent=2) + "\n")
        return
    _out.print(f"{report.articles} article(s) linked: {report.stories} stories, "
               f"{report.linked_events} linked events -> {lake}/stories, {lake}/linked_events "
               f"in {report.seconds:.1f} s", highlight=False)


def import_cmd(
    lake: Annotated[str, typer.Argument(help="A lake written by storyline spark ingest.")],
    db: Annotated[str, typer.Option("--db", envvar="STORYLINE_DB",
                                    help="SQLite database file.")] = "storyline.db",
    since: Annotated[str | None, typer.Option(
        help="Only articles published on or after this date (2026-03, 2026-03-10).")] = None,
    until: Annotated[str | None, typer.Option(
        help="Only articles published on or before this date.")] = None,
    story: Annotated[str | None, typer.Option(
        help="Only the articles of this story of the lake (id or a 4+ character prefix; "
             "storyline spark link writes the lake's stories).")] = None,
    actor: Annotated[str | None, typer.Option(
        help="Only the articles that mention this actor: a code (RUS, IGO) or an actor id.")
    ] = None,
    wait: Annotated[float, typer.Option(
        help="Seconds to wait for another process writing to the store.")] = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Load a lake (or a slice of it: a date window, a story, an actor) into the store, then
    link them, so the CLI, the API and the web UI work on it. Needs no Spark."""
    from storyline.spark.importer import import_lake
    from storyline.store.sqlite import Store

    with _lake_errors():
        report = import_lake(lake, Store(db), since=since, until=until, story=story,
                             actor=actor, wait=wait)
    if as_json:
        sys.stdout.write(json.dumps({**report.as_dict(), "db": db}, indent=2) + "\n")
        return
    _out.print(f"imported {report.stored} new article(s) ({report.duplicates} near-duplicate), "
               f"{report.unchanged} already stored, {report.rejected} rejection(s); "
               f"{report.stories} stories, {report.linked_events} linked events -> {db}",
               highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``spark`` and ``import`` to the main command."""
    app.add_typer(spark_app, name="spark")
    app.command("import")(import_cmd)
