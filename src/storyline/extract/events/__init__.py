"""PLOVER events from the dependency parse: type, mode, actors, recipients, modality, trigger,
date and place — per sentence, with the sentence and character offsets behind every event.

Triggers are verbs and nouns from ``data/plover.yaml``; ambiguous verbs are settled by their object
("sign an agreement" -> AGREE, "impose sanctions" -> SANCTION). Actors and recipients are read
from the parse: subject and object, the agent of a passive ("were detained by police"), the
possessor of a nominal event ("Modi's visit to Japan"), both sides of "talks between X and Y", the
host/visitor inversion ("Egypt hosted the Sudanese minister"), coordination on either side. Codes
come from the annotate stage's actors: their ISO country, or IGO/NGO for organisations without
one; a capital or seat of power counts for its country. Events inside direct quotes are speech,
not events. The package holds one module per concern: ``triggers`` (which words, which type), ``arguments``
and ``parties`` (who to whom), ``modality``, ``dating`` (date and place), ``lexicon`` (word lists
and ``data/plover.yaml``); ``extractor`` puts them together. See ``storyline eval events``.
"""

from __future__ import annotations

from storyline.extract.events.extractor import EventExtractor
from storyline.extract.events.lexicon import lexicon
from storyline.extract.events.span import EventSpan

__all__ = ["EventExtractor", "EventSpan", "lexicon"]
