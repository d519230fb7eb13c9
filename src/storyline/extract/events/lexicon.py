"""The word lists of event coding, and the PLOVER lexicon of ``data/plover.yaml``: trigger
verbs and nouns per type, object rules, modes, contexts and recipient priors."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

MODALS_FUTURE = frozenset({"will", "shall", "'ll", "wo"})
MODALS_HYPOTHETICAL = frozenset({"would", "could", "might", "may", "should"})
#: Verbs that weigh an act without deciding it: "is considering sending aid" (hypothetical).
WEIGHING = frozenset({"consider", "weigh", "mull", "contemplate", "explore", "debate"})
FORWARD = frozenset({"expect", "plan", "set", "due", "aim", "schedule", "prepare", "intend", "go",
                     "hope", "want", "seek", "agree", "promise", "vow", "pledge", "threaten",
                     "decide", "offer", "propose", "willing", "ready", "prepared"})
SPEECH = frozenset({"say", "report", "tell", "claim", "allege", "state", "announce"})
WORKERS = frozenset({"worker", "workers", "union", "unions", "employee", "employees", "staff",
                     "docker", "dockers", "driver", "drivers", "teacher", "teachers", "doctor",
                     "doctors", "nurse", "nurses", "student", "students", "farmer", "farmers",
                     "protester", "protesters", "miner", "miners", "pilot", "pilots"})
REVERSAL = frozenset({"lift", "ease", "relax", "scrap", "end"})
JOINT_MARKS = frozenset({"joint", "combined"})
JOINT_TYPES = frozenset({"AGREE", "COOPERATE", "ASSAULT", "RETREAT"})
RECIPIENT_PREPS = frozenset({"to", "with", "on", "against", "from", "at", "for", "into", "in"})
GROUPS = frozenset({"police", "troops", "soldier", "soldiers", "protester", "protesters",
                    "demonstrator", "demonstrators", "worker", "workers", "force", "forces", "army",
                    "navy", "rebel", "rebels", "militant", "militants", "gunman", "gunmen",
                    "student", "students", "farmer", "farmers", "activist", "activists",
                    "authorities", "government", "official", "officials", "ministry", "court",
                    "prosecutor", "prosecutors", "union", "unions", "guard", "guards", "coast",
                    "military", "fighters", "villagers", "residents", "lawmakers", "parliament",
                    "regulator", "regulators", "judge", "judges", "opposition", "militia",
                    "militias", "insurgents", "officers", "agents", "delegation",
                    "negotiators", "diplomats", "embassy", "company", "firm", "cabinet"})
PRONOUNS = frozenset({"he", "she", "they", "it", "his", "her", "their", "its"})
PEOPLE = frozenset({"protester", "demonstrator", "journalist", "activist", "people", "civilian",
                    "teacher", "doctor", "nurse", "driver", "employee", "thousand", "hundred",
                    "student", "worker", "opponent", "critic", "member", "leader", "villager",
                    "resident", "prisoner", "detainee", "migrant", "refugee", "suspect", "marcher",
                    "shopkeeper", "trader", "landowner", "merchant", "pensioner",
                    "dissident", "citizen", "crowd", "supporter", "farmer", "miner", "rally",
                    "protest", "march", "rebel", "fighter", "militant", "position", "town",
                    "village", "city", "camp", "opposition", "youth", "youngster", "fan",
                    "rioter", "mourner"})
MOVEMENT = frozenset({"return", "leave"})
#: People who are no party to a state's moves: crossing a border is not mobilising, talking to
#: them is no meeting ("thousands of refugees crossed the border", "talked to aid workers").
CIVILIANS = frozenset({"people", "civilian", "refugee", "migrant", "villager", "resident",
                       "family", "child", "woman", "man", "thousand", "hundred", "dozen",
                       "student", "worker", "journalist", "reporter", "witness", "survivor",
                       "pilgrim", "tourist", "fan", "passenger", "patient", "neighbour",
                       "neighbor", "relative", "friend", "local", "farmer", "trader"})
#: Verbs of moving across or into a place, MOBILIZE only for forces.
CROSSING = frozenset({"cross", "enter"})
#: What a situation "threatens to" do: an outcome, not one party's threat to another.
OUTCOMES = frozenset({"raise", "increase", "escalate", "worsen", "undermine", "derail",
                      "destabilise", "destabilize", "inflame", "spark", "plunge", "reignite",
                      "unravel", "jeopardise", "jeopardize", "overshadow", "complicate",
                      "disrupt", "spill", "spread", "engulf", "overwhelm", "deepen", "prolong"})
#: Verbs that deny an act: "denied (that) it bombed the camp", "denied any bombing", "denied
#: striking", "denied any link to the raid". The act is coded negated; the denial itself is no
#: REJECT (the manual's REJECT answers proposals and demands, not accusations).
DENYING = frozenset({"deny", "refute"})
#: What a refusal answers: "denied the request" is a REJECT, not a denied act.
ANSWERABLE = frozenset({"request", "demand", "proposal", "offer", "plan", "appeal", "application",
                        "bid", "call", "invitation", "visa", "permission", "access", "entry",
                        "petition", "motion", "asylum", "bail", "parole", "license", "licence"})
#: Nouns through which a denial reaches the act: "denied any link to the ambush".
DENIED_LINKS = frozenset({"link", "links", "connection", "connections", "involvement", "role",
                          "part", "responsibility", "knowledge"})
ANSWERS = frozenset({"reject", "refuse", "decline", "dismiss", "accept", "welcome", "deny",
                     "spurn", "rebuff", "receive"})
SIDES = frozenset({"side", "sides", "pair", "two", "both", "neighbours", "neighbors", "countries",
                   "nations", "governments", "leaders", "parties", "delegations", "capitals"})
HOSTILE = frozenset({"retaliate", "respond", "punish", "strike", "attack", "hit", "sanction",
                     "retake", "crush", "destroy", "defend", "fight", "avenge"})
FORCES = frozenset({"troop", "troops", "force", "forces", "soldier", "soldiers", "peacekeeper",
                    "peacekeepers", "army", "contingent", "military", "fighter", "fighters",
                    "rebel", "rebels", "unit", "units", "militia", "battalion", "mission",
                    "commando", "commandos", "marine", "marines", "paratrooper", "paratroopers",
                    "special forces", "reinforcements"})
CONTENT_VERBS = frozenset({"agree", "promise", "pledge", "vow", "offer", "propose", "demand",
                           "request", "urge", "ask", "threaten", "extend", "renew"})
VERBAL = frozenset({"REQUEST", "REJECT", "THREATEN", "ACCUSE", "AGREE", "SUPPORT"})
TEMPORAL = frozenset({"when", "once", "after", "before", "during", "while", "as", "until"})
CIRCUMSTANCE = frozenset({"after", "before", "since", "amid", "despite", "following", "during",
                          "until", "as", "because", "over", "like", "unlike"})
DOMESTIC = frozenset({"COERCE", "ASSAULT", "CONCEDE", "THREATEN", "PROTEST"})


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    data = yaml.safe_load(resources.files("storyline.data").joinpath("plover.yaml")
                          .read_text("utf-8"))
    verbs: dict[str, list[str]] = {}
    nouns: dict[str, list[str]] = {}
    for name, spec in data["types"].items():
        for lemma in spec.get("verbs", []):
            verbs.setdefault(lemma, []).append(name)
        for lemma in spec.get("nouns", []):
            nouns.setdefault(lemma, []).append(name)
    return {"types": data["types"], "verbs": verbs, "nouns": nouns,
            "objects": data["object_types"], "hosts": frozenset(data["host_verbs"]),
            "object_verbs": frozenset(data.get("object_verbs", [])),
            "joint_nouns": frozenset(data.get("joint_nouns", [])),
            "phrasal": data.get("phrasal", {}),
            "verb_objects": {**data.get("object_only", {}), **data.get("verb_objects", {})},
            "object_only": frozenset(data.get("object_only", {})) - frozenset(verbs),
            "contexts": data.get("contexts", {}),
            "ship_prefixes": data.get("ship_prefixes", {}),
            "police_verbs": data.get("police_verbs", {}),
            "police_agents": frozenset(data.get("police_agents", [])),
            "person_verbs": data.get("person_verbs", {}),
            "recipient_defaults": data.get("recipient_defaults", {}),
            "mutual": frozenset(data.get("mutual_verbs", [])),
            "undergo": frozenset(data.get("undergo_verbs", [])),
            "aid_cues": frozenset(data.get("aid_cues", [])),
            "mediators": frozenset(data.get("mediator_verbs", [])),
            "needs_object": frozenset(data.get("needs_object", [])),
            "sport_words": frozenset(data.get("sport_words", [])),
            "no_comment": frozenset(data.get("no_comment", []))}
