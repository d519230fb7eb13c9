"""Organisations typed from the public Phoenix dictionaries (data/organisations.tsv): the builder
keeps organisations and leaves people out, and the actor annotator places the listed bodies."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.annotate.organisations_build import FILES, organisations_from, write

# An invented dictionary in the PETRARCH layout: names joined by "_", synonyms after "+",
# codes in brackets, dated codes for what held only once.
COUNTRIES = """\
# header comment
RUSTAVIA_
+RUSTAVIAN_
\t[RTV]
NATIONAL_BUREAU_OF_PORTS_
+NBP_
+HARBOUR_AUTHORITY_OF_RUSTAVIA_
+MARA_KELLEN_
\t[RTVGOVBUS]
OLD_PEOPLES_CONGRESS_
\t[RTVLEG 19500101-19901231]
TOMAS_ARVELO_  # CountryInfo.txt
\t[RTVGOV 20010101-20050101]
\t[RTVELI]
RUSTAVIAN_NAVAL_COMMAND_
+RNC_
\t[RTVMIL]
"""
INTERNATIONAL = """\
LEAGUE_OF_HARBOUR_CITIES_\t[IGOBUS]
+LHC
GREEN_COAST_FOUNDATION_\t[NGOENV] # comment
+RNC_
ORVILLE_MARSH_\t[NGO]
RUSTAVIAN_SALT_COMPANY_\t[MNCRTV]
GLOBAL_BRINE_CORPORATION_\t[MNC]
"""
MILITANTS = """\
FRONT_FOR_THE_FREE_DELTA_ [RTVREB] #  note
+FFD_
"""


@pytest.fixture
def rows(tmp_path: Path) -> list[tuple[str, list[str], str, str]]:
    for name, text in zip(FILES, (COUNTRIES, INTERNATIONAL, MILITANTS), strict=True):
        (tmp_path / name).write_text(text, "utf-8")
    return organisations_from(tmp_path, {"RTV"}, {"rustavia": "RTV", "rustavian": "RTV"})


def test_organisations_are_kept_with_type_and_country(rows):
    table = {name: (aliases, code, iso) for name, aliases, code, iso in rows}
    assert table["National Bureau of Ports"] == (["NBP"], "GOV", "RTV")
    assert table["Harbour Authority of Rustavia"][1:] == ("GOV", "RTV")  # a second body, own row
    assert table["League of Harbour Cities"] == (["LHC"], "IGO", "")
    assert table["Front for the Free Delta"] == (["FFD"], "REB", "RTV")
    # a company with a home country is that country's business; one without, a multinational
    assert table["Rustavian Salt Company"][1:] == ("BUS", "RTV")
    assert table["Global Brine Corporation"][1:] == ("MNC", "")
    # a name that starts with its own country also stands without it
    assert table["Rustavian Naval Command"][0] == ["Naval Command"]
    assert table["Rustavian Naval Command"][1:] == ("MIL", "RTV")


def test_people_history_and_clashes_are_left_out(rows):
    names = {n.lower() for name, aliases, _, _ in rows for n in [name, *aliases]}
    assert "mara kellen" not in names and "tomas arvelo" not in names  # people
    assert "orville marsh" not in names
    assert "old peoples congress" not in names  # a body of the past (dated code)
    assert "rustavia" not in names  # the country itself is no organisation
    assert "rnc" not in names  # one acronym, two bodies: it names neither


def test_rows_are_sorted_and_written_with_the_source(rows, tmp_path: Path):
    assert [r[0].lower() for r in rows] == sorted(r[0].lower() for r in rows)
    out = tmp_path / "organisations.tsv"
    write(rows, "0123abc", out)
    text = out.read_text("utf-8")
    assert "commit 0123abc" in text.replace("\n# ", " ") and "MIT licence" in text
    assert "National Bureau of Ports\tNBP\tGOV\tRTV\n" in text


def test_listed_national_bodies_act_for_their_country():
    from storyline.evaluate.coding import Coder

    coder = Coder()
    article, events = coder.events("The FBI arrested two men after a raid in a suburb of Dayton.")
    assert events and events[0].type == "COERCE"
    assert events[0].actors[0].get("country") == "USA"
    # the words of a body's name are no event ("Bureau of Investigation" investigates nothing)
    _, events = coder.events("The Federal Bureau of Investigation arrested two men.")
    assert [e.type for e in events] == ["COERCE"]
    actor = next(a for a in article.actors if a.name == "Federal Bureau of Investigation")
    assert (actor.country, actor.sector) == ("USA", "COP")
