"""Bad-review paths: did the unhappy customer reach customer service before reviewing?

Every negative review (``is_negative_review`` with the setting ``sentiment.negative_below``)
in ``[start, end)`` is classified by the tickets of the same shop and the same order or the
same customer opened in the ``complaints.path_window_days`` days before the review (a ticket
opened exactly that many days before still counts):

- ``contacted_solved``: one of them was resolved before the review and its outcome or status
  is not a refusal (:data:`REFUSAL_PATTERN`);
- ``contacted_unsolved``: there were such tickets, none solved before the review (a ticket
  solved after the review did not prevent it);
- ``no_contact``: none — the dangerous path, the store never had a chance.

A ``care_call`` ticket is a contact too: that is how a call moves a customer off path (c).
"""

from __future__ import annotations

import pandas as pd

from analysis import ladder_store
from analysis.complaints import query_df, resolve_settings

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
    ``review_paths`` (use it only when :func:`analysis.ladder_store.is_current`), joining ``reviews`` only for
    columns it does not keep.
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


PATH_COUNTS_SQL = live_and_stored("""
SELECT count(*) AS negative,
    count(*) FILTER (path = 'contacted_solved') AS contacted_solved,
    count(*) FILTER (path = 'contacted_unsolved') AS contacted_unsolved,
    count(*) FILTER (path = 'no_contact') AS no_contact
FROM ({classified})
""", ())


def bad_review_paths(con, start, end, *, shop=None, settings=None) -> dict:
    """The ``summary --json`` ``bad_review_paths`` object: counts of negative reviews per path.

    Returns
    -------
    dict
        ``contacted_solved, contacted_unsolved, no_contact``; all ``None`` when the period
        has no negative review.
    """
    sql = PATH_COUNTS_SQL[ladder_store.is_current(con, settings)]
    r = query_df(con, sql, classified_params(con, start, end, shop, settings)).iloc[0]
    has = int(r["negative"]) > 0
    return {p: int(r[p]) if has else None for p in PATHS}


# Grouped by the week's Monday and labelled once per week (cheaper than a label per row).
PATHS_BY_WEEK_SQL = live_and_stored("""
SELECT iso_week_label(monday) AS week, negative, contacted_solved, contacted_unsolved,
    no_contact, no_contact / negative AS no_contact_share
FROM (
    SELECT date_trunc('week', review_time) AS monday,
        count(*) AS negative,
        count(*) FILTER (path = 'contacted_solved') AS contacted_solved,
        count(*) FILTER (path = 'contacted_unsolved') AS contacted_unsolved,
        count(*) FILTER (path = 'no_contact') AS no_contact
    FROM ({classified})
    GROUP BY monday
)
ORDER BY monday
""", ("review_time",))


def paths_by_week(con, start, end, *, shop=None, settings=None) -> pd.DataFrame:
    """The path funnel per ISO week of the review, with the no-contact share (0–1).

    Returns
    -------
    pandas.DataFrame
        ``week, negative, contacted_solved, contacted_unsolved, no_contact,
        no_contact_share``; weeks with no negative review have no row.
    """
    return query_df(con, PATHS_BY_WEEK_SQL[ladder_store.is_current(con, settings)],
                    classified_params(con, start, end, shop, settings))


NO_CONTACT_COLUMNS = ("shop", "order_id", "customer_id", "item_title", "rating", "content",
                      "review_time", "seller_reply")
NO_CONTACT_SQL = live_and_stored("""
SELECT shop, order_id, customer_id, item_title, rating, content, review_time, seller_reply
FROM ({classified})
WHERE path = 'no_contact'
ORDER BY review_time DESC, order_id
""", NO_CONTACT_COLUMNS)


def no_contact_reviews(con, start, end, *, shop=None, settings=None) -> pd.DataFrame:
    """The negative reviews that came with no prior contact, newest first.

    Returns
    -------
    pandas.DataFrame
        ``shop, order_id, customer_id, item_title, rating, content, review_time,
        seller_reply`` (text as stored: show it as text, never as HTML).
    """
    # Arrow: the list can run to tens of thousands of texts.
    return query_df(con, NO_CONTACT_SQL[ladder_store.is_current(con, settings)],
                    classified_params(con, start, end, shop, settings), arrow=True)


REPLY_SQL = {False: """
SELECT count(*) AS negative,
    count(*) FILTER (nullif(trim(seller_reply), '') IS NOT NULL) AS replied,
    quantile_cont(CASE WHEN nullif(trim(seller_reply), '') IS NOT NULL AND reply_time >= review_time
                       THEN epoch(reply_time - review_time) / 3600.0 END, 0.5) AS reply_median_h
FROM review_sentiment
WHERE ($shop IS NULL OR shop = $shop) AND review_time IS NOT NULL
  AND ($start IS NULL OR review_time >= $start) AND ($end IS NULL OR review_time < $end)
  AND is_negative_review(rating, sentiment, $neg_below)
""", True: """
SELECT count(*) AS negative, count(*) FILTER (replied) AS replied,
    quantile_cont(reply_h, 0.5) AS reply_median_h
FROM review_paths
WHERE ($shop IS NULL OR shop = $shop)
  AND ($start IS NULL OR review_time >= $start) AND ($end IS NULL OR review_time < $end)
"""}


def seller_reply_stats(con, start, end, *, shop=None, settings=None) -> dict:
    """The seller's reply rate and median reply time on negative reviews in ``[start, end)``.

    Returns
    -------
    dict
        ``negative, replied, reply_rate`` (0–1) and ``reply_median_h`` (over replies with a
        reply time); ``None`` where there is no data.
    """
    s = resolve_settings(con, settings)
    r = query_df(con, REPLY_SQL[ladder_store.is_current(con, settings)], {
        "start": start, "end": end, "shop": shop,
        "neg_below": float(s["sentiment.negative_below"])}).iloc[0]
    n = int(r["negative"])
    median = r["reply_median_h"]
    return {
        "negative": n or None,
        "replied": int(r["replied"]) if n else None,
        "reply_rate": int(r["replied"]) / n if n else None,
        "reply_median_h": None if pd.isna(median) else float(median),
    }
