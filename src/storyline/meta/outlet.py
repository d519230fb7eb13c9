"""Outlet names: from credits, HTML metadata, or the URL's domain.

A domain is looked up in ``data/outlets.tsv`` (names that cannot be read off the domain), otherwise
split into English words with ``wordsegment`` and title-cased: ``straitstimes.com`` ->
"Straits Times", with a leading "The" kept ("themoscowtimes.com" -> "The Moscow Times").

>>> outlet_from_url("https://www.harbourcourier.com/2026/03/04/story")
'Harbour Courier'
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

_SMALL = {"and", "of", "the", "for", "in", "on", "at", "de", "la", "le", "du", "da", "del"}


@lru_cache(maxsize=1)
def _known() -> dict[str, str]:
    text = resources.files("storyline.data").joinpath("outlets.tsv").read_text("utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")]
    return {r[0].lower(): r[1] for r in rows[1:] if len(r) == 2}


@lru_cache(maxsize=1)
def _extractor():  # type: ignore[no-untyped-def]
    import tldextract

    # The bundled public-suffix snapshot: never fetch the list at run time.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import wordsegment

    wordsegment.load()
    return wordsegment.segment


def registered_domain(url: str) -> str | None:
    parts = _extractor()(url)
    if not parts.domain:
        return None
    return f"{parts.domain}.{parts.suffix}" if parts.suffix else parts.domain


@lru_cache(maxsize=4096)
def name_from_domain(domain: str) -> str:
    label = domain.split(".")[0]
    if len(label) <= 4:
        return label.upper()
    words: list[str] = []
    for chunk in label.replace("_", "-").split("-"):
        if chunk.isalpha():
            segmented = _segmenter()(chunk)
            # Unknown words get shredded into letters, a coined name into short syllables
            # ("pardaphash" -> par dap hash): keep such chunks whole.
            short = sum(len(w) <= 3 and w not in _SMALL for w in segmented)
            confident = all(len(w) > 2 or w in _SMALL for w in segmented) and not (
                len(segmented) >= 3 and short * 2 > len(segmented))
            words.extend(segmented if confident else [chunk])
        elif chunk:
            words.append(chunk)
    titled = [w if (i and w in _SMALL) else w.capitalize() for i, w in enumerate(words)]
    return " ".join(titled)


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    parts = _extractor()(url)
    if not parts.domain or not parts.suffix:  # IP addresses, localhost
        return None
    known = _known()
    full = ".".join(p for p in (parts.subdomain, parts.domain, parts.suffix) if p).lower()
    full = full.removeprefix("www.")
    domain = f"{parts.domain}.{parts.suffix}".lower()
    if full in known:
        return known[full]
    if domain in known:
        return known[domain]
    return name_from_domain(parts.domain.lower())
