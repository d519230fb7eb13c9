"""Places: offline resolution with a population prior and the article's country focus."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def places():
    from storyline.annotate.nlp import load_nlp
    from storyline.annotate.places import resolve_places

    nlp = load_nlp()
    return lambda text: {p.name: p for p in resolve_places(nlp(text))}


def test_cities_and_countries(places):
    found = places("The delegation flew from Nairobi to Mombasa, then on to Tanzania.")
    assert found["Nairobi"].country == "KEN" and found["Nairobi"].kind == "city"
    assert found["Nairobi"].geonameid and found["Nairobi"].lat
    assert found["Tanzania"].kind == "country" and found["Tanzania"].country == "TZA"


def test_country_focus_settles_ambiguous_names(places):
    # A small Canadian town shares its name with the Australian city; focus on Australia wins.
    found = places("Australia said on Monday that flooding had closed roads near Perth and "
                   "Sydney, and Australian officials expect more rain.")
    assert found["Perth"].country == "AUS"


def test_adjectives_are_not_places(places):
    assert "Chinese" not in places("Chinese and Russian officials met in Geneva.")


def test_regions_and_seas(places):
    found = places("Warships sailed into the East China Sea while Russia courted Central Asia "
                   "and invested in the Russian Far East.")
    assert found["the East China Sea"].kind == "sea"
    assert found["Central Asia"].kind == "region"
    far_east = found["the Russian Far East"] if "the Russian Far East" in found else \
        found["Russian Far East"]
    assert far_east.country == "RUS" and far_east.lat
