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

    # Complaints page.
    "complaints.week_caption": {"zh": "{week}，与上周（{last}）相比", "en": "{week}, compared with last week ({last})"},
    "complaints.thresholds": {
        "zh": "口径：解决时限（SLA）{sla} 小时 · 差评来路回看 {window} 天 · 差评：1–2 星，无星级时情感分 < {neg} · {hours}",
        "en": "Thresholds: resolution SLA {sla} h · bad-review path window {window} days · bad review: 1–2 stars, or sentiment < {neg} when unrated · {hours}",
    },
    "complaints.bh.on": {"zh": "按工作时间计时（{start}–{end}）", "en": "business hours on ({start}–{end})"},
    "complaints.bh.off": {"zh": "按自然时间计时（未启用工作时间）", "en": "business hours off (clock time)"},
    "complaints.in_hours": {"zh": "（小时）", "en": " (h)"},
    "complaints.headline_note": {
        "zh": "工单数与时长按本周创建的工单计算；未结工单为本周日结束时仍未解决的全部工单。“—”表示没有数据（例如来源没有首次响应时间）。",
        "en": "Counts and times cover tickets opened this week; open tickets are all tickets still unresolved at the end of Sunday. “—” means no data (e.g. the source has no first-response time).",
    },
    "complaints.section.speed": {"zh": "处理速度", "en": "Complaint speed"},
    "complaints.section.refunds": {"zh": "退款", "en": "Refunds"},
    "complaints.by.label": {"zh": "按维度查看", "en": "Break down by"},
    "complaints.by.channel": {"zh": "渠道", "en": "Channel"},
    "complaints.by.category": {"zh": "问题类型", "en": "Category"},
    "complaints.by.agent": {"zh": "客服", "en": "Agent"},
    "complaints.by_heading": {"zh": "{week}的处理速度明细", "en": "Speed in {week}, broken down"},
    "complaints.by_title.channel": {"zh": "各渠道响应与解决时长中位数", "en": "Median response and resolution time by channel"},
    "complaints.by_title.category": {"zh": "各问题类型响应与解决时长中位数", "en": "Median response and resolution time by category"},
    "complaints.by_title.agent": {"zh": "各客服响应与解决时长中位数", "en": "Median response and resolution time by agent"},
    "complaints.no_tickets_this_week": {"zh": "本周没有新建工单。", "en": "No tickets were opened this week."},
    "complaints.backlog.as_of": {"zh": "截至 {at}", "en": "As of {at}"},
    "complaints.answered": {"zh": "已响应", "en": "Answered"},
    "complaints.resolved": {"zh": "已解决", "en": "Resolved"},
    "complaints.within_sla_short": {"zh": "时限内解决占比", "en": "Within SLA"},
    "complaints.refund.title": {"zh": "每周退款率（按付款周）", "en": "Refund rate per week (week paid)"},
    "complaints.refund.items": {"zh": "{week}付款订单中有退款的商品", "en": "Items with refunds among orders paid in {week}"},
    "complaints.refund.col.paid_orders": {"zh": "付款订单", "en": "Paid orders"},
    "complaints.refund.col.refunded_orders": {"zh": "退款订单", "en": "Refunded orders"},
    "complaints.refund.col.paid_amount": {"zh": "付款金额", "en": "Paid amount"},
    "complaints.refund.col.refund_amount": {"zh": "退款金额", "en": "Refunded amount"},
    "paths.section": {"zh": "差评来路", "en": "Bad-review paths"},
    "paths.explain": {
        "zh": "每条差评按评价前 {window} 天内同一订单或同一客户的工单分为三类：联系客服并已解决、联系客服但未解决、从未联系客服。最后一类最危险：店铺根本没有机会处理。",
        "en": "Each bad review is classified by the tickets of the same order or customer in the {window} days before it: contacted and solved, contacted and not solved, or never contacted. The last is the dangerous path: the store never had a chance.",
    },
    "paths.none_in_weeks": {"zh": "最近 {n} 周没有差评。", "en": "No bad reviews in the last {n} weeks."},
    "paths.no_contact_share": {"zh": "未联系就差评占比", "en": "No-contact share"},
    "paths.reply_median": {"zh": "回复时长中位数：{median}", "en": "Median time to reply: {median}"},
    "paths.reply_line": {
        "zh": "本周差评商家回复率 {rate}（{replied} / {negative}），回复时长中位数 {median}。",
        "en": "Seller replied to {rate} of this week's bad reviews ({replied} / {negative}); median time to reply {median}.",
    },
    "paths.list_title": {"zh": "{week}未联系客服就给出的差评", "en": "Bad reviews with no prior contact, {week}"},
    "paths.list_empty": {"zh": "本周没有未联系客服的差评。", "en": "No bad reviews without prior contact this week."},
    # Care page.
    "care.list.label": {"zh": "名单", "en": "List"},
    "care.list.calls": {"zh": "今晚回访名单", "en": "Tonight's calls"},
    "care.list.thanks": {"zh": "感谢信名单", "en": "Thank-you letters"},
    "care.list.effect": {"zh": "回访效果", "en": "Call effect"},
    "care.settings.line": {
        "zh": "设置：{n} 位客服（{agents}），每人每晚 {per} 通 · 回访时段 {window} · {recent} 天内回访过的客户不再拨打 · 层级 ≥ {rung} · {high_end}",
        "en": "Settings: {n} agents ({agents}), {per} calls each per evening · call window {window} · customers called in the last {recent} days are skipped · rung ≥ {rung} · {high_end}",
    },
    "care.settings.high_end_on": {"zh": "含高端客户（单价 ≥ {price}）", "en": "high-end customers included (unit price ≥ {price})"},
    "care.settings.high_end_off": {"zh": "不单独纳入高端客户", "en": "high-end customers not included on their own"},
    "care.calls.title": {"zh": "今晚回访名单", "en": "Tonight's call list"},
    "care.calls.day": {"zh": "签收日期", "en": "Signed-for day"},
    "care.calls.window": {
        "zh": "{day}签收的高端或高层级客户，请在 {window} 之间致电。已排除有未结工单、勿扰名单和近期回访过的客户。",
        "en": "High-end or upper-rung customers whose parcel was signed for on {day}: call between {window}. Customers with an open ticket, on the do-not-call list or called recently are left out.",
    },
    "care.calls.none": {"zh": "{day}没有需要回访的签收订单。", "en": "No signed parcels to call about on {day}."},
    "care.calls.summary": {"zh": "共 {n} 位客户，已记录 {called} 通。", "en": "{n} customers; {called} calls recorded."},
    "care.calls.masked_note": {
        "zh": "查看者只能看到打码后的姓名和手机；客服和运营登录后可见完整号码。",
        "en": "Viewers see masked names and phones; agents and operators see full numbers.",
    },
    "care.calls.agent_list": {"zh": "{agent}：{n} 通", "en": "{agent}: {n} calls"},
    "care.calls.overflow_note": {
        "zh": "今晚人手不够拨打的客户（按优先级排序），可增加客服或每人通数。",
        "en": "Customers the agents on duty cannot reach tonight (in priority order): add agents or calls per agent.",
    },
    "care.script.title": {"zh": "关怀话术", "en": "Care script"},
    "care.script.shop": {"zh": "（店铺名）", "en": "(shop)"},
    "care.script.agent": {"zh": "（您的名字）", "en": "(your name)"},
    "care.script.item": {"zh": "（商品）", "en": "(item)"},
    "care.col.seq": {"zh": "序号", "en": "#"},
    "care.col.outcome": {"zh": "通话结果", "en": "Call outcome"},
    "care.record.title": {"zh": "记录通话结果", "en": "Record a call"},
    "care.record.order": {"zh": "订单", "en": "Order"},
    "care.record.outcome": {"zh": "结果", "en": "Outcome"},
    "care.record.note": {"zh": "备注（可选）", "en": "Note (optional)"},
    "care.record.save": {"zh": "保存", "en": "Save"},
    "care.record.saved": {"zh": "已记录订单 {order}：{outcome}。", "en": "Recorded order {order}: {outcome}."},
    "care.record.saved_ticket": {
        "zh": "已记录订单 {order}：{outcome}，已创建工单 {ticket}。",
        "en": "Recorded order {order}: {outcome}; ticket {ticket} opened.",
    },
    "care.thanks.title": {"zh": "感谢信名单", "en": "Thank-you-letter list"},
    "care.thanks.explain": {
        "zh": "截至 {at} 已付款、尚未发货的订单，高端客户在前：随包裹放入感谢信，邀请客户有问题先联系客服。",
        "en": "Orders paid and not yet shipped as of {at}, high-end customers first: put a thank-you letter in the parcel inviting the customer to contact us first if anything is wrong.",
    },
    "care.thanks.none": {"zh": "没有已付款未发货的订单。", "en": "No orders are paid and waiting to ship."},
    "care.thanks.orders": {"zh": "待发货订单", "en": "Orders waiting to ship"},
    "care.thanks.high_end": {"zh": "其中高端客户", "en": "of which high-end customers"},
    "care.effect.how": {
        "zh": "按签收周统计最近 {weeks} 周（截至数据中最后一次签收）：回访 = 该订单有通话记录；未联系差评 = 该订单之后出现未联系客服的差评。",
        "en": "Per ISO week signed, the last {weeks} weeks up to the latest signing in the data: called = a call was recorded for the order; no-contact bad review = the order later got a bad review with no prior contact.",
    },
    "care.effect.col.called_orders": {"zh": "回访订单", "en": "Called orders"},
    "care.effect.col.called_no_contact_bad": {"zh": "回访后未联系差评", "en": "Called: no-contact bad reviews"},
    "care.effect.col.called_rate": {"zh": "回访组差评率", "en": "Called: rate"},
    "care.effect.col.not_called_orders": {"zh": "未回访订单", "en": "Not-called orders"},
    "care.effect.col.not_called_no_contact_bad": {"zh": "未回访未联系差评", "en": "Not called: no-contact bad reviews"},
    "care.effect.col.not_called_rate": {"zh": "未回访组差评率", "en": "Not called: rate"},
}
