"""Platform export profiles, declared in one place: how each back office writes its files.

A profile names one export of one platform: the headers that recognise it (several, never
one: a Tmall 2021 report and a Douyin export both have 主订单编号), which canonical column
each of its headers fills (preferred over the generic aliases in
:mod:`analysis.ingest.aliases`), and how several rows of one order combine. The header
rows come from public code that parses these exports; each profile cites where. Value
conventions every platform shares (placeholders such as ``-``, Excel's ``="…"`` guards,
date and amount spellings) are handled for every file in :mod:`analysis.ingest.clean`.

Detection scores a profile by how many of its ``signature`` headers the file has; at least
``min_hits`` (two or more) must be present and the best score wins, ties going to the
profile listed first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profile:
    """One platform export.

    Attributes
    ----------
    name : str
        Stable id, e.g. ``douyin_orders``.
    platform : str
        What ``import --json`` reports as ``platform``.
    kind : str
        The canonical table the export fills.
    signature : tuple of str
        Headers that recognise the export.
    columns : dict
        {header as written: canonical column}; earlier entries win for one canonical column.
    multi_row : bool
        One row per sub-order or SKU: rows of one order make one ``orders`` row and one
        ``order_items`` row each.
    order_level : tuple of str
        Amount columns the platform repeats on every row of an order (taken once); the
        other amounts are summed over the rows.
    ticket_source : str, optional
        ``tickets.source`` the export implies (refund, after_sales, helpdesk).
    contact_source : str, optional
        ``contacts.source`` the export implies (member, follower …).
    requires : tuple of str
        Headers that must all be present (the sub-order id of a sub-order export).
    durations : dict
        {canonical time: (canonical start, header of a span, seconds per unit)}: a time the
        export gives as a span after another (Zendesk's First reply time in minutes).
    min_hits : int
        Signature headers that must be present.
    source : str
        Where the header row was found.
    """

    name: str
    platform: str
    kind: str
    signature: tuple[str, ...]
    columns: dict[str, str] = field(default_factory=dict)
    multi_row: bool = False
    order_level: tuple[str, ...] = ()
    ticket_source: str | None = None
    contact_source: str | None = None
    requires: tuple[str, ...] = ()
    durations: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    min_hits: int = 2
    source: str = ""


def norm(header: str) -> str:
    """A header as profiles and aliases compare it: NFKC (full-width （元） is (元)), no
    whitespace anywhere (a quoted newline inside a header cell included), lower case."""
    text = unicodedata.normalize("NFKC", str(header or ""))
    return "".join(text.split()).lower()


_TAOBAO_ORDER_COLUMNS = {
    "订单编号": "order_id", "买家会员名": "customer_id", "子单实际支付金额": "paid_amount",
    "买家实际支付金额": "paid_amount", "买家实付金额": "paid_amount", "订单状态": "status",
    "订单创建时间": "order_time", "订单付款时间": "pay_time", "宝贝标题": "item_title",
    "商品标题": "item_title", "宝贝总数量": "quantity", "宝贝数量": "quantity",
    "退款金额": "refund_amount", "发货时间": "ship_time", "签收时间": "signed_time",
    "确认收货时间": "signed_time", "收货人姓名": "buyer_name", "收件人姓名": "buyer_name",
    "联系手机": "phone", "联系电话": "phone", "收货地址": "address", "店铺名称": "shop",
}
_TICKET_COMMON = {"订单号": "order_id", "订单编号": "order_id", "商品名称": "item_title"}

PROFILES: tuple[Profile, ...] = (
    # Taobao / Tmall ExportOrderList (千牛 已卖出的宝贝 → 批量导出): one row per order. The
    # 2021 list appends 主订单编号 after 订单编号's own columns: 订单编号 stays the key.
    Profile(
        "taobao_orders", "taobao", "orders",
        ("订单编号", "买家会员名", "买家支付宝账号", "买家实际支付金额", "总金额", "收货地址",
         "订单创建时间", "订单付款时间", "宝贝标题", "宝贝总数量", "收货人姓名", "联系手机",
         "店铺名称"),
        _TAOBAO_ORDER_COLUMNS, requires=("订单编号",), min_hits=3,
        source="export_headers.json taobao_tmall_ExportOrderList_2017/2018 (index ids "
               "32198283099, 39988665824); the 2021 list, index id 12369233323",
    ),
    # Tmall 订单报表 (生意参谋 / 千牛 2024+): one row per order, without the buyer columns.
    Profile(
        "tmall_orders", "tmall", "orders",
        ("订单编号", "总金额", "买家实际支付金额", "买家实付金额", "收货地址", "订单创建时间",
         "订单付款时间", "退款金额", "商品标题", "确认收货打款金额", "支付详情", "支付单号"),
        _TAOBAO_ORDER_COLUMNS, requires=("订单编号",), min_hits=4,
        source="realdata tmall_order_report.csv (makisekurisuDDL/Data_analysis); 千牛 订单报表 "
               "header fingerprint, index id 55384707158",
    ),
    # Tmall / Taobao 订单报表 by sub-order (宝贝报表 since 2021, supplier reports): one row per
    # 子订单编号 under its 主订单编号; 买家实付金额 / 子单实际支付金额 are the sub-order's.
    Profile(
        "tmall_order_lines", "tmall", "orders",
        ("商品标题", "宝贝标题", "商品价格", "购买数量", "宝贝数量", "外部系统编号", "商品属性",
         "套餐信息", "买家应付货款", "买家实付金额", "子单实际支付金额", "退款状态",
         "订单付款时间", "买家会员名", "店铺名称"),
        {"主订单编号": "order_id", "子单实际支付金额": "paid_amount", "买家实付金额": "paid_amount",
         "买家实际支付金额": "paid_amount", "商品ID": "item_id", "商家编码": "item_id",
         "商品价格": "unit_price", "购买数量": "quantity", **_TAOBAO_ORDER_COLUMNS,
         "订单编号": "order_id"},
        multi_row=True, requires=("主订单编号", "子订单编号"), min_hits=3,
        source="宝贝/子订单 report, 27 columns, index id 56356420798; supplier 订单报表, index ids "
               "170377167, 76562422; export_headers.json taobao_tmall_new_order_report_subset",
    ),
    # Taobao / Tmall ExportOrderDetailList (宝贝报表): the items of the order list.
    Profile(
        "taobao_order_items", "taobao", "order_items",
        ("订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息",
         "商家编码"),
        {"订单编号": "order_id", "标题": "item_title", "价格": "unit_price",
         "购买数量": "quantity", "商家编码": "item_id"}, min_hits=3,
        source="export_headers.json taobao_tmall_ExportOrderDetailList (index id 32198283099)",
    ),
    # 抖店 订单导出: one row per sub-order; every row has its own 订单应付金额 (a gift line
    # is 0.00), so an order's amount is the sum of its rows. Two column orders are in use.
    Profile(
        "douyin_orders", "douyin", "orders",
        ("选购商品", "商品数量", "订单应付金额", "订单提交时间", "支付完成时间", "收件人手机号",
         "收件人", "达人昵称", "达人ID", "旗帜颜色", "APP渠道", "流量来源", "商品金额",
         "商品单价"),
        {"主订单编号": "order_id", "选购商品": "item_title", "商品ID": "item_id",
         "商品数量": "quantity", "商品单价": "unit_price", "订单应付金额": "paid_amount",
         "订单提交时间": "order_time", "支付完成时间": "pay_time", "订单状态": "status",
         "发货时间": "ship_time", "签收时间": "signed_time", "订单完成时间": "signed_time",
         "收件人": "buyer_name", "收件人手机号": "phone", "省": "province", "市": "city",
         "详细地址": "address", "退款金额": "refund_amount", "店铺名称": "shop",
         "买家昵称": "customer_id", "用户昵称": "customer_id"},
        multi_row=True, requires=("主订单编号", "子订单编号"), min_hits=3,
        source="抖店 订单导出 75 columns, index id 68603176596; 74 columns, index id 55157587144;"
               " export_headers.json douyin_doudian_order_export_subset (27237015549)",
    ),
    # 拼多多 订单导出: one row per order; 订单成交时间 is when the buyer paid (the group formed).
    Profile(
        "pdd_orders", "pdd", "orders",
        ("订单成交时间", "商品", "订单号", "商品总价(元)", "用户实付金额(元)",
         "商家实收金额(元)", "商品数量(件)", "确认收货时间", "售后状态", "店铺优惠折扣(元)",
         "平台优惠折扣(元)", "邮费(元)", "拼单成功时间"),
        {"订单号": "order_id", "支付时间": "pay_time", "订单成交时间": "pay_time",
         "订单创建时间": "order_time", "商品": "item_title", "商品数量(件)": "quantity",
         "用户实付金额(元)": "paid_amount", "商家实收金额(元)": "paid_amount",
         "订单状态": "status", "发货时间": "ship_time", "签收时间": "signed_time",
         "确认收货时间": "signed_time", "商品id": "item_id", "收货人": "buyer_name",
         "手机": "phone", "收货人手机号": "phone", "省": "province", "市": "city",
         "详细地址": "address", "收货地址": "address", "退款金额(元)": "refund_amount",
         "店铺名称": "shop", "用户昵称": "customer_id", "买家昵称": "customer_id"},
        min_hits=3,
        source="export_headers.json pinduoduo_order_export (index ids 57466908274, "
               "40273517976); the older layout with buyer columns, index id 33117843410",
    ),
    # 快手小店 订单导出: one SKU per order; amounts as ¥1,299.90, empty cells as - or --.
    Profile(
        "kuaishou_orders", "kuaishou", "orders",
        ("订单号", "订单创建时间", "订单支付时间", "实付款", "成交数量", "商品名称", "商品ID",
         "商品单价", "收货人姓名", "收货人电话", "收货地址-省", "售后状态", "CPS达人ID",
         "快递单号"),
        {"订单号": "order_id", "订单创建时间": "order_time", "订单支付时间": "pay_time",
         "实付款": "paid_amount", "成交数量": "quantity", "商品名称": "item_title",
         "商品ID": "item_id", "商品单价": "unit_price", "订单状态": "status",
         "发货时间": "ship_time", "签收时间": "signed_time", "收货人姓名": "buyer_name",
         "收货人电话": "phone", "收货地址-省": "province", "收货地址-市": "city",
         "收货地址": "address", "店铺名称": "shop"},
        requires=("订单号",), min_hits=4,
        source="快手小店 订单导出, 61 columns, index ids 55076275256, 55142619570; 64-column "
               "variant, index id 61522271937",
    ),
    # 京东 订单导出 (.xlsx, GBK .csv): one row per SKU; 应付金额 / 订单金额 are the order's own
    # and repeat on each of its rows, 京东价 and 订购数量 are the SKU's.
    Profile(
        "jd_orders", "jd", "orders",
        ("订单号", "商品ID", "商品名称", "订购数量", "下单时间", "京东价", "订单金额",
         "结算金额", "应付金额", "下单帐号", "客户姓名", "客户地址", "付款确认时间",
         "订单完成时间"),
        {"订单号": "order_id", "下单帐号": "customer_id", "下单账号": "customer_id",
         "下单时间": "order_time", "付款确认时间": "pay_time", "应付金额": "paid_amount",
         "订单金额": "paid_amount", "商品ID": "item_id", "商品名称": "item_title",
         "订购数量": "quantity", "京东价": "unit_price", "订单状态": "status",
         "签收时间": "signed_time", "订单完成时间": "signed_time", "客户姓名": "buyer_name",
         "联系电话": "phone", "客户地址": "address", "店铺名称": "shop"},
        multi_row=True, order_level=("paid_amount", "refund_amount"), min_hits=3,
        source="export_headers.json jd_order_export (index id 10927138139); column order of "
               "2016, index id 44382165176",
    ),
    # 天猫 / 淘宝 退款报表 as tickets: 完结时间 is a duration (2天13小时0分), not a time, so
    # 退款完结时间 is the resolution; the application time was renamed 退款申请时间 later.
    Profile(
        "tmall_refunds", "tmall", "tickets",
        ("退款编号", "退款单编号", "订单编号", "退款的申请时间", "退款申请时间", "退款完结时间",
         "买家退款金额", "退款状态", "客服介入状态", "买家退款原因", "是否需要退货",
         "退款总额"),
        {"退款编号": "ticket_id", "退款单编号": "ticket_id", "订单编号": "order_id",
         "买家会员名称": "customer_id", "买家会员名": "customer_id",
         "退款的申请时间": "opened_at", "退款申请时间": "opened_at",
         "退款完结时间": "resolved_at", "买家退款金额": "refund_amount",
         "退给买家金额": "refund_amount", "退款总额": "refund_amount", "退款状态": "status",
         "客服介入状态": "escalated", "是否小二介入": "escalated", "买家退款原因": "category",
         "宝贝标题": "item_title", "退款操作人": "agent", "审核操作人": "agent"},
        ticket_source="refund", requires=("订单编号",), min_hits=3,
        source="export_headers.json tmall_refund_export_天猫退款单 (index id 36727561007); "
               "newer layouts, index ids 76562422, 56014739149",
    ),
    # 京东 售后服务单: the new layout has a row of group titles above the header.
    Profile(
        "jd_after_sales", "jd", "tickets",
        ("服务单号", "订单号", "服务单状态", "售后申请时间", "售后服务单申请时间", "客户期望",
         "客户问题描述", "审核结果", "处理结果", "商家首次处理时间", "商家首次审核时间",
         "售后整体时长(H)", "售后服务单整体时长"),
        {"服务单号": "ticket_id", "下单账号": "customer_id", "下单帐号": "customer_id",
         "售后申请时间": "opened_at", "售后服务单申请时间": "opened_at",
         "商家首次处理时间": "first_response_at", "商家首次审核时间": "first_response_at",
         "服务单状态": "status", "一级申请原因": "category", "客户期望": "category",
         "处理结果": "outcome", "处理结果描述": "outcome", "处理人": "agent",
         "审核人姓名": "agent", "退款金额": "refund_amount", **_TICKET_COMMON},
        ticket_source="after_sales", requires=("服务单号",), min_hits=3,
        durations={"resolved_at": ("opened_at", "售后整体时长(H)", 3600)},
        source="京东 售后服务单, new layout index ids 56159251466, 60541588975; old layout index "
               "ids 37830438872, 38116062576",
    ),
    # Zendesk's ticket CSV export (views → export): times as spans in minutes beside them.
    Profile(
        "zendesk_tickets", "zendesk", "tickets",
        ("Summation column", "Id", "Requester", "Requester id", "Assignee", "Group",
         "Subject", "Status", "Priority", "Via", "Ticket type", "Created at", "Updated at",
         "Solved at", "First reply time in minutes", "Reopens"),
        {"Id": "ticket_id", "Requester id": "customer_id", "Requester email": "customer_id",
         "Created at": "opened_at", "Solved at": "resolved_at", "Assignee": "agent",
         "Group": "category", "Via": "channel", "Status": "status"},
        ticket_source="helpdesk", requires=("Id",), min_hits=4,
        durations={"first_response_at": ("opened_at", "First reply time in minutes", 60)},
        source="Zendesk ticket CSV, index ids 5730863729 (Ruby) and 18684687584 (Java)",
    ),
    # 网易七鱼 工单导出 (and 企业工单导出-*.xls of the same work-order model).
    Profile(
        "qiyu_tickets", "qiyu", "tickets",
        ("工单ID", "工单号", "创建时间", "受理客服", "受理人", "受理组", "工单状态", "模板类型",
         "发起人", "工单首次响应时间", "工单首次完结时间", "工单最近完结时间", "一级分类",
         "工单标题", "工单内容"),
        {"工单ID": "ticket_id", "工单号": "ticket_id", "创建时间": "opened_at",
         "工单首次响应时间": "first_response_at", "首次响应时间": "first_response_at",
         "工单最近完结时间": "resolved_at", "工单首次完结时间": "resolved_at",
         "完结时间": "resolved_at", "解决时间": "resolved_at", "受理客服": "agent",
         "受理人": "agent", "工单状态": "status", "状态": "status", "一级分类": "category",
         "工单分类": "category", "工单来源": "channel", "渠道": "channel",
         "客户ID": "customer_id", "用户ID": "customer_id", "客户-外部": "customer_id",
         **_TICKET_COMMON},
        ticket_source="helpdesk", min_hits=3,
        source="七鱼 工单 API status words and 受理人 / 客户- columns, index id 59393470647; "
               "企业工单导出 (NeakHuang/Data_Handler: data_handler/ExcelObj.cs)",
    ),
    # 智齿 (Sobot) 工单导出.
    Profile(
        "sobot_tickets", "sobot", "tickets",
        ("工单编号", "工单标题", "工单分类", "工单来源", "受理技能组", "受理坐席", "受理客服",
         "客户昵称", "问题描述", "优先级", "工单状态"),
        {"工单编号": "ticket_id", "创建时间": "opened_at", "首次响应时间": "first_response_at",
         "解决时间": "resolved_at", "关闭时间": "resolved_at", "受理坐席": "agent",
         "受理客服": "agent", "工单状态": "status", "工单分类": "category",
         "工单来源": "channel", "客户ID": "customer_id", "用户ID": "customer_id",
         **_TICKET_COMMON},
        ticket_source="helpdesk", min_hits=4,
        source="智齿 工单 API fields (ccwawamiya/sobot: src/Tickets/TicketList/Response/Items.php)",
    ),
    # The US CFPB complaint database, used as a help-desk sample.
    Profile(
        "cfpb_complaints", "cfpb", "tickets",
        ("Complaint ID", "Date received", "Date sent to company", "Company response to consumer",
         "Timely response?", "Submitted via"),
        {}, ticket_source="helpdesk", min_hits=3,
        source="realdata cfpb_complaints_sample_iso.csv",
    ),
    # 京东 评价 (京麦 → 商品评价 → 导出): 打分 / 评价星级 are the stars, nicknames masked.
    Profile(
        "jd_reviews", "jd", "reviews",
        ("评价内容", "评价时间", "打分", "评价星级", "用户昵称", "买家昵称", "商品名称",
         "订单号", "商品编号", "商品ID", "追评内容", "追评时间"),
        {"打分": "rating", "评价星级": "rating", "用户昵称": "customer_id",
         "买家昵称": "customer_id", "订单号": "order_id", "商品编号": "item_id",
         "商品ID": "item_id", "商品名称": "item_title"},
        requires=("评价内容",), min_hits=4, source="京东 商品评价 export (京麦); issue 14",
    ),
    # 千牛 / 生意参谋 评价: 评价等级 is 好评 / 中评 / 差评, 解释内容 the seller's answer.
    Profile(
        "taobao_reviews", "taobao", "reviews",
        ("评价内容", "评价时间", "买家昵称", "评价等级", "评价结果", "宝贝标题", "商品标题",
         "子订单编号", "订单编号", "追评内容", "追评时间", "解释内容"),
        {"评价等级": "rating", "评价结果": "rating", "买家昵称": "customer_id",
         "子订单编号": "order_id", "订单编号": "order_id", "宝贝标题": "item_title",
         "商品标题": "item_title", "解释内容": "seller_reply"},
        requires=("评价内容",), min_hits=4,
        source="TOP API TradeRate fields (bububa/opentaobao, index id 11987132891)",
    ),
    # 抖店 评价: 商品评分 beside 物流评分 / 服务评分; the order is 订单编号 / 订单ID.
    Profile(
        "douyin_reviews", "douyin", "reviews",
        ("评价内容", "评价时间", "商品评分", "物流评分", "服务评分", "用户昵称", "商品名称",
         "订单编号", "订单ID", "商品ID"),
        {"商品评分": "rating", "用户昵称": "customer_id", "订单编号": "order_id",
         "订单ID": "order_id", "商品ID": "item_id", "商品名称": "item_title"},
        requires=("评价内容",), min_hits=4, source="抖店 评价管理; issue 14",
    ),
    # 拼多多 评价 (商家后台 → 评价管理): 描述相符 is the item's stars.
    Profile(
        "pdd_reviews", "pdd", "reviews",
        ("评价内容", "评价时间", "买家昵称", "订单编号", "评分", "描述相符", "物流服务",
         "服务态度", "商品名称", "商品ID"),
        {"描述相符": "rating", "评分": "rating", "买家昵称": "customer_id",
         "订单编号": "order_id", "商品ID": "item_id", "商品名称": "item_title"},
        requires=("评价内容",), min_hits=5,
        source="PDD back-office 评价 page labels, index id 20342399475; export_headers.json "
               "pinduoduo_review_csv_from_merchant_api",
    ),
    # CRM 会员 lists (客户运营平台 → 会员 → 导出) and 粉丝 lists: the two lower rungs.
    Profile(
        "taobao_members", "taobao", "contacts",
        ("买家昵称", "会员名", "买家会员ID", "会员等级", "入会时间", "手机号", "交易成功笔数",
         "交易成功的金额", "会员状态"),
        {"买家会员ID": "customer_id", "买家昵称": "customer_id", "会员名": "customer_id",
         "入会时间": "first_seen", "手机号": "phone"},
        contact_source="member", min_hits=3,
        source="TOP crm members fields, index id 49820154458",
    ),
)


def detect(kind: str | None, headers: list[str]) -> Profile | None:
    """The profile of ``kind`` (any kind when None) that ``headers`` fit best, else None."""
    present = {norm(h) for h in headers}
    best, best_hits = None, 0
    for profile in PROFILES:
        if kind is not None and profile.kind != kind:
            continue
        if any(norm(h) not in present for h in profile.requires):
            continue
        hits = sum(1 for h in profile.signature if norm(h) in present)
        if hits >= profile.min_hits and hits > best_hits:
            best, best_hits = profile, hits
    return best


def column_lookup(profile: Profile) -> dict[str, tuple[str, int]]:
    """{normalised header: (canonical, rank)} of a profile, in declaration order."""
    return {norm(h): (c, rank) for rank, (h, c) in enumerate(profile.columns.items())}
