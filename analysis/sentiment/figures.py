"""Plotly figures of review sentiment, from the DataFrames of metrics.py and aspects.py."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.i18n import t

BAND_COLOURS = {"negative": "#d62728", "neutral": "#bdbdbd", "positive": "#2ca02c"}


def bands_figure(weekly: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Stacked bars of band shares per week (from :func:`weekly_bands`), titled as an
    estimate; weeks without scored reviews stay empty."""
    fig = go.Figure()
    for band, colour in BAND_COLOURS.items():
        fig.add_bar(
            x=weekly["week"], y=weekly[f"{band}_share"], name=t(f"reviews.band.{band}", lang),
            marker_color=colour, customdata=weekly[band],
            hovertemplate="%{x}: %{y:.1%} (%{customdata})<extra></extra>",
        )
    fig.update_layout(
        barmode="stack", title=t("reviews.bands.title", lang),
        xaxis_title=t("reviews.week_axis", lang),
        yaxis=dict(title=t("reviews.bands.share_axis", lang), tickformat=".0%", range=[0, 1]),
        legend_orientation="h",
    )
    return fig


def aspects_figure(aspects: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Horizontal bars of negative reviews per aspect (from :func:`aspect_counts`), the
    most mentioned on top."""
    df = aspects.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=df["reviews"], y=[t(f"reviews.aspect.{a}", lang) for a in df["aspect"]],
        orientation="h", marker_color=BAND_COLOURS["negative"],
    ))
    fig.update_layout(title=t("reviews.aspects.title", lang),
                      xaxis_title=t("reviews.aspects.count_axis", lang))
    return fig


def aspect_trend_figure(trend: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """One line per aspect: negative reviews per week (from :func:`aspect_trend`)."""
    fig = go.Figure()
    for aspect, part in trend.groupby("aspect", sort=False):
        fig.add_scatter(x=part["week"], y=part["reviews"], mode="lines+markers",
                        name=t(f"reviews.aspect.{aspect}", lang))
    fig.update_layout(title=t("reviews.aspects.trend_title", lang),
                      xaxis_title=t("reviews.week_axis", lang),
                      yaxis_title=t("reviews.aspects.count_axis", lang))
    return fig
