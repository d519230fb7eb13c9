"""Country, organisation and sector lexicons (``data/countries.tsv``, ``igos.tsv``,
``organisations.tsv``, ``sectors.yaml``), loaded once per process into lookup tables keyed by lower-cased text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml


@dataclass
class Lexicons:
    country_names: dict[str, str] = field(default_factory=dict)  # "russia" -> RUS
    demonyms: dict[str, str] = field(default_factory=dict)  # "russian" -> RUS
    capitals: dict[str, str] = field(default_factory=dict)  # "moscow" -> RUS
    seats: dict[str, str] = field(default_factory=dict)  # "kremlin" -> RUS
    country_label: dict[str, str] = field(default_factory=dict)  # RUS -> "Russia"
    igos: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)  # alias -> (name, code, iso)
    #: the names of the hand-kept files (igos, armed groups, parties), searched for in running text
    #: even where the tagger saw no entity; the public list (organisations.tsv) only types entities
    known: set[str] = field(default_factory=set)
    sectors: list[tuple[str, str]] = field(default_factory=list)  # (keyword, code), longest first
    leaders: dict[str, tuple[str, str]] = field(default_factory=dict)  # "vladimir putin" -> (RUS, role)
    #: "putin" -> (RUS, role): a leader's surname that no other listed leader of another country
    #: shares, for articles that name a well-known leader by surname only ("Erdogan said ...")
    leader_surnames: dict[str, tuple[str, str]] = field(default_factory=dict)

    def country_in(self, text: str) -> str | None:
        """The first country a phrase names by name, demonym or seat ("Russian President")."""
        low = text.lower()
        for word in _ngrams(low):
            for table in (self.country_names, self.demonyms, self.seats, self.capitals):
                if word in table:
                    return table[word]
        return None

    def organisation_country_in(self, text: str) -> str | None:
        """The country of the first organisation of one country a phrase names ("CPC")."""
        for word in _ngrams(text.lower()):
            found = self.igos.get(word)
            if found and found[2]:
                return found[2]
        return None

    def sector_of(self, text: str) -> str | None:
        """The sector a title names, its head first: 'a scholar from the Institute for ...'
        is EDU before anything the institute's name says."""
        head = re.split(r"\b(?:of|at|from|in|under|for|with|on)\b", text.lower(), maxsplit=1)[0]
        for part in (head, text.lower()):
            low = " " + " ".join(_WORDS.findall(part)) + " "
            for keyword, code in self.sectors:
                if f" {keyword} " in low:
                    return code
        return None


_WORDS = re.compile(r"[\w.-]+")


def _surnames(leaders: dict[str, tuple[str, str]], lex: Lexicons) -> dict[str, tuple[str, str]]:
    """Surnames of listed leaders that point to one country only; short ones, those that are
    also someone's first name ("Anthony") and place or common words ("May", "Young") stay out."""
    countries: dict[str, set[str]] = {}
    first: dict[str, tuple[str, str]] = {}
    given = {name.split()[0] for name in leaders if len(name.split()) >= 2}
    for name, (iso, role) in leaders.items():
        parts = name.split()
        if len(parts) < 2:
            continue
        last = parts[-1].strip(".,")
        if last in ("jr", "sr", "ii", "iii") and len(parts) > 2:
            last = parts[-2]
        countries.setdefault(last, set()).add(iso)
        first.setdefault(last, (iso, role))
    return {last: first[last] for last, isos in countries.items()
            if len(isos) == 1 and len(last) >= 4 and last.isalpha() and last not in _COMMON
            and last not in given
            and last not in lex.country_names and last not in lex.capitals
            and last not in lex.demonyms}


#: Surnames that are also everyday English words, months or first names: never alone a leader.
_COMMON = frozenset({"may", "young", "king", "brown", "black", "white", "green", "long", "little",
                     "rich", "street", "hope", "love", "bush", "rice", "major", "price", "ford",
                     "carter", "mark", "will", "john", "james", "martin", "thomas", "lee", "park",
                     "moon", "sharif", "khan", "singh", "kim", "wang", "li", "zhang", "ali", "ahmed",
                     "hassan", "hussein", "mohamed", "mohammed", "muhammad", "abdullah"})


def _ngrams(text: str, max_n: int = 4) -> list[str]:
    words = re.findall(r"[\w.'’-]+", text)
    words = [w.strip(".").replace("’", "'").removesuffix("'s") for w in words]
    grams = []
    for n in range(max_n, 0, -1):
        grams += [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
    return grams


def _strip_the(text: str) -> str:
    return re.sub(r"^the\s+", "", text.strip().lower())


def _rows(name: str) -> list[list[str]]:
    path = resources.files("storyline.data").joinpath(name)
    if not path.is_file():
        return []
    lines = [ln for ln in path.read_text("utf-8").splitlines() if ln and not ln.startswith("#")]
    return [ln.split("\t") for ln in lines[1:]]


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    lex = Lexicons()
    for row in _rows("countries.tsv"):
        row += [""] * (6 - len(row))
        iso, name, aliases, demonyms, capitals, seats = (c.strip() for c in row[:6])
        lex.country_label[iso] = name
        for alias in [name, *aliases.split("|")]:
            if alias:
                lex.country_names.setdefault(_strip_the(alias), iso)
        for demonym in demonyms.split("|"):
            if demonym:
                lex.demonyms.setdefault(demonym.lower(), iso)
        for capital in capitals.split("|"):
            if capital:
                lex.capitals.setdefault(capital.lower(), iso)
        for seat in seats.split("|"):
            if seat:
                lex.seats.setdefault(_strip_the(seat), iso)
    for row in [*_rows("igos.tsv"), *_rows("armed_groups.tsv"), *_rows("parties.tsv")]:
        row += [""] * (4 - len(row))
        name, aliases, code, iso = (c.strip() for c in row[:4])
        for alias in [name, *aliases.split("|")]:
            if alias:
                lex.igos.setdefault(_strip_the(alias), (name, code or "IGO", iso or None))
                lex.known.add(_strip_the(alias))
    for row in _rows("organisations.tsv"):  # the public list, after the hand-kept files
        row += [""] * (4 - len(row))
        name, aliases, code, iso = (c.strip() for c in row[:4])
        for alias in [name, *aliases.split("|")]:
            if alias:
                lex.igos.setdefault(_strip_the(alias), (name, code or "IGO", iso or None))
    latest: dict[str, int] = {}
    for row in _rows("leaders.tsv"):  # the latest role of each person names their country
        row += [""] * (6 - len(row))
        name, aliases, iso, role, _start, end = (c.strip() for c in row[:6])
        until = int(end) if end.isdigit() else 9999
        for alias in [name, *aliases.split("|")]:
            key = alias.lower()
            if alias and until >= latest.get(key, -1):
                latest[key] = until
                lex.leaders[key] = (iso, role)
    lex.leader_surnames = _surnames(lex.leaders, lex)
    path = resources.files("storyline.data").joinpath("sectors.yaml")
    if path.is_file():
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        pairs = [(str(k).lower(), code) for code, words in (data.get("sectors") or {}).items()
                 for k in (words or [])]
        pairs += [(str(k).lower(), "RES") for k in (data.get("think_tanks") or [])]
        lex.sectors = sorted(pairs, key=lambda p: -len(p[0]))
    return lex
