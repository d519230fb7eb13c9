"""PLOVER events: trigger types, actors and recipients from the parse, host/visitor, passives,
modality; storage, filters, exports; the gold-set floors."""

from __future__ import annotations

import pytest

from conftest import needs_shared


@pytest.fixture(scope="module")
def events():
    from storyline.annotate.actors import ActorAnnotator
    from storyline.annotate.nlp import load_nlp
    from storyline.annotate.places import resolve_places
    from storyline.extract.events import EventExtractor

    nlp, annotator, extractor = load_nlp(), ActorAnnotator(), EventExtractor()

    def run(text: str):
        doc = nlp(text)
        mentions, actors = annotator.annotate(doc)
        found = extractor.extract(doc, mentions, actors, [], resolve_places(doc))
        return [(e.type, e.actors, e.recipients, e.modality) for e in found]

    return run


def test_visit_future_and_object_decides_type(events):
    found = events("Brazil's president will visit Indonesia next week. "
                   "Kenya and Ethiopia signed an agreement on the border.")
    # the manual: a future visit is AGREE (CONSULT, Potential ambiguities)
    assert ("AGREE", ["BRA"], ["IDN"], "future") in found
    assert any(t == "AGREE" and set(a) == {"KEN", "ETH"} for t, a, _, _ in found)


def test_host_visitor_inversion(events):
    found = events("Egypt hosted Sudan's foreign minister in Cairo on Monday.")
    assert ("CONSULT", ["SDN"], ["EGY"], "asserted") in found


def test_a_host_of_talks_between_two_parties_is_the_recipient(events):
    # the manual (CONSULT, third-party): the parties meet, the host receives them
    found = events("Norway hosted talks between Colombia and Venezuela in Oslo on Friday.")
    assert any(t == "CONSULT" and set(a) == {"COL", "VEN"} and r == ["NOR"]
               for t, a, r, _ in found), found


def test_denials_and_condolences_are_no_events(events):
    found = events("The Chilean government rejected accusations of abuse at the border. "
                   "The Peruvian president sent condolences to the families in Bolivia.")
    assert found == []
    found = events("Ghana rejected accusations by Togo that it had armed the rebels.")
    assert [t for t, *_ in found] == ["ACCUSE"]


def test_a_pronoun_after_a_verb_of_saying_is_the_speaker(events):
    found = events("The Kenyan army said it had detained eleven smugglers near the border.")
    assert any(t == "COERCE" and a == ["KEN"] for t, a, _, _ in found), found


def test_passive_agent_and_negation(events):
    found = events("Three journalists were detained by Iranian police. "
                   "Japan did not condemn the decision by France.")
    assert any(t == "COERCE" and a == ["IRN"] for t, a, _, _ in found)
    assert any(t == "ACCUSE" and m == "negated" for t, _, _, m in found)


def test_eval_command_reports_the_petrarch_counts(cli, tmp_path):
    import json

    gold = tmp_path / "events.jsonl"
    gold.write_text(json.dumps({"text": "Germany sent aid to Turkey after the earthquake.",
                                "date": "2023-02-08",
                                "events": [{"type": "AID", "actors": ["DEU"],
                                            "recipients": ["TUR"]}]}) + "\n")
    code, stdout, _ = cli("eval", "events", str(gold), "--json")
    report = json.loads(stdout)
    assert code == 0 and report["correct"] == 1 and report["missed"] == 0
    assert report["recipient_accuracy"] == 1.0


def test_events_are_stored_filtered_and_exported(tmp_path, cli):
    import csv
    import io
    import json

    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Talks in Ankara\n\nMarch 3, 2025\n\nTurkish President Kemal Aydin will visit Egypt on "
        "Tuesday for talks on trade and energy, the foreign ministry in Ankara said. Egyptian "
        "police arrested 12 protesters in Cairo on Sunday, and Cairo condemned Israel over the "
        "border incident.")
    db = str(tmp_path / "e.db")
    assert cli("ingest", str(folder), "--db", db)[0] == 0
    code, stdout, _ = cli("events", "--db", db, "--json", "--actor", "TUR")
    visits = json.loads(stdout)
    assert code == 0 and any(e["type"] == "AGREE" and e["modality"] == "future"
                             and e["recipients"][0]["country"] == "EGY" for e in visits)
    assert all(e["sentence"] and e["date"] for e in visits)
    code, stdout, _ = cli("events", "--db", db, "--json", "--type", "COERCE")
    assert all(e["type"] == "COERCE" for e in json.loads(stdout))
    code, stdout, _ = cli("export", "events", "--db", db, "--format", "gdelt", "--header")
    rows = list(csv.DictReader(io.StringIO(stdout), delimiter="\t"))
    assert code == 0 and rows and {"SQLDATE", "EventRootCode", "QuadClass"} <= set(rows[0])
    code, stdout, _ = cli("export", "events", "--db", db, "--format", "plover")
    records = json.loads(stdout)
    assert code == 0 and records[0]["event_type"] and "source" in records[0]


def test_cameo_to_plover():
    from storyline.evaluate.petrarch import plover_type

    assert plover_type("064") == "COOPERATE"
    assert plover_type("0874") == "RETREAT"
    assert plover_type("057") == "AGREE"
    assert plover_type("190") == "ASSAULT"
    assert plover_type("010") is None


@pytest.mark.shared
def test_petrarch_records_convert(tmp_path, cli):
    import json

    from conftest import EVAL

    records = EVAL / "petrarch2-unittest" / "PETR.UnitTest.records.xml"
    if not records.is_file():
        pytest.skip("../shared is absent (PETRARCH2 unit tests live there)")
    out = tmp_path / "petr.jsonl"
    code, stdout, _ = cli("eval", "petrarch", str(records), "--convert-to", str(out), "--json")
    assert code == 0
    report = json.loads(stdout)
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert report["records"] == len(lines) > 250
    assert report["gold"] == sum(len(r["events"]) for r in lines) > 250
    first = lines[0]
    assert first["date"] == "1995-01-01" and first["events"][0]["type"] == "COOPERATE"


@pytest.mark.slow
def test_gold_event_floors(cli):
    """The issue's floors on the hand-written gold set (gold/EVENTS.md): type F1 >= 0.85,
    actor accuracy >= 0.85, recipient accuracy >= 0.80, extra events <= 15% of the gold events."""
    import json

    from conftest import ROOT

    code, stdout, _ = cli("eval", "events", str(ROOT / "gold" / "events.jsonl"), "--json")
    report = json.loads(stdout)
    assert code == 0 and report["gold"] >= 150 and len(report["per_type"]) == 16
    assert report["micro"]["f1"] >= 0.85
    assert report["actor_accuracy"] >= 0.85
    # recipients: the manual's reciprocal and host rules (gold relabelled to them) leave more
    # room for disagreement than the old first-named-is-actor rule; measured 0.82
    assert report["recipient_accuracy"] >= 0.80
    assert report["extra"] <= 0.15 * report["gold"]


@pytest.fixture(scope="module")
def seed_events(tmp_path_factory):
    """The seed corpus ingested once: events per seed file prefix ("000" ... "004")."""
    import json

    from typer.testing import CliRunner

    from conftest import SEEDS
    from storyline.cli.main import app

    db = str(tmp_path_factory.mktemp("seed-events") / "seeds.db")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", db]).exit_code == 0
    articles = runner.invoke(app, ["export", "articles", "--db", db]).stdout
    prefix = {r["id"]: r["origin"].rsplit("/", 1)[-1][:3]
              for r in map(json.loads, articles.splitlines())}
    by_seed: dict[str, list[dict]] = {}
    for line in runner.invoke(app, ["export", "events", "--db", db]).stdout.splitlines():
        event = json.loads(line)
        by_seed.setdefault(prefix[event["article_id"]], []).append(event)
    return by_seed


def _codes(parties):
    return {p["country"] or p["sector"] for p in parties}


def _find(events, etype, actor=None, recipient=None, **attrs):
    """Events of a type (or of any of a tuple of types) between the codes, meeting the tests."""
    types = etype if isinstance(etype, tuple) else (etype,)
    return [e for e in events if e["type"] in types
            and (actor is None or actor in _codes(e["actors"]))
            and (recipient is None or recipient in _codes(e["recipients"]))
            and all(pred(e) for pred in attrs.values())]


@needs_shared
@pytest.mark.shared
def test_seed_events_acceptance(seed_events):
    """ACCEPTANCE.md "Events" on the seeds, article by article."""
    future = lambda e: e["modality"] == "future"  # noqa: E731
    # The manual codes a future visit as AGREE (CONSULT, "Potential ambiguities"), and a visit
    # reported as it happens as CONSULT: ACCEPTANCE's "CONSULT/visit ... future modality" is a
    # future AGREE whose trigger is the visit.
    visit = ("CONSULT", "AGREE")
    # Putin's 2014 visit to China: future in each 2014 article; in 004 dated 2014-05-20, Shanghai
    for seed in ("000", "002", "004"):
        assert _find(seed_events[seed], "AGREE", "RUS", "CHN", future=future), seed
    assert _find(seed_events["004"], visit, "RUS", "CHN",
                 when=lambda e: (e["date"] or {}).get("value") == "2014-05-20",
                 where=lambda e: (e["place"] or {}).get("name") == "Shanghai")
    assert _find(seed_events["002"], visit, "RUS", "CHN",
                 where=lambda e: (e["place"] or {}).get("name") == "Shanghai")
    # 2024: May 16-17, Beijing and Harbin
    visits_2024 = _find(seed_events["001"], visit, "RUS", "CHN")
    assert any("05-16" in str((e["date"] or {}).get("value")) for e in visits_2024)
    assert {"Beijing", "Harbin"} <= {(e["place"] or {}).get("name")
                                     for e in _find(seed_events["001"], visit, "RUS")}
    # 2015: Li Zhanshu meets Putin on March 19; Xi to Moscow in May; Putin to Beijing in September
    # a meeting with no host named: every participant is an actor (the manual, Compound and
    # Reciprocal Actors)
    assert _find(seed_events["003"], "CONSULT", "CHN",
                 when=lambda e: (e["date"] or {}).get("value") == "2015-03-19",
                 with_russia=lambda e: "RUS" in _codes(e["actors"]) | _codes(e["recipients"]))
    assert _find(seed_events["003"], "AGREE", "CHN", "RUS", future=future,
                 when=lambda e: str((e["date"] or {}).get("value")).startswith("2015-05"))
    assert _find(seed_events["003"], "AGREE", "RUS", "CHN", future=future,
                 when=lambda e: str((e["date"] or {}).get("value")).startswith("2015-09"))
    # Blinken in Beijing, and his warning about China's support for Russia
    assert _find(seed_events["001"], "CONSULT", "USA", "CHN")
    assert _find(seed_events["001"], "ACCUSE", "USA", "CHN") or \
        _find(seed_events["001"], "THREATEN", "USA", "CHN")
    # the joint naval exercise, the gas agreement, the sanctions, the pull-back to barracks
    # (cooperation announced for the future is AGREE in the manual: "will hold joint drills")
    assert _find(seed_events["002"], ("COOPERATE", "AGREE"), "RUS",
                 joint=lambda e: _codes(e["actors"]) == {"RUS", "CHN"},
                 military=lambda e: "military" in e["contexts"])
    assert any(_find(seed_events[s], "AGREE", "RUS",
                     economic=lambda e: {"economic", "natural_resource"} & set(e["contexts"]))
               for s in ("002", "003", "004"))
    sanctions = [e for s in seed_events.values() for e in _find(s, "SANCTION", recipient="RUS")]
    assert sanctions and all(_codes(e["actors"]) & {"USA", "IGO"} for e in sanctions)
    assert _find(seed_events["002"], "RETREAT", "RUS")


def test_generic_parties_take_the_country_of_their_context(events):
    # a demonym in its "-n" form names the recipient; the domestic default does not override it
    assert ("COERCE", ["KEN"], ["SOM"], "asserted") in events(
        "The Kenyan navy captured 12 Somalian smugglers.")
    # a legal passive is a domestic act of the state (ACCUSE allege keeps X -> X)
    assert ("ACCUSE", ["KEN"], ["KEN"], "asserted") in events(
        "A man in Nairobi was charged with murder.")
    # a place named as an attribute still tells where the text is
    assert any(t == "COERCE" and a == ["KEN"] for t, a, _, _ in events(
        "A Nairobi teacher was arrested on Friday."))


def test_named_warships_act_for_their_navy(events):
    assert any(t == "COERCE" and a == ["USA"] for t, a, _, _ in events(
        "USS Harbor seized two boats carrying weapons."))
    # the subject hangs on the auxiliary in this parse: it is still the actor
    assert any(t == "COERCE" and a == ["GBR"] for t, a, _, _ in events(
        "The frigate HMS Lantern has, so far, confiscated 40 rifles."))


def test_police_verbs_need_the_police(events):
    assert any(t == "COERCE" and a == ["KEN"] for t, a, _, _ in events(
        "Police stopped the driver on a highway outside Nairobi."))
    assert any(t == "COERCE" and a == ["KEN"] for t, a, _, _ in events(
        "Officers caught up with the suspect near the station in Mombasa."))
    assert any(t == "COERCE" and a == ["KEN"] for t, a, _, _ in events(
        "The driver was pulled over by the Nairobi traffic police on Friday."))
    assert not any(t == "COERCE" for t, _, _, _ in events("The ship stopped in Mombasa to refuel."))
    # a person stopped with no agent named: the police of the place
    assert any(t == "COERCE" and a == ["KEN"] for t, a, _, _ in events(
        "He failed a sobriety test after being stopped on a Nairobi highway."))
    assert not any(t == "COERCE" for t, _, _, _ in events("The match in Nairobi was stopped."))
    # catching a wrongdoer is an arrest whoever catches
    assert any(t == "COERCE" and a == ["KEN"] for t, a, _, _ in events(
        "The Kenyan coast guard caught the smugglers in the act."))


def test_approaching_a_person_is_a_request_and_foiling_is_no_attack(events):
    assert any(t == "REQUEST" and a == ["KEN"] for t, a, _, _ in events(
        "President William Ruto of Kenya approached Amina Otieno to join his cabinet."))
    # the navy that foils an attack is not its attacker
    assert not any(t == "ASSAULT" and a == ["KEN"] for t, a, _, _ in events(
        "Kenyan troops foiled an attack on the camp."))
    # what another party is made to do is the content of the effort, not its own event
    assert not any(t == "COERCE" for t, _, _, _ in events(
        "The envoy tried to get Uganda to arrest the smugglers."))
    # a gerund after a preposition takes the clause's subject
    assert ("AID", ["KEN"], [], "asserted") in events(
        "The Kenyan army pushed back rebels after rescuing three hostages.")


def test_legal_acts_without_a_named_state(events):
    # a participle shares the passive subject: its patient, not its agent
    found = events("A man in Nairobi was arrested and charged with theft.")
    assert ("COERCE", ["KEN"], ["KEN"], "asserted") in found
    assert ("ACCUSE", ["KEN"], ["KEN"], "asserted") in found
    assert any(t == "ACCUSE" and a == ["KEN"] for t, a, _, _ in events(
        "Charged on Monday, the Mombasa trader was ordered held on bail."))
    # ordering someone held is a detention; the verb of a joined clause is not what is ordered
    assert any(t == "COERCE" and a == ["KEN"] for t, a, _, _ in events(
        "The Mombasa trader was ordered held on bail and is expected to return to court."))
    # facing charges: the state charges the subject
    assert ("ACCUSE", ["KEN"], ["KEN"], "asserted") in events(
        "In Nairobi, the driver is facing manslaughter charges.")


def test_dismissals_and_road_accidents_are_no_attacks(events):
    assert not any(t == "ASSAULT" for t, _, _, _ in events(
        "Amina Otieno, fired on May 3, is suing the Nairobi club."))
    assert not any(t == "ASSAULT" for t, _, _, _ in events(
        "Police in Nairobi say the driver struck and killed a cyclist in a crash."))
    assert any(t == "ASSAULT" for t, _, _, _ in events(
        "Police in Nairobi say a gunman shot and killed a cyclist."))


def test_navy_at_sea_and_passive_agents(events):
    # a navy seizing boats at sea is no domestic act: no recipient unless one is named
    found = events("The Kenyan navy seized two boats carrying rifles.")
    assert ("COERCE", ["KEN"], [], "asserted") in found
    # a "by" agent that the parser hangs on the object still acts
    assert any(t == "AGREE" and a == ["KEN"] for t, a, _, _ in events(
        "Amina Otieno has been offered the post of envoy by President William Ruto of Kenya."))
    # the name of a woman is not a person set free; 911 is a number, not a meeting
    assert not any(t == "RETREAT" for t, _, _, _ in events(
        "Police in Nairobi released the name of a woman who was hurt."))
    assert not any(t == "CONSULT" for t, _, _, _ in events(
        "A neighbour in Nairobi saw the car and called 911."))


def test_a_country_in_a_shop_name_does_not_place_the_story():
    from storyline.extract.events.parties import context_country
    from storyline.model import Actor, Mention, Place

    class Sent:
        start_char, end_char = 0, 10

    actors = [Actor(id="a", name="Peru Garden Bakery", kind="organisation", country="PER"),
              Actor(id="b", name="Ana Ruiz", kind="person", country="PER",
                    affiliations=["Peru Garden Bakery"])]
    mentions = [Mention(text="Peru Garden Bakery", start=40, end=58, label="ORG", actor=0),
                Mention(text="Ana Ruiz", start=20, end=28, label="PERSON", actor=1)]
    places = [Place(name="Peru", start=40, end=44, kind="country", country="PER",
                    associative=True)]
    assert context_country(Sent(), mentions, actors, places) is None
    places.append(Place(name="Oslo", start=70, end=74, kind="city", country="NOR"))
    assert context_country(Sent(), mentions, actors, places) == "NOR"


def test_a_shared_ship_prefix_takes_the_navy_the_text_names():
    from storyline.extract.events.parties import ship_country
    from storyline.model import Actor

    assert ship_country(["IND", "ISR"], [], []) == "IND"
    israel = [Actor(id="i", name="Israel", kind="country", country="ISR")]
    assert ship_country(["IND", "ISR"], israel, []) == "ISR"


def test_acts_only_a_state_does_need_no_named_actor(events):
    # an investigation, a manhunt or a prison sentence named by a noun is the state's act in
    # the country the sentence is in
    assert ("ACCUSE", ["KEN"], [], "asserted") in events(
        "An investigation into the cause of the fire in Mombasa is under way.")
    assert any(t == "SANCTION" and a == ["KEN"] for t, a, _, _ in events(
        "The Kisumu trader is serving a life sentence for fraud."))
    # "sentence" as a piece of writing is no penalty
    assert not any(t == "SANCTION" for t, _, _, _ in events(
        "The last sentence of the Kisumu report was rewritten."))
    # a named private person's crime happens where the sentence is
    assert any(t == "ASSAULT" and a == ["KEN"] for t, a, _, _ in events(
        "In Nakuru, Peter Mwangi shot a police officer on Sunday."))


def test_handing_back_contributing_and_restoring_ties(events):
    # returning property is a RETREAT; a contribution with an object is AID; restoring
    # diplomatic ties is SUPPORT; the same verbs without such objects are no events
    assert ("RETREAT", ["USA"], ["PER"], "asserted") in events(
        "The United States returned two stolen paintings to Peru on Monday.")
    assert any(t == "AID" and a == ["DEU"] for t, a, _, _ in events(
        "Germany contributed 40 million euros to the relief effort in Sudan."))
    assert not events("Falling oil prices contributed to the decline of the economy.")
    assert any(t == "SUPPORT" and set(a) == {"EGY", "QAT"} for t, a, _, _ in events(
        "Egypt and Qatar restored diplomatic relations on Tuesday."))
    assert not events("Indonesia established a new ministry of tourism.")


def test_comment_refusals_weighing_and_offices(events):
    # declining to comment is a statement, not a rejection; refusing an act is
    assert not events("Chad's interior ministry declined to comment on the fishing quarrel.")
    assert any(t == "REJECT" for t, _, _, _ in events(
        "Russia refused to withdraw its troops from the border with Georgia."))
    # an act being weighed is hypothetical
    assert ("AID", ["CAN"], ["HTI"], "hypothetical") in events(
        "Canada is considering sending aid to Haiti after the storm.")


def test_refusals_ceasefires_and_what_was_launched(events):
    # an announced refusal of a concession is a REJECT (the manual: all refusals)
    assert ("REJECT", ["GBR"], [], "asserted") in [
        (t, a, [], m) for t, a, _, m in events(
            "Britain said it will not lift the ban on the group's fundraising.")]
    # a ceasefire declared is put in place (RETREAT), one signed is an agreement, one broken is
    # fighting
    assert any(t == "RETREAT" and a == ["SDN"] for t, a, _, _ in events(
        "Sudan's warring generals have announced an immediate ceasefire."))
    assert any(t == "AGREE" for t, _, _, _ in events(
        "Russia and Turkey signed a ceasefire in Idlib on Thursday."))
    found = events("Armenian forces violated the ceasefire several times overnight.")
    assert any(t == "ASSAULT" for t, _, _, _ in found) and not any(
        t == "AGREE" for t, _, _, _ in found)
    # the object says what was launched
    assert any(t == "ACCUSE" and r == ["HUN"] for t, _, r, _ in events(
        "The Danish government has launched legal action against the Hungarian government."))


def test_cancelled_meetings_blockades_and_background_clauses():
    from storyline.evaluate.coding import Coder

    coder = Coder()
    # the manual: cancelling a meeting is REJECT; a blockade restricts movement (COERCE)
    _, found = coder.events("Nepal's foreign minister cancelled a planned visit to Bhutan on Monday.")
    assert found and found[0].type == "REJECT"
    _, found = coder.events("Saudi Arabia has imposed blockades on Yemen's air and sea ports.")
    assert found and (found[0].type, found[0].mode) == ("COERCE", "restrict")
    # a participle telling what the main act is about is background: lifting leads
    _, found = coder.events("The Security Council lifted sanctions imposed on Eritrea in 2009.")
    assert found and found[0].trigger == "lifted"


def test_offers_of_readiness_and_laying_down_arms(events):
    # "is willing to provide", "is ready to contribute": an offer, which the manual codes AGREE
    assert ("AGREE", ["USA"], ["TUR"], "future") in events(
        "The United States is willing to provide ammunition to Turkey.")
    # laying down arms is disarming (RETREAT); announced for the future it is CONCEDE
    assert any(t == "CONCEDE" and m == "future" for t, _, _, m in events(
        "Colombian rebels said they will lay down their arms next month."))
    assert any(t == "SUPPORT" and a == ["TUR"] for t, a, _, _ in events(
        "Turkey has improved diplomatic relations with Iran."))


def test_dismissals_statements_and_distress_calls_are_no_events(events):
    assert not any(t == "ASSAULT" for t, _, _, _ in events(
        "A man fired four days earlier from his job as an accountant walked into his old office "
        "in Nairobi."))
    assert not events("Police in Mombasa were still gathering statements from witnesses.")
    assert not any(t == "RETREAT" for t, _, _, _ in events(
        "Police in Nairobi pulled the driver over a few blocks away."))
    assert any(t == "RETREAT" for t, _, _, _ in events("Kenya pulled out of Somalia last year."))
    assert not any(t == "REJECT" for t, _, _, _ in events(
        "A Kenyan navy spokesman, who declined to give his name, said the pirates fled."))


def test_an_accused_act_is_the_accusation_not_an_attack(events):
    # "accused X of bombing": the accuser accuses; the bombing is alleged, not the accuser's
    found = events("Kenya's president accused the Somali government of bombing the border town "
                   "of Mandera in recent days.")
    assert ("ACCUSE", ["KEN"], ["SOM"], "asserted") in found
    assert not any(t == "ASSAULT" for t, _, _, _ in found)


def test_a_verb_whose_object_names_the_type_is_not_vetoed(events):
    # the learned typer rarely saw disaster relief; "provided ... relief" names AID itself
    assert any(t == "AID" and a == ["CAN"] for t, a, _, _ in events(
        "Canadian troops provided emergency food relief to about two million people in "
        "Mozambique after the cyclone."))


def test_a_denied_act_is_negated_and_the_denial_no_rejection(events):
    # the manual's REJECT answers proposals and demands; denying an act negates the act
    for text in ("Ethiopia's army denied that it shelled the border town of Moyale.",
                 "Ethiopia denied any shelling of the border town of Moyale.",
                 "An Ethiopian army spokesman denied any links to the raid on Moyale."):
        found = events(text)
        assert found and all(m == "negated" for _, _, _, m in found), (text, found)
        assert not any(t == "REJECT" for t, _, _, _ in found), (text, found)
    # refusing a request is still a rejection
    found = events("Ethiopia denied the request by Kenya for talks on the border.")
    assert any(t == "REJECT" and a == ["ETH"] and m == "asserted" for t, a, _, m in found), found


def test_the_object_decides_dropped_and_reached(events):
    assert any(t == "ASSAULT" for t, _, _, _ in events(
        "Ethiopian jets dropped bombs on rebel positions near Moyale."))
    assert not any(t == "CONCEDE" for t, _, _, _ in events(
        "Ethiopian jets dropped bombs on rebel positions near Moyale."))
    assert not events("Refugees from Ethiopia walked for five days to reach the camp in Kenya.")
    assert any(t == "AGREE" for t, _, _, _ in events(
        "Ethiopia and Kenya reached a deal on grazing rights."))


def test_a_date_in_a_relative_clause_is_not_the_events():
    from storyline.evaluate.coding import Coder

    _, found = Coder().events("The Egyptian army, which seized power in 2014, arrested the "
                              "opposition leader.")
    arrest = next(e for e in found if e.trigger == "arrested")
    assert arrest.date is None or "2014" not in str(arrest.date.get("value"))


def test_two_word_demonyms_and_meeting_venues(events):
    # "South Sudanese" is South Sudan's, not Sudan's
    assert ("ASSAULT", ["SDN"], ["SSD"], "asserted") in events(
        "Sudanese warplanes bombed the South Sudanese town of Guffa.")
    # parties who meet together: the city they meet in is no party
    found = events("American and Iranian negotiators met in Vienna.")
    assert ("CONSULT", ["USA", "IRN"], [], "asserted") in found
    # "caught up in" an insurgency is no arrest
    assert not events("Somalia, which is caught up in an insurgency, has no government.")


def test_unreal_event_nouns_and_attacks_across_a_border(events):
    # "a pending invasion" has not happened; "a possible attack" may never
    assert ("ASSAULT", "future") in {(t, m) for t, _, _, m in events(
        "Ethiopia's prime minister warned of Eritrea's pending invasion of the border region.")}
    assert any(t == "ASSAULT" and m == "hypothetical" for t, _, _, m in events(
        "Kenya warned of a possible attack on its border posts by Somali militants."))
    # an attack with no target named in its own phrase: the other party of the sentence, not
    # the attacker itself
    found = events("Military aircraft from Eritrea crossed the border with Ethiopia and dropped "
                   "bombs in and around a camp filled with refugees.")
    assert ("ASSAULT", ["ERI"], ["ETH"], "asserted") in found


def test_naming_interviews_crossings_and_outcomes_are_no_events(events):
    # "what he called an invasion" names; "calling for sanctions to be extended" asks
    found = events("The Eritrean president denounced Ethiopia for threatening what he called "
                   "an invasion of the border region.")
    assert [t for t, _, _, _ in found] == ["ACCUSE"]  # the threat is what he reproaches
    assert any(t == "REQUEST" for t, _, _, _ in events(
        "The Kenyan president urged patience, calling for sanctions on Eritrea to be extended."))
    assert ("CONSULT", ["RUS"], ["TUR"], "asserted") in events("Putin called Erdogan on Tuesday.")
    # people crossing a border, a reporter's interview, a situation that "threatens to"
    assert not events("Thousands of refugees from Eritrea have crossed the border into Ethiopia.")
    assert not events("An Ethiopian reporter said he talked to five aid workers in the camp.")
    assert not any(t == "THREATEN" for t, _, _, _ in events(
        "Fighting resumed near the Eritrean border, officials in Ethiopia said, threatening to "
        "raise tensions with Eritrea."))
    assert any(t == "MOBILIZE" for t, _, _, _ in events(
        "Eritrean troops crossed the border into Ethiopia."))
    # an act someone is accused of, and its consequence, are the accusation's content
    found = events("Ethiopia accused Eritrea of shelling the town of Zalambessa, killing seven "
                   "people.")
    assert [t for t, _, _, _ in found] == ["ACCUSE"]


def test_build_ups_denied_strikes_and_reports(events):
    # "a build-up of Eritrean troops" (three tokens) is the troops' mobilisation
    assert any(t == "MOBILIZE" and a == ["ERI"] for t, a, _, _ in events(
        "Satellite images reveal a build-up of Eritrean troops near the Ethiopian border."))
    # "denied striking ... territory", however the parser hangs "striking"
    assert not any(t == "REJECT" for t, _, _, _ in events(
        "Eritrea has denied striking Ethiopian territory."))
    # a statement that reports is no act of its own; nor is "according to"
    assert not events("The shelling near the border raises the risk of war between Eritrea and "
                      "Ethiopia, the American statement said.")
    # people crossing with refugees are not an army moving; aircraft are
    assert not events("Bombs fell near the camp, where many Eritreans who had crossed the "
                      "border live.")
    assert any(t == "MOBILIZE" for t, _, _, _ in events(
        "Military aircraft from Eritrea crossed the border with Ethiopia."))


def test_relative_subjects_routine_patrols_and_reluctance(events):
    # "pirates who tried to storm a ship": the pirates act, not the navy that caught them
    found = events("The Indian navy says it has arrested 23 Somali pirates who tried to storm a "
                   "ship in the Gulf of Aden.")
    assert any(t == "ASSAULT" and a == ["SOM"] for t, a, _, _ in found), found
    assert not any(t == "ASSAULT" and a == ["IND"] for t, a, _, _ in found), found
    # a lone navy's patrol is routine; patrolling together is cooperation
    assert not any(t == "COOPERATE" for t, _, _, _ in events(
        "Indian warships have been patrolling the Somali coast since October."))
    assert any(t == "COOPERATE" for t, _, _, _ in events(
        "Kenyan and Somali forces patrolled the border together."))
    # "reluctant to detain": not done
    found = [m for t, _, _, m in events(
        "Kenyan police have been reluctant to detain the suspects in Mombasa.") if t == "COERCE"]
    assert found and set(found) == {"hypothetical"}, found
    assert any(t == "MOBILIZE" for t, _, _, _ in events(
        "India flew its marine commandos to the Gulf of Aden on Saturday."))


def test_light_verbs_with_two_word_objects_and_suspensions(events):
    # "begin a military operation against": the object names the act
    assert any(t == "ASSAULT" and a == ["EGY"] and m == "future" for t, a, _, m in events(
        "Egypt will begin a fresh military operation against militants in eastern Libya next "
        "month, its president said."))
    # a suspension of aid cuts ties; joint war games are cooperation
    assert ("SANCTION", ["DNK"], ["EGY"], "asserted") in events(
        "Denmark announced a suspension of aid to Egypt.")
    assert any(t == "COOPERATE" and set(a) == {"BRA", "ARG"} for t, a, _, _ in events(
        "The armies of Brazil and Argentina held joint war games in October."))


def test_a_civic_body_acts_where_the_sentence_is_a_team_does_not(events):
    # a rights group the lexicons do not know, in Kenya: a Kenyan actor; a sports club: none
    assert any(t == "REQUEST" and a == ["KEN"] for t, a, _, _ in events(
        "The Coastal Rights Organization has demanded the immediate release of the activists "
        "held in Mombasa."))
    assert not events("The Lakeside Saints signed the quarterback on Tuesday in Nairobi.")


def test_aid_cuts_eased_tariffs_invitations_and_inquiries(events):
    # the manual (REJECT): withdrawing aid is SANCTION; cutting tariffs eases sanctions
    assert any(t == "SANCTION" and a == ["NOR"] and r == ["MWI"] for t, a, r, _ in events(
        "Norway slashed its development aid to Malawi by a third."))
    assert any(t == "RETREAT" and a == ["CHL"] for t, a, _, _ in events(
        "Chile cut tariffs on Peruvian fruit imports in March."))
    # "struck a deal" agrees; an accepted invitation is AGREE (the manual, AGREE)
    assert [t for t, *_ in events("Ghana struck a deal with Togo over fishing rights.")] == \
        ["AGREE"]
    assert any(t == "AGREE" for t, *_ in events(
        "The Chilean president accepted an invitation to visit Bolivia."))
    # sending experts to investigate is the inquiry, not aid
    assert any(t == "ACCUSE" and a == ["NLD"] for t, a, _, _ in events(
        "The Netherlands sent four forensic experts to investigate the explosion at the port."))
    # forces kept on alert show force
    assert any(t == "MOBILIZE" and a == ["GRC"] for t, a, _, _ in events(
        "Greek troops remained on high alert along the border."))
    # refusing to end a strike is a refusal (REJECT yield); ending it concedes
    assert any(t == "REJECT" for t, *_ in events(
        "Chilean copper miners said they will not end the strike before wages are raised."))
    assert any(t == "CONCEDE" for t, *_ in events(
        "Chilean copper miners ended their strike on Monday."))


def test_expressed_feelings_are_statements(events):
    # concern or pessimism voiced is a statement (CAMEO 01), no PLOVER event; support is one
    assert not events("Chile's foreign minister expressed deep concern about the floods in Peru.")
    assert any(t == "SUPPORT" for t, *_ in events("Germany expressed support for the plan."))


def test_forces_a_speaker_calls_his_own_are_the_speakers(events):
    # "his troops" in what Kenya's minister said are Kenya's, not those of the place named
    assert any(t == "MOBILIZE" and a == ["KEN"] and r == ["SOM"] for t, a, r, _ in events(
        "Kenya's defence minister said his troops had crossed into Somalia."))
    assert any(t == "ASSAULT" and a == ["EGY"] for t, a, _, _ in events(
        "Egypt's president says his army will begin a new military operation against the "
        "militia in eastern Libya next month."))


def test_a_police_shooting_named_by_a_noun(events):
    # the police of the place it happened shot someone; a shooting range is no event
    assert any(t == "ASSAULT" and a == ["GRC"] and r == ["GRC"] for t, a, r, _ in events(
        "The fatal police shooting of a young cyclist in Patras sparked riots."))
    assert not any(t == "ASSAULT" for t, *_ in events(
        "He spent the afternoon at a shooting range in Texas."))


def test_crowds_that_protest_in_a_relative_clause(events):
    assert any(t == "PROTEST" and a == ["GRC"] for t, a, _, _ in events(
        "Greek youths who have protested nightly since the vote say they will stay in the square."))


def test_disasters_and_pleas_are_no_events(events):
    assert not events("A strong earthquake flattened four villages in northern Peru, killing 12.")
    assert not events("Floods killed 40 people in western Kenya.")
    assert not any(t == "REQUEST" for t, *_ in events(
        "A Denver man pleaded guilty on Friday to robbing two banks."))
    assert any(t == "REQUEST" for t, *_ in events("Kenya pleaded with donors for more aid."))


def test_a_game_told_holds_no_events_but_a_players_arrest(events):
    assert not events("Ramos cut into the deficit in Denver with a 40-yard touchdown run.")
    assert not events("The Bulls offered the shortstop a three-year contract in Chicago.")
    assert any(t == "COERCE" for t, *_ in events(
        "Police in Denver arrested the quarterback hours before the playoff game."))


def test_counterfactuals_and_showing_are_no_acts(events):
    # "would not have resigned" imagines another past: no refusal; "demonstrate that" shows
    assert not any(t == "REJECT" for t, *_ in events(
        "Without the leaks, the Peruvian president would not have resigned."))
    assert not events("Turkmen officials are keen to demonstrate that the vote is fair.")
    assert any(t == "PROTEST" for t, *_ in events("Students demonstrated in Ankara on Friday."))


def test_a_protest_named_by_a_noun_is_domestic(events):
    # gold/real/ANNOTATION.md: protesters of a country protest against its government, X -> X
    assert ("PROTEST", ["FRA"], ["FRA"], "asserted") in events(
        "A strike by air traffic controllers in France grounded flights on Tuesday.")


def test_an_inquiry_into_something_at_home_is_domestic(events):
    assert any(t == "ACCUSE" and a == ["USA"] and r == ["USA"] for t, a, r, _ in events(
        "The FBI's investigation of the warehouse break-in in Denver dragged on for months."))
    # an inquiry into a mishap or a cause has no target
    assert ("ACCUSE", ["KEN"], [], "asserted") in events(
        "An inquiry into the cause of the ferry fire in Mombasa began on Monday.")
    assert any(t == "ACCUSE" and r == ["UGA"] for t, _, r, _ in events(
        "Kenya opened an investigation into Uganda's role in the smuggling."))


def test_a_person_a_state_asks_is_its_own_when_nothing_else_places_them(events):
    found = events("The Chilean president asked Maria Gonzalez to lead the health ministry.")
    assert any(t == "REQUEST" and a == ["CHL"] and r == ["CHL"] for t, a, r, _ in found), found


def test_hyphenated_sides_of_talks_are_both_actors(events):
    found = events("Peru-Chile border talks resumed in Quito on Monday.")
    assert any(t == "CONSULT" and set(a) == {"PER", "CHL"} and r == [] for t, a, r, _ in found), \
        found
