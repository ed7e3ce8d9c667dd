"""Texts of the weekly overview."""

TEXTS = {
    "overview.title": {"zh": "总览 · {week}", "en": "Overview · {week}"},
    "overview.versus": {"zh": "与上周（{last}）相比", "en": "Compared with last week ({last})"},
    "overview.partial_week": {
        "zh": "本周还没有结束：数据截至 {date}。与整周的上周相比，数量类指标会偏低，未结案工单按周日结束时计算。",
        "en": "This week is not over: the data runs to {date}. Against last week's full week, counts "
              "read low, and open tickets are judged as of the end of Sunday.",
    },
    "overview.what_changed": {"zh": "本周变化", "en": "What changed"},
    "overview.nothing_changed": {"zh": "与上周相比没有明显变化。", "en": "No notable change from last week."},
    "overview.change.up": {"zh": "{what}上升到 {now}（上周 {before}）。", "en": "{what} rose to {now} (last week {before})."},
    "overview.change.down": {"zh": "{what}下降到 {now}（上周 {before}）。", "en": "{what} fell to {now} (last week {before})."},
    "overview.change.ladder": {"zh": "本周 {up} 位客户升级，{down} 位客户降级。",
                               "en": "{up} customers moved up a rung this week and {down} moved down."},
    "overview.year_ago": {"zh": "去年同周（{week}）：{value}", "en": "Same week last year ({week}): {value}"},
    "overview.open_page": {"zh": "查看详情", "en": "Details"},
    "overview.ladder": {"zh": "客户阶梯（本周末）", "en": "Customer ladder (end of week)"},
    "overview.estimate_note": {"zh": "负面占比为情感模型的估计值。", "en": "Negative share is an estimate from the sentiment model."},
    "overview.kpi.ladder_customers": {"zh": "阶梯上的客户", "en": "Customers on the ladder"},
    "overview.kpi.upper_rungs": {"zh": "支持者 + 拥戴者", "en": "Supporters + advocates"},
    "overview.kpi.new_buyers": {"zh": "新购买者", "en": "New buyers"},
    "overview.kpi.repeat_rate": {"zh": "复购率", "en": "Repeat rate"},
    "overview.kpi.high_end_revenue_share": {"zh": "高端客户收入占比", "en": "High-end revenue share"},
    "overview.kpi.reviews": {"zh": "评价数", "en": "Reviews"},
    "overview.kpi.negative_share": {"zh": "负面评价占比（估计）", "en": "Negative share (estimate)"},
    "overview.kpi.no_contact": {"zh": "未联系客服的差评", "en": "Bad reviews with no prior contact"},
    "overview.kpi.resolution_median_h": {"zh": "投诉解决时长中位数", "en": "Median resolution time"},
    "overview.kpi.within_sla_share": {"zh": "时限内解决占比", "en": "Resolved within SLA"},
    "overview.help.repeat_rate": {"zh": "本周下单客户中，之前买过或本周买了两次及以上的比例。",
                                  "en": "Of this week's buying customers, the share who had bought before or bought twice this week."},
    "overview.help.new_buyers": {"zh": "本周第一次购买的客户数。", "en": "Customers whose first purchase ever was this week."},
}
