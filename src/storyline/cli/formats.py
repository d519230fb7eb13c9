"""The ``--format`` option of listing commands: an aligned table, TSV for pipes, or JSON."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

import typer


class ListStyle(StrEnum):
    table = "table"
    tsv = "tsv"
    json = "json"


ListFormat = Annotated[ListStyle, typer.Option(
    "--format", "-f",
    help="table (aligned columns), tsv (a header line, then one tab-separated line a row: for "
         "cut, awk, spreadsheets) or json (the full records, as --json).")]


def tsv_lines(rows: list[list[str]]) -> str:
    """Rows as TSV, each cell's own tabs and line breaks turned into spaces (one record a line)."""
    return "".join("\t".join(re.sub(r"[\t\r\n]+", " ", cell) for cell in row) + "\n"
                   for row in rows)
