"""Gold sets on real text nobody here wrote, kept as references instead of copies.

The project may not hold outside text, so a record of a real-text gold set names its document,
the character offsets of its passage and a hash of the passage; :func:`passage_text` rebuilds the
text from ``../shared/eval`` and checks the hash. Two kinds of documents:

- ``ecbplus:ECB+/36/36_1ecb.xml``: an ECB+ document (CC BY 3.0) as an outlet prints it
  (:func:`storyline.evaluate.ecbplus.reconstructed_text`, one sentence a line);
- ``page:<id>``: the ground-truth body of a page of the article-extraction benchmark (MIT).

>>> passage_sha1("Talks resumed.")
'21d7372adc680d823096c069a7549540f9750260'
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from storyline.errors import Msg, StorylineError


def passage_sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def default_eval_root() -> Path:
    """``../shared/eval`` beside the checkout (or the working directory's ``../shared``)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "eval"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "eval"


@lru_cache(maxsize=2048)
def document_text(doc: str, eval_root: str) -> str:
    """The full text a gold record's offsets point into."""
    root = Path(eval_root)
    kind, _, name = doc.partition(":")
    if kind == "ecbplus":
        from storyline.evaluate.ecbplus import read_document, reconstructed_text

        path = root / "ecbplus" / name
        if not path.is_file():
            raise StorylineError(Msg.E111, detail=f"no ECB+ document {name} under {root}")
        return reconstructed_text(read_document(path))
    if kind == "page":
        bodies = _benchmark_bodies(str(root))
        if name not in bodies:
            raise StorylineError(Msg.E111, detail=f"no benchmark page {name} under {root}")
        return bodies[name]
    raise StorylineError(Msg.E111, detail=f"unknown document kind in {doc!r}")


@lru_cache(maxsize=2)
def _benchmark_bodies(eval_root: str) -> dict[str, str]:
    path = Path(eval_root) / "article-extraction-benchmark" / "ground-truth.json"
    data = json.loads(path.read_text("utf-8"))
    return {key: str(value.get("articleBody") or "") for key, value in data.items()}


def passage_text(record: dict[str, Any], eval_root: Path | str | None = None) -> str:
    """The passage a record points at, checked against its hash."""
    root = str(eval_root or default_eval_root())
    text = document_text(str(record["doc"]), root)[int(record["start"]):int(record["end"])]
    if passage_sha1(text) != record.get("sha1"):
        raise StorylineError(Msg.E111, detail=f"passage {record.get('id')} no longer matches "
                             f"its hash (was the shared text changed?)")
    return text


def with_text(records: list[dict[str, Any]], eval_root: Path | str | None = None
              ) -> list[dict[str, Any]]:
    """Records that point at passages, with their ``text`` filled in (others unchanged)."""
    return [({**r, "text": passage_text(r, eval_root)} if "text" not in r and "doc" in r else r)
            for r in records]


def position_map(source: str, target: str) -> list[int | None]:
    """For each character of ``target``, its position in ``source`` (None where they differ)."""
    where: list[int | None] = [None] * len(target)
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for j in range(size):
            where[b + j] = a + j
    return where


# -- sentences of a document -------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z])")


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Sentences as character spans: a line each, split further after . ! ? before a capital.
    Plain rules, so the offsets do not depend on a model version."""
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        begin = start
        for m in _SENTENCE_END.finditer(line):
            end = start + m.start()
            if line[begin - start:m.start()].strip():
                yield begin, end
            begin = start + m.end()
        if line[begin - start:].strip():
            yield begin, start + len(line.rstrip())
