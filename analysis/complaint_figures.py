"""Plotly figures of complaint speed, bad-review paths and the care-call effect.

Each builder takes the DataFrame that the matching analysis function returns and the
language; missing values stay gaps (never drawn as 0).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.bad_reviews import PATHS
from analysis.charts import ACCENT, BAND_COLOURS, PATH_COLOURS
from analysis.complaints import BACKLOG_BUCKETS
from analysis.i18n import t

# Solid = median, dotted = P90, one colour per measure.
SPEED_LINES = (("first_response_median_h", "solid", ACCENT), ("first_response_p90_h", "dot", ACCENT),
               ("resolution_median_h", "solid", PATH_COLOURS["contacted_solved"]),
               ("resolution_p90_h", "dot", PATH_COLOURS["contacted_solved"]))


def _layout(fig: go.Figure, title: str, y_title: str, *, percent: bool = False) -> go.Figure:
    # Margins, fonts and legend placement come from the shared template (analysis.charts).
    fig.update_layout(title=title, yaxis_title=y_title, legend_title_text="")
    if percent:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return fig


def speed_by_week_figure(df: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Lines of first-response and resolution median / P90 per week (``speed_by(by='week')``)."""
    fig = go.Figure()
    for col, dash, colour in SPEED_LINES:
        fig.add_trace(go.Scatter(
            x=df["week"], y=pd.to_numeric(df[col], errors="coerce"), name=t(f"complaints.{col}", lang),
            mode="lines+markers", line={"dash": dash, "color": colour}, connectgaps=False,
        ))
    return _layout(fig, t("complaints.speed_by_week.title", lang), t("complaints.hours", lang))


def speed_by_group_figure(df: pd.DataFrame, by: str, lang: str = "zh") -> go.Figure:
    """Bars of first-response and resolution medians per channel / category / agent
    (``speed_by(by=...)``); a group with no value is labelled "—"."""
    groups = ["—" if g is None or pd.isna(g) else str(g) for g in df[by]]
    fig = go.Figure()
    for col, _, colour in SPEED_LINES[::2]:
        fig.add_trace(go.Bar(x=groups, y=pd.to_numeric(df[col], errors="coerce"),
                             name=t(f"complaints.{col}", lang), marker_color=colour))
    fig.update_layout(barmode="group")
    return _layout(fig, t(f"complaints.by_title.{by}", lang), t("complaints.hours", lang))


def refund_rate_figure(df: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Refunded-order share and refunded-amount share per week (``refund_rate(by='week')``)."""
    fig = go.Figure()
    for col, colour in (("refund_rate", PATH_COLOURS["no_contact"]),
                        ("refund_amount_share", PATH_COLOURS["contacted_unsolved"])):
        fig.add_trace(go.Scatter(x=df["week"], y=pd.to_numeric(df[col], errors="coerce"),
                                 name=t(f"complaints.{col}", lang), mode="lines+markers",
                                 line={"color": colour}, connectgaps=False))
    return _layout(fig, t("complaints.refund.title", lang), "", percent=True)


def backlog_figure(df: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Bars of open tickets per age bucket (``backlog_by_age``)."""
    labels = [t(f"complaints.backlog.{b}", lang) for b in BACKLOG_BUCKETS]
    counts = df.set_index("bucket").reindex(list(BACKLOG_BUCKETS))["tickets"]
    fig = go.Figure(go.Bar(x=labels, y=counts.tolist(), marker_color=ACCENT))
    return _layout(fig, t("complaints.backlog.title", lang), t("complaints.tickets", lang))


def path_funnel_figure(df: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Stacked bars of negative reviews per path per week (``paths_by_week``)."""
    fig = go.Figure()
    for path in PATHS:
        fig.add_trace(go.Bar(x=df["week"], y=df[path], name=t(f"paths.{path}", lang),
                             marker_color=PATH_COLOURS[path]))
    fig.update_layout(barmode="stack")
    return _layout(fig, t("paths.funnel.title", lang), t("paths.negative_reviews", lang))


def no_contact_share_figure(df: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """The no-contact share of negative reviews per week (``paths_by_week``)."""
    fig = go.Figure(go.Scatter(x=df["week"], y=df["no_contact_share"], mode="lines+markers",
                               name=t("paths.no_contact", lang),
                               line={"color": PATH_COLOURS["no_contact"]}))
    return _layout(fig, t("paths.no_contact_share.title", lang), "", percent=True)


def call_effect_figure(df: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """No-contact bad-review rate per week, called vs not called (``care.call_effect``)."""
    fig = go.Figure()
    for group, colour in (("called", ACCENT), ("not_called", BAND_COLOURS["neutral"])):
        fig.add_trace(go.Scatter(
            x=df["week"], y=pd.to_numeric(df[f"{group}_rate"], errors="coerce"),
            name=t(f"care.effect.{group}", lang), mode="lines+markers",
            line={"color": colour}, customdata=df[f"{group}_orders"],
            hovertemplate="%{y:.1%} (n=%{customdata})<extra></extra>",
        ))
    return _layout(fig, t("care.effect.title", lang), t("care.effect.rate", lang), percent=True)
