"""Clean article text: drop web boilerplate, set captions apart, repair glued headings and doubled
words, normalise unicode — and keep everything removed, with the rule that removed it.

The rules are data (``data/boilerplate.yaml``); this module applies them line by line (a line is a
paragraph). It also collects what the page furniture says about the article — the dateline, a
title, outlet credits, URLs — for the metadata stage.

>>> result = clean_text("Flood reliefThe army sent ten boats to the area on Monday.\\nShare this article")
>>> result.text
'Flood relief\\n\\nThe army sent ten boats to the area on Monday.'
>>> [(r.text, r.rule) for r in result.removed]
[('Share this article', 'share')]
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from storyline.clean.rules import Rules, load_rules
from storyline.meta.dates import DateValue, parse_dateline, parse_inline_dateline
from storyline.model import Removal, Repair

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]{2,}|\t")
_ENTITY = re.compile(r"&(#\d{2,6}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_QUOTE = re.compile(r"^>\s?")
_MD_BULLET = re.compile(r"^[*+-]\s+(?=\S)")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:https?://|/|www\.)[^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_GLUE_ANY = re.compile(r"[a-z][A-Z][a-z]")
_GLUE_POINT = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_DOUBLED = re.compile(r"\b([A-Za-z][a-z]{2,})\s+(\1)(?![\w'’-])", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!?:;,…\"”’)]$")
_WORD = re.compile(r"\S+")
MAX_TITLE_WORDS = 25


@dataclass
class CleanResult:
    text: str
    removed: list[Removal] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    title: str | None = None
    dateline: DateValue | None = None
    outlet_credits: list[str] = field(default_factory=list)
    urls: list[tuple[str, str]] = field(default_factory=list)  # (url, "labelled" | "bare")


def _compat_table() -> dict[int, str]:
    """Compatibility forms that only disguise ordinary text: ligatures, full-width ASCII, odd
    spaces. Fractions, superscripts and the like keep their meaning and are left alone."""
    points = [*range(0xFB00, 0xFB07), *range(0xFF01, 0xFF5F), 0x3000, 0x00A0, 0x202F, 0x205F,
              *range(0x2000, 0x200B)]
    return {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in points}


_COMPAT = _compat_table()
_COMPAT_RE = re.compile("[" + "".join(map(chr, _COMPAT)) + "]")


def normalise_unicode(text: str) -> str:
    """NFC plus ligatures, full-width forms and odd spaces; no invisible or control chars."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if _COMPAT_RE.search(text):
        text = text.translate(_COMPAT)
    text = _INVISIBLE.sub("", text)
    return _CONTROL.sub("", text)


_MD_ANY = re.compile(r"^[#>*+-]|!\[|\]\(|\*\*|__")


def _strip_markdown(line: str) -> tuple[str, bool, list[str]]:
    """Remove markdown marks; returns (line, was_heading, image alt texts)."""
    if not _MD_ANY.search(line):
        return line, False, []
    heading = bool(_MD_HEADING.match(line))
    line = _MD_HEADING.sub("", line)
    line = _MD_QUOTE.sub("", line)
    line = _MD_BULLET.sub("", line)
    alts = [m.group(1).strip() for m in _MD_IMAGE.finditer(line) if m.group(1).strip()]
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_EMPHASIS.sub(r"\2", line)
    return line.strip().strip("#").strip(), heading, alts


_URLISH = re.compile(r"<?(?:https?\s?:\s?/\s?/|www\s?\.\s?)\w")


def _join_wrapped(lines: list[str]) -> list[str]:
    """Re-join hard-wrapped lines: a line without end punctuation followed by a lowercase start."""
    out: list[str] = []
    for line in lines:
        if (out and out[-1] and line and line[0].islower() and not _TERMINAL.search(out[-1])
                and not _URLISH.match(out[-1]) and parse_dateline(line) is None):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _link_like(line: str) -> bool:
    """A line of a link list: numbered, or short and without sentence punctuation."""
    if re.match(r"^\d{1,2}[.)]\s", line):
        return len(line.split()) <= 20
    return looks_like_heading(line) and len(line.split()) <= 15


def looks_like_heading(line: str) -> bool:
    words = line.split()
    if not words or len(words) > MAX_TITLE_WORDS or len(line) > 200:
        return False
    if line.endswith((".", ",", ";", ":", "”", '"')) and not line.endswith(("...", "…")):
        return False
    return any(ch.isalpha() for ch in line)


_ENGLISH_WORDS = frozenset("the and of to in is that for on was with said by as at from".split())


def _looks_english(lines: list[str]) -> bool:
    """Doubled-word repair is for English; other languages double words on purpose."""
    words = " ".join(lines[:40]).lower().split()[:400]
    return bool(words) and sum(w in _ENGLISH_WORDS for w in words) / len(words) > 0.08


class Cleaner:
    """Applies :class:`Rules` to one text at a time."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or load_rules()

    def clean(self, text: str, fmt: str = "text", captions: Iterable[str] = ()) -> CleanResult:
        """Clean one text; ``captions`` are known image captions (from HTML ``<figcaption>``)."""
        skip = self.rules.html_skip if fmt == "html" else frozenset()
        known_captions = list(dict.fromkeys(" ".join(c.split()) for c in captions))
        text = normalise_unicode(text)
        if fmt == "text" and _ENTITY.search(text):
            text = html.unescape(text)
        lines = [ln.strip() for ln in _SPACES.sub(" ", text).split("\n")]
        lines = [ln for ln in lines if ln]
        if fmt == "text":
            lines = _join_wrapped(lines)
        result = CleanResult(text="", captions=list(known_captions))
        lines = self._cut_comment_section(lines, result)
        kept: list[str] = []
        heading_flags: list[bool] = []
        pending_label = False
        in_link_list = False
        for index, raw_line in enumerate(lines):
            line, md_heading, alts = _strip_markdown(raw_line)
            result.captions.extend(alts)
            if not line:
                if raw_line.strip():
                    result.removed.append(Removal(raw_line, "markdown"))
                continue
            if line in known_captions:
                result.removed.append(Removal(raw_line, "caption"))
                continue
            if in_link_list and _link_like(line):
                result.removed.append(Removal(raw_line, "related"))
                continue
            in_link_list = False
            if self.rules.link_list_header and self.rules.link_list_header.match(line):
                in_link_list = True
                result.removed.append(Removal(raw_line, "related"))
                continue
            if not kept and index < self.rules.masthead["max_line"] and self._masthead(line, result):
                result.removed.append(Removal(raw_line, "masthead"))
                continue
            if self._share_bar(line):
                result.removed.append(Removal(raw_line, "share"))
                continue
            rule, pending_label = self._furniture(line, index, len(lines), result, pending_label)
            if rule and rule not in skip:
                result.removed.append(Removal(raw_line, rule))
                continue
            if "dateline" not in skip and (
                    len(kept) < 6 or (index >= len(lines) - 3 and result.dateline is None)):
                # Near the top any date-only line is furniture; near the end only a labelled one.
                if self._dateline(line, raw_line, result, labelled=len(kept) >= 6):
                    continue
            kept.append(line)
            heading_flags.append(md_heading)
        kept, heading_flags = self._title(kept, heading_flags, result, fmt)
        english = _looks_english(kept)
        body: list[str] = []
        for i, (line, is_heading) in enumerate(zip(kept, heading_flags, strict=True)):
            if i < 5 and result.dateline is None and "dateline" not in skip:
                line = self._inline_dateline(line, result)
            parts = self._split_glued(line, result)
            if len(parts) == 2:
                result.headings.append(parts[0])
            elif is_heading or (looks_like_heading(line) and len(line.split()) <= 12):
                result.headings.append(line)
            if "repeated_word" not in skip and english:
                parts = [self._merge_doubled(p, result) for p in parts]
            body.extend(parts)
        result.text = "\n\n".join(p for p in body if p)
        return result

    # -- rule groups ---------------------------------------------------------------------------

    def _share_bar(self, line: str) -> bool:
        cfg = self.rules.share_bar
        if len(line) > 160:
            return False
        tokens = re.findall(r"[\w-]+", line.lower())
        return (0 < len(tokens) <= cfg["max_words"] and all(t in cfg["words"] for t in tokens)
                and any(t in cfg["actions"] for t in tokens))

    def _masthead(self, line: str, result: CleanResult) -> bool:
        """'OUTLET NAME' or 'Outlet | Section | Section' at the top: drop, keep the outlet."""
        cfg = self.rules.masthead
        segments = [seg.strip() for seg in cfg["separators"].split(line) if seg.strip()]
        if not segments or any(len(seg.split()) > cfg["max_segment_words"] for seg in segments):
            return False
        if not all(seg[0].isupper() or seg[0].isdigit() for seg in segments):
            return False
        caps = segments[0].isupper() and len(segments[0]) > 3
        words = {w for seg in segments[1:] for w in re.findall(r"[\w-]+", seg.lower())}
        sectioned = len(segments) >= 2 and bool(words & cfg["sections"])
        if not (caps or len(segments) >= 3 or sectioned):
            return False
        if caps and len(segments) == 1 and len(line.split()) > 4:
            return False
        first = segments[0]
        if first.lower() not in cfg["generic"]:
            name = first.title() if first.isupper() else first
            result.outlet_credits.insert(0, re.sub(r"^The\b", "The", name))
        return True

    def _cut_comment_section(self, lines: list[str], result: CleanResult) -> list[str]:
        n = len(lines)
        if n < 4:
            return lines
        start = int(n * self.rules.comment_min_position)
        for i in range(start, n):
            if self.rules.comment_section.match(lines[i]):
                result.removed.append(Removal("\n".join(lines[i:]), "comment_section"))
                return lines[:i]
        return lines

    def _furniture(
        self, line: str, index: int, total: int, result: CleanResult, pending_label: bool
    ) -> tuple[str | None, bool]:
        """Name of the rule that drops this line (or None), and whether a URL label is pending."""
        rules = self.rules
        if not rules.might_match(line):
            return None, False
        for rule in rules.url_line:
            m = rule.match(line)
            if m:
                url = m.groupdict().get("url")
                if url:
                    labelled = rule.name == "labelled_url" or pending_label
                    near_edge = index < 3 or index >= total * 0.6
                    if labelled or near_edge:
                        url = re.sub(r"\s+", "", url).rstrip(".,;>")  # tokenised: "http: / / a. com"
                        result.urls.append((url, "labelled" if labelled else "bare"))
                    return rule.name, False
                return rule.name, True
        if rules.separator.match(line):
            return "separator", pending_label
        for rule in rules.credit:
            m = rule.match(line)
            if m:
                outlet = m.groupdict().get("outlet")
                if outlet:
                    result.outlet_credits.append(outlet.strip(" .,"))
                return f"credit_{rule.name}", False
        for rule in rules.line_drop:
            if rule.match(line):
                return rule.name, False
        if len(line) <= 400:
            for rule in rules.caption:
                if rule.match(line):
                    result.captions.append(line)
                    return "caption", False
        return None, False

    def _dateline(self, line: str, raw_line: str, result: CleanResult, labelled: bool) -> bool:
        value = parse_dateline(line, labelled=labelled)
        if value is None:
            return False
        if result.dateline is None or (result.dateline.value.startswith("X")
                                       and not value.value.startswith("X")):
            result.dateline = value
        result.removed.append(Removal(raw_line, "dateline"))
        return True

    def _inline_dateline(self, line: str, result: CleanResult) -> str:
        found = parse_inline_dateline(line)
        if not found:
            return line
        value, prefix = found
        rest = line[len(prefix):].lstrip()
        if len(rest.split()) < 4:
            return line
        if value is not None:
            result.dateline = value
        result.removed.append(Removal(prefix.strip(), "dateline"))
        return rest

    def _title(
        self, kept: list[str], flags: list[bool], result: CleanResult, fmt: str
    ) -> tuple[list[str], list[bool]]:
        if fmt != "text" or len(kept) < 2:
            return kept, flags
        first = kept[0]
        if (flags[0] or looks_like_heading(first)) and not self._split_glued(first, None)[1:]:
            result.title = first
            result.removed.append(Removal(first, "title"))
            return kept[1:], flags[1:]
        return kept, flags

    def _split_glued(self, line: str, result: CleanResult | None) -> list[str]:
        cfg = self.rules.glued
        if not _GLUE_ANY.search(line, 0, 160):
            return [line]
        words = line.split()
        if len(words) < cfg["min_heading_words"] + cfg["min_sentence_words"]:
            return [line]
        limit = sum(len(w) + 1 for w in words[: cfg["max_heading_words"] + 1])
        for m in _GLUE_POINT.finditer(line, 0, limit):
            head, tail = line[: m.start()], line[m.start():]
            token_start = head.rfind(" ") + 1
            token_end = line.find(" ", m.start())
            token = line[token_start: token_end if token_end > 0 else len(line)]
            if token.startswith(("#", "@")) or any(name in token for name in cfg["allow"]):
                continue
            left = head[token_start:]
            right, _, after = tail.partition(" ")
            right = right.strip(",;:")
            head_words = head.split()
            if not (cfg["min_heading_words"] <= len(head_words) <= cfg["max_heading_words"]):
                continue
            if re.search(r"[.!?]", head) or len(left) < 3 or not left.isalpha() or not left.islower():
                continue
            # A clause opener; or, after a short capitalised heading, any word that starts a
            # sentence ("Shelter shortageAid agencies say ...").
            opener = right in cfg["sentence_starters"] or right.endswith("ing")
            short_heading = head[0].isupper() and len(head_words) <= 6
            if not (opener or (short_heading and after[:1].islower())):
                continue
            if len(tail.split()) < cfg["min_sentence_words"]:
                continue
            if result is not None:
                result.repairs.append(Repair(f"{left}{right}", f"{left}\n\n{right}", "glued_heading"))
            return [head.strip(), tail.strip()]
        return [line]

    def _merge_doubled(self, line: str, result: CleanResult) -> str:
        allow = self.rules.repeated_allow

        def fix(m: re.Match[str]) -> str:
            first, second = m.group(1), m.group(2)
            same = first == second and first.islower()
            sentence_start = first[0].isupper() and second == first.lower()
            if (same or sentence_start) and first.lower() not in allow:
                result.repairs.append(Repair(m.group(0), first, "repeated_word"))
                return first
            return m.group(0)

        return _DOUBLED.sub(fix, line)


_DEFAULT: Cleaner | None = None


def clean_text(text: str, fmt: str = "text") -> CleanResult:
    """Clean with the packaged rules (compiled once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Cleaner()
    return _DEFAULT.clean(text, fmt)
