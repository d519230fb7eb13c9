"""Cross-document event linking on real news (gold/real/links-*.jsonl): the gold checks against
../shared, the scorer gives known numbers on a small made-up case, and storyline keeps its
dev level (floors just below the figures measured when the gold was made; see the README)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from conftest import EVAL, ROOT
from storyline.evaluate.links import align, score_links

GOLD = ROOT / "gold" / "real"
needs_ecbplus = pytest.mark.skipif(
    not (EVAL / "ecbplus").is_dir(),
    reason="../shared/eval/ecbplus is absent (the gold holds only references into ECB+)")


@needs_ecbplus
@pytest.mark.shared
def test_gold_checker_passes():
    spec = importlib.util.spec_from_file_location("check_links", GOLD / "check_links.py")
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    problems: list[str] = []
    counts = check.check(str(EVAL), problems)
    assert problems == []
    assert counts["dev linked clusters"] + counts["test linked clusters"] >= 60


def test_gold_splits_follow_topics():
    topics = {}
    for split in ("dev", "test"):
        for line in (GOLD / f"links-{split}.jsonl").read_text().splitlines():
            record = json.loads(line)
            assert record["split"] == split
            for m in record["mentions"]:
                topic = m["doc"].split("/")[1]
                assert topics.setdefault(topic, split) == split


# A: three documents, B: two, C: one. Found: A0, A1 in linked event x, A2 in y; B0 wrongly in
# x; B1 not found; C0 in y with A2.
GOLD_CASE = [
    {"id": "A", "mentions": [{"doc": "d1"}, {"doc": "d2"}, {"doc": "d3"}]},
    {"id": "B", "mentions": [{"doc": "d1"}, {"doc": "d4"}]},
    {"id": "C", "mentions": [{"doc": "d2"}]},
]
FOUND_CASE = {("A", 0): "x", ("A", 1): "x", ("A", 2): "y", ("B", 0): "x", ("C", 0): "y"}


def test_scorer_known_numbers():
    report = score_links(GOLD_CASE, FOUND_CASE)
    assert report["gold_mentions"] == 6 and report["found_mentions"] == 5
    assert report["mention_recall"] == pytest.approx(5 / 6, abs=1e-4)
    assert report["gold_linked_clusters"] == 2 and report["linked_clusters_found"] == 1
    # cross-document pairs: gold A0-A1, A0-A2, A1-A2; predicted A0-A1, A1-B0, A2-C0 (A0-B0 and
    # A1-C0 share a document and do not count)
    pw = report["pairwise"]
    assert (pw["gold_pairs"], pw["predicted_pairs"], pw["correct"]) == (3, 3, 1)
    assert pw["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert pw["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["bcubed"]["precision"] == pytest.approx(8 / 15, abs=1e-3)
    assert report["bcubed"]["recall"] == pytest.approx(11 / 15, abs=1e-3)


def test_scorer_perfect_and_empty():
    perfect = score_links(GOLD_CASE, {("A", 0): 1, ("A", 1): 1, ("A", 2): 1, ("B", 0): 2,
                                      ("B", 1): 2, ("C", 0): 3})
    assert perfect["pairwise"]["precision"] == perfect["pairwise"]["recall"] == 1.0
    assert perfect["bcubed"]["f1"] == 1.0 and perfect["mention_recall"] == 1.0
    empty = score_links(GOLD_CASE, {})
    assert empty["found_mentions"] == 0 and empty["pairwise"]["f1"] == 0.0


def test_align_needs_the_type_and_an_overlapping_sentence():
    gold = [{"id": "A", "mentions": [
        {"doc": "d1", "start": 10, "end": 18, "type": "COERCE"},
        {"doc": "d1", "start": 50, "end": 55, "type": "ASSAULT"},
        {"doc": "d2", "start": 5, "end": 9, "type": "COERCE"}]}]
    events = {
        "d1": [("COERCE", (0, 40), (30, 35), "far"), ("COERCE", (0, 40), (12, 16), "near"),
               ("ASSAULT", (0, 40), (2, 5), "other-sentence")],
        "d2": [("ACCUSE", (0, 20), (5, 9), "wrong-type")],
    }
    assert align(gold, events) == {("A", 0): "near"}


@needs_ecbplus
@pytest.mark.slow
@pytest.mark.shared
def test_dev_floor(cli):
    code, stdout, _ = cli("eval", "links", str(GOLD / "links-dev.jsonl"), "--split", "dev",
                          "--json")
    report = json.loads(stdout)
    assert code == 0 and report["gold_linked_clusters"] >= 25
    # measured P 0.933 (28/30), R 0.800 (28/35), mention recall 0.411, BCubed F1 0.938: the
    # issue's targets (P >= 0.90, R >= 0.75) hold on dev
    assert report["mention_recall"] >= 0.38
    assert report["pairwise"]["precision"] >= 0.90
    assert report["pairwise"]["recall"] >= 0.75
    assert report["bcubed"]["f1"] >= 0.92
