"""What every ``storyline`` command shares: the Typer apps, the consoles, common options, and the
helpers that print tables, JSON and errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from storyline.cli.formats import tsv_lines
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


