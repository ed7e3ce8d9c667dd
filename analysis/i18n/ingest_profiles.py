"""Texts of the importer's platform profiles, shops, buyers and re-imports."""

TEXTS = {
    "upload.shop_auto": {"zh": "自动（文件的店铺列，或订单所属店铺）", "en": "Automatic (the file's shop column, or its orders' shop)"},
    "upload.shop_help": {
        "zh": "留空时：文件有店铺列就用它；没有时用这些订单在库里的店铺；库里只有一个店铺就用它。填写后以填写的为准。",
        "en": "Left empty: the file's shop column; without one, the shop of its orders in the store; else the store's only shop. "
              "A name typed here always wins.",
    },
    "upload.required_mark": {"zh": "带 * 的是必需的列（至少一个）。", "en": "Columns marked * are required (at least one of them)."},
    "upload.checklist": {"zh": "这个文件能提供哪些分析", "en": "What this file gives each page"},
    "upload.checklist.missing": {"zh": "（缺少：{columns}）", "en": " (missing: {columns})"},
    "upload.need.sales": {"zh": "销售额与订单数：需要实付金额和下单/付款时间", "en": "Sales: needs paid amount and order or pay time"},
    "upload.need.ladder": {"zh": "客户分层：需要买家 ID（买家会员名 / 下单帐号）", "en": "Customer ladder: needs a buyer id"},
    "upload.need.high_end": {"zh": "高端客户：需要单价或实付金额", "en": "High-end customers: needs unit price or paid amount"},
    "upload.need.call_list": {"zh": "今晚回访名单：需要签收时间、买家 ID 和手机", "en": "Tonight's call list: needs signed-for time, buyer id and phone"},
    "upload.need.thank_you": {"zh": "感谢信名单：需要付款时间和发货时间", "en": "Thank-you letters: needs pay time and ship time"},
    "upload.need.sentiment": {"zh": "评价情感：需要评价内容", "en": "Review sentiment: needs the review text"},
    "upload.need.stars_check": {"zh": "星级与文字不符的检查、店铺模型：需要星级", "en": "Stars-vs-text checks and the store model: need a rating"},
    "upload.need.reviewer": {"zh": "支持者 / 拥戴者：需要评价人 ID 或订单号", "en": "Supporters / advocates: need the reviewer id or the order id"},
    "upload.need.review_weeks": {"zh": "每周评价趋势：需要评价时间", "en": "Weekly review trend: needs the review time"},
    "upload.need.complaint_speed": {"zh": "投诉解决速度：需要创建时间和解决时间（或状态）", "en": "Complaint speed: needs opened time and resolved time (or status)"},
    "upload.need.first_response": {"zh": "首次响应时长：需要首次响应时间", "en": "First response: needs the first-response time"},
    "upload.need.review_paths": {"zh": "差评路径（差评前是否联系过客服）：需要买家 ID 或订单号", "en": "Bad-review paths: need the buyer id or the order id"},
    "upload.need.lower_rungs": {"zh": "潜在消费者 / 尚未建立关系的消费者：需要会员 ID", "en": "The two lower rungs: need a member id"},
    "upload.warn.no_buyer": {
        "zh": "文件没有买家 ID 列：可以导入，但这些行不进入客户分层和回访名单。",
        "en": "The file has no buyer id column: it imports, but its rows stay out of the ladder and the call list.",
    },
    "upload.warn.no_rating": {
        "zh": "文件没有星级列：无法检查星级与文字是否一致，也无法训练店铺情感模型。",
        "en": "The file has no rating column: stars-vs-text checks and the store sentiment model need one.",
    },
    "upload.warn.not_chinese": {
        "zh": "“{column}”里的评价大多不是中文：这些评价不会被打情感分（只计数）。",
        "en": "Most reviews in “{column}” are not Chinese: they are counted but not scored.",
    },
    "upload.warn.signed_is_confirmation": {
        "zh": "签收时间取自“{column}”（买家确认收货，通常晚于签收）：今晚回访名单会偏晚。",
        "en": "The signed-for time comes from “{column}” (the buyer's confirmation, often days after delivery): the call list will be late.",
    },
    "db.not_a_database": {
        "zh": "{path} 不是本程序的数据库文件（DuckDB）；请用 --db 指向 .duckdb 文件，或换一个新文件名。",
        "en": "{path} is not a database file of this app (DuckDB); point --db at a .duckdb file or a new file name.",
    },
    "ingest.reason.shop_unknown": {
        "zh": "文件没有店铺列，订单也不在库里，而库里有多个店铺；已记入“默认店铺”，请在导入时选择店铺",
        "en": "the file has no shop column, its orders are not in the store and the store has several shops; "
              "kept under 默认店铺 — choose the shop when importing",
    },
    "ingest.reason.reimported_new_mapping": {
        "zh": "这个文件以前导入过，这次的列对应不同，已按新的对应重新导入（变化的行记为更新）",
        "en": "this file was imported before with another mapping; imported again with this one (changed rows are updates)",
    },
    "col.refund_amount": {"zh": "退款金额", "en": "Refund amount"},
    "col.unit_price": {"zh": "单价", "en": "Unit price"},
    "col.ship_time": {"zh": "发货时间", "en": "Shipped at"},
    "col.review_key": {"zh": "评价键", "en": "Review key"},
    "col.review_id": {"zh": "评价 ID", "en": "Review id"},
    "col.first_response_at": {"zh": "首次响应时间", "en": "First response at"},
    "col.resolved_at": {"zh": "解决时间", "en": "Resolved at"},
    "col.source": {"zh": "来源", "en": "Source"},
    "col.escalated": {"zh": "小二介入", "en": "Escalated"},
    "col.reopened": {"zh": "重开", "en": "Reopened"},
    "col.first_seen": {"zh": "首次出现时间", "en": "First seen"},
    "col.dial": {"zh": "拨打", "en": "Dial"},
    "col.dial.text": {"zh": "📞 拨打", "en": "📞 Call"},
    "col.lines": {"zh": "行号（前 5 个）", "en": "Lines (first 5)"},
    "care.calls.confirmation_only": {
        "zh": "订单文件没有签收时间，名单按“{column}”（买家确认收货，通常晚于签收几天）排出，回访会偏晚。导出时请勾选签收时间。",
        "en": "The order file has no signed-for time; the list uses “{column}” (the buyer's confirmation, often days after delivery), "
              "so calls come late. Include the signed-for time in the export.",
    },
    "upload.shop_ask": {
        "zh": "库里有多个店铺（{shops}），这个文件没有店铺列：文件里的订单在库里时归入这些订单所属的店铺，否则记入“默认店铺”。如属某个店铺，请在上方“店铺”中填写。",
        "en": "The store has several shops ({shops}) and this file has no shop column: it goes to the shop of its orders when they are "
              "in the store, else to 默认店铺. Type the shop above if the file belongs to one.",
    },
    "platform.taobao": {"zh": "淘宝/天猫", "en": "Taobao / Tmall"},
    "platform.tmall": {"zh": "天猫", "en": "Tmall"},
    "platform.jd": {"zh": "京东", "en": "JD"},
    "platform.douyin": {"zh": "抖店", "en": "Douyin (抖店)"},
    "platform.pdd": {"zh": "拼多多", "en": "Pinduoduo"},
    "platform.kuaishou": {"zh": "快手小店", "en": "Kuaishou"},
    "platform.zendesk": {"zh": "Zendesk", "en": "Zendesk"},
    "platform.qiyu": {"zh": "网易七鱼", "en": "NetEase Qiyu"},
    "platform.sobot": {"zh": "智齿", "en": "Sobot"},
    "platform.cfpb": {"zh": "CFPB 投诉库", "en": "CFPB complaints"},
    "col.default_review": {"zh": "默认好评", "en": "Default review"},
    "ingest.reason.shop_mixed": {
        "zh": "文件没有店铺列，它的订单分属几个店铺；已全部记入订单最多的那个店铺，如不对请在导入时选择店铺",
        "en": "the file has no shop column and its orders are in several shops; kept under the shop most of them are in — "
              "choose the shop when importing if that is wrong",
    },
}
