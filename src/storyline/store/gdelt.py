"""GDELT 2.0 event and mentions tables from the store, in GDELT's own column order and types.

One event row per linked event (``linked_events``; an event not linked yet stands alone), one
mention row per event mention (a row of ``events``). Tab-separated, no header unless asked, no
quoting: tabs and line breaks inside text become spaces, and text a spreadsheet would run as a
formula gets a leading ``'`` (:func:`storyline.store.export.safe_cell`). What storyline cannot
know (tone, ethnic and religion codes, known-group codes, ADM2) stays empty; nothing is invented.

``GLOBALEVENTID`` is the first 8 bytes of the SHA-256 of the linked event id (``le_…``; for an
event not linked yet, its own id) read as a big-endian integer with the top bit cleared: a stable
non-negative 64-bit integer (0 <= id < 2**63) that a re-export gives again.

Modality: GDELT has no field for it, so by default only asserted, reported and future events go
out (a future event is a CAMEO intent, 03x, or an announced meeting); negated and hypothetical
mentions are left out, and a linked event whose every mention is left out has no row. Choose
others with ``modalities``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import IO, Any

#: GDELT 2.0 event table, in file order (GDELT Event Codebook V2.0).
EVENT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
#: GDELT 2.0 mentions table, in file order.
MENTION_COLUMNS = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo",
    "Extras",
)
#: Column types as GDELT's codebook and BigQuery schema give them: "int", "float" or "str" (codes
#: such as EventCode "042" are text: their leading zero matters).
_INTS = {"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass",
         "NumMentions", "NumSources", "NumArticles", "Actor1Geo_Type", "Actor2Geo_Type",
         "ActionGeo_Type", "DATEADDED", "EventTimeDate", "MentionTimeDate", "MentionType",
         "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText",
         "Confidence", "MentionDocLen"}
_FLOATS = {"FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long",
           "Actor2Geo_Lat", "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long", "MentionDocTone"}
EVENT_TYPES = {c: "int" if c in _INTS else "float" if c in _FLOATS else "str"
               for c in EVENT_COLUMNS}
MENTION_TYPES = {c: "int" if c in _INTS else "float" if c in _FLOATS else "str"
                 for c in MENTION_COLUMNS}

MODALITIES = ("asserted", "reported", "future", "hypothetical", "negated")
DEFAULT_MODALITIES = ("asserted", "reported", "future")

#: CAMEO actor type ("role") codes: a storyline sector outside these is not written as a CAMEO type.
CAMEO_TYPES = frozenset("""COP GOV INS JUD MIL OPP REB SEP SPY UAF AGR BUS CRM CVL DEV EDU ELI ENV
HLH HRI LAB LEG MED MNC NGO NGM REF REL RAD MOD IGO IMG SET UIS""".split())


def global_event_id(linked_id: str) -> int:
    """The GDELT GLOBALEVENTID of a linked event id: stable, 0 <= id < 2**63.

    >>> global_event_id("le_17d0e55d1edd62ec") == global_event_id("le_17d0e55d1edd62ec")
    True
    """
    digest = hashlib.sha256(linked_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") & (2**63 - 1)


def _data(name: str) -> list[dict[str, str]]:
    text = resources.files("storyline.data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=1)
def cameo_map() -> list[dict[str, str]]:
    """Rows of ``data/plover_cameo.tsv``: type, mode, context, cameo, lost."""
    return _data("plover_cameo.tsv")


@lru_cache(maxsize=1)
def goldstein_scale() -> dict[str, float]:
    """CAMEO code -> Goldstein score (``data/cameo_goldstein.tsv``)."""
    return {r["cameo"]: float(r["goldstein"]) for r in _data("cameo_goldstein.tsv")}


@lru_cache(maxsize=1)
def _fips() -> tuple[dict[str, str], dict[str, str]]:
    countries: dict[str, str] = {}
    states: dict[str, str] = {}
    for r in _data("fips_codes.tsv"):
        (countries if r["kind"] == "country" else states)[r["key"].strip()] = r["fips"]
    return countries, states


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO3 -> common English name (``data/countries.tsv``, then GeoNames' names)."""
    names = {r["key"]: r["name"].strip() for r in _data("fips_codes.tsv") if r["kind"] == "country"}
    names.update({r["iso3"]: r["name"] for r in _data("countries.tsv")})
    return names


def cameo_code(type_: str, mode: str | None, contexts: Iterable[str] = (), root: str = "") -> str:
    """The CAMEO code of a PLOVER type, mode and contexts (first matching row of the map); with
    ``root``, the root the coder gave the event (a REQUEST is an appeal, 02, or a demand, 10),
    the first matching row under that root, if any."""
    if root:
        from storyline.extract.events.lexicon import lexicon

        code = cameo_code(type_, mode, contexts)
        default = str(lexicon()["types"].get(type_, {}).get("cameo", ""))
        if root != default and not code.startswith(root):  # a cue's root ("demanded": 10)
            under = [r for r in cameo_map() if r["type"] == type_ and r["cameo"].startswith(root)]
            if under:
                return under[0]["cameo"]
            if root == "03" and code[:2] == "08":
                return "035"  # a concession announced: 035 "express intent to yield"
        return code
    ctx = set(contexts or ())
    for row in cameo_map():
        if row["type"] != type_:
            continue
        if row["mode"] and row["mode"] != (mode or ""):
            continue
        if row["context"] and row["context"] not in ctx:
            continue
        return row["cameo"]
    return ""


def quad_class(cameo: str) -> int | str:
    """GDELT's QuadClass from the CAMEO root: 1 verbal cooperation (01-05), 2 material cooperation
    (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20)."""
    if len(cameo) < 2 or not cameo[:2].isdigit():
        return ""
    root = int(cameo[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def goldstein(cameo: str) -> float | str:
    table = goldstein_scale()
    for size in (4, 3, 2):
        if len(cameo) >= size and cameo[:size] in table:
            return table[cameo[:size]]
    return ""


_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def date_columns(value: str | None, published: str | None = None) -> tuple[Any, Any, Any, Any]:
    """SQLDATE, MonthYear, Year, FractionDate of an event, as GDELT dates its rows: the event's
    own day; a range by its first day; no date of its own, the article's publication day (as
    GDELT does); a month or year only, the publication day when it falls in that period, else
    only MonthYear and Year ("agreed in 2023" in a 2026 article keeps Year 2023, no SQLDATE).
    Year-less values and undated articles give nothing. FractionDate is GDELT's YYYY + (month *
    30 + day) / 365, rounded to 4 places."""
    value = (value or "").split("/", 1)[0]
    day_published = published[:10] if published and _DAY.match(published[:10]) and \
        len(published) >= 10 else None
    if not value and day_published:
        value = day_published
    elif day_published and _DAY.match(value) and len(value) < 10 and \
            day_published.startswith(value):
        value = day_published
    m = _DAY.match(value)
    if not m:
        return "", "", "", ""
    year, month, day = m.group(1), m.group(2), m.group(3)
    fraction = round(int(year) + (int(month) * 30 + int(day)) / 365, 4) if day else ""
    return (int(year + month + day) if day else "", int(year + month) if month else "",
            int(year), fraction)


def geo_type(place: dict[str, Any]) -> int | str:
    """GDELT's Geo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state
    (first-level division); empty for other places (seas, regions, unknown names)."""
    kind, us = place.get("kind"), place.get("country") == "USA"
    if kind == "country":
        return 1
    if kind == "admin1":
        return 2 if us else 5
    if kind in ("city", "admin2"):
        return 3 if us else 4
    return ""


def geo_columns(place: dict[str, Any] | None) -> list[Any]:
    """Type, FullName, CountryCode (FIPS 10-4), ADM1Code, ADM2Code, Lat, Long, FeatureID."""
    if not place or not place.get("name"):
        return ["", "", "", "", "", "", "", ""]
    countries, states = _fips()
    iso3 = place.get("country") or ""
    fips = countries.get(iso3, "")
    kind = place.get("kind")
    admin1 = place.get("admin1") or ""
    parts = [place["name"]]
    if admin1 and kind not in ("country", "admin1") and admin1 != place["name"]:
        parts.append(admin1)
    if kind != "country" and iso3 in country_names():
        parts.append(country_names()[iso3])
    if kind == "country":
        adm1 = fips
    elif iso3 == "USA":
        adm1 = states.get(place["name"] if kind == "admin1" else admin1, "")
    else:
        adm1 = ""  # storyline holds division names, not FIPS division codes
    feature: Any = place.get("geonameid") or ""
    if kind == "country" and fips:
        feature = fips  # GDELT's FeatureID of a country is its FIPS code
    elif kind == "admin1" and adm1:
        feature = adm1  # ... and of a first-level division its ADM1 code
    lat, lon = place.get("lat"), place.get("lon")
    return [geo_type(place), ", ".join(parts), fips, adm1, "", "" if lat is None else lat,
            "" if lon is None else lon, feature]


def parse_modalities(value: str | Iterable[str] | None,
                     default: Iterable[str] | None = DEFAULT_MODALITIES) -> frozenset[str] | None:
    """``"asserted,future"`` / ``"all"`` / None (the default) -> a set of modalities, or None
    for every modality (whatever the store holds)."""
    from storyline.errors import Msg, StorylineError

    if value is None:
        return None if default is None else frozenset(default)
    items = [v.strip() for v in (value.split(",") if isinstance(value, str) else value)]
    items = [v for v in items if v]
    if items == ["all"]:
        return None
    unknown = [v for v in items if v not in MODALITIES]
    if unknown or not items:
        raise StorylineError(Msg.E109, detail=f"unknown modality {', '.join(unknown) or '(none)'}"
                             f"; use 'all' or some of {', '.join(MODALITIES)}")
    return frozenset(items)


# --- reading the store -----------------------------------------------------------------------

_MENTIONS_SQL = """
    SELECT e.id, e.article_id, e.type, e.mode, e.sentence, e.char_start, e.char_end,
           e.trigger_start, e.trigger_end, e.actors, e.recipients, e.contexts, e.date, e.place,
           e.modality, e.confidence, e.cameo, e.linked_id,
           coalesce(e.linked_id, e.id) AS group_id,
           a.url, a.source, a.published, a.ingested_at, length(a.text) AS doc_len,
           instr(a.text, char(10)) AS lead_end, a.language
    FROM events e JOIN articles a ON a.id = e.article_id
    ORDER BY group_id, coalesce(a.published, '9999'), e.article_id, e.trigger_start, e.id"""


@dataclass
class Group:
    """A linked event (or an event not linked yet) with the mentions that go out."""

    id: str
    gid: int
    mentions: list[dict[str, Any]] = field(default_factory=list)
    linked: dict[str, Any] | None = None

    @property
    def first(self) -> dict[str, Any]:
        """The mention that opened the linked event (its id names it), else the earliest."""
        from storyline.link.events import linked_id

        for m in self.mentions:
            if linked_id(m["id"]) == self.id:
                return m
        return self.mentions[0]


def _mention(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    for key in ("actors", "recipients", "contexts"):
        d[key] = json.loads(d[key] or "[]")
    for key in ("date", "place"):
        d[key] = json.loads(d[key]) if d[key] else None
    return d


def groups(conn: sqlite3.Connection, modalities: frozenset[str] | None) -> Iterator[Group]:
    """Linked events in id order, each with its mentions of the chosen modalities (a linked
    event with none is skipped)."""
    current: Group | None = None
    for row in conn.execute(_MENTIONS_SQL):
        if current is None or row["group_id"] != current.id:
            if current is not None and current.mentions:
                yield _with_linked(conn, current)
            current = Group(row["group_id"], global_event_id(row["group_id"]))
        if modalities is None or row["modality"] in modalities:
            current.mentions.append(_mention(row))
    if current is not None and current.mentions:
        yield _with_linked(conn, current)


def _with_linked(conn: sqlite3.Connection, group: Group) -> Group:
    if group.mentions[0]["linked_id"]:
        row = conn.execute("SELECT * FROM linked_events WHERE id = ?", (group.id,)).fetchone()
        if row is not None:
            d = dict(row)
            group.linked = {"type": d["type"], "mode": d["mode"],
                            "date": json.loads(d["date"]) if d["date"] else None,
                            "place": json.loads(d["place"]) if d["place"] else None,
                            "actors": json.loads(d["actors"] or "[]"),
                            "recipients": json.loads(d["recipients"] or "[]")}
    return group


# --- rows --------------------------------------------------------------------------------------

def _timestamp(value: str | None) -> Any:
    """YYYYMMDDHHMMSS (UTC) of a stored ISO timestamp; empty when there is none."""
    if not value:
        return ""
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return int(when.strftime("%Y%m%d%H%M%S"))


def _party_code(ref: dict[str, Any]) -> str:
    country = ref.get("country") or ""
    sector = ref.get("sector") or ""
    return country + (sector if sector in CAMEO_TYPES else "")


def _party_name(ref: dict[str, Any]) -> str:
    name = ref.get("name") or ""
    if name and name == ref.get("country"):  # a country stored by its code
        return country_names().get(name, name).upper()
    return name


def _actor_columns(ref: dict[str, Any] | None) -> list[Any]:
    """Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1Code, Religion2Code,
    Type1Code, Type2Code, Type3Code."""
    if not ref:
        return [""] * 10
    sector = ref.get("sector") or ""
    return [_party_code(ref), _party_name(ref), ref.get("country") or "", "", "", "", "",
            sector if sector in CAMEO_TYPES else "", "", ""]


def _same_party(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("id") and b.get("id"):
        return bool(a["id"] == b["id"])
    return (a.get("name"), a.get("country")) == (b.get("name"), b.get("country"))


def party_span(mention: dict[str, Any], ref: dict[str, Any] | None, role: str
               ) -> tuple[int, int] | None:
    """Where the mention's text names this party (article character offsets), if it says."""
    if not ref:
        return None
    for party in mention[role]:
        if _same_party(party, ref) and party.get("start") is not None:
            return int(party["start"]), int(party["end"])
    return None


class PlaceIndex:
    """Resolved place mentions per article (the places layer), read once per article."""

    def __init__(self, conn: sqlite3.Connection, size: int = 256) -> None:
        self.conn, self.size = conn, size
        self.cache: dict[str, list[dict[str, Any]]] = {}

    def places(self, article_id: str) -> list[dict[str, Any]]:
        if article_id not in self.cache:
            if len(self.cache) >= self.size:
                self.cache.pop(next(iter(self.cache)))
            row = self.conn.execute("SELECT places FROM annotations WHERE article_id = ?",
                                    (article_id,)).fetchone()
            self.cache[article_id] = json.loads(row[0]) if row and row[0] else []
        return self.cache[article_id]

    def near(self, mention: dict[str, Any], span: tuple[int, int] | None
             ) -> dict[str, Any] | None:
        """The resolved place named in the mention's sentence closest to the party's span."""
        if span is None or mention["char_start"] is None:
            return None
        best: tuple[int, dict[str, Any]] | None = None
        for p in self.places(mention["article_id"]):
            if p.get("start") is None or p.get("lat") is None:
                continue
            if not (mention["char_start"] <= p["start"] < mention["char_end"]):
                continue
            gap = 0 if p["start"] < span[1] and span[0] < p["end"] else min(
                abs(p["start"] - span[1]), abs(span[0] - p["end"]))
            if best is None or gap < best[0]:
                best = (gap, p)
        return best[1] if best else None


def event_row(group: Group, places: PlaceIndex) -> list[Any]:
    first = group.first
    linked = group.linked or first
    a1 = (linked["actors"] or [None])[0]
    a2 = (linked["recipients"] or [None])[0]
    code = cameo_code(linked["type"], linked["mode"], first["contexts"], first.get("cameo") or "")
    articles = {m["article_id"] for m in group.mentions}
    sources = {m["source"] or m["article_id"] for m in group.mentions}
    # IsRootEvent: a mention in the lead paragraph (the text before the first line break)
    root = int(any(m["char_start"] is not None and (not m["lead_end"] or m["char_start"] <
                                                    m["lead_end"]) for m in group.mentions))
    added = min((m["ingested_at"] or "" for m in group.mentions), default="")
    geo1 = geo_columns(places.near(first, party_span(first, a1, "actors")))
    geo2 = geo_columns(places.near(first, party_span(first, a2, "recipients")))
    return [group.gid, *date_columns((linked["date"] or {}).get("value"), first["published"]),
            *_actor_columns(a1), *_actor_columns(a2),
            root, code, code[:3], code[:2], quad_class(code), goldstein(code),
            len(group.mentions), len(sources), len(articles), "",
            *geo1, *geo2, *geo_columns(linked["place"]),
            _timestamp(added), first["url"] or ""]


def mention_rows(group: Group) -> Iterator[list[Any]]:
    first = group.first
    linked = group.linked or first
    a1 = (linked["actors"] or [None])[0]
    a2 = (linked["recipients"] or [None])[0]
    event_time = _timestamp(min((m["ingested_at"] or "" for m in group.mentions), default=""))
    for m in group.mentions:
        s1, s2 = party_span(m, a1, "actors"), party_span(m, a2, "recipients")
        inside = [s for s in (s1, s2) if s is not None]
        raw = int(m["char_start"] is not None and (a1 is None or s1 is not None)
                  and (a2 is None or s2 is not None)
                  and all(m["char_start"] <= s[0] and s[1] <= m["char_end"] for s in inside))
        confidence = "" if m["confidence"] is None else round(float(m["confidence"]) * 100)
        yield [group.gid, event_time, _timestamp(m["ingested_at"]), 1 if m["url"] else 2,
               m["source"] or "", m["url"] or m["article_id"],
               "" if m["sentence"] is None else int(m["sentence"]) + 1,
               s1[0] if s1 else -1, s2[0] if s2 else -1,
               -1 if m["trigger_start"] is None else m["trigger_start"], raw, confidence,
               m["doc_len"] or 0, "", "", ""]


# --- writing ----------------------------------------------------------------------------------

_SPACE = re.compile(r"[\t\r\n]+")


def _cell(value: Any) -> str:
    from storyline.store.export import safe_cell

    value = safe_cell(value)
    return "" if value is None else _SPACE.sub(" ", str(value))


def write_rows(rows: Iterable[list[Any]], columns: tuple[str, ...], out: IO[bytes],
               header: bool = False) -> int:
    count = 0
    if header:
        out.write(("\t".join(columns) + "\n").encode())
    for row in rows:
        assert len(row) == len(columns), (len(row), len(columns))
        out.write(("\t".join(_cell(v) for v in row) + "\n").encode("utf-8"))
        count += 1
    return count


def write_events(conn: sqlite3.Connection, out: IO[bytes], header: bool = False,
                 modalities: frozenset[str] | None = frozenset(DEFAULT_MODALITIES)) -> int:
    """The event table. With modalities beyond the default (negated, hypothetical, or all), each
    row gets a 62nd column, ``Modality``, after ``SOURCEURL``: GDELT has no place for it, and a
    reader that takes the first 61 columns still reads the rest as GDELT."""
    places = PlaceIndex(conn)
    if modalities is not None and modalities <= set(DEFAULT_MODALITIES):
        return write_rows((event_row(g, places) for g in groups(conn, modalities)),
                          EVENT_COLUMNS, out, header)
    marked = (([*event_row(g, places), g.first["modality"] or ""])
              for g in groups(conn, modalities))
    return write_rows(marked, (*EVENT_COLUMNS, "Modality"), out, header)


def write_mentions(conn: sqlite3.Connection, out: IO[bytes], header: bool = False,
                   modalities: frozenset[str] | None = frozenset(DEFAULT_MODALITIES)) -> int:
    rows = (row for g in groups(conn, modalities) for row in mention_rows(g))
    return write_rows(rows, MENTION_COLUMNS, out, header)
