"""Publication dates (metadata strings, datelines, URLs) and outlet names."""

from __future__ import annotations

import pytest

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
])
def test_parse_dateline(line, value):
    found = parse_dateline(line)
    assert (found.value if found else None) == value


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
    (None, None),
])
def test_outlet_from_url(url, name):
    assert outlet_from_url(url) == name
