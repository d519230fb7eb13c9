"""The README's walkthrough of a real story (ECB+ topic 41) is what storyline prints: the same
commands run on the shared ECB+ text at test time, and every line the README shows between its
``walkthrough`` markers must be in their output."""

from __future__ import annotations

import json
import re

import pytest

from conftest import EVAL, ROOT


def _shown(section: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"<!-- walkthrough:{section} -->")
    block = re.search(r"```\n(.*?)```", text[start:], re.S)
    assert block is not None, section
    return [line for line in block.group(1).splitlines() if line.strip()]


@pytest.mark.slow
def test_readme_walkthrough_is_what_storyline_prints(tmp_path, cli):
    folder = EVAL / "ecbplus" / "ECB+" / "41"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent (../shared holds the ECB+ corpus)")
    db = str(tmp_path / "ecb41.db")
    code, _, _ = cli("ingest", str(folder), "--db", db, "--quiet")
    assert code == 0
    stories = json.loads(cli("stories", "--db", db, "--json")[1])
    assert len(stories) == 2
    [headline] = _shown("headline")
    story = next(s for s in stories if s["headline"] == headline)
    assert story["id"] == "s1"  # the id the README's commands use

    timeline = cli("timeline", "--story", "s1", "--db", db)[1].splitlines()
    entries = [line.rstrip() for line in timeline if not line.startswith(" ")]
    for line in _shown("timeline"):
        assert line.rstrip() in entries, (line, entries)
    # denials are their own entry and never sources of the attack they deny
    data = json.loads(cli("timeline", "--story", "s1", "--db", db, "--json")[1])["entries"]
    attack = next(e for e in data if e["summary"] == "Sudan attacks South Sudan")
    denial = next(e for e in data if e["summary"] == "denied: Sudan attacks South Sudan")
    assert denial["denies"] == attack["id"]
    assert not {s["sentence"] for s in denial["sources"]} & {s["sentence"] for s in
                                                             attack["sources"]}

    brief = cli("brief", "--story", "s1", "--db", db)[1].splitlines()
    [cited] = _shown("brief")
    lead = next(line for line in brief[1:] if line.strip())
    assert lead.endswith(cited), (lead, cited)
