"""Choose the real-news passages of the event gold sets (run once; the output is committed).

Passages are one to three sentences of ECB+ documents (as an outlet prints them) and of the
article-extraction benchmark's ground-truth bodies. The split follows the documents: ECB+'s
standard topic split (train / dev 2, 5, 12, 18, 21, 23, 34, 35 / test 36-45), and benchmark pages
by a hash of their id (70 / 15 / 15 %). One passage per document. Seven passages in ten are drawn
among the windows that hold a word of political or violent action (so the sets are not mostly
about celebrity news and earthquakes); the rest are drawn among all windows, which gives the
passages with no event. Deterministic: the same ../shared gives the same files.

Run: python gold/real/select_passages.py  (writes gold/real/passages-{train,dev,test}.jsonl)

A second training round (``--second``, written to ``passages-train2.jsonl``) draws one more
passage from every training document, never overlapping its first one, eight in ten among the
cued windows (the typer learns more from passages that hold events; the dev and test splits are
not touched).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

from storyline.evaluate.ecbplus import split_of
from storyline.evaluate.realtext import (
    _benchmark_bodies,
    default_eval_root,
    document_text,
    passage_sha1,
    sentence_spans,
)

HERE = Path(__file__).resolve().parent
CUES = re.compile(
    r"\b(?:police|army|military|troops?|soldiers?|government|minister|president|prime minister|"
    r"officials?|protest\w*|demonstrat\w*|attack\w*|kill\w*|bomb\w*|sanction\w*|talks|met|meet"
    r"\w*|visit\w*|agree\w*|accord|treaty|deal|arrest\w*|charged|court|judge|rebels?|militants?|"
    r"strike|fire[ds]?|shot|shoot\w*|clash\w*|accus\w*|condemn\w*|warn\w*|threat\w*|demand\w*|"
    r"urged?|called on|reject\w*|refus\w*|releas\w*|aid|deploy\w*|seiz\w*|raid\w*|ambassador|"
    r"navy|warship|pirates?|hostages?|prison\w*|sentenc\w*|investigat\w*|resign\w*|ceasefire|"
    r"invade\w*|invasion|sanctions?)\b", re.IGNORECASE)
MAX_CHARS = 700
WORD = re.compile(r"[^\W\d_]{2,}")


def windows(text: str) -> list[tuple[int, int]]:
    spans = [s for s in sentence_spans(text) if not text[s[0]:s[1]].lstrip().startswith("http")]
    out = []
    for i in range(len(spans)):
        for size in (1, 2, 3):
            if i + size <= len(spans):
                start, end = spans[i][0], spans[i + size - 1][1]
                if end - start <= MAX_CHARS and len(WORD.findall(text[start:end])) >= 6:
                    out.append((start, end))
    return out


def choose(text: str, rng: random.Random, avoid: tuple[int, int] | None = None,
           cued_share: float = 0.7) -> tuple[int, int] | None:
    found = windows(text)
    if avoid is not None:
        found = [w for w in found if w[1] <= avoid[0] or w[0] >= avoid[1]]
    if not found:
        return None
    sizes = rng.choices((1, 2, 3), weights=(4, 4, 2))[0]
    sized = [w for w in found if text[w[0]:w[1]].count("\n") + 1 <= sizes] or found
    cued = [w for w in sized if CUES.search(text[w[0]:w[1]])]
    pool = cued if cued and rng.random() < cued_share else sized
    return rng.choice(pool)


def page_split(page: str) -> str:
    bucket = int(hashlib.sha1(page.encode()).hexdigest(), 16) % 100
    return "dev" if bucket < 15 else "test" if bucket < 30 else "train"


def main() -> None:
    root = default_eval_root()
    rng = random.Random(13)
    records: dict[str, list[dict[str, object]]] = {"train": [], "dev": [], "test": []}
    ecb = sorted((root / "ecbplus" / "ECB+").glob("*/*.xml"),
                 key=lambda p: (int(p.parent.name), p.name))
    docs = [(f"ecbplus:ECB+/{p.parent.name}/{p.name}", split_of(int(p.parent.name))) for p in ecb]
    docs += [(f"page:{page}", page_split(page)) for page in sorted(_benchmark_bodies(str(root)))]
    for doc, split in docs:
        text = document_text(doc, str(root))
        window = choose(text, rng)
        if window is None:
            continue
        start, end = window
        records[split].append({"doc": doc, "start": start, "end": end,
                               "sha1": passage_sha1(text[start:end]), "split": split})
    for split, rows in records.items():
        with open(HERE / f"passages-{split}.jsonl", "w", encoding="utf-8") as fh:
            for i, row in enumerate(rows, 1):
                fh.write(json.dumps({"id": f"{split}-{i:04d}", **row}) + "\n")
        print(split, len(rows), "passages from", len({r["doc"] for r in rows}), "documents")


def second_round() -> None:
    root = default_eval_root()
    rng = random.Random(14)
    first = {r["doc"]: (r["start"], r["end"]) for r in
             (json.loads(line) for line in (HERE / "passages-train.jsonl").read_text("utf-8")
              .splitlines() if line.strip())}
    rows = []
    for doc in first:
        text = document_text(doc, str(root))
        window = choose(text, rng, avoid=first[doc], cued_share=0.8)
        if window is None:
            continue
        start, end = window
        rows.append({"doc": doc, "start": start, "end": end,
                     "sha1": passage_sha1(text[start:end]), "split": "train2"})
    with open(HERE / "passages-train2.jsonl", "w", encoding="utf-8") as fh:
        for i, row in enumerate(rows, 1):
            fh.write(json.dumps({"id": f"train2-{i:04d}", **row}) + "\n")
    print("train2", len(rows), "passages from", len({r["doc"] for r in rows}), "documents")


if __name__ == "__main__":
    import sys

    second_round() if "--second" in sys.argv else main()
