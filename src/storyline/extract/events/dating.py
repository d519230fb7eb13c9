"""The date and place of an event: the sentence's time expression that belongs to it (not one
inside another event's phrase), relational dates, else the article's date."""

from __future__ import annotations

from typing import Any

from storyline.annotate.nlp import span_at
from storyline.model import Place, TimeExpr


class DatingRules:
    def _date(self, sent: Any, tok: Any, timexes: list[TimeExpr],
              published: dict[str, Any] | None) -> dict[str, Any] | None:
        inside = [t for t in timexes if sent.start_char <= t.start < sent.end_char and t.value]
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
        return {"value": t.value, "granularity": t.granularity, "method": "sentence"}

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

    def _place(self, sent: Any, places: list[Place]) -> dict[str, Any] | None:
        for p in places:
            if sent.start_char <= p.start < sent.end_char and p.kind != "country":
                return {"name": p.name, "geonameid": p.geonameid, "country": p.country,
                        "lat": p.lat, "lon": p.lon}
        return None
