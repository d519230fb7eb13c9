"""API benchmark: latency of filtered ``GET /api/events`` queries on a store of 100k synthetic
events, served by ``storyline serve`` (one uvicorn process) and queried by 20 concurrent keep-alive
clients on loopback. Target: p95 < 50 ms and zero errors (non-200 answers or exceptions).

The store is built untimed in a temporary directory: a few thousand generated articles
(2015-2025) and events with skewed distributions (16 PLOVER types, actor and recipient codes from
60 countries with Zipf-like popularity plus a few sector codes, event dates near the article's
date, a few undated), with their ``event_codes`` rows, written with ``executemany`` in one
transaction. The server runs in its own process so the load generator does not share its GIL.
Each client thread draws random queries mixing actor=, recipient=, type= and since=/until=
windows, limit=50, a quarter of them for page 2 (next=50). After a warm-up, requests are timed for
``--seconds`` (or until ``--requests`` in total); the clients do not parse the JSON, to leave the
server the CPU (server and clients share the machine's cores). A short run of empty pages
(type=NONE) with the same clients shows the HTTP stack's own latency. Latencies are also given per
query shape, with the time of ``Store.list_events`` alone in-process (no HTTP) for the same shapes,
so a slow query shows up as such; ``--explain`` (automatic on FAIL) prints SQLite's plan for each
shape. The script exits 0 either way.

Run: python benchmarks/serve.py [--events 100000] [--clients 20] [--seconds 20] [--requests N]
     [--client raw|httpx] [--explain]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGET_P95_MS = 50.0

TYPES = {  # PLOVER types, weighted roughly as news coding finds them
    "CONSULT": 20, "ACCUSE": 12, "SUPPORT": 9, "AGREE": 8, "COOPERATE": 8, "REQUEST": 7,
    "ASSAULT": 7, "PROTEST": 6, "REJECT": 5, "THREATEN": 4, "AID": 4, "SANCTION": 3,
    "MOBILIZE": 3, "COERCE": 3, "CONCEDE": 1, "RETREAT": 1,
}
COUNTRIES = (
    "USA RUS CHN UKR GBR FRA DEU ISR IRN IND TUR SYR PSE PAK JPN KOR PRK SAU AFG IRQ EGY NGA BRA "
    "MEX CAN AUS ITA ESP POL YEM LBN VEN ZAF ETH SDN KEN COL PHL IDN MMR BLR QAT ARE JOR LBY MLI "
    "SOM TWN VNM THA GRC SWE NOR NLD BEL HUN SRB ARM AZE GEO"
).split()
SECTORS = ["IGO", "NGO", "GOV", "MIL", "REB"]
WORDS = ("government minister talks border forces agreement officials said on tuesday meeting "
         "troops aid sanctions protest capital spokesman election ceasefire rebels parliament "
         "president envoy summit statement accused rejected demanded offered support security "
         "council week after before during region city province military police court").split()
SHAPES = ["actor", "recipient", "dyad", "type", "actor+type", "window", "actor+window",
          "type+window", "actor+type+window"]


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1 / (rank ** s) for rank in range(1, n + 1)]


CODE_WEIGHTS = zipf_weights(len(COUNTRIES))


def draw_code(rng: random.Random) -> str:
    if rng.random() < 0.05:
        return rng.choice(SECTORS)
    return rng.choices(COUNTRIES, CODE_WEIGHTS)[0]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def build_store(path: Path, n_events: int, n_articles: int, seed: int) -> None:
    """A migrated store holding ``n_articles`` generated articles and ``n_events`` events."""
    from storyline.store.sqlite import Store, event_code_rows, event_sort_key

    rng = random.Random(seed)
    start, days = dt.date(2015, 1, 1), (dt.date(2025, 12, 31) - dt.date(2015, 1, 1)).days
    types, type_weights = list(TYPES), list(TYPES.values())
    now = dt.datetime.now(dt.UTC).isoformat()
    per_article = [n_events // n_articles + (1 if i < n_events % n_articles else 0)
                   for i in range(n_articles)]
    articles, events, codes, pairs = [], [], [], []
    for i, count in enumerate(per_article):
        aid = f"{rng.getrandbits(64):016x}"
        published = start + dt.timedelta(days=rng.randrange(days + 1))
        sentences = [sentence(rng) for _ in range(max(count, 1) + rng.randint(2, 8))]
        spans, offset = [], 0
        for s in sentences:
            spans.append((offset, offset + len(s)))
            offset += len(s) + 1
        text = " ".join(sentences)
        articles.append((aid, f"synthetic/{i}.txt", f"https://news.example/{i}", "news.example",
                         "url", f"Article {i}", published.isoformat(), "day", "url", "en", text,
                         now))
        for j in range(count):
            k = rng.randrange(len(sentences))
            char_start, char_end = spans[k]
            trigger_start = char_start + sentences[k].index(" ") + 1
            trigger = sentences[k].split()[1]
            etype = rng.choices(types, type_weights)[0]
            roll = rng.random()
            if roll < 0.05:
                date = None
            else:
                day = published - dt.timedelta(days=int(rng.expovariate(1 / 3)))
                value = day.isoformat() if roll < 0.85 else day.isoformat()[:7]
                date = {"value": value, "granularity": "day" if len(value) == 10 else "month",
                        "method": "timex" if rng.random() < 0.6 else "published"}
            refs = {"actors": [draw_code(rng) for _ in range(1 if rng.random() < 0.9 else 2)],
                    "recipients": [draw_code(rng) for _ in range(rng.choices((0, 1, 2),
                                                                            (20, 75, 5))[0])]}
            eid = f"{aid}-e{j}"
            sort_key = event_sort_key(date["value"] if date else None, aid, trigger_start)
            as_refs = {}
            for key, role_codes in refs.items():
                as_refs[key] = [{"id": f"act-{c.lower()}-{rng.randrange(20)}", "name": f"{c} actor",
                                  "country": c if c not in SECTORS else None,
                                  "sector": c if c in SECTORS else None} for c in role_codes]
            events.append((
                eid, aid, etype, "", k, char_start, char_end, trigger, trigger_start,
                trigger_start + len(trigger), json.dumps(as_refs["actors"]),
                json.dumps(as_refs["recipients"]), "[]", date["value"] if date else None,
                json.dumps(date) if date else None, None,
                "asserted" if rng.random() < 0.85 else "reported", round(rng.uniform(0.3, 0.95), 2),
                "", sort_key))
            # the listing indexes' rows, as Store.write makes them
            event_codes, event_pairs = event_code_rows(eid, etype, as_refs["actors"],
                                                       as_refs["recipients"], sort_key)
            codes += event_codes
            pairs += event_pairs
    with Store(path) as store:
        conn = store.conn
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO articles (id, origin, url, source, source_method, title, published, "
            "published_granularity, published_method, language, text, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", articles)
        conn.executemany(
            "INSERT INTO events (id, article_id, type, mode, sentence, char_start, char_end, "
            "trigger, trigger_start, trigger_end, actors, recipients, contexts, date_value, date, "
            "place, modality, confidence, cameo, sort_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
        conn.executemany("INSERT INTO event_codes (event_id, role, code, actor_id, sort_key, "
                         "type) VALUES (?, ?, ?, ?, ?, ?)", codes)
        conn.executemany("INSERT INTO event_pairs (event_id, actor, recipient, type, sort_key) "
                         "VALUES (?, ?, ?, ?, ?)", pairs)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def random_query(rng: random.Random) -> tuple[str, dict[str, str]]:
    shape = rng.choice(SHAPES)
    params: dict[str, str] = {"limit": "50"}
    parts = shape.split("+")
    if shape == "dyad":
        parts = ["actor", "recipient"]
    if "actor" in parts:
        params["actor"] = rng.choices(COUNTRIES, CODE_WEIGHTS)[0]
    if "recipient" in parts:
        params["recipient"] = rng.choices(COUNTRIES, CODE_WEIGHTS)[0]
    if "type" in parts:
        params["type"] = rng.choices(list(TYPES), list(TYPES.values()))[0]
    if "window" in parts:
        since = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(4000))
        params["since"] = since.isoformat()
        span = rng.choice((30, 90, 365, None))
        if span:
            params["until"] = (since + dt.timedelta(days=span)).isoformat()
    if rng.random() < 0.25:
        params["next"] = "50"
    return shape, params


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    import httpx

    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "storyline", "serve", "--db", str(db),
                                 "--host", "127.0.0.1", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"the server did not answer within 60 s:\n{log.read_text()}")


class Schedule:
    """The run's clock and request budget, shared by the clients of either load generator."""

    def __init__(self, warmup: float, seconds: float, max_requests: int | None) -> None:
        self.measure_from = time.monotonic() + warmup
        self.stop_at = self.measure_from + seconds
        self.max_requests = max_requests
        self.issued = 0
        self.lock = threading.Lock()

    def next(self) -> tuple[float, bool] | None:
        """(start time, whether the request is timed) for the next request, or None to stop."""
        t0 = time.monotonic()
        if t0 >= self.stop_at:
            return None
        counted = t0 >= self.measure_from
        if counted and self.max_requests is not None:
            with self.lock:
                if self.issued >= self.max_requests:
                    return None
                self.issued += 1
        return t0, counted


def load(port: int, clients: int, warmup: float, seconds: float, max_requests: int | None,
         seed: int, query=random_query) -> tuple[list[tuple[str, float]], list[str], float]:
    """Runs the clients; returns (shape, latency in s) of timed requests, errors, timed wall time."""
    import httpx

    timed: list[tuple[str, float]] = []
    errors: list[str] = []
    lock = threading.Lock()
    schedule = Schedule(warmup, seconds, max_requests)

    def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            while True:
                shape, params = query(rng)
                if (turn := schedule.next()) is None:
                    return
                t0, counted = turn
                try:
                    response = http.get("/api/events", params=params)  # reads the whole body
                    error = None if response.status_code == 200 else (
                        f"{response.status_code} {response.text[:200]}")
                except Exception as exc:  # noqa: BLE001 - every failure is an error to count
                    error = f"{type(exc).__name__}: {exc}"
                elapsed = time.monotonic() - t0
                if counted:
                    with lock:
                        timed.append((shape, elapsed))
                        if error:
                            errors.append(f"{params}: {error}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - schedule.measure_from
    return timed, errors, wall


def load_raw(port: int, clients: int, warmup: float, seconds: float, max_requests: int | None,
             seed: int, query=random_query) -> tuple[list[tuple[str, float]], list[str], float]:
    """The same run as :func:`load` with a light client: one asyncio loop, ``clients``
    keep-alive connections speaking plain HTTP/1.1 (request line out; status line, headers and
    a Content-Length body in). It costs the shared CPU a few tens of microseconds per request,
    where httpx in threads costs about a millisecond and queues answers behind its GIL, so the
    latency measured is the server's."""
    import asyncio
    from urllib.parse import urlencode

    timed: list[tuple[str, float]] = []
    errors: list[str] = []

    async def client(index: int, schedule: Schedule) -> None:
        rng = random.Random(seed * 1000 + index)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while True:
                shape, params = query(rng)
                if (turn := schedule.next()) is None:
                    return
                t0, counted = turn
                error = None
                try:
                    writer.write(f"GET /api/events?{urlencode(params)} HTTP/1.1\r\n"
                                 f"Host: 127.0.0.1\r\n\r\n".encode())
                    head = await reader.readuntil(b"\r\n\r\n")
                    status = int(head.split(b" ", 2)[1])
                    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length:")), None)
                    if length is None:
                        raise ValueError("no Content-Length in the answer")
                    body = await reader.readexactly(length)
                    if status != 200:
                        error = f"{status} {body[:200]!r}"
                except Exception as exc:  # noqa: BLE001 - every failure is an error to count
                    error = f"{type(exc).__name__}: {exc}"
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                elapsed = time.monotonic() - t0
                if counted:
                    timed.append((shape, elapsed))
                    if error:
                        errors.append(f"{params}: {error}")
        finally:
            writer.close()

    async def run() -> float:
        schedule = Schedule(warmup, seconds, max_requests)
        await asyncio.gather(*(client(i, schedule) for i in range(clients)))
        return time.monotonic() - schedule.measure_from

    wall = asyncio.run(run())
    return timed, errors, wall


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def in_process(db: Path, seed: int, per_shape: int, explain: bool) -> dict[str, float]:
    """Median ms of ``Store.list_events`` alone per shape; prints query plans when ``explain``."""
    from storyline.store.sqlite import Store

    rng = random.Random(seed + 7)
    samples: dict[str, list[dict[str, str]]] = {s: [] for s in SHAPES}
    while min(len(v) for v in samples.values()) < per_shape:
        shape, params = random_query(rng)
        samples[shape].append(params)
    out = {}
    with Store(db) as store:
        for shape in SHAPES:
            times = []
            for params in samples[shape][:per_shape]:
                kwargs = {k: v for k, v in params.items() if k not in ("limit", "next")}
                t0 = time.perf_counter()
                store.list_events(limit=50, offset=int(params.get("next", 0)), **kwargs)
                times.append(time.perf_counter() - t0)
            out[shape] = statistics.median(times) * 1000
        if explain:
            print("\nquery plans (SQL as Store.list_events issues it, one example per shape):")
            for shape in SHAPES:
                statements: list[str] = []
                store.conn.set_trace_callback(statements.append)
                params = samples[shape][0]
                kwargs = {k: v for k, v in params.items() if k not in ("limit", "next")}
                store.list_events(limit=50, offset=0, **kwargs)
                store.conn.set_trace_callback(None)
                sql = next(s for s in statements if "FROM events" in s)
                print(f"- {shape} {kwargs}:")
                for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql):
                    print(f"    {row['detail']}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="timed run after warm-up")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--requests", type=int, default=None,
                        help="stop after this many timed requests (still bounded by --seconds)")
    parser.add_argument("--floor-seconds", type=float, default=5.0,
                        help="timed run of empty pages, to show the HTTP stack's own latency")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw",
                        help="load generator: raw asyncio HTTP/1.1 (light) or httpx in threads")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="storyline-serve-bench-") as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        build_store(db, args.events, args.articles, args.seed)
        conn = sqlite3.connect(db)
        n_events, n_articles, n_codes = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                                         for t in ("events", "articles", "event_codes"))
        conn.close()
        size = sum(p.stat().st_size for p in Path(tmp).iterdir() if p.name.startswith("bench.db"))
        print(f"store: {n_events:,} events, {n_codes:,} event codes, {n_articles:,} articles, "
              f"{size / 1e6:.1f} MB (built in {time.perf_counter() - t0:.1f} s, not measured)")
        print(f"server: storyline serve, 1 uvicorn process; machine: {os.cpu_count()} cores "
              f"shared by server and clients")

        port = free_port()
        server = start_server(db, port, Path(tmp) / "server.log")
        try:
            generate = load_raw if args.client == "raw" else load
            timed, errors, wall = generate(port, args.clients, args.warmup, args.seconds,
                                           args.requests, args.seed)
            floor = generate(port, args.clients, 1.0, args.floor_seconds, None, args.seed,
                             lambda rng: ("floor", {"type": "NONE", "limit": "50"}))
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()

        latencies = [s * 1000 for _, s in timed]
        print(f"load: {args.clients} concurrent keep-alive clients ({args.client}) on 127.0.0.1, "
              f"{args.warmup:.0f} s warm-up, then {wall:.1f} s timed")
        print(f"requests: {len(timed):,}, throughput {len(timed) / wall:,.1f} req/s, "
              f"errors {len(errors)}")
        if latencies:
            print(f"latency ms: p50 {pct(latencies, 0.5):.1f}  p95 {pct(latencies, 0.95):.1f}  "
                  f"p99 {pct(latencies, 0.99):.1f}  max {max(latencies):.1f}")
        for error in errors[:5]:
            print(f"  error: {error}")
        floor_ms = [s * 1000 for _, s in floor[0]]
        if floor_ms:
            print(f"HTTP floor (same clients, empty page: type=NONE): {len(floor_ms) / floor[2]:,.0f} "
                  f"req/s, p50 {pct(floor_ms, 0.5):.1f} ms, p95 {pct(floor_ms, 0.95):.1f} ms, "
                  f"errors {len(floor[1])}")

        p95 = pct(latencies, 0.95) if latencies else float("inf")
        ok = p95 < TARGET_P95_MS and not errors and bool(latencies)
        alone = in_process(db, args.seed, 30, args.explain or not ok)
        print("\nper shape (HTTP under load; Store.list_events alone in-process, median of 30):")
        print(f"  {'shape':<18} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'alone ms':>9}")
        for shape in SHAPES:
            mine = [s * 1000 for sh, s in timed if sh == shape]
            print(f"  {shape:<18} {len(mine):>8} {pct(mine, 0.5):>8.1f} {pct(mine, 0.95):>8.1f} "
                  f"{alone[shape]:>9.1f}")
        print(f"\ntarget p95 < {TARGET_P95_MS:.0f} ms and zero errors: p95 {p95:.1f} ms, "
              f"{len(errors)} errors: {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
