"""``since`` / ``until`` values of the listings (CLI and API): a year, a month or a real day."""

from __future__ import annotations

import datetime as dt
import re

from storyline.errors import Msg, StorylineError

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def checked_date(value: str | None, option: str) -> str | None:
    """The value stripped, when it is ``2014``, ``2014-05`` or a real day ``2014-05-20``;
    E116 otherwise ("yesterday", "2011-13", "2014-02-30")."""
    if value is None:
        return None
    found = _DATE.fullmatch(value.strip())
    if found:
        y, m, d = (int(g) if g else None for g in found.groups())
        try:
            dt.date(y or 1, m or 1, d or 1)
            return value.strip()
        except ValueError:
            pass
    raise StorylineError(Msg.E116, value=value, option=option)


def checked_period(since: str | None, until: str | None, *, since_name: str = "--since",
                   until_name: str = "--until") -> tuple[str | None, str | None]:
    """Both ends checked, and ``until`` not before ``since`` (E116 names the one at fault)."""
    since, until = checked_date(since, since_name), checked_date(until, until_name)
    if since and until and until < since[:len(until)]:
        raise StorylineError(Msg.E116, value=until, option=until_name)
    return since, until
