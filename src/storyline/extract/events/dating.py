"""The date and place of an event: the sentence's time expression that belongs to it (not one
inside another event's phrase), relational dates, else the article's date."""

from __future__ import annotations

from typing import Any

from storyline.annotate.nlp import span_at
from storyline.model import Mention, Place, TimeExpr

#: Time expressions that are no point in the calendar: durations ("five years"), recurrences
#: ("every week") and references ("now", "recently").
NOT_CALENDAR = frozenset({"duration", "set", "ref"})


def _in_other_clause(root: Any, tok: Any) -> bool:
    """Whether a time expression lies in a relative clause that does not hold the event
    ("dispatched after a spike in piracy off Somalia, which has had no government since
    1991": 1991 is the government's)."""
    for anc in root.ancestors:
        if anc.i == tok.i or anc.is_ancestor(tok):
            return False
        if anc.dep_ == "relcl" and anc.pos_ in ("VERB", "AUX"):
            return True  # (an "acl" may time the event's own object: "a ceremony set for May")
    return False


class DatingRules:
    def _date(self, sent: Any, tok: Any, timexes: list[TimeExpr],
              published: dict[str, Any] | None) -> dict[str, Any] | None:
        timexes = [t for t in timexes if t.granularity not in NOT_CALENDAR]
        inside = [t for t in timexes if sent.start_char <= t.start < sent.end_char and t.value]
        timexes = [t for t in timexes if not self._elsewhere(sent, tok, t)]
        inside = [t for t in inside if not self._elsewhere(sent, tok, t)]
        if not inside:
            pending = [t for t in timexes if sent.start_char <= t.start < sent.end_char
                       and t.relative and not published]
            if pending:  # "on Tuesday" in an undated article: resolved later from its story
                t = min(pending, key=lambda t: abs(t.start - tok.idx))
                return {"value": None, "relative": t.relative, "granularity": t.granularity,
                        "method": "sentence"}
            return dict(published) if published else None
        related = self._relative_to(tok, inside)
        if related is not None:
            return related
        # a date inside another event's phrase is that event's ("ahead of the king's visit to
        # the fair, and of the mayor's stay at the expo in October": October is the mayor's)
        others = [o for o in sent if o.i != tok.i and not o.is_ancestor(tok) and self._is_trigger(o)]
        own = []
        for t in inside:
            span = span_at(sent.doc, t.start, t.end)
            if span is None or not any(o.is_ancestor(span.root) or o.i == span.root.i
                                       for o in others):
                own.append(t)
        if not own and published:
            return dict(published)
        t = min(own or inside, key=lambda t: abs(t.start - tok.idx))
        if t.method == "inferred":  # the year comes from the text's latest year, not the date
            original = "/".join(f"XXXX{p[4:]}" for p in str(t.value).split("/"))
            return {"value": t.value, "granularity": t.granularity, "method": "inferred",
                    "original": original}
        return {"value": t.value, "granularity": t.granularity, "method": "sentence"}

    @staticmethod
    def _elsewhere(sent: Any, tok: Any, t: TimeExpr) -> bool:
        """A time expression of the sentence in a relative clause that does not hold the event."""
        if not sent.start_char <= t.start < sent.end_char:
            return False
        span = span_at(sent.doc, t.start, t.end)
        return span is not None and _in_other_clause(span.root, tok)

    @staticmethod
    def _relative_to(tok: Any, inside: list[TimeExpr]) -> dict[str, Any] | None:
        """"on Friday, two days before her tour": the tour is two days after that Friday."""
        import datetime as dt

        prep = tok.head
        if tok.dep_ != "pobj" or prep.lower_ not in ("before", "after"):
            return None
        units = {"day": 1, "days": 1, "week": 7, "weeks": 7}
        unit = prep.head if prep.head.lower_ in units else next(
            (c for c in prep.children if c.dep_ == "npadvmod" and c.lower_ in units), None)
        if unit is None:
            return None  # "two days before her tour": the unit may hang on either side
        days = units[unit.lower_]
        count = next((c for c in unit.children if c.dep_ in ("nummod", "det")), None)
        words = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
        n = words.get(count.lower_) if count is not None else None
        if n is None and count is not None and count.like_num and count.text.isdigit():
            n = int(count.text)
        if n is None:
            return None
        span_start = unit.left_edge.idx
        anchors = [t for t in inside if t.granularity == "day" and len(str(t.value)) == 10
                   and not span_start <= t.start <= tok.idx]
        if not anchors:
            return None
        anchor = min(anchors, key=lambda t: abs(t.start - span_start))
        try:
            base = dt.date.fromisoformat(str(anchor.value))
        except ValueError:
            return None
        shift = dt.timedelta(days=n * days)
        value = base + shift if prep.lower_ == "before" else base - shift
        return {"value": value.isoformat(), "granularity": "day", "method": "sentence"}

    def _place(self, sent: Any, tok: Any, places: list[Place],
               mentions: list[Mention] = ()) -> dict[str, Any] | None:  # type: ignore[assignment]
        """Where the event happened: a place the trigger's clause names after a locative word
        ("clashed with police in Suwon"), else the sentence's finest located place, else the
        article's (its dateline, else the place it names most). Places named only as attributes
        ("Russian", "the Texas Department of Health") are never an event's place, nor is a
        name that stands for an actor ("Uganda condemned the arrests") unless a locative word
        says it is where ("in Uganda")."""
        acting = [(m.start, m.end) for m in mentions if m.actor is not None]
        here = [p for p in places if sent.start_char <= p.start < sent.end_char
                and not p.associative]
        located = [p for p in here if p.lat is not None]
        clause = {t.idx for t in tok.subtree} | {t.idx for t in tok.head.subtree} \
            if tok.dep_ in ("amod", "compound", "nmod") else {t.idx for t in tok.subtree}
        doc = sent.doc
        for p in located:
            first = span_at(doc, p.start, p.end)
            if first is None or first.start == 0:
                continue
            before = doc[first.start - 1]
            if before.idx in clause and before.lower_ in LOCATIVE_WORDS:
                return _place_ref(p, "sentence")
        located = [p for p in located if not any(a < p.end and p.start < b for a, b in acting)
                   or _after_locative(doc, p)]
        finer = [p for p in located if p.kind not in ("country", "continent")]
        if finer:
            return _place_ref(finer[0], "sentence")
        if located:
            return _place_ref(located[0], "sentence")
        whole = [p for p in places if not p.associative and p.lat is not None]
        if not whole:
            return None
        counts: dict[tuple[str, Any], int] = {}
        for p in whole:
            counts[(p.name.lower(), p.geonameid)] = counts.get((p.name.lower(), p.geonameid), 0) + 1
        lead = whole[0] if whole[0].start < 80 else max(
            whole, key=lambda p: (counts[(p.name.lower(), p.geonameid)],
                                  p.kind not in ("country", "continent"), -p.start))
        return _place_ref(lead, "article")


def _after_locative(doc: Any, p: Place) -> bool:
    first = span_at(doc, p.start, p.end)
    return first is not None and first.start > 0 and doc[first.start - 1].lower_ in LOCATIVE_WORDS


LOCATIVE_WORDS = frozenset({"in", "at", "near", "outside", "inside", "across", "around",
                            "throughout", "off", "along", "within", "from", "on"})


def _place_ref(p: Place, method: str) -> dict[str, Any]:
    return {"name": p.name, "geonameid": p.geonameid, "country": p.country, "admin1": p.admin1,
            "lat": p.lat, "lon": p.lon, "kind": p.kind, "method": method}
