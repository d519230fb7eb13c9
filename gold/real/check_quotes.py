"""Check the real-text gold for quotes and publication dates (`gold/real/QUOTES-ANNOTATION.md`).

Loads `quotes-dev.jsonl`, `quotes-test.jsonl` and `pubdates.jsonl`, rebuilds every document with
`storyline.evaluate.realtext.document_text`, and checks that the document still matches its SHA-1,
that every offset is in range, that the quote contents of a document do not overlap, that a
direct quote sits between quote marks, that each record's split follows the hash rule, and that the
labels are well formed. Prints the problems and the counts; exits 1 when there is any problem.

Run: python gold/real/check_quotes.py   (optional: --root ../shared/eval)
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
QUOTE_FILES = ("quotes-dev.jsonl", "quotes-test.jsonl")
PUBDATE_FILE = "pubdates.jsonl"

KINDS = {"direct", "indirect", "mixed"}
SPEAKER_KINDS = {"person", "organisation", "description", "pronoun-resolved", "unknown"}
EVIDENCE = {"text", "html", "url", "none"}
QUOTE_FIELDS = ("kind", "content_start", "content_end", "cue_start", "cue_end", "speaker",
                "speaker_start", "speaker_end", "speaker_kind", "anonymous")
OPENING = set("\"“‘'«„")
CLOSING = set("\"”’'»“")
ANY_MARK = OPENING | CLOSING
DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
ECB_NAME = re.compile(r"^ecbplus:ECB\+/\d+/(\d+)_\d+(ecbplus|ecb)\.xml$")


def split_group(doc: str) -> str:
    """ECB+ documents are split by sub-topic (topic x half, e.g. ``ecbplus:36ecb``) so that
    articles on the same event never sit on both sides; a benchmark page is its own group."""
    m = ECB_NAME.match(doc)
    return f"ecbplus:{m.group(1)}{m.group(2)}" if m else doc


def split_of(doc: str) -> str:
    """The split rule fixed before labelling: parity of the SHA-1 of the group name."""
    return "dev" if int(hashlib.sha1(split_group(doc).encode()).hexdigest(), 16) % 2 == 0 else "test"


def load(path: Path, problems: list[str]) -> list[dict]:
    if not path.is_file():
        problems.append(f"{path.name}: missing")
        return []
    records = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as err:
            problems.append(f"{path.name}:{n}: not JSON ({err})")
    return records


def text_of(doc: str, sha1: str | None, root: str, where: str, problems: list[str]) -> str | None:
    try:
        text = document_text(doc, root)
    except Exception as err:  # noqa: BLE001 - report any failure to rebuild the text
        problems.append(f"{where}: cannot rebuild {doc}: {err}")
        return None
    if sha1 is not None and passage_sha1(text) != sha1:
        problems.append(f"{where}: {doc} no longer matches its SHA-1")
        return None
    return text


def span_ok(text: str, start, end, where: str, what: str, problems: list[str],
            nullable: bool = False) -> bool:
    if start is None and end is None and nullable:
        return True
    if not (isinstance(start, int) and isinstance(end, int)):
        problems.append(f"{where}: {what} offsets missing or not integers")
        return False
    if not 0 <= start < end <= len(text):
        problems.append(f"{where}: {what} span [{start}, {end}) out of range")
        return False
    if text[start:end] != text[start:end].strip():
        problems.append(f"{where}: {what} span has surrounding whitespace")
    return True


def direct_marks_ok(text: str, start: int, end: int) -> bool:
    """An opening mark just before the content (spaces allowed between), and after it a closing
    mark, optionally preceded by a comma and spaces; or the end of a paragraph, for a paragraph
    that a quote continues past without a closing mark."""
    i = start - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    if i < 0 or text[i] not in OPENING:
        return False
    j = end
    if j < len(text) and text[j] == ",":
        j += 1
    while j < len(text) and text[j] == " ":
        j += 1
    return j >= len(text) or text[j] in CLOSING or text[j] == "\n"


def check_quotes(root: str, problems: list[str]) -> dict:
    stats: dict = {}
    seen_docs: dict[str, str] = {}
    seen_ids: set[str] = set()
    for name in QUOTE_FILES:
        split = name.split("-")[1].split(".")[0]
        records = load(HERE / name, problems)
        c = Counter()
        for r in records:
            where = f"{name}:{r.get('id', '?')}"
            if r.get("id") in seen_ids:
                problems.append(f"{where}: duplicate id")
            seen_ids.add(r.get("id"))
            doc = r.get("doc", "")
            if doc in seen_docs:
                problems.append(f"{where}: {doc} also in {seen_docs[doc]}")
            seen_docs[doc] = name
            if r.get("split") != split or split_of(doc) != split:
                problems.append(f"{where}: split {r.get('split')!r} but the hash rule gives "
                                f"{split_of(doc)!r} (file {name})")
            text = text_of(doc, r.get("sha1"), root, where, problems)
            if text is None:
                continue
            c["documents"] += 1
            c["ecbplus documents" if doc.startswith("ecbplus:") else "page documents"] += 1
            spans = []
            for k, q in enumerate(r.get("quotes", [])):
                w = f"{where}#{k}"
                if set(q) != set(QUOTE_FIELDS):
                    problems.append(f"{w}: fields {sorted(set(q) ^ set(QUOTE_FIELDS))} differ")
                    continue
                c["quotes"] += 1
                c[q["kind"]] += 1
                if q["kind"] not in KINDS:
                    problems.append(f"{w}: kind {q['kind']!r}")
                if q["speaker_kind"] not in SPEAKER_KINDS:
                    problems.append(f"{w}: speaker_kind {q['speaker_kind']!r}")
                if not isinstance(q["anonymous"], bool):
                    problems.append(f"{w}: anonymous is not a boolean")
                c["anonymous"] += bool(q["anonymous"])
                c["speaker " + str(q["speaker_kind"])] += 1
                if span_ok(text, q["content_start"], q["content_end"], w, "content", problems):
                    s, e = q["content_start"], q["content_end"]
                    spans.append((s, e, w))
                    content = text[s:e]
                    if q["kind"] == "direct" and not direct_marks_ok(text, s, e):
                        problems.append(f"{w}: direct content is not between quote marks")
                    if q["kind"] == "mixed" and not any(ch in ANY_MARK for ch in content):
                        problems.append(f"{w}: mixed content holds no quote mark")
                    if q["kind"] == "indirect" and content.endswith(".") and not content.endswith(
                            ("p.m.", "a.m.", "p. m.")):
                        problems.append(f"{w}: indirect content ends with a full stop")
                    if q["kind"] != "direct" and content[:5].lower() == "that ":
                        problems.append(f"{w}: content starts with 'that'")
                    if q["kind"] == "direct" and content.endswith(","):
                        problems.append(f"{w}: direct content ends with a comma")
                span_ok(text, q["cue_start"], q["cue_end"], w, "cue", problems)
                if q["speaker_kind"] == "unknown":
                    if q["speaker"] is not None or q["speaker_start"] is not None:
                        problems.append(f"{w}: unknown speaker must have no name and no offsets")
                else:
                    if not isinstance(q["speaker"], str) or not q["speaker"].strip():
                        problems.append(f"{w}: speaker missing")
                    if span_ok(text, q["speaker_start"], q["speaker_end"], w, "speaker",
                               problems) and isinstance(q["cue_start"], int):
                        pass
                    if q["anonymous"] and q["speaker_kind"] not in ("description",
                                                                     "pronoun-resolved"):
                        problems.append(f"{w}: anonymous speaker with kind {q['speaker_kind']!r}")
                    if (not q["anonymous"] and q["speaker_kind"] in ("person", "organisation")
                            and isinstance(q["speaker_start"], int)):
                        mention = text[q["speaker_start"]:q["speaker_end"]]
                        if not set(q["speaker"].split()) & set(mention.split()):
                            problems.append(f"{w}: speaker {q['speaker']!r} shares no word with "
                                            f"its mention {mention!r}")
            spans.sort()
            for (s1, e1, w1), (s2, e2, w2) in zip(spans, spans[1:]):
                if s2 < e1:
                    problems.append(f"{w1} and {w2}: contents overlap")
            # a cue may sit inside its own (interrupted) clause, never inside another quote
            for k, q in enumerate(r.get("quotes", [])):
                if not isinstance(q.get("cue_start"), int):
                    continue
                for s, e, w in spans:
                    if w != f"{where}#{k}" and q["cue_start"] < e and s < q["cue_end"]:
                        problems.append(f"{where}#{k}: cue inside the content of {w}")
        stats[split] = c
    return stats


def year_in(span: str, published: str) -> bool:
    year = published[:4]
    digits = re.sub(r"\D", "", span)
    return year in digits or (len(re.findall(r"\d+", span)) >= 3 and year[2:] in digits)


def check_pubdates(root: str, problems: list[str]) -> Counter:
    c = Counter()
    seen = set()
    for r in load(HERE / PUBDATE_FILE, problems):
        doc = r.get("doc", "")
        where = f"{PUBDATE_FILE}:{doc}"
        if doc in seen:
            problems.append(f"{where}: appears twice")
        seen.add(doc)
        if r.get("split") != split_of(doc):
            problems.append(f"{where}: split {r.get('split')!r} but the hash rule gives "
                            f"{split_of(doc)!r}")
        text = text_of(doc, r.get("sha1"), root, where, problems)
        if text is None:
            continue
        pub, ev = r.get("published"), r.get("evidence")
        c["documents"] += 1
        c[f"{r.get('split')} documents"] += 1
        c[f"evidence {ev}"] += 1
        c["with a date" if pub else "no date"] += 1
        if pub is not None and not (isinstance(pub, str) and DATE.match(pub)):
            problems.append(f"{where}: published {pub!r} is not YYYY-MM-DD or YYYY-MM")
        if ev not in EVIDENCE:
            problems.append(f"{where}: evidence {ev!r}")
        if (pub is None) != (ev == "none"):
            problems.append(f"{where}: published {pub!r} with evidence {ev!r}")
        if ev == "text" and not doc:
            problems.append(f"{where}: text evidence without a document")
        nullable = ev in ("html", "none") or (ev == "url" and doc.startswith("page:"))
        if ev in ("html", "none") and (r.get("evidence_start") is not None
                                       or r.get("evidence_end") is not None):
            problems.append(f"{where}: {ev} evidence must have no offsets")
        if span_ok(text, r.get("evidence_start"), r.get("evidence_end"), where, "evidence",
                   problems, nullable=nullable) and isinstance(r.get("evidence_start"), int):
            span = text[r["evidence_start"]:r["evidence_end"]]
            if pub and not year_in(span, pub):
                problems.append(f"{where}: evidence {span!r} does not show the year of {pub}")
        if not isinstance(r.get("note"), str):
            problems.append(f"{where}: note missing")
    return c


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(default_eval_root()), help="../shared/eval")
    args = parser.parse_args()
    problems: list[str] = []
    stats = check_quotes(args.root, problems)
    pub = check_pubdates(args.root, problems)
    for split, c in stats.items():
        n = c["quotes"] or 1
        print(f"quotes {split}: {c['documents']} documents ({c['ecbplus documents']} ECB+, "
              f"{c['page documents']} pages), {c['quotes']} quotes: direct {c['direct']}, "
              f"indirect {c['indirect']}, mixed {c['mixed']}; anonymous {c['anonymous']} "
              f"({100 * c['anonymous'] / n:.1f}%); speaker kinds " + ", ".join(
                  f"{k[8:]} {v}" for k, v in sorted(c.items()) if k.startswith("speaker ")))
    total = sum((c for c in stats.values()), Counter())
    print(f"quotes total: {total['documents']} documents, {total['quotes']} quotes")
    print(f"pubdates: {pub['documents']} documents (dev {pub['dev documents']}, test "
          f"{pub['test documents']}); with a date {pub['with a date']}, none {pub['no date']}; "
          + ", ".join(f"{k} {v}" for k, v in sorted(pub.items()) if k.startswith("evidence ")))
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
