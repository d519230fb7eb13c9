"""Quantity scan on real news: every figure ``find_quantities`` takes from the ECB+ documents (and,
with ``--pages``, the article-extraction benchmark pages) under ``../shared/eval``, one a line
with its context, for reading by hand; then counts by class of the spans masked as "not figures"
(clock times, dates, addresses, scores, ...) and the time taken by the extractor alone.

The documents stay in ``../shared``: nothing read here is written into the repository.

Run: python benchmarks/quantities_scan.py [--docs 40] [--seed 14] [--sample 150] [--pages]
     (--docs 0: every document; --sample 0: print every figure)
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter
from pathlib import Path


def documents(root: Path, pages: bool) -> list[str]:
    ids = ["ecbplus:" + p.relative_to(root / "ecbplus").as_posix()
           for p in sorted((root / "ecbplus" / "ECB+").glob("*/*.xml"))]
    if pages:
        import json

        truth = root / "article-extraction-benchmark" / "ground-truth.json"
        ids += ["page:" + key for key in sorted(json.loads(truth.read_text("utf-8")))]
    return ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=40, help="random documents (0: all)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--sample", type=int, default=150, help="figures printed (0: all)")
    parser.add_argument("--pages", action="store_true", help="add the benchmark pages")
    args = parser.parse_args()

    from storyline.annotate.nlp import load_nlp
    from storyline.annotate.timex import find_timexes
    from storyline.evaluate.realtext import default_eval_root, document_text
    from storyline.extract import quantities as q

    root = default_eval_root()
    ids = documents(root, args.pages)
    if not ids:
        raise SystemExit(f"no ECB+ documents under {root}")
    rng = random.Random(args.seed)
    if args.docs:
        ids = rng.sample(ids, min(args.docs, len(ids)))
    texts = [document_text(doc, str(root)) for doc in ids]
    nlp = load_nlp()
    rows: list[tuple[str, str, float, str]] = []
    masked: Counter[str] = Counter()
    spent = 0.0
    for doc_id, text, doc in zip(ids, texts, nlp.pipe(texts), strict=True):
        times = [(t.start, t.end) for t in find_timexes(text, None)]
        started = time.perf_counter()
        found = q.find_quantities(text, doc, times)
        spent += time.perf_counter() - started
        for f in found:
            context = (text[max(0, f.start - 50):f.start] + "[[" + f.text + "]]"
                       + text[f.end:f.end + 30])
            rows.append((doc_id, f.text, f.value, re.sub(r"\s+", " ", context)))
        for start, end in q.not_figure_spans(text):
            masked[_kind(text[start:end])] += 1
    shown = rng.sample(rows, min(args.sample, len(rows))) if args.sample else rows
    for n, (doc_id, _, value, context) in enumerate(sorted(shown)):
        print(f"{n:4d} {doc_id.rsplit('/', 1)[-1]:24s} {value:>14g}  {context}")
    print(f"\n{len(ids)} documents, {len(rows)} figures, find_quantities {spent:.2f} s "
          f"({1000 * spent / len(ids):.2f} ms a document)")
    print("spans masked as not figures:", dict(masked.most_common()))


def _kind(span: str) -> str:
    """A rough name for a masked span, for the counts only."""
    if re.search(r"(?i)http|www|\.\s?(?:com|org|net|html?)|%[0-9A-F]{2}|@", span):
        return "address"
    if re.search(r"(?i)[ap]\.?\s?m\b|o'clock|GMT|UTC|:", span):
        return "clock"
    if "/" in span or re.fullmatch(r"\d{4}\s?[-–]\s?\d{2}", span):
        return "date"
    if re.search(r"(?i)foot|feet|ft", span):
        return "height"
    if re.fullmatch(r"0\d+.*", span):
        return "leading zero"
    return "score, list or phone"


if __name__ == "__main__":
    main()
