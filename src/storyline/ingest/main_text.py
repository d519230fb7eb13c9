"""Stage ``main_text``: the article body of a raw document.

HTML goes through trafilatura's main-text extraction with its metadata (title, site name, date,
canonical URL); plain text passes through as it is. The settings favour precision and drop comment
sections, which scores best on the shared extraction benchmark.
"""

from __future__ import annotations

from typing import Any

from storyline.errors import InputRejected, Msg
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


def extract_html(html: str, url: str | None = None) -> dict[str, Any]:
    """Main text and metadata of one HTML page: ``{"text", "title", "date", "sitename", "url"}``."""
    import trafilatura

    from storyline.meta.html_meta import html_metadata

    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            raise InputRejected(Msg.E011)
        meta = html_metadata(tree)
        doc = trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
    except RecursionError as exc:
        raise InputRejected(Msg.E016, detail="nesting too deep") from exc
    except (ValueError, TypeError) as exc:
        raise InputRejected(Msg.E016, detail=str(exc)[:200]) from exc
    if doc is None or not (doc.text or "").strip():
        raise InputRejected(Msg.E011)
    return {"text": doc.text, **meta}


@stage("main_text", requires=["raw"], provides=["body"])
class MainText(Stage):
    def warm_up(self) -> None:
        import trafilatura  # noqa: F401 - import once per process

    def process(self, article: Article) -> Article:
        raw = article.hints.get("raw") or ""
        if article.fmt == "html":
            meta = extract_html(raw, article.url)
            article.hints["body"] = meta.pop("text")
            article.hints["html"] = meta
        else:
            article.hints["body"] = raw
        return article
