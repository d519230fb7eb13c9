"""Quantities: numbers with their unit, scale, range, qualifier, what they measure and the year
they refer to ("more than 2,500 km", "$350-$380 per 1,000 cubic metres", "240 billion USD in
2023", "63%", "16 warships").

Recognition is a regular grammar over the text built from the lexicon in ``data/units.yaml``;
what a number measures comes from the parse (the counted noun, or the noun phrase the figure
belongs to).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from storyline.annotate.nlp import span_at


@dataclass
class QuantitySpan:
    text: str
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str | None
    normalized_value: float
    normalized_unit: str | None
    qualifier: str | None
    measures: str | None
    year: int | None


def _alts(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _grammar() -> dict[str, Any]:
    data = yaml.safe_load(resources.files("storyline.data").joinpath("units.yaml")
                          .read_text("utf-8"))
    unit_of: dict[str, str] = {}
    for unit, forms in data["units"].items():
        for form in forms:
            unit_of[str(form).lower()] = unit
    symbols = data["currencies"]["symbols"]
    words = data["currencies"]["words"]
    number = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    word_number = _alts(data["number_words"])
    scale = _alts(data["scales"])
    qualifier = _alts(data["qualifiers"])
    symbol = _alts(symbols)
    unit_alts = _alts(unit_of)
    currency_words = _alts(words)
    amount = (rf"(?P<sym>{symbol})?\s?(?P<num>{number}|(?i:{word_number}))"
              rf"(?:\s?-?(?P<scale>(?i:{scale}))\b)?")
    upper = (rf"(?:\s?(?:-|–|to|and)\s?(?:{symbol})?\s?(?P<num2>{number})"
             rf"(?:\s?-?(?P<scale2>(?i:{scale}))\b)?)?")
    tail = (rf"(?:\s?(?P<unit>(?i:{unit_alts}))(?![\w])|\s(?P<cword>(?i:{currency_words}))\b)?"
            rf"(?P<per>\s(?i:per|a)\s(?:{number}\s)?(?i:{unit_alts}|[a-z]+))?")
    pattern = re.compile(
        rf"(?<![\w.,$€£¥])(?:(?P<qual>(?i:{qualifier}))\s)?{amount}{upper}{tail}(?![\w])")
    return {"pattern": pattern, "unit_of": unit_of, "symbols": symbols, "words": words,
            "scales": {k.lower(): float(v) for k, v in data["scales"].items()},
            "number_words": data["number_words"], "conversions": data["conversions"]}


def _to_float(text: str, grammar: dict[str, Any]) -> float:
    low = text.lower()
    if low in grammar["number_words"]:
        return float(grammar["number_words"][low])
    return float(text.replace(",", ""))


def quantity_id(article_id: str, start: int, end: int) -> str:
    return hashlib.sha1(f"q:{article_id}:{start}:{end}".encode()).hexdigest()[:16]


OnError = Callable[[int, BaseException], None]


def find_quantities(text: str, doc: Any = None,
                    exclude: list[tuple[int, int]] = (),  # type: ignore[assignment]
                    on_error: OnError | None = None) -> list[QuantitySpan]:
    """Every quantity in ``text``; spans in ``exclude`` (time expressions) are dates, not figures.

    With ``on_error(char_offset, exc)``, a figure that raises is reported and skipped instead of
    failing the article."""
    g = _grammar()
    found: list[QuantitySpan] = []
    for m in g["pattern"].finditer(text):
        try:
            quantity = _quantity(m, text, doc, exclude, g)
        except Exception as exc:  # noqa: BLE001 - one figure, not the article
            if on_error is None:
                raise
            on_error(m.start(), exc)
            continue
        if quantity is not None:
            found.append(quantity)
    return found


def _quantity(m: re.Match[str], text: str, doc: Any, exclude: list[tuple[int, int]],
              g: dict[str, Any]) -> QuantitySpan | None:
    """The figure of one match of the grammar, or None when it is not one."""
    groups = m.groupdict()
    num = groups["num"]
    if any(s < m.end() and m.start() < e for s, e in exclude):
        return None
    before = text[max(0, m.start() - 12):m.start()]
    if not num[0].isdigit() and re.search(r"\b(?:the|these|those|its|their|our|all)\s$",
                                          before, re.IGNORECASE):
        return None  # "the two countries": a reference, not a figure
    if num[0].isdigit() and re.search(r"[A-Z][a-z]+\s$", before) and not groups["qual"] \
            and not re.search(r"\b(?:[Ii]n|[Oo]f|[Bb]y|[Tt]o|[Oo]n|[Aa]t|[Ff]rom)\s$", before):
        return None  # a name with a number: "Power of Siberia 2"
    is_word = not num[0].isdigit()
    unit = None
    currency = g["symbols"].get(groups["sym"] or "") or g["words"].get(
        (groups["cword"] or "").lower())
    if groups["unit"]:
        unit = g["unit_of"].get(groups["unit"].lower())
    if currency:
        unit = currency
    year_like = re.fullmatch(r"(?:1[89]|20)\d\d", num) and not (unit or groups["scale"])
    if year_like:
        return None  # a year, not a quantity (time expressions handle those)
    start, end = m.start(), m.end()
    measures = _counted_noun(text, end, doc) if not unit else None
    if is_word and not (unit or measures or groups["scale"]):
        return None  # "one of the few powers": a word, not a figure
    if not (unit or measures or groups["scale"] or groups["qual"]):
        if not doc:
            return None
    value = _to_float(num, g)
    scale = g["scales"].get((groups["scale"] or "").lower(), 1.0)
    value_max = None
    if groups["num2"]:
        scale2 = g["scales"].get((groups["scale2"] or "").lower(), scale)
        value_max = _to_float(groups["num2"], g)
        if not groups["scale"] and groups["scale2"]:
            scale = scale2
        value_max_norm = value_max * scale2
    else:
        value_max_norm = None
    normalized = value * scale
    norm_unit = unit
    if unit in g["conversions"]:
        norm_unit, factor = g["conversions"][unit]
        normalized *= float(factor)
        if value_max_norm is not None:
            value_max_norm *= float(factor)
    per = (groups["per"] or "").strip()
    if per and unit:
        norm_unit = f"{norm_unit} {per}"
        unit = f"{unit} {per}"
    if measures is None and doc is not None:
        measures = _measured_phrase(doc, start, end)
    if not (unit or measures or groups["scale"]):
        return None
    if measures and not unit:  # a count: the span takes in the counted noun
        tail_at = text.find(measures.split()[-1], end)
        if 0 <= tail_at - end < 40:
            end = tail_at + len(measures.split()[-1])
            end += 1 if text[end:end + 1] in ("”", '"', "’") else 0
    return QuantitySpan(
        text[start:end].strip(), start, end, value, value_max, unit, normalized, norm_unit,
        groups["qual"].lower() if groups["qual"] else None, measures, _year_near(text, end))


_COUNTED = re.compile(r"^\s*(?:[“\"‘']?)((?:[a-z][\w-]*\s){0,2}[a-z][\w-]+)")
_NOT_COUNTED = frozenset({"of", "and", "or", "to", "in", "on", "at", "the", "a", "times", "per",
                          "percent", "years", "year", "months", "month", "days", "day", "was",
                          "were", "is", "are", "has", "have", "had", "will", "would"})


def _counted_noun(text: str, end: int, doc: Any) -> str | None:
    """The noun a bare number counts: '16 warships', 'eight “strategic projects”'."""
    if doc is not None:
        span = span_at(doc, end, min(len(text), end + 60))
        if span is not None:
            words = []
            for tok in span:
                if tok.is_punct and tok.text in ("“", "\"", "‘", "'", "”", "’"):
                    continue
                if tok.pos_ in ("ADJ", "NOUN", "PROPN") and not tok.is_stop:
                    words.append(tok)
                    if tok.pos_ == "NOUN" and (tok.i + 1 >= len(doc) or doc[tok.i + 1].pos_
                                               != "NOUN"):
                        break
                    continue
                break
            if words and words[-1].pos_ == "NOUN":
                return " ".join(t.text for t in words)
        return None
    m = _COUNTED.match(text[end:end + 40])
    if not m:
        return None
    words = m.group(1).split()
    return None if words[0] in _NOT_COUNTED else " ".join(words)


def _measured_phrase(doc: Any, start: int, end: int) -> str | None:
    """For a figure with a unit: the noun phrase it is about ('trade', 'gas exports')."""
    span = span_at(doc, start, end)
    if span is None:
        return None
    tok = span.root
    for _ in range(4):
        head = tok.head
        if head.i == tok.i:
            break
        if head.pos_ == "NOUN" and not (span.start <= head.i < span.end):
            return head.text
        if head.pos_ == "VERB":
            subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                sub = subj[0]
                if sub.pos_ in ("NOUN", "PROPN"):
                    return " ".join(t.text for t in doc[sub.left_edge.i:sub.i + 1]
                                    if not t.is_stop or t.i == sub.i)
            break
        tok = head
    return None


def _year_near(text: str, end: int) -> int | None:
    m = re.match(r"[^.;]{0,25}?\b(?:in|for|by|during)\s+((?:19|20)\d\d)\b", text[end:end + 40])
    return int(m.group(1)) if m else None
