"""Toponym recognition: which spans of a parsed document name places.

spaCy's small English model tags about two thirds of the toponyms in real local news as GPE, LOC
or FAC; the rest it calls ORG ("Chiefland", "the Texas Department of Health"), PERSON
("Gainesville"), NORP ("Russian") or nothing (datelines, "Elbow Lake"). This module keeps the
tagger's places and adds:

- demonyms of a country ("Russian", "Palestinians") as associative references to it;
- known places inside names ("University of Nebraska", "Kansas City Power & Light"), when the
  place is a country, a first-level division, a county or a large town, at the name's start or
  after "of"/a compass word; flagged associative inside organisation names;
- ORG, PERSON and untagged names a gazetteer knows, in a place context: after "in/at/from/near"
  and the other words of ``places.yaml``, before ", State" or ", Country", at the head of a
  dateline, or named as a place elsewhere in the same text;
- the division after a town ("Dover, Del.", "Suwon, South Korea"), which also settles the town;
- streets, roads and named features (rivers, lakes, airports) even when no gazetteer knows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storyline.annotate.gazetteer import Candidate, Gazetteer, key
from storyline.annotate.lexicons import lexicons

#: kinds that make a name a place wherever it stands ("Georgia Modular Systems")
STRONG_KINDS = frozenset({"country", "admin1", "continent", "region", "sea", "ocean", "gulf",
                          "strait", "territory", "island", "lake", "river", "mountains",
                          "desert", "peninsula", "canal"})
COMPASS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern",
                     "western", "central", "northeast", "northwest", "southeast", "southwest",
                     "northeastern", "northwestern", "southeastern", "southwestern", "upper",
                     "lower", "greater", "metro", "downtown", "historic", "rural", "suburban",
                     "mid", "inner", "outer", "coastal", "old"})
BIG_TOWN = 100_000  # a town this large is a place even without a context
EMBEDDED_TOWN = 50_000  # ... and inside a longer name
ASSOCIATIVE_LABELS = frozenset({"ORG", "PERSON", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT",
                                "LAW", "LANGUAGE"})
SKIP_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
SPEECH = frozenset({"say", "tell", "add", "note", "explain", "recall", "insist", "write",
                    "ask", "reply", "admit"})
DASHES = frozenset({"-", "--", "—", "–", "(", ":"})


@dataclass
class PlaceMention:
    tok_start: int
    tok_end: int
    start: int  # characters
    end: int
    text: str
    kind: str  # what it is when no record resolves it: place, street, feature, area
    candidates: tuple[Candidate, ...] = ()
    associative: bool = False
    container: tuple[str, str | None] | None = None  # ("USA", "Tennessee"): "X, Tenn."
    dateline: bool = False
    best: Candidate | None = None
    how: str = ""  # which rule found it (for error analysis)


@dataclass(frozen=True)
class Words:
    streets: frozenset[str]
    roads: tuple[str, ...]
    features: frozenset[str]
    prepositions: frozenset[str]
    divisions: frozenset[str]
    not_alone: frozenset[str]
    residents: frozenset[str]


_WORDS: dict[int, Words] = {}


def _words(gaz: Gazetteer) -> Words:
    found = _WORDS.get(id(gaz))
    if found is None:
        found = _WORDS[id(gaz)] = _read_words(gaz)
    return found


def _read_words(gaz: Gazetteer) -> Words:
    w = gaz.words

    def low(name: str) -> frozenset[str]:
        return frozenset(str(x).lower().rstrip(".") for x in w.get(name) or ())

    return Words(low("street_suffixes"),
                 tuple(str(x).lower() for x in w.get("road_prefixes") or ()),
                 low("feature_words"), low("place_prepositions"), low("division_words"),
                 low("not_alone"), low("residents"))


class _Finder:
    def __init__(self, doc: Any, gaz: Gazetteer) -> None:
        self.doc = doc
        self.gaz = gaz
        self.words = _words(gaz)
        self.taken = bytearray(len(doc))
        self.found: list[PlaceMention] = []
        self.known: set[str] = set()
        self.lead = next((t.i for t in doc if not t.is_space), 0)
        # surnames of the people the text names: "Fairfield could spend 9 years" is a person
        self.surnames = {key(e[-1].text) for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}

    # -- helpers -------------------------------------------------------------------------
    def lookup(self, a: int, b: int) -> tuple[Candidate, ...]:
        """The records a name may refer to. "Fla." and "Tenn." are their states; an acronym
        ("EU", "GOP") is never a town, though it may be a country ("UK", "U.S."); a seat of power
        stands for its government."""
        text = self.doc[a:b].text
        k = key(text)
        if k in lexicons().seats:
            return ()  # "the White House", "the Kremlin": a government, not White House, Tenn.
        if "." in text:
            found = self.gaz.abbreviations.get(text.lower())
            record = self.gaz.divisions.get(found) if found else None
            if record is not None:
                return (record,)
        cands = self.gaz.by_key(k)
        if not cands:
            iso = lexicons().demonyms.get(k)
            record = self.gaz.countries.get(iso or "")
            if record is not None:
                return (record,)
        bare = text.replace(".", "")
        if cands and len(bare) <= 4 and bare.isupper() and not self._dateline(a, b):
            cands = tuple(c for c in cands if c.kind not in ("city", "admin2"))
        return cands

    def add(self, a: int, b: int, kind: str, cands: tuple[Candidate, ...] = (),
            associative: bool = False, how: str = "") -> PlaceMention | None:
        if a >= b or any(self.taken[a:b]):
            return None
        words = [t.lower_.rstrip(".") for t in self.doc[a:b] if t.is_alpha]
        if cands and words and all(w in COMPASS for w in words):
            return None  # "the South", "North": a direction, whatever the tagger says
        span = self.doc[a:b]
        m = PlaceMention(a, b, span.start_char, span.end_char, span.text, kind, cands,
                         associative, dateline=self._dateline(a, b), how=how)
        self.taken[a:b] = b"\x01" * (b - a)
        self.found.append(m)
        if cands and (how in ("GPE", "LOC", "pair") or self.explicit(a, b)):
            self.known.add(key(span.text))
        return m

    def _dateline(self, a: int, b: int) -> bool:
        doc = self.doc
        if a != self.lead or b >= len(doc):
            return False
        return doc[b].text in ("," , *DASHES) or doc[a:b].text.isupper()

    def trim(self, a: int, b: int) -> tuple[int, int]:
        doc = self.doc
        while a < b and (doc[a].lower_ in ("the", "a", "an") or doc[a].is_punct
                         or doc[a].is_space):
            a += 1
        while b > a and (doc[b - 1].lower_ in ("'s", "’s", "'", "’") or doc[b - 1].is_punct
                         or doc[b - 1].is_space):
            b -= 1
        return a, b

    def division_after(self, b: int) -> tuple[int, tuple[str, str | None], Candidate | None] | None:
        """", Tenn." / ", Ohio" / ", South Korea" after token ``b - 1``: (end token,
        (ISO3, division or None), the division's or country's record)."""
        doc = self.doc
        if b >= len(doc) - 1 or doc[b].text != ",":
            return None
        for n in (3, 2, 1):
            if b + 1 + n > len(doc):
                continue
            span = doc[b + 1:b + 1 + n]
            if not span[0].text[:1].isupper():
                return None
            joined = "".join(t.text_with_ws for t in span).strip()
            for form in (joined.lower(), joined.replace(" ", "").lower()):
                found = self.gaz.abbreviations.get(form)
                if found:
                    return b + 1 + n, found, self.gaz.divisions.get(found)
            cands = [c for c in self.gaz.lookup(span.text) if not c.alias
                     and c.kind in ("admin1", "country")]
            if cands:
                c = max(cands, key=lambda c: c.kind == "country")
                return b + 1 + n, (c.country or "", c.name if c.kind == "admin1" else None), c
        return None

    def demonym(self, a: int, b: int) -> bool:
        return not self.gaz.lookup(self.doc[a:b].text) and \
            key(self.doc[a:b].text) in lexicons().demonyms

    def explicit(self, a: int, b: int) -> bool:
        """"in X", "X, Tenn.", "an X man", "Rep. Y, D-X", a dateline: the text itself says X is
        a place."""
        doc = self.doc
        if a > 0 and doc[a - 1].lower_ in self.words.prepositions:
            return True
        if b < len(doc) and doc[b].lower_ in self.words.residents:
            return True
        if a > 1 and doc[a - 1].text == "-" and doc[a - 2].text in ("D", "R", "I"):
            return True
        return self.division_after(b) is not None or self._dateline(a, b)

    def in_context(self, a: int, b: int) -> bool:
        return self.explicit(a, b) or key(self.doc[a:b].text) in self.known

    def generic(self, a: int, b: int) -> bool:
        """Compass and generic words alone ("Central", "North West", "City Hall")."""
        words = [t.lower_.rstrip(".") for t in self.doc[a:b] if any(ch.isalpha() for ch in t.text)]
        return all(w in COMPASS or w in self.words.not_alone or w in self.words.divisions
                   for w in words)

    def personal(self, a: int, b: int) -> bool:
        """A name that reads as a person here: a surname of someone the text names, or the
        subject of "said"."""
        doc = self.doc
        if key(doc[a:b].text) in self.surnames:
            return True
        return b < len(doc) and doc[b].lemma_ in SPEECH

    def is_street(self, a: int, b: int) -> bool:
        doc = self.doc
        text = doc[a:b].text.lower()
        if b - a >= 2 and doc[b - 1].lower_.rstrip(".") in self.words.streets:
            return True
        return any(text.startswith(p) and any(t.like_num for t in doc[a:b])
                   for p in self.words.roads)

    def is_feature(self, a: int, b: int) -> bool:
        doc = self.doc
        return b - a >= 2 and (doc[b - 1].lower_.rstrip(".") in self.words.features
                               or doc[a].lower_.rstrip(".") in ("lake", "mount", "mt",
                                                                "port", "cape", "fort"))

    @staticmethod
    def primary(cands: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
        return tuple(c for c in cands if not c.alias) or cands

    def strong(self, cands: tuple[Candidate, ...], a: int, b: int) -> bool:
        prim = self.primary(cands)
        if any(c.kind in STRONG_KINDS for c in prim):
            return True
        return any(c.kind == "admin2" for c in prim) and \
            self.doc[b - 1].lower_ in self.words.divisions

    @staticmethod
    def biggest(cands: tuple[Candidate, ...]) -> int:
        return max((c.population for c in cands if c.kind == "city" and not c.alias), default=0)

    # -- searches ------------------------------------------------------------------------
    def search(self, a: int, b: int, label: str) -> int:
        """Known places inside tokens [a, b) of a name tagged ``label`` ("" when untagged);
        returns how many were added."""
        doc = self.doc
        added = 0
        i = a
        while i < b:
            if not self._capital(doc[i]):
                i += 1
                continue
            for n in range(min(6, b - i), 0, -1):
                j = i + n
                if not self._capital(doc[j - 1]) or any(t.is_punct and t.text not in ("-", ".")
                                                         for t in doc[i:j]):
                    continue
                cands = self.lookup(i, j)
                if cands and self.accept(i, j, cands, label, whole=(i == a and j == b), start=a):
                    whole = i == a and j == b
                    m = self.add(i, j, "place", cands,
                                 associative=(label in ASSOCIATIVE_LABELS and not whole)
                                 or self.demonym(i, j),
                                 how=f"{'whole' if whole else 'inside'}:{label}")
                    if m is not None:
                        added += 1
                        i = j - 1
                        break
            i += 1
        return added

    @staticmethod
    def _capital(tok: Any) -> bool:
        return tok.text[:1].isupper() and not tok.is_punct

    def accept(self, a: int, b: int, cands: tuple[Candidate, ...], label: str, whole: bool,
               start: int) -> bool:
        doc = self.doc
        if whole and label in ("GPE", "LOC", "FAC"):
            return True
        if self.generic(a, b):
            return False
        if self.personal(a, b) and not self.explicit(a, b):
            return False
        context = self.in_context(a, b)
        strong = self.strong(cands, a, b)
        big = self.biggest(cands)
        if label == "PERSON":
            if whole:
                return self.explicit(a, b)
            return doc[b - 1].lower_ in self.words.divisions and strong
        if label == "" and b - a == 1 and doc[a].pos_ != "PROPN" and not context:
            return False  # "Mobile phones", "Reading the report"
        if whole:
            return context or strong or big >= BIG_TOWN
        before = doc[a - 1].lower_ if a > 0 else ""
        placed = a == start or before in ("of", "in", "at", "de", "for") or before in COMPASS
        return placed and (strong or big >= EMBEDDED_TOWN or key(doc[a:b].text) in self.known)

    # -- the passes ----------------------------------------------------------------------
    def run(self) -> list[PlaceMention]:
        doc = self.doc
        lex = lexicons()
        later = []
        for ent in doc.ents:
            a, b = self.trim(ent.start, ent.end)
            if a >= b or ent.label_ in SKIP_LABELS:
                continue
            label = ent.label_
            if label == "NORP":
                iso = lex.demonyms.get(doc[a:b].text.lower())
                record = self.gaz.countries.get(iso or "")
                if record is not None:
                    self.add(a, b, "country", (record,), associative=True, how="demonym")
                else:
                    later.append((a, b, label))
                continue
            if label not in ("GPE", "LOC", "FAC"):
                later.append((a, b, label))
                continue
            if key(doc[a:b].text) in self.surnames and not self.explicit(a, b):
                continue  # "William J. Bratton ... Bratton said": the tagger's GPE is the man
            cands = self.lookup(a, b)
            if cands:
                self.add(a, b, "place", cands, how=label, associative=self.demonym(a, b))
            elif self.is_street(a, b):
                self.add(a, b, "street", how=label)
            elif self.search(a, b, label):
                continue
            elif self.is_feature(a, b) and label != "GPE":
                self.add(a, b, "feature", how=label)
            elif label != "FAC" and (
                    self.is_feature(a, b) or self.doc[b - 1].lower_ in self.words.divisions
                    or (a > 0 and self.doc[a - 1].lower_ in self.words.prepositions
                        and self.doc[a - 1].lower_ != "of")):
                # a name the gazetteer does not know, which reads as a place
                self.add(a, b, "feature" if self.is_feature(a, b) else
                         "place" if label == "GPE" else "area", how=f"unknown:{label}")
        for a, b, label in later:
            cands = self.lookup(a, b)
            if cands and self.accept(a, b, cands, label, whole=True, start=a):
                self.add(a, b, "place", cands, how=f"whole:{label}",
                         associative=self.demonym(a, b))
            elif label in ("ORG", "PERSON") and self.is_street(a, b) and self.in_street_context(a):
                self.add(a, b, "street", how=f"street:{label}")
            else:
                self.search(a, b, label)
        for a, b in self.untagged_runs():
            self.search(a, b, "")
        self.pairs()
        self.found.sort(key=lambda m: m.tok_start)
        return self.found

    def in_street_context(self, a: int) -> bool:
        doc = self.doc
        return a > 0 and (doc[a - 1].lower_ in ("on", "at", "along", "onto", "off", "near")
                          or doc[a - 1].like_num)

    def untagged_runs(self) -> list[tuple[int, int]]:
        doc = self.doc
        runs = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            if tok.ent_iob_ == "O" and not self.taken[i] and self._capital(tok) and tok.is_alpha:
                j = i + 1
                while j < len(doc) and doc[j].ent_iob_ == "O" and not self.taken[j] and (
                        self._capital(doc[j]) or (doc[j].text in ("-",) and j + 1 < len(doc)
                                                  and self._capital(doc[j + 1]))):
                    j += 1
                runs.append((i, j))
                i = j
            else:
                i += 1
        return runs

    def pairs(self) -> None:
        """"Town, State": the state becomes a mention and confines the town."""
        for m in sorted(self.found, key=lambda m: m.tok_start):
            if m.kind == "street" or m.associative:
                continue
            after = self.division_after(m.tok_end)
            if after is None:
                continue
            end, (iso, division), record = after
            inside = [c for c in m.candidates if c.country == iso and c.kind != "country"
                      and (division is None or c.admin1 == division)]
            if m.candidates and not inside:
                if not all(c.alias for c in m.candidates):
                    continue
                m.candidates = ()  # "Yida, South Sudan": not the Saudi city one of whose
            m.container = (iso, division)  # alternate names it is
            if record is not None and not any(self.taken[m.tok_end + 1:end]):
                self.add(m.tok_end + 1, end, "place", (record,), how="pair")
            elif record is not None:
                for other in self.found:
                    if other.tok_start == m.tok_end + 1:
                        other.candidates = (record,)


def find_mentions(doc: Any, gaz: Gazetteer) -> list[PlaceMention]:
    """Every toponym in ``doc``, in text order, with its candidate records."""
    return _Finder(doc, gaz).run()
