"""Actors inside one article: mentions grouped into people, organisations and governments.

From the spaCy parse: named entities, titles and affiliations from pre-modifiers ("Russian
President Vladimir Putin") and appositions ("Alexander Neill, a defense analyst in Singapore";
"X, director of Y"), honorifics ("Mr. Putin"), descriptions ("the Russian leader", "the Kremlin
boss"), capitals and seats of power used as actors ("Moscow sped up work", "the Kremlin said"),
international organisations from a data file, companies from their names and context. Each actor
gets a kind, an ISO 3166 alpha-3 country and a CAMEO-style sector code.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from storyline.annotate.lexicons import Lexicons, lexicons
from storyline.annotate.nlp import span_at
from storyline.model import Actor, Mention

HONORIFICS = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof|professor|sir|dame|gen|col|capt|lt|"
                        r"president|premier|minister|king|queen|prince|princess|pope)\.?\s+",
                        re.IGNORECASE)
HONORIFIC_WORDS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "messrs"})
LEADER_ROLES = ("leader", "president", "premier", "prime minister", "boss", "chancellor",
                "head of state", "king", "emir", "supreme leader", "strongman")
ACTOR_SUBJECT_DEPS = {"nsubj", "nsubjpass", "poss", "agent", "csubj"}
COMPANY_SUFFIX = re.compile(
    r"\b(?:corp(?:oration)?|inc|ltd|plc|llc|group|company|co|holdings?|petroleum|gas|oil|"
    r"energy|airlines?|motors|bank|telecom|mining|steel|pharma(?:ceuticals)?|ag|sa|nv|gmbh)\.?$",
    re.IGNORECASE)
COMPANY_WORDS = ("company", "firm", "giant", "corporation", "conglomerate", "producer",
                 "exporter", "maker", "operator", "carrier", "monopoly", "group", "bank")
DESC_ROLE = ("leader|president|premier|prime minister|boss|chancellor|foreign minister|"
             "defence minister|defense minister|government|authorities|military|army|navy|"
             "foreign ministry|side|delegation|administration|regime|parliament")


def norm_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"'s\b", "", text)
    return " ".join(re.findall(r"[a-z0-9]+", text))


def actor_id(kind: str, country: str | None, name: str) -> str:
    key = f"{kind}|{country or ''}|{norm_name(name)}"
    return hashlib.sha1(key.encode()).hexdigest()[:12]


@dataclass
class _Draft:
    kind: str
    name: str
    country: str | None = None
    sector: str | None = None
    roles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def add_role(self, role: str) -> None:
        role = " ".join(role.split()).strip(" ,.;:")
        if role and role not in self.roles:
            self.roles.append(role)


def _clean_person(text: str) -> str:
    text = text.replace("’", "'")
    text = re.sub(r"'s$", "", text.strip())
    while HONORIFICS.match(text):
        text = HONORIFICS.sub("", text, count=1)
    return text.strip(" ,.")


def _sentence_index(doc: Any) -> dict[int, int]:
    index = {}
    for i, sent in enumerate(doc.sents):
        for tok in sent:
            index[tok.i] = i
    return index


def _text_of(tokens: list[Any]) -> str:
    """The document's own text from the first to the last token (spacing as written)."""
    if not tokens:
        return ""
    doc = tokens[0].doc
    # a span of the doc gives the text as written without joining every token of the doc
    return str(doc[tokens[0].i:tokens[-1].i + 1].text)


_FUNCTION_TAIL = re.compile(r"(?:\s+(?:at|for|of|in|and|the|under|from|on))+$", re.IGNORECASE)


def _trim(text: str) -> str:
    return _FUNCTION_TAIL.sub("", text.strip(" ,.;:"))


def _premodifier(ent: Any) -> str:
    """Title words before a name inside its noun phrase: 'Russian President' Vladimir Putin."""
    root = ent.root
    left = root.left_edge.i
    if left >= ent.start:
        return ""
    words = [t for t in ent.doc[left:ent.start] if t.dep_ not in ("det", "punct", "poss", "case")
             and t.pos_ in ("PROPN", "NOUN", "ADJ", "ADP", "CCONJ")
             and t.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERSON")]
    while words and words[0].pos_ in ("ADP", "CCONJ"):
        words = words[1:]
    words = [t for t in words if t.lower_.rstrip(".") not in HONORIFIC_WORDS]
    words = words[-8:]
    # Keep a contiguous run ending at the name.
    run: list[Any] = []
    for tok in reversed(words):
        if run and tok.i != run[0].i - 1:
            break
        run.insert(0, tok)
    if not run or run[-1].i != ent.start - 1:
        return ""
    text = _trim(_text_of(run))
    first = run[0].i
    if first >= 2 and ent.doc[first - 1].dep_ == "case" and ent.doc[first - 2].dep_ == "poss" \
            and ent.doc[first - 2].ent_type_ in ("GPE", "NORP", "ORG"):
        text = f"{ent.doc[first - 2].text}'s {text}"  # "Russia's President Vladimir Putin"
    return text


MAX_ROLE_WORDS = 14


def _role_text(span: Any) -> str:
    """A role phrase cut to its first clause: 'a defense analyst in Singapore'."""
    words = []
    for tok in span:
        if tok.dep_ in ("relcl", "advcl", "ccomp") or tok.pos_ == "VERB" and tok.dep_ != "amod":
            break
        words.append(tok)
    return _trim(_text_of(words[:MAX_ROLE_WORDS]))


def _appositions(ent: Any) -> list[tuple[str, list[str]]]:
    """Role phrases set beside a name, with the organisations inside them (affiliations)."""
    root = ent.root
    found = []
    for child in root.children:
        if child.dep_ == "appos" and not (ent.start <= child.i < ent.end):
            span = root.doc[child.left_edge.i:child.right_edge.i + 1]
            if any(e.label_ == "PERSON" for e in span.ents):
                continue  # a second person, not a role
            found.append((_role_text(span),
                          [_trim(e.text) for e in span.ents if e.label_ in ("ORG", "FAC")]))
        if child.dep_ == "prep" and child.lower_ in ("of", "at", "from"):
            ents = root.doc[child.i:child.right_edge.i + 1].ents
            orgs = [_trim(e.text) for e in ents if e.label_ in ("ORG", "FAC")]
            if orgs:
                found.append(("", orgs))
            places = [e.text for e in ents if e.label_ == "GPE"]
            if places and not orgs:
                found.append((f"{child.text} {places[0]}", []))  # "President X of Russia"
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and 0 < ent.start - root.head.i <= 12:
        head = root.head
        span = root.doc[head.left_edge.i:ent.start]
        if any(e.label_ == "PERSON" for e in span.ents):
            return found
        orgs = [_trim(e.text) for e in span.ents if e.label_ in ("ORG", "FAC")]
        found.append((_role_text(span), orgs))
    return found


def _company_context(ent: Any) -> bool:
    """'oil giant Gazprom', 'gas company X': a company the tagger took for a place."""
    nearby = [t.lower_ for t in ent.doc[max(ent.sent.start, ent.start - 3):ent.start]]
    return any(w in COMPANY_WORDS for w in nearby)


def _government(lex: Lexicons, iso: str) -> str:
    return f"Government of {lex.country_label.get(iso, iso)}"


def _leads(role: str) -> bool:
    """A leader's title, not a deputy's or a former one's."""
    low = role.lower()
    return any(r in low for r in LEADER_ROLES) and not re.search(
        r"\b(?:deputy|vice|former|ex|acting|first deputy)\b", low)


def _surname_only(draft: _Draft, lex: Lexicons) -> bool:
    """A person named by one word only, with no title that places them elsewhere ("Erdogan",
    "President Erdogan"; not "Sheriff Johnson")."""
    if len(draft.name.split()) != 1:
        return False
    sectors = {lex.sector_of(r) for r in draft.roles} - {None}
    return not sectors or sectors <= {"GOV", "ELI"}


def _person_country(draft: _Draft, lex: Lexicons) -> str | None:
    for role in draft.roles:
        iso = lex.country_in(role)
        if iso:
            return iso
    for text in [*draft.roles, *draft.affiliations]:  # "member of the CPC Central Secretariat"
        iso = lex.organisation_country_in(text)
        if iso:
            return iso
    return None


#: Lower-case words inside listed names ("Mohammed bin Salman", "Ursula von der Leyen").
NAME_PARTICLES = frozenset({"bin", "bint", "al", "el", "de", "da", "van", "von", "der", "la", "le",
                            "di", "du", "ibn"})


class ActorAnnotator:
    def __init__(self, lex: Lexicons | None = None) -> None:
        self.lex = lex or lexicons()
        demonyms = "|".join(re.escape(d) for d in sorted(self.lex.demonyms, key=len,
                                                          reverse=True) if d[:1].isalpha())
        seats = "|".join(re.escape(s) for s in sorted(self.lex.seats, key=len, reverse=True))
        self.description = re.compile(
            rf"\b(?i:the)\s+(?P<who>(?i:{demonyms})|(?i:{seats}))\s+(?P<role>(?i:{DESC_ROLE}))\b")
        self.seat_re = re.compile(rf"\b(?:(?i:the)\s+)?(?P<seat>{seats})\b") if seats else None
        known = "|".join(re.escape(k) for k in sorted(self.lex.known, key=len, reverse=True))
        self.known_re = re.compile(rf"(?<![\w.-])(?i:{known})(?![\w-])") if known else None

    def annotate(self, doc: Any) -> tuple[list[Mention], list[Actor]]:
        lex = self.lex
        doc_text = doc.text  # once: Doc.text joins every token on each access
        sentence_of = _sentence_index(doc)
        drafts: list[_Draft] = []
        by_key: dict[tuple[str, str], _Draft] = {}
        covered: set[int] = set()

        def get(kind: str, name: str, country: str | None, key: str | None = None) -> _Draft:
            k = (kind, key or norm_name(name))
            if k not in by_key:
                by_key[k] = _Draft(kind, name, country)
                drafts.append(by_key[k])
            draft = by_key[k]
            if country and not draft.country:
                draft.country = country
            return draft

        def mention(draft: _Draft, start: int, end: int, label: str, tok_i: int) -> None:
            draft.mentions.append(Mention(doc_text[start:end], start, end, label,
                                          sentence_of.get(tok_i, 0)))
            covered.update(range(start, end))

        persons = []
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            pre = _premodifier(ent).lower().split()
            pre += [t.lower_ for t in doc[max(ent.sent.start, ent.start - 3):ent.start]]
            if any(w in COMPANY_WORDS for w in pre):
                continue  # "state oil company Petrobras": handled as an organisation below
            before = doc[ent.start - 1] if ent.start > 0 else None
            chain = ent.start > 1 and doc[ent.start - 2].pos_ == "PROPN"
            if (before is not None and not chain and before.pos_ == "PROPN" and before.is_title
                    and not lex.sector_of(before.text) and before.lower_ not in lex.demonyms
                    and before.lower_ not in HONORIFIC_WORDS and before.ent_type_ in ("", "PERSON")):
                ent = doc[ent.start - 1:ent.end]  # a first name the tagger left out
            persons.append(ent)
        persons += self._listed_people(doc, persons)
        # Full names first, so that "Putin" and "Mr. Putin" join "Vladimir Putin".
        persons.sort(key=lambda e: -len(_clean_person(e.text).split()))
        surnames: dict[str, _Draft] = {}
        for ent in persons:
            name = _clean_person(ent.text)
            if not name or not any(c.isupper() for c in name):
                continue
            if name.lower() in lex.country_names or name.lower() in lex.capitals or \
                    name.lower() in lex.igos:
                continue  # a tagging slip: a place or an organisation read as a person
            parts = name.split()
            draft = None
            if len(parts) == 1:
                draft = surnames.get(parts[0].lower())
            else:
                # "Vladimir V. Putin" and "Vladimir Putin": same first and last name.
                same = surnames.get(parts[-1].lower())
                if same is not None and same.name.split()[0].lower() == parts[0].lower():
                    draft = same
            if draft is None:
                draft = get("person", name, None)
                for part in parts:
                    surnames.setdefault(part.lower(), draft)
            if name not in draft.aliases and name != draft.name:
                draft.aliases.append(name)
            pre = _premodifier(ent)
            if pre:
                draft.add_role(pre)
            for role, orgs in _appositions(ent):
                draft.add_role(role)
                for org in orgs:
                    if org not in draft.affiliations:
                        draft.affiliations.append(org)
            mention(draft, ent.start_char, ent.end_char, "PERSON", ent.root.i)
        for draft in drafts:
            if draft.kind == "person":
                full = [_clean_person(m.text) for m in draft.mentions
                        if len(_clean_person(m.text).split()) >= 2]
                if full:  # the most frequent full form names the actor
                    draft.name = max(set(full), key=lambda n: (full.count(n), -len(n)))
                draft.country = draft.country or _person_country(draft, lex)
                draft.sector = draft.sector or next(
                    (s for s in (lex.sector_of(r) for r in draft.roles) if s), None)
                known = next((lex.leaders[n.lower()] for n in [draft.name, *draft.aliases]
                              if n.lower() in lex.leaders), None)
                if known is None and not full and _surname_only(draft, lex):
                    known = lex.leader_surnames.get(draft.name.lower().strip(".,"))
                if known is not None:  # a well-known office holder (data/leaders.tsv)
                    iso, role = known
                    if iso == "IGO":
                        draft.sector = draft.sector or "IGO"
                    elif draft.country is None:
                        draft.country = iso
                    if iso != "IGO" and draft.country == iso:
                        draft.sector = draft.sector or lex.sector_of(role) or "GOV"
                    if not draft.roles:
                        draft.add_role(role)

        self._descriptions(doc, drafts, get, mention, covered)
        for ent in doc.ents:
            if any(i in covered for i in range(ent.start_char, ent.end_char)):
                continue
            if ent.label_ == "PERSON" and ent.start_char not in covered:
                pass  # a company the tagger took for a person: an organisation below
            elif ent.label_ not in ("ORG", "GPE", "FAC", "NORP", "LOC"):
                continue
            if ent.start_char in covered:
                continue
            single = _clean_person(ent.text)
            if ent.label_ in ("ORG", "GPE") and " " not in single and single.lower() in surnames:
                draft = surnames[single.lower()]  # "Teixeira" tagged ORG after "Mr. Teixeira"
                mention(draft, ent.start_char, ent.end_char, "PERSON", ent.root.i)
                continue
            text = re.sub(r"^(?i:the)\s+", "", ent.text).replace("’", "'")
            text = _trim(re.sub(r"'s$", "", text))
            low = text.lower()
            if low in lex.igos:
                name, code, iso = lex.igos[low]
                draft = get("organisation", name, iso)
                draft.sector = code
                if text != name and text not in draft.aliases:
                    draft.aliases.append(text)
                mention(draft, ent.start_char, ent.end_char, ent.label_, ent.root.i)
            elif low in lex.seats:
                iso = lex.seats[low]
                draft = get("country", _government(lex, iso), iso, key=f"gov:{iso}")
                draft.sector = "GOV"
                if text not in draft.aliases:
                    draft.aliases.append(text)
                mention(draft, ent.start_char, ent.end_char, ent.label_, ent.root.i)
            elif low in lex.country_names or low in lex.capitals:
                is_capital = low in lex.capitals and low not in lex.country_names
                iso = lex.capitals[low] if is_capital else lex.country_names[low]
                acting = ent.root.dep_ in ACTOR_SUBJECT_DEPS or ent.root.dep_ == "conj" and \
                    ent.root.head.dep_ in ACTOR_SUBJECT_DEPS
                if is_capital and not acting:
                    continue  # a place, not an actor
                key = f"gov:{iso}" if is_capital else f"country:{iso}"
                label = _government(lex, iso) if is_capital else lex.country_label.get(iso, text)
                draft = get("country", label, iso, key=key)
                if is_capital:
                    draft.sector = "GOV"
                if text != draft.name and text not in draft.aliases:
                    draft.aliases.append(text)
                mention(draft, ent.start_char, ent.end_char, "GPE", ent.root.i)
            elif ent.label_ in ("ORG", "FAC", "PERSON") or (
                    ent.label_ == "GPE" and _company_context(ent)):
                draft = self._organisation(ent, text, get)
                if draft is not None:
                    mention(draft, ent.start_char, ent.end_char, ent.label_, ent.root.i)

        self._known(doc, get, mention, covered)
        self._seats(doc, get, mention, covered)
        self._acronyms(doc, drafts, mention, covered)

        actors: list[Actor] = []
        mentions: list[Mention] = []
        for draft in drafts:
            if not draft.mentions:
                continue
            index = len(actors)
            actors.append(Actor(actor_id(draft.kind, draft.country, draft.name),
                                " ".join(draft.name.split()),
                                draft.kind, draft.country, draft.sector, draft.roles,
                                draft.affiliations, draft.aliases))
            for m in draft.mentions:
                m.actor = index
                mentions.append(m)
        mentions.sort(key=lambda m: m.start)
        return mentions, actors

    def _listed_people(self, doc: Any, persons: list[Any]) -> list[Any]:
        """Full names of listed leaders the tagger did not take for people ("Theresa May",
        whose surname it reads as a month): two to four capitalised words, as listed."""
        taken = {t.i for e in persons for t in e}
        found = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            if not tok.is_title or tok.i in taken:
                i += 1
                continue
            for n in (4, 3, 2):
                span = doc[i:i + n]
                if len(span) == n and span.text.lower() in self.lex.leaders and \
                        not any(t.i in taken for t in span) and \
                        all(t.is_title or t.lower_ in NAME_PARTICLES for t in span):
                    found.append(span)
                    i += n - 1
                    break
            i += 1
        return found

    def _known(self, doc: Any, get: Any, mention: Any, covered: set[int]) -> None:
        """Organisations and armed groups of the data files that the tagger missed ("ECOWAS
        leaders", "Human Rights Watch accused"). Names are capitalised; acronyms are exact."""
        if self.known_re is None:
            return
        for match in self.known_re.finditer(doc.text):
            text = match.group(0)
            if not text[:1].isupper():
                continue
            if any(i in covered for i in range(match.start(), match.end())):
                continue
            span = span_at(doc, match.start(), match.end())
            if span is None:
                continue
            name, code, iso = self.lex.igos[text.lower()]
            draft = get("organisation", name, iso)
            draft.sector = code
            if text != name and text not in draft.aliases:
                draft.aliases.append(text)
            mention(draft, match.start(), match.end(), "ORG", span.root.i)

    def _organisation(self, ent: Any, text: str, get: Any) -> _Draft | None:
        lex = self.lex
        pre = _premodifier(ent)
        context = f"{pre} {text}"
        country = lex.country_in(pre) or lex.country_in(text)
        root = ent.root
        possessor = [c for c in root.children if c.dep_ == "poss"]
        if not country and possessor:
            country = lex.country_in(possessor[0].text)
        if not country:
            # "Russia's state-owned natural gas company Gazprom"
            head_np = ent.doc[root.left_edge.i:ent.start].text
            country = lex.country_in(head_np)
        nearby = [t.lower_ for t in ent.doc[max(ent.sent.start, ent.start - 3):ent.start]]
        business = bool(COMPANY_SUFFIX.search(text)) or any(
            w in COMPANY_WORDS for w in [*pre.lower().split(), *nearby])
        sector = "BUS" if business else lex.sector_of(context)
        draft = get("organisation", text, country)
        draft.sector = draft.sector or sector
        if pre:
            draft.add_role(pre)
        return draft

    def _seats(self, doc: Any, get: Any, mention: Any, covered: set[int]) -> None:
        if self.seat_re is None:
            return
        for m in self.seat_re.finditer(doc.text):
            if m.start() in covered or m.end() - 1 in covered:
                continue
            iso = self.lex.seats.get(m.group("seat").lower())
            if not iso:
                continue
            draft = get("country", _government(self.lex, iso), iso, key=f"gov:{iso}")
            draft.sector = "GOV"
            span = span_at(doc, m.start(), m.end())
            mention(draft, m.start(), m.end(), "FAC", span.root.i if span is not None else 0)

    def _descriptions(self, doc: Any, drafts: list[_Draft], get: Any, mention: Any,
                      covered: set[int]) -> None:
        """'the Russian leader', 'the Kremlin boss' -> that country's leader named in the article."""
        for m in self.description.finditer(doc.text):
            if any(i in covered for i in range(m.start(), m.end())):
                continue
            who = m.group("who").lower()
            iso = self.lex.demonyms.get(who) or self.lex.seats.get(who)
            role = m.group("role").lower()
            if not iso:
                continue
            span = span_at(doc, m.start(), m.end())
            tok = span.root.i if span is not None else 0
            if any(r in role for r in LEADER_ROLES):
                leader = next((d for d in drafts if d.kind == "person" and d.country == iso and
                               any(_leads(x) for x in d.roles)), None)
                if leader is not None:
                    mention(leader, m.start(), m.end(), "DESC", tok)
                continue
            gov = get("country", _government(self.lex, iso), iso, key=f"gov:{iso}")
            gov.sector = "GOV"
            mention(gov, m.start(), m.end(), "DESC", tok)

    def _acronyms(self, doc: Any, drafts: list[_Draft], mention: Any, covered: set[int]) -> None:
        """'China National Petroleum Corporation (CNPC)': the acronym joins the organisation;
        later bare uses of it are mentions too."""
        text = doc.text
        known: dict[str, _Draft] = {}
        for m in re.finditer(r"\(([A-Z][A-Z0-9&]{1,9})\)", text):
            before = text[:m.start()].rstrip()
            owner = next((d for d in drafts for x in d.mentions if x.end == len(before)), None)
            if owner is not None:
                known[m.group(1)] = owner
                if m.group(1) not in owner.aliases:
                    owner.aliases.append(m.group(1))
        for acronym, owner in known.items():
            for m in re.finditer(rf"\b{re.escape(acronym)}\b", text):
                if m.start() not in covered:
                    span = span_at(doc, m.start(), m.end())
                    mention(owner, m.start(), m.end(), "ORG", span.root.i if span else 0)
