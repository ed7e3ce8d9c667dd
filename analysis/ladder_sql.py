"""The ladder's SQL and its parameters (see :mod:`analysis.ladder` for the rules and the
functions over it).

Two shapes of the same facts:

- the ladder at one or two instants (counts, movement, lists) aggregates each source on
  its own first (orders, reviews, tickets and contacts each to one row per customer, with
  one set of conditional aggregates per instant) and joins only those small tables;
  distinct items are counted only for the customers who need them;
- the weekly trend turns each customer's facts, once, into the set of weeks at which each
  rung rule holds (bit masks), so that one pass gives every week.
"""

from __future__ import annotations

import re

from analysis.periods import as_timestamp
from analysis.schema import review_sentiment_sql
from analysis.sql import resolve_settings

# Contact sources that are an interaction (rung 2); every other source only makes a person
# known (rung 1). The platforms' Chinese words are accepted beside the canonical ones.
INTERACTION_SOURCES = ("enquiry", "cart", "favorite", "咨询", "询单", "加购", "购物车", "收藏")


def rule_params(con, points, shop, settings, *, all_items: bool = True) -> dict:
    """Named parameters of the ladder's SQL: the rung rules' thresholds and the scope.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    points : sequence of datetime, date or str
        The instants the query places customers at; ``$last`` is the latest of them
        (:func:`analysis.periods.as_timestamp`).
    shop : str or None
        One shop; ``None`` for all shops.
    settings : dict or None
        Thresholds (``ladder.*``, ``sentiment.*``) over the defaults; ``None``: the stored
        settings.
    all_items : bool
        Count distinct items for every buyer (``$all_items``), not only advocate candidates.

    Returns
    -------
    dict
        ``last, shop, neg, pos, win_days, neg_days, min_buys, min_pos, min_items, sources,
        all_items``; the instant parameters (``$this``, ``$prev`` …) are the caller's.
    """
    s = resolve_settings(con, settings)
    return {
        "last": max(as_timestamp(p) for p in points),
        "shop": shop,
        "neg": float(s["sentiment.negative_below"]),
        "pos": float(s["sentiment.positive_above"]),
        "win_days": int(s["ladder.supporter_window_days"]),
        "neg_days": int(s["ladder.negative_window_days"]),
        "min_buys": int(s["ladder.supporter_min_purchases"]),
        "min_pos": int(s["ladder.advocate_min_positive_reviews"]),
        "min_items": int(s["ladder.advocate_min_distinct_items"]),
        "sources": list(INTERACTION_SOURCES),
        "all_items": all_items,
    }

_ONLY_MARKER = re.compile(r"/\*only:([a-z_.]+)\*/")


def only_customers(sql: str, restricted: bool) -> str:
    """``sql`` with each ``/*only:col*/`` marker dropped, or with ``restricted`` turned into
    ``AND col IN $customers`` (a hash semi-join, not a per-row list scan).

    Restricted, ``review_sentiment`` is also read from those customers' reviews alone: the
    view would otherwise look up the score of every review before the filter applies (and
    without the follow-up scores, which no rung reads).
    """
    if not restricted:
        return _ONLY_MARKER.sub("", sql)
    listed = "(SELECT unnest(CAST($customers AS VARCHAR[])))"
    theirs = f"(SELECT * FROM reviews WHERE customer_id IN {listed})"
    sql = sql.replace("FROM review_sentiment",
                      f"FROM ({review_sentiment_sql(theirs, followup=False)}) review_sentiment")
    return _ONLY_MARKER.sub(rf"AND \1 IN {listed}", sql)


# The ladder's facts aggregated per source before they meet: orders, reviews and
# tickets/contacts each become one row per customer (with one set of columns per instant,
# as conditional aggregates), and only those small tables are joined (a union of the raw
# facts costs twice as much). Distinct items are counted only for customers who can use
# them (advocate candidates at some instant), or for every buyer with $all_items.
# Parameters: $last, $shop (NULL = all shops), $neg/$pos (sentiment thresholds), $sources
# (interaction sources); the rung rules below add $win_days, $neg_days, $min_buys, $min_pos,
# $min_items and $all_items (see _facts_cte). A ``/*only:<column>*/`` marker becomes, through
# :func:`only_customers`, a filter to the customer ids in $customers (a customer's rung
# depends only on their own rows, so the restricted ladder places them exactly).
SOURCES_CTE = """
WITH buy AS (
    SELECT shop, customer_id, coalesce(pay_time, order_time) AS t, paid_amount
    FROM orders
    WHERE customer_id IS NOT NULL /*only:customer_id*/
      AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
      AND is_purchase(paid_amount, pay_time, status, refund_amount)
      AND coalesce(pay_time, order_time) <= $last
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
-- Tickets and contacts only tell rung 1 from rung 2: when a customer was first known and
-- when they first interacted.
touch AS (
    SELECT shop, customer_id, opened_at AS t, true AS interaction
    FROM tickets
    WHERE customer_id IS NOT NULL /*only:customer_id*/ AND opened_at <= $last
      AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
    UNION ALL
    SELECT shop, customer_id, coalesce(first_seen, TIMESTAMP '-infinity'),
           coalesce(lower(trim(source)) IN (SELECT unnest(CAST($sources AS VARCHAR[]))), false)
    FROM contacts
    WHERE customer_id IS NOT NULL /*only:customer_id*/ AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
      AND (first_seen IS NULL OR first_seen <= $last)
)"""


def _window(at: str, days: str) -> str:
    return f"t <= {at} AND t >= {at} - to_days(CAST({days} AS INTEGER))"


def _items_ctes(who: str, points) -> str:
    """CTEs ``{who}_items``: distinct items bought by each customer of CTE ``who`` (shop,
    customer_id) at or before each instant of ``points`` (see :func:`_facts_cte`).

    ``who`` is a CTE name of this module (``candidates``, ``picked``).
    """
    item_cols = ",".join(f"count(*) FILTER (WHERE t <= {at}) AS distinct_items{s}"
                         for at, s in points)
    return f"""
-- The purchases of {who}, found by customer id alone first (a one-column semi-join is the
-- cheap filter over every order) and then exactly.
{who}_buy AS (
    SELECT o.shop, o.customer_id, o.order_id, o.t, o.item
    FROM (
        SELECT shop, customer_id, order_id, coalesce(pay_time, order_time) AS t,
               coalesce(item_id, item_title) AS item
        FROM orders
        WHERE customer_id IN (SELECT customer_id FROM {who})
          AND is_purchase(paid_amount, pay_time, status, refund_amount)
          AND coalesce(pay_time, order_time) <= $last
    ) o
    SEMI JOIN {who} c ON c.shop = o.shop AND c.customer_id = o.customer_id
),
-- An order with item lines names its items through them, else through its own item id or
-- title.
{who}_lines AS (
    SELECT b.shop, b.customer_id, b.order_id, b.t, coalesce(oi.item_id, oi.item_title) AS item
    FROM order_items oi
    JOIN {who}_buy b ON b.shop = oi.shop AND b.order_id = oi.order_id
),
-- When each customer first bought each item.
{who}_first AS (
    SELECT shop, customer_id, min(t) AS t
    FROM (
        SELECT shop, customer_id, t, item FROM {who}_buy
        WHERE (shop, order_id) NOT IN (SELECT (shop, order_id) FROM {who}_lines)
        UNION ALL
        SELECT shop, customer_id, t, item FROM {who}_lines
    )
    WHERE item IS NOT NULL
    GROUP BY shop, customer_id, item
),
{who}_items AS (SELECT shop, customer_id, {item_cols} FROM {who}_first GROUP BY ALL)"""


def _facts_cte(points, detail: bool, *, buyers_only: bool = False) -> str:
    """SOURCES_CTE and ``facts``: one row per customer with the columns of each instant.

    ``points`` are ``(instant parameter, column suffix)`` pairs, code constants of this module
    only (``("$this", "")``, ``("$prev", "_prev")``). ``detail`` adds last_purchase and
    revenue and counts purchases exactly, which rungs do not need (a CTE read twice is
    materialised whole, so unused columns are not pruned); without it, at more than two
    instants, purchases stop at 2. ``buyers_only`` leaves tickets and contacts out: they
    only tell rung 1 from rung 2, so rungs 3 and up stay exact at a fraction of the cost.
    """
    # Rungs only tell 0, 1 and 2+ purchases apart: at many instants without detail,
    # purchases are counted up to 2 from each customer's two first purchase times (one
    # aggregate for every instant instead of one per instant; slower for one or two).
    capped = not detail and len(points) > 2
    buy_cols = ",".join(("" if capped else f"""
           count(*) FILTER (WHERE t <= {at}) AS purchases{s},""") + f"""
           count(*) FILTER (WHERE {_window(at, "$win_days")}) AS purchases_365{s}""" + (f""",
           max(t) FILTER (WHERE t <= {at}) AS last_purchase{s},
           sum(paid_amount) FILTER (WHERE t <= {at}) AS revenue{s}""" if detail else "")
                        for at, s in points)
    first_two = "min(t, 2) AS first_two," if capped else ""
    purchases = ((lambda at, s: f"coalesce(b.purchases{s}, 0)") if not capped else
                 (lambda at, s: f"CAST(coalesce(b.first_two[1] <= {at}, false) AS INTEGER)"
                                f" + CAST(coalesce(b.first_two[2] <= {at}, false) AS INTEGER)"))
    rev_cols = ",".join(f"""
           count(*) FILTER (WHERE negative AND {_window(at, "$neg_days")}) AS negative_180{s},
           count(*) FILTER (WHERE positive AND t <= {at}) AS positive_reviews{s}"""
                        for at, s in points)
    fact_cols = ",".join(f"""
           coalesce(least(b.first_t, r.first_t, c.first_t) <= {at}, false) AS on_ladder{s},
           coalesce(r.first_t <= {at} OR c.first_interaction <= {at}, false) AS interacted{s},
           {purchases(at, s)} AS purchases{s},
           coalesce(b.purchases_365{s}, 0) AS purchases_365{s},{
               f" b.last_purchase{s}, b.revenue{s}," if detail else ""}
           coalesce(r.negative_180{s}, 0) AS negative_180{s},
           coalesce(r.positive_reviews{s}, 0) AS positive_reviews{s}""" for at, s in points)
    candidate = " OR ".join(f"({_supporter(s)} AND positive_reviews{s} >= $min_pos)"
                            for _, s in points)
    with_items = ",".join(f"coalesce(i.distinct_items{s}, 0) AS distinct_items{s}"
                          for _, s in points)
    return SOURCES_CTE + f""",
buy_agg AS (
    SELECT shop, customer_id, min(t) AS first_t, {first_two} {buy_cols}
    FROM buy GROUP BY ALL
),
rev_agg AS (
    SELECT shop, customer_id, min(t) AS first_t, {rev_cols}
    FROM rev GROUP BY ALL
),
touch_agg AS (
    SELECT shop, customer_id, min(t) AS first_t,
           min(t) FILTER (WHERE interaction) AS first_interaction
    FROM touch {"WHERE false" if buyers_only else ""} GROUP BY ALL
),
base AS (
    SELECT shop, customer_id, {fact_cols}
    FROM buy_agg b
    FULL JOIN rev_agg r USING (shop, customer_id)
    FULL JOIN touch_agg c USING (shop, customer_id)
),
candidates AS (
    SELECT shop, customer_id FROM base
    WHERE purchases{points[-1][1]} >= 1 AND ($all_items OR {candidate})
),
{_items_ctes("candidates", points)},
facts AS (
    SELECT base.*, {with_items}
    FROM base LEFT JOIN candidates_items i USING (shop, customer_id)
)"""


def _supporter(suffix: str) -> str:
    return (f"purchases{suffix} >= 1 AND purchases_365{suffix} >= $min_buys "
            f"AND negative_180{suffix} = 0")


def _rung_case(suffix: str) -> str:
    """The rung rule (highest rung whose rule holds) over the columns of :func:`_facts_cte`."""
    return f"""CASE
               WHEN {_supporter(suffix)} AND positive_reviews{suffix} >= $min_pos
                    AND distinct_items{suffix} >= $min_items THEN 6
               WHEN {_supporter(suffix)} THEN 5
               WHEN purchases{suffix} >= 2 THEN 4
               WHEN purchases{suffix} = 1 THEN 3
               WHEN interacted{suffix} THEN 2
               ELSE 1
           END"""


def _ladder_cte(detail: bool, *, buyers_only: bool = False) -> str:
    """``ladder``: one row per (shop, customer_id) with their rung at $this."""
    return _facts_cte([("$this", "")], detail, buyers_only=buyers_only) + f""",
ladder AS (SELECT *, {_rung_case("")} AS rung FROM facts)
"""


def _moves_cte(detail: bool) -> str:
    """``moves``: rungs at $prev (end of last week; 0 = not on the ladder yet) and $this (end
    of this week) side by side, from one aggregation per source ($last = $this)."""
    return _facts_cte([("$prev", "_prev"), ("$this", "")], detail) + f""",
moves AS (
    SELECT *,
           CASE WHEN on_ladder_prev THEN {_rung_case("_prev")} ELSE 0 END AS from_rung,
           {_rung_case("")} AS to_rung
    FROM facts
)
"""

TIERS_SQL = _ladder_cte(True) + """
SELECT shop, customer_id, rung, purchases, purchases_365, last_purchase, negative_180,
       positive_reviews, distinct_items, revenue
FROM ladder
ORDER BY rung DESC, shop, customer_id
"""

TIER_COUNTS_SQL = _ladder_cte(False) + "SELECT rung, count(*) FROM ladder GROUP BY rung"

RUNGS_SQL = _ladder_cte(False) + "SELECT shop, customer_id, rung FROM ladder WHERE rung >= $min_rung"
# RUNGS_SQL for $min_rung 3 or more (buyers and up), without reading tickets and contacts.
BUYER_RUNGS_SQL = (_ladder_cte(False, buyers_only=True)
                   + "SELECT shop, customer_id, rung FROM ladder WHERE rung >= greatest($min_rung, 3)")


# The weekly trend: rung sizes at $n week ends, $first the first of them, $week_us apart
# (parameters otherwise as for SOURCES_CTE, $last the last week end). Rather than place
# everyone at every week end, each customer's facts become, once, the set of week ends at
# which each part of the rung rules holds, as a bit mask (bit k = week end k; HUGEINT, so
# at most 126 weeks per query): known, interacted, bought once, bought twice, supporter
# (bought, often enough within the window, no negative review within its window) and
# praised (enough clearly positive reviews and distinct items). Rung masks follow by
# bitwise logic; customers sharing the same masks are counted once, then spread over weeks.
def _k_from(t: str, g: str = "") -> str:
    """Index of the first grid point at or after ``t``: a fact at ``t`` counts there and at
    every later one. ``g`` names the grid by its parameters' suffix ($first{g}, $week_us{g},
    $n{g}: "" is the week-end grid)."""
    return (f"CASE WHEN {t} <= $first{g} THEN 0 ELSE CAST(ceil((epoch_us({t}) - epoch_us($first{g}))"
            f" / $week_us{g}) AS BIGINT) END")


def _k_until(t: str, days: str, g: str = "") -> str:
    """Index of the last grid point within ``days`` after ``t``."""
    return (f"CAST(floor((epoch_us({t} + to_days(CAST({days} AS INTEGER))) - epoch_us($first{g}))"
            f" / $week_us{g}) AS BIGINT)")


def _weeks(a: str, b: str | None = None, g: str = "") -> str:
    """Bit mask of the grid indices ``a``..``b`` (``b`` omitted: ``a`` onward) within
    0..$n{g}-1; 0 when there are none or ``a`` is NULL (never)."""
    lo, hi = f"greatest({a}, 0)", f"$n{g} - 1" if b is None else f"least({b}, $n{g} - 1)"
    return (f"coalesce(CASE WHEN {a} IS NOT NULL AND {lo} <= {hi} THEN"
            f" (CAST(1 AS HUGEINT) << CAST({hi} + 1 AS INTEGER))"
            f" - (CAST(1 AS HUGEINT) << CAST({lo} AS INTEGER)) ELSE 0 END, 0)")


def _nth_from(times: str, n: str, g: str = "") -> str:
    """Grid points from the ``n``-th time of the sorted list ``times`` onward; all of them
    when ``n`` is below 1 (the rule then always holds)."""
    return (f"CASE WHEN {n} < 1 THEN {_weeks('0', g=g)}"
            f" ELSE {_weeks(_k_from(f'{times}[greatest(CAST({n} AS INTEGER), 1)]', g), g=g)} END")


def rung_masks_cte(grids=("",)) -> str:
    """SOURCES_CTE and ``customer_rungs``: per customer, the rung masks r1{g} … r6{g} over
    each grid ``g`` of ``grids`` (parameter suffixes, see :func:`_k_from`). The facts are
    gathered once, whatever the number of grids: only the masks are per grid."""
    enough = ",".join(f"""
           CASE WHEN $min_buys <= 0 THEN {_weeks("0", g=g)}
                ELSE coalesce(bit_or({_weeks(_k_from("t_enough", g), _k_until("t", "$win_days", g), g)}), 0)
           END AS enough_buys{g}""" for g in grids)
    negative = ",".join(f"""
           bit_or({_weeks(_k_from("t", g), _k_until("t", "$neg_days", g), g)}) FILTER (WHERE negative)
               AS negative{g}""" for g in grids)
    parts = ",".join(f"""
           {_weeks(_k_from("least(b.first_t, r.first_t, c.first_t)", g), g=g)} AS known{g},
           {_weeks(_k_from("least(r.first_t, c.first_interaction)", g), g=g)} AS interacted{g},
           {_weeks(_k_from("b.first_t", g), g=g)} AS bought{g},
           {_weeks(_k_from("b.second_t", g), g=g)} AS bought_twice{g},
           {_weeks(_k_from("b.first_t", g), g=g)} & coalesce(b.enough_buys{g}, 0)
             & ~coalesce(r.negative{g}, 0) AS supporter{g},
           {_nth_from("r.positives", "$min_pos", g)} & {_nth_from("i.items", "$min_items", g)}
               AS praised{g}""" for g in grids)
    rungs = ",".join(f"""
           supporter{g} & praised{g} AS r6{g}, supporter{g} & ~praised{g} AS r5{g},
           bought_twice{g} & ~supporter{g} AS r4{g},
           bought{g} & ~bought_twice{g} & ~supporter{g} AS r3{g},
           interacted{g} & ~bought{g} AS r2{g}, known{g} & ~interacted{g} & ~bought{g} AS r1{g}"""
                     for g in grids)
    return only_customers(SOURCES_CTE, False) + f""",
-- Each purchase with the time of the ($min_buys - 1)th next one: from then until the
-- window after this purchase has passed, the customer has bought often enough.
buy_runs AS (
    SELECT shop, customer_id, t,
           row_number() OVER w AS nth,
           lead(t, greatest(CAST($min_buys AS INTEGER), 1) - 1) OVER w AS t_enough
    FROM buy
    WINDOW w AS (PARTITION BY shop, customer_id ORDER BY t)
),
buy_agg AS (
    SELECT shop, customer_id, min(t) AS first_t, min(t) FILTER (WHERE nth = 2) AS second_t,{enough}
    FROM buy_runs GROUP BY ALL
),
rev_agg AS (
    SELECT shop, customer_id, min(t) AS first_t,{negative},
           min(t, greatest(CAST($min_pos AS INTEGER), 1)) FILTER (WHERE positive) AS positives
    FROM rev GROUP BY ALL
),
-- Distinct items only matter with enough clearly positive reviews (every buyer when no
-- review is needed).
candidates AS (
    SELECT shop, customer_id FROM rev WHERE positive GROUP BY ALL HAVING count(*) >= $min_pos
    UNION
    SELECT shop, customer_id FROM buy_agg WHERE $min_pos < 1
),
{_items_ctes("candidates", [("$last", "")])},
item_agg AS (
    SELECT shop, customer_id, min(t, greatest(CAST($min_items AS INTEGER), 1)) AS items
    FROM candidates_first GROUP BY ALL
),
touch_agg AS (
    SELECT shop, customer_id, min(t) AS first_t,
           min(t) FILTER (WHERE interaction) AS first_interaction
    FROM touch GROUP BY ALL
),
-- Per customer, the grid points (bit k = point k) where each part of the rung rules holds.
masks AS (
    SELECT shop, customer_id,{parts}
    FROM buy_agg b
    FULL JOIN rev_agg r USING (shop, customer_id)
    FULL JOIN touch_agg c USING (shop, customer_id)
    LEFT JOIN item_agg i USING (shop, customer_id)
),
-- Per customer, the points on each rung (r1 … r6; no bit set = not on the ladder yet).
customer_rungs AS (
    SELECT shop, customer_id,{rungs}
    FROM masks
)"""


RUNG_MASKS_CTE = rung_masks_cte()

TREND_SQL = RUNG_MASKS_CTE + """,
rung_masks AS (SELECT r1, r2, r3, r4, r5, r6, count(*) AS customers FROM customer_rungs GROUP BY ALL)
SELECT k, rung, sum(customers) AS customers
FROM (""" + " UNION ALL ".join(f"SELECT {r} AS rung, r{r} AS m, customers FROM rung_masks"
                             for r in range(1, 7)) + f""") u
JOIN range(CAST($n AS BIGINT)) w(k) ON (m >> CAST(k AS INTEGER)) & 1 = 1
GROUP BY ALL
"""

# The latest name and phone known for each listed customer (in ``picked``): orders first,
# then contacts. The one-column id filter keeps a short list from reading every order's
# name and phone.
PERSONAL_CTE = """,
personal AS (
    SELECT shop, customer_id,
           arg_max(buyer_name, t) FILTER (WHERE buyer_name IS NOT NULL) AS buyer_name,
           arg_max(phone, t) FILTER (WHERE phone IS NOT NULL) AS phone
    FROM (
        SELECT shop, customer_id, buyer_name, phone,
               coalesce(pay_time, order_time, TIMESTAMP '-infinity') AS t
        FROM orders WHERE customer_id IN (SELECT customer_id FROM picked)
        UNION ALL
        SELECT shop, customer_id, buyer_name, phone,
               coalesce(first_seen, TIMESTAMP '-infinity') - INTERVAL 100000 YEAR
        FROM contacts WHERE customer_id IN (SELECT customer_id FROM picked)
    )
    GROUP BY ALL
)
"""

# Distinct items of the listed customers are counted for them alone (the rungs needed them
# only for advocate candidates).
_FACT_COLUMNS = """purchases, purchases_365, last_purchase, negative_180, positive_reviews,
       coalesce(i.distinct_items, 0) AS distinct_items, revenue, personal.buyer_name,
       personal.phone"""
_PICKED_ITEMS = "," + _items_ctes("picked", [("$this", "")])
_FROM_PICKED = """FROM picked LEFT JOIN picked_items i USING (shop, customer_id)
     LEFT JOIN personal USING (shop, customer_id)"""

MOVEMENT_LIST_SQL = _moves_cte(True) + """,
picked AS (SELECT * FROM moves WHERE from_rung = $from_rung AND to_rung = $to_rung)
""" + _PICKED_ITEMS + PERSONAL_CTE + f"""
SELECT shop, customer_id, from_rung, to_rung, {_FACT_COLUMNS}
{_FROM_PICKED}
ORDER BY revenue DESC NULLS LAST, shop, customer_id
"""

CUSTOMERS_IN_RUNG_SQL = _ladder_cte(True) + """,
picked AS (SELECT * FROM ladder WHERE rung = $rung)
""" + _PICKED_ITEMS + PERSONAL_CTE + f"""
SELECT shop, customer_id, rung, {_FACT_COLUMNS}
{_FROM_PICKED}
ORDER BY revenue DESC NULLS LAST, shop, customer_id
"""

ORDERS_WITHOUT_CUSTOMER_SQL = """
SELECT count(*) FROM orders
WHERE customer_id IS NULL
  AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
  AND coalesce(pay_time, order_time) <= $as_of
"""

def moves_at_sql(n_instants: int, pairs: tuple[tuple[int, int], ...]) -> str:
    """The movement between each pair of ``n_instants`` instants, from one aggregation per
    source: ``pair`` (index into ``pairs``), from_rung (0 = not on the ladder at the earlier
    instant), to_rung, customers; only customers on the ladder at the later instant.

    The instants are parameters ``$at0`` … ``$at<n-1>``; ``pairs`` are ``(earlier, later)``
    indices into them (code values: the SQL is built from integers only). $last is the
    latest instant; the other parameters are those of :data:`SOURCES_CTE`.
    """
    points = [(f"$at{i}", f"_{i}") for i in range(n_instants)]
    # Everyone's rung at each instant (0 = not on the ladder there), then each pair's
    # (from, to) side by side through parallel unnests: one pass over the customers.
    rungs = ",".join(f"CASE WHEN on_ladder{s} THEN {_rung_case(s)} ELSE 0 END AS rung{s}"
                     for _, s in points)
    index = ", ".join(str(k) for k in range(len(pairs)))
    froms = ", ".join(f"rung_{a}" for a, _ in pairs)
    tos = ", ".join(f"rung_{b}" for _, b in pairs)
    return _facts_cte(points, False) + f""",
placed AS (SELECT {rungs} FROM facts),
paired AS (
    SELECT unnest([{index}]) AS pair, unnest([{froms}]) AS from_rung, unnest([{tos}]) AS to_rung
    FROM placed
)
SELECT pair, from_rung, to_rung, count(*) AS customers
FROM paired WHERE to_rung > 0
GROUP BY ALL
ORDER BY pair, from_rung, to_rung
"""
