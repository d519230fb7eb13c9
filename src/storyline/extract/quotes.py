"""Quotes: who said what — direct ("...," said X), indirect (X said that ...; according to X, ...)
and mixed (X said the deal was "a turning point"), with the speaker resolved to an actor.

Works on the spaCy parse and the actor mentions of the annotate stage. Pronouns ("he said") and
role nouns ("the minister added") take the nearest earlier compatible actor; unnamed sources ("a
senior official who asked not to be named") stay anonymous.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import yaml

from storyline.annotate.nlp import doc_length, span_at
from storyline.model import Actor, Mention

PAIRS = {'"': '"', "“": "”", "«": "»", "‘": "’"}
PRONOUNS = frozenset({"he", "she", "they", "i", "we"})


OnError = Callable[[int, BaseException], None]
T = TypeVar("T")


def _guarded(on_error: OnError | None, at: int, fn: Callable[..., T], *args: Any) -> T | None:
    """``fn(*args)``; with ``on_error``, an exception is reported with the character offset it
    concerns and None returned, so one bad quote costs that quote only."""
    if on_error is None:
        return fn(*args)
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - reported to the stage, which records it
        on_error(at, exc)
        return None


@dataclass
class QuoteSpan:
    kind: str  # direct, indirect, mixed
    content_start: int
    content_end: int
    cue: str
    speaker_text: str
    speaker_start: int | None
    speaker_end: int | None
    speaker: str  # resolved name or "anonymous"
    actor: int | None = None  # index into the article's actors


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    text = resources.files("storyline.data").joinpath("quote_cues.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {"cues": frozenset(data["cues"]), "anonymous": frozenset(data["anonymous_heads"])}


def quote_marks(text: str) -> list[tuple[int, int]]:
    """Spans of text inside quotation marks (content only), outermost pairs."""
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        close = PAIRS.get(ch)
        if close is None:
            i += 1
            continue
        if ch == "‘" and i > 0 and text[i - 1].isalnum():
            i += 1
            continue
        j = i + 1
        while j < n:
            if text[j] == close and not (close == "’" and j + 1 < n and text[j + 1].isalpha()):
                break
            if close == '"' and text[j] == "\n" and text[j + 1:j + 2] == "\n":
                break
            j += 1
        if j < n and text[j] == close:
            # the content is the quoted words: '" Hello , world . "' (text joined token by
            # token) gives 'Hello , world .', without the spaces inside the marks
            start, end = i + 1, j
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                spans.append((start, end))
            i = j + 1
        else:
            i += 1
    return spans


def _content(span: Any) -> tuple[int, int]:
    """Character span of a clause without a leading 'that' and trailing punctuation."""
    tokens = [t for t in span]
    while tokens and (tokens[0].lower_ == "that" and tokens[0].dep_ == "mark" or
                      tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_space or tokens[-1].is_punct and
                      tokens[-1].text not in ('"', "”", "’")):
        tokens = tokens[:-1]
    if not tokens:
        return span.start_char, span.start_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


class QuoteExtractor:
    def __init__(self) -> None:
        self.lex = _lexicon()
        self._marks: list[tuple[int, int]] = []

    def is_cue(self, tok: Any) -> bool:
        return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in self.lex["cues"]

    def extract(self, doc: Any, mentions: list[Mention], actors: list[Actor],
                on_error: OnError | None = None) -> list[QuoteSpan]:
        """Quotes of a parsed article. With ``on_error(char_offset, exc)``, a quote whose
        analysis raises is reported and skipped; the others are still found."""
        text = doc.text
        quotes: list[QuoteSpan] = []
        used_cues: set[int] = set()
        marks = quote_marks(text)
        self._marks = marks  # names inside quotes are not speakers
        state: dict[str, QuoteSpan | None] = {"previous": None}
        for start, end in marks:
            _guarded(on_error, start, self._marked, doc, text, start, end, mentions, actors,
                     quotes, used_cues, state)
        quoted = [(q.content_start, q.content_end) for q in quotes]
        for tok in doc:
            if tok.i in used_cues:
                continue
            found = _guarded(on_error, tok.idx, self._reported, doc, tok, marks, quoted,
                             mentions, actors)
            if found is not None:
                quotes.append(found)
        quotes += self._according_to(doc, mentions, actors, quoted, on_error)
        quotes.sort(key=lambda q: q.content_start)
        return quotes

    def _marked(self, doc: Any, text: str, start: int, end: int, mentions: list[Mention],
                actors: list[Actor], quotes: list[QuoteSpan], used_cues: set[int],
                state: dict[str, QuoteSpan | None]) -> None:
        """The quote (direct or mixed) of one pair of quotation marks, if it is one."""
        previous = state["previous"]
        words = len(text[start:end].split())
        span = span_at(doc, start, end)
        if span is None or words == 0:
            return
        inside = self._enclosing_cue(doc, span)
        if inside is not None:
            # A quoted fragment inside reported speech: a mixed quote.
            verb, clause = inside
            if verb.i not in used_cues:
                s, e = _content(clause)
                q = self._make("mixed", s, e, verb, self._subject(verb), doc, mentions, actors)
                quotes.append(q)
                used_cues.add(verb.i)
                state["previous"] = q
            return
        cue, speaker_tok = self._direct_attribution(doc, start, end)
        if cue is None:
            named = self._name_after(text, end, mentions, actors)
            if named is not None and words >= 4:
                # '"...," James Char, security scholar at ...': attribution without a verb
                m = named
                q = QuoteSpan("direct", start, end, "", m.text, m.start, m.end,
                              actors[m.actor].name, m.actor)  # type: ignore[index]
                quotes.append(q)
                state["previous"] = q
                return
            if previous is not None and words >= 4 and self._continues(
                    text, previous, start, mentions, actors):
                q = QuoteSpan("direct", start, end, previous.cue, previous.speaker_text,
                              previous.speaker_start, previous.speaker_end, previous.speaker,
                              previous.actor)
                quotes.append(q)
                state["previous"] = q
            return
        if words < 3 and not re.search(r"[.!?,]$", text[start:end].strip()):
            return  # a scare quote or a title
        used_cues.add(cue.i)
        q = self._make("direct", start, end, cue, speaker_tok, doc, mentions, actors)
        quotes.append(q)
        state["previous"] = q

    def _reported(self, doc: Any, tok: Any, marks: list[tuple[int, int]],
                  quoted: list[tuple[int, int]], mentions: list[Mention],
                  actors: list[Actor]) -> QuoteSpan | None:
        """The indirect (or mixed) quote a cue verb reports in its clause, if any."""
        if not self.is_cue(tok):
            return None
        clause = next((c for c in tok.children if c.dep_ in ("ccomp",)), None)
        if clause is None:
            return None
        sub = doc[clause.left_edge.i:clause.right_edge.i + 1]
        s, e = _content(sub)
        if e - s < 10 or any(qs <= s < qe or qs < e <= qe for qs, qe in quoted):
            return None
        kind = "mixed" if any(s <= ms and me <= e for ms, me in marks) else "indirect"
        return self._make(kind, s, e, tok, self._subject(tok), doc, mentions, actors)

    # -- attribution ----------------------------------------------------------------------------

    def _direct_attribution(self, doc: Any, start: int, end: int) -> tuple[Any, Any]:
        """The cue verb outside the marks in the sentence(s) around a direct quote."""
        content = span_at(doc, start, end)
        sents = []
        for tok in (content[-1], content[0]) if content is not None else ():
            if tok.sent not in sents:
                sents.append(tok.sent)
        for sent in sents:
            for tok in sent:
                if start - 1 <= tok.idx <= end or not self.is_cue(tok):
                    continue
                subject = self._subject(tok)
                if subject is not None and start <= subject.idx < end:
                    continue
                return tok, subject
        # '"..." he said' split by the sentencizer after the closing mark
        after = span_at(doc, end, min(doc_length(doc), end + 60))
        if after is not None:
            for tok in after[:6]:
                if self.is_cue(tok):
                    return tok, self._subject(tok)
        return None, None

    def _enclosing_cue(self, doc: Any, span: Any) -> tuple[Any, Any] | None:
        """A cue verb whose reported clause contains this quoted span and more."""
        tok = span.root
        for _ in range(8):
            head = tok.head
            if head.i == tok.i:
                return None
            if self.is_cue(head) and tok.dep_ in ("ccomp", "xcomp", "dobj", "conj"):
                clause = doc[tok.left_edge.i:tok.right_edge.i + 1]
                if clause.start_char < span.start_char - 1 or clause.end_char > span.end_char + 2:
                    return head, clause
                return None
            tok = head
        return None

    def _subject(self, verb: Any) -> Any:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        if verb.dep_ == "conj":  # "said ... but warned that ...": the first verb's subject
            return self._subject(verb.head) if verb.head.i != verb.i else None
        return None

    def _name_after(self, text: str, end: int, mentions: list[Mention],
                    actors: list[Actor]) -> Mention | None:
        """A person named right after the closing mark and a comma."""
        tail = text[end:end + 6]
        if not re.match(r"[\"”’»]?\s*,?\s*[\"”’»]?\s*,?\s*\S", tail):
            return None
        for m in mentions:
            if end < m.start <= end + 5 and m.actor is not None and \
                    actors[m.actor].kind == "person":
                return m
        return None

    def _continues(self, text: str, previous: QuoteSpan, start: int, mentions: list[Mention],
                   actors: list[Actor]) -> bool:
        """A quote soon after another one with no other person named between them: the same
        speaker goes on ('"...," said X. "..."')."""
        gap = text[previous.content_end:start]
        if len(gap) > 200 or previous.speaker == "anonymous" and previous.actor is None:
            return False
        others = [m for m in mentions if previous.content_end <= m.start < start
                  and m.actor is not None and m.actor != previous.actor
                  and actors[m.actor].kind == "person"]
        return not others

    def _according_to(self, doc: Any, mentions: list[Mention], actors: list[Actor],
                      quoted: list[tuple[int, int]], on_error: OnError | None = None
                      ) -> list[QuoteSpan]:
        found = []
        for tok in doc:
            if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
                continue
            quote = _guarded(on_error, tok.idx, self._according_quote, doc, tok, mentions,
                             actors, quoted)
            if quote is not None:
                found.append(quote)
        return found

    def _according_quote(self, doc: Any, tok: Any, mentions: list[Mention],
                         actors: list[Actor], quoted: list[tuple[int, int]]
                         ) -> QuoteSpan | None:
        """'according to X, ...' / '..., according to X'."""
        to = doc[tok.i + 1]
        obj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if obj is None:
            return None
        sent = tok.sent
        attr_end = obj.right_edge.i + 1
        if tok.i == sent.start or doc[tok.i - 1].is_punct and tok.i - 1 == sent.start:
            rest = doc[attr_end:sent.end]
            while len(rest) and rest[0].is_punct:
                rest = rest[1:]
            s, e = _content(rest)
        else:
            before = doc[sent.start:tok.i]
            s, e = _content(before)
        if e - s < 10 or any(qs <= s < qe for qs, qe in quoted):
            return None
        return self._make("indirect", s, e, tok, obj, doc, mentions, actors,
                          cue_text="according to")

    def _make(self, kind: str, start: int, end: int, cue: Any, subject: Any, doc: Any,
              mentions: list[Mention], actors: list[Actor], cue_text: str | None = None
              ) -> QuoteSpan:
        speaker, actor, s_text, s_start, s_end = self._resolve(subject, doc, mentions, actors,
                                                               start)
        return QuoteSpan(kind, start, end, cue_text or cue.text, s_text, s_start, s_end, speaker,
                         actor)

    def _resolve(self, subject: Any, doc: Any, mentions: list[Mention], actors: list[Actor],
                 at: int) -> tuple[str, int | None, str, int | None, int | None]:
        if subject is None:
            return "anonymous", None, "", None, None
        span = doc[subject.left_edge.i:subject.right_edge.i + 1]
        s_text = span.text
        inside = [m for m in mentions
                  if m.actor is not None and m.start < span.end_char and span.start_char < m.end]
        # The mention at the subject's head ("Senegal's minister Mamadou Ndiaye" -> Ndiaye),
        # else a person in the subject phrase, else whatever it names.
        head = [m for m in inside if m.start <= subject.idx < m.end]
        people = [m for m in inside if actors[m.actor].kind == "person"]  # type: ignore[index]
        for group in (head, people, inside):
            if group:
                m = group[-1]
                return actors[m.actor].name, m.actor, s_text, span.start_char, span.end_char  # type: ignore[index]
        if subject.pos_ == "PROPN":
            # A name the tagger missed here but found elsewhere: "Echeverría later said".
            for index, actor in enumerate(actors):
                if actor.kind == "person" and subject.text in actor.name.split():
                    return actor.name, index, s_text, span.start_char, span.end_char
        low = subject.lower_
        determiners = {c.lower_ for c in subject.children if c.dep_ == "det"}
        if low in PRONOUNS or (determiners & {"the", "this"} and subject.pos_ == "NOUN"):
            earlier = [m for m in mentions if m.end <= span.start_char and m.actor is not None
                       and actors[m.actor].kind in ("person", "organisation")
                       and not any(qs <= m.start < qe for qs, qe in self._marks)]
            if low not in PRONOUNS:
                fitting = [m for m in earlier if actors[m.actor].kind == "person"  # type: ignore[index]
                           and any(low in r.lower() for r in actors[m.actor].roles)]  # type: ignore[index]
                earlier = fitting or [m for m in earlier
                                      if actors[m.actor].kind == "person"]  # type: ignore[index]
                if subject.lemma_ in ("ministry", "bank", "company", "agency", "government"):
                    earlier = [m for m in mentions if m.end <= span.start_char and m.actor
                               is not None and actors[m.actor].kind != "person"] or earlier
            elif low in ("he", "she"):
                earlier = [m for m in earlier if actors[m.actor].kind == "person"]  # type: ignore[index]
            if earlier:
                m = earlier[-1]
                return actors[m.actor].name, m.actor, s_text, span.start_char, span.end_char  # type: ignore[index]
        return "anonymous", None, s_text, span.start_char, span.end_char
