"""Plotly figures of complaint speed, bad-review paths and the care-call effect.

Each builder takes the DataFrame that the matching analysis function returns and the
language; missing values stay gaps (never drawn as 0).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.bad_reviews import PATHS
from analysis.complaints import BACKLOG_BUCKETS
from analysis.i18n import t

PATH_COLOURS = {"contacted_solved": "#4c9f70", "contacted_unsolved": "#e0a030",
                "no_contact": "#d04a3a"}


def _layout(fig: go.Figure, title: str, y_title: str, *, percent: bool = False) -> go.Figure:
    fig.update_layout(title=title, yaxis_title=y_title, legend_orientation="h",
                      margin={"l": 40, "r": 10, "t": 50, "b": 40})
    if percent:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return fig


def speed_by_week_figure(df: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Lines of first-response and resolution median / P90 per week (``speed_by(by='week')``)."""
    fig = go.Figure()
    for col, dash in (("first_response_median_h", "solid"), ("first_response_p90_h", "dot"),
                      ("resolution_median_h", "solid"), ("resolution_p90_h", "dot")):
        fig.add_trace(go.Scatter(
            x=df["week"], y=pd.to_numeric(df[col], errors="coerce"), name=t(f"complaints.{col}", lang),
            mode="lines+markers", line={"dash": dash}, connectgaps=False,
        ))
    return _layout(fig, t("complaints.speed_by_week.title", lang), t("complaints.hours", lang))


def backlog_figure(df: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Bars of open tickets per age bucket (``backlog_by_age``)."""
    labels = [t(f"complaints.backlog.{b}", lang) for b in BACKLOG_BUCKETS]
    counts = df.set_index("bucket").reindex(list(BACKLOG_BUCKETS))["tickets"]
    fig = go.Figure(go.Bar(x=labels, y=counts.tolist(), marker_color="#5470c6"))
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
    for group, colour in (("called", "#4c9f70"), ("not_called", "#999999")):
        fig.add_trace(go.Scatter(
            x=df["week"], y=pd.to_numeric(df[f"{group}_rate"], errors="coerce"),
            name=t(f"care.effect.{group}", lang), mode="lines+markers",
            line={"color": colour}, customdata=df[f"{group}_orders"],
            hovertemplate="%{y:.1%} (n=%{customdata})<extra></extra>",
        ))
    return _layout(fig, t("care.effect.title", lang), t("care.effect.rate", lang), percent=True)
