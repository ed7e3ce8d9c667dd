"""客户分层 / Customers: the six-rung ladder, movement, high-end customers and RFM segments."""

import streamlit as st

from analysis import customer_figures as figs
from analysis import highend
from analysis import ladder
from analysis import rfm
from analysis import settings
from analysis.i18n import fmt_number, fmt_share
from pages._ui import shell, state, widgets

ctx = shell.page("viewer")
st.title(ctx.t("nav.customers"))
shell.require_week(ctx, "what.orders")

as_of = ctx.period.as_of
conf = state.query(settings.get_all)
st.caption(ctx.t("customers.settings_used", buys=conf["ladder.supporter_min_purchases"],
                 days=conf["ladder.supporter_window_days"], neg=conf["ladder.negative_window_days"],
                 pos=conf["ladder.advocate_min_positive_reviews"],
                 items=conf["ladder.advocate_min_distinct_items"]))
shell.link(ctx, "settings")

SECTIONS = ("ladder", "movement", "high_end", "rfm")
section = shell.section_switch(ctx, "view", SECTIONS, "customers.section")

if section == "ladder":
    # This week's and last week's rung counts are the trend's last two points: one query.
    trend = state.query(ladder.ladder_trend, weeks=26, end_week=ctx.week, shop=ctx.shop)
    counts = ladder.counts_in_week(trend, ctx.week)
    before = ladder.counts_in_week(trend, ctx.prev_week)
    cols = st.columns(6)
    for rung, (col, key) in enumerate(zip(cols, counts), start=1):
        with col:
            widgets.metric(ctx.t(f"customers.rung.{rung}"), counts[key], previous=before[key])
    widgets.chart(figs.ladder_bar(counts, ctx.lang), key="ladder_bar")
    no_id = state.query(ladder.orders_without_customer, as_of, shop=ctx.shop)
    if no_id:
        st.caption(ctx.t("customers.no_id_orders", count=f"{no_id:,}"))
    st.subheader(ctx.t("customers.title.trend", weeks=26))
    widgets.chart(figs.ladder_trend_lines(trend, ctx.lang), key="ladder_trend")
    rung = st.selectbox(ctx.t("customers.pick_rung"), [6, 5, 4, 3, 2, 1], key="pick_rung",
                        format_func=lambda r: ctx.t(f"customers.rung.{r}"))
    people = state.query(ladder.customers_in_rung, as_of, rung, shop=ctx.shop)
    widgets.table(ctx, people, height=300)
    widgets.downloads(ctx, people, f"customers_rung{rung}_{ctx.week}", key="rung_list")

elif section == "movement":
    moves = state.query(ladder.movement, ctx.week, shop=ctx.shop)
    st.subheader(ctx.t("customers.title.movement"))
    up = int(moves.loc[moves["direction"] == "up", "customers"].sum())
    down = int(moves.loc[moves["direction"] == "down", "customers"].sum())
    new = int(moves.loc[moves["direction"] == "new", "customers"].sum())
    c1, c2, c3 = st.columns(3)
    c1.metric(ctx.t("customers.direction.up"), f"{up:,}")
    c2.metric(ctx.t("customers.direction.down"), f"{down:,}")
    c3.metric(ctx.t("customers.direction.new"), f"{new:,}")
    widgets.chart(figs.movement_heatmap(moves, ctx.lang), key="movement")
    changed = moves[moves["direction"] != "same"]
    if not changed.empty:
        pairs = list(zip(changed["from_rung"], changed["to_rung"]))
        pick = st.selectbox(ctx.t("customers.pick_movement"), pairs, key="pick_move",
                            format_func=lambda p: f"{ctx.t(f'customers.rung.{p[0]}')} → "
                                                  f"{ctx.t(f'customers.rung.{p[1]}')}")
        people = state.query(ladder.movement_list, ctx.week, int(pick[0]), int(pick[1]),
                             shop=ctx.shop)
        widgets.table(ctx, people, height=300)
        widgets.downloads(ctx, people, f"movement_{ctx.week}", key="move_list")

elif section == "high_end":
    threshold = state.query(highend.high_end_threshold, shop=ctx.shop)
    st.caption(ctx.t("customers.high_end.threshold", amount=fmt_number(threshold, ctx.lang, 2)))
    comp = state.query(highend.compare_high_end, ctx.period.start, ctx.period.end,
                       as_of, shop=ctx.shop)
    shown = comp.copy()
    shown["group"] = [ctx.t(f"customers.group.{g}") for g in shown["group"]]
    for c in ("revenue_share", "repeat_rate", "negative_review_rate"):
        shown[c] = [fmt_share(v, ctx.lang) for v in shown[c]]
    for c, digits in (("average_order_value", 2), ("mean_sentiment", 2), ("median_resolution_hours", 1),
                      ("customers", 0)):
        shown[c] = [fmt_number(v, ctx.lang, digits) for v in shown[c]]
    widgets.table(ctx, shown)

else:
    report = state.query(rfm.rfm_report, as_of, shop=ctx.shop)
    scores, gate = report["scores"], report["gate"]
    if gate:
        st.info(ctx.t(gate["key"], **gate["params"]))
    else:
        widgets.chart(figs.rfm_grid(report["grid"], ctx.lang), key="rfm_grid")
        summary = report["summary"]
        summary["segment"] = [ctx.t(f"rfm.segment.{s}") for s in summary["segment"]]
        widgets.table(ctx, summary)
        widgets.downloads(ctx, scores, f"rfm_{ctx.week}", key="rfm")
