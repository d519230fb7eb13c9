"""Same input, same store: the articles, near duplicates, events, quotes, quantities and actors a
run stores, and its report, do not depend on ``--workers``, the batch size, the order of the
input, or on splitting it into two runs.

The input is 300 real ECB+ documents plus near-duplicate copies of 30 of them (a sentence dropped,
a syndication line added) with publication dates that make the copy the original half of the
time, and three exact repeats. Stories (the linked layer) are the stories issue's; here the
events' own fields are compared, with the date each event was extracted with."""

from __future__ import annotations

import json
import random

import pytest

from conftest import needs_shared

pytestmark = [pytest.mark.slow, pytest.mark.shared, needs_shared]


@pytest.fixture(scope="module")
def records() -> list[dict[str, str]]:
    from realcorpora import ecbplus_documents, ecbplus_records

    docs = ecbplus_documents()
    picked = random.Random(18).sample(docs, 300)
    rows = list(ecbplus_records(token_joined=False, docs=picked))
    rng = random.Random(5)
    copies = []
    for i, row in enumerate(rows[:30]):
        sentences = row["text"].split("\n\n")
        if len(sentences) < 8:
            continue
        drop = rng.randrange(2, len(sentences))
        copy = "\n\n".join(s for k, s in enumerate(sentences) if k != drop)
        copy += "\n\nThis story was republished from a partner outlet."
        day = 10 + i % 15
        original_day, copy_day = (day, day + 1) if i % 2 else (day + 1, day)
        row["published"] = f"2012-03-{original_day:02d}"
        copies.append({"text": copy, "url": row["url"] + "?copy", "published":
                       f"2012-03-{copy_day:02d}"})
    rows += copies
    rows += [dict(r) for r in rows[40:43]]  # exact repeats
    return rows


def _run(tmp_path, name, parts, **options):
    from storyline.ingest.run import ingest_paths
    from storyline.store.sqlite import Store

    store = Store(tmp_path / f"{name}.db")
    totals: dict[str, int] = {}
    for k, part in enumerate(parts):
        path = tmp_path / f"{name}-{k}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
        report = ingest_paths([str(path)], store, **options)
        for key, value in report.as_dict().items():
            totals[key] = totals.get(key, 0) + value
    return store, totals


def _content(store) -> dict[str, list[tuple]]:
    conn = store.conn

    def rows(sql: str) -> list[tuple]:
        return sorted(tuple(r) for r in conn.execute(sql))

    return {
        "articles": rows("SELECT id, duplicate_of, analysed_version IS NULL, published, title "
                         "FROM articles"),
        "events": rows("SELECT id, article_id, type, mode, sentence, char_start, char_end, "
                       "trigger, actors, recipients, contexts, "
                       "nullif(coalesce(extracted_date, date), 'null'), "
                       "place, modality, confidence, cameo FROM events"),
        "quotes": rows("SELECT id, article_id, kind, char_start, char_end, content, cue, "
                       "speaker_text, speaker_name, actor_id FROM quotes"),
        "quantities": rows("SELECT * FROM quantities"),
        "actors": rows("SELECT * FROM actors"),
        "mentions": rows("SELECT article_id, actor_id, start, end, form_id FROM actor_mentions"),
        "failures": rows("SELECT article_id, stage, sentence FROM stage_failures"),
    }


@pytest.fixture(scope="module")
def baseline(records, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("baseline")
    store, totals = _run(tmp, "one", [records])
    return _content(store), totals


def _same(content, totals, baseline, compare_duplicates=True):
    expected, expected_totals = baseline
    for table, rows in expected.items():
        assert content[table] == rows, table
    keys = ["read", "stored", "unchanged", "rejected"] + (["duplicates"] if compare_duplicates
                                                          else [])
    assert {k: totals[k] for k in keys} == {k: expected_totals[k] for k in keys}


def test_the_baseline_holds_what_the_input_has(baseline, records):
    content, totals = baseline
    assert totals["read"] == len(records)
    assert totals["stored"] + totals["unchanged"] + totals["rejected"] == totals["read"]
    assert totals["unchanged"] >= 3 and totals["duplicates"] >= 15
    demoted_or_not = [r for r in content["articles"] if r[1] is not None]
    assert len(demoted_or_not) == totals["duplicates"]
    assert not content["failures"]


def test_two_workers_and_small_batches(records, baseline, tmp_path):
    store, totals = _run(tmp_path, "workers", [records], workers=2, batch_size=7)
    _same(_content(store), totals, baseline)


def test_shuffled_input(records, baseline, tmp_path):
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    store, totals = _run(tmp_path, "shuffled", [shuffled], batch_size=64)
    _same(_content(store), totals, baseline)


def test_batches_of_one(records, baseline, tmp_path):
    store, totals = _run(tmp_path, "ones", [records], batch_size=1)
    _same(_content(store), totals, baseline)


def test_split_in_two_runs_in_another_order(records, baseline, tmp_path):
    """The second run brings copies that rank before originals the first stored: those become
    duplicates and lose their analysis. Each run counts the duplicates it stored, so only the
    store (not the sum of the two reports' duplicates) is compared for those."""
    shuffled = records[:]
    random.Random(2).shuffle(shuffled)
    half = len(shuffled) // 2
    store, totals = _run(tmp_path, "split", [shuffled[:half], shuffled[half:]], workers=2)
    _same(_content(store), totals, baseline, compare_duplicates=False)
