"""Stage registry and pipeline: wiring checks, config, isolation of bad articles."""

from __future__ import annotations

import pytest

from storyline.errors import InputRejected, Msg, StorylineError
from storyline.model import Article
from storyline.pipeline import DEFAULT_STAGES, Pipeline, Stage, stage


def test_default_pipeline_is_wired():
    pipeline = Pipeline.from_config()
    assert tuple(s.name for s in pipeline.stages) == DEFAULT_STAGES
    for st in pipeline.stages:
        assert st.provides, f"{st.name} declares what it provides"


def test_unknown_stage_and_missing_requirement():
    with pytest.raises(StorylineError) as info:
        Pipeline.from_config({"stages": ["main_text", "nope"]})
    assert info.value.code == "E100" and "clean" in info.value.hint
    with pytest.raises(StorylineError) as info:
        Pipeline.from_config({"stages": ["metadata"]})
    assert info.value.code == "E101"


@stage("test_explode", requires=["raw"], provides=["boom"])
class Explode(Stage):
    def process(self, article: Article) -> Article:
        if "bad" in article.text:
            raise ValueError("cannot handle this one")
        if "reject" in article.text:
            raise InputRejected(Msg.E012, words=1, minimum=2)
        return article


@stage("test_batched", requires=["raw"], provides=["batched"])
class Batched(Stage):
    def pipe(self, articles):
        if any("bad" in a.text for a in articles):
            raise RuntimeError("batch failed")
        for a in articles:
            a.hints["seen"] = a.hints.get("seen", 0) + 1
        return list(articles)


def test_failures_become_rejections_and_the_batch_goes_on():
    pipeline = Pipeline([Explode(), Batched()])
    batch = [Article(origin=o, text=t) for o, t in
             [("1", "good"), ("2", "bad one"), ("3", "reject me"), ("4", "fine")]]
    result = pipeline.pipe(batch)
    assert [a.origin for a in result.articles] == ["1", "4"]
    assert {(r.origin, r.stage, r.code) for r in result.rejections} == {
        ("2", "test_explode", "E015"), ("3", "test_explode", "E012")}
    assert all(a.hints["seen"] == 1 for a in result.articles)
    assert "cannot handle this one" in result.rejections[0].reason


def test_batched_stage_failure_is_isolated_to_the_bad_article():
    result = Pipeline([Batched()]).pipe([Article(origin="a", text="ok"),
                                         Article(origin="b", text="bad"),
                                         Article(origin="c", text="ok too")])
    assert [a.origin for a in result.articles] == ["a", "c"]
    assert [r.origin for r in result.rejections] == ["b"]


def test_segments_alternate_per_article_and_cross_article_runs():
    segments = Pipeline.from_config().segments()
    assert [cross for cross, _ in segments] == [False, True, False]
    assert [s.name for s in segments[1][1].stages] == ["dedup"]
    assert [s.name for s in segments[2][1].stages] == ["annotate", "extract"]
    per_article, rest = Pipeline.from_config().split()
    assert all(not s.cross_article for s in per_article.stages)
