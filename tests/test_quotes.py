"""Quotes: direct, indirect, mixed; speakers resolved to actors; gold floor."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, needs_shared
from storyline.extract.quotes import quote_marks

GOLD = ROOT / "gold" / "quotes.jsonl"


@pytest.fixture(scope="module")
def quotes():
    from storyline.annotate.actors import ActorAnnotator
    from storyline.annotate.nlp import load_nlp
    from storyline.extract.quotes import QuoteExtractor

    nlp, annotator, extractor = load_nlp(), ActorAnnotator(), QuoteExtractor()

    def run(text: str):
        doc = nlp(text)
        mentions, actors = annotator.annotate(doc)
        return [(q.kind, text[q.content_start:q.content_end], q.speaker, q.cue)
                for q in extractor.extract(doc, mentions, actors)]

    return run


def test_quote_marks_skip_apostrophes():
    text = "She said: “It’s done.” The so-called ‘green lane’ opened. «Oui», dit-il."
    assert [text[s:e] for s, e in quote_marks(text)] == ["It’s done.", "green lane", "Oui"]


def test_quote_spans_end_where_the_quoted_words_end():
    """A quote running over paragraphs is one span per paragraph, ending at the line's end; a
    straight opening mark may close with a curly one; a comma before the closing mark is out."""
    text = ('The harbour master said: "We will rebuild the pier.\n"It will take a year," he '
            'added. A clerk called it "a long wait” and left.')
    assert [text[s:e] for s, e in quote_marks(text)] == [
        "We will rebuild the pier.", "It will take a year", "a long wait"]


def test_direct_split_and_pronoun_speakers(quotes):
    text = ('Health Minister Amina Yusuf visited the clinic on Monday. "We will not give up," '
            'said Dr Yusuf. "The patients need us." Later she added: "More nurses are coming '
            'next month."')
    found = quotes(text)
    assert [k for k, *_ in found] == ["direct", "direct", "direct"]
    assert all(speaker == "Amina Yusuf" for _, _, speaker, _ in found)


def test_indirect_mixed_and_anonymous(quotes):
    text = ("Port economist Rahul Mehta told reporters that exports would fall this year. "
            'He said the new rules were "a step backwards" for small traders. '
            "According to the port authority, 300 ships are waiting. "
            "A senior official who asked not to be named said talks had stalled.")
    found = {content: (kind, speaker) for kind, content, speaker, _ in quotes(text)}
    assert found["exports would fall this year"] == ("indirect", "Rahul Mehta")
    mixed = [c for c in found if "a step backwards" in c]
    assert mixed and found[mixed[0]] == ("mixed", "Rahul Mehta")
    assert "300 ships are waiting" in found
    assert found["talks had stalled"][1] == "anonymous"


def test_scare_quotes_and_titles_are_not_quotes(quotes):
    text = ('The so-called "green corridor" opened on Friday. Her book "Rivers of Salt" sold '
            "well in Lima.")
    assert quotes(text) == []


def test_continuation_after_an_attribution_naming_someone_else(quotes):
    """A quote right after an attributed one goes on in the same voice, even when the
    attributing sentence names another person; a name on the next line is no attribution."""
    text = ('"We will win the cup," said coach Lena Varga, who replaced Tomas Brandt in May. '
            '"They know it."\n'
            '"The bridge has to be repaired before winter," said engineer Priya Nair.\n'
            '"Nobody will cross it."\nMarco Rossi, the mayor, disagreed.')
    found = {content: (kind, speaker) for kind, content, speaker, _ in quotes(text)}
    assert found["They know it."] == ("direct", "Lena Varga")
    assert found["Nobody will cross it."] == ("direct", "Priya Nair")


def test_nested_and_second_reports(quotes):
    """A report inside another stays inside it; 'A, he also said that B' reports both A and
    B; a 'that' clause the parser hangs on an adjunct noun is still the reported clause."""
    found = quotes("The minister said the auditors had told him that the accounts were clean.")
    assert [c for _, c, _, _ in found] == [
        "the auditors had told him that the accounts were clean"]
    found = quotes("Finance chief Omar Haddad said the budget was balanced this year, he also "
                   "said that if prices kept rising, then taxes would go up.")
    assert [c for _, c, _, _ in found] == [
        "the budget was balanced this year", "if prices kept rising, then taxes would go up"]
    found = quotes("Although the river rose every spring, the council argued for years that "
                   "the old dam was safe.")
    assert [c for _, c, _, _ in found] == ["the old dam was safe"]


def test_fragments_sources_and_unclosed_quotes(quotes):
    """A quoted caption or infinitive ending a speech verb's object is a direct quote; a
    trailing 'according to X, adding ...' reports only the clause before it; a reported clause
    that opens a quotation ends on its closing mark; belief is not speech."""
    found = quotes('The team posted a picture of the trophy from its account on Monday, with '
                   'the caption: "Champions again".')
    assert [(k, c) for k, c, _, _ in found] == [("direct", "Champions again")]
    found = quotes('The charity promised to "give every child in the valley a warm meal".')
    assert [(k, c) for k, c, _, _ in found] == [
        ("direct", "give every child in the valley a warm meal")]
    found = quotes("The Harlow mill will close in March, according to two people familiar "
                   "with the plans, adding to the town's troubles.")
    assert [c for _, c, _, _ in found] == ["The Harlow mill will close in March"]
    text = ('According to the police statement, the driver was seen "leaving the scene at '
            'speed.\nHe was stopped two miles away."')
    [(kind, content, _, cue)] = quotes(text)
    assert kind == "mixed" and cue == "according to" and content.endswith('two miles away."')
    assert quotes("The coroner believes the man died of natural causes.") == []


def test_spans_leave_out_datelines_and_adjuncts_of_the_verb(quotes):
    """Spans start after a dateline and after a time the parser hung on the clause; a closing
    parenthesis whose opening is inside stays."""
    cases = {"VIENNA — The house will be a museum, the ministry said.":
             "The house will be a museum",
             "(Reuters) — The bank will cut 500 jobs, according to two people familiar with "
             "the plan.": "The bank will cut 500 jobs",
             "US - China talks are over, the minister said.": "US - China talks are over",
             "Acme Corp said on Monday it would cut 500 jobs.": "it would cut 500 jobs",
             "Damage was estimated at $1 million (about 900,000 euros), the fire chief said.":
             "Damage was estimated at $1 million (about 900,000 euros)"}
    for text, content in cases.items():
        assert [c for _, c, _, _ in quotes(text)] == [content], text


def test_nested_quote_stays_in_the_outer_report(quotes):
    """'X said she heard Y say "..."' is one mixed record of X's, ending on the closing mark."""
    found = quotes('Ana Ruiz said she heard a guard say, "The gate is open."')
    assert [(k, c, s) for k, c, s, _ in found] == [
        ("mixed", 'she heard a guard say, "The gate is open."', "Ana Ruiz")]


def test_titles_in_quotes_are_not_speech(quotes):
    """A quoted title stays out, and a clause around it stays indirect."""
    assert quotes('The ministry has printed a leaflet, "Five Facts About Measles", for '
                  "parents.") == []
    found = quotes('The report, titled "Roads to Nowhere in the North", said the money was '
                   "wasted.")
    assert [(k, c) for k, c, _, _ in found] == [("indirect", "the money was wasted")]


def test_told_someone_that(quotes):
    found = quotes("The club's chairman, Lucia Ferro, told a local newspaper that the coach "
                   "would stay.")
    assert [(c, s) for _, c, s, _ in found] == [("the coach would stay", "Lucia Ferro")]


def test_clause_before_a_dash_is_not_reported(quotes):
    assert quotes("The reservoir is nearly empty - it denies claims that the dam is leaking.") \
        == []


def test_curly_opening_closed_by_a_straight_mark():
    text = '“The pumps work again," the engineer said. "Full pressure by noon."'
    assert [text[s:e] for s, e in quote_marks(text)] == [
        "The pumps work again", "Full pressure by noon."]


def test_continued_paragraph_without_closing_mark():
    text = ('The board said: "We will expand.\n\n"We will hire forty people.\n\nCompany '
            'statement\n\n"More to come," it added.')
    assert [text[s:e] for s, e in quote_marks(text)] == [
        "We will expand.", "We will hire forty people.", "More to come"]


@pytest.mark.slow
def test_gold_floor(cli):
    code, stdout, _ = cli("eval", "quotes", str(GOLD), "--json")
    assert code == 0
    report = json.loads(stdout)
    assert report["gold"] >= 60
    assert report["quotes"]["f1"] >= 0.9, report["quotes"]
    assert report["speaker_accuracy"] >= 0.9


@pytest.mark.shared
def test_seed_quote_speakers(tmp_path, cli):
    """ACCEPTANCE "Quotes": each listed speaker is found, with a role or an affiliation."""
    from conftest import SEEDS

    if not SEEDS.is_dir():
        pytest.skip("../shared is absent (seed corpus lives there)")
    db = str(tmp_path / "q.db")
    assert cli("ingest", str(SEEDS), "--db", db)[0] == 0
    code, stdout, _ = cli("export", "quotes", "--db", db)
    rows = [json.loads(line) for line in stdout.splitlines()]
    speakers = {r["speaker"]["name"] for r in rows}
    for surname in ("Yevseyev", "Luzyanin", "Putin", "Kaukenov", "Neill", "Sun", "Nouwens",
                    "Zhao", "Gabuev", "Char", "Heng"):
        assert any(surname in (s or "") for s in speakers), surname
    assert any(r["kind"] == "indirect" and "Heng" in (r["speaker"]["name"] or "") for r in rows)
    # an unnamed source is a flag; its name is the description the text gives, never "anonymous"
    unnamed = [r for r in rows if r["speaker"]["anonymous"] and r["kind"] == "direct"]
    assert unnamed and all(r["speaker"]["name"] for r in unnamed)
    roles = {r["speaker"]["name"]: r["speaker"]["role"] for r in rows}
    assert all(roles[name] for name in roles if name and any(
        s in name for s in ("Yevseyev", "Kaukenov", "Neill", "Gabuev", "Putin")))


REAL = ROOT / "gold" / "real"


@needs_shared
def test_real_text_quote_gold_is_consistent():
    """The references of the real-text quote and publication-date gold still point at the same
    text in ../shared, with spans in range and direct quotes between quote marks."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(REAL / "check_quotes.py")], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "0 problem(s)" in result.stdout


#: measured on gold/real/quotes-dev.jsonl (25 real documents, 239 quotes): F1 0.852, speaker
#: accuracy 0.713 before storyline.extract.speakers, F1 0.906, speaker 0.885 after (test
#: half, run once: F1 0.898, speaker 0.848); F1 0.973 (P 0.983, R 0.962), speaker 0.939 after
#: the dev error study of issue 14 (test half, run once: F1 0.912, speaker 0.863); the frozen
#: test half (24 documents, 205 quotes) is reported, not tuned on.
REAL_DEV_F1 = 0.96
REAL_DEV_SPEAKER = 0.93


@pytest.mark.slow
@needs_shared
def test_real_text_quote_floor(cli):
    code, stdout, _ = cli("eval", "quotes", str(REAL / "quotes-dev.jsonl"), "--json")
    report = json.loads(stdout)
    assert code == 0 and report["gold"] == 239
    assert report["quotes"]["f1"] >= REAL_DEV_F1, report["quotes"]
    assert report["speaker_accuracy"] >= REAL_DEV_SPEAKER, report["speaker_accuracy"]
