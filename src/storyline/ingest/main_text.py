"""Stage ``main_text``: the article body of a raw document.

HTML goes through trafilatura's main-text extraction with its metadata (title, site name, date,
canonical URL); plain text passes through as it is. The settings favour precision and drop comment
sections, which scores best on the shared extraction benchmark.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.errors import InputRejected, Msg
from storyline.ingest.readers import DEFAULT_MAX_BYTES
from storyline.model import Article, RawDocument
from storyline.pipeline import Stage, stage

TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
}


def article_from_raw(raw: RawDocument) -> Article:
    """Wrap a raw document as an article whose stages are still to run."""
    hints: dict[str, Any] = {
        "raw": raw.content,
        "url": raw.url,
        "title": raw.title,
        "published": raw.published,
        "source": raw.source,
        "container": raw.container,
    }
    return Article(origin=raw.origin, url=raw.url, fmt=raw.fmt, hints=hints)


_CODE_START = re.compile(r"<(script|style|svg|!--)", re.IGNORECASE)
_CODE_END = {"script": re.compile(r"</script\s*>", re.IGNORECASE),
             "style": re.compile(r"</style\s*>", re.IGNORECASE),
             "svg": re.compile(r"</svg\s*>", re.IGNORECASE),
             "!--": re.compile(r"-->")}


def strip_code(html: str) -> str:
    """The page without scripts, styles, inline SVG and comments, which trafilatura discards
    anyway: often more than half of a news page, so parsing the rest is much cheaper."""
    parts: list[str] = []
    pos = 0
    while True:
        start = _CODE_START.search(html, pos)
        end = _CODE_END[start.group(1).lower()].search(html, start.end()) if start else None
        if start is None or end is None:
            parts.append(html[pos:])
            return "".join(parts)
        parts.append(html[pos:start.start()])
        pos = end.end()


def extract_html(html: str, url: str | None = None) -> dict[str, Any]:
    """Main text and metadata of one HTML page: ``{"text", "title", "date", "sitename", "url",
    "captions", ...}``."""
    import trafilatura

    from storyline.meta.html_meta import html_metadata

    try:
        meta = html_metadata(html, url)  # JSON-LD metadata lives in <script> elements: read it first
        text = trafilatura.extract(strip_code(html), url=url, output_format="txt",
                                   **TRAFILATURA_OPTIONS)
    except RecursionError as exc:
        raise InputRejected(Msg.E016, detail="nesting too deep") from exc
    except (ValueError, TypeError) as exc:
        raise InputRejected(Msg.E016, detail=str(exc)[:200]) from exc
    if not (text or "").strip():
        raise InputRejected(Msg.E011)
    return {"text": text, **meta}


@stage("main_text", requires=["raw"], provides=["body"])
class MainText(Stage):
    def warm_up(self) -> None:
        # The first extraction loads trafilatura's and htmldate's lazy resources.
        page = ("<html><head><title>Warm up</title></head><body><article><p>"
                + "Warming up the extractor with a short paragraph of text. " * 5
                + "</p></article></body></html>")
        extract_html(page)

    def process(self, article: Article) -> Article:
        if article.fmt == "file":  # read lazily, here rather than in the reading process
            from storyline.ingest.readers import load_single

            loaded = load_single(article.hints["raw"], int(self.options.get("max_bytes", 0))
                                 or DEFAULT_MAX_BYTES)
            article.fmt, article.hints["raw"] = loaded.fmt, loaded.content
            if loaded.url and not article.url:  # a token document's address line
                article.url = article.hints["url"] = loaded.url
        raw = article.hints.get("raw") or ""
        if article.fmt == "html":
            meta = extract_html(raw, article.url)
            article.hints["body"] = meta.pop("text")
            article.hints["html"] = meta
        else:
            article.hints["body"] = raw
        return article
