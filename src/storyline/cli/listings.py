"""Listing commands over the store: ``articles``, ``show``, ``search``, ``rejections``, ``events``,
``stories``, ``timeline``, ``brief``, ``quantities``, ``quotes``, ``actors``."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.text import Text

from storyline.cli.common import (
    DbOption,
    JsonOption,
    _fail,
    _highlighted,
    _listing,
    _period,
    _print_json,
    _row,
    _show,
    _store,
    _table,
    app,
    err,
    out,
)
from storyline.cli.formats import ListFormat, ListStyle
from storyline.errors import StorylineError


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
        _print_json({"entries": [{k: e[k] for k in ("id", "type", "date", "summary", "polarity",
                                                    "denies", "place", "event_ids", "sources")}
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


