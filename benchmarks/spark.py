"""Spark benchmark: the whole per-article pipeline on N synthetic articles, one process
(``storyline ingest``'s library call, linking off) against ``storyline spark ingest`` in
``local[1]`` and ``local[2]``.

Start-up is reported apart from throughput: for Spark, the session (JVM) start, then a first
small run that starts the Python workers and loads the model once in each; the timed run comes
after, on warm workers. For one process, the model load is timed apart the same way. The
articles are the ingest benchmark's (sample-corpus sentences shuffled and renumbered, so every
article is distinct and none is a near duplicate).

Run: python benchmarks/spark.py [--articles 500] [--partitions 8]   (the issue's figure: 2000)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write_corpus(folder: Path, n: int) -> None:
    spec = importlib.util.spec_from_file_location("bench_ingest", HERE / "ingest.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    module.write_text_corpus(folder, n)


def single(folder: str) -> dict:
    from storyline.ingest.run import ingest_paths
    from storyline.pipeline import Pipeline
    from storyline.store.sqlite import Store

    t0 = time.perf_counter()
    pipeline = Pipeline.from_config()
    pipeline.warm_up()
    startup = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t1 = time.perf_counter()
        report = ingest_paths([folder], Store(f"{tmp}/b.db"), pipeline, link=False)
        run = time.perf_counter() - t1
    return {"startup_s": startup, "run_s": run, "articles": report.stored}


def spark(folder: str, warmup: str, master: str, partitions: int) -> dict:
    from storyline.spark.ingest import spark_ingest
    from storyline.spark.session import session

    t0 = time.perf_counter()
    s = session(master, app_name="storyline-bench")
    session_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t1 = time.perf_counter()
        spark_ingest(s, [warmup], f"{tmp}/warm", partitions=partitions)
        warm_s = time.perf_counter() - t1
        t2 = time.perf_counter()
        report = spark_ingest(s, [folder], f"{tmp}/lake", partitions=partitions)
        run = time.perf_counter() - t2
        s.stop()
        link_s = None
        if master == "local[2]":  # storyline spark link: the driver-side linking, timed once
            from storyline.spark.link import link_lake

            t3 = time.perf_counter()
            link_lake(f"{tmp}/lake")
            link_s = time.perf_counter() - t3
    return {"session_s": session_s, "first_run_s": warm_s, "run_s": run,
            "articles": report.articles, "link_s": link_s}


def child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--child", nargs="*")
    args = ap.parse_args()
    if args.child is not None:
        kind, *rest = args.child
        result = single(rest[0]) if kind == "single" else \
            spark(rest[0], rest[1], rest[2], int(rest[3]))
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder, warm = Path(tmp, "corpus"), Path(tmp, "warm")
        folder.mkdir()
        warm.mkdir()
        write_corpus(folder, args.articles)
        for path in sorted(folder.iterdir())[:2 * args.partitions]:
            (warm / path.name).write_text(path.read_text())
        rows = {"single process": child("single", str(folder))}
        for master in ("local[1]", "local[2]"):
            rows[master] = child("spark", str(folder), str(warm), master, str(args.partitions))
    print(f"{args.articles} articles, {args.partitions} partitions")
    print(f"{'':16} {'start-up s':>11} {'first run s':>12} {'run s':>8} {'articles/s':>11}")
    for name, r in rows.items():
        startup = r.get("startup_s", r.get("session_s", 0.0))
        print(f"{name:16} {startup:11.1f} {r.get('first_run_s', 0.0):12.1f} {r['run_s']:8.1f} "
              f"{r['articles'] / r['run_s']:11.2f}")
    one, two = rows["local[1]"], rows["local[2]"]
    ratio = (two["articles"] / two["run_s"]) / (one["articles"] / one["run_s"])
    versus = (two["articles"] / two["run_s"]) / (rows["single process"]["articles"]
                                                  / rows["single process"]["run_s"])
    print(f"throughput local[2] / local[1]: {ratio:.2f}x; local[2] / single process: "
          f"{versus:.2f}x")
    if two.get("link_s"):
        print(f"storyline spark link on the local[2] lake: {two['link_s']:.1f} s "
              f"({two['articles'] / two['link_s']:.1f} articles/s, on the driver)")
    print("(start-up: the JVM session for Spark, the model load for one process; first run: "
          f"{2 * args.partitions} articles that start the Python workers and load the model "
          "in each)")


if __name__ == "__main__":
    main()
