"""``storyline spark link LAKE``: the stories layer of a lake — stories and linked events (one
event with many sources) — written back into the lake as two more tables, ``stories`` and
``linked_events``, with the columns of ``storyline export stories`` and of
:data:`storyline.store.arrow.LINKED_EVENT_SCHEMA`.

The linking is the local linker's, run once on the driver over a temporary store that the lake
is imported into (articles and their stored analysis; nothing is analysed again): the same
blocking keys (heaviest features for stories; actor, type and period for events), the same
order-invariant agglomeration, so a lake and a local store built from the same input get the
same partition. Average-linkage agglomeration needs every story's state at once, which is why
this step does not run on executors; it costs what ``storyline import`` costs (the README's
"Scaling out" gives the figures) and needs the driver's disk for the temporary store.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.spark import lake as lake_mod


@dataclass
class LakeLinkReport:
    articles: int = 0
    stories: int = 0
    linked_events: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def link_lake(lake: str, workdir: str | None = None) -> LakeLinkReport:
    """Link ``lake`` and (re)write its ``stories`` and ``linked_events`` tables."""
    from storyline.spark.importer import import_lake
    from storyline.store.sqlite import Store

    if not (Path(lake) / "articles").is_dir():
        raise FileNotFoundError(f"{lake} is not a storyline lake (no articles table)")
    started = time.monotonic()
    report = LakeLinkReport()
    with tempfile.TemporaryDirectory(prefix="storyline-link-", dir=workdir) as tmp:
        store = Store(str(Path(tmp) / "link.db"))
        try:
            imported = import_lake(lake, store)
            report.articles = imported.read
            stories = _stories(store)
            linked = _linked_events(store)
        finally:
            store.close()
    _write(lake, "stories", stories, lambda r: lake_mod.month_of(r["start"]))
    _write(lake, "linked_events", linked, lambda r: lake_mod.month_of(r["date"]))
    report.stories, report.linked_events = len(stories), len(linked)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def _stories(store: Any) -> list[dict[str, Any]]:
    from storyline.store.export import STORY_FIELDS, _paged

    return [{k: r.get(k) for k in STORY_FIELDS} for r in _paged(store.list_stories)]


def _linked_events(store: Any) -> list[dict[str, Any]]:
    conn = store.conn
    mentions: dict[str, list[str]] = {}
    for linked_id, event_id in conn.execute(
            "SELECT linked_id, id FROM events WHERE linked_id IS NOT NULL ORDER BY linked_id, id"):
        mentions.setdefault(linked_id, []).append(event_id)
    out = []
    for row in conn.execute("SELECT * FROM linked_events ORDER BY id"):
        out.append({
            "id": row["id"], "story_id": row["story_id"], "type": row["type"],
            "mode": row["mode"] or "", "date": row["date_value"], "summary": row["summary"],
            "actors": _codes(row["actors"]), "recipients": _codes(row["recipients"]),
            "polarity": row["polarity"] or "", "mentions": row["mentions"],
            "sources": row["sources"], "event_ids": mentions.get(row["id"], []),
        })
    return out


def _codes(value: str | None) -> list[str]:
    parties = json.loads(value or "[]")
    return [str(p.get("country") or p.get("sector") or p.get("name") or "")
            if isinstance(p, dict) else str(p) for p in parties]


def _write(lake: str, table: str, rows: list[dict[str, Any]], month: Any) -> None:
    """Replace ``table`` with ``rows``, one Parquet file per month partition."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = Path(lake) / table
    if root.exists():
        shutil.rmtree(root)
    schema = lake_mod.TABLES[table]
    by_month: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_month.setdefault(month(row), []).append(row)
    if not by_month:
        by_month[lake_mod.ALL] = []
    for name, part in sorted(by_month.items()):
        folder = root / f"month={name}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(part, schema=schema), folder / "part-0.parquet")
