"""Annotation benchmark: articles/s of storyline's ``annotate`` stage (spaCy parse + time
expressions + actors) against bare ``nlp.pipe`` over the same articles in the same run, with 1 and
2 processes. Target: ratio >= 0.8 (our layers cost at most 25% on top of spaCy).

Run: python benchmarks/annotate.py [--articles 300]
"""

from __future__ import annotations

import argparse
import random
import time
from multiprocessing import get_context

_STAGE = None


def texts(n: int, seed: int = 11) -> list[str]:
    """Articles made from the sample corpus: cleaned texts, paragraphs shuffled per copy."""
    from storyline.clean.cleaner import clean_text
    from storyline.ingest.main_text import extract_html
    from storyline.ingest.readers import iter_inputs
    from storyline.ingest.run import sample_corpus_path
    from storyline.model import RawDocument

    base = []
    for item in iter_inputs([str(sample_corpus_path())]):
        if isinstance(item, RawDocument):
            body = extract_html(item.content)["text"] if item.fmt == "html" else item.content
            base.append(clean_text(body, item.fmt).text)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        paragraphs = base[i % len(base)].split("\n\n")
        rng.shuffle(paragraphs)
        out.append("\n\n".join(paragraphs))
    return out


def _init() -> None:
    global _STAGE
    from storyline.annotate.stage import Annotate

    _STAGE = Annotate()
    _STAGE.warm_up()


def _annotate(chunk: list[str]) -> int:
    from storyline.model import Article

    articles = [Article(id=str(i), text=t, published="2026-03-10", published_granularity="day")
                for i, t in enumerate(chunk)]
    assert _STAGE is not None
    return len(_STAGE.pipe(articles))


def _bare(chunk: list[str]) -> int:
    from storyline.annotate.nlp import load_nlp

    return sum(1 for _ in load_nlp().pipe(chunk, batch_size=32))


def run(fn, init, data: list[str], processes: int) -> float:
    chunks = [data[i:i + 16] for i in range(0, len(data), 16)]
    if processes == 1:
        init()
        fn(data[:4])  # warm up
        started = time.perf_counter()
        for chunk in chunks:
            fn(chunk)
        return len(data) / (time.perf_counter() - started)
    with get_context("fork").Pool(processes, initializer=init) as pool:
        pool.map(fn, [data[:4]] * processes)  # warm up every process
        started = time.perf_counter()
        pool.map(fn, chunks, chunksize=1)
        return len(data) / (time.perf_counter() - started)


def _init_bare() -> None:
    from storyline.annotate.nlp import load_nlp

    load_nlp()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    data = texts(args.articles)
    words = sum(len(t.split()) for t in data)
    print(f"{len(data)} articles, {words / len(data):.0f} words each on average")
    for processes in (1, 2):
        bare = run(_bare, _init_bare, data, processes)
        ours = run(_annotate, _init, data, processes)
        print(f"{processes} process(es): bare nlp.pipe {bare:6.1f} articles/s "
              f"({bare * words / len(data):,.0f} words/s); storyline annotate {ours:6.1f} "
              f"articles/s; ratio {ours / bare:.2f} (target >= 0.80)")


if __name__ == "__main__":
    main()
