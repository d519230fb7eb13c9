"""Which words are event triggers and which PLOVER type they carry: verbs and nouns of the
lexicon, settled by their objects, particles and subjects; what is only the content or purpose
of another event."""

from __future__ import annotations

from typing import Any

from storyline.extract.events.lexicon import (
    ANSWERS,
    CIVILIANS,
    CONTENT_VERBS,
    CROSSING,
    DENYING,
    FORCES,
    FORWARD,
    GROUPS,
    HOSTILE,
    JOINT_MARKS,
    MOVEMENT,
    OUTCOMES,
    PEOPLE,
    REVERSAL,
    WORKERS,
)
from storyline.extract.events.modality import denied

#: Verbs that make another party act ("efforts to get Ukraine to investigate", "pressed the
#: junta to hold elections"): what the other is made to do is their content, not an event.
CAUSATIVE = frozenset({"get", "persuade", "convince", "pressure", "pressurise", "pressurize",
                       "force", "compel", "induce", "encourage", "push", "lobby", "coax"})


#: Heads whose of-phrase names who they are ("a group of hostages", "dozens of prisoners").
PARTITIVE = frozenset({"group", "number", "dozen", "dozens", "hundreds", "thousands", "some",
                       "all", "most", "many", "several", "few", "rest", "remainder", "batch",
                       "handful", "body", "bodies", "family", "families", "crew", "members",
                       "member", "one", "none", "each", "both", "half", "majority"})


#: People whom catching means arresting ("caught the pirates", "the thief was caught").
WRONGDOERS = frozenset({"pirate", "suspect", "thief", "robber", "smuggler", "poacher",
                        "fugitive", "gunman", "killer", "attacker", "burglar", "militant",
                        "trafficker", "hijacker", "kidnapper", "murderer", "escapee"})


#: Nouns whose "that" clause tells what one side alleges of another, not what happened (a
#: report's clause is a reported event).
CLAIMS = frozenset({"accusation", "allegation", "charge", "suspicion"})
#: Verbs whose "of ..." names an alleged act, not an asserted one.
ACCUSING = frozenset({"accuse", "suspect", "blame"})
#: Verbs that reproach someone for an act ("condemned X for shelling the town").
REPROVING = frozenset({"denounce", "condemn", "criticise", "criticize", "blame", "fault",
                       "rebuke", "castigate", "slam", "chide"})
#: Verbs of denial: their object accusation is no event unless its author is named ("by X").
DENIALS = frozenset({"reject", "deny", "dismiss", "refute", "rebuff"})


class TriggerRules:
    lex: dict[str, Any]

    def _type_for(self, tok: Any, candidates: list[str]) -> str:
        lemma = tok.lemma_.lower()
        particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
        if particle and f"{lemma} {particle}" in self.lex["phrasal"]:
            return str(self.lex["phrasal"][f"{lemma} {particle}"])
        if lemma in ("order", "tell", "instruct", "command") and any(
                c.dep_ in ("xcomp", "ccomp", "advcl") and c.i > tok.i and (
                    c.lemma_.lower() in MOVEMENT or "RETREAT" in self.lex["verbs"].get(
                        c.lemma_.lower(), [])) for c in self._clause_verbs(tok)):
            return "RETREAT"  # "told the brigade to go back to its bases"
        if lemma in DENYING and tok.pos_ == "VERB" and any(
                denied(c) for c in tok.subtree if c.i != tok.i and c.i - tok.i <= 12
                and self._is_trigger(c)):
            return ""  # "denied they carried out the raid": the strike, negated, not a REJECT
        specific = self.lex["verb_objects"].get(lemma, {})
        if specific:
            found = self._object_match(tok, specific)
            if found is not None:
                return found
        subject0 = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if lemma == "threaten" and any(c.dep_ == "xcomp" and c.lemma_.lower() in OUTCOMES
                                       for c in tok.children) and (
                subject0 is None or subject0.ent_type_ not in ("PERSON", "ORG", "GPE", "NORP")):
            return ""  # "..., threatening to raise tensions": an outcome, not a threat
        if lemma in CROSSING and subject0 is not None and not _armed(
                subject0.head if subject0.tag_ in ("WP", "WDT") and tok.dep_ == "relcl"
                else subject0):
            return ""  # "thousands of refugees crossed the border": no forces moved
        if lemma == "patrol" and tok.pos_ == "VERB" and not (
                subject0 is not None and subject0.conjuncts) and not any(
                c.lower_ in ("together", "jointly") or c.dep_ == "prep" and c.lower_ == "with"
                for c in tok.children):
            return ""  # "navies patrolling the coast": a routine, no joint act
        if lemma == "demonstrate" and any(c.dep_ in ("ccomp", "dobj") for c in tok.children):
            return ""  # "keen to demonstrate that ...", "demonstrated its resolve": to show
        if lemma == "plead" and tok.i + 1 < len(tok.doc) and \
                tok.doc[tok.i + 1].lower_ in ("guilty", "innocent", "not", "no"):
            return ""  # "pleaded guilty": a plea in court, no request
        if lemma in ("send", "dispatch", "deploy") and any(
                c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in INQUIRING and any(
                    g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
                for c in tok.children):
            return "ACCUSE"  # "sent experts to investigate the attack": the inquiry is the act
        if lemma in ("fly", "airlift", "ferry", "move", "rush") and any(
                w.lemma_.lower() in FORCES or w.lower_ in FORCES
                for w in self._object_words(tok)):
            return "MOBILIZE"  # "flew its commandos to the port"
        if lemma in ("talk", "speak") and tok.pos_ == "VERB" and any(
                c.dep_ == "prep" and c.lower_ in ("to", "with") and any(
                    g.dep_ == "pobj" and _civilian(g) for g in c.children)
                for c in tok.children):
            return ""  # "talked to three aid workers": an interview, no meeting of parties
        if lemma == "call" and tok.pos_ in ("NOUN", "PROPN"):
            if any(c.lower_ in ("sos", "distress", "emergency", "911", "999", "mayday", "roll",
                                "wake", "wake-up", "close", "curtain") for c in tok.children):
                return ""  # "picked up the SOS call": no one consulted
            preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
            if any(c.lower_ == "phone" for c in tok.children) or preps & {"with", "between"}:
                return "CONSULT"
            if preps & {"for", "from", "on", "by"} or tok.head.lemma_.lower() in ANSWERS:
                return "REQUEST"  # "rejected calls from ECOWAS to hold elections"
        if tok.pos_ in ("NOUN", "PROPN") and lemma == "strike":
            military = {"air", "drone", "missile", "military", "rocket", "artillery",
                        "preemptive", "retaliatory", "nuclear", "precision"}
            governor = tok.head.head if tok.head.dep_ == "prep" else tok.head
            if any(c.lower_ in military for c in tok.children) or \
                    governor.lemma_.lower() in HOSTILE | {"launch", "conduct", "carry", "order"}:
                return "ASSAULT"
            return "PROTEST"
        joint = next((c for c in tok.children if c.dep_ == "dobj" and any(
            g.lower_ in JOINT_MARKS for g in c.children)
            and c.lemma_.lower() in self.lex["joint_nouns"] | {"patrol"}), None)
        if tok.pos_ == "VERB" and joint is not None:
            return "COOPERATE"  # "deploy joint border patrols"
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
            subject = tok.head  # "youths who have protested daily"
        crowd = subject is not None and (subject.lemma_.lower() in WORKERS or
                                         subject.lemma_.lower() in PEOPLE)
        if lemma == "protest" and tok.pos_ == "VERB":
            return "PROTEST" if crowd or subject is None else "ACCUSE"
        if crowd and lemma in ("block", "occupy", "blockade", "storm", "march", "boycott", "clash"):
            return "PROTEST"  # protesters blocking roads
        if lemma in ("vow", "promise", "pledge") and any(
                c.dep_ == "xcomp" and c.lemma_.lower() in HOSTILE for c in tok.children):
            return "THREATEN"  # "vowed to retaliate"
        if lemma == "call" and any(c.dep_ in ("oprd", "xcomp") for c in tok.children) and \
                any(c.dep_ == "dobj" and c.tag_ not in ("WP", "WDT") for c in tok.children):
            return "ACCUSE"  # "called the sale a violation of its sovereignty"
        light = tok.pos_ in ("NOUN", "PROPN") or lemma in self.lex["object_verbs"]
        objects = self.lex["objects"] if light else {}
        if tok.lemma_.lower() in REVERSAL:
            return "RETREAT"  # "lifted the ban", "eased the blockade": undoing a measure
        if tok.lemma_.lower() == "sign":
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if obj is not None:
                phrase = " ".join(t.lower_ for t in obj.subtree)
                if any(w in phrase for w in ("cooperation", "partnership", "friendship",
                                              "memorandum of understanding", "access",
                                              "declaration", "defence industry")):
                    return "SUPPORT"  # signing a cooperation accord is support, not a settlement
        for child in tok.children:
            if child.dep_ in ("dobj", "attr", "nsubjpass"):
                pair = _with_word_before(child)
                if pair in objects:  # "began a military operation", "staged war games"
                    return str(objects[pair])
                for key in (child.lower_, child.lemma_.lower()):
                    if key in objects:
                        return str(objects[key])
        if lemma == "call":
            if any(c.dep_ == "dobj" and (c.like_num or c.pos_ == "NUM") for c in tok.children):
                return ""  # "called 911": a phone number, no meeting
            if any(c.dep_ == "dobj" and c.tag_ in ("WP", "WDT") for c in tok.children) or any(
                    c.dep_ == "oprd" for c in tok.children):
                return ""  # "what he called an act of war": naming, no call
            preps = {c.lower_ for c in tok.children if c.dep_ == "prep" and not any(
                g.ent_type_ in ("DATE", "TIME") for g in c.children)}  # not "on Tuesday"
            if any(c.dep_ in ("advcl", "ccomp", "xcomp") and any(
                    g.dep_ == "mark" and g.lower_ == "for" for g in c.children)
                   for c in tok.children):
                return "REQUEST"  # "calling for the embargo to be extended"
            return "REQUEST" if preps & {"for", "on"} or any(c.dep_ == "xcomp" for c in
                                                               tok.children) else "CONSULT"
        if lemma in ("strike", "clash"):
            subjects = [c for c in tok.children if c.dep_ == "nsubj"]
            if subjects and (subjects[0].lemma_.lower() in WORKERS or
                             subjects[0].lemma_.lower() in ("protester", "demonstrator")):
                return "PROTEST"
            return "ASSAULT"
        if lemma in ("withdraw", "withdrawal"):
            from storyline.annotate.lexicons import lexicons

            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"):
                for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                    name = pobj.doc[pobj.left_edge.i:pobj.i + 1].text
                    if lexicons().igos.get(name.lower().removeprefix("the ")):
                        return "SANCTION"  # leaving a bloc
        if lemma == "welcome":  # welcoming a visitor is a meeting; a decision, support
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if tok.dep_ == "acl" or (obj is not None and obj.ent_type_ not in ("PERSON", "NORP")
                                     and obj.lemma_.lower() not in GROUPS):
                return "SUPPORT"
            return "CONSULT"
        if lemma == "warn":
            return "THREATEN" if any(c.dep_ == "ccomp" for c in tok.children) else "ACCUSE"
        return candidates[0]

    @staticmethod
    def _clause_verbs(tok: Any) -> list[Any]:
        """The verbs of what an order is about ("told the brigade to go back", "ordered troops
        which had been exercising to return"), not of clauses joined to it ("and is expected to
        return")."""
        joined = {t.i for c in tok.children if c.dep_ == "conj" for t in c.subtree}
        return [c for c in tok.subtree if c.dep_ in ("xcomp", "ccomp", "advcl")
                and c.i > tok.i and c.i not in joined]

    @staticmethod
    def _passive_patient(tok: Any) -> Any:
        """Who undergoes a passive verb: its passive subject, or for "after being stopped" the
        subject of the clause it qualifies."""
        patient = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if patient is None and tok.dep_ == "pcomp" and tok.head.dep_ == "prep":
            patient = next((c for c in tok.head.head.children if c.dep_ == "nsubj"), None)
        return patient

    @staticmethod
    def _personal(obj: Any) -> bool:
        """Whether an object names people ("39 prisoners", "a British aid worker", "him")."""
        words = [obj] + [c for c in obj.children if c.dep_ == "compound"]
        if obj.pos_ in ("NUM", "PRON") or obj.lemma_.lower() in PARTITIVE:
            # "two of the prisoners", "a group of hostages"; not "the name of a woman"
            words += [g for c in obj.children if c.dep_ == "prep" for g in c.children]
        people = PEOPLE | GROUPS | {"hostage", "prisoner", "detainee", "journalist", "worker",
                                    "national", "citizen", "captive", "person", "man", "woman",
                                    "child", "crew", "sailor", "fisherman", "priest", "tourist"}
        return any(w.ent_type_ in ("PERSON", "NORP") or w.lemma_.lower() in people or
                   w.pos_ == "PRON" or w.pos_ == "NUM" for w in words)

    @staticmethod
    def _object_words(tok: Any) -> list[Any]:
        """The object's words a verb is settled by: objects, passive subjects and prepositional
        objects, their compounds and their of-phrases ("a state of emergency", "the highest level
        of combat readiness", "mobile internet services")."""
        heads = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
        heads += [g for c in tok.children if c.dep_ in ("prep", "prt") for g in c.children
                  if g.dep_ == "pobj"]  # "withdrew from the grain deal"
        heads += [c for c in tok.children if c.dep_ in ("xcomp", "oprd") and c.tag_ == "VBN"
                  and c.i > tok.i]  # "ordered held on bail", "ordered him detained"
        words: list[Any] = []
        for head in heads:
            words.append(head)
            words += [c for c in head.children if c.dep_ in ("compound", "amod")]
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
                for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                    words.append(pobj)
                    words += [c for c in pobj.children if c.dep_ in ("compound", "amod")]
        return words

    def _object_match(self, tok: Any, table: dict[str, str]) -> str | None:
        words = self._object_words(tok)
        for word in words:  # two-word keys first: "martial law"
            if _with_word_before(word) in table:
                return str(table[_with_word_before(word)])
        for word in words:
            for key in (word.lower_, word.lemma_.lower()):
                if key in table:
                    return str(table[key] or "")
        return None

    def _object_event(self, tok: Any) -> str | None:
        """The type of a verb that is an event only with certain objects ("ordered the army")."""
        lemma = tok.lemma_.lower()
        if lemma not in self.lex["object_only"]:
            return None
        return self._object_match(tok, self.lex["verb_objects"][lemma])

    def _party_event(self, tok: Any) -> str | None:
        """The type of a verb that is an event only for certain parties: the police stopping,
        catching or booking someone; approaching a person or an organisation."""
        lemma = tok.lemma_.lower()
        particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
        police = self.lex["police_verbs"]
        key = f"{lemma} {particle}" if particle and f"{lemma} {particle}" in police else lemma
        if key in police and (particle is None or key != lemma or lemma == "stop"):
            agent = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children
                          if g.dep_ == "pobj"), agent)
            if agent is not None and any(
                    t.lemma_.lower() in self.lex["police_agents"]
                    or t.lower_ in self.lex["police_agents"]
                    for t in agent.doc[agent.left_edge.i:agent.i + 1]):
                return str(police[key])
            if agent is None and any(c.dep_ == "auxpass" for c in tok.children):
                patient = self._passive_patient(tok)
                if patient is not None and (patient.pos_ == "PRON" and patient.tag_ != "WDT"
                                            or self._personal(patient)) and not (
                        particle == "up" and any(c.dep_ == "prep" and c.lower_ == "in"
                                                 for c in tok.children)):
                    return str(police[key])  # "he was stopped", "after being pulled over"
                    # (not a country "which is caught up in a civil war")
            if lemma == "catch" and particle is None and any(
                    c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in WRONGDOERS
                    for c in tok.children):
                return str(police[key])  # "caught the pirates in the act"
            return None
        if lemma in self.lex["person_verbs"]:
            patient = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if patient is None:
                return None
            words = [patient] + [c for c in patient.children if c.dep_ in ("compound", "poss")]
            if any(w.ent_type_ in ("PERSON", "ORG", "NORP") for w in words) or \
                    patient.lower_ in ("him", "her", "them"):
                return str(self.lex["person_verbs"][lemma])
        return None

    def _light_event(self, tok: Any) -> str | None:
        """The type a light verb takes from an object the lexicon's nouns do not carry
        themselves: "began a military operation", "staged war games" (object_types)."""
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in self.lex["object_verbs"]:
            return None
        objects = self.lex["objects"]
        for child in tok.children:
            if child.dep_ != "dobj" or self._noun_key(child) is not None:
                continue
            pair = _with_word_before(child)
            if pair in objects:
                return str(objects[pair])
        return None

    def _is_trigger(self, tok: Any) -> bool:
        if tok.ent_type_ in ("DATE", "TIME"):
            return False  # "March", "May"
        return (tok.pos_ == "VERB" and (tok.lemma_.lower() in self.lex["verbs"] or
                                        self._object_event(tok) is not None or
                                        self._party_event(tok) is not None)) or (
            tok.pos_ in ("NOUN", "PROPN") and self._noun_key(tok) is not None)

    def _is_content(self, tok: Any) -> bool:
        """What another event promises, asks, refuses or threatens, or its purpose: not an
        event of its own ("asked Ethiopia to withdraw", "refused to extradite", "rallied to
        denounce", "a truce to let civilians leave")."""
        head = tok.head
        if head.i == tok.i:
            return False
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        if tok.dep_ in ("acl", "ccomp") and head.pos_ in ("NOUN", "PROPN") and \
                head.lemma_.lower() in CLAIMS and any(c.dep_ == "mark" for c in tok.children):
            return True  # "accusations that it had armed the rebels": alleged, not asserted
        if tok.dep_ in ("xcomp", "ccomp", "advcl", "acl", "relcl") and infinitive:
            for up in (head, head.head):
                if self._is_trigger(up) or up.lemma_.lower() in FORWARD | CAUSATIVE:
                    return up.lemma_.lower() not in ("expect", "plan", "set", "due", "schedule",
                                                      "go", "aim", "prepare", "intend", "hope",
                                                      "want", "seek", "decide", "willing",
                                                      "ready", "prepared")
        if tok.dep_ == "advcl" and infinitive and head.pos_ == "VERB" and \
                head.lemma_.lower() not in FORWARD and (
                    self._is_trigger(head) or head.lemma_.lower() in self.lex["object_verbs"]):
            return True  # a purpose: "approved a loan to support the budget"
        if tok.dep_ == "pcomp" and head.lower_ == "of" and \
                head.head.lemma_.lower() in ACCUSING:
            return True  # "accused the government of bombing the area": alleged, the
            # accusation is the event (as "accusations that it had armed the rebels")
        if tok.dep_ == "pcomp" and head.lower_ == "for" and \
                head.head.lemma_.lower() in REPROVING:
            return True  # "denounced the government for threatening an invasion": the
            # reproach is the event, what it reproaches is its content
        if tok.dep_ in ("advcl", "conj") and tok.tag_ == "VBG" and head.dep_ == "pcomp" and \
                head.head.lower_ in ("of", "for") and head.head.head.lemma_.lower() in \
                ACCUSING | REPROVING:
            return True  # "accused it of bombing the area, killing seven": alleged too
        if tok.dep_ == "advcl" and tok.tag_ == "VBG" and head.lemma_.lower() in \
                ACCUSING | REPROVING and any(
                    c.dep_ == "prep" and c.lower_ in ("of", "for") and any(
                        g.dep_ == "pcomp" for g in c.children) for c in head.children):
            return True  # (the participle hung on the accusing verb itself)
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "pobj" and head.lower_ in ("of", "for") \
                and head.head.lemma_.lower() in ACCUSING:
            return True  # "accused them of the attack", "blamed for the bombing"
        if tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.lemma_.lower() in (
                "demand", "call", "urge", "protest", "denounce", "demonstrate") and \
                self._is_trigger(head):
            return True  # "blocked the highways, demanding fuel": part of the protest
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "pobj" and head.lower_ in (
                "on", "for", "against", "about", "over") and head.head.pos_ in ("NOUN", "PROPN") and \
                self._is_trigger(head.head):
            return True  # "a ban on opposition rallies", "calls for his release"
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "compound" and \
                head.lemma_.lower() in GROUPS | FORCES:
            return True  # "riot police"
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "pobj" and head.dep_ == "prep" and \
                head.head.pos_ == "VERB" and tok.lemma_.lower() in self.lex["verb_objects"].get(
                    head.head.lemma_.lower(), {}):
            return True  # "withdrew from the grain deal": the verb carries it
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "dobj" and head.lemma_.lower() in DENIALS \
                and self.lex["verb_objects"].get(head.lemma_.lower(), {}).get(tok.lemma_.lower()) \
                == "" and not any(c.dep_ == "prep" and c.lower_ == "by" for c in tok.children):
            return True  # "rejected accusations of abuse": a denial, the accuser unnamed
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "pobj"):
            verb = head if head.pos_ == "VERB" else head.head
            if verb.pos_ == "VERB" and verb.lemma_.lower() in CONTENT_VERBS and \
                    verb.lemma_.lower() not in ANSWERS:
                return True  # "agreed to extend their treaty" (but "rejected a proposal" is two)
        return False

    def _noun_key(self, tok: Any) -> str | None:
        if in_body_name(tok):
            return None  # a word of a body's name: "the Federal Bureau of Investigation"
        if tok.i >= 2 and tok.doc[tok.i - 1].text == "-" and \
                f"{tok.doc[tok.i - 2].lower_}-{tok.lower_}" in self.lex["nouns"]:
            return f"{tok.doc[tok.i - 2].lower_}-{tok.lower_}"  # "build-up" in three tokens
        for key in (tok.lower_, tok.lemma_.lower()):
            if key in self.lex["nouns"]:
                if key == "sentence" and not _penal(tok):
                    return None  # "the sentence ends", "in one sentence"
                return key
            if key in self.lex["joint_nouns"] and any(
                    c.lower_ in ("joint", "combined") for c in tok.children):
                return key
        return None


#: Verbs of inquiry that make sending people an investigation (ACCUSE `investigate`).
INQUIRING = frozenset({"investigate", "probe", "examine", "inspect", "inquire"})


#: Entity labels of named bodies and texts, whose words name them and are no events.
NAMED_BODIES = frozenset({"ORG", "FAC", "LAW", "WORK_OF_ART", "PRODUCT"})


def in_body_name(tok: Any) -> bool:
    """A capitalised word inside the name of a body or text ("Investigation" in "the Federal
    Bureau of Investigation"): it names, it reports nothing."""
    return tok.ent_type_ in NAMED_BODIES and tok.is_title and tok.ent_iob_ == "I"


#: What carries a state's force across a border besides its troops.
MILITARY_CRAFT = frozenset({"aircraft", "plane", "jet", "warplane", "helicopter", "bomber",
                            "drone", "tank", "warship", "ship", "vessel", "submarine", "convoy",
                            "column", "artillery", "missile", "rocket"})


def _armed(tok: Any) -> bool:
    """A subject that can mobilise: forces or their craft ("military aircraft from Eritrea"),
    a state or an organisation, or an armed group."""
    if tok.ent_type_ in ("GPE", "ORG"):
        return True
    words = [tok] + [c for c in tok.children if c.dep_ in ("compound", "amod")]
    return any(w.lemma_.lower() in FORCES | MILITARY_CRAFT or w.lower_ in FORCES
               for w in words)


def _with_word_before(tok: Any) -> str:
    """The lower-cased word before a token and the token: "military operation" ("" at the
    start of the text)."""
    return f"{tok.doc[tok.i - 1].lower_} {tok.lower_}" if tok.i > 0 else ""


def _civilian(tok: Any) -> bool:
    """A phrase naming private people ("thousands of people", "three aid workers", "refugees")
    and no party's organ or member."""
    if tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return False
    word = tok.lemma_.lower()
    if word in ("thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "million",
                "millions") or tok.pos_ == "NUM":
        inner = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"]
        return not inner or _civilian(inner[0])
    return word in CIVILIANS


#: What makes "sentence" a penalty: "a life sentence", "a 20-year sentence", "served his sentence".
PENAL_WORDS = frozenset({"life", "prison", "jail", "death", "year", "month", "mandatory",
                         "suspended", "maximum", "minimum", "custodial", "lengthy", "rehab"})
PENAL_VERBS = frozenset({"serve", "hand", "give", "receive", "impose", "face", "commute",
                         "complete", "reduce", "appeal", "overturn", "get"})


def _penal(tok: Any) -> bool:
    if tok.head.lemma_.lower() in PENAL_VERBS and tok.dep_ in ("dobj", "nsubjpass", "dative"):
        return True
    return any(t.lemma_.lower() in PENAL_WORDS or t.like_num
               for c in tok.children if c.dep_ in ("compound", "amod", "nummod")
               for t in c.subtree)
