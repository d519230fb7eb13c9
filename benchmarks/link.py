"""Link benchmark: wall time and peak memory of storyline's ``link`` stage (stories, dates from
the story, same-event linking) over 2k, 20k and 100k articles. Target: near-linear growth,
time(20k) / time(2k) <= 12 (time(100k) / time(20k) is reported too; linear would be 5).

The articles are synthesised from the bundled sample corpus, ingested once (spaCy) into a seed store
without linking. Running the NLP stages on 100k articles would take hours and linking is what is
measured, so the stored inputs of linking are fabricated by copying the seed rows in SQLite
(articles, annotations, actor_mentions, events, event_codes, quotes, quantities):

- a *planted story* is one sample story (the manifest's ``cluster``) re-told at a random date
  within ``--years`` (10): 5 to 20 articles, each a copy of one of that story's articles, all
  shifted by the story's offset (publication dates, event dates, time expressions, years in the
  text); undated sample articles stay undated (about 12% of the articles);
- wording varies per planted story (95% of capitalised words and 30% of the other words of 4+
  letters become generated words, the same in all its articles: other names, a story of the same
  kind) and per article (another 10% of the words, and an appended sentence of generated words);
  replacements keep the word's length so every stored character offset stays valid;
- per planted story, 80% of actor ids are swapped for variants and half the country codes of its
  events for others.

Each size runs in fresh processes: one builds the full store (untimed), one links it and reports,
so peak RSS (``ru_maxrss``) is that of linking. Linking mirrors ingest: one ``Linker``; each batch
of 64 articles, in date order, is first copied into an empty store (untimed, as ``write_batch``
would store it), then ``Linker.link(ids)`` is timed. ``--mode pending`` times
``Linker.link_pending()`` over the full unlinked store instead (a store written with linking off).
Sizes below ``--repeat-below`` (50k: 2k and 20k) are linked three times and the best time is kept,
on both sides of the target ratio alike: on this shared VM one configuration's 20k run took
anywhere from 31 to 42 s, and the minimum is the figure least disturbed by other load (as
``timeit`` reports it).
tracemalloc (peak of Python allocations) makes Python code ~4x slower, so by default it is measured
in a second, untimed linking pass, for sizes up to ``--trace-max`` (``--tracemalloc same`` traces
the timed pass; ``off`` skips it). Purity / inverse purity of the stories against the planted ones
show the clustering neither collapsed nor fell apart. The script exits 0 either way.

Run: python benchmarks/link.py [--sizes 2000,20000,100000] [--quick] [--mode batch|pending]
     [--tracemalloc separate|same|off] [--trace-max 20000] [--repeat-below 50000]
     [--years 10 | --per-year 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

TARGET = 12.0
BATCH = 64  # storyline.ingest.run.DEFAULT_BATCH: ingest links each stored batch of this size
YEARS = 10
_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
_YEAR_IN_TEXT = re.compile(r"\b(?:19|20)\d\d\b")
_DATE = re.compile(r"(?<![\dX])(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)")
# share of a story's words, actors and countries each re-telling replaces (a different story of the
# same kind: other names, partly other words), and share of the other words each article replaces
NAME_SWAP, WORD_SWAP, ACTOR_SWAP, COUNTRY_SWAP, ARTICLE_SWAP = 0.95, 0.3, 0.8, 0.5, 0.1
COUNTRIES = ("ARG", "AUS", "BGD", "BOL", "CAN", "CHN", "COL", "DEU", "EGY", "ESP", "ETH", "FRA",
             "GBR", "GHA", "IND", "IRN", "ITA", "JPN", "KOR", "MAR", "MEX", "MYS", "NGA", "NPL",
             "PAK", "PHL", "POL", "RWA", "SEN", "THA", "TUR", "UGA", "UKR", "USA", "VNM", "ZAF")


# --- seed -----------------------------------------------------------------------------------------

def make_seed(folder: Path) -> Path:
    """The sample corpus ingested (not linked) into ``folder/seed.db``, plus ``topics.json``: the
    manifest's story cluster of every article."""
    from storyline.ingest.run import ingest_paths, sample_corpus_path
    from storyline.store.sqlite import Store

    path = folder / "seed.db"
    with Store(path) as store:
        ingest_paths([str(sample_corpus_path())], store, link=False)
        origins = {r[0]: r[1] for r in store.conn.execute(
            "SELECT id, origin FROM articles WHERE duplicate_of IS NULL")}
    manifest = json.loads((sample_corpus_path().parent / "manifest.json").read_text("utf-8"))
    cluster = {e["file"] if e["line"] is None else f"{e['file']}:{e['line']}": e["cluster"]
               for e in manifest}
    topics = {aid: cluster.get(Path(origin).name, aid) for aid, origin in origins.items()}
    (folder / "topics.json").write_text(json.dumps(topics), "utf-8")
    return path


# --- synthesis (child process) --------------------------------------------------------------------

def vocabulary(rng: random.Random, per_length: int = 3000) -> dict[int, list[str]]:
    """Generated pronounceable words for every length 4..24, ``per_length`` of each."""
    onsets = ["b", "br", "ch", "d", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "pl", "r",
              "s", "sh", "st", "t", "tr", "v", "w", "z"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ou", "ea"]
    out: dict[int, list[str]] = {}
    for length in range(4, 25):
        words: set[str] = set()
        while len(words) < per_length:
            word = ""
            while len(word) < length:
                word += rng.choice(onsets) + rng.choice(vowels)
            words.add(word[:length])
        out[length] = sorted(words)
    return out


def _shift_value(value: str | None, days: int, years: int) -> str | None:
    """A TIMEX value moved by ``days`` (full dates), to the month holding the 15th + ``days``
    (months) or by ``years`` (years, halves, quarters); year-less values stay as they are."""
    if not value:
        return value

    def sub(m: re.Match[str]) -> str:
        year, month, day = m.groups()
        try:
            if day:
                return (dt.date(int(year), int(month), int(day)) + dt.timedelta(days)).isoformat()
            if month:
                return (dt.date(int(year), int(month), 15) + dt.timedelta(days)).strftime("%Y-%m")
        except ValueError:
            return m.group()
        return f"{int(year) + years:04d}"

    return _DATE.sub(sub, value)


class Synth:
    """Copies seed rows into a new store as ``n`` synthetic articles (see the module docstring)."""

    def __init__(self, seed: Path, topics: dict[str, str], rng: random.Random,
                 years: float = YEARS) -> None:
        src = sqlite3.connect(seed)
        src.row_factory = sqlite3.Row

        def rows(sql: str) -> list[dict]:  # type: ignore[type-arg]
            return [dict(r) for r in src.execute(sql)]

        self.rng = rng
        self.span_days = max(1, round(years * 365))
        self.vocab = vocabulary(rng)
        self.actors = rows("SELECT * FROM actors")
        self.articles = {r["id"]: r for r in rows(
            "SELECT * FROM articles WHERE duplicate_of IS NULL")}
        self.topics: dict[str, list[str]] = {}
        for aid in self.articles:
            self.topics.setdefault(topics.get(aid, aid), []).append(aid)

        def by_article(table: str) -> dict[str, list[dict]]:  # type: ignore[type-arg]
            out: dict[str, list[dict]] = {}  # type: ignore[type-arg]
            for r in rows(f"SELECT * FROM {table}"):
                out.setdefault(r["article_id"], []).append(r)
            return out

        self.mentions = by_article("actor_mentions")
        self.events = by_article("events")
        self.quotes = by_article("quotes")
        self.quantities = by_article("quantities")
        self.annotations = {r["article_id"]: r for r in rows("SELECT * FROM annotations")}
        self.codes: dict[str, list[dict]] = {}  # type: ignore[type-arg]
        for r in rows("SELECT * FROM event_codes"):
            self.codes.setdefault(r["event_id"], []).append(r)
        src.close()
        self.tokens = {aid: [(m.start(), m.end(), m.group()) for m in _WORD.finditer(a["text"])]
                       for aid, a in self.articles.items()}
        self.title_tokens = {aid: [(m.start(), m.end(), m.group())
                                   for m in _WORD.finditer(a["title"] or "")]
                             for aid, a in self.articles.items()}
        # undated articles arrive with their story: at the middle of its dated articles
        self.anchor: dict[str, dt.date] = {}
        for members in self.topics.values():
            days = sorted(dt.date.fromisoformat(self.articles[a]["published"][:10])
                          for a in members if self.articles[a]["published"])
            middle = days[len(days) // 2] if days else dt.date(2026, 1, 1)
            for a in members:
                p = self.articles[a]["published"]
                self.anchor[a] = dt.date.fromisoformat(p[:10]) if p else middle
        self.actor_variants = 40

    def _word(self, original: str) -> str:
        new = self.rng.choice(self.vocab[min(len(original), 24)])
        if original.isupper():
            return new.upper()
        return new.capitalize() if original[0].isupper() else new

    def _instance(self, topic: str) -> dict:  # type: ignore[type-arg]
        """One re-telling of a story: its date offset and its own names and words."""
        rng = self.rng
        members = self.topics[topic]
        words: dict[str, str] = {}
        for aid in members:
            for _, _, w in self.tokens[aid] + self.title_tokens[aid]:
                if w not in words:
                    words[w] = ""
                    if rng.random() < (NAME_SWAP if w[0].isupper() else WORD_SWAP):
                        words[w] = self._word(w)
        actors = {m["actor_id"] for a in members for m in self.mentions.get(a, [])}
        actor_map = {a: f"{a}v{rng.randrange(self.actor_variants)}" for a in sorted(actors)
                     if rng.random() < ACTOR_SWAP}
        codes = {c for a in members for e in self.events.get(a, [])
                 for c in re.findall(r'"country": "([A-Z]{3})"', e["actors"] + e["recipients"])}
        country_map = {c: rng.choice(COUNTRIES) for c in sorted(codes) if rng.random() < COUNTRY_SWAP}
        days = -rng.randrange(self.span_days)
        return {"words": {k: v for k, v in words.items() if v}, "days": days,
                "years": round(days / 365.25), "actors": actor_map, "countries": country_map}

    def plan(self, n: int) -> list[tuple[dt.date, int, str]]:
        """(arrival date, instance, template) of ``n`` articles, in arrival order."""
        out = []
        topics = sorted(self.topics)
        self.instances: list[dict] = []  # type: ignore[type-arg]
        while len(out) < n:
            topic = self.rng.choice(topics)
            instance = self._instance(topic)
            k = len(self.instances)
            self.instances.append(instance)
            for _ in range(min(self.rng.randint(5, 20), n - len(out))):
                template = self.rng.choice(self.topics[topic])
                out.append((self.anchor[template] + dt.timedelta(instance["days"]), k, template))
        out.sort(key=lambda t: t[0])
        return out

    def _rewrite(self, text: str, tokens: list[tuple[int, int, str]], words: dict[str, str],
                 extra: float, years: int) -> str:
        rng, pieces, last = self.rng, [], 0
        for start, end, w in tokens:
            new = words.get(w)
            if new is None and extra and not w[0].isupper() and rng.random() < extra:
                new = self._word(w)
            if new:
                pieces += (text[last:start], new)
                last = end
        pieces.append(text[last:])
        return _YEAR_IN_TEXT.sub(lambda m: str(int(m.group()) + years), "".join(pieces))

    def _sentence(self) -> str:
        rng = self.rng
        words = [self._word("x" * rng.randint(4, 10)) for _ in range(rng.randint(8, 20))]
        for i in rng.sample(range(len(words)), 2):
            words[i] = words[i].capitalize()
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def write(self, store: object, n: int) -> dict[str, str]:
        """Insert ``n`` articles and their rows; returns article id -> instance (the truth)."""
        conn = store.conn  # type: ignore[attr-defined]
        plan = self.plan(n)
        actor_rows = [tuple(a.values()) for a in self.actors]
        actor_rows += [(f"{a['id']}v{k}", *list(a.values())[1:]) for a in self.actors
                       for k in range(self.actor_variants)]
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO actors VALUES ({','.join('?' * len(actor_rows[0]))})",
                         actor_rows)
        conn.execute("COMMIT")
        truth: dict[str, str] = {}
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        for start in range(0, len(plan), 2000):
            tables: dict[str, list[tuple]] = {}  # type: ignore[type-arg]
            for i, (_, k, template) in enumerate(plan[start:start + 2000], start):
                aid = f"syn{i:08d}"
                truth[aid] = f"i{k}"
                self._article(aid, template, self.instances[k], now, tables)
            conn.execute("BEGIN")
            for table, values in tables.items():
                conn.executemany(f"INSERT INTO {table} ({values[0][0]}) VALUES "
                                 f"({','.join('?' * len(values[0][1]))})", [v[1] for v in values])
            conn.execute("COMMIT")
        return truth

    def _article(self, aid: str, template: str, inst: dict, now: str,  # type: ignore[type-arg]
                 tables: dict[str, list[tuple]]) -> None:  # type: ignore[type-arg]
        days, years, actors, countries = inst["days"], inst["years"], inst["actors"], inst["countries"]

        def add(table: str, row: dict) -> None:  # type: ignore[type-arg]
            tables.setdefault(table, []).append((",".join(row), tuple(row.values())))

        a = dict(self.articles[template])
        body = self._rewrite(a["text"], self.tokens[template], inst["words"], ARTICLE_SWAP,
                             years)
        tail = "\n\n" + self._sentence()
        a.update(id=aid, origin=f"synthetic:{aid}", url=None, raw_text=None, text=body + tail,
                 title=self._rewrite(a["title"] or "", self.title_tokens[template], inst["words"], 0,
                                     years) or None,
                 published=_shift_value(a["published"], days, years), ingested_at=now,
                 duplicate_of=None, story_id=None)
        add("articles", a)
        note = self.annotations.get(template)
        if note:
            sentences = json.loads(note["sentences"]) + [[len(body) + 2, len(body) + len(tail)]]
            timexes = json.loads(note["timexes"])
            for t in timexes:
                t["value"] = _shift_value(t.get("value"), days, years)
            add("annotations", {**note, "article_id": aid, "sentences": json.dumps(sentences),
                                "timexes": json.dumps(timexes)})
        for m in self.mentions.get(template, []):
            add("actor_mentions", {**m, "article_id": aid,
                                   "actor_id": actors.get(m["actor_id"], m["actor_id"])})

        def parties(raw: str) -> str:
            out = json.loads(raw)
            for p in out:
                p["id"] = actors.get(p.get("id"), p.get("id"))
                p["country"] = countries.get(p.get("country"), p.get("country"))
            return json.dumps(out, ensure_ascii=False)

        for j, e in enumerate(self.events.get(template, [])):
            date = json.loads(e["date"]) if e["date"] else None
            if date:
                date["value"] = _shift_value(date.get("value"), days, years)
            place = json.loads(e["place"]) if e["place"] else None
            if place:
                place["country"] = countries.get(place.get("country"), place.get("country"))
            eid = f"{aid}e{j}"
            add("events", {**e, "id": eid, "article_id": aid, "actors": parties(e["actors"]),
                           "recipients": parties(e["recipients"]),
                           "date_value": _shift_value(e["date_value"], days, years),
                           "date": json.dumps(date) if date else None,
                           "place": json.dumps(place, ensure_ascii=False) if place else None,
                           "linked_id": None, "original_date": None})
            for c in self.codes.get(e["id"], []):
                add("event_codes", {**c, "event_id": eid, "code": countries.get(c["code"], c["code"]),
                                    "actor_id": actors.get(c["actor_id"], c["actor_id"])})
        for j, q in enumerate(self.quotes.get(template, [])):
            add("quotes", {**q, "id": f"{aid}q{j}", "article_id": aid,
                           "actor_id": actors.get(q["actor_id"], q["actor_id"])})
        for j, q in enumerate(self.quantities.get(template, [])):
            add("quantities", {**q, "id": f"{aid}n{j}", "article_id": aid,
                               "year": q["year"] + years if q["year"] else q["year"]})


def child_build(seed: Path, n: int, out: Path, years: float, rng_seed: int = 1234) -> dict:  # type: ignore[type-arg]
    from storyline.store.sqlite import Store

    started = time.perf_counter()
    topics = json.loads((seed.parent / "topics.json").read_text("utf-8"))
    synth = Synth(seed, topics, random.Random(rng_seed), years)
    with Store(out) as store:
        truth = synth.write(store, n)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "events", "actor_mentions")}
        counts["undated"] = store.conn.execute(
            "SELECT count(*) FROM articles WHERE published IS NULL").fetchone()[0]
    Path(str(out) + ".truth.json").write_text(json.dumps(truth), "utf-8")
    return {**counts, "instances": len(set(truth.values())), "seconds": time.perf_counter() - started,
            "years": years}


# --- linking (child process) ----------------------------------------------------------------------

def _rss_mb(peak: bool = True) -> float:
    """Peak (``ru_maxrss``) or current resident memory of this process, in MB."""
    import resource

    if not peak:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Feeder:
    """Stores the synthetic articles batch by batch, as ingest does, from the fully built (unlinked)
    store: the store being linked holds the linked articles and the current batch, nothing else."""

    TABLES = (("articles", "id IN ({})"), ("annotations", "article_id IN ({})"),
              ("actor_mentions", "article_id IN ({})"), ("events", "article_id IN ({})"),
              ("event_codes", "event_id IN (SELECT id FROM events WHERE article_id IN ({}))"),
              ("quotes", "article_id IN ({})"), ("quantities", "article_id IN ({})"))

    def __init__(self, stage: Path, conn: sqlite3.Connection) -> None:
        self.src = sqlite3.connect(stage)
        self.conn = conn
        self.ids = [r[0] for r in self.src.execute("SELECT id FROM articles ORDER BY rowid")]
        self._insert("actors", self.src.execute("SELECT * FROM actors").fetchall())

    def _insert(self, table: str, rows: list[tuple]) -> None:  # type: ignore[type-arg]
        if rows:
            self.conn.execute("BEGIN")
            self.conn.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)
            self.conn.execute("COMMIT")

    def store(self, ids: list[str]) -> None:
        marks = ",".join("?" * len(ids))
        for table, where in self.TABLES:
            self._insert(table, self.src.execute(
                f"SELECT * FROM {table} WHERE {where.format(marks)}", ids).fetchall())


def child_link(stage: Path, path: Path, mode: str, trace: bool) -> dict:  # type: ignore[type-arg]
    """Link the articles of ``stage``: batch mode stores them batch by batch into the new store
    ``path`` (untimed) and times ``Linker.link`` per batch; pending mode times
    ``Linker.link_pending()`` on ``path``, a copy of ``stage``."""
    import gc
    import tracemalloc

    from storyline.link.run import Linker
    from storyline.store.sqlite import Store

    store = Store(path)
    conn = store.conn
    feeder = Feeder(stage, conn) if mode == "batch" else None
    gc.collect()
    rss_before = _rss_mb(peak=False)
    if trace:
        tracemalloc.start()
    batches: list[float] = []
    started = time.perf_counter()
    linker = Linker(store)
    if feeder is None:
        linker.link_pending()
        seconds = time.perf_counter() - started
    else:
        seconds = time.perf_counter() - started
        for i in range(0, len(feeder.ids), BATCH):
            ids = feeder.ids[i:i + BATCH]
            feeder.store(ids)
            t = time.perf_counter()
            linker.link(ids)
            batches.append(time.perf_counter() - t)
        seconds += sum(batches)
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    tracemalloc.stop()
    rss = _rss_mb()
    story_of = dict(conn.execute("SELECT id, story_id FROM articles").fetchall())
    result = {
        "seconds": seconds, "rss_before_mb": rss_before, "rss_peak_mb": rss, "traced_mb": traced,
        "stories": conn.execute("SELECT count(*) FROM stories").fetchone()[0],
        "largest": conn.execute("SELECT max(articles) FROM stories").fetchone()[0],
        "linked_events": conn.execute("SELECT count(*) FROM linked_events").fetchone()[0],
        "multi_source": conn.execute("SELECT count(*) FROM linked_events WHERE sources > 1")
        .fetchone()[0],
        "unlinked_articles": sum(1 for s in story_of.values() if s is None),
    }
    if batches:
        tenth = max(1, len(batches) // 10)
        result["first_batches_ms"] = 1000 * sum(batches[:tenth]) / tenth
        result["last_batches_ms"] = 1000 * sum(batches[-tenth:]) / tenth
    truth_path = Path(str(stage) + ".truth.json")
    if truth_path.exists():
        truth = json.loads(truth_path.read_text("utf-8"))
        result.update(agreement(truth, story_of))
    store.close()
    return result


def agreement(truth: dict[str, str], found: dict[str, str | None]) -> dict[str, float]:
    """Purity (stories hold one planted instance) and inverse purity (instances stay in one
    story): a sanity check that the synthetic stories are neither one blob nor all singletons."""
    pairs = Counter((truth[a], found.get(a)) for a in truth)
    best_story: Counter[str] = Counter()
    best_instance: Counter[str | None] = Counter()
    for (instance, story), count in pairs.items():
        best_story[story] = max(best_story[story], count)
        best_instance[instance] = max(best_instance[instance], count)
    n = len(truth)
    return {"purity": sum(best_story.values()) / n, "inverse_purity": sum(best_instance.values()) / n}


# --- driver ---------------------------------------------------------------------------------------

def run_child(args: list[str]) -> dict:  # type: ignore[type-arg]
    out = subprocess.run([sys.executable, "-X", "faulthandler", __file__, *args], capture_output=True,
                         text=True)
    if out.returncode != 0:
        raise RuntimeError(f"child {args[:2]} failed with exit code {out.returncode}:\n"
                           f"{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")
               if not p.name.endswith(".json")) / 2**20


def measure(seed: Path, folder: Path, n: int, mode: str, tracing: str, years: float,
            repeats: int = 1) -> dict:  # type: ignore[type-arg]
    stage = folder / f"stage_{n}.db"
    built = run_child(["--_build", str(seed), str(n), str(stage), str(years)])
    built["disk_mb"] = disk_mb(stage)

    def link_once(trace: bool) -> dict:  # type: ignore[type-arg]
        target = folder / f"link_{n}.db"
        if mode == "pending":
            shutil.copy(stage, target)  # checkpointed: the whole store is in this one file
        result = run_child(["--_link", str(stage), str(target), mode, "1" if trace else "0"])
        with sqlite3.connect(target) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        result["disk_mb"] = disk_mb(target)
        for p in folder.glob(target.name + "*"):
            p.unlink()
        return result

    runs = [link_once(tracing == "same") for _ in range(repeats)]
    linked = min(runs, key=lambda r: r["seconds"])
    linked.update(built=built, runs=[r["seconds"] for r in runs])
    if tracing == "separate":
        traced = link_once(True)
        linked.update(traced_mb=traced["traced_mb"], traced_seconds=traced["seconds"])
    for p in folder.glob(stage.name + "*"):
        p.unlink()
    return linked


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("--_seed", "--_build", "--_link"):
        if sys.argv[1] == "--_seed":
            result = {"seed": str(make_seed(Path(sys.argv[2])))}
        elif sys.argv[1] == "--_build":
            result = child_build(Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), float(sys.argv[5]))
        else:
            result = child_link(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], sys.argv[5] == "1")
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,20000,100000")
    parser.add_argument("--quick", action="store_true", help="sizes 500,5000")
    parser.add_argument("--mode", choices=("batch", "pending"), default="batch",
                        help="batch: Linker.link() per 64 articles as ingest does; "
                             "pending: Linker.link_pending()")
    parser.add_argument("--tracemalloc", choices=("separate", "same", "off"), default="separate")
    parser.add_argument("--trace-max", type=int, default=20000,
                        help="largest size that gets the separate tracemalloc pass (it runs ~4x slower)")
    parser.add_argument("--repeat-below", type=int, default=50000,
                        help="sizes below this are linked 3 times and the best time kept (runs on a "
                             "shared machine are noisy; the default repeats both sizes of the target "
                             "ratio, not the 100k run)")
    parser.add_argument("--years", type=float, default=YEARS,
                        help="span of the story dates (fixed for every size, so density grows with it)")
    parser.add_argument("--per-year", type=float, default=0,
                        help="instead of --years: articles per year (span grows with the size, "
                             "density stays fixed)")
    args = parser.parse_args()
    sizes = [500, 5000] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]

    with tempfile.TemporaryDirectory(prefix="storyline-link-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        # in a child: ru_maxrss survives fork + exec, so spaCy must not be loaded in this process
        seed = Path(run_child(["--_seed", str(folder)])["seed"])
        with sqlite3.connect(seed) as conn:
            seeds = conn.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NULL").fetchone()[0]
            events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        print(f"seed: {seeds} sample articles, {events} events, ingested in "
              f"{time.perf_counter() - started:.1f} s; mode {args.mode}, batch {BATCH}, "
              f"tracemalloc {args.tracemalloc}, {os.cpu_count()} CPUs", flush=True)
        results = {}
        for n in sizes:
            years = n / args.per_year if args.per_year else args.years
            tracing = "off" if args.tracemalloc == "separate" and n > args.trace_max else args.tracemalloc
            r = measure(seed, folder, n, args.mode, tracing, years, 3 if n < args.repeat_below else 1)
            results[n] = r
            b = r["built"]
            traced = f"{r['traced_mb']:.0f} MB" if r["traced_mb"] is not None else \
                "skipped (size > --trace-max)" if tracing == "off" and args.tracemalloc != "off" else "off"
            if "traced_seconds" in r:
                traced += f" (traced pass {r['traced_seconds']:.0f} s)"
            best = f" (best of {', '.join(f'{t:.1f}' for t in r['runs'])})" if len(r["runs"]) > 1 else ""
            print(f"{n:>7} articles (built in {b['seconds']:.0f} s: {b['instances']} planted stories over "
                  f"{b['years']:g} years, "
                  f"{b['undated']} undated, {b['events']} events, {b['actor_mentions']} actor mentions)\n"
                  f"        link {r['seconds']:8.1f} s{best}  {n / r['seconds']:7.1f} articles/s  "
                  f"stories {r['stories']} (largest {r['largest']}, purity {r['purity']:.2f}, "
                  f"inverse purity {r['inverse_purity']:.2f})  linked events {r['linked_events']} "
                  f"({r['multi_source']} with 2+ sources)\n"
                  f"        peak RSS {r['rss_peak_mb']:.0f} MB (before linking "
                  f"{r['rss_before_mb']:.0f} MB), tracemalloc peak {traced}; store on disk "
                  f"{b['disk_mb']:.0f} MB unlinked, {r['disk_mb']:.0f} MB linked"
                  + (f"; ms per batch: first 10% {r['first_batches_ms']:.0f}, last 10% "
                     f"{r['last_batches_ms']:.0f}" if "first_batches_ms" in r else ""),
                  flush=True)
        ordered = sorted(results)
        for small, large in zip(ordered, ordered[1:], strict=False):
            ratio = results[large]["seconds"] / results[small]["seconds"]
            print(f"time({large}) / time({small}) = {ratio:.2f} (linear {large / small:.1f})")
        if len(ordered) < 2:
            return
        # the target pair: 2k -> 20k; other size lists judge their two smallest sizes, the
        # target scaled to their ratio (12 for every 10x)
        small, large = (2000, 20000) if 2000 in results and 20000 in results else ordered[:2]
        ratio = results[large]["seconds"] / results[small]["seconds"]
        allowed = TARGET * large / small / 10
        print(f"target time({large}) / time({small}) <= {allowed:.1f}: {ratio:.2f} "
              f"{'PASS' if ratio <= allowed else 'FAIL'}")


if __name__ == "__main__":
    main()
