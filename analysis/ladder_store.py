"""The ladder at every week end, kept in the database so that pages read it rather than
recompute it from a million orders on each visit; the one stamp and refresh of every stored
table (the complaint tables of :mod:`analysis.complaint_store` are built with it).

Per customer, ``ladder_masks`` holds the weeks spent on each rung: ``r1`` … ``r6`` are bit
masks over a grid of :data:`GRID_WEEKS` consecutive ISO week ends (bit k = the end of the
k-th week; no bit set = not on the ladder yet), the same masks :data:`TREND_SQL
<analysis.ladder_sql.TREND_SQL>` builds for the trend; ``r1_d`` … ``r6_d`` the same over the
last :data:`GRID_DAYS` day ends (the call list's rungs on a signing day), from the same pass.
``ladder_grid`` says where the grids start and the *stamp* of what they were built from:
the ladder, sentiment and high-end settings, the row count and content hash of each source
table and the active model's scores. Beside it, the high-end unit price of each shop (a percentile over every order line,
which the call list would otherwise compute on each call).

Writers call :func:`refresh_if_stale` after a change (the app's write helpers and the
command line do it for every write). Readers (:mod:`analysis.ladder`) use the masks only
when every instant they need is a week end on the grid and the stamp still matches the data;
otherwise they compute live, so a change that slipped past a refresh costs time, never a
wrong number.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from analysis import complaint_store, periods
from analysis import settings as settings_mod
from analysis.data_times import LATEST_TIME_SQL
from analysis.highend_sql import computed_high_end_threshold
from analysis.ladder_sql import rule_params, rung_masks_cte

# What the stored tables hold; raised when that changes, so a database built by an earlier
# version is rebuilt when first opened read-write (1: the ladder and high-end prices;
# 2: the bad-review paths and refunded orders of analysis.complaint_store; 3: the day ends).
STORE_VERSION = 3

# 120 weeks to show (over two years, so a year-ago week is there too) and the week before
# the first, for its movement; a HUGEINT holds 127 bits.
GRID_WEEKS = 121
WEEK = dt.timedelta(weeks=1)
WEEK_US = 7 * 24 * 3600 * 10**6
# The same masks at the end of each of the last 121 days, up to the latest signing: the
# call list places tonight's signers from them instead of from all their history.
GRID_DAYS = 121
DAY = dt.timedelta(days=1)
DAY_US = 24 * 3600 * 10**6

# Row count and content hash per source; rows without a row hash (demo rows, care-call
# tickets) are written once and counted. The active model's scores by count and newest time
# (a retrained model rescores every text).
SOURCES_STAMP_SQL = """
SELECT to_json([
    (SELECT [count(*), sum(row_hash)] FROM orders),
    (SELECT [count(*), sum(row_hash)] FROM order_items),
    (SELECT [count(*), sum(row_hash)] FROM reviews),
    (SELECT [count(*), sum(row_hash)] FROM tickets),
    (SELECT [count(*), sum(row_hash)] FROM contacts),
    (SELECT [count(*), sum(epoch_us(scored_at))] FROM sentiment_scores WHERE model = $model)
])
"""

# Both grids from one pass over the facts: the week ends ($first, $week_us, $n) and the day
# ends ($first_d, $week_us_d, $n_d).
_MASK_COLUMNS = [f"r{r}{g}" for g in ("", "_d") for r in range(1, 7)]
STORE_SQL = rung_masks_cte(("", "_d")) + f"""
INSERT INTO ladder_masks (shop, customer_id, {", ".join(_MASK_COLUMNS)})
SELECT shop, customer_id, {", ".join(_MASK_COLUMNS)} FROM customer_rungs
WHERE ({" | ".join(_MASK_COLUMNS)}) <> 0
"""

LATEST_SIGNED_SQL = "SELECT max(signed_time) FROM orders"


def _rung_at(k: str, g: str = "") -> str:
    """SQL: the rung at index ``k`` (code text) of grid ``g`` ("" week ends, "_d" day ends)
    from r1{g} … r6{g}; 0 = not on the ladder."""
    return ("CASE " + " ".join(f"WHEN (r{r}{g} >> CAST({k} AS INTEGER)) & 1 = 1 THEN {r}"
                               for r in range(6, 0, -1)) + " ELSE 0 END")


# Customers sharing the same masks are placed once, then counted.
_GROUPED = """
WITH m AS (
    SELECT r1, r2, r3, r4, r5, r6, count(*) AS customers FROM ladder_masks
    WHERE CAST($shop AS VARCHAR) IS NULL OR shop = $shop
    GROUP BY ALL
)"""

COUNTS_SQL = _GROUPED + f"""
SELECT k, rung, CAST(sum(customers) AS BIGINT) AS customers
FROM (SELECT k, {_rung_at("k")} AS rung, customers
      FROM m, (SELECT unnest(CAST($ks AS INTEGER[])) AS k))
WHERE rung > 0
GROUP BY k, rung
"""

MOVES_SQL = _GROUPED + f"""
SELECT pair, from_rung, to_rung, CAST(sum(customers) AS BIGINT) AS customers
FROM (SELECT pair, {_rung_at("ka")} AS from_rung, {_rung_at("kb")} AS to_rung, customers
      FROM m, (SELECT i - 1 AS pair, $pairs[i][1] AS ka, $pairs[i][2] AS kb
               FROM range(1, len($pairs) + 1) r(i)))
WHERE to_rung > 0
GROUP BY pair, from_rung, to_rung
ORDER BY pair, from_rung, to_rung
"""

RUNG_IDS_SQL = f"""
SELECT customer_id FROM ladder_masks
WHERE (CAST($shop AS VARCHAR) IS NULL OR shop = $shop) AND {_rung_at("$k")} = $rung
"""

MOVED_IDS_SQL = f"""
SELECT customer_id FROM ladder_masks
WHERE (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
  AND {_rung_at("$ka")} = $from_rung AND {_rung_at("$kb")} = $to_rung
"""


def ladder_params(con, settings: dict | None) -> dict:
    """The ladder's rule parameters (:func:`analysis.ladder_sql.rule_params` without the
    instants)."""
    params = rule_params(con, [dt.datetime(2000, 1, 1)], None, settings)
    for key in ("last", "shop", "all_items"):
        del params[key]
    return params


def _high_end_settings(s: dict) -> dict:
    return {k: s.get(k, settings_mod.DEFAULTS[k]) for k in ("high_end.amount", "high_end.percentile")}


def stamp(con, settings: dict | None = None) -> str:
    """What the stored tables must have been built from to be used: what they hold
    (:data:`STORE_VERSION`), rule parameters, active model and a fingerprint of every source
    table."""
    s = settings if settings is not None else settings_mod.get_all(con)
    model = s.get("sentiment.model", settings_mod.DEFAULTS.get("sentiment.model", "stock"))
    window = s.get("complaints.path_window_days", settings_mod.DEFAULTS["complaints.path_window_days"])
    sources = con.execute(SOURCES_STAMP_SQL, {"model": model}).fetchone()[0]
    return json.dumps({"version": STORE_VERSION, "rules": ladder_params(con, s),
                       "high_end": _high_end_settings(s), "path_window_days": int(window),
                       "model": model, "sources": sources}, sort_keys=True, default=str)


def is_current(con, settings: dict | None = None) -> bool:
    """Whether the stored tables answer for the data as it is and for ``settings`` (default
    the stored settings)."""
    try:
        row = con.execute("SELECT stamp FROM ladder_grid").fetchone()
    except duckdb.CatalogException:  # tables as views over Parquet files: nothing stored
        return False
    return row is not None and row[0] == stamp(con, settings)


def clear(con) -> None:
    """Forget the stored ladder and complaint tables (readers then compute live)."""
    con.execute("DELETE FROM ladder_masks")
    con.execute("DELETE FROM ladder_grid")
    complaint_store.clear(con)


def refresh(con, settings: dict | None = None) -> dict:
    """Build the masks for the :data:`GRID_WEEKS` week ends ending with the week of the
    latest time in the data, and for the :data:`GRID_DAYS` day ends ending with the day of
    the latest time or signing, in one transaction.

    Returns
    -------
    dict
        ``first_week_end`` (None for an empty store), ``weeks``, ``customers`` stored.
    """
    s = settings if settings is not None else settings_mod.get_all(con)
    latest = con.execute(LATEST_TIME_SQL, {"shop": None}).fetchone()[0]
    signed = con.execute(LATEST_SIGNED_SQL).fetchone()[0]
    con.execute("BEGIN TRANSACTION")
    try:
        clear(con)
        first = first_day = None
        if latest is not None:
            last = periods.parse_week(periods.week_of(latest)).as_of
            first = last - (GRID_WEEKS - 1) * WEEK
            last_day = dt.datetime.combine(max(latest, signed or latest).date(), dt.time()) + DAY \
                - dt.timedelta(microseconds=1)
            first_day = last_day - (GRID_DAYS - 1) * DAY
            # Facts up to the later grid end (there are none after the latest time anyway).
            con.execute(STORE_SQL, {**ladder_params(con, s), "shop": None,
                                    "last": max(last, last_day),
                                    "first": first, "n": GRID_WEEKS, "week_us": WEEK_US,
                                    "first_d": first_day, "n_d": GRID_DAYS, "week_us_d": DAY_US})
            complaint_store.build(con, s)
        con.execute("INSERT INTO ladder_grid (first_week_end, weeks, stamp, built_at, "
                    "high_end_prices, first_day_end, days) "
                    "VALUES (?, ?, ?, current_localtimestamp(), ?, ?, ?)",
                    [first, GRID_WEEKS, stamp(con, s), json.dumps(_high_end_prices(con, s)),
                     first_day, GRID_DAYS])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    n = con.execute("SELECT count(*) FROM ladder_masks").fetchone()[0]
    return {"first_week_end": first, "weeks": GRID_WEEKS, "customers": n}


def _high_end_prices(con, s: dict) -> dict:
    shops = [r[0] for r in con.execute("SELECT DISTINCT shop FROM orders WHERE shop IS NOT NULL "
                                       "UNION SELECT DISTINCT shop FROM order_items "
                                       "WHERE shop IS NOT NULL").fetchall()]
    return {shop or "": computed_high_end_threshold(con, shop=shop, settings=s)
            for shop in [None, *shops]}


def stored_high_end_price(con, shop: str | None, settings: dict | None = None):
    """The stored high-end unit price of ``shop`` (None = all shops), or ``False`` when the
    store cannot answer (nothing stored, or built from other data or settings)."""
    if not is_current(con, settings):
        return False
    prices = con.execute("SELECT high_end_prices FROM ladder_grid").fetchone()[0]
    return False if prices is None else json.loads(prices).get(shop or "", False)


def build_if_missing(con) -> bool:
    """Build the stored tables of a database that has data but has never had them, or had
    an older version's (made by an older version, or written by other tools); whether they
    were built. Cheap otherwise: a stale store is left to the writers, which refresh it."""
    versions = con.execute("SELECT json_extract(stamp, '$.version') FROM ladder_grid").fetchall()
    if versions and versions[0][0] is not None and int(versions[0][0]) == STORE_VERSION:
        return False
    has_data = con.execute("SELECT EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM reviews) "
                           "OR EXISTS (SELECT 1 FROM tickets) OR EXISTS (SELECT 1 FROM contacts)"
                           ).fetchone()[0]
    if has_data:
        refresh(con)
    return bool(has_data)


def refresh_if_stale(con, settings: dict | None = None) -> bool:
    """:func:`refresh` unless the stored ladder already matches the data; whether it ran."""
    if is_current(con, settings):
        return False
    refresh(con, settings)
    return True


# grid -> (the ladder_grid columns of its first point and its length, the step between points)
_GRIDS = {"week": ("SELECT first_week_end, weeks, stamp FROM ladder_grid", WEEK),
          "day": ("SELECT first_day_end, days, stamp FROM ladder_grid", DAY)}


def _indices(con, instants, settings: dict | None, grid: str) -> list[int] | None:
    """The index of each instant on ``grid``, or None when the store cannot answer: nothing
    stored, built from other data or settings, or an instant that is not a point of it."""
    sql, step = _GRIDS[grid]
    try:
        row = con.execute(sql).fetchone()
    except duckdb.CatalogException:  # tables as views over Parquet files: nothing stored
        return None
    if row is None or row[0] is None:
        return None
    first, n, stored = row
    indices = []
    for at in instants:
        k, rest = divmod(at - first, step)
        if rest or not 0 <= k < n:
            return None
        indices.append(int(k))
    if stored != stamp(con, settings):
        return None
    return indices


def grid_indices(con, instants, settings: dict | None = None) -> list[int] | None:
    """The week-grid index of each instant (see :func:`_indices`), or None."""
    return _indices(con, instants, settings, "week")


def day_index(con, at, settings: dict | None = None) -> int | None:
    """The day-grid index of the day end ``at`` (see :func:`_indices`), or None."""
    got = _indices(con, [at], settings, "day")
    return None if got is None else got[0]


def day_rungs_sql(people: str) -> str:
    """SQL: ``shop, customer_id, rung`` at day-grid index $k of the customers of CTE
    ``people`` (code text) on rung ``greatest($min_rung, 3)`` or above: what
    :data:`analysis.ladder_sql.BUYER_RUNGS_SQL` computes at that day's end."""
    return f"""
SELECT shop, customer_id, rung FROM (
    SELECT shop, customer_id, {_rung_at("$k", "_d")} AS rung FROM ladder_masks
    WHERE customer_id IN (SELECT customer_id FROM {people}))
WHERE rung >= greatest($min_rung, 3)"""


def counts(con, ks: list[int], *, shop: str | None = None) -> pd.DataFrame:
    """Customers per rung at each grid index of ``ks``: ``k, rung, customers`` (rungs with
    nobody absent)."""
    return con.execute(COUNTS_SQL, {"ks": ks, "shop": shop}).df()


def moves(con, pairs: list[tuple[int, int]], *, shop: str | None = None) -> list[pd.DataFrame]:
    """For each ``(earlier, later)`` pair of grid indices: ``from_rung`` (0 = not on the
    ladder at the earlier), ``to_rung``, ``customers``; customers on the ladder at the later."""
    got = con.execute(MOVES_SQL, {"pairs": [list(p) for p in pairs], "shop": shop}).df()
    cols = ["from_rung", "to_rung", "customers"]
    return [got.loc[got["pair"] == i, cols].reset_index(drop=True) for i in range(len(pairs))]


def customers_on(con, k: int, rung: int, *, shop: str | None = None) -> list[str]:
    """The ids of the customers on ``rung`` at grid index ``k``."""
    rows = con.execute(RUNG_IDS_SQL, {"k": k, "rung": int(rung), "shop": shop}).fetchall()
    return [r[0] for r in rows]


def customers_moved(con, ka: int, kb: int, from_rung: int, to_rung: int, *,
                    shop: str | None = None) -> list[str]:
    """The ids of the customers on ``from_rung`` at ``ka`` (0 = not on the ladder) and on
    ``to_rung`` at ``kb``."""
    rows = con.execute(MOVED_IDS_SQL, {"ka": ka, "kb": kb, "from_rung": int(from_rung),
                                       "to_rung": int(to_rung), "shop": shop}).fetchall()
    return [r[0] for r in rows]
