"""Pieces of the complaints page: the thresholds line, headline figures and labelled tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.i18n import fmt_hours, fmt_number, fmt_share
from pages._ui import shell, widgets
from pages._ui.shell import Ctx

# Headline figures: (summary key, digits, is a share, a rise is bad).
SPEED_METRICS = (
    ("count", 0, False, False), ("open", 0, False, True),
    ("first_response_median_h", 1, False, True), ("first_response_p90_h", 1, False, True),
    ("resolution_median_h", 1, False, True), ("resolution_p90_h", 1, False, True),
    ("within_sla_share", 1, True, False),
)
SPEED_COLUMNS = ("count", "answered", "resolved", "open", "first_response_median_h",
                 "first_response_p90_h", "resolution_median_h", "resolution_p90_h",
                 "within_sla_share")


def thresholds(ctx: Ctx, s: dict) -> None:
    """The thresholds every figure on the page uses, with where to change them."""
    hours = (ctx.t("complaints.bh.on", start=s["complaints.day_start"], end=s["complaints.night_start"])
             if s["complaints.business_hours"] else ctx.t("complaints.bh.off"))
    st.caption(ctx.t("complaints.thresholds", sla=fmt_number(s["complaints.sla_hours"]),
                     window=s["complaints.path_window_days"],
                     neg=f"{float(s['sentiment.negative_below']):.2f}", hours=hours))
    shell.link(ctx, "settings")


def _label(ctx: Ctx, key: str, sla_h) -> str:
    if key == "within_sla_share":
        return ctx.t("complaints.within_sla_share", sla_h=fmt_number(sla_h))
    if key.endswith("_h"):
        return ctx.t(f"complaints.{key}") + ctx.t("complaints.in_hours")
    return ctx.t(f"complaints.{key}")


def headline(ctx: Ctx, now: dict, before: dict, extra_now: dict, extra_before: dict) -> None:
    """Speed figures, then escalation / reopen / refund, each against last week."""
    cols = st.columns(4)
    for i, (key, digits, share, bad) in enumerate(SPEED_METRICS):
        with cols[i % 4]:
            widgets.metric(_label(ctx, key, now["sla_h"]), now[key], previous=before[key],
                           share=share, digits=digits, inverse=bad)
    for i, key in enumerate(("escalation_rate", "reopen_rate", "refund_rate"), start=len(SPEED_METRICS)):
        with cols[i % 4]:
            widgets.metric(ctx.t(f"complaints.{key}"), extra_now.get(key),
                           previous=extra_before.get(key), share=True, inverse=True)
    st.caption(ctx.t("complaints.headline_note"))


def speed_table(ctx: Ctx, df: pd.DataFrame, by: str) -> None:
    """Per-group speed figures with hours and shares formatted as the metrics are."""
    view = pd.DataFrame({ctx.t(f"complaints.by.{by}"): df[by].map(lambda g: "—" if g is None else g)})
    for col in SPEED_COLUMNS:
        if col == "within_sla_share":
            view[ctx.t("complaints.within_sla_short")] = df[col].map(lambda v: fmt_share(v))
        elif col.endswith("_h"):
            view[ctx.t(f"complaints.{col}")] = df[col].map(lambda v: fmt_hours(v, ctx.lang))
        else:
            view[ctx.t(f"complaints.{col}")] = df[col].map(lambda v: fmt_number(v))
    widgets.table(ctx, view, key=f"speed_{by}")


def backlog_metrics(ctx: Ctx, backlog: pd.DataFrame) -> None:
    """Open tickets per age bucket as figures (the chart's numbers, readable on a phone)."""
    cols = st.columns(len(backlog))
    for col, (bucket, n) in zip(cols, zip(backlog["bucket"], backlog["tickets"])):
        col.metric(ctx.t(f"complaints.backlog.{bucket}"), fmt_number(n))


def no_contact_table(ctx: Ctx, df: pd.DataFrame) -> pd.DataFrame:
    """The no-contact bad reviews (text stays plain text); returns the rows as shown, for
    the export."""
    view = df[["review_time", "shop", "order_id", "item_title", "rating", "content",
               "seller_reply"]]
    widgets.table(ctx, view, height=320, key="no_contact_table")
    return view


def refund_items_table(ctx: Ctx, items: pd.DataFrame) -> None:
    """This week's refunded items: counts, amounts and shares as people read them."""
    view = items[["item_title"]].copy()
    for col in ("paid_orders", "refunded_orders"):
        view[ctx.t(f"complaints.refund.col.{col}")] = items[col].map(lambda v: fmt_number(v))
    for col in ("paid_amount", "refund_amount"):
        view[ctx.t(f"complaints.refund.col.{col}")] = items[col].map(lambda v: fmt_number(v, digits=2))
    for col in ("refund_rate", "refund_amount_share"):
        view[ctx.t(f"complaints.{col}")] = items[col].map(lambda v: fmt_share(v))
    widgets.table(ctx, view, key="refund_items")
