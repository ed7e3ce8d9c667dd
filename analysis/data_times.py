"""The latest and earliest time in the data: one definition for every figure that needs it.

"The latest time in the data" is the latest of every event time the store has (orders:
order, pay, ship, signed; reviews: review, follow-up, reply; tickets: opened, first response,
resolved), as the summary contract defines it. It is the default ``as_of`` of every state
figure (the ladder, open tickets, the backlog), so a ticket resolved after the last order or
review is not counted open, and it never reads today's clock. A member list's join dates
are not events of the store's own and do not move it.
"""

from __future__ import annotations

import datetime as dt

# Every event time per table; the shop filter is the same in each branch.
_TIMES = {
    "orders": ("order_time", "pay_time", "ship_time", "signed_time"),
    "reviews": ("review_time", "followup_time", "reply_time"),
    "tickets": ("opened_at", "first_response_at", "resolved_at"),
}
_SHOP = "CAST($shop AS VARCHAR) IS NULL OR shop = $shop"


def _extreme_sql(fn: str) -> str:
    # Table and column names are this module's constants, never input.
    parts = [f"SELECT {fn}({c}) AS t FROM {table} WHERE {_SHOP}"
             for table, cols in _TIMES.items() for c in cols]
    return f"SELECT {fn}(t) FROM (\n    " + "\n    UNION ALL ".join(parts) + "\n)"


LATEST_TIME_SQL = _extreme_sql("max")
EARLIEST_TIME_SQL = _extreme_sql("min")


def latest_time(con, *, shop: str | None = None) -> dt.datetime | None:
    """The latest event time of ``shop`` (every shop when None), or None with no data."""
    return con.execute(LATEST_TIME_SQL, {"shop": shop}).fetchone()[0]


def earliest_time(con, *, shop: str | None = None) -> dt.datetime | None:
    """The earliest event time of ``shop`` (every shop when None), or None with no data."""
    return con.execute(EARLIEST_TIME_SQL, {"shop": shop}).fetchone()[0]
