"""How often the document time inferred from an undated article's text is its writing year.

Real ECB+ documents (CC BY 3.0) whose publication date ``gold/real/pubdates.jsonl`` records from
the text or the URL are run through the ingest stages up to ``annotate`` with the URL line and the
dateline removed, so that they look undated; the year ``storyline.annotate.doctime`` gives is then
compared with the recorded one, by method. Run: ``python benchmarks/doc_time.py``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    from storyline.evaluate.realtext import default_eval_root, document_text
    from storyline.ingest.main_text import article_from_raw
    from storyline.model import RawDocument
    from storyline.pipeline import Pipeline

    root = str(default_eval_root())
    pipeline = Pipeline.from_config({
        "stages": ["main_text", "clean", "identify", "metadata", "annotate"],
        "options": {"clean": {"min_words": 1}}})
    counts: Counter[tuple[str, str]] = Counter()
    for line in (ROOT / "gold" / "real" / "pubdates.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        if not record["published"] or not record["doc"].startswith("ecbplus:"):
            continue
        text = document_text(record["doc"], root)
        lines = text.split("\n")
        if record["evidence"] == "text":
            del lines[text[:record["evidence_start"]].count("\n")]
        lines = [x for x in lines if not x.replace(" ", "").startswith(("http", "www."))]
        article = pipeline.pipe([article_from_raw(RawDocument(
            origin=record["doc"], fmt="text", content="\n".join(lines)))]).articles[0]
        if article.published:
            counts[("still dated", "")] += 1
            continue
        doc_time = article.doc_time
        if doc_time is None:
            counts[("none", "")] += 1
            continue
        gold = int(record["published"][:4])
        verdict = "right" if doc_time.year == gold else "earlier" if doc_time.year < gold \
            else "later"
        counts[(doc_time.method, verdict)] += 1
    print("document time of real articles with their date hidden (method, verdict: count)")
    for (method, verdict), n in sorted(counts.items()):
        print(f"  {method:12} {verdict:8} {n}")
    for method in sorted({m for m, v in counts if v}):
        total = sum(n for (m, v), n in counts.items() if m == method)
        right = counts[(method, "right")]
        print(f"{method}: the writing year for {right} of {total} ({right / total:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
