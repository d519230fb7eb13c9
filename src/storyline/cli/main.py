"""The ``storyline`` command: thin shells over the library (each command calls one function).
The commands live by group in this package (``ingest``, ``listings``, ``serve``, ``exports``,
``evaluate``, ``watch``, ``spark``); importing a module registers its commands on ``app``.

Exit codes: 0 all good, 1 error (a message and a hint on stderr), 2 wrong usage (an unknown option,
a missing argument), 3 finished with some rejected inputs, 130 stopped by Ctrl-C.
"""

from __future__ import annotations

from storyline.cli import evaluate, exports, ingest, listings, serve  # noqa: F401 - registers
from storyline.cli.common import app
from storyline.cli.spark import register as _register_spark
from storyline.cli.watch import register as _register_watch

_register_spark(app)  # storyline spark ingest, storyline import
_register_watch(app)  # storyline watch, storyline status


def run() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    run()
