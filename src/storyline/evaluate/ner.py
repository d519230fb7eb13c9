"""Score named-entity spans (PER, ORG, LOC) on an IOB2 file, for the bare spaCy model and for
storyline's actor layer on top of it, in one run.

Label mapping — spaCy: PERSON -> PER; ORG -> ORG; GPE, LOC, FAC -> LOC; other labels (NORP, DATE,
...) are not scored. Actor layer: spaCy's spans with storyline's corrections: a "person" whose
name is a known country or capital is a place (LOC), an "organisation" that is a country name is
a place (LOC). Matching is exact (same start, end and type), micro-averaged, as in CoNLL.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from storyline.errors import Msg, StorylineError
from storyline.evaluate.scoring import prf

SPACY_TO_UNER = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
TYPES = ("PER", "ORG", "LOC")


def read_iob2(path: str | Path) -> list[tuple[list[str], list[str]]]:
    sentences: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except OSError as exc:
        raise StorylineError(Msg.E111, detail=str(exc)) from exc
    for line in [*lines, ""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if words:
                sentences.append((words, tags))
            words, tags = [], []
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            raise StorylineError(Msg.E111, detail=f"expected tab-separated columns: {line!r}")
        words.append(cols[1])
        tags.append(cols[2])
    return sentences


def spans_from_tags(tags: list[str]) -> set[tuple[int, int, str]]:
    spans, start, kind = set(), None, None
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != kind):
            if start is not None and kind in TYPES:
                spans.add((start, i, kind))
            start, kind = (i, tag[2:]) if tag != "O" else (None, None)
    return spans


def _token_spans(doc: Any, offsets: list[tuple[int, int]], label_of: Any) -> set[tuple[int, int, str]]:
    out = set()
    for ent in doc.ents:
        label = label_of(ent)
        if label not in TYPES:
            continue
        first = next((i for i, (s, e) in enumerate(offsets) if e > ent.start_char), None)
        last = next((i for i in range(len(offsets) - 1, -1, -1) if offsets[i][0] < ent.end_char),
                    None)
        if first is not None and last is not None and first <= last:
            out.add((first, last + 1, label))
    return out


def _score(gold: list[set], pred: list[set]) -> dict[str, Any]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred, strict=True):
        for span in p:
            (tp if span in g else fp)[span[2]] += 1
        for span in g:
            if span not in p:
                fn[span[2]] += 1


    return {"micro": prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
            "per_type": {t: prf(tp[t], fp[t], fn[t]) for t in TYPES}}


def evaluate_ner(path: str | Path) -> dict[str, Any]:
    from storyline.annotate.lexicons import lexicons
    from storyline.annotate.nlp import load_nlp

    lex = lexicons()
    nlp = load_nlp()
    sentences = read_iob2(path)
    gold, bare, layer = [], [], []
    texts, offsets = [], []
    for words, tags in sentences:
        pos, offs = 0, []
        for w in words:
            offs.append((pos, pos + len(w)))
            pos += len(w) + 1
        texts.append(" ".join(words))
        offsets.append(offs)
        gold.append(spans_from_tags(tags))

    def actor_label(ent: Any) -> str | None:
        label = SPACY_TO_UNER.get(ent.label_)
        low = ent.text.lower().removeprefix("the ")
        if label in ("PER", "ORG") and (low in lex.country_names or low in lex.capitals):
            return "LOC"
        return label

    for doc, offs in zip(nlp.pipe(texts, batch_size=256), offsets, strict=True):
        bare.append(_token_spans(doc, offs, lambda e: SPACY_TO_UNER.get(e.label_)))
        layer.append(_token_spans(doc, offs, actor_label))
    result = _score(gold, layer)
    result["bare"] = _score(gold, bare)
    result["sentences"] = len(sentences)
    result["label_mapping"] = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC",
                               "FAC": "LOC"}
    return result
