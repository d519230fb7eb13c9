"""``storyline eval ...`` and ``storyline train ...``: scores against evaluation data, and
the learned components trained again from the project's annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.common import JsonOption, _evaluate, _fail, _print_json, _row, _table, app, eval_app, out
from storyline.errors import Msg, StorylineError


@eval_app.command("extraction")
def eval_extraction(
    folder: Annotated[Path, typer.Argument(help="Folder with ground-truth.json and html/.")],
    as_json: JsonOption = False,
) -> None:
    """Main-text extraction: per-document 4-shingle precision/recall/F1, averaged."""
    from storyline.evaluate.extraction import evaluate_extraction

    report = _evaluate(evaluate_extraction, folder, as_json=as_json)
    if report is None:
        return
    table = _table("documents", "precision", "recall", "F1", "pages/s",
                   title="main-text extraction (trafilatura + storyline cleaning)")
    m = report["mean"]
    table.add_row(str(report["documents"]), f"{m['precision']:.4f}", f"{m['recall']:.4f}",
                  f"{m['f1']:.4f}", str(report["pages_per_second"]))
    out.print(table)
    worst = _table("document", "F1", "url", title="lowest F1")
    for d in report["worst"][:5]:
        _row(worst, d["id"][:12], f"{d['f1']:.3f}", d["url"])
    out.print(worst)


@eval_app.command("time")
def eval_time(
    gold: Annotated[Path, typer.Argument(help="JSONL: {text, dct, timexes: [{text, value}]}.")],
    parser: Annotated[bool, typer.Option(
        "--parser/--no-parser", help="Use the spaCy parse for tense (default) or cue words.")] = True,
    split: Annotated[str, typer.Option(help="all, dev or test (a hash of the document id).")] = "all",
    as_json: JsonOption = False,
) -> None:
    """Time expressions: span P/R/F1, value accuracy and TempEval-3 value F1 against a gold file
    (per TimeML type when the gold gives types)."""
    from storyline.evaluate.time import evaluate_time

    if split not in ("all", "dev", "test"):
        raise _fail(StorylineError(Msg.E109, detail="--split is all, dev or test"))
    report = _evaluate(evaluate_time, gold, use_parser=parser, split=split, as_json=as_json)
    if report is None:
        return
    m, v = report["micro"], report["value"]
    table = _table("documents", "gold", "precision", "recall", "F1", "value accuracy",
                   "value F1", title="time expressions")
    _row(table, report["documents"], report["gold"], f"{m['precision']:.4f}",
         f"{m['recall']:.4f}", f"{m['f1']:.4f}", f"{report['value_accuracy']:.4f}",
         f"{v['f1']:.4f}")
    out.print(table)
    if len(report["by_type"]) > 1:
        kinds = _table("type", "gold", "recall", "right value", title="by TimeML type")
        for kind, t in report["by_type"].items():
            _row(kinds, kind, t["gold"], f"{t['recall']:.3f}", f"{t['value_accuracy_all']:.3f}")
        out.print(kinds)
    wrong = [e for e in report["errors"] if e["gold"] and e["predicted"]]
    if wrong:
        errors = _table("text", "dct", "gold", "predicted", title="wrong values")
        for e in wrong[:10]:
            _row(errors, e["text"], e["dct"], e["gold"], e["predicted"])
        out.print(errors)


@eval_app.command("ner")
def eval_ner(
    gold: Annotated[Path, typer.Argument(help="IOB2 file with PER/ORG/LOC tags.")],
    as_json: JsonOption = False,
) -> None:
    """Named entities: P/R/F1 of the bare spaCy model and of the actor layer, in one run."""
    from storyline.evaluate.ner import evaluate_ner

    report = _evaluate(evaluate_ner, gold, as_json=as_json)
    if report is None:
        return
    table = _table("system", "type", "precision", "recall", "F1",
                   title=f"named entities ({report['sentences']} sentences)")
    for name, scores in (("spaCy", report["bare"]), ("storyline actors", report)):
        for kind, row in [("all", scores["micro"]), *scores["per_type"].items()]:
            _row(table, name, kind, f"{row['precision']:.4f}", f"{row['recall']:.4f}",
                 f"{row['f1']:.4f}")
    out.print(table)


@eval_app.command("quotes")
def eval_quotes(
    gold: Annotated[Path, typer.Argument(help="JSONL: {text, dct, quotes: [...]}.")],
    as_json: JsonOption = False,
) -> None:
    """Quotes: P/R/F1 (content spans overlapping by half) and speaker accuracy."""
    from storyline.evaluate.quotes import evaluate_quotes

    report = _evaluate(evaluate_quotes, gold, as_json=as_json)
    if report is None:
        return
    q = report["quotes"]
    table = _table("documents", "gold", "precision", "recall", "F1", "speaker accuracy",
                   title="quotes")
    _row(table, report["documents"], report["gold"], f"{q['precision']:.4f}",
         f"{q['recall']:.4f}", f"{q['f1']:.4f}", f"{report['speaker_accuracy']:.4f}")
    out.print(table)
    kinds = _table("kind", "gold", "found", "recall", title="by kind")
    for kind, row in report["by_kind"].items():
        _row(kinds, kind, row["gold"], row["found"], f"{row['recall']:.4f}")
    out.print(kinds)


@eval_app.command("pubdates")
def eval_pubdates(
    gold: Annotated[Path, typer.Argument(
        help="JSONL: {doc, split, published} per document (gold/real/pubdates.jsonl).")],
    split: Annotated[str, typer.Option(help="all, dev or test.")] = "all",
    as_json: JsonOption = False,
) -> None:
    """Publication dates found by the ingest stages on real documents: accuracy (right date, or
    rightly none) and precision (right among dates given)."""
    from storyline.evaluate.pubdates import evaluate_pubdates

    if split not in ("all", "dev", "test"):
        raise _fail(StorylineError(Msg.E109, detail="--split is all, dev or test"))
    report = _evaluate(evaluate_pubdates, gold, split, as_json=as_json)
    if report is None:
        return
    table = _table("documents", "dated", "accuracy", "dates given", "precision", "recall",
                   title=f"publication dates ({split})")
    _row(table, report["documents"], report["dated"], f"{report['accuracy']:.3f}",
         report["given"], f"{report['precision']:.3f}", f"{report['recall']:.3f}")
    out.print(table)
    methods = _table("found by", "given", "right", title="by method")
    for method, row in sorted(report["by_method"].items()):
        _row(methods, method, row["given"], row["right"])
    out.print(methods)
    for error in report["errors"]:
        out.print(f"  {error['doc']}: gold {error['gold'] or '-'}, found {error['found'] or '-'}"
                  f"{' (' + error['method'] + ')' if error['method'] else ''}", highlight=False)


@eval_app.command("events")
def eval_events(
    gold: Annotated[Path, typer.Argument(help="JSONL: {text, date, events: [...]}.")],
    in_document: Annotated[bool, typer.Option(
        "--in-document", help="Code each real-text passage within its whole document, as "
        "ingest does, and score the events of the passage's sentences.")] = False,
    as_json: JsonOption = False,
) -> None:
    """PLOVER events: correct/missed/extra, per-type P/R/F1, actor and recipient accuracy."""
    from storyline.evaluate.events import evaluate_events

    report = _evaluate(evaluate_events, gold, as_json=as_json, in_document=in_document)
    if report is None:
        return
    m = report["micro"]
    table = _table("gold", "correct", "missed", "extra", "P", "R", "F1", "type acc.",
                   "actor acc.", "recipient acc.", title="PLOVER events")
    _row(table, report["gold"], report["correct"], report["missed"], report["extra"],
         f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
         f"{report['type_accuracy']:.3f}", f"{report['actor_accuracy']:.3f}",
         f"{report['recipient_accuracy']:.3f}")
    out.print(table)
    per_type = _table("type", "P", "R", "F1", title="per type")
    for kind, row in report["per_type"].items():
        _row(per_type, kind, f"{row['precision']:.3f}", f"{row['recall']:.3f}",
             f"{row['f1']:.3f}")
    out.print(per_type)


train_app = typer.Typer(help="Train the learned components from the project's annotations.",
                        no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("events")
def train_events(
    gold: Annotated[Path, typer.Option(help="The gold folder of a checkout.")] = Path("gold"),
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Where to write the weights (default: the package's own).")
    ] = Path("src/storyline/data/event_typer.json.gz"),
    as_json: JsonOption = False,
) -> None:
    """Train the event typer on gold/real/events-train-*.jsonl and gold/synthetic/ (needs
    scikit-learn and ../shared for the real passages' text)."""
    from storyline.extract.events.training import train

    try:
        data, meta = train(gold)
    except StorylineError as exc:
        raise _fail(exc) from exc
    output.write_bytes(data)
    if as_json:
        _print_json({**meta, "output": str(output), "bytes": len(data)})
        return
    out.print(f"trained on {meta['sentences']} sentences of {meta['passages']} passages "
              f"({', '.join(meta['files'])}) -> {output} ({len(data):,} bytes)", highlight=False)


@eval_app.command("quad")
def eval_quad(
    gold: Annotated[Path, typer.Argument(help="TSV: sentence<TAB>quad class 0-4.")],
    spans: Annotated[Path | None, typer.Option(
        help="IOB2 tokens with B-S/I-S source and B-T/I-T target tags.")] = None,
    split: Annotated[str, typer.Option(help="all, dev or test (a hash of the sentence).")] = "all",
    as_json: JsonOption = False,
) -> None:
    """Event coding by CAMEO quad class (ConfliBERT format): accuracy, confusion, events found."""
    from storyline.evaluate.quad import CLASSES, evaluate_quad

    if split not in ("all", "dev", "test"):
        raise _fail(StorylineError(Msg.E109, detail="--split is all, dev or test"))
    report = _evaluate(evaluate_quad, gold, spans, split, as_json=as_json)
    if report is None:
        return
    out.print(f"{report['sentences']} sentences ({report['split']}): quad accuracy "
              f"{report['accuracy']:.3f}; an event in {report['event_found_1_4']:.1%} of class "
              f"1-4 sentences and {report['event_found_0']:.1%} of class 0 "
              f"({report['conflict_or_cooperation_0']:.1%} one that is not an appeal)",
              highlight=False)
    table = _table("gold \\ predicted", *map(str, CLASSES), "accuracy", "with event",
                   title="confusion")
    for g in CLASSES:
        row = report["confusion"][str(g)]
        cls = report["per_class"][str(g)]
        _row(table, g, *(row[str(p)] for p in CLASSES), f"{cls['accuracy']:.3f}",
             f"{cls['with_event']:.3f}")
    out.print(table)
    if "spans" in report:
        sp = report["spans"]
        out.print(f"actor in the source span {sp['actor_in_source']:.3f} "
                  f"({sp['actors_scored']} sentences); recipient in the target span "
                  f"{sp['recipient_in_target']:.3f} ({sp['recipients_scored']})",
                  highlight=False)


@eval_app.command("places")
def eval_places(
    gold: Annotated[Path, typer.Argument(
        help="Geoparsing XML: LGL / TR-News (toponym, gaztag), GeoVirus (location) or "
             "GeoWebNews (toponym with type).")],
    split: Annotated[str, typer.Option(help="all, dev or test (a hash of the article id).")] = "all",
    limit: Annotated[int | None, typer.Option(help="Score the first N articles only.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Toponym recognition (P/R/F1 by overlap and exact span) and resolution (accuracy within
    161 km, median error, AUC of the log error; a recognised toponym with no point counts as
    20,039 km)."""
    from storyline.evaluate.places import evaluate_places

    if split not in ("all", "dev", "test"):
        raise _fail(StorylineError(Msg.E109, detail="--split is all, dev or test"))
    report = _evaluate(evaluate_places, gold, limit, split, as_json=as_json)
    if report is None:
        return
    rec, exact = report["recognition"], report["recognition_exact"]
    out.print(f"{report['articles']} articles ({report['split']}), {report['gold']} gold "
              f"toponyms", highlight=False)
    table = _table("measure", "precision", "recall", "F1", title="recognition")
    _row(table, "overlap", f"{rec['precision']:.3f}", f"{rec['recall']:.3f}", f"{rec['f1']:.3f}")
    _row(table, "exact span", f"{exact['precision']:.3f}", f"{exact['recall']:.3f}",
         f"{exact['f1']:.3f}")
    out.print(table)
    median = "-" if report["median_km"] is None else f"{report['median_km']:,.0f} km"
    auc = "-" if report["auc"] is None else f"{report['auc']:.3f}"
    out.print(f"resolution over {report['resolved']} recognised toponyms with a gold point: "
              f"acc@161 km {report['acc_161']:.3f}, median error {median}, AUC {auc}, "
              f"{report['no_point']} without a point", highlight=False)


@eval_app.command("stories")
def eval_stories(
    folder: Annotated[Path, typer.Argument(help="The ECB+ folder (ECB+/<topic>/*.xml).")],
    events: Annotated[bool, typer.Option(
        "--events/--no-events", help="Also extract and link events (slower).")] = True,
    as_json: JsonOption = False,
) -> None:
    """ECB+: story clustering BCubed and cross-document event linking CoNLL F1, dev and test."""
    from storyline.evaluate.ecbplus import evaluate_stories
    from storyline.evaluate.linking import extract_and_link

    report = _evaluate(evaluate_stories, folder, extract_and_link if events else None,
                       as_json=as_json)
    if report is None:
        return
    table = _table("split", "documents", "stories", "gold stories", "BCubed P", "R", "F1",
                   "event CoNLL F1", "mention recall", title="ECB+ stories and events")
    for split, r in report.items():
        b = r["bcubed"]
        _row(table, split, r["documents"], r["stories"], r["gold_stories"],
             f"{b['precision']:.3f}", f"{b['recall']:.3f}", f"{b['f1']:.3f}",
             f"{r['event_conll_f1']:.3f}" if "event_conll_f1" in r else "-",
             f"{r['mention_recall']:.3f}" if "mention_recall" in r else "-")
    out.print(table)


@eval_app.command("links")
def eval_links(
    gold: Annotated[Path, typer.Argument(
        help="JSONL of gold event clusters (gold/real/links-dev.jsonl).")],
    split: Annotated[str, typer.Option(help="all, dev or test.")] = "all",
    as_json: JsonOption = False,
) -> None:
    """Cross-document event linking on real news: ingest the gold's documents, then mention
    recall and pairwise / BCubed linking precision and recall against the gold clusters."""
    from storyline.evaluate.links import evaluate_links

    if split not in ("all", "dev", "test"):
        raise _fail(StorylineError(Msg.E109, detail="--split is all, dev or test"))
    report = _evaluate(evaluate_links, gold, split, as_json=as_json)
    if report is None:
        return
    pw, b3 = report["pairwise"], report["bcubed"]
    out.print(f"{report['documents']} documents ({split}), {report['gold_clusters']} gold clusters "
              f"({report['gold_linked_clusters']} across documents), {report['gold_mentions']} "
              f"gold mentions; found {report['found_mentions']} (mention recall "
              f"{report['mention_recall']:.3f})", highlight=False)
    table = _table("measure", "precision", "recall", "F1", title="event linking (found mentions)")
    _row(table, f"pairs ({pw['correct']}/{pw['predicted_pairs']} predicted, "
         f"{pw['gold_pairs']} gold)", f"{pw['precision']:.3f}", f"{pw['recall']:.3f}",
         f"{pw['f1']:.3f}")
    _row(table, "BCubed", f"{b3['precision']:.3f}", f"{b3['recall']:.3f}", f"{b3['f1']:.3f}")
    out.print(table)
    out.print(f"CoNLL F1 {report['conll_f1']:.3f}", highlight=False)


@eval_app.command("petrarch")
def eval_petrarch(
    records: Annotated[Path, typer.Argument(help="PETRARCH2 unit-test records (XML).")],
    convert_to: Annotated[Path | None, typer.Option(
        help="Also write the converted gold file (events JSONL) here.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Convert PETRARCH2 unit tests (CAMEO -> PLOVER) and score event coding on them."""
    from storyline.evaluate.petrarch import evaluate_petrarch

    try:
        report = evaluate_petrarch(records, convert_to)
    except StorylineError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json({k: v for k, v in report.items() if k != "errors"})
        return
    m = report["micro"]
    table = _table("records", "gold events", "correct", "missed", "extra", "F1", "type acc.",
                   title="PETRARCH2 unit tests as PLOVER")
    _row(table, report["records"], report["gold"], report["correct"], report["missed"],
         report["extra"], f"{m['f1']:.3f}", f"{report['type_accuracy']:.3f}")
    out.print(table)


