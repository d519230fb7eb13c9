"""``storyline spark ingest``: the pipeline over partitions, into a Parquet lake.

1. Inputs become ``(sequence, raw document or rejection)`` on the executors
   (:mod:`storyline.spark.inputs`), spread over ``partitions``.
2. The per-article stages before ``dedup`` (main text, cleaning, id, metadata, fingerprint) run
   in ``mapPartitions`` with the pipeline built once per Python worker.
3. Duplicates: one article per id (the first read), then near duplicates by the local store's
   MinHash band keys and rank rule (:mod:`storyline.spark.dedup`).
4. The analysis stages (annotate, extract) run on the originals, in ``mapPartitions`` again;
   near duplicates skip them, as in the local store.
5. Actor forms are resolved to canonical actors with the store's rules
   (:mod:`storyline.spark.actors`), and every table is written partitioned by month
   (:mod:`storyline.spark.lake`).

Failures never fail a task: the pipeline turns them into rejections (``rejections`` table) or
failures recorded on the article (kept in ``analysis`` and imported with it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from storyline.ingest.readers import DEFAULT_MAX_BYTES
from storyline.model import Rejection
from storyline.pipeline import Pipeline
from storyline.spark import dedup, lake
from storyline.spark.actors import merge, resolve
from storyline.spark.inputs import items_rdd
from storyline.spark.worker import analyse_partition, prepare_partition, split_config


@dataclass
class SparkIngestReport:
    lake: str
    read: int = 0
    articles: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    rejected: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: seconds per phase: read+prepare, dedup, analyse, write
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 3 if self.rejected else 0

    def as_dict(self) -> dict[str, Any]:
        return {"lake": self.lake, "read": self.read, "articles": self.articles,
                "exact_duplicates": self.exact_duplicates,
                "near_duplicates": self.near_duplicates, "rejected": self.rejected,
                "rows": dict(self.rows), "seconds": round(self.seconds, 2),
                "phases": {k: round(v, 2) for k, v in self.phases.items()}}


def _threshold(pipeline: Pipeline) -> float | None:
    for st in pipeline.stages:
        if st.name == "dedup":
            return float(getattr(st, "threshold", 0) or 0) or None
    return None


def spark_ingest(spark: Any, inputs: list[str], out: str, *,
                 config: dict[str, Any] | None = None, partitions: int | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> SparkIngestReport:
    """Read ``inputs``, run the pipeline on Spark and write the lake at ``out`` (replacing
    what is there)."""
    from pyspark import StorageLevel

    started = time.perf_counter()
    sc = spark.sparkContext
    partitions = partitions or sc.defaultParallelism
    pipeline = Pipeline.from_config(config)
    pipeline.set_option("main_text", "max_bytes", max_bytes)
    cfg = pipeline.config or {}
    split_config(cfg)  # refuses cross-article stages without a Spark counterpart, on the driver
    threshold = _threshold(pipeline)
    keep = StorageLevel.MEMORY_AND_DISK
    report = SparkIngestReport(lake=out)

    prepared = (items_rdd(sc, inputs, max_bytes, partitions)
                .mapPartitions(lambda it: prepare_partition(it, cfg))
                .persist(keep))
    early_rejections = prepared.filter(lambda r: r[0] == "rejection").map(lambda r: r[2])
    keyed = prepared.filter(lambda r: r[0] == "article").map(lambda r: (r[2].id, (r[1], r[2])))
    unique = (keyed.reduceByKey(lambda a, b: a if a[0] <= b[0] else b, partitions)
              .map(lambda kv: kv[1][1])
              .persist(keep))
    counts = prepared.map(lambda r: r[0]).countByValue()
    report.read = sum(counts.values())
    report.articles = unique.count()
    report.exact_duplicates = counts.get("article", 0) - report.articles
    report.phases["prepare"] = time.perf_counter() - started

    duplicates = dedup.resolve(dedup.near_duplicate_edges(unique, threshold)) if threshold else {}
    report.near_duplicates = len(duplicates)
    verdicts = sc.broadcast(duplicates)
    report.phases["dedup"] = time.perf_counter() - started - sum(report.phases.values())

    def mark(article: Any) -> Any:
        found = verdicts.value.get(article.id)
        if found is not None:
            article.duplicate_of = found[0]
            article.hints["duplicate_similarity"] = round(found[1], 3)
        return article

    analysed = (unique.map(mark)
                .mapPartitions(lambda it: analyse_partition(it, cfg))
                .persist(keep))
    articles = analysed.filter(lambda r: r[0] == "article").map(lambda r: r[1])

    forms = (articles.filter(lambda a: not a.duplicate_of)
             .flatMap(lambda a: [(f.id, f) for f in a.actors])
             .reduceByKey(merge)
             .values()
             .collect())
    report.phases["analyse"] = time.perf_counter() - started - sum(report.phases.values())
    canonical, actors = resolve(forms)
    canonical_b, actors_b = sc.broadcast(canonical), sc.broadcast(actors)

    rows = (articles.flatMap(lambda a: lake.article_rows(a, canonical_b.value, actors_b.value))
            .persist(keep))
    rejections = (sc.union([early_rejections,
                            analysed.filter(lambda r: r[0] == "rejection").map(lambda r: r[1])])
                  .map(lambda rej: (lake.rejection_key(rej), (rej, 1)))
                  .reduceByKey(lambda a, b: (_first(a[0], b[0]), a[1] + b[1]))
                  .map(lambda kv: lake.rejection_row(*kv[1]))
                  .persist(keep))

    for table in ("articles", "analysis", "mentions", "events", "quotes", "quantities"):
        subset = rows.filter(lambda r, t=table: r[0] == t).map(lambda r: r[1])
        _write(spark, subset, table, out)
    mention_counts: dict[str, tuple[int, int]] = {}
    for actor_id, pairs in (rows.filter(lambda r: r[0] == "mentions")
                            .map(lambda r: (r[1][1], r[1][0]))
                            .groupByKey()
                            .mapValues(lambda ids: (len(list(ids)), len(set(ids))))
                            .collect()):
        mention_counts[actor_id] = pairs
    actor_rows = [lake.to_row({**row, "mentions": mention_counts.get(aid, (0, 0))[0],
                               "articles": mention_counts.get(aid, (0, 0))[1]},
                              lake.TABLES["actors"], lake.ALL)
                  for aid, row in sorted(actors.items())]
    _write(spark, sc.parallelize(actor_rows, 1), "actors", out)
    _write(spark, rejections, "rejections", out)
    report.rows = dict(rows.map(lambda r: r[0]).countByValue())
    report.rows["actors"] = len(actor_rows)
    report.rows["rejections"] = rejections.count()
    report.rejected = int(rejections.map(lambda r: r[5]).sum()) if report.rows["rejections"] else 0
    for rdd in (rejections, rows, analysed, unique, prepared):
        rdd.unpersist()
    report.seconds = time.perf_counter() - started
    report.phases["write"] = report.seconds - sum(report.phases.values())
    return report


def _first(a: Rejection, b: Rejection) -> Rejection:
    return a if (a.origin, a.stage, a.reason) <= (b.origin, b.stage, b.reason) else b


def _write(spark: Any, rdd: Any, table: str, out: str) -> None:
    schema = lake.spark_schema(lake.TABLES[table])
    frame = spark.createDataFrame(rdd, schema, verifySchema=False)
    frame.write.mode("overwrite").partitionBy("month").parquet(f"{out}/{table}")
