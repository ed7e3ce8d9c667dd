"""ISO weeks and instants in the store's local time (timestamps are stored naive, in local time)."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


class Period(NamedTuple):
    """A half-open interval [start, end) of local time, with its ISO week label if any."""

    start: dt.datetime | None
    end: dt.datetime | None
    week: str | None

    @property
    def as_of(self) -> dt.datetime | None:
        """The instant state figures are taken at: the last microsecond of the period."""
        return None if self.end is None else self.end - dt.timedelta(microseconds=1)


def parse_week(label: str) -> Period:
    """``'2026-W47'`` -> the Monday 00:00 to next Monday 00:00 of that ISO week.

    Raises
    ------
    ValueError
        For a label that is not an ISO week.
    """
    m = _WEEK.match(label.strip())
    if not m:
        raise ValueError(f"not an ISO week (expected like 2026-W47): {label!r}")
    year, week = int(m.group(1)), int(m.group(2))
    monday = dt.datetime.combine(dt.date.fromisocalendar(year, week, 1), dt.time())
    return Period(monday, monday + dt.timedelta(days=7), f"{year}-W{week:02d}")


def week_of(ts: dt.datetime | dt.date) -> str:
    """The ISO week label of a local timestamp or date."""
    year, week, _ = ts.isocalendar()
    return f"{year}-W{week:02d}"


def shift_week(label: str, weeks: int) -> str:
    """The ISO week ``weeks`` after (negative: before) ``label``."""
    return week_of(parse_week(label).start + dt.timedelta(weeks=weeks))


def as_timestamp(value: dt.datetime | dt.date | str) -> dt.datetime:
    """An instant: a datetime as is, a date or ``'YYYY-MM-DD'`` as the end of that day.

    Parameters
    ----------
    value : datetime, date or str
        An ISO date or date-time string is parsed first.

    Returns
    -------
    datetime
        ``value`` itself for a datetime; else the last microsecond of that day.
    """
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if " " in value or "T" in value \
            else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time()) + dt.timedelta(days=1, microseconds=-1)
