"""Arrow/Parquet schema of the stored article, kept in step with ``Article.STORED_FIELDS`` by a test."""

from __future__ import annotations

import pyarrow as pa

_TEXT_RULE = pa.struct([("text", pa.string()), ("rule", pa.string())])
_REPAIR = pa.struct([("before", pa.string()), ("after", pa.string()), ("rule", pa.string())])

ARTICLE_SCHEMA = pa.schema([
    ("id", pa.string()),
    ("origin", pa.string()),
    ("url", pa.string()),
    ("source", pa.string()),
    ("source_method", pa.string()),
    ("title", pa.string()),
    ("published", pa.string()),
    ("published_granularity", pa.string()),
    ("published_method", pa.string()),
    ("language", pa.string()),
    ("text", pa.string()),
    ("raw_text", pa.string()),
    ("captions", pa.list_(pa.string())),
    ("headings", pa.list_(pa.string())),
    ("removed", pa.list_(_TEXT_RULE)),
    ("repairs", pa.list_(_REPAIR)),
    ("duplicate_of", pa.string()),
    ("pipeline_version", pa.string()),
    ("schema_version", pa.int32()),
])

# -- the other exports (``storyline export …`` Parquet) and the Spark lake's tables ----------------
# One module for both: ``storyline export X --format parquet`` writes these columns, and
# ``storyline spark ingest`` writes the lake's tables with them (plus the ``month`` partition
# column in the directory names). ``tests/test_spark.py`` checks the exports against them.

_ACTOR_REF = pa.struct([("id", pa.string()), ("name", pa.string()), ("country", pa.string()),
                        ("sector", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
_EVENT_DATE = pa.struct([("value", pa.string()), ("granularity", pa.string()),
                         ("method", pa.string())])
_EVENT_PLACE = pa.struct([("name", pa.string()), ("geonameid", pa.int64()),
                          ("country", pa.string()), ("admin1", pa.string()),
                          ("lat", pa.float64()), ("lon", pa.float64()), ("kind", pa.string()),
                          ("method", pa.string())])
_SPEAKER = pa.struct([("id", pa.string()), ("name", pa.string()), ("country", pa.string()),
                      ("sector", pa.string()), ("role", pa.string()), ("anonymous", pa.bool_())])

ACTOR_SCHEMA = pa.schema([
    ("id", pa.string()), ("name", pa.string()), ("kind", pa.string()), ("country", pa.string()),
    ("sector", pa.string()), ("roles", pa.list_(pa.string())), ("aliases", pa.list_(pa.string())),
    ("affiliations", pa.list_(pa.string())), ("mentions", pa.int64()), ("articles", pa.int64()),
])

MENTION_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("actor_id", pa.string()), ("actor_name", pa.string()),
    ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()), ("label", pa.string()),
    ("sentence", pa.int64()),
])

QUOTE_SCHEMA = pa.schema([
    ("id", pa.string()), ("article_id", pa.string()), ("speaker", _SPEAKER),
    ("speaker_text", pa.string()), ("cue", pa.string()), ("content", pa.string()),
    ("kind", pa.string()), ("char_start", pa.int64()), ("char_end", pa.int64()),
])

QUANTITY_SCHEMA = pa.schema([
    ("id", pa.string()), ("article_id", pa.string()), ("text", pa.string()),
    ("value", pa.float64()), ("value_max", pa.float64()), ("unit", pa.string()),
    ("normalized_value", pa.float64()), ("normalized_unit", pa.string()),
    ("qualifier", pa.string()), ("measures", pa.string()), ("year", pa.int64()),
    ("char_start", pa.int64()), ("char_end", pa.int64()),
])

EVENT_SCHEMA = pa.schema([
    ("id", pa.string()), ("article_id", pa.string()), ("sentence", pa.string()),
    ("char_start", pa.int64()), ("char_end", pa.int64()), ("type", pa.string()),
    ("mode", pa.string()), ("contexts", pa.list_(pa.string())),
    ("actors", pa.list_(_ACTOR_REF)), ("recipients", pa.list_(_ACTOR_REF)),
    ("date", _EVENT_DATE), ("place", _EVENT_PLACE), ("modality", pa.string()),
    ("trigger", pa.string()), ("confidence", pa.float64()), ("cameo", pa.string()),
])

STORY_SCHEMA = pa.schema([
    ("id", pa.string()), ("title", pa.string()), ("headline", pa.string()),
    ("start", pa.string()), ("end", pa.string()), ("article_ids", pa.list_(pa.string())),
    ("event_ids", pa.list_(pa.string())),
])

#: Linked events (one event with many sources) as ``storyline spark link`` writes them into a
#: lake: the parties' codes, the date value, the summary, how many mentions and sources, and the
#: ids of the event mentions (rows of ``events``) it links.
LINKED_EVENT_SCHEMA = pa.schema([
    ("id", pa.string()), ("story_id", pa.string()), ("type", pa.string()),
    ("mode", pa.string()), ("date", pa.string()), ("summary", pa.string()),
    ("actors", pa.list_(pa.string())), ("recipients", pa.list_(pa.string())),
    ("polarity", pa.string()), ("mentions", pa.int64()), ("sources", pa.int64()),
    ("event_ids", pa.list_(pa.string())),
])

#: Rejected inputs as ``storyline rejections --json`` lists them (kind "rejected"), without the
#: store's timestamps: one row per (origin, stage, reason), with how often it was met.
REJECTION_SCHEMA = pa.schema([
    ("origin", pa.string()), ("stage", pa.string()), ("code", pa.string()),
    ("reason", pa.string()), ("hint", pa.string()), ("count", pa.int64()),
])
