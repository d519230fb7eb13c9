"""Time budgets for SQLite statements: a query that runs past its deadline is stopped.

:func:`query_budget` installs a progress handler on a connection (SQLite calls it every
:data:`PROGRESS_STEPS` virtual-machine instructions); once the deadline has passed the handler
answers "stop", SQLite aborts the running statement with ``sqlite3.OperationalError:
interrupted``, and the block raises :class:`BudgetExceeded` instead. Every later statement in the
block is stopped at once too, and the handler is removed (or the enclosing budget's put back) when
the block ends, so a connection used afterwards runs without a deadline.

>>> import sqlite3
>>> conn = sqlite3.connect(":memory:")
>>> slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
>>> try:
...     with query_budget(conn, 0.05):
...         conn.execute(slow).fetchone()
... except BudgetExceeded as exc:
...     print(exc.seconds)
0.05
>>> conn.execute("SELECT 1").fetchone()  # no handler left behind
(1,)

SQLite checks between instructions: a single step that never returns to the virtual machine is
not interrupted before it ends; bounded inputs keep those steps short (see ``Store.search``).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: The default budget of one API read (every statement it runs, together), in seconds: an API
#: answer within 2 s, with room for the HTTP and JSON work around the statements.
DEFAULT_SECONDS = 1.5
#: SQLite virtual-machine instructions between two deadline checks (about a millisecond of work
#: or much less; the check itself costs a fraction of a microsecond).
PROGRESS_STEPS = 1000


class BudgetExceeded(Exception):
    """The statements of a :func:`query_budget` block ran longer than the budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the query ran longer than {seconds:g} s and was stopped")
        self.seconds = seconds


# the handlers installed per connection (innermost last), to restore an enclosing budget's
_ACTIVE: dict[int, list[Callable[[], int]]] = {}
_LOCK = threading.Lock()


@contextmanager
def query_budget(conn: sqlite3.Connection, seconds: float = DEFAULT_SECONDS,
                 steps: int = PROGRESS_STEPS) -> Iterator[None]:
    """Run the block's statements on ``conn`` under a deadline ``seconds`` from now.

    Raises :class:`BudgetExceeded` when a statement was stopped, or when the deadline passed
    during a statement whose error the block swallowed (its results would be incomplete). A
    budget inside another one on the same connection keeps the earlier of the two deadlines."""
    deadline = time.monotonic() + seconds
    tripped = False

    def handler() -> int:
        nonlocal tripped
        if tripped or time.monotonic() >= deadline:
            tripped = True
            return 1  # non-zero: SQLite interrupts the statement
        return 0

    key = id(conn)
    with _LOCK:
        stack = _ACTIVE.setdefault(key, [])
        outer = stack[-1] if stack else None

        def combined() -> int:
            return handler() or (outer() if outer is not None else 0)

        installed = handler if outer is None else combined
        stack.append(installed)
    conn.set_progress_handler(installed, steps)
    try:
        yield
    except Exception as exc:
        if tripped:
            raise BudgetExceeded(seconds) from exc
        raise
    else:
        if tripped:
            raise BudgetExceeded(seconds)
    finally:
        with _LOCK:
            stack.remove(installed)
            if not stack:
                _ACTIVE.pop(key, None)
        try:
            conn.set_progress_handler(outer, steps if outer is not None else 0)
        except sqlite3.ProgrammingError:  # the block closed the connection
            pass


def interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's answer to a statement stopped by a handler or interrupt."""
    return isinstance(exc, sqlite3.OperationalError) and "interrupt" in str(exc).lower()


#: Bounds of a full-text search query (``Store.search``, the CLI's ``search``, ``/api/search``):
#: FTS5's work grows with the number of terms times the rows they match, so a query is at most
#: this many characters and this many search terms (operators AND, OR, NOT, NEAR not counted).
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 32

_OPERATORS = frozenset(("AND", "OR", "NOT", "NEAR"))
_COLUMNS = re.compile(r"(?:\{[^}]*\}|\w+)\s*:")  # column filters: "title:", "{title text}:"


def query_terms(query: str) -> list[str]:
    """The search terms of an FTS5 query: its words, without operators and column names.

    >>> query_terms('title: "peace talks" OR NEAR(aid convoy, 5) NOT gaza*')
    ['peace', 'talks', 'aid', 'convoy', '5', 'gaza']
    """
    return [w for w in re.findall(r"\w+", _COLUMNS.sub(" ", query)) if w not in _OPERATORS]


def search_bounds_problem(query: str) -> str | None:
    """Why ``query`` is over the search bounds, or None when it is within them."""
    if len(query) > MAX_QUERY_CHARS:
        return f"the query is {len(query)} characters long; at most {MAX_QUERY_CHARS} are allowed"
    terms = len(query_terms(query))
    if terms > MAX_QUERY_TERMS:
        return f"the query has {terms} search terms; at most {MAX_QUERY_TERMS} are allowed"
    return None
