"""总览 / Overview: this ISO week against last, for the few numbers that matter."""

import streamlit as st

from analysis import catalog
from analysis import overview
from analysis.i18n import fmt_date, fmt_week
from analysis.overview import KPIS, format_value, what_changed
from analysis.rungs import RUNG_NAMES
from pages._ui import shell, state, widgets

# Which page explains each tile.
TILE_PAGE = {
    "ladder_customers": "customers", "upper_rungs": "customers", "new_buyers": "customers",
    "repeat_rate": "customers", "high_end_revenue_share": "customers", "reviews": "reviews",
    "negative_share": "reviews", "no_contact": "complaints", "resolution_median_h": "complaints",
    "within_sla_share": "complaints",
}

ctx = shell.page("viewer")
if not ctx.week:
    st.title(ctx.t("nav.overview"))
shell.require_week(ctx, "what.orders")

data = state.query(overview.overview, ctx.week, shop=ctx.shop)
this, last, year_ago = data["this"], data["last"], data["year_ago"]
spark = data["sparklines"]

st.title(ctx.t("overview.title", week=fmt_week(ctx.week, ctx.lang)))
st.caption(ctx.t("overview.versus", last=fmt_week(ctx.prev_week, ctx.lang)))
latest = state.query(catalog.latest_time, shop=ctx.shop)
if latest is not None and latest < ctx.period.as_of:
    st.warning(ctx.t("overview.partial_week", date=fmt_date(latest, ctx.lang)))

st.subheader(ctx.t("overview.what_changed"))
lines = what_changed(this, last, ctx.lang)
st.text("\n".join(f"• {line}" for line in lines) if lines else ctx.t("overview.nothing_changed"))

shares = {k for k, f, _ in KPIS if f == "share"}
for row_start in range(0, len(KPIS), 5):
    cols = st.columns(5)
    for col, (key, kind, rise_is_bad) in zip(cols, KPIS[row_start:row_start + 5]):
        with col.container(border=True):
            # The metric's own sparkline: ten Plotly figures cost most of a warm run.
            st.metric(ctx.t(f"overview.kpi.{key}"), format_value(key, this[key], ctx.lang),
                      delta=widgets.delta_text(this[key], last[key], share=key in shares),
                      delta_color="inverse" if rise_is_bad else "normal",
                      help=ctx.t(f"overview.help.{key}") if key in ("repeat_rate", "new_buyers") else None,
                      chart_data=[float("nan") if v is None else float(v) for v in spark[key]],
                      chart_type="line")
            if year_ago is not None:
                st.caption(ctx.t("overview.year_ago", week=data["year_ago_week"],
                                 value=format_value(key, year_ago[key], ctx.lang)))
            shell.link(ctx, TILE_PAGE[key], label=ctx.t("overview.open_page"),
                       icon=":material/arrow_forward:")
st.caption(ctx.t("overview.estimate_note"))

st.subheader(ctx.t("overview.ladder"))
cols = st.columns(6)
for rung, (col, key) in enumerate(zip(cols, RUNG_NAMES), start=1):
    col.metric(ctx.t(f"customers.rung.{rung}"), f"{this['tiers'][key]:,}",
               delta=widgets.delta_text(this["tiers"][key], last["tiers"][key]))
