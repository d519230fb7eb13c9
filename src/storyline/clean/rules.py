"""Load and compile the cleaning rules of ``data/boilerplate.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class LineRule:
    """Named regexes, each matched against a whole stripped line."""

    name: str
    patterns: tuple[re.Pattern[str], ...]

    def match(self, line: str) -> re.Match[str] | None:
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


def _compile(name: str, patterns: list[str], case: bool = False) -> LineRule:
    flags = 0 if case else re.IGNORECASE
    return LineRule(name, tuple(re.compile(p, flags) for p in patterns))


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
    return Rules(
        line_drop=_group(data["line_drop"]),
        # Credits must look like names: their capitals matter.
        credit=tuple(
            _compile(name, pats, case=(name == "byline")) for name, pats in data["credit"].items()
        ),
        url_line=_group(data["url_line"]),
        # Caption credits are capitalised ("Image: AFP"); case keeps body sentences out.
        caption=_group(data["caption"], case=True),
        comment_section=_compile("comment_section", comments["patterns"]),
        comment_min_position=float(comments["min_position"]),
        separator=_compile("separator", data["separator"]),
        repeated_allow=frozenset(w.lower() for w in data["repeated_word"]["allow"]),
        glued=glued,
        html_skip=frozenset(data.get("html_skip", ())),
    )
