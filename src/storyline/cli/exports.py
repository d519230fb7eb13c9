"""``storyline export ...``: stored records as JSONL, CSV, Parquet, GDELT and POLECAT."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from storyline.cli.common import DbOption, _fail, _store, err, export_app
from storyline.errors import StorylineError

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


@export_app.command("stories")
def export_stories_cmd(db: DbOption = "storyline.db", fmt: FormatOption = "jsonl",
                       output: OutputOption = "-") -> None:
    """Export every story: id, title, start, end, article_ids, event_ids."""
    _export(db, fmt, output, "stories")


@export_app.command("quantities")
def export_quantities_cmd(db: DbOption = "storyline.db", fmt: FormatOption = "jsonl",
                          output: OutputOption = "-") -> None:
    """Export every quantity: value, range, unit, normalised value and unit, qualifier, year."""
    _export(db, fmt, output, "quantities")


