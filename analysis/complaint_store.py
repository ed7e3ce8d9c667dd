"""The bad-review paths and the refunded orders, kept in the database beside the stored ladder.

Both join one large table to another on text keys (every negative review to the tickets of
its order and of its customer; every paid order to its refund tickets), which costs more
than everything read afterwards. :func:`analysis.ladder_store.refresh` builds them in the
same transaction and under the same stamp as the ladder:

- ``review_paths``: every negative review (with a review time) and its path, as
  :func:`analysis.bad_reviews_sql.classified_reviews_sql` classifies it, plus the seller's
  reply facts (``replied``, ``reply_h``). No review text: the lists read it from
  ``reviews``, so an erased text stays erased.
- ``order_refunds``: every paid order whose refund (see :mod:`analysis.refunds_sql`) is
  not zero, with its pay time and item.

Readers use them only when :func:`analysis.ladder_store.is_current` (the stamp matches the
data and the settings they were given), and otherwise compute live: the same numbers, only
slower.
"""

from __future__ import annotations

from analysis.bad_reviews_sql import STORED_COLUMNS, classified_params, classified_reviews_sql
from analysis.refunds_sql import REFUND_ORDERS_CTE, refund_params
from analysis.sql import used_params

STORE_PATHS_SQL = f"""
INSERT INTO review_paths
SELECT shop, review_key, order_id, customer_id, review_time, rating, sentiment, path,
    tickets_before, nullif(trim(seller_reply), '') IS NOT NULL AS replied,
    CASE WHEN nullif(trim(seller_reply), '') IS NOT NULL AND reply_time >= review_time
         THEN epoch(reply_time - review_time) / 3600.0 END AS reply_h
FROM ({classified_reviews_sql((*STORED_COLUMNS, "seller_reply", "reply_time"))})
"""

STORE_REFUNDS_SQL = REFUND_ORDERS_CTE + """
INSERT INTO order_refunds
SELECT shop, order_id, paid_at, item_title, refunded FROM per_order WHERE refunded <> 0
"""


def clear(con) -> None:
    """Forget both tables (readers then compute live)."""
    con.execute("DELETE FROM review_paths")
    con.execute("DELETE FROM order_refunds")


def build(con, settings: dict) -> None:
    """Fill both tables from the data under ``settings``, inside the caller's transaction."""
    clear(con)
    con.execute(STORE_PATHS_SQL, used_params(STORE_PATHS_SQL, classified_params(
        con, None, None, None, settings)))
    con.execute(STORE_REFUNDS_SQL, used_params(STORE_REFUNDS_SQL, refund_params(None, None, None)))


