"""What a file takes from the orders already in the store: its shop and its buyers.

Review, ticket and refund exports usually name the buyer by a masked nickname (t***3) or
not at all, and often have no shop column; the order they refer to knows both. So a file
with no shop column takes the shop of its orders, and a row with no usable buyer id takes
the buyer of its order, now or when the orders are imported later. A masked id is still
never a key.
"""

from __future__ import annotations

from analysis import catalog, schema
from analysis.ingest.plan import Plan
from analysis.ingest.stage import TYPED, VALID

# The shop of the file's orders, most rows first.
SHOP_OF_ORDERS_SQL = f"""
SELECT o.shop, count(*) AS n
FROM (SELECT DISTINCT order_id FROM {TYPED} WHERE {VALID} AND order_id IS NOT NULL) t
JOIN orders o ON o.order_id = t.order_id
GROUP BY o.shop ORDER BY n DESC, o.shop
"""

# Tables whose rows name an order and may lack the buyer. Table names are code constants.
BUYER_TABLES = ("reviews", "tickets")
# Only the rows the import wrote (its rows, or the rows naming its orders) can change.
FILL_BUYERS_SQL = """
UPDATE "{table}" AS t SET customer_id = o.customer_id
FROM orders o
WHERE t.customer_id IS NULL AND t.order_id IS NOT NULL AND o.customer_id IS NOT NULL
  AND o.shop = t.shop AND o.order_id = t.order_id
  AND ({side}.import_id = $import_id)
"""


def infer_shop(con, plan: Plan) -> tuple[str, dict | None]:
    """The shop of a file with no shop column, and a warning when it had to guess.

    The shop of the orders the file refers to (by order id) wins; else the store's only
    named shop; else 默认店铺, with a warning naming the shops when the store has several.
    """
    if "order_id" in plan.mapped and plan.kind != "orders":
        found = con.execute(SHOP_OF_ORDERS_SQL).fetchall()
        if len(found) == 1:
            return found[0][0], None
        if found:
            # Orders of several shops: the file goes to the shop most of them are in.
            return found[0][0], {"column": None, "count": len(found), "reason": "shop_mixed",
                                 "examples": [s for s, _ in found[:5]]}
    named = [s for s in catalog.shops(con) if s != schema.DEFAULT_SHOP]
    if len(named) == 1:
        return named[0], None
    if not named:
        return schema.DEFAULT_SHOP, None
    return schema.DEFAULT_SHOP, {"column": None, "count": len(named), "reason": "shop_unknown",
                                 "examples": named[:5]}


def fill_buyers(con, kind: str, import_id: int) -> None:
    """Give rows without a buyer the buyer of their order (inside the import's transaction).

    The row hash stays that of the file's content, so importing the same file again still
    finds its rows unchanged.
    """
    tables = BUYER_TABLES if kind == "orders" else (kind,) if kind in BUYER_TABLES else ()
    side = "o" if kind == "orders" else "t"
    for table in tables:
        con.execute(FILL_BUYERS_SQL.format(table=table, side=side), {"import_id": import_id})
