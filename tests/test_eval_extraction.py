"""Main-text extraction floor on the shared benchmark (trafilatura + storyline cleaning)."""

from __future__ import annotations

import json

import pytest

from conftest import EVAL, needs_shared
from storyline.evaluate.extraction import prf

BENCH = EVAL / "article-extraction-benchmark"
FLOOR = 0.95


def test_shingle_metric():
    assert prf("a b c d e", "a b c d e") == (1.0, 1.0, 1.0)
    p, r, f = prf("one two three four five six", "one two three four")
    assert (p, round(r, 3)) == (1.0, 0.333)
    assert prf("one two three four", "") == (0.0, 0.0, 0.0)


@needs_shared
@pytest.mark.shared
@pytest.mark.slow
def test_extraction_f1_floor(cli):
    code, stdout, _ = cli("eval", "extraction", str(BENCH), "--json")
    assert code == 0
    report = json.loads(stdout)
    assert report["documents"] == 181
    assert report["mean"]["f1"] >= FLOOR, report["mean"]
