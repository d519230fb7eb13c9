"""One coded event as the extractor finds it (before it becomes a ``model.Event``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class EventSpan:
    type: str
    mode: str
    trigger: str
    trigger_start: int
    trigger_end: int
    sentence: int
    char_start: int
    char_end: int
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    actor_ids: list[int] = field(default_factory=list)
    recipient_ids: list[int] = field(default_factory=list)
    modality: str = "asserted"
    date: dict[str, Any] | None = None
    place: dict[str, Any] | None = None
    cameo: str = ""
    confidence: float = 0.5
    contexts: list[str] = field(default_factory=list)
    #: character spans of the phrases the actors and recipients were read from (provenance)
    actor_span: tuple[int, int] | None = None
    #: partners named with "with" / "between": fellow actors unless one of them hosts
    reciprocal: bool = False
    recipient_span: tuple[int, int] | None = None
