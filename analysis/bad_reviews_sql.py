"""The bad-review path of a negative review: did the customer reach customer service first?

Every negative review (``is_negative_review`` with the setting ``sentiment.negative_below``)
with a review time is classified by the tickets of the same shop and the same order or the
same customer opened in the ``complaints.path_window_days`` days before the review (a ticket
opened exactly that many days before still counts):

- ``contacted_solved``: one of them was resolved before the review and its outcome or status
  is not a refusal (:data:`REFUSAL_PATTERN`);
- ``contacted_unsolved``: there were such tickets, none solved before the review (a ticket
  solved after the review did not prevent it);
- ``no_contact``: none — the dangerous path, the store never had a chance.

A ``care_call`` ticket is a contact too: that is how a call moves a customer off path (c).

A definition: the stored paths (:mod:`analysis.complaint_store`) are built from this SQL and
the metrics (:mod:`analysis.bad_reviews`, :mod:`analysis.care`) read through it, live or stored.
"""

from __future__ import annotations

from analysis.sql import resolve_settings

# Outcome / status words meaning the customer was refused.
REFUSAL_WORDS = (
    "拒绝", "驳回", "不同意", "不予", "未解决", "无法解决", "不支持",
    "refused", "refusal", "rejected", "denied", "declined", "unresolved", "not resolved",
)
REFUSAL_PATTERN = "(?i)(" + "|".join(REFUSAL_WORDS) + ")"
PATHS = ("contacted_solved", "contacted_unsolved", "no_contact")

# Columns of the negative reviews that the classified SQL can carry; each query asks only
# for what it shows, since the reviews are materialised once and wide text columns cost.
REVIEW_COLUMNS = ("shop", "review_key", "order_id", "customer_id", "item_title", "rating",
                  "sentiment", "content", "review_time", "seller_reply", "reply_time")
# The columns the stored paths keep (analysis.complaint_store); the rest come from reviews.
STORED_COLUMNS = ("shop", "review_key", "order_id", "customer_id", "review_time", "rating",
                  "sentiment")


def classified_reviews_sql(columns=REVIEW_COLUMNS, *, stored: bool = False) -> str:
    """SQL: the negative reviews in [$start, $end) with their ``path`` and ``tickets_before``.

    ``columns`` (from :data:`REVIEW_COLUMNS` only, code constants) are carried through.
    The tickets are joined by order and by customer as two equi-joins (an OR condition
    would be a nested loop), and the refusal pattern is matched only on the few tickets
    that meet a review, not on every ticket. ``stored`` reads the same rows from
    ``review_paths`` (use it only when :func:`analysis.ladder_store.is_current`), joining
    ``reviews`` only for columns it does not keep.
    """
    unknown = set(columns) - set(REVIEW_COLUMNS)
    if unknown:
        raise ValueError(f"unknown review columns {sorted(unknown)}")
    if stored:
        return _stored_sql(columns)
    keys = ("shop", "order_id", "customer_id", "review_time")
    cols = ", ".join(dict.fromkeys([*keys, *columns]))
    shown = "".join(f"n.{c}, " for c in columns)
    # Implied by the window and the period, but lets the scan skip tickets outside it.
    period = ("($start IS NULL OR tk.opened_at >= "
              "CAST($start AS TIMESTAMP) - to_days($window_days)) "
              "AND ($end IS NULL OR tk.opened_at < $end)")
    return f"""
WITH neg AS MATERIALIZED (
    SELECT row_number() OVER () AS rid, {cols}
    FROM review_sentiment
    WHERE ($shop IS NULL OR shop = $shop) AND review_time IS NOT NULL
      AND ($start IS NULL OR review_time >= $start) AND ($end IS NULL OR review_time < $end)
      AND is_negative_review(rating, sentiment, $neg_below)
),
matched AS (
    SELECT n.rid, tk.rowid AS ticket_row, n.review_time, tk.resolved_at, tk.outcome, tk.status
    FROM neg n JOIN tickets tk ON tk.shop = n.shop AND tk.order_id = n.order_id
    WHERE tk.opened_at < n.review_time AND tk.opened_at >= n.review_time - to_days($window_days)
      AND {period}
    UNION
    SELECT n.rid, tk.rowid AS ticket_row, n.review_time, tk.resolved_at, tk.outcome, tk.status
    FROM neg n JOIN tickets tk ON tk.shop = n.shop AND tk.customer_id = n.customer_id
    WHERE tk.opened_at < n.review_time AND tk.opened_at >= n.review_time - to_days($window_days)
      AND {period}
),
per_review AS (
    SELECT rid, count(*) AS tickets,
        coalesce(bool_or(resolved_at < review_time AND NOT regexp_matches(
            coalesce(outcome, '') || ' ' || coalesce(status, ''), $refusal)), false) AS solved
    FROM matched GROUP BY rid
)
SELECT {shown}coalesce(p.tickets, 0) AS tickets_before,
    CASE WHEN p.rid IS NULL THEN 'no_contact'
         WHEN p.solved THEN 'contacted_solved'
         ELSE 'contacted_unsolved' END AS path
FROM neg n LEFT JOIN per_review p USING (rid)
"""


def _stored_sql(columns) -> str:
    shown = "".join(f"p.{c}, " if c in STORED_COLUMNS else f"r.{c}, " for c in columns)
    join = ("" if set(columns) <= set(STORED_COLUMNS) else
            " JOIN reviews r ON r.shop = p.shop AND r.review_key = p.review_key")
    return f"""
SELECT {shown}p.tickets_before, p.path
FROM review_paths p{join}
WHERE ($shop IS NULL OR p.shop = $shop)
  AND ($start IS NULL OR p.review_time >= $start) AND ($end IS NULL OR p.review_time < $end)
"""


def live_and_stored(template: str, columns=REVIEW_COLUMNS) -> dict[bool, str]:
    """``template`` with ``{classified}`` replaced by the live (``False``) and the stored
    (``True``) classified SQL over ``columns``."""
    return {stored: template.replace("{classified}", classified_reviews_sql(columns, stored=stored))
            for stored in (False, True)}


def classified_params(con, start, end, shop, settings) -> dict:
    """Named parameters of :func:`classified_reviews_sql` (live or stored)."""
    s = resolve_settings(con, settings)
    return {
        "start": start, "end": end, "shop": shop,
        "neg_below": float(s["sentiment.negative_below"]),
        "window_days": int(s["complaints.path_window_days"]),
        "refusal": REFUSAL_PATTERN,
    }
