"""Readers: every supported format, directories, stdin; unknown and binary files rejected."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from storyline.ingest.readers import iter_inputs, sniff
from storyline.model import RawDocument, Rejection

ARTICLE = (
    "Harbour officials in Mombasa said on Monday that a new container crane had been installed. "
    "The crane, bought from a Finnish maker, can lift 65 tonnes and will cut waiting times for "
    "ships by a third, the port authority said in a statement.\n"
)
HTML = f"""<!doctype html><html><head><title>Crane arrives</title>
<meta property="og:site_name" content="Coast Ledger">
<meta property="article:published_time" content="2025-02-03T08:00:00Z"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Crane arrives</h1><p>{ARTICLE}</p>
<p>{ARTICLE.replace("Monday", "Tuesday")}</p></article><footer>Contact us</footer></body></html>"""


def items(tmp_path: Path, *names: str) -> list[RawDocument | Rejection]:
    return list(iter_inputs([str(tmp_path / n) for n in names]))


def test_text_markdown_html_and_gzip(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.md").write_text("# Title\n\n" + ARTICLE)
    (tmp_path / "c.html").write_text(HTML)
    (tmp_path / "d.htm.gz").write_bytes(gzip.compress(HTML.encode()))
    got = items(tmp_path, "a.txt", "b.md", "c.html", "d.htm.gz")
    assert [(type(i).__name__, getattr(i, "fmt", None)) for i in got] == [
        ("RawDocument", "text"), ("RawDocument", "text"), ("RawDocument", "html"),
        ("RawDocument", "html")]


def test_jsonl_records_with_hints_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"text": ARTICLE, "url": "https://x.example/a", "title": "T", "published":
                    "2025-02-03", "source": "Coast Ledger"}),
        json.dumps({"html": HTML}),
        "{not json",
        json.dumps({"title": "no body"}),
        json.dumps([1, 2]),
    ]
    (tmp_path / "f.jsonl").write_text("\n".join(lines) + "\n")
    got = items(tmp_path, "f.jsonl")
    docs = [g for g in got if isinstance(g, RawDocument)]
    rejected = [g for g in got if isinstance(g, Rejection)]
    assert [d.fmt for d in docs] == ["text", "html"]
    assert docs[0].source == "Coast Ledger" and docs[0].published == "2025-02-03"
    assert docs[0].container == "jsonl"
    assert [r.origin.rsplit(":", 1)[1] for r in rejected] == ["3", "4", "5"]
    assert {r.code for r in rejected} == {"E007", "E008"}


def warc_bytes(records: list[tuple[str, bytes, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, body, ctype in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    return buf.getvalue()


def test_warc_responses(tmp_path):
    data = warc_bytes([
        ("https://coastledger.example/2025/02/03/crane", HTML.encode(), "text/html; charset=utf-8"),
        ("https://coastledger.example/logo.png", b"\x89PNG....", "image/png"),
    ])
    (tmp_path / "news.warc.gz").write_bytes(data)
    got = items(tmp_path, "news.warc.gz")
    assert isinstance(got[0], RawDocument) and got[0].url.endswith("/crane")
    assert got[0].container == "warc"
    assert isinstance(got[1], Rejection) and got[1].code == "E010"


def test_directory_is_walked_recursively_and_hidden_files_skipped(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "x.txt").write_text(ARTICLE)
    (tmp_path / "y.txt").write_text(ARTICLE)
    (tmp_path / ".hidden.txt").write_text(ARTICLE)
    got = list(iter_inputs([str(tmp_path)]))
    assert sorted(Path(g.origin).name for g in got) == ["x.txt", "y.txt"]


def test_stdin_is_sniffed():
    got = list(iter_inputs(["-"], stdin=io.BytesIO(HTML.encode())))
    assert got[0].fmt == "html" and got[0].origin == "<stdin>"
    got = list(iter_inputs(["-"], stdin=io.BytesIO(json.dumps({"text": ARTICLE}).encode())))
    assert got[0].fmt == "text" and got[0].origin == "<stdin>:1"


def test_unknown_suffix_and_binary_rejected(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 ...")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 10)
    got = items(tmp_path, "report.pdf", "blob.txt")
    assert [(g.code, g.stage) for g in got] == [("E002", "read"), ("E003", "read")]
    assert "pdf" in got[0].reason and got[0].hint


def test_sniff():
    assert sniff(b"WARC/1.0\r\n") == "warc"
    assert sniff(b"  <!DOCTYPE html><html>") == "html"
    assert sniff(b'{"text": "x"}\n') == "jsonl"
    assert sniff(b"Plain words here.") == "text"
