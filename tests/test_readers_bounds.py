"""Readers under hostile input: bounded memory and time, and a rejection (never an exception or a
silent gap) for every bad input while the rest of the batch goes on.

Memory bounds are checked in a subprocess that imports only the readers and runs under a 1 GB
address-space limit; the bombs are built in milliseconds (a block compressed once, its output
repeated) and stay about 1 MB on disk.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest

from storyline.ingest import limits
from storyline.ingest.readers import iter_inputs, load_single
from storyline.model import Rejection
from test_readers import ARTICLE, HTML, warc_bytes

MB = 1 << 20


# ---------------------------------------------------------------- helpers


def gzip_repeating(prefix: bytes, block: bytes, count: int, suffix: bytes = b"") -> bytes:
    """One gzip member holding ``prefix + block * count + suffix``, built without compressing it
    all: after a full flush the compressor starts afresh, so one block's output can be repeated."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)
    once = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    assert once == comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.compress(suffix) + comp.flush()
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    size = len(prefix) + len(block) * count + len(suffix)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + head + once * count + tail
            + struct.pack("<II", crc, size & 0xFFFFFFFF))


def warc_record_member(url: str, body_size: int, *, extra_http: bytes = b"",
                       chunked: bool = False) -> bytes:
    """A gzip member with one WARC response record whose HTML body is ``body_size`` bytes."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + extra_http + b"\r\n"
    opening = b"<html><body>"
    chunk_head = b"%x\r\n" % body_size if chunked else b""
    chunk_tail = b"\r\n0\r\n\r\n" if chunked else b""
    length = len(http) + len(chunk_head) + body_size + len(chunk_tail)
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Record-ID: <urn:uuid:{abs(hash(url))}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()
    blocks, rest = divmod(body_size - len(opening), MB)
    return gzip_repeating(head + http + chunk_head + opening + b"a" * rest, b"a" * MB, blocks,
                          chunk_tail + b"\r\n\r\n")


BOUNDED_RUNNER = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from storyline.ingest.readers import iter_inputs
items = [[type(i).__name__, getattr(i, "code", ""), i.origin] for i in iter_inputs(sys.argv[1:])]
print(json.dumps(items))
"""


def read_in_bounded_process(*paths: Path, timeout: float = 60) -> list[list[str]]:
    """Run the readers over ``paths`` in a child limited to 1 GB of address space."""
    proc = subprocess.run([sys.executable, "-c", BOUNDED_RUNNER, *map(str, paths)],
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def codes(items) -> list[str]:
    return [i.code if isinstance(i, Rejection) else "doc" for i in items]


# ---------------------------------------------------------------- JSONL


def test_deeply_nested_json_line_is_refused_before_parsing(tmp_path):
    lines = ["[" * 100_000 + "]" * 100_000,
             json.dumps({"text": ARTICLE}),
             json.dumps({"text": "[" * 500 + " brackets in a string are text"}),
             '{"a":' * 70 + "1" + "}" * 70]
    (tmp_path / "deep.jsonl").write_text("\n".join(lines) + "\n")
    got = list(iter_inputs([str(tmp_path / "deep.jsonl")]))
    assert codes(got) == ["E018", "doc", "doc", "E018"]
    assert "64" in got[0].reason and got[0].origin.endswith(":1")


def test_json_depth_counts_structure_not_string_content():
    assert not limits.json_too_deep(b'{"a": "[[[[[\\"[[[[["}', 2)
    assert limits.json_too_deep(b"[[[]]]", 2)
    assert not limits.json_too_deep(b"[[]]", 2)
    assert not limits.json_too_deep(b"[[],[],[],[],[]]", 2)
    assert limits.json_too_deep(b'["unterminated [[[[', 2)  # invalid anyway


def test_stdin_starting_with_a_deep_line_is_read_as_jsonl():
    data = ('{"x":' * 5_000 + "\n" + json.dumps({"text": ARTICLE}) + "\n").encode()
    assert codes(iter_inputs(["-"], stdin=io.BytesIO(data))) == ["E018", "doc"]


def test_stdin_jsonl_with_long_lines_is_sniffed_as_jsonl():
    data = "\n".join(json.dumps({"text": ARTICLE * 20, "n": i}) for i in range(2)).encode()
    got = list(iter_inputs(["-"], stdin=io.BytesIO(data)))
    assert codes(got) == ["doc", "doc"] and got[1].origin == "<stdin>:2"


def test_any_error_on_one_jsonl_line_is_a_rejection_for_that_line(tmp_path, monkeypatch):
    real = json.loads

    def flaky(raw, *args, **kwargs):
        if b"boom" in raw:
            raise TypeError("unexpected")
        return real(raw, *args, **kwargs)

    monkeypatch.setattr(json, "loads", flaky)
    (tmp_path / "f.jsonl").write_text(json.dumps({"text": "boom " + ARTICLE}) + "\n"
                                      + json.dumps({"text": ARTICLE}) + "\n")
    got = list(iter_inputs([str(tmp_path / "f.jsonl")]))
    assert codes(got) == ["E007", "doc"] and "TypeError" in got[0].reason


def test_jsonl_line_over_max_bytes_is_skipped_without_holding_it(tmp_path):
    lines = [json.dumps({"text": ARTICLE * 100}), "", "   ", json.dumps({"text": ARTICLE})]
    (tmp_path / "long.jsonl").write_text("\n".join(lines) + "\n")
    got = list(iter_inputs([str(tmp_path / "long.jsonl")], max_bytes=5_000))
    assert codes(got) == ["E004", "doc"]
    assert [g.origin.rsplit(":", 1)[1] for g in got] == ["1", "4"]


def test_iter_lines_numbers_lines_across_chunk_boundaries():
    data = b"a\n\n  \r\n{b}\nccccccccccc\n \t\ndd"
    for size in range(1, len(data) + 1):
        chunks = iter([data[i:i + size] for i in range(0, len(data), size)])
        got = [(line.number, line.data) for line in limits.iter_lines(chunks, 5)]
        assert got == [(1, b"a"), (4, b"{b}"), (5, None), (7, b"dd")], size


def test_total_budget_bounds_one_file(tmp_path):
    body = "".join(json.dumps({"text": ARTICLE, "n": i}) + "\n" for i in range(12_000))
    assert len(body) > 3 * limits.CHUNK  # the budget is checked chunk by chunk
    (tmp_path / "many.jsonl").write_text(body)
    got = list(iter_inputs([str(tmp_path / "many.jsonl")], max_total_bytes=len(body) // 2))
    assert codes(got)[-1] == "E004" and "decompressed" in got[-1].reason
    assert 1_000 <= codes(got).count("doc") < 12_000
    assert limits.total_budget(5_000_000, 1_000) == 500_000_000
    assert limits.total_budget(5_000_000, 10**9) == 10**11


@pytest.mark.slow
def test_jsonl_gz_expanding_to_one_gigabyte_line_stays_bounded(tmp_path):
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip_repeating(b'{"text": "', b"a" * MB, 1024,
                                    b'"}\n' + json.dumps({"text": ARTICLE}).encode() + b"\n"))
    assert bomb.stat().st_size < 2 * MB
    got = read_in_bounded_process(bomb)
    assert [(kind, code) for kind, code, _ in got] == [("Rejection", "E004"), ("Rejection", "E004")]
    assert got[0][2].endswith(":1")


@pytest.mark.slow
def test_jsonl_gz_of_a_gigabyte_of_newlines_ends_quickly(tmp_path):
    bomb = tmp_path / "newlines.jsonl.gz"
    bomb.write_bytes(gzip_repeating(json.dumps({"text": ARTICLE}).encode() + b"\n",
                                    b"\n" * MB, 1024))
    got = read_in_bounded_process(bomb, timeout=60)
    assert [code for _, code, _ in got] == ["", "E004"]


def test_blank_lines_are_skipped_in_bulk(tmp_path):
    data = gzip_repeating(b"\n", b"\n" * MB, 64, json.dumps({"text": ARTICLE}).encode())
    (tmp_path / "blank.jsonl.gz").write_bytes(data)
    started = time.monotonic()
    got = list(iter_inputs([str(tmp_path / "blank.jsonl.gz")]))
    assert time.monotonic() - started < 10  # a Python call per newline took 40 s
    assert codes(got) == ["doc"] and got[0].origin.endswith(f":{64 * MB + 2}")


# ---------------------------------------------------------------- WARC


def warc_without_target_uri(gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url in ("https://a.example/1", None, "https://a.example/3"):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(url or "https://x.example/", "response",
                                           payload=io.BytesIO(HTML.encode()), http_headers=headers)
        if url is None:
            record.rec_headers.remove_header("WARC-Target-URI")
        writer.write_record(record)
    return buf.getvalue()


@pytest.mark.parametrize("gz", [True, False])
def test_warc_record_without_target_uri_is_rejected_and_reading_goes_on(tmp_path, gz):
    path = tmp_path / ("news.warc.gz" if gz else "news.warc")
    path.write_bytes(warc_without_target_uri(gz))
    got = list(iter_inputs([str(path)]))
    assert codes(got) == ["doc", "E009", "doc"]
    assert "WARC-Target-URI" in got[1].reason
    assert got[2].url == "https://a.example/3"


def test_unparseable_warc_record_in_gzip_member_is_skipped(tmp_path):
    good = warc_bytes([("https://a.example/1", HTML.encode(), "text/html")])
    bad_length = gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: nonsense\r\n"
                               b"WARC-Target-URI: https://a.example/2\r\n\r\nHTTP/1.1 x\r\n\r\n")
    not_warc = gzip.compress(b"garbage line\r\n\r\nmore garbage\r\n")
    (tmp_path / "mixed.warc.gz").write_bytes(good + bad_length + good + not_warc + good)
    got = list(iter_inputs([str(tmp_path / "mixed.warc.gz")]))
    assert codes(got) == ["doc", "E005", "doc", "E009", "doc"]


def test_max_bytes_applies_to_warc_records(tmp_path):
    data = warc_bytes([("https://a.example/big", HTML.encode() * 10, "text/html"),
                       ("https://a.example/small", HTML.encode(), "text/html")])
    (tmp_path / "news.warc.gz").write_bytes(data)
    got = list(iter_inputs([str(tmp_path / "news.warc.gz")], max_bytes=len(HTML) * 2))
    assert codes(got) == ["E004", "doc"] and got[0].origin.endswith("/big")


def test_cut_off_warc_is_reported_not_silently_short(tmp_path):
    data = warc_bytes([("https://a.example/1", HTML.encode(), "text/html"),
                       ("https://a.example/2", (HTML * 20).encode(), "text/html")])
    for cut in (40, 400):
        (tmp_path / "cut.warc.gz").write_bytes(data[:-cut])
        got = list(iter_inputs([str(tmp_path / "cut.warc.gz")]))
        assert codes(got)[0] == "doc", cut
        assert set(codes(got)[1:]) <= {"E009", "E006"} and len(got) > 1, cut
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    assert codes(iter_inputs([str(tmp_path / "empty.warc.gz")])) == ["E005"]


def test_chunked_warc_payload_is_read_and_bounded(tmp_path):
    small = warc_record_member("https://a.example/chunked", 3_000,
                               extra_http=b"Transfer-Encoding: chunked\r\n", chunked=True)
    big = warc_record_member("https://a.example/big", 8 * MB,
                             extra_http=b"Transfer-Encoding: chunked\r\n", chunked=True)
    (tmp_path / "chunked.warc.gz").write_bytes(small + big + small)
    got = list(iter_inputs([str(tmp_path / "chunked.warc.gz")]))
    assert codes(got) == ["doc", "E004", "doc"]
    assert len(got[0].content) == 3_000


@pytest.mark.slow
def test_warc_gz_expanding_to_one_gigabyte_record_stays_bounded(tmp_path):
    bomb = tmp_path / "bomb.warc.gz"
    bomb.write_bytes(warc_record_member("https://a.example/huge", 1024 * MB)
                     + warc_bytes([("https://a.example/after", HTML.encode(), "text/html")]))
    assert bomb.stat().st_size < 2 * MB
    got = read_in_bounded_process(bomb)
    assert got[0][:2] == ["Rejection", "E004"] and got[0][2].endswith("#https://a.example/huge")
    assert all(kind == "Rejection" for kind, _, _ in got)  # the rest is past the file's budget


@pytest.mark.slow
def test_warc_header_line_of_a_gigabyte_stays_bounded(tmp_path):
    bomb = tmp_path / "header.warc.gz"
    bomb.write_bytes(gzip_repeating(b"WARC/1.0\r\nWARC-Type: response\r\nX-Long: ", b"b" * MB,
                                    1024, b"\r\n\r\n"))
    got = read_in_bounded_process(bomb)
    assert got[0][:2] == ["Rejection", "E009"]


# ---------------------------------------------------------------- special files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_devices_are_refused_without_opening(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "good.txt").write_text(ARTICLE)
    os.symlink("/dev/null", folder / "null.txt")
    got = read_in_bounded_process(folder, Path("/dev/zero"), timeout=30)
    assert [(Path(origin).name, code) for _, code, origin in got] == [
        ("good.txt", ""), ("null.txt", "E017"), ("pipe.txt", "E017"), ("zero", "E017")]
    lazy = list(iter_inputs([str(folder), "/dev/zero"], lazy=True))
    assert [(Path(i.origin).name, codes([i])[0]) for i in lazy] == [
        ("good.txt", "doc"), ("null.txt", "E017"), ("pipe.txt", "E017"), ("zero", "E017")]
    assert "character device" in lazy[-1].reason
    with pytest.raises(Exception) as caught:
        load_single(str(folder / "pipe.txt"))
    assert getattr(caught.value, "code", "") == "E017"


def test_fifo_rejection_names_its_kind(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.jsonl")
    result: list = []
    reader = threading.Thread(target=lambda: result.extend(iter_inputs([str(tmp_path / "pipe.jsonl")])),
                              daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "reading a FIFO blocked"
    [got] = result
    assert got.code == "E017" and "FIFO" in got.reason and got.stage == "read"


def test_stdin_is_read_with_a_bound():
    class Endless(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buf):
            buf[:] = b"a" * len(buf)
            return len(buf)

    [got] = iter_inputs(["-"], stdin=io.BufferedReader(Endless()), max_bytes=10_000)
    assert got.code == "E004"


# ---------------------------------------------------------------- encodings and NUL


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_choose_the_decoding(tmp_path, encoding):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    title = "Caf\u00e9 \u4e2d\u6587"
    (tmp_path / "a.txt").write_bytes(bom + (title + "\n" + ARTICLE).encode(encoding))
    (tmp_path / "b.html").write_bytes(bom + HTML.encode(encoding))
    record = json.dumps({"text": ARTICLE, "title": title}, ensure_ascii=False) + "\n"
    (tmp_path / "c.jsonl").write_bytes(bom + (record * 2).encode(encoding))
    got = list(iter_inputs([str(tmp_path / n) for n in ("a.txt", "b.html", "c.jsonl")]))
    assert codes(got) == ["doc"] * 4
    assert got[0].content.startswith(title) and "\ufeff" not in got[0].content
    assert got[1].fmt == "html" and "<title>Crane arrives</title>" in got[1].content
    assert got[2].title == title and got[3].origin.endswith(":2")
    [stdin] = iter_inputs(["-"], stdin=io.BytesIO(bom + HTML.encode(encoding)))
    assert stdin.fmt == "html"


def test_stray_nul_bytes_are_removed_but_binary_is_still_refused(tmp_path):
    (tmp_path / "nul.txt").write_bytes(ARTICLE.replace("crane", "cr\0ane").encode() + b"\0")
    (tmp_path / "nul.html").write_bytes(HTML.replace("Crane", "Cr\0ane").encode())
    (tmp_path / "nul.jsonl").write_text(json.dumps({"text": ARTICLE.replace("crane", "cr\0ane"),
                                                    "title": "Cr\0ane", "url": "https://x/\0"}))
    (tmp_path / "zeros.txt").write_bytes(b"words " + b"\0" * 4000)
    got = list(iter_inputs([str(tmp_path / n)
                            for n in ("nul.txt", "nul.html", "nul.jsonl", "zeros.txt")]))
    assert codes(got) == ["doc", "doc", "doc", "E003"]
    for doc in got[:3]:
        assert "\0" not in doc.content and "crane" in doc.content.lower()
    assert got[2].title == "Crane" and got[2].url == "https://x/"


def test_unlistable_folder_is_a_rejection_not_a_gap(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_text(ARTICLE)
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    got = list(iter_inputs([str(tmp_path)]))
    assert [(Path(g.origin).name, codes([g])[0]) for g in got] == [("locked", "E001"), ("a.txt", "doc")]
    assert "Permission denied" in got[0].reason
