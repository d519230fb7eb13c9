"""Score quote extraction on a JSONL gold file.

Each line: ``{"text", "dct", "quotes": [{"kind", "content_start", "content_end", "speaker",
"cue"}]}``. A predicted quote matches a gold one when their content spans overlap by at least half
of the longer span; quote precision/recall/F1 count matches; speaker accuracy is over matched
quotes: the predicted speaker's name contains the gold speaker's surname (case-insensitive), or
both are anonymous.

Real-text gold (``gold/real/quotes-*.jsonl``) holds references instead of text: ``{"doc", "sha1",
"quotes": [... "speaker", "anonymous", ...]}``; the text is rebuilt from ``../shared/eval`` (see
:mod:`storyline.evaluate.realtext`), an anonymous source counts as "anonymous", and a quote whose
speaker the annotator could not find is scored for its span only.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.errors import Msg, StorylineError
from storyline.evaluate.scoring import prf


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * max(a[1] - a[0], b[1] - b[0])


def speaker_ok(predicted: str, gold: str) -> bool:
    if gold.lower() == "anonymous" or predicted.lower() == "anonymous":
        return gold.lower() == predicted.lower()
    surname = gold.split()[-1].lower()
    return surname in predicted.lower()


def _with_text(record: dict[str, Any]) -> dict[str, Any]:
    """A real-text record with its document's text (checked against its hash)."""
    if "text" in record:
        return record
    from storyline.evaluate.realtext import default_eval_root, document_text, passage_sha1

    text = document_text(record["doc"], str(default_eval_root()))
    if record.get("sha1") and passage_sha1(text) != record["sha1"]:
        raise StorylineError(Msg.E111, detail=f"{record['doc']}: the text changed (hash)")
    quotes = [{**q, "speaker": "anonymous" if q.get("anonymous") else q.get("speaker")}
              for q in record["quotes"]]
    return {**record, "text": text, "quotes": quotes}


def evaluate_quotes(path: str | Path) -> dict[str, Any]:
    from storyline.annotate.actors import ActorAnnotator
    from storyline.annotate.nlp import load_nlp
    from storyline.extract.quotes import QuoteExtractor

    nlp, annotator, extractor = load_nlp(), ActorAnnotator(), QuoteExtractor()
    try:
        lines = [json.loads(ln) for ln in Path(path).read_text("utf-8").splitlines() if ln.strip()]
    except (OSError, ValueError) as exc:
        raise StorylineError(Msg.E111, detail=str(exc)) from exc
    lines = [_with_text(r) for r in lines]
    tp = fp = fn = speakers_right = speakers_scored = 0
    by_kind: Counter[str] = Counter()
    by_kind_found: Counter[str] = Counter()
    errors = []
    for record in lines:
        doc = nlp(record["text"])
        mentions, actors = annotator.annotate(doc)
        predicted = extractor.extract(doc, mentions, actors)
        used: set[int] = set()
        for gold in record["quotes"]:
            span = (gold["content_start"], gold["content_end"])
            by_kind[gold["kind"]] += 1
            match = next((i for i, q in enumerate(predicted) if i not in used
                          and _overlap(span, (q.content_start, q.content_end))), None)
            if match is None:
                fn += 1
                errors.append({"missed": record["text"][span[0]:span[1]][:120],
                               "speaker": gold["speaker"], "kind": gold["kind"]})
                continue
            used.add(match)
            tp += 1
            by_kind_found[gold["kind"]] += 1
            if gold.get("speaker") is None:
                continue
            speakers_scored += 1
            if speaker_ok(predicted[match].speaker, gold["speaker"]):
                speakers_right += 1
            else:
                errors.append({"quote": record["text"][span[0]:span[1]][:80],
                               "speaker": gold["speaker"], "predicted": predicted[match].speaker})
        for i, q in enumerate(predicted):
            if i not in used:
                fp += 1
                errors.append({"extra": record["text"][q.content_start:q.content_end][:120],
                               "kind": q.kind, "predicted": q.speaker})
    return {
        "documents": len(lines),
        "gold": tp + fn,
        "quotes": prf(tp, fp, fn),
        "speaker_accuracy": round(speakers_right / speakers_scored, 4) if speakers_scored else 0.0,
        "by_kind": {k: {"gold": v, "found": by_kind_found[k],
                        "recall": round(by_kind_found[k] / v, 4)} for k, v in by_kind.items()},
        "errors": errors,
    }
