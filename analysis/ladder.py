"""The six-rung customer ladder (DESIGN.md "Metrics" → Tier ladder), as of any instant.

Rungs: 1 unrelated (尚未建立关系的消费者), 2 prospect (潜在消费者), 3 buyer (购买者),
4 customer (顾客), 5 supporter (支持者), 6 advocate (拥戴者); a customer sits on the highest
rung whose rule holds. A customer is ``(shop, customer_id)``; rows without a customer id never
count on the ladder (:func:`orders_without_customer` says how many orders that leaves out).

Everything is "as of" an instant: only rows at or before it count (orders by purchase time
``coalesce(pay_time, order_time)``, reviews by ``review_time``, tickets by ``opened_at``,
contacts by ``first_seen``). A contact with no ``first_seen`` (member lists often carry no
date) counts as known since always.

Every query reads each fact once: the ladder at one instant is one aggregation per customer,
a week's movement one aggregation with both instants' figures side by side, and the 26-week
trend turns facts into steps at the weeks where they start and stop counting.
"""

from __future__ import annotations

import datetime as dt
import re

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

# Every fact that places customers, up to $last. A ``/*only:<column>*/`` marker becomes, through
# :func:`_only_customers`, a filter to the customer ids in $customers (a customer's rung
# depends only on their own rows, so the restricted ladder places them exactly). Parameters: $last, $shop (NULL = all
# shops), $neg/$pos (sentiment thresholds), $sources (interaction sources), $min_pos and
# $all_items (see item_candidates); the rung rules below add $win_days, $neg_days,
# $min_buys, $min_items.
EVENTS_CTE = """
WITH buy AS (
    SELECT shop, customer_id, order_id, coalesce(pay_time, order_time) AS t, paid_amount,
           coalesce(item_id, item_title) AS item
    FROM orders
    WHERE customer_id IS NOT NULL /*only:customer_id*/
      AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
      AND is_purchase(paid_amount, pay_time, status, refund_amount)
      AND coalesce(pay_time, order_time) <= $last
),
-- Item lines of purchases; read from order_items first so that an empty order_items
-- costs nothing (the planner builds the join on the small side).
buy_lines AS (
    SELECT o.shop, o.customer_id, o.order_id, coalesce(o.pay_time, o.order_time) AS t,
           coalesce(oi.item_id, oi.item_title) AS item
    FROM order_items oi
    JOIN orders o ON o.shop = oi.shop AND o.order_id = oi.order_id
    WHERE o.customer_id IS NOT NULL /*only:o.customer_id*/
      AND (CAST($shop AS VARCHAR) IS NULL OR o.shop = $shop)
      AND is_purchase(o.paid_amount, o.pay_time, o.status, o.refund_amount)
      AND coalesce(o.pay_time, o.order_time) <= $last
),
rev AS (
    SELECT shop, customer_id, review_time AS t,
           is_negative_review(rating, sentiment, $neg) AS negative,
           is_clearly_positive(rating, sentiment, $pos) AS positive
    FROM review_sentiment
    WHERE customer_id IS NOT NULL /*only:customer_id*/ AND review_time IS NOT NULL
      AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
      AND review_time <= $last
),
-- Distinct items only decide the top rung, so counts and movement ($all_items false) count
-- them only for customers with enough clearly positive reviews to be advocates.
item_candidates AS (
    SELECT shop, customer_id FROM rev WHERE positive GROUP BY ALL HAVING count(*) >= $min_pos
),
-- When each customer first bought each item. An order with item lines names its items
-- through them, else through its own item id or title.
item_buyers AS (
    SELECT shop, customer_id, order_id, t, item FROM buy WHERE $all_items
    UNION ALL
    SELECT b.shop, b.customer_id, b.order_id, b.t, b.item
    FROM item_candidates c JOIN buy b USING (shop, customer_id)
    WHERE NOT $all_items
),
item_first AS (
    SELECT shop, customer_id, min(t) AS t
    FROM (
        SELECT shop, customer_id, t, item FROM item_buyers
        WHERE (shop, order_id) NOT IN (SELECT (shop, order_id) FROM buy_lines)
        UNION ALL
        SELECT l.shop, l.customer_id, l.t, l.item
        FROM buy_lines l SEMI JOIN item_buyers b USING (shop, customer_id)
    )
    WHERE item IS NOT NULL
    GROUP BY shop, customer_id, item
),
-- Every fact as one row, so one aggregation places everyone (no joins of per-fact tables).
-- kind: 1 purchase, 2 first purchase of an item, 3 review, 4 ticket or interaction
-- contact, 5 any other contact.
events AS (
    SELECT shop, customer_id, t, 1 AS kind, paid_amount AS amount,
           false AS negative, false AS positive
    FROM buy
    UNION ALL
    SELECT shop, customer_id, t, 2, NULL, false, false FROM item_first
    UNION ALL
    SELECT shop, customer_id, t, 3, NULL, negative, positive FROM rev
    UNION ALL
    SELECT shop, customer_id, opened_at, 4, NULL, false, false
    FROM tickets
    WHERE customer_id IS NOT NULL /*only:customer_id*/ AND opened_at <= $last
      AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
    UNION ALL
    SELECT shop, customer_id, coalesce(first_seen, TIMESTAMP '-infinity'),
           CASE WHEN coalesce(lower(trim(source)) IN (SELECT unnest(CAST($sources AS VARCHAR[]))),
                              false) THEN 4 ELSE 5 END,
           NULL, false, false
    FROM contacts
    WHERE customer_id IS NOT NULL /*only:customer_id*/ AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
      AND (first_seen IS NULL OR first_seen <= $last)
)"""


_ONLY_MARKER = re.compile(r"/\*only:([a-z_.]+)\*/")


def _only_customers(sql: str, restricted: bool) -> str:
    """``sql`` with each ``/*only:col*/`` marker dropped, or with ``restricted`` turned into
    ``AND col IN $customers`` (a hash semi-join, not a per-row list scan)."""
    repl = r"AND \1 IN (SELECT unnest(CAST($customers AS VARCHAR[])))" if restricted else ""
    return _ONLY_MARKER.sub(repl, sql)


def _fact_columns(at: str, suffix: str) -> str:
    """Aggregates over ``events e`` placing a customer at instant ``at``.

    ``at`` and ``suffix`` come from this module only (``$prev``, ``$this``).
    """
    return f"""
           coalesce(bool_or(e.t <= {at}), false) AS on_ladder{suffix},
           coalesce(bool_or(e.kind IN (3, 4) AND e.t <= {at}), false) AS interacted{suffix},
           count(*) FILTER (WHERE e.kind = 1 AND e.t <= {at}) AS purchases{suffix},
           count(*) FILTER (WHERE e.kind = 1 AND e.t <= {at}
                              AND e.t >= {at} - to_days(CAST($win_days AS INTEGER)))
               AS purchases_365{suffix},
           max(e.t) FILTER (WHERE e.kind = 1 AND e.t <= {at}) AS last_purchase{suffix},
           count(*) FILTER (WHERE e.negative AND e.t <= {at}
                              AND e.t >= {at} - to_days(CAST($neg_days AS INTEGER)))
               AS negative_180{suffix},
           count(*) FILTER (WHERE e.positive AND e.t <= {at}) AS positive_reviews{suffix},
           count(*) FILTER (WHERE e.kind = 2 AND e.t <= {at}) AS distinct_items{suffix},
           sum(e.amount) FILTER (WHERE e.t <= {at}) AS revenue{suffix}"""


def _rung_case(suffix: str) -> str:
    """The rung rule (highest rung whose rule holds) over the columns of :func:`_fact_columns`."""
    supporter = (f"purchases{suffix} >= 1 AND purchases_365{suffix} >= $min_buys "
                 f"AND negative_180{suffix} = 0")
    return f"""CASE
               WHEN {supporter} AND positive_reviews{suffix} >= $min_pos
                    AND distinct_items{suffix} >= $min_items THEN 6
               WHEN {supporter} THEN 5
               WHEN purchases{suffix} >= 2 THEN 4
               WHEN purchases{suffix} = 1 THEN 3
               WHEN interacted{suffix} THEN 2
               ELSE 1
           END"""


# The ladder at $this: one row per (shop, customer_id).
LADDER_CTE = EVENTS_CTE + f""",
facts AS (
    SELECT e.shop, e.customer_id, {_fact_columns("$this", "")}
    FROM events e
    GROUP BY ALL
),
ladder AS (SELECT *, {_rung_case("")} AS rung FROM facts)
"""

# Rungs at $prev (end of last week; 0 = not on the ladder yet) and $this (end of this week)
# in one pass over the facts ($last = $this).
MOVES_CTE = EVENTS_CTE + f""",
facts AS (
    SELECT e.shop, e.customer_id, {_fact_columns("$prev", "_prev")},
           {_fact_columns("$this", "")}
    FROM events e
    GROUP BY ALL
),
moves AS (
    SELECT *,
           CASE WHEN on_ladder_prev THEN {_rung_case("_prev")} ELSE 0 END AS from_rung,
           {_rung_case("")} AS to_rung
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

# Rungs 3-6 only (at least $min_rung): they rest on purchases and reviews alone, so tickets
# and contacts, which only tell rung 1 from 2, are not read (the planner drops the ticket
# branch, whose kind is the constant 4).
BUYER_RUNGS_SQL = EVENTS_CTE + f""",
facts AS (
    SELECT e.shop, e.customer_id, {_fact_columns("$this", "")}
    FROM events e
    WHERE e.kind IN (1, 2, 3)
    GROUP BY ALL
)
SELECT shop, customer_id, rung
FROM (SELECT shop, customer_id, {_rung_case("")} AS rung FROM facts)
WHERE rung >= $min_rung
"""
# The lowest rung BUYER_RUNGS_SQL places exactly.
BUYER_RUNG = 3

# Rung sizes at $n week ends, $first the first of them, $week_us apart. Rather than place
# everyone at every week end (n times the work), each fact becomes +1/-1 steps at the week
# indices where it starts and stops counting; a running sum per customer gives their rung
# wherever it can change, and a running sum of rung entries and exits gives the counts.
TREND_SQL = EVENTS_CTE + f""",
ev AS (
    SELECT *,
           CASE WHEN t <= $first THEN 0
                ELSE CAST(ceil((epoch_us(t) - epoch_us($first)) / $week_us) AS BIGINT) END AS k0,
           CASE WHEN kind = 1 THEN CAST(floor((epoch_us(t + to_days(CAST($win_days AS INTEGER)))
                                                - epoch_us($first)) / $week_us) AS BIGINT)
           END AS k_buy_end,
           CASE WHEN negative THEN CAST(floor((epoch_us(t + to_days(CAST($neg_days AS INTEGER)))
                                                - epoch_us($first)) / $week_us) AS BIGINT)
           END AS k_neg_end
    FROM events
),
steps AS (
    SELECT shop, customer_id, k0 AS k,
           CAST(kind IN (3, 4) AS INTEGER) AS interacted,
           CAST(kind = 1 AS INTEGER) AS purchases,
           CASE WHEN k_buy_end >= k0 THEN 1 ELSE 0 END AS purchases_365,
           CASE WHEN k_neg_end >= k0 THEN 1 ELSE 0 END AS negative_180,
           CAST(positive AS INTEGER) AS positive_reviews,
           CAST(kind = 2 AS INTEGER) AS distinct_items
    FROM ev WHERE k0 < $n
    UNION ALL
    SELECT shop, customer_id, k_buy_end + 1, 0, 0, -1, 0, 0, 0
    FROM ev WHERE k_buy_end >= k0 AND k_buy_end + 1 < $n
    UNION ALL
    SELECT shop, customer_id, k_neg_end + 1, 0, 0, 0, -1, 0, 0
    FROM ev WHERE k_neg_end >= k0 AND k_neg_end + 1 < $n
),
per_week AS (
    SELECT shop, customer_id, k, sum(interacted) AS interacted, sum(purchases) AS purchases,
           sum(purchases_365) AS purchases_365, sum(negative_180) AS negative_180,
           sum(positive_reviews) AS positive_reviews, sum(distinct_items) AS distinct_items
    FROM steps GROUP BY ALL
),
states AS (
    SELECT shop, customer_id, k,
           sum(interacted) OVER w > 0 AS interacted,
           sum(purchases) OVER w AS purchases,
           sum(purchases_365) OVER w AS purchases_365,
           sum(negative_180) OVER w AS negative_180,
           sum(positive_reviews) OVER w AS positive_reviews,
           sum(distinct_items) OVER w AS distinct_items
    FROM per_week
    WINDOW w AS (PARTITION BY shop, customer_id ORDER BY k ROWS UNBOUNDED PRECEDING)
),
runs AS (
    SELECT k, {_rung_case("")} AS rung,
           lead(k, 1, $n) OVER (PARTITION BY shop, customer_id ORDER BY k) AS k_next
    FROM states
),
changes AS (
    SELECT k, rung, 1 AS d FROM runs
    UNION ALL
    SELECT k_next, rung, -1 FROM runs WHERE k_next < $n
)
SELECT k, rung, sum(sum(d)) OVER (PARTITION BY rung ORDER BY k) AS customers
FROM changes GROUP BY k, rung
"""

MOVEMENT_SQL = MOVES_CTE + """
SELECT from_rung, to_rung, count(*) AS customers
FROM moves
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

MOVEMENT_LIST_SQL = MOVES_CTE + PERSONAL_CTE + f"""
SELECT shop, customer_id, from_rung, to_rung, {_FACT_COLUMNS}
FROM moves LEFT JOIN personal USING (shop, customer_id)
WHERE from_rung = $from_rung AND to_rung = $to_rung
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


def _params(con, points, shop, settings, *, all_items: bool = True) -> dict:
    s = settings if settings is not None else settings_mod.get_all(con)
    d = settings_mod.DEFAULTS
    get = lambda key: s.get(key, d[key])  # noqa: E731 - a partial settings dict is fine
    return {
        "last": max(as_timestamp(p) for p in points),
        "shop": shop,
        "neg": float(get("sentiment.negative_below")),
        "pos": float(get("sentiment.positive_above")),
        "win_days": int(get("ladder.supporter_window_days")),
        "neg_days": int(get("ladder.negative_window_days")),
        "min_buys": int(get("ladder.supporter_min_purchases")),
        "min_pos": int(get("ladder.advocate_min_positive_reviews")),
        "min_items": int(get("ladder.advocate_min_distinct_items")),
        "sources": list(INTERACTION_SOURCES),
        "all_items": all_items,
    }


def tiers_as_of(con, as_of, *, shop: str | None = None, settings: dict | None = None,
               customers=None) -> pd.DataFrame:
    """Every customer on the ladder at ``as_of`` with the facts that place them.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    as_of : datetime, date or ISO string
        Only rows at or before this instant count (a date means the end of that day).
    shop : str, optional
        One shop; ``None`` for all shops (customers stay per shop).
    settings : dict, optional
        Thresholds (``ladder.*``, ``sentiment.*``), e.g. ``settings.get_all(con)``; default
        the stored settings. Keys it lacks take their defaults.
    customers : list of str, optional
        Only these customer ids (in every shop selected): their rungs are exactly those of
        the whole ladder, at a fraction of the cost when the list is short (the call list
        places tonight's signers only). ``None``: everyone.

    Returns
    -------
    DataFrame
        Top rung first: shop, customer_id, rung (1–6), purchases, purchases_365 (within the
        supporter window), last_purchase, negative_180 (negative reviews within the negative window),
        positive_reviews (clearly positive, lifetime), distinct_items, revenue (paid amount of
        purchases; None without any).
    """
    params = {**_params(con, [as_of], shop, settings), "this": as_timestamp(as_of)}
    if customers is None:
        return con.execute(_only_customers(TIERS_SQL, False), params).df()
    params["customers"] = [str(c) for c in customers]
    return con.execute(_only_customers(TIERS_SQL, True), params).df()


def rungs_as_of(con, as_of, *, shop: str | None = None, settings: dict | None = None,
                customers=None, min_rung: int = 1) -> pd.DataFrame:
    """The rung of each customer at ``as_of`` who is on ``min_rung`` or higher.

    Cheaper than :func:`tiers_as_of` when only rungs matter: no per-customer facts, distinct
    items only for advocate candidates, and from ``min_rung`` 3 (buyer) up, no ticket or
    contact rows at all.

    Parameters
    ----------
    customers : list of str, optional
        Only these customer ids (see :func:`tiers_as_of`); ``None``: everyone.
    min_rung : int
        Leave out customers below this rung (1 keeps everyone on the ladder).

    Returns
    -------
    DataFrame
        shop, customer_id, rung, in no particular order.
    """
    params = {**_params(con, [as_of], shop, settings, all_items=False),
              "this": as_timestamp(as_of), "min_rung": int(min_rung)}
    if int(min_rung) >= BUYER_RUNG:
        sql = BUYER_RUNGS_SQL
    else:
        sql = LADDER_CTE + "SELECT shop, customer_id, rung FROM ladder WHERE rung >= $min_rung"
    if customers is not None:
        params["customers"] = [str(c) for c in customers]
    return con.execute(_only_customers(sql, customers is not None), params).df()


def tier_counts(con, as_of, *, shop: str | None = None, settings: dict | None = None) -> dict:
    """Customers per rung at ``as_of``: ``{unrelated, prospect, buyer, customer, supporter,
    advocate}`` (ints), the ``tiers`` of ``summary --json``."""
    params = {**_params(con, [as_of], shop, settings, all_items=False),
              "this": as_timestamp(as_of)}
    rows = dict(con.execute(TIER_COUNTS_SQL, params).fetchall())
    return {RUNG_KEYS[r]: int(rows.get(r, 0)) for r in RUNGS}


def orders_without_customer(con, as_of, *, shop: str | None = None) -> int:
    """Orders at or before ``as_of`` with no usable customer id: in revenue, not on the ladder."""
    params = {"as_of": as_timestamp(as_of), "shop": shop}
    return int(con.execute(ORDERS_WITHOUT_CUSTOMER_SQL, params).fetchone()[0])


def _week_params(con, week: str, shop, settings, *, all_items: bool = True) -> dict:
    prev = periods.parse_week(periods.shift_week(week, -1)).as_of
    this = periods.parse_week(week).as_of
    return {**_params(con, [prev, this], shop, settings, all_items=all_items),
            "prev": prev, "this": this}


def movement(con, week: str, *, shop: str | None = None, settings: dict | None = None) -> pd.DataFrame:
    """Who moved between rungs from the end of the previous ISO week to the end of ``week``.

    Returns
    -------
    DataFrame
        from_rung (0 = not on the ladder before, else 1–6), to_rung (1–6), customers,
        direction (``new``, ``up``, ``down``, ``same``); only pairs with customers.
    """
    params = _week_params(con, week, shop, settings, all_items=False)
    df = con.execute(MOVEMENT_SQL, params).df()
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
    params = _week_params(con, week, shop, settings)
    params.update(from_rung=int(from_rung), to_rung=int(to_rung))
    return con.execute(MOVEMENT_LIST_SQL, params).df()


def customers_in_rung(con, as_of, rung: int, *, shop: str | None = None,
                      settings: dict | None = None) -> pd.DataFrame:
    """The customers on ``rung`` at ``as_of``, biggest spenders first, with raw name/phone."""
    params = {**_params(con, [as_of], shop, settings), "this": as_timestamp(as_of),
              "rung": int(rung)}
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
    params = _params(con, points, shop, settings, all_items=False)
    params.update(first=points[0], n=weeks, week_us=7 * 24 * 3600 * 10**6)
    got = con.execute(TREND_SQL, params).df()
    if got.empty:
        got = pd.DataFrame({"k": [0], "rung": [1], "customers": [0]})
    # Counts change only at the weeks listed: carry each rung's count forward.
    table = (got.pivot_table(index="k", columns="rung", values="customers", aggfunc="sum")
             .reindex(index=range(weeks), columns=list(RUNGS)).ffill().fillna(0).astype("int64"))
    table.index = labels
    out = table.rename_axis(index="week", columns="rung").stack().rename("customers").reset_index()
    return out
