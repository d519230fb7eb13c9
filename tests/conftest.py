"""Shared fixtures. Tests that need ../shared (seed corpus, evaluation sets) skip without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
EVAL = SHARED / "eval"

needs_shared = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="../shared is absent (seed corpus and evaluation sets live there)"
)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


@pytest.fixture
def cli():
    """Run the storyline CLI in-process: cli(args) -> (exit_code, stdout, stderr)."""
    from storyline.cli.main import app

    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None):
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def export_jsonl(cli, db: str) -> list[dict]:
    code, stdout, _ = cli("export", "articles", "--db", db, "--format", "jsonl")
    assert code == 0
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]
