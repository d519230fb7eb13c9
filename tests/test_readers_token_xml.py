"""Token XML documents (the ECB+ format) are read as the article an outlet printed; other XML is
a stored rejection with the reason, never a crash or a silent skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EVAL
from storyline.ingest.readers import iter_inputs
from storyline.model import RawDocument, Rejection


def token_xml(sentences: list[list[str]]) -> str:
    tokens = []
    n = 0
    for s, words in enumerate(sentences):
        for w in words:
            n += 1
            w = w.replace("&", "&amp;").replace("<", "&lt;")
            tokens.append(f'<token t_id="{n}" sentence="{s}" number="{n}">{w}</token>')
    return '<Document doc_name="x.xml" doc_id="D1">\n' + "\n".join(tokens) + "\n</Document>\n"


def test_token_document_is_detokenised_with_its_address_as_url(tmp_path):
    path = tmp_path / "7_3ecb.xml"
    path.write_text(token_xml([
        "http : / / news . example . org / 2031 / flood".split(),
        "Flood waters reach Marlow 's old bridge".split(),
        ["The", "council", "said", "``", "we", "are", "ready", "''", ",", "and", "it", "is",
         "n't", "over", "(", "yet", ")", "."],
    ]), encoding="utf-8")
    (doc,) = list(iter_inputs([str(path)]))
    assert isinstance(doc, RawDocument) and doc.fmt == "text"
    assert doc.url == "http://news.example.org/2031/flood"
    assert doc.content == ("Flood waters reach Marlow's old bridge\n\n"
                           "The council said “we are ready”, and it isn't over (yet).")


@pytest.mark.parametrize("body, why", [
    ("<rss><channel><title>x</title></channel></rss>", "holds no <token>"),
    ('<!DOCTYPE d [<!ENTITY a "aaaa">]><Document><token>&a;</token></Document>',
     "document type declaration"),
    ("<Document><token>open", "not well-formed"),
])
def test_other_xml_is_a_stored_rejection_with_the_reason(tmp_path, body, why):
    path = tmp_path / "feed.xml"
    path.write_text(body, encoding="utf-8")
    (got,) = list(iter_inputs([str(path)]))
    assert isinstance(got, Rejection) and got.code == "E024" and got.stage == "read"
    assert why in got.reason


def test_ecbplus_documents_read_as_printed_articles():
    from storyline.evaluate.ecbplus import read_document, reconstructed_text

    folder = EVAL / "ecbplus" / "ECB+" / "41"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent (../shared holds the ECB+ corpus)")
    paths = sorted(folder.glob("*.xml"))
    docs = list(iter_inputs([str(folder)]))
    assert len(docs) == len(paths) and all(isinstance(d, RawDocument) for d in docs)
    by_path = {Path(d.origin).name: d for d in docs}
    for path in paths:
        printed = reconstructed_text(read_document(path))
        doc = by_path[path.name]
        # the same sentences the evaluations read, one a paragraph, the address as the URL
        body = [line for line in printed.split("\n") if line.replace(" ", "") != doc.url]
        assert doc.content.split("\n\n") == body
