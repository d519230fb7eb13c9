"""Event coding on real news we labelled by the PLOVER manual (gold/real): the gold files are
well formed and still match ../shared, and the coder keeps its level (floors at today's figures,
below the issue's targets; see the README)."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, needs_shared

GOLD = ROOT / "gold" / "real"


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize("name", ["events-dev.jsonl", "events-test.jsonl",
                                  "events-train-a.jsonl", "events-train-b.jsonl"])
def test_gold_files_check_and_match_the_shared_text(name):
    import importlib.util

    spec = importlib.util.spec_from_file_location("check", GOLD / "check.py")
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    assert check.check(GOLD / name, partial=name.startswith("events-train")) == []


def test_dev_and_test_passages_are_apart_from_training():
    def docs(name):
        return {json.loads(line)["doc"] for line in (GOLD / name).read_text().splitlines()}

    train = docs("passages-train.jsonl")
    assert not train & docs("passages-dev.jsonl") and not train & docs("passages-test.jsonl")
    assert not docs("passages-dev.jsonl") & docs("passages-test.jsonl")
    test = [json.loads(line) for line in (GOLD / "events-test.jsonl").read_text().splitlines()]
    assert len(test) >= 200 and sum(not r["events"] for r in test) >= 100
    assert len({r["doc"] for r in test}) >= 150


@needs_shared
@pytest.mark.slow
@pytest.mark.shared
# measured, each passage alone: dev 0.653, test 0.301; within its document (as ingest codes
# it): dev 0.612, test 0.381 (the test split is scored only to report; the target is 0.75)
@pytest.mark.parametrize("split, f1, quiet, mode", [
    ("dev", 0.64, 0.08, ()), ("test", 0.29, 0.08, ()),
    ("dev", 0.59, 0.15, ("--in-document",)), ("test", 0.36, 0.08, ("--in-document",))])
def test_real_gold_floors(cli, split, f1, quiet, mode):
    code, stdout, _ = cli("eval", "events", str(GOLD / f"events-{split}.jsonl"), *mode, "--json")
    report = json.loads(stdout)
    assert code == 0 and report["gold"] >= 80
    assert report["micro"]["f1"] >= f1
    assert report["no_event_with_prediction"] <= quiet
    assert report["actor_accuracy"] >= 0.85
