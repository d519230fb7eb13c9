"""Score time-expression recognition and normalisation on a JSONL gold file.

Each line: ``{"text", "dct", "timexes": [{"text", "value"}]}``. A prediction matches a gold
expression when their character spans overlap (gold spans are found in the text in order);
precision, recall and F1 count matches, and value accuracy is the share of matched expressions
whose normalised value is exactly the gold value (``value_accuracy_all`` divides by every gold
expression instead).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storyline.errors import Msg, StorylineError
from storyline.evaluate.scoring import prf


def _gold_spans(text: str, timexes: list[dict[str, str]]) -> list[tuple[int, int, str, str]]:
    spans, pos = [], 0
    for t in timexes:
        start = text.find(t["text"], pos)
        if start < 0:
            start = text.find(t["text"])
        if start < 0:
            raise StorylineError(Msg.E111, detail=f"timex {t['text']!r} is not in its text")
        spans.append((start, start + len(t["text"]), t["text"], t["value"]))
        pos = start + len(t["text"])
    return spans


def evaluate_time(path: str | Path, use_parser: bool = True) -> dict[str, Any]:
    from storyline.annotate.timex import find_timexes

    nlp = None
    if use_parser:
        from storyline.annotate.nlp import load_nlp

        nlp = load_nlp(disable=("ner",))
    try:
        lines = [json.loads(ln) for ln in Path(path).read_text("utf-8").splitlines() if ln.strip()]
    except (OSError, ValueError) as exc:
        raise StorylineError(Msg.E111, detail=str(exc)) from exc
    tp = fp = fn = correct = 0
    errors: list[dict[str, Any]] = []
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
        for start, end, gtext, gvalue in gold:
            match = next((i for i, p in enumerate(predicted) if i not in used
                          and p.start < end and start < p.end), None)
            if match is None:
                fn += 1
                errors.append({"text": gtext, "gold": gvalue, "predicted": None, "dct": dct})
                continue
            used.add(match)
            tp += 1
            if predicted[match].value == gvalue:
                correct += 1
            else:
                errors.append({"text": gtext, "gold": gvalue, "predicted": predicted[match].value,
                               "found": predicted[match].text, "dct": dct})
        for i, p in enumerate(predicted):
            if i not in used:
                fp += 1
                errors.append({"text": p.text, "gold": None, "predicted": p.value, "dct": dct})
    return {
        "documents": len(lines),
        "gold": tp + fn,
        "micro": prf(tp, fp, fn),
        "value_accuracy": round(correct / tp, 4) if tp else 0.0,
        "value_accuracy_all": round(correct / (tp + fn), 4) if tp + fn else 0.0,
        "errors": errors,
    }
