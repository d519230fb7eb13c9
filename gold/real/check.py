"""Check a labelled real-text gold file: every passage of its split is there once and unchanged,
the passage still matches its hash, and every label is well formed (types, modalities, codes,
a trigger found in the passage). Prints the problems and a summary; exits 1 when there are any.

Run: python gold/real/check.py gold/real/events-dev.jsonl  (--partial: a part of a split)
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import yaml

from storyline.evaluate.realtext import passage_text

HERE = Path(__file__).resolve().parent
MODALITIES = {"asserted", "future", "hypothetical", "negated", "reported"}
SECTORS = {"IGO", "NGO", "MNC"}
REFERENCE = ("id", "doc", "start", "end", "sha1", "split")


def known_codes() -> set[str]:
    text = resources.files("storyline.data").joinpath("countries.tsv").read_text("utf-8")
    codes = {line.split("\t", 1)[0] for line in text.splitlines()
             if line and not line.startswith("#") and not line.startswith("iso3")}
    return codes | SECTORS


def check(path: Path, partial: bool = False) -> list[str]:
    types = set(yaml.safe_load(resources.files("storyline.data").joinpath("plover.yaml")
                               .read_text("utf-8"))["types"])
    codes = known_codes()
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    split = records[0]["split"] if records else ""
    passages = {r["id"]: r for r in (json.loads(line) for line in
                (HERE / f"passages-{split}.jsonl").read_text("utf-8").splitlines() if line)}
    problems = []
    seen = Counter(r["id"] for r in records)
    problems += [f"{i}: appears {n} times" for i, n in seen.items() if n > 1]
    if not partial:
        problems += [f"{i}: missing" for i in passages if i not in seen]
    for r in records:
        where = r.get("id", "?")
        ref = passages.get(where)
        if ref is None or any(r.get(k) != ref[k] for k in REFERENCE):
            problems.append(f"{where}: reference fields differ from passages-{split}.jsonl")
            continue
        text = passage_text(r)
        if not isinstance(r.get("events"), list):
            problems.append(f"{where}: no events list")
            continue
        for e in r["events"]:
            if e.get("type") not in types:
                problems.append(f"{where}: type {e.get('type')!r}")
            if e.get("modality") not in MODALITIES:
                problems.append(f"{where}: modality {e.get('modality')!r}")
            for side in ("actors", "recipients"):
                values = e.get(side)
                if not isinstance(values, list) or len(set(values)) != len(values):
                    problems.append(f"{where}: {side} must be a list of distinct codes")
                    continue
                problems += [f"{where}: unknown code {c!r}" for c in values if c not in codes]
            if not e.get("actors"):
                problems.append(f"{where}: an event needs an actor")
            trigger = str(e.get("trigger") or "")
            if not trigger or trigger not in text:
                problems.append(f"{where}: trigger {trigger!r} is not in the passage")
    return problems


def main() -> None:
    path = Path(sys.argv[1])
    problems = check(path, partial="--partial" in sys.argv)
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    events = [e for r in records for e in r.get("events", [])]
    print(f"{path.name}: {len(records)} passages, {sum(not r.get('events') for r in records)} "
          f"without an event, {len(events)} events")
    print("  types:", dict(Counter(e.get("type") for e in events).most_common()))
    for p in problems:
        print("  PROBLEM", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
