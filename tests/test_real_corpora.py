"""Every shared real-news corpus through a plain ingest: zero stage failures, and every input
either stored or rejected with a reason (stored + rejected + already stored = read).

Real outlet text crashed the quote extractor on 58 of the 982 ECB+ documents (and 90 of 400 fed
token by token), 8 benchmark pages and 3 ConfliBERT sentences; a bug in one sentence must never
cost an article again."""

from __future__ import annotations

import pytest

from conftest import EVAL, needs_shared
from realcorpora import (
    benchmark_pages,
    conflibert_records,
    ecbplus_records,
    tempeval_records,
    write_jsonl,
)

pytestmark = [pytest.mark.slow, pytest.mark.shared, needs_shared]


def _ingest(inputs, db, **options):
    from storyline.ingest.run import ingest_paths
    from storyline.pipeline import Pipeline
    from storyline.store.sqlite import Store

    config = {"options": {"clean": {"min_words": options.pop("min_words")}}} \
        if "min_words" in options else None
    store = Store(db)
    report = ingest_paths([str(p) for p in inputs], store, Pipeline.from_config(config),
                          workers=2, **options)
    return store, report


def _assert_nothing_lost(store, report, expected_inputs: int) -> None:
    failures = store.failures(limit=100)
    assert not failures, [(f["origin"], f["stage"], f["error"]) for f in failures[:5]]
    assert not [r for r in store.rejections() if r["code"] == "E015"]
    assert report.read == expected_inputs
    assert report.stored + report.rejected + report.unchanged == report.read
    assert all(r["reason"] and r["stage"] for r in store.rejections())
    assert store.count_articles() >= report.stored


@pytest.mark.parametrize("token_joined", [False, True], ids=["reconstructed", "token-joined"])
def test_every_ecbplus_document(tmp_path, token_joined):
    path = tmp_path / "ecb.jsonl"
    n = write_jsonl(path, ecbplus_records(token_joined))
    assert n == 982
    store, report = _ingest([path], str(tmp_path / "ecb.db"))
    _assert_nothing_lost(store, report, n)
    assert report.stored > 950
    assert store.conn.execute("SELECT count(*) FROM quotes").fetchone()[0] > 1000


def test_every_benchmark_page(tmp_path):
    pages = sorted(benchmark_pages().glob("*.html.gz"))
    assert len(pages) == 181
    store, report = _ingest([benchmark_pages()], str(tmp_path / "pages.db"))
    _assert_nothing_lost(store, report, len(pages))
    assert report.stored > 170


def test_every_conflibert_sentence_and_tempeval_document(tmp_path):
    sentences = tmp_path / "conflibert.jsonl"
    n_sentences = write_jsonl(sentences, conflibert_records())
    assert n_sentences == 1344
    # one sentence each: the default least length (20 words) would keep most of them out of the
    # analysis stages, which are what this test is for
    store, report = _ingest([sentences], str(tmp_path / "sentences.db"), min_words=3)
    _assert_nothing_lost(store, report, n_sentences)
    assert report.stored > 1200

    documents = tmp_path / "tempeval.jsonl"
    n_documents = write_jsonl(documents, tempeval_records())
    assert n_documents == 256
    store, report = _ingest([documents], str(tmp_path / "tempeval.db"), min_words=3)
    _assert_nothing_lost(store, report, n_documents)


def test_shared_folders_are_there():
    for folder in ("ecbplus", "article-extraction-benchmark", "conflibert-cameo",
                   "tempeval3-tbaq"):
        assert (EVAL / folder).is_dir(), folder
