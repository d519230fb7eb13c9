"""Typed errors with catalogue codes and fix hints.

Two families: ``StorylineError`` for problems that stop a command (a missing model, an unreadable
database, a miswired pipeline) and ``InputRejected`` for one bad input, which becomes a stored
rejection while the rest of the batch goes on. Every message has a code (``E###``) and a hint that
tells the user what to do about it.
"""

from __future__ import annotations

import re
from enum import Enum

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class Msg(Enum):
    """Message catalogue: ``(code, text, hint)``; fields are filled in by :meth:`render`."""

    def __new__(cls, code: str, text: str, hint: str = "") -> Msg:
        obj = object.__new__(cls)
        obj._value_ = code
        obj.text = text  # type: ignore[attr-defined]
        obj.hint = hint  # type: ignore[attr-defined]
        return obj

    E001 = ("E001", "No such file or directory: {path}", "Check the path; use '-' for standard input.")
    E002 = ("E002", "Unsupported file type '{suffix}'",
            "storyline reads .txt, .md, .html, .htm (optionally .gz), .jsonl, .warc(.gz) and "
            "token .xml (ECB+) files.")
    E003 = ("E003", "Binary content is not a news article",
            "Point storyline at text, HTML, JSONL or WARC files.")
    E004 = ("E004", "Input too large: {size} bytes (limit {limit})",
            "An article, JSONL line or WARC record is at most --max-bytes, and one file expands "
            "to at most 100 times that; split the input or raise --max-bytes.")
    E005 = ("E005", "Empty input", "The file holds no text.")
    E006 = ("E006", "Truncated or corrupt gzip stream: {detail}", "Re-download or re-compress the file.")
    E007 = ("E007", "Invalid JSON on this line: {detail}",
            "Each JSONL line must be one JSON object with 'text' or 'html'.")
    E008 = ("E008", "JSONL record has neither 'text' nor 'html'",
            "Give the article body in a 'text' (plain) or 'html' field.")
    E009 = ("E009", "Broken WARC record: {detail}",
            "Records before this one were read; in a gzipped WARC reading goes on with the next "
            "record, in a plain one the rest of the file was skipped.")
    E010 = ("E010", "WARC response is not HTML ({ctype})", "Only HTML responses are news articles.")
    E011 = ("E011", "No main text could be extracted from the HTML",
            "The page may be an index, a paywall or a script-only page.")
    E012 = ("E012", "Text too short after cleaning ({words} words)",
            "Articles need at least {minimum} words; lower --min-words to keep shorter items.")
    E013 = ("E013", "Fetching failed: {detail}", "Check the URL and your network connection.")
    E014 = ("E014", "Text could not be decoded: {detail}", "Save the file as UTF-8.")
    E015 = ("E015", "Stage '{stage}' failed: {detail}",
            "A bug or an unexpected input. An article that had its text was stored with what "
            "succeeded ('storyline reprocess --failed' runs the stage again after an upgrade); "
            "an input that never became an article is kept as a rejection.")
    E016 = ("E016", "HTML too deeply nested or malformed: {detail}",
            "The page structure could not be parsed.")
    E017 = ("E017", "Not a regular file ({kind})",
            "storyline reads regular files; FIFOs, devices and sockets are skipped.")
    E018 = ("E018", "JSON nested too deeply (more than {limit} levels)",
            "Each JSONL line must be one article object with plain fields.")
    E019 = ("E019", "Feed could not be parsed: {detail}",
            "An RSS 2.0, RSS 1.0 or Atom document is expected; the entries that could be read "
            "were fetched.")
    E020 = ("E020", "Address not allowed: {host} is {address} ({why})",
            "Private, loopback and link-local addresses are refused; pass --allow-private to "
            "fetch from them.")
    E021 = ("E021", "Fetching took longer than {seconds} s",
            "The server is too slow; raise the limit with --fetch-deadline.")
    E022 = ("E022", "Disallowed by the site's robots.txt",
            "The site asks crawlers with storyline's user agent not to fetch this page.")
    E023 = ("E023", "The feed lists {count} entries; only the first {limit} were fetched",
            "Raise the cap with --max-feed-entries.")
    E024 = ("E024", "XML is not a token document: {detail}",
            "storyline reads XML only as token documents (<token sentence=...> elements, the "
            "ECB+ corpus format); convert other XML to text or HTML.")
    E100 = ("E100", "Unknown pipeline stage '{name}'", "Known stages: {known}.")
    E112 = ("E112", "Another storyline process is writing to {path} ({holder})",
            "One process writes to a store at a time: wait for it to finish (--wait SECONDS "
            "waits for it), or use another --db.")
    E114 = ("E114", "Training needs scikit-learn, which is not installed",
            "Install it: {install} (or pip install 'storyline[train]').")
    E113 = ("E113", "Unknown stage '{name}' for reprocessing",
            "Stages that can run again on stored articles: {known}.")
    E101 = ("E101", "Stage '{stage}' needs {missing}, which no earlier stage provides",
            "Reorder the stages or add the stage that provides it.")
    E102 = ("E102", "Cannot open the database {path}: {detail}",
            "Check the path and permissions, or pass --db / set STORYLINE_DB.")
    E103 = ("E103", "Database schema version {found} is newer than this storyline ({known})",
            "Upgrade storyline.")
    E104 = ("E104", "No article matches '{key}'", "List ids with 'storyline articles'.")
    E105 = ("E105", "'{key}' matches several articles", "Give more characters of the id.")
    E106 = ("E106", "Unknown export format '{fmt}'", "Use one of: {known}.")
    E107 = ("E107", "Not an extraction benchmark folder: {path}",
            "Expected ground-truth.json and html/<id>.html.gz inside it.")
    E108 = ("E108", "Invalid search query: {detail}",
            "Use words, \"quoted phrases\", OR, NOT; see SQLite FTS5 query syntax.")
    E109 = ("E109", "Invalid configuration: {detail}", "See the README section on configuration.")
    E110 = ("E110", "No English spaCy model is installed", "Install one: {install}")
    E111 = ("E111", "Not a valid evaluation file: {detail}",
            "See the README section on evaluation for the expected format.")
    E115 = ("E115", "No store at {path}",
            "Create one with 'storyline ingest --db {path}', or pass the right --db / "
            "STORYLINE_DB.")
    E116 = ("E116", "Invalid date {value!r} for {option}",
            "Give a year, a month or a day: 2014, 2014-05 or 2014-05-19; --until not before "
            "--since.")
    E117 = ("E117", "'{key}' is too short to name an article",
            "Give at least 4 characters of the id (storyline articles lists them).")
    E118 = ("E118", "Cannot listen on {host}:{port}: {detail}",
            "Another program uses the port: pick another with --port.")

    def render(self, **fields: object) -> tuple[str, str]:
        """Message and hint with the fields filled in (control characters made visible)."""
        text: str = self.text  # type: ignore[attr-defined]
        hint: str = self.hint  # type: ignore[attr-defined]
        safe = {k: _CONTROL.sub("?", str(v)) for k, v in fields.items()}
        return text.format(**safe), hint.format(**safe)


class StorylineError(Exception):
    """A problem that stops the command; carries a catalogue code and a fix hint."""

    def __init__(self, msg: Msg, **fields: object) -> None:
        self.code = msg.value
        self.message, self.hint = msg.render(**fields)
        super().__init__(f"[{self.code}] {self.message}")


class InputRejected(Exception):
    """One input cannot become an article; the stage that raised it is added by the pipeline."""

    def __init__(self, msg: Msg, stage: str = "", **fields: object) -> None:
        self.code = msg.value
        self.reason, self.hint = msg.render(**fields)
        self.stage = stage
        super().__init__(f"[{self.code}] {self.reason}")
