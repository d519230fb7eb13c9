"""Convert the PETRARCH2 unit-test records (XML with CAMEO codings) to storyline's event gold
format, and score them.

CAMEO event codes become PLOVER types by the longest matching prefix in ``data/plover.yaml``
(``cameo_to_plover``; 01 public statements are not events). Actor codes keep their first three
letters as the country code (the records use invented countries such as "ARN"/"GON", which no
real-world lexicon knows, so actor accuracy there measures little); "---" means no code.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from storyline.errors import Msg, StorylineError


@lru_cache(maxsize=1)
def _mapping() -> dict[str, str]:
    data = yaml.safe_load(resources.files("storyline.data").joinpath("plover.yaml")
                          .read_text("utf-8"))
    return {str(k): v for k, v in data["cameo_to_plover"].items()}


def plover_type(cameo: str) -> str | None:
    mapping = _mapping()
    for n in range(len(cameo), 1, -1):
        if cameo[:n] in mapping:
            return mapping[cameo[:n]]
    return None


def convert(path: str | Path) -> list[dict[str, Any]]:
    try:
        xml = Path(path).read_text("utf-8", errors="replace")
    except OSError as exc:
        raise StorylineError(Msg.E111, detail=str(exc)) from exc
    records = []
    for block in re.findall(r"<Sentence\b(.*?)</Sentence>", xml, flags=re.S):
        date = re.search(r'date="(\d{4})(\d{2})(\d{2})"', block)
        text = re.search(r"<Text>(.*?)</Text>", block, flags=re.S)
        if not text:
            continue
        events = []
        for source, target, code in re.findall(
                r'<EventCoding[^>]*sourcecode="([^"]*)"[^>]*targetcode="([^"]*)"[^>]*'
                r'eventcode="([^"]*)"', block):
            etype = plover_type(code)
            if etype is None:
                continue
            events.append({"type": etype,
                           "actors": [source[:3]] if source[:3] not in ("---", "") else [],
                           "recipients": [target[:3]] if target[:3] not in ("---", "") else [],
                           "cameo": code})
        records.append({"text": " ".join(text.group(1).split()),
                        "date": "-".join(date.groups()) if date else None, "events": events})
    if not records:
        raise StorylineError(Msg.E111, detail="no <Sentence> records with <Text>")
    return records


def evaluate_petrarch(path: str | Path, converted: str | Path | None = None) -> dict[str, Any]:
    from storyline.evaluate.events import evaluate_events

    records = convert(path)
    target = Path(converted) if converted else Path(path).with_suffix(".storyline.jsonl")
    if converted is None:
        import tempfile

        target = Path(tempfile.mkstemp(suffix=".jsonl")[1])
    target.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    report = evaluate_events(target)
    report["records"] = len(records)
    report["converted"] = str(target) if converted else None
    return report
