"""Texts of the customers page (the analysis layer's own texts are in customers.py)."""

TEXTS = {
    "customers.section.label": {"zh": "查看", "en": "View"},
    "customers.section.ladder": {"zh": "客户阶梯", "en": "Ladder"},
    "customers.section.movement": {"zh": "层级变动", "en": "Movement"},
    "customers.section.high_end": {"zh": "高端客户", "en": "High-end customers"},
    "customers.section.rfm": {"zh": "RFM 价值分群", "en": "RFM segments"},
    "customers.pick_rung": {"zh": "查看某一层级的客户", "en": "Customers on a rung"},
    "customers.pick_movement": {"zh": "查看某一变动的客户", "en": "Customers behind a movement"},
    "customers.settings_used": {
        "zh": "规则：支持者 = {days} 天内至少 {buys} 次购买且 {neg} 天内无差评；拥戴者 = 支持者 + 至少 {pos} 条明确好评 + 至少 {items} 种商品。",
        "en": "Rules: supporter = at least {buys} purchases in {days} days and no negative review in {neg} days; "
              "advocate = supporter + at least {pos} clearly positive reviews + at least {items} distinct items.",
    },
}
