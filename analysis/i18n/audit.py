"""Texts of the operators' audit page, erasure requests (PIPL) and the Parquet export."""

TEXTS = {
    "nav.audit": {"zh": "审计日志", "en": "Audit log"},
    "audit.title": {"zh": "审计日志", "en": "Audit log"},
    "audit.intro": {
        "zh": "谁在何时导出了个人信息、删除了哪位买家的数据，以及每次导入的记录。最新的在前。",
        "en": "Who exported personal data when, whose data was erased, and every import. Newest first.",
    },
    "audit.section.label": {"zh": "内容", "en": "Section"},
    "audit.section.log": {"zh": "审计日志", "en": "Audit log"},
    "audit.section.imports": {"zh": "导入记录", "en": "Imports"},
    "audit.section.erase": {"zh": "删除买家数据", "en": "Erase a buyer"},
    "audit.action_filter": {"zh": "操作类型", "en": "Action"},
    "audit.all_actions": {"zh": "全部", "en": "All"},
    "audit.action.export": {"zh": "导出", "en": "Export"},
    "audit.action.erase": {"zh": "删除个人信息", "en": "Erasure"},
    "audit.empty": {"zh": "审计日志中还没有记录。", "en": "The audit log has no entries yet."},
    "audit.no_imports": {"zh": "还没有导入过文件。", "en": "No file has been imported yet."},
    "audit.count": {"zh": "共 {n} 条", "en": "{n} entries"},
    "audit.erase.intro": {
        "zh": "应买家请求（《个人信息保护法》）删除其个人信息：姓名、电话、地址、评价与追评原文，"
              "以及导入时保留的其他列。订单、金额和情感分数保留，统计数字不变。此操作不可撤销。",
        "en": "On a buyer's request (PIPL), erase their personal data: names, phones, addresses, "
              "review and follow-up texts, and the extra columns kept at import. Orders, amounts "
              "and sentiment scores stay, so the figures do not change. This cannot be undone.",
    },
    "audit.erase.customer_id": {"zh": "客户 ID（如导出文件中所写）", "en": "Customer id (as exported)"},
    "audit.erase.shop": {"zh": "店铺", "en": "Shop"},
    "audit.erase.all_shops": {"zh": "全部店铺", "en": "All shops"},
    "audit.erase.confirm": {"zh": "我确认要永久删除这位买家的个人信息",
                            "en": "I confirm: erase this buyer's personal data for good"},
    "audit.erase.submit": {"zh": "删除", "en": "Erase"},
    "audit.erase.need_confirm": {"zh": "请先勾选确认。", "en": "Tick the confirmation first."},
    # No customer id in these messages: st.success/st.error render Markdown, and an id is
    # typed-in text.
    "audit.erase.done": {
        "zh": "已删除这位买家的个人信息：订单 {orders} 行、联系人 {contacts} 行、评价 {reviews} 行。",
        "en": "Erased the buyer's personal data: {orders} order rows, {contacts} contact rows, "
              "{reviews} review rows.",
    },
    "audit.col.at": {"zh": "时间", "en": "When"},
    "audit.col.actor": {"zh": "操作人", "en": "Who"},
    "audit.col.role": {"zh": "身份", "en": "Role"},
    "audit.col.action": {"zh": "操作", "en": "Action"},
    "audit.col.what": {"zh": "对象", "en": "What"},
    "audit.col.rows": {"zh": "行数", "en": "Rows"},
    "audit.col.detail": {"zh": "详情", "en": "Detail"},
    "audit.col.deleted_by": {"zh": "删除人", "en": "Deleted by"},
    "erase.empty_id": {"zh": "请输入客户 ID。", "en": "Enter a customer id."},
    "erase.not_found": {"zh": "找不到这个客户 ID 的任何数据（请按导出文件中的写法输入）。",
                        "en": "No data for this customer id (enter it as exported)."},
    "parquet.no_db": {"zh": "找不到数据库：{path}", "en": "No database at {path}"},
}
