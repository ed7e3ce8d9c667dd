"""The high-end unit price: the definition that makes an order line, an order and so a
customer high-end (see :mod:`analysis.highend` for the figures over it).

The price is the setting ``high_end.amount`` when set, else the ``high_end.percentile``
(default 80th, ``quantile_cont``) of unit price over the store's order lines: order_items
when an order has them, else the order itself (its unit price, else paid amount /
quantity). An order's top unit price (:data:`TOP_PRICE`) is its dearest item line, else its
own price; ties at the threshold are high-end (``>=``). The stored prices
(:mod:`analysis.ladder_store`) are :func:`computed_high_end_threshold` at refresh time.
"""

from __future__ import annotations

from analysis.sql import resolve_settings

# Every priced order line of the selected shop(s): $shop.
LINES_CTE = """
WITH lined AS (SELECT DISTINCT shop, order_id FROM order_items),
lines AS (
    SELECT shop, order_id, CAST(unit_price AS DOUBLE) AS price
    FROM order_items
    WHERE CAST($shop AS VARCHAR) IS NULL OR shop = $shop
    UNION ALL
    SELECT o.shop, o.order_id,
           coalesce(CAST(o.unit_price AS DOUBLE),
                    CAST(o.paid_amount AS DOUBLE) / nullif(coalesce(o.quantity, 1), 0))
    FROM orders o ANTI JOIN lined l ON l.shop = o.shop AND l.order_id = o.order_id
    WHERE CAST($shop AS VARCHAR) IS NULL OR o.shop = $shop
)"""

THRESHOLD_SQL = LINES_CTE + """
SELECT quantile_cont(price, $percentile) FROM lines WHERE price > 0
"""

# An order's top unit price: its dearest item line, else its own price. Orders are joined
# (``o LEFT JOIN line_top lt``) only to the per-order maximum of the item lines, so a pass
# over the orders never meets a million-row line table.
LINE_TOP = """line_top AS (
    SELECT shop, order_id, max(CAST(unit_price AS DOUBLE)) AS price
    FROM order_items
    WHERE CAST($shop AS VARCHAR) IS NULL OR shop = $shop
    GROUP BY ALL
)"""
LINE_TOP_CTE = "\nWITH " + LINE_TOP
TOP_PRICE = """CASE WHEN lt.order_id IS NOT NULL THEN lt.price
                ELSE coalesce(CAST(o.unit_price AS DOUBLE),
                              CAST(o.paid_amount AS DOUBLE) / nullif(coalesce(o.quantity, 1), 0))
           END"""


def computed_high_end_threshold(con, *, shop: str | None = None,
                                settings: dict | None = None) -> float | None:
    """The high-end unit price computed from the order lines (never the stored value).

    Parameters
    ----------
    shop : str, optional
        One shop's order lines; ``None`` for all shops.
    settings : dict, optional
        ``high_end.*`` over the defaults; default the stored settings.

    Returns
    -------
    float or None
        ``high_end.amount`` when set, else the percentile; None when no order line has a
        price.
    """
    s = resolve_settings(con, settings)
    if s["high_end.amount"] is not None:
        return float(s["high_end.amount"])
    value = con.execute(
        THRESHOLD_SQL, {"shop": shop, "percentile": float(s["high_end.percentile"])}
    ).fetchone()[0]
    return None if value is None else float(value)
