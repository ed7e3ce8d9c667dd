"""关怀名单 / Care lists: tonight's calls, thank-you letters, and whether the calls help.

A call on the evening the parcel is signed for, and a letter in the parcel, invite an unhappy
customer to contact the store instead of leaving a bad review. Calls are care, not review
pressure.
"""

import streamlit as st

from analysis import care
from analysis import complaint_figures as figs
from analysis import ingest
from analysis import settings as settings_mod
from analysis.i18n import fmt_date, fmt_number, fmt_share, fmt_week
from pages._ui import care_parts as parts
from pages._ui import shell, state, widgets

EFFECT_WEEKS = 12

ctx = shell.page("viewer")
st.title(ctx.t("nav.care"))
shell.require_week(ctx, "what.signed_orders")

settings = state.query(settings_mod.get_all)
parts.settings_caption(ctx, settings, state.query(care.high_end_price, shop=ctx.shop))
section = shell.section_switch(ctx, "list", ("calls", "thanks", "effect"), "care.list")
p = ctx.period

if section == "calls":
    st.header(ctx.t("care.calls.title"))
    last_signed = state.query(care.last_signed_day, p.start, p.end, shop=ctx.shop)
    day = parts.pick_day(ctx, settings, last_signed)
    st.caption(ctx.t("care.calls.window", window=settings["care.call_window"],
                     day=fmt_date(day, ctx.lang)))
    confirmation = state.query(ingest.delivery_is_confirmation, shop=ctx.shop)
    if confirmation:
        st.warning(ctx.t("care.calls.confirmation_only", column=confirmation))
    calls = state.query(care.call_list, day, shop=ctx.shop, keep_called=True)
    if calls.empty:
        if last_signed is None:
            shell.empty_state(ctx, "what.signed_orders")
        else:
            st.info(ctx.t("care.calls.none", day=fmt_date(day, ctx.lang)))
    else:
        recorded = state.query(care.calls_on_day, day, shop=ctx.shop)
        calls = parts.with_outcomes(ctx, calls, recorded)
        st.caption(ctx.t("care.calls.summary", n=len(calls), called=int((calls["outcome"] != "").sum())))
        if not ctx.can("agent"):
            st.info(ctx.t("care.calls.masked_note"))
        parts.call_tables(ctx, calls, list(settings["care.agents"]))
        widgets.downloads(ctx, calls[parts.EXPORT_COLUMNS], f"call_list_{day.isoformat()}",
                          unmasked_for_agents=True, key="call_list")
        parts.script(ctx)
        if ctx.can("agent"):
            parts.record_form(ctx, calls, day)

elif section == "thanks":
    st.header(ctx.t("care.thanks.title"))
    st.caption(ctx.t("care.thanks.explain", at=p.as_of.strftime("%Y-%m-%d %H:%M")))
    thanks = state.query(care.thank_you_list, shop=ctx.shop, as_of=p.as_of)
    if thanks.empty:
        st.info(ctx.t("care.thanks.none"))
    else:
        c1, c2 = st.columns(2)
        c1.metric(ctx.t("care.thanks.orders"), fmt_number(len(thanks)))
        c2.metric(ctx.t("care.thanks.high_end"), fmt_number(int(thanks["high_end"].sum())))
        shown = thanks.assign(high_end=thanks["high_end"].map(
            lambda h: ctx.t("care.reason.high_end") if h else ""))
        widgets.table(ctx, shown, labels={"high_end": ctx.t("care.reason.high_end"),
                                          "paid_at": ctx.t("col.pay_time")}, height=420, key="thanks")
        widgets.downloads(ctx, thanks, f"thank_you_{ctx.week}", key="thanks")

else:
    st.header(ctx.t("care.effect.title"))
    st.info(ctx.t("care.effect.note"))
    effect = state.query(care.call_effect, shop=ctx.shop, weeks=EFFECT_WEEKS)
    if effect.empty:
        shell.empty_state(ctx, "what.signed_orders")
    else:
        widgets.chart(figs.call_effect_figure(effect, ctx.lang), key="call_effect")
        view = effect.assign(
            week=effect["week"].map(lambda w: fmt_week(w, ctx.lang)),
            called_rate=effect["called_rate"].map(fmt_share),
            not_called_rate=effect["not_called_rate"].map(fmt_share))
        widgets.table(ctx, view, labels={c: ctx.t(f"care.effect.col.{c}") for c in effect.columns
                                         if c != "week"}, key="effect")
        widgets.downloads(ctx, effect, "call_effect", key="effect")
        st.caption(ctx.t("care.effect.how", weeks=EFFECT_WEEKS))
