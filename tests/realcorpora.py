"""Real outlet text nobody here wrote, read from ``../shared/eval`` at test time (nothing of it is
copied into the repository): each corpus as JSONL lines or as the files it ships."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from conftest import EVAL


def ecbplus_documents() -> list:
    from storyline.evaluate.ecbplus import read_corpus

    return read_corpus(EVAL / "ecbplus")


def _ecb_record(doc, text: str) -> dict[str, str]:
    lines = text.split("\n")
    url = None
    if lines and lines[0].replace(" ", "").startswith("http"):
        url = lines.pop(0).replace(" ", "")
    return {"text": "\n\n".join(lines), "url": url or f"http://ecbplus.test/{doc.doc_id}"}


def ecbplus_records(token_joined: bool, docs: list | None = None) -> Iterator[dict[str, str]]:
    """ECB+ documents as JSONL records: detokenised (as an outlet prints them) or token-joined
    (tokens and punctuation apart, as the corpus holds them)."""
    from storyline.evaluate.ecbplus import reconstructed_text

    for doc in docs if docs is not None else ecbplus_documents():
        yield _ecb_record(doc, doc.text if token_joined else reconstructed_text(doc))


def conflibert_records() -> Iterator[dict[str, str]]:
    with open(EVAL / "conflibert-cameo" / "train.tsv", encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)):
            if row and row[0].strip():
                yield {"text": row[0], "url": f"http://conflibert.test/{i}"}


def tempeval_records() -> Iterator[dict[str, str]]:
    with open(EVAL / "tempeval3-tbaq" / "tbaq.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            yield {"text": doc["text"], "published": doc["dct"],
                   "url": f"http://tempeval.test/{doc['id']}"}


def benchmark_pages() -> Path:
    return EVAL / "article-extraction-benchmark" / "html"


def write_jsonl(path: Path, records: Iterator[dict[str, str]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n
