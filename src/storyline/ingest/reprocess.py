"""``storyline reprocess``: run the analysis stages again on stored articles.

After an upgrade (articles an older version analysed), after a fix for a stage failure
(``failed``), or for every original (``every``). The articles leave the stories layer first
(their events leave the linked events they joined), their analysis is replaced in one transaction
per batch, and linking puts them back. Originals still waiting for their analysis are always
included.
"""

from __future__ import annotations

from typing import Any

from storyline.errors import Msg, StorylineError
from storyline.model import PIPELINE_VERSION
from storyline.pipeline import Pipeline
from storyline.store.sqlite import Store


def analysis_stages(pipeline: Pipeline) -> list[str]:
    """The stages that run on stored articles: those after the last cross-article stage."""
    segments = pipeline.segments()
    if not segments or segments[-1][0]:
        return []
    return [st.name for st in segments[-1][1].stages]


def select_articles(store: Store, *, failed: bool = False, stage: str | None = None,
                    every: bool = False) -> list[str]:
    """Which stored originals to reprocess (see the module docstring)."""
    if failed:
        chosen = set(store.failed_articles(stage))
    elif every:
        chosen = set(store.originals())
    else:
        chosen = set(store.analysed_before(PIPELINE_VERSION))
    chosen |= set(store.pending_analysis())
    return sorted(chosen)


def reprocess_articles(store: Store, pipeline: Pipeline | None = None, *, failed: bool = False,
                       stage: str | None = None, every: bool = False, workers: int = 1,
                       wait: float = 0.0) -> dict[str, Any]:
    """Reprocess the selected articles and link them again; returns counts."""
    from storyline.ingest.run import _pool, analyse_stored
    from storyline.link.run import Linker

    pipeline = pipeline or Pipeline.from_config()
    known = analysis_stages(pipeline)
    if stage is not None and stage not in known:
        raise StorylineError(Msg.E113, name=stage, known=", ".join(known) or "none")
    with store.writing(wait):
        pipeline.bind(store=store)
        ids = select_articles(store, failed=failed, stage=stage, every=every)
        linker = Linker(store)
        linker.detach(ids)
        pool = _pool(workers, pipeline)
        try:
            done = analyse_stored(ids, store, pipeline, pool, workers)
        finally:
            if pool is not None:
                pool.shutdown()
        linked = linker.link_pending()
        return {"selected": len(ids), "reprocessed": done,
                "failures": len(store.failures(limit=1_000_000)),
                "linked_events": linked.linked_events, "stories": linker.story_count()}
