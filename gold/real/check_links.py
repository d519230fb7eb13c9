"""Check the real-text gold of cross-document event links (`gold/real/LINKS-ANNOTATION.md`).

Loads `links-dev.jsonl` and `links-test.jsonl`, rebuilds every document with
`storyline.evaluate.realtext.document_text`, and checks that each document still matches its
SHA-1, that every trigger span is in range and reads the trigger, that each mention is a gold event
of the real-text event gold (`events-*.jsonl`: same document, passage, trigger and type), that
every event of an ECB+ passage of that gold is in exactly one cluster, that a cluster with several
mentions spans several documents, has one type and one modality class (asserted or reported /
negated / hypothetical / future), stays in one ECB+ topic, and that each record's split follows
the topic rule. Prints the problems and the counts; exits 1 when there is any problem.

Run: python gold/real/check_links.py   (optional: --root ../shared/eval)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

from storyline.evaluate.realtext import default_eval_root, document_text, passage_sha1

HERE = Path(__file__).resolve().parent
LINK_FILES = ("links-dev.jsonl", "links-test.jsonl")
EVENT_FILES = ("events-dev.jsonl", "events-test.jsonl", "events-train-a.jsonl",
               "events-train-b.jsonl")
ECB_NAME = re.compile(r"^ecbplus:ECB\+/(\d+)/\d+_\d+(?:ecbplus|ecb)\.xml$")
MENTION_FIELDS = ("doc", "event", "start", "end", "trigger", "type", "modality",
                  "passage_start", "passage_end", "sha1")


def topic_of(doc: str) -> int | None:
    m = ECB_NAME.match(doc)
    return int(m.group(1)) if m else None


def split_of(topic: int) -> str:
    """The split rule fixed before labelling: parity of the SHA-1 of ``ecbplus-topic:<n>``."""
    digest = hashlib.sha1(f"ecbplus-topic:{topic}".encode()).hexdigest()
    return "dev" if int(digest, 16) % 2 == 0 else "test"


def modality_class(modality: str) -> str:
    return "asserted" if modality in ("asserted", "reported") else modality


def load(path: Path, problems: list[str]) -> list[dict]:
    if not path.is_file():
        problems.append(f"{path.name}: missing")
        return []
    records = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as err:
                problems.append(f"{path.name}:{n}: not JSON ({err})")
    return records


def gold_events(problems: list[str]) -> dict[str, tuple[dict, dict]]:
    """``<record id>#<index>`` -> (passage record, event) for the ECB+ passages of the event gold."""
    out = {}
    for name in EVENT_FILES:
        for record in load(HERE / name, problems):
            if str(record.get("doc", "")).startswith("ecbplus:"):
                for i, event in enumerate(record.get("events", [])):
                    out[f"{record['id']}#{i}"] = (record, event)
    return out


def check(root: str, problems: list[str]) -> Counter:
    counts: Counter = Counter()
    events = gold_events(problems)
    seen: Counter = Counter()
    ids: set[str] = set()
    texts: dict[str, str | None] = {}
    for name in LINK_FILES:
        expected = name.split("-")[1].split(".")[0]
        for record in load(HERE / name, problems):
            rid = str(record.get("id"))
            where = f"{name}:{rid}"
            if rid in ids:
                problems.append(f"{where}: duplicate id")
            ids.add(rid)
            if record.get("split") != expected:
                problems.append(f"{where}: split {record.get('split')!r} in {name}")
            mentions = record.get("mentions") or []
            if not mentions:
                problems.append(f"{where}: no mentions")
                continue
            topics = {topic_of(str(m.get("doc", ""))) for m in mentions}
            if len(topics) != 1 or None in topics:
                problems.append(f"{where}: mentions from several topics or not ECB+: {topics}")
            else:
                topic = next(iter(topics))
                if split_of(topic) != record.get("split"):
                    problems.append(f"{where}: topic {topic} belongs to {split_of(topic)}")
            if len(mentions) > 1:
                if len({m.get("doc") for m in mentions}) < 2:
                    problems.append(f"{where}: a linked cluster within one document")
                if len({m.get("type") for m in mentions}) > 1:
                    problems.append(f"{where}: several types")
                if len({modality_class(str(m.get("modality"))) for m in mentions}) > 1:
                    problems.append(f"{where}: asserted and non-asserted mentions mixed")
            for mention in mentions:
                mwhere = f"{where}:{mention.get('event')}"
                missing = [f for f in MENTION_FIELDS if f not in mention]
                if missing:
                    problems.append(f"{mwhere}: missing {missing}")
                    continue
                doc = str(mention["doc"])
                if doc not in texts:
                    try:
                        texts[doc] = document_text(doc, root)
                    except Exception as err:  # noqa: BLE001 - report any failure
                        problems.append(f"{mwhere}: cannot rebuild {doc}: {err}")
                        texts[doc] = None
                text = texts[doc]
                if text is None:
                    continue
                if passage_sha1(text) != mention["sha1"]:
                    problems.append(f"{mwhere}: {doc} no longer matches its SHA-1")
                    continue
                start, end = mention["start"], mention["end"]
                if not (isinstance(start, int) and isinstance(end, int)
                        and 0 <= start < end <= len(text)):
                    problems.append(f"{mwhere}: bad span {start}-{end}")
                    continue
                if text[start:end] != mention["trigger"]:
                    problems.append(f"{mwhere}: span reads {text[start:end]!r}, not the trigger")
                if not mention["passage_start"] <= start < end <= mention["passage_end"]:
                    problems.append(f"{mwhere}: trigger outside its passage")
                ref = events.get(str(mention["event"]))
                if ref is None:
                    problems.append(f"{mwhere}: no such gold event")
                    continue
                passage, event = ref
                same = (passage["doc"] == doc and passage["start"] == mention["passage_start"]
                        and passage["end"] == mention["passage_end"]
                        and event["trigger"] == mention["trigger"]
                        and event["type"] == mention["type"]
                        and event["modality"] == mention["modality"])
                if not same:
                    problems.append(f"{mwhere}: differs from the gold event it names")
                seen[str(mention["event"])] += 1
            split = str(record.get("split"))
            counts[f"{split} clusters"] += 1
            counts[f"{split} mentions"] += len(mentions)
            if len(mentions) > 1:
                counts[f"{split} linked clusters"] += 1
                counts[f"{split} mentions in linked clusters"] += len(mentions)
    for key in sorted(set(events) - set(seen)):
        problems.append(f"gold event {key} is in no cluster")
    for key, n in seen.items():
        if n > 1:
            problems.append(f"gold event {key} is in {n} clusters")
    for split in ("dev", "test"):
        counts[f"{split} documents"] = len({
            m["doc"] for name in LINK_FILES if split in name
            for r in load(HERE / name, []) for m in r.get("mentions", [])})
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=None, help="../shared/eval")
    args = parser.parse_args()
    root = str(args.root or default_eval_root())
    problems: list[str] = []
    counts = check(root, problems)
    for problem in problems:
        print("PROBLEM", problem)
    for key in sorted(counts):
        print(f"{key}: {counts[key]}")
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
