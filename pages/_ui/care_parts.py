"""Pieces of the care-lists page: the settings line, the day picker, tonight's call list per
agent, the care script and the call-outcome form."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from analysis import care
from analysis.errors import UserError
from analysis.i18n import fmt_number
from analysis.i18n.complaints import CALL_SCRIPT
from pages._ui import auth, shell, state, widgets
from pages._ui.shell import Ctx

CALL_COLUMNS = ["seq", "shop", "order_id", "buyer_name", "phone", "item_title", "signed_time",
                "reason", "outcome"]
EXPORT_COLUMNS = ["agent", "seq", "shop", "order_id", "customer_id", "buyer_name", "phone",
                  "item_title", "signed_time", "reason", "call_window", "outcome"]


def settings_caption(ctx: Ctx, s: dict, high_end_price) -> None:
    """Every setting the lists use, with where to change them."""
    agents = list(s["care.agents"])
    high_end = (ctx.t("care.settings.high_end_on", price=fmt_number(high_end_price, digits=2))
                if s["care.include_high_end"] else ctx.t("care.settings.high_end_off"))
    st.caption(ctx.t("care.settings.line", agents="、".join(agents) if ctx.lang == "zh" else ", ".join(agents),
                     n=len(agents), per=s["care.calls_per_agent"], window=s["care.call_window"],
                     recent=s["care.recent_call_days"], rung=ctx.t(f"care.reason.{s['care.min_rung']}"),
                     high_end=high_end))
    shell.link(ctx, "settings")


def _store_today(s: dict) -> dt.date:
    return dt.datetime.now(ZoneInfo(s["timezone"])).date()


def pick_day(ctx: Ctx, s: dict, last_signed: dt.date | None) -> dt.date:
    """The day whose signed parcels are called, kept in the URL under ``day``.

    Limited to the chosen week; by default today when today is in it, else the week's last
    day with a signed parcel (else its Sunday).
    """
    first, last = ctx.period.start.date(), ctx.period.as_of.date()
    today = _store_today(s)
    default = today if first <= today <= last else (last_signed or last)
    try:
        chosen = dt.date.fromisoformat(shell.url_get("day") or "")
    except ValueError:
        chosen = default
    if not first <= chosen <= last:
        chosen = default
    if st.query_params.get("day") != chosen.isoformat():
        shell.url_set("day", chosen.isoformat())
    st.session_state["widget_day"] = chosen

    def _changed():
        picked = st.session_state.get("widget_day")
        shell.url_set("day", picked.isoformat() if picked else None)

    st.date_input(ctx.t("care.calls.day"), min_value=first, max_value=last, key="widget_day",
                  format="YYYY-MM-DD", on_change=_changed)
    return chosen


def with_outcomes(ctx: Ctx, calls: pd.DataFrame, recorded: pd.DataFrame) -> pd.DataFrame:
    """The call list with readable reasons and the latest outcome recorded for each order."""
    out = calls.copy()
    sep = "、" if ctx.lang == "zh" else ", "
    out["reason"] = [sep.join(ctx.t(f"care.reason.{r}") for r in str(v).split(",") if r)
                     for v in out["reason"]]
    latest = recorded.drop_duplicates(["shop", "order_id"], keep="last").set_index(["shop", "order_id"])
    keys = list(zip(out["shop"], out["order_id"]))
    out["outcome"] = [ctx.t(f"care.outcome.{latest.loc[k, 'outcome']}") if k in latest.index else ""
                      for k in keys]
    out["agent"] = out["agent"].astype(object).where(out["agent"].notna(), None)
    out["seq"] = out["seq"].map(lambda v: None if v is None or pd.isna(v) else int(v))
    return out


def _labels(ctx: Ctx) -> dict[str, str]:
    return {"seq": ctx.t("care.col.seq"), "outcome": ctx.t("care.col.outcome")}


def call_tables(ctx: Ctx, calls: pd.DataFrame, agents: list[str]) -> None:
    """Per-agent counts, each agent's calls, then the overflow apart."""
    assigned = calls[calls["agent"].notna()]
    overflow = calls[calls["agent"].isna()]
    counts = assigned["agent"].value_counts()
    cols = st.columns(len(agents) + 1)
    for col, agent in zip(cols, agents):
        col.metric(agent, fmt_number(int(counts.get(agent, 0))))
    cols[-1].metric(ctx.t("care.overflow"), fmt_number(len(overflow)))
    for agent in agents:
        mine = assigned[assigned["agent"] == agent]
        if len(mine):
            with st.expander(ctx.t("care.calls.agent_list", agent=agent, n=len(mine)), expanded=True):
                widgets.table(ctx, mine[CALL_COLUMNS], labels=_labels(ctx), unmasked_for_agents=True,
                              key=f"calls_{agent}")
    if len(overflow):
        st.subheader(ctx.t("care.overflow"))
        st.caption(ctx.t("care.calls.overflow_note"))
        widgets.table(ctx, overflow[CALL_COLUMNS[1:]], labels=_labels(ctx), unmasked_for_agents=True,
                      key="calls_overflow")


def script(ctx: Ctx) -> None:
    """The suggested call, as plain text: care, never a request for a review."""
    st.subheader(ctx.t("care.script.title"))
    with st.container(border=True):
        st.text(CALL_SCRIPT[ctx.lang].format(shop=ctx.shop or ctx.t("care.script.shop"),
                                             agent=ctx.t("care.script.agent"),
                                             item=ctx.t("care.script.item")))


def record_form(ctx: Ctx, calls: pd.DataFrame, day: dt.date) -> None:
    """Agents and operators record each call's outcome; a problem opens a care_call ticket."""
    st.subheader(ctx.t("care.record.title"))
    rows = calls.reset_index(drop=True)
    # Labels built once: a per-option lookup into the frame costs ~0.1 s for 800 calls.
    overflow = ctx.t("care.overflow")
    labels = [" · ".join(str(v) for v in (agent or overflow, order, item) if v is not None)
              for agent, order, item in zip(rows["agent"], rows["order_id"], rows["item_title"])]
    with st.form("care_record", clear_on_submit=True):
        idx = st.selectbox(
            ctx.t("care.record.order"), list(range(len(rows))), key="care_record_order",
            format_func=labels.__getitem__)
        outcome = st.radio(ctx.t("care.record.outcome"), list(care.OUTCOMES), horizontal=True,
                           key="care_record_outcome", format_func=lambda o: ctx.t(f"care.outcome.{o}"))
        note = st.text_input(ctx.t("care.record.note"), key="care_record_note")
        submitted = st.form_submit_button(ctx.t("care.record.save"), type="primary")
    if submitted and idx is not None:
        row = rows.iloc[int(idx)]
        try:
            res = state.write_active(
                care.record_call, shop=row["shop"], order_id=row["order_id"],
                customer_id=row["customer_id"], agent=row["agent"] or auth.current_actor(),
                outcome=outcome, note=note.strip() or None, recorded_by=auth.current_actor(),
                call_date=day)
        except UserError as exc:
            st.error(exc.message(ctx.lang))
        else:
            st.session_state["care_recorded"] = res
            st.rerun()
    res = st.session_state.pop("care_recorded", None)
    if res:
        key = "care.record.saved_ticket" if res["ticket_id"] else "care.record.saved"
        st.success(ctx.t(key, order=res["order_id"], outcome=ctx.t(f"care.outcome.{res['outcome']}"),
                         ticket=res["ticket_id"] or ""))
