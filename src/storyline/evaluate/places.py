"""Score toponym recognition and resolution on geoparsing gold in the LGL XML format (as
redistributed with Gritta et al. 2019, "A Pragmatic Guide to Geoparsing Evaluation").

Each ``<article>`` has a ``<text>`` and ``<toponyms>``: ``<start>``, ``<end>`` (character offsets
into the text), ``<phrase>`` and a ``<gaztag>`` with the GeoNames point (``<lat>``, ``<lon>``).
The metrics are the guide's:

- recognition precision, recall and F1, a predicted toponym matching a gold one when their spans
  overlap (and, separately, when they are identical);
- for the gold toponyms that were recognised and have a point: accuracy within 161 km, the median
  error, and the AUC of the log error (mean of ln(error + 1) / ln(20039); 0 is perfect) — a
  recognised toponym resolved to no point counts as an error of 20,039 km (half the Earth's
  circumference).
"""

from __future__ import annotations

import math
import statistics
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from storyline.annotate.gazetteer import haversine_km
from storyline.errors import Msg, StorylineError
from storyline.evaluate.scoring import prf

WORST_KM = 20039.0


#: GeoWebNews types that are not toponyms (the guide's "expressions" and non-toponyms).
NOT_TOPONYMS = frozenset({"Non_Toponym", "Literal_Expression", "Non_Lit_Expression", "Language"})


def _point(node: ET.Element) -> tuple[float | None, float | None]:
    for lat_tag, lon_tag in (("gaztag/lat", "gaztag/lon"), ("lat", "lon"),
                             ("latitude", "longitude")):
        lat, lon = node.findtext(lat_tag), node.findtext(lon_tag)
        if lat and lon and lat.strip() and lon.strip():
            try:
                return float(lat), float(lon)
            except ValueError:
                return None, None
    return None, None


def read_articles(path: str | Path) -> list[dict[str, Any]]:
    """Articles and their gold toponyms from LGL/TR-News (``toponym`` with ``phrase`` and
    ``gaztag``), GeoVirus (``location`` with ``name``) or GeoWebNews (``toponym`` with
    ``extractedName`` and ``type``; expressions and non-toponyms are left out) XML."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise StorylineError(Msg.E111, detail=f"{path}: {exc}") from exc
    articles = []
    for index, node in enumerate(root.iter("article")):
        text = node.findtext("text") or ""
        gold = []
        for t in [*node.iter("toponym"), *node.iter("location")]:
            if (t.findtext("type") or "").strip() in NOT_TOPONYMS:
                continue
            try:
                start, end = int(t.findtext("start") or ""), int(t.findtext("end") or "")
            except ValueError:
                continue
            lat, lon = _point(t)
            phrase = t.findtext("phrase") or t.findtext("extractedName") or t.findtext("name") \
                or text[start:end]
            gold.append({"start": start, "end": end, "phrase": phrase, "lat": lat, "lon": lon})
        gold.sort(key=lambda g: (g["start"], g["end"]))
        ident = node.get("docid") or node.get("file") or node.findtext("source") or str(index)
        articles.append({"id": ident, "text": text, "toponyms": gold})
    if not articles:
        raise StorylineError(Msg.E111, detail=f"{path}: no <article> elements")
    return articles


def evaluate_places(path: str | Path, limit: int | None = None, split: str = "all",
                    examples: int = 300) -> dict[str, Any]:
    """Score the place layer on a geoparsing corpus. ``split``: ``dev`` or ``test`` keeps the
    articles whose id (else text) hashes even or odd, ``all`` keeps every one."""
    from storyline.annotate.nlp import load_nlp
    from storyline.annotate.places import resolve_places
    from storyline.evaluate.quad import split_of

    articles = read_articles(path)
    if split != "all":
        articles = [a for a in articles if split_of(a["id"] or a["text"]) == split]
    articles = articles[:limit]
    nlp = load_nlp()
    tp = fp = fn = exact = 0
    errors: list[float] = []
    unresolved = 0
    shown: list[dict[str, Any]] = []
    docs = nlp.pipe([a["text"] for a in articles], batch_size=16)
    for article, doc in zip(articles, docs, strict=True):
        predicted = resolve_places(doc)
        gold = article["toponyms"]
        matched: set[int] = set()
        for p in predicted:
            hit = next((i for i, g in enumerate(gold) if i not in matched
                        and g["start"] < p.end and p.start < g["end"]), None)
            if hit is None:
                fp += 1
                if len(shown) < examples:
                    shown.append({"extra": p.name, "kind": p.kind})
                continue
            matched.add(hit)
            tp += 1
            g = gold[hit]
            exact += (g["start"], g["end"]) == (p.start, p.end)
            if g["lat"] is None:
                continue
            if p.lat is None or p.lon is None:
                unresolved += 1
                errors.append(WORST_KM)
                continue
            km = haversine_km(g["lat"], g["lon"], p.lat, p.lon)
            errors.append(km)
            if km > 161 and len(shown) < examples:
                shown.append({"wrong": g["phrase"], "resolved": p.name, "kind": p.kind,
                                 "country": p.country, "km": round(km)})
        for i, g in enumerate(gold):
            if i not in matched:
                fn += 1
                if len(shown) < examples:
                    shown.append({"missed": g["phrase"]})
    recognition = prf(tp, fp, fn)
    return {
        "articles": len(articles),
        "split": split,
        "gold": tp + fn,
        "recognition": recognition,
        "recognition_exact": prf(exact, tp + fp - exact, tp + fn - exact),
        "resolved": len(errors),
        "no_point": unresolved,
        "acc_161": round(sum(e <= 161 for e in errors) / len(errors), 4) if errors else 0.0,
        "median_km": round(statistics.median(errors), 1) if errors else None,
        "auc": round(statistics.fmean(math.log(e + 1) / math.log(WORST_KM) for e in errors), 4)
        if errors else None,
        "examples": shown,
    }
