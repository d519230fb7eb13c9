"""Publication dates on real documents: each gold document goes through ``storyline ingest``'s
own stages up to ``metadata`` as a user would feed it — an ECB+ document as its text (URL line
included), a benchmark page as its raw HTML — and the date found is compared with the gold date.

A document is right when the date found equals the gold date, or when both are absent. A date
found for a document that states none, or a different date, is wrong: precision is right dates
over dates given, and accuracy is right documents over all documents. Year-less dates (``XXXX-…``)
count as no date.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from storyline.errors import Msg, StorylineError
from storyline.evaluate.realtext import default_eval_root, document_text


def _raw(record: dict[str, Any], root: Path) -> Any:
    from storyline.model import RawDocument

    doc = str(record["doc"])
    kind, _, name = doc.partition(":")
    if kind == "page":
        path = root / "article-extraction-benchmark" / "html" / f"{name}.html.gz"
        if not path.is_file():
            raise StorylineError(Msg.E111, detail=f"no benchmark page {name} under {root}")
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            return RawDocument(origin=doc, fmt="html", content=fh.read())
    return RawDocument(origin=doc, fmt="text", content=document_text(doc, str(root)))


def evaluate_pubdates(path: str | Path, split: str = "all",
                      eval_root: str | Path | None = None) -> dict[str, Any]:
    """Accuracy and precision of publication dates over the records of ``path`` (``split``: all,
    dev or test)."""
    from storyline.ingest.main_text import article_from_raw
    from storyline.pipeline import Pipeline

    root = Path(eval_root or default_eval_root())
    records = [json.loads(line) for line in Path(path).read_text("utf-8").splitlines()
               if line.strip()]
    records = [r for r in records if split == "all" or r.get("split") == split]
    if not records:
        raise StorylineError(Msg.E109, detail=f"no gold records for split {split!r} in {path}")
    pipeline = Pipeline.from_config({"stages": ["main_text", "clean", "identify", "metadata"],
                                     "options": {"clean": {"min_words": 1}}})
    right = given = wrong = 0
    by_method: dict[str, dict[str, int]] = {}
    errors: list[dict[str, Any]] = []
    for record in records:
        result = pipeline.pipe([article_from_raw(_raw(record, root))])
        article = result.articles[0] if result.articles else None
        found = article.published if article is not None else None
        if found is not None and found.startswith("X"):
            found = None
        gold = record.get("published")
        ok = found == gold
        right += ok
        if found is not None:
            given += 1
            method = str(article.published_method)
            row = by_method.setdefault(method, {"given": 0, "right": 0})
            row["given"] += 1
            row["right"] += ok
            wrong += not ok
        if not ok:
            errors.append({"doc": record["doc"], "gold": gold, "found": found,
                           "method": article.published_method if found else None})
    dated = sum(r.get("published") is not None for r in records)
    return {
        "documents": len(records),
        "split": split,
        "dated": dated,
        "accuracy": right / len(records),
        "given": given,
        "precision": (given - wrong) / given if given else 0.0,
        "recall": (given - wrong) / dated if dated else 0.0,
        "by_method": by_method,
        "errors": errors,
    }
