"""Document time of undated articles: a year inferred from the text completes year-less dates,
marked ``inferred``, never shown as a publication date."""

from __future__ import annotations

from dataclasses import replace

import pytest

from storyline.annotate.doctime import complete_year_less, infer_doc_time
from storyline.model import TimeExpr


def _article(text: str, published: str | None = None):
    from storyline.ingest.main_text import article_from_raw
    from storyline.model import RawDocument
    from storyline.pipeline import Pipeline

    pipeline = Pipeline.from_config({"stages": ["main_text", "clean", "identify", "metadata",
                                                "annotate"],
                                     "options": {"clean": {"min_words": 1}}})
    raw = RawDocument(origin="t", fmt="text", content=text, published=published,
                      container="jsonl")
    return pipeline.pipe([article_from_raw(raw)]).articles[0]


def test_latest_past_year_is_a_lower_bound_only():
    article = _article(
        "Harbour council reviews ferry plan\n"
        "The harbour council met on May 16 to review the ferry plan it adopted in 2022. "
        "Traffic grew by a fifth in 2023, the council said. "
        "It wants every crossing electric by 2031, and the new terminal will open in 2030.")
    assert article.published is None
    assert (article.doc_time.year, article.doc_time.method) == (2023, "not-before")
    may = next(t for t in article.timexes if t.text == "May 16")
    assert may.value == "XXXX-05-16"  # news names its background years: no completion


def test_numbered_term_of_office_dates_the_text():
    article = _article(
        "Modi meets farmers\n"
        "Prime Minister Narendra Modi, sworn in for his third term, met farmers' unions on "
        "June 12 and promised them a new price scheme, his office said.")
    assert (article.doc_time.year, article.doc_time.method) == (2024, "inferred")
    assert "third term" in article.doc_time.evidence[0]
    june = next(t for t in article.timexes if t.text == "June 12")
    assert (june.value, june.method) == ("2024-06-12", "inferred")


def test_a_term_not_said_to_begin_dates_nothing():
    article = _article(
        "Modi meets farmers\n"
        "Prime Minister Narendra Modi, who is serving his third term, met farmers' unions on "
        "June 12 and promised them a new price scheme, his office said.")
    assert article.doc_time is None or article.doc_time.method != "inferred"
    assert next(t for t in article.timexes if t.text == "June 12").value == "XXXX-06-12"


def test_dated_articles_and_texts_without_years_infer_nothing():
    dated = _article("The harbour council met on Tuesday and again in 2023 to review the "
                     "ferry plan, the council said.", published="2025-03-04")
    assert dated.doc_time is None
    bare = _article("The harbour council met on May 16 to review the ferry plan, the council "
                    "said in a statement on its website.")
    assert bare.doc_time is None
    assert next(t for t in bare.timexes if t.text == "May 16").value == "XXXX-05-16"


def test_month_publication_date_gives_its_year():
    article = _article("The harbour council met on May 16 to review the ferry plan, the "
                       "council said in a statement.", published="2021-06")
    assert (article.doc_time.year, article.doc_time.method) == (2021, "published")
    assert next(t for t in article.timexes if t.text == "May 16").value == "2021-05-16"


@pytest.mark.parametrize("years, future, expected", [
    (["2019", "2021"], [], 2021),
    (["2019"], ["2028"], 2019),
    ([], ["2028"], None),
])
def test_infer_doc_time_ignores_years_looked_ahead_to(years, future, expected):
    timexes = [TimeExpr(f"in {y}", i * 20, i * 20 + 7, y, "year") for i, y in enumerate(years)]
    timexes += [TimeExpr(f"in {y}", 500 + i, 507 + i, y, "year", tense="future")
                for i, y in enumerate(future)]
    found = infer_doc_time(timexes, lambda s, e: None)
    assert (found.year if found else None) == expected
    if found:
        assert found.method == "not-before"
        may = [TimeExpr("May", 900, 903, "XXXX-05", "month")]
        assert complete_year_less(may, found)[0].value == "XXXX-05"
        assert complete_year_less(may, replace(found, method="inferred"))[0].value == (
            f"{expected}-05")
