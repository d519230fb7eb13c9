"""Build ``data/organisations.tsv``, the organisations storyline types from a public list rather
than from memory, out of the Phoenix actor dictionaries of PETRARCH2 (Open Event Data Alliance,
MIT licence): ``Phoenix.Countries.actors.txt`` (national agencies, forces, parties and courts with
their country), ``Phoenix.International.actors.txt`` (IGOs, NGOs, companies) and
``Phoenix.MilNonState.actors.txt`` (armed groups with the country they operate in).

Run ``python -m storyline.annotate.organisations_build DICTIONARY_FOLDER COMMIT`` on the
``petrarch2/data/dictionaries`` folder of a checkout of github.com/openeventdata/petrarch2.

Kept: entries whose CAMEO code names an organisation type (``IGO``, ``NGO``, ``MNC``) or a
country we know with a sector (``USACOP`` -> COP, USA); the code that holds today (undated, or open
ended) is taken, historical ones are left out; a company with a home country (``MNCJPN``) is
that country's business (BUS, JPN), as storyline codes companies. Of each entry only the names that are plainly an
organisation's are kept: names with a word such as "agency", "ministry", "army", "party",
"front", "bank", and acronyms (two to eight capitals) that name one organisation only. People's
names (the dictionaries list officials under their office) are left out, so that a person is
never read as an organisation. Rows: ``name  aliases  code  country`` as in ``igos.tsv``; the same
inputs give the same bytes (sorted rows).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "organisations.tsv"
FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
         "Phoenix.MilNonState.actors.txt")
HEADER = """\
# Organisations typed from a public list: national agencies, forces, courts and parties with their
# country (CAMEO sector), intergovernmental (IGO) and non-governmental (NGO) organisations and
# companies (MNC), armed groups (REB). Derived by storyline.annotate.organisations_build from the
# Phoenix actor dictionaries of PETRARCH2 (https://github.com/openeventdata/petrarch2, commit
# {commit}), Copyright (c) 2014 Open Event Data Alliance, MIT licence. Only organisations' names
# (no people) and the code that holds today are kept. Loaded after igos.tsv, which wins on a clash.
#
# The MIT License (MIT). Copyright (c) 2014 Open Event Data Alliance.
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software
# and associated documentation files (the "Software"), to deal in the Software without
# restriction, including without limitation the rights to use, copy, modify, merge, publish,
# distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
# Software is furnished to do so, subject to the following conditions: The above copyright notice
# and this permission notice shall be included in all copies or substantial portions of the
# Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
# INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE
# AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
# DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
# OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
name\taliases\tcode\tcountry
"""

#: Words that make a name an organisation's ("Drug Enforcement Agency", "Royal Navy").
ORG_WORDS = frozenset("""
agency agencies administration alliance army armies assembly association authority bank battalion
board brigade brigades bureau cabinet cells centre center chamber church coalition college command
commission committee company congress corporation corps council court courts department directorate
division federation fleet force forces foundation front fund group guard guards institute
league legion militia militias ministry movement navy network office organisation organization
parliament party police federal reserve secretariat senate service services society syndicate tribunal
union unit units university airways airlines caucus commando commandos enforcement patrol
customs
""".split())

#: CAMEO sector codes kept as they are; other sector codes of a country's organisation read GOV.
SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "JUD", "LEG", "OPP", "REB", "PTY", "BUS", "MED",
                     "EDU", "NGO", "IGO", "MNC", "CVL", "LAB", "REL", "HLH", "ENV", "AGR", "REF",
                     "CRM", "UAF", "ELI"})
#: Phoenix sector codes that mean an armed group (insurgents, militant groups).
ARMED = frozenset({"INS", "REB", "IMG", "SEP", "RAD"})

_CODE = re.compile(r"\[([^\]]*)\]")
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,8}$")


def _blocks(text: str) -> list[dict[str, list[str]]]:
    """Entries of a TABARI/PETRARCH ``.actors`` file: names (the first, then ``+`` synonyms) and
    codes (``[USAGOV]``, ``[USAGOV 050101-091231]``, ``[IGOUNO >070201]``)."""
    out: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        body, _, comment = raw.partition("#")
        codes = _CODE.findall(body)
        name = _CODE.sub("", body).strip()
        if raw[:1] in " \t" and not name:
            if current is not None:
                current["codes"] += codes
                current["comment"].append(comment)
            continue
        if name.startswith("+"):
            if current is not None:
                current["names"].append(name[1:].strip())
                current["codes"] += codes
            continue
        current = {"names": [name], "codes": codes, "comment": [comment]}
        out.append(current)
    return out


def _current_code(codes: list[str]) -> str | None:
    """The code that holds today: an undated one, else one open to the future (``>date``)."""
    undated = [c.strip() for c in codes if c.strip() and len(c.split()) == 1]
    if undated:
        return undated[0]
    for c in codes:
        parts = c.split()
        if len(parts) == 2 and parts[1].startswith(">"):
            return parts[0]
    return None


def _typed(code: str, countries: set[str]) -> tuple[str, str] | None:
    """(sector, country) of a Phoenix code: ``USACOP`` -> (COP, USA); ``IGOUNOKID`` -> (IGO, "")."""
    code = code.strip("-").upper()
    if code[:3] == "MNC" and code[3:6] in countries:
        return "BUS", code[3:6]  # a company with a home country ("MNCJPN"): that country's
    if code[:3] in ("IGO", "NGO", "MNC"):
        return code[:3], ""
    iso, rest = code[:3], code[3:]
    if iso not in countries or not rest:
        return None
    sector = rest[:3]
    if sector in ARMED:
        return "REB", iso
    return (sector if sector in SECTORS else "GOV"), iso


def _name(raw: str) -> str:
    name = re.sub(r"\s+", " ", raw.replace("_", " ")).strip(" -")
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name)  # "Aden Islamic Army (AAIA)"
    name = re.sub(r",\s*the$", "", name, flags=re.I)  # "Citizens Foundation, The"
    return name.strip()


def _organisational(name: str) -> bool:
    words = re.findall(r"[a-z]+", name.lower())
    return len(words) >= 2 and any(w in ORG_WORDS for w in words)


def _acronym(name: str) -> bool:
    return bool(_ACRONYM.match(name.replace(" ", ""))) and " " not in name


def _title(name: str) -> str:
    """"FEDERAL BUREAU OF INVESTIGATION" -> "Federal Bureau of Investigation"; a word without a
    vowel or with dots stays in capitals ("FTC", "U.S.")."""
    if _acronym(name):
        return name
    small = {"of", "the", "and", "for", "in", "on", "to", "at", "de", "la", "du", "des", "el", "al"}
    out = []
    for i, w in enumerate(name.split()):
        low = w.lower()
        if "." in w or low == "us" or not re.search(r"[aeiouy]", low):
            out.append(w.upper())
        elif i and low in small:
            out.append(low)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in low.split("-")))
    return " ".join(out)


#: Words that say nothing of which organisation a name is ("of", "national", "united states").
_BLAND = frozenset({"of", "the", "and", "for", "in", "on", "to", "at", "us", "u.s.", "united",
                    "states", "american", "national", "state", "federal", "international"})


def _content(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z.]+", name.lower())} - _BLAND - ORG_WORDS


def _distinct(a: str, b: str) -> bool:
    ca, cb = _content(a), _content(b)
    return bool(ca) and bool(cb) and not ca & cb


def _organisations(names: list[str]) -> list[list[str]]:
    """The organisations one entry lists together under one code: a full name that shares no
    telling word with the one before starts another ("Federal Trade Commission", "FTC",
    "Overseas Private Investment Corporation", "OPIC" are two); acronyms and variants follow the
    name they come after."""
    groups: list[list[str]] = []
    for n in names:
        if _organisational(n) and (not groups or _distinct(n, groups[-1][0])):
            groups.append([n])
        elif groups:
            groups[-1].append(n)
    return groups


def _without_country(name: str, iso: str, lexicon: dict[str, str]) -> str | None:
    """The name without a leading name of its own country ("US", "United States", "Russian")."""
    if not iso:
        return None
    words = name.split()
    for n in (3, 2, 1):
        if len(words) > n + 1 and lexicon.get(" ".join(words[:n]).lower().rstrip(".")) == iso:
            rest = " ".join(words[n:])
            return rest if _organisational(rest) else None
    return None


def organisations_from(folder: Path, countries: set[str],
                       lexicon: dict[str, str] | None = None
                       ) -> list[tuple[str, list[str], str, str]]:
    """``lexicon``: country names and demonyms, lower case, to their ISO code."""
    lexicon = lexicon or {}
    entries: list[tuple[list[str], str, str]] = []
    for filename in FILES:
        path = folder / filename
        text = path.read_text("utf-8", errors="replace")
        for block in _blocks(text):
            if any("CountryInfo" in c or "rulers" in c for c in block["comment"]):
                continue  # people, listed by their office
            code = _current_code(block["codes"])
            typed = _typed(code, countries) if code else None
            if typed is None:
                continue
            names = [_name(n) for n in block["names"]]
            kept = [n for n in names if n and (_organisational(n) or _acronym(n))]
            if not any(_organisational(n) for n in kept):
                continue  # an entry that is not plainly an organisation's
            entries.append((kept, *typed))
    # An acronym or name that two entries give different types or countries names neither.
    seen: dict[str, set[tuple[str, str]]] = {}
    for names, code, iso in entries:
        for n in names:
            seen.setdefault(n.lower(), set()).add((code, iso))
    rows: dict[str, tuple[str, list[str], str, str]] = {}
    for names, code, iso in entries:
        names = [n for n in names if len(seen[n.lower()]) == 1]
        for group in _organisations(names):
            head = _title(group[0])
            aliases: list[str] = []
            for n in group[1:]:
                alias = n if _acronym(n) else _title(n)
                if alias.lower() != head.lower() and \
                        alias.lower() not in (a.lower() for a in aliases):
                    aliases.append(alias)
            for n in (head, *aliases):  # "Department of Homeland Security" without "US"
                bare = _without_country(n, iso, lexicon)
                if bare and bare.lower() != head.lower() and \
                        bare.lower() not in (a.lower() for a in aliases):
                    aliases.append(bare)
            key = head.lower()
            if key in rows:  # the same organisation listed twice: join the aliases
                name, old, c, i = rows[key]
                rows[key] = (name, old + [a for a in aliases if a not in old], c, i)
            else:
                rows[key] = (head, aliases, code, iso)
    return sorted(rows.values(), key=lambda r: (r[0].lower(), r[2], r[3]))


def write(rows: list[tuple[str, list[str], str, str]], commit: str, out: Path = OUT) -> None:
    lines = [HEADER.format(commit=commit)]
    lines += [f"{name}\t{'|'.join(aliases)}\t{code}\t{iso}\n" for name, aliases, code, iso in rows]
    out.write_text("".join(lines), "utf-8")


def _countries() -> tuple[set[str], dict[str, str]]:
    from storyline.annotate.lexicons import lexicons

    lex = lexicons()
    names = {**lex.demonyms, **lex.country_names, "u.s": "USA", "us": "USA"}
    return set(lex.country_label), names


def main() -> None:
    if len(sys.argv) != 3:
        print("usage: python -m storyline.annotate.organisations_build "
              "PETRARCH2_DICTIONARY_FOLDER COMMIT", file=sys.stderr)
        raise SystemExit(2)
    rows = organisations_from(Path(sys.argv[1]), *_countries())
    write(rows, sys.argv[2])
    print(f"{len(rows)} organisations -> {OUT}")


if __name__ == "__main__":
    main()
