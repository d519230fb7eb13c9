"""The Parquet lake: its tables, their rows, and its layout.

``LAKE/<table>/month=<YYYY-MM>/part-*.parquet`` for ``articles``, ``mentions``, ``actors``,
``events``, ``quotes``, ``quantities`` and ``rejections``, with exactly the columns of the
Parquet exports (:mod:`storyline.store.arrow`, the one schema module both use); ``month`` is the
article's publication month (``YYYY`` for a year, ``undated`` without a date; ``actors`` and
``rejections`` live under ``month=all``). One more table, ``analysis``, holds what the exports
leave out and the store needs to take the lake back (sentences, time expressions, places,
actor forms, stage failures, the MinHash signature): ``storyline import`` reads it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from storyline.model import Article, Rejection
from storyline.store import arrow

ANALYSIS_SCHEMA = pa.schema([
    ("article_id", pa.string()),
    ("signature", pa.binary()),   # MinHash signature, 128 uint64 (little-endian)
    ("payload", pa.string()),     # JSON: the article's analysis (see ANALYSIS_FIELDS)
])

#: Article fields kept in ``analysis.payload`` (the stored fields are in ``articles``).
ANALYSIS_FIELDS = ("sentences", "timexes", "doc_time", "mentions", "actors", "places", "quotes",
                   "quantities", "events", "failures")

TABLES: dict[str, pa.Schema] = {
    "articles": arrow.ARTICLE_SCHEMA,
    "mentions": arrow.MENTION_SCHEMA,
    "actors": arrow.ACTOR_SCHEMA,
    "events": arrow.EVENT_SCHEMA,
    "quotes": arrow.QUOTE_SCHEMA,
    "quantities": arrow.QUANTITY_SCHEMA,
    "rejections": arrow.REJECTION_SCHEMA,
    "analysis": ANALYSIS_SCHEMA,
    # written by ``storyline spark link`` (see :mod:`storyline.spark.link`)
    "stories": arrow.STORY_SCHEMA,
    "linked_events": arrow.LINKED_EVENT_SCHEMA,
}

ALL = "all"
UNDATED = "undated"


def month_of(published: str | None) -> str:
    """The lake partition of a publication date: ``2026-03``, ``2026`` or ``undated``."""
    if published:
        if re.match(r"^\d{4}-\d{2}", published):
            return published[:7]
        if re.match(r"^\d{4}$", published):
            return published
    return UNDATED


# -- Arrow -> Spark ---------------------------------------------------------------------------------

def spark_type(t: pa.DataType) -> Any:
    from pyspark.sql import types as T

    if pa.types.is_string(t):
        return T.StringType()
    if pa.types.is_int32(t):
        return T.IntegerType()
    if pa.types.is_int64(t):
        return T.LongType()
    if pa.types.is_float64(t):
        return T.DoubleType()
    if pa.types.is_boolean(t):
        return T.BooleanType()
    if pa.types.is_binary(t):
        return T.BinaryType()
    if pa.types.is_list(t):
        return T.ArrayType(spark_type(t.value_type), True)
    if pa.types.is_struct(t):
        return T.StructType([T.StructField(f.name, spark_type(f.type), True) for f in t])
    raise TypeError(f"no Spark type for {t}")


def spark_schema(schema: pa.Schema, partition: bool = True) -> Any:
    from pyspark.sql import types as T

    fields = [T.StructField(f.name, spark_type(f.type), True) for f in schema]
    if partition:
        fields.append(T.StructField("month", T.StringType(), False))
    return T.StructType(fields)


def to_cells(value: Any, t: pa.DataType) -> Any:
    """A Python value (dicts for structs) as the tuples/lists Spark rows hold for ``t``."""
    if value is None:
        return None
    if pa.types.is_struct(t):
        return tuple(to_cells(value.get(f.name), f.type) for f in t)
    if pa.types.is_list(t):
        return [to_cells(v, t.value_type) for v in value]
    if pa.types.is_int32(t) or pa.types.is_int64(t):
        return int(value)
    if pa.types.is_float64(t):
        return float(value)
    if pa.types.is_boolean(t):
        return bool(value)
    if pa.types.is_binary(t):
        return bytes(value)
    return str(value)


def to_row(record: dict[str, Any], schema: pa.Schema, month: str) -> tuple[Any, ...]:
    return (*(to_cells(record.get(f.name), f.type) for f in schema), month)


# -- rows of one article ----------------------------------------------------------------------------

def article_rows(article: Article, canonical: dict[str, str],
                 actors: dict[str, dict[str, Any]]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """``(table, row)`` for everything the lake keeps of one article, with canonical actor ids
    (the rows ``storyline export …`` writes for it after ``storyline ingest``)."""
    month = month_of(article.published)
    yield "articles", to_row(article.stored_dict(), arrow.ARTICLE_SCHEMA, month)
    fingerprint = article.hints.get("fingerprint")
    signature = None
    if fingerprint is not None:
        import numpy as np

        signature = np.asarray(fingerprint[0], dtype=np.uint64).tobytes()
    payload = {name: _plain(getattr(article, name)) for name in ANALYSIS_FIELDS}
    yield "analysis", (article.id, signature, json.dumps(payload, ensure_ascii=False), month)
    if article.duplicate_of:
        return
    forms = [a.id for a in article.actors]
    seen_spans: set[tuple[int, int]] = set()
    for m in article.mentions:
        if m.actor is None or (m.start, m.end) in seen_spans:
            continue  # the store keeps the first mention of a span
        seen_spans.add((m.start, m.end))
        actor_id = canonical.get(forms[m.actor], forms[m.actor])
        yield "mentions", to_row({"article_id": article.id, "actor_id": actor_id,
                                  "actor_name": actors.get(actor_id, {}).get("name"),
                                  "start": m.start, "end": m.end, "text": m.text,
                                  "label": m.label, "sentence": m.sentence},
                                 arrow.MENTION_SCHEMA, month)
    for q in article.quotes:
        actor_id = canonical.get(forms[q.actor], forms[q.actor]) if q.actor is not None else None
        actor = actors.get(actor_id or "", {})
        roles = actor.get("roles") or []
        yield "quotes", to_row({
            "id": q.id, "article_id": article.id,
            "speaker": {"id": actor_id, "name": actor.get("name") or q.speaker_name,
                        "country": actor.get("country"), "sector": actor.get("sector"),
                        "role": roles[0] if roles else None, "anonymous": bool(q.anonymous)},
            "speaker_text": q.speaker_text, "cue": q.cue, "content": q.content, "kind": q.kind,
            "char_start": q.char_start, "char_end": q.char_end}, arrow.QUOTE_SCHEMA, month)
    for n in article.quantities:
        yield "quantities", to_row({**n.to_dict(), "article_id": article.id},
                                   arrow.QUANTITY_SCHEMA, month)
    for e in article.events:
        def refs(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            out = []
            for ref in items:
                ref = dict(ref)
                if ref.get("id") in canonical:
                    ref["id"] = canonical[ref["id"]]
                out.append(ref)
            return out

        yield "events", to_row({
            "id": e.id, "article_id": article.id,
            "sentence": article.text[e.char_start:e.char_end], "char_start": e.char_start,
            "char_end": e.char_end, "type": e.type, "mode": e.mode, "contexts": e.contexts,
            "actors": refs(e.actors), "recipients": refs(e.recipients), "date": e.date,
            "place": e.place, "modality": e.modality, "trigger": e.trigger,
            "confidence": e.confidence, "cameo": e.cameo}, arrow.EVENT_SCHEMA, month)


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def rejection_key(rej: Rejection) -> str:
    """The store's rejection id: one row per (origin, stage, reason), counted."""
    return hashlib.sha256(f"{rej.origin}\0{rej.stage}\0{rej.reason}".encode()).hexdigest()[:24]


def rejection_row(rej: Rejection, count: int) -> tuple[Any, ...]:
    return to_row({"origin": rej.origin, "stage": rej.stage, "code": rej.code,
                   "reason": rej.reason, "hint": rej.hint, "count": count},
                  arrow.REJECTION_SCHEMA, ALL)
