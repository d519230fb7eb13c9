"""Publication dates (metadata strings, datelines, URLs) and outlet names."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, needs_shared
from storyline.meta.dates import date_from_url, parse_date_string, parse_dateline
from storyline.meta.outlet import outlet_from_url


@pytest.mark.parametrize("text, value, granularity", [
    ("2025-03-04T09:30:00Z", "2025-03-04", "day"),
    ("Tue, 04 Mar 2025 09:30:00 +0000", "2025-03-04", "day"),
    ("March 4, 2025", "2025-03-04", "day"),
    ("4 March 2025", "2025-03-04", "day"),
    ("March 2025", "2025-03", "month"),
    ("2025", "2025", "year"),
    ("not a date", None, None),
    ("February 30, 2025", None, None),
])
def test_parse_date_string(text, value, granularity):
    found = parse_date_string(text)
    assert (found.value if found else None, found.granularity if found else None) == (
        value, granularity)


@pytest.mark.parametrize("line, value", [
    ("Monday, March 3, 2025", "2025-03-03"),
    ("Updated: 3 March 2025 at 14:05 GMT", "2025-03-03"),
    ("March 3rd", "XXXX-03-03"),
    ("March 3, 2025 was a day the city will remember", None),
    # tokenised text: spaces inside clock times, numeric dates and "a. m."
    ("14 August 2024, 09: 30 (GMT+03: 00)", "2024-08-14"),
    ("2024 - 08 - 14", "2024-08-14"),
    ("Story Created: Aug 14, 2024 at 9: 56 AM AKDT", "2024-08-14"),
    ("6: 15 a. m. Aug. 14, 2024", "2024-08-14"),
    ("Wednesday 14 August 2024 22. 34 BST", "2024-08-14"),
    ("Last updated 15: 48 14 / 08 / 2024", "2024-08-14"),
    ("14 August 2024 Last updated at 12: 41 GMT", "2024-08-14"),
    ("First Posted: 08 / 14 / 24 06: 44 PM ET Updated: 08 / 15 / 24 05: 12 AM ET", "2024-08-14"),
    ("Harbour Wire Aug 14, 2024, 02. 16PM IST", "2024-08-14"),
    ("By Ann Merrow on Aug 14 2024, 5: 03p", "2024-08-14"),
    # headlines and sentences that hold a date are not datelines
    ("Council Votes March 3, 2025 Budget", None),
    ("The vote of March 3, 2025 was close", None),
])
def test_parse_dateline(line, value):
    found = parse_dateline(line)
    assert (found.value if found else None) == value


def test_numeric_dateline_keeps_both_readings_and_labelled_lines():
    found = parse_dateline("Posted at 3: 21 PM ET, 04 / 09 / 2024")
    assert (found.value, found.alt) == ("2024-04-09", "2024-09-04")
    assert parse_dateline("Updated 4/9/2024").updated
    assert not parse_dateline("First posted 4/9/2024, updated 4/10/2024").updated
    assert parse_dateline("March 3, 2025", labelled=True) is None
    assert parse_dateline("Date Published: Monday, March 3, 2025", labelled=True).value == (
        "2025-03-03")


def _published(text: str) -> tuple[str | None, str | None, str | None]:
    from storyline.ingest.main_text import article_from_raw
    from storyline.model import RawDocument
    from storyline.pipeline import Pipeline

    pipeline = Pipeline.from_config({"stages": ["main_text", "clean", "identify", "metadata"]})
    article = pipeline.pipe([article_from_raw(RawDocument(origin="t", fmt="text",
                                                          content=text))]).articles[0]
    return article.published, article.published_method, article.title


_BODY = ("The harbour board approved the new ferry timetable after a long meeting on Monday, and "
         "the first boats will follow it from next month, the board's chair told reporters.\n"
         "Residents had asked for earlier crossings for two years.\n")


@pytest.mark.parametrize("head, published, method", [
    # a tokenised URL line is the article's URL, not its title, and dates it
    ("http: / / www. harbourcourier. com / 2024 / 08 / 14 / ferry _ timetable. php\n"
     "Ferry timetable approved\n", "2024-08-14", "url"),
    # numeric dates: the URL's date settles the order, else the outlet's country
    ("http: / / www. harbourcourier. co. uk / news / 77\nFerry timetable approved\n"
     "Updated 4 / 9 / 2024 6: 04 PM\n", "2024-09-04", "dateline"),
    ("http: / / www. harbourcourier. com / news / 77\nFerry timetable approved\n"
     "Updated 4 / 9 / 2024 6: 04 PM\n", "2024-04-09", "dateline"),
    # an update stamp yields to the earlier day the URL gives
    ("http: / / www. harbourcourier. com / 2024 / 04 / 08 / ferry\nFerry timetable approved\n"
     "Updated Tue 9 April 2024, 9: 03 AM\n", "2024-04-08", "url"),
    # a dateline line is never the title; a lowercase one is not joined to the line above
    ("14 August 2024 Last updated at 12: 41 GMT\nFerry timetable approved\n",
     "2024-08-14", "dateline"),
    ("Ferry timetable approved\nposted Aug 14th, 2024 at 12: 28 PM\n", "2024-08-14", "dateline"),
])
def test_publication_date_from_text_lines(head, published, method):
    found, how, title = _published(head + _BODY)
    assert (found, how, title) == (published, method, "Ferry timetable approved")


def test_labelled_date_at_the_end_of_the_text():
    found, how, _ = _published("Ferry timetable approved\n" + _BODY + "It starts soon.\n"
                               "Date Published: Wednesday, August 14, 2024\n")
    assert (found, how) == ("2024-08-14", "dateline")


@pytest.mark.parametrize("stamp, body_date, url, day", [
    # a UTC morning stamp is the day before where the page shows that day to its readers
    ("2024-08-15T03:10:00Z", "Aug. 14, 2024 at 11:10 pm ET", None, "2024-08-14"),
    ("2024-08-15 03:10:00", "", "https://www.example-news.com/2024/08/14/ferry", "2024-08-14"),
    # otherwise the stamp stands
    ("2024-08-15T09:10:00Z", "Aug. 15, 2024 at 5:10 am ET", None, "2024-08-15"),
    ("2024-08-15T03:10:00Z", "", None, "2024-08-15"),
    ("2024-08-15T03:10:00-05:00", "Aug. 14, 2024", None, "2024-08-15"),
])
def test_html_utc_stamp_read_as_the_publishers_day(stamp, body_date, url, day):
    from storyline.meta.html_meta import html_metadata

    page = (f'<html><head><meta property="article:published_time" content="{stamp}"></head>'
            f"<body><script>var x = 'Aug. 13, 2024';</script><p class=byline>{body_date}</p>"
            f"<p>Text.</p></body></html>")
    assert parse_date_string(html_metadata(page, url)["date"]).value == day


#: measured on gold/real/pubdates.jsonl (179 real documents, dev 93 / test 86): dev accuracy
#: 0.989, precision 0.987; test accuracy 0.988, precision 0.985.
@pytest.mark.slow
@needs_shared
@pytest.mark.parametrize("split", ["dev", "test"])
def test_real_publication_dates_floor(cli, split):
    code, stdout, _ = cli("eval", "pubdates", str(ROOT / "gold" / "real" / "pubdates.jsonl"),
                          "--split", split, "--json")
    report = json.loads(stdout)
    assert code == 0 and report["documents"] == {"dev": 93, "test": 86}[split]
    assert report["accuracy"] >= 0.95, report["errors"]
    assert report["precision"] >= 0.98, report["errors"]


@pytest.mark.parametrize("url, value", [
    ("https://news.example.com/2019/11/05/story-slug", "2019-11-05"),
    ("https://news.example.com/world/2019/nov/05/story", "2019-11-05"),
    ("https://news.example.com/a/2019-11-05-story", "2019-11-05"),
    ("https://news.example.com/view.aspx?id=20191105000012", "2019-11-05"),
    ("https://news.example.com/2019/11/", "2019-11"),
    ("https://news.example.com/item/98765432", None),
    ("https://news.example.com/2019/13/45/x", None),
])
def test_date_from_url(url, value):
    found = date_from_url(url)
    assert (found.value if found else None) == value


@pytest.mark.parametrize("url, name", [
    ("https://www.harbourcourier.com/2026/03/04/x", "Harbour Courier"),
    ("https://thecoastledger.net/a", "The Coast Ledger"),
    ("https://www.nytimes.com/2020/01/01/x.html", "The New York Times"),
    ("https://bbc.co.uk/news/x", "BBC"),
    ("http://127.0.0.1:8000/x", None),
    # a coined name is not shredded into syllables; real words still split
    ("https://www.quibzatorn.com/a", "Quibzatorn"),
    ("https://pardaphash.com/news/1", "Pardaphash"),
    ("https://www.eatdrinkandsleepfootball.com/blog/1", "Eat Drink and Sleep Football"),
    (None, None),
])
def test_outlet_from_url(url, name):
    assert outlet_from_url(url) == name


@pytest.mark.parametrize("name, ok", [("Apr 28", False), ("12:41 GMT", False), ("2013", False),
                                      ("Nov 11, 2011", False), ("Reuters", True), ("AP", True),
                                      ("The Harbour Courier", True)])
def test_an_outlet_is_never_a_date(name, ok):
    from storyline.meta.stage import plausible_outlet

    assert plausible_outlet(name) is ok
