"""Score PLOVER event coding on a JSONL gold file (one article per line).

Each line: ``{"text", "date", "events": [{"type", "actors": [codes], "recipients": [codes]}]}``.
Alignment, per line: a gold event and a predicted event are paired when their types agree and
their actor code sets overlap (or both are empty), most overlapping first; those pairs are
``correct`` (the PETRARCH convention), unpaired gold events are ``missed``, unpaired predictions
``extra``. Per-type precision/recall/F1 count these pairs. ``type_accuracy``: of the gold events
that share actors with some prediction, the share whose best such prediction has the right type.
``actor_accuracy`` / ``recipient_accuracy``: of the correct pairs, the share whose code sets are
equal.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.errors import Msg, StorylineError
from storyline.evaluate.scoring import prf


class _Coded:
    """A stored event seen as the scorer compares it: type and the codes of its parties."""

    def __init__(self, event: Any) -> None:
        self.type = event.type
        self.trigger = event.trigger
        self.actors = [_code(r) for r in event.actors if _code(r)]
        self.recipients = [_code(r) for r in event.recipients if _code(r)]


def _code(ref: dict[str, Any]) -> str:
    return str(ref.get("country") or ref.get("sector") or "")


def evaluate_events(path: str | Path, in_document: bool = False) -> dict[str, Any]:
    """Score the coder on a gold file. ``in_document``: a record that points into a document
    (real-text gold) is coded as ``storyline ingest`` codes it, within its whole document, and
    the events whose sentence starts inside the passage are compared (else the passage alone is
    coded)."""
    from storyline.evaluate.coding import Coder
    from storyline.evaluate.realtext import with_text

    coder = Coder()
    in_documents = _DocumentEvents(coder) if in_document else None
    try:
        lines = [json.loads(ln) for ln in Path(path).read_text("utf-8").splitlines() if ln.strip()]
    except (OSError, ValueError) as exc:
        raise StorylineError(Msg.E111, detail=str(exc)) from exc
    lines = with_text(lines)  # real-text gold keeps references, the text comes from ../shared
    quiet = noisy = 0
    correct = missed = extra = 0
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    type_pairs = type_right = actor_right = recipient_right = 0
    errors: list[dict[str, Any]] = []
    for record in lines:
        if in_documents is not None and "doc" in record and "start" in record:
            found = in_documents.events(record)
        else:
            _, found = coder.events(record["text"], record.get("date"))
        predicted = [_Coded(e) for e in found]
        gold = record.get("events", [])
        if not gold:
            quiet += 1
            noisy += bool(predicted)
        used: set[int] = set()
        for g in gold:
            g_actors = set(g.get("actors", []))
            sharing = [(i, p) for i, p in enumerate(predicted)
                       if (set(p.actors) & g_actors) or (not g_actors and not p.actors)]
            if sharing:
                type_pairs += 1
                type_right += any(p.type == g["type"] for _, p in sharing)
            candidates = [(len(set(p.actors) & g_actors), i) for i, p in sharing
                          if i not in used and p.type == g["type"]]
            if not candidates:
                missed += 1
                fn[g["type"]] += 1
                errors.append({"missed": g, "text": record["text"][:160]})
                continue
            _, best = max(candidates)
            used.add(best)
            correct += 1
            tp[g["type"]] += 1
            p = predicted[best]
            actor_right += set(p.actors) == g_actors
            recipient_right += set(p.recipients) == set(g.get("recipients", []))
        for i, p in enumerate(predicted):
            if i not in used:
                extra += 1
                fp[p.type] += 1
                errors.append({"extra": {"type": p.type, "actors": p.actors,
                                         "recipients": p.recipients, "trigger": p.trigger},
                               "text": record["text"][:160]})


    types = sorted(set(tp) | set(fp) | set(fn))
    gold_total = correct + missed
    return {
        "documents": len(lines),
        "gold": gold_total,
        "type_accuracy": round(type_right / type_pairs, 4) if type_pairs else 0.0,
        "actor_accuracy": round(actor_right / correct, 4) if correct else 0.0,
        "recipient_accuracy": round(recipient_right / correct, 4) if correct else 0.0,
        "correct": correct, "missed": missed, "extra": extra,
        "no_event_passages": quiet,
        "no_event_with_prediction": round(noisy / quiet, 4) if quiet else 0.0,
        "micro": prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
        "per_type": {t: prf(tp[t], fp[t], fn[t]) for t in types},
        "errors": errors,
    }


class _DocumentEvents:
    """The events of real-text passages coded within their whole documents (each once)."""

    def __init__(self, coder: Any) -> None:
        self.coder = coder
        self.done: dict[str, tuple[list[Any], list[int | None]]] = {}

    def events(self, record: dict[str, Any]) -> list[Any]:
        from storyline.evaluate.realtext import default_eval_root, document_text, position_map

        doc = str(record["doc"])
        if doc not in self.done:
            text = document_text(doc, str(default_eval_root()))
            article, found = self.coder.events(text, record.get("date"))
            where = position_map(text, article.text) if article is not None else []
            self.done[doc] = (found, where)
        found, where = self.done[doc]
        start, end = int(record["start"]), int(record["end"])
        inside = []
        for event in found:
            at = next((where[i] for i in range(event.char_start, min(event.char_end, len(where)))
                       if where[i] is not None), None)
            if at is not None and start <= at < end:
                inside.append(event)
        return inside
