"""Story clustering and the ECB+ story / event-linking evaluation.

Scorer numbers are worked by hand in the comments. The example clustering is the classic one of
the coreference-scoring literature: key {a,b,c} {d,e,f,g}, response {a,b} {c,d} {f,g,h,i} (e is
missed, h and i are extra).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import EVAL
from storyline.evaluate.ecbplus import (
    DEV_TOPICS,
    TEST_TOPICS,
    align_mentions,
    bcubed,
    ceaf_e,
    conll_f1,
    evaluate_stories,
    muc,
    read_corpus,
    read_document,
    score_event_linking,
    split_of,
)
from storyline.link.features import DocumentFrequencies, stopwords, text_features, weigh
from storyline.link.stories import StoryClusterer, StoryConfig, StoryInput, cluster_batch

ECBPLUS = EVAL / "ecbplus" / "ECB+"
needs_ecbplus = pytest.mark.skipif(
    not ECBPLUS.is_dir(), reason="../shared/eval/ecbplus/ECB+ is absent (ECB+ evaluation set)")

KEY = {m: 1 for m in "abc"} | {m: 2 for m in "defg"}
RESPONSE = {"a": "x", "b": "x", "c": "y", "d": "y", "f": "z", "g": "z", "h": "z", "i": "z"}


# --- scorers -------------------------------------------------------------------------------------


def test_muc_classic_example():
    # recall: {a,b,c} falls into 2 parts (3-2=1), {d,e,f,g} into {d} {e} {f,g} (4-3=1): 2 / (2+3)
    # precision: {a,b} 1 part (1), {c,d} 2 parts (0), {f,g,h,i} 3 parts (1): 2 / (1+1+3)
    assert muc(KEY, RESPONSE) == {"precision": 0.4, "recall": 0.4, "f1": 0.4}


def test_b_cubed_classic_example():
    # recall over the 7 key mentions: a 2/3, b 2/3, c 1/3, d 1/4, e 0, f 2/4, g 2/4 -> 35/12 / 7 = 5/12
    # precision over the 8 response mentions: a 1, b 1, c 1/2, d 1/2, f 1/2, g 1/2, h 0, i 0 -> 4/8
    # F1 = 2 * 1/2 * 5/12 / (1/2 + 5/12) = 5/11
    assert bcubed(KEY, RESPONSE) == {"precision": 0.5, "recall": 0.4167, "f1": 0.4545}


def test_ceaf_e_classic_example():
    # phi4: K1-R1 2*2/5 = 0.8, K1-R2 2*1/5 = 0.4, K2-R2 2*1/6 = 1/3, K2-R3 2*2/8 = 0.5;
    # best alignment K1-R1 + K2-R3 = 1.3; recall 1.3/2 key entities, precision 1.3/3 response entities
    assert ceaf_e(KEY, RESPONSE) == {"precision": 0.4333, "recall": 0.65, "f1": 0.52}


def test_conll_is_mean_of_three_f1():
    # (0.4 + 5/11 + 0.52) / 3
    assert conll_f1(KEY, RESPONSE) == pytest.approx(0.4582, abs=1e-4)
    assert conll_f1(KEY, KEY) == 1.0


def test_bcubed_documents():
    # precision: 1 -> 1, 2 -> 1/2, 3 -> 1/2; recall: 1 -> 1/2, 2 -> 1/2, 3 -> 1
    gold = {1: "A", 2: "A", 3: "B"}
    assert bcubed(gold, {1: "x", 2: "y", 3: "y"}) == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert bcubed(gold, {1: 0, 2: 0, 3: 0}) == {"precision": 0.5556, "recall": 1.0, "f1": 0.7143}
    assert bcubed(gold, gold)["f1"] == 1.0


def test_all_singletons_score_zero_muc():
    singles = {m: m for m in "abc"}
    assert muc(singles, singles)["f1"] == 0.0
    assert bcubed(singles, singles)["f1"] == 1.0


# --- ECB+ reader and event-linking plumbing ----------------------------------------------------

_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Document doc_name="{name}" doc_id="X">
<token t_id="1" sentence="0" number="0">Crews</token>
<token t_id="2" sentence="0" number="1">fought</token>
<token t_id="3" sentence="0" number="2">a</token>
<token t_id="4" sentence="0" number="3">fire</token>
<token t_id="5" sentence="0" number="4">.</token>
<token t_id="6" sentence="1" number="0">The</token>
<token t_id="7" sentence="1" number="1">blaze</token>
<token t_id="8" sentence="1" number="2">spread</token>
<token t_id="9" sentence="1" number="3">out</token>
<token t_id="10" sentence="1" number="4">fast</token>
<Markables>
<ACTION_OCCURRENCE m_id="1"><token_anchor t_id="2"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="2"><token_anchor t_id="4"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="3"><token_anchor t_id="7"/></ACTION_OCCURRENCE>
<NEG_ACTION_OCCURRENCE m_id="4"><token_anchor t_id="8"/><token_anchor t_id="10"/></NEG_ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="5"><token_anchor t_id="1"/></HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="9" TAG_DESCRIPTOR="fire" instance_id="ACT1"/>
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="10" note="ACT1">
<source m_id="2"/><source m_id="3"/><target m_id="9"/>
</CROSS_DOC_COREF>
<INTRA_DOC_COREF r_id="11"><source m_id="1"/><target m_id="12"/></INTRA_DOC_COREF>
</Relations>
</Document>
"""


def _write_corpus(root: Path) -> None:
    for topic in (1, 2, 36):
        (root / str(topic)).mkdir(parents=True)
        for n in (1, 2):
            for half in ("ecb", "ecbplus"):
                name = f"{topic}_{n}{half}.xml"
                (root / str(topic) / name).write_text(_XML.format(name=name), "utf-8")


def test_read_document(tmp_path: Path):
    _write_corpus(tmp_path)
    doc = read_document(tmp_path / "2" / "2_1ecbplus.xml")
    assert (doc.doc_id, doc.topic, doc.half, doc.subtopic, doc.split) == ("2_1ecbplus", 2, "ecbplus",
                                                                          "2ecbplus", "dev")
    assert doc.text == "Crews fought a fire .\nThe blaze spread out fast"
    assert doc.sentences == (0,) * 5 + (1,) * 5
    by_id = {m.m_id: m for m in doc.mentions}
    assert set(by_id) == {"1", "2", "3", "4"}  # the participant and the descriptor are not events
    assert by_id["2"].cluster == by_id["3"].cluster == "ACT1"
    assert by_id["1"].cluster == "2_1ecbplus/intra/11"
    assert by_id["4"].cluster == "2_1ecbplus/4"
    assert [doc.text[s:e] for s, e in by_id["4"].token_spans] == ["spread", "fast"]
    assert by_id["4"].overlaps(doc.text.index("fast"), len(doc.text))
    assert not by_id["4"].overlaps(doc.text.index("out"), doc.text.index("out") + 3)


def test_splits():
    assert split_of(2) == "dev" and split_of(36) == "test" and split_of(1) == "train"
    assert DEV_TOPICS == {2, 5, 12, 18, 21, 23, 34, 35} and TEST_TOPICS == set(range(36, 46))


def test_align_prefers_the_tightest_overlap(tmp_path: Path):
    _write_corpus(tmp_path)
    doc = read_document(tmp_path / "1" / "1_1ecb.xml")
    spread = next(m for m in doc.mentions if m.m_id == "4")
    start = doc.text.index("spread")
    # "spread out" and "spread" overlap the trigger equally (6 characters): the tighter wins
    found = align_mentions([spread], [("1_1ecb", start, start + 10, "wide"),
                                      ("1_1ecb", start, start + 6, "tight"),
                                      ("1_2ecb", start, start + 6, "other doc")])
    assert found == {("1_1ecb", "4"): "tight"}
    # covering both trigger tokens overlaps more than covering one
    whole = align_mentions([spread], [("1_1ecb", start, len(doc.text), "whole"),
                                      ("1_1ecb", start, start + 6, "tight")])
    assert whole == {("1_1ecb", "4"): "whole"}


def test_event_linking_scores_found_mentions_only(tmp_path: Path):
    _write_corpus(tmp_path)
    docs = [read_document(tmp_path / "1" / f"1_{n}ecb.xml") for n in (1, 2)]
    gold = [m for d in docs for m in d.mentions]
    # predict every gold mention but "fought", clustering them exactly as the gold does
    predicted = [(m.doc_id, m.start, m.end, m.cluster) for m in gold if m.m_id != "1"]
    result = score_event_linking(docs, predicted)
    assert result == {"event_conll_f1": 1.0, "mention_recall": 0.75, "gold_mentions": 8}


def test_evaluate_stories_on_a_small_corpus(tmp_path: Path):
    _write_corpus(tmp_path)
    seen: list[list[str]] = []

    def link(docs):
        seen.append([d.doc_id for d in docs])
        return [(m.doc_id, m.start, m.end, m.cluster) for d in docs for m in d.mentions]

    result = evaluate_stories(tmp_path, link_events=link)
    assert set(result) == {"dev", "test"}
    assert seen == [["2_1ecb", "2_1ecbplus", "2_2ecb", "2_2ecbplus"],
                    ["36_1ecb", "36_1ecbplus", "36_2ecb", "36_2ecbplus"]]
    test = result["test"]
    assert test["documents"] == 4 and test["gold_stories"] == 2
    assert set(test["bcubed"]) == {"precision", "recall", "f1"}
    assert test["event_conll_f1"] == 1.0 and test["mention_recall"] == 1.0
    # identical texts in both halves: one story, so recall 1 and precision 1/2
    assert test["bcubed"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert "event_conll_f1" not in evaluate_stories(tmp_path)["dev"]


# --- features ------------------------------------------------------------------------------------


def test_features_split_words_and_names():
    counts = text_features("The mayor of Springfield said 14 homes burned in 2019.\nSpringfield mourns.")
    assert counts["n:springfield"] == 1  # the second opens a sentence: a word, not a known name
    assert counts["t:springfield"] == 2
    assert counts["#:14"] == 1 and "t:14" not in counts
    assert counts["y:2019"] == 1
    assert "t:said" not in counts and "t:the" not in counts
    assert "the" in stopwords() and "http" in stopwords()


def test_weigh_gives_unit_vectors():
    df = DocumentFrequencies()
    for text in ("Floods hit Lagos.", "Floods hit Dhaka.", "A fire in Porto."):
        df.observe(text_features(text))
    vector = weigh(text_features("Floods hit Lagos."), df, name_weight=1.0)
    assert sum(w * w for w in vector.values()) == pytest.approx(1.0)
    assert vector["t:lagos"] > vector["t:floods"]  # rarer words weigh more
    assert weigh(text_features("the of and"), df, 1.0) == {}


# --- story clustering ----------------------------------------------------------------------------

QUAKE_A = [
    "A strong earthquake struck the island of Velora on Monday, flattening homes in Port Anselm. "
    "Officials in Velora said 31 people died and rescuers in Port Anselm worked through the night.",
    "Rescuers in Port Anselm pulled survivors from collapsed homes after the Velora earthquake. "
    "The toll rose to 31 dead, the Velora governor said.",
    "The Velora earthquake left 31 dead. Aid reached Port Anselm, where many homes collapsed.",
]
QUAKE_B = [
    "An earthquake shook the mountain town of Kestrin in Dravia, killing 7 people. "
    "Rescue teams from Dravia searched the rubble in Kestrin.",
    "Dravia sent soldiers to Kestrin after the earthquake killed 7 people and damaged the old bridge.",
    "In Kestrin, survivors of the Dravia earthquake slept outside; 7 people were killed.",
]
LAUNCH = [
    "Orbitex unveiled the Lumen phone in Hallberg, with a larger battery and a faster chip.",
    "The Lumen phone from Orbitex goes on sale next month; Orbitex showed it in Hallberg.",
]


def _inputs(texts: list[str], prefix: str, **extra) -> list[StoryInput]:
    return [StoryInput(f"{prefix}{i}", t, **extra) for i, t in enumerate(texts)]


def _groups(ids: list[str], labels: list[str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for doc_id, label in zip(ids, labels, strict=True):
        out.setdefault(label, set()).add(doc_id)
    return {frozenset(g) for g in out.values()}


EXPECTED = {frozenset({"a0", "a1", "a2"}), frozenset({"b0", "b1", "b2"}), frozenset({"l0", "l1"})}


def test_batch_keeps_two_earthquakes_apart():
    docs = _inputs(QUAKE_A, "a") + _inputs(QUAKE_B, "b") + _inputs(LAUNCH, "l")
    assert _groups([d.id for d in docs], cluster_batch(docs)) == EXPECTED


def test_one_at_a_time_in_any_order_after_refine():
    docs = _inputs(QUAKE_A, "a") + _inputs(QUAKE_B, "b") + _inputs(LAUNCH, "l")
    for order in (docs, docs[::-1], docs[1::2] + docs[::2]):
        clusterer = StoryClusterer()
        for doc in order:
            clusterer.add(doc)
        clusterer.refine()
        groups = _groups([d.id for d in docs], [clusterer.story_of(d.id) for d in docs])
        assert groups == EXPECTED


def test_add_returns_story_and_ignores_repeats():
    clusterer = StoryClusterer()
    first = clusterer.add(StoryInput("a0", QUAKE_A[0]))
    assert clusterer.add(StoryInput("a1", QUAKE_A[1])) == first
    assert clusterer.add(StoryInput("l0", LAUNCH[0])) != first
    assert clusterer.add(StoryInput("a0", "something else entirely")) == first
    assert sum(len(s.articles) for s in clusterer.stories()) == 3


def test_same_text_years_apart_stays_apart():
    visit = ("President Arlen of Norvia arrived in Tessaly for talks with Prime Minister Quill "
             "on trade and a new gas pipeline.")
    docs = [StoryInput("v1", visit, published=date(2014, 5, 20)),
            StoryInput("v2", visit + " Quill welcomed Arlen.", published=date(2014, 5, 21)),
            StoryInput("v3", visit, published=date(2024, 5, 16))]
    labels = cluster_batch(docs)
    assert labels[0] == labels[1] != labels[2]
    assert len(set(cluster_batch([StoryInput(d.id, d.text) for d in docs]))) == 1  # no dates: one


def test_shared_event_keys_and_actors_pull_articles_together():
    a = StoryInput("x", "Talks resumed on Tuesday after a long pause.", events=("ev-17",), actors=("NOR",))
    b = StoryInput("y", "Negotiators met again in the evening.", events=("ev-17",), actors=("NOR",))
    apart = cluster_batch([StoryInput("x", a.text), StoryInput("y", b.text)])
    assert apart[0] != apart[1]
    together = cluster_batch([a, b])
    assert together[0] == together[1]


def test_story_has_title_period_articles_events():
    clusterer = StoryClusterer()
    clusterer.add_many([
        StoryInput("a0", QUAKE_A[0], title="Quake hits Velora", published=date(2021, 3, 2), events=("e1",)),
        StoryInput("a1", QUAKE_A[1], published=date(2021, 3, 4), events=("e1", "e2")),
        StoryInput("a2", QUAKE_A[2], published=date(2021, 3, 3)),
        StoryInput("l0", LAUNCH[0], published=date(2021, 3, 3)),
    ])
    story = clusterer.stories()[0]
    assert set(story.articles) == {"a0", "a1", "a2"}
    assert (story.start, story.end) == (date(2021, 3, 2), date(2021, 3, 4))
    assert story.events == ("e1", "e2")
    assert story.title in {"Quake hits Velora", QUAKE_A[1][:117].rsplit(" ", 1)[0] + "...", QUAKE_A[2]}
    assert clusterer.stories()[1].title == LAUNCH[0]
    assert clusterer.story(story.id) == story
    assert clusterer.articles_of(story.id) == list(story.articles)
    assert clusterer.story("nope") is None and clusterer.articles_of("nope") == []


def test_threshold_controls_granularity():
    docs = _inputs(QUAKE_A, "a") + _inputs(QUAKE_B, "b")
    assert len(set(cluster_batch(docs, StoryConfig(threshold=0.99)))) == 6
    assert len(set(cluster_batch(docs, StoryConfig(threshold=0.0)))) <= 2


# --- ECB+ floors ---------------------------------------------------------------------------------


@needs_ecbplus
@pytest.mark.shared
@pytest.mark.slow
def test_ecbplus_story_floor():
    result = evaluate_stories(ECBPLUS)
    assert result["test"]["documents"] == 210 and result["dev"]["documents"] == 197
    assert result["test"]["bcubed"]["f1"] >= 0.95  # reached 0.9615
    assert result["dev"]["bcubed"]["f1"] >= 0.93  # reached 0.9394


@needs_ecbplus
@pytest.mark.shared
@pytest.mark.slow
def test_ecbplus_reader_counts_and_oracle_linking():
    docs = read_corpus(ECBPLUS)
    assert len(docs) == 982
    validated = {s: sum(m.validated for d in docs if d.split == s for m in d.mentions)
                 for s in ("train", "dev", "test")}
    assert validated == {"train": 3808, "dev": 1245, "test": 1780}  # the counts of the literature
    result = evaluate_stories(ECBPLUS, link_events=lambda part: [
        (m.doc_id, m.start, m.end, m.cluster) for d in part for m in d.mentions])
    assert result["test"]["event_conll_f1"] == 1.0 and result["test"]["mention_recall"] == 1.0
