"""Data contracts: the objects that flow through storyline's stages and into the store.

This module imports nothing heavy (standard library only) so that worker processes, the API and the
tests can import it cheaply. Every contract round-trips through plain dicts (``to_dict`` /
``from_dict``) and therefore JSON; the Arrow schema in ``storyline.store.arrow`` is kept in step by a
test.

>>> a = Article(id="abc", text="Hello.")
>>> Article.from_dict(a.to_dict()) == a
True
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

SCHEMA_VERSION = 1
PIPELINE_VERSION = "0.1.0"

T = TypeVar("T", bound="Contract")


class Contract:
    """Mixin: dict round-trip for nested dataclasses, ignoring unknown keys."""

    _nested: ClassVar[dict[str, type]] = {}

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload,no-any-return]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in names:
                continue
            nested = cls._nested.get(key)
            if nested is not None and value is not None:
                if isinstance(value, list):
                    value = [nested.from_dict(v) if isinstance(v, dict) else v for v in value]
                elif isinstance(value, dict):
                    value = nested.from_dict(value)
            kwargs[key] = value
        return cls(**kwargs)


@dataclass
class Removal(Contract):
    """A piece of the raw text that cleaning removed, with the rule that removed it."""

    text: str
    rule: str


@dataclass
class Repair(Contract):
    """An in-place repair made by cleaning (a glued heading split, a doubled word merged)."""

    before: str
    after: str
    rule: str


@dataclass
class RawDocument(Contract):
    """One unit of input as a reader found it, before any processing.

    ``fmt`` is ``"text"`` or ``"html"``; ``origin`` names where it came from (a path, a path plus
    line or record number, or a URL) so that a rejection can point back to it. Hints are metadata
    the container already gave (JSONL fields, feed entries, WARC headers).
    """

    origin: str
    fmt: str
    content: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    #: What held it: ``file``, ``jsonl``, ``warc``, ``url`` or ``feed`` (says how hints were found).
    container: str = "file"


@dataclass
class TimeExpr(Contract):
    """A time expression in an article's cleaned text, normalised against the article's date.

    ``value`` is TIMEX3-style (``2014-05-20``, ``2024-05``, ``2023``, ``199``, ``2014-W21``,
    ``2015-H2``, ``2024-05-16/2024-05-17``, ``XXXX-05-20``) or None when it cannot be resolved yet;
    then ``relative`` says how to resolve it once a date is known (``P-1D``,
    ``weekday:1:future``). ``method`` says how the value was found (``absolute``, ``dct``,
    ``dct+tense``, ``anchor``, ``partial``, ``relative``, ``inferred``: a year-less date of an
    undated article completed with the year its text points to, see :class:`DocTime`).
    Durations (``P5Y``), recurrences (``P1W``, ``XXXX-WXX-4``) and references (``PRESENT_REF``)
    have granularity ``duration``, ``set`` and ``ref``: no point in the calendar. A time of day
    keeps its day in ``value`` and the full TIMEX3 value in ``timex3`` (``1998-02-11T22:00``,
    ``1998-08-07TMO``).
    """

    text: str
    start: int
    end: int
    value: str | None
    granularity: str
    kind: str = ""
    method: str = ""
    relative: str | None = None
    tense: str | None = None
    timex3: str | None = None


@dataclass
class DocTime(Contract):
    """When an undated article was written, as far as its text tells (``annotate.doctime``):
    ``inferred`` — a term of office it says is beginning dates it, and completes its year-less
    dates (then marked ``inferred`` too); ``not-before`` — only a lower bound, the latest year it
    names in a past or present sense; ``published`` — the year of a publication date given to the
    month or year. ``confidence`` is measured on real news; ``evidence`` holds the words. Never a
    publication date."""

    year: int
    method: str = "inferred"
    confidence: float = 0.0
    evidence: list[str] = field(default_factory=list)


@dataclass
class Mention(Contract):
    """A span of the cleaned text that names or describes an actor (or a place)."""

    text: str
    start: int
    end: int
    label: str  # PERSON, ORG, GPE, NORP, LOC, FAC, or DESC for descriptions ("the Russian leader")
    sentence: int = 0
    actor: int | None = None  # index into the article's ``actors``


@dataclass
class Actor(Contract):
    """Someone who acts in the news: a person, an organisation, a country or its government.

    ``country`` is ISO 3166 alpha-3; ``sector`` a CAMEO-style code (GOV, MIL, BUS, MED, EDU, IGO,
    NGO, ...). ``id`` is the canonical id shared by every article that mentions the same actor.
    """

    id: str
    name: str
    kind: str  # person, organisation, country
    country: str | None = None
    sector: str | None = None
    roles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


@dataclass
class Place(Contract):
    """A place name in the text resolved offline: GeoNames id, ISO country, first-level
    division, coordinates. ``associative`` marks a place named only as an attribute ("Russian",
    "the Texas Department of Health"), not as a location; unresolved names (streets, features a
    gazetteer does not know) keep their span with no point."""

    name: str
    start: int
    end: int
    kind: str  # city, admin1, admin2, country, continent, region, sea, ..., street, feature, place
    geonameid: int | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    admin1: str | None = None
    associative: bool = False
    approximate: bool = False  # the point of a place named in or near it, not its own


@dataclass
class Quote(Contract):
    """Who said what: the content span, its kind, the cue, and the speaker (an actor index into
    the article's ``actors``, or None for anonymous and unresolved sources). An unnamed source
    has ``anonymous`` set and ``speaker_name`` is how the text describes it ("a senior official",
    "police"), or ``anonymous`` when it gives no description."""

    id: str
    kind: str  # direct, indirect, mixed
    char_start: int
    char_end: int
    content: str
    cue: str
    speaker_text: str
    speaker_name: str
    actor: int | None = None
    anonymous: bool = False


@dataclass
class Quantity(Contract):
    """A figure in the text: value (and upper bound of a range), unit, normalised value and unit,
    qualifier ("more than"), what it measures, and the year it refers to when stated."""

    id: str
    text: str
    char_start: int
    char_end: int
    value: float
    value_max: float | None = None
    unit: str | None = None
    normalized_value: float | None = None
    normalized_unit: str | None = None
    qualifier: str | None = None
    measures: str | None = None
    year: int | None = None


@dataclass
class Event(Contract):
    """A PLOVER event coded from one sentence: who did what to whom, when, where, how sure.

    ``actors``/``recipients`` are lists of ``{"id", "name", "country", "sector"}``; ``date`` is
    ``{"value", "granularity", "method"}``; ``place`` is ``{"name", "geonameid", "country",
    "lat", "lon"}``; ``modality`` is asserted, future, hypothetical, negated or reported.
    """

    id: str
    type: str
    mode: str
    sentence: int
    char_start: int
    char_end: int
    trigger: str
    trigger_start: int
    trigger_end: int
    actors: list[dict[str, Any]] = field(default_factory=list)
    recipients: list[dict[str, Any]] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    date: dict[str, Any] | None = None
    place: dict[str, Any] | None = None
    modality: str = "asserted"
    confidence: float = 0.5
    cameo: str = ""


@dataclass
class StageFailure(Contract):
    """A stage (or one sentence inside it) that failed on an article that was stored anyway.

    ``digest`` names the bug: a hash of the exception type and the code locations it passed
    through, so one bug hitting many articles is one digest. ``sentence`` is set when only that
    sentence was lost (the stage isolates sentences); ``part`` names the extractor (quotes,
    events, quantities) when the stage has several.
    """

    stage: str
    error: str
    digest: str
    traceback: str = ""
    sentence: int | None = None
    part: str = ""
    code: str = "E015"


@dataclass
class Article(Contract):
    """A news article: cleaned text, metadata with provenance, and everything cleaning removed.

    ``published`` is a TIMEX3-style value (``2014-05-19``, ``2014-05``, ``XXXX-05-19``) or None when
    unknown — never the ingest day. ``published_method`` says how it was found (``dateline``,
    ``url``, ``html-meta``, ``jsonl``, ``feed``).
    """

    id: str = ""
    origin: str = ""
    url: str | None = None
    source: str | None = None
    source_method: str | None = None
    title: str | None = None
    published: str | None = None
    published_granularity: str | None = None
    published_method: str | None = None
    language: str | None = None
    text: str = ""
    raw_text: str = ""
    captions: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    duplicate_of: str | None = None
    pipeline_version: str = PIPELINE_VERSION
    schema_version: int = SCHEMA_VERSION
    # Annotations (filled by the ``annotate`` stage; stored in their own tables).
    sentences: list[tuple[int, int]] = field(default_factory=list)
    timexes: list[TimeExpr] = field(default_factory=list)
    doc_time: DocTime | None = None
    mentions: list[Mention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    #: Stages that failed on this article (it is stored with what succeeded).
    failures: list[StageFailure] = field(default_factory=list)
    # Working fields filled by stages and not stored as such.
    fmt: str = "text"
    hints: dict[str, Any] = field(default_factory=dict)

    _nested: ClassVar[dict[str, type]] = {"removed": Removal, "repairs": Repair,
                                           "timexes": TimeExpr, "doc_time": DocTime,
                                           "mentions": Mention,
                                           "actors": Actor, "places": Place,
                                           "quotes": Quote, "quantities": Quantity,
                                           "events": Event, "failures": StageFailure}

    STORED_FIELDS: ClassVar[tuple[str, ...]] = (
        "id", "origin", "url", "source", "source_method", "title", "published",
        "published_granularity", "published_method", "language", "text", "raw_text", "captions",
        "headings", "removed", "repairs", "duplicate_of", "pipeline_version", "schema_version",
    )

    def stored_dict(self) -> dict[str, Any]:
        """The stored fields as plain data (cheaper than a deep ``to_dict`` of the hints)."""
        row = {name: getattr(self, name) for name in self.STORED_FIELDS}
        row["captions"] = list(self.captions)
        row["headings"] = list(self.headings)
        row["removed"] = [{"text": r.text, "rule": r.rule} for r in self.removed]
        row["repairs"] = [{"before": r.before, "after": r.after, "rule": r.rule}
                          for r in self.repairs]
        return row

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Rejection(Contract):
    """Input that could not become an article: where it came from, the stage, why, and a fix hint."""

    origin: str
    stage: str
    reason: str
    hint: str = ""
    code: str = ""
