"""Personal-data duties under PIPL: erasing one buyer's personal data on request.

What goes: buyer names, phones and addresses (orders, contacts), the buyer's review and
追评 texts, every unmapped column kept at import (``extra``: it may hold anything the
platform exported) on that buyer's rows, and the agents' free-text notes about them.
What stays: the customer id (the store's key to the buyer in its back office), orders,
amounts, times, ratings and the sentiment scores of the erased texts, so every figure for
every period is unchanged. The seller's replies stay: they are the store's own words.

The scores stay findable because the md5 cache key of each erased text is kept in
``erased_reviews`` (schema.REVIEW_SENTIMENT_VIEW joins it). Rows keep their import
``row_hash``, so re-importing an unchanged export row leaves it erased ("unchanged").
"""

from __future__ import annotations

from analysis.errors import UserError
from analysis.exports import log_audit
from analysis.privacy import pseudonymise

# Rows of the buyer (``$ids``: the id as entered, and its pseudonym when the store
# pseudonymises ids), in one shop or all.
_MATCH = "customer_id IN (SELECT unnest(CAST($ids AS VARCHAR[]))) AND ($shop IS NULL OR shop = $shop)"

FOUND_SQL = f"""
SELECT count(*) FROM (
    SELECT customer_id, shop FROM orders UNION ALL SELECT customer_id, shop FROM reviews
    UNION ALL SELECT customer_id, shop FROM contacts UNION ALL SELECT customer_id, shop FROM tickets
) WHERE {_MATCH}
"""

# Hashes of the texts about to be erased, merged with any kept by an earlier erasure of the
# same review (its text may have come back with a changed re-import).
ERASED_HASHES_SQL = f"""
SELECT r.shop, r.review_key,
       coalesce(md5(r.content), e.content_hash) AS content_hash,
       coalesce(md5(r.followup_content), e.followup_hash) AS followup_hash
FROM (SELECT * FROM reviews WHERE {_MATCH}) r
LEFT JOIN erased_reviews e ON e.shop = r.shop AND e.review_key = r.review_key
WHERE r.content IS NOT NULL OR r.followup_content IS NOT NULL
"""
DELETE_ERASED_SQL = "DELETE FROM erased_reviews WHERE shop = ? AND review_key = ?"
INSERT_ERASED_SQL = "INSERT INTO erased_reviews VALUES (?, ?, ?, ?, current_localtimestamp())"

# table -> UPDATE statement; each returns the number of rows it changed.
ERASE_SQL = {
    "orders": f"UPDATE orders SET buyer_name = NULL, phone = NULL, address = NULL, extra = NULL "
              f"WHERE {_MATCH}",
    "order_items": "UPDATE order_items SET extra = NULL WHERE (shop, order_id) IN "
                   f"(SELECT (shop, order_id) FROM orders WHERE {_MATCH})",
    "contacts": f"UPDATE contacts SET buyer_name = NULL, phone = NULL, extra = NULL WHERE {_MATCH}",
    "reviews": f"UPDATE reviews SET content = NULL, followup_content = NULL, extra = NULL "
               f"WHERE {_MATCH}",
    "tickets": f"UPDATE tickets SET extra = NULL WHERE {_MATCH}",
    "care_calls": f"UPDATE care_calls SET note = NULL WHERE {_MATCH}",
}


def erase_buyer(con, customer_id: str, *, shop: str | None = None, by: str | None = None,
                salt: str | None = None) -> dict:
    """Erase one buyer's personal data (see module docstring), in one transaction, logged.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A read-write connection.
    customer_id : str
        The id as exported (or as stored, when ids are pseudonymised).
    shop : str, optional
        Only this shop's rows; None erases the buyer in every shop.
    by : str, optional
        Who asked, for the audit log.
    salt : str, optional
        The pseudonymise salt: the id's pseudonym is erased as well.

    Returns
    -------
    dict
        ``{customer_id, shop, orders, order_items, contacts, reviews, tickets, care_calls}``:
        rows changed per table.

    Raises
    ------
    UserError
        ``erase.empty_id`` for a blank id, ``erase.not_found`` when no row has it.
    """
    cid = (customer_id or "").strip()
    if not cid:
        raise UserError("erase.empty_id")
    ids = [cid] + ([pseudonymise(cid, salt)] if salt else [])
    params = {"ids": ids, "shop": shop}
    if not con.execute(FOUND_SQL, params).fetchall()[0][0]:
        raise UserError("erase.not_found", customer_id=cid)
    con.begin()
    try:
        hashes = con.execute(ERASED_HASHES_SQL, params).fetchall()
        for shop_, key, _, _ in hashes:
            con.execute(DELETE_ERASED_SQL, [shop_, key])
        if hashes:
            con.executemany(INSERT_ERASED_SQL, [list(h) for h in hashes])
        counts = {table: con.execute(sql, params).fetchall()[0][0] for table, sql in ERASE_SQL.items()}
        # Only the id and counts: the log itself must hold no personal data.
        log_audit(con, actor=by, role="operator", action="erase", what=cid,
                  rows=sum(counts.values()), detail={"shop": shop, **counts})
        con.commit()
    except Exception:
        con.rollback()
        raise
    return {"customer_id": cid, "shop": shop, **counts}
