"""Generic header aliases per kind and the columns each kind must have.

Aliases are compared after stripping whitespace and lower-casing, so ``收货地址 `` and
``Order ID`` match. Within a kind the first alias list that names a header wins, and a
canonical column takes its values from one source only: the earlier an alias is listed, the
more it is preferred (买家实际支付金额 before 总金额 for ``paid_amount``). A recognised platform
export's own columns (:mod:`analysis.ingest.profiles`) are preferred over these.
"""

from __future__ import annotations

from analysis.ingest import profiles

_COMMON = {
    "shop": ["店铺名称", "店铺", "shop", "store", "店铺名"],
}

ALIASES: dict[str, dict[str, list[str]]] = {
    "orders": {
        "order_id": ["订单编号", "订单号", "主订单编号", "订单id", "order_id", "order id", "订单编号(主)", "invoiceno"],
        "customer_id": ["买家会员名", "下单帐号", "下单账号", "用户id", "买家id", "买家账号", "会员名",
                        "customer_id", "customer id", "buyer id", "用户名", "customerid"],
        "order_time": ["订单创建时间", "下单时间", "创建时间", "订单提交时间", "订单成交时间", "order_time", "order date",
                       "order time", "order_purchase_timestamp", "invoicedate"],
        "pay_time": ["订单付款时间", "付款时间", "支付时间", "支付完成时间", "付款确认时间", "pay_time", "payment time", "order_approved_at"],
        "paid_amount": ["买家实际支付金额", "实付金额", "商家实收金额(元)", "订单应付金额", "应付金额",
                        "实际支付金额", "订单金额", "总金额", "paid_amount", "amount", "total"],
        "refund_amount": ["退款金额", "退款金额(元)", "refund_amount", "refund"],
        "item_id": ["商品id", "宝贝id", "商品编号", "item_id", "sku"],
        "item_title": ["宝贝标题", "商品名称", "商品标题", "选购商品", "商品", "item_title", "product",
                       "item"],
        "quantity": ["宝贝总数量", "购买数量", "商品数量", "订购数量", "商品数量(件)", "数量",
                     "quantity", "qty"],
        "unit_price": ["单价", "商品单价", "商品价格", "京东价", "unit_price", "price", "unit price"],
        "status": ["订单状态", "状态", "status", "order status", "order_status"],
        "ship_time": ["发货时间", "ship_time", "order_delivered_carrier_date"],
        "signed_time": ["签收时间", "确认收货时间", "订单完成时间", "完成时间", "signed_time",
                        "order_delivered_customer_date"],
        "province": ["省", "省份", "收货省份", "province"],
        "city": ["市", "城市", "收货城市", "city"],
        "buyer_name": ["收货人姓名", "收货人", "收件人", "客户姓名", "buyer_name"],
        "phone": ["联系手机", "手机", "收货人手机号", "收件人手机号", "联系电话", "手机号", "phone"],
        "address": ["收货地址", "详细地址", "收货人地址", "客户地址", "address"],
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
        "order_id": ["订单编号", "订单号", "订单id", "子订单编号", "order_id", "order id"],
        "customer_id": ["买家会员名", "下单帐号", "下单账号", "用户id", "买家id", "会员名", "买家昵称",
                        "用户昵称", "买家账号", "用户账号", "customer_id", "user id"],
        "item_id": ["商品id", "宝贝id", "item_id", "sku"],
        "item_title": ["宝贝标题", "商品名称", "商品标题", "item_title", "product"],
        "rating": ["评分", "打分", "评价星级", "评价等级", "星级", "评价类型", "商品评分", "rating",
                   "score", "stars", "review_score"],
        "content": ["评价内容", "评论内容", "初评内容", "评价", "评论", "content", "review", "comment",
                    "review text", "review_comment_message"],
        "review_time": ["评价时间", "评论时间", "初评时间", "review_time", "review date", "date", "review_creation_date"],
        "followup_content": ["追评内容", "追加评论", "followup_content"],
        "followup_time": ["追评时间", "追加评论时间", "followup_time"],
        "seller_reply": ["商家回复", "卖家回复", "解释内容", "seller_reply", "reply"],
        "reply_time": ["回复时间", "商家回复时间", "reply_time"],
    },
    "tickets": {
        "ticket_id": ["工单号", "工单编号", "工单id", "退款编号", "服务单号", "ticket_id", "ticket id", "id",
                      "complaint id"],
        "order_id": ["订单编号", "订单号", "订单id", "关联订单号", "order_id", "order id"],
        "customer_id": ["买家会员名", "买家会员名称", "下单帐号", "下单账号", "用户id", "买家id", "客户id",
                        "customer_id", "requester id", "requester"],
        "opened_at": ["申请时间", "退款的申请时间", "创建时间", "退款申请时间", "opened_at", "created",
                      "created at", "date received"],
        "first_response_at": ["首次响应时间", "首次回复时间", "first_response_at", "first reply at"],
        "resolved_at": ["解决时间", "退款完结时间", "完结时间", "处理完成时间", "resolved_at", "resolved",
                        "solved at"],
        "channel": ["渠道", "来源渠道", "channel", "via", "submitted via"],
        "category": ["问题类型", "问题分类", "工单分类", "退款原因", "买家退款原因", "售后类型", "服务类型",
                     "category", "product"],
        "agent": ["客服", "受理客服", "处理客服", "处理人", "受理人", "客服昵称", "agent", "assignee"],
        "outcome": ["处理结果", "outcome", "company response to consumer"],
        "status": ["状态", "工单状态", "退款状态", "服务单状态", "status"],
        "source": ["source"],
        "escalated": ["是否小二介入", "小二介入", "客服介入状态", "escalated"],
        "reopened": ["是否重开", "重开", "reopened"],
        "refund_amount": ["退款金额", "买家退款金额", "退款金额(元)", "refund_amount"],
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

norm = profiles.norm


_LOOKUP = {
    kind: {norm(a): (canonical, rank) for canonical, names in table.items()
           for rank, a in enumerate(names)}
    for kind, table in ALIASES.items()
}


def alias_for(kind: str, header: str) -> tuple[str, int] | None:
    """(canonical column, preference rank) that ``header`` is an alias of, or None."""
    return _LOOKUP[kind].get(norm(header))


def detect_platform(headers: list[str], kind: str | None = None) -> str | None:
    """The platform of the profile ``headers`` fit best (several headers, never one)."""
    profile = profiles.detect(kind, headers)
    return profile.platform if profile else None


def ticket_source(headers: list[str]) -> str:
    """'refund' / 'after_sales' for platform refund exports, else 'helpdesk'."""
    profile = profiles.detect("tickets", headers)
    if profile is not None and profile.ticket_source:
        return profile.ticket_source
    present = {norm(h) for h in headers}
    # A refund or after-sales id alone still says what the export is.
    for header, source in (("退款编号", "refund"), ("服务单号", "after_sales")):
        if norm(header) in present:
            return source
    return "helpdesk"


def propose_mapping(kind: str, headers: list[str], user_map: dict | None = None, *,
                    profile: profiles.Profile | None = None, accept=None) -> dict[int, str]:
    """Column position -> canonical column: the user's map, then the platform profile's
    columns, then the generic aliases.

    Parameters
    ----------
    kind : str
        Target table.
    headers : list of str
        Header cells as written (for headerless files, "1", "2", …).
    user_map : dict, optional
        {source header or 1-based column number: canonical}.
    profile : Profile, optional
        The detected export profile; its columns are preferred over the aliases.
    accept : callable, optional
        ``accept(position, canonical) -> bool``: whether the column's values can be that
        canonical column (a duration is not a time); a refused candidate leaves the
        canonical column to the next one.

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
    own = profiles.column_lookup(profile) if profile is not None and profile.kind == kind else {}
    candidates = []  # (rank, position, canonical)
    for pos, header in enumerate(headers):
        if pos in taken:
            continue
        hit = own.get(norm(header))
        if hit is not None:
            candidates.append((hit[1], pos, hit[0]))
            continue
        hit = alias_for(kind, header)
        if hit is not None:
            candidates.append((len(own) + hit[1], pos, hit[0]))
    for rank, pos, canonical in sorted(candidates):
        if canonical in chosen or pos in taken:
            continue
        if accept is not None and not accept(pos, canonical):
            continue
        chosen[canonical] = (rank, pos)
        taken.add(pos)
    return {pos: canonical for canonical, (_, pos) in chosen.items()}


def missing_required(kind: str, mapped: set[str]) -> list[str]:
    """The requirements of ``kind`` that ``mapped`` columns leave unmet, as "a / b" texts."""
    return [" / ".join(group) for group in REQUIRED[kind] if not mapped & set(group)]
