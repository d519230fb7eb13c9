"""Filtered event pages (CLI ``events``, ``/api/events``) against a brute-force filter: every
index path (one code, a pair of codes, codes with a type, windows, actor ids) gives the same
events in the same order, page after page; re-dating an event moves it in every listing."""

from __future__ import annotations

import datetime as dt
import json
import random
from importlib import resources

import pytest

from storyline.store.sqlite import Store, event_sort_key, set_event_date, write_event_codes

CODES = ["USA", "RUS", "CHN", "KEN", "IGO", "BRA"]
TYPES = ["CONSULT", "ACCUSE", "AID", "CONCEDE"]


def _party(rng: random.Random, code: str) -> dict:
    sector = code == "IGO"
    return {"id": f"act-{code.lower()}-{rng.randrange(3)}", "name": f"{code} official",
            "country": None if sector else code, "sector": code if sector else None}


@pytest.fixture(scope="module")
def listing(tmp_path_factory):
    rng = random.Random(11)
    store = Store(tmp_path_factory.mktemp("listing") / "e.db")
    conn = store.conn
    now = dt.datetime.now(dt.UTC).isoformat()
    truth = []
    conn.execute("BEGIN")
    for a in range(40):
        aid = f"art{a:03d}"
        published = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(900))
        conn.execute("INSERT INTO articles (id, origin, text, published, ingested_at) "
                     "VALUES (?, 'test', ?, ?, ?)", (aid, "word " * 400, published.isoformat(), now))
        for j in range(rng.randint(2, 9)):
            eid = f"{aid}-e{j}"
            etype = rng.choice(TYPES)
            # weighted so that some codes are frequent and some pairs rare; a code can repeat
            actors = [_party(rng, rng.choice(CODES[:3] * 3 + CODES[3:]))
                      for _ in range(rng.choice((1, 1, 2)))]
            recipients = [_party(rng, rng.choice(CODES)) for _ in range(rng.choice((0, 1, 1, 2)))]
            roll = rng.random()
            day = published - dt.timedelta(days=rng.randrange(5))
            value = None if roll < 0.1 else day.isoformat()[:7] if roll < 0.3 else day.isoformat()
            start = 10 * j
            key = event_sort_key(value, aid, start)
            conn.execute(
                "INSERT INTO events (id, article_id, type, mode, sentence, char_start, char_end, "
                "trigger, trigger_start, trigger_end, actors, recipients, contexts, date_value, "
                "date, modality, confidence, sort_key) VALUES (?, ?, ?, '', 0, ?, ?, 'met', ?, ?, "
                "?, ?, '[]', ?, ?, 'asserted', 0.5, ?)",
                (eid, aid, etype, start, start + 9, start, start + 3, json.dumps(actors),
                 json.dumps(recipients), value,
                 json.dumps({"value": value, "granularity": "day"}) if value else None, key))
            write_event_codes(conn, eid, etype, actors, recipients, key)
            truth.append({"id": eid, "type": etype, "actors": actors, "recipients": recipients,
                          "date": value, "key": key})
    conn.execute("COMMIT")
    yield store, truth
    store.close()


def _codes(parties):
    return {p["country"] or p["sector"] for p in parties}


def _expected(truth, actor=None, recipient=None, type=None, since=None, until=None):
    out = []
    for e in truth:
        if actor and actor not in (_codes(e["actors"]) | {p["id"] for p in e["actors"]}):
            continue
        if recipient and recipient not in (_codes(e["recipients"])
                                           | {p["id"] for p in e["recipients"]}):
            continue
        if type and e["type"] != type:
            continue
        # the store's window: listing keys compare as text (a month-precise "2020-06" sorts
        # after the days of June, so since=2020-06-01 keeps it); undated events are left out
        if (since or until) and e["date"] is None:
            continue
        if since and e["key"] < since:
            continue
        if until and e["key"] > until + "~":
            continue
        out.append(e)
    return [e["id"] for e in sorted(out, key=lambda e: e["key"])]


def _listed(store, page=7, **filters):
    ids, offset = [], 0
    while True:
        rows = store.list_events(limit=page, offset=offset, **filters)
        ids += [r["id"] for r in rows]
        if len(rows) < page:
            return ids
        offset += page


FILTERS = [
    {"actor": "USA"}, {"recipient": "KEN"}, {"actor": "USA", "recipient": "RUS"},
    {"actor": "KEN", "recipient": "BRA"}, {"actor": "RUS", "recipient": "IGO", "type": "AID"},
    {"actor": "CHN", "type": "CONCEDE"}, {"recipient": "USA", "type": "ACCUSE"},
    {"type": "CONSULT", "since": "2021-01"}, {"since": "2020-06-01", "until": "2020-09"},
    {"actor": "USA", "recipient": "CHN", "since": "2020-05", "until": "2021-12-31"},
    {"actor": "act-usa-1", "recipient": "RUS"}, {"actor": "act-rus-0", "type": "AID"},
    {"actor": "BRA", "recipient": "act-ken-2"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()))
def test_pages_match_a_brute_force_filter(listing, filters):
    store, truth = listing
    expected = _expected(truth, **filters)
    assert _listed(store, **filters) == expected
    json_page, count = store.list_events_json(limit=5, offset=0, **filters)
    assert [e["id"] for e in json.loads(json_page)] == expected[:5] and count == len(expected[:5])


def test_the_filters_select_something(listing):
    _, truth = listing  # the comparisons above are not all between empty lists
    sizes = [len(_expected(truth, **f)) for f in FILTERS]
    assert sum(1 for n in sizes if n >= 3) >= len(FILTERS) - 3
    assert max(sizes) < len(truth)


def test_redated_event_moves_in_every_listing(listing):
    store, truth = listing
    event = next(e for e in truth if "USA" in _codes(e["actors"]) and "RUS" in _codes(
        e["recipients"]) and e["date"] and e["date"] < "2029")
    set_event_date(store.conn, event["id"], {"value": "2030-01-01", "granularity": "day"})
    event["date"] = "2030-01-01"
    event["key"] = event_sort_key("2030-01-01", event["id"].split("-")[0],
                                  int(store.conn.execute("SELECT trigger_start FROM events WHERE "
                                                         "id = ?", (event["id"],)).fetchone()[0]))
    for filters in ({"actor": "USA", "recipient": "RUS"}, {"actor": "USA"}, {"recipient": "RUS"},
                    {"type": event["type"]}, {}):
        assert _listed(store, **filters, since="2029") == [event["id"]]
        assert _listed(store, **filters) == _expected(truth, **filters)


def test_migration_fills_pairs_as_writing_does(listing):
    store, _ = listing
    conn = store.conn
    written = conn.execute("SELECT * FROM event_pairs ORDER BY event_id, actor, recipient").fetchall()
    sql = resources.files("storyline.store").joinpath("migrations/0010_event_pairs.sql").read_text()
    fill = next(s for s in sql.split(";") if "INSERT OR IGNORE INTO event_pairs" in s)
    conn.execute("BEGIN")
    conn.execute("DELETE FROM event_pairs")
    conn.execute(fill.split("\n", 1)[1] if fill.lstrip().startswith("--") else fill)
    again = conn.execute("SELECT * FROM event_pairs ORDER BY event_id, actor, recipient").fetchall()
    conn.execute("ROLLBACK")
    assert [tuple(r) for r in again] == [tuple(r) for r in written] and written
