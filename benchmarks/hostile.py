"""Hostile-input benchmark: peak memory and wall time of ``storyline ingest`` on inputs built to
exhaust it. Target: every case finishes within ``--timeout`` (120 s) with a peak RSS under
``--max-rss`` (600 MB), exit code 0 or 3 (some input rejected), never a crash.

Each input is generated in a temporary folder (about 1 MB on disk each: a block is compressed
once and its output repeated) and ingested by ``python3 -m storyline ingest <input> --db
<tmp>/x.db --quiet`` in its own process; the child's peak RSS comes from ``os.wait4`` (per child,
not cumulative). The ingest loads spaCy, so a baseline (one small good file) is measured first and
printed with the rest.

- ``jsonl.gz 1 GB line``: 1 MB of gzip expanding to one JSON line of 1 GB;
- ``warc.gz 1 GB record``: the same as one WARC response record, then a good record;
- ``jsonl.gz 1 GB newlines``: a good line, then a gigabyte of blank lines;
- ``deep JSON line``: a line of 2 million ``[`` (and one good line);
- ``WARC without URI``: a response record with no ``WARC-Target-URI`` between two good ones;
- ``UTF-16 file``, ``NUL bytes``: text with a byte-order mark, text with stray NULs;
- ``billion laughs feed``: an RSS feed with nested entity declarations, served from a local HTTP
  server (loopback is refused by default: the child gets ``STORYLINE_ALLOW_PRIVATE=1``);
- ``FIFO in folder`` (nobody ever writes to it), ``/dev/zero``.

With ``--slow``: a URL whose server sends one byte every 2 s (the default 60 s deadline applies)
and a feed of 5,000 entries (the default cap of 200 applies).

The table shows, per case, the exit code, seconds, peak RSS, articles stored and the rejection
codes, then PASS/FAIL. The script exits 0 either way.

Run: python benchmarks/hostile.py [--timeout 120] [--max-rss 600] [--slow] [--only NAME]
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import resource
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MB = 1 << 20
ARTICLE = (
    "Harbour officials in Mombasa said on Monday that a new container crane had been installed. "
    "The crane, bought from a Finnish maker, can lift 65 tonnes and will cut waiting times for "
    "ships by a third, the port authority said in a statement. Dock workers welcomed the machine, "
    "which arrived by sea from Rotterdam last month after a delay caused by storms.\n"
)
HTML = (f"<!doctype html><html><head><title>Crane arrives</title></head><body><article>"
        f"<h1>Crane arrives</h1><p>{ARTICLE}</p><p>{ARTICLE.replace('Monday', 'Tuesday')}</p>"
        f"</article></body></html>")


def gzip_repeating(prefix: bytes, block: bytes, count: int, suffix: bytes = b"") -> bytes:
    """One gzip member holding ``prefix + block * count + suffix``: after a full flush the
    compressor starts afresh, so the block is compressed once and its output repeated."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)
    once = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.compress(suffix) + comp.flush()
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    size = len(prefix) + len(block) * count + len(suffix)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + head + once * count + tail
            + struct.pack("<II", crc, size & 0xFFFFFFFF))


def warc_record(url: str | None, body: bytes = b"", *, body_size: int = 0) -> bytes:
    """A gzip member with one WARC response record (``body``, or ``body_size`` bytes of 'a')."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    size = len(body) if body else body_size
    target = f"WARC-Target-URI: {url}\r\n" if url else ""
    head = (f"WARC/1.0\r\nWARC-Type: response\r\n{target}WARC-Record-ID: <urn:uuid:{abs(hash(url))}>"
            f"\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http) + size}\r\n\r\n").encode()
    if body:
        return gzip_repeating(head + http + body, b"", 0, b"\r\n\r\n")
    opening = b"<html><body>"
    blocks, rest = divmod(size - len(opening), MB)
    return gzip_repeating(head + http + opening + b"a" * rest, b"a" * MB, blocks, b"\r\n\r\n")


# ---------------------------------------------------------------- a local server for URL cases


class Server:
    """A threaded HTTP server on 127.0.0.1 for the feed and slow-drip cases."""

    def __init__(self) -> None:
        state = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                path = self.path.split("?")[0]
                try:
                    if path == "/laughs.xml":
                        self.reply(state.laughs(), "application/rss+xml")
                    elif path == "/feed5000.xml":
                        self.reply(state.feed(5000), "application/rss+xml")
                    elif path == "/page.html":
                        n = self.path.rsplit("=", 1)[-1]
                        self.reply(HTML.replace("Mombasa", f"Mombasa ({n})").encode(), "text/html")
                    elif path == "/drip":
                        self.send_response(200)
                        self.send_header("Content-Type", "text/html")
                        self.end_headers()
                        for _ in range(1000):
                            self.wfile.write(b" ")
                            self.wfile.flush()
                            time.sleep(2)
                    else:
                        self.send_error(404)
                except OSError:
                    pass

            def reply(self, body: bytes, ctype: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def laughs(self) -> bytes:
        dtd = '<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10))
        return (f'<?xml version="1.0"?>\n<!DOCTYPE rss [{dtd}]>\n<rss version="2.0"><channel>'
                f"<item><title>First</title><link>{self.base}/page.html?n=1</link></item>"
                f"<item><title>&lol9;</title><link>{self.base}/page.html?n=2</link></item>"
                f"<item><title>Third</title><link>{self.base}/page.html?n=3</link></item>"
                f"</channel></rss>").encode()

    def feed(self, count: int) -> bytes:
        items = "".join(f"<item><title>Story {i}</title><link>{self.base}/page.html?n={i}</link>"
                        f"</item>" for i in range(count))
        return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


# ---------------------------------------------------------------- cases


@dataclass
class Case:
    name: str
    build: Callable[[Path, Server], list[str]]
    slow: bool = False
    env: dict[str, str] = field(default_factory=dict)


def _file(folder: Path, name: str, data: bytes) -> list[str]:
    (folder / name).write_bytes(data)
    return [str(folder / name)]


def _fifo_folder(folder: Path, _: Server) -> list[str]:
    (folder / "in").mkdir()
    os.mkfifo(folder / "in" / "pipe.txt")
    (folder / "in" / "good.txt").write_text(ARTICLE)
    return [str(folder / "in")]


LOCAL = {"STORYLINE_ALLOW_PRIVATE": "1"}
CASES = [
    Case("baseline (one good file)", lambda d, s: _file(d, "good.txt", ARTICLE.encode())),
    Case("jsonl.gz 1 GB line", lambda d, s: _file(d, "line.jsonl.gz", gzip_repeating(
        b'{"text": "', b"a" * MB, 1024, b'"}\n' + json.dumps({"text": ARTICLE}).encode())),),
    Case("warc.gz 1 GB record", lambda d, s: _file(d, "record.warc.gz", warc_record(
        "https://a.example/huge", body_size=1024 * MB)
        + warc_record("https://a.example/good", HTML.encode()))),
    Case("jsonl.gz 1 GB newlines", lambda d, s: _file(d, "newlines.jsonl.gz", gzip_repeating(
        json.dumps({"text": ARTICLE}).encode() + b"\n", b"\n" * MB, 1024))),
    Case("deep JSON line", lambda d, s: _file(d, "deep.jsonl", b"[" * 2_000_000 + b"]" * 2_000_000
                                              + b"\n" + json.dumps({"text": ARTICLE}).encode())),
    Case("WARC without URI", lambda d, s: _file(d, "nouri.warc.gz", warc_record(
        "https://a.example/1", HTML.encode()) + warc_record(None, HTML.encode())
        + warc_record("https://a.example/3", HTML.replace("Monday", "Friday").encode()))),
    Case("UTF-16 file", lambda d, s: _file(d, "utf16.txt", ARTICLE.encode("utf-16"))),
    Case("NUL bytes", lambda d, s: _file(d, "nul.txt", ARTICLE.replace(" the ", " the\0 ")
                                         .encode())),
    Case("billion laughs feed", lambda d, s: [f"{s.base}/laughs.xml"], env=LOCAL),
    Case("FIFO in folder", _fifo_folder),
    Case("/dev/zero", lambda d, s: ["/dev/zero"]),
    Case("slow drip URL (60 s deadline)", lambda d, s: [f"{s.base}/drip"], slow=True, env=LOCAL),
    Case("feed of 5,000 entries (cap 200)", lambda d, s: [f"{s.base}/feed5000.xml"], slow=True,
         env=LOCAL),
]


@dataclass
class Result:
    name: str
    exit: int | None
    seconds: float
    rss_mb: float
    stored: int | None
    rejections: str


def run_case(case: Case, server: Server, timeout: float) -> Result:
    """Build the case's input in a fresh folder, ingest it in a child, measure the child."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        folder = Path(tmp)
        args = case.build(folder, server)
        db = folder / "x.db"
        env = {**os.environ, **case.env}
        command = [sys.executable, "-m", "storyline", "ingest", *args, "--db", str(db), "--quiet"]
        with open(folder / "out.txt", "wb") as out:
            started = time.monotonic()
            pid = _spawn(command, env, out.fileno())
            status, usage = _wait(pid, started + timeout)
            seconds = time.monotonic() - started
        code = os.waitstatus_to_exitcode(status) if status is not None else None
        stored, rejections = _summary(db)
        return Result(case.name, code, seconds, usage.ru_maxrss / 1024, stored, rejections)


def _spawn(command: list[str], env: dict[str, str], out: int) -> int:
    """Start the child (stdin from /dev/null, stdout and stderr to ``out``); reaped by
    :func:`_wait` with ``os.wait4``, which gives this child's own peak RSS."""
    return os.posix_spawn(command[0], command, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_DUP2, out, 1),
        (os.POSIX_SPAWN_DUP2, out, 2),
    ])


def _wait(pid: int, deadline: float) -> tuple[int | None, resource.struct_rusage]:
    """Wait for the child until ``deadline``, killing it after that: (wait status or None when
    killed, the child's own resource usage)."""
    while time.monotonic() < deadline:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    _, _, usage = os.wait4(pid, 0)
    return None, usage


def _summary(db: Path) -> tuple[int | None, str]:
    """Articles stored and rejection codes (with counts) in the case's database."""
    if not db.exists():
        return None, "-"
    try:
        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            rows = conn.execute("SELECT code, count(*) FROM rejections GROUP BY code ORDER BY code")
            codes = " ".join(f"{code}×{n}" if n > 1 else str(code) for code, n in rows)
    except sqlite3.Error as exc:
        return None, f"({exc})"
    return stored, codes or "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    parser.add_argument("--max-rss", type=float, default=600.0, help="MB of peak RSS per case")
    parser.add_argument("--slow", action="store_true", help="also the slow URL cases")
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--no-search", action="store_true",
                        help="skip the hostile searches against a 100k-event store "
                             "(benchmarks/hostile_search.py)")
    args = parser.parse_args()

    server = Server()
    cases = [c for c in CASES if (args.slow or not c.slow) and args.only.lower() in c.name.lower()]
    if not cases[0].name.startswith("baseline"):
        cases.insert(0, CASES[0])
    print(f"{'case':34} {'exit':>4} {'seconds':>8} {'peak MB':>8} {'+base':>6} {'stored':>6}  "
          f"rejections")
    results: list[Result] = []
    baseline = 0.0
    for case in cases:
        result = run_case(case, server, args.timeout)
        results.append(result)
        baseline = baseline or result.rss_mb
        print(f"{result.name:34} {result.exit if result.exit is not None else 'kill':>4} "
              f"{result.seconds:8.1f} {result.rss_mb:8.0f} {result.rss_mb - baseline:+6.0f} "
              f"{result.stored if result.stored is not None else '-':>6}  {result.rejections}",
              flush=True)

    failed = [r.name for r in results
              if r.exit not in (0, 3) or r.rss_mb > args.max_rss or r.seconds > args.timeout]
    print(f"\nbaseline peak RSS {baseline:.0f} MB (spaCy loaded); limits: {args.max_rss:.0f} MB, "
          f"{args.timeout:.0f} s per case")
    print("PASS" if not failed else "FAIL: " + ", ".join(failed))
    if not args.no_search:
        print("\nhostile searches, /api/search on a 100k-event store (benchmarks/hostile_search.py):",
              flush=True)
        subprocess.run([sys.executable, str(Path(__file__).with_name("hostile_search.py"))],
                       check=False)


if __name__ == "__main__":
    main()
