"""Order status words of every platform, by what they mean for the purchase rule.

An order is a purchase when it was paid and is not cancelled, closed or fully refunded
(docs/design.md "Metrics"). The platforms spell those states in their own words; each
word is listed once here, so the importer's platform profiles and the purchase macro
(:mod:`analysis.db`) read the same list. Words are compared lower-cased and trimmed.
"""

from __future__ import annotations

# Status words meaning the order did not become a purchase (or was undone in full).
NOT_PURCHASE = {
    "cancelled": (
        "交易取消", "已取消", "取消", "订单取消", "(删除)订单取消", "删除订单", "已作废",
        "canceled", "cancelled", "unavailable",
    ),
    "closed": (
        "交易关闭", "已关闭", "订单关闭", "关闭", "closed",
    ),
    "refunded": (
        "退款成功", "已退款", "全额退款", "退款完成", "未发货，退款成功", "已发货，退款成功",
        "未发货,退款成功", "已发货,退款成功", "同意退款，退款成功", "refunded",
    ),
}

# Words meaning paid and going on (the rest of a platform's vocabulary, for the profiles).
PAID = (
    "交易成功", "已完成", "完成", "买家已付款", "等待卖家发货", "待发货", "卖家已发货",
    "等待买家确认收货", "等待确认收货", "已发货", "已发货，待签收", "已签收", "待收货",
    "等待出库", "等待发货", "等待确认", "已付款", "delivered", "shipped", "invoiced",
)
UNPAID = ("等待买家付款", "待付款", "待支付", "未付款", "等待付款", "created")

CANCELLED_STATUSES = tuple(w for words in NOT_PURCHASE.values() for w in words)
