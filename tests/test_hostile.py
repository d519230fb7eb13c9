"""Hostile input: every bad file becomes a stored rejection or a clean article; the batch goes on;
the exit code tells a partial failure."""

from __future__ import annotations

import gzip
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_readers import ARTICLE, HTML, warc_bytes


def build_hostile_folder(folder):
    (folder / "good.txt").write_text(ARTICLE * 3)
    (folder / "empty.txt").write_text("")
    (folder / "zero.html").write_bytes(b"")
    (folder / "spaces.txt").write_text("   \n\n \t ")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "latin1.txt").write_bytes(("Caf\xe9 owners in Montr\xe9al said " * 30).encode("latin-1"))
    (folder / "bad_utf8.txt").write_bytes(ARTICLE.encode() + b"\xff\xfe stray bytes " + ARTICLE.encode())
    (folder / "huge.txt").write_bytes(b"word " * 4_200_000)  # about 20 MB
    (folder / "nested.html").write_text("<div>" * 60_000 + "deep" + "</div>" * 60_000)
    (folder / "truncated.html.gz").write_bytes(gzip.compress(HTML.encode())[:-30])
    broken = warc_bytes([("https://a.example/1", HTML.encode(), "text/html")])
    (folder / "broken.warc.gz").write_bytes(broken + b"\x1f\x8b\x08\x00garbage-not-a-record")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (folder / "only_boilerplate.txt").write_text("Share\nTweet\nSubscribe to our newsletter\n")


def test_hostile_batch_completes_with_exit_code_3(tmp_path, cli, db):
    folder = tmp_path / "in"
    folder.mkdir()
    build_hostile_folder(folder)
    code, stdout, _ = cli("ingest", str(folder), str(folder / "good.txt"), "--db", db)
    assert code == 3
    from storyline.store.sqlite import Store

    store = Store(db)
    prefix = f"{folder}/"
    rejected = {r["origin"].removeprefix(prefix).split("@")[0]: r for r in store.rejections()}
    for name in ("empty.txt", "zero.html", "spaces.txt", "binary.txt", "huge.txt",
                 "truncated.html.gz", "image.png", "only_boilerplate.txt"):
        assert name in rejected, name
        assert rejected[name]["reason"] and rejected[name]["stage"]
    assert rejected["huge.txt"]["code"] == "E004"
    assert rejected["truncated.html.gz"]["code"] == "E006"
    assert rejected["only_boilerplate.txt"]["stage"] == "clean"
    assert any(r["code"] == "E009" for r in store.rejections()), "broken WARC record reported"
    stored = {a["origin"].removeprefix(prefix) for a in store.list_articles(limit=100)}
    assert {"good.txt", "latin1.txt", "bad_utf8.txt"} <= stored
    assert any(o.startswith("broken.warc.gz#") for o in stored), "records before the break kept"
    nested = "nested.html" in stored or "nested.html" in rejected
    assert nested
    # Same file twice on the command line, and a rerun: no new rows.
    before = store.count_articles()
    code, _, _ = cli("ingest", str(folder), "--db", db)
    assert code == 3 and Store(db).count_articles() == before
    assert all(r["count"] >= 2 for r in Store(db).rejections() if "huge" in r["origin"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_text_gives_an_article_or_a_rejection(text):
    from storyline.ingest.run import ingest_items
    from storyline.model import RawDocument
    from storyline.store.sqlite import Store

    store = Store(":memory:")
    report = ingest_items([RawDocument(origin="x", fmt="text", content=text)], store)
    assert report.stored + report.rejected == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_any_bytes_from_stdin_never_crash(data):
    from storyline.ingest.readers import iter_inputs

    for item in iter_inputs(["-"], stdin=io.BytesIO(data)):
        assert item.origin.startswith("<stdin>")
