"""Exports with several rows per order (Douyin sub-orders, JD one row per SKU, Tmall's 2021
report): one ``orders`` row per order and one ``order_items`` row per line.

The staged rows (``ing_typed``) stay as they are; :func:`build_orders` folds them into
``ing_orders``, shaped like the staging table, so the ordinary key / hash / upsert steps of
:mod:`analysis.ingest.load` write both tables. Counts stay per file row: a row counts as
inserted when its order is new, unchanged when its order and its line are, else updated.
"""

from __future__ import annotations

from analysis.ingest import clean
from analysis.ingest.plan import Plan
from analysis.ingest.stage import TYPED, VALID, sources

ORDERS = "ing_orders"
FINAL_ORDERS, FINAL_ITEMS = "ing_final_orders", "ing_final_items"
ITEM_COLUMNS = ("shop", "order_id", "item_id", "item_title", "unit_price", "quantity")

# Lines of the file's orders beyond what the file now lists (an order re-exported with
# fewer lines): the file is the order's whole list, so they go.
DROP_GONE_LINES_SQL = f"""
DELETE FROM order_items t USING (
    SELECT shop, order_id, max(line) AS n FROM {FINAL_ITEMS} GROUP BY shop, order_id
) f
WHERE t.shop = f.shop AND t.order_id = f.order_id AND t.line > f.n
"""

# Whether some order of the file has rows for different items: only then are rows lines.
_MIXED_SQL = """
SELECT EXISTS (
    SELECT 1 FROM {typed} WHERE {valid}
    GROUP BY {shop}order_id
    HAVING count(DISTINCT concat_ws(chr(31), {items})) > 1
)
"""


def is_multi_row(con, plan: Plan) -> bool:
    """Whether the orders file has several rows per order (its profile says so, or the
    rows of one order name different items)."""
    if plan.kind != "orders":
        return False
    if plan.profile is not None and plan.profile.multi_row:
        return True
    items = [c for c in ("item_id", "item_title") if c in plan.mapped]
    if not items:
        return False
    shop = "shop, " if "shop" in plan.mapped else ""
    repeats = con.execute(f"SELECT count(*) > count(DISTINCT ({shop}order_id)) FROM {TYPED} "
                          f"WHERE {VALID}").fetchone()[0]
    if not repeats:  # one row per order, as most exports: nothing to fold
        return False
    sql = _MIXED_SQL.format(typed=TYPED, valid=VALID, shop=shop,
                            items=", ".join(f"coalesce(CAST({c} AS VARCHAR), '')" for c in items))
    return bool(con.execute(sql).fetchone()[0])


def _fold(column: str, order_level: set[str]) -> str:
    """How the rows of one order make the order's value of ``column``."""
    kind = clean.value_kind(column)
    if column in ("paid_amount", "refund_amount"):
        # Amounts the platform repeats on each row of an order are taken once.
        return f"max({column})" if column in order_level else f"sum({column})"
    if column == "quantity":
        return "sum(quantity)"
    if column == "unit_price":
        return "max(unit_price)"  # the order's top unit price decides high-end
    if column == "status":
        # A closed gift line does not close an order whose other lines were bought.
        return ("coalesce(first(status ORDER BY ord) FILTER (WHERE NOT "
                "is_cancelled_status(status)), first(status ORDER BY ord))")
    if kind == "ts":
        return f"min({column})"
    return f"first({column} ORDER BY ord) FILTER (WHERE {column} IS NOT NULL)"


def build_orders(con, plan: Plan) -> None:
    """Fold the valid staged rows into ``ing_orders``: one row per (shop, order_id)."""
    cols = sources(plan)
    order_level = set(plan.profile.order_level) if plan.profile is not None else set()
    keys = ["order_id"] + (["shop"] if "shop" in cols else [])
    items = list(keys) + [f"{_fold(c, order_level)} AS {c}" for c in cols if c not in keys]
    items += ["first(extra ORDER BY ord) AS extra", "false AS skip_",
              "CAST(NULL AS VARCHAR) AS bad", "min(ord) AS first_ord"]
    con.execute(f"DROP TABLE IF EXISTS {ORDERS}")
    con.execute(
        f"CREATE TEMP TABLE {ORDERS} AS SELECT * EXCLUDE (first_ord) FROM ("
        f"SELECT {', '.join(items)} FROM (SELECT rowid AS ord, * FROM {TYPED} WHERE {VALID}) "
        f"GROUP BY {', '.join(keys)}) ORDER BY first_ord")


def items_plan(plan: Plan) -> Plan:
    """The plan of the ``order_items`` rows the same file makes (its item columns)."""
    by_position = {p: c for p, c in plan.by_position.items() if c in ITEM_COLUMNS}
    constants = {c: v for c, v in plan.constants.items() if c in ITEM_COLUMNS}
    return Plan("order_items", plan.headers, by_position, constants,
                [p for p in range(len(plan.headers)) if p not in by_position],
                plan.platform, plan.profile)


ROW_COUNTS_SQL = """
WITH per_row AS (
    SELECT CASE
        WHEN NOT o.stored THEN 'inserted'
        WHEN o.row_hash = o.stored_hash AND i.stored AND i.row_hash = i.stored_hash
            THEN 'unchanged'
        ELSE 'updated' END AS state
    FROM {items} i
    JOIN {orders} o ON o.shop = i.shop AND o.order_id = i.order_id
)
SELECT count(*) FILTER (WHERE state = 'inserted'), count(*) FILTER (WHERE state = 'updated'),
       count(*) FILTER (WHERE state = 'unchanged')
FROM per_row
"""


def row_counts(con) -> tuple[int, int, int]:
    """(inserted, updated, unchanged) over the file's valid rows, after both final tables."""
    return tuple(con.execute(ROW_COUNTS_SQL.format(items=FINAL_ITEMS,
                                                   orders=FINAL_ORDERS)).fetchone())


def drop_gone_lines(con) -> None:
    """Remove the lines the file no longer lists for its orders (in the import's transaction)."""
    con.execute(DROP_GONE_LINES_SQL)


def drop(con) -> None:
    """Drop this module's temp tables."""
    for name in (ORDERS, FINAL_ORDERS, FINAL_ITEMS):
        con.execute(f"DROP TABLE IF EXISTS temp.{name}")
