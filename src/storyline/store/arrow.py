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
