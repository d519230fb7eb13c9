"""The README documents every command and option, and CI runs the README's test command."""

from __future__ import annotations

import re

import click
import typer.main

from conftest import ROOT
from storyline.cli.main import app

README = (ROOT / "README.md").read_text("utf-8")


def commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from commands(command, f"{full} ")
        else:
            yield full, command


def test_every_command_and_option_is_documented():
    root = typer.main.get_command(app)
    for name, command in commands(root):
        assert f"storyline {name}" in README, f"README lacks 'storyline {name}'"
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt not in ("--help",):
                    assert opt in README, f"README lacks option {opt} of '{name}'"


def test_exactly_two_setup_commands_and_ci_runs_the_test_one():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)\n```", setup, flags=re.S)
    assert len(blocks) == 2
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert blocks[1].strip() in ci
    assert "storyline ingest" in blocks[0]
