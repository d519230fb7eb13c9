"""The CLI: every command, --json, exports in all formats, exit codes."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq

from conftest import export_jsonl
from test_readers import ARTICLE, HTML


def corpus(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Crane arrives in Mombasa\n\nBy Staff Reporter\n\n" + ARTICLE * 2)
    (folder / "b.html").write_text(HTML)
    return folder


def test_ingest_list_show_search_export(tmp_path, cli, db):
    folder = corpus(tmp_path)
    code, stdout, _ = cli("ingest", str(folder), "--db", db)
    assert code == 0 and "stored 2 new article(s)" in stdout
    code, stdout, _ = cli("ingest", str(folder), "--db", db, "--json")
    assert code == 0 and json.loads(stdout)["unchanged"] == 2
    code, stdout, _ = cli("articles", "--db", db, "--json")
    rows = json.loads(stdout)
    assert code == 0 and len(rows) == 2
    code, stdout, _ = cli("show", rows[0]["id"][:8], "--db", db, "--json")
    assert code == 0 and json.loads(stdout)["id"] == rows[0]["id"]
    code, stdout, _ = cli("show", rows[0]["id"], "--db", db, "--removed")
    assert code == 0 and "Mombasa" in stdout
    code, stdout, _ = cli("search", "crane", "--db", db, "--json")
    assert code == 0 and len(json.loads(stdout)) == 2
    records = export_jsonl(cli, db)
    expected = {"id", "url", "source", "title", "published", "published_granularity",
                "published_method", "text", "captions", "removed", "duplicate_of"}
    assert all(expected <= set(r) for r in records)
    text_record = [r for r in records if r["origin"].endswith("a.txt")][0]
    assert {"text": "By Staff Reporter", "rule": "credit_byline"} in text_record["removed"]


def test_export_csv_and_parquet_to_file_and_stdout(tmp_path, cli, db):
    cli("ingest", str(corpus(tmp_path)), "--db", db)
    code, stdout, _ = cli("export", "articles", "--db", db, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert len(rows) == 2 and json.loads(rows[0]["removed"]) is not None
    out = tmp_path / "a.parquet"
    code, _, _ = cli("export", "articles", "--db", db, "--format", "parquet", "-o", str(out))
    table = pq.read_table(out)
    assert code == 0 and table.num_rows == 2 and "removed" in table.column_names
    code, _, stderr = cli("export", "articles", "--db", db, "--format", "xml")
    assert code == 1 and "E106" in stderr


def test_errors_exit_1_with_hint(cli, db):
    from storyline.store.sqlite import Store

    code, _, stderr = cli("show", "nope", "--db", db)
    assert code == 1 and "E115" in stderr and "hint" in stderr  # no store there
    Store(db)
    code, _, stderr = cli("show", "nope", "--db", db)
    assert code == 1 and "E104" in stderr and "hint" in stderr
    code, _, stderr = cli("eval", "extraction", "/nonexistent", "--json")
    assert code == 1 and "E107" in stderr


def test_missing_path_is_a_rejection_exit_3(tmp_path, cli, db):
    code, _, _ = cli("ingest", str(tmp_path / "missing.txt"), "--db", db)
    assert code == 3
    code, stdout, _ = cli("rejections", "--db", db, "--json")
    assert json.loads(stdout)[0]["code"] == "E001"


def test_stdin(cli, db):
    code, _, _ = cli("ingest", "-", "--db", db, input=ARTICLE * 2)
    assert code == 0
    code, stdout, _ = cli("articles", "--db", db, "--json")
    assert json.loads(stdout)[0]["origin"] == "<stdin>"


def test_db_from_environment(tmp_path, cli, monkeypatch):
    path = tmp_path / "env.db"
    monkeypatch.setenv("STORYLINE_DB", str(path))
    code, _, _ = cli("ingest", "-", input=ARTICLE * 2)
    assert code == 0 and path.exists()


def test_config_file_selects_stages_and_options(tmp_path, cli, db):
    config = tmp_path / "storyline.toml"
    config.write_text('[pipeline]\nstages = ["main_text", "clean", "metadata", "identify"]\n'
                      '[pipeline.options.clean]\nmin_words = 500\n')
    code, _, _ = cli("ingest", "-", "--db", db, "--config", str(config), input=ARTICLE)
    assert code == 3  # too short for min_words = 500
    config.write_text('[pipeline]\nstages = ["clean"]\n')
    code, _, stderr = cli("ingest", "-", "--db", db, "--config", str(config), input=ARTICLE)
    assert code == 1 and "E101" in stderr
