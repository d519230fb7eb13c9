"""Actors and recipients of a trigger from the parse: subjects, objects, passive agents,
possessors of nominal events, "talks between", host/visitor inversion, prepositional targets,
and the recipient prior of each type."""

from __future__ import annotations

from typing import Any

from storyline.extract.events.lexicon import (
    ANSWERS,
    CIRCUMSTANCE,
    DOMESTIC,
    FORCES,
    JOINT_TYPES,
    MOVEMENT,
    PEOPLE,
    PRONOUNS,
    RECIPIENT_PREPS,
    SIDES,
    SPEECH,
    VERBAL,
)
from storyline.extract.events.parties import (
    AGENTS,
    LEGAL,
    agency_country,
    codes_for,
    codes_in,
    context_country,
    generic_agent,
)
from storyline.extract.events.span import EventSpan
from storyline.model import Actor, Mention, Place

LOCATIVE = frozenset({"in", "at", "near", "off", "inside", "outside", "across", "along",
                      "within", "around"})


def _only_a_place(pobj: Any, mentions: list[Mention], places: list[Place]) -> bool:
    """Whether a prepositional object names a place and no actor (a capital used for its
    government is an actor mention, a place where something happened is not)."""
    start = pobj.left_edge.idx
    end = pobj.right_edge.idx + len(pobj.right_edge.text)
    if any(m.actor is not None and start <= m.start < end for m in mentions):
        return False
    return any(start <= p.start < end for p in places) or pobj.ent_type_ in ("GPE", "LOC", "FAC")


#: Agents of a state acting on its own people (a domestic event when the other side has no
#: country of its own) and agents that act abroad as often as at home.
STATE_AGENTS = frozenset({"police", "authority", "authorities", "court", "judge", "jury",
                          "prosecutor", "prosecutors", "government", "official", "officials",
                          "officer", "officers", "agent", "agents", "force", "forces", "regime",
                          "junta", "ministry", "minister", "patrol", "guard", "guards"})
#: What one is fired from when fired is a dismissal.
JOBS = frozenset({"job", "post", "position", "office", "company", "firm", "team", "club", "role",
                  "work", "department", "network", "show", "paper", "newspaper", "school"})
#: Acts only a state does, named by a noun with no actor ("the investigation", "a life sentence").
STATE_NOUNS = frozenset({"investigation", "probe", "inquiry", "manhunt", "indictment",
                         "conviction", "sentence"})
FOREIGN_REACH = frozenset({"navy", "army", "military", "warship", "ship", "troops", "soldiers",
                           "coalition", "fleet"})
NAVAL = frozenset({"navy", "warship", "ship", "fleet", "frigate", "destroyer", "corvette",
                   "vessel", "crew", "commando", "commandos", "marines"})
#: The manual's modes of legal acts (ACCUSE allege/investigate, SANCTION convict): a state
#: acting on its own people is a domestic event, its recipient its own country.
LEGAL_MODES = frozenset({"allege", "investigate", "convict"})
#: What an inquiry can look into without anyone being its target ("the cause of the fire").
MATTERS = frozenset({"cause", "causes", "circumstance", "circumstances", "reason", "reasons",
                     "origin", "origins", "source", "nature", "extent", "details", "matter",
                     "incident", "collapse", "explosion", "blast", "outbreak", "failure"})
#: Verbal acts a state aims at a person: one nothing places is taken to be its own.
TO_PEOPLE = frozenset({"REQUEST", "THREATEN", "ACCUSE", "AGREE", "REJECT", "SUPPORT"})
#: Verbs whose subject stops the event named by their object ("the navy foiled an attack"): the
#: subject is not the event's actor.
FOILING = frozenset({"foil", "thwart", "repel", "repulse", "avert", "prevent", "frustrate",
                     "stop", "block", "pre-empt", "preempt", "fend", "beat"})
TALK = frozenset({"speak", "talk", "discuss", "consult"})
#: Verbs of a road accident ("struck and killed a pedestrian"), what drives, words that tell
#: of an accident, and of a weapon (a car used to attack is an attack).
ROAD_VERBS = frozenset({"strike", "hit", "kill", "run"})
VEHICLES = frozenset({"car", "vehicle", "truck", "lorry", "bus", "van", "driver", "motorist",
                      "train", "suv", "sedan", "motorcycle"})
#: Disasters that kill without an actor (the manual codes no natural disaster).
NATURAL_FORCES = frozenset({"earthquake", "quake", "tremor", "flood", "storm", "cyclone",
                            "hurricane", "typhoon", "tornado", "avalanche", "landslide",
                            "mudslide", "fire", "blaze", "wildfire", "tsunami", "drought",
                            "heatwave", "lightning", "disease", "virus", "outbreak", "eruption",
                            "volcano", "rain", "rains", "snowstorm", "blizzard", "epidemic"})
ACCIDENT_WORDS = frozenset({"crash", "accident", "collision", "dwi", "dui", "drunk", "drunken",
                            "pedestrian", "vehicular"})
WEAPON_WORDS = frozenset({"gun", "shot", "shooting", "gunman", "bomb", "knife", "stabbed",
                          "rammed", "ramming", "terror", "terrorist", "militants", "attack"})
#: Types whose "with"/"between" partners are fellow actors (the manual's reciprocal events).
RECIPROCAL = frozenset({"CONSULT", "AGREE", "SUPPORT", "COOPERATE"})


def _phrase(tok: Any) -> tuple[int, int]:
    return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)


class ArgumentRules:
    lex: dict[str, Any]
    context_places: list[Place]

    def _context(self, places: list[Place]) -> list[Place]:
        """The places that tell which country a text is in: the literal ones and those named
        as attributes ("a San Diego lineman", "California Highway Patrol")."""
        return getattr(self, "context_places", None) or places

    def _prep_target(self, holder: Any, mentions: list[Mention], actors: list[Actor],
                     places: list[Place], depth: int = 0) -> list[tuple[str, int | None]]:
        """Codes named in a prepositional target, looking one phrase deeper if needed ("to the
        border with Guyana")."""
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS:
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                if child.lower_ in LOCATIVE and _only_a_place(pobj, mentions, places):
                    continue  # where it happened ("an attack in the Gulf of Aden"), not whom
                codes = codes_for(pobj, mentions, actors, places)
                if not codes and depth < 2:
                    codes = self._prep_target(pobj, mentions, actors, places, depth + 1)
                if codes:
                    return codes
        return []

    def _verb_event(self, tok: Any, mentions: list[Mention], actors: list[Actor],
                    places: list[Place], forced: str | None = None) -> EventSpan | None:
        """The event a verb triggers; ``forced``: its type comes from elsewhere (the learned
        typer), only the parties are read here."""
        lemma = tok.lemma_.lower()
        if lemma in ("decline", "refuse") and any(
                c.dep_ == "xcomp" and c.lemma_.lower() in self.lex["no_comment"]
                and not (c.lemma_.lower() in ("give", "provide", "name") and any(
                    g.dep_ == "dobj" and g.lemma_.lower() not in ("detail", "details", "comment",
                                                                  "information", "reason", "name",
                                                                  "figure", "number")
                    for g in c.children))
                for c in tok.children):
            return None  # "declined to comment", "refused to give details"
        handed = next((c for c in tok.children if c.dep_ == "dobj" and c.pos_ != "PRON"), None)
        if lemma == "pull" and forced is None and not any(
                c.lower_ in ("out", "back", "away") for c in tok.children) and not (
                handed is not None and handed.lemma_.lower() in FORCES) and \
                self._party_event(tok) is None:
            return None  # "pulled out of Syria", "pulled its troops", not "pulled the driver
            # over" (the police stopping someone: a party event) or "pulled a gun"
        if lemma in self.lex["needs_object"] and lemma not in MOVEMENT and handed is None:
            return None  # "contributed to the decline"
        if lemma in MOVEMENT and not (lemma in self.lex["needs_object"] and handed is not None):
            # (a returned object is handed back: "returned the paintings to Peru")
            # "the brigade went back to base", "peacekeepers began leaving": only forces retreat
            subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subject is None and tok.dep_ in ("xcomp", "advcl", "ccomp"):
                subject = next((c for c in tok.head.children if c.dep_ in ("dobj", "nsubj")),
                               None)
            if subject is None or subject.lemma_.lower() not in FORCES:
                return None
        if lemma in TALK and forced is None and not any(
                c.dep_ in ("dobj", "dative") or c.dep_ == "prep" and c.lower_ in ("with", "to")
                for c in tok.children):
            return None  # "speaking about the areas": talk with nobody is no meeting
        if forced is None:
            forced = self._party_event(tok)  # "police stopped the driver", "pulled over by"
        if forced is None and lemma not in self.lex["verbs"]:
            forced = self._light_event(tok)  # "began a military operation"
        if forced is None and lemma not in self.lex["verbs"] and self._object_event(tok) is None:
            if lemma not in self.lex["object_only"]:
                phrasal = next((f"{lemma} {c.lower_}" for c in tok.children if c.dep_ == "prt"),
                               "")
                if phrasal not in self.lex["phrasal"]:
                    return None
        etype = forced or self._type_for(tok, self.lex["verbs"].get(lemma, ["CONSULT"]))
        if not etype:
            return None  # "granted oil concessions"
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if etype == "ASSAULT" and self._not_an_attack(tok, lemma, obj):
            return None
        released = obj or next((c for c in tok.children if c.dep_ == "nsubjpass"), None) or (
            tok.head if tok.dep_ == "acl" else None)
        if lemma in ("release", "free") and released is not None and not self._personal(released):
            return None  # "released treated water", "a statement released by the palace"
        if lemma in self.lex["hosts"] and etype == "CONSULT" and obj is not None and \
                self._noun_key(obj) is not None and obj.lemma_.lower() not in ("delegation",) \
                and not any(c.dep_ == "prep" and c.lower_ == "between" for c in obj.children):
            return None  # "received a request": the noun is the event (but "hosted talks
            # between X and Y" is the host's: X and Y meet, the host receives them)
        subj = next((c for c in tok.children if c.dep_ in ("nsubj",)), None)
        subjpass = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        agent = next((gc for c in tok.children if c.dep_ == "agent" for gc in c.children
                      if gc.dep_ == "pobj"), None)
        obj = next((c for c in tok.children if c.dep_ in ("dobj",)), None)
        if agent is None and obj is not None and any(c.dep_ == "auxpass" for c in tok.children):
            # "has been offered the post by Obama": the parser hangs the agent on the object
            agent = next((g for c in obj.children if c.dep_ == "prep" and c.lower_ == "by"
                          for g in c.children if g.dep_ == "pobj"
                          and (g.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
                               or g.lemma_.lower() in AGENTS)), None)
        if subj is None:  # "The ship has, thus far, confiscated": the subject hung on "has"
            subj = next((g for c in tok.children if c.dep_ == "aux" and c.i < tok.i
                         for g in c.children if g.dep_ == "nsubj"), None)
        if subj is None and subjpass is None and tok.dep_ == "pcomp" and tok.tag_ == "VBN" and \
                agent is None and any(c.dep_ == "auxpass" for c in tok.children):
            subjpass = self._passive_patient(tok)  # "failed tests after being stopped"
        if subj is None and subjpass is None and tok.dep_ == "pcomp" and tok.tag_ == "VBG" and \
                tok.head.dep_ == "prep" and tok.head.head.pos_ == "VERB":
            # "captured 23 pirates after rescuing a vessel": the clause's subject acts
            subj = next((c for c in tok.head.head.children if c.dep_ == "nsubj"), None)
        if subj is None and subjpass is None and tok.dep_ in ("xcomp", "conj", "advcl") and \
                tok.head.i != tok.i:
            # "Zambia is expected to sign": the subject of the passive governs the infinitive
            subj = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")),
                        None)
            if subj is None and tok.dep_ == "xcomp" and tok.head.pos_ == "ADJ" and \
                    tok.head.dep_ == "acomp":  # "the US is willing to provide ammunition"
                subj = next((c for c in tok.head.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and agent is None and obj is None and tok.tag_ == "VBN" and (
                    tok.dep_ == "advcl" and tok.i < subj.i
                    or tok.dep_ == "conj" and subj.dep_ == "nsubjpass"):
                # "was arrested and charged", "Arraigned on Monday, he was ...": a participle
                # shares the passive subject, which is its patient
                subj, subjpass = None, subj
        if subj is not None and tok.tag_ == "VBN" and tok.dep_ == "ROOT" and obj is None and \
                agent is None and not any(c.dep_ in ("aux", "auxpass") for c in tok.children):
            subj, subjpass = None, subj  # a headline's passive: "Lineman arrested on ..."
        if subj is None and subjpass is None and tok.dep_ in ("acl", "relcl") and \
                tok.head.pos_ in ("NOUN", "PROPN"):
            if tok.tag_ == "VBN" and agent is None:
                subjpass = tok.head  # "a lineman arrested on suspicion of DUI": the patient
            else:
                subj = tok.head  # "thousands of people protesting outside parliament"
        if subj is not None and subj.tag_ in ("WP", "WDT") and subj.dep_ == "nsubj" and \
                subj.head.dep_ == "relcl" and subj.head.head.pos_ in ("NOUN", "PROPN") and \
                (subj.head.i == tok.i or tok.dep_ == "xcomp" and tok.head.i == subj.head.i):
            subj = subj.head.head  # "the gunmen who (tried to) storm a ship": the gunmen
        actor_tok = agent or subj
        recip_tok = subjpass if agent is not None or subjpass is not None else obj
        if tok.dep_ == "acl" and agent is not None and obj is None:
            # "a gesture welcomed by the Vatican", "reforms demanded by Brussels": aimed at
            # whoever made the gesture / must make the reforms
            recip_tok = tok.head
            up = tok.head
            while not codes_for(recip_tok, mentions, actors, places) and up.head.i != up.i:
                up = up.head  # climb to the clause that has a subject
                recip_tok = next((c for c in up.children if c.dep_ == "nsubj"), recip_tok)
        if lemma in self.lex["hosts"] and etype == "CONSULT":
            actor_tok, recip_tok = obj, subj
            between = None
            if obj is not None and self._noun_key(obj) is not None:
                between = next((g for c in obj.children if c.dep_ == "prep" and c.lower_ ==
                                "between" for g in c.children if g.dep_ == "pobj"), None)
            if between is not None:  # "Oman hosted talks between X and Y": X, Y -> Oman
                actor_tok = between
        actor_codes = codes_for(actor_tok, mentions, actors, places) if actor_tok is not None \
            else []
        recip_codes = codes_for(recip_tok, mentions, actors, places) if recip_tok is not None \
            else []
        own = recip_tok is not None and any(c.dep_ == "poss" and c.lower_ in PRONOUNS
                                            for c in recip_tok.children)
        if own or (recip_codes and recip_codes == actor_codes and recip_tok is not None
                   and recip_tok.lemma_.lower() not in PEOPLE):
            recip_codes = []  # "withdrew its troops from Niger": the troops are the actor's
        if not recip_codes:
            holders = [tok] + ([recip_tok, *recip_tok.conjuncts] if recip_tok is not None else [])
            for holder in holders:  # "imposed sanctions on Iran", "sent aid to Morocco"
                recip_codes = self._prep_target(holder, mentions, actors, places)
                if recip_codes:
                    break
        if not recip_codes and etype in VERBAL:
            # "demanded that China withdraw", "refused Egypt's request": the other party named
            # inside what is demanded, refused, threatened
            for child in tok.children:
                if child.dep_ in ("ccomp", "xcomp", "dobj"):
                    inner = [c for c in codes_in(child, mentions, actors)
                             if c[0] not in {a for a, _ in actor_codes}]
                    if inner:
                        recip_codes = inner[:1]
                        break
        domestic = etype == "PROTEST" or (actor_tok is not None and (
            actor_tok.lemma_.lower() in STATE_AGENTS or codes_for(actor_tok, mentions, actors,
                                                                places) and etype == "COERCE"
            and actor_tok.lemma_.lower() not in FOREIGN_REACH and not self._at_sea(actor_tok)))
        if domestic and not recip_codes and (etype in ("COERCE", "PROTEST") or (
                recip_tok is not None and recip_tok.lemma_.lower() in PEOPLE
                and etype in DOMESTIC)):
            # police arresting protesters: a domestic event; a navy seizing pirates at sea is
            # not (no recipient unless one is named)
            recip_codes = list(actor_codes[:1])
        if not actor_codes and actor_tok is not None:
            agency = agency_country(actor_tok, self._context(places),
                                    self.lex["police_agents"] | STATE_AGENTS)
            if agency is not None:  # "pulled over by the California Highway Patrol"
                actor_codes = [(agency, None)]
                if not recip_codes and recip_tok is not None and etype in DOMESTIC | LEGAL and \
                        (generic_agent(recip_tok) or recip_tok.ent_type_ == "PERSON"):
                    recip_codes = [(agency, None)]
        if not actor_codes and ((actor_tok is not None and (generic_agent(actor_tok) or (
                actor_tok.lower_ in ("he", "she", "they") and etype in DOMESTIC | LEGAL) or (
                # a named private person acts where the sentence is: "Smith shot a deputy"
                actor_tok.ent_type_ == "PERSON" and etype in DOMESTIC | LEGAL
                and (obj is not None or etype != "ASSAULT")) or (
                # a named body the lexicons do not place ("the Civil Liberty Organisation
                # demanded ..."): it acts where the sentence is
                actor_tok.ent_type_ == "ORG" and etype != "ASSAULT" and _civic(actor_tok)))) or (
                actor_tok is None and subjpass is not None and etype in LEGAL)):
            # "police arrested him", "a gunman opened fire", "he was charged": the country the
            # sentence (else the text) is in; an unnamed state acts in legal passives
            country = context_country(tok.sent, mentions, actors, self._context(places))
            if actor_tok is None and recip_codes and len(recip_codes) == 1 and \
                    context_country(tok.sent, mentions, actors, self._context(places),
                                    text_wide=False) is None:
                country = recip_codes[0][0]  # "Subryan, of Schenectady, was arrested": at home
            if country is not None:
                actor_codes = [(country, None)]
                if not recip_codes and recip_tok is not None and etype in DOMESTIC | LEGAL and (
                        generic_agent(recip_tok) or recip_tok.ent_type_ == "PERSON"
                        and actor_tok is None):
                    recip_codes = [(country, None)]  # "John Smith was arrested and charged"
        if not recip_codes and recip_tok is not None and recip_tok.ent_type_ == "PERSON" and \
                etype in TO_PEOPLE and len(actor_codes) == 1 and \
                actor_codes[0][0] not in ("IGO", "NGO", "MNC") and context_country(
                    tok.sent, mentions, actors, self._context(places), text_wide=False) in (
                    None, actor_codes[0][0]):
            # "Obama asked Gupta to serve": a person nothing places, asked, offered, threatened
            # or praised by a state whose country the sentence does not contradict, is its own
            recip_codes = [(actor_codes[0][0], None)]
        if not actor_codes:
            return None
        if etype == "MOBILIZE" and any(t.lemma_.lower() in self.lex["aid_cues"]
                                       for t in tok.subtree):
            etype = "AID"  # "deploy police to Haiti to lead a security mission"
        modes = self.lex["types"][etype].get("modes", {})
        mode = str(modes.get(lemma) or (modes.get(obj.lemma_.lower(), "") if obj is not None
                                        else ""))  # "launched an investigation": investigate
        return self._event(etype, mode, tok, actor_codes, recip_codes, actor_tok=actor_tok,
                           recip_tok=recip_tok)

    def _not_an_attack(self, tok: Any, lemma: str, obj: Any) -> bool:
        """A worker fired from a job ("O'Brien, fired on June 8", "he was fired"), and a road
        accident ("struck and killed a woman in a hit-and-run crash", "killed by a driver"):
        the manual codes no accident, and dismissal is no assault."""
        patient = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if patient is None and tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBD"):
            patient = tok.head  # "O'Brien, fired on June 8": spaCy may tag it VBD
        if lemma == "fire" and any(c.dep_ == "prep" and c.lower_ == "from" and any(
                g.lemma_.lower() in JOBS for g in c.children) for c in tok.children):
            return True  # "a man fired four days earlier from his job"
        if lemma == "fire" and obj is None and patient is not None and (
                patient.ent_type_ == "PERSON" or patient.pos_ == "PRON"
                or patient.lemma_.lower() in PEOPLE | {"man", "woman", "coach", "manager",
                                                       "employee", "executive", "director"}) \
                and not any(c.dep_ == "prep" and c.lower_ in ("at", "upon", "into", "on")
                            and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children)
                            for c in tok.children):
            return True
        doer = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if doer is None and tok.dep_ in ("advcl", "conj") and tok.tag_ == "VBG":
            doer = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        if doer is not None and doer.lemma_.lower() in NATURAL_FORCES:
            return True  # "an earthquake leveled seven villages, killing 10": no one attacked
        if lemma not in ROAD_VERBS:
            return False
        doer = next((g for c in tok.children if c.dep_ == "agent" for g in c.children
                     if g.dep_ == "pobj"), doer)
        if doer is not None and doer.lemma_.lower() in VEHICLES:
            return True
        words = {t.lower_ for t in tok.sent}
        text = " ".join(t.lower_ for t in tok.sent).replace(" - ", "-")
        accident = bool(words & ACCIDENT_WORDS) or "hit-and-run" in text or "hit and run" in text
        return accident and not words & WEAPON_WORDS

    def _noun_event(self, tok: Any, mentions: list[Mention], actors: list[Actor],
                    places: list[Place], forced: str | None = None) -> EventSpan | None:
        head = tok.head
        own_actor = any(c.dep_ == "poss" and c.lower_ not in PRONOUNS for c in tok.children)
        if head.pos_ == "VERB" and (head.lemma_.lower() in self.lex["verbs"] or (
                tok.dep_ == "dobj" and self._object_match(
                    head, self.lex["verb_objects"].get(head.lemma_.lower(), {})))) and \
                head.lemma_.lower() not in ANSWERS and not own_actor:
            return None  # the verb carries it ("sign an agreement", "violated the ceasefire";
            # but "condemned Russia's invasion of Ukraine" is two events)
        lemma = self._noun_key(tok) or tok.lemma_.lower()
        etype = forced or self._type_for(tok, self.lex["nouns"].get(lemma, ["COOPERATE"]))
        if not etype:
            return None  # "the SOS call"
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        mediated = False
        actor_codes: list[tuple[str, int | None]] = []
        recip_codes: list[tuple[str, int | None]] = []
        if poss is not None:
            actor_codes = codes_for(poss, mentions, actors, places)
        for child in tok.children:
            if child.dep_ == "prep":
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                if child.lower_ == "between":
                    sides = codes_for(pobj, mentions, actors, places)
                    if sides:
                        actor_codes = actor_codes or sides[:1]
                        recip_codes = sides[1:]
                elif child.lower_ in ("by", "from") and not actor_codes:
                    actor_codes = codes_for(pobj, mentions, actors, places)
                elif child.lower_ == "of" and etype in ("MOBILIZE", "RETREAT") and \
                        not actor_codes and pobj.lemma_.lower() in FORCES and not any(
                            g.dep_ == "poss" and g.lower_ in PRONOUNS for g in pobj.children):
                    # "a build-up of Eritrean troops", "the withdrawal of Russian forces"
                    actor_codes = codes_for(pobj, mentions, actors, places)
                elif (child.lower_ in RECIPIENT_PREPS or child.lower_ in ("about", "over") and
                      etype in ("ACCUSE", "THREATEN", "REQUEST")) and not recip_codes:
                    recip_codes = codes_for(pobj, mentions, actors, places)
        if actor_codes and not recip_codes and etype == "CONSULT":
            for child in tok.children:  # "the chancellor's Lima visit": the host
                if child.dep_ == "compound":
                    recip_codes = [c for c in codes_for(child, mentions, actors, places)
                                   if c[0] not in {a for a, _ in actor_codes}]
                    if recip_codes:
                        break
        if not actor_codes:
            for child in tok.children:
                if child.dep_ in ("compound", "amod"):
                    actor_codes = codes_for(child, mentions, actors, places)
                    if actor_codes and etype in RECIPROCAL and any(
                            t.text == "-" for t in child.subtree):
                        # "Russia-Ukraine talks", "US-China trade talks": both sides take part
                        actor_codes = self._hyphen_sides(child, mentions, actors, places) or \
                            actor_codes
                    if actor_codes:
                        break
        agent = next((c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")
                      and generic_agent(c)), None) if not actor_codes and etype in DOMESTIC \
            else None
        if agent is not None:
            # "the police shooting of a teenager": the police of the place it happened
            country = context_country(tok.sent, mentions, actors, self._context(places))
            if country is not None:
                actor_codes = [(country, None)]
                victim = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                               for g in c.children if g.dep_ == "pobj"), None)
                if not recip_codes and victim is not None and (
                        generic_agent(victim) or victim.ent_type_ == "PERSON" or
                        victim.lemma_.lower() in PEOPLE):
                    recip_codes = [(country, None)]
        undergone = tok.dep_ == "dobj" and head.pos_ == "VERB" and \
            head.lemma_.lower() in self.lex["undergo"]
        if not actor_codes and undergone and etype in LEGAL:
            # "the driver is facing manslaughter charges": the state charges its subject
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            country = context_country(tok.sent, mentions, actors, self._context(places))
            if subj is not None and country is not None:
                actor_codes = [(country, None)]
                recip_codes = codes_for(subj, mentions, actors, places) or (
                    [(country, None)] if generic_agent(subj) or subj.ent_type_ == "PERSON"
                    or subj.lower_ in ("he", "she", "they") else [])
        if not actor_codes and head.pos_ == "VERB" and tok.dep_ in ("dobj", "attr") and \
                head.lemma_.lower() not in FOILING and not (undergone and etype in LEGAL):
            # a light verb: "held talks", "staged a protest", "... and issued a warning"
            subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
            governor = head
            while subj is None and governor.dep_ in ("conj", "xcomp", "advcl") and \
                    governor.head.i != governor.i:
                governor = governor.head
                subj = next((c for c in governor.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                actor_codes = codes_for(subj, mentions, actors, places)
                prep_objs = [g for c in head.children if c.dep_ == "prep"
                             and c.lower_ in RECIPIENT_PREPS for g in c.children
                             if g.dep_ == "pobj"]
                for pobj in prep_objs:
                    recip_codes = recip_codes or codes_for(pobj, mentions, actors, places)
        if actor_codes and not recip_codes and etype == "CONSULT":
            # "the emir's attendance at a summit at a resort near Nairobi"
            recip_codes = [c for c in self._prep_target(tok, mentions, actors, places)
                           if c[0] not in {a for a, _ in actor_codes}]
        for acl in (c for c in tok.children if c.dep_ == "acl" and c.pos_ == "VERB"):
            # "talks mediated by Beijing": the mediator is the recipient; "an agreement reached
            # with the junta": the other party
            agent = next((g for c in acl.children if c.dep_ == "agent" for g in c.children
                          if g.dep_ == "pobj"), None)
            if agent is not None and acl.lemma_.lower() in self.lex["mediators"]:
                recip_codes = codes_for(agent, mentions, actors, places)
                mediated = True
            elif not recip_codes:
                recip_codes = self._prep_target(acl, mentions, actors, places)
        clause = head.head if tok.dep_ == "pobj" and head.dep_ == "prep" else None
        if clause is not None and clause.dep_ == "prep":  # "ahead of talks"
            clause = clause.head
        by_agent = any(c.dep_ == "prep" and c.lower_ == "by" for c in tok.children)
        allowed = {"ASSAULT": ("in",), "PROTEST": ("on", "in"), "COOPERATE": ("in", "during")}
        if not actor_codes and clause is not None and clause.pos_ in ("VERB", "AUX") and \
                not by_agent and etype in ("CONSULT", "AGREE", "ASSAULT", "PROTEST",
                                           "COOPERATE") and \
                head.lower_ in allowed.get(etype, (head.lower_,)):
            # "after talks mediated by Beijing", "during a phone call with ...", "went on
            # strike", "killed 26 people in an ambush": the clause's subject takes part
            subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                actor_codes = codes_for(subj, mentions, actors, places)
            if etype == "PROTEST" and not recip_codes and any(
                    c.dep_ == "prep" and c.lower_ in ("against", "over")
                    for c in clause.children):
                recip_codes = list(actor_codes[:1])
        if actor_codes and not recip_codes and tok.dep_ == "dobj" and \
                head.lemma_.lower() in self.lex["undergo"]:
            # "a move that drew criticism from Pyongyang": aimed at the mover
            subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.dep_ and subj.tag_ == "WDT":
                subj = head.head if head.dep_ == "relcl" else subj
            if subj is not None:
                recip_codes = codes_for(subj, mentions, actors, places)
                if not recip_codes and subj.dep_ in ("npadvmod", "appos", "nsubj"):
                    owner = next((c for c in subj.head.children if c.dep_ == "nsubj"), None)
                    if owner is not None and owner.i != subj.i:
                        recip_codes = codes_for(owner, mentions, actors, places)
        if actor_codes and not recip_codes and tok.dep_ == "dobj" and \
                head.lemma_.lower() in ANSWERS:
            # "Greece rejected a Turkish proposal": the proposal was made to Greece
            subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                recip_codes = codes_for(subj, mentions, actors, places)
        if not actor_codes and etype in LEGAL and lemma in STATE_NOUNS and not own_actor:
            # "an investigation is under way", "a weeklong manhunt", "serving a life sentence":
            # only a state investigates, convicts and sentences; the country the sentence (else
            # the text) is in
            country = context_country(tok.sent, mentions, actors, self._context(places))
            if country is not None:
                actor_codes = [(country, None)]
                if etype == "SANCTION" or lemma == "manhunt":
                    recip_codes = recip_codes or [(country, None)]
        if not actor_codes and etype in ("PROTEST", "COERCE"):
            # "protests spread", "the crackdown on activists": where it happens
            sent = tok.sent
            here = [p for p in self._context(places)
                    if sent.start_char <= p.start < sent.end_char and p.country]
            if here:
                actor_codes = [(here[0].country, None)]  # type: ignore[list-item]
        if not actor_codes:
            return None
        mode = "third-party" if mediated and etype == "CONSULT" else \
            str(self.lex["types"][etype].get("modes", {}).get(lemma, ""))
        if not recip_codes and mode in LEGAL_MODES and len(actor_codes) == 1 and any(
                c.dep_ == "prep" and c.lower_ in ("of", "into") and any(
                    g.dep_ == "pobj" and self._someones(g) for g in c.children)
                for c in tok.children):
            # "the FBI's investigation of the break-in", "a probe into the mayor": a state looks
            # into something of its own unless the parse names another party
            recip_codes = [(code, None) for code, _ in actor_codes]
        return self._event(etype, mode, tok, actor_codes, recip_codes, confidence=0.4,
                           actor_tok=poss)

    @staticmethod
    def _hyphen_sides(head: Any, mentions: list[Mention], actors: list[Actor],
                      places: list[Place]) -> list[tuple[str, int | None]]:
        """The parties a hyphenated compound joins, each word on its own ("Peru-Chile")."""
        from storyline.annotate.lexicons import lexicons

        names = lexicons().country_names
        sides: list[tuple[str, int | None]] = []
        for word in head.subtree:
            if word.text == "-" or word.i > head.i:
                continue
            own = [m for m in mentions if m.start <= word.idx < m.end and m.actor is not None]
            if own:
                actor = actors[own[0].actor]  # type: ignore[index]
                code = actor.country or (actor.sector if actor.sector in ("IGO", "NGO") else "")
                found = (code, own[0].actor) if code else None
            else:
                iso = names.get(word.lower_.removeprefix("the ").strip("."))
                found = (iso, None) if iso else None
            if found and found[0] not in {c for c, _ in sides}:
                sides.append(found)
        return sides if len(sides) >= 2 else []

    @staticmethod
    def _someones(tok: Any) -> bool:
        """A phrase naming someone or someone's doing ("the mayor", "the break-in", "his
        brother"), not a matter or a mishap ("the cause of the fire", "the crash")."""
        return tok.lemma_.lower() not in MATTERS | NATURAL_FORCES | ACCIDENT_WORDS

    def _event(self, etype: str, mode: str, tok: Any, actor_codes: list[tuple[str, int | None]],
               recip_codes: list[tuple[str, int | None]], confidence: float = 0.6,
               actor_tok: Any = None, recip_tok: Any = None) -> EventSpan:
        actor_set = {c for c, _ in actor_codes}
        recipients = [(c, i) for c, i in recip_codes if c not in actor_set or len(recip_codes) == 1
                      and len(actor_codes) == 1]
        if etype in JOINT_TYPES and len(actor_codes) >= 2:
            recipients = []  # "X and Y signed", "held joint drills": no recipient
        reciprocal = etype in RECIPROCAL and mode not in ("visit", "third-party") and \
            bool(recipients) and any(c.dep_ == "prep" and c.lower_ in ("with", "between")
                                     for c in tok.children)
        span = EventSpan(
            type=etype, mode=mode, trigger=tok.text, trigger_start=tok.idx,
            trigger_end=tok.idx + len(tok.text), sentence=0, char_start=0, char_end=0,
            actors=[c for c, _ in actor_codes], recipients=[c for c, _ in recipients],
            actor_ids=[i for _, i in actor_codes if i is not None],
            recipient_ids=[i for _, i in recipients if i is not None], confidence=confidence)
        span.reciprocal = reciprocal
        if actor_tok is not None:
            span.actor_span = _phrase(actor_tok)
        if recip_tok is not None and recipients:
            span.recipient_span = _phrase(recip_tok)
        return span

    def _default_recipients(self, event: EventSpan, tok: Any, sent: Any, mentions: list[Mention],
                            actors: list[Actor], places: list[Place]) -> None:
        """Fill the recipient the parse did not name, by the type's prior (``recipient_defaults``
        in plover.yaml): the other party named nearest the trigger, or the actor's own country
        for a domestic event."""
        prior = self.lex["recipient_defaults"].get(event.type)
        if prior is None:
            return
        if prior == "other" or event.type != "CONCEDE":
            own = set(event.actors)
            if event.recipients and set(event.recipients) <= own:
                if event.mode in LEGAL_MODES:
                    return  # a state charging, investigating, convicting its own people
                person = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")
                               and c.ent_type_ == "PERSON"), None)
                if person is not None and event.type in TO_PEOPLE:
                    return  # "Obama asked Gupta": a person of the actor's own country
                if prior == "other":
                    event.recipients, event.recipient_ids = [], []  # troops moved at home
            elif event.recipients:
                return
            scope = sent if prior == "other" else tok.subtree
            # parties who meet together ("American and Iranian negotiators met in Vienna"):
            # the venue is no party (gold/EVENTS.md, third-party hosts)
            venue_only = event.type == "CONSULT" and len(event.actors) > 1
            party = self._nearest_party(tok, scope, own, mentions, actors,
                                        [] if venue_only else places)
            if party is None and event.type == "ASSAULT" and tok.pos_ == "VERB":
                # "crossed the border with Ethiopia and dropped bombs": the other party the
                # sentence names, before the attacker's own country
                party = self._nearest_party(tok, sent, own, mentions, actors, places)
            if party is not None:
                event.recipients = [party[0]]
                event.recipient_ids = [party[1]] if party[1] is not None else []
                return
        if event.recipients or prior != "self" or not event.actors:
            return
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is None:  # "The ship has, thus far, confiscated": hung on the auxiliary
            subject = next((g for c in tok.children if c.dep_ == "aux" and c.i < tok.i
                            for g in c.children if g.dep_ == "nsubj"), None)
        if subject is not None and event.type in ("COERCE", "ASSAULT") and \
                self._at_sea(subject) and not any(
                    c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in PEOPLE
                    for c in tok.children):
            return  # a navy seizing boats or arms at sea: no recipient unless one is named
        mutual = tok.lemma_.lower() in self.lex["mutual"] or (
            len(event.actors) > 1 and event.type == "ASSAULT") or (
            subject is not None and subject.lemma_.lower() in SIDES)
        if not mutual:
            event.recipients = event.actors[:1]
            event.recipient_ids = event.actor_ids[:1]

    def _at_sea(self, subject: Any) -> bool:
        """Whether a subject is a navy or one of its ships ("the Indian navy", "INS Sukanya",
        "the warship")."""
        if subject.lemma_.lower() in NAVAL:
            return True
        return subject.pos_ == "PROPN" and any(
            t.text in self.lex["ship_prefixes"] for t in subject.doc[subject.left_edge.i:subject.i])

    def _nearest_party(self, tok: Any, scope: Any, exclude: set[str], mentions: list[Mention],
                       actors: list[Actor], places: list[Place]) -> tuple[str, int | None] | None:
        """The party named nearest after (else before) the trigger, within a span of tokens:
        an actor, a place's country, a demonym. Reporters ("..., witnesses said", "according
        to ...") do not count."""
        from storyline.annotate.lexicons import lexicons

        tokens = list(scope)
        if not tokens:
            return None
        start = min(t.idx for t in tokens)
        end = max(t.idx + len(t.text) for t in tokens)
        covered = {t.idx for t in tokens}
        reporting = set()
        for t in tok.sent:
            if t.lemma_.lower() in SPEECH and t.is_ancestor(tok):
                for c in t.children:
                    if c.dep_ == "nsubj":
                        reporting.update(x.idx for x in c.subtree)
            if t.lower_ == "according":
                reporting.update(x.idx for x in t.subtree)
        for child in tok.children:  # circumstances are not targets: "after a rise in ..."
            if (child.dep_ == "prep" and child.lower_ in CIRCUMSTANCE) or child.dep_ in (
                    "npadvmod", "relcl") or (child.dep_ == "conj" and child.pos_ == "VERB" and any(
                        g.dep_ == "nsubj" for g in child.children)):
                reporting.update(x.idx for x in child.subtree)
        for t in tokens:  # another event's parties are its own ("a move that Kyiv criticised")
            up = t.head
            while up.i != tok.i and up.head.i != up.i and not up.is_ancestor(tok):
                if up.pos_ == "VERB" and up.dep_ in ("relcl", "conj", "advcl", "ccomp", "acl") and \
                        self._is_trigger(up):
                    reporting.add(t.idx)
                    break
                if (up.dep_ == "prep" and up.lower_ in CIRCUMSTANCE) or any(
                        c.dep_ == "mark" and c.lower_ in CIRCUMSTANCE for c in up.children):
                    reporting.add(t.idx)  # "... along the river after a rise in crossings"
                    break
                up = up.head
        found: list[tuple[int, str, int | None]] = []

        def add(pos: int, code: str | None, index: int | None) -> None:
            if code and code not in exclude and start <= pos < end and pos not in reporting \
                    and (pos in covered or any(t.idx <= pos < t.idx + len(t.text) for t in tokens)):
                found.append((pos, code, index))

        for m in mentions:
            if m.actor is not None:
                a = actors[m.actor]
                add(m.start, a.country or (a.sector if a.sector in ("IGO", "NGO") else None),
                    m.actor)
        for p in places:
            add(p.start, p.country, None)
        lex = lexicons()
        for t in tokens:
            if t.pos_ in ("ADJ", "PROPN"):
                add(t.idx, lex.demonyms.get(t.lower_), None)
            elif t.lower_ in ("his", "her") and t.idx > tok.idx:  # "called for his release"
                resolved = codes_for(t, mentions, actors, places)
                if resolved:
                    add(t.idx, resolved[0][0], resolved[0][1])
        if not found:
            return None
        after = [f for f in found if f[0] >= tok.idx]
        pos, code, index = min(after, key=lambda f: f[0]) if after else max(found, key=lambda f: f[0])
        return code, index


#: Words that make an organisation's name a public or civic body (not a firm or a team).
CIVIC_WORDS = frozenset({"police", "patrol", "department", "ministry", "court", "government",
                         "council", "office", "army", "navy", "agency", "authority", "service",
                         "commission", "committee", "administration", "parliament", "assembly",
                         "senate", "congress", "organization", "organisation", "association",
                         "society", "foundation", "coalition", "movement", "network", "union",
                         "front", "party", "league", "federation", "bureau", "directorate",
                         "secretariat", "board", "tribunal", "prosecutor", "forces", "guard",
                         "rights", "watch", "alliance", "institute", "centre", "center"})


def _civic(tok: Any) -> bool:
    """Whether the organisation a token names is a public or civic body by its name's words
    ("the Civil Liberty Organization", "the Mine Safety and Health Administration"), not a
    company or a sports team ("the Trail Blazers")."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    words = [t.lower_ for t in ent] if ent is not None else [tok.lower_]
    return any(w in CIVIC_WORDS for w in words)
