"""The link stage's saved state: a run resumed from the store after every batch puts articles in
the same stories as one unbroken run, and the document frequencies survive reloads and folds."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from storyline.link import persist
from storyline.link.run import Linker
from storyline.store.sqlite import Store

KINDS = {  # a kind of story: its generic words (shared by every story of the kind)
    "flood": "floods rivers rain villages rescue evacuated homes water levels dams relief",
    "strike": "strike workers union wages pay talks factories walkout picket employers",
    "vote": "election ballots voters polling turnout candidates parliament count campaign seats",
}
SYLLABLES = "ka lo mi ra tu ven dor sel pan qui zor bel na fi gro hal".split()


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def _articles(n_stories: int = 12, seed: int = 3) -> list[tuple[str, str, str]]:
    """(id, published, text): stories of three kinds, each with its own place and people,
    told by 3 to 6 articles over a few days; stories of one kind are months apart."""
    rng = random.Random(seed)
    out = []
    start = dt.date(2021, 1, 10)
    for s in range(n_stories):
        kind = list(KINDS)[s % len(KINDS)]
        words = KINDS[kind].split()
        place, person, group = _name(rng), _name(rng), _name(rng)
        day = start + dt.timedelta(days=40 * s)
        for a in range(rng.randint(3, 6)):
            picked = rng.sample(words, 6)
            text = (f"In {place}, {person} of the {group} Council said the {picked[0]} and "
                    f"{picked[1]} went on. Officials in {place} spoke of {picked[2]}, {picked[3]} "
                    f"and {picked[4]}. {person} asked the {group} Council to act on "
                    f"{picked[5]} before the week was out in {place}.")
            published = (day + dt.timedelta(days=rng.randint(0, 3))).isoformat()
            out.append((f"s{s:02d}a{a}", published, text))
    out.sort(key=lambda r: (r[1], r[0]))
    return out


def _store(path, rows):
    store = Store(path)
    now = dt.datetime.now(dt.UTC).isoformat()
    store.conn.executemany(
        "INSERT INTO articles (id, origin, title, published, published_granularity, text, "
        "ingested_at, analysed_version) VALUES (?, 'test', NULL, ?, 'day', ?, ?, 'test')",
        [(i, p, t, now) for i, p, t in rows])
    return store


def _partition(store):
    groups: dict[str, set[str]] = {}
    for article, story in store.conn.execute("SELECT id, story_id FROM articles"):
        groups.setdefault(story, set()).add(article)
    return sorted(sorted(g) for g in groups.values())


def test_resumed_run_makes_the_same_stories_and_frequencies(tmp_path, monkeypatch):
    rows = _articles()
    ids = [r[0] for r in rows]
    batches = [ids[i:i + 7] for i in range(0, len(ids), 7)]

    unbroken = _store(tmp_path / "a.db", rows)
    linker = Linker(unbroken)
    for batch in batches:
        linker.link(batch)

    monkeypatch.setattr(persist, "FOLD_MIN", 40)  # fold the increment log every few batches
    resumed = _store(tmp_path / "b.db", rows)
    folds = 0
    for batch in batches:
        Linker(resumed).link(batch)  # a new process each batch: state read back from the store
        folds += resumed.conn.execute("SELECT count(*) FROM story_df_delta").fetchone()[0] == 0
    assert folds >= 1

    expected = _partition(unbroken)
    truth = sorted(sorted(i for i in ids if i.startswith(f"s{s:02d}")) for s in range(12))
    assert expected == truth  # each story apart, none split: the comparison below means something
    assert _partition(resumed) == expected
    assert [r["id"] for r in resumed.conn.execute("SELECT id FROM stories ORDER BY id")] == \
        [r["id"] for r in unbroken.conn.execute("SELECT id FROM stories ORDER BY id")]

    df_a = persist.StoryState(unbroken.conn).load().df
    df_b = persist.StoryState(resumed.conn).load().df
    assert df_a.documents == df_b.documents == len(ids)
    assert +df_a.counts == +df_b.counts
    assert df_b.counts["n:council"] == len(ids)


@pytest.mark.parametrize("fold_min", [1, 10**9])
def test_frequencies_survive_reload_folded_or_not(tmp_path, monkeypatch, fold_min):
    monkeypatch.setattr(persist, "FOLD_MIN", fold_min)
    rows = _articles(n_stories=4, seed=8)
    store = _store(tmp_path / "c.db", rows)
    linker = Linker(store)
    half = len(rows) // 2
    linker.link([r[0] for r in rows[:half]])
    linker.link([r[0] for r in rows[half:]])
    logged = store.conn.execute("SELECT count(*) FROM story_df_delta").fetchone()[0]
    assert (logged == 0) == (fold_min == 1)
    reloaded = persist.StoryState(store.conn).load().df
    assert reloaded.documents == len(rows)
    assert +reloaded.counts == +linker.clusterer.df.counts


def test_merged_story_moves_year_less_keys(tmp_path):
    from storyline.link.run import move_story

    store = Store(tmp_path / "m.db")
    conn = store.conn
    for lid, story in (("le_a", "s2"), ("le_b", "s21"), ("le_c", "s5")):
        conn.execute("INSERT INTO linked_events (id, type, story_id) VALUES (?, 'CONSULT', ?)",
                     (lid, story))
    conn.executemany("INSERT INTO linked_event_keys VALUES (?, ?)", [
        ("CONSULT|RUS|story:s2", "le_a"), ("CONSULT|RUS|2014-05-20", "le_a"),
        ("CONSULT|RUS|story:s21", "le_b"), ("CONSULT|CHN|story:s5", "le_c")])
    move_story(conn, "s2", "s5")
    keys = sorted(tuple(r) for r in conn.execute("SELECT key, linked_id FROM linked_event_keys"))
    assert keys == [("CONSULT|CHN|story:s5", "le_c"), ("CONSULT|RUS|2014-05-20", "le_a"),
                    ("CONSULT|RUS|story:s21", "le_b"), ("CONSULT|RUS|story:s5", "le_a")]
    assert conn.execute("SELECT story_id FROM linked_events WHERE id = 'le_a'").fetchone()[0] == "s5"
