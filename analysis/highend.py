"""High-end customers (高端客户): bought at least one item at or above the high-end unit price.

The high-end unit price, and an order's top unit price compared with it, are defined in
:mod:`analysis.highend_sql` (ties at the threshold are high-end); each shop's price is
stored with the ladder (:mod:`analysis.ladder_store`). Only purchases (``is_purchase``) by
customers with an id make someone high-end.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis import ladder_store, periods
from analysis.highend_sql import LINE_TOP_CTE, TOP_PRICE, computed_high_end_threshold
from analysis.periods import as_timestamp
from analysis.sql import resolve_settings

GROUPS = ("high_end", "rest")

# Every purchase at $as_of with its top unit price.
PURCHASES_CTE = LINE_TOP_CTE + f""",
purchases AS (
    SELECT o.shop, o.customer_id, o.order_id, coalesce(o.pay_time, o.order_time) AS t,
           {TOP_PRICE} AS top_price
    FROM orders o LEFT JOIN line_top lt ON lt.shop = o.shop AND lt.order_id = o.order_id
    WHERE o.customer_id IS NOT NULL
      AND (CAST($shop AS VARCHAR) IS NULL OR o.shop = $shop)
      AND is_purchase(o.paid_amount, o.pay_time, o.status, o.refund_amount)
      AND coalesce(o.pay_time, o.order_time) <= $as_of
)"""

# High-end customers at $as_of for $threshold.
HIGH_END_CTE = PURCHASES_CTE + """,
he AS (
    SELECT shop, customer_id,
           max(top_price) AS top_unit_price,
           count(*) AS high_end_orders,
           min(t) AS first_high_end_purchase
    FROM purchases
    WHERE top_price >= $threshold
    GROUP BY ALL
)"""

HIGH_END_CUSTOMERS_SQL = HIGH_END_CTE + """
SELECT * FROM he ORDER BY top_unit_price DESC, shop, customer_id
"""

# Period [$start, $end) (either may be NULL = open); every buyer at $as_of is high-end or rest.
COMPARE_SQL = PURCHASES_CTE + """,
grp AS (
    SELECT shop, customer_id, count(*) AS purchases,
           CASE WHEN coalesce(bool_or(top_price >= $threshold), false) THEN 'high_end'
                ELSE 'rest' END AS "group"
    FROM purchases
    GROUP BY ALL
),
-- Amounts stay DECIMAL until divided: exact sums, the same in every run (a parallel sum of
-- doubles can differ in the last digits from run to run).
period_orders AS (
    SELECT shop, customer_id, paid_amount AS paid
    FROM orders
    WHERE (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
      AND is_purchase(paid_amount, pay_time, status, refund_amount)
      AND (CAST($start AS TIMESTAMP) IS NULL OR coalesce(pay_time, order_time) >= $start)
      AND (CAST($end AS TIMESTAMP) IS NULL OR coalesce(pay_time, order_time) < $end)
),
total AS (SELECT nullif(sum(paid), 0) AS revenue FROM period_orders),
ord AS (
    SELECT g."group", sum(p.paid) AS revenue, avg(p.paid) AS aov
    FROM period_orders p JOIN grp g USING (shop, customer_id) GROUP BY 1
),
rev AS (
    SELECT g."group", count(*) AS reviews,
           count(*) FILTER (WHERE is_negative_review(r.rating, r.sentiment, $neg)) AS negative,
           avg(r.sentiment) AS mean_sentiment
    FROM review_sentiment r JOIN grp g USING (shop, customer_id)
    WHERE (CAST($start AS TIMESTAMP) IS NULL OR r.review_time >= $start)
      AND (CAST($end AS TIMESTAMP) IS NULL OR r.review_time < $end)
    GROUP BY 1
),
tix AS (
    SELECT g."group",
           quantile_cont(epoch(t.resolved_at - t.opened_at) / 3600.0, 0.5) AS median_h
    FROM tickets t JOIN grp g USING (shop, customer_id)
    WHERE t.resolved_at IS NOT NULL
      AND (CAST($start AS TIMESTAMP) IS NULL OR t.opened_at >= $start)
      AND (CAST($end AS TIMESTAMP) IS NULL OR t.opened_at < $end)
    GROUP BY 1
),
cust AS (
    SELECT "group", count(*) AS customers, avg(CAST(purchases >= 2 AS INTEGER)) AS repeat_rate
    FROM grp GROUP BY 1
)
SELECT g."group",
       coalesce(cust.customers, 0) AS customers,
       CAST(coalesce(ord.revenue, 0) AS DOUBLE) / (SELECT revenue FROM total) AS revenue_share,
       ord.aov AS average_order_value,
       cust.repeat_rate,
       rev.negative / nullif(rev.reviews, 0) AS negative_review_rate,
       rev.mean_sentiment,
       tix.median_h AS median_resolution_hours
FROM (VALUES ('high_end', 1), ('rest', 2)) g("group", pos)
LEFT JOIN cust USING ("group")
LEFT JOIN ord USING ("group")
LEFT JOIN rev USING ("group")
LEFT JOIN tix USING ("group")
ORDER BY g.pos
"""

# The high-end revenue share of the ISO weeks starting on the Mondays $mondays (any set of
# weeks, e.g. the sparkline's and a year before), $end the end of the latest. A customer's
# orders count as high-end in a week when their first high-end purchase is before that week's
# end; only the weeks' buyers are looked up (their status needs only their own orders).
WEEKS_SHARE_SQL = LINE_TOP_CTE + f""",
period_orders AS (
    SELECT shop, customer_id, paid_amount AS paid,
           date_trunc('week', coalesce(pay_time, order_time)) AS monday
    FROM orders
    WHERE (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
      AND is_purchase(paid_amount, pay_time, status, refund_amount)
      AND coalesce(pay_time, order_time) < $end
      AND date_trunc('week', coalesce(pay_time, order_time))
          IN (SELECT unnest(CAST($mondays AS TIMESTAMP[])))
),
he AS (
    SELECT o.shop, o.customer_id, min(coalesce(o.pay_time, o.order_time)) AS first_high_end_purchase
    FROM orders o LEFT JOIN line_top lt ON lt.shop = o.shop AND lt.order_id = o.order_id
    WHERE o.customer_id IN (SELECT customer_id FROM period_orders)
      AND is_purchase(o.paid_amount, o.pay_time, o.status, o.refund_amount)
      AND coalesce(o.pay_time, o.order_time) < $end
      AND {TOP_PRICE} >= $threshold
    GROUP BY ALL
)
SELECT iso_week_label(monday) AS week,
       CAST(coalesce(sum(p.paid) FILTER (he.first_high_end_purchase
                                         < p.monday + INTERVAL 7 DAY), 0) AS DOUBLE)
           / nullif(sum(p.paid), 0) AS revenue_share
FROM period_orders p LEFT JOIN he USING (shop, customer_id)
GROUP BY monday
ORDER BY monday
"""

COMPARE_COLUMNS = ["group", "customers", "revenue_share", "average_order_value", "repeat_rate",
                   "negative_review_rate", "mean_sentiment", "median_resolution_hours"]


def high_end_threshold(con, *, shop: str | None = None,
                       settings: dict | None = None) -> float | None:
    """The high-end unit price: ``high_end.amount`` when set, else the store's percentile.

    Returns
    -------
    float or None
        None when no order line has a price.
    """
    s = resolve_settings(con, settings)
    if s["high_end.amount"] is not None:
        return float(s["high_end.amount"])
    stored = ladder_store.stored_high_end_price(con, shop, s)
    if stored is not False:
        return stored
    return computed_high_end_threshold(con, shop=shop, settings=s)


def high_end_customers(con, as_of, *, shop: str | None = None, settings: dict | None = None,
                       threshold: float | None = None) -> pd.DataFrame:
    """Customers with a purchase at or before ``as_of`` of an item at or above the threshold.

    ``threshold`` defaults to :func:`high_end_threshold` (pass it to avoid computing it twice).

    Returns
    -------
    DataFrame
        shop, customer_id, top_unit_price, high_end_orders, first_high_end_purchase;
        empty when there is no threshold (no priced lines).
    """
    if threshold is None:
        threshold = high_end_threshold(con, shop=shop, settings=settings)
    params = {"shop": shop, "as_of": as_timestamp(as_of), "threshold": threshold}
    if threshold is None:
        params["threshold"] = float("inf")
    return con.execute(HIGH_END_CUSTOMERS_SQL, params).df()


def _none(value):
    return None if value is None or pd.isna(value) else float(value)


def compare_high_end(con, start: dt.datetime | None, end: dt.datetime | None, as_of, *,
                     shop: str | None = None, settings: dict | None = None) -> pd.DataFrame:
    """High-end customers against the rest of the buyers.

    Parameters
    ----------
    start, end : datetime or None
        The period ``[start, end)`` for the flow figures (None = open).
    as_of : datetime, date or str
        Who is high-end, and who has bought at all (the rest), at this instant.

    Returns
    -------
    DataFrame
        Rows ``high_end`` and ``rest`` with group, customers, revenue_share (of all the
        period's paid revenue, orders without a customer id included), average_order_value,
        repeat_rate (share with 2+ purchases), negative_review_rate, mean_sentiment,
        median_resolution_hours (of their tickets opened in the period); None where no data.
    """
    s = resolve_settings(con, settings)
    threshold = high_end_threshold(con, shop=shop, settings=s)
    if threshold is None:
        return pd.DataFrame([{c: (g if c == "group" else None) for c in COMPARE_COLUMNS}
                             for g in GROUPS], columns=COMPARE_COLUMNS, dtype=object)
    params = {"shop": shop, "as_of": as_timestamp(as_of), "threshold": threshold,
              "start": start, "end": end, "neg": float(s["sentiment.negative_below"])}
    df = con.execute(COMPARE_SQL, params).df()[COMPARE_COLUMNS]
    return df.astype(object).where(df.notna(), None)


def revenue_share_in_weeks(con, weeks, *, shop: str | None = None,
                           settings: dict | None = None) -> pd.DataFrame:
    """:func:`high_end_summary`'s ``revenue_share`` for the ISO weeks ``weeks`` (labels, any
    order, gaps allowed) in one query, high-end status taken at each week's end: the
    overview's sparkline and the same week a year before.

    Returns
    -------
    DataFrame
        week, revenue_share (None for a week without paid revenue), oldest week first; no row
        for a week without purchases; empty when there is no threshold (no priced lines).
    """
    s = resolve_settings(con, settings)
    threshold = high_end_threshold(con, shop=shop, settings=s)
    if threshold is None or not weeks:
        return pd.DataFrame({"week": [], "revenue_share": []})
    parsed = [periods.parse_week(w) for w in weeks]
    params = {"shop": shop, "threshold": threshold, "mondays": [p.start for p in parsed],
              "end": max(p.end for p in parsed)}
    df = con.execute(WEEKS_SHARE_SQL, params).df()
    return df.astype(object).where(df.notna(), None)


def high_end_summary(con, start: dt.datetime | None, end: dt.datetime | None, as_of, *,
                     shop: str | None = None, settings: dict | None = None) -> dict:
    """``summary --json`` ``high_end``: ``{customers, revenue_share, negative_review_rate}``.

    customers are high-end at ``as_of``; revenue_share is their share of the period's paid
    revenue; negative_review_rate the share of their period reviews that are negative.
    None for each figure without data (and with no time in the data, no instant to take
    the high-end customers at).
    """
    if as_of is None:
        return {"customers": None, "revenue_share": None, "negative_review_rate": None}
    df = compare_high_end(con, start, end, as_of, shop=shop, settings=settings)
    row = df.iloc[0]
    if row["customers"] is None:
        return {"customers": None, "revenue_share": None, "negative_review_rate": None}
    return {
        "customers": int(row["customers"]),
        "revenue_share": _none(row["revenue_share"]),
        "negative_review_rate": _none(row["negative_review_rate"]),
    }
