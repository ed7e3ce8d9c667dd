"""The six-rung customer ladder (DESIGN.md "Metrics" → Tier ladder), as of any instant.

Rungs: 1 unrelated (尚未建立关系的消费者), 2 prospect (潜在消费者), 3 buyer (购买者),
4 customer (顾客), 5 supporter (支持者), 6 advocate (拥戴者); a customer sits on the highest
rung whose rule holds. A customer is ``(shop, customer_id)``; rows without a customer id never
count on the ladder (:func:`orders_without_customer` says how many orders that leaves out).

Everything is "as of" an instant: only rows at or before it count (orders by purchase time
``coalesce(pay_time, order_time)``, reviews by ``review_time``, tickets by ``opened_at``,
contacts by ``first_seen``). A contact with no ``first_seen`` (member lists often carry no
date) counts as known since always.

One SQL text computes the ladder at a list of instants (``$points``), so a week's movement is
one query over two instants and the 26-week trend one query over 26.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis import periods
from analysis import settings as settings_mod

RUNGS = (1, 2, 3, 4, 5, 6)
RUNG_KEYS = {1: "unrelated", 2: "prospect", 3: "buyer", 4: "customer", 5: "supporter", 6: "advocate"}
# from_rung of a customer who was not on the ladder the week before.
NEW = 0

# Contact sources that are an interaction (rung 2); every other source only makes a person
# known (rung 1). The platforms' Chinese words are accepted beside the canonical ones.
INTERACTION_SOURCES = ("enquiry", "cart", "favorite", "咨询", "询单", "加购", "购物车", "收藏")

# The ladder at every instant of $points. Parameters: $points (TIMESTAMP[]), $shop (NULL =
# all shops), $neg/$pos (sentiment thresholds), $win_days, $neg_days, $min_buys,
# $min_pos, $min_items, $sources (interaction sources).
LADDER_CTE = """
WITH pts AS (SELECT unnest(CAST($points AS TIMESTAMP[])) AS as_of),
last_pt AS (SELECT max(as_of) AS t FROM pts),
buy AS (
    SELECT shop, customer_id, order_id, coalesce(pay_time, order_time) AS t, paid_amount,
           coalesce(item_id, item_title) AS item
    FROM orders
    WHERE customer_id IS NOT NULL
      AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
      AND is_purchase(paid_amount, pay_time, status, refund_amount)
      AND coalesce(pay_time, order_time) <= (SELECT t FROM last_pt)
),
lined AS (SELECT DISTINCT shop, order_id FROM order_items),
-- Every fact as one row, so one aggregation places everyone (no joins of per-fact tables).
-- kind: 1 purchase, 2 item line of a purchase, 3 review, 4 ticket or interaction contact,
-- 5 any other contact. An order with item lines names its items through them.
events AS (
    SELECT b.shop, b.customer_id, b.t, 1 AS kind, b.paid_amount AS amount,
           CASE WHEN l.order_id IS NULL THEN b.item END AS item,
           false AS negative, false AS positive
    FROM buy b LEFT JOIN lined l ON l.shop = b.shop AND l.order_id = b.order_id
    UNION ALL
    SELECT b.shop, b.customer_id, b.t, 2, NULL, coalesce(oi.item_id, oi.item_title), false, false
    FROM buy b JOIN order_items oi ON oi.shop = b.shop AND oi.order_id = b.order_id
    UNION ALL
    SELECT shop, customer_id, review_time, 3, NULL, NULL,
           is_negative_review(rating, sentiment, $neg),
           is_clearly_positive(rating, sentiment, $pos)
    FROM review_sentiment
    WHERE customer_id IS NOT NULL AND review_time IS NOT NULL
      AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
      AND review_time <= (SELECT t FROM last_pt)
    UNION ALL
    SELECT shop, customer_id, opened_at, 4, NULL, NULL, false, false
    FROM tickets
    WHERE customer_id IS NOT NULL AND opened_at IS NOT NULL
      AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
    UNION ALL
    SELECT shop, customer_id, coalesce(first_seen, TIMESTAMP '-infinity'),
           CASE WHEN coalesce(lower(trim(source)) IN (SELECT unnest(CAST($sources AS VARCHAR[]))),
                              false) THEN 4 ELSE 5 END,
           NULL, NULL, false, false
    FROM contacts
    WHERE customer_id IS NOT NULL AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
),
facts AS (
    SELECT pts.as_of, e.shop, e.customer_id,
           bool_or(e.kind IN (3, 4)) AS interacted,
           count(*) FILTER (WHERE e.kind = 1) AS purchases,
           count(*) FILTER (WHERE e.kind = 1
                              AND e.t >= pts.as_of - to_days(CAST($win_days AS INTEGER)))
               AS purchases_365,
           max(e.t) FILTER (WHERE e.kind = 1) AS last_purchase,
           count(*) FILTER (WHERE e.negative
                              AND e.t >= pts.as_of - to_days(CAST($neg_days AS INTEGER)))
               AS negative_180,
           count(*) FILTER (WHERE e.positive) AS positive_reviews,
           count(DISTINCT e.item) AS distinct_items,
           sum(e.amount) AS revenue
    FROM pts JOIN events e ON e.t <= pts.as_of
    GROUP BY ALL
),
ladder AS (
    SELECT *,
           CASE
               WHEN purchases >= 1 AND purchases_365 >= $min_buys AND negative_180 = 0
                    AND positive_reviews >= $min_pos AND distinct_items >= $min_items THEN 6
               WHEN purchases >= 1 AND purchases_365 >= $min_buys AND negative_180 = 0 THEN 5
               WHEN purchases >= 2 THEN 4
               WHEN purchases = 1 THEN 3
               WHEN interacted THEN 2
               ELSE 1
           END AS rung
    FROM facts
)
"""

TIERS_SQL = LADDER_CTE + """
SELECT shop, customer_id, rung, purchases, purchases_365, last_purchase, negative_180,
       positive_reviews, distinct_items, revenue
FROM ladder
ORDER BY rung DESC, shop, customer_id
"""

TIER_COUNTS_SQL = LADDER_CTE + "SELECT rung, count(*) FROM ladder GROUP BY rung"

TREND_SQL = LADDER_CTE + "SELECT as_of, rung, count(*) AS customers FROM ladder GROUP BY ALL"

# $points holds [end of previous week, end of this week].
MOVEMENT_SQL = LADDER_CTE + """
SELECT coalesce(a.rung, 0) AS from_rung, b.rung AS to_rung, count(*) AS customers
FROM (SELECT * FROM ladder WHERE as_of = (SELECT max(as_of) FROM pts)) b
LEFT JOIN (SELECT * FROM ladder WHERE as_of = (SELECT min(as_of) FROM pts)) a
       USING (shop, customer_id)
GROUP BY ALL
ORDER BY from_rung, to_rung
"""

# The latest name and phone known for each customer: orders first, then contacts.
PERSONAL_CTE = """,
personal AS (
    SELECT shop, customer_id,
           arg_max(buyer_name, t) FILTER (WHERE buyer_name IS NOT NULL) AS buyer_name,
           arg_max(phone, t) FILTER (WHERE phone IS NOT NULL) AS phone
    FROM (
        SELECT shop, customer_id, buyer_name, phone,
               coalesce(pay_time, order_time, TIMESTAMP '-infinity') AS t
        FROM orders WHERE customer_id IS NOT NULL
        UNION ALL
        SELECT shop, customer_id, buyer_name, phone,
               coalesce(first_seen, TIMESTAMP '-infinity') - INTERVAL 100000 YEAR
        FROM contacts WHERE customer_id IS NOT NULL
    )
    GROUP BY ALL
)
"""

_FACT_COLUMNS = """purchases, purchases_365, last_purchase, negative_180, positive_reviews,
       distinct_items, revenue, personal.buyer_name, personal.phone"""

MOVEMENT_LIST_SQL = LADDER_CTE + PERSONAL_CTE + f"""
SELECT shop, customer_id, coalesce(a.from_rung, 0) AS from_rung, b.rung AS to_rung,
       {_FACT_COLUMNS}
FROM (SELECT * FROM ladder WHERE as_of = (SELECT max(as_of) FROM pts)) b
LEFT JOIN (SELECT shop, customer_id, rung AS from_rung FROM ladder
           WHERE as_of = (SELECT min(as_of) FROM pts)) a USING (shop, customer_id)
LEFT JOIN personal USING (shop, customer_id)
WHERE coalesce(a.from_rung, 0) = $from_rung AND b.rung = $to_rung
ORDER BY revenue DESC NULLS LAST, shop, customer_id
"""

CUSTOMERS_IN_RUNG_SQL = LADDER_CTE + PERSONAL_CTE + f"""
SELECT shop, customer_id, rung, {_FACT_COLUMNS}
FROM ladder LEFT JOIN personal USING (shop, customer_id)
WHERE rung = $rung
ORDER BY revenue DESC NULLS LAST, shop, customer_id
"""

ORDERS_WITHOUT_CUSTOMER_SQL = """
SELECT count(*) FROM orders
WHERE customer_id IS NULL
  AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
  AND coalesce(pay_time, order_time) <= $as_of
"""

LATEST_TIME_SQL = """
SELECT max(t) FROM (
    SELECT max(coalesce(pay_time, order_time)) AS t FROM orders
     WHERE CAST($shop AS VARCHAR) IS NULL OR shop = $shop
    UNION ALL SELECT max(review_time) FROM reviews
     WHERE CAST($shop AS VARCHAR) IS NULL OR shop = $shop
    UNION ALL SELECT max(opened_at) FROM tickets
     WHERE CAST($shop AS VARCHAR) IS NULL OR shop = $shop
    UNION ALL SELECT max(first_seen) FROM contacts
     WHERE CAST($shop AS VARCHAR) IS NULL OR shop = $shop
)
"""


def as_timestamp(value: dt.datetime | dt.date | str) -> dt.datetime:
    """An instant: a datetime as is, a date or ``'YYYY-MM-DD'`` as the end of that day."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if " " in value or "T" in value \
            else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time()) + dt.timedelta(days=1, microseconds=-1)


def _params(con, points, shop, settings) -> dict:
    s = settings if settings is not None else settings_mod.get_all(con)
    d = settings_mod.DEFAULTS
    get = lambda key: s.get(key, d[key])  # noqa: E731 - a partial settings dict is fine
    return {
        "points": [as_timestamp(p) for p in points],
        "shop": shop,
        "neg": float(get("sentiment.negative_below")),
        "pos": float(get("sentiment.positive_above")),
        "win_days": int(get("ladder.supporter_window_days")),
        "neg_days": int(get("ladder.negative_window_days")),
        "min_buys": int(get("ladder.supporter_min_purchases")),
        "min_pos": int(get("ladder.advocate_min_positive_reviews")),
        "min_items": int(get("ladder.advocate_min_distinct_items")),
        "sources": list(INTERACTION_SOURCES),
    }


def tiers_as_of(con, as_of, *, shop: str | None = None, settings: dict | None = None) -> pd.DataFrame:
    """Every customer on the ladder at ``as_of`` with the facts that place them.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    as_of : datetime, date or ISO string
        Only rows at or before this instant count (a date means the end of that day).
    shop : str, optional
        One shop; ``None`` for all shops (customers stay per shop).
    settings : dict, optional
        Thresholds (``ladder.*``, ``sentiment.*``); default the stored settings.

    Returns
    -------
    DataFrame
        shop, customer_id, rung (1–6), purchases, purchases_365 (within the supporter
        window), last_purchase, negative_180 (negative reviews within the negative window),
        positive_reviews (clearly positive, lifetime), distinct_items, revenue (paid amount of
        purchases; None without any).
    """
    return con.execute(TIERS_SQL, _params(con, [as_of], shop, settings)).df()


def tier_counts(con, as_of, *, shop: str | None = None, settings: dict | None = None) -> dict:
    """Customers per rung at ``as_of``: ``{unrelated, prospect, buyer, customer, supporter,
    advocate}`` (ints), the ``tiers`` of ``summary --json``."""
    rows = dict(con.execute(TIER_COUNTS_SQL, _params(con, [as_of], shop, settings)).fetchall())
    return {RUNG_KEYS[r]: int(rows.get(r, 0)) for r in RUNGS}


def orders_without_customer(con, as_of, *, shop: str | None = None) -> int:
    """Orders at or before ``as_of`` with no usable customer id: in revenue, not on the ladder."""
    params = {"as_of": as_timestamp(as_of), "shop": shop}
    return int(con.execute(ORDERS_WITHOUT_CUSTOMER_SQL, params).fetchone()[0])


def _week_points(week: str) -> list[dt.datetime]:
    return [periods.parse_week(periods.shift_week(week, -1)).as_of, periods.parse_week(week).as_of]


def movement(con, week: str, *, shop: str | None = None, settings: dict | None = None) -> pd.DataFrame:
    """Who moved between rungs from the end of the previous ISO week to the end of ``week``.

    Returns
    -------
    DataFrame
        from_rung (0 = not on the ladder before, else 1–6), to_rung (1–6), customers,
        direction (``new``, ``up``, ``down``, ``same``); only pairs with customers.
    """
    df = con.execute(MOVEMENT_SQL, _params(con, _week_points(week), shop, settings)).df()
    df["direction"] = [
        "new" if f == NEW else "up" if t > f else "down" if t < f else "same"
        for f, t in zip(df["from_rung"], df["to_rung"])
    ]
    return df


def movement_list(con, week: str, from_rung: int, to_rung: int, *, shop: str | None = None,
                  settings: dict | None = None) -> pd.DataFrame:
    """The customers behind one cell of :func:`movement` (``from_rung`` 0 = new).

    Personal columns (buyer_name, phone) are raw: the page masks them by role.
    """
    params = _params(con, _week_points(week), shop, settings)
    params.update(from_rung=int(from_rung), to_rung=int(to_rung))
    return con.execute(MOVEMENT_LIST_SQL, params).df()


def customers_in_rung(con, as_of, rung: int, *, shop: str | None = None,
                      settings: dict | None = None) -> pd.DataFrame:
    """The customers on ``rung`` at ``as_of``, biggest spenders first, with raw name/phone."""
    params = _params(con, [as_of], shop, settings)
    params["rung"] = int(rung)
    return con.execute(CUSTOMERS_IN_RUNG_SQL, params).df()


def latest_week(con, *, shop: str | None = None) -> str | None:
    """The ISO week of the latest time in the data (None for an empty store)."""
    latest = con.execute(LATEST_TIME_SQL, {"shop": shop}).fetchone()[0]
    return None if latest is None else periods.week_of(latest)


def ladder_trend(con, *, weeks: int = 26, end_week: str | None = None, shop: str | None = None,
                 settings: dict | None = None) -> pd.DataFrame:
    """Rung sizes at the end of each of ``weeks`` ISO weeks ending with ``end_week``.

    ``end_week`` defaults to the week of the latest time in the data. One query for all weeks.

    Returns
    -------
    DataFrame
        week, rung (1–6), customers: every week × rung, 0 where a rung is empty that week;
        empty when the store has no data.
    """
    end_week = end_week or latest_week(con, shop=shop)
    if end_week is None:
        return pd.DataFrame({"week": [], "rung": [], "customers": []})
    labels = [periods.shift_week(end_week, k - weeks + 1) for k in range(weeks)]
    points = [periods.parse_week(w).as_of for w in labels]
    got = con.execute(TREND_SQL, _params(con, points, shop, settings)).df()
    got["week"] = [periods.week_of(t) for t in got["as_of"]]
    grid = pd.MultiIndex.from_product([labels, RUNGS], names=["week", "rung"]).to_frame(index=False)
    out = grid.merge(got[["week", "rung", "customers"]], on=["week", "rung"], how="left")
    out["customers"] = out["customers"].fillna(0).astype("int64")
    return out
