"""`storyline eval quad`: ConfliBERT-format quad classes, confusion matrix, events found, and
source/target spans; a floor on the shared ConfliBERT sentences."""

from __future__ import annotations

import json

import pytest

from conftest import EVAL, needs_shared

SENTENCES = [
    ("Kenyan police arrested 40 protesters in Nairobi on Monday.", 4),
    ("The prime minister said the economy would grow by three percent this year.", 0),
    ("Nigeria and Ghana signed a trade agreement in Abuja on Friday.", 1),
    ("France condemned Iran over the detention of two of its citizens.", 3),
]
QUAD_FLOOR = 0.74  # measured 0.754 on the dev half (target 0.75)
TOKENS = """Kenyan B-S
police I-S
arrested O
40 O
protesters B-T
in O
Nairobi O
. O
"""


def test_quad_report_on_a_small_file(tmp_path, cli):
    gold = tmp_path / "quad.tsv"
    gold.write_text("".join(f"{s}\t{c}\n" for s, c in SENTENCES), encoding="utf-8")
    spans = tmp_path / "spans.iob2"
    spans.write_text(TOKENS.replace(" ", " "), encoding="utf-8")
    code, stdout, _ = cli("eval", "quad", str(gold), "--spans", str(spans), "--json")
    assert code == 0
    report = json.loads(stdout)
    assert report["sentences"] == 4
    assert sum(sum(row.values()) for row in report["confusion"].values()) == 4
    assert report["confusion"]["4"]["4"] == 1, report["errors"]
    assert report["per_class"]["0"]["with_event"] == 0.0
    assert 0 <= report["accuracy"] <= 1
    assert report["spans"]["actors_scored"] == 1 and report["spans"]["actor_in_source"] == 1.0


def test_bad_files_are_refused(tmp_path, cli):
    bad = tmp_path / "bad.tsv"
    bad.write_text("no class here\n", encoding="utf-8")
    code, _, stderr = cli("eval", "quad", str(bad))
    assert code == 1 and "E111" in stderr


def test_split_halves_are_disjoint():
    from storyline.evaluate.quad import split_of

    halves = {split_of(s) for s, _ in SENTENCES * 10}
    assert halves <= {"dev", "test"}


@needs_shared
@pytest.mark.slow
@pytest.mark.shared
def test_conflibert_dev_floor(cli):
    """Floors on ConfliBERT's dev half (measured, never trained on): see the README."""
    code, stdout, _ = cli("eval", "quad", str(EVAL / "conflibert-cameo" / "train.tsv"),
                          "--split", "dev", "--json")
    report = json.loads(stdout)
    assert code == 0 and report["sentences"] > 600
    assert report["accuracy"] >= QUAD_FLOOR


def test_an_appeal_is_class_0_and_a_demand_verbal_conflict():
    # the PLOVER manual's CAMEO table drops 02 APPEAL and maps 10 DEMAND to REQUEST
    from storyline.evaluate.coding import Coder
    from storyline.evaluate.quad import quad_of

    coder = Coder()
    _, urged = coder.events("Germany urged Russia on Monday to withdraw its troops from the border.")
    _, demanded = coder.events("Germany demanded on Monday that Russia withdraw its troops.")
    appeal = next(e for e in urged if e.type == "REQUEST")
    demand = next(e for e in demanded if e.type == "REQUEST")
    assert (appeal.cameo, quad_of(appeal)) == ("02", 0)
    assert (demand.cameo, quad_of(demand)) == ("10", 3)
