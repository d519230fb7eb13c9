"""Speakers of quotes: who the subject of a speech verb is.

A subject resolves to a named person or organisation (the actor the annotate stage found, under
its fullest name form: "GM" speaks as "General Motors"), to a proper name the annotator missed,
or, for an unnamed source, to the description the text gives ("a senior official"), flagged
``anonymous``. Pronouns and role nouns ("he said", "the spokesman added", "the company said")
are carried across sentences to the most salient earlier candidate of a compatible kind: recent,
in subject position (better still as the subject of a speech verb), and of the right gender when
the text tells it (titles, gendered nouns, the pronouns used near the name). Word lists live in
``storyline/data/quote_cues.yaml``.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from storyline.annotate.nlp import doc_text, span_at
from storyline.model import Actor, Mention

SUBJECT_DEPS = ("nsubj", "nsubjpass")
OBJECT_DEPS = ("dobj", "iobj", "dative", "pobj")
HE = frozenset({"he", "him", "his", "himself"})
SHE = frozenset({"she", "her", "hers", "herself"})
DEFINITE = frozenset({"the", "this", "that", "our", "its", "their"})
ROLE_WINDOW = 3  # sentences back a role noun ("the coach") looks for its person
PRONOUN_WINDOW = 5


@dataclass
class Speaker:
    name: str  # canonical name, or "anonymous"
    actor: int | None  # index into the article's actors
    text: str = ""  # the subject phrase as written
    start: int | None = None
    end: int | None = None
    anonymous: bool = False
    description: str = ""  # an unnamed source as the text describes it, lower case


@dataclass
class _Candidate:
    """An earlier mention a pronoun or role noun can point back to."""

    start: int
    end: int
    actor: int | None  # None: an unnamed group ("the refugees"), for "they"
    kind: str
    sent: int
    subject: bool
    speaking: bool  # the subject of a speech verb (or "according to" it)
    description: str = ""  # an unnamed group as the text describes it
    name: str = ""  # joint speakers as printed: "A and B"


def _object(pronoun: Any) -> bool:
    """An object pronoun that is not reflexive ('asked her to pose'): in the clause of the
    person named as subject it stands for someone else, so it says nothing of their gender."""
    return pronoun.dep_ in OBJECT_DEPS and not pronoun.lower_.endswith("self")


def people_by_who(text: str, mentions: list[Mention], actors: list[Actor]) -> list[Actor]:
    """The actors, with an organisation the text follows with ', who' taken for the person it
    is ('Felipe Arango, who finished fourth'): the annotator's guess, corrected by the text."""
    who = {m.actor for m in mentions if m.actor is not None
           and actors[m.actor].kind == "organisation"
           and re.match(r"\s*,\s*who\b", text[m.end:m.end + 12])}
    return [dataclasses.replace(a, kind="person") if i in who else a
            for i, a in enumerate(actors)]


def acronym(name: str) -> str:
    """Initials of the capitalised words of a name: 'General Motors' -> 'GM'."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def org_canonical_names(actors: list[Actor]) -> dict[int, str]:
    """Organisation aliases merged: an organisation whose name is the acronym of, or a leading
    part of, another organisation's name speaks under the longer name."""
    orgs = [(i, a.name) for i, a in enumerate(actors) if a.kind != "person"]
    names: dict[int, str] = {}
    for i, name in orgs:
        best = name
        for _, other in orgs:
            if len(other) <= len(best):
                continue
            if other.startswith(best + " ") or (name.isupper() and len(name) >= 2
                                                and acronym(other) == name):
                best = other
        names[i] = best
    return names


class SpeakerResolver:
    """Resolves speech-verb subjects of one parsed article (built once per article)."""

    def __init__(self, doc: Any, mentions: list[Mention], actors: list[Actor],
                 marks: list[tuple[int, int]], lexicon: dict[str, Any],
                 is_cue: Callable[[Any], bool]) -> None:
        self.doc, self.actors, self.lex, self.is_cue = doc, actors, lexicon, is_cue
        self.marks = marks
        self._sent_starts = [s.start_char for s in doc.sents]
        self.names = org_canonical_names(actors)
        self.candidates = self._candidates(mentions)
        self.gender = self._genders()

    # -- the article's candidates ----------------------------------------------------------------

    def _quoted(self, at: int) -> bool:
        return any(s <= at < e for s, e in self.marks)

    def sentence(self, at: int) -> int:
        return max(0, bisect.bisect_right(self._sent_starts, at) - 1)

    def _role(self, tok: Any) -> tuple[bool, bool]:
        """(subject, subject of a speech verb) for the head token of a mention."""
        while tok.dep_ in ("compound", "flat", "appos") and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ in SUBJECT_DEPS:
            return True, self.is_cue(tok.head)
        if tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according":
            return True, True
        for child in tok.children:  # "O'Connor, who coproduced ...": subject of its clause
            if child.dep_ == "relcl" and any(g.dep_ in SUBJECT_DEPS and g.tag_ in ("WP", "WDT")
                                             for g in child.children):
                return True, self.is_cue(child)
        return False, False

    def _candidates(self, mentions: list[Mention]) -> list[_Candidate]:
        found: list[_Candidate] = []
        covered: set[int] = set()
        for m in mentions:
            if m.actor is None or self._quoted(m.start):
                continue
            span = span_at(self.doc, m.start, m.end)
            if span is None or not len(span):
                continue
            covered.update(t.i for t in span)
            found.append(self._candidate(span.root, m.start, m.end, m.actor))
        # full names, surnames and aliases of known actors where the annotator left them unmarked
        people = {a.name for a in self.actors if a.kind == "person"}
        forms: list[tuple[str, int]] = []
        for i, actor in enumerate(self.actors):
            if actor.kind != "person" and actor.name in people:
                continue  # a person also taken for an organisation
            forms += [(actor.name, i)] + [(a, i) for a in actor.aliases]
            if actor.kind == "person" and len(actor.name.split()) > 1:
                forms.append((actor.name.split()[-1], i))
        text = doc_text(self.doc)
        for form, i in sorted(forms, key=lambda f: -len(f[0])):
            if len(form) < 2 or not form[:1].isupper():
                continue
            for match in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text):
                span = span_at(self.doc, match.start(), match.end())
                if span is None or not len(span) or covered & {t.i for t in span} \
                        or self._quoted(match.start()):
                    continue
                covered.update(t.i for t in span)
                found.append(self._candidate(span.root, match.start(), match.end(), i))
        for tok in self.doc:  # plural groups that "they" can point back to
            if tok.dep_ in SUBJECT_DEPS and tok.tag_ == "NNS" and tok.i not in covered \
                    and not self._quoted(tok.idx):
                subject, speaking = self._role(tok)
                found.append(_Candidate(tok.idx, tok.idx + len(tok.text), None, "group",
                                        self.sentence(tok.idx), subject, speaking,
                                        self._description(tok)))
        found += self._joint(found)
        found.sort(key=lambda c: c.start)
        return found

    def _joint(self, found: list[_Candidate]) -> list[_Candidate]:
        """Subjects naming several actors ("A and B said"), for "they" and "the pair"."""
        heads = {c.start: c for c in found if c.actor is not None}
        joint = []
        for c in list(heads.values()):
            span = span_at(self.doc, c.start, c.end)
            tok = span.root if span is not None and len(span) else None
            if tok is None or tok.dep_ not in SUBJECT_DEPS:
                continue
            names = [self.actors[c.actor].name]  # type: ignore[index]
            for conj in (t for t in tok.children if t.dep_ == "conj"):
                other = next((o for o in heads.values() if o.start <= conj.idx < o.end), None)
                if other is not None:
                    names.append(self.actors[other.actor].name)  # type: ignore[index]
            if len(names) > 1:
                joint.append(dataclasses.replace(c, kind="joint", name=" and ".join(names)))
        return joint

    def _candidate(self, tok: Any, start: int, end: int, actor: int) -> _Candidate:
        subject, speaking = self._role(tok)
        return _Candidate(start, end, actor, self.actors[actor].kind, self.sentence(start),
                          subject, speaking)

    def _genders(self) -> dict[int, str]:
        """'m' or 'f' for the people the text genders: titles before a name and gendered nouns
        among the roles weigh most, then the pronouns that follow a person named alone in a
        sentence (in it, or opening the next sentence when that names nobody)."""
        male, female = set(self.lex["male"]), set(self.lex["female"])
        votes: dict[int, int] = {}

        def vote(actor: int, words: Iterable[str], weight: int) -> None:
            for w in words:
                w = w.lower().strip(".")
                if w in male:
                    votes[actor] = votes.get(actor, 0) + weight
                elif w in female:
                    votes[actor] = votes.get(actor, 0) - weight

        people = [c for c in self.candidates if c.kind == "person" and c.actor is not None]
        for i, actor in enumerate(self.actors):
            if actor.kind == "person":
                vote(i, " ".join(actor.roles).split(), 2)
        by_sent: dict[int, set[int]] = {}
        for c in people:
            by_sent.setdefault(c.sent, set()).add(c.actor)  # type: ignore[arg-type]
            before = doc_text(self.doc)[max(0, c.start - 6):c.start].split()
            vote(c.actor, before[-1:], 3)  # type: ignore[arg-type]
        sents = list(self.doc.sents)
        for c in people:
            if by_sent[c.sent] != {c.actor}:
                continue
            toks = [t for t in sents[c.sent] if t.idx >= c.end]
            if c.sent + 1 < len(sents) and c.sent + 1 not in by_sent:
                toks += list(sents[c.sent + 1])[:3]
            for t in toks:
                if t.pos_ == "PRON" and not self._quoted(t.idx) and not _object(t):
                    low = t.lower_
                    if low in HE:
                        votes[c.actor] = votes.get(c.actor, 0) + 1  # type: ignore[index]
                    elif low in SHE:
                        votes[c.actor] = votes.get(c.actor, 0) - 1  # type: ignore[index]
        return {a: "m" if v > 0 else "f" for a, v in votes.items() if v}

    # -- resolution -------------------------------------------------------------------------------

    def _named(self, actor: int, text: str, start: int | None, end: int | None,
               phrase: Any = None) -> Speaker:
        name = self.actors[actor].name
        if self.actors[actor].kind != "person":
            name = self.names.get(actor, name)
            if name not in doc_text(self.doc):  # a reference name: "White House" as printed
                name = self._printed(actor) or name
            if phrase is not None:  # the text names it more fully: "Southwest Times Record"
                proper = " ".join(t.text for t in phrase if t.pos_ == "PROPN")
                if name in proper and len(proper) > len(name):
                    name = proper
        return Speaker(name, actor, text, start, end)

    def _printed(self, actor: int) -> str:
        """The fullest form the text gives an actor, without a leading 'the'."""
        forms = [re.sub(r"^[Tt]he\s+", "", doc_text(self.doc)[c.start:c.end]).strip()
                 for c in self.candidates if c.actor == actor and c.kind != "joint"]
        return max(forms, key=len, default="")

    def _core(self, tok: Any) -> list[Any]:
        """The noun phrase of a subject without relative clauses, appositions and conjuncts."""
        skip = {"relcl", "acl", "appos", "conj", "cc", "punct"}
        out = [tok]
        for child in tok.children:
            if child.dep_ not in skip:
                out.extend(child.subtree)
        return sorted(out, key=lambda t: t.i)

    def _description(self, tok: Any) -> str:
        return " ".join(t.text for t in self._core(tok)).lower()

    def _anonymous(self, tok: Any, text: str, start: int, end: int) -> Speaker:
        return Speaker("anonymous", None, text, start, end, True, self._description(tok))

    def _found(self, found: _Candidate | None, tok: Any, text: str, start: int, end: int
               ) -> Speaker:
        """The speaker an antecedent gives (a description when it is an unnamed group)."""
        if found is None:
            return Speaker("anonymous", None, text, start, end, True, self._description(tok))
        if found.kind == "joint":
            return Speaker(found.name, found.actor, text, start, end)
        if found.actor is None:
            return Speaker("anonymous", None, text, start, end, True, found.description)
        return self._named(found.actor, text, start, end)

    def resolve(self, subject: Any, cue: Any = None) -> Speaker:
        """The speaker of a speech verb with this subject token (None: no subject found)."""
        if subject is None:
            if cue is not None and cue.dep_ == "acl" and cue.head.i < cue.i and \
                    cue.head.pos_ in ("NOUN", "PROPN"):
                return self.resolve(cue.head, None)  # 'The company, which ..., confirmed'
            return self._after_cue(cue) or self._opening(cue) or \
                Speaker("anonymous", None, anonymous=True)
        if subject.tag_ in ("WP", "WDT") and subject.head.dep_ == "relcl":
            return self.resolve(subject.head.head, cue)  # "Amoss, who said" -> Amoss
        main = self._single(subject, cue)
        conj = [c for c in subject.children if c.dep_ == "conj"]
        if not conj:
            return main
        parts = [main] + [self._single(c, None) for c in conj]
        name = " and ".join(p.description if p.anonymous else p.name for p in parts)
        anonymous = all(p.anonymous for p in parts)
        return Speaker("anonymous" if anonymous else name, main.actor, main.text, main.start,
                       main.end, anonymous, name if anonymous else "")

    def _title(self, word: str) -> bool:
        return word.lower().strip(".") in self.lex["titles"]

    def _after_cue(self, cue: Any) -> Speaker | None:
        """'said The Company's chair Jane Roe in an email': a person named just after the verb,
        on the same line."""
        if cue is None:
            return None
        end = cue.idx + len(cue.text)
        reported = {t.idx for c in cue.children if c.dep_ == "ccomp" and c.i > cue.i
                    for t in c.subtree}
        for c in self.candidates:
            if c.start in reported:
                continue  # named in what the verb reports, not the speaker
            if end <= c.start <= end + 80 and c.kind == "person" \
                    and "\n" not in doc_text(self.doc)[end:c.start] \
                    and not self._title(doc_text(self.doc)[c.start:c.end]):
                return self._named(c.actor, doc_text(self.doc)[c.start:c.end], c.start, c.end)  # type: ignore[arg-type]
        return None

    def _opening(self, cue: Any) -> Speaker | None:
        """A verb the parser left without a subject ("HP Monday announced ..."): the actor
        named at the start of its sentence, or just before the verb with only a date or an
        adverb between them."""
        if cue is None:
            return None
        first = cue.sent.start_char
        for c in reversed(self.candidates):
            if c.end > cue.idx or c.actor is None:
                continue
            if c.start < first:
                break
            between = span_at(self.doc, c.end, cue.idx)
            if c.start == first or between is not None and all(
                    t.ent_type_ in ("DATE", "TIME") or t.pos_ in ("ADV", "SPACE")
                    for t in between if t.idx >= c.end):
                return self._found(c, cue, doc_text(self.doc)[c.start:c.end], c.start, c.end)
        return None

    def _single(self, subject: Any, cue: Any) -> Speaker:
        doc = self.doc
        span = doc[subject.left_edge.i:subject.right_edge.i + 1]
        text, start, end = span.text, span.start_char, span.end_char
        core = self._core(subject)
        low, lemma = subject.lower_, subject.lemma_.lower()
        if subject.pos_ == "PRON" and lemma not in self.lex["joint"]:
            return self._pronoun(low, subject, text, start, end)
        if lemma in self.lex["joint"]:  # "the pair said", "both said"
            found = self._antecedent(subject.idx, ("joint",), window=ROLE_WINDOW)
            if found is not None:
                return self._found(found, subject, text, start, end)
        named = {c.start: c for c in self.candidates if c.actor is not None
                 and c.kind != "joint"}.values()

        def at(tok: Any) -> _Candidate | None:
            return next((c for c in named if c.start <= tok.idx < c.end), None)

        if cue is not None and subject.i > cue.i and self._title(subject.text):
            # 'said Dist. Atty. Jane Roe': an abbreviated title taken for the subject
            after = self._after_cue(cue)
            if after is not None:
                return dataclasses.replace(after, text=text, start=start, end=end)
        unnamed = low in self.lex["anonymous"] or lemma in self.lex["anonymous"]
        head = at(subject)
        if head is not None and unnamed and head.actor is not None and \
                self.actors[head.actor].name.lower() == low:
            head = None  # "Neighbours said": a common noun the annotator took for a name
        if head is not None:
            return self._named(head.actor, text, start, end, core)  # type: ignore[arg-type]
        for child in self._appositions(subject):  # "the group that owns it, Big Machine, says"
            if child.dep_ == "appos":
                found = next((at(t) for t in child.subtree if at(t) is not None), None)
                if found is not None:
                    return self._named(found.actor, text, start, end)  # type: ignore[arg-type]
        owners = {t.i for c in subject.children if c.dep_ == "poss" for t in c.subtree}
        inside = [at(t) for t in core if t.i not in owners and at(t) is not None]
        people = [c for c in inside if c is not None and c.kind == "person"]
        if people:
            return self._named(people[-1].actor, text, start, end)  # type: ignore[arg-type]
        if subject.pos_ == "PROPN" and not unnamed:  # ("Neighbours said" is no name)
            return self._proper(subject, core, cue, text, start, end)
        if lemma in self.lex["sources"] or low in self.lex["sources"]:  # "data from X"
            for prep in (c for c in subject.children if c.lower_ in ("from", "by", "of")):
                found = next((at(t) for t in prep.subtree if at(t) is not None), None)
                if found is not None:
                    return self._named(found.actor, text, start, end)  # type: ignore[arg-type]
                source = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if source is not None and source.pos_ == "PROPN":  # a name nobody annotated
                    words = [t.text for t in source.subtree]
                    return Speaker(" ".join(words[1:] if words[0].lower() == "the" else words),
                                   None, text, start, end)
                if source is not None and source.pos_ == "NOUN" and \
                        source.lemma_.lower() in self.lex["organisations"]:
                    issuer = self._single(source, None)  # "a statement from the ministry"
                    return dataclasses.replace(issuer, text=text, start=start, end=end)
        det = {c.lower_ for c in subject.children if c.dep_ in ("det", "poss")}
        proper = [t for t in core if t.i != subject.i and (t.pos_ == "PROPN" or t.ent_type_ in (
            "GPE", "NORP", "ORG"))]
        if unnamed:  # "a spokesman said"; "the spokesman said" after "spokesman Jo Roe"
            found = self._by_role(subject, lemma) if det & DEFINITE and \
                subject.tag_ not in ("NNS", "NNPS") else None
            if found is not None:
                return self._found(found, subject, text, start, end)
            return self._anonymous(subject, text, start, end)
        if any(t.i not in owners for t in proper) and (
                lemma in self.lex["organisations"] or low in self.lex["organisations"]):
            # "the Kommersant daily", "the Reuters news agency": named by its proper words
            words = [t.text for t in core if t.dep_ != "det"]
            return Speaker(" ".join(words), None, text, start, end)
        if lemma in self.lex["institutions"] or low in self.lex["institutions"]:
            if proper:  # "the Troy police", "the Indian navy": the institution itself
                words = [t.text for t in core if t.dep_ != "det"]
                return Speaker(" ".join(words), None, text, start, end)
            return self._anonymous(subject, text, start, end)
        plural = subject.tag_ in ("NNS", "NNPS")
        definite = bool(det & DEFINITE) or any(c.dep_ == "poss" for c in subject.children)
        if plural or not definite:  # "a witness", "officials"; "the 56-year-old" goes on
            return self._anonymous(subject, text, start, end)
        if lemma in self.lex["organisations"] or lemma in self.lex["sources"]:
            found = self._antecedent(subject.idx, ("organisation",), window=PRONOUN_WINDOW) or \
                self._antecedent(subject.idx, ("organisation", "country"), window=None)
        else:
            found = self._by_role(subject, lemma) or \
                self._antecedent(subject.idx, ("person",), window=ROLE_WINDOW, fallback=False)
        return self._found(found, subject, text, start, end)

    def _appositions(self, subject: Any) -> list[Any]:
        """Appositions naming the subject: its own, and one that closes the subject phrase
        between commas, which the parser may hang on a word of a relative clause ('the company
        that runs the show, Acme Media, says')."""
        own = [c for c in subject.children if c.dep_ == "appos"]
        last = subject.right_edge
        closing = [t for t in subject.subtree if t.dep_ == "appos" and t.head.i != subject.i
                   and last.text == "," and t.right_edge.i + 1 == last.i
                   and t.left_edge.i > 0 and self.doc[t.left_edge.i - 1].text == ","]
        return own + closing

    def _proper(self, subject: Any, core: list[Any], cue: Any, text: str, start: int,
                end: int) -> Speaker:
        """A proper-noun subject without an annotated mention: a known actor by one of its name
        words; after the verb, the person named next on the line ('said Dist. Atty. Jane
        Roe'); else the name as printed without its titles."""
        for index, actor in enumerate(self.actors):
            if subject.text in actor.name.split() or subject.text in actor.aliases:
                return self._named(index, text, start, end, core)
        words = [t.text for t in core if t.pos_ == "PROPN"]
        if cue is not None and subject.i > cue.i:
            following = [c for c in self.candidates if c.kind == "person"
                         and subject.idx <= c.start <= subject.idx + 40
                         and "\n" not in doc_text(self.doc)[subject.idx:c.start]]
            if following:
                return self._named(following[0].actor, text, start, end)  # type: ignore[arg-type]
            run: list[str] = []  # the last run of capitalised words before the line ends
            for tok in self.doc[subject.i:subject.i + 10]:
                if "\n" in tok.text or (tok.is_punct and tok.text != "."):
                    break
                if tok.pos_ == "PROPN" and not tok.text.endswith("."):
                    run.append(tok.text)
                elif tok.text != "." and run:
                    break
                elif self.doc[tok.i + 1:tok.i + 2].text == ".":
                    run = []
            words = run or words
        while len(words) > 1 and words[0].lower().strip(".") in self.lex["titles"]:
            words = words[1:]
        return Speaker(" ".join(words) or subject.text, None, text, start, end)

    def _by_role(self, subject: Any, lemma: str) -> _Candidate | None:
        """'the judge said': the person whose annotated role has this noun, nearest before the
        cue, else the first one after it."""
        roled = {i for i, a in enumerate(self.actors) if a.kind == "person"
                 and any(lemma in r.lower().split() for r in a.roles)}
        text = doc_text(self.doc)
        roled |= {c.actor for c in self.candidates if c.kind == "person" and  # "Coroner Jo Roe"
                  [w.lower().strip(".,") for w in text[max(0, c.start - 30):c.start].split()[-1:]]
                  == [lemma]}
        if not roled:
            return None
        fits = [c for c in self.candidates if c.actor in roled]
        before = [c for c in fits if c.end <= subject.idx]
        return before[-1] if before else (fits[0] if fits else None)

    def _pronoun(self, low: str, tok: Any, text: str, start: int, end: int) -> Speaker:
        if low in ("he", "she"):
            found = self._antecedent(start, ("person",), "m" if low == "he" else "f")
        elif low == "it":
            found = self._antecedent(start, ("organisation", "country"))
        elif low == "they":
            found = self._antecedent(start, ("organisation", "group", "joint"))
        else:
            found = self._antecedent(start, ("person",))
        if found is not None and found.actor is not None:
            self._chain(found, tok)
        return self._found(found, tok, text, start, end)

    def _chain(self, found: _Candidate, pronoun: Any) -> None:
        """A pronoun resolved as a speaker stands for its antecedent from then on: 'she said'
        keeps the speaker salient for the next 'she said' a few sentences later."""
        start = pronoun.idx
        if any(c.start == start for c in self.candidates):
            return
        link = dataclasses.replace(found, start=start, end=start + len(pronoun.text),
                                   sent=self.sentence(start), subject=True, speaking=True)
        bisect.insort(self.candidates, link, key=lambda c: c.start)

    def _antecedent(self, at: int, kinds: tuple[str, ...], gender: str | None = None,
                    window: int | None = PRONOUN_WINDOW, fallback: bool = True
                    ) -> _Candidate | None:
        """The most salient earlier candidate of these kinds: the nearest sentence wins, unless a
        sentence before it has the candidate as subject (more so as a speaker)."""
        here = self.sentence(at)
        best, best_score = None, float("-inf")
        for c in self.candidates:
            if c.end > at:
                break
            if c.kind not in kinds or (gender and c.actor is not None
                                       and self.gender.get(c.actor, gender) != gender):
                continue
            distance = here - c.sent
            if window is not None and distance > window:
                continue
            score = -distance + 1.5 * c.subject + 1.0 * c.speaking
            if gender and c.actor is not None and self.gender.get(c.actor) == gender:
                score += 1.0
            if score >= best_score:
                best, best_score = c, score
        if best is None and window is not None and fallback:
            return self._antecedent(at, kinds, gender, None)
        return best
