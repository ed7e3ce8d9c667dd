"""Texts of complaint speed, bad-review paths and care lists."""

# The suggested evening call. Calls are care, not review pressure: the platforms penalise
# asking for good reviews, so the script never mentions reviews or ratings.
CALL_SCRIPT = {
    "zh": (
        "您好，我是{shop}的客服{agent}。看到您今天收到了{item}，打个电话问问："
        "包装和商品都完好吗？使用上有没有不清楚或不满意的地方？"
        "有任何问题直接联系我们，我们马上处理。打扰了，祝您生活愉快！\n"
        "（注意：这是关怀电话，不是求好评。平台会处罚索要好评或诱导评价的行为，"
        "请勿提及评价、星级或返现。）"
    ),
    "en": (
        "Hello, this is {agent} from {shop} customer service. We saw your {item} arrived "
        "today and wanted to check: did everything arrive in good condition? Is anything "
        "unclear or not as you expected? If there is any problem, contact us directly and we "
        "will sort it out right away. Thank you, and have a nice evening!\n"
        "(Note: this is a care call, not a request for a review. The platforms penalise "
        "asking for good reviews or steering ratings: never mention reviews, stars or rebates.)"
    ),
}

TEXTS = {
    "complaints.count": {"zh": "工单数", "en": "Tickets"},
    "complaints.open": {"zh": "未结工单", "en": "Open tickets"},
    "complaints.first_response_median_h": {"zh": "首次响应中位数", "en": "First response, median"},
    "complaints.first_response_p90_h": {"zh": "首次响应 P90", "en": "First response, P90"},
    "complaints.resolution_median_h": {"zh": "解决时长中位数", "en": "Resolution, median"},
    "complaints.resolution_p90_h": {"zh": "解决时长 P90", "en": "Resolution, P90"},
    "complaints.within_sla_share": {"zh": "{sla_h} 小时内解决占比", "en": "Resolved within {sla_h} h"},
    "complaints.week": {"zh": "周", "en": "Week"},
    "complaints.hours": {"zh": "小时", "en": "Hours"},
    "complaints.speed_by_week.title": {"zh": "每周响应与解决时长（中位数 / P90）", "en": "Response and resolution time per week (median / P90)"},
    "complaints.backlog.title": {"zh": "未结工单账龄", "en": "Open tickets by age"},
    "complaints.backlog.lt_24h": {"zh": "< 24 小时", "en": "< 24 h"},
    "complaints.backlog.1_3d": {"zh": "1–3 天", "en": "1–3 d"},
    "complaints.backlog.3_7d": {"zh": "3–7 天", "en": "3–7 d"},
    "complaints.backlog.gt_7d": {"zh": "> 7 天", "en": "> 7 d"},
    "complaints.tickets": {"zh": "工单", "en": "Tickets"},
    "complaints.escalation_rate": {"zh": "小二介入率", "en": "Escalation rate (platform stepped in)"},
    "complaints.reopen_rate": {"zh": "重开率", "en": "Reopen rate"},
    "complaints.refund_rate": {"zh": "退款订单占比", "en": "Refunded orders share"},
    "complaints.refund_amount_share": {"zh": "退款金额占比", "en": "Refunded amount share"},
    "complaints.bad_by": {"zh": "无法按“{by}”分组", "en": "Cannot group by “{by}”"},
    "paths.contacted_solved": {"zh": "联系客服 → 已解决", "en": "Contacted → solved"},
    "paths.contacted_unsolved": {"zh": "联系客服 → 未解决", "en": "Contacted → not solved"},
    "paths.no_contact": {"zh": "未联系客服", "en": "No contact"},
    "paths.funnel.title": {"zh": "差评来路（每周）", "en": "Bad-review paths per week"},
    "paths.no_contact_share.title": {"zh": "未联系就差评的占比", "en": "Share of bad reviews with no prior contact"},
    "paths.negative_reviews": {"zh": "差评数", "en": "Negative reviews"},
    "paths.reply_rate": {"zh": "差评回复率", "en": "Reply rate on bad reviews"},
    "paths.reply_median_h": {"zh": "差评回复时长中位数", "en": "Median time to reply to bad reviews"},
    "care.reason.high_end": {"zh": "高端客户", "en": "High-end"},
    "care.reason.buyer": {"zh": "购买者", "en": "Buyer"},
    "care.reason.customer": {"zh": "顾客", "en": "Customer"},
    "care.reason.supporter": {"zh": "支持者", "en": "Supporter"},
    "care.reason.advocate": {"zh": "拥戴者", "en": "Advocate"},
    "care.outcome.reached": {"zh": "已接通", "en": "Reached"},
    "care.outcome.no_answer": {"zh": "未接通", "en": "No answer"},
    "care.outcome.problem_found": {"zh": "发现问题（转工单）", "en": "Problem found (ticket opened)"},
    "care.overflow": {"zh": "超出今晚人手的名单", "en": "More calls than agents tonight"},
    "care.bad_outcome": {"zh": "通话结果“{outcome}”无效，可选：{allowed}", "en": "Call outcome “{outcome}” is not valid; choose one of: {allowed}"},
    "care.no_agent": {"zh": "请填写拨打电话的客服", "en": "Please enter the agent who made the call"},
    "care.effect.title": {"zh": "回访与未回访客户的“未联系差评”率", "en": "No-contact bad-review rate: called vs not called"},
    "care.effect.called": {"zh": "已回访", "en": "Called"},
    "care.effect.not_called": {"zh": "未回访", "en": "Not called"},
    "care.effect.rate": {"zh": "未联系差评率", "en": "No-contact bad-review rate"},
    "care.effect.note": {
        "zh": "回访对象是挑选出来的（高端 / 高层级客户），差距仅供参考，不是对照实验。",
        "en": "Called customers were chosen (high-end / upper rungs): read the gap as a hint, not a controlled trial.",
    },
}
