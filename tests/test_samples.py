"""The bundled sample corpus against its manifest: cleaning, captions, repairs, dates, outlets,
near duplicates — every article, every format (plain text, HTML, gzip, JSONL)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from storyline.ingest.run import ingest_paths, sample_corpus_path
from storyline.store.duplicates import rank_of
from storyline.store.sqlite import Store

MANIFEST = json.loads(resources.files("storyline").joinpath("samples", "manifest.json")
                      .read_text("utf-8"))


def key(entry: dict) -> str:
    return entry["file"] + (f":{entry['line']}" if entry["line"] else "")


PAIRS = {k: v for e in MANIFEST if e["duplicate_of"]
         for k, v in ((key(e), e["duplicate_of"]), (e["duplicate_of"], key(e)))}


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> dict[str, object]:
    store = Store(tmp_path_factory.mktemp("samples") / "samples.db")
    report = ingest_paths([str(sample_corpus_path())], store)
    assert report.rejected == 0 and report.stored == len(MANIFEST) >= 20
    root = str(sample_corpus_path()) + "/"
    return {a.origin.removeprefix(root): a for a in store.iter_articles()}


def outlet_key(name: str | None) -> str:
    name = (name or "").casefold().strip()
    return name.removeprefix("the ")


def test_corpus_shape():
    formats = {e["file"].rsplit(".", 1)[-1] for e in MANIFEST}
    assert {"txt", "html", "gz", "jsonl"} <= formats
    stories = {e["cluster"] for e in MANIFEST}
    assert len(stories) >= 3
    assert sum(e["published"] is None for e in MANIFEST) >= 4


@pytest.mark.parametrize("entry", MANIFEST, ids=key)
def test_article_matches_manifest(stored, entry):
    article = stored[key(entry)]
    for noise in entry["must_drop"]:
        assert noise not in article.text, noise
    for sentence in entry["must_keep"]:
        assert sentence in article.text, sentence
    for caption in entry["captions"]:
        assert caption in article.captions and caption not in article.text
    for heading, start in entry["glued"]:
        assert f"{heading}\n\n{start}" in article.text
    for doubled in entry["repeated_words"]:
        assert doubled not in article.text
    assert article.published == entry["published"]
    if entry["published"]:
        # A page's date may be read from its metadata or its URL; both are right when they agree.
        allowed = {entry["published_method"]} | ({"html-meta"} if entry["published_method"] == "url"
                                                  and entry["file"].endswith((".html", ".gz"))
                                                  else set())
        assert article.published_method in allowed
    assert outlet_key(article.source) == outlet_key(entry["outlet"])
    partner = PAIRS.get(key(entry))
    if partner is None:
        assert article.duplicate_of is None
    else:
        # a near-duplicate pair: the copy that ranks first (earlier publication date, then
        # the smaller id) is the original, whichever came first
        other = stored[partner]
        original, copy = sorted((article, other), key=lambda a: rank_of(a.published, a.id))
        assert original.duplicate_of is None and copy.duplicate_of == original.id


def test_worker_processes_give_the_same_store(tmp_path, stored):
    store = Store(tmp_path / "workers.db")
    report = ingest_paths([str(sample_corpus_path())], store, workers=2)
    assert report.stored == len(stored)
    assert {a.id for a in store.iter_articles()} == {a.id for a in stored.values()}
    again = ingest_paths([str(sample_corpus_path())], store, workers=2)
    assert (again.stored, again.unchanged) == (0, len(stored))
