"""Issue 17's rough edges of daily use, through the real command (a subprocess): read commands
never create a store, dates are validated, short id prefixes and busy ports are named as such,
JSON errors point into the line, --min-words exists, piped tables keep rows whole, and a SIGTERM
during ingest loses nothing and says so."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def run(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "storyline", *args], capture_output=True,
                          text=True, cwd=cwd, env=ENV, timeout=timeout)


WORDS = ("harbour council ferry timetable crossing residents board vote budget terminal "
         "engineers pier weather schedule island tourists fares winter summer captain").split()


def _article(i: int) -> dict[str, str]:
    """An article of our own, different for every i (so none is a near duplicate)."""
    picked = [WORDS[(i * 7 + k * (i % 5 + 1)) % len(WORDS)] for k in range(30)]
    body = (f"Report number {i}: the {picked[0]} and the {picked[1]} met on a Monday. "
            + " ".join(f"{w}{i % 97}" if k % 3 == 0 else w for k, w in enumerate(picked))
            + f". Officials said item {i} would be reviewed again next month.")
    return {"text": f"Harbour note {i}\n\n{body}"}


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edges")
    path = folder / "in.jsonl"
    path.write_text("".join(json.dumps(_article(i)) + "\n" for i in range(6)), encoding="utf-8")
    db = folder / "s.db"
    assert run("ingest", str(path), "--db", str(db), "--quiet").returncode == 0
    return folder, db


def test_read_commands_never_create_a_store(tmp_path):
    missing = tmp_path / "nope" / "x.db"
    for args in (["articles"], ["events"], ["stories"], ["show", "abcd"]):
        result = run(*args, "--db", str(missing))
        assert result.returncode == 1 and "E115" in result.stderr, (args, result.stderr)
    assert not (tmp_path / "nope").exists()


@pytest.mark.parametrize("options", [
    ["--since", "yesterday"], ["--since", "2011-13"], ["--since", "2014-02-30"],
    ["--since", "2014-05", "--until", "2013"],
])
def test_dates_are_validated(small_store, options):
    _, db = small_store
    result = run("events", "--db", str(db), *options)
    assert result.returncode == 1 and "E116" in result.stderr, result.stderr


def test_good_dates_still_filter(small_store):
    _, db = small_store
    result = run("events", "--db", str(db), "--since", "2014", "--until", "2014-05-19",
                 "--json")
    assert result.returncode == 0 and json.loads(result.stdout) == []


def test_short_prefix_is_named_as_such(small_store):
    _, db = small_store
    result = run("show", "32a", "--db", str(db))
    assert result.returncode == 1 and "E117" in result.stderr and "too short" in result.stderr


def test_port_in_use_is_an_error_before_serving(small_store):
    _, db = small_store
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port),
                     timeout=60)
    assert result.returncode == 1 and "E118" in result.stderr
    assert "storyline on http" not in result.stderr


def test_bad_json_line_points_into_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "unfinished"\n', encoding="utf-8")
    db = tmp_path / "b.db"
    assert run("ingest", str(path), "--db", str(db), "--quiet").returncode == 3
    result = run("rejections", "--db", str(db), "--json")
    [row] = json.loads(result.stdout)
    assert row["origin"].endswith(":1") and "at character" in row["reason"]
    assert "line 2" not in row["reason"]


def test_min_words_keeps_short_items(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("Ferry fares rise on Monday.\n", encoding="utf-8")
    db = tmp_path / "m.db"
    assert run("ingest", str(path), "--db", str(db), "--quiet").returncode == 3  # E012
    assert run("ingest", str(path), "--db", str(db), "--quiet",
               "--min-words", "3").returncode == 0
    listed = json.loads(run("articles", "--db", str(db), "--json").stdout)
    assert len(listed) == 1


def test_piped_tables_keep_each_row_on_one_line(small_store):
    _, db = small_store
    result = run("articles", "--db", str(db))
    rows = [line for line in result.stdout.splitlines() if "Harbour note" in line]
    assert len(rows) == 6  # one line per article: titles are not wrapped at 80 columns


def test_listings_as_tsv_and_json(small_store):
    _, db = small_store
    tsv = run("articles", "--db", str(db), "--format", "tsv")
    assert tsv.returncode == 0, tsv.stderr
    header, *rows = tsv.stdout.splitlines()
    assert header.split("\t") == ["id", "published", "source", "title", "duplicate of"]
    assert len(rows) == 6 and all(len(r.split("\t")) == 5 for r in rows)
    as_json = json.loads(run("articles", "--db", str(db), "--json").stdout)
    assert {r.split("\t")[0] for r in rows} == {a["id"] for a in as_json}
    assert {r.split("\t")[3] for r in rows} == {a["title"] for a in as_json}
    assert json.loads(run("articles", "--db", str(db), "-f", "json").stdout) == as_json
    for command in ("events", "stories", "actors", "quotes", "quantities", "rejections",
                    "status"):
        listed = run(command, "--db", str(db), "--format", "tsv")
        assert listed.returncode == 0, (command, listed.stderr)
        lines = listed.stdout.splitlines()
        width = len(lines[0].split("\t"))
        assert width > 1 and all(len(line.split("\t")) == width for line in lines), command
    wrong = run("articles", "--db", str(db), "--format", "xml")
    assert wrong.returncode == 2 and "xml" in wrong.stderr


@pytest.mark.slow
def test_sigterm_during_ingest_loses_nothing(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps(_article(i)) + "\n" for i in range(600)),
                    encoding="utf-8")
    db = tmp_path / "t.db"
    proc = subprocess.Popen([sys.executable, "-m", "storyline", "ingest", str(path), "--db",
                             str(db), "--batch-size", "8"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV)
    deadline = time.monotonic() + 240
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.5)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.Error:
                continue
        if stored >= 16:
            break
    assert proc.poll() is None, "the run ended before it could be stopped"
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "stopped:" in stderr and "committed" in stderr
    with sqlite3.connect(db) as conn:
        kept = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < kept < 600
    again = run("ingest", str(path), "--db", str(db), "--quiet")
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 600
        assert conn.execute("SELECT count(*) FROM articles WHERE story_id IS NULL "
                            "AND duplicate_of IS NULL").fetchone()[0] == 0


def test_workers_auto_picks_one_process_for_a_small_input(tmp_path):
    import os

    from storyline.cli.ingest import _workers

    small = tmp_path / "small.jsonl"
    small.write_text("".join(json.dumps(_article(i)) + "\n" for i in range(5)), encoding="utf-8")
    big = tmp_path / "big"
    big.mkdir()
    for k in range(3):
        (big / f"{k}.jsonl").write_text("".join(json.dumps(_article(i)) + "\n"
                                                for i in range(k * 200, k * 200 + 200)),
                                        encoding="utf-8")
    assert _workers("auto", [str(small)], []) == 1
    assert _workers("auto", [str(big)], []) == max(1, os.cpu_count() or 1)
    assert _workers("3", [str(small)], []) == 3
    result = run("ingest", str(small), "--db", str(tmp_path / "w.db"), "--workers", "many")
    assert result.returncode == 1 and "E109" in result.stderr
    result = run("ingest", str(small), "--db", str(tmp_path / "w.db"), "--workers", "auto",
                 "--quiet", "--min-words", "5")
    assert result.returncode == 0, result.stderr
