"""Score main-text extraction on a benchmark folder (``ground-truth.json`` + ``html/<id>.html.gz``).

Per document: precision, recall and F1 over lower-cased word 4-shingles (multiset overlap), as in
the scrapinghub article-extraction-benchmark; the report gives their means over documents. What is
scored is storyline's own path: trafilatura main text followed by storyline's cleaning.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline.errors import InputRejected, Msg, StorylineError


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def prf(truth: str, predicted: str) -> tuple[float, float, float]:
    t, p = shingles(truth), shingles(predicted)
    if not t and not p:
        return 1.0, 1.0, 1.0
    tp = sum((t & p).values())
    precision = tp / sum(p.values()) if p else 0.0
    recall = tp / sum(t.values()) if t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def storyline_extract(html: str, url: str | None) -> str:
    """The body storyline keeps for an HTML page: main text, then cleaning."""
    from storyline.clean.cleaner import clean_text
    from storyline.ingest.main_text import extract_html

    try:
        body = extract_html(html, url)["text"]
    except InputRejected:
        return ""
    return clean_text(body, "html").text


def evaluate_extraction(
    folder: str | Path, extractor: Callable[[str, str | None], str] = storyline_extract
) -> dict[str, Any]:
    root = Path(folder)
    truth_file, html_dir = root / "ground-truth.json", root / "html"
    if not truth_file.is_file() or not html_dir.is_dir():
        raise StorylineError(Msg.E107, path=str(root))
    truth = json.loads(truth_file.read_text("utf-8"))
    per_doc = []
    started = time.perf_counter()
    for doc_id, gold in sorted(truth.items()):
        page = html_dir / f"{doc_id}.html.gz"
        if not page.is_file():
            continue
        html = gzip.decompress(page.read_bytes()).decode("utf-8", errors="replace")
        predicted = extractor(html, gold.get("url"))
        p, r, f = prf(gold.get("articleBody", ""), predicted)
        per_doc.append({"id": doc_id, "url": gold.get("url"), "precision": p, "recall": r, "f1": f})
    elapsed = time.perf_counter() - started
    n = len(per_doc)
    mean = {k: (sum(d[k] for d in per_doc) / n if n else 0.0) for k in ("precision", "recall", "f1")}
    return {
        "documents": n,
        "mean": {k: round(v, 4) for k, v in mean.items()},
        "pages_per_second": round(n / elapsed, 1) if elapsed else None,
        "worst": sorted(per_doc, key=lambda d: d["f1"])[:10],
    }
