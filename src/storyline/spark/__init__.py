"""storyline on Apache Spark: the same per-article stages over a cluster, a Parquet lake in the
exports' schema (:mod:`storyline.store.arrow`), and back into the SQLite store.

- :mod:`storyline.spark.session` — starting a SparkSession (``pip install "storyline[spark]"``,
  Java 17);
- :mod:`storyline.spark.inputs` — inputs to raw documents on the executors (local paths, globs,
  anything Hadoop reads);
- :mod:`storyline.spark.worker` — the pipeline built once per Python worker, run over partitions;
- :mod:`storyline.spark.dedup` — exact and near duplicates with the local store's MinHash band keys;
- :mod:`storyline.spark.actors` — canonical actors with the local store's rules;
- :mod:`storyline.spark.lake` — the lake's tables, rows and layout;
- :mod:`storyline.spark.ingest` — ``storyline spark ingest``;
- :mod:`storyline.spark.importer` — ``storyline import`` (needs no Spark).
"""
