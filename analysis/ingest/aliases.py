"""Header aliases per kind, platform fingerprints and the columns each kind must have.

Aliases are compared after stripping whitespace and lower-casing, so ``收货地址 `` and
``Order ID`` match. Within a kind the first alias list that names a header wins, and a
canonical column takes its values from one source only: the earlier an alias is listed, the
more it is preferred (买家实际支付金额 before 总金额 for ``paid_amount``).
"""

from __future__ import annotations

import re

_COMMON = {
    "shop": ["店铺名称", "店铺", "shop", "store", "店铺名"],
}

ALIASES: dict[str, dict[str, list[str]]] = {
    "orders": {
        "order_id": ["订单编号", "订单号", "主订单编号", "订单id", "order_id", "order id", "订单编号(主)", "invoiceno"],
        "customer_id": ["买家会员名", "下单帐号", "下单账号", "用户id", "买家id", "买家账号", "会员名",
                        "customer_id", "customer id", "buyer id", "用户名", "customerid"],
        "order_time": ["订单创建时间", "下单时间", "创建时间", "订单提交时间", "order_time", "order date",
                       "order time", "order_purchase_timestamp", "invoicedate"],
        "pay_time": ["订单付款时间", "付款时间", "支付时间", "支付完成时间", "pay_time", "payment time", "order_approved_at"],
        "paid_amount": ["买家实际支付金额", "实付金额", "商家实收金额(元)", "订单应付金额", "应付金额",
                        "实际支付金额", "订单金额", "总金额", "paid_amount", "amount", "total"],
        "refund_amount": ["退款金额", "退款金额(元)", "refund_amount", "refund"],
        "item_id": ["商品id", "宝贝id", "商品编号", "item_id", "sku"],
        "item_title": ["宝贝标题", "商品名称", "商品标题", "选购商品", "item_title", "product", "item"],
        "quantity": ["宝贝总数量", "购买数量", "商品数量", "数量", "quantity", "qty"],
        "unit_price": ["单价", "商品单价", "商品价格", "unit_price", "price", "unit price"],
        "status": ["订单状态", "状态", "status", "order status", "order_status"],
        "ship_time": ["发货时间", "ship_time", "order_delivered_carrier_date"],
        "signed_time": ["确认收货时间", "签收时间", "完成时间", "signed_time",
                        "order_delivered_customer_date"],
        "province": ["省", "省份", "收货省份", "province"],
        "city": ["市", "城市", "收货城市", "city"],
        "buyer_name": ["收货人姓名", "收货人", "收件人", "buyer_name"],
        "phone": ["联系手机", "手机", "收货人手机号", "联系电话", "手机号", "phone"],
        "address": ["收货地址", "详细地址", "收货人地址", "address"],
    },
    "order_items": {
        "order_id": ["订单编号", "订单号", "主订单编号", "子订单编号", "order_id", "order id", "invoiceno"],
        "line": ["商品序号", "序号", "子订单序号", "line", "line_no", "order_item_id"],
        "item_id": ["商品id", "宝贝id", "商品编号", "商家编码", "item_id", "sku", "stockcode",
                    "product_id"],
        "item_title": ["宝贝标题", "商品名称", "商品标题", "标题", "item_title", "description", "product"],
        "unit_price": ["单价", "商品单价", "价格", "商品价格", "unit_price", "unitprice", "price"],
        "quantity": ["购买数量", "宝贝总数量", "商品数量", "数量", "quantity", "qty"],
    },
    "reviews": {
        "review_id": ["评价id", "评论id", "review_id", "review id"],
        "order_id": ["订单编号", "订单号", "order_id", "order id"],
        "customer_id": ["买家会员名", "下单帐号", "下单账号", "用户id", "买家id", "会员名", "customer_id",
                        "user id"],
        "item_id": ["商品id", "宝贝id", "item_id", "sku"],
        "item_title": ["宝贝标题", "商品名称", "商品标题", "item_title", "product"],
        "rating": ["评分", "评价等级", "星级", "评价类型", "商品评分", "rating", "score", "stars", "review_score"],
        "content": ["评价内容", "评论内容", "初评内容", "评价", "评论", "content", "review", "comment",
                    "review text", "review_comment_message"],
        "review_time": ["评价时间", "评论时间", "初评时间", "review_time", "review date", "date", "review_creation_date"],
        "followup_content": ["追评内容", "追加评论", "followup_content"],
        "followup_time": ["追评时间", "追加评论时间", "followup_time"],
        "seller_reply": ["商家回复", "卖家回复", "解释内容", "seller_reply", "reply"],
        "reply_time": ["回复时间", "商家回复时间", "reply_time"],
    },
    "tickets": {
        "ticket_id": ["工单号", "工单编号", "退款编号", "服务单号", "ticket_id", "ticket id", "complaint id"],
        "order_id": ["订单编号", "订单号", "order_id", "order id"],
        "customer_id": ["买家会员名", "下单帐号", "下单账号", "用户id", "买家id", "客户id", "customer_id"],
        "opened_at": ["申请时间", "创建时间", "退款申请时间", "opened_at", "created", "date received"],
        "first_response_at": ["首次响应时间", "首次回复时间", "first_response_at"],
        "resolved_at": ["解决时间", "完结时间", "退款完结时间", "处理完成时间", "resolved_at", "resolved"],
        "channel": ["渠道", "来源渠道", "channel", "submitted via"],
        "category": ["问题类型", "退款原因", "售后类型", "服务类型", "category", "product"],
        "agent": ["客服", "处理人", "客服昵称", "agent"],
        "outcome": ["处理结果", "outcome", "company response to consumer"],
        "status": ["状态", "退款状态", "服务单状态", "status"],
        "source": ["source"],
        "escalated": ["是否小二介入", "小二介入", "escalated"],
        "reopened": ["是否重开", "重开", "reopened"],
        "refund_amount": ["退款金额", "退款金额(元)", "refund_amount"],
        "item_title": ["宝贝标题", "商品名称", "item_title"],
    },
    "contacts": {
        "customer_id": ["买家会员名", "会员名", "下单帐号", "用户id", "客户id", "会员id", "买家昵称",
                        "customer_id", "customer id"],
        "source": ["来源", "source"],
        "first_seen": ["入会时间", "关注时间", "首次访问时间", "咨询时间", "加入时间", "first_seen"],
        "buyer_name": ["姓名", "收货人姓名", "buyer_name", "name"],
        "phone": ["手机", "手机号", "联系手机", "phone"],
    },
}
for _kind in ALIASES:
    ALIASES[_kind].update(_COMMON)

# Header -> platform, checked in order: the first header present names the platform.
FINGERPRINTS: list[tuple[str, str]] = [
    ("买家会员名", "taobao"),
    ("下单帐号", "jd"),
    ("服务单号", "jd"),
    ("主订单编号", "douyin"),
    ("商家实收金额(元)", "pdd"),
    ("是否小二介入", "tmall"),
    ("买家实际支付金额", "tmall"),
    ("complaint id", "cfpb"),
]

# Which source a ticket export implies when the user does not --set source.
TICKET_SOURCE_FINGERPRINTS: list[tuple[str, str]] = [("退款编号", "refund"), ("服务单号", "after_sales")]

# Each inner tuple is one requirement: at least one of its columns must be mapped. Reviews
# without an id are keyed by a stable hash of customer, order, time and text, so the text or
# the time suffice.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "orders": (("order_id",),),
    "order_items": (("order_id",),),
    "reviews": (("review_id", "content", "review_time"),),
    "tickets": (("ticket_id",),),
    "contacts": (("customer_id",),),
}

_SPACE = re.compile(r"\s+")


def norm(header: str) -> str:
    """A header as aliases compare it: no whitespace anywhere, lower case."""
    return _SPACE.sub("", str(header or "")).lower()


_LOOKUP = {
    kind: {norm(a): (canonical, rank) for canonical, names in table.items()
           for rank, a in enumerate(names)}
    for kind, table in ALIASES.items()
}


def alias_for(kind: str, header: str) -> tuple[str, int] | None:
    """(canonical column, preference rank) that ``header`` is an alias of, or None."""
    return _LOOKUP[kind].get(norm(header))


def detect_platform(headers: list[str]) -> str | None:
    """The platform whose fingerprint header appears in ``headers``, else None."""
    present = {norm(h) for h in headers}
    for header, platform in FINGERPRINTS:
        if norm(header) in present:
            return platform
    return None


def ticket_source(headers: list[str]) -> str:
    """'refund' / 'after_sales' for platform refund exports, else 'helpdesk'."""
    present = {norm(h) for h in headers}
    for header, source in TICKET_SOURCE_FINGERPRINTS:
        if norm(header) in present:
            return source
    return "helpdesk"


def propose_mapping(kind: str, headers: list[str], user_map: dict | None = None) -> dict[int, str]:
    """Column position -> canonical column, the user's map winning over aliases.

    Parameters
    ----------
    kind : str
        Target table.
    headers : list of str
        Header cells as written (for headerless files, "1", "2", …).
    user_map : dict, optional
        {source header or 1-based column number: canonical}.

    Returns
    -------
    dict
        Position -> canonical; each canonical column from one source only.
    """
    chosen: dict[str, tuple[int, int]] = {}  # canonical -> (rank, position)
    taken: set[int] = set()
    for source, canonical in (user_map or {}).items():
        for pos, header in enumerate(headers):
            if norm(header) == norm(source) and pos not in taken:
                chosen[canonical] = (-1, pos)
                taken.add(pos)
                break
    for pos, header in enumerate(headers):
        hit = alias_for(kind, header)
        if hit is None or pos in taken:
            continue
        canonical, rank = hit
        if canonical not in chosen or rank < chosen[canonical][0]:
            if canonical in chosen:
                taken.discard(chosen[canonical][1])
            chosen[canonical] = (rank, pos)
            taken.add(pos)
    return {pos: canonical for canonical, (_, pos) in chosen.items()}


def missing_required(kind: str, mapped: set[str]) -> list[str]:
    """The requirements of ``kind`` that ``mapped`` columns leave unmet, as "a / b" texts."""
    return [" / ".join(group) for group in REQUIRED[kind] if not mapped & set(group)]
