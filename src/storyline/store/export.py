"""Exports of stored records as JSONL, CSV or Parquet, streamed in batches.

CSV (and the GDELT-style TSV) are what spreadsheets open, and article texts, titles, quotes and
actor names are untrusted: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be read as a formula (``=HYPERLINK(...)``, ``@SUM(...)``, ``+1+1``), so it
is written with a leading apostrophe ``'`` (the OWASP rule, and the rule of the web UI's CSV
download), which spreadsheets show as text and hide. Values the store holds as numbers (offsets,
counts, confidences, coordinates, quantity values) are written as numbers, a negative one too
(``-3.5`` is a number to a spreadsheet, not a formula); text that merely looks numeric, such as a
quantity's ``text`` ``-3.5``, is text and gets the apostrophe. JSONL, Parquet and the PLOVER JSON
are data formats: their values are written as stored.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from storyline.errors import Msg, StorylineError
from storyline.store.gdelt import geo_type  # noqa: F401  (the GDELT 2.0 tables live in gdelt.py)
from storyline.store.sqlite import Store

FORMATS = ("jsonl", "csv", "parquet")
EVENT_FORMATS = (*FORMATS, "gdelt", "polecat", "plover")
MENTION_FORMATS = (*FORMATS, "gdelt")

#: Article fields in export order (JSONL and CSV); ``raw_text`` is left to Parquet and the API.
ARTICLE_FIELDS = (
    "id", "url", "source", "title", "published", "published_granularity", "published_method",
    "text", "captions", "removed", "duplicate_of", "source_method", "language", "headings",
    "repairs", "origin", "pipeline_version", "schema_version",
)


def _paged(fetch: Callable[..., list[dict[str, Any]]], size: int = 1000
           ) -> Iterator[dict[str, Any]]:
    """Every row of a listing method, page by page (memory stays flat)."""
    offset = 0
    while True:
        chunk = fetch(limit=size, offset=offset)
        if not chunk:
            return
        yield from chunk
        offset += len(chunk)


def article_records(store: Store) -> Iterator[dict[str, Any]]:
    for article in store.iter_articles():
        row = article.stored_dict()
        yield {name: row[name] for name in ARTICLE_FIELDS}


def export_articles(store: Store, fmt: str, out: IO[bytes]) -> int:
    """Write every stored article to ``out`` (a binary stream); returns the number written."""
    if fmt == "parquet":
        from storyline.store.arrow import ARTICLE_SCHEMA

        rows = (a.stored_dict() for a in store.iter_articles())
        return write_parquet(rows, ARTICLE_SCHEMA, out)
    return write_records(article_records(store), fmt, out, ARTICLE_FIELDS)


ACTOR_FIELDS = ("id", "name", "kind", "country", "sector", "roles", "aliases", "affiliations",
                "mentions", "articles")
MENTION_FIELDS = ("article_id", "actor_id", "actor_name", "start", "end", "text", "label",
                  "sentence")


def export_actors(store: Store, fmt: str, out: IO[bytes]) -> int:
    def rows() -> Iterator[dict[str, Any]]:
        return ({k: row[k] for k in ACTOR_FIELDS} for row in _paged(store.list_actors))

    if fmt == "parquet":
        import pyarrow as pa

        schema = pa.schema([("id", pa.string()), ("name", pa.string()), ("kind", pa.string()),
                            ("country", pa.string()), ("sector", pa.string()),
                            ("roles", pa.list_(pa.string())), ("aliases", pa.list_(pa.string())),
                            ("affiliations", pa.list_(pa.string())), ("mentions", pa.int64()),
                            ("articles", pa.int64())])
        return write_parquet(rows(), schema, out)
    return write_records(rows(), fmt, out, ACTOR_FIELDS)


def export_mentions(store: Store, fmt: str, out: IO[bytes], *, header: bool = False,
                    modality: str | None = None) -> int:
    """Actor mentions as jsonl/csv/parquet, or (``gdelt``) the GDELT 2.0 mentions table: one row
    per event mention of the linked events the GDELT event export writes."""
    if fmt == "gdelt":
        from storyline.store import gdelt

        return gdelt.write_mentions(store.conn, out, header=header,
                                    modalities=gdelt.parse_modalities(modality))
    if fmt not in FORMATS:
        raise StorylineError(Msg.E106, fmt=fmt, known=", ".join(MENTION_FORMATS))
    if fmt == "parquet":
        import pyarrow as pa

        schema = pa.schema([(f, pa.int64() if f in ("start", "end", "sentence") else pa.string())
                            for f in MENTION_FIELDS])
        return write_parquet(store.iter_mentions(), schema, out)
    return write_records(store.iter_mentions(), fmt, out, MENTION_FIELDS)


QUOTE_FIELDS = ("id", "article_id", "speaker", "speaker_text", "cue", "content", "kind",
                "char_start", "char_end")


def export_quotes(store: Store, fmt: str, out: IO[bytes]) -> int:
    def rows() -> Iterator[dict[str, Any]]:
        return _paged(store.list_quotes)

    if fmt == "parquet":
        import pyarrow as pa

        speaker = pa.struct([("id", pa.string()), ("name", pa.string()), ("country", pa.string()),
                             ("sector", pa.string()), ("role", pa.string()),
                             ("anonymous", pa.bool_())])
        schema = pa.schema([("id", pa.string()), ("article_id", pa.string()),
                            ("speaker", speaker), ("speaker_text", pa.string()),
                            ("cue", pa.string()), ("content", pa.string()), ("kind", pa.string()),
                            ("char_start", pa.int64()), ("char_end", pa.int64())])
        return write_parquet(rows(), schema, out)
    return write_records(rows(), fmt, out, QUOTE_FIELDS)


QUANTITY_FIELDS = ("id", "article_id", "text", "value", "value_max", "unit", "normalized_value",
                   "normalized_unit", "qualifier", "measures", "year", "char_start", "char_end")


def export_quantities(store: Store, fmt: str, out: IO[bytes]) -> int:
    def rows() -> Iterator[dict[str, Any]]:
        return ({k: row[k] for k in QUANTITY_FIELDS} for row in _paged(store.list_quantities))

    if fmt == "parquet":
        import pyarrow as pa

        types = {"value": pa.float64(), "value_max": pa.float64(),
                 "normalized_value": pa.float64(), "year": pa.int64(), "char_start": pa.int64(),
                 "char_end": pa.int64()}
        schema = pa.schema([(f, types.get(f, pa.string())) for f in QUANTITY_FIELDS])
        return write_parquet(rows(), schema, out)
    return write_records(rows(), fmt, out, QUANTITY_FIELDS)


EVENT_FIELDS = ("id", "article_id", "sentence", "char_start", "char_end", "type", "mode",
                "contexts", "actors", "recipients", "date", "place", "modality", "trigger",
                "confidence", "cameo")
def _events(store: Store) -> Iterator[dict[str, Any]]:
    return _paged(store.list_events)


def export_events(store: Store, fmt: str, out: IO[bytes], *, header: bool = False,
                  modality: str | None = None) -> int:
    """Events as jsonl/csv/parquet (one row per event mention), the GDELT 2.0 event table (one
    row per linked event; ``header`` adds the column names), POLECAT records (JSON Lines, one per
    event mention) or the PLOVER-style JSON array. ``modality`` ("asserted,future", "all")
    chooses the modalities of the GDELT and POLECAT exports (defaults: GDELT asserted, reported
    and future; POLECAT all, the auxiliary modes written into ``contexts``)."""
    from storyline.store import gdelt, polecat

    if fmt not in EVENT_FORMATS:
        raise StorylineError(Msg.E106, fmt=fmt, known=", ".join(EVENT_FORMATS))
    if fmt == "gdelt":
        return gdelt.write_events(store.conn, out, header=header,
                                  modalities=gdelt.parse_modalities(modality))
    if fmt == "polecat":
        return polecat.write(store.conn, out,
                             modalities=gdelt.parse_modalities(modality, default=None))
    if fmt == "plover":
        return _write_plover(_events(store), out)
    rows = ({k: r[k] for k in EVENT_FIELDS} for r in _events(store))
    if fmt == "parquet":
        import pyarrow as pa

        ref = pa.struct([("id", pa.string()), ("name", pa.string()), ("country", pa.string()),
                         ("sector", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
        date = pa.struct([("value", pa.string()), ("granularity", pa.string()),
                          ("method", pa.string())])
        place = pa.struct([("name", pa.string()), ("geonameid", pa.int64()),
                           ("country", pa.string()), ("admin1", pa.string()),
                           ("lat", pa.float64()), ("lon", pa.float64()), ("kind", pa.string()),
                           ("method", pa.string())])
        schema = pa.schema([("id", pa.string()), ("article_id", pa.string()),
                            ("sentence", pa.string()), ("char_start", pa.int64()),
                            ("char_end", pa.int64()), ("type", pa.string()),
                            ("mode", pa.string()), ("contexts", pa.list_(pa.string())),
                            ("actors", pa.list_(ref)), ("recipients", pa.list_(ref)),
                            ("date", date), ("place", place), ("modality", pa.string()),
                            ("trigger", pa.string()), ("confidence", pa.float64()),
                            ("cameo", pa.string())])
        return write_parquet(rows, schema, out)
    return write_records(rows, fmt, out, EVENT_FIELDS)


def _write_plover(events: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    count = 0
    out.write(b"[\n")
    for e in events:
        record = {
            "event_id": e["id"], "event_date": (e["date"] or {}).get("value"),
            "event_type": e["type"], "event_mode": e["mode"] or None,
            "event_text": e["sentence"], "contexts": e["contexts"],
            "actor": [{"name": r.get("name"), "country": r.get("country"),
                       "sector": r.get("sector")} for r in e["actors"]],
            "recipient": [{"name": r.get("name"), "country": r.get("country"),
                           "sector": r.get("sector")} for r in e["recipients"]],
            "location": e["place"], "modality": e["modality"], "trigger": e["trigger"],
            "confidence": e["confidence"], "cameo_root": e["cameo"],
            "source": {"article_id": e["article_id"], "url": e.get("url"),
                       "char_start": e["char_start"], "char_end": e["char_end"]},
        }
        out.write((b",\n" if count else b"") + json.dumps(record, ensure_ascii=False).encode())
        count += 1
    out.write(b"\n]\n")
    return count


def write_output(output: str, write: Callable[[IO[bytes]], int]) -> int:
    """Run ``write`` on stdout (``output`` "-") or on the file ``output``; returns its count."""
    import sys

    if output == "-":
        count = write(sys.stdout.buffer)
        sys.stdout.flush()
        return count
    with open(output, "wb") as fh:
        return write(fh)


def write_records(
    records: Iterable[dict[str, Any]], fmt: str, out: IO[bytes], fields: Iterable[str]
) -> int:
    if fmt not in FORMATS:
        raise StorylineError(Msg.E106, fmt=fmt, known=", ".join(FORMATS))
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    count = 0
    try:
        if fmt == "jsonl":
            for record in records:
                text.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        else:
            writer = csv.DictWriter(text, fieldnames=list(fields))
            writer.writeheader()
            for record in records:
                writer.writerow({k: safe_cell(v) for k, v in record.items()})
                count += 1
        text.flush()
    finally:
        text.detach()
    return count


#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value as a CSV/TSV cell: lists and dicts as JSON, numbers as numbers, and text that a
    spreadsheet would take for a formula prefixed with ``'``.

    >>> [safe_cell(v) for v in ("=1+1", "@SUM(A1)", "+1", "-3.5", "plain", -3.5, 7, ["=x"])]
    ["'=1+1", "'@SUM(A1)", "'+1", "'-3.5", 'plain', -3.5, 7, '["=x"]']
    """
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)  # starts with [ or {: never a formula
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_parquet(rows: Iterable[dict[str, Any]], schema: Any, out: IO[bytes],
                  batch: int = 1000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = out if out.seekable() else io.BytesIO()
    count = 0
    with pq.ParquetWriter(sink, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                count += len(chunk)
                chunk = []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    if sink is not out:
        out.write(sink.getvalue())  # type: ignore[attr-defined]
    return count


STORY_FIELDS = ("id", "title", "headline", "start", "end", "article_ids", "event_ids")


def export_stories(store: Store, fmt: str, out: IO[bytes]) -> int:
    """Every story: id, title, generated headline (its main event), period, its articles and its
    linked events."""
    rows = ({k: r.get(k) for k in STORY_FIELDS} for r in _paged(store.list_stories))
    if fmt == "parquet":
        import pyarrow as pa

        schema = pa.schema([("id", pa.string()), ("title", pa.string()),
                            ("headline", pa.string()), ("start", pa.string()),
                            ("end", pa.string()), ("article_ids", pa.list_(pa.string())),
                            ("event_ids", pa.list_(pa.string()))])
        return write_parquet(rows, schema, out)
    return write_records(rows, fmt, out, STORY_FIELDS)
