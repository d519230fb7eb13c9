"""``python -m storyline``: the same command as ``storyline``."""

from storyline.cli.main import run

run()
