"""Place names found in the text and resolved offline to GeoNames records with a point.

The index (``gazetteer.Gazetteer``) holds every town of 500 inhabitants or more, the first-level
divisions of every country, the US, British and Irish counties, the countries and continents
(``data/gazetteer.tsv.gz``, built from field data by ``annotate/gazetteer_build.py``), the country
lexicon's names and named regions, seas and rivers (``data/regions.tsv``).

Recognition (``mentions.find_mentions``) starts from spaCy's GPE, LOC and FAC names and adds
what the tagger calls something else: names of a known place inside organisation names ("the
Texas Department of Health"), ORG/PERSON/untagged names in place contexts ("in Cheltenham",
"Dover, Del.", datelines), streets and named features, and demonyms ("Russian") kept as
associative references to their country.

Resolution (here) scores each candidate by population and feature class, keeps alternate names
behind primary names, applies "Town, State/Country" pairs, and then weighs, in a few rounds of
belief, the article's own focus (the countries and first-level divisions its other names most
likely lie in) and the towns near the other names' likely records.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from storyline.annotate.gazetteer import Candidate, gazetteer, haversine_km, key
from storyline.annotate.mentions import PlaceMention, find_mentions
from storyline.model import Place

__all__ = ["gazetteer", "resolve_places", "resolve_mentions"]

Name = tuple[str, Any]  # a distinct place name and its "X, State" confinement

#: Feature-class priors on a log10-population scale: a country or a continent outranks any
#: namesake town unless the text says otherwise ("Lebanon, Tenn."); a first-level division
#: outranks all but big cities.
KIND_PRIOR = {"country": 11.0, "continent": 11.0, "admin1": 7.2}
REGION_PRIOR = 8.0  # seas, rivers, world regions from regions.tsv
CAPITAL_BONUS = 1.5
ALIAS_PENALTY = 1.5
COUNTRY_FOCUS = 4.0
ADMIN1_FOCUS = 2.5
CONTAINER_PENALTY = 12.0
NEAR_BONUS = 2.5
NEAR_KM = 150.0
NEAR_CAP = 3.0
LOCAL_KINDS = frozenset({"city", "admin2"})
#: A town this small, or a town named only by one of its alternate names, alone in a country no
#: other name of the text points to while the text is about another country, is more likely a
#: local name the gazetteer lacks ("the Yida camp" of a South Sudan story is not Jeddah, which
#: "Yida" also spells): it is left without a point.
STRAY_POPULATION = 15_000
STRAY_FOCUS = 2.0
STRAY_SUPPORT = 0.05
ROUNDS = 3
APPROX_CHARS = 1500  # how far a resolved town may stand from an unresolved name it locates
TEMPERATURE = 1.0


def resolve_places(doc: Any) -> list[Place]:
    """Every place name in a parsed document, resolved (the project's place layer)."""
    gaz = gazetteer()
    mentions = find_mentions(doc, gaz)
    resolve_mentions(mentions)
    approximate = _approximate(mentions, gaz)
    return [_place(m, approximate.get(id(m))) for m in mentions]


def _prior(c: Candidate) -> float:
    if c.kind in KIND_PRIOR:
        base = KIND_PRIOR[c.kind]
        if c.kind == "admin1":  # a division with few towns is a weaker reading
            base = min(base, 6.0 + math.log10(c.population / 1000 + 1) / 2)
    elif c.kind == "admin2":
        base = 3.0 + math.log10(c.population + 10) / 2
    elif c.kind == "city":
        base = math.log10(c.population + 10)
        if c.capital:
            base += CAPITAL_BONUS
    else:
        base = REGION_PRIOR
    return base - (ALIAS_PENALTY if c.alias else 0.0)


def _candidates(m: PlaceMention) -> tuple[Candidate, ...]:
    cands = m.candidates
    primary = tuple(c for c in cands if not c.alias)
    return primary or cands  # an alternate name never outranks a primary name


def _score(c: Candidate, m: PlaceMention, countries: dict[str, float],
           divisions: dict[tuple[str, str], float]) -> float:
    score = _prior(c)
    if m.container is not None:
        iso, admin1 = m.container
        inside = c.country == iso and (admin1 is None or c.admin1 == admin1)
        if not inside or (c.kind == "country" and admin1 is not None):
            score -= CONTAINER_PENALTY
    if c.country and c.kind not in ("country", "continent"):
        score += COUNTRY_FOCUS * countries.get(c.country, 0.0)
        if c.admin1:
            score += ADMIN1_FOCUS * divisions.get((c.country, c.admin1), 0.0)
    elif c.kind == "country" and c.country:
        score += COUNTRY_FOCUS * countries.get(c.country, 0.0) / 2
    return score


def resolve_mentions(mentions: list[PlaceMention]) -> None:
    """Choose each mention's record.

    Each distinct name (with its "X, State" confinement) holds a belief over its records,
    starting from the priors. The article's focus is the sum of the other names' beliefs over
    countries and first-level divisions (a name never votes for itself, so "Dublin" alone does
    not make an article Irish); each round rescores every name against that focus and the towns
    the other names most likely are, and a few rounds settle it."""
    names: dict[Name, list[PlaceMention]] = {}
    for m in mentions:
        if _candidates(m):
            names.setdefault((key(m.text), m.container), []).append(m)
    if not names:
        return
    cands = {n: _candidates(ms[0]) for n, ms in names.items()}
    weight = {n: (2.0 if any(m.dateline for m in ms) else 1.0)
              * (0.5 if all(m.associative for m in ms) else 1.0) for n, ms in names.items()}
    belief = {n: _softmax([_score(c, ms[0], {}, {}) for c in cands[n]])
              for n, ms in names.items()}
    scores: dict[tuple[str, Any], list[float]] = {}
    near = _neighbours(cands)
    for _ in range(ROUNDS):
        country_mass: Counter[str] = Counter()
        division_mass: Counter[tuple[str, str]] = Counter()
        own: dict[tuple[str, Any], tuple[Counter[str], Counter[tuple[str, str]]]] = {}
        for n in names:
            mine_c: Counter[str] = Counter()
            mine_d: Counter[tuple[str, str]] = Counter()
            for c, p in zip(cands[n], belief[n], strict=True):
                if c.country:
                    mine_c[c.country] += weight[n] * p
                    if c.admin1 and c.kind in ("city", "admin1", "admin2"):
                        mine_d[(c.country, c.admin1)] += weight[n] * p
            own[n] = (mine_c, mine_d)
            country_mass.update(mine_c)
            division_mass.update(mine_d)
        for n, ms in names.items():
            if len(cands[n]) == 1:
                scores[n] = [0.0]
                continue
            countries, divisions = _shares(country_mass, division_mass, *own[n])
            scores[n] = [_score(c, ms[0], countries, divisions)
                         + _support(near.get((n, i), ()), belief)
                         for i, c in enumerate(cands[n])]
            belief[n] = _softmax(scores[n])
    confined = {n[0]: n for n in names if n[1] is not None}
    for n, ms in sorted(names.items(), key=lambda item: item[0][1] is None):
        if n[1] is None and n[0] in confined:
            # one sense per text: "LEBANON, Tenn. -- A Lebanon man" is the same town twice
            other = confined[n[0]]
            record = next((m.best for m in names[other] if m.best is not None), None)
            if record is not None and record in cands[n]:
                for m in ms:
                    m.best = record
                continue
        ranked = scores.get(n) or [0.0] * len(cands[n])
        best = max(range(len(cands[n])), key=lambda i: (ranked[i], cands[n][i].population,
                                                         -(cands[n][i].geonameid or 0)))
        chosen = cands[n][best]
        others = sum(country_mass.values()) - sum(own[n][0].values())
        if _stray(chosen, ms, _shares(country_mass, division_mass, *own[n])[0], others):
            continue
        for m in ms:
            m.best = chosen


def _stray(c: Candidate, ms: list[PlaceMention], countries: dict[str, float],
           others: float) -> bool:
    """A small town abroad that nothing else in the text supports (see STRAY_POPULATION):
    the other names weigh at least ``STRAY_FOCUS`` names and give its country almost nothing."""
    if c.kind != "city" or c.capital or (c.population >= STRAY_POPULATION and not c.alias):
        return False  # a big town named by its own name stands on its own
    if any(m.container is not None or m.dateline for m in ms):
        return False
    return others >= STRAY_FOCUS and countries.get(c.country or "", 0.0) < STRAY_SUPPORT


def _shares(country_mass: Counter[str], division_mass: Counter[tuple[str, str]],
            mine_c: Counter[str], mine_d: Counter[tuple[str, str]]
            ) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """The focus of the article without one name's own votes: each country's share of the
    other names, each division's share within its country."""
    others = {k: v - mine_c.get(k, 0.0) for k, v in country_mass.items()}
    total = sum(v for v in others.values() if v > 0)
    countries = {k: v / total for k, v in others.items() if v > 1e-9} if total else {}
    div_others = {k: v - mine_d.get(k, 0.0) for k, v in division_mass.items()}
    per_country: Counter[str] = Counter()
    for (iso, _), v in div_others.items():
        if v > 1e-9:
            per_country[iso] += v
    divisions = {k: v / per_country[k[0]] for k, v in div_others.items()
                 if v > 1e-9 and per_country[k[0]]}
    return countries, divisions


def _softmax(values: list[float]) -> list[float]:
    top = max(values)
    exps = [math.exp((v - top) / TEMPERATURE) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def _neighbours(cands: dict[Name, tuple[Candidate, ...]]
                ) -> dict[tuple[Name, int], list[tuple[Name, int, float]]]:
    """For each (name, record) the records of other names within ``NEAR_KM``, with a closeness
    from 1 (same spot) to 0 (``NEAR_KM`` away): "Paris" and "Henry County" in one article are
    the Tennessee pair, the county seat in its county."""
    cells: dict[tuple[int, int], list[tuple[Name, int, Candidate]]] = {}
    if len(cands) < 2:
        return {}
    for n, cs in cands.items():
        for i, c in enumerate(cs):
            if c.kind in LOCAL_KINDS and c.lat is not None and c.lon is not None:
                cells.setdefault((int(c.lat // 1), int(c.lon // 1)), []).append((n, i, c))
    found: dict[tuple[Name, int], list[tuple[Name, int, float]]] = {}
    for (y, x), members in cells.items():
        nearby = [e for dy in (-2, -1, 0, 1, 2) for dx in (-2, -1, 0, 1, 2)
                  for e in cells.get((y + dy, x + dx), ())]
        for n, i, c in members:
            for m, j, d in nearby:
                if m[0] == n[0]:
                    continue
                km = haversine_km(c.lat, c.lon, d.lat, d.lon)  # type: ignore[arg-type]
                if km < NEAR_KM:
                    found.setdefault((n, i), []).append((m, j, 1.0 - km / NEAR_KM))
    return found


def _support(pairs: Any, belief: dict[Name, list[float]]) -> float:
    """How much the other names' likely readings lie near this record: each other name counts
    once, by its nearby record's belief relative to its best, times their closeness."""
    best: dict[Name, float] = {}
    for m, j, closeness in pairs:
        share = closeness * belief[m][j] / max(belief[m])
        if share > best.get(m, 0.0):
            best[m] = share
    return min(NEAR_CAP, NEAR_BONUS * sum(best.values()))


def _approximate(mentions: list[PlaceMention], gaz: Any) -> dict[int, Candidate]:
    """A point for the names no record resolves (a lake, a court, a township, "Historic
    Dublin"): the record of a place named inside it, when the text resolves that name or
    it lies in the article's focus ("the Greene County Common Pleas Court" → the county), else
    the nearest local place the text resolves within ``APPROX_CHARS`` (a lake is by the town of
    the story), else the country or division that follows it ("Yida, South Sudan"). Such a
    point is marked approximate and carries no GeoNames id of its own."""
    chosen: dict[str, Candidate] = {}
    local = []
    for m in mentions:
        if m.best is not None and not m.associative:
            chosen.setdefault(key(m.text), m.best)
            if m.best.kind in ("city", "admin2", "admin1") and m.best.lat is not None:
                local.append(m)
    found: dict[int, Candidate] = {}
    focus = Counter((m.best.country, m.best.admin1) for m in local)
    for m in mentions:
        if m.best is not None or m.associative:
            continue
        words = m.text.split()
        inner = None
        for n in range(len(words) - 1, 0, -1):
            for i in range(len(words) - n + 1):
                k = key(" ".join(words[i:i + n]))
                if k in chosen:
                    inner = chosen[k]
                    break
                cands = [c for c in gaz.by_key(k) if not c.alias and c.lat is not None
                         and c.kind in ("city", "admin2", "admin1")
                         and focus.get((c.country, c.admin1))]
                if cands:
                    inner = max(cands, key=lambda c: (focus[(c.country, c.admin1)],
                                                      c.kind == "admin2", c.population))
                    break
            if inner is not None:
                break
        if inner is None and m.container is not None:  # "X, Country": the country's point
            inner = next((o.best for o in mentions if o.best is not None
                          and 0 <= o.start - m.end <= 3 and o.best.country == m.container[0]
                          and o.best.kind in ("country", "admin1")), None)
        if inner is None and local:
            close = [o for o in local if abs(o.start - m.start) <= APPROX_CHARS]
            if close:  # the nearest town or county, else the nearest division
                inner = min(close, key=lambda o: (o.best.kind == "admin1",  # type: ignore[union-attr]
                                                  abs(o.start - m.start))).best
        if inner is not None:
            found[id(m)] = inner
    return found


def _place(m: PlaceMention, approximate: Candidate | None = None) -> Place:
    best = m.best
    if best is None and approximate is not None:
        a = approximate
        return Place(m.text, m.start, m.end, m.kind, None, a.country, a.lat, a.lon,
                     admin1=a.admin1, associative=m.associative, approximate=True)
    if best is None:
        return Place(m.text, m.start, m.end, m.kind, associative=m.associative)
    population = best.population if best.kind in ("city", "country") and best.population \
        else None
    return Place(m.text, m.start, m.end, best.kind, best.geonameid, best.country, best.lat,
                 best.lon, population, admin1=best.admin1, associative=m.associative)
