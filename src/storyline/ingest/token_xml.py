"""Token XML documents (the ECB+ corpus format): ``<Document>`` holding ``<token sentence="…">``
elements, one word each. Such a file is read as the article an outlet printed: tokens
detokenised (no space before a comma or after an opening bracket, PTB-style quotes and brackets
as printed ones, straight quotes paired), one sentence a line; the first line is its headline.

The XML is untrusted: a document type declaration (where entity expansion attacks live) is
refused before parsing, and anything that is not a token document is rejected with the reason.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from storyline.errors import InputRejected, Msg

NO_SPACE_BEFORE = frozenset(",.;:!?%)]}'" + "}") | {"'s", "n't", "'re", "'ve", "'ll", "'d",
                                                        "'m", "''", "’s", "...", "'"}
NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "``", "#"})
PRINTED = {"``": "“", "''": "”", "-LRB-": "(", "-RRB-": ")"}

_TIDY = (
    (re.compile(r"([“‘]) "), r"\1"),  # opening curly quotes hold on to the next word
    (re.compile(r" ([”])"), r"\1"),
    (re.compile(r"(\w) ([’']) ?(s|t|re|ve|ll|d|m)\b"), r"\1\2\3"),  # it ’ s -> it’s
    (re.compile(r" ([’])(?=\s|$|[,.;:!?])"), r"\1"),  # a closing single quote
)


def detokenise(tokens: Iterable[tuple[str, object]]) -> str:
    """``(word, sentence id)`` pairs as printed text, one sentence a line."""
    lines: list[str] = []
    current: list[str] = []
    last_sentence: object = None
    open_quote = False
    glue_next = True
    for word, sentence in tokens:
        if sentence != last_sentence:
            if current:
                lines.append("".join(current))
            current, glue_next, open_quote = [], True, False
            last_sentence = sentence
        glue = glue_next or word in NO_SPACE_BEFORE
        glue_next = word in NO_SPACE_AFTER
        if word == '"':
            glue = glue or open_quote
            glue_next = not open_quote
            open_quote = not open_quote
        shown = PRINTED.get(word, word)
        current.append(shown if glue else " " + shown)
    if current:
        lines.append("".join(current))
    return "\n".join(_tidy(line.strip()) for line in lines)


def _tidy(line: str) -> str:
    for pattern, replacement in _TIDY:
        line = pattern.sub(replacement, line)
    return line


def token_document(data: bytes) -> tuple[str, str | None]:
    """``(text, url)`` of a token XML document: one sentence a paragraph, and a first line that
    is only an address (as ECB+ documents begin) taken as the article's URL."""
    lines = token_document_text(data).split("\n")
    url = None
    if lines and _URL.match(lines[0].replace(" ", "")) and len(lines) > 1:
        url = lines.pop(0).replace(" ", "")
    return "\n\n".join(lines), url


_URL = re.compile(r"^https?://\S+$")


def token_document_text(data: bytes) -> str:
    """The printed text of a token XML document, one sentence a line; :class:`InputRejected`
    (E024) for any other XML, a declaration of its own document type, or XML that does not
    parse."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise InputRejected(Msg.E024, detail="a document type declaration is not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputRejected(Msg.E024, detail=f"not well-formed ({exc})") from exc
    tokens = [(t.text or "", t.get("sentence", "0")) for t in root.iter("token")]
    words = [(w.strip(), s) for w, s in tokens if w.strip()]
    if not words:
        raise InputRejected(Msg.E024, detail=f"<{root.tag}> holds no <token> elements")
    return detokenise(words)
