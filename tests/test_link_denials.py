"""Issue 15: linking respects modality (a denial is its own linked item, never a source of the
event it denies), generated story headlines, briefings that lead with the main event and cite
outlet and date, and no dateline as a story title."""

from __future__ import annotations

import json

import pytest

from conftest import needs_shared

RAID = {
    "a.txt": "Chad bombs refugee camp near Niger border\n\nNDJAMENA, March 3, 2025 - Chad's air "
             "force bombed a refugee camp in Niger on Monday, killing at least twelve people, "
             "local officials said.\n\nWitnesses said two aircraft dropped bombs on the camp "
             "shortly after dawn.",
    "b.txt": "Air raid on Niger camp leaves twelve dead\n\nNIAMEY, March 4, 2025 - Chadian "
             "warplanes bombed a refugee camp in Niger on Monday, killing twelve people, the "
             "United Nations refugee agency said on Tuesday.\n\nThe agency said it had moved "
             "part of its staff away from the border after the raid.",
    "c.txt": "Chad denies bombing camp in Niger\n\nNDJAMENA, March 4, 2025 - Chad did not bomb "
             "the refugee camp in Niger, a government spokesman said on Tuesday, calling the "
             "reports false.\n\nThe spokesman said Chad's air force had not carried out any raid "
             "near the border on Monday.",
}


@pytest.fixture(scope="module")
def raid(tmp_path_factory):
    from storyline.ingest.run import ingest_paths
    from storyline.store.sqlite import Store

    folder = tmp_path_factory.mktemp("raid")
    for name, text in RAID.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = Store(folder / "raid.db")
    ingest_paths([str(folder)], store)
    by_file = {a.origin.rsplit("/", 1)[-1]: a.id for a in store.iter_articles()}
    [story] = store.list_stories()
    return store, story, by_file


def test_a_denial_is_never_a_source_of_the_event_it_denies(raid):
    from storyline.report.timeline import timeline

    store, story, by_file = raid
    entries = timeline(store.conn, story=story["id"])["entries"]
    asserted = [e for e in entries if e["type"] == "ASSAULT" and not e["polarity"]]
    denials = [e for e in entries if e["polarity"] == "negated"]
    assert asserted and denials
    for e in asserted:
        assert by_file["c.txt"] not in {s["article_id"] for s in e["sources"]}
    [bombing] = [e for e in asserted if e["summary"] == "Chad attacks Niger"]
    assert {s["article_id"] for s in bombing["sources"]} == {by_file["a.txt"], by_file["b.txt"]}
    assert any(d["denies"] == bombing["id"] and d["summary"].startswith("denied: ")
               for d in denials)
    assert {s["article_id"] for d in denials for s in d["sources"]} == {by_file["c.txt"]}


def test_headline_is_generated_from_the_main_event(raid):
    _, story, _ = raid
    assert story["headline"].startswith("3 Mar 2025 — Chad attacks Niger (2 sources)")
    assert story["headline"].endswith("; denied (1)")
    assert story["title"]  # the central article's own headline stays as the fallback


def test_briefing_leads_with_the_event_and_cites_outlet_and_date(raid, cli):
    from storyline.report.brief import as_text, brief

    store, story, by_file = raid
    data = brief(store.conn, story=story["id"])
    lead = data["sentences"][0]
    assert lead["polarity"] == "" and set(lead["article_ids"]) == {by_file["a.txt"],
                                                                   by_file["b.txt"]}
    denial = [s for s in data["sentences"] if s["polarity"] == "negated"]
    assert denial and any(s["denies"] == lead["linked_id"] for s in denial)
    assert all(src["published"] for s in data["sentences"] for src in s["sources"])
    text = as_text(data)
    assert "Denied: " in text and "2025-03-03" in text.splitlines()[2]
    # spans of time are not set against each other as one figure
    assert not [d for d in data["disagreements"] if "day" in json.dumps(d)]


@pytest.mark.slow
@needs_shared
def test_no_story_title_or_headline_is_a_dateline(tmp_path, cli):
    """Real ECB+ documents (the hook's shape: URL line, headline, dateline): no story is titled
    with a date or an update stamp, and stories with events carry generated headlines."""
    from realcorpora import ecbplus_documents
    from storyline.evaluate.ecbplus import reconstructed_text
    from storyline.meta.dates import parse_dateline

    docs = [d for d in ecbplus_documents() if d.doc_id.endswith("ecbplus")][::8][:60]
    path = tmp_path / "ecb.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps({"text": reconstructed_text(doc)}) + "\n")
    db = str(tmp_path / "ecb.db")
    assert cli("ingest", str(path), "--db", db)[0] in (0, 3)  # 3: a document too short
    code, stdout, _ = cli("stories", "--db", db, "--json", "--limit", "500")
    stories = json.loads(stdout)
    assert code == 0 and stories
    for s in stories:
        for line in (s["title"], s["headline"]):
            assert line and parse_dateline(line) is None, line
            assert not line.replace(" ", "").startswith("http"), line
    generated = [s for s in stories if s["headline"] != s["title"]]
    assert generated and all(s["headline"].endswith(("sources)", ")")) for s in generated)


@pytest.mark.slow
@needs_shared
def test_real_topics_never_cite_a_denial_as_a_source(tmp_path, cli):
    """ECB+ topics with denials in them (the Sudan air raid on a refugee camp, the Indian navy
    and the pirates): no asserted timeline entry or briefing sentence rests on a negated or
    hypothetical mention."""
    from realcorpora import ecbplus_documents, ecbplus_records
    from storyline.report.brief import brief
    from storyline.report.timeline import timeline
    from storyline.store.sqlite import Store

    docs = [d for d in ecbplus_documents() if d.doc_id.split("_")[0] in {"12", "41"}]
    path = tmp_path / "topics.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ecbplus_records(False, docs)),
                    encoding="utf-8")
    db = str(tmp_path / "t.db")
    assert cli("ingest", str(path), "--db", db)[0] in (0, 3)
    store = Store(db)
    modality = dict(store.conn.execute("SELECT id, modality FROM events"))
    assert "negated" in modality.values()  # the topics do hold denials
    stories = store.list_stories(limit=500)
    for story in stories:
        for entry in timeline(store.conn, story=story["id"])["entries"]:
            said = {modality[i] for i in entry["event_ids"]}
            if entry["polarity"]:
                assert said == {entry["polarity"]}, entry
            else:
                assert not said & {"negated", "hypothetical"}, entry
        for sentence in brief(store.conn, story=story["id"])["sentences"]:
            linked = store.conn.execute("SELECT polarity FROM linked_events WHERE id = ?",
                                        (sentence["linked_id"],)).fetchone()[0]
            assert linked == sentence["polarity"]
