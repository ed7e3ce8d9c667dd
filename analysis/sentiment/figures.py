"""Plotly figures of review sentiment, from the DataFrames of metrics.py and aspects.py."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.charts import BAND_COLOURS
from analysis.i18n import t

# Room above the plot for the title and, below it, the template's horizontal legend.
LEGEND_TOP = 96


def _count_ticks(values) -> dict:
    """Whole-number ticks for counts (a count axis of 0, 0.5, 1 reads as half reviews)."""
    top = max((v for v in values if v == v), default=0)
    return {"rangemode": "tozero", "tickformat": ",d", **({"dtick": 1} if top <= 10 else {})}


def bands_figure(weekly: pd.DataFrame, lang: str = "zh", changes: pd.DataFrame | None = None
                 ) -> go.Figure:
    """Stacked bars of band shares per week (from :func:`weekly_bands`), titled as an
    estimate; weeks without scored reviews stay empty. ``changes`` (from
    :func:`model_changes`) marks each week in which a model changed with a dashed line."""
    fig = go.Figure()
    shown = set(weekly["week"])
    marked = [] if changes is None else [w for w in dict.fromkeys(changes["week"]) if w in shown]
    for week in marked:
        fig.add_shape(type="line", xref="x", x0=week, x1=week, yref="paper", y0=0, y1=1,
                      line={"dash": "dash", "width": 2, "color": "#555"})
        fig.add_annotation(x=week, xref="x", y=1, yref="paper", yanchor="bottom",
                           text=t("reviews.bands.model_changed", lang), showarrow=False,
                           font={"size": 11})
    for band, colour in BAND_COLOURS.items():
        fig.add_bar(
            x=weekly["week"], y=weekly[f"{band}_share"], name=t(f"reviews.band.{band}", lang),
            marker_color=colour, customdata=weekly[band],
            hovertemplate="%{x}: %{y:.1%} (%{customdata})<extra></extra>",
        )
    fig.update_layout(
        barmode="stack", title=t("reviews.bands.title", lang),
        xaxis=dict(title=t("reviews.week_axis", lang), type="category"),
        yaxis=dict(title=t("reviews.bands.share_axis", lang), tickformat=".0%", range=[0, 1]),
        legend_orientation="h", margin_t=LEGEND_TOP, title_y=0.98, title_yanchor="top",
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
                      xaxis=dict(title=t("reviews.aspects.count_axis", lang),
                                 **_count_ticks(df["reviews"])))
    return fig


def aspect_trend_figure(trend: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """One line per aspect: negative reviews per week (from :func:`aspect_trend`)."""
    fig = go.Figure()
    for aspect, part in trend.groupby("aspect", sort=False):
        fig.add_scatter(x=part["week"], y=part["reviews"], mode="lines+markers",
                        name=t(f"reviews.aspect.{aspect}", lang))
    fig.update_layout(title=t("reviews.aspects.trend_title", lang),
                      xaxis=dict(title=t("reviews.week_axis", lang), type="category"),
                      yaxis=dict(title=t("reviews.aspects.count_axis", lang),
                                 **_count_ticks(trend["reviews"])),
                      margin_t=LEGEND_TOP, title_y=0.98, title_yanchor="top")
    return fig
