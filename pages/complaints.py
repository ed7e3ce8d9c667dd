"""投诉处理 / Complaints: complaint speed, backlog, refunds and the paths to a bad review."""

import datetime as dt

import streamlit as st

from analysis import bad_reviews
from analysis import complaint_figures as figs
from analysis import complaints
from analysis import settings as settings_mod
from analysis.i18n import fmt_hours, fmt_number, fmt_share, fmt_week
from analysis.periods import parse_week
from pages._ui import complaint_parts as parts
from pages._ui import shell, state, widgets

TREND_WEEKS = 12
GROUPS = ("channel", "category", "agent")

ctx = shell.page("viewer")
st.title(ctx.t("nav.complaints"))
shell.require_week(ctx, "what.tickets")

settings = state.query(settings_mod.get_all)
p, prev = ctx.period, parse_week(ctx.prev_week)
trend_start = p.end - dt.timedelta(weeks=TREND_WEEKS)
shop = ctx.shop
st.caption(ctx.t("complaints.week_caption", week=fmt_week(ctx.week, ctx.lang),
                 last=fmt_week(ctx.prev_week, ctx.lang)))
parts.thresholds(ctx, settings)

# --- Complaint speed -------------------------------------------------------------------
st.header(ctx.t("complaints.section.speed"))
refunds = state.query(complaints.refund_rate, trend_start, p.end, shop=shop)
backlog_at = state.query(complaints.backlog_instant, p.as_of, shop=shop)
backlog = state.query(complaints.backlog_by_age, backlog_at, shop=shop)
has_tickets = backlog["tickets"].notna().all()
if not has_tickets:
    shell.empty_state(ctx, "what.tickets")
else:
    now = state.query(complaints.complaints_summary, p.start, p.end, p.as_of, shop=shop)
    before = state.query(complaints.complaints_summary, prev.start, prev.end, prev.as_of,
                         shop=shop)
    esc = state.query(complaints.escalation_reopen, p.start, p.end, shop=shop)
    esc_prev = state.query(complaints.escalation_reopen, prev.start, prev.end, shop=shop)
    by_week = refunds.set_index("week")["refund_rate"]
    esc["refund_rate"] = by_week.get(ctx.week)
    esc_prev["refund_rate"] = by_week.get(ctx.prev_week)
    parts.headline(ctx, now, before, esc, esc_prev)

    weekly = state.query(complaints.speed_by, trend_start, p.end, p.as_of, "week", shop=shop)
    widgets.chart(figs.speed_by_week_figure(weekly, ctx.lang), key="speed_by_week")

    st.subheader(ctx.t("complaints.by_heading", week=fmt_week(ctx.week, ctx.lang)))
    by = shell.section_switch(ctx, "by", GROUPS, "complaints.by")
    # Every grouping from one scan, so switching between them is instant.
    grouped = state.query(complaints.speed_by_each, p.start, p.end, p.as_of, GROUPS,
                          shop=shop)[by]
    if grouped.empty:
        st.info(ctx.t("complaints.no_tickets_this_week"))
    else:
        widgets.chart(figs.speed_by_group_figure(grouped, by, ctx.lang), key=f"speed_by_{by}")
        parts.speed_table(ctx, grouped, by)

    st.subheader(ctx.t("complaints.backlog.title"))
    st.caption(ctx.t("complaints.backlog.as_of", at=backlog_at.strftime("%Y-%m-%d %H:%M")))
    parts.backlog_metrics(ctx, backlog)
    widgets.chart(figs.backlog_figure(backlog, ctx.lang), key="backlog")

# --- Refunds ---------------------------------------------------------------------------
st.header(ctx.t("complaints.section.refunds"))
if refunds.empty:
    shell.empty_state(ctx, "what.orders")
else:
    widgets.chart(figs.refund_rate_figure(refunds, ctx.lang), key="refund_rate")
    items = state.query(complaints.refund_rate, p.start, p.end, shop=shop, by="item")
    items = items[items["refunded_orders"] > 0]
    if not items.empty:
        st.caption(ctx.t("complaints.refund.items", week=fmt_week(ctx.week, ctx.lang)))
        parts.refund_items_table(ctx, items)
        widgets.downloads(ctx, items, f"refunds_{ctx.week}", key="refund_items")

# --- Bad-review paths ------------------------------------------------------------------
st.header(ctx.t("paths.section"))
st.caption(ctx.t("paths.explain", window=settings["complaints.path_window_days"]))
paths = state.query(bad_reviews.paths_by_week, trend_start, p.end, shop=shop)
if paths.empty:
    st.info(ctx.t("paths.none_in_weeks", n=TREND_WEEKS))
else:
    this = paths.set_index("week").reindex([ctx.week, ctx.prev_week])
    cols = st.columns(4)
    cols[0].metric(ctx.t("paths.negative_reviews"), fmt_number(this["negative"].iloc[0]),
                   delta=widgets.delta_text(this["negative"].iloc[0], this["negative"].iloc[1]),
                   delta_color="inverse")
    cols[1].metric(ctx.t("paths.no_contact"), fmt_number(this["no_contact"].iloc[0]),
                   delta=widgets.delta_text(this["no_contact"].iloc[0], this["no_contact"].iloc[1]),
                   delta_color="inverse")
    cols[2].metric(ctx.t("paths.no_contact_share"), fmt_share(this["no_contact_share"].iloc[0]))
    reply = state.query(bad_reviews.seller_reply_stats, p.start, p.end, shop=shop)
    cols[3].metric(ctx.t("paths.reply_rate"), fmt_share(reply["reply_rate"]),
                   help=ctx.t("paths.reply_median", median=fmt_hours(reply["reply_median_h"], ctx.lang)))
    st.caption(ctx.t("paths.reply_line", rate=fmt_share(reply["reply_rate"]),
                     replied=fmt_number(reply["replied"]), negative=fmt_number(reply["negative"]),
                     median=fmt_hours(reply["reply_median_h"], ctx.lang)))
    c1, c2 = st.columns(2)
    with c1:
        widgets.chart(figs.path_funnel_figure(paths, ctx.lang), key="path_funnel")
    with c2:
        widgets.chart(figs.no_contact_share_figure(paths, ctx.lang), key="no_contact_share")

st.subheader(ctx.t("paths.list_title", week=fmt_week(ctx.week, ctx.lang)))
no_contact = state.query(bad_reviews.no_contact_reviews, p.start, p.end, shop=shop)
if no_contact.empty:
    st.info(ctx.t("paths.list_empty"))
else:
    shown = parts.no_contact_table(ctx, no_contact)
    widgets.downloads(ctx, shown, f"no_contact_bad_reviews_{ctx.week}", key="no_contact")
