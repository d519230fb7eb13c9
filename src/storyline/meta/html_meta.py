"""Article metadata from an HTML page: title, site name, canonical URL, publication date, captions.

Reads the tags publishers fill for search engines and social cards (Open Graph, Twitter cards,
Dublin Core, schema.org JSON-LD, ``<time>``) and image captions (``<figcaption>``, or elements with
a caption class). It scans the page source with a few regular expressions instead of building a
second tree, so trafilatura's own parse stays the only one; htmldate's quick mode is the fallback
for the date.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import json
import re
from typing import Any

from storyline.meta.dates import date_from_url, full_dates

_DATE_META = (
    "article:published_time", "og:published_time", "article:published", "datepublished",
    "date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date",
    "dc.date.issued", "dcterms.created", "dcterms.issued", "sailthru.date", "parsely-pub-date",
    "cxenseparse:recs:publishtime", "originalpublicationdate", "article.published",
    "datecreated", "og:article:published_time",
)
_FLAGS = re.IGNORECASE | re.DOTALL
_META = re.compile(r"<meta\s[^>]*>", _FLAGS)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", _FLAGS)
_LINK = re.compile(r"<link\s[^>]*>", _FLAGS)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", _FLAGS)
_LD = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", _FLAGS)
_TIME = re.compile(r"<time\s[^>]*>", _FLAGS)
_FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", _FLAGS)
# One regex per tag: a literal "<p" or "<div" prefix makes the scan several times faster.
_CLASS_CAPTIONS = tuple(
    re.compile(rf"<{tag}\s[^>]*class\s*=\s*[\"'][^\"']*caption[^\"']*[\"'][^>]*>(.*?)</{tag}>", _FLAGS)
    for tag in ("p", "div")
)
_TAGS = re.compile(r"<[^>]+>")
_TITLE_SPLIT = re.compile(r"\s+[|–—•·»-]\s+")


def _attrs(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): html_lib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(tag)}


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(_TAGS.sub(" ", fragment)).split())


def _metas(page: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in _META.findall(page):
        attrs = _attrs(tag)
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        value = attrs.get("content", "").strip()
        if key and value and key not in found:
            found[key] = value
    return found


def _json_ld(page: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if "ld+json" not in page:
        return items
    for body in _LD.findall(page):
        try:
            data = json.loads(body)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                items.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return items


_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_UTC_MORNING = re.compile(
    r"((?:19|20)\d\d-\d\d-\d\d)[T ](0\d|1[01]):\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]00:?00)?")
_CODE = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", _FLAGS)


def local_day(date: str, page: str, url: str | None) -> str:
    """The publisher's own day for a timestamp written in UTC (or without an offset) before noon:
    in the Americas that is often still the day before. The day before is taken only when the URL
    or the first date the page shows its readers says so; otherwise the timestamp stands."""
    found = _UTC_MORNING.fullmatch(date.strip())
    if not found:
        return date
    day = dt.date.fromisoformat(found.group(1))
    before = (day - dt.timedelta(days=1)).isoformat()
    in_url = date_from_url(url)
    if in_url is not None and in_url.granularity == "day":
        return before if in_url.value == before else date
    end = _HEAD_END.search(page)
    body = page[end.end() if end else 0:][:2_000_000]
    visible = " ".join(html_lib.unescape(_TAGS.sub(" ", _CODE.sub(" ", body))).split())
    for value in full_dates(visible):
        if value.value in (day.isoformat(), before):
            return value.value
    return date


def html_metadata(page: str, page_url: str | None = None) -> dict[str, Any]:
    """``{"title", "sitename", "url", "date", "date_guess", "captions"}`` of an HTML page."""
    end = _HEAD_END.search(page)
    head = page[:end.end()] if end else page
    metas = _metas(head)
    if end and not any(metas.get(k) for k in _DATE_META):
        for key, value in _metas(page[end.end():]).items():  # schema.org microdata in the body
            metas.setdefault(key, value)
    sitename = metas.get("og:site_name") or metas.get("application-name")
    date = next((metas[k] for k in _DATE_META if metas.get(k)), None)
    for item in _json_ld(page):
        if not date and isinstance(item.get("datePublished"), str):
            date = item["datePublished"]
        publisher = item.get("publisher")
        if not sitename and isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            sitename = publisher["name"]
    if not date and "<time" in page:
        for tag in _TIME.findall(page):
            attrs = _attrs(tag)
            if attrs.get("datetime") and ("pubdate" in attrs or "publish" in attrs.get("class", "")):
                date = attrs["datetime"]
                break
    url = None
    for tag in _LINK.findall(head):
        attrs = _attrs(tag)
        if attrs.get("rel", "").lower() == "canonical" and attrs.get("href"):
            url = attrs["href"]
            break
    url = url or metas.get("og:url")
    if date:
        date = local_day(date, page, url or page_url)
    date_guess = None
    if not date and not date_from_url(url or page_url):  # a dated URL needs no guessing
        from htmldate import find_date

        date_guess = find_date(page, extensive_search=False, original_date=True)
    title = metas.get("og:title") or metas.get("twitter:title")
    if not title:
        found = _TITLE.search(head)
        raw = _text(found.group(1)) if found else ""
        parts = _TITLE_SPLIT.split(raw)
        if len(parts) > 1 and len(parts[0].split()) >= 3:
            raw = parts[0]
            sitename = sitename or (parts[-1] if len(parts[-1].split()) <= 5 else None)
        title = raw or None
    # Substring checks first: each regex scan of a large page costs more than all of them.
    fragments = _FIGCAPTION.findall(page) if "<figcaption" in page else []
    if not fragments and "caption" in page:
        fragments = [f for pattern in _CLASS_CAPTIONS for f in pattern.findall(page)]
    captions: list[str] = []
    for fragment in fragments:
        text = _text(fragment)
        if text and len(text) <= 400 and text not in captions:
            captions.append(text)
    return {"title": title, "sitename": sitename, "url": url, "date": date,
            "date_guess": date_guess, "captions": captions}
