"""The place index: names to GeoNames records with a point, loaded once per process.

Records come from ``data/gazetteer.tsv.gz`` (towns, divisions, countries, continents; see
``gazetteer_build``), the country lexicon's names and capitals (``data/countries.tsv``) and named
regions, seas and rivers (``data/regions.tsv``). Names are keyed without case, accents, a leading
"the", a possessive, or the dots of "St."/"Mt."/"Ft.". Alternate names are kept but flagged: the
resolver never lets one outrank a primary name.
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from storyline.annotate.lexicons import lexicons


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    kind: str  # city, admin1, admin2, country, continent, or a regions.tsv kind (sea, river...)
    geonameid: int | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    alias: bool = False  # reached through an alternate name
    capital: bool = False


_ABBREVIATED = [(re.compile(r"\bst\.?\s+"), "saint "), (re.compile(r"\bste\.?\s+"), "sainte "),
                (re.compile(r"\bmt\.?\s+"), "mount "), (re.compile(r"\bft\.?\s+"), "fort ")]


def key(text: str) -> str:
    """The lookup form of a name: "the St. Louis's" and "Saint Louis" share one key."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).strip().lower()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"\s*'s?$", "", text)
    for pattern, full in _ABBREVIATED:
        text = pattern.sub(full, text)
    text = text.replace(".", "")
    return re.sub(r"[\s\-]+", " ", text).strip()


@dataclass
class Gazetteer:
    """Names to records. The 180,000 rows of ``gazetteer.tsv.gz`` stay as text lines until a
    name is looked up (a few milliseconds to load, a few tens of megabytes held)."""

    lines: list[str] = field(default_factory=list)
    #: key -> row numbers (``~row`` for a row reached through an alternate name)
    rows: dict[str, int | tuple[int, ...]] = field(default_factory=dict)
    extra: dict[str, tuple[Candidate, ...]] = field(default_factory=dict)  # lexicon, regions
    #: "tenn." / "tn" after a town -> (ISO3, first-level division name)
    abbreviations: dict[str, tuple[str, str]] = field(default_factory=dict)
    countries: dict[str, Candidate] = field(default_factory=dict)  # ISO3 -> record
    divisions: dict[tuple[str, str], Candidate] = field(default_factory=dict)
    words: dict[str, Any] = field(default_factory=dict)  # data/places.yaml
    _cache: dict[str, tuple[Candidate, ...]] = field(default_factory=dict)

    def lookup(self, text: str) -> tuple[Candidate, ...]:
        return self.by_key(key(text))

    def by_key(self, k: str) -> tuple[Candidate, ...]:
        found = self._cache.get(k)
        if found is None:
            found = self._materialise(k)
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[k] = found
        return found

    def _materialise(self, k: str) -> tuple[Candidate, ...]:
        refs = self.rows.get(k, ())
        out = [self.row(r) for r in ((refs,) if isinstance(refs, int) else refs)]
        capital_of = lexicons().capitals.get(k)
        if capital_of:  # the largest town of that name in that country is its capital
            towns = [c for c in out if c.kind == "city" and c.country == capital_of]
            if towns:
                seat = max(towns, key=lambda c: c.population)
                out[out.index(seat)] = replace(seat, capital=True)
        for cand in self.extra.get(k, ()):
            if cand not in out:
                out.append(cand)
        return tuple(out)

    def row(self, ref: int) -> Candidate:
        alias = ref < 0
        kind, gid, name, country, admin1, lat, lon, population = \
            self.lines[~ref if alias else ref].split("\t", 8)[:8]
        return Candidate(name, kind, int(gid) if gid else None, country or None, admin1 or None,
                         _float(lat), _float(lon), int(population or 0), alias=alias)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _float(value: str) -> float | None:
    return float(value) if value else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    gaz = Gazetteer()
    data = resources.files("storyline.data").joinpath("gazetteer.tsv.gz").read_bytes()
    lines = gzip.decompress(data).decode("utf-8").split("\n")[1:]
    gaz.lines = lines = [ln for ln in lines if ln]
    rows: dict[str, Any] = {}
    for number, line in enumerate(lines):
        keys = line.rsplit("\t", 1)[1].split("|")
        for i, k in enumerate(keys):
            ref = number if i == 0 else ~number
            held = rows.get(k)
            if held is None:
                rows[k] = ref
            elif isinstance(held, int):
                rows[k] = (held, ref)
            else:
                rows[k] = (*held, ref)
        if line.startswith(("country\t", "admin1\t")):
            cand = gaz.row(number)
            if cand.kind == "country" and cand.country:
                gaz.countries[cand.country] = cand
            elif cand.country:
                gaz.divisions[(cand.country, cand.name)] = cand
    gaz.rows = rows
    staged: dict[str, list[Candidate]] = {}

    def add(name: str, cand: Candidate) -> None:
        k = key(name)
        if k:
            bucket = staged.setdefault(k, [])
            if cand not in bucket:
                bucket.append(cand)

    # the lexicon's country names ("Britain", "U.S.") are primary names of the country record
    for name, iso in lexicons().country_names.items():
        record = gaz.countries.get(iso)
        if record is not None:
            add(name, record)
    _add_regions(add, gaz)
    gaz.extra = {k: tuple(v) for k, v in staged.items()}
    words = yaml.safe_load(resources.files("storyline.data").joinpath("places.yaml")
                           .read_text("utf-8")) or {}
    gaz.words = words
    for iso, table in (words.get("division_abbreviations") or {}).items():
        for division, forms in table.items():
            for form in forms:
                gaz.abbreviations[str(form).lower()] = (iso, division)
    return gaz


def _add_regions(add: Any, gaz: Gazetteer) -> None:
    path = resources.files("storyline.data").joinpath("regions.tsv")
    rows = [ln.split("\t") for ln in path.read_text("utf-8").splitlines()
            if ln and not ln.startswith("#")][1:]
    for row in rows:
        row += [""] * (7 - len(row))
        name, aliases, kind, countries, lat, lon, gid = (c.strip() for c in row[:7])
        if kind == "continent" and any(c.kind == "continent" for c in gaz.lookup(name)):
            continue  # the gazetteer has it
        country = countries if countries and "|" not in countries else None
        cand = Candidate(name, kind or "region", int(gid) if gid.isdigit() else None, country,
                         None, _float(lat), _float(lon), 0)
        for alias in [name, *aliases.split("|")]:
            if alias:
                add(alias, cand)
