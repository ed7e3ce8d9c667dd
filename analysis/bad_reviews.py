"""Bad-review paths: did the unhappy customer reach customer service before reviewing?

The figures over the paths of the negative reviews in ``[start, end)``: counts per path,
the weekly funnel, the no-contact list and its items, and the seller's replies. What each
path means, and the SQL that classifies a review, are in :mod:`analysis.bad_reviews_sql`;
every figure is read from the stored paths (:mod:`analysis.complaint_store`) when they are
current, else classified live.
"""

from __future__ import annotations

import pandas as pd

from analysis import ladder_store
from analysis.bad_reviews_sql import PATHS, classified_params, live_and_stored
from analysis.sql import query_df, resolve_settings

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


NO_CONTACT_ITEMS_SQL = live_and_stored("""
SELECT shop, item_title, count(*) AS reviews
FROM ({classified})
WHERE path = 'no_contact'
GROUP BY shop, item_title
ORDER BY reviews DESC, shop, item_title NULLS LAST
LIMIT $limit
""", ("shop", "item_title"))


def no_contact_items(con, start, end, *, shop=None, settings=None, limit: int = 5) -> pd.DataFrame:
    """The items with the most negative reviews that came with no prior contact in
    ``[start, end)`` (path (c), see :mod:`analysis.bad_reviews_sql`), most first.

    Returns
    -------
    pandas.DataFrame
        ``shop, item_title, reviews`` (item_title as stored: show it as text, never HTML).
    """
    params = {**classified_params(con, start, end, shop, settings), "limit": int(limit)}
    return query_df(con, NO_CONTACT_ITEMS_SQL[ladder_store.is_current(con, settings)], params)


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
