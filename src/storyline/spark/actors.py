"""Canonical actors for the lake, by the local store's rules and code.

Each article gives its actors as forms (ids that depend on that article alone). Forms are merged
by id on Spark as the store merges them (cleanest name, smallest country and sector, union of
roles, affiliations and aliases), collected on the driver — one row per distinct form, far fewer
than articles — and resolved there by :class:`storyline.store.actors.ActorIndex` in an in-memory
store: the same rules, the same canonical ids and the same ``actors`` rows as a local store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from storyline.model import Actor


def merge(a: Actor, b: Actor) -> Actor:
    """Two sightings of one form, merged as ``ActorIndex`` merges them."""
    from storyline.store.actors import _least, _name_order

    return Actor(id=a.id, name=min(a.name, b.name, key=_name_order), kind=a.kind,
                 country=_least(a.country, b.country), sector=_least(a.sector, b.sector),
                 roles=sorted(set(a.roles) | set(b.roles)),
                 affiliations=sorted(set(a.affiliations) | set(b.affiliations)),
                 aliases=sorted(set(a.aliases) | set(b.aliases)))


def resolve(forms: Iterable[Actor]) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """``(form id -> canonical id, canonical id -> actor row)``; a row has the ``actors``
    export's columns but the counts."""
    from storyline.store.actors import ActorIndex
    from storyline.store.sqlite import Store

    store = Store(":memory:")
    try:
        index = ActorIndex(store.conn)
        changed = {form.id for form in sorted(forms, key=lambda f: f.id)
                   if index._upsert_form(form)}
        index.resolve(changed)
        canonical = dict(store.conn.execute("SELECT id, canonical_id FROM actor_forms"))
        actors = {}
        for r in store.conn.execute("SELECT * FROM actors"):
            row = dict(r)
            for column in ("roles", "affiliations", "aliases"):
                row[column] = json.loads(row[column])
            actors[row["id"]] = row
    finally:
        store.close()
    return canonical, actors
