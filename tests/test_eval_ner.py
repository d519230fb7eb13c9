"""NER on UNER English EWT: the actor layer never lowers F1 below the bare spaCy model."""

from __future__ import annotations

import json

import pytest

from conftest import EVAL, needs_shared
from storyline.evaluate.ner import spans_from_tags

UNER = EVAL / "uner-english-ewt" / "en_ewt-ud-test.iob2"


def test_iob2_spans():
    assert spans_from_tags(["B-PER", "I-PER", "O", "B-LOC", "B-ORG", "I-ORG"]) == {
        (0, 2, "PER"), (3, 4, "LOC"), (4, 6, "ORG")}
    assert spans_from_tags(["I-LOC", "O"]) == {(0, 1, "LOC")}


@needs_shared
@pytest.mark.shared
@pytest.mark.slow
def test_actor_layer_does_not_lower_f1(cli):
    code, stdout, _ = cli("eval", "ner", str(UNER), "--json")
    assert code == 0
    report = json.loads(stdout)
    assert report["sentences"] > 2000
    assert report["micro"]["f1"] >= report["bare"]["micro"]["f1"]
    assert set(report["per_type"]) == {"PER", "ORG", "LOC"}
