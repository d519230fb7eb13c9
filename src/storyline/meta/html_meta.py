"""Article metadata from an HTML page's head: title, site name, canonical URL, publication date.

Reads the tags publishers fill for search engines and social cards (Open Graph, Twitter cards,
Dublin Core, schema.org JSON-LD, ``<time>``); falls back to htmldate's quick mode for the date.
This is much cheaper than a full metadata pass and keeps the HTML stage near trafilatura's speed.
"""

from __future__ import annotations

import json
import re
from typing import Any

_DATE_META = (
    "article:published_time", "og:published_time", "article:published", "datepublished",
    "date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date",
    "dc.date.issued", "dcterms.created", "dcterms.issued", "sailthru.date", "parsely-pub-date",
    "cxenseparse:recs:publishtime", "originalpublicationdate", "article.published",
    "datecreated", "og:article:published_time",
)
_CAPTION_CLASS = "//*[contains(@class, 'caption') and not(.//figcaption)]"
_TITLE_SPLIT = re.compile(r"\s+[|–—•·»-]\s+")


def _metas(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        value = (node.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    return found


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for node in tree.iter("script"):
        if (node.get("type") or "").lower() != "application/ld+json" or not node.text:
            continue
        try:
            data = json.loads(node.text)
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


def html_metadata(tree: Any) -> dict[str, Any]:
    """``{"title", "sitename", "url", "date", "captions"}`` from a parsed page (lxml tree)."""
    metas = _metas(tree)
    ld = _json_ld(tree)
    sitename = metas.get("og:site_name") or metas.get("application-name")
    date = next((metas[k] for k in _DATE_META if metas.get(k)), None)
    for item in ld:
        if not date and isinstance(item.get("datePublished"), str):
            date = item["datePublished"]
        publisher = item.get("publisher")
        if not sitename and isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            sitename = publisher["name"]
    if not date:
        for node in tree.iter("time"):
            if node.get("datetime") and (node.get("pubdate") is not None
                                         or "publish" in (node.get("class") or "")):
                date = node.get("datetime")
                break
    date_guess = None
    if not date:
        from htmldate import find_date

        date_guess = find_date(tree, extensive_search=False, original_date=True)
    title = metas.get("og:title") or metas.get("twitter:title")
    if not title:
        node = tree.find(".//title")
        raw = (node.text_content() if node is not None else "").strip()
        parts = _TITLE_SPLIT.split(raw)
        if len(parts) > 1 and len(parts[0].split()) >= 3:
            raw = parts[0]
            sitename = sitename or (parts[-1] if len(parts[-1].split()) <= 5 else None)
        title = raw or None
    url = None
    for node in tree.iter("link"):
        if (node.get("rel") or "").lower() == "canonical" and node.get("href"):
            url = node.get("href")
            break
    url = url or metas.get("og:url")
    captions: list[str] = []
    for node in (*tree.iter("figcaption"), *tree.xpath(_CAPTION_CLASS)):
        text = " ".join(node.text_content().split())
        if text and len(text) <= 400 and text not in captions:
            captions.append(text)
    return {"title": title, "sitename": sitename, "url": url, "date": date,
            "date_guess": date_guess, "captions": captions}
