"""An order's refund: the refund rate's definition, shared by the live and the stored figures.

A paid order's refund is the larger of ``orders.refund_amount`` and the sum of its refund /
after-sales tickets that ended in money back (status 退款成功 …, or resolved without a refusal
word): the larger, not the sum, because both exports report the same refund. The stored
refunded orders (:mod:`analysis.complaint_store`) are built from :data:`REFUND_ORDERS_CTE`,
and :func:`analysis.complaints.refund_rate` reads them or the same CTE live.
"""

from __future__ import annotations

# Words of a refund ticket that did not end in money back, and of one that did.
REFUND_FAILED_PATTERN = r"(?i)(拒绝|驳回|关闭|取消|撤销|失败|refused|rejected|denied|closed|cancel|withdrawn|failed)"
REFUND_SUCCESS_PATTERN = r"(?i)(退款成功|已退款|退款完成|refunded|refund success)"

# The orders paid in [$start, $end): the refund rate's denominator.
PAID_IN_PERIOD = """
FROM orders
WHERE ($shop IS NULL OR shop = $shop)
  AND (coalesce(paid_amount > 0, false) OR pay_time IS NOT NULL)
  AND ($start IS NULL OR coalesce(pay_time, order_time) >= $start)
  AND ($end IS NULL OR coalesce(pay_time, order_time) < $end)"""

# Each paid order in [$start, $end) with its refund: the larger of ``orders.refund_amount``
# and its refund / after-sales tickets that ended in money back.
REFUND_ORDERS_CTE = """
WITH paid AS (
    SELECT shop, order_id, item_title, coalesce(pay_time, order_time) AS paid_at,
           paid_amount, coalesce(refund_amount, 0) AS order_refund""" + PAID_IN_PERIOD + """
),
ticket_refund AS (
    SELECT shop, order_id, sum(refund_amount) AS amount
    FROM tickets
    WHERE ($shop IS NULL OR shop = $shop) AND source IN ('refund', 'after_sales')
      AND order_id IS NOT NULL AND refund_amount > 0
      AND (regexp_matches(coalesce(status, ''), $success)
           OR (resolved_at IS NOT NULL
               AND NOT regexp_matches(coalesce(status, '') || ' ' || coalesce(outcome, ''), $failed)))
    GROUP BY shop, order_id
),
per_order AS (
    SELECT p.*, greatest(p.order_refund, coalesce(r.amount, 0)) AS refunded
    FROM paid p LEFT JOIN ticket_refund r USING (shop, order_id)
)"""


def refund_params(start, end, shop) -> dict:
    """Named parameters of the refund SQL (period, shop and the refund status patterns).

    Returns
    -------
    dict
        ``start, end, shop, success, failed`` (``None`` bounds are open).
    """
    return {"start": start, "end": end, "shop": shop,
            "success": REFUND_SUCCESS_PATTERN, "failed": REFUND_FAILED_PATTERN}
