"""storyline on Spark (local[2]): the lake agrees with ``storyline ingest`` on the same input,
its tables have the exports' columns, bad WARC records become rejection rows, and
``storyline import`` takes the lake back into a store that agrees with the local one.

Skipped, with the reason, when PySpark or Java is absent (``bash requirements/java.sh`` and
``pip install -e ".[dev]"`` install both)."""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from test_readers import HTML, warc_bytes

pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed (pip install -e '.[dev]')")
if shutil.which("java") is None:
    pytest.skip("Java is not installed (bash requirements/java.sh installs Java 17)",
                allow_module_level=True)

pytestmark = pytest.mark.slow

STORY = ("The port authority of Mombasa said on Tuesday that it had signed a deal with a Finnish "
         "crane maker worth 40 million dollars. Kenya's transport minister Amina Odhiambo said "
         "the cranes would arrive in June. \"This is a good day for the coast,\" she said. "
         "Tanzania accused Kenya of unfair competition for transit cargo.")


def _warc_with_bad_records() -> bytes:
    """Two good responses, one without WARC-Target-URI (E009), then garbage (E009)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    good = warc_bytes([("https://coast.example/2025/02/03/crane", HTML.encode(), "text/html")])
    page = f"<html><body><article><h1>Crane deal</h1><p>{STORY}</p></article></body></html>"
    good += warc_bytes([("https://ledger.example/2025/02/04/deal", page.encode(), "text/html")])
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record("https://x.example/", "response",
                                       payload=io.BytesIO(HTML.encode()), http_headers=headers)
    record.rec_headers.remove_header("WARC-Target-URI")
    writer.write_record(record)
    return good + buf.getvalue() + b"\x1f\x8b\x08\x00garbage-not-a-record"


@pytest.fixture(scope="module")
def spark():
    from storyline.spark.session import session

    s = session("local[2]", app_name="storyline-tests")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def built(spark, tmp_path_factory):
    """The sample corpus plus a small WARC: a local store (``storyline ingest``) and a lake
    (``spark ingest``), built once for the module."""
    from typer.testing import CliRunner

    from storyline.cli.main import app
    from storyline.ingest.run import sample_corpus_path
    from storyline.spark.ingest import spark_ingest

    root = tmp_path_factory.mktemp("spark")
    warc = root / "news.warc.gz"
    warc.write_bytes(_warc_with_bad_records())
    inputs = [str(sample_corpus_path()), str(warc)]
    db = str(root / "local.db")
    result = CliRunner().invoke(app, ["ingest", *inputs, "--db", db, "--quiet"],
                                catch_exceptions=False)
    assert result.exit_code == 3, result.stdout  # the WARC's bad records are rejected
    lake = str(root / "lake")
    report = spark_ingest(spark, inputs, lake, partitions=3)
    return {"root": root, "db": db, "lake": lake, "report": report, "warc": str(warc)}


def _export(db: str, what: str) -> list[dict]:
    from typer.testing import CliRunner

    from storyline.cli.main import app

    result = CliRunner().invoke(app, ["export", what, "--db", db, "--format", "jsonl"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _lake(lake: str, table: str) -> list[dict]:
    from storyline.spark.importer import read_rows

    return read_rows(lake, table)


def test_lake_agrees_with_local_ingest(built):
    db, lake = built["db"], built["lake"]
    local = {a["id"]: a for a in _export(db, "articles")}
    spark_articles = {a["id"]: a for a in _lake(lake, "articles")}
    assert len(local) >= 27 and set(spark_articles) == set(local)
    assert {i: a["duplicate_of"] for i, a in spark_articles.items()} == \
        {i: a["duplicate_of"] for i, a in local.items()}
    assert any(a["duplicate_of"] for a in local.values()), "the sample's syndicated copy"
    for key in ("origin", "published", "title", "source", "text"):
        assert {i: a[key] for i, a in spark_articles.items()} == \
            {i: a[key] for i, a in local.items()}, key

    def per_article(rows: list[dict]) -> Counter:
        return Counter(r["article_id"] for r in rows)

    local_events, lake_events = _export(db, "events"), _lake(lake, "events")
    assert len(lake_events) > 50
    assert per_article(lake_events) == per_article(local_events)
    assert {e["id"] for e in lake_events} == {e["id"] for e in local_events}
    fields = ("id", "article_id", "speaker", "speaker_text", "cue", "content", "kind",
              "char_start", "char_end")
    def quotes(rows: list[dict]) -> set[str]:
        return {json.dumps({k: r[k] for k in fields}, sort_keys=True) for r in rows}

    assert len(quotes(_lake(lake, "quotes"))) > 20
    assert quotes(_lake(lake, "quotes")) == quotes(_export(db, "quotes"))
    assert {q["id"] for q in _lake(lake, "quantities")} == \
        {q["id"] for q in _export(db, "quantities")}
    actor_keys = ("id", "name", "kind", "country", "sector", "mentions", "articles")
    assert {tuple(a[k] for k in actor_keys) for a in _lake(lake, "actors")} == \
        {tuple(a[k] for k in actor_keys) for a in _export(db, "actors")}


def test_bad_warc_records_become_rejection_rows(built):
    from storyline.store.sqlite import Store

    lake_rows = _lake(built["lake"], "rejections")
    warc = built["warc"]
    ours = [r for r in lake_rows if r["origin"].startswith(warc)]
    assert [r["code"] for r in ours].count("E009") >= 2, ours
    assert built["report"].rejected == sum(r["count"] for r in lake_rows)
    local = Store(built["db"]).rejections()
    assert sorted((r["origin"], r["stage"], r["code"], r["count"]) for r in lake_rows) == \
        sorted((r["origin"], r["stage"], r["code"], r["count"]) for r in local)
    # the good records of the same WARC were kept
    assert sum(a["origin"].startswith(warc + "#") for a in _lake(built["lake"], "articles")) == 2


def test_lake_tables_have_the_exports_columns(built):
    import pyarrow.parquet as pq

    from storyline.spark.lake import TABLES
    from storyline.store import arrow, export
    from storyline.store.sqlite import Store

    store = Store(built["db"])
    writers = {"articles": export.export_articles, "actors": export.export_actors,
               "mentions": export.export_mentions, "quotes": export.export_quotes,
               "quantities": export.export_quantities, "events": export.export_events}
    for table, write in writers.items():
        buf = io.BytesIO()
        write(store, "parquet", buf)
        exported = pq.read_table(io.BytesIO(buf.getvalue())).schema
        assert exported.names == TABLES[table].names, table
        files = sorted(Path(built["lake"], table).rglob("*.parquet"))
        assert files, table
        written = pq.read_schema(files[0])
        assert written.names == TABLES[table].names, table
        # same types (list item names aside: Spark calls them "element")
        got = pq.read_table(files[0]).cast(TABLES[table])
        assert got.schema.equals(exported, check_metadata=False), table
    assert TABLES["rejections"] is arrow.REJECTION_SCHEMA
    months = {p.name for p in Path(built["lake"], "articles").glob("month=*")}
    assert "month=2026-03" in months and "month=undated" in months


def test_import_round_trips(built):
    from storyline.spark.importer import import_lake
    from storyline.store.sqlite import Store

    db = str(built["root"] / "imported.db")
    report = import_lake(built["lake"], Store(db))
    assert report.stored == len(_lake(built["lake"], "articles")) and report.analysed_later == 0
    for what in ("articles", "events", "quotes", "quantities", "actors", "mentions"):
        local, imported = _export(built["db"], what), _export(db, what)
        assert len(imported) == len(local), what
        if what == "articles":
            drop = ("pipeline_version",)
            local = [{k: v for k, v in r.items() if k not in drop} for r in local]
            imported = [{k: v for k, v in r.items() if k not in drop} for r in imported]
        assert sorted(json.dumps(r, sort_keys=True) for r in imported) == \
            sorted(json.dumps(r, sort_keys=True) for r in local), what

    def partition(db_path: str) -> set[frozenset[str]]:
        return {frozenset(s["article_ids"]) for s in _export(db_path, "stories")}

    assert partition(db) == partition(built["db"])
    assert Store(db).rejections() and len(Store(db).rejections()) == \
        len(Store(built["db"]).rejections())
    # a window: only March 2026, and importing it again changes nothing
    window = str(built["root"] / "march.db")
    first = import_lake(built["lake"], Store(window), since="2026-03", until="2026-03")
    march = [a for a in _lake(built["lake"], "articles")
             if (a["published"] or "").startswith("2026-03")]
    assert first.stored == len(march) > 0
    again = import_lake(built["lake"], Store(window), since="2026-03", until="2026-03")
    assert again.stored == 0 and again.unchanged == len(march)


def test_cli_spark_ingest_and_import(tmp_path, cli, built):
    """The commands, on a small input: the JSON report and a store the CLI can list."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY + "\n")
    (folder / "b.warc.gz").write_bytes(_warc_with_bad_records())
    lake, db = str(tmp_path / "lake"), str(tmp_path / "cli.db")
    code, stdout, _ = cli("spark", "ingest", str(folder), "--out", lake, "--master", "local[2]",
                          "--partitions", "2", "--json")
    assert code == 3, stdout  # rejections in the WARC
    got = json.loads(stdout)
    assert got["articles"] == 3 and got["rejected"] >= 2
    code, stdout, _ = cli("import", lake, "--db", db, "--json")
    assert code == 0 and json.loads(stdout)["stored"] == 3
    code, stdout, _ = cli("articles", "--db", db, "--json")
    assert len(json.loads(stdout)) == 3


def test_spark_link_writes_the_local_partition_and_import_takes_slices(tmp_path, cli, built):
    """``storyline spark link``: the lake's stories are the local store's partition, its linked
    events point at the lake's event rows; ``import --story`` and ``--actor`` load slices."""
    lake = str(tmp_path / "lake")
    shutil.copytree(built["lake"], lake)
    code, stdout, _ = cli("spark", "link", lake, "--json")
    assert code == 0, stdout
    report = json.loads(stdout)
    stories, linked = _lake(lake, "stories"), _lake(lake, "linked_events")
    assert report["stories"] == len(stories) > 3 and report["linked_events"] == len(linked) > 10

    local = {frozenset(s["article_ids"]) for s in _export(built["db"], "stories")}
    assert {frozenset(s["article_ids"]) for s in stories} == local
    event_ids = {e["id"] for e in _lake(lake, "events")}
    assert all(row["event_ids"] and set(row["event_ids"]) <= event_ids for row in linked)
    assert {row["story_id"] for row in linked} <= {s["id"] for s in stories}
    local_linked = {e["id"] for e in _export(built["db"], "events")}
    assert sum(len(row["event_ids"]) for row in linked) <= len(local_linked)
    # linking again replaces the tables (no doubled rows)
    assert cli("spark", "link", lake, "--json")[0] == 0
    assert len(_lake(lake, "stories")) == len(stories)

    biggest = max(stories, key=lambda s: len(s["article_ids"]))
    db = str(tmp_path / "story.db")
    code, stdout, _ = cli("import", lake, "--db", db, "--story", biggest["id"], "--json")
    assert code == 0 and json.loads(stdout)["stored"] == len(biggest["article_ids"])
    code, stdout, _ = cli("articles", "--db", db, "--json")
    assert {a["id"] for a in json.loads(stdout)} == set(biggest["article_ids"])

    actors = {a["id"]: a for a in _lake(lake, "actors")}
    country = next(a["country"] for a in actors.values() if a["country"] == "IDN")
    mentioning = {m["article_id"] for m in _lake(lake, "mentions")
                  if actors.get(m["actor_id"], {}).get("country") == country}
    db = str(tmp_path / "actor.db")
    code, stdout, _ = cli("import", lake, "--db", db, "--actor", country, "--json")
    assert code == 0
    code, stdout, _ = cli("articles", "--db", db, "--json")
    imported = {a["id"] for a in json.loads(stdout)}
    originals = {a["id"] for a in _lake(lake, "articles") if not a["duplicate_of"]}
    assert imported & originals == mentioning & originals and mentioning

    code, _, stderr = cli("import", lake, "--db", str(tmp_path / "x.db"), "--story", "zz99zz")
    assert code == 1 and "no story" in stderr
    bare = str(tmp_path / "bare")
    shutil.copytree(built["lake"], bare)
    code, _, stderr = cli("import", bare, "--db", str(tmp_path / "y.db"), "--story", "s1")
    assert code == 1 and "spark link" in stderr


def test_the_binaryfiles_path_reads_a_warc_as_the_local_path_does(spark, tmp_path, monkeypatch,
                                                                     built):
    """URIs other than local paths (hdfs://, s3a://) are read with ``binaryFiles``; here a
    file:// URI is sent down that path (no HDFS or S3 on this machine), and the lake holds the
    same articles and rejections as when the WARC is read as a local file."""
    from storyline.spark import inputs
    from storyline.spark.ingest import spark_ingest

    warc = built["warc"]
    local_lake, remote_lake = str(tmp_path / "local"), str(tmp_path / "remote")
    spark_ingest(spark, [warc], local_lake, partitions=2)
    monkeypatch.setattr(inputs, "is_remote", lambda spec: spec.startswith("file://"))
    assert inputs.plan([f"file://{warc}"])[1]  # it is planned as a remote input
    spark_ingest(spark, [f"file://{warc}"], remote_lake, partitions=2)

    def ids(lake: str, table: str, key: str) -> list:
        return sorted(r[key] for r in _lake(lake, table))

    assert ids(remote_lake, "articles", "id") == ids(local_lake, "articles", "id")
    assert len(ids(remote_lake, "articles", "id")) == 2
    assert sorted(r["stage"] for r in _lake(remote_lake, "rejections")) == \
        sorted(r["stage"] for r in _lake(local_lake, "rejections"))
    assert ids(remote_lake, "events", "id") == ids(local_lake, "events", "id")


def test_spark_archives_are_not_rescanned_before_every_task(tmp_path, monkeypatch):
    """PySpark invalidates import caches before each task; the Spark installation's own zips
    and jars keep their directory (a third of worker time went to re-reading them), any other
    archive is re-read as Python does it."""
    import os
    import zipfile
    import zipimport

    from storyline.spark.worker import quiet_archive_rescans

    spark_zip = os.path.join(os.path.dirname(pyspark.__file__), "python", "lib", "pyspark.zip")
    if not os.path.isfile(spark_zip):
        pytest.skip(f"{spark_zip} is absent in this PySpark install")
    other = tmp_path / "mine.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("mine_module.py", "X = 1\n")
    cls = zipimport.zipimporter
    monkeypatch.setattr(cls, "invalidate_caches", cls.invalidate_caches)  # restored afterwards
    monkeypatch.setattr(cls, "_storyline_quiet", False, raising=False)
    theirs, mine = cls(spark_zip), cls(str(other))
    quiet_archive_rescans()
    read: list[str] = []
    real = zipimport._read_directory
    monkeypatch.setattr(zipimport, "_read_directory", lambda path: read.append(path) or real(path))
    theirs.invalidate_caches()
    mine.invalidate_caches()
    assert read == [str(other)]
