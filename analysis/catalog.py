"""What the database holds: shops, the ISO weeks with data, and row counts per table."""

from __future__ import annotations

import pandas as pd

from analysis import data_times
from analysis.schema import CANONICAL

# Each activity's own time: the weeks a store can pick are the weeks something happened.
_ACTIVITY_WEEKS = """
WITH t AS (
    SELECT shop, coalesce(pay_time, order_time) AS ts FROM orders
    UNION ALL SELECT shop, review_time FROM reviews
    UNION ALL SELECT shop, opened_at FROM tickets
)
SELECT DISTINCT iso_week_label(ts) AS week
FROM t
WHERE ts IS NOT NULL AND ($shop IS NULL OR shop = $shop)
ORDER BY week DESC
"""

_SHOPS = """
SELECT shop FROM orders UNION SELECT shop FROM reviews UNION SELECT shop FROM tickets
UNION SELECT shop FROM contacts ORDER BY 1
"""

def shops(con) -> list[str]:
    """Every shop with at least one row, sorted."""
    return [r[0] for r in con.execute(_SHOPS).fetchall() if r[0] is not None]


def weeks_with_data(con, *, shop: str | None = None) -> list[str]:
    """ISO week labels (newest first) in which any order, review or ticket happened."""
    return [r[0] for r in con.execute(_ACTIVITY_WEEKS, {"shop": shop}).fetchall()]


def latest_time(con, *, shop: str | None = None):
    """The latest time of any order, review or ticket (``period.to`` of an all-data summary)."""
    return data_times.latest_time(con, shop=shop)


def table_counts(con) -> dict[str, int]:
    """Rows per canonical table."""
    # Table names come from the schema module's constants, never from input.
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in CANONICAL}


# Shops, weeks with data and row counts in one query, for the sidebar of every page. Each
# table is first grouped to its (shop, Monday) pairs, so the ISO week label is computed once
# per week, not once per row; counts stay exact (count(*), not the size estimate).
# Table names come from the schema module's constants, never from input.
EXTENT_SQL = """
WITH active AS (
    SELECT shop, date_trunc('week', coalesce(pay_time, order_time)) AS monday
    FROM orders GROUP BY ALL
    UNION ALL SELECT shop, date_trunc('week', review_time) FROM reviews GROUP BY ALL
    UNION ALL SELECT shop, date_trunc('week', opened_at) FROM tickets GROUP BY ALL
    UNION ALL SELECT shop, NULL FROM contacts GROUP BY ALL
)
SELECT 'shop' AS kind, shop AS name, NULL AS n FROM active WHERE shop IS NOT NULL GROUP BY shop
UNION ALL
SELECT 'week', iso_week_label(monday), NULL FROM active
WHERE monday IS NOT NULL AND ($shop IS NULL OR shop = $shop) GROUP BY monday
UNION ALL
""" + "\nUNION ALL\n".join(f"SELECT 'count', '{t}', count(*) FROM \"{t}\"" for t in CANONICAL)


def extent(con, *, shop: str | None = None) -> dict:
    """Shops, weeks with data (newest first) and row counts, for the sidebar, in one query.

    Returns
    -------
    dict
        ``shops`` (every shop with a row, sorted, whatever ``shop`` is), ``weeks`` (ISO week
        labels in which an order, review or ticket of ``shop`` happened, newest first) and
        ``counts`` (rows per canonical table).
    """
    rows = con.execute(EXTENT_SQL, {"shop": shop}).fetchall()
    return {
        "shops": sorted(name for kind, name, _ in rows if kind == "shop"),
        "weeks": sorted((name for kind, name, _ in rows if kind == "week"), reverse=True),
        "counts": {name: int(n) for kind, name, n in rows if kind == "count"},
    }


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """An empty table with the given columns (for pages with no data yet)."""
    return pd.DataFrame({c: [] for c in columns})
