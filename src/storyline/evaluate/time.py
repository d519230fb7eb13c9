"""Score time-expression recognition and normalisation on a JSONL gold file.

Each line: ``{"text", "dct", "timexes": [{"text", "value", "type"?, "start"?, "end"?}]}``. A
prediction matches a gold expression when their character spans overlap (gold spans are the given
offsets, else found in the text in order); precision, recall and F1 count matches, and value
accuracy is the share of matched expressions whose normalised value (the calendar value, or the
full TIMEX3 value of a time of day) is exactly the gold value
(``value_accuracy_all`` divides by every gold expression instead). ``value`` P/R/F1 is
TempEval-3's: a prediction counts when it overlaps a gold expression and has its value. With gold
types (TimeML's DATE, TIME, DURATION, SET) the report breaks recall and value accuracy down by
type. ``split`` keeps the documents whose id (else text) hashes to ``dev`` or ``test``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storyline.errors import Msg, StorylineError
from storyline.evaluate.scoring import prf


def _gold_spans(text: str, timexes: list[dict[str, Any]]
                ) -> list[tuple[int, int, str, str, str]]:
    spans, pos = [], 0
    for t in timexes:
        kind = str(t.get("type") or "")
        if isinstance(t.get("start"), int) and isinstance(t.get("end"), int) \
                and text[t["start"]:t["end"]] == t["text"]:
            spans.append((t["start"], t["end"], t["text"], t["value"], kind))
            continue
        start = text.find(t["text"], pos)
        if start < 0:
            start = text.find(t["text"])
        if start < 0:
            raise StorylineError(Msg.E111, detail=f"timex {t['text']!r} is not in its text")
        spans.append((start, start + len(t["text"]), t["text"], t["value"], kind))
        pos = start + len(t["text"])
    return spans


def evaluate_time(path: str | Path, use_parser: bool = True, split: str = "all") -> dict[str, Any]:
    from storyline.annotate.timex import find_timexes
    from storyline.evaluate.quad import split_of

    nlp = None
    if use_parser:
        from storyline.annotate.nlp import load_nlp

        nlp = load_nlp(disable=("ner",))
    try:
        lines = [json.loads(ln) for ln in Path(path).read_text("utf-8").splitlines() if ln.strip()]
    except (OSError, ValueError) as exc:
        raise StorylineError(Msg.E111, detail=str(exc)) from exc
    if split != "all":
        lines = [r for r in lines if split_of(str(r.get("id") or r["text"])) == split]
    tp = fp = fn = correct = 0
    errors: list[dict[str, Any]] = []
    types: dict[str, dict[str, int]] = {}
    for record in lines:
        text, dct = record["text"], record.get("dct")
        gold = _gold_spans(text, record.get("timexes", []))
        tense_of = None
        if nlp is not None:
            from storyline.annotate.tense import tense_at

            doc = nlp(text)
            tense_of = lambda s, e, doc=doc: tense_at(doc, s, e)  # noqa: E731
        predicted = find_timexes(text, dct, tense_of)
        used: set[int] = set()
        for start, end, gtext, gvalue, kind in gold:
            tally = types.setdefault(kind or "all", {"gold": 0, "found": 0, "value": 0})
            tally["gold"] += 1
            match = next((i for i, p in enumerate(predicted) if i not in used
                          and p.start < end and start < p.end), None)
            if match is None:
                fn += 1
                errors.append({"text": gtext, "gold": gvalue, "type": kind, "predicted": None,
                               "dct": dct})
                continue
            used.add(match)
            tp += 1
            tally["found"] += 1
            if gvalue in (predicted[match].value, predicted[match].timex3):
                correct += 1
                tally["value"] += 1
            else:
                errors.append({"text": gtext, "gold": gvalue, "type": kind,
                               "predicted": predicted[match].timex3 or predicted[match].value,
                               "found": predicted[match].text, "dct": dct})
        for i, p in enumerate(predicted):
            if i not in used:
                fp += 1
                errors.append({"text": p.text, "gold": None, "predicted": p.value, "dct": dct})
    return {
        "documents": len(lines),
        "split": split,
        "gold": tp + fn,
        "micro": prf(tp, fp, fn),
        "value": prf(correct, tp + fp - correct, tp + fn - correct),
        "by_type": {k: {"gold": v["gold"], "recall": round(v["found"] / v["gold"], 4),
                        "value_accuracy_all": round(v["value"] / v["gold"], 4)}
                    for k, v in sorted(types.items())},
        "value_accuracy": round(correct / tp, 4) if tp else 0.0,
        "value_accuracy_all": round(correct / (tp + fn), 4) if tp + fn else 0.0,
        "errors": errors,
    }
