"""Quantities: numbers with their unit, scale, range, qualifier, what they measure and the year
they refer to ("more than 2,500 km", "$350-$380 per 1,000 cubic metres", "240 billion USD in
2023", "63%", "16 warships").

Recognition is a regular grammar over the text built from the lexicon in ``data/units.yaml``;
what a number measures comes from the parse (the counted noun, or the noun phrase the figure
belongs to). Digits that are not figures are blanked out first (``not_figures``: clock times,
numeric dates, addresses, phone numbers, scores, list numbers) or refused by what precedes them
(``not_figures_after``: model names such as "AK-47", labels such as "No. 1"). Thousands and
decimals are read as the text writes them ("10,000", "10.000" beside decimal commas, "10 000"),
including text tokenised with spaces ("10, 000", "6. 6").
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


# Thousands separators and decimal marks. "en": 10,000 / 10, 000 (text tokenised with spaces) /
# 10 000 / 1.000.000, decimals 6.6 or "6. 6" (tokenised: at most three decimals, so that
# "article - 1. 1286981" in an address is not a decimal); "eu": 10.000 / 10 000 / 10'000,
# decimals 6,6. A plain space groups thousands ("10 000") only in a text that groups them with
# nothing else (elsewhere "400 737 jets" are two numbers), and never before a percent sign.
_THIN = "\u00a0\u202f\u2009'"
_SPACED = r"\d{1,3}(?: \d{3})+(?![\d.,%])|"  # not "74 100%": no percentage runs into thousands
_NUMBER = {
    "en": r"(?:\d{1,3}(?:,\s?\d{3})+(?!\d)|\d{1,3}(?:\.\d{3}){2,}(?![\d,])"
          r"|\d{1,3}(?:[{thin}]\d{3})+(?![\d.,])|{spaced}\d+)(?:\.\d+|\.\s\d{1,3}(?!\d))?",
    "eu": r"(?:\d{1,3}(?:[.{thin}]\d{3})+(?![\d.])|{spaced}\d+)(?:,\d+|\.\d{1,2}(?!\d))?",
}
# Evidence of a locale writing a decimal comma and thousands dots (2,5 / 1.500.000 / 1.500,75)
# against one writing a decimal point and thousands commas (2.5 / 1,500,000 / 1,500.75).
_EU_EVIDENCE = re.compile(r"\d(?<![\d.,]\d)\d{0,2}(?:\.\d{3})+,\d|\d(?<![\d.,]\d)\d*,\d{1,2}(?![\d,])"
                          r"|\d\.\d{3}\.\d{3}(?![\d,])")
_EN_EVIDENCE = re.compile(r"\d(?<![\d.,]\d)\d{0,2}(?:,\d{3})+\.\d|\d(?<![\d.,]\d)\d*\.\d{1,2}(?![\d.])"
                          r"|\d,\d{3},\d{3}(?![\d.])")
_OTHER_GROUPING = re.compile(r"\d[,.]\s?\d{3}(?!\d)")
_MASK = "\x00"  # stands in for the characters of a span that holds no figure (offsets kept)


def decimal_locale(text: str) -> str:
    """``"eu"`` when the text writes decimal commas and thousands dots, else ``"en"``."""
    eu = len(_EU_EVIDENCE.findall(text))
    return "eu" if eu and eu > len(_EN_EVIDENCE.findall(text)) else "en"


def _space_grouping(text: str) -> bool:
    """Whether a plain space may group thousands: the text groups them with no comma or dot."""
    return _OTHER_GROUPING.search(text) is None


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    return yaml.safe_load(resources.files("storyline.data").joinpath("units.yaml")
                          .read_text("utf-8"))


@lru_cache(maxsize=4)
def _grammar(locale: str = "en", spaces: bool = False) -> dict[str, Any]:
    data = _lexicon()
    unit_of: dict[str, str] = {}
    for unit, forms in data["units"].items():
        for form in forms:
            unit_of[str(form).lower()] = unit
    symbols = data["currencies"]["symbols"]
    words = data["currencies"]["words"]
    number = _NUMBER[locale].replace("{thin}", _THIN).replace("{spaced}",
                                                               _SPACED if spaces else "")
    word_number = _alts(data["number_words"])
    scale = _alts(data["scales"])
    qualifier = _alts(data["qualifiers"])
    symbol = _alts(symbols)
    unit_alts = _alts(unit_of)
    currency_words = _alts(words)
    amount = (rf"(?P<sym>{symbol})?\s?(?P<num>{number}|(?i:{word_number}))"
              rf"(?:\s?-?(?P<scale>(?i:{scale}))\b)?")
    upper = (rf"(?:\s?(?P<to>-|–|to|and)\s?(?:{symbol})?\s?(?P<num2>{number})"
             rf"(?:\s?-?(?P<scale2>(?i:{scale}))\b)?)?")
    tail = (rf"(?:\s?(?P<unit>(?i:{unit_alts}))(?![\w])|\s(?P<cword>(?i:{currency_words}))\b)?"
            rf"(?P<per>\s(?i:per|a)\s(?:{number}\s)?(?i:{unit_alts}|[a-z]+))?")
    pattern = re.compile(
        rf"(?<![\w.,$€£¥{_MASK}])(?:(?P<qual>(?i:{qualifier}))\s)?{amount}{upper}{tail}(?![\w])")
    return {"pattern": pattern, "unit_of": unit_of, "symbols": symbols, "words": words,
            "scales": {k.lower(): float(v) for k, v in data["scales"].items()},
            "number_words": data["number_words"], "conversions": data["conversions"],
            "locale": locale}


def _filled(pattern: str, data: dict[str, Any]) -> str:
    for name in ("identifier_words", "score_words", "score_verbs", "zones"):
        pattern = pattern.replace("{" + name + "}", _alts(data[name]))
    return pattern


@lru_cache(maxsize=1)
def _not_figures() -> list[re.Pattern[str]]:
    """The patterns of ``not_figures`` (clock times, dates, addresses, scores, list numbers), one
    each: apart, each keeps the regex engine's quick scan for its first character."""
    data = _lexicon()
    return [re.compile(_filled(pat, data)) for patterns in data["not_figures"].values()
            for pat in patterns]


@lru_cache(maxsize=1)
def _not_figures_after() -> dict[str, re.Pattern[str]]:
    """The patterns of ``not_figures_after``: what before a number makes it a name or a label."""
    data = _lexicon()
    return {name: re.compile(_filled(pat, data))
            for name, pat in data["not_figures_after"].items()}


def not_figure_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` whose digits are not figures: "3 p. m.", "15/09/2013", "AK-47"."""
    return [m.span() for pattern in _not_figures() for m in pattern.finditer(text)
            if m.end() > m.start()]


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            if not chars[i].isspace():
                chars[i] = _MASK
    return "".join(chars)


def _to_float(text: str, grammar: dict[str, Any]) -> float:
    low = text.lower()
    if low in grammar["number_words"]:
        return float(grammar["number_words"][low])
    digits = re.sub(r"[\s\u00a0\u202f\u2009']", "", text)
    if grammar["locale"] == "eu":
        if "," in digits or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
            digits = digits.replace(".", "").replace(",", ".")
        return float(digits)
    if digits.count(".") > 1:  # 1.000.000
        digits = digits.replace(".", "")
    return float(digits.replace(",", ""))


def quantity_id(article_id: str, start: int, end: int) -> str:
    return hashlib.sha1(f"q:{article_id}:{start}:{end}".encode()).hexdigest()[:16]


OnError = Callable[[int, BaseException], None]


def find_quantities(text: str, doc: Any = None,
                    exclude: list[tuple[int, int]] = (),  # type: ignore[assignment]
                    on_error: OnError | None = None,
                    locale: str | None = None) -> list[QuantitySpan]:
    """Every quantity in ``text``; spans in ``exclude`` (time expressions) are dates, not figures,
    and so are clock times, numeric dates, addresses, model names, scores and list numbers
    (``not_figures`` in ``data/units.yaml``). ``locale`` ("en" or "eu") says how the text writes
    thousands and decimals; by default the text decides (:func:`decimal_locale`).

    With ``on_error(char_offset, exc)``, a figure that raises is reported and skipped instead of
    failing the article."""
    g = _grammar(locale or decimal_locale(text), _space_grouping(text))
    masked = _masked(text, [*exclude, *not_figure_spans(text)])
    found: list[QuantitySpan] = []
    for m in g["pattern"].finditer(masked):
        try:
            quantity = _quantity(m, text, masked, doc, g)
        except Exception as exc:  # noqa: BLE001 - one figure, not the article
            if on_error is None:
                raise
            on_error(m.start(), exc)
            continue
        if quantity is not None:
            found.append(quantity)
    return found


def _quantity(m: re.Match[str], text: str, masked: str, doc: Any,
              g: dict[str, Any]) -> QuantitySpan | None:
    """The figure of one match of the grammar over ``masked`` (``text`` with the spans that are
    not figures blanked out), or None when it is not one."""
    groups = m.groupdict()
    num = groups["num"]
    before = masked[max(0, m.start() - 12):m.start()]
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
    start += len(m.group()) - len(m.group().lstrip())  # "$ 5" may open with a space
    value = _to_float(num, g)
    after = _not_figures_after()
    label = text[max(0, start - 40):start]
    if not unit and not is_word and (after["model"].search(label)
                                     or after["identifier"].search(label)):
        return None  # "AK-47 rifles", "USB 3.0", "flight 370", "No. 1": a name, not a figure
    if groups["num2"] and groups["to"] in ("-", "–") and not (
            unit or groups["scale"] or groups["scale2"]) and (
            _to_float(groups["num2"], g) <= value or after["score"].search(label)):
        return None  # "24-20", "13 - 13", "lost 1-3": a score or a record (ranges go up)
    measures = _counted_noun(text, end, doc) if not unit else None
    if is_word and not (unit or measures or groups["scale"]):
        return None  # "one of the few powers": a word, not a figure
    if not (unit or measures or groups["scale"] or groups["qual"]):
        if not doc:
            return None
    scale = g["scales"].get((groups["scale"] or "").lower(), 1.0)
    value_max = None
    if groups["num2"]:
        scale2 = g["scales"].get((groups["scale2"] or "").lower(), scale)
        value_max = _to_float(groups["num2"], g)
        if not groups["scale"] and groups["scale2"] and value <= value_max:
            scale = scale2  # "$350-$380 million"; not "$888,600 to $1.4 million"
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
        if 0 <= tail_at - end < 40 and _MASK in masked[end:tail_at]:
            return None  # "from 7 to 75 years": the count runs into a time expression
        if 0 <= tail_at - end < 40 and not _SENTENCE_BREAK.search(text, end, tail_at):
            end = tail_at + len(measures.split()[-1])
            end += 1 if text[end:end + 1] in ("”", '"', "’") else 0
    return QuantitySpan(
        text[start:end].strip(), start, end, value, value_max, unit, normalized, norm_unit,
        groups["qual"].lower() if groups["qual"] else None, measures, _year_near(text, end))


_SENTENCE_BREAK = re.compile(r"[.!?;:]\s|\n")
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
