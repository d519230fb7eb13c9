"""Cross-document event linking on ECB+: storyline's own event extraction and same-event linking
run over the ECB+ documents, for ``storyline eval stories`` (see
:func:`storyline.evaluate.ecbplus.evaluate_stories` for the scoring).

Documents are parsed, annotated and their PLOVER events extracted exactly as in ingest; stories
come from the production story clusterer; events are linked with
:func:`storyline.link.events.link_in_memory` (ECB+ documents carry no dates, so mentions link
only inside their story). Only the gold mentions this extraction finds are scored, and that recall
is reported: ECB+ annotates every action (earthquakes, acquisitions, deaths), PLOVER codes
political interaction, so most gold mentions are out of scope by design.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.evaluate.ecbplus import EcbDocument, cluster_documents


def extract_and_link(docs: Sequence[EcbDocument]) -> list[tuple[str, int, int, Any]]:
    from storyline.annotate.actors import ActorAnnotator
    from storyline.annotate.nlp import load_nlp
    from storyline.annotate.places import resolve_places
    from storyline.extract.events import EventExtractor
    from storyline.link.events import Mention, content_words, link_in_memory

    nlp, annotator, extractor = load_nlp(), ActorAnnotator(), EventExtractor()
    stories = cluster_documents(docs)
    mentions: list[Mention] = []
    spans: dict[str, tuple[str, int, int]] = {}
    for doc, story, parsed in zip(docs, stories, nlp.pipe(d.text for d in docs), strict=True):
        found_mentions, actors = annotator.annotate(parsed)
        for i, event in enumerate(extractor.extract(parsed, found_mentions, actors, [],
                                                    resolve_places(parsed))):
            key = f"{doc.doc_id}#{i}"
            mentions.append(Mention(
                key, doc.doc_id, event.type, event.mode,
                [{"country": c} for c in event.actors], [{"country": c} for c in event.recipients],
                event.date, event.place, event.trigger, event.modality, str(story),
                content_words(parsed.text[event.char_start:event.char_end])))
            spans[key] = (doc.doc_id, event.trigger_start, event.trigger_end)
    linked = link_in_memory(mentions)
    return [(*spans[key], cluster) for key, cluster in linked.items()]
