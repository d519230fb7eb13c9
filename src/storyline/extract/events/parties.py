"""Codes of the parties a phrase names: an actor's country or IGO/NGO, coordinated heads,
"the two sides", pronouns, of-phrases, places, demonyms, and groups placed by the sentence."""

from __future__ import annotations

from collections import Counter
from typing import Any

from storyline.extract.events.lexicon import (
    FORCES,
    GROUPS,
    PEOPLE,
    PRONOUNS,
    SIDES,
    SPEECH,
    lexicon,
)
from storyline.model import Actor, Mention, Place


def codes_in(token: Any, mentions: list[Mention], actors: list[Actor]) -> list[tuple[str, int]]:
    """Codes of every actor named anywhere in a token's subtree, in order."""
    start = token.left_edge.idx
    end = token.right_edge.idx + len(token.right_edge.text)
    out: list[tuple[str, int]] = []
    for m in mentions:
        if m.actor is not None and start <= m.start and m.end <= end:
            actor = actors[m.actor]
            code = actor.country or (actor.sector if actor.sector in ("IGO", "NGO") else None)
            if code and code not in {c for c, _ in out}:
                out.append((code, m.actor))
    return out


def code_of(actor: Actor) -> str | None:
    return actor.country or (actor.sector if actor.sector in ("IGO", "NGO") else None)


def own_codes(head: Any, mentions: list[Mention]) -> bool:
    """Whether the phrase names an actor itself ("the two Koreas' leaders")."""
    start = head.left_edge.idx
    end = head.right_edge.idx + len(head.right_edge.text)
    return any(start <= m.start and m.end <= end for m in mentions if m.actor is not None)


def of_phrase_codes(head: Any, mentions: list[Mention], actors: list[Actor],
                     places: list[Place]) -> list[tuple[str, int | None]]:
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return codes_for(pobj, mentions, actors, places)
    return []


def demonym_code(word: str) -> str | None:
    """The country of a demonym or country name, also in its "-n" form ("Somalian" for
    "Somali", "Somalia")."""
    from storyline.annotate.lexicons import lexicons

    lex = lexicons()
    found = lex.demonyms.get(word) or lex.country_names.get(word)
    if found is None and len(word) > 5 and word.endswith("n"):
        found = lex.country_names.get(word[:-1]) or lex.demonyms.get(word[:-1])
    return found


def _demonyms(words: list[Any]) -> list[str]:
    """The countries of the demonyms among a phrase's modifiers, two-word ones first ("the South
    Sudanese town" is South Sudan's, not Sudan's)."""
    found: list[str] = []
    i = 0
    while i < len(words):
        pair = f"{words[i].lower_} {words[i + 1].lower_}" if i + 1 < len(words) and \
            words[i + 1].i == words[i].i + 1 else ""
        code = demonym_code(pair) if pair else None
        if code:
            found.append(code)
            i += 2
            continue
        code = demonym_code(words[i].lower_)
        if code:
            found.append(code)
        i += 1
    return found


def codes_for(token: Any, mentions: list[Mention], actors: list[Actor],
               places: list[Place]) -> list[tuple[str, int | None]]:
    """Codes of the actors a phrase names (its head and coordinated heads)."""
    from storyline.annotate.lexicons import lexicons

    heads = [token] + [c for c in token.conjuncts if c.i > token.i]
    codes: list[tuple[str, int | None]] = []
    for head in heads:
        if head.lemma_.lower() in SIDES and any(c.lower_ in ("two", "both", "the", "their") for c in
                                                 head.children) and not own_codes(head, mentions):
            # "the two sides", "the pair": the last two parties named before
            seen_codes: list[tuple[str, int | None]] = []
            for m in reversed([m for m in mentions if m.end <= head.idx and m.actor is not None]):
                actor = actors[m.actor]  # type: ignore[index]
                code = actor.country or (actor.sector if actor.sector in ("IGO", "NGO") else None)
                if code and code not in {c for c, _ in seen_codes}:
                    seen_codes.append((code, m.actor))
                if len(seen_codes) == 2:
                    break
            if len(seen_codes) == 2:
                codes.extend(reversed(seen_codes))
                continue
        if head.lower_ in PRONOUNS:
            speaker = _speaker_of(head)
            said = codes_for(speaker, mentions, actors, places) if speaker is not None else []
            if said:  # "the Iraqi military says it has seized ...": it is the speaker
                codes.extend(said)
                continue
            earlier = [m for m in mentions if m.actor is not None and m.end <= head.idx and
                       (actors[m.actor].country or actors[m.actor].sector in ("IGO", "NGO"))]
            if head.lower_ in ("he", "she", "his", "her"):
                earlier = [m for m in earlier if actors[m.actor].kind == "person"]  # type: ignore[index]
            if earlier:
                actor = actors[earlier[-1].actor]  # type: ignore[index]
                codes.append((actor.country or actor.sector, earlier[-1].actor))  # type: ignore[arg-type]
            continue
        start = head.left_edge.idx
        end = head.idx + len(head.text)
        # the head's own phrase up to the head, plus its compound/possessive modifiers
        found = None
        for m in mentions:
            if m.actor is None:
                continue
            if m.start <= head.idx < m.end:
                found = m
                break
        if found is None or not code_of(actors[found.actor]):  # type: ignore[index]
            found = None
            for m in mentions:
                if m.actor is not None and start <= m.start and m.end <= end and \
                        code_of(actors[m.actor]):
                    found = m
        if found is None:
            # "the foreign ministers of Kenya and Ethiopia", "officials from Chad"
            inner = of_phrase_codes(head, mentions, actors, places)
            if inner:
                codes.extend(inner)
                continue
        if found is not None:
            actor = actors[found.actor]  # type: ignore[index]
            code = actor.country or (actor.sector if actor.sector in ("IGO", "NGO") else None)
            if code:
                codes.append((code, found.actor))
                continue
        placed = next((p for p in places if p.start <= head.idx < p.end and p.country), None)
        if placed is not None:
            codes.append((placed.country, None))  # type: ignore[arg-type]
            continue
        owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in PRONOUNS),
                     None)
        speaker = _speaker_of(head, owned=True) if owner is not None and (
            generic_agent(head) or head.lemma_.lower() in FORCES) else None
        owned = codes_for(speaker, mentions, actors, places) if speaker is not None else []
        if owned:  # "Egypt's president says his army will ...": Egypt's army
            codes.extend(owned)
            continue
        lex = lexicons()
        adjectives = [t for t in head.doc[head.left_edge.i:head.i] if t.pos_ in ("ADJ", "PROPN")]
        demonyms = _demonyms(adjectives)
        if demonyms:  # "Iranian police", "American and Iranian negotiators"
            codes.extend((d, None) for d in demonyms)
            continue
        ship = next((ship_country(lexicon()["ship_prefixes"][t.text], actors, places)
                     for t in head.doc[head.left_edge.i:head.i]
                     if t.dep_ == "compound" and t.text in lexicon()["ship_prefixes"]
                     and head.pos_ == "PROPN"), None)
        if ship:  # "INS Sukanya", "the USS Cole": a navy's ship
            codes.append((ship, None))
            continue
        phrase = head.doc[head.left_edge.i:head.i + 1].text
        iso = lex.country_in(phrase)
        if iso:  # "the Kenyan government"
            codes.append((iso, None))
            continue
        if (head.lemma_.lower() in GROUPS or head.lower_ in GROUPS or
                head.lemma_.lower() in PEOPLE) and not codes:
            # "police in Lagos", "protesters gathered in Nairobi": where they are
            sent = head.sent
            here = [p for p in places if head.idx < p.start < sent.end_char and p.country]
            if here:
                codes.append((here[0].country, None))  # type: ignore[arg-type]
    seen: set[str] = set()
    unique = []
    for code, index in codes:
        if code not in seen:
            seen.add(code)
            unique.append((code, index))
    return unique


def _speaker_of(pronoun: Any, owned: bool = False) -> Any:
    """The subject of the verb of saying whose clause a pronoun subject opens ("X said it
    would ..."), when that subject is not a pronoun itself; ``owned``: a subject the pronoun
    owns ("X said his army would ...")."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass") or not owned and pronoun.lower_ not in (
            "it", "they", "he", "she"):
        return None
    clause = pronoun.head
    if clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in SPEECH:
        return None
    subject = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
    return None if subject is None or subject.lower_ in PRONOUNS else subject


def ship_country(codes: str | list[str], actors: list[Actor], places: list[Place]) -> str:
    """The navy of a ship prefix; a prefix several navies use ("INS": India, Israel) takes the
    one the text names elsewhere, else the first listed."""
    if isinstance(codes, str):
        return codes
    named = {a.country for a in actors} | {p.country for p in places}
    return next((c for c in codes if c in named), codes[0])


#: Who can act without a name: the country comes from the context ("police", "a gunman").
AGENTS = GROUPS | PEOPLE | {"man", "woman", "men", "women", "suspect", "jury", "gunman", "boy",
                            "girl", "teenager", "driver", "officer", "police", "who", "navy",
                            "warship", "ship", "coastguard", "authority"}
LEGAL = frozenset({"COERCE", "SANCTION", "ACCUSE"})  # acts of a state on its own people


def generic_agent(tok: Any) -> bool:
    """A party with no name of its own: police, a gunman, a man, protesters. (A named person
    with no country stays without one: the country of the place a sentence mentions is too
    often not theirs.)"""
    return tok.lemma_.lower() in AGENTS and tok.ent_type_ not in ("PERSON", "ORG", "NORP")


def context_country(sent: Any, mentions: list[Mention], actors: list[Actor],
                    places: list[Place], text_wide: bool = True) -> str | None:
    """The country a sentence happens in: its places' country, else (``text_wide``) the
    country the text names most (places and actors)."""
    named = _trade_names(mentions, actors, places)
    places = [p for p in places if (p.start, p.end) not in named["places"]]
    here = [p.country for p in places if sent.start_char <= p.start < sent.end_char and p.country]
    if here:  # the sentence's country: the one most of its places are in, else the first
        votes = Counter(here)
        return max(here, key=lambda c: (votes[c], -here.index(c)))
    if not text_wide:
        return None
    counts: Counter[str] = Counter(p.country for p in places if p.country)
    counts.update(actors[m.actor].country for m in mentions  # type: ignore[misc]
                  if m.actor is not None and actors[m.actor].country
                  and m.actor not in named["actors"])
    if not counts:
        return None
    (best, n), *rest = counts.most_common(2) + [("", 0)]
    return best if n > rest[0][1] else None


#: Words of a public body's name: a place in such a name tells where it acts ("California
#: Highway Patrol", "Queens Supreme Court"), a place in a firm's name does not.
PUBLIC_NAMES = frozenset({"police", "patrol", "department", "ministry", "court", "government",
                          "county", "city", "state", "council", "office", "army", "navy",
                          "force", "forces", "agency", "authority", "service", "sheriff",
                          "district", "prosecutor", "attorney", "parliament", "assembly",
                          "commission", "guard", "university", "school", "hospital"})


def _trade_names(mentions: list[Mention], actors: list[Actor], places: list[Place]
                 ) -> dict[str, set[Any]]:
    """Countries inside the name of a firm or other private body ("Fiji Islands Auto Repair"),
    the bodies whose country comes only from such a name, and the people known only as theirs
    ("Faud Ali, owner of ..."): none of them tells where a story happens."""
    spans: set[tuple[int, int]] = set()
    firms: set[int] = set()
    for m in mentions:
        if m.actor is None or actors[m.actor].kind != "organisation" or \
                {w.lower() for w in m.text.split()} & PUBLIC_NAMES:
            continue
        inside = [p for p in places if m.start <= p.start and p.end <= m.end
                  and p.kind in ("country", "continent", "region")]  # "China Garden"
        if inside and all(p.end - p.start < m.end - m.start for p in inside):
            spans.update((p.start, p.end) for p in inside)
            if actors[m.actor].country in {p.country for p in inside}:
                firms.add(m.actor)
    names = {actors[i].name for i in firms}
    people = {i for i, a in enumerate(actors)
              if a.kind == "person" and set(a.affiliations) & names
              and a.country in {actors[f].country for f in firms}}
    return {"places": spans, "actors": firms | people}


def agency_country(tok: Any, places: list[Place], agents: frozenset[str]) -> str | None:
    """The country of a state agency named with a place ("the California Highway Patrol",
    "Vancouver police"): the place inside its phrase, when the phrase names an agency."""
    words = tok.doc[tok.left_edge.i:tok.i + 1]
    if not any(t.lemma_.lower() in agents or t.lower_ in agents for t in words):
        return None
    start, end = tok.left_edge.idx, tok.idx + len(tok.text)
    return next((p.country for p in places if start <= p.start < end and p.country), None)
