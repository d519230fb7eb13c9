"""Extraction benchmark: the cost of storyline's ``extract`` stage (quotes, quantities, PLOVER
events from the parse the ``annotate`` stage left in each article's hints) relative to the
``annotate`` stage itself, over the same articles in the same run and process. Also prints
annotate + extract articles/s against bare ``nlp.pipe``. Target: extract time <= 15% of annotate
time. Each timing is the best of ``--repeats`` after a warm-up; the script exits 0 either way.

Run: python benchmarks/extract.py [--articles 200] [--repeats 3] [--real]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

TARGET = 0.15
CHUNK = 16  # articles per stage call, as in benchmarks/annotate.py


def corpus(n: int, real: bool = False) -> list[str]:
    """The articles of benchmarks/annotate.py: sample corpus texts, paragraphs shuffled per copy,
    or with ``real`` the ECB+ news documents of ../shared/eval/ecbplus."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from annotate import real_texts, texts

    return real_texts(n) if real else texts(n)


def articles(data: list[str]) -> list:  # type: ignore[type-arg]
    from storyline.model import Article

    return [Article(id=str(i), text=t, published="2026-03-10", published_granularity="day")
            for i, t in enumerate(data)]


def chunks(items: list) -> list[list]:  # type: ignore[type-arg]
    return [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]


def best(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Shortest wall time of ``fn`` over ``repeats`` runs, and the result of that run."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        out = fn()
        elapsed = time.perf_counter() - started
        if not times or elapsed < min(times):
            result = out
        times.append(elapsed)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--real", action="store_true", help="ECB+ news documents")
    args = parser.parse_args()
    repeats = max(1, args.repeats)

    from storyline.annotate.nlp import load_nlp
    from storyline.annotate.stage import Annotate
    from storyline.extract.stage import Extract

    data = corpus(args.articles, args.real)
    n = len(data)
    words = sum(len(t.split()) for t in data)
    print(f"{n} articles, {words / n:.0f} words each on average; best of {repeats} runs, 1 process")

    nlp = load_nlp()
    annotate, extract = Annotate(), Extract()
    annotate.warm_up()
    extract.warm_up()
    extract.pipe(annotate.pipe(articles(data[:4])))  # warm up both stages
    sum(1 for _ in nlp.pipe(data[:4], batch_size=32))

    def bare() -> int:
        return sum(1 for _ in nlp.pipe(data, batch_size=32))

    fresh = [articles(data) for _ in range(repeats)]  # unannotated articles for every run, untimed

    def run_annotate() -> list:  # type: ignore[type-arg]
        return [a for chunk in chunks(fresh.pop()) for a in annotate.pipe(chunk)]

    bare_s, _ = best(bare, repeats)
    annotate_s, annotated = best(run_annotate, repeats)
    assert isinstance(annotated, list) and len(annotated) == n
    missing = sum(1 for a in annotated if a.hints.get("doc") is None)
    if missing:  # extract would re-parse these, and the ratio would mean nothing
        raise SystemExit(f"{missing} annotated articles lost their spaCy doc")

    def run_extract() -> list:  # type: ignore[type-arg]
        return [a for chunk in chunks(annotated) for a in extract.pipe(chunk)]

    extract_s, extracted = best(run_extract, repeats)
    assert isinstance(extracted, list)
    quotes = sum(len(a.quotes) for a in extracted)
    quantities = sum(len(a.quantities) for a in extracted)
    events = sum(len(a.events) for a in extracted)

    ratio = extract_s / annotate_s
    both = n / (annotate_s + extract_s)
    print(f"bare nlp.pipe      {bare_s:7.2f} s  {n / bare_s:6.1f} articles/s "
          f"({words / bare_s:,.0f} words/s)")
    print(f"annotate           {annotate_s:7.2f} s  {n / annotate_s:6.1f} articles/s")
    print(f"extract            {extract_s:7.2f} s  {n / extract_s:6.1f} articles/s "
          f"({quotes} quotes, {quantities} quantities, {events} events)")
    print(f"annotate + extract {annotate_s + extract_s:7.2f} s  {both:6.1f} articles/s; "
          f"ratio to bare nlp.pipe {both / (n / bare_s):.2f}")
    print(f"extract / annotate {ratio:.1%} (target <= {TARGET:.0%}): "
          f"{'PASS' if ratio <= TARGET else 'FAIL'}")


if __name__ == "__main__":
    main()
