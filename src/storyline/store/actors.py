"""Canonical actors across articles, decided from the set of actor forms, not from arrival order.

An article's analysis gives its actors as *forms*: an id hashed from kind, country and name, so it
depends on that article alone. Which forms are one actor across articles is a function of every
form in the store, whatever order they came in:

- a person with a full name is one actor per full name ("Vladimir Putin" from any article, with or
  without a country);
- a person known by one name ("Putin") is the full-name person whose first or last name it is and
  whose country agrees (the longest such name, then the smallest id, when several fit); otherwise
  an actor of its own;
- organisations of one country (or of none) that share a name or an alias ("CNPC" and "China
  National Petroleum Corporation", which gave "CNPC" as its alias) are one actor, named by its
  longest name;
- countries and everything else: the form is the actor.

When a new form changes the answer for forms already stored (a full name arrives after a bare
surname was seen, an alias joins two organisations), the rows that name those forms — actor
mentions, quotes, event actors and recipients — are rewritten to the new canonical id. The
``actors`` table holds each canonical actor with what its forms say, merged in a fixed order
(sorted lists, the smallest country and sector code when forms disagree), so the store ends up the
same whichever order the articles came in.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable
from typing import Any

PERSON, ORGANISATION = "person", "organisation"


def _words(name: str) -> list[str]:
    """A name's words, casefolded, without punctuation ("`` Bettie Page ''" -> bettie, page)."""
    return re.findall(r"\w+", name.casefold().replace("'s ", " "))


def canonical_key(kind: str, name: str) -> str:
    """The canonical id of a person or organisation named ``name``."""
    return hashlib.sha1(f"canonical|{kind}|{' '.join(_words(name))}".encode()).hexdigest()[:12]


def _keys(kind: str, name: str, aliases: Iterable[str], country: str | None) -> set[str]:
    if kind == ORGANISATION:
        # names join organisations within one country (every country has its "police");
        # 'orgname:' finds the organisations of any country a country-less form may mean
        names = {" ".join(_words(n)) for n in (name, *aliases) if _words(n)}
        return {f"org:{country or '-'}:{n}" for n in names} | {f"orgname:{n}" for n in names}
    if kind == PERSON:
        words = _words(name)
        if len(words) == 1:
            return {f"one:{words[0]}"}
        if words:
            return {f"tok:{words[0]}", f"tok:{words[-1]}"}
    return set()


def _merge_list(old: str, new: Iterable[str]) -> str:
    return json.dumps(sorted(set(json.loads(old)) | set(new)), ensure_ascii=False)


def _name_order(name: str) -> tuple[int, int, str]:
    """Spellings of one form (the same name up to case and punctuation): the cleanest first,
    so the name kept does not depend on which article came first."""
    odd = sum(not (c.isalnum() or c in " .-'&") for c in name)
    return odd, len(name), name


def _least(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


class ActorIndex:
    """Writes actor forms and keeps their canonical actors (inside the caller's transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- forms ------------------------------------------------------------------------------------

    def add_forms(self, article_id: str, actors: Iterable[Any]) -> dict[str, str]:
        """Store the forms of one article (``model.Actor``); returns form id -> canonical id."""
        actors = list(actors)
        self.conn.executemany(
            "INSERT OR REPLACE INTO article_actors (article_id, form_id, name, country, sector, "
            "roles, affiliations, aliases) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, a.id, a.name, a.country, a.sector,
              json.dumps(sorted(set(a.roles)), ensure_ascii=False),
              json.dumps(sorted(set(a.affiliations)), ensure_ascii=False),
              json.dumps(sorted(set(a.aliases)), ensure_ascii=False)) for a in actors])
        changed: set[str] = set()
        for actor in actors:
            if self._upsert_form(actor):
                changed.add(actor.id)
        if changed:
            self.resolve(changed)
        ids = [a.id for a in actors]
        out: dict[str, str] = {}
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            marks = ",".join("?" * len(chunk))
            out.update(self.conn.execute(
                f"SELECT id, canonical_id FROM actor_forms WHERE id IN ({marks})", chunk))
        return out

    def _upsert_form(self, actor: Any) -> bool:
        """Insert or merge one form; True when it is new or its name keys grew."""
        conn = self.conn
        row = conn.execute("SELECT name, country, sector, roles, affiliations, aliases "
                           "FROM actor_forms WHERE id = ?", (actor.id,)).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO actor_forms (id, canonical_id, kind, name, country, sector, roles, "
                "affiliations, aliases) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (actor.id, actor.id, actor.kind, actor.name, actor.country, actor.sector,
                 json.dumps(sorted(set(actor.roles)), ensure_ascii=False),
                 json.dumps(sorted(set(actor.affiliations)), ensure_ascii=False),
                 json.dumps(sorted(set(actor.aliases)), ensure_ascii=False)))
            self._write_keys(actor.id, actor.kind, actor.name, actor.aliases, actor.country)
            return True
        aliases = _merge_list(row[5], actor.aliases)
        grew = aliases != row[5] and actor.kind == ORGANISATION
        merged = (min(row[0], actor.name, key=_name_order), _least(row[1], actor.country),
                  _least(row[2], actor.sector), _merge_list(row[3], actor.roles),
                  _merge_list(row[4], actor.affiliations), aliases)
        if merged != tuple(row):
            conn.execute("UPDATE actor_forms SET name = ?, country = ?, sector = ?, roles = ?, "
                         "affiliations = ?, aliases = ? WHERE id = ?", (*merged, actor.id))
            canonical = conn.execute("SELECT canonical_id FROM actor_forms WHERE id = ?",
                                     (actor.id,)).fetchone()[0]
            self._refresh(canonical)
        if grew:
            self._write_keys(actor.id, actor.kind, merged[0], json.loads(aliases), merged[1])
        return grew or merged[0] != row[0]

    def remove_article(self, article_id: str) -> None:
        """An article's analysis is going: what it said of its forms goes too. A form no other
        article names is deleted; the others are merged again from the articles that remain,
        and the forms their names reached are resolved again."""
        conn = self.conn
        forms = [r[0] for r in conn.execute(
            "SELECT form_id FROM article_actors WHERE article_id = ?", (article_id,))]
        if not forms:
            return
        conn.execute("DELETE FROM article_actors WHERE article_id = ?", (article_id,))
        reach: set[str] = set()
        for form_id in forms:
            row = self._form(form_id)
            if row is None:
                continue
            reach |= self._reach(form_id, row)
            said = conn.execute("SELECT * FROM article_actors WHERE form_id = ?",
                                (form_id,)).fetchall()
            conn.execute("DELETE FROM actor_form_keys WHERE form_id = ?", (form_id,))
            if not said:
                conn.execute("DELETE FROM actor_forms WHERE id = ?", (form_id,))
                self._refresh(row["canonical_id"])
                reach.discard(form_id)
                continue
            lists = []
            for column in ("roles", "affiliations", "aliases"):
                merged: set[str] = set()
                for r in said:
                    merged.update(json.loads(r[column]))
                lists.append(json.dumps(sorted(merged), ensure_ascii=False))
            name = min((r["name"] for r in said), key=_name_order)
            conn.execute(
                "UPDATE actor_forms SET name = ?, country = ?, sector = ?, roles = ?, "
                "affiliations = ?, aliases = ? WHERE id = ?",
                (name, min((r["country"] for r in said if r["country"]), default=None),
                 min((r["sector"] for r in said if r["sector"]), default=None), *lists, form_id))
            self._write_keys(form_id, row["kind"], name, json.loads(lists[2]), row["country"])
            self._refresh(row["canonical_id"])
            reach.add(form_id)
        self.resolve(reach)

    def _reach(self, form_id: str, row: sqlite3.Row) -> set[str]:
        """Forms whose canonical actor may depend on this one."""
        if row["kind"] == ORGANISATION:
            return set().union(*self._organisation_reach(form_id))
        words = _words(row["name"])
        if row["kind"] == PERSON and len(words) > 1:
            return {form_id} | self._forms_with_keys([f"one:{words[0]}", f"one:{words[-1]}"])
        return {form_id}

    def _write_keys(self, form_id: str, kind: str, name: str, aliases: Iterable[str],
                    country: str | None) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO actor_form_keys (key, form_id) VALUES (?, ?)",
                              [(k, form_id) for k in _keys(kind, name, aliases, country)])

    def backfill(self) -> None:
        """Schema 11's migration: the look-up keys of the forms copied from ``actors``, then
        their canonical actors by today's rules."""
        forms = self.conn.execute(
            "SELECT id, kind, name, aliases, country FROM actor_forms").fetchall()
        for form_id, kind, name, aliases, country in forms:
            self._write_keys(form_id, kind, name, json.loads(aliases), country)
        self.resolve(f[0] for f in forms)

    # -- canonical actors -------------------------------------------------------------------------

    def resolve(self, form_ids: Iterable[str]) -> None:
        """Recompute the canonical actor of these forms and of the forms their names reach."""
        affected: set[str] = set()
        done: set[str] = set()
        for form_id in sorted(set(form_ids)):
            row = self._form(form_id)
            if row is None or form_id in done:
                continue
            kind, name = row["kind"], row["name"]
            if kind == ORGANISATION:
                for component in self._organisation_reach(form_id):
                    if component & done:
                        continue
                    target = self._organisation_name(component)
                    for member in sorted(component):
                        self._move(member, target)
                    done |= component
            elif kind == PERSON:
                affected.add(form_id)
                words = _words(name)
                if len(words) > 1:  # one-word names that may now mean this person
                    affected |= self._forms_with_keys([f"one:{words[0]}", f"one:{words[-1]}"])
            else:
                affected.add(form_id)
        for form_id in sorted(affected - done):
            target = self._canonical_of(form_id)
            if target is not None:
                self._move(form_id, target)

    def _organisation_name(self, component: set[str]) -> str:
        """The canonical id of an organisation: its country (one per component) and the
        longest of its names. Country-less forms ("CNPC" where the article says no more) are
        the organisation of the one country whose forms share a name with them, when there is
        exactly one such organisation; otherwise an organisation of their own."""
        members = sorted(component)
        rows = self.conn.execute(
            f"SELECT name, country FROM actor_forms WHERE id IN ({','.join('?' * len(members))})",
            members).fetchall()
        country = min((r[1] for r in rows if r[1]), default="")
        if not country:
            homes = {frozenset(self._organisation_component(f))
                     for f in self._forms_with_keys(self._name_keys(component, "orgname:"))
                     if self._country(f)}
            if len(homes) == 1:
                return self._organisation_name(set(next(iter(homes))))
        name = min((r[0] for r in rows), key=lambda n: (-len(n), n))
        return canonical_key(ORGANISATION, f"{country} {name}" if country else name)

    def _country(self, form_id: str) -> str | None:
        row = self.conn.execute("SELECT country FROM actor_forms WHERE id = ?",
                                (form_id,)).fetchone()
        return row[0] if row else None

    def _name_keys(self, forms: Iterable[str], prefix: str) -> list[str]:
        members = sorted(forms)
        return [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT key FROM actor_form_keys WHERE form_id IN "
            f"({','.join('?' * len(members))}) AND key LIKE ? || '%'", (*members, prefix))]

    def _organisation_reach(self, form_id: str) -> list[set[str]]:
        """The form's own component, and, when it has a country, the country-less components
        that share a name with it (they may now mean it, or no longer)."""
        component = self._organisation_component(form_id)
        found = [component]
        if any(self._country(f) for f in component):
            names = [k.split(":", 1)[1] for k in self._name_keys(component, "orgname:")]
            for other in sorted(self._forms_with_keys([f"org:-:{n}" for n in names])):
                if not any(other in c for c in found):
                    found.append(self._organisation_component(other))
        return found

    def _form(self, form_id: str) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM actor_forms WHERE id = ?", (form_id,)).fetchone()

    def _forms_with_keys(self, keys: list[str]) -> set[str]:
        marks = ",".join("?" * len(keys))
        return {r[0] for r in self.conn.execute(
            f"SELECT form_id FROM actor_form_keys WHERE key IN ({marks})", keys)}

    def _organisation_component(self, form_id: str) -> set[str]:
        """Organisation forms of the same country linked to this one by shared names or
        aliases."""
        seen = {form_id}
        frontier = [form_id]
        while frontier:
            keys = self._name_keys(frontier, "org:")
            frontier = [f for f in self._forms_with_keys(keys) if f not in seen] if keys else []
            seen.update(frontier)
        return seen

    def _canonical_of(self, form_id: str) -> str | None:
        row = self._form(form_id)
        if row is None:
            return None
        kind, name = row["kind"], row["name"]
        if kind == ORGANISATION:
            return self._organisation_name(self._organisation_component(form_id))
        if kind != PERSON:
            return form_id
        words = _words(name)
        if len(words) != 1:
            return canonical_key(PERSON, " ".join(words))
        fits = []
        for r in self.conn.execute(
                "SELECT f.name, f.country FROM actor_form_keys k JOIN actor_forms f "
                "ON f.id = k.form_id WHERE k.key = ? AND f.kind = 'person'", (f"tok:{words[0]}",)):
            if r[1] is None or row["country"] is None or r[1] == row["country"]:
                full = " ".join(_words(r[0]))
                fits.append((-len(full), canonical_key(PERSON, full)))
        return min(fits)[1] if fits else canonical_key(PERSON, words[0])

    def _move(self, form_id: str, canonical: str) -> None:
        """Point a form (and every row naming it) at ``canonical``."""
        conn = self.conn
        old = conn.execute("SELECT canonical_id FROM actor_forms WHERE id = ?",
                           (form_id,)).fetchone()[0]
        conn.execute("UPDATE actor_forms SET canonical_id = ? WHERE id = ?", (canonical, form_id))
        self._refresh(canonical)
        if old == canonical:
            return
        conn.execute("UPDATE actor_mentions SET actor_id = ? WHERE form_id = ?",
                     (canonical, form_id))
        conn.execute("UPDATE quotes SET actor_id = ? WHERE speaker_form_id = ?",
                     (canonical, form_id))
        events = [r[0] for r in conn.execute(
            "SELECT DISTINCT event_id FROM event_codes WHERE form_id = ?", (form_id,))]
        conn.execute("UPDATE event_codes SET actor_id = ? WHERE form_id = ?", (canonical, form_id))
        for event_id in events:
            rewrite_event_refs(conn, event_id)
        self._refresh(old)

    def _refresh(self, canonical: str) -> None:
        """The canonical actor's row from its forms (deleted when it has none left)."""
        conn = self.conn
        forms = conn.execute("SELECT * FROM actor_forms WHERE canonical_id = ? ORDER BY id",
                             (canonical,)).fetchall()
        if not forms:
            conn.execute("DELETE FROM actors WHERE id = ?", (canonical,))
            return
        name = min((f["name"] for f in forms), key=lambda n: (-len(n), n))
        kind = min(f["kind"] for f in forms)
        country = min((f["country"] for f in forms if f["country"]), default=None)
        sector = min((f["sector"] for f in forms if f["sector"]), default=None)
        lists = []
        for column in ("roles", "affiliations", "aliases"):
            merged: set[str] = set()
            for f in forms:
                merged.update(json.loads(f[column]))
            if column == "aliases":
                merged |= {f["name"] for f in forms} - {name}
            lists.append(json.dumps(sorted(merged), ensure_ascii=False))
        conn.execute(
            "INSERT INTO actors (id, name, kind, country, sector, roles, affiliations, aliases) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
            "kind = excluded.kind, country = excluded.country, sector = excluded.sector, "
            "roles = excluded.roles, affiliations = excluded.affiliations, "
            "aliases = excluded.aliases", (canonical, name, kind, country, sector, *lists))


def rewrite_event_refs(conn: sqlite3.Connection, event_id: str) -> None:
    """Set the ids in an event's actor and recipient lists from its ``event_codes`` rows (written
    in the lists' order), after a form moved to another canonical actor."""
    row = conn.execute("SELECT actors, recipients FROM events WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        return
    codes: dict[str, list[str | None]] = {"actor": [], "recipient": []}
    for role, actor_id in conn.execute(
            "SELECT role, actor_id FROM event_codes WHERE event_id = ? ORDER BY rowid", (event_id,)):
        codes[role].append(actor_id)
    lists = []
    for refs_json, role in ((row[0], "actor"), (row[1], "recipient")):
        refs = json.loads(refs_json)
        for ref, actor_id in zip(refs, codes[role], strict=False):
            if ref.get("id") is not None:
                ref["id"] = actor_id
        lists.append(json.dumps(refs, ensure_ascii=False))
    conn.execute("UPDATE events SET actors = ?, recipients = ? WHERE id = ?", (*lists, event_id))
