"""Speakers of quotes: pronouns and role nouns carried across sentences, unnamed sources as
descriptions with the anonymous flag, organisation aliases merged, set-off cues."""

from __future__ import annotations

import pytest

from storyline.extract.speakers import acronym, org_canonical_names
from storyline.model import Actor


@pytest.fixture(scope="module")
def quotes():
    from storyline.annotate.actors import ActorAnnotator
    from storyline.annotate.nlp import load_nlp
    from storyline.extract.quotes import QuoteExtractor

    nlp, annotator, extractor = load_nlp(), ActorAnnotator(), QuoteExtractor()

    def run(text: str):
        doc = nlp(text)
        mentions, actors = annotator.annotate(doc)
        return [(text[q.content_start:q.content_end], q)
                for q in extractor.extract(doc, mentions, actors)]

    return run


def test_pronoun_goes_to_the_subject_of_its_gender(quotes):
    text = ("Mayor Ruth Adjei toured the flooded harbour with her deputy, Mr Kofi Boateng. "
            '"The harbour must reopen before the fishing season," she said.')
    found = dict(quotes(text))
    assert found["The harbour must reopen before the fishing season"].speaker == "Ruth Adjei"


def test_object_pronoun_does_not_gender_the_subject(quotes):
    """'asked her to perform' says nothing of the asker's gender; a resolved 'she' keeps its
    speaker salient for the next 'she said'."""
    text = ("Singer Maria Fernandez has died at 91. She was born in Seville. In 1960 a club "
            "owner named Tom Reyes heard the young singer and asked her to perform. Looking "
            'back on those years, she told a magazine: "I never regretted it for a moment." '
            'Fame never bothered her, she said. "I thought my voice would break," she said '
            "later.")
    found = quotes(text)
    assert len(found) == 3
    assert all(q.speaker == "Maria Fernandez" for _, q in found)


def test_participle_speaks_for_the_subject_of_the_sentence(quotes):
    text = "Engineer Carla Nunes doubted the pump had failed, saying the valve was stuck."
    found = dict(quotes(text))
    assert "Carla Nunes" in found["the valve was stuck"].speaker


def test_speakers_the_parser_misplaces(quotes):
    """An abbreviated title after the verb is not the speaker; a date between the name and the
    verb does not hide the name; a verb hung on its subject noun speaks for it, not for a name
    in what it reports; an apposition closing the subject phrase names the speaker."""
    found = dict(quotes('"The verdict was fair," said Dist. Atty. Maria Keller.'))
    assert found["The verdict was fair"].speaker == "Maria Keller"
    found = dict(quotes("As part of its expansion plans, Norvik Monday announced it has bought "
                        "a rival shipping firm in Bergen."))
    assert found["it has bought a rival shipping firm in Bergen"].speaker == "Norvik"
    found = dict(quotes("The charity, which runs shelters in six cities, confirmed on Friday "
                        "that it had been contacted by the office of the mayor, Peter Holm."))
    assert "Holm" not in found[
        "it had been contacted by the office of the mayor, Peter Holm"].speaker
    found = dict(quotes("The company that organises the festival, Brightline Events, says that "
                        "no date has been fixed."))
    assert found["no date has been fixed"].speaker == "Brightline Events"


def test_unnamed_role_nouns_stay_descriptions(quotes):
    """'the manager', 'the victim's mother' are unnamed sources, not the person named last;
    a role noun the text gives a named person before the name ('Coroner X') goes to them."""
    for sentence, description in (("The manager said the shop had been looted.", "the manager"),
                                  ("The victim's mother said her son was a good student.",
                                   "the victim 's mother"),
                                  ("Relatives said the climber was experienced.", "relatives")):
        [(_, quote)] = quotes("Mayor Tom Hill visited the site. " + sentence)
        assert quote.anonymous and quote.description == description, sentence
    found = dict(quotes("Coroner Gary Hill examined the body. The coroner said the man died of "
                        "natural causes. Saints spokesman Greg Bensel confirmed the news. The "
                        "spokesman said the owner was recovering."))
    assert found["the man died of natural causes"].speaker.endswith("Gary Hill")
    assert found["the owner was recovering"].speaker == "Greg Bensel"


def test_names_the_text_gives(quotes):
    """A name followed by ', who' is a person whatever the annotator guessed; an organisation
    speaks under the name the text prints, not a reference name; a closing guillemet is no
    subject."""
    found = dict(quotes("The defending champion, Felipe Arango, who finished fourth, admitted "
                        'that he had struggled. "Tomorrow is another day," he said.'))
    assert found["Tomorrow is another day"].speaker == "Felipe Arango"
    found = dict(quotes("The White House said the president would veto the bill."))
    assert found["the president would veto the bill"].speaker == "White House"
    found = dict(quotes("«We are close to a deal,» said Marta Olsen, the mediator."))
    assert found["We are close to a deal"].speaker == "Marta Olsen"


def test_statement_speaks_for_its_issuer(quotes):
    found = dict(quotes("The Interior Ministry rejected the plan. A statement from the ministry "
                        "said the plan was illegal."))
    assert found["the plan was illegal"].speaker == "Interior Ministry"


def test_description_speaker_is_flagged_anonymous(quotes):
    text = ("A senior official at the Ministry of Finance said the fuel subsidy would be cut "
            "in the spring budget.")
    [(content, quote)] = quotes(text)
    assert content == "the fuel subsidy would be cut in the spring budget"
    assert quote.speaker == "anonymous" and quote.anonymous and quote.actor is None
    assert quote.description.startswith("a senior official")


def test_company_resolves_to_the_organisation_not_a_country(quotes):
    text = ("Cables linking Malta and Tunisia failed on Sunday, according to Meridian Telecom. "
            "Repairs would take ten days, the telecommunications company said.")
    found = dict(quotes(text))
    assert "Meridian Telecom" in found["Repairs would take ten days"].speaker


def test_set_off_cue_keeps_nested_report_inside(quotes):
    text = "Witnesses said the van was blue, police spokesman Ade Bello said on Friday."
    [(content, quote)] = quotes(text)
    assert content == "Witnesses said the van was blue"
    assert "Bello" in quote.speaker


def test_organisation_aliases_merge_to_the_fullest_name():
    actors = [Actor("1", "Kestrel Motors", "organisation"), Actor("2", "KM", "organisation"),
              Actor("3", "Harbour Bank", "organisation"),
              Actor("4", "Harbour Bank Group", "organisation"),
              Actor("5", "Ama Kestrel", "person")]
    names = org_canonical_names(actors)
    assert acronym("Kestrel Motors") == "KM"
    assert names[1] == "Kestrel Motors"
    assert names[2] == "Harbour Bank Group"
    assert 4 not in names


def test_a_named_newspaper_is_not_an_unnamed_source(quotes):
    text = ("The Harbour Courier daily said the ferry contract would be signed on Monday. "
            "A port official said talks were still going on.")
    found = dict(quotes(text))
    courier = found["the ferry contract would be signed on Monday"]
    assert not courier.anonymous and "Harbour Courier" in courier.speaker
    official = found["talks were still going on"]
    assert official.anonymous and official.description == "a port official"
