"""The six-rung customer ladder (docs/design.md "Metrics" → Tier ladder), as of any instant.

Rungs: 1 unrelated (尚未建立关系的消费者), 2 prospect (潜在消费者), 3 buyer (购买者),
4 customer (顾客), 5 supporter (支持者), 6 advocate (拥戴者); a customer sits on the highest
rung whose rule holds. A customer is ``(shop, customer_id)``; rows without a customer id never
count on the ladder (:func:`orders_without_customer` says how many orders that leaves out).

Everything is "as of" an instant: only rows at or before it count (orders by purchase time
``coalesce(pay_time, order_time)``, reviews by ``review_time``, tickets by ``opened_at``,
contacts by ``first_seen``). A contact with no ``first_seen`` (member lists often carry no
date) counts as known since always.

The SQL is in :mod:`analysis.ladder_sql`: the ladder at one instant, and a week's movement
(both instants side by side), each come from one aggregation per source joined per customer;
the weekly trend turns each customer's facts into the set of weeks where each rule holds.
At week ends, counts, movements and who is on a rung are read from the stored weekly ladder
(:mod:`analysis.ladder_store`) when it matches the data, with the same answers.
"""

from __future__ import annotations

import pandas as pd

from analysis import ladder_store, periods
from analysis.data_times import LATEST_TIME_SQL
from analysis.periods import as_timestamp
from analysis.rungs import RUNG_KEYS, RUNGS  # noqa: F401 - ladder.RUNGS for callers
from analysis.ladder_sql import (  # noqa: F401 - the SQL stays reachable as ladder.*_SQL
    CUSTOMERS_IN_RUNG_SQL,
    MOVEMENT_LIST_SQL,
    ORDERS_WITHOUT_CUSTOMER_SQL,
    RUNGS_SQL,
    TIER_COUNTS_SQL,
    TIERS_SQL,
    TREND_SQL,
    moves_at_sql,
    only_customers,
    rule_params,
)

# from_rung of a customer who was not on the ladder the week before.
NEW = 0


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
    params = {**rule_params(con, [as_of], shop, settings), "this": as_timestamp(as_of)}
    if customers is None:
        return con.execute(only_customers(TIERS_SQL, False), params).df()
    params["customers"] = [str(c) for c in customers]
    return con.execute(only_customers(TIERS_SQL, True), params).df()


def rungs_as_of(con, as_of, *, shop: str | None = None, settings: dict | None = None,
                customers=None, min_rung: int = 1) -> pd.DataFrame:
    """The rung of each customer at ``as_of`` who is on ``min_rung`` or higher.

    Cheaper than :func:`tiers_as_of` when only rungs matter: no per-customer facts leave
    DuckDB, and distinct items are counted only for advocate candidates.

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
    params = {**rule_params(con, [as_of], shop, settings, all_items=False),
              "this": as_timestamp(as_of), "min_rung": int(min_rung)}
    sql = RUNGS_SQL
    if customers is not None:
        params["customers"] = [str(c) for c in customers]
    return con.execute(only_customers(sql, customers is not None), params).df()


def tier_counts(con, as_of, *, shop: str | None = None, settings: dict | None = None) -> dict:
    """Customers per rung at ``as_of``: ``{unrelated, prospect, buyer, customer, supporter,
    advocate}`` (ints), the ``tiers`` of ``summary --json``."""
    ks = ladder_store.grid_indices(con, [as_timestamp(as_of)], settings)
    if ks is not None:
        got = ladder_store.counts(con, ks, shop=shop)
        rows = dict(zip(got["rung"], got["customers"]))
    else:
        params = {**rule_params(con, [as_of], shop, settings, all_items=False),
                  "this": as_timestamp(as_of)}
        rows = dict(con.execute(TIER_COUNTS_SQL, params).fetchall())
    return {RUNG_KEYS[r]: int(rows.get(r, 0)) for r in RUNGS}


def tier_counts_pair(con, as_of, before, *, shop: str | None = None,
                     settings: dict | None = None) -> tuple[dict, dict]:
    """Customers per rung at ``as_of`` and at the earlier instant ``before``, from one query.

    The same figures as two :func:`tier_counts` calls (this week against last week) at about
    the cost of one: both instants come from one aggregation per source.

    Returns
    -------
    (dict, dict)
        ``(at as_of, at before)``, each as :func:`tier_counts`.
    """
    this, prev = as_timestamp(as_of), as_timestamp(before)
    if prev > this:
        raise ValueError("before must not be later than as_of")
    moves = movements_at(con, [(prev, this)], shop=shop, settings=settings)[0]
    return counts_from_movement(moves), counts_from_movement(moves, rung_column="from_rung")


def counts_from_movement(moves: pd.DataFrame, *, rung_column: str = "to_rung") -> dict:
    """Customers per rung from a :func:`movement` table: with ``to_rung`` (default) the
    ladder at the end of the week, the same as :func:`tier_counts` there; with ``from_rung``
    the ladder a week before (customers not on it yet, rung 0, left out)."""
    sizes = moves.groupby(rung_column)["customers"].sum()
    return {RUNG_KEYS[r]: int(sizes.get(r, 0)) for r in RUNGS}


def counts_in_week(trend: pd.DataFrame, week: str) -> dict:
    """Customers per rung at the end of ``week`` from a :func:`ladder_trend` table that
    covers it: the same figures as :func:`tier_counts` at that week's end, without a query.

    Raises
    ------
    KeyError
        When ``week`` is not in ``trend``.
    """
    part = trend[trend["week"] == week]
    if part.empty:
        raise KeyError(week)
    sizes = dict(zip(part["rung"], part["customers"]))
    return {RUNG_KEYS[r]: int(sizes.get(r, 0)) for r in RUNGS}


def orders_without_customer(con, as_of, *, shop: str | None = None) -> int:
    """Orders at or before ``as_of`` with no usable customer id: in revenue, not on the ladder."""
    params = {"as_of": as_timestamp(as_of), "shop": shop}
    return int(con.execute(ORDERS_WITHOUT_CUSTOMER_SQL, params).fetchone()[0])


def _week_params(con, week: str, shop, settings, *, all_items: bool = True) -> dict:
    prev = periods.parse_week(periods.shift_week(week, -1)).as_of
    this = periods.parse_week(week).as_of
    return {**rule_params(con, [prev, this], shop, settings, all_items=all_items),
            "prev": prev, "this": this}


def movement(con, week: str, *, shop: str | None = None, settings: dict | None = None) -> pd.DataFrame:
    """Who moved between rungs from the end of the previous ISO week to the end of ``week``.

    Returns
    -------
    DataFrame
        from_rung (0 = not on the ladder before, else 1–6), to_rung (1–6), customers,
        direction (``new``, ``up``, ``down``, ``same``); only pairs with customers.
    """
    prev = periods.parse_week(periods.shift_week(week, -1)).as_of
    return movements_at(con, [(prev, periods.parse_week(week).as_of)], shop=shop,
                        settings=settings)[0]


def _directions(df: pd.DataFrame) -> pd.DataFrame:
    df["direction"] = [
        "new" if f == NEW else "up" if t > f else "down" if t < f else "same"
        for f, t in zip(df["from_rung"], df["to_rung"])
    ]
    return df


def movements_at(con, pairs, *, shop: str | None = None,
                 settings: dict | None = None) -> list[pd.DataFrame]:
    """Who moved between rungs from ``before`` to ``after`` for each ``(before, after)`` pair
    of instants, from one query for all of them.

    Every instant is placed once (pairs may share instants: consecutive week ends), each
    source aggregated once with one set of columns per instant, so a dozen instants cost
    about twice one :func:`movement`.

    Parameters
    ----------
    pairs : sequence of (instant, instant)
        ``(before, after)`` with ``before`` not later than ``after``; datetime, date or ISO
        string as for :func:`analysis.periods.as_timestamp`.

    Returns
    -------
    list of DataFrame
        One per pair, in order, as :func:`movement` gives (from_rung 0 = not on the ladder
        at ``before``; only customers on the ladder at ``after``).
    """
    pairs = [(as_timestamp(a), as_timestamp(b)) for a, b in pairs]
    if any(a > b for a, b in pairs):
        raise ValueError("before must not be later than after in each pair")
    columns = ["from_rung", "to_rung", "customers", "direction"]
    if not pairs:
        return []
    instants = sorted({t for pair in pairs for t in pair})
    ks = ladder_store.grid_indices(con, instants, settings)
    if ks is not None:
        k = dict(zip(instants, ks))
        stored = ladder_store.moves(con, [(k[a], k[b]) for a, b in pairs], shop=shop)
        return [_directions(m)[columns] for m in stored]
    index = {t: i for i, t in enumerate(instants)}
    params = rule_params(con, instants, shop, settings, all_items=False)
    params.update({f"at{i}": t for i, t in enumerate(instants)})
    sql = moves_at_sql(len(instants), tuple((index[a], index[b]) for a, b in pairs))
    got = con.execute(sql, params).df()
    return [_directions(got[got["pair"] == k].drop(columns="pair").reset_index(drop=True))[columns]
            for k in range(len(pairs))]


def week_movements(con, weeks, *, shop: str | None = None,
                   settings: dict | None = None) -> dict[str, pd.DataFrame]:
    """:func:`movement` for each ISO week of ``weeks`` (any order, gaps allowed), from one
    query: the overview's this week, last week, a year ago and the 12-week sparkline."""
    weeks = list(dict.fromkeys(weeks))
    pairs = [(periods.parse_week(periods.shift_week(w, -1)).as_of, periods.parse_week(w).as_of)
             for w in weeks]
    return dict(zip(weeks, movements_at(con, pairs, shop=shop, settings=settings)))


def movement_list(con, week: str, from_rung: int, to_rung: int, *, shop: str | None = None,
                  settings: dict | None = None) -> pd.DataFrame:
    """The customers behind one cell of :func:`movement` (``from_rung`` 0 = new).

    Personal columns (buyer_name, phone) are raw: the page masks them by role.
    """
    params = _week_params(con, week, shop, settings, all_items=False)
    params.update(from_rung=int(from_rung), to_rung=int(to_rung))
    ks = ladder_store.grid_indices(con, [params["prev"], params["this"]], settings)
    if ks is None:
        return con.execute(MOVEMENT_LIST_SQL, params).df()
    # The stored ladder names who moved; their facts come from their own rows alone.
    params["customers"] = ladder_store.customers_moved(con, *ks, from_rung, to_rung, shop=shop)
    return con.execute(only_customers(MOVEMENT_LIST_SQL, True), params).df()


def customers_in_rung(con, as_of, rung: int, *, shop: str | None = None,
                      settings: dict | None = None) -> pd.DataFrame:
    """The customers on ``rung`` at ``as_of``, biggest spenders first, with raw name/phone."""
    params = {**rule_params(con, [as_of], shop, settings, all_items=False),
              "this": as_timestamp(as_of), "rung": int(rung)}
    ks = ladder_store.grid_indices(con, [params["this"]], settings)
    if ks is None:
        return con.execute(CUSTOMERS_IN_RUNG_SQL, params).df()
    params["customers"] = ladder_store.customers_on(con, ks[0], rung, shop=shop)
    return con.execute(only_customers(CUSTOMERS_IN_RUNG_SQL, True), params).df()


def latest_week(con, *, shop: str | None = None) -> str | None:
    """The ISO week of the latest time in the data (None for an empty store)."""
    latest = con.execute(LATEST_TIME_SQL, {"shop": shop}).fetchone()[0]
    return None if latest is None else periods.week_of(latest)


# Week masks are 126-bit integers in TREND_SQL: longer trends take one query per stretch.
_TREND_WEEKS_PER_QUERY = 120


def ladder_trend(con, *, weeks: int = 26, end_week: str | None = None, shop: str | None = None,
                 settings: dict | None = None) -> pd.DataFrame:
    """Rung sizes at the end of each of ``weeks`` ISO weeks ending with ``end_week``.

    ``end_week`` defaults to the week of the latest time in the data. One query for up to
    120 weeks. The last week's figures are those of :func:`tier_counts` at its end (see
    :func:`counts_in_week`).

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
    ks = ladder_store.grid_indices(con, points, settings)
    if ks is not None:
        got = ladder_store.counts(con, ks, shop=shop)
        got = got.assign(k=got["k"] - ks[0])
    else:
        parts = []
        for start in range(0, weeks, _TREND_WEEKS_PER_QUERY):
            stretch = points[start:start + _TREND_WEEKS_PER_QUERY]
            params = rule_params(con, stretch, shop, settings)
            del params["all_items"]
            params.update(first=stretch[0], n=len(stretch), week_us=7 * 24 * 3600 * 10**6)
            got = con.execute(TREND_SQL, params).df()
            parts.append(got.assign(k=got["k"] + start))
        got = pd.concat(parts)
    # Weeks and rungs with nobody are absent from the query's answer.
    table = (got.pivot_table(index="k", columns="rung", values="customers", aggfunc="sum")
             .reindex(index=range(weeks), columns=list(RUNGS)).fillna(0).astype("int64"))
    table.index = labels
    return table.rename_axis(index="week", columns="rung").stack().rename("customers").reset_index()
