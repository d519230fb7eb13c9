"""Load and compile the cleaning rules of ``data/boilerplate.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

MAX_FURNITURE_CHARS = 420


@dataclass(frozen=True)
class LineRule:
    """Named regexes, each matched against a whole stripped line."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    #: All patterns in one regex (group names dropped): a quick "no" for most lines.
    combined: re.Pattern[str] | None = None

    def match(self, line: str) -> re.Match[str] | None:
        if self.combined is not None and not self.combined.fullmatch(line):
            return None
        for pattern in self.patterns:
            m = pattern.fullmatch(line)
            if m:
                return m
        return None


@dataclass(frozen=True)
class Rules:
    line_drop: tuple[LineRule, ...]
    credit: tuple[LineRule, ...]
    url_line: tuple[LineRule, ...]
    caption: tuple[LineRule, ...]
    comment_section: LineRule
    comment_min_position: float
    separator: LineRule
    repeated_allow: frozenset[str]
    html_skip: frozenset[str] = frozenset()
    glued: dict[str, Any] = field(default_factory=dict)
    prefilter: tuple[re.Pattern[str], ...] = ()
    share_bar: dict[str, Any] = field(default_factory=dict)
    masthead: dict[str, Any] = field(default_factory=dict)
    link_list_header: LineRule | None = None

    def might_match(self, line: str) -> bool:
        """One combined regex per case mode: most lines are body text and stop here."""
        # Every rule is bounded (captions, the longest, stop at 400 characters).
        return len(line) <= MAX_FURNITURE_CHARS and any(p.fullmatch(line) for p in self.prefilter)


def _prefilter(rules: list[LineRule]) -> tuple[re.Pattern[str], ...]:
    by_flags: dict[int, list[str]] = {}
    for rule in rules:
        for pattern in rule.patterns:
            plain = _unnamed(pattern.pattern)
            by_flags.setdefault(pattern.flags, []).append(f"(?:{plain})")
    return tuple(re.compile("|".join(parts), flags) for flags, parts in by_flags.items())


def _compile(name: str, patterns: list[str], case: bool = False) -> LineRule:
    flags = 0 if case else re.IGNORECASE
    compiled = tuple(re.compile(p, flags) for p in patterns)
    combined = None
    if len(compiled) > 1:
        combined = re.compile("|".join(f"(?:{_unnamed(p)})" for p in patterns), flags)
    return LineRule(name, compiled, combined)


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _group(section: dict[str, list[str]], case: bool = False) -> tuple[LineRule, ...]:
    return tuple(_compile(name, pats, case) for name, pats in section.items())


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The packaged rules, compiled once per process."""
    text = resources.files("storyline.data").joinpath("boilerplate.yaml").read_text("utf-8")
    return rules_from_mapping(yaml.safe_load(text))


def rules_from_mapping(data: dict[str, Any]) -> Rules:
    comments = data["comment_section"]
    glued = dict(data["glued_heading"])
    glued["sentence_starters"] = frozenset(glued["sentence_starters"])
    glued["allow"] = frozenset(glued["allow"])
    line_drop = _group(data["line_drop"])
    # Credits must look like names: their capitals matter.
    credit = tuple(
        _compile(name, pats, case=(name == "byline")) for name, pats in data["credit"].items()
    )
    url_line = _group(data["url_line"])
    # Caption credits are capitalised ("Image: AFP"); case keeps body sentences out.
    caption = _group(data["caption"], case=True)
    separator = _compile("separator", data["separator"])
    return Rules(
        line_drop=line_drop,
        credit=credit,
        url_line=url_line,
        caption=caption,
        prefilter=_prefilter([*line_drop, *credit, *url_line, *caption, separator]),
        comment_section=_compile("comment_section", comments["patterns"]),
        comment_min_position=float(comments["min_position"]),
        separator=separator,
        repeated_allow=frozenset(w.lower() for w in data["repeated_word"]["allow"]),
        glued=glued,
        html_skip=frozenset(data.get("html_skip", ())),
        share_bar={
            "max_words": int(data["share_bar"]["max_words"]),
            "actions": frozenset(data["share_bar"]["actions"]),
            "words": frozenset(data["share_bar"]["words"]) | frozenset(data["share_bar"]["actions"]),
        },
        masthead={
            "max_line": int(data["masthead"]["max_line"]),
            "separators": re.compile(data["masthead"]["separators"]),
            "max_segment_words": int(data["masthead"]["max_segment_words"]),
            "generic": frozenset(data["masthead"]["generic"]),
            "sections": frozenset(data["masthead"]["sections"]),
        },
        link_list_header=_compile("related", data["link_list_header"]),
    )
