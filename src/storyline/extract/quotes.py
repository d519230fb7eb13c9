"""Quotes: who said what — direct ("...," said X), indirect (X said that ...; according to X, ...)
and mixed (X said the deal was "a turning point"), with the speaker resolved to an actor.

Works on the spaCy parse and the actor mentions of the annotate stage; speakers are resolved by
:mod:`storyline.extract.speakers` (pronouns and role nouns carried across sentences, organisation
aliases merged). An unnamed source ("a senior official who asked not to be named") has speaker
``anonymous`` with ``anonymous`` set and its ``description`` kept.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import yaml

from storyline.annotate.nlp import doc_length, doc_text, span_at
from storyline.extract.speakers import Speaker, SpeakerResolver, people_by_who
from storyline.model import Actor, Mention

PAIRS = {'"': '"', "“": "”", "«": "»", "‘": "’"}


QUESTION_WORDS = frozenset({"whether", "if", "how", "what", "why", "who", "which", "whom"})

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
    anonymous: bool = False  # an unnamed source
    description: str = ""  # how the text describes an unnamed source ("a senior official")


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    text = resources.files("storyline.data").joinpath("quote_cues.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    lex: dict[str, Any] = {"cues": frozenset(data["cues"]),
                           "anonymous": frozenset(data["anonymous_heads"]),
                           "organisations": frozenset(data["organisation_nouns"]),
                           "institutions": frozenset(data["institution_nouns"]),
                           "sources": frozenset(data["source_nouns"]),
                           "joint": frozenset(data["joint_nouns"]),
                           "minor_words": frozenset(data["title_minor_words"]),
                           "addressee": frozenset(data["addressee_cues"])}
    for key in ("titles", "male", "female"):
        lex[key] = frozenset(data[key])
    return lex


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The quoted words without the spaces inside the marks and a comma before the closing
    mark: '" Hello , world . "' (text joined token by token) gives 'Hello , world .'."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def quote_marks(text: str) -> list[tuple[int, int]]:
    """Spans of text inside quotation marks (content only), outermost pairs. A paragraph that
    ends inside a quote and whose next paragraph opens a new mark is a quote of its own up to
    the end of its line (the news convention for a quote running over paragraphs)."""
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    resumed = False  # the mark at i goes on with a quote from the paragraph before
    while i < n:
        ch = text[i]
        close = PAIRS.get(ch)
        if close is None or ch == "‘" and i > 0 and text[i - 1].isalnum():
            i += 1
            continue
        j, resume = i + 1, None
        while j < n:
            if text[j] == close and not (close == "’" and j + 1 < n and text[j + 1].isalpha()):
                break
            if close == '"' and text[j] == "”":  # a straight opening closed by a curly mark
                close = "”"
                break
            if close == "”" and text[j] == '"':  # and a curly opening by a straight one
                close = '"'
                break
            if text[j] == "\n" and ch in ('"', "“"):
                k = j
                while k < n and text[k].isspace():
                    k += 1
                if k < n and text[k] == ch:  # the quote goes on in the next paragraph
                    resume = k
                    break
                if close == '"' and text[j + 1:j + 2] == "\n":
                    break
            j += 1
        if resume is not None or j < n and text[j] == close or resumed and text[j:j + 1] == "\n":
            # (a continued paragraph whose quote stops unclosed at its end is quoted to there)
            start, end = _trimmed(text, i + 1, j)
            if start < end:
                spans.append((start, end))
            i = resume if resume is not None else j + 1
        else:
            i += 1
        resumed = resume is not None
    return spans


def is_title(quoted: str) -> bool:
    """Quoted words in title case ('Ten Myths About Vaccines', 'A Blue Pacific in a Warming
    World'): the name of a work, a headline or a slogan, not speech."""
    words = quoted.split()
    if len(words) < 3 or quoted[-1:] in ".!?," or not words[0][:1].isupper():
        return False
    lex = _lexicon()
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in lex["minor_words"]
               for w in words)


def _sentence_like(quoted: str, words: int) -> bool:
    """Long enough to be quoted speech on its own: four words, or a short sentence with a
    capital and a full stop ('She deserved it.')."""
    return words >= 4 or words >= 2 and quoted[:1].isupper() and quoted[-1:] in ".!?"


CLAUSE_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})
def _apposed(doc: Any, subject: Any, verb: Any) -> Any:
    """The real subject when the parser took the end of a reported clause for the subject and
    the speaker for its apposition: 'A cut the X lines, a spokeswoman who ... said'."""
    for appos in (c for c in subject.children if c.dep_ == "appos" and c.i < verb.i):
        if appos.right_edge.i + 1 == verb.i and doc[appos.left_edge.i - 1].text == "," and \
                subject.i < appos.left_edge.i - 1 and any(
                    t.dep_ in ("relcl", "acl") for t in subject.children if t.i < appos.i):
            return appos
    return subject


def _clause_start(verb: Any, clause: Any) -> int:
    """Where a reported clause after its verb starts: past a time or place the parser hung on
    the clause but which sits between the verb and the clause's subject ('said on Monday it
    would ...', 'confirmed Wednesday the owner had ...')."""
    start = clause.left_edge.i
    if clause.i < verb.i:
        return start
    subject = min((c.left_edge.i for c in clause.children if c.dep_ in CLAUSE_SUBJECTS),
                  default=None)
    for child in sorted(clause.children, key=lambda c: c.i):
        if subject is None or child.left_edge.i != start or child.i >= subject or \
                child.dep_ not in ("prep", "npadvmod"):
            break
        start = child.right_edge.i + 1
    doc = verb.doc
    if subject is not None and start < subject and doc[start].lower_ == "that":
        start += 1  # a complementizer the parser took for an object
    return start


def _set_off(doc: Any, verb: Any) -> bool:
    """The verb and its subject follow a comma or a closing mark: 'A, X said', 'A," said X'."""
    first = min([verb.i] + [c.left_edge.i for c in verb.children
                            if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i])
    return first > 0 and doc[first - 1].text in (",", '"', "”", "’", "'")


def _has_subject(clause: Any) -> bool:
    """The clause has a subject of its own (the parser may hang it on an auxiliary)."""
    heads = [clause] + [c for c in clause.children if c.dep_ in ("aux", "auxpass")]
    return any(c.dep_ in CLAUSE_SUBJECTS for h in heads for c in h.children)


ADVERBIAL_DEPS = frozenset({"advcl", "advmod", "npadvmod", "prep", "mark", "punct", "cc"})


def _modifies(span: Any, verb: Any) -> bool:
    """All the words of the span hang on the verb as adverbials: the span is a setting of the
    verb ('Although it rained,', 'Then, last week,'), not a clause it reports."""
    tops = [t for t in span if not (span.start <= t.head.i < span.end) or t.head.i == t.i]
    return bool(tops) and all(t.head.i == verb.i and t.dep_ in ADVERBIAL_DEPS for t in tops)


def _that_clause(doc: Any, verb: Any, addressed: bool = False) -> tuple[int, int] | None:
    """A 'that' clause the parser hung on a noun of the verb's adjunct: 'said in a statement
    that ...', 'argued for decades that ...', or on the person a verb of telling addresses:
    'told a radio station that ...'; up to the end of that noun's phrase."""
    nouns = [n for prep in verb.children if prep.dep_ == "prep" and prep.i > verb.i
             for n in prep.children if n.dep_ == "pobj"]
    if addressed:
        nouns += [n for n in verb.children if n.dep_ in ("dobj", "dative") and n.i > verb.i]
    for noun in nouns:
        for clause in (c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl")):
            mark = next((m for m in clause.children if m.dep_ == "mark"
                         and m.lower_ == "that" and m.i < clause.i), None)
            if mark is not None:
                return _content(doc[mark.i:noun.right_edge.i + 1])
    return None


def _fragment(phrase: Any, verb: Any, end: int) -> bool:
    """A quoted fragment that ends the object or infinitive of a speech verb ('posted a photo
    with the caption "..."', 'promised to "..."'): quoted words without a reported clause."""
    top = phrase.root
    return top.head.i == verb.i and top.dep_ in ("dobj", "xcomp") and \
        phrase.end_char <= end + 2


CLOSING = frozenset('"”’»\'')


def _to_closing(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> int:
    """The end of a reported clause that ends with a quotation or opens one it does not close:
    the closing mark ('the police said the man was "seen running. He fell."' runs to it)."""
    for s, e in marks:
        if start <= s < end <= e:
            close = e
            while close < len(text) and text[close] == " ":
                close += 1
            return close + 1 if text[close:close + 1] in CLOSING else e
    return end


DASHES = frozenset({"—", "–", "-", "--"})


def _after_dateline(tokens: list[Any]) -> list[Any]:
    """Without a dateline that opens the sentence: 'VIENNA — ', 'LONDON (Reuters) - '."""
    for k, tok in enumerate(tokens[:8]):
        if tok.text in DASHES:
            head = [t for t in tokens[:k] if not (t.is_punct or t.is_space)]
            agency = [t for t in head if t.i > 0 and t.doc[t.i - 1].text == "("]
            city = [t for t in head if t.text.isupper() and len(t.text) > 1 and t not in agency]
            # a lone capitalised word before a hyphen may be a compound: 'US - China talks'
            if head and len(agency) + len(city) == len(head) and (
                    agency or len(city) > 1 or tok.text != "-"):
                return tokens[k + 1:]
            break
    return tokens


def _content(span: Any) -> tuple[int, int]:
    """Character span of a clause without a leading 'that' and trailing punctuation."""
    tokens = _after_dateline([t for t in span])
    while tokens and (tokens[0].lower_ == "that" and tokens[0].dep_ == "mark" or
                      tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_space or tokens[-1].is_punct and
                      tokens[-1].text not in ('"', "”", "’") and not (
                          tokens[-1].text == ")" and any(t.text == "(" for t in tokens))):
        tokens = tokens[:-1]
    if not tokens:
        return span.start_char, span.start_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


class QuoteExtractor:
    def __init__(self) -> None:
        self.lex = _lexicon()

    def is_cue(self, tok: Any) -> bool:
        return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in self.lex["cues"]

    def extract(self, doc: Any, mentions: list[Mention], actors: list[Actor],
                on_error: OnError | None = None) -> list[QuoteSpan]:
        """Quotes of a parsed article. With ``on_error(char_offset, exc)``, a quote whose
        analysis raises is reported and skipped; the others are still found."""
        text = doc_text(doc)
        actors = people_by_who(text, mentions, actors)
        quotes: list[QuoteSpan] = []
        used_cues: set[int] = set()
        every = quote_marks(text)
        self._speakers = SpeakerResolver(doc, mentions, actors, every, self.lex, self.is_cue)
        marks = [(s, e) for s, e in every if not is_title(text[s:e])]  # titles are no speech
        state: dict[str, QuoteSpan | None] = {"previous": None}
        for start, end in marks:
            _guarded(on_error, start, self._marked, doc, text, start, end, mentions, actors,
                     quotes, used_cues, state)
        quoted = [(q.content_start, q.content_end) for q in quotes]
        for tok in doc:  # 'CLAUSE, X said.' first: reports nested in CLAUSE stay inside it
            if tok.i in used_cues or not self.is_cue(tok):
                continue
            found = _guarded(on_error, tok.idx, self._set_off_quote, doc, tok, marks, quoted)
            if found is not None:
                quotes.append(found)
                used_cues.update(t.i for t in doc if self.is_cue(t) and
                                 found.content_start <= t.idx < found.content_end)
                used_cues.add(tok.i)
        quoted = [(q.content_start, q.content_end) for q in quotes]
        reported: list[tuple[int, int]] = []
        for tok in doc:  # 'X said Y lied when he claimed Z': the nested report stays inside
            if tok.i in used_cues or any(s <= tok.idx < e for s, e in reported):
                continue
            found = _guarded(on_error, tok.idx, self._reported, doc, tok, marks, quoted,
                             mentions, actors)
            if found is not None:
                quotes.append(found)
                reported.append((found.content_start, found.content_end))
        quotes += self._according_to(doc, mentions, actors, quoted, marks, on_error)
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
            if _fragment(clause, verb, end):  # 'posted a photo with the caption "..."'
                if words >= 2 and verb.i not in used_cues:
                    used_cues.add(verb.i)
                    q = self._make("direct", start, end, verb, self._subject(verb), doc,
                                   mentions, actors)
                    quotes.append(q)
                    state["previous"] = q
                return
            if verb.i not in used_cues:
                s, e = _content(clause)
                e = _to_closing(text, s, e, [(start, end)])
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
            if previous is not None and _sentence_like(text[start:end], words) and \
                    self._continues(doc, previous, start, mentions, actors):
                q = dataclasses.replace(previous, kind="direct", content_start=start,
                                        content_end=end)
                quotes.append(q)
                state["previous"] = q
            return
        closed = re.search(r"[.!?,]$", text[start:end]) or text[end:end + 3].lstrip()[:1] == ","
        if words < 3 and not closed:
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
        span = self._complement(doc, tok)
        if span is None:
            return None
        return self._indirect(doc, tok, span, marks, quoted)

    def _indirect(self, doc: Any, tok: Any, span: tuple[int, int],
                  marks: list[tuple[int, int]], quoted: list[tuple[int, int]]
                  ) -> QuoteSpan | None:
        s, e = span
        if e - s < 10 or any(qs <= s < qe or qs < e <= qe for qs, qe in quoted):
            return None
        e = _to_closing(doc_text(doc), s, e, marks)
        kind = "mixed" if any(s <= ms and me <= e for ms, me in marks) else "indirect"
        return self._make(kind, s, e, tok, self._subject(tok), doc, [], [])

    def _complement(self, doc: Any, tok: Any) -> tuple[int, int] | None:
        """The clause a cue verb reports: its clausal complement, not a question ("asked
        whether ..."), up to a conjoined speech act of the speaker ("..., and promised to"),
        with a conjoined clause the speaker goes on with ("..., but he did not know ...")."""
        clauses = [c for c in tok.children if c.dep_ == "ccomp"]
        if len(clauses) > 1 and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            clauses = [c for c in clauses if c.i > tok.i]  # 'A, he also said that B'
        if not clauses:
            return _that_clause(doc, tok, tok.lemma_.lower() in self.lex["addressee"])
        clause = clauses[0]
        if clause.pos_ not in ("VERB", "AUX", "ADJ") or not _has_subject(clause):
            return None  # a phrase the parser took for a clause
        if clause.i < tok.i and not _set_off(doc, tok):
            return None  # 'A is so - it denies B': A is not what it denies
        first = doc[clause.left_edge.i]
        if first.lower_ in QUESTION_WORDS:
            return None
        end = clause.right_edge.i
        for conj in clause.children:
            if conj.dep_ == "conj" and self.is_cue(conj) and not any(
                    c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
                end = min(end, conj.left_edge.i - 1)
        while end > clause.i and (doc[end].dep_ == "cc" or doc[end].is_punct):
            end -= 1
        for conj in tok.children:
            if conj.dep_ == "conj" and conj.i > end and not self.is_cue(conj) and any(
                    c.dep_ == "nsubj" and c.lower_ in ("he", "she", "it", "they")
                    for c in conj.children):
                end = conj.right_edge.i
        return _content(doc[_clause_start(tok, clause):end + 1])

    def _set_off_quote(self, doc: Any, tok: Any, marks: list[tuple[int, int]],
                       quoted: list[tuple[int, int]]) -> QuoteSpan | None:
        """A cue set off by a comma with its subject: 'CLAUSE, X said.' and 'CLAUSE, said X.'
        report the sentence before the comma; 'A, X says, B.' reports the whole sentence."""
        if any(c.dep_ == "ccomp" and c.i > tok.i for c in tok.children):
            return None
        subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.tag_ in ("WP", "WDT"):
            return None
        subject = _apposed(doc, subject, tok)
        sent = tok.sent
        first = min(subject.left_edge.i, tok.i)
        while first > sent.start and doc[first - 1].dep_ == "advmod" and \
                doc[first - 1].head.i == tok.i:
            first -= 1
        if first - 1 <= sent.start or doc[first - 1].text != ",":
            return None
        own = {t.i for t in tok.subtree}
        last = first
        while last + 1 < sent.end and (last + 1 in own or doc[last + 1].is_space):
            last += 1
        rest = [t for t in doc[last + 1:sent.end] if not (t.is_punct or t.is_space)]
        if _modifies(doc[sent.start:first - 1], tok):
            return None  # 'Although A, X argued ...', 'Then, last week, X posted ...'
        if not rest:
            span = _content(doc[sent.start:first - 1])
        elif doc[last].text == "," or doc[last + 1].text == ",":
            span = _content(doc[sent.start:sent.end])
        else:
            return None
        return self._indirect(doc, tok, span, marks, quoted)

    # -- attribution ----------------------------------------------------------------------------

    def _direct_attribution(self, doc: Any, start: int, end: int) -> tuple[Any, Any]:
        """The cue verb outside the marks nearest to a direct quote: in the sentence(s) of the
        quote or the one that leads into it ('X said:' on the line before), else one just
        after the closing mark that reports nothing of its own ('"..." he said')."""
        content = span_at(doc, start, end)
        sents = []
        lead = doc_text(doc)[:max(0, start - 1)].rstrip()
        before = span_at(doc, len(lead) - 1, len(lead)) if lead[-1:] in (":", ",") else None
        for tok in ((content[-1], content[0]) if content is not None else ()) + \
                ((before[0],) if before is not None and len(before) else ()):
            if tok.sent not in sents:
                sents.append(tok.sent)
        best, best_distance = None, None
        for sent in sents:
            for tok in sent:
                if start - 1 <= tok.idx <= end or not self.is_cue(tok):
                    continue
                subject = self._subject(tok)
                if subject is not None and start <= subject.idx < end:
                    continue
                distance = start - tok.idx if tok.idx < start else tok.idx - end
                if best_distance is None or distance < best_distance:
                    best, best_distance = (tok, subject), distance
            if best is not None:
                return best
        after = span_at(doc, end, min(doc_length(doc), end + 60))
        if after is not None:
            for tok in after[:6]:
                if self.is_cue(tok):
                    if any(c.dep_ in ("ccomp", "dobj") for c in tok.children) or \
                            doc[tok.i + 1:tok.right_edge.i + 2].text.rstrip().endswith(":"):
                        break  # it reports something else: '"..." X said that ...'
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
                if not self._reported_by_another(head):
                    return None
                # 'X said she heard someone say "..."': the outer report holds it
            tok = head
        return None

    def _reported_by_another(self, verb: Any) -> bool:
        """The verb is inside the clause another cue verb reports."""
        tok = verb
        for _ in range(4):
            if tok.head.i == tok.i:
                return False
            if tok.dep_ == "ccomp" and self.is_cue(tok.head):
                return True
            tok = tok.head
        return False

    def _subject(self, verb: Any) -> Any:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and not child.is_punct:
                return _apposed(verb.doc, child, verb)
        if verb.dep_ == "conj" or verb.dep_ in ("advcl", "xcomp") and verb.tag_ == "VBG":
            # "said ... but warned that ...", "..., saying ...": the governing verb's subject,
            # past a reported clause ("X believed Y happened, saying ..." is X saying)
            head = verb.head
            while verb.dep_ != "conj" and head.dep_ == "ccomp" and head.head.i != head.i:
                head = head.head
            return self._subject(head) if head.i != verb.i else None
        return None

    def _name_after(self, text: str, end: int, mentions: list[Mention],
                    actors: list[Actor]) -> Mention | None:
        """A person named right after the closing mark and a comma, on the same line."""
        tail = text[end:end + 6]
        if not re.match(r"[\"”’»]?[ \t]*,[ \t]*[\"”’»]?[ \t]*\S|[\"”’»][ \t]*,[ \t]*\S", tail):
            return None
        for m in mentions:
            if end < m.start <= end + 5 and m.actor is not None and \
                    actors[m.actor].kind == "person":
                return m
        return None

    def _continues(self, doc: Any, previous: QuoteSpan, start: int, mentions: list[Mention],
                   actors: list[Actor]) -> bool:
        """A quote soon after another one with no other person named between them after the
        sentence that attributes the first: the same speaker goes on ('"...," said X, who
        met Y. "..."')."""
        gap = doc_text(doc)[previous.content_end:start]
        if len(gap) > 200 or previous.speaker == "anonymous" and not previous.speaker_text:
            return False
        attribution = span_at(doc, previous.content_end, previous.content_end + 1)
        after = attribution.sent.end_char if attribution is not None and len(attribution) \
            else previous.content_end
        others = [m for m in mentions if max(after, previous.content_end) <= m.start < start
                  and m.actor is not None and m.actor != previous.actor
                  and actors[m.actor].kind == "person"]
        return not others

    def _according_to(self, doc: Any, mentions: list[Mention], actors: list[Actor],
                      quoted: list[tuple[int, int]], marks: list[tuple[int, int]],
                      on_error: OnError | None = None) -> list[QuoteSpan]:
        found = []
        for tok in doc:
            if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
                continue
            quote = _guarded(on_error, tok.idx, self._according_quote, doc, tok, mentions,
                             actors, quoted, marks)
            if quote is not None:
                found.append(quote)
        return found

    def _according_quote(self, doc: Any, tok: Any, mentions: list[Mention],
                         actors: list[Actor], quoted: list[tuple[int, int]],
                         marks: list[tuple[int, int]]) -> QuoteSpan | None:
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
        elif doc[tok.i - 1].text == "," and attr_end + 2 < sent.end and \
                doc[attr_end].text == "," and tok.head.i >= attr_end:
            # "The deal, according to X, will ...": the clause goes on after the source
            s, e = _content(doc[sent.start:sent.end])
        else:
            before = doc[sent.start:tok.i]
            s, e = _content(before)
        if e - s < 10 or any(qs <= s < qe for qs, qe in quoted):
            return None
        e = _to_closing(doc_text(doc), s, e, marks)
        kind = "mixed" if any(s <= ms and me <= e for ms, me in marks) else "indirect"
        return self._make(kind, s, e, tok, obj, doc, mentions, actors, cue_text="according to")

    def _make(self, kind: str, start: int, end: int, cue: Any, subject: Any, doc: Any,
              mentions: list[Mention], actors: list[Actor], cue_text: str | None = None
              ) -> QuoteSpan:
        who = self._speakers.resolve(subject, cue)
        return _quote(kind, start, end, cue_text or cue.text, who)


def _quote(kind: str, start: int, end: int, cue: str, who: Speaker) -> QuoteSpan:
    return QuoteSpan(kind, start, end, cue, who.text, who.start, who.end, who.name, who.actor,
                     who.anonymous, who.description)
