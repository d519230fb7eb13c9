"""PLOVER events (first version, not yet in the ingest pipeline): trigger types, actors and
recipients from the parse, host/visitor, passives, modality."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def events():
    from storyline.annotate.actors import ActorAnnotator
    from storyline.annotate.nlp import load_nlp
    from storyline.annotate.places import resolve_places
    from storyline.extract.events import EventExtractor

    nlp, annotator, extractor = load_nlp(), ActorAnnotator(), EventExtractor()

    def run(text: str):
        doc = nlp(text)
        mentions, actors = annotator.annotate(doc)
        found = extractor.extract(doc, mentions, actors, [], resolve_places(doc))
        return [(e.type, e.actors, e.recipients, e.modality) for e in found]

    return run


def test_visit_future_and_object_decides_type(events):
    found = events("Brazil's president will visit Indonesia next week. "
                   "Kenya and Ethiopia signed an agreement on the border.")
    assert ("CONSULT", ["BRA"], ["IDN"], "future") in found
    assert any(t == "AGREE" and set(a) == {"KEN", "ETH"} for t, a, _, _ in found)


def test_host_visitor_inversion(events):
    found = events("Egypt hosted Sudan's foreign minister in Cairo on Monday.")
    assert ("CONSULT", ["SDN"], ["EGY"], "asserted") in found


def test_passive_agent_and_negation(events):
    found = events("Three journalists were detained by Iranian police. "
                   "Japan did not condemn the decision by France.")
    assert any(t == "COERCE" and a == ["IRN"] for t, a, _, _ in found)
    assert any(t == "ACCUSE" and m == "negated" for t, _, _, m in found)


def test_eval_command_reports_the_petrarch_counts(cli, tmp_path):
    import json

    gold = tmp_path / "events.jsonl"
    gold.write_text(json.dumps({"text": "Germany sent aid to Turkey after the earthquake.",
                                "date": "2023-02-08",
                                "events": [{"type": "AID", "actors": ["DEU"],
                                            "recipients": ["TUR"]}]}) + "\n")
    code, stdout, _ = cli("eval", "events", str(gold), "--json")
    report = json.loads(stdout)
    assert code == 0 and report["correct"] == 1 and report["missed"] == 0
    assert report["recipient_accuracy"] == 1.0
