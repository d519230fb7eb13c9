"""The learned event typer: features, scores, the shipped weights, and that training again on
the project's annotations reproduces the shipped file byte for byte."""

from __future__ import annotations

import pytest

from conftest import ROOT, needs_shared


@pytest.fixture(scope="module")
def nlp():
    from storyline.annotate.nlp import load_nlp

    return load_nlp()


def test_features_are_normalised_and_name_blind(nlp):
    from storyline.extract.events.classifier import sentence_features

    one = sentence_features(next(nlp("Police in Lagos arrested John Okafor on Monday.").sents))
    assert not any(name in f for f in one for name in ("lagos", "okafor", "monday"))
    assert abs(sum(v * v for v in one.values()) - 1) < 1e-9  # names become their entity kind
    assert "v:arrest" in one and any(f.startswith("vo:arrest|<") for f in one)


def test_shipped_typer_loads_and_scores(nlp):
    from storyline.extract.events.classifier import ANY, EventTyper

    typer = EventTyper.load()
    assert len(typer.labels) == 17 and ANY in typer.labels
    meta = typer.meta
    assert all("dev" not in f and "test" not in f for f in meta["files"])
    arrest = typer.predict(next(nlp("Police arrested twelve protesters in the capital.").sents))
    weather = typer.predict(next(nlp("It was sunny and warm across the region on Sunday.").sents))
    assert arrest["COERCE"] > weather["COERCE"] and arrest[ANY] > weather[ANY]
    assert all(0.0 <= p <= 1.0 for p in arrest.values())


@needs_shared
@pytest.mark.slow
@pytest.mark.shared
def test_training_again_reproduces_the_shipped_weights():
    pytest.importorskip("sklearn", reason="training needs scikit-learn (pip install '.[train]')")
    from importlib import resources

    from storyline.extract.events.classifier import WEIGHTS
    from storyline.extract.events.training import train

    data, meta = train(ROOT / "gold")
    shipped = resources.files("storyline.data").joinpath(WEIGHTS).read_bytes()
    assert data == shipped, "retrain with `storyline train events` and commit the weights"
