"""Annotation benchmark: articles/s of storyline's ``annotate`` stage (spaCy parse + time
expressions + actors + places) against bare ``nlp.pipe`` over the same articles in the same run,
with 1 and 2 processes. Target: ratio >= 0.85. Also prints what the place index costs: its load
time, the memory it holds, and the time place recognition and resolution take per article.

Articles: the sample corpus (paragraphs shuffled per copy), or with ``--real`` the ECB+ news
documents of ../shared/eval/ecbplus.

Run: python benchmarks/annotate.py [--articles 300] [--real]
"""

from __future__ import annotations

import argparse
import random
import resource
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


def real_texts(n: int) -> list[str]:
    from pathlib import Path

    from storyline.evaluate.ecbplus import read_corpus, reconstructed_text

    folder = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ecbplus"
    if not folder.is_dir():
        raise SystemExit(f"--real needs {folder}")
    out = []
    for doc in read_corpus(folder)[:n]:
        lines = reconstructed_text(doc).split("\n")
        if lines and lines[0].startswith("http"):
            lines.pop(0)
        out.append("\n\n".join(lines))
    return out


def rss_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 1e6


def place_costs(data: list[str]) -> None:
    from storyline.annotate.gazetteer import gazetteer
    from storyline.annotate.lexicons import lexicons
    from storyline.annotate.nlp import load_nlp
    from storyline.annotate.places import resolve_places

    nlp = load_nlp()
    lexicons()
    before = rss_mb()
    started = time.perf_counter()
    gaz = gazetteer()
    loaded = time.perf_counter() - started
    print(f"place index: {len(gaz.lines):,} records under {len(gaz.rows):,} names, loaded in "
          f"{loaded:.2f} s, holding {rss_mb() - before:.0f} MB")
    docs = list(nlp.pipe(data[:100], batch_size=32))
    started = time.perf_counter()
    found = sum(len(resolve_places(doc)) for doc in docs)
    spent = time.perf_counter() - started
    print(f"places: {found / len(docs):.1f} per article, {spent / len(docs) * 1000:.1f} ms per "
          f"article to recognise and resolve; process memory {rss_mb():.0f} MB")


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
    parser.add_argument("--real", action="store_true", help="ECB+ news documents")
    args = parser.parse_args()
    data = real_texts(args.articles) if args.real else texts(args.articles)
    words = sum(len(t.split()) for t in data)
    print(f"{len(data)} articles, {words / len(data):.0f} words each on average")
    place_costs(data)
    for processes in (1, 2):
        bare = run(_bare, _init_bare, data, processes)
        ours = run(_annotate, _init, data, processes)
        print(f"{processes} process(es): bare nlp.pipe {bare:6.1f} articles/s "
              f"({bare * words / len(data):,.0f} words/s); storyline annotate {ours:6.1f} "
              f"articles/s; ratio {ours / bare:.2f} (target >= 0.85)")


if __name__ == "__main__":
    main()
