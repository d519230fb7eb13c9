"""Stages ``metadata`` (title, outlet, URL, publication date, language) and ``identify`` (id)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from storyline.clean.cleaner import CleanResult
from storyline.meta.dates import DateValue, date_from_url, day_first_domains, parse_date_string
from storyline.meta.outlet import outlet_from_url
from storyline.model import Article
from storyline.pipeline import Stage, stage

_ENGLISH = frozenset("the and of to in is that for on was with said by as at from".split())


def guess_language(text: str) -> str | None:
    """'en' when common English function words are frequent; None when unsure."""
    words = re.findall(r"[a-z]+", text[:5000].lower())
    if len(words) < 20:
        return None
    share = sum(w in _ENGLISH for w in words) / len(words)
    return "en" if share > 0.12 else None


def choose_url(article: Article, clean: CleanResult | None) -> str | None:
    if article.url:
        return article.url
    html: dict[str, Any] = article.hints.get("html") or {}
    if html.get("url"):
        return str(html["url"])
    if clean is not None:
        for kind in ("labelled", "bare"):
            for url, found in clean.urls:
                if found == kind:
                    return url if url.startswith("http") else f"http://{url}"
    return None


def _dateline(value: DateValue | None, url: str | None) -> DateValue | None:
    """A numeric dateline such as 4/9/2007: the reading the URL's date agrees with, else day first
    for outlets of countries that write the day first (by the URL's country-code domain). A
    dateline that dates only an update yields (None) to an earlier full date in the URL."""
    if value is None:
        return None
    from_url = date_from_url(url)
    if (value.updated and from_url is not None and from_url.granularity == "day"
            and not value.value.startswith("X") and from_url.value < value.value):
        return None
    if value.alt is None:
        return value
    if from_url is not None and from_url.value in (value.value, value.alt):
        return DateValue(from_url.value, value.granularity)
    host = (urlsplit(url).hostname or "") if url else ""
    if host.rsplit(".", 1)[-1] in day_first_domains():
        return DateValue(value.alt, value.granularity)
    return DateValue(value.value, value.granularity)


def choose_published(
    article: Article, clean: CleanResult | None
) -> tuple[DateValue, str] | None:
    """Best publication date and how it was found; full dates beat year-less datelines."""
    candidates: list[tuple[DateValue | None, str]] = []
    container = article.hints.get("container")
    hint = parse_date_string(article.hints.get("published"))
    candidates.append((hint, "feed" if container == "feed" else "jsonl"))
    if clean is not None:
        candidates.append((_dateline(clean.dateline, article.url), "dateline"))
    html: dict[str, Any] = article.hints.get("html") or {}
    candidates.append((parse_date_string(html.get("date")), "html-meta"))
    candidates.append((date_from_url(article.url), "url"))
    candidates.append((parse_date_string(html.get("date_guess")), "html-date"))
    found = [(v, m) for v, m in candidates if v is not None]
    for value, method in found:
        if not value.value.startswith("X"):
            return value, method
    return found[0] if found else None


def plausible_outlet(name: str) -> bool:
    """Not a date, a clock time or a number: 'Apr 28' or '12:41 GMT' is no outlet's name."""
    from storyline.meta.dates import parse_dateline

    letters = sum(c.isalpha() for c in name)
    return letters >= 2 and letters * 2 > len(name.replace(" ", "")) and \
        parse_dateline(name) is None


def choose_source(article: Article, clean: CleanResult | None) -> tuple[str, str] | None:
    if article.hints.get("source"):
        return str(article.hints["source"]).strip(), "jsonl"
    html: dict[str, Any] = article.hints.get("html") or {}
    sitename = str(html.get("sitename") or "").strip()
    if sitename.startswith(("http://", "https://", "www.")):
        sitename = outlet_from_url(sitename if "://" in sitename else f"http://{sitename}") or ""
    if sitename:
        return sitename, "html-meta"
    credits = [c for c in (clean.outlet_credits if clean is not None else []) if plausible_outlet(c)]
    if credits:
        return credits[0], "credit"
    name = outlet_from_url(article.url)
    return (name, "url") if name else None


@stage("metadata", requires=["text"], provides=["title", "source", "published", "url", "language"])
class Metadata(Stage):
    def warm_up(self) -> None:
        outlet_from_url("https://www.examplenewsoutlet.com/")  # loads the word segmenter

    def process(self, article: Article) -> Article:
        clean: CleanResult | None = article.hints.get("clean")
        html: dict[str, Any] = article.hints.get("html") or {}
        article.url = choose_url(article, clean)
        article.title = (article.hints.get("title") or html.get("title")
                         or (clean.title if clean else None))
        source = choose_source(article, clean)
        if source:
            article.source, article.source_method = source
        published = choose_published(article, clean)
        if published:
            value, method = published
            article.published = value.value
            article.published_granularity = value.granularity
            article.published_method = method
        article.language = guess_language(article.text)
        return article


def normalise_for_identity(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", text))


def article_id(text: str) -> str:
    """Content hash of the normalised cleaned text: the same article always gets the same id."""
    digest = hashlib.sha256(normalise_for_identity(text).encode("utf-8")).hexdigest()
    return digest[:16]


@stage("identify", requires=["text"], provides=["id"])
class Identify(Stage):
    def process(self, article: Article) -> Article:
        article.id = article_id(article.text)
        return article
