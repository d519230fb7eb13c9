"""Data contracts round-trip, and the Arrow schema keeps in step with them."""

from __future__ import annotations

import json
import subprocess
import sys

from storyline.model import Article, Rejection, Removal, Repair


def test_article_round_trips_through_json():
    article = Article(id="abc", text="Body.", removed=[Removal("Share", "share")],
                      repairs=[Repair("a a", "a", "repeated_word")], captions=["Photo: X"])
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again == article
    assert Article.from_dict({**article.to_dict(), "unknown": 1}) == article
    assert Rejection.from_dict(Rejection("x", "read", "why").to_dict()).stage == "read"


def test_arrow_schema_matches_stored_fields():
    from storyline.store.arrow import ARTICLE_SCHEMA

    assert tuple(ARTICLE_SCHEMA.names) == Article.STORED_FIELDS


def test_contracts_module_imports_nothing_heavy():
    code = ("import sys, storyline.model; heavy = {'pyarrow', 'trafilatura', 'spacy', 'numpy', "
            "'typer'} & set(sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
