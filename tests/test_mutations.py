"""Property tests: real news sentences, mutated the ways web text gets mangled (quote marks of
every kind, paired or not, spaces inside them, odd unicode, text cut anywhere, tokens split
apart), go through every stage; every stage returns and none records a failure."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import needs_shared

pytestmark = [pytest.mark.slow, pytest.mark.shared, needs_shared]

QUOTES = ['"', "“", "”", "‘", "’", "«", "»", "``", "''", "'", "„", "‹", "›"]
ODD = ["\u200b", "\u00a0", "\u2028", "\ufeff", "\u0301", "\u202e", "\U0001F600", "\t", "\r",
       "…", "—", "\u00ad", " ", "  ", "\n", "\n\n"]


def _sentences() -> list[str]:
    from realcorpora import ecbplus_documents
    from storyline.evaluate.ecbplus import reconstructed_text

    docs = ecbplus_documents()
    rng = random.Random(7)
    picked = rng.sample(docs, 60)
    out = []
    for doc in picked:
        lines = [ln for ln in reconstructed_text(doc).split("\n")[1:] if len(ln.split()) > 6]
        out.extend(lines[:6])
    return out


@pytest.fixture(scope="module")
def corpus():
    return _sentences()


@pytest.fixture(scope="module")
def pipeline():
    from storyline.pipeline import Pipeline

    p = Pipeline.from_config({"options": {"clean": {"min_words": 1}}})
    p.warm_up()
    return p


@st.composite
def mutation(draw):
    kind = draw(st.sampled_from(["quote", "quote_pair", "spaces", "odd", "cut", "split", "join"]))
    at = draw(st.floats(0, 1))
    span = draw(st.floats(0, 1))
    mark = draw(st.sampled_from(QUOTES))
    other = draw(st.sampled_from(QUOTES))
    odd = draw(st.sampled_from(ODD))
    return kind, at, span, mark, other, odd


def mutate(text: str, ops) -> str:
    for kind, at, span, mark, other, odd in ops:
        i = int(at * len(text))
        j = min(len(text), i + int(span * 40))
        if kind == "quote":
            text = text[:i] + mark + text[i:]
        elif kind == "quote_pair":  # a quoted stretch, maybe with spaces inside the marks
            text = text[:i] + mark + " " + text[i:j] + " " + other + text[j:]
        elif kind == "spaces":
            text = " ".join(text[:i].split()) + "  " + text[i:].replace(" ", "   ", 2)
        elif kind == "odd":
            text = text[:i] + odd + text[i:]
        elif kind == "cut":
            text = text[:max(i, 1)]
        elif kind == "split":  # punctuation and quotes apart from words, as tokenised text
            for p in ",.;:!?\"“”'’":
                text = text.replace(p, f" {p} ")
        elif kind == "join":
            text = text.replace(" ", "", 3)
    return text


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=4),
       ops=st.lists(mutation(), min_size=1, max_size=5))
def test_every_stage_returns_on_mutated_real_sentences(corpus, pipeline, picks, ops):
    from storyline.ingest.main_text import article_from_raw
    from storyline.model import RawDocument

    text = " ".join(corpus[p % len(corpus)] for p in picks)
    mutated = mutate(text, ops)
    raw = RawDocument(origin="mutated", fmt="text", content=mutated)
    result = pipeline.pipe([article_from_raw(raw)])
    assert not [r for r in result.rejections if r.code == "E015"], result.rejections
    for article in result.articles:
        assert not article.failures, [(f.stage, f.part, f.error) for f in article.failures]
        for q in article.quotes:
            assert 0 <= q.char_start <= q.char_end <= len(article.text)
            assert article.text[q.char_start:q.char_end] == q.content
            assert q.content == q.content.strip()
        for e in article.events:
            assert 0 <= e.char_start <= e.trigger_start < e.trigger_end <= e.char_end
